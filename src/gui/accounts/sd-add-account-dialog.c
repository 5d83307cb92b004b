/* sd-add-account-dialog.c — connects an account on any of the nine networks
 *
 * Bluesky takes a handle and an app password; Mastodon signs in in the
 * browser (OAuth), this dialog waiting with a spinner and the address to copy
 * in case no browser opened. The seven other networks sign in in the browser
 * too, through the developer app the person registered (Preferences →
 * Developer Apps; without one the dialog says so and leads there); when the
 * sign-in reaches several accounts (Facebook Pages, YouTube channels) the
 * person chooses one. The sign-in calls are synchronous (network and
 * keyring): they run in a worker thread, and Cancel or closing stops them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-add-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-account-setup.h"
#include "sd-add-account-dialog.h"
#include "sd-network.h"
#include "sd-provider.h"

/* How long the browser sign-in may take before SocialDesk stops listening. */
#define BROWSER_TIMEOUT_SECONDS (15 * 60)

struct _SdAddAccountDialog
{
  AdwWindow       parent_instance;

  SdStore        *store;
  GCancellable   *cancellable;   /* the sign-in running, NULL when none */
  char           *authorize_url;
  SdPlatform      platform;      /* the network chosen, SD_N_PLATFORMS on the list */
  GAsyncQueue    *choice;        /* the running sign-in waits here for the identity chosen */

  AdwWindowTitle *window_title;
  GtkWidget      *back_button;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkStack       *stack;
  AdwEntryRow    *bluesky_server_row;
  AdwEntryRow    *bluesky_identifier_row;
  AdwEntryRow    *bluesky_password_row;
  GtkSpinner     *bluesky_spinner;
  AdwEntryRow    *mastodon_server_row;
  GtkSpinner     *mastodon_spinner;
  GtkSpinner     *waiting_spinner;
  GtkLabel       *url_label;
  AdwPreferencesGroup *networks_group;
  AdwPreferencesGroup *oauth_group;
  AdwActionRow   *oauth_app_row;
  GtkSpinner     *oauth_spinner;
  AdwStatusPage  *no_app_page;
  GtkListBox     *identities_list;
};

G_DEFINE_FINAL_TYPE (SdAddAccountDialog, sd_add_account_dialog, ADW_TYPE_WINDOW)

enum {
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What is shown */

static void
show_error (SdAddAccountDialog *self,
            const char         *message)
{
  /* Core's messages are translated text, never markup. */
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static const char *
current_page (SdAddAccountDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static gboolean
form_is_complete (SdAddAccountDialog *self)
{
  const char *page = current_page (self);

  if (g_str_equal (page, "bluesky"))
    return *gtk_editable_get_text (GTK_EDITABLE (self->bluesky_server_row)) != '\0'
           && *gtk_editable_get_text (GTK_EDITABLE (self->bluesky_identifier_row)) != '\0'
           && *gtk_editable_get_text (GTK_EDITABLE (self->bluesky_password_row)) != '\0';
  if (g_str_equal (page, "mastodon"))
    return *gtk_editable_get_text (GTK_EDITABLE (self->mastodon_server_row)) != '\0';
  if (g_str_equal (page, "oauth"))
    return sd_network_uses_oauth_app (self->platform);
  return FALSE;
}

static void
update_actions (SdAddAccountDialog *self)
{
  gboolean busy = self->cancellable != NULL;
  const char *page = current_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.submit", !busy && form_is_complete (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.back", !busy);
  gtk_widget_set_visible (self->back_button, !g_str_equal (page, "choose") && !g_str_equal (page, "waiting")
                                             && !g_str_equal (page, "identities"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_identifier_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mastodon_server_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->bluesky_spinner), busy);
  gtk_spinner_set_spinning (self->bluesky_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->mastodon_spinner), busy);
  gtk_spinner_set_spinning (self->mastodon_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth_spinner), busy);
  gtk_spinner_set_spinning (self->oauth_spinner, busy);
  gtk_spinner_set_spinning (self->waiting_spinner, g_str_equal (page, "waiting"));
}

