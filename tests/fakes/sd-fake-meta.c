/* sd-fake-meta.c — a loopback Graph API for Facebook Pages and Instagram
 *
 * Answers as Meta's documentation shows (developers.facebook.com/docs:
 * pages-api/posts, graph-api/reference/page/feed and scheduled_posts,
 * graph-api/guides/error-handling, facebook-login/guides/access-long-lived,
 * instagram-platform/content-publishing and instagram-api-with-instagram-
 * login): ids of 15–19 digits, Page post ids "PAGEID_POSTID", times as
 * "2026-01-02T03:04:05+0000", errors as {"error": {"message", "type",
 * "code", "error_subcode", "fbtrace_id"}} with HTTP 400, usage in
 * X-App-Usage / X-Business-Use-Case-Usage. Throttling answers Graph error
 * 80001 (Pages) or 80002 (Instagram) with HTTP 400 and the usage header
 * (unverified: the HTTP status Meta uses with these codes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-fake-meta.h"

#include <string.h>

#define LONG_LIVED        5183944  /* seconds, as Meta's examples answer */
#define SHORT_LIVED       3600
#define MIN_AHEAD         600
#define MAX_AHEAD         (180 * 24 * 60 * 60)

typedef enum
{
  OBJ_POST,       /* a Page post (text, photo post, multi-photo, video) */
  OBJ_PHOTO,      /* a photo uploaded unpublished for a multi-photo post */
  OBJ_CONTAINER,  /* an Instagram media container */
  OBJ_MEDIA,      /* a published Instagram media */
} ObjKind;

typedef struct
{
  ObjKind    kind;
  char      *id;
  char      *owner;        /* page id / IG user id */
  char      *message;      /* text, caption, description */
  gint64     created;
  gboolean   published;
  gint64     scheduled;    /* 0: none */
  gboolean   deleted;
  gboolean   used;         /* a staged photo attached to a post; a container published */
  GPtrArray *attached;     /* photo ids */
  char      *alt_text;
  char      *image_url;
  char      *video_url;
  char      *media_type;   /* "IMAGE", "VIDEO", "REELS", "CAROUSEL", "PHOTO" (Facebook photo post) */
  char      *children;     /* carousel: "id,id" */
  gboolean   carousel_item;
  guint      polls;        /* container: IN_PROGRESS answers so far */
  char      *media_id;     /* container: what media_publish made */
} FakeObject;

typedef struct
{
  char *id;
  char *username;
  char *name;
} FakeUser;

typedef struct
{
  char *id;
  char *name;
  char *owner;
  char *token;
} FakePage;

struct _SdFakeMeta
{
  SdFakeHttp *http;
  gboolean    instagram;
  char       *client_id;
  char       *client_secret;
  GHashTable *users;    /* id → FakeUser */
  GHashTable *pages;    /* id → FakePage */
  GHashTable *objects;  /* id → FakeObject */
  GPtrArray  *order;    /* FakeObject, oldest first (borrowed) */
  char       *refused_text;
  guint       container_polls;
  guint       quota_usage;
  guint       quota_total;
  gboolean    usage_spent;
  GPtrArray  *comments;       /* FakeComment, oldest first */
  GPtrArray  *conversations;  /* FakeConversation */
  int         throttle_code;  /* every request answers this Graph error; 0: none */
  gboolean    messaging_denied;
};

static gboolean inbox_handle (SdFakeMeta    *self,
                              SdFakeRequest *request,
                              const char    *owner,
                              char         **parts,
                              guint          n_parts);

static void
fake_object_free (gpointer data)
{
  FakeObject *object = data;

  g_free (object->id);
  g_free (object->owner);
  g_free (object->message);
  g_clear_pointer (&object->attached, g_ptr_array_unref);
  g_free (object->alt_text);
  g_free (object->image_url);
  g_free (object->video_url);
  g_free (object->media_type);
  g_free (object->children);
  g_free (object->media_id);
  g_free (object);
}

static void
fake_user_free (gpointer data)
{
  FakeUser *user = data;

  g_free (user->id);
  g_free (user->username);
  g_free (user->name);
  g_free (user);
}

static void
fake_page_free (gpointer data)
{
  FakePage *page = data;

  g_free (page->id);
  g_free (page->name);
  g_free (page->owner);
  g_free (page->token);
  g_free (page);
}

/* Answers */

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (when);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S+0000");
}

static void
add_usage (SdFakeMeta    *self,
           SdFakeRequest *request)
{
  if (self->usage_spent)
    {
      sd_fake_http_set_header (request, "X-App-Usage", "{\"call_count\":100,\"total_cputime\":20,\"total_time\":25}");
      sd_fake_http_set_header (request, "X-Business-Use-Case-Usage",
                               "{\"1234567890\":[{\"type\":\"pages\",\"call_count\":100,\"total_cputime\":20,"
                               "\"total_time\":25,\"estimated_time_to_regain_access\":5}]}");
    }
  else
    sd_fake_http_set_header (request, "X-App-Usage", "{\"call_count\":2,\"total_cputime\":1,\"total_time\":1}");
}

static void
respond (SdFakeMeta    *self,
         SdFakeRequest *request,
         guint          status,
         JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  add_usage (self, request);
  sd_fake_http_respond_json (request, status, root);
}

static void
respond_error (SdFakeMeta    *self,
               SdFakeRequest *request,
               const char    *type,
               int            code,
               int            subcode,
               const char    *message,
               const char    *user_message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  if (subcode != 0)
    {
      json_builder_set_member_name (builder, "error_subcode");
      json_builder_add_int_value (builder, subcode);
    }
  if (user_message != NULL)
    {
      json_builder_set_member_name (builder, "error_user_title");
      json_builder_add_string_value (builder, "Post refused");
      json_builder_set_member_name (builder, "error_user_msg");
      json_builder_add_string_value (builder, user_message);
    }
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, "AbCdEfGhIjK");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_BAD_REQUEST, builder);
}

static void
respond_missing (SdFakeMeta    *self,
                 SdFakeRequest *request,
                 const char    *id)
{
  g_autofree char *method = g_ascii_strdown (request->method, -1);
  g_autofree char *message =
    g_strdup_printf ("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to "
                     "missing permissions, or does not support this operation. Please read the Graph API "
                     "documentation at https://developers.facebook.com/docs/graph-api",
                     method, id);

  respond_error (self, request, "GraphMethodException", 100, 33, message, NULL);
}

