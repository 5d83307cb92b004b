/* test-mastodon-inbox.c — the Mastodon provider's inbox against the loopback fake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-account.h"
#include "sd-http.h"
#include "sd-mastodon.h"
#include "sd-time.h"

#include "fakes/sd-fake-mastodon.h"

#define TOKEN "alice-token"

typedef struct
{
  SdFakeMastodon   *fake;
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  char             *account_id;
  JsonObject       *options;
  SdProviderStatus  status;
} Env;

static void
env_setup (Env          *env,
           gconstpointer data)
{
  g_autofree char *handle = NULL;

  env->fake = sd_fake_mastodon_new ();
  sd_fake_mastodon_set_rate_limit (env->fake, 0);
  env->account_id = sd_fake_mastodon_add_account (env->fake, "alice", TOKEN);
  env->account = sd_account_new (SD_PLATFORM_MASTODON);
  sd_account_set_server_url (env->account, sd_fake_mastodon_get_url (env->fake));
  sd_account_set_remote_id (env->account, env->account_id);
  handle = g_strdup_printf ("alice@%s", sd_fake_mastodon_get_domain (env->fake));
  sd_account_set_handle (env->account, handle);
  env->credentials = sd_credentials_new ();
  env->credentials->access_token = g_strdup (TOKEN);
  env->provider = SD_PROVIDER (sd_mastodon_new ());
  env->options = json_object_new ();
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  sd_provider_status_clear (&env->status);
  g_clear_pointer (&env->options, json_object_unref);
  g_clear_object (&env->provider);
  g_clear_pointer (&env->credentials, sd_credentials_free);
  g_clear_object (&env->account);
  g_clear_pointer (&env->account_id, g_free);
  g_clear_pointer (&env->fake, sd_fake_mastodon_free);
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

static char *
handle_of (Env        *env,
           const char *user)
{
  return g_strdup_printf ("%s@%s", user, sd_fake_mastodon_get_domain (env->fake));
}

/* One page of @stream; asserts DONE. */
static void
fetch (Env         *env,
       const char  *stream,
       const char  *cursor,
       const char  *page_token,
       SdInboxPage *page)
{
  SdPublishContext ctx = env_context (env);

  sd_inbox_page_init (page);
  g_assert_cmpint (sd_provider_fetch_inbox (env->provider, &ctx, stream, cursor, page_token, page, NULL,
                                            &env->status), ==, SD_OUTCOME_DONE);
  for (guint i = 0; i < page->messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (page->messages, i);

      g_assert_cmpstr (sd_message_get_account_id (message), ==, sd_account_get_id (env->account));
      g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_MASTODON);
      g_assert_cmpstr (sd_message_get_stream (message), ==, stream);
      g_assert_nonnull (sd_message_get_remote_id (message));
    }
}

static SdMessage *
find_message (SdInboxPage *page,
              const char  *remote_id)
{
  for (guint i = 0; i < page->messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (page->messages, i);
      if (g_strcmp0 (sd_message_get_remote_id (message), remote_id) == 0)
        return message;
    }
  return NULL;
}

static char *
add_mention (Env        *env,
             const char *from,
             const char *text)
{
  g_autofree char *html = g_strdup_printf ("<p><span class=\"h-card\"><a href=\"%s/@alice\" class=\"u-url mention\">"
                                           "@<span>alice</span></a></span> %s</p>",
                                           sd_fake_mastodon_get_url (env->fake), text);

  return sd_fake_mastodon_add_notification (env->fake, "mention", from, html, NULL, NULL);
}

/* Fetching */

