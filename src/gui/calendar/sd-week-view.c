/* sd-week-view.c — a week as a 24-hour grid, one column per day
 *
 * The day headers are targets too: a drop there keeps the time of day, like
 * a drop on a day of the month view, and a cut card is pasted onto them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-week-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-calendar-private.h"
#include "sd-post-card.h"
#include "sd-week-grid.h"
#include "sd-week-view.h"

#define FIRST_HOUR_SHOWN 7

struct _SdWeekView
{
  GtkWidget  parent_instance;

  GDate      first;
  gboolean   scrolled;

  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *days[7];
  GtkWidget *scroller;
  GtkWidget *grid;
};

static void sd_week_view_iface_init (SdCalendarViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdWeekView, sd_week_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_CALENDAR_VIEW, sd_week_view_iface_init))

static void
sd_week_view_get_range (SdCalendarView *view,
                        const GDate    *date,
                        GDate          *first,
                        GDate          *last)
{
  int back = (g_date_get_weekday (date) % 7 - sd_calendar_first_weekday () + 7) % 7;

  *first = *date;
  g_date_subtract_days (first, back);
  *last = *first;
  g_date_add_days (last, 6);
}

static void
update_day_headers (SdWeekView *self)
{
  GDate today;

  sd_calendar_date_today (&today);
  for (guint i = 0; i < 7; i++)
    {
      GDate day = self->first;
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;
      GtkWidget *label = gtk_widget_get_first_child (self->days[i]);

      g_date_add_days (&day, i);
      time = sd_calendar_date_to_local (&day);
      /* Translators: a day's heading in the week view, see g_date_time_format(). */
      text = g_date_time_format (time, _("%a %-d"));
      gtk_label_set_text (GTK_LABEL (label), text);
      name = sd_calendar_format_long_date (&day);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->days[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      if (g_date_compare (&day, &today) == 0)
        gtk_widget_add_css_class (self->days[i], "sd-today");
      else
        gtk_widget_remove_css_class (self->days[i], "sd-today");
    }
}

static gboolean
scroll_to_morning_cb (gpointer user_data)
{
  SdWeekView *self = user_data;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                            FIRST_HOUR_SHOWN * SD_WEEK_GRID_HOUR_HEIGHT);
  return G_SOURCE_REMOVE;
}

/* The working day, not midnight, is what a planner looks at first: once the
 * grid has its height, it is scrolled to the morning. */
static void
adjustment_changed_cb (GtkAdjustment *adjustment,
                       SdWeekView    *self)
{
  if (self->scrolled || gtk_adjustment_get_page_size (adjustment) <= 0
      || gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment))
    return;

  /* Just after: the viewport is still configuring the adjustment now. */
  self->scrolled = TRUE;
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, scroll_to_morning_cb, g_object_ref (self), g_object_unref);
}

static void
sd_week_view_show_posts (SdCalendarView *view,
                         const GDate    *date,
                         GPtrArray      *posts)
{
  SdWeekView *self = SD_WEEK_VIEW (view);
  GDate last;

  sd_week_view_get_range (view, date, &self->first, &last);
  update_day_headers (self);
  sd_week_grid_set_days (SD_WEEK_GRID (self->grid), &self->first, posts);
}

static void
sd_week_view_set_compact (SdCalendarView *view,
                          gboolean        compact)
{
  sd_week_grid_set_compact (SD_WEEK_GRID (SD_WEEK_VIEW (view)->grid), compact);
}

static void
sd_week_view_focus_day (SdCalendarView *view,
                        const GDate    *date)
{
  SdWeekView *self = SD_WEEK_VIEW (view);
  int index = g_date_days_between (&self->first, date);

  if (index >= 0 && index < 7)
    gtk_widget_grab_focus (self->days[index]);
}

static void
sd_week_view_iface_init (SdCalendarViewInterface *iface)
{
  iface->get_range = sd_week_view_get_range;
  iface->show_posts = sd_week_view_show_posts;
  iface->set_compact = sd_week_view_set_compact;
  iface->focus_day = sd_week_view_focus_day;
}

void
sd_week_view_set_networks (SdWeekView    *self,
                           SdPlatformSet  networks)
{
  g_return_if_fail (SD_IS_WEEK_VIEW (self));

  sd_week_grid_set_networks (SD_WEEK_GRID (self->grid), networks);
}

/* The day headers */

static int
header_index (SdWeekView *self,
              GtkWidget  *header)
{
  for (int i = 0; i < 7; i++)
    if (self->days[i] == header)
      return i;
  return 0;
}

