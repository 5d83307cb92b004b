/* test-youtube.c — the YouTube provider and Google sign-in against the loopback fake
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
#include "sd-time.h"
#include "sd-youtube.h"

#include "fakes/sd-fake-youtube.h"

#define USER          "1001"
#define TOKEN         "ya29.alice-access"
#define REFRESH       "1//alice-refresh"
#define CHUNK         (256 * 1024)
#define RECOVERIES    3   /* the provider's session queries after a broken chunk */

typedef struct
{
  SdFakeYoutube    *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  JsonObject       *options;
  char             *dir;
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  g_autofree char *channel_id = NULL;

  env->fake = sd_fake_youtube_new ();
  g_setenv ("SOCIALDESK_YOUTUBE_URL", sd_fake_youtube_get_url (env->fake), TRUE);
  sd_fake_youtube_add_user (env->fake, USER, "alice", TOKEN, REFRESH);
  channel_id = sd_fake_youtube_dup_channel_id (env->fake, USER);
  env->account = sd_account_new (SD_PLATFORM_YOUTUBE);
  sd_account_set_remote_id (env->account, channel_id);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->credentials->refresh_token = g_strdup (REFRESH);
  env->credentials->client_id = g_strdup ("123-app.apps.googleusercontent.com");
  env->credentials->client_secret = g_strdup ("GOCSPX-secret");
  env->provider = SD_PROVIDER (sd_youtube_new ());
  env->options = json_object_new ();
  json_object_set_string_member (env->options, SD_OPTION_TITLE, "A day at the sea");
  env->dir = g_dir_make_tmp ("test-youtube-XXXXXX", NULL);
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
  json_object_unref (env->options);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_youtube_free);
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
  };
  return ctx;
}

static void
status_reset (Env *env)
{
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
}

/* A file of @size pseudo-random bytes; its SHA-256 in *sum. */
static char *
make_video (Env    *env,
            gsize   size,
            char  **sum)
{
  g_autofree guint8 *data = g_malloc (size);
  g_autofree char *name = g_strdup_printf ("video-%u.mp4", g_random_int ());
  char *path = g_build_filename (env->dir, name, NULL);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  if (sum != NULL)
    *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return path;
}

static SdPublishPart *
new_video_part (Env        *env,
                const char *text,
                gsize       size,
                char      **sum)
{
  g_autofree char *path = make_video (env, size, sum);
  SdPublishPart *part = sd_publish_part_new (0, text, NULL);

  sd_publish_part_add_media (part, path, "video/mp4", "", 1920, 1080)->bytes = size;
  return part;
}

