/* sd-bluesky-private.h — what sd-bluesky.c shares with the inbox half, sd-bluesky-inbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-bluesky.h"

G_BEGIN_DECLS

/* One conversation with one PDS on behalf of one account. */
typedef struct
{
  SoupSession      *session;
  SdAccount        *account;
  SdCredentials    *credentials;  /* may be refreshed */
  GCancellable     *cancellable;
  SdProviderStatus *status;
  /* The service the PDS forwards the calls to ("atproto-proxy" header,
   * "did:web:api.bsky.chat#bsky_chat"); NULL: the PDS answers or picks the AppView. */
  const char       *proxy;
} SdBlueskyXrpc;

/* FALSE with the status set when the account cannot be reached at all. */
gboolean    sd_bluesky_xrpc_init   (SdBlueskyXrpc          *x,
                                    const SdPublishContext *ctx,
                                    GCancellable           *cancellable,
                                    SdProviderStatus       *status);
/* A call with the account's access token, renewing the session once if
 * needed. A 2xx answer comes back parsed (an object); otherwise NULL with the
 * status set (quoting the PDS) and *error_out holding the XRPC error name. */
JsonNode   *sd_bluesky_xrpc_call   (SdBlueskyXrpc          *x,
                                    const char             *method,
                                    const char             *nsid,
                                    const char             *query,
                                    JsonNode               *body,
                                    char                  **error_out);
/* "https://bsky.app/profile/WHO/post/RKEY" */
char       *sd_bluesky_post_url    (const char             *who,
                                    const char             *rkey);

/* Sends a part that answers a direct message (ctx->reply_to of kind DM). */
SdOutcome   sd_bluesky_publish_dm_reply (SdBlueskyXrpc          *x,
                                    const SdPublishContext *ctx,
                                    SdPublishPart          *part);
/* Looks for a part sent by sd_bluesky_publish_dm_reply after an uncertain outcome. */
SdOutcome   sd_bluesky_find_dm_reply (SdBlueskyXrpc         *x,
                                    const SdPublishContext *ctx,
                                    SdPublishPart          *part);

/* Parsing, for the tests too. The text is cleaned of control characters
 * (byte for byte, so facets keep their offsets); only link facets with an
 * http(s) address and mention facets (as https://bsky.app/profile/DID) whose
 * byte range is inside the text and on character boundaries become links. */
void        sd_bluesky_inbox_set_text (SdMessage           *message,
                                    const char             *text,
                                    JsonArray              *facets);
/* NULL for a reason SocialDesk leaves out (likes, reposts and follows unless
 * @activity) or a notification it cannot read. */
SdMessage  *sd_bluesky_inbox_parse_notification (JsonObject *notification,
                                    gboolean                activity);
/* A chat.bsky.convo.defs#messageView of @convo (a convoView): KIND_DM, or
 * KIND_OWN when @own_did sent it; NULL for a deleted one. */
SdMessage  *sd_bluesky_inbox_parse_chat_message (JsonObject *convo,
                                    JsonObject             *view,
                                    const char             *own_did);

/* Fills in the inbox vfuncs (sd-bluesky-inbox.c). */
void        sd_bluesky_inbox_init  (SdProviderInterface    *iface);

G_END_DECLS
