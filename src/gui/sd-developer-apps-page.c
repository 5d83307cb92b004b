/* sd-developer-apps-page.c — Preferences → Developer Apps: the app registered with each OAuth network
 *
 * One group per network that signs in through the person's own developer app:
 * what to register there, the client ID (kept in the store when applied or
 * when the row loses focus), the client secret where the network has one
 * (kept in the keyring by a worker and never shown back: the row only says it
 * is kept, and offers to replace or remove it), the redirect URI to register
 * with a Copy button, and a link to the network's developer site.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-developer-apps"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-developer-apps-page.h"
#include "sd-network.h"
#include "sd-secrets.h"
#include "sd-toast.h"

/* The order of the page: the networks people ask for most first. */
static const SdPlatform networks[] = {
  SD_PLATFORM_X,
  SD_PLATFORM_FACEBOOK,
  SD_PLATFORM_INSTAGRAM,
  SD_PLATFORM_LINKEDIN,
  SD_PLATFORM_THREADS,
  SD_PLATFORM_YOUTUBE,
  SD_PLATFORM_TIKTOK,
};

typedef enum
{
  SECRET_UNKNOWN,     /* the keyring is being asked */
  SECRET_NONE,
  SECRET_KEPT,
  SECRET_UNAVAILABLE, /* no keyring to ask */
} SecretState;

typedef struct
{
  SdPlatform           platform;
  AdwPreferencesGroup *group;
  AdwEntryRow         *id_row;
  AdwEntryRow         *secret_row;     /* an AdwPasswordEntryRow; NULL without a secret */
  GtkLabel            *secret_label;
  GtkWidget           *secret_spinner;
  GtkWidget           *remove_button;
  char                *saved_id;
  SecretState          secret;
  gboolean             busy;           /* the keyring is being written */
} NetworkApp;

struct _SdDeveloperAppsPage
{
  AdwPreferencesPage  parent_instance;

  SdStore            *store;
  GCancellable       *cancellable;
  AdwToast           *error_toast;    /* weak: the overlay owns it */
  SdPlatform          focus_platform; /* the group to scroll to once laid out */
  guint               scroll_tick;
  NetworkApp          apps[SD_N_PLATFORMS];
};

G_DEFINE_FINAL_TYPE (SdDeveloperAppsPage, sd_developer_apps_page, ADW_TYPE_PREFERENCES_PAGE)

/* What to register, in a sentence or two; the README's table says more. */
static const char *
explanation (SdPlatform platform)
{
  switch (platform)
    {
    case SD_PLATFORM_X:
      return _("In the X Developer Portal, create a project with an app that uses OAuth 2.0, of type "
               "Native App. It has no client secret.");
    case SD_PLATFORM_FACEBOOK:
      return _("At Meta for Developers, create a Business app with Facebook Login. After signing in "
               "you choose which of your Pages SocialDesk posts to.");
    case SD_PLATFORM_INSTAGRAM:
      return _("At Meta for Developers, create an app with the Instagram API with Instagram Login. "
               "It needs a professional (Business or Creator) Instagram account.");
    case SD_PLATFORM_LINKEDIN:
      return _("In the LinkedIn Developer Portal, create an app with the products Share on LinkedIn "
               "and Sign In with LinkedIn using OpenID Connect.");
    case SD_PLATFORM_THREADS:
      return _("At Meta for Developers, create an app with the Access the Threads API use case.");
    case SD_PLATFORM_YOUTUBE:
      return _("In the Google Cloud console, enable the YouTube Data API v3 and create an OAuth "
               "client of type Desktop app.");
    case SD_PLATFORM_TIKTOK:
      return _("At TikTok for Developers, create an app with Login Kit and the Content Posting API "
               "on the Desktop platform. Until TikTok audits the app, it can only post privately.");
    case SD_PLATFORM_BLUESKY:
    case SD_PLATFORM_MASTODON:
    case SD_N_PLATFORMS:
    default:
      g_return_val_if_reached ("");
    }
}

static const char *
network_name (SdPlatform platform)
{
  return sd_platform_get_info (platform)->display_name;
}

