/* sd-linkedin.c — the LinkedIn provider: posts with images as a member, the sign-in's identity
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * Sources (learn.microsoft.com/linkedin, "Posts API", "Images API",
 * "MultiImage API", "little Text Format", "Sign In with LinkedIn using
 * OpenID Connect", "API Versioning"): every /rest call carries
 * Linkedin-Version (YYYYMM, from sd-network's table) and
 * X-Restli-Protocol-Version 2.0.0; POST /rest/posts answers 201 with the
 * post's URN in x-restli-id; errors are {"status", "serviceErrorCode",
 * "code", "message"}. LinkedIn has no idempotency key, so a lost answer is
 * settled by reading the member's recent posts (find_part), and no
 * server-side scheduling is offered to members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-linkedin"

#include "config.h"

#include "sd-linkedin.h"
#include "sd-linkedin-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-oauth2.h"
#include "sd-time.h"

#define PLATFORM             SD_PLATFORM_LINKEDIN
#define PERSON_URN_PREFIX    "urn:li:person:"
#define STAGE_IMAGES         "images:"
#define RESERVED_LITTLE      "\\|{}@[]()<>#*_~"
#define POST_URL_PREFIX      "https://www.linkedin.com/feed/update/"
/* LinkedIn documents no rate-limit headers (daily limits per member and app,
 * reset at midnight UTC): without Retry-After, pause a minute. */
#define DEFAULT_RETRY_AFTER  60
#define FIND_PAGE_COUNT      20
#define FIND_MAX_PAGES       3
#define FIND_CLOCK_SLACK     60
#define POLL_INTERVAL_MS     2000
#define POLL_ATTEMPTS        30

struct _SdLinkedin
{
  GObject parent_instance;
};

static void sd_linkedin_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdLinkedin, sd_linkedin, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_linkedin_provider_init))

/* little text */

static gboolean
is_reserved (gunichar c)
{
  return c != 0 && c < 0x80 && strchr (RESERVED_LITTLE, (int) c) != NULL;
}

static gboolean
is_tag_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '_';
}

static gboolean
starts_address (const char *p)
{
  return g_ascii_strncasecmp (p, "http://", 7) == 0
         || g_ascii_strncasecmp (p, "https://", 8) == 0
         || g_ascii_strncasecmp (p, "www.", 4) == 0;
}

/* The end of a hashtag's text starting at @p (just after "#"), or @p when
 * there is none: a run of word characters holding at least one letter. */
static const char *
hashtag_end (const char *p)
{
  gboolean letter = FALSE;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_tag_char (c))
        break;
      letter = letter || g_unichar_isalpha (c);
      p = g_utf8_next_char (p);
    }
  return letter ? p : NULL;
}

static void
append_escaped (GString    *out,
                const char *start,
                const char *end)
{
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      if (is_reserved (g_utf8_get_char (p)))
        g_string_append_c (out, '\\');
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

char *
sd_linkedin_escape_little (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid) + 16);
  gunichar previous = 0;
  gboolean in_address = FALSE;
  const char *p = valid;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      const char *end;

      if (previous == 0 || g_unichar_isspace (previous))
        in_address = starts_address (p);

      /* The documented HashtagTemplate keeps a hashtag a hashtag while
       * every other "#" is escaped (a bare "#" cuts the post short). */
      if (c == '#' && !in_address && !is_tag_char (previous)
          && (end = hashtag_end (next)) != NULL)
        {
          g_string_append (out, "{hashtag|#|");
          append_escaped (out, next, end);
          g_string_append_c (out, '}');
          previous = g_utf8_get_char (g_utf8_prev_char (end));
          p = end;
          continue;
        }

      if (is_reserved (c))
        g_string_append_c (out, '\\');
      g_string_append_len (out, p, next - p);
      previous = c;
      p = next;
    }

  return g_string_free (out, FALSE);
}

/* Reads @p up to an unescaped @stop, appending the unescaped text; returns
 * the position of @stop or NULL when there is none. */
static const char *
read_until (const char *p,
            char        stop,
            GString    *out)
{
  while (*p != '\0' && *p != stop)
    {
      if (*p == '\\' && p[1] != '\0' && is_reserved ((guchar) p[1]))
        p++;
      g_string_append_c (out, *p);
      p++;
    }
  return *p == stop ? p : NULL;
}

