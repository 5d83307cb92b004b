/* sd-fake-threads.c — a loopback Threads API that answers as Meta's documentation shows
 *
 * Sources (developers.facebook.com/docs/threads): posts (containers and
 * threads_publish), troubleshooting (container status and error_message
 * values), overview (the 250-post quota and threads_publishing_limit),
 * threads-profiles (GET /me), retrieve-and-discover-posts (the user's
 * threads, cursor paging), reply-management (/replies), get-started
 * (authorization window, code exchange, long-lived tokens). The Graph error
 * objects follow docs/graph-api/guides/error-handling. Error texts Threads
 * does not document (a too-long text, publishing a container twice or
 * before it is ready, a token too young to refresh) are marked unverified.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-fake-threads"

#include "sd-fake-threads.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define API_PREFIX        "/v1.0/"
#define SHORT_LIVED       3600
#define REFRESH_MIN_AGE   (24 * 3600)
#define CONTAINER_LIFE    (24 * 3600)   /* docs: a container not published within 24 hours expires */
#define QUOTA_TOTAL       250
#define REPLY_QUOTA_TOTAL 1000
#define QUOTA_DURATION    86400
#define MAX_TEXT          500
#define MAX_CHILDREN      20
#define DEFAULT_LIMIT     25

typedef enum
{
  STATUS_IN_PROGRESS,
  STATUS_FINISHED,
  STATUS_PUBLISHED,
  STATUS_ERROR,
  STATUS_EXPIRED,
} ContainerStatus;

static const char * const status_names[] = { "IN_PROGRESS", "FINISHED", "PUBLISHED", "ERROR", "EXPIRED" };

typedef struct
{
  char *id;
  char *username;
  char *name;
  char *picture;
} FakeUser;

typedef struct
{
  char            *id;
  char            *user_id;
  char            *media_type;
  char            *text;
  char            *image_url;
  char            *video_url;
  char            *alt_text;
  char            *reply_to_id;
  GPtrArray       *children;      /* char * container ids */
  gboolean         carousel_item;
  ContainerStatus  status;
  guint            polls_left;
  char            *error_message;
  gint64           created_at;
} FakeContainer;

typedef struct
{
  char      *id;
  char      *user_id;
  char      *container_id;
  char      *media_type;
  char      *text;
  char      *shortcode;
  char      *permalink;
  char      *reply_to_id;
  gint64     created_at;
  JsonNode  *media;               /* array of {"media_type", "url", "alt_text"} */
  gboolean   hidden;              /* hide_status HIDDEN (manage_reply) */
} FakePost;

struct _SdFakeThreads
{
  SdFakeHttp *http;
  GPtrArray  *users;              /* FakeUser */
  GHashTable *containers;         /* id → FakeContainer */
  GPtrArray  *posts;              /* FakePost, oldest first */
  GHashTable *issued;             /* token → issued at (gint64 *), by the fake's clock */
  guint       video_polls;
  char       *container_error;
  guint       quota_extra;
  guint       app_usage;
  GHashTable *no_mentions;        /* user ids without threads_manage_mentions */
};

static void
fake_user_free (FakeUser *user)
{
  g_free (user->id);
  g_free (user->username);
  g_free (user->name);
  g_free (user->picture);
  g_free (user);
}

static void
fake_container_free (FakeContainer *container)
{
  g_free (container->id);
  g_free (container->user_id);
  g_free (container->media_type);
  g_free (container->text);
  g_free (container->image_url);
  g_free (container->video_url);
  g_free (container->alt_text);
  g_free (container->reply_to_id);
  g_clear_pointer (&container->children, g_ptr_array_unref);
  g_free (container->error_message);
  g_free (container);
}

static void
fake_post_free (FakePost *post)
{
  g_free (post->id);
  g_free (post->user_id);
  g_free (post->container_id);
  g_free (post->media_type);
  g_free (post->text);
  g_free (post->shortcode);
  g_free (post->permalink);
  g_free (post->reply_to_id);
  g_clear_pointer (&post->media, json_node_unref);
  g_free (post);
}

/* Answers */

static void
set_usage_header (SdFakeThreads *self,
                  SdFakeRequest *request)
{
  g_autofree char *usage = NULL;

  if (self->app_usage == 0)
    return;
  /* X-App-Usage as Graph sends it (docs/graph-api/overview/rate-limiting);
   * whether graph.threads.net sends it too is unverified. */
  usage = g_strdup_printf ("{\"call_count\":%u,\"total_cputime\":%u,\"total_time\":%u}",
                           self->app_usage, MIN (self->app_usage, 100u), MIN (self->app_usage, 100u));
  sd_fake_http_set_header (request, "X-App-Usage", usage);
}

/* Always TRUE: handlers may return it. */
static gboolean
respond_error (SdFakeThreads *self,
               SdFakeRequest *request,
               guint          status,
               const char    *type,
               int            code,
               int            subcode,
               const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trace = sd_fake_http_new_id (self->http);

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
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, trace);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, status, root);
  set_usage_header (self, request);
  return TRUE;
}

static gboolean
respond_param_error (SdFakeThreads *self,
                     SdFakeRequest *request,
                     const char    *message)
{
  return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 100, 0, message);
}

