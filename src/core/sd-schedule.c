/* sd-schedule.c — planning times: moving by days in local time, snapping, best times
 *
 * A post planned for 09:00 stays at 09:00 when it is moved to another day, even
 * across a daylight-saving change: the move happens in the user's local time
 * and only then becomes UTC. A local time that does not exist on the new day
 * (the hour skipped in spring) becomes the first one that does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-schedule"

#include "sd-schedule.h"

#define DEFAULT_HOUR 9
#define MINUTES(h, m) ((h) * 60 + (m))

/* Each network's best posting windows in local time (the defaults; Preferences will
 * edit them). Networks without any have none until the user sets them. */
static const SdTimeWindow instagram[] = { { MINUTES (10, 0), MINUTES (12, 0) }, { MINUTES (14, 0), MINUTES (16, 0) } };
static const SdTimeWindow youtube[] = { { MINUTES (11, 0), MINUTES (13, 0) }, { MINUTES (15, 0), MINUTES (17, 0) } };
static const SdTimeWindow facebook[] = { { MINUTES (9, 0), MINUTES (11, 0) }, { MINUTES (13, 0), MINUTES (15, 0) } };
static const SdTimeWindow x[] = { { MINUTES (10, 30), MINUTES (12, 30) }, { MINUTES (14, 30), MINUTES (16, 30) } };
static const SdTimeWindow linkedin[] = { { MINUTES (8, 30), MINUTES (10, 30) }, { MINUTES (12, 30), MINUTES (14, 30) } };

guint
sd_schedule_best_windows (SdPlatform           platform,
                          const SdTimeWindow **windows)
{
  switch (platform)
    {
    case SD_PLATFORM_INSTAGRAM: *windows = instagram; return G_N_ELEMENTS (instagram);
    case SD_PLATFORM_YOUTUBE:   *windows = youtube;   return G_N_ELEMENTS (youtube);
    case SD_PLATFORM_FACEBOOK:  *windows = facebook;  return G_N_ELEMENTS (facebook);
    case SD_PLATFORM_X:         *windows = x;         return G_N_ELEMENTS (x);
    case SD_PLATFORM_LINKEDIN:  *windows = linkedin;  return G_N_ELEMENTS (linkedin);
    default:                    *windows = NULL;      return 0;
    }
}

static GTimeZone *
zone_or_local (GTimeZone  *tz,
               GTimeZone **local)
{
  if (tz != NULL)
    return tz;
  return *local = g_time_zone_new_local ();
}

/* The local wall-clock time on the given day; a time skipped by a DST change is moved
 * forward by the length of the gap. */
static gint64
local_time_on_day (GTimeZone *tz,
                   int        year,
                   int        month,
                   int        day,
                   int        hour,
                   int        minute,
                   int        second)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, year, month, day, 0, 0, 0);
  g_autoptr(GDateTime) wanted = NULL;
  gint64 seconds_after_midnight = (gint64) hour * 3600 + minute * 60 + second;

  if (midnight == NULL)
    return 0;

  wanted = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (wanted != NULL && g_date_time_get_hour (wanted) == hour && g_date_time_get_minute (wanted) == minute)
    return g_date_time_to_unix (wanted);

  /* In the gap: the same distance from midnight in elapsed time lands just past it. */
  return g_date_time_to_unix (midnight) + seconds_after_midnight;
}

/**
 * sd_schedule_move_to_day:
 *
 * @when, moved to another day at the same local time of day.
 */
gint64
sd_schedule_move_to_day (gint64     when,
                         int        year,
                         int        month,
                         int        day,
                         GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) old = NULL;

  tz = zone_or_local (tz, &local);
  old = g_date_time_to_timezone (utc, tz);

  return local_time_on_day (tz, year, month, day, g_date_time_get_hour (old),
                            g_date_time_get_minute (old), g_date_time_get_second (old));
}

/* The nearest multiple of @minutes past the local hour (a 15-minute grid). */
gint64
sd_schedule_snap (gint64     when,
                  guint      minutes,
                  GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) time = NULL;
  gint64 into, step = (gint64) minutes * 60;

  tz = zone_or_local (tz, &local);
  time = g_date_time_to_timezone (utc, tz);
  into = (g_date_time_get_minute (time) * 60 + g_date_time_get_second (time)) % step;

  return when - into + (into * 2 >= step ? step : 0);
}

/**
 * sd_schedule_best_time_on_day:
 *
 * Where a post dropped on a day goes: the earliest best window of its networks on that
 * day, or 09:00 when none of them has one.
 */
gint64
sd_schedule_best_time_on_day (SdPlatformSet  platforms,
                              int            year,
                              int            month,
                              int            day,
                              GTimeZone     *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  guint earliest = G_MAXUINT;

  tz = zone_or_local (tz, &local);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdTimeWindow *windows;
      guint n;

      if (!sd_platform_set_contains (platforms, platform))
        continue;
      n = sd_schedule_best_windows (platform, &windows);
      for (guint i = 0; i < n; i++)
        earliest = MIN (earliest, windows[i].start);
    }

  if (earliest == G_MAXUINT)
    earliest = MINUTES (DEFAULT_HOUR, 0);

  return local_time_on_day (tz, year, month, day, earliest / 60, earliest % 60, 0);
}