char *
sd_linkedin_little_to_text (const char *little)
{
  GString *out = g_string_new (NULL);
  const char *p = little != NULL ? little : "";

  while (*p != '\0')
    {
      if (*p == '\\' && p[1] != '\0' && is_reserved ((guchar) p[1]))
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

          if (close != NULL)
            {
              g_string_append (out, sign->str);
              g_string_append (out, tag->str);
              p = close + 1;
              continue;
            }
        }
      if (g_str_has_prefix (p, "@["))
        {
          g_autoptr(GString) name = g_string_new (NULL);
          g_autoptr(GString) urn = g_string_new (NULL);
          const char *close = read_until (p + 2, ']', name);
          const char *end = close != NULL && close[1] == '(' ? read_until (close + 2, ')', urn) : NULL;

          if (end != NULL)
            {
              g_string_append (out, name->str);
              p = end + 1;
              continue;
            }
        }
      g_string_append_c (out, *p);
      p++;
    }

  return g_string_free (out, FALSE);
}

char *
sd_linkedin_post_url (const char *urn)
{
  return g_strconcat (POST_URL_PREFIX, urn, "/", NULL);
}

/* Text as both sides should compare: newlines unified, outer whitespace gone. */
static char *
comparable_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  char *joined = g_strjoinv ("\n", lines);

  return g_strstrip (joined);
}

/* Talking to LinkedIn */

static const char *
api_version (void)
{
  return sd_network_get_info (PLATFORM)->api_version;
}

/* A request to @path on the API origin; /rest paths get the version headers. */
static SoupMessage *
api_message (const char       *token,
             const char       *method,
             const char       *path,
             SdProviderStatus *status)
{
  g_autofree char *url = sd_network_api_url (PLATFORM, path);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              /* Translators: %s is a web address. */
                              _("“%s” is not a LinkedIn address SocialDesk can use."), url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  sd_http_set_bearer (msg, token);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (g_str_has_prefix (path, "/rest/"))
    {
      soup_message_headers_replace (headers, "Linkedin-Version", api_version ());
      soup_message_headers_replace (headers, "X-Restli-Protocol-Version", "2.0.0");
    }
  return msg;
}

static const char *
ctx_token (const SdPublishContext *ctx)
{
  return ctx->credentials != NULL ? ctx->credentials->access_token : NULL;
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
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

/* Changes the outcome, keeping the message that says why. */
static SdOutcome
reclassify (SdProviderStatus *status,
            SdOutcome         outcome)
{
  status->outcome = outcome;
  return outcome;
}

/* Sends @msg and classifies the answer. On DONE, *out holds the parsed body
 * (NULL when it was empty or not JSON). On an HTTP error the message quotes
 * LinkedIn's "message"; *words_out gets it too. */
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
  JsonObject *object;
  const char *words;
  const char *code;
  SdOutcome outcome;

  body = sd_http_send (ctx->session, msg, cancellable, status);
  if (body == NULL)
    return status->outcome;

  outcome = sd_http_classify (msg, status);
  root = sd_http_parse_json (body, NULL);
  g_debug ("%s %s → %u (%s)", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status->http_status,
           sd_outcome_to_string (outcome));

  if (outcome == SD_OUTCOME_DONE)
    {
      if (out != NULL)
        *out = g_steal_pointer (&root);
      return outcome;
    }

  object = sd_http_json_node_object (root);
  words = sd_http_json_string (object, "message");
  code = sd_http_json_string (object, "code");
  if (words != NULL && words[0] == '\0')
    words = NULL;
  if (words_out != NULL)
    *words_out = g_strdup (words);

  if (status->http_status == 426 || g_strcmp0 (code, "NONEXISTENT_VERSION") == 0)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is an API version such as 202610; the second LinkedIn's own words. */
                                   _("LinkedIn no longer accepts the version of its API this SocialDesk uses (%s). "
                                     "Update SocialDesk to publish to LinkedIn again. LinkedIn said: “%s”."),
                                   api_version (), words != NULL ? words : code != NULL ? code : "");

  if (status->http_status == 429)
    {
      if (status->retry_after <= 0)
        status->retry_after = DEFAULT_RETRY_AFTER;
      if (words != NULL)
        sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                /* Translators: %s is LinkedIn's own words. */
                                _("LinkedIn asked SocialDesk to slow down: “%s”."), words);
      return SD_OUTCOME_RETRY;
    }

  if (words != NULL)
    {
      switch (outcome)
        {
        case SD_OUTCOME_AUTH:
          sd_provider_status_set (status, outcome,
                                  /* Translators: %s is LinkedIn's own words. */
                                  _("LinkedIn no longer accepts this account’s sign-in: “%s”."), words);
          break;
        case SD_OUTCOME_FAILED:
          sd_provider_status_set (status, outcome,
                                  /* Translators: %s is LinkedIn's own words. */
                                  _("LinkedIn refused the request: “%s”."), words);
          break;
        default:
          break;
        }
    }
  return outcome;
}

