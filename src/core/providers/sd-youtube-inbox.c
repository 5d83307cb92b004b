/* sd-youtube-inbox.c — a YouTube channel's inbox: the comments on its videos
 *
 * YouTube Data API v3 (developers.google.com/youtube/v3/docs, stored
 * copies): commentThreads.list (part=snippet,replies,
 * allThreadsRelatedToChannelId, order=time, maxResults ≤ 100, pageToken;
 * "replies" holds some of a thread's replies), comments.list (parentId),
 * comments.insert (snippet.parentId: a top-level comment; replies to
 * replies do not exist, a reply names the person with @handle instead),
 * comments.setModerationStatus (heldForReview, published, rejected; the
 * channel owner's way to take others' comments down: comments.delete is for
 * one's own). Comment text: textOriginal is what the person wrote;
 * textDisplay is HTML and is never used here (requested as plain text all
 * the same, for the answers that lack textOriginal). There is no API to like
 * a comment (comments.setRating was withdrawn), and none for direct messages.
 * Needs the youtube.force-ssl scope.
 *
 * The cursor is the newest publishedAt seen; later fetches page back while
 * threads are still that new. A new reply in a thread older than the
 * pages read is not seen (threads are listed by their first comment's time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-youtube"

#include "config.h"

#include "sd-youtube-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-time.h"

#define STREAM_COMMENTS  "comments"
#define THREADS_PER_PAGE "100"
#define FIND_LIMIT       "100"
#define FIND_CLOCK_SLACK 120
#define MAX_TEXT         (64 * 1024)
#define WATCH_URL        "https://www.youtube.com/watch?v="

static const char *
channel_of (const SdPublishContext *ctx)
{
  const char *id = sd_account_get_remote_id (ctx->account);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) : 0;
}

static const char *
author_channel (JsonObject *snippet)
{
  return sd_http_json_string (sd_http_json_object_member (snippet, "authorChannelId"), "value");
}

static char *
comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

static GPtrArray *
sd_youtube_list_inbox_streams (SdProvider *provider,
                               SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_COMMENTS, _("Comments on your videos"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new ("messages", _("Direct messages"),
                                                 _("YouTube has no direct messages.")));
  return streams;
}

/* Reading comments */

static void
set_text (SdMessage  *message,
          JsonObject *snippet)
{
  const char *text = sd_http_json_string (snippet, "textOriginal");
  g_autofree char *valid = NULL;

  /* textDisplay only when textOriginal is missing: it was asked for as plain text. */
  if (text == NULL)
    text = sd_http_json_string (snippet, "textDisplay");
  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  if (strlen (valid) > MAX_TEXT)
    *g_utf8_find_prev_char (valid, valid + MAX_TEXT + 1) = '\0';
  sd_message_set_text (message, valid);
}

/* "@handle" display names (YouTube shows handles now) give the handle. */
static void
set_author (SdMessage  *message,
            JsonObject *snippet)
{
  const char *name = sd_http_json_string (snippet, "authorDisplayName");

  sd_message_set_author_remote_id (message, author_channel (snippet));
  sd_message_set_author_name (message, name);
  if (name != NULL && name[0] == '@' && name[1] != '\0')
    sd_message_set_author_handle (message, name + 1);
  sd_message_set_author_avatar_url (message, sd_http_json_string (snippet, "authorProfileImageUrl"));
}

static SdMessage *
comment_message (const SdPublishContext *ctx,
                 const char             *thread_id,
                 JsonObject             *comment,
                 SdMessageKind           kind,
                 gboolean                can_reply,
                 gint64                  published)
{
  SdMessage *message = sd_message_new ();
  JsonObject *snippet = sd_http_json_object_member (comment, "snippet");
  const char *id = sd_http_json_string (comment, "id");
  const char *video = sd_http_json_string (snippet, "videoId");
  const char *parent = sd_http_json_string (snippet, "parentId");
  g_autofree char *url = video != NULL ? g_strconcat (WATCH_URL, video, "&lc=", id, NULL) : NULL;
  SdMessageCaps caps = can_reply ? SD_MESSAGE_CAN_REPLY : 0;

  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_YOUTUBE);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, kind);
  sd_message_set_remote_id (message, id);
  sd_message_set_parent_remote_id (message, parent != NULL ? parent : video);
  sd_message_set_root_remote_id (message, video);
  sd_message_set_conversation_id (message, thread_id);
  set_author (message, snippet);
  set_text (message, snippet);
  sd_message_set_url (message, url);
  sd_message_set_sent_at (message, published);
  sd_message_set_audience (message, "public");
  /* The channel moderates others' comments; its own it only answers. */
  if (kind != SD_MESSAGE_KIND_OWN)
    caps |= SD_MESSAGE_CAN_HIDE | SD_MESSAGE_CAN_DELETE;
  sd_message_set_caps (message, caps);
  return message;
}

