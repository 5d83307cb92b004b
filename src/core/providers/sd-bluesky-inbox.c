/* sd-bluesky-inbox.c — Bluesky's inbox: notifications, direct messages, threads and likes
 *
 * Notifications (mentions, replies, quotes; likes, reposts and follows when
 * asked) come from app.bsky.notification.listNotifications, which the PDS
 * forwards to the AppView. The cursor SocialDesk keeps is the newest
 * notification seen ("<indexedAt in µs>|<uri>"): a fetch pages back until it
 * is LOOKBACK past it. The AppView lists by sortAt (the record's createdAt
 * when that is earlier than its indexing), so an item indexed late can sort
 * below one already seen: seen with the test peer, a reply indexed after a
 * quote came under it. Looking back a while catches those; what comes twice
 * is dropped by the store (unique per account and remote id). Direct messages go through the PDS to Bluesky's chat service
 * (atproto-proxy header); they need an app password made with direct-message
 * access, and the inbox says so when the PDS refuses.
 *
 * Everything from the network is data: text is cleaned of control characters
 * (byte for byte, so facet offsets stay right) and facets become links only
 * when their byte range is sane and their target an http(s) address or a DID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-bluesky"

#include "config.h"

#include "sd-bluesky-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-time.h"

#define STREAM_NOTIFICATIONS "notifications"
#define STREAM_CHAT          "chat"
#define CHAT_PROXY           "did:web:api.bsky.chat#bsky_chat"
#define LIKE_COLLECTION      "app.bsky.feed.like"
#define NOTIFICATION_PAGE    "50"
#define CHAT_PAGE            "50"
#define MAX_TEXT_BYTES       30000   /* the lexicon allows 3000; a hostile server gets cut here */
#define MAX_LIKE_PAGES       20

/* Small helpers */

static const char *
json_string (JsonObject *object,
             const char *member)
{
  return sd_http_json_string (object, member);
}

static JsonObject *
json_object (JsonObject *object,
             const char *member)
{
  return sd_http_json_object_member (object, member);
}

static void
replace_str (char       **place,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*place);
  *place = copy;
}

/* A query string: NULL-terminated name, value pairs; NULL values are left out. */
static char *
query_string (const char *first_name,
              ...)
{
  GString *query = g_string_new (NULL);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

          g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
        }
      name = va_arg (args, const char *);
    }
  va_end (args);
  return g_string_free (query, FALSE);
}

static JsonNode *
object_node (JsonObject *object)   /* takes @object */
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* The last segment of an at:// URI: a record's key. */
static const char *
uri_rkey (const char *uri)
{
  const char *slash = uri != NULL ? strrchr (uri, '/') : NULL;

  return slash != NULL ? slash + 1 : NULL;
}

/* Microseconds since the epoch of an ISO 8601 time; 0 when it is not one. */
static gint64
parse_time_usec (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gboolean
with_activity (const SdPublishContext *ctx)
{
  JsonNode *node;

  if (ctx->options == NULL || !(node = json_object_get_member (ctx->options, "with_activity")))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (node), "true") == 0
           || g_strcmp0 (json_node_get_string (node), "1") == 0;
  return FALSE;
}

/* Text and facets */

/* Valid UTF-8 with control characters (but newline and tab) turned into
 * spaces of the same byte length, so facet offsets still point at the same
 * characters. NULL when the text was not valid UTF-8 (then made valid, and
 * the offsets meaningless): *offsets_kept says which. */
static char *
clean_text (const char *text,
            gboolean   *offsets_kept)
{
  char *clean;
  gsize length;

  if (text == NULL)
    text = "";
  length = strlen (text);
  *offsets_kept = g_utf8_validate (text, -1, NULL);
  if (!*offsets_kept)
    return g_utf8_make_valid (text, -1);

  if (length > MAX_TEXT_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + MAX_TEXT_BYTES + 1);

      length = end != NULL ? (gsize) (end - text) : 0;
    }
  clean = g_strndup (text, length);
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) clean[i];

      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        clean[i] = ' ';
      else if (c == 0xc2 && i + 1 < length && (guchar) clean[i + 1] >= 0x80
               && (guchar) clean[i + 1] <= 0x9f)
        {
          /* C1 controls, U+0080 to U+009F */
          clean[i] = ' ';
          clean[i + 1] = ' ';
          i++;
        }
    }
  return clean;
}

static gboolean
is_char_boundary (const char *text,
                  gsize       length,
                  gsize       offset)
{
  return offset == length || (offset < length && ((guchar) text[offset] & 0xc0) != 0x80);
}

