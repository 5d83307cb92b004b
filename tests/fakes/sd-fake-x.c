/* sd-fake-x.c — a loopback X (API v2) for the provider's tests and fault runs
 *
 * Answers are shaped like the examples of docs.x.com (data/meta/errors
 * wrappers, problem bodies, x-rate-limit-* headers). Where a detail could not
 * be checked against a primary source it is marked "unverified".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-fake-x"

#include "fakes/sd-fake-x.h"

#include <string.h>

#define TOKEN_LIFETIME     (2 * 60 * 60)
#define WINDOW_SECONDS     (15 * 60)
#define DUPLICATE_SECONDS  (24 * 60 * 60)
#define MAX_TEXT_CHARS     280
#define ALT_TEXT_MAX       1000
#define MEDIA_LIFETIME     86400
#define SCOPES             "tweet.read tweet.write users.read media.write offline.access dm.read dm.write like.write tweet.moderate.write"
#define INJECTED_429_RESET 2

typedef struct
{
  char *id;
  char *username;
  char *name;
} FakeUser;

typedef struct
{
  char   *id;
  char   *author_id;
  char   *text;
  char   *reply_to;
  char   *conversation_id;
  GStrv   media_ids;
  gint64  created_at;
  char   *quote_of;
  gboolean hidden;
} FakePost;

typedef struct
{
  char   *id;
  char   *conversation_id;
  char   *sender_id;
  char   *text;
  gint64  created_at;
} FakeDm;

typedef struct
{
  char   *id;
  char   *owner;
  char   *category;
  char   *type;
  gint64  total_bytes;
  gint64  received;
  guint   segments;
  gboolean finalized;
  guint   polls_left;
  char   *alt_text;
} FakeMedia;

typedef struct
{
  guint  used;
  gint64 reset;
} FakeWindow;

struct _SdFakeX
{
  SdFakeHttp *http;
  GHashTable *users;     /* id → FakeUser */
  GPtrArray  *posts;     /* FakePost, oldest first */
  GHashTable *media;     /* id → FakeMedia */
  GHashTable *windows;   /* "user endpoint" → FakeWindow */
  guint       media_uploads;
  guint       processing_polls;
  guint       post_limit;
  GPtrArray  *dms;          /* FakeDm, oldest first */
  GHashTable *likes;        /* "user tweet" → itself */
  GHashTable *no_dm_scope;  /* user ids whose tokens lack dm.read/dm.write */
  gboolean    search_allowed;
  guint64     next_id;      /* X's ids grow with time */
};

static void
user_free (FakeUser *user)
{
  g_free (user->id);
  g_free (user->username);
  g_free (user->name);
  g_free (user);
}

static void
post_free (FakePost *post)
{
  g_free (post->id);
  g_free (post->author_id);
  g_free (post->text);
  g_free (post->reply_to);
  g_free (post->conversation_id);
  g_strfreev (post->media_ids);
  g_free (post->quote_of);
  g_free (post);
}

static void
dm_free (FakeDm *dm)
{
  g_free (dm->id);
  g_free (dm->conversation_id);
  g_free (dm->sender_id);
  g_free (dm->text);
  g_free (dm);
}

static void
media_free (FakeMedia *media)
{
  g_free (media->id);
  g_free (media->owner);
  g_free (media->category);
  g_free (media->type);
  g_free (media->alt_text);
  g_free (media);
}

/* Answers */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *value)
{
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
respond_problem (SdFakeRequest *request,
                 guint          status,
                 const char    *title,
                 const char    *detail,
                 const char    *type)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type != NULL ? type : "about:blank");
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, status, root);
}

/* 400 as X answers a request whose parameters do not validate. */
static void
respond_invalid (SdFakeRequest *request,
                 const char    *parameter,
                 const char    *value,
                 const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, parameter);
  json_builder_begin_array (builder);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, "Invalid Request");
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, "One or more parameters to your request was invalid.");
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "https://api.twitter.com/2/problems/invalid-request");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 400, root);
}

static void
respond_unauthorized (SdFakeRequest *request)
{
  respond_problem (request, 401, "Unauthorized", "Unauthorized", "about:blank");
}

static void
respond_too_many (SdFakeRequest *request)
{
  respond_problem (request, 429, "Too Many Requests", "Too Many Requests", "about:blank");
}

static void
set_rate_headers (SdFakeRequest *request,
                  guint          limit,
                  guint          remaining,
                  gint64         reset)
{
  char number[32];

  g_snprintf (number, sizeof number, "%u", limit);
  sd_fake_http_set_header (request, "x-rate-limit-limit", number);
  g_snprintf (number, sizeof number, "%u", remaining);
  sd_fake_http_set_header (request, "x-rate-limit-remaining", number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, reset);
  sd_fake_http_set_header (request, "x-rate-limit-reset", number);
}

static void
on_rate_limited (SdFakeHttp    *http,
                 SdFakeRequest *request,
                 gpointer       user_data)
{
  respond_too_many (request);
  set_rate_headers (request, 100, 0, sd_fake_http_now (http) + INJECTED_429_RESET);
}

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (when);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* Rate limits: per user and endpoint, 15-minute windows by the fake's clock
 * (limits other than POST /2/tweets are from docs.x.com's table, unverified
 * for the media endpoints). FALSE: refused (429 answered). */
static gboolean
take_rate (SdFakeX       *self,
           SdFakeRequest *request,
           const char    *user_id,
           const char    *endpoint,
           guint          limit)
{
  g_autofree char *key = g_strconcat (user_id, " ", endpoint, NULL);
  FakeWindow *window = g_hash_table_lookup (self->windows, key);
  gint64 now = sd_fake_http_now (self->http);

  if (window == NULL || window->reset <= now)
    {
      window = g_new0 (FakeWindow, 1);
      window->reset = now + WINDOW_SECONDS;
      g_hash_table_replace (self->windows, g_steal_pointer (&key), window);
    }
  if (window->used >= limit)
    {
      respond_too_many (request);
      set_rate_headers (request, limit, 0, window->reset);
      return FALSE;
    }
  window->used++;
  set_rate_headers (request, limit, limit - window->used, window->reset);
  return TRUE;
}

/* The user of the request's bearer token; NULL when 401 was answered. */
static const char *
authorized_user (SdFakeX       *self,
                 SdFakeRequest *request)
{
  const char *user_id = NULL;

  if (sd_fake_http_check_token_locked (self->http, request->bearer, &user_id) != SD_FAKE_TOKEN_VALID
      || !g_hash_table_contains (self->users, user_id))
    {
      respond_unauthorized (request);
      return NULL;
    }
  return user_id;
}

