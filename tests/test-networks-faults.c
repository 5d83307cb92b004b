/* test-networks-faults.c — every post exactly once on every OAuth network, through the real engine
 *
 * For X, Threads, LinkedIn and Facebook Pages: an account whose token is in
 * a real keyring, 40 scheduled posts (on X and Threads every tenth a thread
 * of three), and a loopback server answering as the network documents that
 * fails a fifth of its requests (500, the network's 429, the connection
 * reset before and after the request is processed, answers slower than the
 * client waits). sd_sync_run passes run until nothing is waiting; each part
 * must then be on the network exactly once. Runs under tests/with-keyring.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "fakes/sd-fake-linkedin.h"
#include "fakes/sd-fake-meta.h"
#include "fakes/sd-fake-threads.h"
#include "fakes/sd-fake-x.h"
#include "sd-secrets.h"
#include "sd-store-private.h"
#include "sd-sync.h"
#include "sd-time.h"

#define N_POSTS 40
#define THREAD_EVERY 10

typedef struct
{
  SdPlatform  platform;
  const char *env_var;
  gboolean    threads;      /* the network chains replies */
  guint       faults;       /* SdFakeFault kinds drawn */
  gpointer  (*make)        (const char *user_id, const char *token);
  const char *(*url)       (gpointer fake);
  SdFakeHttp *(*http)      (gpointer fake);
  guint     (*count)       (gpointer fake, const char *text);
  void      (*destroy)     (gpointer fake);
} Network;

static gpointer
make_x (const char *user_id, const char *token)
{
  SdFakeX *fake = sd_fake_x_new ();

  sd_fake_x_add_user (fake, user_id, "brand", token, NULL);
  return fake;
}

static gpointer
make_threads (const char *user_id, const char *token)
{
  SdFakeThreads *fake = sd_fake_threads_new ();

  sd_fake_threads_add_user (fake, user_id, "brand", token, NULL);
  return fake;
}

static gpointer
make_linkedin (const char *user_id, const char *token)
{
  SdFakeLinkedin *fake = sd_fake_linkedin_new ();

  sd_fake_linkedin_add_user (fake, user_id, "brand", token, NULL);
  return fake;
}

/* A Facebook account is a Page: its Page token is what publishes. */
static gpointer
make_facebook (const char *page_id, const char *token)
{
  SdFakeMeta *fake = sd_fake_facebook_new ();
  g_autofree char *user_token = g_strconcat ("user-", token, NULL);

  sd_fake_meta_add_user (fake, "person-1", "brand.person", user_token, NULL);
  sd_fake_meta_add_page (fake, "person-1", page_id, "Brand", token);
  return fake;
}

/* Meta's 429 comes with usage headers at 100 %, which (rightly) pauses the
 * account for an hour: test-threads and test-facebook cover that; here the
 * other faults run. */
#define META_FAULTS (SD_FAKE_FAULT_ALL & ~SD_FAKE_FAULT_429)

static const Network networks[] = {
  { SD_PLATFORM_X, "SOCIALDESK_X_URL", TRUE, SD_FAKE_FAULT_ALL, make_x,
    (gpointer) sd_fake_x_get_url, (gpointer) sd_fake_x_get_http,
    (gpointer) sd_fake_x_count_posts_with_text, (gpointer) sd_fake_x_free },
  { SD_PLATFORM_THREADS, "SOCIALDESK_THREADS_URL", TRUE, META_FAULTS, make_threads,
    (gpointer) sd_fake_threads_get_url, (gpointer) sd_fake_threads_get_http,
    (gpointer) sd_fake_threads_count_posts_with_text, (gpointer) sd_fake_threads_free },
  { SD_PLATFORM_LINKEDIN, "SOCIALDESK_LINKEDIN_URL", FALSE, SD_FAKE_FAULT_ALL, make_linkedin,
    (gpointer) sd_fake_linkedin_get_url, (gpointer) sd_fake_linkedin_get_http,
    (gpointer) sd_fake_linkedin_count_posts_with_text, (gpointer) sd_fake_linkedin_free },
  { SD_PLATFORM_FACEBOOK, "SOCIALDESK_FACEBOOK_URL", FALSE, META_FAULTS, make_facebook,
    (gpointer) sd_fake_meta_get_url, (gpointer) sd_fake_meta_get_http,
    (gpointer) sd_fake_meta_count_posts_with_text, (gpointer) sd_fake_meta_free },
};

static void
remember_secret (const char *secret)
{
  const char *path = g_getenv ("SD_KNOWN_SECRETS");
  g_autofree char *line = g_strconcat (secret, "\n", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
  g_assert_nonnull (out);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, NULL);
}

static char *
part_text (SdPlatform platform,
           guint      post,
           guint      part)
{
  return g_strdup_printf ("%s faults post %03u part %u", sd_platform_get_info (platform)->id, post, part);
}

static gboolean
is_thread (const Network *network,
           guint          post)
{
  return network->threads && post % THREAD_EVERY == 0;
}

