/* sd-youtube.c — the YouTube provider: one video per post, resumable uploads, scheduling, channels
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 *
 * A post is one video (media[0]) with the variant's title, tags, privacy and
 * made-for-kids options; the part's text is its description. The upload is
 * Google's resumable protocol (developers.google.com/youtube/v3/guides/
 * using_resumable_upload_protocol): a POST with the video resource opens a
 * session whose URI is kept as the part's stage ("upload:<URI>") before any
 * byte goes out, then PUTs of 256 KiB multiples; 308 (Resume Incomplete)
 * with a Range header between chunks, 200/201 with the video resource at the
 * end. The video exists only once the last byte is in, so a part with no
 * stage cannot be on YouTube, and one with a stage is resumed (or asked
 * about) through its session, never uploaded twice.
 *
 * Scheduling is YouTube's own: status.privacyStatus "private" with
 * status.publishAt; the server-held id is the video id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-youtube"

#include "config.h"

#include "sd-youtube.h"
#include "sd-youtube-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-post.h"
#include "sd-time.h"

#define MIN_SCHEDULE_AHEAD    (15 * 60)
#define CHUNK_QUANTUM         (256 * 1024)        /* the protocol's chunk unit */
#define DEFAULT_CHUNK         (8 * 1024 * 1024)
#define CHUNK_RECOVERIES      3                   /* session queries after a broken chunk */
#define FIND_PAGE_SIZE        50                  /* playlistItems.list's maximum */
#define FIND_MAX_PAGES        4
#define FIND_CLOCK_SLACK      120
#define UPLOAD_LIMIT_WAIT     (6 * 60 * 60)
#define RATE_LIMIT_WAIT       60
#define CATEGORY_PEOPLE_BLOGS "22"
#define STAGE_UPLOAD          "upload:"
#define WATCH_URL             "https://www.youtube.com/watch?v="

struct _SdYoutube
{
  GObject parent_instance;
};

static void sd_youtube_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdYoutube, sd_youtube, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_youtube_provider_init))

/* JSON */




static JsonObject *
array_object (JsonArray *array,
              guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Google's error body: {"error": {"code", "message", "errors": [{"domain",
 * "reason", "message"}]}}; the token endpoint's and some front ends' answers
 * are {"error": "...", "error_description": "..."} instead. */
static void
read_google_error (JsonNode  *root,
                   char     **words,
                   char     **reason)
{
  JsonObject *object = sd_http_json_node_object (root);
  JsonObject *error = sd_http_json_object_member (object, "error");
  JsonArray *errors = sd_http_json_array_member (error, "errors");
  JsonObject *first = errors != NULL && json_array_get_length (errors) > 0 ? array_object (errors, 0) : NULL;
  const char *message;

  *words = NULL;
  *reason = NULL;
  if (error == NULL)
    {
      message = sd_http_json_string (object, "error_description");
      if (message == NULL)
        message = sd_http_json_string (object, "error");
      *words = g_strdup (message);
      return;
    }
  message = sd_http_json_string (error, "message");
  if (message == NULL || message[0] == '\0')
    message = sd_http_json_string (first, "message");
  *words = g_strdup (message);
  *reason = g_strdup (sd_http_json_string (first, "reason"));
}

/* Google's daily quota starts again at midnight Pacific time
 * (developers.google.com/youtube/v3/getting-started#quota). */
static gint64
seconds_until_quota_reset (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  if (zone == NULL)
    zone = g_time_zone_new_offset (-8 * 60 * 60);
  now = g_date_time_new_now (zone);
  today = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), 0, 0, 0);
  midnight = g_date_time_add_days (today, 1);
  return MAX (g_date_time_difference (midnight, now) / G_TIME_SPAN_SECOND, 60);
}

/* Talking to Google */

