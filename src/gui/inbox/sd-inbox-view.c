/* sd-inbox-view.c — the inbox: the message list with its filters and search beside the conversation
 *
 * The list pages its rows in from the store (SdInboxListModel); every filter
 * and the search are a new query on it. Keys work like a mail app's: j and k
 * move, e marks done, u unread, r answers, / searches; none of them fires
 * while the keyboard is in a text field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-account.h"
#include "sd-provider.h"
#include "sd-conversation-view.h"
#include "sd-inbox-list-model.h"
#include "sd-inbox-view.h"
#include "sd-inbox-row.h"

/* Like mail apps: a message glanced at while moving through the list stays unread. */
#define MARK_READ_DELAY_MS 800

struct _SdInboxView
{
  GtkWidget           parent_instance;

  SdStore            *store;
  SdInboxEngine      *engine;
  SdInboxListModel   *model;
  GtkSingleSelection *selection;
  GPtrArray          *accounts;        /* SdAccount, as in the account dropdown after "All" */
  GHashTable         *account_labels;  /* account id → "@brand@server" */
  GArray             *platforms;       /* SdPlatform, as in the network dropdown after "All" */
  GStrv               labels;          /* as in the label dropdown after "Any" */
  guint               mark_read_id;
  char               *select_after_load;     /* a message id */
  guint               select_position_after_load;
  gboolean            updating_filters;
  guint               unread_count;
  GCancellable       *counting;

  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *separator;
  GtkWidget          *content;
  AdwWindowTitle     *list_title;
  AdwWindowTitle     *content_title;
  GtkStack           *refresh_stack;
  GtkSpinner         *refresh_spinner;
  GtkMenuButton      *menu_button;
  GtkSearchEntry     *search_entry;
  GtkToggleButton    *open_button;
  GtkToggleButton    *done_button;
  GtkToggleButton    *unread_button;
  GtkDropDown        *account_dropdown;
  GtkDropDown        *network_dropdown;
  GtkDropDown        *kind_dropdown;
  GtkDropDown        *label_dropdown;
  GtkBox             *streams_box;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  SdConversationView *conversation;
};

G_DEFINE_FINAL_TYPE (SdInboxView, sd_inbox_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_UNREAD_COUNT,
  N_PROPS
};

enum {
  REPLY_QUEUED,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  SdMessageKind  kind;
  const char    *label;
} kind_filters[] = {
  { SD_MESSAGE_KIND_MENTION, N_("Mentions") },
  { SD_MESSAGE_KIND_REPLY, N_("Replies") },
  { SD_MESSAGE_KIND_COMMENT, N_("Comments") },
  { SD_MESSAGE_KIND_DM, N_("Direct Messages") },
  { SD_MESSAGE_KIND_ACTIVITY, N_("Activity") },
};

static void
say_problem (SdInboxView *self,
             const char  *message)
{
  g_signal_emit (self, signals[PROBLEM], 0, message);
}

/* The query from the filters */

