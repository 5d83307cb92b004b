/* test-youtube-inbox.c — a YouTube channel's comments against the loopback Data API fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"
#include "sd-youtube.h"

#include "fakes/sd-fake-youtube.h"

#define USER    "1001"
#define TOKEN   "ya29.alice-access"
#define REFRESH "1//alice-refresh"
#define FAN     "UCfanfanfanfanfanfanfan1"
#define FAN2    "UCfanfanfanfanfanfanfan2"

typedef struct
{
  SdFakeYoutube    *fake;
  char             *channel;
  char             *video;
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
  env->fake = sd_fake_youtube_new ();
  g_setenv ("SOCIALDESK_YOUTUBE_URL", sd_fake_youtube_get_url (env->fake), TRUE);
  sd_fake_youtube_add_user (env->fake, USER, "alice", TOKEN, REFRESH);
  env->channel = sd_fake_youtube_dup_channel_id (env->fake, USER);
  env->video = sd_fake_youtube_add_video (env->fake, env->channel, "A day at the sea");
  env->account = sd_account_new (SD_PLATFORM_YOUTUBE);
  sd_account_set_remote_id (env->account, env->channel);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->credentials->refresh_token = g_strdup (REFRESH);
  env->provider = SD_PROVIDER (sd_youtube_new ());
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
  g_clear_pointer (&env->video, g_free);
  g_clear_pointer (&env->channel, g_free);
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
  };
  return ctx;
}

static void
clear_status (Env *env)
{
  sd_provider_status_clear (&env->status);
  env->status = (SdProviderStatus) { 0 };
}

static SdOutcome
fetch (Env        *env,
       const char *cursor,
       const char *page_token)
{
  SdPublishContext ctx = env_context (env);
  g_autofree char *cursor_copy = g_strdup (cursor);
  g_autofree char *token_copy = g_strdup (page_token);

  clear_status (env);
  sd_inbox_page_clear (&env->page);
  sd_inbox_page_init (&env->page);
  return sd_provider_fetch_inbox (env->provider, &ctx, "comments", cursor_copy, token_copy, &env->page, NULL,
                                  &env->status);
}

static char *
comment (Env        *env,
         const char *on,
         const char *author,
         const char *text)
{
  const char *name = g_strcmp0 (author, env->channel) == 0 ? "@alice" : g_strcmp0 (author, FAN) == 0 ? "@bob" : "@carol";

  sd_fake_http_advance_clock (sd_fake_youtube_get_http (env->fake), 1);
  return sd_fake_youtube_add_comment (env->fake, on, author, name, text);
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
  g_autofree char *json = sd_fake_youtube_dup_comment_json (env->fake, id);

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
  g_autofree char *scopes = NULL;

  g_assert_cmpuint (streams->len, ==, 2);
  comments = g_ptr_array_index (streams, 0);
  messages = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (comments->id, ==, "comments");
  g_assert_true (comments->available);
  g_assert_false (messages->available);
  g_assert_nonnull (messages->unavailable_reason);
  /* Reading and moderating comments needs youtube.force-ssl. */
  g_assert_nonnull (strstr (sd_network_get_info (SD_PLATFORM_YOUTUBE)->scopes,
                            "https://www.googleapis.com/auth/youtube.force-ssl"));
}

static void
test_first_fetch (Env          *env,
                  gconstpointer data)
{
  g_autofree char *oldest = comment (env, env->video, FAN2, "first!");
  g_autofree char *top = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *again = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *under_ours = NULL;
  SdMessage *message;

  for (guint i = 0; i < 100; i++)
    g_free (comment (env, env->video, FAN2, "filler"));
  top = comment (env, env->video, FAN, "Where was this filmed?");
  answer = comment (env, top, env->channel, "In Brittany");
  again = comment (env, top, FAN, "Thanks!");
  ours = comment (env, env->video, env->channel, "Thanks for watching");
  under_ours = comment (env, ours, FAN2, "Loved it");

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  /* 100 threads (the newest page), with the replies given with them. */
  g_assert_cmpuint (env->page.messages->len, ==, 103);
  g_assert_null (env->page.next_page);
  g_assert_nonnull (env->page.new_cursor);
  g_assert_null (find_message (env->page.messages, oldest));

  message = find_message (env->page.messages, top);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_YOUTUBE);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "comments");
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, top);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, env->video);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, env->video);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, FAN);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob");
  g_assert_cmpstr (sd_message_get_text (message), ==, "Where was this filmed?");
  g_assert_cmpstr (sd_message_get_audience (message), ==, "public");
  g_assert_true (g_str_has_suffix (sd_message_get_url (message), top));
  g_assert_cmpint (sd_message_get_caps (message), ==,
                   SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_HIDE | SD_MESSAGE_CAN_DELETE);

  message = find_message (env->page.messages, answer);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, top);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, top);
  g_assert_cmpint (sd_message_get_caps (message) & SD_MESSAGE_CAN_HIDE, ==, 0);
  message = find_message (env->page.messages, again);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpint (sd_message_get_kind (find_message (env->page.messages, ours)), ==, SD_MESSAGE_KIND_OWN);
  message = find_message (env->page.messages, under_ours);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, ours);
  g_assert_cmpint (g_ascii_strtoll (env->page.new_cursor, NULL, 10), ==, sd_message_get_sent_at (message));
}

