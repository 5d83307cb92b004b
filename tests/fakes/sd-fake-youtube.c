/* sd-fake-youtube.c — a loopback YouTube Data API v3 and Google OAuth, as Google's documentation shows
 *
 * Sources for the shapes: developers.google.com/youtube/v3/docs/videos (the
 * video resource, insert/update/delete, errors), .../channels/list,
 * .../playlistItems/list, .../guides/using_resumable_upload_protocol, and
 * developers.google.com/identity/protocols/oauth2/native-app (token answers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-fake-youtube.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#define TOKEN_LIFETIME   3599
#define CHUNK_QUANTUM    (256 * 1024)
#define PAGE_MAX         50
#define UPLOAD_PREFIX    "/upload/youtube/v3/videos"

typedef struct
{
  char *user_id;
  char *id;
  char *title;
  char *custom_url;
} FakeChannel;

typedef struct
{
  char       *id;
  char       *channel_id;
  char       *title;
  char       *description;
  char      **tags;
  char       *category;
  char       *privacy;
  gint64      publish_at;      /* 0: none */
  int         kids;            /* -1: not declared */
  gint64      uploaded_at;
  char       *mime_type;
  GBytes     *content;
} FakeVideo;

typedef struct
{
  char       *id;
  char       *channel_id;
  JsonNode   *resource;
  gint64      total;
  char       *mime_type;
  GByteArray *received;
  char       *video_id;        /* set once finished */
  gboolean    expired;
} FakeSession;

struct _SdFakeYoutube
{
  SdFakeHttp *http;
  GPtrArray  *channels;        /* FakeChannel */
  GPtrArray  *videos;          /* FakeVideo, oldest first */
  GHashTable *sessions;        /* upload id → FakeSession */
  gboolean    quota_exceeded;
  guint       upload_limit;
  gint64      stall_after;
  guint       n_upload_puts;
  GPtrArray  *comments;        /* FakeComment, oldest first */
};

static void
channel_free (FakeChannel *channel)
{
  g_free (channel->user_id);
  g_free (channel->id);
  g_free (channel->title);
  g_free (channel->custom_url);
  g_free (channel);
}

static void
video_free (FakeVideo *video)
{
  g_free (video->id);
  g_free (video->channel_id);
  g_free (video->title);
  g_free (video->description);
  g_strfreev (video->tags);
  g_free (video->category);
  g_free (video->privacy);
  g_free (video->mime_type);
  g_clear_pointer (&video->content, g_bytes_unref);
  g_free (video);
}

static void
session_free (FakeSession *session)
{
  g_free (session->id);
  g_free (session->channel_id);
  g_clear_pointer (&session->resource, json_node_unref);
  g_free (session->mime_type);
  g_byte_array_unref (session->received);
  g_free (session->video_id);
  g_free (session);
}

/* Answers */

static void
google_error (SdFakeRequest *request,
              guint          code,
              const char    *domain,
              const char    *reason,
              const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, domain);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, code, root);
}

static void
google_rate_limited (SdFakeHttp    *http,
                     SdFakeRequest *request,
                     gpointer       user_data)
{
  sd_fake_http_respond_json_text (request, 429,
                                  "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted "
                                  "(e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
  /* Whether Google's front end sends Retry-After here is not documented. */
  sd_fake_http_set_header (request, "Retry-After", "30");
}

static char *
iso8601 (gint64 when)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (when);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt != NULL ? g_date_time_to_unix (dt) : -1;
}

static char *
new_video_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  GString *id = g_string_new (NULL);

  for (guint i = 0; i < 11; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, 64)]);
  return g_string_free (id, FALSE);
}

/* State */

static FakeChannel *
channel_by_id (SdFakeYoutube *self,
               const char    *id)
{
  for (guint i = 0; i < self->channels->len; i++)
    {
      FakeChannel *channel = self->channels->pdata[i];

      if (g_strcmp0 (channel->id, id) == 0)
        return channel;
    }
  return NULL;
}

/* The channel a user's token acts for: their first. */
static FakeChannel *
channel_of_user (SdFakeYoutube *self,
                 const char    *user_id)
{
  for (guint i = 0; i < self->channels->len; i++)
    {
      FakeChannel *channel = self->channels->pdata[i];

      if (g_strcmp0 (channel->user_id, user_id) == 0)
        return channel;
    }
  return NULL;
}

static FakeVideo *
video_by_id (SdFakeYoutube *self,
             const char    *id)
{
  for (guint i = 0; i < self->videos->len; i++)
    {
      FakeVideo *video = self->videos->pdata[i];

      if (g_strcmp0 (video->id, id) == 0)
        return video;
    }
  return NULL;
}

/* YouTube's scheduler: private videos whose publishAt passed become public. */
static void
publish_due (SdFakeYoutube *self)
{
  gint64 now = sd_fake_http_now (self->http);

  for (guint i = 0; i < self->videos->len; i++)
    {
      FakeVideo *video = self->videos->pdata[i];

      if (video->publish_at > 0 && video->publish_at <= now && g_strcmp0 (video->privacy, "private") == 0)
        {
          g_free (video->privacy);
          video->privacy = g_strdup ("public");
          video->publish_at = 0;
        }
    }
}

static void
add_status (JsonBuilder *builder,
            FakeVideo   *video)
{
  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uploadStatus");
  json_builder_add_string_value (builder, "processed");
  json_builder_set_member_name (builder, "privacyStatus");
  json_builder_add_string_value (builder, video->privacy);
  if (video->publish_at > 0)
    {
      g_autofree char *when = iso8601 (video->publish_at);

      json_builder_set_member_name (builder, "publishAt");
      json_builder_add_string_value (builder, when);
    }
  json_builder_set_member_name (builder, "license");
  json_builder_add_string_value (builder, "youtube");
  json_builder_set_member_name (builder, "embeddable");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "publicStatsViewable");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "madeForKids");
  json_builder_add_boolean_value (builder, video->kids == 1);
  if (video->kids >= 0)
    {
      json_builder_set_member_name (builder, "selfDeclaredMadeForKids");
      json_builder_add_boolean_value (builder, video->kids == 1);
    }
  json_builder_end_object (builder);
}

static void
add_snippet (SdFakeYoutube *self,
             JsonBuilder   *builder,
             FakeVideo     *video)
{
  FakeChannel *channel = channel_by_id (self, video->channel_id);
  g_autofree char *when = iso8601 (video->uploaded_at);

  json_builder_set_member_name (builder, "snippet");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "publishedAt");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "channelId");
  json_builder_add_string_value (builder, video->channel_id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, video->title);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, video->description);
  json_builder_set_member_name (builder, "channelTitle");
  json_builder_add_string_value (builder, channel != NULL ? channel->title : "");
  if (video->tags != NULL && video->tags[0] != NULL)
    {
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint i = 0; video->tags[i] != NULL; i++)
        json_builder_add_string_value (builder, video->tags[i]);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "categoryId");
  json_builder_add_string_value (builder, video->category);
  json_builder_end_object (builder);
}