static void
test_first_fetch_then_since_id (Env          *env,
                                gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *cursor = NULL;
  g_autofree char *newest_first = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *token = NULL;
  guint pages = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("old %u", i);
      g_autofree char *id = add_mention (env, "bob", text);
      if (i == 49)
        newest_first = g_steal_pointer (&id);
    }

  /* The first fetch ever: the newest page only. */
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 40);
  g_assert_null (page.next_page);
  g_assert_nonnull (page.new_cursor);
  g_assert_nonnull (find_message (&page, newest_first));
  cursor = g_strdup (page.new_cursor);
  sd_inbox_page_clear (&page);

  /* Nothing new: an empty page keeps the cursor. */
  fetch (env, "notifications", cursor, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 0);
  g_assert_null (page.new_cursor);
  g_assert_null (page.next_page);
  sd_inbox_page_clear (&page);

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("new %u", i);
      g_autofree char *id = add_mention (env, "carol", text);
    }

  /* Later: since_id = cursor, then the Link header's max_id until done. */
  do
    {
      fetch (env, "notifications", cursor, token, &page);
      g_free (token);
      token = g_steal_pointer (&page.next_page);
      if (pages == 0)
        {
          g_assert_nonnull (page.new_cursor);
          g_assert_cmpint (strcmp (page.new_cursor, cursor), >, 0);
        }
      else
        g_assert_null (page.new_cursor);
      for (guint i = 0; i < page.messages->len; i++)
        {
          SdMessage *message = g_ptr_array_index (page.messages, i);

          g_assert_cmpstr (sd_message_get_author_name (message), ==, "carol");
          g_assert_true (g_hash_table_add (seen, g_strdup (sd_message_get_remote_id (message))));
        }
      sd_inbox_page_clear (&page);
      pages++;
    }
  while (token != NULL && pages < 10);
  g_assert_cmpuint (pages, >=, 2);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 45);
}

static void
test_activity_only_when_asked (Env          *env,
                               gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *mine = sd_fake_mastodon_add_raw_status (env->fake, env->account_id, "<p>my post</p>", NULL);
  g_autofree char *mention = add_mention (env, "bob", "hello");
  g_autofree char *favourite = sd_fake_mastodon_add_notification (env->fake, "favourite", "carol", NULL, mine, NULL);
  g_autofree char *follow = sd_fake_mastodon_add_notification (env->fake, "follow", "dave", NULL, NULL, NULL);
  g_autofree char *follow_id = NULL;
  SdMessage *message;
  guint activities = 0;

  g_assert_cmpstr (favourite, ==, mine);
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 1);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (page.messages, 0)), ==, mention);
  sd_inbox_page_clear (&page);

  json_object_set_boolean_member (env->options, "with_activity", TRUE);
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 3);
  for (guint i = 0; i < page.messages->len; i++)
    {
      message = g_ptr_array_index (page.messages, i);
      if (sd_message_get_kind (message) != SD_MESSAGE_KIND_ACTIVITY)
        continue;
      activities++;
      g_assert_true (g_str_has_prefix (sd_message_get_remote_id (message), "notification:"));
      g_assert_cmpuint (sd_message_get_caps (message), ==, 0);
      if (g_strcmp0 (sd_message_get_author_name (message), "carol") == 0)
        {
          g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, mine);
          g_assert_true (g_str_has_prefix (sd_message_get_text (message), "Favourited your post\n\nmy post"));
        }
      else
        {
          g_assert_cmpstr (sd_message_get_author_name (message), ==, "dave");
          follow_id = g_strconcat ("notification:", follow, NULL);
          g_assert_cmpstr (sd_message_get_remote_id (message), ==, follow_id);
          g_assert_cmpstr (sd_message_get_text (message), ==, "Followed you");
        }
    }
  g_assert_cmpuint (activities, ==, 2);
  sd_inbox_page_clear (&page);

  /* The option may come as text too. */
  json_object_set_string_member (env->options, "with_activity", "false");
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 1);
  sd_inbox_page_clear (&page);
}

