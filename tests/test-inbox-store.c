/* test-inbox-store.c — the store's inbox: import, filters, search, conversations, replies, rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "sd-store-private.h"
#include "sd-time.h"

typedef struct
{
  char      *dir;
  char      *path;
  SdStore   *store;
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
  sd_account_set_display_name (account, "Toko Kita");
  g_assert_true (sd_store_save_account (store, account, &error));
  g_assert_no_error (error);
  return account;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("sd-test-inbox-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  fixture->store = sd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->mastodon = add_account (fixture->store, SD_PLATFORM_MASTODON, "https://mastodon.example", "1", "toko");
  fixture->bluesky = add_account (fixture->store, SD_PLATFORM_BLUESKY, NULL, "did:plc:toko", "toko.bsky.social");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->mastodon);
  g_clear_object (&fixture->bluesky);
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static SdMessage *
make_message (SdAccount     *account,
              const char    *remote_id,
              SdMessageKind  kind,
              gint64         sent_at,
              const char    *text)
{
  SdMessage *message = sd_message_new ();

  sd_message_set_account_id (message, sd_account_get_id (account));
  sd_message_set_platform (message, sd_account_get_platform (account));
  sd_message_set_stream (message, "notifications");
  sd_message_set_remote_id (message, remote_id);
  sd_message_set_kind (message, kind);
  sd_message_set_sent_at (message, sent_at);
  sd_message_set_text (message, text);
  sd_message_set_author_handle (message, "alice@mastodon.example");
  sd_message_set_author_name (message, "Alice");
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  return message;
}

static void
import (Fixture       *fixture,
        SdInboxImport *result,
        ...)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SdInboxImport local;
  va_list args;
  SdMessage *message;

  va_start (args, result);
  while ((message = va_arg (args, SdMessage *)) != NULL)
    g_ptr_array_add (messages, message);
  va_end (args);

  if (result == NULL)
    sd_inbox_import_init (&local);
  g_assert_true (sd_store_import_messages (fixture->store, messages, result != NULL ? result : &local, &error));
  g_assert_no_error (error);
  if (result == NULL)
    sd_inbox_import_clear (&local);
}

static guint
count (Fixture            *fixture,
       const SdInboxQuery *query)
{
  g_autoptr(GError) error = NULL;
  guint n = sd_store_count_messages (fixture->store, query, &error);

  g_assert_no_error (error);
  return n;
}

/* The remote ids of a query's rows, in order, joined by spaces. */
static char *
listed (Fixture            *fixture,
        const SdInboxQuery *query,
        guint               offset,
        guint               limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = sd_store_list_messages (fixture->store, query, offset, limit, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (messages);
  for (guint i = 0; i < messages->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", sd_message_get_remote_id (messages->pdata[i]));
  /* The count agrees with what the pages hold. */
  return g_string_free (out, FALSE);
}

static SdMessage *
stored (Fixture    *fixture,
        const char *account_id,
        const char *remote_id)
{
  SdInboxQuery query = { .account_id = account_id, .done = SD_INBOX_ANY };
  g_autoptr(GPtrArray) messages = sd_store_list_messages (fixture->store, &query, 0, 1000, NULL);

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    if (g_str_equal (sd_message_get_remote_id (messages->pdata[i]), remote_id))
      return g_object_ref (messages->pdata[i]);
  return NULL;
}

static void
test_import_dedup (Fixture       *fixture,
                   gconstpointer  data)
{
  SdInboxImport result;
  g_autoptr(SdMessage) again = NULL;
  g_autoptr(SdMessage) row = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[2] = { NULL, NULL };

  sd_inbox_import_init (&result);
  import (fixture, &result,
          make_message (fixture->mastodon, "100", SD_MESSAGE_KIND_MENTION, 1000, "hello @toko"),
          make_message (fixture->mastodon, "101", SD_MESSAGE_KIND_REPLY, 1001, "a reply"),
          make_message (fixture->mastodon, "ctx", SD_MESSAGE_KIND_CONTEXT, 999, "context only"),
          NULL);
  g_assert_cmpuint (result.n_new, ==, 2);
  g_assert_cmpuint (result.new_messages->len, ==, 2);
  g_assert_cmpint (sd_message_get_rowid (result.new_messages->pdata[0]), >, 0);
  sd_inbox_import_clear (&result);
  g_assert_cmpuint (count (fixture, NULL), ==, 2);

  /* The person's state survives a new fetch; the network's words change. */
  row = stored (fixture, sd_account_get_id (fixture->mastodon), "100");
  ids[0] = sd_message_get_id (row);
  g_assert_true (sd_store_set_message_flag (fixture->store, ids, SD_MESSAGE_FLAG_READ, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (sd_store_set_message_label (fixture->store, ids[0], "Penting", TRUE, &error));
  g_assert_no_error (error);

  again = make_message (fixture->mastodon, "100", SD_MESSAGE_KIND_CONTEXT, 1000, "hello @toko (edited)");
  sd_inbox_import_init (&result);
  import (fixture, &result, g_object_ref (again),
          make_message (fixture->mastodon, "101", SD_MESSAGE_KIND_REPLY, 1001, "a reply"), NULL);
  g_assert_cmpuint (result.n_new, ==, 0);
  sd_inbox_import_clear (&result);
  g_assert_cmpstr (sd_message_get_id (again), ==, ids[0]);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .done = SD_INBOX_ANY }), ==, 2);

  g_clear_object (&row);
  row = stored (fixture, sd_account_get_id (fixture->mastodon), "100");
  g_assert_cmpstr (sd_message_get_text (row), ==, "hello @toko (edited)");
  g_assert_true (sd_message_get_is_read (row));
  g_assert_cmpint (sd_message_get_kind (row), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_labels (row)[0], ==, "Penting");

  /* Context seen first becomes an inbox message when its notification comes. */
  sd_inbox_import_init (&result);
  import (fixture, &result, make_message (fixture->mastodon, "ctx", SD_MESSAGE_KIND_MENTION, 999, "context only"),
          NULL);
  g_assert_cmpuint (result.n_new, ==, 1);
  sd_inbox_import_clear (&result);
  g_assert_cmpuint (count (fixture, NULL), ==, 3);

  /* The same remote id on another account is another message. */
  import (fixture, NULL, make_message (fixture->bluesky, "100", SD_MESSAGE_KIND_MENTION, 1002, "other"), NULL);
  g_assert_cmpuint (count (fixture, NULL), ==, 4);
}

static void
test_filters_and_paging (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  SdInboxImport result;

  /* m0…m29 on Mastodon (every third a DM), b0…b9 on Bluesky; m0 oldest. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);
      SdMessage *message = make_message (fixture->mastodon, id, i % 3 == 0 ? SD_MESSAGE_KIND_DM
                                                               : SD_MESSAGE_KIND_MENTION,
                                         10000 + i * 10, "pesan");

      sd_message_set_is_read (message, i % 2 == 0);
      g_ptr_array_add (messages, message);
    }
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("b%u", i);

      g_ptr_array_add (messages, make_message (fixture->bluesky, id, SD_MESSAGE_KIND_REPLY, 10005 + i * 10, "balasan"));
    }
  /* Two at the same second: the later row first. */
  g_ptr_array_add (messages, make_message (fixture->bluesky, "same1", SD_MESSAGE_KIND_QUOTE, 50000, "x"));
  g_ptr_array_add (messages, make_message (fixture->bluesky, "same2", SD_MESSAGE_KIND_QUOTE, 50000, "x"));
  g_ptr_array_add (messages, make_message (fixture->mastodon, "own", SD_MESSAGE_KIND_OWN, 60000, "ours"));
  sd_inbox_import_init (&result);
  g_assert_true (sd_store_import_messages (fixture->store, messages, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_new, ==, 42);
  sd_inbox_import_clear (&result);

  g_assert_cmpuint (count (fixture, NULL), ==, 42);
  page = listed (fixture, NULL, 0, 4);
  g_assert_cmpstr (page, ==, "same2 same1 m29 m28");
  g_clear_pointer (&page, g_free);
  page = listed (fixture, NULL, 40, 10);
  g_assert_cmpstr (page, ==, "b0 m0");
  g_clear_pointer (&page, g_free);
  page = listed (fixture, NULL, 42, 10);
  g_assert_cmpstr (page, ==, "");
  g_clear_pointer (&page, g_free);

  /* Every page in turn gives every row once. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint offset = 0; offset < 42; offset += 5)
      {
        g_autofree char *part = listed (fixture, NULL, offset, 5);
        g_auto(GStrv) ids = g_strsplit (part, " ", -1);

        for (guint i = 0; ids[i] != NULL; i++)
          g_assert_true (g_hash_table_add (seen, g_strdup (ids[i])));
      }
    g_assert_cmpuint (g_hash_table_size (seen), ==, 42);
  }

  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .account_id = sd_account_get_id (fixture->bluesky) }), ==, 12);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .platforms = 1u << SD_PLATFORM_MASTODON }), ==, 30);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .platforms = (1u << SD_PLATFORM_MASTODON)
                                                                   | (1u << SD_PLATFORM_BLUESKY) }), ==, 42);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .kinds = 1u << SD_MESSAGE_KIND_DM }), ==, 10);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .kinds = (1u << SD_MESSAGE_KIND_DM)
                                                               | (1u << SD_MESSAGE_KIND_QUOTE) }), ==, 12);
  /* OWN is never listed, even when asked for. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .kinds = 1u << SD_MESSAGE_KIND_OWN }), ==, 0);
  /* m1, m3 … m29 unread (15) and the 12 Bluesky ones. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .unread_only = TRUE }), ==, 27);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .unread_only = TRUE, .kinds = 1u << SD_MESSAGE_KIND_DM,
                                                      .platforms = 1u << SD_PLATFORM_MASTODON }), ==, 5);

  /* Done moves it out of the inbox into Done. */
  {
    g_autoptr(SdMessage) m29 = stored (fixture, sd_account_get_id (fixture->mastodon), "m29");
    const char *ids[] = { sd_message_get_id (m29), NULL };

    g_assert_true (sd_store_set_message_flag (fixture->store, ids, SD_MESSAGE_FLAG_DONE, TRUE, &error));
    g_assert_no_error (error);
    g_assert_true (sd_store_set_message_label (fixture->store, ids[0], "vip", TRUE, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count (fixture, NULL), ==, 41);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .done = SD_INBOX_DONE }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .done = SD_INBOX_ANY }), ==, 42);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .done = SD_INBOX_ANY, .label = "VIP" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .label = "vip" }), ==, 0);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .label = "nothing" }), ==, 0);

  /* Mark all read: only what the query shows, only open ones. */
  g_assert_true (sd_store_mark_all_read (fixture->store, &(SdInboxQuery) { .platforms = 1u << SD_PLATFORM_MASTODON },
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .unread_only = TRUE }), ==, 12);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .unread_only = TRUE, .done = SD_INBOX_DONE }), ==, 1);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_query_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  SdInboxQuery query = { .search = "kopi" };
  guint n = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);

      import (fixture, NULL, make_message (fixture->mastodon, id, SD_MESSAGE_KIND_MENTION, 100 + i,
                                           i < 5 ? "kopi susu" : "teh"), NULL);
    }

  g_main_context_push_thread_default (context);
  sd_store_query_messages_async (fixture->store, &query, 3, NULL,
                                 got_result, &result);
  query.search = "teh";  /* the call kept its own copy */
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  messages = sd_store_query_messages_finish (fixture->store, result, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpstr (sd_message_get_remote_id (messages->pdata[0]), ==, "4");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const hostile[] = {
    "\" AND ( NEAR * -:", "\"", "(", ")", "*", "-", ":", "AND", "OR", "NOT", "NEAR(a b)", "a:b", "text:kopi",
    "^kopi", "kopi OR teh", "{kopi}", "'", "\\", "%", "_", "", "   ", "🎉", NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  import (fixture, NULL,
          make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_MENTION, 1, "Ngopi di café dekat kantor"),
          make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_MENTION, 2, "Kopi susu enak, harga naik"),
          make_message (fixture->mastodon, "3", SD_MESSAGE_KIND_MENTION, 3, "Pesanan saya belum sampai AND rusak"),
          make_message (fixture->mastodon, "4", SD_MESSAGE_KIND_MENTION, 4, "kopi or teh?"),
          NULL);

  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kopi" }), ==, 2);
  /* The last word is a prefix, earlier ones whole words. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kop" }), ==, 2);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kop susu" }), ==, 0);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kopi su" }), ==, 1);
  /* Accents and case fold. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "CAFE" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "café" }), ==, 1);
  /* Author names and handles are searched too. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "alice" }), ==, 4);
  /* Operators are words, not syntax. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "belum AND" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kopi OR teh" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "susu -enak" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "text:kopi" }), ==, 0);
  page = listed (fixture, &(SdInboxQuery) { .search = "kopi" }, 0, 10);
  g_assert_cmpstr (page, ==, "4 2");

  for (guint i = 0; hostile[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) messages = sd_store_list_messages (fixture->store, &(SdInboxQuery) { .search = hostile[i] },
                                                              0, 10, &error);

      g_assert_no_error (error);
      g_assert_nonnull (messages);
      sd_store_count_messages (fixture->store, &(SdInboxQuery) { .search = hostile[i] }, &error);
      g_assert_no_error (error);
    }
  /* Nothing to search for: everything, as if the box were empty. */
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "\" ( * -:" }), ==, 4);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "" }), ==, 4);
  /* Search follows an edit. */
  import (fixture, NULL, make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_MENTION, 2, "Teh manis"), NULL);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "kopi" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .search = "manis" }), ==, 1);
}

