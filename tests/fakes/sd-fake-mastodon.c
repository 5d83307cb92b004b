/* sd-fake-mastodon.c — a loopback Mastodon that answers as Mastodon's documentation shows
 *
 * Entities and error bodies follow mastodon/documentation (methods/statuses.md,
 * media.md, apps.md, oauth.md, scheduled_statuses.md, instance.md,
 * accounts.md; entities/Status.md, ScheduledStatus.md, Error.md; api/rate-limits.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-fake-mastodon"

#include "sd-fake-mastodon.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define IDEMPOTENCY_SECONDS  3600
#define MIN_SCHEDULE_OFFSET  300
#define RATE_WINDOW_SECONDS  300
#define MEDIA_POLLS_TO_READY 2
#define INVALID_GRANT \
  "The provided authorization grant is invalid, expired, revoked, does not match the " \
  "redirection URI used in the authorization request, or was issued to another client."

typedef struct
{
  char  *id;
  char  *username;
  char  *acct;           /* "user@remote.example" for a remote account, NULL: local (username) */
  char  *display_name;   /* NULL: the username */
  gint64 created_at;
} FakeAccount;

typedef struct
{
  char     *id;
  char     *account_id;
  char     *type;         /* image, gifv, video, audio */
  char     *description;
  guint     polls_left;   /* GETs before a 202 upload is ready */
} FakeMedia;

typedef struct
{
  char      *id;
  char      *account_id;
  char      *text;        /* NULL for a raw status */
  char      *content;
  char      *in_reply_to_id;
  char      *in_reply_to_account_id;
  char      *visibility;
  char      *key;
  gint64     created_ms;
  GPtrArray *media;       /* FakeMedia *, borrowed from the media table */
  char      *spoiler_text;
  GPtrArray *mentions;    /* account ids (char *) */
  GHashTable *favourited_by; /* account id set */
  char      *conversation_id; /* direct statuses: their conversation */
} FakeStatus;

/* A notification for one account (entities/Notification.md). */
typedef struct
{
  char  *id;
  char  *type;           /* mention, favourite, reblog, follow, quote, … */
  char  *account_id;     /* who receives it */
  char  *from_id;        /* who caused it */
  char  *status_id;      /* NULL for follow */
  gint64 created_ms;
} FakeNotification;

/* A direct conversation (entities/Conversation.md); one id for every participant. */
typedef struct
{
  char      *id;
  GPtrArray *participants; /* account ids (char *) */
} FakeConversation;

typedef struct
{
  char      *id;
  char      *account_id;
  gint64     scheduled_at;
  char      *text;
  char      *in_reply_to_id;
  char      *visibility;
  char      *key;
  GPtrArray *media;
} FakeScheduled;

typedef struct
{
  char  *id;             /* status or scheduled status id */
  gint64 expires_at;
} FakeIdempotency;

typedef struct
{
  char *client_id;
  char *client_secret;
  char *redirect_uris;   /* newline separated, as Mastodon keeps them */
} FakeApp;

typedef struct
{
  char *client_id;
  char *redirect_uri;
  char *challenge;
  char *account_id;
} FakeGrant;

typedef struct
{
  gint64 window_start;
  guint  used;
} FakeRate;

struct _SdFakeMastodon
{
  GMutex        lock;
  GCond         ready_cond;
  gboolean      ready;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  char         *domain;

  guint64       next_id;
  gint64        clock_offset;
  GPtrArray    *accounts;        /* FakeAccount */
  GHashTable   *tokens;          /* token → account id */
  GHashTable   *revoked;         /* token set */
  GPtrArray    *statuses;        /* FakeStatus, oldest first */
  GHashTable   *media;           /* id → FakeMedia */
  GPtrArray    *scheduled;       /* FakeScheduled */
  GHashTable   *idempotency;     /* "account:key" → FakeIdempotency */
  GHashTable   *apps;            /* client_id → FakeApp */
  GHashTable   *grants;          /* code → FakeGrant */
  GHashTable   *rates;           /* token or "anon" → FakeRate */
  GPtrArray    *notifications;   /* FakeNotification, oldest first */
  GPtrArray    *conversations;   /* FakeConversation */
  char         *inbox_account;   /* who seeded notifications are for; NULL: the first account */
  const char   *viewer;          /* the requesting account while a request is answered */
  gboolean      test_endpoints;  /* POST /__test__/… seeding (the server program) */

  GRand        *rand;
  double        fault_rate;
  guint         fault_kinds;
  SdFakeFault   injected_kind;
  guint         injected_left;
  guint         slow_ms;
  guint         n_faults;
  guint         n_requests;
  guint         rate_limit;
  guint         max_characters;
  gboolean      v2_instance;
  GList        *slow_sources;
};

/* Records */

static void
fake_account_free (FakeAccount *account)
{
  g_free (account->id);
  g_free (account->username);
  g_free (account->acct);
  g_free (account->display_name);
  g_free (account);
}

static void
fake_media_free (FakeMedia *media)
{
  g_free (media->id);
  g_free (media->account_id);
  g_free (media->type);
  g_free (media->description);
  g_free (media);
}

static void
fake_status_free (FakeStatus *status)
{
  g_free (status->id);
  g_free (status->account_id);
  g_free (status->text);
  g_free (status->content);
  g_free (status->in_reply_to_id);
  g_free (status->in_reply_to_account_id);
  g_free (status->visibility);
  g_free (status->key);
  g_ptr_array_unref (status->media);
  g_free (status->spoiler_text);
  g_ptr_array_unref (status->mentions);
  g_hash_table_unref (status->favourited_by);
  g_free (status->conversation_id);
  g_free (status);
}

static void
fake_notification_free (FakeNotification *notification)
{
  g_free (notification->id);
  g_free (notification->type);
  g_free (notification->account_id);
  g_free (notification->from_id);
  g_free (notification->status_id);
  g_free (notification);
}

static void
fake_conversation_free (FakeConversation *conversation)
{
  g_free (conversation->id);
  g_ptr_array_unref (conversation->participants);
  g_free (conversation);
}

static void
fake_scheduled_free (FakeScheduled *scheduled)
{
  g_free (scheduled->id);
  g_free (scheduled->account_id);
  g_free (scheduled->text);
  g_free (scheduled->in_reply_to_id);
  g_free (scheduled->visibility);
  g_free (scheduled->key);
  g_ptr_array_unref (scheduled->media);
  g_free (scheduled);
}

static void
fake_idempotency_free (FakeIdempotency *entry)
{
  g_free (entry->id);
  g_free (entry);
}

static void
fake_app_free (FakeApp *app)
{
  g_free (app->client_id);
  g_free (app->client_secret);
  g_free (app->redirect_uris);
  g_free (app);
}

static void
fake_grant_free (FakeGrant *grant)
{
  g_free (grant->client_id);
  g_free (grant->redirect_uri);
  g_free (grant->challenge);
  g_free (grant->account_id);
  g_free (grant);
}

/* Time and ids (call with the lock held) */

static gint64
now_ms (SdFakeMastodon *self)
{
  return g_get_real_time () / 1000 + self->clock_offset * 1000;
}

static char *
format_time_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}

/* Like Mastodon's snowflakes: milliseconds shifted left 16 bits, plus a sequence. */
static char *
new_snowflake (SdFakeMastodon *self)
{
  guint64 id = ((guint64) now_ms (self) << 16) | (self->next_id++ & 0xffff);

  return g_strdup_printf ("%" G_GUINT64_FORMAT, id);
}

static char *
random_token (void)
{
  guint8 bytes[32];
  g_autofree char *b64 = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_random_int_range (0, 256);
  b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

static FakeAccount *
find_account (SdFakeMastodon *self,
              const char     *id)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (self->accounts, i);
      if (g_strcmp0 (account->id, id) == 0)
        return account;
    }
  return NULL;
}

static FakeAccount *
find_account_by_username (SdFakeMastodon *self,
                          const char     *username)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (self->accounts, i);
      if (g_strcmp0 (account->username, username) == 0)
        return account;
    }
  return NULL;
}

static FakeStatus *
find_status (SdFakeMastodon *self,
             const char     *id)
{
  for (guint i = 0; i < self->statuses->len; i++)
    {
      FakeStatus *status = g_ptr_array_index (self->statuses, i);
      if (g_strcmp0 (status->id, id) == 0)
        return status;
    }
  return NULL;
}

static FakeScheduled *
find_scheduled (SdFakeMastodon *self,
                const char     *id,
                const char     *account_id,
                guint          *index)
{
  for (guint i = 0; i < self->scheduled->len; i++)
    {
      FakeScheduled *scheduled = g_ptr_array_index (self->scheduled, i);
      if (g_strcmp0 (scheduled->id, id) == 0 && g_strcmp0 (scheduled->account_id, account_id) == 0)
        {
          if (index != NULL)
            *index = i;
          return scheduled;
        }
    }
  return NULL;
}

/* Content: Mastodon's plain-text formatter (escape, linkify, paragraphs, <br />) */

static void
append_escaped (GString    *out,
                const char *text,
                gssize      length)
{
  const char *end = length < 0 ? text + strlen (text) : text + length;

  for (const char *p = text; p < end; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default: g_string_append_c (out, *p);
        }
    }
}

static gsize
token_length (const char *p)
{
  gsize n = 0;

  while (p[n] != '\0' && !g_ascii_isspace (p[n]))
    n++;
  return n;
}

static void
append_line (SdFakeMastodon *self,
             GString        *out,
             const char     *line)
{
  const char *p = line;

  while (*p != '\0')
    {
      gboolean at_word_start = p == line || g_ascii_isspace (p[-1]);

      if (at_word_start && (g_str_has_prefix (p, "https://") || g_str_has_prefix (p, "http://")))
        {
          gsize length = token_length (p);
          gsize scheme = g_str_has_prefix (p, "https://") ? 8 : 7;

          g_string_append (out, "<a href=\"");
          append_escaped (out, p, length);
          g_string_append (out, "\" target=\"_blank\" rel=\"nofollow noopener noreferrer\" "
                                "translate=\"no\"><span class=\"invisible\">");
          append_escaped (out, p, scheme);
          g_string_append (out, "</span><span class=\"\">");
          append_escaped (out, p + scheme, length - scheme);
          g_string_append (out, "</span><span class=\"invisible\"></span></a>");
          p += length;
        }
      else if (at_word_start && p[0] == '#' && g_ascii_isalnum (p[1]))
        {
          gsize length = 1;

          while (g_ascii_isalnum (p[length]) || p[length] == '_')
            length++;
          g_string_append_printf (out, "<a href=\"%s/tags/", self->url);
          append_escaped (out, p + 1, length - 1);
          g_string_append (out, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
          append_escaped (out, p + 1, length - 1);
          g_string_append (out, "</span></a>");
          p += length;
        }
      else
        {
          append_escaped (out, p, 1);
          p++;
        }
    }
}

static char *
format_content (SdFakeMastodon *self,
                const char     *text)
{
  g_autoptr(GRegex) paragraphs = g_regex_new ("\n\n+", 0, 0, NULL);
  g_autofree char *unix_text = NULL;
  g_auto(GStrv) parts = NULL;
  GString *out = g_string_new (NULL);
  g_auto(GStrv) crlf = g_strsplit (text, "\r\n", -1);

  unix_text = g_strjoinv ("\n", crlf);
  parts = g_regex_split (paragraphs, unix_text, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) lines = g_strsplit (parts[i], "\n", -1);

      if (parts[i][0] == '\0' && parts[i + 1] != NULL)
        continue;
      g_string_append (out, "<p>");
      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append (out, "<br />");
          append_line (self, out, lines[j]);
        }
      g_string_append (out, "</p>");
    }
  return g_string_free (out, FALSE);
}