static void
test_kinds_and_ids (Env          *env,
                    gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *mine = sd_fake_mastodon_add_raw_status (env->fake, env->account_id, "<p>my post</p>", NULL);
  g_autofree char *reply = sd_fake_mastodon_add_notification (env->fake, "mention", "bob", "<p>@alice nice</p>",
                                                              mine, "unlisted");
  g_autofree char *deeper = sd_fake_mastodon_add_notification (env->fake, "mention", "carol@remote.example",
                                                               "<p>@alice @bob agreed</p>", reply, "private");
  g_autofree char *mention = add_mention (env, "dave", "look");
  g_autofree char *dm = sd_fake_mastodon_add_dm (env->fake, "erin", "<p>@alice psst</p>", NULL);
  g_autofree char *bob_handle = handle_of (env, "bob");
  SdMessage *message;

  sd_fake_mastodon_set_display_name (env->fake, "dave", "Dave :blobcat: <b>D</b>");
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 3);   /* the DM comes through "conversations" */
  g_assert_null (find_message (&page, dm));

  message = find_message (&page, reply);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, mine);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, mine);
  g_assert_cmpstr (sd_message_get_audience (message), ==, "unlisted");
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, bob_handle);
  g_assert_cmpstr (sd_message_get_text (message), ==, "@alice nice");
  g_assert_cmpuint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  g_assert_true (g_str_has_suffix (sd_message_get_url (message), reply));
  g_assert_cmpint (sd_message_get_sent_at (message), >, 0);

  /* A reply to bob's reply: not to us, so a mention; the chain's root is known from the page. */
  message = find_message (&page, deeper);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, reply);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, mine);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "carol@remote.example");
  g_assert_cmpstr (sd_message_get_audience (message), ==, "private");

  message = find_message (&page, mention);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, mention);
  g_assert_null (sd_message_get_parent_remote_id (message));
  g_assert_cmpstr (sd_message_get_author_name (message), ==, "Dave :blobcat: <b>D</b>");
  g_assert_cmpstr (sd_message_get_text (message), ==, "@alice look");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 1);
  sd_inbox_page_clear (&page);

  /* The same items fetched again have the same remote ids (no duplicates). */
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_nonnull (find_message (&page, reply));
  g_assert_nonnull (find_message (&page, deeper));
  g_assert_nonnull (find_message (&page, mention));
  sd_inbox_page_clear (&page);
}

static void
test_conversations (Env          *env,
                    gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *first = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice one</p>", NULL);
  g_autofree char *other = sd_fake_mastodon_add_dm (env->fake, "carol", "<p>@alice other</p>", NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *conversation_id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  SdMessage *message;

  fetch (env, "conversations", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 2);
  message = find_message (&page, first);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_DM);
  g_assert_cmpstr (sd_message_get_audience (message), ==, "direct");
  g_assert_cmpstr (sd_message_get_text (message), ==, "@alice one");
  conversation_id = g_strdup (sd_message_get_conversation_id (message));
  g_assert_cmpstr (conversation_id, !=, first);
  g_assert_cmpstr (sd_message_get_conversation_id (find_message (&page, other)), !=, conversation_id);
  g_assert_cmpstr (page.new_cursor, ==, other);
  g_assert_null (page.next_page);
  cursor = g_strdup (page.new_cursor);
  sd_inbox_page_clear (&page);

  /* Two DMs in a row in bob's conversation: both come, in the same conversation. */
  second = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice two</p>", first);
  third = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice three</p>", second);
  fetch (env, "conversations", cursor, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 2);
  g_assert_cmpstr (sd_message_get_conversation_id (find_message (&page, second)), ==, conversation_id);
  g_assert_cmpstr (sd_message_get_conversation_id (find_message (&page, third)), ==, conversation_id);
  g_assert_cmpint (sd_message_get_kind (find_message (&page, second)), ==, SD_MESSAGE_KIND_DM);
  g_assert_null (find_message (&page, first));
  g_assert_cmpstr (page.new_cursor, ==, third);
  sd_inbox_page_clear (&page);
}

