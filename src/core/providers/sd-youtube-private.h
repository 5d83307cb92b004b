/* sd-youtube-private.h — the pieces of the YouTube provider kept in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* sd-youtube.c: a request to the Data API's @path (with its query) and the
 * call that sends it and classifies Google's answer (quota, rate limits,
 * sign-in); *out gets the parsed body on DONE. */
SoupMessage *sd_youtube_api_message (const SdPublishContext *ctx,
                                     const char             *method,
                                     const char             *path);
SdOutcome    sd_youtube_call        (const SdPublishContext *ctx,
                                     SoupMessage            *msg,
                                     GCancellable           *cancellable,
                                     JsonNode              **out,
                                     SdProviderStatus       *status);

/* sd-youtube-inbox.c */
void         sd_youtube_inbox_init       (SdProviderInterface    *iface);
/* publish_part / find_part when ctx->reply_to is set: a reply in the comment's thread. */
SdOutcome    sd_youtube_inbox_reply      (const SdPublishContext *ctx,
                                          SdPublishPart          *part,
                                          GCancellable           *cancellable,
                                          SdProviderStatus       *status);
SdOutcome    sd_youtube_inbox_find_reply (const SdPublishContext *ctx,
                                          SdPublishPart          *part,
                                          GCancellable           *cancellable,
                                          SdProviderStatus       *status);

G_END_DECLS
