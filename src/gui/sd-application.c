/* sd-application.c — the application: one store, its windows and app-wide actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "accounts/sd-accounts-window.h"
#include "sd-application.h"
#include "sd-inbox-engine.h"
#include "sd-preferences-window.h"
#include "sd-publisher.h"
#include "sd-schedule.h"
#include "sd-time.h"
#include "sd-window.h"

struct _SdApplication
{
  AdwApplication  parent_instance;

  SdStore        *store;
  GError         *store_error;
  GSettings      *settings;     /* NULL when the schema is not installed */
  SdPublisher    *publisher;    /* the outbox, notifications, running in the background */
  SdInboxEngine  *inbox_engine; /* keeps the inbox fresh while the app runs */
  SdAccountsWindow *accounts_window;  /* weak: the one Accounts window, while open */
};

G_DEFINE_FINAL_TYPE (SdApplication, sd_application, ADW_TYPE_APPLICATION)

enum {
  ACCOUNTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

SdApplication *
sd_application_new (void)
{
  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/com/example/SocialDesk",
                       NULL);
}

SdStore *
sd_application_get_store (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->store;
}

SdSyncEngine *
sd_application_get_sync_engine (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->publisher != NULL ? sd_publisher_get_engine (self->publisher) : NULL;
}

SdInboxEngine *
sd_application_get_inbox_engine (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->inbox_engine;
}

/* Without its store the app can do nothing useful: say why, and name the file. */
static GtkWindow *
create_store_error_window (SdApplication *self)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("SocialDesk"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Your Posts Cannot Be Opened"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), self->store_error->message);
  gtk_widget_set_vexpand (status, TRUE);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  return GTK_WINDOW (window);
}

static void
sd_application_activate (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      if (self->store != NULL)
        window = GTK_WINDOW (sd_window_new (self, self->store));
      else
        window = create_store_error_window (self);
    }

  gtk_window_present (window);
}

/* --view and --date: checked here, so a mistake is said in the terminal that typed it. */
static gboolean
parse_start_date (const char *text,
                  GDate      *date)
{
  int year, month, day;
  char tail;

  g_date_clear (date, 1);
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 || strlen (text) != 10
      || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
is_known_view (const char *view)
{
  return g_strv_contains ((const char *const[]) { "month", "week", "list", "posts", "inbox", NULL }, view);
}

static int
sd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  const char *view = NULL, *date = NULL;
  GDate parsed;

  if (g_variant_dict_lookup (options, "view", "&s", &view) && !is_known_view (view))
    {
      /* Translators: %s is what was given after --view. */
      g_printerr (_("Unknown view “%s”: use month, week, list, posts or inbox.\n"), view);
      return 2;
    }
  if (g_variant_dict_lookup (options, "date", "&s", &date) && !parse_start_date (date, &parsed))
    {
      /* Translators: %s is what was given after --date. */
      g_printerr (_("“%s” is not a date like 2026-12-10.\n"), date);
      return 2;
    }

  return -1;
}

static int
sd_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *view = NULL, *date_text = NULL;
  GtkWindow *window;
  GDate date;

  /* At login: publish in the background, no window. */
  if (g_variant_dict_contains (options, "background") && SD_APPLICATION (app)->publisher != NULL)
    {
      sd_publisher_start_in_background (SD_APPLICATION (app)->publisher);
      return 0;
    }

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (!SD_IS_WINDOW (window))
    return 0;

  g_variant_dict_lookup (options, "view", "&s", &view);
  g_variant_dict_lookup (options, "date", "&s", &date_text);
  if (view != NULL || date_text != NULL)
    sd_window_show_view (SD_WINDOW (window), view,
                         date_text != NULL && parse_start_date (date_text, &date) ? &date : NULL);
  return 0;
}

static void
open_store (SdApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->store = sd_store_open (NULL, &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      return;
    }

  /* Posts deleted while their Undo was still on screen when the app last stopped. */
  if (!sd_store_purge_trash (self->store, sd_time_now (), &error))
    g_warning ("Could not empty the trash: %s", error->message);
}

/* The best times set in Preferences, into sd_schedule; text that cannot be read
 * (written with gsettings, say) leaves that network's defaults. */
static void
load_best_times (SdApplication *self)
{
  g_autoptr(GVariant) best_times = g_settings_get_value (self->settings, "best-times");

  sd_schedule_load_best_times (best_times);
}

static void
open_settings (SdApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GAction *preferences;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; the default best times apply "
                 "and Preferences is not available", APP_ID);
      preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), FALSE);
      preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "developer-apps");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), FALSE);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::best-times", G_CALLBACK (load_best_times),
                           self, G_CONNECT_SWAPPED);
  load_best_times (self);
}

/* The inbox engine: its settings, notifications and problems */

