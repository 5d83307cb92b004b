/* test-facebook.c — the Facebook Pages provider and sign-in against the loopback Graph fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-facebook.h"
#include "sd-http.h"
#include "sd-oauth2.h"
#include "sd-time.h"

#include "fakes/sd-fake-meta.h"

#define PERSON_ID    "10158000000000001"
#define PERSON_TOKEN "EAAPersonToken"
#define PAGE_ID      "104000000000001"
#define PAGE_TOKEN   "EAAPageToken"


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

G_GNUC_UNUSED static gboolean
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
  env->fake = sd_fake_facebook_new ();
  g_setenv ("SOCIALDESK_FACEBOOK_URL", sd_fake_meta_get_url (env->fake), TRUE);
  sd_fake_meta_add_user (env->fake, PERSON_ID, "alice", PERSON_TOKEN, NULL);
  sd_fake_meta_add_page (env->fake, PERSON_ID, PAGE_ID, "Alice Bakery", PAGE_TOKEN);
  env->account = sd_account_new (SD_PLATFORM_FACEBOOK);
  sd_account_set_remote_id (env->account, PAGE_ID);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (PAGE_TOKEN);
  env->credentials->refresh_token = g_strdup (PERSON_TOKEN);
  env->credentials->client_id = g_strdup ("meta-client");
  env->credentials->client_secret = g_strdup ("meta-secret");
  env->provider = SD_PROVIDER (sd_facebook_new ());
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

static SdPublishPart *
new_part (const char *text)
{
  g_autofree char *key = g_uuid_string_random ();

  return sd_publish_part_new (0, text, key);
}

static void
clear_status (Env *env)
{
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
}

/* Publishing */

static void
test_text_post (Env          *env,
                gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Fresh bread at 7 https://example.com/bread");
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *last = NULL;
  JsonObject *post;

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  last = sd_fake_meta_dup_last_post_id (env->fake);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_true (g_str_has_prefix (part->remote_id, PAGE_ID "_"));
  g_assert_nonnull (part->remote_url);
  g_assert_true (g_str_has_suffix (part->remote_url, part->remote_id));
  g_assert_cmpint (env->status.retry_after, ==, 0);

  post = fake_object (env->fake, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "message"), ==, part->text);
  g_assert_true (json_object_get_boolean_member (post, "published"));
  g_assert_cmpstr (json_object_get_string_member (post, "owner"), ==, PAGE_ID);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
  g_assert_cmpint (sd_provider_get_platform (env->provider), ==, SD_PLATFORM_FACEBOOK);
  g_assert_cmpint (sd_provider_min_schedule_ahead (env->provider), ==, 600);
  g_assert_false (sd_provider_resend_is_safe (env->provider, &ctx, part));
}

static void
test_photo_posts (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) one = new_part ("One loaf");
  g_autoptr(SdPublishPart) three = new_part ("Three loaves");
  g_autofree char *photo = media_file ("loaf.jpg");
  g_autoptr(JsonNode) keep_one = NULL;
  g_autoptr(JsonNode) keep_three = NULL;
  JsonObject *post;
  JsonArray *attached;

  sd_publish_part_add_media (one, photo, "image/jpeg", "A loaf on a board", 800, 600);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, one, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_object (env->fake, one->remote_id, &keep_one);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "PHOTO");
  g_assert_cmpstr (json_object_get_string_member (post, "message"), ==, "One loaf");
  g_assert_cmpstr (json_object_get_string_member (post, "alt_text"), ==, "A loaf on a board");
  g_assert_null (one->stage);

  for (guint i = 0; i < 3; i++)
    sd_publish_part_add_media (three, photo, "image/jpeg", "", 800, 600);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, three, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_object (env->fake, three->remote_id, &keep_three);
  attached = json_object_get_array_member (post, "attached_media");
  g_assert_cmpuint (json_array_get_length (attached), ==, 3);
  g_assert_nonnull (three->stage);
  g_assert_true (g_str_has_prefix (three->stage, "photos:"));
  g_assert_nonnull (strstr (three->stage, json_array_get_string_element (attached, 2)));
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 2);
  g_assert_cmpuint (sd_fake_meta_count_uploads (env->fake), ==, 3);
}

static void
test_video_post (Env          *env,
                 gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Kneading, in slow motion");
  g_autofree char *video = media_file ("knead.mp4");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  sd_publish_part_add_media (part, video, "video/mp4", "", 1280, 720);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_object (env->fake, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (post, "media_type"), ==, "VIDEO");
  g_assert_cmpstr (json_object_get_string_member (post, "message"), ==, "Kneading, in slow motion");
  g_assert_nonnull (part->remote_url);
}

static void
test_refused (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Buy followers now");

  sd_fake_meta_set_refused_text (env->fake, "Buy followers");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "This post goes against our Community Standards."));
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 0);
}

/* Sign-in trouble */