static void
respond_success (SdFakeMeta    *self,
                 SdFakeRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static void
respond_id (SdFakeMeta    *self,
            SdFakeRequest *request,
            const char    *id,
            const char    *post_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  if (post_id != NULL)
    {
      json_builder_set_member_name (builder, "post_id");
      json_builder_add_string_value (builder, post_id);
    }
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static void
on_rate_limited (SdFakeHttp    *http,
                 SdFakeRequest *request,
                 gpointer       user_data)
{
  SdFakeMeta *self = user_data;
  gboolean spent = self->usage_spent;

  self->usage_spent = TRUE;
  if (self->instagram)
    respond_error (self, request, "OAuthException", 80002, 0,
                   "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.", NULL);
  else
    respond_error (self, request, "OAuthException", 80001, 0,
                   "(#80001) There have been too many calls to this Page account. Wait a bit and try again.", NULL);
  self->usage_spent = spent;
}

/* Tokens */

static const char *
request_token (SdFakeRequest *request)
{
  if (request->bearer != NULL)
    return request->bearer;
  return sd_fake_request_param (request, "access_token");
}

/* The token's owner (a person, a Page or an IG user), or NULL after answering 190. */
static const char *
authenticate (SdFakeMeta    *self,
              SdFakeRequest *request)
{
  const char *token = request_token (request);
  const char *owner = NULL;

  switch (token != NULL ? sd_fake_http_check_token_locked (self->http, token, &owner) : SD_FAKE_TOKEN_UNKNOWN)
    {
    case SD_FAKE_TOKEN_VALID:
      return owner;
    case SD_FAKE_TOKEN_EXPIRED:
      respond_error (self, request, "OAuthException", 190, 463,
                     "Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST. "
                     "The current time is Thursday, 01-Jan-26 01:00:00 PST.", NULL);
      return NULL;
    default:
      respond_error (self, request, "OAuthException", 190, 0,
                     "Invalid OAuth access token - Cannot parse access token", NULL);
      return NULL;
    }
}

/* Objects */

static FakeObject *
add_object (SdFakeMeta *self,
            ObjKind     kind,
            const char *owner,
            const char *id)
{
  FakeObject *object = g_new0 (FakeObject, 1);

  object->kind = kind;
  object->id = id != NULL ? g_strdup (id) : sd_fake_http_new_id (self->http);
  object->owner = g_strdup (owner);
  object->created = sd_fake_http_now (self->http);
  object->attached = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_insert (self->objects, object->id, object);
  g_ptr_array_add (self->order, object);
  return object;
}

static FakeObject *
new_page_post (SdFakeMeta *self,
               const char *page_id)
{
  g_autofree char *number = sd_fake_http_new_id (self->http);
  g_autofree char *id = g_strconcat (page_id, "_", number, NULL);

  return add_object (self, OBJ_POST, page_id, id);
}

static FakeObject *
find_object (SdFakeMeta *self,
             const char *id)
{
  FakeObject *object = g_hash_table_lookup (self->objects, id);

  return object != NULL && !object->deleted ? object : NULL;
}

/* Facebook's scheduler: posts whose time came are published. */
static void
publish_due (SdFakeMeta *self)
{
  gint64 now = sd_fake_http_now (self->http);

  for (guint i = 0; i < self->order->len; i++)
    {
      FakeObject *object = g_ptr_array_index (self->order, i);

      if (object->kind == OBJ_POST && !object->published && object->scheduled > 0 && object->scheduled <= now)
        {
          object->published = TRUE;
          object->created = object->scheduled;
        }
    }
}

static char *
permalink (SdFakeMeta *self,
           FakeObject *object)
{
  if (self->instagram)
    return g_strdup_printf ("https://www.instagram.com/p/%s/", object->id);
  return g_strdup_printf ("https://www.facebook.com/%s", object->id);
}

static gboolean
refused (SdFakeMeta *self,
         const char *text)
{
  return self->refused_text != NULL && text != NULL && strstr (text, self->refused_text) != NULL;
}

static gboolean
parse_bool (const char *value,
            gboolean    fallback)
{
  if (value == NULL)
    return fallback;
  return g_ascii_strcasecmp (value, "false") != 0 && strcmp (value, "0") != 0;
}

/* Size of the multipart file field @name, -1 when absent. */
static gssize
file_size (SdFakeRequest *request,
           const char    *name)
{
  if (request->multipart == NULL)
    return -1;
  for (int i = 0; i < soup_multipart_get_length (request->multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *body = NULL;
      g_autofree char *disposition = NULL;
      GHashTable *params = NULL;

      if (!soup_multipart_get_part (request->multipart, i, &headers, &body))
        continue;
      if (soup_message_headers_get_content_disposition (headers, &disposition, &params))
        {
          gboolean match = g_strcmp0 (g_hash_table_lookup (params, "name"), name) == 0
                           && g_hash_table_lookup (params, "filename") != NULL;

          g_hash_table_destroy (params);
          if (match)
            return (gssize) g_bytes_get_size (body);
        }
    }
  return -1;
}

/* Facebook: reads published / scheduled_publish_time; FALSE after answering an error. */
static gboolean
read_schedule (SdFakeMeta    *self,
               SdFakeRequest *request,
               FakeObject    *object)
{
  const char *when = sd_fake_request_param (request, "scheduled_publish_time");
  gint64 now = sd_fake_http_now (self->http);

  object->published = parse_bool (sd_fake_request_param (request, "published"), TRUE);
  if (when != NULL)
    {
      gint64 at = g_ascii_strtoll (when, NULL, 10);

      if (object->published || at < now + MIN_AHEAD - 60 || at > now + MAX_AHEAD)
        {
          respond_error (self, request, "OAuthException", 100, 0,
                         "(#100) The specified scheduled publish time is invalid.", NULL);
          return FALSE;
        }
      object->scheduled = at;
    }
  return TRUE;
}

static void
drop_object (SdFakeMeta *self,
             FakeObject *object)
{
  g_ptr_array_remove (self->order, object);
  g_hash_table_remove (self->objects, object->id);
}

/* Facebook */

static void
add_picture (JsonBuilder *builder,
             const char  *url)
{
  json_builder_set_member_name (builder, "picture");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
page_json (JsonBuilder *builder,
           FakePage    *page,
           gboolean     with_token)
{
  g_autofree char *picture = g_strdup_printf ("https://scontent.example.invalid/%s.jpg", page->id);
  g_autofree char *username = g_ascii_strdown (page->name, -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, page->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, page->name);
  json_builder_set_member_name (builder, "username");
  g_strdelimit (username, " ", '.');
  json_builder_add_string_value (builder, username);
  if (with_token)
    {
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, page->token);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, "Software");
      json_builder_set_member_name (builder, "tasks");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "ANALYZE");
      json_builder_add_string_value (builder, "ADVERTISE");
      json_builder_add_string_value (builder, "MODERATE");
      json_builder_add_string_value (builder, "CREATE_CONTENT");
      json_builder_add_string_value (builder, "MANAGE");
      json_builder_end_array (builder);
    }
  add_picture (builder, picture);
  json_builder_end_object (builder);
}

static void
post_json (SdFakeMeta  *self,
           JsonBuilder *builder,
           FakeObject  *object)
{
  g_autofree char *created = format_time (object->created);
  g_autofree char *link = permalink (self, object);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, object->id);
  if (object->message != NULL)
    {
      json_builder_set_member_name (builder, self->instagram ? "caption" : "message");
      json_builder_add_string_value (builder, object->message);
    }
  json_builder_set_member_name (builder, self->instagram ? "timestamp" : "created_time");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, self->instagram ? "permalink" : "permalink_url");
  json_builder_add_string_value (builder, link);
  if (!self->instagram)
    {
      json_builder_set_member_name (builder, "is_published");
      json_builder_add_boolean_value (builder, object->published);
      if (object->scheduled > 0)
        {
          json_builder_set_member_name (builder, "scheduled_publish_time");
          json_builder_add_int_value (builder, object->scheduled);
        }
    }
  else
    {
      json_builder_set_member_name (builder, "media_type");
      json_builder_add_string_value (builder, object->media_type != NULL ? object->media_type : "IMAGE");
    }
  json_builder_end_object (builder);
}

