/* sd-window.c — the main window: the Posts list beside the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "calendar/sd-calendar-bench.h"
#include "calendar/sd-calendar-page.h"
#include "composer/sd-composer.h"
#include "inbox/sd-inbox-badge.h"
#include "inbox/sd-inbox-view.h"
#include "posts/sd-outbox-actions.h"
#include "posts/sd-post-list-model.h"
#include "posts/sd-post-row.h"
#include "posts/sd-post-state-style.h"
#include "sd-export-dialog.h"
#include "sd-stall-monitor.h"
#include "sd-toast.h"
#include "sd-window.h"

/* Other programs (socialdesk-cli) write to the same file: look again this long after. */
#define EXTERNAL_CHANGE_DELAY_MS 300

struct _SdWindow
{
  AdwApplicationWindow  parent_instance;

  SdStore              *store;
  SdPostListModel      *model;
  GtkSingleSelection   *selection;
  GSettings            *settings;
  GFileMonitor         *db_monitor;
  guint64               data_version;
  guint                 external_change_id;
  char                 *select_after_load;
  gboolean              posts_stale;
  SdStallMonitor       *stall_monitor;
  GCancellable         *counting;   /* the offline banner's count, while it runs */

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  SdCalendarPage       *calendar_page;
  GtkStackPage         *inbox_stack_page;
  SdInboxView          *inbox_view;
  AdwHeaderBar         *posts_header_bar;
  GtkWidget            *calendar_inbox_button;
  GtkWidget            *posts_inbox_button;
  GMenuModel           *primary_menu;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *separator;
  GtkWidget            *content;
  AdwWindowTitle       *list_title;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwWindowTitle       *content_title;
  GtkWidget            *post_menu_button;
  GtkStack             *content_stack;
  SdComposer           *composer;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
};

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the window shows */

