/* sd-card-text.h — a card's one line: its time in bold, then its first words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_CARD_TEXT (sd_card_text_get_type ())
G_DECLARE_FINAL_TYPE (SdCardText, sd_card_text, SD, CARD_TEXT, GtkWidget)

GtkWidget *sd_card_text_new (void);
void       sd_card_text_set (SdCardText *self,
                             const char *time,
                             const char *text,
                             gboolean    placeholder);

G_END_DECLS
