/* sd-export-dialog.c — asks which days and networks to export as an iCalendar file
 *
 * The dialog only asks; once the file is chosen it is gone, and the export
 * (list the posts off the main thread, pick them, write the file) ends with a
 * toast on the window. g_file_replace writes a new file beside an existing one
 * and renames it over it when complete: a failed export leaves the old file whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-export-dialog.h"
#include "sd-toast.h"
#include "sd-ics.h"
#include "sd-time.h"

#define NETWORK_COLUMNS 3

struct _SdExportDialog
{
  AdwMessageDialog  parent_instance;

  SdStore          *store;
  AdwToastOverlay  *toasts;
  GDateTime        *from;   /* the first day, at its local midnight */
  GDateTime        *to;     /* the last day (inclusive), at its local midnight */

  GtkMenuButton    *from_button;
  GtkCalendar      *from_calendar;
  GtkMenuButton    *to_button;
  GtkCalendar      *to_calendar;
  GtkGrid          *network_grid;
  GtkLabel         *problem_label;
  GtkCheckButton   *network_checks[SD_N_PLATFORMS];

  gboolean          showing_day;
};

G_DEFINE_FINAL_TYPE (SdExportDialog, sd_export_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Writing the file */

typedef struct
{
  SdPlatformSet  networks;
  GFile         *file;
  guint          n_posts;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
contents_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
posts_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GBytes) contents = NULL;
  char *ics;
  GError *error = NULL;

  posts = sd_store_list_posts_finish (SD_STORE (object), result, &error);
  if (posts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  chosen = sd_ics_select_posts (posts, data->networks);
  data->n_posts = chosen->len;
  ics = sd_ics_from_posts (chosen, sd_time_now ());
  contents = g_bytes_new_take (ics, strlen (ics));

  g_file_replace_contents_bytes_async (data->file, contents, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), contents_written_cb,
                                       g_object_ref (task));
}

/* Writes the posts of @query meant for any of @networks to @file. */
static void
export_calendar_async (SdStore             *store,
                       const SdPostQuery   *query,
                       SdPlatformSet        networks,
                       GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data = g_new0 (ExportData, 1);

  data->networks = networks;
  data->file = g_object_ref (file);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, export_calendar_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  sd_store_list_posts_async (store, query, cancellable, posts_listed_cb, g_object_ref (task));
}

/* Returns FALSE on error; else @n_posts is the number of events written. */
static gboolean
export_calendar_finish (SdStore       *store,
                        GAsyncResult  *result,
                        guint         *n_posts,
                        GError       **error)
{
  ExportData *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (n_posts != NULL)
    *n_posts = data->n_posts;
  return TRUE;
}

/* What the export needs after the dialog has gone */

typedef struct
{
  SdStore         *store;
  AdwToastOverlay *toasts;
  SdPostQuery      query;
  SdPlatformSet    networks;
  GFile           *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->store);
  g_clear_object (&job->toasts);
  g_clear_object (&job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static char *
display_name_of (GFile *file)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *parse_name = NULL;

  if (path != NULL)
    return g_filename_display_basename (path);

  parse_name = g_file_get_parse_name (file);
  return g_path_get_basename (parse_name);
}