/* GET /{page}/feed or /scheduled_posts (newest first). */
static void
list_posts (SdFakeMeta    *self,
            SdFakeRequest *request,
            const char    *owner,
            gboolean       scheduled)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *since_text = sd_fake_request_param (request, "since");
  const char *limit_text = sd_fake_request_param (request, "limit");
  gint64 since = since_text != NULL ? g_ascii_strtoll (since_text, NULL, 10) : 0;
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : 25;
  guint n = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = self->order->len; i > 0 && n < limit; i--)
    {
      FakeObject *object = g_ptr_array_index (self->order, i - 1);
      ObjKind kind = self->instagram ? OBJ_MEDIA : OBJ_POST;

      if (object->kind != kind || object->deleted || g_strcmp0 (object->owner, owner) != 0)
        continue;
      if (scheduled ? (object->published || object->scheduled == 0) : !object->published)
        continue;
      if (since > 0 && object->created < since)
        continue;
      post_json (self, builder, object);
      n++;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cursors");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "before");
  json_builder_add_string_value (builder, "QVFIUmx1");
  json_builder_set_member_name (builder, "after");
  json_builder_add_string_value (builder, "QVFIUkZA");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static gboolean
page_may_write (SdFakeMeta    *self,
                SdFakeRequest *request,
                const char    *owner,
                const char    *page_id)
{
  if (g_hash_table_lookup (self->pages, page_id) == NULL)
    {
      respond_missing (self, request, page_id);
      return FALSE;
    }
  if (g_strcmp0 (owner, page_id) != 0)
    {
      respond_error (self, request, "OAuthException", 200, 0,
                     "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts "
                     "as an admin with sufficient administrative permission", NULL);
      return FALSE;
    }
  return TRUE;
}

static void
facebook_feed_post (SdFakeMeta    *self,
                    SdFakeRequest *request,
                    const char    *page_id)
{
  const char *message = sd_fake_request_param (request, "message");
  g_autoptr(GPtrArray) photos = g_ptr_array_new ();
  FakeObject *post;

  if (refused (self, message))
    {
      respond_error (self, request, "OAuthException", 100, 1346003, "(#100) Invalid parameter",
                     "This post goes against our Community Standards.");
      return;
    }
  for (guint i = 0;; i++)
    {
      g_autofree char *name = g_strdup_printf ("attached_media[%u]", i);
      const char *value = sd_fake_request_param (request, name);
      g_autoptr(JsonNode) node = NULL;
      const char *fbid;
      FakeObject *photo;

      if (value == NULL)
        break;
      node = json_from_string (value, NULL);
      fbid = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
             ? json_object_get_string_member_with_default (json_node_get_object (node), "media_fbid", NULL) : NULL;
      photo = fbid != NULL ? find_object (self, fbid) : NULL;
      if (photo == NULL || photo->kind != OBJ_PHOTO || photo->used || g_strcmp0 (photo->owner, page_id) != 0)
        {
          respond_error (self, request, "OAuthException", 100, 0,
                         "(#100) param attached_media[0][media_fbid] must be a valid unpublished photo id", NULL);
          return;
        }
      g_ptr_array_add (photos, photo);
    }
  if ((message == NULL || message[0] == '\0') && photos->len == 0)
    {
      respond_error (self, request, "OAuthException", 100, 0, "(#100) Missing message or attachment", NULL);
      return;
    }

  post = new_page_post (self, page_id);
  if (!read_schedule (self, request, post))
    {
      drop_object (self, post);
      return;
    }
  post->message = g_strdup (message);
  post->media_type = g_strdup (photos->len > 0 ? "ALBUM" : "STATUS");
  for (guint i = 0; i < photos->len; i++)
    {
      FakeObject *photo = g_ptr_array_index (photos, i);

      photo->used = TRUE;
      g_ptr_array_add (post->attached, g_strdup (photo->id));
    }
  respond_id (self, request, post->id, NULL);
}

static void
facebook_media_post (SdFakeMeta    *self,
                     SdFakeRequest *request,
                     const char    *page_id,
                     gboolean       video)
{
  const char *text = sd_fake_request_param (request, video ? "description" : "message");
  gssize size = file_size (request, "source");
  gboolean published = parse_bool (sd_fake_request_param (request, "published"), TRUE);
  FakeObject *object;

  if (size <= 0)
    {
      respond_error (self, request, "OAuthException", video ? 390 : 324, video ? 0 : 2069007,
                     video ? "There was a problem uploading your video file. Please try again."
                           : "(#324) Requires upload file", NULL);
      return;
    }
  if (refused (self, text))
    {
      respond_error (self, request, "OAuthException", 100, 1346003, "(#100) Invalid parameter",
                     "This post goes against our Community Standards.");
      return;
    }

  if (!video && !published && sd_fake_request_param (request, "scheduled_publish_time") == NULL)
    {
      /* Staged for a multi-photo post. */
      object = add_object (self, OBJ_PHOTO, page_id, NULL);
      object->alt_text = g_strdup (sd_fake_request_param (request, "alt_text_custom"));
      object->media_type = g_strdup ("PHOTO");
      respond_id (self, request, object->id, NULL);
      return;
    }

  if (video)
    object = add_object (self, OBJ_POST, page_id, NULL);
  else
    object = new_page_post (self, page_id);
  if (!read_schedule (self, request, object))
    {
      drop_object (self, object);
      return;
    }
  object->message = g_strdup (text);
  object->media_type = g_strdup (video ? "VIDEO" : "PHOTO");
  object->alt_text = g_strdup (sd_fake_request_param (request, "alt_text_custom"));
  if (video)
    respond_id (self, request, object->id, NULL);
  else
    {
      g_autofree char *photo_id = sd_fake_http_new_id (self->http);

      respond_id (self, request, photo_id, object->id);
    }
}

static void
facebook_object (SdFakeMeta    *self,
                 SdFakeRequest *request,
                 const char    *owner,
                 const char    *id)
{
  FakePage *page = g_hash_table_lookup (self->pages, id);
  FakeObject *object = find_object (self, id);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (page != NULL && strcmp (request->method, "GET") == 0)
    {
      /* The Page itself: its token only for the person managing it (a new
       * one when the old no longer works). */
      if (g_strcmp0 (owner, page->owner) == 0
          && sd_fake_http_check_token_locked (self->http, page->token, NULL) != SD_FAKE_TOKEN_VALID)
        {
          g_autofree char *number = sd_fake_http_new_id (self->http);

          g_free (page->token);
          page->token = g_strconcat ("EAAPage", number, NULL);
          sd_fake_http_add_token_locked (self->http, page->id, page->token, NULL, 0);
        }
      page_json (builder, page, g_strcmp0 (owner, page->owner) == 0);
      respond (self, request, SOUP_STATUS_OK, builder);
      return;
    }
  if (object == NULL || object->kind == OBJ_PHOTO || g_strcmp0 (object->owner, owner) != 0)
    {
      respond_missing (self, request, id);
      return;
    }

  if (strcmp (request->method, "GET") == 0)
    {
      post_json (self, builder, object);
      respond (self, request, SOUP_STATUS_OK, builder);
    }
  else if (strcmp (request->method, "DELETE") == 0)
    {
      object->deleted = TRUE;
      respond_success (self, request);
    }
  else if (strcmp (request->method, "POST") == 0)
    {
      const char *when = sd_fake_request_param (request, "scheduled_publish_time");
      gint64 now = sd_fake_http_now (self->http);
      gint64 at = when != NULL ? g_ascii_strtoll (when, NULL, 10) : 0;

      if (when != NULL && (object->published || at < now + MIN_AHEAD - 60 || at > now + MAX_AHEAD))
        {
          respond_error (self, request, "OAuthException", 100, 0,
                         "(#100) The specified scheduled publish time is invalid.", NULL);
          return;
        }
      if (when != NULL)
        object->scheduled = at;
      if (sd_fake_request_param (request, "message") != NULL)
        {
          g_free (object->message);
          object->message = g_strdup (sd_fake_request_param (request, "message"));
        }
      respond_success (self, request);
    }
  else
    respond_missing (self, request, id);
}

static void
facebook_token (SdFakeMeta    *self,
                SdFakeRequest *request)
{
  const char *grant = sd_fake_request_param (request, "grant_type");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *access = NULL;
  gint64 expires_in;

  if (g_strcmp0 (sd_fake_request_param (request, "client_id"), self->client_id) != 0
      || g_strcmp0 (sd_fake_request_param (request, "client_secret"), self->client_secret) != 0)
    {
      respond_error (self, request, "OAuthException", 1, 0,
                     "Error validating client secret.", NULL);
      return;
    }
  if (g_strcmp0 (grant, "fb_exchange_token") == 0)
    {
      access = sd_fake_http_exchange_locked (self->http, sd_fake_request_param (request, "fb_exchange_token"),
                                             LONG_LIVED);
      expires_in = LONG_LIVED;
    }
  else
    {
      g_autofree char *refresh = NULL;
      const char *user_id = NULL;

      if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"),
                                            self->client_id, sd_fake_request_param (request, "redirect_uri"),
                                            sd_fake_request_param (request, "code_verifier"), SHORT_LIVED,
                                            FALSE, &access, &refresh, &user_id))
        {
          respond_error (self, request, "OAuthException", 100, 36009,
                         "This authorization code has been used.", NULL);
          return;
        }
      expires_in = SHORT_LIVED;
    }
  if (access == NULL)
    {
      respond_error (self, request, "OAuthException", 190, 0,
                     "Invalid OAuth access token - Cannot parse access token", NULL);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static gboolean
facebook_handle (SdFakeMeta    *self,
                 SdFakeRequest *request,
                 char         **parts,
                 guint          n_parts)
{
  const char *owner;

  if (n_parts == 2 && strcmp (parts[0], "dialog") == 0 && strcmp (parts[1], "oauth") == 0)
    {
      sd_fake_http_handle_authorize_locked (self->http, request, NULL, NULL);
      return TRUE;
    }
  if (n_parts == 2 && strcmp (parts[0], "oauth") == 0 && strcmp (parts[1], "access_token") == 0)
    {
      facebook_token (self, request);
      return TRUE;
    }
  if (n_parts == 0 || n_parts > 2)
    return FALSE;
  if ((owner = authenticate (self, request)) == NULL)
    return TRUE;
  publish_due (self);
  if (inbox_handle (self, request, owner, parts, n_parts))
    return TRUE;

  if (strcmp (parts[0], "me") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      FakePage *page = g_hash_table_lookup (self->pages, owner);

      if (n_parts == 1 && page != NULL)
        {
          page_json (builder, page, FALSE);
          respond (self, request, SOUP_STATUS_OK, builder);
          return TRUE;
        }
      if (n_parts == 2 && strcmp (parts[1], "accounts") == 0 && page == NULL)
        {
          GHashTableIter iter;
          gpointer value;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "data");
          json_builder_begin_array (builder);
          g_hash_table_iter_init (&iter, self->pages);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (g_strcmp0 (((FakePage *) value)->owner, owner) == 0)
              page_json (builder, value, TRUE);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          respond (self, request, SOUP_STATUS_OK, builder);
          return TRUE;
        }
      if (n_parts == 1)
        {
          FakeUser *user = g_hash_table_lookup (self->users, owner);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, owner);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, user != NULL ? user->name : owner);
          json_builder_end_object (builder);
          respond (self, request, SOUP_STATUS_OK, builder);
          return TRUE;
        }
      respond_missing (self, request, parts[1]);
      return TRUE;
    }

  if (n_parts == 1)
    {
      facebook_object (self, request, owner, parts[0]);
      return TRUE;
    }
  if (strcmp (request->method, "GET") == 0 && (strcmp (parts[1], "feed") == 0 || strcmp (parts[1], "scheduled_posts") == 0))
    {
      if (g_strcmp0 (owner, parts[0]) != 0)
        respond_missing (self, request, parts[0]);
      else
        list_posts (self, request, parts[0], strcmp (parts[1], "scheduled_posts") == 0);
      return TRUE;
    }
  if (strcmp (request->method, "POST") == 0 && page_may_write (self, request, owner, parts[0]))
    {
      if (strcmp (parts[1], "feed") == 0)
        facebook_feed_post (self, request, parts[0]);
      else if (strcmp (parts[1], "photos") == 0 || strcmp (parts[1], "videos") == 0)
        facebook_media_post (self, request, parts[0], strcmp (parts[1], "videos") == 0);
      else
        respond_missing (self, request, parts[1]);
      return TRUE;
    }
  if (strcmp (request->method, "POST") != 0)
    respond_missing (self, request, parts[1]);
  return TRUE;
}

