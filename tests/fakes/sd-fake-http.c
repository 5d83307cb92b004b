/* sd-fake-http.c — what every loopback network fake shares
 *
 * The plumbing of the Mastodon fake (its own thread and GMainContext, a
 * SoupServer on 127.0.0.1:0, fault drawing, dropped connections, slow answers,
 * a clock with an offset), made a base with one handler per network, plus an
 * OAuth 2.0 registry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-fake-http"

#include "sd-fake-http.h"

#include <string.h>

#define CODE_LIFETIME 600
/* X's epoch: ids are (ms since it) << 22, 19 digits from 2018 to well past 2080. */
#define ID_EPOCH_MS   G_GINT64_CONSTANT (1288834974657)

typedef struct
{
  char    *user_id;
  char    *access_token;
  char    *refresh_token;   /* NULL when none, or once spent */
  gint64   lifetime;        /* seconds, 0: forever */
  gint64   expires_at;      /* the fake's clock, 0: never */
  gboolean revoked;
} FakeToken;

typedef struct
{
  char  *user_id;
  char  *client_id;
  char  *redirect_uri;
  char  *challenge;
  char  *method;
  gint64 issued_at;
} FakeCode;

typedef struct
{
  GHashTable *strings;      /* name → string of a JSON number or boolean */
} RequestPriv;

struct _SdFakeHttp
{
  GMutex             lock;
  GMutex             clock_lock;   /* clock_offset and last_id */
  GCond              ready_cond;
  gboolean           ready;
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  SoupServer        *server;
  char              *url;

  SdFakeHandler      handler;
  gpointer           handler_data;
  SdFakeFaultFilter  filter;
  gpointer           filter_data;
  SdFakeRateLimited  rate_limited;
  gpointer           rate_limited_data;

  gint64             clock_offset;
  guint64            last_id;

  GPtrArray         *tokens;         /* FakeToken, owned */
  GHashTable        *access;         /* access token → FakeToken */
  GHashTable        *refresh;        /* refresh token → FakeToken */
  GHashTable        *codes;          /* code → FakeCode */

  GRand             *rand;
  double             fault_rate;
  guint              fault_kinds;
  SdFakeFault        injected_kind;
  guint              injected_left;
  guint              slow_ms;
  guint              n_faults;
  guint              n_requests;
  GList             *slow_sources;
};

static void
fake_token_free (FakeToken *token)
{
  g_free (token->user_id);
  g_free (token->access_token);
  g_free (token->refresh_token);
  g_free (token);
}

static void
fake_code_free (FakeCode *code)
{
  g_free (code->user_id);
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->method);
  g_free (code);
}

static char *
random_token (void)
{
  guint8 bytes[32];
  g_autofree char *b64 = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_random_int_range (0, 256);
  b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

/* The clock and ids (no lock needed) */

gint64
sd_fake_http_now (SdFakeHttp *self)
{
  gint64 offset;

  g_mutex_lock (&self->clock_lock);
  offset = self->clock_offset;
  g_mutex_unlock (&self->clock_lock);
  return g_get_real_time () / G_USEC_PER_SEC + offset;
}

void
sd_fake_http_advance_clock (SdFakeHttp *self,
                            gint64      seconds)
{
  g_mutex_lock (&self->clock_lock);
  self->clock_offset += seconds;
  g_mutex_unlock (&self->clock_lock);
}

char *
sd_fake_http_new_id (SdFakeHttp *self)
{
  guint64 id;

  g_mutex_lock (&self->clock_lock);
  id = (guint64) MAX (g_get_real_time () / 1000 + self->clock_offset * 1000 - ID_EPOCH_MS, 0) << 22;
  id |= (guint64) g_random_int_range (0, 1 << 12);
  if (id <= self->last_id)
    id = self->last_id + 1;
  if (id < G_GUINT64_CONSTANT (1000000000000000000))
    id += G_GUINT64_CONSTANT (1000000000000000000);
  self->last_id = id;
  g_mutex_unlock (&self->clock_lock);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, id);
}

