/* test-x.c — the X provider and sign-in against the loopback fake
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
#include "sd-time.h"
#include "sd-x.h"

#include "fakes/sd-fake-x.h"

#define USER_ID   "2244994945"
#define USERNAME  "alice"
#define TOKEN     "alice-access"
#define REFRESH   "alice-refresh"
#define CLIENT_ID "socialdesk-client"

typedef struct
{
  SdFakeX          *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  char             *dir;
  SdProviderStatus  status;
  guint             upload_calls;   /* for the fault filter */
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_x_new ();
  g_setenv ("SOCIALDESK_X_URL", sd_fake_x_get_url (env->fake), TRUE);
  sd_fake_x_add_user (env->fake, USER_ID, USERNAME, TOKEN, REFRESH);
  env->account = sd_account_new (SD_PLATFORM_X);
  sd_account_set_remote_id (env->account, USER_ID);
  sd_account_set_handle (env->account, USERNAME);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->credentials->refresh_token = g_strdup (REFRESH);
  env->credentials->client_id = g_strdup (CLIENT_ID);
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_X);
  g_assert_true (SD_IS_X (env->provider));
  env->dir = g_dir_make_tmp ("test-x-XXXXXX", NULL);
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
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_x_free);
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
  return sd_publish_part_new (0, text, NULL);
}

/* A file of @size bytes in the test's folder. */
static char *
make_file (Env        *env,
           const char *name,
           gsize       size)
{
  g_autofree guint8 *data = g_malloc (size);
  char *path = g_build_filename (env->dir, name, NULL);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + 7);
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return path;
}

static JsonObject *
parse_object (char      *json,
              JsonNode **keep)
{
  g_autofree char *owned = json;

  g_assert_nonnull (owned);
  *keep = json_from_string (owned, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static JsonObject *
fake_post (Env        *env,
           const char *id,
           JsonNode  **keep)
{
  return parse_object (sd_fake_x_dup_post_json (env->fake, id), keep);
}

static JsonObject *
fake_media (Env        *env,
            const char *id,
            JsonNode  **keep)
{
  return parse_object (sd_fake_x_dup_media_json (env->fake, id), keep);
}

static SdOutcome
publish (Env                 *env,
         const SdPublishPart *parent,
         SdPublishPart       *part)
{
  SdPublishContext ctx = env_context (env, parent, parent);

  sd_provider_status_clear (&env->status);
  return sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
}

static SdOutcome
find (Env                 *env,
      const SdPublishPart *parent,
      SdPublishPart       *part)
{
  SdPublishContext ctx = env_context (env, parent, parent);

  sd_provider_status_clear (&env->status);
  return sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
}

/* Publishing */

static void
test_publish_text (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Hello from SocialDesk");
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *url = NULL;
  JsonObject *post;

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->status.http_status, ==, 201);
  g_assert_cmpint (env->status.retry_after, ==, 0);
  g_assert_nonnull (part->remote_id);
  url = g_strdup_printf ("https://x.com/" USERNAME "/status/%s", part->remote_id);
  g_assert_cmpstr (part->remote_url, ==, url);
  g_assert_true (g_str_has_prefix (part->stage, "tweet@"));

  post = fake_post (env, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "author_id"), ==, USER_ID);
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "Hello from SocialDesk");
  g_assert_true (json_object_get_null_member (post, "in_reply_to_tweet_id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (post, "media_ids")), ==, 0);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
  g_assert_false (sd_provider_resend_is_safe (env->provider, NULL, part));
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 0);
}