static void
show_page (SdAddAccountDialog *self,
           const char         *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);

  if (g_str_equal (page, "choose"))
    {
      self->platform = SD_N_PLATFORMS;
      adw_window_title_set_title (self->window_title, _("Add Account"));
    }
  else if (self->platform < SD_N_PLATFORMS)
    {
      /* Translators: the sign-in dialog's title; %s is a network's name. */
      g_autofree char *title = g_strdup_printf (_("Add %s Account"),
                                                sd_platform_get_info (self->platform)->display_name);

      adw_window_title_set_title (self->window_title, title);
    }

  if (g_str_equal (page, "bluesky"))
    gtk_widget_grab_focus (GTK_WIDGET (*gtk_editable_get_text (GTK_EDITABLE (self->bluesky_identifier_row)) == '\0'
                                       ? self->bluesky_identifier_row : self->bluesky_password_row));
  else if (g_str_equal (page, "mastodon"))
    gtk_widget_grab_focus (GTK_WIDGET (self->mastodon_server_row));

  update_actions (self);
}

static void
form_changed_cb (SdAddAccountDialog *self)
{
  update_actions (self);
}

/* Signing in, in a worker */

static void
finish_sign_in (SdAddAccountDialog *self,
                SdAccount          *account,
                GError             *error)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->choice, g_async_queue_unref);

  if (account != NULL)
    {
      g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  /* Core says what is missing: the app, or only its secret. */
  if (g_error_matches (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_NO_APP))
    {
      show_error (self, NULL);
      adw_status_page_set_description (self->no_app_page, error->message);
      show_page (self, "no-app");
      return;
    }

  if (g_str_equal (current_page (self), "waiting") || g_str_equal (current_page (self), "identities"))
    show_page (self, self->platform == SD_PLATFORM_MASTODON ? "mastodon" : "oauth");
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  update_actions (self);
}

static void
sign_in_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (source);
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = g_task_propagate_pointer (G_TASK (result), &error);
  finish_sign_in (self, account, error);
}

typedef struct
{
  SdStore     *store;
  char        *server;
  char        *identifier;
  char        *password;
  SdPlatform   platform;
  GAsyncQueue *choice;   /* OAuth networks: index + 1 of the identity chosen */
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->choice, g_async_queue_unref);
  g_free (data->server);
  g_free (data->identifier);
  if (data->password != NULL)
    {
      memset (data->password, 0, strlen (data->password));
      g_free (data->password);
    }
  g_free (data);
}

static void
bluesky_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *data = task_data;
  GError *error = NULL;
  SdAccount *account;

  account = sd_account_setup_bluesky (data->store, data->server, data->identifier, data->password,
                                      cancellable, &error);
  if (account != NULL)
    g_task_return_pointer (task, account, g_object_unref);
  else
    g_task_return_error (task, error);
}

typedef struct
{
  SdAddAccountDialog *self;
  GCancellable       *cancellable;
  char               *url;
} ShowUrl;

static void
browser_launched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_debug ("No browser opened: %s", error->message);
}

/* On the main thread: the browser, and the address in case it does not open. */
static gboolean
show_url_cb (gpointer user_data)
{
  ShowUrl *data = user_data;
  SdAddAccountDialog *self = data->self;

  if (self->cancellable == data->cancellable && !g_cancellable_is_cancelled (data->cancellable))
    {
      g_free (self->authorize_url);
      self->authorize_url = g_strdup (data->url);
      gtk_label_set_text (self->url_label, data->url);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_label), data->url);
      show_error (self, NULL);
      show_page (self, "waiting");
      /* Asynchronously: inside Flatpak this is a portal call. */
      g_app_info_launch_default_for_uri_async (data->url, NULL, NULL, browser_launched_cb, NULL);
    }

  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data->url);
  g_free (data);
  return G_SOURCE_REMOVE;
}