/* Answers */

void
sd_fake_http_respond_text (SdFakeRequest *request,
                           guint          status,
                           const char    *content_type,
                           const char    *text)
{
  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, content_type, SOUP_MEMORY_COPY,
                                    text != NULL ? text : "", text != NULL ? strlen (text) : 0);
}

void
sd_fake_http_respond_json_text (SdFakeRequest *request,
                                guint          status,
                                const char    *json)
{
  sd_fake_http_respond_text (request, status, "application/json; charset=utf-8", json);
}

void
sd_fake_http_respond_json (SdFakeRequest *request,
                           guint          status,
                           JsonNode      *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  sd_fake_http_respond_json_text (request, status, text);
}

void
sd_fake_http_set_header (SdFakeRequest *request,
                         const char    *name,
                         const char    *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), name, value);
}

const char *
sd_fake_request_param (SdFakeRequest *request,
                       const char    *name)
{
  const char *value;

  value = g_hash_table_lookup (request->query, name);
  if (value != NULL)
    return value;
  if (request->form != NULL && (value = g_hash_table_lookup (request->form, name)) != NULL)
    return value;
  if (request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (request->json), name);

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member))
        {
          GType type = json_node_get_value_type (member);
          RequestPriv *priv = request->priv;
          char *text;

          if (type == G_TYPE_STRING)
            return json_node_get_string (member);
          if (priv == NULL)
            return NULL;
          if ((value = g_hash_table_lookup (priv->strings, name)) != NULL)
            return value;
          if (type == G_TYPE_INT64)
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
          else if (type == G_TYPE_DOUBLE)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];
              text = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (member)));
            }
          else if (type == G_TYPE_BOOLEAN)
            text = g_strdup (json_node_get_boolean (member) ? "true" : "false");
          else
            return NULL;
          g_hash_table_insert (priv->strings, g_strdup (name), text);
          return text;
        }
    }
  if (request->multipart != NULL)
    {
      for (int i = 0; i < soup_multipart_get_length (request->multipart); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autoptr(GHashTable) params = NULL;
          RequestPriv *priv = request->priv;
          g_autofree char *key = NULL;
          char *text;

          if (!soup_multipart_get_part (request->multipart, i, &part_headers, &part_body)
              || !soup_message_headers_get_content_disposition (part_headers, NULL, &params)
              || g_strcmp0 (g_hash_table_lookup (params, "name"), name) != 0
              || g_hash_table_contains (params, "filename"))
            continue;
          if (priv == NULL)
            return NULL;
          key = g_strconcat ("multipart:", name, NULL);
          if ((value = g_hash_table_lookup (priv->strings, key)) != NULL)
            return value;
          text = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          g_hash_table_insert (priv->strings, g_steal_pointer (&key), text);
          return text;
        }
    }
  return NULL;
}

/* Requests */

static void
request_read (SdFakeRequest     *request,
              SoupServerMessage *msg,
              const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  RequestPriv *priv = g_new0 (RequestPriv, 1);
  const char *data;
  gsize size;

  priv->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  request->priv = priv;
  request->msg = msg;
  request->method = soup_server_message_get_method (msg);
  request->path = path;
  request->content_type = type;
  request->query = query != NULL ? soup_form_decode (query)
                                 : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (request->body, &size);

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    request->bearer = authorization + 7;

  if (type != NULL && size > 0
      && (g_ascii_strcasecmp (type, "application/json") == 0 || g_str_has_suffix (type, "+json")))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, (gssize) size, NULL)
          && json_parser_get_root (parser) != NULL)
        request->json = json_node_copy (json_parser_get_root (parser));
    }
  else if (type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0)
    {
      g_autofree char *form = g_strndup (data, size);

      request->form = soup_form_decode (form);
    }
  else if (type != NULL && g_ascii_strcasecmp (type, "multipart/form-data") == 0)
    request->multipart = soup_multipart_new_from_message (headers, request->body);
}

