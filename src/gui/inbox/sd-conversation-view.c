/* sd-conversation-view.c — the right pane of the inbox: one conversation, its actions and the reply box
 *
 * Shows the store's copy of the conversation at once and asks the inbox
 * engine for the network's context, reloading when it arrives. Local
 * changes (read, done, labels) are store calls; network actions (like,
 * hide, delete) wait in the store until the engine sends them, and a
 * refused one comes back as the message's sentence, shown here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-conversation-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "posts/sd-outbox-actions.h"
#include "sd-conversation-view.h"
#include "sd-message-bubble.h"
#include "sd-reply-box.h"

/* Conversations are short; past this only the newest are shown. */
#define MAX_BUBBLES 300

struct _SdConversationView
{
  GtkWidget       parent_instance;

  SdStore        *store;
  SdInboxEngine  *engine;
  SdMessage      *message;
  GCancellable   *fetch_cancellable;
  guint           scroll_tick;

  GtkStack       *stack;
  AdwAvatar      *avatar;
  GtkLabel       *name_label;
  GtkLabel       *handle_label;
  GtkLabel       *details_label;
  GtkLabel       *labels_label;
  GtkButton      *read_button;
  GtkButton      *done_button;
  GtkButton      *like_button;
  GtkButton      *hide_button;
  GtkButton      *delete_button;
  GtkMenuButton  *labels_button;
  GtkPopover     *labels_popover;
  GtkBox         *labels_box;
  GtkEntry       *new_label_entry;
  GtkButton      *open_button;
  GtkLabel       *notice_label;
  GtkScrolledWindow *scroller;
  GtkBox         *bubbles_box;
  SdReplyBox     *reply_box;
};

G_DEFINE_FINAL_TYPE (SdConversationView, sd_conversation_view, GTK_TYPE_WIDGET)

enum {
  MESSAGE_CHANGED,
  REPLY_QUEUED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
network_name (SdMessage *message)
{
  return sd_platform_get_info (sd_message_get_platform (message))->display_name;
}

static gboolean
has_cap (SdConversationView *self,
         SdMessageCaps       cap)
{
  return self->message != NULL && (sd_message_get_caps (self->message) & cap) != 0;
}

/* Notices ---------------------------------------------------------------- */

static void
show_notice (SdConversationView *self,
             const char         *text,
             gboolean            is_error)
{
  GtkWidget *label = GTK_WIDGET (self->notice_label);

  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

/* A refused like/hide/delete: the store keeps the network's sentence for us once. */
static void
show_refused_action (SdConversationView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  const char *last_error;

  if (self->store == NULL || self->message == NULL)
    return;

  refused = sd_store_take_message_error (self->store, sd_message_get_id (self->message), &error);
  if (error != NULL)
    g_debug ("Could not read the message's last error: %s", error->message);
  last_error = refused != NULL ? refused : sd_message_get_last_error (self->message);
  if (last_error != NULL && *last_error != '\0')
    show_notice (self, last_error, TRUE);
}

/* Header and action buttons ---------------------------------------------- */

static void
set_button (GtkButton  *button,
            const char *icon_name,
            const char *label)
{
  gtk_button_set_icon_name (button, icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_actions (SdConversationView *self)
{
  SdMessage *message = self->message;
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean any = message != NULL;
  g_autofree char *open = NULL;

  gtk_widget_action_set_enabled (widget, "conversation.toggle-read", any);
  gtk_widget_action_set_enabled (widget, "conversation.toggle-done", any);
  gtk_widget_action_set_enabled (widget, "conversation.toggle-like", has_cap (self, SD_MESSAGE_CAN_LIKE));
  gtk_widget_action_set_enabled (widget, "conversation.toggle-hide", has_cap (self, SD_MESSAGE_CAN_HIDE));
  gtk_widget_action_set_enabled (widget, "conversation.delete", has_cap (self, SD_MESSAGE_CAN_DELETE));
  gtk_widget_action_set_enabled (widget, "conversation.open",
                                 any && sd_message_get_url (message) != NULL);
  if (!any)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->like_button), has_cap (self, SD_MESSAGE_CAN_LIKE));
  gtk_widget_set_visible (GTK_WIDGET (self->hide_button), has_cap (self, SD_MESSAGE_CAN_HIDE));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), has_cap (self, SD_MESSAGE_CAN_DELETE));
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), sd_message_get_url (message) != NULL);

  if (sd_message_get_is_read (message))
    set_button (self->read_button, "mail-unread-symbolic", _("Mark as Unread"));
  else
    set_button (self->read_button, "mail-read-symbolic", _("Mark as Read"));
  if (sd_message_get_is_done (message))
    set_button (self->done_button, "mail-send-receive-symbolic", _("Move to Inbox"));
  else
    set_button (self->done_button, "object-select-symbolic", _("Mark as Done"));
  if (sd_message_get_is_liked (message))
    set_button (self->like_button, "starred-symbolic", _("Unlike"));
  else
    set_button (self->like_button, "non-starred-symbolic", _("Like"));
  if (sd_message_get_is_hidden (message))
    set_button (self->hide_button, "view-reveal-symbolic", _("Unhide Reply"));
  else
    set_button (self->hide_button, "view-conceal-symbolic", _("Hide Reply"));

  /* Translators: %s is a network's name, e.g. "Mastodon". */
  open = g_strdup_printf (_("Open on %s"), network_name (message));
  gtk_button_set_label (self->open_button, open);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button), sd_message_get_url (message));
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("");
  /* Translators: a message's date and time in the conversation's header, strftime format. */
  return g_date_time_format (time, _("%e %B %Y, %H:%M"));
}

