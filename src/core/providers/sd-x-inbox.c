/* sd-x-inbox.c — the X provider's inbox: mentions, direct messages, conversations, likes and hides
 *
 * Sources (docs.x.com, stored copies of 2025–2026): GET /2/users/:id/mentions
 * (since_id, pagination_token, meta.next_token and newest_id, max_results ≤
 * 100), GET /2/dm_events and /2/dm_conversations/:id/dm_events (dm.read;
 * pagination_token only, newest first), POST
 * /2/dm_conversations/:dm_conversation_id/messages (dm.write), POST and DELETE
 * /2/users/:id/likes, PUT /2/tweets/:id/hidden, GET /2/tweets?ids=, GET
 * /2/tweets/search/recent (refused to apps without a paid tier: 403
 * "client-forbidden").
 *
 * Entities' start/end are code point indices into the text; they are read as
 * indices into the text with X's &amp; &lt; &gt; escapes undone (unverified:
 * the reference pages do not say which of the two they count).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-x"

#include "config.h"

#include "sd-x-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-time.h"

#define STREAM_MENTIONS   "mentions"
#define STREAM_DM         "dm"
#define PAGE_SIZE         100
#define DM_FIND_PAGES     3
#define DM_CLOCK_SLACK    60
#define TEXT_MAX_BYTES    (64 * 1024)
#define POST_URL_FORMAT   "https://x.com/%s/status/%s"
#define DM_URL_FORMAT     "https://x.com/messages/%s"
#define TWEET_FIELDS      "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,entities,author_id"
#define USER_FIELDS       "name,username,profile_image_url"
#define DM_FIELDS         "id,text,event_type,dm_conversation_id,created_at,sender_id"

/* What one answer knows besides its "data": the users and tweets it expanded. */
typedef struct
{
  const char *me;
  JsonArray  *users;
  JsonArray  *tweets;
} Includes;

static void
read_includes (JsonNode   *root,
               const char *me,
               Includes   *includes)
{
  JsonObject *object = sd_http_json_object_member (sd_http_json_node_object (root), "includes");

  includes->me = me;
  includes->users = sd_http_json_array_member (object, "users");
  includes->tweets = sd_http_json_array_member (object, "tweets");
}

static JsonObject *
find_by_id (JsonArray  *array,
            const char *id)
{
  for (guint i = 0; array != NULL && id != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = sd_http_json_node_object (json_array_get_element (array, i));

      if (g_strcmp0 (sd_http_json_string (object, "id"), id) == 0)
        return object;
    }
  return NULL;
}

/* X's ids are decimal numbers that grow with time: compares two of them. */
static int
compare_ids (const char *a,
             const char *b)
{
  gsize la = a != NULL ? strlen (a) : 0;
  gsize lb = b != NULL ? strlen (b) : 0;

  if (la != lb)
    return la < lb ? -1 : 1;
  return la == 0 ? 0 : strcmp (a, b);
}

static gint64
parse_time (const char *text)
{
  gint64 when = 0;

  if (text == NULL || !sd_time_parse_iso8601 (text, NULL, &when))
    return 0;
  return when;
}

/* Text and links */

static const char *
unescape_at (const char *p,
             gunichar   *c)
{
  static const struct { const char *entity; gunichar c; } entities[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_has_prefix (p, entities[i].entity))
      {
        *c = entities[i].c;
        return p + strlen (entities[i].entity);
      }
  *c = g_utf8_get_char (p);
  return g_utf8_next_char (p);
}

/* The post's text with X's escapes undone, and its links from
 * entities.urls (expanded_url) at byte offsets of that text. */
