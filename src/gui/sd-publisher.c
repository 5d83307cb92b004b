/* sd-publisher.c — the app's side of publishing: the outbox engine, notifications, background
 *
 * While posts wait in the outbox and "Run in the background" is on, the
 * application is held, so closing the window does not stop publishing
 * (inside Flatpak the Background portal is asked first). "Start at login"
 * writes an autostart entry that runs `socialdesk --background` (inside
 * Flatpak: the portal's autostart).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-publisher"

#include "config.h"

#include "sd-publisher.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include <errno.h>

struct _SdPublisher
{
  GObject        parent_instance;

  GApplication  *application;   /* not owned: it owns us */
  SdSyncEngine  *engine;
  GSettings     *settings;
  gboolean       held;
  gboolean       background_start;  /* held until the first pass says whether anything waits */
  gboolean       portal_asked;
};

G_DEFINE_FINAL_TYPE (SdPublisher, sd_publisher, G_TYPE_OBJECT)

static gboolean
setting_bool (SdPublisher *self,
              const char  *key,
              gboolean     fallback)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return fallback;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key) ? g_settings_get_boolean (self->settings, key) : fallback;
}

static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* org.freedesktop.portal.Background: may this app run without a window
 * (and start at login)? The answer comes later; without it the hold stays.
 * The bus is got asynchronously: this runs on the main thread. */
static void
request_background_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  gboolean autostart = GPOINTER_TO_INT (user_data);
  GVariantBuilder options;
  const char *commandline[] = { "socialdesk", "--background", NULL };

  if (bus == NULL)
    {
      g_debug ("No session bus for the Background portal: %s", error->message);
      return;
    }
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Publish scheduled posts while the window is closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), NULL, G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL, NULL, NULL);
}

static void
ask_background_portal (SdPublisher *self,
                       gboolean     autostart)
{
  g_bus_get (G_BUS_TYPE_SESSION, NULL, request_background_cb, GINT_TO_POINTER (!!autostart));
}

static char *
autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static void
update_autostart (SdPublisher *self)
{
  gboolean wanted = setting_bool (self, "start-at-login", FALSE);
  g_autofree char *path = autostart_path ();

  if (in_flatpak ())
    {
      if (wanted)
        ask_background_portal (self, TRUE);
      return;
    }

  if (wanted)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;
      static const char entry[] =
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=SocialDesk\n"
        "Exec=socialdesk --background\n"
        "Icon=" APP_ID "\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n";

      if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (path, entry, -1, &error))
        g_warning ("Could not write %s: %s", path, error != NULL ? error->message : g_strerror (errno));
    }
  else
    g_remove (path);
}

/* Held while posts wait and the user wants publishing in the background. */
static void
update_hold (SdPublisher *self)
{
  gboolean want = sd_sync_engine_get_waiting (self->engine) > 0
                  && setting_bool (self, "run-in-background", TRUE);

  if (want && !self->held)
    {
      g_application_hold (self->application);
      self->held = TRUE;
      if (in_flatpak () && !self->portal_asked)
        {
          self->portal_asked = TRUE;
          ask_background_portal (self, setting_bool (self, "start-at-login", FALSE));
        }
    }
  else if (!want && self->held)
    {
      self->held = FALSE;
      g_application_release (self->application);
    }
}

/* Notifications */

static void
notify_published (SdPublisher  *self,
                  SdSyncReport *report)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  SdSyncEvent *first = NULL;

  for (guint i = 0; i < report->events->len && first == NULL; i++)
    {
      SdSyncEvent *event = report->events->pdata[i];

      if (event->outcome == SD_OUTCOME_DONE && !event->on_server)
        first = event;
    }
  if (first == NULL)
    return;

  if (report->published == 1)
    /* Translators: %s is a network, "Published on Mastodon". */
    title = g_strdup_printf (_("Published on %s"), sd_platform_get_info (first->platform)->display_name);
  else
    title = g_strdup_printf (ngettext ("%u post published", "%u posts published", report->published),
                             report->published);
  notification = g_notification_new (title);
  g_notification_set_body (notification, first->account_label);
  if (report->published == 1 && first->url != NULL)
    g_notification_add_button_with_target (notification, _("Open"), "app.open-uri", "s", first->url);
  g_application_send_notification (self->application, "published", notification);
}

static void
notify_failed (SdPublisher  *self,
               SdSyncReport *report)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  guint failed = report->failed + report->uncertain;

  for (guint i = 0; i < report->events->len && body == NULL; i++)
    {
      SdSyncEvent *event = report->events->pdata[i];

      if (event->outcome == SD_OUTCOME_FAILED || event->outcome == SD_OUTCOME_UNCERTAIN)
        body = g_strdup_printf ("%s: %s", event->account_label, event->message != NULL ? event->message : "");
    }
  if (failed == 0)
    return;

  {
    g_autofree char *title = g_strdup_printf (ngettext ("A post could not be published",
                                                        "%u posts could not be published", failed), failed);

    notification = g_notification_new (title);
  }
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (self->application, "failed", notification);
}