static void
header_day (SdWeekView *self,
            GtkWidget  *header,
            GDate      *day)
{
  *day = self->first;
  g_date_add_days (day, header_index (self, header));
}

static void
header_leave_cb (GtkDropTarget *target,
                 SdWeekView    *self)
{
  GtkWidget *header = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));

  gtk_widget_remove_css_class (header, "sd-drop-target");
  gtk_widget_set_tooltip_text (header, NULL);
}

static GdkDragAction
header_motion_cb (GtkDropTarget *target,
                  double         x,
                  double         y,
                  SdWeekView    *self)
{
  GtkWidget *header = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  SdPost *post = sd_post_card_get_dragged ();
  GDate day;

  if (page == NULL || post == NULL)
    {
      header_leave_cb (target, self);
      return 0;
    }

    {
      g_autofree char *hint = NULL;

      header_day (self, header, &day);
      hint = sd_calendar_describe_drop (sd_calendar_page_drop_time (page, post, &day,
                                                                    SD_CALENDAR_WHOLE_DAY));
      gtk_widget_set_tooltip_text (header, hint);
      gtk_widget_add_css_class (header, "sd-drop-target");
    }

  return sd_calendar_drop_is_copy (target) ? GDK_ACTION_COPY : GDK_ACTION_MOVE;
}

static gboolean
header_drop_cb (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                SdWeekView    *self)
{
  GtkWidget *header = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  GDate day;

  header_leave_cb (target, self);
  if (page == NULL || !G_VALUE_HOLDS_STRING (value) || sd_post_card_get_dragged () == NULL)
    return FALSE;

  header_day (self, header, &day);
  return sd_calendar_page_drop_post (page, g_value_get_string (value), &day,
                                     SD_CALENDAR_WHOLE_DAY, sd_calendar_drop_is_copy (target));
}

static gboolean
header_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       SdWeekView            *self)
{
  GtkWidget *header = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  int index = header_index (self, header);
  GDate day;

  if (keyval == GDK_KEY_v && (state & GDK_CONTROL_MASK) && page != NULL)
    {
      header_day (self, header, &day);
      sd_calendar_page_paste (page, &day);
      return TRUE;
    }
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  if (keyval == GDK_KEY_Left && index > 0)
    return gtk_widget_grab_focus (self->days[index - 1]);
  if (keyval == GDK_KEY_Right && index < 6)
    return gtk_widget_grab_focus (self->days[index + 1]);

  return FALSE;
}

static GtkWidget *
make_day_header (SdWeekView *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = gtk_label_new (NULL);
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE | GDK_ACTION_COPY);
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (header), label);
  gtk_widget_set_focusable (header, TRUE);
  gtk_widget_set_hexpand (header, TRUE);
  gtk_widget_add_css_class (header, "sd-week-day");
  g_signal_connect (target, "enter", G_CALLBACK (header_motion_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (header_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (header_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (header_drop_cb), self);
  gtk_widget_add_controller (header, GTK_EVENT_CONTROLLER (target));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (header_key_pressed_cb), self);
  gtk_widget_add_controller (header, keys);

  return header;
}

/* Life cycle */

static void
sd_week_view_dispose (GObject *object)
{
  SdWeekView *self = (SdWeekView *) object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (sd_week_view_parent_class)->dispose (object);
}

static void
sd_week_view_class_init (SdWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_week_view_dispose;

  gtk_widget_class_set_css_name (widget_class, "sd-week-view");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_week_view_init (SdWeekView *self)
{
  GtkWidget *spacer;

  g_date_clear (&self->first, 1);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->grid = sd_week_grid_new ();
  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_set_homogeneous (GTK_BOX (self->header), FALSE);
  gtk_widget_add_css_class (self->header, "sd-week-header");
  spacer = gtk_label_new (NULL);
  gtk_widget_set_size_request (spacer, sd_week_grid_get_hours_width (SD_WEEK_GRID (self->grid)), -1);
  gtk_box_append (GTK_BOX (self->header), spacer);
  {
    GtkWidget *days = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_box_set_homogeneous (GTK_BOX (days), TRUE);
    gtk_widget_set_hexpand (days, TRUE);
    for (guint i = 0; i < 7; i++)
      {
        self->days[i] = make_day_header (self);
        gtk_box_append (GTK_BOX (days), self->days[i]);
      }
    gtk_box_append (GTK_BOX (self->header), days);
  }
  gtk_box_append (GTK_BOX (self->box), self->header);
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->grid);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                           "changed", G_CALLBACK (adjustment_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (self->box), self->scroller);
}

GtkWidget *
sd_week_view_new (void)
{
  return g_object_new (SD_TYPE_WEEK_VIEW, NULL);
}
