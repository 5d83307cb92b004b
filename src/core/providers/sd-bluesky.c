/* sd-bluesky.c — Bluesky: AT Protocol XRPC calls to the account's PDS
 *
 * Every call carries the access token; when the PDS says it ran out
 * (ExpiredToken, InvalidToken) the session is refreshed once — with the
 * refresh token, else with the app password — and the call sent again.
 * Posts are created with a record key fixed before the first attempt, so a
 * repeated create can never make a second post: the PDS refuses it (HTTP 500,
 * "There is already a value at key" in @atproto/pds 0.4) and the record is
 * then read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-bluesky"

#include "config.h"

#include "sd-bluesky-private.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-text.h"
#include "sd-time.h"

#define POST_COLLECTION    "app.bsky.feed.post"
#define PROFILE_COLLECTION "app.bsky.actor.profile"
#define MAX_IMAGES         4
#define MAX_IMAGE_BYTES    2000000
#define LIMITS_JSON        "{\"max_graphemes\":300,\"max_images\":4,\"max_image_bytes\":2000000}"
#define JPEG_QUALITY       "85"

struct _SdBluesky
{
  GObject parent_instance;
};

static void sd_bluesky_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdBluesky, sd_bluesky, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_bluesky_provider_init))

/* Record keys */

static const char base32_sortable[] = "234567abcdefghijklmnopqrstuvwxyz";

char *
sd_bluesky_new_tid (void)
{
  static GMutex lock;
  static gint64 last_time;
  static guint clock_id;
  static gboolean has_clock_id;
  guint64 value;
  gint64 now;
  char *tid;

  g_mutex_lock (&lock);
  if (!has_clock_id)
    {
      clock_id = (guint) g_random_int_range (0, 1024);
      has_clock_id = TRUE;
    }
  /* Strictly increasing within the process, even when the clock is not. */
  now = MAX (g_get_real_time (), last_time + 1);
  last_time = now;
  g_mutex_unlock (&lock);

  value = (((guint64) now << 10) | clock_id) & G_GUINT64_CONSTANT (0x7fffffffffffffff);
  tid = g_malloc (14);
  for (int i = 12; i >= 0; i--)
    {
      tid[i] = base32_sortable[value & 31];
      value >>= 5;
    }
  tid[13] = '\0';
  return tid;
}

/* Small helpers */

static void
replace_secret (char       **secret,
                const char  *value)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_free (*secret);
    }
  *secret = g_strdup (value);
}

