/* sd-instagram-private.h — the pieces of the Instagram provider kept in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* sd-instagram-inbox.c: fills the inbox's vfuncs of @iface. */
void      sd_instagram_inbox_init       (SdProviderInterface    *iface);
/* publish_part / find_part when ctx->reply_to is set: the answer to a
 * comment (a reply under it) or to a direct message (in its conversation). */
SdOutcome sd_instagram_inbox_reply      (const SdPublishContext *ctx,
                                         SdPublishPart          *part,
                                         GCancellable           *cancellable,
                                         SdProviderStatus       *status);
SdOutcome sd_instagram_inbox_find_reply (const SdPublishContext *ctx,
                                         SdPublishPart          *part,
                                         GCancellable           *cancellable,
                                         SdProviderStatus       *status);

G_END_DECLS
