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

#include "sd-graph.h"
#include "sd-http.h"

#define MEDIA_PER_SWEEP     "10"
#define COMMENTS_PER_PAGE   "25"
#define CONVERSATIONS_LIMIT "25"
#define FIND_LIMIT          "100"
#define FIND_CLOCK_SLACK    120
#define STREAM_COMMENTS     "comments"
#define STREAM_MESSAGES     "messages"
#define COMMENT_FIELDS      "id,text,username,timestamp,from,hidden," \
                            "replies{id,text,username,timestamp,from,hidden,parent_id}"
#define CONVERSATION_FIELDS "id,updated_time,messages{id,message,from,created_time}"

static const char *
token_of (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

static const char *
user_id_of (const SdPublishContext *ctx)
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
  return sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", path, TRUE, query, token_of (ctx));
}

static SdOutcome
refused (SdProviderStatus *status,
         SdOutcome         outcome,
         JsonNode         *root)
{
  g_autofree char *words = sd_graph_error_message (root);

  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    /* Translators: %s is Instagram's own words. */
    sd_provider_status_set (status, outcome, _("Instagram refused the request: “%s”."), words);
  else if (outcome == SD_OUTCOME_AUTH && words != NULL)
    /* Translators: %s is Instagram's own words. */
    sd_provider_status_set (status, outcome, _("Instagram no longer accepts this account’s sign-in: “%s”."), words);
  return outcome;
}