/* Instagram */

static void
instagram_token_answer (SdFakeMeta    *self,
                        SdFakeRequest *request,
                        const char    *access,
                        gint64         expires_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static void
instagram_code_exchange (SdFakeMeta    *self,
                         SdFakeRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  const char *user_id = NULL;

  if (g_strcmp0 (sd_fake_request_param (request, "client_id"), self->client_id) != 0
      || g_strcmp0 (sd_fake_request_param (request, "client_secret"), self->client_secret) != 0)
    {
      sd_fake_http_respond_json_text (request, SOUP_STATUS_BAD_REQUEST,
                                      "{\"error_type\": \"OAuthException\", \"code\": 400, "
                                      "\"error_message\": \"Invalid Client ID\"}");
      return;
    }
  if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"), self->client_id,
                                        sd_fake_request_param (request, "redirect_uri"),
                                        sd_fake_request_param (request, "code_verifier"), SHORT_LIVED, FALSE,
                                        &access, &refresh, &user_id))
    {
      sd_fake_http_respond_json_text (request, SOUP_STATUS_BAD_REQUEST,
                                      "{\"error_type\": \"OAuthException\", \"code\": 400, "
                                      "\"error_message\": \"This authorization code has been used\"}");
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_int_value (builder, g_ascii_strtoll (user_id, NULL, 10));
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "instagram_business_basic");
  json_builder_add_string_value (builder, "instagram_business_content_publish");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static void
container_json (JsonBuilder *builder,
                FakeObject  *object,
                const char  *code)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status_code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, strcmp (code, "IN_PROGRESS") == 0 ? "In Progress: Media is still being processed."
                                          : strcmp (code, "PUBLISHED") == 0 ? "Published: Media has been published."
                                          : "Finished: Media has been uploaded and it is ready to be published.");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, object->id);
  json_builder_end_object (builder);
}

static const char *
container_code (SdFakeMeta *self,
                FakeObject *object,
                gboolean    polling)
{
  if (object->used)
    return "PUBLISHED";
  if (self->container_polls == G_MAXUINT || object->polls < self->container_polls)
    {
      if (polling)
        object->polls++;
      return "IN_PROGRESS";
    }
  return "FINISHED";
}

static gboolean
public_url (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"));
}

static void
instagram_create_container (SdFakeMeta    *self,
                            SdFakeRequest *request,
                            const char    *user_id)
{
  const char *caption = sd_fake_request_param (request, "caption");
  const char *media_type = sd_fake_request_param (request, "media_type");
  const char *image_url = sd_fake_request_param (request, "image_url");
  const char *video_url = sd_fake_request_param (request, "video_url");
  const char *children = sd_fake_request_param (request, "children");
  FakeObject *object;

  if (refused (self, caption))
    {
      respond_error (self, request, "OAuthException", 100, 2207028, "Invalid parameter",
                     "The caption goes against our Community Guidelines.");
      return;
    }
  if (caption != NULL && g_utf8_strlen (caption, -1) > 2200)
    {
      respond_error (self, request, "OAuthException", 100, 2207010, "Invalid parameter",
                     "The caption is too long.");
      return;
    }
  if (g_strcmp0 (media_type, "CAROUSEL") == 0)
    {
      g_auto(GStrv) ids = g_strsplit (children != NULL ? children : "", ",", -1);
      guint n = g_strv_length (ids);

      if (n < 2 || n > 10)
        {
          respond_error (self, request, "OAuthException", 100, 2207043, "Invalid parameter",
                         "A carousel holds 2 to 10 items.");
          return;
        }
      for (guint i = 0; i < n; i++)
        {
          FakeObject *child = find_object (self, ids[i]);

          if (child == NULL || child->kind != OBJ_CONTAINER || !child->carousel_item
              || strcmp (container_code (self, child, FALSE), "FINISHED") != 0)
            {
              respond_error (self, request, "OAuthException", 9007, 2207027,
                             "Media ID is not available", "The media is not ready for publishing, please wait for a moment");
              return;
            }
        }
    }
  else if (g_strcmp0 (media_type, "REELS") == 0 || g_strcmp0 (media_type, "VIDEO") == 0)
    {
      if (!public_url (video_url))
        {
          respond_error (self, request, "OAuthException", 9004, 2207052,
                         "Only photo or video can be accepted as media type.", "The media could not be fetched from this URI.");
          return;
        }
    }
  else if (!public_url (image_url))
    {
      respond_error (self, request, "OAuthException", 9004, 2207052,
                     "Only photo or video can be accepted as media type.", "The media could not be fetched from this URI.");
      return;
    }

  object = add_object (self, OBJ_CONTAINER, user_id, NULL);
  object->message = g_strdup (caption);
  object->media_type = g_strdup (media_type != NULL ? media_type : "IMAGE");
  object->image_url = g_strdup (image_url);
  object->video_url = g_strdup (video_url);
  object->alt_text = g_strdup (sd_fake_request_param (request, "alt_text"));
  object->children = g_strdup (children);
  object->carousel_item = parse_bool (sd_fake_request_param (request, "is_carousel_item"), FALSE);
  respond_id (self, request, object->id, NULL);
}

static void
instagram_publish (SdFakeMeta    *self,
                   SdFakeRequest *request,
                   const char    *user_id)
{
  const char *creation_id = sd_fake_request_param (request, "creation_id");
  FakeObject *container = creation_id != NULL ? find_object (self, creation_id) : NULL;
  FakeObject *media;

  if (container == NULL || container->kind != OBJ_CONTAINER || container->carousel_item
      || g_strcmp0 (container->owner, user_id) != 0
      || strcmp (container_code (self, container, FALSE), "FINISHED") != 0)
    {
      respond_error (self, request, "OAuthException", 9007, 2207027, "Media ID is not available",
                     "The media is not ready for publishing, please wait for a moment");
      return;
    }
  if (self->quota_usage >= self->quota_total)
    {
      respond_error (self, request, "OAuthException", 9, 2207042, "Application request limit reached",
                     "You have reached the maximum number of posts that is allowed to be published in 24 hours.");
      return;
    }
  media = add_object (self, OBJ_MEDIA, user_id, NULL);
  media->published = TRUE;
  media->message = g_strdup (container->message);
  media->media_type = g_strdup (g_strcmp0 (container->media_type, "REELS") == 0 ? "VIDEO" : container->media_type);
  media->children = g_strdup (container->children);
  media->image_url = g_strdup (container->image_url);
  media->video_url = g_strdup (container->video_url);
  media->alt_text = g_strdup (container->alt_text);
  container->used = TRUE;
  container->media_id = g_strdup (media->id);
  self->quota_usage++;
  respond_id (self, request, media->id, NULL);
}