static JsonObject *
json_body (SdFakeRequest *request)
{
  return request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
         ? json_node_get_object (request->json) : NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* The bytes of a multipart file field. */
static GBytes *
multipart_file (SdFakeRequest *request,
                const char    *name)
{
  for (int i = 0; request->multipart != NULL && i < soup_multipart_get_length (request->multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *body;
      g_autoptr(GHashTable) params = NULL;

      if (soup_multipart_get_part (request->multipart, i, &headers, &body)
          && soup_message_headers_get_content_disposition (headers, NULL, &params)
          && g_strcmp0 (g_hash_table_lookup (params, "name"), name) == 0)
        return body;
    }
  return NULL;
}

/* OAuth 2.0 */

static gboolean
handle_token (SdFakeX       *self,
              SdFakeRequest *request)
{
  const char *grant = sd_fake_request_param (request, "grant_type");
  const char *client_id = sd_fake_request_param (request, "client_id");
  const char *authorization = soup_message_headers_get_one (
    soup_server_message_get_request_headers (request->msg), "Authorization");
  g_autofree char *basic_client = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *user_id = NULL;
  gint64 expires_in = TOKEN_LIFETIME;
  gboolean ok = FALSE;

  /* A confidential client authenticates with HTTP Basic. */
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      gsize length = 0;
      g_autofree guchar *decoded = g_base64_decode (authorization + 6, &length);
      g_autofree char *pair = g_strndup ((const char *) decoded, length);
      char *colon = strchr (pair, ':');

      if (colon != NULL)
        basic_client = g_strndup (pair, colon - pair);
      if (client_id == NULL)
        client_id = basic_client;
    }

  if (g_strcmp0 (grant, "authorization_code") == 0)
    ok = sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"),
                                          client_id, sd_fake_request_param (request, "redirect_uri"),
                                          sd_fake_request_param (request, "code_verifier"),
                                          TOKEN_LIFETIME, TRUE, &access, &refresh, &user_id);
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    ok = sd_fake_http_refresh_locked (self->http, sd_fake_request_param (request, "refresh_token"),
                                      &access, &refresh, &expires_in, &user_id) == SD_FAKE_TOKEN_VALID;
  else
    {
      sd_fake_http_respond_json_text (request, 400,
                                      "{\"error\":\"unsupported_grant_type\","
                                      "\"error_description\":\"Value passed for the grant type was invalid.\"}");
      return TRUE;
    }

  if (!ok)
    {
      /* X's words for a spent, revoked or unknown code or refresh token. */
      sd_fake_http_respond_json_text (request, 400,
                                      "{\"error\":\"invalid_request\","
                                      "\"error_description\":\"Value passed for the token was invalid.\"}");
      return TRUE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in > 0 ? expires_in : TOKEN_LIFETIME);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, SCOPES);
  if (refresh != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, refresh);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
  return TRUE;
}

/* Users */

static void
add_user_object (JsonBuilder *builder,
                 FakeUser    *user,
                 const char  *origin)
{
  g_autofree char *avatar = g_strdup_printf ("%s/profile_images/%s_normal.jpg", origin, user->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "profile_image_url");
  json_builder_add_string_value (builder, avatar);
  json_builder_end_object (builder);
}

static gboolean
handle_me (SdFakeX       *self,
           SdFakeRequest *request,
           const char    *user_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (!take_rate (self, request, user_id, "GET /2/users/me", 75))
    return TRUE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  add_user_object (builder, g_hash_table_lookup (self->users, user_id), sd_fake_http_get_url (self->http));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
  return TRUE;
}

/* Posts */

/* The text as X serves it: each link a t.co link, the media link at the end
 * of a post with media, & < > escaped. */
static char *
served_text (SdFakeX        *self,
             const FakePost *post)
{
  static GRegex *link;
  g_autofree char *linked = NULL;
  GString *out = g_string_new (NULL);

  if (g_once_init_enter (&link))
    g_once_init_leave (&link, g_regex_new ("https?://[^\\s]+", G_REGEX_OPTIMIZE, 0, NULL));
  linked = g_regex_replace_literal (link, post->text, -1, 0, "https://t.co/AbCdEf1234", 0, NULL);
  for (const char *p = linked; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  if (post->media_ids != NULL && post->media_ids[0] != NULL)
    g_string_append (out, " https://t.co/MeDiA56789");
  return g_string_free (out, FALSE);
}

static FakePost *
find_post (SdFakeX    *self,
           const char *id)
{
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->id, id) == 0)
        return post;
    }
  return NULL;
}

static gboolean
handle_create_post (SdFakeX       *self,
                    SdFakeRequest *request,
                    const char    *user_id)
{
  JsonObject *body = json_body (request);
  const char *text = member_string (body, "text");
  JsonObject *reply = member_object (body, "reply");
  const char *reply_to = member_string (reply, "in_reply_to_tweet_id");
  JsonObject *media = member_object (body, "media");
  JsonNode *ids_node = media != NULL ? json_object_get_member (media, "media_ids") : NULL;
  JsonArray *ids = ids_node != NULL && JSON_NODE_HOLDS_ARRAY (ids_node) ? json_node_get_array (ids_node) : NULL;
  g_autoptr(GPtrArray) media_ids = g_ptr_array_new_with_free_func (g_free);
  gint64 now = sd_fake_http_now (self->http);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  FakePost *parent = NULL;
  FakePost *post;

  if (!take_rate (self, request, user_id, "POST /2/tweets", self->post_limit))
    return TRUE;
  if (request->json == NULL)
    {
      respond_invalid (request, "body", NULL, "Requests with bodies must have content-type of application/json.");
      return TRUE;
    }
  if ((text == NULL || *text == '\0') && ids == NULL)
    {
      respond_invalid (request, "text", NULL, "The `text` field is required when no media is attached.");
      return TRUE;
    }
  /* Unverified: the exact words and status for a text over the limit. */
  if (text != NULL && g_utf8_strlen (text, -1) > MAX_TEXT_CHARS)
    {
      respond_problem (request, 403, "Forbidden",
                       "Your Tweet text is too long. For more information on how X determines text "
                       "length see https://github.com/twitter/twitter-text.", "about:blank");
      return TRUE;
    }
  if (reply_to != NULL && (parent = find_post (self, reply_to)) == NULL)
    {
      respond_problem (request, 403, "Forbidden",
                       "You attempted to reply to a Tweet that is deleted or not visible to you.",
                       "about:blank");
      return TRUE;
    }
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      FakeMedia *item = id != NULL ? g_hash_table_lookup (self->media, id) : NULL;

      if (item == NULL || g_strcmp0 (item->owner, user_id) != 0 || !item->finalized || item->polls_left > 0
          || i >= 4)
        {
          respond_invalid (request, "media.media_ids", id, "Your media IDs are invalid.");
          return TRUE;
        }
      g_ptr_array_add (media_ids, g_strdup (id));
    }
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *other = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (other->author_id, user_id) == 0 && g_strcmp0 (other->text, text) == 0
          && other->created_at > now - DUPLICATE_SECONDS)
        {
          respond_problem (request, 403, "Forbidden",
                           "You are not allowed to create a Tweet with duplicate content.", "about:blank");
          return TRUE;
        }
    }

  post = g_new0 (FakePost, 1);
  post->id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id++);
  post->author_id = g_strdup (user_id);
  post->text = g_strdup (text != NULL ? text : "");
  post->reply_to = g_strdup (reply_to);
  post->conversation_id = g_strdup (parent != NULL ? parent->conversation_id : post->id);
  g_ptr_array_add (media_ids, NULL);
  post->media_ids = (GStrv) g_ptr_array_free (g_steal_pointer (&media_ids), FALSE);
  post->created_at = now;
  g_ptr_array_add (self->posts, post);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "edit_history_tweet_ids");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, post->id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, post->id);
  json_builder_set_member_name (builder, "text");
  {
    g_autofree char *served = served_text (self, post);
    json_builder_add_string_value (builder, served);
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 201, root);
  return TRUE;
}

static void
add_post_object (SdFakeX     *self,
                 JsonBuilder *builder,
                 FakePost    *post)
{
  g_autofree char *served = served_text (self, post);
  g_autofree char *created = format_time (post->created_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, post->id);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, served);
  json_builder_set_member_name (builder, "edit_history_tweet_ids");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, post->id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "conversation_id");
  json_builder_add_string_value (builder, post->conversation_id);
  if (post->reply_to != NULL)
    {
      json_builder_set_member_name (builder, "referenced_tweets");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "replied_to");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, post->reply_to);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static gboolean
