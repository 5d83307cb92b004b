/* sd-post-row.h — one post in the Posts list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-post.h"

G_BEGIN_DECLS

#define SD_TYPE_POST_ROW (sd_post_row_get_type ())
G_DECLARE_FINAL_TYPE (SdPostRow, sd_post_row, SD, POST_ROW, GtkWidget)

GtkWidget *sd_post_row_new      (void);
void       sd_post_row_set_post (SdPostRow *self,
                                 SdPost    *post);

char      *sd_post_format_time  (gint64     unix_time);

G_END_DECLS
