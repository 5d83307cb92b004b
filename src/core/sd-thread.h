/* sd-thread.h — a long text as a thread of posts, each within the network's limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"
#include "sd-text.h"

G_BEGIN_DECLS

/* A line holding only this starts a new post of the thread. */
#define SD_THREAD_SEPARATOR "---"

typedef struct
{
  gboolean automatic;   /* split what is too long at sentence ends */
  gboolean numbering;   /* end each part with " 1/3" */
} SdThreadOptions;

gboolean   sd_platform_supports_threads (SdPlatform             platform);
gboolean   sd_thread_has_separator      (const char            *text);
GPtrArray *sd_thread_split              (SdPlatform             platform,
                                         const char            *text,
                                         const SdThreadOptions *options,
                                         const SdTextOptions   *text_options);

G_END_DECLS
