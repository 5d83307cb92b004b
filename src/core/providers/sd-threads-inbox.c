/* sd-threads-inbox.c — the Threads provider's inbox: replies to our posts, mentions, conversations, hides
 *
 * Sources (developers.facebook.com/docs/threads, stored copies of 2025–2026):
 * reply-management (GET /{media-id}/replies and /{media-id}/conversation with
 * fields id, text, username, timestamp, permalink, replied_to, root_post,
 * hide_status, has_replies and reverse=false for newest first; POST
 * /{reply-id}/manage_reply with hide=true|false, threads_manage_replies;
 * threads_read_replies to read them), posts (GET /me/threads: our recent
 * posts, cursor paging). Mentions: GET /me/mentions with the
 * threads_manage_mentions permission — unverified: no primary source for
 * its fields and paging was found; it is read as the other lists are.
 * Threads has no API for likes, and other people's replies cannot be
 * deleted, only hidden.
 *
 * The replies stream's cursor is the newest reply's time (unix seconds):
 * each page of a fetch is one page of our posts of the last RECENT_DAYS days,
 * each post's replies read newest first down to the cursor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-threads"

#include "config.h"

#include "sd-threads-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"

#define STREAM_REPLIES    "replies"
#define STREAM_MENTIONS   "mentions"
#define POSTS_PER_PAGE    10
#define REPLIES_PER_PAGE  50
#define REPLY_PAGES_MAX   5
#define RECENT_DAYS       30
#define TEXT_MAX_BYTES    (64 * 1024)
#define REPLY_FIELDS      "id,text,username,timestamp,permalink,replied_to,root_post,hide_status,has_replies"

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static SdOutcome
get_json (const SdPublishContext *ctx,
          const char             *path,
          JsonNode              **root,
          GCancellable           *cancellable,
          SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_threads_api_get (ctx, path);
  SdOutcome outcome = sd_threads_call (ctx, msg, cancellable, root, status);

  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome == SD_OUTCOME_DONE && sd_http_json_node_object (*root) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   /* Translators: %s is the path of a web address. */
                                   _("Threads’ answer to %s could not be read."),
                                   g_uri_get_path (soup_message_get_uri (msg)));
  return outcome;
}

static JsonArray *
data_of (JsonNode *root)
{
  return sd_http_json_array_member (sd_http_json_node_object (root), "data");
}

static const char *
after_of (JsonNode *root)
{
  JsonObject *paging = sd_http_json_object_member (sd_http_json_node_object (root), "paging");

  if (sd_http_json_string (paging, "next") == NULL)
    return NULL;
  return sd_http_json_string (sd_http_json_object_member (paging, "cursors"), "after");
}

/* Messages */

static SdMessage *
reply_message (const SdPublishContext *ctx,
               const char             *stream,
               JsonObject             *reply,
               const char             *post_id,
               gboolean                context)
{
  const char *id = sd_http_json_string (reply, "id");
  const char *username = sd_http_json_string (reply, "username");
  const char *parent = sd_http_json_string (sd_http_json_object_member (reply, "replied_to"), "id");
  const char *root = sd_http_json_string (sd_http_json_object_member (reply, "root_post"), "id");
  const char *handle = sd_account_get_handle (ctx->account);
  g_autofree char *text = NULL;
  gboolean own = username != NULL && handle != NULL && g_ascii_strcasecmp (username, handle) == 0;
  SdMessageKind kind;
  SdMessage *message;

  if (id == NULL)
    return NULL;
  if (root == NULL)
    root = post_id != NULL ? post_id : parent;
  if (own)
    kind = SD_MESSAGE_KIND_OWN;
  else if (g_strcmp0 (stream, STREAM_MENTIONS) == 0 && !context)
    kind = SD_MESSAGE_KIND_MENTION;
  else if (context)
    kind = SD_MESSAGE_KIND_CONTEXT;
  else
    kind = SD_MESSAGE_KIND_REPLY;

  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_THREADS);
  sd_message_set_stream (message, stream);
  sd_message_set_kind (message, kind);
  sd_message_set_remote_id (message, id);
  sd_message_set_parent_remote_id (message, parent);
  sd_message_set_root_remote_id (message, root != NULL ? root : id);
  sd_message_set_conversation_id (message, root != NULL ? root : id);
  sd_message_set_author_handle (message, username);
  sd_message_set_author_name (message, username);
  text = g_utf8_make_valid (sd_http_json_string (reply, "text") != NULL ? sd_http_json_string (reply, "text") : "", -1);
  if (strlen (text) > TEXT_MAX_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + TEXT_MAX_BYTES);

      text[end != NULL ? end - text : 0] = '\0';
    }
  sd_message_set_text (message, text);
  sd_message_set_url (message, sd_http_json_string (reply, "permalink"));
  sd_message_set_sent_at (message, sd_threads_parse_timestamp (sd_http_json_string (reply, "timestamp")));
  sd_message_set_fetched_at (message, sd_time_now ());
  sd_message_set_is_hidden (message, g_strcmp0 (sd_http_json_string (reply, "hide_status"), "HIDDEN") == 0);
  /* Hiding is for replies under our own posts; Threads has no likes API. */
  sd_message_set_caps (message, own ? SD_MESSAGE_CAN_REPLY
                       : g_strcmp0 (stream, STREAM_REPLIES) == 0 ? SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_HIDE
                       : SD_MESSAGE_CAN_REPLY);
  return message;
}

