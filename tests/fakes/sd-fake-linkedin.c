/* sd-fake-linkedin.c — a loopback LinkedIn (Posts, Images, userinfo, OAuth) on sd-fake-http
 *
 * Answers follow learn.microsoft.com/linkedin: "Posts API" (201 +
 * x-restli-id, the finder by author), "Images API" (initializeUpload,
 * upload by PUT, status), "Sign In with LinkedIn using OpenID Connect"
 * (userinfo), "Authorization Code Flow" (token answers and errors), "API
 * Versioning" (426 NONEXISTENT_VERSION), "Error Handling" (the 401 service
 * error codes 65600–65602, 429 without rate headers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-fake-linkedin"

#include "sd-fake-linkedin.h"

#include <string.h>

#define PERSON_PREFIX   "urn:li:person:"
#define IMAGE_PREFIX    "urn:li:image:"
#define SHARE_PREFIX    "urn:li:share:"
#define UPLOAD_PREFIX   "/dms-uploads/"
#define MAX_COMMENTARY  3000
#define RESERVED_LITTLE "\\|{}@[]()<>#*_~"

typedef struct
{
  char *sub;
  char *name;
  char *email;
} FakeUser;

typedef struct
{
  char     *urn;
  char     *owner;
  char     *upload_token;
  char     *status;        /* WAITING_UPLOAD, PROCESSING, AVAILABLE */
  guint     polls_left;
  gsize     size;
  char     *content_type;
} FakeImage;

typedef struct
{
  char     *urn;
  char     *author;
  char     *commentary;    /* as sent (little text) */
  char     *shown;         /* as LinkedIn shows it */
  JsonNode *entity;        /* as the finder serves it */
  gint64    created_ms;
  gint64    modified_ms;
} FakePost;

typedef struct
{
  char   *urn;              /* urn:li:comment:(<post urn>,<id>) */
  char   *id;
  char   *post_urn;
  char   *actor;
  char   *text;
  char   *parent;           /* parentComment, or NULL */
  gint64  created_ms;
} FakeComment;

struct _SdFakeLinkedin
{
  SdFakeHttp *http;
  GHashTable *users;          /* sub → FakeUser */
  GHashTable *images;         /* urn → FakeImage */
  GHashTable *uploads;        /* upload token → FakeImage (borrowed) */
  GPtrArray  *posts;          /* FakePost, oldest first */
  gboolean    refresh_tokens;
  char       *retired_version;
  guint       image_polls;
  gboolean    find_forbidden;
  gboolean    reject_duplicates;
  guint64     last_share;
  GPtrArray  *comments;       /* FakeComment, oldest first */
  gboolean    comments_forbidden;
  guint64     last_comment;
};

static void
fake_comment_free (FakeComment *comment)
{
  g_free (comment->urn);
  g_free (comment->id);
  g_free (comment->post_urn);
  g_free (comment->actor);
  g_free (comment->text);
  g_free (comment->parent);
  g_free (comment);
}

static void
fake_user_free (FakeUser *user)
{
  g_free (user->sub);
  g_free (user->name);
  g_free (user->email);
  g_free (user);
}

static void
fake_image_free (FakeImage *image)
{
  g_free (image->urn);
  g_free (image->owner);
  g_free (image->upload_token);
  g_free (image->status);
  g_free (image->content_type);
  g_free (image);
}

static void
fake_post_free (FakePost *post)
{
  g_free (post->urn);
  g_free (post->author);
  g_free (post->commentary);
  g_free (post->shown);
  json_node_unref (post->entity);
  g_free (post);
}

/* little text as LinkedIn shows it */

static gboolean
is_reserved (char c)
{
  return c != '\0' && strchr (RESERVED_LITTLE, c) != NULL;
}

/* Reads up to an unescaped @stop; NULL when there is none. */
static const char *
read_until (const char *p,
            char        stop,
            GString    *out)
{
  while (*p != '\0' && *p != stop)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
      p++;
    }
  return *p == stop ? p : NULL;
}

char *
sd_fake_linkedin_show_little (const char *commentary)
{
  GString *out = g_string_new (NULL);
  const char *p = commentary != NULL ? commentary : "";

  while (*p != '\0')
    {
      if (*p == '\\' && p[1] != '\0')
        {
          g_string_append_c (out, p[1]);
          p += 2;
          continue;
        }
      if (g_str_has_prefix (p, "{hashtag|"))
        {
          g_autoptr(GString) sign = g_string_new (NULL);
          g_autoptr(GString) tag = g_string_new (NULL);
          const char *bar = read_until (p + strlen ("{hashtag|"), '|', sign);
          const char *close = bar != NULL ? read_until (bar + 1, '}', tag) : NULL;

          if (close == NULL || (strcmp (sign->str, "#") != 0 && strcmp (sign->str, "\xef\xbc\x83") != 0)
              || tag->len == 0)
            break;
          g_string_append (out, sign->str);
          g_string_append (out, tag->str);
          p = close + 1;
          continue;
        }
      if (g_str_has_prefix (p, "@["))
        {
          g_autoptr(GString) name = g_string_new (NULL);
          g_autoptr(GString) urn = g_string_new (NULL);
          const char *close = read_until (p + 2, ']', name);
          const char *end = close != NULL && close[1] == '(' ? read_until (close + 2, ')', urn) : NULL;

          if (end == NULL || !g_str_has_prefix (urn->str, "urn:li:"))
            break;
          g_string_append (out, name->str);
          p = end + 1;
          continue;
        }
      if (*p == '#' && g_ascii_isalnum (p[1]))
        {
          /* A HashtagElement: "#" and word characters. */
          g_string_append_c (out, *p++);
          while (g_ascii_isalnum (*p) || ((guchar) *p) >= 0x80)
            g_string_append_c (out, *p++);
          continue;
        }
      /* An unescaped reserved character ends what LinkedIn shows. */
      if (is_reserved (*p))
        break;
      g_string_append_c (out, *p);
      p++;
    }

  return g_string_free (out, FALSE);
}