static char *
describe_details (SdConversationView *self)
{
  SdMessage *message = self->message;
  GString *details = g_string_new (sd_message_kind_get_label (sd_message_get_kind (message)));
  g_autoptr(SdAccount) account = NULL;

  g_string_append_printf (details, " · %s", network_name (message));
  if (self->store != NULL)
    account = sd_store_find_account (self->store, sd_message_get_account_id (message), NULL);
  if (account != NULL)
    {
      g_autofree char *label = sd_account_dup_label (account);

      /* Translators: %s is our account that received the message, e.g. "@brand@mastodon.social". */
      g_string_append (details, " · ");
      g_string_append_printf (details, _("to %s"), label);
    }
  if (sd_message_get_sent_at (message) > 0)
    {
      g_autofree char *time = format_time (sd_message_get_sent_at (message));

      g_string_append_printf (details, " · %s", time);
    }
  if (sd_message_get_is_hidden (message))
    g_string_append_printf (details, " · %s", _("Hidden"));
  return g_string_free (details, FALSE);
}

static void
update_header (SdConversationView *self)
{
  SdMessage *message = self->message;
  const char *name = sd_message_get_author_name (message);
  g_autofree char *handle = sd_message_dup_author_label (message);
  g_autofree char *details = describe_details (self);
  GStrv labels = sd_message_get_labels (message);

  if (name == NULL || *name == '\0')
    name = sd_message_get_author_handle (message);
  if (name == NULL)
    name = "";
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->handle_label, handle != NULL && g_strcmp0 (handle, name) != 0 ? handle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->handle_label), handle != NULL && g_strcmp0 (handle, name) != 0);
  gtk_label_set_text (self->details_label, details);

  if (labels != NULL && labels[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", labels);
      /* Translators: %s is a list of label names, e.g. "Support, Urgent". */
      g_autofree char *text = g_strdup_printf (_("Labels: %s"), joined);

      gtk_label_set_text (self->labels_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->labels_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->labels_label), FALSE);

  update_actions (self);
}

/* The conversation ------------------------------------------------------- */

static void
clear_bubbles (SdConversationView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->bubbles_box))) != NULL)
    gtk_box_remove (self->bubbles_box, child);
}

