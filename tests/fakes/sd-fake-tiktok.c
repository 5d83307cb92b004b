/* sd-fake-tiktok.c — a loopback TikTok (Content Posting API, Login Kit)
 *
 * Canned answers follow the examples of developers.tiktok.com: "Content
 * Posting API — Direct Post", "Query Creator Info", "Get Post Status",
 * "Media Transfer Guide", "Get User Info", "OAuth user access token
 * management" and "API v2 error handling". Error messages the
 * documentation does not spell out are marked as the fake's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-fake-tiktok"

#include "sd-fake-tiktok.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define MB                (1024 * 1024)
#define MIN_CHUNK         (5 * MB)
#define MAX_CHUNK         (64 * MB)
#define MAX_LAST_CHUNK    (128 * MB)
#define MAX_CHUNKS        1000
#define MAX_TITLE_UNITS   2200
#define MAX_PHOTOS        35

typedef struct
{
  char *open_id;
  char *union_id;
  char *username;
  char *display_name;
} FakeUser;

typedef enum
{
  PUBLISH_UPLOADING,
  PUBLISH_READY,      /* all there; processing */
  PUBLISH_COMPLETE,
  PUBLISH_FAILED,
} PublishState;

typedef struct
{
  char         *id;
  char         *open_id;
  gboolean      video;
  JsonObject   *post;          /* what the post will be (sd_fake_tiktok_dup_last_post_json) */
  char         *upload_id;
  char         *upload_token;
  gint64        video_size;
  gint64        chunk_size;
  gint64        n_chunks;
  gint64        uploaded;
  gint64        chunks_received;
  GChecksum    *checksum;
  PublishState  state;
  guint         fetches_left;
  char         *fail_reason;
  char         *post_id;
} FakePublish;

struct _SdFakeTiktok
{
  SdFakeHttp  *http;
  GHashTable  *users;          /* open_id → FakeUser */
  GPtrArray   *publishes;      /* FakePublish, in order */
  GPtrArray   *posts;          /* JsonObject, in order */
  GHashTable  *init_calls;     /* access token → GArray of gint64 (fake clock) */
  GStrv        privacy_options;
  gboolean     comment_disabled;
  gboolean     duet_disabled;
  gboolean     stitch_disabled;
  GPtrArray   *verified_prefixes;
  gboolean     profile_scope;
  guint        init_limit;
  guint        processing_fetches;
  gboolean     hold;
  char        *fail_next;
  guint        refuse_status;
  char        *refuse_code;
  char        *refuse_message;
  guint        n_inits;
};

static void
fake_user_free (FakeUser *user)
{
  g_free (user->open_id);
  g_free (user->union_id);
  g_free (user->username);
  g_free (user->display_name);
  g_free (user);
}

static void
fake_publish_free (FakePublish *publish)
{
  g_free (publish->id);
  g_free (publish->open_id);
  g_clear_pointer (&publish->post, json_object_unref);
  g_free (publish->upload_id);
  g_free (publish->upload_token);
  g_clear_pointer (&publish->checksum, g_checksum_free);
  g_free (publish->fail_reason);
  g_free (publish->post_id);
  g_free (publish);
}

/* Answers */

static char *
new_log_id (SdFakeTiktok *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (sd_fake_http_now (self->http));
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");
  g_autofree char *id = sd_fake_http_new_id (self->http);

  return g_strdup_printf ("%s%.20s", stamp, id);
}

/* The v2 envelope; @data is taken (NULL: {}). */
static void
respond (SdFakeTiktok  *self,
         SdFakeRequest *request,
         guint          status,
         JsonObject    *data,
         const char    *code,
         const char    *message)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *error = json_object_new ();
  g_autofree char *log_id = new_log_id (self);

  json_object_set_object_member (root, "data", data != NULL ? data : json_object_new ());
  json_object_set_string_member (error, "code", code != NULL ? code : "ok");
  json_object_set_string_member (error, "message", message != NULL ? message : "");
  json_object_set_string_member (error, "log_id", log_id);
  json_object_set_object_member (root, "error", error);
  json_node_set_object (node, root);
  sd_fake_http_respond_json (request, status, node);
}

