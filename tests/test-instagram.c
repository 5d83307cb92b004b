/* test-instagram.c — the Instagram provider and sign-in against the loopback Graph fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-instagram.h"
#include "sd-oauth2.h"
#include "sd-time.h"

#include "fakes/sd-fake-meta.h"

#define IG_ID    "17841400000000001"
#define IG_TOKEN "IGAAToken"


static char *tmp_dir;

static char *
media_file (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "\xff\xd8\xff\xe0 not really a picture", -1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The fake's authorize page approves for @user_id: the code of its redirect. */
static char *
approve (const char *authorize_url,
         const char *user_id)
{
  g_autofree char *url = g_strconcat (authorize_url, "&sd_fake_approve=", user_id, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *header;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (sd_http_get_session (), msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (header);
  location = g_uri_parse (header, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (location), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "state-1");
  return g_strdup (g_hash_table_lookup (params, "code"));
}

static JsonObject *
fake_object (SdFakeMeta *fake,
             const char *id,
             JsonNode  **keep)
{
  g_autofree char *json = sd_fake_meta_dup_object_json (fake, id);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static gboolean
only_path_suffix (SdFakeRequest *request,
                  gpointer       user_data)
{
  return g_str_has_suffix (request->path, user_data) && g_strcmp0 (request->method, "POST") == 0;
}

typedef struct
{
  SdFakeMeta       *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_instagram_new ();
  g_setenv ("SOCIALDESK_INSTAGRAM_URL", sd_fake_meta_get_url (env->fake), TRUE);
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "5", TRUE);
  g_setenv ("SOCIALDESK_POLL_ATTEMPTS", "4", TRUE);
  sd_fake_meta_add_user (env->fake, IG_ID, "alicebakes", IG_TOKEN, NULL);
  env->account = sd_account_new (SD_PLATFORM_INSTAGRAM);
  sd_account_set_remote_id (env->account, IG_ID);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (IG_TOKEN);
  env->credentials->client_id = g_strdup ("meta-client");
  env->credentials->client_secret = g_strdup ("meta-secret");
  env->provider = SD_PROVIDER (sd_instagram_new ());
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_provider_status_clear (&env->status);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_meta_free);
}

static SdPublishContext
env_context (Env *env)
{
  SdPublishContext ctx = {
    .account = env->account,
    .credentials = env->credentials,
    .session = sd_http_get_session (),
    .first_attempt_at = sd_time_now (),
  };
  return ctx;
}

static void
clear_status (Env *env)
{
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
}

/* A part with @n images (or a video) at public addresses. */
static SdPublishPart *
new_part (const char *text,
          guint       n,
          gboolean    video)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = media_file (video ? "clip.mp4" : "photo.jpg");
  SdPublishPart *part = sd_publish_part_new (0, text, key);

  for (guint i = 0; i < n; i++)
    {
      SdPublishMedia *media = sd_publish_part_add_media (part, path, video ? "video/mp4" : "image/jpeg",
                                                         video ? "" : "Bread on a board", 1080, 1080);

      media->public_url = g_strdup_printf ("https://cdn.example.com/media/%u.%s", i + 1, video ? "mp4" : "jpg");
    }
  return part;
}

/* Publishing */

static void
test_single_image (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Morning bake #bread", 1, FALSE);
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *last = NULL;
  JsonObject *media;

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  last = sd_fake_meta_dup_last_post_id (env->fake);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_nonnull (part->remote_url);
  g_assert_true (g_str_has_prefix (part->remote_url, "https://www.instagram.com/p/"));
  g_assert_true (g_str_has_prefix (part->stage, "container:"));
  media = fake_object (env->fake, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (media, "message"), ==, "Morning bake #bread");
  g_assert_cmpstr (json_object_get_string_member (media, "image_url"), ==, "https://cdn.example.com/media/1.jpg");
  g_assert_cmpstr (json_object_get_string_member (media, "alt_text"), ==, "Bread on a board");
  g_assert_cmpstr (json_object_get_string_member (media, "media_type"), ==, "IMAGE");
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_INSTAGRAM);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 0);
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
}