static void
prepare (const SdPublishContext *ctx,
         SoupMessage            *msg)
{
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  /* 308 is the protocol's "Resume Incomplete", never a redirect to follow. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
}

static SoupMessage *
api_message (const SdPublishContext *ctx,
             const char             *method,
             const char             *path)
{
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_YOUTUBE, path);
  SoupMessage *msg = soup_message_new (method, url);

  g_return_val_if_fail (msg != NULL, NULL);
  prepare (ctx, msg);
  return msg;
}

/* An answer's outcome and, for a refusal, a sentence quoting Google's words.
 * On DONE, *out holds the parsed body (NULL when empty or not JSON). */
static SdOutcome
classify_answer (SoupMessage       *msg,
                 GBytes            *body,
                 JsonNode         **out,
                 char             **words_out,
                 SdProviderStatus  *status)
{
  g_autoptr(JsonNode) root = sd_http_parse_json (body, NULL);
  g_autofree char *words = NULL;
  g_autofree char *reason = NULL;
  SdOutcome outcome = sd_http_classify (msg, status);
  guint code = status->http_status;

  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), code, sd_outcome_to_string (outcome));

  if (outcome == SD_OUTCOME_DONE)
    {
      if (out != NULL)
        *out = g_steal_pointer (&root);
      return outcome;
    }

  read_google_error (root, &words, &reason);
  if (code == 401)
    {
      if (words != NULL)
        /* Translators: %s is YouTube's own words. */
        sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                _("YouTube no longer accepts this account’s sign-in: “%s”."), words);
    }
  else if (code == 403 && (g_strcmp0 (reason, "quotaExceeded") == 0
                           || g_strcmp0 (reason, "dailyLimitExceeded") == 0))
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %s is YouTube's own words. */
                              _("SocialDesk has used up its YouTube allowance for today (“%s”); "
                                "it sends again when the allowance renews at midnight Pacific time."),
                              words != NULL ? words : reason);
      status->retry_after = seconds_until_quota_reset ();
    }
  else if (code == 403 && g_strcmp0 (reason, "uploadLimitExceeded") == 0)
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %s is YouTube's own words. */
                              _("The channel has uploaded as many videos as YouTube allows for now (“%s”); "
                                "SocialDesk will try again later."),
                              words != NULL ? words : reason);
      status->retry_after = MAX (status->retry_after, UPLOAD_LIMIT_WAIT);
    }
  else if (code == 429 || (code == 403 && (g_strcmp0 (reason, "rateLimitExceeded") == 0
                                           || g_strcmp0 (reason, "userRateLimitExceeded") == 0)))
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %s is YouTube's own words. */
                              _("YouTube asked SocialDesk to slow down: “%s”."),
                              words != NULL ? words : (reason != NULL ? reason : "Too Many Requests"));
      if (status->retry_after <= 0)
        status->retry_after = RATE_LIMIT_WAIT;
    }
  else if (outcome == SD_OUTCOME_FAILED && words != NULL)
    {
      /* Translators: %s is YouTube's own words. */
      sd_provider_status_set (status, outcome, _("YouTube refused the request: “%s”."), words);
    }

  if (words_out != NULL)
    *words_out = g_steal_pointer (&words);
  return status->outcome;
}