static void
respond_error (SdFakeTiktok  *self,
               SdFakeRequest *request,
               guint          status,
               const char    *code,
               const char    *message)
{
  respond (self, request, status, NULL, code, message);
}

/* The bearer's open_id, or NULL after answering 401. */
static const char *
authorize (SdFakeTiktok  *self,
           SdFakeRequest *request)
{
  const char *user_id = NULL;

  if (sd_fake_http_check_token_locked (self->http, request->bearer, &user_id) == SD_FAKE_TOKEN_VALID)
    return user_id;
  respond_error (self, request, 401, "access_token_invalid",
                 "The access token is invalid or not found in the request.");
  return NULL;
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

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static glong
utf16_units (const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong units = 0;

  utf16 = g_utf8_to_utf16 (text, -1, NULL, &units, NULL);
  return utf16 != NULL ? units : G_MAXLONG;
}

/* Publishes and posts */

static void
make_post (SdFakeTiktok *self,
           FakePublish  *publish)
{
  const char *privacy = member_string (publish->post, "privacy_level");

  publish->state = PUBLISH_COMPLETE;
  publish->post_id = sd_fake_http_new_id (self->http);
  json_object_set_string_member (publish->post, "id", publish->post_id);
  g_ptr_array_add (self->posts, json_object_ref (publish->post));
  /* Private posts get no public id (Get Post Status). */
  if (g_strcmp0 (privacy, "SELF_ONLY") == 0)
    g_clear_pointer (&publish->post_id, g_free);
}

static void
make_ready (SdFakeTiktok *self,
            FakePublish  *publish)
{
  publish->state = PUBLISH_READY;
  publish->fetches_left = self->processing_fetches;
  if (self->fail_next != NULL)
    {
      publish->fail_reason = g_steal_pointer (&self->fail_next);
      publish->fetches_left = 0;
    }
}

/* A ready publish ends now, unless held (failures are not held). */
static void
settle (SdFakeTiktok *self,
        FakePublish  *publish)
{
  if (publish->state != PUBLISH_READY)
    return;
  if (publish->fail_reason != NULL)
    publish->state = PUBLISH_FAILED;
  else if (!self->hold)
    make_post (self, publish);
}

static void
settle_all (SdFakeTiktok *self)
{
  for (guint i = 0; i < self->publishes->len; i++)
    settle (self, g_ptr_array_index (self->publishes, i));
}

static FakePublish *
find_publish (SdFakeTiktok *self,
              const char   *id)
{
  for (guint i = 0; id != NULL && i < self->publishes->len; i++)
    {
      FakePublish *publish = g_ptr_array_index (self->publishes, i);

      if (strcmp (publish->id, id) == 0)
        return publish;
    }
  return NULL;
}

/* FALSE after answering 429 when the token's init calls of the minute are spent. */
static gboolean
count_init_call (SdFakeTiktok  *self,
                 SdFakeRequest *request)
{
  gint64 now = sd_fake_http_now (self->http);
  GArray *calls = g_hash_table_lookup (self->init_calls, request->bearer);

  if (calls == NULL)
    {
      calls = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->init_calls, g_strdup (request->bearer), calls);
    }
  while (calls->len > 0 && g_array_index (calls, gint64, 0) <= now - 60)
    g_array_remove_index (calls, 0);
  if (self->init_limit > 0 && calls->len >= self->init_limit)
    {
      respond_error (self, request, 429, "rate_limit_exceeded", "API rate limit exceeded, please retry later.");
      return FALSE;
    }
  g_array_append_val (calls, now);
  return TRUE;
}

static gboolean
refused_init (SdFakeTiktok  *self,
              SdFakeRequest *request)
{
  if (self->refuse_code == NULL)
    return FALSE;
  respond_error (self, request, self->refuse_status, self->refuse_code, self->refuse_message);
  g_clear_pointer (&self->refuse_code, g_free);
  g_clear_pointer (&self->refuse_message, g_free);
  return TRUE;
}

