/* test-x-inbox.c — the X provider's inbox against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-time.h"
#include "sd-x.h"

#include "fakes/sd-fake-x.h"

#define ALICE     "2244994945"
#define BOB       "2244994946"
#define CAROL     "2244994947"
#define TOKEN     "alice-access"

typedef struct
{
  SdFakeX          *fake;
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
  env->fake = sd_fake_x_new ();
  g_setenv ("SOCIALDESK_X_URL", sd_fake_x_get_url (env->fake), TRUE);
  sd_fake_x_add_user (env->fake, ALICE, "alice", TOKEN, "alice-refresh");
  sd_fake_x_add_user (env->fake, BOB, "bob", NULL, NULL);
  sd_fake_x_add_user (env->fake, CAROL, "carol", NULL, NULL);
  env->account = sd_account_new (SD_PLATFORM_X);
  sd_account_set_remote_id (env->account, ALICE);
  sd_account_set_handle (env->account, "alice");
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->provider = sd_provider_new_for_platform (SD_PLATFORM_X);
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
  g_clear_pointer (&env->fake, sd_fake_x_free);
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

/* One page of @stream into env->page (cleared first). */
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

static char *
add_mentions (Env   *env,
              guint  count)
{
  char *last = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("@alice number %u", i);

      g_free (last);
      last = sd_fake_x_add_tweet (env->fake, BOB, text, NULL, NULL, 0);
    }
  return last;
}

static void
test_streams (Env          *env,
              gconstpointer data)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (env->provider, env->account);
  SdInboxStream *stream;

  g_assert_cmpuint (streams->len, ==, 2);
  stream = g_ptr_array_index (streams, 0);
  g_assert_cmpstr (stream->id, ==, "mentions");
  g_assert_true (stream->available);
  stream = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (stream->id, ==, "dm");
  g_assert_true (stream->available);
}

static void
test_first_fetch (Env          *env,
                  gconstpointer data)
{
  g_autofree char *newest = add_mentions (env, 130);

  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  /* The newest page only, and the newest id as the cursor. */
  g_assert_cmpuint (env->page.messages->len, ==, 100);
  g_assert_null (env->page.next_page);
  g_assert_cmpstr (env->page.new_cursor, ==, newest);
  g_assert_nonnull (page_message (env, newest));
}

