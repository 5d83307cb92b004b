/* test-inbox-sync.c — the inbox pass, the inbox engine and replies through the outbox
 *
 * A provider of the test's own stands in for Mastodon (the factory seam in
 * sd-providers-private.h): it holds each account's inbox items and answers
 * fetches page by page newer than a cursor, with faults the test asks for
 * (a 429 with Retry-After, a 500, a refused sign-in, a lost answer). The
 * store is real SQLite, the tokens are in a real keyring (with-keyring.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-inbox-engine.h"
#include "sd-inbox-sync.h"
#include "sd-providers-private.h"
#include "sd-secrets.h"
#include "sd-store.h"
#include "sd-sync.h"
#include "sd-time.h"

#define PAGE_SIZE 2

/* The fake network's state, shared by every provider instance (passes make their own). */

typedef struct
{
  SdOutcome outcome;
  guint     http_status;
  gint64    retry_after;
  guint     times;          /* how many calls it answers; then normal again */
  guint     after_pages;    /* only from this page of a fetch on */
} Fault;

typedef struct
{
  GHashTable *items;         /* "remote-account/stream" → GPtrArray of guint ids (as pointers), oldest first */
  GHashTable *faults;        /* "remote-account/stream" → Fault */
  GHashTable *fetches;       /* "remote-account/stream" → calls (as pointer) */
  gboolean    ignore_cursor; /* answer everything again, as a server that lost track */
  GString    *log;           /* "like:m1 fetch:1001/notifications …" in call order */
  SdOutcome   refresh_outcome;
  guint       refreshes;
  GHashTable *spent_refresh;  /* refresh tokens already used: they rotate */
  guint       refresh_delay_ms;
  GPtrArray  *posted;        /* char * "reply-to-remote-id|text" */
  gboolean    lose_next_answer;
  guint       publishes;
  guint       finds;
  char       *find_reply_to;
  SdOutcome   action_outcome;
  GPtrArray  *conversation;  /* SdMessage to give for any conversation */
} Network;

static Network net;

static void
network_reset (void)
{
  g_clear_pointer (&net.items, g_hash_table_unref);
  g_clear_pointer (&net.faults, g_hash_table_unref);
  g_clear_pointer (&net.fetches, g_hash_table_unref);
  if (net.log != NULL)
    g_string_free (net.log, TRUE);
  g_clear_pointer (&net.posted, g_ptr_array_unref);
  g_clear_pointer (&net.find_reply_to, g_free);
  g_clear_pointer (&net.conversation, g_ptr_array_unref);
  g_clear_pointer (&net.spent_refresh, g_hash_table_unref);
  net = (Network) { 0 };
  net.spent_refresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  net.items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  net.faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  net.fetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  net.log = g_string_new (NULL);
  net.posted = g_ptr_array_new_with_free_func (g_free);
  net.conversation = g_ptr_array_new_with_free_func (g_object_unref);
  net.refresh_outcome = SD_OUTCOME_DONE;
  net.action_outcome = SD_OUTCOME_DONE;
}

static char *
stream_key (SdAccount  *account,
            const char *stream)
{
  return g_strdup_printf ("%s/%s", sd_account_get_remote_id (account), stream);
}

static void
server_add_items (SdAccount  *account,
                  const char *stream,
                  guint       from,
                  guint       to)
{
  g_autofree char *key = stream_key (account, stream);
  GPtrArray *items = g_hash_table_lookup (net.items, key);

  if (items == NULL)
    {
      items = g_ptr_array_new ();
      g_hash_table_insert (net.items, g_strdup (key), items);
    }
  for (guint id = from; id <= to; id++)
    g_ptr_array_add (items, GUINT_TO_POINTER (id));
}

static void
server_fault (SdAccount  *account,
              const char *stream,
              Fault       fault)
{
  g_hash_table_insert (net.faults, stream_key (account, stream), g_memdup2 (&fault, sizeof fault));
}

static guint
server_fetches (SdAccount  *account,
                const char *stream)
{
  g_autofree char *key = stream_key (account, stream);

  return GPOINTER_TO_UINT (g_hash_table_lookup (net.fetches, key));
}

/* The provider */

#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider
{
  GObject parent_instance;
};

static void test_provider_iface_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider, test_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, test_provider_iface_init))

static SdPlatform
get_platform (SdProvider *self)
{
  return SD_PLATFORM_MASTODON;
}

static SdMessage *
make_item (SdAccount  *account,
           const char *stream,
           guint       id)
{
  SdMessage *message = sd_message_new ();
  g_autofree char *remote_id = g_strdup_printf ("%s-%u", stream, id);
  g_autofree char *text = g_strdup_printf ("Hello number %u in %s", id, stream);
  g_autofree char *conversation = g_strdup_printf ("conv-%u", id);

  sd_message_set_account_id (message, sd_account_get_id (account));
  sd_message_set_platform (message, SD_PLATFORM_MASTODON);
  sd_message_set_stream (message, stream);
  sd_message_set_kind (message, g_str_equal (stream, "conversations") ? SD_MESSAGE_KIND_DM : SD_MESSAGE_KIND_MENTION);
  sd_message_set_remote_id (message, remote_id);
  sd_message_set_conversation_id (message, conversation);
  sd_message_set_author_remote_id (message, "77");
  sd_message_set_author_handle (message, "bob@example.social");
  sd_message_set_author_name (message, "Bob");
  sd_message_set_text (message, text);
  sd_message_set_sent_at (message, 1700000000 + id);
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  return message;
}