/* post_info common to video and photo; FALSE after answering 400/403. */
static gboolean
read_post_info (SdFakeTiktok  *self,
                SdFakeRequest *request,
                JsonObject    *post_info,
                JsonObject    *post)
{
  const char *title = member_string (post_info, "title");
  const char *privacy = member_string (post_info, "privacy_level");

  if (post_info == NULL || privacy == NULL)
    {
      respond_error (self, request, 400, "invalid_params", "post_info.privacy_level is required.");
      return FALSE;
    }
  if (!g_strv_contains ((const char * const *) self->privacy_options, privacy))
    {
      respond_error (self, request, 400, "privacy_level_option_mismatch",
                     "privacy_level is not one of the privacy_level_options of the creator.");
      return FALSE;
    }
  if (title != NULL && utf16_units (title) > MAX_TITLE_UNITS)
    {
      /* The fake's own words. */
      respond_error (self, request, 400, "invalid_params", "The title exceeds 2200 UTF-16 characters.");
      return FALSE;
    }
  json_object_set_string_member (post, "title", title != NULL ? title : "");
  json_object_set_string_member (post, "privacy_level", privacy);
  json_object_set_boolean_member (post, "disable_comment", member_boolean (post_info, "disable_comment"));
  return TRUE;
}

static FakePublish *
new_publish (SdFakeTiktok *self,
             const char   *open_id,
             gboolean      video,
             JsonObject   *post)
{
  FakePublish *publish = g_new0 (FakePublish, 1);
  g_autofree char *number = sd_fake_http_new_id (self->http);

  publish->id = g_strdup_printf (video ? "v_pub_file~v2-1.%s" : "p_pub_url~v2.%s", number);
  publish->open_id = g_strdup (open_id);
  publish->video = video;
  publish->post = post;
  json_object_set_string_member (post, "publish_id", publish->id);
  json_object_set_string_member (post, "open_id", open_id);
  json_object_set_string_member (post, "media_type", video ? "VIDEO" : "PHOTO");
  g_ptr_array_add (self->publishes, publish);
  return publish;
}

static void
handle_video_init (SdFakeTiktok  *self,
                   SdFakeRequest *request,
                   const char    *open_id)
{
  JsonObject *body = json_body (request);
  JsonObject *post_info = member_object (body, "post_info");
  JsonObject *source_info = member_object (body, "source_info");
  g_autoptr(JsonObject) post = json_object_new ();
  gint64 size = 0, chunk = 0, count = 0, last;
  FakePublish *publish;
  JsonObject *data;
  g_autofree char *url = NULL;

  if (refused_init (self, request) || !count_init_call (self, request))
    return;
  self->n_inits++;
  if (g_strcmp0 (member_string (source_info, "source"), "FILE_UPLOAD") != 0
      || !member_int (source_info, "video_size", &size) || !member_int (source_info, "chunk_size", &chunk)
      || !member_int (source_info, "total_chunk_count", &count) || size <= 0 || chunk <= 0)
    {
      respond_error (self, request, 400, "invalid_params",
                     "source_info needs source FILE_UPLOAD, video_size, chunk_size and total_chunk_count.");
      return;
    }
  last = size - (count - 1) * chunk;
  /* The Media Transfer Guide's chunk restrictions. */
  if (count != MAX (size / chunk, 1) || count > MAX_CHUNKS
      || (size < MIN_CHUNK && chunk != size)
      || (size >= MIN_CHUNK && (chunk < MIN_CHUNK || chunk > MAX_CHUNK))
      || last > MAX_LAST_CHUNK)
    {
      respond_error (self, request, 400, "invalid_params",
                     "The chunk_size or total_chunk_count does not follow the media transfer rules.");
      return;
    }
  if (!read_post_info (self, request, post_info, post))
    return;
  json_object_set_boolean_member (post, "disable_duet", member_boolean (post_info, "disable_duet"));
  json_object_set_boolean_member (post, "disable_stitch", member_boolean (post_info, "disable_stitch"));
  json_object_set_string_member (post, "description", "");
  json_object_set_int_member (post, "video_size", size);
  json_object_set_int_member (post, "chunk_size", chunk);
  json_object_set_int_member (post, "total_chunk_count", count);

  publish = new_publish (self, open_id, TRUE, g_steal_pointer (&post));
  publish->video_size = size;
  publish->chunk_size = chunk;
  publish->n_chunks = count;
  publish->upload_id = sd_fake_http_new_id (self->http);
  publish->upload_token = g_uuid_string_random ();
  publish->checksum = g_checksum_new (G_CHECKSUM_SHA256);

  url = g_strdup_printf ("%s/video/?upload_id=%s&upload_token=%s", sd_fake_http_get_url (self->http),
                         publish->upload_id, publish->upload_token);
  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", publish->id);
  json_object_set_string_member (data, "upload_url", url);
  respond (self, request, 200, data, "ok", "");
}

