/* sd-mastodon.c — the Mastodon provider: statuses, media, schedules and the account
 *
 * Synchronous; runs in the sync engine's worker thread on the shared session.
 * Mastodon keeps an Idempotency-Key for one hour (docs: methods/statuses.md),
 * so a part is sent again with its key only within 55 minutes of its first
 * attempt; past that the engine asks find_part first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-mastodon"

#include "config.h"

#include "sd-mastodon.h"
#include "sd-mastodon-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-http.h"
#include "sd-time.h"

#define RESEND_SAFE_SECONDS    (55 * 60)
#define FIND_CLOCK_SLACK       60
#define FIND_PAGE_LIMIT        40
#define FIND_MAX_PAGES         5
#define MEDIA_WAIT_MAX_USEC    (60 * G_USEC_PER_SEC)
#define MEDIA_POLL_FIRST_USEC  (250 * 1000)
#define MEDIA_POLL_MAX_USEC    (2 * G_USEC_PER_SEC)
#define MIN_SCHEDULE_AHEAD     300

struct _SdMastodon
{
  GObject parent_instance;
};

static void sd_mastodon_provider_init (SdProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdMastodon, sd_mastodon, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_PROVIDER, sd_mastodon_provider_init))

/* Talking to the server */

static SoupMessage *
api_message (const SdPublishContext *ctx,
             const char             *method,
             const char             *path,
             SdProviderStatus       *status)
{
  const char *server = sd_account_get_server_url (ctx->account);
  g_autofree char *url = NULL;
  SoupMessage *msg;

  url = g_str_has_prefix (path, "http://") || g_str_has_prefix (path, "https://")
        ? g_strdup (path) : g_strconcat (server != NULL ? server : "", path, NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      sd_provider_status_set (status, SD_OUTCOME_FAILED,
                              _("“%s” is not a Mastodon server address SocialDesk can use."),
                              server != NULL ? server : "");
      return NULL;
    }
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

/* The server's own words from an Error entity ({"error": ..., "error_description": ...}). */
static char *
error_words (JsonNode *root)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *error = sd_http_json_string (object, "error");
  const char *description = sd_http_json_string (object, "error_description");

  if (description != NULL && description[0] != '\0')
    return g_strdup (description);
  if (error != NULL && error[0] != '\0')
    return g_strdup (error);
  return NULL;
}

/* Sends @msg and classifies the answer. On DONE, *out holds the parsed body
 * (NULL when it was empty or not JSON). On an HTTP error, the message quotes
 * the server's words when it gave some. */
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
  SdOutcome outcome;

  body = sd_http_send (ctx->session, msg, cancellable, status);
  if (body == NULL)
    return status->outcome;

  outcome = sd_http_classify (msg, status);
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
                                      _("Mastodon no longer accepts this account’s sign-in: “%s”."),
                                      words);
              break;
            case SD_OUTCOME_FAILED:
              sd_provider_status_set (status, outcome, _("Mastodon refused the request: “%s”."),
                                      words);
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


/* A 2xx whose body cannot be read: for a write the server may have acted. */
static SdOutcome
unreadable_answer (SoupMessage      *msg,
                   gboolean          writes,
                   SdProviderStatus *status)
{
  return sd_provider_status_set (status, writes ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_RETRY,
                                 _("Mastodon’s answer to %s could not be read."),
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

/* Waits @usec unless cancelled first; FALSE when cancelled. */
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

/* Media */

static SdOutcome
wait_for_media (const SdPublishContext *ctx,
                const char             *media_id,
                GCancellable           *cancellable,
                SdProviderStatus       *status)
{
  g_autofree char *escaped = g_uri_escape_string (media_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/media/%s", escaped);
  gint64 deadline = g_get_monotonic_time () + MEDIA_WAIT_MAX_USEC;
  gint64 delay = MEDIA_POLL_FIRST_USEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonNode) root = NULL;
      SdOutcome outcome;
      const char *url;

      if (!sleep_cancellable (delay, cancellable))
        return sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Sending was cancelled."));
      delay = MIN (delay * 2, MEDIA_POLL_MAX_USEC);

      msg = api_message (ctx, "GET", path, status);
      if (msg == NULL)
        return status->outcome;
      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome == SD_OUTCOME_UNCERTAIN ? reclassify (status, SD_OUTCOME_RETRY)
                                               : outcome;
      if (soup_message_get_status (msg) == SOUP_STATUS_PARTIAL_CONTENT)
        continue;
      url = sd_http_json_string (sd_http_json_node_object (root), "url");
      if (url != NULL && url[0] != '\0')
        return SD_OUTCOME_DONE;
    }

  return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                 _("Mastodon is still processing the attached media; SocialDesk will try again later."));
}

