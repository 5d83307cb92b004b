/* test-secrets.c — sd-secrets against a real gnome-keyring (run by test-secrets.sh)
 *
 * SD_TEST_SECRETS_MODE=keyring: a private, unlocked keyring on a private session bus.
 * SD_TEST_SECRETS_MODE=no-service: no Secret Service can be reached at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsecret/secret.h>
#include <string.h>

#include "sd-secrets.h"

#define HANDLE "alice@mastodon.social"
#define TOKEN_A "tok-A-d41d8cd98f00b204"
#define TOKEN_B "tok-B-e9800998ecf8427e"
#define REFRESH "ref-0cc175b9c0f1b6a8"

/* The same schema as sd-secrets.c: what another program (Seahorse) sees. */
static const SecretSchema schema = {
  "com.example.SocialDesk.Token",
  SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "platform", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static SdAccount *
new_alice (void)
{
  SdAccount *account = sd_account_new (SD_PLATFORM_MASTODON);

  sd_account_set_handle (account, HANDLE);
  sd_account_set_server_url (account, "https://mastodon.social");
  return account;
}

/* Every item of ours the keyring holds for these attributes, locked or not. */
static GList *
find_client_items (const char *server)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&schema,
                                                              "kind", "client",
                                                              "server", server,
                                                              NULL);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static GList *
find_network_app_items (const char *platform)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&schema,
                                                              "kind", "network-app",
                                                              "platform", platform,
                                                              NULL);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static GList *
find_account_items (const char *account_id)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&schema,
                                                              "account-id", account_id,
                                                              "kind", "account",
                                                              NULL);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
assert_no_secret_in_attributes (SecretRetrievable *item,
                                const char * const *secrets)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  GHashTableIter iter;
  const char *name;
  const char *value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      guint i;

      g_assert_true (g_str_equal (name, "account-id") || g_str_equal (name, "kind") ||
                     g_str_equal (name, "server") || g_str_equal (name, "platform") ||
                     g_str_equal (name, "xdg:schema"));
      for (i = 0; secrets[i] != NULL; i++)
        g_assert_null (strstr (value, secrets[i]));
    }
}