static gboolean
instagram_handle (SdFakeMeta    *self,
                  SdFakeRequest *request,
                  char         **parts,
                  guint          n_parts,
                  gboolean       versioned)
{
  const char *owner;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!versioned && n_parts == 2 && strcmp (parts[0], "oauth") == 0 && strcmp (parts[1], "authorize") == 0)
    {
      sd_fake_http_handle_authorize_locked (self->http, request, NULL, NULL);
      return TRUE;
    }
  if (!versioned && n_parts == 2 && strcmp (parts[0], "oauth") == 0 && strcmp (parts[1], "access_token") == 0)
    {
      instagram_code_exchange (self, request);
      return TRUE;
    }
  if (!versioned && n_parts == 1 && (strcmp (parts[0], "access_token") == 0 || strcmp (parts[0], "refresh_access_token") == 0))
    {
      gboolean exchange = strcmp (parts[0], "access_token") == 0;
      const char *grant = sd_fake_request_param (request, "grant_type");
      g_autofree char *access = NULL;

      if (g_strcmp0 (grant, exchange ? "ig_exchange_token" : "ig_refresh_token") != 0
          || (exchange && g_strcmp0 (sd_fake_request_param (request, "client_secret"), self->client_secret) != 0))
        {
          respond_error (self, request, "OAuthException", 100, 0, "Invalid parameter", NULL);
          return TRUE;
        }
      if (authenticate (self, request) == NULL)
        return TRUE;
      access = sd_fake_http_exchange_locked (self->http, request_token (request), LONG_LIVED);
      instagram_token_answer (self, request, access, LONG_LIVED);
      return TRUE;
    }
  if (!versioned || n_parts == 0 || n_parts > 2)
    return FALSE;
  if ((owner = authenticate (self, request)) == NULL)
    return TRUE;
  if (inbox_handle (self, request, owner, parts, n_parts))
    return TRUE;

  if (n_parts == 1 && strcmp (parts[0], "me") == 0 && strcmp (request->method, "GET") == 0)
    {
      FakeUser *user = g_hash_table_lookup (self->users, owner);
      g_autofree char *scoped = g_strconcat ("17", owner, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, scoped);
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_string_value (builder, owner);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, user != NULL ? user->username : owner);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, user != NULL ? user->name : owner);
      json_builder_set_member_name (builder, "account_type");
      json_builder_add_string_value (builder, "BUSINESS");
      json_builder_set_member_name (builder, "profile_picture_url");
      json_builder_add_string_value (builder, "https://scontent.cdninstagram.example.invalid/profile.jpg");
      json_builder_end_object (builder);
      respond (self, request, SOUP_STATUS_OK, builder);
      return TRUE;
    }

  if (n_parts == 2)
    {
      if (g_strcmp0 (parts[0], owner) != 0)
        {
          respond_missing (self, request, parts[0]);
          return TRUE;
        }
      if (strcmp (parts[1], "media") == 0 && strcmp (request->method, "POST") == 0)
        instagram_create_container (self, request, owner);
      else if (strcmp (parts[1], "media") == 0)
        list_posts (self, request, owner, FALSE);
      else if (strcmp (parts[1], "media_publish") == 0 && strcmp (request->method, "POST") == 0)
        instagram_publish (self, request, owner);
      else if (strcmp (parts[1], "content_publishing_limit") == 0)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "data");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "quota_usage");
          json_builder_add_int_value (builder, self->quota_usage);
          json_builder_set_member_name (builder, "config");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "quota_total");
          json_builder_add_int_value (builder, self->quota_total);
          json_builder_set_member_name (builder, "quota_duration");
          json_builder_add_int_value (builder, 86400);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          respond (self, request, SOUP_STATUS_OK, builder);
        }
      else
        respond_missing (self, request, parts[1]);
      return TRUE;
    }

  {
    FakeObject *object = find_object (self, parts[0]);

    if (object == NULL || g_strcmp0 (object->owner, owner) != 0 || strcmp (request->method, "GET") != 0)
      respond_missing (self, request, parts[0]);
    else if (object->kind == OBJ_CONTAINER)
      {
        container_json (builder, object, container_code (self, object, TRUE));
        respond (self, request, SOUP_STATUS_OK, builder);
      }
    else
      {
        post_json (self, builder, object);
        respond (self, request, SOUP_STATUS_OK, builder);
      }
  }
  return TRUE;
}

/* The inbox: comments, their replies and DM conversations
 *
 * Facebook (graph-api/reference/object/comments, comment, page/conversations,
 * messenger-platform/send-messages): GET /{post}/comments (filter=stream:
 * every comment flat with parent{id}; order=reverse_chronological: newest
 * first), GET /{comment}/comments, POST /{comment}/comments {message},
 * POST and DELETE /{comment}/likes, POST /{comment} is_hidden, DELETE
 * /{comment}; GET /{page}/conversations?platform=messenger (newest updated
 * first, messages newest first), GET /{conversation}, POST /{page}/messages
 * {recipient, messaging_type, message}. Instagram (instagram-platform/
 * comment-moderation, instagram-api-with-instagram-login/messaging-api):
 * GET /{media}/comments (top-level, newest first, replies{data} nested),
 * GET and POST /{comment}/replies, POST /{comment}?hide=, DELETE
 * /{comment}; GET /me/conversations?platform=instagram, POST /me/messages.
 * Lists page with limit and an opaque "after" cursor, paging.next present
 * only when there is more. */

typedef struct
{
  char     *id;
  char     *on;         /* the post or media */
  char     *parent;     /* the comment it replies to, or NULL */
  char     *from_id;
  char     *from_name;
  char     *message;
  gint64    created;
  gboolean  hidden;
  gboolean  deleted;
  gboolean  liked;
} FakeComment;

typedef struct
{
  char   *id;
  char   *from_id;
  char   *from_name;
  char   *text;
  gint64  created;
} FakeDm;

typedef struct
{
  char      *id;
  char      *owner;
  char      *person_id;
  char      *person_name;
  GPtrArray *messages;  /* FakeDm, oldest first */
  gint64     updated;
} FakeConversation;

static void
fake_comment_free (gpointer data)
{
  FakeComment *comment = data;

  g_free (comment->id);
  g_free (comment->on);
  g_free (comment->parent);
  g_free (comment->from_id);
  g_free (comment->from_name);
  g_free (comment->message);
  g_free (comment);
}

static void
fake_dm_free (gpointer data)
{
  FakeDm *dm = data;

  g_free (dm->id);
  g_free (dm->from_id);
  g_free (dm->from_name);
  g_free (dm->text);
  g_free (dm);
}

static void
fake_conversation_free (gpointer data)
{
  FakeConversation *conversation = data;

  g_free (conversation->id);
  g_free (conversation->owner);
  g_free (conversation->person_id);
  g_free (conversation->person_name);
  g_ptr_array_unref (conversation->messages);
  g_free (conversation);
}

static FakeComment *
find_comment (SdFakeMeta *self,
              const char *id)
{
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = g_ptr_array_index (self->comments, i);

      if (strcmp (comment->id, id) == 0)
        return comment->deleted ? NULL : comment;
    }
  return NULL;
}

static FakeConversation *
find_conversation (SdFakeMeta *self,
                   const char *owner,
                   const char *person_id,
                   const char *id)
{
  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conversation = g_ptr_array_index (self->conversations, i);

      if (id != NULL ? strcmp (conversation->id, id) == 0
                     : (g_strcmp0 (conversation->owner, owner) == 0
                        && g_strcmp0 (conversation->person_id, person_id) == 0))
        return conversation;
    }
  return NULL;
}

static FakeComment *
new_comment (SdFakeMeta *self,
             const char *on,
             const char *parent,
             const char *from_id,
             const char *from_name,
             const char *message)
{
  FakeComment *comment = g_new0 (FakeComment, 1);
  g_autofree char *number = sd_fake_http_new_id (self->http);
  const char *post_number = strchr (on, '_');

  /* Facebook's comment ids are "{post}_{comment}", Instagram's plain digits. */
  comment->id = self->instagram ? g_strdup (number)
                                : g_strconcat (post_number != NULL ? post_number + 1 : on, "_", number, NULL);
  comment->on = g_strdup (on);
  comment->parent = g_strdup (parent);
  comment->from_id = g_strdup (from_id);
  comment->from_name = g_strdup (from_name);
  comment->message = g_strdup (message);
  comment->created = sd_fake_http_now (self->http);
  g_ptr_array_add (self->comments, comment);
  return comment;
}

static FakeDm *
new_dm (SdFakeMeta       *self,
        FakeConversation *conversation,
        gboolean          from_owner,
        const char       *text)
{
  FakeDm *dm = g_new0 (FakeDm, 1);
  g_autofree char *number = sd_fake_http_new_id (self->http);
  FakeUser *user = g_hash_table_lookup (self->users, conversation->owner);
  FakePage *page = g_hash_table_lookup (self->pages, conversation->owner);

  dm->id = g_strconcat (self->instagram ? "aWdJRAm" : "m_", number, NULL);
  dm->from_id = g_strdup (from_owner ? conversation->owner : conversation->person_id);
  if (from_owner)
    dm->from_name = g_strdup (page != NULL ? page->name : user != NULL ? user->username : conversation->owner);
  else
    dm->from_name = g_strdup (conversation->person_name);
  dm->text = g_strdup (text);
  dm->created = sd_fake_http_now (self->http);
  conversation->updated = dm->created;
  g_ptr_array_add (conversation->messages, dm);
  return dm;
}

/* Paging: "after" is the base64 of the offset of the next item. */
static guint
page_offset (SdFakeRequest *request)
{
  const char *after = sd_fake_request_param (request, "after");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (after == NULL)
    return 0;
  decoded = g_base64_decode (after, &length);
  text = g_strndup ((const char *) decoded, length);
  return g_str_has_prefix (text, "offset:") ? (guint) g_ascii_strtoull (text + 7, NULL, 10) : 0;
}

static guint
page_limit (SdFakeRequest *request)
{
  const char *limit = sd_fake_request_param (request, "limit");
  guint value = limit != NULL ? (guint) g_ascii_strtoull (limit, NULL, 10) : 25;

  return CLAMP (value, 1, 100);
}

