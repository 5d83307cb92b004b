/* test-schedule.c — moving posts by days in local time (across DST), snapping, best times and
 * the user's own, the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-schedule.h"
#include "sd-store-private.h"
#include "sd-time.h"

static gint64
utc (const char *iso)
{
  gint64 t;

  g_assert_true (sd_time_parse_iso8601 (iso, NULL, &t));
  return t;
}

static char *
iso (gint64 t)
{
  return sd_time_format_iso8601 (t);
}

static void
test_move_keeps_local_time_across_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *autumn = NULL;
  g_autofree char *spring = NULL;
  g_autofree char *back = NULL;

  g_assert_nonnull (berlin);

  /* 09:00 CEST on Saturday 24 October 2026 → Monday 26 October, after the clocks went back: 09:00 CET. */
  autumn = iso (sd_schedule_move_to_day (utc ("2026-10-24T07:00:00Z"), 2026, 10, 26, berlin));
  g_assert_cmpstr (autumn, ==, "2026-10-26T08:00:00Z");

  /* 09:00 CET on Friday 27 March 2026 → Monday 30 March, summer time: 09:00 CEST. */
  spring = iso (sd_schedule_move_to_day (utc ("2026-03-27T08:00:00Z"), 2026, 3, 30, berlin));
  g_assert_cmpstr (spring, ==, "2026-03-30T07:00:00Z");

  /* And back again restores exactly the old time (Undo). */
  back = iso (sd_schedule_move_to_day (utc ("2026-03-30T07:00:00Z"), 2026, 3, 27, berlin));
  g_assert_cmpstr (back, ==, "2026-03-27T08:00:00Z");
}

static void
test_move_into_the_skipped_hour (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *moved = NULL;

  /* 02:30 does not exist on 29 March 2026 in Berlin: it becomes 03:30 CEST (01:30 UTC). */
  moved = iso (sd_schedule_move_to_day (utc ("2026-03-26T01:30:00Z"), 2026, 3, 29, berlin));
  g_assert_cmpstr (moved, ==, "2026-03-29T01:30:00Z");
}

static void
test_move_in_jakarta (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autofree char *moved = iso (sd_schedule_move_to_day (utc ("2026-10-24T02:00:00Z"), 2026, 10, 26, jakarta));

  g_assert_cmpstr (moved, ==, "2026-10-26T02:00:00Z");
}

static void
test_snap (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autoptr(GTimeZone) kathmandu = g_time_zone_new_identifier ("Asia/Kathmandu");   /* UTC+5:45 */
  g_autofree char *down = iso (sd_schedule_snap (utc ("2026-12-10T09:07:00+07:00"), 15, jakarta));
  g_autofree char *up = iso (sd_schedule_snap (utc ("2026-12-10T09:08:00+07:00"), 15, jakarta));
  g_autofree char *quarter = iso (sd_schedule_snap (utc ("2026-12-10T10:52:00+05:45"), 15, kathmandu));

  g_assert_cmpstr (down, ==, "2026-12-10T02:00:00Z");
  g_assert_cmpstr (up, ==, "2026-12-10T02:15:00Z");
  /* Local quarters, whatever the zone's offset: 10:52 → 10:45 local. */
  g_assert_cmpstr (quarter, ==, "2026-12-10T05:00:00Z");
}