/* Answers */

static void
respond_error (SdFakeRequest *request,
               guint          status,
               int            service_code,
               const char    *code,
               const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  if (service_code > 0)
    {
      json_builder_set_member_name (builder, "serviceErrorCode");
      json_builder_add_int_value (builder, service_code);
    }
  if (code != NULL)
    {
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, status, root);
}

static void
respond_oauth_error (SdFakeRequest *request,
                     guint          status,
                     const char    *error,
                     const char    *description)
{
  g_autofree char *json = g_strdup_printf ("{\"error\":\"%s\",\"error_description\":\"%s\"}",
                                           error, description);

  sd_fake_http_respond_json_text (request, status, json);
}

/* LinkedIn's 429 ("Rate Limiting": no Retry-After, no rate-limit headers). */
static void
rate_limited (SdFakeHttp    *http,
              SdFakeRequest *request,
              gpointer       user_data)
{
  respond_error (request, 429, 101, "TOO_MANY_REQUESTS",
                 "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.");
}

/* The member of the request's token; NULL after answering 401. */
static FakeUser *
authenticate (SdFakeLinkedin *self,
              SdFakeRequest  *request)
{
  const char *user_id = NULL;
  FakeUser *user;

  switch (sd_fake_http_check_token_locked (self->http, request->bearer, &user_id))
    {
    case SD_FAKE_TOKEN_VALID:
      user = g_hash_table_lookup (self->users, user_id);
      if (user != NULL)
        return user;
      break;
    case SD_FAKE_TOKEN_EXPIRED:
      respond_error (request, 401, 65601, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired");
      return NULL;
    case SD_FAKE_TOKEN_UNKNOWN:
    default:
      break;
    }
  respond_error (request, 401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token");
  return NULL;
}

static char *
person_urn (FakeUser *user)
{
  return g_strconcat (PERSON_PREFIX, user->sub, NULL);
}

/* OAuth */

static void
handle_token (SdFakeLinkedin *self,
              SdFakeRequest  *request)
{
  const char *grant = sd_fake_request_param (request, "grant_type");
  const char *client_id = sd_fake_request_param (request, "client_id");
  const char *client_secret = sd_fake_request_param (request, "client_secret");
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 expires_in = SD_FAKE_LINKEDIN_TOKEN_LIFETIME;
  const char *user_id = NULL;

  if (g_strcmp0 (client_id, SD_FAKE_LINKEDIN_CLIENT_ID) != 0
      || g_strcmp0 (client_secret, SD_FAKE_LINKEDIN_CLIENT_SECRET) != 0)
    {
      respond_oauth_error (request, 401, "invalid_client", "Client authentication failed");
      return;
    }

  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      if (!sd_fake_http_redeem_code_locked (self->http, sd_fake_request_param (request, "code"), client_id,
                                            sd_fake_request_param (request, "redirect_uri"),
                                            sd_fake_request_param (request, "code_verifier"),
                                            SD_FAKE_LINKEDIN_TOKEN_LIFETIME, self->refresh_tokens,
                                            &access, &refresh, &user_id))
        {
          respond_oauth_error (request, 400, "invalid_request",
                               "Unable to retrieve access token: appid/redirect uri/code verifier does not "
                               "match authorization code. Or authorization code expired. Or external member "
                               "binding exists");
          return;
        }
    }
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      if (sd_fake_http_refresh_locked (self->http, sd_fake_request_param (request, "refresh_token"),
                                       &access, &refresh, &expires_in, &user_id) != SD_FAKE_TOKEN_VALID)
        {
          respond_oauth_error (request, 400, "invalid_request", "The provided refresh token is invalid");
          return;
        }
    }
  else
    {
      respond_oauth_error (request, 400, "unsupported_grant_type", "The grant type is not supported");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  if (refresh != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, refresh);
      json_builder_set_member_name (builder, "refresh_token_expires_in");
      json_builder_add_int_value (builder, SD_FAKE_LINKEDIN_REFRESH_LIFETIME);
    }
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "email,openid,profile,w_member_social");
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

static void
handle_userinfo (SdFakeLinkedin *self,
                 SdFakeRequest  *request)
{
  FakeUser *user = authenticate (self, request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *picture = NULL;

  if (user == NULL)
    return;
  picture = g_strdup_printf ("https://media.licdn.com/dms/image/%s/profile-displayphoto-shrink_100_100/0/", user->sub);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, user->sub);
  json_builder_set_member_name (builder, "email_verified");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "locale");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "country");
  json_builder_add_string_value (builder, "US");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, "en");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "given_name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "family_name");
  json_builder_add_string_value (builder, "Example");
  json_builder_set_member_name (builder, "picture");
  json_builder_add_string_value (builder, picture);
  if (user->email != NULL)
    {
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, user->email);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

