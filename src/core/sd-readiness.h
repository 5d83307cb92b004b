/* sd-readiness.h — would a network take this post as it is?
 *
 * The composer shows the same answers; scheduling refuses a post that is not
 * ready for every account it goes to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-account.h"
#include "sd-post.h"
#include "sd-text.h"

G_BEGIN_DECLS

/* The texts the post becomes on @platform: one, or a thread's parts. */
GPtrArray *sd_post_split_parts  (SdPost              *post,
                                 SdPlatform           platform,
                                 const char          *variant_text,
                                 const SdTextOptions *text_options);
/* What is wrong for @platform, in words (empty when ready). */
GPtrArray *sd_post_check_ready  (SdPost              *post,
                                 SdPlatform           platform,
                                 const char          *variant_text,
                                 const SdTextOptions *text_options);
/* The text options an account's server gives (Mastodon's own limit). */
void       sd_account_text_options (SdAccount        *account,
                                    SdTextOptions    *options);

G_END_DECLS
