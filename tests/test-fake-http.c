/* test-fake-http.c — the loopback fake base: requests, faults, clock, OAuth registry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fakes/sd-fake-http.h"

typedef struct
{
  SdFakeHttp *fake;
  guint       handled;     /* under the fake's lock */
} Env;

static gboolean
handler (SdFakeHttp    *http,
         SdFakeRequest *request,
         gpointer       user_data)
{
  Env *env = user_data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *names[] = { "q", "a", "n", "flag", "caption", "file", NULL };

  if (g_str_equal (request->path, "/authorize"))
    {
      sd_fake_http_handle_authorize_locked (http, request, NULL, NULL);
      return TRUE;
    }
  if (g_str_equal (request->path, "/authorize-hex"))
    {
      sd_fake_http_handle_authorize_locked (http, request, "client_key", "hex");
      return TRUE;
    }
  if (!g_str_equal (request->path, "/echo"))
    return FALSE;

  env->handled++;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, request->method);
  json_builder_set_member_name (builder, "bearer");
  json_builder_add_string_value (builder, request->bearer);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, request->content_type);
  json_builder_set_member_name (builder, "has_json");
  json_builder_add_boolean_value (builder, request->json != NULL);
  json_builder_set_member_name (builder, "has_form");
  json_builder_add_boolean_value (builder, request->form != NULL);
  json_builder_set_member_name (builder, "body_size");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (request->body));
  for (guint i = 0; names[i] != NULL; i++)
    {
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_string_value (builder, sd_fake_request_param (request, names[i]));
    }
  if (request->multipart != NULL)
    {
      for (int i = 0; i < soup_multipart_get_length (request->multipart); i++)
        {
          SoupMessageHeaders *headers;
          GBytes *body;
          g_autoptr(GHashTable) params = NULL;

          if (soup_multipart_get_part (request->multipart, i, &headers, &body)
              && soup_message_headers_get_content_disposition (headers, NULL, &params)
              && g_strcmp0 (g_hash_table_lookup (params, "name"), "file") == 0)
            {
              json_builder_set_member_name (builder, "file_size");
              json_builder_add_int_value (builder, (gint64) g_bytes_get_size (body));
              json_builder_set_member_name (builder, "file_type");
              json_builder_add_string_value (builder, soup_message_headers_get_content_type (headers, NULL));
            }
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_set_header (request, "X-Fake", "yes");
  sd_fake_http_respond_json (request, SOUP_STATUS_OK, root);
  return TRUE;
}

static void
env_setup (Env          *env,
           gconstpointer data)
{
  env->fake = sd_fake_http_new (handler, env);
  env->handled = 0;
}

static void
env_teardown (Env          *env,
              gconstpointer data)
{
  g_clear_pointer (&env->fake, sd_fake_http_free);
}

static guint
env_handled (Env *env)
{
  guint n;

  sd_fake_http_lock (env->fake);
  n = env->handled;
  sd_fake_http_unlock (env->fake);
  return n;
}

/* A fresh session each time, so a dropped connection is never retried on a reused one. */
static GBytes *
send (SoupMessage  *msg,
      GError      **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return soup_session_send_and_read (session, msg, NULL, error);
}

static SoupMessage *
new_message (Env        *env,
             const char *method,
             const char *path_and_query)
{
  g_autofree char *uri = g_strconcat (sd_fake_http_get_url (env->fake), path_and_query, NULL);

  return soup_message_new (method, uri);
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_get_string (node) : NULL;
}

/* Requests */

static void
test_url_and_404 (Env          *env,
                  gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "GET", "/nowhere");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (sd_fake_http_get_url (env->fake), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (sd_fake_http_get_url (env->fake), "/"));
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "text/plain");
  g_assert_cmpuint (sd_fake_http_get_n_requests (env->fake), ==, 1);
}

static void
test_json (Env          *env,
           gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo?q=hello%20world");
  static const char json[] = "{\"a\":\"from json\",\"n\":42,\"flag\":true}";
  g_autoptr(GBytes) request_body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer tok-1");
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Fake"), ==, "yes");
  object = parse_object (body);
  g_assert_cmpstr (member (object, "method"), ==, "POST");
  g_assert_cmpstr (member (object, "bearer"), ==, "tok-1");
  g_assert_cmpstr (member (object, "content_type"), ==, "application/json");
  g_assert_true (json_object_get_boolean_member (object, "has_json"));
  g_assert_cmpstr (member (object, "q"), ==, "hello world");
  g_assert_cmpstr (member (object, "a"), ==, "from json");
  g_assert_cmpstr (member (object, "n"), ==, "42");
  g_assert_cmpstr (member (object, "flag"), ==, "true");
  g_assert_cmpint (json_object_get_int_member (object, "body_size"), ==, (gint64) strlen (json));
}

