/* sd-linkedin.h — the LinkedIn provider (Posts API, Images API, OpenID Connect userinfo)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_LINKEDIN (sd_linkedin_get_type ())
G_DECLARE_FINAL_TYPE (SdLinkedin, sd_linkedin, SD, LINKEDIN, GObject)

SdLinkedin *sd_linkedin_new              (void);

/* Plain text as LinkedIn's "little" text for a post's commentary: each
 * reserved character (\ | { } @ [ ] ( ) < > # * _ ~) escaped with a
 * backslash, except that a hashtag ("#" after a non-word character, then
 * letters, digits or "_", not only digits, outside a web address) becomes the
 * documented HashtagTemplate "{hashtag|#|tag}" so that it stays a hashtag. */
char       *sd_linkedin_escape_little    (const char *text);

/* The other way, for comparing a post read back with the text sent:
 * backslash escapes dropped, "{hashtag|#|tag}" read as "#tag", a mention
 * "@[Name](urn:…)" read as "Name". */
char       *sd_linkedin_little_to_text   (const char *little);

/* "https://www.linkedin.com/feed/update/<urn>/" */
char       *sd_linkedin_post_url         (const char *urn);

G_END_DECLS
