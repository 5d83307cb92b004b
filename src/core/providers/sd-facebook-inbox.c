/* sd-facebook-inbox.c — a Facebook Page's inbox: comments on its posts and Messenger conversations
 *
 * Sources (developers.facebook.com/docs, stored copies): graph-api/reference/
 * object/comments (filter=stream, order=reverse_chronological; POST
 * /{comment-id}/comments answers a comment), graph-api/reference/comment
 * (is_hidden, can_hide, can_remove, can_like, user_likes; POST with
 * is_hidden; DELETE), graph-api/reference/object/likes (POST and DELETE
 * /{id}/likes), graph-api/reference/page/conversations (platform=messenger,
 * needs pages_messaging), messenger-platform/send-messages (POST
 * /{page-id}/messages with recipient, messaging_type RESPONSE and message;
 * a RESPONSE only within 24 hours of the person's last message).
 *
 * Comments: each fetch reads the Page's newest posts and the newest page of
 * comments of each (a reply to a comment is a comment too: filter=stream
 * gives them flat, with parent). The cursor is the newest comment's time;
 * later fetches take what is at or after it and page back through a post's
 * comments only while they are still that new. A new comment on a post older
 * than the newest POSTS_PER_SWEEP is not seen: Facebook has no Page-wide
 * comment listing (its webhooks would need a public server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-facebook"

#include "config.h"

#include "sd-facebook-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph-inbox.h"
#include "sd-http.h"

#define POSTS_PER_SWEEP     "10"
#define COMMENTS_PER_PAGE   "25"
#define CONVERSATIONS_LIMIT "25"
#define FIND_LIMIT          "100"
#define STREAM_COMMENTS     "comments"
#define STREAM_MESSAGES     "messages"
#define COMMENT_FIELDS      "id,message,from{id,name,picture},created_time,permalink_url,parent{id}," \
                            "is_hidden,can_hide,can_remove,can_like,user_likes"
#define CONVERSATION_FIELDS "id,updated_time,participants,messages.limit(25){id,message,from,created_time}"
#define WEB_ORIGIN          "https://www.facebook.com"

static SoupMessage *
graph_get (const SdPublishContext *ctx,
           const char             *path,
           const char             *query)
{
  return sd_graph_get (SD_PLATFORM_FACEBOOK, ctx, path, query);
}

static const SdGraphInbox facebook_inbox = {
  .platform = SD_PLATFORM_FACEBOOK,
  .messages_stream = STREAM_MESSAGES,
  .reply_unreadable = N_("Facebook’s answer to the reply could not be read: it may have been sent."),
};

/* Streams */

static GPtrArray *
sd_facebook_list_inbox_streams (SdProvider *provider,
                                SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_COMMENTS, _("Comments on the Page’s posts"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_MESSAGES, _("Messenger conversations"), NULL));
  return streams;
}

/* Comments */

static char *
absolute_url (const char *url)
{
  if (url == NULL || url[0] == '\0')
    return NULL;
  if (url[0] == '/')
    return g_strconcat (WEB_ORIGIN, url, NULL);
  return g_strdup (url);
}

static SdMessage *
comment_message (const SdPublishContext *ctx,
                 const char             *post_id,
                 JsonObject             *comment,
                 gint64                  created)
{
  SdMessage *message = sd_message_new ();
  JsonObject *from = sd_http_json_object_member (comment, "from");
  JsonObject *picture = sd_http_json_object_member (sd_http_json_object_member (from, "picture"), "data");
  const char *parent = sd_http_json_string (sd_http_json_object_member (comment, "parent"), "id");
  gboolean own = g_strcmp0 (sd_http_json_string (from, "id"), sd_graph_own_id (ctx)) == 0;
  g_autofree char *url = absolute_url (sd_http_json_string (comment, "permalink_url"));
  SdMessageCaps caps = SD_MESSAGE_CAN_REPLY;

  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_FACEBOOK);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, own ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_COMMENT);
  sd_message_set_remote_id (message, sd_http_json_string (comment, "id"));
  sd_message_set_parent_remote_id (message, parent != NULL ? parent : post_id);
  sd_message_set_root_remote_id (message, post_id);
  sd_message_set_conversation_id (message, post_id);
  sd_message_set_author_remote_id (message, sd_http_json_string (from, "id"));
  sd_message_set_author_name (message, sd_http_json_string (from, "name"));
  sd_message_set_author_avatar_url (message, sd_http_json_string (picture, "url"));
  sd_graph_set_text (message, sd_http_json_string (comment, "message"));
  sd_message_set_url (message, url);
  sd_message_set_sent_at (message, created);
  sd_message_set_audience (message, "public");
  if (sd_graph_member_true (comment, "can_like"))
    caps |= SD_MESSAGE_CAN_LIKE;
  if (sd_graph_member_true (comment, "can_hide"))
    caps |= SD_MESSAGE_CAN_HIDE;
  if (sd_graph_member_true (comment, "can_remove"))
    caps |= SD_MESSAGE_CAN_DELETE;
  sd_message_set_caps (message, caps);
  sd_message_set_is_hidden (message, sd_graph_member_true (comment, "is_hidden"));
  sd_message_set_is_liked (message, sd_graph_member_true (comment, "user_likes"));
  return message;
}

