/* sd-month-cell.h — one day of the month view, with its posts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_MONTH_CELL (sd_month_cell_get_type ())
G_DECLARE_FINAL_TYPE (SdMonthCell, sd_month_cell, SD, MONTH_CELL, GtkWidget)

GtkWidget   *sd_month_cell_new         (void);
void         sd_month_cell_set_day     (SdMonthCell *self,
                                        const GDate *day,
                                        gboolean     in_month,
                                        gboolean     today);
const GDate *sd_month_cell_get_day     (SdMonthCell *self);
void         sd_month_cell_set_posts   (SdMonthCell *self,
                                        GPtrArray   *posts);
void         sd_month_cell_set_compact (SdMonthCell *self,
                                        gboolean     compact);

G_END_DECLS
