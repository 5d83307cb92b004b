/* test-instagram-inbox.c — an Instagram account's inbox against the loopback Graph fake (Instagram Login)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-instagram.h"
#include "sd-http.h"
#include "sd-time.h"

#include "fakes/sd-fake-meta.h"

#define PAGE_ID      "17841400000000001"  /* the professional account (IG user id) */
#define PAGE_TOKEN   "IGAAToken"
#define FAN_ID       "6000000000000001"
#define FAN2_ID      "6000000000000002"

typedef struct
{
  SdFakeMeta       *fake;
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
  env->fake = sd_fake_instagram_new ();
  g_setenv ("SOCIALDESK_INSTAGRAM_URL", sd_fake_meta_get_url (env->fake), TRUE);
  sd_fake_meta_add_user (env->fake, PAGE_ID, "alicebakes", PAGE_TOKEN, NULL);
  env->account = sd_account_new (SD_PLATFORM_INSTAGRAM);
  sd_account_set_remote_id (env->account, PAGE_ID);
  sd_account_set_handle (env->account, "alicebakes");
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (PAGE_TOKEN);
  env->provider = SD_PROVIDER (sd_instagram_new ());
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
reset (Env *env)
{
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
  sd_inbox_page_clear (&env->page);
  sd_inbox_page_init (&env->page);
}

/* One page of @stream into env->page (cleared first). */
static SdOutcome
fetch (Env        *env,
       const char *stream,
       const char *cursor,
       const char *page_token)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *cursor_copy = g_strdup (cursor);
  g_autofree char *token_copy = g_strdup (page_token);

  reset (env);
  return sd_provider_fetch_inbox (env->provider, &ctx, stream, cursor_copy, token_copy, &env->page, NULL,
                                  &env->status);
}

static void
tick (Env *env)
{
  sd_fake_http_advance_clock (sd_fake_meta_get_http (env->fake), 1);
}

static char *
comment (Env        *env,
         const char *on,
         const char *from_id,
         const char *text)
{
  tick (env);
  return sd_fake_meta_add_comment (env->fake, on, from_id,
                                   g_strcmp0 (from_id, PAGE_ID) == 0 ? "alicebakes" : "bob.fan", text);
}

static SdMessage *
find_message (GPtrArray  *messages,
              const char *remote_id)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (sd_message_get_remote_id (g_ptr_array_index (messages, i)), remote_id) == 0)
      return g_ptr_array_index (messages, i);
  return NULL;
}

static JsonObject *
fake_comment (Env        *env,
              const char *id,
              JsonNode  **keep)
{
  g_autofree char *json = sd_fake_meta_dup_comment_json (env->fake, id);

  g_assert_nonnull (json);
  g_clear_pointer (keep, json_node_unref);
  *keep = json_from_string (json, NULL);
  return json_node_get_object (*keep);
}

static void
test_streams (Env          *env,
              gconstpointer data)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (env->provider, env->account);
  SdInboxStream *comments, *messages;

  g_assert_cmpuint (streams->len, ==, 2);
  comments = g_ptr_array_index (streams, 0);
  messages = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (comments->id, ==, "comments");
  g_assert_cmpstr (messages->id, ==, "messages");
  g_assert_true (comments->available && messages->available);
}

