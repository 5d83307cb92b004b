/* sd-schedule.h — planning times: moving by days in local time, snapping, best times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

typedef struct
{
  guint start;   /* minutes after local midnight */
  guint end;
} SdTimeWindow;

gint64   sd_schedule_move_to_day        (gint64         when,
                                         int            year,
                                         int            month,
                                         int            day,
                                         GTimeZone     *tz);
gint64   sd_schedule_snap               (gint64         when,
                                         guint          minutes,
                                         GTimeZone     *tz);
guint    sd_schedule_best_windows       (SdPlatform     platform,
                                         const SdTimeWindow **windows);
gint64   sd_schedule_best_time_on_day   (SdPlatformSet  platforms,
                                         int            year,
                                         int            month,
                                         int            day,
                                         GTimeZone     *tz);

G_END_DECLS