static void
test_conversation_paging (Env          *env,
                          gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *cursor = NULL;
  char *token = NULL;
  guint total = 0;
  guint pages = 0;

  {
    g_autofree char *id = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>start</p>", NULL);
  }
  fetch (env, "conversations", NULL, NULL, &page);
  cursor = g_strdup (page.new_cursor);
  sd_inbox_page_clear (&page);

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *from = g_strdup_printf ("user%u", i);
      g_autofree char *id = sd_fake_mastodon_add_dm (env->fake, from, "<p>hi</p>", NULL);
    }
  do
    {
      fetch (env, "conversations", cursor, token, &page);
      g_free (token);
      token = g_steal_pointer (&page.next_page);
      total += page.messages->len;
      sd_inbox_page_clear (&page);
      pages++;
    }
  while (token != NULL && pages < 10);
  g_assert_cmpuint (pages, >=, 2);
  g_assert_cmpuint (total, ==, 45);
}

static void
test_own_last_status (Env          *env,
                      gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *first = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice hi</p>", NULL);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "@bob hello back", NULL);
  g_autoptr(SdMessage) answered = NULL;

  fetch (env, "conversations", NULL, NULL, &page);
  answered = g_object_ref (find_message (&page, first));
  sd_inbox_page_clear (&page);

  ctx.reply_to = answered;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);

  fetch (env, "conversations", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 1);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (page.messages, 0)), ==, part->remote_id);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (page.messages, 0)), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (page.messages, 0)), ==,
                   sd_message_get_conversation_id (answered));
  sd_inbox_page_clear (&page);
}

/* Hostile content */

static void
test_hostile_content (Env          *env,
                      gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *scripted = sd_fake_mastodon_add_notification (
    env->fake, "mention", "mallory",
    "<p>hi<script>alert('x')</script><style>p{}</style><iframe src=\"https://evil.example/\">f</iframe> there</p>"
    "<p><a href=\"javascript:alert(1)\">click</a></p>", NULL, NULL);
  g_autofree char *markup = sd_fake_mastodon_add_notification (
    env->fake, "mention", "mallory",
    "<p>&lt;b&gt;bold?&lt;/b&gt; <b>b</b> <span foreground=\"red\">red</span> &lt;big&gt;%s%n&lt;/big&gt; &amp;amp;</p>",
    NULL, NULL);
  g_autofree char *invalid = sd_fake_mastodon_add_notification (env->fake, "mention", "mallory",
                                                                "<p>bad \xff\xfe bytes</p>", NULL, NULL);
  GString *huge_html = g_string_new ("<p>");
  g_autofree char *huge = NULL;
  g_autofree char *spoiler = add_mention (env, "bob", "behind a warning");
  SdMessage *message;
  const char *text;

  while (huge_html->len < 1024 * 1024)
    g_string_append (huge_html, "lorem <b>ipsum</b> ");
  g_string_append (huge_html, "</p>");
  huge = sd_fake_mastodon_add_notification (env->fake, "mention", "mallory", huge_html->str, NULL, NULL);
  g_string_free (huge_html, TRUE);
  sd_fake_mastodon_set_spoiler_text (env->fake, spoiler, "<b>spoilers</b> & more");

  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 5);

  message = find_message (&page, scripted);
  g_assert_cmpstr (sd_message_get_text (message), ==, "hi there\n\nclick");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);

  message = find_message (&page, markup);
  g_assert_cmpstr (sd_message_get_text (message), ==, "<b>bold?</b> b red <big>%s%n</big> &amp;");

  message = find_message (&page, invalid);
  text = sd_message_get_text (message);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "bad "));
  g_assert_true (g_str_has_suffix (text, " bytes"));

  message = find_message (&page, huge);
  text = sd_message_get_text (message);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "lorem ipsum lorem ipsum"));
  g_assert_cmpuint (strlen (text), <=, 1024 * 1024);

  /* The content warning comes first, as text; the links keep their place. */
  message = find_message (&page, spoiler);
  g_assert_cmpstr (sd_message_get_text (message), ==, "CW: <b>spoilers</b> & more\n@alice behind a warning");
  {
    SdMessageLink *link = g_ptr_array_index (sd_message_get_links (message), 0);
    g_assert_cmpmem (sd_message_get_text (message) + link->start, link->end - link->start, "@alice", 6);
  }
  sd_inbox_page_clear (&page);
}

