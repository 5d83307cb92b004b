/* sd-facebook.c — Facebook Pages: feed posts, photos, videos and scheduled posts
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * The account is a Page: its remote id is the Page id and its access token a
 * Page token got from a long-lived user token (which the credentials keep as
 * their refresh token, to fetch the Page token again).
 *
 * Sources (developers.facebook.com/docs, stored copies): pages-api/posts
 * (POST /{page-id}/feed with message, published, scheduled_publish_time;
 * POST /{page-id}/photos; multi-photo posts through attached_media of photos
 * uploaded with published=false), graph-api/reference/page/scheduled_posts,
 * video-api (POST /{page-id}/videos, on graph-video.facebook.com),
 * facebook-login/guides/access-long-lived (fb_exchange_token; Page tokens
 * got from a long-lived user token have no expiry). The 10 minutes to six
 * months scheduling window is from Facebook's developer blog (2012).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-facebook"

#include "config.h"

#include "sd-facebook.h"
#include "sd-facebook-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"

#define MIN_SCHEDULE_AHEAD   600                  /* ten minutes */
#define MAX_SCHEDULE_AHEAD   (180 * 24 * 60 * 60) /* about six months */
#define FIND_CLOCK_SLACK     120
#define FIND_PAGE_LIMIT      "100"
#define MAX_PHOTOS           10                   /* unverified: what SocialDesk sends at most */
#define STAGE_PHOTOS         "photos:"
#define STAGE_SCHEDULED      "scheduled:"
#define GRAPH_ORIGIN         "https://graph.facebook.com"
#define GRAPH_VIDEO_ORIGIN   "https://graph-video.facebook.com"
#define WEB_ORIGIN           "https://www.facebook.com"

struct _SdFacebook
{
  GObject parent_instance;
};

static void sd_facebook_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdFacebook, sd_facebook, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_facebook_provider_init))

/* Talking to the Graph API */

