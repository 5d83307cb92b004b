/* test-linkedin.c — the LinkedIn provider and sign-in against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-linkedin.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-time.h"

#include "fakes/sd-fake-linkedin.h"

#define USER_ID  "782bbtaQ"
#define TOKEN    "alice-access-token"
#define REFRESH  "alice-refresh-token"
#define AUTHOR   "urn:li:person:" USER_ID

typedef struct
{
  SdFakeLinkedin   *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  GPtrArray        *stages;      /* what save_stage kept, in order */
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_linkedin_new ();
  g_setenv ("SOCIALDESK_LINKEDIN_URL", sd_fake_linkedin_get_url (env->fake), TRUE);
  sd_fake_linkedin_add_user (env->fake, USER_ID, "alice", TOKEN, REFRESH);
  env->account = sd_account_new (SD_PLATFORM_LINKEDIN);
  sd_account_set_remote_id (env->account, AUTHOR);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->credentials->refresh_token = g_strdup (REFRESH);
  env->credentials->client_id = g_strdup (SD_FAKE_LINKEDIN_CLIENT_ID);
  env->credentials->client_secret = g_strdup (SD_FAKE_LINKEDIN_CLIENT_SECRET);
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_LINKEDIN);
  env->stages = g_ptr_array_new_with_free_func (g_free);
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_provider_status_clear (&env->status);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->stages, g_ptr_array_unref);
  g_clear_pointer (&env->fake, sd_fake_linkedin_free);
  g_unsetenv ("SOCIALDESK_LINKEDIN_URL");
}

static gboolean
keep_stage (const SdPublishContext *ctx,
            SdPublishPart          *part,
            GError                **error)
{
  Env *env = ctx->stage_data;

  g_ptr_array_add (env->stages, g_strdup (part->stage));
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
    .save_stage = keep_stage,
    .stage_data = env,
  };
  return ctx;
}

static SdPublishPart *
new_part (const char *text)
{
  return sd_publish_part_new (0, text, NULL);
}

