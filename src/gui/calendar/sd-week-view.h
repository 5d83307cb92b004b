/* sd-week-view.h — a week as a 24-hour grid, one column per day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-calendar-view.h"
#include "sd-platform.h"

G_BEGIN_DECLS

#define SD_TYPE_WEEK_VIEW (sd_week_view_get_type ())
G_DECLARE_FINAL_TYPE (SdWeekView, sd_week_view, SD, WEEK_VIEW, GtkWidget)

GtkWidget *sd_week_view_new          (void);
void       sd_week_view_set_networks (SdWeekView    *self,
                                      SdPlatformSet  networks);

G_END_DECLS