static void
update_list_page (SdWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *subtitle = NULL;

  /* While loading, the (empty) list stays: its size is known when the rows come. */
  if (n_items > 0 || sd_post_list_model_is_loading (self->model))
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (sd_post_list_model_get_search (self->model) != NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");

  if (sd_post_list_model_get_search (self->model) != NULL)
    subtitle = g_strdup_printf (ngettext ("%u match", "%u matches", n_items), n_items);
  else if (n_items > 0)
    subtitle = g_strdup_printf (ngettext ("%u post", "%u posts", n_items), n_items);
  adw_window_title_set_subtitle (self->list_title, subtitle != NULL ? subtitle : "");
}

static void
update_content_title (SdWindow *self)
{
  SdPost *post = sd_composer_get_post (self->composer);
  gboolean stored = post != NULL && sd_post_get_created_at (post) != 0;
  g_autofree char *subtitle = NULL;

  if (post == NULL)
    adw_window_title_set_title (self->content_title, "");
  else if (!stored)
    adw_window_title_set_title (self->content_title, _("New Post"));
  else
    adw_window_title_set_title (self->content_title, sd_post_state_get_label (sd_post_get_state (post)));

  if (post != NULL && sd_post_get_scheduled_at (post) != SD_POST_NO_TIME)
    {
      g_autofree char *when = sd_post_format_time (sd_post_get_scheduled_at (post));

      if (sd_post_get_state (post) == SD_POST_STATE_PUBLISHED)
        /* Translators: %s is a date and time. */
        subtitle = g_strdup_printf (_("Published; it was planned for %s"), when);
      else
        /* Translators: %s is a date and time. */
        subtitle = g_strdup_printf (_("Planned for %s"), when);
    }
  adw_window_title_set_subtitle (self->content_title, subtitle != NULL ? subtitle : "");

  gtk_widget_set_visible (self->post_menu_button, post != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.duplicate-post", stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-post", post != NULL);
}

static void
composer_post_notify_cb (SdWindow   *self,
                         GParamSpec *pspec,
                         SdPost     *post)
{
  update_content_title (self);
}

static void
show_error_toast (SdWindow *self,
                  GError   *error)
{
  adw_toast_overlay_add_toast (self->toast_overlay, sd_toast_new_plain (error->message));
}

/* Returns FALSE (and says why) if the post being written could not be saved first. */
static gboolean
show_post (SdWindow *self,
           SdPost   *post)
{
  g_autoptr(SdPost) old = NULL;
  g_autoptr(GError) error = NULL;

  if (sd_composer_get_post (self->composer) != NULL)
    old = g_object_ref (sd_composer_get_post (self->composer));

  if (!sd_composer_set_post (self->composer, post, &error))
    {
      show_error_toast (self, error);
      return FALSE;
    }

  if (old != NULL && old != post)
    g_signal_handlers_disconnect_by_func (old, composer_post_notify_cb, self);

  if (post != NULL)
    {
      g_signal_connect_object (post, "notify::scheduled-at",
                               G_CALLBACK (composer_post_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (post, "notify::state",
                               G_CALLBACK (composer_post_notify_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_set_visible_child_name (self->content_stack, "composer");
      adw_leaflet_set_visible_child (self->leaflet, self->content);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
    }

  update_content_title (self);
  return TRUE;
}

static void
select_post (SdWindow   *self,
             const char *id)
{
  guint position;

  if (sd_post_list_model_find (self->model, id, &position))
    {
      gtk_single_selection_set_selected (self->selection, position);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  position);
    }
}

static void
selection_changed_cb (SdWindow *self)
{
  SdPost *post = gtk_single_selection_get_selected_item (self->selection);
  SdPost *current = sd_composer_get_post (self->composer);

  /* A reload briefly unselects; keep showing the post being written. */
  if (post != NULL && !show_post (self, post) && current != NULL)
    select_post (self, sd_post_get_id (current));
}

static void
model_loaded_cb (SdWindow        *self,
                 GError          *error,
                 SdPostListModel *model)
{
  SdPost *current = sd_composer_get_post (self->composer);

  if (error != NULL)
    {
      AdwToast *toast = sd_toast_new_plain (error->message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }

  if (self->select_after_load != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->select_after_load);

      select_post (self, id);
    }
  else if (current != NULL)
    {
      select_post (self, sd_post_get_id (current));
    }

  update_list_page (self);

  if (self->stall_monitor != NULL)
    sd_stall_monitor_mark_loaded (self->stall_monitor,
                                  g_list_model_get_n_items (G_LIST_MODEL (model)));
}

/* Actions */

static void
new_post_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  g_autoptr(SdPost) post = sd_post_new ();

  if (!show_post (self, post))
    return;
  gtk_stack_set_visible_child_name (self->main_stack, "posts");
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  sd_composer_focus_text (self->composer);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "posts");
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
duplicate_post_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  SdPost *post = sd_composer_get_post (self->composer);
  g_autoptr(SdPost) copy = NULL;
  g_autoptr(GError) error = NULL;

  if (post == NULL)
    return;

  if (!sd_composer_flush (self->composer, &error))
    {
      show_error_toast (self, error);
      return;
    }
  copy = sd_post_copy (post);
  if (!sd_store_save_post (self->store, copy, &error))
    {
      show_error_toast (self, error);
      return;
    }

  sd_post_list_model_prepend (self->model, copy);
  select_post (self, sd_post_get_id (copy));
  update_list_page (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Post duplicated")));
}

static void
free_id (gpointer  id,
         GClosure *closure)
{
  g_free (id);
}

static void
toast_dismissed_cb (AdwToast *toast,
                    char     *id)
{
  SdWindow *self = g_object_get_data (G_OBJECT (toast), "window");
  g_autoptr(GError) error = NULL;

  /* Purging only removes the post if Undo did not bring it back. */
  if (self != NULL && !sd_store_purge_post (self->store, id, &error)
      && !g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not remove post %s: %s", id, error->message);
}

/* Deleting keeps the post in the trash while its Undo is on screen. */
static void
delete_post_with_undo (SdWindow   *self,
                       const char *id)
{
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!sd_store_trash_post (self->store, id, &error))
    {
      show_error_toast (self, error);
      return;
    }

  sd_post_list_model_remove (self->model, id);
  update_list_page (self);
  sd_calendar_page_reload (self->calendar_page);

  toast = adw_toast_new (_("Post deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast), "window", self);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb),
                         g_strdup (id), free_id, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
delete_post_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  g_autoptr(SdPost) post = NULL;

  if (sd_composer_get_post (self->composer) == NULL)
    return;

  post = g_object_ref (sd_composer_get_post (self->composer));
  if (!show_post (self, NULL))
    return;

  /* A post that was never saved has nothing to delete or undo. */
  if (sd_post_get_created_at (post) == 0)
    return;

  delete_post_with_undo (self, sd_post_get_id (post));
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!sd_store_restore_post (self->store, id, &error))
    {
      show_error_toast (self, error);
      return;
    }

  g_free (self->select_after_load);
  self->select_after_load = g_strdup (id);
  sd_post_list_model_reload (self->model);
  sd_calendar_page_reload (self->calendar_page);
}

/* Offline: how many posts wait to be sent */

static void
count_waiting_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  guint count = sd_store_count_waiting (task_data, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
count_waiting_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SdWindow *self = SD_WINDOW (source);
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->counting);

  if (error != NULL || count == 0)
    text = g_strdup (_("Offline — scheduled posts are sent once you are back online"));
  else
    /* Translators: shown while the computer is offline; %zd is a number of posts. */
    text = g_strdup_printf (ngettext ("Offline — %zd post waits to be sent",
                                      "Offline — %zd posts wait to be sent", count), count);
  gtk_label_set_text (self->offline_label, text);
  gtk_revealer_set_reveal_child (self->offline_revealer, TRUE);
}

static void
update_offline_banner (SdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  SdSyncEngine *engine = SD_IS_APPLICATION (app) ? sd_application_get_sync_engine (SD_APPLICATION (app)) : NULL;
  g_autoptr(GTask) task = NULL;
  gboolean online;

  /* The outbox's own idea of "online", so the window says what it does. */
  online = engine != NULL ? sd_sync_engine_get_online (engine)
                          : g_network_monitor_get_network_available (g_network_monitor_get_default ());
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  if (online)
    {
      gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
      return;
    }

  /* Counted in a worker: the store may be busy with a save. */
  self->counting = g_cancellable_new ();
  task = g_task_new (self, self->counting, count_waiting_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_waiting_thread);
}

/* Answers to the outbox (buttons in the Posts list) */

static void
outbox_done (GtkWidget  *widget,
             const char *post_id,
             GError     *error,
             const char *message)
{
  SdWindow *self = SD_WINDOW (widget);

  if (error != NULL)
    {
      show_error_toast (self, error);
      return;
    }

  sd_post_list_model_reload (self->model);
  sd_calendar_page_reload (self->calendar_page);
  sd_store_try_get_data_version (self->store, &self->data_version);
  update_offline_banner (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
retry_done (GtkWidget  *widget,
            const char *post_id,
            GError     *error)
{
  outbox_done (widget, post_id, error, _("The post will be sent again shortly"));
}

static void
confirm_done (GtkWidget  *widget,
              const char *post_id,
              GError     *error)
{
  outbox_done (widget, post_id, error, _("Marked as published"));
}

static void
retry_post_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_outbox_retry (widget, self->store, g_variant_get_string (parameter, NULL), retry_done);
}

static void
confirm_published_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_outbox_confirm_published (widget, self->store, g_variant_get_string (parameter, NULL),
                               confirm_done);
}

static void
send_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_outbox_ask_send_again (widget, self->store, g_variant_get_string (parameter, NULL), retry_done);
}

static void
edit_post_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  select_post (self, g_variant_get_string (parameter, NULL));
  sd_composer_focus_text (self->composer);
}

/* The calendar's Move to… dialog: its sends move with it. */
static void
reschedule_post_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->calendar_page), "calendar.move-to", "s",
                              g_variant_get_string (parameter, NULL));
}

