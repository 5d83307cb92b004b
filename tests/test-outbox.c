/* test-outbox.c — accounts, binding, scheduling and the outbox's jobs in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "sd-store-private.h"
#include "sd-time.h"

typedef struct
{
  char    *dir;
  SdStore *store;
  SdAccount *mastodon;
  SdAccount *bluesky;
} Fixture;

static SdAccount *
add_account (SdStore    *store,
             SdPlatform  platform,
             const char *server,
             const char *remote_id,
             const char *handle)
{
  g_autoptr(GError) error = NULL;
  SdAccount *account = sd_account_new (platform);

  sd_account_set_server_url (account, server);
  sd_account_set_remote_id (account, remote_id);
  sd_account_set_handle (account, handle);
  g_assert_true (sd_store_save_account (store, account, &error));
  g_assert_no_error (error);
  return account;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("sd-test-outbox-XXXXXX", NULL);
  path = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  fixture->store = sd_store_open (path, &error);
  g_assert_no_error (error);
  fixture->mastodon = add_account (fixture->store, SD_PLATFORM_MASTODON, "https://mastodon.example",
                                   "1001", "alice@mastodon.example");
  fixture->bluesky = add_account (fixture->store, SD_PLATFORM_BLUESKY, "https://pds.example",
                                  "did:plc:alice", "alice.bsky.social");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *media = g_build_filename (fixture->dir, "media", NULL);

  g_clear_object (&fixture->mastodon);
  g_clear_object (&fixture->bluesky);
  g_clear_object (&fixture->store);
  g_remove (db);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (media);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
add_post (Fixture    *fixture,
          const char *text,
          SdAccount  *first,
          SdAccount  *second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPost) post = sd_post_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  sd_post_set_text (post, text);
  g_assert_true (sd_store_save_post (fixture->store, post, &error));
  g_assert_no_error (error);
  if (first != NULL)
    g_ptr_array_add (ids, (gpointer) sd_account_get_id (first));
  if (second != NULL)
    g_ptr_array_add (ids, (gpointer) sd_account_get_id (second));
  if (ids->len > 0)
    {
      g_assert_true (sd_store_set_post_accounts (fixture->store, sd_post_get_id (post), ids, &error));
      g_assert_no_error (error);
    }
  return g_strdup (sd_post_get_id (post));
}

static SdPostState
post_state (Fixture    *fixture,
            const char *id)
{
  g_autoptr(SdPost) post = sd_store_get_post (fixture->store, id, NULL);

  return sd_post_get_state (post);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static SdOutboxJob *
claim (Fixture    *fixture,
       gint64      now,
       GPtrArray **held)
{
  g_autoptr(GError) error = NULL;
  SdClaimOptions options = { "test-host:1", now, 30 * 60, 300, NULL, NULL, 0 };
  SdOutboxJob *job = sd_store_claim_job (fixture->store, &options, held, &error);

  g_assert_no_error (error);
  return job;
}

static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = sd_store_list_accounts (fixture->store, &error);
  g_autoptr(SdAccount) again = NULL;
  g_autoptr(SdAccount) found = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);

  /* Signing in again to the same account keeps its id. */
  again = add_account (fixture->store, SD_PLATFORM_MASTODON, "https://mastodon.example", "1001", "alice@mastodon.example");
  g_assert_cmpstr (sd_account_get_id (again), ==, sd_account_get_id (fixture->mastodon));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM account"), ==, 2);

  found = sd_store_find_account (fixture->store, "@alice.bsky.social", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_account_get_id (found), ==, sd_account_get_id (fixture->bluesky));
  g_assert_null (sd_store_find_account (fixture->store, "nobody", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

static void
test_schedule_needs_accounts_and_readiness (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unbound = add_post (fixture, "Hello", NULL, NULL);
  g_autofree char *too_long = NULL;
  g_autofree char *text = g_strnfill (301, 'a');
  g_autofree char *ok = add_post (fixture, "Hello both", fixture->mastodon, fixture->bluesky);

  g_assert_false (sd_store_schedule_post (fixture->store, unbound, sd_time_now () + 3600, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NO_ACCOUNTS);
  g_clear_error (&error);
  g_assert_cmpint (post_state (fixture, unbound), ==, SD_POST_STATE_DRAFT);

  /* 301 characters: Bluesky refuses (Mastodon would take it). */
  too_long = add_post (fixture, text, fixture->bluesky, NULL);
  g_assert_false (sd_store_schedule_post (fixture->store, too_long, sd_time_now () + 3600, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, "Bluesky"));
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job"), ==, 0);

  g_assert_true (sd_store_schedule_post (fixture->store, ok, sd_time_now () + 3600, &error));
  g_assert_no_error (error);
  g_assert_cmpint (post_state (fixture, ok), ==, SD_POST_STATE_SCHEDULED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job WHERE state = 'pending'"), ==, 2);
  g_assert_cmpuint (sd_store_count_waiting (fixture->store, NULL), ==, 1);

  /* Scheduling again moves the same jobs, never adds any. */
  g_assert_true (sd_store_schedule_post (fixture->store, ok, sd_time_now () + 7200, &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job"), ==, 2);
}

static void
test_claim_and_publish (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *later = add_post (fixture, "Later", fixture->bluesky, NULL);
  g_autofree char *first = add_post (fixture, "First one\n---\nSecond part", fixture->bluesky, NULL);
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdOutboxJob) none = NULL;
  g_autoptr(SdPost) post = NULL;
  SdPublishPart *part;

  g_assert_true (sd_store_schedule_post (fixture->store, later, now - 60, &error));
  g_assert_true (sd_store_schedule_post (fixture->store, first, now - 120, &error));
  g_assert_no_error (error);

  /* The earliest first; its thread's parts and keys are fixed at once. */
  job = claim (fixture, now, NULL);
  g_assert_nonnull (job);
  g_assert_cmpstr (job->post_id, ==, first);
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpuint (job->parts->len, ==, 2);
  part = job->parts->pdata[0];
  g_assert_cmpstr (part->text, ==, "First one");
  g_assert_cmpuint (strlen (part->key), ==, 13);   /* a TID */
  g_assert_cmpstr (((SdPublishPart *) job->parts->pdata[1])->text, ==, "Second part");
  g_assert_cmpstr (part->key, <, ((SdPublishPart *) job->parts->pdata[1])->key);
  g_assert_cmpint (post_state (fixture, first), ==, SD_POST_STATE_PUBLISHING);

  /* A post being published cannot be moved or rescheduled. */
  g_assert_false (sd_store_move_post (fixture->store, first, now + 3600, NULL, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING);
  g_clear_error (&error);

  g_assert_true (sd_store_mark_part_sent (fixture->store, job->id, 0, now, &error));
  part->remote_id = g_strdup ("at://did:plc:alice/app.bsky.feed.post/1");
  part->remote_url = g_strdup ("https://bsky.app/profile/alice.bsky.social/post/1");
  g_assert_true (sd_store_record_part (fixture->store, job->id, part, &error));
  g_assert_no_error (error);

  /* The next claim takes the other post, not the running one. */
  none = claim (fixture, now, NULL);
  g_assert_nonnull (none);
  g_assert_cmpstr (none->post_id, ==, later);

  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_DONE, 0, NULL, NULL, &error));
  post = sd_store_get_post (fixture->store, first, &error);
  g_assert_cmpint (sd_post_get_state (post), ==, SD_POST_STATE_PUBLISHED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM variant WHERE state = 'published'"
                                   " AND remote_url = 'https://bsky.app/profile/alice.bsky.social/post/1'"), ==, 1);

  /* Published posts stay where they are. */
  g_assert_false (sd_store_schedule_post (fixture->store, first, now + 60, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PUBLISHED);
}

static void
test_retry_and_failure (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "Retry me", fixture->mastodon, NULL);
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdOutboxJob) again = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autofree char *key = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now - 5, &error));
  job = claim (fixture, now, NULL);
  key = g_strdup (((SdPublishPart *) job->parts->pdata[0])->key);
  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_RETRY, now + 100, NULL,
                                      "HTTP 503", &error));
  g_assert_null (claim (fixture, now + 50, NULL));

  /* The retry keeps the part's key: that is what makes it safe. */
  again = claim (fixture, now + 101, NULL);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->attempts, ==, 2);
  g_assert_cmpstr (((SdPublishPart *) again->parts->pdata[0])->key, ==, key);

  g_assert_true (sd_store_finish_job (fixture->store, again->id, SD_OUTCOME_FAILED, 0, NULL,
                                      "Validation failed: Text character limit of 500 exceeded", &error));
  post = sd_store_get_post (fixture->store, id, &error);
  g_assert_cmpint (sd_post_get_state (post), ==, SD_POST_STATE_FAILED);
  g_assert_true (sd_post_get_outbox (post) & SD_POST_OUTBOX_FAILED);
  g_assert_cmpstr (sd_post_get_last_error (post), ==, "Validation failed: Text character limit of 500 exceeded");
  /* Editing the text keeps the error (it once freed it and left it dangling). */
  sd_post_set_text (post, "Retry me, shorter");
  g_assert_cmpstr (sd_post_get_last_error (post), ==, "Validation failed: Text character limit of 500 exceeded");

  g_assert_true (sd_store_retry_post (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (post_state (fixture, id), ==, SD_POST_STATE_SCHEDULED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job WHERE state = 'pending'"), ==, 1);
}

static void
test_missed_posts_are_held (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *late = add_post (fixture, "Two hours late", fixture->mastodon, NULL);
  g_autofree char *just = add_post (fixture, "Ten minutes late", fixture->mastodon, NULL);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdPost) post = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, late, now - 2 * 3600, &error));
  g_assert_true (sd_store_schedule_post (fixture->store, just, now - 600, &error));

  job = claim (fixture, now, &held);
  g_assert_nonnull (job);
  g_assert_cmpstr (job->post_id, ==, just);
  g_assert_nonnull (held);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpstr (held->pdata[0], ==, late);

  post = sd_store_get_post (fixture->store, late, &error);
  g_assert_true (sd_post_get_outbox (post) & SD_POST_OUTBOX_HELD);

  /* "Send now". */
  g_assert_true (sd_store_retry_post (fixture->store, late, &error));
  g_clear_pointer (&job, sd_outbox_job_free);
  job = claim (fixture, now, NULL);
  g_assert_nonnull (job);
  g_assert_cmpstr (job->post_id, ==, late);
}