/* First fetch: only the newest page; kinds, ids and caps. */
static void
test_first_fetch (Env          *env,
                  gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  g_autofree char *top = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *own = NULL;
  g_autofree char *oldest = comment (env, post, FAN_ID, "the oldest");
  SdMessage *message;
  gint64 newest = 0;

  for (guint i = 0; i < 26; i++)
    g_free (comment (env, post, FAN2_ID, "filler"));
  top = comment (env, post, FAN_ID, "Is it gluten free?");
  reply = comment (env, top, FAN2_ID, "I asked too");
  own = comment (env, top, PAGE_ID, "It is not, sorry");

  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_DONE);
  /* 25 top-level comments, the newest one with its two replies. */
  g_assert_cmpuint (env->page.messages->len, ==, 27);
  g_assert_null (env->page.next_page);
  g_assert_nonnull (env->page.new_cursor);
  g_assert_null (find_message (env->page.messages, oldest));

  message = find_message (env->page.messages, top);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "comments");
  g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_INSTAGRAM);
  g_assert_cmpstr (sd_message_get_account_id (message), ==, sd_account_get_id (env->account));
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, post);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, FAN_ID);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob.fan");
  g_assert_cmpstr (sd_message_get_text (message), ==, "Is it gluten free?");
  g_assert_cmpstr (sd_message_get_audience (message), ==, "public");
  /* No likes through the API. */
  g_assert_cmpint (sd_message_get_caps (message), ==,
                   SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_HIDE | SD_MESSAGE_CAN_DELETE);
  g_assert_cmpint (sd_message_get_reply_until (message), ==, 0);

  message = find_message (env->page.messages, reply);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, top);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, post);

  message = find_message (env->page.messages, own);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, top);
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_DELETE);

  for (guint i = 0; i < env->page.messages->len; i++)
    newest = MAX (newest, sd_message_get_sent_at (g_ptr_array_index (env->page.messages, i)));
  g_assert_cmpint (g_ascii_strtoll (env->page.new_cursor, NULL, 10), ==, newest);
}

/* Later fetches: what is new since the cursor, paged within the fetch, over several posts. */
static void
test_incremental (Env          *env,
                  gconstpointer data)
{
  g_autofree char *post1 = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Rye");
  g_autofree char *post2 = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Spelt");
  g_autofree char *boundary = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
  guint pages = 0;

  g_free (comment (env, post1, FAN_ID, "old one"));
  boundary = comment (env, post2, FAN_ID, "old two");
  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  cursor = g_strdup (env->page.new_cursor);

  sd_fake_http_advance_clock (sd_fake_meta_get_http (env->fake), 60);
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (wanted, comment (env, post1, FAN2_ID, "new on rye"));
  g_ptr_array_add (wanted, comment (env, post2, FAN2_ID, "new on spelt"));

  do
    {
      g_autofree char *next = NULL;

      g_assert_cmpint (fetch (env, "comments", cursor, token), ==, SD_OUTCOME_DONE);
      if (pages == 0)
        g_assert_nonnull (env->page.new_cursor);
      else
        g_assert_null (env->page.new_cursor);
      for (guint i = 0; i < env->page.messages->len; i++)
        {
          SdMessage *message = g_ptr_array_index (env->page.messages, i);

          g_assert_cmpint (sd_message_get_sent_at (message), >=, g_ascii_strtoll (cursor, NULL, 10));
          g_assert_false (g_hash_table_contains (seen, sd_message_get_remote_id (message)));
          g_hash_table_add (seen, g_strdup (sd_message_get_remote_id (message)));
        }
      next = g_strdup (env->page.next_page);
      g_free (token);
      token = g_steal_pointer (&next);
      pages++;
    }
  while (token != NULL && pages < 10);

  g_assert_cmpuint (pages, ==, 2);
  for (guint i = 0; i < wanted->len; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (wanted, i)));
  /* Only the comment at the cursor's very second comes again (the store keeps one). */
  g_assert_cmpuint (g_hash_table_size (seen), ==, wanted->len + 1);
  g_assert_true (g_hash_table_contains (seen, boundary));
}