static void
test_incremental (Env          *env,
                  gconstpointer data)
{
  g_autofree char *boundary = comment (env, env->video, FAN, "old");
  g_autofree char *cursor = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
  guint pages = 0;

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 1);
  cursor = g_strdup (env->page.new_cursor);

  sd_fake_http_advance_clock (sd_fake_youtube_get_http (env->fake), 60);
  for (guint i = 0; i < 130; i++)
    g_ptr_array_add (wanted, comment (env, env->video, FAN2, "new"));

  do
    {
      g_autofree char *next = NULL;

      g_assert_cmpint (fetch (env, cursor, token), ==, SD_OUTCOME_DONE);
      g_assert_true ((pages == 0) == (env->page.new_cursor != NULL));
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
  g_assert_cmpuint (g_hash_table_size (seen), ==, wanted->len + 1);
  g_assert_true (g_hash_table_contains (seen, boundary));
}

static SdMessage *
fetched (Env        *env,
         const char *remote_id)
{
  SdMessage *message;

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
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
  clear_status (env);
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
  clear_status (env);
  return sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status);
}

static void
test_reply (Env          *env,
            gconstpointer data)
{
  g_autofree char *top = comment (env, env->video, FAN, "Where was this filmed?");
  g_autofree char *under = comment (env, top, FAN2, "Looks like Brittany");
  g_autoptr(SdMessage) to_top = fetched (env, top);
  g_autoptr(SdMessage) to_under = fetched (env, under);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "In Brittany", "key-1");
  g_autoptr(SdPublishPart) part2 = sd_publish_part_new (0, "Right you are", "key-2");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *made;

  g_assert_cmpint (reply (env, to_top, part), ==, SD_OUTCOME_DONE);
  made = fake_comment (env, part->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (made, "parentId"), ==, top);
  g_assert_cmpstr (json_object_get_string_member (made, "textOriginal"), ==, "In Brittany");
  g_assert_true (g_str_has_suffix (part->remote_url, part->remote_id));

  /* To a reply: under the top-level comment, naming the person. */
  g_assert_cmpint (reply (env, to_under, part2), ==, SD_OUTCOME_DONE);
  made = fake_comment (env, part2->remote_id, &keep);
  g_assert_cmpstr (json_object_get_string_member (made, "parentId"), ==, top);
  g_assert_cmpstr (json_object_get_string_member (made, "textOriginal"), ==, "@carol Right you are");
  g_assert_cmpuint (sd_fake_youtube_count_replies_by (env->fake, top, env->channel), ==, 2);
}

static void
test_reply_lost_answer (Env          *env,
                        gconstpointer data)
{
  g_autofree char *top = comment (env, env->video, FAN, "Where was this filmed?");
  g_autofree char *under = comment (env, top, FAN2, "Looks like Brittany");
  g_autoptr(SdMessage) to_under = fetched (env, under);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Right you are", "key-1");
  g_autoptr(SdPublishPart) found = sd_publish_part_new (0, "Right you are", "key-1");

  g_assert_cmpint (find_reply (env, to_under, found), ==, SD_OUTCOME_RETRY);
  sd_fake_http_inject_fault (sd_fake_youtube_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (reply (env, to_under, part), ==, SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_youtube_count_replies_by (env->fake, top, env->channel), ==, 1);
  g_assert_cmpint (find_reply (env, to_under, found), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (found->remote_id);
  g_assert_nonnull (found->remote_url);
  g_assert_cmpuint (sd_fake_youtube_count_replies_by (env->fake, top, env->channel), ==, 1);
}

static void
test_conversation (Env          *env,
                   gconstpointer data)
{
  g_autofree char *top = comment (env, env->video, FAN, "Where was this filmed?");
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(GPtrArray) thread = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);

  for (guint i = 0; i < 7; i++)
    g_ptr_array_add (replies, comment (env, top, i % 2 == 0 ? FAN2 : env->channel, "and another thing"));
  message = fetched (env, g_ptr_array_index (replies, 0));

  g_assert_true (sd_provider_can_fetch_conversation (env->provider));
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, thread, NULL, &env->status), ==,
                   SD_OUTCOME_DONE);
  g_assert_cmpuint (thread->len, ==, 8);
  g_assert_cmpint (sd_message_get_kind (find_message (thread, top)), ==, SD_MESSAGE_KIND_COMMENT);
  g_assert_cmpint (sd_message_get_kind (find_message (thread, g_ptr_array_index (replies, 1))), ==,
                   SD_MESSAGE_KIND_OWN);
  for (guint i = 0; i < thread->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (thread, i)), ==, top);
}

