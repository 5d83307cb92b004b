/* sd-tiktok.c — the TikTok provider: Direct Post of a video or photos, and the account
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * Sources (developers.tiktok.com, stored copies): "Content Posting API —
 * Direct Post" (creator_info/query, video/init, content/init), "Media
 * Transfer Guide" (chunks), "Get Post Status" (status/fetch), "API v2 error
 * handling" (the {"data", "error": {code, message, log_id}} envelope), Login
 * Kit for desktop (client_key, PKCE with a hex SHA-256 challenge).
 *
 * Exactly once: TikTok has no idempotency key. A video is posted only once
 * its upload is complete, and the upload starts only after the publish id is
 * kept as the part's stage ("publish:<id>"); so without a stage nothing can
 * have been posted, and with one the publish status tells. Photos are pulled
 * by TikTok from public URLs as soon as content/init is taken: a lost answer
 * there cannot be checked (the API lists no posts), and stays uncertain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-tiktok"

#include "config.h"

#include "sd-tiktok.h"
#include "sd-tiktok-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-post.h"

/* The Media Transfer Guide's own example chunk (chunks must be 5–64 MB; the
 * last takes the trailing bytes, up to 128 MB; a file smaller than a chunk
 * goes whole). */
#define CHUNK_BYTES            ((gint64) 10000000)
#define MAX_PHOTOS             35
#define PHOTO_TITLE_MAX        90       /* characters; the rest of the text goes in the description */
#define RATE_LIMIT_WAIT        60       /* seconds, when a 429 names no wait (TikTok documents no header) */
#define INIT_WINDOW_USEC       (60 * G_USEC_PER_SEC)
#define STAGE_PREFIX           "publish:"
#define DEFAULT_POLL_INTERVAL  2000
#define DEFAULT_POLL_ATTEMPTS  30
#define USER_FIELDS            "open_id,union_id,avatar_url,display_name"

struct _SdTiktok
{
  GObject parent_instance;
};

static void sd_tiktok_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdTiktok, sd_tiktok, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_tiktok_provider_init))

/* Small helpers */



