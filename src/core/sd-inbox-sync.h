/* sd-inbox-sync.h — one pass of the inbox: fetch what is new, send what the person did
 *
 * Synchronous, like sd-sync: the CLI's `inbox sync` calls it directly, the
 * app's SdInboxEngine from a worker thread. Per connected account, per
 * stream its provider gives: read the cursor, fetch pages (each stored in
 * one transaction as it arrives), keep the new cursor; a 429 or an error sets
 * the stream's next_fetch_at (Retry-After, else exponential backoff) and
 * the others go on. Pending message actions (likes, hides, deletes) are sent
 * first. Credentials come from the keyring and are renewed as the outbox
 * renews them (sd-sync-private.h).
 *
 * A fetch goes on while the provider gives a next page, up to max_pages; the
 * cursor (the first page's new_cursor) is kept only once the whole fetch went
 * well, so a failure half-way fetches the same items again next time (the
 * store keeps each once). Waits after a failure: the Retry-After the network
 * gave, and at least 1, 2, 4 … minutes (at most an hour) for the failures in
 * a row. A refused sign-in is renewed once and the fetch tried again; refused
 * again, the account needs signing in and its other streams wait.
 *
 * Streams a network does not give (SdInboxStream.available FALSE) are kept
 * as cursors too: never fetched, with the stream's unavailable_reason as
 * last_error, so sd_store_list_inbox_cursors lists what each network does
 * not give next to what it does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *account_id;      /* NULL: every connected account */
  guint       max_pages;       /* per stream and pass; 0: 5 */
  gboolean    with_activity;   /* also likes/boosts/follows where the network gives them */
  gboolean    force;           /* ignore next_fetch_at (the person pressed Refresh) */
  gboolean    actions_only;    /* send pending actions, fetch nothing (after a like or hide) */
} SdInboxSyncOptions;

typedef struct
{
  guint      n_new;
  GPtrArray *new_messages;     /* SdMessage: new inbox items of this pass (for notifications) */
  GPtrArray *notify;           /* SdMessage: those a rule asked to notify about */
  GPtrArray *problems;         /* char *: "@alice@example.social: Mastodon asks to wait 5 minutes." (translated) */
  guint      actions_sent;
  gboolean   rate_limited;     /* some stream was told to wait */
  char      *keyring_error;    /* the keyring was locked or missing: nothing fetched */
  guint      n_accounts;       /* accounts that had something to fetch or send */
  guint      n_reached;        /* of those, the ones whose network answered (some stream or action went well) */
} SdInboxSyncReport;

void     sd_inbox_sync_options_init (SdInboxSyncOptions *options);
void     sd_inbox_sync_report_init  (SdInboxSyncReport  *report);
void     sd_inbox_sync_report_clear (SdInboxSyncReport  *report);

gboolean sd_inbox_sync_run          (SdStore                  *store,
                                     const SdInboxSyncOptions *options,
                                     GCancellable             *cancellable,
                                     SdInboxSyncReport        *report,
                                     GError                  **error);

/* Fetches the thread or DM history around @message_id from its network into
 * the store (no-op TRUE where the network cannot give it). Errors are
 * G_IO_ERROR: PERMISSION_DENIED (the account needs signing in), BUSY (the
 * network asks to wait), FAILED (any other refusal; the message says why). */
gboolean sd_inbox_sync_conversation (SdStore                  *store,
                                     const char               *message_id,
                                     GCancellable             *cancellable,
                                     GError                  **error);

G_END_DECLS