/* /rest */

/* FALSE after answering: the headers every /rest call needs. */
static gboolean
check_rest_headers (SdFakeLinkedin *self,
                    SdFakeRequest  *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *version = soup_message_headers_get_one (headers, "Linkedin-Version");
  const char *protocol = soup_message_headers_get_one (headers, "X-Restli-Protocol-Version");

  if (version == NULL)
    {
      respond_error (request, 400, 0, "VERSION_MISSING",
                     "A version must be present. Please specify a version by adding the LinkedIn-Version header.");
      return FALSE;
    }
  if (strlen (version) != 6 || !g_ascii_isdigit (version[0])
      || g_strcmp0 (version, self->retired_version) == 0)
    {
      g_autofree char *message = g_strdup_printf ("Requested version %s is not active", version);

      respond_error (request, 426, 0, "NONEXISTENT_VERSION", message);
      return FALSE;
    }
  if (g_strcmp0 (protocol, "2.0.0") != 0)
    {
      respond_error (request, 400, 0, "ILLEGAL_ARGUMENT",
                     "Request body could not be converted to data map (X-Restli-Protocol-Version 2.0.0 expected)");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
json_object_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
json_string_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static void
handle_initialize_upload (SdFakeLinkedin *self,
                          SdFakeRequest  *request,
                          FakeUser       *user)
{
  JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                     ? json_node_get_object (request->json) : NULL;
  const char *owner = json_string_member (json_object_member (body, "initializeUploadRequest"), "owner");
  g_autofree char *urn = person_urn (user);
  g_autofree char *id = sd_fake_http_new_id (self->http);
  g_autofree char *answer = NULL;
  FakeImage *image;

  if (owner == NULL)
    {
      respond_error (request, 422, 0, NULL,
                     "ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value\n");
      return;
    }
  if (strcmp (owner, urn) != 0)
    {
      respond_error (request, 403, 100, "ACCESS_DENIED",
                     "Not enough permissions to access: partnerApiImages.ACTION-initializeUpload");
      return;
    }

  image = g_new0 (FakeImage, 1);
  image->urn = g_strconcat (IMAGE_PREFIX, "D4E10AQ", id, NULL);
  image->owner = g_strdup (owner);
  image->upload_token = g_strconcat ("C4E", id, NULL);
  image->status = g_strdup ("WAITING_UPLOAD");
  g_hash_table_insert (self->images, image->urn, image);
  g_hash_table_insert (self->uploads, image->upload_token, image);

  answer = g_strdup_printf ("{\"value\":{\"uploadUrlExpiresAt\":%" G_GINT64_FORMAT ",\"uploadUrl\":"
                            "\"%s" UPLOAD_PREFIX "%s/uploaded-image/0?ca=vector_feedshare&cn=uploads\","
                            "\"image\":\"%s\"}}",
                            (sd_fake_http_now (self->http) + 24 * 3600) * 1000,
                            sd_fake_http_get_url (self->http), image->upload_token, image->urn);
  sd_fake_http_respond_json_text (request, 200, answer);
}

static void
handle_upload (SdFakeLinkedin *self,
               SdFakeRequest  *request)
{
  const char *rest = request->path + strlen (UPLOAD_PREFIX);
  const char *slash = strchr (rest, '/');
  g_autofree char *token = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  FakeImage *image = g_hash_table_lookup (self->uploads, token);

  if (authenticate (self, request) == NULL)
    return;
  if (image == NULL || g_strcmp0 (request->method, "PUT") != 0)
    {
      respond_error (request, 404, 0, "NOT_FOUND", "Not Found");
      return;
    }
  image->size = g_bytes_get_size (request->body);
  g_free (image->content_type);
  image->content_type = g_strdup (request->content_type);
  image->polls_left = self->image_polls;
  g_free (image->status);
  image->status = g_strdup (image->polls_left > 0 ? "PROCESSING" : "AVAILABLE");
  sd_fake_http_respond_text (request, 201, "text/plain", "");
}

static void
handle_image_get (SdFakeLinkedin *self,
                  SdFakeRequest  *request,
                  FakeUser       *user)
{
  g_autofree char *urn = g_uri_unescape_string (request->path + strlen ("/rest/images/"), NULL);
  FakeImage *image = urn != NULL ? g_hash_table_lookup (self->images, urn) : NULL;
  g_autofree char *answer = NULL;

  if (image == NULL)
    {
      respond_error (request, 404, 0, "NOT_FOUND", "Not Found");
      return;
    }
  if (strcmp (image->status, "PROCESSING") == 0 && image->polls_left != G_MAXUINT)
    {
      if (image->polls_left > 0)
        image->polls_left--;
      if (image->polls_left == 0)
        {
          g_free (image->status);
          image->status = g_strdup ("AVAILABLE");
        }
    }
  answer = g_strdup_printf ("{\"owner\":\"%s\",\"status\":\"%s\",\"id\":\"%s\"%s%s%s}",
                            image->owner, image->status, image->urn,
                            strcmp (image->status, "AVAILABLE") == 0 ? ",\"downloadUrl\":\"https://media.licdn.com/dms/image/" : "",
                            strcmp (image->status, "AVAILABLE") == 0 ? image->upload_token : "",
                            strcmp (image->status, "AVAILABLE") == 0 ? "/feedshare-shrink_2048_1536/0/\"" : "");
  /* The status on the first look still says what it was. */
  sd_fake_http_respond_json_text (request, 200, answer);
}

/* Checks one content image: FALSE after answering. */
static gboolean
check_image (SdFakeLinkedin *self,
             SdFakeRequest  *request,
             const char     *author,
             const char     *field,
             JsonObject     *media)
{
  const char *id = json_string_member (media, "id");
  FakeImage *image = id != NULL ? g_hash_table_lookup (self->images, id) : NULL;
  g_autofree char *message = NULL;

  if (image == NULL || strcmp (image->owner, author) != 0)
    message = g_strdup_printf ("ERROR :: %s/id :: Media %s does not exist or is not owned by the author\n",
                               field, id != NULL ? id : "");
  else if (strcmp (image->status, "AVAILABLE") != 0)
    message = g_strdup_printf ("ERROR :: %s/id :: Media %s is not ready (%s)\n", field, id, image->status);
  if (message == NULL)
    return TRUE;
  respond_error (request, 422, 0, NULL, message);
  return FALSE;
}

static FakePost *
find_duplicate (SdFakeLinkedin *self,
                const char     *author,
                const char     *commentary)
{
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (strcmp (post->author, author) == 0 && strcmp (post->commentary, commentary) == 0)
        return post;
    }
  return NULL;
}

static void
handle_create_post (SdFakeLinkedin *self,
                    SdFakeRequest  *request,
                    FakeUser       *user)
{
  JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                     ? json_node_get_object (request->json) : NULL;
  static const char *required[] = { "author", "commentary", "visibility", "distribution", "lifecycleState" };
  g_autofree char *urn = person_urn (user);
  g_autofree char *shown = NULL;
  g_autofree char *share = NULL;
  JsonObject *content;
  const char *author;
  const char *commentary;
  FakePost *post;
  FakePost *duplicate;
  gint64 now_ms;

  if (body == NULL)
    {
      respond_error (request, 400, 0, "ILLEGAL_ARGUMENT", "Request body could not be converted to data map");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!json_object_has_member (body, required[i]))
      {
        g_autofree char *message = g_strdup_printf ("ERROR :: /%s :: field is required but not found and "
                                                    "has no default value\n", required[i]);

        respond_error (request, 422, 0, NULL, message);
        return;
      }
  author = json_string_member (body, "author");
  commentary = json_string_member (body, "commentary");
  if (g_strcmp0 (author, urn) != 0)
    {
      respond_error (request, 403, 100, "ACCESS_DENIED",
                     "Unpermitted fields present in REQUEST_BODY: Data Processing Exception while processing fields [/author]");
      return;
    }
  if (g_strcmp0 (json_string_member (body, "lifecycleState"), "PUBLISHED") != 0
      || g_strcmp0 (json_string_member (json_object_member (body, "distribution"), "feedDistribution"),
                    "MAIN_FEED") != 0)
    {
      respond_error (request, 422, 0, NULL, "ERROR :: /lifecycleState :: unexpected value for a member post\n");
      return;
    }
  shown = sd_fake_linkedin_show_little (commentary);
  if (g_utf8_strlen (shown, -1) > MAX_COMMENTARY)
    {
      respond_error (request, 422, 0, "UNPROCESSABLE_ENTITY",
                     "ERROR :: /commentary :: length of the text exceeds the maximum allowed 3000 characters\n");
      return;
    }

  content = json_object_member (body, "content");
  if (content != NULL)
    {
      JsonObject *media = json_object_member (content, "media");
      JsonObject *multi = json_object_member (content, "multiImage");
      JsonNode *images = multi != NULL ? json_object_get_member (multi, "images") : NULL;

      if (media != NULL && !check_image (self, request, author, "/content/media", media))
        return;
      if (multi != NULL)
        {
          JsonArray *array = images != NULL && JSON_NODE_HOLDS_ARRAY (images) ? json_node_get_array (images) : NULL;
          guint n = array != NULL ? json_array_get_length (array) : 0;

          if (n < 2 || n > 20)
            {
              respond_error (request, 422, 0, NULL,
                             "ERROR :: /content/multiImage/images :: a MultiImage post holds 2 to 20 images\n");
              return;
            }
          for (guint i = 0; i < n; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_OBJECT (element)
                  || !check_image (self, request, author, "/content/multiImage/images",
                                   json_node_get_object (element)))
                return;
            }
        }
    }

  if (self->reject_duplicates && (duplicate = find_duplicate (self, author, commentary)) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("Content is a duplicate of %s", duplicate->urn);

      respond_error (request, 422, 0, "DUPLICATE_POST", message);
      return;
    }

  now_ms = sd_fake_http_now (self->http) * 1000 + (g_get_real_time () / 1000) % 1000;
  share = g_strdup_printf (SHARE_PREFIX "%" G_GUINT64_FORMAT, ++self->last_share);
  post = g_new0 (FakePost, 1);
  post->urn = g_strdup (share);
  post->author = g_strdup (author);
  post->commentary = g_strdup (commentary);
  post->shown = g_steal_pointer (&shown);
  post->created_ms = now_ms;
  post->modified_ms = now_ms;
  post->entity = json_node_copy (request->json);
  {
    JsonObject *entity = json_node_get_object (post->entity);

    json_object_set_string_member (entity, "id", post->urn);
    json_object_set_int_member (entity, "createdAt", now_ms);
    json_object_set_int_member (entity, "lastModifiedAt", now_ms);
    json_object_set_int_member (entity, "publishedAt", now_ms);
  }
  g_ptr_array_add (self->posts, post);

  sd_fake_http_respond_text (request, 201, "application/json", "");
  sd_fake_http_set_header (request, "x-restli-id", post->urn);
  sd_fake_http_set_header (request, "x-linkedin-id", post->urn);
}