/* Conversation context */

static void
test_fetch_conversation (Env          *env,
                         gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *mine = sd_fake_mastodon_add_raw_status (env->fake, env->account_id, "<p>root</p>", NULL);
  g_autofree char *reply = sd_fake_mastodon_add_notification (env->fake, "mention", "bob", "<p>@alice yes</p>",
                                                              mine, NULL);
  g_autofree char *answer = sd_fake_mastodon_add_raw_status (env->fake, env->account_id, "<p>@bob thanks</p>", reply);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdMessage) message = NULL;
  g_autofree char *carol_id = NULL;
  g_autofree char *aside = NULL;

  /* carol answers bob without mentioning alice: context only */
  aside = sd_fake_mastodon_add_notification (env->fake, "mention", "carol", "<p>@bob me too</p>", reply, NULL);
  carol_id = sd_fake_mastodon_add_account (env->fake, "carol", NULL);

  fetch (env, "notifications", NULL, NULL, &page);
  message = g_object_ref (find_message (&page, reply));
  sd_inbox_page_clear (&page);

  g_assert_true (sd_provider_can_fetch_conversation (env->provider));
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 4);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (messages, 0)), ==, mine);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 0)), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_text (g_ptr_array_index (messages, 0)), ==, "root");
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (messages, 1)), ==, reply);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 1)), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (messages, 2)), ==, answer);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 2)), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (messages, 3)), ==, aside);
  /* the fake mentions alice in every seeded status, so carol's counts as a mention */
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 3)), ==, SD_MESSAGE_KIND_MENTION);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (messages, i)), ==,
                     sd_message_get_conversation_id (message));
}

static void
test_context_of_others (Env          *env,
                        gconstpointer data)
{
  g_autofree char *bob_id = sd_fake_mastodon_add_account (env->fake, "bob", "bob-token");
  g_autofree char *carol_id = sd_fake_mastodon_add_account (env->fake, "carol", "carol-token");
  g_autofree char *bobs = sd_fake_mastodon_add_raw_status (env->fake, bob_id, "<p>bob's post</p>", NULL);
  g_autofree char *carols = sd_fake_mastodon_add_raw_status (env->fake, carol_id, "<p>carol chimes in</p>", bobs);
  g_autofree char *mention = sd_fake_mastodon_add_notification (env->fake, "mention", "dave", "<p>@alice see</p>",
                                                                carols, NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdMessage) message = sd_message_new ();

  sd_message_set_remote_id (message, mention);
  sd_message_set_kind (message, SD_MESSAGE_KIND_MENTION);
  sd_message_set_conversation_id (message, "thread-1");
  g_assert_cmpint (sd_provider_fetch_conversation (env->provider, &ctx, message, messages, NULL, &env->status),
                   ==, SD_OUTCOME_DONE);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 0)), ==, SD_MESSAGE_KIND_CONTEXT);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 1)), ==, SD_MESSAGE_KIND_CONTEXT);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 2)), ==, SD_MESSAGE_KIND_MENTION);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (sd_message_get_conversation_id (g_ptr_array_index (messages, i)), ==, "thread-1");
}

/* Actions */