static SdOutcome
upload_media (const SdPublishContext *ctx,
              const SdPublishMedia   *media,
              char                  **media_id_out,
              GCancellable           *cancellable,
              SdProviderStatus       *status)
{
  g_autoptr(GFile) file = g_file_new_for_path (media->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *basename = g_path_get_basename (media->path);
  g_autofree char *words = NULL;
  const char *server = sd_account_get_server_url (ctx->account);
  g_autofree char *url = g_strconcat (server != NULL ? server : "", "/api/v2/media", NULL);
  g_autoptr(GUri) uri = NULL;
  JsonObject *object;
  const char *media_id;
  const char *media_url;
  SdOutcome outcome;

  bytes = g_file_load_bytes (file, cancellable, NULL, &error);
  if (bytes == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("Could not read the attached file “%s”: %s"),
                                   basename, error->message);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("“%s” is not a Mastodon server address SocialDesk can use."),
                                   server != NULL ? server : "");

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "file", basename,
                                   media->mime_type != NULL ? media->mime_type : "application/octet-stream",
                                   bytes);
  if (media->alt_text != NULL && media->alt_text[0] != '\0')
    soup_multipart_append_form_string (multipart, "description", media->alt_text);
  msg = soup_message_new_from_multipart (url, multipart);
  sd_http_set_bearer (msg, ctx->credentials != NULL ? ctx->credentials->access_token : NULL);

  outcome = call (ctx, msg, cancellable, &root, &words, status);
  /* An upload that may have happened leaves at most an unattached file,
   * which Mastodon removes by itself: sending again is safe. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = reclassify (status, SD_OUTCOME_RETRY);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 422 && words != NULL)
    sd_provider_status_set (status, outcome, _("Mastodon did not accept the file “%s”: “%s”."),
                            basename, words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  object = sd_http_json_node_object (root);
  media_id = sd_http_json_string (object, "id");
  if (media_id == NULL)
    return unreadable_answer (msg, FALSE, status);

  media_url = sd_http_json_string (object, "url");
  if (soup_message_get_status (msg) == SOUP_STATUS_ACCEPTED || media_url == NULL)
    {
      outcome = wait_for_media (ctx, media_id, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
    }

  *media_id_out = g_strdup (media_id);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

/* Statuses */

