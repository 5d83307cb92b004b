/* sd-week-grid.c — seven days of 24 hours, with posts at their times
 *
 * Cards sit at their local time of day; cards whose times are too close to
 * fit share the column side by side. The background shows the hours, today,
 * the current time and, for the chosen networks (or the networks of the post
 * being dragged), their best posting windows. A drop lands on the 15-minute
 * slot under the pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-week-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-calendar-private.h"
#include "sd-post-card.h"
#include "sd-schedule.h"
#include "sd-week-grid.h"

#define HOUR_HEIGHT SD_WEEK_GRID_HOUR_HEIGHT
#define HOURS_WIDTH 56
#define MIN_COLUMN_WIDTH 40
#define CARD_HEIGHT 22
#define SLOT_MINUTES 15
#define STRIPE_WIDTH 3
#define MAX_STRIPES 5

struct _SdWeekGrid
{
  GtkWidget      parent_instance;

  GDate          first;
  GPtrArray     *posts;          /* of the week, in time order */
  GArray        *days;           /* each post's day of the week, 0–6 */
  GArray        *minutes;        /* each post's minute of its day */
  GPtrArray     *cards;          /* every card made so far; the first posts->len are used */
  GtkWidget     *hour_labels[24];
  SdPlatformSet  networks;
  gboolean       compact;

  /* The slot under a drag, or day -1. */
  int            drop_day;
  int            drop_minute;
  gint64         drop_when;
};

G_DEFINE_FINAL_TYPE (SdWeekGrid, sd_week_grid, GTK_TYPE_WIDGET)

const GdkRGBA *
sd_platform_get_color (SdPlatform platform)
{
  static const GdkRGBA colors[SD_N_PLATFORMS] = {
    [SD_PLATFORM_X] = { 0.47, 0.47, 0.47, 1 },
    [SD_PLATFORM_BLUESKY] = { 0.07, 0.52, 1.0, 1 },
    [SD_PLATFORM_MASTODON] = { 0.39, 0.39, 1.0, 1 },
    [SD_PLATFORM_LINKEDIN] = { 0.04, 0.40, 0.76, 1 },
    [SD_PLATFORM_FACEBOOK] = { 0.03, 0.40, 1.0, 1 },
    [SD_PLATFORM_INSTAGRAM] = { 0.88, 0.19, 0.42, 1 },
    [SD_PLATFORM_THREADS] = { 0.35, 0.35, 0.35, 1 },
    [SD_PLATFORM_YOUTUBE] = { 1.0, 0.0, 0.0, 1 },
    [SD_PLATFORM_TIKTOK] = { 0.0, 0.75, 0.75, 1 },
  };

  g_return_val_if_fail (platform < SD_N_PLATFORMS, &colors[0]);

  return &colors[platform];
}

int
sd_week_grid_get_hours_width (SdWeekGrid *self)
{
  return HOURS_WIDTH;
}

static int
column_width (SdWeekGrid *self)
{
  return MAX (1, (gtk_widget_get_width (GTK_WIDGET (self)) - HOURS_WIDTH) / 7);
}