/* The reason, for "Could not export to “%s”: %s"; GIO's own messages repeat the whole path. */
static char *
describe_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_PERMISSION_DENIED:
        return g_strdup (_("you may not write there"));
      case G_IO_ERROR_NOT_FOUND:
        return g_strdup (_("that folder does not exist"));
      case G_IO_ERROR_NO_SPACE:
        return g_strdup (_("the disk is full"));
      case G_IO_ERROR_READ_ONLY:
        return g_strdup (_("the disk is read-only"));
      case G_IO_ERROR_IS_DIRECTORY:
        return g_strdup (_("a folder has that name"));
      default:
        break;
      }

  return g_strdup (error->message);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = display_name_of (job->file);
  g_autofree char *message = NULL;
  AdwToast *toast;
  guint n_posts = 0;

  if (!export_calendar_finish (SD_STORE (object), result, &n_posts, &error))
    {
      g_autofree char *reason = describe_error (error);

      g_debug ("Export to %s failed: %s", name, error->message);
      /* Translators: the first %s is a file name, the second why it could not be written. */
      message = g_strdup_printf (_("Could not export to “%s”: %s"), name, reason);
      toast = sd_toast_new_plain (message);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
    }
  else if (n_posts == 0)
    {
      toast = adw_toast_new (_("No planned posts in that range; the file has no events."));
    }
  else
    {
      /* Translators: %u is a number of posts, %s a file name. */
      message = g_strdup_printf (ngettext ("Exported %u post to “%s”", "Exported %u posts to “%s”",
                                           n_posts),
                                 n_posts, name);
      toast = sd_toast_new_plain (message);
    }

  adw_toast_overlay_add_toast (job->toasts, toast);
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                ExportJob       *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      job->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      export_calendar_async (job->store, &job->query, job->networks, job->file, NULL,
                             exported_cb, job);
    }
  else
    {
      export_job_free (job);
    }

  g_object_unref (chooser);
}

/* The dialog */

static GDateTime *
local_time_on (GDateTime *day,
               int        hour,
               int        minute,
               int        second)
{
  return g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day), hour, minute, second);
}

static SdPlatformSet
chosen_networks (SdExportDialog *self)
{
  SdPlatformSet networks = 0;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    if (gtk_check_button_get_active (self->network_checks[platform]))
      networks |= 1u << platform;
  return networks;
}

static void
update_problem (SdExportDialog *self)
{
  const char *problem = NULL;

  if (g_date_time_compare (self->to, self->from) < 0)
    problem = _("“To” is before “From”: choose a later day to end on.");
  else if (chosen_networks (self) == 0)
    problem = _("Choose at least one network.");

  gtk_label_set_label (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "export", problem == NULL);
}

static void
update_date_button (GtkMenuButton *button,
                    GDateTime     *day)
{
  /* Translators: a day on the export dialog's From and To buttons, see g_date_time_format(). */
  g_autofree char *label = g_date_time_format (day, _("%-d %B %Y"));

  gtk_menu_button_set_label (button, label);
}

static void
set_day (SdExportDialog  *self,
         GDateTime      **day,
         GDateTime       *new_day)
{
  g_clear_pointer (day, g_date_time_unref);
  *day = local_time_on (new_day, 0, 0, 0);
  update_date_button (self->from_button, self->from);
  update_date_button (self->to_button, self->to);
  update_problem (self);
}

static void
from_day_selected_cb (SdExportDialog *self)
{
  g_autoptr(GDateTime) day = NULL;

  if (self->showing_day)
    return;

  day = gtk_calendar_get_date (self->from_calendar);

  set_day (self, &self->from, day);
  gtk_menu_button_popdown (self->from_button);
}

static void
to_day_selected_cb (SdExportDialog *self)
{
  g_autoptr(GDateTime) day = NULL;

  if (self->showing_day)
    return;

  day = gtk_calendar_get_date (self->to_calendar);

  set_day (self, &self->to, day);
  gtk_menu_button_popdown (self->to_button);
}

/* Shows the chosen day in a calendar, which says "day-selected" as if a person had
 * picked it: that must not close the popover that is opening. */
static void
show_day (SdExportDialog *self,
          GtkCalendar    *calendar,
          GDateTime      *day)
{
  self->showing_day = TRUE;
  gtk_calendar_select_day (calendar, day);
  self->showing_day = FALSE;
}

/* A calendar left on another month shows the chosen day again when it opens. */
static void
from_popover_show_cb (SdExportDialog *self)
{
  show_day (self, self->from_calendar, self->from);
}

static void
to_popover_show_cb (SdExportDialog *self)
{
  show_day (self, self->to_calendar, self->to);
}

