/* sd-x.h — the X (Twitter API v2) provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_X (sd_x_get_type ())
G_DECLARE_FINAL_TYPE (SdX, sd_x, SD, X, GObject)

SdX *sd_x_new (void);

G_END_DECLS
