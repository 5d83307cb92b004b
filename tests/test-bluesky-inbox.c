/* test-bluesky-inbox.c — the Bluesky inbox against Bluesky's own PDS and AppView, on loopback
 *
 * Run through test-bluesky-inbox.sh, which starts a private PostgreSQL and
 * tests/peers/bluesky/start-appview.js (seeded with alice, bob, carol and
 * dan) and hands the ready line over in SD_BLUESKY_PEER_INFO. SocialDesk
 * signs in as alice with an app password; bob and carol act over plain XRPC
 * with their own passwords. The AppView indexes asynchronously: the test
 * asks the peer to process (a line on SD_BLUESKY_PEER_CONTROL) and polls,
 * within bounds.
 *
 * The tests run in order and build on each other (one network, one story).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-bluesky-private.h"
#include "sd-http.h"

#define POLL_SECONDS 30

typedef struct
{
  char *did;
  char *token;   /* bob and carol: their access token */
} User;

static struct
{
  char          *pds_url;
  char          *control;
  char          *output;
  char          *alice_app_password;
  User           alice, bob, carol;

  SdAccount     *account;
  SdCredentials *credentials;
  SdProvider    *provider;
  char          *cursor;
  GHashTable    *seen;                    /* remote ids already fetched: the store's uniqueness */

  /* The story so far */
  char          *post_uri, *post_cid;     /* alice's post, made through SocialDesk */
  SdMessage     *reply;                   /* carol's reply to it */
  SdMessage     *mention;                 /* bob's mention of alice */
  SdMessage     *quote;                   /* bob's quote of it */
  char          *our_reply_uri;           /* alice's answer to carol, from SocialDesk */
} t;

/* Helpers */

#define assert_outcome(call, expected, status) G_STMT_START { \
    SdOutcome outcome_ = (call); \
    if (outcome_ != (expected)) \
      g_test_message ("outcome %s: %s", sd_outcome_to_string (outcome_), \
                      (status)->message != NULL ? (status)->message : "(no message)"); \
    g_assert_cmpstr (sd_outcome_to_string (outcome_), ==, sd_outcome_to_string (expected)); \
  } G_STMT_END

static JsonNode *
xrpc (const char *method,
      const char *nsid,
      const char *query,
      const char *token,
      JsonNode   *body,
      guint      *status_out)
{
  g_autofree char *url = g_strdup_printf ("%s/xrpc/%s%s%s", t.pds_url, nsid,
                                          query != NULL ? "?" : "", query != NULL ? query : "");
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    sd_http_set_bearer (msg, token);
  if (body != NULL)
    sd_http_set_json_body (msg, body);
  answer = soup_session_send_and_read (sd_http_get_session (), msg, NULL, &error);
  g_assert_no_error (error);
  if (status_out != NULL)
    *status_out = soup_message_get_status (msg);
  else if (soup_message_get_status (msg) != 200)
    g_error ("%s %s: HTTP %u %.*s", method, nsid, soup_message_get_status (msg),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  return sd_http_parse_json (answer, NULL);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
log_in (User       *user,
        const char *handle,
        const char *password)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (body, "identifier", handle);
  json_object_set_string_member (body, "password", password);
  json_node_set_object (node, body);
  answer = xrpc ("POST", "com.atproto.server.createSession", NULL, NULL, node, NULL);
  user->token = g_strdup (json_object_get_string_member (json_node_get_object (answer), "accessJwt"));
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* Creates @record (takes it) in @user's repository; fills the uri and cid. */
static void
create_record (User       *user,
               const char *collection,
               JsonObject *record,
               gboolean    validate,
               char      **uri_out,
               char      **cid_out)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *created_at = now_iso ();
  JsonObject *created;

  if (!json_object_has_member (record, "createdAt"))
    json_object_set_string_member (record, "createdAt", created_at);
  json_object_set_string_member (record, "$type", collection);
  json_object_set_string_member (request, "repo", user->did);
  json_object_set_string_member (request, "collection", collection);
  json_object_set_boolean_member (request, "validate", validate);
  json_object_set_object_member (request, "record", record);
  json_node_set_object (node, request);
  answer = xrpc ("POST", "com.atproto.repo.createRecord", NULL, user->token, node, NULL);
  created = json_node_get_object (answer);
  if (uri_out != NULL)
    *uri_out = g_strdup (json_object_get_string_member (created, "uri"));
  if (cid_out != NULL)
    *cid_out = g_strdup (json_object_get_string_member (created, "cid"));
}

static JsonObject *
strong_ref (const char *uri,
            const char *cid)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "uri", uri);
  json_object_set_string_member (ref, "cid", cid);
  return ref;
}

