/* sd-x.c — the X provider (API v2): posts, threads, media, the signed-in user
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * X has no idempotency key, so a post whose answer was lost is looked for
 * among the account's recent posts before it is sent again. Progress is kept
 * in the part's stage (see "Stages" below) so that a retry neither uploads a
 * finished video again nor mistakes X's duplicate refusal for a failure.
 *
 * Sources (docs.x.com, stored copies of 2025–2026): POST /2/tweets,
 * GET /2/users/me, GET /2/users/:id/tweets, POST /2/media/upload,
 * /2/media/upload/initialize, /2/media/upload/{id}/append and /finalize,
 * GET /2/media/upload?command=STATUS, POST /2/media/metadata; the x-rate-limit-*
 * headers; problem bodies {"title","detail","type","status"}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-x"

#include "config.h"

#include "sd-x.h"
#include "sd-x-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-entity.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-time.h"
#include "sd-x-text.h"

#define CHUNK_BYTES            (4 * 1024 * 1024)  /* APPEND takes at most 5 MB a segment */
#define ALT_TEXT_MAX           1000
#define MAX_IMAGES             4
#define FIND_CLOCK_SLACK       60
#define FIND_WITHOUT_ATTEMPT   (60 * 60)
#define FIND_MAX_PAGES         5
#define MEDIA_EXPIRY_MARGIN    (10 * 60)
#define DEFAULT_RATE_PAUSE     60
#define POLL_INTERVAL_MS       2000
#define POLL_ATTEMPTS          30
#define POST_URL_FORMAT        "https://x.com/%s/status/%s"
/* X's words when a post repeats a recent one (403). */
#define DUPLICATE_WORDS        "duplicate content"

struct _SdX
{
  GObject parent_instance;
};

static void sd_x_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdX, sd_x, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_x_provider_init))

/* Polling a video X is processing: SOCIALDESK_POLL_INTERVAL_MS and
 * SOCIALDESK_POLL_ATTEMPTS override the defaults (tests make them small). */
static guint
env_count (const char *name,
           guint       fallback)
{
  const char *value = g_getenv (name);
  char *end = NULL;
  guint64 number;

  if (value == NULL || *value == '\0')
    return fallback;
  number = g_ascii_strtoull (value, &end, 10);
  return end != value && *end == '\0' && number <= G_MAXUINT ? (guint) number : fallback;
}

/* Talking to X */

static SoupMessage *
api_message (const SdPublishContext *ctx,
             const char             *method,
             const char             *path,
             SdProviderStatus       *status)
{
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_X, path);
  SoupMessage *msg = url != NULL ? soup_message_new (method, url) : NULL;

  if (msg == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              /* Translators: %s is a web address. */
                              _("“%s” is not an X address SocialDesk can use."),
                              url != NULL ? url : path);
      return NULL;
    }
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}




static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return 0;
}

/* Seconds until an epoch-seconds reset header, at least 1; 0 without one. */
static gint64
seconds_until (SoupMessageHeaders *headers,
               const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  char *end = NULL;
  gint64 reset;

  if (value == NULL)
    return 0;
  reset = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0')
    return 0;
  return MAX (reset - sd_time_now (), 1);
}

static gboolean
spent (SoupMessageHeaders *headers,
       const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);

  return value != NULL && g_ascii_strtoll (value, NULL, 10) <= 0;
}

/* How long to leave the account alone: X sends x-rate-limit-limit,
 * -remaining and -reset (epoch seconds) for the endpoint's window on every
 * answer, and x-user-limit-24hour-* / x-app-limit-24hour-* for the daily post
 * caps; no Retry-After. A 429 without any of them waits a minute. */
static gint64
rate_pause (SoupMessage *msg,
            gboolean     refused)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  gint64 pause = 0;

  if (refused || spent (headers, "x-rate-limit-remaining"))
    pause = MAX (pause, seconds_until (headers, "x-rate-limit-reset"));
  if (spent (headers, "x-user-limit-24hour-remaining"))
    pause = MAX (pause, seconds_until (headers, "x-user-limit-24hour-reset"));
  if (spent (headers, "x-app-limit-24hour-remaining"))
    pause = MAX (pause, seconds_until (headers, "x-app-limit-24hour-reset"));
  if (refused && pause == 0)
    pause = DEFAULT_RATE_PAUSE;
  return pause;
}

/* X's own words from an error body: the messages of "errors" (an invalid
 * request names the parameter there), else the problem's detail or title. */
