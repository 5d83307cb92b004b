/* sd-outbox-bench.c — 1,000 due posts to a loopback Mastodon: throughput, memory, main-loop stalls
 *
 * The app's own SdSyncEngine publishes them from its worker thread while the
 * main loop runs a 1 ms timer, as the window's would; the longest gap
 * between two ticks is the longest stall a person would feel. Prints figures;
 * asserts only that every post went out once. Run under tests/with-keyring.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "fakes/sd-fake-mastodon.h"
#include "sd-secrets.h"
#include "sd-store.h"
#include "sd-sync-engine.h"
#include "sd-time.h"

typedef struct
{
  GMainLoop    *loop;
  SdSyncEngine *engine;
  SdStore      *store;
  gint64        last_tick;
  gint64        max_gap;
  gint64        started;
  gint64        finished;
  guint         published;
  guint         expected;
} Bench;

static long
rss_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, field)))
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->last_tick != 0 && bench->started != 0 && bench->finished == 0)
    bench->max_gap = MAX (bench->max_gap, now - bench->last_tick);
  bench->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
finished_cb (SdSyncEngine *engine,
             SdSyncReport *report,
             Bench        *bench)
{
  bench->published += report->published;
  if (bench->published >= bench->expected && bench->finished == 0)
    {
      bench->finished = g_get_monotonic_time ();
      g_main_loop_quit (bench->loop);
    }
  else
    sd_sync_engine_sync_now (engine);
}

static gboolean
start_cb (gpointer user_data)
{
  Bench *bench = user_data;

  bench->started = g_get_monotonic_time ();
  sd_sync_engine_start (bench->engine);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_posts = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_MASTODON);
  g_autofree char *token = g_strconcat ("bench-", g_uuid_string_random (), NULL);
  g_autofree char *handle = NULL;
  g_autofree char *remote_id = NULL;
  SdFakeMastodon *fake;
  Bench bench = { 0 };
  gint64 now = sd_time_now ();
  long rss_before;

  g_setenv ("SOCIALDESK_ASSUME_ONLINE", "1", TRUE);
  fake = sd_fake_mastodon_new ();
  sd_fake_mastodon_set_rate_limit (fake, 0);
  remote_id = sd_fake_mastodon_add_account (fake, "bench", token);

  if (!(bench.store = sd_store_open (NULL, &error)))
    g_error ("%s", error->message);
  sd_account_set_server_url (account, sd_fake_mastodon_get_url (fake));
  sd_account_set_remote_id (account, remote_id);
  handle = g_strdup_printf ("bench@%s", sd_fake_mastodon_get_domain (fake));
  sd_account_set_handle (account, handle);
  credentials->access_token = g_strdup (token);
  if (!sd_secrets_store (account, credentials, NULL, &error) || !sd_store_save_account (bench.store, account, &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < n_posts; i++)
    {
      g_autoptr(SdPost) post = sd_post_new ();
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autofree char *text = g_strdup_printf ("Bench post %u: promo akhir tahun #promo", i);

      sd_post_set_text (post, text);
      g_ptr_array_add (ids, (gpointer) sd_account_get_id (account));
      if (!sd_store_save_post (bench.store, post, &error)
          || !sd_store_set_post_accounts (bench.store, sd_post_get_id (post), ids, &error)
          || !sd_store_schedule_post (bench.store, sd_post_get_id (post), now - 60, &error))
        g_error ("%s", error->message);
    }

  rss_before = rss_kib ("VmRSS:");
  bench.expected = n_posts;
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.engine = sd_sync_engine_new (bench.store);
  g_signal_connect (bench.engine, "finished", G_CALLBACK (finished_cb), &bench);
  g_timeout_add (1, tick_cb, &bench);
  g_idle_add (start_cb, &bench);
  g_main_loop_run (bench.loop);

  {
    double seconds = (bench.finished - bench.started) / 1e6;
    guint on_server = sd_fake_mastodon_count_statuses (fake);

    printf ("posts: %u published (%u statuses on the server) in %.2f s: %.0f posts/s\n",
            bench.published, on_server, seconds, bench.published / seconds);
    printf ("memory: RSS %ld KiB before, %ld KiB after, peak %ld KiB\n", rss_before, rss_kib ("VmRSS:"),
            rss_kib ("VmHWM:"));
    printf ("main loop: longest stall %.2f ms while publishing\n", bench.max_gap / 1000.0);
    if (on_server != n_posts)
      {
        printf ("FAIL: %u statuses for %u posts\n", on_server, n_posts);
        return 1;
      }
  }

  sd_sync_engine_stop (bench.engine);
  g_object_unref (bench.engine);
  g_object_unref (bench.store);
  g_main_loop_unref (bench.loop);
  sd_fake_mastodon_free (fake);
  return 0;
}