/* Entities */

static JsonObject *
account_entity (SdFakeMastodon *self,
                FakeAccount    *account,
                gboolean        with_source)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = format_time_ms (account->created_at * 1000);
  g_autofree char *url = g_strdup_printf ("%s/@%s", self->url, account->username);
  g_autofree char *avatar = g_strdup_printf ("%s/system/accounts/avatars/%s/original/avatar.png",
                                             self->url, account->id);
  guint count = 0;

  for (guint i = 0; i < self->statuses->len; i++)
    count += g_strcmp0 (((FakeStatus *) g_ptr_array_index (self->statuses, i))->account_id,
                        account->id) == 0;

  json_object_set_string_member (object, "id", account->id);
  json_object_set_string_member (object, "username", account->username);
  json_object_set_string_member (object, "acct", account->acct != NULL ? account->acct : account->username);
  json_object_set_string_member (object, "display_name",
                                 account->display_name != NULL ? account->display_name : account->username);
  json_object_set_boolean_member (object, "locked", FALSE);
  json_object_set_boolean_member (object, "bot", FALSE);
  json_object_set_boolean_member (object, "discoverable", TRUE);
  json_object_set_boolean_member (object, "group", FALSE);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "note", "");
  json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "avatar", avatar);
  json_object_set_string_member (object, "avatar_static", avatar);
  json_object_set_string_member (object, "header", "");
  json_object_set_string_member (object, "header_static", "");
  json_object_set_int_member (object, "followers_count", 0);
  json_object_set_int_member (object, "following_count", 0);
  json_object_set_int_member (object, "statuses_count", count);
  json_object_set_null_member (object, "last_status_at");
  json_object_set_array_member (object, "emojis", json_array_new ());
  json_object_set_array_member (object, "fields", json_array_new ());
  if (with_source)
    {
      JsonObject *source = json_object_new ();

      json_object_set_string_member (source, "privacy", "public");
      json_object_set_boolean_member (source, "sensitive", FALSE);
      json_object_set_string_member (source, "language", "");
      json_object_set_string_member (source, "note", "");
      json_object_set_array_member (source, "fields", json_array_new ());
      json_object_set_int_member (source, "follow_requests_count", 0);
      json_object_set_object_member (object, "source", source);
    }
  return object;
}

static JsonObject *
media_entity (SdFakeMastodon *self,
              FakeMedia      *media)
{
  JsonObject *object = json_object_new ();
  g_autofree char *url = g_strdup_printf ("%s/system/media_attachments/files/%s/original/file",
                                          self->url, media->id);
  g_autofree char *preview = g_strdup_printf ("%s/system/media_attachments/files/%s/small/file",
                                              self->url, media->id);
  g_autofree char *text_url = g_strdup_printf ("%s/media/%s", self->url, media->id);

  json_object_set_string_member (object, "id", media->id);
  json_object_set_string_member (object, "type", media->type);
  if (media->polls_left > 0)
    json_object_set_null_member (object, "url");
  else
    json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "preview_url", preview);
  json_object_set_null_member (object, "remote_url");
  json_object_set_string_member (object, "text_url", text_url);
  json_object_set_object_member (object, "meta", json_object_new ());
  if (media->description != NULL)
    json_object_set_string_member (object, "description", media->description);
  else
    json_object_set_null_member (object, "description");
  json_object_set_null_member (object, "blurhash");
  return object;
}

static void
set_nullable_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonArray *
mentions_array (SdFakeMastodon *self,
                FakeStatus     *status)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < status->mentions->len; i++)
    {
      FakeAccount *account = find_account (self, g_ptr_array_index (status->mentions, i));
      JsonObject *mention;
      g_autofree char *url = NULL;

      if (account == NULL)
        continue;
      url = g_strdup_printf ("%s/@%s", self->url, account->username);
      mention = json_object_new ();
      json_object_set_string_member (mention, "id", account->id);
      json_object_set_string_member (mention, "username", account->username);
      json_object_set_string_member (mention, "url", url);
      json_object_set_string_member (mention, "acct", account->acct != NULL ? account->acct : account->username);
      json_array_add_object_element (array, mention);
    }
  return array;
}

static JsonObject *
status_entity (SdFakeMastodon *self,
               FakeStatus     *status)
{
  JsonObject *object = json_object_new ();
  FakeAccount *account = find_account (self, status->account_id);
  g_autofree char *created = format_time_ms (status->created_ms);
  g_autofree char *uri = g_strdup_printf ("%s/users/%s/statuses/%s", self->url,
                                          account->username, status->id);
  g_autofree char *url = g_strdup_printf ("%s/@%s/%s", self->url, account->username, status->id);
  JsonObject *application = json_object_new ();
  JsonArray *media = json_array_new ();
  guint replies = 0;

  for (guint i = 0; i < self->statuses->len; i++)
    replies += g_strcmp0 (((FakeStatus *) g_ptr_array_index (self->statuses, i))->in_reply_to_id,
                          status->id) == 0;
  for (guint i = 0; i < status->media->len; i++)
    json_array_add_object_element (media, media_entity (self, g_ptr_array_index (status->media, i)));

  json_object_set_string_member (object, "id", status->id);
  json_object_set_string_member (object, "created_at", created);
  set_nullable_string (object, "in_reply_to_id", status->in_reply_to_id);
  set_nullable_string (object, "in_reply_to_account_id", status->in_reply_to_account_id);
  json_object_set_boolean_member (object, "sensitive", FALSE);
  json_object_set_string_member (object, "spoiler_text", status->spoiler_text != NULL ? status->spoiler_text : "");
  json_object_set_string_member (object, "visibility", status->visibility);
  json_object_set_string_member (object, "language", "en");
  json_object_set_string_member (object, "uri", uri);
  json_object_set_string_member (object, "url", url);
  json_object_set_int_member (object, "replies_count", replies);
  json_object_set_int_member (object, "reblogs_count", 0);
  json_object_set_int_member (object, "favourites_count", g_hash_table_size (status->favourited_by));
  json_object_set_null_member (object, "edited_at");
  json_object_set_boolean_member (object, "favourited",
                                  self->viewer != NULL && g_hash_table_contains (status->favourited_by, self->viewer));
  json_object_set_boolean_member (object, "reblogged", FALSE);
  json_object_set_boolean_member (object, "muted", FALSE);
  json_object_set_boolean_member (object, "bookmarked", FALSE);
  json_object_set_boolean_member (object, "pinned", FALSE);
  json_object_set_string_member (object, "content", status->content);
  json_object_set_null_member (object, "reblog");
  json_object_set_string_member (application, "name", "SocialDesk");
  json_object_set_null_member (application, "website");
  json_object_set_object_member (object, "application", application);
  json_object_set_object_member (object, "account", account_entity (self, account, FALSE));
  json_object_set_array_member (object, "media_attachments", media);
  json_object_set_array_member (object, "mentions", mentions_array (self, status));
  json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_array_member (object, "emojis", json_array_new ());
  json_object_set_null_member (object, "card");
  json_object_set_null_member (object, "poll");
  return object;
}

static JsonObject *
scheduled_entity (SdFakeMastodon *self,
                  FakeScheduled  *scheduled)
{
  JsonObject *object = json_object_new ();
  JsonObject *params = json_object_new ();
  JsonArray *media = json_array_new ();
  g_autofree char *when = format_time_ms (scheduled->scheduled_at * 1000);

  json_object_set_string_member (object, "id", scheduled->id);
  json_object_set_string_member (object, "scheduled_at", when);
  json_object_set_string_member (params, "text", scheduled->text);
  if (scheduled->media->len > 0)
    {
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < scheduled->media->len; i++)
        json_array_add_string_element (ids, ((FakeMedia *) g_ptr_array_index (scheduled->media, i))->id);
      json_object_set_array_member (params, "media_ids", ids);
    }
  else
    json_object_set_null_member (params, "media_ids");
  json_object_set_null_member (params, "sensitive");
  json_object_set_null_member (params, "spoiler_text");
  set_nullable_string (params, "visibility", scheduled->visibility);
  json_object_set_null_member (params, "scheduled_at");
  json_object_set_null_member (params, "poll");
  set_nullable_string (params, "idempotency", scheduled->key);
  set_nullable_string (params, "in_reply_to_id", scheduled->in_reply_to_id);
  json_object_set_int_member (params, "application_id", 1);
  json_object_set_object_member (object, "params", params);
  for (guint i = 0; i < scheduled->media->len; i++)
    json_array_add_object_element (media, media_entity (self, g_ptr_array_index (scheduled->media, i)));
  json_object_set_array_member (object, "media_attachments", media);
  return object;
}

static JsonObject *
instance_v2_entity (SdFakeMastodon *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_strdup_printf (
    "{\"domain\":\"%s\",\"title\":\"SocialDesk test instance\",\"version\":\"4.3.0\","
    "\"source_url\":\"https://github.com/mastodon/mastodon\","
    "\"description\":\"A loopback Mastodon for SocialDesk's tests.\","
    "\"usage\":{\"users\":{\"active_month\":%u}},"
    "\"thumbnail\":{\"url\":\"%s/packs/media/images/preview.png\"},"
    "\"languages\":[\"en\"],"
    "\"configuration\":{\"urls\":{\"streaming\":\"ws://%s\"},"
    "\"accounts\":{\"max_featured_tags\":10,\"max_pinned_statuses\":5},"
    "\"statuses\":{\"max_characters\":%u,\"max_media_attachments\":4,"
    "\"characters_reserved_per_url\":23},"
    "\"media_attachments\":{\"supported_mime_types\":[\"image/jpeg\",\"image/png\",\"image/gif\","
    "\"image/webp\",\"video/mp4\",\"video/webm\",\"audio/mpeg\"],\"description_limit\":1500,"
    "\"image_size_limit\":16777216,\"image_matrix_limit\":33177600,"
    "\"video_size_limit\":103809024,\"video_frame_rate_limit\":120,"
    "\"video_matrix_limit\":8294400},"
    "\"polls\":{\"max_options\":4,\"max_characters_per_option\":50,"
    "\"min_expiration\":300,\"max_expiration\":2629746},"
    "\"translation\":{\"enabled\":false}},"
    "\"registrations\":{\"enabled\":false,\"approval_required\":false,\"message\":null},"
    "\"contact\":{\"email\":\"admin@example.com\",\"account\":null},\"rules\":[]}",
    self->domain, self->accounts->len, self->url, self->domain, self->max_characters);

  json_parser_load_from_data (parser, json, -1, NULL);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
instance_v1_entity (SdFakeMastodon *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_strdup_printf (
    "{\"uri\":\"%s\",\"title\":\"SocialDesk test instance\",\"short_description\":\"\","
    "\"description\":\"\",\"email\":\"admin@example.com\",\"version\":\"3.5.3\","
    "\"urls\":{\"streaming_api\":\"ws://%s\"},"
    "\"stats\":{\"user_count\":%u,\"status_count\":%u,\"domain_count\":1},"
    "\"thumbnail\":null,\"languages\":[\"en\"],\"registrations\":false,"
    "\"approval_required\":false,\"invites_enabled\":false,"
    "\"configuration\":{\"statuses\":{\"max_characters\":%u,\"max_media_attachments\":4,"
    "\"characters_reserved_per_url\":23},"
    "\"media_attachments\":{\"supported_mime_types\":[\"image/jpeg\",\"image/png\"],"
    "\"image_size_limit\":10485760,\"image_matrix_limit\":16777216,"
    "\"video_size_limit\":41943040,\"video_frame_rate_limit\":60,"
    "\"video_matrix_limit\":2304000}},\"contact_account\":null,\"rules\":[]}",
    self->domain, self->domain, self->accounts->len, self->statuses->len, self->max_characters);

  json_parser_load_from_data (parser, json, -1, NULL);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Answers */

static void
respond_json_object (SoupServerMessage *msg,
                     guint              code,
                     JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, code, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

static void
respond_object (SoupServerMessage *msg,
                guint              code,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  respond_json_object (msg, code, node);
}

static void
respond_array (SoupServerMessage *msg,
               JsonArray         *array)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  respond_json_object (msg, SOUP_STATUS_OK, node);
}

static void
respond_error (SoupServerMessage *msg,
               guint              code,
               const char        *error)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  respond_object (msg, code, object);
}

static void
respond_html (SoupServerMessage *msg,
              guint              code,
              const char        *html)
{
  soup_server_message_set_status (msg, code, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    html, strlen (html));
}

static void
respond_oauth_error (SoupServerMessage *msg,
                     guint              code,
                     const char        *error,
                     const char        *description)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "error_description", description);
  respond_object (msg, code, object);
}