static char *
error_words (JsonNode *root)
{
  JsonObject *object = sd_http_json_node_object (root);
  JsonArray *errors = sd_http_json_array_member (object, "errors");
  GString *words = g_string_new (NULL);
  const char *detail;

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *error = sd_http_json_node_object (json_array_get_element (errors, i));
      const char *message = sd_http_json_string (error, "message");

      if (message == NULL)
        message = sd_http_json_string (error, "detail");
      if (message == NULL || *message == '\0' || strstr (words->str, message) != NULL)
        continue;
      if (words->len > 0)
        g_string_append (words, " ");
      g_string_append (words, message);
    }
  if (words->len > 0)
    return g_string_free (words, FALSE);
  g_string_free (words, TRUE);

  detail = sd_http_json_string (object, "detail");
  if (detail == NULL || *detail == '\0')
    detail = sd_http_json_string (object, "title");
  return detail != NULL && *detail != '\0' ? g_strdup (detail) : NULL;
}

/* Sends @msg and classifies the answer, keeping the longest pause any answer
 * asked for in status->retry_after. On DONE, *out holds the parsed body. On
 * an HTTP error the message quotes X's words, also given in *words_out. */
static SdOutcome
call (const SdPublishContext *ctx,
      SoupMessage            *msg,
      GCancellable           *cancellable,
      JsonNode              **out,
      char                  **words_out,
      SdProviderStatus       *status)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  gint64 pause = status->retry_after;
  SdOutcome outcome;

  body = sd_http_send (ctx->session, msg, cancellable, status);
  if (body == NULL)
    return status->outcome;

  outcome = sd_http_classify (msg, status);
  status->retry_after = MAX (pause, MAX (status->retry_after, rate_pause (msg, status->http_status == 429)));
  root = sd_http_parse_json (body, NULL);
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));

  if (outcome != SD_OUTCOME_DONE)
    {
      words = error_words (root);
      if (words != NULL)
        {
          switch (outcome)
            {
            case SD_OUTCOME_AUTH:
              sd_provider_status_set (status, outcome,
                                      /* Translators: %s is X's own words. */
                                      _("X no longer accepts this account’s sign-in: “%s”."), words);
              break;
            case SD_OUTCOME_FAILED:
              sd_provider_status_set (status, outcome,
                                      /* Translators: %s is X's own words. */
                                      _("X refused the request: “%s”."), words);
              break;
            case SD_OUTCOME_RETRY:
              if (status->http_status == 429)
                sd_provider_status_set (status, outcome,
                                        /* Translators: %s is X's own words. */
                                        _("X asked SocialDesk to slow down: “%s”."), words);
              break;
            default:
              break;
            }
        }
      if (words_out != NULL)
        *words_out = g_steal_pointer (&words);
      return outcome;
    }

  if (out != NULL)
    *out = g_steal_pointer (&root);
  return outcome;
}