static gint
compare_modified_desc (gconstpointer a,
                       gconstpointer b)
{
  const FakePost *first = *(FakePost * const *) a;
  const FakePost *second = *(FakePost * const *) b;

  if (first->modified_ms != second->modified_ms)
    return first->modified_ms < second->modified_ms ? 1 : -1;
  return first->created_ms < second->created_ms ? 1 : first->created_ms > second->created_ms ? -1 : 0;
}

static void
handle_find_posts (SdFakeLinkedin *self,
                   SdFakeRequest  *request,
                   FakeUser       *user)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *restli_method = soup_message_headers_get_one (headers, "X-RestLi-Method");
  const char *q = g_hash_table_lookup (request->query, "q");
  const char *author = g_hash_table_lookup (request->query, "author");
  const char *count_text = g_hash_table_lookup (request->query, "count");
  const char *start_text = g_hash_table_lookup (request->query, "start");
  g_autofree char *urn = person_urn (user);
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint count = count_text != NULL ? (guint) g_ascii_strtoull (count_text, NULL, 10) : 10;
  guint start = start_text != NULL ? (guint) g_ascii_strtoull (start_text, NULL, 10) : 0;

  if (g_strcmp0 (q, "author") != 0 || author == NULL
      || g_ascii_strcasecmp (restli_method != NULL ? restli_method : "", "FINDER") != 0)
    {
      respond_error (request, 400, 0, "ILLEGAL_ARGUMENT", "Invalid finder request: q=author, author and X-RestLi-Method: FINDER needed");
      return;
    }
  if (self->find_forbidden || strcmp (author, urn) != 0)
    {
      respond_error (request, 403, 100, "ACCESS_DENIED",
                     "Not enough permissions to access: partnerApiPostsExternal.FINDER-author");
      return;
    }
  count = CLAMP (count, 1, 100);

  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (strcmp (post->author, author) == 0)
        g_ptr_array_add (mine, post);
    }
  g_ptr_array_sort (mine, compare_modified_desc);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, start);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, mine->len);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "elements");
  json_builder_begin_array (builder);
  for (guint i = start; i < mine->len && i < start + count; i++)
    {
      FakePost *post = g_ptr_array_index (mine, i);

      json_builder_add_value (builder, json_node_copy (post->entity));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sd_fake_http_respond_json (request, 200, root);
}