static void
request_clear (SdFakeRequest *request)
{
  RequestPriv *priv = request->priv;

  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->json, json_node_unref);
  g_clear_pointer (&request->form, g_hash_table_unref);
  g_clear_pointer (&request->multipart, soup_multipart_free);
  if (priv != NULL)
    {
      g_hash_table_unref (priv->strings);
      g_free (priv);
      request->priv = NULL;
    }
}

/* Faults (with the lock held) */

static gboolean
default_fault_filter (SdFakeRequest *request,
                      gpointer       user_data)
{
  return !(g_strcmp0 (request->method, "GET") == 0
           && (strstr (request->path, "authorize") != NULL
               || g_hash_table_contains (request->query, "redirect_uri")));
}

static void
default_rate_limited (SdFakeHttp    *http,
                      SdFakeRequest *request,
                      gpointer       user_data)
{
  sd_fake_http_respond_json_text (request, 429, "{\"error\":\"Too Many Requests\"}");
  sd_fake_http_set_header (request, "Retry-After", "2");
}

static SdFakeFault
draw_fault (SdFakeHttp *self)
{
  SdFakeFault kinds[5];
  guint n = 0;

  if (self->injected_left > 0)
    {
      self->injected_left--;
      return self->injected_kind;
    }
  if (self->fault_rate <= 0 || g_rand_double (self->rand) >= self->fault_rate)
    return SD_FAKE_FAULT_NONE;
  for (guint bit = 0; bit < 5; bit++)
    if (self->fault_kinds & (1u << bit))
      kinds[n++] = 1u << bit;
  if (n == 0)
    return SD_FAKE_FAULT_NONE;
  return kinds[g_rand_int_range (self->rand, 0, (gint32) n)];
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  SdFakeHttp        *self;
  SoupServerMessage *msg;
  GSource           *source;
} SlowAnswer;

static gboolean
on_slow_answer (gpointer data)
{
  SlowAnswer *slow = data;

  g_mutex_lock (&slow->self->lock);
  slow->self->slow_sources = g_list_remove (slow->self->slow_sources, slow->source);
  g_mutex_unlock (&slow->self->lock);
  soup_server_message_unpause (slow->msg);
  return G_SOURCE_REMOVE;
}