static void
build_query (SdInboxView  *self,
             SdInboxQuery *query)
{
  guint account = gtk_drop_down_get_selected (self->account_dropdown);
  guint network = gtk_drop_down_get_selected (self->network_dropdown);
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint label = gtk_drop_down_get_selected (self->label_dropdown);

  memset (query, 0, sizeof *query);
  if (account != GTK_INVALID_LIST_POSITION && account > 0 && self->accounts != NULL
      && account - 1 < self->accounts->len)
    query->account_id = sd_account_get_id (g_ptr_array_index (self->accounts, account - 1));
  if (network != GTK_INVALID_LIST_POSITION && network > 0 && self->platforms != NULL
      && network - 1 < self->platforms->len)
    query->platforms = 1u << g_array_index (self->platforms, SdPlatform, network - 1);
  if (kind != GTK_INVALID_LIST_POSITION && kind > 0 && kind - 1 < G_N_ELEMENTS (kind_filters))
    query->kinds = 1u << kind_filters[kind - 1].kind;
  if (label != GTK_INVALID_LIST_POSITION && label > 0 && self->labels != NULL
      && label - 1 < g_strv_length (self->labels))
    query->label = self->labels[label - 1];
  query->unread_only = gtk_toggle_button_get_active (self->unread_button);
  query->done = gtk_toggle_button_get_active (self->done_button) ? SD_INBOX_DONE : SD_INBOX_OPEN;
  query->search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

static gboolean
query_is_filtered (const SdInboxQuery *query)
{
  return query->account_id != NULL || query->platforms != 0 || query->kinds != 0
         || query->unread_only || query->done != SD_INBOX_OPEN || query->label != NULL
         || query->search != NULL;
}

static SdMessage *
get_selected_message (SdInboxView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
remember_selection (SdInboxView *self)
{
  SdMessage *message = get_selected_message (self);

  if (message == NULL)
    message = sd_conversation_view_get_message (self->conversation);
  if (message != NULL && self->select_after_load == NULL)
    self->select_after_load = g_strdup (sd_message_get_id (message));
}

static void
apply_filters (SdInboxView *self)
{
  SdInboxQuery query;

  if (self->store == NULL || self->updating_filters)
    return;

  build_query (self, &query);
  remember_selection (self);
  sd_inbox_list_model_set_query (self->model, &query);
}

static void
filters_changed_cb (SdInboxView *self)
{
  apply_filters (self);
}

static void
search_changed_cb (SdInboxView *self)
{
  /* GtkSearchEntry waits its search-delay (150 ms) after the last key. */
  apply_filters (self);
}

static void
stop_search_cb (SdInboxView *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* What the list shows */

static void
update_list_page (SdInboxView *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const SdInboxQuery *query = sd_inbox_list_model_get_query (self->model);
  g_autofree char *subtitle = NULL;

  if (self->accounts == NULL || self->accounts->len == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-accounts");
  else if (n_items > 0 || sd_inbox_list_model_is_loading (self->model))
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (query_is_filtered (query))
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "inbox-zero");

  if (query->search != NULL)
    subtitle = g_strdup_printf (ngettext ("%u match", "%u matches", n_items), n_items);
  else if (self->unread_count > 0)
    subtitle = g_strdup_printf (ngettext ("%u unread", "%u unread", self->unread_count),
                                self->unread_count);
  adw_window_title_set_subtitle (self->list_title, subtitle != NULL ? subtitle : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.mark-all-read", n_items > 0);
}

/* The unread count (the window's badge), counted in a worker */

static void
count_unread_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SdInboxQuery query = { .unread_only = TRUE, .done = SD_INBOX_OPEN };
  GError *error = NULL;
  guint count = sd_store_count_messages (task_data, &query, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
count_unread_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (source);
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->counting);
  if (error != NULL)
    {
      g_debug ("Could not count unread messages: %s", error->message);
      return;
    }

  if ((guint) count != self->unread_count)
    {
      self->unread_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
    }
  update_list_page (self);
}

static void
count_unread (SdInboxView *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  self->counting = g_cancellable_new ();
  task = g_task_new (self, self->counting, count_unread_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_unread_thread);
}

/* Selection and the conversation */

static void
select_position (SdInboxView *self,
                 guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static void
set_flag (SdInboxView   *self,
          SdMessage     *message,
          SdMessageFlag  flag,
          gboolean       value)
{
  const char *ids[] = { sd_message_get_id (message), NULL };
  g_autoptr(GError) error = NULL;

  if (!sd_store_set_message_flag (self->store, ids, flag, value, &error))
    {
      say_problem (self, error->message);
      return;
    }

  if (flag == SD_MESSAGE_FLAG_READ)
    sd_message_set_is_read (message, value);
  else if (flag == SD_MESSAGE_FLAG_DONE)
    sd_message_set_is_done (message, value);
  sd_inbox_list_model_update (self->model, message);
  count_unread (self);
}

static gboolean
mark_read_cb (gpointer user_data)
{
  SdInboxView *self = user_data;
  SdMessage *message = get_selected_message (self);

  self->mark_read_id = 0;
  if (message != NULL && !sd_message_get_is_read (message))
    set_flag (self, message, SD_MESSAGE_FLAG_READ, TRUE);
  return G_SOURCE_REMOVE;
}

static void
show_in_conversation (SdInboxView *self,
                      SdMessage   *message)
{
  SdMessage *current = sd_conversation_view_get_message (self->conversation);
  g_autofree char *author = NULL;

  /* A reload hands back a new copy of the same message: nothing to redo. */
  if (current == NULL || message == NULL
      || g_strcmp0 (sd_message_get_id (current), sd_message_get_id (message)) != 0)
    sd_conversation_view_set_message (self->conversation, message);

  if (message != NULL)
    author = sd_message_dup_author_label (message);
  adw_window_title_set_title (self->content_title, author != NULL ? author : "");
  adw_window_title_set_subtitle (self->content_title,
                                 message != NULL ? sd_message_kind_get_label (sd_message_get_kind (message)) : "");
}

static void
selection_changed_cb (SdInboxView *self)
{
  SdMessage *message = get_selected_message (self);

  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  /* A reload briefly unselects: the conversation stays. */
  if (message == NULL)
    return;

  show_in_conversation (self, message);
  if (!sd_message_get_is_read (message))
    self->mark_read_id = g_timeout_add (MARK_READ_DELAY_MS, mark_read_cb, self);
}

static void
list_activate_cb (SdInboxView *self,
                  guint        position)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
model_loaded_cb (SdInboxView      *self,
                 GError           *error,
                 SdInboxListModel *model)
{
  g_autofree char *id = g_steal_pointer (&self->select_after_load);
  guint position = self->select_position_after_load;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint found;

  self->select_position_after_load = GTK_INVALID_LIST_POSITION;
  if (error != NULL)
    say_problem (self, error->message);

  if (position != GTK_INVALID_LIST_POSITION && n_items > 0)
    select_position (self, MIN (position, n_items - 1));
  else if (id != NULL && sd_inbox_list_model_find (model, id, &found))
    select_position (self, found);

  update_list_page (self);
}

static void
reload_keeping_position (SdInboxView *self,
                         guint        position)
{
  self->select_position_after_load = position;
  g_clear_pointer (&self->select_after_load, g_free);
  sd_inbox_list_model_reload (self->model);
  count_unread (self);
}

static void
conversation_message_changed_cb (SdInboxView *self,
                                 SdMessage   *message)
{
  const SdInboxQuery *query = sd_inbox_list_model_get_query (self->model);

  sd_inbox_list_model_update (self->model, message);
  count_unread (self);
  /* Done here while the list shows open ones (or the reverse): it leaves the list. */
  if ((query->done == SD_INBOX_OPEN && sd_message_get_is_done (message))
      || (query->done == SD_INBOX_DONE && !sd_message_get_is_done (message)))
    sd_inbox_view_reload (self);
}

static void
conversation_reply_queued_cb (SdInboxView *self,
                              const char  *post_id)
{
  g_signal_emit (self, signals[REPLY_QUEUED], 0, post_id);
}

/* Keys */

static gboolean
is_typing (SdInboxView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus));
}

static gboolean
move_selection (SdInboxView *self,
                int          step)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint position;

  if (n_items == 0)
    return FALSE;
  if (selected == GTK_INVALID_LIST_POSITION)
    position = step > 0 ? 0 : n_items - 1;
  else if (step < 0 && selected == 0)
    position = 0;
  else
    position = MIN (selected + step, n_items - 1);

  select_position (self, position);
  return TRUE;
}

static gboolean
next_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  return !is_typing (self) && move_selection (self, 1);
}