handle_user_posts (SdFakeX       *self,
                   SdFakeRequest *request,
                   const char    *user_id,
                   const char    *author_id)
{
  const char *max_text = sd_fake_request_param (request, "max_results");
  const char *start_text = sd_fake_request_param (request, "start_time");
  const char *token = sd_fake_request_param (request, "pagination_token");
  guint max_results = max_text != NULL ? (guint) g_ascii_strtoull (max_text, NULL, 10) : 10;
  guint skip = token != NULL && token[0] == 'p' ? (guint) g_ascii_strtoull (token + 1, NULL, 10) : 0;
  g_autoptr(GDateTime) start = start_text != NULL ? g_date_time_new_from_iso8601 (start_text, NULL) : NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *oldest = NULL;
  guint seen = 0;
  guint count = 0;
  gboolean more = FALSE;

  if (!take_rate (self, request, user_id, "GET /2/users/:id/tweets", 900))
    return TRUE;
  if (max_results < 5 || max_results > 100 || (start_text != NULL && start == NULL))
    {
      respond_invalid (request, start == NULL && start_text != NULL ? "start_time" : "max_results",
                       start == NULL && start_text != NULL ? start_text : max_text,
                       "One or more parameters to your request was invalid.");
      return TRUE;
    }
  if (!g_hash_table_contains (self->users, author_id))
    {
      respond_problem (request, 404, "Not Found Error", "Could not find user with id: [].",
                       "https://api.twitter.com/2/problems/resource-not-found");
      return TRUE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = self->posts->len; i > 0; i--)
    {
      FakePost *post = g_ptr_array_index (self->posts, i - 1);

      if (g_strcmp0 (post->author_id, author_id) != 0
          || (start != NULL && post->created_at < g_date_time_to_unix (start)))
        continue;
      if (seen++ < skip)
        continue;
      if (count == max_results)
        {
          more = TRUE;
          break;
        }
      if (count == 0)
        {
          json_builder_set_member_name (builder, "data");
          json_builder_begin_array (builder);
          newest = g_strdup (post->id);
        }
      add_post_object (self, builder, post);
      g_free (oldest);
      oldest = g_strdup (post->id);
      count++;
    }
  if (count > 0)
    json_builder_end_array (builder);
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "result_count");
  json_builder_add_int_value (builder, count);
  if (count > 0)
    {
      json_builder_set_member_name (builder, "newest_id");
      json_builder_add_string_value (builder, newest);
      json_builder_set_member_name (builder, "oldest_id");
      json_builder_add_string_value (builder, oldest);
    }
  if (more)
    {
      g_autofree char *next = g_strdup_printf ("p%u", skip + count);

      json_builder_set_member_name (builder, "next_token");
      json_builder_add_string_value (builder, next);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
  return TRUE;
}

/* Media */

static void
respond_media (SdFakeX       *self,
               SdFakeRequest *request,
               FakeMedia     *media,
               gboolean       with_state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = g_strdup_printf ("%s_%s", g_str_equal (media->category, "tweet_image") ? "3" : "7",
                                          media->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, media->id);
  json_builder_set_member_name (builder, "media_key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "expires_after_secs");
  json_builder_add_int_value (builder, MEDIA_LIFETIME);
  if (media->finalized)
    {
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, media->received);
    }
  if (with_state)
    {
      json_builder_set_member_name (builder, "processing_info");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, media->polls_left == 0 ? "succeeded"
                                              : media->segments > 0 ? "in_progress" : "pending");
      if (media->polls_left > 0)
        {
          json_builder_set_member_name (builder, "check_after_secs");
          json_builder_add_int_value (builder, 1);
        }
      json_builder_set_member_name (builder, "progress_percent");
      json_builder_add_int_value (builder, media->polls_left == 0 ? 100 : 50);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

static FakeMedia *
new_media (SdFakeX    *self,
           const char *owner,
           const char *category,
           const char *type)
{
  FakeMedia *media = g_new0 (FakeMedia, 1);

  media->id = sd_fake_http_new_id (self->http);
  media->owner = g_strdup (owner);
  media->category = g_strdup (category);
  media->type = g_strdup (type);
  g_hash_table_insert (self->media, media->id, media);
  self->media_uploads++;
  return media;
}

static gboolean
handle_simple_upload (SdFakeX       *self,
                      SdFakeRequest *request,
                      const char    *user_id)
{
  GBytes *file = multipart_file (request, "media");
  const char *category = sd_fake_request_param (request, "media_category");
  const char *type = sd_fake_request_param (request, "media_type");
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "POST /2/media/upload", 500))
    return TRUE;
  if (file == NULL || g_bytes_get_size (file) == 0)
    {
      respond_invalid (request, "media", NULL, "The `media` field is required.");
      return TRUE;
    }
  if (category != NULL && !g_str_equal (category, "tweet_image") && !g_str_equal (category, "dm_image")
      && !g_str_equal (category, "subtitles"))
    {
      respond_invalid (request, "media_category", category,
                       "Use the chunked upload for videos and GIFs.");
      return TRUE;
    }
  media = new_media (self, user_id, category != NULL ? category : "tweet_image", type);
  media->total_bytes = media->received = (gint64) g_bytes_get_size (file);
  media->segments = 1;
  media->finalized = TRUE;
  respond_media (self, request, media, FALSE);
  return TRUE;
}

static gboolean
handle_initialize (SdFakeX       *self,
                   SdFakeRequest *request,
                   const char    *user_id)
{
  const char *type = sd_fake_request_param (request, "media_type");
  const char *category = sd_fake_request_param (request, "media_category");
  const char *total = sd_fake_request_param (request, "total_bytes");
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "POST /2/media/upload/initialize", 500))
    return TRUE;
  if (type == NULL || total == NULL || g_ascii_strtoll (total, NULL, 10) <= 0)
    {
      respond_invalid (request, type == NULL ? "media_type" : "total_bytes", NULL,
                       "The `media_type` and `total_bytes` fields are required.");
      return TRUE;
    }
  media = new_media (self, user_id, category != NULL ? category : "tweet_video", type);
  media->total_bytes = g_ascii_strtoll (total, NULL, 10);
  respond_media (self, request, media, FALSE);
  return TRUE;
}

static FakeMedia *
owned_media (SdFakeX       *self,
             SdFakeRequest *request,
             const char    *user_id,
             const char    *id)
{
  FakeMedia *media = id != NULL ? g_hash_table_lookup (self->media, id) : NULL;

  if (media == NULL || g_strcmp0 (media->owner, user_id) != 0)
    {
      respond_invalid (request, "id", id, "The media id is not valid.");
      return NULL;
    }
  return media;
}

static gboolean
handle_append (SdFakeX       *self,
               SdFakeRequest *request,
               const char    *user_id,
               const char    *id)
{
  GBytes *chunk = multipart_file (request, "media");
  const char *index = sd_fake_request_param (request, "segment_index");
  g_autofree char *answer = NULL;
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "POST /2/media/upload/:id/append", 500))
    return TRUE;
  if ((media = owned_media (self, request, user_id, id)) == NULL)
    return TRUE;
  if (chunk == NULL || index == NULL || media->finalized
      || g_ascii_strtoull (index, NULL, 10) != media->segments)
    {
      respond_invalid (request, "segment_index", index, "The segment is out of order or the upload is finalized.");
      return TRUE;
    }
  media->received += (gint64) g_bytes_get_size (chunk);
  media->segments++;
  answer = g_strdup_printf ("{\"data\":{\"expires_at\":%" G_GINT64_FORMAT "}}",
                            sd_fake_http_now (self->http) + MEDIA_LIFETIME);
  sd_fake_http_respond_json_text (request, 200, answer);
  return TRUE;
}