static SdOutcome
call (const SdPublishContext *ctx,
      SoupMessage            *msg,
      GCancellable           *cancellable,
      JsonNode              **out,
      char                  **words_out,
      SdProviderStatus       *status)
{
  g_autoptr(GBytes) body = sd_http_send (ctx->session != NULL ? ctx->session : sd_http_get_session (), msg,
                                         cancellable, status);

  if (body == NULL)
    return status->outcome;
  /* One comment with broken UTF-8 must not make a whole answer unreadable. */
  if (!g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    {
      char *valid = g_utf8_make_valid (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      g_bytes_unref (body);
      body = g_bytes_new_take (valid, strlen (valid));
    }
  return classify_answer (msg, body, out, words_out, status);
}

SoupMessage *
sd_youtube_api_message (const SdPublishContext *ctx,
                        const char             *method,
                        const char             *path)
{
  return api_message (ctx, method, path);
}

SdOutcome
sd_youtube_call (const SdPublishContext *ctx,
                 SoupMessage            *msg,
                 GCancellable           *cancellable,
                 JsonNode              **out,
                 SdProviderStatus       *status)
{
  return call (ctx, msg, cancellable, out, NULL, status);
}

/* Changes the outcome, keeping the message that says why. */
static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

static void
set_remote (SdPublishPart *part,
            const char    *video_id)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (video_id);
  g_free (part->remote_url);
  part->remote_url = g_strconcat (WATCH_URL, video_id, NULL);
}

/* The post */

static const char *
wanted_privacy (const SdPublishContext *ctx)
{
  const char *privacy = sd_publish_context_get_option (ctx, SD_OPTION_PRIVACY);

  return privacy != NULL && privacy[0] != '\0' ? privacy : "public";
}

static const char *
video_title (const SdPublishContext *ctx)
{
  const char *title = sd_publish_context_get_option (ctx, SD_OPTION_TITLE);

  return title != NULL && title[0] != '\0' ? title : NULL;
}

/* The part's video and title, or FAILED saying what is missing. */
static SdOutcome
check_post (const SdPublishContext  *ctx,
            SdPublishPart           *part,
            const SdPublishMedia   **media_out,
            SdProviderStatus        *status)
{
  const SdPublishMedia *media = part->media->len > 0 ? g_ptr_array_index (part->media, 0) : NULL;
  const char *privacy = wanted_privacy (ctx);

  if (media == NULL || !sd_publish_media_is_video (media))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A YouTube post needs a video: attach one."));
  if (part->media->len > 1)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A YouTube post holds one video and nothing else."));
  if (video_title (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A YouTube video needs a title."));
  if (strcmp (privacy, "public") != 0 && strcmp (privacy, "unlisted") != 0 && strcmp (privacy, "private") != 0)
    /* Translators: %s is the privacy setting the post asks for. */
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("“%s” is not a YouTube privacy setting (public, unlisted or private)."),
                                   privacy);
  *media_out = media;
  return SD_OUTCOME_DONE;
}

/* The video resource to insert: snippet (title, description, tags, category) and status. */
static JsonNode *
video_resource (const SdPublishContext *ctx,
                SdPublishPart          *part,
                gboolean                scheduled)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *tags = sd_publish_context_get_option (ctx, SD_OPTION_TAGS);
  const char *kids = sd_publish_context_get_option (ctx, SD_OPTION_MADE_FOR_KIDS);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "snippet");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, video_title (ctx));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, part->text != NULL ? part->text : "");
  if (tags != NULL && tags[0] != '\0')
    {
      g_auto(GStrv) list = g_strsplit (tags, ",", -1);

      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint i = 0; list[i] != NULL; i++)
        {
          char *tag = g_strstrip (list[i]);

          if (tag[0] != '\0')
            json_builder_add_string_value (builder, tag);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "categoryId");
  json_builder_add_string_value (builder, CATEGORY_PEOPLE_BLOGS);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "privacyStatus");
  json_builder_add_string_value (builder, scheduled ? "private" : wanted_privacy (ctx));
  if (scheduled)
    {
      g_autofree char *when = sd_time_format_iso8601 (ctx->scheduled_at);

      json_builder_set_member_name (builder, "publishAt");
      json_builder_add_string_value (builder, when);
    }
  if (kids != NULL && (strcmp (kids, "true") == 0 || strcmp (kids, "false") == 0))
    {
      json_builder_set_member_name (builder, "selfDeclaredMadeForKids");
      json_builder_add_boolean_value (builder, strcmp (kids, "true") == 0);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The resumable upload */

/* SOCIALDESK_UPLOAD_CHUNK bytes (rounded down to 256 KiB multiples), or 8 MiB. */
static gsize
upload_chunk_size (void)
{
  const char *text = g_getenv ("SOCIALDESK_UPLOAD_CHUNK");
  gint64 size = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;

  if (size <= 0)
    size = DEFAULT_CHUNK;
  return (gsize) MAX (size / CHUNK_QUANTUM, 1) * CHUNK_QUANTUM;
}

/* The next byte the session wants after a 308: "Range: bytes=0-N" → N + 1; no Range → 0. */
static goffset
next_offset (SoupMessage *msg)
{
  const char *range = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Range");
  const char *dash;

  if (range == NULL || !g_str_has_prefix (range, "bytes=") || (dash = strchr (range, '-')) == NULL)
    return 0;
  return g_ascii_strtoll (dash + 1, NULL, 10) + 1;
}

/* The session URI must be Google's (the API origin): the token goes with it. */
static gboolean
session_uri_is_trusted (const char *uri)
{
  g_autofree char *origin = sd_network_origin_url (SD_PLATFORM_YOUTUBE, "/");

  return uri != NULL && g_str_has_prefix (uri, origin);
}

typedef enum
{
  SESSION_INCOMPLETE,  /* *offset: where to go on */
  SESSION_FINISHED,    /* *video: the video resource */
  SESSION_GONE,        /* expired or unknown: no video came of it */
  SESSION_ERROR,       /* status says what */
} SessionState;

/* Asks a session how far it got: PUT with "Content-Range: bytes * /TOTAL" and no body. */
static SessionState
query_session (const SdPublishContext *ctx,
               const char             *uri,
               goffset                 total,
               goffset                *offset,
               JsonNode              **video,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *range = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, (gint64) total);
  guint code;

  if (!session_uri_is_trusted (uri) || (msg = soup_message_new ("PUT", uri)) == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY, _("The YouTube upload’s address could not be used."));
      return SESSION_GONE;
    }
  prepare (ctx, msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Range", range);
  soup_message_set_request_body_from_bytes (msg, NULL, empty);

  body = sd_http_send (ctx->session, msg, cancellable, status);
  if (body == NULL)
    return SESSION_ERROR;
  code = soup_message_get_status (msg);
  status->http_status = code;
  g_debug ("PUT upload session (query) → %u", code);
  if (code == 308)
    {
      *offset = next_offset (msg);
      return SESSION_INCOMPLETE;
    }
  if (code == 200 || code == 201)
    {
      *video = sd_http_parse_json (body, NULL);
      return SESSION_FINISHED;
    }
  /* An expired session answers 404 or 410 (Google's resumable protocol;
   * which one YouTube gives is not documented for videos.insert). */
  if (code == 404 || code == 410)
    return SESSION_GONE;
  classify_answer (msg, body, NULL, NULL, status);
  return SESSION_ERROR;
}

/* The video resource at the end of an upload: the part is on YouTube. */
static SdOutcome
finish_upload (SdPublishPart    *part,
               JsonNode         *video,
               SdProviderStatus *status)
{
  const char *id = sd_http_json_string (sd_http_json_node_object (video), "id");

  if (id == NULL || id[0] == '\0')
    /* It is there, but which one it is comes through the stage later. */
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("YouTube’s answer to the end of the upload could not be read."));
  set_remote (part, id);
  g_debug ("uploaded video %s", id);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* PUTs the file from @offset in chunks until the session answers with the
 * video. A chunk whose answer is lost is followed by a session query; when
 * neither comes, the outcome is UNCERTAIN if the last byte may have gone out
 * (the video may exist), RETRY otherwise. *gone: the session expired. */