static JsonObject *
facet (gsize       start,
       gsize       end,
       const char *type,
       const char *member,
       const char *value)
{
  g_autofree char *json = g_strdup_printf ("{\"index\":{\"byteStart\":%" G_GSIZE_FORMAT
                                           ",\"byteEnd\":%" G_GSIZE_FORMAT "},"
                                           "\"features\":[{\"$type\":\"%s\"}]}",
                                           start, end, type);
  JsonObject *object = parse_object (json);
  JsonObject *feature = json_array_get_object_element (json_object_get_array_member (object, "features"), 0);

  json_object_set_string_member (feature, member, value);
  return object;
}

static JsonObject *
post_record (const char *text)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "text", text);
  return record;
}

/* Asks the peer to index everything now and waits until it did. */
static void
process_peer (void)
{
  g_autofree char *before = NULL;
  gsize before_length = 0;

  g_file_get_contents (t.output, &before, &before_length, NULL);
  {
    g_autoptr(GError) error = NULL;

    g_file_set_contents_full (t.control, "process\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < POLL_SECONDS * 10; i++)
    {
      g_autofree char *now = NULL;
      gsize length = 0;

      g_file_get_contents (t.output, &now, &length, NULL);
      if (length > before_length && strstr (now + before_length, "processed") != NULL)
        return;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_error ("the peer did not process within %d s", POLL_SECONDS);
}

static SdPublishContext
alice_context (JsonObject *options)
{
  SdPublishContext ctx = {
    .account = t.account,
    .credentials = t.credentials,
    .session = sd_http_get_session (),
    .options = options,
  };

  return ctx;
}

/* A whole fetch of @stream from @cursor: every page. What an earlier fetch
 * already brought is left out, as the store's (account, remote id)
 * uniqueness leaves it out: fetches look back a while on purpose. */
static GPtrArray *
fetch (const char  *stream,
       const char  *cursor,
       JsonObject  *options,
       char       **new_cursor)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = alice_context (options);
  g_autofree char *page_token = NULL;
  SdProviderStatus status = { 0 };
  guint pages = 0;

  *new_cursor = NULL;
  do
    {
      SdInboxPage page;

      sd_inbox_page_init (&page);
      assert_outcome (sd_provider_fetch_inbox (t.provider, &ctx, stream, cursor, page_token,
                                               &page, NULL, &status),
                      SD_OUTCOME_DONE, &status);
      if (page_token == NULL)
        *new_cursor = g_steal_pointer (&page.new_cursor);
      else
        g_assert_null (page.new_cursor);
      for (guint i = 0; i < page.messages->len; i++)
        {
          SdMessage *message = g_ptr_array_index (page.messages, i);

          if (g_hash_table_add (t.seen, g_strdup (sd_message_get_remote_id (message))))
            g_ptr_array_add (messages, g_object_ref (message));
        }
      g_free (page_token);
      page_token = g_steal_pointer (&page.next_page);
      sd_inbox_page_clear (&page);
      g_assert_cmpuint (++pages, <, 50);
    }
  while (page_token != NULL);
  sd_provider_status_clear (&status);
  return messages;
}

/* Fetches from the kept cursor until @count new messages came (bounded); moves the cursor on. */
static GPtrArray *
fetch_new (guint       count,
           JsonObject *options)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint round = 0; round < POLL_SECONDS * 2; round++)
    {
      g_autofree char *new_cursor = NULL;
      g_autoptr(GPtrArray) messages = fetch ("notifications", t.cursor, options, &new_cursor);

      for (guint i = 0; i < messages->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (messages, i)));
      if (new_cursor != NULL)
        {
          g_test_message ("cursor %s → %s", t.cursor, new_cursor);
          g_free (t.cursor);
          t.cursor = g_steal_pointer (&new_cursor);
        }
      if (all->len >= count)
        return g_steal_pointer (&all);
      g_usleep (G_USEC_PER_SEC / 2);
    }
  for (guint i = 0; i < all->len; i++)
    g_test_message ("came: %s %s", sd_message_kind_to_string (sd_message_get_kind (g_ptr_array_index (all, i))),
                    sd_message_get_remote_id (g_ptr_array_index (all, i)));
  g_error ("only %u of %u new notifications came within %d s", all->len, count, POLL_SECONDS);
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