static gboolean
handle_finalize (SdFakeX       *self,
                 SdFakeRequest *request,
                 const char    *user_id,
                 const char    *id)
{
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "POST /2/media/upload/:id/finalize", 500))
    return TRUE;
  if ((media = owned_media (self, request, user_id, id)) == NULL)
    return TRUE;
  if (media->received != media->total_bytes)
    {
      respond_invalid (request, "id", id, "File size does not match the total_bytes of the upload.");
      return TRUE;
    }
  if (!media->finalized)
    {
      media->finalized = TRUE;
      media->polls_left = g_str_equal (media->category, "tweet_image") ? 0 : self->processing_polls;
    }
  respond_media (self, request, media, !g_str_equal (media->category, "tweet_image"));
  return TRUE;
}

static gboolean
handle_status (SdFakeX       *self,
               SdFakeRequest *request,
               const char    *user_id)
{
  const char *id = sd_fake_request_param (request, "media_id");
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "GET /2/media/upload", 500))
    return TRUE;
  if (g_strcmp0 (sd_fake_request_param (request, "command"), "STATUS") != 0)
    {
      respond_invalid (request, "command", sd_fake_request_param (request, "command"),
                       "The `command` query parameter must be STATUS.");
      return TRUE;
    }
  if ((media = owned_media (self, request, user_id, id)) == NULL)
    return TRUE;
  if (!media->finalized)
    {
      respond_invalid (request, "media_id", id, "The upload is not finalized.");
      return TRUE;
    }
  if (media->polls_left > 0 && media->polls_left != G_MAXUINT)
    media->polls_left--;
  respond_media (self, request, media, TRUE);
  return TRUE;
}

static gboolean
handle_metadata (SdFakeX       *self,
                 SdFakeRequest *request,
                 const char    *user_id)
{
  JsonObject *body = json_body (request);
  const char *id = member_string (body, "id");
  const char *text = member_string (member_object (member_object (body, "metadata"), "alt_text"), "text");
  g_autofree char *answer = NULL;
  FakeMedia *media;

  if (!take_rate (self, request, user_id, "POST /2/media/metadata", 500))
    return TRUE;
  if ((media = owned_media (self, request, user_id, id)) == NULL)
    return TRUE;
  if (text != NULL && g_utf8_strlen (text, -1) > ALT_TEXT_MAX)
    {
      respond_invalid (request, "metadata.alt_text.text", NULL, "Alt text must be at most 1000 characters.");
      return TRUE;
    }
  g_free (media->alt_text);
  media->alt_text = g_strdup (text);
  answer = g_strdup_printf ("{\"data\":{\"associated_metadata\":true,\"id\":\"%s\"}}", media->id);
  sd_fake_http_respond_json_text (request, 200, answer);
  return TRUE;
}

/* The inbox: mentions, tweets by id, recent search, likes, hidden replies,
 * direct messages. Answers as docs.x.com's examples: "data", "includes"
 * ({"users","tweets"} for the expansions asked), "meta" (result_count,
 * newest_id, oldest_id, next_token); only the fields asked for in
 * tweet.fields / dm_event.fields / user.fields besides the defaults (id,
 * text, edit_history_tweet_ids; id, event_type, text for DM events). */

/* Whether a comma-separated list parameter names @item. */
static gboolean
asked (SdFakeRequest *request,
       const char    *param,
       const char    *item)
{
  const char *list = sd_fake_request_param (request, param);
  g_auto(GStrv) items = list != NULL ? g_strsplit (list, ",", -1) : NULL;

  return items != NULL && g_strv_contains ((const char * const *) items, item);
}

/* An answer in JSON; a text holding the six characters "\ud8xx" (a seed's
 * lone surrogate) is served as that JSON escape, as a careless server
 * might. */
static void
respond_inbox (SdFakeRequest *request,
               guint          status,
               JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = json_to_string (root, FALSE);
  g_auto(GStrv) pieces = g_strsplit (json, "\\\\ud8", -1);
  g_autofree char *served = g_strjoinv ("\\ud8", pieces);

  sd_fake_http_respond_json_text (request, status, served);
}

/* The text as served (links as t.co links) with its entities.urls:
 * start/end in code points of the text before & < > are escaped. */
