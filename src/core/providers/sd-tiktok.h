/* sd-tiktok.h — the TikTok provider (Content Posting API, Direct Post)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_TIKTOK (sd_tiktok_get_type ())
G_DECLARE_FINAL_TYPE (SdTiktok, sd_tiktok, SD, TIKTOK, GObject)

SdTiktok *sd_tiktok_new (void);

/* TikTok allows this many calls to its init endpoints per access token and minute. */
#define SD_TIKTOK_INITS_PER_MINUTE 6

G_END_DECLS