static void
handle_content_init (SdFakeTiktok  *self,
                     SdFakeRequest *request,
                     const char    *open_id)
{
  JsonObject *body = json_body (request);
  JsonObject *post_info = member_object (body, "post_info");
  JsonObject *source_info = member_object (body, "source_info");
  JsonNode *images = source_info != NULL ? json_object_get_member (source_info, "photo_images") : NULL;
  g_autoptr(JsonObject) post = json_object_new ();
  const char *description = member_string (post_info, "description");
  JsonArray *array;
  JsonArray *kept;
  gint64 cover = 0;
  FakePublish *publish;
  JsonObject *data;
  guint n;

  if (refused_init (self, request) || !count_init_call (self, request))
    return;
  self->n_inits++;
  if (g_strcmp0 (member_string (body, "media_type"), "PHOTO") != 0
      || g_strcmp0 (member_string (body, "post_mode"), "DIRECT_POST") != 0
      || g_strcmp0 (member_string (source_info, "source"), "PULL_FROM_URL") != 0
      || images == NULL || !JSON_NODE_HOLDS_ARRAY (images))
    {
      respond_error (self, request, 400, "invalid_params",
                     "media_type PHOTO, post_mode DIRECT_POST and source_info PULL_FROM_URL with photo_images are required.");
      return;
    }
  array = json_node_get_array (images);
  n = json_array_get_length (array);
  member_int (source_info, "photo_cover_index", &cover);
  if (n == 0 || n > MAX_PHOTOS || cover < 0 || cover >= n)
    {
      respond_error (self, request, 400, "invalid_params", "photo_images must hold 1 to 35 URLs and photo_cover_index one of them.");
      return;
    }
  kept = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const char *url = json_array_get_string_element (array, i);
      gboolean verified = self->verified_prefixes->len == 0 && url != NULL && g_str_has_prefix (url, "https://");

      for (guint j = 0; url != NULL && j < self->verified_prefixes->len; j++)
        verified |= g_str_has_prefix (url, g_ptr_array_index (self->verified_prefixes, j));
      if (!verified)
        {
          json_array_unref (kept);
          respond_error (self, request, 403, "url_ownership_unverified",
                         "The domain or URL prefix of the photo URL is not verified.");
          return;
        }
      json_array_add_string_element (kept, url);
    }
  if (!read_post_info (self, request, post_info, post))
    {
      json_array_unref (kept);
      return;
    }
  json_object_set_string_member (post, "description", description != NULL ? description : "");
  json_object_set_array_member (post, "photo_images", kept);
  json_object_set_int_member (post, "photo_cover_index", cover);

  publish = new_publish (self, open_id, FALSE, g_steal_pointer (&post));
  /* TikTok fetches the photos itself: ready at once. */
  make_ready (self, publish);

  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", publish->id);
  respond (self, request, 200, data, "ok", "");
}

static gboolean
parse_range (const char *value,
             gint64     *first,
             gint64     *last,
             gint64     *total)
{
  g_autofree char *copy = NULL;
  char *end = NULL;

  if (value == NULL || !g_str_has_prefix (value, "bytes "))
    return FALSE;
  copy = g_strdup (value + 6);
  *first = g_ascii_strtoll (copy, &end, 10);
  if (end == copy || *end != '-')
    return FALSE;
  *last = g_ascii_strtoll (end + 1, &end, 10);
  if (*end != '/')
    return FALSE;
  *total = g_ascii_strtoll (end + 1, &end, 10);
  return *end == '\0';
}