static void
test_recover_dead_owner (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "Crash", fixture->bluesky, NULL);
  g_autofree char *owner = g_strdup_printf ("%s:%d", sd_outbox_local_host (), 999999);
  SdClaimOptions options = { owner, now, 1800, 300, NULL, NULL, 0 };
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdOutboxJob) resumed = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now, &error));
  job = sd_store_claim_job (fixture->store, &options, NULL, &error);
  g_assert_true (sd_store_mark_part_sent (fixture->store, job->id, 0, now, &error));

  /* The process 999999 is gone: its job comes back, its part still in doubt. */
  g_assert_cmpuint (sd_store_recover_jobs (fixture->store, now, &error), ==, 1);
  resumed = claim (fixture, now, NULL);
  g_assert_nonnull (resumed);
  g_assert_cmpstr (resumed->id, ==, job->id);
  g_assert_cmpint (g_array_index (resumed->part_sent_at, gint64, 0), ==, now);
  g_assert_cmpstr (((SdPublishPart *) resumed->parts->pdata[0])->key, ==,
                   ((SdPublishPart *) job->parts->pdata[0])->key);

  /* A live owner's job is left alone. */
  g_assert_cmpuint (sd_store_recover_jobs (fixture->store, now, &error), ==, 0);
}

/* Another PID namespace (a second Flatpak instance): its process ids mean
 * nothing here, so only its lease counts; renewing keeps the job, and a
 * process whose job was taken over learns it before it sends anything. */