static char *
cursor_for (guint offset)
{
  g_autofree char *text = g_strdup_printf ("offset:%u", offset);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

static void
add_paging (SdFakeMeta    *self,
            JsonBuilder   *builder,
            SdFakeRequest *request,
            guint          offset,
            guint          shown,
            guint          total)
{
  g_autofree char *before = cursor_for (offset);
  g_autofree char *after = cursor_for (offset + shown);

  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cursors");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "before");
  json_builder_add_string_value (builder, before);
  json_builder_set_member_name (builder, "after");
  json_builder_add_string_value (builder, after);
  json_builder_end_object (builder);
  if (offset + shown < total)
    {
      g_autofree char *next = g_strdup_printf ("%s/v24.0%s?limit=%u&after=%s", sd_fake_http_get_url (self->http),
                                               request->path, page_limit (request), after);

      json_builder_set_member_name (builder, "next");
      json_builder_add_string_value (builder, next);
    }
  json_builder_end_object (builder);
}

static void
comment_json (SdFakeMeta  *self,
              JsonBuilder *builder,
              FakeComment *comment,
              const char  *owner,
              gboolean     with_replies);

static void
replies_json (SdFakeMeta  *self,
              JsonBuilder *builder,
              FakeComment *comment,
              const char  *owner)
{
  json_builder_begin_array (builder);
  for (guint i = self->comments->len; i > 0; i--)
    {
      FakeComment *reply = g_ptr_array_index (self->comments, i - 1);

      if (!reply->deleted && g_strcmp0 (reply->parent, comment->id) == 0)
        comment_json (self, builder, reply, owner, FALSE);
    }
  json_builder_end_array (builder);
}

static void
comment_json (SdFakeMeta  *self,
              JsonBuilder *builder,
              FakeComment *comment,
              const char  *owner,
              gboolean     with_replies)
{
  g_autofree char *created = format_time (comment->created);
  gboolean own = g_strcmp0 (comment->from_id, owner) == 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, comment->id);
  json_builder_set_member_name (builder, self->instagram ? "text" : "message");
  json_builder_add_string_value (builder, comment->message);
  json_builder_set_member_name (builder, self->instagram ? "timestamp" : "created_time");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "from");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, comment->from_id);
  json_builder_set_member_name (builder, self->instagram ? "username" : "name");
  json_builder_add_string_value (builder, comment->from_name);
  if (!self->instagram)
    {
      json_builder_set_member_name (builder, "picture");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, "https://scontent.xx.fbcdn.example.invalid/p50x50/person.jpg");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if (self->instagram)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, comment->from_name);
      json_builder_set_member_name (builder, "hidden");
      json_builder_add_boolean_value (builder, comment->hidden);
      json_builder_set_member_name (builder, "like_count");
      json_builder_add_int_value (builder, 0);
      if (comment->parent != NULL)
        {
          json_builder_set_member_name (builder, "parent_id");
          json_builder_add_string_value (builder, comment->parent);
        }
      if (with_replies)
        {
          json_builder_set_member_name (builder, "replies");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "data");
          replies_json (self, builder, comment, owner);
          json_builder_end_object (builder);
        }
    }
  else
    {
      g_autofree char *link = g_strdup_printf ("https://www.facebook.com/%s?comment_id=%s", comment->on, comment->id);

      json_builder_set_member_name (builder, "permalink_url");
      json_builder_add_string_value (builder, link);
      if (comment->parent != NULL)
        {
          json_builder_set_member_name (builder, "parent");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, comment->parent);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "is_hidden");
      json_builder_add_boolean_value (builder, comment->hidden);
      /* A Page cannot hide its own comments, nor like them. */
      json_builder_set_member_name (builder, "can_hide");
      json_builder_add_boolean_value (builder, !own);
      json_builder_set_member_name (builder, "can_remove");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "can_like");
      json_builder_add_boolean_value (builder, !own);
      json_builder_set_member_name (builder, "user_likes");
      json_builder_add_boolean_value (builder, comment->liked);
    }
  json_builder_end_object (builder);
}

/* GET a list of comments: @on_post (of a post/media) or the replies of a comment. */
static void
list_comments (SdFakeMeta    *self,
               SdFakeRequest *request,
               const char    *owner,
               const char    *on,
               gboolean       on_post)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean newest_first = self->instagram || g_strcmp0 (sd_fake_request_param (request, "order"),
                                                        "reverse_chronological") == 0;
  gboolean flat = !self->instagram && g_strcmp0 (sd_fake_request_param (request, "filter"), "stream") == 0;
  guint offset = page_offset (request);
  guint limit = page_limit (request);
  guint shown = 0;

  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = g_ptr_array_index (self->comments, i);

      if (comment->deleted)
        continue;
      if (on_post ? (g_strcmp0 (comment->on, on) == 0 && (flat || comment->parent == NULL))
                  : g_strcmp0 (comment->parent, on) == 0)
        g_ptr_array_add (items, comment);
    }
  if (newest_first)
    for (guint i = 0; i < items->len / 2; i++)
      {
        gpointer swap = items->pdata[i];

        items->pdata[i] = items->pdata[items->len - 1 - i];
        items->pdata[items->len - 1 - i] = swap;
      }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = offset; i < items->len && shown < limit; i++, shown++)
    comment_json (self, builder, g_ptr_array_index (items, i), owner, self->instagram && on_post);
  json_builder_end_array (builder);
  add_paging (self, builder, request, offset, shown, items->len);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

static void
dm_json (SdFakeMeta  *self,
         JsonBuilder *builder,
         FakeDm      *dm)
{
  g_autofree char *created = format_time (dm->created);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, dm->id);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, dm->text);
  json_builder_set_member_name (builder, "from");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, self->instagram ? "username" : "name");
  json_builder_add_string_value (builder, dm->from_name);
  if (!self->instagram)
    {
      g_autofree char *email = g_strconcat (dm->from_id, "@facebook.com", NULL);

      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
    }
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, dm->from_id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "created_time");
  json_builder_add_string_value (builder, created);
  json_builder_end_object (builder);
}

static void
conversation_json (SdFakeMeta       *self,
                   JsonBuilder      *builder,
                   FakeConversation *conversation)
{
  g_autofree char *updated = format_time (conversation->updated);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, conversation->id);
  json_builder_set_member_name (builder, "updated_time");
  json_builder_add_string_value (builder, updated);
  if (!self->instagram)
    {
      json_builder_set_member_name (builder, "participants");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, conversation->person_name);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, conversation->person_id);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  /* Newest first, 25 at most (messages.limit(25)). */
  for (guint i = conversation->messages->len, n = 0; i > 0 && n < 25; i--, n++)
    dm_json (self, builder, g_ptr_array_index (conversation->messages, i - 1));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static gint
by_updated_desc (gconstpointer a,
                 gconstpointer b)
{
  const FakeConversation *x = *(FakeConversation * const *) a;
  const FakeConversation *y = *(FakeConversation * const *) b;

  return x->updated < y->updated ? 1 : x->updated > y->updated ? -1 : 0;
}

static gboolean
messaging_refused (SdFakeMeta    *self,
                   SdFakeRequest *request)
{
  if (!self->messaging_denied)
    return FALSE;
  if (self->instagram)
    respond_error (self, request, "OAuthException", 10, 0,
                   "(#10) Application does not have permission for this action", NULL);
  else
    respond_error (self, request, "OAuthException", 230, 0,
                   "(#230) Requires pages_messaging permission to manage the object", NULL);
  return TRUE;
}

static void
list_conversations (SdFakeMeta    *self,
                    SdFakeRequest *request,
                    const char    *owner)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  guint offset = page_offset (request);
  guint limit = page_limit (request);
  guint shown = 0;

  if (messaging_refused (self, request))
    return;
  if (g_strcmp0 (sd_fake_request_param (request, "platform"), self->instagram ? "instagram" : "messenger") != 0
      && (self->instagram || sd_fake_request_param (request, "platform") != NULL))
    {
      respond_error (self, request, "OAuthException", 100, 0, "(#100) Invalid platform", NULL);
      return;
    }
  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conversation = g_ptr_array_index (self->conversations, i);

      if (g_strcmp0 (conversation->owner, owner) == 0)
        g_ptr_array_add (items, conversation);
    }
  g_ptr_array_sort (items, by_updated_desc);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = offset; i < items->len && shown < limit; i++, shown++)
    conversation_json (self, builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
  add_paging (self, builder, request, offset, shown, items->len);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

/* POST /{page}/messages or /me/messages (JSON). */
static void
send_message (SdFakeMeta    *self,
              SdFakeRequest *request,
              const char    *owner)
{
  JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                     ? json_node_get_object (request->json) : NULL;
  JsonObject *recipient = body != NULL && json_object_has_member (body, "recipient")
                          ? json_object_get_object_member (body, "recipient") : NULL;
  JsonObject *message = body != NULL && json_object_has_member (body, "message")
                        ? json_object_get_object_member (body, "message") : NULL;
  const char *person = recipient != NULL && json_object_has_member (recipient, "id")
                       ? json_object_get_string_member (recipient, "id") : NULL;
  const char *text = message != NULL && json_object_has_member (message, "text")
                     ? json_object_get_string_member (message, "text") : NULL;
  const char *type = body != NULL && json_object_has_member (body, "messaging_type")
                     ? json_object_get_string_member (body, "messaging_type") : NULL;
  FakeConversation *conversation = person != NULL ? find_conversation (self, owner, person, NULL) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 last = 0;
  FakeDm *dm;

  if (messaging_refused (self, request))
    return;
  if (text == NULL || (!self->instagram && g_strcmp0 (type, "RESPONSE") != 0))
    {
      respond_error (self, request, "OAuthException", 100, 0, "(#100) Param message must be non-empty", NULL);
      return;
    }
  if (conversation == NULL)
    {
      respond_error (self, request, "OAuthException", 100, 2018001, "(#100) No matching user found", NULL);
      return;
    }
  for (guint i = 0; i < conversation->messages->len; i++)
    {
      FakeDm *item = g_ptr_array_index (conversation->messages, i);

      if (g_strcmp0 (item->from_id, conversation->person_id) == 0)
        last = MAX (last, item->created);
    }
  if (sd_fake_http_now (self->http) > last + 24 * 60 * 60)
    {
      respond_error (self, request, "OAuthException", 10, 2018278,
                     "(#10) This message is sent outside of allowed window.", NULL);
      return;
    }
  dm = new_dm (self, conversation, TRUE, text);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "recipient_id");
  json_builder_add_string_value (builder, person);
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, dm->id);
  json_builder_end_object (builder);
  respond (self, request, SOUP_STATUS_OK, builder);
}

