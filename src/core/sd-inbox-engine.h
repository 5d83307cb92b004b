/* sd-inbox-engine.h — the app's inbox, kept fresh: on an interval, when online, in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_INBOX_ENGINE (sd_inbox_engine_get_type ())
G_DECLARE_FINAL_TYPE (SdInboxEngine, sd_inbox_engine, SD, INBOX_ENGINE, GObject)

/* Signals:
 *   "synced" (guint n_new): a pass ended (the inbox list reloads when n_new > 0
 *       or actions were sent).
 *   "new-messages" (GPtrArray *messages, GPtrArray *notify): new inbox items of
 *       a pass (SdMessage), and those a rule asked to notify about; the app
 *       decides from its settings what to show as desktop notifications.
 *   "problem" (const char *message): a translated sentence for the window's toast.
 * Properties: "busy" (a pass is running), "interval-minutes" (0: only on demand),
 *   "with-activity". */
SdInboxEngine *sd_inbox_engine_new                  (SdStore       *store);
void           sd_inbox_engine_start                (SdInboxEngine *self);
void           sd_inbox_engine_stop                 (SdInboxEngine *self);
/* A pass now that ignores backoff (the Refresh button, F5). */
void           sd_inbox_engine_refresh_now          (SdInboxEngine *self);
/* Sends pending actions soon (after a like/hide/delete), without fetching. */
void           sd_inbox_engine_actions_queued       (SdInboxEngine *self);
gboolean       sd_inbox_engine_get_busy             (SdInboxEngine *self);
guint          sd_inbox_engine_get_interval_minutes (SdInboxEngine *self);
void           sd_inbox_engine_set_interval_minutes (SdInboxEngine *self,
                                                     guint          minutes);
gboolean       sd_inbox_engine_get_with_activity    (SdInboxEngine *self);
void           sd_inbox_engine_set_with_activity    (SdInboxEngine *self,
                                                     gboolean       with_activity);
/* Loads a conversation's context from the network in a worker. */
void           sd_inbox_engine_fetch_conversation_async  (SdInboxEngine      *self,
                                                     const char          *message_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean       sd_inbox_engine_fetch_conversation_finish (SdInboxEngine      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
