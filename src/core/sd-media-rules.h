/* sd-media-rules.h — what each network accepts as a post's images, videos and options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"
#include "sd-post.h"

G_BEGIN_DECLS

GPtrArray *sd_media_problems      (SdPlatform  platform,
                                   GPtrArray  *attachments);
GPtrArray *sd_option_problems     (SdPlatform  platform,
                                   SdPost     *post);
gboolean   sd_media_text_optional (SdPlatform  platform);

G_END_DECLS