static void
test_get_message (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SdMessage) message = make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_DM, 1, "hi");
  g_autoptr(SdMessage) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;

  sd_message_add_link (message, 0, 2, "https://example.com/");
  sd_message_set_audience (message, "direct");
  sd_message_set_conversation_id (message, "c1");
  import (fixture, NULL, g_object_ref (message), NULL);
  prefix = g_strndup (sd_message_get_id (message), 8);
  found = sd_store_get_message (fixture->store, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_message_get_id (found), ==, sd_message_get_id (message));
  g_assert_cmpstr (sd_message_get_audience (found), ==, "direct");
  g_assert_cmpuint (sd_message_get_links (found)->len, ==, 1);
  g_assert_cmpuint (sd_message_get_caps (found), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  g_assert_cmpstr (sd_message_get_conversation_id (found), ==, "c1");
  g_assert_cmpint (sd_message_get_platform (found), ==, SD_PLATFORM_MASTODON);
  g_clear_object (&found);

  found = sd_store_get_message (fixture->store, "nope", &error);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_assert_null (found);
}

static SdOutboxJob *
claim (Fixture *fixture)
{
  SdClaimOptions options = { "test-host:1", sd_time_now () + 1, 30 * 60, 300, NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  SdOutboxJob *job = sd_store_claim_job (fixture->store, &options, NULL, &error);

  g_assert_no_error (error);
  return job;
}

static void
test_conversation_and_reply (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SdMessage) root = make_message (fixture->mastodon, "r", SD_MESSAGE_KIND_OWN, 100, "our post");
  g_autoptr(SdMessage) reply = make_message (fixture->mastodon, "a", SD_MESSAGE_KIND_REPLY, 200, "nice post");
  g_autoptr(SdMessage) lone = make_message (fixture->mastodon, "z", SD_MESSAGE_KIND_MENTION, 300, "lone");
  g_autoptr(SdMessage) other = make_message (fixture->bluesky, "a2", SD_MESSAGE_KIND_REPLY, 150, "elsewhere");
  g_autoptr(GPtrArray) conversation = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(SdOutboxJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) after = NULL;
  g_autoptr(SdMessage) target = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *post_id = NULL;
  g_autofree char *resolved = NULL;

  sd_message_set_conversation_id (root, "r");
  sd_message_set_conversation_id (reply, "r");
  sd_message_set_conversation_id (other, "r");
  import (fixture, NULL, g_object_ref (root), g_object_ref (reply), g_object_ref (lone), g_object_ref (other), NULL);

  conversation = sd_store_list_conversation (fixture->store, sd_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversation->len, ==, 2);
  g_assert_cmpstr (sd_message_get_remote_id (conversation->pdata[0]), ==, "r");
  g_assert_cmpstr (sd_message_get_remote_id (conversation->pdata[1]), ==, "a");
  g_clear_pointer (&conversation, g_ptr_array_unref);
  conversation = sd_store_list_conversation (fixture->store, sd_message_get_id (lone), &error);
  g_assert_cmpuint (conversation->len, ==, 1);
  g_clear_pointer (&conversation, g_ptr_array_unref);

  /* Refused: empty, and over Mastodon's limit (this server's own: 20). */
  post_id = sd_store_queue_reply (fixture->store, sd_message_get_id (reply), "  \n", &error);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_assert_null (post_id);
  g_clear_error (&error);
  sd_account_set_limits_json (fixture->mastodon, "{\"max_characters\": 20}");
  g_assert_true (sd_store_save_account (fixture->store, fixture->mastodon, &error));
  g_assert_no_error (error);
  too_long = g_strnfill (21, 'x');
  post_id = sd_store_queue_reply (fixture->store, sd_message_get_id (reply), too_long, &error);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_assert_null (post_id);
  g_clear_error (&error);
  g_assert_null (claim (fixture));

  post_id = sd_store_queue_reply (fixture->store, sd_message_get_id (reply), "Terima kasih!", &error);
  g_assert_no_error (error);
  g_assert_nonnull (post_id);

  /* Read and reviewed; the reply shows in the conversation, after what it answers. */
  after = sd_store_get_message (fixture->store, sd_message_get_id (reply), &error);
  g_assert_true (sd_message_get_is_read (after));
  g_assert_true (sd_message_get_is_reviewed (after));
  conversation = sd_store_list_conversation (fixture->store, sd_message_get_id (root), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversation->len, ==, 3);
  g_assert_cmpint (sd_message_get_kind (conversation->pdata[2]), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_reply_post_id (conversation->pdata[2]), ==, post_id);
  g_assert_cmpstr (sd_message_get_text (conversation->pdata[2]), ==, "Terima kasih!");
  g_assert_cmpint (sd_message_get_reply_state (conversation->pdata[2]), ==, SD_POST_STATE_SCHEDULED);
  g_assert_cmpstr (sd_message_get_author_handle (conversation->pdata[2]), ==, "toko");
  g_clear_pointer (&conversation, g_ptr_array_unref);

  /* Never among the person's posts. */
  posts = sd_store_list_posts (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, 0);
  resolved = sd_store_resolve_id (fixture->store, post_id, &error);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The outbox sends it as the answer to the message. */
  target = sd_store_get_reply_target (fixture->store, post_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_message_get_id (target), ==, sd_message_get_id (reply));
  job = claim (fixture);
  g_assert_nonnull (job);
  g_assert_cmpstr (job->post_id, ==, post_id);
  g_assert_nonnull (job->reply_to);
  g_assert_cmpstr (sd_message_get_remote_id (job->reply_to), ==, "a");
  g_assert_cmpuint (job->parts->len, ==, 1);
  g_assert_cmpstr (sd_account_get_id (job->account), ==, sd_account_get_id (fixture->mastodon));

  /* Once out and fetched back as our own message, it is shown once, from the network. */
  {
    SdPublishPart *part = job->parts->pdata[0];
    g_autoptr(SdMessage) ours = make_message (fixture->mastodon, "out1", SD_MESSAGE_KIND_OWN, 400, "Terima kasih!");

    g_assert_true (sd_store_mark_part_sent (fixture->store, job->id, 0, sd_time_now (), &error));
    g_free (part->remote_id);
    part->remote_id = g_strdup ("out1");
    g_assert_true (sd_store_record_part (fixture->store, job->id, part, &error));
    g_assert_true (sd_store_finish_job (fixture->store, job->id, SD_OUTCOME_DONE, 0, NULL, NULL, &error));
    g_assert_no_error (error);
    sd_message_set_conversation_id (ours, "r");
    import (fixture, NULL, g_object_ref (ours), NULL);
  }
  conversation = sd_store_list_conversation (fixture->store, sd_message_get_id (root), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversation->len, ==, 3);
  g_assert_cmpstr (sd_message_get_remote_id (conversation->pdata[2]), ==, "out1");
  g_assert_null (sd_message_get_reply_post_id (conversation->pdata[2]));

  /* A normal post has no reply target. */
  {
    g_autoptr(SdPost) post = sd_post_new ();

    sd_post_set_text (post, "biasa");
    g_assert_true (sd_store_save_post (fixture->store, post, &error));
    g_assert_null (sd_store_get_reply_target (fixture->store, sd_post_get_id (post), &error));
    g_assert_no_error (error);
  }
}