static void
fill_text (SdMessage  *message,
           JsonObject *object)
{
  g_autofree char *valid = g_utf8_make_valid (sd_http_json_string (object, "text") != NULL
                                              ? sd_http_json_string (object, "text") : "", -1);
  JsonArray *urls = sd_http_json_array_member (sd_http_json_object_member (object, "entities"), "urls");
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *text = g_string_new (NULL);
  g_autofree char *plain = NULL;
  guint n_chars;

  if (strlen (valid) > TEXT_MAX_BYTES)
    {
      const char *end = g_utf8_find_prev_char (valid, valid + TEXT_MAX_BYTES);

      valid[end != NULL ? end - valid : 0] = '\0';
    }
  for (const char *p = valid; *p != '\0';)
    {
      gunichar c;
      guint offset = text->len;

      p = unescape_at (p, &c);
      g_array_append_val (offsets, offset);
      g_string_append_unichar (text, c);
    }
  n_chars = offsets->len;
  g_array_append_val (offsets, text->len);
  plain = g_string_free (text, FALSE);
  sd_message_set_text (message, plain);

  for (guint i = 0; urls != NULL && i < json_array_get_length (urls); i++)
    {
      JsonObject *url = sd_http_json_node_object (json_array_get_element (urls, i));
      const char *target = sd_http_json_string (url, "expanded_url");
      gint64 start = url != NULL ? json_object_get_int_member_with_default (url, "start", -1) : -1;
      gint64 end = url != NULL ? json_object_get_int_member_with_default (url, "end", -1) : -1;

      if (target == NULL)
        target = sd_http_json_string (url, "url");
      if (target == NULL || start < 0 || end <= start || end > n_chars
          || !(g_str_has_prefix (target, "https://") || g_str_has_prefix (target, "http://")))
        continue;
      sd_message_add_link (message, g_array_index (offsets, guint, start),
                           g_array_index (offsets, guint, end), target);
    }
}

static void
fill_author (SdMessage  *message,
             JsonObject *user,
             const char *author_id)
{
  sd_message_set_author_remote_id (message, author_id);
  if (user == NULL)
    return;
  sd_message_set_author_handle (message, sd_http_json_string (user, "username"));
  sd_message_set_author_name (message, sd_http_json_string (user, "name"));
  sd_message_set_author_avatar_url (message, sd_http_json_string (user, "profile_image_url"));
}

static SdMessage *
new_message (const SdPublishContext *ctx,
             const char             *stream)
{
  SdMessage *message = sd_message_new ();

  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_X);
  sd_message_set_stream (message, stream);
  sd_message_set_fetched_at (message, sd_time_now ());
  return message;
}

/* Posts */

static const char *
referenced (JsonObject *tweet,
            const char *type)
{
  JsonArray *references = sd_http_json_array_member (tweet, "referenced_tweets");

  for (guint i = 0; references != NULL && i < json_array_get_length (references); i++)
    {
      JsonObject *reference = sd_http_json_node_object (json_array_get_element (references, i));

      if (g_strcmp0 (sd_http_json_string (reference, "type"), type) == 0)
        return sd_http_json_string (reference, "id");
    }
  return NULL;
}

static gboolean
is_ours (const Includes *includes,
         const char     *tweet_id)
{
  JsonObject *tweet = find_by_id (includes->tweets, tweet_id);

  return tweet != NULL && g_strcmp0 (sd_http_json_string (tweet, "author_id"), includes->me) == 0;
}

/* Replies to a post of ours that starts a conversation (or continues our
 * own thread) may be hidden: X lets the conversation's starter hide replies. */
static gboolean
in_our_conversation (const Includes *includes,
                     JsonObject     *tweet)
{
  const char *conversation = sd_http_json_string (tweet, "conversation_id");
  JsonObject *parent = find_by_id (includes->tweets, referenced (tweet, "replied_to"));

  if (g_strcmp0 (sd_http_json_string (tweet, "author_id"), includes->me) == 0)
    return FALSE;
  if (is_ours (includes, conversation))
    return TRUE;
  return parent != NULL && g_strcmp0 (sd_http_json_string (parent, "author_id"), includes->me) == 0
         && (g_strcmp0 (sd_http_json_string (parent, "conversation_id"), sd_http_json_string (parent, "id")) == 0
             || g_strcmp0 (sd_http_json_string (parent, "in_reply_to_user_id"), includes->me) == 0);
}

