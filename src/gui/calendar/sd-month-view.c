/* sd-month-view.c — six weeks of days around a month
 *
 * The 42 cells are made once and rebound on every change of month, so a
 * switch costs a rebind of at most a few cards per day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-month-view"

#include "config.h"

#include "sd-calendar-private.h"
#include "sd-month-cell.h"
#include "sd-month-view.h"

#define N_WEEKS 6
#define N_CELLS (N_WEEKS * 7)

struct _SdMonthView
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *weekdays[7];
  GtkWidget *cells[N_CELLS];
};

static void sd_month_view_iface_init (SdCalendarViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdMonthView, sd_month_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_CALENDAR_VIEW, sd_month_view_iface_init))

static void
first_shown_day (const GDate *date,
                 GDate       *first)
{
  int back;

  g_date_set_dmy (first, 1, g_date_get_month (date), g_date_get_year (date));
  /* GDateWeekday: Monday = 1 … Sunday = 7; first_weekday: Sunday = 0. */
  back = (g_date_get_weekday (first) % 7 - sd_calendar_first_weekday () + 7) % 7;
  g_date_subtract_days (first, back);
}

static void
sd_month_view_get_range (SdCalendarView *view,
                         const GDate    *date,
                         GDate          *first,
                         GDate          *last)
{
  first_shown_day (date, first);
  *last = *first;
  g_date_add_days (last, N_CELLS - 1);
}

static void
update_weekday_names (SdMonthView *self,
                      const GDate *first)
{
  for (guint i = 0; i < 7; i++)
    {
      GDate day = *first;
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *name = NULL;

      g_date_add_days (&day, i);
      time = sd_calendar_date_to_local (&day);
      name = g_date_time_format (time, "%a");
      gtk_label_set_text (GTK_LABEL (self->weekdays[i]), name);
    }
}

static void
sd_month_view_show_posts (SdCalendarView *view,
                          const GDate    *date,
                          GPtrArray      *posts)
{
  SdMonthView *self = SD_MONTH_VIEW (view);
  GPtrArray *days[N_CELLS] = { NULL, };
  GDate first, today;

  first_shown_day (date, &first);
  sd_calendar_date_today (&today);
  update_weekday_names (self, &first);

  for (guint i = 0; posts != NULL && i < posts->len; i++)
    {
      SdPost *post = g_ptr_array_index (posts, i);
      GDate day;
      int index;

      sd_calendar_date_from_unix (sd_post_get_scheduled_at (post), &day);
      index = g_date_days_between (&first, &day);
      if (index < 0 || index >= N_CELLS)
        continue;
      if (days[index] == NULL)
        days[index] = g_ptr_array_new ();
      g_ptr_array_add (days[index], post);
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      GDate day = first;

      g_date_add_days (&day, i);
      sd_month_cell_set_day (SD_MONTH_CELL (self->cells[i]), &day,
                             g_date_get_month (&day) == g_date_get_month (date),
                             g_date_compare (&day, &today) == 0);
      sd_month_cell_set_posts (SD_MONTH_CELL (self->cells[i]), days[i]);
      g_clear_pointer (&days[i], g_ptr_array_unref);
    }
}

static void
sd_month_view_set_compact (SdCalendarView *view,
                           gboolean        compact)
{
  SdMonthView *self = SD_MONTH_VIEW (view);

  for (guint i = 0; i < N_CELLS; i++)
    sd_month_cell_set_compact (SD_MONTH_CELL (self->cells[i]), compact);
}

static void
sd_month_view_focus_day (SdCalendarView *view,
                         const GDate    *date)
{
  SdMonthView *self = SD_MONTH_VIEW (view);

  for (guint i = 0; i < N_CELLS; i++)
    if (g_date_compare (sd_month_cell_get_day (SD_MONTH_CELL (self->cells[i])), date) == 0)
      gtk_widget_grab_focus (self->cells[i]);
}

static void
sd_month_view_iface_init (SdCalendarViewInterface *iface)
{
  iface->get_range = sd_month_view_get_range;
  iface->show_posts = sd_month_view_show_posts;
  iface->set_compact = sd_month_view_set_compact;
  iface->focus_day = sd_month_view_focus_day;
}

/* Arrow keys move between days, as in any calendar. */
static gboolean
move_focus (SdMonthView *self,
            int          step)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  for (int i = 0; i < N_CELLS; i++)
    if (self->cells[i] == focus && i + step >= 0 && i + step < N_CELLS)
      return gtk_widget_grab_focus (self->cells[i + step]);

  return FALSE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdMonthView           *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:  return move_focus (self, rtl ? 1 : -1);
    case GDK_KEY_Right: return move_focus (self, rtl ? -1 : 1);
    case GDK_KEY_Up:    return move_focus (self, -7);
    case GDK_KEY_Down:  return move_focus (self, 7);
    default:            return FALSE;
    }
}

/* The grid lines, as plain rectangles. */
static void
sd_month_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SdMonthView *self = SD_MONTH_VIEW (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GdkRGBA line;

  GTK_WIDGET_CLASS (sd_month_view_parent_class)->snapshot (widget, snapshot);

  gtk_style_context_get_color (style, &line);
  line.alpha = 0.1;
  for (guint i = 0; i < N_CELLS; i++)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (self->cells[i], widget, &bounds))
        continue;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (bounds.origin.x + bounds.size.width - 1,
                                                      bounds.origin.y, 1, bounds.size.height));
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (bounds.origin.x,
                                                      bounds.origin.y + bounds.size.height - 1,
                                                      bounds.size.width, 1));
    }
}

static void
sd_month_view_dispose (GObject *object)
{
  SdMonthView *self = (SdMonthView *) object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (sd_month_view_parent_class)->dispose (object);
}

static void
sd_month_view_class_init (SdMonthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_month_view_dispose;
  widget_class->snapshot = sd_month_view_snapshot;

  gtk_widget_class_set_css_name (widget_class, "sd-month-view");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_month_view_init (SdMonthView *self)
{
  GtkWidget *header = gtk_grid_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_grid_set_column_homogeneous (GTK_GRID (header), TRUE);
  gtk_widget_add_css_class (header, "sd-weekdays");
  for (guint i = 0; i < 7; i++)
    {
      self->weekdays[i] = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (self->weekdays[i]), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (self->weekdays[i]), 1);
      gtk_widget_add_css_class (self->weekdays[i], "dim-label");
      gtk_widget_add_css_class (self->weekdays[i], "caption-heading");
      gtk_grid_attach (GTK_GRID (header), self->weekdays[i], i, 0, 1, 1);
    }
  gtk_box_append (GTK_BOX (self->box), header);

  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_vexpand (grid, TRUE);
  gtk_widget_add_css_class (grid, "sd-month-grid");
  for (guint i = 0; i < N_CELLS; i++)
    {
      self->cells[i] = sd_month_cell_new ();
      gtk_widget_set_hexpand (self->cells[i], TRUE);
      gtk_widget_set_vexpand (self->cells[i], TRUE);
      gtk_grid_attach (GTK_GRID (grid), self->cells[i], i % 7, i / 7, 1, 1);
    }
  gtk_box_append (GTK_BOX (self->box), grid);

  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
sd_month_view_new (void)
{
  return g_object_new (SD_TYPE_MONTH_VIEW, NULL);
}