static void
test_pending_actions (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SdMessage) message = make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_REPLY, 1, "hi");
  g_autoptr(SdMessage) doomed = make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_REPLY, 2, "spam");
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(SdMessage) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  const char *id;

  import (fixture, NULL, g_object_ref (message), g_object_ref (doomed), NULL);
  id = sd_message_get_id (message);

  /* Like then unlike before the sync saw either: nothing to send. */
  g_assert_true (sd_store_queue_message_action (fixture->store, id, SD_MESSAGE_ACTION_LIKE, &error));
  row = sd_store_get_message (fixture->store, id, &error);
  g_assert_true (sd_message_get_is_liked (row));
  g_clear_object (&row);
  g_assert_true (sd_store_queue_message_action (fixture->store, id, SD_MESSAGE_ACTION_UNLIKE, &error));
  row = sd_store_get_message (fixture->store, id, &error);
  g_assert_false (sd_message_get_is_liked (row));
  g_clear_object (&row);
  actions = sd_store_list_pending_actions (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 0);
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* A like the network refuses: the flag goes back, the sentence stays once. */
  g_assert_true (sd_store_queue_message_action (fixture->store, id, SD_MESSAGE_ACTION_LIKE, &error));
  g_assert_true (sd_store_queue_message_action (fixture->store, sd_message_get_id (doomed),
                                                SD_MESSAGE_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, NULL), ==, 1);  /* deleted: hidden and done at once */
  actions = sd_store_list_pending_actions (fixture->store, sd_account_get_id (fixture->bluesky), &error);
  g_assert_cmpuint (actions->len, ==, 0);
  g_clear_pointer (&actions, g_ptr_array_unref);
  actions = sd_store_list_pending_actions (fixture->store, sd_account_get_id (fixture->mastodon), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (((SdPendingAction *) actions->pdata[0])->action, ==, SD_MESSAGE_ACTION_LIKE);
  g_assert_cmpuint (((SdPendingAction *) actions->pdata[0])->attempts, ==, 1);
  g_assert_cmpint (((SdPendingAction *) actions->pdata[1])->action, ==, SD_MESSAGE_ACTION_DELETE);

  /* Once handed out, an unlike no longer cancels the like: both go. */
  g_assert_true (sd_store_queue_message_action (fixture->store, id, SD_MESSAGE_ACTION_UNLIKE, &error));
  g_assert_true (sd_store_queue_message_action (fixture->store, id, SD_MESSAGE_ACTION_LIKE, &error));
  g_assert_no_error (error);

  /* RETRY keeps it; FAILED undoes the flag; DONE of a delete removes the message. */
  g_assert_true (sd_store_finish_message_action (fixture->store, ((SdPendingAction *) actions->pdata[0])->id,
                                                 SD_OUTCOME_RETRY, NULL, &error));
  g_assert_true (sd_store_finish_message_action (fixture->store, ((SdPendingAction *) actions->pdata[0])->id,
                                                 SD_OUTCOME_FAILED, "Mastodon said: “Record not found”", &error));
  g_assert_true (sd_store_finish_message_action (fixture->store, ((SdPendingAction *) actions->pdata[1])->id,
                                                 SD_OUTCOME_DONE, NULL, &error));
  g_assert_no_error (error);
  row = sd_store_get_message (fixture->store, id, &error);
  g_assert_false (sd_message_get_is_liked (row));
  g_assert_cmpstr (sd_message_get_last_error (row), ==, "Mastodon said: “Record not found”");
  g_clear_object (&row);
  sentence = sd_store_take_message_error (fixture->store, id, &error);
  g_assert_cmpstr (sentence, ==, "Mastodon said: “Record not found”");
  g_clear_pointer (&sentence, g_free);
  sentence = sd_store_take_message_error (fixture->store, id, &error);
  g_assert_null (sentence);
  row = sd_store_get_message (fixture->store, sd_message_get_id (doomed), &error);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&actions, g_ptr_array_unref);

  /* The unlike queued after the hand-out was cancelled by the like after it. */
  actions = sd_store_list_pending_actions (fixture->store, NULL, &error);
  g_assert_cmpuint (actions->len, ==, 0);
}

