/* test-threads.c — the Threads provider and sign-in against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-oauth.h"
#include "sd-oauth2.h"
#include "sd-threads.h"
#include "sd-time.h"

#include "fakes/sd-fake-threads.h"

#define USER_ID "1234567"
#define TOKEN   "alice-long-lived-token"
#define DAY     (24 * 3600)

typedef struct
{
  SdFakeThreads    *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_threads_new ();
  g_setenv ("SOCIALDESK_THREADS_URL", sd_fake_threads_get_url (env->fake), TRUE);
  sd_fake_threads_add_user (env->fake, USER_ID, "alice", TOKEN, NULL);
  env->account = sd_account_new (SD_PLATFORM_THREADS);
  sd_account_set_remote_id (env->account, USER_ID);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->credentials->client_id = g_strdup (SD_FAKE_THREADS_CLIENT_ID);
  env->credentials->client_secret = g_strdup (SD_FAKE_THREADS_CLIENT_SECRET);
  env->credentials->expires_at = sd_time_now () + SD_FAKE_THREADS_LONG_LIVED - 10 * DAY;
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_THREADS);
  g_assert_nonnull (env->provider);
  g_assert_true (SD_IS_THREADS (env->provider));
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_provider_status_clear (&env->status);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_threads_free);
  g_unsetenv ("SOCIALDESK_THREADS_URL");
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
new_part (guint       position,
          const char *text)
{
  g_autofree char *key = g_uuid_string_random ();

  return sd_publish_part_new (position, text, key);
}

static SdPublishMedia *
add_media (SdPublishPart *part,
           const char    *name,
           const char    *mime_type,
           const char    *alt_text,
           gboolean       public)
{
  g_autofree char *path = g_build_filename ("/nonexistent/media", name, NULL);
  SdPublishMedia *media = sd_publish_part_add_media (part, path, mime_type, alt_text, 1080, 1350);

  if (public)
    media->public_url = g_strconcat ("https://media.example.org/", name, NULL);
  return media;
}

static SdOutcome
publish (Env                 *env,
         SdPublishPart       *part,
         const SdPublishPart *root,
         const SdPublishPart *parent)
{
  SdPublishContext ctx = env_context (env, root, parent);

  sd_provider_status_clear (&env->status);
  return sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
}

static SdOutcome
find (Env                 *env,
      SdPublishPart       *part,
      const SdPublishPart *parent)
{
  SdPublishContext ctx = env_context (env, NULL, parent);

  sd_provider_status_clear (&env->status);
  ctx.first_attempt_at = sd_time_now () - 30;
  return sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
}

static JsonObject *
fake_post (Env        *env,
           const char *id,
           JsonNode  **keep)
{
  g_autofree char *json = sd_fake_threads_dup_post_json (env->fake, id);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static JsonObject *
fake_media (JsonObject *post,
            guint       index)
{
  JsonArray *media = json_object_get_array_member (post, "media");

  g_assert_cmpuint (json_array_get_length (media), >, index);
  return json_array_get_object_element (media, index);
}

static const char *
staged_container (const SdPublishPart *part)
{
  g_assert_nonnull (part->stage);
  g_assert_true (g_str_has_prefix (part->stage, "container:"));
  return part->stage + strlen ("container:");
}

/* Faults on one endpoint only. */

static gboolean
on_publish_endpoint (SdFakeRequest *request,
                     gpointer       user_data)
{
  return g_str_has_suffix (request->path, "/threads_publish");
}

static gboolean
on_container_endpoint (SdFakeRequest *request,
                       gpointer       user_data)
{
  return strcmp (request->method, "POST") == 0 && g_str_has_suffix (request->path, "/threads");
}

/* Publishing */

