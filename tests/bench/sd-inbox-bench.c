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
 * Each figure is printed against its goal (PASS/MISS): the median of
 * several runs after a first one (the machine may be busy with other work;
 * the load average is printed before and after). SD_BENCH_DB=path keeps the
 * database there (built when missing, reused when not), for runs in a row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

/* This thread's CPU time: what the work cost whatever else the machine was
 * doing (wall times on a busy machine include waiting for a core). */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double last_cpu;   /* the CPU time of the last timed call */

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
                                       "  caps, is_read, is_done, rowid)"
                                       " VALUES (?1, ?2, ?3, 'notifications', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1, ?11, ?12,"
                                       "  ?13)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      guint account = g_rand_int_range (rand, 0, N_ACCOUNTS);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *text = make_text (rand);
      char remote_id[32], conversation[32], handle[48], name[48];
      guint person = g_rand_int_range (rand, 0, 50000);
      gint64 sent_at;

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
      sent_at = start + (gint64) i * 60 + g_rand_int_range (rand, 0, 120);
      sqlite3_bind_int64 (stmt, 10, sent_at);
      sqlite3_bind_int (stmt, 11, g_rand_int_range (rand, 0, 100) >= 30);
      sqlite3_bind_int (stmt, 12, g_rand_int_range (rand, 0, 100) < 20);
      /* The store's rowid: its place in time, ties in the order stored. */
      sqlite3_bind_int64 (stmt, 13, sd_store_message_rowid_base (sent_at) + 1 + (i & 0xffff));
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

/* A figure against its goal. */
static void
report (const char *what,
        double      value,
        double      goal,
        const char *unit,
        const char *note)
{
  if (goal > 0)
    printf ("%-46s %8.1f %s  (goal < %.0f %s) %s%s%s\n", what, value, unit, goal, unit,
            value < goal ? "PASS" : "MISS", note != NULL ? "  " : "", note != NULL ? note : "");
  else
    printf ("%-46s %8.1f %s%s%s\n", what, value, unit, note != NULL ? "  " : "", note != NULL ? note : "");
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof values[0], compare_doubles);
  return values[n / 2];
}

/* What the inbox does when it opens a query: the count and the first page. */
static double
time_open (SdStore            *store,
           const SdInboxQuery *query,
           guint              *n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  double start = now_ms (), cpu = cpu_ms ();

  *n = sd_store_count_messages (store, query, &error);
  g_assert_no_error (error);
  page = sd_store_list_messages (store, query, 0, PAGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, MIN (*n, PAGE));
  last_cpu = cpu_ms () - cpu;
  return now_ms () - start;
}