static void
respond_node (SdFakeThreads *self,
              SdFakeRequest *request,
              JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = json_to_string (root, FALSE);
  g_auto(GStrv) pieces = g_strsplit (json, "\\\\ud8", -1);
  g_autofree char *served = g_strjoinv ("\\ud8", pieces);

  /* A seed's text holding the six characters "\\ud8xx" is served as that
   * JSON escape (a lone surrogate), as a careless server might. */
  sd_fake_http_respond_json_text (request, SOUP_STATUS_OK, served);
  set_usage_header (self, request);
}

static void
rate_limited (SdFakeHttp    *http,
              SdFakeRequest *request,
              gpointer       user_data)
{
  SdFakeThreads *self = user_data;
  guint usage = self->app_usage;

  /* Graph's "Application request limit reached" (code 4); the status code
   * Threads uses for it is unverified (Graph answers 400 or 403 too). */
  self->app_usage = 100;
  respond_error (self, request, 429, "OAuthException", 4, 0, "(#4) Application request limit reached");
  self->app_usage = usage;
}

/* Tokens */

static void
note_issued (SdFakeThreads *self,
             const char    *token)
{
  gint64 *when = g_new (gint64, 1);

  *when = sd_fake_http_now (self->http);
  g_hash_table_insert (self->issued, g_strdup (token), when);
}

/* The request's user, or NULL after answering the Graph error. */
static const char *
authenticate (SdFakeThreads *self,
              SdFakeRequest *request)
{
  const char *token = request->bearer != NULL ? request->bearer : sd_fake_request_param (request, "access_token");
  const char *user_id = NULL;

  switch (sd_fake_http_check_token_locked (self->http, token, &user_id))
    {
    case SD_FAKE_TOKEN_VALID:
      return user_id;
    case SD_FAKE_TOKEN_EXPIRED:
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 190, 463,
                     "Error validating access token: Session has expired.");
      return NULL;
    case SD_FAKE_TOKEN_UNKNOWN:
    default:
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 190, 0,
                     "Invalid OAuth access token - Cannot parse access token");
      return NULL;
    }
}

static FakeUser *
find_user (SdFakeThreads *self,
           const char    *id)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      FakeUser *user = g_ptr_array_index (self->users, i);

      if (g_strcmp0 (user->id, id) == 0)
        return user;
    }
  return NULL;
}

static FakePost *
find_post (SdFakeThreads *self,
           const char    *id)
{
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->id, id) == 0)
        return post;
    }
  return NULL;
}

static void
handle_code_exchange (SdFakeThreads *self,
                      SdFakeRequest *request)
{
  const char *client_id = sd_fake_request_param (request, "client_id");
  const char *secret = sd_fake_request_param (request, "client_secret");
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *user_id = NULL;

  if (g_strcmp0 (client_id, SD_FAKE_THREADS_CLIENT_ID) != 0)
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 101, 0,
                     "Error validating application. Invalid application ID.");
      return;
    }
  if (g_strcmp0 (secret, SD_FAKE_THREADS_CLIENT_SECRET) != 0)
    {
      respond_param_error (self, request, "Error validating client secret.");
      return;
    }
  if (g_strcmp0 (sd_fake_request_param (request, "grant_type"), "authorization_code") != 0)
    {
      respond_param_error (self, request, "Unsupported grant_type");
      return;
    }
  if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"), client_id,
                                        sd_fake_request_param (request, "redirect_uri"),
                                        sd_fake_request_param (request, "code_verifier"),
                                        SHORT_LIVED, FALSE, &access, &refresh, &user_id))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 100, 36007,
                     "Invalid verification code format."); /* wording unverified */
      return;
    }
  note_issued (self, access);

  /* docs/threads/get-started: {"access_token": "...", "user_id": 12345} */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_int_value (builder, g_ascii_strtoll (user_id, NULL, 10));
  json_builder_end_object (builder);
  respond_node (self, request, builder);
}

static void
respond_long_lived (SdFakeThreads *self,
                    SdFakeRequest *request,
                    const char    *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  note_issued (self, token);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, SD_FAKE_THREADS_LONG_LIVED);
  json_builder_end_object (builder);
  respond_node (self, request, builder);
}

static void
handle_exchange (SdFakeThreads *self,
                 SdFakeRequest *request)
{
  const char *token = sd_fake_request_param (request, "access_token");
  g_autofree char *long_lived = NULL;

  if (g_strcmp0 (sd_fake_request_param (request, "grant_type"), "th_exchange_token") != 0)
    {
      respond_param_error (self, request, "Unsupported grant_type");
      return;
    }
  if (g_strcmp0 (sd_fake_request_param (request, "client_secret"), SD_FAKE_THREADS_CLIENT_SECRET) != 0)
    {
      respond_param_error (self, request, "Error validating client secret.");
      return;
    }
  if (authenticate (self, request) == NULL)
    return;
  long_lived = sd_fake_http_exchange_locked (self->http, token, SD_FAKE_THREADS_LONG_LIVED);
  respond_long_lived (self, request, long_lived);
}

static void
handle_refresh (SdFakeThreads *self,
                SdFakeRequest *request)
{
  const char *token = sd_fake_request_param (request, "access_token");
  gint64 *issued = token != NULL ? g_hash_table_lookup (self->issued, token) : NULL;
  g_autofree char *renewed = NULL;

  if (g_strcmp0 (sd_fake_request_param (request, "grant_type"), "th_refresh_token") != 0)
    {
      respond_param_error (self, request, "Unsupported grant_type");
      return;
    }
  if (authenticate (self, request) == NULL)
    return;
  /* docs: a long-lived token can be refreshed once it is at least 24 hours old. */
  if (issued != NULL && sd_fake_http_now (self->http) - *issued < REFRESH_MIN_AGE)
    {
      respond_param_error (self, request, "The access token must be at least 24 hours old to be refreshed."); /* unverified */
      return;
    }
  renewed = sd_fake_http_exchange_locked (self->http, token, SD_FAKE_THREADS_LONG_LIVED);
  respond_long_lived (self, request, renewed);
}

