/* sd-ics.h — posts as an iCalendar file that calendar apps open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sd_ics_from_posts (GPtrArray *posts,
                         gint64     now);

G_END_DECLS
