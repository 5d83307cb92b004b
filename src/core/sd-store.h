/* sd-store.h — the local SQLite store every piece of user data lives in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-account.h"
#include "sd-inbox-rule.h"
#include "sd-message.h"
#include "sd-outbox.h"
#include "sd-post.h"

G_BEGIN_DECLS

#define SD_STORE_ERROR (sd_store_error_quark ())

/**
 * SdStoreError:
 * @SD_STORE_ERROR_OPEN: the file could not be opened or created
 * @SD_STORE_ERROR_NEWER: the file was written by a newer SocialDesk
 * @SD_STORE_ERROR_CORRUPT: the file is not a SocialDesk database or is damaged
 * @SD_STORE_ERROR_NOT_FOUND: no post has that id
 * @SD_STORE_ERROR_AMBIGUOUS: an id prefix matches more than one post
 * @SD_STORE_ERROR_BUSY: another program kept the database locked for too long
 * @SD_STORE_ERROR_FAILED: any other SQLite failure
 * @SD_STORE_ERROR_NOT_AN_IMAGE: a file to attach is not an image SocialDesk can read
 * @SD_STORE_ERROR_PUBLISHED: a published post cannot be moved
 * @SD_STORE_ERROR_NO_ACCOUNTS: a post must be bound to accounts before it is scheduled
 * @SD_STORE_ERROR_NOT_READY: a network would refuse the post as it is (the message says why)
 * @SD_STORE_ERROR_BUSY_PUBLISHING: the post is being sent right now
 */
typedef enum
{
  SD_STORE_ERROR_OPEN,
  SD_STORE_ERROR_NEWER,
  SD_STORE_ERROR_CORRUPT,
  SD_STORE_ERROR_NOT_FOUND,
  SD_STORE_ERROR_AMBIGUOUS,
  SD_STORE_ERROR_BUSY,
  SD_STORE_ERROR_FAILED,
  SD_STORE_ERROR_NOT_AN_IMAGE,
  SD_STORE_ERROR_PUBLISHED,
  SD_STORE_ERROR_NO_ACCOUNTS,
  SD_STORE_ERROR_NOT_READY,
  SD_STORE_ERROR_BUSY_PUBLISHING,
} SdStoreError;

GQuark sd_store_error_quark (void);

/* What a list of posts is filtered by; zeroed means "every post". */
typedef struct
{
  gint64      from;        /* scheduled_at >= from, when has_range */
  gint64      to;          /* scheduled_at <= to, when has_range */
  gboolean    has_range;   /* a range leaves out posts without a time */
  gboolean    unscheduled; /* only posts without a time (when there is no range) */
  const char *search;      /* substring of the text, case-insensitive; NULL for all */
} SdPostQuery;

#define SD_TYPE_STORE (sd_store_get_type ())
G_DECLARE_FINAL_TYPE (SdStore, sd_store, SD, STORE, GObject)

char       *sd_store_default_path       (void);
SdStore    *sd_store_open               (const char          *path,
                                         GError             **error);
const char *sd_store_get_path           (SdStore             *self);
int         sd_store_get_schema_version (SdStore             *self);
guint64     sd_store_get_data_version   (SdStore             *self);
gboolean    sd_store_try_get_data_version (SdStore           *self,
                                         guint64             *version);

char       *sd_store_get_media_dir      (SdStore             *self);
SdAttachment *sd_store_import_media     (SdStore             *self,
                                         GFile               *file,
                                         GError             **error);
gboolean    sd_store_save_post          (SdStore             *self,
                                         SdPost              *post,
                                         GError             **error);
gboolean    sd_store_insert_posts       (SdStore             *self,
                                         GPtrArray           *posts,
                                         GError             **error);
SdPost     *sd_store_get_post           (SdStore             *self,
                                         const char          *id,
                                         GError             **error);
char       *sd_store_resolve_id         (SdStore             *self,
                                         const char          *id_or_prefix,
                                         GError             **error);
GPtrArray  *sd_store_list_posts         (SdStore             *self,
                                         const SdPostQuery   *query,
                                         GError             **error);
gboolean    sd_store_move_post          (SdStore             *self,
                                         const char          *id,
                                         gint64               scheduled_at,
                                         gint64              *old_scheduled_at,
                                         GError             **error);