static void
test_publish_text (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "Hello, Threads! 👋");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;
  SdPublishContext ctx = env_context (env, NULL, NULL);

  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_THREADS);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 0);
  g_assert_true (sd_provider_can_refresh (env->provider));

  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_true (g_str_has_prefix (part->remote_url, "https://www.threads.net/@alice/post/"));
  g_assert_cmpint (env->status.retry_after, ==, 0);

  post = fake_post (env, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "Hello, Threads! 👋");
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "TEXT_POST");
  g_assert_cmpstr (json_object_get_string_member (post, "user_id"), ==, USER_ID);
  g_assert_cmpstr (json_object_get_string_member (post, "permalink"), ==, part->remote_url);
  g_assert_cmpstr (json_object_get_string_member (post, "container_id"), ==, staged_container (part));
  g_assert_true (json_object_get_null_member (post, "reply_to_id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (post, "media")), ==, 0);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);

  /* The account as Threads describes it. */
  sd_account_set_remote_id (env->account, NULL);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, USER_ID);
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, "alice");
  g_assert_cmpstr (sd_account_get_display_name (env->account), ==, "Alice");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (env->account), "https://scontent"));
  g_assert_cmpint (sd_account_get_limit (env->account, "max_characters", 0), ==, 500);
}

static void
test_media (Env          *env,
            gconstpointer data)
{
  g_autoptr(SdPublishPart) image = new_part (0, "A view");
  g_autoptr(SdPublishPart) video = new_part (0, "");
  g_autoptr(SdPublishPart) carousel = new_part (0, "Two things");
  g_autoptr(SdPublishPart) private = new_part (0, "Not public");
  g_autoptr(JsonNode) keep_image = NULL;
  g_autoptr(JsonNode) keep_video = NULL;
  g_autoptr(JsonNode) keep_carousel = NULL;
  JsonObject *post;

  add_media (image, "view.jpg", "image/jpeg", "Hills at dusk", TRUE);
  g_assert_cmpint (publish (env, image, NULL, NULL), ==, SD_OUTCOME_DONE);
  post = fake_post (env, image->remote_id, &keep_image);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "IMAGE");
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "A view");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "url"), ==, "https://media.example.org/view.jpg");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "alt_text"), ==, "Hills at dusk");

  /* A video is processed for two status answers first. */
  sd_fake_threads_set_video_polls (env->fake, 2);
  add_media (video, "clip.mp4", "video/mp4", "", TRUE);
  g_assert_cmpint (publish (env, video, NULL, NULL), ==, SD_OUTCOME_DONE);
  post = fake_post (env, video->remote_id, &keep_video);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "VIDEO");
  g_assert_true (json_object_get_null_member (post, "text"));
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "url"), ==, "https://media.example.org/clip.mp4");
  g_assert_true (json_object_get_null_member (fake_media (post, 0), "alt_text"));

  /* Two files make a carousel, in order. */
  add_media (carousel, "first.png", "image/png", "The first", TRUE);
  add_media (carousel, "second.mp4", "video/mp4", "The second", TRUE);
  g_assert_cmpint (publish (env, carousel, NULL, NULL), ==, SD_OUTCOME_DONE);
  post = fake_post (env, carousel->remote_id, &keep_carousel);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "CAROUSEL_ALBUM");
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "Two things");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "media_type"), ==, "IMAGE");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "url"), ==, "https://media.example.org/first.png");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 0), "alt_text"), ==, "The first");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 1), "media_type"), ==, "VIDEO");
  g_assert_cmpstr (json_object_get_string_member (fake_media (post, 1), "alt_text"), ==, "The second");
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 3);

  /* A file without a public address: nothing is sent, and the message names it. */
  {
    guint containers = sd_fake_threads_count_containers (env->fake);

    add_media (private, "holiday.jpg", "image/jpeg", "", FALSE);
    g_assert_cmpint (publish (env, private, NULL, NULL), ==, SD_OUTCOME_FAILED);
    g_assert_nonnull (strstr (env->status.message, "holiday.jpg"));
    g_assert_cmpuint (sd_fake_threads_count_containers (env->fake), ==, containers);
    g_assert_null (private->stage);
  }
}

