/* sd-seed-inbox.c — fills a store's inbox with many messages (for the inbox list tests)
 *
 *   sd-seed-inbox [--db PATH] COUNT
 *
 * Uses the first account (making a Mastodon one, @brand@inbox.test, when there
 * is none) and imports COUNT messages in one transaction: kinds in turn
 * (mention, reply, dm, comment), every third one read, newest first by index.
 * Message 7 says "Where is my order 4521?"; every text says its number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "sd-account.h"
#include "sd-message.h"
#include "sd-store.h"
#include "sd-time.h"

static const char *names[] = { "Alice Example", "Bob Builder", "Chandra Putri", "Dewi Lestari", "Eko Prasetyo" };
static const SdMessageKind kinds[] = {
  SD_MESSAGE_KIND_MENTION, SD_MESSAGE_KIND_REPLY, SD_MESSAGE_KIND_DM, SD_MESSAGE_KIND_COMMENT,
};

static SdAccount *
first_account (SdStore  *store,
               GError  **error)
{
  g_autoptr(GPtrArray) accounts = sd_store_list_accounts (store, error);
  g_autoptr(SdAccount) account = NULL;

  if (accounts == NULL)
    return NULL;
  if (accounts->len > 0)
    return g_object_ref (g_ptr_array_index (accounts, 0));

  account = sd_account_new (SD_PLATFORM_MASTODON);
  sd_account_set_server_url (account, "https://inbox.test");
  sd_account_set_remote_id (account, "1");
  sd_account_set_handle (account, "brand");
  sd_account_set_display_name (account, "Brand");
  if (!sd_store_save_account (store, account, error))
    return NULL;
  return g_steal_pointer (&account);
}

static SdMessage *
make_message (SdAccount *account,
              guint      i,
              gint64     now)
{
  SdMessage *message = sd_message_new ();
  g_autofree char *remote_id = g_strdup_printf ("seed-%u", i);
  g_autofree char *handle = g_strdup_printf ("person%u@example.social", (guint) (i % G_N_ELEMENTS (names)));
  g_autofree char *text = NULL;

  if (i == 7)
    text = g_strdup ("Where is my order 4521? It has not arrived yet.");
  else
    text = g_strdup_printf ("Seeded message %u: thanks for the update about the sale", i);

  sd_message_set_account_id (message, sd_account_get_id (account));
  sd_message_set_platform (message, sd_account_get_platform (account));
  sd_message_set_stream (message, "notifications");
  sd_message_set_kind (message, kinds[i % G_N_ELEMENTS (kinds)]);
  sd_message_set_remote_id (message, remote_id);
  sd_message_set_conversation_id (message, remote_id);
  sd_message_set_author_remote_id (message, handle);
  sd_message_set_author_handle (message, handle);
  sd_message_set_author_name (message, names[i % G_N_ELEMENTS (names)]);
  sd_message_set_text (message, text);
  sd_message_set_sent_at (message, now - (gint64) i * 600);
  sd_message_set_fetched_at (message, now);
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY);
  return message;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) read = g_ptr_array_new ();
  SdInboxImport import;
  const char *path = NULL;
  gint64 now = sd_time_now ();
  guint count;

  if (argc == 4 && g_str_equal (argv[1], "--db"))
    {
      path = argv[2];
      argv += 2;
      argc -= 2;
    }
  if (argc != 2)
    {
      g_printerr ("usage: sd-seed-inbox [--db PATH] COUNT\n");
      return 2;
    }
  count = (guint) strtoul (argv[1], NULL, 10);

  store = sd_store_open (path, &error);
  if (store == NULL || (account = first_account (store, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (messages, make_message (account, i, now));

  sd_inbox_import_init (&import);
  if (!sd_store_import_messages (store, messages, &import, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < import.new_messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (import.new_messages, i);
      guint index = (guint) g_ascii_strtoull (sd_message_get_remote_id (message) + 5, NULL, 10);

      if (index % 3 == 2)
        g_ptr_array_add (read, (gpointer) sd_message_get_id (message));
    }
  g_ptr_array_add (read, NULL);
  if (!sd_store_set_message_flag (store, (const char * const *) read->pdata, SD_MESSAGE_FLAG_READ,
                                  TRUE, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%u\n", import.n_new);
  sd_inbox_import_clear (&import);
  return 0;
}