static char *
iso8601_now_ms (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

/* The "exp" of a JWT, without checking it: only to tell when it runs out. */
static gint64
jwt_expiry (const char *jwt)
{
  g_auto(GStrv) pieces = NULL;
  g_autoptr(GString) base64 = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  JsonNode *exp;
  gsize length = 0;

  if (jwt == NULL)
    return 0;
  pieces = g_strsplit (jwt, ".", 3);
  if (g_strv_length (pieces) != 3)
    return 0;

  base64 = g_string_new (pieces[1]);
  for (gsize i = 0; i < base64->len; i++)
    {
      if (base64->str[i] == '-')
        base64->str[i] = '+';
      else if (base64->str[i] == '_')
        base64->str[i] = '/';
    }
  while (base64->len % 4 != 0)
    g_string_append_c (base64, '=');

  decoded = g_base64_decode (base64->str, &length);
  text = g_strndup ((const char *) decoded, length);
  payload = json_from_string (text, NULL);
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return 0;
  exp = json_object_get_member (json_node_get_object (payload), "exp");
  if (exp == NULL || json_node_get_value_type (exp) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (exp);
}

static GBytes *
json_bytes (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "a=b&c=d" from NULL-terminated name, value pairs; values are escaped. */
static char *
build_query (const char *first_name,
             ...)
{
  GString *query = g_string_new (NULL);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *escaped = g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);

      g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
      name = va_arg (args, const char *);
    }
  va_end (args);
  return g_string_free (query, FALSE);
}

/* XRPC */

typedef SdBlueskyXrpc Xrpc;

static gboolean
xrpc_init (Xrpc                   *x,
           const SdPublishContext *ctx,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  x->session = ctx->session != NULL ? ctx->session : sd_http_get_session ();
  x->account = ctx->account;
  x->credentials = ctx->credentials;
  x->cancellable = cancellable;
  x->status = status;
  x->proxy = NULL;

  sd_provider_status_clear (status);
  if (sd_account_get_server_url (ctx->account) == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              _("This Bluesky account has no server address."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_token_error (SdProviderStatus *status,
                const char       *error)
{
  return (status->http_status == 400 || status->http_status == 401)
         && (g_strcmp0 (error, "ExpiredToken") == 0 || g_strcmp0 (error, "InvalidToken") == 0);
}

/* Adds the PDS's own words to the status message. */
static void
quote_server (SdProviderStatus *status,
              const char       *error,
              const char       *message)
{
  g_autofree char *ours = NULL;
  const char *words = message != NULL && message[0] != '\0' ? message : error;

  if (words == NULL)
    return;
  ours = g_steal_pointer (&status->message);
  /* Translators: the first %s says what went wrong, the second quotes Bluesky's server. */
  status->message = g_strdup_printf (_("%s Bluesky said: “%s”"), ours != NULL ? ours : "", words);
}

/* Sends one call. A 2xx answer comes back parsed (status DONE); otherwise NULL
 * with the status set and *error_out holding the XRPC error name, if any. */
static JsonNode *
xrpc_send (Xrpc        *x,
           const char  *method,
           const char  *nsid,
           const char  *query,
           GBytes      *body,
           const char  *content_type,
           const char  *token,
           char       **error_out)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  SdOutcome outcome;

  url = g_strdup_printf ("%s/xrpc/%s%s%s", sd_account_get_server_url (x->account), nsid,
                         query != NULL ? "?" : "", query != NULL ? query : "");
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                              _("“%s” is not a server address SocialDesk understands."),
                              sd_account_get_server_url (x->account));
      return NULL;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (token != NULL)
    sd_http_set_bearer (msg, token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (x->proxy != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "atproto-proxy", x->proxy);

  answer = sd_http_send (x->session, msg, x->cancellable, x->status);
  if (answer == NULL)
    return NULL;

  outcome = sd_http_classify (msg, x->status);
  root = sd_http_parse_json (answer, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (outcome == SD_OUTCOME_DONE)
    {
      g_debug ("%s %s: HTTP %u", method, nsid, x->status->http_status);
      if (object != NULL)
        return g_steal_pointer (&root);
      sd_provider_status_set (x->status,
                              g_strcmp0 (method, "GET") == 0 ? SD_OUTCOME_RETRY : SD_OUTCOME_UNCERTAIN,
                              _("Bluesky sent an answer SocialDesk cannot read."));
      return NULL;
    }

  g_debug ("%s %s: HTTP %u %s (%s)", method, nsid, x->status->http_status,
           sd_http_json_string (object, "error"), sd_outcome_to_string (outcome));
  quote_server (x->status, sd_http_json_string (object, "error"),
                sd_http_json_string (object, "message"));
  if (error_out != NULL)
    *error_out = g_strdup (sd_http_json_string (object, "error"));
  return NULL;
}

/* Takes the tokens (and DID, handle) of a createSession or refreshSession answer. */
static void
take_session (Xrpc     *x,
              JsonNode *answer)
{
  JsonObject *session = json_node_get_object (answer);
  const char *did = sd_http_json_string (session, "did");
  const char *handle = sd_http_json_string (session, "handle");

  replace_secret (&x->credentials->access_token, sd_http_json_string (session, "accessJwt"));
  replace_secret (&x->credentials->refresh_token, sd_http_json_string (session, "refreshJwt"));
  x->credentials->expires_at = jwt_expiry (x->credentials->access_token);
  x->credentials->changed = TRUE;

  if (did != NULL)
    sd_account_set_remote_id (x->account, did);
  if (handle != NULL && g_strcmp0 (handle, "handle.invalid") != 0)
    sd_account_set_handle (x->account, handle);
  sd_account_set_token_expires_at (x->account, jwt_expiry (x->credentials->refresh_token));
}

static JsonNode *
create_session (Xrpc        *x,
                const char  *identifier,
                const char  *password,
                char       **error_out)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) body = NULL;

  json_object_set_string_member (request, "identifier", identifier);
  json_object_set_string_member (request, "password", password);
  json_node_set_object (node, request);
  body = json_bytes (node);
  return xrpc_send (x, "POST", "com.atproto.server.createSession", NULL, body,
                    "application/json", NULL, error_out);
}

static gboolean
is_refused_sign_in (SdProviderStatus *status,
                    const char       *error)
{
  return status->outcome == SD_OUTCOME_AUTH || is_token_error (status, error)
         || g_strcmp0 (error, "AuthenticationRequired") == 0;
}

/* A new session after the access token ran out. FALSE with the status set:
 * AUTH when neither the refresh token nor the app password is accepted. */
static gboolean
renew_session (Xrpc *x)
{
  SdCredentials *credentials = x->credentials;
  g_autofree char *label = NULL;

  if (credentials->refresh_token != NULL)
    {
      g_autofree char *error = NULL;
      g_autoptr(JsonNode) answer = NULL;

      answer = xrpc_send (x, "POST", "com.atproto.server.refreshSession", NULL, NULL, NULL,
                          credentials->refresh_token, &error);
      if (answer != NULL)
        {
          take_session (x, answer);
          g_debug ("session refreshed");
          return TRUE;
        }
      if (!is_refused_sign_in (x->status, error))
        return FALSE;
    }

  if (credentials->app_password != NULL)
    {
      const char *identifier = sd_account_get_remote_id (x->account);
      g_autofree char *error = NULL;
      g_autoptr(JsonNode) answer = NULL;

      if (identifier == NULL)
        identifier = sd_account_get_handle (x->account);
      if (identifier != NULL)
        {
          answer = create_session (x, identifier, credentials->app_password, &error);
          if (answer != NULL)
            {
              take_session (x, answer);
              g_debug ("signed in again with the app password");
              return TRUE;
            }
          if (!is_refused_sign_in (x->status, error))
            return FALSE;
        }
    }

  label = sd_account_dup_label (x->account);
  sd_provider_status_set (x->status, SD_OUTCOME_AUTH,
                          _("Bluesky no longer accepts the sign-in of %s: it needs sign-in again."),
                          label);
  return FALSE;
}

/* The session is the PDS's own business, never the proxied service's. */
static gboolean
renew_session_with_pds (Xrpc *x)
{
  const char *proxy = x->proxy;
  gboolean renewed;

  x->proxy = NULL;
  renewed = renew_session (x);
  x->proxy = proxy;
  return renewed;
}

/* A call with the account's access token, renewing the session once if needed. */
static JsonNode *
xrpc_call (Xrpc        *x,
           const char  *method,
           const char  *nsid,
           const char  *query,
           GBytes      *body,
           const char  *content_type,
           char       **error_out)
{
  g_autofree char *error = NULL;
  JsonNode *answer = NULL;

  if (x->credentials->access_token != NULL)
    {
      answer = xrpc_send (x, method, nsid, query, body, content_type,
                          x->credentials->access_token, &error);
      if (answer != NULL || !is_token_error (x->status, error))
        goto out;
    }

  if (!renew_session_with_pds (x))
    {
      /* The call itself was refused: whatever became of the renewal, it did nothing. */
      if (x->status->outcome == SD_OUTCOME_UNCERTAIN)
        x->status->outcome = SD_OUTCOME_RETRY;
      goto out;
    }
  g_clear_pointer (&error, g_free);
  answer = xrpc_send (x, method, nsid, query, body, content_type,
                      x->credentials->access_token, &error);

out:
  if (error_out != NULL)
    *error_out = g_steal_pointer (&error);
  return answer;
}

/* Reading records */

char *
sd_bluesky_post_url (const char *who,
                     const char *rkey)
{
  return g_strdup_printf ("https://bsky.app/profile/%s/post/%s", who, rkey);
}

static char *
post_url (SdAccount  *account,
          const char *rkey)
{
  const char *who = sd_account_get_handle (account);

  if (who == NULL)
    who = sd_account_get_remote_id (account);
  return sd_bluesky_post_url (who, rkey);
}

static void
fill_part (SdAccount     *account,
           SdPublishPart *part,
           const char    *uri,
           const char    *cid)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (uri);
  g_free (part->remote_cid);
  part->remote_cid = g_strdup (cid);
  g_free (part->remote_url);
  part->remote_url = post_url (account, part->key);
}

/* DONE (ids filled in), RETRY (RecordNotFound) or UNCERTAIN (cannot tell). */
static SdOutcome
read_part (Xrpc          *x,
           SdPublishPart *part)
{
  g_autofree char *query = NULL;
  g_autofree char *error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *record;

  query = build_query ("repo", sd_account_get_remote_id (x->account),
                       "collection", POST_COLLECTION, "rkey", part->key, NULL);
  answer = xrpc_send (x, "GET", "com.atproto.repo.getRecord", query, NULL, NULL, NULL, &error);
  if (answer == NULL)
    {
      if (g_strcmp0 (error, "RecordNotFound") == 0)
        return sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                                       _("The post is not on Bluesky."));
      x->status->outcome = SD_OUTCOME_UNCERTAIN;
      return SD_OUTCOME_UNCERTAIN;
    }

  record = json_node_get_object (answer);
  if (sd_http_json_string (record, "uri") == NULL || sd_http_json_string (record, "cid") == NULL)
    return sd_provider_status_set (x->status, SD_OUTCOME_UNCERTAIN,
                                   _("Bluesky sent an answer SocialDesk cannot read."));
  fill_part (x->account, part, sd_http_json_string (record, "uri"),
             sd_http_json_string (record, "cid"));
  return sd_provider_status_set (x->status, SD_OUTCOME_DONE, NULL);
}