static void
handle_upload (SdFakeTiktok  *self,
               SdFakeRequest *request)
{
  const char *upload_id = g_hash_table_lookup (request->query, "upload_id");
  const char *token = g_hash_table_lookup (request->query, "upload_token");
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *range = soup_message_headers_get_one (headers, "Content-Range");
  gsize length = g_bytes_get_size (request->body);
  FakePublish *publish = NULL;
  gint64 first, last, total, expected;

  for (guint i = 0; i < self->publishes->len && upload_id != NULL; i++)
    {
      FakePublish *candidate = g_ptr_array_index (self->publishes, i);

      if (g_strcmp0 (candidate->upload_id, upload_id) == 0 && g_strcmp0 (candidate->upload_token, token) == 0)
        publish = candidate;
    }
  /* The fake's own words for the upload service's refusals. */
  if (publish == NULL || publish->state != PUBLISH_UPLOADING)
    {
      respond_error (self, request, 404, "invalid_params", "The upload_id or upload_token is invalid or expired.");
      return;
    }
  if (request->content_type == NULL || !g_str_has_prefix (request->content_type, "video/"))
    {
      respond_error (self, request, 400, "invalid_file_upload", "Content-Type must be the video's MIME type.");
      return;
    }
  expected = publish->chunks_received + 1 == publish->n_chunks
             ? publish->video_size - publish->uploaded : publish->chunk_size;
  if (!parse_range (range, &first, &last, &total) || total != publish->video_size
      || first != publish->uploaded || last - first + 1 != (gint64) length || (gint64) length != expected)
    {
      respond_error (self, request, 400, "invalid_file_upload",
                     "The Content-Range does not match the next chunk of the video.");
      return;
    }

  g_checksum_update (publish->checksum, g_bytes_get_data (request->body, NULL), length);
  publish->uploaded += length;
  publish->chunks_received++;
  if (publish->chunks_received < publish->n_chunks)
    {
      sd_fake_http_respond_text (request, SOUP_STATUS_PARTIAL_CONTENT, "text/plain", "");
      return;
    }
  json_object_set_string_member (publish->post, "video_sha256", g_checksum_get_string (publish->checksum));
  make_ready (self, publish);
  sd_fake_http_respond_text (request, SOUP_STATUS_CREATED, "text/plain", "");
}

static void
handle_status_fetch (SdFakeTiktok  *self,
                     SdFakeRequest *request,
                     const char    *open_id)
{
  FakePublish *publish = find_publish (self, member_string (json_body (request), "publish_id"));
  JsonObject *data;
  JsonArray *ids;
  const char *state;

  if (publish == NULL || g_strcmp0 (publish->open_id, open_id) != 0)
    {
      respond_error (self, request, 400, "invalid_params", "The publish_id is invalid.");
      return;
    }
  if (publish->state == PUBLISH_READY)
    {
      if (publish->fetches_left > 0)
        publish->fetches_left--;
      else
        settle (self, publish);
    }

  data = json_object_new ();
  ids = json_array_new ();
  switch (publish->state)
    {
    case PUBLISH_UPLOADING:
      state = "PROCESSING_UPLOAD";
      break;
    case PUBLISH_READY:
      state = publish->video ? "PROCESSING_UPLOAD" : "PROCESSING_DOWNLOAD";
      break;
    case PUBLISH_COMPLETE:
      state = "PUBLISH_COMPLETE";
      /* Documented as an array of numbers. */
      if (publish->post_id != NULL)
        json_array_add_int_element (ids, g_ascii_strtoll (publish->post_id, NULL, 10));
      break;
    case PUBLISH_FAILED:
    default:
      state = "FAILED";
      json_object_set_string_member (data, "fail_reason", publish->fail_reason);
      break;
    }
  json_object_set_string_member (data, "status", state);
  json_object_set_array_member (data, "publicaly_available_post_id", ids);
  if (publish->video)
    json_object_set_int_member (data, "uploaded_bytes", publish->uploaded);
  respond (self, request, 200, data, "ok", "");
}