static void
test_form (Env          *env,
           gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  static const char form[] = "a=first&a=last+one&n=%26x%3D";
  g_autoptr(GBytes) request_body = g_bytes_new_static (form, strlen (form));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request_body);
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  object = parse_object (body);
  g_assert_true (json_object_get_boolean_member (object, "has_form"));
  g_assert_false (json_object_get_boolean_member (object, "has_json"));
  g_assert_cmpstr (member (object, "a"), ==, "last one");
  g_assert_cmpstr (member (object, "n"), ==, "&x=");
  g_assert_cmpstr (member (object, "bearer"), ==, NULL);
}

static void
test_multipart (Env          *env,
                gconstpointer data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
  g_autoptr(GBytes) file = g_bytes_new_static (png, sizeof png);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (sd_fake_http_get_url (env->fake), "/echo", NULL);

  soup_multipart_append_form_string (multipart, "caption", "a cat");
  soup_multipart_append_form_file (multipart, "file", "cat.png", "image/png", file);
  msg = soup_message_new_from_multipart (uri, multipart);
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  object = parse_object (body);
  g_assert_cmpstr (member (object, "content_type"), ==, "multipart/form-data");
  g_assert_cmpstr (member (object, "caption"), ==, "a cat");
  g_assert_cmpstr (member (object, "file"), ==, NULL);   /* a file is not a parameter */
  g_assert_cmpint (json_object_get_int_member (object, "file_size"), ==, sizeof png);
  g_assert_cmpstr (member (object, "file_type"), ==, "image/png");
}

/* Faults */

static void
test_fault_500 (Env          *env,
                gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  g_autoptr(SoupMessage) again = new_message (env, "POST", "/echo");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) body2 = NULL;
  g_autoptr(GError) error = NULL;

  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_500, 1);
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 500);
  g_assert_cmpuint (env_handled (env), ==, 0);
  g_assert_cmpuint (sd_fake_http_get_n_faults (env->fake), ==, 1);

  body2 = send (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (again), ==, 200);
  g_assert_cmpuint (env_handled (env), ==, 1);
}

static void
test_fault_429 (Env          *env,
                gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_429, 1);
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), ==, "2");
  object = parse_object (body);
  g_assert_cmpstr (member (object, "error"), ==, "Too Many Requests");
  g_assert_cmpuint (env_handled (env), ==, 0);
}

static void
test_fault_reset_before (Env          *env,
                         gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_RESET_BEFORE, 1);
  body = send (msg, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  g_assert_cmpuint (env_handled (env), ==, 0);
  g_assert_cmpuint (sd_fake_http_get_n_faults (env->fake), ==, 1);
}

static void
test_fault_reset_after (Env          *env,
                        gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_RESET_AFTER, 1);
  body = send (msg, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  g_assert_cmpuint (env_handled (env), ==, 1);   /* processed, not answered */
}

static void
test_fault_slow (Env          *env,
                 gconstpointer data)
{
  g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  sd_fake_http_set_slow_delay (env->fake, 300);
  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_SLOW, 1);
  start = g_get_monotonic_time ();
  body = send (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (env_handled (env), ==, 1);
}

static void
test_fault_rate_and_filter (Env          *env,
                            gconstpointer data)
{
  guint errors = 0;

  /* GET on the authorize path is never hit. */
  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_500, 1);
  {
    g_autoptr(SoupMessage) msg = new_message (env, "GET", "/authorize?client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb");
    g_autoptr(GBytes) body = send (msg, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  sd_fake_http_inject_fault (env->fake, SD_FAKE_FAULT_NONE, 0);

  /* Every request fails with the one kind enabled. */
  sd_fake_http_set_fault_kinds (env->fake, SD_FAKE_FAULT_500);
  sd_fake_http_set_fault_rate (env->fake, 1.0, 7);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (env, "POST", "/echo");
      g_autoptr(GBytes) body = send (msg, NULL);

      errors += soup_message_get_status (msg) == 500;
    }
  g_assert_cmpuint (errors, ==, 5);
  g_assert_cmpuint (sd_fake_http_get_n_faults (env->fake), ==, 5);
  g_assert_cmpuint (env_handled (env), ==, 0);
  sd_fake_http_set_fault_rate (env->fake, 0.0, 7);
}

/* Clock and ids */