/* One thread: its top-level comment and the replies given with it, at or after @since. */
static gint64
read_thread (const SdPublishContext *ctx,
             JsonObject             *thread,
             gint64                  since,
             GPtrArray              *out,
             gint64                 *newest)
{
  JsonObject *snippet = sd_http_json_object_member (thread, "snippet");
  JsonObject *top = sd_http_json_object_member (snippet, "topLevelComment");
  JsonObject *top_snippet = sd_http_json_object_member (top, "snippet");
  JsonArray *replies = sd_http_json_array_member (sd_http_json_object_member (thread, "replies"), "comments");
  const char *thread_id = sd_http_json_string (thread, "id");
  JsonNode *can_reply_node = snippet != NULL ? json_object_get_member (snippet, "canReply") : NULL;
  /* canReply is false where the video's comments are closed to replies. */
  gboolean can_reply = can_reply_node == NULL || !JSON_NODE_HOLDS_VALUE (can_reply_node)
                       || json_node_get_value_type (can_reply_node) != G_TYPE_BOOLEAN
                       || json_node_get_boolean (can_reply_node);
  gboolean top_is_ours = g_strcmp0 (author_channel (top_snippet), channel_of (ctx)) == 0;
  gint64 top_time = parse_time (sd_http_json_string (top_snippet, "publishedAt"));

  if (thread_id == NULL || top == NULL || sd_http_json_string (top, "id") == NULL)
    return 0;
  if (top_time > 0 && (since == 0 || top_time >= since))
    {
      g_ptr_array_add (out, comment_message (ctx, thread_id, top,
                                             top_is_ours ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_COMMENT,
                                             can_reply, top_time));
      *newest = MAX (*newest, top_time);
    }
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonObject *reply = json_array_get_object_element (replies, i);
      JsonObject *reply_snippet = sd_http_json_object_member (reply, "snippet");
      gint64 published = parse_time (sd_http_json_string (reply_snippet, "publishedAt"));
      SdMessageKind kind;

      if (reply == NULL || sd_http_json_string (reply, "id") == NULL || published == 0)
        continue;
      if (since > 0 && published < since)
        continue;
      if (g_strcmp0 (author_channel (reply_snippet), channel_of (ctx)) == 0)
        kind = SD_MESSAGE_KIND_OWN;
      else
        kind = top_is_ours ? SD_MESSAGE_KIND_REPLY : SD_MESSAGE_KIND_COMMENT;
      g_ptr_array_add (out, comment_message (ctx, thread_id, reply, kind, can_reply, published));
      *newest = MAX (*newest, published);
    }
  return top_time;
}

