/* sd-facebook-private.h — the pieces of the Facebook Pages provider kept in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* sd-facebook-inbox.c: fills the inbox's vfuncs of @iface. */
void      sd_facebook_inbox_init       (SdProviderInterface    *iface);
/* publish_part / find_part when ctx->reply_to is set: the answer to a
 * comment (under it) or to a Messenger message (in its conversation). */
SdOutcome sd_facebook_inbox_reply      (const SdPublishContext *ctx,
                                        SdPublishPart          *part,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);
SdOutcome sd_facebook_inbox_find_reply (const SdPublishContext *ctx,
                                        SdPublishPart          *part,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);

G_END_DECLS