/* Streams */

static GPtrArray *
sd_threads_list_inbox_streams (SdProvider *provider,
                               SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_REPLIES, _("Replies to your posts"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_MENTIONS, _("Mentions"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new ("messages", _("Direct messages"),
                                                 _("Threads gives no direct messages to other apps.")));
  return streams;
}

/* Replies to one post newer than @since, newest first; *newest the newest time seen. */
static SdOutcome
fetch_post_replies (const SdPublishContext *ctx,
                    const char             *post_id,
                    gint64                  since,
                    gboolean                first_page_only,
                    SdInboxPage            *page,
                    gint64                 *newest,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  g_autofree char *escaped = escape (post_id);
  g_autofree char *after = NULL;

  for (guint n = 0; n < REPLY_PAGES_MAX; n++)
    {
      g_autofree char *escaped_after = after != NULL ? escape (after) : NULL;
      g_autofree char *path = g_strdup_printf ("/%s/replies?fields=" REPLY_FIELDS "&reverse=false&limit=%d%s%s",
                                               escaped, REPLIES_PER_PAGE,
                                               escaped_after != NULL ? "&after=" : "",
                                               escaped_after != NULL ? escaped_after : "");
      g_autoptr(JsonNode) root = NULL;
      JsonArray *replies;
      gboolean older = FALSE;
      SdOutcome outcome;

      outcome = get_json (ctx, path, &root, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      replies = data_of (root);
      for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
        {
          JsonObject *reply = sd_http_json_node_object (json_array_get_element (replies, i));
          gint64 when = sd_threads_parse_timestamp (sd_http_json_string (reply, "timestamp"));
          SdMessage *message;

          /* The cursor's own second is read again: a reply made in it
           * after the last fetch is not lost (the store keeps one of each). */
          if (since > 0 && when < since)
            {
              older = TRUE;
              continue;
            }
          message = reply_message (ctx, STREAM_REPLIES, reply, post_id, FALSE);
          if (message == NULL)
            continue;
          *newest = MAX (*newest, when);
          g_ptr_array_add (page->messages, message);
        }
      g_free (after);
      after = g_strdup (after_of (root));
      if (older || first_page_only || after == NULL)
        break;
    }
  return SD_OUTCOME_DONE;
}

static SdOutcome
fetch_replies (const SdPublishContext *ctx,
               const char             *cursor,
               const char             *page_token,
               SdInboxPage            *page,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  gint64 since = cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  gint64 newest = since;
  g_autofree char *escaped_after = page_token != NULL ? escape (page_token) : NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *posts;
  SdOutcome outcome;

  path = g_strdup_printf ("/me/threads?fields=id,timestamp&limit=%d&since=%" G_GINT64_FORMAT "%s%s",
                          POSTS_PER_PAGE, sd_time_now () - RECENT_DAYS * 24 * 3600,
                          escaped_after != NULL ? "&after=" : "", escaped_after != NULL ? escaped_after : "");
  outcome = get_json (ctx, path, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  posts = data_of (root);
  for (guint i = 0; posts != NULL && i < json_array_get_length (posts); i++)
    {
      const char *id = sd_http_json_string (sd_http_json_node_object (json_array_get_element (posts, i)), "id");

      if (id == NULL)
        continue;
      outcome = fetch_post_replies (ctx, id, since, cursor == NULL, page, &newest, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }
  /* The first fetch ever reads the newest page only. */
  if (cursor != NULL)
    page->next_page = g_strdup (after_of (root));
  /* On the first page only: a later page must not move the cursor back. */
  if (page_token == NULL && newest > since)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
fetch_mentions (const SdPublishContext *ctx,
                const char             *cursor,
                const char             *page_token,
                SdInboxPage            *page,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  gint64 since = cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  gint64 newest = since;
  g_autofree char *escaped_after = page_token != NULL ? escape (page_token) : NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *mentions;
  gboolean older = FALSE;
  SdOutcome outcome;

  path = g_strdup_printf ("/me/mentions?fields=id,text,username,timestamp,permalink,replied_to,root_post&limit=%d%s%s",
                          REPLIES_PER_PAGE, escaped_after != NULL ? "&after=" : "",
                          escaped_after != NULL ? escaped_after : "");
  outcome = get_json (ctx, path, &root, cancellable, status);
  if (outcome == SD_OUTCOME_FAILED)
    {
      g_autofree char *words = g_strdup (status->message != NULL ? status->message : "");

      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     /* Translators: %s is Threads' refusal, in a sentence. */
                                     _("Threads gives mentions only to apps it allowed to manage them "
                                       "(threads_manage_mentions). Sign in to Threads again in SocialDesk to "
                                       "allow it. %s"), words);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  mentions = data_of (root);
  for (guint i = 0; mentions != NULL && i < json_array_get_length (mentions); i++)
    {
      JsonObject *mention = sd_http_json_node_object (json_array_get_element (mentions, i));
      gint64 when = sd_threads_parse_timestamp (sd_http_json_string (mention, "timestamp"));
      SdMessage *message;

      if (since > 0 && when < since)
        {
          older = TRUE;
          continue;
        }
      message = reply_message (ctx, STREAM_MENTIONS, mention, NULL, FALSE);
      if (message == NULL)
        continue;
      newest = MAX (newest, when);
      g_ptr_array_add (page->messages, message);
    }
  if (cursor != NULL && !older)
    page->next_page = g_strdup (after_of (root));
  if (page_token == NULL && newest > since)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_threads_fetch_inbox (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *stream,
                        const char             *cursor,
                        const char             *page_token,
                        SdInboxPage            *page,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  status->retry_after = 0;
  if (g_strcmp0 (stream, STREAM_REPLIES) == 0)
    return fetch_replies (ctx, cursor, page_token, page, cancellable, status);
  if (g_strcmp0 (stream, STREAM_MENTIONS) == 0)
    return fetch_mentions (ctx, cursor, page_token, page, cancellable, status);
  /* Translators: %s is the name of an inbox stream. */
  return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Threads has no inbox stream “%s”."), stream);
}

/* Conversations */

static SdOutcome
sd_threads_fetch_conversation (SdProvider             *provider,
                               const SdPublishContext *ctx,
                               SdMessage              *message,
                               GPtrArray              *messages,
                               GCancellable           *cancellable,
                               SdProviderStatus       *status)
{
  const char *root_id = sd_message_get_root_remote_id (message);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) post = NULL;
  JsonArray *replies;
  SdMessage *item;
  SdOutcome outcome;

  status->retry_after = 0;
  if (root_id == NULL)
    root_id = sd_message_get_remote_id (message);
  escaped = escape (root_id);

  /* The post itself: ours (OWN) or someone else's (CONTEXT, for a mention). */
  path = g_strdup_printf ("/%s?fields=id,text,username,timestamp,permalink", escaped);
  outcome = get_json (ctx, path, &post, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  item = reply_message (ctx, sd_message_get_stream (message), sd_http_json_node_object (post), root_id, TRUE);
  if (item != NULL)
    g_ptr_array_add (messages, item);

  g_free (path);
  path = g_strdup_printf ("/%s/conversation?fields=" REPLY_FIELDS "&reverse=false&limit=%d",
                          escaped, REPLIES_PER_PAGE);
  outcome = get_json (ctx, path, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  replies = data_of (root);
  for (guint i = 0; replies != NULL && i < json_array_get_length (replies); i++)
    {
      JsonObject *reply = sd_http_json_node_object (json_array_get_element (replies, i));
      const char *parent = sd_http_json_string (sd_http_json_object_member (reply, "replied_to"), "id");
      gboolean to_us = item != NULL && sd_message_get_kind (item) == SD_MESSAGE_KIND_OWN
                       && g_strcmp0 (parent, root_id) == 0;
      SdMessage *reply_item = reply_message (ctx, STREAM_REPLIES, reply, root_id, !to_us);

      if (reply_item != NULL)
        g_ptr_array_add (messages, reply_item);
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Actions */

static SdOutcome
sd_threads_message_action (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdMessageAction         action,
                           SdMessage              *message,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("Threads does not let other apps like posts: like it in Threads itself."));
    case SD_MESSAGE_ACTION_DELETE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("Threads does not let anyone delete other people’s replies; hide the reply instead."));
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
    default:
      break;
    }

  escaped = escape (sd_message_get_remote_id (message));
  path = g_strdup_printf ("/%s/manage_reply", escaped);
  msg = sd_graph_message (SD_PLATFORM_THREADS, "POST", path, TRUE,
                          action == SD_MESSAGE_ACTION_HIDE ? "hide=true" : "hide=false",
                          ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  outcome = sd_threads_call (ctx, msg, cancellable, &root, status);
  /* Hiding twice is harmless. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (!json_object_get_boolean_member_with_default (sd_http_json_node_object (root), "success", FALSE))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Threads did not hide or show the reply."));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

void
sd_threads_inbox_init_iface (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_threads_list_inbox_streams;
  iface->fetch_inbox = sd_threads_fetch_inbox;
  iface->fetch_conversation = sd_threads_fetch_conversation;
  iface->message_action = sd_threads_message_action;
}