static void
slow_answer_free (gpointer data)
{
  SlowAnswer *slow = data;

  g_object_unref (slow->msg);
  g_free (slow);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SdFakeHttp *self = user_data;
  SdFakeFault fault = SD_FAKE_FAULT_NONE;
  SdFakeRequest request = { 0 };

  g_mutex_lock (&self->lock);
  self->n_requests++;
  request_read (&request, msg, path);

  if (self->filter (&request, self->filter_data))
    {
      fault = draw_fault (self);
      if (fault != SD_FAKE_FAULT_NONE)
        self->n_faults++;
    }

  switch (fault)
    {
    case SD_FAKE_FAULT_500:
      sd_fake_http_respond_text (&request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                                 "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
                                 "<body><h1>Internal Server Error</h1></body></html>");
      goto out;
    case SD_FAKE_FAULT_429:
      self->rate_limited (self, &request, self->rate_limited_data);
      goto out;
    case SD_FAKE_FAULT_RESET_BEFORE:
      request_clear (&request);
      g_mutex_unlock (&self->lock);
      drop_connection (msg);
      return;
    default:
      break;
    }

  if (!self->handler (self, &request, self->handler_data))
    sd_fake_http_respond_text (&request, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8", "Not Found");
  g_debug ("%s %s → %u%s", request.method, path, soup_server_message_get_status (msg),
           fault != SD_FAKE_FAULT_NONE ? " (fault)" : "");

  if (fault == SD_FAKE_FAULT_RESET_AFTER)
    {
      request_clear (&request);
      g_mutex_unlock (&self->lock);
      drop_connection (msg);
      return;
    }
  if (fault == SD_FAKE_FAULT_SLOW)
    {
      SlowAnswer *slow = g_new0 (SlowAnswer, 1);

      slow->self = self;
      slow->msg = g_object_ref (msg);
      slow->source = g_timeout_source_new (self->slow_ms);
      g_source_set_callback (slow->source, on_slow_answer, slow, slow_answer_free);
      self->slow_sources = g_list_prepend (self->slow_sources, slow->source);
      soup_server_message_pause (msg);
      g_source_attach (slow->source, self->context);
      g_source_unref (slow->source);
    }

out:
  request_clear (&request);
  g_mutex_unlock (&self->lock);
}

/* The server's thread */

static gboolean
quit_loop (gpointer data)
{
  SdFakeHttp *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  SdFakeHttp *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("server-header", "sd-fake-http ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("the fake cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  uri = uris->data;
  g_mutex_lock (&self->lock);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  self->ready = TRUE;
  g_cond_signal (&self->ready_cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  g_mutex_lock (&self->lock);
  while (self->slow_sources != NULL)
    {
      GSource *source = self->slow_sources->data;
      self->slow_sources = g_list_delete_link (self->slow_sources, self->slow_sources);
      g_source_destroy (source);
    }
  g_mutex_unlock (&self->lock);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

SdFakeHttp *
sd_fake_http_new (SdFakeHandler handler,
                  gpointer      user_data)
{
  SdFakeHttp *self;

  g_return_val_if_fail (handler != NULL, NULL);

  self = g_new0 (SdFakeHttp, 1);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->clock_lock);
  g_cond_init (&self->ready_cond);
  self->handler = handler;
  self->handler_data = user_data;
  self->filter = default_fault_filter;
  self->rate_limited = default_rate_limited;
  self->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_token_free);
  self->access = g_hash_table_new (g_str_hash, g_str_equal);
  self->refresh = g_hash_table_new (g_str_hash, g_str_equal);
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fake_code_free);
  self->rand = g_rand_new_with_seed (1);
  self->fault_kinds = SD_FAKE_FAULT_ALL;
  self->slow_ms = 2000;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->thread = g_thread_new ("fake-http", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->ready_cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

void
sd_fake_http_free (SdFakeHttp *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);

  g_hash_table_unref (self->access);
  g_hash_table_unref (self->refresh);
  g_ptr_array_unref (self->tokens);
  g_hash_table_unref (self->codes);
  g_rand_free (self->rand);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->clock_lock);
  g_cond_clear (&self->ready_cond);
  g_free (self);
}

const char *
sd_fake_http_get_url (SdFakeHttp *self)
{
  return self->url;
}

void
sd_fake_http_lock (SdFakeHttp *self)
{
  g_mutex_lock (&self->lock);
}

void
sd_fake_http_unlock (SdFakeHttp *self)
{
  g_mutex_unlock (&self->lock);
}

/* Faults */

void
sd_fake_http_set_fault_rate (SdFakeHttp *self,
                             double      rate,
                             guint32     seed)
{
  g_mutex_lock (&self->lock);
  self->fault_rate = CLAMP (rate, 0.0, 1.0);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_set_fault_kinds (SdFakeHttp *self,
                              guint       kinds)
{
  g_mutex_lock (&self->lock);
  self->fault_kinds = kinds & SD_FAKE_FAULT_ALL;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_inject_fault (SdFakeHttp  *self,
                           SdFakeFault  kind,
                           guint        count)
{
  g_mutex_lock (&self->lock);
  self->injected_kind = kind;
  self->injected_left = kind != SD_FAKE_FAULT_NONE ? count : 0;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_set_slow_delay (SdFakeHttp *self,
                             guint       milliseconds)
{
  g_mutex_lock (&self->lock);
  self->slow_ms = milliseconds;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_set_fault_filter (SdFakeHttp        *self,
                               SdFakeFaultFilter  filter,
                               gpointer           user_data)
{
  g_mutex_lock (&self->lock);
  self->filter = filter != NULL ? filter : default_fault_filter;
  self->filter_data = filter != NULL ? user_data : NULL;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_set_rate_limited (SdFakeHttp        *self,
                               SdFakeRateLimited  responder,
                               gpointer           user_data)
{
  g_mutex_lock (&self->lock);
  self->rate_limited = responder != NULL ? responder : default_rate_limited;
  self->rate_limited_data = responder != NULL ? user_data : NULL;
  g_mutex_unlock (&self->lock);
}

guint
sd_fake_http_get_n_faults (SdFakeHttp *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_faults;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sd_fake_http_get_n_requests (SdFakeHttp *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_requests;
  g_mutex_unlock (&self->lock);
  return n;
}

/* OAuth 2.0 registry (with the lock held) */

static FakeToken *
add_token (SdFakeHttp *self,
           const char *user_id,
           const char *access_token,
           const char *refresh_token,
           gint64      lifetime)
{
  FakeToken *token = g_new0 (FakeToken, 1);

  token->user_id = g_strdup (user_id);
  token->access_token = g_strdup (access_token);
  token->refresh_token = g_strdup (refresh_token);
  token->lifetime = MAX (lifetime, 0);
  token->expires_at = lifetime > 0 ? sd_fake_http_now (self) + lifetime : 0;
  g_ptr_array_add (self->tokens, token);
  g_hash_table_replace (self->access, token->access_token, token);
  if (token->refresh_token != NULL)
    g_hash_table_replace (self->refresh, token->refresh_token, token);
  return token;
}

void
sd_fake_http_add_token_locked (SdFakeHttp *self,
                               const char *user_id,
                               const char *access_token,
                               const char *refresh_token,
                               gint64      lifetime)
{
  g_return_if_fail (user_id != NULL && access_token != NULL);
  add_token (self, user_id, access_token, refresh_token, lifetime);
}

void
sd_fake_http_add_token (SdFakeHttp *self,
                        const char *user_id,
                        const char *access_token,
                        const char *refresh_token,
                        gint64      lifetime)
{
  g_mutex_lock (&self->lock);
  sd_fake_http_add_token_locked (self, user_id, access_token, refresh_token, lifetime);
  g_mutex_unlock (&self->lock);
}

static SdFakeTokenCheck
check_access (SdFakeHttp  *self,
              const char  *access_token,
              FakeToken  **out)
{
  FakeToken *token = access_token != NULL ? g_hash_table_lookup (self->access, access_token) : NULL;

  if (token == NULL || token->revoked)
    return SD_FAKE_TOKEN_UNKNOWN;
  if (token->expires_at != 0 && sd_fake_http_now (self) >= token->expires_at)
    return SD_FAKE_TOKEN_EXPIRED;
  *out = token;
  return SD_FAKE_TOKEN_VALID;
}

SdFakeTokenCheck
sd_fake_http_check_token_locked (SdFakeHttp  *self,
                                 const char  *token,
                                 const char **user_id)
{
  FakeToken *record = NULL;
  SdFakeTokenCheck check = check_access (self, token, &record);

  if (check == SD_FAKE_TOKEN_VALID && user_id != NULL)
    *user_id = record->user_id;
  return check;
}

SdFakeTokenCheck
sd_fake_http_refresh_locked (SdFakeHttp  *self,
                             const char  *refresh_token,
                             char       **access_token,
                             char       **new_refresh_token,
                             gint64      *expires_in,
                             const char **user_id)
{
  FakeToken *old = refresh_token != NULL ? g_hash_table_lookup (self->refresh, refresh_token) : NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  FakeToken *token;

  if (old == NULL || old->revoked)
    return SD_FAKE_TOKEN_UNKNOWN;

  /* Spent: it goes from the table and from its record. */
  g_hash_table_remove (self->refresh, refresh_token);
  g_clear_pointer (&old->refresh_token, g_free);

  access = random_token ();
  refresh = random_token ();
  token = add_token (self, old->user_id, access, refresh, old->lifetime);
  if (access_token != NULL)
    *access_token = g_strdup (access);
  if (new_refresh_token != NULL)
    *new_refresh_token = g_strdup (refresh);
  if (expires_in != NULL)
    *expires_in = token->lifetime;
  if (user_id != NULL)
    *user_id = token->user_id;
  return SD_FAKE_TOKEN_VALID;
}

char *
sd_fake_http_exchange_locked (SdFakeHttp *self,
                              const char *access_token,
                              gint64      lifetime)
{
  FakeToken *old = NULL;
  g_autofree char *access = NULL;

  if (check_access (self, access_token, &old) != SD_FAKE_TOKEN_VALID)
    return NULL;
  access = random_token ();
  add_token (self, old->user_id, access, NULL, lifetime);
  return g_steal_pointer (&access);
}

void
sd_fake_http_expire_tokens_locked (SdFakeHttp *self,
                                   const char *user_id)
{
  gint64 now = sd_fake_http_now (self);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      FakeToken *token = g_ptr_array_index (self->tokens, i);

      if (g_strcmp0 (token->user_id, user_id) == 0)
        token->expires_at = now;
    }
}

void
sd_fake_http_expire_tokens (SdFakeHttp *self,
                            const char *user_id)
{
  g_mutex_lock (&self->lock);
  sd_fake_http_expire_tokens_locked (self, user_id);
  g_mutex_unlock (&self->lock);
}

void
sd_fake_http_revoke_user_locked (SdFakeHttp *self,
                                 const char *user_id)
{
  for (guint i = 0; i < self->tokens->len; i++)
    {
      FakeToken *token = g_ptr_array_index (self->tokens, i);

      if (g_strcmp0 (token->user_id, user_id) == 0)
        token->revoked = TRUE;
    }
}

void
sd_fake_http_revoke_user (SdFakeHttp *self,
                          const char *user_id)
{
  g_mutex_lock (&self->lock);
  sd_fake_http_revoke_user_locked (self, user_id);
  g_mutex_unlock (&self->lock);
}

gboolean
sd_fake_http_revoke_token_locked (SdFakeHttp *self,
                                  const char *token)
{
  FakeToken *record = NULL;

  if (token == NULL)
    return FALSE;
  record = g_hash_table_lookup (self->access, token);
  if (record == NULL)
    record = g_hash_table_lookup (self->refresh, token);
  if (record == NULL || record->revoked)
    return FALSE;
  record->revoked = TRUE;
  return TRUE;
}

/* Authorization codes */

static char *
sha256_digest (const char *verifier,
               gboolean    hex)
{
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  if (hex)
    return g_strdup (g_checksum_get_string (checksum));
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

static gboolean
known_method (const char *method)
{
  return g_strcmp0 (method, "S256") == 0 || g_strcmp0 (method, "hex") == 0
         || g_strcmp0 (method, "plain") == 0;
}

char *
sd_fake_http_issue_code_locked (SdFakeHttp *self,
                                const char *user_id,
                                const char *client_id,
                                const char *redirect_uri,
                                const char *code_challenge,
                                const char *challenge_method)
{
  FakeCode *grant;
  char *code;

  g_return_val_if_fail (user_id != NULL, NULL);
  if (challenge_method != NULL && (!known_method (challenge_method) || code_challenge == NULL
                                   || code_challenge[0] == '\0'))
    return NULL;

  grant = g_new0 (FakeCode, 1);
  grant->user_id = g_strdup (user_id);
  grant->client_id = g_strdup (client_id);
  grant->redirect_uri = g_strdup (redirect_uri);
  grant->method = g_strdup (challenge_method);
  grant->challenge = challenge_method != NULL ? g_strdup (code_challenge) : NULL;
  grant->issued_at = sd_fake_http_now (self);
  code = random_token ();
  g_hash_table_insert (self->codes, g_strdup (code), grant);
  return code;
}

gboolean
sd_fake_http_redeem_code_locked (SdFakeHttp  *self,
                                 const char  *code,
                                 const char  *client_id,
                                 const char  *redirect_uri,
                                 const char  *code_verifier,
                                 gint64       lifetime,
                                 gboolean     with_refresh,
                                 char       **access_token,
                                 char       **refresh_token,
                                 const char **user_id)
{
  FakeCode *grant = code != NULL ? g_hash_table_lookup (self->codes, code) : NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  FakeToken *token;

  if (grant == NULL)
    return FALSE;
  if (sd_fake_http_now (self) > grant->issued_at + CODE_LIFETIME)
    {
      g_hash_table_remove (self->codes, code);
      return FALSE;
    }
  if (g_strcmp0 (grant->client_id, client_id) != 0 || g_strcmp0 (grant->redirect_uri, redirect_uri) != 0)
    return FALSE;
  if (grant->method != NULL)
    {
      g_autofree char *computed = NULL;

      if (code_verifier == NULL)
        return FALSE;
      if (g_strcmp0 (grant->method, "plain") == 0)
        computed = g_strdup (code_verifier);
      else
        computed = sha256_digest (code_verifier, g_strcmp0 (grant->method, "hex") == 0);
      if (g_strcmp0 (computed, grant->challenge) != 0)
        return FALSE;
    }

  access = random_token ();
  refresh = with_refresh ? random_token () : NULL;
  token = add_token (self, grant->user_id, access, refresh, lifetime);
  g_hash_table_remove (self->codes, code);
  if (access_token != NULL)
    *access_token = g_steal_pointer (&access);
  if (refresh_token != NULL)
    *refresh_token = g_steal_pointer (&refresh);
  if (user_id != NULL)
    *user_id = token->user_id;
  return TRUE;
}

void
sd_fake_http_handle_authorize_locked (SdFakeHttp    *self,
                                      SdFakeRequest *request,
                                      const char    *client_id_param,
                                      const char    *challenge_method)
{
  const char *client_id = sd_fake_request_param (request, client_id_param != NULL ? client_id_param : "client_id");
  const char *redirect_uri = sd_fake_request_param (request, "redirect_uri");
  const char *response_type = sd_fake_request_param (request, "response_type");
  const char *state = sd_fake_request_param (request, "state");
  const char *challenge = sd_fake_request_param (request, "code_challenge");
  const char *approver = sd_fake_request_param (request, "sd_fake_approve");
  const char *method = challenge_method;
  g_autofree char *code = NULL;
  g_autofree char *escaped_state = NULL;
  g_autofree char *location = NULL;
  static const char page[] =
    "<!DOCTYPE html><html><body><form method=\"post\"><p>Authorize the application?</p>"
    "<button>Authorize</button></form></body></html>";

  if (method == NULL && challenge != NULL)
    {
      method = sd_fake_request_param (request, "code_challenge_method");
      if (method == NULL)
        method = "plain";
    }
  if (client_id == NULL || redirect_uri == NULL
      || (response_type != NULL && g_strcmp0 (response_type, "code") != 0)
      || (method != NULL && (!known_method (method) || challenge == NULL || challenge[0] == '\0')))
    {
      sd_fake_http_respond_text (request, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8",
                                 "<!DOCTYPE html><html><body><p>Invalid authorization request.</p></body></html>");
      return;
    }
  if (approver == NULL)
    {
      sd_fake_http_respond_text (request, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
      return;
    }

  code = sd_fake_http_issue_code_locked (self, approver, client_id, redirect_uri, challenge, method);
  escaped_state = state != NULL ? g_uri_escape_string (state, NULL, FALSE) : NULL;
  location = g_strdup_printf ("%s%scode=%s%s%s", redirect_uri,
                              strchr (redirect_uri, '?') != NULL ? "&" : "?", code,
                              state != NULL ? "&state=" : "", state != NULL ? escaped_state : "");
  soup_server_message_set_redirect (request->msg, SOUP_STATUS_FOUND, location);
}