/* The calendar takes the keyboard at once: the first arrow key moves among the days. */
static void
calendar_map_cb (GtkWidget *calendar)
{
  gtk_widget_grab_focus (calendar);
}

static void
add_network_checks (SdExportDialog *self)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (sd_platform_get_info (platform)->display_name);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (update_problem), self,
                               G_CONNECT_SWAPPED);
      gtk_grid_attach (self->network_grid, check, platform % NETWORK_COLUMNS,
                       platform / NETWORK_COLUMNS, 1, 1);
      self->network_checks[platform] = GTK_CHECK_BUTTON (check);
    }
}

static char *
suggested_file_name (SdExportDialog *self)
{
  g_autofree char *from = g_date_time_format (self->from, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (self->to, "%Y-%m-%d");

  return g_strdup_printf ("socialdesk-%s-to-%s.ics", from, to);
}

static ExportJob *
export_job_new (SdExportDialog *self)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  g_autoptr(GDateTime) last_second = local_time_on (self->to, 23, 59, 59);

  job->store = g_object_ref (self->store);
  job->toasts = g_object_ref (self->toasts);
  job->networks = chosen_networks (self);
  /* Whole local days; a range leaves out the posts without a time. */
  job->query.has_range = TRUE;
  job->query.from = g_date_time_to_unix (self->from);
  job->query.to = g_date_time_to_unix (last_second);
  return job;
}

static void
choose_file (SdExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = suggested_file_name (self);

  /* The dialog closes now; the chooser and the export belong to its window. */
  chooser = gtk_file_chooser_native_new (_("Export Calendar"),
                                         gtk_window_get_transient_for (GTK_WINDOW (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("iCalendar files"));
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), export_job_new (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
sd_export_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (dialog);

  if (g_strcmp0 (response, "export") == 0)
    choose_file (self);

  if (ADW_MESSAGE_DIALOG_CLASS (sd_export_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (sd_export_dialog_parent_class)->response (dialog, response);
}

static void
sd_export_dialog_dispose (GObject *object)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->toasts);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);

  G_OBJECT_CLASS (sd_export_dialog_parent_class)->dispose (object);
}

static void
sd_export_dialog_class_init (SdExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = sd_export_dialog_dispose;
  dialog_class->response = sd_export_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/sd-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, from_button);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, to_button);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, network_grid);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, from_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, to_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, from_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, to_popover_show_cb);
}

static void
sd_export_dialog_init (SdExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_network_checks (self);
}

/**
 * sd_export_dialog_present:
 * @parent: the window the dialog and the file chooser belong to
 * @store: where the posts are
 * @toasts: where the outcome is told
 * @from: (nullable): the first day to preselect, in local time; %NULL for the current month's first
 * @to: (nullable): the last day to preselect (inclusive); %NULL for the current month's last
 *
 * Asks for a range of days and some networks, then for a file, and writes the
 * planned posts there as an iCalendar file, one event per post.
 */
void
sd_export_dialog_present (GtkWindow       *parent,
                          SdStore         *store,
                          AdwToastOverlay *toasts,
                          GDateTime       *from,
                          GDateTime       *to)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_start = NULL;
  g_autoptr(GDateTime) next_month = NULL;
  g_autoptr(GDateTime) month_end = NULL;
  SdExportDialog *self;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (SD_IS_STORE (store));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (toasts));

  month_start = g_date_time_add_days (now, 1 - g_date_time_get_day_of_month (now));
  next_month = g_date_time_add_months (month_start, 1);
  month_end = g_date_time_add_days (next_month, -1);

  self = g_object_new (SD_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->toasts = g_object_ref (toasts);
  self->from = local_time_on (from != NULL ? from : month_start, 0, 0, 0);
  self->to = local_time_on (to != NULL ? to : month_end, 0, 0, 0);
  update_date_button (self->from_button, self->from);
  update_date_button (self->to_button, self->to);
  update_problem (self);

  gtk_window_present (GTK_WINDOW (self));
}
