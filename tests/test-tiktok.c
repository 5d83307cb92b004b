/* test-tiktok.c — the TikTok provider and sign-in against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-post.h"
#include "sd-tiktok.h"
#include "sd-time.h"

#include "fakes/sd-fake-tiktok.h"

#define OPEN_ID  "_000Hqnyyz5UYe39EE_r0Wrug2EfT6pmZNCI"
#define USERNAME "alice"

typedef struct
{
  SdFakeTiktok     *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  JsonObject       *options;
  char             *dir;
  guint             n_stages;
  SdProviderStatus  status;
} Env;

static char *
new_token (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

/* Each test has its own token: the provider counts init calls per token
 * for the whole process. */
static void
env_setup (Env          *env,
           gconstpointer data)
{
  g_autofree char *token = new_token ("act.");
  g_autofree char *refresh = new_token ("rft.");

  env->fake = sd_fake_tiktok_new ();
  g_setenv ("SOCIALDESK_TIKTOK_URL", sd_fake_tiktok_get_url (env->fake), TRUE);
  sd_fake_tiktok_add_user (env->fake, OPEN_ID, USERNAME, token, refresh);
  env->account = sd_account_new (SD_PLATFORM_TIKTOK);
  sd_account_set_remote_id (env->account, OPEN_ID);
  sd_account_set_handle (env->account, USERNAME);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (token);
  env->credentials->refresh_token = g_strdup (refresh);
  env->credentials->client_id = g_strdup (SD_FAKE_TIKTOK_CLIENT_KEY);
  env->credentials->client_secret = g_strdup (SD_FAKE_TIKTOK_CLIENT_SECRET);
  env->provider = SD_PROVIDER (sd_tiktok_new ());
  env->options = json_object_new ();
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "PUBLIC_TO_EVERYONE");
  env->dir = g_dir_make_tmp ("test-tiktok-XXXXXX", NULL);
  g_assert_nonnull (env->dir);
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (env->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (env->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (env->dir);
  g_free (env->dir);
  sd_provider_status_clear (&env->status);
  g_clear_pointer (&env->options, json_object_unref);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_tiktok_free);
  g_unsetenv ("SOCIALDESK_TIKTOK_URL");
}

static gboolean
count_stage (const SdPublishContext *ctx,
             SdPublishPart          *part,
             GError                **error)
{
  Env *env = ctx->stage_data;

  env->n_stages++;
  return TRUE;
}

static SdPublishContext
env_context (Env *env)
{
  SdPublishContext ctx = {
    .account = env->account,
    .credentials = env->credentials,
    .session = sd_http_get_session (),
    .first_attempt_at = sd_time_now (),
    .options = env->options,
    .save_stage = count_stage,
    .stage_data = env,
  };
  return ctx;
}

static SdPublishPart *
new_part (const char *text)
{
  g_autofree char *key = g_uuid_string_random ();

  return sd_publish_part_new (0, text, key);
}

/* A file of @size bytes with a pattern, returning its SHA-256. */
static char *
write_file (Env        *env,
            const char *name,
            gsize       size,
            char      **path_out)
{
  g_autofree guint8 *data = g_malloc (size);
  g_autofree char *path = g_build_filename (env->dir, name, NULL);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) ((i * 2654435761u) >> 13);
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  *path_out = g_steal_pointer (&path);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}

static char *
add_video (Env           *env,
           SdPublishPart *part,
           gsize          size)
{
  g_autofree char *path = NULL;
  char *sha = write_file (env, "clip.mp4", size, &path);
  SdPublishMedia *media = sd_publish_part_add_media (part, path, "video/mp4", "", 1080, 1920);

  media->bytes = (gint64) size;
  return sha;
}

static void
add_photo (SdPublishPart *part,
           const char    *url)
{
  SdPublishMedia *media = sd_publish_part_add_media (part, "/nonexistent/photo.jpg", "image/jpeg", "", 1080, 1350);

  media->public_url = g_strdup (url);
}

