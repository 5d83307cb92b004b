/* sd-thumbnails.h — small images of attached media, made once per file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        sd_thumbnails_load_async  (const char          *path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GdkTexture *sd_thumbnails_load_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