static SdOutcome
post_status (const SdPublishContext *ctx,
             SdPublishPart          *part,
             gboolean                scheduled,
             GCancellable           *cancellable,
             SdProviderStatus       *status)
{
  g_autoptr(GPtrArray) media_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *words = NULL;
  g_autofree char *text = sd_mastodon_reply_text (ctx, part->text);
  JsonObject *object;
  const char *id;
  const char *url;
  SdOutcome outcome;

  if (ctx->parent != NULL && (ctx->parent->remote_id == NULL || ctx->parent->remote_id[0] == '\0'))
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("The post this part replies to is not on Mastodon yet."));

  for (guint i = 0; i < part->media->len; i++)
    {
      char *media_id = NULL;

      outcome = upload_media (ctx, g_ptr_array_index (part->media, i), &media_id, cancellable, status);
      if (outcome != SD_OUTCOME_DONE)
        return outcome;
      g_ptr_array_add (media_ids, media_id);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, text);
  if (media_ids->len > 0)
    {
      json_builder_set_member_name (builder, "media_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < media_ids->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (media_ids, i));
      json_builder_end_array (builder);
    }
  if (sd_mastodon_reply_in_reply_to_id (ctx) != NULL)
    {
      json_builder_set_member_name (builder, "in_reply_to_id");
      json_builder_add_string_value (builder, sd_mastodon_reply_in_reply_to_id (ctx));
    }
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, sd_mastodon_reply_visibility (ctx));
  if (scheduled)
    {
      g_autofree char *when = sd_time_format_iso8601 (ctx->scheduled_at);

      json_builder_set_member_name (builder, "scheduled_at");
      json_builder_add_string_value (builder, when);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  msg = api_message (ctx, "POST", "/api/v1/statuses", status);
  if (msg == NULL)
    return status->outcome;
  sd_http_set_json_body (msg, body);
  if (part->key != NULL && part->key[0] != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", part->key);

  outcome = call (ctx, msg, cancellable, &root, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 422 && words != NULL)
    sd_provider_status_set (status, outcome, _("Mastodon did not accept the post: “%s”."), words);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  object = sd_http_json_node_object (root);
  id = sd_http_json_string (object, "id");
  if (id == NULL)
    return unreadable_answer (msg, TRUE, status);

  url = scheduled ? NULL : sd_http_json_string (object, "url");
  if (!scheduled && url == NULL)
    url = sd_http_json_string (object, "uri");
  g_free (part->remote_id);
  part->remote_id = g_strdup (id);
  g_free (part->remote_url);
  part->remote_url = g_strdup (url);
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdOutcome
sd_mastodon_publish_part (SdProvider             *provider,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  return post_status (ctx, part, FALSE, cancellable, status);
}

static gboolean
sd_mastodon_resend_is_safe (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            const SdPublishPart    *part)
{
  if (part->key == NULL || part->key[0] == '\0')
    return ctx->first_attempt_at == 0;
  if (ctx->first_attempt_at == 0)
    return TRUE;
  return sd_time_now () - ctx->first_attempt_at < RESEND_SAFE_SECONDS;
}

/* Reading statuses back */

static gboolean
append_entity (GString    *out,
               const char *p,
               const char *semicolon)
{
  g_autofree char *name = g_strndup (p + 1, semicolon - p - 1);
  gunichar c = 0;

  if (name[0] == '#')
    {
      char *end = NULL;
      guint64 value = (name[1] == 'x' || name[1] == 'X') ? g_ascii_strtoull (name + 2, &end, 16)
                                                         : g_ascii_strtoull (name + 1, &end, 10);
      if (end == NULL || *end != '\0' || end == name + 1 || value == 0 || value > 0x10FFFF)
        return FALSE;
      c = (gunichar) value;
      if (!g_unichar_validate (c))
        return FALSE;
    }
  else if (strcmp (name, "amp") == 0)
    c = '&';
  else if (strcmp (name, "lt") == 0)
    c = '<';
  else if (strcmp (name, "gt") == 0)
    c = '>';
  else if (strcmp (name, "quot") == 0)
    c = '"';
  else if (strcmp (name, "apos") == 0)
    c = '\'';
  else if (strcmp (name, "nbsp") == 0)
    c = 0x00A0;
  else
    return FALSE;

  g_string_append_unichar (out, c);
  return TRUE;
}

/* The end of the tag starting at @p ('<'), honouring quoted attribute values. */
static const char *
tag_end (const char *p)
{
  char quote = 0;

  for (p++; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p;
    }
  return NULL;
}

/**
 * sd_mastodon_html_to_text:
 * @html: a status's content as Mastodon sends it
 *
 * Reads the text out of a status's HTML for comparison and plain display:
 * tags are dropped (script and style with their contents), <br> becomes a
 * newline, each paragraph after the first starts after a blank line, and
 * entities are decoded once. The result is text, never markup: escape it
 * before handing it to anything that parses markup.
 */
char *
sd_mastodon_html_to_text (const char *html)
{
  GString *out = g_string_new (NULL);
  const char *p = html != NULL ? html : "";

  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *end = tag_end (p);
          const char *name = p + 1;
          gboolean closing = FALSE;
          g_autofree char *tag = NULL;
          gsize length = 0;

          if (end == NULL)
            break; /* an unterminated tag: nothing after it is text */
          if (*name == '/')
            {
              closing = TRUE;
              name++;
            }
          while (g_ascii_isalnum (name[length]))
            length++;
          tag = g_ascii_strdown (name, length);

          if (!closing && (strcmp (tag, "script") == 0 || strcmp (tag, "style") == 0))
            {
              g_autofree char *rest = g_ascii_strdown (end + 1, -1);
              g_autofree char *closer = g_strconcat ("</", tag, NULL);
              const char *found = strstr (rest, closer);
              const char *close_end;

              if (found == NULL)
                break;
              close_end = tag_end (end + 1 + (found - rest));
              if (close_end == NULL)
                break;
              p = close_end + 1;
              continue;
            }
          if (strcmp (tag, "br") == 0)
            g_string_append_c (out, '\n');
          else if (strcmp (tag, "p") == 0 && !closing && out->len > 0)
            g_string_append (out, "\n\n");
          p = end + 1;
        }
      else if (*p == '&')
        {
          const char *semicolon = strchr (p, ';');

          if (semicolon != NULL && semicolon - p <= 10 && append_entity (out, p, semicolon))
            p = semicolon + 1;
          else
            {
              g_string_append_c (out, '&');
              p++;
            }
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

/* Text as both sides should compare: newlines unified, outer whitespace
 * gone, and "@user@domain" as "@user" (Mastodon shows local mentions short). */
static char *
comparable_text (const char *text)
{
  static GRegex *mention;
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\r\n", -1);
  g_autofree char *joined = g_strjoinv ("\n", lines);

  if (g_once_init_enter (&mention))
    g_once_init_leave (&mention, g_regex_new ("(^|[^\\w])@(\\w+)@[\\w.-]+\\w", G_REGEX_OPTIMIZE, 0, NULL));

  g_strstrip (joined);
  return g_regex_replace (mention, joined, -1, 0, "\\1@\\2", 0, NULL);
}

static gboolean
status_matches (JsonObject             *object,
                const SdPublishContext *ctx,
                const SdPublishPart    *part,
                const char             *wanted_text)
{
  const char *expected_parent = sd_mastodon_reply_in_reply_to_id (ctx);
  JsonNode *reblog = json_object_get_member (object, "reblog");
  JsonNode *media = json_object_get_member (object, "media_attachments");
  guint n_media = media != NULL && JSON_NODE_HOLDS_ARRAY (media)
                  ? json_array_get_length (json_node_get_array (media)) : 0;
  g_autofree char *text = NULL;
  g_autofree char *comparable = NULL;

  if (reblog != NULL && !JSON_NODE_HOLDS_NULL (reblog))
    return FALSE;
  if (g_strcmp0 (sd_http_json_string (object, "in_reply_to_id"), expected_parent) != 0)
    return FALSE;
  if (n_media != part->media->len)
    return FALSE;

  text = sd_mastodon_html_to_text (sd_http_json_string (object, "content"));
  comparable = comparable_text (text);
  return g_strcmp0 (comparable, wanted_text) == 0;
}

/* The rel="next" address of a Link header, or NULL. */
static char *
link_next (SoupMessage *msg)
{
  const char *link = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Link");
  g_auto(GStrv) items = link != NULL ? g_strsplit (link, ",", -1) : NULL;

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char *open = strchr (items[i], '<');
      const char *close = open != NULL ? strchr (open, '>') : NULL;

      if (close != NULL && strstr (close, "rel=\"next\"") != NULL)
        return g_strndup (open + 1, close - open - 1);
    }
  return NULL;
}

static SdOutcome
ensure_account_id (const SdPublishContext *ctx,
                   GCancellable           *cancellable,
                   SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *id;
  SdOutcome outcome;

  if (sd_account_get_remote_id (ctx->account) != NULL)
    return SD_OUTCOME_DONE;

  msg = api_message (ctx, "GET", "/api/v1/accounts/verify_credentials", status);
  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  id = sd_http_json_string (sd_http_json_node_object (root), "id");
  if (id == NULL)
    return unreadable_answer (msg, FALSE, status);
  sd_account_set_remote_id (ctx->account, id);
  return SD_OUTCOME_DONE;
}

static SdOutcome
sd_mastodon_find_part (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       SdPublishPart          *part,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  const char *server = sd_account_get_server_url (ctx->account);
  gint64 since = ctx->first_attempt_at > 0 ? ctx->first_attempt_at - FIND_CLOCK_SLACK : 0;
  g_autofree char *sent_text = sd_mastodon_reply_text (ctx, part->text);
  g_autofree char *wanted = comparable_text (sent_text);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  SdOutcome outcome;

  outcome = ensure_account_id (ctx, cancellable, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome == SD_OUTCOME_AUTH ? outcome
                                      : reclassify (status, SD_OUTCOME_UNCERTAIN);

  escaped = g_uri_escape_string (sd_account_get_remote_id (ctx->account), NULL, FALSE);
  /* exclude_replies stays off (Mastodon's default): replies written from the
   * inbox, DMs too (the author sees their own direct statuses), are listed. */
  path = g_strdup_printf ("/api/v1/accounts/%s/statuses?limit=%d", escaped, FIND_PAGE_LIMIT);

  for (guint page = 0; page < FIND_MAX_PAGES; page++)
    {
      g_autoptr(SoupMessage) msg = api_message (ctx, "GET", path, status);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *next = NULL;
      JsonArray *array;

      if (msg == NULL)
        return status->outcome;
      outcome = call (ctx, msg, cancellable, &root, NULL, status);
      if (outcome == SD_OUTCOME_AUTH)
        return outcome;
      if (outcome != SD_OUTCOME_DONE)
        {
          g_autofree char *reason = g_strdup (status->message != NULL ? status->message : "");

          return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                         _("Could not look at the account’s recent posts: %s"),
                                         reason);
        }
      if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
        return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                       _("Mastodon’s list of recent posts could not be read."));

      array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *object = json_array_get_object_element (array, i);
          const char *created_text = object != NULL ? sd_http_json_string (object, "created_at") : NULL;
          g_autoptr(GDateTime) created = created_text != NULL ? g_date_time_new_from_iso8601 (created_text, NULL) : NULL;

          if (object == NULL || created == NULL)
            continue;
          /* Newest first: everything from here on is older than the first attempt. */
          if (since > 0 && g_date_time_to_unix (created) < since)
            return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                           _("The post is not on Mastodon: it can be sent again."));
          if (status_matches (object, ctx, part, wanted))
            {
              const char *url = sd_http_json_string (object, "url");

              g_free (part->remote_id);
              part->remote_id = g_strdup (sd_http_json_string (object, "id"));
              g_free (part->remote_url);
              part->remote_url = g_strdup (url != NULL ? url : sd_http_json_string (object, "uri"));
              g_debug ("found the part among the account's statuses");
              return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
            }
        }

      next = link_next (msg);
      if (next == NULL || json_array_get_length (array) == 0)
        return sd_provider_status_set (status, SD_OUTCOME_RETRY,
                                       _("The post is not on Mastodon: it can be sent again."));
      /* Follow the server's own pages only. */
      if (server == NULL || !g_str_has_prefix (next, server) || next[strlen (server)] != '/')
        break;
      g_free (path);
      path = g_strdup (next + strlen (server));
    }

  return sd_provider_status_set (status, SD_OUTCOME_UNCERTAIN,
                                 _("Could not tell whether the post reached Mastodon: there are too many newer posts to look through."));
}

