/* sd-threads.c — the Threads provider: media containers, publishing, the long-lived token
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * Threads publishes in two steps (developers.facebook.com/docs/threads/posts):
 * POST /{user-id}/threads makes a media container, POST
 * /{user-id}/threads_publish publishes it. A container is published at most
 * once, so it is this provider's idempotency mechanism: its id is kept as the
 * part's stage ("container:ID") before the publish call, and a later attempt
 * asks the container's status (GET /{container-id}?fields=status,error_message:
 * IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED; docs/threads/troubleshooting)
 * instead of making another. Media are fetched by Threads from a public
 * address (SdPublishMedia.public_url); nothing is uploaded from here.
 *
 * Tokens (docs/threads/get-started/long-lived-tokens): the code exchange
 * gives a one-hour token; list_identities swaps it for a 60-day one (GET
 * /access_token, grant_type=th_exchange_token, un-versioned), and
 * refresh_credentials renews that (GET /refresh_access_token,
 * grant_type=th_refresh_token) once it is at least 24 hours old. Threads has
 * no refresh tokens and no server-side scheduling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-threads"

#include "config.h"

#include "sd-threads.h"
#include "sd-threads-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-graph.h"
#include "sd-http.h"
#include "sd-network.h"
#include "sd-time.h"

#define STAGE_CONTAINER        "container:"
#define LONG_LIVED_SECONDS     (60 * 24 * 3600)  /* docs: long-lived tokens are valid for 60 days */
#define REFRESH_MIN_AGE        (24 * 3600)       /* docs: refreshable once at least 24 hours old */
#define QUOTA_TOTAL_DEFAULT    250               /* docs/threads/overview: 250 posts in 24 hours */
#define REPLY_QUOTA_DEFAULT    1000              /* docs/threads/overview: 1,000 replies in 24 hours */
/* The quota is a moving 24-hour window and its answer does not say when the
 * oldest post leaves it: look again in an hour. */
#define QUOTA_WAIT_SECONDS     3600
#define FIND_CLOCK_SLACK       60
#define FIND_PAGE_LIMIT        50
#define FIND_MAX_PAGES         5
#define POLL_INTERVAL_DEFAULT  2000
#define POLL_ATTEMPTS_DEFAULT  30
#define MAX_CAROUSEL_ITEMS     20                /* docs/threads/posts: carousels hold up to 20 items */

struct _SdThreads
{
  GObject parent_instance;
};

static void sd_threads_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdThreads, sd_threads, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_threads_provider_init))

/* One provider call's shared state. */
typedef struct
{
  const SdPublishContext *ctx;
  SdPublishPart          *part;      /* NULL outside publishing */
  GCancellable           *cancellable;
  SdProviderStatus       *status;
  gint64                  pause;     /* the longest wait a successful answer asked for, seconds */
} Job;

typedef enum
{
  CONTAINER_UNKNOWN,
  CONTAINER_IN_PROGRESS,
  CONTAINER_FINISHED,
  CONTAINER_PUBLISHED,
  CONTAINER_ERROR,
  CONTAINER_EXPIRED,
} ContainerState;

/* Polling, as the common brief asks: tests make it fast. */

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;
  char *end = NULL;

  if (text == NULL || text[0] == '\0')
    return fallback;
  value = g_ascii_strtoull (text, &end, 10);
  if (end == NULL || *end != '\0' || value > G_MAXUINT)
    return fallback;
  return (guint) value;
}

static guint
poll_interval_ms (void)
{
  return env_uint ("SOCIALDESK_POLL_INTERVAL_MS", POLL_INTERVAL_DEFAULT);
}

static guint
poll_attempts (void)
{
  return MAX (env_uint ("SOCIALDESK_POLL_ATTEMPTS", POLL_ATTEMPTS_DEFAULT), 1);
}

/* Waits @msec unless cancelled first; FALSE when cancelled. */
static gboolean
sleep_cancellable (guint         msec,
                   GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + (gint64) msec * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (until - g_get_monotonic_time (), 50 * 1000));
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* Talking to Threads */

static const char *
access_token (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
}

/* The account's Threads user id, or "me" before it is known. */
static char *
user_segment (const SdPublishContext *ctx)
{
  const char *id = ctx->account != NULL ? sd_account_get_remote_id (ctx->account) : NULL;

  return g_uri_escape_string (id != NULL && id[0] != '\0' ? id : "me", NULL, FALSE);
}

static SoupMessage *
api_get (const SdPublishContext *ctx,
         const char             *path)
{
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_THREADS, path);
  SoupMessage *msg = soup_message_new ("GET", url);

  g_return_val_if_fail (msg != NULL, NULL);
  sd_http_set_bearer (msg, access_token (ctx));
  return msg;
}

