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
 * the store (no-op TRUE where the network cannot give it). */
gboolean sd_inbox_sync_conversation (SdStore                  *store,
                                     const char               *message_id,
                                     GCancellable             *cancellable,
                                     GError                  **error);

G_END_DECLS