/* Objects */

static gboolean
wants (const char *fields,
       const char *field)
{
  g_auto(GStrv) names = g_strsplit (fields != NULL ? fields : "", ",", -1);

  return g_strv_contains ((const char * const *) names, field);
}

static char *
format_timestamp (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_time);

  /* As Threads writes it: "2023-10-17T05:42:03+0000". */
  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%S+0000");
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

static FakePost *
root_of (SdFakeThreads *self,
         FakePost      *post)
{
  FakePost *parent;

  while (post->reply_to_id != NULL && (parent = find_post (self, post->reply_to_id)) != NULL)
    post = parent;
  return post;
}

static void
build_post (SdFakeThreads *self,
            JsonBuilder   *builder,
            FakePost      *post,
            const char    *fields)
{
  FakeUser *user = find_user (self, post->user_id);

  json_builder_begin_object (builder);
  add_string (builder, "id", post->id);
  if (wants (fields, "media_product_type"))
    add_string (builder, "media_product_type", "THREADS");
  if (wants (fields, "media_type"))
    add_string (builder, "media_type", post->media_type);
  if (wants (fields, "text") && post->text != NULL)
    add_string (builder, "text", post->text);
  if (wants (fields, "permalink"))
    add_string (builder, "permalink", post->permalink);
  if (wants (fields, "shortcode"))
    add_string (builder, "shortcode", post->shortcode);
  if (wants (fields, "username") && user != NULL)
    add_string (builder, "username", user->username);
  if (wants (fields, "timestamp"))
    {
      g_autofree char *when = format_timestamp (post->created_at);

      add_string (builder, "timestamp", when);
    }
  if (wants (fields, "is_reply"))
    {
      json_builder_set_member_name (builder, "is_reply");
      json_builder_add_boolean_value (builder, post->reply_to_id != NULL);
    }
  if (wants (fields, "replied_to") && post->reply_to_id != NULL)
    {
      json_builder_set_member_name (builder, "replied_to");
      json_builder_begin_object (builder);
      add_string (builder, "id", post->reply_to_id);
      json_builder_end_object (builder);
    }
  if (wants (fields, "root_post") && post->reply_to_id != NULL)
    {
      json_builder_set_member_name (builder, "root_post");
      json_builder_begin_object (builder);
      add_string (builder, "id", root_of (self, post)->id);
      json_builder_end_object (builder);
    }
  if (wants (fields, "hide_status") && post->reply_to_id != NULL)
    add_string (builder, "hide_status", post->hidden ? "HIDDEN" : "NOT_HUSHED");
  if (wants (fields, "has_replies"))
    {
      gboolean any = FALSE;

      for (guint i = 0; i < self->posts->len && !any; i++)
        any = g_strcmp0 (((FakePost *) g_ptr_array_index (self->posts, i))->reply_to_id, post->id) == 0;
      json_builder_set_member_name (builder, "has_replies");
      json_builder_add_boolean_value (builder, any);
    }
  json_builder_end_object (builder);
}

static void
update_container (SdFakeThreads *self,
                  FakeContainer *container)
{
  if ((container->status == STATUS_IN_PROGRESS || container->status == STATUS_FINISHED)
      && sd_fake_http_now (self->http) - container->created_at > CONTAINER_LIFE)
    container->status = STATUS_EXPIRED;
}

static void
handle_get_object (SdFakeThreads *self,
                   SdFakeRequest *request,
                   const char    *user_id,
                   const char    *id)
{
  const char *fields = sd_fake_request_param (request, "fields");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  FakeContainer *container;
  FakePost *post;
  FakeUser *user;

  if (g_strcmp0 (id, "me") == 0)
    id = user_id;

  if ((user = find_user (self, id)) != NULL && g_strcmp0 (id, user_id) == 0)
    {
      /* docs/threads/threads-profiles */
      json_builder_begin_object (builder);
      add_string (builder, "id", user->id);
      if (wants (fields, "username"))
        add_string (builder, "username", user->username);
      if (wants (fields, "name"))
        add_string (builder, "name", user->name);
      if (wants (fields, "threads_profile_picture_url"))
        add_string (builder, "threads_profile_picture_url", user->picture);
      if (wants (fields, "threads_biography"))
        add_string (builder, "threads_biography", "Posting from SocialDesk");
      json_builder_end_object (builder);
      respond_node (self, request, builder);
      return;
    }

  container = g_hash_table_lookup (self->containers, id);
  if (container != NULL && g_strcmp0 (container->user_id, user_id) == 0)
    {
      /* docs/threads/troubleshooting: {"status": "FINISHED", "id": "..."} */
      update_container (self, container);
      if (container->status == STATUS_IN_PROGRESS)
        {
          if (container->polls_left != G_MAXUINT && container->polls_left > 0)
            container->polls_left--;
          if (container->polls_left == 0)
            container->status = container->error_message != NULL ? STATUS_ERROR : STATUS_FINISHED;
        }
      json_builder_begin_object (builder);
      if (wants (fields, "status"))
        add_string (builder, "status", status_names[container->status]);
      add_string (builder, "id", container->id);
      if (wants (fields, "error_message") && container->status == STATUS_ERROR)
        add_string (builder, "error_message", container->error_message);
      json_builder_end_object (builder);
      respond_node (self, request, builder);
      return;
    }

  post = find_post (self, id);
  if (post != NULL)
    {
      build_post (self, builder, post, fields);
      respond_node (self, request, builder);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf ("Unsupported get request. Object with ID '%s' does not exist, "
                                                "cannot be loaded due to missing permissions, or does not "
                                                "support this operation.", id);

    respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "GraphMethodException", 100, 33, message);
  }
}