static SdOutcome
unreadable (SoupMessage      *msg,
            SdProviderStatus *status)
{
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 /* Translators: %s is an address path. */
                                 _("Instagram’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

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
    return g_strcmp0 (from_id, user_id_of (ctx)) == 0;
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
  g_autofree char *path = id_path (media_id, "/comments");
  g_autofree char *query = soup_form_encode ("fields", COMMENT_FIELDS, "limit", COMMENTS_PER_PAGE,
                                             after != NULL ? "after" : NULL, after, NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *data;
  const char *next;
  gint64 oldest = G_MAXINT64;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (is_gone (outcome, status, root))
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return unreadable (msg, status);

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
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  gint64 since = cursor_time (cursor);
  gint64 newest = 0;
  SdOutcome outcome;

  if (page_token == NULL)
    {
      g_autofree char *path = id_path (user_id_of (ctx), "/media");
      g_autofree char *query = soup_form_encode ("fields", "id,timestamp", "limit", MEDIA_PER_SWEEP, NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *media;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return refused (status, outcome, root);
      media = sd_http_json_array_member (sd_http_json_node_object (root), "data");
      if (media == NULL)
        return unreadable (msg, status);
      for (guint i = 0; i < json_array_get_length (media); i++)
        {
          const char *media_id = sd_http_json_string (json_array_get_object_element (media, i), "id");

          if (media_id == NULL)
            continue;
          outcome = read_comments (ctx, media_id, NULL, since, page, &newest, pending, cancellable, status);
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
  gint64 since = cursor_time (cursor);
  gint64 newest = 0;
  gboolean older_seen = FALSE;
  JsonArray *data;
  const char *next;
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
    return refused (status, outcome, root);
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return unreadable (msg, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *conversation = json_array_get_object_element (data, i);

      if (conversation == NULL)
        continue;
      if (since > 0 && sd_graph_parse_time (sd_http_json_string (conversation, "updated_time")) < since)
        {
          older_seen = TRUE;
          break;
        }
      sd_graph_read_conversation (conversation, ctx->account, user_id_of (ctx), STREAM_MESSAGES, since,
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
sd_instagram_fetch_inbox (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          const char             *stream,
                          const char             *cursor,
                          const char             *page_token,
                          SdInboxPage            *page,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  if (user_id_of (ctx) == NULL)
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

static gboolean
is_dm (SdMessage *message)
{
  return sd_message_get_kind (message) == SD_MESSAGE_KIND_DM
         || g_strcmp0 (sd_message_get_stream (message), STREAM_MESSAGES) == 0;
}

/* Instagram takes replies to top-level comments only: an answer to a reply
 * goes under the comment it replies to. */
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
sd_instagram_inbox_reply (const SdPublishContext *ctx,
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
                                   _("SocialDesk answers on Instagram with text only: remove the attachments."));
  if (is_dm (ctx->reply_to))
    {
      if (sd_graph_check_dm_window (ctx->reply_to, "Instagram", status) != SD_OUTCOME_DONE)
        return status->outcome;
      outcome = sd_graph_send_dm (ctx, "/me/messages", FALSE, part, cancellable, status);
      return refused (status, outcome, NULL);
    }

  form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (form, g_strdup ("message"), g_strdup (part->text));
  path = id_path (reply_target (ctx->reply_to), "/replies");
  msg = sd_graph_form (SD_PLATFORM_INSTAGRAM, path, form, token_of (ctx));
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Instagram’s answer to the reply could not be read: it may have been sent."));
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_clear_pointer (&part->remote_url, g_free);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_instagram_inbox_find_reply (const SdPublishContext *ctx,
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
    return sd_graph_find_dm (ctx, user_id_of (ctx), part, cancellable, status);

  path = id_path (reply_target (ctx->reply_to), "/replies");
  query = soup_form_encode ("fields", "id,text,username,timestamp,from", "limit", FIND_LIMIT, NULL);
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
      g_autofree char *text = sd_graph_comparable_text (sd_http_json_string (comment, "text"));

      if (is_own (ctx, comment) && g_strcmp0 (text, wanted) == 0
          && sd_graph_parse_time (sd_http_json_string (comment, "timestamp")) >= since)
        {
          g_free (part->remote_id);
          part->remote_id = g_strdup (sd_http_json_string (comment, "id"));
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The answer is not under the comment: it can be sent again."));
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
  g_autofree char *path = id_path (media_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,caption,timestamp,permalink", NULL);
  g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *media;
  SdMessage *message;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return refused (status, outcome, root);
  media = sd_http_json_node_object (root);
  if (sd_http_json_string (media, "id") == NULL)
    return unreadable (msg, status);
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_INSTAGRAM);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, SD_MESSAGE_KIND_OWN);
  sd_message_set_remote_id (message, media_id);
  sd_message_set_root_remote_id (message, media_id);
  sd_message_set_conversation_id (message, media_id);
  sd_message_set_author_remote_id (message, user_id_of (ctx));
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

  if (is_dm (message))
    {
      g_autofree char *path = id_path (sd_message_get_conversation_id (message), NULL);
      g_autofree char *query = soup_form_encode ("fields", "id,messages{id,message,from,created_time}", NULL);
      g_autoptr(SoupMessage) msg = graph_get (ctx, path, query);
      g_autoptr(JsonNode) root = NULL;

      outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
      if (outcome != SD_OUTCOME_DONE)
        return refused (status, outcome, root);
      sd_graph_read_conversation (sd_http_json_node_object (root), ctx->account, user_id_of (ctx), STREAM_MESSAGES,
                                  0, messages, &newest);
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

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
  g_autofree char *path = id_path (sd_message_get_remote_id (message), NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  if (is_dm (message))
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
                              action == SD_MESSAGE_ACTION_HIDE ? "hide=true" : "hide=false", token_of (ctx));
      break;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "DELETE", path, TRUE, NULL, token_of (ctx));
      break;
    }

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (action == SD_MESSAGE_ACTION_DELETE && is_gone (outcome, status, root))
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  /* Hiding and deleting twice do no harm. */
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
sd_instagram_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_instagram_list_inbox_streams;
  iface->fetch_inbox = sd_instagram_fetch_inbox;
  iface->fetch_conversation = sd_instagram_fetch_conversation;
  iface->message_action = sd_instagram_message_action;
}