static void
test_cursors (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdInboxCursor *cursor;
  g_autoptr(GPtrArray) all = NULL;
  const char *account_id = sd_account_get_id (fixture->mastodon);

  cursor = sd_store_get_inbox_cursor (fixture->store, account_id, "notifications", &error);
  g_assert_no_error (error);
  g_assert_null (cursor->cursor);
  g_assert_cmpint (cursor->fetched_at, ==, 0);
  cursor->cursor = g_strdup ("max:42");
  cursor->next_fetch_at = 500;
  cursor->failures = 2;
  cursor->last_error = g_strdup ("Too many requests");
  cursor->fetched_at = 400;
  g_assert_true (sd_store_save_inbox_cursor (fixture->store, cursor, &error));
  g_assert_no_error (error);
  g_free (cursor->cursor);
  cursor->cursor = g_strdup ("max:43");
  g_clear_pointer (&cursor->last_error, g_free);
  cursor->failures = 0;
  g_assert_true (sd_store_save_inbox_cursor (fixture->store, cursor, &error));
  sd_inbox_cursor_free (cursor);

  cursor = sd_store_get_inbox_cursor (fixture->store, account_id, "notifications", &error);
  g_assert_cmpstr (cursor->cursor, ==, "max:43");
  g_assert_cmpint (cursor->next_fetch_at, ==, 500);
  g_assert_cmpuint (cursor->failures, ==, 0);
  g_assert_null (cursor->last_error);
  g_assert_cmpint (cursor->fetched_at, ==, 400);
  sd_inbox_cursor_free (cursor);

  all = sd_store_list_inbox_cursors (fixture->store, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((SdInboxCursor *) all->pdata[0])->stream, ==, "notifications");
}