/* One page of a post's comments, newest first, those at or after @since
 * into @page; when they may go on past it (a later fetch only), the post
 * and where to go on are added to @pending. */
static SdOutcome
read_comments (const SdPublishContext *ctx,
               const char             *post_id,
               const char             *after,
               gint64                  since,
               SdInboxPage            *page,
               gint64                 *newest,
               GPtrArray              *pending,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (post_id, "/comments");
  g_autofree char *query = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *data;
  const char *next;
  gint64 oldest = G_MAXINT64;
  SdOutcome outcome;

  query = soup_form_encode ("filter", "stream", "order", "reverse_chronological", "fields", COMMENT_FIELDS,
                            "limit", COMMENTS_PER_PAGE, after != NULL ? "after" : NULL, after, NULL);
  msg = graph_get (ctx, path, query);
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (sd_graph_is_gone (outcome, status, root))
    {
      g_debug ("a post went away while its comments were read");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&facebook_inbox, status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return sd_graph_inbox_unreadable (&facebook_inbox, msg, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *comment = json_array_get_object_element (data, i);
      gint64 created = sd_graph_parse_time (sd_http_json_string (comment, "created_time"));

      if (comment == NULL || sd_http_json_string (comment, "id") == NULL || created == 0)
        continue;
      oldest = MIN (oldest, created);
      if (since > 0 && created < since)
        continue;
      g_ptr_array_add (page->messages, comment_message (ctx, post_id, comment, created));
      *newest = MAX (*newest, created);
    }

  next = sd_graph_next_after (sd_http_json_node_object (root));
  if (since > 0 && next != NULL && oldest >= since)
    g_ptr_array_add (pending, g_strconcat (post_id, "\t", next, NULL));
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
  g_autofree char *path = sd_graph_id_path (sd_graph_own_id (ctx), "/feed");
  g_autofree char *query = soup_form_encode ("fields", "id,created_time", "limit", POSTS_PER_SWEEP, NULL);

  return sd_graph_sweep_comments (&facebook_inbox, ctx, path, query, read_comments, cursor, page_token, page,
                                  cancellable, status);
}

/* Messenger */

static gboolean
is_permission_error (JsonNode *root)
{
  gint64 code = sd_graph_error_code (root);

  return code == 3 || code == 10 || code == 230 || (code >= 200 && code <= 299);
}

static SdOutcome
fetch_messages (const SdPublishContext *ctx,
                const char             *cursor,
                const char             *page_token,
                SdInboxPage            *page,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (sd_graph_own_id (ctx), "/conversations");
  g_autofree char *query = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  query = soup_form_encode ("platform", "messenger", "fields", CONVERSATION_FIELDS, "limit", CONVERSATIONS_LIMIT,
                            page_token != NULL ? "after" : NULL, page_token, NULL);
  msg = graph_get (ctx, path, query);
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_FAILED && is_permission_error (root))
    {
      g_autofree char *words = sd_graph_error_message (root);

      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     /* Translators: %s is Facebook's own words. */
                                     _("Facebook does not let SocialDesk read the Page’s Messenger conversations: "
                                       "it needs the pages_messaging permission. Sign in again and allow it. "
                                       "Facebook said: “%s”."),
                                     words != NULL ? words : "");
    }
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&facebook_inbox, status, outcome, root);
  return sd_graph_take_conversations (&facebook_inbox, ctx, msg, root, cursor, page_token, page, status);
}

