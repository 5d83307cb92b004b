/* sd-ics.h — posts as an iCalendar file that calendar apps open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

GPtrArray *sd_ics_select_posts (GPtrArray     *posts,
                                SdPlatformSet  networks);
char      *sd_ics_from_posts   (GPtrArray     *posts,
                                gint64         now);

G_END_DECLS
