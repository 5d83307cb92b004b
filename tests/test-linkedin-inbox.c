/* test-linkedin-inbox.c — the LinkedIn provider's inbox (comments) against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-linkedin.h"
#include "sd-time.h"

#include "fakes/sd-fake-linkedin.h"

#define USER_ID  "782bbtaQ"
#define TOKEN    "alice-access-token"
#define AUTHOR   "urn:li:person:" USER_ID
#define BOB      "urn:li:person:bobBOB12"
#define CAROL    "urn:li:person:carolC34"

typedef struct
{
  SdFakeLinkedin   *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  SdProviderStatus  status;
  SdInboxPage       page;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_linkedin_new ();
  g_setenv ("SOCIALDESK_LINKEDIN_URL", sd_fake_linkedin_get_url (env->fake), TRUE);
  sd_fake_linkedin_add_user (env->fake, USER_ID, "alice", TOKEN, NULL);
  env->account = sd_account_new (SD_PLATFORM_LINKEDIN);
  sd_account_set_remote_id (env->account, AUTHOR);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_LINKEDIN);
  sd_inbox_page_init (&env->page);
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_inbox_page_clear (&env->page);
  sd_provider_status_clear (&env->status);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->fake, sd_fake_linkedin_free);
  g_unsetenv ("SOCIALDESK_LINKEDIN_URL");
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

/* One of our posts, made through the provider; returns its URN. */
static char *
our_post (Env        *env,
          const char *text)
{
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, text, NULL);
  SdPublishContext ctx = env_context (env);

  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  return g_strdup (part->remote_id);
}

static SdOutcome
fetch (Env        *env,
       const char *cursor,
       const char *page_token)
{
  SdPublishContext ctx = env_context (env);

  sd_inbox_page_clear (&env->page);
  sd_inbox_page_init (&env->page);
  return sd_provider_fetch_inbox (env->provider, &ctx, "comments", cursor, page_token, &env->page, NULL,
                                  &env->status);
}

static SdMessage *
page_message (Env        *env,
              const char *remote_id)
{
  for (guint i = 0; i < env->page.messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (env->page.messages, i);

      if (g_strcmp0 (sd_message_get_remote_id (message), remote_id) == 0)
        return message;
    }
  return NULL;
}

static void
test_streams (Env          *env,
              gconstpointer data)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (env->provider, env->account);
  SdInboxStream *stream;

  g_assert_cmpuint (streams->len, ==, 2);
  stream = g_ptr_array_index (streams, 0);
  g_assert_cmpstr (stream->id, ==, "comments");
  g_assert_true (stream->available);
  stream = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (stream->id, ==, "messages");
  g_assert_false (stream->available);
  g_assert_nonnull (strstr (stream->unavailable_reason, "direct messages"));
}

static void
test_first_fetch (Env          *env,
                  gconstpointer data)
{
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *text = g_strdup_printf ("Post %u", i);
      g_autofree char *post = our_post (env, text);

      g_free (sd_fake_linkedin_add_comment (env->fake, post, BOB, "Nice", NULL, 100 - i));
    }
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  /* The newest page of posts only. */
  g_assert_cmpuint (env->page.messages->len, ==, 10);
  g_assert_null (env->page.next_page);
  g_assert_nonnull (env->page.new_cursor);
  g_assert_cmpint (ABS (g_ascii_strtoll (env->page.new_cursor, NULL, 10) - (sd_time_now () - 89) * 1000), <=, 2000);
}

static void
test_incremental (Env          *env,
                  gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *cursor = NULL;
  g_autofree char *fresh = NULL;

  for (guint i = 0; i < 3; i++)
    g_free (sd_fake_linkedin_add_comment (env->fake, post, BOB, "old", NULL, 100 - i));
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  cursor = g_strdup (env->page.new_cursor);

  for (guint i = 0; i < 120; i++)  /* more than two pages of the post's comments */
    g_free (sd_fake_linkedin_add_comment (env->fake, post, CAROL, "new", NULL, 50));
  fresh = sd_fake_linkedin_add_comment (env->fake, post, BOB, "newest", NULL, 1);
  g_assert_cmpint (fetch (env, cursor, NULL), ==, SD_OUTCOME_DONE);
  /* The 121 new ones and the one at the cursor's own millisecond, nothing older. */
  g_assert_cmpuint (env->page.messages->len, ==, 122);
  g_assert_nonnull (page_message (env, fresh));
  g_assert_null (env->page.next_page);
  g_assert_cmpint (ABS (g_ascii_strtoll (env->page.new_cursor, NULL, 10) - (sd_time_now () - 1) * 1000), <=, 2000);
}

