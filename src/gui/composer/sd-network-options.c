/* sd-network-options.c — the composer's options for networks that ask for more than text
 *
 * YouTube's title, tags, privacy and "made for kids"; TikTok's audience (no
 * default: TikTok asks for an explicit choice) and whether comments, duets and
 * stitches are allowed. Each change goes into the post at once
 * (sd_post_set_option) and "changed" tells the composer to save and recount;
 * a group shows only while its network is chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-network-options"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-network-options.h"

/* The values the combo rows stand for, in their order; NULL: unset. */
static const char * const youtube_privacy[] = { "public", "unlisted", "private" };
static const char * const tiktok_privacy[] = {
  NULL, "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY",
};

struct _SdNetworkOptions
{
  AdwBin         parent_instance;

  SdPost        *post;
  gboolean       filling;

  GtkWidget     *youtube_group;
  AdwEntryRow   *youtube_title_row;
  AdwEntryRow   *youtube_tags_row;
  AdwComboRow   *youtube_privacy_row;
  GtkSwitch     *youtube_kids_switch;
  GtkWidget     *tiktok_group;
  AdwComboRow   *tiktok_privacy_row;
  GtkSwitch     *tiktok_comment_switch;
  GtkSwitch     *tiktok_duet_switch;
  GtkSwitch     *tiktok_stitch_switch;
};

G_DEFINE_FINAL_TYPE (SdNetworkOptions, sd_network_options, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
index_of (const char * const *values,
          guint               n_values,
          const char         *value,
          guint               fallback)
{
  for (guint i = 0; i < n_values; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return fallback;
}

static void
set_option (SdNetworkOptions *self,
            SdPlatform        platform,
            const char       *key,
            const char       *value)
{
  if (self->filling || self->post == NULL)
    return;

  sd_post_set_option (self->post, platform, key, value);
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
youtube_title_changed_cb (SdNetworkOptions *self)
{
  g_autofree char *title = stripped_text (self->youtube_title_row);

  set_option (self, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, title);
}

static void
youtube_tags_changed_cb (SdNetworkOptions *self)
{
  g_autofree char *tags = stripped_text (self->youtube_tags_row);

  set_option (self, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS, tags);
}

static void
youtube_privacy_changed_cb (SdNetworkOptions *self)
{
  guint selected = adw_combo_row_get_selected (self->youtube_privacy_row);

  if (selected < G_N_ELEMENTS (youtube_privacy))
    set_option (self, SD_PLATFORM_YOUTUBE, SD_OPTION_PRIVACY, youtube_privacy[selected]);
}

static void
tiktok_privacy_changed_cb (SdNetworkOptions *self)
{
  guint selected = adw_combo_row_get_selected (self->tiktok_privacy_row);

  if (selected < G_N_ELEMENTS (tiktok_privacy))
    set_option (self, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY, tiktok_privacy[selected]);
}

static void
switch_changed_cb (SdNetworkOptions *self,
                   GParamSpec       *pspec,
                   GtkSwitch        *button)
{
  SdPlatform platform = SD_PLATFORM_TIKTOK;
  const char *key;

  if (button == self->youtube_kids_switch)
    {
      platform = SD_PLATFORM_YOUTUBE;
      key = SD_OPTION_MADE_FOR_KIDS;
    }
  else if (button == self->tiktok_comment_switch)
    key = SD_OPTION_ALLOW_COMMENT;
  else if (button == self->tiktok_duet_switch)
    key = SD_OPTION_ALLOW_DUET;
  else
    key = SD_OPTION_ALLOW_STITCH;

  set_option (self, platform, key, gtk_switch_get_active (button) ? "true" : "false");
}

/* TikTok allows what was not switched off; YouTube's "made for kids" is no unless said. */
static gboolean
option_is_true (SdPost     *post,
                SdPlatform  platform,
                const char *key,
                gboolean    unset)
{
  const char *value = sd_post_get_option (post, platform, key);

  if (value == NULL || value[0] == '\0')
    return unset;
  return g_ascii_strcasecmp (value, "true") == 0;
}

static void
fill (SdNetworkOptions *self)
{
  SdPost *post = self->post;
  const char *value;

  self->filling = TRUE;

  value = post != NULL ? sd_post_get_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->youtube_title_row), value != NULL ? value : "");
  value = post != NULL ? sd_post_get_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->youtube_tags_row), value != NULL ? value : "");
  /* Unset is public: what the YouTube provider sends then. */
  value = post != NULL ? sd_post_get_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_PRIVACY) : NULL;
  adw_combo_row_set_selected (self->youtube_privacy_row,
                              index_of (youtube_privacy, G_N_ELEMENTS (youtube_privacy), value, 0));
  gtk_switch_set_active (self->youtube_kids_switch,
                         post != NULL && option_is_true (post, SD_PLATFORM_YOUTUBE, SD_OPTION_MADE_FOR_KIDS, FALSE));

  value = post != NULL ? sd_post_get_option (post, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY) : NULL;
  adw_combo_row_set_selected (self->tiktok_privacy_row,
                              index_of (tiktok_privacy, G_N_ELEMENTS (tiktok_privacy), value, 0));
  gtk_switch_set_active (self->tiktok_comment_switch,
                         post == NULL || option_is_true (post, SD_PLATFORM_TIKTOK, SD_OPTION_ALLOW_COMMENT, TRUE));
  gtk_switch_set_active (self->tiktok_duet_switch,
                         post == NULL || option_is_true (post, SD_PLATFORM_TIKTOK, SD_OPTION_ALLOW_DUET, TRUE));
  gtk_switch_set_active (self->tiktok_stitch_switch,
                         post == NULL || option_is_true (post, SD_PLATFORM_TIKTOK, SD_OPTION_ALLOW_STITCH, TRUE));

  self->filling = FALSE;
}

