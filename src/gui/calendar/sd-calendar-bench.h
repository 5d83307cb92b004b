/* sd-calendar-bench.h — the calendar's own timing, for build-aux/bench.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-calendar-page.h"

G_BEGIN_DECLS

void sd_calendar_bench_start (SdCalendarPage *page);

G_END_DECLS