static char *
served_with_entities (FakePost    *post,
                      JsonBuilder *entities)
{
  static GRegex *link;
  g_autoptr(GMatchInfo) match = NULL;
  GString *plain = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  gsize from = 0;
  gboolean any = FALSE;

  if (g_once_init_enter (&link))
    g_once_init_leave (&link, g_regex_new ("https?://[^\\s]+", G_REGEX_OPTIMIZE, 0, NULL));
  json_builder_begin_object (entities);
  g_regex_match (link, post->text, 0, &match);
  while (g_match_info_matches (match))
    {
      int start = 0;
      int end = 0;
      g_autofree char *url = g_match_info_fetch (match, 0);
      glong first;

      g_match_info_fetch_pos (match, 0, &start, &end);
      g_string_append_len (plain, post->text + from, start - from);
      first = g_utf8_strlen (plain->str, plain->len);
      g_string_append (plain, "https://t.co/AbCdEf1234");
      if (!any)
        {
          json_builder_set_member_name (entities, "urls");
          json_builder_begin_array (entities);
          any = TRUE;
        }
      json_builder_begin_object (entities);
      json_builder_set_member_name (entities, "start");
      json_builder_add_int_value (entities, first);
      json_builder_set_member_name (entities, "end");
      json_builder_add_int_value (entities, g_utf8_strlen (plain->str, plain->len));
      json_builder_set_member_name (entities, "url");
      json_builder_add_string_value (entities, "https://t.co/AbCdEf1234");
      json_builder_set_member_name (entities, "expanded_url");
      json_builder_add_string_value (entities, url);
      json_builder_set_member_name (entities, "display_url");
      json_builder_add_string_value (entities, url + (g_str_has_prefix (url, "https://") ? 8 : 7));
      json_builder_end_object (entities);
      from = end;
      g_match_info_next (match, NULL);
    }
  g_string_append (plain, post->text + from);
  if (any)
    json_builder_end_array (entities);
  json_builder_end_object (entities);

  for (const char *p = plain->str; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  g_string_free (plain, TRUE);
  return g_string_free (out, FALSE);
}

static void
add_inbox_tweet (SdFakeX       *self,
                 SdFakeRequest *request,
                 JsonBuilder   *builder,
                 FakePost      *post)
{
  g_autoptr(JsonBuilder) entities = json_builder_new ();
  g_autoptr(JsonNode) entities_node = NULL;
  g_autofree char *served = served_with_entities (post, entities);
  g_autofree char *created = format_time (post->created_at);
  FakePost *parent = post->reply_to != NULL ? find_post (self, post->reply_to) : NULL;

  entities_node = json_builder_get_root (entities);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, post->id);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, served);
  json_builder_set_member_name (builder, "edit_history_tweet_ids");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, post->id);
  json_builder_end_array (builder);
  if (asked (request, "tweet.fields", "author_id"))
    {
      json_builder_set_member_name (builder, "author_id");
      json_builder_add_string_value (builder, post->author_id);
    }
  if (asked (request, "tweet.fields", "created_at"))
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
    }
  if (asked (request, "tweet.fields", "conversation_id"))
    {
      json_builder_set_member_name (builder, "conversation_id");
      json_builder_add_string_value (builder, post->conversation_id);
    }
  if (asked (request, "tweet.fields", "in_reply_to_user_id") && parent != NULL)
    {
      json_builder_set_member_name (builder, "in_reply_to_user_id");
      json_builder_add_string_value (builder, parent->author_id);
    }
  if (asked (request, "tweet.fields", "entities") && json_object_get_size (json_node_get_object (entities_node)) > 0)
    {
      json_builder_set_member_name (builder, "entities");
      json_builder_add_value (builder, json_node_copy (entities_node));
    }
  if (asked (request, "tweet.fields", "referenced_tweets") && (post->reply_to != NULL || post->quote_of != NULL))
    {
      json_builder_set_member_name (builder, "referenced_tweets");
      json_builder_begin_array (builder);
      if (post->reply_to != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "replied_to");
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, post->reply_to);
          json_builder_end_object (builder);
        }
      if (post->quote_of != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "quoted");
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, post->quote_of);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_inbox_user (SdFakeX       *self,
                SdFakeRequest *request,
                JsonBuilder   *builder,
                FakeUser      *user)
{
  g_autofree char *avatar = g_strdup_printf ("%s/profile_images/%s_normal.jpg",
                                             sd_fake_http_get_url (self->http), user->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  if (asked (request, "user.fields", "profile_image_url"))
    {
      json_builder_set_member_name (builder, "profile_image_url");
      json_builder_add_string_value (builder, avatar);
    }
  json_builder_end_object (builder);
}

/* "includes" for the tweets of an answer: their authors and the tweets they reference. */
static void
add_tweet_includes (SdFakeX       *self,
                    SdFakeRequest *request,
                    JsonBuilder   *builder,
                    GPtrArray     *tweets)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new ();
  g_autoptr(GPtrArray) referenced = g_ptr_array_new ();

  for (guint i = 0; i < tweets->len; i++)
    {
      FakePost *post = g_ptr_array_index (tweets, i);
      const char *ids[] = { post->reply_to, post->quote_of };
      FakeUser *user = g_hash_table_lookup (self->users, post->author_id);

      if (asked (request, "expansions", "author_id") && user != NULL && !g_ptr_array_find (users, user, NULL))
        g_ptr_array_add (users, user);
      for (guint j = 0; j < G_N_ELEMENTS (ids); j++)
        {
          FakePost *other = ids[j] != NULL ? find_post (self, ids[j]) : NULL;

          if (asked (request, "expansions", "referenced_tweets.id") && other != NULL
              && !g_ptr_array_find (referenced, other, NULL))
            g_ptr_array_add (referenced, other);
        }
    }
  if (users->len == 0 && referenced->len == 0)
    return;
  json_builder_set_member_name (builder, "includes");
  json_builder_begin_object (builder);
  if (users->len > 0)
    {
      json_builder_set_member_name (builder, "users");
      json_builder_begin_array (builder);
      for (guint i = 0; i < users->len; i++)
        add_inbox_user (self, request, builder, g_ptr_array_index (users, i));
      json_builder_end_array (builder);
    }
  if (referenced->len > 0)
    {
      json_builder_set_member_name (builder, "tweets");
      json_builder_begin_array (builder);
      for (guint i = 0; i < referenced->len; i++)
        add_inbox_tweet (self, request, builder, g_ptr_array_index (referenced, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static int
compare_ids (const char *a,
             const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);

  return la != lb ? (la < lb ? -1 : 1) : strcmp (a, b);
}

static gboolean
mentions_user (FakePost *post,
               FakeUser *user)
{
  g_autofree char *lower = g_utf8_strdown (post->text, -1);
  g_autofree char *handle = g_strconcat ("@", user->username, NULL);
  g_autofree char *lower_handle = g_utf8_strdown (handle, -1);

  return g_strcmp0 (post->author_id, user->id) != 0 && strstr (lower, lower_handle) != NULL;
}

/* A list answer over @tweets (newest first), paged with "p<skip>" tokens. */
static void
respond_tweet_list (SdFakeX       *self,
                    SdFakeRequest *request,
                    GPtrArray     *tweets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *max_text = sd_fake_request_param (request, "max_results");
  const char *token = sd_fake_request_param (request, "pagination_token");
  guint max_results = max_text != NULL ? (guint) g_ascii_strtoull (max_text, NULL, 10) : 10;
  guint skip = token != NULL && token[0] == 'p' ? (guint) g_ascii_strtoull (token + 1, NULL, 10) : 0;
  g_autoptr(GPtrArray) page = g_ptr_array_new ();

  if (max_results < 5 || max_results > 100)
    {
      respond_invalid (request, "max_results", max_text,
                       "The `max_results` query parameter value is not between 5 and 100");
      return;
    }
  for (guint i = skip; i < tweets->len && page->len < max_results; i++)
    g_ptr_array_add (page, g_ptr_array_index (tweets, i));

  json_builder_begin_object (builder);
  if (page->len > 0)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < page->len; i++)
        add_inbox_tweet (self, request, builder, g_ptr_array_index (page, i));
      json_builder_end_array (builder);
      add_tweet_includes (self, request, builder, page);
    }
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "result_count");
  json_builder_add_int_value (builder, page->len);
  if (page->len > 0)
    {
      json_builder_set_member_name (builder, "newest_id");
      json_builder_add_string_value (builder, ((FakePost *) g_ptr_array_index (page, 0))->id);
      json_builder_set_member_name (builder, "oldest_id");
      json_builder_add_string_value (builder, ((FakePost *) g_ptr_array_index (page, page->len - 1))->id);
    }
  if (skip + page->len < tweets->len)
    {
      g_autofree char *next = g_strdup_printf ("p%u", skip + page->len);

      json_builder_set_member_name (builder, "next_token");
      json_builder_add_string_value (builder, next);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond_inbox (request, 200, builder);
}

static gboolean
handle_mentions (SdFakeX       *self,
                 SdFakeRequest *request,
                 const char    *user_id,
                 const char    *mentioned_id)
{
  FakeUser *user = g_hash_table_lookup (self->users, mentioned_id);
  const char *since = sd_fake_request_param (request, "since_id");
  g_autoptr(GPtrArray) tweets = g_ptr_array_new ();

  if (!take_rate (self, request, user_id, "GET /2/users/:id/mentions", 300))
    return TRUE;
  if (user == NULL)
    {
      respond_problem (request, 404, "Not Found Error", "Could not find user with id: [].",
                       "https://api.twitter.com/2/problems/resource-not-found");
      return TRUE;
    }
  for (guint i = self->posts->len; i > 0; i--)
    {
      FakePost *post = g_ptr_array_index (self->posts, i - 1);

      if (mentions_user (post, user) && (since == NULL || compare_ids (post->id, since) > 0))
        g_ptr_array_add (tweets, post);
    }
  respond_tweet_list (self, request, tweets);
  return TRUE;
}

static gboolean
handle_lookup (SdFakeX       *self,
               SdFakeRequest *request,
               const char    *user_id)
{
  const char *ids_text = sd_fake_request_param (request, "ids");
  g_auto(GStrv) ids = ids_text != NULL ? g_strsplit (ids_text, ",", -1) : NULL;
  g_autoptr(GPtrArray) tweets = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!take_rate (self, request, user_id, "GET /2/tweets", 900))
    return TRUE;
  if (ids == NULL || ids[0] == NULL || g_strv_length (ids) > 100)
    {
      respond_invalid (request, "ids", ids_text, "The `ids` query parameter value is not between 1 and 100");
      return TRUE;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      FakePost *post = find_post (self, ids[i]);

      if (post != NULL)
        g_ptr_array_add (tweets, post);
    }
  json_builder_begin_object (builder);
  if (tweets->len > 0)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < tweets->len; i++)
        add_inbox_tweet (self, request, builder, g_ptr_array_index (tweets, i));
      json_builder_end_array (builder);
      add_tweet_includes (self, request, builder, tweets);
    }
  json_builder_end_object (builder);
  respond_inbox (request, 200, builder);
  return TRUE;
}

