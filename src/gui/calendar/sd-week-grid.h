/* sd-week-grid.h — seven days of 24 hours, with posts at their times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-platform.h"

G_BEGIN_DECLS

#define SD_WEEK_GRID_HOUR_HEIGHT 48

#define SD_TYPE_WEEK_GRID (sd_week_grid_get_type ())
G_DECLARE_FINAL_TYPE (SdWeekGrid, sd_week_grid, SD, WEEK_GRID, GtkWidget)

GtkWidget *sd_week_grid_new          (void);
void       sd_week_grid_set_days     (SdWeekGrid    *self,
                                      const GDate   *first,
                                      GPtrArray     *posts);
void       sd_week_grid_set_networks (SdWeekGrid    *self,
                                      SdPlatformSet  networks);
void       sd_week_grid_set_compact  (SdWeekGrid    *self,
                                      gboolean       compact);
int        sd_week_grid_get_hours_width (SdWeekGrid *self);

const GdkRGBA *sd_platform_get_color (SdPlatform platform);

G_END_DECLS
