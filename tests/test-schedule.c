/* test-schedule.c — moving posts by days in local time (across DST), snapping, best times, the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

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
  g_test_add_func ("/schedule/store-move", test_store_move);

  return g_test_run ();
}