static int
minute_of_day (gint64 when)
{
  g_autoptr(GDateTime) local = sd_calendar_local_time (when);

  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

static int
day_index (SdWeekGrid *self,
           gint64      when)
{
  GDate day;

  sd_calendar_date_from_unix (when, &day);
  return g_date_days_between (&self->first, &day);
}

#define POST_DAY(self, i) g_array_index ((self)->days, int, (i))
#define POST_MINUTE(self, i) g_array_index ((self)->minutes, int, (i))

void
sd_week_grid_set_days (SdWeekGrid  *self,
                       const GDate *first,
                       GPtrArray   *posts)
{
  g_return_if_fail (SD_IS_WEEK_GRID (self));

  self->first = *first;
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  self->posts = g_ptr_array_new_with_free_func (g_object_unref);
  g_array_set_size (self->days, 0);
  g_array_set_size (self->minutes, 0);
  /* Where each post goes is worked out once here, not at every allocation. */
  for (guint i = 0; posts != NULL && i < posts->len; i++)
    {
      SdPost *post = g_ptr_array_index (posts, i);
      int index = day_index (self, sd_post_get_scheduled_at (post));
      int minute;

      if (index < 0 || index >= 7)
        continue;
      minute = minute_of_day (sd_post_get_scheduled_at (post));
      g_ptr_array_add (self->posts, g_object_ref (post));
      g_array_append_val (self->days, index);
      g_array_append_val (self->minutes, minute);
    }

  /* Cards are kept and rebound: a week of 200 posts costs no new widgets. */
  while (self->cards->len < self->posts->len)
    {
      GtkWidget *card = sd_post_card_new ();

      sd_post_card_set_max_chars (SD_POST_CARD (card), WEEK_CARD_CHARS);
      gtk_widget_insert_before (card, GTK_WIDGET (self), NULL);
      g_ptr_array_add (self->cards, card);
    }
  for (guint i = 0; i < self->cards->len; i++)
    {
      GtkWidget *card = g_ptr_array_index (self->cards, i);
      SdPost *post = i < self->posts->len ? g_ptr_array_index (self->posts, i) : NULL;

      sd_post_card_set_post (SD_POST_CARD (card), post);
      sd_post_card_set_compact (SD_POST_CARD (card), self->compact);
      gtk_widget_set_visible (card, post != NULL);
    }

  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sd_week_grid_set_networks (SdWeekGrid    *self,
                           SdPlatformSet  networks)
{
  g_return_if_fail (SD_IS_WEEK_GRID (self));

  self->networks = networks;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sd_week_grid_set_compact (SdWeekGrid *self,
                          gboolean    compact)
{
  g_return_if_fail (SD_IS_WEEK_GRID (self));

  self->compact = !!compact;
  for (guint i = 0; i < self->cards->len; i++)
    sd_post_card_set_compact (g_ptr_array_index (self->cards, i), compact);
}

/* Layout */

static void
sd_week_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = HOURS_WIDTH + 7 * MIN_COLUMN_WIDTH;
  else
    *minimum = *natural = 24 * HOUR_HEIGHT;
}

/* Cards of one day whose times overlap share the column: each gets a lane. */
static void
allocate_day (SdWeekGrid *self,
              guint       start,
              guint       end,
              int         x,
              int         width)
{
  g_autofree int *lane = g_new0 (int, end - start);
  g_autofree int *top = g_new0 (int, end - start);
  guint cluster = start;

  while (cluster < end)
    {
      int lanes_end[16] = { 0, };
      int n_lanes = 0, cluster_bottom = -1;
      guint i;

      for (i = cluster; i < end; i++)
        {
          int y = POST_MINUTE (self, i) * HOUR_HEIGHT / 60;
          int l;

          if (i > cluster && y >= cluster_bottom)
            break;
          top[i - start] = y;
          for (l = 0; l < n_lanes && lanes_end[l] > y; l++)
            ;
          if (l == n_lanes && n_lanes < (int) G_N_ELEMENTS (lanes_end))
            n_lanes++;
          l = MIN (l, (int) G_N_ELEMENTS (lanes_end) - 1);
          lanes_end[l] = y + CARD_HEIGHT;
          lane[i - start] = l;
          cluster_bottom = MAX (cluster_bottom, y + CARD_HEIGHT);
        }

      for (guint j = cluster; j < i; j++)
        {
          GtkWidget *card = g_ptr_array_index (self->cards, j);
          int lane_width = MAX (1, (width - STRIPE_WIDTH * MAX_STRIPES - 2) / n_lanes);
          GskTransform *transform;

          transform = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
            x + STRIPE_WIDTH * MAX_STRIPES + 2 + lane[j - start] * lane_width, top[j - start] + 1));
          gtk_widget_allocate (card, MAX (1, lane_width - 2), CARD_HEIGHT - 2, -1, transform);
        }
      cluster = i;
    }
}

static void
sd_week_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SdWeekGrid *self = SD_WEEK_GRID (widget);
  int column = MAX (1, (width - HOURS_WIDTH) / 7);
  guint start = 0;

  for (int h = 0; h < 24; h++)
    {
      int label_height;

      gtk_widget_measure (self->hour_labels[h], GTK_ORIENTATION_VERTICAL, -1, &label_height, NULL, NULL, NULL);
      gtk_widget_allocate (self->hour_labels[h], HOURS_WIDTH - 8, label_height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, h * HOUR_HEIGHT + 2)));
    }

  for (int day = 0; day < 7; day++)
    {
      guint end = start;

      while (end < self->posts->len && POST_DAY (self, end) == day)
        end++;
      if (end > start)
        allocate_day (self, start, end, HOURS_WIDTH + day * column, column);
      start = end;
    }

  /* Hidden spare cards still need an allocation. */
  for (guint i = self->posts->len; i < self->cards->len; i++)
    gtk_widget_allocate (g_ptr_array_index (self->cards, i), 1, 1, -1, NULL);
}

