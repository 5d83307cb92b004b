/* sd-mastodon-private.h — what the halves of SdMastodon (statuses, inbox) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-mastodon.h"

G_BEGIN_DECLS

/* sd-mastodon.c: a request to the account's server (@path absolute or
 * server-relative) with its token, and its classified answer (429: RETRY
 * with retry_after; DONE: *out holds the parsed body). */
SoupMessage *sd_mastodon_api_message (const SdPublishContext *ctx,
                                      const char             *method,
                                      const char             *path,
                                      SdProviderStatus       *status);
SdOutcome    sd_mastodon_call        (const SdPublishContext *ctx,
                                      SoupMessage            *msg,
                                      GCancellable           *cancellable,
                                      JsonNode              **out,
                                      char                  **words_out,
                                      SdProviderStatus       *status);
/* The rel="next" address of the answer's Link header, or NULL. */
char        *sd_mastodon_link_next   (SoupMessage            *msg);

/* sd-mastodon-inbox.c: the inbox vfuncs. */
void         sd_mastodon_inbox_init  (SdProviderInterface    *iface);

/* Replies from the inbox (ctx->reply_to), for post_status and find_part:
 * the status a part answers (the thread's parent, else the inbox message),
 * the visibility it may have (never wider than the answered message's), and
 * its text (a direct reply mentions the other person, or Mastodon would not
 * deliver it). */
const char  *sd_mastodon_reply_in_reply_to_id (const SdPublishContext *ctx);
const char  *sd_mastodon_reply_visibility     (const SdPublishContext *ctx);
char        *sd_mastodon_reply_text           (const SdPublishContext *ctx,
                                               const char             *text);

G_END_DECLS
