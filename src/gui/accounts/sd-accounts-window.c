/* sd-accounts-window.c — Accounts: the accounts SocialDesk publishes with
 *
 * Lists the connected accounts with their state; adds one (Add Account), signs
 * one in again, or removes one after asking (its keyring items go, and the
 * posts waiting for it are cancelled). Removing talks to the keyring, so it
 * runs in a worker thread. "accounts-changed" tells the app to refresh the
 * composer's account picker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-accounts"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-account-row.h"
#include "sd-account-setup.h"
#include "sd-accounts-window.h"
#include "sd-add-account-dialog.h"
#include "sd-toast.h"

struct _SdAccountsWindow
{
  AdwWindow        parent_instance;

  SdStore         *store;
  GPtrArray       *accounts;   /* SdAccount, as listed */

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (SdAccountsWindow, sd_accounts_window, ADW_TYPE_WINDOW)

enum {
  ACCOUNTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (SdAccountsWindow *self,
              const char       *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, sd_toast_new_plain (message));
}

void
sd_accounts_window_reload (SdAccountsWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (SD_IS_ACCOUNTS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  /* A handful of rows, read at once. */
  self->accounts = sd_store_list_accounts (self->store, &error);
  if (self->accounts == NULL)
    {
      show_message (self, error->message);
      self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
    }

  for (guint i = 0; i < self->accounts->len; i++)
    gtk_list_box_append (self->list_box, sd_account_row_new (self->accounts->pdata[i]));

  gtk_stack_set_visible_child_name (self->stack, self->accounts->len > 0 ? "list" : "empty");
}

static SdAccount *
find_account (SdAccountsWindow *self,
              const char       *id)
{
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    if (g_str_equal (sd_account_get_id (self->accounts->pdata[i]), id))
      return self->accounts->pdata[i];
  return NULL;
}

/* Adding and signing in again */

static void
account_added_cb (SdAccountsWindow *self,
                  SdAccount        *account)
{
  g_autofree char *label = sd_account_dup_label (account);
  g_autofree char *message = NULL;

  sd_accounts_window_reload (self);
  /* Translators: %s is an account's handle, e.g. @alice.bsky.social. */
  message = g_strdup_printf (_("%s is connected"), label);
  show_message (self, message);
  g_signal_emit (self, signals[ACCOUNTS_CHANGED], 0);
}

static SdAddAccountDialog *
open_add_dialog (SdAccountsWindow *self)
{
  SdAddAccountDialog *dialog = sd_add_account_dialog_new (GTK_WINDOW (self), self->store);

  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self,
                           G_CONNECT_SWAPPED);
  return dialog;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SdAccountsWindow *self = SD_ACCOUNTS_WINDOW (widget);
  SdAddAccountDialog *dialog = open_add_dialog (self);
  const char *network = g_variant_get_string (parameter, NULL);
  SdPlatform platform;

  if (network[0] != '\0' && sd_platform_from_id (network, &platform))
    sd_add_account_dialog_show_network (dialog, platform);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_again_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SdAccountsWindow *self = SD_ACCOUNTS_WINDOW (widget);
  SdAccount *account = find_account (self, g_variant_get_string (parameter, NULL));
  SdAddAccountDialog *dialog;

  if (account == NULL)
    return;

  dialog = open_add_dialog (self);
  sd_add_account_dialog_sign_in_again (dialog, account);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Removing */

typedef struct
{
  SdStore *store;
  char    *account_id;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->store);
  g_free (data->account_id);
  g_free (data);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RemoveData *data = task_data;
  GError *error = NULL;

  /* Only what the task owns: the window is not the worker's to read. */
  if (sd_account_remove (data->store, data->account_id, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SdAccountsWindow *self = SD_ACCOUNTS_WINDOW (source);
  g_autofree char *label = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_message (self, error->message);
      sd_accounts_window_reload (self);
      return;
    }

  sd_accounts_window_reload (self);
  /* Translators: %s is an account's handle, e.g. @alice.bsky.social. */
  message = g_strdup_printf (_("%s was removed"), label);
  show_message (self, message);
  g_signal_emit (self, signals[ACCOUNTS_CHANGED], 0);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    SdAccountsWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "account-id");
  SdAccount *account;
  g_autoptr(GTask) task = NULL;
  RemoveData *data;

  if (!g_str_equal (response, "remove") || (account = find_account (self, id)) == NULL)
    return;

  task = g_task_new (self, NULL, remove_done_cb, sd_account_dup_label (account));
  data = g_new0 (RemoveData, 1);
  data->store = g_object_ref (self->store);
  data->account_id = g_strdup (id);
  g_task_set_task_data (task, data, (GDestroyNotify) remove_data_free);
  g_task_run_in_thread (task, remove_thread);

  /* The row goes at once; a failure brings it back with the reason. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (SD_IS_ACCOUNT_ROW (row) && sd_account_row_get_account (SD_ACCOUNT_ROW (row)) == account)
      {
        gtk_widget_set_sensitive (row, FALSE);
        break;
      }
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdAccountsWindow *self = SD_ACCOUNTS_WINDOW (widget);
  SdAccount *account = find_account (self, g_variant_get_string (parameter, NULL));
  g_autofree char *label = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (account == NULL)
    return;

  label = sd_account_dup_label (account);
  /* Translators: %s is an account's handle, e.g. @alice@mastodon.social. */
  heading = g_strdup_printf (_("Remove %s?"), label);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Its sign-in is deleted from the keyring; posts waiting "
                                     "for it are cancelled."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account-id", g_strdup (sd_account_get_id (account)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Life cycle */

static void
sd_accounts_window_dispose (GObject *object)
{
  SdAccountsWindow *self = SD_ACCOUNTS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACCOUNTS_WINDOW);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_accounts_window_parent_class)->dispose (object);
}

static void
sd_accounts_window_class_init (SdAccountsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_accounts_window_dispose;

  /* An account was added, signed in again or removed. */
  signals[ACCOUNTS_CHANGED] =
    g_signal_new ("accounts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SD_TYPE_ACCOUNT_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/accounts/sd-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAccountsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdAccountsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SdAccountsWindow, list_box);

  gtk_widget_class_install_action (widget_class, "accounts.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "accounts.sign-in-again", "s", sign_in_again_action);
  gtk_widget_class_install_action (widget_class, "accounts.remove", "s", remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "accounts.add", "s", "");
}

static void
sd_accounts_window_init (SdAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdAccountsWindow *
sd_accounts_window_new (GtkWindow *parent,
                        SdStore   *store)
{
  SdAccountsWindow *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_ACCOUNTS_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  sd_accounts_window_reload (self);
  return self;
}