static void
test_lease_other_namespace (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "Sandboxed", fixture->bluesky, NULL);
  const char *other = "test-host/pid.[4026531836]:2";
  SdClaimOptions options = { other, now, 1800, 300, NULL, NULL, 0 };
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdOutboxJob) taken = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now, &error));
  job = sd_store_claim_job (fixture->store, &options, NULL, &error);
  g_assert_nonnull (job);

  /* Pid 2 is not ours to check: within its lease, the job stays. */
  g_assert_cmpuint (sd_store_recover_jobs (fixture->store, now + 200, &error), ==, 0);
  g_assert_true (sd_store_renew_lease (fixture->store, job->id, other, now + 200 + 300, &error));
  g_assert_cmpuint (sd_store_recover_jobs (fixture->store, now + 400, &error), ==, 0);

  /* Past its lease it is recovered and claimed again ... */
  g_assert_cmpuint (sd_store_recover_jobs (fixture->store, now + 600, &error), ==, 1);
  taken = claim (fixture, now + 600, NULL);
  g_assert_nonnull (taken);
  g_assert_cmpstr (taken->id, ==, job->id);

  /* ... and the stalled owner may not go on. */
  g_assert_false (sd_store_renew_lease (fixture->store, job->id, other, now + 900, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING);
}