/* Images */

/* Re-encodes the image as JPEG, smaller each round, until it fits @limit. */
static GBytes *
shrink_image (const char  *path,
              gsize        limit,
              int         *width,
              int         *height,
              GError     **error)
{
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  double scale = 1.0;
  int source_width, source_height;

  loaded = gdk_pixbuf_new_from_file (path, error);
  if (loaded == NULL)
    return NULL;
  image = gdk_pixbuf_apply_embedded_orientation (loaded);
  source_width = gdk_pixbuf_get_width (image);
  source_height = gdk_pixbuf_get_height (image);

  for (guint round = 0; round < 16; round++, scale *= 0.8)
    {
      int target_width = MAX (1, (int) (source_width * scale + 0.5));
      int target_height = MAX (1, (int) (source_height * scale + 0.5));
      g_autoptr(GdkPixbuf) flat = NULL;
      g_autofree char *buffer = NULL;
      gsize size = 0;

      /* JPEG has no transparency: lay the image on white. */
      flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, target_width, target_height);
      gdk_pixbuf_fill (flat, 0xffffffff);
      gdk_pixbuf_composite (image, flat, 0, 0, target_width, target_height, 0, 0,
                            (double) target_width / source_width,
                            (double) target_height / source_height,
                            GDK_INTERP_BILINEAR, 255);
      if (!gdk_pixbuf_save_to_buffer (flat, &buffer, &size, "jpeg", error,
                                      "quality", JPEG_QUALITY, NULL))
        return NULL;

      g_debug ("image shrunk to %dx%d: %" G_GSIZE_FORMAT " bytes", target_width, target_height, size);
      if (size <= limit)
        {
          *width = target_width;
          *height = target_height;
          return g_bytes_new_take (g_steal_pointer (&buffer), size);
        }
    }

  {
    g_autofree char *size_text = g_format_size (limit);

    /* Translators: %s is a size, "1.0 MB". */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("it cannot be made smaller than %s"), size_text);
  }
  return NULL;
}