static void
notify_held (SdPublisher  *self,
             SdSyncReport *report)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  if (report->held == 0)
    return;
  title = g_strdup_printf (ngettext ("%u post missed its time", "%u posts missed their time", report->held),
                           report->held);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("SocialDesk was not running when they were due, so they were held. "
                                           "Open the calendar to send them now or reschedule them."));
  g_application_send_notification (self->application, "held", notification);
}

static void
notify_keyring (SdPublisher  *self,
                SdSyncReport *report)
{
  g_autoptr(GNotification) notification = NULL;

  if (report->keyring_error == NULL)
    return;
  notification = g_notification_new (_("Posts are waiting for the keyring"));
  g_notification_set_body (notification, report->keyring_error);
  g_application_send_notification (self->application, "keyring", notification);
}

static void
finished_cb (SdPublisher  *self,
             SdSyncReport *report)
{
  notify_published (self, report);
  notify_failed (self, report);
  notify_held (self, report);
  notify_keyring (self, report);
  update_hold (self);
}

/* Started with --background: held for the first pass only. It lets go once the
 * engine is idle again, whether the pass finished or stopped on an error (then
 * no "finished" comes), so a window-less app never lingers. */
static void
end_background_start (SdPublisher *self)
{
  if (!self->background_start || sd_sync_engine_get_busy (self->engine))
    return;

  update_hold (self);
  self->background_start = FALSE;
  g_application_release (self->application);
}

static void
uri_opened_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
open_uri_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  const char *uri = g_variant_get_string (parameter, NULL);

  if (!g_str_has_prefix (uri, "https://") && !g_str_has_prefix (uri, "http://"))
    return;
  /* Asynchronously: inside Flatpak this is a portal call. */
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, uri_opened_cb, g_strdup (uri));
}

/* As the last window goes, GtkApplication lets go of the app: hold it first
 * if posts wait (scheduled perhaps from the CLI since the last pass). */
static void
window_removed_cb (SdPublisher *self)
{
  if (gtk_application_get_windows (GTK_APPLICATION (self->application)) != NULL)
    return;
  sd_sync_engine_recount_waiting (self->engine);
  update_hold (self);
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SdPublisher *self = user_data;

  sd_sync_engine_sync_now (self->engine);
}

static void
sd_publisher_dispose (GObject *object)
{
  SdPublisher *self = (SdPublisher *) object;

  if (self->application != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self->application), "open-uri");
      g_action_map_remove_action (G_ACTION_MAP (self->application), "sync-now");
      self->application = NULL;
    }
  if (self->engine != NULL)
    {
      /* The handlers use self->application, gone above. */
      g_signal_handlers_disconnect_by_data (self->engine, self);
      sd_sync_engine_stop (self->engine);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sd_publisher_parent_class)->dispose (object);
}

static void
sd_publisher_class_init (SdPublisherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_publisher_dispose;
}

static void
sd_publisher_init (SdPublisher *self)
{
}

static void
grace_changed_cb (SdPublisher *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "missed-grace-minutes"))
    sd_sync_engine_set_grace_minutes (self->engine,
                                      (guint) MAX (g_settings_get_int (self->settings, "missed-grace-minutes"), 0));
}

SdPublisher *
sd_publisher_new (GApplication *application,
                  SdStore      *store,
                  GSettings    *settings)
{
  SdPublisher *self = g_object_new (SD_TYPE_PUBLISHER, NULL);
  static const GActionEntry actions[] = {
    { "open-uri", open_uri_activated, "s" },
    { "sync-now", sync_now_activated },
  };

  self->application = application;
  self->engine = sd_sync_engine_new (store);
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions), self);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      grace_changed_cb (self);
      g_signal_connect_object (settings, "changed::missed-grace-minutes", G_CALLBACK (grace_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::run-in-background", G_CALLBACK (update_hold), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::start-at-login", G_CALLBACK (update_autostart), self,
                               G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->engine, "finished", G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::waiting", G_CALLBACK (update_hold), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::busy", G_CALLBACK (end_background_start), self,
                           G_CONNECT_SWAPPED);
  if (GTK_IS_APPLICATION (application))
    g_signal_connect_object (application, "window-removed", G_CALLBACK (window_removed_cb), self,
                             G_CONNECT_SWAPPED);
  sd_sync_engine_start (self->engine);
  return self;
}

SdSyncEngine *
sd_publisher_get_engine (SdPublisher *self)
{
  g_return_val_if_fail (SD_IS_PUBLISHER (self), NULL);
  return self->engine;
}

void
sd_publisher_start_in_background (SdPublisher *self)
{
  g_return_if_fail (SD_IS_PUBLISHER (self));

  if (self->background_start)
    return;
  self->background_start = TRUE;
  g_application_hold (self->application);
  sd_sync_engine_sync_now (self->engine);
  /* No pass started (offline): stay only if something waits for the network. */
  end_background_start (self);
}
