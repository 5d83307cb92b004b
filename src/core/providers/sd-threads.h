/* sd-threads.h — the Threads provider (Meta's Threads API, graph.threads.net)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_THREADS (sd_threads_get_type ())
G_DECLARE_FINAL_TYPE (SdThreads, sd_threads, SD, THREADS, GObject)

SdThreads *sd_threads_new (void);

G_END_DECLS