static gboolean
handle_search (SdFakeX       *self,
               SdFakeRequest *request,
               const char    *user_id)
{
  const char *query = sd_fake_request_param (request, "query");
  g_autoptr(GPtrArray) tweets = g_ptr_array_new ();

  if (!self->search_allowed)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, "socialdesk-client");
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, "When authenticating requests to the Twitter API v2 endpoints, you must "
                                     "use keys and tokens from a Twitter developer App that is attached to a "
                                     "Project. You can create a project via the developer portal.");
      json_builder_set_member_name (builder, "registration_url");
      json_builder_add_string_value (builder, "https://developer.twitter.com/en/docs/projects/overview");
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, "Client Forbidden");
      json_builder_set_member_name (builder, "required_enrollment");
      json_builder_add_string_value (builder, "Appropriate Level of API Access");
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, "client-not-enrolled");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "https://api.twitter.com/2/problems/client-forbidden");
      json_builder_end_object (builder);
      respond_inbox (request, 403, builder);
      return TRUE;
    }
  if (!take_rate (self, request, user_id, "GET /2/tweets/search/recent", 300))
    return TRUE;
  if (query == NULL || !g_str_has_prefix (query, "conversation_id:"))
    {
      respond_invalid (request, "query", query, "The fake only searches by conversation_id.");
      return TRUE;
    }
  for (guint i = self->posts->len; i > 0; i--)
    {
      FakePost *post = g_ptr_array_index (self->posts, i - 1);

      if (g_strcmp0 (post->conversation_id, query + strlen ("conversation_id:")) == 0
          && g_strcmp0 (post->id, post->conversation_id) != 0)
        g_ptr_array_add (tweets, post);
    }
  respond_tweet_list (self, request, tweets);
  return TRUE;
}

static void
respond_data_flag (SdFakeRequest *request,
                   const char    *name,
                   gboolean       value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond_inbox (request, 200, builder);
}

static gboolean
handle_like (SdFakeX       *self,
             SdFakeRequest *request,
             const char    *user_id,
             const char    *path_user,
             const char    *tweet_id)
{
  const char *id = tweet_id != NULL ? tweet_id : member_string (json_body (request), "tweet_id");
  g_autofree char *key = NULL;

  if (!take_rate (self, request, user_id, tweet_id != NULL ? "DELETE /2/users/:id/likes" : "POST /2/users/:id/likes", 50))
    return TRUE;
  if (g_strcmp0 (path_user, user_id) != 0)
    {
      respond_problem (request, 403, "Forbidden", "You are not permitted to perform this action.", "about:blank");
      return TRUE;
    }
  if (id == NULL || find_post (self, id) == NULL)
    {
      respond_invalid (request, "tweet_id", id, "The `tweet_id` field is not a Post that exists.");
      return TRUE;
    }
  key = g_strconcat (user_id, " ", id, NULL);
  if (tweet_id == NULL)
    g_hash_table_add (self->likes, g_steal_pointer (&key));
  else
    g_hash_table_remove (self->likes, key);
  respond_data_flag (request, "liked", tweet_id == NULL);
  return TRUE;
}

static gboolean
handle_hide (SdFakeX       *self,
             SdFakeRequest *request,
             const char    *user_id,
             const char    *tweet_id)
{
  JsonNode *hidden = json_body (request) != NULL ? json_object_get_member (json_body (request), "hidden") : NULL;
  FakePost *post = find_post (self, tweet_id);
  FakePost *root = post != NULL ? find_post (self, post->conversation_id) : NULL;

  if (!take_rate (self, request, user_id, "PUT /2/tweets/:id/hidden", 50))
    return TRUE;
  if (hidden == NULL || !JSON_NODE_HOLDS_VALUE (hidden) || json_node_get_value_type (hidden) != G_TYPE_BOOLEAN)
    {
      respond_invalid (request, "hidden", NULL, "The `hidden` field is required.");
      return TRUE;
    }
  if (post == NULL || post->reply_to == NULL || root == NULL || g_strcmp0 (root->author_id, user_id) != 0)
    {
      respond_problem (request, 403, "Forbidden", "You can only hide or unhide replies to conversations you "
                       "authored.", "about:blank");
      return TRUE;
    }
  post->hidden = json_node_get_boolean (hidden);
  respond_data_flag (request, "hidden", post->hidden);
  return TRUE;
}

/* Direct messages */

static char *
conversation_of (const char *a,
                 const char *b)
{
  return compare_ids (a, b) <= 0 ? g_strconcat (a, "-", b, NULL) : g_strconcat (b, "-", a, NULL);
}

static gboolean
in_conversation (const char *conversation_id,
                 const char *user_id)
{
  g_auto(GStrv) ids = g_strsplit (conversation_id, "-", 2);

  return g_strv_contains ((const char * const *) ids, user_id);
}

/* Without dm.read / dm.write: X's 403. */
static gboolean
dm_allowed (SdFakeX       *self,
            SdFakeRequest *request,
            const char    *user_id)
{
  if (!g_hash_table_contains (self->no_dm_scope, user_id))
    return TRUE;
  respond_problem (request, 403, "Forbidden", "Forbidden", "about:blank");
  return FALSE;
}

static void
add_dm_event (SdFakeRequest *request,
              JsonBuilder   *builder,
              FakeDm        *dm)
{
  g_autofree char *created = format_time (dm->created_at);
  GString *text = g_string_new (NULL);

  /* & < > escaped as in posts (unverified for DM events). */
  for (const char *p = dm->text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (text, "&amp;");
      else if (*p == '<')
        g_string_append (text, "&lt;");
      else if (*p == '>')
        g_string_append (text, "&gt;");
      else
        g_string_append_c (text, *p);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, dm->id);
  json_builder_set_member_name (builder, "event_type");
  json_builder_add_string_value (builder, "MessageCreate");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text->str);
  g_string_free (text, TRUE);
  if (asked (request, "dm_event.fields", "dm_conversation_id"))
    {
      json_builder_set_member_name (builder, "dm_conversation_id");
      json_builder_add_string_value (builder, dm->conversation_id);
    }
  if (asked (request, "dm_event.fields", "created_at"))
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
    }
  if (asked (request, "dm_event.fields", "sender_id"))
    {
      json_builder_set_member_name (builder, "sender_id");
      json_builder_add_string_value (builder, dm->sender_id);
    }
  json_builder_end_object (builder);
}