/* Toasts */

static void
add_toast (SdDeveloperAppsPage *self,
           AdwToast            *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_done (SdDeveloperAppsPage *self,
           const char          *message)
{
  AdwToast *toast = sd_toast_new_plain (message);

  adw_toast_set_timeout (toast, 3);
  add_toast (self, toast);
}

/* An error stays until dismissed: a secret that was not kept must not go unnoticed. */
static void
show_error (SdDeveloperAppsPage *self,
            const char          *message)
{
  AdwToast *toast = sd_toast_new_plain (message);

  if (self->error_toast != NULL)
    adw_toast_dismiss (self->error_toast);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  g_set_weak_pointer (&self->error_toast, toast);
  add_toast (self, toast);
}

/* Client ID */

static NetworkApp *
app_of_row (SdDeveloperAppsPage *self,
            GtkWidget           *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      NetworkApp *app = &self->apps[networks[i]];

      if (GTK_WIDGET (app->id_row) == row || GTK_WIDGET (app->secret_row) == row
          || app->remove_button == row)
        return app;
    }

  g_return_val_if_reached (NULL);
}

/* Saved text is not an edit: no apply button for it. */
static void
show_client_id (NetworkApp *app,
                const char *client_id)
{
  adw_entry_row_set_show_apply_button (app->id_row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (app->id_row), client_id != NULL ? client_id : "");
  adw_entry_row_set_show_apply_button (app->id_row, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (app->id_row), "error");
  g_free (app->saved_id);
  app->saved_id = g_strdup (client_id != NULL ? client_id : "");
}

static void
save_client_id (SdDeveloperAppsPage *self,
                NetworkApp          *app)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (app->id_row))));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->store == NULL || g_strcmp0 (text, app->saved_id) == 0)
    return;

  if (!sd_store_set_network_app (self->store, app->platform, text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (app->id_row), "error");
      /* Translators: %s is a network's name, then the reason. */
      message = g_strdup_printf (_("The %s client ID was not saved: %s"), network_name (app->platform),
                                 error->message);
      show_error (self, message);
      return;
    }

  show_client_id (app, text);
  if (text[0] != '\0')
    /* Translators: %s is a network's name. */
    message = g_strdup_printf (_("%s client ID saved"), network_name (app->platform));
  else
    /* Translators: %s is a network's name. */
    message = g_strdup_printf (_("%s client ID removed"), network_name (app->platform));
  show_done (self, message);
}

static void
client_id_applied_cb (SdDeveloperAppsPage *self,
                      AdwEntryRow         *row)
{
  save_client_id (self, app_of_row (self, GTK_WIDGET (row)));
}

static void
client_id_left_cb (GtkEventControllerFocus *controller,
                   SdDeveloperAppsPage     *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  save_client_id (self, app_of_row (self, row));
}

/* Client secret: in the keyring, by a worker */