/* A drop on a day whose first windows have started goes to the next one. */
static void
test_next_best_time (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autoptr(GDateTime) eleven = g_date_time_new (jakarta, 2026, 12, 10, 11, 0, 0);
  g_autoptr(GDateTime) evening = g_date_time_new (jakarta, 2026, 12, 10, 19, 0, 0);
  gint64 after_eleven = g_date_time_to_unix (eleven);
  g_autofree char *x = iso (sd_schedule_next_best_time (1u << SD_PLATFORM_X, 2026, 12, 10, after_eleven, jakarta));
  g_autofree char *instagram_and_x = iso (sd_schedule_next_best_time ((1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_INSTAGRAM),
                                                                      2026, 12, 10, after_eleven, jakarta));
  g_autofree char *late = iso (sd_schedule_next_best_time (1u << SD_PLATFORM_X, 2026, 12, 10,
                                                           g_date_time_to_unix (evening), jakarta));
  g_autofree char *none = iso (sd_schedule_next_best_time (1u << SD_PLATFORM_BLUESKY, 2026, 12, 10, after_eleven, jakarta));

  g_assert_cmpstr (x, ==, "2026-12-10T07:30:00Z");               /* 14:30, not 10:30 */
  g_assert_cmpstr (instagram_and_x, ==, "2026-12-10T07:00:00Z"); /* Instagram's 14:00 */
  g_assert_cmpstr (late, ==, "2026-12-10T03:30:00Z");            /* all past: the earliest, refused by callers */
  g_assert_cmpstr (none, ==, "2026-12-10T02:00:00Z");            /* no windows: 09:00 */
}

/* The a{ss} setting: a network missing keeps its defaults, bad text too, empty is none. */
static void
test_load_best_times (void)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) setting = NULL;
  const SdTimeWindow *windows;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "bluesky", "18:00–19:00");
  g_variant_builder_add (&builder, "{ss}", "x", "");
  g_variant_builder_add (&builder, "{ss}", "linkedin", "not a time");
  setting = g_variant_ref_sink (g_variant_builder_end (&builder));

  sd_schedule_load_best_times (setting);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_BLUESKY, &windows), ==, 1);
  g_assert_cmpuint (windows[0].start, ==, 18 * 60);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_X, &windows), ==, 0);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_LINKEDIN, &windows), ==, 2);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_INSTAGRAM, &windows), ==, 2);

  sd_schedule_load_best_times (NULL);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_BLUESKY, &windows), ==, 0);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_X, &windows), ==, 2);
}

/* A drop on a week slot: that local time, the skipped spring hour becoming the next. */
static void
test_time_on_day (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *morning = iso (sd_schedule_time_on_day (2027, 3, 28, 9 * 60 + 15, berlin));
  g_autofree char *gap = iso (sd_schedule_time_on_day (2027, 3, 28, 2 * 60 + 30, berlin));

  g_assert_cmpstr (morning, ==, "2027-03-28T07:15:00Z");   /* summer time: UTC+2 */
  g_assert_cmpstr (gap, ==, "2027-03-28T01:30:00Z");       /* 02:30 does not exist: 03:30 */
}

static void
test_best_time (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autofree char *x_and_linkedin = iso (sd_schedule_best_time_on_day ((1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_LINKEDIN),
                                                                       2026, 12, 10, jakarta));
  g_autofree char *instagram = iso (sd_schedule_best_time_on_day (1u << SD_PLATFORM_INSTAGRAM, 2026, 12, 10, jakarta));
  g_autofree char *bluesky = iso (sd_schedule_best_time_on_day (1u << SD_PLATFORM_BLUESKY, 2026, 12, 10, jakarta));
  const SdTimeWindow *windows;

  g_assert_cmpstr (x_and_linkedin, ==, "2026-12-10T01:30:00Z");   /* LinkedIn's 08:30 */
  g_assert_cmpstr (instagram, ==, "2026-12-10T03:00:00Z");        /* 10:00 */
  g_assert_cmpstr (bluesky, ==, "2026-12-10T02:00:00Z");          /* none: 09:00 */
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_X, &windows), ==, 2);
  g_assert_cmpuint (windows[1].start, ==, 14 * 60 + 30);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_TIKTOK, &windows), ==, 0);
}

static char *
parse_and_format (const char *text)
{
  g_autoptr(GArray) windows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_schedule_parse_windows (text, &windows, &error));
  g_assert_no_error (error);
  return sd_schedule_format_windows ((const SdTimeWindow *) windows->data, windows->len);
}

