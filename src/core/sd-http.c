/* sd-http.c — the process's one SoupSession and what every provider needs around it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-http"

#include "config.h"

#include "sd-http.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "sd-time.h"

#define DEFAULT_TIMEOUT_SECONDS 60

SoupSession *
sd_http_get_session (void)
{
  static SoupSession *session;

  if (g_once_init_enter (&session))
    {
      const char *timeout = g_getenv ("SOCIALDESK_HTTP_TIMEOUT");
      guint seconds = timeout != NULL ? (guint) atoi (timeout) : DEFAULT_TIMEOUT_SECONDS;
      g_autofree char *agent = g_strdup_printf ("SocialDesk/%s ", PACKAGE_VERSION);

      g_once_init_leave (&session, soup_session_new_with_options ("timeout", seconds,
                                                                  "user-agent", agent,
                                                                  NULL));
    }
  return session;
}

static void
on_wrote_body (SoupMessage *msg,
               gboolean    *wrote)
{
  *wrote = TRUE;
}

static gboolean
method_writes (SoupMessage *msg)
{
  const char *method = soup_message_get_method (msg);

  return g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0;
}

GBytes *
sd_http_send (SoupSession      *session,
              SoupMessage      *msg,
              GCancellable     *cancellable,
              SdProviderStatus *status)
{
  g_autoptr(GError) error = NULL;
  gboolean wrote = FALSE;
  gulong handler;
  GBytes *body;

  handler = g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), &wrote);
  body = soup_session_send_and_read (session, msg, cancellable, &error);
  g_signal_handler_disconnect (msg, handler);

  if (body != NULL)
    return body;

  status->http_status = 0;
  if (wrote && method_writes (msg))
    sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                            _("The connection to %s broke after the request was sent (%s)."),
                            g_uri_get_host (soup_message_get_uri (msg)), error->message);
  else
    sd_provider_status_set (status, SD_OUTCOME_RETRY,
                            _("Could not reach %s (%s)."),
                            g_uri_get_host (soup_message_get_uri (msg)), error->message);
  g_debug ("%s %s: %s (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), error->message,
           sd_outcome_to_string (status->outcome));
  return NULL;
}

static gint64
parse_reset (const char *value,
             gint64      now)
{
  g_autoptr(GDateTime) when = NULL;
  char *end = NULL;
  gint64 number;

  if (value == NULL)
    return 0;

  number = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0')
    return number > 1000000000 ? MAX (number - now, 0) : MAX (number, 0);

  when = g_date_time_new_from_iso8601 (value, NULL);
  if (when == NULL)
    when = soup_date_time_new_from_http_string (value);
  if (when != NULL)
    return MAX (g_date_time_to_unix (when) - now, 0);

  return 0;
}

gint64
sd_http_retry_after (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  gint64 now = sd_time_now ();
  const char *value;

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value != NULL)
    return parse_reset (value, now);

  value = soup_message_headers_get_one (headers, "RateLimit-Remaining");
  if (value != NULL && g_ascii_strtoll (value, NULL, 10) <= 0)
    return parse_reset (soup_message_headers_get_one (headers, "RateLimit-Reset"), now);

  value = soup_message_headers_get_one (headers, "X-RateLimit-Remaining");
  if (value != NULL && g_ascii_strtoll (value, NULL, 10) <= 0)
    return parse_reset (soup_message_headers_get_one (headers, "X-RateLimit-Reset"), now);

  return 0;
}

SdOutcome
sd_http_classify (SoupMessage      *msg,
                  SdProviderStatus *status)
{
  guint code = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);

  status->http_status = code;
  status->retry_after = sd_http_retry_after (msg);

  if (code >= 200 && code < 300)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  if (code == 429)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The network asked SocialDesk to slow down (too many requests)."));
  if (code == 408 || code == 425)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The server did not take the request in time (HTTP %u)."), code);
  if (code >= 500 && code != 501)
    return sd_provider_status_set (status,
                                   method_writes (msg) ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                   _("The server had a problem (HTTP %u %s)."), code,
                                   reason != NULL ? reason : "");
  if (code == 401)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("The network no longer accepts this account’s sign-in."));
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 _("The network refused the request (HTTP %u %s)."), code,
                                 reason != NULL ? reason : "");
}

JsonNode *
sd_http_parse_json (GBytes  *body,
                    GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (data == NULL || size == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("The server sent an empty answer."));
      return NULL;
    }
  /* A server may pass on bytes that are not UTF-8 (a remote post's text):
   * read them as U+FFFD rather than losing the whole answer. */
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (data, (gssize) size);

      if (!json_parser_load_from_data (parser, valid, -1, error))
        return NULL;
      return json_parser_steal_root (parser);
    }
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return NULL;

  return json_parser_steal_root (parser);
}

const char *
sd_http_json_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, member)))
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
sd_http_set_json_body (SoupMessage *msg,
                       JsonNode    *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize length = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

  /* The message takes its own reference. */
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

void
sd_http_set_bearer (SoupMessage *msg,
                    const char  *token)
{
  g_autofree char *value = g_strconcat ("Bearer ", token != NULL ? token : "", NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
}

char *
sd_http_normalize_server (const char  *text,
                          GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type the server’s address, for example mastodon.social."));
      return NULL;
    }

  with_scheme = strstr (trimmed, "://") != NULL ? g_strdup (trimmed)
                                                 : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address SocialDesk understands."), trimmed);
      return NULL;
    }

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d", scheme, g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s", scheme, g_uri_get_host (uri));
}

JsonObject *
sd_http_json_node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
sd_http_json_object_member (JsonObject *object,
                            const char *member)
{
  return sd_http_json_node_object (object != NULL ? json_object_get_member (object, member) : NULL);
}

JsonArray *
sd_http_json_array_member (JsonObject *object,
                           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