static void
mastodon_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SignIn *data = task_data;
  g_autoptr(SdMastodonSignIn) sign_in = NULL;
  GError *error = NULL;
  SdAccount *account;
  ShowUrl *show;

  /* Both calls from this one thread, as the contract asks. */
  if (!(sign_in = sd_mastodon_sign_in_new (data->server, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  show = g_new0 (ShowUrl, 1);
  show->self = g_object_ref (source_object);
  show->cancellable = g_object_ref (cancellable);
  show->url = g_strdup (sd_mastodon_sign_in_get_authorize_url (sign_in));
  g_main_context_invoke (NULL, show_url_cb, show);

  account = sd_mastodon_sign_in_finish (sign_in, data->store, BROWSER_TIMEOUT_SECONDS,
                                        cancellable, &error);
  if (account != NULL)
    g_task_return_pointer (task, account, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* One account a sign-in reaches, as the list shows it. */
typedef struct
{
  char *name;
  char *detail;
} Identity;

static void
identity_clear (gpointer data)
{
  Identity *identity = data;

  g_free (identity->name);
  g_free (identity->detail);
}

typedef struct
{
  SdAddAccountDialog *self;
  GCancellable       *cancellable;
  GArray             *identities;   /* Identity */
} ShowIdentities;

static void
activate_identity_cb (AdwActionRow       *row,
                      SdAddAccountDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  GtkWidget *spinner;

  if (self->choice == NULL)
    return;
  g_async_queue_push (self->choice, GUINT_TO_POINTER (index + 1));
  /* The worker saves it; one choice is all it takes. */
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  adw_action_row_add_suffix (row, spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->identities_list), FALSE);
}

/* On the main thread: the accounts to choose from, one row each. */
static gboolean
show_identities_cb (gpointer user_data)
{
  ShowIdentities *data = user_data;
  SdAddAccountDialog *self = data->self;

  if (self->cancellable == data->cancellable && !g_cancellable_is_cancelled (data->cancellable))
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->identities_list))) != NULL)
        gtk_list_box_remove (self->identities_list, child);
      gtk_widget_set_sensitive (GTK_WIDGET (self->identities_list), TRUE);

      for (guint i = 0; i < data->identities->len; i++)
        {
          Identity *identity = &g_array_index (data->identities, Identity, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *avatar = adw_avatar_new (32, identity->name, TRUE);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), identity->name);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), identity->detail);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (i));
          g_signal_connect_object (row, "activated", G_CALLBACK (activate_identity_cb), self, 0);
          gtk_list_box_append (self->identities_list, row);
        }
      show_page (self, "identities");
    }

  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_array_unref (data->identities);
  g_free (data);
  return G_SOURCE_REMOVE;
}

/* Which of @identities the person wants: at once when there is one, else the
 * dialog asks and this thread waits (sign-in, finish and save stay on it). */
static gboolean
choose_identity (GTask        *task,
                 SignIn       *data,
                 GPtrArray    *identities,
                 GCancellable *cancellable,
                 guint        *index)
{
  ShowIdentities *show;

  if (identities->len == 1)
    {
      *index = 0;
      return TRUE;
    }

  show = g_new0 (ShowIdentities, 1);
  show->self = g_object_ref (g_task_get_source_object (task));
  show->cancellable = g_object_ref (cancellable);
  show->identities = g_array_new (FALSE, TRUE, sizeof (Identity));
  g_array_set_clear_func (show->identities, identity_clear);
  for (guint i = 0; i < identities->len; i++)
    {
      SdSignInIdentity *identity = identities->pdata[i];
      const char *name = sd_account_get_display_name (identity->account);
      Identity shown;

      shown.detail = sd_account_dup_label (identity->account);
      shown.name = g_strdup (name != NULL && name[0] != '\0' ? name : shown.detail);
      g_array_append_val (show->identities, shown);
    }
  g_main_context_invoke (NULL, show_identities_cb, show);

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gpointer chosen = g_async_queue_timeout_pop (data->choice, 200 * G_TIME_SPAN_MILLISECOND);

      if (chosen != NULL)
        {
          *index = GPOINTER_TO_UINT (chosen) - 1;
          return *index < identities->len;
        }
    }
  return FALSE;
}