static SdOutcome
send_bytes (const SdPublishContext *ctx,
            SdPublishPart          *part,
            const char             *uri,
            GBytes                 *bytes,
            const char             *mime_type,
            goffset                 offset,
            gboolean               *gone,
            GCancellable           *cancellable,
            SdProviderStatus       *status)
{
  goffset total = g_bytes_get_size (bytes);
  gsize chunk = upload_chunk_size ();
  gboolean end_may_be_in = FALSE;
  gboolean need_query = FALSE;
  guint resends = 0;
  guint failed_queries = 0;

  *gone = FALSE;
  if (!session_uri_is_trusted (uri))
    {
      *gone = TRUE;
      return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("The YouTube upload’s address could not be used."));
    }

  while (TRUE)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) slice = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) video = NULL;
      gsize length;
      guint code;

      if (g_cancellable_is_cancelled (cancellable))
        return sd_provider_status_set (status, end_may_be_in ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                       _("Sending was cancelled."));

      if (need_query || offset >= total)
        {
          /* The answer was lost or the server failed: where does the session stand? */
          switch (query_session (ctx, uri, total, &offset, &video, cancellable, status))
            {
            case SESSION_INCOMPLETE:
              need_query = FALSE;
              failed_queries = 0;
              end_may_be_in = FALSE;
              /* Known unfinished: nothing is on YouTube yet. */
              if (resends++ >= CHUNK_RECOVERIES)
                return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                               _("The connection to YouTube broke during the upload; SocialDesk will resume it."));
              if (offset >= total)
                need_query = TRUE;   /* everything is in but no video came: only a query can tell */
              continue;
            case SESSION_FINISHED:
              return finish_upload (part, video, status);
            case SESSION_GONE:
              *gone = TRUE;
              return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                             _("The YouTube upload expired before it finished."));
            case SESSION_ERROR:
            default:
              if (status->outcome == SD_OUTCOME_AUTH || status->outcome == SD_OUTCOME_FAILED)
                return status->outcome;
              if (status->retry_after > 0 || ++failed_queries > CHUNK_RECOVERIES)
                {
                  if (!end_may_be_in)
                    return reclassify (status, SD_OUTCOME_RETRY);
                  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                                 _("YouTube’s answer to the end of the upload was lost."));
                }
              need_query = TRUE;
              continue;
            }
        }

      length = MIN ((goffset) chunk, total - offset);
      slice = g_bytes_new_from_bytes (bytes, offset, length);
      msg = soup_message_new ("PUT", uri);
      prepare (ctx, msg);
      soup_message_headers_set_content_range (soup_message_get_request_headers (msg),
                                              offset, offset + length - 1, total);
      soup_message_set_request_body_from_bytes (msg, mime_type, slice);
      if (offset + (goffset) length == total)
        end_may_be_in = TRUE;

      body = sd_http_send (ctx->session, msg, cancellable, status);
      code = body != NULL ? soup_message_get_status (msg) : 0;
      g_debug ("PUT upload %" G_GINT64_FORMAT "+%" G_GSIZE_FORMAT "/%" G_GINT64_FORMAT " → %u",
               (gint64) offset, length, (gint64) total, code);
      if (code == 308)
        {
          offset = next_offset (msg);
          end_may_be_in = FALSE;
          resends = 0;
          continue;
        }
      if (code == 200 || code == 201)
        {
          status->http_status = code;
          video = sd_http_parse_json (body, NULL);
          return finish_upload (part, video, status);
        }
      if (code == 404 || code == 410)
        {
          *gone = TRUE;
          return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                         _("The YouTube upload expired before it finished."));
        }
      if (body != NULL && code < 500 && code != 400)
        {
          /* A refusal (4xx): whatever the session has, it keeps. A 400 is a
           * chunk the session did not expect (a range it already has, a
           * body libsoup sent again after a closed connection): the session
           * says where to go on. */
          classify_answer (msg, body, NULL, NULL, status);
          if (status->outcome == SD_OUTCOME_RETRY || status->outcome == SD_OUTCOME_UNCERTAIN)
            return reclassify (status, end_may_be_in && code == 408 ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY);
          return status->outcome;
        }
      need_query = TRUE;
    }
}

