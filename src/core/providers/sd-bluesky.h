/* sd-bluesky.h — the Bluesky provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_BLUESKY (sd_bluesky_get_type ())
G_DECLARE_FINAL_TYPE (SdBluesky, sd_bluesky, SD, BLUESKY, GObject)

SdBluesky *sd_bluesky_new     (void);

/* A new record key: a TID (13 characters, base32-sortable, from the time in
 * microseconds and a random clock id), later than any this process made. */
char      *sd_bluesky_new_tid (void);

/* Signs in with a handle (or e-mail, or DID) and an app password on the PDS
 * set as @account's server url (com.atproto.server.createSession). DONE fills
 * @account (DID, handle, display name where known) and @credentials_out
 * (tokens and the app password, changed = TRUE); AUTH when the password was
 * refused, with a message that says where to make an app password. */
SdOutcome  sd_bluesky_sign_in (SoupSession       *session,
                               SdAccount         *account,
                               const char        *identifier,
                               const char        *app_password,
                               SdCredentials    **credentials_out,
                               GCancellable      *cancellable,
                               SdProviderStatus  *status);

G_END_DECLS
