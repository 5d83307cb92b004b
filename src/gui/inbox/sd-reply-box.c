/* sd-reply-box.c — the answer to a message: text, the network's counter, saved replies, Send
 *
 * Counts by the same rules as the composer (sd_text_count with the account's
 * own limits); Send stays off, saying why, while the network would refuse
 * the text or its reply window is closed. Send stores the reply in the
 * outbox (offline too) and clears the box; a refusal is shown under the
 * text, which stays. Drafts live in memory per message, so switching
 * messages loses nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-reply-box"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-inbox-rule.h"
#include "sd-readiness.h"
#include "sd-reply-box.h"
#include "sd-text.h"
#include "sd-time.h"

/* The counter turns amber this close to the limit, as in the composer. */
#define WARN_REMAINING 20

struct _SdReplyBox
{
  GtkWidget       parent_instance;

  SdStore        *store;
  SdMessage      *message;
  SdAccount      *account;
  GHashTable     *drafts;        /* message id → text */
  guint           window_timer;
  gboolean        loading;       /* the buffer is being filled, not typed in */

  GtkWidget      *box;
  GtkLabel       *reply_as_label;
  GtkLabel       *window_label;
  GtkTextView    *text_view;
  GtkLabel       *error_label;
  GtkMenuButton  *saved_button;
  GtkPopover     *saved_popover;
  GtkListBox     *saved_list;
  GtkLabel       *counter_label;
  GtkButton      *send_button;
};

G_DEFINE_FINAL_TYPE (SdReplyBox, sd_reply_box, GTK_TYPE_WIDGET)

enum {
  REPLY_QUEUED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_buffer_text (SdReplyBox *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_buffer_text (SdReplyBox *self,
                 const char *text)
{
  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  self->loading = FALSE;
}

/* "3 hours", "2 days": how long, for the reply window's sentences. */
static char *
describe_span (gint64 seconds)
{
  gint64 minutes = MAX (seconds / 60, 1);
  gint64 hours = seconds / 3600;
  gint64 days = seconds / (24 * 3600);

  if (days >= 1)
    return g_strdup_printf (ngettext ("%d day", "%d days", days), (int) days);
  if (hours >= 1)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", hours), (int) hours);
  return g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes), (int) minutes);
}

/* The sentence about the message's reply window, NULL when it has none;
 * @closed says whether it is over. */
static char *
describe_reply_window (SdMessage *message,
                       gboolean  *closed)
{
  gint64 until = sd_message_get_reply_until (message);
  gint64 now = sd_time_now ();
  g_autofree char *span = NULL;

  *closed = FALSE;
  if (until <= 0)
    return NULL;

  if (until > now)
    {
      gint64 left = until - now;

      if (left >= 3600)
        return g_strdup_printf (ngettext ("You can reply for %d more hour",
                                          "You can reply for %d more hours", left / 3600),
                                (int) (left / 3600));
      return g_strdup_printf (ngettext ("You can reply for %d more minute",
                                        "You can reply for %d more minutes", MAX (left / 60, 1)),
                              (int) MAX (left / 60, 1));
    }

  *closed = TRUE;
  span = describe_span (now - until);
  /* Translators: %s is how long ago, e.g. "2 days". */
  return g_strdup_printf (_("The 24-hour reply window closed %s ago"), span);
}

static void
set_send_state (SdReplyBox *self,
                const char *why_not)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reply.send", why_not == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button),
                               why_not != NULL ? why_not : _("Send the reply (Ctrl+Enter)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  why_not != NULL ? why_not : "", -1);
}

static char *
join_problems (SdTextCount *count)
{
  GString *what = g_string_new (NULL);

  for (guint i = 0; i < count->problems->len; i++)
    {
      SdTextProblem problem = g_array_index (count->problems, SdTextProblem, i);
      g_autofree char *sentence = NULL;

      if (problem == SD_TEXT_PROBLEM_EMPTY)
        sentence = g_strdup (_("Write a reply first"));
      else
        sentence = sd_text_problem_describe (problem, count);
      if (what->len > 0)
        g_string_append (what, "; ");
      g_string_append (what, sentence);
    }
  return g_string_free (what, FALSE);
}