/* Server-side scheduling */

static gint64
sd_mastodon_min_schedule_ahead (SdProvider *provider)
{
  return MIN_SCHEDULE_AHEAD;
}

static SdOutcome
sd_mastodon_schedule_part (SdProvider             *provider,
                           const SdPublishContext *ctx,
                           SdPublishPart          *part,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  return post_status (ctx, part, TRUE, cancellable, status);
}

static char *
scheduled_path (const char *scheduled_id)
{
  g_autofree char *escaped = g_uri_escape_string (scheduled_id, NULL, FALSE);

  return g_strdup_printf ("/api/v1/scheduled_statuses/%s", escaped);
}

static SdOutcome
sd_mastodon_reschedule (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        gint64                  scheduled_at,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autofree char *path = scheduled_path (scheduled_id);
  g_autofree char *when = sd_time_format_iso8601 (scheduled_at);
  g_autofree char *words = NULL;
  g_autoptr(SoupMessage) msg = api_message (ctx, "PUT", path, status);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scheduled_at");
  json_builder_add_string_value (builder, when);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  sd_http_set_json_body (msg, body);

  outcome = call (ctx, msg, cancellable, NULL, &words, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    sd_provider_status_set (status, outcome,
                            _("Mastodon no longer holds this scheduled post: it was published or deleted."));
  else if (outcome == SD_OUTCOME_FAILED && status->http_status == 422 && words != NULL)
    sd_provider_status_set (status, outcome, _("Mastodon did not accept the new time: “%s”."), words);
  /* Changing the time twice does no harm. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    reclassify (status, SD_OUTCOME_RETRY);
  return status->outcome;
}

static SdOutcome
sd_mastodon_unschedule (SdProvider             *provider,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  g_autofree char *path = scheduled_path (scheduled_id);
  g_autoptr(SoupMessage) msg = api_message (ctx, "DELETE", path, status);
  SdOutcome outcome;

  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, NULL, NULL, status);
  if (outcome == SD_OUTCOME_FAILED && status->http_status == 404)
    return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
  /* Deleting twice is harmless: a lost answer can be retried. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    return reclassify (status, SD_OUTCOME_RETRY);
  return outcome;
}

SdOutcome
sd_mastodon_find_published (SdMastodon             *self,
                            const SdPublishContext *ctx,
                            SdPublishPart          *part,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) root = NULL;
  SdPublishContext published_ctx;
  SdOutcome outcome;

  g_return_val_if_fail (SD_IS_MASTODON (self), SD_OUTCOME_FAILED);
  g_return_val_if_fail (part->remote_id != NULL, SD_OUTCOME_FAILED);

  path = scheduled_path (part->remote_id);
  msg = api_message (ctx, "GET", path, status);
  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, &root, NULL, status);
  if (outcome == SD_OUTCOME_DONE)
    {
      const char *when_text = sd_http_json_string (sd_http_json_node_object (root), "scheduled_at");
      g_autoptr(GDateTime) when = when_text != NULL ? g_date_time_new_from_iso8601 (when_text, NULL) : NULL;

      sd_provider_status_set (status, SD_OUTCOME_RETRY, _("Mastodon has not published the post yet."));
      status->retry_after = when != NULL ? MAX (g_date_time_to_unix (when) - sd_time_now (), 0) : 0;
      return SD_OUTCOME_RETRY;
    }
  if (outcome != SD_OUTCOME_FAILED || status->http_status != 404)
    return outcome == SD_OUTCOME_AUTH ? outcome
                                      : reclassify (status, SD_OUTCOME_UNCERTAIN);

  /* Gone from the schedule: published (look for it) or cancelled elsewhere. */
  published_ctx = *ctx;
  if (ctx->scheduled_at > 0)
    published_ctx.first_attempt_at = ctx->scheduled_at;
  return sd_mastodon_find_part (SD_PROVIDER (self), &published_ctx, part, cancellable, status);
}

/* The account */

static void
add_limit (JsonBuilder *builder,
           const char  *name,
           JsonObject  *section,
           const char  *member)
{
  JsonNode *node = section != NULL ? json_object_get_member (section, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, json_node_get_int (node));
}


static char *
limits_from_instance (JsonObject *instance)
{
  JsonObject *configuration = sd_http_json_object_member (instance, "configuration");
  JsonObject *statuses = sd_http_json_object_member (configuration, "statuses");
  JsonObject *media = sd_http_json_object_member (configuration, "media_attachments");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_limit (builder, "max_characters", statuses, "max_characters");
  if (statuses == NULL || !json_object_has_member (statuses, "max_characters"))
    add_limit (builder, "max_characters", instance, "max_toot_chars"); /* some forks */
  add_limit (builder, "characters_reserved_per_url", statuses, "characters_reserved_per_url");
  add_limit (builder, "max_media_attachments", statuses, "max_media_attachments");
  add_limit (builder, "description_limit", media, "description_limit");
  add_limit (builder, "image_size_limit", media, "image_size_limit");
  add_limit (builder, "video_size_limit", media, "video_size_limit");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static SdOutcome
read_instance (const SdPublishContext *ctx,
               GCancellable           *cancellable,
               JsonNode              **root,
               SdProviderStatus       *status)
{
  const char *paths[] = { "/api/v2/instance", "/api/v1/instance" };
  SdOutcome outcome = SD_OUTCOME_FAILED;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SoupMessage) msg = api_message (ctx, "GET", paths[i], status);

      if (msg == NULL)
        return status->outcome;
      outcome = call (ctx, msg, cancellable, root, NULL, status);
      /* Servers before 4.0 have no v2 instance. */
      if (!(outcome == SD_OUTCOME_FAILED && (status->http_status == 404 || status->http_status == 410)))
        break;
    }
  return outcome;
}