static JsonObject *
fake_post (Env        *env,
           const char *urn,
           JsonNode  **keep)
{
  g_autofree char *json = sd_fake_linkedin_dup_post_json (env->fake, urn);

  g_assert_nonnull (json);
  *keep = json_from_string (json, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static char *
write_file (const char *name,
            const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-test-linkedin-XXXXXX", NULL);
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

/* little text */

static void
check_escape (const char *text,
              const char *expected)
{
  g_autofree char *little = sd_linkedin_escape_little (text);
  g_autofree char *back = sd_linkedin_little_to_text (little);
  g_autofree char *shown = sd_fake_linkedin_show_little (little);

  g_assert_cmpstr (little, ==, expected);
  g_assert_cmpstr (back, ==, text);
  /* What LinkedIn shows (as the fake reads little text) is the whole text. */
  g_assert_cmpstr (shown, ==, text);
}

static void
test_escape_little (void)
{
  check_escape ("", "");
  check_escape ("Plain words, no markup.", "Plain words, no markup.");
  check_escape ("a (b) [c] {d} <e> *f* ~g~ |h| \\i",
                "a \\(b\\) \\[c\\] \\{d\\} \\<e\\> \\*f\\* \\~g\\~ \\|h\\| \\\\i");
  check_escape ("mail alice@example.com or @bob", "mail alice\\@example.com or \\@bob");
  check_escape ("snake_case_name", "snake\\_case\\_name");
  /* Hashtags stay hashtags through the documented HashtagTemplate. */
  check_escape ("Hello #GNOME and #GTK4!", "Hello {hashtag|#|GNOME} and {hashtag|#|GTK4}!");
  check_escape ("#open_source first", "{hashtag|#|open\\_source} first");
  check_escape ("(#café)", "\\({hashtag|#|café}\\)");
  /* Not hashtags: only digits, inside a word, a lone sign, in a web address. */
  check_escape ("issue #1 and C# and # alone", "issue \\#1 and C\\# and \\# alone");
  check_escape ("see https://example.com/a_(b)#top now",
                "see https://example.com/a\\_\\(b\\)\\#top now");
  check_escape ("line one\nline #two", "line one\nline {hashtag|#|two}");
  check_escape ("emoji 🎉 #party🎉", "emoji 🎉 {hashtag|#|party}🎉");

  /* What a LinkedIn read-back may hold. */
  {
    g_autofree char *mention = sd_linkedin_little_to_text ("Hello @[Acme Corp](urn:li:organization:1234)!");
    g_autofree char *tag = sd_linkedin_little_to_text ("the future of {hashtag|#|Technology} is");
    g_autofree char *url = sd_linkedin_post_url ("urn:li:share:6844785523593134080");

    g_assert_cmpstr (mention, ==, "Hello Acme Corp!");
    g_assert_cmpstr (tag, ==, "the future of #Technology is");
    g_assert_cmpstr (url, ==, "https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/");
  }
  /* Unescaped, LinkedIn cuts the text short (the reason for all this). */
  {
    g_autofree char *shown = sd_fake_linkedin_show_little ("Going out (for lunch) now");

    g_assert_cmpstr (shown, ==, "Going out ");
  }
}

/* Publishing */

static void
test_publish (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  const char *text = "Shipping SocialDesk 1.0 (finally) — thanks @everyone! #GNOME #OpenSource_2026 [beta]";
  g_autoptr(SdPublishPart) part = new_part (text);
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *little = sd_linkedin_escape_little (text);
  JsonObject *post;
  JsonObject *distribution;

  g_assert_true (SD_IS_LINKEDIN (env->provider));
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_LINKEDIN);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 0);
  g_assert_true (sd_provider_can_refresh (env->provider));
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, part));

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (g_str_has_prefix (part->remote_id, "urn:li:share:"));
  expected_url = g_strconcat ("https://www.linkedin.com/feed/update/", part->remote_id, "/", NULL);
  g_assert_cmpstr (part->remote_url, ==, expected_url);
  g_assert_null (part->stage);
  g_assert_cmpuint (env->stages->len, ==, 0);

  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_linkedin_count_posts_with_text (env->fake, text), ==, 1);

  post = fake_post (env, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "author"), ==, AUTHOR);
  g_assert_cmpstr (json_object_get_string_member (post, "commentary"), ==, little);
  g_assert_cmpstr (json_object_get_string_member (post, "visibility"), ==, "PUBLIC");
  g_assert_cmpstr (json_object_get_string_member (post, "lifecycleState"), ==, "PUBLISHED");
  g_assert_false (json_object_get_boolean_member (post, "isReshareDisabledByAuthor"));
  g_assert_false (json_object_has_member (post, "content"));
  distribution = json_object_get_object_member (post, "distribution");
  g_assert_cmpstr (json_object_get_string_member (distribution, "feedDistribution"), ==, "MAIN_FEED");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (distribution, "targetEntities")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (distribution,
                                                                         "thirdPartyDistributionChannels")), ==, 0);
}

static void
test_author_from_userinfo (Env          *env,
                           gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Who am I?");

  /* An account that does not know its URN yet asks /v2/userinfo first. */
  sd_account_set_remote_id (env->account, NULL);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, AUTHOR);

  sd_account_set_remote_id (env->account, NULL);
  g_assert_cmpint (sd_provider_verify_account (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (sd_account_get_remote_id (env->account), ==, AUTHOR);
  g_assert_cmpstr (sd_account_get_display_name (env->account), ==, "alice");
  g_assert_cmpstr (sd_account_get_handle (env->account), ==, "alice@example.com");
  g_assert_true (g_str_has_prefix (sd_account_get_avatar_url (env->account), "https://media.licdn.com/"));
}

static void
test_images (Env          *env,
             gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n not really an image");
  g_autofree char *second = write_file ("second.jpg", "\xff\xd8\xff a second picture, longer");
  g_autoptr(SdPublishPart) one = new_part ("One picture");
  g_autoptr(SdPublishPart) three = new_part ("Three pictures");
  g_autoptr(SdPublishPart) missing = new_part ("A missing file");
  g_autoptr(JsonNode) keep_one = NULL;
  g_autoptr(JsonNode) keep_three = NULL;
  g_autofree char *content_type = NULL;
  JsonObject *post;
  JsonObject *media;
  JsonArray *images;
  gsize size = 0;

  sd_publish_part_add_media (one, photo, "image/png", "A red bicycle (by a wall)", 640, 480);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, one, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_post (env, one->remote_id, &keep_one);
  media = json_object_get_object_member (json_object_get_object_member (post, "content"), "media");
  g_assert_nonnull (media);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (media, "id"), "urn:li:image:"));
  g_assert_cmpstr (json_object_get_string_member (media, "altText"), ==, "A red bicycle (by a wall)");
  g_assert_true (sd_fake_linkedin_get_image (env->fake, json_object_get_string_member (media, "id"),
                                             &size, &content_type));
  g_assert_cmpuint (size, ==, strlen ("\x89PNG\r\n\x1a\n not really an image"));
  g_assert_cmpstr (content_type, ==, "image/png");
  /* The image's URN was kept before the post was made. */
  g_assert_cmpuint (env->stages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (env->stages, 0) + strlen ("images:"), ==,
                   json_object_get_string_member (media, "id"));

  sd_publish_part_add_media (three, photo, "image/png", "first", 640, 480);
  sd_publish_part_add_media (three, second, "image/jpeg", "", 640, 480);
  sd_publish_part_add_media (three, photo, "image/png", "third", 640, 480);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, three, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_post (env, three->remote_id, &keep_three);
  images = json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (post, "content"),
                                                                        "multiImage"), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 0), "altText"), ==, "first");
  g_assert_false (json_object_has_member (json_array_get_object_element (images, 1), "altText"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 2), "altText"), ==, "third");
  g_assert_cmpuint (sd_fake_linkedin_count_images (env->fake), ==, 4);

  sd_publish_part_add_media (missing, "/nonexistent/socialdesk.png", "image/png", "", 1, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, missing, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "socialdesk.png"));
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 2);

  remove_file (photo);
  remove_file (second);
}