/* A POST with form fields: NULL-terminated name, value pairs (a NULL value skips its field). */
static SoupMessage *
api_post (const SdPublishContext *ctx,
          const char             *path,
          ...)
{
  g_autofree char *url = sd_network_api_url (SD_PLATFORM_THREADS, path);
  GString *form = g_string_new (NULL);
  const char *name;
  SoupMessage *msg;
  va_list args;

  va_start (args, path);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", name, escaped);
    }
  va_end (args);

  msg = soup_message_new_from_encoded_form ("POST", url, g_string_free (form, FALSE));
  g_return_val_if_fail (msg != NULL, NULL);
  sd_http_set_bearer (msg, access_token (ctx));
  return msg;
}



/* An id may come as a string or (user_id in token answers) a number. */
static char *
member_id (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

static gint64
member_int (JsonObject *object,
            const char *member,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

/* Changes the outcome, keeping the message that says why. */
static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

/* Sends @msg and classifies the answer as Graph does. On DONE, *out holds
 * the parsed body. A refusal quotes Threads' own words; @about_post says
 * whether they were about the post itself. */
static SdOutcome
call (Job          *job,
      SoupMessage  *msg,
      gboolean      about_post,
      JsonNode    **out)
{
  SdProviderStatus *status = job->status;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *words = NULL;
  SdOutcome outcome;

  body = sd_http_send (job->ctx->session, msg, job->cancellable, status);
  /* A read that lost its answer made nothing: ask again later. */
  if (body == NULL && status->outcome == SD_OUTCOME_UNCERTAIN
      && strcmp (soup_message_get_method (msg), "GET") == 0)
    return reclassify (status, SD_OUTCOME_RETRY);
  if (body == NULL)
    return status->outcome;

  root = sd_http_parse_json (body, NULL);
  outcome = sd_graph_classify (msg, root, status);
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg),
           sd_outcome_to_string (outcome));

  if (outcome == SD_OUTCOME_DONE)
    {
      job->pause = MAX (job->pause, status->retry_after);
      if (out != NULL)
        *out = g_steal_pointer (&root);
      return outcome;
    }

  words = sd_graph_error_message (root);
  if (words != NULL && outcome == SD_OUTCOME_AUTH)
    /* Translators: %s is Threads' own explanation, in English. */
    sd_provider_status_set (status, outcome, _("Threads no longer accepts this account’s sign-in: “%s”."),
                            words);
  else if (words != NULL && outcome == SD_OUTCOME_FAILED && about_post)
    /* Translators: %s is Threads' own explanation, in English. */
    sd_provider_status_set (status, outcome, _("Threads refused the post: “%s”."), words);
  else if (words != NULL && outcome == SD_OUTCOME_FAILED)
    /* Translators: %s is Threads' own explanation, in English. */
    sd_provider_status_set (status, outcome, _("Threads refused the request: “%s”."), words);
  return outcome;
}

