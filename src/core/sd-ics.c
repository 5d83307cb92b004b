/* sd-ics.c — posts as an iCalendar file that calendar apps open
 *
 * RFC 5545: one VEVENT per post with a time (15 minutes long, so it shows as a
 * slot), its first line as the summary, its whole text as the description, its
 * networks as categories. Text values are escaped and lines folded at 75 octets
 * without splitting a UTF-8 character; lines end in CRLF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-ics"

#include <string.h>

#include "sd-ics.h"
#include "sd-post.h"

#define EVENT_SECONDS (15 * 60)
#define SUMMARY_CHARS 60

static char *
escape_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case ';': g_string_append (out, "\\;"); break;
        case ',': g_string_append (out, "\\,"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': break;
        default: g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* Appends "NAME:value" folded to lines of at most 75 octets. */
static void
add_line (GString    *ics,
          const char *name,
          const char *value)
{
  g_autofree char *line = g_strconcat (name, ":", value, NULL);
  const char *p = line;
  gsize room = 75;

  while (*p != '\0')
    {
      const char *end = p;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if ((gsize) (next - p) > room)
            break;
          end = next;
        }
      g_string_append_len (ics, p, end - p);
      g_string_append (ics, "\r\n");
      p = end;
      if (*p != '\0')
        {
          g_string_append_c (ics, ' ');
          room = 74;
        }
    }
}

static char *
utc_stamp (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
}

static char *
summary_of (const char *text)
{
  g_autofree char *line = g_strndup (text, strcspn (text, "\n"));

  g_strstrip (line);
  if (g_utf8_strlen (line, -1) > SUMMARY_CHARS)
    {
      g_autofree char *start = g_utf8_substring (line, 0, SUMMARY_CHARS - 1);

      return g_strconcat (start, "…", NULL);
    }
  return g_steal_pointer (&line);
}

static int
compare_by_time (gconstpointer a,
                 gconstpointer b)
{
  SdPost *post_a = *(SdPost **) a;
  SdPost *post_b = *(SdPost **) b;
  gint64 time_a = sd_post_get_scheduled_at (post_a);
  gint64 time_b = sd_post_get_scheduled_at (post_b);

  if (time_a != time_b)
    return time_a < time_b ? -1 : 1;
  return g_strcmp0 (sd_post_get_id (post_a), sd_post_get_id (post_b));
}

/**
 * sd_ics_select_posts:
 * @posts: (element-type SdPost): the posts of a range, in any order
 * @networks: keep the posts meant for any of these networks;
 *   %SD_PLATFORM_SET_ALL keeps every post, also one with no network chosen yet
 *
 * Picks what goes into a calendar: the posts with a time, for those networks,
 * earliest first (the order a calendar reads best).
 *
 * Returns: (transfer full) (element-type SdPost): a new array holding references
 */
GPtrArray *
sd_ics_select_posts (GPtrArray     *posts,
                     SdPlatformSet  networks)
{
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (posts != NULL, chosen);

  for (guint i = 0; i < posts->len; i++)
    {
      SdPost *post = posts->pdata[i];

      if (sd_post_get_scheduled_at (post) == SD_POST_NO_TIME)
        continue;
      if (networks != SD_PLATFORM_SET_ALL && (sd_post_get_platforms (post) & networks) == 0)
        continue;
      g_ptr_array_add (chosen, g_object_ref (post));
    }

  g_ptr_array_sort (chosen, compare_by_time);
  return chosen;
}

/**
 * sd_ics_from_posts:
 * @posts: (element-type SdPost): the posts; those without a time are left out
 * @now: the export's time (DTSTAMP), unix seconds
 */
char *
sd_ics_from_posts (GPtrArray *posts,
                   gint64     now)
{
  GString *ics = g_string_new (NULL);
  g_autofree char *stamp = utc_stamp (now);

  add_line (ics, "BEGIN", "VCALENDAR");
  add_line (ics, "VERSION", "2.0");
  add_line (ics, "PRODID", "-//SocialDesk//SocialDesk//EN");
  add_line (ics, "CALSCALE", "GREGORIAN");
  add_line (ics, "X-WR-CALNAME", "SocialDesk");

  for (guint i = 0; i < posts->len; i++)
    {
      SdPost *post = posts->pdata[i];
      gint64 when = sd_post_get_scheduled_at (post);
      g_autofree char *uid = NULL;
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;
      g_autofree char *summary = NULL;
      g_autofree char *description = NULL;
      g_autofree char *categories = NULL;
      GString *names;

      if (when == SD_POST_NO_TIME)
        continue;

      uid = g_strconcat (sd_post_get_id (post), "@socialdesk", NULL);
      start = utc_stamp (when);
      end = utc_stamp (when + EVENT_SECONDS);
      {
        g_autofree char *plain = summary_of (sd_post_get_text (post));

        summary = escape_text (plain);
      }
      description = escape_text (sd_post_get_text (post));

      names = g_string_new (NULL);
      for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
        if (sd_platform_set_contains (sd_post_get_platforms (post), platform))
          g_string_append_printf (names, "%s%s", names->len > 0 ? "," : "",
                                  sd_platform_get_info (platform)->display_name);
      categories = g_string_free (names, FALSE);

      add_line (ics, "BEGIN", "VEVENT");
      add_line (ics, "UID", uid);
      add_line (ics, "DTSTAMP", stamp);
      add_line (ics, "DTSTART", start);
      add_line (ics, "DTEND", end);
      add_line (ics, "SUMMARY", summary);
      add_line (ics, "DESCRIPTION", description);
      if (categories[0] != '\0')
        add_line (ics, "CATEGORIES", categories);
      add_line (ics, "STATUS", sd_post_get_state (post) == SD_POST_STATE_DRAFT ? "TENTATIVE" : "CONFIRMED");
      add_line (ics, "END", "VEVENT");
    }

  add_line (ics, "END", "VCALENDAR");
  return g_string_free (ics, FALSE);
}