static gboolean
is_http_url (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"));
}

static gboolean
handle_create_container (SdFakeThreads *self,
                         SdFakeRequest *request,
                         const char    *user_id)
{
  const char *media_type = sd_fake_request_param (request, "media_type");
  const char *text = sd_fake_request_param (request, "text");
  const char *image_url = sd_fake_request_param (request, "image_url");
  const char *video_url = sd_fake_request_param (request, "video_url");
  const char *children = sd_fake_request_param (request, "children");
  const char *reply_to_id = sd_fake_request_param (request, "reply_to_id");
  gboolean carousel_item = g_strcmp0 (sd_fake_request_param (request, "is_carousel_item"), "true") == 0;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  FakeContainer *container;

  if (media_type == NULL)
    return respond_param_error (self, request, "(#100) The parameter media_type is required.");
  if (text != NULL && g_utf8_strlen (text, -1) > MAX_TEXT)
    /* The wording is unverified; the 500-character limit is documented. */
    return respond_param_error (self, request, "(#100) Param text must be at most 500 characters long.");
  if (reply_to_id != NULL && find_post (self, reply_to_id) == NULL)
    return respond_param_error (self, request, "(#100) Param reply_to_id is not a valid Threads media id.");

  container = g_new0 (FakeContainer, 1);
  container->status = STATUS_FINISHED;

  if (strcmp (media_type, "TEXT") == 0)
    {
      if (text == NULL || text[0] == '\0' || carousel_item)
        {
          fake_container_free (container);
          return respond_param_error (self, request, "(#100) The parameter text is required.");
        }
    }
  else if (strcmp (media_type, "IMAGE") == 0)
    {
      if (!is_http_url (image_url))
        {
          fake_container_free (container);
          return respond_param_error (self, request, "(#100) The parameter image_url is required.");
        }
      if (self->container_error != NULL)
        {
          container->status = STATUS_ERROR;
          container->error_message = g_strdup (self->container_error);
        }
    }
  else if (strcmp (media_type, "VIDEO") == 0)
    {
      if (!is_http_url (video_url))
        {
          fake_container_free (container);
          return respond_param_error (self, request, "(#100) The parameter video_url is required.");
        }
      container->status = self->video_polls > 0 ? STATUS_IN_PROGRESS
                          : self->container_error != NULL ? STATUS_ERROR : STATUS_FINISHED;
      container->polls_left = self->video_polls;
      container->error_message = g_strdup (self->container_error);
    }
  else if (strcmp (media_type, "CAROUSEL") == 0 && !carousel_item)
    {
      g_auto(GStrv) ids = g_strsplit (children != NULL ? children : "", ",", -1);
      guint n = g_strv_length (ids);

      if (children == NULL || n < 2 || n > MAX_CHILDREN)
        {
          fake_container_free (container);
          return respond_param_error (self, request, "(#100) Param children must contain between 2 and 20 items.");
        }
      container->children = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        {
          FakeContainer *child = g_hash_table_lookup (self->containers, ids[i]);

          if (child == NULL || !child->carousel_item || g_strcmp0 (child->user_id, user_id) != 0
              || child->status != STATUS_FINISHED)
            {
              g_autofree char *message = g_strdup_printf ("(#100) The carousel item %s is not ready or not valid.", ids[i]);

              fake_container_free (container);
              return respond_param_error (self, request, message);
            }
          g_ptr_array_add (container->children, g_strdup (ids[i]));
        }
    }
  else
    {
      fake_container_free (container);
      return respond_param_error (self, request, "(#100) Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}.");
    }

  container->id = sd_fake_http_new_id (self->http);
  container->user_id = g_strdup (user_id);
  container->media_type = g_strdup (media_type);
  container->text = g_strdup (text);
  container->image_url = g_strdup (image_url);
  container->video_url = g_strdup (video_url);
  container->alt_text = g_strdup (sd_fake_request_param (request, "alt_text"));
  container->reply_to_id = g_strdup (reply_to_id);
  container->carousel_item = carousel_item;
  container->created_at = sd_fake_http_now (self->http);
  g_hash_table_insert (self->containers, container->id, container);

  json_builder_begin_object (builder);
  add_string (builder, "id", container->id);
  json_builder_end_object (builder);
  respond_node (self, request, builder);
  return TRUE;
}

static guint
quota_usage (SdFakeThreads *self,
             const char    *user_id,
             gboolean       replies)
{
  gint64 since = sd_fake_http_now (self->http) - QUOTA_DURATION;
  guint used = replies ? 0 : self->quota_extra;

  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->user_id, user_id) == 0 && post->created_at > since
          && (post->reply_to_id != NULL) == replies)
        used++;
    }
  return used;
}

static void
add_media_item (JsonBuilder   *builder,
                FakeContainer *container)
{
  json_builder_begin_object (builder);
  add_string (builder, "media_type", container->media_type);
  add_string (builder, "url", container->image_url != NULL ? container->image_url : container->video_url);
  add_string (builder, "alt_text", container->alt_text);
  json_builder_end_object (builder);
}