static void
set_rate_headers (SoupServerMessage *msg,
                  guint              limit,
                  guint              remaining,
                  gint64             reset_unix)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (reset_unix);
  g_autofree char *reset_text = g_date_time_format (reset, "%Y-%m-%dT%H:%M:%S.000000Z");
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autofree char *remaining_text = g_strdup_printf ("%u", remaining);

  soup_message_headers_replace (headers, "X-RateLimit-Limit", limit_text);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", remaining_text);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", reset_text);
}

/* Counts the request against its bucket; FALSE (and a 429 answer) past the limit. */
static gboolean
take_rate (SdFakeMastodon    *self,
           SoupServerMessage *msg,
           const char        *token)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *bucket = token != NULL ? token : "anonymous";
  FakeRate *rate = g_hash_table_lookup (self->rates, bucket);
  guint limit = self->rate_limit > 0 ? self->rate_limit : 300;

  if (rate == NULL)
    {
      rate = g_new0 (FakeRate, 1);
      g_hash_table_insert (self->rates, g_strdup (bucket), rate);
    }
  if (rate->window_start == 0 || now >= rate->window_start + RATE_WINDOW_SECONDS)
    {
      rate->window_start = now;
      rate->used = 0;
    }

  if (self->rate_limit > 0 && rate->used >= self->rate_limit)
    {
      respond_error (msg, 429, "Too many requests");
      set_rate_headers (msg, limit, 0, rate->window_start + RATE_WINDOW_SECONDS);
      return FALSE;
    }
  rate->used++;
  /* Without a limit the headers never say the allowance is spent. */
  set_rate_headers (msg, limit, self->rate_limit == 0 ? limit : rate->used >= limit ? 0 : limit - rate->used,
                    rate->window_start + RATE_WINDOW_SECONDS);
  return TRUE;
}

/* Request parameters: JSON, form or multipart body, else the query */

static void
add_param (JsonObject *params,
           const char *name,
           const char *value)
{
  if (g_str_has_suffix (name, "[]"))
    {
      g_autofree char *base = g_strndup (name, strlen (name) - 2);
      JsonArray *array;

      if (!json_object_has_member (params, base))
        json_object_set_array_member (params, base, json_array_new ());
      array = json_object_get_array_member (params, base);
      if (array != NULL)
        json_array_add_string_element (array, value);
    }
  else
    json_object_set_string_member (params, name, value);
}

static void
add_form_params (JsonObject *params,
                 const char *form)
{
  g_auto(GStrv) pairs = g_strsplit (form, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (kv[0] == NULL || kv[0][0] == '\0')
        continue;
      g_strdelimit (kv[0], "+", ' ');
      if (kv[1] != NULL)
        g_strdelimit (kv[1], "+", ' ');
      name = g_uri_unescape_string (kv[0], NULL);
      value = kv[1] != NULL ? g_uri_unescape_string (kv[1], NULL) : g_strdup ("");
      if (name != NULL && value != NULL)
        add_param (params, name, value);
    }
}

typedef struct
{
  JsonObject *params;
  GBytes     *file;
  char       *file_type;
} Request;

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->params, json_object_unref);
  g_clear_pointer (&request->file, g_bytes_unref);
  g_clear_pointer (&request->file_type, g_free);
}

static void
read_request (SoupServerMessage *msg,
              Request           *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  request->params = json_object_new ();
  if (query != NULL)
    add_form_params (request->params, query);

  if (g_strcmp0 (type, "application/json") == 0 && g_bytes_get_size (body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          GList *members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (request->params, l->data,
                                    json_node_copy (json_object_get_member (object, l->data)));
          g_list_free (members);
        }
    }
  else if (g_strcmp0 (type, "application/x-www-form-urlencoded") == 0)
    {
      g_autofree char *form = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      add_form_params (request->params, form);
    }
  else if (g_strcmp0 (type, "multipart/form-data") == 0)
    {
      g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

      for (int i = 0; multipart != NULL && i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autoptr(GHashTable) disposition_params = NULL;
          const char *name;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body)
              || !soup_message_headers_get_content_disposition (part_headers, NULL,
                                                                &disposition_params))
            continue;
          name = g_hash_table_lookup (disposition_params, "name");
          if (g_strcmp0 (name, "file") == 0)
            {
              g_clear_pointer (&request->file, g_bytes_unref);
              request->file = g_bytes_ref (part_body);
              g_free (request->file_type);
              request->file_type = g_strdup (soup_message_headers_get_content_type (part_headers, NULL));
            }
          else if (name != NULL)
            {
              g_autofree char *value = g_strndup (g_bytes_get_data (part_body, NULL),
                                                  g_bytes_get_size (part_body));
              add_param (request->params, name, value);
            }
        }
    }
}

static const char *
param_string (Request    *request,
              const char *name)
{
  JsonNode *node = json_object_get_member (request->params, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Mentions, notifications and direct conversations */

static FakeAccount *
find_account_by_acct (SdFakeMastodon *self,
                      const char     *acct)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (self->accounts, i);
      if (g_strcmp0 (account->acct != NULL ? account->acct : account->username, acct) == 0)
        return account;
    }
  return NULL;
}

static gboolean
str_array_contains (GPtrArray  *array,
                    const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
add_mention (FakeStatus *status,
             const char *account_id)
{
  if (!str_array_contains (status->mentions, account_id))
    g_ptr_array_add (status->mentions, g_strdup (account_id));
}

/* "@user" and "@user@domain" (our own domain counts as local), as Mastodon's
 * text formatter finds them. */
static void
add_text_mentions (SdFakeMastodon *self,
                   FakeStatus     *status,
                   const char     *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?<![\\w/@])@([A-Za-z0-9_]+)(?:@([A-Za-z0-9.:-]*[A-Za-z0-9]))?",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (regex, text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *user = g_match_info_fetch (match, 1);
      g_autofree char *domain = g_match_info_fetch (match, 2);
      g_autofree char *acct = NULL;
      FakeAccount *account;

      if (domain != NULL && domain[0] != '\0' && g_strcmp0 (domain, self->domain) != 0)
        acct = g_strdup_printf ("%s@%s", user, domain);
      account = find_account_by_acct (self, acct != NULL ? acct : user);
      if (account != NULL && g_strcmp0 (account->id, status->account_id) != 0)
        add_mention (status, account->id);
    }
}

static FakeConversation *
find_conversation (SdFakeMastodon *self,
                   const char     *id)
{
  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conversation = g_ptr_array_index (self->conversations, i);
      if (g_strcmp0 (conversation->id, id) == 0)
        return conversation;
    }
  return NULL;
}

/* A direct status goes on in its parent's conversation, else starts one
 * between its author and the accounts it mentions. */
static void
join_conversation (SdFakeMastodon *self,
                   FakeStatus     *status,
                   FakeStatus     *parent)
{
  FakeConversation *conversation = NULL;

  if (parent != NULL && parent->conversation_id != NULL)
    conversation = find_conversation (self, parent->conversation_id);
  if (conversation == NULL)
    {
      conversation = g_new0 (FakeConversation, 1);
      conversation->id = g_strdup_printf ("%" G_GUINT64_FORMAT, 1000 + (guint64) self->conversations->len);
      conversation->participants = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->conversations, conversation);
    }
  if (!str_array_contains (conversation->participants, status->account_id))
    g_ptr_array_add (conversation->participants, g_strdup (status->account_id));
  for (guint i = 0; i < status->mentions->len; i++)
    if (!str_array_contains (conversation->participants, g_ptr_array_index (status->mentions, i)))
      g_ptr_array_add (conversation->participants, g_strdup (g_ptr_array_index (status->mentions, i)));
  status->conversation_id = g_strdup (conversation->id);
}

static FakeNotification *
add_notification_record (SdFakeMastodon *self,
                         const char     *type,
                         const char     *account_id,
                         const char     *from_id,
                         const char     *status_id)
{
  FakeNotification *notification = g_new0 (FakeNotification, 1);

  notification->id = new_snowflake (self);
  notification->type = g_strdup (type);
  notification->account_id = g_strdup (account_id);
  notification->from_id = g_strdup (from_id);
  notification->status_id = g_strdup (status_id);
  notification->created_ms = now_ms (self);
  g_ptr_array_add (self->notifications, notification);
  return notification;
}

/* Mastodon notifies every mentioned account (a direct status too: that is
 * how DMs reach the notifications list as mentions). */
static void
notify_mentions (SdFakeMastodon *self,
                 FakeStatus     *status)
{
  for (guint i = 0; i < status->mentions->len; i++)
    add_notification_record (self, "mention", g_ptr_array_index (status->mentions, i),
                             status->account_id, status->id);
}

/* Who may see a status: public and unlisted ones everyone; private and
 * direct ones their author and the accounts they mention. */
static gboolean
status_visible_to (FakeStatus *status,
                   const char *account_id)
{
  if (g_str_equal (status->visibility, "public") || g_str_equal (status->visibility, "unlisted"))
    return TRUE;
  return g_strcmp0 (status->account_id, account_id) == 0
         || (account_id != NULL && str_array_contains (status->mentions, account_id));
}

/* Scheduled statuses fall due */

static FakeStatus *
make_status (SdFakeMastodon *self,
             const char     *account_id,
             const char     *text,
             const char     *in_reply_to_id,
             const char     *visibility,
             const char     *key,
             GPtrArray      *media,
             gint64          created_ms)
{
  FakeStatus *status = g_new0 (FakeStatus, 1);
  FakeStatus *parent = in_reply_to_id != NULL ? find_status (self, in_reply_to_id) : NULL;

  status->id = new_snowflake (self);
  status->account_id = g_strdup (account_id);
  status->text = g_strdup (text);
  status->content = format_content (self, text);
  status->in_reply_to_id = parent != NULL ? g_strdup (parent->id) : NULL;
  status->in_reply_to_account_id = parent != NULL ? g_strdup (parent->account_id) : NULL;
  status->visibility = g_strdup (visibility != NULL ? visibility : "public");
  status->key = g_strdup (key);
  status->created_ms = created_ms;
  status->media = g_ptr_array_ref (media);
  status->mentions = g_ptr_array_new_with_free_func (g_free);
  status->favourited_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (self->statuses, status);
  if (text != NULL)
    add_text_mentions (self, status, text);
  if (g_str_equal (status->visibility, "direct"))
    join_conversation (self, status, parent);
  notify_mentions (self, status);
  return status;
}

