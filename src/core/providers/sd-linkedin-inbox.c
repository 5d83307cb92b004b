/* sd-linkedin-inbox.c — the LinkedIn provider's inbox: comments on our posts, replies to them, deletes
 *
 * Sources (learn.microsoft.com/linkedin, "Comments API" of the Community
 * Management API, "Posts API"): GET /rest/socialActions/{encoded post
 * URN}/comments (start/count paging, "paging.total"; comment entities with
 * actor, commentUrn, id, object, message.text, parentComment, created.time in
 * milliseconds), POST /rest/socialActions/{encoded post URN}/comments
 * ({actor, object, message: {text}, parentComment}: 201 with the comment),
 * DELETE /rest/socialActions/{encoded URN}/comments/{comment id}?actor=…
 * (204). Our recent posts come from GET /rest/posts?q=author (FINDER). Both
 * need r_member_social, which LinkedIn grants only to apps it approved for
 * the Community Management API: without it, 403 ACCESS_DENIED. LinkedIn
 * gives other apps no direct messages, no likes of comments and no hiding.
 *
 * The comments stream's cursor is the newest comment's time (milliseconds);
 * each page of a fetch is one page of our recent posts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-linkedin"

#include "config.h"

#include "sd-linkedin-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-time.h"

#define STREAM_COMMENTS     "comments"
#define POSTS_PER_PAGE      10
#define COMMENTS_PER_PAGE   50
#define COMMENT_PAGES_MAX   10
#define RECENT_DAYS         30
#define FIND_CLOCK_SLACK    60
#define TEXT_MAX_BYTES      (64 * 1024)
#define POST_URL_PREFIX     "https://www.linkedin.com/feed/update/"
#define COMMENT_URN_PREFIX  "urn:li:comment:"

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static gint64
member_ms (JsonObject *object)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, "time") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

/* Turns LinkedIn's refusal of a comments call into the sentence the inbox shows. */
static SdOutcome
refused (SdOutcome         outcome,
         const char       *words,
         SdProviderStatus *status)
{
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is LinkedIn's own words. */
                                   _("LinkedIn gives comments only to apps it approved for its Community "
                                     "Management API, and SocialDesk’s app is not one of them here "
                                     "(LinkedIn said: “%s”)."),
                                   words != NULL ? words : "ACCESS_DENIED");
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  return outcome;
}

static SdOutcome
get_json (const SdPublishContext *ctx,
          const char             *path,
          gboolean                finder,
          JsonNode              **root,
          GCancellable           *cancellable,
          SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_linkedin_api_message (ctx, SOUP_METHOD_GET, path, status);
  g_autofree char *words = NULL;
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  if (finder)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-RestLi-Method", "FINDER");
  outcome = sd_linkedin_call (ctx, msg, cancellable, root, &words, status);
  outcome = refused (outcome, words, status);
  if (outcome == SD_OUTCOME_DONE && sd_http_json_node_object (*root) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   /* Translators: %s is the path of a web address. */
                                   _("LinkedIn’s answer to %s could not be read."),
                                   g_uri_get_path (soup_message_get_uri (msg)));
  return outcome;
}

/* Messages */

static char *
comment_url (const char *post_urn,
             const char *comment_urn)
{
  g_autofree char *escaped = escape (comment_urn);

  return g_strdup_printf (POST_URL_PREFIX "%s/?commentUrn=%s", post_urn, escaped);
}