static SdOutcome
sd_facebook_fetch_inbox (SdProvider             *provider,
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
                                   _("SocialDesk does not know which Facebook Page this is: sign in again and choose the Page."));
  if (g_strcmp0 (stream, STREAM_COMMENTS) == 0)
    return sd_graph_fetch_outcome (fetch_comments (ctx, cursor, page_token, page, cancellable, status), page, status);
  if (g_strcmp0 (stream, STREAM_MESSAGES) == 0)
    return sd_graph_fetch_outcome (fetch_messages (ctx, cursor, page_token, page, cancellable, status), page, status);
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is a stream's id. */
                                 _("Facebook has no inbox stream “%s”."), stream);
}

/* Replies */

SdOutcome
sd_facebook_inbox_reply (const SdPublishContext *ctx,
                         SdPublishPart          *part,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  g_autofree char *path = NULL;

  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk answers on Facebook with text only: remove the attachments."));
  if (sd_graph_is_dm (&facebook_inbox, ctx->reply_to))
    {
      g_autofree char *messages_path = sd_graph_id_path (sd_graph_own_id (ctx), "/messages");
      SdOutcome outcome;

      if (sd_graph_check_dm_window (ctx->reply_to, "Facebook", status) != SD_OUTCOME_DONE)
        return status->outcome;
      outcome = sd_graph_send_dm (ctx, messages_path, TRUE, part, cancellable, status);
      return sd_graph_inbox_refused (&facebook_inbox, status, outcome, NULL);
    }

  /* Facebook threads comments one level deep. */
  path = sd_graph_id_path (sd_graph_reply_target (ctx->reply_to), "/comments");
  return sd_graph_post_reply (&facebook_inbox, ctx, path, part, cancellable, status);
}

static gboolean
match_reply (const SdPublishContext *ctx,
             JsonObject             *comment,
             const char             *wanted,
             gint64                  since,
             SdPublishPart          *part)
{
  g_autofree char *text = sd_graph_comparable_text (sd_http_json_string (comment, "message"));

  if (g_strcmp0 (sd_http_json_string (sd_http_json_object_member (comment, "from"), "id"), sd_graph_own_id (ctx)) != 0
      || g_strcmp0 (text, wanted) != 0
      || sd_graph_parse_time (sd_http_json_string (comment, "created_time")) < since)
    return FALSE;
  g_free (part->remote_id);
  part->remote_id = g_strdup (sd_http_json_string (comment, "id"));
  g_free (part->remote_url);
  part->remote_url = absolute_url (sd_http_json_string (comment, "permalink_url"));
  return TRUE;
}

SdOutcome
sd_facebook_inbox_find_reply (const SdPublishContext *ctx,
                              SdPublishPart          *part,
                              GCancellable           *cancellable,
                              SdProviderStatus       *status)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  if (sd_graph_is_dm (&facebook_inbox, ctx->reply_to))
    return sd_graph_find_dm (ctx, sd_graph_own_id (ctx), part, cancellable, status);

  path = sd_graph_id_path (sd_graph_reply_target (ctx->reply_to), "/comments");
  query = soup_form_encode ("filter", "stream", "order", "reverse_chronological",
                            "fields", "id,message,from{id,name},created_time,permalink_url", "limit", FIND_LIMIT, NULL);
  return sd_graph_find_reply (&facebook_inbox, ctx, path, query, match_reply, part, cancellable, status);
}

/* Conversations */

#define CONVERSATION_PAGES 5

/* The Page's post itself, as the conversation's first message. */
static SdOutcome
read_post (const SdPublishContext *ctx,
           const char             *post_id,
           GPtrArray              *messages,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (post_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,message,created_time,permalink_url", NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  JsonObject *post;
  SdMessage *message;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (&facebook_inbox, status, outcome, root);
  post = sd_http_json_node_object (root);
  if (sd_http_json_string (post, "id") == NULL)
    return sd_graph_inbox_unreadable (&facebook_inbox, msg, status);
  url = absolute_url (sd_http_json_string (post, "permalink_url"));
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_FACEBOOK);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, SD_MESSAGE_KIND_OWN);
  sd_message_set_remote_id (message, post_id);
  sd_message_set_root_remote_id (message, post_id);
  sd_message_set_conversation_id (message, post_id);
  sd_message_set_author_remote_id (message, sd_graph_own_id (ctx));
  sd_message_set_author_name (message, sd_account_get_display_name (ctx->account));
  sd_graph_set_text (message, sd_http_json_string (post, "message"));
  sd_message_set_url (message, url);
  sd_message_set_sent_at (message, sd_graph_parse_time (sd_http_json_string (post, "created_time")));
  sd_message_set_audience (message, "public");
  g_ptr_array_add (messages, message);
  return SD_OUTCOME_DONE;
}