/* Brings the answered message into view once the bubbles have their sizes. */
static gboolean
scroll_to_answered_cb (GtkWidget     *widget,
                       GdkFrameClock *clock,
                       gpointer       user_data)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_tick = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->bubbles_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      double x, y;

      if (!gtk_widget_has_css_class (child, "sd-bubble-answered"))
        continue;
      if (gtk_widget_translate_coordinates (child, GTK_WIDGET (self->bubbles_box), 0, 0, &x, &y))
        gtk_adjustment_set_value (adjustment, MAX (0, y - 24));
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
add_older_note (SdConversationView *self,
                guint               n_left_out)
{
  g_autofree char *text = g_strdup_printf (ngettext ("%u older message is not shown",
                                                     "%u older messages are not shown", n_left_out),
                                           n_left_out);
  GtkWidget *note = gtk_label_new (text);

  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (self->bubbles_box, note);
}

static void
fill_bubbles (SdConversationView *self,
              GPtrArray          *conversation)
{
  const char *answered_id = sd_message_get_id (self->message);
  guint first = conversation->len > MAX_BUBBLES ? conversation->len - MAX_BUBBLES : 0;
  gboolean found = FALSE;

  clear_bubbles (self);
  if (first > 0)
    add_older_note (self, first);
  for (guint i = first; i < conversation->len; i++)
    {
      SdMessage *message = conversation->pdata[i];
      gboolean answered = g_strcmp0 (sd_message_get_id (message), answered_id) == 0;

      found |= answered;
      gtk_box_append (self->bubbles_box, sd_message_bubble_new (message, answered));
    }
  /* The store has not grouped it yet (or it was cut off): it is still the message shown. */
  if (!found)
    gtk_box_append (self->bubbles_box, sd_message_bubble_new (self->message, TRUE));

  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_answered_cb,
                                                      NULL, NULL);
}

/* A reply the outbox could not send says why: the post keeps the network's sentence. */
static void
add_reply_errors (SdConversationView *self,
                  GPtrArray          *conversation)
{
  for (guint i = 0; i < conversation->len; i++)
    {
      SdMessage *message = conversation->pdata[i];
      g_autoptr(SdPost) post = NULL;

      if (sd_message_get_reply_post_id (message) == NULL
          || sd_message_get_reply_state (message) != SD_POST_STATE_FAILED
          || sd_message_get_last_error (message) != NULL)
        continue;
      post = sd_store_get_post (self->store, sd_message_get_reply_post_id (message), NULL);
      if (post != NULL)
        sd_message_set_last_error (message, sd_post_get_last_error (post));
    }
}

static void
load_conversation (SdConversationView *self)
{
  g_autoptr(GPtrArray) conversation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    conversation = sd_store_list_conversation (self->store, sd_message_get_id (self->message), &error);
  if (conversation == NULL)
    {
      if (error != NULL)
        g_debug ("Could not read the conversation: %s", error->message);
      conversation = g_ptr_array_new_with_free_func (g_object_unref);
    }
  else
    add_reply_errors (self, conversation);
  fill_bubbles (self, conversation);
}

/* The store's copy of the person's own state, put on the message the list shows. */
static void
refresh_message_state (SdConversationView *self)
{
  g_autoptr(SdMessage) fresh = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->message == NULL)
    return;
  fresh = sd_store_get_message (self->store, sd_message_get_id (self->message), &error);
  if (fresh == NULL)
    {
      g_debug ("Could not read the message again: %s", error != NULL ? error->message : "");
      return;
    }
  sd_message_set_is_read (self->message, sd_message_get_is_read (fresh));
  sd_message_set_is_done (self->message, sd_message_get_is_done (fresh));
  sd_message_set_is_liked (self->message, sd_message_get_is_liked (fresh));
  sd_message_set_is_hidden (self->message, sd_message_get_is_hidden (fresh));
  sd_message_set_is_reviewed (self->message, sd_message_get_is_reviewed (fresh));
  sd_message_set_labels (self->message, (const char * const *) sd_message_get_labels (fresh));
  sd_message_set_caps (self->message, sd_message_get_caps (fresh));
  sd_message_set_reply_until (self->message, sd_message_get_reply_until (fresh));
  sd_message_set_last_error (self->message, sd_message_get_last_error (fresh));
}