static gboolean
previous_key_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  return !is_typing (self) && move_selection (self, -1);
}

static gboolean
reply_key_cb (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  if (is_typing (self) || sd_conversation_view_get_message (self->conversation) == NULL)
    return FALSE;

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (!sd_conversation_view_focus_reply (self->conversation))
    gtk_widget_error_bell (widget);
  return TRUE;
}

static gboolean
done_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);
  SdMessage *message;
  guint position = gtk_single_selection_get_selected (self->selection);
  gboolean done;

  if (is_typing (self) || (message = get_selected_message (self)) == NULL)
    return FALSE;

  done = !sd_message_get_is_done (message);
  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  set_flag (self, message, SD_MESSAGE_FLAG_DONE, done);
  if (done && !sd_message_get_is_read (message))
    set_flag (self, message, SD_MESSAGE_FLAG_READ, TRUE);

  /* It leaves the list of open messages: the next one takes its place. */
  if (sd_inbox_list_model_get_query (self->model)->done != SD_INBOX_ANY)
    reload_keeping_position (self, position);
  else if (position + 1 < g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    select_position (self, position + 1);
  return TRUE;
}

static gboolean
unread_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);
  SdMessage *message;

  if (is_typing (self) || (message = get_selected_message (self)) == NULL)
    return FALSE;

  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  set_flag (self, message, SD_MESSAGE_FLAG_READ, !sd_message_get_is_read (message));
  return TRUE;
}