static gboolean
take_fault (const char       *key,
            guint             page,
            SdProviderStatus *status)
{
  Fault *fault = g_hash_table_lookup (net.faults, key);

  if (fault == NULL || fault->times == 0 || page < fault->after_pages)
    return FALSE;
  fault->times--;
  sd_provider_status_set (status, fault->outcome, "The server said no (%u).", fault->http_status);
  status->http_status = fault->http_status;
  status->retry_after = fault->retry_after;
  return TRUE;
}

/* Newest first, PAGE_SIZE a page, newer than the cursor; the page token is the offset. */
static SdOutcome
fetch_inbox (SdProvider             *self,
             const SdPublishContext *ctx,
             const char             *stream,
             const char             *cursor,
             const char             *page_token,
             SdInboxPage            *page,
             GCancellable           *cancellable,
             SdProviderStatus       *status)
{
  g_autofree char *key = stream_key (ctx->account, stream);
  GPtrArray *items = g_hash_table_lookup (net.items, key);
  guint offset = page_token != NULL ? (guint) g_ascii_strtoull (page_token, NULL, 10) : 0;
  guint newer_than = cursor != NULL && !net.ignore_cursor ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;
  g_autoptr(GPtrArray) newer = g_ptr_array_new ();

  g_hash_table_insert (net.fetches, g_strdup (key), GUINT_TO_POINTER (server_fetches (ctx->account, stream) + 1));
  g_string_append_printf (net.log, "fetch:%s ", key);
  g_assert_nonnull (ctx->credentials);
  g_assert_nonnull (ctx->credentials->access_token);
  g_assert_nonnull (ctx->options);
  g_assert_true (json_object_has_member (ctx->options, "with_activity"));

  if (take_fault (key, offset / PAGE_SIZE, status))
    return status->outcome;
  if (g_str_has_prefix (ctx->credentials->access_token, "stale-"))
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, "The access token is invalid.");

  for (guint i = items != NULL ? items->len : 0; i > 0; i--)
    if (GPOINTER_TO_UINT (items->pdata[i - 1]) > newer_than)
      g_ptr_array_add (newer, items->pdata[i - 1]);

  for (guint i = offset; i < newer->len && i < offset + PAGE_SIZE; i++)
    g_ptr_array_add (page->messages, make_item (ctx->account, stream, GPOINTER_TO_UINT (newer->pdata[i])));
  if (offset == 0 && newer->len > 0)
    page->new_cursor = g_strdup_printf ("%u", GPOINTER_TO_UINT (newer->pdata[0]));
  if (offset + PAGE_SIZE < newer->len)
    page->next_page = g_strdup_printf ("%u", offset + PAGE_SIZE);
  return SD_OUTCOME_DONE;
}

static GPtrArray *
list_inbox_streams (SdProvider *self,
                    SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new ("notifications", "Mentions and replies", NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new ("conversations", "Direct messages", NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new ("reports", "Reports", "Test does not give reports."));
  return streams;
}

static SdOutcome
refresh_credentials (SdProvider             *self,
                     const SdPublishContext *ctx,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  guint n = g_atomic_int_add (&net.refreshes, 1) + 1;

  if (net.refresh_delay_ms > 0)
    g_usleep (net.refresh_delay_ms * 1000);
  if (net.refresh_outcome != SD_OUTCOME_DONE)
    return sd_provider_status_set (status, net.refresh_outcome, "The refresh token was revoked.");
  /* Each refresh token works once, as X's and TikTok's do. */
  if (!g_hash_table_add (net.spent_refresh, g_strdup (ctx->credentials->refresh_token)))
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, "The refresh token was already used.");
  g_free (ctx->credentials->access_token);
  ctx->credentials->access_token = g_strdup_printf ("renewed-%u", n);
  g_free (ctx->credentials->refresh_token);
  ctx->credentials->refresh_token = g_strdup_printf ("refresh-renewed-%u", n);
  ctx->credentials->expires_at = sd_time_now () + 7200;
  ctx->credentials->changed = TRUE;
  return SD_OUTCOME_DONE;
}

static SdOutcome
message_action (SdProvider             *self,
                const SdPublishContext *ctx,
                SdMessageAction         action,
                SdMessage              *message,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_string_append_printf (net.log, "%s:%s ", sd_message_action_to_string (action), sd_message_get_remote_id (message));
  if (net.action_outcome != SD_OUTCOME_DONE)
    return sd_provider_status_set (status, net.action_outcome, "Test does not allow that.");
  return SD_OUTCOME_DONE;
}