static void
test_carousel (Env          *env,
               gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Three loaves", 3, FALSE);
  g_autoptr(JsonNode) keep = NULL;
  g_auto(GStrv) children = NULL;
  JsonObject *media;

  sd_fake_meta_set_container_polls (env->fake, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  media = fake_object (env->fake, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (media, "media_type"), ==, "CAROUSEL");
  g_assert_cmpstr (json_object_get_string_member (media, "message"), ==, "Three loaves");
  children = g_strsplit (json_object_get_string_member (media, "children"), ",", -1);
  g_assert_cmpuint (g_strv_length (children), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) keep_child = NULL;
      g_autofree char *url = g_strdup_printf ("https://cdn.example.com/media/%u.jpg", i + 1);
      JsonObject *child = fake_object (env->fake, children[i], &keep_child);

      g_assert_cmpstr (json_object_get_string_member (child, "kind"), ==, "container");
      g_assert_cmpstr (json_object_get_string_member (child, "image_url"), ==, url);
    }
  g_assert_cmpuint (sd_fake_meta_count_uploads (env->fake), ==, 4);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

static void
test_reel (Env          *env,
           gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Kneading", 1, TRUE);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *media;

  sd_fake_meta_set_container_polls (env->fake, 2);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  media = fake_object (env->fake, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (media, "media_type"), ==, "VIDEO");
  g_assert_cmpstr (json_object_get_string_member (media, "video_url"), ==, "https://cdn.example.com/media/1.mp4");
}

static void
test_no_public_address (Env          *env,
                        gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Two pictures", 2, FALSE);
  SdPublishMedia *second = g_ptr_array_index (part->media, 1);

  g_clear_pointer (&second->public_url, g_free);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpstr (env->status.message, ==, "Instagram fetches images from the web: give image 2 a public address.");
  g_assert_cmpuint (sd_fake_meta_count_uploads (env->fake), ==, 0);
}

static void
test_refused (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Buy followers now", 1, FALSE);

  sd_fake_meta_set_refused_text (env->fake, "Buy followers");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "The caption goes against our Community Guidelines."));
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 0);
}

