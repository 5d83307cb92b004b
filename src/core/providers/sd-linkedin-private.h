/* sd-linkedin-private.h — what the LinkedIn provider's halves (sd-linkedin.c, sd-linkedin-inbox.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-linkedin.h"

G_BEGIN_DECLS

#define SD_LINKEDIN_STAGE_COMMENT "comment@"

/* A request to @path with the account's token (and the version headers on /rest paths). */
SoupMessage *sd_linkedin_api_message   (const SdPublishContext *ctx,
                                        const char             *method,
                                        const char             *path,
                                        SdProviderStatus       *status);
/* Sends and classifies as every LinkedIn call does; on DONE *out holds the
 * body (NULL when empty), on an error *words_out LinkedIn's message. */
SdOutcome    sd_linkedin_call          (const SdPublishContext *ctx,
                                        SoupMessage            *msg,
                                        GCancellable           *cancellable,
                                        JsonNode              **out,
                                        char                  **words_out,
                                        SdProviderStatus       *status);
/* The account's member URN (urn:li:person:…), read from userinfo when unknown. */
SdOutcome    sd_linkedin_ensure_author (const SdPublishContext *ctx,
                                        char                  **author,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);

/* sd-linkedin-inbox.c */
void         sd_linkedin_inbox_init_iface (SdProviderInterface *iface);
/* A reply to an inbox comment: a comment on the same post. */
SdOutcome    sd_linkedin_inbox_send_comment (const SdPublishContext *ctx,
                                        SdPublishPart          *part,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);
SdOutcome    sd_linkedin_inbox_find_comment (const SdPublishContext *ctx,
                                        SdPublishPart          *part,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);

G_END_DECLS
