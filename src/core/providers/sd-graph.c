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