static gboolean
member_boolean (JsonObject *object,
                const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
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

static guint
env_number (const char *name,
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

static void
poll_settings (guint *interval_ms,
               guint *attempts)
{
  *interval_ms = env_number ("SOCIALDESK_POLL_INTERVAL_MS", DEFAULT_POLL_INTERVAL);
  *attempts = MAX (env_number ("SOCIALDESK_POLL_ATTEMPTS", DEFAULT_POLL_ATTEMPTS), 1);
}

/* Init calls: TikTok allows SD_TIKTOK_INITS_PER_MINUTE per access token.
 * Counted process-wide (a sync pass makes its own provider) in a sliding
 * minute, keyed by the token's digest so no token is kept here. */

G_LOCK_DEFINE_STATIC (init_calls);
static GHashTable *init_calls; /* SHA-256 of a token → GArray of gint64 (monotonic µs) */

static void
forget_old_calls (GArray *calls,
                  gint64  now)
{
  guint old = 0;

  while (old < calls->len && g_array_index (calls, gint64, old) <= now - INIT_WINDOW_USEC)
    old++;
  if (old > 0)
    g_array_remove_range (calls, 0, old);
}

static gboolean
calls_are_over (gpointer key,
                gpointer value,
                gpointer user_data)
{
  GArray *calls = value;

  forget_old_calls (calls, *(gint64 *) user_data);
  return calls->len == 0;
}

static gint64
window_wait (GArray *calls,
             gint64  now)
{
  gint64 usec = g_array_index (calls, gint64, 0) + INIT_WINDOW_USEC - now;

  return MAX ((usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);
}

/* FALSE, with *wait the seconds until one is free, when the minute's init
 * calls are spent; else counts one and sets *wait to the pause the account
 * should take after it (0 while calls remain). */
static gboolean
take_init_call (const char *token,
                gint64     *wait)
{
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token != NULL ? token : "", -1);
  gint64 now = g_get_monotonic_time ();
  gboolean taken = FALSE;
  GArray *calls;

  G_LOCK (init_calls);
  if (init_calls == NULL)
    init_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  g_hash_table_foreach_remove (init_calls, calls_are_over, &now);
  calls = g_hash_table_lookup (init_calls, key);
  if (calls == NULL)
    {
      calls = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (init_calls, g_steal_pointer (&key), calls);
    }
  if (calls->len < SD_TIKTOK_INITS_PER_MINUTE)
    {
      g_array_append_val (calls, now);
      taken = TRUE;
    }
  *wait = calls->len >= SD_TIKTOK_INITS_PER_MINUTE ? window_wait (calls, now) : 0;
  G_UNLOCK (init_calls);
  return taken;
}

/* Talking to TikTok */

static SoupMessage *
api_message (const SdPublishContext *ctx,
             const char             *method,
             const char             *path)
{
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_TIKTOK, path);
  SoupMessage *msg = soup_message_new (method, url);

  g_return_val_if_fail (msg != NULL, NULL);
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

static void
set_json_body (SoupMessage *msg,
               JsonBuilder *builder)
{
  g_autoptr(JsonNode) body = json_builder_get_root (builder);

  sd_http_set_json_body (msg, body);
}

/* Sends @msg and reads TikTok's envelope: {"data": {…}, "error": {"code",
 * "message", "log_id"}}; "code" other than "ok" is a failure even on a 2xx.
 * On DONE, *root_out holds the parsed answer. Otherwise *code_out and
 * *words_out (when given) hold the error's code and TikTok's own words. */
static SdOutcome
call (const SdPublishContext *ctx,
      SoupMessage            *msg,
      GCancellable           *cancellable,
      JsonNode              **root_out,
      char                  **code_out,
      char                  **words_out,
      SdProviderStatus       *status)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;
  const char *code;
  const char *message;
  const char *words;
  SdOutcome outcome;

  body = sd_http_send (ctx->session, msg, cancellable, status);
  if (body == NULL)
    return status->outcome;

  outcome = sd_http_classify (msg, status);
  root = sd_http_parse_json (body, NULL);
  error = sd_http_json_object_member (sd_http_json_node_object (root), "error");
  code = sd_http_json_string (error, "code");
  message = sd_http_json_string (error, "message");
  words = message != NULL && *message != '\0' ? message : code;
  g_debug ("%s %s → %u %s (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           code != NULL ? code : "-", sd_outcome_to_string (outcome));

  if (outcome == SD_OUTCOME_DONE && (code == NULL || g_strcmp0 (code, "ok") == 0))
    {
      if (root_out != NULL)
        *root_out = g_steal_pointer (&root);
      return outcome;
    }

  if (g_strcmp0 (code, "access_token_invalid") == 0
      || g_strcmp0 (code, "scope_not_authorized") == 0
      || g_strcmp0 (code, "scope_permission_missed") == 0)
    outcome = SD_OUTCOME_AUTH;
  else if (g_strcmp0 (code, "rate_limit_exceeded") == 0 || status->http_status == 429)
    outcome = SD_OUTCOME_RETRY;
  else if (outcome == SD_OUTCOME_DONE)
    outcome = SD_OUTCOME_FAILED;

  switch (outcome)
    {
    case SD_OUTCOME_AUTH:
      sd_provider_status_set (status, outcome,
                              /* Translators: %s is TikTok's own words. */
                              _("TikTok no longer accepts this account’s sign-in: “%s”."),
                              words != NULL ? words : "access_token_invalid");
      break;
    case SD_OUTCOME_RETRY:
      if (status->http_status == 429 || g_strcmp0 (code, "rate_limit_exceeded") == 0)
        {
          if (status->retry_after <= 0)
            status->retry_after = RATE_LIMIT_WAIT;
          sd_provider_status_set (status, outcome,
                                  /* Translators: %s is TikTok's own words. */
                                  _("TikTok asked SocialDesk to slow down: “%s”."),
                                  words != NULL ? words : "rate_limit_exceeded");
        }
      break;
    case SD_OUTCOME_FAILED:
      if (words != NULL)
        sd_provider_status_set (status, outcome,
                                /* Translators: %s is TikTok's own words. */
                                _("TikTok refused the request: “%s”."), words);
      break;
    default:
      break;
    }

  if (code_out != NULL)
    *code_out = g_strdup (code);
  if (words_out != NULL)
    *words_out = g_strdup (words);
  return outcome;
}

static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   SdOutcome         outcome,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, outcome,
                                 /* Translators: %s is the path of an address. */
                                 _("TikTok’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

/* Publish status */

typedef enum
{
  PUBLISH_PROCESSING,
  PUBLISH_UPLOAD_INCOMPLETE,  /* fewer bytes arrived than the video has: it can never post */
  PUBLISH_COMPLETE,
  PUBLISH_IN_INBOX,           /* SEND_TO_USER_INBOX: the person finishes it in the app */
  PUBLISH_FAILED,
  PUBLISH_UNKNOWN,            /* TikTok does not know the publish id */
} PublishState;

typedef struct
{
  PublishState  state;
  char         *post_id;      /* the first of publicaly_available_post_id, when given */
  char         *fail_reason;
} PublishStatus;

static void
publish_status_clear (PublishStatus *publish)
{
  g_clear_pointer (&publish->post_id, g_free);
  g_clear_pointer (&publish->fail_reason, g_free);
}

static char *
id_from_node (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) != '\0')
    return g_strdup (json_node_get_string (node));
  return NULL;
}

/* publicaly_available_post_id is documented as an array (empty until
 * moderation ends, and for private posts); some answers give one value. */
static char *
read_post_id (JsonObject *data)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, "publicaly_available_post_id") : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      return json_array_get_length (array) > 0 ? id_from_node (json_array_get_element (array, 0)) : NULL;
    }
  return id_from_node (node);
}

