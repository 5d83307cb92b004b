/* sd-schedule.c — planning times: moving by days in local time, snapping, best times
 *
 * A post planned for 09:00 stays at 09:00 when it is moved to another day, even
 * across a daylight-saving change: the move happens in the user's local time
 * and only then becomes UTC. A local time that does not exist on the new day
 * (the hour skipped in spring) becomes the first one that does.
 *
 * Each network has best posting windows (local times of day): built-in defaults
 * that the user can replace in Preferences. The replacements live in one
 * process-wide table that is neither locked nor thread-safe: read and change the
 * best windows from the main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-schedule"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-schedule.h"

#define DEFAULT_HOUR 9
#define MINUTES(h, m) ((h) * 60 + (m))
#define MINUTES_PER_DAY MINUTES (24, 0)

G_DEFINE_QUARK (sd-schedule-error-quark, sd_schedule_error)

/* Each network's default best posting windows in local time. Networks without any
 * have none until the user sets them. */
static const SdTimeWindow instagram[] = { { MINUTES (10, 0), MINUTES (12, 0) }, { MINUTES (14, 0), MINUTES (16, 0) } };
static const SdTimeWindow youtube[] = { { MINUTES (11, 0), MINUTES (13, 0) }, { MINUTES (15, 0), MINUTES (17, 0) } };
static const SdTimeWindow facebook[] = { { MINUTES (9, 0), MINUTES (11, 0) }, { MINUTES (13, 0), MINUTES (15, 0) } };
static const SdTimeWindow x[] = { { MINUTES (10, 30), MINUTES (12, 30) }, { MINUTES (14, 30), MINUTES (16, 30) } };
static const SdTimeWindow linkedin[] = { { MINUTES (8, 30), MINUTES (10, 30) }, { MINUTES (12, 30), MINUTES (14, 30) } };

/* The user's windows, sorted and not overlapping; NULL where the defaults apply. */
static GArray *overrides[SD_N_PLATFORMS];

static guint
default_best_windows (SdPlatform           platform,
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

/**
 * sd_schedule_best_windows:
 * @platform: a network
 * @windows: (out) (transfer none): where to put the windows, sorted by start
 *
 * The network's best posting windows: the user's if they set some, else the
 * defaults. The array stays valid until the next sd_schedule_set_best_windows()
 * or sd_schedule_reset_best_windows() for @platform. Main thread only.
 *
 * Returns: how many windows there are (0 for none; then @windows is %NULL)
 */
guint
sd_schedule_best_windows (SdPlatform           platform,
                          const SdTimeWindow **windows)
{
  g_return_val_if_fail (platform < SD_N_PLATFORMS, 0);
  g_return_val_if_fail (windows != NULL, 0);

  if (overrides[platform] == NULL)
    return default_best_windows (platform, windows);

  if (overrides[platform]->len == 0)
    {
      *windows = NULL;
      return 0;
    }

  *windows = &g_array_index (overrides[platform], SdTimeWindow, 0);
  return overrides[platform]->len;
}

static int
compare_starts (gconstpointer a,
                gconstpointer b)
{
  const SdTimeWindow *wa = a, *wb = b;

  return (wa->start > wb->start) - (wa->start < wb->start);
}

/* Sorts the windows and merges those that overlap or touch (10:00–12:00 and
 * 11:00–13:00, or 10:00–12:00 and 12:00–13:00, become 10:00–13:00). */
static void
normalize_windows (GArray *windows)
{
  guint kept = 0;

  if (windows->len == 0)
    return;

  g_array_sort (windows, compare_starts);
  for (guint i = 1; i < windows->len; i++)
    {
      SdTimeWindow *last = &g_array_index (windows, SdTimeWindow, kept);
      const SdTimeWindow *next = &g_array_index (windows, SdTimeWindow, i);

      if (next->start <= last->end)
        last->end = MAX (last->end, next->end);
      else
        g_array_index (windows, SdTimeWindow, ++kept) = *next;
    }
  g_array_set_size (windows, kept + 1);
}

/**
 * sd_schedule_set_best_windows:
 * @platform: a network
 * @windows: (array length=n) (nullable): the windows, each with start < end <= 24:00
 * @n: how many; 0 means the network has no best windows
 *
 * Replaces the network's default best windows (in this process, not on disk).
 * Overlapping windows are merged. Main thread only.
 */
void
sd_schedule_set_best_windows (SdPlatform          platform,
                              const SdTimeWindow *windows,
                              guint               n)
{
  GArray *copy;

  g_return_if_fail (platform < SD_N_PLATFORMS);
  g_return_if_fail (windows != NULL || n == 0);
  for (guint i = 0; i < n; i++)
    g_return_if_fail (windows[i].start < windows[i].end && windows[i].end <= MINUTES_PER_DAY);

  copy = g_array_sized_new (FALSE, FALSE, sizeof (SdTimeWindow), n);
  if (n > 0)
    g_array_append_vals (copy, windows, n);
  normalize_windows (copy);

  g_clear_pointer (&overrides[platform], g_array_unref);
  overrides[platform] = copy;
}

/**
 * sd_schedule_reset_best_windows:
 * @platform: a network
 *
 * Gives the network back its default best windows. Main thread only.
 */
void
sd_schedule_reset_best_windows (SdPlatform platform)
{
  g_return_if_fail (platform < SD_N_PLATFORMS);

  g_clear_pointer (&overrides[platform], g_array_unref);
}

/* H:MM or HH:MM, from 0:00 to 24:00 (an end of day). A dot works as well as a colon,
 * as many people (and locales) write times: 10.30. */
static gboolean
parse_time_of_day (const char *text,
                   guint      *minutes)
{
  const char *p = text;
  guint hour = 0, minute;
  int digits;

  for (digits = 0; digits < 2 && g_ascii_isdigit (*p); digits++, p++)
    hour = hour * 10 + (guint) (*p - '0');
  if (digits == 0 || (*p != ':' && *p != '.'))
    return FALSE;
  p++;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || p[2] != '\0')
    return FALSE;

  minute = (guint) (p[0] - '0') * 10 + (guint) (p[1] - '0');
  if (hour > 24 || minute > 59 || (hour == 24 && minute > 0))
    return FALSE;

  *minutes = MINUTES (hour, minute);
  return TRUE;
}