static SdMessage *
comment_message (const SdPublishContext *ctx,
                 const char             *author,
                 const char             *post_urn,
                 JsonObject             *comment)
{
  const char *urn = sd_http_json_string (comment, "commentUrn");
  const char *actor = sd_http_json_string (comment, "actor");
  const char *parent = sd_http_json_string (comment, "parentComment");
  const char *text = sd_http_json_string (sd_http_json_object_member (comment, "message"), "text");
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_autofree char *url = NULL;
  gboolean own = g_strcmp0 (actor, author) == 0;
  SdMessage *message;

  if (urn == NULL)
    return NULL;
  if (strlen (valid) > TEXT_MAX_BYTES)
    {
      const char *end = g_utf8_find_prev_char (valid, valid + TEXT_MAX_BYTES);

      valid[end != NULL ? end - valid : 0] = '\0';
    }
  message = sd_message_new ();
  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_LINKEDIN);
  sd_message_set_stream (message, STREAM_COMMENTS);
  sd_message_set_kind (message, own ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_COMMENT);
  sd_message_set_remote_id (message, urn);
  sd_message_set_parent_remote_id (message, parent != NULL ? parent : post_urn);
  sd_message_set_root_remote_id (message, post_urn);
  sd_message_set_conversation_id (message, post_urn);
  /* The Comments API names the commenter by URN only. */
  sd_message_set_author_remote_id (message, actor);
  sd_message_set_text (message, valid);
  url = comment_url (post_urn, urn);
  sd_message_set_url (message, url);
  sd_message_set_sent_at (message, member_ms (sd_http_json_object_member (comment, "created")) / 1000);
  sd_message_set_fetched_at (message, sd_time_now ());
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_DELETE);
  return message;
}