/* Uploads one image; returns the "image" object of app.bsky.embed.images. */
static JsonObject *
upload_image (Xrpc                 *x,
              const SdPublishMedia *media,
              gsize                 limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *basename = g_path_get_basename (media->path);
  const char *mime_type = media->mime_type;
  int width = media->width;
  int height = media->height;
  gsize length = 0;
  JsonObject *blob;
  JsonObject *image;

  if (!g_file_get_contents (media->path, &contents, &length, &error))
    {
      sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                              _("Could not read the image “%s”: %s"), basename, error->message);
      return NULL;
    }
  if (width <= 0 || height <= 0)
    gdk_pixbuf_get_file_info (media->path, &width, &height);

  if (length > limit)
    {
      bytes = shrink_image (media->path, limit, &width, &height, &error);
      if (bytes == NULL)
        {
          sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                                  _("The image “%s” is too big for Bluesky and could not be made smaller: %s"),
                                  basename, error->message);
          return NULL;
        }
      mime_type = "image/jpeg";
    }
  else
    {
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  if (mime_type == NULL)
    {
      guessed = g_content_type_guess (media->path, NULL, 0, NULL);
      mime_type = guessed;
    }

  answer = xrpc_call (x, "POST", "com.atproto.repo.uploadBlob", NULL, bytes, mime_type, NULL);
  if (answer == NULL)
    {
      /* An image uploaded twice is one blob: no post can come of it. */
      if (x->status->outcome == SD_OUTCOME_UNCERTAIN)
        x->status->outcome = SD_OUTCOME_RETRY;
      return NULL;
    }
  blob = object_member (json_node_get_object (answer), "blob");
  if (blob == NULL)
    {
      sd_provider_status_set (x->status, SD_OUTCOME_RETRY,
                              _("Bluesky sent an answer SocialDesk cannot read."));
      return NULL;
    }

  image = json_object_new ();
  json_object_set_string_member (image, "alt", media->alt_text != NULL ? media->alt_text : "");
  json_object_set_object_member (image, "image", json_object_ref (blob));
  if (width > 0 && height > 0)
    {
      JsonObject *ratio = json_object_new ();

      json_object_set_int_member (ratio, "width", width);
      json_object_set_int_member (ratio, "height", height);
      json_object_set_object_member (image, "aspectRatio", ratio);
    }
  return image;
}

/* The record */

/* A handle's DID, or NULL: with the status FAILED when no such handle exists
 * (the mention then gets no facet), otherwise as the call went. */
static char *
resolve_handle (Xrpc       *x,
                const char *handle)
{
  g_autofree char *query = build_query ("handle", handle, NULL);
  g_autoptr(JsonNode) answer = NULL;
  const char *did;

  answer = xrpc_send (x, "GET", "com.atproto.identity.resolveHandle", query, NULL, NULL, NULL, NULL);
  if (answer == NULL)
    return NULL;
  did = sd_http_json_string (json_node_get_object (answer), "did");
  if (did == NULL)
    sd_provider_status_set (x->status, SD_OUTCOME_FAILED, NULL);
  return g_strdup (did);
}

static JsonObject *
make_facet (const SdEntity *entity,
            const char     *type,
            const char     *member,
            const char     *value)
{
  JsonObject *facet = json_object_new ();
  JsonObject *index = json_object_new ();
  JsonObject *feature = json_object_new ();
  JsonArray *features = json_array_new ();

  json_object_set_int_member (index, "byteStart", (gint64) entity->start);
  json_object_set_int_member (index, "byteEnd", (gint64) entity->end);
  json_object_set_string_member (feature, "$type", type);
  json_object_set_string_member (feature, member, value);
  json_array_add_object_element (features, feature);
  json_object_set_object_member (facet, "index", index);
  json_object_set_array_member (facet, "features", features);
  return facet;
}