static void
test_thread (Env          *env,
             gconstpointer data)
{
  g_autoptr(SdPublishPart) first = new_part (0, "A thread, 1/3");
  g_autoptr(SdPublishPart) second = new_part (1, "A thread, 2/3");
  g_autoptr(SdPublishPart) third = new_part (2, "A thread, 3/3");
  g_autoptr(JsonNode) keep_second = NULL;
  g_autoptr(JsonNode) keep_third = NULL;
  g_autofree char *second_id = NULL;

  g_assert_cmpint (publish (env, first, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (publish (env, second, first, first), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (publish (env, third, first, second), ==, SD_OUTCOME_DONE);

  g_assert_cmpstr (json_object_get_string_member (fake_post (env, second->remote_id, &keep_second), "reply_to_id"),
                   ==, first->remote_id);
  g_assert_cmpstr (json_object_get_string_member (fake_post (env, third->remote_id, &keep_third), "reply_to_id"),
                   ==, second->remote_id);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 3);

  /* A later part is found among the replies, not the posts. */
  second_id = g_steal_pointer (&second->remote_id);
  g_clear_pointer (&second->stage, g_free);
  g_assert_cmpint (find (env, second, first), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (second->remote_id, ==, second_id);

  /* A part whose parent is not out yet is not sent. */
  {
    g_autoptr(SdPublishPart) orphan = new_part (1, "Orphan");
    g_autoptr(SdPublishPart) unsent = new_part (0, "Unsent");

    g_assert_cmpint (publish (env, orphan, unsent, unsent), ==, SD_OUTCOME_FAILED);
    g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 3);
  }
}

static void
test_validation (Env          *env,
                 gconstpointer data)
{
  g_autofree char *long_text = g_strnfill (501, 'a');
  g_autoptr(SdPublishPart) part = new_part (0, long_text);
  g_autoptr(SdPublishPart) video = new_part (0, "A broken video");

  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "Param text must be at most 500 characters long"));
  g_assert_true (g_str_has_prefix (env->status.message, "Threads refused the post"));
  g_assert_cmpuint (env->status.http_status, ==, 400);

  /* Threads could not fetch the video: its own code for it. */
  sd_fake_threads_set_container_error (env->fake, "FAILED_DOWNLOADING_VIDEO");
  add_media (video, "broken.mp4", "video/mp4", "", TRUE);
  g_assert_cmpint (publish (env, video, NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "FAILED_DOWNLOADING_VIDEO"));
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 0);

  /* Sent again once the file is fixed: the dead container is replaced. */
  sd_fake_threads_set_container_error (env->fake, NULL);
  g_assert_cmpint (publish (env, video, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
}

/* Tokens */

static void
test_expired_token (Env          *env,
                    gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "After the token ran out");
  SdPublishContext ctx = env_context (env, NULL, NULL);

  sd_fake_http_expire_tokens (sd_fake_threads_get_http (env->fake), USER_ID);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Session has expired"));
  g_assert_null (strstr (env->status.message, TOKEN));

  /* Threads renews only unexpired tokens (docs: long-lived tokens): sign in again. */
  sd_provider_status_clear (&env->status);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_false (env->credentials->changed);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 0);

  /* A token SocialDesk knows to be past its time is not even sent. */
  {
    SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
    guint requests = sd_fake_http_get_n_requests (http);

    env->credentials->expires_at = sd_time_now () - 1;
    g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
    g_assert_cmpuint (sd_fake_http_get_n_requests (http), ==, requests);
  }
}