static SdOutcome
sd_mastodon_verify_account (SdProvider             *provider,
                            const SdPublishContext *ctx,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) account_root = NULL;
  g_autoptr(JsonNode) instance_root = NULL;
  g_autoptr(GUri) server_uri = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *limits = NULL;
  JsonObject *account;
  JsonObject *instance;
  const char *id;
  const char *username;
  const char *display_name;
  const char *domain;
  SdOutcome outcome;

  msg = api_message (ctx, "GET", "/api/v1/accounts/verify_credentials", status);
  if (msg == NULL)
    return status->outcome;
  outcome = call (ctx, msg, cancellable, &account_root, NULL, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;

  account = sd_http_json_node_object (account_root);
  id = sd_http_json_string (account, "id");
  username = sd_http_json_string (account, "username");
  if (id == NULL || username == NULL)
    return unreadable_answer (msg, FALSE, status);

  outcome = read_instance (ctx, cancellable, &instance_root, status);
  if (outcome != SD_OUTCOME_DONE)
    return outcome;
  instance = sd_http_json_node_object (instance_root);

  domain = sd_http_json_string (instance, "domain");     /* v2 */
  if (domain == NULL)
    domain = sd_http_json_string (instance, "uri");      /* v1 */
  server_uri = g_uri_parse (sd_account_get_server_url (ctx->account), G_URI_FLAGS_NONE, NULL);
  if (domain == NULL && server_uri != NULL)
    domain = g_uri_get_host (server_uri);
  handle = g_strdup_printf ("%s@%s", username, domain != NULL ? domain : "");

  display_name = sd_http_json_string (account, "display_name");
  sd_account_set_remote_id (ctx->account, id);
  sd_account_set_handle (ctx->account, handle);
  sd_account_set_display_name (ctx->account,
                               display_name != NULL && display_name[0] != '\0' ? display_name : username);
  sd_account_set_avatar_url (ctx->account, sd_http_json_string (account, "avatar"));
  limits = limits_from_instance (instance);
  sd_account_set_limits_json (ctx->account, limits);
  g_debug ("verified the account and read the instance's limits");
  return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
}