/* The video resource with the parts asked for ("snippet", "status", "fileDetails"). */
static JsonNode *
video_json (SdFakeYoutube *self,
            FakeVideo     *video,
            const char    *parts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) list = g_strsplit (parts != NULL ? parts : "", ",", -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "youtube#video");
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "Dn5xIderbhAnUk5TAW0qkFFir0M");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, video->id);
  if (g_strv_contains ((const char * const *) list, "snippet"))
    add_snippet (self, builder, video);
  if (g_strv_contains ((const char * const *) list, "status"))
    add_status (builder, video);
  if (g_strv_contains ((const char * const *) list, "fileDetails"))
    {
      json_builder_set_member_name (builder, "fileDetails");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fileType");
      json_builder_add_string_value (builder, "video");
      json_builder_set_member_name (builder, "fileSize");
      json_builder_add_int_value (builder, g_bytes_get_size (video->content));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
respond_list (SdFakeRequest *request,
              const char    *kind,
              GPtrArray     *items,      /* JsonNode */
              const char    *next_page,
              guint          total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "tUeVBxKYfpOQ3I6m4dz1Lo4Y6nE");
  if (next_page != NULL)
    {
      json_builder_set_member_name (builder, "nextPageToken");
      json_builder_add_string_value (builder, next_page);
    }
  json_builder_set_member_name (builder, "pageInfo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "totalResults");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "resultsPerPage");
  json_builder_add_int_value (builder, items->len);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (builder, json_node_copy (items->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

/* OAuth */

static void
token_error (SdFakeRequest *request,
             const char    *error,
             const char    *description)
{
  g_autofree char *json = g_strdup_printf ("{\"error\":\"%s\",\"error_description\":\"%s\"}", error, description);

  sd_fake_http_respond_json_text (request, 400, json);
}

static void
token_answer (SdFakeRequest *request,
              const char    *access_token,
              const char    *refresh_token,
              gint64         expires_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  if (refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, refresh_token);
    }
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "https://www.googleapis.com/auth/youtube.upload "
                                 "https://www.googleapis.com/auth/youtube.readonly "
                                 "https://www.googleapis.com/auth/youtube.force-ssl");
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

static char *
random_secret (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("ya29.", uuid, NULL);
}

static void
handle_token (SdFakeYoutube *self,
              SdFakeRequest *request)
{
  const char *grant_type = sd_fake_request_param (request, "grant_type");

  if (g_strcmp0 (request->method, "POST") != 0)
    {
      sd_fake_http_respond_text (request, 405, "text/plain", "Method Not Allowed");
      return;
    }
  if (sd_fake_request_param (request, "client_id") == NULL
      || sd_fake_request_param (request, "client_secret") == NULL)
    {
      token_error (request, "invalid_request", "client_secret is missing.");
      return;
    }

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    {
      g_autofree char *access = NULL;
      g_autofree char *refresh = NULL;
      const char *user_id = NULL;

      if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"),
                                            sd_fake_request_param (request, "client_id"),
                                            sd_fake_request_param (request, "redirect_uri"),
                                            sd_fake_request_param (request, "code_verifier"),
                                            TOKEN_LIFETIME, TRUE, &access, &refresh, &user_id))
        {
          token_error (request, "invalid_grant", "Bad Request");
          return;
        }
      token_answer (request, access, refresh, TOKEN_LIFETIME);
      return;
    }

  if (g_strcmp0 (grant_type, "refresh_token") == 0)
    {
      const char *refresh_token = sd_fake_request_param (request, "refresh_token");
      g_autofree char *spent_access = NULL;
      g_autofree char *spent_refresh = NULL;
      g_autofree char *access = NULL;
      const char *user_id = NULL;
      gint64 expires_in = 0;
      g_autofree char *keep_refresh = g_strdup (refresh_token);

      if (sd_fake_http_refresh_locked (self->http, refresh_token, &spent_access, &spent_refresh,
                                       &expires_in, &user_id) != SD_FAKE_TOKEN_VALID)
        {
          token_error (request, "invalid_grant", "Token has been expired or revoked.");
          return;
        }
      /* Google does not rotate refresh tokens: the old one stays and no new one is given. */
      access = random_secret ();
      sd_fake_http_add_token_locked (self->http, user_id, access, keep_refresh, TOKEN_LIFETIME);
      token_answer (request, access, NULL, TOKEN_LIFETIME);
      return;
    }

  token_error (request, "unsupported_grant_type", "Invalid grant_type.");
}

/* API */

/* The channel of the request's token, or NULL after answering 401. */
static FakeChannel *
authorize (SdFakeYoutube *self,
           SdFakeRequest *request)
{
  const char *user_id = NULL;
  FakeChannel *channel;

  if (sd_fake_http_check_token_locked (self->http, request->bearer, &user_id) != SD_FAKE_TOKEN_VALID
      || (channel = channel_of_user (self, user_id)) == NULL)
    {
      google_error (request, 401, "global", "authError",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                    "login cookie or other valid authentication credential.");
      sd_fake_http_set_header (request, "WWW-Authenticate",
                               "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
      return NULL;
    }
  return channel;
}

static void
handle_channels (SdFakeYoutube *self,
                 SdFakeRequest *request,
                 FakeChannel   *me)
{
  const char *part = sd_fake_request_param (request, "part");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) parts = g_strsplit (part != NULL ? part : "", ",", -1);

  if (part == NULL || g_strcmp0 (sd_fake_request_param (request, "mine"), "true") != 0)
    {
      google_error (request, 400, "youtube.parameter", "missingRequiredParameter",
                    "No filter selected. Expected one of: mine, id, forHandle, forUsername, managedByMe.");
      return;
    }
  for (guint i = 0; i < self->channels->len; i++)
    {
      FakeChannel *channel = self->channels->pdata[i];
      g_autoptr(JsonBuilder) builder = NULL;
      g_autofree char *avatar = NULL;
      g_autofree char *uploads = NULL;

      if (g_strcmp0 (channel->user_id, me->user_id) != 0)
        continue;
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "youtube#channel");
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, "3kZ5nC1dFBK6Os9yqZBBLHh3Klw");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, channel->id);
      if (g_strv_contains ((const char * const *) parts, "snippet"))
        {
          avatar = g_strdup_printf ("https://yt3.ggpht.com/%s=s88-c-k-c0x00ffffff-no-rj", channel->id);
          json_builder_set_member_name (builder, "snippet");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, channel->title);
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, "");
          json_builder_set_member_name (builder, "customUrl");
          json_builder_add_string_value (builder, channel->custom_url);
          json_builder_set_member_name (builder, "publishedAt");
          json_builder_add_string_value (builder, "2015-03-02T17:43:05Z");
          json_builder_set_member_name (builder, "thumbnails");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "default");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, avatar);
          json_builder_set_member_name (builder, "width");
          json_builder_add_int_value (builder, 88);
          json_builder_set_member_name (builder, "height");
          json_builder_add_int_value (builder, 88);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      if (g_strv_contains ((const char * const *) parts, "contentDetails"))
        {
          uploads = g_strconcat ("UU", channel->id + 2, NULL);
          json_builder_set_member_name (builder, "contentDetails");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "relatedPlaylists");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "likes");
          json_builder_add_string_value (builder, "");
          json_builder_set_member_name (builder, "uploads");
          json_builder_add_string_value (builder, uploads);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      g_ptr_array_add (items, json_builder_get_root (builder));
    }
  respond_list (request, "youtube#channelListResponse", items, NULL, items->len);
}