/* A DID fit to put in a URL path: "did:" and letters, digits, ".:_-%". */
static gboolean
is_safe_did (const char *did)
{
  if (did == NULL || !g_str_has_prefix (did, "did:") || strlen (did) > 2048)
    return FALSE;
  for (const char *p = did; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".:_-%", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_web_link (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (parsed);
  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0;
}

/* The address a facet points at: a link's URI, a mention's profile; NULL for tags and anything else. */
static char *
facet_target (JsonObject *facet)
{
  JsonArray *features = sd_http_json_array_member (facet, "features");

  for (guint i = 0; features != NULL && i < json_array_get_length (features); i++)
    {
      JsonObject *feature = sd_http_json_node_object (json_array_get_element (features, i));
      const char *type = json_string (feature, "$type");

      if (g_strcmp0 (type, "app.bsky.richtext.facet#link") == 0
          && is_web_link (json_string (feature, "uri")))
        return g_strdup (json_string (feature, "uri"));
      if (g_strcmp0 (type, "app.bsky.richtext.facet#mention") == 0
          && is_safe_did (json_string (feature, "did")))
        return g_strdup_printf ("https://bsky.app/profile/%s", json_string (feature, "did"));
    }
  return NULL;
}

static gboolean
facet_range (JsonObject *facet,
             const char *text,
             gsize       length,
             guint      *start,
             guint      *end)
{
  JsonObject *index = json_object (facet, "index");
  JsonNode *start_node = index != NULL ? json_object_get_member (index, "byteStart") : NULL;
  JsonNode *end_node = index != NULL ? json_object_get_member (index, "byteEnd") : NULL;
  gint64 from, to;

  if (start_node == NULL || end_node == NULL
      || json_node_get_value_type (start_node) != G_TYPE_INT64
      || json_node_get_value_type (end_node) != G_TYPE_INT64)
    return FALSE;
  from = json_node_get_int (start_node);
  to = json_node_get_int (end_node);
  if (from < 0 || to <= from || (guint64) to > length)
    return FALSE;
  if (!is_char_boundary (text, length, (gsize) from) || !is_char_boundary (text, length, (gsize) to))
    return FALSE;
  *start = (guint) from;
  *end = (guint) to;
  return TRUE;
}

void
sd_bluesky_inbox_set_text (SdMessage  *message,
                           const char *text,
                           JsonArray  *facets)
{
  gboolean offsets_kept = FALSE;
  g_autofree char *clean = clean_text (text, &offsets_kept);
  gsize length = strlen (clean);
  guint previous_end = 0;

  sd_message_set_text (message, clean);
  if (!offsets_kept || facets == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (facets); i++)
    {
      JsonObject *facet = sd_http_json_node_object (json_array_get_element (facets, i));
      g_autofree char *target = NULL;
      guint start, end;

      if (!facet_range (facet, clean, length, &start, &end))
        {
          g_debug ("a facet with a byte range outside the text is left out");
          continue;
        }
      /* Links may not overlap: facets come in text order, keep the first. */
      if (start < previous_end)
        continue;
      target = facet_target (facet);
      if (target == NULL)
        continue;
      sd_message_add_link (message, start, end, target);
      previous_end = end;
    }
}

/* Posts */

static void
set_author (SdMessage  *message,
            JsonObject *author)
{
  const char *handle = json_string (author, "handle");
  const char *name = json_string (author, "displayName");
  const char *avatar = json_string (author, "avatar");

  sd_message_set_author_remote_id (message, json_string (author, "did"));
  if (handle != NULL && g_strcmp0 (handle, "handle.invalid") != 0)
    sd_message_set_author_handle (message, handle);
  if (name != NULL && name[0] != '\0')
    {
      gboolean kept;
      g_autofree char *clean = clean_text (name, &kept);

      sd_message_set_author_name (message, clean);
    }
  if (is_web_link (avatar))
    sd_message_set_author_avatar_url (message, avatar);
}

static void
set_sent_at (SdMessage  *message,
             const char *created_at,
             const char *indexed_at)
{
  gint64 created = parse_time_usec (created_at);
  gint64 indexed = parse_time_usec (indexed_at);

  /* A client's createdAt may be anything: the AppView's clock bounds it. */
  if (created <= 0 || (indexed > 0 && created > indexed))
    created = indexed;
  sd_message_set_sent_at (message, created / G_USEC_PER_SEC);
}

static void
set_post_url (SdMessage  *message,
              JsonObject *author,
              const char *uri)
{
  const char *who = json_string (author, "handle");
  const char *rkey = uri_rkey (uri);

  if (who == NULL || g_strcmp0 (who, "handle.invalid") == 0)
    who = json_string (author, "did");
  if (who != NULL && rkey != NULL && rkey[0] != '\0')
    {
      g_autofree char *escaped_who = g_uri_escape_string (who, ":", FALSE);
      g_autofree char *escaped_rkey = g_uri_escape_string (rkey, NULL, FALSE);
      g_autofree char *url = sd_bluesky_post_url (escaped_who, escaped_rkey);

      sd_message_set_url (message, url);
    }
}

/* A post's ids, thread, text and author from its uri, cid, record and author. */
static void
fill_post (SdMessage  *message,
           const char *uri,
           const char *cid,
           JsonObject *record,
           JsonObject *author,
           const char *indexed_at)
{
  JsonObject *reply = json_object (record, "reply");
  JsonObject *root = json_object (reply, "root");
  JsonObject *parent = json_object (reply, "parent");
  const char *root_uri = json_string (root, "uri");
  const char *root_cid = json_string (root, "cid");

  sd_message_set_remote_id (message, uri);
  sd_message_set_remote_cid (message, cid);
  if (root_uri == NULL || root_cid == NULL)
    {
      /* Top level: the post starts its own thread. */
      root_uri = uri;
      root_cid = cid;
    }
  sd_message_set_root_remote_id (message, root_uri);
  sd_message_set_root_cid (message, root_cid);
  sd_message_set_parent_remote_id (message, json_string (parent, "uri"));
  sd_message_set_conversation_id (message, root_uri);
  sd_bluesky_inbox_set_text (message, json_string (record, "text"),
                             sd_http_json_array_member (record, "facets"));
  set_author (message, author);
  set_post_url (message, author, uri);
  set_sent_at (message, json_string (record, "createdAt"), indexed_at);
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
}

/* Notifications */

static gboolean
notification_kind (const char    *reason,
                   gboolean       activity,
                   SdMessageKind *kind)
{
  if (g_strcmp0 (reason, "mention") == 0)
    *kind = SD_MESSAGE_KIND_MENTION;
  else if (g_strcmp0 (reason, "reply") == 0)
    *kind = SD_MESSAGE_KIND_REPLY;
  else if (g_strcmp0 (reason, "quote") == 0)
    *kind = SD_MESSAGE_KIND_QUOTE;
  else if (activity && (g_strcmp0 (reason, "like") == 0 || g_strcmp0 (reason, "repost") == 0
                        || g_strcmp0 (reason, "follow") == 0))
    *kind = SD_MESSAGE_KIND_ACTIVITY;
  else
    return FALSE;
  return TRUE;
}

SdMessage *
sd_bluesky_inbox_parse_notification (JsonObject *notification,
                                     gboolean    activity)
{
  g_autoptr(SdMessage) message = NULL;
  const char *uri = json_string (notification, "uri");
  const char *cid = json_string (notification, "cid");
  const char *reason = json_string (notification, "reason");
  const char *indexed_at = json_string (notification, "indexedAt");
  JsonObject *author = json_object (notification, "author");
  JsonObject *record = json_object (notification, "record");
  SdMessageKind kind;

  if (!notification_kind (reason, activity, &kind))
    return NULL;
  if (uri == NULL || !g_str_has_prefix (uri, "at://") || author == NULL)
    {
      g_debug ("a notification without a uri or author is left out");
      return NULL;
    }

  message = sd_message_new ();
  sd_message_set_platform (message, SD_PLATFORM_BLUESKY);
  sd_message_set_stream (message, STREAM_NOTIFICATIONS);
  sd_message_set_kind (message, kind);

  if (kind == SD_MESSAGE_KIND_ACTIVITY)
    {
      g_autofree char *remote_id = g_strconcat ("notification:", uri, NULL);
      const char *subject = json_string (notification, "reasonSubject");
      const char *handle = json_string (author, "handle");

      sd_message_set_remote_id (message, remote_id);
      sd_message_set_parent_remote_id (message, subject);
      sd_message_set_conversation_id (message, subject);
      sd_message_set_text (message, "");
      set_author (message, author);
      if (handle != NULL && g_strcmp0 (handle, "handle.invalid") != 0)
        {
          g_autofree char *escaped = g_uri_escape_string (handle, NULL, FALSE);
          g_autofree char *url = g_strdup_printf ("https://bsky.app/profile/%s", escaped);

          sd_message_set_url (message, url);
        }
      set_sent_at (message, json_string (record, "createdAt"), indexed_at);
      sd_message_set_caps (message, 0);
      return g_steal_pointer (&message);
    }

  if (cid == NULL || record == NULL)
    return NULL;
  fill_post (message, uri, cid, record, author, indexed_at);
  return g_steal_pointer (&message);
}

typedef struct
{
  gint64  usec;
  char   *uri;
} Position;

static void
position_clear (Position *position)
{
  g_clear_pointer (&position->uri, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Position, position_clear)

static gboolean
position_parse (const char *cursor,
                Position   *position)
{
  const char *bar = cursor != NULL ? strchr (cursor, '|') : NULL;
  char *end = NULL;

  if (bar == NULL)
    return FALSE;
  position->usec = g_ascii_strtoll (cursor, &end, 10);
  if (end != bar)
    return FALSE;
  position->uri = g_strdup (bar + 1);
  return TRUE;
}

#define LOOKBACK_USEC (15 * 60 * G_USEC_PER_SEC)

/* Far enough before what an earlier fetch saw that nothing newer can hide there? */
static gboolean
position_reached (const Position *seen,
                  gint64          usec)
{
  return usec < seen->usec - LOOKBACK_USEC;
}

static SdOutcome
fetch_notifications (SdBlueskyXrpc          *x,
                     const SdPublishContext *ctx,
                     const char             *cursor,
                     const char             *page_token,
                     SdInboxPage            *page)
{
  g_auto(Position) seen = { 0 };
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gboolean activity = with_activity (ctx);
  gboolean reached = FALSE;
  gint64 newest_usec;
  JsonArray *notifications;
  const char *next;

  if (cursor != NULL && !position_parse (cursor, &seen))
    {
      g_debug ("an unreadable notification cursor: starting over");
      cursor = NULL;
    }
  /* The cursor only ever moves forward. */
  newest_usec = seen.usec;

  query = query_string ("limit", NOTIFICATION_PAGE, "cursor", page_token, NULL);
  answer = sd_bluesky_xrpc_call (x, "GET", "app.bsky.notification.listNotifications", query,
                                 NULL, NULL);
  if (answer == NULL)
    return x->status->outcome;
  notifications = sd_http_json_array_member (json_node_get_object (answer), "notifications");
  if (notifications == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                                   _("Bluesky sent an answer SocialDesk cannot read."));

  for (guint i = 0; i < json_array_get_length (notifications); i++)
    {
      JsonObject *notification = sd_http_json_node_object (json_array_get_element (notifications, i));
      const char *uri = json_string (notification, "uri");
      gint64 usec = parse_time_usec (json_string (notification, "indexedAt"));
      SdMessage *message;

      if (uri == NULL || usec <= 0)
        continue;
      if (cursor != NULL && position_reached (&seen, usec))
        {
          reached = TRUE;
          break;
        }
      /* The newest indexing time of the first page is where the next fetch looks back from. */
      if (page_token == NULL && usec > newest_usec)
        {
          newest_usec = usec;
          g_free (page->new_cursor);
          page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT "|%s", usec, uri);
        }

      message = sd_bluesky_inbox_parse_notification (notification, activity);
      if (message != NULL)
        {
          sd_message_set_account_id (message, sd_account_get_id (ctx->account));
          g_ptr_array_add (page->messages, message);
        }
    }

  /* The first fetch ever takes the newest page only. */
  next = json_string (json_node_get_object (answer), "cursor");
  if (cursor != NULL && !reached && next != NULL && json_array_get_length (notifications) > 0)
    page->next_page = g_strdup (next);
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

/* Direct messages */

static const char *
own_did (const SdPublishContext *ctx)
{
  return sd_account_get_remote_id (ctx->account);
}

static JsonObject *
convo_member (JsonObject *convo,
              const char *did)
{
  JsonArray *members = sd_http_json_array_member (convo, "members");

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = sd_http_json_node_object (json_array_get_element (members, i));

      if (did != NULL && g_strcmp0 (json_string (member, "did"), did) == 0)
        return member;
    }
  return NULL;
}

static char *
convo_url (const char *convo_id)
{
  g_autofree char *escaped = g_uri_escape_string (convo_id, NULL, FALSE);

  return g_strdup_printf ("https://bsky.app/messages/%s", escaped);
}

SdMessage *
sd_bluesky_inbox_parse_chat_message (JsonObject *convo,
                                     JsonObject *view,
                                     const char *own)
{
  g_autoptr(SdMessage) message = NULL;
  g_autofree char *url = NULL;
  const char *convo_id = json_string (convo, "id");
  const char *id = json_string (view, "id");
  const char *sender = json_string (json_object (view, "sender"), "did");
  JsonObject *author;

  /* Deleted messages (chat.bsky.convo.defs#deletedMessageView) have no text. */
  if (g_strcmp0 (json_string (view, "$type"), "chat.bsky.convo.defs#messageView") != 0
      && json_string (view, "$type") != NULL)
    return NULL;
  if (convo_id == NULL || id == NULL || sender == NULL || json_string (view, "text") == NULL)
    return NULL;

  message = sd_message_new ();
  sd_message_set_platform (message, SD_PLATFORM_BLUESKY);
  sd_message_set_stream (message, STREAM_CHAT);
  sd_message_set_kind (message, g_strcmp0 (sender, own) == 0 ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_DM);
  sd_message_set_remote_id (message, id);
  sd_message_set_conversation_id (message, convo_id);
  sd_bluesky_inbox_set_text (message, json_string (view, "text"),
                             sd_http_json_array_member (view, "facets"));
  author = convo_member (convo, sender);
  if (author != NULL)
    set_author (message, author);
  else
    sd_message_set_author_remote_id (message, sender);
  set_sent_at (message, json_string (view, "sentAt"), NULL);
  sd_message_set_audience (message, "direct");
  url = convo_url (convo_id);
  sd_message_set_url (message, url);
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY);
  return g_steal_pointer (&message);
}

/* Turns a refusal of the chat service into a sentence that says what to do. */
static SdOutcome
chat_refused (SdBlueskyXrpc *x,
              const char    *error)
{
  SdProviderStatus *status = x->status;
  g_autofree char *words = NULL;

  if (status->outcome == SD_OUTCOME_RETRY || status->outcome == SD_OUTCOME_UNCERTAIN
      || status->http_status == 429 || status->http_status < 400 || status->http_status >= 500
      || g_strcmp0 (error, "ExpiredToken") == 0)
    return status->outcome;

  /* A refused token scope, an unknown service, a method the PDS will not forward. */
  words = g_steal_pointer (&status->message);
  sd_provider_status_set (status, SD_OUTCOME_FAILED,
                          _("Bluesky did not give SocialDesk the direct messages: the app "
                            "password it signs in with may not reach them. In Bluesky, under "
                            "Settings → Privacy and security → App passwords, create an app "
                            "password with “Allow access to your direct messages” turned on, "
                            "and sign in again with it."));
  if (words != NULL)
    {
      g_autofree char *ours = g_steal_pointer (&status->message);

      status->message = g_strconcat (ours, " ", words, NULL);
    }
  return SD_OUTCOME_FAILED;
}

static JsonNode *
chat_call (SdBlueskyXrpc *x,
           const char    *method,
           const char    *nsid,
           const char    *query,
           JsonNode      *body)
{
  g_autofree char *error = NULL;
  JsonNode *answer;

  x->proxy = CHAT_PROXY;
  answer = sd_bluesky_xrpc_call (x, method, nsid, query, body, &error);
  x->proxy = NULL;
  if (answer == NULL)
    chat_refused (x, error);
  return answer;
}

/* The messages of one conversation newer than @since (a rev; NULL: the newest page). */
static gboolean
fetch_convo_messages (SdBlueskyXrpc          *x,
                      const SdPublishContext *ctx,
                      JsonObject             *convo,
                      const char             *since,
                      GPtrArray              *messages)
{
  g_autofree char *query = query_string ("convoId", json_string (convo, "id"),
                                         "limit", CHAT_PAGE, NULL);
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *views;

  answer = chat_call (x, "GET", "chat.bsky.convo.getMessages", query, NULL);
  if (answer == NULL)
    return FALSE;
  views = sd_http_json_array_member (json_node_get_object (answer), "messages");
  for (guint i = 0; views != NULL && i < json_array_get_length (views); i++)
    {
      JsonObject *view = sd_http_json_node_object (json_array_get_element (views, i));
      SdMessage *message;

      if (since != NULL && g_strcmp0 (json_string (view, "rev"), since) <= 0)
        continue;
      message = sd_bluesky_inbox_parse_chat_message (convo, view, own_did (ctx));
      if (message == NULL)
        continue;
      sd_message_set_account_id (message, sd_account_get_id (ctx->account));
      g_ptr_array_add (messages, message);
    }
  return TRUE;
}

static SdOutcome
fetch_chat (SdBlueskyXrpc          *x,
            const SdPublishContext *ctx,
            const char             *cursor,
            const char             *page_token,
            SdInboxPage            *page)
{
  g_autofree char *query = query_string ("limit", CHAT_PAGE, "cursor", page_token, NULL);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *newest = NULL;
  gboolean reached = FALSE;
  JsonArray *convos;
  const char *next;

  answer = chat_call (x, "GET", "chat.bsky.convo.listConvos", query, NULL);
  if (answer == NULL)
    return x->status->outcome;
  convos = sd_http_json_array_member (json_node_get_object (answer), "convos");
  if (convos == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                                   _("Bluesky sent an answer SocialDesk cannot read."));

  /* Conversations come with the most recently active first; a rev is a sortable TID. */
  for (guint i = 0; i < json_array_get_length (convos); i++)
    {
      JsonObject *convo = sd_http_json_node_object (json_array_get_element (convos, i));
      const char *rev = json_string (convo, "rev");

      if (rev == NULL || json_string (convo, "id") == NULL)
        continue;
      if (cursor != NULL && g_strcmp0 (rev, cursor) <= 0)
        {
          reached = TRUE;
          continue;
        }
      if (newest == NULL || g_strcmp0 (rev, newest) > 0)
        replace_str (&newest, rev);
      if (!fetch_convo_messages (x, ctx, convo, cursor, page->messages))
        return x->status->outcome;
    }

  if (page_token == NULL && newest != NULL)
    page->new_cursor = g_steal_pointer (&newest);
  next = json_string (json_node_get_object (answer), "cursor");
  if (cursor != NULL && !reached && next != NULL && json_array_get_length (convos) > 0)
    page->next_page = g_strdup (next);
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_bluesky_publish_dm_reply (SdBlueskyXrpc          *x,
                             const SdPublishContext *ctx,
                             SdPublishPart          *part)
{
  const char *convo_id = sd_message_get_conversation_id (ctx->reply_to);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *request;
  JsonObject *text;
  JsonObject *sent;

  if (convo_id == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know which Bluesky conversation this answers."));
  if (part->media->len > 0)
    return sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                                   _("Bluesky direct messages cannot carry images."));

  text = json_object_new ();
  json_object_set_string_member (text, "text", part->text);
  request = json_object_new ();
  json_object_set_string_member (request, "convoId", convo_id);
  json_object_set_object_member (request, "message", text);
  body = object_node (request);

  answer = chat_call (x, "POST", "chat.bsky.convo.sendMessage", NULL, body);
  if (answer == NULL)
    return x->status->outcome;
  sent = json_node_get_object (answer);
  if (json_string (sent, "id") == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_UNCERTAIN,
                                   _("Bluesky sent an answer SocialDesk cannot read."));
  replace_str (&part->remote_id, json_string (sent, "id"));
  g_clear_pointer (&part->remote_cid, g_free);
  g_free (part->remote_url);
  part->remote_url = convo_url (convo_id);
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

/* A chat message has no key of ours: look for our message with the same
 * text sent since the first attempt. */
SdOutcome
sd_bluesky_find_dm_reply (SdBlueskyXrpc          *x,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part)
{
  const char *convo_id = sd_message_get_conversation_id (ctx->reply_to);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *views;

  if (convo_id == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_UNCERTAIN, NULL);
  query = query_string ("convoId", convo_id, "limit", "100", NULL);
  answer = chat_call (x, "GET", "chat.bsky.convo.getMessages", query, NULL);
  if (answer == NULL)
    {
      x->status->outcome = SD_OUTCOME_UNCERTAIN;
      return SD_OUTCOME_UNCERTAIN;
    }

  views = sd_http_json_array_member (json_node_get_object (answer), "messages");
  for (guint i = 0; views != NULL && i < json_array_get_length (views); i++)
    {
      JsonObject *view = sd_http_json_node_object (json_array_get_element (views, i));
      gint64 sent_at = parse_time_usec (json_string (view, "sentAt")) / G_USEC_PER_SEC;

      if (g_strcmp0 (json_string (json_object (view, "sender"), "did"), own_did (ctx)) != 0
          || g_strcmp0 (json_string (view, "text"), part->text) != 0)
        continue;
      /* Allow for clocks apart by a few minutes. */
      if (ctx->first_attempt_at != 0 && sent_at < ctx->first_attempt_at - 300)
        continue;
      replace_str (&part->remote_id, json_string (view, "id"));
      g_free (part->remote_url);
      part->remote_url = convo_url (convo_id);
      return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
    }
  return sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                                 _("The message is not on Bluesky."));
}

/* Threads */

static void
add_thread_post (const SdPublishContext *ctx,
                 SdMessage              *about,
                 JsonObject             *view,
                 GPtrArray              *messages)
{
  JsonObject *post = json_object (view, "post");
  JsonObject *author = json_object (post, "author");
  const char *uri = json_string (post, "uri");
  const char *cid = json_string (post, "cid");
  SdMessage *message;

  if (uri == NULL || cid == NULL || author == NULL)
    return;
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_BLUESKY);
  sd_message_set_stream (message, sd_message_get_stream (about) != NULL
                                  ? sd_message_get_stream (about) : STREAM_NOTIFICATIONS);
  sd_message_set_kind (message, g_strcmp0 (json_string (author, "did"), own_did (ctx)) == 0
                                ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_CONTEXT);
  fill_post (message, uri, cid, json_object (post, "record"), author,
             json_string (post, "indexedAt"));
  if (sd_message_get_conversation_id (about) != NULL)
    sd_message_set_conversation_id (message, sd_message_get_conversation_id (about));
  sd_message_set_is_liked (message, json_string (json_object (post, "viewer"), "like") != NULL);
  g_ptr_array_add (messages, message);
}

static gboolean
is_thread_post (JsonObject *view)
{
  const char *type = json_string (view, "$type");

  return view != NULL && json_object (view, "post") != NULL
         && (type == NULL || g_strcmp0 (type, "app.bsky.feed.defs#threadViewPost") == 0);
}

static void
add_thread_replies (const SdPublishContext *ctx,
                    SdMessage              *about,
                    JsonObject             *view,
                    guint                   depth,
                    GPtrArray              *messages)
{
  JsonArray *replies = sd_http_json_array_member (view, "replies");

  /* The AppView bounds the depth already; this bounds a hostile answer. */
  if (depth > 64)
    return;
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonObject *reply = sd_http_json_node_object (json_array_get_element (replies, i));

      if (!is_thread_post (reply))
        continue;
      add_thread_post (ctx, about, reply, messages);
      add_thread_replies (ctx, about, reply, depth + 1, messages);
    }
}

