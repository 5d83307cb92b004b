/* sd-store-private.h — what only the store and its tests see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_STORE_SCHEMA_VERSION 4

/* Opens (and migrates) only up to @version, so tests can build every older schema. */
SdStore  *sd_store_open_at_version (const char  *path,
                                    int          version,
                                    GError     **error);
sqlite3  *sd_store_get_db          (SdStore     *self);

/* Migration n (1-based) takes a database from version n-1 to n. */
extern const char * const sd_store_migrations[SD_STORE_SCHEMA_VERSION];

G_END_DECLS