static void
test_expired_then_refreshed (Env          *env,
                             gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After the token ran out");

  sd_fake_http_expire_tokens (sd_fake_meta_get_http (env->fake), PAGE_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Session has expired"));
  g_assert_null (strstr (env->status.message, PAGE_TOKEN));
  clear_status (env);

  g_assert_true (sd_provider_can_refresh (env->provider));
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (env->credentials->changed);
  g_assert_cmpstr (env->credentials->access_token, !=, PAGE_TOKEN);
  clear_status (env);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("After the sign-in was revoked");

  sd_fake_http_revoke_user (sd_fake_meta_get_http (env->fake), PAGE_ID);
  sd_fake_http_revoke_user (sd_fake_meta_get_http (env->fake), PERSON_ID);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  clear_status (env);
  g_assert_cmpint (sd_provider_refresh_credentials (env->provider, &ctx, NULL, &env->status), ==, SD_OUTCOME_AUTH);
  g_assert_nonnull (strstr (env->status.message, "Sign in again"));
  g_assert_false (env->credentials->changed);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_AUTH);
}

/* Faults */

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Too many calls");

  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_nonnull (strstr (env->status.message, "too many calls"));
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 0);
}

static void
test_usage_spent (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Near the limit");

  sd_fake_meta_set_usage_spent (env->fake, TRUE);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  /* X-App-Usage at 100 % without a time: an hour; the BUC header's 5 minutes are shorter. */
  g_assert_cmpint (env->status.retry_after, >=, 5 * 60);
}

static void
test_server_error (Env          *env,
                   gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Through a 500");

  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_500, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  clear_status (env);
  /* Nothing was made: find_part says it may be sent again. */
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  clear_status (env);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_meta_count_posts_with_text (env->fake, "Through a 500"), ==, 1);
}

static void
test_lost_answer (Env          *env,
                  gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("The answer got lost");
  g_autofree char *last = NULL;

  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  clear_status (env);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  last = sd_fake_meta_dup_last_post_id (env->fake);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_nonnull (part->remote_url);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

/* Server scheduling */

static void
test_schedule (Env          *env,
               gconstpointer data)
{
  SdFakeHttp *http = sd_fake_meta_get_http (env->fake);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Tomorrow's special");
  g_autoptr(SdPublishPart) gone = new_part ("Never mind");
  g_autoptr(SdPublishPart) far = new_part ("Next year");
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep_gone = NULL;
  g_autofree char *id = NULL;
  JsonObject *post;
  gint64 now = sd_time_now ();

  ctx.scheduled_at = now + 3600;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  id = g_strdup (part->remote_id);
  post = fake_object (env->fake, id, &keep);
  g_assert_false (json_object_get_boolean_member (post, "published"));
  g_assert_cmpint (json_object_get_int_member (post, "scheduled_publish_time"), ==, now + 3600);
  clear_status (env);

  /* Held by Facebook, not published: there, but not out. */
  ctx.scheduled_at = 0;
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (env->status.retry_after, >, 3000);
  clear_status (env);

  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, id, now + 7200, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_clear_pointer (&keep, json_node_unref);
  post = fake_object (env->fake, id, &keep);
  g_assert_cmpint (json_object_get_int_member (post, "scheduled_publish_time"), ==, now + 7200);
  clear_status (env);

  /* Its time comes: Facebook publishes it; find_part (from the stage or the feed) links it. */
  sd_fake_http_advance_clock (http, 7300);
  g_clear_pointer (&part->remote_id, g_free);
  ctx.first_attempt_at = now;
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, id);
  g_assert_nonnull (part->remote_url);
  clear_status (env);
  g_free (part->stage);
  part->stage = NULL;
  g_clear_pointer (&part->remote_id, g_free);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (part->remote_id, ==, id);
  clear_status (env);

  /* Unscheduling a published post never deletes it: "gone from the schedule" (404). */
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, id, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->status.http_status, ==, 404);
  g_clear_pointer (&keep, json_node_unref);
  post = fake_object (env->fake, id, &keep);
  g_assert_false (json_object_get_boolean_member (post, "deleted"));
  clear_status (env);
  g_assert_cmpint (sd_provider_reschedule (env->provider, &ctx, id, sd_time_now () + 7200, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 404);
  clear_status (env);

  /* A scheduled post taken back is deleted. */
  ctx.scheduled_at = sd_fake_http_now (http) + 3600;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, gone, NULL, &env->status), ==, SD_OUTCOME_DONE);
  clear_status (env);
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, gone->remote_id, NULL, &env->status), ==, SD_OUTCOME_DONE);
  post = fake_object (env->fake, gone->remote_id, &keep_gone);
  g_assert_true (json_object_get_boolean_member (post, "deleted"));
  clear_status (env);
  /* Twice: already gone. */
  g_assert_cmpint (sd_provider_unschedule (env->provider, &ctx, gone->remote_id, NULL, &env->status), ==, SD_OUTCOME_DONE);
  clear_status (env);

  /* Beyond six months: refused with a clear message, nothing sent. */
  ctx.scheduled_at = sd_time_now () + 200 * 24 * 3600;
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, far, NULL, &env->status), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "six months"));
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