static void
test_like_unlike_hide (Env          *env,
                       gconstpointer data)
{
  SdInboxPage page;
  g_autofree char *mention = add_mention (env, "bob", "like me");
  SdPublishContext ctx = env_context (env);
  g_autoptr(SdMessage) message = NULL;

  fetch (env, "notifications", NULL, NULL, &page);
  message = g_object_ref (find_message (&page, mention));
  sd_inbox_page_clear (&page);
  g_assert_false (sd_message_get_is_liked (message));

  g_assert_cmpint (sd_provider_message_action (env->provider, &ctx, SD_MESSAGE_ACTION_LIKE, message, NULL,
                                               &env->status), ==, SD_OUTCOME_DONE);
  g_assert_true (sd_fake_mastodon_is_favourited (env->fake, mention, env->account_id));
  g_assert_true (sd_message_get_is_liked (message));

  /* Fetched again, the network says it is liked. */
  fetch (env, "notifications", NULL, NULL, &page);
  g_assert_true (sd_message_get_is_liked (find_message (&page, mention)));
  sd_inbox_page_clear (&page);

  g_assert_cmpint (sd_provider_message_action (env->provider, &ctx, SD_MESSAGE_ACTION_UNLIKE, message, NULL,
                                               &env->status), ==, SD_OUTCOME_DONE);
  g_assert_false (sd_fake_mastodon_is_favourited (env->fake, mention, env->account_id));
  g_assert_false (sd_message_get_is_liked (message));

  for (SdMessageAction action = SD_MESSAGE_ACTION_HIDE; action <= SD_MESSAGE_ACTION_DELETE; action++)
    {
      sd_provider_status_clear (&env->status);
      g_assert_cmpint (sd_provider_message_action (env->provider, &ctx, action, message, NULL, &env->status),
                       ==, SD_OUTCOME_FAILED);
      g_assert_nonnull (env->status.message);
      g_assert_nonnull (strstr (env->status.message, "Mastodon"));
    }
  g_assert_cmpuint (sd_fake_mastodon_count_statuses (env->fake), ==, 1);
}

/* Replies */

static SdMessage *
fetched (Env        *env,
         const char *stream,
         const char *remote_id)
{
  SdInboxPage page;
  SdMessage *message;

  fetch (env, stream, NULL, NULL, &page);
  message = find_message (&page, remote_id);
  g_assert_nonnull (message);
  g_object_ref (message);
  sd_inbox_page_clear (&page);
  return message;
}

static void
assert_reply (Env        *env,
              const char *reply_id,
              const char *in_reply_to_id,
              const char *visibility,
              const char *text)
{
  g_autofree char *json = sd_fake_mastodon_dup_status_json (env->fake, reply_id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JsonObject *status = json_node_get_object (node);
  g_autofree char *plain = sd_mastodon_html_to_text (json_object_get_string_member (status, "content"));

  g_assert_cmpstr (json_object_get_string_member (status, "in_reply_to_id"), ==, in_reply_to_id);
  g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, visibility);
  if (text != NULL)
    g_assert_cmpstr (plain, ==, text);
}

static void
test_reply_visibility (Env          *env,
                       gconstpointer data)
{
  const char *audiences[][2] = {
    { "public", "public" }, { "unlisted", "unlisted" }, { "private", "private" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (audiences); i++)
    {
      g_autofree char *mention = sd_fake_mastodon_add_notification (env->fake, "mention", "bob", "<p>@alice q</p>",
                                                                    NULL, audiences[i][0]);
      g_autoptr(SdMessage) message = fetched (env, "notifications", mention);
      g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "an answer", NULL);
      g_autoptr(SdPublishPart) second = sd_publish_part_new (1, "and more", NULL);
      SdPublishContext ctx = env_context (env);

      ctx.reply_to = message;
      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
      assert_reply (env, part->remote_id, mention, audiences[i][1], "an answer");
      g_assert_cmpuint (sd_fake_mastodon_count_replies_to (env->fake, mention), ==, 1);

      /* A later part threads under the first. */
      ctx.reply_to = NULL;
      ctx.parent = part;
      ctx.root = part;
      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, second, NULL, &env->status), ==, SD_OUTCOME_DONE);
      g_assert_cmpuint (sd_fake_mastodon_count_replies_to (env->fake, part->remote_id), ==, 1);
    }
}