static char *
new_shortcode (SdFakeThreads *self)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  g_autofree char *id = sd_fake_http_new_id (self->http);
  guint64 value = g_ascii_strtoull (id, NULL, 10);
  GString *code = g_string_new ("C");

  for (guint i = 0; i < 10; i++, value /= 64)
    g_string_append_c (code, alphabet[value % 64]);
  return g_string_free (code, FALSE);
}

static gboolean
handle_publish (SdFakeThreads *self,
                SdFakeRequest *request,
                const char    *user_id)
{
  const char *creation_id = sd_fake_request_param (request, "creation_id");
  FakeContainer *container = creation_id != NULL ? g_hash_table_lookup (self->containers, creation_id) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) media = json_builder_new ();
  FakeUser *user = find_user (self, user_id);
  gboolean reply;
  FakePost *post;

  if (creation_id == NULL)
    return respond_param_error (self, request, "(#100) The parameter creation_id is required.");
  if (container == NULL || g_strcmp0 (container->user_id, user_id) != 0 || container->carousel_item)
    /* As Instagram's content publishing answers it; Threads' wording is unverified. */
    return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 24, 4279009,
                          "The requested resource does not exist");
  update_container (self, container);
  switch (container->status)
    {
    case STATUS_IN_PROGRESS:
      return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 9007, 4279001,
                            "The media is not ready for publishing, please wait for a moment"); /* unverified */
    case STATUS_PUBLISHED:
      return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 24, 4279009,
                            "The media container has already been published."); /* unverified */
    case STATUS_ERROR:
    case STATUS_EXPIRED:
      return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 24, 4279009,
                            "The media container can no longer be published."); /* unverified */
    case STATUS_FINISHED:
    default:
      break;
    }
  reply = container->reply_to_id != NULL;
  if (quota_usage (self, user_id, reply) >= (reply ? REPLY_QUOTA_TOTAL : QUOTA_TOTAL))
    /* docs/threads/overview: the limit is enforced here; the error's code is unverified. */
    return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 4, 0,
                          "(#4) The publishing limit of the last 24 hours has been reached.");

  json_builder_begin_array (media);
  if (container->children != NULL)
    for (guint i = 0; i < container->children->len; i++)
      add_media_item (media, g_hash_table_lookup (self->containers, g_ptr_array_index (container->children, i)));
  else if (strcmp (container->media_type, "TEXT") != 0)
    add_media_item (media, container);
  json_builder_end_array (media);

  post = g_new0 (FakePost, 1);
  post->id = sd_fake_http_new_id (self->http);
  post->user_id = g_strdup (user_id);
  post->container_id = g_strdup (container->id);
  post->media_type = g_strdup (strcmp (container->media_type, "CAROUSEL") == 0 ? "CAROUSEL_ALBUM"
                               : strcmp (container->media_type, "TEXT") == 0 ? "TEXT_POST"
                               : container->media_type);
  post->text = g_strdup (container->text);
  post->shortcode = new_shortcode (self);
  post->permalink = g_strdup_printf ("https://www.threads.net/@%s/post/%s",
                                     user != NULL ? user->username : "unknown", post->shortcode);
  post->reply_to_id = g_strdup (container->reply_to_id);
  post->created_at = sd_fake_http_now (self->http);
  post->media = json_builder_get_root (media);
  g_ptr_array_add (self->posts, post);
  container->status = STATUS_PUBLISHED;

  json_builder_begin_object (builder);
  add_string (builder, "id", post->id);
  json_builder_end_object (builder);
  respond_node (self, request, builder);
  return TRUE;
}