static void
test_pagination (Env          *env,
                 gconstpointer data)
{
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, (sd_time_now () - 1000) * 1000);
  g_autofree char *token = NULL;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *post = our_post (env, i % 2 ? "Odd post" : "Even post");

      g_free (sd_fake_linkedin_add_comment (env->fake, post, BOB, "new", NULL, 10));
      g_usleep (2000);  /* distinct creation times, so the finder's order is fixed */
    }
  g_assert_cmpint (fetch (env, cursor, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 10);
  g_assert_cmpstr (env->page.next_page, ==, "10");
  g_assert_nonnull (env->page.new_cursor);
  token = g_strdup (env->page.next_page);
  g_assert_cmpint (fetch (env, cursor, token), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  g_assert_null (env->page.next_page);
  g_assert_null (env->page.new_cursor);
}

static void
test_kinds (Env          *env,
            gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *top = sd_fake_linkedin_add_comment (env->fake, post, BOB, "Great news", NULL, 300);
  g_autofree char *nested = sd_fake_linkedin_add_comment (env->fake, post, CAROL, "Agreed", top, 200);
  g_autofree char *ours = sd_fake_linkedin_add_comment (env->fake, post, AUTHOR, "Thanks", top, 100);
  g_autofree char *escaped = g_uri_escape_string (top, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("https://www.linkedin.com/feed/update/%s/?commentUrn=%s", post, escaped);
  SdMessage *message;

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  message = page_message (env, top);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "comments");
  g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_LINKEDIN);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, BOB);
  g_assert_cmpstr (sd_message_get_text (message), ==, "Great news");
  g_assert_cmpstr (sd_message_get_url (message), ==, url);
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_DELETE);
  g_assert_cmpint (ABS (sd_message_get_sent_at (message) - (sd_time_now () - 300)), <=, 2);
  message = page_message (env, nested);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, top);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, post);
  message = page_message (env, ours);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_OWN);
}

static void
test_hostile (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *markup = sd_fake_linkedin_add_comment (env->fake, post, BOB,
                                                          "<i>hi</i> <span size='99999'>%n</span> &lt;", NULL, 300);
  g_autofree char *broken = sd_fake_linkedin_add_comment (env->fake, post, BOB, "half \\ud800 pair", NULL, 200);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autofree char *big = NULL;

  while (huge->len < 200 * 1024)
    g_string_append (huge, "ça va ");
  big = sd_fake_linkedin_add_comment (env->fake, post, BOB, huge->str, NULL, 100);

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  g_assert_cmpstr (sd_message_get_text (page_message (env, markup)), ==, "<i>hi</i> <span size='99999'>%n</span> &lt;");
  g_assert_true (g_utf8_validate (sd_message_get_text (page_message (env, broken)), -1, NULL));
  g_assert_null (strstr (sd_message_get_text (page_message (env, broken)), "\\u"));
  g_assert_true (g_utf8_validate (sd_message_get_text (page_message (env, big)), -1, NULL));
  g_assert_cmpuint (strlen (sd_message_get_text (page_message (env, big))), <=, 64 * 1024);
}

static gboolean
only_comment_posts (SdFakeRequest *request,
                    gpointer       user_data)
{
  return g_str_equal (request->method, "POST") && g_str_has_prefix (request->path, "/rest/socialActions/");
}

