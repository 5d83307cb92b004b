/* sd-post-row.c — one post in the Posts list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-post-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-outbox-actions.h"
#include "sd-post-row.h"
#include "sd-post-state-style.h"

struct _SdPostRow
{
  GtkWidget  parent_instance;

  SdPost    *post;

  GtkWidget *box;
  GtkLabel  *title_label;
  GtkLabel  *time_label;
  GtkLabel  *snippet_label;
  GtkImage  *state_icon;
  GtkLabel  *state_label;
  GtkLabel  *platforms_label;
  GtkWidget *where_icon;
  GtkWidget *outbox_box;
  GtkImage  *outbox_icon;
  GtkLabel  *outbox_label;
  GtkWidget *retry_button;
  GtkWidget *send_now_button;
  GtkWidget *published_button;
  GtkWidget *send_again_button;
  GtkWidget *reschedule_button;
  GtkWidget *edit_button;
  GtkWidget *open_button;
};

G_DEFINE_FINAL_TYPE (SdPostRow, sd_post_row, GTK_TYPE_WIDGET)

/* The time of a post in the user's zone and language. */
char *
sd_post_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  /* Translators: a post's full date and time, see g_date_time_format(). */
  return g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
}

/* As short as the list needs: no year within the current one. */
static char *
format_time_short (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a post's date and time this year, in the Posts list. */
    return g_date_time_format (local, _("%a %-d %b, %H:%M"));

  return sd_post_format_time (unix_time);
}

static char *
describe_platforms (SdPlatformSet platforms)
{
  GString *names = g_string_new (NULL);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      if (!sd_platform_set_contains (platforms, platform))
        continue;
      if (names->len > 0)
        g_string_append (names, " · ");
      g_string_append (names, sd_platform_get_info (platform)->display_name);
    }

  return g_string_free (names, FALSE);
}

static void
update_text (SdPostRow *self)
{
  const char *text = sd_post_get_text (self->post);
  const char *rest = text + strcspn (text, "\n");
  g_autofree char *title = g_strndup (text, rest - text);
  g_autofree char *snippet = g_strstrip (g_strdup (rest));

  g_strstrip (title);
  if (title[0] == '\0')
    {
      gtk_label_set_text (self->title_label, _("Empty draft"));
      gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->title_label, title);
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }

  gtk_label_set_text (self->snippet_label, snippet);
  gtk_widget_set_visible (GTK_WIDGET (self->snippet_label), snippet[0] != '\0');
}

static void
update_time (SdPostRow *self)
{
  gint64 when = sd_post_get_scheduled_at (self->post);
  g_autofree char *label = NULL;

  if (when != SD_POST_NO_TIME)
    label = format_time_short (when);

  gtk_label_set_text (self->time_label, label != NULL ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->time_label), label != NULL);
}

static void
update_state (SdPostRow *self)
{
  SdPostState state = sd_post_get_state (self->post);

  gtk_label_set_text (self->state_label, sd_post_state_get_label (state));
  gtk_image_set_from_icon_name (self->state_icon, sd_post_state_get_icon_name (state));
  for (SdPostState s = 0; s <= SD_POST_STATE_FAILED; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), sd_post_state_get_css_class (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), sd_post_state_get_css_class (state));
}

/* "Open on Mastodon": where the post went out (the first account's, when several). */
static void
update_open_button (SdPostRow *self)
{
  GStrv urls = sd_post_get_published_urls (self->post);
  g_auto(GStrv) parts = urls != NULL && urls[0] != NULL ? g_strsplit (urls[0], "\t", 2) : NULL;
  g_autofree char *label = NULL;
  SdPlatform platform;

  if (parts == NULL || parts[0] == NULL || parts[1] == NULL || !sd_platform_from_id (parts[0], &platform))
    {
      gtk_widget_set_visible (self->open_button, FALSE);
      return;
    }
  /* Translators: %s is a network, "Open on Mastodon". */
  label = g_strdup_printf (_("Open on %s"), sd_platform_get_info (platform)->display_name);
  gtk_button_set_label (GTK_BUTTON (self->open_button), label);
  /* Action and target together: an action that takes a string must never be without one. */
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (self->open_button), NULL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->open_button), g_variant_new_string (parts[1]));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "app.open-uri");
  gtk_widget_set_tooltip_text (self->open_button, parts[1]);
  gtk_widget_set_visible (self->open_button, TRUE);
}