static void
show_secret_state (NetworkApp *app)
{
  const char *text;

  if (app->secret_row == NULL)
    return;

  switch (app->secret)
    {
    case SECRET_KEPT:
      text = _("Kept in the keyring");
      break;
    case SECRET_UNAVAILABLE:
      text = _("No keyring");
      break;
    case SECRET_UNKNOWN:
      text = _("Checking the keyring…");
      break;
    case SECRET_NONE:
    default:
      text = _("Not set");
      break;
    }

  gtk_label_set_text (app->secret_label, text);
  if (app->secret == SECRET_UNAVAILABLE)
    gtk_widget_add_css_class (GTK_WIDGET (app->secret_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (app->secret_label), "error");
  gtk_widget_set_visible (app->secret_spinner, app->busy || app->secret == SECRET_UNKNOWN);
  gtk_spinner_set_spinning (GTK_SPINNER (app->secret_spinner), app->busy || app->secret == SECRET_UNKNOWN);
  gtk_widget_set_visible (app->remove_button, app->secret == SECRET_KEPT);
  gtk_widget_set_sensitive (app->remove_button, !app->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (app->secret_row), !app->busy);
  /* Typing replaces a kept secret; the title says so. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (app->secret_row),
                                 app->secret == SECRET_KEPT ? _("New Client Secret") : _("Client Secret"));
}

typedef struct
{
  SdPlatform  platform;
  char       *secret;   /* NULL: remove it */
} SecretJob;

static void
secret_job_free (SecretJob *job)
{
  if (job->secret != NULL)
    {
      memset (job->secret, 0, strlen (job->secret));
      g_free (job->secret);
    }
  g_free (job);
}

static void
write_secret_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->secret != NULL)
    ok = sd_secrets_store_network_app (job->platform, job->secret, cancellable, &error);
  else
    ok = sd_secrets_clear_network_app (job->platform, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_secret_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SdDeveloperAppsPage *self = SD_DEVELOPER_APPS_PAGE (source);
  SecretJob *job = g_task_get_task_data (G_TASK (result));
  NetworkApp *app = &self->apps[job->platform];
  const char *name = network_name (job->platform);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  app->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_add_css_class (GTK_WIDGET (app->secret_row), "error");
      if (job->secret != NULL)
        /* Translators: %s is a network's name, then why the keyring refused it. */
        message = g_strdup_printf (_("The %s client secret was not kept: %s"), name, error->message);
      else
        /* Translators: %s is a network's name, then why the keyring refused it. */
        message = g_strdup_printf (_("The %s client secret was not removed: %s"), name, error->message);
      show_error (self, message);
      show_secret_state (app);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (app->secret_row), "error");
  app->secret = job->secret != NULL ? SECRET_KEPT : SECRET_NONE;
  if (job->secret != NULL)
    {
      /* Never shown back: the row empties once the keyring has it. */
      adw_entry_row_set_show_apply_button (app->secret_row, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (app->secret_row), "");
      adw_entry_row_set_show_apply_button (app->secret_row, TRUE);
      /* Translators: %s is a network's name. */
      message = g_strdup_printf (_("%s client secret kept in the keyring"), name);
    }
  else
    /* Translators: %s is a network's name. */
    message = g_strdup_printf (_("%s client secret removed from the keyring"), name);
  show_secret_state (app);
  show_done (self, message);
}

static void
write_secret (SdDeveloperAppsPage *self,
              NetworkApp          *app,
              const char          *secret)
{
  g_autoptr(GTask) task = NULL;
  SecretJob *job;

  if (app->busy)
    return;

  job = g_new0 (SecretJob, 1);
  job->platform = app->platform;
  job->secret = g_strdup (secret);
  app->busy = TRUE;
  show_secret_state (app);

  task = g_task_new (self, self->cancellable, write_secret_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) secret_job_free);
  g_task_run_in_thread (task, write_secret_thread);
}

static void
save_secret (SdDeveloperAppsPage *self,
             NetworkApp          *app)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (app->secret_row));
  g_autofree char *secret = g_strstrip (g_strdup (text));

  if (secret[0] != '\0')
    write_secret (self, app, secret);
  memset (secret, 0, strlen (secret));
}

static void
secret_applied_cb (SdDeveloperAppsPage *self,
                   AdwEntryRow         *row)
{
  save_secret (self, app_of_row (self, GTK_WIDGET (row)));
}

static void
secret_left_cb (GtkEventControllerFocus *controller,
                SdDeveloperAppsPage     *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  save_secret (self, app_of_row (self, row));
}

static void
secret_edited_cb (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
remove_secret_cb (SdDeveloperAppsPage *self,
                  GtkButton           *button)
{
  write_secret (self, app_of_row (self, GTK_WIDGET (button)), NULL);
}

/* Which networks have a secret in the keyring: one worker asks for all of them. */
static void
lookup_secrets_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SdPlatformSet kept = 0;

  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      const SdNetworkInfo *info = sd_network_get_info (networks[i]);
      GError *error = NULL;
      char *secret;

      if (info == NULL || !info->needs_client_secret)
        continue;

      secret = sd_secrets_lookup_network_app (networks[i], cancellable, &error);
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      if (secret != NULL)
        {
          kept |= 1u << networks[i];
          memset (secret, 0, strlen (secret));
          g_free (secret);
        }
    }

  g_task_return_int (task, kept);
}