static void
test_video_refused (Env          *env,
                    gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *clip = write_file ("clip.mp4", "not really a video");
  g_autoptr(SdPublishPart) part = new_part ("A clip");

  sd_publish_part_add_media (part, clip, "video/mp4", "", 1280, 720);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "video"));
  g_assert_cmpuint (sd_fake_http_get_n_requests (sd_fake_linkedin_get_http (env->fake)), ==, 0);
  remove_file (clip);

  /* Nor threads. */
  {
    g_autoptr(SdPublishPart) first = new_part ("First");
    g_autoptr(SdPublishPart) second = new_part ("Second");

    first->remote_id = g_strdup ("urn:li:share:1");
    ctx.root = first;
    ctx.parent = first;
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), ==,
                     SD_OUTCOME_FAILED);
    g_assert_nonnull (strstr (env->status.message, "threads"));
    g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
  }
}

static void
test_image_processing_resumes (Env          *env,
                               gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n still processing");
  g_autoptr(SdPublishPart) part = new_part ("A picture LinkedIn takes its time with");
  g_autofree char *stage = NULL;

  sd_fake_linkedin_set_image_processing (env->fake, G_MAXUINT);
  sd_publish_part_add_media (part, photo, "image/png", "slow", 640, 480);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_nonnull (strstr (env->status.message, "LinkedIn is still processing"));
  g_assert_true (g_str_has_prefix (part->stage, "images:urn:li:image:"));
  stage = g_strdup (part->stage);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
  g_assert_cmpuint (sd_fake_linkedin_count_images (env->fake), ==, 1);

  /* The engine asks whether it is there: not yet, send again. */
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);

  /* Later LinkedIn is done: the next attempt resumes with the same image. */
  sd_fake_linkedin_set_image_processing (env->fake, 0);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, ==, stage);
  g_assert_cmpuint (sd_fake_linkedin_count_images (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_linkedin_count_posts_with_text (env->fake, part->text), ==, 1);
  remove_file (photo);
}

static void
test_stale_stage_uploads_again (Env          *env,
                                gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n again");
  g_autoptr(SdPublishPart) part = new_part ("The staged image is gone");

  sd_publish_part_add_media (part, photo, "image/png", "", 640, 480);
  part->stage = g_strdup ("images:urn:li:image:D4E10AQunknown");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->stage, !=, "images:urn:li:image:D4E10AQunknown");
  g_assert_cmpuint (sd_fake_linkedin_count_images (env->fake), ==, 1);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
  remove_file (photo);
}

/* Errors */

static void
test_validation (Env          *env,
                 gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *long_text = g_strnfill (3001, 'a');
  g_autoptr(SdPublishPart) part = new_part (long_text);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 422);
  g_assert_nonnull (strstr (env->status.message, "LinkedIn refused the post"));
  g_assert_nonnull (strstr (env->status.message, "exceeds the maximum allowed 3000 characters"));
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
}

