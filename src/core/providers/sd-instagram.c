/* sd-instagram.c — Instagram (Instagram API with Instagram Login): media containers
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * Instagram fetches every image and video from a public address: a part is
 * published in steps — a media container (for a carousel, one per item and
 * then the carousel's own), polled until Instagram has fetched and processed
 * it, then media_publish. Each container id is kept as the part's stage
 * before the next step, so a later attempt resumes: a container can be
 * published only once, and its status says PUBLISHED when it was.
 *
 * Sources (developers.facebook.com/docs/instagram-platform, stored copies):
 * content-publishing (POST /{ig-user-id}/media with image_url / video_url,
 * media_type REELS or CAROUSEL, is_carousel_item, children, caption,
 * alt_text; GET /{container}?fields=status_code; POST /{ig-user-id}/
 * media_publish with creation_id; GET /{ig-user-id}/content_publishing_limit),
 * instagram-api-with-instagram-login/business-login (ig_exchange_token,
 * ig_refresh_token, 60-day tokens), reference/ig-user/media.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-instagram"

#include "config.h"

#include "sd-instagram.h"
#include "sd-instagram-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"

#define MAX_CAROUSEL            10
#define FIND_CLOCK_SLACK        120
#define FIND_PAGE_LIMIT         "50"
#define LONG_LIVED_SECONDS      (60 * 24 * 60 * 60)
#define QUOTA_WAIT_SECONDS      3600
#define STAGE_CONTAINER         "container:"
#define STAGE_CHILDREN          "children:"
#define ERROR_PUBLISH_LIMIT     9        /* "Application request limit reached" on media_publish */
#define SUBCODE_PUBLISH_LIMIT   2207042  /* the 24-hour publishing limit (unverified number) */

struct _SdInstagram
{
  GObject parent_instance;
};

static void sd_instagram_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdInstagram, sd_instagram, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_instagram_provider_init))

/* Polling, shared by the tests: SOCIALDESK_POLL_INTERVAL_MS, SOCIALDESK_POLL_ATTEMPTS. */
static guint
env_number (const char *name,
            guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 number;
  char *end = NULL;

  if (value == NULL || *value == '\0')
    return fallback;
  number = g_ascii_strtoull (value, &end, 10);
  return end != value && *end == '\0' ? (guint) MIN (number, G_MAXUINT) : fallback;
}

static guint
poll_interval_ms (void)
{
  return env_number ("SOCIALDESK_POLL_INTERVAL_MS", 2000);
}

static guint
poll_attempts (void)
{
  return MAX (env_number ("SOCIALDESK_POLL_ATTEMPTS", 30), 1);
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

/* Talking to the Graph API */

static const char *
token_of (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

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

/* Sends @msg and classifies the answer with sd-graph (usage headers included;
 * status->retry_after keeps the longest wait asked for). *out gets the
 * parsed body whatever the outcome. */
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
  JsonObject *error;
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
  error = sd_http_json_object_member (sd_http_json_node_object (root), "error");
  if (outcome == SD_OUTCOME_FAILED
      && (member_int (error, "code") == ERROR_PUBLISH_LIMIT
          || member_int (error, "error_subcode") == SUBCODE_PUBLISH_LIMIT))
    {
      /* The day's publishing allowance is spent: nothing was made. */
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %s is Instagram's own words. */
                              _("Instagram’s publishing limit for the day is reached: “%s”."),
                              words != NULL ? words : "");
      status->retry_after = MAX (status->retry_after, QUOTA_WAIT_SECONDS);
      outcome = SD_OUTCOME_RETRY;
    }
  else if (words != NULL && outcome == SD_OUTCOME_FAILED)
    /* Translators: %s is Instagram's own words. */
    sd_provider_status_set (status, outcome, _("Instagram refused the request: “%s”."), words);
  else if (words != NULL && outcome == SD_OUTCOME_AUTH)
    /* Translators: %s is Instagram's own words. */
    sd_provider_status_set (status, outcome, _("Instagram no longer accepts this account’s sign-in: “%s”."), words);

  if (out != NULL)
    *out = g_steal_pointer (&root);
  return outcome;
}