static void
handle_creator_info (SdFakeTiktok  *self,
                     SdFakeRequest *request,
                     const char    *open_id)
{
  FakeUser *user = g_hash_table_lookup (self->users, open_id);
  JsonObject *data = json_object_new ();
  JsonArray *options = json_array_new ();

  for (guint i = 0; self->privacy_options[i] != NULL; i++)
    json_array_add_string_element (options, self->privacy_options[i]);
  json_object_set_string_member (data, "creator_avatar_url",
                                 "https://lf16-tt4d.tiktokcdn.com/obj/tiktok-open-platform/8d5740ac3844be417beeacd0df75aef1");
  json_object_set_string_member (data, "creator_username", user != NULL ? user->username : "");
  json_object_set_string_member (data, "creator_nickname", user != NULL ? user->display_name : "");
  json_object_set_array_member (data, "privacy_level_options", options);
  json_object_set_boolean_member (data, "comment_disabled", self->comment_disabled);
  json_object_set_boolean_member (data, "duet_disabled", self->duet_disabled);
  json_object_set_boolean_member (data, "stitch_disabled", self->stitch_disabled);
  json_object_set_int_member (data, "max_video_post_duration_sec", 300);
  respond (self, request, 200, data, "ok", "");
}

static void
handle_user_info (SdFakeTiktok  *self,
                  SdFakeRequest *request,
                  const char    *open_id)
{
  FakeUser *user = g_hash_table_lookup (self->users, open_id);
  const char *fields = g_hash_table_lookup (request->query, "fields");
  g_auto(GStrv) names = g_strsplit (fields != NULL ? fields : "", ",", -1);
  JsonObject *data;
  JsonObject *out;

  if (fields == NULL || *fields == '\0')
    {
      respond_error (self, request, 400, "invalid_params", "fields is required.");
      return;
    }
  if (g_strv_contains ((const char * const *) names, "username") && !self->profile_scope)
    {
      respond_error (self, request, 401, "scope_not_authorized",
                     "The user did not authorize the scope required for completing this request.");
      return;
    }

  out = json_object_new ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);

      if (strcmp (name, "open_id") == 0)
        json_object_set_string_member (out, name, user->open_id);
      else if (strcmp (name, "union_id") == 0)
        json_object_set_string_member (out, name, user->union_id);
      else if (strcmp (name, "avatar_url") == 0)
        json_object_set_string_member (out, name,
                                       "https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg");
      else if (strcmp (name, "display_name") == 0)
        json_object_set_string_member (out, name, user->display_name);
      else if (strcmp (name, "username") == 0)
        json_object_set_string_member (out, name, user->username);
    }
  data = json_object_new ();
  json_object_set_object_member (data, "user", out);
  respond (self, request, 200, data, "ok", "");
}

static void
respond_oauth_error (SdFakeTiktok  *self,
                     SdFakeRequest *request,
                     const char    *error,
                     const char    *description)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *log_id = new_log_id (self);

  json_object_set_string_member (root, "error", error);
  json_object_set_string_member (root, "error_description", description);
  json_object_set_string_member (root, "log_id", log_id);
  json_node_set_object (node, root);
  /* TikTok answers OAuth errors with 200 and this object. */
  sd_fake_http_respond_json (request, 200, node);
}

static void
respond_tokens (SdFakeTiktok  *self,
                SdFakeRequest *request,
                const char    *access_token,
                const char    *refresh_token,
                const char    *open_id)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (root, "access_token", access_token);
  json_object_set_int_member (root, "expires_in", SD_FAKE_TIKTOK_TOKEN_LIFETIME);
  json_object_set_string_member (root, "open_id", open_id);
  json_object_set_int_member (root, "refresh_expires_in", SD_FAKE_TIKTOK_REFRESH_LIFETIME);
  json_object_set_string_member (root, "refresh_token", refresh_token);
  json_object_set_string_member (root, "scope", "user.info.basic,video.publish,video.upload");
  json_object_set_string_member (root, "token_type", "Bearer");
  json_node_set_object (node, root);
  sd_fake_http_respond_json (request, 200, node);
}