static void
test_still_processing (Env          *env,
                       gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("A long video", 1, TRUE);
  g_autofree char *stage = NULL;

  sd_fake_meta_set_container_polls (env->fake, G_MAXUINT);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "still processing"));
  g_assert_true (g_str_has_prefix (part->stage, "container:"));
  stage = g_strdup (part->stage);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  clear_status (env);

  /* Later it finishes: the same container is published, once. */
  sd_fake_meta_set_container_polls (env->fake, 0);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, ==, stage);
  g_assert_cmpuint (sd_fake_meta_count_uploads (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

/* Faults and limits */

static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  SdFakeHttp *http = sd_fake_meta_get_http (env->fake);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("The answer got lost", 1, FALSE);
  g_autofree char *last = NULL;

  sd_fake_http_set_fault_filter (http, only_path_suffix, (gpointer) "/media_publish");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  last = sd_fake_meta_dup_last_post_id (env->fake);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);

  /* Sending again from the stage finds the container published: no second post. */
  g_clear_pointer (&part->remote_id, g_free);
  clear_status (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

static void
test_server_error (Env          *env,
                   gconstpointer data)
{
  SdFakeHttp *http = sd_fake_meta_get_http (env->fake);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Through a 500", 1, FALSE);

  /* A container lost to a 500 is no post: safe to make again. */
  sd_fake_http_set_fault_filter (http, only_path_suffix, (gpointer) "/media");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_null (part->stage);
  clear_status (env);

  /* On media_publish, a 500 leaves it uncertain; the container says it was not published. */
  sd_fake_http_set_fault_filter (http, only_path_suffix, (gpointer) "/media_publish");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  clear_status (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Too many calls", 1, FALSE);

  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 0);
}

static void
test_quota_spent (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("One too many today", 1, FALSE);

  sd_fake_meta_set_quota (env->fake, 100, 100);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_nonnull (strstr (env->status.message, "100 posts a day"));
  g_assert_cmpuint (sd_fake_meta_count_uploads (env->fake), ==, 0);
}

static void
test_usage_spent (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Near the limit", 1, FALSE);

  sd_fake_meta_set_usage_spent (env->fake, TRUE);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (env->status.retry_after, >=, 5 * 60);
}

/* Tokens */

static void
test_refresh (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("With a renewed token", 1, FALSE);

  g_assert_true (sd_provider_can_refresh (env->provider));
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, IG_TOKEN);
  g_assert_cmpint (env->credentials->expires_at, >, sd_time_now () + 50 * 24 * 3600);
  clear_status (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
}

static void
test_expired (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After the token ran out", 1, FALSE);

  /* Instagram renews only a token that still works: an expired one means signing in again. */
  sd_fake_http_expire_tokens (sd_fake_meta_get_http (env->fake), IG_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Session has expired"));
  clear_status (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Sign in again"));
  g_assert_false (env->credentials->changed);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After the sign-in was revoked", 1, FALSE);

  sd_fake_http_revoke_user (sd_fake_meta_get_http (env->fake), IG_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  clear_status (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
}

static void
test_sign_in (Env          *env,
              gconstpointer data)
{
  g_autofree char *redirect = g_strdup ("http://127.0.0.1:43117/socialdesk/oauth");
  g_autofree char *authorize = sd_oauth2_authorize_url (SD_PLATFORM_INSTAGRAM, "meta-client", redirect,
                                                        "verifier-0123456789-0123456789-0123456789-0123", "state-1");
  g_autofree char *code = NULL;
  g_autoptr(SdCredentials) user = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_INSTAGRAM);
  SdPublishContext ctx = { 0 };
  SdSignInIdentity *identity;

  code = approve (authorize, IG_ID);
  g_assert_cmpint (sd_oauth2_exchange_code (sd_http_get_session (), SD_PLATFORM_INSTAGRAM, "meta-client", "meta-secret",
                                            redirect, code, "verifier-0123456789-0123456789-0123456789-0123",
                                            &user, NULL, &env->status), ==, SD_OUTCOME_DONE);
  clear_status (env);

  ctx.account = blank;
  ctx.credentials = user;
  ctx.session = sd_http_get_session ();
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  identity = identities->pdata[0];
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, IG_ID);
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "alicebakes");
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Alicebakes");
  g_assert_nonnull (sd_account_get_avatar_url (identity->account));
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), >, sd_time_now () + 50 * 24 * 3600);
  g_assert_cmpint (identity->credentials->expires_at, ==, sd_account_get_token_expires_at (identity->account));
  g_assert_cmpstr (identity->credentials->access_token, !=, user->access_token);
  g_assert_cmpstr (identity->credentials->client_secret, ==, "meta-secret");
  clear_status (env);

  {
    SdPublishContext ig_ctx = { identity->account, identity->credentials, sd_http_get_session () };
    g_autoptr(SdPublishPart) part = new_part ("Hello from the new sign-in", 1, FALSE);

    g_assert_cmpint (sd_provider_verify_account (env->provider, &ig_ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ig_ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sd-test-instagram-XXXXXX", NULL);
  sd_http_get_session ();

#define ADD(name, func) g_test_add (name, Env, NULL, env_setup, func, env_teardown)
  ADD ("/instagram/single-image", test_single_image);
  ADD ("/instagram/carousel", test_carousel);
  ADD ("/instagram/reel", test_reel);
  ADD ("/instagram/no-public-address", test_no_public_address);
  ADD ("/instagram/refused", test_refused);
  ADD ("/instagram/still-processing", test_still_processing);
  ADD ("/instagram/lost-answer", test_lost_answer);
  ADD ("/instagram/server-error", test_server_error);
  ADD ("/instagram/rate-limited", test_rate_limited);
  ADD ("/instagram/quota-spent", test_quota_spent);
  ADD ("/instagram/usage-spent", test_usage_spent);
  ADD ("/instagram/refresh", test_refresh);
  ADD ("/instagram/expired", test_expired);
  ADD ("/instagram/revoked", test_revoked);
  ADD ("/instagram/sign-in", test_sign_in);
#undef ADD

  result = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return result;
}
