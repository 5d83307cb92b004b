/* test-store.c — the SQLite store: migrations, posts, refusals, concurrent writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "sd-media-rules.h"
#include "sd-post-json.h"

#include "sd-store-private.h"
#include "sd-time.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("sd-test-store-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "nested", "socialdesk.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          remove_tree (child);
          g_object_unref (info);
        }
    }

  g_remove (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static SdPost *
make_post (const char    *text,
           SdPlatformSet  platforms,
           gint64         scheduled_at)
{
  SdPost *post = sd_post_new ();

  sd_post_set_text (post, text);
  sd_post_set_platforms (post, platforms);
  sd_post_set_scheduled_at (post, scheduled_at);
  return post;
}

static char *
query_string (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, i);

          g_string_append (out, value != NULL ? value : "NULL");
          g_string_append_c (out, i + 1 < sqlite3_column_count (stmt) ? '|' : '\n');
        }
    }
  sqlite3_finalize (stmt);

  return g_string_free (out, FALSE);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A new file: created with its folder, WAL, foreign keys, the latest schema. */
static void
test_open_new (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autofree char *journal = NULL;
  g_autofree char *fks = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_STORE_SCHEMA_VERSION);

  journal = query_string (sd_store_get_db (store), "PRAGMA journal_mode");
  fks = query_string (sd_store_get_db (store), "PRAGMA foreign_keys");
  g_assert_cmpstr (journal, ==, "wal\n");
  g_assert_cmpstr (fks, ==, "1\n");
}