static void
publish_due (SdFakeMastodon *self)
{
  gint64 now = now_ms (self) / 1000;

  for (guint i = 0; i < self->scheduled->len;)
    {
      FakeScheduled *scheduled = g_ptr_array_index (self->scheduled, i);

      if (scheduled->scheduled_at <= now)
        {
          make_status (self, scheduled->account_id, scheduled->text, scheduled->in_reply_to_id,
                       scheduled->visibility, scheduled->key, scheduled->media,
                       scheduled->scheduled_at * 1000);
          g_ptr_array_remove_index (self->scheduled, i);
        }
      else
        i++;
    }
}

/* Handlers (lock held) */

static void
handle_apps (SdFakeMastodon    *self,
             SoupServerMessage *msg,
             Request           *request)
{
  const char *name = param_string (request, "client_name");
  JsonNode *uris_node = json_object_get_member (request->params, "redirect_uris");
  g_autoptr(GString) uris = g_string_new (NULL);
  JsonObject *object;
  JsonArray *uri_array = json_array_new ();
  JsonArray *scopes_array = json_array_new ();
  const char *scopes = param_string (request, "scopes");
  g_auto(GStrv) scope_list = NULL;
  FakeApp *app;
  g_autofree char *app_id = NULL;

  if (uris_node != NULL && JSON_NODE_HOLDS_ARRAY (uris_node))
    {
      JsonArray *array = json_node_get_array (uris_node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (uris, "%s%s", i > 0 ? "\n" : "",
                                json_array_get_string_element (array, i));
    }
  else if (uris_node != NULL && json_node_get_value_type (uris_node) == G_TYPE_STRING)
    g_string_append (uris, json_node_get_string (uris_node));

  if (name == NULL || name[0] == '\0')
    {
      json_array_unref (uri_array);
      json_array_unref (scopes_array);
      respond_error (msg, 422, "Validation failed: Application name can't be blank");
      return;
    }
  if (uris->len == 0 || (strstr (uris->str, "://") == NULL && strcmp (uris->str, "urn:ietf:wg:oauth:2.0:oob") != 0))
    {
      json_array_unref (uri_array);
      json_array_unref (scopes_array);
      respond_error (msg, 422, "Validation failed: Redirect URI must be an absolute URI.");
      return;
    }

  app = g_new0 (FakeApp, 1);
  app->client_id = random_token ();
  app->client_secret = random_token ();
  app->redirect_uris = g_strdup (uris->str);
  g_hash_table_insert (self->apps, app->client_id, app);

  scope_list = g_strsplit (scopes != NULL ? scopes : "read", " ", -1);
  for (guint i = 0; scope_list[i] != NULL; i++)
    if (scope_list[i][0] != '\0')
      json_array_add_string_element (scopes_array, scope_list[i]);
  {
    g_auto(GStrv) list = g_strsplit (uris->str, "\n", -1);
    for (guint i = 0; list[i] != NULL; i++)
      json_array_add_string_element (uri_array, list[i]);
  }

  app_id = g_strdup_printf ("%u", g_hash_table_size (self->apps));
  object = json_object_new ();
  json_object_set_string_member (object, "id", app_id);
  json_object_set_string_member (object, "name", name);
  set_nullable_string (object, "website", param_string (request, "website"));
  json_object_set_array_member (object, "scopes", scopes_array);
  json_object_set_string_member (object, "redirect_uri", uris->str);
  json_object_set_array_member (object, "redirect_uris", uri_array);
  json_object_set_string_member (object, "client_id", app->client_id);
  json_object_set_string_member (object, "client_secret", app->client_secret);
  json_object_set_int_member (object, "client_secret_expires_at", 0);
  respond_object (msg, SOUP_STATUS_OK, object);
}

static gboolean
is_loopback_host (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 || g_strcmp0 (host, "[::1]") == 0;
}

/* As Mastodon's Doorkeeper: an exact match, or for loopback redirect URIs
 * the same but for the port (RFC 8252 §7.3: clients take any free port). */
static gboolean
redirect_matches (const char *wanted,
                  const char *registered)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;

  if (g_strcmp0 (wanted, registered) == 0)
    return TRUE;
  a = g_uri_parse (wanted, G_URI_FLAGS_NONE, NULL);
  b = g_uri_parse (registered, G_URI_FLAGS_NONE, NULL);
  return a != NULL && b != NULL && is_loopback_host (g_uri_get_host (a)) && is_loopback_host (g_uri_get_host (b))
         && g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_strcmp0 (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && g_strcmp0 (g_uri_get_userinfo (a), g_uri_get_userinfo (b)) == 0
         && g_strcmp0 (g_uri_get_path (a), g_uri_get_path (b)) == 0
         && g_strcmp0 (g_uri_get_query (a), g_uri_get_query (b)) == 0;
}

static gboolean
app_has_redirect (FakeApp    *app,
                  const char *redirect_uri)
{
  g_auto(GStrv) list = g_strsplit (app->redirect_uris, "\n", -1);

  for (guint i = 0; redirect_uri != NULL && list[i] != NULL; i++)
    if (redirect_matches (redirect_uri, list[i]))
      return TRUE;
  return FALSE;
}

static void
handle_authorize (SdFakeMastodon    *self,
                  SoupServerMessage *msg,
                  Request           *request)
{
  const char *client_id = param_string (request, "client_id");
  const char *redirect_uri = param_string (request, "redirect_uri");
  const char *challenge = param_string (request, "code_challenge");
  const char *method = param_string (request, "code_challenge_method");
  const char *state = param_string (request, "state");
  const char *approver = param_string (request, "sd_fake_approve");
  FakeApp *app = client_id != NULL ? g_hash_table_lookup (self->apps, client_id) : NULL;
  FakeAccount *account;
  FakeGrant *grant;
  g_autofree char *code = NULL;
  g_autofree char *escaped_state = NULL;
  g_autofree char *location = NULL;
  static const char page[] =
    "<!DOCTYPE html><html><body><form method=\"post\"><p>Authorize SocialDesk?</p>"
    "<button>Authorize</button></form></body></html>";

  if (app == NULL || !app_has_redirect (app, redirect_uri)
      || g_strcmp0 (param_string (request, "response_type"), "code") != 0)
    {
      respond_html (msg, 400, "<p>The client is unknown or the redirect URI is not registered.</p>");
      return;
    }
  if (approver == NULL)
    {
      respond_html (msg, SOUP_STATUS_OK, page);
      return;
    }
  account = find_account_by_username (self, approver);
  if (account == NULL || (challenge != NULL && g_strcmp0 (method, "S256") != 0))
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  code = random_token ();
  grant = g_new0 (FakeGrant, 1);
  grant->client_id = g_strdup (client_id);
  grant->redirect_uri = g_strdup (redirect_uri);
  grant->challenge = g_strdup (challenge);
  grant->account_id = g_strdup (account->id);
  g_hash_table_insert (self->grants, g_strdup (code), grant);

  escaped_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);
  location = g_strdup_printf ("%s%scode=%s%s%s", redirect_uri,
                              strchr (redirect_uri, '?') != NULL ? "&" : "?", code,
                              state != NULL ? "&state=" : "", state != NULL ? escaped_state : "");
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

static char *
s256 (const char *verifier)
{
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

static void
handle_token (SdFakeMastodon    *self,
              SoupServerMessage *msg,
              Request           *request)
{
  const char *code = param_string (request, "code");
  const char *client_id = param_string (request, "client_id");
  const char *verifier = param_string (request, "code_verifier");
  FakeApp *app = client_id != NULL ? g_hash_table_lookup (self->apps, client_id) : NULL;
  FakeGrant *grant = code != NULL ? g_hash_table_lookup (self->grants, code) : NULL;
  JsonObject *object;
  g_autofree char *token = NULL;

  if (g_strcmp0 (param_string (request, "grant_type"), "authorization_code") != 0)
    {
      respond_oauth_error (msg, 400, "unsupported_grant_type",
                           "The authorization grant type is not supported by the authorization server.");
      return;
    }
  if (app == NULL || g_strcmp0 (app->client_secret, param_string (request, "client_secret")) != 0)
    {
      respond_oauth_error (msg, 401, "invalid_client",
                           "Client authentication failed due to unknown client, no client "
                           "authentication included, or unsupported authentication method.");
      return;
    }
  if (grant == NULL || g_strcmp0 (grant->client_id, client_id) != 0
      || g_strcmp0 (grant->redirect_uri, param_string (request, "redirect_uri")) != 0)
    {
      respond_oauth_error (msg, 400, "invalid_grant", INVALID_GRANT);
      return;
    }
  if (grant->challenge != NULL)
    {
      g_autofree char *computed = verifier != NULL ? s256 (verifier) : NULL;

      if (g_strcmp0 (computed, grant->challenge) != 0)
        {
          respond_oauth_error (msg, 400, "invalid_grant", INVALID_GRANT);
          return;
        }
    }

  token = random_token ();
  g_hash_table_insert (self->tokens, g_strdup (token), g_strdup (grant->account_id));
  g_hash_table_remove (self->grants, code);

  object = json_object_new ();
  json_object_set_string_member (object, "access_token", token);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_string_member (object, "scope", "read write");
  json_object_set_int_member (object, "created_at", now_ms (self) / 1000);
  respond_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_media_upload (SdFakeMastodon    *self,
                     SoupServerMessage *msg,
                     Request           *request,
                     const char        *account_id)
{
  FakeMedia *media;
  const char *type = request->file_type;
  const char *description = param_string (request, "description");
  gboolean async;

  if (request->file == NULL || type == NULL)
    {
      respond_error (msg, 422, "Validation failed: File content type is invalid, File is invalid");
      return;
    }
  if (description != NULL && g_utf8_strlen (description, -1) > 1500)
    {
      respond_error (msg, 422, "Validation failed: Description is too long (maximum is 1500 characters)");
      return;
    }

  media = g_new0 (FakeMedia, 1);
  media->id = new_snowflake (self);
  media->account_id = g_strdup (account_id);
  if (g_str_has_prefix (type, "video/"))
    media->type = g_strdup ("video");
  else if (g_str_equal (type, "image/gif"))
    media->type = g_strdup ("gifv");
  else if (g_str_has_prefix (type, "audio/"))
    media->type = g_strdup ("audio");
  else if (g_str_has_prefix (type, "image/"))
    media->type = g_strdup ("image");
  else
    {
      fake_media_free (media);
      respond_error (msg, 422, "Validation failed: File content type is invalid, File is invalid");
      return;
    }
  async = !g_str_equal (media->type, "image");
  media->polls_left = async ? MEDIA_POLLS_TO_READY : 0;
  media->description = description != NULL && description[0] != '\0' ? g_strdup (description) : NULL;
  g_hash_table_insert (self->media, media->id, media);
  respond_object (msg, async ? SOUP_STATUS_ACCEPTED : SOUP_STATUS_OK, media_entity (self, media));
}

static void
handle_media_get (SdFakeMastodon    *self,
                  SoupServerMessage *msg,
                  const char        *media_id,
                  const char        *account_id)
{
  FakeMedia *media = g_hash_table_lookup (self->media, media_id);

  if (media == NULL || g_strcmp0 (media->account_id, account_id) != 0)
    {
      respond_error (msg, 404, "Record not found");
      return;
    }
  if (media->polls_left > 0)
    {
      media->polls_left--;
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, "", 0);
      return;
    }
  respond_object (msg, SOUP_STATUS_OK, media_entity (self, media));
}

static void
handle_status_create (SdFakeMastodon    *self,
                      SoupServerMessage *msg,
                      Request           *request,
                      const char        *account_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *text = param_string (request, "status");
  const char *in_reply_to_id = param_string (request, "in_reply_to_id");
  const char *visibility = param_string (request, "visibility");
  const char *scheduled_text = param_string (request, "scheduled_at");
  JsonNode *media_node = json_object_get_member (request->params, "media_ids");
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  g_autofree char *idempotency_id = NULL;
  FakeIdempotency *entry;
  gint64 now = now_ms (self) / 1000;

  if (key != NULL)
    {
      idempotency_id = g_strdup_printf ("%s:%s", account_id, key);
      entry = g_hash_table_lookup (self->idempotency, idempotency_id);
      if (entry != NULL && entry->expires_at > now)
        {
          FakeStatus *status = find_status (self, entry->id);
          FakeScheduled *scheduled = find_scheduled (self, entry->id, account_id, NULL);

          if (status != NULL)
            respond_object (msg, SOUP_STATUS_OK, status_entity (self, status));
          else if (scheduled != NULL)
            respond_object (msg, SOUP_STATUS_OK, scheduled_entity (self, scheduled));
          else
            respond_error (msg, 404, "Record not found");
          return;
        }
    }

  if (media_node != NULL && JSON_NODE_HOLDS_ARRAY (media_node))
    {
      JsonArray *ids = json_node_get_array (media_node);

      if (json_array_get_length (ids) > 4)
        {
          respond_error (msg, 422, "Validation failed: Media attachments can't be more than 4");
          return;
        }
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *id = json_array_get_string_element (ids, i);
          FakeMedia *item = id != NULL ? g_hash_table_lookup (self->media, id) : NULL;

          if (item == NULL || g_strcmp0 (item->account_id, account_id) != 0)
            {
              respond_error (msg, 404, "Record not found");
              return;
            }
          if (item->polls_left > 0)
            {
              respond_error (msg, 422, "Cannot attach files that have not finished processing. "
                                       "Try again in a moment!");
              return;
            }
          g_ptr_array_add (media, item);
        }
    }
  if ((text == NULL || text[0] == '\0') && media->len == 0)
    {
      respond_error (msg, 422, "Validation failed: Text can't be blank");
      return;
    }
  if (text != NULL && (guint) g_utf8_strlen (text, -1) > self->max_characters)
    {
      g_autofree char *error = g_strdup_printf ("Validation failed: Text character limit of %u exceeded",
                                                self->max_characters);
      respond_error (msg, 422, error);
      return;
    }
  if (in_reply_to_id != NULL && in_reply_to_id[0] != '\0' && find_status (self, in_reply_to_id) == NULL)
    {
      respond_error (msg, 404, "Record not found");
      return;
    }
  if (visibility != NULL && !g_strv_contains ((const char *[]) { "public", "unlisted", "private", "direct", NULL },
                                              visibility))
    {
      respond_error (msg, 422, "Validation failed: Visibility is not included in the list");
      return;
    }

  if (scheduled_text != NULL && scheduled_text[0] != '\0')
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (scheduled_text, NULL);
      FakeScheduled *scheduled;

      if (when == NULL || g_date_time_to_unix (when) < now + MIN_SCHEDULE_OFFSET)
        {
          respond_error (msg, 422, "Validation failed: Scheduled at The scheduled date must be in the future");
          return;
        }
      scheduled = g_new0 (FakeScheduled, 1);
      scheduled->id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id++);
      scheduled->account_id = g_strdup (account_id);
      scheduled->scheduled_at = g_date_time_to_unix (when);
      scheduled->text = g_strdup (text != NULL ? text : "");
      scheduled->in_reply_to_id = g_strdup (in_reply_to_id);
      scheduled->visibility = g_strdup (visibility);
      scheduled->key = g_strdup (key);
      scheduled->media = g_ptr_array_ref (media);
      g_ptr_array_add (self->scheduled, scheduled);
      if (idempotency_id != NULL)
        {
          entry = g_new0 (FakeIdempotency, 1);
          entry->id = g_strdup (scheduled->id);
          entry->expires_at = now + IDEMPOTENCY_SECONDS;
          g_hash_table_replace (self->idempotency, g_steal_pointer (&idempotency_id), entry);
        }
      respond_object (msg, SOUP_STATUS_OK, scheduled_entity (self, scheduled));
      return;
    }

  {
    FakeStatus *status = make_status (self, account_id, text != NULL ? text : "",
                                      in_reply_to_id != NULL && in_reply_to_id[0] != '\0' ? in_reply_to_id : NULL,
                                      visibility, key, media, now_ms (self));
    if (idempotency_id != NULL)
      {
        entry = g_new0 (FakeIdempotency, 1);
        entry->id = g_strdup (status->id);
        entry->expires_at = now + IDEMPOTENCY_SECONDS;
        g_hash_table_replace (self->idempotency, g_steal_pointer (&idempotency_id), entry);
      }
    respond_object (msg, SOUP_STATUS_OK, status_entity (self, status));
  }
}