static JsonObject *
fake_video (Env        *env,
            const char *id,
            JsonNode  **keep)
{
  g_autofree char *json = sd_fake_youtube_dup_video_json (env->fake, id);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

/* Faults only on the session's PUTs (chunks and queries). */
static gboolean
only_upload_puts (SdFakeRequest *request,
                  gpointer       user_data)
{
  return g_strcmp0 (request->method, "PUT") == 0 && g_str_has_prefix (request->path, "/upload/");
}

/* Publishing */

static void
test_publish (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *sum = NULL;
  g_autoptr(SdPublishPart) part = new_video_part (env, "Waves and gulls.\nFilmed at dawn.", 2 * CHUNK + 1000, &sum);
  g_autofree char *received = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *video, *snippet, *status;
  JsonArray *tags;

  json_object_set_string_member (env->options, SD_OPTION_TAGS, "sea, gulls ,, dawn");
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "unlisted");
  json_object_set_string_member (env->options, SD_OPTION_MADE_FOR_KIDS, "false");

  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_YOUTUBE);
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, part));
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  url = g_strconcat ("https://www.youtube.com/watch?v=", part->remote_id, NULL);
  g_assert_cmpstr (part->remote_url, ==, url);
  g_assert_true (g_str_has_prefix (part->stage, "upload:"));
  g_assert_true (g_str_has_prefix (part->stage + 7, sd_fake_youtube_get_url (env->fake)));
  /* Three chunks of 256 KiB multiples: 256 KiB, 256 KiB, 1000 bytes. */
  g_assert_cmpuint (sd_fake_youtube_get_n_upload_puts (env->fake), ==, 3);

  video = fake_video (env, part->remote_id, &keep);
  snippet = json_object_get_object_member (video, "snippet");
  status = json_object_get_object_member (video, "status");
  g_assert_cmpstr (json_object_get_string_member (snippet, "title"), ==, "A day at the sea");
  g_assert_cmpstr (json_object_get_string_member (snippet, "description"), ==, "Waves and gulls.\nFilmed at dawn.");
  g_assert_cmpstr (json_object_get_string_member (snippet, "categoryId"), ==, "22");
  g_assert_cmpstr (json_object_get_string_member (snippet, "channelId"), ==, sd_account_get_remote_id (env->account));
  tags = json_object_get_array_member (snippet, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "sea");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "gulls");
  g_assert_cmpstr (json_array_get_string_element (tags, 2), ==, "dawn");
  g_assert_cmpstr (json_object_get_string_member (status, "privacyStatus"), ==, "unlisted");
  g_assert_false (json_object_has_member (status, "publishAt"));
  g_assert_true (json_object_has_member (status, "selfDeclaredMadeForKids"));
  g_assert_false (json_object_get_boolean_member (status, "selfDeclaredMadeForKids"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (video, "fileDetails"), "fileSize"),
                   ==, 2 * CHUNK + 1000);
  received = sd_fake_youtube_dup_video_sha256 (env->fake, part->remote_id);
  g_assert_cmpstr (received, ==, sum);
  g_assert_cmpuint (sd_fake_youtube_count_posts_with_text (env->fake, "Waves and gulls.\nFilmed at dawn."), ==, 1);

  /* Defaults: public, nothing said about children. */
  {
    g_autoptr(SdPublishPart) second = new_video_part (env, "Second", 1000, NULL);
    g_autoptr(JsonNode) keep2 = NULL;

    json_object_remove_member (env->options, SD_OPTION_PRIVACY);
    json_object_remove_member (env->options, SD_OPTION_MADE_FOR_KIDS);
    json_object_remove_member (env->options, SD_OPTION_TAGS);
    status_reset (env);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), ==, SD_OUTCOME_DONE);
    status = json_object_get_object_member (fake_video (env, second->remote_id, &keep2), "status");
    g_assert_cmpstr (json_object_get_string_member (status, "privacyStatus"), ==, "public");
    g_assert_false (json_object_has_member (status, "selfDeclaredMadeForKids"));
    g_assert_false (json_object_has_member (json_object_get_object_member (json_node_get_object (keep2), "snippet"),
                                            "tags"));
  }
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 2);
}

static void
test_validation (Env          *env,
                 gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) no_video = sd_publish_part_new (0, "Only words", NULL);
  g_autoptr(SdPublishPart) image = sd_publish_part_new (0, "A picture", NULL);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Fine", 1000, NULL);
  g_autoptr(SdPublishPart) bad_description = new_video_part (env, "a <b> tag", 1000, NULL);

  sd_publish_part_add_media (image, "/nonexistent.jpg", "image/jpeg", "", 10, 10);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, no_video, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "video"));
  status_reset (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, image, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  status_reset (env);

  json_object_remove_member (env->options, SD_OPTION_TITLE);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "title"));
  status_reset (env);

  /* YouTube's own refusals, quoted. */
  json_object_set_string_member (env->options, SD_OPTION_TITLE, "Fish <3");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 400);
  g_assert_nonnull (strstr (env->status.message, "The request metadata specifies an invalid video title."));
  g_assert_null (part->stage);
  status_reset (env);

  json_object_set_string_member (env->options, SD_OPTION_TITLE, "Fish");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, bad_description, NULL, &env->status), ==,
                   SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "invalid video description"));
  status_reset (env);

  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "friends");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "friends"));
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 0);
}

