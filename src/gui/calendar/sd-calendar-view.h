/* sd-calendar-view.h — what the month, week and list views have in common
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_CALENDAR_VIEW (sd_calendar_view_get_type ())
G_DECLARE_INTERFACE (SdCalendarView, sd_calendar_view, SD, CALENDAR_VIEW, GtkWidget)

struct _SdCalendarViewInterface
{
  GTypeInterface parent_iface;

  /* The days the view shows around @date. */
  void (*get_range)   (SdCalendarView *self,
                       const GDate    *date,
                       GDate          *first,
                       GDate          *last);
  /* @posts: the posts of that range, in time order. */
  void (*show_posts)  (SdCalendarView *self,
                       const GDate    *date,
                       GPtrArray      *posts);
  void (*set_compact) (SdCalendarView *self,
                       gboolean        compact);
  /* Moves the keyboard focus to @date's day, if the view shows it. */
  void (*focus_day)   (SdCalendarView *self,
                       const GDate    *date);
};

void sd_calendar_view_get_range   (SdCalendarView *self,
                                   const GDate    *date,
                                   GDate          *first,
                                   GDate          *last);
void sd_calendar_view_show_posts  (SdCalendarView *self,
                                   const GDate    *date,
                                   GPtrArray      *posts);
void sd_calendar_view_set_compact (SdCalendarView *self,
                                   gboolean        compact);
void sd_calendar_view_focus_day   (SdCalendarView *self,
                                   const GDate    *date);

G_END_DECLS
