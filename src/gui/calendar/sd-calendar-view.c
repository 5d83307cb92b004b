/* sd-calendar-view.c — what the month, week and list views have in common
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-calendar-view.h"

G_DEFINE_INTERFACE (SdCalendarView, sd_calendar_view, GTK_TYPE_WIDGET)

static void
sd_calendar_view_default_init (SdCalendarViewInterface *iface)
{
}

void
sd_calendar_view_get_range (SdCalendarView *self,
                            const GDate    *date,
                            GDate          *first,
                            GDate          *last)
{
  g_return_if_fail (SD_IS_CALENDAR_VIEW (self));

  SD_CALENDAR_VIEW_GET_IFACE (self)->get_range (self, date, first, last);
}

void
sd_calendar_view_show_posts (SdCalendarView *self,
                             const GDate    *date,
                             GPtrArray      *posts)
{
  g_return_if_fail (SD_IS_CALENDAR_VIEW (self));

  SD_CALENDAR_VIEW_GET_IFACE (self)->show_posts (self, date, posts);
}

void
sd_calendar_view_set_compact (SdCalendarView *self,
                              gboolean        compact)
{
  g_return_if_fail (SD_IS_CALENDAR_VIEW (self));

  if (SD_CALENDAR_VIEW_GET_IFACE (self)->set_compact != NULL)
    SD_CALENDAR_VIEW_GET_IFACE (self)->set_compact (self, compact);
}

void
sd_calendar_view_focus_day (SdCalendarView *self,
                            const GDate    *date)
{
  g_return_if_fail (SD_IS_CALENDAR_VIEW (self));

  if (SD_CALENDAR_VIEW_GET_IFACE (self)->focus_day != NULL)
    SD_CALENDAR_VIEW_GET_IFACE (self)->focus_day (self, date);
}