/* The inbox (Community Management API, "Comments API"): comments on posts.
 * The order of the list is not documented: newest first here (unverified). */

static FakePost *
find_post_urn (SdFakeLinkedin *self,
               const char     *urn)
{
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->urn, urn) == 0)
        return post;
    }
  return NULL;
}

static FakeComment *
find_comment (SdFakeLinkedin *self,
              const char     *urn)
{
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *comment = g_ptr_array_index (self->comments, i);

      if (g_strcmp0 (comment->urn, urn) == 0 || g_strcmp0 (comment->id, urn) == 0)
        return comment;
    }
  return NULL;
}

static FakeComment *
new_comment (SdFakeLinkedin *self,
             const char     *post_urn,
             const char     *actor,
             const char     *text,
             const char     *parent,
             gint64          created_ms)
{
  FakeComment *comment = g_new0 (FakeComment, 1);

  comment->id = g_strdup_printf ("%" G_GUINT64_FORMAT, G_GUINT64_CONSTANT (6636107541675917312) + ++self->last_comment);
  comment->urn = g_strdup_printf ("urn:li:comment:(%s,%s)", post_urn, comment->id);
  comment->post_urn = g_strdup (post_urn);
  comment->actor = g_strdup (actor);
  comment->text = g_strdup (text);
  comment->parent = g_strdup (parent);
  comment->created_ms = created_ms;
  g_ptr_array_add (self->comments, comment);
  return comment;
}

static void
add_comment_entity (JsonBuilder *builder,
                    FakeComment *comment)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, comment->actor);
  json_builder_set_member_name (builder, "commentUrn");
  json_builder_add_string_value (builder, comment->urn);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, comment->id);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, comment->post_urn);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_set_member_name (builder, i == 0 ? "created" : "lastModified");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "actor");
      json_builder_add_string_value (builder, comment->actor);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, comment->created_ms);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, comment->text);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (comment->parent != NULL)
    {
      json_builder_set_member_name (builder, "parentComment");
      json_builder_add_string_value (builder, comment->parent);
    }
  json_builder_set_member_name (builder, "likesSummary");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aggregatedTotalLikes");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "likedByCurrentUser");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "totalLikes");
  json_builder_add_int_value (builder, 0);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* A seed's text holding the six characters "\ud8xx" is served as that JSON
 * escape (a lone surrogate), as a careless server might. */