static void
assert_link (SdMessage  *message,
             const char *piece,
             const char *url)
{
  const char *text = sd_message_get_text (message);
  const char *found = strstr (text, piece);
  GPtrArray *links = sd_message_get_links (message);

  g_assert_nonnull (found);
  for (guint i = 0; i < links->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (links, i);

      if (link->start == (guint) (found - text))
        {
          g_assert_cmpuint (link->end, ==, link->start + strlen (piece));
          g_assert_cmpstr (link->url, ==, url);
          return;
        }
    }
  g_error ("no link on “%s”", piece);
}

/* A post's thread as @user sees it (getPostThread through their PDS). */
static JsonNode *
get_thread (User       *user,
            const char *uri)
{
  g_autofree char *escaped = g_uri_escape_string (uri, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("uri=%s&depth=10", escaped);

  return xrpc ("GET", "app.bsky.feed.getPostThread", query, user->token, NULL, NULL);
}

static guint
count_likes_of (const char *subject_uri)
{
  g_autofree char *query = g_strdup_printf ("repo=%s&collection=app.bsky.feed.like&limit=100", t.alice.did);
  g_autoptr(JsonNode) answer = xrpc ("GET", "com.atproto.repo.listRecords", query, NULL, NULL, NULL);
  JsonArray *records = json_object_get_array_member (json_node_get_object (answer), "records");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *value = json_object_get_object_member (json_array_get_object_element (records, i), "value");

      if (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (value, "subject"), "uri"),
                     subject_uri) == 0)
        count++;
    }
  return count;
}

/* Tests */

static void
test_streams (void)
{
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (t.provider, t.account);
  SdInboxStream *notifications, *chat;

  g_assert_cmpuint (streams->len, ==, 2);
  notifications = g_ptr_array_index (streams, 0);
  chat = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (notifications->id, ==, "notifications");
  g_assert_true (notifications->available);
  g_assert_cmpstr (chat->id, ==, "chat");
  g_assert_nonnull (chat->title);
}

/* The first fetch takes the newest page of what the seed made; the next, nothing. */
static void
test_first_fetch (void)
{
  g_autofree char *cursor = NULL;
  g_autofree char *again_cursor = NULL;
  g_autoptr(GPtrArray) first = fetch ("notifications", NULL, NULL, &cursor);
  g_autoptr(GPtrArray) again = NULL;
  gboolean saw_mention = FALSE, saw_reply = FALSE;

  g_assert_nonnull (cursor);
  g_assert_cmpuint (first->len, >, 0);
  for (guint i = 0; i < first->len; i++)
    {
      SdMessage *message = g_ptr_array_index (first, i);

      g_assert_cmpstr (sd_message_get_account_id (message), ==, sd_account_get_id (t.account));
      g_assert_cmpint (sd_message_get_platform (message), ==, SD_PLATFORM_BLUESKY);
      g_assert_cmpstr (sd_message_get_stream (message), ==, "notifications");
      /* Likes, reposts and follows were not asked for. */
      g_assert_cmpint (sd_message_get_kind (message), !=, SD_MESSAGE_KIND_ACTIVITY);
      if (sd_message_get_kind (message) == SD_MESSAGE_KIND_MENTION
          && g_str_has_prefix (sd_message_get_text (message), "@alice.bluesky.xyz is the best"))
        {
          /* dan's seeded mention: a mention facet over the first 18 bytes, to alice's DID. */
          g_autofree char *profile = g_strdup_printf ("https://bsky.app/profile/%s", t.alice.did);

          assert_link (message, "@alice.bluesky.xyz", profile);
          g_assert_cmpstr (sd_message_get_author_handle (message), ==, "dan.test");
          saw_mention = TRUE;
        }
      if (sd_message_get_kind (message) == SD_MESSAGE_KIND_REPLY
          && g_strcmp0 (sd_message_get_text (message), "of course") == 0)
        {
          g_assert_cmpstr (sd_message_get_author_handle (message), ==, "carol.test");
          g_assert_nonnull (sd_message_get_parent_remote_id (message));
          g_assert_cmpstr (sd_message_get_root_remote_id (message), ==,
                           sd_message_get_parent_remote_id (message));
          saw_reply = TRUE;
        }
    }
  g_assert_true (saw_mention);
  g_assert_true (saw_reply);

  again = fetch ("notifications", cursor, NULL, &again_cursor);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_null (again_cursor);
  t.cursor = g_steal_pointer (&cursor);
}