static gboolean
handle_dm_events (SdFakeX       *self,
                  SdFakeRequest *request,
                  const char    *user_id,
                  const char    *conversation_id)
{
  const char *max_text = sd_fake_request_param (request, "max_results");
  const char *token = sd_fake_request_param (request, "pagination_token");
  guint max_results = max_text != NULL ? (guint) g_ascii_strtoull (max_text, NULL, 10) : 100;
  guint skip = token != NULL && token[0] == 'd' ? (guint) g_ascii_strtoull (token + 1, NULL, 10) : 0;
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autoptr(GPtrArray) senders = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint shown = 0;

  if (!dm_allowed (self, request, user_id)
      || !take_rate (self, request, user_id, "GET /2/dm_events", 300))
    return TRUE;
  if (max_results < 1 || max_results > 100)
    {
      respond_invalid (request, "max_results", max_text,
                       "The `max_results` query parameter value is not between 1 and 100");
      return TRUE;
    }
  for (guint i = self->dms->len; i > 0; i--)
    {
      FakeDm *dm = g_ptr_array_index (self->dms, i - 1);

      if (in_conversation (dm->conversation_id, user_id)
          && (conversation_id == NULL || g_strcmp0 (dm->conversation_id, conversation_id) == 0))
        g_ptr_array_add (events, dm);
    }

  json_builder_begin_object (builder);
  if (skip < events->len)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = skip; i < events->len && shown < max_results; i++, shown++)
        {
          FakeDm *dm = g_ptr_array_index (events, i);
          FakeUser *sender = g_hash_table_lookup (self->users, dm->sender_id);

          add_dm_event (request, builder, dm);
          if (sender != NULL && !g_ptr_array_find (senders, sender, NULL))
            g_ptr_array_add (senders, sender);
        }
      json_builder_end_array (builder);
      if (asked (request, "expansions", "sender_id") && senders->len > 0)
        {
          json_builder_set_member_name (builder, "includes");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "users");
          json_builder_begin_array (builder);
          for (guint i = 0; i < senders->len; i++)
            add_inbox_user (self, request, builder, g_ptr_array_index (senders, i));
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }
  json_builder_set_member_name (builder, "meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "result_count");
  json_builder_add_int_value (builder, shown);
  if (skip + shown < events->len)
    {
      g_autofree char *next = g_strdup_printf ("d%u", skip + shown);

      json_builder_set_member_name (builder, "next_token");
      json_builder_add_string_value (builder, next);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond_inbox (request, 200, builder);
  return TRUE;
}

static FakeDm *
new_dm (SdFakeX    *self,
        const char *conversation_id,
        const char *sender_id,
        const char *text,
        gint64      created_at)
{
  FakeDm *dm = g_new0 (FakeDm, 1);

  dm->id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id++);
  dm->conversation_id = g_strdup (conversation_id);
  dm->sender_id = g_strdup (sender_id);
  dm->text = g_strdup (text);
  dm->created_at = created_at;
  g_ptr_array_add (self->dms, dm);
  return dm;
}

static gboolean
handle_send_dm (SdFakeX       *self,
                SdFakeRequest *request,
                const char    *user_id,
                const char    *conversation_id)
{
  const char *text = member_string (json_body (request), "text");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  FakeDm *dm;

  if (!dm_allowed (self, request, user_id)
      || !take_rate (self, request, user_id, "POST /2/dm_conversations/:id/messages", 200))
    return TRUE;
  if (text == NULL || text[0] == '\0')
    {
      respond_invalid (request, "text", NULL, "The `text` field is required when no attachments are given.");
      return TRUE;
    }
  if (!in_conversation (conversation_id, user_id))
    {
      respond_problem (request, 403, "Forbidden", "You are not permitted to send messages to this conversation.",
                       "about:blank");
      return TRUE;
    }
  dm = new_dm (self, conversation_id, user_id, text, sd_fake_http_now (self->http));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dm_conversation_id");
  json_builder_add_string_value (builder, dm->conversation_id);
  json_builder_set_member_name (builder, "dm_event_id");
  json_builder_add_string_value (builder, dm->id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond_inbox (request, 201, builder);
  return TRUE;
}

static gboolean
handle_inbox (SdFakeX       *self,
              SdFakeRequest *request,
              const char    *user_id,
              gboolean       get,
              gboolean       post,
              GStrv          segments,
              guint          n)
{
  const char *path = request->path;
  gboolean delete = g_str_equal (request->method, "DELETE");
  gboolean put = g_str_equal (request->method, "PUT");

  if (get && n == 4 && g_str_equal (segments[1], "users") && g_str_equal (segments[3], "mentions"))
    return handle_mentions (self, request, user_id, segments[2]);
  if (get && g_str_equal (path, "/2/tweets"))
    return handle_lookup (self, request, user_id);
  if (get && g_str_equal (path, "/2/tweets/search/recent"))
    return handle_search (self, request, user_id);
  if (post && n == 4 && g_str_equal (segments[1], "users") && g_str_equal (segments[3], "likes"))
    return handle_like (self, request, user_id, segments[2], NULL);
  if (delete && n == 5 && g_str_equal (segments[1], "users") && g_str_equal (segments[3], "likes"))
    return handle_like (self, request, user_id, segments[2], segments[4]);
  if (put && n == 4 && g_str_equal (segments[1], "tweets") && g_str_equal (segments[3], "hidden"))
    return handle_hide (self, request, user_id, segments[2]);
  if (get && g_str_equal (path, "/2/dm_events"))
    return handle_dm_events (self, request, user_id, NULL);
  if (get && n == 4 && g_str_equal (segments[1], "dm_conversations") && g_str_equal (segments[3], "dm_events"))
    return handle_dm_events (self, request, user_id, segments[2]);
  if (post && n == 4 && g_str_equal (segments[1], "dm_conversations") && g_str_equal (segments[3], "messages"))
    return handle_send_dm (self, request, user_id, segments[2]);
  return FALSE;
}

/* Routing */

static gboolean
handle (SdFakeHttp    *http,
        SdFakeRequest *request,
        gpointer       user_data)
{
  SdFakeX *self = user_data;
  gboolean get = g_str_equal (request->method, "GET");
  gboolean post = g_str_equal (request->method, "POST");
  const char *path = request->path;
  g_auto(GStrv) segments = NULL;
  const char *user_id;
  guint n;

  if (get && g_str_equal (path, "/i/oauth2/authorize"))
    {
      sd_fake_http_handle_authorize_locked (http, request, NULL, "S256");
      return TRUE;
    }
  if (post && g_str_equal (path, "/2/oauth2/token"))
    return handle_token (self, request);
  if (!g_str_has_prefix (path, "/2/"))
    return FALSE;

  if ((user_id = authorized_user (self, request)) == NULL)
    return TRUE;

  segments = g_strsplit (path + 1, "/", -1);
  n = g_strv_length (segments);
  if (get && g_str_equal (path, "/2/users/me"))
    return handle_me (self, request, user_id);
  if (get && n == 4 && g_str_equal (segments[1], "users") && g_str_equal (segments[3], "tweets"))
    return handle_user_posts (self, request, user_id, segments[2]);
  if (post && g_str_equal (path, "/2/tweets"))
    return handle_create_post (self, request, user_id);
  if (post && g_str_equal (path, "/2/media/upload"))
    return handle_simple_upload (self, request, user_id);
  if (get && g_str_equal (path, "/2/media/upload"))
    return handle_status (self, request, user_id);
  if (post && g_str_equal (path, "/2/media/upload/initialize"))
    return handle_initialize (self, request, user_id);
  if (post && n == 5 && g_str_equal (segments[1], "media") && g_str_equal (segments[2], "upload")
      && g_str_equal (segments[4], "append"))
    return handle_append (self, request, user_id, segments[3]);
  if (post && n == 5 && g_str_equal (segments[1], "media") && g_str_equal (segments[2], "upload")
      && g_str_equal (segments[4], "finalize"))
    return handle_finalize (self, request, user_id, segments[3]);
  if (post && g_str_equal (path, "/2/media/metadata"))
    return handle_metadata (self, request, user_id);
  return handle_inbox (self, request, user_id, get, post, segments, n);
}

/* Public */

SdFakeX *
sd_fake_x_new (void)
{
  SdFakeX *self = g_new0 (SdFakeX, 1);

  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) user_free);
  self->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) post_free);
  self->media = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) media_free);
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->processing_polls = 1;
  self->post_limit = 100;
  self->dms = g_ptr_array_new_with_free_func ((GDestroyNotify) dm_free);
  self->likes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->no_dm_scope = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_id = G_GUINT64_CONSTANT (1800000000000000000);
  self->http = sd_fake_http_new (handle, self);
  sd_fake_http_set_rate_limited (self->http, on_rate_limited, self);
  return self;
}