static void
test_messages (Env          *env,
               gconstpointer data)
{
  g_autofree char *first = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *last = NULL;
  g_autofree char *conversation = NULL;
  SdMessage *message;
  gint64 last_time;

  first = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", FALSE, "Are you open on Sunday?");
  tick (env);
  answer = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", TRUE, "From 8 to 12");
  tick (env);
  last = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", FALSE, "Thanks!");
  conversation = sd_fake_meta_dup_conversation_id (env->fake, PAGE_ID, FAN_ID);

  g_assert_cmpint (fetch (env, "messages", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  g_assert_null (env->page.next_page);
  message = find_message (env->page.messages, last);
  g_assert_nonnull (message);
  last_time = sd_message_get_sent_at (message);
  g_assert_cmpint (g_ascii_strtoll (env->page.new_cursor, NULL, 10), ==, last_time);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_DM);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, conversation);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, FAN_ID);
  g_assert_cmpstr (sd_message_get_audience (message), ==, "direct");
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY);
  g_assert_cmpint (sd_message_get_reply_until (message), ==, last_time + 24 * 60 * 60);
  message = find_message (env->page.messages, first);
  g_assert_cmpint (sd_message_get_reply_until (message), ==, last_time + 24 * 60 * 60);
  message = find_message (env->page.messages, answer);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, PAGE_ID);

  /* Later: only the conversation updated since, only its new messages. */
  {
    g_autofree char *cursor = g_strdup (env->page.new_cursor);
    g_autofree char *other = NULL;

    sd_fake_http_advance_clock (sd_fake_meta_get_http (env->fake), 60);
    other = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN2_ID, "Carol", FALSE, "Do you deliver?");
    g_assert_cmpint (fetch (env, "messages", cursor, NULL), ==, SD_OUTCOME_DONE);
    g_assert_nonnull (find_message (env->page.messages, other));
    g_assert_null (find_message (env->page.messages, first));
    g_assert_null (find_message (env->page.messages, answer));
  }
}

static void
test_messaging_permission (Env          *env,
                           gconstpointer data)
{
  sd_fake_meta_set_messaging_denied (env->fake, TRUE);
  g_assert_cmpint (fetch (env, "messages", NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "instagram_business_manage_messages"));
  g_assert_nonnull (strstr (env->status.message, "(#10)"));
  g_assert_cmpuint (env->page.messages->len, ==, 0);
}

/* The message of @remote_id as a fetch gives it (a new reference). */
static SdMessage *
fetched (Env        *env,
         const char *stream,
         const char *remote_id)
{
  SdMessage *message;

  g_assert_cmpint (fetch (env, stream, NULL, NULL), ==, SD_OUTCOME_DONE);
  message = find_message (env->page.messages, remote_id);
  g_assert_nonnull (message);
  return g_object_ref (message);
}

static SdOutcome
reply (Env           *env,
       SdMessage     *to,
       SdPublishPart *part)
{
  SdPublishContext ctx = env_context (env);

  ctx.reply_to = to;
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
  return sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status);
}

static SdOutcome
find_reply (Env           *env,
            SdMessage     *to,
            SdPublishPart *part)
{
  SdPublishContext ctx = env_context (env);

  ctx.reply_to = to;
  ctx.first_attempt_at = sd_time_now () - 5;
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
  return sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
}

static void
test_reply_comment (Env          *env,
                    gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  g_autofree char *top = comment (env, post, FAN_ID, "Gluten free?");
  g_autofree char *under = comment (env, top, FAN2_ID, "Also vegan?");
  g_autoptr(SdMessage) to_top = fetched (env, "comments", top);
  g_autoptr(SdMessage) to_under = fetched (env, "comments", under);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "No, sorry", "key-1");
  g_autoptr(SdPublishPart) part2 = sd_publish_part_new (0, "@Bob yes, all vegan", "key-2");
  g_autoptr(JsonNode) keep = NULL;

  g_assert_cmpint (reply (env, to_top, part), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_cmpuint (sd_fake_meta_count_replies_by (env->fake, top, PAGE_ID), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (fake_comment (env, part->remote_id, &keep), "message"), ==,
                   "No, sorry");

  /* A reply to a reply goes under the comment it replies to. */
  g_assert_cmpint (reply (env, to_under, part2), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (sd_fake_meta_count_replies_by (env->fake, top, PAGE_ID), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fake_comment (env, part2->remote_id, &keep), "parent"), ==, top);
  g_assert_cmpuint (sd_fake_meta_count_posts (env->fake), ==, 1);
}

