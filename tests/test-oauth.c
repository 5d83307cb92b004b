/* test-oauth.c — PKCE against RFC 7636, and the loopback redirect listener: 127.0.0.1 only,
 * a foreign state refused without ending the wait, the code, a refusal, a timeout, one shot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <string.h>

#include "sd-graph.h"
#include "sd-network.h"
#include "sd-oauth.h"
#include "sd-oauth2.h"
#include "sd-oauth-listener-private.h"

#define UNRESERVED "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
#define STATE "s7aTe-of-this-test_0123456789abcdefghijklmn"

static void
test_challenge_rfc7636_vector (void)
{
  /* RFC 7636, appendix B. */
  g_autofree char *challenge = sd_oauth_code_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_verifier_and_state (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; i < 200; i++)
    {
      char *verifier = sd_oauth_new_code_verifier ();
      g_autofree char *state = sd_oauth_new_state ();
      g_autofree char *challenge = sd_oauth_code_challenge_s256 (verifier);
      gsize len = strlen (verifier);

      g_assert_cmpuint (len, >=, 43);
      g_assert_cmpuint (len, <=, 128);
      g_assert_cmpuint (strspn (verifier, UNRESERVED), ==, len);
      g_assert_cmpuint (strlen (state), >=, 43);
      g_assert_cmpuint (strspn (state, UNRESERVED), ==, strlen (state));
      /* 43 characters: a SHA-256 in base64url without padding. */
      g_assert_cmpuint (strlen (challenge), ==, 43);
      g_assert_cmpuint (strspn (challenge, UNRESERVED), ==, 43);
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_assert_false (g_hash_table_contains (seen, state));
      g_hash_table_add (seen, verifier);
      g_hash_table_add (seen, g_steal_pointer (&state));
    }
}

/* Connecting: TRUE when something accepted the connection. */
static gboolean
can_connect (const char *host,
             guint16     port,
             GError    **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);

  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (socket_address), NULL, error);
  return connection != NULL;
}

static void
assert_port_closed (guint16 port)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (can_connect ("127.0.0.1", port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_listener_binds_loopback_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOAuthListener) listener = sd_oauth_listener_new (STATE, &error);
  g_autofree char *expected_uri = NULL;
  SoupServer *server;
  GSList *listeners;
  guint16 port;

  g_assert_no_error (error);
  port = sd_oauth_listener_get_port (listener);
  g_assert_cmpuint (port, >, 0);
  expected_uri = g_strdup_printf ("http://127.0.0.1:%u/socialdesk/oauth", port);
  g_assert_cmpstr (sd_oauth_listener_get_redirect_uri (listener), ==, expected_uri);

  server = sd_oauth_listener_get_server (listener);
  g_assert_nonnull (server);
  listeners = soup_server_get_listeners (server);
  g_assert_cmpuint (g_slist_length (listeners), ==, 1);
  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, &error);
    g_autofree char *ip = NULL;

    g_assert_no_error (error);
    g_assert_true (G_IS_INET_SOCKET_ADDRESS (local));
    ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
    g_assert_cmpstr (ip, ==, "127.0.0.1");
    g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), ==, port);
  }
  g_slist_free (listeners);

  /* The kernel accepts on 127.0.0.1 (the backlog needs no main loop)… */
  g_assert_true (can_connect ("127.0.0.1", port, &error));
  g_assert_no_error (error);
  /* …but not on another local address, as a socket bound to every interface would. */
  g_assert_false (can_connect ("127.0.0.2", port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);
  g_assert_false (can_connect ("::1", port, &error));
  g_assert_nonnull (error);
}

/* Requests sent one after the other from a thread with its own session. */
typedef struct
{
  GPtrArray *uris;
  guint      statuses[8];
  char      *bodies[8];
} Requests;