static SdOutcome
fetch_conversation (SdProvider             *self,
                    const SdPublishContext *ctx,
                    SdMessage              *message,
                    GPtrArray              *messages,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  for (guint i = 0; i < net.conversation->len; i++)
    g_ptr_array_add (messages, sd_message_copy (net.conversation->pdata[i]));
  return SD_OUTCOME_DONE;
}

static char *
posted_line (const SdPublishContext *ctx,
             const SdPublishPart    *part)
{
  return g_strdup_printf ("%s|%s", ctx->reply_to != NULL ? sd_message_get_remote_id (ctx->reply_to) : "-",
                          part->text);
}

static SdOutcome
publish_part (SdProvider             *self,
              const SdPublishContext *ctx,
              SdPublishPart          *part,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  net.publishes++;
  g_ptr_array_add (net.posted, posted_line (ctx, part));
  if (net.lose_next_answer)
    {
      net.lose_next_answer = FALSE;
      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN, "The connection was reset.");
    }
  part->remote_id = g_strdup_printf ("status-%u", net.posted->len);
  part->remote_url = g_strdup_printf ("https://example.social/@alice/%u", net.posted->len);
  return SD_OUTCOME_DONE;
}

static gboolean
resend_is_safe (SdProvider             *self,
                const SdPublishContext *ctx,
                const SdPublishPart    *part)
{
  return FALSE;
}

static SdOutcome
find_part (SdProvider             *self,
           const SdPublishContext *ctx,
           SdPublishPart          *part,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  g_autofree char *line = posted_line (ctx, part);

  net.finds++;
  g_free (net.find_reply_to);
  net.find_reply_to = ctx->reply_to != NULL ? g_strdup (sd_message_get_remote_id (ctx->reply_to)) : NULL;
  for (guint i = 0; i < net.posted->len; i++)
    if (g_str_equal (net.posted->pdata[i], line))
      {
        part->remote_id = g_strdup_printf ("status-%u", i + 1);
        return SD_OUTCOME_DONE;
      }
  return SD_OUTCOME_RETRY;
}

static void
test_provider_iface_init (SdProviderInterface *iface)
{
  iface->get_platform = get_platform;
  iface->publish_part = publish_part;
  iface->resend_is_safe = resend_is_safe;
  iface->find_part = find_part;
  iface->refresh_credentials = refresh_credentials;
  iface->list_inbox_streams = list_inbox_streams;
  iface->fetch_inbox = fetch_inbox;
  iface->fetch_conversation = fetch_conversation;
  iface->message_action = message_action;
}

static void
test_provider_class_init (TestProviderClass *klass)
{
}

static void
test_provider_init (TestProvider *self)
{
}

static SdProvider *
make_test_provider (void)
{
  return g_object_new (TEST_TYPE_PROVIDER, NULL);
}

/* Fixture */

typedef struct
{
  char      *dir;
  SdStore   *store;
  SdAccount *alice;
  SdAccount *carol;
} Fixture;

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

static SdAccount *
add_account (SdStore    *store,
             const char *remote_id,
             const char *handle,
             const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  SdAccount *account = sd_account_new (SD_PLATFORM_MASTODON);

  sd_account_set_server_url (account, "https://example.social");
  sd_account_set_remote_id (account, remote_id);
  sd_account_set_handle (account, handle);
  g_assert_true (sd_store_save_account (store, account, &error));
  g_assert_no_error (error);

  credentials->access_token = g_strdup (token);
  credentials->refresh_token = g_strdup_printf ("refresh-%s", token);
  g_assert_true (sd_secrets_store (account, credentials, NULL, &error));
  g_assert_no_error (error);
  remember_secret (token);
  remember_secret (credentials->refresh_token);
  return account;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *alice_token = g_strdup_printf ("token-alice-%08x", g_random_int ());
  g_autofree char *carol_token = g_strdup_printf ("token-carol-%08x", g_random_int ());

  network_reset ();
  fixture->dir = g_dir_make_tmp ("sd-test-inbox-sync-XXXXXX", NULL);
  path = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  fixture->store = sd_store_open (path, &error);
  g_assert_no_error (error);
  fixture->alice = add_account (fixture->store, "1001", "alice@example.social", alice_token);
  fixture->carol = add_account (fixture->store, "1002", "carol@example.social", carol_token);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *media = g_build_filename (fixture->dir, "media", NULL);

  sd_secrets_clear (sd_account_get_id (fixture->alice), NULL, NULL);
  sd_secrets_clear (sd_account_get_id (fixture->carol), NULL, NULL);
  g_clear_object (&fixture->alice);
  g_clear_object (&fixture->carol);
  g_clear_object (&fixture->store);
  g_remove (db);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (media);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
run_pass (Fixture           *fixture,
          gboolean           force,
          SdInboxSyncReport *report)
{
  g_autoptr(GError) error = NULL;
  SdInboxSyncOptions options;

  sd_inbox_sync_options_init (&options);
  options.force = force;
  sd_inbox_sync_report_init (report);
  g_assert_true (sd_inbox_sync_run (fixture->store, &options, NULL, report, &error));
  g_assert_no_error (error);
}

static guint
run_pass_new (Fixture  *fixture,
              gboolean  force)
{
  SdInboxSyncReport report;
  guint n_new;

  run_pass (fixture, force, &report);
  n_new = report.n_new;
  sd_inbox_sync_report_clear (&report);
  return n_new;
}

static guint
count_messages (Fixture   *fixture,
                SdAccount *account)
{
  g_autoptr(GError) error = NULL;
  SdInboxQuery query = { 0 };
  guint n;

  query.account_id = account != NULL ? sd_account_get_id (account) : NULL;
  query.done = SD_INBOX_ANY;
  n = sd_store_count_messages (fixture->store, &query, &error);
  g_assert_no_error (error);
  return n;
}

static SdInboxCursor *
get_cursor (Fixture    *fixture,
            SdAccount  *account,
            const char *stream)
{
  g_autoptr(GError) error = NULL;
  SdInboxCursor *cursor = sd_store_get_inbox_cursor (fixture->store, sd_account_get_id (account), stream, &error);

  g_assert_no_error (error);
  return cursor;
}

static gboolean
has_problem (SdInboxSyncReport *report,
             const char        *words)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (report->problems->pdata[i], words) != NULL)
      return TRUE;
  return FALSE;
}