/* A lost answer: find_part finds the reply; nothing is sent twice. */
static void
test_reply_lost_answer (Env          *env,
                        gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  g_autofree char *top = comment (env, post, FAN_ID, "Gluten free?");
  g_autoptr(SdMessage) to_top = fetched (env, "comments", top);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Not yet\r\n", "key-1");
  g_autoptr(SdPublishPart) found = sd_publish_part_new (0, "Not yet", "key-1");
  g_autoptr(SdPublishPart) never = sd_publish_part_new (0, "Never sent", "key-2");

  g_assert_cmpint (find_reply (env, to_top, never), ==, SD_OUTCOME_RETRY);

  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (reply (env, to_top, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_meta_count_replies_by (env->fake, top, PAGE_ID), ==, 1);
  g_assert_cmpint (find_reply (env, to_top, found), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (found->remote_id);
  g_assert_cmpuint (sd_fake_meta_count_replies_by (env->fake, top, PAGE_ID), ==, 1);
}

static void
test_reply_dm (Env          *env,
               gconstpointer data)
{
  g_autofree char *question = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", FALSE, "Open Sunday?");
  g_autoptr(SdMessage) to = fetched (env, "messages", question);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "From 8 to 12", "key-1");
  g_autoptr(SdPublishPart) lost = sd_publish_part_new (0, "And on Monday too", "key-2");
  g_autoptr(SdPublishPart) again = sd_publish_part_new (0, "And on Monday too", "key-2");

  g_assert_cmpint (reply (env, to, part), ==, SD_OUTCOME_DONE);
  g_assert_true (g_str_has_prefix (part->remote_id, "aWdJRAm"));
  g_assert_cmpuint (sd_fake_meta_count_dms_by (env->fake, PAGE_ID, FAN_ID, TRUE), ==, 1);

  g_assert_cmpint (find_reply (env, to, again), ==, SD_OUTCOME_RETRY);
  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (reply (env, to, lost), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpint (find_reply (env, to, again), ==, SD_OUTCOME_DONE);
  g_assert_true (g_str_has_prefix (again->remote_id, "aWdJRAm"));
  g_assert_cmpuint (sd_fake_meta_count_dms_by (env->fake, PAGE_ID, FAN_ID, TRUE), ==, 2);
}

static void
test_reply_dm_window (Env          *env,
                      gconstpointer data)
{
  SdFakeHttp *http = sd_fake_meta_get_http (env->fake);
  g_autofree char *question = NULL;
  g_autoptr(SdMessage) to = NULL;
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Sorry for the wait", "key-1");

  sd_fake_http_advance_clock (http, -27 * 60 * 60);
  question = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", FALSE, "Open Sunday?");
  sd_fake_http_advance_clock (http, 27 * 60 * 60);
  to = fetched (env, "messages", question);

  g_assert_cmpint (reply (env, to, part), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "24 hours"));
  g_assert_nonnull (strstr (env->status.message, "3 hours ago"));
  g_assert_cmpuint (sd_fake_meta_count_dms_by (env->fake, PAGE_ID, FAN_ID, TRUE), ==, 0);
}

static SdOutcome
conversation (Env       *env,
              SdMessage *message,
              GPtrArray *out)
{
  SdPublishContext ctx = env_context (env);

  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
  return sd_provider_fetch_conversation (env->provider, &ctx, message, out, NULL, &env->status);
}

static void
test_conversation (Env          *env,
                   gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  g_autofree char *top = comment (env, post, FAN_ID, "Gluten free?");
  g_autofree char *under = comment (env, top, FAN2_ID, "Also vegan?");
  g_autofree char *own = comment (env, top, PAGE_ID, "Neither, sorry");
  g_autofree char *other = comment (env, post, FAN2_ID, "Lovely");
  g_autofree char *question = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", FALSE, "Open Sunday?");
  g_autofree char *answer = NULL;
  g_autoptr(SdMessage) message = fetched (env, "comments", under);
  g_autoptr(SdMessage) dm = fetched (env, "messages", question);
  g_autoptr(GPtrArray) thread = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  SdMessage *first;

  g_assert_true (sd_provider_can_fetch_conversation (env->provider));
  g_assert_cmpint (conversation (env, message, thread), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (thread->len, ==, 5);
  first = find_message (thread, post);
  g_assert_nonnull (first);
  g_assert_cmpint (sd_message_get_kind (first), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_text (first), ==, "Fresh bread");
  g_assert_cmpstr (sd_message_get_conversation_id (first), ==, post);
  g_assert_cmpint (sd_message_get_kind (find_message (thread, own)), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpint (sd_message_get_kind (find_message (thread, other)), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpstr (sd_message_get_parent_remote_id (find_message (thread, under)), ==, top);
  for (guint i = 0; i < thread->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (thread, i)), ==, post);

  sd_fake_http_advance_clock (sd_fake_meta_get_http (env->fake), 1);
  answer = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "Bob Fan", TRUE, "From 8");
  g_assert_cmpint (conversation (env, dm, history), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (sd_message_get_kind (find_message (history, question)), ==, SD_MESSAGE_KIND_DM);
  g_assert_cmpint (sd_message_get_kind (find_message (history, answer)), ==, SD_MESSAGE_KIND_OWN);
}

static SdOutcome
act (Env             *env,
     SdMessageAction  action,
     SdMessage       *message)
{
  SdPublishContext ctx = env_context (env);

  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
  return sd_provider_message_action (env->provider, &ctx, action, message, NULL, &env->status);
}

static void
test_actions (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  g_autofree char *top = comment (env, post, FAN_ID, "Buy cheap followers");
  g_autofree char *own = comment (env, top, PAGE_ID, "Please don't");
  g_autofree char *question = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "bob.fan", FALSE, "Hi");
  g_autoptr(SdMessage) message = fetched (env, "comments", top);
  g_autoptr(SdMessage) mine = fetched (env, "comments", own);
  g_autoptr(SdMessage) dm = fetched (env, "messages", question);
  g_autoptr(JsonNode) keep = NULL;
  guint requests;

  /* No API likes a comment: said, and nothing sent. */
  requests = sd_fake_http_get_n_requests (sd_fake_meta_get_http (env->fake));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_LIKE, message), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "like"));
  g_assert_cmpuint (sd_fake_http_get_n_requests (sd_fake_meta_get_http (env->fake)), ==, requests);
  g_assert_false (json_object_get_boolean_member (fake_comment (env, top, &keep), "liked"));

  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_HIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_true (json_object_get_boolean_member (fake_comment (env, top, &keep), "hidden"));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_UNHIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_false (json_object_get_boolean_member (fake_comment (env, top, &keep), "hidden"));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_HIDE, mine), ==, SD_OUTCOME_FAILED);
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, dm), ==, SD_OUTCOME_FAILED);

  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, mine), ==, SD_OUTCOME_DONE);
  g_assert_true (json_object_get_boolean_member (fake_comment (env, own, &keep), "deleted"));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_DONE);
  g_assert_true (json_object_get_boolean_member (fake_comment (env, top, &keep), "deleted"));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_DONE);
}