/* bob mentions alice, carol replies to alice's post, bob quotes it. */
static void
test_mention_reply_quote (void)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "A post from SocialDesk 🌻", key);
  SdPublishContext ctx = alice_context (NULL);
  SdProviderStatus status = { 0 };
  const char *mention_text = "Grüße @alice.test — read https://example.com/ünï?a=1 ✨";
  gsize mention_start = strstr (mention_text, "@alice.test") - mention_text;
  gsize link_start = strstr (mention_text, "https://") - mention_text;
  g_autofree char *mention_uri = NULL, *mention_cid = NULL;
  g_autofree char *reply_uri = NULL, *reply_cid = NULL;
  g_autofree char *quote_uri = NULL, *quote_cid = NULL;
  g_autofree char *profile = g_strdup_printf ("https://bsky.app/profile/%s", t.alice.did);
  g_autofree char *new_cursor = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) again = NULL;
  JsonObject *record;
  JsonArray *facets;
  SdMessage *message;

  assert_outcome (sd_provider_publish_part (t.provider, &ctx, part, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  t.post_uri = g_strdup (part->remote_id);
  t.post_cid = g_strdup (part->remote_cid);
  /* The AppView notifies a reply's parent author only when it has indexed the
   * parent: the repos are indexed in parallel, so a reply made in the same
   * breath could be indexed first (as never happens with a real post's age). */
  process_peer ();

  record = post_record (mention_text);
  facets = json_array_new ();
  json_array_add_object_element (facets, facet (mention_start, mention_start + strlen ("@alice.test"),
                                                "app.bsky.richtext.facet#mention", "did", t.alice.did));
  json_array_add_object_element (facets, facet (link_start, strlen (mention_text) - strlen (" ✨"),
                                                "app.bsky.richtext.facet#link", "uri",
                                                "https://example.com/%C3%BCn%C3%AF?a=1"));
  json_object_set_array_member (record, "facets", facets);
  create_record (&t.bob, "app.bsky.feed.post", record, TRUE, &mention_uri, &mention_cid);

  record = post_record ("Lovely, Alice!");
  {
    JsonObject *reply = json_object_new ();

    json_object_set_object_member (reply, "root", strong_ref (t.post_uri, t.post_cid));
    json_object_set_object_member (reply, "parent", strong_ref (t.post_uri, t.post_cid));
    json_object_set_object_member (record, "reply", reply);
  }
  create_record (&t.carol, "app.bsky.feed.post", record, TRUE, &reply_uri, &reply_cid);

  record = post_record ("Look at this one");
  {
    JsonObject *embed = json_object_new ();

    json_object_set_string_member (embed, "$type", "app.bsky.embed.record");
    json_object_set_object_member (embed, "record", strong_ref (t.post_uri, t.post_cid));
    json_object_set_object_member (record, "embed", embed);
  }
  create_record (&t.bob, "app.bsky.feed.post", record, TRUE, &quote_uri, &quote_cid);

  process_peer ();
  messages = fetch_new (3, NULL);
  g_assert_cmpuint (messages->len, ==, 3);

  message = find_message (messages, mention_uri);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_MENTION);
  g_assert_cmpstr (sd_message_get_remote_cid (message), ==, mention_cid);
  g_assert_cmpstr (sd_message_get_text (message), ==, mention_text);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, mention_uri);
  g_assert_cmpstr (sd_message_get_root_cid (message), ==, mention_cid);
  g_assert_null (sd_message_get_parent_remote_id (message));
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, mention_uri);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob.test");
  g_assert_cmpstr (sd_message_get_author_remote_id (message), ==, t.bob.did);
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 2);
  assert_link (message, "@alice.test", profile);
  assert_link (message, "https://example.com/ünï?a=1", "https://example.com/%C3%BCn%C3%AF?a=1");
  {
    g_autofree char *url = g_strdup_printf ("https://bsky.app/profile/bob.test/post/%s",
                                            strrchr (mention_uri, '/') + 1);

    g_assert_cmpstr (sd_message_get_url (message), ==, url);
  }
  g_assert_cmpint (sd_message_get_caps (message), ==, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  g_assert_null (sd_message_get_audience (message));
  g_assert_cmpint (sd_message_get_sent_at (message), >, g_get_real_time () / G_USEC_PER_SEC - 600);
  t.mention = g_object_ref (message);

  message = find_message (messages, reply_uri);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_REPLY);
  g_assert_cmpstr (sd_message_get_text (message), ==, "Lovely, Alice!");
  g_assert_cmpstr (sd_message_get_remote_cid (message), ==, reply_cid);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, t.post_uri);
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, t.post_uri);
  g_assert_cmpstr (sd_message_get_root_cid (message), ==, t.post_cid);
  g_assert_cmpstr (sd_message_get_conversation_id (message), ==, t.post_uri);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "carol.test");
  t.reply = g_object_ref (message);

  message = find_message (messages, quote_uri);
  g_assert_nonnull (message);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_QUOTE);
  g_assert_cmpstr (sd_message_get_text (message), ==, "Look at this one");
  g_assert_cmpstr (sd_message_get_root_remote_id (message), ==, quote_uri);
  g_assert_null (sd_message_get_parent_remote_id (message));
  t.quote = g_object_ref (message);

  /* Nothing new since. */
  again = fetch ("notifications", t.cursor, NULL, &new_cursor);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_null (new_cursor);
  sd_provider_status_clear (&status);
}