/* Tests */

static void
test_pages_stored_once (Fixture       *fixture,
                        gconstpointer  data)
{
  SdInboxSyncReport report;
  SdInboxCursor *cursor;

  server_add_items (fixture->alice, "notifications", 1, 5);
  server_add_items (fixture->alice, "conversations", 1, 1);

  run_pass (fixture, FALSE, &report);
  g_assert_cmpuint (report.n_new, ==, 6);
  g_assert_cmpuint (report.new_messages->len, ==, 6);
  g_assert_cmpuint (report.problems->len, ==, 0);
  g_assert_cmpuint (report.n_accounts, ==, 2);
  g_assert_cmpuint (report.n_reached, ==, 2);
  sd_inbox_sync_report_clear (&report);
  /* Three pages of two. */
  g_assert_cmpuint (server_fetches (fixture->alice, "notifications"), ==, 3);
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 6);

  cursor = get_cursor (fixture, fixture->alice, "notifications");
  g_assert_cmpstr (cursor->cursor, ==, "5");
  g_assert_cmpuint (cursor->failures, ==, 0);
  g_assert_null (cursor->last_error);
  g_assert_cmpint (cursor->fetched_at, >, 0);
  sd_inbox_cursor_free (cursor);

  /* What a network does not give is kept as said, never fetched. */
  cursor = get_cursor (fixture, fixture->alice, "reports");
  g_assert_cmpstr (cursor->last_error, ==, "Test does not give reports.");
  g_assert_cmpint (cursor->fetched_at, ==, 0);
  sd_inbox_cursor_free (cursor);

  /* Again: nothing newer than the cursor. */
  g_assert_cmpuint (run_pass_new (fixture, FALSE), ==, 0);
  g_assert_cmpuint (server_fetches (fixture->alice, "notifications"), ==, 4);

  /* A server that answers everything again (lost the cursor): only the new ones are new. */
  server_add_items (fixture->alice, "notifications", 6, 7);
  net.ignore_cursor = TRUE;
  g_assert_cmpuint (run_pass_new (fixture, FALSE), ==, 2);
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 8);
  g_assert_cmpuint (run_pass_new (fixture, TRUE), ==, 0);
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 8);
  g_assert_cmpuint (count_messages (fixture, NULL), ==, 8);
}