/* FALSE with the status set when a mention could not be checked. */
static gboolean
add_facets (Xrpc       *x,
            JsonObject *record,
            const char *text)
{
  g_autoptr(GArray) entities = sd_bluesky_detect_facets (text);
  g_autoptr(GHashTable) dids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *facets = json_array_new ();

  for (guint i = 0; i < entities->len; i++)
    {
      const SdEntity *entity = &g_array_index (entities, SdEntity, i);

      switch (entity->type)
        {
        case SD_ENTITY_URL:
          json_array_add_object_element (facets, make_facet (entity, "app.bsky.richtext.facet#link",
                                                             "uri", entity->value));
          break;

        case SD_ENTITY_HASHTAG:
          json_array_add_object_element (facets, make_facet (entity, "app.bsky.richtext.facet#tag",
                                                             "tag", entity->value));
          break;

        case SD_ENTITY_MENTION:
          {
            const char *did = g_hash_table_lookup (dids, entity->value);

            if (did == NULL && !g_hash_table_contains (dids, entity->value))
              {
                char *resolved = resolve_handle (x, entity->value);

                if (resolved == NULL && x->status->outcome != SD_OUTCOME_FAILED)
                  {
                    json_array_unref (facets);
                    return FALSE;
                  }
                g_hash_table_insert (dids, g_strdup (entity->value), resolved);
                did = resolved;
              }
            if (did != NULL)
              json_array_add_object_element (facets, make_facet (entity, "app.bsky.richtext.facet#mention",
                                                                 "did", did));
            else
              g_debug ("a mention of an unknown handle gets no facet");
          }
          break;

        case SD_ENTITY_CASHTAG:
        default:
          break;
        }
    }

  sd_provider_status_clear (x->status);
  if (json_array_get_length (facets) > 0)
    json_object_set_array_member (record, "facets", facets);
  else
    json_array_unref (facets);
  return TRUE;
}

static JsonObject *
strong_ref (const SdPublishPart *part)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "uri", part->remote_id);
  json_object_set_string_member (ref, "cid", part->remote_cid);
  return ref;
}

static JsonObject *
strong_ref_of (const char *uri,
               const char *cid)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "uri", uri);
  json_object_set_string_member (ref, "cid", cid);
  return ref;
}

/* An inbox reply: the message is the parent, its thread's root the root. */
static gboolean
add_reply_to_message (Xrpc       *x,
                      JsonObject *record,
                      SdMessage  *message)
{
  const char *uri = sd_message_get_remote_id (message);
  const char *cid = sd_message_get_remote_cid (message);
  const char *root_uri = sd_message_get_root_remote_id (message);
  const char *root_cid = sd_message_get_root_cid (message);
  JsonObject *reply;

  if (uri == NULL || cid == NULL || !g_str_has_prefix (uri, "at://"))
    {
      sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                              _("SocialDesk does not know which Bluesky post this answers."));
      return FALSE;
    }
  if (root_uri == NULL || root_cid == NULL)
    {
      root_uri = uri;
      root_cid = cid;
    }

  reply = json_object_new ();
  json_object_set_object_member (reply, "root", strong_ref_of (root_uri, root_cid));
  json_object_set_object_member (reply, "parent", strong_ref_of (uri, cid));
  json_object_set_object_member (record, "reply", reply);
  return TRUE;
}

static gboolean
add_reply (Xrpc                   *x,
           JsonObject             *record,
           const SdPublishContext *ctx)
{
  const SdPublishPart *root = ctx->root != NULL ? ctx->root : ctx->parent;
  JsonObject *reply;

  if (ctx->parent == NULL && ctx->reply_to != NULL)
    return add_reply_to_message (x, record, ctx->reply_to);
  if (ctx->parent == NULL)
    return TRUE;
  if (ctx->parent->remote_id == NULL || ctx->parent->remote_cid == NULL
      || root->remote_id == NULL || root->remote_cid == NULL)
    {
      sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                              _("The post this one replies to is not on Bluesky yet."));
      return FALSE;
    }

  reply = json_object_new ();
  json_object_set_object_member (reply, "root", strong_ref (root));
  json_object_set_object_member (reply, "parent", strong_ref (ctx->parent));
  json_object_set_object_member (record, "reply", reply);
  return TRUE;
}

