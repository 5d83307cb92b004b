/* sd-media-rules.h — what each network accepts as a post's images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

GPtrArray *sd_media_problems (SdPlatform  platform,
                              GPtrArray  *attachments);

G_END_DECLS