/* GET /{user-id}/threads and /replies: newest first, cursor paging. */
static void
handle_list (SdFakeThreads *self,
             SdFakeRequest *request,
             const char    *user_id,
             gboolean       replies)
{
  const char *fields = sd_fake_request_param (request, "fields");
  const char *after = sd_fake_request_param (request, "after");
  const char *limit_text = sd_fake_request_param (request, "limit");
  const char *since_text = sd_fake_request_param (request, "since");
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : DEFAULT_LIMIT;
  gint64 since = since_text != NULL ? g_ascii_strtoll (since_text, NULL, 10) : 0;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  gboolean started = after == NULL;
  gboolean more = FALSE;

  limit = CLAMP (limit, 1, 100);
  for (guint i = self->posts->len; i > 0; i--)
    {
      FakePost *post = g_ptr_array_index (self->posts, i - 1);

      if (g_strcmp0 (post->user_id, user_id) != 0 || (post->reply_to_id != NULL) != replies
          || post->created_at < since)
        continue;
      if (!started)
        {
          started = g_strcmp0 (post->id, after) == 0;
          continue;
        }
      if (page->len == limit)
        {
          more = TRUE;
          break;
        }
      g_ptr_array_add (page, post);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->len; i++)
    build_post (self, builder, g_ptr_array_index (page, i), fields);
  json_builder_end_array (builder);
  if (page->len > 0)
    {
      FakePost *first = g_ptr_array_index (page, 0);
      FakePost *last = g_ptr_array_index (page, page->len - 1);

      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cursors");
      json_builder_begin_object (builder);
      add_string (builder, "before", first->id);
      add_string (builder, "after", last->id);
      json_builder_end_object (builder);
      if (more)
        {
          g_autofree char *next = g_strdup_printf ("%s%s%s/%s?fields=%s&limit=%u&after=%s",
                                                   sd_fake_http_get_url (self->http), API_PREFIX, user_id,
                                                   replies ? "replies" : "threads", fields != NULL ? fields : "id",
                                                   limit, last->id);

          add_string (builder, "next", next);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  respond_node (self, request, builder);
}

static void
handle_publishing_limit (SdFakeThreads *self,
                         SdFakeRequest *request,
                         const char    *user_id)
{
  const char *fields = sd_fake_request_param (request, "fields");
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  /* docs/threads/overview: {"data": [{"quota_usage": 4, "config": {"quota_total": 250, "quota_duration": 86400}}]} */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  if (wants (fields, "quota_usage"))
    {
      json_builder_set_member_name (builder, "quota_usage");
      json_builder_add_int_value (builder, quota_usage (self, user_id, FALSE));
    }
  if (wants (fields, "config"))
    {
      json_builder_set_member_name (builder, "config");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "quota_total");
      json_builder_add_int_value (builder, QUOTA_TOTAL);
      json_builder_set_member_name (builder, "quota_duration");
      json_builder_add_int_value (builder, QUOTA_DURATION);
      json_builder_end_object (builder);
    }
  if (wants (fields, "reply_quota_usage"))
    {
      json_builder_set_member_name (builder, "reply_quota_usage");
      json_builder_add_int_value (builder, quota_usage (self, user_id, TRUE));
    }
  if (wants (fields, "reply_config"))
    {
      json_builder_set_member_name (builder, "reply_config");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "quota_total");
      json_builder_add_int_value (builder, REPLY_QUOTA_TOTAL);
      json_builder_set_member_name (builder, "quota_duration");
      json_builder_add_int_value (builder, QUOTA_DURATION);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond_node (self, request, builder);
}

/* The inbox (docs/threads/reply-management): a media's replies and
 * conversation, hiding replies, the user's mentions (unverified). */

static gboolean
descends_from (SdFakeThreads *self,
               FakePost      *post,
               const char    *ancestor_id)
{
  FakePost *parent;

  while (post->reply_to_id != NULL && (parent = find_post (self, post->reply_to_id)) != NULL)
    {
      if (g_strcmp0 (parent->id, ancestor_id) == 0)
        return TRUE;
      post = parent;
    }
  return FALSE;
}

static gboolean
mentions_user (SdFakeThreads *self,
               FakePost      *post,
               FakeUser      *user)
{
  g_autofree char *handle = g_strconcat ("@", user->username, NULL);

  return g_strcmp0 (post->user_id, user->id) != 0 && post->text != NULL && strstr (post->text, handle) != NULL;
}

typedef gboolean (*PostFilter) (SdFakeThreads *self,
                                FakePost      *post,
                                gconstpointer  data);

/* A list of the posts passing @filter with cursor paging: newest first with
 * reverse=false, oldest first otherwise (the documented default). */
static void
respond_post_list (SdFakeThreads *self,
                   SdFakeRequest *request,
                   const char    *edge_path,
                   PostFilter     filter,
                   gconstpointer  data)
{
  const char *fields = sd_fake_request_param (request, "fields");
  const char *after = sd_fake_request_param (request, "after");
  const char *limit_text = sd_fake_request_param (request, "limit");
  gboolean newest_first = g_strcmp0 (sd_fake_request_param (request, "reverse"), "false") == 0;
  guint limit = CLAMP (limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : DEFAULT_LIMIT, 1, 100);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  gboolean started = after == NULL;
  gboolean more = FALSE;

  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, newest_first ? self->posts->len - 1 - i : i);

      if (filter (self, post, data))
        g_ptr_array_add (all, post);
    }
  for (guint i = 0; i < all->len; i++)
    {
      FakePost *post = g_ptr_array_index (all, i);

      if (!started)
        {
          started = g_strcmp0 (post->id, after) == 0;
          continue;
        }
      if (page->len == limit)
        {
          more = TRUE;
          break;
        }
      g_ptr_array_add (page, post);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->len; i++)
    build_post (self, builder, g_ptr_array_index (page, i), fields);
  json_builder_end_array (builder);
  if (page->len > 0)
    {
      FakePost *first = g_ptr_array_index (page, 0);
      FakePost *last = g_ptr_array_index (page, page->len - 1);

      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cursors");
      json_builder_begin_object (builder);
      add_string (builder, "before", first->id);
      add_string (builder, "after", last->id);
      json_builder_end_object (builder);
      if (more)
        {
          g_autofree char *next = g_strdup_printf ("%s%s%s?fields=%s&limit=%u&after=%s%s",
                                                   sd_fake_http_get_url (self->http), API_PREFIX, edge_path,
                                                   fields != NULL ? fields : "id", limit, last->id,
                                                   newest_first ? "&reverse=false" : "");

          add_string (builder, "next", next);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  respond_node (self, request, builder);
}

static gboolean
is_direct_reply (SdFakeThreads *self,
                 FakePost      *post,
                 gconstpointer  data)
{
  return g_strcmp0 (post->reply_to_id, data) == 0;
}

static gboolean
is_descendant (SdFakeThreads *self,
               FakePost      *post,
               gconstpointer  data)
{
  return descends_from (self, post, data);
}

static gboolean
is_mention (SdFakeThreads *self,
            FakePost      *post,
            gconstpointer  data)
{
  return mentions_user (self, post, (FakeUser *) data);
}

static void
handle_mentions (SdFakeThreads *self,
                 SdFakeRequest *request,
                 const char    *user_id)
{
  if (g_hash_table_contains (self->no_mentions, user_id))
    {
      /* Graph's missing-permission error; the status Threads uses is unverified. */
      respond_error (self, request, SOUP_STATUS_FORBIDDEN, "OAuthException", 10, 0,
                     "(#10) Application does not have permission for this action");
      return;
    }
  respond_post_list (self, request, "me/mentions", is_mention, find_user (self, user_id));
}

static gboolean
handle_media_edge (SdFakeThreads *self,
                   SdFakeRequest *request,
                   const char    *user_id,
                   const char    *media_id,
                   const char    *edge,
                   gboolean       get,
                   gboolean       post)
{
  g_autofree char *edge_path = g_strdup_printf ("%s/%s", media_id, edge);
  FakePost *media = find_post (self, media_id);

  if (get && strcmp (edge, "replies") == 0)
    respond_post_list (self, request, edge_path, is_direct_reply, media_id);
  else if (get && strcmp (edge, "conversation") == 0)
    respond_post_list (self, request, edge_path, is_descendant, media_id);
  else if (post && strcmp (edge, "manage_reply") == 0)
    {
      const char *hide = sd_fake_request_param (request, "hide");
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (hide == NULL || (strcmp (hide, "true") != 0 && strcmp (hide, "false") != 0))
        return respond_param_error (self, request, "(#100) The parameter hide is required.");
      if (media->reply_to_id == NULL || g_strcmp0 (root_of (self, media)->user_id, user_id) != 0)
        /* The wording is unverified. */
        return respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "OAuthException", 10, 0,
                              "(#10) You can only hide replies to your own posts.");
      media->hidden = strcmp (hide, "true") == 0;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "success");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      respond_node (self, request, builder);
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
handle_api (SdFakeThreads *self,
            SdFakeRequest *request)
{
  g_auto(GStrv) segments = g_strsplit (request->path + strlen (API_PREFIX), "/", -1);
  guint n = g_strv_length (segments);
  gboolean get = strcmp (request->method, "GET") == 0;
  gboolean post = strcmp (request->method, "POST") == 0;
  const char *user_id;
  const char *target;

  if (n == 0 || n > 2 || segments[0][0] == '\0')
    return FALSE;
  user_id = authenticate (self, request);
  if (user_id == NULL)
    return TRUE;

  if (n == 1 && get)
    {
      handle_get_object (self, request, user_id, segments[0]);
      return TRUE;
    }

  if (n == 2 && find_post (self, segments[0]) != NULL)
    return handle_media_edge (self, request, user_id, segments[0], segments[1], get, post);

  target = strcmp (segments[0], "me") == 0 ? user_id : segments[0];
  if (g_strcmp0 (target, user_id) != 0)
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "GraphMethodException", 100, 33,
                     "Unsupported request. The object does not exist or does not support this operation.");
      return TRUE;
    }
  if (post && strcmp (segments[1], "threads") == 0)
    handle_create_container (self, request, user_id);
  else if (post && strcmp (segments[1], "threads_publish") == 0)
    handle_publish (self, request, user_id);
  else if (get && strcmp (segments[1], "threads") == 0)
    handle_list (self, request, user_id, FALSE);
  else if (get && strcmp (segments[1], "replies") == 0)
    handle_list (self, request, user_id, TRUE);
  else if (get && strcmp (segments[1], "threads_publishing_limit") == 0)
    handle_publishing_limit (self, request, user_id);
  else if (get && strcmp (segments[1], "mentions") == 0)
    handle_mentions (self, request, user_id);
  else
    return FALSE;
  return TRUE;
}

