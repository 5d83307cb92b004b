/* test-import.c — RFC 4180 reading, time parsing and all-or-nothing CSV import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-csv.h"
#include "sd-import.h"
#include "sd-store.h"
#include "sd-time.h"

static GPtrArray *
parse (const char  *csv,
       GError     **error)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");

  g_assert_nonnull (jakarta);
  return sd_import_parse_csv (csv, strlen (csv), jakarta, error);
}

static void
test_csv_quoting (void)
{
  const char *csv = "a,\"b, with comma\",\"say \"\"hi\"\"\"\r\n"
                    "\"multi\r\nline\",,last\n"
                    "x,\"\",\"trailing\"";
  g_autoptr(SdCsvReader) reader = sd_csv_reader_new (csv, strlen (csv));
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = NULL;
  guint line = 0;

  g_assert_true (sd_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_cmpstr (fields->pdata[1], ==, "b, with comma");
  g_assert_cmpstr (fields->pdata[2], ==, "say \"hi\"");
  g_ptr_array_unref (fields);

  g_assert_true (sd_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpstr (fields->pdata[0], ==, "multi\nline");
  g_assert_cmpstr (fields->pdata[1], ==, "");
  g_assert_cmpstr (fields->pdata[2], ==, "last");
  g_ptr_array_unref (fields);

  g_assert_true (sd_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpstr (fields->pdata[1], ==, "");
  g_assert_cmpstr (fields->pdata[2], ==, "trailing");
  g_ptr_array_unref (fields);

  g_assert_false (sd_csv_reader_next (reader, &fields, &line, &error));
  g_assert_no_error (error);
}

static void
test_csv_errors (void)
{
  const char *unterminated = "a,b\n\"open,c\nmore";
  const char *stray = "a,b\nfoo\"bar,c\n";
  g_autoptr(SdCsvReader) reader = sd_csv_reader_new (unterminated, strlen (unterminated));
  g_autoptr(SdCsvReader) reader2 = sd_csv_reader_new (stray, strlen (stray));
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = NULL;
  guint line;

  g_assert_true (sd_csv_reader_next (reader, &fields, &line, &error));
  g_ptr_array_unref (fields);
  g_assert_false (sd_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, SD_CSV_ERROR, SD_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  g_assert_true (sd_csv_reader_next (reader2, &fields, &line, &error));
  g_ptr_array_unref (fields);
  g_assert_false (sd_csv_reader_next (reader2, &fields, &line, &error));
  g_assert_error (error, SD_CSV_ERROR, SD_CSV_ERROR_STRAY_QUOTE);
}

static void
test_import_valid (void)
{
  const char *csv = "\xEF\xBB\xBF" "scheduled_at,text,platforms\r\n"
                    "2026-12-10T09:00:00+07:00,\"Halo, dunia\",x;bluesky\r\n"
                    ",\"Baris satu\r\nbaris dua\",\r\n"
                    "2026-12-11 10:30,Jam lokal,Mastodon; LinkedIn\r\n"
                    ",,\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) posts = parse (csv, &error);
  SdPost *post;

  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, 3);

  post = posts->pdata[0];
  g_assert_cmpstr (sd_post_get_text (post), ==, "Halo, dunia");
  g_assert_cmpint (sd_post_get_scheduled_at (post), ==, 1796868000);
  g_assert_cmpuint (sd_post_get_platforms (post), ==,
                    (1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_BLUESKY));

  post = posts->pdata[1];
  g_assert_cmpstr (sd_post_get_text (post), ==, "Baris satu\nbaris dua");
  g_assert_cmpint (sd_post_get_scheduled_at (post), ==, SD_POST_NO_TIME);
  g_assert_cmpuint (sd_post_get_platforms (post), ==, 0);

  /* No offset: the default zone (Jakarta, UTC+7). */
  post = posts->pdata[2];
  g_assert_cmpint (sd_post_get_scheduled_at (post), ==, 1796959800);
  g_assert_cmpuint (sd_post_get_platforms (post), ==,
                    (1u << SD_PLATFORM_MASTODON) | (1u << SD_PLATFORM_LINKEDIN));
}