/* A 2xx whose body cannot be read: for a write Threads may have acted. */
static SdOutcome
unreadable_answer (Job         *job,
                   SoupMessage *msg,
                   gboolean     writes)
{
  /* Translators: %s is the address path SocialDesk asked, like /v1.0/me. */
  return sd_provider_status_set (job->status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 _("Threads’ answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

/* The whole call's outcome, with the longest wait any answer asked for. */
static SdOutcome
finish_job (Job       *job,
            SdOutcome  outcome)
{
  job->status->retry_after = MAX (job->status->retry_after, job->pause);
  return outcome;
}

/* Stages */

static const char *
staged_container (const SdPublishPart *part)
{
  if (part->stage == NULL || !g_str_has_prefix (part->stage, STAGE_CONTAINER))
    return NULL;
  if (part->stage[strlen (STAGE_CONTAINER)] == '\0')
    return NULL;
  return part->stage + strlen (STAGE_CONTAINER);
}

/* Reading posts back */

static gint64
parse_timestamp (const char *text)
{
  g_autoptr(GDateTime) when = NULL;
  gsize length;

  if (text == NULL)
    return 0;
  when = g_date_time_new_from_iso8601 (text, NULL);
  length = strlen (text);
  /* Threads writes "2023-10-17T05:42:03+0000"; older GLib wants "+00:00". */
  if (when == NULL && length > 5 && (text[length - 5] == '+' || text[length - 5] == '-'))
    {
      g_autofree char *fixed = g_strdup_printf ("%.*s:%s", (int) (length - 2), text, text + length - 2);

      when = g_date_time_new_from_iso8601 (fixed, NULL);
    }
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

/* Text as both sides should compare: newlines unified, outer whitespace gone. */
static char *
comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

static gboolean
post_matches (JsonObject             *post,
              const SdPublishContext *ctx,
              const char             *wanted)
{
  JsonObject *replied_to = sd_http_json_object_member (post, "replied_to");
  g_autofree char *text = comparable_text (sd_http_json_string (post, "text"));

  if (sd_threads_reply_target (ctx) != NULL && replied_to != NULL
      && g_strcmp0 (sd_http_json_string (replied_to, "id"), sd_threads_reply_target (ctx)) != 0)
    return FALSE;
  return g_strcmp0 (text, wanted) == 0;
}

/* Looks for the part among the account's posts (its replies for a thread's
 * later parts) made since @since (0: as far back as a few pages go). DONE:
 * found, remote id and URL filled in; RETRY: certainly not there; UNCERTAIN:
 * could not tell. */
static SdOutcome
search_posts (Job    *job,
              gint64  since)
{
  const SdPublishContext *ctx = job->ctx;
  SdProviderStatus *status = job->status;
  g_autofree char *user = user_segment (ctx);
  g_autofree char *wanted = comparable_text (job->part->text);
  g_autofree char *after = NULL;
  /* Replies are listed apart from posts (docs/threads/reply-management:
   * GET /{user-id}/replies; whether /threads leaves them out is unverified,
   * and matching by reply target keeps either right). */
  const char *edge = sd_threads_reply_target (ctx) != NULL ? "replies" : "threads";
  const char *fields = sd_threads_reply_target (ctx) != NULL ? "id,text,timestamp,permalink,replied_to"
                                                             : "id,text,timestamp,permalink";

  for (guint page = 0; page < FIND_MAX_PAGES; page++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped_after = after != NULL ? g_uri_escape_string (after, NULL, FALSE) : NULL;
      g_autofree char *since_text = since > 0 ? g_strdup_printf ("&since=%" G_GINT64_FORMAT, since) : NULL;
      JsonObject *paging;
      JsonNode *data;
      JsonArray *posts;
      SdOutcome outcome;

      path = g_strdup_printf ("/%s/%s?fields=%s&limit=%d%s%s%s", user, edge, fields, FIND_PAGE_LIMIT,
                              since_text != NULL ? since_text : "",
                              escaped_after != NULL ? "&after=" : "",
                              escaped_after != NULL ? escaped_after : "");
      msg = api_get (ctx, path);
      outcome = call (job, msg, FALSE, &root);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          /* Translators: %s says why, in a sentence. */
          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         _("Could not look at the account’s recent Threads posts: %s"),
                                         reason);
        }

      data = sd_http_json_node_object (root) != NULL ? json_object_get_member (sd_http_json_node_object (root), "data") : NULL;
      if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("Threads’ list of recent posts could not be read."));
      posts = json_node_get_array (data);

      for (guint i = 0; i < json_array_get_length (posts); i++)
        {
          JsonObject *post = json_array_get_object_element (posts, i);
          gint64 created = post != NULL ? parse_timestamp (sd_http_json_string (post, "timestamp")) : 0;

          if (post == NULL || sd_http_json_string (post, "id") == NULL)
            continue;
          /* Newest first: everything from here on is older than the first attempt. */
          if (since > 0 && created > 0 && created < since)
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           _("The post is not on Threads: it can be sent again."));
          if (post_matches (post, ctx, wanted))
            {
              g_free (job->part->remote_id);
              job->part->remote_id = g_strdup (sd_http_json_string (post, "id"));
              g_free (job->part->remote_url);
              job->part->remote_url = g_strdup (sd_http_json_string (post, "permalink"));
              g_debug ("found the part among the account's %s", edge);
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
        }

      paging = sd_http_json_object_member (sd_http_json_node_object (root), "paging");
      g_clear_pointer (&after, g_free);
      after = g_strdup (sd_http_json_string (sd_http_json_object_member (paging, "cursors"), "after"));
      if (json_array_get_length (posts) == 0 || after == NULL
          || sd_http_json_string (paging, "next") == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on Threads: it can be sent again."));
    }

  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the post reached Threads: there are too many newer posts to look through."));
}

/* A published container: the post is there, find its id. */
static SdOutcome
locate_published (Job *job)
{
  gint64 since = job->ctx->first_attempt_at > 0 ? job->ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  SdOutcome outcome = search_posts (job, since);

  if (outcome == SD_OUTCOME_RETRY)
    return sd_provider_status_set (job->status, SD_OUTCOME_UNCERTAIN,
                                   _("Threads says the post was published, but SocialDesk could not find it among the account’s posts."));
  return outcome;
}

static SdOutcome
fill_permalink (Job        *job,
                const char *media_id)
{
  g_autofree char *escaped = g_uri_escape_string (media_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/%s?fields=id,permalink", escaped);
  g_autoptr(SoupMessage) msg = api_get (job->ctx, path);
  g_autoptr(JsonNode) root = NULL;

  g_free (job->part->remote_id);
  job->part->remote_id = g_strdup (media_id);
  /* The post is out whatever this answer says: without it, no link. */
  if (call (job, msg, FALSE, &root) == SD_OUTCOME_DONE)
    {
      g_free (job->part->remote_url);
      job->part->remote_url = g_strdup (sd_http_json_string (sd_http_json_node_object (root), "permalink"));
    }
  return sd_provider_status_set (job->status, SD_OUTCOME_DONE, NULL);
}

/* Containers */

static ContainerState
container_state_from_string (const char *text)
{
  if (g_strcmp0 (text, "IN_PROGRESS") == 0)
    return CONTAINER_IN_PROGRESS;
  if (g_strcmp0 (text, "FINISHED") == 0)
    return CONTAINER_FINISHED;
  if (g_strcmp0 (text, "PUBLISHED") == 0)
    return CONTAINER_PUBLISHED;
  if (g_strcmp0 (text, "ERROR") == 0)
    return CONTAINER_ERROR;
  if (g_strcmp0 (text, "EXPIRED") == 0)
    return CONTAINER_EXPIRED;
  return CONTAINER_UNKNOWN;
}

/* Asks a container's status. DONE sets *state (and *error_message for
 * ERROR); any other outcome: the question went unanswered. */
static SdOutcome
container_status (Job             *job,
                  const char      *container_id,
                  ContainerState  *state,
                  char           **error_message)
{
  g_autofree char *escaped = g_uri_escape_string (container_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/%s?fields=status,error_message", escaped);
  g_autoptr(SoupMessage) msg = api_get (job->ctx, path);
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;
  const char *text;

  outcome = call (job, msg, FALSE, &root);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  text = sd_http_json_string (sd_http_json_node_object (root), "status");
  *state = container_state_from_string (text);
  if (*state == CONTAINER_UNKNOWN)
    return unreadable_answer (job, msg, FALSE);
  if (error_message != NULL)
    *error_message = g_strdup (sd_http_json_string (sd_http_json_node_object (root), "error_message"));
  return SD_OUTCOME_DONE;
}

/* Waits (a bounded time) until a container leaves IN_PROGRESS. DONE sets *state. */
static SdOutcome
wait_for_container (Job             *job,
                    const char      *container_id,
                    ContainerState  *state,
                    char           **error_message)
{
  guint attempts = poll_attempts ();

  for (guint i = 0; i < attempts; i++)
    {
      SdOutcome outcome;

      if (i > 0 && !sleep_cancellable (poll_interval_ms (), job->cancellable))
        return sd_provider_status_set (job->status, SD_OUTCOME_RETRY, _("Sending was cancelled."));
      g_clear_pointer (error_message, g_free);
      outcome = container_status (job, container_id, state, error_message);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      /* Asking again later does no harm: the stage keeps the container. */
      if (outcome != SD_OUTCOME_DONE)
        return reclassify (job->status, SD_OUTCOME_RETRY);
      if (*state != CONTAINER_IN_PROGRESS)
        return SD_OUTCOME_DONE;
    }

  return sd_provider_status_set (job->status, SD_OUTCOME_RETRY,
                                 _("Threads is still processing the media; SocialDesk will try again later."));
}

/* Makes one container; DONE sets *container_id. A lost answer leaves at
 * most an unpublished container, which Threads lets expire: RETRY. */
static SdOutcome
create_container (Job         *job,
                  const char  *media_type,
                  const char  *text,
                  const char  *image_url,
                  const char  *video_url,
                  const char  *alt_text,
                  const char  *children,
                  gboolean     carousel_item,
                  char       **container_id)
{
  const SdPublishContext *ctx = job->ctx;
  g_autofree char *user = user_segment (ctx);
  g_autofree char *path = g_strdup_printf ("/%s/threads", user);
  const char *reply_to = !carousel_item ? sd_threads_reply_target (ctx) : NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;
  const char *id;

  msg = api_post (ctx, path,
                  "media_type", media_type,
                  "is_carousel_item", carousel_item ? "true" : NULL,
                  "text", text != NULL && text[0] != '\0' ? text : NULL,
                  "image_url", image_url,
                  "video_url", video_url,
                  "alt_text", alt_text != NULL && alt_text[0] != '\0' ? alt_text : NULL,
                  "children", children,
                  "reply_to_id", reply_to,
                  NULL);
  outcome = call (job, msg, TRUE, &root);
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (job->status, SD_OUTCOME_RETRY);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return unreadable_answer (job, msg, FALSE);
  *container_id = g_strdup (id);
  return SD_OUTCOME_DONE;
}

static const char *
media_name (const SdPublishMedia *media)
{
  const char *slash = media->path != NULL ? strrchr (media->path, '/') : NULL;

  return slash != NULL ? slash + 1 : media->path != NULL ? media->path : "";
}

/* Threads fetches every file itself: each needs a public address. */
static SdOutcome
check_media (Job *job)
{
  GPtrArray *media = job->part->media;

  if (media->len > MAX_CAROUSEL_ITEMS)
    /* Translators: %u is the most files Threads takes in one post. */
    return sd_provider_status_set (job->status, SD_OUTCOME_FAILED,
                                   _("Threads takes at most %u images and videos in one post."),
                                   (guint) MAX_CAROUSEL_ITEMS);
  for (guint i = 0; i < media->len; i++)
    {
      const SdPublishMedia *item = g_ptr_array_index (media, i);

      if (item->public_url == NULL || item->public_url[0] == '\0')
        /* Translators: %s is the attached file's name. */
        return sd_provider_status_set (job->status, SD_OUTCOME_FAILED,
                                       _("Threads fetches images and videos from the web, and “%s” has no public address. "
                                         "Give it one, then send the post again."),
                                       media_name (item));
    }
  return SD_OUTCOME_DONE;
}

/* The carousel's children, each FINISHED; *children is their ids joined with commas. */
static SdOutcome
create_children (Job   *job,
                 char **children)
{
  GPtrArray *media = job->part->media;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean any_video = FALSE;

  for (guint i = 0; i < media->len; i++)
    {
      const SdPublishMedia *item = g_ptr_array_index (media, i);
      gboolean video = sd_publish_media_is_video (item);
      char *id = NULL;
      SdOutcome outcome;

      outcome = create_container (job, video ? "VIDEO" : "IMAGE", NULL,
                                  video ? NULL : item->public_url, video ? item->public_url : NULL,
                                  item->alt_text, NULL, TRUE, &id);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      g_ptr_array_add (ids, id);
      any_video |= video;
    }

  /* A carousel takes only finished items (docs/threads/posts: videos are
   * processed before the carousel container is made). */
  for (guint i = 0; any_video && i < ids->len; i++)
    {
      g_autofree char *error_message = NULL;
      ContainerState state = CONTAINER_UNKNOWN;
      SdOutcome outcome;

      outcome = wait_for_container (job, g_ptr_array_index (ids, i), &state, &error_message);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (state != CONTAINER_FINISHED)
        /* Translators: the first %s is the file's name, the second Threads' own code for the problem. */
        return sd_provider_status_set (job->status, SD_OUTCOME_FAILED,
                                       _("Threads could not take “%s”: “%s”."),
                                       media_name (g_ptr_array_index (media, i)),
                                       error_message != NULL ? error_message : "ERROR");
    }

  g_ptr_array_add (ids, NULL);
  *children = g_strjoinv (",", (char **) ids->pdata);
  return SD_OUTCOME_DONE;
}

/* The container this part publishes: TEXT, IMAGE, VIDEO or CAROUSEL. */
static SdOutcome
create_part_container (Job   *job,
                       char **container_id)
{
  SdPublishPart *part = job->part;
  g_autofree char *children = NULL;
  const SdPublishMedia *item;
  SdOutcome outcome;

  if (part->media->len == 0)
    return create_container (job, "TEXT", part->text, NULL, NULL, NULL, NULL, FALSE, container_id);

  if (part->media->len == 1)
    {
      item = g_ptr_array_index (part->media, 0);
      if (sd_publish_media_is_video (item))
        return create_container (job, "VIDEO", part->text, NULL, item->public_url, item->alt_text,
                                 NULL, FALSE, container_id);
      return create_container (job, "IMAGE", part->text, item->public_url, NULL, item->alt_text,
                               NULL, FALSE, container_id);
    }

  outcome = create_children (job, &children);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  return create_container (job, "CAROUSEL", part->text, NULL, NULL, NULL, children, FALSE, container_id);
}

/* The publishing quota (docs/threads/overview: GET
 * /{user-id}/threads_publishing_limit). RETRY when spent; DONE otherwise,
 * with *last set when this post spends the last of it. A quota that cannot be
 * read does not stop the post: threads_publish enforces it anyway. */
static SdOutcome
check_quota (Job      *job,
             gboolean *last)
{
  const SdPublishContext *ctx = job->ctx;
  SdProviderStatus *status = job->status;
  g_autofree char *user = user_segment (ctx);
  g_autofree char *path = g_strdup_printf ("/%s/threads_publishing_limit"
                                           "?fields=quota_usage,config,reply_quota_usage,reply_config",
                                           user);
  g_autoptr(SoupMessage) msg = api_get (ctx, path);
  g_autoptr(JsonNode) root = NULL;
  gboolean reply = ctx->parent != NULL;
  JsonNode *data;
  JsonObject *limit = NULL;
  gint64 usage;
  gint64 total;
  SdOutcome outcome;

  *last = FALSE;
  outcome = call (job, msg, FALSE, &root);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_debug ("the publishing quota could not be read; going on");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  data = sd_http_json_node_object (root) != NULL ? json_object_get_member (sd_http_json_node_object (root), "data") : NULL;
  if (data != NULL && JSON_NODE_HOLDS_ARRAY (data) && json_array_get_length (json_node_get_array (data)) > 0)
    limit = json_array_get_object_element (json_node_get_array (data), 0);

  usage = member_int (limit, reply ? "reply_quota_usage" : "quota_usage", -1);
  total = member_int (sd_http_json_object_member (limit, reply ? "reply_config" : "config"), "quota_total",
                      reply ? REPLY_QUOTA_DEFAULT : QUOTA_TOTAL_DEFAULT);
  if (usage < 0 || total <= 0)
    return SD_OUTCOME_DONE;

  if (usage >= total)
    {
      if (reply)
        /* Translators: %d is how many replies Threads allows in 24 hours. */
        sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                _("This Threads account has made its %d replies of the last 24 hours; SocialDesk will try again later."),
                                (int) total);
      else
        /* Translators: %d is how many posts Threads allows in 24 hours. */
        sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                _("This Threads account has published its %d posts of the last 24 hours; SocialDesk will try again later."),
                                (int) total);
      status->retry_after = MAX (status->retry_after, QUOTA_WAIT_SECONDS);
      return SD_OUTCOME_RETRY;
    }
  *last = usage + 1 >= total;
  return SD_OUTCOME_DONE;
}

/* The step that makes the post: publish a FINISHED container. */
static SdOutcome
publish_container (Job        *job,
                   const char *container_id)
{
  const SdPublishContext *ctx = job->ctx;
  g_autofree char *user = user_segment (ctx);
  g_autofree char *path = g_strdup_printf ("/%s/threads_publish", user);
  g_autoptr(SoupMessage) msg = api_post (ctx, path, "creation_id", container_id, NULL);
  g_autoptr(JsonNode) root = NULL;
  SdOutcome outcome;
  const char *id;

  /* Whatever comes back, the stage keeps the container: a later attempt
   * asks its status before publishing, so RETRY and UNCERTAIN stay as
   * classified. */
  outcome = call (job, msg, TRUE, &root);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return unreadable_answer (job, msg, TRUE);
  return fill_permalink (job, id);
}

/* Goes on from a container: waits while it is processed, publishes it, or
 * finds the post it became. *dead is set when the container can never be
 * published (ERROR, EXPIRED): the caller may start again. */
static SdOutcome
continue_container (Job        *job,
                    const char *container_id,
                    gboolean    ask_first,
                    gboolean   *dead)
{
  g_autofree char *error_message = NULL;
  ContainerState state = CONTAINER_FINISHED;
  SdOutcome outcome;

  *dead = FALSE;
  if (ask_first)
    {
      outcome = wait_for_container (job, container_id, &state, &error_message);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }

  switch (state)
    {
    case CONTAINER_FINISHED:
      return publish_container (job, container_id);
    case CONTAINER_PUBLISHED:
      return locate_published (job);
    case CONTAINER_ERROR:
    case CONTAINER_EXPIRED:
      *dead = TRUE;
      if (state == CONTAINER_EXPIRED)
        return sd_provider_status_set (job->status, SD_OUTCOME_RETRY,
                                       _("Threads let the prepared post expire before it was published."));
      /* Translators: %s is Threads' own code for the problem, like FAILED_DOWNLOADING_VIDEO. */
      return sd_provider_status_set (job->status, SD_OUTCOME_FAILED,
                                     _("Threads could not prepare the post: “%s”."),
                                     error_message != NULL ? error_message : "ERROR");
    case CONTAINER_IN_PROGRESS:
    case CONTAINER_UNKNOWN:
    default:
      g_return_val_if_reached (SD_OUTCOME_RETRY);
    }
}

static gboolean
part_has_media (const SdPublishPart *part)
{
  return part->media != NULL && part->media->len > 0;
}

static SdOutcome
publish_new (Job *job)
{
  g_autofree char *container_id = NULL;
  g_autofree char *stage = NULL;
  g_autoptr(GError) error = NULL;
  gboolean last = FALSE;
  gboolean dead = FALSE;
  SdOutcome outcome;

  outcome = check_media (job);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  outcome = check_quota (job, &last);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  outcome = create_part_container (job, &container_id);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  stage = g_strconcat (STAGE_CONTAINER, container_id, NULL);
  if (!sd_publish_context_set_stage (job->ctx, job->part, stage, &error))
    /* Translators: %s says why, in a sentence. */
    return sd_provider_status_set (job->status, SD_OUTCOME_RETRY,
                                   _("SocialDesk could not note its progress before publishing: %s"),
                                   error->message);

  /* A text container is ready at once; media are fetched and processed first. */
  outcome = continue_container (job, container_id, part_has_media (job->part), &dead);
  if (outcome == SD_OUTCOME_DONE && last)
    job->pause = MAX (job->pause, QUOTA_WAIT_SECONDS);
  return outcome;
}

static SdOutcome
sd_threads_publish_part (SdProvider             *provider,
                         const SdPublishContext *ctx,
                         SdPublishPart          *part,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  Job job = { ctx, part, cancellable, status, 0 };
  const char *container_id = staged_container (part);

  if (ctx->parent != NULL && (ctx->parent->remote_id == NULL || ctx->parent->remote_id[0] == '\0'))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The post this part replies to is not on Threads yet."));

  if (container_id != NULL)
    {
      g_autofree char *resumed = g_strdup (container_id);
      gboolean dead = FALSE;
      SdOutcome outcome = continue_container (&job, resumed, TRUE, &dead);

      if (!dead)
        return finish_job (&job, outcome);
      g_debug ("the staged container can no longer be published; starting again");
      sd_provider_status_set (status, SD_OUTCOME_RETRY, NULL);
    }

  return finish_job (&job, publish_new (&job));
}

static gboolean
sd_threads_resend_is_safe (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           const SdPublishPart    *part)
{
  /* With its container kept, publish_part asks the container first. */
  return ctx->first_attempt_at == 0 || staged_container (part) != NULL;
}

static SdOutcome
sd_threads_find_part (SdProvider             *provider,
                      const SdPublishContext *ctx,
                      SdPublishPart          *part,
                      GCancellable           *cancellable,
                      SdProviderStatus       *status)
{
  Job job = { ctx, part, cancellable, status, 0 };
  const char *container_id = staged_container (part);
  g_autofree char *error_message = NULL;
  ContainerState state = CONTAINER_UNKNOWN;
  SdOutcome outcome;

  if (container_id == NULL)
    {
      gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;

      return finish_job (&job, search_posts (&job, since));
    }

  outcome = container_status (&job, container_id, &state, &error_message);
  if (outcome == SD_OUTCOME_AUTH)
    return outcome;
  if (outcome != SD_OUTCOME_DONE)
    {
      g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

      /* Translators: %s says why, in a sentence. */
      return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                     _("Could not ask Threads about the prepared post: %s"), reason);
    }

  switch (state)
    {
    case CONTAINER_PUBLISHED:
      return finish_job (&job, locate_published (&job));
    case CONTAINER_IN_PROGRESS:
    case CONTAINER_FINISHED:
    case CONTAINER_ERROR:
    case CONTAINER_EXPIRED:
    case CONTAINER_UNKNOWN:
    default:
      return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                     _("The post is not on Threads yet: it can be sent again."));
    }
}