/* Drawing */

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static SdPlatformSet
shaded_networks (SdWeekGrid *self)
{
  SdPost *dragged = sd_post_card_get_dragged ();

  if (self->drop_day >= 0 && dragged != NULL && sd_post_get_platforms (dragged) != 0)
    return sd_post_get_platforms (dragged);
  return self->networks;
}

/* One tint over the hours any chosen network likes, and a thin stripe in each
 * network's colour beside it, so overlapping windows stay readable. */
static void
snapshot_best_times (SdWeekGrid  *self,
                     GtkSnapshot *snapshot,
                     GdkRGBA     *accent)
{
  SdPlatformSet networks = shaded_networks (self);
  int column = column_width (self);
  gboolean covered[24 * 60 / SLOT_MINUTES] = { FALSE, };
  GdkRGBA tint = *accent;
  int lane = 0;

  tint.alpha = 0.08;
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdTimeWindow *windows;
      guint n;

      if (!sd_platform_set_contains (networks, platform))
        continue;
      n = sd_schedule_best_windows (platform, &windows);
      for (guint i = 0; i < n; i++)
        {
          float y = windows[i].start * HOUR_HEIGHT / 60.0;
          float h = (windows[i].end - windows[i].start) * HOUR_HEIGHT / 60.0;

          for (guint m = windows[i].start; m < windows[i].end && m < 24 * 60; m += SLOT_MINUTES)
            covered[m / SLOT_MINUTES] = TRUE;
          for (int day = 0; day < 7 && lane < MAX_STRIPES; day++)
            append_rect (snapshot, sd_platform_get_color (platform),
                         HOURS_WIDTH + day * column + 1 + lane * STRIPE_WIDTH, y, STRIPE_WIDTH - 1, h);
        }
      if (n > 0)
        lane++;
    }

  for (guint slot = 0; slot < G_N_ELEMENTS (covered); slot++)
    {
      guint end = slot;

      if (!covered[slot])
        continue;
      while (end < G_N_ELEMENTS (covered) && covered[end])
        end++;
      for (int day = 0; day < 7; day++)
        append_rect (snapshot, &tint, HOURS_WIDTH + day * column, slot * SLOT_MINUTES * HOUR_HEIGHT / 60.0,
                     column, (end - slot) * SLOT_MINUTES * HOUR_HEIGHT / 60.0);
      slot = end;
    }
}

static void
snapshot_drop_slot (SdWeekGrid  *self,
                    GtkSnapshot *snapshot,
                    GdkRGBA     *accent,
                    GdkRGBA     *error)
{
  int column = column_width (self);
  gboolean refused = self->drop_when <= g_get_real_time () / G_USEC_PER_SEC;
  GdkRGBA fill = refused ? *error : *accent;
  g_autofree char *hint = sd_calendar_describe_drop (self->drop_when);
  PangoLayout *layout;
  float x = HOURS_WIDTH + self->drop_day * column;
  float y = self->drop_minute * HOUR_HEIGHT / 60.0;
  GskRoundedRect outline;

  fill.alpha = 0.25;
  append_rect (snapshot, &fill, x, y, column, HOUR_HEIGHT / 2.0);
  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, column, HOUR_HEIGHT / 2.0), 4);
  gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 2, 2, 2, 2 },
                              (GdkRGBA[4]) { refused ? *error : *accent, refused ? *error : *accent,
                                             refused ? *error : *accent, refused ? *error : *accent });

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), hint);
  pango_layout_set_width (layout, (column - 8) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 6, y + 3));
  gtk_snapshot_append_layout (snapshot, layout, refused ? error : accent);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