static void
accounts_changed_cb (SdWindow *self)
{
  sd_composer_reload_accounts (self->composer);
  sd_inbox_view_reload_accounts (self->inbox_view);
}

/* The outbox wrote from its worker, on our own connection: no other program's
 * change to notice, so it is told here. */
static void
outbox_finished_cb (SdWindow     *self,
                    SdSyncReport *report)
{
  if (report->published + report->on_server + report->failed + report->uncertain + report->held
      + report->retrying == 0)
    return;

  sd_post_list_model_reload (self->model);
  sd_calendar_page_reload (self->calendar_page);
  sd_composer_outbox_changed (self->composer);
  /* A reply sent (or refused) shows in its conversation. */
  sd_inbox_view_reload_conversation (self->inbox_view);
  sd_store_try_get_data_version (self->store, &self->data_version);
  if (gtk_revealer_get_reveal_child (self->offline_revealer))
    update_offline_banner (self);
}

/* The inbox */

static void
inbox_reply_queued_cb (SdWindow   *self,
                       const char *post_id)
{
  SdApplication *app = SD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  /* The outbox sends it now (or when back online); its "finished" reloads the conversation. */
  if (app != NULL && sd_application_get_sync_engine (app) != NULL)
    sd_sync_engine_sync_now (sd_application_get_sync_engine (app));
  sd_store_try_get_data_version (self->store, &self->data_version);
}

static void
inbox_problem_cb (SdWindow   *self,
                  const char *message)
{
  sd_window_add_toast (self, message);
}