static guint64
id_number (const char *id)
{
  return id != NULL ? g_ascii_strtoull (id, NULL, 10) : 0;
}

/* exclude_replies keeps self-replies (threads), as Mastodon does. */
static gboolean
is_reply_to_other (FakeStatus *status)
{
  return status->in_reply_to_id != NULL && g_strcmp0 (status->in_reply_to_account_id, status->account_id) != 0;
}

static void
handle_account_statuses (SdFakeMastodon    *self,
                         SoupServerMessage *msg,
                         Request           *request,
                         const char        *account_id)
{
  const char *limit_text = param_string (request, "limit");
  guint64 max_id = id_number (param_string (request, "max_id"));
  guint64 since_id = id_number (param_string (request, "since_id"));
  guint64 min_id = id_number (param_string (request, "min_id"));
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : 20;
  gboolean exclude_replies = g_strcmp0 (param_string (request, "exclude_replies"), "true") == 0;
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  JsonArray *array = json_array_new ();

  if (find_account (self, account_id) == NULL)
    {
      json_array_unref (array);
      respond_error (msg, 404, "Record not found");
      return;
    }
  limit = CLAMP (limit, 1, 40);

  if (min_id > 0)
    {
      /* The page immediately newer than min_id, still listed newest first. */
      for (guint i = 0; i < self->statuses->len && page->len < limit; i++)
        {
          FakeStatus *status = g_ptr_array_index (self->statuses, i);
          if (g_str_equal (status->account_id, account_id) && id_number (status->id) > min_id
              && (max_id == 0 || id_number (status->id) < max_id)
              && !(exclude_replies && is_reply_to_other (status)))
            g_ptr_array_insert (page, 0, status);
        }
    }
  else
    {
      for (guint i = self->statuses->len; i > 0 && page->len < limit; i--)
        {
          FakeStatus *status = g_ptr_array_index (self->statuses, i - 1);
          guint64 id = id_number (status->id);
          if (g_str_equal (status->account_id, account_id) && (max_id == 0 || id < max_id)
              && id > since_id && !(exclude_replies && is_reply_to_other (status)))
            g_ptr_array_add (page, status);
        }
    }

  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (array, status_entity (self, g_ptr_array_index (page, i)));

  if (page->len > 0)
    {
      FakeStatus *first = g_ptr_array_index (page, 0);
      FakeStatus *last = g_ptr_array_index (page, page->len - 1);
      g_autofree char *link = NULL;

      if (page->len == limit)
        link = g_strdup_printf ("<%s/api/v1/accounts/%s/statuses?limit=%u&max_id=%s>; rel=\"next\", "
                                "<%s/api/v1/accounts/%s/statuses?limit=%u&min_id=%s>; rel=\"prev\"",
                                self->url, account_id, limit, last->id,
                                self->url, account_id, limit, first->id);
      else
        link = g_strdup_printf ("<%s/api/v1/accounts/%s/statuses?limit=%u&min_id=%s>; rel=\"prev\"",
                                self->url, account_id, limit, first->id);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link", link);
    }
  respond_array (msg, array);
}

static void
handle_scheduled (SdFakeMastodon    *self,
                  SoupServerMessage *msg,
                  Request           *request,
                  const char        *method,
                  const char        *id,
                  const char        *account_id)
{
  guint index = 0;
  FakeScheduled *scheduled = find_scheduled (self, id, account_id, &index);

  if (scheduled == NULL)
    {
      respond_error (msg, 404, "Record not found");
      return;
    }
  if (g_str_equal (method, "GET"))
    respond_object (msg, SOUP_STATUS_OK, scheduled_entity (self, scheduled));
  else if (g_str_equal (method, "PUT"))
    {
      const char *text = param_string (request, "scheduled_at");
      g_autoptr(GDateTime) when = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

      if (when == NULL || g_date_time_to_unix (when) < now_ms (self) / 1000 + MIN_SCHEDULE_OFFSET)
        {
          respond_error (msg, 422, "Validation failed: Scheduled at The scheduled date must be in the future");
          return;
        }
      scheduled->scheduled_at = g_date_time_to_unix (when);
      respond_object (msg, SOUP_STATUS_OK, scheduled_entity (self, scheduled));
    }
  else if (g_str_equal (method, "DELETE"))
    {
      g_ptr_array_remove_index (self->scheduled, index);
      respond_object (msg, SOUP_STATUS_OK, json_object_new ());
    }
  else
    respond_error (msg, 405, "Method not allowed");
}

/* The inbox: notifications, conversations, context, favourites */

static JsonObject *
notification_entity (SdFakeMastodon   *self,
                     FakeNotification *notification)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = format_time_ms (notification->created_ms);
  FakeStatus *status = notification->status_id != NULL ? find_status (self, notification->status_id) : NULL;
  g_autofree char *group_key = g_strdup_printf ("ungrouped-%s", notification->id);

  json_object_set_string_member (object, "id", notification->id);
  json_object_set_string_member (object, "type", notification->type);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "group_key", group_key);
  json_object_set_object_member (object, "account",
                                 account_entity (self, find_account (self, notification->from_id), FALSE));
  if (status != NULL)
    json_object_set_object_member (object, "status", status_entity (self, status));
  return object;
}

