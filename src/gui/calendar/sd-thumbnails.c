/* sd-thumbnails.c — small images of attached media, made once per file
 *
 * Media files are stored by content hash and never change, so a thumbnail
 * made once is good for the whole session. Decoding runs in a worker: a month
 * of posts with photos must not stall the calendar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-thumbnails"

#include "config.h"

#include "sd-thumbnails.h"

#define THUMBNAIL_SIZE 48

static GHashTable *cache;  /* path → GdkTexture, main thread only */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = gdk_pixbuf_new_from_file_at_scale (path, THUMBNAIL_SIZE, THUMBNAIL_SIZE, TRUE, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

void
sd_thumbnails_load_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GdkTexture *cached;

  g_task_set_source_tag (task, sd_thumbnails_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  cached = g_hash_table_lookup (cache, path);
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  g_task_run_in_thread (task, load_thread);
}

GdkTexture *
sd_thumbnails_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  GTask *task = G_TASK (result);
  GdkTexture *texture = g_task_propagate_pointer (task, error);

  if (texture != NULL && cache != NULL)
    g_hash_table_replace (cache, g_strdup (g_task_get_task_data (task)), g_object_ref (texture));

  return texture;
}
