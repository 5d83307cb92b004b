/* sd-instagram.h — the Instagram provider (Instagram API with Instagram Login)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_INSTAGRAM (sd_instagram_get_type ())
G_DECLARE_FINAL_TYPE (SdInstagram, sd_instagram, SD, INSTAGRAM, GObject)

SdInstagram *sd_instagram_new (void);

G_END_DECLS