static const char *
token_of (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

/* "/{escaped id}{rest}" */
static char *
id_path (const char *id,
         const char *rest)
{
  g_autofree char *escaped = g_uri_escape_string (id != NULL ? id : "", NULL, FALSE);

  return g_strconcat ("/", escaped, rest != NULL ? rest : "", NULL);
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

static gboolean
member_true (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The Graph error's code and subcode (0 when none). */
static void
error_codes (JsonNode *root,
             gint64   *code,
             gint64   *subcode)
{
  JsonObject *error = sd_http_json_object_member (sd_http_json_node_object (root), "error");

  *code = member_int (error, "code");
  *subcode = member_int (error, "error_subcode");
}

/* Sends @msg and classifies the answer with sd-graph (usage headers
 * included: status->retry_after keeps the longest wait any answer of this
 * call sequence asked for). *out gets the parsed body whatever the outcome
 * (NULL when there was none). */
static SdOutcome
call (const SdPublishContext *ctx,
      SoupMessage            *msg,
      GCancellable           *cancellable,
      JsonNode              **out,
      SdProviderStatus       *status)
{
  gint64 waited = status->retry_after;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  SdOutcome outcome;

  body = sd_http_send (ctx->session != NULL ? ctx->session : sd_http_get_session (), msg, cancellable, status);
  if (body == NULL)
    {
      status->retry_after = MAX (status->retry_after, waited);
      return status->outcome;
    }

  root = sd_http_parse_json (body, NULL);
  outcome = sd_graph_classify (msg, root, status);
  status->retry_after = MAX (status->retry_after, waited);
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));

  words = sd_graph_error_message (root);
  if (words != NULL && outcome == SD_OUTCOME_FAILED)
    /* Translators: %s is Facebook's own words. */
    sd_provider_status_set (status, outcome, _("Facebook refused the request: “%s”."), words);
  else if (words != NULL && outcome == SD_OUTCOME_AUTH)
    /* Translators: %s is Facebook's own words. */
    sd_provider_status_set (status, outcome, _("Facebook no longer accepts this Page’s sign-in: “%s”."), words);

  if (out != NULL)
    *out = g_steal_pointer (&root);
  return outcome;
}

/* A 2xx whose body cannot be read: for a write Facebook may have acted. */
static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   gboolean          writes,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 /* Translators: %s is an address path. */
                                 _("Facebook’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

/* Not there (any more): HTTP 404, or Graph's "Object with ID … does not exist" (100/33). */
static gboolean
is_gone (SdOutcome         outcome,
         SdProviderStatus *status,
         JsonNode         *root)
{
  gint64 code, subcode;

  if (outcome != SD_OUTCOME_FAILED)
    return FALSE;
  error_codes (root, &code, &subcode);
  return status->http_status == 404 || (code == 100 && subcode == 33);
}

static const char *
page_id_of (const SdPublishContext *ctx)
{
  const char *id = sd_account_get_remote_id (ctx->account);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

/* Text as both sides compare it: newlines unified, outer whitespace gone. */
static char *
comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

/* Facebook's permalinks may be relative ("/page/videos/1/"). */
static char *
absolute_url (const char *url)
{
  if (url == NULL || url[0] == '\0')
    return NULL;
  if (url[0] == '/')
    return g_strconcat (WEB_ORIGIN, url, NULL);
  return g_strdup (url);
}

/* Fills part->remote_url from GET /{id}?fields=permalink_url; a post made
 * stays made when this fails, with Facebook's plain address for the id. */
static void
read_permalink (const SdPublishContext *ctx,
                SdPublishPart          *part,
                GCancellable           *cancellable)
{
  g_autofree char *path = id_path (part->remote_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "permalink_url", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  SdProviderStatus status = { 0 };
  const char *url = NULL;

  if (call (ctx, msg, cancellable, &root, &status) == SD_OUTCOME_DONE)
    url = sd_http_json_string (sd_http_json_node_object (root), "permalink_url");
  g_free (part->remote_url);
  part->remote_url = url != NULL ? absolute_url (url) : g_strconcat (WEB_ORIGIN "/", part->remote_id, NULL);
  sd_provider_status_clear (&status);
}

/* Media */

static GBytes *
map_file (const SdPublishMedia *media,
          SdProviderStatus     *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (media->path, FALSE, &error);
  g_autofree char *basename = g_path_get_basename (media->path);

  if (mapped == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              /* Translators: %s is a file name, then the system's words. */
                              _("Could not read the attached file “%s”: %s"), basename, error->message);
      return NULL;
    }
  /* Mapped, not read: a large video is paged in as it is sent. */
  return g_mapped_file_get_bytes (mapped);
}

/* The Page's uploads of videos go to graph-video.facebook.com (not when a
 * test points the network elsewhere). */
static char *
video_url (const char *page_id)
{
  g_autofree char *path = id_path (page_id, "/videos");
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_FACEBOOK, path);

  if (g_str_has_prefix (url, GRAPH_ORIGIN "/"))
    return g_strconcat (GRAPH_VIDEO_ORIGIN, url + strlen (GRAPH_ORIGIN), NULL);
  return g_steal_pointer (&url);
}

static void
add_schedule_fields (SoupMultipart *multipart,
                     GHashTable    *form,
                     gint64         scheduled_at)
{
  g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, scheduled_at);

  if (multipart != NULL)
    {
      soup_multipart_append_form_string (multipart, "published", "false");
      soup_multipart_append_form_string (multipart, "scheduled_publish_time", when);
    }
  if (form != NULL)
    {
      g_hash_table_insert (form, g_strdup ("published"), g_strdup ("false"));
      g_hash_table_insert (form, g_strdup ("scheduled_publish_time"), g_steal_pointer (&when));
    }
}

/* POST /{page-id}/photos or /videos with the file as "source".
 * @caption: the post's text (NULL for a photo staged for a multi-photo post,
 * which is uploaded unpublished). *id_out: the post's id (photos answer
 * {id, post_id}; videos {id}). */
static SdOutcome
upload_media (const SdPublishContext *ctx,
              const SdPublishMedia   *media,
              const char             *caption,
              gboolean                staged,
              gint64                  scheduled_at,
              char                  **id_out,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  gboolean video = sd_publish_media_is_video (media);
  g_autoptr(GBytes) bytes = map_file (media, status);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *basename = g_path_get_basename (media->path);
  g_autofree char *url = NULL;
  JsonObject *object;
  const char *id;
  SdOutcome outcome;

  if (bytes == NULL)
    return status->outcome;

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "source", basename,
                                   media->mime_type != NULL ? media->mime_type : "application/octet-stream",
                                   bytes);
  if (video)
    {
      url = video_url (page_id_of (ctx));
      if (caption != NULL)
        soup_multipart_append_form_string (multipart, "description", caption);
    }
  else
    {
      g_autofree char *path = id_path (page_id_of (ctx), "/photos");

      url = sd_network_api_url (SD_PLATFORM_FACEBOOK, path);
      if (caption != NULL)
        soup_multipart_append_form_string (multipart, "message", caption);
      /* Unverified: the Page Photo's alt_text_custom field. */
      if (media->alt_text != NULL && media->alt_text[0] != '\0')
        soup_multipart_append_form_string (multipart, "alt_text_custom", media->alt_text);
    }
  if (staged)
    {
      soup_multipart_append_form_string (multipart, "published", "false");
      /* A photo for a post the Page schedules must be temporary (pages-api/posts). */
      if (scheduled_at > 0)
        soup_multipart_append_form_string (multipart, "temporary", "true");
    }
  else if (scheduled_at > 0)
    add_schedule_fields (multipart, NULL, scheduled_at);

  msg = soup_message_new_from_multipart (url, multipart);
  g_return_val_if_fail (msg != NULL, SD_OUTCOME_FAILED);
  sd_http_set_bearer (msg, token_of (ctx));

  outcome = call (ctx, msg, cancellable, &root, status);
  /* A staged photo is unpublished: one more on a lost answer shows nowhere. */
  if (staged && outcome == SD_OUTCOME_UNCERTAIN)
    outcome = reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED)
    {
      g_autofree char *words = sd_graph_error_message (root);

      if (words != NULL)
        sd_provider_status_set (status, outcome,
                                /* Translators: %s is a file name, then Facebook's own words. */
                                _("Facebook did not accept the file “%s”: “%s”."), basename, words);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  object = sd_http_json_node_object (root);
  id = sd_http_json_string (object, "post_id");
  if (id == NULL || staged)
    id = sd_http_json_string (object, "id");
  if (id == NULL)
    return unreadable_answer (msg, !staged, status);
  *id_out = g_strdup (id);
  return SD_OUTCOME_DONE;
}

