/* test-mastodon.c — the Mastodon provider and sign-in against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-mastodon.h"
#include "sd-mastodon-auth.h"
#include "sd-time.h"

#include "fakes/sd-fake-mastodon.h"

#define TOKEN "alice-token"

typedef struct
{
  SdFakeMastodon   *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  char             *account_id;
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_mastodon_new ();
  env->account_id = sd_fake_mastodon_add_account (env->fake, "alice", TOKEN);
  env->account = sd_account_new (SD_PLATFORM_MASTODON);
  sd_account_set_server_url (env->account, sd_fake_mastodon_get_url (env->fake));
  sd_account_set_remote_id (env->account, env->account_id);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->provider = SD_PROVIDER (sd_mastodon_new ());
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_provider_status_clear (&env->status);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->account_id, g_free);
  g_clear_pointer (&env->fake, sd_fake_mastodon_free);
}

static SdPublishContext
env_context (Env                 *env,
             const SdPublishPart *root,
             const SdPublishPart *parent)
{
  SdPublishContext ctx = {
    .account = env->account,
    .credentials = env->credentials,
    .session = sd_http_get_session (),
    .root = root,
    .parent = parent,
    .first_attempt_at = sd_time_now (),
  };
  return ctx;
}

static SdPublishPart *
new_part (const char *text)
{
  g_autofree char *key = g_uuid_string_random ();

  return sd_publish_part_new (0, text, key);
}

static JsonObject *
fake_status (Env        *env,
             const char *id,
             JsonNode  **keep)
{
  g_autofree char *json = sd_fake_mastodon_dup_status_json (env->fake, id);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

/* Account and instance */

static void
test_verify_account (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autofree char *handle = g_strdup_printf ("alice@%s", sd_fake_mastodon_get_domain (env->fake));

  sd_account_set_remote_id (env->account, NULL);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, env->account_id);
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, handle);
  g_assert_cmpstr (sd_account_get_display_name (env->account), ==, "alice");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (env->account), sd_fake_mastodon_get_url (env->fake)));
  g_assert_cmpint (sd_account_get_limit (env->account, "max_characters", 0), ==, 500);
  g_assert_cmpint (sd_account_get_limit (env->account, "characters_reserved_per_url", 0), ==, 23);
  g_assert_cmpint (sd_account_get_limit (env->account, "max_media_attachments", 0), ==, 4);
  g_assert_cmpint (sd_account_get_limit (env->account, "description_limit", 0), ==, 1500);
  g_assert_cmpint (sd_account_get_limit (env->account, "image_size_limit", 0), ==, 16777216);
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_MASTODON);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 300);

  /* A server before 4.0: limits from /api/v1/instance. */
  sd_fake_mastodon_set_v2_instance (env->fake, FALSE);
  sd_fake_mastodon_set_max_characters (env->fake, 5000);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (sd_account_get_limit (env->account, "max_characters", 0), ==, 5000);
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, handle);
}

static void
test_revoked_token (Env          *env,
                    gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Hello after a revoked token");

  sd_fake_mastodon_revoke_token (env->fake, TOKEN);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (env->status.http_status, ==, 401);
  g_assert_nonnull (strstr (env->status.message, "The access token was revoked"));
  g_assert_null (strstr (env->status.message, TOKEN));
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);
}

/* Sign-in */