/* A 2xx whose body cannot be read: for a write LinkedIn may have acted. */
static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   gboolean          writes,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 /* Translators: %s is the path of a web address. */
                                 _("LinkedIn’s answer to %s could not be read."),
                                 g_uri_get_path (soup_message_get_uri (msg)));
}

/* Waits @milliseconds unless cancelled first; FALSE when cancelled. */
static gboolean
sleep_cancellable (guint         milliseconds,
                   GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (until - g_get_monotonic_time (), 50 * 1000));
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* How long to wait for LinkedIn to process an image: SOCIALDESK_POLL_INTERVAL_MS
 * between looks, SOCIALDESK_POLL_ATTEMPTS looks. */
static void
poll_settings (guint *interval_ms,
               guint *attempts)
{
  const char *interval = g_getenv ("SOCIALDESK_POLL_INTERVAL_MS");
  const char *count = g_getenv ("SOCIALDESK_POLL_ATTEMPTS");
  guint64 value;

  *interval_ms = POLL_INTERVAL_MS;
  *attempts = POLL_ATTEMPTS;
  if (interval != NULL && g_ascii_string_to_unsigned (interval, 10, 0, 10 * 60 * 1000, &value, NULL))
    *interval_ms = (guint) value;
  if (count != NULL && g_ascii_string_to_unsigned (count, 10, 1, 100000, &value, NULL))
    *attempts = (guint) value;
}

/* The member */

static char *
person_urn (const char *remote_id)
{
  if (g_str_has_prefix (remote_id, "urn:li:"))
    return g_strdup (remote_id);
  return g_strconcat (PERSON_URN_PREFIX, remote_id, NULL);
}

/* GET /v2/userinfo (OpenID Connect): sub, name, picture, email. */
static SdOutcome
read_userinfo (const SdPublishContext *ctx,
               const char             *token,
               JsonObject            **userinfo,
               JsonNode              **keep,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = api_message (token, SOUP_METHOD_GET, "/v2/userinfo", status);
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, keep, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  *userinfo = sd_http_json_node_object (*keep);
  if (sd_http_json_string (*userinfo, "sub") == NULL)
    return unreadable_answer (msg, FALSE, status);
  return SD_OUTCOME_DONE;
}

static void
fill_account (SdAccount  *account,
              JsonObject *userinfo)
{
  const char *sub = sd_http_json_string (userinfo, "sub");
  const char *name = sd_http_json_string (userinfo, "name");
  const char *email = sd_http_json_string (userinfo, "email");
  g_autofree char *urn = person_urn (sub);

  if (name == NULL || name[0] == '\0')
    {
      const char *given = sd_http_json_string (userinfo, "given_name");
      const char *family = sd_http_json_string (userinfo, "family_name");

      name = given != NULL ? given : family;
    }
  sd_account_set_remote_id (account, urn);
  /* LinkedIn gives members no public handle through this API: the e-mail
   * address when the sign-in includes it, else the name. */
  sd_account_set_handle (account, email != NULL && email[0] != '\0' ? email : name != NULL ? name : sub);
  sd_account_set_display_name (account, name != NULL ? name : sub);
  sd_account_set_avatar_url (account, sd_http_json_string (userinfo, "picture"));
}

/* The author URN of the account ("urn:li:person:<sub>"), asking LinkedIn when
 * the account does not know it yet. */