static JsonObject *
last_post (Env       *env,
           JsonNode **keep)
{
  g_autofree char *json = sd_fake_tiktok_dup_last_post_json (env->fake);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static SdOutcome
publish (Env           *env,
         SdPublishPart *part)
{
  SdPublishContext ctx = env_context (env);

  sd_provider_status_clear (&env->status);
  return sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
}

static SdOutcome
find (Env           *env,
      SdPublishPart *part)
{
  SdPublishContext ctx = env_context (env);

  sd_provider_status_clear (&env->status);
  return sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
}

static void
assert_message (Env        *env,
                const char *words)
{
  g_assert_nonnull (env->status.message);
  if (strstr (env->status.message, words) == NULL)
    g_error ("“%s” is not in “%s”", words, env->status.message);
}

/* Only requests to @data (a path) may be hit by faults. */
static gboolean
only_path (SdFakeRequest *request,
           gpointer       data)
{
  return g_strcmp0 (request->path, data) == 0;
}

/* Publishing */

static void
test_video (Env          *env,
            gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Sunset over the bay 🌅 #travel");
  g_autofree char *sha = add_video (env, part, 300000);
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  json_object_set_string_member (env->options, SD_OPTION_ALLOW_DUET, "false");
  json_object_set_string_member (env->options, SD_OPTION_ALLOW_STITCH, "true");

  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, part->text), ==, 1);
  g_assert_cmpuint (env->n_stages, ==, 1);
  g_assert_true (g_str_has_prefix (part->stage, "publish:v_pub_file~"));

  post = last_post (env, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "VIDEO");
  g_assert_cmpstr (json_object_get_string_member (post, "open_id"), ==, OPEN_ID);
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==, part->text);
  g_assert_cmpstr (json_object_get_string_member (post, "privacy_level"), ==, "PUBLIC_TO_EVERYONE");
  g_assert_false (json_object_get_boolean_member (post, "disable_comment")); /* not set: allowed */
  g_assert_true (json_object_get_boolean_member (post, "disable_duet"));
  g_assert_false (json_object_get_boolean_member (post, "disable_stitch"));
  g_assert_cmpint (json_object_get_int_member (post, "video_size"), ==, 300000);
  g_assert_cmpint (json_object_get_int_member (post, "chunk_size"), ==, 300000);
  g_assert_cmpint (json_object_get_int_member (post, "total_chunk_count"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (post, "video_sha256"), ==, sha);
  g_assert_cmpstr (g_strrstr (part->stage, ":") + 1, ==, json_object_get_string_member (post, "publish_id"));

  g_assert_cmpstr (part->remote_id, ==, json_object_get_string_member (post, "id"));
  url = g_strdup_printf ("https://www.tiktok.com/@%s/video/%s", USERNAME, part->remote_id);
  g_assert_cmpstr (part->remote_url, ==, url);

  /* Asked again, the stage finds the same post; nothing new is made. */
  g_clear_pointer (&part->remote_id, g_free);
  g_assert_cmpint (find (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, json_object_get_string_member (post, "id"));
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_inits (env->fake), ==, 1);
}