/* Every comment of @post_urn (a few pages at most) into @comments (JsonNode copies). */
static SdOutcome
list_comments (const SdPublishContext *ctx,
               const char             *post_urn,
               GPtrArray              *comments,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autofree char *escaped = escape (post_urn);

  for (guint page = 0, start = 0; page < COMMENT_PAGES_MAX; page++)
    {
      g_autofree char *path = g_strdup_printf ("/rest/socialActions/%s/comments?start=%u&count=%d",
                                               escaped, start, COMMENTS_PER_PAGE);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *elements;
      JsonObject *paging;
      gint64 total;
      guint n;
      SdOutcome outcome;

      outcome = get_json (ctx, path, FALSE, &root, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      elements = sd_http_json_array_member (sd_http_json_node_object (root), "elements");
      n = elements != NULL ? json_array_get_length (elements) : 0;
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (comments, json_node_copy (json_array_get_element (elements, i)));
      paging = sd_http_json_object_member (sd_http_json_node_object (root), "paging");
      total = paging != NULL ? json_object_get_int_member_with_default (paging, "total", -1) : -1;
      start += n;
      if (n == 0 || (total >= 0 && start >= total) || (total < 0 && n < COMMENTS_PER_PAGE))
        return SD_OUTCOME_DONE;
    }
  return SD_OUTCOME_DONE;
}

/* Streams */

static GPtrArray *
sd_linkedin_list_inbox_streams (SdProvider *provider,
                                SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_COMMENTS, _("Comments on your posts"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new ("messages", _("Direct messages"),
                                                 _("LinkedIn gives no direct messages to other apps.")));
  return streams;
}

static SdOutcome
sd_linkedin_fetch_inbox (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         const char             *stream,
                         const char             *cursor,
                         const char             *page_token,
                         SdInboxPage            *page,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  gint64 since_ms = cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  gint64 recent_ms = (sd_time_now () - RECENT_DAYS * 24 * 3600) * 1000;
  gint64 newest = since_ms;
  guint start = page_token != NULL ? (guint) g_ascii_strtoull (page_token, NULL, 10) : 0;
  g_autofree char *author = NULL;
  g_autofree char *escaped_author = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *posts;
  gboolean recent = TRUE;
  guint n_posts;
  SdOutcome outcome;

  status->retry_after = 0;
  if (g_strcmp0 (stream, STREAM_COMMENTS) != 0)
    /* Translators: %s is the name of an inbox stream. */
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("LinkedIn has no inbox stream “%s”."), stream);
  outcome = sd_linkedin_ensure_author (ctx, &author, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  escaped_author = escape (author);
  path = g_strdup_printf ("/rest/posts?author=%s&q=author&count=%d&start=%u&sortBy=CREATED",
                          escaped_author, POSTS_PER_PAGE, start);
  outcome = get_json (ctx, path, TRUE, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  posts = sd_http_json_array_member (sd_http_json_node_object (root), "elements");
  n_posts = posts != NULL ? json_array_get_length (posts) : 0;

  for (guint i = 0; i < n_posts; i++)
    {
      JsonObject *post = sd_http_json_node_object (json_array_get_element (posts, i));
      const char *urn = sd_http_json_string (post, "id");
      g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      JsonNode *created = post != NULL ? json_object_get_member (post, "createdAt") : NULL;

      if (urn == NULL)
        continue;
      if (created != NULL && JSON_NODE_HOLDS_VALUE (created) && json_node_get_int (created) < recent_ms)
        recent = FALSE;
      outcome = list_comments (ctx, urn, comments, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      for (guint j = 0; j < comments->len; j++)
        {
          JsonObject *comment = sd_http_json_node_object (g_ptr_array_index (comments, j));
          gint64 when = member_ms (sd_http_json_object_member (comment, "created"));
          SdMessage *message;

          /* The cursor's own millisecond is read again (the store keeps one of each). */
          if (since_ms > 0 && when < since_ms)
            continue;
          message = comment_message (ctx, author, urn, comment);
          if (message == NULL)
            continue;
          newest = MAX (newest, when);
          g_ptr_array_add (page->messages, message);
        }
    }

  /* The first fetch ever reads the newest page only; later ones go on
   * through our posts of the last RECENT_DAYS days. */
  if (cursor != NULL && recent && n_posts == POSTS_PER_PAGE)
    page->next_page = g_strdup_printf ("%u", start + n_posts);
  if (page_token == NULL && newest > since_ms)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Replies: comments on the same post, under the comment answered */

/* The comment a reply nests under: LinkedIn nests one level only. */
static const char *
parent_comment (SdMessage *reply_to)
{
  const char *parent = sd_message_get_parent_remote_id (reply_to);

  if (parent != NULL && g_str_has_prefix (parent, COMMENT_URN_PREFIX))
    return parent;
  return sd_message_get_remote_id (reply_to);
}

static const char *
post_of (SdMessage *reply_to)
{
  const char *root = sd_message_get_root_remote_id (reply_to);

  return root != NULL ? root : sd_message_get_conversation_id (reply_to);
}

static void
set_remote (SdPublishPart *part,
            const char    *post_urn,
            const char    *comment_urn)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (comment_urn);
  g_free (part->remote_url);
  part->remote_url = comment_url (post_urn, comment_urn);
}

SdOutcome
sd_linkedin_inbox_send_comment (const SdPublishContext *ctx,
                                SdPublishPart          *part,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  const char *post = post_of (ctx->reply_to);
  g_autofree char *author = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  const char *urn;
  SdOutcome outcome;

  status->retry_after = 0;
  if (post == NULL || sd_message_get_kind (ctx->reply_to) != SD_MESSAGE_KIND_COMMENT)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("On LinkedIn SocialDesk can only answer comments on your posts."));
  if (part->media->len > 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk cannot add pictures to LinkedIn comments yet."));
  outcome = sd_linkedin_ensure_author (ctx, &author, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  /* From here on the comment may exist: a later attempt looks first. */
  if (!sd_publish_context_set_stage (ctx, part, SD_LINKEDIN_STAGE_COMMENT, &error))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   /* Translators: %s is an error message. */
                                   _("Could not keep the post’s progress: %s"), error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, post);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, part->text);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "parentComment");
  json_builder_add_string_value (builder, parent_comment (ctx->reply_to));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = escape (post);
  path = g_strdup_printf ("/rest/socialActions/%s/comments", escaped);
  msg = sd_linkedin_api_message (ctx, SOUP_METHOD_POST, path, status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);
  outcome = sd_linkedin_call (ctx, msg, cancellable, &root, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
    return refused (outcome, words, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  urn = sd_http_json_string (sd_http_json_node_object (root), "commentUrn");
  if (urn == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("LinkedIn took the comment but did not say which one it made."));
  set_remote (part, post, urn);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static char *
comparable (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

SdOutcome
sd_linkedin_inbox_find_comment (const SdPublishContext *ctx,
                                SdPublishPart          *part,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  const char *post = post_of (ctx->reply_to);
  const char *parent = parent_comment (ctx->reply_to);
  gint64 since_ms = ctx->first_attempt_at > 0 ? (ctx->first_attempt_at - FIND_CLOCK_SLACK) * 1000 : 0;
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *author = NULL;
  g_autofree char *wanted = comparable (part->text);
  SdOutcome outcome;

  status->retry_after = 0;
  if (part->stage == NULL || !g_str_has_prefix (part->stage, SD_LINKEDIN_STAGE_COMMENT))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The comment was not sent to LinkedIn yet: it can be sent again."));
  if (post == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not tell whether the comment reached LinkedIn."));
  outcome = sd_linkedin_ensure_author (ctx, &author, cancellable, status);
  if (outcome == SD_OUTCOME_DONE)
    outcome = list_comments (ctx, post, comments, cancellable, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     /* Translators: %s says why. */
                                     _("Could not look at the post’s comments on LinkedIn: %s"), reason);
    }

  for (guint i = 0; i < comments->len; i++)
    {
      JsonObject *comment = sd_http_json_node_object (g_ptr_array_index (comments, i));
      g_autofree char *text = comparable (sd_http_json_string (sd_http_json_object_member (comment, "message"), "text"));
      gint64 when = member_ms (sd_http_json_object_member (comment, "created"));

      if (g_strcmp0 (sd_http_json_string (comment, "actor"), author) == 0
          && g_strcmp0 (sd_http_json_string (comment, "parentComment"), parent) == 0
          && g_strcmp0 (text, wanted) == 0 && (since_ms == 0 || when >= since_ms)
          && sd_http_json_string (comment, "commentUrn") != NULL)
        {
          set_remote (part, post, sd_http_json_string (comment, "commentUrn"));
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  if (comments->len >= COMMENT_PAGES_MAX * COMMENTS_PER_PAGE)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not tell whether the comment reached LinkedIn: the post has too many comments to look through."));
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The comment is not on LinkedIn: it can be sent again."));
}

/* Conversations */

static SdOutcome
sd_linkedin_fetch_conversation (SdProvider             *provider,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  const char *post = post_of (message);
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *author = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  if (post == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  outcome = sd_linkedin_ensure_author (ctx, &author, cancellable, status);
  if (outcome == SD_OUTCOME_DONE)
    outcome = list_comments (ctx, post, comments, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  for (guint i = 0; i < comments->len; i++)
    {
      SdMessage *item = comment_message (ctx, author, post, sd_http_json_node_object (g_ptr_array_index (comments, i)));

      if (item != NULL)
        g_ptr_array_add (messages, item);
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Actions */

/* The comment's own id: the last part of urn:li:comment:(urn:li:activity:1,2). */
static char *
comment_id (const char *urn)
{
  const char *comma = urn != NULL ? strrchr (urn, ',') : NULL;
  gsize length;

  if (comma == NULL || !g_str_has_suffix (urn, ")"))
    return NULL;
  length = strlen (comma + 1) - 1;
  return length > 0 ? g_strndup (comma + 1, length) : NULL;
}

static SdOutcome
sd_linkedin_message_action (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            SdMessageAction         action,
                            SdMessage              *message,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autofree char *author = NULL;
  g_autofree char *id = NULL;
  g_autofree char *escaped_post = NULL;
  g_autofree char *escaped_actor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  if (action != SD_MESSAGE_ACTION_DELETE)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("LinkedIn does not let other apps like or hide comments; only deleting them is possible."));
  id = comment_id (sd_message_get_remote_id (message));
  if (id == NULL || post_of (message) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("SocialDesk does not know this comment’s id on LinkedIn."));
  outcome = sd_linkedin_ensure_author (ctx, &author, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  escaped_post = escape (post_of (message));
  escaped_actor = escape (author);
  path = g_strdup_printf ("/rest/socialActions/%s/comments/%s?actor=%s", escaped_post, id, escaped_actor);
  msg = sd_linkedin_api_message (ctx, SOUP_METHOD_DELETE, path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = sd_linkedin_call (ctx, msg, cancellable, NULL, &words, status);
  /* Gone already is what was asked. */
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is LinkedIn's own words. */
                                   _("LinkedIn did not let SocialDesk delete the comment: “%s”."),
                                   words != NULL ? words : "ACCESS_DENIED");
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

void
sd_linkedin_inbox_init_iface (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_linkedin_list_inbox_streams;
  iface->fetch_inbox = sd_linkedin_fetch_inbox;
  iface->fetch_conversation = sd_linkedin_fetch_conversation;
  iface->message_action = sd_linkedin_message_action;
}