/* The first dash in @text: a hyphen, or the en dash, em dash or minus sign that
 * word processors and phones put in its place. */
static const char *
find_dash (const char *text,
           gsize      *length)
{
  static const char *const dashes[] = { "\u2013", "\u2014", "\u2212" };

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '-')
        {
          *length = 1;
          return p;
        }
      for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
        {
          if (g_str_has_prefix (p, dashes[i]))
            {
              *length = strlen (dashes[i]);
              return p;
            }
        }
    }

  return NULL;
}

/* One window, "10:00–12:00"; @text has no spaces around it. */
static gboolean
parse_window (const char    *text,
              SdTimeWindow  *window,
              GError       **error)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *dash;
  gsize dash_length, ignored;

  dash = find_dash (text, &dash_length);
  if (dash != NULL)
    {
      start = g_strstrip (g_strndup (text, (gsize) (dash - text)));
      end = g_strstrip (g_strdup (dash + dash_length));
    }
  if (dash == NULL || *start == '\0' || *end == '\0' || find_dash (end, &ignored) != NULL)
    {
      g_set_error (error, SD_SCHEDULE_ERROR, SD_SCHEDULE_ERROR_NOT_A_WINDOW,
                   /* Translators: %s is what the user typed. Keep the example's format:
                    * 24-hour times joined by an en dash. */
                   _("“%s” is not a time window: write it like 10:00–12:00"), text);
      return FALSE;
    }

  if (!parse_time_of_day (start, &window->start))
    {
      g_set_error (error, SD_SCHEDULE_ERROR, SD_SCHEDULE_ERROR_NOT_A_TIME,
                   _("“%s” is not a time of day"), start);
      return FALSE;
    }
  if (!parse_time_of_day (end, &window->end))
    {
      g_set_error (error, SD_SCHEDULE_ERROR, SD_SCHEDULE_ERROR_NOT_A_TIME,
                   _("“%s” is not a time of day"), end);
      return FALSE;
    }
  if (window->start >= window->end)
    {
      g_set_error (error, SD_SCHEDULE_ERROR, SD_SCHEDULE_ERROR_BACKWARDS,
                   _("“%s” must end after it starts, on the same day"), text);
      return FALSE;
    }

  return TRUE;
}

/**
 * sd_schedule_parse_windows:
 * @text: windows separated by commas, like "10:00–12:00, 14:00–16:00"
 * @windows: (out) (optional) (element-type SdTimeWindow): the windows, sorted by start
 * @error: an %SD_SCHEDULE_ERROR
 *
 * Reads time windows as a person writes them: H:MM or HH:MM (24:00 may end a
 * window), joined by a hyphen or an en dash, spaces anywhere between the parts.
 * Empty or blank text is no windows. Overlapping or touching windows are merged,
 * not refused: "10:00–12:00, 11:00–13:00" is "10:00–13:00".
 *
 * Returns: %TRUE and a new array in @windows, or %FALSE with @error set (and
 *   @windows untouched)
 */