static void
test_publish_images (Env          *env,
                     gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Two pictures");
  g_autofree char *first = make_file (env, "one.jpg", 2048);
  g_autofree char *second = make_file (env, "two.png", 4096);
  g_autofree char *long_alt = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;
  JsonArray *ids;
  GString *alt = g_string_new (NULL);

  for (guint i = 0; i < 1100; i++)
    g_string_append (alt, "é");
  long_alt = g_string_free (alt, FALSE);
  sd_publish_part_add_media (part, first, "image/jpeg", "A cat on a mat", 800, 600);
  sd_publish_part_add_media (part, second, "image/png", long_alt, 640, 480);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  post = fake_post (env, part->remote_id, &keep);
  ids = json_object_get_array_member (post, "media_ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpuint (sd_fake_x_count_media_uploads (env->fake), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) media_keep = NULL;
      JsonObject *media = fake_media (env, json_array_get_string_element (ids, i), &media_keep);
      const char *text = json_object_get_string_member (media, "alt_text");

      g_assert_cmpstr (json_object_get_string_member (media, "media_category"), ==, "tweet_image");
      g_assert_cmpstr (json_object_get_string_member (media, "media_type"), ==, i == 0 ? "image/jpeg" : "image/png");
      g_assert_cmpint (json_object_get_int_member (media, "received_bytes"), ==, i == 0 ? 2048 : 4096);
      if (i == 0)
        g_assert_cmpstr (text, ==, "A cat on a mat");
      else
        g_assert_cmpint (g_utf8_strlen (text, -1), ==, 1000);  /* cut to X's limit */
    }
}

static void
test_publish_image_only (Env          *env,
                         gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("");
  g_autofree char *image = make_file (env, "only.gif", 3000);
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) media_keep = NULL;
  JsonObject *post;
  JsonObject *media;

  /* A GIF goes through the chunked upload, as tweet_gif. */
  sd_publish_part_add_media (part, image, "image/gif", "Dancing", 0, 0);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  post = fake_post (env, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "");
  media = fake_media (env, json_array_get_string_element (json_object_get_array_member (post, "media_ids"), 0),
                      &media_keep);
  g_assert_cmpstr (json_object_get_string_member (media, "media_category"), ==, "tweet_gif");
  g_assert_cmpint (json_object_get_int_member (media, "segments"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (media, "alt_text"), ==, "Dancing");
}

static void
test_thread (Env          *env,
             gconstpointer data)
{
  g_autoptr(SdPublishPart) first = new_part ("A thread 1/2");
  g_autoptr(SdPublishPart) second = new_part ("A thread 2/2");
  g_autoptr(SdPublishPart) orphan = new_part ("No parent yet");
  g_autoptr(SdPublishPart) missing = new_part ("Parent without id");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  g_assert_cmpint (publish (env, NULL, first), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (publish (env, first, second), ==, SD_OUTCOME_DONE);
  post = fake_post (env, second->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "in_reply_to_tweet_id"), ==, first->remote_id);
  g_assert_cmpstr (json_object_get_string_member (post, "conversation_id"), ==, first->remote_id);
  g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "A thread 2/2");

  /* The part before is not on X. */
  g_assert_cmpint (publish (env, missing, orphan), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 2);
}