/* A newer mention comes alone on the next fetch. */
static void
test_newer_mention (void)
{
  const char *text = "@alice.test one more thing";
  g_autofree char *uri = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *record = post_record (text);
  JsonArray *facets = json_array_new ();

  json_array_add_object_element (facets, facet (0, strlen ("@alice.test"),
                                                "app.bsky.richtext.facet#mention", "did", t.alice.did));
  json_object_set_array_member (record, "facets", facets);
  create_record (&t.carol, "app.bsky.feed.post", record, TRUE, &uri, NULL);
  process_peer ();

  messages = fetch_new (1, NULL);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (sd_message_get_remote_id (g_ptr_array_index (messages, 0)), ==, uri);
  g_assert_cmpint (sd_message_get_kind (g_ptr_array_index (messages, 0)), ==, SD_MESSAGE_KIND_MENTION);
}

/* Likes, reposts and follows only when asked, with ids of their own. */
static void
test_activity (void)
{
  g_autoptr(JsonObject) options = parse_object ("{\"with_activity\":true}");
  g_autofree char *like_uri = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *remote_id = NULL;
  JsonObject *record = json_object_new ();
  SdMessage *message;
  g_autofree char *ignored_cursor = NULL;

  /* The seed's likes and follows, never asked for until now, are not what this waits for. */
  g_ptr_array_unref (fetch ("notifications", t.cursor, options, &ignored_cursor));

  json_object_set_object_member (record, "subject", strong_ref (t.post_uri, t.post_cid));
  create_record (&t.bob, "app.bsky.feed.like", record, TRUE, &like_uri, NULL);
  process_peer ();

  messages = fetch_new (1, options);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  remote_id = g_strconcat ("notification:", like_uri, NULL);
  g_assert_cmpint (sd_message_get_kind (message), ==, SD_MESSAGE_KIND_ACTIVITY);
  g_assert_cmpstr (sd_message_get_remote_id (message), ==, remote_id);
  g_assert_cmpstr (sd_message_get_parent_remote_id (message), ==, t.post_uri);
  g_assert_cmpstr (sd_message_get_author_handle (message), ==, "bob.test");
  g_assert_cmpint (sd_message_get_caps (message), ==, 0);
}

/* Counts @uri in a thread view, and checks its record's reply refs. */
static guint
count_in_thread (JsonObject *view,
                 const char *uri,
                 const char *parent_uri,
                 const char *root_uri)
{
  JsonObject *post = json_object_get_object_member (view, "post");
  JsonArray *replies = json_object_has_member (view, "replies")
                       ? json_object_get_array_member (view, "replies") : NULL;
  guint count = 0;

  if (g_strcmp0 (json_object_get_string_member (post, "uri"), uri) == 0)
    {
      JsonObject *reply = json_object_get_object_member (json_object_get_object_member (post, "record"), "reply");

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "parent"), "uri"),
                       ==, parent_uri);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "root"), "uri"),
                       ==, root_uri);
      count++;
    }
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    count += count_in_thread (json_array_get_object_element (replies, i), uri, parent_uri, root_uri);
  return count;
}