static void
test_max_pages (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdInboxSyncOptions options;
  SdInboxSyncReport report;
  SdInboxCursor *cursor;
  guint expected[] = { 4, 4, 1, 0 };

  server_add_items (fixture->alice, "notifications", 1, 9);
  sd_inbox_sync_options_init (&options);
  options.max_pages = 2;
  options.account_id = sd_account_get_id (fixture->alice);

  /* Nine items, two a page, two pages a pass: the pass cut short goes on
   * where it stopped next time, and the cursor moves once it is through. */
  for (guint pass = 0; pass < G_N_ELEMENTS (expected); pass++)
    {
      sd_inbox_sync_report_init (&report);
      g_assert_true (sd_inbox_sync_run (fixture->store, &options, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.n_new, ==, expected[pass]);
      sd_inbox_sync_report_clear (&report);

      cursor = get_cursor (fixture, fixture->alice, "notifications");
      if (pass < 2)
        {
          g_assert_null (cursor->cursor);
          g_assert_nonnull (cursor->resume_page);
          g_assert_cmpstr (cursor->pending_cursor, ==, "9");
        }
      else
        {
          g_assert_cmpstr (cursor->cursor, ==, "9");
          g_assert_null (cursor->resume_page);
          g_assert_null (cursor->pending_cursor);
        }
      sd_inbox_cursor_free (cursor);
    }
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 9);
  /* Only the account asked for. */
  g_assert_cmpuint (server_fetches (fixture->carol, "notifications"), ==, 0);

  /* Newer ones come from the cursor as usual. */
  server_add_items (fixture->alice, "notifications", 10, 11);
  sd_inbox_sync_report_init (&report);
  g_assert_true (sd_inbox_sync_run (fixture->store, &options, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_new, ==, 2);
  sd_inbox_sync_report_clear (&report);
}

static void
test_cursor_only_after_success (Fixture       *fixture,
                                gconstpointer  data)
{
  SdInboxSyncReport report;
  SdInboxCursor *cursor;
  gint64 before = sd_time_now ();

  server_add_items (fixture->alice, "notifications", 1, 5);
  /* The second page fails with a 500. */
  server_fault (fixture->alice, "notifications", (Fault) { SD_OUTCOME_FAILED, 500, 0, 1, 1 });

  run_pass (fixture, FALSE, &report);
  g_assert_cmpuint (report.n_new, ==, 2);    /* the first page is kept */
  g_assert_true (has_problem (&report, "@alice@example.social: The server said no (500)."));
  g_assert_false (report.rate_limited);
  g_assert_cmpuint (report.n_reached, ==, 2); /* its other stream went well */
  sd_inbox_sync_report_clear (&report);

  cursor = get_cursor (fixture, fixture->alice, "notifications");
  g_assert_null (cursor->cursor);
  g_assert_cmpuint (cursor->failures, ==, 1);
  g_assert_cmpstr (cursor->last_error, ==, "The server said no (500).");
  g_assert_cmpint (cursor->next_fetch_at, >=, before + 60);
  g_assert_cmpint (cursor->next_fetch_at, <=, sd_time_now () + 60);
  sd_inbox_cursor_free (cursor);

  /* It waits out its backoff; the others do not wait with it. */
  g_assert_cmpuint (run_pass_new (fixture, FALSE), ==, 0);
  g_assert_cmpuint (server_fetches (fixture->alice, "notifications"), ==, 2);
  g_assert_cmpuint (server_fetches (fixture->alice, "conversations"), ==, 2);

  /* Refresh ignores it: the whole fetch goes through, nothing twice. */
  g_assert_cmpuint (run_pass_new (fixture, TRUE), ==, 3);
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 5);
  cursor = get_cursor (fixture, fixture->alice, "notifications");
  g_assert_cmpstr (cursor->cursor, ==, "5");
  g_assert_cmpuint (cursor->failures, ==, 0);
  g_assert_null (cursor->last_error);
  g_assert_cmpint (cursor->next_fetch_at, ==, 0);
  sd_inbox_cursor_free (cursor);
}

static void
test_rate_limit_and_backoff (Fixture       *fixture,
                             gconstpointer  data)
{
  SdInboxSyncReport report;
  SdInboxCursor *cursor;
  gint64 before = sd_time_now ();

  server_add_items (fixture->alice, "notifications", 1, 3);
  server_add_items (fixture->alice, "conversations", 1, 3);
  server_add_items (fixture->carol, "notifications", 1, 1);
  server_fault (fixture->alice, "notifications", (Fault) { SD_OUTCOME_RETRY, 429, 300, 1, 0 });

  run_pass (fixture, FALSE, &report);
  g_assert_true (report.rate_limited);
  g_assert_true (has_problem (&report, "Mastodon asks to wait 5 minutes."));
  /* The account's other stream and the other account went on. */
  g_assert_cmpuint (report.n_new, ==, 4);
  sd_inbox_sync_report_clear (&report);

  cursor = get_cursor (fixture, fixture->alice, "notifications");
  g_assert_cmpint (cursor->next_fetch_at, >=, before + 300);
  g_assert_cmpuint (cursor->failures, ==, 1);
  g_assert_null (cursor->cursor);
  sd_inbox_cursor_free (cursor);

  /* Failures in a row wait 1, 2, 4 minutes (Retry-After when longer). */
  for (guint failures = 2; failures <= 4; failures++)
    {
      before = sd_time_now ();
      server_fault (fixture->alice, "notifications", (Fault) { SD_OUTCOME_UNCERTAIN, 502, 0, 1, 0 });
      run_pass (fixture, TRUE, &report);
      g_assert_false (report.rate_limited);
      sd_inbox_sync_report_clear (&report);
      cursor = get_cursor (fixture, fixture->alice, "notifications");
      g_assert_cmpuint (cursor->failures, ==, failures);
      g_assert_cmpint (cursor->next_fetch_at - before, >=, 60 << (failures - 1));
      g_assert_cmpint (cursor->next_fetch_at - sd_time_now (), <=, 60 << (failures - 1));
      sd_inbox_cursor_free (cursor);
    }

  g_assert_cmpuint (run_pass_new (fixture, TRUE), ==, 3);
}