static void
test_parse_and_format (void)
{
  static const struct {
    const char *text;
    const char *formatted;
  } cases[] = {
    { "10:00\u201312:00, 14:00\u201316:00", "10:00\u201312:00, 14:00\u201316:00" },
    { "9:00-11:00,13:00 - 15:00", "09:00\u201311:00, 13:00\u201315:00" },
    { "  8:30 \u2013 10:30  ", "08:30\u201310:30" },
    { "0:00-1:00, 22:00-24:00", "00:00\u201301:00, 22:00\u201324:00" },
    { "10.30-12.30", "10:30\u201312:30" },
    { "10:00\u201412:00", "10:00\u201312:00" },                       /* em dash */
    { "10:00-12:00,", "10:00\u201312:00" },                            /* stray comma */
    { "", "" },
    { "   ", "" },
    { " , ", "" },
    /* Sorted, and overlapping or touching windows merged. */
    { "14:00-16:00, 10:00-12:00", "10:00\u201312:00, 14:00\u201316:00" },
    { "10:00-12:00, 11:00-13:00, 12:30-12:45", "10:00\u201313:00" },
    { "10:00-12:00, 12:00-13:00, 15:00-16:00", "10:00\u201313:00, 15:00\u201316:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = parse_and_format (cases[i].text);
      g_autofree char *again = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (formatted, ==, cases[i].formatted);
      /* The normal form reads back as itself. */
      again = parse_and_format (formatted);
      g_assert_cmpstr (again, ==, formatted);
    }
}

static void
test_parse_values (void)
{
  g_autoptr(GArray) windows = NULL;
  g_autofree char *none = sd_schedule_format_windows (NULL, 0);

  g_assert_true (sd_schedule_parse_windows ("22:00-24:00, 14:30-16:30, 9:05-10:00", &windows, NULL));
  g_assert_cmpuint (windows->len, ==, 3);
  g_assert_cmpuint (g_array_index (windows, SdTimeWindow, 0).start, ==, 9 * 60 + 5);
  g_assert_cmpuint (g_array_index (windows, SdTimeWindow, 1).start, ==, 14 * 60 + 30);
  g_assert_cmpuint (g_array_index (windows, SdTimeWindow, 1).end, ==, 16 * 60 + 30);
  g_assert_cmpuint (g_array_index (windows, SdTimeWindow, 2).end, ==, 24 * 60);
  g_assert_cmpstr (none, ==, "");
  /* Checking only. */
  g_assert_true (sd_schedule_parse_windows ("10:00-11:00", NULL, NULL));
}

static void
test_parse_errors (void)
{
  static const struct {
    const char *text;
    SdScheduleError code;
    const char *quoted;
  } cases[] = {
    { "25:00-26:00", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c25:00\u201d is not a time of day" },
    { "10:00-24:30", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c24:30\u201d" },
    { "10:60-11:00", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c10:60\u201d" },
    { "10-12", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c10\u201d" },
    { "1000-1200", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c1000\u201d" },
    { "100:00-101:00", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c100:00\u201d" },
    { "10:0-11:00", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c10:0\u201d" },
    { "10:00 am-11:00", SD_SCHEDULE_ERROR_NOT_A_TIME, "\u201c10:00 am\u201d" },
    { "10:00", SD_SCHEDULE_ERROR_NOT_A_WINDOW, "\u201c10:00\u201d is not a time window" },
    { "10:00-", SD_SCHEDULE_ERROR_NOT_A_WINDOW, "\u201c10:00-\u201d" },
    { "- 12:00", SD_SCHEDULE_ERROR_NOT_A_WINDOW, "\u201c- 12:00\u201d" },
    { "10:00-12:00-14:00", SD_SCHEDULE_ERROR_NOT_A_WINDOW, "\u201c10:00-12:00-14:00\u201d" },
    { "10:00-12:00, noon", SD_SCHEDULE_ERROR_NOT_A_WINDOW, "\u201cnoon\u201d" },
    { "12:00\u201310:00", SD_SCHEDULE_ERROR_BACKWARDS, "\u201c12:00\u201310:00\u201d must end after it starts" },
    { "10:00-10:00", SD_SCHEDULE_ERROR_BACKWARDS, "\u201c10:00-10:00\u201d" },
    { "22:00-01:00", SD_SCHEDULE_ERROR_BACKWARDS, "\u201c22:00-01:00\u201d" },
    { "24:00-24:00", SD_SCHEDULE_ERROR_BACKWARDS, "\u201c24:00-24:00\u201d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GArray *windows = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_false (sd_schedule_parse_windows (cases[i].text, &windows, &error));
      g_assert_error (error, SD_SCHEDULE_ERROR, (int) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].quoted));
      g_assert_null (windows);
    }
}

static void
reset_all_best_windows (void)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    sd_schedule_reset_best_windows (platform);
}

static void
test_best_time_overrides (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  const SdTimeWindow evening[] = { { 20 * 60, 21 * 60 }, { 18 * 60, 19 * 60 } };
  const SdTimeWindow early[] = { { 7 * 60, 8 * 60 } };
  const SdTimeWindow *windows;
  g_autofree char *tiktok = NULL;
  g_autofree char *x_and_linkedin = NULL;
  g_autofree char *linkedin_none = NULL;
  g_autofree char *linkedin_back = NULL;
  g_autofree char *formatted = NULL;

  /* A network without defaults gets some; they come back sorted. */
  sd_schedule_set_best_windows (SD_PLATFORM_TIKTOK, evening, G_N_ELEMENTS (evening));
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_TIKTOK, &windows), ==, 2);
  formatted = sd_schedule_format_windows (windows, 2);
  g_assert_cmpstr (formatted, ==, "18:00\u201319:00, 20:00\u201321:00");
  tiktok = iso (sd_schedule_best_time_on_day (1u << SD_PLATFORM_TIKTOK, 2026, 12, 10, jakarta));
  g_assert_cmpstr (tiktok, ==, "2026-12-10T11:00:00Z");              /* 18:00 */

  /* X's own windows now start before LinkedIn's default 08:30. */
  sd_schedule_set_best_windows (SD_PLATFORM_X, early, G_N_ELEMENTS (early));
  x_and_linkedin = iso (sd_schedule_best_time_on_day ((1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_LINKEDIN),
                                                      2026, 12, 10, jakarta));
  g_assert_cmpstr (x_and_linkedin, ==, "2026-12-10T00:00:00Z");      /* 07:00 */

  /* No windows at all: 09:00. */
  sd_schedule_set_best_windows (SD_PLATFORM_LINKEDIN, NULL, 0);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_LINKEDIN, &windows), ==, 0);
  g_assert_null (windows);
  linkedin_none = iso (sd_schedule_best_time_on_day (1u << SD_PLATFORM_LINKEDIN, 2026, 12, 10, jakarta));
  g_assert_cmpstr (linkedin_none, ==, "2026-12-10T02:00:00Z");

  /* Back to the defaults. */
  sd_schedule_reset_best_windows (SD_PLATFORM_LINKEDIN);
  linkedin_back = iso (sd_schedule_best_time_on_day (1u << SD_PLATFORM_LINKEDIN, 2026, 12, 10, jakarta));
  g_assert_cmpstr (linkedin_back, ==, "2026-12-10T01:30:00Z");       /* 08:30 */
  reset_all_best_windows ();
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_TIKTOK, &windows), ==, 0);
  g_assert_cmpuint (sd_schedule_best_windows (SD_PLATFORM_X, &windows), ==, 2);
  g_assert_cmpuint (windows[0].start, ==, 10 * 60 + 30);
}