/* A 2xx whose body cannot be read: for a write X may have acted. */
static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   gboolean          writes,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 /* Translators: %s is the path of an API call. */
                                 _("X’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

/* Changes the outcome, keeping the message that says why. */
static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

static gboolean
sleep_cancellable (gint64        usec,
                   GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + usec;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (until - g_get_monotonic_time (), 50 * 1000));
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* Stages
 *
 * "media@EXPIRES:ID,ID~" — the media uploaded so far, in order; "~" marks one
 *   X was still processing. EXPIRES (epoch seconds, 0: unknown) is when the
 *   first of them runs out; past it they are uploaded again.
 * "tweet@EXPIRES:ID,ID" — POST /2/tweets was (about to be) sent: from here on
 *   the post may exist, and the stage keeps saying so even while a resend
 *   uploads media again. A later attempt is a resend, and X's duplicate
 *   refusal then means the post is there. */

typedef struct
{
  gboolean   tweet;      /* the post may have been made */
  gint64     expires_at;
  GPtrArray *entries;    /* "ID" or "ID~" */
} Stage;

static void
stage_clear (Stage *stage)
{
  g_clear_pointer (&stage->entries, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stage, stage_clear)

static void
stage_read (const char *text,
            Stage      *stage)
{
  const char *colon;
  g_auto(GStrv) ids = NULL;

  stage->tweet = FALSE;
  stage->expires_at = 0;
  stage->entries = g_ptr_array_new_with_free_func (g_free);

  if (text == NULL)
    return;
  if (g_str_has_prefix (text, "tweet@"))
    stage->tweet = TRUE;
  else if (!g_str_has_prefix (text, "media@"))
    return;
  colon = strchr (text, ':');
  if (colon == NULL)
    return;
  stage->expires_at = g_ascii_strtoll (text + strlen ("media@"), NULL, 10);
  ids = g_strsplit (colon + 1, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    if (ids[i][0] != '\0')
      g_ptr_array_add (stage->entries, g_strdup (ids[i]));
}

static gboolean
stage_save (const SdPublishContext *ctx,
            SdPublishPart          *part,
            const Stage            *stage,
            SdProviderStatus       *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (stage->tweet ? "tweet@" : "media@");

  g_string_append_printf (text, "%" G_GINT64_FORMAT ":", stage->expires_at);
  for (guint i = 0; i < stage->entries->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, g_ptr_array_index (stage->entries, i));
    }
  if (sd_publish_context_set_stage (ctx, part, text->str, &error))
    return TRUE;
  sd_provider_status_set (status, SD_OUTCOME_RETRY,
                          /* Translators: %s is an error message. */
                          _("Could not keep the post’s progress: %s"), error->message);
  return FALSE;
}

/* Media */

static const char *
media_category (const SdPublishMedia *media)
{
  if (sd_publish_media_is_video (media))
    return "tweet_video";
  if (g_strcmp0 (media->mime_type, "image/gif") == 0)
    return "tweet_gif";
  return "tweet_image";
}

static const char *
mime_type (const SdPublishMedia *media)
{
  return media->mime_type != NULL ? media->mime_type : "application/octet-stream";
}

static SdOutcome
read_failure (const SdPublishMedia *media,
              GError               *error,
              SdProviderStatus     *status)
{
  g_autofree char *basename = g_path_get_basename (media->path);

  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 /* Translators: %s is a file name, then an error message. */
                                 _("Could not read the attached file “%s”: %s"),
                                 basename, error->message);
}

/* A refused upload quotes X; one that may have happened leaves at most an
 * unattached file, which X lets expire: sending again is safe. */
static SdOutcome
upload_outcome (const SdPublishMedia *media,
                SdOutcome             outcome,
                const char           *words,
                SdProviderStatus     *status)
{
  g_autofree char *basename = g_path_get_basename (media->path);

  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    sd_provider_status_set (status, outcome,
                            /* Translators: %s is a file name, then X's own words. */
                            _("X did not accept the file “%s”: “%s”."), basename, words);
  return outcome;
}

/* The "data" of a media answer: its id, how long it lives, and whether X is
 * still processing it (FAILED with X's words when processing failed). */
static SdOutcome
read_media_answer (SoupMessage          *msg,
                   JsonNode             *root,
                   const SdPublishMedia *media,
                   char                **id_out,
                   gint64               *expires_after,
                   gboolean             *processing,
                   SdProviderStatus     *status)
{
  JsonObject *data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  JsonObject *info = sd_http_json_object_member (data, "processing_info");
  const char *state = sd_http_json_string (info, "state");
  const char *id = sd_http_json_string (data, "id");

  if (id == NULL)
    id = sd_http_json_string (data, "media_id");   /* STATUS answers name it so */
  if (id_out != NULL && id == NULL)
    return unreadable_answer (msg, FALSE, status);

  if (g_strcmp0 (state, "failed") == 0)
    {
      g_autofree char *basename = g_path_get_basename (media->path);
      JsonObject *error = sd_http_json_object_member (info, "error");
      const char *message = sd_http_json_string (error, "message");

      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     /* Translators: %s is a file name, then X's own words. */
                                     _("X could not process the file “%s”: “%s”."), basename,
                                     message != NULL ? message : state);
    }

  if (id_out != NULL)
    *id_out = g_strdup (id);
  if (expires_after != NULL)
    *expires_after = member_int (data, "expires_after_secs");
  *processing = state != NULL && g_strcmp0 (state, "succeeded") != 0;
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Images: one multipart POST /2/media/upload. media_type is sent as X's
 * OpenAPI lists it for the one-shot upload (unverified against the live API). */
static SdOutcome
upload_simple (const SdPublishContext *ctx,
               const SdPublishMedia   *media,
               char                  **id_out,
               gint64                 *expires_after,
               gboolean               *processing,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (media->path, FALSE, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_X, "/2/media/upload");
  g_autofree char *basename = g_path_get_basename (media->path);
  g_autofree char *words = NULL;
  SdOutcome outcome;

  if (file == NULL)
    return read_failure (media, error, status);
  bytes = g_mapped_file_get_bytes (file);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "media", basename, mime_type (media), bytes);
  soup_multipart_append_form_string (multipart, "media_category", media_category (media));
  soup_multipart_append_form_string (multipart, "media_type", mime_type (media));
  msg = soup_message_new_from_multipart (url, multipart);
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);

  outcome = call (ctx, msg, cancellable, &root, &words, status);
  if (outcome != SD_OUTCOME_DONE)
    return upload_outcome (media, outcome, words, status);
  return read_media_answer (msg, root, media, id_out, expires_after, processing, status);
}

static SdOutcome
upload_initialize (const SdPublishContext *ctx,
                   const SdPublishMedia   *media,
                   gint64                  total_bytes,
                   char                  **id_out,
                   gint64                 *expires_after,
                   GCancellable           *cancellable,
                   SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "POST", "/2/media/upload/initialize", status);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  JsonObject *data;
  const char *id;
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "media_type");
  json_builder_add_string_value (builder, mime_type (media));
  json_builder_set_member_name (builder, "total_bytes");
  json_builder_add_int_value (builder, total_bytes);
  json_builder_set_member_name (builder, "media_category");
  json_builder_add_string_value (builder, media_category (media));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  sd_http_set_json_body (msg, body);

  outcome = call (ctx, msg, cancellable, &root, &words, status);
  if (outcome != SD_OUTCOME_DONE)
    return upload_outcome (media, outcome, words, status);
  data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  id = sd_http_json_string (data, "id");
  if (id == NULL)
    return unreadable_answer (msg, FALSE, status);
  *id_out = g_strdup (id);
  *expires_after = member_int (data, "expires_after_secs");
  return SD_OUTCOME_DONE;
}