static char *
s256_challenge (const char *verifier)
{
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;
  GString *out = g_string_new (NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
query_value (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                     G_URI_PARAMS_NONE, NULL);

  return params != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

static void
test_sign_in (Env          *env,
              gconstpointer data)
{
  const char *server = sd_fake_mastodon_get_url (env->fake);
  const char *redirect = "http://127.0.0.1:53682/callback";
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const char *state = "st4te/with+odd&chars";
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *challenge = s256_challenge (verifier);
  g_autofree char *authorize = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *code = NULL;
  g_autofree char *returned_state = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GUri) authorize_uri = NULL;
  g_autofree char *scope = NULL;
  SoupSession *session = sd_http_get_session ();

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"); /* RFC 7636 appendix B */

  g_assert_cmpint (sd_mastodon_register_app (session, server, "not a uri", &client_id, &client_secret,
                                             NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "Redirect URI must be an absolute URI."));
  g_assert_cmpint (sd_mastodon_register_app (session, server, redirect, &client_id, &client_secret,
                                             NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (client_id);
  g_assert_nonnull (client_secret);

  authorize = sd_mastodon_authorize_url (server, client_id, redirect, challenge, state);
  authorize_uri = g_uri_parse (authorize, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (authorize_uri);
  g_assert_cmpstr (g_uri_get_path (authorize_uri), ==, "/oauth/authorize");
  scope = query_value (authorize_uri, "scope");
  g_assert_cmpstr (scope, ==, "read+write"); /* "+" is a space to the server's form decoder */

  /* The person approves in the browser; the fake redirects to the loopback address. */
  approve = g_strconcat (authorize, "&sd_fake_approve=alice", NULL);
  msg = soup_message_new ("GET", approve);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (location);
  g_assert_cmpint (g_uri_get_port (location), ==, 53682);
  code = query_value (location, "code");
  returned_state = query_value (location, "state");
  g_assert_nonnull (code);
  g_assert_cmpstr (returned_state, ==, state);

  /* A wrong verifier is refused with OAuth's own words. */
  g_assert_cmpint (sd_mastodon_exchange_code (session, server, client_id, client_secret, redirect, code,
                                              "wrong-verifier-wrong-verifier-wrong-verifier", &credentials,
                                              NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_null (credentials);
  g_assert_nonnull (strstr (env->status.message, "authorization grant is invalid"));
  /* So is a wrong redirect URI. */
  g_assert_cmpint (sd_mastodon_exchange_code (session, server, client_id, client_secret,
                                              "http://127.0.0.1:1/other", code, verifier, &credentials,
                                              NULL, &env->status), ==, SD_OUTCOME_FAILED);

  g_assert_cmpint (sd_mastodon_exchange_code (session, server, client_id, client_secret, redirect, code,
                                              verifier, &credentials, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (credentials);
  g_assert_nonnull (credentials->access_token);
  g_assert_cmpstr (credentials->client_id, ==, client_id);
  g_assert_cmpstr (credentials->client_secret, ==, client_secret);
  g_assert_cmpint (credentials->expires_at, ==, 0);

  /* The code is spent; the token works. */
  {
    g_autoptr(SdCredentials) again = NULL;
    SdPublishContext ctx = env_context (env, NULL, NULL);

    g_assert_cmpint (sd_mastodon_exchange_code (session, server, client_id, client_secret, redirect, code,
                                                verifier, &again, NULL, &env->status), ==, SD_OUTCOME_FAILED);
    ctx.credentials = credentials;
    sd_account_set_remote_id (env->account, NULL);
    g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, env->account_id);
  }
}

/* Publishing */

static void
test_publish (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Hello, fediverse!\nSee https://example.com/a?b=1&c=2 #SocialDesk");
  g_autoptr(SdPublishPart) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_true (g_str_has_prefix (part->remote_url, sd_fake_mastodon_get_url (env->fake)));
  g_assert_true (g_str_has_suffix (part->remote_url, part->remote_id));
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);

  status = fake_status (env, part->remote_id, &node);
  g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, "public");
  g_assert_true (json_object_get_null_member (status, "in_reply_to_id"));
  g_assert_nonnull (strstr (json_object_get_string_member (status, "content"), "<br />"));
  g_assert_nonnull (strstr (json_object_get_string_member (status, "content"), "&amp;c=2"));

  /* Reading it back through the HTML finds the same status. */
  copy = sd_publish_part_new (0, part->text, part->key);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (copy->remote_id, ==, part->remote_id);
  g_assert_cmpstr (copy->remote_url, ==, part->remote_url);
}

static void
test_thread (Env          *env,
             gconstpointer data)
{
  SdPublishPart *parts[3];
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *text = g_strdup_printf ("Thread part %u/3", i + 1);
      SdPublishContext ctx = env_context (env, i > 0 ? parts[0] : NULL, i > 0 ? parts[i - 1] : NULL);

      parts[i] = new_part (text);
      parts[i]->position = i;
      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, parts[i], NULL, &env->status),
                       ==, SD_OUTCOME_DONE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *status = fake_status (env, parts[i]->remote_id, &keep);

      if (i == 0)
        g_assert_true (json_object_get_null_member (status, "in_reply_to_id"));
      else
        {
          g_assert_cmpstr (json_object_get_string_member (status, "in_reply_to_id"), ==, parts[i - 1]->remote_id);
          g_assert_cmpstr (json_object_get_string_member (status, "in_reply_to_account_id"), ==, env->account_id);
        }
    }

  /* find_part tells the parts apart by their parent. */
  {
    SdPublishContext ctx = env_context (env, parts[0], parts[1]);
    g_autoptr(SdPublishPart) copy = sd_publish_part_new (2, parts[2]->text, parts[2]->key);
    g_autoptr(SdPublishPart) wrong = sd_publish_part_new (2, parts[1]->text, parts[1]->key);

    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (copy->remote_id, ==, parts[2]->remote_id);
    /* Part 2's text under part 2 (not part 1) as parent: it is not there. */
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, wrong, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  }

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    sd_publish_part_free (parts[i]);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 3);
}

static char *
write_file (const char *name,
            const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-test-mastodon-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
remove_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_media (Env          *env,
            gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autofree char *image = write_file ("photo.png", "\x89PNG\r\n\x1a\n not really an image");
  g_autofree char *video = write_file ("clip.mp4", "not really a video");
  g_autoptr(SdPublishPart) part = new_part ("A photo and a clip");
  g_autoptr(SdPublishPart) missing = new_part ("A missing file");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;
  JsonArray *media;

  sd_publish_part_add_media (part, image, "image/png", "A red <b>bicycle</b> & a wall", 640, 480);
  sd_publish_part_add_media (part, video, "video/mp4", "", 1280, 720);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);

  status = fake_status (env, part->remote_id, &node);
  media = json_object_get_array_member (status, "media_attachments");
  g_assert_cmpuint (json_array_get_length (media), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (media, 0), "type"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (media, 0), "description"),
                   ==, "A red <b>bicycle</b> & a wall");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (media, 1), "type"), ==, "video");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (media, 1), "description"));
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (media, 1), "url"));

  sd_publish_part_add_media (missing, "/nonexistent/socialdesk.png", "image/png", "", 1, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, missing, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 1);

  remove_file (image);
  remove_file (video);
}

