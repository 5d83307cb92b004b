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

#include "sd-graph.h"
#include "sd-http.h"

#define POSTS_PER_SWEEP     "10"
#define COMMENTS_PER_PAGE   "25"
#define CONVERSATIONS_LIMIT "25"
#define FIND_LIMIT          "100"
#define FIND_CLOCK_SLACK    120
#define STREAM_COMMENTS     "comments"
#define STREAM_MESSAGES     "messages"
#define COMMENT_FIELDS      "id,message,from{id,name,picture},created_time,permalink_url,parent{id}," \
                            "is_hidden,can_hide,can_remove,can_like,user_likes"
#define CONVERSATION_FIELDS "id,updated_time,participants,messages.limit(25){id,message,from,created_time}"
#define WEB_ORIGIN          "https://www.facebook.com"

static const char *
token_of (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

static const char *
page_id_of (const SdPublishContext *ctx)
{
  const char *id = sd_account_get_remote_id (ctx->account);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

static char *
id_path (const char *id,
         const char *rest)
{
  g_autofree char *escaped = g_uri_escape_string (id != NULL ? id : "", NULL, FALSE);

  return g_strconcat ("/", escaped, rest != NULL ? rest : "", NULL);
}

static SoupMessage *
graph_get (const SdPublishContext *ctx,
           const char             *path,
           const char             *query)
{
  return sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, token_of (ctx));
}

/* Facebook refused: its own words in a Facebook sentence. */
static SdOutcome
refused (SdProviderStatus *status,
         SdOutcome         outcome,
         JsonNode         *root)
{
  g_autofree char *words = sd_graph_error_message (root);

  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    /* Translators: %s is Facebook's own words. */
    sd_provider_status_set (status, outcome, _("Facebook refused the request: “%s”."), words);
  else if (outcome == SD_OUTCOME_AUTH && words != NULL)
    /* Translators: %s is Facebook's own words. */
    sd_provider_status_set (status, outcome, _("Facebook no longer accepts this Page’s sign-in: “%s”."), words);
  return outcome;
}

static SdOutcome
unreadable (SoupMessage      *msg,
            SdProviderStatus *status)
{
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 /* Translators: %s is an address path. */
                                 _("Facebook’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

/* Not there any more: HTTP 404, or Graph's "Object with ID … does not exist" (100/33). */
static gboolean
is_gone (SdOutcome         outcome,
         SdProviderStatus *status,
         JsonNode         *root)
{
  JsonObject *error = sd_http_json_object_member (sd_http_json_node_object (root), "error");

  return outcome == SD_OUTCOME_FAILED
         && (status->http_status == 404
             || (sd_graph_member_int (error, "code") == 100 && sd_graph_member_int (error, "error_subcode") == 33));
}

static gint64
cursor_time (const char *cursor)
{
  return cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
}

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
  gboolean own = g_strcmp0 (sd_http_json_string (from, "id"), page_id_of (ctx)) == 0;
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
  g_autofree char *path = id_path (post_id, "/comments");
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
  if (is_gone (outcome, status, root))
    {
      g_debug ("a post went away while its comments were read");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return unreadable (msg, status);

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
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  gint64 since = cursor_time (cursor);
  gint64 newest = 0;
  SdOutcome outcome;

  if (page_token == NULL)
    {
      g_autofree char *path = id_path (page_id_of (ctx), "/feed");
      g_autofree char *query = soup_form_encode ("fields", "id,created_time", "limit", POSTS_PER_SWEEP, NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *posts;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return refused (status, outcome, root);
      posts = sd_http_json_array_member (sd_http_json_node_object (root), "data");
      if (posts == NULL)
        return unreadable (msg, status);
      for (guint i = 0; i < json_array_get_length (posts); i++)
        {
          const char *post_id = sd_http_json_string (json_array_get_object_element (posts, i), "id");

          if (post_id == NULL)
            continue;
          outcome = read_comments (ctx, post_id, NULL, since, page, &newest, pending, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
        }
      if (newest > 0)
        page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
    }
  else
    {
      g_autoptr(GPtrArray) queue = sd_graph_sweep_parse (page_token);
      g_auto(GStrv) first = NULL;

      if (queue->len == 0)
        return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
      first = g_strsplit (g_ptr_array_index (queue, 0), "\t", 2);
      outcome = read_comments (ctx, first[0], first[1], since, page, &newest, pending, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      for (guint i = 1; i < queue->len; i++)
        g_ptr_array_add (pending, g_strdup (g_ptr_array_index (queue, i)));
    }
  page->next_page = sd_graph_sweep_token (pending);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
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
  g_autofree char *path = id_path (page_id_of (ctx), "/conversations");
  g_autofree char *query = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 since = cursor_time (cursor);
  gint64 newest = 0;
  gboolean older_seen = FALSE;
  JsonArray *data;
  const char *next;
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
    return refused (status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return unreadable (msg, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *conversation = json_array_get_object_element (data, i);

      if (conversation == NULL)
        continue;
      /* Newest updated first: one not updated since the cursor ends the fetch. */
      if (since > 0 && sd_graph_parse_time (sd_http_json_string (conversation, "updated_time")) < since)
        {
          older_seen = TRUE;
          break;
        }
      sd_graph_read_conversation (conversation, ctx->account, page_id_of (ctx), STREAM_MESSAGES, since,
                                  page->messages, &newest);
    }
  if (page_token == NULL && newest > 0)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  next = sd_graph_next_after (sd_http_json_node_object (root));
  if (since > 0 && !older_seen && next != NULL)
    page->next_page = g_strdup (next);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
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
  if (page_id_of (ctx) == NULL)
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

static gboolean
is_dm (SdMessage *message)
{
  return sd_message_get_kind (message) == SD_MESSAGE_KIND_DM
         || g_strcmp0 (sd_message_get_stream (message), STREAM_MESSAGES) == 0;
}

/* Where the answer goes: under the comment, or, for an answer to a reply,
 * under the comment it replies to (Facebook threads comments one level deep). */
static const char *
reply_target (SdMessage *message)
{
  const char *parent = sd_message_get_parent_remote_id (message);
  const char *root = sd_message_get_root_remote_id (message);

  if (parent != NULL && root != NULL && g_strcmp0 (parent, root) != 0)
    return parent;
  return sd_message_get_remote_id (message);
}

SdOutcome
sd_facebook_inbox_reply (const SdPublishContext *ctx,
                         SdPublishPart          *part,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *id;
  SdOutcome outcome;

  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk answers on Facebook with text only: remove the attachments."));
  if (is_dm (ctx->reply_to))
    {
      g_autofree char *messages_path = id_path (page_id_of (ctx), "/messages");

      if (sd_graph_check_dm_window (ctx->reply_to, "Facebook", status) != SD_OUTCOME_DONE)
        return status->outcome;
      outcome = sd_graph_send_dm (ctx, messages_path, TRUE, part, cancellable, status);
      return refused (status, outcome, NULL);
    }

  form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (form, g_strdup ("message"), g_strdup (part->text));
  path = id_path (reply_target (ctx->reply_to), "/comments");
  msg = sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, token_of (ctx));
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Facebook’s answer to the reply could not be read: it may have been sent."));
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_clear_pointer (&part->remote_url, g_free);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_facebook_inbox_find_reply (const SdPublishContext *ctx,
                              SdPublishPart          *part,
                              GCancellable           *cancellable,
                              SdProviderStatus       *status)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *wanted = sd_graph_comparable_text (part->text);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  JsonArray *data;
  SdOutcome outcome;

  if (is_dm (ctx->reply_to))
    return sd_graph_find_dm (ctx, page_id_of (ctx), part, cancellable, status);

  path = id_path (reply_target (ctx->reply_to), "/comments");
  query = soup_form_encode ("filter", "stream", "order", "reverse_chronological",
                            "fields", "id,message,from{id,name},created_time,permalink_url", "limit", FIND_LIMIT, NULL);
  msg = graph_get (ctx, path, query);
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH)
    return refused (status, outcome, root);
  if (outcome != SD_OUTCOME_DONE)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not look at the comment’s replies to see whether the answer went out."));
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *comment = json_array_get_object_element (data, i);
      g_autofree char *text = sd_graph_comparable_text (sd_http_json_string (comment, "message"));

      if (g_strcmp0 (sd_http_json_string (sd_http_json_object_member (comment, "from"), "id"), page_id_of (ctx)) == 0
          && g_strcmp0 (text, wanted) == 0
          && sd_graph_parse_time (sd_http_json_string (comment, "created_time")) >= since)
        {
          g_free (part->remote_id);
          part->remote_id = g_strdup (sd_http_json_string (comment, "id"));
          g_free (part->remote_url);
          part->remote_url = absolute_url (sd_http_json_string (comment, "permalink_url"));
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The answer is not under the comment: it can be sent again."));
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
  g_autofree char *path = id_path (post_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,message,created_time,permalink_url", NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  JsonObject *post;
  SdMessage *message;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  post = sd_http_json_node_object (root);
  if (sd_http_json_string (post, "id") == NULL)
    return unreadable (msg, status);
  url = absolute_url (sd_http_json_string (post, "permalink_url"));
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_FACEBOOK);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, SD_MESSAGE_KIND_OWN);
  sd_message_set_remote_id (message, post_id);
  sd_message_set_root_remote_id (message, post_id);
  sd_message_set_conversation_id (message, post_id);
  sd_message_set_author_remote_id (message, page_id_of (ctx));
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

  if (is_dm (message))
    {
      g_autofree char *path = id_path (sd_message_get_conversation_id (message), NULL);
      g_autofree char *query = soup_form_encode ("fields", "id,messages{id,message,from,created_time}", NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;
      gint64 newest = 0;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return refused (status, outcome, root);
      sd_graph_read_conversation (sd_http_json_node_object (root), ctx->account, page_id_of (ctx), STREAM_MESSAGES,
                                  0, messages, &newest);
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  if (post_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("SocialDesk does not know the post of this comment."));
  outcome = read_post (ctx, post_id, messages, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  for (guint n = 0; n < CONVERSATION_PAGES; n++)
    {
      g_autofree char *path = id_path (post_id, "/comments");
      g_autofree char *query = soup_form_encode ("filter", "stream", "order", "chronological", "fields", COMMENT_FIELDS,
                                                 "limit", FIND_LIMIT, after != NULL ? "after" : NULL, after, NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *data;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return refused (status, outcome, root);
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
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  if (is_dm (message))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Facebook does not let other apps like, hide or delete Messenger messages."));
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
    case SD_MESSAGE_ACTION_UNLIKE:
      if (action == SD_MESSAGE_ACTION_LIKE && !(caps & SD_MESSAGE_CAN_LIKE))
        return not_allowed (status, action);
      path = id_path (id, "/likes");
      msg = action == SD_MESSAGE_ACTION_LIKE ? sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, token_of (ctx))
                                             : sd_graph_message (SD_PLATFORM_FACEBOOK, "DELETE", path, TRUE, NULL,
                                                                 token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_HIDE:
    case SD_MESSAGE_ACTION_UNHIDE:
      if (!(caps & SD_MESSAGE_CAN_HIDE))
        return not_allowed (status, action);
      path = id_path (id, NULL);
      g_hash_table_insert (form, g_strdup ("is_hidden"),
                           g_strdup (action == SD_MESSAGE_ACTION_HIDE ? "true" : "false"));
      msg = sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      if (!(caps & SD_MESSAGE_CAN_DELETE))
        return not_allowed (status, action);
      path = id_path (id, NULL);
      msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "DELETE", path, TRUE, NULL, token_of (ctx));
      break;
    }

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (action == SD_MESSAGE_ACTION_DELETE && is_gone (outcome, status, root))
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  /* Each of these may be sent twice without harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    {
      status->outcome = SD_OUTCOME_RETRY;
      return SD_OUTCOME_RETRY;
    }
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

void
sd_facebook_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_facebook_list_inbox_streams;
  iface->fetch_inbox = sd_facebook_fetch_inbox;
  iface->fetch_conversation = sd_facebook_fetch_conversation;
  iface->message_action = sd_facebook_message_action;
}