/* The account */

/* Reads GET /me into @account. */
static SdOutcome
read_profile (Job       *job,
              SdAccount *account)
{
  g_autoptr(SoupMessage) msg = api_get (job->ctx, "/me?fields=id,username,name,threads_profile_picture_url");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  JsonObject *profile;
  const char *username;
  const char *name;
  SdOutcome outcome;

  outcome = call (job, msg, FALSE, &root);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  profile = sd_http_json_node_object (root);
  id = member_id (profile, "id");
  username = sd_http_json_string (profile, "username");
  if (id == NULL || username == NULL)
    return unreadable_answer (job, msg, FALSE);
  name = sd_http_json_string (profile, "name");

  sd_account_set_remote_id (account, id);
  sd_account_set_handle (account, username[0] == '@' ? username + 1 : username);
  sd_account_set_display_name (account, name != NULL && name[0] != '\0' ? name : username);
  sd_account_set_avatar_url (account, sd_http_json_string (profile, "threads_profile_picture_url"));
  /* docs/threads/posts: 500 characters, at most 5 links, carousels of up to 20. */
  sd_account_set_limits_json (account, "{\"max_characters\": 500, \"max_links\": 5, \"max_media_attachments\": 20}");
  return sd_provider_status_set (job->status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_threads_verify_account (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  Job job = { ctx, NULL, cancellable, status, 0 };

  return finish_job (&job, read_profile (&job, ctx->account));
}

/* Reads a token answer ({"access_token", "token_type", "expires_in"}) into @credentials. */
static gboolean
read_long_lived (JsonObject    *answer,
                 SdCredentials *credentials)
{
  const char *token = sd_http_json_string (answer, "access_token");
  gint64 expires_in = member_int (answer, "expires_in", LONG_LIVED_SECONDS);

  if (token == NULL || token[0] == '\0')
    return FALSE;
  g_free (credentials->access_token);
  credentials->access_token = g_strdup (token);
  credentials->expires_at = expires_in > 0 ? sd_time_now () + expires_in : 0;
  credentials->refresh_expires_at = 0;
  g_clear_pointer (&credentials->refresh_token, g_free);
  credentials->changed = TRUE;
  return TRUE;
}

/* A token call on the un-versioned origin (/access_token, /refresh_access_token). */
static SdOutcome
token_call (Job        *job,
            const char *path,
            JsonNode  **out)
{
  g_autofree char *url = sd_network_origin_url (SD_PLATFORM_THREADS, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SdOutcome outcome;

  g_return_val_if_fail (msg != NULL, SD_OUTCOME_FAILED);
  outcome = call (job, msg, FALSE, out);
  /* A token Threads will not swap is a sign-in it no longer accepts. */
  if (outcome == SD_OUTCOME_FAILED && soup_message_get_status (msg) >= 400 && soup_message_get_status (msg) < 500)
    return reclassify (job->status, SD_OUTCOME_AUTH);
  if (outcome == SD_OUTCOME_DONE && (*out == NULL || sd_http_json_node_object (*out) == NULL))
    return unreadable_answer (job, msg, FALSE);
  return outcome;
}

static SdOutcome
sd_threads_list_identities (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            GPtrArray              *identities,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  Job job = { ctx, NULL, cancellable, status, 0 };
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  SdPublishContext identity_ctx;
  SdOutcome outcome;

  if (access_token (ctx) == NULL || ctx->credentials->client_secret == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("The Threads sign-in did not give SocialDesk what it needs; sign in again."));

  secret = g_uri_escape_string (ctx->credentials->client_secret, NULL, FALSE);
  token = g_uri_escape_string (ctx->credentials->access_token, NULL, FALSE);
  path = g_strdup_printf ("/access_token?grant_type=th_exchange_token&client_secret=%s&access_token=%s",
                          secret, token);
  outcome = token_call (&job, path, &answer);
  if (outcome != SD_OUTCOME_DONE)
    return finish_job (&job, outcome);

  credentials = sd_credentials_copy (ctx->credentials);
  if (!read_long_lived (sd_http_json_node_object (answer), credentials))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Threads did not give a long-lived sign-in."));

  account = sd_account_new (SD_PLATFORM_THREADS);
  identity_ctx = *ctx;
  identity_ctx.account = account;
  identity_ctx.credentials = credentials;
  job.ctx = &identity_ctx;
  outcome = read_profile (&job, account);
  if (outcome != SD_OUTCOME_DONE)
    return finish_job (&job, outcome);

  sd_account_set_token_expires_at (account, credentials->expires_at);
  g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account),
                                                        g_steal_pointer (&credentials)));
  return finish_job (&job, sd_provider_status_set (status, SD_OUTCOME_DONE, NULL));
}