gboolean    sd_store_delete_post        (SdStore             *self,
                                         const char          *id,
                                         GError             **error);
gboolean    sd_store_trash_post         (SdStore             *self,
                                         const char          *id,
                                         GError             **error);
gboolean    sd_store_restore_post       (SdStore             *self,
                                         const char          *id,
                                         GError             **error);
gboolean    sd_store_purge_post         (SdStore             *self,
                                         const char          *id,
                                         GError             **error);
gboolean    sd_store_purge_trash        (SdStore             *self,
                                         gint64               older_than,
                                         GError             **error);

/* Accounts (sd-store-accounts.c) */
/* Inserts or updates; an account already connected (same network, server and
 * remote id) is updated in place and @account takes its id. */
gboolean    sd_store_save_account       (SdStore             *self,
                                         SdAccount           *account,
                                         GError             **error);
GPtrArray  *sd_store_list_accounts      (SdStore             *self,
                                         GError             **error);
/* By id, id prefix or handle ("@alice.bsky.social" or without "@"). */
SdAccount  *sd_store_find_account       (SdStore             *self,
                                         const char          *id_prefix_or_handle,
                                         GError             **error);
gboolean    sd_store_set_account_state  (SdStore             *self,
                                         const char          *account_id,
                                         SdAccountState       state,
                                         GError             **error);
/* Its waiting sends are cancelled; published variants keep their links. */
gboolean    sd_store_remove_account     (SdStore             *self,
                                         const char          *account_id,
                                         GError             **error);
/* Binding and the outbox (sd-store-outbox.c) */
/* Replaces the accounts a post goes to (its networks follow). */
gboolean    sd_store_set_post_accounts  (SdStore             *self,
                                         const char          *post_id,
                                         GPtrArray           *account_ids,
                                         GError             **error);
GPtrArray  *sd_store_list_post_accounts (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);
/* Gives the post its time and, in the same transaction, one job per bound
 * account. @at may be in the past for "as soon as possible". */
gboolean    sd_store_schedule_post      (SdStore             *self,
                                         const char          *post_id,
                                         gint64               at,
                                         GError             **error);
/* Back to a draft: waiting jobs are cancelled (server-held ones are marked
 * for the engine to cancel on the server). */
gboolean    sd_store_unschedule_post    (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);
guint       sd_store_count_waiting      (SdStore             *self,
                                         GError             **error);
/* Jobs (held, uncertain, failed) of a post, for the UI's Retry / Send now. */
GPtrArray  *sd_store_list_post_jobs     (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);

/* For the sync engine. @owner names the process ("host:pid"). Takes the
 * earliest due job that is not held or leased, fixes its parts and keys,
 * marks it running; NULL (no error) when nothing is due. */
typedef struct
{
  const char *owner;            /* "host:pid" */
  gint64      now;
  gint64      grace_seconds;    /* later than this past its time: held */
  gint64      lease_seconds;
  const char *skip_accounts;    /* ",id,id," of accounts not to send for now; NULL: none */
  const char *server_platforms; /* ",mastodon," networks that schedule on their own; NULL: none */
  gint64      server_ahead;     /* how far ahead a job must be to go to the server */
} SdClaimOptions;

SdOutboxJob *sd_store_claim_job         (SdStore             *self,
                                         const SdClaimOptions *options,
                                         GPtrArray          **held_post_ids,
                                         GError             **error);
/* A claimed job that should wait for its time after all (a thread cannot
 * go to the server's scheduler): back to pending, as if never claimed. */
gboolean     sd_store_release_job       (SdStore             *self,
                                         const char          *job_id,
                                         GError             **error);
/* Running jobs whose owner is gone (a process that died) go back to pending. */
guint        sd_store_recover_jobs      (SdStore             *self,
                                         gint64               now,
                                         GError             **error);
/* Before each part: extends the lease; FALSE (BUSY_PUBLISHING) when another
 * process recovered the job meanwhile (then nothing more may be sent). */
gboolean     sd_store_renew_lease       (SdStore             *self,
                                         const char          *job_id,
                                         const char          *owner,
                                         gint64               lease_until,
                                         GError             **error);