/* Actions and replies on one comment. */
static void
comment_request (SdFakeMeta    *self,
                 SdFakeRequest *request,
                 const char    *owner,
                 FakeComment   *comment,
                 const char    *edge)
{
  FakeUser *user = g_hash_table_lookup (self->users, owner);
  FakePage *page = g_hash_table_lookup (self->pages, owner);

  if (edge == NULL && strcmp (request->method, "DELETE") == 0)
    {
      comment->deleted = TRUE;
      respond_success (self, request);
    }
  else if (edge == NULL && strcmp (request->method, "POST") == 0)
    {
      const char *hide = sd_fake_request_param (request, self->instagram ? "hide" : "is_hidden");

      if (hide == NULL)
        {
          respond_error (self, request, "OAuthException", 100, 0, "(#100) Invalid parameter", NULL);
          return;
        }
      comment->hidden = g_strcmp0 (hide, "true") == 0;
      respond_success (self, request);
    }
  else if (edge == NULL && strcmp (request->method, "GET") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      comment_json (self, builder, comment, owner, self->instagram);
      respond (self, request, SOUP_STATUS_OK, builder);
    }
  else if (!self->instagram && g_strcmp0 (edge, "likes") == 0
           && (strcmp (request->method, "POST") == 0 || strcmp (request->method, "DELETE") == 0))
    {
      comment->liked = strcmp (request->method, "POST") == 0;
      respond_success (self, request);
    }
  else if (g_strcmp0 (edge, self->instagram ? "replies" : "comments") == 0 && strcmp (request->method, "GET") == 0)
    list_comments (self, request, owner, comment->id, FALSE);
  else if (g_strcmp0 (edge, self->instagram ? "replies" : "comments") == 0 && strcmp (request->method, "POST") == 0)
    {
      const char *message = sd_fake_request_param (request, "message");
      FakeComment *reply;

      if (message == NULL || message[0] == '\0' || (self->instagram && comment->parent != NULL))
        {
          respond_error (self, request, "OAuthException", 100, 0, "(#100) Invalid parameter", NULL);
          return;
        }
      reply = new_comment (self, comment->on, comment->parent != NULL ? comment->parent : comment->id, owner,
                           page != NULL ? page->name : user != NULL ? user->username : owner, message);
      respond_id (self, request, reply->id, NULL);
    }
  else
    respond_missing (self, request, comment->id);
}

static const char * const throttle_words[] = {
  "(#4) Application request limit reached",
  "(#17) User request limit reached",
  "(#32) Page request limit reached",
  "(#613) Calls within one hour have exceeded the rate limit.",
};

static gboolean
throttled (SdFakeMeta    *self,
           SdFakeRequest *request)
{
  const char *words;
  gboolean spent = self->usage_spent;

  switch (self->throttle_code)
    {
    case 0:
      return FALSE;
    case 4:
      words = throttle_words[0];
      break;
    case 17:
      words = throttle_words[1];
      break;
    case 32:
      words = throttle_words[2];
      break;
    default:
      words = throttle_words[3];
      break;
    }
  self->usage_spent = TRUE;
  respond_error (self, request, "OAuthException", self->throttle_code, 0, words, NULL);
  self->usage_spent = spent;
  return TRUE;
}

/* Called for every authenticated Graph request; FALSE: not an inbox path. */
static gboolean
inbox_handle (SdFakeMeta    *self,
              SdFakeRequest *request,
              const char    *owner,
              char         **parts,
              guint          n_parts)
{
  FakeComment *comment;
  FakeConversation *conversation;
  FakeObject *object;

  if (throttled (self, request))
    return TRUE;
  if (n_parts == 2 && strcmp (parts[1], "conversations") == 0 && strcmp (request->method, "GET") == 0
      && (strcmp (parts[0], owner) == 0 || (self->instagram && strcmp (parts[0], "me") == 0)))
    {
      list_conversations (self, request, owner);
      return TRUE;
    }
  if (n_parts == 2 && strcmp (parts[1], "messages") == 0 && strcmp (request->method, "POST") == 0
      && (strcmp (parts[0], owner) == 0 || (self->instagram && strcmp (parts[0], "me") == 0)))
    {
      send_message (self, request, owner);
      return TRUE;
    }
  if (n_parts == 1 && strcmp (request->method, "GET") == 0
      && (conversation = find_conversation (self, NULL, NULL, parts[0])) != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (g_strcmp0 (conversation->owner, owner) != 0)
        respond_missing (self, request, parts[0]);
      else if (!messaging_refused (self, request))
        {
          conversation_json (self, builder, conversation);
          respond (self, request, SOUP_STATUS_OK, builder);
        }
      return TRUE;
    }
  if (n_parts == 2 && strcmp (parts[1], "comments") == 0 && strcmp (request->method, "GET") == 0
      && (object = find_object (self, parts[0])) != NULL)
    {
      if (g_strcmp0 (object->owner, owner) != 0)
        respond_missing (self, request, parts[0]);
      else
        list_comments (self, request, owner, object->id, TRUE);
      return TRUE;
    }
  if ((comment = find_comment (self, parts[0])) != NULL && n_parts <= 2)
    {
      FakeObject *post = find_object (self, comment->on);

      if (post == NULL || g_strcmp0 (post->owner, owner) != 0)
        respond_missing (self, request, parts[0]);
      else
        comment_request (self, request, owner, comment, n_parts == 2 ? parts[1] : NULL);
      return TRUE;
    }
  return FALSE;
}

/* Routing */

static gboolean
handle (SdFakeHttp    *http,
        SdFakeRequest *request,
        gpointer       user_data)
{
  SdFakeMeta *self = user_data;
  g_auto(GStrv) segments = g_strsplit (request->path + (request->path[0] == '/' ? 1 : 0), "/", -1);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  gboolean versioned = FALSE;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (segments[i][0] == '\0')
        continue;
      /* "/v24.0/…": any Graph version. */
      if (i == 0 && segments[i][0] == 'v' && g_ascii_isdigit (segments[i][1]) && strchr (segments[i], '.') != NULL)
        {
          versioned = TRUE;
          continue;
        }
      g_ptr_array_add (parts, segments[i]);
    }
  g_ptr_array_add (parts, NULL);

  if (self->instagram)
    return instagram_handle (self, request, (char **) parts->pdata, parts->len - 1, versioned);
  if (!versioned)
    return FALSE;
  return facebook_handle (self, request, (char **) parts->pdata, parts->len - 1);
}

/* Public */

static SdFakeMeta *
fake_new (gboolean instagram)
{
  SdFakeMeta *self = g_new0 (SdFakeMeta, 1);

  self->instagram = instagram;
  self->client_id = g_strdup ("meta-client");
  self->client_secret = g_strdup ("meta-secret");
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_user_free);
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_page_free);
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_object_free);
  self->order = g_ptr_array_new ();
  self->quota_total = 100;
  self->comments = g_ptr_array_new_with_free_func (fake_comment_free);
  self->conversations = g_ptr_array_new_with_free_func (fake_conversation_free);
  self->http = sd_fake_http_new (handle, self);
  sd_fake_http_set_rate_limited (self->http, on_rate_limited, self);
  return self;
}

SdFakeMeta *
sd_fake_facebook_new (void)
{
  return fake_new (FALSE);
}

SdFakeMeta *
sd_fake_instagram_new (void)
{
  return fake_new (TRUE);
}

void
sd_fake_meta_free (SdFakeMeta *self)
{
  if (self == NULL)
    return;
  sd_fake_http_free (self->http);
  g_ptr_array_unref (self->order);
  g_ptr_array_unref (self->comments);
  g_ptr_array_unref (self->conversations);
  g_hash_table_unref (self->objects);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->users);
  g_free (self->refused_text);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self);
}