/* What the outbox says of the post, and the answers it waits for. */
static void
update_outbox (SdPostRow *self)
{
  guint outbox = sd_post_get_outbox (self->post);
  gboolean failed = (outbox & SD_POST_OUTBOX_FAILED) != 0;
  gboolean uncertain = !failed && (outbox & SD_POST_OUTBOX_UNCERTAIN) != 0;
  gboolean held = !failed && !uncertain && (outbox & SD_POST_OUTBOX_HELD) != 0;
  g_autofree char *text = NULL;
  const char *icon = NULL;

  update_open_button (self);

  /* Waiting or on the server: a small icon by the networks, said in its tooltip. */
  if (!sd_outbox_needs_attention (outbox) && (outbox & (SD_POST_OUTBOX_WAITING | SD_POST_OUTBOX_ON_SERVER)))
    {
      g_autofree char *where = sd_outbox_describe (self->post, &icon);

      gtk_image_set_from_icon_name (GTK_IMAGE (self->where_icon), icon);
      gtk_widget_set_tooltip_text (self->where_icon, where);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->where_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, where, -1);
      gtk_widget_set_visible (self->where_icon, TRUE);
    }
  else
    gtk_widget_set_visible (self->where_icon, FALSE);

  gtk_widget_set_visible (self->outbox_box, failed || uncertain || held);
  if (!(failed || uncertain || held))
    return;

  text = sd_outbox_describe (self->post, &icon);
  /* Could not confirm: the outbox's own words say what to look at. */
  if (uncertain && sd_post_get_last_error (self->post) != NULL)
    {
      g_free (text);
      text = g_strdup (sd_post_get_last_error (self->post));
    }
  gtk_label_set_text (self->outbox_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->outbox_label), text);
  gtk_image_set_from_icon_name (self->outbox_icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->outbox_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outbox_label), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->outbox_label), failed ? "error" : "warning");

  gtk_widget_set_visible (self->retry_button, failed);
  gtk_widget_set_visible (self->edit_button, failed);
  gtk_widget_set_visible (self->published_button, uncertain);
  gtk_widget_set_visible (self->send_again_button, uncertain);
  gtk_widget_set_visible (self->send_now_button, held);
  gtk_widget_set_visible (self->reschedule_button, held);
}

/* The buttons ask the window (win.* actions), which owns the store and the list. */
static void
activate_for_post (SdPostRow  *self,
                   const char *action)
{
  if (self->post != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), action, "s", sd_post_get_id (self->post));
}

static void
retry_clicked_cb (SdPostRow *self)
{
  activate_for_post (self, "win.retry-post");
}

static void
published_clicked_cb (SdPostRow *self)
{
  activate_for_post (self, "win.confirm-published");
}

static void
send_again_clicked_cb (SdPostRow *self)
{
  activate_for_post (self, "win.send-again");
}

static void
reschedule_clicked_cb (SdPostRow *self)
{
  activate_for_post (self, "win.reschedule-post");
}

static void
edit_clicked_cb (SdPostRow *self)
{
  activate_for_post (self, "win.edit-post");
}

static void
update_platforms (SdPostRow *self)
{
  g_autofree char *names = describe_platforms (sd_post_get_platforms (self->post));

  gtk_label_set_text (self->platforms_label, names[0] != '\0' ? names : _("No networks yet"));
}

static void
update_accessible_label (SdPostRow *self)
{
  g_autofree char *label = NULL;

  if (gtk_widget_get_visible (self->outbox_box))
    label = g_strdup_printf ("%s, %s. %s. %s",
                             gtk_label_get_text (self->state_label),
                             gtk_label_get_text (self->time_label),
                             gtk_label_get_text (self->title_label),
                             gtk_label_get_text (self->outbox_label));
  else
    label = g_strdup_printf ("%s, %s. %s",
                             gtk_label_get_text (self->state_label),
                             gtk_label_get_text (self->time_label),
                             gtk_label_get_text (self->title_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
post_notify_cb (SdPostRow  *self,
                GParamSpec *pspec,
                SdPost     *post)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "text"))
    update_text (self);
  else if (g_str_equal (name, "scheduled-at"))
    update_time (self);
  else if (g_str_equal (name, "state") || g_str_equal (name, "updated-at"))
    {
      update_state (self);
      update_outbox (self);
    }
  else if (g_str_equal (name, "platforms"))
    update_platforms (self);
  else
    return;

  update_accessible_label (self);
}

void
sd_post_row_set_post (SdPostRow *self,
                      SdPost    *post)
{
  g_return_if_fail (SD_IS_POST_ROW (self));

  if (self->post == post)
    return;

  if (self->post != NULL)
    g_signal_handlers_disconnect_by_func (self->post, post_notify_cb, self);
  g_set_object (&self->post, post);
  if (post == NULL)
    return;

  g_signal_connect_object (post, "notify", G_CALLBACK (post_notify_cb), self,
                           G_CONNECT_SWAPPED);
  update_text (self);
  update_time (self);
  update_state (self);
  update_platforms (self);
  update_outbox (self);
  update_accessible_label (self);
}

static void
sd_post_row_dispose (GObject *object)
{
  SdPostRow *self = (SdPostRow *) object;

  sd_post_row_set_post (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_POST_ROW);

  G_OBJECT_CLASS (sd_post_row_parent_class)->dispose (object);
}

static void
sd_post_row_class_init (SdPostRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_post_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/posts/sd-post-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, box);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, platforms_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, where_icon);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, outbox_box);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, outbox_icon);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, send_now_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, published_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, send_again_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, reschedule_button);
  gtk_widget_class_bind_template_child (widget_class, SdPostRow, edit_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, published_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reschedule_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_post_row_init (SdPostRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_post_row_new (void)
{
  return g_object_new (SD_TYPE_POST_ROW, NULL);
}