static void
test_clock_and_ids (Env          *env,
                    gconstpointer data)
{
  gint64 now = sd_fake_http_now (env->fake);
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *id1 = sd_fake_http_new_id (env->fake);
  g_autofree char *id2 = sd_fake_http_new_id (env->fake);

  g_assert_cmpint (ABS (now - real), <=, 1);
  sd_fake_http_advance_clock (env->fake, 3600);
  g_assert_cmpint (sd_fake_http_now (env->fake) - real, >=, 3600);
  g_assert_cmpint (sd_fake_http_now (env->fake) - real, <=, 3602);

  g_assert_cmpuint (strlen (id1), ==, 19);
  g_assert_cmpuint (strlen (id2), ==, 19);
  g_assert_cmpstr (id1, !=, id2);
  for (const char *p = id1; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p));
}

/* OAuth registry */

static void
test_tokens (Env          *env,
             gconstpointer data)
{
  const char *user_id = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *access2 = NULL;
  g_autofree char *refresh2 = NULL;
  g_autofree char *long_lived = NULL;
  gint64 expires_in = -1;

  sd_fake_http_add_token (env->fake, "u1", "access-1", "refresh-1", 7200);
  sd_fake_http_add_token (env->fake, "u2", "access-2", NULL, 0);

  sd_fake_http_lock (env->fake);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-1", &user_id), ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpstr (user_id, ==, "u1");
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "nope", &user_id), ==, SD_FAKE_TOKEN_UNKNOWN);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, NULL, &user_id), ==, SD_FAKE_TOKEN_UNKNOWN);
  sd_fake_http_unlock (env->fake);

  /* Expiry by the fake's clock. */
  sd_fake_http_advance_clock (env->fake, 7200);
  sd_fake_http_lock (env->fake);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-1", NULL), ==, SD_FAKE_TOKEN_EXPIRED);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-2", NULL), ==, SD_FAKE_TOKEN_VALID);

  /* Refresh: a new pair of the same lifetime; the old refresh token is spent. */
  g_assert_cmpint (sd_fake_http_refresh_locked (env->fake, "refresh-1", &access, &refresh, &expires_in, &user_id),
                   ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpstr (user_id, ==, "u1");
  g_assert_cmpint (expires_in, ==, 7200);
  g_assert_cmpstr (access, !=, "access-1");
  g_assert_cmpstr (refresh, !=, "refresh-1");
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access, NULL), ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpint (sd_fake_http_refresh_locked (env->fake, "refresh-1", &access2, &refresh2, NULL, NULL),
                   ==, SD_FAKE_TOKEN_UNKNOWN);
  g_assert_null (access2);
  g_assert_cmpint (sd_fake_http_refresh_locked (env->fake, refresh, &access2, &refresh2, NULL, NULL),
                   ==, SD_FAKE_TOKEN_VALID);

  /* Exchange: a new token, the old one stays. */
  long_lived = sd_fake_http_exchange_locked (env->fake, access2, 60 * 86400);
  g_assert_nonnull (long_lived);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access2, NULL), ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, long_lived, &user_id), ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpstr (user_id, ==, "u1");
  g_assert_null (sd_fake_http_exchange_locked (env->fake, "access-1", 100));
  sd_fake_http_unlock (env->fake);

  /* Expire: every access token of the user; the refresh token still works. */
  sd_fake_http_expire_tokens (env->fake, "u1");
  sd_fake_http_lock (env->fake);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access2, NULL), ==, SD_FAKE_TOKEN_EXPIRED);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, long_lived, NULL), ==, SD_FAKE_TOKEN_EXPIRED);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-2", NULL), ==, SD_FAKE_TOKEN_VALID);
  g_clear_pointer (&access, g_free);
  g_clear_pointer (&refresh, g_free);
  g_assert_cmpint (sd_fake_http_refresh_locked (env->fake, refresh2, &access, &refresh, NULL, NULL),
                   ==, SD_FAKE_TOKEN_VALID);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access, NULL), ==, SD_FAKE_TOKEN_VALID);
  sd_fake_http_unlock (env->fake);

  /* Revoke: every token of the user, access and refresh. */
  sd_fake_http_revoke_user (env->fake, "u1");
  sd_fake_http_lock (env->fake);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access, NULL), ==, SD_FAKE_TOKEN_UNKNOWN);
  g_clear_pointer (&access2, g_free);
  g_clear_pointer (&refresh2, g_free);
  g_assert_cmpint (sd_fake_http_refresh_locked (env->fake, refresh, &access2, &refresh2, NULL, NULL),
                   ==, SD_FAKE_TOKEN_UNKNOWN);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-2", NULL), ==, SD_FAKE_TOKEN_VALID);
  g_assert_true (sd_fake_http_revoke_token_locked (env->fake, "access-2"));
  g_assert_false (sd_fake_http_revoke_token_locked (env->fake, "access-2"));
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, "access-2", NULL), ==, SD_FAKE_TOKEN_UNKNOWN);
  sd_fake_http_unlock (env->fake);
}

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static char *
sha256_base64url (const char *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *b64 = NULL;
  GString *out = g_string_new (NULL);

  g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static void
check_code (Env        *env,
            const char *method)
{
  static const char verifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  g_autofree char *challenge = g_str_equal (method, "hex") ? sha256_hex (verifier) : sha256_base64url (verifier);
  g_autofree char *code = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  const char *user_id = NULL;

  if (g_str_equal (method, "S256"))   /* RFC 7636 appendix B */
    g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

  sd_fake_http_lock (env->fake);
  code = sd_fake_http_issue_code_locked (env->fake, "u7", "client", "http://127.0.0.1/cb", challenge, method);
  g_assert_nonnull (code);
  /* Wrong verifier, client, redirect URI: refused (the code stays). */
  g_assert_false (sd_fake_http_redeem_code_locked (env->fake, code, "client", "http://127.0.0.1/cb", "wrong",
                                                   3600, TRUE, &access, &refresh, &user_id));
  g_assert_false (sd_fake_http_redeem_code_locked (env->fake, code, "other", "http://127.0.0.1/cb", verifier,
                                                   3600, TRUE, &access, &refresh, &user_id));
  g_assert_false (sd_fake_http_redeem_code_locked (env->fake, code, "client", "http://127.0.0.1/x", verifier,
                                                   3600, TRUE, &access, &refresh, &user_id));
  g_assert_null (access);
  /* Redeemed once ... */
  g_assert_true (sd_fake_http_redeem_code_locked (env->fake, code, "client", "http://127.0.0.1/cb", verifier,
                                                  3600, TRUE, &access, &refresh, &user_id));
  g_assert_cmpstr (user_id, ==, "u7");
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access, NULL), ==, SD_FAKE_TOKEN_VALID);
  g_clear_pointer (&access, g_free);
  g_clear_pointer (&refresh, g_free);
  /* ... and refused twice after. */
  for (guint i = 0; i < 2; i++)
    g_assert_false (sd_fake_http_redeem_code_locked (env->fake, code, "client", "http://127.0.0.1/cb", verifier,
                                                     3600, TRUE, &access, &refresh, &user_id));
  g_assert_null (access);
  sd_fake_http_unlock (env->fake);
}