static void
test_incremental (Env          *env,
                  gconstpointer data)
{
  g_autofree char *first = add_mentions (env, 3);
  g_autofree char *cursor = NULL;
  g_autofree char *newest = NULL;

  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  cursor = g_strdup (env->page.new_cursor);
  g_assert_cmpstr (cursor, ==, first);

  newest = add_mentions (env, 2);
  g_assert_cmpint (fetch (env, "mentions", cursor, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
  g_assert_null (env->page.next_page);
  g_assert_cmpstr (env->page.new_cursor, ==, newest);

  /* Nothing new: nothing fetched, the cursor kept. */
  g_assert_cmpint (fetch (env, "mentions", newest, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 0);
  g_assert_null (env->page.new_cursor);
}

static void
test_pagination (Env          *env,
                 gconstpointer data)
{
  g_autofree char *old = add_mentions (env, 1);
  g_autofree char *newest = add_mentions (env, 150);
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpint (fetch (env, "mentions", old, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 100);
  g_assert_cmpstr (env->page.new_cursor, ==, newest);
  g_assert_nonnull (env->page.next_page);
  for (guint i = 0; i < env->page.messages->len; i++)
    g_hash_table_add (seen, g_strdup (sd_message_get_remote_id (g_ptr_array_index (env->page.messages, i))));
  token = g_strdup (env->page.next_page);

  g_assert_cmpint (fetch (env, "mentions", old, token), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 50);
  g_assert_null (env->page.next_page);
  g_assert_null (env->page.new_cursor);
  for (guint i = 0; i < env->page.messages->len; i++)
    g_hash_table_add (seen, g_strdup (sd_message_get_remote_id (g_ptr_array_index (env->page.messages, i))));
  /* 150 different posts, the old one not among them. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 150);
  g_assert_false (g_hash_table_contains (seen, old));
}

static void
test_kinds (Env          *env,
            gconstpointer data)
{
  g_autofree char *ours = sd_fake_x_add_tweet (env->fake, ALICE, "Our launch post", NULL, NULL, 300);
  g_autofree char *other = sd_fake_x_add_tweet (env->fake, CAROL, "Carol's own post", NULL, NULL, 290);
  g_autofree char *reply = sd_fake_x_add_tweet (env->fake, BOB, "@alice Ünïcödé 🎉 see https://example.com/a?b=1 & more",
                                                ours, NULL, 200);
  g_autofree char *quote = sd_fake_x_add_tweet (env->fake, CAROL, "@alice this is big", NULL, ours, 100);
  g_autofree char *mention = sd_fake_x_add_tweet (env->fake, BOB, "@carol @alice look at this", other, NULL, 50);
  SdMessage *message;
  SdMessageLink *link;
  const char *text;

  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);

  message = page_message (env, reply);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_stream (message), ==, "mentions");
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, ours);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, ours);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, ours);
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, BOB);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob");
  g_assert_cmpstr (sd_message_get_author_name (message), ==, "Bob");
  g_assert_nonnull (sd_message_get_author_avatar_url (message));
  g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_X);
  g_assert_cmpstr (sd_message_get_audience (message), ==, "public");
  g_assert_cmpint (sd_message_get_caps (message), ==,
                   SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE | SD_MESSAGE_CAN_HIDE);
  g_assert_cmpint (ABS (sd_message_get_sent_at (message) - (sd_time_now () - 200)), <=, 2);
  {
    g_autofree char *url = g_strdup_printf ("https://x.com/bob/status/%s", reply);
    g_assert_cmpstr (sd_message_get_url (message), ==, url);
  }
  /* X's escapes undone; the link at UTF-8 byte offsets over the t.co text. */
  text = sd_message_get_text (message);
  g_assert_cmpstr (text, ==, "@alice Ünïcödé 🎉 see https://t.co/AbCdEf1234 & more");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 1);
  link = g_ptr_array_index (sd_message_get_links (message), 0);
  g_assert_cmpstr (link->url, ==, "https://example.com/a?b=1");
  g_assert_cmpuint (link->start, ==, strstr (text, "https://t.co") - text);
  g_assert_cmpuint (link->end, ==, link->start + strlen ("https://t.co/AbCdEf1234"));

  message = page_message (env, quote);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_QUOTE);
  g_assert_null (sd_message_get_parent_remote_id (message));
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, quote);
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);

  message = page_message (env, mention);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, other);
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);

  /* The same items fetched again keep their remote ids (no duplicates). */
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (page_message (env, reply));
  g_assert_nonnull (page_message (env, quote));
}

static void
test_hostile (Env          *env,
              gconstpointer data)
{
  g_autoptr(GString) huge = g_string_new ("@alice ");
  g_autofree char *markup = sd_fake_x_add_tweet (env->fake, BOB,
                                                 "@alice <b>bold</b> <span foreground=\"red\">%s%n</span> "
                                                 "<a href=\"javascript:alert(1)\">x</a>", NULL, NULL, 30);
  g_autofree char *broken = sd_fake_x_add_tweet (env->fake, BOB, "@alice half \\ud800 a surrogate", NULL, NULL, 20);
  g_autofree char *big = NULL;
  SdMessage *message;

  while (huge->len < 300 * 1024)
    g_string_append (huge, "ééééé 🎉 ");
  big = sd_fake_x_add_tweet (env->fake, BOB, huge->str, NULL, NULL, 10);

  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);

  /* Markup stays text, as written. */
  message = page_message (env, markup);
  g_assert_cmpstr (sd_message_get_text (message), ==,
                   "@alice <b>bold</b> <span foreground=\"red\">%s%n</span> <a href=\"javascript:alert(1)\">x</a>");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);

  message = page_message (env, broken);
  g_assert_true (g_utf8_validate (sd_message_get_text (message), -1, NULL));
  g_assert_true (g_str_has_prefix (sd_message_get_text (message), "@alice half "));
  /* Served as a JSON escape of a lone surrogate, not as text. */
  g_assert_null (strstr (sd_message_get_text (message), "\\u"));

  message = page_message (env, big);
  g_assert_true (g_utf8_validate (sd_message_get_text (message), -1, NULL));
  g_assert_cmpuint (strlen (sd_message_get_text (message)), <=, 64 * 1024);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), >, 60 * 1024);
}

