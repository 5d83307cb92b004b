/* sd-calendar-page.h — the content calendar: month, week and list of planned posts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_CALENDAR_PAGE (sd_calendar_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCalendarPage, sd_calendar_page, SD, CALENDAR_PAGE, GtkWidget)

void        sd_calendar_page_set_store     (SdCalendarPage *self,
                                            SdStore        *store);
void        sd_calendar_page_set_menu      (SdCalendarPage *self,
                                            GMenuModel     *menu);
const char *sd_calendar_page_get_view      (SdCalendarPage *self);
gboolean    sd_calendar_page_set_view      (SdCalendarPage *self,
                                            const char     *view);
void        sd_calendar_page_get_date      (SdCalendarPage *self,
                                            GDate          *date);
void        sd_calendar_page_set_date      (SdCalendarPage *self,
                                            const GDate    *date);
void        sd_calendar_page_get_range     (SdCalendarPage *self,
                                            GDate          *first,
                                            GDate          *last);
void        sd_calendar_page_reload        (SdCalendarPage *self);
/* Another page's button (the Inbox) at the start of the header bar. */
void        sd_calendar_page_add_header_button (SdCalendarPage *self,
                                                GtkWidget      *button);

G_END_DECLS