static SdOutcome
fetch_thread (SdBlueskyXrpc          *x,
              const SdPublishContext *ctx,
              SdMessage              *message,
              GPtrArray              *messages)
{
  const char *uri = sd_message_get_remote_id (message);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *thread;
  guint parents = 0;

  /* An activity's thread is the post it is about. */
  if (uri != NULL && !g_str_has_prefix (uri, "at://"))
    uri = sd_message_get_parent_remote_id (message);
  if (uri == NULL || !g_str_has_prefix (uri, "at://") || strstr (uri, "/app.bsky.feed.post/") == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);

  query = query_string ("uri", uri, "depth", "10", "parentHeight", "80", NULL);
  answer = sd_bluesky_xrpc_call (x, "GET", "app.bsky.feed.getPostThread", query, NULL, NULL);
  if (answer == NULL)
    return x->status->outcome;
  thread = json_object (json_node_get_object (answer), "thread");
  if (!is_thread_post (thread))
    return sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                                   _("The post is no longer on Bluesky, or its author blocks you."));

  add_thread_post (ctx, message, thread, messages);
  for (JsonObject *parent = json_object (thread, "parent");
       is_thread_post (parent) && parents < 100;
       parent = json_object (parent, "parent"), parents++)
    add_thread_post (ctx, message, parent, messages);
  add_thread_replies (ctx, message, thread, 0, messages);
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
fetch_chat_history (SdBlueskyXrpc          *x,
                    const SdPublishContext *ctx,
                    SdMessage              *message,
                    GPtrArray              *messages)
{
  const char *convo_id = sd_message_get_conversation_id (message);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *convo;

  if (convo_id == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
  query = query_string ("convoId", convo_id, NULL);
  answer = chat_call (x, "GET", "chat.bsky.convo.getConvo", query, NULL);
  if (answer == NULL)
    return x->status->outcome;
  convo = json_object (json_node_get_object (answer), "convo");
  if (convo == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                                   _("Bluesky sent an answer SocialDesk cannot read."));
  if (!fetch_convo_messages (x, ctx, convo, NULL, messages))
    return x->status->outcome;
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

/* Likes */

/* Our like records of @subject_uri (at most a few; a like made twice is two records). */
static GPtrArray *
find_likes (SdBlueskyXrpc *x,
            const char    *subject_uri)
{
  g_autoptr(GPtrArray) likes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *page = NULL;

  for (guint round = 0; round < MAX_LIKE_PAGES; round++)
    {
      g_autofree char *query = NULL;
      g_autoptr(JsonNode) answer = NULL;
      JsonArray *records;

      query = query_string ("repo", sd_account_get_remote_id (x->account),
                            "collection", LIKE_COLLECTION, "limit", "100", "cursor", page, NULL);
      answer = sd_bluesky_xrpc_call (x, "GET", "com.atproto.repo.listRecords", query, NULL, NULL);
      if (answer == NULL)
        return NULL;
      records = sd_http_json_array_member (json_node_get_object (answer), "records");
      for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
        {
          JsonObject *record = sd_http_json_node_object (json_array_get_element (records, i));
          JsonObject *subject = json_object (json_object (record, "value"), "subject");

          if (g_strcmp0 (json_string (subject, "uri"), subject_uri) == 0
              && uri_rkey (json_string (record, "uri")) != NULL)
            g_ptr_array_add (likes, g_strdup (uri_rkey (json_string (record, "uri"))));
        }
      replace_str (&page, json_string (json_node_get_object (answer), "cursor"));
      if (page == NULL || records == NULL || json_array_get_length (records) == 0)
        return g_steal_pointer (&likes);
    }
  return g_steal_pointer (&likes);
}

static SdOutcome
like (SdBlueskyXrpc *x,
      SdMessage     *message)
{
  g_autoptr(GPtrArray) likes = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *created_at = NULL;
  JsonObject *request;
  JsonObject *record;
  JsonObject *subject;

  /* Liked already (an earlier answer lost): nothing to do. */
  likes = find_likes (x, sd_message_get_remote_id (message));
  if (likes == NULL)
    return x->status->outcome;
  if (likes->len > 0)
    return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);

  created_at = sd_time_format_iso8601 (sd_time_now ());
  subject = json_object_new ();
  json_object_set_string_member (subject, "uri", sd_message_get_remote_id (message));
  json_object_set_string_member (subject, "cid", sd_message_get_remote_cid (message));
  record = json_object_new ();
  json_object_set_string_member (record, "$type", LIKE_COLLECTION);
  json_object_set_object_member (record, "subject", subject);
  json_object_set_string_member (record, "createdAt", created_at);
  request = json_object_new ();
  json_object_set_string_member (request, "repo", sd_account_get_remote_id (x->account));
  json_object_set_string_member (request, "collection", LIKE_COLLECTION);
  json_object_set_object_member (request, "record", record);
  body = object_node (request);

  answer = sd_bluesky_xrpc_call (x, "POST", "com.atproto.repo.createRecord", NULL, body, NULL);
  if (answer == NULL)
    return x->status->outcome;
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
unlike (SdBlueskyXrpc *x,
        SdMessage     *message)
{
  g_autoptr(GPtrArray) likes = find_likes (x, sd_message_get_remote_id (message));

  if (likes == NULL)
    return x->status->outcome;
  for (guint i = 0; i < likes->len; i++)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(JsonNode) body = NULL;
      JsonObject *request = json_object_new ();

      json_object_set_string_member (request, "repo", sd_account_get_remote_id (x->account));
      json_object_set_string_member (request, "collection", LIKE_COLLECTION);
      json_object_set_string_member (request, "rkey", g_ptr_array_index (likes, i));
      body = object_node (request);
      answer = sd_bluesky_xrpc_call (x, "POST", "com.atproto.repo.deleteRecord", NULL, body, NULL);
      if (answer == NULL)
        return x->status->outcome;
    }
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

/* The provider's inbox */

static GPtrArray *
sd_bluesky_list_inbox_streams (SdProvider *provider,
                               SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_NOTIFICATIONS,
                                                 _("Mentions, replies and quotes"), NULL));
  /* Whether the app password reaches the direct messages shows on the first fetch. */
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_CHAT, _("Direct messages"), NULL));
  return streams;
}