static void
handle_playlist_items (SdFakeYoutube *self,
                       SdFakeRequest *request,
                       FakeChannel   *me)
{
  const char *playlist = sd_fake_request_param (request, "playlistId");
  const char *max_text = sd_fake_request_param (request, "maxResults");
  const char *token = sd_fake_request_param (request, "pageToken");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autofree char *next = NULL;
  g_autofree char *channel_id = NULL;
  FakeChannel *channel;
  guint max = max_text != NULL ? (guint) g_ascii_strtoull (max_text, NULL, 10) : 5;
  guint start = token != NULL && token[0] == 'p' ? (guint) g_ascii_strtoull (token + 1, NULL, 10) : 0;

  max = CLAMP (max, 1, PAGE_MAX);
  channel_id = playlist != NULL && g_str_has_prefix (playlist, "UU") ? g_strconcat ("UC", playlist + 2, NULL) : NULL;
  if ((channel = channel_id != NULL ? channel_by_id (self, channel_id) : NULL) == NULL)
    {
      google_error (request, 404, "youtube.playlistItem", "playlistNotFound",
                    "The playlist identified with the request's playlistId parameter cannot be found.");
      return;
    }

  /* Newest first; a channel's own private videos are in its uploads for it. */
  for (guint i = self->videos->len; i > 0; i--)
    {
      FakeVideo *video = self->videos->pdata[i - 1];

      if (g_strcmp0 (video->channel_id, channel->id) == 0
          && (g_strcmp0 (channel->user_id, me->user_id) == 0 || g_strcmp0 (video->privacy, "public") == 0))
        g_ptr_array_add (mine, video);
    }
  for (guint i = start; i < mine->len && i < start + max; i++)
    {
      FakeVideo *video = mine->pdata[i];
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *when = iso8601 (video->uploaded_at);
      g_autofree char *item_id = g_strdup_printf ("UExfaXRlbV8%s", video->id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "youtube#playlistItem");
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, "hHk2BdQdzv8Ww5xU3zVdRFyO2ak");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, item_id);
      json_builder_set_member_name (builder, "snippet");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "publishedAt");
      json_builder_add_string_value (builder, when);
      json_builder_set_member_name (builder, "channelId");
      json_builder_add_string_value (builder, channel->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, video->title);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, video->description);
      json_builder_set_member_name (builder, "channelTitle");
      json_builder_add_string_value (builder, channel->title);
      json_builder_set_member_name (builder, "playlistId");
      json_builder_add_string_value (builder, playlist);
      json_builder_set_member_name (builder, "position");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "resourceId");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "youtube#video");
      json_builder_set_member_name (builder, "videoId");
      json_builder_add_string_value (builder, video->id);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      g_ptr_array_add (items, json_builder_get_root (builder));
    }
  if (start + max < mine->len)
    next = g_strdup_printf ("p%u", start + max);
  respond_list (request, "youtube#playlistItemListResponse", items, next, mine->len);
}

static gboolean
owns (FakeChannel *me,
      FakeVideo   *video)
{
  return g_strcmp0 (video->channel_id, me->id) == 0;
}

static void
video_not_found (SdFakeRequest *request)
{
  google_error (request, 404, "youtube.video", "videoNotFound",
                "The video that you are trying to update cannot be found. Check the value of the id field "
                "in the request body to ensure that it is correct.");
}

static void
handle_videos (SdFakeYoutube *self,
               SdFakeRequest *request,
               FakeChannel   *me)
{
  if (g_strcmp0 (request->method, "GET") == 0)
    {
      const char *part = sd_fake_request_param (request, "part");
      const char *ids = sd_fake_request_param (request, "id");
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_auto(GStrv) list = g_strsplit (ids != NULL ? ids : "", ",", -1);

      if (part == NULL || ids == NULL)
        {
          google_error (request, 400, "youtube.parameter", "missingRequiredParameter",
                        "No filter selected. Expected one of: id, chart, myRating.");
          return;
        }
      for (guint i = 0; list[i] != NULL; i++)
        {
          FakeVideo *video = video_by_id (self, list[i]);

          /* Others' private videos are not shown. */
          if (video != NULL && (owns (me, video) || g_strcmp0 (video->privacy, "public") == 0))
            g_ptr_array_add (items, video_json (self, video, part));
        }
      respond_list (request, "youtube#videoListResponse", items, NULL, items->len);
      return;
    }

  if (g_strcmp0 (request->method, "PUT") == 0)
    {
      JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                         ? json_node_get_object (request->json) : NULL;
      JsonNode *status_node = body != NULL ? json_object_get_member (body, "status") : NULL;
      JsonObject *status = status_node != NULL && JSON_NODE_HOLDS_OBJECT (status_node)
                           ? json_node_get_object (status_node) : NULL;
      const char *id = body != NULL && json_object_has_member (body, "id")
                       ? json_object_get_string_member (body, "id") : NULL;
      FakeVideo *video = id != NULL ? video_by_id (self, id) : NULL;
      const char *privacy;
      const char *publish_text;
      gint64 publish_at = 0;
      g_autoptr(JsonNode) answer = NULL;

      if (g_strcmp0 (sd_fake_request_param (request, "part"), "status") != 0 || status == NULL)
        {
          google_error (request, 400, "youtube.part", "unexpectedPart",
                        "The request specifies an unexpected value for the part parameter.");
          return;
        }
      if (video == NULL || !owns (me, video))
        {
          video_not_found (request);
          return;
        }
      privacy = json_object_has_member (status, "privacyStatus")
                ? json_object_get_string_member (status, "privacyStatus") : NULL;
      publish_text = json_object_has_member (status, "publishAt")
                     ? json_object_get_string_member (status, "publishAt") : NULL;
      if (publish_text != NULL
          && ((publish_at = parse_time (publish_text)) <= sd_fake_http_now (self->http)
              || g_strcmp0 (privacy, "private") != 0))
        {
          google_error (request, 400, "youtube.video", "invalidPublishAt",
                        "The request metadata specifies an invalid scheduled publishing time.");
          return;
        }
      g_free (video->privacy);
      video->privacy = g_strdup (privacy != NULL ? privacy : "private");
      video->publish_at = publish_text != NULL ? publish_at : 0;
      if (json_object_has_member (status, "selfDeclaredMadeForKids"))
        video->kids = json_object_get_boolean_member (status, "selfDeclaredMadeForKids") ? 1 : 0;
      answer = video_json (self, video, "status");
      sd_fake_http_respond_json (request, 200, answer);
      return;
    }

  if (g_strcmp0 (request->method, "DELETE") == 0)
    {
      FakeVideo *video = video_by_id (self, sd_fake_request_param (request, "id"));

      if (video == NULL || !owns (me, video))
        {
          video_not_found (request);
          return;
        }
      g_ptr_array_remove (self->videos, video);
      soup_server_message_set_status (request->msg, 204, NULL);
      return;
    }

  sd_fake_http_respond_text (request, 405, "text/plain", "Method Not Allowed");
}