/* One POST /v2/post/publish/status/fetch/. DONE when the status was read
 * (@publish filled); the call only reads, so a lost answer is RETRY.
 * @video_bytes: the video's size when it was uploaded by file (0 otherwise). */
static SdOutcome
fetch_status (const SdPublishContext *ctx,
              const char             *publish_id,
              gint64                  video_bytes,
              PublishStatus          *publish,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "POST", "/v2/post/publish/status/fetch/");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = NULL;
  JsonObject *data;
  JsonNode *uploaded;
  const char *state;
  SdOutcome outcome;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "publish_id");
  json_builder_add_string_value (builder, publish_id);
  json_builder_end_object (builder);
  set_json_body (msg, builder);

  outcome = call (ctx, msg, cancellable, &root, &code, NULL, status);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && (status->http_status == 400 || status->http_status == 404)
      && (g_strcmp0 (code, "invalid_params") == 0 || g_strcmp0 (code, "invalid_param") == 0
          || status->http_status == 404))
    {
      /* The publish id is not TikTok's (any more): nothing will come of it. */
      publish->state = PUBLISH_UNKNOWN;
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  state = sd_http_json_string (data, "status");
  if (state == NULL)
    return unreadable_answer (msg, SD_OUTCOME_RETRY, status);

  publish->post_id = read_post_id (data);
  publish->fail_reason = g_strdup (sd_http_json_string (data, "fail_reason"));
  uploaded = data != NULL ? json_object_get_member (data, "uploaded_bytes") : NULL;

  if (strcmp (state, "PUBLISH_COMPLETE") == 0)
    publish->state = PUBLISH_COMPLETE;
  else if (strcmp (state, "SEND_TO_USER_INBOX") == 0)
    publish->state = PUBLISH_IN_INBOX;
  else if (strcmp (state, "FAILED") == 0)
    publish->state = PUBLISH_FAILED;
  else if (strcmp (state, "PROCESSING_UPLOAD") == 0 && video_bytes > 0 && uploaded != NULL
           && json_node_get_value_type (uploaded) == G_TYPE_INT64
           && json_node_get_int (uploaded) < video_bytes)
    publish->state = PUBLISH_UPLOAD_INCOMPLETE;
  else
    publish->state = PUBLISH_PROCESSING; /* PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, or a new word */
  return SD_OUTCOME_DONE;
}

static void
set_remote (SdPublishPart *part,
            const char    *publish_id,
            const char    *post_id,
            const char    *username)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (post_id != NULL ? post_id : publish_id);
  g_free (part->remote_url);
  part->remote_url = post_id != NULL && username != NULL && *username != '\0'
                     ? g_strdup_printf ("https://www.tiktok.com/@%s/video/%s", username, post_id)
                     : NULL;
}

static const char *
account_username (const SdPublishContext *ctx)
{
  const char *handle = sd_account_get_handle (ctx->account);

  if (handle != NULL && handle[0] == '@')
    handle++;
  return handle;
}

/* Polls the publish until it ends or the poll budget is spent. *dead is set
 * when the publish can never post (failed, unknown, or an upload that
 * stopped short): the caller may start again only when @resuming; on a
 * fresh attempt a failure is the post's failure. *unread is set when the
 * status could not be read at all. */
static SdOutcome
wait_for_publish (const SdPublishContext *ctx,
                  SdPublishPart          *part,
                  const char             *publish_id,
                  gint64                  video_bytes,
                  const char             *username,
                  gboolean                resuming,
                  gboolean               *dead,
                  gboolean               *unread,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  guint interval_ms, attempts;

  *dead = FALSE;
  if (unread != NULL)
    *unread = FALSE;
  poll_settings (&interval_ms, &attempts);

  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      PublishStatus publish = { 0 };
      SdOutcome outcome;

      if (attempt > 0 && !sleep_cancellable ((gint64) interval_ms * 1000, cancellable))
        return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Sending was cancelled."));

      outcome = fetch_status (ctx, publish_id, video_bytes, &publish, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        {
          if (unread != NULL)
            *unread = TRUE;
          publish_status_clear (&publish);
          return outcome;
        }

      switch (publish.state)
        {
        case PUBLISH_COMPLETE:
          set_remote (part, publish_id, publish.post_id, username);
          publish_status_clear (&publish);
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);

        case PUBLISH_IN_INBOX:
          /* Not a Direct Post outcome, but the content is with the person:
           * sending it again would make a second one. */
          set_remote (part, publish_id, NULL, NULL);
          publish_status_clear (&publish);
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);

        case PUBLISH_FAILED:
          *dead = TRUE;
          sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                  /* Translators: %s is TikTok's reason, such as "file_format_check_failed". */
                                  _("TikTok could not publish the post: “%s”."),
                                  publish.fail_reason != NULL ? publish.fail_reason : "FAILED");
          publish_status_clear (&publish);
          return SD_OUTCOME_FAILED;

        case PUBLISH_UNKNOWN:
          *dead = TRUE;
          publish_status_clear (&publish);
          return sd_provider_status_set (status, resuming ? SD_OUTCOME_RETRY : SD_OUTCOME_UNCERTAIN,
                                         _("TikTok no longer knows the post SocialDesk started."));

        case PUBLISH_UPLOAD_INCOMPLETE:
          if (resuming)
            {
              *dead = TRUE;
              publish_status_clear (&publish);
              return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                             _("The video’s upload to TikTok stopped before it ended."));
            }
          break;

        case PUBLISH_PROCESSING:
        default:
          break;
        }
      publish_status_clear (&publish);
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("TikTok is still processing the post; SocialDesk will check again later."));
}

