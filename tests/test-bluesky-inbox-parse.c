/* test-bluesky-inbox-parse.c — Bluesky inbox answers turned into messages, without a network
 *
 * Direct messages cannot be fetched from the test peer (dev-env has no chat
 * service), so their parsing is checked here against canned answers shaped
 * as the chat.bsky.convo lexicons define them (convoView, messageView,
 * deletedMessageView). Hostile text and facets too, where the PDS would refuse
 * to store them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-bluesky-private.h"

#define ALICE "did:plc:alice4rjz2m2smqyqb7yqxfr"
#define BOB   "did:plc:bob6ldqxb6f3acv5kdqxbbdu"

/* A chat.bsky.convo.listConvos answer's convo and a getMessages answer. */
static const char convo_json[] =
  "{\"id\":\"3kz6m3pz2ea2o\",\"rev\":\"3kz6m4fzq7c2o\",\"muted\":false,\"unreadCount\":1,"
  " \"members\":["
  "  {\"did\":\"" ALICE "\",\"handle\":\"alice.test\",\"displayName\":\"Alice\"},"
  "  {\"did\":\"" BOB "\",\"handle\":\"bob.test\",\"displayName\":\"Bob \\u001b[1mB\","
  "   \"avatar\":\"https://cdn.bsky.app/img/avatar/plain/" BOB "/bafkrei@jpeg\"}]}";

static const char messages_json[] =
  "{\"cursor\":\"3kz6m4fzq7c2o\",\"messages\":["
  " {\"$type\":\"chat.bsky.convo.defs#messageView\",\"id\":\"3kz6m4fzq7c2o\",\"rev\":\"3kz6m4fzq7c2o\","
  "  \"text\":\"Did you see https://example.com/a? 🙂\","
  "  \"facets\":[{\"index\":{\"byteStart\":12,\"byteEnd\":33},"
  "   \"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://example.com/a\"}]}],"
  "  \"sender\":{\"did\":\"" BOB "\"},\"sentAt\":\"2024-06-03T10:15:30.123Z\"},"
  " {\"$type\":\"chat.bsky.convo.defs#deletedMessageView\",\"id\":\"3kz6m3zzzzc2o\",\"rev\":\"3kz6m3zzzzc2o\","
  "  \"sender\":{\"did\":\"" BOB "\"},\"sentAt\":\"2024-06-03T10:14:00.000Z\"},"
  " {\"$type\":\"chat.bsky.convo.defs#messageView\",\"id\":\"3kz6m3pzzzc2o\",\"rev\":\"3kz6m3pzzzc2o\","
  "  \"text\":\"Hello Bob\",\"sender\":{\"did\":\"" ALICE "\"},\"sentAt\":\"2024-06-03T10:13:00.000Z\"}]}";

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
parse_array (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_array_ref (json_node_get_array (node));
}

static SdMessageLink *
link_at (SdMessage *message,
         guint      index)
{
  g_assert_cmpuint (sd_message_get_links (message)->len, >, index);
  return g_ptr_array_index (sd_message_get_links (message), index);
}

static void
test_chat_messages (void)
{
  g_autoptr(JsonObject) convo = parse (convo_json);
  g_autoptr(JsonObject) answer = parse (messages_json);
  JsonArray *views = json_object_get_array_member (answer, "messages");
  g_autoptr(SdMessage) theirs = NULL;
  g_autoptr(SdMessage) deleted = NULL;
  g_autoptr(SdMessage) ours = NULL;
  g_autoptr(GDateTime) sent = g_date_time_new_utc (2024, 6, 3, 10, 15, 30);

  theirs = sd_bluesky_inbox_parse_chat_message (convo, json_array_get_object_element (views, 0), ALICE);
  g_assert_nonnull (theirs);
  g_assert_cmpint (sd_message_get_kind (theirs), ==, SD_MESSAGE_KIND_DM);
  g_assert_cmpint (sd_message_get_platform (theirs), ==, SD_PLATFORM_BLUESKY);
  g_assert_cmpstr (sd_message_get_stream (theirs), ==, "chat");
  g_assert_cmpstr (sd_message_get_remote_id (theirs), ==, "3kz6m4fzq7c2o");
  g_assert_cmpstr (sd_message_get_conversation_id (theirs), ==, "3kz6m3pz2ea2o");
  g_assert_cmpstr (sd_message_get_text (theirs), ==, "Did you see https://example.com/a? 🙂");
  g_assert_cmpstr (sd_message_get_author_remote_id (theirs), ==, BOB);
  g_assert_cmpstr (sd_message_get_author_handle (theirs), ==, "bob.test");
  /* The name is data: the escape character is gone, the rest kept. */
  g_assert_cmpstr (sd_message_get_author_name (theirs), ==, "Bob  [1mB");
  g_assert_true (g_str_has_prefix (sd_message_get_author_avatar_url (theirs), "https://cdn.bsky.app/"));
  g_assert_cmpstr (sd_message_get_audience (theirs), ==, "direct");
  g_assert_cmpstr (sd_message_get_url (theirs), ==, "https://bsky.app/messages/3kz6m3pz2ea2o");
  g_assert_cmpint (sd_message_get_caps (theirs), ==, SD_MESSAGE_CAN_REPLY);
  g_assert_cmpint (sd_message_get_sent_at (theirs), ==, g_date_time_to_unix (sent));
  g_assert_cmpuint (sd_message_get_links (theirs)->len, ==, 1);
  g_assert_cmpuint (link_at (theirs, 0)->start, ==, 12);
  g_assert_cmpuint (link_at (theirs, 0)->end, ==, 33);
  g_assert_cmpstr (link_at (theirs, 0)->url, ==, "https://example.com/a");

  deleted = sd_bluesky_inbox_parse_chat_message (convo, json_array_get_object_element (views, 1), ALICE);
  g_assert_null (deleted);

  ours = sd_bluesky_inbox_parse_chat_message (convo, json_array_get_object_element (views, 2), ALICE);
  g_assert_nonnull (ours);
  g_assert_cmpint (sd_message_get_kind (ours), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_author_handle (ours), ==, "alice.test");
  g_assert_cmpstr (sd_message_get_conversation_id (ours), ==, "3kz6m3pz2ea2o");
}