static SdOutcome
ensure_author (const SdPublishContext *ctx,
               char                  **author,
               GCancellable           *cancellable,
               SdProviderStatus       *status)
{
  const char *remote_id = sd_account_get_remote_id (ctx->account);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *userinfo = NULL;
  SdOutcome outcome;

  if (remote_id == NULL || remote_id[0] == '\0')
    {
      outcome = read_userinfo (ctx, ctx_token (ctx), &userinfo, &keep, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : outcome;
      fill_account (ctx->account, userinfo);
      remote_id = sd_account_get_remote_id (ctx->account);
    }
  *author = person_urn (remote_id);
  return SD_OUTCOME_DONE;
}

/* Images */

/* The upload address comes from LinkedIn's answer: send the token only to
 * LinkedIn itself (or the test override's origin). */
static gboolean
upload_host_trusted (GUri *upload)
{
  g_autofree char *api = sd_network_api_url (PLATFORM, "/");
  g_autoptr(GUri) api_uri = g_uri_parse (api, G_URI_FLAGS_NONE, NULL);
  const char *host = g_uri_get_host (upload);

  if (host == NULL)
    return FALSE;
  if (api_uri != NULL && g_strcmp0 (g_uri_get_host (api_uri), host) == 0
      && g_uri_get_port (api_uri) == g_uri_get_port (upload)
      && g_strcmp0 (g_uri_get_scheme (api_uri), g_uri_get_scheme (upload)) == 0)
    return TRUE;
  return g_strcmp0 (g_uri_get_scheme (upload), "https") == 0
         && (g_ascii_strcasecmp (host, "linkedin.com") == 0
             || g_str_has_suffix (host, ".linkedin.com"));
}

static SdOutcome
upload_image (const SdPublishContext *ctx,
              const char             *author,
              const SdPublishMedia   *media,
              char                  **image_out,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) put = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GUri) upload_uri = NULL;
  g_autofree char *basename = g_path_get_basename (media->path);
  JsonObject *value;
  const char *upload_url;
  const char *image;
  SdOutcome outcome;

  mapped = g_mapped_file_new (media->path, FALSE, &error);
  if (mapped == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   /* Translators: %s is a file name, the second why it could not be read. */
                                   _("Could not read the attached file “%s”: %s"),
                                   basename, error->message);
  bytes = g_mapped_file_get_bytes (mapped);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "initializeUploadRequest");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, author);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);

  msg = api_message (ctx_token (ctx), SOUP_METHOD_POST, "/rest/images?action=initializeUpload", status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, request);
  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  /* An image that is never used in a post does no harm: ask again. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = reclassify (status, SD_OUTCOME_RETRY);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  value = sd_http_json_object_member (sd_http_json_node_object (root), "value");
  upload_url = sd_http_json_string (value, "uploadUrl");
  image = sd_http_json_string (value, "image");
  upload_uri = upload_url != NULL ? g_uri_parse (upload_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (image == NULL || upload_uri == NULL)
    return unreadable_answer (msg, FALSE, status);

  put = soup_message_new_from_uri (SOUP_METHOD_PUT, upload_uri);
  if (upload_host_trusted (upload_uri))
    sd_http_set_bearer (put, ctx_token (ctx));
  soup_message_set_request_body_from_bytes (put, media->mime_type != NULL ? media->mime_type
                                                                          : "application/octet-stream",
                                            bytes);
  answer = sd_http_send (ctx->session, put, cancellable, status);
  if (answer == NULL)
    return status->outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY) : status->outcome;
  outcome = sd_http_classify (put, status);
  g_debug ("PUT image bytes → %u (%s)", status->http_status, sd_outcome_to_string (outcome));
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED)
    return sd_provider_status_set (status, outcome,
                                   /* Translators: %s is a file name; %u an HTTP status. */
                                   _("LinkedIn did not accept the image “%s” (HTTP %u)."),
                                   basename, status->http_status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  *image_out = g_strdup (image);
  return SD_OUTCOME_DONE;
}

/* An image's processing status ("AVAILABLE", "PROCESSING", "WAITING_UPLOAD",
 * "PROCESSING_FAILED"), or "GONE" when LinkedIn no longer knows it. */
