/* sd-post-card.h — a post on the calendar: time, networks, first words, state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-post.h"

G_BEGIN_DECLS

#define SD_TYPE_POST_CARD (sd_post_card_get_type ())
G_DECLARE_FINAL_TYPE (SdPostCard, sd_post_card, SD, POST_CARD, GtkWidget)

GtkWidget *sd_post_card_new         (void);
SdPost    *sd_post_card_get_post    (SdPostCard *self);
void       sd_post_card_set_post    (SdPostCard *self,
                                     SdPost     *post);
void       sd_post_card_set_compact (SdPostCard *self,
                                     gboolean    compact);
void       sd_post_card_set_max_chars (SdPostCard *self,
                                     guint       max_chars);

SdPost    *sd_post_card_get_dragged (void);

G_END_DECLS
