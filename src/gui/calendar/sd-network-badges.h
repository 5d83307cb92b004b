/* sd-network-badges.h — a post's networks as small coloured badges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-platform.h"

G_BEGIN_DECLS

#define SD_TYPE_NETWORK_BADGES (sd_network_badges_get_type ())
G_DECLARE_FINAL_TYPE (SdNetworkBadges, sd_network_badges, SD, NETWORK_BADGES, GtkWidget)

GtkWidget *sd_network_badges_new           (void);
void       sd_network_badges_set_platforms (SdNetworkBadges *self,
                                            SdPlatformSet    platforms);

G_END_DECLS