static gboolean
handler (SdFakeHttp    *http,
         SdFakeRequest *request,
         gpointer       user_data)
{
  SdFakeThreads *self = user_data;
  gboolean get = strcmp (request->method, "GET") == 0;

  if (get && strcmp (request->path, "/oauth/authorize") == 0)
    sd_fake_http_handle_authorize_locked (http, request, "client_id", NULL);
  else if (strcmp (request->method, "POST") == 0 && strcmp (request->path, "/oauth/access_token") == 0)
    handle_code_exchange (self, request);
  else if (get && strcmp (request->path, "/access_token") == 0)
    handle_exchange (self, request);
  else if (get && strcmp (request->path, "/refresh_access_token") == 0)
    handle_refresh (self, request);
  else if (g_str_has_prefix (request->path, API_PREFIX))
    return handle_api (self, request);
  else
    return FALSE;
  return TRUE;
}

/* Public */

SdFakeThreads *
sd_fake_threads_new (void)
{
  SdFakeThreads *self = g_new0 (SdFakeThreads, 1);

  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_user_free);
  self->containers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_container_free);
  self->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_post_free);
  self->issued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->video_polls = 1;
  self->no_mentions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->http = sd_fake_http_new (handler, self);
  sd_fake_http_set_rate_limited (self->http, rate_limited, self);
  return self;
}

void
sd_fake_threads_free (SdFakeThreads *self)
{
  if (self == NULL)
    return;
  sd_fake_http_free (self->http);
  g_ptr_array_unref (self->users);
  g_hash_table_unref (self->containers);
  g_ptr_array_unref (self->posts);
  g_hash_table_unref (self->issued);
  g_hash_table_unref (self->no_mentions);
  g_free (self->container_error);
  g_free (self);
}

