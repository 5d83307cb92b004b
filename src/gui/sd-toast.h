/* sd-toast.h — a toast that shows its text as it is
 *
 * libadwaita 1.2 reads a toast's title as Pango markup; messages carry file
 * names, database paths and errors, where an "&" or a "<" is text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

static inline AdwToast *
sd_toast_new_plain (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}

G_END_DECLS