/* Uploads */

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
has_angle_brackets (const char *text)
{
  return text != NULL && (strchr (text, '<') != NULL || strchr (text, '>') != NULL);
}

static void
handle_upload_start (SdFakeYoutube *self,
                     SdFakeRequest *request,
                     FakeChannel   *me)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *length = soup_message_headers_get_one (headers, "X-Upload-Content-Length");
  const char *type = soup_message_headers_get_one (headers, "X-Upload-Content-Type");
  JsonObject *resource = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                         ? json_node_get_object (request->json) : NULL;
  JsonObject *snippet = object_member (resource, "snippet");
  JsonObject *status = object_member (resource, "status");
  const char *title = object_string (snippet, "title");
  const char *description = object_string (snippet, "description");
  const char *privacy = object_string (status, "privacyStatus");
  const char *publish_at = object_string (status, "publishAt");
  JsonNode *tags = snippet != NULL ? json_object_get_member (snippet, "tags") : NULL;
  guint channel_videos = 0;
  gsize tags_length = 0;
  FakeSession *session;
  g_autofree char *location = NULL;
  g_autofree char *number = NULL;

  if (g_strcmp0 (sd_fake_request_param (request, "uploadType"), "resumable") != 0
      || length == NULL || g_ascii_strtoll (length, NULL, 10) <= 0)
    {
      google_error (request, 400, "global", "badRequest", "Bad Request");
      return;
    }
  if (type == NULL || !(g_str_has_prefix (type, "video/") || strcmp (type, "application/octet-stream") == 0))
    {
      google_error (request, 400, "youtube.video", "invalidVideoMetadata",
                    "The request metadata is invalid.");
      return;
    }
  if (title == NULL || title[0] == '\0' || g_utf8_strlen (title, -1) > 100 || has_angle_brackets (title))
    {
      google_error (request, 400, "youtube.video", "invalidTitle",
                    "The request metadata specifies an invalid video title.");
      return;
    }
  if (description != NULL && (strlen (description) > 5000 || has_angle_brackets (description)))
    {
      google_error (request, 400, "youtube.video", "invalidDescription",
                    "The request metadata specifies an invalid video description.");
      return;
    }
  if (tags != NULL && JSON_NODE_HOLDS_ARRAY (tags))
    {
      JsonArray *array = json_node_get_array (tags);

      for (guint i = 0; i < json_array_get_length (array); i++)
        tags_length += strlen (json_array_get_string_element (array, i)) + (i > 0 ? 1 : 0);
    }
  if (tags_length > 500)
    {
      google_error (request, 400, "youtube.video", "invalidTags",
                    "The request metadata specifies invalid video keywords.");
      return;
    }
  if (privacy != NULL && strcmp (privacy, "public") != 0 && strcmp (privacy, "unlisted") != 0
      && strcmp (privacy, "private") != 0)
    {
      google_error (request, 400, "youtube.video", "invalidVideoMetadata", "The request metadata is invalid.");
      return;
    }
  if (publish_at != NULL && (g_strcmp0 (privacy, "private") != 0
                             || parse_time (publish_at) <= sd_fake_http_now (self->http)))
    {
      google_error (request, 400, "youtube.video", "invalidPublishAt",
                    "The request metadata specifies an invalid scheduled publishing time.");
      return;
    }
  for (guint i = 0; i < self->videos->len; i++)
    if (owns (me, self->videos->pdata[i]))
      channel_videos++;
  if (self->upload_limit > 0 && channel_videos >= self->upload_limit)
    {
      google_error (request, 403, "youtube.video", "uploadLimitExceeded",
                    "The user has exceeded the number of videos they may upload.");
      return;
    }

  session = g_new0 (FakeSession, 1);
  number = sd_fake_http_new_id (self->http);
  session->id = g_strconcat ("AEnB2U", number, NULL);
  session->channel_id = g_strdup (me->id);
  session->resource = json_node_copy (request->json);
  session->total = g_ascii_strtoll (length, NULL, 10);
  session->mime_type = g_strdup (type);
  session->received = g_byte_array_new ();
  g_hash_table_insert (self->sessions, session->id, session);

  location = g_strdup_printf ("%s%s?uploadType=resumable&upload_id=%s", sd_fake_http_get_url (self->http),
                              UPLOAD_PREFIX, session->id);
  sd_fake_http_set_header (request, "Location", location);
  sd_fake_http_respond_text (request, 200, "text/plain", "");
}

