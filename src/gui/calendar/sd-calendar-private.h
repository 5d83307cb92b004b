/* sd-calendar-private.h — what the calendar's views ask of the page that holds them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-calendar-page.h"

G_BEGIN_DECLS

/* How much of its text a card in the month or week grid holds: a few words fit, and
 * laying out more for every card of a week costs more than the switch may take. */
#define MONTH_CARD_CHARS 24
#define WEEK_CARD_CHARS 16

/* A drop "on the day" rather than at a time of day. */
#define SD_CALENDAR_WHOLE_DAY (-1)

SdCalendarPage *sd_calendar_page_from_widget   (GtkWidget      *widget);
SdStore        *sd_calendar_page_get_store     (SdCalendarPage *self);
gint64          sd_calendar_page_drop_time     (SdCalendarPage *self,
                                                SdPost         *post,
                                                const GDate    *day,
                                                int             minute);
gboolean        sd_calendar_page_drop_post     (SdCalendarPage *self,
                                                const char     *id,
                                                const GDate    *day,
                                                int             minute,
                                                gboolean        copy);
gboolean        sd_calendar_page_unschedule_id (SdCalendarPage *self,
                                                const char     *id);
gboolean        sd_calendar_page_paste         (SdCalendarPage *self,
                                                const GDate    *day);

char           *sd_calendar_format_long_date   (const GDate    *day);
char           *sd_calendar_describe_drop      (gint64          when);
gboolean        sd_calendar_drop_is_copy       (GtkDropTarget  *target);
void            sd_calendar_date_today         (GDate          *date);
int             sd_calendar_first_weekday      (void);
GDateTime      *sd_calendar_date_to_local      (const GDate    *day);
GDateTime      *sd_calendar_local_time         (gint64          when);
GTimeZone      *sd_calendar_zone               (void);
void            sd_calendar_refresh_zone       (void);
void            sd_calendar_date_from_unix     (gint64          when,
                                                GDate          *day);

G_END_DECLS