static void
test_server_held_follow_moves (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "On the server", fixture->mastodon, NULL);
  SdClaimOptions options = { "test-host:1", now, 1800, 300, NULL, ",mastodon,", 360 };
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(GPtrArray) dirty = NULL;
  g_autoptr(SdPost) post = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now + 3600, &error));
  job = sd_store_claim_job (fixture->store, &options, NULL, &error);
  g_assert_nonnull (job);
  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_DONE, 0, "scheduled-77", NULL, &error));
  post = sd_store_get_post (fixture->store, id, &error);
  g_assert_cmpint (sd_post_get_state (post), ==, SD_POST_STATE_SCHEDULED);
  g_assert_true (sd_post_get_outbox (post) & SD_POST_OUTBOX_ON_SERVER);

  g_assert_true (sd_store_move_post (fixture->store, id, now + 7200, NULL, &error));
  dirty = sd_store_list_server_dirty (fixture->store, &error);
  g_assert_cmpuint (dirty->len, ==, 1);
  g_assert_cmpint (((SdOutboxJob *) dirty->pdata[0])->server_dirty, ==, 1);
  g_assert_cmpint (((SdOutboxJob *) dirty->pdata[0])->due_at, ==, now + 7200);
  g_assert_true (sd_store_server_synced (fixture->store, job->id, &error));

  /* Deleting it cancels it on the server first. */
  g_assert_true (sd_store_trash_post (fixture->store, id, &error));
  g_clear_pointer (&dirty, g_ptr_array_unref);
  dirty = sd_store_list_server_dirty (fixture->store, &error);
  g_assert_cmpuint (dirty->len, ==, 1);
  g_assert_cmpint (((SdOutboxJob *) dirty->pdata[0])->server_dirty, ==, 2);
  g_assert_true (sd_store_server_synced (fixture->store, job->id, &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job WHERE state = 'cancelled'"), ==, 1);
}

/* Unscheduled while on the server's schedule, then placed on the calendar
 * as a draft: the server's copy is still cancelled, not moved back. */
static void
test_server_cancel_survives_move (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "Changed my mind", fixture->mastodon, NULL);
  SdClaimOptions options = { "test-host:1", now, 1800, 300, NULL, ",mastodon,", 360 };
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(GPtrArray) dirty = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now + 3600, &error));
  job = sd_store_claim_job (fixture->store, &options, NULL, &error);
  g_assert_nonnull (job);
  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_DONE, 0, "scheduled-78", NULL, &error));

  g_assert_true (sd_store_unschedule_post (fixture->store, id, &error));
  g_assert_cmpint (post_state (fixture, id), ==, SD_POST_STATE_DRAFT);
  g_assert_true (sd_store_move_post (fixture->store, id, now + 7200, NULL, &error));
  g_assert_no_error (error);

  dirty = sd_store_list_server_dirty (fixture->store, &error);
  g_assert_cmpuint (dirty->len, ==, 1);
  g_assert_cmpint (((SdOutboxJob *) dirty->pdata[0])->server_dirty, ==, 2);
  g_assert_cmpint (post_state (fixture, id), ==, SD_POST_STATE_DRAFT);
}