static void
test_import_reports_every_bad_line (void)
{
  const char *csv = "scheduled_at,text,platforms\n"
                    "2026-12-10T09:00:00Z,fine,x\n"
                    "2026-13-45T09:00:00Z,bad date,x\n"
                    ",bad network,x;friendster\n"
                    ",\"multi\nline, fine\",\n"
                    ",,x\n"
                    ",too,many,fields\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) posts = parse (csv, &error);

  g_assert_null (posts);
  g_assert_error (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 3: “2026-13-45T09:00:00Z”"));
  g_assert_nonnull (strstr (error->message, "line 4: unknown network “friendster”"));
  g_assert_nonnull (strstr (error->message, "line 7: the text is empty"));
  g_assert_nonnull (strstr (error->message, "line 8: expected 3 fields, found 4"));
  g_assert_null (strstr (error->message, "line 2:"));
  g_assert_null (strstr (error->message, "line 5:"));
}

static void
test_import_rejects_files (void)
{
  struct {
    const char *csv;
    const char *expected;
  } cases[] = {
    { "", "empty" },
    { "when,body\n,hi\n", "line 1: the header has no “text” column" },
    { "text\nfine\n\xff\xfe broken\n", "line 3: the file is not UTF-8" },
    { "text,platforms\n\"never closed\n", "line 2: a quoted field is never closed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) posts = parse (cases[i].csv, &error);

      g_assert_null (posts);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

static void
test_import_file_all_or_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-test-import-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "socialdesk.db", NULL);
  g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (db, &error);
  g_autoptr(GPtrArray) posts = NULL;
  guint n = 0;

  g_assert_true (g_file_set_contents (good, "text,platforms\none,x\ntwo,tiktok\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "text,platforms\nthree,x\nfour,myspace\n", -1, NULL));

  g_assert_false (sd_import_csv_file (store, bad_file, &n, &error));
  g_assert_error (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID);
  g_clear_error (&error);
  posts = sd_store_list_posts (store, NULL, &error);
  g_assert_cmpuint (posts->len, ==, 0);
  g_clear_pointer (&posts, g_ptr_array_unref);

  g_assert_true (sd_import_csv_file (store, good_file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  posts = sd_store_list_posts (store, NULL, &error);
  g_assert_cmpuint (posts->len, ==, 2);

  g_remove (good);
  g_remove (bad);
}

static void
test_time_parsing (void)
{
  g_autoptr(GTimeZone) jakarta = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *formatted = NULL;
  gint64 t;

  g_assert_true (sd_time_parse_iso8601 ("2026-12-10T09:00:00+07:00", NULL, &t));
  g_assert_cmpint (t, ==, 1796868000);
  g_assert_true (sd_time_parse_iso8601 ("2026-12-10T02:00Z", NULL, &t));
  g_assert_cmpint (t, ==, 1796868000);
  g_assert_true (sd_time_parse_iso8601 ("2026-12-10 09:00", jakarta, &t));
  g_assert_cmpint (t, ==, 1796868000);
  /* Summer time in Berlin is UTC+2. */
  g_assert_true (sd_time_parse_iso8601 ("2026-07-01T12:00", berlin, &t));
  g_assert_cmpint (t, ==, 1782900000);

  g_assert_false (sd_time_parse_iso8601 ("tomorrow", NULL, &t));
  g_assert_false (sd_time_parse_iso8601 ("2026-02-30T10:00:00Z", NULL, &t));
  g_assert_false (sd_time_parse_iso8601 ("", NULL, &t));

  g_assert_true (sd_time_parse_date ("2026-12-10", jakarta, SD_TIME_START_OF_DAY, &t));
  g_assert_cmpint (t, ==, 1796835600);
  g_assert_true (sd_time_parse_date ("2026-12-10", jakarta, SD_TIME_END_OF_DAY, &t));
  g_assert_cmpint (t, ==, 1796835600 + 86399);
  g_assert_false (sd_time_parse_date ("2026-02-30", jakarta, SD_TIME_START_OF_DAY, &t));

  formatted = sd_time_format_iso8601 (1796868000);
  g_assert_cmpstr (formatted, ==, "2026-12-10T02:00:00Z");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/quoting", test_csv_quoting);
  g_test_add_func ("/csv/errors", test_csv_errors);
  g_test_add_func ("/import/valid", test_import_valid);
  g_test_add_func ("/import/reports-every-bad-line", test_import_reports_every_bad_line);
  g_test_add_func ("/import/rejects-files", test_import_rejects_files);
  g_test_add_func ("/import/file-all-or-nothing", test_import_file_all_or_nothing);
  g_test_add_func ("/time/parsing", test_time_parsing);

  return g_test_run ();
}