static SdMessage *
fetched (Env        *env,
         const char *stream,
         const char *remote_id)
{
  g_assert_cmpint (fetch (env, stream, NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (page_message (env, remote_id));
  return g_object_ref (page_message (env, remote_id));
}

static void
test_reply (Env          *env,
            gconstpointer data)
{
  g_autofree char *ours = sd_fake_x_add_tweet (env->fake, ALICE, "Our post", NULL, NULL, 300);
  g_autofree char *reply = sd_fake_x_add_tweet (env->fake, BOB, "@alice nice", ours, NULL, 200);
  g_autoptr(SdMessage) message = fetched (env, "mentions", reply);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "@bob thank you!", NULL);
  g_autofree char *made = NULL;
  g_autofree char *json = NULL;
  SdPublishContext ctx = env_context (env);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *post;

  ctx.reply_to = message;
  /* The answer is lost after X made the reply. */
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==,
                   SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_x_count_posts_with_text (env->fake, "@bob thank you!"), ==, 1);

  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  made = g_strdup (part->remote_id);
  json = sd_fake_x_dup_post_json (env->fake, made);
  keep = json_from_string (json, NULL);
  post = json_node_get_object (keep);
  g_assert_cmpstr (json_object_get_string_member (post, "in_reply_to_tweet_id"), ==, reply);
  g_assert_cmpstr (json_object_get_string_member (post, "conversation_id"), ==, ours);
  g_assert_cmpuint (sd_fake_x_count_posts_with_text (env->fake, "@bob thank you!"), ==, 1);

  /* A reply that certainly did not go out is looked for and not found. */
  {
    g_autoptr(SdPublishPart) unsent = sd_publish_part_new (0, "@bob never sent", NULL);

    unsent->stage = g_strdup ("tweet@0:");
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, unsent, NULL, &env->status), ==, SD_OUTCOME_RETRY);
  }
}