static void
test_retired_version (Env          *env,
                      gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Hello from an old SocialDesk");
  const char *version = sd_network_get_info (SD_PLATFORM_LINKEDIN)->api_version;

  sd_fake_linkedin_set_retired_version (env->fake, version);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 426);
  g_assert_nonnull (strstr (env->status.message, version));
  g_assert_nonnull (strstr (env->status.message, "Update SocialDesk"));
  g_assert_nonnull (strstr (env->status.message, "is not active"));
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
}

static void
test_expired_token_refresh (Env          *env,
                            gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After a refresh");

  sd_fake_http_expire_tokens (sd_fake_linkedin_get_http (env->fake), USER_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (env->status.http_status, ==, 401);
  g_assert_nonnull (strstr (env->status.message, "The token used in the request has expired"));
  g_assert_null (strstr (env->status.message, TOKEN));

  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, TOKEN);
  g_assert_cmpstr (env->credentials->refresh_token, !=, REFRESH);
  g_assert_cmpint (env->credentials->expires_at, >, sd_time_now () + 59 * 24 * 3600);
  g_assert_cmpint (env->credentials->refresh_expires_at, >, sd_time_now () + 364 * 24 * 3600);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After a revocation");

  sd_fake_http_revoke_user (sd_fake_linkedin_get_http (env->fake), USER_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Invalid access token"));
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_false (env->credentials->changed);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
}

static void
test_no_refresh_token (Env          *env,
                       gconstpointer data)
{
  SdPublishContext ctx = env_context (env);

  g_clear_pointer (&env->credentials->refresh_token, g_free);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_cmpstr (env->status.message, ==, "LinkedIn needs you to sign in again.");
  g_assert_cmpuint (sd_fake_http_get_n_requests (sd_fake_linkedin_get_http (env->fake)), ==, 0);
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Too many");

  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  /* LinkedIn sends no Retry-After nor rate headers: a minute. */
  g_assert_cmpint (env->status.retry_after, ==, 60);
  g_assert_nonnull (strstr (env->status.message, "APPLICATION DAY limit"));
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpint (env->status.retry_after, ==, 0);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

static void
test_server_error (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Through a 500");

  /* A 500 on the post: LinkedIn may or may not have made it. */
  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (env->status.http_status, ==, 500);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

static void
test_server_error_on_upload (Env          *env,
                             gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n five hundred");
  g_autoptr(SdPublishPart) part = new_part ("A 500 on the image");

  /* A lost image is no post: sending again is safe. */
  sd_publish_part_add_media (part, photo, "image/png", "", 640, 480);
  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_null (part->stage);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
  remove_file (photo);
}

static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("The answer got lost (again) #resilience");
  g_autofree char *seen = NULL;

  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
  g_assert_null (part->remote_id);

  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (g_str_has_prefix (part->remote_id, "urn:li:share:"));
  g_assert_true (g_str_has_suffix (part->remote_url, "/"));
  seen = sd_fake_linkedin_dup_post_text (env->fake, part->remote_id);
  g_assert_cmpstr (seen, ==, part->text);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

static gboolean
only_posts (SdFakeRequest *request,
            gpointer       user_data)
{
  return g_strcmp0 (request->method, "POST") == 0 && g_strcmp0 (request->path, "/rest/posts") == 0;
}

static void
test_lost_post_with_images (Env          *env,
                            gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  SdFakeHttp *http = sd_fake_linkedin_get_http (env->fake);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n lost post");
  g_autoptr(SdPublishPart) part = new_part ("Same words");
  g_autoptr(SdPublishPart) other = new_part ("Same words");

  /* A post with the same words but without the images is not this one. */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, other, NULL, &env->status), ==, SD_OUTCOME_DONE);

  sd_publish_part_add_media (part, photo, "image/png", "", 640, 480);
  sd_publish_part_add_media (part, photo, "image/png", "", 640, 480);
  sd_fake_http_set_fault_filter (http, only_posts, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_true (g_str_has_prefix (part->stage, "images:"));
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 2);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, !=, other->remote_id);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 2);
  g_assert_cmpuint (sd_fake_linkedin_count_images (env->fake), ==, 2);
  remove_file (photo);
}

static void
test_reset_before (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Never arrived");
  SdOutcome outcome;

  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_RESET_BEFORE, 1);
  outcome = sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
  g_assert_true (outcome == SD_OUTCOME_UNCERTAIN || outcome == SD_OUTCOME_RETRY);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 0);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