static SdOutcome
upload_append (const SdPublishContext *ctx,
               const SdPublishMedia   *media,
               const char             *id,
               guint                   segment,
               GBytes                 *chunk,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/2/media/upload/%s/append", escaped);
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_X, path);
  g_autofree char *index = g_strdup_printf ("%u", segment);
  g_autofree char *words = NULL;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) msg = NULL;
  SdOutcome outcome;

  soup_multipart_append_form_file (multipart, "media", "chunk", "application/octet-stream", chunk);
  soup_multipart_append_form_string (multipart, "segment_index", index);
  msg = soup_message_new_from_multipart (url, multipart);
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);

  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  if (outcome != SD_OUTCOME_DONE)
    return upload_outcome (media, outcome, words, status);
  return SD_OUTCOME_DONE;
}

/* GIFs and videos: initialize, append segments read from the file a chunk at
 * a time, finalize. */
static SdOutcome
upload_chunked (const SdPublishContext *ctx,
                const SdPublishMedia   *media,
                char                  **id_out,
                gint64                 *expires_after,
                gboolean               *processing,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autoptr(GFile) file = g_file_new_for_path (media->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  g_autofree guint8 *buffer = NULL;
  gint64 total_bytes;
  SdOutcome outcome;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  stream = info != NULL ? g_file_read (file, cancellable, &error) : NULL;
  if (stream == NULL)
    return read_failure (media, error, status);
  total_bytes = g_file_info_get_size (info);

  outcome = upload_initialize (ctx, media, total_bytes, &id, expires_after, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  buffer = g_malloc (CHUNK_BYTES);
  for (guint segment = 0; ; segment++)
    {
      g_autoptr(GBytes) chunk = NULL;
      gsize length = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, CHUNK_BYTES, &length,
                                    cancellable, &error))
        return read_failure (media, error, status);
      if (length == 0 && segment > 0)
        break;
      chunk = g_bytes_new (buffer, length);
      outcome = upload_append (ctx, media, id, segment, chunk, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (length < CHUNK_BYTES)
        break;
    }

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strdup_printf ("/2/media/upload/%s/finalize", escaped);
  msg = api_message (ctx, "POST", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, &root, &words, status);
  if (outcome != SD_OUTCOME_DONE)
    return upload_outcome (media, outcome, words, status);
  outcome = read_media_answer (msg, root, media, NULL, NULL, processing, status);
  if (outcome == SD_OUTCOME_DONE)
    *id_out = g_steal_pointer (&id);
  return outcome;
}

/* Polls a media item X is processing (bounded). DONE: ready; RETRY: still
 * processing (or X could not be asked), the stage keeps it; FAILED with
 * *gone: X no longer knows the id, so it must be uploaded again. */
static SdOutcome
wait_for_processing (const SdPublishContext *ctx,
                     const SdPublishMedia   *media,
                     const char             *id,
                     gboolean               *gone,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/2/media/upload?command=STATUS&media_id=%s", escaped);
  g_autofree char *basename = g_path_get_basename (media->path);
  guint interval = env_count ("SOCIALDESK_POLL_INTERVAL_MS", POLL_INTERVAL_MS);
  guint attempts = env_count ("SOCIALDESK_POLL_ATTEMPTS", POLL_ATTEMPTS);

  *gone = FALSE;
  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      g_autoptr(SoupMessage) msg = api_message (ctx, "GET", path, status);
      g_autoptr(JsonNode) root = NULL;
      gboolean processing = TRUE;
      SdOutcome outcome;

      if (msg == NULL)
        return status->outcome;
      if (!sleep_cancellable ((gint64) interval * 1000, cancellable))
        return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Sending was cancelled."));

      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome == SD_OUTCOME_FAILED)
        {
          g_debug ("media %s is gone (HTTP %u): uploading it again", id, status->http_status);
          *gone = TRUE;
          return outcome;
        }
      if (outcome != SD_OUTCOME_DONE)
        return reclassify (status, SD_OUTCOME_RETRY);

      outcome = read_media_answer (msg, root, media, NULL, NULL, &processing, status);
      if (outcome != SD_OUTCOME_DONE || !processing)
        return outcome;
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 /* Translators: %s is a file name. */
                                 _("X is still processing the video “%s”; SocialDesk will try again later."),
                                 basename);
}