static void
test_default_path (void)
{
  g_autofree char *path = sd_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "socialdesk",
                                                "socialdesk.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_post_crud (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) post = make_post ("Halo #promo", (1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_BLUESKY),
                                      1796893200);
  g_autoptr(SdPost) read = NULL;
  g_autoptr(SdPost) again = NULL;
  g_autofree char *variants = NULL;

  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_post_get_created_at (post), >, 0);

  read = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_post_get_text (read), ==, "Halo #promo");
  g_assert_cmpuint (sd_post_get_platforms (read), ==,
                    (1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_BLUESKY));
  g_assert_cmpint (sd_post_get_scheduled_at (read), ==, 1796893200);
  g_assert_cmpint (sd_post_get_state (read), ==, SD_POST_STATE_DRAFT);
  g_assert_cmpint (sd_post_get_created_at (read), ==, sd_post_get_created_at (post));

  /* Update: other text, X dropped, Mastodon added, time cleared. */
  sd_post_set_text (post, "Halo lagi");
  sd_post_set_platforms (post, (1u << SD_PLATFORM_BLUESKY) | (1u << SD_PLATFORM_MASTODON));
  sd_post_set_scheduled_at (post, SD_POST_NO_TIME);
  g_assert_true (sd_store_save_post (store, post, &error));
  again = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_post_get_text (again), ==, "Halo lagi");
  g_assert_cmpuint (sd_post_get_platforms (again), ==,
                    (1u << SD_PLATFORM_BLUESKY) | (1u << SD_PLATFORM_MASTODON));
  g_assert_cmpint (sd_post_get_scheduled_at (again), ==, SD_POST_NO_TIME);

  variants = query_string (sd_store_get_db (store),
                           "SELECT platform FROM variant ORDER BY platform");
  g_assert_cmpstr (variants, ==, "bluesky\nmastodon\n");

  /* Delete cascades to the variants. */
  g_assert_true (sd_store_delete_post (store, sd_post_get_id (post), &error));
  g_assert_no_error (error);
  g_clear_pointer (&variants, g_free);
  variants = query_string (sd_store_get_db (store), "SELECT count(*) FROM variant");
  g_assert_cmpstr (variants, ==, "0\n");

  g_assert_false (sd_store_delete_post (store, sd_post_get_id (post), &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sd_store_get_post (store, sd_post_get_id (post), &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

static GPtrArray *
list_all (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *posts = sd_store_list_posts (store, NULL, &error);

  g_assert_no_error (error);
  return posts;
}

/* A network's own text is kept, changed, dropped; the others follow the post's text. */
static void
test_variant_texts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) post = make_post ("Base text", (1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_BLUESKY),
                                      SD_POST_NO_TIME);
  g_autoptr(SdPost) first = NULL;
  g_autoptr(SdPost) second = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  sd_post_set_variant_text (post, SD_PLATFORM_X, "Short for X");
  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_no_error (error);

  first = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_cmpstr (sd_post_get_variant_text (first, SD_PLATFORM_X), ==, "Short for X");
  g_assert_null (sd_post_get_variant_text (first, SD_PLATFORM_BLUESKY));
  g_assert_cmpstr (sd_post_get_text_for (first, SD_PLATFORM_BLUESKY), ==, "Base text");

  sd_post_set_variant_text (post, SD_PLATFORM_X, NULL);
  sd_post_set_variant_text (post, SD_PLATFORM_BLUESKY, "Longer for Bluesky, with \"quotes\"");
  g_assert_true (sd_store_save_post (store, post, &error));
  listed = list_all (store);
  second = g_object_ref (listed->pdata[0]);
  g_assert_null (sd_post_get_variant_text (second, SD_PLATFORM_X));
  g_assert_cmpstr (sd_post_get_variant_text (second, SD_PLATFORM_BLUESKY), ==,
                   "Longer for Bluesky, with \"quotes\"");
}


/* Each network's options are saved with its variant and come back; the JSON export shows them. */
static void
test_options (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) post = make_post ("A video", (1u << SD_PLATFORM_YOUTUBE) | (1u << SD_PLATFORM_TIKTOK),
                                      SD_POST_NO_TIME);
  g_autoptr(SdPost) first = NULL;
  g_autoptr(SdPost) second = NULL;
  g_autofree char *column = NULL;
  g_autofree char *json = NULL;

  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, "Launch “day”");
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS, "launch,new things");
  sd_post_set_option (post, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY, "SELF_ONLY");
  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_no_error (error);

  column = query_string (sd_store_get_db (store), "SELECT options_json FROM variant WHERE platform = 'tiktok'");
  g_assert_cmpstr (column, ==, "{\"privacy\":\"SELF_ONLY\"}\n");

  first = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_post_get_option (first, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE), ==, "Launch “day”");
  g_assert_cmpstr (sd_post_get_option (first, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS), ==, "launch,new things");
  g_assert_cmpstr (sd_post_get_option (first, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY), ==, "SELF_ONLY");
  g_assert_null (sd_post_get_option (first, SD_PLATFORM_TIKTOK, SD_OPTION_TITLE));

  json = sd_post_to_json (first);
  g_assert_nonnull (strstr (json, "\"options\""));
  g_assert_nonnull (strstr (json, "\"privacy\" : \"SELF_ONLY\""));

  /* Unset: the column is NULL again; the other network keeps its own. */
  sd_post_set_option (post, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY, NULL);
  g_assert_true (sd_store_save_post (store, post, &error));
  g_clear_pointer (&column, g_free);
  column = query_string (sd_store_get_db (store), "SELECT ifnull (options_json, 'NULL') FROM variant"
                                                  " WHERE platform = 'tiktok'");
  g_assert_cmpstr (column, ==, "NULL\n");
  second = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_null (sd_post_dup_options_json (second, SD_PLATFORM_TIKTOK));
  g_assert_cmpstr (sd_post_get_option (second, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE), ==, "Launch “day”");
}

/* An MP4 of a few blocks: an ISO base media "ftyp" box, then filler. */
static char *
write_video (const char *dir,
             const char *name,
             guint       kilobytes,
             guchar      fill)
{
  static const guchar ftyp[] = { 0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
                                 'i', 's', 'o', 'm', 'i', 's', 'o', '2', 'a', 'v', 'c', '1', 'm', 'p', '4', '1' };
  char *path = g_build_filename (dir, name, NULL);
  gsize length = kilobytes * 1024;
  g_autofree guchar *contents = g_malloc (length);

  memset (contents, fill, length);
  memcpy (contents, ftyp, sizeof ftyp);
  g_assert_true (g_file_set_contents (path, (const char *) contents, length, NULL));
  return path;
}

