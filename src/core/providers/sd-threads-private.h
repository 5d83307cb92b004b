/* sd-threads-private.h — what the Threads provider's halves (sd-threads.c, sd-threads-inbox.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-threads.h"

G_BEGIN_DECLS

/* A GET of the versioned @path (with its query) with the account's token. */
SoupMessage *sd_threads_api_get       (const SdPublishContext *ctx,
                                       const char             *path);
/* Sends and classifies as every Threads call does (Graph errors, usage
 * headers' wait in status->retry_after); on DONE *out holds the body. */
SdOutcome    sd_threads_call          (const SdPublishContext *ctx,
                                       SoupMessage            *msg,
                                       GCancellable           *cancellable,
                                       JsonNode              **out,
                                       SdProviderStatus       *status);
/* "2023-10-17T05:42:03+0000" → unix seconds; 0 when unreadable. */
gint64       sd_threads_parse_timestamp (const char           *text);
/* The post a part answers: the thread's part before it, else the inbox
 * message it replies to; NULL for a post of its own. */
const char  *sd_threads_reply_target  (const SdPublishContext *ctx);

/* sd-threads-inbox.c */
void         sd_threads_inbox_init_iface (SdProviderInterface *iface);

G_END_DECLS