static FakeVideo *
finish_session (SdFakeYoutube *self,
                FakeSession   *session)
{
  JsonObject *resource = json_node_get_object (session->resource);
  JsonObject *snippet = object_member (resource, "snippet");
  JsonObject *status = object_member (resource, "status");
  JsonNode *tags = snippet != NULL ? json_object_get_member (snippet, "tags") : NULL;
  const char *publish_at = object_string (status, "publishAt");
  const char *category = object_string (snippet, "categoryId");
  const char *privacy = object_string (status, "privacyStatus");
  FakeVideo *video = g_new0 (FakeVideo, 1);

  video->id = new_video_id ();
  video->channel_id = g_strdup (session->channel_id);
  video->title = g_strdup (object_string (snippet, "title"));
  video->description = g_strdup (object_string (snippet, "description") != NULL
                                 ? object_string (snippet, "description") : "");
  if (tags != NULL && JSON_NODE_HOLDS_ARRAY (tags))
    {
      JsonArray *array = json_node_get_array (tags);
      GStrvBuilder *builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
      video->tags = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  video->category = g_strdup (category != NULL ? category : "22");
  video->privacy = g_strdup (privacy != NULL ? privacy : "public");
  video->publish_at = publish_at != NULL ? parse_time (publish_at) : 0;
  video->kids = status != NULL && json_object_has_member (status, "selfDeclaredMadeForKids")
                ? (json_object_get_boolean_member (status, "selfDeclaredMadeForKids") ? 1 : 0) : -1;
  video->uploaded_at = sd_fake_http_now (self->http);
  video->mime_type = g_strdup (session->mime_type);
  video->content = g_bytes_new (session->received->data, session->received->len);
  g_ptr_array_add (self->videos, video);
  session->video_id = g_strdup (video->id);
  return video;
}

static void
respond_session_done (SdFakeYoutube *self,
                      SdFakeRequest *request,
                      FakeSession   *session,
                      guint          code)
{
  FakeVideo *video = video_by_id (self, session->video_id);
  g_autoptr(JsonNode) answer = NULL;

  if (video == NULL)
    {
      /* Deleted since: the session's answer stays the same. */
      sd_fake_http_respond_json_text (request, code, "{\"kind\":\"youtube#video\"}");
      return;
    }
  answer = video_json (self, video, "snippet,status");
  sd_fake_http_respond_json (request, code, answer);
}

static void
respond_incomplete (SdFakeRequest *request,
                    FakeSession   *session)
{
  sd_fake_http_respond_text (request, 308, "text/plain", "");
  if (session->received->len > 0)
    {
      g_autofree char *range = g_strdup_printf ("bytes=0-%u", session->received->len - 1);

      sd_fake_http_set_header (request, "Range", range);
    }
}

static void
handle_upload_put (SdFakeYoutube *self,
                   SdFakeRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *range = soup_message_headers_get_one (headers, "Content-Range");
  const char *upload_id = sd_fake_request_param (request, "upload_id");
  FakeSession *session = upload_id != NULL ? g_hash_table_lookup (self->sessions, upload_id) : NULL;
  gsize size = g_bytes_get_size (request->body);
  gint64 start, end, total;
  const char *data;

  self->n_upload_puts++;
  if (session == NULL || session->expired)
    {
      google_error (request, 404, "global", "notFound", "Not Found");
      return;
    }
  if (range == NULL || !g_str_has_prefix (range, "bytes "))
    {
      google_error (request, 400, "global", "badRequest", "Bad Request: no Content-Range.");
      return;
    }

  /* A query ("bytes *" + "/TOTAL"): where does it stand? */
  if (g_str_has_prefix (range, "bytes */"))
    {
      if (session->video_id != NULL)
        respond_session_done (self, request, session, 200);
      else
        respond_incomplete (request, session);
      return;
    }

  if (sscanf (range, "bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, &start, &end, &total) != 3
      || total != session->total || end < start || end >= total || (gsize) (end - start + 1) != size)
    {
      google_error (request, 400, "global", "badRequest", "Bad Request: the Content-Range does not match.");
      return;
    }
  if (session->video_id != NULL)
    {
      respond_session_done (self, request, session, 200);
      return;
    }
  if (start > (gint64) session->received->len)
    {
      google_error (request, 400, "global", "badRequest", "Bad Request: bytes are missing before the range.");
      return;
    }
  if (end + 1 < total && size % CHUNK_QUANTUM != 0)
    {
      google_error (request, 400, "global", "badRequest",
                    "Bad Request: a chunk other than the last must be a multiple of 256 KiB.");
      return;
    }
  if (self->stall_after >= 0 && end + 1 > self->stall_after)
    {
      google_error (request, 503, "global", "backendError", "Backend Error");
      return;
    }

  /* Bytes it has already are skipped. */
  data = g_bytes_get_data (request->body, NULL);
  if (end + 1 > (gint64) session->received->len)
    g_byte_array_append (session->received, (const guint8 *) data + (session->received->len - start),
                         (guint) (end + 1 - session->received->len));

  if ((gint64) session->received->len < total)
    {
      respond_incomplete (request, session);
      return;
    }
  finish_session (self, session);
  respond_session_done (self, request, session, 201);
}

/* Dispatch */

typedef struct _FakeComment FakeComment;
static void handle_comment_threads (SdFakeYoutube *self, SdFakeRequest *request, FakeChannel *me);
static void handle_comments        (SdFakeYoutube *self, SdFakeRequest *request, FakeChannel *me);
static void handle_moderation      (SdFakeYoutube *self, SdFakeRequest *request, FakeChannel *me);

static gboolean
handle (SdFakeHttp    *http,
        SdFakeRequest *request,
        gpointer       user_data)
{
  SdFakeYoutube *self = user_data;
  FakeChannel *me;

  if (strcmp (request->path, "/o/oauth2/v2/auth") == 0)
    {
      sd_fake_http_handle_authorize_locked (http, request, NULL, NULL);
      return TRUE;
    }
  if (strcmp (request->path, "/token") == 0)
    {
      handle_token (self, request);
      return TRUE;
    }
  /* The session URI is the upload's credential. */
  if (strcmp (request->path, UPLOAD_PREFIX) == 0 && strcmp (request->method, "PUT") == 0)
    {
      handle_upload_put (self, request);
      return TRUE;
    }
  if (!g_str_has_prefix (request->path, "/youtube/v3/") && strcmp (request->path, UPLOAD_PREFIX) != 0)
    return FALSE;

  if ((me = authorize (self, request)) == NULL)
    return TRUE;
  if (self->quota_exceeded)
    {
      google_error (request, 403, "youtube.quota", "quotaExceeded",
                    "The request cannot be completed because you have exceeded your quota.");
      return TRUE;
    }
  publish_due (self);

  if (strcmp (request->path, UPLOAD_PREFIX) == 0 && strcmp (request->method, "POST") == 0)
    handle_upload_start (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/channels") == 0)
    handle_channels (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/playlistItems") == 0)
    handle_playlist_items (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/videos") == 0)
    handle_videos (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/commentThreads") == 0)
    handle_comment_threads (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/comments") == 0)
    handle_comments (self, request, me);
  else if (strcmp (request->path, "/youtube/v3/comments/setModerationStatus") == 0)
    handle_moderation (self, request, me);
  else
    return FALSE;
  return TRUE;
}

/* The inbox: comment threads (developers.google.com/youtube/v3/docs/
 * commentThreads/list, comments/list, comments/insert,
 * comments/setModerationStatus). Top-level comment ids are thread ids
 * ("Ugz…"), replies "THREAD.REPLY". Threads are listed newest first
 * (order=time), maxResults ≤ 100 with nextPageToken; "replies" holds the
 * thread's published replies, oldest first. textDisplay is HTML (escaped
 * text, <br> for newlines) unless textFormat=plainText. Only published
 * comments are listed; the video's channel may hold them for review,
 * publish or reject them (204); anyone else gets 403 forbidden. */

struct _FakeComment
{
  char   *id;
  char   *video_id;
  char   *parent_id;          /* NULL: top-level */
  char   *author_channel_id;
  char   *author_name;
  char   *text;
  gint64  published;
  char   *moderation;         /* "published", "heldForReview", "rejected" */
};

static void
comment_free (FakeComment *comment)
{
  g_free (comment->id);
  g_free (comment->video_id);
  g_free (comment->parent_id);
  g_free (comment->author_channel_id);
  g_free (comment->author_name);
  g_free (comment->text);
  g_free (comment->moderation);
  g_free (comment);
}

static char *
random_comment_id (const char *prefix,
                   guint       length)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  GString *id = g_string_new (prefix);

  for (guint i = 0; i < length; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, 64)]);
  return g_string_free (id, FALSE);
}

static FakeComment *
comment_by_id (SdFakeYoutube *self,
               const char    *id)
{
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = self->comments->pdata[i];

      if (g_strcmp0 (comment->id, id) == 0)
        return comment;
    }
  return NULL;
}

static FakeComment *
new_comment (SdFakeYoutube *self,
             const char    *video_id,
             const char    *parent_id,
             const char    *author_channel_id,
             const char    *author_name,
             const char    *text)
{
  FakeComment *comment = g_new0 (FakeComment, 1);

  if (parent_id != NULL)
    {
      g_autofree char *suffix = random_comment_id ("", 22);

      comment->id = g_strconcat (parent_id, ".", suffix, NULL);
    }
  else
    comment->id = random_comment_id ("Ugz", 23);
  comment->video_id = g_strdup (video_id);
  comment->parent_id = g_strdup (parent_id);
  comment->author_channel_id = g_strdup (author_channel_id);
  comment->author_name = g_strdup (author_name);
  comment->text = g_strdup (text);
  comment->published = sd_fake_http_now (self->http);
  comment->moderation = g_strdup ("published");
  g_ptr_array_add (self->comments, comment);
  return comment;
}

/* textDisplay: the text as YouTube renders it, HTML. */
static char *
text_display (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *escaped = g_markup_escape_text (valid, -1);
  g_auto(GStrv) lines = g_strsplit (escaped, "\n", -1);

  return g_strjoinv ("<br>", lines);
}

static void
comment_json (SdFakeYoutube *self,
              JsonBuilder   *builder,
              FakeComment   *comment,
              gboolean       plain)
{
  FakeVideo *video = video_by_id (self, comment->video_id);
  g_autofree char *published = iso8601 (comment->published);
  g_autofree char *display = plain ? g_strdup (comment->text) : text_display (comment->text);
  g_autofree char *channel_url = g_strconcat ("http://www.youtube.com/channel/", comment->author_channel_id, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "youtube#comment");
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "Tx6bQ0l8DdxS2vCJnE4cLk9Dr8I");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, comment->id);
  json_builder_set_member_name (builder, "snippet");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "channelId");
  json_builder_add_string_value (builder, video != NULL ? video->channel_id : "");
  json_builder_set_member_name (builder, "videoId");
  json_builder_add_string_value (builder, comment->video_id);
  json_builder_set_member_name (builder, "textDisplay");
  json_builder_add_string_value (builder, display);
  json_builder_set_member_name (builder, "textOriginal");
  json_builder_add_string_value (builder, comment->text);
  if (comment->parent_id != NULL)
    {
      json_builder_set_member_name (builder, "parentId");
      json_builder_add_string_value (builder, comment->parent_id);
    }
  json_builder_set_member_name (builder, "authorDisplayName");
  json_builder_add_string_value (builder, comment->author_name);
  json_builder_set_member_name (builder, "authorProfileImageUrl");
  json_builder_add_string_value (builder, "https://yt3.ggpht.example.invalid/ytc/avatar=s48-c-k-c0x00ffffff-no-rj");
  json_builder_set_member_name (builder, "authorChannelUrl");
  json_builder_add_string_value (builder, channel_url);
  json_builder_set_member_name (builder, "authorChannelId");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, comment->author_channel_id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "canRate");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "viewerRating");
  json_builder_add_string_value (builder, "none");
  json_builder_set_member_name (builder, "likeCount");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "publishedAt");
  json_builder_add_string_value (builder, published);
  json_builder_set_member_name (builder, "updatedAt");
  json_builder_add_string_value (builder, published);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