static gboolean
add_images (Xrpc                *x,
            JsonObject          *record,
            const SdPublishPart *part,
            gsize                image_limit)
{
  JsonObject *embed;
  JsonArray *images;

  if (part->media->len == 0)
    return TRUE;
  if (part->media->len > MAX_IMAGES)
    {
      sd_provider_status_set (x->status, SD_OUTCOME_FAILED,
                              ngettext ("Bluesky takes at most %d image in a post.",
                                        "Bluesky takes at most %d images in a post.", MAX_IMAGES),
                              MAX_IMAGES);
      return FALSE;
    }

  images = json_array_new ();
  for (guint i = 0; i < part->media->len; i++)
    {
      JsonObject *image = upload_image (x, g_ptr_array_index (part->media, i), image_limit);

      if (image == NULL)
        {
          json_array_unref (images);
          return FALSE;
        }
      json_array_add_object_element (images, image);
    }

  embed = json_object_new ();
  json_object_set_string_member (embed, "$type", "app.bsky.embed.images");
  json_object_set_array_member (embed, "images", images);
  json_object_set_object_member (record, "embed", embed);
  return TRUE;
}

/* The app.bsky.feed.post record, its images uploaded; NULL with the status set. */
static JsonObject *
build_post (Xrpc                   *x,
            const SdPublishContext *ctx,
            const SdPublishPart    *part,
            gsize                   image_limit)
{
  g_autoptr(JsonObject) record = json_object_new ();
  g_autofree char *created_at = iso8601_now_ms ();

  json_object_set_string_member (record, "$type", POST_COLLECTION);
  json_object_set_string_member (record, "text", part->text);
  json_object_set_string_member (record, "createdAt", created_at);
  if (!add_reply (x, record, ctx) || !add_facets (x, record, part->text)
      || !add_images (x, record, part, image_limit))
    return NULL;
  return g_steal_pointer (&record);
}

/* The provider */

static SdPlatform
sd_bluesky_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_BLUESKY;
}

/* The first part of an answer to a direct message goes to the conversation. */
static gboolean
is_dm_reply (const SdPublishContext *ctx)
{
  return ctx->reply_to != NULL && ctx->parent == NULL
         && sd_message_get_kind (ctx->reply_to) == SD_MESSAGE_KIND_DM;
}

static SdOutcome
sd_bluesky_find_part (SdProvider             *provider,
                      const SdPublishContext *ctx,
                      SdPublishPart          *part,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  Xrpc x;

  if (!xrpc_init (&x, ctx, cancellable, status))
    return SD_OUTCOME_UNCERTAIN;
  if (is_dm_reply (ctx))
    return sd_bluesky_find_dm_reply (&x, ctx, part);
  return read_part (&x, part);
}

/* Uploads the images and creates the record; the answer, or NULL with the status set. */
static JsonNode *
create_post (Xrpc                   *x,
             const SdPublishContext *ctx,
             const SdPublishPart    *part,
             gsize                   image_limit)
{
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonObject *record;

  record = build_post (x, ctx, part, image_limit);
  if (record == NULL)
    return NULL;

  request = json_object_new ();
  json_object_set_string_member (request, "repo", sd_account_get_remote_id (ctx->account));
  json_object_set_string_member (request, "collection", POST_COLLECTION);
  json_object_set_string_member (request, "rkey", part->key);
  json_object_set_object_member (request, "record", record);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, request);
  body = json_bytes (node);

  return xrpc_call (x, "POST", "com.atproto.repo.createRecord", NULL, body, "application/json", NULL);
}

/* The image size a PDS named when it refused a record for a too big image
 * ("blob too big (maximum 1000000, got 1274272)": PDS versions before the
 * 2 MB limit); 0 when that was not the reason. */
static gsize
refused_image_size (SdProviderStatus *status)
{
  static GRegex *pattern;
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *number = NULL;

  if (status->outcome != SD_OUTCOME_FAILED || status->message == NULL)
    return 0;
  if (g_once_init_enter (&pattern))
    g_once_init_leave (&pattern, g_regex_new ("blob too big \\(maximum ([0-9]{1,12})",
                                              G_REGEX_CASELESS, 0, NULL));
  if (!g_regex_match (pattern, status->message, 0, &info))
    return 0;
  number = g_match_info_fetch (info, 1);
  return (gsize) g_ascii_strtoull (number, NULL, 10);
}