/* The post's media */

typedef enum
{
  POST_VIDEO,
  POST_PHOTOS,
} PostKind;

static SdOutcome
check_media (const SdPublishPart *part,
             PostKind            *kind,
             SdProviderStatus    *status)
{
  guint n_videos = 0;

  for (guint i = 0; i < part->media->len; i++)
    if (sd_publish_media_is_video (g_ptr_array_index (part->media, i)))
      n_videos++;

  if (part->media->len == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A TikTok post needs a video or at least one photo."));
  if (n_videos > 0 && part->media->len > 1)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A TikTok post holds either one video or photos, not both or several videos."));
  if (n_videos == 0 && part->media->len > MAX_PHOTOS)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %d is the most photos TikTok takes (35). */
                                   _("A TikTok post holds at most %d photos."), MAX_PHOTOS);
  if (n_videos == 0)
    for (guint i = 0; i < part->media->len; i++)
      {
        const SdPublishMedia *media = g_ptr_array_index (part->media, i);

        if (media->public_url == NULL || *media->public_url == '\0')
          {
            g_autofree char *basename = g_path_get_basename (media->path);

            return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                           /* Translators: %s is a file name. */
                                           _("TikTok takes photos only from a public web address it can fetch, and “%s” has none. Give the photos a public address (on a domain verified for the TikTok app)."),
                                           basename);
          }
      }

  *kind = n_videos > 0 ? POST_VIDEO : POST_PHOTOS;
  return SD_OUTCOME_DONE;
}

/* The creator's settings (creator_info/query) */

typedef struct
{
  GPtrArray *privacy_options;
  gboolean   comment_disabled;
  gboolean   duet_disabled;
  gboolean   stitch_disabled;
  gint64     max_video_seconds;
  char      *username;
} CreatorInfo;

static void
creator_info_clear (CreatorInfo *info)
{
  g_clear_pointer (&info->privacy_options, g_ptr_array_unref);
  g_clear_pointer (&info->username, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CreatorInfo, creator_info_clear)

static SdOutcome
query_creator (const SdPublishContext *ctx,
               CreatorInfo            *info,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "POST", "/v2/post/publish/creator_info/query/");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  JsonObject *data;
  JsonNode *options;
  JsonNode *seconds;
  SdOutcome outcome;

  /* The reference shows an empty body with a JSON content type. */
  soup_message_set_request_body_from_bytes (msg, "application/json; charset=UTF-8", empty);
  outcome = call (ctx, msg, cancellable, &root, NULL, &words, status);
  /* It changes nothing: asking again is harmless. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    sd_provider_status_set (status, outcome,
                            /* Translators: %s is TikTok's own words. */
                            _("TikTok does not let this account post now: “%s”."), words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  options = data != NULL ? json_object_get_member (data, "privacy_level_options") : NULL;
  if (options == NULL || !JSON_NODE_HOLDS_ARRAY (options))
    return unreadable_answer (msg, SD_OUTCOME_RETRY, status);

  info->privacy_options = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (options)); i++)
    {
      JsonNode *option = json_array_get_element (json_node_get_array (options), i);

      if (JSON_NODE_HOLDS_VALUE (option) && json_node_get_value_type (option) == G_TYPE_STRING)
        g_ptr_array_add (info->privacy_options, g_strdup (json_node_get_string (option)));
    }
  info->comment_disabled = member_boolean (data, "comment_disabled");
  info->duet_disabled = member_boolean (data, "duet_disabled");
  info->stitch_disabled = member_boolean (data, "stitch_disabled");
  seconds = json_object_get_member (data, "max_video_post_duration_sec");
  info->max_video_seconds = seconds != NULL && json_node_get_value_type (seconds) == G_TYPE_INT64
                            ? json_node_get_int (seconds) : 0;
  info->username = g_strdup (sd_http_json_string (data, "creator_username"));
  return SD_OUTCOME_DONE;
}