static void
test_video_chunks (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("A longer clip, in chunks");
  g_autofree char *sha = add_video (env, part, 21 * 1000 * 1000 + 123);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  post = last_post (env, &keep);
  g_assert_cmpint (json_object_get_int_member (post, "video_size"), ==, 21 * 1000 * 1000 + 123);
  g_assert_cmpint (json_object_get_int_member (post, "chunk_size"), ==, 10000000);
  g_assert_cmpint (json_object_get_int_member (post, "total_chunk_count"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (post, "video_sha256"), ==, sha);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
}

static void
test_photos (Env          *env,
             gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Three views of the harbour\nMorning, noon and night.");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;
  JsonArray *images;

  sd_fake_tiktok_add_verified_prefix (env->fake, "https://media.example.org/");
  add_photo (part, "https://media.example.org/a.jpg");
  add_photo (part, "https://media.example.org/b.jpg");
  add_photo (part, "https://media.example.org/c.jpg");
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "SELF_ONLY");
  json_object_set_string_member (env->options, SD_OPTION_ALLOW_COMMENT, "false");

  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, part->text), ==, 1);
  post = last_post (env, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "PHOTO");
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==, "Three views of the harbour");
  g_assert_cmpstr (json_object_get_string_member (post, "description"), ==, part->text);
  g_assert_cmpstr (json_object_get_string_member (post, "privacy_level"), ==, "SELF_ONLY");
  g_assert_true (json_object_get_boolean_member (post, "disable_comment"));
  g_assert_cmpint (json_object_get_int_member (post, "photo_cover_index"), ==, 0);
  images = json_object_get_array_member (post, "photo_images");
  g_assert_cmpuint (json_array_get_length (images), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (images, 0), ==, "https://media.example.org/a.jpg");
  g_assert_cmpstr (json_array_get_string_element (images, 2), ==, "https://media.example.org/c.jpg");
  /* A private post has no public id: the publish id stands for it. */
  g_assert_cmpstr (part->remote_id, ==, json_object_get_string_member (post, "publish_id"));
  g_assert_null (part->remote_url);
}

static void
test_media_rules (Env          *env,
                  gconstpointer data)
{
  g_autoptr(SdPublishPart) text_only = new_part ("Just words");
  g_autoptr(SdPublishPart) no_url = new_part ("A photo without an address");
  g_autoptr(SdPublishPart) mixed = new_part ("Both");
  g_autoptr(SdPublishPart) unverified = new_part ("Elsewhere");
  g_autoptr(SdPublishPart) too_many = new_part ("36 photos");
  g_autofree char *sha = NULL;
  guint n_requests = sd_fake_http_get_n_requests (sd_fake_tiktok_get_http (env->fake));

  g_assert_cmpint (publish (env, text_only), ==, SD_OUTCOME_FAILED);
  assert_message (env, "video or at least one photo");

  sd_publish_part_add_media (no_url, "/nonexistent/photo.jpg", "image/jpeg", "", 100, 100);
  g_assert_cmpint (publish (env, no_url), ==, SD_OUTCOME_FAILED);
  assert_message (env, "public web address");
  assert_message (env, "photo.jpg");

  sha = add_video (env, mixed, 1000);
  add_photo (mixed, "https://media.example.org/a.jpg");
  g_assert_cmpint (publish (env, mixed), ==, SD_OUTCOME_FAILED);

  for (guint i = 0; i < 36; i++)
    add_photo (too_many, "https://media.example.org/a.jpg");
  g_assert_cmpint (publish (env, too_many), ==, SD_OUTCOME_FAILED);
  assert_message (env, "35");
  /* None of these asked TikTok anything. */
  g_assert_cmpuint (sd_fake_http_get_n_requests (sd_fake_tiktok_get_http (env->fake)), ==, n_requests);

  /* TikTok's own refusal of a URL it may not fetch. */
  sd_fake_tiktok_add_verified_prefix (env->fake, "https://media.example.org/");
  add_photo (unverified, "https://cdn.elsewhere.example/a.jpg");
  g_assert_cmpint (publish (env, unverified), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 403);
  assert_message (env, "The domain or URL prefix of the photo URL is not verified.");
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 0);
}