static SdOutcome
set_alt_text (const SdPublishContext *ctx,
              const SdPublishMedia   *media,
              const char             *id,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *words = NULL;
  SdOutcome outcome;

  if (media->alt_text == NULL || media->alt_text[0] == '\0')
    return SD_OUTCOME_DONE;

  text = g_utf8_substring (media->alt_text, 0, MIN (g_utf8_strlen (media->alt_text, -1), ALT_TEXT_MAX));
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alt_text");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = api_message (ctx, "POST", "/2/media/metadata", status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);
  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  /* Setting the same description twice does no harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    {
      g_autofree char *basename = g_path_get_basename (media->path);

      sd_provider_status_set (status, outcome,
                              /* Translators: %s is a file name, then X's own words. */
                              _("X did not accept the description of “%s”: “%s”."), basename, words);
    }
  return outcome;
}

/* Makes sure media item @index is on X and ready, resuming from the stage;
 * a staged id X no longer knows is uploaded again (once). */
static SdOutcome
ensure_media (const SdPublishContext *ctx,
              SdPublishPart          *part,
              Stage                  *stage,
              guint                   index,
              gboolean                may_restart,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  const SdPublishMedia *media = g_ptr_array_index (part->media, index);
  g_autofree char *id = NULL;
  gboolean processing = FALSE;
  SdOutcome outcome;

  if (index < stage->entries->len)
    {
      const char *entry = g_ptr_array_index (stage->entries, index);

      if (!g_str_has_suffix (entry, "~"))
        return SD_OUTCOME_DONE;
      id = g_strndup (entry, strlen (entry) - 1);
      processing = TRUE;
      g_debug ("resuming media %u, which X was processing", index);
    }
  else
    {
      gint64 expires_after = 0;

      if (sd_publish_media_is_video (media) || g_strcmp0 (media->mime_type, "image/gif") == 0)
        outcome = upload_chunked (ctx, media, &id, &expires_after, &processing, cancellable, status);
      else
        outcome = upload_simple (ctx, media, &id, &expires_after, &processing, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (expires_after > 0)
        {
          gint64 expires_at = sd_time_now () + expires_after;

          stage->expires_at = stage->expires_at > 0 ? MIN (stage->expires_at, expires_at) : expires_at;
        }
      g_ptr_array_add (stage->entries, g_strconcat (id, processing ? "~" : NULL, NULL));
      if (processing && !stage_save (ctx, part, stage, status))
        return status->outcome;
    }

  if (processing)
    {
      gboolean gone = FALSE;

      outcome = wait_for_processing (ctx, media, id, &gone, cancellable, status);
      if (outcome == SD_OUTCOME_FAILED && gone && may_restart)
        {
          /* Dead: forget it (and what came after it) and upload it again. */
          g_ptr_array_set_size (stage->entries, index);
          if (!stage_save (ctx, part, stage, status))
            return status->outcome;
          return ensure_media (ctx, part, stage, index, FALSE, cancellable, status);
        }
      if (outcome == SD_OUTCOME_FAILED && !gone)
        {
          /* X could not process it: a later Send Again uploads it anew. */
          g_autoptr(GError) error = NULL;

          g_ptr_array_set_size (stage->entries, index);
          if (stage->tweet)
            {
              g_autofree char *words = g_strdup (status->message);

              /* Keep saying the post may exist; keep X's words too. */
              stage_save (ctx, part, stage, status);
              sd_provider_status_set (status, SD_OUTCOME_FAILED, "%s", words);
            }
          else if (!sd_publish_context_set_stage (ctx, part, NULL, &error))
            g_debug ("could not forget the failed media: %s", error->message);
          return SD_OUTCOME_FAILED;
        }
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }

  outcome = set_alt_text (ctx, media, id, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  g_free (g_ptr_array_index (stage->entries, index));
  g_ptr_array_index (stage->entries, index) = g_strdup (id);
  return stage_save (ctx, part, stage, status) ? SD_OUTCOME_DONE : status->outcome;
}

static SdOutcome
check_media_mix (const SdPublishPart *part,
                 SdProviderStatus    *status)
{
  guint moving = 0;

  for (guint i = 0; i < part->media->len; i++)
    {
      const SdPublishMedia *media = g_ptr_array_index (part->media, i);

      if (sd_publish_media_is_video (media) || g_strcmp0 (media->mime_type, "image/gif") == 0)
        moving++;
    }
  if (part->media->len > MAX_IMAGES || (moving > 0 && part->media->len > 1))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("X takes up to four images, or one GIF or video, per post."));
  return SD_OUTCOME_DONE;
}

/* Reading posts back */

static char *
post_url (const SdPublishContext *ctx,
          const char             *id)
{
  const char *handle = sd_account_get_handle (ctx->account);

  return g_strdup_printf (POST_URL_FORMAT, handle != NULL && *handle != '\0' ? handle : "i", id);
}

static void
set_remote (const SdPublishContext *ctx,
            SdPublishPart          *part,
            const char             *id)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_free (part->remote_url);
  part->remote_url = post_url (ctx, id);
}