static gboolean
has_option (GPtrArray  *options,
            const char *value)
{
  for (guint i = 0; i < options->len; i++)
    if (g_strcmp0 (g_ptr_array_index (options, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* An interaction is allowed when the variant says "true", or says nothing
 * and the creator has not turned it off; never when the creator has. */
static gboolean
interaction_disabled (const SdPublishContext *ctx,
                      const char             *option,
                      gboolean                creator_disabled)
{
  const char *value = sd_publish_context_get_option (ctx, option);

  if (creator_disabled)
    return TRUE;
  if (value == NULL || *value == '\0')
    return FALSE;
  return g_ascii_strcasecmp (value, "true") != 0;
}

static void
add_boolean (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* A photo post's title: the variant's title option, or the text's first
 * line cut at PHOTO_TITLE_MAX characters (TikTok cuts longer ones itself). */
static char *
photo_title (const SdPublishContext *ctx,
             const char             *text)
{
  const char *option = sd_publish_context_get_option (ctx, SD_OPTION_TITLE);
  const char *source = option != NULL && *option != '\0' ? option : (text != NULL ? text : "");
  const char *newline = strchr (source, '\n');
  g_autofree char *line = newline != NULL ? g_strndup (source, newline - source) : g_strdup (source);
  glong length = g_utf8_strlen (line, -1);

  if (length <= PHOTO_TITLE_MAX)
    return g_steal_pointer (&line);
  return g_utf8_substring (line, 0, PHOTO_TITLE_MAX);
}

/* Starting a publish */

/* The init call's answer: data.publish_id (+ data.upload_url for a file). */
static SdOutcome
send_init (const SdPublishContext *ctx,
           const char             *path,
           JsonBuilder            *builder,
           gboolean                pulls_now,
           char                  **publish_id,
           char                  **upload_url,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (ctx, "POST", path);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  JsonObject *data;
  const char *id;
  const char *url;
  SdOutcome outcome;

  set_json_body (msg, builder);
  outcome = call (ctx, msg, cancellable, &root, NULL, &words, status);
  /* A video init whose answer was lost made at most a publish waiting for
   * an upload that never comes: nothing is posted, sending again is safe.
   * Photos are fetched and posted from the init alone. */
  if (outcome == SD_OUTCOME_UNCERTAIN && !pulls_now)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && words != NULL)
    sd_provider_status_set (status, outcome,
                            /* Translators: %s is TikTok's own words. */
                            _("TikTok refused the post: “%s”."), words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  data = sd_http_json_object_member (sd_http_json_node_object (root), "data");
  id = sd_http_json_string (data, "publish_id");
  url = sd_http_json_string (data, "upload_url");
  if (id == NULL || *id == '\0' || (upload_url != NULL && (url == NULL || *url == '\0')))
    return unreadable_answer (msg, pulls_now ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY, status);

  *publish_id = g_strdup (id);
  if (upload_url != NULL)
    *upload_url = g_strdup (url);
  return SD_OUTCOME_DONE;
}

static void
begin_post_info (JsonBuilder            *builder,
                 const SdPublishContext *ctx,
                 const char             *privacy,
                 const CreatorInfo      *creator)
{
  json_builder_set_member_name (builder, "post_info");
  json_builder_begin_object (builder);
  add_string (builder, "privacy_level", privacy);
  add_boolean (builder, "disable_comment",
               interaction_disabled (ctx, SD_OPTION_ALLOW_COMMENT, creator->comment_disabled));
}

static void
chunking (gint64  size,
          gint64 *chunk_size,
          gint64 *n_chunks)
{
  *chunk_size = MIN (CHUNK_BYTES, MAX (size, 1));
  *n_chunks = MAX (size / *chunk_size, 1);
}

static SdOutcome
upload_video (const SdPublishContext *ctx,
              const SdPublishMedia   *media,
              GBytes                 *video,
              const char             *upload_url,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  gint64 size = (gint64) g_bytes_get_size (video);
  gint64 chunk_size, n_chunks;

  chunking (size, &chunk_size, &n_chunks);

  for (gint64 i = 0; i < n_chunks; i++)
    {
      gint64 first = i * chunk_size;
      gint64 end = i + 1 == n_chunks ? size : first + chunk_size;
      g_autoptr(SoupMessage) msg = soup_message_new ("PUT", upload_url);
      g_autoptr(GBytes) chunk = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *range = NULL;
      g_autofree char *words = NULL;
      SdOutcome outcome;

      if (msg == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("TikTok gave an upload address SocialDesk cannot use."));
      chunk = g_bytes_new_from_bytes (video, (gsize) first, (gsize) (end - first));
      range = g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                               first, end - 1, size);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Range", range);
      /* libsoup sends an idempotent method (PUT) again by itself when a
       * reused connection drops before the answer; a chunk the server took
       * would then be refused as out of place, hiding that the upload
       * ended. On a connection of its own it is never re-sent. */
      soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
      /* The upload address carries its own token: no Authorization. */
      soup_message_set_request_body_from_bytes (msg, media->mime_type != NULL ? media->mime_type : "video/mp4",
                                                chunk);

      body = sd_http_send (ctx->session, msg, cancellable, status);
      outcome = body != NULL ? sd_http_classify (msg, status) : status->outcome;
      g_debug ("PUT chunk %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " → %u (%s)", i + 1, n_chunks,
               status->http_status, sd_outcome_to_string (outcome));
      /* Only the last chunk can complete the upload (and so the post). */
      if (outcome == SD_OUTCOME_UNCERTAIN && i + 1 < n_chunks)
        return reclassify (status, SD_OUTCOME_RETRY);
      if (outcome == SD_OUTCOME_FAILED)
        {
          JsonObject *error;

          root = body != NULL ? sd_http_parse_json (body, NULL) : NULL;
          error = sd_http_json_object_member (sd_http_json_node_object (root), "error");
          words = g_strdup (sd_http_json_string (error, "message"));
          if (words == NULL || *words == '\0')
            {
              g_free (words);
              words = g_strdup (sd_http_json_string (error, "code"));
            }
          if (words != NULL)
            sd_provider_status_set (status, outcome,
                                    /* Translators: %s is TikTok's own words. */
                                    _("TikTok did not take the video: “%s”."), words);
        }
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }
  return SD_OUTCOME_DONE;
}

static SdOutcome
load_video (const SdPublishMedia *media,
            GBytes              **video,
            SdProviderStatus     *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (media->path, FALSE, &error);
  g_autofree char *basename = g_path_get_basename (media->path);

  if (mapped == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is a file name, then the reason. */
                                   _("Could not read the attached file “%s”: %s"),
                                   basename, error->message);
  if (g_mapped_file_get_length (mapped) == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is a file name. */
                                   _("The attached file “%s” is empty."), basename);
  /* Mapped, not read: chunks are paged in as they are sent. */
  *video = g_mapped_file_get_bytes (mapped);
  return SD_OUTCOME_DONE;
}

static SdOutcome
keep_stage (const SdPublishContext *ctx,
            SdPublishPart          *part,
            const char             *stage,
            SdProviderStatus       *status)
{
  g_autoptr(GError) error = NULL;

  if (sd_publish_context_set_stage (ctx, part, stage, &error))
    return SD_OUTCOME_DONE;
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 /* Translators: %s is the reason. */
                                 _("Could not keep the post’s progress: %s"), error->message);
}

static char *
privacy_choices (GPtrArray *options)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < options->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (options, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static SdOutcome
start_publish (const SdPublishContext *ctx,
               SdPublishPart          *part,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  const char *privacy = sd_publish_context_get_option (ctx, SD_OPTION_PRIVACY);
  g_auto(CreatorInfo) creator = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) video = NULL;
  g_autofree char *publish_id = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *stage = NULL;
  const SdPublishMedia *media;
  const char *username;
  PostKind kind = POST_VIDEO;
  gint64 spent_wait = 0;
  gboolean dead = FALSE;
  SdOutcome outcome;

  if (check_media (part, &kind, status) != SD_OUTCOME_DONE)
    return status->outcome;
  if (privacy == NULL || *privacy == '\0')
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("TikTok needs an explicit choice of who may see the post: choose one in the post’s TikTok options."));
  media = g_ptr_array_index (part->media, 0);
  if (kind == POST_VIDEO && load_video (media, &video, status) != SD_OUTCOME_DONE)
    return status->outcome;

  outcome = query_creator (ctx, &creator, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (!has_option (creator.privacy_options, privacy))
    {
      g_autofree char *choices = privacy_choices (creator.privacy_options);

      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     /* Translators: the first %s is a privacy level such as
                                      * PUBLIC_TO_EVERYONE, the second the list TikTok allows. */
                                     _("TikTok does not let this account post as “%s”; choose one of %s."),
                                     privacy, choices);
    }
  username = creator.username != NULL ? creator.username : account_username (ctx);

  if (!take_init_call (ctx->credentials != NULL ? ctx->credentials->access_token : NULL, &spent_wait))
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %d is a number of posts (6). */
                              _("TikTok takes at most %d new posts a minute from an account; SocialDesk waits before sending this one."),
                              SD_TIKTOK_INITS_PER_MINUTE);
      status->retry_after = spent_wait;
      return SD_OUTCOME_RETRY;
    }

  json_builder_begin_object (builder);
  begin_post_info (builder, ctx, privacy, &creator);
  if (kind == POST_VIDEO)
    {
      gint64 size = (gint64) g_bytes_get_size (video);
      gint64 chunk_size, n_chunks;

      chunking (size, &chunk_size, &n_chunks);
      add_string (builder, "title", part->text != NULL ? part->text : "");
      add_boolean (builder, "disable_duet", interaction_disabled (ctx, SD_OPTION_ALLOW_DUET, creator.duet_disabled));
      add_boolean (builder, "disable_stitch", interaction_disabled (ctx, SD_OPTION_ALLOW_STITCH, creator.stitch_disabled));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "source_info");
      json_builder_begin_object (builder);
      add_string (builder, "source", "FILE_UPLOAD");
      add_int (builder, "video_size", size);
      add_int (builder, "chunk_size", chunk_size);
      add_int (builder, "total_chunk_count", n_chunks);
      json_builder_end_object (builder);
    }
  else
    {
      g_autofree char *title = photo_title (ctx, part->text);

      add_string (builder, "title", title);
      add_string (builder, "description", part->text != NULL ? part->text : "");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "source_info");
      json_builder_begin_object (builder);
      add_string (builder, "source", "PULL_FROM_URL");
      json_builder_set_member_name (builder, "photo_images");
      json_builder_begin_array (builder);
      for (guint i = 0; i < part->media->len; i++)
        json_builder_add_string_value (builder, ((SdPublishMedia *) g_ptr_array_index (part->media, i))->public_url);
      json_builder_end_array (builder);
      add_int (builder, "photo_cover_index", 0);
      json_builder_end_object (builder);
      add_string (builder, "post_mode", "DIRECT_POST");
      add_string (builder, "media_type", "PHOTO");
    }
  json_builder_end_object (builder);

  outcome = send_init (ctx,
                       kind == POST_VIDEO ? "/v2/post/publish/video/init/" : "/v2/post/publish/content/init/",
                       builder, kind == POST_PHOTOS, &publish_id,
                       kind == POST_VIDEO ? &upload_url : NULL, cancellable, status);
  if (outcome == SD_OUTCOME_DONE)
    {
      stage = g_strconcat (STAGE_PREFIX, publish_id, NULL);
      outcome = keep_stage (ctx, part, stage, status);
      /* A photo post is on its way whether or not the stage was kept. */
      if (outcome != SD_OUTCOME_DONE && kind == POST_PHOTOS)
        outcome = reclassify (status, SD_OUTCOME_UNCERTAIN);
    }
  if (outcome == SD_OUTCOME_DONE && kind == POST_VIDEO)
    outcome = upload_video (ctx, media, video, upload_url, cancellable, status);
  if (outcome == SD_OUTCOME_DONE)
    outcome = wait_for_publish (ctx, part, publish_id, kind == POST_VIDEO ? (gint64) g_bytes_get_size (video) : 0,
                                username, FALSE, &dead, NULL, cancellable, status);

  /* The minute's init calls are spent: pause the account before TikTok's 429. */
  status->retry_after = MAX (status->retry_after, spent_wait);
  return status->outcome = outcome;
}