static void
test_labels (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SdMessage) message = make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_REPLY, 1, "hi");
  g_autoptr(SdMessage) row = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) labels = NULL;

  import (fixture, NULL, g_object_ref (message), NULL);
  g_assert_true (sd_store_add_label (fixture->store, "Keluhan", &error));
  g_assert_true (sd_store_add_label (fixture->store, "KELUHAN", &error));
  g_assert_true (sd_store_add_label (fixture->store, "Éclair", &error));
  g_assert_true (sd_store_add_label (fixture->store, "éCLAIR", &error));
  g_assert_true (sd_store_add_label (fixture->store, "aduan", &error));
  g_assert_no_error (error);
  g_assert_false (sd_store_add_label (fixture->store, "  ", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_clear_error (&error);
  labels = sd_store_list_labels (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (labels), ==, 3);
  g_assert_cmpstr (labels[0], ==, "aduan");
  g_clear_pointer (&labels, g_strfreev);

  g_assert_true (sd_store_set_message_label (fixture->store, sd_message_get_id (message), "keluhan", TRUE, &error));
  g_assert_true (sd_store_set_message_label (fixture->store, sd_message_get_id (message), "Baru", TRUE, &error));
  g_assert_no_error (error);
  row = sd_store_get_message (fixture->store, sd_message_get_id (message), &error);
  g_assert_cmpuint (g_strv_length (sd_message_get_labels (row)), ==, 2);
  g_assert_cmpstr (sd_message_get_labels (row)[0], ==, "Baru");
  g_assert_cmpstr (sd_message_get_labels (row)[1], ==, "Keluhan");
  g_clear_object (&row);

  g_assert_false (sd_store_rename_label (fixture->store, "keluhan", "ADUAN", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_true (sd_store_rename_label (fixture->store, "keluhan", "Komplain", &error));
  g_assert_true (sd_store_set_message_label (fixture->store, sd_message_get_id (message), "baru", FALSE, &error));
  g_assert_true (sd_store_remove_label (fixture->store, "éclair", &error));
  g_assert_no_error (error);
  row = sd_store_get_message (fixture->store, sd_message_get_id (message), &error);
  g_assert_cmpuint (g_strv_length (sd_message_get_labels (row)), ==, 1);
  g_assert_cmpstr (sd_message_get_labels (row)[0], ==, "Komplain");
  labels = sd_store_list_labels (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (labels), ==, 3);  /* aduan, Baru, Komplain */
  g_clear_object (&row);

  g_assert_true (sd_store_remove_label (fixture->store, "komplain", &error));
  row = sd_store_get_message (fixture->store, sd_message_get_id (message), &error);
  g_assert_cmpuint (g_strv_length (sd_message_get_labels (row)), ==, 0);
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SdInboxRule) empty = sd_inbox_rule_new ();
  g_autoptr(SdInboxRule) idle = sd_inbox_rule_new ();
  g_autoptr(SdInboxRule) complaints = sd_inbox_rule_new ();
  g_autoptr(SdInboxRule) dms = sd_inbox_rule_new ();
  g_autoptr(SdInboxRule) off = sd_inbox_rule_new ();
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  SdInboxImport result;
  SdMessage *first;

  /* Refused: no condition, or nothing to do. */
  empty->label = g_strdup ("x");
  g_assert_false (sd_inbox_rule_check (empty, &problem));
  g_assert_nonnull (problem);
  g_assert_false (sd_store_save_inbox_rule (fixture->store, empty, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_clear_error (&error);
  idle->keyword = g_strdup ("refund");
  g_assert_false (sd_store_save_inbox_rule (fixture->store, idle, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_clear_error (&error);

  complaints->name = g_strdup ("Complaints");
  complaints->keyword = g_strdup ("RUSAK pesanan");
  complaints->label = g_strdup ("Keluhan");
  complaints->notify = TRUE;
  g_assert_true (sd_store_save_inbox_rule (fixture->store, complaints, &error));
  g_assert_no_error (error);
  g_assert_nonnull (complaints->id);
  dms->kinds = 1u << SD_MESSAGE_KIND_DM;
  dms->platforms = 1u << SD_PLATFORM_BLUESKY;
  dms->author = g_strdup ("@Bob.bsky.social");
  dms->mark_done = TRUE;
  dms->label = g_strdup ("keluhan");
  g_assert_true (sd_store_save_inbox_rule (fixture->store, dms, &error));
  off->keyword = g_strdup ("halo");
  off->notify = TRUE;
  off->enabled = FALSE;
  g_assert_true (sd_store_save_inbox_rule (fixture->store, off, &error));
  g_assert_no_error (error);

  rules = sd_store_list_inbox_rules (fixture->store, &error);
  g_assert_cmpuint (rules->len, ==, 3);
  g_assert_cmpstr (((SdInboxRule *) rules->pdata[0])->name, ==, "Complaints");
  g_assert_cmpuint (((SdInboxRule *) rules->pdata[1])->kinds, ==, 1u << SD_MESSAGE_KIND_DM);
  g_assert_cmpuint (((SdInboxRule *) rules->pdata[1])->platforms, ==, 1u << SD_PLATFORM_BLUESKY);
  g_assert_false (((SdInboxRule *) rules->pdata[2])->enabled);

  sd_inbox_import_init (&result);
  {
    SdMessage *dm = make_message (fixture->bluesky, "dm1", SD_MESSAGE_KIND_DM, 3, "halo");
    SdMessage *dm_other = make_message (fixture->bluesky, "dm2", SD_MESSAGE_KIND_DM, 4, "halo juga");

    sd_message_set_author_handle (dm, "bob.bsky.social");
    sd_message_set_author_handle (dm_other, "carol.bsky.social");
    import (fixture, &result,
            make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_REPLY, 1, "Pesanan saya RÚSAK, tolong"),
            make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_REPLY, 2, "Pesanan sampai, mantap"),
            make_message (fixture->mastodon, "ctx", SD_MESSAGE_KIND_CONTEXT, 0, "pesanan rusak (context)"),
            dm, dm_other, NULL);
  }
  g_assert_cmpuint (result.n_new, ==, 4);
  g_assert_cmpuint (result.notify->len, ==, 1);
  first = result.notify->pdata[0];
  g_assert_cmpstr (sd_message_get_remote_id (first), ==, "1");
  g_assert_cmpstr (sd_message_get_labels (first)[0], ==, "Keluhan");
  g_assert_false (sd_message_get_is_done (first));
  sd_inbox_import_clear (&result);

  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .label = "keluhan" }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .label = "keluhan", .done = SD_INBOX_DONE }), ==, 1);
  g_assert_cmpuint (count (fixture, &(SdInboxQuery) { .done = SD_INBOX_DONE }), ==, 1);

  /* Rules look at a message once, as it arrives: not on a re-fetch. */
  sd_inbox_import_init (&result);
  import (fixture, &result, make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_REPLY, 2, "sekarang rusak pesanan"),
          NULL);
  g_assert_cmpuint (result.notify->len, ==, 0);
  sd_inbox_import_clear (&result);

  g_assert_true (sd_store_remove_inbox_rule (fixture->store, complaints->id, &error));
  g_clear_pointer (&rules, g_ptr_array_unref);
  rules = sd_store_list_inbox_rules (fixture->store, &error);
  g_assert_cmpuint (rules->len, ==, 2);
}

