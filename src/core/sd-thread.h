/* sd-thread.h — a long text as a thread of posts, each within the network's limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

/* A line holding only this starts a new post of the thread. */
#define SD_THREAD_SEPARATOR "---"

typedef struct
{
  gboolean automatic;   /* split what is too long at sentence ends */
  gboolean numbering;   /* end each part with " 1/3" */
} SdThreadOptions;

gboolean   sd_platform_supports_threads (SdPlatform             platform);
GPtrArray *sd_thread_split              (SdPlatform             platform,
                                         const char            *text,
                                         const SdThreadOptions *options);

G_END_DECLS