/* Opens a session: POST the video resource; Google answers 200 with its URI in Location. */
static SdOutcome
open_session (const SdPublishContext *ctx,
              SdPublishPart          *part,
              gboolean                scheduled,
              goffset                 total,
              const char             *mime_type,
              char                  **uri_out,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autofree char *url = sd_network_origin_url (SD_PLATFORM_YOUTUBE,
                                                "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(JsonNode) resource = video_resource (ctx, part, scheduled);
  g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) total);
  g_autofree char *words = NULL;
  SoupMessageHeaders *headers;
  const char *location;
  SdOutcome outcome;

  prepare (ctx, msg);
  sd_http_set_json_body (msg, resource);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Content-Type", "application/json; charset=UTF-8");
  soup_message_headers_replace (headers, "X-Upload-Content-Length", length);
  soup_message_headers_replace (headers, "X-Upload-Content-Type", mime_type);

  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 400 && words != NULL)
    /* Translators: %s is YouTube's own words (an invalid title, description or tags). */
    sd_provider_status_set (status, outcome, _("YouTube did not accept the video: “%s”."), words);
  /* A session without bytes makes no video: opening another is safe. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (!session_uri_is_trusted (location))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("YouTube did not say where to upload the video."));
  *uri_out = g_strdup (location);
  return SD_OUTCOME_DONE;
}

static SdOutcome find_in_uploads (const SdPublishContext *ctx,
                                  SdPublishPart          *part,
                                  char                  **video_id,
                                  GCancellable           *cancellable,
                                  SdProviderStatus       *status);

static SdOutcome
upload_video (const SdPublishContext *ctx,
              SdPublishPart          *part,
              gboolean                scheduled,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  const SdPublishMedia *media = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *uri = NULL;
  goffset offset = 0;
  gboolean gone = FALSE;
  SdOutcome outcome;

  if (check_post (ctx, part, &media, status) != SD_OUTCOME_DONE)
    return status->outcome;

  basename = g_path_get_basename (media->path);
  /* Mapped, not read: the chunks are slices of the mapping. */
  if ((file = g_mapped_file_new (media->path, FALSE, &error)) == NULL)
    /* Translators: the first %s is a file name, the second why it could not be read. */
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Could not read the attached file “%s”: %s"),
                                   basename, error->message);
  bytes = g_mapped_file_get_bytes (file);
  if (g_bytes_get_size (bytes) == 0)
    /* Translators: %s is a file name. */
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("The attached video “%s” is empty."), basename);

  if (part->stage != NULL && g_str_has_prefix (part->stage, STAGE_UPLOAD))
    {
      g_autoptr(JsonNode) video = NULL;
      g_autofree char *found = NULL;

      uri = g_strdup (part->stage + strlen (STAGE_UPLOAD));
      switch (query_session (ctx, uri, g_bytes_get_size (bytes), &offset, &video, cancellable, status))
        {
        case SESSION_FINISHED:
          /* It finished, its answer lost: the part is out. */
          return finish_upload (part, video, status);
        case SESSION_INCOMPLETE:
          outcome = send_bytes (ctx, part, uri, bytes, media->mime_type, offset, &gone, cancellable, status);
          if (!gone)
            return outcome;
          break;
        case SESSION_GONE:
          break;
        case SESSION_ERROR:
        default:
          /* A query makes nothing: asking again later is safe. */
          return status->outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY)
                                                         : status->outcome;
        }

      /* The session is dead. Had it finished before it expired, the video
       * is among the channel's uploads: look before starting again. */
      outcome = find_in_uploads (ctx, part, &found, cancellable, status);
      if (outcome == SD_OUTCOME_DONE)
        {
          set_remote (part, found);
          return outcome;
        }
      if (outcome != SD_OUTCOME_RETRY)
        return outcome == SD_OUTCOME_AUTH ? outcome : reclassify (status, SD_OUTCOME_RETRY);
      g_clear_pointer (&uri, g_free);
      g_debug ("the staged upload expired; starting a new one");
    }

  outcome = open_session (ctx, part, scheduled, g_bytes_get_size (bytes), media->mime_type, &uri,
                          cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  {
    g_autofree char *stage = g_strconcat (STAGE_UPLOAD, uri, NULL);

    if (!sd_publish_context_set_stage (ctx, part, stage, &error))
      /* Translators: %s says why the progress could not be saved. */
      return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                     _("SocialDesk could not keep the upload’s progress: %s"), error->message);
  }

  outcome = send_bytes (ctx, part, uri, bytes, media->mime_type, 0, &gone, cancellable, status);
  return outcome;
}

static SdOutcome
sd_youtube_publish_part (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         SdPublishPart          *part,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  if (ctx->reply_to != NULL)
    return sd_youtube_inbox_reply (ctx, part, cancellable, status);
  if (ctx->parent != NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("YouTube has no threads: a YouTube post is one video."));
  return upload_video (ctx, part, FALSE, cancellable, status);
}

/* A staged part is resumed through its session, never uploaded twice. A part
 * with no stage may have lost it (kept by an older store, or not kept): the
 * engine asks find_part then. */
static gboolean
sd_youtube_resend_is_safe (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           const SdPublishPart    *part)
{
  if (ctx->first_attempt_at == 0)
    return TRUE;
  return part->stage != NULL && g_str_has_prefix (part->stage, STAGE_UPLOAD);
}

/* Finding a video */

static SdOutcome
uploads_playlist (const SdPublishContext *ctx,
                  char                  **playlist_id,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "GET", "/youtube/v3/channels?part=contentDetails&mine=true");
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  JsonObject *channel;
  const char *id;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
  channel = items != NULL && json_array_get_length (items) > 0 ? array_object (items, 0) : NULL;
  id = sd_http_json_string (sd_http_json_object_member (sd_http_json_object_member (channel, "contentDetails"), "relatedPlaylists"),
                            "uploads");
  if (id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("YouTube did not say where the channel’s uploads are."));
  *playlist_id = g_strdup (id);
  return SD_OUTCOME_DONE;
}

/* A search that could not be made tells nothing: RETRY is kept for "not there". */
static SdOutcome
search_failed (SdProviderStatus *status)
{
  return status->outcome == SD_OUTCOME_AUTH ? status->outcome : reclassify (status, SD_OUTCOME_UNCERTAIN);
}

/* The channel's uploads, newest first, for the part's title (and
 * description) since its first attempt: DONE (found), RETRY (certainly not
 * there), or what stopped the search. */