static void
test_code_s256 (Env          *env,
                gconstpointer data)
{
  check_code (env, "S256");
}

static void
test_code_hex (Env          *env,
               gconstpointer data)
{
  check_code (env, "hex");
}

static void
test_code_expires_and_no_pkce (Env          *env,
                               gconstpointer data)
{
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  g_autofree char *access = NULL;

  sd_fake_http_lock (env->fake);
  g_assert_null (sd_fake_http_issue_code_locked (env->fake, "u", "c", "r", NULL, "S256"));
  g_assert_null (sd_fake_http_issue_code_locked (env->fake, "u", "c", "r", "x", "bogus"));
  code = sd_fake_http_issue_code_locked (env->fake, "u", "c", "r", NULL, NULL);
  code2 = sd_fake_http_issue_code_locked (env->fake, "u", "c", "r", NULL, NULL);
  sd_fake_http_unlock (env->fake);

  sd_fake_http_advance_clock (env->fake, 601);
  sd_fake_http_lock (env->fake);
  g_assert_false (sd_fake_http_redeem_code_locked (env->fake, code, "c", "r", NULL, 0, FALSE, &access, NULL, NULL));
  sd_fake_http_unlock (env->fake);
  sd_fake_http_advance_clock (env->fake, -601);
  sd_fake_http_lock (env->fake);
  g_assert_true (sd_fake_http_redeem_code_locked (env->fake, code2, "c", "r", "ignored", 0, FALSE, &access, NULL, NULL));
  g_assert_cmpint (sd_fake_http_check_token_locked (env->fake, access, NULL), ==, SD_FAKE_TOKEN_VALID);
  sd_fake_http_unlock (env->fake);
}

static GHashTable *
location_query (SoupMessage *msg,
                const char  *prefix)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_autoptr(GUri) uri = NULL;

  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, prefix));
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  return soup_form_decode (g_uri_get_query (uri));
}

