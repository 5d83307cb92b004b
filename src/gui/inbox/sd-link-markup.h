/* sd-link-markup.h — a message's plain text as GtkLabel markup we write ourselves
 *
 * Every piece of the text is escaped; only the message's link ranges become
 * <a href> elements, and only for schemes a browser should open. Nothing the
 * server sent is ever read as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE for http, https and mailto URIs: the only ones shown as links and opened. */
gboolean sd_link_markup_uri_is_safe (const char *uri);
/* @links: SdMessageLink (byte ranges into @text); ranges out of bounds, not on
 * character boundaries, overlapping an earlier one or with an unsafe URI stay text. */
char    *sd_link_markup_build       (const char *text,
                                     GPtrArray  *links);

G_END_DECLS
