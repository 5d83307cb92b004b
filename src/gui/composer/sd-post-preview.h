/* sd-post-preview.h — how a post will look on one network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-text.h"

G_BEGIN_DECLS

#define SD_TYPE_POST_PREVIEW (sd_post_preview_get_type ())
G_DECLARE_FINAL_TYPE (SdPostPreview, sd_post_preview, SD, POST_PREVIEW, GtkWidget)

GtkWidget *sd_post_preview_new      (SdPlatform     platform);
SdPlatform sd_post_preview_get_platform (SdPostPreview *self);
void       sd_post_preview_set_text (SdPostPreview     *self,
                                     const char        *text,
                                     const SdTextCount *count);

void       sd_post_preview_set_title  (SdPostPreview   *self,
                                       const char      *title);
void       sd_post_preview_set_media  (SdPostPreview   *self,
                                       GPtrArray       *attachments);
void       sd_post_preview_set_thread (SdPostPreview   *self,
                                       GPtrArray       *parts);

char      *sd_post_preview_markup   (SdPlatform         platform,
                                     const char        *text,
                                     const SdTextCount *count,
                                     gboolean          *truncated);

G_END_DECLS