static void
test_dm_reply (Env          *env,
               gconstpointer data)
{
  g_autofree char *dm = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice secret?</p>", NULL);
  g_autofree char *remote_dm = sd_fake_mastodon_add_dm (env->fake, "carol@remote.example", "<p>hi</p>", NULL);
  g_autoptr(SdMessage) message = fetched (env, "conversations", dm);
  g_autoptr(SdMessage) remote = fetched (env, "conversations", remote_dm);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "yes, secret", NULL);
  g_autoptr(SdPublishPart) named = sd_publish_part_new (0, "thanks @bob!", NULL);
  g_autoptr(SdPublishPart) to_remote = sd_publish_part_new (0, "hello", NULL);
  g_autoptr(SdPublishPart) bobby = sd_publish_part_new (0, "cc @bobby", NULL);
  g_autofree char *bob_handle = handle_of (env, "bob");
  g_autofree char *expected = g_strdup_printf ("@%s yes, secret", bob_handle);
  g_autofree char *expected_bobby = g_strdup_printf ("@%s cc @bobby", bob_handle);
  SdPublishContext ctx = env_context (env);
  SdInboxPage page;

  ctx.reply_to = message;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==, SD_OUTCOME_DONE);
  assert_reply (env, part->remote_id, dm, "direct", expected);

  /* Already mentioned: not twice; "@bobby" is someone else. */
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, named, NULL, &env->status), ==, SD_OUTCOME_DONE);
  assert_reply (env, named->remote_id, dm, "direct", "thanks @bob!");
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, bobby, NULL, &env->status), ==, SD_OUTCOME_DONE);
  assert_reply (env, bobby->remote_id, dm, "direct", expected_bobby);

  ctx.reply_to = remote;
  g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, to_remote, NULL, &env->status), ==, SD_OUTCOME_DONE);
  assert_reply (env, to_remote->remote_id, remote_dm, "direct", "@carol@remote.example hello");

  /* Bob sees the answer in the same conversation. */
  fetch (env, "conversations", NULL, NULL, &page);
  g_assert_cmpuint (page.messages->len, ==, 2);
  g_assert_nonnull (find_message (&page, bobby->remote_id));
  g_assert_cmpstr (sd_message_get_conversation_id (find_message (&page, bobby->remote_id)), ==,
                   sd_message_get_conversation_id (message));
  sd_inbox_page_clear (&page);
}

static void
test_lost_reply_found (Env          *env,
                       gconstpointer data)
{
  g_autofree char *dm = sd_fake_mastodon_add_dm (env->fake, "bob", "<p>@alice are you there?</p>", NULL);
  g_autofree char *mention = add_mention (env, "carol", "ping");
  const char *answered[] = { dm, mention };
  const char *streams[] = { "conversations", "notifications" };

  for (guint i = 0; i < G_N_ELEMENTS (answered); i++)
    {
      g_autoptr(SdMessage) message = fetched (env, streams[i], answered[i]);
      g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "here I am", NULL);
      g_autoptr(SdPublishPart) copy = NULL;
      g_autoptr(SdPublishPart) unsent = sd_publish_part_new (0, "never sent", NULL);
      SdPublishContext ctx = env_context (env);

      ctx.reply_to = message;
      /* Twice: libsoup may resend once by itself on a reused connection. */
      sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_RESET_AFTER, 2);
      g_assert_cmpint (sd_provider_publish_part (env->provider, &ctx, part, NULL, &env->status), ==,
                       SD_OUTCOME_UNCERTAIN);
      sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);
      g_assert_cmpuint (sd_fake_mastodon_count_replies_to (env->fake, answered[i]), ==, 1);

      copy = sd_publish_part_new (0, part->text, NULL);
      g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, copy, NULL, &env->status), ==, SD_OUTCOME_DONE);
      g_assert_nonnull (copy->remote_id);
      g_assert_cmpuint (sd_fake_mastodon_count_replies_to (env->fake, answered[i]), ==, 1);
      assert_reply (env, copy->remote_id, answered[i], i == 0 ? "direct" : "public", NULL);

      /* A reply that never went is certainly absent. */
      g_assert_cmpint (sd_provider_find_part (env->provider, &ctx, unsent, NULL, &env->status), ==, SD_OUTCOME_RETRY);
    }
}