static void
oauth_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SignIn *data = task_data;
  g_autoptr(SdOAuthSignIn) sign_in = NULL;
  GError *error = NULL;
  GPtrArray *identities;
  SdAccount *account;
  ShowUrl *show;
  guint index;

  /* Every call from this one thread, as the contract asks. */
  if (!(sign_in = sd_oauth_sign_in_new (data->store, data->platform, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  show = g_new0 (ShowUrl, 1);
  show->self = g_object_ref (source_object);
  show->cancellable = g_object_ref (cancellable);
  show->url = g_strdup (sd_oauth_sign_in_get_authorize_url (sign_in));
  g_main_context_invoke (NULL, show_url_cb, show);

  identities = sd_oauth_sign_in_finish (sign_in, BROWSER_TIMEOUT_SECONDS, cancellable, &error);
  if (identities == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!choose_identity (task, data, identities, cancellable, &index))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Sign-in cancelled"));
      return;
    }

  account = sd_oauth_sign_in_save (sign_in, data->store, index, cancellable, &error);
  if (account != NULL)
    g_task_return_pointer (task, account, g_object_unref);
  else
    g_task_return_error (task, error);
}

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  SignIn *data;
  const char *page = current_page (self);
  gboolean bluesky = g_str_equal (page, "bluesky");
  gboolean oauth = g_str_equal (page, "oauth");
  GTaskThreadFunc thread;

  if (self->cancellable != NULL || !form_is_complete (self))
    return;

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  data = g_new0 (SignIn, 1);
  data->store = g_object_ref (self->store);
  if (bluesky)
    {
      data->server = entry_text (self->bluesky_server_row);
      data->identifier = entry_text (self->bluesky_identifier_row);
      data->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->bluesky_password_row)));
    }
  else if (oauth)
    {
      data->platform = self->platform;
      self->choice = g_async_queue_new ();
      data->choice = g_async_queue_ref (self->choice);
    }
  else
    {
      data->server = entry_text (self->mastodon_server_row);
    }

  thread = bluesky ? bluesky_thread : oauth ? oauth_thread : mastodon_thread;
  task = g_task_new (self, self->cancellable, sign_in_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);
  /* Cancelled means cancelled, even when the worker is still busy. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, thread);
  update_actions (self);
}

static void
submit_cb (SdAddAccountDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.submit", NULL);
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
copy_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  if (self->authorize_url != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->authorize_url);
}

/* The OAuth page says which network and which developer app it goes through. */
static void
fill_oauth_page (SdAddAccountDialog *self)
{
  const char *name = sd_platform_get_info (self->platform)->display_name;
  const SdNetworkInfo *info = sd_network_get_info (self->platform);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *no_app = NULL;
  g_autofree char *client_id = NULL;

  /* Translators: %s is a network's name. */
  title = g_strdup_printf (_("Sign In to %s"), name);
  /* Translators: %s is a network's name. */
  description = g_strdup_printf (_("SocialDesk opens %s’s sign-in page in your browser, through the developer "
                                   "app you registered. Approve access there; SocialDesk never sees your "
                                   "password."), name);
  adw_preferences_group_set_title (self->oauth_group, title);
  adw_preferences_group_set_description (self->oauth_group, description);

  /* Reading one row: quick enough for the main thread. */
  if (self->store != NULL)
    client_id = sd_store_dup_network_app (self->store, self->platform, NULL);
  if (client_id != NULL && client_id[0] != '\0')
    {
      /* Translators: %s is the developer app's client ID. */
      g_autofree char *subtitle = g_strdup_printf (info != NULL && g_str_equal (info->client_id_param, "client_key")
                                                   ? _("Client key %s") : _("Client ID %s"), client_id);

      adw_action_row_set_subtitle (self->oauth_app_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->oauth_app_row, _("Not set up yet: register one in Preferences"));

  /* Translators: %s is a network's name, three times. */
  no_app = g_strdup_printf (_("%s lets only registered apps sign in. Register your own free developer app "
                              "with %s, give SocialDesk its client ID in Preferences → Developer Apps, "
                              "then sign in to %s here."), name, name, name);
  adw_status_page_set_description (self->no_app_page, no_app);
}

static void
choose_network (SdAddAccountDialog *self,
                SdPlatform          platform)
{
  show_error (self, NULL);
  self->platform = platform;

  if (platform == SD_PLATFORM_BLUESKY)
    show_page (self, "bluesky");
  else if (platform == SD_PLATFORM_MASTODON)
    show_page (self, "mastodon");
  else if (sd_network_uses_oauth_app (platform))
    {
      fill_oauth_page (self);
      show_page (self, "oauth");
    }
  else
    show_page (self, "choose");
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);
  SdPlatform platform;

  if (sd_platform_from_id (g_variant_get_string (parameter, NULL), &platform))
    choose_network (self, platform);
}

/* Preferences on the Developer Apps page, this dialog staying open beneath it
 * for Try Again once the app is set up. */
static void
developer_apps_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);
  GApplication *application = g_application_get_default ();
  const char *id = self->platform < SD_N_PLATFORMS ? sd_platform_get_info (self->platform)->id : "";

  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "developer-apps", g_variant_new_string (id));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  choose_network (self, self->platform);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  show_error (self, NULL);
  show_page (self, "choose");
}

void
sd_add_account_dialog_show_network (SdAddAccountDialog *self,
                                    SdPlatform          platform)
{
  g_return_if_fail (SD_IS_ADD_ACCOUNT_DIALOG (self));

  choose_network (self, platform);
}