static void
inbox_unread_changed_cb (SdWindow *self)
{
  guint count = sd_inbox_view_get_unread_count (self->inbox_view);

  gtk_stack_page_set_needs_attention (self->inbox_stack_page, count > 0);
  sd_inbox_badge_button_set_count (self->calendar_inbox_button, count);
  sd_inbox_badge_button_set_count (self->posts_inbox_button, count);
}

/**
 * sd_window_show_message:
 * @message_id: (nullable): a message's id; NULL or "" shows the inbox only
 *
 * A notification's click: the inbox, on that message.
 */
void
sd_window_show_message (SdWindow   *self,
                        const char *message_id)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->main_stack, "inbox");
  if (message_id != NULL && *message_id != '\0')
    sd_inbox_view_show_message (self->inbox_view, message_id);
}

/* Says @text (plain, never markup) in a toast. */
void
sd_window_add_toast (SdWindow   *self,
                     const char *text)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, sd_toast_new_plain (text));
}

/* The calendar */

/* The export offers what the calendar shows: the week in Week view, else the month. */
static void
export_calendar_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  GDate first, last;

  sd_calendar_page_get_range (self->calendar_page, &first, &last);
  if (g_strcmp0 (sd_calendar_page_get_view (self->calendar_page), "week") != 0)
    {
      GDate date;

      sd_calendar_page_get_date (self->calendar_page, &date);
      g_date_set_dmy (&first, 1, g_date_get_month (&date), g_date_get_year (&date));
      last = first;
      g_date_set_day (&last, g_date_get_days_in_month (g_date_get_month (&date), g_date_get_year (&date)));
    }

  from = g_date_time_new_local (g_date_get_year (&first), g_date_get_month (&first), g_date_get_day (&first), 0, 0, 0);
  to = g_date_time_new_local (g_date_get_year (&last), g_date_get_month (&last), g_date_get_day (&last), 0, 0, 0);
  sd_export_dialog_present (GTK_WINDOW (self), self->store, self->toast_overlay, from, to);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (g_str_equal (action_name, "win.show-calendar"))
    gtk_stack_set_visible_child_name (self->main_stack, "calendar");
  else if (g_str_equal (action_name, "win.show-inbox"))
    gtk_stack_set_visible_child_name (self->main_stack, "inbox");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "posts");
}

static void
main_page_changed_cb (SdWindow *self)
{
  /* The composer may have changed what the calendar shows. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "calendar") == 0)
    {
      g_autoptr(GError) error = NULL;

      if (!sd_composer_flush (self->composer, &error))
        show_error_toast (self, error);
      sd_calendar_page_reload (self->calendar_page);
    }
  else if (self->posts_stale)
    {
      self->posts_stale = FALSE;
      sd_post_list_model_reload (self->model);
    }
}

static void
calendar_open_post_cb (SdWindow *self,
                       SdPost   *post)
{
  gtk_stack_set_visible_child_name (self->main_stack, "posts");
  if (sd_post_list_model_find (self->model, sd_post_get_id (post), NULL))
    select_post (self, sd_post_get_id (post));
  else
    {
      g_free (self->select_after_load);
      self->select_after_load = g_strdup (sd_post_get_id (post));
      show_post (self, post);
    }
  sd_composer_focus_text (self->composer);
}

static void
calendar_delete_post_cb (SdWindow   *self,
                         const char *id)
{
  SdPost *current = sd_composer_get_post (self->composer);

  if (current != NULL && g_str_equal (sd_post_get_id (current), id) && !show_post (self, NULL))
    return;
  delete_post_with_undo (self, id);
}

static void
calendar_posts_changed_cb (SdWindow *self)
{
  /* The list is read again when it is shown, not at every drag. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "posts") == 0)
    sd_post_list_model_reload (self->model);
  else
    self->posts_stale = TRUE;
  /* Our own writes do not count as another program's. */
  sd_store_try_get_data_version (self->store, &self->data_version);
  if (gtk_revealer_get_reveal_child (self->offline_revealer))
    update_offline_banner (self);
}

/**
 * sd_window_show_view:
 * @view: "month", "week", "list", "posts" or "inbox"
 * @date: (nullable): the day the calendar shows
 *
 * What `socialdesk --view --date` asks for.
 */