static gboolean
param_list_contains (Request    *request,
                     const char *name,
                     const char *value,
                     gboolean   *present)
{
  JsonNode *node = json_object_get_member (request->params, name);
  JsonArray *array;

  *present = FALSE;
  if (node == NULL)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *present = TRUE;
      return g_strcmp0 (json_node_get_string (node), value) == 0;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  *present = json_array_get_length (array) > 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
notification_wanted (FakeNotification *notification,
                     Request          *request)
{
  gboolean present = FALSE;
  gboolean listed = param_list_contains (request, "types", notification->type, &present);

  if (present && !listed)
    return FALSE;
  return !param_list_contains (request, "exclude_types", notification->type, &present);
}

/* The query a Link header keeps (limit and the type filters), URI-escaped. */
static char *
paging_query (Request *request,
              guint    limit)
{
  GString *query = g_string_new (NULL);
  const char *lists[] = { "types", "exclude_types" };

  g_string_append_printf (query, "limit=%u", limit);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonNode *node = json_object_get_member (request->params, lists[l]);
      JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          g_autofree char *value = g_uri_escape_string (json_array_get_string_element (array, i), NULL, FALSE);
          g_string_append_printf (query, "&%s%%5B%%5D=%s", lists[l], value);
        }
    }
  return g_string_free (query, FALSE);
}

static void
set_link_header (SdFakeMastodon    *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 const char        *query,
                 const char        *newest_id,
                 const char        *oldest_id,
                 gboolean           has_next)
{
  g_autofree char *link = NULL;

  if (has_next)
    link = g_strdup_printf ("<%s%s?%s&max_id=%s>; rel=\"next\", <%s%s?%s&min_id=%s>; rel=\"prev\"",
                            self->url, path, query, oldest_id, self->url, path, query, newest_id);
  else
    link = g_strdup_printf ("<%s%s?%s&min_id=%s>; rel=\"prev\"", self->url, path, query, newest_id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link", link);
}

/* Pages newest first by max_id / since_id / min_id, as Mastodon's paginate_by_id. */
typedef const char *(*PageKeyFunc) (gpointer item);

static GPtrArray *
take_page (GPtrArray   *items,      /* oldest first */
           PageKeyFunc  key,
           Request     *request,
           guint        limit)
{
  guint64 max_id = id_number (param_string (request, "max_id"));
  guint64 since_id = id_number (param_string (request, "since_id"));
  guint64 min_id = id_number (param_string (request, "min_id"));
  GPtrArray *page = g_ptr_array_new ();

  if (min_id > 0)
    {
      for (guint i = 0; i < items->len && page->len < limit; i++)
        {
          guint64 id = id_number (key (g_ptr_array_index (items, i)));
          if (id > min_id && (max_id == 0 || id < max_id))
            g_ptr_array_insert (page, 0, g_ptr_array_index (items, i));
        }
    }
  else
    {
      for (guint i = items->len; i > 0 && page->len < limit; i--)
        {
          guint64 id = id_number (key (g_ptr_array_index (items, i - 1)));
          if ((max_id == 0 || id < max_id) && id > since_id)
            g_ptr_array_add (page, g_ptr_array_index (items, i - 1));
        }
    }
  return page;
}

static guint
param_limit (Request *request,
             guint    fallback,
             guint    most)
{
  const char *text = param_string (request, "limit");
  guint limit = text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;

  return CLAMP (limit, 1, most);
}

static const char *
notification_key (gpointer item)
{
  return ((FakeNotification *) item)->id;
}

static void
handle_notifications (SdFakeMastodon    *self,
                      SoupServerMessage *msg,
                      Request           *request,
                      const char        *account_id)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *query = NULL;
  guint limit = param_limit (request, 40, 80);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < self->notifications->len; i++)
    {
      FakeNotification *notification = g_ptr_array_index (self->notifications, i);
      if (g_strcmp0 (notification->account_id, account_id) == 0 && notification_wanted (notification, request))
        g_ptr_array_add (mine, notification);
    }
  page = take_page (mine, notification_key, request, limit);
  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (array, notification_entity (self, g_ptr_array_index (page, i)));
  if (page->len > 0)
    {
      query = paging_query (request, limit);
      set_link_header (self, msg, "/api/v1/notifications", query,
                       notification_key (g_ptr_array_index (page, 0)),
                       notification_key (g_ptr_array_index (page, page->len - 1)), page->len == limit);
    }
  respond_array (msg, array);
}

/* The newest status of @conversation that @account_id may see. */
static FakeStatus *
conversation_last_status (SdFakeMastodon   *self,
                          FakeConversation *conversation,
                          const char       *account_id)
{
  for (guint i = self->statuses->len; i > 0; i--)
    {
      FakeStatus *status = g_ptr_array_index (self->statuses, i - 1);
      if (g_strcmp0 (status->conversation_id, conversation->id) == 0 && status_visible_to (status, account_id))
        return status;
    }
  return NULL;
}

typedef struct
{
  FakeConversation *conversation;
  FakeStatus       *last_status;
} ConversationRow;

static const char *
conversation_row_key (gpointer item)
{
  return ((ConversationRow *) item)->last_status->id;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  guint64 x = id_number (conversation_row_key (*(gpointer *) a));
  guint64 y = id_number (conversation_row_key (*(gpointer *) b));

  return x < y ? -1 : x > y;
}

static JsonObject *
conversation_entity (SdFakeMastodon  *self,
                     ConversationRow *row,
                     const char      *account_id)
{
  JsonObject *object = json_object_new ();
  JsonArray *accounts = json_array_new ();

  for (guint i = 0; i < row->conversation->participants->len; i++)
    {
      const char *id = g_ptr_array_index (row->conversation->participants, i);
      if (g_strcmp0 (id, account_id) != 0)
        json_array_add_object_element (accounts, account_entity (self, find_account (self, id), FALSE));
    }
  json_object_set_string_member (object, "id", row->conversation->id);
  json_object_set_boolean_member (object, "unread", g_strcmp0 (row->last_status->account_id, account_id) != 0);
  json_object_set_array_member (object, "accounts", accounts);
  json_object_set_object_member (object, "last_status", status_entity (self, row->last_status));
  return object;
}

/* Conversations page by their last status's id, as Mastodon's
 * ConversationsController does (since_id: those with a newer last status). */
static void
handle_conversations (SdFakeMastodon    *self,
                      SoupServerMessage *msg,
                      Request           *request,
                      const char        *account_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *query = NULL;
  guint limit = param_limit (request, 20, 40);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conversation = g_ptr_array_index (self->conversations, i);
      FakeStatus *last = conversation_last_status (self, conversation, account_id);

      if (last != NULL && str_array_contains (conversation->participants, account_id))
        {
          ConversationRow *row = g_new0 (ConversationRow, 1);
          row->conversation = conversation;
          row->last_status = last;
          g_ptr_array_add (rows, row);
        }
    }
  g_ptr_array_sort (rows, compare_rows);
  page = take_page (rows, conversation_row_key, request, limit);
  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (array, conversation_entity (self, g_ptr_array_index (page, i), account_id));
  if (page->len > 0)
    {
      query = paging_query (request, limit);
      set_link_header (self, msg, "/api/v1/conversations", query,
                       conversation_row_key (g_ptr_array_index (page, 0)),
                       conversation_row_key (g_ptr_array_index (page, page->len - 1)), page->len == limit);
    }
  respond_array (msg, array);
}

static void
add_descendants (SdFakeMastodon *self,
                 const char     *parent_id,
                 const char     *account_id,
                 JsonArray      *array,
                 guint           depth)
{
  if (depth > 4096)
    return;
  for (guint i = 0; i < self->statuses->len; i++)
    {
      FakeStatus *status = g_ptr_array_index (self->statuses, i);

      if (g_strcmp0 (status->in_reply_to_id, parent_id) == 0 && status_visible_to (status, account_id))
        {
          json_array_add_object_element (array, status_entity (self, status));
          add_descendants (self, status->id, account_id, array, depth + 1);
        }
    }
}

static void
handle_context (SdFakeMastodon    *self,
                SoupServerMessage *msg,
                const char        *id,
                const char        *account_id)
{
  FakeStatus *status = find_status (self, id);
  g_autoptr(GPtrArray) ancestors = g_ptr_array_new ();
  JsonObject *object;
  JsonArray *array;

  if (status == NULL || !status_visible_to (status, account_id))
    {
      respond_error (msg, 404, "Record not found");
      return;
    }
  for (FakeStatus *parent = status->in_reply_to_id != NULL ? find_status (self, status->in_reply_to_id) : NULL;
       parent != NULL && ancestors->len < 4096;
       parent = parent->in_reply_to_id != NULL ? find_status (self, parent->in_reply_to_id) : NULL)
    if (status_visible_to (parent, account_id))
      g_ptr_array_insert (ancestors, 0, parent);

  object = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; i < ancestors->len; i++)
    json_array_add_object_element (array, status_entity (self, g_ptr_array_index (ancestors, i)));
  json_object_set_array_member (object, "ancestors", array);
  array = json_array_new ();
  add_descendants (self, status->id, account_id, array, 0);
  json_object_set_array_member (object, "descendants", array);
  respond_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_favourite (SdFakeMastodon    *self,
                  SoupServerMessage *msg,
                  const char        *id,
                  const char        *account_id,
                  gboolean           favourite)
{
  FakeStatus *status = find_status (self, id);

  if (status == NULL || !status_visible_to (status, account_id))
    {
      respond_error (msg, 404, "Record not found");
      return;
    }
  if (favourite && !g_hash_table_contains (status->favourited_by, account_id))
    {
      g_hash_table_add (status->favourited_by, g_strdup (account_id));
      if (g_strcmp0 (status->account_id, account_id) != 0)
        add_notification_record (self, "favourite", status->account_id, account_id, status->id);
    }
  else if (!favourite)
    g_hash_table_remove (status->favourited_by, account_id);
  respond_object (msg, SOUP_STATUS_OK, status_entity (self, status));
}

/* Routing */

static const char *
bearer_account (SdFakeMastodon    *self,
                SoupServerMessage *msg,
                char             **token_out)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || !g_str_has_prefix (value, "Bearer "))
    return NULL;
  *token_out = g_strdup (value + 7);
  return g_hash_table_lookup (self->tokens, *token_out);
}

