/* sd-html-text.h — remote HTML (Mastodon statuses, Facebook comments) to plain text with links
 *
 * libxml2's HTML parser reads it; the tree is walked against an allowlist
 * (p, br, a, b, i, u, s, em, strong, code, pre, blockquote, ul, ol, li, span);
 * everything else contributes its text only, and script, style, template,
 * iframe, object, head contribute nothing. What comes out is text for a
 * GtkLabel without markup (or for g_markup_escape_text): never markup itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-message.h"

G_BEGIN_DECLS

/* Paragraphs become blank lines, <br> a newline, list items "• " lines;
 * whitespace is collapsed as a browser would. Links with an http(s) or
 * mailto href become links over their text (Mastodon's invisible/ellipsis
 * spans are honoured: the shown text is the visible part, the link the whole
 * URL). Invalid UTF-8 is repaired; input past @max_bytes (0: 1 MiB) is cut
 * before parsing. Fills @message's text and links. */
void  sd_html_text_to_message (const char *html,
                               gsize       max_bytes,
                               SdMessage  *message);
/* Only the text (links dropped), e.g. for a display name with emoji shortcodes. */
char *sd_html_text_to_plain   (const char *html,
                               gsize       max_bytes);

G_END_DECLS