static const char *
staged_publish_id (const SdPublishPart *part)
{
  if (part->stage == NULL || !g_str_has_prefix (part->stage, STAGE_PREFIX)
      || part->stage[strlen (STAGE_PREFIX)] == '\0')
    return NULL;
  return part->stage + strlen (STAGE_PREFIX);
}

static gint64
staged_video_bytes (const SdPublishPart *part)
{
  const SdPublishMedia *media = part->media->len == 1 ? g_ptr_array_index (part->media, 0) : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (media == NULL || !sd_publish_media_is_video (media))
    return 0;
  if (media->bytes > 0)
    return media->bytes;
  file = g_file_new_for_path (media->path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  return info != NULL ? g_file_info_get_size (info) : 0;
}

static SdOutcome
sd_tiktok_publish_part (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        SdPublishPart          *part,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  const char *staged = staged_publish_id (part);

  if (staged != NULL)
    {
      g_autofree char *publish_id = g_strdup (staged);
      gboolean dead = FALSE;
      SdOutcome outcome;

      outcome = wait_for_publish (ctx, part, publish_id, staged_video_bytes (part), account_username (ctx),
                                  TRUE, &dead, NULL, cancellable, status);
      if (!dead)
        return outcome;
      /* Nothing was posted from it: start again. */
      g_debug ("the staged publish can no longer post; starting again");
      if (keep_stage (ctx, part, NULL, status) != SD_OUTCOME_DONE)
        return status->outcome;
    }
  return start_publish (ctx, part, cancellable, status);
}

static gboolean
sd_tiktok_resend_is_safe (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          const SdPublishPart    *part)
{
  /* No idempotency key: find_part decides. */
  return FALSE;
}

static SdOutcome
sd_tiktok_find_part (SdProvider             *provider,
                     const SdPublishContext *ctx,
                     SdPublishPart          *part,
                     GCancellable           *cancellable,
                     SdProviderStatus       *status)
{
  const char *staged = staged_publish_id (part);
  g_autofree char *publish_id = NULL;
  gboolean has_video = FALSE;
  gboolean dead = FALSE;
  gboolean unread = FALSE;
  SdOutcome outcome;

  for (guint i = 0; i < part->media->len; i++)
    has_video |= sd_publish_media_is_video (g_ptr_array_index (part->media, i));

  if (staged == NULL)
    {
      /* A video posts only after an upload, which starts only once the stage is kept. */
      if (has_video || part->media->len == 0)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on TikTok: it can be sent again."));
      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     _("Could not tell whether the photos reached TikTok: it took the request but its answer was lost, and TikTok offers no way to look the post up."));
    }

  publish_id = g_strdup (staged);
  outcome = wait_for_publish (ctx, part, publish_id, staged_video_bytes (part), account_username (ctx),
                              TRUE, &dead, &unread, cancellable, status);
  if (dead)
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("The post is not on TikTok: it can be sent again."));
  if (unread && outcome != SD_OUTCOME_AUTH)
    return reclassify (status, SD_OUTCOME_UNCERTAIN);
  /* DONE, AUTH, or RETRY while TikTok is still processing: publish_part
   * resumes from the stage and waits for it. */
  return outcome;
}