static void
message_changed (SdConversationView *self)
{
  refresh_message_state (self);
  update_header (self);
  g_signal_emit (self, signals[MESSAGE_CHANGED], 0, self->message);
}

/* The network's context ------------------------------------------------- */

static void
fetch_conversation_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SdConversationView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_inbox_engine_fetch_conversation_finish (SD_INBOX_ENGINE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_notice (self, error->message, FALSE);
      return;
    }

  show_notice (self, NULL, FALSE);
  sd_conversation_view_reload (self);
}

static void
fetch_context (SdConversationView *self)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autofree char *loading = NULL;

  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  if (self->engine == NULL || self->message == NULL)
    return;

  if (!g_network_monitor_get_network_available (monitor))
    {
      /* Translators: %s is a network's name. */
      g_autofree char *offline = g_strdup_printf (_("Offline: showing what SocialDesk has kept of this conversation, not the latest from %s"),
                                                  network_name (self->message));
      show_notice (self, offline, FALSE);
      return;
    }

  /* Translators: %s is a network's name. */
  loading = g_strdup_printf (_("Loading the conversation from %s…"), network_name (self->message));
  show_notice (self, loading, FALSE);
  self->fetch_cancellable = g_cancellable_new ();
  sd_inbox_engine_fetch_conversation_async (self->engine, sd_message_get_id (self->message),
                                            self->fetch_cancellable, fetch_conversation_cb,
                                            g_object_ref (self));
}

/* Actions ---------------------------------------------------------------- */

static void
set_flag (SdConversationView *self,
          SdMessageFlag       flag,
          gboolean            value)
{
  const char *ids[] = { sd_message_get_id (self->message), NULL };
  g_autoptr(GError) error = NULL;

  if (!sd_store_set_message_flag (self->store, ids, flag, value, &error))
    {
      show_notice (self, error->message, TRUE);
      return;
    }
  message_changed (self);
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->message != NULL && self->store != NULL)
    set_flag (self, SD_MESSAGE_FLAG_READ, !sd_message_get_is_read (self->message));
}

static void
toggle_done_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->message != NULL && self->store != NULL)
    set_flag (self, SD_MESSAGE_FLAG_DONE, !sd_message_get_is_done (self->message));
}

static void
queue_action (SdConversationView *self,
              SdMessageAction     action)
{
  g_autoptr(GError) error = NULL;

  if (self->message == NULL || self->store == NULL)
    return;
  if (!sd_store_queue_message_action (self->store, sd_message_get_id (self->message), action, &error))
    {
      show_notice (self, error->message, TRUE);
      return;
    }
  show_notice (self, NULL, FALSE);
  if (self->engine != NULL)
    sd_inbox_engine_actions_queued (self->engine);
  message_changed (self);
}

static void
toggle_like_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->message != NULL)
    queue_action (self, sd_message_get_is_liked (self->message) ? SD_MESSAGE_ACTION_UNLIKE
                                                                : SD_MESSAGE_ACTION_LIKE);
}

static void
toggle_hide_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->message != NULL)
    queue_action (self, sd_message_get_is_hidden (self->message) ? SD_MESSAGE_ACTION_UNHIDE
                                                                 : SD_MESSAGE_ACTION_HIDE);
}

