/* test-outbox-faults.c — every post exactly once, through faults and kill -9
 *
 * 200 scheduled posts (every tenth a thread of three) go to a Mastodon that
 * fails a fifth of its requests (500, 429, connection reset before and after
 * the request is processed, answers slower than the client waits); then 100
 * more while the publishing process (socialdesk-cli sync) is killed with
 * SIGKILL at random moments and started again. Each part must exist on the
 * server exactly once, threads in order. Runs under tests/with-keyring.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "fakes/sd-fake-mastodon.h"
#include "sd-secrets.h"
#include "sd-store-private.h"
#include "sd-sync.h"
#include "sd-time.h"

#define THREAD_EVERY 10

typedef struct
{
  SdFakeMastodon *fake;
  SdStore        *store;
  SdAccount      *account;
} Fixture;

static void
remember_secret (const char *secret)
{
  const char *path = g_getenv ("SD_KNOWN_SECRETS");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *line = g_strconcat (secret, "\n", NULL);

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
  g_assert_nonnull (out);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autofree char *remote_id = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *token = g_strconcat ("tok-", uuid, NULL);

  fixture->fake = sd_fake_mastodon_new ();
  /* Faults are injected on purpose; the real 300-in-5-minutes budget would only add waiting. */
  sd_fake_mastodon_set_rate_limit (fixture->fake, 0);
  remote_id = sd_fake_mastodon_add_account (fixture->fake, "brand", token);
  remember_secret (token);

  fixture->store = sd_store_open (NULL, &error);
  g_assert_no_error (error);

  fixture->account = sd_account_new (SD_PLATFORM_MASTODON);
  sd_account_set_server_url (fixture->account, sd_fake_mastodon_get_url (fixture->fake));
  sd_account_set_remote_id (fixture->account, remote_id);
  handle = g_strdup_printf ("brand@%s", sd_fake_mastodon_get_domain (fixture->fake));
  sd_account_set_handle (fixture->account, handle);
  credentials->access_token = g_strdup (token);
  g_assert_true (sd_secrets_store (fixture->account, credentials, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_store_save_account (fixture->store, fixture->account, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->fake, sd_fake_mastodon_free);
}

static char *
part_text (const char *run,
           guint       post,
           guint       part)
{
  return g_strdup_printf ("%s post %03u part %u #outbox", run, post, part);
}

static gboolean
is_thread (guint post)
{
  return post % THREAD_EVERY == 0;
}

static void
schedule_posts (Fixture    *fixture,
                const char *run,
                guint       n_posts)
{
  gint64 now = sd_time_now ();

  for (guint i = 0; i < n_posts; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdPost) post = sd_post_new ();
      g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
      g_autofree char *one = part_text (run, i, 1);
      g_autofree char *two = part_text (run, i, 2);
      g_autofree char *three = part_text (run, i, 3);
      g_autofree char *text = is_thread (i) ? g_strconcat (one, "\n---\n", two, "\n---\n", three, NULL)
                                            : g_strdup (one);

      sd_post_set_text (post, text);
      g_assert_true (sd_store_save_post (fixture->store, post, &error));
      g_ptr_array_add (accounts, (gpointer) sd_account_get_id (fixture->account));
      g_assert_true (sd_store_set_post_accounts (fixture->store, sd_post_get_id (post), accounts, &error));
      /* Due in order, a second apart, all already due. */
      g_assert_true (sd_store_schedule_post (fixture->store, sd_post_get_id (post), now - n_posts + i, &error));
      g_assert_no_error (error);
    }
}