static SdOutcome
image_status (const SdPublishContext *ctx,
              const char             *image,
              char                  **state,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autofree char *escaped = g_uri_escape_string (image, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/rest/images/", escaped, NULL);
  g_autoptr(SoupMessage) msg = api_message (ctx_token (ctx), SOUP_METHOD_GET, path, status);
  g_autoptr(JsonNode) root = NULL;
  const char *value;
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome == SD_OUTCOME_FAILED && (status->http_status == 404 || status->http_status == 410))
    {
      *state = g_strdup ("GONE");
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  value = sd_http_json_string (sd_http_json_node_object (root), "status");
  if (value == NULL)
    return unreadable_answer (msg, FALSE, status);
  *state = g_strdup (value);
  return SD_OUTCOME_DONE;
}

/* Waits until every image is AVAILABLE. *dead: one failed or is gone (upload
 * them again). RETRY with the stage kept when LinkedIn is still at it. */
static SdOutcome
wait_for_images (const SdPublishContext *ctx,
                 GStrv                   images,
                 gboolean               *dead,
                 GCancellable           *cancellable,
                 SdProviderStatus       *status)
{
  guint interval_ms, attempts;

  poll_settings (&interval_ms, &attempts);
  *dead = FALSE;

  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      gboolean ready = TRUE;

      if (attempt > 0 && !sleep_cancellable (interval_ms, cancellable))
        return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Sending was cancelled."));

      for (guint i = 0; images[i] != NULL && ready; i++)
        {
          g_autofree char *state = NULL;
          SdOutcome outcome = image_status (ctx, images[i], &state, cancellable, status);

          /* Reading images may need a permission the app lacks: then let
           * the post itself say whether they are ready. */
          if (outcome == SD_OUTCOME_FAILED && status->http_status == 403)
            return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
          if (outcome == SD_OUTCOME_UNCERTAIN)
            return reclassify (status, SD_OUTCOME_RETRY);
          if (outcome != SD_OUTCOME_DONE)
            return outcome;
          if (strcmp (state, "PROCESSING_FAILED") == 0 || strcmp (state, "GONE") == 0)
            {
              g_debug ("image %s is %s: uploading the images again", images[i], state);
              *dead = TRUE;
              return SD_OUTCOME_DONE;
            }
          ready = strcmp (state, "AVAILABLE") == 0;
        }
      if (ready)
        return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("LinkedIn is still processing the images; SocialDesk will try again later."));
}

/* The image URNs kept in the part's stage, or NULL. */
static GStrv
staged_images (const SdPublishPart *part)
{
  g_auto(GStrv) images = NULL;

  if (part->stage == NULL || !g_str_has_prefix (part->stage, STAGE_IMAGES))
    return NULL;
  images = g_strsplit (part->stage + strlen (STAGE_IMAGES), ",", -1);
  if (g_strv_length (images) != part->media->len)
    return NULL;
  for (guint i = 0; images[i] != NULL; i++)
    if (!g_str_has_prefix (images[i], "urn:li:"))
      return NULL;
  return g_steal_pointer (&images);
}

/* Uploads the part's images (or takes those a former attempt uploaded),
 * keeps their URNs in the stage and waits until LinkedIn has them ready. */
static SdOutcome
prepare_images (const SdPublishContext *ctx,
                const char             *author,
                SdPublishPart          *part,
                GStrv                  *images_out,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_auto(GStrv) images = staged_images (part);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GError) error = NULL;
      gboolean dead = FALSE;
      SdOutcome outcome;

      if (images == NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_autofree char *joined = NULL;
          g_autofree char *stage = NULL;

          for (guint i = 0; i < part->media->len; i++)
            {
              g_autofree char *image = NULL;

              outcome = upload_image (ctx, author, g_ptr_array_index (part->media, i), &image,
                                      cancellable, status);
              if (outcome != SD_OUTCOME_DONE)
                return outcome;
              g_strv_builder_add (builder, image);
            }
          images = g_strv_builder_end (builder);
          joined = g_strjoinv (",", images);
          stage = g_strconcat (STAGE_IMAGES, joined, NULL);
          if (!sd_publish_context_set_stage (ctx, part, stage, &error))
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           /* Translators: %s says why. */
                                           _("Could not keep the sending progress: %s"), error->message);
        }

      outcome = wait_for_images (ctx, images, &dead, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      if (!dead)
        {
          *images_out = g_steal_pointer (&images);
          return SD_OUTCOME_DONE;
        }
      g_clear_pointer (&images, g_strfreev);
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("LinkedIn could not process the images; SocialDesk will try again later."));
}