static void
test_video_chunked (Env          *env,
                    gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("A video");
  gsize size = 4 * 1024 * 1024 + 12345;  /* two segments */
  g_autofree char *path = make_file (env, "clip.mp4", size);
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) media_keep = NULL;
  JsonObject *post;
  JsonObject *media;

  sd_fake_x_set_processing_polls (env->fake, 2);
  sd_publish_part_add_media (part, path, "video/mp4", "A short clip", 1280, 720);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);

  post = fake_post (env, part->remote_id, &keep);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (post, "media_ids")), ==, 1);
  media = fake_media (env, json_array_get_string_element (json_object_get_array_member (post, "media_ids"), 0),
                      &media_keep);
  g_assert_cmpstr (json_object_get_string_member (media, "media_category"), ==, "tweet_video");
  g_assert_cmpstr (json_object_get_string_member (media, "media_type"), ==, "video/mp4");
  g_assert_cmpint (json_object_get_int_member (media, "total_bytes"), ==, (gint64) size);
  g_assert_cmpint (json_object_get_int_member (media, "received_bytes"), ==, (gint64) size);
  g_assert_cmpint (json_object_get_int_member (media, "segments"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (media, "state"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (media, "alt_text"), ==, "A short clip");
}

static void
test_video_never_finishes (Env          *env,
                           gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("A slow video");
  g_autofree char *path = make_file (env, "slow.mp4", 50000);
  g_autofree char *staged = NULL;

  sd_fake_x_set_processing_polls (env->fake, G_MAXUINT);
  sd_publish_part_add_media (part, path, "video/mp4", "", 0, 0);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "still processing the video"));
  g_assert_true (g_str_has_prefix (part->stage, "media@"));
  g_assert_true (g_str_has_suffix (part->stage, "~"));
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 0);
  g_assert_null (part->remote_id);

  /* Not sent yet: find_part says so without asking X. */
  g_assert_cmpint (find (env, NULL, part), ==, SD_OUTCOME_RETRY);

  /* Still processing on the next attempt: the same upload, polled again. */
  staged = g_strdup (part->stage);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpstr (part->stage, ==, staged);

  /* X finishes: the next attempt resumes and posts once, with no new upload. */
  sd_fake_x_set_processing_polls (env->fake, 0);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_x_count_media_uploads (env->fake), ==, 1);
}

static gboolean
second_upload_only (SdFakeRequest *request,
                    gpointer       user_data)
{
  Env *env = user_data;

  return g_str_equal (request->method, "POST") && g_str_equal (request->path, "/2/media/upload")
         && env->upload_calls++ == 1;
}

static void
test_media_resume (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Resume the uploads");
  g_autofree char *first = make_file (env, "a.jpg", 1000);
  g_autofree char *second = make_file (env, "b.jpg", 1000);

  sd_publish_part_add_media (part, first, "image/jpeg", "", 0, 0);
  sd_publish_part_add_media (part, second, "image/jpeg", "", 0, 0);
  sd_fake_http_set_fault_filter (sd_fake_x_get_http (env->fake), second_upload_only, env);
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_500, 1);

  /* An upload's lost answer is safe to send again. */
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_true (g_str_has_prefix (part->stage, "media@"));
  g_assert_cmpuint (sd_fake_x_count_media_uploads (env->fake), ==, 1);
  sd_fake_http_set_fault_filter (sd_fake_x_get_http (env->fake), NULL, NULL);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_media_uploads (env->fake), ==, 2);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

static void
test_too_many_media (Env          *env,
                     gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Video and image");
  g_autofree char *video = make_file (env, "v.mp4", 100);
  g_autofree char *image = make_file (env, "i.jpg", 100);

  sd_publish_part_add_media (part, video, "video/mp4", "", 0, 0);
  sd_publish_part_add_media (part, image, "image/jpeg", "", 0, 0);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (sd_fake_x_count_media_uploads (env->fake), ==, 0);
}

/* Refusals */

static void
test_validation_error (Env          *env,
                       gconstpointer data)
{
  g_autofree char *text = g_strnfill (300, 'a');
  g_autoptr(SdPublishPart) part = new_part (text);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 403);
  g_assert_nonnull (strstr (env->status.message, "X refused the post"));
  g_assert_nonnull (strstr (env->status.message, "Your Tweet text is too long."));
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 0);
}

static void
test_duplicate_first_send (Env          *env,
                           gconstpointer data)
{
  g_autoptr(SdPublishPart) first = new_part ("Same words");
  g_autoptr(SdPublishPart) again = new_part ("Same words");

  g_assert_cmpint (publish (env, NULL, first), ==, SD_OUTCOME_DONE);
  /* A new post with the same words (never sent before): X's refusal stands. */
  g_assert_cmpint (publish (env, NULL, again), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message,
                            "You are not allowed to create a Tweet with duplicate content."));
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