/* The jobs of one run's posts (both runs share the default store). */
static gint64
count_jobs (Fixture    *fixture,
            const char *run,
            const char *states)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM job WHERE state IN (%s) AND variant_id IN"
                                          " (SELECT v.id FROM variant v JOIN post p ON p.id = v.post_id"
                                          "  WHERE p.text LIKE '%s %%')", states, run);
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
in_reply_to (Fixture    *fixture,
             const char *status_id)
{
  g_autofree char *json = sd_fake_mastodon_dup_status_json (fixture->fake, status_id);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *object = json_node_get_object (root);
  JsonNode *reply = json_object_get_member (object, "in_reply_to_id");

  return reply != NULL && !JSON_NODE_HOLDS_NULL (reply) ? g_strdup (json_node_get_string (reply)) : NULL;
}

/* Each part once on the server; each thread's parts replying in order. */
static void
assert_exactly_once (Fixture    *fixture,
                     const char *run,
                     guint       n_posts)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_posts; i++)
    for (guint part = 1; part <= (is_thread (i) ? 3u : 1u); part++)
      {
        g_autofree char *text = part_text (run, i, part);
        guint n = sd_fake_mastodon_count_with_text (fixture->fake, text);

        if (n != 1)
          g_error ("“%s” is on the server %u times", text, n);
      }

  /* The store's remote ids chain each thread. */
  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (fixture->store),
                                       "SELECT a.remote_id, b.remote_id FROM job_part a JOIN job_part b"
                                       " ON a.job_id = b.job_id AND b.position = a.position + 1"
                                       " WHERE a.text LIKE ?1 || ' %'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, run, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *parent = in_reply_to (fixture, (const char *) sqlite3_column_text (stmt, 1));

      g_assert_cmpstr (parent, ==, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (sd_store_get_db (fixture->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* One pass that takes at most one job; retries are due at once. */
static void
run_one_with (Fixture  *fixture,
              gboolean  server_scheduling)
{
  g_autoptr(GError) error = NULL;
  SdSyncOptions options;
  SdSyncReport report;

  sd_sync_options_init (&options);
  options.retry_base_ms = 0;
  options.limit = 1;
  options.grace_seconds = 24 * 3600;
  options.server_scheduling = server_scheduling;
  sd_sync_report_init (&report);
  g_assert_true (sd_sync_run (fixture->store, &options, NULL, &report, &error));
  g_assert_no_error (error);
  sd_sync_report_clear (&report);
  /* Rate-limit waits are not what this is about. */
  exec_sql (fixture, "UPDATE job SET next_attempt_at = NULL WHERE state = 'pending'");
}

static void
run_one (Fixture *fixture)
{
  run_one_with (fixture, FALSE);
}

/* A part whose first request may have made the post stays in doubt when a
 * later resend is refused before processing (429): clearing its "sent" mark
 * then made the next attempt, past the key's hour, post it a second time. */
static void
test_resend_refused_keeps_doubt (Fixture       *fixture,
                                 gconstpointer  data)
{
#define RUN "doubt"
  g_autofree char *text = part_text (RUN, 0, 1);

  schedule_posts (fixture, RUN, 1);

  /* Made, but the answer is lost: in doubt; its key is fresh, so it goes again. */
  sd_fake_mastodon_inject_fault (fixture->fake, SD_FAKE_FAULT_RESET_AFTER, 1);
  run_one (fixture);
  g_assert_cmpuint (sd_fake_mastodon_count_with_text (fixture->fake, text), ==, 1);
  g_assert_cmpint (count_jobs (fixture, RUN, "'pending'"), ==, 1);

  /* The resend is refused before the server does anything. */
  sd_fake_mastodon_inject_fault (fixture->fake, SD_FAKE_FAULT_429, 1);
  run_one (fixture);
  g_assert_cmpint (count_jobs (fixture, RUN, "'pending'"), ==, 1);

  /* Two hours later (the key is forgotten), the next attempt must look first. */
  exec_sql (fixture, "UPDATE job_part SET sent_at = sent_at - 7200 WHERE text LIKE '" RUN " %'");
  sd_fake_mastodon_advance_clock (fixture->fake, 7200);
  run_one (fixture);

  g_assert_cmpint (count_jobs (fixture, RUN, "'done'"), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_with_text (fixture->fake, text), ==, 1);
#undef RUN
}

static char *
post_with_text (Fixture    *fixture,
                const char *pattern)
{
  sqlite3_stmt *stmt;
  char *id;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (fixture->store), "SELECT id FROM post WHERE text LIKE ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

/* Handed to Mastodon's scheduler, published there, then moved to "now"
 * before SocialDesk linked it: the server answers 404 to the unschedule,
 * which must not make SocialDesk send it itself. */
static void
test_server_published_then_moved (Fixture       *fixture,
                                  gconstpointer  data)
{
#define RUN "moved"
  g_autoptr(GError) error = NULL;
  g_autofree char *text = part_text (RUN, 1, 1);
  g_autofree char *thread_id = NULL;
  g_autofree char *post_id = NULL;

  /* Post 0 is a thread (which never goes to the server): out of the way. */
  schedule_posts (fixture, RUN, 2);
  thread_id = post_with_text (fixture, RUN " post 000 %");
  post_id = post_with_text (fixture, RUN " post 001 %");
  g_assert_true (sd_store_unschedule_post (fixture->store, thread_id, &error));

  g_assert_true (sd_store_move_post (fixture->store, post_id, sd_time_now () + 3600, NULL, &error));
  run_one_with (fixture, TRUE);
  g_assert_cmpint (count_jobs (fixture, RUN, "'server'"), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (fixture->fake), ==, 1);

  /* The server publishes it; SocialDesk has not looked yet when it is moved. */
  sd_fake_mastodon_advance_clock (fixture->fake, 3700);
  g_assert_true (sd_store_move_post (fixture->store, post_id, sd_time_now () - 10, NULL, &error));
  g_assert_no_error (error);
  run_one_with (fixture, TRUE);
  run_one_with (fixture, TRUE);

  g_assert_cmpuint (sd_fake_mastodon_count_with_text (fixture->fake, text), ==, 1);
  g_assert_cmpint (count_jobs (fixture, RUN, "'done'"), ==, 1);
#undef RUN
}

static void
test_faults_in_process (Fixture       *fixture,
                        gconstpointer  data)
{
#define RUN "faults"
  const guint n_posts = 200;
  SdSyncOptions options;
  gint64 deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;
  guint passes = 0;

  schedule_posts (fixture, "faults", n_posts);
  sd_fake_mastodon_set_fault_rate (fixture->fake, 0.2, 20261125);
  sd_fake_mastodon_set_fault_kinds (fixture->fake, SD_FAKE_FAULT_ALL);
  sd_fake_mastodon_set_slow_delay (fixture->fake, 2500);

  sd_sync_options_init (&options);
  options.retry_base_ms = 100;
  options.max_attempts = 1000;
  options.grace_seconds = 24 * 3600;

  while (count_jobs (fixture, RUN, "'pending', 'running'") > 0 && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      SdSyncReport report;

      sd_sync_report_init (&report);
      g_assert_true (sd_sync_run (fixture->store, &options, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.failed, ==, 0);
      g_assert_cmpuint (report.uncertain, ==, 0);
      sd_sync_report_clear (&report);
      passes++;
      g_usleep (150 * 1000);
    }

  g_test_message ("%u passes, %u requests, %u faults injected", passes,
                  sd_fake_mastodon_get_n_requests (fixture->fake), sd_fake_mastodon_get_n_faults (fixture->fake));
  g_assert_cmpint (count_jobs (fixture, RUN, "'done'"), ==, n_posts);
  g_assert_cmpuint (sd_fake_mastodon_get_n_faults (fixture->fake), >=, 20);
  assert_exactly_once (fixture, "faults", n_posts);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (fixture->fake), ==, n_posts + 2 * (n_posts / THREAD_EVERY));
#undef RUN
}

static GPid
spawn_sync (const char *cli)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { cli, "sync", NULL };
  g_auto(GStrv) env = g_get_environ ();
  GPid pid;

  env = g_environ_setenv (env, "SOCIALDESK_RETRY_BASE_MS", "100", TRUE);
  env = g_environ_setenv (env, "SOCIALDESK_HTTP_TIMEOUT", "2", TRUE);
  g_assert_true (g_spawn_async (NULL, (char **) argv, env,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
child_exited (GPid     pid,
              int      status,
              gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  g_spawn_close_pid (pid);
}

/* Runs the CLI; kills it with SIGKILL after @kill_after_ms (0: lets it finish). */
static gboolean
run_cli (const char *cli,
         guint       kill_after_ms)
{
  GPid pid = spawn_sync (cli);
  gboolean exited = FALSE;
  gboolean killed = FALSE;
  gint64 kill_at = g_get_monotonic_time () + (gint64) kill_after_ms * 1000;

  g_child_watch_add (pid, child_exited, &exited);
  while (!exited)
    {
      g_main_context_iteration (NULL, FALSE);
      if (kill_after_ms > 0 && !killed && g_get_monotonic_time () >= kill_at)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
        }
      g_usleep (2000);
    }
  return killed;
}

static void
test_kill_9_and_restart (Fixture       *fixture,
                         gconstpointer  data)
{
#define RUN "kill"
  const guint n_posts = 100;
  const char *bindir = g_getenv ("SD_BINDIR");
  g_autofree char *cli = g_build_filename (bindir != NULL ? bindir : ".", "socialdesk-cli", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  gint64 deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;
  guint kills = 0, runs = 0;

  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("socialdesk-cli is not installed in SD_BINDIR (meson install first)");
      return;
    }

  schedule_posts (fixture, "kill", n_posts);
  sd_fake_mastodon_set_fault_rate (fixture->fake, 0.2, 99);
  sd_fake_mastodon_set_fault_kinds (fixture->fake, SD_FAKE_FAULT_ALL);
  sd_fake_mastodon_set_slow_delay (fixture->fake, 2500);

  while (count_jobs (fixture, RUN, "'pending', 'running'") > 0 && g_get_monotonic_time () < deadline)
    {
      /* Mostly killed mid-run, now and then allowed to finish a pass. */
      gboolean let_finish = runs % 4 == 3;

      if (run_cli (cli, let_finish ? 0 : (guint) g_rand_int_range (rand, 50, 700)))
        kills++;
      runs++;
      g_usleep (120 * 1000);
    }

  g_test_message ("%u runs of socialdesk-cli sync, %u killed with SIGKILL", runs, kills);
  g_assert_cmpuint (kills, >=, 5);
  g_assert_cmpint (count_jobs (fixture, RUN, "'done'"), ==, n_posts);
  g_assert_cmpint (count_jobs (fixture, RUN, "'failed', 'uncertain'"), ==, 0);
  assert_exactly_once (fixture, "kill", n_posts);
#undef RUN
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SD_KNOWN_SECRETS") == NULL)
    {
      g_print ("1..0 # SKIP needs a keyring: run through tests/with-keyring.sh\n");
      return 77;
    }
  /* The client waits 2 s; the fake's slow answers take 2.5 s. */
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "2", TRUE);

  g_test_add ("/outbox-faults/resend-refused-keeps-doubt", Fixture, NULL, fixture_setup,
              test_resend_refused_keeps_doubt, fixture_teardown);
  g_test_add ("/outbox-faults/server-published-then-moved", Fixture, NULL, fixture_setup,
              test_server_published_then_moved, fixture_teardown);
  g_test_add ("/outbox-faults/in-process", Fixture, NULL, fixture_setup, test_faults_in_process,
              fixture_teardown);
  g_test_add ("/outbox-faults/kill-9-and-restart", Fixture, NULL, fixture_setup, test_kill_9_and_restart,
              fixture_teardown);
  return g_test_run ();
}