/* alice answers carol's reply from SocialDesk; bob sees it once, in the right place. */
static void
test_reply (void)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Thank you, Carol!", key);
  SdPublishContext ctx = alice_context (NULL);
  SdProviderStatus status = { 0 };
  g_autoptr(JsonNode) thread = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *query = NULL;
  JsonObject *reply;

  ctx.reply_to = t.reply;
  assert_outcome (sd_provider_publish_part (t.provider, &ctx, part, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_true (g_str_has_suffix (part->remote_id, key));
  t.our_reply_uri = g_strdup (part->remote_id);

  /* The record itself: parent is carol's reply, root alice's post. */
  query = g_strdup_printf ("repo=%s&collection=app.bsky.feed.post&rkey=%s", t.alice.did, key);
  record = xrpc ("GET", "com.atproto.repo.getRecord", query, NULL, NULL, NULL);
  reply = json_object_get_object_member (json_object_get_object_member (json_node_get_object (record), "value"),
                                         "reply");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "parent"), "uri"),
                   ==, sd_message_get_remote_id (t.reply));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "parent"), "cid"),
                   ==, sd_message_get_remote_cid (t.reply));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "root"), "uri"),
                   ==, t.post_uri);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "root"), "cid"),
                   ==, t.post_cid);

  /* The outbox sends again after a lost answer: the key keeps it one post. */
  ctx.first_attempt_at = g_get_real_time () / G_USEC_PER_SEC - 5;
  assert_outcome (sd_provider_publish_part (t.provider, &ctx, part, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  assert_outcome (sd_provider_find_part (t.provider, &ctx, part, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_cmpstr (part->remote_id, ==, t.our_reply_uri);
  g_assert_true (sd_provider_resend_is_safe (t.provider, &ctx, part));

  process_peer ();
  thread = get_thread (&t.bob, t.post_uri);
  g_assert_cmpuint (count_in_thread (json_object_get_object_member (json_node_get_object (thread), "thread"),
                                     t.our_reply_uri, sd_message_get_remote_id (t.reply), t.post_uri),
                    ==, 1);

  /* A reply to a top-level mention: the mention is parent and root. */
  {
    g_autofree char *key2 = sd_bluesky_new_tid ();
    g_autoptr(SdPublishPart) part2 = sd_publish_part_new (0, "Thanks, Bob", key2);
    g_autoptr(JsonNode) record2 = NULL;
    g_autofree char *query2 = NULL;
    JsonObject *reply2;

    ctx.reply_to = t.mention;
    ctx.first_attempt_at = 0;
    assert_outcome (sd_provider_publish_part (t.provider, &ctx, part2, NULL, &status),
                    SD_OUTCOME_DONE, &status);
    query2 = g_strdup_printf ("repo=%s&collection=app.bsky.feed.post&rkey=%s", t.alice.did, key2);
    record2 = xrpc ("GET", "com.atproto.repo.getRecord", query2, NULL, NULL, NULL);
    reply2 = json_object_get_object_member (json_object_get_object_member (json_node_get_object (record2), "value"),
                                            "reply");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply2, "parent"), "uri"),
                     ==, sd_message_get_remote_id (t.mention));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply2, "root"), "uri"),
                     ==, sd_message_get_remote_id (t.mention));
  }
  sd_provider_status_clear (&status);
}

/* The thread around carol's reply: alice's post and answer OWN, carol's reply CONTEXT. */
static void
test_conversation (void)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  SdPublishContext ctx = alice_context (NULL);
  SdProviderStatus status = { 0 };
  SdMessage *post, *reply, *answer;

  g_assert_true (sd_provider_can_fetch_conversation (t.provider));
  assert_outcome (sd_provider_fetch_conversation (t.provider, &ctx, t.reply, messages, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  post = find_message (messages, t.post_uri);
  reply = find_message (messages, sd_message_get_remote_id (t.reply));
  answer = find_message (messages, t.our_reply_uri);
  g_assert_nonnull (post);
  g_assert_nonnull (reply);
  g_assert_nonnull (answer);
  g_assert_cmpint (sd_message_get_kind (post), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpint (sd_message_get_kind (reply), ==, SD_MESSAGE_KIND_CONTEXT);
  g_assert_cmpint (sd_message_get_kind (answer), ==, SD_MESSAGE_KIND_OWN);
  g_assert_cmpstr (sd_message_get_text (post), ==, "A post from SocialDesk 🌻");
  g_assert_cmpstr (sd_message_get_parent_remote_id (answer), ==, sd_message_get_remote_id (t.reply));
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (messages, i);

      g_assert_cmpstr (sd_message_get_conversation_id (message), ==, t.post_uri);
      g_assert_cmpstr (sd_message_get_account_id (message), ==, sd_account_get_id (t.account));
      g_assert_null (find_message (messages, sd_message_get_remote_id (message)) != message ? message : NULL);
    }
  sd_provider_status_clear (&status);
}

static void
test_like_unlike (void)
{
  SdPublishContext ctx = alice_context (NULL);
  SdProviderStatus status = { 0 };
  const char *uri = sd_message_get_remote_id (t.mention);

  g_assert_cmpuint (count_likes_of (uri), ==, 0);
  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_LIKE, t.mention, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_cmpuint (count_likes_of (uri), ==, 1);
  /* Again (an answer lost): still one like. */
  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_LIKE, t.mention, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_cmpuint (count_likes_of (uri), ==, 1);

  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_UNLIKE, t.mention, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_cmpuint (count_likes_of (uri), ==, 0);
  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_UNLIKE, t.mention, NULL, &status),
                  SD_OUTCOME_DONE, &status);

  /* Hiding and deleting others' replies: said, not done. */
  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_HIDE, t.reply, NULL, &status),
                  SD_OUTCOME_FAILED, &status);
  g_assert_nonnull (status.message);
  assert_outcome (sd_provider_message_action (t.provider, &ctx, SD_MESSAGE_ACTION_DELETE, t.reply, NULL, &status),
                  SD_OUTCOME_FAILED, &status);
  g_assert_nonnull (status.message);
  sd_provider_status_clear (&status);
}

