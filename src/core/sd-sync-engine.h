/* sd-sync-engine.h — the app's outbox, kept moving: online, on time, in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"
#include "sd-sync.h"

G_BEGIN_DECLS

#define SD_TYPE_SYNC_ENGINE (sd_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncEngine, sd_sync_engine, SD, SYNC_ENGINE, GObject)

SdSyncEngine *sd_sync_engine_new               (SdStore      *store);
/* Starts watching the network and the clock; a pass runs whenever online. */
void          sd_sync_engine_start             (SdSyncEngine *self);
void          sd_sync_engine_stop              (SdSyncEngine *self);
/* Runs a pass now (after scheduling "now", or when the user asks). */
void          sd_sync_engine_sync_now          (SdSyncEngine *self);
gboolean      sd_sync_engine_get_online        (SdSyncEngine *self);
gboolean      sd_sync_engine_get_busy          (SdSyncEngine *self);
/* Posts waiting to be sent (read after every pass). */
guint         sd_sync_engine_get_waiting       (SdSyncEngine *self);
/* Counts the waiting posts now (a quick read), e.g. as the last window closes. */
void          sd_sync_engine_recount_waiting   (SdSyncEngine *self);
void          sd_sync_engine_set_grace_minutes (SdSyncEngine *self,
                                                guint         minutes);

G_END_DECLS