static void
test_validation (Env          *env,
                 gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autofree char *long_text = g_strnfill (501, 'a');
  g_autoptr(SdPublishPart) part = new_part (long_text);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 422);
  g_assert_nonnull (strstr (env->status.message, "Validation failed: Text character limit of 500 exceeded"));
  g_assert_null (part->remote_id);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Slow down");

  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpint (env->status.retry_after, <=, 3);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);

  /* The account's own limit: past it, 429 until the 5-minute window ends. */
  sd_fake_mastodon_set_rate_limit (env->fake, 3);
  {
    guint done = 0;
    SdOutcome outcome;

    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *text = g_strdup_printf ("Within the limit %u", i);
        g_autoptr(SdPublishPart) other = new_part (text);

        outcome = sd_provider_publish_part (env->provider, &ctx, other, NULL, &env->status);
        if (outcome != SD_OUTCOME_DONE)
          break;
        done++;
      }
    g_assert_cmpint (outcome, ==, SD_OUTCOME_RETRY);
    g_assert_cmpuint (done, >=, 2);
    g_assert_cmpuint (done, <=, 3);
    g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, done);
    g_assert_cmpint (env->status.retry_after, >, 200);
    g_assert_cmpint (env->status.retry_after, <=, 300);
  }
}

static void
test_reset_after_processing (Env          *env,
                             gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Did this arrive?");
  g_autoptr(SdPublishPart) copy = NULL;
  g_autofree char *first_id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *all = NULL;

  /* Twice: libsoup may resend once by itself on a reused connection. */
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_RESET_AFTER, 2);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);
  g_assert_cmpuint (env->status.http_status, ==, 0);
  g_assert_null (part->remote_id);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);

  /* The engine's next step: find it, or send again with the same key. */
  copy = sd_publish_part_new (0, part->text, part->key);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
  first_id = g_strdup (copy->remote_id);

  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, first_id);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_with_text (env->fake, part->text), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 1);

  all = sd_fake_mastodon_dup_statuses_json (env->fake);
  g_assert_true (json_parser_load_from_data (parser, all, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
}

static void
test_reset_before_processing (Env          *env,
                              gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Never reached the server");
  SdOutcome outcome;

  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_RESET_BEFORE, 2);
  outcome = sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);
  /* The body went out before the connection broke: the client cannot know. */
  g_assert_cmpint (outcome, ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);

  /* A read that breaks is simply retried. */
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_RESET_BEFORE, 2);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);
  /* ... and find_part cannot tell when its read breaks. */
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_RESET_BEFORE, 2);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);

  /* A 500 on a write is uncertain too; nothing was made. */
  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (env->status.http_status, ==, 500);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_get_n_faults (env->fake), >=, 4);
}