static void
handle_token (SdFakeTiktok  *self,
              SdFakeRequest *request)
{
  const char *grant = sd_fake_request_param (request, "grant_type");
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  const char *user_id = NULL;

  if (g_strcmp0 (sd_fake_request_param (request, "client_key"), SD_FAKE_TIKTOK_CLIENT_KEY) != 0
      || g_strcmp0 (sd_fake_request_param (request, "client_secret"), SD_FAKE_TIKTOK_CLIENT_SECRET) != 0)
    {
      respond_oauth_error (self, request, "invalid_client", "Client key or secret is incorrect.");
      return;
    }
  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"),
                                            SD_FAKE_TIKTOK_CLIENT_KEY,
                                            sd_fake_request_param (request, "redirect_uri"),
                                            sd_fake_request_param (request, "code_verifier"),
                                            SD_FAKE_TIKTOK_TOKEN_LIFETIME, TRUE, &access, &refresh, &user_id))
        {
          respond_oauth_error (self, request, "invalid_grant", "Authorization code is expired.");
          return;
        }
    }
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      if (sd_fake_http_refresh_locked (self->http, sd_fake_request_param (request, "refresh_token"),
                                       &access, &refresh, NULL, &user_id) != SD_FAKE_TOKEN_VALID)
        {
          respond_oauth_error (self, request, "invalid_grant", "Refresh token is invalid or expired.");
          return;
        }
    }
  else
    {
      respond_oauth_error (self, request, "unsupported_grant_type", "The grant type is not supported.");
      return;
    }
  respond_tokens (self, request, access, refresh, user_id);
}

static gboolean
handler (SdFakeHttp    *http,
         SdFakeRequest *request,
         gpointer       user_data)
{
  SdFakeTiktok *self = user_data;
  gboolean is_post = g_strcmp0 (request->method, "POST") == 0;
  const char *open_id;

  if (strcmp (request->path, "/v2/auth/authorize/") == 0)
    {
      sd_fake_http_handle_authorize_locked (http, request, "client_key", "hex");
      return TRUE;
    }
  if (strcmp (request->path, "/v2/oauth/token/") == 0 && is_post)
    {
      handle_token (self, request);
      return TRUE;
    }
  if (strcmp (request->path, "/video/") == 0 && g_strcmp0 (request->method, "PUT") == 0)
    {
      handle_upload (self, request);
      return TRUE;
    }

  if (strcmp (request->path, "/v2/user/info/") == 0 && g_strcmp0 (request->method, "GET") == 0)
    {
      if ((open_id = authorize (self, request)) != NULL)
        handle_user_info (self, request, open_id);
      return TRUE;
    }
  if (!is_post || !g_str_has_prefix (request->path, "/v2/post/publish/"))
    return FALSE;
  if ((open_id = authorize (self, request)) == NULL)
    return TRUE;
  if (strcmp (request->path, "/v2/post/publish/creator_info/query/") == 0)
    handle_creator_info (self, request, open_id);
  else if (strcmp (request->path, "/v2/post/publish/video/init/") == 0)
    handle_video_init (self, request, open_id);
  else if (strcmp (request->path, "/v2/post/publish/content/init/") == 0)
    handle_content_init (self, request, open_id);
  else if (strcmp (request->path, "/v2/post/publish/status/fetch/") == 0)
    handle_status_fetch (self, request, open_id);
  else
    return FALSE;
  return TRUE;
}

static void
rate_limited (SdFakeHttp    *http,
              SdFakeRequest *request,
              gpointer       user_data)
{
  respond_error (user_data, request, 429, "rate_limit_exceeded", "API rate limit exceeded, please retry later.");
}

/* Public API */

SdFakeTiktok *
sd_fake_tiktok_new (void)
{
  SdFakeTiktok *self = g_new0 (SdFakeTiktok, 1);
  const char *options[] = { "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY", NULL };

  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_user_free);
  self->publishes = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_publish_free);
  self->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->init_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->privacy_options = g_strdupv ((char **) options);
  self->verified_prefixes = g_ptr_array_new_with_free_func (g_free);
  self->profile_scope = TRUE;
  self->init_limit = 6;
  self->processing_fetches = 1;
  self->http = sd_fake_http_new (handler, self);
  sd_fake_http_set_rate_limited (self->http, rate_limited, self);
  return self;
}

void
sd_fake_tiktok_free (SdFakeTiktok *self)
{
  if (self == NULL)
    return;
  /* The server first: its thread may be in the handler. */
  sd_fake_http_free (self->http);
  g_hash_table_unref (self->users);
  g_ptr_array_unref (self->publishes);
  g_ptr_array_unref (self->posts);
  g_hash_table_unref (self->init_calls);
  g_strfreev (self->privacy_options);
  g_ptr_array_unref (self->verified_prefixes);
  g_free (self->fail_next);
  g_free (self->refuse_code);
  g_free (self->refuse_message);
  g_free (self);
}