static void
test_notifications (void)
{
  g_autoptr(JsonObject) like = parse (
    "{\"uri\":\"at://" BOB "/app.bsky.feed.like/3kz7a\",\"cid\":\"bafyreilike\","
    " \"author\":{\"did\":\"" BOB "\",\"handle\":\"bob.test\"},\"reason\":\"like\","
    " \"reasonSubject\":\"at://" ALICE "/app.bsky.feed.post/3kz6z\","
    " \"record\":{\"$type\":\"app.bsky.feed.like\",\"createdAt\":\"2024-06-03T10:00:00Z\"},"
    " \"isRead\":false,\"indexedAt\":\"2024-06-03T10:00:01.000Z\"}");
  g_autoptr(JsonObject) joined = parse (
    "{\"uri\":\"at://" BOB "/app.bsky.graph.starterpack/3kz7b\",\"cid\":\"bafyreisp\","
    " \"author\":{\"did\":\"" BOB "\",\"handle\":\"bob.test\"},\"reason\":\"starterpack-joined\","
    " \"record\":{},\"isRead\":false,\"indexedAt\":\"2024-06-03T10:00:01.000Z\"}");
  g_autoptr(JsonObject) reply = parse (
    "{\"uri\":\"at://" BOB "/app.bsky.feed.post/3kz7c\",\"cid\":\"bafyreireply\","
    " \"author\":{\"did\":\"" BOB "\",\"handle\":\"handle.invalid\",\"avatar\":\"javascript:alert(1)\"},"
    " \"reason\":\"reply\","
    " \"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"yes!\",\"createdAt\":\"2099-01-01T00:00:00Z\","
    "  \"reply\":{\"root\":{\"uri\":\"at://" ALICE "/app.bsky.feed.post/3kz6a\",\"cid\":\"bafyreiroot\"},"
    "           \"parent\":{\"uri\":\"at://" ALICE "/app.bsky.feed.post/3kz6b\",\"cid\":\"bafyreiparent\"}}},"
    " \"isRead\":false,\"indexedAt\":\"2024-06-03T10:00:01.000Z\"}");
  g_autoptr(JsonObject) no_uri = parse (
    "{\"cid\":\"bafyrei\",\"author\":{\"did\":\"" BOB "\"},\"reason\":\"mention\",\"record\":{\"text\":\"x\"},"
    " \"indexedAt\":\"2024-06-03T10:00:01.000Z\"}");
  g_autoptr(SdMessage) hidden = sd_bluesky_inbox_parse_notification (like, FALSE);
  g_autoptr(SdMessage) activity = sd_bluesky_inbox_parse_notification (like, TRUE);
  g_autoptr(SdMessage) skipped = sd_bluesky_inbox_parse_notification (joined, TRUE);
  g_autoptr(SdMessage) answer = sd_bluesky_inbox_parse_notification (reply, FALSE);
  g_autoptr(SdMessage) broken = sd_bluesky_inbox_parse_notification (no_uri, FALSE);
  g_autoptr(GDateTime) indexed = g_date_time_new_utc (2024, 6, 3, 10, 0, 1);

  g_assert_null (hidden);
  g_assert_nonnull (activity);
  g_assert_cmpint (sd_message_get_kind (activity), ==, SD_MESSAGE_KIND_ACTIVITY);
  g_assert_cmpstr (sd_message_get_remote_id (activity), ==, "notification:at://" BOB "/app.bsky.feed.like/3kz7a");
  g_assert_cmpstr (sd_message_get_parent_remote_id (activity), ==, "at://" ALICE "/app.bsky.feed.post/3kz6z");
  g_assert_cmpstr (sd_message_get_url (activity), ==, "https://bsky.app/profile/bob.test");
  g_assert_null (skipped);
  g_assert_null (broken);

  g_assert_nonnull (answer);
  g_assert_cmpint (sd_message_get_kind (answer), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_root_remote_id (answer), ==, "at://" ALICE "/app.bsky.feed.post/3kz6a");
  g_assert_cmpstr (sd_message_get_root_cid (answer), ==, "bafyreiroot");
  g_assert_cmpstr (sd_message_get_parent_remote_id (answer), ==, "at://" ALICE "/app.bsky.feed.post/3kz6b");
  g_assert_cmpstr (sd_message_get_conversation_id (answer), ==, "at://" ALICE "/app.bsky.feed.post/3kz6a");
  /* No handle: the link names the DID. No avatar from a javascript: address. */
  g_assert_null (sd_message_get_author_handle (answer));
  g_assert_null (sd_message_get_author_avatar_url (answer));
  g_assert_cmpstr (sd_message_get_url (answer), ==, "https://bsky.app/profile/" BOB "/post/3kz7c");
  /* A createdAt in the future is bounded by the AppView's clock. */
  g_assert_cmpint (sd_message_get_sent_at (answer), ==, g_date_time_to_unix (indexed));
}