static void
test_account_store_lookup_replace_clear (void)
{
  g_autoptr(SdAccount) alice = new_alice ();
  g_autoptr(SdAccount) bob = sd_account_new (SD_PLATFORM_BLUESKY);
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(SdCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  const char *secrets[] = { TOKEN_A, TOKEN_B, REFRESH, "bob-app-password", NULL };
  GList *items;

  sd_account_set_handle (bob, "bob.bsky.social");

  credentials->access_token = g_strdup (TOKEN_A);
  credentials->refresh_token = g_strdup (REFRESH);
  credentials->expires_at = 1700000000;
  g_assert_true (sd_secrets_store (alice, credentials, NULL, &error));
  g_assert_no_error (error);

  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->access_token, ==, TOKEN_A);
  g_assert_cmpstr (found->refresh_token, ==, REFRESH);
  g_assert_null (found->app_password);
  g_assert_cmpint (found->expires_at, ==, 1700000000);
  g_assert_false (found->changed);
  g_clear_pointer (&found, sd_credentials_free);

  items = find_account_items (sd_account_get_id (alice));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "SocialDesk: @" HANDLE " (Mastodon)");
  assert_no_secret_in_attributes (items->data, secrets);
  g_list_free_full (items, g_object_unref);

  /* Storing again replaces the one item. */
  g_free (credentials->access_token);
  credentials->access_token = g_strdup (TOKEN_B);
  g_assert_true (sd_secrets_store (alice, credentials, NULL, &error));
  g_assert_no_error (error);
  items = find_account_items (sd_account_get_id (alice));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  assert_no_secret_in_attributes (items->data, secrets);
  g_list_free_full (items, g_object_unref);
  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->access_token, ==, TOKEN_B);
  g_clear_pointer (&found, sd_credentials_free);

  /* Another account keeps its own item. */
  {
    g_autoptr(SdCredentials) bob_credentials = sd_credentials_new ();

    bob_credentials->app_password = g_strdup ("bob-app-password");
    g_assert_true (sd_secrets_store (bob, bob_credentials, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_true (sd_secrets_clear (sd_account_get_id (alice), NULL, &error));
  g_assert_no_error (error);
  items = find_account_items (sd_account_get_id (alice));
  g_assert_cmpuint (g_list_length (items), ==, 0);
  g_assert_true (sd_secrets_clear (sd_account_get_id (alice), NULL, &error));
  g_assert_no_error (error);

  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_assert_nonnull (strstr (error->message, "sign in again"));
  g_clear_error (&error);

  found = sd_secrets_lookup (bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->app_password, ==, "bob-app-password");
  g_assert_true (sd_secrets_clear (sd_account_get_id (bob), NULL, &error));
  g_assert_no_error (error);
}

static void
test_client_per_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *label = NULL;
  const char *secrets[] = { "csec-social-0001", "csec-fosstodon-0002", NULL };
  GList *items;

  g_assert_true (sd_secrets_store_client ("https://mastodon.social/", "cid-social",
                                          "csec-social-0001", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_secrets_store_client ("https://fosstodon.org", "cid-fosstodon",
                                          "csec-fosstodon-0002", NULL, &error));
  g_assert_no_error (error);
  /* Again for the same instance: replaced, not added. */
  g_assert_true (sd_secrets_store_client ("https://fosstodon.org", "cid-fosstodon",
                                          "csec-fosstodon-0002", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (sd_secrets_lookup_client ("https://mastodon.social", &client_id, &client_secret,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (client_id, ==, "cid-social");
  g_assert_cmpstr (client_secret, ==, "csec-social-0001");
  g_clear_pointer (&client_id, g_free);
  g_clear_pointer (&client_secret, g_free);

  g_assert_true (sd_secrets_lookup_client ("https://fosstodon.org/", &client_id, &client_secret,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (client_id, ==, "cid-fosstodon");
  g_assert_cmpstr (client_secret, ==, "csec-fosstodon-0002");
  g_clear_pointer (&client_id, g_free);
  g_clear_pointer (&client_secret, g_free);

  g_assert_false (sd_secrets_lookup_client ("https://example.social", &client_id, &client_secret,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_null (client_id);
  g_assert_null (client_secret);

  items = find_client_items ("https://fosstodon.org");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  assert_no_secret_in_attributes (items->data, secrets);
  g_list_free_full (items, g_object_unref);

  items = find_client_items ("https://mastodon.social");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "SocialDesk: app on mastodon.social");
  assert_no_secret_in_attributes (items->data, secrets);
  g_list_free_full (items, g_object_unref);
}

/* One item per network, replaced when set again, gone when cleared. */
static void
test_network_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *label = NULL;
  const char *secrets[] = { "yt-secret-0001", "yt-secret-0002", "tt-secret-0003", NULL };
  GList *items;

  g_assert_true (sd_secrets_store_network_app (SD_PLATFORM_YOUTUBE, "yt-secret-0001", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_secrets_store_network_app (SD_PLATFORM_YOUTUBE, "yt-secret-0002", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_secrets_store_network_app (SD_PLATFORM_TIKTOK, "tt-secret-0003", NULL, &error));
  g_assert_no_error (error);

  secret = sd_secrets_lookup_network_app (SD_PLATFORM_YOUTUBE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "yt-secret-0002");
  g_clear_pointer (&secret, g_free);
  secret = sd_secrets_lookup_network_app (SD_PLATFORM_TIKTOK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "tt-secret-0003");
  g_clear_pointer (&secret, g_free);
  /* None kept: NULL without an error. */
  secret = sd_secrets_lookup_network_app (SD_PLATFORM_X, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  items = find_network_app_items ("youtube");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "SocialDesk: YouTube developer app");
  assert_no_secret_in_attributes (items->data, secrets);
  g_list_free_full (items, g_object_unref);

  g_assert_true (sd_secrets_clear_network_app (SD_PLATFORM_YOUTUBE, NULL, &error));
  g_assert_no_error (error);
  secret = sd_secrets_lookup_network_app (SD_PLATFORM_YOUTUBE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  items = find_network_app_items ("youtube");
  g_assert_null (items);
  /* Clearing what is not there is fine; the other network's stays. */
  g_assert_true (sd_secrets_clear_network_app (SD_PLATFORM_YOUTUBE, NULL, &error));
  g_assert_no_error (error);
  secret = sd_secrets_lookup_network_app (SD_PLATFORM_TIKTOK, NULL, &error);
  g_assert_cmpstr (secret, ==, "tt-secret-0003");
  g_assert_true (sd_secrets_clear_network_app (SD_PLATFORM_TIKTOK, NULL, &error));
  g_assert_no_error (error);
}

static void
test_corrupt_item (void)
{
  g_autoptr(SdAccount) alice = new_alice ();
  g_autoptr(SdCredentials) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "not ours",
                                             "garbage-secret-xyzzy", NULL, &error,
                                             "account-id", sd_account_get_id (alice),
                                             "kind", "account", NULL));
  g_assert_no_error (error);

  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_assert_null (strstr (error->message, "xyzzy"));
  g_clear_error (&error);

  g_assert_true (sd_secrets_clear (sd_account_get_id (alice), NULL, &error));
  g_assert_no_error (error);
}

/* Last (all cases are in one suite, run in order): it leaves the keyring locked. No prompter can show here (no display). */
static void
test_locked_keyring (void)
{
  g_autoptr(SdAccount) alice = new_alice ();
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(SdCredentials) found = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;
  GList *items;

  credentials->access_token = g_strdup (TOKEN_A);
  g_assert_true (sd_secrets_store (alice, credentials, NULL, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  g_free (credentials->access_token);
  credentials->access_token = g_strdup (TOKEN_B);
  g_assert_false (sd_secrets_store (alice, credentials, NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_assert_null (strstr (error->message, TOKEN_B));
  g_test_message ("store into a locked keyring: %s", error->message);
  g_clear_error (&error);

  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_test_message ("lookup in a locked keyring: %s", error->message);
  g_clear_error (&error);

  g_assert_false (sd_secrets_clear (sd_account_get_id (alice), NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED);
  g_test_message ("clear in a locked keyring: %s", error->message);
  g_clear_error (&error);

  /* The item is still there, untouched. */
  items = find_account_items (sd_account_get_id (alice));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
}

static void
test_no_service (void)
{
  g_autoptr(SdAccount) alice = new_alice ();
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(SdCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;

  credentials->access_token = g_strdup (TOKEN_A);
  g_assert_false (sd_secrets_store (alice, credentials, NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_test_message ("store without a keyring: %s", error->message);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_assert_nonnull (strstr (error->message, "GNOME Keyring"));
  g_assert_nonnull (strstr (error->message, "Nothing was written to disk"));
  g_assert_null (strstr (error->message, TOKEN_A));
  g_clear_error (&error);

  found = sd_secrets_lookup (alice, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "@" HANDLE));
  g_clear_error (&error);

  g_assert_false (sd_secrets_clear (sd_account_get_id (alice), NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (sd_secrets_store_client ("https://mastodon.social", "cid", "csec", NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "mastodon.social"));
  g_clear_error (&error);

  g_assert_false (sd_secrets_lookup_client ("https://mastodon.social", &client_id, &client_secret,
                                            NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_assert_null (client_id);
  g_clear_error (&error);

  g_assert_false (sd_secrets_store_network_app (SD_PLATFORM_YOUTUBE, "yt-secret", NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "YouTube"));
  g_assert_null (strstr (error->message, "yt-secret"));
  g_clear_error (&error);
  g_assert_null (sd_secrets_lookup_network_app (SD_PLATFORM_YOUTUBE, NULL, &error));
  g_assert_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE);
}

int
main (int    argc,
      char **argv)
{
  const char *mode = g_getenv ("SD_TEST_SECRETS_MODE");

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (mode, "keyring") == 0)
    {
      g_test_add_func ("/secrets/account-store-lookup-replace-clear",
                       test_account_store_lookup_replace_clear);
      g_test_add_func ("/secrets/client-per-server", test_client_per_server);
      g_test_add_func ("/secrets/network-app", test_network_app);
      g_test_add_func ("/secrets/account-corrupt", test_corrupt_item);
      g_test_add_func ("/secrets/locked", test_locked_keyring);
    }
  else if (g_strcmp0 (mode, "no-service") == 0)
    g_test_add_func ("/secrets/no-service", test_no_service);
  else
    {
      g_printerr ("Set SD_TEST_SECRETS_MODE to keyring or no-service (test-secrets.sh does)\n");
      return 1;
    }

  return g_test_run ();
}