gboolean     sd_store_mark_part_sent    (SdStore             *self,
                                         const char          *job_id,
                                         guint                position,
                                         gint64               now,
                                         GError             **error);
gboolean     sd_store_record_part       (SdStore             *self,
                                         const char          *job_id,
                                         const SdPublishPart *part,
                                         GError             **error);
/* @outcome: DONE (published, or handed to the server when @server_id is
 * set), RETRY (pending again at @retry_at), UNCERTAIN, FAILED or AUTH (the
 * message is kept on the variant). */
gboolean     sd_store_finish_job        (SdStore             *self,
                                         const char          *job_id,
                                         SdOutcome            outcome,
                                         gint64               retry_at,
                                         const char          *server_id,
                                         const char          *message,
                                         GError             **error);
/* The user's answers: retry a failed, held or uncertain job now (uncertain:
 * "send again anyway"), or say an uncertain one did go out. */
gboolean     sd_store_retry_post        (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);
gboolean     sd_store_confirm_published (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);
/* Server-held jobs whose post moved or went away; the engine follows them up. */
GPtrArray   *sd_store_list_server_dirty (SdStore             *self,
                                         GError             **error);
gboolean     sd_store_server_synced     (SdStore             *self,
                                         const char          *job_id,
                                         GError             **error);
/* Server-held jobs whose time passed: the engine learns what became of them. */
GPtrArray   *sd_store_list_server_due   (SdStore             *self,
                                         gint64               now,
                                         GError             **error);
gboolean     sd_store_postpone_server_check (SdStore         *self,
                                         const char          *job_id,
                                         gint64               next_check,
                                         GError             **error);
GPtrArray   *sd_store_list_account_server_jobs (SdStore      *self,
                                         const char          *account_id,
                                         GError             **error);
gboolean     sd_store_take_back_from_server (SdStore         *self,
                                         const char          *job_id,
                                         GError             **error);
gboolean     sd_store_clear_part_sent   (SdStore             *self,
                                         const char          *job_id,
                                         guint                position,
                                         GError             **error);
/* A provider's progress on a part (SdPublishPart.stage: a container id, an
 * upload URL), kept before it goes on; NULL clears it. */
gboolean     sd_store_set_part_stage    (SdStore             *self,
                                         const char          *job_id,
                                         guint                position,
                                         const char          *stage,
                                         GError             **error);
/* Accounts of @platform whose sign-in runs out before @before (token_expires_at
 * set and earlier), for renewing long-lived tokens ahead of time. */
GPtrArray   *sd_store_list_accounts_expiring (SdStore        *self,
                                         gint64               before,
                                         GError             **error);
gboolean     sd_store_set_account_token_expires_at (SdStore  *self,
                                         const char          *account_id,
                                         gint64               expires_at,
                                         GError             **error);

/* Developer apps (sd-store-accounts.c): the client id the person registered
 * with an OAuth network (its secret is in the keyring, sd-secrets). */
char        *sd_store_dup_network_app   (SdStore             *self,
                                         SdPlatform           platform,
                                         GError             **error);   /* NULL (no error): none */
/* NULL or "" forgets it. */
gboolean     sd_store_set_network_app   (SdStore             *self,
                                         SdPlatform           platform,
                                         const char          *client_id,
                                         GError             **error);

/* The inbox (sd-store-inbox.c) ------------------------------------------ */

typedef enum
{
  SD_INBOX_OPEN,   /* not done (the inbox itself) */
  SD_INBOX_DONE,   /* done (archived) only */
  SD_INBOX_ANY,
} SdInboxDone;

/* What the inbox list shows; zeroed means "every open item". Only inbox kinds
 * (sd_message_kind_is_inbox) are ever listed; newest first. */
typedef struct
{
  const char    *account_id;   /* NULL: every account */
  SdPlatformSet  platforms;    /* 0: every network */
  guint          kinds;        /* 1 << SdMessageKind bits; 0: every inbox kind */
  gboolean       unread_only;
  SdInboxDone    done;
  const char    *label;        /* a label's name; NULL: any */
  const char    *search;       /* the words as typed (full-text, the last word as a prefix); NULL/"": none */
} SdInboxQuery;

