/* sd-bluesky.h — the Bluesky provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_BLUESKY (sd_bluesky_get_type ())
G_DECLARE_FINAL_TYPE (SdBluesky, sd_bluesky, SD, BLUESKY, GObject)

SdBluesky *sd_bluesky_new (void);

G_END_DECLS
