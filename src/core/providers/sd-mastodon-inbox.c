/* sd-mastodon-inbox.c — the Mastodon provider's inbox: notifications, direct conversations, context
 *
 * Two streams (docs: methods/notifications.md, methods/conversations.md):
 *
 * - "notifications": GET /api/v1/notifications with types[]=mention (and
 *   favourite, reblog, follow, quote when the variant's option
 *   "with_activity" is true). The cursor is the newest notification id seen;
 *   a later fetch asks since_id=cursor and goes on through the Link header's
 *   rel="next" max_id (the page token is that max_id) until the server has
 *   nothing older that is still newer than the cursor. The first fetch ever
 *   takes the newest page only. Direct statuses are left to the other stream
 *   (Mastodon also notifies them as mentions), so a DM is grouped by its
 *   conversation once, never twice.
 * - "conversations": GET /api/v1/conversations, which Mastodon orders and
 *   pages by each conversation's last status id. The cursor is the newest
 *   last status id seen: since_id=cursor lists the conversations that got a
 *   status since, each last status a KIND_DM message (KIND_OWN when it is
 *   ours) whose conversation_id is the conversation's id. On a later fetch,
 *   a last status that answers an earlier one brings the earlier ones newer
 *   than the cursor too (GET /api/v1/statuses/:id/context), so two DMs in a
 *   row between fetches are both in the inbox.
 *
 * remote_id is the status id for everything that can be answered (mention,
 * reply, quote, DM) and "notification:<id>" for activity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-mastodon"

#include "config.h"

#include "sd-mastodon-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-html-text.h"
#include "sd-http.h"
#include "sd-time.h"

#define STREAM_NOTIFICATIONS  "notifications"
#define STREAM_CONVERSATIONS  "conversations"
#define NOTIFICATIONS_LIMIT   40
#define CONVERSATIONS_LIMIT   40
#define ACTIVITY_PREFIX       "notification:"

/* Who the account is and where (for handles of local accounts). */
typedef struct
{
  const char *account_id;   /* our remote id */
  char       *domain;       /* our instance's domain, for "bob" → "bob@domain" */
} Self;

static void
self_init (Self                   *me,
           const SdPublishContext *ctx)
{
  const char *handle = sd_account_get_handle (ctx->account);
  const char *at = handle != NULL ? strrchr (handle, '@') : NULL;

  me->account_id = sd_account_get_remote_id (ctx->account);
  if (at != NULL && at[1] != '\0')
    me->domain = g_strdup (at + 1);
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (sd_account_get_server_url (ctx->account), G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_port (uri) > 0)
        me->domain = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
      else if (uri != NULL)
        me->domain = g_strdup (g_uri_get_host (uri));
    }
}

static void
self_clear (Self *me)
{
  g_clear_pointer (&me->domain, g_free);
}

static gboolean
option_is_true (const SdPublishContext *ctx,
                const char             *key)
{
  JsonNode *node = ctx->options != NULL ? json_object_get_member (ctx->options, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (node), "true") == 0;
  return FALSE;
}

/* Mastodon's ids are numbers in strings of growing length. */
static int
compare_ids (const char *a,
             const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (a, b);
}