/* Text as both sides should compare: NFC, newlines unified, outer white
 * space gone, X's escapes of & < > undone, and every link masked (X shows
 * each as a t.co link). */
static char *
comparable_text (const char *text,
                 gboolean    from_x)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  g_autofree char *joined = g_strjoinv ("\n", lines);
  g_autofree char *normal = NULL;
  g_autoptr(GArray) urls = NULL;
  GString *out = g_string_new (NULL);
  gsize from = 0;

  if (from_x)
    {
      g_auto(GStrv) amp = NULL;
      g_autofree char *step = NULL;
      g_auto(GStrv) lt = NULL;
      g_auto(GStrv) gt = NULL;

      gt = g_strsplit (joined, "&gt;", -1);
      step = g_strjoinv (">", gt);
      lt = g_strsplit (step, "&lt;", -1);
      g_free (step);
      step = g_strjoinv ("<", lt);
      amp = g_strsplit (step, "&amp;", -1);
      g_free (joined);
      joined = g_strjoinv ("&", amp);
    }

  normal = g_utf8_normalize (g_strstrip (joined), -1, G_NORMALIZE_NFC);
  if (normal == NULL)
    normal = g_strdup ("");
  urls = sd_x_extract_urls (normal, TRUE);
  for (guint i = 0; i < urls->len; i++)
    {
      const SdEntity *url = &g_array_index (urls, SdEntity, i);

      if (url->start < from)
        continue;
      g_string_append_len (out, normal + from, url->start - from);
      g_string_append (out, "\xe2\x80\xa6link\xe2\x80\xa6");
      from = url->end;
    }
  g_string_append (out, normal + from);
  return g_string_free (out, FALSE);
}

static const char *
replied_to (JsonObject *tweet,
            gboolean   *retweet)
{
  JsonArray *references = sd_http_json_array_member (tweet, "referenced_tweets");
  const char *parent = NULL;

  *retweet = FALSE;
  for (guint i = 0; references != NULL && i < json_array_get_length (references); i++)
    {
      JsonObject *reference = sd_http_json_node_object (json_array_get_element (references, i));
      const char *type = sd_http_json_string (reference, "type");

      if (g_strcmp0 (type, "replied_to") == 0)
        parent = sd_http_json_string (reference, "id");
      else if (g_strcmp0 (type, "retweeted") == 0)
        *retweet = TRUE;
    }
  return parent;
}

static gboolean
tweet_matches (JsonObject             *tweet,
               const SdPublishContext *ctx,
               const SdPublishPart    *part,
               const char             *wanted)
{
  const char *expected_parent = sd_x_reply_target (ctx);
  const char *link_mark = "\xe2\x80\xa6link\xe2\x80\xa6";
  g_autofree char *text = NULL;
  gboolean retweet;

  if (g_strcmp0 (replied_to (tweet, &retweet), expected_parent) != 0 || retweet)
    return FALSE;
  text = comparable_text (sd_http_json_string (tweet, "text"), TRUE);
  if (g_strcmp0 (text, wanted) == 0)
    return TRUE;

  /* X ends the text of a post with media with a link to the media. */
  if (part->media->len > 0 && g_str_has_suffix (text, link_mark))
    {
      gsize length = strlen (text) - strlen (link_mark);

      while (length > 0 && g_ascii_isspace (text[length - 1]))
        length--;
      text[length] = '\0';
      return g_strcmp0 (text, wanted) == 0;
    }
  return FALSE;
}

/* The signed-in user (GET /2/users/me): its "data" object in *root. */
static SdOutcome
read_me (const SdPublishContext *ctx,
         JsonNode              **root,
         JsonObject            **user,
         GCancellable           *cancellable,
         SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg =
    api_message (ctx, "GET", "/2/users/me?user.fields=profile_image_url,name,username", status);
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  *user = sd_http_json_object_member (sd_http_json_node_object (*root), "data");
  if (sd_http_json_string (*user, "id") == NULL || sd_http_json_string (*user, "username") == NULL)
    return unreadable_answer (msg, FALSE, status);
  return SD_OUTCOME_DONE;
}

static void
fill_account (SdAccount  *account,
              JsonObject *user)
{
  const char *name = sd_http_json_string (user, "name");
  const char *username = sd_http_json_string (user, "username");

  sd_account_set_remote_id (account, sd_http_json_string (user, "id"));
  sd_account_set_handle (account, username);
  sd_account_set_display_name (account, name != NULL && *name != '\0' ? name : username);
  sd_account_set_avatar_url (account, sd_http_json_string (user, "profile_image_url"));
}

static SdOutcome
ensure_user_id (const SdPublishContext *ctx,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *user = NULL;
  SdOutcome outcome;

  if (sd_account_get_remote_id (ctx->account) != NULL)
    return SD_OUTCOME_DONE;
  outcome = read_me (ctx, &root, &user, cancellable, status);
  if (outcome == SD_OUTCOME_DONE)
    fill_account (ctx->account, user);
  return outcome;
}