static gboolean
search_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  if (is_typing (self))
    return FALSE;
  sd_inbox_view_focus_search (self);
  return TRUE;
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  if (self->engine != NULL)
    sd_inbox_engine_refresh_now (self->engine);
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!sd_store_mark_all_read (self->store, sd_inbox_list_model_get_query (self->model), &error))
    {
      say_problem (self, error->message);
      return;
    }
  sd_inbox_view_reload (self);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  self->updating_filters = TRUE;
  gtk_drop_down_set_selected (self->account_dropdown, 0);
  gtk_drop_down_set_selected (self->network_dropdown, 0);
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  gtk_drop_down_set_selected (self->label_dropdown, 0);
  gtk_toggle_button_set_active (self->unread_button, FALSE);
  gtk_toggle_button_set_active (self->open_button, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->updating_filters = FALSE;
  apply_filters (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdInboxView *self = SD_INBOX_VIEW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* The engine */

static void
engine_busy_cb (SdInboxView *self)
{
  gboolean busy = self->engine != NULL && sd_inbox_engine_get_busy (self->engine);

  gtk_stack_set_visible_child_name (self->refresh_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->refresh_spinner, busy);
}

static void
engine_synced_cb (SdInboxView *self,
                  guint        n_new)
{
  if (n_new > 0)
    sd_inbox_view_reload (self);
  else
    count_unread (self);
  sd_conversation_view_reload (self->conversation);
}

/* What each network gives */

static void
add_streams_line (SdInboxView *self,
                  const char  *text,
                  const char  *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Reasons and errors may quote a network's own words: plain text. */
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (self->streams_box, label);
}

static const char *
stream_title (GPtrArray  *streams,
              const char *id)
{
  for (guint i = 0; streams != NULL && i < streams->len; i++)
    {
      SdInboxStream *stream = g_ptr_array_index (streams, i);

      if (g_strcmp0 (stream->id, id) == 0)
        return stream->title;
    }
  return id;
}

static void
add_account_streams (SdInboxView *self,
                     SdAccount   *account,
                     GPtrArray   *cursors)
{
  g_autoptr(SdProvider) provider = sd_provider_new_for_platform (sd_account_get_platform (account));
  g_autoptr(GPtrArray) streams = NULL;
  g_autofree char *label = sd_account_dup_label (account);
  const SdPlatformInfo *info = sd_platform_get_info (sd_account_get_platform (account));
  g_autofree char *heading = g_strdup_printf ("%s — %s", info->display_name, label);
  guint n_said = 0;

  add_streams_line (self, heading, "heading");
  if (provider == NULL || (streams = sd_provider_list_inbox_streams (provider, account))->len == 0)
    {
      add_streams_line (self, _("SocialDesk cannot read this network’s messages yet."), "dim-label");
      return;
    }

  for (guint i = 0; i < streams->len; i++)
    {
      SdInboxStream *stream = g_ptr_array_index (streams, i);
      g_autofree char *line = NULL;

      if (stream->available)
        continue;
      /* Translators: in the inbox's "What each network gives"; %1$s is a stream
       * ("Direct messages"), %2$s the reason it is not available. */
      line = g_strdup_printf (_("%1$s: not available. %2$s"), stream->title,
                              stream->unavailable_reason != NULL ? stream->unavailable_reason : "");
      add_streams_line (self, line, "dim-label");
      n_said++;
    }

  for (guint i = 0; cursors != NULL && i < cursors->len; i++)
    {
      SdInboxCursor *cursor = g_ptr_array_index (cursors, i);
      g_autofree char *line = NULL;

      if (g_strcmp0 (cursor->account_id, sd_account_get_id (account)) != 0 || cursor->last_error == NULL)
        continue;
      /* Translators: in the inbox's "What each network gives"; %1$s is a stream
       * ("Mentions and replies"), %2$s the last error's sentence. */
      line = g_strdup_printf (_("%1$s: the last check failed. %2$s"),
                              stream_title (streams, cursor->stream), cursor->last_error);
      add_streams_line (self, line, "error");
      n_said++;
    }

  if (n_said == 0)
    add_streams_line (self, _("Everything this network gives is fetched."), "dim-label");
}

static void
streams_popover_show_cb (SdInboxView *self)
{
  g_autoptr(GPtrArray) cursors = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->streams_box))) != NULL)
    gtk_box_remove (self->streams_box, child);

  if (self->accounts == NULL || self->accounts->len == 0)
    {
      add_streams_line (self, _("No accounts are connected."), "dim-label");
      return;
    }

  cursors = sd_store_list_inbox_cursors (self->store, &error);
  if (cursors == NULL)
    g_debug ("Could not read the inbox cursors: %s", error->message);
  for (guint i = 0; i < self->accounts->len; i++)
    add_account_streams (self, g_ptr_array_index (self->accounts, i), cursors);
}

