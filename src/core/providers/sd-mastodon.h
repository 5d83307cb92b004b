/* sd-mastodon.h — the Mastodon provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_MASTODON (sd_mastodon_get_type ())
G_DECLARE_FINAL_TYPE (SdMastodon, sd_mastodon, SD, MASTODON, GObject)

SdMastodon *sd_mastodon_new (void);

G_END_DECLS
