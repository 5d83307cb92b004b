/* sd-card-text.c — a card's one line: its time in bold, then its first words
 *
 * What a GtkLabel does for one line, laid out once. A label lays its text out
 * for its natural width, for its minimum and again for the width it gets; a
 * week holds two hundred cards, so this widget asks for no width of its own
 * (the card is as wide as its day) and lays the text out only for the width
 * it is given, ellipsized, when that width or the text changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-card-text"

#include "config.h"

#include <string.h>

#include "sd-card-text.h"

struct _SdCardText
{
  GtkWidget    parent_instance;

  char        *text;
  guint        bold_length;   /* bytes of the time at the start */
  gboolean     placeholder;   /* the text says there is none: in italics */
  PangoLayout *layout;        /* for the allocated width; NULL when out of date */
  int          layout_width;
};

G_DEFINE_FINAL_TYPE (SdCardText, sd_card_text, GTK_TYPE_WIDGET)

void
sd_card_text_set (SdCardText *self,
                  const char *time,
                  const char *text,
                  gboolean    placeholder)
{
  g_autofree char *joined = NULL;

  g_return_if_fail (SD_IS_CARD_TEXT (self));

  joined = time != NULL ? g_strconcat (time, " ", text, NULL) : g_strdup (text);
  if (g_strcmp0 (joined, self->text) == 0 && self->placeholder == placeholder)
    return;

  g_free (self->text);
  self->text = g_steal_pointer (&joined);
  self->bold_length = time != NULL ? strlen (time) : 0;
  self->placeholder = placeholder;
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static PangoLayout *
ensure_layout (SdCardText *self,
               int         width)
{
  PangoAttrList *attributes;

  if (self->layout != NULL && self->layout_width == width)
    return self->layout;

  g_clear_object (&self->layout);
  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
  self->layout_width = width;
  pango_layout_set_width (self->layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (self->layout, TRUE);

  attributes = pango_attr_list_new ();
  if (self->bold_length > 0)
    {
      PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

      bold->start_index = 0;
      bold->end_index = self->bold_length;
      pango_attr_list_insert (attributes, bold);
    }
  if (self->placeholder)
    {
      PangoAttribute *italic = pango_attr_style_new (PANGO_STYLE_ITALIC);

      italic->start_index = self->bold_length;
      italic->end_index = G_MAXUINT;
      pango_attr_list_insert (attributes, italic);
    }
  pango_layout_set_attributes (self->layout, attributes);
  pango_attr_list_unref (attributes);

  return self->layout;
}

/* The height of a line in this font, from its metrics (kept per font): no layout. */
static int
line_height (SdCardText *self)
{
  static GHashTable *heights;  /* font description → height; main thread only */
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autofree char *key = pango_font_description_to_string (pango_context_get_font_description (context));
  PangoFontMetrics *metrics;
  gpointer height;
  int pixels;

  if (heights == NULL)
    heights = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_lookup_extended (heights, key, NULL, &height))
    return GPOINTER_TO_INT (height);

  metrics = pango_context_get_metrics (context, NULL, NULL);
  pixels = PANGO_PIXELS_CEIL (pango_font_metrics_get_height (metrics));
  pango_font_metrics_unref (metrics);
  g_hash_table_insert (heights, g_steal_pointer (&key), GINT_TO_POINTER (pixels));
  return pixels;
}

static void
sd_card_text_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 0;
  else
    *minimum = *natural = line_height (SD_CARD_TEXT (widget));
}

static void
sd_card_text_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SdCardText *self = SD_CARD_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  GdkRGBA color;
  int text_height;

  if (self->text == NULL || width <= 0)
    return;

  layout = ensure_layout (self, width);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (height - text_height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
sd_card_text_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  SdCardText *self = SD_CARD_TEXT (widget);

  GTK_WIDGET_CLASS (sd_card_text_parent_class)->css_changed (widget, change);
  /* Another font (a card in the week grid, the drag icon): lay out again. */
  g_clear_object (&self->layout);
}

static void
sd_card_text_finalize (GObject *object)
{
  SdCardText *self = (SdCardText *) object;

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (sd_card_text_parent_class)->finalize (object);
}

static void
sd_card_text_class_init (SdCardTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sd_card_text_finalize;
  widget_class->measure = sd_card_text_measure;
  widget_class->snapshot = sd_card_text_snapshot;
  widget_class->css_changed = sd_card_text_css_changed;

  gtk_widget_class_set_css_name (widget_class, "sd-card-text");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
sd_card_text_init (SdCardText *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sd_card_text_new (void)
{
  return g_object_new (SD_TYPE_CARD_TEXT, NULL);
}
