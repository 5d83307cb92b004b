/* sd-graph.c — what Meta's Graph APIs share: error objects and usage headers
 *
 * Error codes: developers.facebook.com/docs/graph-api/guides/error-handling
 * (190 invalid token; 4, 17, 32, 613 and 80001–80009 rate limits; 1, 2
 * transient). Usage headers: developers.facebook.com/docs/graph-api/overview/
 * rate-limiting (X-App-Usage, X-Business-Use-Case-Usage).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-graph"

#include "config.h"

#include "sd-graph.h"

#include <glib/gi18n-lib.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"

#include <string.h>

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
    default:
      return 0;
    }
}

/* One usage object ({"call_count": 28, "total_time": 25, ...}): the wait it asks for. */
static gint64
usage_object_wait (JsonObject *usage)
{
  static const char * const figures[] = { "call_count", "total_time", "total_cputime",
                                          "acc_id_util_pct" };
  gint64 regain = member_int (usage, "estimated_time_to_regain_access");
  gboolean spent = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    if (member_int (usage, figures[i]) >= SD_GRAPH_USAGE_PAUSE)
      spent = TRUE;
  if (regain > 0)
    return regain * 60;
  return spent ? 3600 : 0;
}

static gint64
header_wait (SoupMessage *msg,
             const char  *name)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
  g_autoptr(JsonNode) root = NULL;
  gint64 wait = 0;

  if (value == NULL || (root = json_from_string (value, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  {
    JsonObject *object = json_node_get_object (root);
    g_autoptr(GList) members = json_object_get_members (object);
    gboolean nested = FALSE;

    /* X-Business-Use-Case-Usage: {"<id>": [{...}, ...]}; X-App-Usage: {...}. */
    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *node = json_object_get_member (object, l->data);

        if (JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *array = json_node_get_array (node);

            nested = TRUE;
            for (guint i = 0; i < json_array_get_length (array); i++)
              if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
                wait = MAX (wait, usage_object_wait (json_array_get_object_element (array, i)));
          }
      }
    if (!nested)
      wait = usage_object_wait (object);
  }
  return wait;
}

gint64
sd_graph_usage_wait (SoupMessage *msg)
{
  gint64 wait = header_wait (msg, "X-App-Usage");

  wait = MAX (wait, header_wait (msg, "X-Business-Use-Case-Usage"));
  wait = MAX (wait, header_wait (msg, "X-Ad-Account-Usage"));
  return wait;
}

static JsonObject *
error_object (JsonNode *body)
{
  JsonNode *error;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;
  error = json_object_get_member (json_node_get_object (body), "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;
  return json_node_get_object (error);
}

char *
sd_graph_error_message (JsonNode *body)
{
  JsonObject *error = error_object (body);
  const char *words;

  if (error == NULL)
    return NULL;
  if ((words = sd_http_json_string (error, "error_user_msg")) != NULL && *words != '\0')
    return g_strdup (words);
  if ((words = sd_http_json_string (error, "message")) != NULL && *words != '\0')
    return g_strdup (words);
  return NULL;
}

static gboolean
is_rate_limit_code (gint64 code)
{
  return code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80001 && code <= 80009);
}

SdOutcome
sd_graph_classify (SoupMessage      *msg,
                   JsonNode         *body,
                   SdProviderStatus *status)
{
  SdOutcome outcome = sd_http_classify (msg, status);
  JsonObject *error = error_object (body);
  g_autofree char *words = sd_graph_error_message (body);
  gint64 wait = sd_graph_usage_wait (msg);
  gint64 code, subcode;
  JsonNode *transient;

  status->retry_after = MAX (status->retry_after, wait);
  if (outcome == SD_OUTCOME_DONE && error == NULL)
    return outcome;
  if (error == NULL)
    return outcome;

  code = member_int (error, "code");
  subcode = member_int (error, "error_subcode");
  transient = json_object_get_member (error, "is_transient");
  g_debug ("Graph error %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ": %s", code, subcode,
           words != NULL ? words : "");

  if (code == 190 || code == 102 || subcode == 463 || subcode == 467)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   /* Translators: %s is Meta's own words. */
                                   _("Meta no longer accepts this account’s sign-in: %s"),
                                   words != NULL ? words : "");
  if (is_rate_limit_code (code))
    {
      if (status->retry_after <= 0)
        status->retry_after = 3600;
      return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                     /* Translators: %s is Meta's own words. */
                                     _("Meta asked SocialDesk to slow down: %s"),
                                     words != NULL ? words : "");
    }
  if ((transient != NULL && JSON_NODE_HOLDS_VALUE (transient)
       && json_node_get_value_type (transient) == G_TYPE_BOOLEAN && json_node_get_boolean (transient))
      || code == 1 || code == 2)
    return sd_provider_status_set (status, outcome == SD_OUTCOME_UNCERTAIN ? SD_OUTCOME_UNCERTAIN
                                                                           : SD_OUTCOME_RETRY,
                                   /* Translators: %s is Meta's own words. */
                                   _("Meta had a temporary problem: %s"), words != NULL ? words : "");
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is Meta's own words. */
                                 _("Meta refused the request: %s"), words != NULL ? words : "");
}