static void
test_auth_refresh (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("After a refresh");
  SdPublishContext ctx = env_context (env, NULL, NULL);

  sd_fake_http_expire_tokens (sd_fake_x_get_http (env->fake), USER_ID);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (env->status.http_status, ==, 401);
  g_assert_nonnull (strstr (env->status.message, "Unauthorized"));
  g_assert_null (strstr (env->status.message, TOKEN));

  g_assert_true (sd_provider_can_refresh (env->provider));
  sd_provider_status_clear (&env->status);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, TOKEN);
  g_assert_cmpstr (env->credentials->refresh_token, !=, REFRESH);   /* X rotates refresh tokens */
  g_assert_cmpint (env->credentials->expires_at, >, sd_time_now () + 7000);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("After a revocation");
  SdPublishContext ctx = env_context (env, NULL, NULL);

  sd_fake_http_revoke_user (sd_fake_x_get_http (env->fake), USER_ID);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_AUTH);
  sd_provider_status_clear (&env->status);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Value passed for the token was invalid."));
  g_assert_cmpint (find (env, NULL, part), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 0);
}

/* Rate limits */

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Slow down");

  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpint (env->status.retry_after, <=, 3);
  g_assert_nonnull (strstr (env->status.message, "Too Many Requests"));
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 0);

  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