/* Posts */

/* "photos:1,2": the ids of the photos uploaded so far for a multi-photo post. */
static GPtrArray *
staged_photos (const SdPublishPart *part)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (part->stage != NULL && g_str_has_prefix (part->stage, STAGE_PHOTOS))
    {
      g_auto(GStrv) items = g_strsplit (part->stage + strlen (STAGE_PHOTOS), ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        if (items[i][0] != '\0')
          g_ptr_array_add (ids, g_strdup (items[i]));
    }
  return ids;
}

static gboolean
keep_stage (const SdPublishContext *ctx,
            SdPublishPart          *part,
            const char             *stage,
            SdProviderStatus       *status)
{
  g_autoptr(GError) error = NULL;

  if (sd_publish_context_set_stage (ctx, part, stage, &error))
    return TRUE;
  sd_provider_status_set (status, SD_OUTCOME_RETRY,
                          /* Translators: %s is the store's error. */
                          _("SocialDesk could not keep its progress on the post: %s"), error->message);
  return FALSE;
}

/* POST /{page-id}/feed with the text and (for several photos) attached_media. */
static SdOutcome
post_feed (const SdPublishContext *ctx,
           SdPublishPart          *part,
           GPtrArray              *photo_ids,
           gint64                  scheduled_at,
           char                  **id_out,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = id_path (page_id_of (ctx), "/feed");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *id;
  SdOutcome outcome;

  g_hash_table_insert (form, g_strdup ("message"), g_strdup (part->text));
  if (scheduled_at > 0)
    add_schedule_fields (NULL, form, scheduled_at);
  else
    g_hash_table_insert (form, g_strdup ("published"), g_strdup ("true"));
  for (guint i = 0; photo_ids != NULL && i < photo_ids->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "media_fbid");
      json_builder_add_string_value (builder, g_ptr_array_index (photo_ids, i));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      g_hash_table_insert (form, g_strdup_printf ("attached_media[%u]", i), json_to_string (node, FALSE));
    }

  msg = sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, token_of (ctx));
  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return unreadable_answer (msg, TRUE, status);
  *id_out = g_strdup (id);
  return SD_OUTCOME_DONE;
}