static SdOutcome
act (Env             *env,
     SdMessageAction  action,
     SdMessage       *message)
{
  SdPublishContext ctx = env_context (env);

  clear_status (env);
  return sd_provider_message_action (env->provider, &ctx, action, message, NULL, &env->status);
}

static void
test_moderation (Env          *env,
                 gconstpointer data)
{
  g_autofree char *spam = comment (env, env->video, FAN, "Cheap followers at example.com");
  g_autofree char *ours = comment (env, env->video, env->channel, "Thanks for watching");
  g_autoptr(SdMessage) message = fetched (env, spam);
  g_autoptr(SdMessage) mine = fetched (env, ours);
  g_autoptr(JsonNode) keep = NULL;
  guint requests = sd_fake_http_get_n_requests (sd_fake_youtube_get_http (env->fake));

  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_LIKE, message), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "like"));
  g_assert_cmpuint (sd_fake_http_get_n_requests (sd_fake_youtube_get_http (env->fake)), ==, requests);

  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_HIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (json_object_get_string_member (fake_comment (env, spam, &keep), "moderationStatus"), ==,
                   "heldForReview");
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_null (find_message (env->page.messages, spam));
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_UNHIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (json_object_get_string_member (fake_comment (env, spam, &keep), "moderationStatus"), ==,
                   "published");
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_DONE);
  g_assert_cmpstr (json_object_get_string_member (fake_comment (env, spam, &keep), "moderationStatus"), ==,
                   "rejected");
  /* Gone already: done. */
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_DONE);
  /* The channel's own comment is not moderated. */
  g_assert_cmpint (act (env, SD_MESSAGE_ACTION_HIDE, mine), ==, SD_OUTCOME_FAILED);
}

static void
test_quota (Env          *env,
            gconstpointer data)
{
  g_autofree char *top = comment (env, env->video, FAN, "hello");
  g_autoptr(SdMessage) to = fetched (env, top);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "hi", "key-1");

  sd_fake_youtube_set_quota_exceeded (env->fake, TRUE);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >=, 60);
  g_assert_cmpint (env->status.retry_after, <=, 25 * 60 * 60);
  g_assert_nonnull (strstr (env->status.message, "quota"));
  g_assert_cmpint (reply (env, to, part), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (sd_fake_youtube_count_replies_by (env->fake, top, env->channel), ==, 0);
  sd_fake_youtube_set_quota_exceeded (env->fake, FALSE);

  sd_fake_http_inject_fault (sd_fake_youtube_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, ==, 30);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  sd_fake_http_revoke_user (sd_fake_youtube_get_http (env->fake), USER);
  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_null (strstr (env->status.message, TOKEN));
}

static void
test_hostile (Env          *env,
              gconstpointer data)
{
  const char *markup = "<b>bold</b> <a href=\"javascript:alert(1)\">x</a> &amp; %s%n\nsecond line";
  g_autofree char *huge_text = g_strnfill (300 * 1024, 'y');
  g_autofree char *bad = comment (env, env->video, FAN, "ol\xc3\xa9 \xff\xfe broken");
  g_autofree char *tags = comment (env, env->video, FAN, markup);
  g_autofree char *huge = comment (env, env->video, FAN, huge_text);
  SdMessage *message;

  g_assert_cmpint (fetch (env, NULL, NULL), ==, SD_OUTCOME_DONE);
  for (guint i = 0; i < env->page.messages->len; i++)
    g_assert_true (g_utf8_validate (sd_message_get_text (g_ptr_array_index (env->page.messages, i)), -1, NULL));
  message = find_message (env->page.messages, bad);
  g_assert_true (g_str_has_prefix (sd_message_get_text (message), "ol\xc3\xa9 "));
  /* textOriginal, exactly: never the HTML of textDisplay. */
  g_assert_cmpstr (sd_message_get_text (find_message (env->page.messages, tags)), ==, markup);
  message = find_message (env->page.messages, huge);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), <=, 64 * 1024);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), >, 60 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();

#define ADD(name, func) g_test_add (name, Env, NULL, env_setup, func, env_teardown)
  ADD ("/youtube-inbox/streams", test_streams);
  ADD ("/youtube-inbox/first-fetch", test_first_fetch);
  ADD ("/youtube-inbox/incremental", test_incremental);
  ADD ("/youtube-inbox/reply", test_reply);
  ADD ("/youtube-inbox/reply-lost-answer", test_reply_lost_answer);
  ADD ("/youtube-inbox/conversation", test_conversation);
  ADD ("/youtube-inbox/moderation", test_moderation);
  ADD ("/youtube-inbox/quota", test_quota);
  ADD ("/youtube-inbox/revoked", test_revoked);
  ADD ("/youtube-inbox/hostile", test_hostile);
#undef ADD
  return g_test_run ();
}