/* Videos are streamed in by content: SHA-256 names them, the same video is kept once. */
static void
test_video_import (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autofree char *clip = write_video (fixture->dir, "clip.mp4", 300, 0x5a);
  g_autofree char *copy = write_video (fixture->dir, "same clip, renamed.mp4", 300, 0x5a);
  g_autofree char *other = write_video (fixture->dir, "other.mp4", 70, 0x11);
  g_autofree char *expected = file_checksum (clip);
  g_autofree char *kept_sum = NULL;
  g_autofree char *count = NULL;
  g_autofree char *media_dir = NULL;
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip);
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy);
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autoptr(SdAttachment) video = NULL;
  g_autoptr(SdAttachment) again = NULL;
  g_autoptr(SdAttachment) second = NULL;
  g_autoptr(SdPost) post = make_post ("", 1u << SD_PLATFORM_YOUTUBE, SD_POST_NO_TIME);
  g_autoptr(SdPost) read = NULL;
  g_autoptr(GDir) dir = NULL;
  guint files = 0;

  video = sd_store_import_media (store, clip_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_attachment_get_mime_type (video), ==, "video/mp4");
  g_assert_true (sd_attachment_is_video (video));
  g_assert_cmpint (sd_attachment_get_width (video), ==, 0);
  g_assert_cmpint (sd_attachment_get_height (video), ==, 0);
  g_assert_cmpint (sd_attachment_get_bytes (video), ==, 300 * 1024);
  /* Named by the SHA-256 of the whole file, and a faithful copy of it. */
  g_assert_true (g_str_has_suffix (sd_attachment_get_path (video), ".mp4"));
  g_assert_nonnull (strstr (sd_attachment_get_path (video), expected));
  kept_sum = file_checksum (sd_attachment_get_path (video));
  g_assert_cmpstr (kept_sum, ==, expected);

  again = sd_store_import_media (store, copy_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_attachment_get_media_id (again), ==, sd_attachment_get_media_id (video));
  g_assert_cmpstr (sd_attachment_get_path (again), ==, sd_attachment_get_path (video));
  second = sd_store_import_media (store, other_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_attachment_get_media_id (second), !=, sd_attachment_get_media_id (video));
  count = query_string (sd_store_get_db (store), "SELECT count(*), sum(bytes), max(width) FROM media");
  g_assert_cmpstr (count, ==, "2|378880|0\n");

  /* Two files in the folder, no temporary left behind. */
  media_dir = g_path_get_dirname (sd_attachment_get_path (video));
  dir = g_dir_open (media_dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    files++;
  g_assert_cmpuint (files, ==, 2);

  /* It comes back from the store with its public address. */
  sd_attachment_set_public_url (video, "https://cdn.example.com/clip.mp4");
  sd_post_add_attachment (post, video);
  g_assert_true (sd_store_save_post (store, post, &error));
  read = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_post_get_attachments (read)->len, ==, 1);
  g_assert_true (sd_attachment_is_video (sd_post_get_attachments (read)->pdata[0]));
  g_assert_cmpstr (sd_attachment_get_public_url (sd_post_get_attachments (read)->pdata[0]), ==,
                   "https://cdn.example.com/clip.mp4");
  g_assert_cmpint (sd_attachment_get_bytes (sd_post_get_attachments (read)->pdata[0]), ==, 300 * 1024);
}