static void
test_privacy (Env          *env,
              gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Who may see this?");
  g_autofree char *sha = add_video (env, part, 5000);
  const char *options[] = { "FOLLOWER_OF_CREATOR", "SELF_ONLY", NULL };
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  /* No choice: TikTok requires one. */
  json_object_remove_member (env->options, SD_OPTION_PRIVACY);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_FAILED);
  assert_message (env, "explicit choice");

  /* A choice the creator does not have. */
  sd_fake_tiktok_set_privacy_options (env->fake, options);
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "PUBLIC_TO_EVERYONE");
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_FAILED);
  assert_message (env, "“PUBLIC_TO_EVERYONE”");
  assert_message (env, "FOLLOWER_OF_CREATOR, SELF_ONLY");
  g_assert_cmpuint (sd_fake_tiktok_count_inits (env->fake), ==, 0);

  /* What the creator turned off stays off, whatever the post asks. */
  sd_fake_tiktok_set_creator_disabled (env->fake, TRUE, FALSE, TRUE);
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "FOLLOWER_OF_CREATOR");
  json_object_set_string_member (env->options, SD_OPTION_ALLOW_COMMENT, "true");
  json_object_set_string_member (env->options, SD_OPTION_ALLOW_STITCH, "true");
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  post = last_post (env, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "privacy_level"), ==, "FOLLOWER_OF_CREATOR");
  g_assert_true (json_object_get_boolean_member (post, "disable_comment"));
  g_assert_false (json_object_get_boolean_member (post, "disable_duet"));
  g_assert_true (json_object_get_boolean_member (post, "disable_stitch"));
}

static void
test_validation (Env          *env,
                 gconstpointer data)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(SdPublishPart) part = NULL;
  g_autoptr(SdPublishPart) spam = new_part ("One too many");
  g_autofree char *sha = NULL;
  g_autofree char *sha2 = NULL;

  for (guint i = 0; i < 2201; i++)
    g_string_append_c (long_text, 'a');
  part = new_part (long_text->str);
  sha = add_video (env, part, 4000);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 400);
  assert_message (env, "TikTok refused the post");
  assert_message (env, "The title exceeds 2200 UTF-16 characters.");
  g_assert_null (part->stage);

  sha2 = add_video (env, spam, 4000);
  sd_fake_tiktok_refuse_next_init (env->fake, 403, "spam_risk_too_many_posts",
                                   "The daily post cap from API is reached for the current user.");
  g_assert_cmpint (publish (env, spam), ==, SD_OUTCOME_FAILED);
  assert_message (env, "The daily post cap from API is reached for the current user.");

  sd_fake_tiktok_refuse_next_init (env->fake, 403, "unaudited_client_can_only_post_to_private_accounts",
                                   "Please review our integration guidelines at https://developers.tiktok.com/doc/content-sharing-guidelines/");
  g_assert_cmpint (publish (env, spam), ==, SD_OUTCOME_FAILED);
  assert_message (env, "content-sharing-guidelines");
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 0);
}

static void
test_failed_publish (Env          *env,
                     gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("TikTok cannot read this one at first");
  g_autofree char *sha = add_video (env, part, 8000);

  sd_fake_tiktok_fail_next_publish (env->fake, "file_format_check_failed");
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_FAILED);
  assert_message (env, "file_format_check_failed");
  g_assert_nonnull (part->stage);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 0);
  g_assert_cmpint (find (env, part), ==, SD_OUTCOME_RETRY);

  /* Sent again: the staged publish is dead, so it starts over. */
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_inits (env->fake), ==, 2);
}

/* Tokens */

static void
test_expired_token (Env          *env,
                    gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("After a day");
  g_autofree char *sha = add_video (env, part, 2000);
  g_autofree char *old_token = g_strdup (env->credentials->access_token);
  g_autofree char *old_refresh = g_strdup (env->credentials->refresh_token);
  SdPublishContext ctx = env_context (env);

  sd_fake_http_expire_tokens (sd_fake_tiktok_get_http (env->fake), OPEN_ID);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (env->status.http_status, ==, 401);
  assert_message (env, "The access token is invalid or not found in the request.");
  g_assert_null (strstr (env->status.message, old_token));

  g_assert_true (sd_provider_can_refresh (env->provider));
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, old_token);
  g_assert_cmpstr (env->credentials->refresh_token, !=, old_refresh);
  g_assert_cmpint (env->credentials->expires_at, >, sd_time_now () + SD_FAKE_TIKTOK_TOKEN_LIFETIME - 60);
  g_assert_cmpint (env->credentials->refresh_expires_at, >, sd_time_now () + SD_FAKE_TIKTOK_REFRESH_LIFETIME - 60);

  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Revoked");
  g_autofree char *sha = add_video (env, part, 2000);
  SdPublishContext ctx = env_context (env);

  sd_fake_http_revoke_user (sd_fake_tiktok_get_http (env->fake), OPEN_ID);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_AUTH);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  assert_message (env, "Refresh token is invalid or expired.");
  g_assert_false (env->credentials->changed);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 0);
}