static void
test_refresh (Env          *env,
              gconstpointer data)
{
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
  g_autoptr(SdPublishPart) part = new_part (0, "With a renewed token");
  SdPublishContext ctx = env_context (env, NULL, NULL);
  guint requests = sd_fake_http_get_n_requests (http);

  /* Less than a day old: kept as it is, Threads is not asked. */
  env->credentials->expires_at = sd_time_now () + SD_FAKE_THREADS_LONG_LIVED - 3600;
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_false (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, ==, TOKEN);
  g_assert_cmpuint (sd_fake_http_get_n_requests (http), ==, requests);

  /* Two days later (by both clocks): renewed for 60 days. */
  sd_fake_http_advance_clock (http, 2 * DAY);
  env->credentials->expires_at = sd_time_now () + SD_FAKE_THREADS_LONG_LIVED - 2 * DAY;
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, TOKEN);
  g_assert_cmpint (env->credentials->expires_at, >=, sd_time_now () + SD_FAKE_THREADS_LONG_LIVED - 60);
  g_assert_null (env->credentials->refresh_token);
  g_assert_cmpstr (env->credentials->client_secret, ==, SD_FAKE_THREADS_CLIENT_SECRET);

  /* The old token stops working; the renewed one publishes. */
  sd_fake_http_lock (http);
  sd_fake_http_revoke_token_locked (http, TOKEN);
  sd_fake_http_unlock (http);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "After the app was removed");
  SdPublishContext ctx = env_context (env, NULL, NULL);

  sd_fake_http_revoke_user (sd_fake_threads_get_http (env->fake), USER_ID);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Invalid OAuth access token"));
  g_assert_cmpint (find (env, part, NULL), ==, SD_OUTCOME_AUTH);
  sd_provider_status_clear (&env->status);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (env->status.message);
  g_assert_null (strstr (env->status.message, TOKEN));
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 0);
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
  const char *redirect = "http://127.0.0.1:43117/socialdesk/oauth";
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  SoupSession *session = sd_http_get_session ();
  g_autofree char *authorize = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GUri) authorize_uri = NULL;
  g_autoptr(SdCredentials) short_lived = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_THREADS);
  SdSignInIdentity *identity;
  SdPublishContext ctx;

  sd_fake_threads_add_user (env->fake, "7654321", "bob", NULL, NULL);

  authorize = sd_oauth2_authorize_url (SD_PLATFORM_THREADS, SD_FAKE_THREADS_CLIENT_ID, redirect, verifier, "st4te");
  authorize_uri = g_uri_parse (authorize, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_cmpstr (g_uri_get_path (authorize_uri), ==, "/oauth/authorize");

  approve = g_strconcat (authorize, "&sd_fake_approve=7654321", NULL);
  msg = soup_message_new ("GET", approve);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_ENCODED_QUERY, NULL);
  code = query_value (location, "code");
  state = query_value (location, "state");
  g_assert_nonnull (code);
  g_assert_cmpstr (state, ==, "st4te");

  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_THREADS, SD_FAKE_THREADS_CLIENT_ID,
                                            SD_FAKE_THREADS_CLIENT_SECRET, redirect, code, verifier,
                                            &short_lived, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (short_lived->access_token);

  ctx = (SdPublishContext) { .account = blank, .credentials = short_lived, .session = session };
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  identity = g_ptr_array_index (identities, 0);
  g_assert_cmpint (sd_account_get_platform (identity->account), ==, SD_PLATFORM_THREADS);
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, "7654321");
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "bob");
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Bob");
  g_assert_nonnull (sd_account_get_avatar_url (identity->account));
  g_assert_cmpstr (identity->credentials->access_token, !=, short_lived->access_token);
  g_assert_cmpint (identity->credentials->expires_at, >=, sd_time_now () + SD_FAKE_THREADS_LONG_LIVED - 60);
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), ==, identity->credentials->expires_at);
  g_assert_cmpstr (identity->credentials->client_id, ==, SD_FAKE_THREADS_CLIENT_ID);
  g_assert_cmpstr (identity->credentials->client_secret, ==, SD_FAKE_THREADS_CLIENT_SECRET);

  /* The long-lived token publishes as Bob. */
  {
    g_autoptr(SdPublishPart) part = new_part (0, "Hello from Bob");
    g_autoptr(JsonNode) keep = NULL;
    SdPublishContext bob = env_context (env, NULL, NULL);

    bob.account = identity->account;
    bob.credentials = identity->credentials;
    g_assert_cmpint (sd_provider_publish_part (env->provider, &bob, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (json_object_get_string_member (fake_post (env, part->remote_id, &keep), "user_id"), ==, "7654321");
  }

  /* A wrong app secret: the exchange is refused. */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
    g_autoptr(SdCredentials) wrong = sd_credentials_copy (short_lived);

    g_free (wrong->client_secret);
    wrong->client_secret = g_strdup ("not-the-secret");
    ctx.credentials = wrong;
    g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, none, NULL, &env->status), ==, SD_OUTCOME_AUTH);
    g_assert_nonnull (strstr (env->status.message, "Error validating client secret"));
    g_assert_cmpuint (none->len, ==, 0);
  }
}

/* Stages */