static void
update_counter (SdReplyBox  *self,
                SdTextCount *count)
{
  g_autofree char *remaining = g_strdup_printf ("%d", count->remaining);
  g_autofree char *words = count->remaining >= 0
                           ? sd_text_describe_remaining (count)
                           : sd_text_problem_describe (SD_TEXT_PROBLEM_TOO_LONG, count);
  GtkWidget *label = GTK_WIDGET (self->counter_label);

  gtk_label_set_text (self->counter_label, remaining);
  gtk_widget_set_tooltip_text (label, words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  if (count->remaining < 0)
    gtk_widget_add_css_class (label, "error");
  else if (count->remaining <= WARN_REMAINING)
    gtk_widget_add_css_class (label, "warning");
}

static gboolean
message_allows_reply (SdMessage *message)
{
  return message != NULL && (sd_message_get_caps (message) & SD_MESSAGE_CAN_REPLY) != 0;
}

/* The counter, the reply window and whether Send may be pressed. */
static void
recount (SdReplyBox *self)
{
  SdTextOptions options = { 0, NULL };
  g_autoptr(SdTextCount) count = NULL;
  g_autofree char *text = NULL;
  g_autofree char *window = NULL;
  g_autofree char *problems = NULL;
  gboolean closed = FALSE;

  if (!message_allows_reply (self->message))
    {
      set_send_state (self, _("This message cannot be answered from SocialDesk"));
      return;
    }

  window = describe_reply_window (self->message, &closed);
  gtk_widget_set_visible (GTK_WIDGET (self->window_label), window != NULL);
  gtk_label_set_text (self->window_label, window != NULL ? window : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->window_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->window_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->window_label), closed ? "error" : "dim-label");

  if (self->account != NULL)
    sd_account_text_options (self->account, &options);
  text = dup_buffer_text (self);
  count = sd_text_count (sd_message_get_platform (self->message), text, &options);
  update_counter (self, count);

  if (closed)
    set_send_state (self, window);
  else if (!count->valid)
    {
      problems = join_problems (count);
      set_send_state (self, problems);
    }
  else
    set_send_state (self, NULL);
}

static void
hide_error (SdReplyBox *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
buffer_changed_cb (SdReplyBox *self)
{
  if (self->loading || self->message == NULL)
    return;

  g_hash_table_insert (self->drafts, g_strdup (sd_message_get_id (self->message)),
                       dup_buffer_text (self));
  hide_error (self);
  recount (self);
}

static gboolean
window_timer_cb (gpointer user_data)
{
  recount (SD_REPLY_BOX (user_data));
  return G_SOURCE_CONTINUE;
}

/* Insert a saved reply, its placeholders filled for this message. */
static void
saved_reply_activated_cb (SdReplyBox    *self,
                          GtkListBoxRow *row)
{
  const char *body = g_object_get_data (G_OBJECT (row), "body");
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  if (body == NULL || self->message == NULL)
    return;

  text = sd_saved_reply_expand (body, self->message, self->account);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);
  gtk_popover_popdown (self->saved_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static GtkWidget *
saved_reply_row (SdSavedReply *reply)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (reply->title);
  g_autofree char *snippet = g_utf8_substring (reply->body != NULL ? reply->body : "", 0, 60);
  GtkWidget *body = gtk_label_new (snippet);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_ellipsize (GTK_LABEL (body), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (body), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (body), 40);
  gtk_widget_add_css_class (body, "caption");
  gtk_widget_add_css_class (body, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, reply->title, -1);
  g_object_set_data_full (G_OBJECT (row), "body", g_strdup (reply->body), g_free);
  return row;
}

/* The list is read each time the menu opens: Preferences may have changed it. */
static void
fill_saved_replies (SdReplyBox *self)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);

  if (self->store != NULL)
    replies = sd_store_list_saved_replies (self->store, &error);
  if (error != NULL)
    g_debug ("Could not read the saved replies: %s", error->message);

  if (replies == NULL || replies->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("No saved replies yet: add them in Preferences, Inbox."));

      gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (empty), 30);
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_widget_set_margin_start (empty, 12);
      gtk_widget_set_margin_end (empty, 12);
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_list_box_append (self->saved_list, empty);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (empty)), FALSE);
      return;
    }

  for (guint i = 0; i < replies->len; i++)
    gtk_list_box_append (self->saved_list, saved_reply_row (replies->pdata[i]));
}

static void
saved_popover_show_cb (SdReplyBox *self)
{
  fill_saved_replies (self);
}

static void
show_error (SdReplyBox *self,
            const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdReplyBox *self = SD_REPLY_BOX (widget);
  g_autofree char *text = dup_buffer_text (self);
  g_autofree char *post_id = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->message == NULL)
    return;

  post_id = sd_store_queue_reply (self->store, sd_message_get_id (self->message), text, &error);
  if (post_id == NULL)
    {
      show_error (self, error->message);
      return;
    }

  hide_error (self);
  g_hash_table_remove (self->drafts, sd_message_get_id (self->message));
  set_buffer_text (self, "");
  recount (self);
  g_signal_emit (self, signals[REPLY_QUEUED], 0, post_id);
}

/* Ctrl+Enter sends from inside the text, before the text view makes it a new line. */
static gboolean
key_pressed_cb (SdReplyBox      *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
      && (state & GDK_CONTROL_MASK) != 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "reply.send", NULL);
      return TRUE;
    }
  return FALSE;
}

