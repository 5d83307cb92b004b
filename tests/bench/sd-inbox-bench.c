/* sd-inbox-bench.c — the inbox with a million messages: opening, paging, search, import, memory
 *
 * Builds a store (in $TMPDIR, removed afterwards) with ten accounts on
 * several networks and N messages (default 1,000,000): mixed kinds, 5–40
 * words each from a Zipf-distributed vocabulary of Indonesian and English
 * words, 30% unread, 20% done. Then prints figures; goals: open < 200 ms,
 * search < 50 ms, peak RSS < 150 MB, import of 100 < 5 ms.
 *
 *   sd-inbox-bench [N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "sd-store-private.h"

#define N_ACCOUNTS 10
#define N_WORDS 4000
#define PAGE 100

static const char * const seed_words[] = {
  "yang", "dan", "di", "the", "ini", "itu", "to", "dengan", "untuk", "and", "tidak", "saya", "a", "of", "ada",
  "kami", "kita", "you", "terima", "kasih", "thanks", "pesanan", "order", "kirim", "sudah", "belum", "harga",
  "promo", "diskon", "produk", "toko", "barang", "please", "help", "bagus", "mantap", "kopi", "susu", "teh",
  "enak", "rusak", "refund", "tolong", "cepat", "lambat", "kapan", "sampai", "great", "love", "kurir",
  "ongkir", "gratis", "stok", "ukuran", "warna", "merah", "biru", "hitam", "putih", "baju", "sepatu",
  "tas", "jam", "hari", "minggu", "bulan", "tahun", "akhir", "awal", "baru", "lama", "café", "résumé",
  "pagi", "siang", "malam", "jakarta", "bandung", "surabaya", "medan", "bali", "service", "customer",
  "question", "answer", "shipping", "delivery", "payment", "bayar", "transfer", "rekening", "link",
};

static char **vocabulary;
static double *cumulative;

static void
make_vocabulary (GRand *rand)
{
  static const char * const syllables[] = {
    "ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "ba", "da", "ga", "ja", "ki", "li", "mi", "ni", "pi",
    "ri", "si", "ti", "ku", "lu", "mu", "nu", "pu", "ru", "su", "tu", "ke", "le", "me", "ne", "pe", "re",
    "se", "te", "ko", "lo", "mo", "no", "po", "ro", "so", "to", "ng", "an", "in", "un", "er", "ar",
  };
  double total = 0;

  vocabulary = g_new0 (char *, N_WORDS);
  cumulative = g_new0 (double, N_WORDS);
  for (guint i = 0; i < N_WORDS; i++)
    {
      if (i < G_N_ELEMENTS (seed_words))
        vocabulary[i] = g_strdup (seed_words[i]);
      else
        {
          GString *word = g_string_new (NULL);
          guint n = 2 + g_rand_int_range (rand, 0, 3);

          for (guint k = 0; k < n; k++)
            g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
          g_string_append_printf (word, "%u", i % 10);  /* distinct words, however the syllables fall */
          vocabulary[i] = g_string_free (word, FALSE);
        }
      total += 1.0 / (i + 1);
      cumulative[i] = total;
    }
  for (guint i = 0; i < N_WORDS; i++)
    cumulative[i] /= total;
}

static const char *
zipf_word (GRand *rand)
{
  double x = g_rand_double (rand);
  guint lo = 0, hi = N_WORDS - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return vocabulary[lo];
}

static char *
make_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 5, 41);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "", zipf_word (rand));
  return g_string_free (text, FALSE);
}

static const SdPlatform platforms[N_ACCOUNTS] = {
  SD_PLATFORM_MASTODON, SD_PLATFORM_BLUESKY, SD_PLATFORM_X, SD_PLATFORM_FACEBOOK, SD_PLATFORM_INSTAGRAM,
  SD_PLATFORM_THREADS, SD_PLATFORM_LINKEDIN, SD_PLATFORM_YOUTUBE, SD_PLATFORM_TIKTOK, SD_PLATFORM_MASTODON,
};