thread_json (SdFakeYoutube *self,
             JsonBuilder   *builder,
             FakeComment   *top,
             gboolean       with_replies,
             gboolean       plain)
{
  FakeVideo *video = video_by_id (self, top->video_id);
  guint n_replies = 0;

  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *reply = self->comments->pdata[i];

      if (g_strcmp0 (reply->parent_id, top->id) == 0 && strcmp (reply->moderation, "published") == 0)
        n_replies++;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "youtube#commentThread");
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "gJ1oQ2yJ4bqk3Qz7b8YF0rVtUcA");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, top->id);
  json_builder_set_member_name (builder, "snippet");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "channelId");
  json_builder_add_string_value (builder, video != NULL ? video->channel_id : "");
  json_builder_set_member_name (builder, "videoId");
  json_builder_add_string_value (builder, top->video_id);
  json_builder_set_member_name (builder, "topLevelComment");
  comment_json (self, builder, top, plain);
  json_builder_set_member_name (builder, "canReply");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "totalReplyCount");
  json_builder_add_int_value (builder, n_replies);
  json_builder_set_member_name (builder, "isPublic");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  if (with_replies && n_replies > 0)
    {
      json_builder_set_member_name (builder, "replies");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "comments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->comments->len; i++)
        {
          FakeComment *reply = self->comments->pdata[i];

          if (g_strcmp0 (reply->parent_id, top->id) == 0 && strcmp (reply->moderation, "published") == 0)
            comment_json (self, builder, reply, plain);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

/* A list answer of @items (FakeComment, in order) from pageToken on. */
static void
respond_comment_list (SdFakeYoutube *self,
                      SdFakeRequest *request,
                      const char    *kind,
                      GPtrArray     *items,
                      gboolean       threads)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *token = sd_fake_request_param (request, "pageToken");
  const char *max_text = sd_fake_request_param (request, "maxResults");
  gboolean plain = g_strcmp0 (sd_fake_request_param (request, "textFormat"), "plainText") == 0;
  gboolean with_replies = strstr (sd_fake_request_param (request, "part") != NULL
                                  ? sd_fake_request_param (request, "part") : "", "replies") != NULL;
  guint max = max_text != NULL ? (guint) g_ascii_strtoull (max_text, NULL, 10) : 20;
  guint offset = token != NULL && g_str_has_prefix (token, "QURTSl9p") ? (guint) g_ascii_strtoull (token + 8, NULL, 10) : 0;
  guint shown = 0;

  if (max < 1 || max > 100)
    {
      google_error (request, 400, "youtube.parameter", "invalidParameter",
                    "The request specifies an invalid value for the maxResults parameter.");
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, "Vz1cWc4yUcRhN2dRqOqJxFZ9QX0");
  if (offset + max < items->len)
    {
      g_autofree char *next = g_strdup_printf ("QURTSl9p%u", offset + max);

      json_builder_set_member_name (builder, "nextPageToken");
      json_builder_add_string_value (builder, next);
    }
  json_builder_set_member_name (builder, "pageInfo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "totalResults");
  json_builder_add_int_value (builder, items->len);
  json_builder_set_member_name (builder, "resultsPerPage");
  json_builder_add_int_value (builder, max);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = offset; i < items->len && shown < max; i++, shown++)
    if (threads)
      thread_json (self, builder, items->pdata[i], with_replies, plain);
    else
      comment_json (self, builder, items->pdata[i], plain);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

static void
handle_comment_threads (SdFakeYoutube *self,
                        SdFakeRequest *request,
                        FakeChannel   *me)
{
  const char *channel = sd_fake_request_param (request, "allThreadsRelatedToChannelId");
  const char *id = sd_fake_request_param (request, "id");
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  if (strcmp (request->method, "GET") == 0 && channel == NULL && id != NULL)
    {
      FakeComment *top = comment_by_id (self, id);

      if (top != NULL && top->parent_id == NULL && strcmp (top->moderation, "published") == 0)
        g_ptr_array_add (items, top);
      respond_comment_list (self, request, "youtube#commentThreadListResponse", items, TRUE);
      return;
    }
  if (strcmp (request->method, "GET") != 0 || channel == NULL)
    {
      google_error (request, 400, "youtube.parameter", "missingRequiredParameter",
                    "No filter selected. Expected one of: allThreadsRelatedToChannelId, videoId, id");
      return;
    }
  /* Newest first. */
  for (guint i = self->comments->len; i > 0; i--)
    {
      FakeComment *comment = self->comments->pdata[i - 1];
      FakeVideo *video = video_by_id (self, comment->video_id);

      if (comment->parent_id == NULL && video != NULL && g_strcmp0 (video->channel_id, channel) == 0
          && strcmp (comment->moderation, "published") == 0)
        g_ptr_array_add (items, comment);
    }
  respond_comment_list (self, request, "youtube#commentThreadListResponse", items, TRUE);
}

static void
insert_comment (SdFakeYoutube *self,
                SdFakeRequest *request,
                FakeChannel   *me)
{
  JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                     ? json_node_get_object (request->json) : NULL;
  JsonObject *snippet = body != NULL && json_object_has_member (body, "snippet")
                        ? json_object_get_object_member (body, "snippet") : NULL;
  const char *parent_id = snippet != NULL && json_object_has_member (snippet, "parentId")
                          ? json_object_get_string_member (snippet, "parentId") : NULL;
  const char *text = snippet != NULL && json_object_has_member (snippet, "textOriginal")
                     ? json_object_get_string_member (snippet, "textOriginal") : NULL;
  FakeComment *parent = parent_id != NULL ? comment_by_id (self, parent_id) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = g_strconcat ("@", me->title, NULL);
  FakeComment *reply;

  if (text == NULL || text[0] == '\0')
    {
      google_error (request, 400, "youtube.comment", "commentTextRequired",
                    "The comment resource that is being inserted must specify a value for the snippet.textOriginal property.");
      return;
    }
  if (parent == NULL || strcmp (parent->moderation, "rejected") == 0)
    {
      google_error (request, 404, "youtube.comment", "parentCommentNotFound",
                    "The specified parent comment could not be found.");
      return;
    }
  /* Unverified: the reason YouTube gives for a parent that is itself a reply. */
  if (parent->parent_id != NULL)
    {
      google_error (request, 400, "youtube.comment", "invalidCommentMetadata",
                    "The request metadata is invalid.");
      return;
    }
  reply = new_comment (self, parent->video_id, parent->id, me->id, name, text);
  comment_json (self, builder, reply, FALSE);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

static void
handle_comments (SdFakeYoutube *self,
                 SdFakeRequest *request,
                 FakeChannel   *me)
{
  if (strcmp (request->method, "POST") == 0)
    {
      insert_comment (self, request, me);
      return;
    }
  if (strcmp (request->method, "GET") == 0 && sd_fake_request_param (request, "parentId") != NULL)
    {
      const char *parent_id = sd_fake_request_param (request, "parentId");
      g_autoptr(GPtrArray) items = g_ptr_array_new ();

      for (guint i = 0; i < self->comments->len; i++)
        {
          FakeComment *comment = self->comments->pdata[i];

          if (g_strcmp0 (comment->parent_id, parent_id) == 0 && strcmp (comment->moderation, "published") == 0)
            g_ptr_array_add (items, comment);
        }
      respond_comment_list (self, request, "youtube#commentListResponse", items, FALSE);
      return;
    }
  google_error (request, 400, "youtube.parameter", "missingRequiredParameter",
                "No filter selected. Expected one of: parentId, id");
}

static void
handle_moderation (SdFakeYoutube *self,
                   SdFakeRequest *request,
                   FakeChannel   *me)
{
  const char *status = sd_fake_request_param (request, "moderationStatus");
  const char *ids = sd_fake_request_param (request, "id");
  FakeComment *comment = ids != NULL ? comment_by_id (self, ids) : NULL;
  FakeVideo *video = comment != NULL ? video_by_id (self, comment->video_id) : NULL;

  if (strcmp (request->method, "POST") != 0 || status == NULL
      || (strcmp (status, "heldForReview") != 0 && strcmp (status, "published") != 0
          && strcmp (status, "rejected") != 0))
    {
      google_error (request, 400, "youtube.parameter", "invalidModerationStatus",
                    "The moderationStatus parameter specifies an invalid value.");
      return;
    }
  if (comment == NULL || strcmp (comment->moderation, "rejected") == 0)
    {
      google_error (request, 404, "youtube.comment", "commentNotFound",
                    "One or more of the comments that the request is trying to update cannot be found.");
      return;
    }
  if (video == NULL || g_strcmp0 (video->channel_id, me->id) != 0)
    {
      google_error (request, 403, "youtube.comment", "forbidden",
                    "The moderation status of one or more comments cannot be set due to insufficient permissions.");
      return;
    }
  g_free (comment->moderation);
  comment->moderation = g_strdup (status);
  soup_server_message_set_status (request->msg, 204, NULL);
}

/* Public */

SdFakeYoutube *
sd_fake_youtube_new (void)
{
  SdFakeYoutube *self = g_new0 (SdFakeYoutube, 1);

  self->channels = g_ptr_array_new_with_free_func ((GDestroyNotify) channel_free);
  self->videos = g_ptr_array_new_with_free_func ((GDestroyNotify) video_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) session_free);
  self->stall_after = -1;
  self->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) comment_free);
  self->http = sd_fake_http_new (handle, self);
  sd_fake_http_set_rate_limited (self->http, google_rate_limited, self);
  return self;
}