/* The account */

/* GET /v2/user/info/: data.user. username needs the user.info.profile
 * scope, which SocialDesk may not have been granted: without it, asked
 * again without the username. */
static SdOutcome
read_user (const SdPublishContext *ctx,
           JsonNode              **root_out,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  const char *paths[] = {
    "/v2/user/info/?fields=" USER_FIELDS ",username",
    "/v2/user/info/?fields=" USER_FIELDS,
  };
  SdOutcome outcome = SD_OUTCOME_FAILED;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SoupMessage) msg = api_message (ctx, "GET", paths[i]);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *code = NULL;
      JsonObject *user;

      outcome = call (ctx, msg, cancellable, &root, &code, NULL, status);
      if (outcome != SD_OUTCOME_DONE && g_strcmp0 (code, "scope_not_authorized") == 0 && i == 0)
        continue;
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      user = sd_http_json_object_member (sd_http_json_object_member (sd_http_json_node_object (root), "data"), "user");
      if (sd_http_json_string (user, "open_id") == NULL)
        return unreadable_answer (msg, SD_OUTCOME_RETRY, status);
      *root_out = g_steal_pointer (&root);
      return SD_OUTCOME_DONE;
    }
  return outcome;
}

static void
fill_account (SdAccount  *account,
              JsonObject *user)
{
  const char *username = sd_http_json_string (user, "username");
  const char *display_name = sd_http_json_string (user, "display_name");

  if (username != NULL && username[0] == '@')
    username++;
  sd_account_set_remote_id (account, sd_http_json_string (user, "open_id"));
  if (username != NULL && *username != '\0')
    sd_account_set_handle (account, username);
  sd_account_set_display_name (account, display_name != NULL && *display_name != '\0' ? display_name : username);
  sd_account_set_avatar_url (account, sd_http_json_string (user, "avatar_url"));
}