const char *
sd_fake_threads_get_url (SdFakeThreads *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_threads_get_http (SdFakeThreads *self)
{
  return self->http;
}

void
sd_fake_threads_add_user (SdFakeThreads *self,
                          const char    *user_id,
                          const char    *username,
                          const char    *access_token,
                          const char    *refresh_token)
{
  FakeUser *user = g_new0 (FakeUser, 1);
  g_autofree char *initial = g_utf8_strup (username, g_utf8_next_char (username) - username);

  user->id = g_strdup (user_id);
  user->username = g_strdup (username);
  user->name = g_strconcat (initial, g_utf8_next_char (username), NULL);
  user->picture = g_strdup_printf ("https://scontent.cdninstagram.com/v/t51.2885-19/%s_n.jpg", user_id);

  sd_fake_http_lock (self->http);
  g_ptr_array_add (self->users, user);
  if (access_token != NULL)
    {
      sd_fake_http_add_token_locked (self->http, user_id, access_token, refresh_token,
                                     SD_FAKE_THREADS_LONG_LIVED);
      note_issued (self, access_token);
    }
  sd_fake_http_unlock (self->http);
}

guint
sd_fake_threads_count_posts (SdFakeThreads *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->posts->len;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_threads_count_posts_with_text (SdFakeThreads *self,
                                       const char    *text)
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
sd_fake_threads_count_containers (SdFakeThreads *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = g_hash_table_size (self->containers);
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_threads_dup_post_json (SdFakeThreads *self,
                               const char    *post_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = NULL;
  FakePost *post;

  sd_fake_http_lock (self->http);
  post = find_post (self, post_id);
  if (post == NULL)
    {
      sd_fake_http_unlock (self->http);
      return NULL;
    }
  when = format_timestamp (post->created_at);
  json_builder_begin_object (builder);
  add_string (builder, "id", post->id);
  add_string (builder, "user_id", post->user_id);
  add_string (builder, "container_id", post->container_id);
  add_string (builder, "media_type", post->media_type);
  add_string (builder, "text", post->text);
  add_string (builder, "permalink", post->permalink);
  add_string (builder, "timestamp", when);
  add_string (builder, "reply_to_id", post->reply_to_id);
  json_builder_set_member_name (builder, "media");
  json_builder_add_value (builder, json_node_copy (post->media));
  json_builder_end_object (builder);
  sd_fake_http_unlock (self->http);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
sd_fake_threads_set_video_polls (SdFakeThreads *self,
                                 guint          polls)
{
  sd_fake_http_lock (self->http);
  self->video_polls = polls;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_threads_finish_containers (SdFakeThreads *self)
{
  GHashTableIter iter;
  FakeContainer *container;

  sd_fake_http_lock (self->http);
  g_hash_table_iter_init (&iter, self->containers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &container))
    if (container->status == STATUS_IN_PROGRESS)
      {
        container->polls_left = 0;
        container->status = container->error_message != NULL ? STATUS_ERROR : STATUS_FINISHED;
      }
  sd_fake_http_unlock (self->http);
}

void
sd_fake_threads_set_container_error (SdFakeThreads *self,
                                     const char    *error_message)
{
  sd_fake_http_lock (self->http);
  g_free (self->container_error);
  self->container_error = g_strdup (error_message);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_threads_set_quota_usage (SdFakeThreads *self,
                                 guint          extra_posts)
{
  sd_fake_http_lock (self->http);
  self->quota_extra = extra_posts;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_threads_set_app_usage (SdFakeThreads *self,
                               guint          percent)
{
  sd_fake_http_lock (self->http);
  self->app_usage = percent;
  sd_fake_http_unlock (self->http);
}

/* The inbox */

char *
sd_fake_threads_add_post (SdFakeThreads *self,
                          const char    *user_id,
                          const char    *text,
                          const char    *reply_to_id,
                          gint64         age)
{
  FakePost *post = g_new0 (FakePost, 1);
  FakeUser *user;
  char *id;

  sd_fake_http_lock (self->http);
  user = find_user (self, user_id);
  post->id = sd_fake_http_new_id (self->http);
  post->user_id = g_strdup (user_id);
  post->container_id = sd_fake_http_new_id (self->http);
  post->media_type = g_strdup ("TEXT_POST");
  post->text = g_strdup (text);
  post->shortcode = new_shortcode (self);
  post->permalink = g_strdup_printf ("https://www.threads.net/@%s/post/%s",
                                     user != NULL ? user->username : "unknown", post->shortcode);
  post->reply_to_id = g_strdup (reply_to_id);
  post->created_at = sd_fake_http_now (self->http) - age;
  post->media = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (post->media, json_array_new ());
  g_ptr_array_add (self->posts, post);
  id = g_strdup (post->id);
  sd_fake_http_unlock (self->http);
  return id;
}

void
sd_fake_threads_set_mentions_allowed (SdFakeThreads *self,
                                      const char    *user_id,
                                      gboolean       allowed)
{
  sd_fake_http_lock (self->http);
  if (allowed)
    g_hash_table_remove (self->no_mentions, user_id);
  else
    g_hash_table_add (self->no_mentions, g_strdup (user_id));
  sd_fake_http_unlock (self->http);
}

gboolean
sd_fake_threads_is_hidden (SdFakeThreads *self,
                           const char    *post_id)
{
  FakePost *post;
  gboolean hidden;

  sd_fake_http_lock (self->http);
  post = find_post (self, post_id);
  hidden = post != NULL && post->hidden;
  sd_fake_http_unlock (self->http);
  return hidden;
}
