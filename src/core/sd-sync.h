/* sd-sync.h — one pass of the outbox: publish what is due, exactly once
 *
 * Synchronous: the CLI's `sync` calls it directly, the app's SdSyncEngine
 * from a worker thread. Several processes may run it at once: the store
 * hands each job to one of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-provider.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   grace_seconds;      /* how late a post may still go out; later ones are held */
  gint64   retry_base_ms;      /* first retry after about this long, doubling each time */
  gint64   retry_max_seconds;  /* never wait longer than this between attempts */
  guint    max_attempts;       /* after this many failed attempts a send fails for good */
  gboolean server_scheduling;  /* hand posts far enough ahead to the network's own scheduler */
  guint    limit;              /* at most this many jobs in one pass; 0: all that are due */
} SdSyncOptions;

/* What happened to one send, for notifications and the CLI. */
typedef struct
{
  char       *post_id;
  char       *account_label;   /* "@alice@mastodon.social" */
  SdPlatform  platform;
  SdOutcome   outcome;         /* DONE (published or handed to the server), FAILED, UNCERTAIN, RETRY */
  gboolean    on_server;
  char       *message;
  char       *url;
} SdSyncEvent;

typedef struct
{
  guint      published;
  guint      on_server;        /* handed to the network's scheduler */
  guint      failed;
  guint      uncertain;
  guint      retrying;
  guint      held;
  GPtrArray *events;           /* SdSyncEvent */
  GPtrArray *held_post_ids;    /* char* */
  char      *keyring_error;    /* the keyring was locked or missing: posts wait */
} SdSyncReport;

void     sd_sync_options_init (SdSyncOptions       *options);
void     sd_sync_report_init  (SdSyncReport        *report);
void     sd_sync_report_clear (SdSyncReport        *report);

gboolean sd_sync_run          (SdStore             *store,
                               const SdSyncOptions *options,
                               GCancellable        *cancellable,
                               SdSyncReport        *report,
                               GError             **error);

/* How long to wait before attempt @attempts + 1: exponential with jitter,
 * at least what the server asked for. Seconds. */
gint64   sd_sync_backoff      (const SdSyncOptions *options,
                               guint                attempts,
                               gint64               retry_after);

G_END_DECLS