static void
test_rate_spent_on_success (Env          *env,
                            gconstpointer data)
{
  g_autoptr(SdPublishPart) first = new_part ("The last one in the window");
  g_autoptr(SdPublishPart) second = new_part ("One too many");

  sd_fake_x_set_post_limit (env->fake, 1);
  g_assert_cmpint (publish (env, NULL, first), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (env->status.retry_after, >, 800);   /* the 15-minute window */
  g_assert_cmpint (env->status.retry_after, <=, 900);

  g_assert_cmpint (publish (env, NULL, second), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 800);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

/* Lost answers */

static void
test_server_error (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Through a 500");

  /* A 500 on a write without idempotency: X may have made it. */
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (env->status.http_status, ==, 500);
  g_assert_cmpint (find (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);

  /* A 500 on a read is only a retry. */
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_500, 1);
  {
    SdPublishContext ctx = env_context (env, NULL, NULL);

    sd_provider_status_clear (&env->status);
    g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  }
}

static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  const char *text = "Read https://example.com/a?b=1&c=2 <now> & later";
  g_autoptr(SdPublishPart) part = new_part (text);
  g_autofree char *url = NULL;

  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_null (part->remote_id);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);

  /* X shows the link as t.co and escapes & < >: it is still found. */
  g_assert_cmpint (find (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  url = g_strdup_printf ("https://x.com/" USERNAME "/status/%s", part->remote_id);
  g_assert_cmpstr (part->remote_url, ==, url);
  g_assert_cmpuint (sd_fake_x_count_posts_with_text (env->fake, text), ==, 1);
}

static void
test_find_thread_media (Env          *env,
                        gconstpointer data)
{
  g_autoptr(SdPublishPart) first = new_part ("The start of a thread");
  g_autoptr(SdPublishPart) reply = new_part ("The reply");
  g_autoptr(SdPublishPart) other = new_part ("The reply");
  g_autofree char *image = make_file (env, "r.jpg", 500);
  g_autofree char *made = NULL;

  g_assert_cmpint (publish (env, NULL, first), ==, SD_OUTCOME_DONE);
  sd_publish_part_add_media (reply, image, "image/jpeg", "", 0, 0);
  g_assert_cmpint (publish (env, first, reply), ==, SD_OUTCOME_DONE);
  made = g_strdup (reply->remote_id);

  /* The same words, but not as a reply to @first: not it. */
  g_assert_cmpint (find (env, NULL, other), ==, SD_OUTCOME_RETRY);
  /* As a reply to @first with an image (X ends the text with the media link): it is. */
  g_clear_pointer (&reply->remote_id, g_free);
  g_assert_cmpint (find (env, first, reply), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (reply->remote_id, ==, made);
}

static void
test_lost_answer_resend (Env          *env,
                         gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Sent twice, made once");
  char *made_id;

  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_true (g_str_has_prefix (part->stage, "tweet@"));

  /* Sent again anyway: X calls it a duplicate, which links the first one. */
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
  made_id = g_strdup (part->remote_id);
  g_assert_nonnull (made_id);
  {
    g_autoptr(JsonNode) keep = NULL;
    JsonObject *post = fake_post (env, made_id, &keep);

    g_assert_cmpstr (json_object_get_string_member (post, "text"), ==, "Sent twice, made once");
  }
  g_free (made_id);
}

static void
test_reset_before (Env          *env,
                   gconstpointer data)
{
  g_autoptr(SdPublishPart) part = new_part ("Dropped unread");

  /* The connection drops after the request went out: SocialDesk cannot tell. */
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_BEFORE, 1);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (find (env, NULL, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 1);
}

static void
test_find_pages (Env          *env,
                 gconstpointer data)
{
  g_autoptr(SdPublishPart) target = new_part ("The oldest of many");

  sd_fake_x_set_post_limit (env->fake, 1000);
  g_assert_cmpint (publish (env, NULL, target), ==, SD_OUTCOME_DONE);
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *text = g_strdup_printf ("Filler %u", i);
      g_autoptr(SdPublishPart) part = new_part (text);

      g_assert_cmpint (publish (env, NULL, part), ==, SD_OUTCOME_DONE);
    }
  {
    g_autofree char *id = g_strdup (target->remote_id);

    g_clear_pointer (&target->remote_id, g_free);
    g_assert_cmpint (find (env, NULL, target), ==, SD_OUTCOME_DONE);   /* on the second page */
    g_assert_cmpstr (target->remote_id, ==, id);
  }
}

/* What the sync engine does with a part, in short: send; after an uncertain
 * outcome ask find_part until it can tell; send again only when it says the
 * post is not there (X has no idempotency key). */
static SdOutcome
deliver (Env           *env,
         SdPublishPart *part)
{
  SdOutcome outcome = SD_OUTCOME_RETRY;
  gboolean check_first = FALSE;

  for (guint step = 0; step < 100; step++)
    {
      outcome = check_first ? find (env, NULL, part) : publish (env, NULL, part);
      if (outcome == SD_OUTCOME_DONE || outcome == SD_OUTCOME_FAILED || outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome == SD_OUTCOME_UNCERTAIN)
        check_first = TRUE;
      else if (outcome == SD_OUTCOME_RETRY)
        check_first = FALSE;
    }
  return outcome;
}

static void
test_faults_exactly_once (Env          *env,
                          gconstpointer data)
{
  SdFakeHttp *http = sd_fake_x_get_http (env->fake);
  g_autofree char *image = make_file (env, "f.jpg", 800);

  sd_fake_x_set_post_limit (env->fake, 10000);
  sd_fake_http_set_slow_delay (http, 20);
  sd_fake_http_set_fault_rate (http, 0.2, 4242);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = g_strdup_printf ("Fault run %u https://example.com/%u & more", i, i);
      g_autoptr(SdPublishPart) part = new_part (text);

      if (i % 3 == 0)
        sd_publish_part_add_media (part, image, "image/jpeg", "alt", 0, 0);
      g_assert_cmpint (deliver (env, part), ==, SD_OUTCOME_DONE);
      g_assert_nonnull (part->remote_id);
      g_assert_cmpuint (sd_fake_x_count_posts_with_text (env->fake, text), ==, 1);
    }
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 60);
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >, 10);
}

/* The account and the sign-in */