static void
test_hostile_text (void)
{
  g_autoptr(SdMessage) message = sd_message_new ();
  g_autoptr(JsonArray) facets = NULL;
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(JsonArray) no_facets = parse_array ("[]");
  const char *text = "é@bob.test\x01\x1b[0m https://ok.example ✨";
  gsize ok = strstr (text, "https://") - text;
  g_autofree char *json = g_strdup_printf (
    "[{\"index\":{\"byteStart\":2,\"byteEnd\":11},\"features\":[{\"$type\":\"app.bsky.richtext.facet#mention\",\"did\":\"did:x/../evil?\"}]},"
    " {\"index\":{\"byteStart\":1,\"byteEnd\":2},\"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://inside.example\"}]},"
    " {\"index\":{\"byteStart\":0,\"byteEnd\":10},\"features\":[{\"$type\":\"app.bsky.richtext.facet#mention\",\"did\":\"" BOB "\"}]},"
    " {\"index\":{\"byteStart\":5,\"byteEnd\":12},\"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://overlap.example\"}]},"
    " {\"index\":{\"byteStart\":-4,\"byteEnd\":2},\"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://negative.example\"}]},"
    " {\"index\":{\"byteStart\":\"3\",\"byteEnd\":5},\"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://string.example\"}]},"
    " {\"index\":{\"byteStart\":%" G_GSIZE_FORMAT ",\"byteEnd\":%" G_GSIZE_FORMAT "},\"features\":[{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"file:///etc/passwd\"}]},"
    " {\"index\":{\"byteStart\":%" G_GSIZE_FORMAT ",\"byteEnd\":%" G_GSIZE_FORMAT "},\"features\":[{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":\"x\"},{\"$type\":\"app.bsky.richtext.facet#link\",\"uri\":\"https://ok.example\"}]},"
    " {\"features\":[]}, 7, null]",
    ok, ok + 4, ok, ok + strlen ("https://ok.example"));

  facets = parse_array (json);
  sd_bluesky_inbox_set_text (message, text, facets);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), ==, strlen (text));
  g_assert_null (strchr (sd_message_get_text (message), '\x1b'));
  g_assert_null (strchr (sd_message_get_text (message), '\x01'));
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 2);
  g_assert_cmpuint (link_at (message, 0)->start, ==, 0);
  g_assert_cmpuint (link_at (message, 0)->end, ==, 10);
  g_assert_cmpstr (link_at (message, 0)->url, ==, "https://bsky.app/profile/" BOB);
  g_assert_cmpuint (link_at (message, 1)->start, ==, ok);
  g_assert_cmpstr (link_at (message, 1)->url, ==, "https://ok.example");

  /* Not UTF-8 (only from a broken server): made valid, and no facet trusted. */
  g_clear_object (&message);
  message = sd_message_new ();
  sd_bluesky_inbox_set_text (message, "ab\xff\xfe https://x.example", facets);
  g_assert_true (g_utf8_validate (sd_message_get_text (message), -1, NULL));
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);

  /* Far past the lexicon's 3000 bytes: cut on a character boundary. */
  g_clear_object (&message);
  message = sd_message_new ();
  for (guint i = 0; i < 20000; i++)
    g_string_append (huge, "é");
  sd_bluesky_inbox_set_text (message, huge->str, no_facets);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), <=, 30000);
  g_assert_cmpuint (strlen (sd_message_get_text (message)), >=, 29990);
  g_assert_true (g_utf8_validate (sd_message_get_text (message), -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bluesky-inbox-parse/chat-messages", test_chat_messages);
  g_test_add_func ("/bluesky-inbox-parse/notifications", test_notifications);
  g_test_add_func ("/bluesky-inbox-parse/hostile-text", test_hostile_text);
  return g_test_run ();
}