/* What Preferences stores reads back as the same windows. */
static void
test_overrides_from_text (void)
{
  g_autoptr(GArray) parsed = NULL;
  g_autofree char *shown = NULL;
  const SdTimeWindow *windows;
  guint n;

  g_assert_true (sd_schedule_parse_windows ("13:00-15:00, 9:00 - 10:00", &parsed, NULL));
  sd_schedule_set_best_windows (SD_PLATFORM_MASTODON, (const SdTimeWindow *) parsed->data, parsed->len);
  n = sd_schedule_best_windows (SD_PLATFORM_MASTODON, &windows);
  shown = sd_schedule_format_windows (windows, n);
  g_assert_cmpstr (shown, ==, "09:00\u201310:00, 13:00\u201315:00");
  reset_all_best_windows ();
}

/* A move is saved at once, and a send waiting in the outbox moves with it. */
static void
test_store_move (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-test-schedule-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "socialdesk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, &error);
  g_autoptr(SdPost) post = sd_post_new ();
  g_autoptr(SdPost) moved = NULL;
  gint64 old = 0;
  sqlite3_stmt *stmt;

  sd_post_set_text (post, "Move me");
  sd_post_set_platforms (post, 1u << SD_PLATFORM_MASTODON);
  sd_post_set_scheduled_at (post, utc ("2026-12-10T02:00:00Z"));
  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_cmpint (sqlite3_exec (sd_store_get_db (store),
                                 "INSERT INTO job (id, variant_id, due_at, idempotency_key, created_at, updated_at)"
                                 " SELECT 'j1', id, 1796868000, 'k1', 1, 1 FROM variant", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_true (sd_store_move_post (store, sd_post_get_id (post), utc ("2026-12-11T02:00:00Z"), &old, &error));
  g_assert_no_error (error);
  g_assert_cmpint (old, ==, utc ("2026-12-10T02:00:00Z"));
  moved = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_cmpint (sd_post_get_scheduled_at (moved), ==, utc ("2026-12-11T02:00:00Z"));

  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (store), "SELECT due_at FROM job WHERE id = 'j1'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, utc ("2026-12-11T02:00:00Z"));
  sqlite3_finalize (stmt);

  /* Undo restores exactly the old time. */
  g_assert_true (sd_store_move_post (store, sd_post_get_id (post), old, NULL, &error));
  g_clear_object (&moved);
  moved = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_cmpint (sd_post_get_scheduled_at (moved), ==, old);

  /* A published post stays. */
  g_assert_cmpint (sqlite3_exec (sd_store_get_db (store), "UPDATE post SET state = 'published'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_false (sd_store_move_post (store, sd_post_get_id (post), utc ("2026-12-12T02:00:00Z"), NULL, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PUBLISHED);
  g_clear_error (&error);

  g_assert_false (sd_store_move_post (store, "nope", utc ("2026-12-12T02:00:00Z"), NULL, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schedule/move-keeps-local-time-across-dst", test_move_keeps_local_time_across_dst);
  g_test_add_func ("/schedule/move-into-the-skipped-hour", test_move_into_the_skipped_hour);
  g_test_add_func ("/schedule/move-in-jakarta", test_move_in_jakarta);
  g_test_add_func ("/schedule/snap", test_snap);
  g_test_add_func ("/schedule/best-time", test_best_time);
  g_test_add_func ("/schedule/time-on-day", test_time_on_day);
  g_test_add_func ("/schedule/next-best-time", test_next_best_time);
  g_test_add_func ("/schedule/load-best-times", test_load_best_times);
  g_test_add_func ("/schedule/parse-and-format", test_parse_and_format);
  g_test_add_func ("/schedule/parse-values", test_parse_values);
  g_test_add_func ("/schedule/parse-errors", test_parse_errors);
  g_test_add_func ("/schedule/best-time-overrides", test_best_time_overrides);
  g_test_add_func ("/schedule/overrides-from-text", test_overrides_from_text);
  g_test_add_func ("/schedule/store-move", test_store_move);

  return g_test_run ();
}