SoupMessage *
sd_graph_message (SdPlatform  platform,
                  const char *method,
                  const char *path,
                  gboolean    versioned,
                  const char *query,
                  const char *token)
{
  g_autofree char *base = versioned ? sd_network_api_url (platform, path) : sd_network_origin_url (platform, path);
  g_autofree char *url = query != NULL ? g_strconcat (base, "?", query, NULL) : g_strdup (base);
  SoupMessage *msg = soup_message_new (method, url);

  g_return_val_if_fail (msg != NULL, NULL);
  if (token != NULL)
    sd_http_set_bearer (msg, token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

SoupMessage *
sd_graph_form (SdPlatform  platform,
               const char *path,
               GHashTable *fields,
               const char *token)
{
  g_autofree char *url = sd_network_api_url (platform, path);
  SoupMessage *msg = soup_message_new_from_encoded_form ("POST", url, soup_form_encode_hash (fields));

  g_return_val_if_fail (msg != NULL, NULL);
  sd_http_set_bearer (msg, token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

/* The inbox */

SdOutcome
sd_graph_call (const SdPublishContext *ctx,
               SoupMessage            *msg,
               GCancellable           *cancellable,
               JsonNode              **out,
               SdProviderStatus       *status)
{
  gint64 waited = status->retry_after;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  body = sd_http_send (ctx->session != NULL ? ctx->session : sd_http_get_session (), msg, cancellable, status);
  if (body == NULL)
    {
      status->retry_after = MAX (status->retry_after, waited);
      return status->outcome;
    }
  /* One comment with broken UTF-8 must not make the whole page unreadable. */
  if (!g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    {
      char *valid = g_utf8_make_valid (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      g_bytes_unref (body);
      body = g_bytes_new_take (valid, strlen (valid));
    }
  root = sd_http_parse_json (body, NULL);
  outcome = sd_graph_classify (msg, root, status);
  status->retry_after = MAX (status->retry_after, waited);
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));
  if (out != NULL)
    *out = g_steal_pointer (&root);
  return outcome;
}

SdOutcome
sd_graph_fetch_outcome (SdOutcome         outcome,
                        SdInboxPage      *page,
                        SdProviderStatus *status)
{
  gint64 wait = status->retry_after;

  if (outcome != SD_OUTCOME_DONE || wait <= 0)
    return outcome;
  g_ptr_array_set_size (page->messages, 0);
  g_clear_pointer (&page->next_page, g_free);
  g_clear_pointer (&page->new_cursor, g_free);
  sd_provider_status_set (status, SD_OUTCOME_RETRY,
                          _("Meta says SocialDesk has used up its allowance of calls for now: it fetches again later."));
  status->retry_after = wait;
  return SD_OUTCOME_RETRY;
}

gint64
sd_graph_error_code (JsonNode *body)
{
  return member_int (error_object (body), "code");
}

gint64
sd_graph_member_int (JsonObject *object,
                     const char *member)
{
  return member_int (object, member);
}

gboolean
sd_graph_member_true (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

gint64
sd_graph_parse_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

const char *
sd_graph_next_after (JsonObject *answer)
{
  JsonObject *paging = sd_http_json_object_member (answer, "paging");

  if (sd_http_json_string (paging, "next") == NULL)
    return NULL;
  return sd_http_json_string (sd_http_json_object_member (paging, "cursors"), "after");
}

void
sd_graph_set_text (SdMessage  *message,
                   const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (strlen (valid) > SD_GRAPH_MAX_TEXT)
    {
      char *end = g_utf8_find_prev_char (valid, valid + SD_GRAPH_MAX_TEXT + 1);

      *end = '\0';
    }
  sd_message_set_text (message, valid);
}

char *
sd_graph_comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

char *
sd_graph_sweep_token (GPtrArray *pending)
{
  GString *token;

  if (pending == NULL || pending->len == 0)
    return NULL;
  token = g_string_new (NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      if (i > 0)
        g_string_append_c (token, '\n');
      g_string_append (token, g_ptr_array_index (pending, i));
    }
  return g_string_free (token, FALSE);
}

GPtrArray *
sd_graph_sweep_parse (const char *token)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (token != NULL ? token : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strchr (lines[i], '\t') != NULL && lines[i][0] != '\t')
      g_ptr_array_add (pending, g_strdup (lines[i]));
  return pending;
}

/* The person's side of the conversation: the newest time they wrote (0: never). */
static gint64
last_from_person (JsonArray  *data,
                  const char *own_id)
{
  gint64 last = 0;

  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *item = json_array_get_object_element (data, i);
      JsonObject *from = sd_http_json_object_member (item, "from");

      if (from != NULL && g_strcmp0 (sd_http_json_string (from, "id"), own_id) != 0)
        last = MAX (last, sd_graph_parse_time (sd_http_json_string (item, "created_time")));
    }
  return last;
}

void
sd_graph_read_conversation (JsonObject *conversation,
                            SdAccount  *account,
                            const char *own_id,
                            const char *stream,
                            gint64      since,
                            GPtrArray  *out,
                            gint64     *newest)
{
  const char *conversation_id = sd_http_json_string (conversation, "id");
  JsonArray *data = sd_http_json_array_member (sd_http_json_object_member (conversation, "messages"), "data");
  gint64 person_last = last_from_person (data, own_id);

  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *item = json_array_get_object_element (data, i);
      JsonObject *from = sd_http_json_object_member (item, "from");
      const char *id = sd_http_json_string (item, "id");
      gint64 created = sd_graph_parse_time (sd_http_json_string (item, "created_time"));
      gboolean own = g_strcmp0 (sd_http_json_string (from, "id"), own_id) == 0;
      SdMessage *message;

      if (id == NULL || created == 0 || (since > 0 && created < since))
        continue;
      message = sd_message_new ();
      sd_message_set_account_id (message, sd_account_get_id (account));
      sd_message_set_platform (message, sd_account_get_platform (account));
      sd_message_set_stream (message, stream);
      sd_message_set_kind (message, own ? SD_MESSAGE_KIND_OWN : SD_MESSAGE_KIND_DM);
      sd_message_set_remote_id (message, id);
      sd_message_set_conversation_id (message, conversation_id);
      sd_message_set_author_remote_id (message, sd_http_json_string (from, "id"));
      sd_message_set_author_handle (message, sd_http_json_string (from, "username"));
      sd_message_set_author_name (message, sd_http_json_string (from, "name"));
      sd_graph_set_text (message, sd_http_json_string (item, "message"));
      sd_message_set_sent_at (message, created);
      sd_message_set_audience (message, "direct");
      if (!own)
        {
          sd_message_set_reply_until (message, person_last + SD_GRAPH_DM_WINDOW);
          sd_message_set_caps (message, SD_MESSAGE_CAN_REPLY);
        }
      g_ptr_array_add (out, message);
      *newest = MAX (*newest, created);
    }
}

/* "3 hours", "2 days", "5 minutes" (translated). */
static char *
describe_duration (gint64 seconds)
{
  if (seconds >= 2 * 24 * 3600)
    /* Translators: %d is a number of days, in “that window closed %s ago”. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) (seconds / 86400)),
                            (int) (seconds / 86400));
  if (seconds >= 3600)
    /* Translators: %d is a number of hours, in “that window closed %s ago”. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) (seconds / 3600)),
                            (int) (seconds / 3600));
  seconds = MAX (seconds / 60, 1);
  /* Translators: %d is a number of minutes, in “that window closed %s ago”. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) seconds), (int) seconds);
}

SdOutcome
sd_graph_check_dm_window (SdMessage        *message,
                          const char       *network,
                          SdProviderStatus *status)
{
  gint64 until = sd_message_get_reply_until (message);
  gint64 now = sd_time_now ();
  g_autofree char *ago = NULL;

  if (sd_message_get_kind (message) != SD_MESSAGE_KIND_DM || sd_message_get_author_remote_id (message) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is a network's name. */
                                   _("On %s, answer a message of the person’s: SocialDesk does not know whom this one would go to."),
                                   network);
  if (until <= 0 || now <= until)
    return SD_OUTCOME_DONE;
  ago = describe_duration (now - until);
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: the first %s is a network's name, the second a duration ("3 hours"). */
                                 _("%s accepts an answer only within 24 hours of the person’s last message: "
                                   "that window closed %s ago."),
                                 network, ago);
}