/**
 * sd_network_options_set_post:
 *
 * Shows @post's options; changes go into it.
 */
void
sd_network_options_set_post (SdNetworkOptions *self,
                             SdPost           *post)
{
  g_return_if_fail (SD_IS_NETWORK_OPTIONS (self));
  g_return_if_fail (post == NULL || SD_IS_POST (post));

  g_set_object (&self->post, post);
  fill (self);
}

/* Only the chosen networks' options show; none at all hides the whole section. */
void
sd_network_options_set_platforms (SdNetworkOptions *self,
                                  SdPlatformSet     platforms)
{
  gboolean youtube = sd_platform_set_contains (platforms, SD_PLATFORM_YOUTUBE);
  gboolean tiktok = sd_platform_set_contains (platforms, SD_PLATFORM_TIKTOK);

  g_return_if_fail (SD_IS_NETWORK_OPTIONS (self));

  gtk_widget_set_visible (self->youtube_group, youtube);
  gtk_widget_set_visible (self->tiktok_group, tiktok);
  gtk_widget_set_visible (GTK_WIDGET (self), youtube || tiktok);
}

static void
sd_network_options_dispose (GObject *object)
{
  SdNetworkOptions *self = SD_NETWORK_OPTIONS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NETWORK_OPTIONS);
  g_clear_object (&self->post);

  G_OBJECT_CLASS (sd_network_options_parent_class)->dispose (object);
}

static void
sd_network_options_class_init (SdNetworkOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_network_options_dispose;

  /* An option of the post changed (it is in the post already, not yet in the store). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/composer/sd-network-options.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, youtube_group);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, youtube_title_row);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, youtube_tags_row);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, youtube_privacy_row);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, youtube_kids_switch);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, tiktok_group);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, tiktok_privacy_row);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, tiktok_comment_switch);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, tiktok_duet_switch);
  gtk_widget_class_bind_template_child (widget_class, SdNetworkOptions, tiktok_stitch_switch);
  gtk_widget_class_bind_template_callback (widget_class, youtube_title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, youtube_tags_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, youtube_privacy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tiktok_privacy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, switch_changed_cb);
}

static void
sd_network_options_init (SdNetworkOptions *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}