/* The store file is shared by the networks' runs: count this account's jobs. */
static SdAccount *current_account;

static guint
count_jobs (SdStore    *store,
            const char *states)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM job JOIN variant ON variant.id = job.variant_id"
                                          " WHERE job.state IN (%s) AND variant.account_id = '%s'", states,
                                          sd_account_get_id (current_account));
  sqlite3_stmt *stmt;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_network_faults (gconstpointer data)
{
  const Network *network = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *token = g_strconcat ("tok-", uuid, NULL);
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(SdAccount) account = sd_account_new (network->platform);
  g_autoptr(SdStore) store = NULL;
  gpointer fake = network->make ("1700000000000000001", token);
  SdFakeHttp *http = network->http (fake);
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  gint64 now = sd_time_now ();
  SdSyncOptions options;
  guint passes = 0, expected = 0;

  remember_secret (token);
  g_setenv (network->env_var, network->url (fake), TRUE);

  store = sd_store_open (NULL, &error);
  g_assert_no_error (error);
  sd_account_set_remote_id (account, "1700000000000000001");
  sd_account_set_handle (account, "brand");
  credentials->access_token = g_strdup (token);
  g_assert_true (sd_secrets_store (account, credentials, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_store_save_account (store, account, &error));
  g_assert_no_error (error);
  current_account = account;

  for (guint i = 0; i < N_POSTS; i++)
    {
      g_autoptr(SdPost) post = sd_post_new ();
      g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
      g_autofree char *one = part_text (network->platform, i, 1);
      g_autofree char *two = part_text (network->platform, i, 2);
      g_autofree char *three = part_text (network->platform, i, 3);
      g_autofree char *text = is_thread (network, i) ? g_strconcat (one, "\n---\n", two, "\n---\n", three, NULL)
                                                     : g_strdup (one);

      sd_post_set_text (post, text);
      g_assert_true (sd_store_save_post (store, post, &error));
      g_ptr_array_add (accounts, (gpointer) sd_account_get_id (account));
      g_assert_true (sd_store_set_post_accounts (store, sd_post_get_id (post), accounts, &error));
      g_assert_true (sd_store_schedule_post (store, sd_post_get_id (post), now - N_POSTS + i, &error));
      g_assert_no_error (error);
      expected += is_thread (network, i) ? 3 : 1;
    }

  sd_fake_http_set_fault_rate (http, 0.2, 20261126);
  sd_fake_http_set_fault_kinds (http, network->faults);
  sd_fake_http_set_slow_delay (http, 2500);

  sd_sync_options_init (&options);
  options.retry_base_ms = 100;
  options.max_attempts = 1000;
  options.grace_seconds = 24 * 3600;

  while (count_jobs (store, "'pending', 'running'") > 0 && g_get_monotonic_time () < deadline)
    {
      SdSyncReport report;

      sd_sync_report_init (&report);
      g_assert_true (sd_sync_run (store, &options, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.failed, ==, 0);
      sd_sync_report_clear (&report);
      /* A 429's wait is the network's business, not this test's. */
      g_assert_cmpint (sqlite3_exec (sd_store_get_db (store),
                                     "UPDATE job SET next_attempt_at = NULL WHERE state = 'pending'",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      passes++;
      g_usleep (100 * 1000);
    }

  g_test_message ("%s: %u passes, %u requests, %u faults injected, %u could not be confirmed",
                  sd_platform_get_info (network->platform)->display_name, passes,
                  sd_fake_http_get_n_requests (http), sd_fake_http_get_n_faults (http),
                  count_jobs (store, "'uncertain'"));
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >=, 5);
  g_assert_cmpuint (count_jobs (store, "'pending', 'running', 'failed'"), ==, 0);

  /* Never twice. A post SocialDesk could not confirm is left to the person
   * (it may be out once, or not at all); every other one is out once. */
  for (guint i = 0; i < N_POSTS; i++)
    for (guint part = 1; part <= (is_thread (network, i) ? 3u : 1u); part++)
      {
        g_autofree char *text = part_text (network->platform, i, part);
        guint n = network->count (fake, text);

        if (n > 1)
          g_error ("“%s” is on %s %u times", text, sd_platform_get_info (network->platform)->display_name, n);
      }
  g_assert_cmpuint (count_jobs (store, "'done'") + count_jobs (store, "'uncertain'"), ==, N_POSTS);
  if (count_jobs (store, "'uncertain'") == 0)
    for (guint i = 0; i < N_POSTS; i++)
      {
        g_autofree char *text = part_text (network->platform, i, 1);

        g_assert_cmpuint (network->count (fake, text), ==, 1);
      }

  network->destroy (fake);
  (void) expected;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "2", TRUE);
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "20", TRUE);
  g_setenv ("SOCIALDESK_ASSUME_ONLINE", "1", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/networks-faults/%s", sd_platform_get_info (networks[i].platform)->id);

      g_test_add_data_func (path, &networks[i], test_network_faults);
    }
  return g_test_run ();
}
