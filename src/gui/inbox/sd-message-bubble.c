/* sd-message-bubble.c — one message of a conversation: who, when, the text with its links
 *
 * The text is the network's plain text; its markup is written here, each
 * piece escaped (sd-link-markup), so "<b>" from a server shows as "<b>".
 * Our own posts and replies sit on the other side, and a reply written in
 * SocialDesk says whether it is waiting, being sent, sent or refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-message-bubble"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-link-markup.h"
#include "sd-message-bubble.h"

struct _SdMessageBubble
{
  GtkWidget  parent_instance;

  SdMessage *message;
  GtkWidget *box;
};

G_DEFINE_FINAL_TYPE (SdMessageBubble, sd_message_bubble, GTK_TYPE_WIDGET)

gboolean
sd_message_bubble_open_link (GtkWidget  *widget,
                             const char *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (!sd_link_markup_uri_is_safe (uri))
    {
      g_debug ("Not opening a link with an unsafe scheme");
      return TRUE;
    }

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, NULL, NULL);
  return TRUE;
}

static gboolean
activate_link_cb (GtkLabel   *label,
                  const char *uri)
{
  /* TRUE in every case: GTK's own handler never sees a link. */
  return sd_message_bubble_open_link (GTK_WIDGET (label), uri);
}

/* "14:05" today, "Mon 14:05" this week, "3 Mar 14:05" before, in local time. */
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan age;

  if (time == NULL || now == NULL)
    return g_strdup ("");
  age = g_date_time_difference (now, time);
  if (g_date_time_get_year (time) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: a message's time today, strftime format. */
    return g_date_time_format (time, C_("message time today", "%H:%M"));
  if (age >= 0 && age < 6 * G_TIME_SPAN_DAY)
    /* Translators: a message's time this week, strftime format. */
    return g_date_time_format (time, C_("message time this week", "%a %H:%M"));
  if (g_date_time_get_year (time) == g_date_time_get_year (now))
    /* Translators: a message's time this year, strftime format. */
    return g_date_time_format (time, C_("message time this year", "%e %b %H:%M"));
  /* Translators: a message's time in an earlier year, strftime format. */
  return g_date_time_format (time, C_("message time", "%e %b %Y %H:%M"));
}

static GtkWidget *
dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

static gboolean
is_own (SdMessage *message)
{
  return sd_message_get_kind (message) == SD_MESSAGE_KIND_OWN;
}

static GtkWidget *
build_header (SdMessage *message)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name;
  g_autofree char *handle = NULL;
  g_autofree char *time = NULL;

  if (is_own (message))
    name = gtk_label_new (C_("the author of a message", "You"));
  else
    name = gtk_label_new (sd_message_get_author_name (message) != NULL
                          && *sd_message_get_author_name (message) != '\0'
                          ? sd_message_get_author_name (message)
                          : sd_message_get_author_handle (message));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (header), name);

  if (!is_own (message) && sd_message_get_author_handle (message) != NULL)
    {
      handle = sd_message_dup_author_label (message);
      gtk_box_append (GTK_BOX (header), dim_label (handle));
    }

  if (sd_message_get_sent_at (message) > 0)
    {
      time = format_time (sd_message_get_sent_at (message));
      gtk_box_append (GTK_BOX (header), dim_label (time));
    }
  return header;
}

static GtkWidget *
build_body (SdMessage *message)
{
  g_autofree char *markup = sd_link_markup_build (sd_message_get_text (message),
                                                  sd_message_get_links (message));
  GtkWidget *body = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (body), markup);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_widget_add_css_class (body, "sd-bubble-text");
  g_signal_connect (body, "activate-link", G_CALLBACK (activate_link_cb), NULL);
  return body;
}

/* How far a reply written here got, or NULL for anything fetched from a network. */
static char *
describe_reply_state (SdMessage   *message,
                      const char **icon_name,
                      const char **css_class)
{
  const char *error = sd_message_get_last_error (message);

  switch (sd_message_get_reply_state (message))
    {
    case SD_POST_STATE_PUBLISHING:
      *icon_name = "mail-send-symbolic";
      *css_class = "accent";
      return g_strdup (_("Sending…"));
    case SD_POST_STATE_PUBLISHED:
      *icon_name = "emblem-ok-symbolic";
      *css_class = "success";
      return g_strdup (_("Sent"));
    case SD_POST_STATE_FAILED:
      *icon_name = "dialog-error-symbolic";
      *css_class = "error";
      if (error == NULL || *error == '\0')
        return g_strdup (_("Failed"));
      /* Translators: %s is the network's reason, e.g. "The reply is too long". */
      return g_strdup_printf (_("Failed: %s"), error);
    case SD_POST_STATE_DRAFT:
    case SD_POST_STATE_SCHEDULED:
    default:
      *icon_name = "document-send-symbolic";
      *css_class = "dim-label";
      return g_strdup (_("Waiting to send"));
    }
}

static GtkWidget *
build_reply_state (SdMessage *message)
{
  const char *icon_name = NULL, *css_class = NULL;
  g_autofree char *state = describe_reply_state (message, &icon_name, &css_class);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (state);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);
  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);

  if (sd_message_get_reply_state (message) == SD_POST_STATE_FAILED)
    {
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (retry, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "conversation.retry-reply");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "s",
                                        sd_message_get_reply_post_id (message));
      gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Retry Sending the Reply"), -1);
      gtk_box_append (GTK_BOX (row), retry);
    }
  return row;
}

static void
build (SdMessageBubble *self,
       gboolean         answered)
{
  SdMessage *message = self->message;
  GtkWidget *widget = GTK_WIDGET (self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, widget);
  gtk_widget_add_css_class (self->box, "sd-bubble");

  gtk_box_append (GTK_BOX (self->box), build_header (message));
  gtk_box_append (GTK_BOX (self->box), build_body (message));
  if (sd_message_get_reply_post_id (message) != NULL)
    gtk_box_append (GTK_BOX (self->box), build_reply_state (message));

  if (is_own (message))
    {
      gtk_widget_add_css_class (widget, "sd-bubble-own");
      gtk_widget_set_halign (widget, GTK_ALIGN_END);
      gtk_widget_set_margin_start (widget, 48);
    }
  else
    {
      gtk_widget_set_halign (widget, GTK_ALIGN_START);
      gtk_widget_set_margin_end (widget, 48);
    }
  if (sd_message_get_kind (message) == SD_MESSAGE_KIND_CONTEXT)
    gtk_widget_add_css_class (widget, "sd-bubble-context");
  if (answered)
    {
      gtk_widget_add_css_class (widget, "sd-bubble-answered");
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("The message you are answering"), -1);
    }
}

static void
sd_message_bubble_dispose (GObject *object)
{
  SdMessageBubble *self = SD_MESSAGE_BUBBLE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (sd_message_bubble_parent_class)->dispose (object);
}

static void
sd_message_bubble_class_init (SdMessageBubbleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_message_bubble_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sd-message-bubble");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_message_bubble_init (SdMessageBubble *self)
{
}

GtkWidget *
sd_message_bubble_new (SdMessage *message,
                       gboolean   answered)
{
  SdMessageBubble *self;

  g_return_val_if_fail (SD_IS_MESSAGE (message), NULL);

  self = g_object_new (SD_TYPE_MESSAGE_BUBBLE, NULL);
  self->message = g_object_ref (message);
  build (self, answered);
  return GTK_WIDGET (self);
}

SdMessage *
sd_message_bubble_get_message (SdMessageBubble *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE_BUBBLE (self), NULL);

  return self->message;
}
