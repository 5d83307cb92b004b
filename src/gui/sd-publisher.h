/* sd-publisher.h — the app's side of publishing: the outbox engine, notifications, background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"
#include "sd-sync-engine.h"

G_BEGIN_DECLS

#define SD_TYPE_PUBLISHER (sd_publisher_get_type ())
G_DECLARE_FINAL_TYPE (SdPublisher, sd_publisher, SD, PUBLISHER, GObject)

/* @settings may be NULL (schema not installed): defaults then apply. */
SdPublisher  *sd_publisher_new        (GApplication *application,
                                       SdStore      *store,
                                       GSettings    *settings);
SdSyncEngine *sd_publisher_get_engine (SdPublisher  *self);
/* Started with --background (at login): no window; stays while posts wait. */
void          sd_publisher_start_in_background (SdPublisher *self);

G_END_DECLS
