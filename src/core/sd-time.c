/* sd-time.c — reading and writing the times people and files give us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-time"

#include "sd-time.h"

#include <stdio.h>
#include <string.h>

/* Accepts what spreadsheets and people write: "2026-12-10T09:00:00+07:00",
 * "2026-12-10T02:00Z", "2026-12-10 09:00" (a space instead of T) and, without
 * an offset, a time in default_tz (the local zone when NULL). */
gboolean
sd_time_parse_iso8601 (const char *text,
                       GTimeZone  *default_tz,
                       gint64     *unix_time)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;
  char *space;

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0')
    return FALSE;

  space = strchr (copy, ' ');
  if (space != NULL && space - copy == 10)
    *space = 'T';

  /* GLib wants seconds; people often leave them out ("…T09:00+07:00"). */
  if (strlen (copy) >= 16 && copy[10] == 'T' && copy[13] == ':'
      && g_ascii_isdigit (copy[15]) && copy[16] != ':' && copy[16] != '.')
    {
      g_autofree char *head = g_strndup (copy, 16);
      char *with_seconds = g_strconcat (head, ":00", copy + 16, NULL);

      g_free (copy);
      copy = with_seconds;
    }

  if (default_tz == NULL)
    default_tz = local = g_time_zone_new_local ();

  dt = g_date_time_new_from_iso8601 (copy, default_tz);
  if (dt == NULL)
    return FALSE;

  *unix_time = g_date_time_to_unix (dt);
  return TRUE;
}

/* A whole date ("2026-12-10") is the start or the end of that day in
 * default_tz; anything with a time is taken as sd_time_parse_iso8601() does. */
gboolean
sd_time_parse_date (const char    *text,
                    GTimeZone     *default_tz,
                    SdTimeDayEdge  edge,
                    gint64        *unix_time)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;
  int year, month, day;
  char tail;

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  if (sscanf (copy, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 || strlen (copy) != 10)
    return sd_time_parse_iso8601 (copy, default_tz, unix_time);

  if (!g_date_valid_dmy (day, month, year))
    return FALSE;

  if (default_tz == NULL)
    default_tz = local = g_time_zone_new_local ();

  if (edge == SD_TIME_START_OF_DAY)
    dt = g_date_time_new (default_tz, year, month, day, 0, 0, 0);
  else
    dt = g_date_time_new (default_tz, year, month, day, 23, 59, 59);

  if (dt == NULL)
    return FALSE;

  *unix_time = g_date_time_to_unix (dt);
  return TRUE;
}

char *
sd_time_format_iso8601 (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  if (dt == NULL)
    return NULL;

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gint64
sd_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
