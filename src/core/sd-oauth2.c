/* sd-oauth2.c — the OAuth 2.0 ends the networks of sd-network share
 *
 * RFC 6749 §4.1 (code), §6 (refresh), RFC 7636 (PKCE). Where the networks
 * differ (TikTok's client_key and hex challenge, X's public clients, Meta's
 * error objects, Instagram's "data" wrapper) the differences are in
 * sd-network's table or read from the answer, not in branches per network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-oauth2"

#include "config.h"

#include "sd-oauth2.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth.h"
#include "sd-time.h"

static char *
code_challenge (const SdNetworkInfo *info,
                const char          *verifier)
{
  if (info->challenge_hex)
    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, verifier, -1);
  return sd_oauth_code_challenge_s256 (verifier);
}

char *
sd_oauth2_authorize_url (SdPlatform  platform,
                         const char *client_id,
                         const char *redirect_uri,
                         const char *code_verifier,
                         const char *state)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *endpoint = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_return_val_if_fail (info != NULL && client_id != NULL && redirect_uri != NULL, NULL);
  g_return_val_if_fail (code_verifier != NULL && state != NULL, NULL);

  endpoint = sd_network_authorize_endpoint (platform);
  challenge = code_challenge (info, code_verifier);
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, (char *) info->client_id_param, (char *) client_id);
  g_hash_table_insert (params, "response_type", "code");
  g_hash_table_insert (params, "redirect_uri", (char *) redirect_uri);
  g_hash_table_insert (params, "scope", (char *) info->scopes);
  g_hash_table_insert (params, "state", (char *) state);
  g_hash_table_insert (params, "code_challenge", challenge);
  g_hash_table_insert (params, "code_challenge_method", "S256");
  query = soup_form_encode_hash (params);
  if (info->extra_authorize != NULL)
    return g_strconcat (endpoint, "?", query, "&", info->extra_authorize, NULL);
  return g_strconcat (endpoint, "?", query, NULL);
}

static gint64
read_int (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

static void
replace_secret (char       **slot,
                const char  *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (*slot != NULL)
    explicit_bzero (*slot, strlen (*slot));
  g_free (*slot);
  *slot = g_strdup (value);
}

void
sd_oauth2_read_tokens (JsonObject    *answer,
                       SdCredentials *credentials)
{
  gint64 now = sd_time_now ();
  gint64 expires_in, refresh_expires_in;

  replace_secret (&credentials->access_token, sd_http_json_string (answer, "access_token"));
  replace_secret (&credentials->refresh_token, sd_http_json_string (answer, "refresh_token"));

  if (json_object_has_member (answer, "access_token"))
    {
      expires_in = read_int (answer, "expires_in");
      credentials->expires_at = expires_in > 0 ? now + expires_in : 0;
    }
  refresh_expires_in = read_int (answer, "refresh_expires_in");
  if (refresh_expires_in <= 0)
    refresh_expires_in = read_int (answer, "refresh_token_expires_in");
  if (refresh_expires_in > 0)
    credentials->refresh_expires_at = now + refresh_expires_in;
}

char *
sd_oauth2_error_message (JsonNode *answer)
{
  JsonObject *object;
  JsonNode *error;
  const char *words;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  object = json_node_get_object (answer);
  if ((words = sd_http_json_string (object, "error_description")) != NULL
      || (words = sd_http_json_string (object, "error_message")) != NULL
      || (words = sd_http_json_string (object, "message")) != NULL)
    return g_strdup (words);
  error = json_object_get_member (object, "error");
  if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
    {
      JsonObject *inner = json_node_get_object (error);

      if ((words = sd_http_json_string (inner, "message")) != NULL
          && *words != '\0')
        return g_strdup (words);
      if ((words = sd_http_json_string (inner, "code")) != NULL)
        return g_strdup (words);
    }
  if ((words = sd_http_json_string (object, "error")) != NULL)
    return g_strdup (words);
  return NULL;
}

/* An answer's token object: the object itself, or Instagram's {"data": [{…}]}. */
static JsonObject *
token_object (JsonNode *root)
{
  JsonObject *object;
  JsonNode *data;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  data = json_object_get_member (object, "data");
  if (!json_object_has_member (object, "access_token") && data != NULL && JSON_NODE_HOLDS_ARRAY (data)
      && json_array_get_length (json_node_get_array (data)) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (data), 0)))
    return json_array_get_object_element (json_node_get_array (data), 0);
  return object;
}

