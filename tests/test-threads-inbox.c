/* test-threads-inbox.c — the Threads provider's inbox against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-threads.h"
#include "sd-time.h"

#include "fakes/sd-fake-threads.h"

#define ALICE   "1234567"
#define BOB     "2345678"
#define CAROL   "3456789"
#define TOKEN   "alice-long-lived-token"

typedef struct
{
  SdFakeThreads    *fake;
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
  env->fake = sd_fake_threads_new ();
  g_setenv ("SOCIALDESK_THREADS_URL", sd_fake_threads_get_url (env->fake), TRUE);
  sd_fake_threads_add_user (env->fake, ALICE, "alice", TOKEN, NULL);
  sd_fake_threads_add_user (env->fake, BOB, "bob", NULL, NULL);
  sd_fake_threads_add_user (env->fake, CAROL, "carol", NULL, NULL);
  env->account = sd_account_new (SD_PLATFORM_THREADS);
  sd_account_set_remote_id (env->account, ALICE);
  sd_account_set_handle (env->account, "alice");
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_THREADS);
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
  g_clear_pointer (&env->fake, sd_fake_threads_free);
  g_unsetenv ("SOCIALDESK_THREADS_URL");
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

static SdOutcome
fetch (Env        *env,
       const char *stream,
       const char *cursor,
       const char *page_token)
{
  SdPublishContext ctx = env_context (env);

  sd_inbox_page_clear (&env->page);
  sd_inbox_page_init (&env->page);
  return sd_provider_fetch_inbox (env->provider, &ctx, stream, cursor, page_token, &env->page, NULL, &env->status);
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
add_replies (Env        *env,
             const char *post,
             guint       count,
             gint64      first_age)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("reply %u", i);

      g_free (sd_fake_threads_add_post (env->fake, BOB, text, post, first_age - i));
    }
}

static void
test_streams (Env          *env,
              gconstpointer data)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (env->provider, env->account);
  SdInboxStream *stream;

  g_assert_cmpuint (streams->len, ==, 3);
  stream = g_ptr_array_index (streams, 0);
  g_assert_cmpstr (stream->id, ==, "replies");
  g_assert_true (stream->available);
  stream = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (stream->id, ==, "mentions");
  g_assert_true (stream->available);
  stream = g_ptr_array_index (streams, 2);
  g_assert_false (stream->available);
  g_assert_nonnull (strstr (stream->unavailable_reason, "direct messages"));
}

static void
test_first_fetch (Env          *env,
                  gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, sd_time_now () - 4000 + 59);

  add_replies (env, post, 60, 4000);
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  /* The newest page only; the newest reply's time as the cursor. */
  g_assert_cmpuint (env->page.messages->len, ==, 50);
  g_assert_null (env->page.next_page);
  g_assert_nonnull (env->page.new_cursor);
  g_assert_cmpint (ABS (g_ascii_strtoll (env->page.new_cursor, NULL, 10) - g_ascii_strtoll (cursor, NULL, 10)), <=, 2);
}

static void
test_incremental (Env          *env,
                  gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *cursor = NULL;
  g_autofree char *fresh = NULL;

  add_replies (env, post, 3, 300);
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  cursor = g_strdup (env->page.new_cursor);

  add_replies (env, post, 70, 200);  /* more than one page of the post's replies */
  fresh = sd_fake_threads_add_post (env->fake, CAROL, "newest", post, 10);
  g_assert_cmpint (fetch (env, "replies", cursor, NULL), ==, SD_OUTCOME_DONE);
  /* The 71 new ones; the reply at the cursor's own second may come again
   * (the store keeps one of it), nothing older. */
  g_assert_cmpuint (env->page.messages->len, >=, 71);
  g_assert_cmpuint (env->page.messages->len, <=, 72);
  g_assert_nonnull (page_message (env, fresh));
  g_assert_null (env->page.next_page);
  g_assert_cmpint (g_ascii_strtoll (env->page.new_cursor, NULL, 10), >, g_ascii_strtoll (cursor, NULL, 10));
}