const char *
sd_fake_meta_get_url (SdFakeMeta *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_meta_get_http (SdFakeMeta *self)
{
  return self->http;
}

void
sd_fake_meta_set_app (SdFakeMeta *self,
                      const char *client_id,
                      const char *client_secret)
{
  sd_fake_http_lock (self->http);
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  g_free (self->client_secret);
  self->client_secret = g_strdup (client_secret);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_meta_add_user (SdFakeMeta *self,
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
  sd_fake_http_unlock (self->http);
  if (access_token != NULL)
    sd_fake_http_add_token (self->http, user_id, access_token, NULL, 0);
}

void
sd_fake_meta_add_page (SdFakeMeta *self,
                       const char *user_id,
                       const char *page_id,
                       const char *name,
                       const char *page_token)
{
  FakePage *page = g_new0 (FakePage, 1);

  page->id = g_strdup (page_id);
  page->name = g_strdup (name);
  page->owner = g_strdup (user_id);
  page->token = g_strdup (page_token);
  sd_fake_http_lock (self->http);
  g_hash_table_replace (self->pages, page->id, page);
  sd_fake_http_unlock (self->http);
  sd_fake_http_add_token (self->http, page_id, page_token, NULL, 0);
}

static gboolean
counts_as_post (SdFakeMeta *self,
                FakeObject *object)
{
  if (object->deleted)
    return FALSE;
  return self->instagram ? object->kind == OBJ_MEDIA : object->kind == OBJ_POST;
}

guint
sd_fake_meta_count_posts (SdFakeMeta *self)
{
  return sd_fake_meta_count_posts_with_text (self, NULL);
}

guint
sd_fake_meta_count_posts_with_text (SdFakeMeta *self,
                                    const char *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->order->len; i++)
    {
      FakeObject *object = g_ptr_array_index (self->order, i);

      if (counts_as_post (self, object) && (text == NULL || g_strcmp0 (object->message, text) == 0))
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_meta_count_uploads (SdFakeMeta *self)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->order->len; i++)
    {
      FakeObject *object = g_ptr_array_index (self->order, i);

      if (object->kind == OBJ_CONTAINER || object->kind == OBJ_PHOTO)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_meta_dup_last_post_id (SdFakeMeta *self)
{
  char *id = NULL;

  sd_fake_http_lock (self->http);
  for (guint i = self->order->len; i > 0 && id == NULL; i--)
    {
      FakeObject *object = g_ptr_array_index (self->order, i - 1);

      if (counts_as_post (self, object))
        id = g_strdup (object->id);
    }
  sd_fake_http_unlock (self->http);
  return id;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
sd_fake_meta_dup_object_json (SdFakeMeta *self,
                              const char *id)
{
  static const char * const kinds[] = { "post", "photo", "container", "media" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  FakeObject *object;

  sd_fake_http_lock (self->http);
  publish_due (self);
  object = g_hash_table_lookup (self->objects, id);
  if (object == NULL)
    {
      sd_fake_http_unlock (self->http);
      return NULL;
    }
  json_builder_begin_object (builder);
  add_string (builder, "id", object->id);
  add_string (builder, "kind", kinds[object->kind]);
  add_string (builder, "owner", object->owner);
  add_string (builder, "message", object->message);
  json_builder_set_member_name (builder, "published");
  json_builder_add_boolean_value (builder, object->published);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, object->deleted);
  json_builder_set_member_name (builder, "scheduled_publish_time");
  json_builder_add_int_value (builder, object->scheduled);
  json_builder_set_member_name (builder, "attached_media");
  json_builder_begin_array (builder);
  for (guint i = 0; i < object->attached->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (object->attached, i));
  json_builder_end_array (builder);
  add_string (builder, "alt_text", object->alt_text);
  add_string (builder, "image_url", object->image_url);
  add_string (builder, "video_url", object->video_url);
  add_string (builder, "media_type", object->media_type);
  add_string (builder, "children", object->children);
  json_builder_end_object (builder);
  sd_fake_http_unlock (self->http);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
sd_fake_meta_set_refused_text (SdFakeMeta *self,
                               const char *text)
{
  sd_fake_http_lock (self->http);
  g_free (self->refused_text);
  self->refused_text = g_strdup (text);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_meta_set_container_polls (SdFakeMeta *self,
                                  guint       polls)
{
  sd_fake_http_lock (self->http);
  self->container_polls = polls;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_meta_set_quota (SdFakeMeta *self,
                        guint       usage,
                        guint       total)
{
  sd_fake_http_lock (self->http);
  self->quota_usage = usage;
  self->quota_total = total;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_meta_set_usage_spent (SdFakeMeta *self,
                              gboolean    spent)
{
  sd_fake_http_lock (self->http);
  self->usage_spent = spent;
  sd_fake_http_unlock (self->http);
}

/* The inbox */

char *
sd_fake_meta_add_published_post (SdFakeMeta *self,
                                 const char *owner,
                                 const char *message)
{
  FakeObject *object;
  char *id;

  sd_fake_http_lock (self->http);
  object = self->instagram ? add_object (self, OBJ_MEDIA, owner, NULL) : new_page_post (self, owner);
  object->message = g_strdup (message);
  object->published = TRUE;
  if (self->instagram)
    object->media_type = g_strdup ("IMAGE");
  id = g_strdup (object->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_meta_add_comment (SdFakeMeta *self,
                          const char *on_id,
                          const char *from_id,
                          const char *from_name,
                          const char *message)
{
  FakeComment *parent;
  FakeComment *comment;
  char *id;

  sd_fake_http_lock (self->http);
  parent = find_comment (self, on_id);
  if (parent != NULL)
    comment = new_comment (self, parent->on, parent->parent != NULL ? parent->parent : parent->id,
                           from_id, from_name, message);
  else
    comment = new_comment (self, on_id, NULL, from_id, from_name, message);
  id = g_strdup (comment->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_meta_add_dm (SdFakeMeta *self,
                     const char *owner,
                     const char *person_id,
                     const char *person_name,
                     gboolean    from_owner,
                     const char *text)
{
  FakeConversation *conversation;
  FakeDm *dm;
  char *id;

  sd_fake_http_lock (self->http);
  conversation = find_conversation (self, owner, person_id, NULL);
  if (conversation == NULL)
    {
      g_autofree char *number = sd_fake_http_new_id (self->http);

      conversation = g_new0 (FakeConversation, 1);
      conversation->id = g_strconcat (self->instagram ? "aWdfZAG06" : "t_", number, NULL);
      conversation->owner = g_strdup (owner);
      conversation->person_id = g_strdup (person_id);
      conversation->person_name = g_strdup (person_name);
      conversation->messages = g_ptr_array_new_with_free_func (fake_dm_free);
      g_ptr_array_add (self->conversations, conversation);
    }
  dm = new_dm (self, conversation, from_owner, text);
  id = g_strdup (dm->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_meta_dup_comment_json (SdFakeMeta *self,
                               const char *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  FakeComment *comment = NULL;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->comments->len; i++)
    if (strcmp (((FakeComment *) g_ptr_array_index (self->comments, i))->id, id) == 0)
      comment = g_ptr_array_index (self->comments, i);
  if (comment == NULL)
    {
      sd_fake_http_unlock (self->http);
      return NULL;
    }
  json_builder_begin_object (builder);
  add_string (builder, "id", comment->id);
  add_string (builder, "on", comment->on);
  add_string (builder, "parent", comment->parent);
  add_string (builder, "from_id", comment->from_id);
  add_string (builder, "message", comment->message);
  json_builder_set_member_name (builder, "hidden");
  json_builder_add_boolean_value (builder, comment->hidden);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, comment->deleted);
  json_builder_set_member_name (builder, "liked");
  json_builder_add_boolean_value (builder, comment->liked);
  json_builder_end_object (builder);
  sd_fake_http_unlock (self->http);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

guint
sd_fake_meta_count_replies_by (SdFakeMeta *self,
                               const char *comment_id,
                               const char *from_id)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = g_ptr_array_index (self->comments, i);

      if (!comment->deleted && g_strcmp0 (comment->parent, comment_id) == 0
          && g_strcmp0 (comment->from_id, from_id) == 0)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_meta_count_dms_by (SdFakeMeta *self,
                           const char *owner,
                           const char *person_id,
                           gboolean    from_owner)
{
  FakeConversation *conversation;
  guint n = 0;

  sd_fake_http_lock (self->http);
  conversation = find_conversation (self, owner, person_id, NULL);
  for (guint i = 0; conversation != NULL && i < conversation->messages->len; i++)
    {
      FakeDm *dm = g_ptr_array_index (conversation->messages, i);

      if (g_strcmp0 (dm->from_id, from_owner ? owner : person_id) == 0)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_meta_dup_conversation_id (SdFakeMeta *self,
                                  const char *owner,
                                  const char *person_id)
{
  FakeConversation *conversation;
  char *id;

  sd_fake_http_lock (self->http);
  conversation = find_conversation (self, owner, person_id, NULL);
  id = conversation != NULL ? g_strdup (conversation->id) : NULL;
  sd_fake_http_unlock (self->http);
  return id;
}

void
sd_fake_meta_set_throttle_code (SdFakeMeta *self,
                                int         code)
{
  sd_fake_http_lock (self->http);
  self->throttle_code = code;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_meta_set_messaging_denied (SdFakeMeta *self,
                                   gboolean    denied)
{
  sd_fake_http_lock (self->http);
  self->messaging_denied = denied;
  sd_fake_http_unlock (self->http);
}
