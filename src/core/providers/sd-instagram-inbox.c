/* sd-instagram-inbox.c — an Instagram professional account's inbox: comments and direct messages
 *
 * Instagram API with Instagram Login (graph.instagram.com; developers.
 * facebook.com/docs/instagram-platform, stored copies): comment-moderation
 * (GET /{media-id}/comments with replies nested, POST /{ig-comment-id}/
 * replies, POST /{ig-comment-id}?hide=, DELETE /{ig-comment-id}; replies
 * only to top-level comments; no endpoint likes a comment) and
 * instagram-api-with-instagram-login/messaging-api (GET /me/conversations?
 * platform=instagram, POST /me/messages; instagram_business_manage_messages;
 * an answer only within 24 hours of the person's last message).
 *
 * Comments are swept as on Facebook (sd-graph.h): the newest media, the
 * newest page of top-level comments of each with their replies; the cursor
 * is the newest time seen. A new reply under a top-level comment older than
 * that first page is not seen (Instagram lists replies under their comment
 * only; its webhooks would need a public server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-instagram"

#include "config.h"

#include "sd-instagram-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph-inbox.h"
#include "sd-http.h"

#define MEDIA_PER_SWEEP     "10"
#define COMMENTS_PER_PAGE   "25"
#define CONVERSATIONS_LIMIT "25"
#define FIND_LIMIT          "100"
#define STREAM_COMMENTS     "comments"
#define STREAM_MESSAGES     "messages"
#define COMMENT_FIELDS      "id,text,username,timestamp,from,hidden," \
                            "replies{id,text,username,timestamp,from,hidden,parent_id}"
#define CONVERSATION_FIELDS "id,updated_time,messages{id,message,from,created_time}"

static SoupMessage *
graph_get (const SdPublishContext *ctx,
           const char             *path,
           const char             *query)
{
  return sd_graph_get (SD_PLATFORM_INSTAGRAM, ctx, path, query);
}

static const SdGraphInbox instagram_inbox = {
  .platform = SD_PLATFORM_INSTAGRAM,
  .messages_stream = STREAM_MESSAGES,
  .reply_unreadable = N_("Instagram’s answer to the reply could not be read: it may have been sent."),
};

static GPtrArray *
sd_instagram_list_inbox_streams (SdProvider *provider,
                                 SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_COMMENTS, _("Comments on your posts"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_MESSAGES, _("Direct messages"), NULL));
  return streams;
}

/* Comments */

static gboolean
is_own (const SdPublishContext *ctx,
        JsonObject             *comment)
{
  const char *from_id = sd_http_json_string (sd_http_json_object_member (comment, "from"), "id");

  if (from_id != NULL)
    return g_strcmp0 (from_id, sd_graph_own_id (ctx)) == 0;
  return g_strcmp0 (sd_http_json_string (comment, "username"), sd_account_get_handle (ctx->account)) == 0;
}

static SdMessage *
comment_message (const SdPublishContext *ctx,
                 const char             *media_id,
                 const char             *parent_id,
                 JsonObject             *comment,
                 gint64                  created)
{
  SdMessage *message = sd_message_new ();
  JsonObject *from = sd_http_json_object_member (comment, "from");
  const char *username = sd_http_json_string (comment, "username");
  gboolean own = is_own (ctx, comment);

  if (username == NULL)
    username = sd_http_json_string (from, "username");
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_INSTAGRAM);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, own ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_COMMENT);
  sd_message_set_remote_id (message, sd_http_json_string (comment, "id"));
  sd_message_set_parent_remote_id (message, parent_id != NULL ? parent_id : media_id);
  sd_message_set_root_remote_id (message, media_id);
  sd_message_set_conversation_id (message, media_id);
  sd_message_set_author_remote_id (message, sd_http_json_string (from, "id"));
  sd_message_set_author_handle (message, username);
  sd_message_set_author_name (message, username);
  sd_graph_set_text (message, sd_http_json_string (comment, "text"));
  sd_message_set_sent_at (message, created);
  sd_message_set_audience (message, "public");
  /* Hiding is for others' comments under our media; no API likes a comment. */
  sd_message_set_caps (message, own ? SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_DELETE
                                    : SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_HIDE | SD_MESSAGE_CAN_DELETE);
  sd_message_set_is_hidden (message, sd_graph_member_true (comment, "hidden"));
  return message;
}

/* Adds @comment to @page when new enough. */
static void
take_comment (const SdPublishContext *ctx,
              const char             *media_id,
              const char             *parent_id,
              JsonObject             *comment,
              gint64                  since,
              SdInboxPage            *page,
              gint64                 *newest)
{
  gint64 created = sd_graph_parse_time (sd_http_json_string (comment, "timestamp"));

  if (comment == NULL || sd_http_json_string (comment, "id") == NULL || created == 0)
    return;
  if (since > 0 && created < since)
    return;
  g_ptr_array_add (page->messages, comment_message (ctx, media_id, parent_id, comment, created));
  *newest = MAX (*newest, created);
}