static void
opened (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* What the list model does when a search opens: count and first page in
 * the store's worker, in one walk over the matches. CPU time is the
 * worker's (as near as this thread can see: its own is only the wait). */
static double
time_open_async (SdStore            *store,
                 const SdInboxQuery *query,
                 guint              *n)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();
  struct timespec ts;
  double cpu;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  cpu = ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
  sd_store_query_messages_async (store, query, PAGE, NULL, opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  page = sd_store_query_messages_finish (store, result, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, MIN (*n, PAGE));
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  last_cpu = ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6 - cpu;
  return now_ms () - start;
}

#define REPEATS 7

/* First run, then the median of REPEATS more. */
static void
report_query (SdStore            *store,
              const char         *what,
              const SdInboxQuery *query,
              double              goal)
{
  double times[REPEATS], cpus[REPEATS];
  g_autofree char *note = NULL;
  guint n = 0;
  /* A search opens in the worker (the count and page in one walk); the
   * filters' figures are the count and page on their own. */
  double (*open) (SdStore *, const SdInboxQuery *, guint *) = query->search != NULL ? time_open_async : time_open;
  double first = open (store, query, &n);

  for (guint i = 0; i < REPEATS; i++)
    {
      times[i] = open (store, query, &n);
      cpus[i] = last_cpu;
    }
  note = g_strdup_printf ("cpu %.1f ms; first %.1f ms; %u%s rows", median (cpus, REPEATS), first, n,
                          query->search != NULL && n == SD_INBOX_COUNT_CAP ? "+" : "");
  report (what, median (times, REPEATS), goal, "ms", note);
}

static double
time_page (SdStore            *store,
           const SdInboxQuery *query,
           guint               offset,
           guint              *n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  double start = now_ms (), cpu = cpu_ms ();

  page = sd_store_list_messages (store, query, offset, PAGE, &error);
  g_assert_no_error (error);
  *n = page->len;
  last_cpu = cpu_ms () - cpu;
  return now_ms () - start;
}

/* The first time (a deep one walks to its anchor), then the median of
 * REPEATS more, each after another page (as scrolling does). */
static void
report_page (SdStore            *store,
             const char         *which,
             const SdInboxQuery *query,
             guint               offset,
             double              goal)
{
  g_autofree char *what = g_strdup_printf ("page at %u, %s", offset, which);
  g_autofree char *note = NULL;
  double times[REPEATS], cpus[REPEATS];
  guint n = 0, other = 0;
  double first = time_page (store, query, offset, &n);
  double first_cpu = last_cpu;

  for (guint i = 0; i < REPEATS; i++)
    {
      time_page (store, query, offset / 2, &other);
      times[i] = time_page (store, query, offset + i * PAGE, &other);
      cpus[i] = last_cpu;
    }
  note = g_strdup_printf ("cpu %.1f ms; first %.1f ms (cpu %.1f); %u rows", median (cpus, REPEATS), first,
                          first_cpu, n);
  report (what, median (times, REPEATS), goal, "ms", note);
}

static void
report_imports (SdStore  *store,
                char    **account_ids,
                GRand    *rand)
{
  double times[50], cpus[50];
  gint64 tag = g_get_real_time ();

  for (guint run = 0; run < G_N_ELEMENTS (times); run++)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      SdInboxImport import;
      double start;

      for (guint i = 0; i < PAGE; i++)
        {
          SdMessage *message = sd_message_new ();
          g_autofree char *remote_id = g_strdup_printf ("new-%" G_GINT64_FORMAT "-%u-%u", tag, run, i);
          g_autofree char *conversation = g_strdup_printf ("new-%" G_GINT64_FORMAT "-%u", tag, run * PAGE + i / 3);
          g_autofree char *text = make_text (rand);
          guint account = g_rand_int_range (rand, 0, N_ACCOUNTS);

          sd_message_set_account_id (message, account_ids[account]);
          sd_message_set_platform (message, platforms[account]);
          sd_message_set_stream (message, "notifications");
          sd_message_set_remote_id (message, remote_id);
          sd_message_set_conversation_id (message, conversation);
          sd_message_set_kind (message, SD_MESSAGE_KIND_MENTION);
          sd_message_set_text (message, text);
          sd_message_set_author_handle (message, "someone");
          sd_message_set_author_name (message, "Some One");
          sd_message_set_sent_at (message, tag / G_USEC_PER_SEC + run * PAGE + i);
          g_ptr_array_add (messages, message);
        }
      sd_inbox_import_init (&import);
      start = now_ms ();
      cpus[run] = cpu_ms ();
      g_assert_true (sd_store_import_messages (store, messages, &import, &error));
      times[run] = now_ms () - start;
      cpus[run] = cpu_ms () - cpus[run];
      g_assert_no_error (error);
      g_assert_cmpuint (import.n_new, ==, PAGE);
      sd_inbox_import_clear (&import);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_doubles);
  qsort (cpus, G_N_ELEMENTS (cpus), sizeof cpus[0], compare_doubles);
  {
    g_autofree char *median_cpu = g_strdup_printf ("cpu %.1f ms", cpus[G_N_ELEMENTS (cpus) / 2]);
    g_autofree char *p95_cpu = g_strdup_printf ("cpu %.1f ms", cpus[G_N_ELEMENTS (cpus) * 95 / 100]);

    report ("import of 100 new, median of 50", times[G_N_ELEMENTS (times) / 2], 5, "ms", median_cpu);
    report ("import of 100 new, p95", times[G_N_ELEMENTS (times) * 95 / 100], 0, "ms", p95_cpu);
  }
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

static void
print_load (const char *when)
{
  g_autofree char *load = NULL;

  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    printf ("load average %s: %s", when, load);
}

static void
make_accounts (SdStore  *store,
               char    **account_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = sd_store_list_accounts (store, &error);

  g_assert_no_error (error);
  if (accounts->len == N_ACCOUNTS)
    {
      /* A kept database (SD_BENCH_DB): its accounts, in the order made. */
      for (guint i = 0; i < N_ACCOUNTS; i++)
        {
          g_autofree char *remote_id = g_strdup_printf ("acct%u", i);

          for (guint k = 0; k < accounts->len; k++)
            if (g_str_equal (sd_account_get_remote_id (accounts->pdata[k]), remote_id))
              account_ids[i] = g_strdup (sd_account_get_id (accounts->pdata[k]));
          g_assert_nonnull (account_ids[i]);
        }
      return;
    }
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
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  const char *kept = g_getenv ("SD_BENCH_DB");
  g_autofree char *dir = kept == NULL ? g_dir_make_tmp ("sd-inbox-bench-XXXXXX", NULL) : NULL;
  g_autofree char *path = kept == NULL ? g_build_filename (dir, "socialdesk.db", NULL) : g_strdup (kept);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  char *account_ids[N_ACCOUNTS] = { NULL, };
  SdStore *store;
  guint count = 0, ignored = 0;
  double start, cold, warm;
  g_autofree char *cold_cpu = NULL;
  g_autofree char *warm_cpu = NULL;
  char common[64], rare[64], prefix[8];

  setvbuf (stdout, NULL, _IOLBF, 0);
  make_vocabulary (rand);
  print_load ("before");
  store = sd_store_open (path, &error);
  g_assert_no_error (error);
  make_accounts (store, account_ids);
  if (g_getenv ("SD_BENCH_FILL_ONLY") != NULL)
    {
      fill (store, account_ids, n, rand);
      g_object_unref (store);
      return 0;
    }
  if (sd_store_count_messages (store, &(SdInboxQuery) { .done = SD_INBOX_ANY }, NULL) == 0)
    {
      /* Built in a child process: its big cache and what malloc keeps of it
       * stay out of this one's memory, as in the app. */
      g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "SD_BENCH_DB", path, TRUE);
      g_autofree char *count_arg = g_strdup_printf ("%u", n);
      char *child_argv[] = { argv[0], count_arg, NULL };
      int status = 0;

      env = g_environ_setenv (env, "SD_BENCH_FILL_ONLY", "1", TRUE);
      start = now_ms ();
      g_assert_true (g_spawn_sync (NULL, child_argv, env, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                                   &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      printf ("built %u messages in %.1f s\n", n, (now_ms () - start) / 1000);
    }
  else
    printf ("kept database %s\n", path);
  g_object_unref (store);
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);

  /* Cold: a new SdStore, as when the app starts (the file in the OS's cache). */
  store = sd_store_open (path, &error);
  g_assert_no_error (error);
  if (g_getenv ("SD_BENCH_PRAGMA") != NULL)   /* trying settings: run on the writer */
    g_assert_cmpint (sqlite3_exec (sd_store_get_db (store), g_getenv ("SD_BENCH_PRAGMA"), NULL, NULL, NULL), ==,
                     SQLITE_OK);
  if (g_getenv ("SD_BENCH_IMPORT_ONLY") != NULL)
    {
      report_imports (store, account_ids, rand);
      return 0;
    }
  cold = time_open (store, NULL, &count);
  cold_cpu = g_strdup_printf ("cpu %.1f ms", last_cpu);
  {
    double times[REPEATS], cpus[REPEATS];

    for (guint i = 0; i < REPEATS; i++)
      {
        times[i] = time_open (store, NULL, &count);
        cpus[i] = last_cpu;
      }
    warm = median (times, REPEATS);
    warm_cpu = g_strdup_printf ("cpu %.1f ms", median (cpus, REPEATS));
  }
  printf ("%u open messages\n", count);
  report ("open: count + first page, cold", cold, 200, "ms", cold_cpu);
  report ("open: count + first page, warm (median)", warm, 200, "ms", warm_cpu);

  /* Scrolling: a page must come within a frame. */
  report_page (store, "open", NULL, 0, 16);
  report_page (store, "open", NULL, 1000, 16);
  report_page (store, "open", NULL, 500000, 16);
  report_page (store, "open (past the end)", NULL, 999900, 16);
  report_page (store, "open, the last", NULL, count > PAGE ? count - PAGE : 0, 16);
  {
    SdInboxQuery any = { .done = SD_INBOX_ANY };
    guint all = sd_store_count_messages (store, &any, NULL);

    report_page (store, "done or not", &any, 900000, 16);
    report_page (store, "done or not, the last", &any, all > PAGE ? all - PAGE : 0, 16);
  }
  time_page (store, NULL, 0, &ignored);

  g_strlcpy (common, vocabulary[20], sizeof common);   /* "pesanan": about 1 in 60 words */
  g_strlcpy (rare, vocabulary[N_WORDS - 7], sizeof rare);
  g_strlcpy (prefix, vocabulary[45], 4);
  printf ("search words: common \"%s\", rare \"%s\", prefix \"%s\"\n", common, rare, prefix);
  report_query (store, "search, rare word", &(SdInboxQuery) { .search = rare }, 50);
  report_query (store, "search, common word", &(SdInboxQuery) { .search = common }, 50);
  report_query (store, "search, prefix", &(SdInboxQuery) { .search = prefix }, 50);
  report_query (store, "search, two words", &(SdInboxQuery) { .search = "terima kasih" }, 50);
  report_query (store, "search, accents folded (\"cafe\")", &(SdInboxQuery) { .search = "cafe" }, 50);
  report_query (store, "search, common + unread + Mastodon + DMs",
                &(SdInboxQuery) { .search = common, .unread_only = TRUE, .platforms = 1u << SD_PLATFORM_MASTODON,
                                  .kinds = 1u << SD_MESSAGE_KIND_DM }, 50);
  report_query (store, "filter: unread", &(SdInboxQuery) { .unread_only = TRUE }, 200);
  report_query (store, "filter: one account", &(SdInboxQuery) { .account_id = account_ids[3] }, 200);
  report_query (store, "filter: DMs on Instagram",
                &(SdInboxQuery) { .kinds = 1u << SD_MESSAGE_KIND_DM, .platforms = 1u << SD_PLATFORM_INSTAGRAM }, 200);
  report_query (store, "filter: done", &(SdInboxQuery) { .done = SD_INBOX_DONE }, 200);
  report_query (store, "filter: everything (done or not)", &(SdInboxQuery) { .done = SD_INBOX_ANY }, 200);

  report_imports (store, account_ids, rand);
  report ("peak RSS of the measuring phase (VmHWM)", peak_rss_kb () / 1024.0, 150, "MB", NULL);
  print_load ("after");

  g_object_unref (store);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_free (account_ids[i]);
  if (kept == NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_remove (file);
        }
      if (dir != NULL)
        g_rmdir (dir);
    }
  return 0;
}