static void
test_expired_token (Env          *env,
                    gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "After a refresh", 1000, NULL);

  g_assert_true (sd_provider_can_refresh (env->provider));
  sd_fake_http_expire_tokens (sd_fake_youtube_get_http (env->fake), USER);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (env->status.http_status, ==, 401);
  g_assert_nonnull (strstr (env->status.message, "invalid authentication credentials"));
  g_assert_null (strstr (env->status.message, TOKEN));
  status_reset (env);

  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, TOKEN);
  /* Google keeps the refresh token. */
  g_assert_cmpstr (env->credentials->refresh_token, ==, REFRESH);
  g_assert_cmpint (env->credentials->expires_at, >, sd_time_now () + 3000);
  status_reset (env);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);

  /* The same refresh token works again. */
  status_reset (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Revoked", 1000, NULL);

  sd_fake_http_revoke_user (sd_fake_youtube_get_http (env->fake), USER);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  status_reset (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Token has been expired or revoked."));
  status_reset (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 0);
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Later", 1000, NULL);
  SdFakeHttp *http = sd_fake_youtube_get_http (env->fake);

  /* 429 RESOURCE_EXHAUSTED with Retry-After. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, ==, 30);
  g_assert_nonnull (strstr (env->status.message, "Resource has been exhausted"));
  status_reset (env);

  /* The day's quota: until midnight Pacific time. */
  sd_fake_youtube_set_quota_exceeded (env->fake, TRUE);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 403);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpint (env->status.retry_after, <=, 25 * 60 * 60);
  g_assert_nonnull (strstr (env->status.message, "exceeded your quota"));
  status_reset (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (env->status.retry_after, >, 0);
  sd_fake_youtube_set_quota_exceeded (env->fake, FALSE);
  status_reset (env);

  /* The channel's upload limit. */
  sd_fake_youtube_set_upload_limit (env->fake, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  status_reset (env);
  {
    g_autoptr(SdPublishPart) more = new_video_part (env, "One more", 1000, NULL);

    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, more, NULL, &env->status), ==, SD_OUTCOME_RETRY);
    g_assert_cmpint (env->status.retry_after, >=, 60 * 60);
    g_assert_nonnull (strstr (env->status.message, "exceeded the number of videos"));
  }
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
}

static void
test_server_errors (Env          *env,
                    gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Through errors", 2 * CHUNK + 10, NULL);
  SdFakeHttp *http = sd_fake_youtube_get_http (env->fake);

  /* 500 on opening the session: no bytes went, nothing can exist. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 500);
  g_assert_null (part->stage);
  status_reset (env);

  /* A reset before the session answered: the same. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  status_reset (env);

  /* 500s and resets on chunks are mended in the same call through the session. */
  sd_fake_http_set_fault_filter (http, only_upload_puts, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
  status_reset (env);
  {
    g_autoptr(SdPublishPart) other = new_video_part (env, "Through resets", 2 * CHUNK + 10, NULL);

    sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_BEFORE, 2);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, other, NULL, &env->status), ==, SD_OUTCOME_DONE);
  }
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 2);
}

/* The last chunk is taken, its answer and every query after it lost. */
static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Lost answer", 1000, NULL);
  g_autoptr(SdPublishPart) copy = NULL;
  SdFakeHttp *http = sd_fake_youtube_get_http (env->fake);
  g_autofree char *video_id = NULL;

  /* More than the provider's queries (libsoup itself sends a PUT again once
   * when a reused connection closes unanswered). */
  sd_fake_http_set_fault_filter (http, only_upload_puts, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 4 * (1 + RECOVERIES));
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_NONE, 0);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
  g_assert_true (g_str_has_prefix (part->stage, "upload:"));
  g_assert_null (part->remote_id);
  /* Staged: publish_part would resume, never upload again. */
  g_assert_true (sd_provider_resend_is_safe (env->provider, &ctx, part));
  status_reset (env);

  copy = sd_publish_part_new (0, part->text, NULL);
  sd_publish_part_add_media (copy, ((SdPublishMedia *) part->media->pdata[0])->path, "video/mp4", "", 0, 0);
  copy->stage = g_strdup (part->stage);

  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_true (g_str_has_suffix (part->remote_url, part->remote_id));
  video_id = g_strdup (part->remote_id);
  status_reset (env);

  /* A publish_part from the stage instead gives the same video. */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (copy->remote_id, ==, video_id);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);

  /* Without a stage, the channel's uploads are searched. */
  status_reset (env);
  {
    g_autoptr(SdPublishPart) unstaged = sd_publish_part_new (0, part->text, NULL);

    g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, unstaged));
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, unstaged, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (unstaged->remote_id, ==, video_id);
  }
  status_reset (env);
  {
    g_autoptr(SdPublishPart) absent = sd_publish_part_new (0, "Never sent", NULL);

    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, absent, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  }
}