static SdOutcome
sd_bluesky_publish_part (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         SdPublishPart          *part,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  g_autoptr(JsonNode) answer = NULL;
  gsize image_limit;
  gsize refused;
  JsonObject *created;
  Xrpc x;

  if (!xrpc_init (&x, ctx, cancellable, status))
    return status->outcome;
  if (is_dm_reply (ctx))
    return sd_bluesky_publish_dm_reply (&x, ctx, part);
  if (part->key == NULL || sd_account_get_remote_id (ctx->account) == NULL)
    {
      g_warning ("a Bluesky part needs a record key and the account its DID");
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("SocialDesk could not prepare this post for Bluesky."));
    }

  /* Sent before: if it made it, there is nothing to upload again. */
  if (ctx->first_attempt_at != 0 && read_part (&x, part) == SD_OUTCOME_DONE)
    return SD_OUTCOME_DONE;
  sd_provider_status_clear (status);

  image_limit = (gsize) sd_account_get_limit (ctx->account, "max_image_bytes", MAX_IMAGE_BYTES);
  answer = create_post (&x, ctx, part, image_limit);
  refused = answer == NULL ? refused_image_size (status) : 0;
  if (refused > 0 && refused < image_limit)
    {
      /* This PDS takes smaller images than Bluesky does today: shrink to its size. */
      g_debug ("the PDS takes images up to %" G_GSIZE_FORMAT " bytes", refused);
      sd_provider_status_clear (status);
      answer = create_post (&x, ctx, part, refused);
    }

  if (answer != NULL)
    {
      created = json_node_get_object (answer);
      if (sd_http_json_string (created, "uri") == NULL || sd_http_json_string (created, "cid") == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("Bluesky sent an answer SocialDesk cannot read."));
      fill_part (ctx->account, part, sd_http_json_string (created, "uri"),
                 sd_http_json_string (created, "cid"));
      g_debug ("post created");
      return SD_OUTCOME_DONE;
    }

  /* A record with this key may already be there: the PDS answers a repeated
   * create with an error (HTTP 500 in @atproto/pds 0.4), so look. */
  if (status->http_status >= 400 && status->outcome != SD_OUTCOME_AUTH
      && status->http_status != 429)
    {
      SdProviderStatus found = { 0 };
      Xrpc lookup = x;
      SdOutcome outcome;

      lookup.status = &found;
      outcome = read_part (&lookup, part);
      sd_provider_status_clear (&found);
      if (outcome == SD_OUTCOME_DONE)
        {
          g_debug ("the post was already there");
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
      /* Not there: the server failed before writing it. */
      if (outcome == SD_OUTCOME_RETRY && status->outcome == SD_OUTCOME_UNCERTAIN)
        status->outcome = SD_OUTCOME_RETRY;
    }
  return status->outcome;
}

static gboolean
sd_bluesky_resend_is_safe (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           const SdPublishPart    *part)
{
  /* A chat message has no key: sending it again may make a second one. */
  if (is_dm_reply (ctx))
    return FALSE;
  /* The record key makes a second create conflict instead of duplicating. */
  return part->key != NULL;
}

static gint64
sd_bluesky_min_schedule_ahead (SdProvider *provider)
{
  return 0;
}

/* Display name and avatar: from the AppView when the PDS can reach one, else
 * from the profile record in the account's own repository. */
static void
read_profile (Xrpc *x)
{
  const char *did = sd_account_get_remote_id (x->account);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SdProviderStatus ignored = { 0 };
  Xrpc quiet = *x;
  JsonObject *profile;
  JsonObject *avatar;

  quiet.status = &ignored;
  query = build_query ("actor", did, NULL);
  answer = xrpc_call (&quiet, "GET", "app.bsky.actor.getProfile", query, NULL, NULL, NULL);
  if (answer != NULL)
    {
      profile = json_node_get_object (answer);
      if (sd_http_json_string (profile, "displayName") != NULL)
        sd_account_set_display_name (x->account, sd_http_json_string (profile, "displayName"));
      if (sd_http_json_string (profile, "avatar") != NULL)
        sd_account_set_avatar_url (x->account, sd_http_json_string (profile, "avatar"));
      goto out;
    }

  g_clear_pointer (&query, g_free);
  query = build_query ("repo", did, "collection", PROFILE_COLLECTION, "rkey", "self", NULL);
  answer = xrpc_send (&quiet, "GET", "com.atproto.repo.getRecord", query, NULL, NULL, NULL, NULL);
  profile = answer != NULL ? object_member (json_node_get_object (answer), "value") : NULL;
  if (profile != NULL)
    {
      const char *cid;

      if (sd_http_json_string (profile, "displayName") != NULL)
        sd_account_set_display_name (x->account, sd_http_json_string (profile, "displayName"));
      avatar = object_member (profile, "avatar");
      cid = sd_http_json_string (object_member (avatar, "ref"), "$link");
      if (cid != NULL)
        {
          g_autofree char *blob_query = build_query ("did", did, "cid", cid, NULL);
          g_autofree char *url = g_strdup_printf ("%s/xrpc/com.atproto.sync.getBlob?%s",
                                                  sd_account_get_server_url (x->account),
                                                  blob_query);

          sd_account_set_avatar_url (x->account, url);
        }
    }

out:
  if (sd_account_get_display_name (x->account) == NULL
      || sd_account_get_display_name (x->account)[0] == '\0')
    sd_account_set_display_name (x->account, sd_account_get_handle (x->account));
  sd_provider_status_clear (&ignored);
}