static SdOutcome
sd_bluesky_fetch_inbox (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *stream,
                        const char             *cursor,
                        const char             *page_token,
                        SdInboxPage            *page,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  SdBlueskyXrpc x;

  if (!sd_bluesky_xrpc_init (&x, ctx, cancellable, status))
    return status->outcome;
  if (g_strcmp0 (stream, STREAM_NOTIFICATIONS) == 0)
    return fetch_notifications (&x, ctx, cursor, page_token, page);
  if (g_strcmp0 (stream, STREAM_CHAT) == 0)
    return fetch_chat (&x, ctx, cursor, page_token, page);
  g_warning ("Bluesky has no inbox stream “%s”", stream);
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 _("SocialDesk cannot read this part of the Bluesky inbox."));
}

static SdOutcome
sd_bluesky_fetch_conversation (SdProvider             *provider,
                               const SdPublishContext *ctx,
                               SdMessage              *message,
                               GPtrArray              *messages,
                               GCancellable           *cancellable,
                               SdProviderStatus       *status)
{
  SdBlueskyXrpc x;

  if (!sd_bluesky_xrpc_init (&x, ctx, cancellable, status))
    return status->outcome;
  if (g_strcmp0 (sd_message_get_stream (message), STREAM_CHAT) == 0)
    return fetch_chat_history (&x, ctx, message, messages);
  return fetch_thread (&x, ctx, message, messages);
}