gboolean
sd_window_show_view (SdWindow    *self,
                     const char  *view,
                     const GDate *date)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), FALSE);

  if (date != NULL)
    sd_calendar_page_set_date (self->calendar_page, date);
  if (view == NULL)
    return TRUE;

  if (g_str_equal (view, "posts"))
    {
      gtk_stack_set_visible_child_name (self->main_stack, "posts");
      return TRUE;
    }
  if (g_str_equal (view, "inbox"))
    {
      gtk_stack_set_visible_child_name (self->main_stack, "inbox");
      return TRUE;
    }
  if (!sd_calendar_page_set_view (self->calendar_page, view))
    return FALSE;
  gtk_stack_set_visible_child_name (self->main_stack, "calendar");
  return TRUE;
}

/* Search */

static void
search_changed_cb (SdWindow *self)
{
  sd_post_list_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_list_page (self);
}

static void
stop_search_cb (SdWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* The composer */

static void
composer_saved_cb (SdWindow *self,
                   SdPost   *post)
{
  /* The first save of a new post puts it in the list. */
  if (!sd_post_list_model_find (self->model, sd_post_get_id (post), NULL))
    {
      sd_post_list_model_prepend (self->model, post);
      if (post == sd_composer_get_post (self->composer))
        select_post (self, sd_post_get_id (post));
      update_list_page (self);
    }

  /* Our own writes do not count as another program's. */
  sd_store_try_get_data_version (self->store, &self->data_version);
  update_content_title (self);
  if (gtk_revealer_get_reveal_child (self->offline_revealer))
    update_offline_banner (self);
}

/* Changes made by other programs */

static gboolean
check_external_change_cb (gpointer user_data)
{
  SdWindow *self = user_data;
  guint64 version;

  /* A save of ours holds the connection (perhaps waiting for the CLI's lock): later. */
  if (!sd_store_try_get_data_version (self->store, &version))
    return G_SOURCE_CONTINUE;

  self->external_change_id = 0;
  if (version != self->data_version)
    {
      self->data_version = version;
      sd_post_list_model_reload (self->model);
      sd_calendar_page_reload (self->calendar_page);
      sd_inbox_view_reload (self->inbox_view);
      if (gtk_revealer_get_reveal_child (self->offline_revealer))
        update_offline_banner (self);
    }

  return G_SOURCE_REMOVE;
}

static void
db_changed_cb (SdWindow          *self,
               GFile             *file,
               GFile             *other,
               GFileMonitorEvent  event)
{
  if (self->external_change_id == 0)
    self->external_change_id = g_timeout_add (EXTERNAL_CHANGE_DELAY_MS,
                                              check_external_change_cb, self);
}

static void
watch_store (SdWindow *self)
{
  g_autofree char *wal_path = g_strconcat (sd_store_get_path (self->store), "-wal", NULL);
  g_autoptr(GFile) wal = g_file_new_for_path (wal_path);
  g_autoptr(GError) error = NULL;

  self->data_version = sd_store_get_data_version (self->store);
  self->db_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->db_monitor == NULL)
    {
      g_debug ("Not watching %s: %s", wal_path, error->message);
      return;
    }

  g_signal_connect_object (self->db_monitor, "changed", G_CALLBACK (db_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Window state */

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; the window size will not be kept",
                 APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
restore_window_state (SdWindow *self)
{
  if (self->settings == NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  {
    g_autofree char *view = g_settings_get_string (self->settings, "last-view");

    if (!sd_window_show_view (self, view, NULL))
      sd_window_show_view (self, "month", NULL);
  }
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (SdWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  {
    const char *page = gtk_stack_get_visible_child_name (self->main_stack);

    g_settings_set_string (self->settings, "last-view",
                           g_strcmp0 (page, "posts") == 0 || g_strcmp0 (page, "inbox") == 0
                           ? page : sd_calendar_page_get_view (self->calendar_page));
  }
}

static gboolean
sd_window_close_request (GtkWindow *window)
{
  SdWindow *self = SD_WINDOW (window);

  g_autoptr(GError) error = NULL;

  save_window_state (self);
  if (!sd_composer_flush (self->composer, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The last change could not be saved: %s "
                                                    "Copy the text elsewhere before closing."),
                                                  error->message);
      AdwToast *toast = sd_toast_new_plain (message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (sd_window_parent_class)->close_request (window);
}

/* Life cycle */

static void
list_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  gtk_list_item_set_child (item, sd_post_row_new ());
}

static void
list_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  sd_post_row_set_post (SD_POST_ROW (gtk_list_item_get_child (item)),
                        gtk_list_item_get_item (item));
}

static void
list_item_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  sd_post_row_set_post (SD_POST_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
sd_window_constructed (GObject *object)
{
  SdWindow *self = (SdWindow *) object;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (sd_window_parent_class)->constructed (object);

  self->model = sd_post_list_model_new (self->store);
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
  g_signal_connect (factory, "bind", G_CALLBACK (list_item_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (list_item_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  sd_composer_set_store (self->composer, self->store);
  sd_calendar_page_set_store (self->calendar_page, self->store);
  sd_calendar_page_set_menu (self->calendar_page, self->primary_menu);
  sd_inbox_view_set_store (self->inbox_view, self->store);
  sd_inbox_view_set_menu (self->inbox_view, self->primary_menu);
  watch_store (self);
  g_signal_connect_object (g_network_monitor_get_default (), "notify::network-available",
                           G_CALLBACK (update_offline_banner), self, G_CONNECT_SWAPPED);
  update_offline_banner (self);
  restore_window_state (self);
  update_content_title (self);
  update_list_page (self);

  if (g_getenv ("SOCIALDESK_BENCH_CALENDAR") != NULL)
    sd_calendar_bench_start (self->calendar_page);

  /* The benchmark lists the posts only once the window has drawn and settled. */
  if (g_getenv ("SOCIALDESK_BENCH_STALLS") != NULL)
    self->stall_monitor = sd_stall_monitor_new (GTK_WINDOW (self),
                                                G_CALLBACK (sd_post_list_model_reload),
                                                self->model);
  else
    sd_post_list_model_reload (self->model);
}

static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = (SdWindow *) object;

  g_clear_handle_id (&self->external_change_id, g_source_remove);
  g_clear_object (&self->db_monitor);
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->select_after_load, g_free);
  g_clear_pointer (&self->stall_monitor, sd_stall_monitor_free);

  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SdWindow *self = SD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sd_window_constructed;
  object_class->dispose = sd_window_dispose;
  object_class->set_property = sd_window_set_property;
  window_class->close_request = sd_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SD_TYPE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SD_TYPE_COMPOSER);
  g_type_ensure (SD_TYPE_CALENDAR_PAGE);
  g_type_ensure (SD_TYPE_INBOX_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, calendar_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, inbox_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, inbox_view);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, posts_header_bar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, separator);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, post_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, offline_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, composer_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, main_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_open_post_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_delete_post_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_posts_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, inbox_reply_queued_cb);
  gtk_widget_class_bind_template_callback (widget_class, inbox_problem_cb);
  gtk_widget_class_bind_template_callback (widget_class, inbox_unread_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.new-post", NULL, new_post_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-post", NULL,
                                   duplicate_post_action);
  gtk_widget_class_install_action (widget_class, "win.delete-post", NULL, delete_post_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.show-calendar", NULL, show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-posts", NULL, show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-inbox", NULL, show_page_action);
  gtk_widget_class_install_action (widget_class, "win.export-calendar", NULL, export_calendar_action);
  gtk_widget_class_install_action (widget_class, "win.retry-post", "s", retry_post_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-published", "s", confirm_published_action);
  gtk_widget_class_install_action (widget_class, "win.send-again", "s", send_again_action);
  gtk_widget_class_install_action (widget_class, "win.edit-post", "s", edit_post_action);
  gtk_widget_class_install_action (widget_class, "win.reschedule-post", "s", reschedule_post_action);
}

static void
sd_window_init (SdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = create_settings ();
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->separator), FALSE);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->sidebar));

  self->calendar_inbox_button = sd_inbox_badge_button_new ();
  sd_calendar_page_add_header_button (self->calendar_page, self->calendar_inbox_button);
  self->posts_inbox_button = sd_inbox_badge_button_new ();
  adw_header_bar_pack_start (self->posts_header_bar, self->posts_inbox_button);
}

SdWindow *
sd_window_new (SdApplication *application,
               SdStore       *store)
{
  SdWindow *self = g_object_new (SD_TYPE_WINDOW,
                                 "application", application,
                                 "store", store,
                                 NULL);

  g_signal_connect_object (application, "accounts-changed", G_CALLBACK (accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  sd_inbox_view_set_engine (self->inbox_view, sd_application_get_inbox_engine (application));
  if (sd_application_get_sync_engine (application) != NULL)
    {
      g_signal_connect_object (sd_application_get_sync_engine (application), "finished",
                               G_CALLBACK (outbox_finished_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sd_application_get_sync_engine (application), "notify::online",
                               G_CALLBACK (update_offline_banner), self, G_CONNECT_SWAPPED);
      update_offline_banner (self);
    }
  return self;
}