static void
inbox_settings_changed_cb (SdApplication *self)
{
  sd_inbox_engine_set_interval_minutes (self->inbox_engine,
                                        (guint) MAX (g_settings_get_int (self->settings, "inbox-refresh-minutes"), 0));
  sd_inbox_engine_set_with_activity (self->inbox_engine,
                                     g_settings_get_boolean (self->settings, "inbox-with-activity"));
}

static gboolean
is_notified_kind (SdMessage *message)
{
  switch (sd_message_get_kind (message))
    {
    case SD_MESSAGE_KIND_DM:
    case SD_MESSAGE_KIND_MENTION:
    case SD_MESSAGE_KIND_REPLY:
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
message_author (SdMessage *message)
{
  const char *name = sd_message_get_author_name (message);

  if (name == NULL || *name == '\0')
    name = sd_message_get_author_handle (message);
  return name != NULL && *name != '\0' ? name : _("Someone");
}

static char *
notification_title (SdMessage *message)
{
  switch (sd_message_get_kind (message))
    {
    case SD_MESSAGE_KIND_DM:
      /* Translators: a notification's title; %s is a person's name. */
      return g_strdup_printf (_("Message from %s"), message_author (message));
    case SD_MESSAGE_KIND_MENTION:
      /* Translators: a notification's title; %s is a person's name. */
      return g_strdup_printf (_("%s mentioned you"), message_author (message));
    case SD_MESSAGE_KIND_REPLY:
      /* Translators: a notification's title; %s is a person's name. */
      return g_strdup_printf (_("%s replied"), message_author (message));
    case SD_MESSAGE_KIND_COMMENT:
      /* Translators: a notification's title; %s is a person's name. */
      return g_strdup_printf (_("%s commented"), message_author (message));
    default:
      /* Translators: a notification's title; %s is a person's name. */
      return g_strdup_printf (_("New in your inbox from %s"), message_author (message));
    }
}

static void
send_inbox_notification (SdApplication *self,
                         GPtrArray     *shown)
{
  g_autoptr(GNotification) notification = NULL;
  SdMessage *first = g_ptr_array_index (shown, 0);

  if (shown->len == 1)
    {
      g_autofree char *title = notification_title (first);
      g_autofree char *body = sd_message_dup_snippet (first, 200);

      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.show-message", "s",
                                                    sd_message_get_id (first));
    }
  else
    {
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      /* Translators: a notification's title; %u is a number of messages (two or more). */
      title = g_strdup_printf (ngettext ("%u new message", "%u new messages", shown->len), shown->len);
      /* Translators: a notification's body; %1$s is a person's name, %2$u how many others wrote. */
      body = g_strdup_printf (ngettext ("From %1$s and %2$u other", "From %1$s and %2$u others",
                                        shown->len - 1),
                              message_author (first), shown->len - 1);
      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.show-message", "s", "");
    }

  g_application_send_notification (G_APPLICATION (self), "inbox", notification);
}

static gboolean
contains_message (GPtrArray *messages,
                  SdMessage *message)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (sd_message_get_id (g_ptr_array_index (messages, i)), sd_message_get_id (message)) == 0)
      return TRUE;
  return FALSE;
}

/* New DMs and mentions when the person wants them; what a rule flagged, always. */
static void
inbox_new_messages_cb (SdApplication *self,
                       GPtrArray     *messages,
                       GPtrArray     *notify)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();

  for (guint i = 0; notify != NULL && i < notify->len; i++)
    if (!contains_message (shown, g_ptr_array_index (notify, i)))
      g_ptr_array_add (shown, g_ptr_array_index (notify, i));

  if (self->settings == NULL || g_settings_get_boolean (self->settings, "inbox-notify"))
    for (guint i = 0; messages != NULL && i < messages->len; i++)
      {
        SdMessage *message = g_ptr_array_index (messages, i);

        if (is_notified_kind (message) && !contains_message (shown, message))
          g_ptr_array_add (shown, message);
      }

  if (shown->len > 0)
    send_inbox_notification (self, shown);
}

static void
inbox_problem_cb (SdApplication *self,
                  const char    *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SD_IS_WINDOW (window))
    sd_window_add_toast (SD_WINDOW (window), message);
  else
    g_debug ("Inbox: %s", message);
}