static void
update_reply_as (SdReplyBox *self)
{
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  if (self->account != NULL)
    label = sd_account_dup_label (self->account);
  if (label == NULL)
    {
      gtk_label_set_text (self->reply_as_label, "");
      return;
    }
  /* Translators: %s is our account, e.g. "@brand@mastodon.social". */
  text = g_strdup_printf (_("Reply as %s"), label);
  gtk_label_set_text (self->reply_as_label, text);
}

/* A Mastodon direct message reaches only who it mentions: start with them. */
static char *
starting_text (SdMessage *message)
{
  const char *handle = sd_message_get_author_handle (message);

  if (sd_message_get_platform (message) == SD_PLATFORM_MASTODON
      && sd_message_get_kind (message) == SD_MESSAGE_KIND_DM
      && handle != NULL && *handle != '\0')
    return g_strdup_printf ("@%s ", handle);
  return g_strdup ("");
}

static void
load_account (SdReplyBox *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->account);
  if (self->store == NULL || self->message == NULL)
    return;
  self->account = sd_store_find_account (self->store, sd_message_get_account_id (self->message), &error);
  if (self->account == NULL)
    g_debug ("The message's account is not known: %s", error != NULL ? error->message : "");
}

void
sd_reply_box_set_message (SdReplyBox *self,
                          SdMessage  *message)
{
  const char *draft;
  g_autofree char *start = NULL;

  g_return_if_fail (SD_IS_REPLY_BOX (self));
  g_return_if_fail (message == NULL || SD_IS_MESSAGE (message));

  if (message != self->message)
    g_set_object (&self->message, message);
  load_account (self);
  hide_error (self);
  update_reply_as (self);

  g_clear_handle_id (&self->window_timer, g_source_remove);
  if (message != NULL && sd_message_get_reply_until (message) > 0)
    self->window_timer = g_timeout_add_seconds (60, window_timer_cb, self);

  draft = message != NULL ? g_hash_table_lookup (self->drafts, sd_message_get_id (message)) : NULL;
  if (draft == NULL && message != NULL)
    draft = start = starting_text (message);
  set_buffer_text (self, draft != NULL ? draft : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_view), message_allows_reply (message));
  gtk_widget_set_sensitive (GTK_WIDGET (self->saved_button), message_allows_reply (message));
  recount (self);
}

void
sd_reply_box_set_store (SdReplyBox *self,
                        SdStore    *store)
{
  g_return_if_fail (SD_IS_REPLY_BOX (self));

  g_set_object (&self->store, store);
  load_account (self);
  update_reply_as (self);
  recount (self);
}

gboolean
sd_reply_box_can_reply (SdReplyBox *self)
{
  gboolean closed = FALSE;
  g_autofree char *window = NULL;

  g_return_val_if_fail (SD_IS_REPLY_BOX (self), FALSE);

  if (!message_allows_reply (self->message))
    return FALSE;
  window = describe_reply_window (self->message, &closed);
  return !closed;
}

gboolean
sd_reply_box_focus_text (SdReplyBox *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_val_if_fail (SD_IS_REPLY_BOX (self), FALSE);

  if (!sd_reply_box_can_reply (self))
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

char *
sd_reply_box_dup_text (SdReplyBox *self)
{
  g_return_val_if_fail (SD_IS_REPLY_BOX (self), NULL);

  return dup_buffer_text (self);
}

static void
sd_reply_box_dispose (GObject *object)
{
  SdReplyBox *self = SD_REPLY_BOX (object);

  g_clear_handle_id (&self->window_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_REPLY_BOX);
  g_clear_object (&self->store);
  g_clear_object (&self->message);
  g_clear_object (&self->account);
  g_clear_pointer (&self->drafts, g_hash_table_unref);

  G_OBJECT_CLASS (sd_reply_box_parent_class)->dispose (object);
}

static void
sd_reply_box_class_init (SdReplyBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_reply_box_dispose;

  /**
   * SdReplyBox::reply-queued:
   * @post_id: the reply post's id
   *
   * Send stored a reply in the outbox.
   */
  signals[REPLY_QUEUED] =
    g_signal_new ("reply-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sd-reply-box");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/inbox/sd-reply-box.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, box);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, reply_as_label);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, window_label);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, text_view);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, saved_button);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, saved_popover);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, saved_list);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, counter_label);
  gtk_widget_class_bind_template_child (widget_class, SdReplyBox, send_button);

  gtk_widget_class_install_action (widget_class, "reply.send", NULL, send_action);
}

static void
sd_reply_box_init (SdReplyBox *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed",
                            G_CALLBACK (buffer_changed_cb), self);
  g_signal_connect_swapped (self->saved_popover, "show", G_CALLBACK (saved_popover_show_cb), self);
  g_signal_connect_swapped (self->saved_list, "row-activated",
                            G_CALLBACK (saved_reply_activated_cb), self);
  recount (self);
}

GtkWidget *
sd_reply_box_new (void)
{
  return g_object_new (SD_TYPE_REPLY_BOX, NULL);
}