static void
test_resend_is_safe (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Keyed");
  g_autoptr(SdPublishPart) keyless = sd_publish_part_new (0, "No key", NULL);

  ctx.first_attempt_at = 0;
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  ctx.first_attempt_at = sd_time_now () - 54 * 60;
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  ctx.first_attempt_at = sd_time_now () - 56 * 60;
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, part));
  ctx.first_attempt_at = sd_time_now ();
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, keyless));

  /* Past the hour Mastodon forgets the key: the same key makes a second status. */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  sd_fake_mastodon_advance_clock (env->fake, 3601);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 2);
}

static void
test_find_part_span (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Somewhere in the past");
  g_autoptr(SdPublishPart) copy = NULL;

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  /* 45 newer posts push it to the second page (40 a page). */
  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("Newer post %u", i);
      g_autoptr(SdPublishPart) other = new_part (text);

      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, other, NULL, &env->status), ==, SD_OUTCOME_DONE);
    }

  copy = sd_publish_part_new (0, part->text, part->key);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (copy->remote_id, ==, part->remote_id);

  /* A status made before the first attempt (less the slack) is another post. */
  g_clear_pointer (&copy->remote_id, g_free);
  ctx.first_attempt_at = sd_time_now () + 3600;
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_null (copy->remote_id);

  /* No limit in time and not there: the whole listing was read. */
  {
    g_autoptr(SdPublishPart) absent = new_part ("Never sent");

    ctx.first_attempt_at = 0;
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, absent, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  }
}

static void
test_hostile_html (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  const char *text = "<b>bold?</b> & <script>alert(1)</script> 'q' &amp;lt;";
  g_autoptr(SdPublishPart) part = new_part (text);
  g_autoptr(SdPublishPart) copy = NULL;
  g_autofree char *raw_id = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;
  struct { const char *html; const char *text; } cases[] = {
    { "<p>a</p><p>b<br />c</p>", "a\n\nb\nc" },
    { "<p>&amp;lt;b&amp;gt;</p>", "&lt;b&gt;" },
    { "&lt;i&gt;&#60;u&#x3e;&#39;&quot;", "<i><u>'\"" },
    { "<a href=\"x>y\" title='a>b'>link</a>", "link" },
    { "<SCRIPT type=\"text/javascript\">document.write('<b>')</SCRIPT>after", "after" },
    { "<style>p { color: red }</style>styled", "styled" },
    { "&#0;&#xD800;&bogus;&", "&#0;&#xD800;&bogus;&" },
    { "text<b", "text" },
    { "<img src=x onerror=alert(1)>", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = sd_mastodon_html_to_text (cases[i].html);
      g_assert_cmpstr (plain, ==, cases[i].text);
    }

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  status = fake_status (env, part->remote_id, &node);
  g_assert_null (strstr (json_object_get_string_member (status, "content"), "<script>"));

  /* A newer status that carries real markup whose tags, read as markup,
   * would leave similar text: it must not be taken for the part. */
  raw_id = sd_fake_mastodon_add_raw_status (env->fake, env->account_id,
                                            "<p><b>bold?</b> &amp; <script>alert(1)</script> 'q' &amp;lt;</p>",
                                            NULL);
  copy = sd_publish_part_new (0, part->text, part->key);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (copy->remote_id, ==, part->remote_id);
  g_assert_cmpstr (copy->remote_id, !=, raw_id);

  /* And the raw one's own text ("bold? &  'q' &lt;") matches it, not ours. */
  {
    g_autoptr(SdPublishPart) plain = new_part ("bold? &  'q' &lt;");

    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, plain, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (plain->remote_id, ==, raw_id);
  }
}

/* Server-side scheduling */

static void
test_schedule (Env          *env,
               gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdPublishPart) part = new_part ("Scheduled for later");
  g_autoptr(SdPublishPart) soon = new_part ("Too soon");
  g_autoptr(SdPublishPart) cancelled = new_part ("Cancelled");
  g_autofree char *scheduled_id = NULL;
  gint64 now = sd_time_now ();

  ctx.scheduled_at = now + 60;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, soon, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "The scheduled date must be in the future"));

  ctx.scheduled_at = now + 600;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_null (part->remote_url);
  scheduled_id = g_strdup (part->remote_id);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 0);

  /* The same key again: the same scheduled status. */
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, scheduled_id);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (env->fake), ==, 1);

  ctx.scheduled_at = now + 1200;
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, scheduled_id, ctx.scheduled_at, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, scheduled_id, now + 30, NULL, &env->status),
                   ==, SD_OUTCOME_FAILED);

  g_assert_cmpint (sd_mastodon_find_published (SD_MASTODON (env->provider), &ctx, part, NULL, &env->status),
                   ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 1100);
  g_assert_cmpstr (part->remote_id, ==, scheduled_id);

  /* Its time comes. */
  sd_fake_mastodon_advance_clock (env->fake, 1300);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (env->fake), ==, 0);
  g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);
  g_assert_cmpint (sd_mastodon_find_published (SD_MASTODON (env->provider), &ctx, part, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, !=, scheduled_id);
  g_assert_nonnull (part->remote_url);
  {
    g_autoptr(JsonNode) node = NULL;
    JsonObject *status = fake_status (env, part->remote_id, &node);
    g_assert_cmpstr (json_object_get_string_member (status, "content"), ==, "<p>Scheduled for later</p>");
  }

  /* Rescheduling what is gone fails; unscheduling it is done. */
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, scheduled_id, now + 5000, NULL, &env->status),
                   ==, SD_OUTCOME_FAILED);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, scheduled_id, NULL, &env->status), ==, SD_OUTCOME_DONE);

  ctx.scheduled_at = now + 5000;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, cancelled, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (env->fake), ==, 1);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, cancelled->remote_id, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_mastodon_count_scheduled (env->fake), ==, 0);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, cancelled->remote_id, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  sd_fake_mastodon_advance_clock (env->fake, 6000);
  g_assert_cmpuint (sd_fake_mastodon_count_with_text (env->fake, "Cancelled"), ==, 0);
}