/* The client id of a developer app per network: set, replaced, forgotten. */
static void
test_network_apps (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autofree char *client_id = NULL;

  client_id = sd_store_dup_network_app (store, SD_PLATFORM_YOUTUBE, &error);
  g_assert_no_error (error);
  g_assert_null (client_id);

  g_assert_true (sd_store_set_network_app (store, SD_PLATFORM_YOUTUBE, "123.apps.example", &error));
  g_assert_true (sd_store_set_network_app (store, SD_PLATFORM_TIKTOK, "awtiktok", &error));
  g_assert_true (sd_store_set_network_app (store, SD_PLATFORM_YOUTUBE, "456.apps.example", &error));
  g_assert_no_error (error);
  client_id = sd_store_dup_network_app (store, SD_PLATFORM_YOUTUBE, &error);
  g_assert_cmpstr (client_id, ==, "456.apps.example");
  g_clear_pointer (&client_id, g_free);

  g_assert_true (sd_store_set_network_app (store, SD_PLATFORM_YOUTUBE, "", &error));
  client_id = sd_store_dup_network_app (store, SD_PLATFORM_YOUTUBE, &error);
  g_assert_no_error (error);
  g_assert_null (client_id);
  g_assert_true (sd_store_set_network_app (store, SD_PLATFORM_YOUTUBE, NULL, &error));
  client_id = sd_store_dup_network_app (store, SD_PLATFORM_TIKTOK, &error);
  g_assert_cmpstr (client_id, ==, "awtiktok");
}