/* The same form, filled in with what the account already says. */
void
sd_add_account_dialog_sign_in_again (SdAddAccountDialog *self,
                                     SdAccount          *account)
{
  const char *server = sd_account_get_server_url (account);
  g_autofree char *label = sd_account_dup_label (account);

  g_return_if_fail (SD_IS_ADD_ACCOUNT_DIALOG (self));

  if (sd_account_get_platform (account) == SD_PLATFORM_BLUESKY)
    {
      if (server != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->bluesky_server_row), server);
      gtk_editable_set_text (GTK_EDITABLE (self->bluesky_identifier_row), sd_account_get_handle (account));
    }
  else if (sd_account_get_platform (account) == SD_PLATFORM_MASTODON && server != NULL)
    {
      const char *host = g_str_has_prefix (server, "https://") ? server + strlen ("https://") : server;

      gtk_editable_set_text (GTK_EDITABLE (self->mastodon_server_row), host);
    }

  sd_add_account_dialog_show_network (self, sd_account_get_platform (account));
  /* Translators: the title of the sign-in dialog for an account already added. */
  adw_window_title_set_title (self->window_title, _("Sign In Again"));
  adw_window_title_set_subtitle (self->window_title, label);
  gtk_widget_set_visible (self->back_button, FALSE);
}

/* Life cycle */

static gboolean
sd_add_account_dialog_close_request (GtkWindow *window)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sd_add_account_dialog_parent_class)->close_request (window);
}

/* Destroyed with its parent (Accounts closing with the main window), a window
 * gets no close-request, and the running task keeps it from being disposed:
 * stop the sign-in here, or a browser sign-in would listen on for its whole
 * timeout and could still save an account nobody sees. */
static void
sd_add_account_dialog_unrealize (GtkWidget *widget)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (sd_add_account_dialog_parent_class)->unrealize (widget);
}

static void
sd_add_account_dialog_dispose (GObject *object)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->choice, g_async_queue_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->authorize_url, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ADD_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (sd_add_account_dialog_parent_class)->dispose (object);
}

static void
sd_add_account_dialog_class_init (SdAddAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sd_add_account_dialog_dispose;
  window_class->close_request = sd_add_account_dialog_close_request;
  widget_class->unrealize = sd_add_account_dialog_unrealize;

  /* Emitted with the account once it is signed in and saved. */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/accounts/sd-add-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, bluesky_server_row);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, bluesky_identifier_row);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, bluesky_password_row);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, bluesky_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, mastodon_server_row);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, mastodon_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, url_label);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, networks_group);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, oauth_group);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, oauth_app_row);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, oauth_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, no_app_page);
  gtk_widget_class_bind_template_child (widget_class, SdAddAccountDialog, identities_list);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_cb);

  gtk_widget_class_install_action (widget_class, "dialog.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "dialog.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose", "s", choose_action);
  gtk_widget_class_install_action (widget_class, "dialog.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "dialog.developer-apps", NULL, developer_apps_action);
  gtk_widget_class_install_action (widget_class, "dialog.retry", NULL, retry_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* What signing in asks of each network, in the order people look for them. */
static void
add_network_rows (SdAddAccountDialog *self)
{
  static const SdPlatform order[] = {
    SD_PLATFORM_BLUESKY, SD_PLATFORM_MASTODON, SD_PLATFORM_X, SD_PLATFORM_FACEBOOK,
    SD_PLATFORM_INSTAGRAM, SD_PLATFORM_LINKEDIN, SD_PLATFORM_THREADS, SD_PLATFORM_YOUTUBE,
    SD_PLATFORM_TIKTOK,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const SdPlatformInfo *info = sd_platform_get_info (order[i]);
      GtkWidget *row = adw_action_row_new ();
      const char *subtitle;

      switch (order[i])
        {
        case SD_PLATFORM_BLUESKY:
          subtitle = _("Sign in with an app password");
          break;
        case SD_PLATFORM_MASTODON:
          subtitle = _("Sign in on your server, in your browser");
          break;
        case SD_PLATFORM_FACEBOOK:
          subtitle = _("A Page you manage, through your developer app");
          break;
        case SD_PLATFORM_INSTAGRAM:
          subtitle = _("A professional account, through your developer app");
          break;
        case SD_PLATFORM_LINKEDIN:
          subtitle = _("Your member profile, through your developer app");
          break;
        case SD_PLATFORM_YOUTUBE:
          subtitle = _("A channel, through your developer app");
          break;
        default:
          subtitle = _("Sign in in your browser, through your developer app");
          break;
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->display_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, info->display_name, TRUE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "dialog.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", info->id);
      adw_preferences_group_add (self->networks_group, row);
    }
}

static void
sd_add_account_dialog_init (SdAddAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->platform = SD_N_PLATFORMS;
  add_network_rows (self);
  update_actions (self);
}

SdAddAccountDialog *
sd_add_account_dialog_new (GtkWindow *parent,
                           SdStore   *store)
{
  SdAddAccountDialog *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_ADD_ACCOUNT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  return self;
}
