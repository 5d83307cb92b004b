/* sd-preferences-window.c — Preferences: publishing, best times to post, the inbox, developer apps
 *
 * One entry row per network shows its best windows as text. Applying a row saves
 * the normal form of what was typed in the best-times setting (and refuses, in red
 * and with a toast, what cannot be read). The application keeps sd_schedule in step
 * with that setting; this window listens to the same GSettings after it, so a
 * change made elsewhere (Reset, or gsettings) shows here too. With a store, a
 * second page holds the developer apps of the OAuth networks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-developer-apps-page.h"
#include "sd-inbox-preferences-page.h"
#include "sd-preferences-window.h"
#include "sd-schedule.h"

struct _SdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  SdStore              *store;
  SdDeveloperAppsPage  *developer_apps_page;
  SdInboxPreferencesPage *inbox_page;
  AdwToast             *error_toast;   /* weak: the toast overlay owns it */

  AdwPreferencesGroup  *best_times_group;
  GtkSpinButton        *grace_spin;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  AdwEntryRow          *best_time_rows[SD_N_PLATFORMS];
  /* What each row last showed as saved, to tell a change of the setting from a row
   * being edited. */
  char                 *shown[SD_N_PLATFORMS];
};

G_DEFINE_FINAL_TYPE (SdPreferencesWindow, sd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SdPlatform
platform_of_row (SdPreferencesWindow *self,
                 AdwEntryRow         *row)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      if (self->best_time_rows[platform] == row)
        return platform;
    }

  g_return_val_if_reached (SD_N_PLATFORMS);
}

/* Saved text is not an edit: set it without revealing the apply button that typing
 * shows. */
static void
show_windows (SdPreferencesWindow *self,
              SdPlatform           platform,
              const char          *text)
{
  AdwEntryRow *row = self->best_time_rows[platform];

  adw_entry_row_set_show_apply_button (row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_entry_row_set_show_apply_button (row, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  g_free (self->shown[platform]);
  self->shown[platform] = g_strdup (text);
}

/* Rows whose network's windows changed since they were shown; with @all, every row,
 * dropping what is being typed. */
static void
refresh_rows (SdPreferencesWindow *self,
              gboolean             all)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdTimeWindow *windows;
      guint n = sd_schedule_best_windows (platform, &windows);
      g_autofree char *text = sd_schedule_format_windows (windows, n);

      if (all || g_strcmp0 (text, self->shown[platform]) != 0)
        show_windows (self, platform, text);
    }
}

static void
best_times_changed_cb (SdPreferencesWindow *self)
{
  refresh_rows (self, FALSE);
}

static void
dismiss_error (SdPreferencesWindow *self)
{
  if (self->error_toast != NULL)
    adw_toast_dismiss (self->error_toast);
}

static void
show_error (SdPreferencesWindow *self,
            const char          *message)
{
  g_autofree char *markup = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (markup);

  /* A second mistake replaces the first one's toast instead of queueing behind it. */
  dismiss_error (self);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_set_weak_pointer (&self->error_toast, toast);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* One network's text in the setting, the others' kept as they are. */
static void
save_windows (SdPreferencesWindow *self,
              SdPlatform           platform,
              const char          *text)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "best-times");
  const char *id = sd_platform_get_info (platform)->id;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      if (strcmp (key, id) != 0)
        g_variant_builder_add (&builder, "{ss}", key, value);
    }
  g_variant_builder_add (&builder, "{ss}", id, text);

  g_settings_set_value (self->settings, "best-times", g_variant_builder_end (&builder));
}