static void
test_find_forbidden (Env          *env,
                     gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Cannot look");

  /* Without r_member_social LinkedIn does not show the member's posts. */
  sd_fake_linkedin_set_find_forbidden (env->fake, TRUE);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_nonnull (strstr (env->status.message, "Not enough permissions"));
}

static void
test_find_older_posts (Env          *env,
                       gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  SdFakeHttp *http = sd_fake_linkedin_get_http (env->fake);
  g_autoptr(SdPublishPart) part = new_part ("Not among many");

  /* 30 posts from yesterday, same words: older than the first attempt. */
  sd_fake_http_advance_clock (http, -24 * 3600);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("Old post %u", i);
      g_autoptr(SdPublishPart) old = new_part (i == 0 ? "Not among many" : text);

      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, old, NULL, &env->status), ==, SD_OUTCOME_DONE);
    }
  sd_fake_http_advance_clock (http, 24 * 3600);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);

  /* Without a first attempt time and a full page, nobody can tell. */
  ctx.first_attempt_at = 0;
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
}

static void
test_duplicate (Env          *env,
                gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Said once");
  g_autofree char *first = NULL;

  sd_fake_linkedin_set_reject_duplicates (env->fake, TRUE);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  first = g_strdup (part->remote_id);
  g_clear_pointer (&part->remote_id, g_free);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, first);
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 1);
}

/* Sign-in */

static char *
query_value (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                     G_URI_PARAMS_NONE, NULL);

  return params != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

static void
sign_in (Env            *env,
         SdCredentials **credentials)
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

  authorize = sd_oauth2_authorize_url (SD_PLATFORM_LINKEDIN, SD_FAKE_LINKEDIN_CLIENT_ID, redirect, verifier, "s1");
  g_assert_true (g_str_has_prefix (authorize, sd_fake_linkedin_get_url (env->fake)));
  g_assert_nonnull (strstr (authorize, "/oauth/v2/authorization?"));
  approve = g_strconcat (authorize, "&sd_fake_approve=" USER_ID, NULL);
  msg = soup_message_new ("GET", approve);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (location);
  code = query_value (location, "code");
  state = query_value (location, "state");
  g_assert_cmpstr (state, ==, "s1");

  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_LINKEDIN, SD_FAKE_LINKEDIN_CLIENT_ID,
                                            "wrong-secret", redirect, code, verifier, credentials, NULL,
                                            &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpint (sd_oauth2_exchange_code (session, SD_PLATFORM_LINKEDIN, SD_FAKE_LINKEDIN_CLIENT_ID,
                                            SD_FAKE_LINKEDIN_CLIENT_SECRET, redirect, code, verifier,
                                            credentials, NULL, &env->status), ==, SD_OUTCOME_DONE);
}

static SdSignInIdentity *
list_one_identity (Env           *env,
                   SdCredentials *credentials,
                   GPtrArray     *identities)
{
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_LINKEDIN);
  SdPublishContext ctx = env_context (env);

  ctx.account = blank;
  ctx.credentials = credentials;
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  return g_ptr_array_index (identities, 0);
}

static void
test_sign_in (Env          *env,
              gconstpointer data)
{
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  SdSignInIdentity *identity;
  gint64 now = sd_time_now ();

  sign_in (env, &credentials);
  g_assert_null (credentials->refresh_token);
  identity = list_one_identity (env, credentials, identities);

  g_assert_cmpint (sd_account_get_platform (identity->account), ==, SD_PLATFORM_LINKEDIN);
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, AUTHOR);
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "alice");
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "alice@example.com");
  g_assert_nonnull (sd_account_get_avatar_url (identity->account));
  /* No refresh token: sign in again when the access token runs out (60 days). */
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), >=, now + 5184000 - 5);
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), <=, now + 5184000 + 5);
  g_assert_cmpstr (identity->credentials->access_token, ==, credentials->access_token);
  g_assert_cmpstr (identity->credentials->client_id, ==, SD_FAKE_LINKEDIN_CLIENT_ID);
  g_assert_cmpstr (identity->credentials->client_secret, ==, SD_FAKE_LINKEDIN_CLIENT_SECRET);

  /* The identity publishes. */
  {
    SdPublishContext ctx = env_context (env);
    g_autoptr(SdPublishPart) part = new_part ("Signed in");

    ctx.account = identity->account;
    ctx.credentials = identity->credentials;
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  }
}

