/* sd-inbox-badge.h — the header button that opens the inbox, with its unread count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A button for win.show-inbox (Ctrl+3) carrying a count badge. */
GtkWidget *sd_inbox_badge_button_new       (void);
void       sd_inbox_badge_button_set_count (GtkWidget *button,
                                            guint      count);

G_END_DECLS