static void
test_rate_limited (Env          *env,
                   gconstpointer data)
{
  SdInboxPage page;
  SdPublishContext ctx = env_context (env);
  g_autofree char *mention = add_mention (env, "bob", "hi");
  g_autoptr(SdMessage) message = fetched (env, "notifications", mention);
  const char *streams[] = { "notifications", "conversations" };

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      sd_inbox_page_init (&page);
      sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_429, 1);
      g_assert_cmpint (sd_provider_fetch_inbox (env->provider, &ctx, streams[i], NULL, NULL, &page, NULL,
                                                &env->status), ==, SD_OUTCOME_RETRY);
      g_assert_cmpuint (env->status.http_status, ==, 429);
      g_assert_cmpint (env->status.retry_after, >, 0);
      g_assert_cmpint (env->status.retry_after, <=, 3);
      g_assert_null (page.new_cursor);
      sd_inbox_page_clear (&page);
      sd_provider_status_clear (&env->status);
    }

  sd_fake_mastodon_inject_fault (env->fake, SD_FAKE_FAULT_429, 1);
  g_assert_cmpint (sd_provider_message_action (env->provider, &ctx, SD_MESSAGE_ACTION_LIKE, message, NULL,
                                               &env->status), ==, SD_OUTCOME_RETRY);
  g_assert_cmpint (env->status.retry_after, >, 0);
  g_assert_false (sd_fake_mastodon_is_favourited (env->fake, mention, env->account_id));
}

static void
test_streams (Env          *env,
              gconstpointer data)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (env->provider, env->account);
  SdInboxStream *stream;

  g_assert_cmpuint (streams->len, ==, 2);
  stream = g_ptr_array_index (streams, 0);
  g_assert_cmpstr (stream->id, ==, "notifications");
  g_assert_cmpstr (stream->title, ==, "Mentions and replies");
  g_assert_true (stream->available);
  stream = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (stream->id, ==, "conversations");
  g_assert_cmpstr (stream->title, ==, "Direct messages");
  g_assert_true (stream->available);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Env, NULL, env_setup, func, env_teardown)
  ADD ("/mastodon-inbox/streams", test_streams);
  ADD ("/mastodon-inbox/first-fetch-then-since-id", test_first_fetch_then_since_id);
  ADD ("/mastodon-inbox/activity-only-when-asked", test_activity_only_when_asked);
  ADD ("/mastodon-inbox/kinds-and-ids", test_kinds_and_ids);
  ADD ("/mastodon-inbox/conversations", test_conversations);
  ADD ("/mastodon-inbox/conversation-paging", test_conversation_paging);
  ADD ("/mastodon-inbox/own-last-status", test_own_last_status);
  ADD ("/mastodon-inbox/hostile-content", test_hostile_content);
  ADD ("/mastodon-inbox/fetch-conversation", test_fetch_conversation);
  ADD ("/mastodon-inbox/context-of-others", test_context_of_others);
  ADD ("/mastodon-inbox/like-unlike-hide", test_like_unlike_hide);
  ADD ("/mastodon-inbox/reply-visibility", test_reply_visibility);
  ADD ("/mastodon-inbox/dm-reply", test_dm_reply);
  ADD ("/mastodon-inbox/lost-reply-found", test_lost_reply_found);
  ADD ("/mastodon-inbox/rate-limited", test_rate_limited);
#undef ADD

  return g_test_run ();
}