static void
lookup_secrets_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SdDeveloperAppsPage *self = SD_DEVELOPER_APPS_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize kept = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      NetworkApp *app = &self->apps[networks[i]];

      if (app->secret_row == NULL)
        continue;
      if (error != NULL)
        app->secret = SECRET_UNAVAILABLE;
      else
        app->secret = sd_platform_set_contains ((SdPlatformSet) kept, app->platform) ? SECRET_KEPT : SECRET_NONE;
      show_secret_state (app);
    }

  if (error != NULL)
    {
      /* Translators: %s says why the keyring could not be read. */
      g_autofree char *message = g_strdup_printf (_("The keyring could not be read, so client secrets "
                                                    "cannot be kept: %s"), error->message);

      show_error (self, message);
    }
}

/* Redirect URI and developer site */

static void
copy_redirect_cb (SdDeveloperAppsPage *self)
{
  g_autofree char *uri = sd_network_redirect_uri ();

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), uri);
  show_done (self, _("Redirect URI copied"));
}

static void
uri_launched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_debug ("Could not open the developer site: %s", error->message);
}

/* Through the application's open-uri when it has one (it is there with the
 * store), else straight away; asynchronously either way, a portal in Flatpak. */
static void
open_uri (const char *uri)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL && g_action_group_has_action (G_ACTION_GROUP (application), "open-uri"))
    g_action_group_activate_action (G_ACTION_GROUP (application), "open-uri", g_variant_new_string (uri));
  else
    g_app_info_launch_default_for_uri_async (uri, NULL, NULL, uri_launched_cb, NULL);
}

static void
register_activated_cb (AdwActionRow *row)
{
  open_uri (g_object_get_data (G_OBJECT (row), "uri"));
}

/* Building the groups */

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : url);
}

static GtkWidget *
redirect_row (SdDeveloperAppsPage *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  g_autofree char *uri = sd_network_redirect_uri ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Redirect URI to Register"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), uri);
  gtk_widget_add_css_class (row, "property");
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy Redirect URI"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy Redirect URI"), -1);
  g_signal_connect_object (copy, "clicked", G_CALLBACK (copy_redirect_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  return row;
}

static GtkWidget *
register_row (const SdNetworkInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");
  g_autofree char *host = host_of (info->register_url);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Register an App"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), host);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  g_object_set_data_full (G_OBJECT (row), "uri", g_strdup (info->register_url), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (register_activated_cb), NULL);
  return row;
}

static void
add_focus_leave (GtkWidget *row,
                 GCallback  callback,
                 gpointer   self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "leave", callback, self, 0);
  gtk_widget_add_controller (row, focus);
}

static void
add_secret_row (SdDeveloperAppsPage *self,
                NetworkApp          *app)
{
  GtkWidget *row = adw_password_entry_row_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: %s is a network's name. */
  g_autofree char *remove_label = g_strdup_printf (_("Remove the %s Client Secret"),
                                                   network_name (app->platform));

  app->secret_row = ADW_ENTRY_ROW (row);
  app->secret_label = GTK_LABEL (label);
  app->secret_spinner = spinner;
  app->remove_button = remove;
  app->secret = SECRET_UNKNOWN;

  adw_entry_row_set_show_apply_button (app->secret_row, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  adw_entry_row_add_suffix (app->secret_row, spinner);
  adw_entry_row_add_suffix (app->secret_row, label);
  adw_entry_row_add_suffix (app->secret_row, remove);

  g_signal_connect_object (row, "apply", G_CALLBACK (secret_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (row, "changed", G_CALLBACK (secret_edited_cb), NULL);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_secret_cb), self, G_CONNECT_SWAPPED);
  add_focus_leave (row, G_CALLBACK (secret_left_cb), self);

  adw_preferences_group_add (app->group, row);
  show_secret_state (app);
}

static void
add_network_group (SdDeveloperAppsPage *self,
                   SdPlatform           platform)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  NetworkApp *app = &self->apps[platform];
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *id_row = adw_entry_row_new ();

  app->platform = platform;
  app->group = ADW_PREFERENCES_GROUP (group);
  adw_preferences_group_set_title (app->group, network_name (platform));
  adw_preferences_group_set_description (app->group, explanation (platform));

  app->id_row = ADW_ENTRY_ROW (id_row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (id_row),
                                 g_str_equal (info->client_id_param, "client_key")
                                 ? _("Client Key") : _("Client ID"));
  adw_entry_row_set_show_apply_button (app->id_row, TRUE);
  g_signal_connect_object (id_row, "apply", G_CALLBACK (client_id_applied_cb), self, G_CONNECT_SWAPPED);
  add_focus_leave (id_row, G_CALLBACK (client_id_left_cb), self);
  adw_preferences_group_add (app->group, id_row);

  if (info->needs_client_secret)
    add_secret_row (self, app);

  adw_preferences_group_add (app->group, redirect_row (self));
  adw_preferences_group_add (app->group, register_row (info));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), app->group);
}