SdOutcome
sd_graph_send_dm (const SdPublishContext *ctx,
                  const char             *path,
                  gboolean                response_type,
                  SdPublishPart          *part,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *message_id;
  SdOutcome outcome;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "recipient");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sd_message_get_author_remote_id (ctx->reply_to));
  json_builder_end_object (builder);
  if (response_type)
    {
      json_builder_set_member_name (builder, "messaging_type");
      json_builder_add_string_value (builder, "RESPONSE");
    }
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, part->text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = sd_graph_message (sd_account_get_platform (ctx->account), "POST", path, TRUE, NULL,
                          ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  sd_http_set_json_body (msg, body);
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  message_id = sd_http_json_string (sd_http_json_node_object (root), "message_id");
  if (message_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("The answer to the message could not be read: it may have been sent."));
  g_free (part->remote_id);
  part->remote_id = g_strdup (message_id);
  g_clear_pointer (&part->remote_url, g_free);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_graph_find_dm (const SdPublishContext *ctx,
                  const char             *own_id,
                  SdPublishPart          *part,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  const char *conversation_id = sd_message_get_conversation_id (ctx->reply_to);
  g_autofree char *escaped = g_uri_escape_string (conversation_id != NULL ? conversation_id : "", NULL, FALSE);
  g_autofree char *path = g_strconcat ("/", escaped, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,messages{id,message,from,created_time}", NULL);
  g_autofree char *wanted = sd_graph_comparable_text (part->text);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - 120 : 0;
  JsonArray *data;
  SdOutcome outcome;

  if (conversation_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("SocialDesk does not know the conversation to look in."));
  msg = sd_graph_message (sd_account_get_platform (ctx->account), "GET", path, TRUE, query,
                          ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  outcome = sd_graph_call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("Could not look at the conversation to see whether the answer went out."));
  data = sd_http_json_array_member (sd_http_json_object_member (sd_http_json_node_object (root), "messages"), "data");
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *item = json_array_get_object_element (data, i);
      g_autofree char *text = sd_graph_comparable_text (sd_http_json_string (item, "message"));

      if (g_strcmp0 (sd_http_json_string (sd_http_json_object_member (item, "from"), "id"), own_id) == 0
          && g_strcmp0 (text, wanted) == 0
          && sd_graph_parse_time (sd_http_json_string (item, "created_time")) >= since)
        {
          g_free (part->remote_id);
          part->remote_id = g_strdup (sd_http_json_string (item, "id"));
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("The answer is not in the conversation: it can be sent again."));
}