static void
respond_comments_json (SdFakeRequest *request,
                       guint          status,
                       JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = json_to_string (root, FALSE);
  g_auto(GStrv) pieces = g_strsplit (json, "\\\\ud8", -1);
  g_autofree char *served = g_strjoinv ("\\ud8", pieces);

  sd_fake_http_respond_json_text (request, status, served);
}

static void
handle_list_comments (SdFakeLinkedin *self,
                      SdFakeRequest  *request,
                      const char     *post_urn)
{
  const char *count_text = g_hash_table_lookup (request->query, "count");
  const char *start_text = g_hash_table_lookup (request->query, "start");
  guint count = CLAMP (count_text != NULL ? (guint) g_ascii_strtoull (count_text, NULL, 10) : 10, 1, 100);
  guint start = start_text != NULL ? (guint) g_ascii_strtoull (start_text, NULL, 10) : 0;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  for (guint i = self->comments->len; i > 0; i--)
    {
      FakeComment *comment = g_ptr_array_index (self->comments, i - 1);

      if (g_strcmp0 (comment->post_urn, post_urn) == 0)
        g_ptr_array_add (all, comment);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, start);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, all->len);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "elements");
  json_builder_begin_array (builder);
  for (guint i = start; i < all->len && i < start + count; i++)
    add_comment_entity (builder, g_ptr_array_index (all, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond_comments_json (request, 200, builder);
}

static void
handle_create_comment (SdFakeLinkedin *self,
                       SdFakeRequest  *request,
                       FakeUser       *user,
                       const char     *post_urn)
{
  JsonObject *body = request->json != NULL && JSON_NODE_HOLDS_OBJECT (request->json)
                     ? json_node_get_object (request->json) : NULL;
  const char *actor = json_string_member (body, "actor");
  const char *object = json_string_member (body, "object");
  const char *text = json_string_member (json_object_member (body, "message"), "text");
  const char *parent = json_string_member (body, "parentComment");
  g_autofree char *urn = person_urn (user);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  FakeComment *parent_comment = parent != NULL ? find_comment (self, parent) : NULL;
  FakeComment *comment;

  if (g_strcmp0 (actor, urn) != 0)
    {
      respond_error (request, 403, 100, "ACCESS_DENIED", "Not enough permissions to comment as this actor");
      return;
    }
  if (text == NULL || text[0] == '\0' || g_strcmp0 (object, post_urn) != 0)
    {
      respond_error (request, 422, 0, NULL, "ERROR :: /message/text :: field is required but not found and has no default value\n");
      return;
    }
  if (parent != NULL && (parent_comment == NULL || g_strcmp0 (parent_comment->post_urn, post_urn) != 0
                         || parent_comment->parent != NULL))
    {
      respond_error (request, 422, 0, NULL, "ERROR :: /parentComment :: not a top-level comment of this post\n");
      return;
    }
  comment = new_comment (self, post_urn, urn, text, parent,
                         sd_fake_http_now (self->http) * 1000 + (g_get_real_time () / 1000) % 1000);
  add_comment_entity (builder, comment);
  respond_comments_json (request, 201, builder);
  sd_fake_http_set_header (request, "x-restli-id", comment->urn);
}

static void
handle_delete_comment (SdFakeLinkedin *self,
                       SdFakeRequest  *request,
                       FakeUser       *user,
                       const char     *post_urn,
                       const char     *id)
{
  const char *actor = g_hash_table_lookup (request->query, "actor");
  g_autofree char *urn = person_urn (user);
  FakeComment *comment = find_comment (self, id);
  FakePost *post = find_post_urn (self, post_urn);

  if (g_strcmp0 (actor, urn) != 0)
    {
      respond_error (request, 400, 0, "ILLEGAL_ARGUMENT", "The actor parameter is required");
      return;
    }
  if (comment == NULL || g_strcmp0 (comment->post_urn, post_urn) != 0)
    {
      respond_error (request, 404, 0, "NOT_FOUND", "Comment not found");
      return;
    }
  if (g_strcmp0 (comment->actor, urn) != 0 && (post == NULL || g_strcmp0 (post->author, urn) != 0))
    {
      respond_error (request, 403, 100, "ACCESS_DENIED", "Not enough permissions to delete this comment");
      return;
    }
  g_ptr_array_remove (self->comments, comment);
  sd_fake_http_respond_text (request, 204, "application/json", "");
}

static void
handle_social_actions (SdFakeLinkedin *self,
                       SdFakeRequest  *request,
                       FakeUser       *user)
{
  g_auto(GStrv) segments = g_strsplit (request->path + strlen ("/rest/socialActions/"), "/", -1);
  guint n = g_strv_length (segments);
  g_autofree char *target = n > 0 ? g_uri_unescape_string (segments[0], NULL) : NULL;
  g_autofree char *id = n > 2 ? g_uri_unescape_string (segments[2], NULL) : NULL;

  if (target == NULL || n < 2 || strcmp (segments[1], "comments") != 0 || find_post_urn (self, target) == NULL)
    {
      respond_error (request, 404, 0, "NOT_FOUND", "Not Found");
      return;
    }
  if (self->comments_forbidden)
    {
      respond_error (request, 403, 100, "ACCESS_DENIED",
                     strcmp (request->method, "GET") == 0
                     ? "Not enough permissions to access: partnerApiSocialActions.GET_ALL"
                     : "Not enough permissions to access: partnerApiSocialActions.CREATE");
      return;
    }
  if (n == 2 && strcmp (request->method, "GET") == 0)
    handle_list_comments (self, request, target);
  else if (n == 2 && strcmp (request->method, "POST") == 0)
    handle_create_comment (self, request, user, target);
  else if (n == 3 && strcmp (request->method, "DELETE") == 0)
    handle_delete_comment (self, request, user, target, id);
  else
    respond_error (request, 405, 0, NULL, "Method not allowed");
}

static gboolean
handle (SdFakeHttp    *http,
        SdFakeRequest *request,
        gpointer       user_data)
{
  SdFakeLinkedin *self = user_data;
  FakeUser *user;

  if (strcmp (request->path, "/oauth/v2/authorization") == 0)
    {
      sd_fake_http_handle_authorize_locked (http, request, "client_id", NULL);
      return TRUE;
    }
  if (strcmp (request->path, "/oauth/v2/accessToken") == 0 && strcmp (request->method, "POST") == 0)
    {
      handle_token (self, request);
      return TRUE;
    }
  if (strcmp (request->path, "/v2/userinfo") == 0 && strcmp (request->method, "GET") == 0)
    {
      handle_userinfo (self, request);
      return TRUE;
    }
  if (g_str_has_prefix (request->path, UPLOAD_PREFIX))
    {
      handle_upload (self, request);
      return TRUE;
    }
  if (!g_str_has_prefix (request->path, "/rest/"))
    return FALSE;

  if ((user = authenticate (self, request)) == NULL)
    return TRUE;
  if (!check_rest_headers (self, request))
    return TRUE;

  if (strcmp (request->path, "/rest/images") == 0 && strcmp (request->method, "POST") == 0
      && g_strcmp0 (g_hash_table_lookup (request->query, "action"), "initializeUpload") == 0)
    handle_initialize_upload (self, request, user);
  else if (g_str_has_prefix (request->path, "/rest/images/") && strcmp (request->method, "GET") == 0)
    handle_image_get (self, request, user);
  else if (strcmp (request->path, "/rest/posts") == 0 && strcmp (request->method, "POST") == 0)
    handle_create_post (self, request, user);
  else if (strcmp (request->path, "/rest/posts") == 0 && strcmp (request->method, "GET") == 0)
    handle_find_posts (self, request, user);
  else if (g_str_has_prefix (request->path, "/rest/socialActions/"))
    handle_social_actions (self, request, user);
  else
    respond_error (request, 404, 0, "NOT_FOUND", "Not Found");
  return TRUE;
}

/* Public */

SdFakeLinkedin *
sd_fake_linkedin_new (void)
{
  SdFakeLinkedin *self = g_new0 (SdFakeLinkedin, 1);

  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_user_free);
  self->images = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_image_free);
  self->uploads = g_hash_table_new (g_str_hash, g_str_equal);
  self->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_post_free);
  self->image_polls = 1;
  self->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_comment_free);
  self->last_share = 7100000000000000000 + (guint64) g_random_int_range (0, 1000000) * 1000;
  self->http = sd_fake_http_new (handle, self);
  sd_fake_http_set_rate_limited (self->http, rate_limited, self);
  return self;
}

