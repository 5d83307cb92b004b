/* sd-add-account-dialog.c — connects a Bluesky or Mastodon account
 *
 * Bluesky takes a handle and an app password; Mastodon signs in in the
 * browser (OAuth), this dialog waiting with a spinner and the address to copy
 * in case no browser opened. The sign-in calls are synchronous (network and
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

/* How long the browser sign-in may take before SocialDesk stops listening. */
#define BROWSER_TIMEOUT_SECONDS (15 * 60)

struct _SdAddAccountDialog
{
  AdwWindow       parent_instance;

  SdStore        *store;
  GCancellable   *cancellable;   /* the sign-in running, NULL when none */
  char           *authorize_url;

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
  return FALSE;
}

static void
update_actions (SdAddAccountDialog *self)
{
  gboolean busy = self->cancellable != NULL;
  const char *page = current_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.submit", !busy && form_is_complete (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.back", !busy);
  gtk_widget_set_visible (self->back_button, !g_str_equal (page, "choose") && !g_str_equal (page, "waiting"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_identifier_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bluesky_password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mastodon_server_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->bluesky_spinner), busy);
  gtk_spinner_set_spinning (self->bluesky_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->mastodon_spinner), busy);
  gtk_spinner_set_spinning (self->mastodon_spinner, busy);
  gtk_spinner_set_spinning (self->waiting_spinner, g_str_equal (page, "waiting"));
}

static void
show_page (SdAddAccountDialog *self,
           const char         *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);

  if (g_str_equal (page, "bluesky"))
    adw_window_title_set_title (self->window_title, _("Add Bluesky Account"));
  else if (g_str_equal (page, "mastodon") || g_str_equal (page, "waiting"))
    adw_window_title_set_title (self->window_title, _("Add Mastodon Account"));
  else
    adw_window_title_set_title (self->window_title, _("Add Account"));

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

  if (account != NULL)
    {
      g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_str_equal (current_page (self), "waiting"))
    show_page (self, "mastodon");
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
  SdStore *store;
  char    *server;
  char    *identifier;
  char    *password;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_clear_object (&data->store);
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
  gboolean bluesky = g_str_equal (current_page (self), "bluesky");

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
  else
    {
      data->server = entry_text (self->mastodon_server_row);
    }

  task = g_task_new (self, self->cancellable, sign_in_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);
  /* Cancelled means cancelled, even when the worker is still busy. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, bluesky ? bluesky_thread : mastodon_thread);
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

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdAddAccountDialog *self = SD_ADD_ACCOUNT_DIALOG (widget);

  show_error (self, NULL);
  show_page (self, g_variant_get_string (parameter, NULL));
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

  if (platform == SD_PLATFORM_BLUESKY)
    show_page (self, "bluesky");
  else if (platform == SD_PLATFORM_MASTODON)
    show_page (self, "mastodon");
  else
    show_page (self, "choose");
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
  else if (server != NULL)
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
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_cb);

  gtk_widget_class_install_action (widget_class, "dialog.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "dialog.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose", "s", choose_action);
  gtk_widget_class_install_action (widget_class, "dialog.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_add_account_dialog_init (SdAddAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