static char *
escape (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

/* The max_id of a Link header's rel="next" address, or NULL. */
static char *
next_max_id (SoupMessage *msg)
{
  g_autofree char *next = sd_mastodon_link_next (msg);
  g_autoptr(GUri) uri = next != NULL ? g_uri_parse (next, G_URI_FLAGS_ENCODED_QUERY, NULL) : NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *max_id;

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  max_id = params != NULL ? g_hash_table_lookup (params, "max_id") : NULL;
  return max_id != NULL && max_id[0] != '\0' ? g_strdup (max_id) : NULL;
}

/* Statuses to messages */

static void
set_author (SdMessage  *message,
            JsonObject *account,
            const Self *me)
{
  const char *acct = sd_http_json_string (account, "acct");
  const char *username = sd_http_json_string (account, "username");
  const char *display_name = sd_http_json_string (account, "display_name");
  g_autofree char *handle = NULL;

  if (acct != NULL && strchr (acct, '@') == NULL && me->domain != NULL)
    handle = g_strdup_printf ("%s@%s", acct, me->domain);
  else
    handle = g_strdup (acct != NULL ? acct : username);
  sd_message_set_author_remote_id (message, sd_http_json_string (account, "id"));
  sd_message_set_author_handle (message, handle);
  /* Plain text with custom emoji shortcodes (":blobcat:"): kept as text. */
  sd_message_set_author_name (message, display_name != NULL && display_name[0] != '\0' ? display_name : username);
  sd_message_set_author_avatar_url (message, sd_http_json_string (account, "avatar"));
}

/* Text and links from the content; a content warning first on its own line. */
static void
set_text (SdMessage  *message,
          JsonObject *status,
          const char *lead)
{
  const char *spoiler = sd_http_json_string (status, "spoiler_text");
  g_autoptr(SdMessage) body = sd_message_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *links;
  gsize offset;

  sd_html_text_to_message (sd_http_json_string (status, "content"), 0, body);
  if (lead != NULL)
    g_string_append_printf (text, "%s\n\n", lead);
  if (spoiler != NULL && spoiler[0] != '\0')
    {
      g_autofree char *valid = g_utf8_make_valid (spoiler, -1);

      /* Translators: a content warning before a post's text; %s is the author's own words */
      g_string_append_printf (text, _("CW: %s"), valid);
      g_string_append_c (text, '\n');
    }
  offset = text->len;
  g_string_append (text, sd_message_get_text (body));
  sd_message_set_text (message, text->str);

  links = sd_message_get_links (body);
  for (guint i = 0; i < links->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (links, i);
      sd_message_add_link (message, link->start + offset, link->end + offset, link->url);
    }
}

static gboolean
mentions_account (JsonObject *status,
                  const char *account_id)
{
  JsonArray *mentions = sd_http_json_array_member (status, "mentions");

  for (guint i = 0; mentions != NULL && account_id != NULL && i < json_array_get_length (mentions); i++)
    {
      JsonObject *mention = json_array_get_object_element (mentions, i);
      if (mention != NULL && g_strcmp0 (sd_http_json_string (mention, "id"), account_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
status_author_id (JsonObject *status)
{
  return sd_http_json_string (sd_http_json_object_member (status, "account"), "id");
}

/* What a status is to the account: its own, a DM, a reply to it, a mention
 * of it, or only context. */
static SdMessageKind
kind_of_status (JsonObject *status,
                const Self *me,
                gboolean    addressed)
{
  if (me->account_id != NULL && g_strcmp0 (status_author_id (status), me->account_id) == 0)
    return SD_MESSAGE_KIND_OWN;
  if (g_strcmp0 (sd_http_json_string (status, "visibility"), "direct") == 0)
    return SD_MESSAGE_KIND_DM;
  if (me->account_id != NULL && g_strcmp0 (sd_http_json_string (status, "in_reply_to_account_id"), me->account_id) == 0)
    return SD_MESSAGE_KIND_REPLY;
  if (addressed || mentions_account (status, me->account_id))
    return SD_MESSAGE_KIND_MENTION;
  return SD_MESSAGE_KIND_CONTEXT;
}

static SdMessage *
new_message (const SdPublishContext *ctx,
             const char             *stream,
             SdMessageKind           kind)
{
  SdMessage *message = sd_message_new ();

  sd_message_set_account_id (message, sd_account_get_id (ctx->account));
  sd_message_set_platform (message, SD_PLATFORM_MASTODON);
  sd_message_set_stream (message, stream);
  sd_message_set_kind (message, kind);
  sd_message_set_fetched_at (message, sd_time_now ());
  return message;
}

static gint64
parse_time (JsonObject *object)
{
  gint64 when = 0;
  const char *text = sd_http_json_string (object, "created_at");

  if (text == NULL || !sd_time_parse_iso8601 (text, NULL, &when))
    return 0;
  return when;
}

/* A message for @status; NULL when the status has no id. */
static SdMessage *
message_from_status (const SdPublishContext *ctx,
                     const char             *stream,
                     JsonObject             *status,
                     SdMessageKind           kind,
                     const Self             *me)
{
  const char *id = sd_http_json_string (status, "id");
  const char *url = sd_http_json_string (status, "url");
  JsonNode *favourited = status != NULL ? json_object_get_member (status, "favourited") : NULL;
  SdMessage *message;

  if (id == NULL)
    return NULL;
  message = new_message (ctx, stream, kind);
  sd_message_set_remote_id (message, id);
  sd_message_set_parent_remote_id (message, sd_http_json_string (status, "in_reply_to_id"));
  sd_message_set_conversation_id (message, id);
  set_author (message, sd_http_json_object_member (status, "account"), me);
  set_text (message, status, NULL);
  sd_message_set_audience (message, sd_http_json_string (status, "visibility"));
  sd_message_set_url (message, url != NULL ? url : sd_http_json_string (status, "uri"));
  sd_message_set_sent_at (message, parse_time (status));
  /* Mastodon lets no one hide or delete someone else's status: reply and like only. */
  sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY | SD_MESSAGE_CAN_LIKE);
  if (favourited != NULL && JSON_NODE_HOLDS_VALUE (favourited)
      && json_node_get_value_type (favourited) == G_TYPE_BOOLEAN)
    sd_message_set_is_liked (message, json_node_get_boolean (favourited));
  return message;
}

/* The conversation of each message: its in_reply_to chain's root as far as
 * the page knows it (the farthest ancestor reached), itself at the top. */
static void
set_roots (GPtrArray *messages)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (messages, i);
      const char *parent = sd_message_get_parent_remote_id (message);

      if (!g_str_has_prefix (sd_message_get_remote_id (message), ACTIVITY_PREFIX))
        g_hash_table_insert (parents, (gpointer) sd_message_get_remote_id (message),
                             (gpointer) (parent != NULL ? parent : ""));
    }
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *message = g_ptr_array_index (messages, i);
      const char *root = sd_message_get_remote_id (message);
      const char *parent;
      guint steps = 0;

      if (g_str_has_prefix (root, ACTIVITY_PREFIX))
        continue;
      /* Up while the page knows the parent; an id the page does not hold is
       * the farthest ancestor known. */
      while ((parent = g_hash_table_lookup (parents, root)) != NULL && parent[0] != '\0'
             && steps++ < messages->len)
        root = parent;
      sd_message_set_root_remote_id (message, root);
      sd_message_set_conversation_id (message, root);
    }
}

/* Notifications */

static const char *
activity_sentence (const char *type)
{
  if (g_strcmp0 (type, "favourite") == 0)
    return _("Favourited your post");
  if (g_strcmp0 (type, "reblog") == 0)
    return _("Boosted your post");
  if (g_strcmp0 (type, "follow") == 0)
    return _("Followed you");
  return NULL;
}

static SdMessage *
message_from_activity (const SdPublishContext *ctx,
                       JsonObject             *notification,
                       const char             *type,
                       const Self             *me)
{
  const char *id = sd_http_json_string (notification, "id");
  JsonObject *status = sd_http_json_object_member (notification, "status");
  g_autofree char *remote_id = g_strconcat (ACTIVITY_PREFIX, id, NULL);
  SdMessage *message = new_message (ctx, STREAM_NOTIFICATIONS, SD_MESSAGE_KIND_ACTIVITY);
  const char *url = sd_http_json_string (status, "url");

  sd_message_set_remote_id (message, remote_id);
  set_author (message, sd_http_json_object_member (notification, "account"), me);
  sd_message_set_sent_at (message, parse_time (notification));
  if (status != NULL)
    {
      const char *status_id = sd_http_json_string (status, "id");

      set_text (message, status, activity_sentence (type));
      sd_message_set_parent_remote_id (message, status_id);
      sd_message_set_conversation_id (message, status_id != NULL ? status_id : remote_id);
      sd_message_set_audience (message, sd_http_json_string (status, "visibility"));
      sd_message_set_url (message, url != NULL ? url : sd_http_json_string (status, "uri"));
    }
  else
    {
      sd_message_set_text (message, activity_sentence (type) != NULL ? activity_sentence (type) : "");
      sd_message_set_conversation_id (message, remote_id);
      sd_message_set_url (message, sd_http_json_string (sd_http_json_object_member (notification, "account"), "url"));
    }
  sd_message_set_caps (message, 0);
  return message;
}

/* A message for one notification, or NULL when it is not for this stream. */
static SdMessage *
message_from_notification (const SdPublishContext *ctx,
                           JsonObject             *notification,
                           const Self             *me)
{
  const char *type = sd_http_json_string (notification, "type");
  JsonObject *status = sd_http_json_object_member (notification, "status");
  SdMessageKind kind;

  if (type == NULL || sd_http_json_string (notification, "id") == NULL)
    return NULL;
  if (g_str_equal (type, "mention") || g_str_equal (type, "quote"))
    {
      if (status == NULL || g_strcmp0 (sd_http_json_string (status, "visibility"), "direct") == 0)
        return NULL;   /* direct statuses come through the conversations stream */
      kind = kind_of_status (status, me, TRUE);
      if (kind == SD_MESSAGE_KIND_OWN)
        return NULL;
      if (g_str_equal (type, "quote") && kind != SD_MESSAGE_KIND_REPLY)
        kind = SD_MESSAGE_KIND_QUOTE;
      return message_from_status (ctx, STREAM_NOTIFICATIONS, status, kind, me);
    }
  if (activity_sentence (type) != NULL)
    return message_from_activity (ctx, notification, type, me);
  return NULL;   /* polls, edits, admin reports, …: not asked for */
}

static char *
notifications_path (const SdPublishContext *ctx,
                    const char             *cursor,
                    const char             *page_token)
{
  GString *path = g_string_new ("/api/v1/notifications?types%5B%5D=mention");

  if (option_is_true (ctx, "with_activity"))
    g_string_append (path, "&types%5B%5D=favourite&types%5B%5D=reblog&types%5B%5D=follow&types%5B%5D=quote");
  g_string_append_printf (path, "&limit=%d", NOTIFICATIONS_LIMIT);
  if (cursor != NULL)
    {
      g_autofree char *escaped = escape (cursor);
      g_string_append_printf (path, "&since_id=%s", escaped);
    }
  if (page_token != NULL)
    {
      g_autofree char *escaped = escape (page_token);
      g_string_append_printf (path, "&max_id=%s", escaped);
    }
  return g_string_free (path, FALSE);
}

static SdOutcome
get_array (const SdPublishContext *ctx,
           const char             *path,
           GCancellable           *cancellable,
           SoupMessage           **msg_out,
           JsonArray             **array_out,
           JsonNode              **root_out,
           SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_mastodon_api_message (ctx, "GET", path, status);
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = sd_mastodon_call (ctx, msg, cancellable, root_out, NULL, status);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (*root_out == NULL || !JSON_NODE_HOLDS_ARRAY (*root_out))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Mastodon’s answer to %s could not be read."),
                                   g_uri_get_path (soup_message_get_uri (msg)));
  *array_out = json_node_get_array (*root_out);
  *msg_out = g_steal_pointer (&msg);
  return SD_OUTCOME_DONE;
}