static SdMessageKind
tweet_kind (const Includes *includes,
            JsonObject     *tweet,
            gboolean        context)
{
  const char *quoted = referenced (tweet, "quoted");

  if (g_strcmp0 (sd_http_json_string (tweet, "author_id"), includes->me) == 0)
    return SD_MESSAGE_KIND_OWN;
  if (g_strcmp0 (sd_http_json_string (tweet, "in_reply_to_user_id"), includes->me) == 0)
    return SD_MESSAGE_KIND_REPLY;
  if (quoted != NULL && is_ours (includes, quoted))
    return SD_MESSAGE_KIND_QUOTE;
  return context ? SD_MESSAGE_KIND_CONTEXT : SD_MESSAGE_KIND_MENTION;
}

static SdMessage *
tweet_message (const SdPublishContext *ctx,
               const Includes         *includes,
               JsonObject             *tweet,
               gboolean                context)
{
  const char *id = sd_http_json_string (tweet, "id");
  const char *author_id = sd_http_json_string (tweet, "author_id");
  const char *conversation = sd_http_json_string (tweet, "conversation_id");
  JsonObject *user = find_by_id (includes->users, author_id);
  const char *username = sd_http_json_string (user, "username");
  g_autofree char *url = NULL;
  SdMessage *message;
  SdMessageCaps caps = SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE;

  if (id == NULL)
    return NULL;
  message = new_message (ctx, STREAM_MENTIONS);
  sd_message_set_kind (message, tweet_kind (includes, tweet, context));
  sd_message_set_remote_id (message, id);
  sd_message_set_parent_remote_id (message, referenced (tweet, "replied_to"));
  sd_message_set_root_remote_id (message, conversation != NULL ? conversation : id);
  sd_message_set_conversation_id (message, conversation != NULL ? conversation : id);
  fill_author (message, user, author_id);
  fill_text (message, tweet);
  sd_message_set_audience (message, "public");
  sd_message_set_sent_at (message, parse_time (sd_http_json_string (tweet, "created_at")));
  url = g_strdup_printf (POST_URL_FORMAT, username != NULL ? username : "i", id);
  sd_message_set_url (message, url);
  if (in_our_conversation (includes, tweet))
    caps |= SD_MESSAGE_CAN_HIDE;
  sd_message_set_caps (message, caps);
  return message;
}

static gboolean
holds (GPtrArray  *messages,
       const char *remote_id)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (sd_message_get_remote_id (g_ptr_array_index (messages, i)), remote_id) == 0)
      return TRUE;
  return FALSE;
}

static void
add_tweets (const SdPublishContext *ctx,
            JsonNode               *root,
            gboolean                context,
            GPtrArray              *messages)
{
  JsonArray *tweets = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  Includes includes;

  read_includes (root, sd_account_get_remote_id (ctx->account), &includes);
  for (guint i = 0; tweets != NULL && i < json_array_get_length (tweets); i++)
    {
      SdMessage *message = tweet_message (ctx, &includes,
                                          sd_http_json_node_object (json_array_get_element (tweets, i)),
                                          context);

      if (message != NULL && !holds (messages, sd_message_get_remote_id (message)))
        g_ptr_array_add (messages, message);
      else
        g_clear_object (&message);
    }
}

/* Streams */

