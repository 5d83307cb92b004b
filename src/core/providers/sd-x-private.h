/* sd-x-private.h — what the X provider's halves (sd-x.c, sd-x-inbox.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-x.h"

G_BEGIN_DECLS

#define SD_X_STAGE_DM "dm@"

/* A request to X's API with the account's bearer token; NULL (status set) for an unusable address. */
SoupMessage *sd_x_api_message      (const SdPublishContext *ctx,
                                    const char             *method,
                                    const char             *path,
                                    SdProviderStatus       *status);
/* Sends and classifies as every X call does (429 → RETRY with the reset's
 * wait, X's words quoted). On DONE *out holds the body. */
SdOutcome    sd_x_call             (const SdPublishContext *ctx,
                                    SoupMessage            *msg,
                                    GCancellable           *cancellable,
                                    JsonNode              **out,
                                    char                  **words_out,
                                    SdProviderStatus       *status);
/* Reads the account's X user id (GET /2/users/me) when it is not known yet. */
SdOutcome    sd_x_ensure_user_id   (const SdPublishContext *ctx,
                                    GCancellable           *cancellable,
                                    SdProviderStatus       *status);
/* The post a part answers: the thread's part before it, else the inbox
 * message it replies to (not a DM); NULL for a post of its own. */
const char  *sd_x_reply_target     (const SdPublishContext *ctx);

/* sd-x-inbox.c */
void         sd_x_inbox_init_iface (SdProviderInterface    *iface);
/* TRUE when the part answers a direct message (sent into its conversation). */
gboolean     sd_x_inbox_is_dm_reply (const SdPublishContext *ctx);
SdOutcome    sd_x_inbox_send_dm    (const SdPublishContext *ctx,
                                    SdPublishPart          *part,
                                    GCancellable           *cancellable,
                                    SdProviderStatus       *status);
SdOutcome    sd_x_inbox_find_dm    (const SdPublishContext *ctx,
                                    SdPublishPart          *part,
                                    GCancellable           *cancellable,
                                    SdProviderStatus       *status);

G_END_DECLS
