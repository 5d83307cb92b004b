/* sd-provider.h — one network's API: a variant's parts become the network's calls
 *
 * Providers are synchronous and run in the sync engine's worker thread (the
 * shared SoupSession may send from any thread since libsoup 3.2). They never
 * touch SQLite or the keyring: the engine hands them the account and its
 * credentials, and stores what they report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sd-account.h"
#include "sd-message.h"
#include "sd-platform.h"

G_BEGIN_DECLS

/* What became of one call. */
typedef enum
{
  SD_OUTCOME_DONE,       /* it is on the network (remote ids filled in) */
  SD_OUTCOME_RETRY,      /* nothing was made: safe to send again later */
  SD_OUTCOME_UNCERTAIN,  /* the request may have been processed but the answer was lost */
  SD_OUTCOME_FAILED,     /* refused for good (validation, gone): the message says why */
  SD_OUTCOME_AUTH,       /* the sign-in was refused: the account needs signing in again */
} SdOutcome;

const char *sd_outcome_to_string (SdOutcome outcome);

typedef struct
{
  SdOutcome  outcome;
  guint      http_status;  /* 0 when no answer came */
  gint64     retry_after;  /* seconds the server asked to wait (Retry-After, rate-limit reset); 0: none */
  char      *message;      /* for the user, translated; quotes the network's own words */
} SdProviderStatus;

void sd_provider_status_clear (SdProviderStatus *status);
/* Sets outcome and message (printf-style), replacing what was there; returns outcome. */
SdOutcome sd_provider_status_set (SdProviderStatus *status,
                                  SdOutcome         outcome,
                                  const char       *format,
                                  ...) G_GNUC_PRINTF (3, 4);

/* What the keyring holds for an account (one item, stored as JSON). */
typedef struct
{
  char     *access_token;
  char     *refresh_token;
  char     *app_password;   /* Bluesky */
  char     *client_id;      /* Mastodon: the app registered on the instance */
  char     *client_secret;
  gint64    expires_at;     /* of the access token; 0: does not expire or unknown */
  gint64    refresh_expires_at; /* of the refresh token; 0: does not expire or unknown */
  gboolean  changed;        /* a provider refreshed them: the engine writes them back */
} SdCredentials;

SdCredentials *sd_credentials_new       (void);
SdCredentials *sd_credentials_copy      (const SdCredentials *self);
void           sd_credentials_free      (SdCredentials       *self);
char          *sd_credentials_to_json   (const SdCredentials *self);
SdCredentials *sd_credentials_from_json (const char          *json,
                                         GError             **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCredentials, sd_credentials_free)

/* An image or video to send with a part, read from the media folder. */
typedef struct
{
  char   *path;
  char   *mime_type;     /* "image/jpeg", "video/mp4", ... */
  char   *alt_text;      /* may be empty, never NULL */
  int     width;
  int     height;
  char   *public_url;    /* where the network may fetch it (Instagram, Threads); NULL: none given */
  gint64  bytes;         /* the file's size */
} SdPublishMedia;

gboolean sd_publish_media_is_video (const SdPublishMedia *media);

/* One part of a thread (a single post is a thread of one). Its key is fixed
 * before the first attempt and kept in the store with it. */
typedef struct
{
  guint      position;
  char      *text;
  GPtrArray *media;        /* SdPublishMedia, may be empty */
  char      *key;          /* Mastodon: Idempotency-Key; Bluesky: the record key (a TID) */
  char      *remote_id;    /* out: status id / at:// URI (or the scheduled status id) */
  char      *remote_url;   /* out: where a person sees it */
  char      *remote_cid;   /* out: Bluesky's CID, for reply references */
  /* in/out: the provider's own progress on a multi-step publish (a media
   * container id, a resumable upload's URL, a publish id), kept in the store
   * through ctx->save_stage so a later attempt resumes or checks instead of
   * starting again. NULL: nothing started. */
  char      *stage;
} SdPublishPart;

SdPublishPart *sd_publish_part_new  (guint                position,
                                     const char          *text,
                                     const char          *key);
void           sd_publish_part_free (SdPublishPart       *part);
SdPublishMedia *sd_publish_part_add_media (SdPublishPart  *part,
                                     const char          *path,
                                     const char          *mime_type,
                                     const char          *alt_text,
                                     int                  width,
                                     int                  height);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdPublishPart, sd_publish_part_free)

typedef struct _SdPublishContext SdPublishContext;

/* Keeps part->stage in the store before the provider goes on; FALSE (with
 * @error) when it could not: the provider stops with RETRY then. */
typedef gboolean (*SdStageFunc) (const SdPublishContext *ctx,
                                 SdPublishPart          *part,
                                 GError                **error);

