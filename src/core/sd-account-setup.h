/* sd-account-setup.h — connecting an account: sign in, verify, keep the secret, save
 *
 * Synchronous (they talk to the network and the keyring): the CLI calls them
 * directly, the app from a worker thread. An account is saved only once its
 * secret is in the keyring; nothing secret ever reaches the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_ACCOUNT_SETUP_ERROR (sd_account_setup_error_quark ())

/**
 * SdAccountSetupError:
 * @SD_ACCOUNT_SETUP_ERROR_REFUSED: the network refused the sign-in (wrong password, denied)
 * @SD_ACCOUNT_SETUP_ERROR_NETWORK: the server could not be reached or answered nonsense
 * @SD_ACCOUNT_SETUP_ERROR_NO_APP: no developer app (client id) is set for the network
 */
typedef enum
{
  SD_ACCOUNT_SETUP_ERROR_REFUSED,
  SD_ACCOUNT_SETUP_ERROR_NETWORK,
  SD_ACCOUNT_SETUP_ERROR_NO_APP,
} SdAccountSetupError;

GQuark     sd_account_setup_error_quark (void);

/* Bluesky: a handle (or email) and an app password, on bsky.social or any PDS. */
SdAccount *sd_account_setup_bluesky (SdStore       *store,
                                     const char    *service_url,
                                     const char    *identifier,
                                     const char    *app_password,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* Mastodon: OAuth 2.0 with PKCE in the browser, the code coming back to a
 * one-shot listener on 127.0.0.1. Create, read the authorize URL (open it in
 * the browser), then finish (waits for the redirect, then verifies and saves).
 * Both calls must come from the same thread. */
typedef struct _SdMastodonSignIn SdMastodonSignIn;

SdMastodonSignIn *sd_mastodon_sign_in_new      (const char        *instance,
                                                GCancellable      *cancellable,
                                                GError           **error);
const char       *sd_mastodon_sign_in_get_authorize_url (SdMastodonSignIn *self);
const char       *sd_mastodon_sign_in_get_server_url    (SdMastodonSignIn *self);
SdAccount        *sd_mastodon_sign_in_finish   (SdMastodonSignIn  *self,
                                                SdStore           *store,
                                                guint              timeout_seconds,
                                                GCancellable      *cancellable,
                                                GError           **error);
void              sd_mastodon_sign_in_free     (SdMastodonSignIn  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMastodonSignIn, sd_mastodon_sign_in_free)

/* X, Facebook Pages, Instagram, LinkedIn, Threads, YouTube, TikTok: OAuth 2.0
 * with PKCE through the developer app the person registered (Preferences →
 * Developer Apps; its client id in the store, its secret in the keyring), the
 * answer coming back to 127.0.0.1:SD_NETWORK_REDIRECT_PORT. Create, open the
 * authorize URL in the browser, finish (waits, exchanges the code, lists the
 * accounts the sign-in reaches: the X user, each Facebook Page, each YouTube
 * channel), then save the one the person chose. All calls from one thread. */
typedef struct _SdOAuthSignIn SdOAuthSignIn;

SdOAuthSignIn    *sd_oauth_sign_in_new          (SdStore          *store,
                                                 SdPlatform        platform,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
SdPlatform        sd_oauth_sign_in_get_platform (SdOAuthSignIn    *self);
const char       *sd_oauth_sign_in_get_authorize_url (SdOAuthSignIn *self);
/* Returns (transfer none) the SdSignInIdentity choices, at least one. */
GPtrArray        *sd_oauth_sign_in_finish       (SdOAuthSignIn    *self,
                                                 guint             timeout_seconds,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
/* Keeps choice @index's secret in the keyring, then saves its account (an
 * account signed in again keeps its id). */
SdAccount        *sd_oauth_sign_in_save         (SdOAuthSignIn    *self,
                                                 SdStore          *store,
                                                 guint             index,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
void              sd_oauth_sign_in_free         (SdOAuthSignIn    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdOAuthSignIn, sd_oauth_sign_in_free)

/* Signs out: the keyring's items go first, then the account (its waiting posts are cancelled). */
gboolean   sd_account_remove        (SdStore       *store,
                                     const char    *account_id,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