gboolean
sd_schedule_parse_windows (const char  *text,
                           GArray     **windows,
                           GError     **error)
{
  g_autoptr(GArray) parsed = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parsed = g_array_new (FALSE, FALSE, sizeof (SdTimeWindow));
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      SdTimeWindow window;

      /* A stray comma ("10:00–12:00,") is no reason to refuse the rest. */
      if (*g_strstrip (parts[i]) == '\0')
        continue;
      if (!parse_window (parts[i], &window, error))
        return FALSE;
      g_array_append_val (parsed, window);
    }

  normalize_windows (parsed);
  if (windows != NULL)
    *windows = g_steal_pointer (&parsed);
  return TRUE;
}

/**
 * sd_schedule_format_windows:
 * @windows: (array length=n) (nullable): the windows
 * @n: how many
 *
 * Writes windows the way sd_schedule_parse_windows() reads them, in the
 * normal form: "10:00–12:00, 14:00–16:00" (HH:MM, an en dash, a comma and a
 * space between windows); "" for none.
 *
 * Returns: (transfer full): the text
 */
char *
sd_schedule_format_windows (const SdTimeWindow *windows,
                            guint               n)
{
  GString *text;

  g_return_val_if_fail (windows != NULL || n == 0, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%02u:%02u\u2013%02u:%02u", i > 0 ? ", " : "",
                            windows[i].start / 60, windows[i].start % 60,
                            windows[i].end / 60, windows[i].end % 60);

  return g_string_free (text, FALSE);
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
 * sd_schedule_time_on_day:
 * @minute: minutes after local midnight
 *
 * That local time on that day; a time skipped by a DST change becomes the next that exists.
 */
gint64
sd_schedule_time_on_day (int        year,
                         int        month,
                         int        day,
                         int        minute,
                         GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = NULL;

  tz = zone_or_local (tz, &local);
  return local_time_on_day (tz, year, month, day, minute / 60, minute % 60, 0);
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
 * sd_schedule_next_best_time:
 * @after: a time the result must be later than (now), or 0 for none
 *
 * Where a post dropped on a day goes: the first best window of its networks on
 * that day that starts after @after, or 09:00 when none of them has one. When
 * every window of the day has started already, the earliest is returned (a time
 * in the past, which the caller refuses).
 */
gint64
sd_schedule_next_best_time (SdPlatformSet  platforms,
                            int            year,
                            int            month,
                            int            day,
                            gint64         after,
                            GTimeZone     *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  gint64 earliest = G_MAXINT64, next = G_MAXINT64;
  gboolean any = FALSE;

  tz = zone_or_local (tz, &local);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdTimeWindow *windows;
      guint n;

      if (!sd_platform_set_contains (platforms, platform))
        continue;
      n = sd_schedule_best_windows (platform, &windows);
      for (guint i = 0; i < n; i++)
        {
          gint64 start = local_time_on_day (tz, year, month, day, windows[i].start / 60,
                                            windows[i].start % 60, 0);

          any = TRUE;
          earliest = MIN (earliest, start);
          if (start > after)
            next = MIN (next, start);
        }
    }

  if (!any)
    return local_time_on_day (tz, year, month, day, DEFAULT_HOUR, 0, 0);
  return next != G_MAXINT64 ? next : earliest;
}

/**
 * sd_schedule_best_time_on_day:
 *
 * The earliest best window of the networks on that day, or 09:00.
 */
gint64
sd_schedule_best_time_on_day (SdPlatformSet  platforms,
                              int            year,
                              int            month,
                              int            day,
                              GTimeZone     *tz)
{
  return sd_schedule_next_best_time (platforms, year, month, day, 0, tz);
}

/**
 * sd_schedule_load_best_times:
 * @best_times: an `a{ss}` of network id → windows text (the `best-times` setting)
 *
 * The user's best times: a network missing from @best_times, or whose text cannot be
 * read, keeps the defaults; an empty text means no windows.
 */
void
sd_schedule_load_best_times (GVariant *best_times)
{
  g_return_if_fail (best_times == NULL || g_variant_is_of_type (best_times, G_VARIANT_TYPE ("a{ss}")));

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const char *id = sd_platform_get_info (platform)->id;
      g_autoptr(GArray) windows = NULL;
      g_autoptr(GError) error = NULL;
      const char *text;

      if (best_times == NULL || !g_variant_lookup (best_times, id, "&s", &text))
        {
          sd_schedule_reset_best_windows (platform);
        }
      else if (!sd_schedule_parse_windows (text, &windows, &error))
        {
          g_debug ("Keeping the default best times for %s: %s", id, error->message);
          sd_schedule_reset_best_windows (platform);
        }
      else
        {
          sd_schedule_set_best_windows (platform, (const SdTimeWindow *) windows->data, windows->len);
        }
    }
}