static void
delete_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    SdConversationView *self)
{
  const char *message_id = g_object_get_data (G_OBJECT (dialog), "message-id");

  /* Another message may be shown by now: delete only the one asked about. */
  if (g_strcmp0 (response, "delete") == 0 && self->message != NULL
      && g_strcmp0 (message_id, sd_message_get_id (self->message)) == 0)
    queue_action (self, SD_MESSAGE_ACTION_DELETE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->message == NULL)
    return;

  /* Translators: %s is a network's name. */
  body = g_strdup_printf (_("It is removed from %s for everyone, and cannot be brought back."),
                          network_name (self->message));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete This Reply?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "message-id",
                          g_strdup (sd_message_get_id (self->message)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->message != NULL && sd_message_get_url (self->message) != NULL)
    sd_message_bubble_open_link (widget, sd_message_get_url (self->message));
}

static void
retry_done_cb (GtkWidget  *widget,
               const char *post_id,
               GError     *error)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (error != NULL)
    {
      show_notice (self, error->message, TRUE);
      return;
    }
  sd_conversation_view_reload (self);
  g_signal_emit (self, signals[REPLY_QUEUED], 0, post_id);
}

static void
retry_reply_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (widget);

  if (self->store != NULL)
    sd_outbox_retry (widget, self->store, g_variant_get_string (parameter, NULL), retry_done_cb);
}

/* Labels ----------------------------------------------------------------- */

static void
set_label (SdConversationView *self,
           const char         *label,
           gboolean            on)
{
  g_autoptr(GError) error = NULL;

  if (self->message == NULL || self->store == NULL)
    return;
  if (!sd_store_set_message_label (self->store, sd_message_get_id (self->message), label, on, &error))
    {
      show_notice (self, error->message, TRUE);
      return;
    }
  message_changed (self);
}

static void
label_toggled_cb (GtkCheckButton     *check,
                  SdConversationView *self)
{
  set_label (self, gtk_check_button_get_label (check), gtk_check_button_get_active (check));
}

static void
fill_labels (SdConversationView *self)
{
  g_auto(GStrv) labels = NULL;
  g_autoptr(GError) error = NULL;
  GStrv on = self->message != NULL ? sd_message_get_labels (self->message) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->labels_box))) != NULL)
    gtk_box_remove (self->labels_box, child);

  if (self->store != NULL)
    labels = sd_store_list_labels (self->store, &error);
  if (error != NULL)
    show_notice (self, error->message, TRUE);

  if (labels == NULL || labels[0] == NULL)
    {
      GtkWidget *none = gtk_label_new (_("No labels yet"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (self->labels_box, none);
      return;
    }

  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (labels[i]);

      /* The label itself is data: never read as a mnemonic or markup. */
      gtk_check_button_set_use_underline (GTK_CHECK_BUTTON (check), FALSE);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   on != NULL && g_strv_contains ((const char * const *) on, labels[i]));
      g_signal_connect (check, "toggled", G_CALLBACK (label_toggled_cb), self);
      gtk_box_append (self->labels_box, check);
    }
}

static void
new_label_activate_cb (SdConversationView *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_label_entry))));

  if (*name == '\0')
    return;
  set_label (self, name, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->new_label_entry), "");
  fill_labels (self);
}

/* Public ----------------------------------------------------------------- */

static void
reply_queued_cb (SdConversationView *self,
                 const char         *post_id)
{
  show_notice (self, NULL, FALSE);
  message_changed (self);
  load_conversation (self);
  g_signal_emit (self, signals[REPLY_QUEUED], 0, post_id);
}

void
sd_conversation_view_reload (SdConversationView *self)
{
  g_return_if_fail (SD_IS_CONVERSATION_VIEW (self));

  if (self->message == NULL)
    return;
  refresh_message_state (self);
  update_header (self);
  load_conversation (self);
  show_refused_action (self);
}