/* Accounts, networks and labels for the filters */

static void
set_dropdown_strings (GtkDropDown *dropdown,
                      GStrv        strings)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) strings);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, 0);
}

static void
fill_account_filters (SdInboxView *self)
{
  g_autoptr(GStrvBuilder) accounts = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) networks = g_strv_builder_new ();
  g_auto(GStrv) account_strings = NULL;
  g_auto(GStrv) network_strings = NULL;
  SdPlatformSet seen = 0;

  g_hash_table_remove_all (self->account_labels);
  g_array_set_size (self->platforms, 0);
  g_strv_builder_add (accounts, _("All Accounts"));
  g_strv_builder_add (networks, _("All Networks"));
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      SdAccount *account = g_ptr_array_index (self->accounts, i);
      SdPlatform platform = sd_account_get_platform (account);
      char *label = sd_account_dup_label (account);

      g_hash_table_insert (self->account_labels, g_strdup (sd_account_get_id (account)), label);
      g_strv_builder_add (accounts, label);
      if (!(seen & (1u << platform)))
        {
          seen |= 1u << platform;
          g_array_append_val (self->platforms, platform);
          g_strv_builder_add (networks, sd_platform_get_info (platform)->display_name);
        }
    }

  account_strings = g_strv_builder_end (accounts);
  network_strings = g_strv_builder_end (networks);
  set_dropdown_strings (self->account_dropdown, account_strings);
  set_dropdown_strings (self->network_dropdown, network_strings);
}

static void
fill_label_filter (SdInboxView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strings = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->labels, g_strfreev);
  self->labels = sd_store_list_labels (self->store, &error);
  if (self->labels == NULL && error != NULL)
    g_debug ("Could not read the labels: %s", error->message);

  g_strv_builder_add (builder, _("Any Label"));
  for (guint i = 0; self->labels != NULL && self->labels[i] != NULL; i++)
    g_strv_builder_add (builder, self->labels[i]);
  strings = g_strv_builder_end (builder);
  set_dropdown_strings (self->label_dropdown, strings);
}

static void
fill_kind_filter (SdInboxView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strings = NULL;

  g_strv_builder_add (builder, _("All Kinds"));
  for (guint i = 0; i < G_N_ELEMENTS (kind_filters); i++)
    g_strv_builder_add (builder, _(kind_filters[i].label));
  strings = g_strv_builder_end (builder);
  set_dropdown_strings (self->kind_dropdown, strings);
}

void
sd_inbox_view_reload_accounts (SdInboxView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SD_IS_INBOX_VIEW (self));

  if (self->store == NULL)
    return;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = sd_store_list_accounts (self->store, &error);
  if (self->accounts == NULL)
    say_problem (self, error->message);

  self->updating_filters = TRUE;
  fill_account_filters (self);
  fill_label_filter (self);
  self->updating_filters = FALSE;
  apply_filters (self);
  count_unread (self);
}

/* The list's rows */

static void
list_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  gtk_list_item_set_child (item, sd_inbox_row_new ());
}

static void
list_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SdInboxView              *self)
{
  SdMessage *message = gtk_list_item_get_item (item);
  const char *account_label = NULL;

  if (message != NULL && self->account_labels != NULL)
    account_label = g_hash_table_lookup (self->account_labels, sd_message_get_account_id (message));
  sd_inbox_row_set_message (SD_INBOX_ROW (gtk_list_item_get_child (item)), message, account_label);
}

