/* sd-inbox-row.c — one message in the inbox list
 *
 * Everything shown comes from a network: it is set as text, never as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "calendar/sd-network-badges.h"
#include "sd-inbox-row.h"
#include "sd-time.h"

#define SNIPPET_CHARS 120
#define MAX_LABEL_CHIPS 3

struct _SdInboxRow
{
  GtkWidget        parent_instance;

  SdMessage       *message;
  char            *account_label;

  GtkWidget       *box;
  AdwAvatar       *avatar;
  GtkLabel        *author_label;
  GtkLabel        *handle_label;
  GtkLabel        *time_label;
  GtkWidget       *unread_dot;
  GtkLabel        *snippet_label;
  SdNetworkBadges *network_badges;
  GtkLabel        *meta_label;
  GtkBox          *labels_box;
  GtkWidget       *done_icon;
};

G_DEFINE_FINAL_TYPE (SdInboxRow, sd_inbox_row, GTK_TYPE_WIDGET)

char *
sd_inbox_format_relative_time (gint64 then,
                               gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (then);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now);
  gint64 ago = now - then;

  if (local == NULL || today == NULL)
    return g_strdup ("");
  if (ago < 60)
    /* Translators: a message's time in the inbox list, less than a minute ago. */
    return g_strdup (C_("inbox time", "now"));
  if (ago < 3600)
    /* Translators: a message's time in the inbox list; %d is a number of minutes. */
    return g_strdup_printf (C_("inbox time", "%d min"), (int) (ago / 60));
  if (ago < 24 * 3600
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (today))
    return g_date_time_format (local, "%H:%M");
  if (ago < 48 * 3600)
    {
      g_autoptr(GDateTime) yesterday = g_date_time_add_days (today, -1);

      if (g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (yesterday))
        /* Translators: a message's time in the inbox list. */
        return g_strdup (C_("inbox time", "Yesterday"));
    }
  if (g_date_time_get_year (local) == g_date_time_get_year (today))
    /* Translators: a message's date in the inbox list this year (strftime format). */
    return g_date_time_format (local, C_("inbox time", "%e %b"));
  /* Translators: a message's date in the inbox list in an earlier year (strftime format). */
  return g_date_time_format (local, C_("inbox time", "%e %b %Y"));
}

static const char *
platform_name (SdMessage *message)
{
  const SdPlatformInfo *info = sd_platform_get_info (sd_message_get_platform (message));

  return info != NULL ? info->display_name : "";
}

static const char *
author_name (SdMessage *message)
{
  const char *name = sd_message_get_author_name (message);

  if (name == NULL || *name == '\0')
    name = sd_message_get_author_handle (message);
  if (name == NULL || *name == '\0')
    name = _("Someone");
  return name;
}

char *
sd_inbox_row_dup_accessible_label (SdMessage  *message,
                                   const char *account_label)
{
  g_autofree char *snippet = sd_message_dup_snippet (message, SNIPPET_CHARS);
  const char *kind = sd_message_kind_get_label (sd_message_get_kind (message));
  g_autofree char *what = NULL;
  GString *text = g_string_new (NULL);

  if (sd_message_get_is_read (message))
    {
      what = g_strdup (kind);
    }
  else
    {
      g_autofree char *lower = g_utf8_strdown (kind, -1);

      /* Translators: the start of an inbox row's spoken summary; %s is a kind ("mention"). */
      what = g_strdup_printf (_("Unread %s"), lower);
    }
  /* Translators: an inbox row's spoken summary; %1$s is "Unread mention", %2$s a
   * person's name, %3$s a network ("Mastodon"). */
  g_string_append_printf (text, _("%1$s from %2$s on %3$s"), what, author_name (message),
                          platform_name (message));
  if (account_label != NULL && *account_label != '\0')
    /* Translators: continues an inbox row's spoken summary; %s is our account ("@brand"). */
    g_string_append_printf (text, _(" to %s"), account_label);
  if (sd_message_get_is_done (message))
    /* Translators: continues an inbox row's spoken summary. */
    g_string_append (text, _(", done"));
  g_string_append (text, ": ");
  g_string_append (text, snippet);

  return g_string_free (text, FALSE);
}

static void
update_state (SdInboxRow *self)
{
  SdMessage *message = self->message;
  gboolean unread = message != NULL && !sd_message_get_is_read (message);
  g_autofree char *summary = NULL;

  gtk_widget_set_visible (self->unread_dot, unread);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self), "sd-inbox-unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-inbox-unread");
  gtk_widget_set_visible (self->done_icon, message != NULL && sd_message_get_is_done (message));
  if (message != NULL && sd_message_get_is_done (message))
    gtk_widget_add_css_class (GTK_WIDGET (self), "sd-inbox-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-inbox-done");

  if (message != NULL)
    summary = sd_inbox_row_dup_accessible_label (message, self->account_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary != NULL ? summary : "",
                                  -1);
}