static GPtrArray *
sd_x_list_inbox_streams (SdProvider *provider,
                         SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_MENTIONS, _("Mentions, replies and quotes"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_DM, _("Direct messages"), NULL));
  return streams;
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static SdOutcome
fetch_mentions (const SdPublishContext *ctx,
                const char             *cursor,
                const char             *page_token,
                SdInboxPage            *page,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *user = escape (sd_account_get_remote_id (ctx->account));
  g_autofree char *since = cursor != NULL ? escape (cursor) : NULL;
  g_autofree char *token = page_token != NULL ? escape (page_token) : NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *meta;
  SdOutcome outcome;

  path = g_strdup_printf ("/2/users/%s/mentions?max_results=%d&tweet.fields=" TWEET_FIELDS
                          "&expansions=author_id,referenced_tweets.id&user.fields=" USER_FIELDS "%s%s%s%s",
                          user, PAGE_SIZE,
                          since != NULL ? "&since_id=" : "", since != NULL ? since : "",
                          token != NULL ? "&pagination_token=" : "", token != NULL ? token : "");
  msg = sd_x_api_message (ctx, "GET", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = sd_x_call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? (status->outcome = SD_OUTCOME_RETRY) : outcome;
  if (sd_http_json_node_object (root) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("X’s list of mentions could not be read."));

  add_tweets (ctx, root, FALSE, page->messages);
  meta = sd_http_json_object_member (sd_http_json_node_object (root), "meta");
  /* The first fetch ever takes the newest page only. */
  if (cursor != NULL)
    page->next_page = g_strdup (sd_http_json_string (meta, "next_token"));
  if (page_token == NULL)
    page->new_cursor = g_strdup (sd_http_json_string (meta, "newest_id"));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Direct messages */

/* A 403 on a DM endpoint: the sign-in lacks dm.read / dm.write. */
static SdOutcome
dm_refused (SdProviderStatus *status,
            const char       *words)
{
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is X's own words. */
                                 _("X gives direct messages only to a sign-in that allowed them. Sign in to X "
                                   "again in SocialDesk to allow it (X said: “%s”)."),
                                 words != NULL ? words : "Forbidden");
}

static SdMessage *
dm_message (const SdPublishContext *ctx,
            const Includes         *includes,
            JsonObject             *event)
{
  const char *id = sd_http_json_string (event, "id");
  const char *sender = sd_http_json_string (event, "sender_id");
  const char *conversation = sd_http_json_string (event, "dm_conversation_id");
  gboolean own = g_strcmp0 (sender, includes->me) == 0;
  g_autofree char *url = NULL;
  SdMessage *message;

  if (id == NULL || conversation == NULL
      || g_strcmp0 (sd_http_json_string (event, "event_type"), "MessageCreate") != 0)
    return NULL;
  message = new_message (ctx, STREAM_DM);
  sd_message_set_kind (message, own ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_DM);
  sd_message_set_remote_id (message, id);
  sd_message_set_conversation_id (message, conversation);
  fill_author (message, find_by_id (includes->users, sender), sender);
  fill_text (message, event);
  sd_message_set_audience (message, "direct");
  sd_message_set_sent_at (message, parse_time (sd_http_json_string (event, "created_at")));
  url = g_strdup_printf (DM_URL_FORMAT, conversation);
  sd_message_set_url (message, url);
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY);
  return message;
}