/* What one import did. */
typedef struct
{
  guint      n_new;
  GPtrArray *new_messages;     /* SdMessage, as stored (ids, labels and flags after the rules) */
  GPtrArray *notify;           /* SdMessage: the new ones a rule asked to notify about */
} SdInboxImport;

void        sd_inbox_import_init  (SdInboxImport *import);
void        sd_inbox_import_clear (SdInboxImport *import);

/* Stores a page from a provider in one transaction: new messages are
 * inserted (and the enabled rules run on them, in order), known ones
 * (same account and remote id) get the network's newer text, links, caps
 * and reply_until but keep the person's state (read, done, labels, …). */
gboolean    sd_store_import_messages    (SdStore             *self,
                                         GPtrArray           *messages,
                                         SdInboxImport       *import,
                                         GError             **error);
guint       sd_store_count_messages     (SdStore             *self,
                                         const SdInboxQuery  *query,
                                         GError             **error);
/* Rows [offset, offset + limit) of the query, newest first (reader connection). */
GPtrArray  *sd_store_list_messages      (SdStore             *self,
                                         const SdInboxQuery  *query,
                                         guint                offset,
                                         guint                limit,
                                         GError             **error);
/* By id or unique id prefix (SD_STORE_ERROR_NOT_FOUND / _AMBIGUOUS). */
SdMessage  *sd_store_get_message        (SdStore             *self,
                                         const char          *id_or_prefix,
                                         GError             **error);
/* The conversation @message_id belongs to (same account and conversation id,
 * every kind, OWN and CONTEXT too) plus the replies written in SocialDesk
 * that are not on the network yet, oldest first. A reply written here is an
 * SdMessage of kind OWN with its reply post id and state set. */
GPtrArray  *sd_store_list_conversation  (SdStore             *self,
                                         const char          *message_id,
                                         GError             **error);

typedef enum
{
  SD_MESSAGE_FLAG_READ,
  SD_MESSAGE_FLAG_DONE,
  SD_MESSAGE_FLAG_REVIEWED,
} SdMessageFlag;

/* Sets a local flag on each message (one transaction). */
gboolean    sd_store_set_message_flag   (SdStore             *self,
                                         const char * const  *message_ids,
                                         SdMessageFlag        flag,
                                         gboolean             value,
                                         GError             **error);
/* Every open message matching @query marked read (the "Mark All as Read" button). */
gboolean    sd_store_mark_all_read      (SdStore             *self,
                                         const SdInboxQuery  *query,
                                         GError             **error);

/* Replies: a reply is a post of its own (never in the calendar or post
 * list) bound to the message's account and scheduled "now" in the same
 * transaction, so it goes through the outbox exactly once, offline too.
 * The text is checked against the network's rules first
 * (SD_STORE_ERROR_NOT_READY with the reason). Marks the message read and
 * reviewed. Returns the reply post's id. */
char       *sd_store_queue_reply        (SdStore             *self,
                                         const char          *message_id,
                                         const char          *text,
                                         GError             **error);
/* The message a reply post answers (the outbox engine reads it at claim). */
SdMessage  *sd_store_get_reply_target   (SdStore             *self,
                                         const char          *post_id,
                                         GError             **error);  /* NULL (no error): not a reply */

/* Network actions on messages, local first: the flag (liked, hidden) changes
 * at once, the action waits in the store until the inbox sync sends it
 * (deleted messages are marked hidden and done until the network confirms). */
typedef struct
{
  gint64           id;
  char            *message_id;
  SdMessageAction  action;
  guint            attempts;
} SdPendingAction;

void        sd_pending_action_free      (SdPendingAction     *action);
gboolean    sd_store_queue_message_action (SdStore           *self,
                                         const char          *message_id,
                                         SdMessageAction      action,
                                         GError             **error);
GPtrArray  *sd_store_list_pending_actions (SdStore           *self,
                                         const char          *account_id,   /* NULL: all */
                                         GError             **error);
/* DONE removes it (DELETE also removes the message); FAILED removes it, puts
 * the flag back and keeps @message as the message's last error; RETRY keeps it. */