static void
test_saved_replies (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SdSavedReply) thanks = sd_saved_reply_new ("Thanks", "Hi {name} ({handle}), {account} on {network} thanks you! {unknown} {name");
  g_autoptr(SdSavedReply) untitled = sd_saved_reply_new (" ", "x");
  g_autoptr(SdMessage) message = make_message (fixture->mastodon, "1", SD_MESSAGE_KIND_REPLY, 1, "hi");
  g_autoptr(SdMessage) nameless = make_message (fixture->mastodon, "2", SD_MESSAGE_KIND_REPLY, 1, "hi");
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = sd_saved_reply_expand (thanks->body, message, fixture->mastodon);
  g_assert_cmpstr (text, ==, "Hi Alice (@alice@mastodon.example), Toko Kita on Mastodon thanks you! {unknown} {name");
  g_clear_pointer (&text, g_free);
  sd_message_set_author_name (nameless, NULL);
  text = sd_saved_reply_expand ("{name}", nameless, fixture->mastodon);
  g_assert_cmpstr (text, ==, "alice@mastodon.example");

  g_assert_true (sd_store_save_saved_reply (fixture->store, thanks, &error));
  g_assert_no_error (error);
  g_assert_nonnull (thanks->id);
  g_assert_false (sd_store_save_saved_reply (fixture->store, untitled, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY);
  g_clear_error (&error);
  g_free (thanks->body);
  thanks->body = g_strdup ("Terima kasih, {name}!");
  g_assert_true (sd_store_save_saved_reply (fixture->store, thanks, &error));
  replies = sd_store_list_saved_replies (fixture->store, &error);
  g_assert_cmpuint (replies->len, ==, 1);
  g_assert_cmpstr (((SdSavedReply *) replies->pdata[0])->body, ==, "Terima kasih, {name}!");
  g_assert_true (sd_store_remove_saved_reply (fixture->store, thanks->id, &error));
  g_clear_pointer (&replies, g_ptr_array_unref);
  replies = sd_store_list_saved_replies (fixture->store, &error);
  g_assert_cmpuint (replies->len, ==, 0);
}