static void
test_refused_sign_in (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(SdAccount) carol = NULL;
  SdInboxSyncReport report;

  server_add_items (fixture->alice, "notifications", 1, 2);
  server_add_items (fixture->carol, "notifications", 1, 2);

  /* Alice's token is refused once: renewed, written back, fetched again. */
  server_fault (fixture->alice, "notifications", (Fault) { SD_OUTCOME_AUTH, 401, 0, 1, 0 });
  g_assert_cmpuint (run_pass_new (fixture, FALSE), ==, 4);
  g_assert_cmpuint (net.refreshes, ==, 1);
  credentials = sd_secrets_lookup (fixture->alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->access_token, ==, "renewed-1");

  /* Carol's is refused and so is the renewal: she must sign in again; Alice goes on. */
  server_add_items (fixture->alice, "notifications", 3, 3);
  server_add_items (fixture->carol, "notifications", 3, 3);
  server_fault (fixture->carol, "notifications", (Fault) { SD_OUTCOME_AUTH, 401, 0, 5, 0 });
  net.refresh_outcome = SD_OUTCOME_AUTH;
  run_pass (fixture, FALSE, &report);
  g_assert_cmpuint (report.n_new, ==, 1);
  g_assert_true (has_problem (&report, "@carol@example.social: The refresh token was revoked."));
  g_assert_cmpuint (report.n_accounts, ==, 2);
  g_assert_cmpuint (report.n_reached, ==, 1);
  sd_inbox_sync_report_clear (&report);
  /* Her other streams waited. */
  g_assert_cmpuint (server_fetches (fixture->carol, "conversations"), ==, 1);
  carol = sd_store_find_account (fixture->store, sd_account_get_id (fixture->carol), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_account_get_state (carol), ==, SD_ACCOUNT_STATE_NEEDS_SIGN_IN);

  /* Next pass: not asked at all, but said. */
  run_pass (fixture, TRUE, &report);
  g_assert_true (has_problem (&report, "@carol@example.social: Sign in to Mastodon again"));
  g_assert_cmpuint (report.n_accounts, ==, 1);
  sd_inbox_sync_report_clear (&report);
  g_assert_cmpuint (server_fetches (fixture->carol, "notifications"), ==, 2);
}

static gpointer
pass_in_thread (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GError) error = NULL;
  SdInboxSyncOptions options;
  SdInboxSyncReport report;

  sd_inbox_sync_options_init (&options);
  options.account_id = sd_account_get_id (fixture->alice);
  options.force = TRUE;
  sd_inbox_sync_report_init (&report);
  g_assert_true (sd_inbox_sync_run (fixture->store, &options, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.problems->len, ==, 0);
  sd_inbox_sync_report_clear (&report);
  return NULL;
}

/* The outbox and the inbox renew in threads of their own: a rotating refresh
 * token must be spent once, the second renewal taking the first's token. */
static void
test_concurrent_renewals (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCredentials) credentials = sd_secrets_lookup (fixture->alice, NULL, &error);
  g_autoptr(SdAccount) alice = NULL;
  GThread *threads[2];

  g_assert_no_error (error);
  credentials->expires_at = sd_time_now () + 5;
  g_assert_true (sd_secrets_store (fixture->alice, credentials, NULL, &error));
  g_assert_no_error (error);
  server_add_items (fixture->alice, "notifications", 1, 2);
  net.refresh_delay_ms = 300;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("pass", pass_in_thread, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (net.refreshes, ==, 1);
  g_clear_pointer (&credentials, sd_credentials_free);
  credentials = sd_secrets_lookup (fixture->alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->access_token, ==, "renewed-1");
  alice = sd_store_find_account (fixture->store, sd_account_get_id (fixture->alice), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_account_get_state (alice), ==, SD_ACCOUNT_STATE_CONNECTED);
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 2);
}