static void
test_dm (Env          *env,
         gconstpointer data)
{
  g_autofree char *conversation = sd_fake_x_dup_conversation_id (ALICE, BOB);
  g_autofree char *theirs = sd_fake_x_add_dm (env->fake, BOB, ALICE, "Hi <i>Alice</i> &amp; co", 300);
  g_autofree char *ours = sd_fake_x_add_dm (env->fake, ALICE, BOB, "Hi Bob", 200);
  g_autofree char *carol = sd_fake_x_add_dm (env->fake, CAROL, ALICE, "From Carol", 100);
  g_autofree char *cursor = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Thanks, Bob", NULL);
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);
  SdMessage *item;

  g_assert_cmpint (fetch (env, "dm", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 3);
  g_assert_cmpstr (env->page.new_cursor, ==, carol);
  g_assert_null (env->page.next_page);
  item = page_message (env, theirs);
  g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_DM);
  g_assert_cmpstr (sd_message_get_stream (item), ==, "dm");
  g_assert_cmpstr (sd_message_get_conversation_id (item), ==, conversation);
  g_assert_cmpstr (sd_message_get_author_handle (item), ==, "bob");
  g_assert_cmpstr (sd_message_get_audience (item), ==, "direct");
  g_assert_cmpint (sd_message_get_caps (item), ==, SD_MESSAGE_CAN_REPLY);
  g_assert_cmpstr (sd_message_get_text (item), ==, "Hi <i>Alice</i> &amp; co");
  item = page_message (env, ours);
  g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_author_remote_id (item), ==, ALICE);
  message = g_object_ref (page_message (env, theirs));
  cursor = g_strdup (env->page.new_cursor);

  /* Later: only what is newer than the cursor. */
  newer = sd_fake_x_add_dm (env->fake, BOB, ALICE, "Still there?", 10);
  g_assert_cmpint (fetch (env, "dm", cursor, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 1);
  g_assert_nonnull (page_message (env, newer));
  g_assert_cmpstr (env->page.new_cursor, ==, newer);
  g_assert_null (env->page.next_page);

  /* A reply goes into the conversation; its lost answer is found once. */
  ctx.reply_to = message;
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_AFTER, 1);
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==,
                   SD_OUTCOME_UNCERTAIN);
  g_assert_cmpuint (sd_fake_x_count_dms_with_text (env->fake, "Thanks, Bob"), ==, 1);
  g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  g_assert_nonnull (part->remote_id);
  g_assert_cmpuint (sd_fake_x_count_posts (env->fake), ==, 0);

  /* A second reply, answered: in the same conversation. */
  {
    g_autoptr(SdPublishPart) second = sd_publish_part_new (0, "See you", NULL);

    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), ==,
                     SD_OUTCOME_DONE);
    g_assert_cmpuint (sd_fake_x_count_dms_with_text (env->fake, "See you"), ==, 1);
  }

  /* Refused before it was made: certainly not there, then sent once. */
  {
    g_autoptr(SdPublishPart) third = sd_publish_part_new (0, "Bye", NULL);

    /* The request went out, so the client cannot tell. */
    sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_RESET_BEFORE, 1);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, third, NULL, &env->status), ==,
                     SD_OUTCOME_UNCERTAIN);
    g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, third, NULL, &env->status), ==,
                     SD_OUTCOME_RETRY);
    g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, third, NULL, &env->status), ==,
                     SD_OUTCOME_DONE);
    g_assert_cmpuint (sd_fake_x_count_dms_with_text (env->fake, "Bye"), ==, 1);
  }

  /* The conversation's history: both sides, Carol's not. */
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, history, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (history->len, ==, 6);
  for (guint i = 0; i < history->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (history, i)), ==, conversation);

  /* DMs cannot be liked. */
  g_assert_cmpint (sd_provider_message_action (env->provider, &ctx, SD_MESSAGE_ACTION_LIKE, message, NULL,
                                               &env->status), ==, SD_OUTCOME_FAILED);
}

static void
test_dm_scope (Env          *env,
               gconstpointer data)
{
  sd_fake_x_set_dm_scope (env->fake, ALICE, FALSE);
  g_free (sd_fake_x_add_dm (env->fake, BOB, ALICE, "Hello", 10));
  g_assert_cmpint (fetch (env, "dm", NULL, NULL), ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (env->status.http_status, ==, 403);
  g_assert_nonnull (strstr (env->status.message, "Sign in to X again"));
  g_assert_nonnull (strstr (env->status.message, "Forbidden"));
  /* Mentions still work. */
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
}

static void
test_actions (Env          *env,
              gconstpointer data)
{
  g_autofree char *ours = sd_fake_x_add_tweet (env->fake, ALICE, "Our post", NULL, NULL, 300);
  g_autofree char *reply = sd_fake_x_add_tweet (env->fake, BOB, "@alice rude", ours, NULL, 200);
  g_autofree char *mention = sd_fake_x_add_tweet (env->fake, CAROL, "@alice hello", NULL, NULL, 100);
  g_autoptr(SdMessage) message = fetched (env, "mentions", reply);
  g_autoptr(SdMessage) other = g_object_ref (page_message (env, mention));
  SdPublishContext ctx = env_context (env);

#define ACT(action, m) sd_provider_message_action (env->provider, &ctx, action, m, NULL, &env->status)
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_LIKE, message), ==, SD_OUTCOME_DONE);
  g_assert_true (sd_fake_x_is_liked (env->fake, ALICE, reply));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_UNLIKE, message), ==, SD_OUTCOME_DONE);
  g_assert_false (sd_fake_x_is_liked (env->fake, ALICE, reply));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_HIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_true (sd_fake_x_is_hidden (env->fake, reply));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_UNHIDE, message), ==, SD_OUTCOME_DONE);
  g_assert_false (sd_fake_x_is_hidden (env->fake, reply));
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_DELETE, message), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (env->status.message);
  /* Not in a conversation of ours: X refuses, in its words. */
  g_assert_cmpint (ACT (SD_MESSAGE_ACTION_HIDE, other), ==, SD_OUTCOME_FAILED);
  g_assert_nonnull (strstr (env->status.message, "conversations you authored"));