static gpointer
send_requests (gpointer data)
{
  Requests *requests = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  guint i;

  for (i = 0; i < requests->uris->len; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, requests->uris->pdata[i]);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (body == NULL)
        {
          requests->bodies[i] = g_strdup (error->message);
          continue;
        }
      requests->statuses[i] = soup_message_get_status (msg);
      requests->bodies[i] = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  return NULL;
}

static Requests *
requests_new (SdOAuthListener *listener,
              ...)
{
  Requests *requests = g_new0 (Requests, 1);
  const char *query;
  va_list args;

  requests->uris = g_ptr_array_new_with_free_func (g_free);
  va_start (args, listener);
  while ((query = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (requests->uris->len, <, G_N_ELEMENTS (requests->statuses));
      g_ptr_array_add (requests->uris, g_strconcat (sd_oauth_listener_get_redirect_uri (listener),
                                                    query, NULL));
    }
  va_end (args);
  return requests;
}

static void
requests_free (Requests *requests)
{
  guint i;

  for (i = 0; i < requests->uris->len; i++)
    g_free (requests->bodies[i]);
  g_ptr_array_unref (requests->uris);
  g_free (requests);
}

static void
test_listener_refuses_foreign_state_then_takes_code (void)
{
  /* Not the global default context: the listener must answer on the one it was made on. */
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SdOAuthListener) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Requests *requests;
  GThread *thread;
  guint16 port;

  g_main_context_push_thread_default (context);
  listener = sd_oauth_listener_new (STATE, &error);
  g_assert_no_error (error);
  port = sd_oauth_listener_get_port (listener);

  requests = requests_new (listener,
                           "/elsewhere?state=" STATE "&code=nope",
                           "?code=attacker",
                           "?state=not-the-state&code=attacker",
                           "?state=" STATE "x&code=attacker",
                           "?state=" STATE "&code=the-code%2F42",
                           NULL);
  thread = g_thread_new ("requests", send_requests, requests);
  code = sd_oauth_listener_wait (listener, 30, NULL, &error);
  g_thread_join (thread);

  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "the-code/42");

  g_assert_cmpuint (requests->statuses[0], ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (requests->statuses[1], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (requests->statuses[2], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (requests->statuses[3], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_nonnull (strstr (requests->bodies[1], "This sign-in did not come from SocialDesk"));
  g_assert_nonnull (strstr (requests->bodies[3], "This sign-in did not come from SocialDesk"));
  g_assert_cmpuint (requests->statuses[4], ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (requests->bodies[4], "You can close this tab and return to SocialDesk"));
  g_assert_null (strstr (requests->bodies[4], "the-code"));

  /* One shot: the port is closed once the code is handed over. */
  g_assert_null (sd_oauth_listener_get_server (listener));
  assert_port_closed (port);

  /* And a second wait does not listen again. */
  g_clear_pointer (&code, g_free);
  code = sd_oauth_listener_wait (listener, 1, NULL, &error);
  g_assert_null (code);
  g_assert_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_CLOSED);

  requests_free (requests);
  g_main_context_pop_thread_default (context);
}

static void
test_listener_access_denied (void)
{
  g_autoptr(SdOAuthListener) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Requests *requests;
  GThread *thread;

  listener = sd_oauth_listener_new (STATE, &error);
  g_assert_no_error (error);
  requests = requests_new (listener,
                           "?error=access_denied&state=wrong",
                           "?error=access_denied&error_description=The+user+said+no&state=" STATE,
                           NULL);
  thread = g_thread_new ("requests", send_requests, requests);
  code = sd_oauth_listener_wait (listener, 30, NULL, &error);
  g_thread_join (thread);

  g_assert_null (code);
  g_assert_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_DENIED);
  g_assert_true (g_str_has_prefix (error->message, "You did not allow SocialDesk"));
  g_assert_cmpuint (requests->statuses[0], ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (requests->statuses[1], ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (requests->bodies[1], "You did not allow SocialDesk"));
  assert_port_closed (sd_oauth_listener_get_port (listener));
  requests_free (requests);
}

static void
test_listener_server_error (void)
{
  g_autoptr(SdOAuthListener) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Requests *requests;
  GThread *thread;

  listener = sd_oauth_listener_new (STATE, &error);
  g_assert_no_error (error);
  requests = requests_new (listener,
                           "?error=invalid_scope&error_description=%3Cb%3Ebad+scope%3C%2Fb%3E&state=" STATE,
                           NULL);
  thread = g_thread_new ("requests", send_requests, requests);
  code = sd_oauth_listener_wait (listener, 30, NULL, &error);
  g_thread_join (thread);

  g_assert_null (code);
  g_assert_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "<b>bad scope</b>"));
  /* The server's words never reach the page unescaped. */
  g_assert_null (strstr (requests->bodies[0], "<b>bad"));
  requests_free (requests);
}