gboolean    sd_store_finish_message_action (SdStore          *self,
                                         gint64               action_id,
                                         SdOutcome            outcome,
                                         const char          *message,
                                         GError             **error);
/* The last refused action's sentence for a message (NULL: none), cleared on read. */
char       *sd_store_take_message_error (SdStore             *self,
                                         const char          *message_id,
                                         GError             **error);

/* Where each inbox stream of an account got to. */
typedef struct
{
  char   *account_id;
  char   *stream;
  char   *cursor;          /* the provider's opaque cursor; NULL: never fetched */
  gint64  next_fetch_at;   /* not before (rate limits, backoff); 0: any time */
  guint   failures;        /* in a row, for the backoff */
  char   *last_error;      /* translated; NULL: the last fetch went well */
  gint64  fetched_at;      /* last successful fetch; 0: never */
  /* A fetch cut short at the pass's page limit goes on from resume_page in
   * the next pass; pending_cursor becomes the cursor once it is through. */
  char   *resume_page;
  char   *pending_cursor;
} SdInboxCursor;

void           sd_inbox_cursor_free     (SdInboxCursor      *cursor);
/* A blank cursor (fields NULL/0) when the stream was never fetched. */
SdInboxCursor *sd_store_get_inbox_cursor (SdStore           *self,
                                         const char          *account_id,
                                         const char          *stream,
                                         GError             **error);
gboolean    sd_store_save_inbox_cursor  (SdStore             *self,
                                         const SdInboxCursor *cursor,
                                         GError             **error);
/* Every cursor of every account (the inbox's "what each network gives" view). */
GPtrArray  *sd_store_list_inbox_cursors (SdStore             *self,
                                         GError             **error);

/* Labels (the label table): names are unique, case-insensitively. */
GStrv       sd_store_list_labels        (SdStore             *self,
                                         GError             **error);
gboolean    sd_store_add_label          (SdStore             *self,
                                         const char          *name,
                                         GError             **error);  /* an existing name is fine */
gboolean    sd_store_rename_label       (SdStore             *self,
                                         const char          *name,
                                         const char          *new_name,
                                         GError             **error);
gboolean    sd_store_remove_label       (SdStore             *self,
                                         const char          *name,
                                         GError             **error);
/* Adds (made when missing) or takes away a label on a message. */
gboolean    sd_store_set_message_label  (SdStore             *self,
                                         const char          *message_id,
                                         const char          *label,
                                         gboolean             on,
                                         GError             **error);

/* Rules, in the order they run. */
GPtrArray  *sd_store_list_inbox_rules   (SdStore             *self,
                                         GError             **error);  /* SdInboxRule */
/* Inserts (gives rule->id) or updates; refuses what sd_inbox_rule_check refuses. */
gboolean    sd_store_save_inbox_rule    (SdStore             *self,
                                         SdInboxRule         *rule,
                                         GError             **error);
gboolean    sd_store_remove_inbox_rule  (SdStore             *self,
                                         const char          *rule_id,
                                         GError             **error);

/* Saved replies, by title. */
GPtrArray  *sd_store_list_saved_replies (SdStore             *self,
                                         GError             **error);  /* SdSavedReply */
gboolean    sd_store_save_saved_reply   (SdStore             *self,
                                         SdSavedReply        *reply,
                                         GError             **error);
gboolean    sd_store_remove_saved_reply (SdStore             *self,
                                         const char          *reply_id,
                                         GError             **error);

/* The list's first page and count in a worker (the inbox opens without blocking). */
void        sd_store_query_messages_async  (SdStore            *self,
                                         const SdInboxQuery  *query,
                                         guint                limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* Returns the first @limit rows; @n_items gets the query's full count. */
GPtrArray  *sd_store_query_messages_finish (SdStore            *self,
                                         GAsyncResult        *result,
                                         guint               *n_items,
                                         GError             **error);

void        sd_store_list_posts_async   (SdStore             *self,
                                         const SdPostQuery   *query,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *sd_store_list_posts_finish  (SdStore             *self,
                                         GAsyncResult        *result,
                                         GError             **error);
void        sd_store_save_post_async    (SdStore             *self,
                                         SdPost              *post,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    sd_store_save_post_finish   (SdStore             *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