static void
test_schedule_lost_answer (Env          *env,
                           gconstpointer data)
{
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = new_part ("Scheduled, answer lost");
  g_autofree char *last = NULL;

  ctx.scheduled_at = sd_time_now () + 3600;
  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_schedule_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_UNCERTAIN);
  clear_status (env);
  /* The engine asks with the schedule's time: Facebook holds it, so it is done. */
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  last = sd_fake_meta_dup_last_post_id (env->fake);
  g_assert_cmpstr (part->remote_id, ==, last);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

/* Sign-in */

static void
test_sign_in (Env          *env,
              gconstpointer data)
{
  g_autofree char *redirect = g_strdup ("http://127.0.0.1:43117/socialdesk/oauth");
  g_autofree char *authorize = sd_oauth2_authorize_url (SD_PLATFORM_FACEBOOK, "meta-client", redirect,
                                                        "verifier-0123456789-0123456789-0123456789-0123", "state-1");
  g_autofree char *code = NULL;
  g_autoptr(SdCredentials) user = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  g_autoptr(SdAccount) blank = sd_account_new (SD_PLATFORM_FACEBOOK);
  SdPublishContext ctx = { 0 };
  SdSignInIdentity *identity;

  g_assert_true (g_str_has_prefix (authorize, sd_fake_meta_get_url (env->fake)));
  code = approve (authorize, PERSON_ID);
  g_assert_nonnull (code);
  g_assert_cmpint (sd_oauth2_exchange_code (sd_http_get_session (), SD_PLATFORM_FACEBOOK, "meta-client", "meta-secret",
                                            redirect, code, "verifier-0123456789-0123456789-0123456789-0123",
                                            &user, NULL, &env->status), ==, SD_OUTCOME_DONE);
  clear_status (env);

  ctx.account = blank;
  ctx.credentials = user;
  ctx.session = sd_http_get_session ();
  g_assert_cmpint (sd_provider_list_identities (env->provider, &ctx, identities, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (identities->len, ==, 1);
  identity = identities->pdata[0];
  g_assert_cmpint (sd_account_get_platform (identity->account), ==, SD_PLATFORM_FACEBOOK);
  g_assert_cmpstr (sd_account_get_remote_id (identity->account), ==, PAGE_ID);
  g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Alice Bakery");
  g_assert_cmpstr (sd_account_get_handle (identity->account), ==, "alice.bakery");
  g_assert_nonnull (sd_account_get_avatar_url (identity->account));
  g_assert_cmpint (sd_account_get_token_expires_at (identity->account), ==, 0);
  g_assert_cmpstr (identity->credentials->access_token, ==, PAGE_TOKEN);
  g_assert_nonnull (identity->credentials->refresh_token);
  g_assert_cmpstr (identity->credentials->refresh_token, !=, user->access_token);
  g_assert_cmpstr (identity->credentials->client_id, ==, "meta-client");
  g_assert_cmpstr (identity->credentials->client_secret, ==, "meta-secret");
  g_assert_cmpint (identity->credentials->refresh_expires_at, >, sd_time_now () + 50 * 24 * 3600);
  clear_status (env);

  /* The identity publishes and verifies as the Page. */
  {
    SdPublishContext page_ctx = { identity->account, identity->credentials, sd_http_get_session () };
    g_autoptr(SdPublishPart) part = new_part ("Hello from the new sign-in");

    g_assert_cmpint (sd_provider_verify_account (env->provider, &page_ctx, NULL, &env->status), ==, SD_OUTCOME_DONE);
    g_assert_cmpstr (sd_account_get_display_name (identity->account), ==, "Alice Bakery");
    g_assert_cmpint (sd_provider_publish_part (env->provider, &page_ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sd-test-facebook-XXXXXX", NULL);
  sd_http_get_session ();

#define ADD(name, func) g_test_add (name, Env, NULL, env_setup, func, env_teardown)
  ADD ("/facebook/text-post", test_text_post);
  ADD ("/facebook/photo-posts", test_photo_posts);
  ADD ("/facebook/video-post", test_video_post);
  ADD ("/facebook/refused", test_refused);
  ADD ("/facebook/expired-then-refreshed", test_expired_then_refreshed);
  ADD ("/facebook/revoked", test_revoked);
  ADD ("/facebook/rate-limited", test_rate_limited);
  ADD ("/facebook/usage-spent", test_usage_spent);
  ADD ("/facebook/server-error", test_server_error);
  ADD ("/facebook/lost-answer", test_lost_answer);
  ADD ("/facebook/schedule", test_schedule);
  ADD ("/facebook/schedule-lost-answer", test_schedule_lost_answer);
  ADD ("/facebook/sign-in", test_sign_in);
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