const char *
sd_fake_tiktok_get_url (SdFakeTiktok *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_tiktok_get_http (SdFakeTiktok *self)
{
  return self->http;
}

void
sd_fake_tiktok_add_user (SdFakeTiktok *self,
                         const char   *user_id,
                         const char   *username,
                         const char   *access_token,
                         const char   *refresh_token)
{
  FakeUser *user = g_new0 (FakeUser, 1);

  user->open_id = g_strdup (user_id);
  user->union_id = g_strconcat ("union-", user_id, NULL);
  user->username = g_strdup (username);
  user->display_name = g_strdup_printf ("%c%s", g_ascii_toupper (username[0]), username + 1);
  sd_fake_http_lock (self->http);
  g_hash_table_replace (self->users, user->open_id, user);
  if (access_token != NULL)
    sd_fake_http_add_token_locked (self->http, user_id, access_token, refresh_token,
                                   SD_FAKE_TIKTOK_TOKEN_LIFETIME);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_profile_scope (SdFakeTiktok *self,
                                  gboolean      granted)
{
  sd_fake_http_lock (self->http);
  self->profile_scope = granted;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_privacy_options (SdFakeTiktok      *self,
                                    const char * const *options)
{
  sd_fake_http_lock (self->http);
  g_strfreev (self->privacy_options);
  self->privacy_options = g_strdupv ((char **) options);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_creator_disabled (SdFakeTiktok *self,
                                     gboolean      comment,
                                     gboolean      duet,
                                     gboolean      stitch)
{
  sd_fake_http_lock (self->http);
  self->comment_disabled = comment;
  self->duet_disabled = duet;
  self->stitch_disabled = stitch;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_add_verified_prefix (SdFakeTiktok *self,
                                    const char   *prefix)
{
  sd_fake_http_lock (self->http);
  g_ptr_array_add (self->verified_prefixes, g_strdup (prefix));
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_init_limit (SdFakeTiktok *self,
                               guint         per_minute)
{
  sd_fake_http_lock (self->http);
  self->init_limit = per_minute;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_processing_fetches (SdFakeTiktok *self,
                                       guint         fetches)
{
  sd_fake_http_lock (self->http);
  self->processing_fetches = fetches;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_set_hold (SdFakeTiktok *self,
                         gboolean      hold)
{
  sd_fake_http_lock (self->http);
  self->hold = hold;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_fail_next_publish (SdFakeTiktok *self,
                                  const char   *fail_reason)
{
  sd_fake_http_lock (self->http);
  g_free (self->fail_next);
  self->fail_next = g_strdup (fail_reason);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_tiktok_refuse_next_init (SdFakeTiktok *self,
                                 guint         status,
                                 const char   *code,
                                 const char   *message)
{
  sd_fake_http_lock (self->http);
  self->refuse_status = status;
  g_free (self->refuse_code);
  self->refuse_code = g_strdup (code);
  g_free (self->refuse_message);
  self->refuse_message = g_strdup (message);
  sd_fake_http_unlock (self->http);
}

guint
sd_fake_tiktok_count_posts (SdFakeTiktok *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  settle_all (self);
  n = self->posts->len;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_tiktok_count_posts_with_text (SdFakeTiktok *self,
                                      const char   *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  settle_all (self);
  for (guint i = 0; i < self->posts->len; i++)
    {
      JsonObject *post = g_ptr_array_index (self->posts, i);
      gboolean video = g_strcmp0 (member_string (post, "media_type"), "VIDEO") == 0;

      if (g_strcmp0 (member_string (post, video ? "title" : "description"), text) == 0)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_tiktok_count_publishes (SdFakeTiktok *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->publishes->len;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_tiktok_count_inits (SdFakeTiktok *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->n_inits;
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_tiktok_dup_last_post_json (SdFakeTiktok *self)
{
  g_autoptr(JsonNode) node = NULL;
  char *json = NULL;

  sd_fake_http_lock (self->http);
  settle_all (self);
  if (self->posts->len > 0)
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, g_ptr_array_index (self->posts, self->posts->len - 1));
      json = json_to_string (node, FALSE);
    }
  sd_fake_http_unlock (self->http);
  return json;
}