void
sd_fake_linkedin_free (SdFakeLinkedin *self)
{
  if (self == NULL)
    return;
  sd_fake_http_free (self->http);
  g_hash_table_unref (self->uploads);
  g_hash_table_unref (self->images);
  g_hash_table_unref (self->users);
  g_ptr_array_unref (self->posts);
  g_ptr_array_unref (self->comments);
  g_free (self->retired_version);
  g_free (self);
}

const char *
sd_fake_linkedin_get_url (SdFakeLinkedin *self)
{
  return sd_fake_http_get_url (self->http);
}

SdFakeHttp *
sd_fake_linkedin_get_http (SdFakeLinkedin *self)
{
  return self->http;
}

void
sd_fake_linkedin_add_user (SdFakeLinkedin *self,
                           const char     *user_id,
                           const char     *username,
                           const char     *access_token,
                           const char     *refresh_token)
{
  FakeUser *user = g_new0 (FakeUser, 1);

  user->sub = g_strdup (user_id);
  user->name = g_strdup (username);
  user->email = g_strconcat (username, "@example.com", NULL);
  sd_fake_http_lock (self->http);
  g_hash_table_replace (self->users, user->sub, user);
  if (access_token != NULL)
    sd_fake_http_add_token_locked (self->http, user_id, access_token, refresh_token,
                                   SD_FAKE_LINKEDIN_TOKEN_LIFETIME);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_linkedin_set_refresh_tokens (SdFakeLinkedin *self,
                                     gboolean        enabled)
{
  sd_fake_http_lock (self->http);
  self->refresh_tokens = enabled;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_linkedin_set_retired_version (SdFakeLinkedin *self,
                                      const char     *version)
{
  sd_fake_http_lock (self->http);
  g_free (self->retired_version);
  self->retired_version = g_strdup (version);
  sd_fake_http_unlock (self->http);
}

void
sd_fake_linkedin_set_image_processing (SdFakeLinkedin *self,
                                       guint           polls)
{
  GHashTableIter iter;
  FakeImage *image;

  sd_fake_http_lock (self->http);
  self->image_polls = polls;
  /* Images still processing follow the new setting. */
  g_hash_table_iter_init (&iter, self->images);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &image))
    if (strcmp (image->status, "PROCESSING") == 0)
      {
        image->polls_left = polls;
        if (polls == 0)
          {
            g_free (image->status);
            image->status = g_strdup ("AVAILABLE");
          }
      }
  sd_fake_http_unlock (self->http);
}