static SdOutcome
sd_bluesky_verify_account (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *session;
  Xrpc x;

  if (!xrpc_init (&x, ctx, cancellable, status))
    return status->outcome;

  answer = xrpc_call (&x, "GET", "com.atproto.server.getSession", NULL, NULL, NULL, NULL);
  if (answer == NULL)
    return status->outcome;
  session = json_node_get_object (answer);
  if (sd_http_json_string (session, "did") == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("Bluesky sent an answer SocialDesk cannot read."));

  sd_account_set_remote_id (ctx->account, sd_http_json_string (session, "did"));
  if (sd_http_json_string (session, "handle") != NULL)
    sd_account_set_handle (ctx->account, sd_http_json_string (session, "handle"));
  read_profile (&x);
  sd_account_set_limits_json (ctx->account, LIMITS_JSON);
  if (ctx->credentials->refresh_token != NULL)
    sd_account_set_token_expires_at (ctx->account, jwt_expiry (ctx->credentials->refresh_token));
  sd_account_set_state (ctx->account, SD_ACCOUNT_STATE_CONNECTED);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Signing in */

SdOutcome
sd_bluesky_sign_in (SoupSession       *session,
                    SdAccount         *account,
                    const char        *identifier,
                    const char        *app_password,
                    SdCredentials    **credentials_out,
                    GCancellable      *cancellable,
                    SdProviderStatus  *status)
{
  g_autoptr(SdCredentials) credentials = sd_credentials_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *error = NULL;
  g_autofree char *who = NULL;
  SdPublishContext ctx = { 0 };
  Xrpc x;

  g_return_val_if_fail (SD_IS_ACCOUNT (account), SD_OUTCOME_FAILED);
  g_return_val_if_fail (credentials_out != NULL, SD_OUTCOME_FAILED);

  *credentials_out = NULL;
  ctx.account = account;
  ctx.credentials = credentials;
  ctx.session = session;
  if (!xrpc_init (&x, &ctx, cancellable, status))
    return status->outcome;

  who = g_strstrip (g_strdup (identifier != NULL ? identifier : ""));
  if (who[0] == '@')
    memmove (who, who + 1, strlen (who));
  if (who[0] == '\0' || app_password == NULL || app_password[0] == '\0')
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("Type your Bluesky handle and an app password."));

  answer = create_session (&x, who, app_password, &error);
  if (answer == NULL)
    {
      if (g_strcmp0 (error, "AuthFactorTokenRequired") == 0)
        return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                       _("Bluesky asks for a confirmation code with this password. "
                                         "Sign in with an app password instead: make one in Bluesky "
                                         "under Settings → Privacy and security → App passwords."));
      if (is_refused_sign_in (status, error))
        return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                       _("Bluesky refused the handle “%s” or its app password. "
                                         "Check both, or make a new app password in Bluesky under "
                                         "Settings → Privacy and security → App passwords."),
                                       who);
      return status->outcome;
    }

  if (sd_http_json_string (json_node_get_object (answer), "accessJwt") == NULL
      || sd_http_json_string (json_node_get_object (answer), "did") == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("Bluesky sent an answer SocialDesk cannot read."));

  take_session (&x, answer);
  credentials->app_password = g_strdup (app_password);
  read_profile (&x);
  sd_account_set_limits_json (account, LIMITS_JSON);
  sd_account_set_state (account, SD_ACCOUNT_STATE_CONNECTED);
  g_debug ("signed in");

  *credentials_out = g_steal_pointer (&credentials);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* For sd-bluesky-inbox.c */

gboolean
sd_bluesky_xrpc_init (SdBlueskyXrpc          *x,
                      const SdPublishContext *ctx,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  return xrpc_init (x, ctx, cancellable, status);
}

JsonNode *
sd_bluesky_xrpc_call (SdBlueskyXrpc  *x,
                      const char     *method,
                      const char     *nsid,
                      const char     *query,
                      JsonNode       *body,
                      char          **error_out)
{
  g_autoptr(GBytes) bytes = body != NULL ? json_bytes (body) : NULL;

  return xrpc_call (x, method, nsid, query, bytes, body != NULL ? "application/json" : NULL,
                    error_out);
}

/* GObject */

static void
sd_bluesky_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_bluesky_get_platform;
  iface->publish_part = sd_bluesky_publish_part;
  iface->resend_is_safe = sd_bluesky_resend_is_safe;
  iface->find_part = sd_bluesky_find_part;
  iface->min_schedule_ahead = sd_bluesky_min_schedule_ahead;
  iface->schedule_part = NULL;
  iface->reschedule = NULL;
  iface->unschedule = NULL;
  iface->verify_account = sd_bluesky_verify_account;
  sd_bluesky_inbox_init (iface);
}

static void
sd_bluesky_class_init (SdBlueskyClass *klass)
{
}

static void
sd_bluesky_init (SdBluesky *self)
{
}

SdBluesky *
sd_bluesky_new (void)
{
  return g_object_new (SD_TYPE_BLUESKY, NULL);
}