/**
 * sd_developer_apps_page_set_store:
 *
 * Shows the client IDs @store keeps, and asks the keyring (in a worker) which
 * networks have a client secret.
 */
void
sd_developer_apps_page_set_store (SdDeveloperAppsPage *self,
                                  SdStore             *store)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_DEVELOPER_APPS_PAGE (self));
  g_return_if_fail (SD_IS_STORE (store));

  g_set_object (&self->store, store);
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *client_id = sd_store_dup_network_app (store, networks[i], &error);

      if (error != NULL)
        g_warning ("Could not read the %s developer app: %s", network_name (networks[i]), error->message);
      show_client_id (&self->apps[networks[i]], client_id);
    }

  task = g_task_new (self, self->cancellable, lookup_secrets_done_cb, NULL);
  g_task_run_in_thread (task, lookup_secrets_thread);
}

static gboolean
scroll_to_network_cb (GtkWidget     *widget,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  SdDeveloperAppsPage *self = SD_DEVELOPER_APPS_PAGE (widget);
  GtkWidget *group = GTK_WIDGET (self->apps[self->focus_platform].group);
  GtkWidget *scrolled = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  graphene_point_t top;

  if (scrolled == NULL || gtk_widget_get_height (group) == 0)
    return G_SOURCE_CONTINUE;

  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (gtk_widget_compute_point (group, content, &GRAPHENE_POINT_INIT (0, 0), &top))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                              MAX (top.y - 12, 0));
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Brings @platform's group into view, its client ID focused. */
void
sd_developer_apps_page_focus_network (SdDeveloperAppsPage *self,
                                      SdPlatform           platform)
{
  NetworkApp *app;

  g_return_if_fail (SD_IS_DEVELOPER_APPS_PAGE (self));

  if (platform >= SD_N_PLATFORMS || self->apps[platform].group == NULL)
    return;

  app = &self->apps[platform];
  gtk_widget_grab_focus (GTK_WIDGET (app->id_row));
  /* The page is laid out only once shown: scroll the group into view then. */
  self->focus_platform = platform;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_network_cb, NULL, NULL);
}

static void
sd_developer_apps_page_dispose (GObject *object)
{
  SdDeveloperAppsPage *self = SD_DEVELOPER_APPS_PAGE (object);

  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->error_toast);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_DEVELOPER_APPS_PAGE);

  G_OBJECT_CLASS (sd_developer_apps_page_parent_class)->dispose (object);
}

static void
sd_developer_apps_page_finalize (GObject *object)
{
  SdDeveloperAppsPage *self = SD_DEVELOPER_APPS_PAGE (object);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    g_free (self->apps[platform].saved_id);

  G_OBJECT_CLASS (sd_developer_apps_page_parent_class)->finalize (object);
}

static void
sd_developer_apps_page_class_init (SdDeveloperAppsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_developer_apps_page_dispose;
  object_class->finalize = sd_developer_apps_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/sd-developer-apps-page.ui");
}

static void
sd_developer_apps_page_init (SdDeveloperAppsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    add_network_group (self, networks[i]);
}
