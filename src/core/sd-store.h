/* sd-store.h — the local SQLite store every piece of user data lives in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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