static SdOutcome
sd_bluesky_message_action (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdMessageAction         action,
                           SdMessage              *message,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  const char *uri = sd_message_get_remote_id (message);
  SdBlueskyXrpc x;

  if (!sd_bluesky_xrpc_init (&x, ctx, cancellable, status))
    return status->outcome;

  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      if (uri == NULL || !g_str_has_prefix (uri, "at://") || sd_message_get_remote_cid (message) == NULL
          || sd_account_get_remote_id (ctx->account) == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                       _("Only posts can be liked on Bluesky."));
      return action == SD_MESSAGE_ACTION_LIKE ? like (&x, message) : unlike (&x, message);

    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("SocialDesk cannot hide replies on Bluesky: Bluesky keeps "
                                       "hidden replies in the post’s reply settings. Hide it in "
                                       "the Bluesky app."));

    case SD_MESSAGE_ACTION_DELETE:
    default:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("Bluesky does not let you delete other people’s replies. "
                                       "You can hide them in the Bluesky app."));
    }
}

void
sd_bluesky_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_bluesky_list_inbox_streams;
  iface->fetch_inbox = sd_bluesky_fetch_inbox;
  iface->fetch_conversation = sd_bluesky_fetch_conversation;
  iface->message_action = sd_bluesky_message_action;
}