/* A post's comments (oldest first, a few pages at most) or a Messenger conversation. */
static SdOutcome
sd_facebook_fetch_conversation (SdProvider             *provider,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  const char *post_id = sd_message_get_root_remote_id (message);
  g_autofree char *after = NULL;
  SdOutcome outcome;

  if (sd_graph_is_dm (&facebook_inbox, message))
    return sd_graph_fetch_dm_conversation (&facebook_inbox, ctx, message, messages, cancellable, status);

  if (post_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("SocialDesk does not know the post of this comment."));
  outcome = read_post (ctx, post_id, messages, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  for (guint n = 0; n < CONVERSATION_PAGES; n++)
    {
      g_autofree char *path = sd_graph_id_path (post_id, "/comments");
      g_autofree char *query = soup_form_encode ("filter", "stream", "order", "chronological", "fields", COMMENT_FIELDS,
                                                 "limit", FIND_LIMIT, after != NULL ? "after" : NULL, after, NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *data;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return sd_graph_inbox_refused (&facebook_inbox, status, outcome, root);
      data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
      for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
        {
          JsonObject *comment = json_array_get_object_element (data, i);
          gint64 created = sd_graph_parse_time (sd_http_json_string (comment, "created_time"));

          if (comment != NULL && sd_http_json_string (comment, "id") != NULL && created > 0)
            g_ptr_array_add (messages, comment_message (ctx, post_id, comment, created));
        }
      g_free (after);
      after = g_strdup (sd_graph_next_after (sd_http_json_node_object (root)));
      if (after == NULL)
        break;
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Actions */

static SdOutcome
not_allowed (SdProviderStatus *status,
             SdMessageAction   action)
{
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Facebook does not let the Page like this."));
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Facebook does not let the Page hide this comment."));
    case SD_MESSAGE_ACTION_DELETE:
    default:
      return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Facebook does not let the Page delete this comment."));
    }
}

static SdOutcome
sd_facebook_message_action (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            SdMessageAction         action,
                            SdMessage              *message,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  SdMessageCaps caps = sd_message_get_caps (message);
  const char *id = sd_message_get_remote_id (message);
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (sd_graph_is_dm (&facebook_inbox, message))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Facebook does not let other apps like, hide or delete Messenger messages."));
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      if (action == SD_MESSAGE_ACTION_LIKE && !(caps & SD_MESSAGE_CAN_LIKE))
        return not_allowed (status, action);
      path = sd_graph_id_path (id, "/likes");
      msg = action == SD_MESSAGE_ACTION_LIKE ? sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, sd_graph_token_of (ctx))
                                             : sd_graph_message (SD_PLATFORM_FACEBOOK, "DELETE", path, TRUE, NULL,
                                                                 sd_graph_token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      if (!(caps & SD_MESSAGE_CAN_HIDE))
        return not_allowed (status, action);
      path = sd_graph_id_path (id, NULL);
      g_hash_table_insert (form, g_strdup ("is_hidden"),
                           g_strdup (action == SD_MESSAGE_ACTION_HIDE ? "true" : "false"));
      msg = sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, sd_graph_token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      if (!(caps & SD_MESSAGE_CAN_DELETE))
        return not_allowed (status, action);
      path = sd_graph_id_path (id, NULL);
      msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "DELETE", path, TRUE, NULL, sd_graph_token_of (ctx));
      break;
    }

  return sd_graph_send_action (&facebook_inbox, ctx, action, msg, cancellable, status);
}

void
sd_facebook_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_facebook_list_inbox_streams;
  iface->fetch_inbox = sd_facebook_fetch_inbox;
  iface->fetch_conversation = sd_facebook_fetch_conversation;
  iface->message_action = sd_facebook_message_action;
}