/* Posts */

static void
add_image (JsonBuilder          *builder,
           const char           *image,
           const SdPublishMedia *media)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, image);
  if (media->alt_text != NULL && media->alt_text[0] != '\0')
    {
      json_builder_set_member_name (builder, "altText");
      json_builder_add_string_value (builder, media->alt_text);
    }
  json_builder_end_object (builder);
}

static JsonNode *
post_body (const char          *author,
           const char          *commentary,
           const SdPublishPart *part,
           GStrv                images)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_images = images != NULL ? g_strv_length (images) : 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "commentary");
  json_builder_add_string_value (builder, commentary);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, "PUBLIC");
  json_builder_set_member_name (builder, "distribution");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "feedDistribution");
  json_builder_add_string_value (builder, "MAIN_FEED");
  json_builder_set_member_name (builder, "targetEntities");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "thirdPartyDistributionChannels");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (n_images == 1)
    {
      json_builder_set_member_name (builder, "content");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "media");
      add_image (builder, images[0], g_ptr_array_index (part->media, 0));
      json_builder_end_object (builder);
    }
  else if (n_images > 1)
    {
      json_builder_set_member_name (builder, "content");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "multiImage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "images");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_images; i++)
        add_image (builder, images[i], g_ptr_array_index (part->media, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "lifecycleState");
  json_builder_add_string_value (builder, "PUBLISHED");
  json_builder_set_member_name (builder, "isReshareDisabledByAuthor");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
set_remote (SdPublishPart *part,
            const char    *urn)
{
  g_free (part->remote_id);
  part->remote_id = g_strdup (urn);
  g_free (part->remote_url);
  part->remote_url = sd_linkedin_post_url (urn);
}

/* LinkedIn refuses a post identical to a recent one with 422 "Content is a
 * duplicate of urn:li:share:…" (seen in the wild, not in the reference
 * pages): that post is this one, already made. */
static char *
duplicate_of (const char *words)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("duplicate of (urn:li:(?:share|ugcPost):[0-9]+)",
                                            G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (words == NULL || !g_regex_match (regex, words, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static SdOutcome
sd_linkedin_publish_part (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  g_autofree char *author = NULL;
  g_autofree char *commentary = NULL;
  g_autofree char *words = NULL;
  g_autofree char *duplicate = NULL;
  g_auto(GStrv) images = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *urn;
  SdOutcome outcome;

  for (guint i = 0; i < part->media->len; i++)
    if (sd_publish_media_is_video (g_ptr_array_index (part->media, i)))
      return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                     _("SocialDesk cannot send videos to LinkedIn yet. Remove the video "
                                       "or publish it on LinkedIn itself."));

  /* An answer to an inbox comment is a comment of its own (Community
   * Management API). */
  if (ctx->reply_to != NULL && ctx->parent == NULL)
    return sd_linkedin_inbox_send_comment (ctx, part, cancellable, status);

  /* Members cannot reply to their own posts through the Posts API (comments
   * need the restricted Community Management product). */
  if (ctx->parent != NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("LinkedIn has no threads: publish this part as a post of its own."));

  outcome = ensure_author (ctx, &author, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  if (part->media->len > 0)
    {
      outcome = prepare_images (ctx, author, part, &images, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }

  commentary = sd_linkedin_escape_little (part->text);
  body = post_body (author, commentary, part, images);
  msg = api_message (ctx_token (ctx), SOUP_METHOD_POST, "/rest/posts", status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);

  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  if (outcome == SD_OUTCOME_FAILED && (status->http_status == 422 || status->http_status == 409)
      && (duplicate = duplicate_of (words)) != NULL)
    {
      g_debug ("LinkedIn already has this post");
      set_remote (part, duplicate);
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  if (outcome == SD_OUTCOME_FAILED && (status->http_status == 422 || status->http_status == 400)
      && words != NULL)
    return sd_provider_status_set (status, outcome,
                                   /* Translators: %s is LinkedIn's own words. */
                                   _("LinkedIn refused the post: “%s”."), words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  urn = soup_message_headers_get_one (soup_message_get_response_headers (msg), "x-restli-id");
  if (urn == NULL || !g_str_has_prefix (urn, "urn:li:"))
    return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                   _("LinkedIn took the post but did not say which one it made."));
  set_remote (part, urn);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static gboolean
sd_linkedin_resend_is_safe (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            const SdPublishPart    *part)
{
  /* LinkedIn has no idempotency key. */
  return FALSE;
}

/* Reading posts back */

static void
collect_content_images (JsonObject *post,
                        GPtrArray  *ids)
{
  JsonObject *content = sd_http_json_object_member (post, "content");
  JsonObject *media = sd_http_json_object_member (content, "media");
  JsonArray *images = sd_http_json_array_member (sd_http_json_object_member (content, "multiImage"), "images");
  const char *id = sd_http_json_string (media, "id");

  if (id != NULL)
    g_ptr_array_add (ids, (gpointer) id);
  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonNode *element = json_array_get_element (images, i);

      id = sd_http_json_string (sd_http_json_node_object (element), "id");
      if (id != NULL)
        g_ptr_array_add (ids, (gpointer) id);
    }
}

static gboolean
post_matches (JsonObject *post,
              const char *author,
              const char *wanted_text,
              GStrv       wanted_images,
              guint       n_media)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *comparable = NULL;
  const char *author_seen = sd_http_json_string (post, "author");

  if (author_seen != NULL && strcmp (author_seen, author) != 0)
    return FALSE;

  collect_content_images (post, ids);
  if (ids->len != n_media)
    return FALSE;
  if (wanted_images != NULL)
    for (guint i = 0; i < ids->len; i++)
      if (!g_strv_contains ((const char * const *) wanted_images, g_ptr_array_index (ids, i)))
        return FALSE;

  /* LinkedIn may give the commentary back as stored (little text) or as
   * plain text: read both the same way. */
  text = sd_linkedin_little_to_text (sd_http_json_string (post, "commentary"));
  comparable = comparable_text (text);
  return g_strcmp0 (comparable, wanted_text) == 0;
}

static SdOutcome
sd_linkedin_find_part (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       SdPublishPart          *part,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  gint64 since_ms = ctx->first_attempt_at > 0 ? (ctx->first_attempt_at - FIND_CLOCK_SLACK) * 1000 : 0;
  g_autofree char *author = NULL;
  g_autofree char *escaped_author = NULL;
  g_autofree char *wanted = NULL;
  g_auto(GStrv) images = staged_images (part);
  SdOutcome outcome;

  if (ctx->reply_to != NULL && ctx->parent == NULL)
    return sd_linkedin_inbox_find_comment (ctx, part, cancellable, status);

  outcome = ensure_author (ctx, &author, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_AUTH ? outcome : reclassify (status, SD_OUTCOME_UNCERTAIN);

  /* sd_linkedin_little_to_text undoes sd_linkedin_escape_little: the post
   * read back compares with the text as written. */
  wanted = comparable_text (part->text);
  escaped_author = g_uri_escape_string (author, NULL, FALSE);

  for (guint page = 0; page < FIND_MAX_PAGES; page++)
    {
      g_autofree char *path = g_strdup_printf ("/rest/posts?author=%s&q=author&count=%d&start=%u"
                                               "&sortBy=LAST_MODIFIED",
                                               escaped_author, FIND_PAGE_COUNT, page * FIND_PAGE_COUNT);
      g_autoptr(SoupMessage) msg = api_message (ctx_token (ctx), SOUP_METHOD_GET, path, status);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *elements;
      guint n_elements;

      if (msg == NULL)
        return reclassify (status, SD_OUTCOME_UNCERTAIN);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-RestLi-Method", "FINDER");
      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          /* Reading a member's posts needs r_member_social, which LinkedIn
           * grants to few apps: then nobody can tell. */
          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         /* Translators: %s says why. */
                                         _("Could not look at the account’s recent LinkedIn posts: %s"),
                                         reason);
        }
      elements = sd_http_json_array_member (sd_http_json_node_object (root), "elements");
      if (elements == NULL)
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("LinkedIn’s list of recent posts could not be read."));

      n_elements = json_array_get_length (elements);
      for (guint i = 0; i < n_elements; i++)
        {
          JsonObject *post = sd_http_json_node_object (json_array_get_element (elements, i));
          gint64 modified;
          const char *id;

          if (post == NULL)
            continue;
          id = sd_http_json_string (post, "id");
          if (id != NULL && post_matches (post, author, wanted, images, part->media->len))
            {
              g_debug ("found the part among the member's posts");
              set_remote (part, id);
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
          /* Newest change first: from here on, nothing changed after the first attempt. */
          modified = member_int (post, "lastModifiedAt");
          if (modified == 0)
            modified = member_int (post, "createdAt");
          if (since_ms > 0 && modified > 0 && modified < since_ms)
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           _("The post is not on LinkedIn: it can be sent again."));
        }
      if (n_elements < FIND_PAGE_COUNT)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on LinkedIn: it can be sent again."));
    }

  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the post reached LinkedIn: there are too many newer posts to look through."));
}

/* The account and its sign-in */

static SdOutcome
sd_linkedin_verify_account (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *userinfo = NULL;
  SdOutcome outcome;

  outcome = read_userinfo (ctx, ctx_token (ctx), &userinfo, &keep, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  fill_account (ctx->account, userinfo);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_linkedin_list_identities (SdProvider             *provider,
                             const SdPublishContext *ctx,
                             GPtrArray              *identities,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  JsonObject *userinfo = NULL;
  SdOutcome outcome;

  g_return_val_if_fail (ctx->credentials != NULL, SD_OUTCOME_FAILED);

  outcome = read_userinfo (ctx, ctx_token (ctx), &userinfo, &keep, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  account = sd_account_new (PLATFORM);
  fill_account (account, userinfo);
  credentials = sd_credentials_copy (ctx->credentials);
  /* The person signs in again when the refresh token runs out (LinkedIn
   * gives one to some apps, with refresh_token_expires_in), else when the
   * access token does (60 days). */
  if (credentials->refresh_token != NULL && credentials->refresh_expires_at > 0)
    sd_account_set_token_expires_at (account, credentials->refresh_expires_at);
  else
    sd_account_set_token_expires_at (account, credentials->expires_at);

  g_ptr_array_add (identities, sd_sign_in_identity_new (g_steal_pointer (&account),
                                                        g_steal_pointer (&credentials)));
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_linkedin_refresh_credentials (SdProvider             *provider,
                                 const SdPublishContext *ctx,
                                 GCancellable           *cancellable,
                                 SdProviderStatus       *status)
{
  if (ctx->credentials == NULL || ctx->credentials->refresh_token == NULL
      || ctx->credentials->refresh_token[0] == '\0')
    return sd_provider_status_set (status, SD_OUTCOME_AUTH, _("LinkedIn needs you to sign in again."));
  return sd_oauth2_refresh (ctx->session, PLATFORM, ctx->credentials, cancellable, status);
}

static SdPlatform
sd_linkedin_get_platform (SdProvider *provider)
{
  return PLATFORM;
}

static void
sd_linkedin_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_linkedin_get_platform;
  iface->publish_part = sd_linkedin_publish_part;
  iface->resend_is_safe = sd_linkedin_resend_is_safe;
  iface->find_part = sd_linkedin_find_part;
  iface->verify_account = sd_linkedin_verify_account;
  iface->list_identities = sd_linkedin_list_identities;
  iface->refresh_credentials = sd_linkedin_refresh_credentials;
  sd_linkedin_inbox_init_iface (iface);
}

static void
sd_linkedin_class_init (SdLinkedinClass *klass)
{
}

static void
sd_linkedin_init (SdLinkedin *self)
{
}

SdLinkedin *
sd_linkedin_new (void)
{
  return g_object_new (SD_TYPE_LINKEDIN, NULL);
}

/* For sd-linkedin-inbox.c */

SoupMessage *
sd_linkedin_api_message (const SdPublishContext *ctx,
                         const char             *method,
                         const char             *path,
                         SdProviderStatus       *status)
{
  return api_message (ctx_token (ctx), method, path, status);
}

SdOutcome
sd_linkedin_call (const SdPublishContext *ctx,
                  SoupMessage            *msg,
                  GCancellable           *cancellable,
                  JsonNode              **out,
                  char                  **words_out,
                  SdProviderStatus       *status)
{
  return call (ctx, msg, cancellable, out, words_out, status);
}

SdOutcome
sd_linkedin_ensure_author (const SdPublishContext *ctx,
                           char                  **author,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  return ensure_author (ctx, author, cancellable, status);
}