static void
test_listener_timeout (void)
{
  g_autoptr(SdOAuthListener) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 start;
  gint64 elapsed;

  listener = sd_oauth_listener_new (STATE, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  code = sd_oauth_listener_wait (listener, 1, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (code);
  g_assert_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "1 second"));
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  assert_port_closed (sd_oauth_listener_get_port (listener));
}

static void
on_wait_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  g_autofree char *code = sd_oauth_listener_wait_finish (SD_OAUTH_LISTENER (object), result, error);

  g_assert_null (code);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_listener_cancel_async (void)
{
  g_autoptr(SdOAuthListener) listener = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  listener = sd_oauth_listener_new (STATE, &error);
  g_assert_no_error (error);
  sd_oauth_listener_wait_async (listener, 30, cancellable, on_wait_done, &error);
  g_timeout_add (100, cancel_soon, cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_port_closed (sd_oauth_listener_get_port (listener));
}


/* The authorize URL carries the network's scopes, the state and the right
 * challenge: base64url S256 (RFC 7636 appendix B's vector) or TikTok's hex. */
static void
test_oauth2_authorize_url (void)
{
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  g_autofree char *x = NULL;
  g_autofree char *tiktok = NULL;
  g_autofree char *youtube = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_setenv ("SOCIALDESK_X_URL", "", TRUE);
  x = sd_oauth2_authorize_url (SD_PLATFORM_X, "client", "http://127.0.0.1:43117/socialdesk/oauth",
                               verifier, "st");
  uri = g_uri_parse (x, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "x.com");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/i/oauth2/authorize");
  params = soup_form_decode (g_uri_get_query (uri));
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==,
                   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_true (strstr (g_hash_table_lookup (params, "scope"), "offline.access") != NULL);

  g_setenv ("SOCIALDESK_TIKTOK_URL", "http://127.0.0.1:9/", TRUE);
  tiktok = sd_oauth2_authorize_url (SD_PLATFORM_TIKTOK, "key", "http://127.0.0.1:1/cb", verifier, "s");
  g_setenv ("SOCIALDESK_TIKTOK_URL", "", TRUE);
  g_assert_true (g_str_has_prefix (tiktok, "http://127.0.0.1:9/v2/auth/authorize/?"));
  g_assert_nonnull (strstr (tiktok, "client_key=key"));
  /* hex SHA-256 of the verifier */
  g_assert_nonnull (strstr (tiktok, "code_challenge=13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"));

  youtube = sd_oauth2_authorize_url (SD_PLATFORM_YOUTUBE, "id", "http://127.0.0.1:1/cb", verifier, "s");
  g_assert_true (g_str_has_suffix (youtube, "&access_type=offline&prompt=consent"));
}

static void
test_network_table (void)
{
  g_autofree char *graph = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *token = NULL;

  g_assert_null (sd_network_get_info (SD_PLATFORM_MASTODON));
  g_assert_null (sd_network_get_info (SD_PLATFORM_BLUESKY));
  for (SdPlatform p = 0; p < SD_N_PLATFORMS; p++)
    if (p != SD_PLATFORM_MASTODON && p != SD_PLATFORM_BLUESKY)
      {
        const SdNetworkInfo *info = sd_network_get_info (p);

        g_assert_nonnull (info);
        g_assert_true (g_str_has_prefix (info->register_url, "https://"));
        g_assert_true (g_str_has_prefix (info->env_var, "SOCIALDESK_"));
      }

  g_setenv ("SOCIALDESK_FACEBOOK_URL", "", TRUE);
  graph = sd_network_api_url (SD_PLATFORM_FACEBOOK, "/me/accounts");
  g_assert_true (g_str_has_prefix (graph, "https://graph.facebook.com/v"));
  g_assert_true (g_str_has_suffix (graph, "/me/accounts"));
  g_setenv ("SOCIALDESK_FACEBOOK_URL", "http://127.0.0.1:8080", TRUE);
  origin = sd_network_origin_url (SD_PLATFORM_FACEBOOK, "/oauth/access_token");
  token = sd_network_token_endpoint (SD_PLATFORM_FACEBOOK);
  g_setenv ("SOCIALDESK_FACEBOOK_URL", "", TRUE);
  g_assert_cmpstr (origin, ==, "http://127.0.0.1:8080/oauth/access_token");
  g_assert_true (g_str_has_prefix (token, "http://127.0.0.1:8080/v"));

  g_setenv ("SOCIALDESK_OAUTH_PORT", "0", TRUE);
  g_assert_cmpuint (sd_network_redirect_port (), ==, 0);
  g_setenv ("SOCIALDESK_OAUTH_PORT", "", TRUE);
  g_assert_cmpuint (sd_network_redirect_port (), ==, SD_NETWORK_REDIRECT_PORT);
}

static void
test_oauth2_read_tokens (void)
{
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(JsonNode) answer = json_from_string ("{\"access_token\":\"a1\",\"refresh_token\":\"r1\","
                                                 "\"expires_in\":86400,\"refresh_expires_in\":\"31536000\"}",
                                                 NULL);
  g_autoptr(JsonNode) meta = json_from_string ("{\"error\":{\"message\":\"Invalid OAuth access token.\","
                                               "\"type\":\"OAuthException\",\"code\":190}}", NULL);
  g_autofree char *words = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  sd_oauth2_read_tokens (json_node_get_object (answer), credentials);
  g_assert_cmpstr (credentials->access_token, ==, "a1");
  g_assert_cmpstr (credentials->refresh_token, ==, "r1");
  g_assert_cmpint (credentials->expires_at, >=, now + 86400 - 5);
  g_assert_cmpint (credentials->refresh_expires_at, >=, now + 31536000 - 5);

  words = sd_oauth2_error_message (meta);
  g_assert_cmpstr (words, ==, "Invalid OAuth access token.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/challenge-rfc7636-vector", test_challenge_rfc7636_vector);
  g_test_add_func ("/oauth2/authorize-url", test_oauth2_authorize_url);
  g_test_add_func ("/oauth2/network-table", test_network_table);
  g_test_add_func ("/oauth2/read-tokens", test_oauth2_read_tokens);
  g_test_add_func ("/oauth/verifier-and-state", test_verifier_and_state);
  g_test_add_func ("/oauth/listener/binds-loopback-only", test_listener_binds_loopback_only);
  g_test_add_func ("/oauth/listener/refuses-foreign-state-then-takes-code",
                   test_listener_refuses_foreign_state_then_takes_code);
  g_test_add_func ("/oauth/listener/access-denied", test_listener_access_denied);
  g_test_add_func ("/oauth/listener/server-error", test_listener_server_error);
  g_test_add_func ("/oauth/listener/timeout", test_listener_timeout);
  g_test_add_func ("/oauth/listener/cancel-async", test_listener_cancel_async);

  return g_test_run ();
}