/* Faults */

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Slow down");
  g_autofree char *sha = add_video (env, part, 2000);
  SdFakeHttp *http = sd_fake_tiktok_get_http (env->fake);

  /* TikTok's 429 names no wait: a minute. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, ==, 60);
  assert_message (env, "API rate limit exceeded");

  /* TikTok's own count of init calls. */
  sd_fake_tiktok_set_init_limit (env->fake, 1);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_clear_pointer (&part->stage, g_free);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
}

static void
test_init_allowance (Env          *env,
                     gconstpointer data)
{
  guint inits;

  for (guint i = 0; i < SD_TIKTOK_INITS_PER_MINUTE; i++)
    {
      g_autofree char *text = g_strdup_printf ("Post %u of the minute", i);
      g_autoptr(SdPublishPart) part = new_part (text);
      g_autofree char *sha = add_video (env, part, 1000);

      g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
      /* The last one spends the minute: the account pauses before a 429. */
      if (i + 1 < SD_TIKTOK_INITS_PER_MINUTE)
        g_assert_cmpint (env->status.retry_after, ==, 0);
      else
        g_assert_cmpint (env->status.retry_after, >, 0);
    }

  {
    g_autoptr(SdPublishPart) part = new_part ("The seventh");
    g_autofree char *sha = add_video (env, part, 1000);

    inits = sd_fake_tiktok_count_inits (env->fake);
    g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
    g_assert_cmpint (env->status.retry_after, >, 0);
    g_assert_cmpint (env->status.retry_after, <=, 60);
    g_assert_null (part->stage);
    g_assert_cmpuint (sd_fake_tiktok_count_inits (env->fake), ==, inits);
  }
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, SD_TIKTOK_INITS_PER_MINUTE);
}