static void
test_reply (Env          *env,
            gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *top = sd_fake_linkedin_add_comment (env->fake, post, BOB, "Question?", NULL, 300);
  g_autofree char *nested = sd_fake_linkedin_add_comment (env->fake, post, CAROL, "Me too", top, 200);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Here is the answer", NULL);
  g_autoptr(SdPublishPart) second = sd_publish_part_new (0, "Carol, see above", NULL);
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdMessage) nested_message = NULL;
  g_autofree char *parent = NULL;
  SdPublishContext ctx = env_context (env);
  SdFakeHttp *http = sd_fake_linkedin_get_http (env->fake);

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, top));
  nested_message = g_object_ref (page_message (env, nested));
  ctx.reply_to = message;

  /* Made, the answer lost: found once. */
  sd_fake_http_set_fault_filter (http, only_comment_posts, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==,
                   SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_linkedin_count_comments_with_text (env->fake, "Here is the answer"), ==, 1);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  parent = sd_fake_linkedin_dup_comment_parent (env->fake, part->remote_id);
  g_assert_cmpstr (parent, ==, top);

  /* Refused before it was made: certainly not there. */
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_BEFORE, 1);
  ctx.reply_to = nested_message;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), !=, SD_OUTCOME_DONE);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, second, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  /* Sent: under the top comment (LinkedIn nests one level). */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_free (parent);
  parent = sd_fake_linkedin_dup_comment_parent (env->fake, second->remote_id);
  g_assert_cmpstr (parent, ==, top);
  g_assert_cmpuint (sd_fake_linkedin_count_comments_with_text (env->fake, "Carol, see above"), ==, 1);
}

static void
test_actions (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *top = sd_fake_linkedin_add_comment (env->fake, post, BOB, "Spam", NULL, 300);
  g_autoptr(SdMessage) message = NULL;
  SdPublishContext ctx = env_context (env);

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, top));
#define ACT(action) sd_provider_message_action (env->provider, &ctx, action, message, NULL, &env->status)
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_LIKE), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (env->status.message);
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_HIDE), ==, SD_OUTCOME_FAILED);
  g_assert_true (sd_fake_linkedin_has_comment (env->fake, top));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_DELETE), ==, SD_OUTCOME_DONE);
  g_assert_false (sd_fake_linkedin_has_comment (env->fake, top));
  /* Gone already: done. */
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_DELETE), ==, SD_OUTCOME_DONE);
#undef ACT
}

static void
test_forbidden (Env          *env,
                gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");

  g_free (sd_fake_linkedin_add_comment (env->fake, post, BOB, "Hi", NULL, 300));
  sd_fake_linkedin_set_comments_forbidden (env->fake, TRUE);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 403);
  g_assert_nonnull (strstr (env->status.message, "Community Management API"));
  g_assert_nonnull (strstr (env->status.message, "partnerApiSocialActions"));

  /* Reading our own posts needs the same approval. */
  sd_fake_linkedin_set_comments_forbidden (env->fake, FALSE);
  sd_fake_linkedin_set_find_forbidden (env->fake, TRUE);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "Community Management API"));
}

static void
test_conversation (Env          *env,
                   gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");
  g_autofree char *top = sd_fake_linkedin_add_comment (env->fake, post, BOB, "One", NULL, 300);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdMessage) message = NULL;
  SdPublishContext ctx = env_context (env);

  g_free (sd_fake_linkedin_add_comment (env->fake, post, CAROL, "Two", top, 200));
  g_free (sd_fake_linkedin_add_comment (env->fake, post, AUTHOR, "Three", top, 100));
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, top));
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (messages, i)), ==, post);
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  g_autofree char *post = our_post (env, "Our post");

  g_free (sd_fake_linkedin_add_comment (env->fake, post, BOB, "Hi", NULL, 300));
  sd_fake_http_inject_fault (sd_fake_linkedin_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, ==, 60);  /* LinkedIn sends no wait: a minute */
  g_assert_nonnull (strstr (env->status.message, "throttle"));
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  sd_fake_http_revoke_user (sd_fake_linkedin_get_http (env->fake), USER_ID);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_AUTH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/linkedin/inbox/streams", test_streams);
  ADD ("/linkedin/inbox/first-fetch", test_first_fetch);
  ADD ("/linkedin/inbox/incremental", test_incremental);
  ADD ("/linkedin/inbox/pagination", test_pagination);
  ADD ("/linkedin/inbox/kinds", test_kinds);
  ADD ("/linkedin/inbox/hostile", test_hostile);
  ADD ("/linkedin/inbox/reply", test_reply);
  ADD ("/linkedin/inbox/actions", test_actions);
  ADD ("/linkedin/inbox/forbidden", test_forbidden);
  ADD ("/linkedin/inbox/conversation", test_conversation);
  ADD ("/linkedin/inbox/429", test_rate_limited);
  ADD ("/linkedin/inbox/revoked", test_revoked);
#undef ADD

  return g_test_run ();
}