void
sd_fake_youtube_free (SdFakeYoutube *self)
{
  if (self == NULL)
    return;
  sd_fake_http_free (self->http);
  g_ptr_array_unref (self->channels);
  g_ptr_array_unref (self->videos);
  g_hash_table_unref (self->sessions);
  g_ptr_array_unref (self->comments);
  g_free (self);
}

const char *
sd_fake_youtube_get_url (SdFakeYoutube *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_youtube_get_http (SdFakeYoutube *self)
{
  return self->http;
}

void
sd_fake_youtube_add_user (SdFakeYoutube *self,
                          const char    *user_id,
                          const char    *username,
                          const char    *access_token,
                          const char    *refresh_token)
{
  g_autofree char *channel_id = g_strconcat ("UC", user_id, NULL);
  g_autofree char *custom_url = g_strconcat ("@", username, NULL);

  sd_fake_http_add_token (self->http, user_id, access_token, refresh_token, TOKEN_LIFETIME);
  sd_fake_youtube_add_channel (self, user_id, channel_id, username, custom_url);
}

void
sd_fake_youtube_add_channel (SdFakeYoutube *self,
                             const char    *user_id,
                             const char    *channel_id,
                             const char    *title,
                             const char    *custom_url)
{
  FakeChannel *channel = g_new0 (FakeChannel, 1);

  channel->user_id = g_strdup (user_id);
  channel->id = g_strdup (channel_id);
  channel->title = g_strdup (title);
  channel->custom_url = g_strdup (custom_url);
  sd_fake_http_lock (self->http);
  g_ptr_array_add (self->channels, channel);
  sd_fake_http_unlock (self->http);
}

char *
sd_fake_youtube_dup_channel_id (SdFakeYoutube *self,
                                const char    *user_id)
{
  FakeChannel *channel;
  char *id;

  sd_fake_http_lock (self->http);
  channel = channel_of_user (self, user_id);
  id = channel != NULL ? g_strdup (channel->id) : NULL;
  sd_fake_http_unlock (self->http);
  return id;
}

guint
sd_fake_youtube_count_posts (SdFakeYoutube *self)
{
  guint count;

  sd_fake_http_lock (self->http);
  count = self->videos->len;
  sd_fake_http_unlock (self->http);
  return count;
}

guint
sd_fake_youtube_count_posts_with_text (SdFakeYoutube *self,
                                       const char    *text)
{
  guint count = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->videos->len; i++)
    if (g_strcmp0 (((FakeVideo *) self->videos->pdata[i])->description, text) == 0)
      count++;
  sd_fake_http_unlock (self->http);
  return count;
}