/* An upload that stops partway is resumed later from the stage. */
static void
test_stalled_upload (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *sum = NULL;
  g_autoptr(SdPublishPart) part = new_video_part (env, "Stalled", 3 * CHUNK + 77, &sum);
  g_autofree char *stage = NULL;
  g_autofree char *received = NULL;
  guint puts;

  sd_fake_youtube_stall_uploads_after (env->fake, CHUNK);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "resume"));
  g_assert_true (g_str_has_prefix (part->stage, "upload:"));
  stage = g_strdup (part->stage);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 0);
  status_reset (env);

  /* Not finished: find_part says it can go again (publish_part resumes). */
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  status_reset (env);

  sd_fake_youtube_stall_uploads_after (env->fake, -1);
  puts = sd_fake_youtube_get_n_upload_puts (env->fake);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, ==, stage);
  /* One query, then the three chunks left (not the first again). */
  g_assert_cmpuint (sd_fake_youtube_get_n_upload_puts (env->fake) - puts, ==, 4);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
  received = sd_fake_youtube_dup_video_sha256 (env->fake, part->remote_id);
  g_assert_cmpstr (received, ==, sum);
}

/* A staged session that expired unfinished: a new upload. */
static void
test_expired_session (Env          *env,
                      gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Expired session", 2 * CHUNK, NULL);
  g_autofree char *old_stage = NULL;

  sd_fake_youtube_stall_uploads_after (env->fake, CHUNK);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  old_stage = g_strdup (part->stage);
  sd_fake_youtube_stall_uploads_after (env->fake, -1);
  sd_fake_youtube_expire_sessions (env->fake);
  status_reset (env);

  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  status_reset (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, !=, old_stage);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);

  /* Finished, then expired: found among the uploads, not sent again. */
  status_reset (env);
  {
    g_autoptr(SdPublishPart) again = new_video_part (env, "Expired session", 1000, NULL);

    again->stage = g_strdup (part->stage);
    sd_fake_youtube_expire_sessions (env->fake);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, again, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (again->remote_id, ==, part->remote_id);
  }
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
}

/* Scheduling on YouTube */

static void
test_schedule (Env          *env,
               gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  SdPublishContext later_ctx;
  g_autoptr(SdPublishPart) part = new_video_part (env, "Scheduled", 1000, NULL);
  gint64 at = sd_time_now () + 3600;
  g_autofree char *at_text = sd_time_format_iso8601 (at);
  g_autofree char *moved_text = sd_time_format_iso8601 (at + 1800);
  g_autofree char *video_id = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep2 = NULL;
  JsonObject *status;

  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 900);
  ctx.scheduled_at = at;
  json_object_set_string_member (env->options, SD_OPTION_MADE_FOR_KIDS, "true");
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  video_id = g_strdup (part->remote_id);
  status = json_object_get_object_member (fake_video (env, video_id, &keep), "status");
  g_assert_cmpstr (json_object_get_string_member (status, "privacyStatus"), ==, "private");
  g_assert_cmpstr (json_object_get_string_member (status, "publishAt"), ==, at_text);
  status_reset (env);

  /* In doubt about the scheduling: it is there. */
  {
    g_autoptr(SdPublishPart) doubt = sd_publish_part_new (0, "Scheduled", NULL);

    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, doubt, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (doubt->remote_id, ==, video_id);
  }
  status_reset (env);

  /* The engine's later check (no scheduled_at): held, not yet out. */
  later_ctx = env_context (env);
  later_ctx.options = NULL;
  {
    g_autoptr(SdPublishPart) held = sd_publish_part_new (0, "Scheduled", NULL);

    /* No options: the title is not known, the stage or id must say. */
    held->remote_id = g_strdup (video_id);
    g_assert_cmpint (sd_provider_find_part (env->provider, &later_ctx, held, NULL, &env->status), ==,
                     SD_OUTCOME_UNCERTAIN);
    g_assert_cmpint (env->status.retry_after, >, 0);
  }
  status_reset (env);

  /* Moved: publishAt follows, the kids' flag stays. */
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, video_id, at + 1800, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  status = json_object_get_object_member (fake_video (env, video_id, &keep2), "status");
  g_assert_cmpstr (json_object_get_string_member (status, "publishAt"), ==, moved_text);
  g_assert_cmpstr (json_object_get_string_member (status, "privacyStatus"), ==, "private");
  g_assert_true (json_object_get_boolean_member (status, "selfDeclaredMadeForKids"));
  status_reset (env);

  /* Its time passes: YouTube publishes it, find_part links it. */
  sd_fake_http_advance_clock (sd_fake_youtube_get_http (env->fake), 2 * 3600);
  /* Two hours on, the access token has run out. */
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  status_reset (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  status_reset (env);
  {
    g_autoptr(SdPublishPart) published = sd_publish_part_new (0, "Scheduled", NULL);

    later_ctx.options = env->options;
    g_assert_cmpint (sd_provider_find_part (env->provider, &later_ctx, published, NULL, &env->status), ==,
                     SD_OUTCOME_DONE);
    g_assert_cmpstr (published->remote_id, ==, video_id);
  }
  status_reset (env);

  /* Published: neither moved nor deleted, but reported gone (404) for the engine to link. */
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, video_id, at + 7200, NULL, &env->status), ==,
                   SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 404);
  status_reset (env);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, video_id, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->status.http_status, ==, 404);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 1);
}