static void
route (SdFakeMastodon    *self,
       SoupServerMessage *msg,
       const char        *method,
       const char        *path,
       Request           *request,
       const char        *account_id,
       const char        *token)
{
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  if (post && g_str_equal (path, "/api/v1/apps"))
    return handle_apps (self, msg, request);
  if (get && g_str_equal (path, "/oauth/authorize"))
    return handle_authorize (self, msg, request);
  if (post && g_str_equal (path, "/oauth/token"))
    return handle_token (self, msg, request);
  if (get && g_str_equal (path, "/api/v2/instance"))
    {
      if (self->v2_instance)
        respond_object (msg, SOUP_STATUS_OK, instance_v2_entity (self));
      else
        respond_error (msg, 404, "Record not found");
      return;
    }
  if (get && g_str_equal (path, "/api/v1/instance"))
    return respond_object (msg, SOUP_STATUS_OK, instance_v1_entity (self));

  if (!g_str_has_prefix (path, "/api/"))
    return respond_error (msg, 404, "Record not found");

  if (account_id == NULL)
    {
      if (token != NULL && g_hash_table_contains (self->revoked, token))
        respond_error (msg, 401, "The access token was revoked");
      else
        respond_error (msg, 401, "The access token is invalid");
      return;
    }

  /* parts: "", "api", "v1", ... */
  if (get && g_str_equal (path, "/api/v1/accounts/verify_credentials"))
    return respond_object (msg, SOUP_STATUS_OK,
                           account_entity (self, find_account (self, account_id), TRUE));
  if (get && n == 6 && g_str_equal (parts[3], "accounts") && g_str_equal (parts[5], "statuses"))
    return handle_account_statuses (self, msg, request, parts[4]);
  if (post && g_str_equal (path, "/api/v2/media"))
    return handle_media_upload (self, msg, request, account_id);
  if (get && n == 5 && g_str_equal (parts[2], "v1") && g_str_equal (parts[3], "media"))
    return handle_media_get (self, msg, parts[4], account_id);
  if (post && g_str_equal (path, "/api/v1/statuses"))
    return handle_status_create (self, msg, request, account_id);
  if (get && n == 5 && g_str_equal (parts[3], "statuses"))
    {
      FakeStatus *status = find_status (self, parts[4]);
      if (status != NULL)
        respond_object (msg, SOUP_STATUS_OK, status_entity (self, status));
      else
        respond_error (msg, 404, "Record not found");
      return;
    }
  if (get && g_str_equal (path, "/api/v1/notifications"))
    return handle_notifications (self, msg, request, account_id);
  if (get && g_str_equal (path, "/api/v1/conversations"))
    return handle_conversations (self, msg, request, account_id);
  if (get && n == 6 && g_str_equal (parts[3], "statuses") && g_str_equal (parts[5], "context"))
    return handle_context (self, msg, parts[4], account_id);
  if (post && n == 6 && g_str_equal (parts[3], "statuses")
      && (g_str_equal (parts[5], "favourite") || g_str_equal (parts[5], "unfavourite")))
    return handle_favourite (self, msg, parts[4], account_id, g_str_equal (parts[5], "favourite"));
  if (n == 5 && g_str_equal (parts[3], "scheduled_statuses"))
    return handle_scheduled (self, msg, request, method, parts[4], account_id);
  if (get && g_str_equal (path, "/api/v1/scheduled_statuses"))
    {
      /* The account's own, as GET /api/v1/scheduled_statuses lists them. */
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < self->scheduled->len; i++)
        {
          FakeScheduled *scheduled = g_ptr_array_index (self->scheduled, i);

          if (g_strcmp0 (scheduled->account_id, account_id) == 0)
            json_array_add_object_element (array, scheduled_entity (self, scheduled));
        }
      respond_array (msg, array);
      return;
    }

  respond_error (msg, 404, "Record not found");
}

/* Seeding (lock held) */

static FakeAccount *
ensure_account_locked (SdFakeMastodon *self,
                       const char     *acct)
{
  g_autofree char *local_acct = NULL;
  FakeAccount *account;
  const char *at;

  /* "bob@127.0.0.1:PORT" is our own bob */
  if (acct[0] == '@')
    acct++;
  at = strchr (acct, '@');
  if (at != NULL && g_str_equal (at + 1, self->domain))
    acct = local_acct = g_strndup (acct, at - acct);
  account = find_account_by_acct (self, acct);
  if (account != NULL)
    return account;

  account = g_new0 (FakeAccount, 1);
  account->id = g_strdup_printf ("%u", 100 + self->accounts->len);
  account->username = at != NULL && local_acct == NULL ? g_strndup (acct, at - acct) : g_strdup (acct);
  account->acct = at != NULL && local_acct == NULL ? g_strdup (acct) : NULL;
  account->created_at = now_ms (self) / 1000;
  g_ptr_array_add (self->accounts, account);
  return account;
}

static const char *
inbox_account_locked (SdFakeMastodon *self)
{
  if (self->inbox_account != NULL)
    return self->inbox_account;
  return self->accounts->len > 0 ? ((FakeAccount *) g_ptr_array_index (self->accounts, 0))->id : NULL;
}

static FakeStatus *
add_seed_status_locked (SdFakeMastodon *self,
                        const char     *author_id,
                        const char     *html,
                        const char     *in_reply_to_id,
                        const char     *visibility,
                        const char     *mentioned_id)
{
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  FakeStatus *status = make_status (self, author_id, "", in_reply_to_id, visibility, NULL, media, now_ms (self));

  g_clear_pointer (&status->text, g_free);
  g_free (status->content);
  status->content = g_strdup (html != NULL ? html : "");
  if (mentioned_id != NULL && g_strcmp0 (mentioned_id, author_id) != 0)
    {
      add_mention (status, mentioned_id);
      if (status->conversation_id != NULL)
        {
          FakeConversation *conversation = find_conversation (self, status->conversation_id);
          if (!str_array_contains (conversation->participants, mentioned_id))
            g_ptr_array_add (conversation->participants, g_strdup (mentioned_id));
        }
    }
  return status;
}

/* Returns the status id (the notification id for a follow); sets *notification_id. */
static char *
add_notification_locked (SdFakeMastodon *self,
                         const char     *type,
                         const char     *from_acct,
                         const char     *status_html,
                         const char     *in_reply_to_id,
                         const char     *visibility,
                         char          **notification_id)
{
  const char *inbox = inbox_account_locked (self);
  FakeAccount *from;
  FakeStatus *status = NULL;
  FakeNotification *notification;

  if (inbox == NULL || type == NULL || from_acct == NULL || from_acct[0] == '\0')
    return NULL;
  from = ensure_account_locked (self, from_acct);

  if (g_str_equal (type, "mention") || g_str_equal (type, "quote") || g_str_equal (type, "status")
      || g_str_equal (type, "update"))
    status = add_seed_status_locked (self, from->id, status_html, in_reply_to_id, visibility, inbox);
  else if (!g_str_equal (type, "follow") && !g_str_equal (type, "follow_request"))
    {
      /* favourite, reblog, poll: about one of the inbox account's statuses */
      status = in_reply_to_id != NULL ? find_status (self, in_reply_to_id) : NULL;
      if (status == NULL)
        status = add_seed_status_locked (self, inbox, status_html, NULL, visibility, NULL);
      if (g_str_equal (type, "favourite"))
        g_hash_table_add (status->favourited_by, g_strdup (from->id));
    }

  notification = add_notification_record (self, type, inbox, from->id, status != NULL ? status->id : NULL);
  if (notification_id != NULL)
    *notification_id = g_strdup (notification->id);
  return g_strdup (status != NULL ? status->id : notification->id);
}

static void
handle_test_endpoint (SdFakeMastodon    *self,
                      SoupServerMessage *msg,
                      const char        *method,
                      const char        *path,
                      Request           *request)
{
  gboolean dm = g_str_equal (path, "/__test__/dms");
  g_autofree char *notification_id = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;

  if (!g_str_equal (method, "POST"))
    return respond_error (msg, 405, "Method not allowed");
  if (g_str_equal (path, "/__test__/accounts"))
    {
      const char *username = param_string (request, "username");
      FakeAccount *account = username != NULL ? ensure_account_locked (self, username) : NULL;

      if (account == NULL)
        return respond_error (msg, 422, "username is required");
      if (param_string (request, "token") != NULL)
        g_hash_table_replace (self->tokens, g_strdup (param_string (request, "token")), g_strdup (account->id));
      if (param_string (request, "display_name") != NULL)
        {
          g_free (account->display_name);
          account->display_name = g_strdup (param_string (request, "display_name"));
        }
      object = json_object_new ();
      json_object_set_string_member (object, "id", account->id);
      return respond_object (msg, SOUP_STATUS_OK, object);
    }
  if (!dm && !g_str_equal (path, "/__test__/notifications"))
    return respond_error (msg, 404, "Record not found");

  id = add_notification_locked (self, dm ? "mention" : param_string (request, "type"),
                                param_string (request, "from"), param_string (request, "html"),
                                param_string (request, "in_reply_to_id"),
                                dm ? "direct" : param_string (request, "visibility"), &notification_id);
  if (id == NULL)
    return respond_error (msg, 422, "type and from are required (and an account must exist)");
  if (param_string (request, "spoiler_text") != NULL && find_status (self, id) != NULL)
    {
      FakeStatus *status = find_status (self, id);
      g_free (status->spoiler_text);
      status->spoiler_text = g_strdup (param_string (request, "spoiler_text"));
    }
  object = json_object_new ();
  if (find_status (self, id) != NULL)
    json_object_set_string_member (object, "status_id", id);
  json_object_set_string_member (object, "notification_id", notification_id);
  respond_object (msg, SOUP_STATUS_OK, object);
}

static SdFakeFault
draw_fault (SdFakeMastodon *self)
{
  SdFakeFault kinds[5];
  guint n = 0;

  if (self->injected_left > 0)
    {
      self->injected_left--;
      return self->injected_kind;
    }
  if (self->fault_rate <= 0 || g_rand_double (self->rand) >= self->fault_rate)
    return SD_FAKE_FAULT_NONE;
  for (guint bit = 0; bit < 5; bit++)
    if (self->fault_kinds & (1u << bit))
      kinds[n++] = 1u << bit;
  if (n == 0)
    return SD_FAKE_FAULT_NONE;
  return kinds[g_rand_int_range (self->rand, 0, (gint32) n)];
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  SdFakeMastodon    *self;
  SoupServerMessage *msg;
  GSource           *source;
} SlowAnswer;

static gboolean
on_slow_answer (gpointer data)
{
  SlowAnswer *slow = data;

  g_mutex_lock (&slow->self->lock);
  slow->self->slow_sources = g_list_remove (slow->self->slow_sources, slow->source);
  g_mutex_unlock (&slow->self->lock);
  soup_server_message_unpause (slow->msg);
  return G_SOURCE_REMOVE;
}

static void
slow_answer_free (gpointer data)
{
  SlowAnswer *slow = data;

  g_object_unref (slow->msg);
  g_free (slow);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SdFakeMastodon *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *token = NULL;
  const char *account_id;
  SdFakeFault fault = SD_FAKE_FAULT_NONE;
  Request request = { 0 };

  g_mutex_lock (&self->lock);
  self->n_requests++;
  publish_due (self);
  account_id = bearer_account (self, msg, &token);

  if (g_str_has_prefix (path, "/api/") || g_str_equal (path, "/oauth/token"))
    {
      fault = draw_fault (self);
      if (fault != SD_FAKE_FAULT_NONE)
        self->n_faults++;
    }
  if (g_str_has_prefix (path, "/api/") && !take_rate (self, msg, token))
    {
      g_mutex_unlock (&self->lock);
      return;
    }

  switch (fault)
    {
    case SD_FAKE_FAULT_500:
      respond_html (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                    "<!DOCTYPE html><title>We're sorry, but something went wrong (500)</title>");
      g_mutex_unlock (&self->lock);
      return;
    case SD_FAKE_FAULT_429:
      respond_error (msg, 429, "Too many requests");
      set_rate_headers (msg, self->rate_limit > 0 ? self->rate_limit : 300, 0,
                        g_get_real_time () / G_USEC_PER_SEC + 2);
      g_mutex_unlock (&self->lock);
      return;
    case SD_FAKE_FAULT_RESET_BEFORE:
      g_mutex_unlock (&self->lock);
      drop_connection (msg);
      return;
    default:
      break;
    }

  read_request (msg, &request);
  self->viewer = account_id;
  if (self->test_endpoints && g_str_has_prefix (path, "/__test__/"))
    handle_test_endpoint (self, msg, method, path, &request);
  else
    route (self, msg, method, path, &request, account_id, token);
  self->viewer = NULL;
  request_clear (&request);
  g_debug ("%s %s → %u%s", method, path, soup_server_message_get_status (msg),
           fault != SD_FAKE_FAULT_NONE ? " (fault)" : "");

  if (fault == SD_FAKE_FAULT_RESET_AFTER)
    {
      g_mutex_unlock (&self->lock);
      drop_connection (msg);
      return;
    }
  if (fault == SD_FAKE_FAULT_SLOW)
    {
      SlowAnswer *slow = g_new0 (SlowAnswer, 1);

      slow->self = self;
      slow->msg = g_object_ref (msg);
      slow->source = g_timeout_source_new (self->slow_ms);
      g_source_set_callback (slow->source, on_slow_answer, slow, slow_answer_free);
      self->slow_sources = g_list_prepend (self->slow_sources, slow->source);
      soup_server_message_pause (msg);
      g_source_attach (slow->source, self->context);
      g_source_unref (slow->source);
    }
  g_mutex_unlock (&self->lock);
}