char *
sd_fake_youtube_dup_video_json (SdFakeYoutube *self,
                                const char    *video_id)
{
  FakeVideo *video;
  char *json = NULL;

  sd_fake_http_lock (self->http);
  publish_due (self);
  if ((video = video_by_id (self, video_id)) != NULL)
    {
      g_autoptr(JsonNode) node = video_json (self, video, "snippet,status,fileDetails");

      json = json_to_string (node, FALSE);
    }
  sd_fake_http_unlock (self->http);
  return json;
}

char *
sd_fake_youtube_dup_video_sha256 (SdFakeYoutube *self,
                                  const char    *video_id)
{
  FakeVideo *video;
  char *sum = NULL;

  sd_fake_http_lock (self->http);
  if ((video = video_by_id (self, video_id)) != NULL)
    sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, video->content);
  sd_fake_http_unlock (self->http);
  return sum;
}

guint
sd_fake_youtube_get_n_upload_puts (SdFakeYoutube *self)
{
  guint count;

  sd_fake_http_lock (self->http);
  count = self->n_upload_puts;
  sd_fake_http_unlock (self->http);
  return count;
}

void
sd_fake_youtube_set_quota_exceeded (SdFakeYoutube *self,
                                    gboolean       exceeded)
{
  sd_fake_http_lock (self->http);
  self->quota_exceeded = exceeded;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_youtube_set_upload_limit (SdFakeYoutube *self,
                                  guint          count)
{
  sd_fake_http_lock (self->http);
  self->upload_limit = count;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_youtube_stall_uploads_after (SdFakeYoutube *self,
                                     gint64         bytes)
{
  sd_fake_http_lock (self->http);
  self->stall_after = bytes;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_youtube_expire_sessions (SdFakeYoutube *self)
{
  GHashTableIter iter;
  gpointer value;

  sd_fake_http_lock (self->http);
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((FakeSession *) value)->expired = TRUE;
  sd_fake_http_unlock (self->http);
}

/* The inbox */

char *
sd_fake_youtube_add_video (SdFakeYoutube *self,
                           const char    *channel_id,
                           const char    *title)
{
  FakeVideo *video = g_new0 (FakeVideo, 1);
  char *id;

  sd_fake_http_lock (self->http);
  video->id = new_video_id ();
  video->channel_id = g_strdup (channel_id);
  video->title = g_strdup (title);
  video->description = g_strdup ("");
  video->privacy = g_strdup ("public");
  video->kids = -1;
  video->uploaded_at = sd_fake_http_now (self->http);
  video->mime_type = g_strdup ("video/mp4");
  video->content = g_bytes_new_static ("", 0);
  g_ptr_array_add (self->videos, video);
  id = g_strdup (video->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_youtube_add_comment (SdFakeYoutube *self,
                             const char    *on_id,
                             const char    *author_channel_id,
                             const char    *author_name,
                             const char    *text)
{
  FakeComment *parent;
  FakeComment *comment;
  char *id;

  sd_fake_http_lock (self->http);
  parent = comment_by_id (self, on_id);
  if (parent != NULL)
    comment = new_comment (self, parent->video_id, parent->parent_id != NULL ? parent->parent_id : parent->id,
                           author_channel_id, author_name, text);
  else
    comment = new_comment (self, on_id, NULL, author_channel_id, author_name, text);
  id = g_strdup (comment->id);
  sd_fake_http_unlock (self->http);
  return id;
}

char *
sd_fake_youtube_dup_comment_json (SdFakeYoutube *self,
                                  const char    *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  FakeComment *comment;

  sd_fake_http_lock (self->http);
  comment = comment_by_id (self, id);
  if (comment == NULL)
    {
      sd_fake_http_unlock (self->http);
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, comment->id);
  json_builder_set_member_name (builder, "parentId");
  if (comment->parent_id != NULL)
    json_builder_add_string_value (builder, comment->parent_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "authorChannelId");
  json_builder_add_string_value (builder, comment->author_channel_id);
  json_builder_set_member_name (builder, "textOriginal");
  json_builder_add_string_value (builder, comment->text);
  json_builder_set_member_name (builder, "moderationStatus");
  json_builder_add_string_value (builder, comment->moderation);
  json_builder_end_object (builder);
  sd_fake_http_unlock (self->http);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

guint
sd_fake_youtube_count_replies_by (SdFakeYoutube *self,
                                  const char    *comment_id,
                                  const char    *author_channel_id)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = self->comments->pdata[i];

      if (g_strcmp0 (comment->parent_id, comment_id) == 0
          && g_strcmp0 (comment->author_channel_id, author_channel_id) == 0)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}