static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   gboolean          writes,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 /* Translators: %s is an address path. */
                                 _("Instagram’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

static const char *
user_id_of (const SdPublishContext *ctx)
{
  const char *id = sd_account_get_remote_id (ctx->account);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

static char *
comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
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

/* Containers */

typedef enum
{
  CONTAINER_IN_PROGRESS,
  CONTAINER_FINISHED,
  CONTAINER_PUBLISHED,
  CONTAINER_DEAD,       /* ERROR: Instagram could not use the media */
  CONTAINER_EXPIRED,    /* not published within 24 hours: make a new one */
} ContainerState;

/* GET /{container}?fields=status_code,status. DONE with *state, or the call's outcome. */
static SdOutcome
read_container (const SdPublishContext *ctx,
                const char             *container,
                ContainerState         *state,
                char                  **words,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *path = id_path (container, NULL);
  g_autofree char *query = soup_form_encode ("fields", "status_code,status", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  const char *code;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  code = sd_http_json_string (sd_http_json_node_object (root), "status_code");
  if (g_strcmp0 (code, "FINISHED") == 0)
    *state = CONTAINER_FINISHED;
  else if (g_strcmp0 (code, "PUBLISHED") == 0)
    *state = CONTAINER_PUBLISHED;
  else if (g_strcmp0 (code, "ERROR") == 0)
    *state = CONTAINER_DEAD;
  else if (g_strcmp0 (code, "EXPIRED") == 0)
    *state = CONTAINER_EXPIRED;
  else if (g_strcmp0 (code, "IN_PROGRESS") == 0)
    *state = CONTAINER_IN_PROGRESS;
  else
    return unreadable_answer (msg, FALSE, status);
  if (words != NULL)
    {
      const char *said = sd_http_json_string (sd_http_json_node_object (root), "status");

      *words = g_strdup (said != NULL ? said : code);
    }
  return SD_OUTCOME_DONE;
}

/* Polls until the container leaves IN_PROGRESS, a bounded number of times. */
static SdOutcome
wait_for_container (const SdPublishContext *ctx,
                    const char             *container,
                    ContainerState         *state,
                    char                  **words,
                    GCancellable           *cancellable,
                    SdProviderStatus       *status)
{
  guint attempts = poll_attempts ();

  for (guint i = 0; i < attempts; i++)
    {
      SdOutcome outcome;

      if (i > 0 && !sleep_cancellable ((gint64) poll_interval_ms () * 1000, cancellable))
        return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Sending was cancelled."));
      g_clear_pointer (words, g_free);
      outcome = read_container (ctx, container, state, words, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;
      if (*state != CONTAINER_IN_PROGRESS)
        return SD_OUTCOME_DONE;
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("Instagram is still processing the media; SocialDesk will try again later."));
}

/* POST /{ig-user-id}/media for one item (or, with @children, the carousel). */
static SdOutcome
create_container (const SdPublishContext *ctx,
                  const SdPublishMedia   *media,
                  const char             *caption,
                  gboolean                carousel_item,
                  const char             *children,
                  char                  **id_out,
                  GCancellable           *cancellable,
                  SdProviderStatus       *status)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = id_path (user_id_of (ctx), "/media");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *id;
  SdOutcome outcome;

  if (children != NULL)
    {
      g_hash_table_insert (form, "media_type", "CAROUSEL");
      g_hash_table_insert (form, "children", (char *) children);
    }
  else if (sd_publish_media_is_video (media))
    {
      g_hash_table_insert (form, "media_type", carousel_item ? "VIDEO" : "REELS");
      g_hash_table_insert (form, "video_url", media->public_url);
    }
  else
    {
      g_hash_table_insert (form, "image_url", media->public_url);
      /* alt_text: images only; unverified for carousel items, so sent for single images. */
      if (!carousel_item && media->alt_text != NULL && media->alt_text[0] != '\0')
        g_hash_table_insert (form, "alt_text", media->alt_text);
    }
  if (carousel_item)
    g_hash_table_insert (form, "is_carousel_item", "true");
  else if (caption != NULL)
    g_hash_table_insert (form, "caption", (char *) caption);

  msg = sd_graph_form (SD_PLATFORM_INSTAGRAM, path, form, token_of (ctx));
  outcome = call (ctx, msg, cancellable, &root, status);
  /* A container is not a post: one lost to a broken answer is never published. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return unreadable_answer (msg, FALSE, status);
  *id_out = g_strdup (id);
  return SD_OUTCOME_DONE;
}

/* Reads the 24-hour publishing allowance: RETRY with retry_after when it is spent. */
static SdOutcome
check_publishing_limit (const SdPublishContext *ctx,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autofree char *path = id_path (user_id_of (ctx), "/content_publishing_limit");
  g_autofree char *query = soup_form_encode ("fields", "quota_usage,config", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  JsonArray *data;
  JsonObject *entry;
  gint64 usage, total, duration;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  /* Signed out, or throttled (the next calls would be too). */
  if (outcome == SD_OUTCOME_AUTH || (outcome == SD_OUTCOME_RETRY && status->retry_after > 0))
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      /* Unknown: media_publish says so itself when the allowance is spent. */
      g_debug ("could not read the publishing limit: %s", status->message);
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  entry = data != NULL && json_array_get_length (data) > 0 ? json_array_get_object_element (data, 0) : NULL;
  usage = member_int (entry, "quota_usage");
  total = member_int (sd_http_json_object_member (entry, "config"), "quota_total");
  duration = member_int (sd_http_json_object_member (entry, "config"), "quota_duration");
  if (total > 0 && usage >= total)
    {
      sd_provider_status_set (status, SD_OUTCOME_RETRY,
                              /* Translators: %d is a number of posts. */
                              ngettext ("Instagram allows %d post a day from this account and it is reached; SocialDesk will try again later.",
                                        "Instagram allows %d posts a day from this account and they are reached; SocialDesk will try again later.",
                                        (int) total),
                              (int) total);
      /* The window slides: its oldest post leaves it at some point within its duration. */
      status->retry_after = MAX (status->retry_after, MIN (QUOTA_WAIT_SECONDS, duration > 0 ? duration : QUOTA_WAIT_SECONDS));
      return SD_OUTCOME_RETRY;
    }
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Finding published media */

static void
read_permalink (const SdPublishContext *ctx,
                SdPublishPart          *part,
                GCancellable           *cancellable)
{
  g_autofree char *path = id_path (part->remote_id, NULL);
  g_autofree char *query = soup_form_encode ("fields", "permalink", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  SdProviderStatus status = { 0 };

  if (call (ctx, msg, cancellable, &root, &status) == SD_OUTCOME_DONE)
    {
      g_free (part->remote_url);
      part->remote_url = g_strdup (sd_http_json_string (sd_http_json_node_object (root), "permalink"));
    }
  sd_provider_status_clear (&status);
}

/* Looks for the part's caption among the account's media since @since:
 * DONE (remote ids filled), RETRY (not there), or the call's outcome. */
static SdOutcome
search_media (const SdPublishContext *ctx,
              SdPublishPart          *part,
              gint64                  since,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autofree char *wanted = comparable_text (part->text);
  g_autofree char *path = id_path (user_id_of (ctx), "/media");
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *query = since > 0
                           ? soup_form_encode ("fields", "id,caption,permalink,timestamp", "limit", FIND_PAGE_LIMIT,
                                               "since", since_text, NULL)
                           : soup_form_encode ("fields", "id,caption,permalink,timestamp", "limit", FIND_PAGE_LIMIT, NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", path, TRUE, query, token_of (ctx));
  g_autoptr(JsonNode) root = NULL;
  JsonArray *data;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  data = sd_http_json_array_member (sd_http_json_node_object (root), "data");
  if (data == NULL)
    return unreadable_answer (msg, FALSE, status);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *object = json_array_get_object_element (data, i);
      const char *when_text = sd_http_json_string (object, "timestamp");
      g_autoptr(GDateTime) when = NULL;
      g_autofree char *caption = NULL;

      if (object == NULL)
        continue;
      /* Instagram writes "2026-01-02T03:04:05+0000", which GLib reads only with a colon. */
      if (when_text != NULL)
        {
          g_autofree char *fixed = g_strdup (when_text);
          gsize len = strlen (fixed);

          if (len > 5 && (fixed[len - 5] == '+' || fixed[len - 5] == '-'))
            {
              g_autofree char *with_colon = g_strdup_printf ("%.*s:%s", (int) len - 2, fixed, fixed + len - 2);

              when = g_date_time_new_from_iso8601 (with_colon, NULL);
            }
          else
            when = g_date_time_new_from_iso8601 (fixed, NULL);
        }
      if (since > 0 && when != NULL && g_date_time_to_unix (when) < since)
        continue;
      caption = comparable_text (sd_http_json_string (object, "caption"));
      if (g_strcmp0 (caption, wanted) == 0)
        {
          g_free (part->remote_id);
          part->remote_id = g_strdup (sd_http_json_string (object, "id"));
          g_free (part->remote_url);
          part->remote_url = g_strdup (sd_http_json_string (object, "permalink"));
          return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
        }
    }
  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("The post is not on Instagram: it can be sent again."));
}

/* Publishing */

static const char *
staged_container (const SdPublishPart *part)
{
  if (part->stage != NULL && g_str_has_prefix (part->stage, STAGE_CONTAINER))
    return part->stage + strlen (STAGE_CONTAINER);
  return NULL;
}

static GPtrArray *
staged_children (const SdPublishPart *part)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (part->stage != NULL && g_str_has_prefix (part->stage, STAGE_CHILDREN))
    {
      g_auto(GStrv) items = g_strsplit (part->stage + strlen (STAGE_CHILDREN), ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        if (items[i][0] != '\0')
          g_ptr_array_add (ids, g_strdup (items[i]));
    }
  return ids;
}

static char *
join_ids (GPtrArray *ids)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, g_ptr_array_index (ids, i));
    }
  return g_string_free (joined, FALSE);
}

/* Makes the container the part publishes (each carousel item first, staged
 * one by one), and keeps it as the stage. */
static SdOutcome
make_container (const SdPublishContext *ctx,
                SdPublishPart          *part,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *container = NULL;
  g_autofree char *stage = NULL;
  SdOutcome outcome;

  if (part->media->len == 1)
    outcome = create_container (ctx, g_ptr_array_index (part->media, 0), part->text, FALSE, NULL,
                                &container, cancellable, status);
  else
    {
      g_autoptr(GPtrArray) children = staged_children (part);
      g_autofree char *joined = NULL;

      for (guint i = children->len; i < part->media->len; i++)
        {
          g_autofree char *child = NULL;
          g_autofree char *child_stage = NULL;

          outcome = create_container (ctx, g_ptr_array_index (part->media, i), NULL, TRUE, NULL,
                                      &child, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
          g_ptr_array_add (children, g_steal_pointer (&child));
          joined = join_ids (children);
          child_stage = g_strconcat (STAGE_CHILDREN, joined, NULL);
          g_clear_pointer (&joined, g_free);
          if (!keep_stage (ctx, part, child_stage, status))
            return status->outcome;
        }

      /* Every item must be ready before the carousel takes it. */
      for (guint i = 0; i < children->len; i++)
        {
          ContainerState state = CONTAINER_IN_PROGRESS;
          g_autofree char *words = NULL;

          outcome = wait_for_container (ctx, g_ptr_array_index (children, i), &state, &words, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
          if (state == CONTAINER_DEAD || state == CONTAINER_EXPIRED)
            {
              /* Start the carousel again next time, with new items. */
              keep_stage (ctx, part, NULL, status);
              return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                             /* Translators: %u is the item's number, %s Instagram's words. */
                                             _("Instagram could not use item %u of the carousel: “%s”."),
                                             i + 1, words != NULL ? words : "");
            }
        }

      joined = join_ids (children);
      outcome = create_container (ctx, NULL, part->text, FALSE, joined, &container, cancellable, status);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  stage = g_strconcat (STAGE_CONTAINER, container, NULL);
  if (!keep_stage (ctx, part, stage, status))
    return status->outcome;
  return SD_OUTCOME_DONE;
}

/* Every item needs a public address; missing ones are named. */
static SdOutcome
check_public_urls (const SdPublishPart *part,
                   SdProviderStatus    *status)
{
  for (guint i = 0; i < part->media->len; i++)
    {
      const SdPublishMedia *media = g_ptr_array_index (part->media, i);

      if (media->public_url != NULL && media->public_url[0] != '\0')
        continue;
      if (sd_publish_media_is_video (media))
        return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                       /* Translators: %u is the attachment's number. */
                                       _("Instagram fetches videos from the web: give video %u a public address."),
                                       i + 1);
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     /* Translators: %u is the attachment's number. */
                                     _("Instagram fetches images from the web: give image %u a public address."),
                                     i + 1);
    }
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_instagram_publish_part (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdPublishPart          *part,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *path = NULL;
  g_autofree char *container = NULL;
  g_autofree char *words = NULL;
  ContainerState state = CONTAINER_IN_PROGRESS;
  const char *media_id;
  gint64 wait;
  SdOutcome outcome;

  if (user_id_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk does not know the Instagram account’s id: sign in again."));
  if (ctx->reply_to != NULL)
    return sd_instagram_inbox_reply (ctx, part, cancellable, status);
  if (ctx->parent != NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, _("Instagram takes single posts, not threads."));
  if (part->media->len == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("An Instagram post needs an image or a video."));
  if (part->media->len > MAX_CAROUSEL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %d is a number of images. */
                                   _("An Instagram carousel holds at most %d images or videos."), MAX_CAROUSEL);
  if (check_public_urls (part, status) != SD_OUTCOME_DONE)
    return status->outcome;

  for (guint round = 0; round < 2; round++)
    {
      if (staged_container (part) == NULL)
        {
          outcome = check_publishing_limit (ctx, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
          outcome = make_container (ctx, part, cancellable, status);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
        }

      g_clear_pointer (&container, g_free);
      container = g_strdup (staged_container (part));
      g_clear_pointer (&words, g_free);
      outcome = wait_for_container (ctx, container, &state, &words, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (state != CONTAINER_DEAD && state != CONTAINER_EXPIRED)
        break;

      g_debug ("the staged container is dead (%s)", words != NULL ? words : "");
      if (!keep_stage (ctx, part, NULL, status))
        return status->outcome;
      /* ERROR: Instagram could not use the media; a new container would fail alike. */
      if (round == 1 || state == CONTAINER_DEAD)
        return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                       /* Translators: %s is Instagram's own words. */
                                       _("Instagram could not use the media: “%s”."),
                                       words != NULL ? words : "ERROR");
    }

  if (state == CONTAINER_PUBLISHED)
    {
      /* An earlier media_publish went through but its answer was lost. */
      outcome = search_media (ctx, part, ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0,
                              cancellable, status);
      if (outcome == SD_OUTCOME_DONE)
        return outcome;
      return sd_provider_status_set (status, outcome == SD_OUTCOME_AUTH ? SD_OUTCOME_AUTH : SD_OUTCOME_UNCERTAIN,
                                     _("Instagram published the post, but SocialDesk cannot find it among the account’s posts."));
    }

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, "creation_id", container);
  path = id_path (user_id_of (ctx), "/media_publish");
  msg = sd_graph_form (SD_PLATFORM_INSTAGRAM, path, form, token_of (ctx));
  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  media_id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (media_id == NULL)
    return unreadable_answer (msg, TRUE, status);

  g_free (part->remote_id);
  part->remote_id = g_strdup (media_id);
  wait = status->retry_after;
  read_permalink (ctx, part, cancellable);
  sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  status->retry_after = wait;
  return SD_OUTCOME_DONE;
}

/* A staged container is published at most once: publishing again from it
 * first asks its status, so it cannot make a second post. */
static gboolean
sd_instagram_resend_is_safe (SdProvider             *provider,
                             const SdPublishContext *ctx,
                             const SdPublishPart    *part)
{
  return staged_container (part) != NULL;
}

static SdOutcome
sd_instagram_find_part (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        SdPublishPart          *part,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  const char *container = staged_container (part);
  SdOutcome outcome;

  if (user_id_of (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("SocialDesk does not know the Instagram account’s id."));
  if (ctx->reply_to != NULL)
    return sd_instagram_inbox_find_reply (ctx, part, cancellable, status);

  if (container != NULL)
    {
      ContainerState state = CONTAINER_IN_PROGRESS;

      outcome = read_container (ctx, container, &state, NULL, cancellable, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome == SD_OUTCOME_DONE && state != CONTAINER_PUBLISHED)
        /* Only media_publish makes the post, and this container was not. */
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on Instagram yet: its media is waiting to be published."));
      /* PUBLISHED, or the container cannot be read: look among the posts. */
    }

  outcome = search_media (ctx, part, since, cancellable, status);
  if (outcome == SD_OUTCOME_DONE || outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome == SD_OUTCOME_RETRY && status->http_status >= 200 && status->http_status < 300)
    {
      if (container == NULL)
        return outcome;
      /* Published, yet not found. */
      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     _("Instagram published the post, but SocialDesk cannot find it among the account’s posts."));
    }
  {
    g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   /* Translators: %s is the reason. */
                                   _("Could not look at the account’s recent posts: %s"), reason);
  }
}

/* The account and its token */

static SdOutcome
read_me (const SdPublishContext *ctx,
         SdAccount              *account,
         const char             *token,
         GCancellable           *cancellable,
         SdProviderStatus       *status)
{
  g_autofree char *query = soup_form_encode ("fields", "user_id,username,name,profile_picture_url,account_type", NULL);
  g_autoptr(SoupMessage) msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", "/me", TRUE, query, token);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *me;
  const char *id;
  const char *username;
  const char *name;
  SdOutcome outcome;

  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  me = sd_http_json_node_object (root);
  /* user_id is the professional account's id, the one publishing takes; id the app-scoped one. */
  id = sd_http_json_string (me, "user_id");
  if (id == NULL)
    id = sd_http_json_string (me, "id");
  username = sd_http_json_string (me, "username");
  if (id == NULL || username == NULL)
    return unreadable_answer (msg, FALSE, status);
  name = sd_http_json_string (me, "name");
  sd_account_set_remote_id (account, id);
  sd_account_set_handle (account, username);
  sd_account_set_display_name (account, name != NULL && name[0] != '\0' ? name : username);
  sd_account_set_avatar_url (account, sd_http_json_string (me, "profile_picture_url"));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_instagram_verify_account (SdProvider             *provider,
                             const SdPublishContext *ctx,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  return read_me (ctx, ctx->account, token_of (ctx), cancellable, status);
}

/* Reads a token answer ({access_token, token_type, expires_in}) into @credentials. */
static gboolean
take_token (JsonObject    *answer,
            SdCredentials *credentials)
{
  const char *token = sd_http_json_string (answer, "access_token");
  gint64 expires_in = member_int (answer, "expires_in");

  if (token == NULL)
    return FALSE;
  g_free (credentials->access_token);
  credentials->access_token = g_strdup (token);
  credentials->expires_at = sd_time_now () + (expires_in > 0 ? expires_in : LONG_LIVED_SECONDS);
  return TRUE;
}

static SdOutcome
sd_instagram_list_identities (SdProvider             *provider,
                              const SdPublishContext *ctx,
                              GPtrArray              *identities,
                              GCancellable           *cancellable,
                              SdProviderStatus       *status)
{
  const SdCredentials *credentials = ctx->credentials;
  g_autoptr(SdCredentials) long_lived = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *query = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  if (credentials == NULL || credentials->access_token == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, _("The sign-in to Instagram did not finish. Sign in again."));

  /* The short-lived token of the sign-in (an hour) for a long-lived one (60 days). */
  query = soup_form_encode ("grant_type", "ig_exchange_token",
                            "client_secret", credentials->client_secret != NULL ? credentials->client_secret : "",
                            "access_token", credentials->access_token,
                            NULL);
  msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", "/access_token", FALSE, query, NULL);
  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  long_lived = sd_credentials_copy (credentials);
  g_clear_pointer (&long_lived->refresh_token, g_free);
  long_lived->refresh_expires_at = 0;
  long_lived->changed = FALSE;
  if (!take_token (sd_http_json_node_object (root), long_lived))
    return unreadable_answer (msg, FALSE, status);

  account = sd_account_new (SD_PLATFORM_INSTAGRAM);
  outcome = read_me (ctx, account, long_lived->access_token, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  sd_account_set_token_expires_at (account, long_lived->expires_at);
  g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account), g_steal_pointer (&long_lived)));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* A long-lived token (valid, at least a day old) renews for another 60 days;
 * an expired one cannot: the person signs in again. */
static SdOutcome
sd_instagram_refresh_credentials (SdProvider             *provider,
                                  const SdPublishContext *ctx,
                                  GCancellable           *cancellable,
                                  SdProviderStatus       *status)
{
  SdCredentials *credentials = ctx->credentials;
  g_autofree char *query = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;

  if (credentials == NULL || credentials->access_token == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, _("The sign-in to Instagram has run out. Sign in again."));

  query = soup_form_encode ("grant_type", "ig_refresh_token", "access_token", credentials->access_token, NULL);
  msg = sd_graph_message (SD_PLATFORM_INSTAGRAM, "GET", "/refresh_access_token", FALSE, query, NULL);
  outcome = call (ctx, msg, cancellable, &root, status);
  if (outcome == SD_OUTCOME_AUTH || outcome == SD_OUTCOME_FAILED)
    {
      g_autofree char *words = sd_graph_error_message (root);

      return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                     /* Translators: %s is Instagram's own words. */
                                     _("Instagram would not renew the sign-in: “%s”. Sign in again."),
                                     words != NULL ? words : _("no reason given"));
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  if (!take_token (sd_http_json_node_object (root), credentials))
    return unreadable_answer (msg, FALSE, status);
  credentials->changed = TRUE;
  g_debug ("renewed the Instagram token; it now runs until %" G_GINT64_FORMAT, credentials->expires_at);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdPlatform
sd_instagram_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_INSTAGRAM;
}

static void
sd_instagram_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_instagram_get_platform;
  iface->publish_part = sd_instagram_publish_part;
  iface->resend_is_safe = sd_instagram_resend_is_safe;
  iface->find_part = sd_instagram_find_part;
  iface->verify_account = sd_instagram_verify_account;
  iface->list_identities = sd_instagram_list_identities;
  iface->refresh_credentials = sd_instagram_refresh_credentials;
  sd_instagram_inbox_init (iface);
}

static void
sd_instagram_class_init (SdInstagramClass *klass)
{
}

static void
sd_instagram_init (SdInstagram *self)
{
}

SdInstagram *
sd_instagram_new (void)
{
  return g_object_new (SD_TYPE_INSTAGRAM, NULL);
}