/* One page of DM events (of every conversation, or of one). */
static SdOutcome
read_dm_page (const SdPublishContext *ctx,
              const char             *conversation,
              const char             *page_token,
              JsonNode              **root,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autofree char *token = page_token != NULL ? escape (page_token) : NULL;
  g_autofree char *escaped = conversation != NULL ? escape (conversation) : NULL;
  g_autofree char *base = escaped != NULL ? g_strdup_printf ("/2/dm_conversations/%s/dm_events", escaped)
                                          : g_strdup ("/2/dm_events");
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SdOutcome outcome;

  path = g_strdup_printf ("%s?max_results=%d&dm_event.fields=" DM_FIELDS "&event_types=MessageCreate"
                          "&expansions=sender_id&user.fields=" USER_FIELDS "%s%s",
                          base, PAGE_SIZE, token != NULL ? "&pagination_token=" : "", token != NULL ? token : "");
  msg = sd_x_api_message (ctx, "GET", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = sd_x_call (ctx, msg, cancellable, root, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
    return dm_refused (status, words);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome == SD_OUTCOME_DONE && sd_http_json_node_object (*root) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("X’s list of direct messages could not be read."));
  return outcome;
}

/* dm_events has no since_id: newest first, pages are read until one holds
 * an event at or before the cursor (the newest event id seen). */
static SdOutcome
fetch_dms (const SdPublishContext *ctx,
           const char             *cursor,
           const char             *page_token,
           SdInboxPage            *page,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *events;
  Includes includes;
  gboolean reached = FALSE;
  SdOutcome outcome;

  outcome = read_dm_page (ctx, NULL, page_token, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  read_includes (root, sd_account_get_remote_id (ctx->account), &includes);
  events = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = sd_http_json_node_object (json_array_get_element (events, i));
      const char *id = sd_http_json_string (event, "id");
      SdMessage *message;

      if (id == NULL)
        continue;
      if (cursor != NULL && compare_ids (id, cursor) <= 0)
        {
          reached = TRUE;
          continue;
        }
      if (page_token == NULL && page->new_cursor == NULL)
        page->new_cursor = g_strdup (id);
      message = dm_message (ctx, &includes, event);
      if (message != NULL)
        g_ptr_array_add (page->messages, message);
    }
  if (cursor != NULL && !reached)
    page->next_page = g_strdup (sd_http_json_string (sd_http_json_object_member (sd_http_json_node_object (root), "meta"),
                                                     "next_token"));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_x_fetch_inbox (SdProvider             *provider,
                  const SdPublishContext *ctx,
                  const char             *stream,
                  const char             *cursor,
                  const char             *page_token,
                  SdInboxPage            *page,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  SdOutcome outcome;

  status->retry_after = 0;
  outcome = sd_x_ensure_user_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? (status->outcome = SD_OUTCOME_RETRY) : outcome;
  if (g_strcmp0 (stream, STREAM_MENTIONS) == 0)
    return fetch_mentions (ctx, cursor, page_token, page, cancellable, status);
  if (g_strcmp0 (stream, STREAM_DM) == 0)
    return fetch_dms (ctx, cursor, page_token, page, cancellable, status);
  /* Translators: %s is the name of an inbox stream. */
  return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("X has no inbox stream “%s”."), stream);
}

/* Replies as direct messages */

gboolean
sd_x_inbox_is_dm_reply (const SdPublishContext *ctx)
{
  return ctx->parent == NULL && ctx->reply_to != NULL
         && (sd_message_get_kind (ctx->reply_to) == SD_MESSAGE_KIND_DM
             || g_strcmp0 (sd_message_get_stream (ctx->reply_to), STREAM_DM) == 0);
}

SdOutcome
sd_x_inbox_send_dm (const SdPublishContext *ctx,
                    SdPublishPart          *part,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  const char *conversation = sd_message_get_conversation_id (ctx->reply_to);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data;
  const char *id;
  SdOutcome outcome;

  if (conversation == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know this direct message’s conversation on X."));
  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk cannot send pictures or videos in X direct messages yet."));

  /* From here on the message may exist: a later attempt looks first. */
  if (!sd_publish_context_set_stage (ctx, part, SD_X_STAGE_DM, &error))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   /* Translators: %s is an error message. */
                                   _("Could not keep the post’s progress: %s"), error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, part->text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = escape (conversation);
  path = g_strdup_printf ("/2/dm_conversations/%s/messages", escaped);
  msg = sd_x_api_message (ctx, "POST", path, status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);
  outcome = sd_x_call (ctx, msg, cancellable, &root, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
    return dm_refused (status, words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  id = sd_http_json_string (data, "dm_event_id");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("X took the direct message but did not say which one it made."));
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_free (part->remote_url);
  part->remote_url = g_strdup_printf (DM_URL_FORMAT, conversation);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static char *
comparable (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  GString *out = g_string_new (NULL);

  for (const char *p = stripped; *p != '\0';)
    {
      gunichar c;

      p = unescape_at (p, &c);
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

SdOutcome
sd_x_inbox_find_dm (const SdPublishContext *ctx,
                    SdPublishPart          *part,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  const char *conversation = sd_message_get_conversation_id (ctx->reply_to);
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - DM_CLOCK_SLACK : 0;
  g_autofree char *wanted = comparable (part->text);
  g_autofree char *token = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  if (part->stage == NULL || !g_str_has_prefix (part->stage, SD_X_STAGE_DM))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The direct message was not sent to X yet: it can be sent again."));
  if (since == 0 || conversation == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not tell whether the direct message reached X."));
  outcome = sd_x_ensure_user_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_AUTH ? outcome : (status->outcome = SD_OUTCOME_UNCERTAIN);

  for (guint page = 0; page < DM_FIND_PAGES; page++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonArray *events;

      outcome = read_dm_page (ctx, conversation, token, &root, cancellable, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         /* Translators: %s says why. */
                                         _("Could not look at the conversation’s recent messages on X: %s"),
                                         reason);
        }
      events = sd_http_json_array_member (sd_http_json_node_object (root), "data");
      for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
        {
          JsonObject *event = sd_http_json_node_object (json_array_get_element (events, i));
          g_autofree char *text = comparable (sd_http_json_string (event, "text"));
          gint64 created = parse_time (sd_http_json_string (event, "created_at"));

          if (created > 0 && created < since)
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           _("The direct message is not on X: it can be sent again."));
          if (g_strcmp0 (sd_http_json_string (event, "sender_id"), sd_account_get_remote_id (ctx->account)) == 0
              && g_strcmp0 (text, wanted) == 0 && sd_http_json_string (event, "id") != NULL)
            {
              g_free (part->remote_id);
              part->remote_id = g_strdup (sd_http_json_string (event, "id"));
              g_free (part->remote_url);
              part->remote_url = g_strdup_printf (DM_URL_FORMAT, conversation);
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
        }
      g_free (token);
      token = g_strdup (sd_http_json_string (sd_http_json_object_member (sd_http_json_node_object (root), "meta"),
                                             "next_token"));
      if (token == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The direct message is not on X: it can be sent again."));
    }
  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the direct message reached X: the conversation has too many newer messages."));
}

/* Conversations */

static SdOutcome
read_tweets (const SdPublishContext *ctx,
             const char             *path,
             JsonNode              **root,
             char                  **words,
             GCancellable           *cancellable,
             SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_x_api_message (ctx, "GET", path, status);

  if (msg == NULL)
    return status->outcome;
  return sd_x_call (ctx, msg, cancellable, root, words, status);
}

static SdOutcome
fetch_thread (const SdPublishContext *ctx,
              SdMessage              *message,
              GPtrArray              *messages,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  const char *conversation = sd_message_get_conversation_id (message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  const char *wanted[] = { sd_message_get_parent_remote_id (message), sd_message_get_root_remote_id (message) };
  SdOutcome outcome;

  /* Search by conversation needs a paid tier; refused (403), the parents do. */
  if (conversation != NULL)
    {
      g_autofree char *query = g_strconcat ("conversation_id:", conversation, NULL);

      escaped = escape (query);
      path = g_strdup_printf ("/2/tweets/search/recent?query=%s&max_results=%d&tweet.fields=" TWEET_FIELDS
                              "&expansions=author_id,referenced_tweets.id&user.fields=" USER_FIELDS,
                              escaped, PAGE_SIZE);
      outcome = read_tweets (ctx, path, &root, NULL, cancellable, status);
      if (outcome == SD_OUTCOME_DONE)
        {
          add_tweets (ctx, root, TRUE, messages);
          g_clear_pointer (&root, json_node_unref);
        }
      else if (outcome != SD_OUTCOME_FAILED)
        return outcome;
      else
        g_debug ("search by conversation refused (%u): reading the parents only", status->http_status);
    }

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if (wanted[i] != NULL && g_strcmp0 (wanted[i], sd_message_get_remote_id (message)) != 0
        && (i == 0 || g_strcmp0 (wanted[0], wanted[1]) != 0))
      {
        g_autofree char *id = escape (wanted[i]);

        g_string_append_printf (ids, "%s%s", ids->len > 0 ? "," : "", id);
      }
  if (ids->len == 0)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);

  g_free (path);
  path = g_strdup_printf ("/2/tweets?ids=%s&tweet.fields=" TWEET_FIELDS
                          "&expansions=author_id,referenced_tweets.id&user.fields=" USER_FIELDS, ids->str);
  outcome = read_tweets (ctx, path, &root, NULL, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  add_tweets (ctx, root, TRUE, messages);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
fetch_dm_history (const SdPublishContext *ctx,
                  SdMessage              *message,
                  GPtrArray              *messages,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *events;
  Includes includes;
  SdOutcome outcome;

  outcome = read_dm_page (ctx, sd_message_get_conversation_id (message), NULL, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  read_includes (root, sd_account_get_remote_id (ctx->account), &includes);
  events = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      SdMessage *item = dm_message (ctx, &includes, sd_http_json_node_object (json_array_get_element (events, i)));

      if (item != NULL)
        g_ptr_array_add (messages, item);
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_x_fetch_conversation (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         SdMessage              *message,
                         GPtrArray              *messages,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  SdOutcome outcome;

  status->retry_after = 0;
  outcome = sd_x_ensure_user_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (g_strcmp0 (sd_message_get_stream (message), STREAM_DM) == 0)
    return fetch_dm_history (ctx, message, messages, cancellable, status);
  return fetch_thread (ctx, message, messages, cancellable, status);
}

/* Actions */

static SdOutcome
send_action (const SdPublishContext *ctx,
             const char             *method,
             const char             *path,
             JsonNode               *body,
             GCancellable           *cancellable,
             SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_x_api_message (ctx, method, path, status);
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  if (body != NULL)
    sd_http_set_json_body (msg, body);
  outcome = sd_x_call (ctx, msg, cancellable, &root, NULL, status);
  /* Liking or hiding twice is harmless: a lost answer may be asked again. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static JsonNode *
one_member (const char *name,
            const char *string,
            gboolean    boolean)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  if (string != NULL)
    json_builder_add_string_value (builder, string);
  else
    json_builder_add_boolean_value (builder, boolean);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static SdOutcome
sd_x_message_action (SdProvider             *provider,
                     const SdPublishContext *ctx,
                     SdMessageAction         action,
                     SdMessage              *message,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autofree char *tweet = NULL;
  g_autofree char *user = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  if (g_strcmp0 (sd_message_get_stream (message), STREAM_DM) == 0 || sd_message_get_remote_id (message) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("X does not let other apps like, hide or delete direct messages."));
  if (action == SD_MESSAGE_ACTION_DELETE)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("X does not let anyone delete other people’s posts; hide the reply instead."));
  outcome = sd_x_ensure_user_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  tweet = escape (sd_message_get_remote_id (message));
  user = escape (sd_account_get_remote_id (ctx->account));
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
      path = g_strdup_printf ("/2/users/%s/likes", user);
      body = one_member ("tweet_id", sd_message_get_remote_id (message), FALSE);
      return send_action (ctx, "POST", path, body, cancellable, status);
    case SD_MESSAGE_ACTION_UNLIKE:
      path = g_strdup_printf ("/2/users/%s/likes/%s", user, tweet);
      return send_action (ctx, "DELETE", path, NULL, cancellable, status);
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      path = g_strdup_printf ("/2/tweets/%s/hidden", tweet);
      body = one_member ("hidden", NULL, action == SD_MESSAGE_ACTION_HIDE);
      return send_action (ctx, "PUT", path, body, cancellable, status);
    case SD_MESSAGE_ACTION_DELETE:
    default:
      g_assert_not_reached ();
    }
}

void
sd_x_inbox_init_iface (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_x_list_inbox_streams;
  iface->fetch_inbox = sd_x_fetch_inbox;
  iface->fetch_conversation = sd_x_fetch_conversation;
  iface->message_action = sd_x_message_action;
}
