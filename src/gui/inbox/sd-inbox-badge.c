/* sd-inbox-badge.c — the header button that opens the inbox, with its unread count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-badge"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-inbox-badge.h"

#define BADGE_KEY "sd-inbox-badge"

GtkWidget *
sd_inbox_badge_button_new (void)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), gtk_image_new_from_icon_name ("mail-unread-symbolic"));
  gtk_widget_set_halign (badge, GTK_ALIGN_END);
  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_widget_set_can_target (badge, FALSE);
  gtk_widget_add_css_class (badge, "sd-inbox-badge");
  gtk_widget_set_visible (badge, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);
  gtk_button_set_child (GTK_BUTTON (button), overlay);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-inbox");
  g_object_set_data (G_OBJECT (button), BADGE_KEY, badge);
  sd_inbox_badge_button_set_count (button, 0);
  return button;
}

void
sd_inbox_badge_button_set_count (GtkWidget *button,
                                 guint      count)
{
  GtkWidget *badge = g_object_get_data (G_OBJECT (button), BADGE_KEY);
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (GTK_IS_LABEL (badge));

  text = count > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", count);
  gtk_label_set_text (GTK_LABEL (badge), text);
  gtk_widget_set_visible (badge, count > 0);

  if (count > 0)
    /* Translators: the Inbox button's name for screen readers; %u is a number of messages. */
    label = g_strdup_printf (ngettext ("Inbox, %u unread", "Inbox, %u unread", count), count);
  else
    label = g_strdup (_("Inbox"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  /* Translators: the Inbox button's tooltip. */
  gtk_widget_set_tooltip_text (button, _("Inbox (Ctrl+3)"));
}