static gboolean
save_stage (const SdPublishContext *ctx,
            SdPublishPart          *part,
            GError                **error)
{
  GPtrArray *saved = ctx->stage_data;

  /* Nothing is on Threads yet when the stage is kept. */
  g_ptr_array_add (saved, g_strdup (part->stage));
  return TRUE;
}

static gboolean
refuse_stage (const SdPublishContext *ctx,
              SdPublishPart          *part,
              GError                **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "The disk is full");
  return FALSE;
}

static void
test_stage_kept_first (Env          *env,
                       gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "Kept before publishing");
  g_autoptr(SdPublishPart) refused = new_part (0, "Not kept");
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);
  SdPublishContext ctx = env_context (env, NULL, NULL);

  ctx.save_stage = save_stage;
  ctx.stage_data = saved;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (saved, 0), ==, part->stage);

  /* A stage that cannot be kept stops the part before it is published. */
  ctx.save_stage = refuse_stage;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, refused, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "The disk is full"));
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
}

/* Limits */

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
  g_autoptr(SdPublishPart) part = new_part (0, "Slowly");

  sd_fake_http_set_fault_filter (http, on_container_endpoint, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_nonnull (strstr (env->status.message, "Application request limit reached"));
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 0);

  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
}

static void
test_quota (Env          *env,
            gconstpointer data)
{
  g_autoptr(SdPublishPart) last = new_part (0, "The 250th post today");
  g_autoptr(SdPublishPart) over = new_part (0, "One too many");
  g_autoptr(SdPublishPart) reply = new_part (1, "Replies have their own quota");

  sd_fake_threads_set_quota_usage (env->fake, 249);
  g_assert_cmpint (publish (env, last, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (env->status.retry_after, >, 0);

  g_assert_cmpint (publish (env, over, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_nonnull (strstr (env->status.message, "250"));
  g_assert_null (over->stage);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);

  g_assert_cmpint (publish (env, reply, last, last), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 2);
}

static void
test_app_usage (Env          *env,
                gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "Near the call limit");

  sd_fake_threads_set_app_usage (env->fake, 96);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
}

/* Doubt */

static void
test_server_errors (Env          *env,
                    gconstpointer data)
{
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
  g_autoptr(SdPublishPart) part = new_part (0, "Through a 500");
  SdPublishContext ctx = env_context (env, NULL, NULL);

  /* On the container: no post can come of it. */
  sd_fake_http_set_fault_filter (http, on_container_endpoint, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_null (part->stage);

  /* On publishing: in doubt, with the container kept. */
  sd_fake_http_set_fault_filter (http, on_publish_endpoint, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (env->status.http_status, ==, 500);
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  g_assert_cmpint (find (env, part, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_null (part->remote_id);

  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts_with_text (env->fake, "Through a 500"), ==, 1);
  g_assert_cmpuint (sd_fake_threads_count_containers (env->fake), ==, 1);
}

static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
  g_autoptr(SdPublishPart) part = new_part (0, "The answer got lost");
  g_autoptr(SdPublishPart) unstaged = new_part (0, "Lost without a stage");
  g_autofree char *found = NULL;
  SdPublishContext ctx = env_context (env, NULL, NULL);

  sd_fake_http_set_fault_filter (http, on_publish_endpoint, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_null (part->remote_id);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);

  g_assert_cmpint (find (env, part, NULL), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_true (g_str_has_prefix (part->remote_url, "https://www.threads.net/@alice/post/"));
  found = g_strdup (part->remote_id);

  /* Sending again resumes from the container: the same post, no second one. */
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  g_clear_pointer (&part->remote_id, g_free);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, found);
  g_assert_cmpuint (sd_fake_threads_count_posts_with_text (env->fake, "The answer got lost"), ==, 1);

  /* A stage that was never kept: the text among the recent posts decides. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, unstaged, NULL, NULL), ==, SD_OUTCOME_UNCERTAIN);
  g_clear_pointer (&unstaged->stage, g_free);
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, unstaged));
  g_assert_cmpint (find (env, unstaged, NULL), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (unstaged->remote_id);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 2);

  /* Nothing of the kind there: it may go again. */
  {
    g_autoptr(SdPublishPart) absent = new_part (0, "Never sent");

    g_assert_cmpint (find (env, absent, NULL), ==, SD_OUTCOME_RETRY);
  }
}

static void
test_never_finishes (Env          *env,
                     gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "A long video");
  g_autofree char *container = NULL;

  sd_fake_threads_set_video_polls (env->fake, G_MAXUINT);
  add_media (part, "long.mp4", "video/mp4", "A long video", TRUE);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "still processing"));
  container = g_strdup (staged_container (part));
  g_assert_cmpint (find (env, part, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 0);

  /* Still processing on the next attempt: the same container, asked again. */
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpstr (staged_container (part), ==, container);

  sd_fake_threads_finish_containers (env->fake);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_threads_count_containers (env->fake), ==, 1);
}

static void
test_expired_container (Env          *env,
                        gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part (0, "Waited too long");
  g_autofree char *container = NULL;

  sd_fake_threads_set_video_polls (env->fake, G_MAXUINT);
  add_media (part, "slow.mp4", "video/mp4", "", TRUE);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_RETRY);
  container = g_strdup (staged_container (part));

  /* A day later Threads has let it expire: a new container is made. */
  sd_fake_http_advance_clock (sd_fake_threads_get_http (env->fake), DAY + 60);
  sd_fake_threads_set_video_polls (env->fake, 1);
  g_assert_cmpint (publish (env, part, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (staged_container (part), !=, container);
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_threads_count_containers (env->fake), ==, 2);
}

/* Every post exactly once, whatever the faults (as the engine would drive it). */
static void
test_exactly_once_under_faults (Env          *env,
                                gconstpointer data)
{
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);
  const guint n_posts = 30;

  sd_fake_http_set_slow_delay (http, 20);
  sd_fake_http_set_fault_rate (http, 0.25, 42);

  for (guint i = 0; i < n_posts; i++)
    {
      g_autofree char *text = g_strdup_printf ("Post number %u under faults", i);
      g_autoptr(SdPublishPart) part = new_part (0, text);
      SdOutcome outcome = SD_OUTCOME_RETRY;
      gboolean sent = FALSE;

      for (guint attempt = 0; attempt < 40 && outcome != SD_OUTCOME_DONE; attempt++)
        {
          SdPublishContext ctx = env_context (env, NULL, NULL);

          if (sent && !sd_provider_resend_is_safe (env->provider, &ctx, part))
            {
              outcome = find (env, part, NULL);
              if (outcome != SD_OUTCOME_RETRY)
                continue;
            }
          sent = TRUE;
          outcome = publish (env, part, NULL, NULL);
          g_assert_cmpint (outcome, !=, SD_OUTCOME_FAILED);
          g_assert_cmpint (outcome, !=, SD_OUTCOME_AUTH);
        }
      g_assert_cmpint (outcome, ==, SD_OUTCOME_DONE);
      g_assert_nonnull (part->remote_id);
      g_assert_cmpuint (sd_fake_threads_count_posts_with_text (env->fake, text), ==, 1);
    }
  g_assert_cmpuint (sd_fake_threads_count_posts (env->fake), ==, n_posts);
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "20", TRUE);
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "5", TRUE);
  g_setenv ("SOCIALDESK_POLL_ATTEMPTS", "4", TRUE);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/threads/publish-text", test_publish_text);
  ADD ("/threads/media", test_media);
  ADD ("/threads/thread", test_thread);
  ADD ("/threads/validation", test_validation);
  ADD ("/threads/expired-token", test_expired_token);
  ADD ("/threads/refresh", test_refresh);
  ADD ("/threads/revoked", test_revoked);
  ADD ("/threads/sign-in", test_sign_in);
  ADD ("/threads/stage-kept-first", test_stage_kept_first);
  ADD ("/threads/rate-limited", test_rate_limited);
  ADD ("/threads/quota", test_quota);
  ADD ("/threads/app-usage", test_app_usage);
  ADD ("/threads/server-errors", test_server_errors);
  ADD ("/threads/lost-answer", test_lost_answer);
  ADD ("/threads/never-finishes", test_never_finishes);
  ADD ("/threads/expired-container", test_expired_container);
  ADD ("/threads/exactly-once-under-faults", test_exactly_once_under_faults);
#undef ADD

  return g_test_run ();
}