static void
test_server_errors (Env          *env,
                    gconstpointer data)
{
  g_autoptr(SdPublishPart) video = new_part ("Five hundred");
  g_autoptr(SdPublishPart) photos = new_part ("Five hundred photos");
  g_autofree char *sha = add_video (env, video, 2000);
  SdFakeHttp *http = sd_fake_tiktok_get_http (env->fake);

  /* Asking for the creator's settings changes nothing. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, video), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 500);

  /* A video init cannot post by itself. */
  sd_fake_http_set_fault_filter (http, only_path, "/v2/post/publish/video/init/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, video), ==, SD_OUTCOME_RETRY);
  g_assert_null (video->stage);
  g_assert_cmpint (find (env, video), ==, SD_OUTCOME_RETRY);

  /* A photo init may have been taken. */
  add_photo (photos, "https://media.example.org/a.jpg");
  sd_fake_http_set_fault_filter (http, only_path, "/v2/post/publish/content/init/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, photos), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (find (env, photos), ==, SD_OUTCOME_UNCERTAIN);

  /* Status reads failing keep the stage for later. */
  sd_fake_http_set_fault_filter (http, only_path, "/v2/post/publish/status/fetch/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, video), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (video->stage);
  g_assert_cmpint (publish (env, video), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, video->text), ==, 1);
  sd_fake_http_set_fault_filter (http, NULL, NULL);
}

static void
test_lost_answers (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("The answer was lost");
  g_autoptr(SdPublishPart) early = new_part ("Lost at the start");
  g_autoptr(SdPublishPart) photos = new_part ("Lost photos");
  g_autofree char *sha = add_video (env, part, 3000);
  g_autofree char *sha2 = NULL;
  SdFakeHttp *http = sd_fake_tiktok_get_http (env->fake);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  /* The last chunk arrived but its answer did not. */
  sd_fake_http_set_fault_filter (http, only_path, "/video/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_nonnull (part->stage);
  g_assert_false (sd_provider_resend_is_safe (env->provider, NULL, part));
  g_assert_cmpint (find (env, part), ==, SD_OUTCOME_DONE);
  post = last_post (env, &keep);
  g_assert_cmpstr (part->remote_id, ==, json_object_get_string_member (post, "id"));
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, part->text), ==, 1);

  /* A video init whose answer was lost: nothing can post; sent again, one post. */
  sha2 = add_video (env, early, 3000);
  sd_fake_http_set_fault_filter (http, only_path, "/v2/post/publish/video/init/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, early), ==, SD_OUTCOME_RETRY);
  g_assert_null (early->stage);
  g_assert_cmpint (publish (env, early), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, early->text), ==, 1);

  /* Photos are taken by the init alone: a lost answer cannot be checked. */
  add_photo (photos, "https://media.example.org/a.jpg");
  sd_fake_http_set_fault_filter (http, only_path, "/v2/post/publish/content/init/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, photos), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (find (env, photos), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, photos->text), ==, 1);
  sd_fake_http_set_fault_filter (http, NULL, NULL);
}

static void
test_never_finishes (Env          *env,
                     gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Still processing");
  g_autofree char *sha = add_video (env, part, 6000);
  g_autofree char *stage = NULL;

  sd_fake_tiktok_set_hold (env->fake, TRUE);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
  assert_message (env, "still processing");
  g_assert_nonnull (part->stage);
  stage = g_strdup (part->stage);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 0);
  g_assert_cmpint (find (env, part), ==, SD_OUTCOME_RETRY);

  /* Again while still held: the stage is kept, nothing new is started. */
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpstr (part->stage, ==, stage);

  sd_fake_tiktok_set_hold (env->fake, FALSE);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, ==, stage);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_inits (env->fake), ==, 1);
}

static void
test_interrupted_upload (Env          *env,
                         gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Cut off mid-upload");
  g_autofree char *sha = add_video (env, part, 21 * 1000 * 1000);
  SdFakeHttp *http = sd_fake_tiktok_get_http (env->fake);

  /* The first of two chunks is lost on the way: the upload stops short. */
  sd_fake_http_set_fault_filter (http, only_path, "/video/");
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (part->stage);
  sd_fake_http_set_fault_filter (http, NULL, NULL);
  g_assert_cmpint (find (env, part), ==, SD_OUTCOME_RETRY);

  /* Resumed: the half-uploaded publish can never post, so it starts over. */
  g_assert_cmpint (publish (env, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_tiktok_count_publishes (env->fake), ==, 2);
}

/* As the sync engine does: RETRY sends again, UNCERTAIN asks find_part.
 * Under random faults of every kind each post ends on TikTok exactly once. */
static void
test_exactly_once_under_faults (Env          *env,
                                gconstpointer data)
{
  SdFakeHttp *http = sd_fake_tiktok_get_http (env->fake);
  const guint n_users = 8, per_user = 2;
  SdCredentials *own = env->credentials;

  sd_fake_http_set_slow_delay (http, 50);
  sd_fake_http_set_fault_rate (http, 0.2, 20240611);

  for (guint u = 0; u < n_users; u++)
    {
      g_autofree char *open_id = g_strdup_printf ("_000user%u", u);
      g_autofree char *username = g_strdup_printf ("user%u", u);
      g_autofree char *token = new_token ("act.");
      g_autoptr(SdCredentials) credentials = sd_credentials_new ();

      sd_fake_tiktok_add_user (env->fake, open_id, username, token, NULL);
      credentials->access_token = g_strdup (token);
      env->credentials = credentials;
      for (guint p = 0; p < per_user; p++)
        {
          g_autofree char *text = g_strdup_printf ("Post %u of %s", p, username);
          g_autoptr(SdPublishPart) part = new_part (text);
          g_autofree char *sha = add_video (env, part, 2000 + p);
          SdOutcome outcome = publish (env, part);
          guint rounds = 0;

          while (outcome != SD_OUTCOME_DONE)
            {
              g_assert_cmpuint (++rounds, <, 100);
              if (outcome == SD_OUTCOME_UNCERTAIN)
                {
                  outcome = find (env, part);
                  if (outcome == SD_OUTCOME_RETRY)
                    outcome = publish (env, part);
                }
              else if (outcome == SD_OUTCOME_RETRY)
                {
                  /* The minute's init calls are spent: where the engine
                   * would wait a minute, a new token stands in. */
                  if (strstr (env->status.message, "new posts a minute") != NULL)
                    {
                      g_free (credentials->access_token);
                      credentials->access_token = new_token ("act.");
                      sd_fake_tiktok_add_user (env->fake, open_id, username, credentials->access_token, NULL);
                    }
                  outcome = publish (env, part);
                }
              else
                g_error ("%s: %s", sd_outcome_to_string (outcome), env->status.message);
            }
          g_assert_nonnull (part->remote_id);
          g_assert_cmpuint (sd_fake_tiktok_count_posts_with_text (env->fake, text), ==, 1);
        }
      env->credentials = own;
    }
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >, 0);
  g_assert_cmpuint (sd_fake_tiktok_count_posts (env->fake), ==, n_users * per_user);
}

