/* sd-store-private.h — what only the store and its tests see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_STORE_SCHEMA_VERSION 7

/* Opens (and migrates) only up to @version, so tests can build every older schema. */
SdStore  *sd_store_open_at_version (const char  *path,
                                    int          version,
                                    GError     **error);
sqlite3  *sd_store_get_db          (SdStore     *self);

/* The writer connection, for the store's other files. sd_store_begin locks it
 * and starts an IMMEDIATE transaction; sd_store_end commits (or rolls back
 * when @ok is FALSE) and unlocks. Statements are cached: @sql must be a literal. */
gboolean      sd_store_begin   (SdStore       *self,
                                GError       **error);
gboolean      sd_store_end     (SdStore       *self,
                                gboolean       ok,
                                GError       **error);
sqlite3_stmt *sd_store_prepare (SdStore       *self,
                                const char    *sql,
                                GError       **error);
gboolean      sd_store_step    (SdStore       *self,
                                sqlite3_stmt  *stmt,
                                GError       **error);
SdPost       *sd_store_get_post_locked (SdStore     *self,
                                        const char  *id,
                                        GError     **error);
gboolean      sd_store_check_not_publishing (SdStore *self,
                                             const char *post_id,
                                             GError  **error);
gboolean      sd_store_refresh_post_state_locked (SdStore *self,
                                                  const char *post_id,
                                                  GError  **error);
gboolean      sd_store_demote_post_locked (SdStore   *self,
                                           const char *post_id,
                                           GError   **error);
gboolean      sd_store_cancel_jobs_locked (SdStore   *self,
                                           const char *post_id,
                                           GError   **error);
void          sd_store_bind_text_or_null (sqlite3_stmt *stmt,
                                          int           index,
                                          const char   *text);
gboolean      sd_store_run_for_id (SdStore     *self,
                                   const char  *sql,
                                   const char  *id,
                                   GError     **error);
gboolean      sd_store_fail    (SdStore       *self,
                                int            rc,
                                GError       **error);

/* The read-only connection (lists, counts, search): sd_store_reader_lock
 * locks it (opening it the first time); statements from
 * sd_store_reader_prepare are cached like sd_store_prepare's, so @sql must
 * outlive the store (a literal or an interned string). */
gboolean      sd_store_reader_lock    (SdStore     *self,
                                       GError     **error);
void          sd_store_reader_unlock  (SdStore     *self);
sqlite3_stmt *sd_store_reader_prepare (SdStore     *self,
                                       const char  *sql,
                                       GError     **error);
gboolean      sd_store_reader_fail    (SdStore     *self,
                                       int          rc,
                                       GError     **error);

/* For replies (sd-store-inbox.c), under the writer's lock. */
gboolean      sd_store_bind_account_locked    (SdStore     *self,
                                               const char  *post_id,
                                               const char  *account_id,
                                               GError     **error);
gboolean      sd_store_schedule_variants_locked (SdStore   *self,
                                               const char  *post_id,
                                               gint64       at,
                                               GError     **error);
SdAccount    *sd_store_read_account_locked    (SdStore     *self,
                                               const char  *account_id,
                                               GError     **error);
SdMessage    *sd_store_get_reply_target_locked (SdStore    *self,
                                               const char  *post_id,
                                               GError     **error);

/* Migration n (1-based) takes a database from version n-1 to n. */
extern const char * const sd_store_migrations[SD_STORE_SCHEMA_VERSION];

G_END_DECLS