static void
test_throttled (Env          *env,
                gconstpointer data)
{
  const int codes[] = { 4, 17, 32, 613 };
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");

  g_free (comment (env, post, FAN_ID, "hello"));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *code = g_strdup_printf ("(#%d)", codes[i]);

      sd_fake_meta_set_throttle_code (env->fake, codes[i]);
      g_assert_cmpint (fetch (env, i % 2 == 0 ? "comments" : "messages", NULL, NULL), ==, SD_OUTCOME_RETRY);
      /* Business use case: 5 minutes to regain access; the app's usage at 100 % says nothing: an hour. */
      g_assert_cmpint (env->status.retry_after, >=, 300);
      g_assert_nonnull (strstr (env->status.message, code));
    }
  sd_fake_meta_set_throttle_code (env->fake, 0);

  /* The network's own throttle answer (#80001) on a 429 fault. */
  sd_fake_http_inject_fault (sd_fake_meta_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);

  /* Usage at 100 % on a good answer: wait before the next call (the page comes again then). */
  sd_fake_meta_set_usage_spent (env->fake, TRUE);
  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->page.messages->len, ==, 0);
  g_assert_null (env->page.new_cursor);
  g_assert_cmpint (env->status.retry_after, >=, 300);
  sd_fake_meta_set_usage_spent (env->fake, FALSE);
  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 1);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  sd_fake_http_revoke_user (sd_fake_meta_get_http (env->fake), PAGE_ID);
  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_null (strstr (env->status.message, PAGE_TOKEN));
  g_assert_cmpint (fetch (env, "messages", NULL, NULL), ==, SD_OUTCOME_AUTH);
}

