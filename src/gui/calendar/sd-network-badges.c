/* sd-network-badges.c — a post's networks as small coloured badges
 *
 * Drawn rather than made of labels: the calendar shows hundreds of cards, and
 * the nine badges' text is laid out once per font and reused by every card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-network-badges"

#include "config.h"

#include "sd-network-badges.h"

#define GAP 2
#define PADDING 3

struct _SdNetworkBadges
{
  GtkWidget      parent_instance;

  SdPlatformSet  platforms;
};

G_DEFINE_FINAL_TYPE (SdNetworkBadges, sd_network_badges, GTK_TYPE_WIDGET)

/* Short names that fit a badge; brand names stay untranslated. */
static const struct {
  const char *text;
  const char *foreground;
  const char *background;
} badges[SD_N_PLATFORMS] = {
  [SD_PLATFORM_X] = { "X", "#ffffff", "#000000" },
  [SD_PLATFORM_BLUESKY] = { "Bs", "#ffffff", "#1185fe" },
  [SD_PLATFORM_MASTODON] = { "M", "#ffffff", "#6364ff" },
  [SD_PLATFORM_LINKEDIN] = { "in", "#ffffff", "#0a66c2" },
  [SD_PLATFORM_FACEBOOK] = { "f", "#ffffff", "#0866ff" },
  [SD_PLATFORM_INSTAGRAM] = { "IG", "#ffffff", "#e1306c" },
  [SD_PLATFORM_THREADS] = { "Th", "#ffffff", "#333333" },
  [SD_PLATFORM_YOUTUBE] = { "YT", "#ffffff", "#ff0000" },
  [SD_PLATFORM_TIKTOK] = { "TT", "#25f4ee", "#010101" },
};

/* font description → PangoLayout *[SD_N_PLATFORMS]; main thread only */
static GHashTable *layouts;

static void
free_layouts (gpointer data)
{
  PangoLayout **set = data;

  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    g_clear_object (&set[i]);
  g_free (set);
}

static PangoLayout **
get_layouts (SdNetworkBadges *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontDescription *font = pango_context_get_font_description (context);
  g_autofree char *key = pango_font_description_to_string (font);
  PangoLayout **set;

  if (layouts == NULL)
    layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_layouts);

  set = g_hash_table_lookup (layouts, key);
  if (set != NULL)
    return set;

  set = g_new0 (PangoLayout *, SD_N_PLATFORMS);
  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    {
      PangoAttrList *attributes = pango_attr_list_new ();

      pango_attr_list_insert (attributes, pango_attr_scale_new (0.75));
      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_ULTRABOLD));
      set[i] = gtk_widget_create_pango_layout (GTK_WIDGET (self), badges[i].text);
      pango_layout_set_attributes (set[i], attributes);
      pango_attr_list_unref (attributes);
    }
  g_hash_table_insert (layouts, g_steal_pointer (&key), set);
  return set;
}

void
sd_network_badges_set_platforms (SdNetworkBadges *self,
                                 SdPlatformSet    platforms)
{
  g_return_if_fail (SD_IS_NETWORK_BADGES (self));

  if (self->platforms == platforms)
    return;

  self->platforms = platforms;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
sd_network_badges_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  SdNetworkBadges *self = SD_NETWORK_BADGES (widget);
  PangoLayout **set = get_layouts (self);
  int size = 0;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      int width, height;

      if (!sd_platform_set_contains (self->platforms, platform))
        continue;
      pango_layout_get_pixel_size (set[platform], &width, &height);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        size += (size > 0 ? GAP : 0) + width + 2 * PADDING;
      else
        size = MAX (size, height);
    }

  *minimum = *natural = size;
}

static void
sd_network_badges_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SdNetworkBadges *self = SD_NETWORK_BADGES (widget);
  PangoLayout **set = get_layouts (self);
  int height = gtk_widget_get_height (widget);
  float x = 0;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      GdkRGBA foreground, background;
      int width, text_height;

      if (!sd_platform_set_contains (self->platforms, platform))
        continue;

      pango_layout_get_pixel_size (set[platform], &width, &text_height);
      gdk_rgba_parse (&foreground, badges[platform].foreground);
      gdk_rgba_parse (&background, badges[platform].background);
      /* Square corners: a rounded clip per badge is slow to draw in software. */
      gtk_snapshot_append_color (snapshot, &background,
                                 &GRAPHENE_RECT_INIT (x, (height - text_height) / 2.0,
                                                      width + 2 * PADDING, text_height));

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + PADDING, (height - text_height) / 2.0));
      gtk_snapshot_append_layout (snapshot, set[platform], &foreground);
      gtk_snapshot_restore (snapshot);

      x += width + 2 * PADDING + GAP;
    }
}

static void
sd_network_badges_class_init (SdNetworkBadgesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = sd_network_badges_measure;
  widget_class->snapshot = sd_network_badges_snapshot;

  gtk_widget_class_set_css_name (widget_class, "sd-network-badges");
}

static void
sd_network_badges_init (SdNetworkBadges *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
sd_network_badges_new (void)
{
  return g_object_new (SD_TYPE_NETWORK_BADGES, NULL);
}
