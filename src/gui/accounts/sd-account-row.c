/* sd-account-row.c — one connected account in Accounts
 *
 * Shows who the account is (avatar initials, name, handle and network),
 * whether it can publish, and until when its sign-in lasts where the network
 * limits it (a warning in its last week). Its menu asks the Accounts window (accounts.* actions)
 * to sign it in again or to remove it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-account-row.h"
#include "sd-time.h"

/* A sign-in this close to its end (or past it) stands out. */
#define DAY_SECONDS (24 * 3600)
#define EXPIRY_WARNING_SECONDS (7 * 24 * 3600)

struct _SdAccountRow
{
  AdwActionRow  parent_instance;

  SdAccount    *account;

  AdwAvatar    *avatar;
  GtkLabel     *state_label;
  GtkLabel     *expiry_label;
  GtkWidget    *sign_in_button;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (SdAccountRow, sd_account_row, ADW_TYPE_ACTION_ROW)

const char *
sd_account_state_get_label (SdAccountState state)
{
  switch (state)
    {
    case SD_ACCOUNT_STATE_CONNECTED:
      return _("Connected");
    case SD_ACCOUNT_STATE_NEEDS_SIGN_IN:
      return _("Needs sign-in again");
    case SD_ACCOUNT_STATE_OFFLINE:
      return _("Offline");
    default:
      g_return_val_if_reached ("");
    }
}

static const char *
state_css_class (SdAccountState state)
{
  switch (state)
    {
    case SD_ACCOUNT_STATE_CONNECTED:
      return "success";
    case SD_ACCOUNT_STATE_NEEDS_SIGN_IN:
      return "warning";
    default:
      return "dim-label";
    }
}

/* "Sign in again by 3 December 2026", or NULL when the sign-in does not run out. */
static char *
describe_expiry (SdAccount *account,
                 gboolean  *urgent)
{
  gint64 expires_at = sd_account_get_token_expires_at (account);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  *urgent = FALSE;
  if (expires_at <= 0)
    return NULL;

  *urgent = expires_at - sd_time_now () < EXPIRY_WARNING_SECONDS;
  utc = g_date_time_new_from_unix_utc (expires_at);
  local = g_date_time_to_local (utc);
  /* Translators: the day an account's sign-in runs out, see g_date_time_format(). */
  date = g_date_time_format (local, _("%-d %B %Y"));
  if (expires_at <= sd_time_now ())
    /* Translators: %s is a date. */
    return g_strdup_printf (_("Sign-in ran out on %s"), date);
  /* Translators: %s is a date. */
  return g_strdup_printf (_("Sign in again by %s"), date);
}

/* The warning beside the state, short: "Ends in 3 days". */
static char *
describe_urgency (SdAccount *account)
{
  gint64 left = sd_account_get_token_expires_at (account) - sd_time_now ();
  /* Rounded up: what is left of the last day counts as a day. */
  int days = (int) ((left + DAY_SECONDS - 1) / DAY_SECONDS);

  if (left <= 0)
    return g_strdup (_("Sign-in ran out"));
  return g_strdup_printf (ngettext ("Sign-in ends in %d day", "Sign-in ends in %d days", days), days);
}

static void
fill (SdAccountRow *self)
{
  SdAccount *account = self->account;
  SdAccountState state = sd_account_get_state (account);
  const char *name = sd_account_get_display_name (account);
  const char *network = sd_platform_get_info (sd_account_get_platform (account))->display_name;
  g_autofree char *handle = sd_account_dup_label (account);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *urgency = NULL;
  gboolean urgent;

  if (name == NULL || name[0] == '\0')
    name = sd_account_get_handle (account);

  /* Translators: an account's subtitle: its handle and its network ("@alice@mastodon.social · Mastodon"). */
  subtitle = g_strdup_printf (_("%s · %s"), handle, network);
  expiry = describe_expiry (account, &urgent);
  if (urgent)
    urgency = describe_urgency (account);
  if (expiry != NULL)
    {
      char *longer = g_strdup_printf (_("%s · %s"), subtitle, expiry);

      g_free (subtitle);
      subtitle = longer;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_avatar_set_text (self->avatar, name);

  gtk_label_set_text (self->state_label, sd_account_state_get_label (state));
  for (SdAccountState s = SD_ACCOUNT_STATE_CONNECTED; s <= SD_ACCOUNT_STATE_OFFLINE; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_css_class (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_css_class (state));
  gtk_widget_set_visible (self->sign_in_button, state == SD_ACCOUNT_STATE_NEEDS_SIGN_IN);
  /* Within a week of its end a warning of its own beside the state. */
  gtk_label_set_text (self->expiry_label, urgency != NULL ? urgency : "");
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_label), urgency != NULL);

  /* Translators: an account row for screen readers: name, handle, network, state. */
  accessible = g_strdup_printf (_("%s, %s, %s, %s"), name, handle, network,
                                sd_account_state_get_label (state));
  if (expiry != NULL)
    {
      char *longer = urgency != NULL ? g_strdup_printf ("%s, %s, %s", accessible, urgency, expiry)
                                     : g_strdup_printf ("%s, %s", accessible, expiry);

      g_free (accessible);
      accessible = longer;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  /* Translators: the account row's menu button, for screen readers; %s is the handle. */
  menu_label = g_strdup_printf (_("Menu for %s"), handle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdAccountRow *self = SD_ACCOUNT_ROW (widget);
  const char *window_action = g_str_equal (action_name, "account.remove")
                              ? "accounts.remove" : "accounts.sign-in-again";

  gtk_widget_activate_action (widget, window_action, "s", sd_account_get_id (self->account));
}

SdAccount *
sd_account_row_get_account (SdAccountRow *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

static void
sd_account_row_dispose (GObject *object)
{
  SdAccountRow *self = SD_ACCOUNT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (sd_account_row_parent_class)->dispose (object);
}

static void
sd_account_row_class_init (SdAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_account_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/accounts/sd-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAccountRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, SdAccountRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountRow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountRow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountRow, menu_button);

  gtk_widget_class_install_action (widget_class, "account.sign-in-again", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "account.remove", NULL, forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "account.remove", NULL);
}

static void
sd_account_row_init (SdAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_account_row_new (SdAccount *account)
{
  SdAccountRow *self;

  g_return_val_if_fail (SD_IS_ACCOUNT (account), NULL);

  self = g_object_new (SD_TYPE_ACCOUNT_ROW, NULL);
  self->account = g_object_ref (account);
  fill (self);
  return GTK_WIDGET (self);
}