/* Looks for the part among the account's posts since its first attempt. */
static SdOutcome
find_in_timeline (const SdPublishContext *ctx,
                  SdPublishPart          *part,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK
                                           : sd_time_now () - FIND_WITHOUT_ATTEMPT;
  g_autofree char *start_time = sd_time_format_iso8601 (since);
  g_autofree char *wanted = comparable_text (part->text, FALSE);
  g_autofree char *token = NULL;
  g_autofree char *user_id = NULL;
  SdOutcome outcome;

  outcome = ensure_user_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_AUTH ? outcome : reclassify (status, SD_OUTCOME_UNCERTAIN);
  user_id = g_uri_escape_string (sd_account_get_remote_id (ctx->account), NULL, FALSE);

  for (guint page = 0; page < FIND_MAX_PAGES; page++)
    {
      g_autofree char *escaped_time = g_uri_escape_string (start_time, NULL, FALSE);
      g_autofree char *escaped_token = token != NULL ? g_uri_escape_string (token, NULL, FALSE) : NULL;
      g_autofree char *path = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonArray *tweets;

      path = g_strdup_printf ("/2/users/%s/tweets?max_results=100&start_time=%s"
                              "&tweet.fields=created_at,referenced_tweets,conversation_id%s%s",
                              user_id, escaped_time,
                              escaped_token != NULL ? "&pagination_token=" : "",
                              escaped_token != NULL ? escaped_token : "");
      msg = api_message (ctx, "GET", path, status);
      if (msg == NULL)
        return status->outcome;
      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         /* Translators: %s says why. */
                                         _("Could not look at the account’s recent posts on X: %s"),
                                         reason);
        }
      if (sd_http_json_node_object (root) == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("X’s list of recent posts could not be read."));

      /* No "data" at all: no posts in the window (result_count 0). */
      tweets = sd_http_json_array_member (sd_http_json_node_object (root), "data");
      for (guint i = 0; tweets != NULL && i < json_array_get_length (tweets); i++)
        {
          JsonObject *tweet = sd_http_json_node_object (json_array_get_element (tweets, i));

          if (tweet != NULL && sd_http_json_string (tweet, "id") != NULL
              && tweet_matches (tweet, ctx, part, wanted))
            {
              set_remote (ctx, part, sd_http_json_string (tweet, "id"));
              g_debug ("found the part among the account's posts");
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
        }

      g_free (token);
      token = g_strdup (sd_http_json_string (sd_http_json_object_member (sd_http_json_node_object (root), "meta"), "next_token"));
      if (token == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on X: it can be sent again."));
    }

  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the post reached X: there are too many newer posts to look through."));
}

/* Posts */