static SdMessage *
import_one (Fixture    *fixture,
            SdAccount  *account,
            guint       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdInboxImport import;
  SdMessage *stored;

  g_ptr_array_add (messages, make_item (account, "notifications", id));
  sd_inbox_import_init (&import);
  g_assert_true (sd_store_import_messages (fixture->store, messages, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (import.n_new, ==, 1);
  stored = g_object_ref (import.new_messages->pdata[0]);
  sd_inbox_import_clear (&import);
  return stored;
}

static guint
count_pending_actions (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = sd_store_list_pending_actions (fixture->store, NULL, &error);

  g_assert_no_error (error);
  return actions->len;
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) liked = import_one (fixture, fixture->alice, 41);
  g_autoptr(SdMessage) hidden = import_one (fixture, fixture->alice, 42);
  g_autoptr(SdMessage) reread = NULL;
  g_autofree char *refusal = NULL;
  SdInboxSyncReport report;

  server_add_items (fixture->alice, "notifications", 1, 1);
  g_assert_true (sd_store_queue_message_action (fixture->store, sd_message_get_id (liked),
                                                SD_MESSAGE_ACTION_LIKE, &error));
  g_assert_no_error (error);

  run_pass (fixture, FALSE, &report);
  g_assert_cmpuint (report.actions_sent, ==, 1);
  sd_inbox_sync_report_clear (&report);
  /* Sent before anything is fetched. */
  g_assert_true (g_str_has_prefix (net.log->str, "like:notifications-41 fetch:1001/"));
  g_assert_cmpuint (count_pending_actions (fixture), ==, 0);
  reread = sd_store_get_message (fixture->store, sd_message_get_id (liked), &error);
  g_assert_true (sd_message_get_is_liked (reread));
  g_clear_object (&reread);

  /* Refused: the flag goes back and the network's words are kept. */
  net.action_outcome = SD_OUTCOME_FAILED;
  g_string_truncate (net.log, 0);
  g_assert_true (sd_store_queue_message_action (fixture->store, sd_message_get_id (hidden),
                                                SD_MESSAGE_ACTION_HIDE, &error));
  {
    SdInboxSyncOptions options;

    sd_inbox_sync_options_init (&options);
    options.actions_only = TRUE;
    sd_inbox_sync_report_init (&report);
    g_assert_true (sd_inbox_sync_run (fixture->store, &options, NULL, &report, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (report.actions_sent, ==, 0);
  g_assert_true (has_problem (&report, "Test does not allow that."));
  sd_inbox_sync_report_clear (&report);
  /* Actions only: nothing fetched. */
  g_assert_cmpstr (net.log->str, ==, "hide:notifications-42 ");
  g_assert_cmpuint (count_pending_actions (fixture), ==, 0);
  reread = sd_store_get_message (fixture->store, sd_message_get_id (hidden), &error);
  g_assert_false (sd_message_get_is_hidden (reread));
  refusal = sd_store_take_message_error (fixture->store, sd_message_get_id (hidden), &error);
  g_assert_cmpstr (refusal, ==, "Test does not allow that.");

  /* Not answered: it waits for the next pass. */
  net.action_outcome = SD_OUTCOME_RETRY;
  g_assert_true (sd_store_queue_message_action (fixture->store, sd_message_get_id (hidden),
                                                SD_MESSAGE_ACTION_HIDE, &error));
  run_pass (fixture, FALSE, &report);
  sd_inbox_sync_report_clear (&report);
  g_assert_cmpuint (count_pending_actions (fixture), ==, 1);
  net.action_outcome = SD_OUTCOME_DONE;
  run_pass (fixture, FALSE, &report);
  g_assert_cmpuint (report.actions_sent, ==, 1);
  sd_inbox_sync_report_clear (&report);
  g_assert_cmpuint (count_pending_actions (fixture), ==, 0);
}

static void
sync_outbox (Fixture      *fixture,
             SdSyncReport *report)
{
  g_autoptr(GError) error = NULL;
  SdSyncOptions options;

  sd_sync_options_init (&options);
  options.retry_base_ms = 0;
  sd_sync_report_init (report);
  g_assert_true (sd_sync_run (fixture->store, &options, NULL, report, &error));
  g_assert_no_error (error);
}

static void
check_reply (Fixture    *fixture,
             gboolean    lose_answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) message = import_one (fixture, fixture->alice, 51);
  g_autoptr(SdMessage) reread = NULL;
  g_autofree char *post_id = NULL;
  SdSyncReport report;

  net.lose_next_answer = lose_answer;
  post_id = sd_store_queue_reply (fixture->store, sd_message_get_id (message), "Thanks, Bob!", &error);
  g_assert_no_error (error);
  g_assert_nonnull (post_id);

  sync_outbox (fixture, &report);
  g_assert_cmpuint (report.published, ==, 1);
  g_assert_cmpuint (report.uncertain, ==, 0);
  sd_sync_report_clear (&report);
  g_assert_cmpuint (net.publishes, ==, 1);
  g_assert_cmpuint (net.posted->len, ==, 1);
  g_assert_cmpstr (net.posted->pdata[0], ==, "notifications-51|Thanks, Bob!");
  if (lose_answer)
    {
      /* The lost answer was looked for as a reply to the same message. */
      g_assert_cmpuint (net.finds, ==, 1);
      g_assert_cmpstr (net.find_reply_to, ==, "notifications-51");
    }

  /* Once: a second pass has nothing to send. */
  sync_outbox (fixture, &report);
  g_assert_cmpuint (report.published, ==, 0);
  sd_sync_report_clear (&report);
  g_assert_cmpuint (net.publishes, ==, 1);

  reread = sd_store_get_message (fixture->store, sd_message_get_id (message), &error);
  g_assert_no_error (error);
  g_assert_true (sd_message_get_is_reviewed (reread));
  g_assert_true (sd_message_get_is_read (reread));
}

static void
test_reply (Fixture       *fixture,
            gconstpointer  data)
{
  check_reply (fixture, FALSE);
}

static void
test_reply_lost_answer (Fixture       *fixture,
                        gconstpointer  data)
{
  check_reply (fixture, TRUE);
}

static void
test_conversation (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) message = import_one (fixture, fixture->alice, 61);
  g_autoptr(GPtrArray) conversation = NULL;
  SdMessage *own = make_item (fixture->alice, "notifications", 60);
  SdMessage *context = make_item (fixture->alice, "notifications", 59);

  sd_message_set_kind (own, SD_MESSAGE_KIND_OWN);
  sd_message_set_conversation_id (own, NULL);
  sd_message_set_kind (context, SD_MESSAGE_KIND_CONTEXT);
  g_ptr_array_add (net.conversation, own);
  g_ptr_array_add (net.conversation, context);

  g_assert_true (sd_inbox_sync_conversation (fixture->store, sd_message_get_id (message), NULL, &error));
  g_assert_no_error (error);
  conversation = sd_store_list_conversation (fixture->store, sd_message_get_id (message), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversation->len, ==, 3);
  /* Context stays out of the inbox. */
  g_assert_cmpuint (count_messages (fixture, fixture->alice), ==, 1);
}

/* The engine */

typedef struct
{
  GMainLoop *loop;
  guint      synced;
  guint      n_new;
  guint      new_messages;
  GPtrArray *problems;
} EngineWatch;

static void
synced_cb (SdInboxEngine *engine,
           guint          n_new,
           EngineWatch   *watch)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  watch->synced++;
  watch->n_new += n_new;
  g_main_loop_quit (watch->loop);
}

static void
new_messages_cb (SdInboxEngine *engine,
                 GPtrArray     *messages,
                 GPtrArray     *notify,
                 EngineWatch   *watch)
{
  watch->new_messages += messages->len;
}

static void
problem_cb (SdInboxEngine *engine,
            const char    *problem,
            EngineWatch   *watch)
{
  g_ptr_array_add (watch->problems, g_strdup (problem));
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

static void
wait_synced (EngineWatch *watch)
{
  guint timeout = g_timeout_add_seconds (20, timeout_cb, NULL);

  g_main_loop_run (watch->loop);
  g_source_remove (timeout);
}

static void
test_engine (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SdInboxEngine) engine = sd_inbox_engine_new (fixture->store);
  EngineWatch watch = { g_main_loop_new (NULL, FALSE), 0, 0, 0, g_ptr_array_new_with_free_func (g_free) };

  g_setenv ("SOCIALDESK_ASSUME_ONLINE", "1", TRUE);
  server_add_items (fixture->alice, "notifications", 1, 3);
  server_fault (fixture->carol, "notifications", (Fault) { SD_OUTCOME_FAILED, 500, 0, 100, 0 });
  g_signal_connect (engine, "synced", G_CALLBACK (synced_cb), &watch);
  g_signal_connect (engine, "new-messages", G_CALLBACK (new_messages_cb), &watch);
  g_signal_connect (engine, "problem", G_CALLBACK (problem_cb), &watch);

  sd_inbox_engine_start (engine);
  g_assert_true (sd_inbox_engine_get_busy (engine));
  /* Asked again while busy: one pass follows, never two at once. */
  sd_inbox_engine_refresh_now (engine);
  wait_synced (&watch);
  g_assert_cmpuint (watch.n_new, ==, 3);
  g_assert_cmpuint (watch.new_messages, ==, 3);
  g_assert_cmpuint (watch.problems->len, ==, 1);
  g_assert_nonnull (strstr (watch.problems->pdata[0], "@carol@example.social"));

  wait_synced (&watch);
  g_assert_cmpuint (watch.synced, ==, 2);
  /* The forced pass asked Carol's server again despite the backoff; the
   * problem persists and is not said twice. */
  g_assert_cmpuint (server_fetches (fixture->carol, "notifications"), ==, 2);
  g_assert_cmpuint (watch.problems->len, ==, 1);

  /* An action goes out soon, without a fetch. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = NULL;
    SdInboxQuery query = { 0 };

    list = sd_store_list_messages (fixture->store, &query, 0, 1, &error);
    g_assert_no_error (error);
    g_assert_true (sd_store_queue_message_action (fixture->store, sd_message_get_id (list->pdata[0]),
                                                  SD_MESSAGE_ACTION_LIKE, &error));
    g_assert_no_error (error);
    g_string_truncate (net.log, 0);
    sd_inbox_engine_actions_queued (engine);
    wait_synced (&watch);
    g_assert_cmpstr (net.log->str, ==, "like:notifications-3 ");
  }

  sd_inbox_engine_stop (engine);
  g_main_loop_unref (watch.loop);
  g_ptr_array_unref (watch.problems);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);
  sd_provider_set_factory_for_tests (SD_PLATFORM_MASTODON, make_test_provider);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/inbox-sync/pages-stored-once", test_pages_stored_once);
  ADD ("/inbox-sync/max-pages", test_max_pages);
  ADD ("/inbox-sync/cursor-only-after-success", test_cursor_only_after_success);
  ADD ("/inbox-sync/rate-limit-and-backoff", test_rate_limit_and_backoff);
  ADD ("/inbox-sync/refused-sign-in", test_refused_sign_in);
  ADD ("/inbox-sync/concurrent-renewals", test_concurrent_renewals);
  ADD ("/inbox-sync/actions", test_actions);
  ADD ("/inbox-sync/reply", test_reply);
  ADD ("/inbox-sync/reply-lost-answer", test_reply_lost_answer);
  ADD ("/inbox-sync/conversation", test_conversation);
  ADD ("/inbox-sync/engine", test_engine);
#undef ADD

  return g_test_run ();
}