static SdOutcome
sd_threads_refresh_credentials (SdProvider             *provider,
                                const SdPublishContext *ctx,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  Job job = { ctx, NULL, cancellable, status, 0 };
  SdCredentials *credentials = ctx->credentials;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  gint64 now = sd_time_now ();
  SdOutcome outcome;

  if (access_token (ctx) == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("This Threads account has no sign-in; sign in again."));
  if (credentials->expires_at > 0 && credentials->expires_at <= now)
    return sd_provider_status_set (status, SD_OUTCOME_AUTH,
                                   _("The Threads sign-in ran out; sign in again."));
  /* Threads renews a token only once it is a day old: a younger one is kept. */
  if (credentials->expires_at > 0 && credentials->expires_at - now > LONG_LIVED_SECONDS - REFRESH_MIN_AGE)
    {
      g_debug ("the token is less than a day old; keeping it");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  token = g_uri_escape_string (credentials->access_token, NULL, FALSE);
  path = g_strdup_printf ("/refresh_access_token?grant_type=th_refresh_token&access_token=%s", token);
  outcome = token_call (&job, path, &answer);
  if (outcome == SD_OUTCOME_AUTH && status->message == NULL)
    sd_provider_status_set (status, outcome, _("Threads would not renew the sign-in; sign in again."));
  if (outcome != SD_OUTCOME_DONE)
    return finish_job (&job, outcome);
  if (!read_long_lived (sd_http_json_node_object (answer), credentials))
    return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                   _("Threads’ answer to the sign-in renewal could not be read."));
  g_debug ("renewed the long-lived token");
  return finish_job (&job, sd_provider_status_set (status, SD_OUTCOME_DONE, NULL));
}

