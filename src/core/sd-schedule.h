/* sd-schedule.h — planning times: moving by days in local time, snapping, best times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

#define SD_SCHEDULE_ERROR (sd_schedule_error_quark ())

/**
 * SdScheduleError:
 * @SD_SCHEDULE_ERROR_NOT_A_TIME: a part is not a time of day (H:MM or HH:MM, 00:00 to 24:00)
 * @SD_SCHEDULE_ERROR_NOT_A_WINDOW: a part is not two times joined by a dash
 * @SD_SCHEDULE_ERROR_BACKWARDS: a window does not end after it starts on the same day
 *
 * Why a list of time windows could not be read; the message quotes the bad part.
 */
typedef enum
{
  SD_SCHEDULE_ERROR_NOT_A_TIME,
  SD_SCHEDULE_ERROR_NOT_A_WINDOW,
  SD_SCHEDULE_ERROR_BACKWARDS,
} SdScheduleError;

typedef struct
{
  guint start;   /* minutes after local midnight */
  guint end;     /* after start; at most 24 * 60 */
} SdTimeWindow;

GQuark   sd_schedule_error_quark        (void);

gint64   sd_schedule_move_to_day        (gint64         when,
                                         int            year,
                                         int            month,
                                         int            day,
                                         GTimeZone     *tz);
gint64   sd_schedule_time_on_day        (int            year,
                                         int            month,
                                         int            day,
                                         int            minute,
                                         GTimeZone     *tz);
gint64   sd_schedule_snap               (gint64         when,
                                         guint          minutes,
                                         GTimeZone     *tz);

gboolean sd_schedule_parse_windows      (const char    *text,
                                         GArray       **windows,
                                         GError       **error);
char    *sd_schedule_format_windows     (const SdTimeWindow *windows,
                                         guint          n);

guint    sd_schedule_best_windows       (SdPlatform     platform,
                                         const SdTimeWindow **windows);
void     sd_schedule_set_best_windows   (SdPlatform     platform,
                                         const SdTimeWindow *windows,
                                         guint          n);
void     sd_schedule_reset_best_windows (SdPlatform     platform);
gint64   sd_schedule_next_best_time     (SdPlatformSet  platforms,
                                         int            year,
                                         int            month,
                                         int            day,
                                         gint64         after,
                                         GTimeZone     *tz);
void     sd_schedule_load_best_times    (GVariant      *best_times);
gint64   sd_schedule_best_time_on_day   (SdPlatformSet  platforms,
                                         int            year,
                                         int            month,
                                         int            day,
                                         GTimeZone     *tz);

G_END_DECLS