static SdPlatform
sd_mastodon_get_platform (SdProvider *provider)
{
  return SD_PLATFORM_MASTODON;
}

static void
sd_mastodon_provider_init (SdProviderInterface *iface)
{
  iface->get_platform = sd_mastodon_get_platform;
  iface->publish_part = sd_mastodon_publish_part;
  iface->resend_is_safe = sd_mastodon_resend_is_safe;
  iface->find_part = sd_mastodon_find_part;
  iface->min_schedule_ahead = sd_mastodon_min_schedule_ahead;
  iface->schedule_part = sd_mastodon_schedule_part;
  iface->reschedule = sd_mastodon_reschedule;
  iface->unschedule = sd_mastodon_unschedule;
  iface->verify_account = sd_mastodon_verify_account;
  sd_mastodon_inbox_init (iface);
}

static void
sd_mastodon_class_init (SdMastodonClass *klass)
{
}

static void
sd_mastodon_init (SdMastodon *self)
{
}

SdMastodon *
sd_mastodon_new (void)
{
  return g_object_new (SD_TYPE_MASTODON, NULL);
}

/* For the inbox half (sd-mastodon-private.h) */

SoupMessage *
sd_mastodon_api_message (const SdPublishContext *ctx,
                         const char             *method,
                         const char             *path,
                         SdProviderStatus       *status)
{
  return api_message (ctx, method, path, status);
}

SdOutcome
sd_mastodon_call (const SdPublishContext *ctx,
                  SoupMessage            *msg,
                  GCancellable           *cancellable,
                  JsonNode              **out,
                  char                  **words_out,
                  SdProviderStatus       *status)
{
  return call (ctx, msg, cancellable, out, words_out, status);
}

char *
sd_mastodon_link_next (SoupMessage *msg)
{
  return link_next (msg);
}