static void
test_pagination (Env          *env,
                 gconstpointer data)
{
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, sd_time_now () - 3000);
  g_autofree char *token = NULL;
  guint total;

  /* Twelve posts of ours, a new reply under each: more than a page of posts. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "A post", NULL, 5000 - i);

      g_free (sd_fake_threads_add_post (env->fake, BOB, "new reply", post, 2000 - i));
    }
  g_assert_cmpint (fetch (env, "replies", cursor, NULL), ==, SD_OUTCOME_DONE);
  total = env->page.messages->len;
  g_assert_cmpuint (total, ==, 10);
  g_assert_nonnull (env->page.next_page);
  g_assert_nonnull (env->page.new_cursor);
  token = g_strdup (env->page.next_page);
  g_assert_cmpint (fetch (env, "replies", cursor, token), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  g_assert_null (env->page.next_page);
}

static void
test_kinds (Env          *env,
            gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *reply = sd_fake_threads_add_post (env->fake, BOB, "Nice post", post, 400);
  g_autofree char *ours = sd_fake_threads_add_post (env->fake, ALICE, "Thanks all", post, 300);
  SdMessage *message;

  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  message = page_message (env, reply);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "replies");
  g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_THREADS);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob");
  g_assert_cmpstr (sd_message_get_text (message), ==, "Nice post");
  g_assert_true (g_str_has_prefix (sd_message_get_url (message), "https://www.threads.net/@bob/post/"));
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_HIDE);
  g_assert_false (sd_message_get_is_hidden (message));
  g_assert_cmpint (ABS (sd_message_get_sent_at (message) - (sd_time_now () - 400)), <=, 2);
  message = page_message (env, ours);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_OWN);
}

static void
test_hostile (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *markup = sd_fake_threads_add_post (env->fake, BOB, "<b>hi</b> <span weight='bold'>%s</span> &amp;",
                                                      post, 300);
  g_autofree char *broken = sd_fake_threads_add_post (env->fake, BOB, "half \\ud800 a pair", post, 200);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autofree char *big = NULL;

  while (huge->len < 200 * 1024)
    g_string_append (huge, "ïïïï ");
  big = sd_fake_threads_add_post (env->fake, BOB, huge->str, post, 100);

  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  g_assert_cmpstr (sd_message_get_text (page_message (env, markup)), ==,
                   "<b>hi</b> <span weight='bold'>%s</span> &amp;");
  g_assert_true (g_utf8_validate (sd_message_get_text (page_message (env, broken)), -1, NULL));
  g_assert_true (g_str_has_prefix (sd_message_get_text (page_message (env, broken)), "half "));
  /* Served as a JSON escape of a lone surrogate, not as text. */
  g_assert_null (strstr (sd_message_get_text (page_message (env, broken)), "\\u"));
  g_assert_true (g_utf8_validate (sd_message_get_text (page_message (env, big)), -1, NULL));
  g_assert_cmpuint (strlen (sd_message_get_text (page_message (env, big))), <=, 64 * 1024);
}

static gboolean
only_publish (SdFakeRequest *request,
              gpointer       user_data)
{
  return g_str_has_suffix (request->path, "/threads_publish");
}

static void
test_reply (Env          *env,
            gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *reply = sd_fake_threads_add_post (env->fake, BOB, "Nice", post, 400);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Thank you, Bob", NULL);
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *json = NULL;
  SdPublishContext ctx = env_context (env);
  SdFakeHttp *http = sd_fake_threads_get_http (env->fake);

  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, reply));
  ctx.reply_to = message;

  /* The publish call is made, its answer lost. */
  sd_fake_http_set_fault_filter (http, only_publish, NULL);
  sd_fake_http_inject_fault (http, SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==,
                   SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_threads_count_posts_with_text (env->fake, "Thank you, Bob"), ==, 1);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  json = sd_fake_threads_dup_post_json (env->fake, part->remote_id);
  keep = json_from_string (json, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (keep), "reply_to_id"), ==, reply);
  /* Sent again after that: the container is published, nothing new is made. */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_threads_count_posts_with_text (env->fake, "Thank you, Bob"), ==, 1);
}