#undef ACT
}

static void
test_conversation (Env          *env,
                   gconstpointer data)
{
  g_autofree char *ours = sd_fake_x_add_tweet (env->fake, ALICE, "Our post", NULL, NULL, 300);
  g_autofree char *first = sd_fake_x_add_tweet (env->fake, CAROL, "@alice first", ours, NULL, 250);
  g_autofree char *reply = sd_fake_x_add_tweet (env->fake, BOB, "@carol @alice agreed", first, NULL, 200);
  g_autoptr(SdMessage) message = fetched (env, "mentions", reply);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);
  gboolean saw_ours = FALSE;
  gboolean saw_first = FALSE;

  /* Without a paid tier search is refused: the parents are read. */
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 2);
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *item = g_ptr_array_index (messages, i);

      if (g_strcmp0 (sd_message_get_remote_id (item), ours) == 0)
        {
          saw_ours = TRUE;
          g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_OWN);
        }
      if (g_strcmp0 (sd_message_get_remote_id (item), first) == 0)
        {
          saw_first = TRUE;
          g_assert_cmpint (sd_message_get_kind (item), ==, SD_MESSAGE_KIND_REPLY);
        }
    }
  g_assert_true (saw_ours && saw_first);

  /* With search: the whole conversation. */
  g_ptr_array_set_size (messages, 0);
  sd_fake_x_set_search_allowed (env->fake, TRUE);
  g_free (sd_fake_x_add_tweet (env->fake, CAROL, "@bob no", reply, NULL, 100));
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 4);  /* the 3 replies found and our post, each once */
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  g_free (add_mentions (env, 2));
  sd_fake_http_inject_fault (sd_fake_x_get_http (env->fake), SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_RETRY);
  g_assert_cmpuint (env->status.http_status, ==, 429);
  g_assert_cmpint (env->status.retry_after, >=, 1);
  g_assert_cmpint (env->status.retry_after, <=, 3);
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (env->page.messages->len, ==, 2);
}

static void
test_revoked (Env          *env,
              gconstpointer data)
{
  sd_fake_http_revoke_user (sd_fake_x_get_http (env->fake), ALICE);
  g_assert_cmpint (fetch (env, "mentions", NULL, NULL), ==, SD_OUTCOME_AUTH);
  g_assert_cmpint (fetch (env, "dm", NULL, NULL), ==, SD_OUTCOME_AUTH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/x/inbox/streams", test_streams);
  ADD ("/x/inbox/first-fetch", test_first_fetch);
  ADD ("/x/inbox/incremental", test_incremental);
  ADD ("/x/inbox/pagination", test_pagination);
  ADD ("/x/inbox/kinds", test_kinds);
  ADD ("/x/inbox/hostile", test_hostile);
  ADD ("/x/inbox/reply", test_reply);
  ADD ("/x/inbox/dm", test_dm);
  ADD ("/x/inbox/dm-scope", test_dm_scope);
  ADD ("/x/inbox/actions", test_actions);
  ADD ("/x/inbox/conversation", test_conversation);
  ADD ("/x/inbox/429", test_rate_limited);
  ADD ("/x/inbox/revoked", test_revoked);
#undef ADD

  return g_test_run ();
}
