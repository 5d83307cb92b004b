/* sd-application.h — the application: one store, its windows and app-wide actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"
#include "sd-inbox-engine.h"
#include "sd-sync-engine.h"

G_BEGIN_DECLS

#define SD_TYPE_APPLICATION (sd_application_get_type ())
G_DECLARE_FINAL_TYPE (SdApplication, sd_application, SD, APPLICATION, AdwApplication)

SdApplication *sd_application_new       (void);
SdStore       *sd_application_get_store (SdApplication *self);
/* NULL without a store. */
SdSyncEngine  *sd_application_get_sync_engine (SdApplication *self);
/* NULL when the store could not be opened. */
SdInboxEngine *sd_application_get_inbox_engine (SdApplication *self);

G_END_DECLS