static void
test_mentions (Env          *env,
               gconstpointer data)
{
  g_autofree char *other = sd_fake_threads_add_post (env->fake, CAROL, "Carol's post", NULL, 600);
  g_autofree char *mention = sd_fake_threads_add_post (env->fake, BOB, "hey @alice look", NULL, 500);
  g_autofree char *deep = sd_fake_threads_add_post (env->fake, BOB, "@alice agrees", other, 400);
  SdMessage *message;

  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  g_assert_nonnull (env->page.new_cursor);
  message = page_message (env, mention);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "mentions");
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, mention);
  message = page_message (env, deep);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, other);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, other);

  /* Without the permission: said, in a sentence. */
  sd_fake_threads_set_mentions_allowed (env->fake, ALICE, FALSE);
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "threads_manage_mentions"));
  g_assert_nonnull (strstr (env->status.message, "does not have permission"));
}

static void
test_actions (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *reply = sd_fake_threads_add_post (env->fake, BOB, "Rude", post, 400);
  g_autofree char *other = sd_fake_threads_add_post (env->fake, CAROL, "Carol's post", NULL, 300);
  g_autofree char *mention = sd_fake_threads_add_post (env->fake, BOB, "@alice there", other, 200);
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdMessage) elsewhere = NULL;
  SdPublishContext ctx = env_context (env);

  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, reply));
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  elsewhere = g_object_ref (page_message (env, mention));

#define ACT(action, m) sd_provider_message_action (env->provider, &ctx, action, m, NULL, &env->status)
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_HIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_true (sd_fake_threads_is_hidden (env->fake, reply));
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_true (sd_message_get_is_hidden (page_message (env, reply)));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_UNHIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_false (sd_fake_threads_is_hidden (env->fake, reply));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_LIKE, message), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (env->status.message);
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_FAILED);
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_HIDE, elsewhere), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "only hide replies to your own posts"));
#undef ACT
}

static void
test_conversation (Env          *env,
                   gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);
  g_autofree char *reply = sd_fake_threads_add_post (env->fake, BOB, "First", post, 400);
  g_autofree char *deeper = sd_fake_threads_add_post (env->fake, CAROL, "Under Bob's", reply, 300);
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);

  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  message = g_object_ref (page_message (env, reply));
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *item = g_ptr_array_index (messages, i);
      const char *id = sd_message_get_remote_id (item);

      g_assert_cmpstr (sd_message_get_conversation_id (item), ==, post);
      if (g_strcmp0 (id, post) == 0)
        g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_OWN);
      else if (g_strcmp0 (id, reply) == 0)
        g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_REPLY);
      else
        {
          g_assert_cmpstr (id, ==, deeper);
          g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_CONTEXT);
          g_assert_cmpstr (sd_message_get_parent_remote_id (item), ==, reply);
        }
    }
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  g_autofree char *post = sd_fake_threads_add_post (env->fake, ALICE, "Our post", NULL, 5000);

  add_replies (env, post, 2, 100);
  sd_fake_http_inject_fault (sd_fake_threads_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  sd_fake_http_revoke_user (sd_fake_threads_get_http (env->fake), ALICE);
  g_assert_cmpint (fetch (env, "replies", NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_AUTH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/threads/inbox/streams", test_streams);
  ADD ("/threads/inbox/first-fetch", test_first_fetch);
  ADD ("/threads/inbox/incremental", test_incremental);
  ADD ("/threads/inbox/pagination", test_pagination);
  ADD ("/threads/inbox/kinds", test_kinds);
  ADD ("/threads/inbox/hostile", test_hostile);
  ADD ("/threads/inbox/reply", test_reply);
  ADD ("/threads/inbox/mentions", test_mentions);
  ADD ("/threads/inbox/actions", test_actions);
  ADD ("/threads/inbox/conversation", test_conversation);
  ADD ("/threads/inbox/429", test_rate_limited);
  ADD ("/threads/inbox/revoked", test_revoked);
#undef ADD

  return g_test_run ();
}