/* Sign-ins that run out soon are found, soonest first, for renewal. */
static void
test_accounts_expiring (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) expiring = NULL;
  const struct { SdPlatform platform; const char *handle; gint64 expires_at; } accounts[] = {
    { SD_PLATFORM_THREADS, "late", 5000 },
    { SD_PLATFORM_YOUTUBE, "never", 0 },
    { SD_PLATFORM_LINKEDIN, "soon", 2000 },
    { SD_PLATFORM_FACEBOOK, "sooner", 1000 },
  };
  g_autofree char *late_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(SdAccount) account = sd_account_new (accounts[i].platform);

      sd_account_set_remote_id (account, accounts[i].handle);
      sd_account_set_handle (account, accounts[i].handle);
      sd_account_set_token_expires_at (account, accounts[i].expires_at);
      g_assert_true (sd_store_save_account (store, account, &error));
      g_assert_no_error (error);
      if (i == 0)
        late_id = g_strdup (sd_account_get_id (account));
    }

  expiring = sd_store_list_accounts_expiring (store, 3000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expiring->len, ==, 2);
  g_assert_cmpstr (sd_account_get_handle (expiring->pdata[0]), ==, "sooner");
  g_assert_cmpstr (sd_account_get_handle (expiring->pdata[1]), ==, "soon");
  g_clear_pointer (&expiring, g_ptr_array_unref);

  /* Renewed: pushed out; renewed for good: 0 and never listed. */
  g_assert_true (sd_store_set_account_token_expires_at (store, late_id, 2500, &error));
  expiring = sd_store_list_accounts_expiring (store, 3000, &error);
  g_assert_cmpuint (expiring->len, ==, 3);
  g_assert_cmpstr (sd_account_get_handle (expiring->pdata[2]), ==, "late");
  g_assert_cmpint (sd_account_get_token_expires_at (expiring->pdata[2]), ==, 2500);
  g_clear_pointer (&expiring, g_ptr_array_unref);
  g_assert_true (sd_store_set_account_token_expires_at (store, late_id, 0, &error));
  expiring = sd_store_list_accounts_expiring (store, G_MAXINT64, &error);
  g_assert_cmpuint (expiring->len, ==, 2);

  g_assert_false (sd_store_set_account_token_expires_at (store, "no-such-account", 1, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

static void
test_list_order_and_filters (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) ranged = NULL;
  g_autoptr(GPtrArray) found = NULL;
  SdPostQuery query = { 0, };
  const char *texts[] = { "first 50% off", "second under_score", "third" };
  gint64 times[] = { 1000, SD_POST_NO_TIME, 3000 };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SdPost) post = make_post (texts[i], 0, times[i]);

      g_assert_true (sd_store_save_post (store, post, &error));
    }

  /* Newest first, also within one second. */
  all = list_all (store);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (sd_post_get_text (all->pdata[0]), ==, "third");
  g_assert_cmpstr (sd_post_get_text (all->pdata[2]), ==, "first 50% off");

  /* A range leaves out posts without a time. */
  query.has_range = TRUE;
  query.from = 0;
  query.to = 2000;
  ranged = sd_store_list_posts (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranged->len, ==, 1);
  g_assert_cmpstr (sd_post_get_text (ranged->pdata[0]), ==, "first 50% off");

  /* LIKE wildcards in the search are plain characters. */
  memset (&query, 0, sizeof query);
  query.search = "_";
  found = sd_store_list_posts (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (sd_post_get_text (found->pdata[0]), ==, "second under_score");
  g_clear_pointer (&found, g_ptr_array_unref);
  query.search = "50%";
  found = sd_store_list_posts (store, &query, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  query.search = "THIRD";
  found = sd_store_list_posts (store, &query, &error);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_trash_restore_purge (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) post = make_post ("to be deleted", 1u << SD_PLATFORM_X, SD_POST_NO_TIME);
  g_autoptr(GPtrArray) after_trash = NULL;
  g_autoptr(GPtrArray) after_restore = NULL;
  g_autoptr(GPtrArray) after_purge = NULL;
  const char *id = sd_post_get_id (post);

  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_true (sd_store_trash_post (store, id, &error));
  after_trash = list_all (store);
  g_assert_cmpuint (after_trash->len, ==, 0);

  g_assert_true (sd_store_restore_post (store, id, &error));
  g_assert_no_error (error);
  after_restore = list_all (store);
  g_assert_cmpuint (after_restore->len, ==, 1);
  g_assert_cmpuint (sd_post_get_platforms (after_restore->pdata[0]), ==, 1u << SD_PLATFORM_X);

  /* Purging a post that is not in the trash does nothing. */
  g_assert_false (sd_store_purge_post (store, id, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sd_store_trash_post (store, id, &error));
  g_assert_true (sd_store_purge_trash (store, sd_time_now (), &error));
  g_assert_no_error (error);
  g_assert_false (sd_store_restore_post (store, id, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  after_purge = list_all (store);
  g_assert_cmpuint (after_purge->len, ==, 0);
}

static void
test_resolve_id (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) a = g_object_new (SD_TYPE_POST, "id", "abc11111", "text", "a", NULL);
  g_autoptr(SdPost) b = g_object_new (SD_TYPE_POST, "id", "abc22222", "text", "b", NULL);
  g_autoptr(SdPost) c = g_object_new (SD_TYPE_POST, "id", "abc2", "text", "c", NULL);
  g_autofree char *one = NULL;
  g_autofree char *exact = NULL;

  g_assert_true (sd_store_save_post (store, a, &error));
  g_assert_true (sd_store_save_post (store, b, &error));
  g_assert_true (sd_store_save_post (store, c, &error));

  one = sd_store_resolve_id (store, "abc1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one, ==, "abc11111");

  exact = sd_store_resolve_id (store, "abc2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exact, ==, "abc2");

  g_assert_null (sd_store_resolve_id (store, "abc", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_AMBIGUOUS);
  g_clear_error (&error);

  g_assert_null (sd_store_resolve_id (store, "zzz", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

static char *
schema_of (const char *path)
{
  sqlite3 *db = NULL;
  char *schema;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  schema = query_string (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
  sqlite3_close (db);

  return schema;
}

/* Data written at each older version, in that version's own schema. */
static void
seed_version (SdStore *store,
              int      version)
{
  sqlite3 *db = sd_store_get_db (store);

  if (version >= 1)
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO post (id, text, scheduled_at, created_at, updated_at)"
                                   " VALUES ('p1', 'from an old version', 1796893200, 1, 2);"
                                   "INSERT INTO variant (id, post_id, platform, created_at, updated_at)"
                                   " VALUES ('v1', 'p1', 'mastodon', 1, 2);",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  if (version >= 2)
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO account (id, platform, server_url, remote_id, handle,"
                                   " created_at, updated_at) VALUES ('a1', 'mastodon',"
                                   " 'https://example.social', '1', 'brand', 1, 1);"
                                   "UPDATE variant SET account_id = 'a1' WHERE id = 'v1';",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  if (version >= 5)
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO job (id, variant_id, due_at, idempotency_key, created_at, updated_at)"
                                   " VALUES ('j1', 'v1', 1796893200, 'k1', 1, 1);"
                                   "INSERT INTO job_part (job_id, position, text, key, sent_at, remote_id)"
                                   " VALUES ('j1', 0, 'from an old version', 'pk1', 5, '109');",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
}

/* Every path from version 0 (and each later one) to the latest gives the same schema and keeps the data. */
static void
test_migration_paths (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *fresh_schema = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SdStore) fresh = sd_store_open (fresh_path, &error);

    g_assert_no_error (error);
  }
  fresh_schema = schema_of (fresh_path);

  for (int start = 0; start < SD_STORE_SCHEMA_VERSION; start++)
    {
      g_autofree char *path = g_strdup_printf ("%s/from-%d.db", fixture->dir, start);
      g_autofree char *schema = NULL;
      g_autofree char *integrity = NULL;
      g_autofree char *fk_problems = NULL;
      g_autoptr(SdPost) post = NULL;

      g_test_message ("migrating from version %d", start);
      {
        g_autoptr(SdStore) old = sd_store_open_at_version (path, start, &error);

        g_assert_no_error (error);
        g_assert_cmpint (sd_store_get_schema_version (old), ==, start);
        seed_version (old, start);
      }

      {
        g_autoptr(SdStore) store = sd_store_open (path, &error);

        g_assert_no_error (error);
        g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_STORE_SCHEMA_VERSION);
        integrity = query_string (sd_store_get_db (store), "PRAGMA integrity_check");
        fk_problems = query_string (sd_store_get_db (store), "PRAGMA foreign_key_check");
        g_assert_cmpstr (integrity, ==, "ok\n");
        g_assert_cmpstr (fk_problems, ==, "");

        if (start >= 1)
          {
            post = sd_store_get_post (store, "p1", &error);
            g_assert_no_error (error);
            g_assert_cmpstr (sd_post_get_text (post), ==, "from an old version");
            g_assert_cmpuint (sd_post_get_platforms (post), ==, 1u << SD_PLATFORM_MASTODON);
            g_assert_cmpint (sd_post_get_scheduled_at (post), ==, 1796893200);
          }
        if (start == 5)
          {
            /* v5 → v6: the outbox keeps its parts; the new columns start empty. */
            g_autofree char *parts = query_string (sd_store_get_db (store),
                                                   "SELECT p.text, p.key, p.remote_id, ifnull (p.stage, 'NULL'),"
                                                   " ifnull (j.options_json, 'NULL')"
                                                   " FROM job_part p JOIN job j ON j.id = p.job_id");
            g_autofree char *apps = query_string (sd_store_get_db (store), "SELECT count(*) FROM network_app");
            g_autofree char *media = query_string (sd_store_get_db (store),
                                                   "SELECT count(*) FROM pragma_table_info ('post_media')"
                                                   " WHERE name = 'public_url'");

            g_assert_cmpstr (parts, ==, "from an old version|pk1|109|NULL|NULL\n");
            g_assert_cmpstr (apps, ==, "0\n");
            g_assert_cmpstr (media, ==, "1\n");
          }
      }

      schema = schema_of (path);
      g_assert_cmpstr (schema, ==, fresh_schema);
    }
}

static void
test_refuses_newer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);

    g_assert_no_error (error);
  }
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_checksum (fixture->path);

  g_assert_null (sd_store_open (fixture->path, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "99"));

  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
  wal = g_strconcat (fixture->path, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_refuses_corrupt (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GString *garbage = g_string_new (NULL);

  for (guint i = 0; i < 8192; i++)
    g_string_append_c (garbage, (char) (i * 37 + 11));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage->str, garbage->len, NULL));
  g_string_free (garbage, TRUE);
  before = file_checksum (fixture->path);

  g_assert_null (sd_store_open (fixture->path, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));

  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_refuses_unopenable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The database path is a folder. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  g_assert_null (sd_store_open (fixture->path, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

typedef struct
{
  const char *path;
  const char *prefix;
  guint       count;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (data->path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < data->count; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", data->prefix, i);
      g_autoptr(SdPost) post = make_post (text, 1u << (i % SD_N_PLATFORMS), SD_POST_NO_TIME);

      g_assert_true (sd_store_save_post (store, post, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

/* Separate connections, as the GUI and the CLI have: no write is lost. */
static void
test_concurrent_writers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) all = NULL;
  WriterData writers[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      writers[i].path = fixture->path;
      writers[i].prefix = (const char *[]) { "gui", "cli", "import", "sync" }[i];
      writers[i].count = 250;
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  all = list_all (store);
  g_assert_cmpuint (all->len, ==, 1000);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_store_save_post_finish (SD_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(GPtrArray **) user_data = sd_store_list_posts_finish (SD_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autoptr(SdPost) post = make_post ("async", 1u << SD_PLATFORM_TIKTOK, SD_POST_NO_TIME);
  g_autoptr(GPtrArray) listed = NULL;
  SdPostQuery query = { .search = "ASY" };
  gboolean saved = FALSE;

  sd_store_save_post_async (store, post, NULL, saved_cb, &saved);
  /* A change after the call is not part of that save. */
  sd_post_set_text (post, "changed later");
  while (!saved)
    g_main_context_iteration (NULL, TRUE);

  sd_store_list_posts_async (store, &query, NULL, listed_cb, &listed);
  while (listed == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (sd_post_get_text (listed->pdata[0]), ==, "async");
  g_assert_cmpuint (sd_post_get_platforms (listed->pdata[0]), ==, 1u << SD_PLATFORM_TIKTOK);
}

static char *
write_image (const char *dir,
             const char *name,
             const char *type,
             guint8      red)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, ((guint32) red << 24) | 0x8040ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, type, &error, NULL));
  return path;
}

/* Images are copied by content, kept once, and come back in order with their alt texts. */
static void
test_media (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (fixture->path, &error);
  g_autofree char *png = write_image (fixture->dir, "a.png", "png", 10);
  g_autofree char *jpeg = write_image (fixture->dir, "b.jpg", "jpeg", 200);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) jpeg_file = g_file_new_for_path (jpeg);
  g_autoptr(GFile) text_file = g_file_new_for_path (text);
  g_autoptr(SdAttachment) first = NULL;
  g_autoptr(SdAttachment) again = NULL;
  g_autoptr(SdAttachment) second = NULL;
  g_autoptr(SdPost) post = make_post ("with images", 1u << SD_PLATFORM_INSTAGRAM, SD_POST_NO_TIME);
  g_autoptr(SdPost) read = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *count = NULL;
  GPtrArray *attachments;

  first = sd_store_import_media (store, png_file, &error);
  g_assert_no_error (error);
  again = sd_store_import_media (store, png_file, &error);
  g_assert_no_error (error);
  second = sd_store_import_media (store, jpeg_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_attachment_get_mime_type (first), ==, "image/png");
  g_assert_cmpint (sd_attachment_get_width (first), ==, 40);
  g_assert_cmpint (sd_attachment_get_height (first), ==, 30);
  g_assert_true (g_str_has_prefix (sd_attachment_get_path (first), fixture->dir));
  g_assert_nonnull (strstr (sd_attachment_get_path (first), "/media/"));
  /* The same content is one media row and one file. */
  g_assert_cmpstr (sd_attachment_get_media_id (again), ==, sd_attachment_get_media_id (first));
  count = query_string (sd_store_get_db (store), "SELECT count(*) FROM media");
  g_assert_cmpstr (count, ==, "2\n");

  g_assert_true (g_file_set_contents (text, "not an image", -1, NULL));
  g_assert_null (sd_store_import_media (store, text_file, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_AN_IMAGE);
  g_clear_error (&error);

  /* Instagram: needs an image, and JPEG only. */
  problems = sd_media_problems (SD_PLATFORM_INSTAGRAM, sd_post_get_attachments (post));
  g_assert_cmpuint (problems->len, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);

  sd_attachment_set_alt_text (second, "Blue square");
  sd_post_add_attachment (post, first);
  sd_post_add_attachment (post, second);
  sd_post_move_attachment (post, 1, 0);
  /* Instagram fetches each image from a public address: both lack one, and the PNG is no JPEG. */
  problems = sd_media_problems (SD_PLATFORM_INSTAGRAM, sd_post_get_attachments (post));
  g_assert_cmpuint (problems->len, ==, 3);
  g_clear_pointer (&problems, g_ptr_array_unref);
  sd_attachment_set_public_url (second, "https://cdn.example.com/blue.jpg");
  sd_attachment_set_public_url (first, "https://cdn.example.com/red.png");
  problems = sd_media_problems (SD_PLATFORM_INSTAGRAM, sd_post_get_attachments (post));
  g_assert_cmpuint (problems->len, ==, 1);   /* the PNG */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = sd_media_problems (SD_PLATFORM_YOUTUBE, sd_post_get_attachments (post));
  g_assert_cmpuint (problems->len, ==, 2);   /* needs a video, and takes no images */

  g_assert_true (sd_store_save_post (store, post, &error));
  g_assert_no_error (error);

  /* The originals can go: the drafts keep SocialDesk's copies. */
  g_remove (png);
  g_remove (jpeg);
  read = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_no_error (error);
  attachments = sd_post_get_attachments (read);
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpstr (sd_attachment_get_mime_type (attachments->pdata[0]), ==, "image/jpeg");
  g_assert_cmpstr (sd_attachment_get_alt_text (attachments->pdata[0]), ==, "Blue square");
  g_assert_cmpstr (sd_attachment_get_alt_text (attachments->pdata[1]), ==, "");
  g_assert_cmpstr (sd_attachment_get_public_url (attachments->pdata[0]), ==, "https://cdn.example.com/blue.jpg");
  g_assert_cmpstr (sd_attachment_get_public_url (attachments->pdata[1]), ==, "https://cdn.example.com/red.png");
  g_assert_true (g_file_test (sd_attachment_get_path (attachments->pdata[0]), G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (sd_attachment_get_path (attachments->pdata[1]), G_FILE_TEST_EXISTS));

  /* Removing one keeps the other's place. */
  sd_post_remove_attachment (post, 0);
  g_assert_true (sd_store_save_post (store, post, &error));
  g_clear_object (&read);
  read = sd_store_get_post (store, sd_post_get_id (post), &error);
  g_assert_cmpuint (sd_post_get_attachments (read)->len, ==, 1);
  g_assert_cmpstr (sd_attachment_get_mime_type (sd_post_get_attachments (read)->pdata[0]), ==, "image/png");
}

int
main (int    argc,
      char **argv)
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: gdk-pixbuf tells images apart with the system's
   * MIME database, found through XDG_DATA_DIRS. Every test uses its own folder. */
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("open-new", test_open_new);
  g_test_add_func ("/store/default-path", test_default_path);
  ADD ("post-crud", test_post_crud);
  ADD ("list-order-and-filters", test_list_order_and_filters);
  ADD ("variant-texts", test_variant_texts);
  ADD ("media", test_media);
  ADD ("options", test_options);
  ADD ("video-import", test_video_import);
  ADD ("network-apps", test_network_apps);
  ADD ("accounts-expiring", test_accounts_expiring);
  ADD ("trash-restore-purge", test_trash_restore_purge);
  ADD ("resolve-id", test_resolve_id);
  ADD ("migration-paths", test_migration_paths);
  ADD ("refuses-newer", test_refuses_newer);
  ADD ("refuses-corrupt", test_refuses_corrupt);
  ADD ("refuses-unopenable", test_refuses_unopenable);
  ADD ("concurrent-writers", test_concurrent_writers);
  ADD ("async", test_async);

  return g_test_run ();
}
