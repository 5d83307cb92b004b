/* sd-sync-private.h — what the outbox and the inbox passes share: an account's sign-in, ready to use
 *
 * One SdSignIns lives for one pass. It reads each account's keyring item
 * once, renews a token that is about to run out, writes back whatever a
 * provider renewed, and marks an account NEEDS_SIGN_IN when the network (or
 * the keyring) says the person must sign in again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-provider.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef struct _SdSignIns SdSignIns;

SdSignIns     *sd_sign_ins_new             (SdStore          *store,
                                            GCancellable     *cancellable);
void           sd_sign_ins_free            (SdSignIns        *self);

/* The keyring's item for @account, read once per SdSignIns (owned by it). */
SdCredentials *sd_sign_ins_lookup          (SdSignIns        *self,
                                            SdAccount        *account,
                                            GError          **error);

/* Makes @ctx (its account set) ready to call the network: credentials from
 * the keyring, renewed first when they run out soon. @outcome:
 *   DONE       ctx->credentials is set (a renewal that could not be tried now
 *              leaves the old token, which may still do);
 *   AUTH       nothing usable in the keyring, or the network refused the
 *              renewal: the account is now NEEDS_SIGN_IN; status->message says why;
 *   RETRY      the keyring is locked or missing: nothing can be sent now;
 *              status->message says why.
 * FALSE (with @error) only when the store could not be written. */
gboolean       sd_sign_ins_prepare         (SdSignIns        *self,
                                            SdProvider       *provider,
                                            SdPublishContext *ctx,
                                            SdOutcome        *outcome,
                                            SdProviderStatus *status,
                                            GError          **error);

/* Renews ctx->credentials now (after a refusal) and keeps what the network
 * gave. AUTH: refused, the person must sign in again; RETRY: not now. */
SdOutcome      sd_sign_ins_renew           (SdSignIns        *self,
                                            SdProvider       *provider,
                                            SdPublishContext *ctx,
                                            SdProviderStatus *status);

/* Writes credentials a provider renewed (->changed) back to the keyring. */
void           sd_sign_ins_save_changed    (SdSignIns        *self,
                                            SdAccount        *account,
                                            SdCredentials    *credentials);

/* Whether ctx->credentials' access token runs out within its network's margin. */
gboolean       sd_sign_ins_renewal_due     (const SdPublishContext *ctx);

/* The account must be signed in again (its state is kept in the store). */
gboolean       sd_sign_ins_needs_sign_in   (SdSignIns        *self,
                                            SdAccount        *account,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSignIns, sd_sign_ins_free)

G_END_DECLS