static SdOutcome
create_tweet (const SdPublishContext *ctx,
              SdPublishPart          *part,
              const Stage            *stage,
              gboolean                resend,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *words = NULL;
  const char *id;
  SdOutcome outcome;

  json_builder_begin_object (builder);
  /* A post of media alone has no text member (an empty one is refused;
   * unverified). */
  if (part->text[0] != '\0' || stage->entries->len == 0)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, part->text);
    }
  if (stage->entries->len > 0)
    {
      json_builder_set_member_name (builder, "media");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "media_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < stage->entries->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (stage->entries, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (sd_x_reply_target (ctx) != NULL)
    {
      json_builder_set_member_name (builder, "reply");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "in_reply_to_tweet_id");
      json_builder_add_string_value (builder, sd_x_reply_target (ctx));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = api_message (ctx, "POST", "/2/tweets", status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);

  outcome = call (ctx, msg, cancellable, &root, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 403 && words != NULL
      && strstr (words, DUPLICATE_WORDS) != NULL && resend)
    {
      /* The earlier attempt made it: link it instead of failing. */
      g_debug ("X calls the resent part a duplicate; looking for the first one");
      outcome = find_in_timeline (ctx, part, cancellable, status);
      if (outcome == SD_OUTCOME_RETRY)
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("X says this post is already there, but SocialDesk could not find it yet."));
      return outcome;
    }
  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    return sd_provider_status_set (status, outcome,
                                   /* Translators: %s is X's own words. */
                                   _("X refused the post: “%s”."), words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  id = sd_http_json_string (sd_http_json_object_member (sd_http_json_node_object (root), "data"), "id");
  if (id == NULL)
    return unreadable_answer (msg, TRUE, status);
  set_remote (ctx, part, id);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_x_publish_part (SdProvider             *provider,
                   const SdPublishContext *ctx,
                   SdPublishPart          *part,
                   GCancellable           *cancellable,
                   SdProviderStatus       *status)
{
  g_auto(Stage) stage = { 0, };
  gboolean resend;
  SdOutcome outcome;

  status->retry_after = 0;
  if (ctx->parent != NULL && (ctx->parent->remote_id == NULL || ctx->parent->remote_id[0] == '\0'))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The post this part replies to is not on X yet."));
  if (check_media_mix (part, status) != SD_OUTCOME_DONE)
    return status->outcome;
  if (sd_x_inbox_is_dm_reply (ctx))
    return sd_x_inbox_send_dm (ctx, part, cancellable, status);

  stage_read (part->stage, &stage);
  resend = stage.tweet;
  if (stage.entries->len > part->media->len
      || (stage.expires_at > 0 && stage.expires_at - MEDIA_EXPIRY_MARGIN < sd_time_now ()))
    {
      g_debug ("the staged media ran out or do not fit: uploading again");
      g_ptr_array_set_size (stage.entries, 0);
      stage.expires_at = 0;
    }

  for (guint i = 0; i < part->media->len; i++)
    {
      outcome = ensure_media (ctx, part, &stage, i, TRUE, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }

  /* From here on the post may exist. */
  stage.tweet = TRUE;
  if (!stage_save (ctx, part, &stage, status))
    return status->outcome;
  return create_tweet (ctx, part, &stage, resend, cancellable, status);
}

static gboolean
sd_x_resend_is_safe (SdProvider             *provider,
                     const SdPublishContext *ctx,
                     const SdPublishPart    *part)
{
  /* X has no idempotency key. */
  return FALSE;
}

static SdOutcome
sd_x_find_part (SdProvider             *provider,
                const SdPublishContext *ctx,
                SdPublishPart          *part,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  status->retry_after = 0;
  if (sd_x_inbox_is_dm_reply (ctx))
    return sd_x_inbox_find_dm (ctx, part, cancellable, status);
  if (part->stage != NULL && g_str_has_prefix (part->stage, "media@"))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The post was not sent to X yet: its media were still being uploaded."));
  return find_in_timeline (ctx, part, cancellable, status);
}

/* The account */

static SdOutcome
sd_x_verify_account (SdProvider             *provider,
                     const SdPublishContext *ctx,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *user = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  outcome = read_me (ctx, &root, &user, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  fill_account (ctx->account, user);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_x_list_identities (SdProvider             *provider,
                      const SdPublishContext *ctx,
                      GPtrArray              *identities,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdAccount) account = NULL;
  SdCredentials *credentials;
  JsonObject *user = NULL;
  SdOutcome outcome;

  status->retry_after = 0;
  outcome = read_me (ctx, &root, &user, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  account = sd_account_new (SD_PLATFORM_X);
  fill_account (account, user);
  credentials = sd_credentials_copy (ctx->credentials);
  /* With offline.access the refresh token keeps the sign-in going; X gives
   * it no documented expiry, so 0 unless the token answer named one. */
  if (credentials->refresh_token != NULL)
    sd_account_set_token_expires_at (account, credentials->refresh_expires_at);
  else
    sd_account_set_token_expires_at (account, credentials->expires_at);
  g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account), credentials));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_x_refresh_credentials (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  return sd_oauth2_refresh (ctx->session, SD_PLATFORM_X, ctx->credentials, cancellable, status);
}

static SdPlatform
sd_x_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_X;
}

static void
sd_x_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_x_get_platform;
  iface->publish_part = sd_x_publish_part;
  iface->resend_is_safe = sd_x_resend_is_safe;
  iface->find_part = sd_x_find_part;
  iface->verify_account = sd_x_verify_account;
  iface->list_identities = sd_x_list_identities;
  iface->refresh_credentials = sd_x_refresh_credentials;
  sd_x_inbox_init_iface (iface);
}

static void
sd_x_class_init (SdXClass *klass)
{
}

static void
sd_x_init (SdX *self)
{
}

SdX *
sd_x_new (void)
{
  return g_object_new (SD_TYPE_X, NULL);
}

/* For sd-x-inbox.c */

SoupMessage *
sd_x_api_message (const SdPublishContext *ctx,
                  const char             *method,
                  const char             *path,
                  SdProviderStatus       *status)
{
  return api_message (ctx, method, path, status);
}

SdOutcome
sd_x_call (const SdPublishContext *ctx,
           SoupMessage            *msg,
           GCancellable           *cancellable,
           JsonNode              **out,
           char                  **words_out,
           SdProviderStatus       *status)
{
  return call (ctx, msg, cancellable, out, words_out, status);
}

SdOutcome
sd_x_ensure_user_id (const SdPublishContext *ctx,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  return ensure_user_id (ctx, cancellable, status);
}

const char *
sd_x_reply_target (const SdPublishContext *ctx)
{
  if (ctx->parent != NULL)
    return ctx->parent->remote_id;
  if (ctx->reply_to != NULL && !sd_x_inbox_is_dm_reply (ctx))
    return sd_message_get_remote_id (ctx->reply_to);
  return NULL;
}
