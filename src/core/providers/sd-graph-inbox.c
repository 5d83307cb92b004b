/* sd-graph-inbox.c — the inbox steps Facebook Pages and Instagram share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-graph"

#include "config.h"

#include "sd-graph-inbox.h"

#include <glib/gi18n-lib.h>

#include "sd-http.h"

/* How far before the first attempt a lost answer may have been dated (clocks differ). */
#define FIND_CLOCK_SLACK 120

const char *
sd_graph_token_of (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

const char *
sd_graph_own_id (const SdPublishContext *ctx)
{
  const char *id = sd_account_get_remote_id (ctx->account);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

char *
sd_graph_id_path (const char *id,
                  const char *rest)
{
  g_autofree char *escaped = g_uri_escape_string (id != NULL ? id : "", NULL, FALSE);

  return g_strconcat ("/", escaped, rest != NULL ? rest : "", NULL);
}

SoupMessage *
sd_graph_get (SdPlatform              platform,
              const SdPublishContext *ctx,
              const char             *path,
              const char             *query)
{
  return sd_graph_message (platform, "GET", path, TRUE, query, sd_graph_token_of (ctx));
}

gboolean
sd_graph_is_gone (SdOutcome         outcome,
                  SdProviderStatus *status,
                  JsonNode         *root)
{
  JsonObject *error = sd_http_json_object_member (sd_http_json_node_object (root), "error");

  return outcome == SD_OUTCOME_FAILED
         && (status->http_status == 404
             || (sd_graph_member_int (error, "code") == 100 && sd_graph_member_int (error, "error_subcode") == 33));
}

gint64
sd_graph_cursor_time (const char *cursor)
{
  return cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
}

gboolean
sd_graph_is_dm (const SdGraphInbox *inbox,
                SdMessage          *message)
{
  return sd_message_get_kind (message) == SD_MESSAGE_KIND_DM
         || g_strcmp0 (sd_message_get_stream (message), inbox->messages_stream) == 0;
}

const char *
sd_graph_reply_target (SdMessage *message)
{
  const char *parent = sd_message_get_parent_remote_id (message);
  const char *root = sd_message_get_root_remote_id (message);

  if (parent != NULL && root != NULL && g_strcmp0 (parent, root) != 0)
    return parent;
  return sd_message_get_remote_id (message);
}

/* Comments */

/* The first page of a sweep: every listed item's first page of comments. */
static SdOutcome
sweep_start (const SdGraphInbox     *inbox,
             const SdPublishContext *ctx,
             const char             *list_path,
             const char             *list_query,
             SdGraphReadComments     read_comments,
             gint64                  since,
             SdInboxPage            *page,
             gint64                 *newest,
             GPtrArray              *pending,
             GCancellable           *cancellable,
             SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = sd_graph_get (inbox->platform, ctx, list_path, list_query);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (inbox, status, outcome, root);
  items = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (items == NULL)
    return sd_graph_inbox_unreadable (inbox, msg, status);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *item_id = sd_http_json_string (json_array_get_object_element (items, i), "id");

      if (item_id == NULL)
        continue;
      outcome = read_comments (ctx, item_id, NULL, since, page, newest, pending, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }
  if (*newest > 0)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, *newest);
  return SD_OUTCOME_DONE;
}

SdOutcome
sd_graph_sweep_comments (const SdGraphInbox     *inbox,
                         const SdPublishContext *ctx,
                         const char             *list_path,
                         const char             *list_query,
                         SdGraphReadComments     read_comments,
                         const char             *cursor,
                         const char             *page_token,
                         SdInboxPage            *page,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  gint64 since = sd_graph_cursor_time (cursor);
  gint64 newest = 0;
  SdOutcome outcome;

  if (page_token == NULL)
    {
      outcome = sweep_start (inbox, ctx, list_path, list_query, read_comments, since, page, &newest, pending,
                             cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
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

SdOutcome
sd_graph_take_conversations (const SdGraphInbox     *inbox,
                             const SdPublishContext *ctx,
                             SoupMessage            *msg,
                             JsonNode               *root,
                             const char             *cursor,
                             const char             *page_token,
                             SdInboxPage            *page,
                             SdProviderStatus       *status)
{
  JsonArray *data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  gint64 since = sd_graph_cursor_time (cursor);
  gint64 newest = 0;
  gboolean older_seen = FALSE;
  const char *next;

  if (data == NULL)
    return sd_graph_inbox_unreadable (inbox, msg, status);
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
      sd_graph_read_conversation (conversation, ctx->account, sd_graph_own_id (ctx), inbox->messages_stream, since,
                                  page->messages, &newest);
    }
  if (page_token == NULL && newest > 0)
    page->new_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, newest);
  next = sd_graph_next_after (sd_http_json_node_object (root));
  if (since > 0 && !older_seen && next != NULL)
    page->next_page = g_strdup (next);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_graph_fetch_dm_conversation (const SdGraphInbox     *inbox,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  g_autofree char *path = sd_graph_id_path (sd_message_get_conversation_id (message), NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,messages{id,message,from,created_time}", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_get (inbox->platform, ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  gint64 newest = 0;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (inbox, status, outcome, root);
  sd_graph_read_conversation (sd_http_json_node_object (root), ctx->account, sd_graph_own_id (ctx),
                              inbox->messages_stream, 0, messages, &newest);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Replies */

SdOutcome
sd_graph_post_reply (const SdGraphInbox     *inbox,
                     const SdPublishContext *ctx,
                     const char             *path,
                     SdPublishPart          *part,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *id;
  SdOutcome outcome;

  g_hash_table_insert (form, g_strdup ("message"), g_strdup (part->text));
  msg = sd_graph_form (inbox->platform, path, form, sd_graph_token_of (ctx));
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (inbox, status, outcome, root);
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN, "%s", _(inbox->reply_unreadable));
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_clear_pointer (&part->remote_url, g_free);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_graph_find_reply (const SdGraphInbox     *inbox,
                     const SdPublishContext *ctx,
                     const char             *path,
                     const char             *query,
                     SdGraphMatchReply       match,
                     SdPublishPart          *part,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autofree char *wanted = sd_graph_comparable_text (part->text);
  g_autoptr(SoupMessage) msg = sd_graph_get (inbox->platform, ctx, path, query);
  g_autoptr(JsonNode) root = NULL;
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  JsonArray *data;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH)
    return sd_graph_inbox_refused (inbox, status, outcome, root);
  if (outcome != SD_OUTCOME_DONE)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not look at the comment’s replies to see whether the answer went out."));
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    if (match (ctx, json_array_get_object_element (data, i), wanted, since, part))
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The answer is not under the comment: it can be sent again."));
}

/* Actions */

SdOutcome
sd_graph_send_action (const SdGraphInbox     *inbox,
                      const SdPublishContext *ctx,
                      SdMessageAction         action,
                      SoupMessage            *msg,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (action == SD_MESSAGE_ACTION_DELETE && sd_graph_is_gone (outcome, status, root))
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  /* Each action may be sent twice without harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    {
      status->outcome = SD_OUTCOME_RETRY;
      return SD_OUTCOME_RETRY;
    }
  if (outcome != SD_OUTCOME_DONE)
    return sd_graph_inbox_refused (inbox, status, outcome, root);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_graph_inbox_refused (const SdGraphInbox *inbox,
                        SdProviderStatus   *status,
                        SdOutcome           outcome,
                        JsonNode           *root)
{
  g_autofree char *words = sd_graph_error_message (root);
  const char *network = sd_platform_get_info (inbox->platform)->display_name;

  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    /* Translators: the first %s is the network (Facebook, Instagram), the second its own words. */
    sd_provider_status_set (status, outcome, _("%s refused the request: “%s”."), network, words);
  else if (outcome == SD_OUTCOME_AUTH && words != NULL)
    /* Translators: the first %s is the network (Facebook, Instagram), the second its own words. */
    sd_provider_status_set (status, outcome, _("%s no longer accepts this sign-in: “%s”."), network, words);
  return outcome;
}

SdOutcome
sd_graph_inbox_unreadable (const SdGraphInbox *inbox,
                           SoupMessage        *msg,
                           SdProviderStatus   *status)
{
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 /* Translators: the first %s is the network (Facebook, Instagram), the second an address path. */
                                 _("%s’s answer to %s could not be read."),
                                 sd_platform_get_info (inbox->platform)->display_name,
                                 g_uri_get_path (soup_message_get_uri (msg)));
}