static SdOutcome
find_in_uploads (const SdPublishContext *ctx,
                 SdPublishPart          *part,
                 char                  **video_id,
                 GCancellable           *cancellable,
                 SdProviderStatus       *status)
{
  const char *title = video_title (ctx);
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  g_autofree char *playlist = NULL;
  g_autofree char *page_token = NULL;
  SdOutcome outcome;

  if (title == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The video is not on YouTube: it has no title, so it was never sent."));

  outcome = uploads_playlist (ctx, &playlist, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return search_failed (status);

  for (guint page = 0; page < FIND_MAX_PAGES; page++)
    {
      g_autofree char *escaped = g_uri_escape_string (playlist, NULL, FALSE);
      g_autofree char *token = page_token != NULL ? g_uri_escape_string (page_token, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/youtube/v3/playlistItems?part=snippet&playlistId=%s"
                                               "&maxResults=%d%s%s", escaped, FIND_PAGE_SIZE,
                                               token != NULL ? "&pageToken=" : "", token != NULL ? token : "");
      g_autoptr(SoupMessage) msg = api_message (ctx, "GET", path);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *items;

      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome != SD_OUTCOME_DONE)
        return search_failed (status);
      items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *snippet = sd_http_json_object_member (array_object (items, i), "snippet");
          const char *published = sd_http_json_string (snippet, "publishedAt");
          const char *description = sd_http_json_string (snippet, "description");
          const char *id = sd_http_json_string (sd_http_json_object_member (snippet, "resourceId"), "videoId");
          gint64 when = 0;

          if (id == NULL)
            continue;
          if (since > 0 && published != NULL && sd_time_parse_iso8601 (published, NULL, &when) && when < since)
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           _("The video is not on YouTube: it can be sent again."));
          if (g_strcmp0 (sd_http_json_string (snippet, "title"), title) == 0
              && (description == NULL || g_strcmp0 (description, part->text != NULL ? part->text : "") == 0))
            {
              *video_id = g_strdup (id);
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
        }
      g_clear_pointer (&page_token, g_free);
      page_token = g_strdup (sd_http_json_string (sd_http_json_node_object (root), "nextPageToken"));
      if (page_token == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The video is not on YouTube: it can be sent again."));
    }

  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the video reached YouTube: the channel has too many newer uploads to look through."));
}

/* videos.list?part=status for one video: DONE with its status object, or
 * FAILED with http_status 404 when YouTube no longer has it. */
static SdOutcome
video_status (const SdPublishContext *ctx,
              const char             *video_id,
              JsonNode              **root_out,
              JsonObject            **status_out,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autofree char *escaped = g_uri_escape_string (video_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/youtube/v3/videos?part=status&id=%s", escaped);
  g_autoptr(SoupMessage) msg = api_message (ctx, "GET", path);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  JsonObject *video_status_object;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  items = sd_http_json_array_member (sd_http_json_node_object (root), "items");
  video_status_object = items != NULL && json_array_get_length (items) > 0
                        ? sd_http_json_object_member (array_object (items, 0), "status") : NULL;
  if (video_status_object == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED, _("YouTube no longer has this video."));
      status->http_status = 404;
      return SD_OUTCOME_FAILED;
    }
  *status_out = video_status_object;
  *root_out = g_steal_pointer (&root);
  return SD_OUTCOME_DONE;
}

/* publishAt, or 0 when there is none. */
static gint64
publish_at (JsonObject *video_status_object)
{
  const char *text = sd_http_json_string (video_status_object, "publishAt");
  gint64 when = 0;

  return text != NULL && sd_time_parse_iso8601 (text, NULL, &when) ? when : 0;
}

/* Held by YouTube's scheduler: private with a publishAt (YouTube drops
 * publishAt once it has published; a past one still private is not out yet). */
static gboolean
is_held (JsonObject *video_status_object)
{
  return publish_at (video_status_object) > 0
         && g_strcmp0 (sd_http_json_string (video_status_object, "privacyStatus"), "private") == 0;
}

static SdOutcome
sd_youtube_find_part (SdProvider             *provider,
                      const SdPublishContext *ctx,
                      SdPublishPart          *part,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  g_autofree char *video_id = g_strdup (part->remote_id);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *state = NULL;
  const char *upload_status;
  const char *privacy;
  SdOutcome outcome;

  if (ctx->reply_to != NULL)
    return sd_youtube_inbox_find_reply (ctx, part, cancellable, status);
  if (video_id == NULL && part->stage != NULL && g_str_has_prefix (part->stage, STAGE_UPLOAD))
    {
      const SdPublishMedia *media = part->media->len > 0 ? g_ptr_array_index (part->media, 0) : NULL;
      g_autoptr(GFile) file = media != NULL ? g_file_new_for_path (media->path) : NULL;
      g_autoptr(GFileInfo) info = file != NULL ? g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL) : NULL;
      goffset total = info != NULL ? g_file_info_get_size (info) : (media != NULL ? media->bytes : 0);
      g_autoptr(JsonNode) video = NULL;
      goffset offset = 0;

      switch (query_session (ctx, part->stage + strlen (STAGE_UPLOAD), total, &offset, &video,
                             cancellable, status))
        {
        case SESSION_FINISHED:
          video_id = g_strdup (sd_http_json_string (sd_http_json_node_object (video), "id"));
          if (video_id == NULL)
            return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                           _("YouTube’s answer about the upload could not be read."));
          break;
        case SESSION_INCOMPLETE:
          return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                         _("The upload to YouTube is not finished: SocialDesk will resume it."));
        case SESSION_GONE:
          break;
        case SESSION_ERROR:
        default:
          return status->outcome == SD_OUTCOME_AUTH ? status->outcome
                                                    : reclassify (status, SD_OUTCOME_UNCERTAIN);
        }
    }

  if (video_id == NULL)
    {
      outcome = find_in_uploads (ctx, part, &video_id, cancellable, status);
      if (outcome == SD_OUTCOME_RETRY || outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          /* Translators: %s says why. */
          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         _("Could not look at the channel’s uploads: %s"), reason);
        }
    }

  /* Scheduling it was the step in doubt: there it is, held or not. */
  if (ctx->scheduled_at > 0)
    {
      set_remote (part, video_id);
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  outcome = video_status (ctx, video_id, &root, &state, cancellable, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    return reclassify (status, SD_OUTCOME_UNCERTAIN);

  upload_status = sd_http_json_string (state, "uploadStatus");
  if (g_strcmp0 (upload_status, "rejected") == 0 || g_strcmp0 (upload_status, "failed") == 0)
    {
      const char *why = sd_http_json_string (state, g_strcmp0 (upload_status, "rejected") == 0
                                                    ? "rejectionReason" : "failureReason");

      /* Translators: %s is YouTube's reason (e.g. "duplicate", "codec"). */
      return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("YouTube did not take the video: “%s”."),
                                     why != NULL ? why : upload_status);
    }

  privacy = sd_http_json_string (state, "privacyStatus");
  if (is_held (state) && g_strcmp0 (privacy, wanted_privacy (ctx)) != 0)
    {
      gint64 wait = publish_at (state) - sd_time_now ();

      /* It is there, not yet out: neither sent again nor called published. */
      sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN, _("YouTube has not published the video yet."));
      status->retry_after = MAX (wait, 0);
      return SD_OUTCOME_UNCERTAIN;
    }

  set_remote (part, video_id);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Server-side scheduling */