static void
test_authorize (Env          *env,
                gconstpointer data)
{
  static const char verifier[] = "a-verifier-of-at-least-forty-three-characters-long";
  g_autofree char *challenge = sha256_base64url (verifier);
  g_autofree char *hex = sha256_hex (verifier);
  g_autofree char *path = g_strdup_printf ("/authorize?response_type=code&client_id=app&"
                                           "redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5000%%2Fcb&state=s%%20%%26t&"
                                           "code_challenge=%s&code_challenge_method=S256", challenge);
  g_autofree char *approved = g_strconcat (path, "&sd_fake_approve=u9", NULL);
  g_autofree char *hex_path = g_strdup_printf ("/authorize-hex?response_type=code&client_key=tt&"
                                               "redirect_uri=http%%3A%%2F%%2F127.0.0.1%%2Fcb&"
                                               "code_challenge=%s&code_challenge_method=S256&sd_fake_approve=u3",
                                               hex);
  g_autoptr(SoupMessage) page = new_message (env, "GET", path);
  g_autoptr(SoupMessage) redirect = new_message (env, "GET", approved);
  g_autoptr(SoupMessage) hex_redirect = new_message (env, "GET", hex_path);
  g_autoptr(SoupMessage) bad = new_message (env, "GET", "/authorize?response_type=code&client_id=app");
  g_autoptr(GBytes) body1 = NULL;
  g_autoptr(GBytes) body2 = NULL;
  g_autoptr(GBytes) body3 = NULL;
  g_autoptr(GBytes) body4 = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) hex_query = NULL;
  g_autofree char *access = NULL;
  const char *user_id = NULL;

  body1 = send (page, NULL);
  g_assert_cmpuint (soup_message_get_status (page), ==, 200);

  body4 = send (bad, NULL);
  g_assert_cmpuint (soup_message_get_status (bad), ==, 400);

  soup_message_add_flags (redirect, SOUP_MESSAGE_NO_REDIRECT);
  body2 = send (redirect, NULL);
  g_assert_cmpuint (soup_message_get_status (redirect), ==, 302);
  query = location_query (redirect, "http://127.0.0.1:5000/cb?");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "s &t");
  g_assert_nonnull (g_hash_table_lookup (query, "code"));

  soup_message_add_flags (hex_redirect, SOUP_MESSAGE_NO_REDIRECT);
  body3 = send (hex_redirect, NULL);
  g_assert_cmpuint (soup_message_get_status (hex_redirect), ==, 302);
  hex_query = location_query (hex_redirect, "http://127.0.0.1/cb?code=");
  g_assert_false (g_hash_table_contains (hex_query, "state"));

  sd_fake_http_lock (env->fake);
  g_assert_true (sd_fake_http_redeem_code_locked (env->fake, g_hash_table_lookup (query, "code"), "app",
                                                  "http://127.0.0.1:5000/cb", verifier, 3600, FALSE,
                                                  &access, NULL, &user_id));
  g_assert_cmpstr (user_id, ==, "u9");
  g_clear_pointer (&access, g_free);
  g_assert_true (sd_fake_http_redeem_code_locked (env->fake, g_hash_table_lookup (hex_query, "code"), "tt",
                                                  "http://127.0.0.1/cb", verifier, 3600, FALSE,
                                                  &access, NULL, &user_id));
  g_assert_cmpstr (user_id, ==, "u3");
  sd_fake_http_unlock (env->fake);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Env, NULL, env_setup, fn, env_teardown)
  ADD ("/fake-http/url-and-404", test_url_and_404);
  ADD ("/fake-http/request/json", test_json);
  ADD ("/fake-http/request/form", test_form);
  ADD ("/fake-http/request/multipart", test_multipart);
  ADD ("/fake-http/fault/500", test_fault_500);
  ADD ("/fake-http/fault/429", test_fault_429);
  ADD ("/fake-http/fault/reset-before", test_fault_reset_before);
  ADD ("/fake-http/fault/reset-after", test_fault_reset_after);
  ADD ("/fake-http/fault/slow", test_fault_slow);
  ADD ("/fake-http/fault/rate-and-filter", test_fault_rate_and_filter);
  ADD ("/fake-http/clock-and-ids", test_clock_and_ids);
  ADD ("/fake-http/oauth/tokens", test_tokens);
  ADD ("/fake-http/oauth/code-s256", test_code_s256);
  ADD ("/fake-http/oauth/code-hex", test_code_hex);
  ADD ("/fake-http/oauth/code-expiry-no-pkce", test_code_expires_and_no_pkce);
  ADD ("/fake-http/oauth/authorize", test_authorize);
#undef ADD

  return g_test_run ();
}
