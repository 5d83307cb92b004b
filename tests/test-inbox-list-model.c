/* test-inbox-list-model.c — the inbox list pages rows in from the store, never all of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "inbox/sd-inbox-list-model.h"
#include "sd-account.h"
#include "sd-time.h"

#define N_MESSAGES 2500

typedef struct
{
  char             *dir;
  SdStore          *store;
  SdAccount        *account;
  SdInboxListModel *model;
  guint             n_changes;
  guint             last_removed;
  guint             last_added;
} Fixture;

static void
seed (Fixture *fixture,
      guint    count)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SdInboxImport import;
  gint64 now = sd_time_now ();

  for (guint i = 0; i < count; i++)
    {
      SdMessage *message = sd_message_new ();
      g_autofree char *remote_id = g_strdup_printf ("m%u", i);
      g_autofree char *text = i == 7 ? g_strdup ("Where is my order 4521?")
                                     : g_strdup_printf ("Seeded message %u", i);

      sd_message_set_account_id (message, sd_account_get_id (fixture->account));
      sd_message_set_platform (message, SD_PLATFORM_MASTODON);
      sd_message_set_stream (message, "notifications");
      sd_message_set_kind (message, i % 2 == 0 ? SD_MESSAGE_KIND_MENTION : SD_MESSAGE_KIND_DM);
      sd_message_set_remote_id (message, remote_id);
      sd_message_set_conversation_id (message, remote_id);
      sd_message_set_author_handle (message, "alice@example.social");
      sd_message_set_author_name (message, "Alice");
      sd_message_set_text (message, text);
      sd_message_set_sent_at (message, now - (gint64) i * 60);
      sd_message_set_fetched_at (message, now);
      g_ptr_array_add (messages, message);
    }

  sd_inbox_import_init (&import);
  g_assert_true (sd_store_import_messages (fixture->store, messages, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (import.n_new, ==, count);
  sd_inbox_import_clear (&import);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->n_changes++;
  fixture->last_removed = removed;
  fixture->last_added = added;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("sd-inbox-list-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  fixture->store = sd_store_open (path, &error);
  g_assert_no_error (error);

  fixture->account = sd_account_new (SD_PLATFORM_MASTODON);
  sd_account_set_server_url (fixture->account, "https://inbox.test");
  sd_account_set_remote_id (fixture->account, "1");
  sd_account_set_handle (fixture->account, "brand");
  g_assert_true (sd_store_save_account (fixture->store, fixture->account, &error));

  seed (fixture, N_MESSAGES);
  fixture->model = sd_inbox_list_model_new (fixture->store);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "socialdesk.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&fixture->model);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
wait_loaded (Fixture *fixture)
{
  while (sd_inbox_list_model_is_loading (fixture->model))
    g_main_context_iteration (NULL, TRUE);
}

static void
load (Fixture            *fixture,
      const SdInboxQuery *query)
{
  fixture->n_changes = 0;
  sd_inbox_list_model_set_query (fixture->model, query);
  g_assert_true (sd_inbox_list_model_is_loading (fixture->model));
  wait_loaded (fixture);
}

static const char *
remote_id_at (Fixture *fixture,
              guint    position)
{
  g_autoptr(SdMessage) message = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
  static char buffer[32];

  g_assert_nonnull (message);
  g_strlcpy (buffer, sd_message_get_remote_id (message), sizeof buffer);
  return buffer;
}

static void
test_pages_in (Fixture       *fixture,
               gconstpointer  data)
{
  SdInboxQuery query = { 0 };
  guint positions[] = { 0, 1000, 2499, 500, 1500, 2000, 100, 700, 1200, 1900, 300 };

  load (fixture, &query);
  /* The count and the first page came at once, in one change. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, N_MESSAGES);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, N_MESSAGES);
  g_assert_cmpuint (sd_inbox_list_model_get_n_pages (fixture->model), ==, 1);

  /* Newest first, read page by page; memory stays at a few pages. */
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *expected = g_strdup_printf ("m%u", positions[i]);

      g_assert_cmpstr (remote_id_at (fixture, positions[i]), ==, expected);
      g_assert_cmpuint (sd_inbox_list_model_get_n_pages (fixture->model), <=, SD_INBOX_LIST_MAX_PAGES);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->model), N_MESSAGES));
}

static void
test_filters_and_search (Fixture       *fixture,
                         gconstpointer  data)
{
  SdInboxQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) first = NULL;
  const char *ids[2] = { NULL, NULL };

  query.kinds = 1u << SD_MESSAGE_KIND_DM;
  load (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, N_MESSAGES / 2);
  g_assert_cmpstr (remote_id_at (fixture, 0), ==, "m1");

  query.kinds = 0;
  query.search = "order";
  load (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 1);
  g_assert_cmpstr (remote_id_at (fixture, 0), ==, "m7");
  g_assert_cmpuint (fixture->last_removed, ==, N_MESSAGES / 2);

  /* Read one: the unread filter leaves it out. */
  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  ids[0] = sd_message_get_id (first);
  g_assert_true (sd_store_set_message_flag (fixture->store, ids, SD_MESSAGE_FLAG_READ, TRUE, &error));
  query.search = NULL;
  query.unread_only = TRUE;
  load (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, N_MESSAGES - 1);

  /* Done ones leave the open inbox and make up the Done list. */
  g_assert_true (sd_store_set_message_flag (fixture->store, ids, SD_MESSAGE_FLAG_DONE, TRUE, &error));
  query.unread_only = FALSE;
  query.done = SD_INBOX_DONE;
  load (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 1);
  g_assert_true (sd_inbox_list_model_find (fixture->model, ids[0], NULL));
}

static void
test_last_query_wins (Fixture       *fixture,
                      gconstpointer  data)
{
  SdInboxQuery query = { 0 };

  /* Typing fast: each keystroke is a new query; only the last one lands. */
  query.search = "Seeded";
  sd_inbox_list_model_set_query (fixture->model, &query);
  query.search = "order";
  sd_inbox_list_model_set_query (fixture->model, &query);
  fixture->n_changes = 0;
  wait_loaded (fixture);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 1);
  g_assert_cmpstr (sd_inbox_list_model_get_query (fixture->model)->search, ==, "order");

  /* Blank words are no search. */
  query.search = "   ";
  load (fixture, &query);
  g_assert_null (sd_inbox_list_model_get_query (fixture->model)->search);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, N_MESSAGES);
}

static void
test_update_row (Fixture       *fixture,
                 gconstpointer  data)
{
  SdInboxQuery query = { 0 };
  g_autoptr(SdMessage) item = NULL;
  g_autoptr(SdMessage) changed = NULL;
  guint position;

  load (fixture, &query);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->model), 3);
  changed = sd_message_copy (item);
  sd_message_set_is_read (changed, TRUE);
  fixture->n_changes = 0;
  sd_inbox_list_model_update (fixture->model, changed);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_true (sd_message_get_is_read (item));
  g_assert_true (sd_inbox_list_model_find (fixture->model, sd_message_get_id (item), &position));
  g_assert_cmpuint (position, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/inbox-list/pages-in", Fixture, NULL, fixture_set_up, test_pages_in, fixture_tear_down);
  g_test_add ("/inbox-list/filters-and-search", Fixture, NULL, fixture_set_up, test_filters_and_search,
              fixture_tear_down);
  g_test_add ("/inbox-list/last-query-wins", Fixture, NULL, fixture_set_up, test_last_query_wins,
              fixture_tear_down);
  g_test_add ("/inbox-list/update-row", Fixture, NULL, fixture_set_up, test_update_row, fixture_tear_down);
  return g_test_run ();
}