/* Posts @form to the token endpoint; DONE sets *answer to the token object's node. */
static SdOutcome
post_token (SoupSession       *session,
            SdPlatform         platform,
            GHashTable        *form,
            const char        *client_id,
            const char        *client_secret,
            gboolean           refreshing,
            JsonNode         **root_out,
            GCancellable      *cancellable,
            SdProviderStatus  *status)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *endpoint = sd_network_token_endpoint (platform);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *words = NULL;
  const char *name = sd_platform_get_info (platform)->display_name;
  JsonObject *object;
  SdOutcome outcome;

  g_hash_table_insert (form, (char *) info->client_id_param, (char *) client_id);
  /* A public client (X without a secret) sends only its id; a confidential
   * X client authenticates with HTTP Basic, the others in the body. */
  if (client_secret != NULL && *client_secret != '\0' && platform != SD_PLATFORM_X)
    g_hash_table_insert (form, "client_secret", (char *) client_secret);

  msg = soup_message_new (SOUP_METHOD_POST, endpoint);
  if (msg == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is an address. */
                                   _("“%s” is not a web address SocialDesk can use."), endpoint);
  encoded = soup_form_encode_hash (form);
  request = g_bytes_new (encoded, strlen (encoded));
  soup_message_set_request_body_from_bytes (msg, SOUP_FORM_MIME_TYPE_URLENCODED, request);
  if (platform == SD_PLATFORM_X && client_secret != NULL && *client_secret != '\0')
    {
      g_autofree char *pair = g_strconcat (client_id, ":", client_secret, NULL);
      g_autofree char *basic = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", basic, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
      explicit_bzero (pair, strlen (pair));
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");

  body = sd_http_send (session, msg, cancellable, status);
  explicit_bzero (encoded, strlen (encoded));
  if (body == NULL)
    {
      /* Nothing is lost by asking again: a code or refresh token spent by a
       * lost answer is refused next time, and the person signs in again. */
      if (status->outcome == SD_OUTCOME_UNCERTAIN)
        status->outcome = SD_OUTCOME_RETRY;
      return status->outcome;
    }

  outcome = sd_http_classify (msg, status);
  root = sd_http_parse_json (body, NULL);
  object = token_object (root);
  g_debug ("POST %s → %u (%s)", g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));

  /* Some networks (TikTok) answer 200 with an error object. */
  if (outcome == SD_OUTCOME_DONE && (object == NULL || sd_http_json_string (object, "access_token") == NULL))
    outcome = object != NULL && json_object_has_member (object, "error") ? SD_OUTCOME_FAILED : SD_OUTCOME_RETRY;

  if (outcome == SD_OUTCOME_DONE)
    {
      *root_out = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (*root_out, object);
      return SD_OUTCOME_DONE;
    }

  words = sd_oauth2_error_message (root);
  if (outcome == SD_OUTCOME_RETRY || outcome == SD_OUTCOME_UNCERTAIN)
    {
      if (words != NULL || status->message == NULL)
        sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                /* Translators: %s is a network, the second its own words. */
                                _("%s could not renew the sign-in for now: %s"), name,
                                words != NULL ? words : _("no answer"));
      return status->outcome = SD_OUTCOME_RETRY;
    }
  if (refreshing)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   /* Translators: %s is a network, the second its own words. */
                                   _("%s no longer accepts this account’s sign-in (%s). Sign in again."),
                                   name, words != NULL ? words : status->message);
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is a network, the second its own words. */
                                 _("%s refused the sign-in: “%s”."), name,
                                 words != NULL ? words : status->message);
}

SdOutcome
sd_oauth2_exchange_code (SoupSession       *session,
                         SdPlatform         platform,
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
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SdCredentials) credentials = NULL;

  g_return_val_if_fail (sd_network_get_info (platform) != NULL, SD_OUTCOME_FAILED);
  g_return_val_if_fail (client_id != NULL && code != NULL && out != NULL, SD_OUTCOME_FAILED);

  g_hash_table_insert (form, "grant_type", "authorization_code");
  g_hash_table_insert (form, "code", (char *) code);
  g_hash_table_insert (form, "redirect_uri", (char *) redirect_uri);
  if (code_verifier != NULL)
    g_hash_table_insert (form, "code_verifier", (char *) code_verifier);

  if (post_token (session, platform, form, client_id, client_secret, FALSE, &answer, cancellable,
                  status) != SD_OUTCOME_DONE)
    return status->outcome;

  credentials = sd_credentials_new ();
  credentials->client_id = g_strdup (client_id);
  credentials->client_secret = g_strdup (client_secret);
  sd_oauth2_read_tokens (json_node_get_object (answer), credentials);
  *out = g_steal_pointer (&credentials);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

SdOutcome
sd_oauth2_refresh (SoupSession       *session,
                   SdPlatform         platform,
                   SdCredentials     *credentials,
                   GCancellable      *cancellable,
                   SdProviderStatus  *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) answer = NULL;
  const char *name = sd_platform_get_info (platform)->display_name;

  g_return_val_if_fail (sd_network_get_info (platform) != NULL, SD_OUTCOME_FAILED);
  g_return_val_if_fail (credentials != NULL, SD_OUTCOME_FAILED);

  if (credentials->refresh_token == NULL || credentials->client_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   /* Translators: %s is a network. */
                                   _("The sign-in to %s has run out. Sign in again."), name);

  g_hash_table_insert (form, "grant_type", "refresh_token");
  g_hash_table_insert (form, "refresh_token", credentials->refresh_token);
  if (post_token (session, platform, form, credentials->client_id, credentials->client_secret, TRUE,
                  &answer, cancellable, status) != SD_OUTCOME_DONE)
    return status->outcome;

  sd_oauth2_read_tokens (json_node_get_object (answer), credentials);
  credentials->changed = TRUE;
  g_debug ("renewed the %s sign-in; it now runs until %" G_GINT64_FORMAT, name, credentials->expires_at);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}
