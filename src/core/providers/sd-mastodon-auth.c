/* sd-mastodon-auth.c — signing in to a Mastodon server: app registration and the OAuth code flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-mastodon"

#include "config.h"

#include "sd-mastodon-auth.h"

#include <glib/gi18n-lib.h>

#include "sd-http.h"

#define APP_NAME    "SocialDesk"
#define APP_SCOPES  "read write"
/* The homepage given in the metainfo. */
#define APP_WEBSITE "https://example.com/socialdesk"

/* Sends @msg and reads a JSON object back; on an HTTP error the message
 * quotes the server's error (and error_description, as OAuth answers carry). */
static SdOutcome
send_for_object (SoupSession      *session,
                 SoupMessage      *msg,
                 GCancellable     *cancellable,
                 JsonNode        **root_out,
                 SdProviderStatus *status)
{
  g_autoptr(GBytes) body = sd_http_send (session, msg, cancellable, status);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  SdOutcome outcome;

  if (body == NULL)
    return status->outcome;

  outcome = sd_http_classify (msg, status);
  root = sd_http_parse_json (body, NULL);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));

  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *words = g_strdup (sd_http_json_string (object, "error_description"));

      if (words == NULL)
        words = g_strdup (sd_http_json_string (object, "error"));
      if (words == NULL)
        words = g_strdup (status->message);
      /* At sign-in a refusal is final: the person starts again. */
      if (outcome == SD_OUTCOME_FAILED || outcome == SD_OUTCOME_AUTH)
        return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                       _("The server refused the sign-in: “%s”."), words);
      return outcome;
    }
  if (object == NULL)
    {
      /* A lost registration or token only costs a new attempt. */
      return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                     _("The server’s answer to %s could not be read."),
                                     g_uri_get_path (soup_message_get_uri (msg)));
    }
  *root_out = g_steal_pointer (&root);
  return SD_OUTCOME_DONE;
}

static SoupMessage *
form_message (const char        *server_url,
              const char        *path,
              GHashTable        *form,
              SdProviderStatus  *status)
{
  g_autofree char *url = g_strconcat (server_url != NULL ? server_url : "", path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  char *encoded;

  if (uri == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              _("“%s” is not a Mastodon server address SocialDesk can use."),
                              server_url != NULL ? server_url : "");
      return NULL;
    }
  encoded = soup_form_encode_hash (form);
  return soup_message_new_from_encoded_form ("POST", url, encoded);
}

SdOutcome
sd_mastodon_register_app (SoupSession       *session,
                          const char        *server_url,
                          const char        *redirect_uri,
                          char             **client_id,
                          char             **client_secret,
                          GCancellable      *cancellable,
                          SdProviderStatus  *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *id;
  const char *secret;
  SdOutcome outcome;

  g_hash_table_insert (form, "client_name", APP_NAME);
  g_hash_table_insert (form, "redirect_uris", (char *) redirect_uri);
  g_hash_table_insert (form, "scopes", APP_SCOPES);
  g_hash_table_insert (form, "website", APP_WEBSITE);
  msg = form_message (server_url, "/api/v1/apps", form, status);
  if (msg == NULL)
    return status->outcome;

  outcome = send_for_object (session, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  object = json_node_get_object (root);
  id = sd_http_json_string (object, "client_id");
  secret = sd_http_json_string (object, "client_secret");
  if (id == NULL || secret == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The server did not register SocialDesk (no client id in its answer)."));
  *client_id = g_strdup (id);
  *client_secret = g_strdup (secret);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static void
append_param (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);

  g_string_append_printf (url, "&%s=%s", name, escaped);
}

char *
sd_mastodon_authorize_url (const char *server_url,
                           const char *client_id,
                           const char *redirect_uri,
                           const char *code_challenge,
                           const char *state)
{
  GString *url = g_string_new (server_url);

  g_string_append (url, "/oauth/authorize?response_type=code");
  append_param (url, "client_id", client_id);
  append_param (url, "redirect_uri", redirect_uri);
  g_string_append (url, "&scope=read+write");
  append_param (url, "code_challenge", code_challenge);
  g_string_append (url, "&code_challenge_method=S256");
  append_param (url, "state", state);
  return g_string_free (url, FALSE);
}

SdOutcome
sd_mastodon_exchange_code (SoupSession       *session,
                           const char        *server_url,
                           const char        *client_id,
                           const char        *client_secret,
                           const char        *redirect_uri,
                           const char        *code,
                           const char        *code_verifier,
                           SdCredentials    **out,
                           GCancellable      *cancellable,
                           SdProviderStatus  *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  JsonObject *object;
  const char *token;
  JsonNode *expires_in;
  SdOutcome outcome;

  g_hash_table_insert (form, "grant_type", "authorization_code");
  g_hash_table_insert (form, "code", (char *) code);
  g_hash_table_insert (form, "client_id", (char *) client_id);
  g_hash_table_insert (form, "client_secret", (char *) client_secret);
  g_hash_table_insert (form, "redirect_uri", (char *) redirect_uri);
  g_hash_table_insert (form, "code_verifier", (char *) code_verifier);
  g_hash_table_insert (form, "scope", APP_SCOPES);
  msg = form_message (server_url, "/oauth/token", form, status);
  if (msg == NULL)
    return status->outcome;

  outcome = send_for_object (session, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  object = json_node_get_object (root);
  token = sd_http_json_string (object, "access_token");
  if (token == NULL || token[0] == '\0')
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The server’s answer held no access token."));

  credentials = sd_credentials_new ();
  credentials->access_token = g_strdup (token);
  credentials->refresh_token = g_strdup (sd_http_json_string (object, "refresh_token"));
  credentials->client_id = g_strdup (client_id);
  credentials->client_secret = g_strdup (client_secret);
  expires_in = json_object_get_member (object, "expires_in");
  if (expires_in != NULL && json_node_get_value_type (expires_in) == G_TYPE_INT64
      && json_node_get_int (expires_in) > 0)
    credentials->expires_at = g_get_real_time () / G_USEC_PER_SEC + json_node_get_int (expires_in);
  credentials->changed = TRUE;
  *out = g_steal_pointer (&credentials);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}