static void
best_time_applied_cb (SdPreferencesWindow *self,
                      AdwEntryRow         *row)
{
  SdPlatform platform = platform_of_row (self, row);
  g_autoptr(GArray) windows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (platform < SD_N_PLATFORMS);

  if (!sd_schedule_parse_windows (gtk_editable_get_text (GTK_EDITABLE (row)), &windows, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_error (self, error->message);
      return;
    }

  dismiss_error (self);
  text = sd_schedule_format_windows ((const SdTimeWindow *) windows->data, windows->len);
  /* At once, not only when the application hears of the new setting. */
  sd_schedule_set_best_windows (platform, (const SdTimeWindow *) windows->data, windows->len);
  show_windows (self, platform, text);
  save_windows (self, platform, text);
}

/* The red stays only as long as the text it was about. */
static void
best_time_edited_cb (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
reset_best_times_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (widget);

  dismiss_error (self);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    sd_schedule_reset_best_windows (platform);
  g_settings_reset (self->settings, "best-times");
  refresh_rows (self, TRUE);
}

static void
add_best_time_rows (SdPreferencesWindow *self)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

      /* The title is also the row's accessible name. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     sd_platform_get_info (platform)->display_name);
      adw_entry_row_set_show_apply_button (row, TRUE);
      g_signal_connect_object (row, "apply", G_CALLBACK (best_time_applied_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect (row, "changed", G_CALLBACK (best_time_edited_cb), NULL);

      adw_preferences_group_add (self->best_times_group, GTK_WIDGET (row));
      self->best_time_rows[platform] = row;
    }
}

static void
sd_preferences_window_constructed (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->constructed (object);

  /* After the application's handler, which loads the setting into sd_schedule. */
  g_signal_connect_object (self->settings, "changed::best-times",
                           G_CALLBACK (best_times_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  refresh_rows (self, TRUE);

  g_settings_bind (self->settings, "missed-grace-minutes", self->grace_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  sd_inbox_preferences_page_set_settings (self->inbox_page, self->settings);
  sd_inbox_preferences_page_set_store (self->inbox_page, self->store);

  /* Without a store there is nowhere to keep a client ID. */
  if (self->store != NULL)
    sd_developer_apps_page_set_store (self->developer_apps_page, self->store);
  else
    adw_preferences_window_remove (ADW_PREFERENCES_WINDOW (self),
                                   ADW_PREFERENCES_PAGE (self->developer_apps_page));
}

static void
sd_preferences_window_dispose (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  g_clear_weak_pointer (&self->error_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->dispose (object);
}

static void
sd_preferences_window_finalize (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    g_free (self->shown[platform]);

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->finalize (object);
}

static void
sd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_preferences_window_class_init (SdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sd_preferences_window_constructed;
  object_class->dispose = sd_preferences_window_dispose;
  object_class->finalize = sd_preferences_window_finalize;
  object_class->set_property = sd_preferences_window_set_property;

  /**
   * SdPreferencesWindow:settings:
   *
   * The application's settings (schema com.example.SocialDesk); the window edits
   * its best-times key.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SdPreferencesWindow:store:
   *
   * Where the developer apps' client IDs are kept; without one the Developer
   * Apps page is not shown.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SD_TYPE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/sd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, best_times_group);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, grace_spin);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, developer_apps_page);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, inbox_page);

  gtk_widget_class_install_action (widget_class, "preferences.reset-best-times", NULL,
                                   reset_best_times_action);
}

static void
sd_preferences_window_init (SdPreferencesWindow *self)
{
  g_type_ensure (SD_TYPE_DEVELOPER_APPS_PAGE);
  g_type_ensure (SD_TYPE_INBOX_PREFERENCES_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  add_best_time_rows (self);
}

/**
 * sd_preferences_window_new:
 * @settings: the application's settings, the same object whose changed::best-times
 *   keeps sd_schedule up to date
 * @store: (nullable): where developer apps are kept
 *
 * Returns: a new Preferences window, not yet shown
 */
SdPreferencesWindow *
sd_preferences_window_new (GSettings *settings,
                           SdStore   *store)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || SD_IS_STORE (store), NULL);

  return g_object_new (SD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "store", store,
                       NULL);
}

/**
 * sd_preferences_window_show_developer_apps:
 * @platform: the network whose app to bring into view, or %SD_N_PLATFORMS
 *
 * Turns to the Developer Apps page (Add Account sends people there when a
 * network has no app yet).
 */
void
sd_preferences_window_show_developer_apps (SdPreferencesWindow *self,
                                           SdPlatform           platform)
{
  g_return_if_fail (SD_IS_PREFERENCES_WINDOW (self));

  if (self->store == NULL)
    return;
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->developer_apps_page));
  sd_developer_apps_page_focus_network (self->developer_apps_page, platform);
}