static SdMessageKind
random_kind (GRand *rand)
{
  guint x = g_rand_int_range (rand, 0, 100);

  if (x < 35) return SD_MESSAGE_KIND_MENTION;
  if (x < 60) return SD_MESSAGE_KIND_REPLY;
  if (x < 65) return SD_MESSAGE_KIND_QUOTE;
  if (x < 80) return SD_MESSAGE_KIND_COMMENT;
  if (x < 92) return SD_MESSAGE_KIND_DM;
  if (x < 95) return SD_MESSAGE_KIND_ACTIVITY;
  if (x < 98) return SD_MESSAGE_KIND_CONTEXT;
  return SD_MESSAGE_KIND_OWN;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
fill (SdStore  *store,
      char    **account_ids,
      guint     n,
      GRand    *rand)
{
  sqlite3 *db = sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 start = 1700000000;

  /* A big cache for building only: random UUIDs land all over their index. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA cache_size = -262144; BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO message (id, account_id, platform, stream, kind, remote_id,"
                                       "  conversation_id, author_handle, author_name, text, sent_at, fetched_at,"
                                       "  caps, is_read, is_done)"
                                       " VALUES (?1, ?2, ?3, 'notifications', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1, ?11, ?12)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      guint account = g_rand_int_range (rand, 0, N_ACCOUNTS);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *text = make_text (rand);
      char remote_id[32], conversation[32], handle[48], name[48];
      guint person = g_rand_int_range (rand, 0, 50000);

      g_snprintf (remote_id, sizeof remote_id, "r%u", i);
      g_snprintf (conversation, sizeof conversation, "c%u", i / 4);
      g_snprintf (handle, sizeof handle, "user%u", person);
      g_snprintf (name, sizeof name, "%s %s", vocabulary[person % 200], vocabulary[(person / 200) % 300]);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, account_ids[account], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, sd_platform_get_info (platforms[account])->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, sd_message_kind_to_string (random_kind (rand)), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, remote_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, conversation, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, handle, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, text, -1, SQLITE_STATIC);
      /* About one a minute over two years, in order with some jitter. */
      sqlite3_bind_int64 (stmt, 10, start + (gint64) i * 60 + g_rand_int_range (rand, 0, 120));
      sqlite3_bind_int (stmt, 11, g_rand_int_range (rand, 0, 100) >= 30);
      sqlite3_bind_int (stmt, 12, g_rand_int_range (rand, 0, 100) < 20);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT; PRAGMA cache_size = -2000", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, g_getenv ("SD_BENCH_OPTIMIZE") != NULL
                                     ? "INSERT INTO message_fts (message_fts) VALUES ('optimize');"
                                       "ANALYZE; PRAGMA wal_checkpoint (TRUNCATE)"
                                     : "ANALYZE; PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
}

static double
time_open (SdStore            *store,
           const SdInboxQuery *query,
           guint              *n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  double start = now_ms ();

  *n = sd_store_count_messages (store, query, &error);
  g_assert_no_error (error);
  page = sd_store_list_messages (store, query, 0, PAGE, &error);
  g_assert_no_error (error);
  return now_ms () - start;
}

static void
report_query (SdStore            *store,
              const char         *what,
              const SdInboxQuery *query)
{
  guint n = 0;
  double first = time_open (store, query, &n);
  double second = time_open (store, query, &n);

  printf ("%-44s %8.1f ms (again %6.1f ms), %u rows\n", what, first, second, n);
}

static double
time_page (SdStore *store,
           guint    offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  double start = now_ms ();

  page = sd_store_list_messages (store, NULL, offset, PAGE, &error);
  g_assert_no_error (error);
  return now_ms () - start;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
time_imports (SdStore  *store,
              char    **account_ids,
              GRand    *rand)
{
  double times[50];

  for (guint run = 0; run < G_N_ELEMENTS (times); run++)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      SdInboxImport import;
      double start;

      for (guint i = 0; i < PAGE; i++)
        {
          SdMessage *message = sd_message_new ();
          g_autofree char *remote_id = g_strdup_printf ("new-%u-%u", run, i);
          g_autofree char *text = make_text (rand);
          guint account = g_rand_int_range (rand, 0, N_ACCOUNTS);

          sd_message_set_account_id (message, account_ids[account]);
          sd_message_set_platform (message, platforms[account]);
          sd_message_set_stream (message, "notifications");
          sd_message_set_remote_id (message, remote_id);
          sd_message_set_kind (message, SD_MESSAGE_KIND_MENTION);
          sd_message_set_text (message, text);
          sd_message_set_author_handle (message, "someone");
          sd_message_set_sent_at (message, 1800000000 + run * PAGE + i);
          g_ptr_array_add (messages, message);
        }
      sd_inbox_import_init (&import);
      start = now_ms ();
      g_assert_true (sd_store_import_messages (store, messages, &import, &error));
      times[run] = now_ms () - start;
      g_assert_no_error (error);
      g_assert_cmpuint (import.n_new, ==, PAGE);
      sd_inbox_import_clear (&import);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], (int (*) (const void *, const void *)) compare_doubles);
  return times[G_N_ELEMENTS (times) / 2];
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *dir = g_dir_make_tmp ("sd-inbox-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "socialdesk.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  char *account_ids[N_ACCOUNTS];
  SdStore *store;
  guint count = 0;
  double start, cold, warm;
  char common[64], rare[64], prefix[8];

  make_vocabulary (rand);
  store = sd_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autoptr(SdAccount) account = sd_account_new (platforms[i]);
      g_autofree char *remote_id = g_strdup_printf ("acct%u", i);

      sd_account_set_remote_id (account, remote_id);
      sd_account_set_handle (account, remote_id);
      if (platforms[i] == SD_PLATFORM_MASTODON)
        sd_account_set_server_url (account, i == 0 ? "https://a.example" : "https://b.example");
      g_assert_true (sd_store_save_account (store, account, &error));
      account_ids[i] = g_strdup (sd_account_get_id (account));
    }

  start = now_ms ();
  fill (store, account_ids, n, rand);
  printf ("built %u messages in %.1f s\n", n, (now_ms () - start) / 1000);
  g_object_unref (store);
  /* The peak from here on: building used a big cache the app never has. */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);

  /* Cold: a new SdStore, as when the app starts. */
  store = sd_store_open (path, &error);
  g_assert_no_error (error);
  cold = time_open (store, NULL, &count);
  warm = time_open (store, NULL, &count);
  printf ("%-44s %8.1f ms cold, %6.1f ms warm (%u open messages)\n", "open: count + first page (goal < 200 ms)",
          cold, warm, count);

  printf ("%-44s %8.1f ms\n", "page at 1,000", time_page (store, 1000));
  printf ("%-44s %8.1f ms\n", "page at 500,000", time_page (store, 500000));
  printf ("%-44s %8.1f ms\n", "page at 999,900", time_page (store, 999900));
  printf ("%-44s %8.1f ms\n", "last page of the open ones", time_page (store, count > PAGE ? count - PAGE : 0));

  g_strlcpy (common, vocabulary[20], sizeof common);   /* "pesanan": about 1 in 60 words */
  g_strlcpy (rare, vocabulary[N_WORDS - 7], sizeof rare);
  g_strlcpy (prefix, vocabulary[45], 4);
  printf ("search words: common \"%s\", rare \"%s\", prefix \"%s\"\n", common, rare, prefix);
  report_query (store, "search, common word (goal < 50 ms)", &(SdInboxQuery) { .search = common });
  report_query (store, "search, rare word", &(SdInboxQuery) { .search = rare });
  report_query (store, "search, prefix", &(SdInboxQuery) { .search = prefix });
  report_query (store, "search, two words", &(SdInboxQuery) { .search = "terima kasih" });
  report_query (store, "search, common + unread + Mastodon + DMs",
                &(SdInboxQuery) { .search = common, .unread_only = TRUE, .platforms = 1u << SD_PLATFORM_MASTODON,
                                  .kinds = 1u << SD_MESSAGE_KIND_DM });
  report_query (store, "filter: unread", &(SdInboxQuery) { .unread_only = TRUE });
  report_query (store, "filter: one account", &(SdInboxQuery) { .account_id = account_ids[3] });
  report_query (store, "filter: DMs on Instagram",
                &(SdInboxQuery) { .kinds = 1u << SD_MESSAGE_KIND_DM, .platforms = 1u << SD_PLATFORM_INSTAGRAM });
  report_query (store, "filter: done", &(SdInboxQuery) { .done = SD_INBOX_DONE });
  report_query (store, "filter: everything (done or not)", &(SdInboxQuery) { .done = SD_INBOX_ANY });

  printf ("%-44s %8.2f ms (median of 50)\n", "import of 100 new (goal < 5 ms)", time_imports (store, account_ids, rand));
  printf ("%-44s %8ld MB\n", "peak RSS, VmHWM (goal < 150 MB)", peak_rss_kb () / 1024);

  g_object_unref (store);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_free (account_ids[i]);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_remove (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