/* An editor's older copy, saved after the outbox published the post, keeps
 * its text but not its stale state or time. */
static void
test_stale_copy_keeps_outbox_state (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "Out already", fixture->mastodon, NULL);
  g_autoptr(SdPost) stale = sd_store_get_post (fixture->store, id, &error);
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdPost) after = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now - 10, &error));
  job = claim (fixture, now, NULL);
  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_DONE, 0, NULL, NULL, &error));

  sd_post_set_text (stale, "Out already (typo fixed)");
  g_assert_cmpint (sd_post_get_state (stale), ==, SD_POST_STATE_DRAFT);
  g_assert_true (sd_store_save_post (fixture->store, stale, &error));
  after = sd_store_get_post (fixture->store, id, &error);
  g_assert_cmpint (sd_post_get_state (after), ==, SD_POST_STATE_PUBLISHED);
  g_assert_cmpint (sd_post_get_scheduled_at (after), ==, now - 10);
  g_assert_cmpstr (sd_post_get_text (after), ==, "Out already (typo fixed)");
}

static void
test_remove_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_post (fixture, "Waiting", fixture->mastodon, NULL);

  g_assert_true (sd_store_schedule_post (fixture->store, id, sd_time_now () + 3600, &error));
  g_assert_true (sd_store_remove_account (fixture->store, sd_account_get_id (fixture->mastodon), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM account"), ==, 1);
  /* The post stays, as a draft with its time. */
  g_assert_cmpint (post_state (fixture, id), ==, SD_POST_STATE_DRAFT);
}

/* Options are fixed at the first claim; stages survive later claims; media carry their address. */
static void
test_options_stage_media (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "With a video", fixture->mastodon, NULL);
  g_autofree char *clip = g_build_filename (fixture->dir, "clip.mp4", NULL);
  g_autofree char *media_dir = g_build_filename (fixture->dir, "media", NULL);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip);
  g_autoptr(SdAttachment) video = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(SdOutboxJob) again = NULL;
  g_autoptr(SdOutboxJob) third = NULL;
  static const guchar ftyp[] = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0,
                                 'm', 'p', '4', '2', 'i', 's', 'o', 'm' };
  SdPublishMedia *media;
  SdPublishPart *part;

  g_assert_true (g_file_set_contents (clip, (const char *) ftyp, sizeof ftyp, NULL));
  video = sd_store_import_media (fixture->store, clip_file, &error);
  g_assert_no_error (error);
  g_remove (clip);
  sd_attachment_set_public_url (video, "https://cdn.example.com/clip.mp4");

  post = sd_store_get_post (fixture->store, id, &error);
  g_assert_no_error (error);
  sd_post_add_attachment (post, video);
  sd_post_set_option (post, SD_PLATFORM_MASTODON, SD_OPTION_PRIVACY, "unlisted");
  g_assert_true (sd_store_save_post (fixture->store, post, &error));
  g_assert_true (sd_store_schedule_post (fixture->store, id, now - 5, &error));
  g_assert_no_error (error);

  job = claim (fixture, now, NULL);
  g_assert_nonnull (job);
  g_assert_nonnull (job->options);
  g_assert_cmpstr (json_object_get_string_member (job->options, SD_OPTION_PRIVACY), ==, "unlisted");
  part = job->parts->pdata[0];
  g_assert_null (part->stage);
  g_assert_cmpuint (part->media->len, ==, 1);
  media = part->media->pdata[0];
  g_assert_true (sd_publish_media_is_video (media));
  g_assert_cmpstr (media->mime_type, ==, "video/mp4");
  g_assert_cmpstr (media->public_url, ==, "https://cdn.example.com/clip.mp4");
  g_assert_cmpint (media->bytes, ==, sizeof ftyp);

  /* A provider's progress is kept; an unknown part is an error. */
  g_assert_true (sd_store_set_part_stage (fixture->store, job->id, 0, "container:17890001", &error));
  g_assert_no_error (error);
  g_assert_false (sd_store_set_part_stage (fixture->store, job->id, 7, "container:1", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_RETRY, now + 10, NULL,
                                      "Mastodon is still processing the video", &error));

  /* The person changes the options meanwhile: the send keeps the first ones. */
  sd_post_set_option (post, SD_PLATFORM_MASTODON, SD_OPTION_PRIVACY, "public");
  g_assert_true (sd_store_save_post (fixture->store, post, &error));
  g_assert_no_error (error);

  again = claim (fixture, now + 11, NULL);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->attempts, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (again->options, SD_OPTION_PRIVACY), ==, "unlisted");
  g_assert_cmpstr (((SdPublishPart *) again->parts->pdata[0])->stage, ==, "container:17890001");

  /* Cleared (the staged thing is done with): no stage on the next claim. */
  g_assert_true (sd_store_set_part_stage (fixture->store, again->id, 0, NULL, &error));
  g_assert_true (sd_store_finish_job (fixture->store, again->id, SD_OUTCOME_RETRY, now + 20, NULL, NULL, &error));
  third = claim (fixture, now + 21, NULL);
  g_assert_nonnull (third);
  g_assert_null (((SdPublishPart *) third->parts->pdata[0])->stage);

  /* The media folder's one file goes with the fixture. */
  {
    g_autoptr(GDir) dir = g_dir_open (media_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (media_dir, name, NULL);

        g_remove (path);
      }
  }
}