static void
list_item_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  sd_inbox_row_set_message (SD_INBOX_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

/* Public */

void
sd_inbox_view_set_store (SdInboxView *self,
                         SdStore     *store)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (SD_IS_INBOX_VIEW (self));
  g_return_if_fail (SD_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->model = sd_inbox_list_model_new (store);
  g_signal_connect_object (self->model, "loaded", G_CALLBACK (model_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-items", G_CALLBACK (update_list_page), self,
                           G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (list_item_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (list_item_bind_cb), self, 0);
  g_signal_connect (factory, "unbind", G_CALLBACK (list_item_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  sd_conversation_view_set_store (self->conversation, store);
  sd_inbox_view_reload_accounts (self);
}

void
sd_inbox_view_set_engine (SdInboxView   *self,
                          SdInboxEngine *engine)
{
  g_return_if_fail (SD_IS_INBOX_VIEW (self));
  g_return_if_fail (engine == NULL || SD_IS_INBOX_ENGINE (engine));

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_object (engine, "notify::busy", G_CALLBACK (engine_busy_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (engine, "synced", G_CALLBACK (engine_synced_cb), self,
                               G_CONNECT_SWAPPED);
    }
  sd_conversation_view_set_engine (self->conversation, engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.refresh", engine != NULL);
  engine_busy_cb (self);
}

void
sd_inbox_view_set_menu (SdInboxView *self,
                        GMenuModel  *menu)
{
  g_return_if_fail (SD_IS_INBOX_VIEW (self));

  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

void
sd_inbox_view_reload (SdInboxView *self)
{
  g_return_if_fail (SD_IS_INBOX_VIEW (self));

  if (self->model == NULL)
    return;
  remember_selection (self);
  sd_inbox_list_model_reload (self->model);
  count_unread (self);
}

void
sd_inbox_view_reload_conversation (SdInboxView *self)
{
  g_return_if_fail (SD_IS_INBOX_VIEW (self));

  if (sd_conversation_view_get_message (self->conversation) != NULL)
    sd_conversation_view_reload (self->conversation);
}

gboolean
sd_inbox_view_show_message (SdInboxView *self,
                            const char  *message_id)
{
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_val_if_fail (SD_IS_INBOX_VIEW (self), FALSE);

  if (self->store == NULL || message_id == NULL)
    return FALSE;

  message = sd_store_get_message (self->store, message_id, &error);
  if (message == NULL)
    {
      g_debug ("No message %s to show: %s", message_id, error->message);
      return FALSE;
    }

  if (sd_inbox_list_model_find (self->model, sd_message_get_id (message), &position))
    select_position (self, position);
  else
    show_in_conversation (self, message);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  return TRUE;
}

void
sd_inbox_view_focus_search (SdInboxView *self)
{
  g_return_if_fail (SD_IS_INBOX_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

guint
sd_inbox_view_get_unread_count (SdInboxView *self)
{
  g_return_val_if_fail (SD_IS_INBOX_VIEW (self), 0);

  return self->unread_count;
}

/* Life cycle */

static void
sd_inbox_view_dispose (GObject *object)
{
  SdInboxView *self = (SdInboxView *) object;

  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_INBOX_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->account_labels, g_hash_table_unref);
  g_clear_pointer (&self->platforms, g_array_unref);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->select_after_load, g_free);

  G_OBJECT_CLASS (sd_inbox_view_parent_class)->dispose (object);
}

static void
sd_inbox_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SdInboxView *self = SD_INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            keyval,
         GtkShortcutFunc  callback)
{
  gtk_widget_class_add_binding (widget_class, keyval, 0, callback, NULL);
}

static void
sd_inbox_view_class_init (SdInboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_inbox_view_dispose;
  object_class->get_property = sd_inbox_view_get_property;

  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REPLY_QUEUED] =
    g_signal_new ("reply-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SD_TYPE_CONVERSATION_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sd-inbox-view");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/inbox/sd-inbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, separator);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, content);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, list_title);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, content_title);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, open_button);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, done_button);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, unread_button);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, network_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, streams_box);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, list_view);
  gtk_widget_class_bind_template_child (widget_class, SdInboxView, conversation);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, streams_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, conversation_message_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, conversation_reply_queued_cb);

  gtk_widget_class_install_action (widget_class, "inbox.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "inbox.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_install_action (widget_class, "inbox.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "inbox.back", NULL, back_action);

  add_key (widget_class, GDK_KEY_j, next_key_cb);
  add_key (widget_class, GDK_KEY_k, previous_key_cb);
  add_key (widget_class, GDK_KEY_r, reply_key_cb);
  add_key (widget_class, GDK_KEY_e, done_key_cb);
  add_key (widget_class, GDK_KEY_u, unread_key_cb);
  add_key (widget_class, GDK_KEY_slash, search_key_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "inbox.refresh", NULL);
}

static void
sd_inbox_view_init (SdInboxView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->account_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->platforms = g_array_new (FALSE, FALSE, sizeof (SdPlatform));
  self->select_position_after_load = GTK_INVALID_LIST_POSITION;
  fill_kind_filter (self);
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->separator), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.refresh", FALSE);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (list_activate_cb), self,
                           G_CONNECT_SWAPPED);
}