static void
test_verify_account (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env, NULL, NULL);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_X);

  ctx.account = blank;
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (blank), ==, USER_ID);
  g_assert_cmpstr (sd_account_get_handle (blank), ==, USERNAME);
  g_assert_cmpstr (sd_account_get_display_name (blank), ==, "Alice");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (blank), sd_fake_x_get_url (env->fake)));
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_X);
}

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
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const char *state = "st4te";
  const char *new_user = "1500000000000000001";
  g_autofree char *redirect = sd_network_redirect_uri ();
  g_autofree char *authorize = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *code = NULL;
  g_autofree char *returned_state = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_X);
  SoupSession *session = sd_http_get_session ();
  SdSignInIdentity *identity;
  SdPublishContext ctx;

  sd_fake_x_add_user (env->fake, new_user, "bob", NULL, NULL);
  authorize = sd_oauth2_authorize_url (SD_PLATFORM_X, CLIENT_ID, redirect, verifier, state);
  g_assert_true (g_str_has_prefix (authorize, sd_fake_x_get_url (env->fake)));
  g_assert_nonnull (strstr (authorize, "offline.access"));
  approve = g_strconcat (authorize, "&sd_fake_approve=", new_user, NULL);
  msg = soup_message_new ("GET", approve);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (location);
  code = query_value (location, "code");
  returned_state = query_value (location, "state");
  g_assert_nonnull (code);
  g_assert_cmpstr (returned_state, ==, state);

  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_X, CLIENT_ID, NULL, redirect, code, verifier,
                                            &credentials, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (credentials->access_token);
  g_assert_nonnull (credentials->refresh_token);

  ctx = env_context (env, NULL, NULL);
  ctx.account = blank;
  ctx.credentials = credentials;
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  identity = g_ptr_array_index (identities, 0);
  g_assert_cmpint (sd_account_get_platform (identity->account), ==, SD_PLATFORM_X);
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, new_user);
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "bob");
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Bob");
  g_assert_nonnull (sd_account_get_avatar_url (identity->account));
  /* The refresh token keeps the sign-in alive; X gives it no expiry. */
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), ==, 0);
  g_assert_cmpstr (identity->credentials->access_token, ==, credentials->access_token);
  g_assert_cmpstr (identity->credentials->refresh_token, ==, credentials->refresh_token);
  g_assert_cmpstr (identity->credentials->client_id, ==, CLIENT_ID);

  /* The code is spent. */
  {
    g_autoptr(SdCredentials) again = NULL;

    g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_X, CLIENT_ID, NULL, redirect, code, verifier,
                                              &again, NULL, &env->status), ==, SD_OUTCOME_FAILED);
    g_assert_null (again);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Before any thread starts (the fakes' URL is set per test). */
  g_setenv ("SOCIALDESK_POLL_INTERVAL_MS", "5", TRUE);
  g_setenv ("SOCIALDESK_POLL_ATTEMPTS", "3", TRUE);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/x/publish/text", test_publish_text);
  ADD ("/x/publish/images", test_publish_images);
  ADD ("/x/publish/image-only", test_publish_image_only);
  ADD ("/x/publish/thread", test_thread);
  ADD ("/x/publish/video", test_video_chunked);
  ADD ("/x/publish/video-never-finishes", test_video_never_finishes);
  ADD ("/x/publish/media-resume", test_media_resume);
  ADD ("/x/publish/too-many-media", test_too_many_media);
  ADD ("/x/refused/validation", test_validation_error);
  ADD ("/x/refused/duplicate", test_duplicate_first_send);
  ADD ("/x/auth/refresh", test_auth_refresh);
  ADD ("/x/auth/revoked", test_revoked);
  ADD ("/x/rate/429", test_rate_limited);
  ADD ("/x/rate/spent-on-success", test_rate_spent_on_success);
  ADD ("/x/lost/server-error", test_server_error);
  ADD ("/x/lost/reset-after", test_lost_answer);
  ADD ("/x/find/thread-media", test_find_thread_media);
  ADD ("/x/lost/resend-duplicate", test_lost_answer_resend);
  ADD ("/x/lost/reset-before", test_reset_before);
  ADD ("/x/find/pages", test_find_pages);
  ADD ("/x/faults/exactly-once", test_faults_exactly_once);
  ADD ("/x/account/verify", test_verify_account);
  ADD ("/x/account/sign-in", test_sign_in);
#undef ADD

  return g_test_run ();
}