/* The account and sign-in */

static char *
query_value (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);

  return params != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

static void
test_sign_in (Env          *env,
              gconstpointer data)
{
  const char *redirect = "http://127.0.0.1:43117/socialdesk/oauth";
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const char *other_id = "_000other_open_id";
  g_autofree char *authorize = sd_oauth2_authorize_url (SD_PLATFORM_TIKTOK, SD_FAKE_TIKTOK_CLIENT_KEY,
                                                        redirect, verifier, "xyz");
  g_autofree char *approve = g_strconcat (authorize, "&sd_fake_approve=", other_id, NULL);
  g_autofree char *code = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *expected_challenge = g_compute_checksum_for_string (G_CHECKSUM_SHA256, verifier, -1);
  g_autoptr(GUri) authorize_uri = g_uri_parse (authorize, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", approve);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_TIKTOK);
  SoupSession *session = sd_http_get_session ();
  SdSignInIdentity *identity;
  SdPublishContext ctx;

  /* TikTok's desktop PKCE: a hex SHA-256 challenge, and client_key. */
  g_assert_cmpstr (g_uri_get_path (authorize_uri), ==, "/v2/auth/authorize/");
  challenge = query_value (authorize_uri, "code_challenge");
  g_assert_cmpstr (challenge, ==, expected_challenge);
  g_free (code);
  code = query_value (authorize_uri, "client_key");
  g_assert_cmpstr (code, ==, SD_FAKE_TIKTOK_CLIENT_KEY);
  g_clear_pointer (&code, g_free);

  sd_fake_tiktok_add_user (env->fake, other_id, "bob.builds", NULL, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_ENCODED_QUERY, NULL);
  code = query_value (location, "code");
  g_assert_nonnull (code);

  /* A wrong verifier is refused in TikTok's words. */
  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_TIKTOK, SD_FAKE_TIKTOK_CLIENT_KEY,
                                            SD_FAKE_TIKTOK_CLIENT_SECRET, redirect, code, "wrong-verifier",
                                            &credentials, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  assert_message (env, "Authorization code is expired.");
  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_TIKTOK, SD_FAKE_TIKTOK_CLIENT_KEY,
                                            SD_FAKE_TIKTOK_CLIENT_SECRET, redirect, code, verifier,
                                            &credentials, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (credentials->access_token);
  g_assert_nonnull (credentials->refresh_token);

  ctx = (SdPublishContext) {
    .account = blank,
    .credentials = credentials,
    .session = session,
  };
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  identity = g_ptr_array_index (identities, 0);
  g_assert_cmpint (sd_account_get_platform (identity->account), ==, SD_PLATFORM_TIKTOK);
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, other_id);
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "bob.builds");
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Bob.builds");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (identity->account), "https://"));
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), ==, credentials->refresh_expires_at);
  g_assert_cmpint (credentials->refresh_expires_at, >, sd_time_now () + SD_FAKE_TIKTOK_REFRESH_LIFETIME - 60);
  g_assert_cmpstr (identity->credentials->access_token, ==, credentials->access_token);
  g_assert_cmpstr (identity->credentials->refresh_token, ==, credentials->refresh_token);
  g_assert_cmpstr (identity->credentials->client_id, ==, SD_FAKE_TIKTOK_CLIENT_KEY);
  g_assert_cmpstr (identity->credentials->client_secret, ==, SD_FAKE_TIKTOK_CLIENT_SECRET);

  /* The code is spent. */
  {
    g_autoptr(SdCredentials) again = NULL;

    g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_TIKTOK, SD_FAKE_TIKTOK_CLIENT_KEY,
                                              SD_FAKE_TIKTOK_CLIENT_SECRET, redirect, code, verifier,
                                              &again, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  }
}