static void
test_unschedule (Env          *env,
                 gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_video_part (env, "Cancelled", 1000, NULL);
  g_autoptr(SdPublishPart) unlisted = new_video_part (env, "Unlisted later", 1000, NULL);

  ctx.scheduled_at = sd_time_now () + 3600;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  status_reset (env);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, part->remote_id, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 0);
  status_reset (env);
  /* Again: already gone. */
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, part->remote_id, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_cmpuint (env->status.http_status, ==, 404);
  status_reset (env);

  /* YouTube's scheduler only makes videos public: SocialDesk keeps the others. */
  json_object_set_string_member (env->options, SD_OPTION_PRIVACY, "unlisted");
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, unlisted, NULL, &env->status), ==,
                   SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 3000);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, 0);
}

/* Sign-in and channels */

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
  const char *client_id = "123-app.apps.googleusercontent.com";
  g_autofree char *authorize = sd_oauth2_authorize_url (SD_PLATFORM_YOUTUBE, client_id, redirect, verifier, "st");
  g_autofree char *approve = g_strconcat (authorize, "&sd_fake_approve=" USER, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", approve);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_YOUTUBE);
  SdPublishContext ctx = { 0 };
  SdSignInIdentity *first, *second;

  g_assert_true (g_str_has_prefix (authorize, sd_fake_youtube_get_url (env->fake)));
  g_assert_nonnull (strstr (authorize, "access_type=offline"));
  sd_fake_youtube_add_channel (env->fake, USER, "UCbrand0000000000000000", "Alice's Kitchen", "@aliceskitchen");

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (sd_http_get_session (), msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (location);
  code = query_value (location, "code");
  state = query_value (location, "state");
  g_assert_cmpstr (state, ==, "st");

  g_assert_cmpint (sd_oauth2_exchange_code (sd_http_get_session (), SD_PLATFORM_YOUTUBE, client_id, "GOCSPX-secret",
                                            redirect, code, verifier, &credentials, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_nonnull (credentials->refresh_token);
  status_reset (env);

  ctx.account = blank;
  ctx.credentials = credentials;
  ctx.session = sd_http_get_session ();
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 2);
  first = identities->pdata[0];
  second = identities->pdata[1];
  g_assert_cmpint (sd_account_get_platform (first->account), ==, SD_PLATFORM_YOUTUBE);
  g_assert_cmpstr (sd_account_get_remote_id (first->account), ==, "UC" USER);
  g_assert_cmpstr (sd_account_get_handle (first->account), ==, "alice");
  g_assert_cmpstr (sd_account_get_display_name (first->account), ==, "alice");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (first->account), "https://yt3.ggpht.com/"));
  /* Google's refresh tokens do not run out. */
  g_assert_cmpint (sd_account_get_token_expires_at (first->account), ==, 0);
  g_assert_cmpstr (first->credentials->access_token, ==, credentials->access_token);
  g_assert_cmpstr (first->credentials->refresh_token, ==, credentials->refresh_token);
  g_assert_cmpstr (first->credentials->client_id, ==, client_id);
  g_assert_cmpstr (first->credentials->client_secret, ==, "GOCSPX-secret");
  g_assert_cmpstr (sd_account_get_remote_id (second->account), ==, "UCbrand0000000000000000");
  g_assert_cmpstr (sd_account_get_handle (second->account), ==, "aliceskitchen");
  g_assert_cmpstr (sd_account_get_display_name (second->account), ==, "Alice's Kitchen");
}