struct _SdPublishContext
{
  SdAccount           *account;
  SdCredentials       *credentials;   /* may be refreshed by the provider */
  SoupSession         *session;
  const SdPublishPart *root;          /* the thread's first part; NULL for the first */
  const SdPublishPart *parent;        /* the part before; NULL for the first */
  gint64               first_attempt_at; /* when this part was first sent; 0: never */
  gint64               scheduled_at;  /* schedule_part: when the server should publish */
  JsonObject          *options;       /* the variant's network options (sd-post.h SD_OPTION_*); may be NULL */
  SdStageFunc          save_stage;    /* NULL: stages are not kept (tests) */
  gpointer             stage_data;
  /* An inbox reply: the message it answers (set for the reply's first part
   * only; later parts thread under the first as usual). The provider sends
   * the part as the network's answer to it: a reply to the post, a reply to
   * the comment, a message in the DM conversation. NULL: an ordinary post. */
  SdMessage           *reply_to;
};

/* A string option of the variant ("title", "privacy", ...), NULL when unset. */
const char *sd_publish_context_get_option (const SdPublishContext *ctx,
                                           const char             *key);
/* Sets part->stage and keeps it (ctx->save_stage); FALSE with @error when it could not be kept. */
gboolean    sd_publish_context_set_stage  (const SdPublishContext *ctx,
                                           SdPublishPart          *part,
                                           const char             *stage,
                                           GError                **error);

/* One account a sign-in gives access to (a Facebook Page, a YouTube channel, the X user). */
typedef struct
{
  SdAccount     *account;       /* platform, remote id, handle, name, avatar, token_expires_at */
  SdCredentials *credentials;   /* what publishing as it needs */
} SdSignInIdentity;

SdSignInIdentity *sd_sign_in_identity_new  (SdAccount     *account,      /* takes both */
                                            SdCredentials *credentials);
void              sd_sign_in_identity_free (SdSignInIdentity *identity);

/* One stream of inbox items a network gives, each fetched with a cursor of its own. */
typedef struct
{
  char     *id;                  /* "notifications", "conversations", "mentions", "dm", "comments", "replies", … */
  char     *title;               /* for people, translated: "Mentions and replies", "Direct messages" */
  gboolean  available;           /* FALSE: the network (or this account's access) does not give it */
  char     *unavailable_reason;  /* translated sentence shown in the inbox when !available */
} SdInboxStream;

SdInboxStream *sd_inbox_stream_new  (const char *id,
                                     const char *title,
                                     const char *unavailable_reason); /* NULL: available */
void           sd_inbox_stream_free (SdInboxStream *stream);

/* One page of a fetch. A fetch starts with @page_token NULL and goes on while
 * the provider gives next_page (older items still newer than the cursor). */
typedef struct
{
  GPtrArray *messages;     /* SdMessage (out), any order; account_id, platform and stream filled in */
  char      *next_page;    /* out: token for the next (older) page of this fetch; NULL: the fetch is done */
  char      *new_cursor;   /* out: what to keep as the stream's cursor once the fetch is done; set on
                            * the page holding the newest item (the first); NULL: keep the old one */
} SdInboxPage;

void sd_inbox_page_init  (SdInboxPage *page);
void sd_inbox_page_clear (SdInboxPage *page);

/* What the person asked to do to a message on the network. */
typedef enum
{
  SD_MESSAGE_ACTION_LIKE,
  SD_MESSAGE_ACTION_UNLIKE,
  SD_MESSAGE_ACTION_HIDE,     /* a reply/comment under our post */
  SD_MESSAGE_ACTION_UNHIDE,
  SD_MESSAGE_ACTION_DELETE,   /* a reply/comment under our post */
} SdMessageAction;

const char *sd_message_action_to_string   (SdMessageAction  action);
gboolean    sd_message_action_from_string (const char      *text,
                                           SdMessageAction *action);

#define SD_TYPE_PROVIDER (sd_provider_get_type ())
G_DECLARE_INTERFACE (SdProvider, sd_provider, SD, PROVIDER, GObject)

struct _SdProviderInterface
{
  GTypeInterface parent_iface;