static SdOutcome
fetch_notifications (const SdPublishContext *ctx,
                     const char             *cursor,
                     const char             *page_token,
                     SdInboxPage            *page,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autofree char *path = notifications_path (ctx, cursor, page_token);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = NULL;
  Self me = { 0 };
  const char *newest = NULL;
  SdOutcome outcome;

  outcome = get_array (ctx, path, cancellable, &msg, &array, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  self_init (&me, ctx);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *notification = json_array_get_object_element (array, i);
      const char *id = sd_http_json_string (notification, "id");
      SdMessage *message;

      if (id == NULL)
        continue;
      if (newest == NULL || compare_ids (id, newest) > 0)
        newest = id;
      message = message_from_notification (ctx, notification, &me);
      if (message != NULL)
        g_ptr_array_add (page->messages, message);
    }
  set_roots (page->messages);
  self_clear (&me);

  if (page_token == NULL && newest != NULL)
    page->new_cursor = g_strdup (newest);
  /* The first fetch ever takes the newest page only. */
  if (cursor != NULL && json_array_get_length (array) > 0)
    page->next_page = next_max_id (msg);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Direct conversations */

static SdOutcome
get_context (const SdPublishContext *ctx,
             const char             *status_id,
             GCancellable           *cancellable,
             JsonNode              **root_out,
             SdProviderStatus       *status)
{
  g_autofree char *escaped = escape (status_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/statuses/%s/context", escaped);
  g_autoptr(SoupMessage) msg = sd_mastodon_api_message (ctx, "GET", path, status);
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = sd_mastodon_call (ctx, msg, cancellable, root_out, NULL, status);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome == SD_OUTCOME_DONE && (*root_out == NULL || !JSON_NODE_HOLDS_OBJECT (*root_out)))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Mastodon’s answer to %s could not be read."), path);
  return outcome;
}

static SdMessage *
message_from_direct (const SdPublishContext *ctx,
                     JsonObject             *status,
                     const char             *conversation_id,
                     const Self             *me)
{
  SdMessageKind kind = kind_of_status (status, me, TRUE);
  SdMessage *message;

  if (kind != SD_MESSAGE_KIND_OWN)
    kind = SD_MESSAGE_KIND_DM;
  message = message_from_status (ctx, STREAM_CONVERSATIONS, status, kind, me);
  if (message != NULL)
    sd_message_set_conversation_id (message, conversation_id);
  return message;
}

/* The earlier statuses of a conversation newer than @cursor. */
static SdOutcome
add_earlier_direct (const SdPublishContext *ctx,
                    JsonObject             *last_status,
                    const char             *conversation_id,
                    const char             *cursor,
                    const Self             *me,
                    SdInboxPage            *page,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *ancestors;
  SdOutcome outcome;

  outcome = get_context (ctx, sd_http_json_string (last_status, "id"), cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  ancestors = sd_http_json_array_member (sd_http_json_node_object (root), "ancestors");
  for (guint i = 0; ancestors != NULL && i < json_array_get_length (ancestors); i++)
    {
      JsonObject *status_object = json_array_get_object_element (ancestors, i);
      const char *id = sd_http_json_string (status_object, "id");
      SdMessage *message;

      if (id == NULL || compare_ids (id, cursor) <= 0
          || g_strcmp0 (sd_http_json_string (status_object, "visibility"), "direct") != 0)
        continue;
      message = message_from_direct (ctx, status_object, conversation_id, me);
      if (message != NULL)
        g_ptr_array_add (page->messages, message);
    }
  return SD_OUTCOME_DONE;
}

static SdOutcome
fetch_conversations (const SdPublishContext *ctx,
                     const char             *cursor,
                     const char             *page_token,
                     SdInboxPage            *page,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = NULL;
  Self me = { 0 };
  const char *newest = NULL;
  SdOutcome outcome;

  g_string_printf (path, "/api/v1/conversations?limit=%d", CONVERSATIONS_LIMIT);
  if (cursor != NULL)
    {
      g_autofree char *escaped = escape (cursor);
      g_string_append_printf (path, "&since_id=%s", escaped);
    }
  if (page_token != NULL)
    {
      g_autofree char *escaped = escape (page_token);
      g_string_append_printf (path, "&max_id=%s", escaped);
    }
  outcome = get_array (ctx, path->str, cancellable, &msg, &array, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  self_init (&me, ctx);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *conversation = json_array_get_object_element (array, i);
      JsonObject *last_status = sd_http_json_object_member (conversation, "last_status");
      const char *conversation_id = sd_http_json_string (conversation, "id");
      const char *last_id = sd_http_json_string (last_status, "id");
      SdMessage *message;

      if (conversation_id == NULL || last_id == NULL)
        continue;
      if (newest == NULL || compare_ids (last_id, newest) > 0)
        newest = last_id;
      message = message_from_direct (ctx, last_status, conversation_id, &me);
      if (message == NULL)
        continue;
      g_ptr_array_add (page->messages, message);
      if (cursor != NULL && sd_http_json_string (last_status, "in_reply_to_id") != NULL)
        {
          outcome = add_earlier_direct (ctx, last_status, conversation_id, cursor, &me, page, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            {
              self_clear (&me);
              return outcome;
            }
        }
    }
  self_clear (&me);

  if (page_token == NULL && newest != NULL)
    page->new_cursor = g_strdup (newest);
  if (cursor != NULL && json_array_get_length (array) > 0)
    page->next_page = next_max_id (msg);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* The vfuncs */

static GPtrArray *
sd_mastodon_list_inbox_streams (SdProvider *provider,
                                SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_NOTIFICATIONS, _("Mentions and replies"), NULL));
  g_ptr_array_add (streams, sd_inbox_stream_new (STREAM_CONVERSATIONS, _("Direct messages"), NULL));
  return streams;
}

static SdOutcome
sd_mastodon_fetch_inbox (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         const char             *stream,
                         const char             *cursor,
                         const char             *page_token,
                         SdInboxPage            *page,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  if (cursor != NULL && cursor[0] == '\0')
    cursor = NULL;
  if (page_token != NULL && page_token[0] == '\0')
    page_token = NULL;
  if (g_strcmp0 (stream, STREAM_NOTIFICATIONS) == 0)
    return fetch_notifications (ctx, cursor, page_token, page, cancellable, status);
  if (g_strcmp0 (stream, STREAM_CONVERSATIONS) == 0)
    return fetch_conversations (ctx, cursor, page_token, page, cancellable, status);
  /* Translators: %s is the name of an inbox stream, a programmer's word */
  return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Mastodon has no inbox stream “%s”."),
                                 stream != NULL ? stream : "");
}

static void
add_context_statuses (const SdPublishContext *ctx,
                      JsonArray              *statuses,
                      SdMessage              *message,
                      const Self             *me,
                      GPtrArray              *messages)
{
  for (guint i = 0; statuses != NULL && i < json_array_get_length (statuses); i++)
    {
      JsonObject *status = json_array_get_object_element (statuses, i);
      SdMessageKind kind = kind_of_status (status, me, FALSE);
      SdMessage *context;

      /* A direct status seen in a public thread is still a DM to us. */
      context = message_from_status (ctx, sd_message_get_stream (message), status, kind, me);
      if (context == NULL)
        continue;
      sd_message_set_conversation_id (context, sd_message_get_conversation_id (message));
      sd_message_set_root_remote_id (context, sd_message_get_root_remote_id (message));
      g_ptr_array_add (messages, context);
    }
}

static SdOutcome
sd_mastodon_fetch_conversation (SdProvider             *provider,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  const char *remote_id = sd_message_get_remote_id (message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) itself = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  JsonObject *context;
  Self me = { 0 };
  SdOutcome outcome;

  if (remote_id == NULL || g_str_has_prefix (remote_id, ACTIVITY_PREFIX))
    remote_id = sd_message_get_parent_remote_id (message);   /* an activity: the post it is about */
  if (remote_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);

  escaped = escape (remote_id);
  path = g_strdup_printf ("/api/v1/statuses/%s", escaped);
  msg = sd_mastodon_api_message (ctx, "GET", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = sd_mastodon_call (ctx, msg, cancellable, &itself, NULL, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The post is no longer on Mastodon: it was deleted, or its author limited who may see it."));
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message) : outcome;

  outcome = get_context (ctx, remote_id, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  self_init (&me, ctx);
  context = sd_http_json_node_object (root);
  add_context_statuses (ctx, sd_http_json_array_member (context, "ancestors"), message, &me, messages);
  if (!g_str_has_prefix (sd_message_get_remote_id (message), ACTIVITY_PREFIX))
    {
      SdMessage *fresh = message_from_status (ctx, sd_message_get_stream (message),
                                              sd_http_json_node_object (itself), sd_message_get_kind (message), &me);
      if (fresh != NULL)
        {
          sd_message_set_conversation_id (fresh, sd_message_get_conversation_id (message));
          sd_message_set_root_remote_id (fresh, sd_message_get_root_remote_id (message));
          g_ptr_array_add (messages, fresh);
        }
    }
  add_context_statuses (ctx, sd_http_json_array_member (context, "descendants"), message, &me, messages);
  self_clear (&me);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_mastodon_message_action (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            SdMessageAction         action,
                            SdMessage              *message,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  const char *remote_id = sd_message_get_remote_id (message);
  gboolean like = action == SD_MESSAGE_ACTION_LIKE;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SdOutcome outcome;

  if (action != SD_MESSAGE_ACTION_LIKE && action != SD_MESSAGE_ACTION_UNLIKE)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Mastodon does not let anyone hide or delete someone else’s post, even a reply to yours. "
                                     "You can mute or block the account, or report the post, on Mastodon."));
  if (remote_id == NULL || g_str_has_prefix (remote_id, ACTIVITY_PREFIX))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Only posts can be favourited on Mastodon, not notifications."));

  escaped = escape (remote_id);
  path = g_strdup_printf ("/api/v1/statuses/%s/%s", escaped, like ? "favourite" : "unfavourite");
  msg = sd_mastodon_api_message (ctx, "POST", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = sd_mastodon_call (ctx, msg, cancellable, NULL, NULL, status);
  /* Favouriting twice is the same as once: a lost answer can be retried. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY, "%s", status->message != NULL ? status->message : "");
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The post is no longer on Mastodon: it was deleted, or its author limited who may see it."));
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  sd_message_set_is_liked (message, like);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

void
sd_mastodon_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_mastodon_list_inbox_streams;
  iface->fetch_inbox = sd_mastodon_fetch_inbox;
  iface->fetch_conversation = sd_mastodon_fetch_conversation;
  iface->message_action = sd_mastodon_message_action;
}

/* Replies */

const char *
sd_mastodon_reply_in_reply_to_id (const SdPublishContext *ctx)
{
  if (ctx->parent != NULL)
    return ctx->parent->remote_id;
  if (ctx->reply_to != NULL)
    return sd_message_get_remote_id (ctx->reply_to);
  return NULL;
}

/* Visibilities from the narrowest. */
static const char * const visibilities[] = { "direct", "private", "unlisted", "public", NULL };

static int
visibility_rank (const char *visibility)
{
  for (int i = 0; visibilities[i] != NULL; i++)
    if (g_strcmp0 (visibility, visibilities[i]) == 0)
      return i;
  return -1;
}

const char *
sd_mastodon_reply_visibility (const SdPublishContext *ctx)
{
  int rank;

  if (ctx->reply_to == NULL)
    return "public";
  rank = visibility_rank (sd_message_get_audience (ctx->reply_to));
  if (rank < 0 && sd_message_get_kind (ctx->reply_to) == SD_MESSAGE_KIND_DM)
    rank = 0;
  return rank >= 0 ? visibilities[rank] : "public";
}

/* Whether @text mentions @handle ("bob@example.social"): as "@bob@example.social",
 * or as "@bob" when bob is on our own instance. */
static gboolean
text_mentions (const char *text,
               const char *handle,
               const char *our_domain)
{
  g_autofree char *full = g_strdup_printf ("@%s", handle);
  const char *at = strchr (handle, '@');
  g_autofree char *user = at != NULL ? g_strndup (handle, at - handle) : g_strdup (handle);
  g_autofree char *quoted_user = g_regex_escape_string (user, -1);
  g_autofree char *quoted_full = g_regex_escape_string (full, -1);
  gboolean local = at == NULL || g_strcmp0 (at + 1, our_domain) == 0;
  g_autofree char *pattern = NULL;
  g_autoptr(GRegex) regex = NULL;

  /* Not when more of a handle follows: "@bobby", "@bob@elsewhere.example". */
  if (local)
    pattern = g_strdup_printf ("(^|[^\\w@/])(%s|@%s)(?![\\w@.-]*\\w)", quoted_full, quoted_user);
  else
    pattern = g_strdup_printf ("(^|[^\\w@/])%s(?![\\w@.-]*\\w)", quoted_full);
  regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  return regex != NULL && g_regex_match (regex, text, 0, NULL);
}

char *
sd_mastodon_reply_text (const SdPublishContext *ctx,
                        const char             *text)
{
  const char *handle;
  Self me = { 0 };
  char *result;

  if (text == NULL)
    text = "";
  if (ctx->reply_to == NULL || ctx->parent != NULL
      || g_strcmp0 (sd_mastodon_reply_visibility (ctx), "direct") != 0)
    return g_strdup (text);
  handle = sd_message_get_author_handle (ctx->reply_to);
  if (handle == NULL || handle[0] == '\0' || sd_message_get_kind (ctx->reply_to) == SD_MESSAGE_KIND_OWN)
    return g_strdup (text);

  self_init (&me, ctx);
  if (text_mentions (text, handle, me.domain))
    result = g_strdup (text);
  else
    result = g_strdup_printf ("@%s %s", handle, text);
  self_clear (&me);
  return result;
}