static void
start_inbox_engine (SdApplication *self)
{
  self->inbox_engine = sd_inbox_engine_new (self->store);
  if (self->settings != NULL)
    {
      inbox_settings_changed_cb (self);
      g_signal_connect_object (self->settings, "changed::inbox-refresh-minutes",
                               G_CALLBACK (inbox_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::inbox-with-activity",
                               G_CALLBACK (inbox_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->inbox_engine, "new-messages", G_CALLBACK (inbox_new_messages_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inbox_engine, "problem", G_CALLBACK (inbox_problem_cb), self,
                           G_CONNECT_SWAPPED);
  sd_inbox_engine_start (self->inbox_engine);
}

static void
sd_application_startup (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } shortcuts[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.accounts", { "<Control><Shift>a", NULL } },
    { "win.new-post", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.duplicate-post", { "<Control><Shift>d", NULL } },
    { "win.delete-post", { "<Control>Delete", NULL } },
    { "win.back", { "<Alt>Left", NULL } },
    { "win.export-calendar", { "<Control><Shift>e", NULL } },
    { "win.show-calendar", { "<Control>1", NULL } },
    { "win.show-posts", { "<Control>2", NULL } },
    { "win.show-inbox", { "<Control>3", NULL } },
  };

  G_APPLICATION_CLASS (sd_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), shortcuts[i].action,
                                           shortcuts[i].accels);
  open_settings (self);
  open_store (self);
  if (self->store != NULL)
    {
      self->publisher = sd_publisher_new (app, self->store, self->settings);
      start_inbox_engine (self);
    }
}

static void
sd_application_shutdown (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);

  /* A pass in its worker is cancelled; what it sent is already in the store. */
  g_clear_object (&self->publisher);
  if (self->inbox_engine != NULL)
    {
      sd_inbox_engine_stop (self->inbox_engine);
      g_signal_handlers_disconnect_by_data (self->inbox_engine, self);
      g_clear_object (&self->inbox_engine);
    }

  G_APPLICATION_CLASS (sd_application_parent_class)->shutdown (app);
}

static void
sd_application_finalize (GObject *object)
{
  SdApplication *self = (SdApplication *) object;

  g_clear_weak_pointer (&self->accounts_window);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sd_application_parent_class)->finalize (object);
}

static void
sd_application_class_init (SdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sd_application_finalize;
  app_class->activate = sd_application_activate;
  app_class->handle_local_options = sd_application_handle_local_options;
  app_class->command_line = sd_application_command_line;
  app_class->startup = sd_application_startup;
  app_class->shutdown = sd_application_shutdown;

  /* An account was added, signed in again or removed (in Accounts). */
  signals[ACCOUNTS_CHANGED] =
    g_signal_new ("accounts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static gpointer
ref_window (gconstpointer window,
            gpointer      user_data)
{
  return g_object_ref ((gpointer) window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows;

  /* Closing (rather than quitting outright) lets each window save what is being typed.
   * A copy: closing a window takes it out of the application's list. */
  windows = g_list_copy_deep (gtk_application_get_windows (app), ref_window, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "SocialDesk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("SocialDesk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("SocialDesk developers"),
                        "developers", developers,
                        "comments", _("Plan, write and publish your brand's social media posts, "
                                      "online or off."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static SdPreferencesWindow *
open_preferences (SdApplication *self)
{
  SdPreferencesWindow *preferences = sd_preferences_window_new (self->settings, self->store);

  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
  return preferences;
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  open_preferences (user_data);
}

/* Preferences on its Developer Apps page; the parameter is a network's id
 * ("youtube") to bring into view, or "". */
static void
developer_apps_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  SdApplication *self = user_data;
  SdPlatform platform = SD_N_PLATFORMS;

  if (self->settings == NULL || self->store == NULL)
    return;
  if (!sd_platform_from_id (g_variant_get_string (parameter, NULL), &platform))
    platform = SD_N_PLATFORMS;
  sd_preferences_window_show_developer_apps (open_preferences (self), platform);
}

static void
accounts_changed_cb (SdApplication *self)
{
  g_signal_emit (self, signals[ACCOUNTS_CHANGED], 0);
}

static void
accounts_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SdApplication *self = user_data;
  SdAccountsWindow *window;

  if (self->store == NULL)
    return;

  if (self->accounts_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->accounts_window));
      return;
    }

  window = sd_accounts_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   self->store);
  g_signal_connect_object (window, "accounts-changed", G_CALLBACK (accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->accounts_window, window);
  gtk_window_present (GTK_WINDOW (window));
}

/* A notification's click; "" opens the inbox without a message. */
static void
show_message_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  GApplication *app = user_data;
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (SD_IS_WINDOW (window))
    sd_window_show_message (SD_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-message", show_message_activated, "s" },
  { "quit", quit_activated },
  { "accounts", accounts_activated },
  { "preferences", preferences_activated },
  { "developer-apps", developer_apps_activated, "s" },
  { "about", about_activated },
};

static void
sd_application_init (SdApplication *self)
{
  static const GOptionEntry options[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open on this view: month, week, list, posts or inbox"), N_("VIEW") },
    { "date", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the calendar on this day (YYYY-MM-DD)"), N_("DATE") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Publish scheduled posts without opening a window (used at login)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}
