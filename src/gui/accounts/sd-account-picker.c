/* sd-account-picker.c — the composer's choice of accounts a post goes to
 *
 * One check per account, grouped by network, each with the account's avatar
 * and handle. An account that must sign in again cannot be newly chosen (it
 * could not publish). With no account at all it says so, with a way to add one.
 * "changed" is emitted only for the user's own clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-account-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-account-picker.h"

struct _SdAccountPicker
{
  AdwBin      parent_instance;

  SdStore    *store;
  GPtrArray  *accounts;   /* SdAccount */
  GPtrArray  *checks;     /* GtkCheckButton, one per account, same order */
  GHashTable *chosen;     /* account id → itself */
  gboolean    filling;

  GtkStack   *stack;
  GtkBox     *networks_box;
};

G_DEFINE_FINAL_TYPE (SdAccountPicker, sd_account_picker, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sync_checks (SdAccountPicker *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      SdAccount *account = self->accounts->pdata[i];
      GtkCheckButton *check = self->checks->pdata[i];
      gboolean chosen = g_hash_table_contains (self->chosen, sd_account_get_id (account));

      gtk_check_button_set_active (check, chosen);
      /* One that must sign in again could not publish: it can only be unchosen. */
      gtk_widget_set_sensitive (GTK_WIDGET (check),
                                chosen || sd_account_get_state (account) != SD_ACCOUNT_STATE_NEEDS_SIGN_IN);
    }
  self->filling = FALSE;
}

static void
check_toggled_cb (GtkCheckButton  *check,
                  SdAccountPicker *self)
{
  SdAccount *account = g_object_get_data (G_OBJECT (check), "account");
  const char *id = sd_account_get_id (account);

  if (self->filling)
    return;

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->chosen, g_strdup (id));
  else
    g_hash_table_remove (self->chosen, id);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
account_row (SdAccountPicker *self,
             SdAccount       *account)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *avatar;
  const char *name = sd_account_get_display_name (account);
  g_autofree char *label = sd_account_dup_label (account);
  g_autofree char *accessible = NULL;

  if (name == NULL || name[0] == '\0')
    name = sd_account_get_handle (account);

  avatar = adw_avatar_new (32, name, TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (avatar, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (sd_account_get_state (account) == SD_ACCOUNT_STATE_NEEDS_SIGN_IN)
    {
      /* Translators: an account in the composer that must sign in again; %s is its handle. */
      g_autofree char *subtitle = g_strdup_printf (_("%s · needs sign-in again in Accounts"), label);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), label);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  /* Translators: a check button for screen readers; %s is an account's handle. */
  accessible = g_strdup_printf (_("Publish with %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_object_set_data_full (G_OBJECT (check), "account", g_object_ref (account), g_object_unref);
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, 0);
  g_ptr_array_add (self->checks, check);
  return row;
}

static int
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  SdAccount *x = *(SdAccount **) a, *y = *(SdAccount **) b;

  if (sd_account_get_platform (x) != sd_account_get_platform (y))
    return (int) sd_account_get_platform (x) - (int) sd_account_get_platform (y);
  return g_utf8_collate (sd_account_get_handle (x), sd_account_get_handle (y));
}

/**
 * sd_account_picker_reload:
 *
 * Reads the accounts again (after Accounts changed them), keeping the choice.
 */
void
sd_account_picker_reload (SdAccountPicker *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  GtkListBox *list = NULL;
  int shown_platform = -1;

  g_return_if_fail (SD_IS_ACCOUNT_PICKER (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->networks_box))) != NULL)
    gtk_box_remove (self->networks_box, child);
  g_ptr_array_set_size (self->checks, 0);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  if (self->store != NULL)
    self->accounts = sd_store_list_accounts (self->store, &error);
  if (self->accounts == NULL)
    {
      if (error != NULL)
        g_warning ("Could not list the accounts: %s", error->message);
      self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_ptr_array_sort (self->accounts, compare_accounts);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      SdAccount *account = self->accounts->pdata[i];
      SdPlatform platform = sd_account_get_platform (account);

      if ((int) platform != shown_platform)
        {
          GtkWidget *heading = gtk_label_new (sd_platform_get_info (platform)->display_name);

          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_widget_add_css_class (heading, "heading");
          gtk_widget_add_css_class (heading, "sd-picker-network");
          gtk_box_append (self->networks_box, heading);

          list = GTK_LIST_BOX (gtk_list_box_new ());
          gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
          gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
          gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          sd_platform_get_info (platform)->display_name, -1);
          gtk_box_append (self->networks_box, GTK_WIDGET (list));
          shown_platform = platform;
        }
      gtk_list_box_append (list, account_row (self, account));
    }

  gtk_stack_set_visible_child_name (self->stack, self->accounts->len > 0 ? "list" : "none");
  sync_checks (self);
}

void
sd_account_picker_set_store (SdAccountPicker *self,
                             SdStore         *store)
{
  g_return_if_fail (SD_IS_ACCOUNT_PICKER (self));

  g_set_object (&self->store, store);
  sd_account_picker_reload (self);
}

/* The post's accounts, as the store has them; no "changed". */
void
sd_account_picker_set_chosen (SdAccountPicker *self,
                              GPtrArray       *account_ids)
{
  g_return_if_fail (SD_IS_ACCOUNT_PICKER (self));

  g_hash_table_remove_all (self->chosen);
  for (guint i = 0; account_ids != NULL && i < account_ids->len; i++)
    g_hash_table_add (self->chosen, g_strdup (account_ids->pdata[i]));
  sync_checks (self);
}

/* Returns: (transfer full): the chosen accounts' ids. */
GPtrArray *
sd_account_picker_dup_chosen (SdAccountPicker *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer id;

  g_return_val_if_fail (SD_IS_ACCOUNT_PICKER (self), ids);

  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, g_strdup (id));
  return ids;
}

/* The networks of the chosen accounts. */
SdPlatformSet
sd_account_picker_get_platforms (SdAccountPicker *self)
{
  SdPlatformSet platforms = 0;

  g_return_val_if_fail (SD_IS_ACCOUNT_PICKER (self), 0);

  for (guint i = 0; i < self->accounts->len; i++)
    if (g_hash_table_contains (self->chosen, sd_account_get_id (self->accounts->pdata[i])))
      platforms |= 1u << sd_account_get_platform (self->accounts->pdata[i]);
  return platforms;
}

guint
sd_account_picker_get_n_accounts (SdAccountPicker *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT_PICKER (self), 0);

  return self->accounts->len;
}

static void
sd_account_picker_dispose (GObject *object)
{
  SdAccountPicker *self = SD_ACCOUNT_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACCOUNT_PICKER);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_account_picker_parent_class)->dispose (object);
}

static void
sd_account_picker_class_init (SdAccountPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_account_picker_dispose;

  /* The user chose or unchose an account. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/accounts/sd-account-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAccountPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPicker, networks_box);
}

static void
sd_account_picker_init (SdAccountPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->checks = g_ptr_array_new ();
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