static gint64
sd_youtube_min_schedule_ahead (SdProvider *provider)
{
  return MIN_SCHEDULE_AHEAD;
}

static SdOutcome
sd_youtube_schedule_part (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  /* YouTube's scheduler makes a video public at publishAt: an unlisted or
   * private one is uploaded by SocialDesk itself at its time. */
  if (strcmp (wanted_privacy (ctx), "public") != 0)
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              _("YouTube schedules only public videos: SocialDesk uploads this one at its time."));
      status->retry_after = MAX (ctx->scheduled_at - sd_time_now (), 1);
      return SD_OUTCOME_RETRY;
    }
  if (ctx->parent != NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("YouTube has no threads: a YouTube post is one video."));
  return upload_video (ctx, part, TRUE, cancellable, status);
}

/* The video's current status, when YouTube still holds it for later. When it
 * is gone or already published, FAILED with http_status 404 — as Mastodon's
 * vanished scheduled status, so the engine looks among the channel's videos
 * instead of sending it again or deleting a published video. */
static SdOutcome
held_video_status (const SdPublishContext *ctx,
                   const char             *video_id,
                   JsonNode              **root,
                   JsonObject            **state,
                   GCancellable           *cancellable,
                   SdProviderStatus       *status)
{
  SdOutcome outcome = video_status (ctx, video_id, root, state, cancellable, status);

  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (!is_held (*state) || publish_at (*state) <= sd_time_now ())
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              _("YouTube no longer holds this video for later: it was published."));
      status->http_status = 404;
      return SD_OUTCOME_FAILED;
    }
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_youtube_reschedule (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       const char             *scheduled_id,
                       gint64                  scheduled_at,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *when = sd_time_format_iso8601 (scheduled_at);
  g_autofree char *words = NULL;
  JsonObject *state = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  SdOutcome outcome;

  /* videos.update replaces the whole status part: start from what it is. */
  outcome = held_video_status (ctx, scheduled_id, &root, &state, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, scheduled_id);
  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  json_object_iter_init (&iter, state);
  while (json_object_iter_next (&iter, &name, &value))
    {
      /* Read-only members stay out of an update. */
      if (strcmp (name, "privacyStatus") == 0 || strcmp (name, "publishAt") == 0
          || strcmp (name, "uploadStatus") == 0 || strcmp (name, "failureReason") == 0
          || strcmp (name, "rejectionReason") == 0 || strcmp (name, "madeForKids") == 0)
        continue;
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_set_member_name (builder, "privacyStatus");
  json_builder_add_string_value (builder, "private");
  json_builder_set_member_name (builder, "publishAt");
  json_builder_add_string_value (builder, when);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = api_message (ctx, "PUT", "/youtube/v3/videos?part=status");
  sd_http_set_json_body (msg, body);
  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 400 && words != NULL)
    /* Translators: %s is YouTube's own words. */
    sd_provider_status_set (status, outcome, _("YouTube did not accept the new time: “%s”."), words);
  /* Setting the time twice does no harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    reclassify (status, SD_OUTCOME_RETRY);
  return status->outcome;
}

static SdOutcome
sd_youtube_unschedule (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       const char             *scheduled_id,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *escaped = g_uri_escape_string (scheduled_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/youtube/v3/videos?id=%s", escaped);
  g_autoptr(SoupMessage) msg = NULL;
  JsonObject *state = NULL;
  SdOutcome outcome;

  /* Deleting is only for a video still held: a published one stays. */
  outcome = held_video_status (ctx, scheduled_id, &root, &state, cancellable, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return reclassify (status, SD_OUTCOME_DONE);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;

  msg = api_message (ctx, "DELETE", path);
  outcome = call (ctx, msg, cancellable, NULL, NULL, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return reclassify (status, SD_OUTCOME_DONE);
  /* Deleting twice is harmless: a lost answer can be retried. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  return outcome;
}

/* Channels */

static SdOutcome
list_channels (const SdPublishContext *ctx,
               JsonNode              **root,
               JsonArray             **items,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "GET", "/youtube/v3/channels?part=snippet&mine=true");
  SdOutcome outcome = call (ctx, msg, cancellable, root, NULL, status);

  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  *items = sd_http_json_array_member (sd_http_json_node_object (*root), "items");
  if (*items == NULL || json_array_get_length (*items) == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("This Google account has no YouTube channel: create one on YouTube first."));
  return SD_OUTCOME_DONE;
}

static gboolean
fill_account (SdAccount  *account,
              JsonObject *channel)
{
  JsonObject *snippet = sd_http_json_object_member (channel, "snippet");
  const char *id = sd_http_json_string (channel, "id");
  const char *title = sd_http_json_string (snippet, "title");
  const char *custom_url = sd_http_json_string (snippet, "customUrl");
  const char *avatar = sd_http_json_string (sd_http_json_object_member (sd_http_json_object_member (snippet, "thumbnails"), "default"), "url");

  if (id == NULL)
    return FALSE;
  if (custom_url != NULL && custom_url[0] == '@')
    custom_url++;
  sd_account_set_remote_id (account, id);
  sd_account_set_handle (account, custom_url != NULL && custom_url[0] != '\0' ? custom_url : id);
  sd_account_set_display_name (account, title != NULL && title[0] != '\0' ? title : id);
  sd_account_set_avatar_url (account, avatar);
  return TRUE;
}

/* When the person must sign in again: Google keeps refresh tokens (no expiry
 * unless it says, e.g. for apps in testing), else the access token's. */
static gint64
sign_in_expires_at (const SdCredentials *credentials)
{
  if (credentials->refresh_token != NULL && credentials->refresh_token[0] != '\0')
    return credentials->refresh_expires_at;
  return credentials->expires_at;
}

static SdOutcome
sd_youtube_verify_account (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  const char *remote_id = sd_account_get_remote_id (ctx->account);
  JsonArray *items = NULL;
  SdOutcome outcome;

  outcome = list_channels (ctx, &root, &items, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *channel = array_object (items, i);

      if (remote_id == NULL || g_strcmp0 (sd_http_json_string (channel, "id"), remote_id) == 0)
        {
          if (!fill_account (ctx->account, channel))
            break;
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 _("This sign-in does not give access to the YouTube channel of this account."));
}

static SdOutcome
sd_youtube_list_identities (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            GPtrArray              *identities,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;
  SdOutcome outcome;

  outcome = list_channels (ctx, &root, &items, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_YOUTUBE);
      SdCredentials *credentials;

      if (!fill_account (account, array_object (items, i)))
        continue;
      credentials = sd_credentials_copy (ctx->credentials);
      credentials->changed = FALSE;
      sd_account_set_token_expires_at (account, sign_in_expires_at (credentials));
      g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account), credentials));
    }
  if (identities->len == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("YouTube’s list of channels could not be read."));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_youtube_refresh_credentials (SdProvider             *provider,
                                const SdPublishContext *ctx,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  /* Google answers without a refresh_token: sd_oauth2_refresh keeps the old one. */
  return sd_oauth2_refresh (ctx->session, SD_PLATFORM_YOUTUBE, ctx->credentials, cancellable, status);
}

static SdPlatform
sd_youtube_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_YOUTUBE;
}

static void
sd_youtube_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_youtube_get_platform;
  iface->publish_part = sd_youtube_publish_part;
  iface->resend_is_safe = sd_youtube_resend_is_safe;
  iface->find_part = sd_youtube_find_part;
  iface->min_schedule_ahead = sd_youtube_min_schedule_ahead;
  iface->schedule_part = sd_youtube_schedule_part;
  iface->reschedule = sd_youtube_reschedule;
  iface->unschedule = sd_youtube_unschedule;
  iface->verify_account = sd_youtube_verify_account;
  iface->list_identities = sd_youtube_list_identities;
  iface->refresh_credentials = sd_youtube_refresh_credentials;
  sd_youtube_inbox_init (iface);
}

static void
sd_youtube_class_init (SdYoutubeClass *klass)
{
}

static void
sd_youtube_init (SdYoutube *self)
{
}

SdYoutube *
sd_youtube_new (void)
{
  return g_object_new (SD_TYPE_YOUTUBE, NULL);
}