static SdOutcome
sd_youtube_fetch_inbox (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *stream,
                        const char             *cursor,
                        const char             *page_token,
                        SdInboxPage            *page,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  gint64 since = cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 newest = 0, oldest = G_MAXINT64;
  const char *next;
  JsonArray *items;
  SdOutcome outcome;

  if (g_strcmp0 (stream, STREAM_COMMENTS) != 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("YouTube has no direct messages."));
  if (channel_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know the YouTube channel: sign in again."));

  query = soup_form_encode ("part", "snippet,replies", "allThreadsRelatedToChannelId", channel_of (ctx),
                            "order", "time", "maxResults", THREADS_PER_PAGE, "textFormat", "plainText",
                            page_token != NULL ? "pageToken" : NULL, page_token, NULL);
  path = g_strconcat ("/youtube/v3/commentThreads?", query, NULL);
  msg = sd_youtube_api_message (ctx, "GET", path);
  outcome = sd_youtube_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
  if (items == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("YouTube’s list of comments could not be read."));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *thread = json_array_get_object_element (items, i);
      gint64 top_time = thread != NULL ? read_thread (ctx, thread, since, page->messages, &newest) : 0;

      if (top_time > 0)
        oldest = MIN (oldest, top_time);
    }
  if (page_token == NULL && newest > 0)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  /* The first fetch takes the newest page only; later ones go on while threads are new enough. */
  next = sd_http_json_string (sd_http_json_node_object (root), "nextPageToken");
  if (since > 0 && next != NULL && next[0] != '\0' && oldest >= since)
    page->next_page = g_strdup (next);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Replies */

/* The top-level comment a reply goes under. */
static const char *
top_level_of (SdMessage *message)
{
  const char *parent = sd_message_get_parent_remote_id (message);
  const char *root = sd_message_get_root_remote_id (message);

  if (parent != NULL && g_strcmp0 (parent, root) != 0)
    return parent;
  return sd_message_get_remote_id (message);
}

/* What is sent: an answer to a reply names its author first, as YouTube's own reply box does. */
static char *
reply_text (SdMessage  *to,
            const char *text)
{
  const char *parent = sd_message_get_parent_remote_id (to);
  const char *handle = sd_message_get_author_handle (to);
  g_autofree char *mention = NULL;

  if (parent == NULL || g_strcmp0 (parent, sd_message_get_root_remote_id (to)) == 0 || handle == NULL)
    return g_strdup (text);
  mention = g_strconcat ("@", handle, NULL);
  if (g_str_has_prefix (text, mention))
    return g_strdup (text);
  return g_strconcat (mention, " ", text, NULL);
}

SdOutcome
sd_youtube_inbox_reply (const SdPublishContext *ctx,
                        SdPublishPart          *part,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *text = reply_text (ctx->reply_to, part->text);
  JsonObject *answer;
  const char *id;
  const char *video;
  SdOutcome outcome;

  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A YouTube comment is text only: remove the attachments."));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "snippet");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parentId");
  json_builder_add_string_value (builder, top_level_of (ctx->reply_to));
  json_builder_set_member_name (builder, "textOriginal");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = sd_youtube_api_message (ctx, "POST", "/youtube/v3/comments?part=snippet");
  sd_http_set_json_body (msg, body);
  outcome = sd_youtube_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  answer = sd_http_json_node_object (root);
  id = sd_http_json_string (answer, "id");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("YouTube’s answer to the reply could not be read: it may have been sent."));
  video = sd_http_json_string (sd_http_json_object_member (answer, "snippet"), "videoId");
  if (video == NULL)
    video = sd_message_get_root_remote_id (ctx->reply_to);
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_free (part->remote_url);
  part->remote_url = video != NULL ? g_strconcat (WATCH_URL, video, "&lc=", id, NULL) : NULL;
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_youtube_inbox_find_reply (const SdPublishContext *ctx,
                             SdPublishPart          *part,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  g_autofree char *text = reply_text (ctx->reply_to, part->text);
  g_autofree char *wanted = comparable_text (text);
  g_autofree char *query = soup_form_encode ("part", "snippet", "parentId", top_level_of (ctx->reply_to),
                                             "maxResults", FIND_LIMIT, "textFormat", "plainText", NULL);
  g_autofree char *path = g_strconcat ("/youtube/v3/comments?", query, NULL);
  g_autoptr(SoupMessage) msg = sd_youtube_api_message (ctx, "GET", path);
  g_autoptr(JsonNode) root = NULL;
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  JsonArray *items;
  SdOutcome outcome;

  outcome = sd_youtube_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");
      gint64 wait = status->retry_after;

      sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                              /* Translators: %s is the reason. */
                              _("Could not look at the comment’s replies: %s"), reason);
      status->retry_after = wait;
      return SD_OUTCOME_UNCERTAIN;
    }
  items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *comment = json_array_get_object_element (items, i);
      JsonObject *snippet = sd_http_json_object_member (comment, "snippet");
      g_autofree char *found = comparable_text (sd_http_json_string (snippet, "textOriginal"));

      if (g_strcmp0 (author_channel (snippet), channel_of (ctx)) == 0 && g_strcmp0 (found, wanted) == 0
          && parse_time (sd_http_json_string (snippet, "publishedAt")) >= since)
        {
          const char *video = sd_http_json_string (snippet, "videoId");

          g_free (part->remote_id);
          part->remote_id = g_strdup (sd_http_json_string (comment, "id"));
          g_free (part->remote_url);
          part->remote_url = video != NULL ? g_strconcat (WATCH_URL, video, "&lc=", part->remote_id, NULL) : NULL;
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The reply is not in the comment’s thread: it can be sent again."));
}

/* Conversations */

#define CONVERSATION_PAGES 5

/* The thread's top-level comment, then its replies (comments.list: the
 * thread's own "replies" may hold only some). */