/* dev-env has no chat service: the PDS refuses, and the sentence says what to do. */
static void
test_chat_refused (void)
{
  SdPublishContext ctx = alice_context (NULL);
  SdProviderStatus status = { 0 };
  SdInboxPage page;

  sd_inbox_page_init (&page);
  assert_outcome (sd_provider_fetch_inbox (t.provider, &ctx, "chat", NULL, NULL, &page, NULL, &status),
                  SD_OUTCOME_FAILED, &status);
  g_test_message ("%s", status.message);
  g_assert_nonnull (strstr (status.message, "Allow access to your direct messages"));
  g_assert_cmpuint (page.messages->len, ==, 0);
  /* The sign-in itself is untouched: posting still works. */
  g_assert_nonnull (t.credentials->access_token);
  sd_inbox_page_clear (&page);
  sd_provider_status_clear (&status);
}

static gboolean
has_controls (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f))
        return TRUE;
    }
  return FALSE;
}

static void
assert_links_sane (SdMessage *message)
{
  const char *text = sd_message_get_text (message);
  gsize length = strlen (text);
  GPtrArray *links = sd_message_get_links (message);

  for (guint i = 0; i < links->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (links, i);

      g_assert_cmpuint (link->start, <, link->end);
      g_assert_cmpuint (link->end, <=, length);
      g_assert_true (g_utf8_validate (text + link->start, link->end - link->start, NULL));
      g_assert_true (g_str_has_prefix (link->url, "https://") || g_str_has_prefix (link->url, "http://"));
    }
}

/* Control characters, facets pointing anywhere, a text of 3000 bytes. */
static void
test_hostile (void)
{
  const char *mean = "@alice.test \x01\x1b[31mred\x7f\xc2\x85 ok\u200f end";
  g_autoptr(GString) long_text = g_string_new ("@alice.test ");
  g_autofree char *mean_uri = NULL;
  g_autofree char *long_uri = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *record;
  JsonArray *facets;
  SdMessage *message;

  record = post_record (mean);
  facets = json_array_new ();
  json_array_add_object_element (facets, facet (0, strlen ("@alice.test"),
                                                "app.bsky.richtext.facet#mention", "did", t.alice.did));
  /* Past the end, backwards, inside a character, to a javascript: address (the PDS refuses
   * a malformed DID: test-bluesky-inbox-parse checks that one). */
  json_array_add_object_element (facets, facet (5, 5000, "app.bsky.richtext.facet#link", "uri", "https://a.example/"));
  json_array_add_object_element (facets, facet (9, 3, "app.bsky.richtext.facet#link", "uri", "https://b.example/"));
  json_array_add_object_element (facets, facet (strlen (mean) - 5, strlen (mean) - 4,
                                                "app.bsky.richtext.facet#link", "uri", "https://c.example/"));
  json_array_add_object_element (facets, facet (12, 15, "app.bsky.richtext.facet#link", "uri", "javascript:alert(1)"));
  json_object_set_array_member (record, "facets", facets);
  create_record (&t.bob, "app.bsky.feed.post", record, TRUE, &mean_uri, NULL);

  /* 3000 bytes in well under 300 graphemes: families of four (25 bytes each). */
  while (long_text->len + strlen ("👨‍👩‍👧‍👦") <= 3000)
    g_string_append (long_text, "👨‍👩‍👧‍👦");
  while (long_text->len < 3000)
    g_string_append_c (long_text, 'x');
  g_assert_cmpuint (long_text->len, ==, 3000);
  record = post_record (long_text->str);
  facets = json_array_new ();
  json_array_add_object_element (facets, facet (0, strlen ("@alice.test"),
                                                "app.bsky.richtext.facet#mention", "did", t.alice.did));
  json_object_set_array_member (record, "facets", facets);
  create_record (&t.carol, "app.bsky.feed.post", record, TRUE, &long_uri, NULL);

  process_peer ();
  messages = fetch_new (2, NULL);
  g_assert_cmpuint (messages->len, ==, 2);

  message = find_message (messages, mean_uri);
  g_assert_nonnull (message);
  g_assert_false (has_controls (sd_message_get_text (message)));
  /* Byte for byte: the offsets still fit. */
  g_assert_cmpuint (strlen (sd_message_get_text (message)), ==, strlen (mean));
  g_assert_true (g_str_has_prefix (sd_message_get_text (message), "@alice.test "));
  g_assert_nonnull (strstr (sd_message_get_text (message), "red"));
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 1);
  assert_links_sane (message);

  message = find_message (messages, long_uri);
  g_assert_nonnull (message);
  g_assert_cmpstr (sd_message_get_text (message), ==, long_text->str);
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 1);
  assert_links_sane (message);
}