/* The server's thread */

static gboolean
quit_loop (gpointer data)
{
  SdFakeMastodon *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  SdFakeMastodon *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("server-header", "Mastodon ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("the fake Mastodon cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  uri = uris->data;
  g_mutex_lock (&self->lock);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  self->domain = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  self->ready = TRUE;
  g_cond_signal (&self->ready_cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  g_mutex_lock (&self->lock);
  while (self->slow_sources != NULL)
    {
      GSource *source = self->slow_sources->data;
      self->slow_sources = g_list_delete_link (self->slow_sources, self->slow_sources);
      g_source_destroy (source);
    }
  g_mutex_unlock (&self->lock);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

SdFakeMastodon *
sd_fake_mastodon_new (void)
{
  SdFakeMastodon *self = g_new0 (SdFakeMastodon, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->ready_cond);
  self->next_id = 1;
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_account_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_status_free);
  self->media = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_media_free);
  self->scheduled = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_scheduled_free);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) fake_idempotency_free);
  self->apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) fake_app_free);
  self->grants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fake_grant_free);
  self->rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_notification_free);
  self->conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_conversation_free);
  self->rand = g_rand_new_with_seed (1);
  self->fault_kinds = SD_FAKE_FAULT_ALL;
  self->slow_ms = 2000;
  self->rate_limit = 300;
  self->max_characters = 500;
  self->v2_instance = TRUE;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->thread = g_thread_new ("fake-mastodon", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->ready_cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

void
sd_fake_mastodon_free (SdFakeMastodon *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);

  g_ptr_array_unref (self->statuses);
  g_ptr_array_unref (self->scheduled);
  g_hash_table_unref (self->media);
  g_ptr_array_unref (self->accounts);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->revoked);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->apps);
  g_hash_table_unref (self->grants);
  g_hash_table_unref (self->rates);
  g_ptr_array_unref (self->notifications);
  g_ptr_array_unref (self->conversations);
  g_free (self->inbox_account);
  g_rand_free (self->rand);
  g_free (self->url);
  g_free (self->domain);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ready_cond);
  g_free (self);
}

const char *
sd_fake_mastodon_get_url (SdFakeMastodon *self)
{
  return self->url;
}

const char *
sd_fake_mastodon_get_domain (SdFakeMastodon *self)
{
  return self->domain;
}

char *
sd_fake_mastodon_add_account (SdFakeMastodon *self,
                              const char     *username,
                              const char     *token)
{
  FakeAccount *account;
  char *id;

  g_mutex_lock (&self->lock);
  account = find_account_by_username (self, username);
  if (account == NULL)
    {
      account = g_new0 (FakeAccount, 1);
      account->id = g_strdup_printf ("%u", 100 + self->accounts->len);
      account->username = g_strdup (username);
      account->created_at = now_ms (self) / 1000;
      g_ptr_array_add (self->accounts, account);
    }
  if (token != NULL)
    g_hash_table_replace (self->tokens, g_strdup (token), g_strdup (account->id));
  id = g_strdup (account->id);
  g_mutex_unlock (&self->lock);
  return id;
}

void
sd_fake_mastodon_revoke_token (SdFakeMastodon *self,
                               const char     *token)
{
  g_mutex_lock (&self->lock);
  if (g_hash_table_remove (self->tokens, token))
    g_hash_table_add (self->revoked, g_strdup (token));
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_fault_rate (SdFakeMastodon *self,
                                 double          rate,
                                 guint32         seed)
{
  g_mutex_lock (&self->lock);
  self->fault_rate = CLAMP (rate, 0.0, 1.0);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_fault_kinds (SdFakeMastodon *self,
                                  guint           kinds)
{
  g_mutex_lock (&self->lock);
  self->fault_kinds = kinds & SD_FAKE_FAULT_ALL;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_inject_fault (SdFakeMastodon *self,
                               SdFakeFault     kind,
                               guint           count)
{
  g_mutex_lock (&self->lock);
  self->injected_kind = kind;
  self->injected_left = kind != SD_FAKE_FAULT_NONE ? count : 0;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_slow_delay (SdFakeMastodon *self,
                                 guint           milliseconds)
{
  g_mutex_lock (&self->lock);
  self->slow_ms = milliseconds;
  g_mutex_unlock (&self->lock);
}

guint
sd_fake_mastodon_get_n_faults (SdFakeMastodon *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_faults;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sd_fake_mastodon_get_n_requests (SdFakeMastodon *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_requests;
  g_mutex_unlock (&self->lock);
  return n;
}

void
sd_fake_mastodon_set_rate_limit (SdFakeMastodon *self,
                                 guint           limit)
{
  g_mutex_lock (&self->lock);
  self->rate_limit = limit;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_max_characters (SdFakeMastodon *self,
                                     guint           max_characters)
{
  g_mutex_lock (&self->lock);
  self->max_characters = max_characters;
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_v2_instance (SdFakeMastodon *self,
                                  gboolean        enabled)
{
  g_mutex_lock (&self->lock);
  self->v2_instance = enabled;
  g_mutex_unlock (&self->lock);
}

gint64
sd_fake_mastodon_get_now (SdFakeMastodon *self)
{
  gint64 now;

  g_mutex_lock (&self->lock);
  now = now_ms (self) / 1000;
  g_mutex_unlock (&self->lock);
  return now;
}

void
sd_fake_mastodon_advance_clock (SdFakeMastodon *self,
                                gint64          seconds)
{
  g_mutex_lock (&self->lock);
  self->clock_offset += seconds;
  publish_due (self);
  g_mutex_unlock (&self->lock);
}

guint
sd_fake_mastodon_count_statuses (SdFakeMastodon *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  publish_due (self);
  n = self->statuses->len;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sd_fake_mastodon_count_with_key (SdFakeMastodon *self,
                                 const char     *idempotency_key)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  publish_due (self);
  for (guint i = 0; i < self->statuses->len; i++)
    n += g_strcmp0 (((FakeStatus *) g_ptr_array_index (self->statuses, i))->key, idempotency_key) == 0;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sd_fake_mastodon_count_with_text (SdFakeMastodon *self,
                                  const char     *text)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  publish_due (self);
  for (guint i = 0; i < self->statuses->len; i++)
    n += g_strcmp0 (((FakeStatus *) g_ptr_array_index (self->statuses, i))->text, text) == 0;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sd_fake_mastodon_count_scheduled (SdFakeMastodon *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  publish_due (self);
  n = self->scheduled->len;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
sd_fake_mastodon_dup_status_json (SdFakeMastodon *self,
                                  const char     *status_id)
{
  g_autoptr(JsonNode) node = NULL;
  FakeStatus *status;
  char *json = NULL;

  g_mutex_lock (&self->lock);
  status = find_status (self, status_id);
  if (status != NULL)
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, status_entity (self, status));
      json = json_to_string (node, FALSE);
    }
  g_mutex_unlock (&self->lock);
  return json;
}

char *
sd_fake_mastodon_dup_statuses_json (SdFakeMastodon *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();
  char *json;

  g_mutex_lock (&self->lock);
  publish_due (self);
  for (guint i = 0; i < self->statuses->len; i++)
    json_array_add_object_element (array, status_entity (self, g_ptr_array_index (self->statuses, i)));
  json_node_take_array (node, array);
  json = json_to_string (node, FALSE);
  g_mutex_unlock (&self->lock);
  return json;
}

char *
sd_fake_mastodon_add_raw_status (SdFakeMastodon *self,
                                 const char     *account_id,
                                 const char     *content_html,
                                 const char     *in_reply_to_id)
{
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  FakeStatus *status;
  char *id;

  g_mutex_lock (&self->lock);
  status = make_status (self, account_id, "", in_reply_to_id, "public", NULL, media, now_ms (self));
  g_clear_pointer (&status->text, g_free);
  g_free (status->content);
  status->content = g_strdup (content_html);
  id = g_strdup (status->id);
  g_mutex_unlock (&self->lock);
  return id;
}

char *
sd_fake_mastodon_add_notification (SdFakeMastodon *self,
                                   const char     *type,
                                   const char     *from_acct,
                                   const char     *status_html,
                                   const char     *in_reply_to_id,
                                   const char     *visibility)
{
  char *id;

  g_mutex_lock (&self->lock);
  id = add_notification_locked (self, type, from_acct, status_html, in_reply_to_id, visibility, NULL);
  g_mutex_unlock (&self->lock);
  return id;
}

char *
sd_fake_mastodon_add_dm (SdFakeMastodon *self,
                         const char     *from_acct,
                         const char     *status_html,
                         const char     *in_reply_to_id)
{
  return sd_fake_mastodon_add_notification (self, "mention", from_acct, status_html, in_reply_to_id, "direct");
}

void
sd_fake_mastodon_set_inbox_account (SdFakeMastodon *self,
                                    const char     *account_id)
{
  g_mutex_lock (&self->lock);
  g_free (self->inbox_account);
  self->inbox_account = g_strdup (account_id);
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_spoiler_text (SdFakeMastodon *self,
                                   const char     *status_id,
                                   const char     *spoiler_text)
{
  FakeStatus *status;

  g_mutex_lock (&self->lock);
  status = find_status (self, status_id);
  if (status != NULL)
    {
      g_free (status->spoiler_text);
      status->spoiler_text = g_strdup (spoiler_text);
    }
  g_mutex_unlock (&self->lock);
}

void
sd_fake_mastodon_set_display_name (SdFakeMastodon *self,
                                   const char     *acct,
                                   const char     *display_name)
{
  g_mutex_lock (&self->lock);
  g_free (ensure_account_locked (self, acct)->display_name);
  ensure_account_locked (self, acct)->display_name = g_strdup (display_name);
  g_mutex_unlock (&self->lock);
}

gboolean
sd_fake_mastodon_is_favourited (SdFakeMastodon *self,
                                const char     *status_id,
                                const char     *account_id)
{
  FakeStatus *status;
  gboolean favourited;

  g_mutex_lock (&self->lock);
  status = find_status (self, status_id);
  favourited = status != NULL && g_hash_table_contains (status->favourited_by, account_id);
  g_mutex_unlock (&self->lock);
  return favourited;
}

guint
sd_fake_mastodon_count_replies_to (SdFakeMastodon *self,
                                   const char     *status_id)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->statuses->len; i++)
    n += g_strcmp0 (((FakeStatus *) g_ptr_array_index (self->statuses, i))->in_reply_to_id, status_id) == 0;
  g_mutex_unlock (&self->lock);
  return n;
}

void
sd_fake_mastodon_enable_test_endpoints (SdFakeMastodon *self)
{
  g_mutex_lock (&self->lock);
  self->test_endpoints = TRUE;
  g_mutex_unlock (&self->lock);
}
