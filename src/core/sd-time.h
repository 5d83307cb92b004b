/* sd-time.h — reading and writing the times people and files give us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SD_TIME_START_OF_DAY,
  SD_TIME_END_OF_DAY,
} SdTimeDayEdge;

gboolean  sd_time_parse_iso8601 (const char     *text,
                                 GTimeZone      *default_tz,
                                 gint64         *unix_time);
gboolean  sd_time_parse_date    (const char     *text,
                                 GTimeZone      *default_tz,
                                 SdTimeDayEdge   edge,
                                 gint64         *unix_time);
char     *sd_time_format_iso8601 (gint64         unix_time);
gint64    sd_time_now            (void);

G_END_DECLS