static JsonObject *
user_of (JsonNode *root)
{
  return sd_http_json_object_member (sd_http_json_object_member (sd_http_json_node_object (root), "data"), "user");
}

static SdOutcome
sd_tiktok_verify_account (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(CreatorInfo) creator = { 0 };
  SdOutcome outcome;

  outcome = read_user (ctx, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  fill_account (ctx->account, user_of (root));

  /* The creator's longest video, served by TikTok (best effort). */
  outcome = query_creator (ctx, &creator, cancellable, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome == SD_OUTCOME_DONE)
    {
      g_autofree char *limits = NULL;

      if (sd_account_get_handle (ctx->account) == NULL && creator.username != NULL)
        sd_account_set_handle (ctx->account, creator.username);
      if (creator.max_video_seconds > 0)
        {
          limits = g_strdup_printf ("{\"max_video_post_duration_sec\": %" G_GINT64_FORMAT "}",
                                    creator.max_video_seconds);
          sd_account_set_limits_json (ctx->account, limits);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_tiktok_list_identities (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           GPtrArray              *identities,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  SdOutcome outcome;

  outcome = read_user (ctx, &root, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  account = sd_account_new (SD_PLATFORM_TIKTOK);
  fill_account (account, user_of (root));
  credentials = sd_credentials_copy (ctx->credentials);
  /* The person signs in again when the refresh token (365 days) runs out. */
  sd_account_set_token_expires_at (account, credentials->refresh_expires_at > 0
                                            ? credentials->refresh_expires_at
                                            : credentials->expires_at);
  g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account),
                                                        g_steal_pointer (&credentials)));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_tiktok_refresh_credentials (SdProvider             *provider,
                               const SdPublishContext *ctx,
                               GCancellable           *cancellable,
                               SdProviderStatus       *status)
{
  return sd_oauth2_refresh (ctx->session, SD_PLATFORM_TIKTOK, ctx->credentials, cancellable, status);
}

static SdPlatform
sd_tiktok_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_TIKTOK;
}

static void
sd_tiktok_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_tiktok_get_platform;
  iface->publish_part = sd_tiktok_publish_part;
  iface->resend_is_safe = sd_tiktok_resend_is_safe;
  iface->find_part = sd_tiktok_find_part;
  iface->verify_account = sd_tiktok_verify_account;
  iface->list_identities = sd_tiktok_list_identities;
  iface->refresh_credentials = sd_tiktok_refresh_credentials;
  sd_tiktok_inbox_init (iface);
}

static void
sd_tiktok_class_init (SdTiktokClass *klass)
{
}

static void
sd_tiktok_init (SdTiktok *self)
{
}

SdTiktok *
sd_tiktok_new (void)
{
  return g_object_new (SD_TYPE_TIKTOK, NULL);
}
