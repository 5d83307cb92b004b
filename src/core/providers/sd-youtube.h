/* sd-youtube.h — the YouTube provider (YouTube Data API v3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_YOUTUBE (sd_youtube_get_type ())
G_DECLARE_FINAL_TYPE (SdYoutube, sd_youtube, SD, YOUTUBE, GObject)

SdYoutube *sd_youtube_new (void);

G_END_DECLS