static SdOutcome
read_comments (const SdPublishContext *ctx,
               const char             *media_id,
               const char             *after,
               gint64                  since,
               SdInboxPage            *page,
               gint64                 *newest,
               GPtrArray              *pending,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (media_id, "/comments");
  g_autofree char *query = soup_form_encode ("fields", COMMENT_FIELDS, "limit", COMMENTS_PER_PAGE,
                                             after != NULL ? "after" : NULL, after, NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *data;
  const char *next;
  gint64 oldest = G_MAXINT64;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (sd_graph_is_gone (outcome, status, root))
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&instagram_inbox, status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return sd_graph_inbox_unreadable (&instagram_inbox, msg, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *comment = json_array_get_object_element (data, i);
      JsonArray *replies = sd_http_json_array_member (sd_http_json_object_member (comment, "replies"), "data");
      const char *id = sd_http_json_string (comment, "id");
      gint64 created = sd_graph_parse_time (sd_http_json_string (comment, "timestamp"));

      if (created > 0)
        oldest = MIN (oldest, created);
      take_comment (ctx, media_id, NULL, comment, since, page, newest);
      for (guint j = 0; id != NULL && replies != NULL && j < json_array_get_length (replies); j++)
        take_comment (ctx, media_id, id, json_array_get_object_element (replies, j), since, page, newest);
    }
  next = sd_graph_next_after (sd_http_json_node_object (root));
  if (since > 0 && next != NULL && oldest >= since)
    g_ptr_array_add (pending, g_strconcat (media_id, "\t", next, NULL));
  return SD_OUTCOME_DONE;
}

static SdOutcome
fetch_comments (const SdPublishContext *ctx,
                const char             *cursor,
                const char             *page_token,
                SdInboxPage            *page,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (sd_graph_own_id (ctx), "/media");
  g_autofree char *query = soup_form_encode ("fields", "id,timestamp", "limit", MEDIA_PER_SWEEP, NULL);

  return sd_graph_sweep_comments (&instagram_inbox, ctx, path, query, read_comments, cursor, page_token, page,
                                  cancellable, status);
}

/* Direct messages */

static SdOutcome
fetch_messages (const SdPublishContext *ctx,
                const char             *cursor,
                const char             *page_token,
                SdInboxPage            *page,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *query = soup_form_encode ("platform", "instagram", "fields", CONVERSATION_FIELDS,
                                             "limit", CONVERSATIONS_LIMIT,
                                             page_token != NULL ? "after" : NULL, page_token, NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, "/me/conversations", query);
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_FAILED)
    {
      gint64 code = sd_graph_error_code (root);

      if (code == 3 || code == 10 || (code >= 200 && code <= 299))
        {
          g_autofree char *words = sd_graph_error_message (root);

          return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                         /* Translators: %s is Instagram's own words. */
                                         _("Instagram does not let SocialDesk read this account’s direct messages: "
                                           "it needs the instagram_business_manage_messages permission. Sign in "
                                           "again and allow it. Instagram said: “%s”."),
                                         words != NULL ? words : "");
        }
    }
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&instagram_inbox, status, outcome, root);
  return sd_graph_take_conversations (&instagram_inbox, ctx, msg, root, cursor, page_token, page, status);
}

static SdOutcome
sd_instagram_fetch_inbox (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          const char             *stream,
                          const char             *cursor,
                          const char             *page_token,
                          SdInboxPage            *page,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  if (sd_graph_own_id (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know the Instagram account’s id: sign in again."));
  if (g_strcmp0 (stream, STREAM_COMMENTS) == 0)
    return sd_graph_fetch_outcome (fetch_comments (ctx, cursor, page_token, page, cancellable, status), page, status);
  if (g_strcmp0 (stream, STREAM_MESSAGES) == 0)
    return sd_graph_fetch_outcome (fetch_messages (ctx, cursor, page_token, page, cancellable, status), page, status);
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is a stream's id. */
                                 _("Instagram has no inbox stream “%s”."), stream);
}

/* Replies */

SdOutcome
sd_instagram_inbox_reply (const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  g_autofree char *path = NULL;

  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk answers on Instagram with text only: remove the attachments."));
  if (sd_graph_is_dm (&instagram_inbox, ctx->reply_to))
    {
      SdOutcome outcome;

      if (sd_graph_check_dm_window (ctx->reply_to, "Instagram", status) != SD_OUTCOME_DONE)
        return status->outcome;
      outcome = sd_graph_send_dm (ctx, "/me/messages", FALSE, part, cancellable, status);
      return sd_graph_inbox_refused (&instagram_inbox, status, outcome, NULL);
    }

  /* Instagram takes replies to top-level comments only. */
  path = sd_graph_id_path (sd_graph_reply_target (ctx->reply_to), "/replies");
  return sd_graph_post_reply (&instagram_inbox, ctx, path, part, cancellable, status);
}

static gboolean
match_reply (const SdPublishContext *ctx,
             JsonObject             *comment,
             const char             *wanted,
             gint64                  since,
             SdPublishPart          *part)
{
  g_autofree char *text = sd_graph_comparable_text (sd_http_json_string (comment, "text"));

  if (!is_own (ctx, comment) || g_strcmp0 (text, wanted) != 0
      || sd_graph_parse_time (sd_http_json_string (comment, "timestamp")) < since)
    return FALSE;
  g_free (part->remote_id);
  part->remote_id = g_strdup (sd_http_json_string (comment, "id"));
  return TRUE;
}

SdOutcome
sd_instagram_inbox_find_reply (const SdPublishContext *ctx,
                               SdPublishPart          *part,
                               GCancellable           *cancellable,
                               SdProviderStatus       *status)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  if (sd_graph_is_dm (&instagram_inbox, ctx->reply_to))
    return sd_graph_find_dm (ctx, sd_graph_own_id (ctx), part, cancellable, status);

  path = sd_graph_id_path (sd_graph_reply_target (ctx->reply_to), "/replies");
  query = soup_form_encode ("fields", "id,text,username,timestamp,from", "limit", FIND_LIMIT, NULL);
  return sd_graph_find_reply (&instagram_inbox, ctx, path, query, match_reply, part, cancellable, status);
}