sd_week_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SdWeekGrid *self = SD_WEEK_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int column = column_width (self);
  GdkRGBA line, accent, error, now_color;
  GDate today;
  int today_index;

  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (style, &line);
  line.alpha = 0.12;
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "error_color", &error))
    gdk_rgba_parse (&error, "#e01b24");
  now_color = error;

  for (int h = 1; h < 24; h++)
    append_rect (snapshot, &line, HOURS_WIDTH, h * HOUR_HEIGHT, width - HOURS_WIDTH, 1);
  for (int day = 0; day <= 7; day++)
    append_rect (snapshot, &line, HOURS_WIDTH + day * column, 0, 1, 24 * HOUR_HEIGHT);

  sd_calendar_date_today (&today);
  today_index = g_date_days_between (&self->first, &today);
  if (today_index >= 0 && today_index < 7)
    {
      GdkRGBA tint = accent;
      int minute = minute_of_day (g_get_real_time () / G_USEC_PER_SEC);

      tint.alpha = 0.05;
      append_rect (snapshot, &tint, HOURS_WIDTH + today_index * column, 0, column, 24 * HOUR_HEIGHT);
      append_rect (snapshot, &now_color, HOURS_WIDTH + today_index * column,
                   minute * HOUR_HEIGHT / 60.0 - 1, column, 2);
    }

  snapshot_best_times (self, snapshot, &accent);
  if (self->drop_day >= 0)
    snapshot_drop_slot (self, snapshot, &accent, &error);

  GTK_WIDGET_CLASS (sd_week_grid_parent_class)->snapshot (widget, snapshot);
}

/* Dropping */

static gboolean
slot_at (SdWeekGrid *self,
         double      x,
         double      y,
         int        *day,
         int        *minute)
{
  *day = (int) ((x - HOURS_WIDTH) / column_width (self));
  *minute = (int) (y * 60 / HOUR_HEIGHT) / SLOT_MINUTES * SLOT_MINUTES;

  return x >= HOURS_WIDTH && *day >= 0 && *day < 7 && *minute >= 0 && *minute < 24 * 60;
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                SdWeekGrid    *self)
{
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  SdPost *post = sd_post_card_get_dragged ();
  int day, minute;

  if (page == NULL || post == NULL || !slot_at (self, x, y, &day, &minute))
    {
      self->drop_day = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return 0;
    }

  if (day != self->drop_day || minute != self->drop_minute)
    {
      GDate date = self->first;

      g_date_add_days (&date, day);
      self->drop_day = day;
      self->drop_minute = minute;
      self->drop_when = sd_calendar_page_drop_time (page, post, &date, minute);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  return sd_calendar_drop_is_copy (target) ? GDK_ACTION_COPY : GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget *target,
               SdWeekGrid    *self)
{
  self->drop_day = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SdWeekGrid    *self)
{
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  GDate date = self->first;
  int day, minute;

  self->drop_day = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (page == NULL || !G_VALUE_HOLDS_STRING (value) || sd_post_card_get_dragged () == NULL
      || !slot_at (self, x, y, &day, &minute))
    return FALSE;

  g_date_add_days (&date, day);
  return sd_calendar_page_drop_post (page, g_value_get_string (value), &date, minute,
                                     sd_calendar_drop_is_copy (target));
}

/* Life cycle */

static void
sd_week_grid_dispose (GObject *object)
{
  SdWeekGrid *self = (SdWeekGrid *) object;
  GtkWidget *child;

  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->minutes, g_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sd_week_grid_parent_class)->dispose (object);
}

static void
sd_week_grid_class_init (SdWeekGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_week_grid_dispose;
  widget_class->measure = sd_week_grid_measure;
  widget_class->size_allocate = sd_week_grid_size_allocate;
  widget_class->snapshot = sd_week_grid_snapshot;

  gtk_widget_class_set_css_name (widget_class, "sd-week-grid");
}

static void
sd_week_grid_init (SdWeekGrid *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE | GDK_ACTION_COPY);

  g_date_clear (&self->first, 1);
  self->cards = g_ptr_array_new ();
  self->posts = g_ptr_array_new_with_free_func (g_object_unref);
  self->days = g_array_new (FALSE, FALSE, sizeof (int));
  self->minutes = g_array_new (FALSE, FALSE, sizeof (int));
  self->drop_day = -1;
  self->networks = SD_PLATFORM_SET_ALL;

  for (int h = 0; h < 24; h++)
    {
      g_autoptr(GDateTime) time = g_date_time_new_local (2000, 1, 1, h, 0, 0);
      /* Translators: an hour of the week view's time scale, see g_date_time_format(). */
      g_autofree char *text = g_date_time_format (time, _("%H:%M"));

      self->hour_labels[h] = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (self->hour_labels[h]), 1);
      gtk_widget_add_css_class (self->hour_labels[h], "dim-label");
      gtk_widget_add_css_class (self->hour_labels[h], "caption");
      gtk_widget_add_css_class (self->hour_labels[h], "numeric");
      gtk_widget_set_parent (self->hour_labels[h], GTK_WIDGET (self));
    }

  g_signal_connect (target, "enter", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
sd_week_grid_new (void)
{
  return g_object_new (SD_TYPE_WEEK_GRID, NULL);
}