static void
test_hostile (Env          *env,
              gconstpointer data)
{
  g_autofree char *post = sd_fake_meta_add_published_post (env->fake, PAGE_ID, "Fresh bread");
  const char *markup = "<b>bold</b> <span foreground=\"red\">&amp;</span> <script>alert(1)</script> %s%n";
  g_autofree char *huge_text = g_strnfill (300 * 1024, 'x');
  g_autofree char *bad = comment (env, post, FAN_ID, "caf\xc3\xa9 \xff\xfe broken");
  g_autofree char *tags = comment (env, post, FAN_ID, markup);
  g_autofree char *huge = comment (env, post, FAN_ID, huge_text);
  g_autofree char *dm = sd_fake_meta_add_dm (env->fake, PAGE_ID, FAN_ID, "<i>Bob</i>", FALSE, markup);
  SdMessage *message;

  g_assert_cmpint (fetch (env, "comments", NULL, NULL), ==, SD_OUTCOME_DONE);
  for (guint i = 0; i < env->page.messages->len; i++)
    g_assert_true (g_utf8_validate (sd_message_get_text (g_ptr_array_index (env->page.messages, i)), -1, NULL));
  message = find_message (env->page.messages, bad);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (sd_message_get_text (message), "caf\xc3\xa9 "));
  /* Markup stays the text it is: nothing parsed, nothing dropped. */
  g_assert_cmpstr (sd_message_get_text (find_message (env->page.messages, tags)), ==, markup);
  message = find_message (env->page.messages, huge);
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), <=, 64 * 1024);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), >, 60 * 1024);

  g_assert_cmpint (fetch (env, "messages", NULL, NULL), ==, SD_OUTCOME_DONE);
  message = find_message (env->page.messages, dm);
  g_assert_cmpstr (sd_message_get_text (message), ==, markup);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "<i>Bob</i>");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();

#define ADD(name, func) g_test_add (name, Env, NULL, env_setup, func, env_teardown)
  ADD ("/instagram-inbox/streams", test_streams);
  ADD ("/instagram-inbox/first-fetch", test_first_fetch);
  ADD ("/instagram-inbox/incremental", test_incremental);
  ADD ("/instagram-inbox/messages", test_messages);
  ADD ("/instagram-inbox/messaging-permission", test_messaging_permission);
  ADD ("/instagram-inbox/reply-comment", test_reply_comment);
  ADD ("/instagram-inbox/reply-lost-answer", test_reply_lost_answer);
  ADD ("/instagram-inbox/reply-dm", test_reply_dm);
  ADD ("/instagram-inbox/reply-dm-window", test_reply_dm_window);
  ADD ("/instagram-inbox/conversation", test_conversation);
  ADD ("/instagram-inbox/actions", test_actions);
  ADD ("/instagram-inbox/throttled", test_throttled);
  ADD ("/instagram-inbox/revoked", test_revoked);
  ADD ("/instagram-inbox/hostile", test_hostile);
#undef ADD
  return g_test_run ();
}