/* Conversations */

#define CONVERSATION_PAGES 5

/* The account's media itself, as the conversation's first message. */
static SdOutcome
read_media (const SdPublishContext *ctx,
            const char             *media_id,
            GPtrArray              *messages,
            GCancellable           *cancellable,
            SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (media_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,caption,timestamp,permalink", NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *media;
  SdMessage *message;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&instagram_inbox, status, outcome, root);
  media = sd_http_json_node_object (root);
  if (sd_http_json_string (media, "id") == NULL)
    return sd_graph_inbox_unreadable (&instagram_inbox, msg, status);
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_INSTAGRAM);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, SD_MESSAGE_KIND_OWN);
  sd_message_set_remote_id (message, media_id);
  sd_message_set_root_remote_id (message, media_id);
  sd_message_set_conversation_id (message, media_id);
  sd_message_set_author_remote_id (message, sd_graph_own_id (ctx));
  sd_message_set_author_handle (message, sd_account_get_handle (ctx->account));
  sd_graph_set_text (message, sd_http_json_string (media, "caption"));
  sd_message_set_url (message, sd_http_json_string (media, "permalink"));
  sd_message_set_sent_at (message, sd_graph_parse_time (sd_http_json_string (media, "timestamp")));
  sd_message_set_audience (message, "public");
  g_ptr_array_add (messages, message);
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_instagram_fetch_conversation (SdProvider             *provider,
                                 const SdPublishContext *ctx,
                                 SdMessage              *message,
                                 GPtrArray              *messages,
                                 GCancellable           *cancellable,
                                 SdProviderStatus       *status)
{
  const char *media_id = sd_message_get_root_remote_id (message);
  g_autofree char *after = NULL;
  SdInboxPage page;
  gint64 newest = 0;
  SdOutcome outcome;

  if (sd_graph_is_dm (&instagram_inbox, message))
    return sd_graph_fetch_dm_conversation (&instagram_inbox, ctx, message, messages, cancellable, status);

  if (media_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("SocialDesk does not know the post of this comment."));
  outcome = read_media (ctx, media_id, messages, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  /* The comments with their replies, read as a fetch reads them; a cursor of 1
   * takes every comment and makes read_comments say where the next page starts. */
  page.messages = messages;
  page.next_page = NULL;
  page.new_cursor = NULL;
  for (guint n = 0; n < CONVERSATION_PAGES; n++)
    {
      g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
      g_auto(GStrv) next = NULL;

      outcome = read_comments (ctx, media_id, after, 1, &page, &newest, pending, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (pending->len == 0)
        break;
      next = g_strsplit (g_ptr_array_index (pending, 0), "\t", 2);
      g_free (after);
      after = g_strdup (next[1]);
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Actions */

static SdOutcome
sd_instagram_message_action (SdProvider             *provider,
                             const SdPublishContext *ctx,
                             SdMessageAction         action,
                             SdMessage              *message,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (sd_message_get_remote_id (message), NULL);
  g_autoptr(SoupMessage) msg = NULL;

  if (sd_graph_is_dm (&instagram_inbox, message))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Instagram does not let other apps like, hide or delete direct messages."));
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("Instagram does not let other apps like comments: like it in the Instagram app."));
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      if (!(sd_message_get_caps (message) & SD_MESSAGE_CAN_HIDE))
        return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                       _("Instagram hides only others’ comments under your posts."));
      msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "POST", path, TRUE,
                              action == SD_MESSAGE_ACTION_HIDE ? "hide=true" : "hide=false", sd_graph_token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "DELETE", path, TRUE, NULL, sd_graph_token_of (ctx));
      break;
    }

  return sd_graph_send_action (&instagram_inbox, ctx, action, msg, cancellable, status);
}

void
sd_instagram_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_instagram_list_inbox_streams;
  iface->fetch_inbox = sd_instagram_fetch_inbox;
  iface->fetch_conversation = sd_instagram_fetch_conversation;
  iface->message_action = sd_instagram_message_action;
}