/* No options anywhere: the job has none, and its column stays NULL. */
static void
test_options_without_any (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = sd_time_now ();
  g_autofree char *id = add_post (fixture, "No options", fixture->bluesky, NULL);
  g_autoptr(SdOutboxJob) job = NULL;

  g_assert_true (sd_store_schedule_post (fixture->store, id, now - 5, &error));
  job = claim (fixture, now, NULL);
  g_assert_nonnull (job);
  g_assert_null (job->options);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job WHERE options_json IS NULL"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/outbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("accounts", test_accounts);
  ADD ("schedule-needs-accounts-and-readiness", test_schedule_needs_accounts_and_readiness);
  ADD ("claim-and-publish", test_claim_and_publish);
  ADD ("retry-and-failure", test_retry_and_failure);
  ADD ("missed-posts-are-held", test_missed_posts_are_held);
  ADD ("recover-dead-owner", test_recover_dead_owner);
  ADD ("lease-other-namespace", test_lease_other_namespace);
  ADD ("server-held-follow-moves", test_server_held_follow_moves);
  ADD ("server-cancel-survives-move", test_server_cancel_survives_move);
  ADD ("remove-account", test_remove_account);
  ADD ("stale-copy-keeps-outbox-state", test_stale_copy_keeps_outbox_state);
  ADD ("options-stage-media", test_options_stage_media);
  ADD ("options-without-any", test_options_without_any);
#undef ADD

  return g_test_run ();
}