/* Set-up */

static void
load_peer (void)
{
  const char *text = g_getenv ("SD_BLUESKY_PEER_INFO");
  g_autoptr(JsonObject) info = NULL;
  SdProviderStatus status = { 0 };
  User *users[] = { &t.alice, &t.bob, &t.carol };
  const char *names[] = { "alice", "bob", "carol" };

  if (text == NULL)
    {
      g_print ("SKIP: run through test-bluesky-inbox.sh (SD_BLUESKY_PEER_INFO is not set)\n");
      exit (77);
    }
  info = parse_object (text);
  t.pds_url = g_strdup (json_object_get_string_member (info, "pds_url"));
  t.control = g_strdup (g_getenv ("SD_BLUESKY_PEER_CONTROL"));
  t.output = g_strdup (g_getenv ("SD_BLUESKY_PEER_OUTPUT"));
  g_assert_nonnull (t.control);
  g_assert_nonnull (t.output);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    users[i]->did = g_strdup (json_object_get_string_member (json_object_get_object_member (info, names[i]), "did"));
  t.alice_app_password = g_strdup (json_object_get_string_member (json_object_get_object_member (info, "alice"),
                                                                  "app_password"));
  log_in (&t.bob, "bob.test", "bob-pass");
  log_in (&t.carol, "carol.test", "carol-pass");

  t.account = sd_account_new (SD_PLATFORM_BLUESKY);
  sd_account_set_server_url (t.account, t.pds_url);
  t.provider = SD_PROVIDER (sd_bluesky_new ());
  assert_outcome (sd_bluesky_sign_in (sd_http_get_session (), t.account, "alice.test",
                                      t.alice_app_password, &t.credentials, NULL, &status),
                  SD_OUTCOME_DONE, &status);
  g_assert_cmpstr (sd_account_get_remote_id (t.account), ==, t.alice.did);
  sd_provider_status_clear (&status);
}

static void
unload_peer (void)
{
  User *users[] = { &t.alice, &t.bob, &t.carol };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_free (users[i]->did);
      g_free (users[i]->token);
    }
  g_free (t.pds_url);
  g_free (t.control);
  g_free (t.output);
  g_free (t.alice_app_password);
  g_free (t.cursor);
  g_free (t.post_uri);
  g_free (t.post_cid);
  g_free (t.our_reply_uri);
  g_clear_object (&t.reply);
  g_clear_object (&t.mention);
  g_clear_object (&t.quote);
  g_clear_object (&t.account);
  g_clear_object (&t.provider);
  g_clear_pointer (&t.credentials, sd_credentials_free);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  t.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sd_http_get_session ();
  load_peer ();

  g_test_add_func ("/bluesky-inbox/streams", test_streams);
  g_test_add_func ("/bluesky-inbox/first-fetch", test_first_fetch);
  g_test_add_func ("/bluesky-inbox/mention-reply-quote", test_mention_reply_quote);
  g_test_add_func ("/bluesky-inbox/newer-mention", test_newer_mention);
  g_test_add_func ("/bluesky-inbox/activity", test_activity);
  g_test_add_func ("/bluesky-inbox/reply", test_reply);
  g_test_add_func ("/bluesky-inbox/conversation", test_conversation);
  g_test_add_func ("/bluesky-inbox/like-unlike", test_like_unlike);
  g_test_add_func ("/bluesky-inbox/chat-refused", test_chat_refused);
  g_test_add_func ("/bluesky-inbox/hostile", test_hostile);
  status = g_test_run ();

  unload_peer ();
  return status;
}