static void
test_sign_in_with_refresh (Env          *env,
                           gconstpointer data)
{
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  SdSignInIdentity *identity;
  gint64 now = sd_time_now ();

  sd_fake_linkedin_set_refresh_tokens (env->fake, TRUE);
  sign_in (env, &credentials);
  g_assert_nonnull (credentials->refresh_token);
  identity = list_one_identity (env, credentials, identities);
  /* The refresh token's year decides. */
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), >=, now + 31536000 - 5);
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), <=, now + 31536000 + 5);
  g_assert_cmpstr (identity->credentials->refresh_token, ==, credentials->refresh_token);

  {
    SdPublishContext ctx = env_context (env);

    ctx.account = identity->account;
    ctx.credentials = identity->credentials;
    g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_true (identity->credentials->changed);
  }
}

static void
test_exactly_once_under_faults (Env          *env,
                                gconstpointer data)
{
  SdFakeHttp *http = sd_fake_linkedin_get_http (env->fake);
  SdPublishContext ctx = env_context (env);
  g_autofree char *photo = write_file ("photo.png", "\x89PNG\r\n\x1a\n faults");

  /* The engine's loop in small: publish, and after an uncertain outcome ask
   * find_part before sending again. */
  sd_fake_http_set_slow_delay (http, 50);
  sd_fake_http_set_fault_rate (http, 0.2, 42);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("Post %u (of 40) #faults", i);
      g_autoptr(SdPublishPart) part = new_part (text);
      SdOutcome outcome = SD_OUTCOME_RETRY;
      gboolean check_first = FALSE;

      if (i % 4 == 0)
        sd_publish_part_add_media (part, photo, "image/png", "", 640, 480);
      ctx.first_attempt_at = sd_time_now ();
      for (guint attempt = 0; attempt < 50 && outcome != SD_OUTCOME_DONE; attempt++)
        {
          sd_provider_status_clear (&env->status);
          if (check_first)
            {
              outcome = sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
              if (outcome != SD_OUTCOME_RETRY)
                continue;
            }
          outcome = sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
          g_assert_true (outcome != SD_OUTCOME_FAILED && outcome != SD_OUTCOME_AUTH);
          check_first = outcome == SD_OUTCOME_UNCERTAIN;
        }
      g_assert_cmpint (outcome, ==, SD_OUTCOME_DONE);
      g_assert_cmpuint (sd_fake_linkedin_count_posts_with_text (env->fake, text), ==, 1);
    }
  g_assert_cmpuint (sd_fake_linkedin_count_posts (env->fake), ==, 40);
  g_assert_cmpuint (sd_fake_http_get_n_faults (http), >, 0);
  g_test_message ("%u faults in %u requests", sd_fake_http_get_n_faults (http), sd_fake_http_get_n_requests (http));
  remove_file (photo);
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

  g_test_add_func ("/linkedin/escape-little", test_escape_little);
#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/linkedin/publish", test_publish);
  ADD ("/linkedin/author-from-userinfo", test_author_from_userinfo);
  ADD ("/linkedin/images", test_images);
  ADD ("/linkedin/video-and-thread-refused", test_video_refused);
  ADD ("/linkedin/image-processing-resumes", test_image_processing_resumes);
  ADD ("/linkedin/stale-stage-uploads-again", test_stale_stage_uploads_again);
  ADD ("/linkedin/validation", test_validation);
  ADD ("/linkedin/retired-version", test_retired_version);
  ADD ("/linkedin/expired-token-refresh", test_expired_token_refresh);
  ADD ("/linkedin/revoked", test_revoked);
  ADD ("/linkedin/no-refresh-token", test_no_refresh_token);
  ADD ("/linkedin/rate-limited", test_rate_limited);
  ADD ("/linkedin/server-error", test_server_error);
  ADD ("/linkedin/server-error-on-upload", test_server_error_on_upload);
  ADD ("/linkedin/lost-answer", test_lost_answer);
  ADD ("/linkedin/lost-post-with-images", test_lost_post_with_images);
  ADD ("/linkedin/reset-before", test_reset_before);
  ADD ("/linkedin/find-forbidden", test_find_forbidden);
  ADD ("/linkedin/find-older-posts", test_find_older_posts);
  ADD ("/linkedin/duplicate", test_duplicate);
  ADD ("/linkedin/sign-in", test_sign_in);
  ADD ("/linkedin/sign-in-with-refresh", test_sign_in_with_refresh);
  ADD ("/linkedin/exactly-once-under-faults", test_exactly_once_under_faults);
#undef ADD

  return g_test_run ();
}