  SdPlatform (*get_platform)   (SdProvider             *self);
  /* Sends one part as a reply to ctx->parent (if any), media first. */
  SdOutcome  (*publish_part)   (SdProvider             *self,
                                const SdPublishContext *ctx,
                                SdPublishPart          *part,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* TRUE when sending the part again with its key cannot make a second post. */
  gboolean   (*resend_is_safe) (SdProvider             *self,
                                const SdPublishContext *ctx,
                                const SdPublishPart    *part);
  /* After an uncertain outcome: DONE (it is there; remote ids filled in),
   * RETRY (it is not: safe to send), UNCERTAIN (cannot tell). */
  SdOutcome  (*find_part)      (SdProvider             *self,
                                const SdPublishContext *ctx,
                                SdPublishPart          *part,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* Server-side scheduling; NULL where the network has none. DONE fills
   * part->remote_id with the server's id for the scheduled post. */
  gint64     (*min_schedule_ahead) (SdProvider         *self); /* seconds; 0: no server scheduling */
  SdOutcome  (*schedule_part)  (SdProvider             *self,
                                const SdPublishContext *ctx,
                                SdPublishPart          *part,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  SdOutcome  (*reschedule)     (SdProvider             *self,
                                const SdPublishContext *ctx,
                                const char             *scheduled_id,
                                gint64                  scheduled_at,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* DONE also when the server no longer has it (already published or gone). */
  SdOutcome  (*unschedule)     (SdProvider             *self,
                                const SdPublishContext *ctx,
                                const char             *scheduled_id,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* Reads the signed-in account (name, handle, avatar, remote id) and the
   * server's limits into ctx->account. */
  SdOutcome  (*verify_account) (SdProvider             *self,
                                const SdPublishContext *ctx,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* OAuth networks. After the code exchange, ctx->credentials holds the
   * user's token (and the app's client id/secret) and ctx->account a blank
   * account of the platform: DONE fills @identities (SdSignInIdentity) with
   * each account the person may publish as (long-lived tokens exchanged). */
  SdOutcome  (*list_identities) (SdProvider            *self,
                                const SdPublishContext *ctx,
                                GPtrArray              *identities,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* Renews ctx->credentials (refresh token, or the network's own long-lived
   * token refresh), sets ->changed; AUTH when the network refuses (sign in
   * again). NULL: the network's tokens cannot be renewed without the person. */
  SdOutcome  (*refresh_credentials) (SdProvider        *self,
                                const SdPublishContext *ctx,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);

  /* The inbox. Every stream the network could give this account, the
   * unavailable ones too (with the reason: the inbox says it, never hides it).
   * NULL: the network gives no inbox at all. */
  GPtrArray *(*list_inbox_streams) (SdProvider         *self,
                                SdAccount              *account);  /* SdInboxStream */
  /* One page of @stream newer than @cursor (NULL: the first fetch ever, which
   * takes only the newest page). A 429 is RETRY with retry_after. */
  SdOutcome  (*fetch_inbox)    (SdProvider             *self,
                                const SdPublishContext *ctx,
                                const char             *stream,
                                const char             *cursor,
                                const char             *page_token,
                                SdInboxPage            *page,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* The thread or DM history around @message (our own posts as KIND_OWN,
   * others' posts that are not inbox items as KIND_CONTEXT) into @messages.
   * NULL: the network cannot give it; the store's copy is all there is. */
  SdOutcome  (*fetch_conversation) (SdProvider         *self,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
  /* Likes, hides or deletes on the network; FAILED with a sentence when the
   * network does not allow it. NULL: no actions at all. */
  SdOutcome  (*message_action) (SdProvider             *self,
                                const SdPublishContext *ctx,
                                SdMessageAction         action,
                                SdMessage              *message,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status);
};

SdProvider *sd_provider_new_for_platform (SdPlatform platform); /* NULL: not yet supported */

SdPlatform sd_provider_get_platform   (SdProvider             *self);
SdOutcome  sd_provider_publish_part   (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       SdPublishPart          *part,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
gboolean   sd_provider_resend_is_safe (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       const SdPublishPart    *part);
SdOutcome  sd_provider_find_part      (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       SdPublishPart          *part,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
gint64     sd_provider_min_schedule_ahead (SdProvider         *self);
SdOutcome  sd_provider_schedule_part  (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       SdPublishPart          *part,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
SdOutcome  sd_provider_reschedule     (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       const char             *scheduled_id,
                                       gint64                  scheduled_at,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
SdOutcome  sd_provider_unschedule     (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       const char             *scheduled_id,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
SdOutcome  sd_provider_verify_account (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
SdOutcome  sd_provider_list_identities (SdProvider            *self,
                                       const SdPublishContext *ctx,
                                       GPtrArray              *identities,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
gboolean   sd_provider_can_refresh    (SdProvider             *self);
SdOutcome  sd_provider_refresh_credentials (SdProvider        *self,
                                       const SdPublishContext *ctx,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);

/* Empty array (never NULL) when the network has no inbox. */
GPtrArray *sd_provider_list_inbox_streams (SdProvider         *self,
                                       SdAccount              *account);
SdOutcome  sd_provider_fetch_inbox    (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       const char             *stream,
                                       const char             *cursor,
                                       const char             *page_token,
                                       SdInboxPage            *page,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
gboolean   sd_provider_can_fetch_conversation (SdProvider     *self);
SdOutcome  sd_provider_fetch_conversation (SdProvider         *self,
                                       const SdPublishContext *ctx,
                                       SdMessage              *message,
                                       GPtrArray              *messages,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
SdOutcome  sd_provider_message_action (SdProvider             *self,
                                       const SdPublishContext *ctx,
                                       SdMessageAction         action,
                                       SdMessage              *message,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);

G_END_DECLS