static SdPlatform
sd_threads_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_THREADS;
}

static void
sd_threads_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_threads_get_platform;
  iface->publish_part = sd_threads_publish_part;
  iface->resend_is_safe = sd_threads_resend_is_safe;
  iface->find_part = sd_threads_find_part;
  iface->verify_account = sd_threads_verify_account;
  iface->list_identities = sd_threads_list_identities;
  iface->refresh_credentials = sd_threads_refresh_credentials;
  sd_threads_inbox_init_iface (iface);
}

static void
sd_threads_class_init (SdThreadsClass *klass)
{
}

static void
sd_threads_init (SdThreads *self)
{
}

SdThreads *
sd_threads_new (void)
{
  return g_object_new (SD_TYPE_THREADS, NULL);
}

/* For sd-threads-inbox.c */

SoupMessage *
sd_threads_api_get (const SdPublishContext *ctx,
                    const char             *path)
{
  return api_get (ctx, path);
}

SdOutcome
sd_threads_call (const SdPublishContext *ctx,
                 SoupMessage            *msg,
                 GCancellable           *cancellable,
                 JsonNode              **out,
                 SdProviderStatus       *status)
{
  Job job = { ctx, NULL, cancellable, status, 0 };

  return finish_job (&job, call (&job, msg, FALSE, out));
}

gint64
sd_threads_parse_timestamp (const char *text)
{
  return parse_timestamp (text);
}

const char *
sd_threads_reply_target (const SdPublishContext *ctx)
{
  if (ctx->parent != NULL)
    return ctx->parent->remote_id;
  if (ctx->reply_to != NULL)
    return sd_message_get_remote_id (ctx->reply_to);
  return NULL;
}