static void
test_verify_account (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env);

  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, "alice");
  g_assert_cmpstr (sd_account_get_display_name (env->account), ==, "alice");
  status_reset (env);
  sd_account_set_remote_id (env->account, "UCsomeoneelse");
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_FAILED);
}

/* Every post once, whatever the faults (on every request, drawn). */
static void
test_exactly_once_under_faults (Env          *env,
                                gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  SdFakeHttp *http = sd_fake_youtube_get_http (env->fake);
  const guint n = 20;

  sd_fake_http_set_slow_delay (http, 50);
  /* Drawn from the test seed: a failing run repeats with its --seed. */
  sd_fake_http_set_fault_rate (http, 0.2, g_test_rand_int ());
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Video %u", i);
      g_autofree char *title = g_strdup_printf ("Title %u", i);
      g_autoptr(SdPublishPart) part = new_video_part (env, text, CHUNK + 100 * i + 1, NULL);
      gboolean sent = FALSE;
      SdOutcome outcome = SD_OUTCOME_RETRY;

      json_object_set_string_member (env->options, SD_OPTION_TITLE, title);
      for (guint attempt = 0; attempt < 30 && outcome != SD_OUTCOME_DONE; attempt++)
        {
          status_reset (env);
          /* As the engine: after an attempt, resend only when safe or known absent. */
          if (sent && !sd_provider_resend_is_safe (env->provider, &ctx, part))
            {
              outcome = sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
              if (outcome == SD_OUTCOME_DONE || outcome != SD_OUTCOME_RETRY)
                continue;
              status_reset (env);
            }
          sent = TRUE;
          outcome = sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
          if (outcome == SD_OUTCOME_FAILED)
            g_printerr ("FAILED: %s (%u)\n", env->status.message, env->status.http_status);
          g_assert_cmpint (outcome, !=, SD_OUTCOME_FAILED);
          g_assert_cmpint (outcome, !=, SD_OUTCOME_AUTH);
        }
      g_assert_cmpint (outcome, ==, SD_OUTCOME_DONE);
      g_assert_cmpuint (sd_fake_youtube_count_posts_with_text (env->fake, text), ==, 1);
    }
  sd_fake_http_set_fault_rate (http, 0, 0);
  g_assert_cmpuint (sd_fake_youtube_count_posts (env->fake), ==, n);
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SOCIALDESK_HTTP_TIMEOUT", "20", TRUE);
  g_setenv ("SOCIALDESK_UPLOAD_CHUNK", "262144", TRUE);
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "10", TRUE);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/youtube/publish", test_publish);
  ADD ("/youtube/validation", test_validation);
  ADD ("/youtube/expired-token", test_expired_token);
  ADD ("/youtube/revoked", test_revoked);
  ADD ("/youtube/rate-limited", test_rate_limited);
  ADD ("/youtube/server-errors", test_server_errors);
  ADD ("/youtube/lost-answer", test_lost_answer);
  ADD ("/youtube/stalled-upload", test_stalled_upload);
  ADD ("/youtube/expired-session", test_expired_session);
  ADD ("/youtube/schedule", test_schedule);
  ADD ("/youtube/unschedule", test_unschedule);
  ADD ("/youtube/sign-in", test_sign_in);
  ADD ("/youtube/verify-account", test_verify_account);
  ADD ("/youtube/exactly-once-under-faults", test_exactly_once_under_faults);
#undef ADD

  return g_test_run ();
}