void
sd_fake_linkedin_set_find_forbidden (SdFakeLinkedin *self,
                                     gboolean        forbidden)
{
  sd_fake_http_lock (self->http);
  self->find_forbidden = forbidden;
  sd_fake_http_unlock (self->http);
}

void
sd_fake_linkedin_set_reject_duplicates (SdFakeLinkedin *self,
                                        gboolean        reject)
{
  sd_fake_http_lock (self->http);
  self->reject_duplicates = reject;
  sd_fake_http_unlock (self->http);
}

guint
sd_fake_linkedin_count_posts (SdFakeLinkedin *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = self->posts->len;
  sd_fake_http_unlock (self->http);
  return n;
}

guint
sd_fake_linkedin_count_posts_with_text (SdFakeLinkedin *self,
                                        const char     *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->shown, text) == 0)
        n++;
    }
  sd_fake_http_unlock (self->http);
  return n;
}

static FakePost *
lookup_post (SdFakeLinkedin *self,
             const char     *urn)
{
  for (guint i = 0; i < self->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->urn, urn) == 0)
        return post;
    }
  return NULL;
}

char *
sd_fake_linkedin_dup_post_json (SdFakeLinkedin *self,
                                const char     *urn)
{
  FakePost *post;
  char *json = NULL;

  sd_fake_http_lock (self->http);
  post = lookup_post (self, urn);
  if (post != NULL)
    json = json_to_string (post->entity, FALSE);
  sd_fake_http_unlock (self->http);
  return json;
}

char *
sd_fake_linkedin_dup_post_text (SdFakeLinkedin *self,
                                const char     *urn)
{
  FakePost *post;
  char *text = NULL;

  sd_fake_http_lock (self->http);
  post = lookup_post (self, urn);
  if (post != NULL)
    text = g_strdup (post->shown);
  sd_fake_http_unlock (self->http);
  return text;
}

guint
sd_fake_linkedin_count_images (SdFakeLinkedin *self)
{
  guint n;

  sd_fake_http_lock (self->http);
  n = g_hash_table_size (self->images);
  sd_fake_http_unlock (self->http);
  return n;
}

gboolean
sd_fake_linkedin_get_image (SdFakeLinkedin *self,
                            const char     *urn,
                            gsize          *size,
                            char          **content_type)
{
  FakeImage *image;
  gboolean found;

  sd_fake_http_lock (self->http);
  image = g_hash_table_lookup (self->images, urn);
  found = image != NULL && strcmp (image->status, "WAITING_UPLOAD") != 0;
  if (found && size != NULL)
    *size = image->size;
  if (found && content_type != NULL)
    *content_type = g_strdup (image->content_type);
  sd_fake_http_unlock (self->http);
  return found;
}

/* The inbox */

char *
sd_fake_linkedin_add_comment (SdFakeLinkedin *self,
                              const char     *post_urn,
                              const char     *actor_urn,
                              const char     *text,
                              const char     *parent_comment,
                              gint64          age)
{
  char *urn;

  sd_fake_http_lock (self->http);
  urn = g_strdup (new_comment (self, post_urn, actor_urn, text, parent_comment,
                               (sd_fake_http_now (self->http) - age) * 1000)->urn);
  sd_fake_http_unlock (self->http);
  return urn;
}

void
sd_fake_linkedin_set_comments_forbidden (SdFakeLinkedin *self,
                                         gboolean        forbidden)
{
  sd_fake_http_lock (self->http);
  self->comments_forbidden = forbidden;
  sd_fake_http_unlock (self->http);
}

guint
sd_fake_linkedin_count_comments_with_text (SdFakeLinkedin *self,
                                           const char     *text)
{
  guint n = 0;

  sd_fake_http_lock (self->http);
  for (guint i = 0; i < self->comments->len; i++)
    if (g_strcmp0 (((FakeComment *) g_ptr_array_index (self->comments, i))->text, text) == 0)
      n++;
  sd_fake_http_unlock (self->http);
  return n;
}

char *
sd_fake_linkedin_dup_comment_parent (SdFakeLinkedin *self,
                                     const char     *comment_urn)
{
  FakeComment *comment;
  char *parent;

  sd_fake_http_lock (self->http);
  comment = find_comment (self, comment_urn);
  parent = comment != NULL ? g_strdup (comment->parent) : NULL;
  sd_fake_http_unlock (self->http);
  return parent;
}

gboolean
sd_fake_linkedin_has_comment (SdFakeLinkedin *self,
                              const char     *comment_urn)
{
  gboolean found;

  sd_fake_http_lock (self->http);
  found = find_comment (self, comment_urn) != NULL;
  sd_fake_http_unlock (self->http);
  return found;
}