/* Many posts through random faults, driven as the sync engine would. */
static void
test_exactly_once_under_faults (Env          *env,
                                gconstpointer data)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_publish_part_free);

  sd_fake_mastodon_set_slow_delay (env->fake, 50);
  sd_fake_mastodon_set_fault_rate (env->fake, 0.5, 20240601);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *text = g_strdup_printf ("Post number %u under faults", i);
      SdPublishPart *part = new_part (text);
      SdPublishContext ctx = env_context (env, NULL, NULL);
      guint attempts = 0;
      SdOutcome outcome;

      g_ptr_array_add (parts, part);
      do
        {
          g_assert_cmpuint (++attempts, <, 50);
          outcome = sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
          if (outcome == SD_OUTCOME_UNCERTAIN)
            g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
        }
      while (outcome == SD_OUTCOME_RETRY || outcome == SD_OUTCOME_UNCERTAIN);
      g_assert_cmpint (outcome, ==, SD_OUTCOME_DONE);
    }

  g_assert_cmpuint (sd_fake_mastodon_get_n_faults (env->fake), >, 10);
  for (guint i = 0; i < parts->len; i++)
    {
      SdPublishPart *part = g_ptr_array_index (parts, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *status;

      g_assert_cmpuint (sd_fake_mastodon_count_with_key (env->fake, part->key), ==, 1);
      status = fake_status (env, part->remote_id, &node);
      g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, part->remote_id);
    }
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, parts->len);
  g_ptr_array_unref (parts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "20", TRUE);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/mastodon/verify-account", test_verify_account);
  ADD ("/mastodon/revoked-token", test_revoked_token);
  ADD ("/mastodon/sign-in", test_sign_in);
  ADD ("/mastodon/publish", test_publish);
  ADD ("/mastodon/thread", test_thread);
  ADD ("/mastodon/media", test_media);
  ADD ("/mastodon/validation", test_validation);
  ADD ("/mastodon/rate-limited", test_rate_limited);
  ADD ("/mastodon/reset-after-processing", test_reset_after_processing);
  ADD ("/mastodon/reset-before-processing", test_reset_before_processing);
  ADD ("/mastodon/resend-is-safe", test_resend_is_safe);
  ADD ("/mastodon/find-part-span", test_find_part_span);
  ADD ("/mastodon/hostile-html", test_hostile_html);
  ADD ("/mastodon/schedule", test_schedule);
  ADD ("/mastodon/exactly-once-under-faults", test_exactly_once_under_faults);
#undef ADD

  return g_test_run ();
}
