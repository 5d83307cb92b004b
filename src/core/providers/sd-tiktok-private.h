/* sd-tiktok-private.h — the pieces of the TikTok provider kept in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* sd-tiktok-inbox.c: fills the inbox's vfuncs of @iface. */
void sd_tiktok_inbox_init (SdProviderInterface *iface);

G_END_DECLS