void
sd_fake_x_free (SdFakeX *self)
{
  if (self == NULL)
    return;
  sd_fake_http_free (self->http);
  g_hash_table_unref (self->users);
  g_ptr_array_unref (self->posts);
  g_hash_table_unref (self->media);
  g_hash_table_unref (self->windows);
  g_ptr_array_unref (self->dms);
  g_hash_table_unref (self->likes);
  g_hash_table_unref (self->no_dm_scope);
  g_free (self);
}

const char *
sd_fake_x_get_url (SdFakeX *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_x_get_http (SdFakeX *self)
{
  return self->http;
}

void
sd_fake_x_add_user (SdFakeX    *self,
                    const char *user_id,
                    const char *username,
                    const char *access_token,
                    const char *refresh_token)
{
  FakeUser *user = g_new0 (FakeUser, 1);

  user->id = g_strdup (user_id);
  user->username = g_strdup (username);
  user->name = g_strdup_printf ("%c%s", g_ascii_toupper (username[0]), username + 1);
  sd_fake_http_lock (self->http);
  g_hash_table_replace (self->users, user->id, user);
  if (access_token != NULL)
    sd_fake_http_add_token_locked (self->http, user_id, access_token, refresh_token, TOKEN_LIFETIME);
  sd_fake_http_unlock (self->http);
}

guint
sd_fake_x_count_posts (SdFakeX *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->posts->len;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_x_count_posts_with_text (SdFakeX    *self,
                                 const char *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->posts->len; i++)
    if (g_strcmp0 (((FakePost *) g_ptr_array_index (self->posts, i))->text, text) == 0)
      n++;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_x_count_media_uploads (SdFakeX *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->media_uploads;
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_x_dup_post_json (SdFakeX    *self,
                         const char *post_id)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created = NULL;
  FakePost *post;
  char *json = NULL;

  sd_fake_http_lock (self->http);
  post = find_post (self, post_id);
  if (post != NULL)
    {
      created = format_time (post->created_at);
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, post->id);
      json_builder_set_member_name (builder, "author_id");
      json_builder_add_string_value (builder, post->author_id);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, post->text);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "in_reply_to_tweet_id");
      add_string_or_null (builder, post->reply_to);
      json_builder_set_member_name (builder, "conversation_id");
      json_builder_add_string_value (builder, post->conversation_id);
      json_builder_set_member_name (builder, "media_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; post->media_ids[i] != NULL; i++)
        json_builder_add_string_value (builder, post->media_ids[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
    }
  sd_fake_http_unlock (self->http);
  return json;
}

char *
sd_fake_x_dup_media_json (SdFakeX    *self,
                          const char *media_id)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  FakeMedia *media;
  char *json = NULL;

  sd_fake_http_lock (self->http);
  media = g_hash_table_lookup (self->media, media_id);
  if (media != NULL)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, media->id);
      json_builder_set_member_name (builder, "media_category");
      json_builder_add_string_value (builder, media->category);
      json_builder_set_member_name (builder, "media_type");
      add_string_or_null (builder, media->type);
      json_builder_set_member_name (builder, "total_bytes");
      json_builder_add_int_value (builder, media->total_bytes);
      json_builder_set_member_name (builder, "received_bytes");
      json_builder_add_int_value (builder, media->received);
      json_builder_set_member_name (builder, "segments");
      json_builder_add_int_value (builder, media->segments);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, !media->finalized ? "uploading"
                                              : media->polls_left > 0 ? "in_progress" : "succeeded");
      json_builder_set_member_name (builder, "alt_text");
      add_string_or_null (builder, media->alt_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
    }
  sd_fake_http_unlock (self->http);
  return json;
}

void
sd_fake_x_set_processing_polls (SdFakeX *self,
                                guint    polls)
{
  GHashTableIter iter;
  FakeMedia *media;

  sd_fake_http_lock (self->http);
  self->processing_polls = polls;
  g_hash_table_iter_init (&iter, self->media);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &media))
    if (media->finalized && media->polls_left > 0)
      media->polls_left = polls;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_x_set_post_limit (SdFakeX *self,
                          guint    limit)
{
  sd_fake_http_lock (self->http);
  self->post_limit = limit;
  sd_fake_http_unlock (self->http);
}

/* The inbox */

char *
sd_fake_x_add_tweet (SdFakeX    *self,
                     const char *author_id,
                     const char *text,
                     const char *reply_to,
                     const char *quote_of,
                     gint64      age)
{
  FakePost *post = g_new0 (FakePost, 1);
  FakePost *parent;
  char *id;

  sd_fake_http_lock (self->http);
  parent = reply_to != NULL ? find_post (self, reply_to) : NULL;
  post->id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id++);
  post->author_id = g_strdup (author_id);
  post->text = g_strdup (text);
  post->reply_to = g_strdup (reply_to);
  post->quote_of = g_strdup (quote_of);
  post->conversation_id = g_strdup (parent != NULL ? parent->conversation_id : post->id);
  post->media_ids = g_new0 (char *, 1);
  post->created_at = sd_fake_http_now (self->http) - age;
  g_ptr_array_add (self->posts, post);
  id = g_strdup (post->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_x_add_dm (SdFakeX    *self,
                  const char *sender_id,
                  const char *recipient_id,
                  const char *text,
                  gint64      age)
{
  g_autofree char *conversation = conversation_of (sender_id, recipient_id);
  char *id;

  sd_fake_http_lock (self->http);
  id = g_strdup (new_dm (self, conversation, sender_id, text, sd_fake_http_now (self->http) - age)->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_x_dup_conversation_id (const char *user_a,
                               const char *user_b)
{
  return conversation_of (user_a, user_b);
}

void
sd_fake_x_set_dm_scope (SdFakeX    *self,
                        const char *user_id,
                        gboolean    allowed)
{
  sd_fake_http_lock (self->http);
  if (allowed)
    g_hash_table_remove (self->no_dm_scope, user_id);
  else
    g_hash_table_add (self->no_dm_scope, g_strdup (user_id));
  sd_fake_http_unlock (self->http);
}

void
sd_fake_x_set_search_allowed (SdFakeX  *self,
                              gboolean  allowed)
{
  sd_fake_http_lock (self->http);
  self->search_allowed = allowed;
  sd_fake_http_unlock (self->http);
}

gboolean
sd_fake_x_is_liked (SdFakeX    *self,
                    const char *user_id,
                    const char *tweet_id)
{
  g_autofree char *key = g_strconcat (user_id, " ", tweet_id, NULL);
  gboolean liked;

  sd_fake_http_lock (self->http);
  liked = g_hash_table_contains (self->likes, key);
  sd_fake_http_unlock (self->http);
  return liked;
}

gboolean
sd_fake_x_is_hidden (SdFakeX    *self,
                     const char *tweet_id)
{
  FakePost *post;
  gboolean hidden;

  sd_fake_http_lock (self->http);
  post = find_post (self, tweet_id);
  hidden = post != NULL && post->hidden;
  sd_fake_http_unlock (self->http);
  return hidden;
}

guint
sd_fake_x_count_dms_with_text (SdFakeX    *self,
                               const char *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->dms->len; i++)
    if (g_strcmp0 (((FakeDm *) g_ptr_array_index (self->dms, i))->text, text) == 0)
      n++;
  sd_fake_http_unlock (self->http);
  return n;
}