static SdOutcome
sd_youtube_fetch_conversation (SdProvider             *provider,
                               const SdPublishContext *ctx,
                               SdMessage              *message,
                               GPtrArray              *messages,
                               GCancellable           *cancellable,
                               SdProviderStatus       *status)
{
  const char *thread_id = sd_message_get_conversation_id (message);
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  gboolean top_is_ours = FALSE;
  gint64 newest = 0;
  SdOutcome outcome;

  if (thread_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("SocialDesk does not know this comment’s thread."));
  query = soup_form_encode ("part", "snippet", "id", thread_id, "textFormat", "plainText", NULL);
  path = g_strconcat ("/youtube/v3/commentThreads?", query, NULL);
  msg = sd_youtube_api_message (ctx, "GET", path);
  outcome = sd_youtube_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *thread = json_array_get_object_element (items, i);
      JsonObject *top = sd_http_json_object_member (sd_http_json_object_member (thread, "snippet"), "topLevelComment");

      top_is_ours = g_strcmp0 (author_channel (sd_http_json_object_member (top, "snippet")), channel_of (ctx)) == 0;
      read_thread (ctx, thread, 0, messages, &newest);
    }

  for (guint n = 0; n < CONVERSATION_PAGES; n++)
    {
      g_autoptr(SoupMessage) page_msg = NULL;
      g_autoptr(JsonNode) page_root = NULL;
      g_autofree char *page_query = soup_form_encode ("part", "snippet", "parentId", thread_id, "maxResults", FIND_LIMIT,
                                                      "textFormat", "plainText",
                                                      token != NULL ? "pageToken" : NULL, token, NULL);
      g_autofree char *page_path = g_strconcat ("/youtube/v3/comments?", page_query, NULL);
      const char *next;

      page_msg = sd_youtube_api_message (ctx, "GET", page_path);
      outcome = sd_youtube_call (ctx, page_msg, cancellable, &page_root, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      items = sd_http_json_array_member (sd_http_json_node_object (page_root), "items");
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *reply = json_array_get_object_element (items, i);
          JsonObject *snippet = sd_http_json_object_member (reply, "snippet");
          gint64 published = parse_time (sd_http_json_string (snippet, "publishedAt"));
          SdMessageKind kind;

          if (reply == NULL || sd_http_json_string (reply, "id") == NULL || published == 0)
            continue;
          if (g_strcmp0 (author_channel (snippet), channel_of (ctx)) == 0)
            kind = SD_MESSAGE_KIND_OWN;
          else
            kind = top_is_ours ? SD_MESSAGE_KIND_REPLY : SD_MESSAGE_KIND_COMMENT;
          g_ptr_array_add (messages, comment_message (ctx, thread_id, reply, kind, TRUE, published));
        }
      next = sd_http_json_string (sd_http_json_node_object (page_root), "nextPageToken");
      if (next == NULL || next[0] == '\0')
        break;
      g_free (token);
      token = g_strdup (next);
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Moderation */

static SdOutcome
sd_youtube_message_action (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdMessageAction         action,
                           SdMessage              *message,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  const char *moderation;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SdOutcome outcome;

  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("YouTube does not let other apps like comments: like it on YouTube."));
    case SD_MESSAGE_ACTION_HIDE:
      moderation = "heldForReview";
      break;
    case SD_MESSAGE_ACTION_UNHIDE:
      moderation = "published";
      break;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      /* A channel cannot delete others' comments: rejecting one takes it
       * off the video for good, which is what YouTube offers owners. */
      moderation = "rejected";
      break;
    }
  if (!(sd_message_get_caps (message) & (action == SD_MESSAGE_ACTION_DELETE ? SD_MESSAGE_CAN_DELETE
                                                                             : SD_MESSAGE_CAN_HIDE)))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("YouTube lets a channel moderate only others’ comments on its videos."));

  query = soup_form_encode ("id", sd_message_get_remote_id (message), "moderationStatus", moderation, NULL);
  path = g_strconcat ("/youtube/v3/comments/setModerationStatus?", query, NULL);
  msg = sd_youtube_api_message (ctx, "POST", path);
  outcome = sd_youtube_call (ctx, msg, cancellable, NULL, status);
  if (action == SD_MESSAGE_ACTION_DELETE && outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  /* Setting the same status twice does no harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    {
      status->outcome = SD_OUTCOME_RETRY;
      return SD_OUTCOME_RETRY;
    }
  if (outcome == SD_OUTCOME_DONE)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  return outcome;
}

void
sd_youtube_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_youtube_list_inbox_streams;
  iface->fetch_inbox = sd_youtube_fetch_inbox;
  iface->fetch_conversation = sd_youtube_fetch_conversation;
  iface->message_action = sd_youtube_message_action;
}