static void
test_account_removal (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  import (fixture, NULL, make_message (fixture->bluesky, "1", SD_MESSAGE_KIND_REPLY, 1, "hi"), NULL);
  g_assert_cmpuint (count (fixture, NULL), ==, 1);
  g_assert_true (sd_store_remove_account (fixture->store, sd_account_get_id (fixture->bluesky), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
}

static char *
query_one (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* A v6 database with accounts and posts becomes v7 and keeps them. */
static void
test_migration_from_v6 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(SdStore) old = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  sqlite3 *db;

  old = sd_store_open_at_version (path, 6, &error);
  g_assert_no_error (error);
  account = add_account (old, SD_PLATFORM_MASTODON, "https://old.example", "9", "lama");
  db = sd_store_get_db (old);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO post (id, text, created_at, updated_at)"
                                     " VALUES ('p1', 'postingan lama', 1, 1);"
                                     "INSERT INTO sync_cursor (account_id, kind, cursor, updated_at)"
                                     " SELECT id, 'notifications', 'c', 1 FROM account;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_object (&old);

  store = sd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_store_get_schema_version (store), ==, 7);
  posts = sd_store_list_posts (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, 1);
  g_assert_cmpstr (sd_post_get_text (posts->pdata[0]), ==, "postingan lama");
  value = query_one (sd_store_get_db (store), "SELECT handle FROM account");
  g_assert_cmpstr (value, ==, "lama");
  g_clear_pointer (&value, g_free);
  {
    SdInboxCursor *cursor = sd_store_get_inbox_cursor (store, sd_account_get_id (account), "notifications", &error);

    g_assert_cmpstr (cursor->cursor, ==, "c");
    g_assert_cmpuint (cursor->failures, ==, 0);
    sd_inbox_cursor_free (cursor);
  }
  value = query_one (sd_store_get_db (store), "PRAGMA foreign_key_check");
  g_assert_null (value);
  value = query_one (sd_store_get_db (store), "PRAGMA integrity_check");
  g_assert_cmpstr (value, ==, "ok");
  g_clear_pointer (&value, g_free);

  /* And the inbox works in it. */
  {
    g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
    SdInboxImport result;

    g_ptr_array_add (messages, make_message (account, "1", SD_MESSAGE_KIND_MENTION, 1, "halo"));
    sd_inbox_import_init (&result);
    g_assert_true (sd_store_import_messages (store, messages, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.n_new, ==, 1);
    sd_inbox_import_clear (&result);
    g_assert_cmpuint (sd_store_count_messages (store, &(SdInboxQuery) { .search = "halo" }, &error), ==, 1);
  }
}

/* The default list uses the covering index: no table, no sort. */
static void
test_query_plan (Fixture       *fixture,
                 gconstpointer  data)
{
  sqlite3 *db = sd_store_get_db (fixture->store);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT m.rowid FROM message m"
                                           " WHERE m.kind NOT IN ('own', 'context') AND m.is_done = 0"
                                           " ORDER BY m.sent_at DESC, m.rowid DESC LIMIT 100",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "COVERING INDEX message_inbox"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/inbox-store/import-dedup", test_import_dedup);
  ADD ("/inbox-store/filters-and-paging", test_filters_and_paging);
  ADD ("/inbox-store/query-async", test_query_async);
  ADD ("/inbox-store/search", test_search);
  ADD ("/inbox-store/get-message", test_get_message);
  ADD ("/inbox-store/conversation-and-reply", test_conversation_and_reply);
  ADD ("/inbox-store/pending-actions", test_pending_actions);
  ADD ("/inbox-store/cursors", test_cursors);
  ADD ("/inbox-store/labels", test_labels);
  ADD ("/inbox-store/rules", test_rules);
  ADD ("/inbox-store/saved-replies", test_saved_replies);
  ADD ("/inbox-store/account-removal", test_account_removal);
  ADD ("/inbox-store/migration-from-v6", test_migration_from_v6);
  ADD ("/inbox-store/query-plan", test_query_plan);
#undef ADD

  return g_test_run ();
}