/* Publishes (@scheduled_at 0) or schedules the part; DONE fills remote_id. */
static SdOutcome
send_part (const SdPublishContext *ctx,
           SdPublishPart          *part,
           gint64                  scheduled_at,
           GCancellable           *cancellable,
           SdProviderStatus       *status)
{
  guint n_media = part->media->len;
  guint n_videos = 0;
  g_autofree char *id = NULL;
  SdOutcome outcome;

  if (page_id_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know which Facebook Page to publish to: sign in again and choose the Page."));
  if (ctx->parent != NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Facebook Pages take single posts, not threads."));
  for (guint i = 0; i < n_media; i++)
    if (sd_publish_media_is_video (g_ptr_array_index (part->media, i)))
      n_videos++;
  if (n_videos > 0 && n_media > 1)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("A Facebook post holds either photos or one video, not both or several videos."));
  if (n_media > MAX_PHOTOS)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %d is a number of photos. */
                                   _("SocialDesk sends at most %d photos in one Facebook post."), MAX_PHOTOS);

  if (n_media == 0)
    outcome = post_feed (ctx, part, NULL, scheduled_at, &id, cancellable, status);
  else if (n_media == 1)
    outcome = upload_media (ctx, g_ptr_array_index (part->media, 0), part->text, FALSE, scheduled_at,
                            &id, cancellable, status);
  else
    {
      g_autoptr(GPtrArray) photo_ids = staged_photos (part);

      /* Uploaded unpublished, each kept in the stage, so a later attempt goes on from there. */
      for (guint i = photo_ids->len; i < n_media; i++)
        {
          g_autofree char *photo_id = NULL;
          g_autofree char *joined = NULL;
          g_autofree char *stage = NULL;

          outcome = upload_media (ctx, g_ptr_array_index (part->media, i), NULL, TRUE, scheduled_at,
                                  &photo_id, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
          g_ptr_array_add (photo_ids, g_steal_pointer (&photo_id));
          g_ptr_array_add (photo_ids, NULL);
          joined = g_strjoinv (",", (char **) photo_ids->pdata);
          g_ptr_array_remove_index (photo_ids, photo_ids->len - 1);
          stage = g_strconcat (STAGE_PHOTOS, joined, NULL);
          if (!keep_stage (ctx, part, stage, status))
            return status->outcome;
        }
      outcome = post_feed (ctx, part, photo_ids, scheduled_at, &id, cancellable, status);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  g_free (part->remote_id);
  part->remote_id = g_steal_pointer (&id);
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_facebook_publish_part (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  SdOutcome outcome;
  gint64 wait;

  if (ctx->reply_to != NULL)
    return sd_facebook_inbox_reply (ctx, part, cancellable, status);
  outcome = send_part (ctx, part, 0, cancellable, status);
  wait = status->retry_after;
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  read_permalink (ctx, part, cancellable);
  sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  status->retry_after = wait;
  return SD_OUTCOME_DONE;
}

/* Facebook has no idempotency key: after a lost answer, look first. */
static gboolean
sd_facebook_resend_is_safe (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            const SdPublishPart    *part)
{
  return FALSE;
}

/* Finding a part */

static gboolean
post_matches (JsonObject *object,
              const char *wanted)
{
  g_autofree char *text = comparable_text (sd_http_json_string (object, "message"));

  return g_strcmp0 (text, wanted) == 0;
}

static void
take_found (SdPublishPart *part,
            JsonObject    *object)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (sd_http_json_string (object, "id"));
  g_free (part->remote_url);
  part->remote_url = absolute_url (sd_http_json_string (object, "permalink_url"));
}

/* Reads one listing of the Page (feed or scheduled_posts); *found: the
 * matching entry (borrowed from *root). */
static SdOutcome
search_listing (const SdPublishContext *ctx,
                const char             *edge,
                const char             *fields,
                gint64                  since,
                const char             *wanted,
                JsonNode              **root,
                JsonObject            **found,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *path = id_path (page_id_of (ctx), edge);
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *query = since > 0 ? soup_form_encode ("fields", fields, "limit", FIND_PAGE_LIMIT,
                                                         "since", since_text, NULL)
                                     : soup_form_encode ("fields", fields, "limit", FIND_PAGE_LIMIT, NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, token_of (ctx));
  JsonArray *data;
  SdOutcome outcome;

  *found = NULL;
  outcome = call (ctx, msg, cancellable, root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  data = sd_http_json_array_member (sd_http_json_node_object (*root), "data");
  if (data == NULL)
    return unreadable_answer (msg, FALSE, status);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *object = json_array_get_object_element (data, i);

      if (object != NULL && post_matches (object, wanted))
        {
          *found = object;
          break;
        }
    }
  return SD_OUTCOME_DONE;
}

/* A post whose id is known (scheduled by SocialDesk): published yet? */
static SdOutcome
check_known_post (const SdPublishContext *ctx,
                  SdPublishPart          *part,
                  const char             *id,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  g_autofree char *path = id_path (id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,is_published,permalink_url,scheduled_publish_time", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (is_gone (outcome, status, root))
    return SD_OUTCOME_RETRY; /* gone: look among the Page's posts */
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_AUTH ? outcome : reclassify (status, SD_OUTCOME_UNCERTAIN);

  object = sd_http_json_node_object (root);
  if (member_true (object, "is_published") || ctx->scheduled_at > 0)
    {
      g_free (part->remote_id);
      part->remote_id = g_strdup (id);
      g_free (part->remote_url);
      part->remote_url = member_true (object, "is_published")
                         ? absolute_url (sd_http_json_string (object, "permalink_url")) : NULL;
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  /* Held by Facebook's scheduler: it is there, so never send it again. */
  sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN, _("Facebook has not published the post yet."));
  status->retry_after = MAX (member_int (object, "scheduled_publish_time") - sd_time_now (), 0);
  return SD_OUTCOME_UNCERTAIN;
}

static SdOutcome
sd_facebook_find_part (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       SdPublishPart          *part,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  g_autofree char *wanted = comparable_text (part->text);
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(JsonNode) scheduled = NULL;
  JsonObject *found = NULL;
  SdOutcome outcome;

  if (page_id_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("SocialDesk does not know which Facebook Page to look at."));
  if (ctx->reply_to != NULL)
    return sd_facebook_inbox_find_reply (ctx, part, cancellable, status);

  /* Scheduled by SocialDesk: its id says whether Facebook published it. */
  if (part->stage != NULL && g_str_has_prefix (part->stage, STAGE_SCHEDULED))
    {
      outcome = check_known_post (ctx, part, part->stage + strlen (STAGE_SCHEDULED), cancellable, status);
      if (outcome != SD_OUTCOME_RETRY)
        return outcome;
    }

  outcome = search_listing (ctx, "/feed", "id,message,created_time,permalink_url", since, wanted,
                            &feed, &found, cancellable, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     /* Translators: %s is the reason. */
                                     _("Could not look at the Page’s recent posts: %s"), reason);
    }
  if (found != NULL)
    {
      take_found (part, found);
      g_debug ("found the part among the Page's posts");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  /* Not published: maybe held by Facebook's scheduler (a schedule whose answer was lost). */
  outcome = search_listing (ctx, "/scheduled_posts", "id,message,scheduled_publish_time,created_time",
                            0, wanted, &scheduled, &found, cancellable, status);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     _("Could not look at the Page’s scheduled posts: %s"), reason);
    }
  if (found != NULL)
    {
      if (ctx->scheduled_at > 0)
        {
          take_found (part, found);
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
      sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN, _("Facebook has not published the post yet."));
      status->retry_after = MAX (member_int (found, "scheduled_publish_time") - sd_time_now (), 0);
      return SD_OUTCOME_UNCERTAIN;
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The post is not on Facebook: it can be sent again."));
}

/* Server-side scheduling */

static gint64
sd_facebook_min_schedule_ahead (SdProvider *provider)
{
  return MIN_SCHEDULE_AHEAD;
}

static SdOutcome
refuse_far_schedule (gint64            scheduled_at,
                     SdProviderStatus *status)
{
  if (scheduled_at > sd_time_now () + MAX_SCHEDULE_AHEAD)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Facebook schedules posts at most six months ahead: choose an earlier time."));
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_facebook_schedule_part (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdPublishPart          *part,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autofree char *stage = NULL;
  SdOutcome outcome;

  if (refuse_far_schedule (ctx->scheduled_at, status) != SD_OUTCOME_DONE)
    return status->outcome;
  outcome = send_part (ctx, part, ctx->scheduled_at, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  /* Its id is the post's for good: find_part asks it whether it is out. */
  stage = g_strconcat (STAGE_SCHEDULED, part->remote_id, NULL);
  if (!keep_stage (ctx, part, stage, status))
    g_debug ("the scheduled post's stage was not kept: %s", status->message);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Whether Facebook already published the scheduled post @id: DONE with
 * *published set, or the lookup's outcome (FAILED with http_status 404
 * when it is gone). */
static SdOutcome
read_published (const SdPublishContext *ctx,
                const char             *id,
                gboolean               *published,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *path = id_path (id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "id,is_published", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (is_gone (outcome, status, root))
    {
      status->http_status = 404;
      return outcome;
    }
  if (outcome == SD_OUTCOME_DONE)
    *published = member_true (sd_http_json_node_object (root), "is_published");
  return outcome;
}

/* Already published: said the way the engine understands "the server no
 * longer holds it" (404), so it looks the post up instead of sending it
 * again or deleting it. */
static SdOutcome
already_published (SdProviderStatus *status,
                   SdOutcome         outcome)
{
  sd_provider_status_set (status, outcome, _("Facebook has already published this post."));
  status->http_status = 404;
  return outcome;
}

static SdOutcome
sd_facebook_reschedule (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        gint64                  scheduled_at,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = id_path (scheduled_id, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  gboolean published = FALSE;
  SdOutcome outcome;

  if (refuse_far_schedule (scheduled_at, status) != SD_OUTCOME_DONE)
    return status->outcome;
  outcome = read_published (ctx, scheduled_id, &published, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;
  if (published)
    return already_published (status, SD_OUTCOME_FAILED);

  g_hash_table_insert (form, g_strdup ("scheduled_publish_time"),
                       g_strdup_printf ("%" G_GINT64_FORMAT, scheduled_at));
  msg = sd_graph_form (SD_PLATFORM_FACEBOOK, path, form, token_of (ctx));
  outcome = call (ctx, msg, cancellable, NULL, status);
  /* Setting the same time twice does no harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  return outcome;
}

static SdOutcome
sd_facebook_unschedule (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autofree char *path = id_path (scheduled_id, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean published = FALSE;
  SdOutcome outcome;

  /* DELETE would remove a post already out: look first. */
  outcome = read_published (ctx, scheduled_id, &published, cancellable, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return reclassify (status, SD_OUTCOME_DONE);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;
  if (published)
    return already_published (status, SD_OUTCOME_DONE);

  msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "DELETE", path, TRUE, NULL, token_of (ctx));
  outcome = call (ctx, msg, cancellable, &root, status);
  if (is_gone (outcome, status, root))
    {
      status->http_status = 404;
      return reclassify (status, SD_OUTCOME_DONE);
    }
  /* Deleting twice is harmless: a lost answer can be retried. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  return outcome;
}

/* The Page */

static void
fill_page (SdAccount  *account,
           JsonObject *page)
{
  const char *id = sd_http_json_string (page, "id");
  const char *username = sd_http_json_string (page, "username");
  const char *name = sd_http_json_string (page, "name");
  JsonObject *picture = sd_http_json_object_member (sd_http_json_object_member (page, "picture"), "data");

  sd_account_set_remote_id (account, id);
  sd_account_set_handle (account, username != NULL && username[0] != '\0' ? username : id);
  sd_account_set_display_name (account, name != NULL && name[0] != '\0' ? name : id);
  sd_account_set_avatar_url (account, sd_http_json_string (picture, "url"));
}

static SdOutcome
sd_facebook_verify_account (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autofree char *query = soup_form_encode ("fields", "id,name,username,picture{url}", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", "/me", TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  JsonObject *page;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  page = sd_http_json_node_object (root);
  if (sd_http_json_string (page, "id") == NULL)
    return unreadable_answer (msg, FALSE, status);
  fill_page (ctx->account, page);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Whether the person may publish as the Page (tasks, when given, hold CREATE_CONTENT). */
static gboolean
may_publish (JsonObject *page)
{
  JsonArray *tasks = sd_http_json_array_member (page, "tasks");

  if (tasks == NULL)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    if (g_strcmp0 (json_array_get_string_element (tasks, i), "CREATE_CONTENT") == 0)
      return TRUE;
  return FALSE;
}

static SdOutcome
sd_facebook_list_identities (SdProvider             *provider,
                             const SdPublishContext *ctx,
                             GPtrArray              *identities,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  const SdCredentials *credentials = ctx->credentials;
  g_autofree char *exchange_query = NULL;
  g_autofree char *accounts_query = NULL;
  g_autoptr(SoupMessage) exchange = NULL;
  g_autoptr(SoupMessage) accounts = NULL;
  g_autoptr(JsonNode) token_root = NULL;
  g_autoptr(JsonNode) accounts_root = NULL;
  const char *user_token;
  gint64 expires_in;
  JsonArray *data;
  SdOutcome outcome;
  guint added = 0;

  if (credentials == NULL || credentials->access_token == NULL || credentials->client_id == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, _("The sign-in to Facebook did not finish. Sign in again."));

  /* The person's token lasts an hour or two: a long-lived one lasts about 60
   * days, and the Page tokens got with it do not expire. */
  exchange_query = soup_form_encode ("grant_type", "fb_exchange_token",
                                     "client_id", credentials->client_id,
                                     "client_secret", credentials->client_secret != NULL ? credentials->client_secret : "",
                                     "fb_exchange_token", credentials->access_token,
                                     NULL);
  exchange = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", "/oauth/access_token", TRUE, exchange_query, NULL);
  outcome = call (ctx, exchange, cancellable, &token_root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  user_token = sd_http_json_string (sd_http_json_node_object (token_root), "access_token");
  if (user_token == NULL)
    return unreadable_answer (exchange, FALSE, status);
  expires_in = member_int (sd_http_json_node_object (token_root), "expires_in");

  accounts_query = soup_form_encode ("fields", "id,name,username,access_token,picture{url},tasks",
                                     "limit", "100", NULL);
  accounts = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", "/me/accounts", TRUE, accounts_query, user_token);
  outcome = call (ctx, accounts, cancellable, &accounts_root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  data = sd_http_json_array_member (sd_http_json_node_object (accounts_root), "data");
  if (data == NULL)
    return unreadable_answer (accounts, FALSE, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *page = json_array_get_object_element (data, i);
      const char *page_token = sd_http_json_string (page, "access_token");
      SdAccount *account;
      SdCredentials *page_credentials;

      if (page == NULL || page_token == NULL || sd_http_json_string (page, "id") == NULL || !may_publish (page))
        continue;
      account = sd_account_new (SD_PLATFORM_FACEBOOK);
      fill_page (account, page);
      sd_account_set_token_expires_at (account, 0);

      page_credentials = sd_credentials_copy (credentials);
      g_free (page_credentials->access_token);
      page_credentials->access_token = g_strdup (page_token);
      page_credentials->expires_at = 0;
      g_free (page_credentials->refresh_token);
      page_credentials->refresh_token = g_strdup (user_token);
      page_credentials->refresh_expires_at = expires_in > 0 ? sd_time_now () + expires_in : 0;
      page_credentials->changed = FALSE;
      g_ptr_array_add (identities, sd_sign_in_identity_new (account, page_credentials));
      added++;
    }

  if (added == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("This Facebook account manages no Page SocialDesk may publish to."));
  g_debug ("%u Pages to choose from", added);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Gets the Page token again with the long-lived user token (GET /{page-id}?fields=access_token). */
static SdOutcome
sd_facebook_refresh_credentials (SdProvider             *provider,
                                 const SdPublishContext *ctx,
                                 GCancellable           *cancellable,
                                 SdProviderStatus       *status)
{
  SdCredentials *credentials = ctx->credentials;
  g_autofree char *path = NULL;
  g_autofree char *query = soup_form_encode ("fields", "access_token", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *token;
  SdOutcome outcome;

  if (credentials == NULL || credentials->refresh_token == NULL || page_id_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, _("The sign-in to Facebook has run out. Sign in again."));

  path = id_path (page_id_of (ctx), NULL);
  msg = sd_graph_message (SD_PLATFORM_FACEBOOK, "GET", path, TRUE, query, credentials->refresh_token);
  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH || outcome == SD_OUTCOME_FAILED)
    {
      g_autofree char *words = sd_graph_error_message (root);

      return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                     /* Translators: %s is Facebook's own words. */
                                     _("Facebook no longer accepts the sign-in: “%s”. Sign in again."),
                                     words != NULL ? words : _("no reason given"));
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  token = sd_http_json_string (sd_http_json_node_object (root), "access_token");
  if (token == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("Facebook gave no Page token: the account may no longer manage the Page. Sign in again."));

  g_free (credentials->access_token);
  credentials->access_token = g_strdup (token);
  credentials->expires_at = 0;
  credentials->changed = TRUE;
  g_debug ("renewed the Page token");
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdPlatform
sd_facebook_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_FACEBOOK;
}

static void
sd_facebook_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_facebook_get_platform;
  iface->publish_part = sd_facebook_publish_part;
  iface->resend_is_safe = sd_facebook_resend_is_safe;
  iface->find_part = sd_facebook_find_part;
  iface->min_schedule_ahead = sd_facebook_min_schedule_ahead;
  iface->schedule_part = sd_facebook_schedule_part;
  iface->reschedule = sd_facebook_reschedule;
  iface->unschedule = sd_facebook_unschedule;
  iface->verify_account = sd_facebook_verify_account;
  iface->list_identities = sd_facebook_list_identities;
  iface->refresh_credentials = sd_facebook_refresh_credentials;
  sd_facebook_inbox_init (iface);
}

static void
sd_facebook_class_init (SdFacebookClass *klass)
{
}

static void
sd_facebook_init (SdFacebook *self)
{
}

SdFacebook *
sd_facebook_new (void)
{
  return g_object_new (SD_TYPE_FACEBOOK, NULL);
}