static void
update_labels (SdInboxRow *self)
{
  GtkWidget *child;
  GStrv labels;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->labels_box))) != NULL)
    gtk_box_remove (self->labels_box, child);
  if (self->message == NULL)
    return;

  labels = sd_message_get_labels (self->message);
  for (; labels != NULL && labels[n] != NULL && n < MAX_LABEL_CHIPS; n++)
    {
      GtkWidget *chip = gtk_label_new (NULL);

      gtk_label_set_text (GTK_LABEL (chip), labels[n]);
      gtk_label_set_ellipsize (GTK_LABEL (chip), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (chip), 12);
      gtk_widget_add_css_class (chip, "sd-inbox-label-chip");
      gtk_widget_add_css_class (chip, "caption");
      gtk_box_append (self->labels_box, chip);
    }
}

static void
update_time (SdInboxRow *self)
{
  gint64 sent_at = self->message != NULL ? sd_message_get_sent_at (self->message) : 0;
  g_autofree char *relative = NULL;
  g_autofree char *absolute = NULL;

  if (sent_at > 0)
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (sent_at);

      relative = sd_inbox_format_relative_time (sent_at, sd_time_now ());
      if (local != NULL)
        absolute = g_date_time_format (local, "%c");
    }
  gtk_label_set_text (self->time_label, relative != NULL ? relative : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), absolute);
}

static void
update_all (SdInboxRow *self)
{
  SdMessage *message = self->message;
  g_autofree char *handle = NULL;
  g_autofree char *snippet = NULL;
  g_autofree char *meta = NULL;

  if (message == NULL)
    {
      gtk_label_set_text (self->author_label, "");
      gtk_label_set_text (self->handle_label, "");
      gtk_label_set_text (self->snippet_label, "");
      gtk_label_set_text (self->meta_label, "");
      adw_avatar_set_text (self->avatar, NULL);
      sd_network_badges_set_platforms (self->network_badges, 0);
      update_time (self);
      update_labels (self);
      update_state (self);
      return;
    }

  adw_avatar_set_text (self->avatar, author_name (message));
  gtk_label_set_text (self->author_label, author_name (message));
  if (sd_message_get_author_handle (message) != NULL && *sd_message_get_author_handle (message) != '\0')
    handle = g_strconcat ("@", sd_message_get_author_handle (message), NULL);
  gtk_label_set_text (self->handle_label, handle != NULL ? handle : "");

  snippet = sd_message_dup_snippet (message, SNIPPET_CHARS);
  gtk_label_set_text (self->snippet_label, snippet);

  sd_network_badges_set_platforms (self->network_badges, 1u << sd_message_get_platform (message));
  if (self->account_label != NULL && *self->account_label != '\0')
    /* Translators: under an inbox message; %1$s is its kind ("Mention"), %2$s our account. */
    meta = g_strdup_printf (_("%1$s to %2$s"), sd_message_kind_get_label (sd_message_get_kind (message)),
                            self->account_label);
  else
    meta = g_strdup (sd_message_kind_get_label (sd_message_get_kind (message)));
  gtk_label_set_text (self->meta_label, meta);

  update_time (self);
  update_labels (self);
  update_state (self);
}

void
sd_inbox_row_set_message (SdInboxRow *self,
                          SdMessage  *message,
                          const char *account_label)
{
  g_return_if_fail (SD_IS_INBOX_ROW (self));
  g_return_if_fail (message == NULL || SD_IS_MESSAGE (message));

  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_set_object (&self->message, message);
  g_free (self->account_label);
  self->account_label = g_strdup (account_label);

  if (message != NULL)
    {
      g_signal_connect_object (message, "notify::is-read", G_CALLBACK (update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (message, "notify::is-done", G_CALLBACK (update_state), self,
                               G_CONNECT_SWAPPED);
    }
  update_all (self);
}

SdMessage *
sd_inbox_row_get_message (SdInboxRow *self)
{
  g_return_val_if_fail (SD_IS_INBOX_ROW (self), NULL);

  return self->message;
}

static void
sd_inbox_row_dispose (GObject *object)
{
  SdInboxRow *self = (SdInboxRow *) object;

  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
  g_clear_pointer (&self->account_label, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_INBOX_ROW);

  G_OBJECT_CLASS (sd_inbox_row_parent_class)->dispose (object);
}

static void
sd_inbox_row_class_init (SdInboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_inbox_row_dispose;

  g_type_ensure (SD_TYPE_NETWORK_BADGES);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sd-inbox-row");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/inbox/sd-inbox-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, box);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, handle_label);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, unread_dot);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, network_badges);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, labels_box);
  gtk_widget_class_bind_template_child (widget_class, SdInboxRow, done_icon);
}

static void
sd_inbox_row_init (SdInboxRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_inbox_row_new (void)
{
  return g_object_new (SD_TYPE_INBOX_ROW, NULL);
}