static void
test_verify_account (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);

  sd_account_set_handle (env->account, NULL);
  sd_account_set_remote_id (env->account, NULL);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, OPEN_ID);
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, USERNAME);
  g_assert_cmpstr (sd_account_get_display_name (env->account), ==, "Alice");
  g_assert_cmpint (sd_account_get_limit (env->account, "max_video_post_duration_sec", 0), ==, 300);
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_TIKTOK);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 0);

  /* Without user.info.profile, username is not served: asked without it. */
  sd_fake_tiktok_set_profile_scope (env->fake, FALSE);
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  g_assert_cmpstr (sd_account_get_remote_id (((SdSignInIdentity *) g_ptr_array_index (identities, 0))->account), ==, OPEN_ID);
  g_assert_cmpstr (sd_account_get_display_name (((SdSignInIdentity *) g_ptr_array_index (identities, 0))->account), ==, "Alice");
}

static void
test_provider_for_platform (void)
{
  g_autoptr(SdProvider) provider = sd_provider_new_for_platform (SD_PLATFORM_TIKTOK);

  g_assert_true (SD_IS_TIKTOK (provider));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "20", TRUE);
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "10", TRUE);
  g_setenv ("SOCIALDESK_POLL_ATTEMPTS", "5", TRUE);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/tiktok/video", test_video);
  ADD ("/tiktok/video-chunks", test_video_chunks);
  ADD ("/tiktok/photos", test_photos);
  ADD ("/tiktok/media-rules", test_media_rules);
  ADD ("/tiktok/privacy", test_privacy);
  ADD ("/tiktok/validation", test_validation);
  ADD ("/tiktok/failed-publish", test_failed_publish);
  ADD ("/tiktok/expired-token", test_expired_token);
  ADD ("/tiktok/revoked", test_revoked);
  ADD ("/tiktok/rate-limited", test_rate_limited);
  ADD ("/tiktok/init-allowance", test_init_allowance);
  ADD ("/tiktok/server-errors", test_server_errors);
  ADD ("/tiktok/lost-answers", test_lost_answers);
  ADD ("/tiktok/never-finishes", test_never_finishes);
  ADD ("/tiktok/interrupted-upload", test_interrupted_upload);
  ADD ("/tiktok/exactly-once-under-faults", test_exactly_once_under_faults);
  ADD ("/tiktok/sign-in", test_sign_in);
  ADD ("/tiktok/verify-account", test_verify_account);
#undef ADD
  g_test_add_func ("/tiktok/provider-for-platform", test_provider_for_platform);

  return g_test_run ();
}