void
sd_conversation_view_set_message (SdConversationView *self,
                                  SdMessage          *message)
{
  g_return_if_fail (SD_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (message == NULL || SD_IS_MESSAGE (message));

  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  g_set_object (&self->message, message);
  show_notice (self, NULL, FALSE);
  sd_reply_box_set_message (self->reply_box, message);
  update_actions (self);

  if (message == NULL)
    {
      clear_bubbles (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "message");
  update_header (self);
  load_conversation (self);
  show_refused_action (self);
  /* Not marked read here: the list does that once the message stayed
   * selected a moment, so passing over it with j/k leaves it unread. */
  fetch_context (self);
}

SdMessage *
sd_conversation_view_get_message (SdConversationView *self)
{
  g_return_val_if_fail (SD_IS_CONVERSATION_VIEW (self), NULL);

  return self->message;
}

gboolean
sd_conversation_view_focus_reply (SdConversationView *self)
{
  g_return_val_if_fail (SD_IS_CONVERSATION_VIEW (self), FALSE);

  return self->message != NULL && sd_reply_box_focus_text (self->reply_box);
}

void
sd_conversation_view_set_store (SdConversationView *self,
                                SdStore            *store)
{
  g_return_if_fail (SD_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (store == NULL || SD_IS_STORE (store));

  g_set_object (&self->store, store);
  sd_reply_box_set_store (self->reply_box, store);
  sd_conversation_view_reload (self);
}

void
sd_conversation_view_set_engine (SdConversationView *self,
                                 SdInboxEngine      *engine)
{
  g_return_if_fail (SD_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (engine == NULL || SD_IS_INBOX_ENGINE (engine));

  g_set_object (&self->engine, engine);
}

static void
sd_conversation_view_dispose (GObject *object)
{
  SdConversationView *self = SD_CONVERSATION_VIEW (object);

  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CONVERSATION_VIEW);
  g_clear_object (&self->message);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_conversation_view_parent_class)->dispose (object);
}

static void
sd_conversation_view_class_init (SdConversationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_conversation_view_dispose;

  /**
   * SdConversationView::message-changed:
   * @message: the message shown, its flags and labels as the store now has them
   */
  signals[MESSAGE_CHANGED] =
    g_signal_new ("message-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, SD_TYPE_MESSAGE);
  /**
   * SdConversationView::reply-queued:
   * @post_id: the reply post that went into the outbox (or is tried again)
   */
  signals[REPLY_QUEUED] =
    g_signal_new ("reply-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sd-conversation-view");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/inbox/sd-conversation-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, stack);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, avatar);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, handle_label);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, details_label);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, labels_label);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, read_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, done_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, like_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, hide_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, labels_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, labels_popover);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, labels_box);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, new_label_entry);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, open_button);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, bubbles_box);
  gtk_widget_class_bind_template_child (widget_class, SdConversationView, reply_box);

  gtk_widget_class_install_action (widget_class, "conversation.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "conversation.toggle-done", NULL, toggle_done_action);
  gtk_widget_class_install_action (widget_class, "conversation.toggle-like", NULL, toggle_like_action);
  gtk_widget_class_install_action (widget_class, "conversation.toggle-hide", NULL, toggle_hide_action);
  gtk_widget_class_install_action (widget_class, "conversation.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "conversation.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "conversation.retry-reply", "s", retry_reply_action);

  /* With the keyboard inside the conversation (the list has its own keys). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "conversation.toggle-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "conversation.toggle-done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "conversation.toggle-like", NULL);
}

static void
sd_conversation_view_init (SdConversationView *self)
{
  g_type_ensure (SD_TYPE_REPLY_BOX);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->reply_box, "reply-queued", G_CALLBACK (reply_queued_cb), self);
  g_signal_connect_swapped (self->labels_popover, "show", G_CALLBACK (fill_labels), self);
  g_signal_connect_swapped (self->new_label_entry, "activate", G_CALLBACK (new_label_activate_cb), self);
  g_signal_connect_swapped (self->new_label_entry, "icon-press", G_CALLBACK (new_label_activate_cb), self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}

SdConversationView *
sd_conversation_view_new (void)
{
  return g_object_new (SD_TYPE_CONVERSATION_VIEW, NULL);
}
