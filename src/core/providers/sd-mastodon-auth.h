/* sd-mastodon-auth.h — signing in to a Mastodon server: app registration and the OAuth code flow
 *
 * PKCE values, the state and the loopback listener come from sd-oauth; these
 * are the Mastodon ends of the flow (docs: methods/apps.md, methods/oauth.md).
 * All are synchronous: call them from a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* POST /api/v1/apps with client_name "SocialDesk", @redirect_uri, scopes
 * "read write". DONE fills *client_id and *client_secret (free them). */
SdOutcome  sd_mastodon_register_app  (SoupSession       *session,
                                      const char        *server_url,
                                      const char        *redirect_uri,
                                      char             **client_id,
                                      char             **client_secret,
                                      GCancellable      *cancellable,
                                      SdProviderStatus  *status);

/* The page to open in the browser: /oauth/authorize with response_type=code,
 * scope read+write, the S256 @code_challenge and @state. */
char      *sd_mastodon_authorize_url (const char        *server_url,
                                      const char        *client_id,
                                      const char        *redirect_uri,
                                      const char        *code_challenge,
                                      const char        *state);

/* POST /oauth/token (grant_type=authorization_code with @code_verifier).
 * DONE sets *out to new credentials holding the access token and the app's
 * client id and secret. */
SdOutcome  sd_mastodon_exchange_code (SoupSession       *session,
                                      const char        *server_url,
                                      const char        *client_id,
                                      const char        *client_secret,
                                      const char        *redirect_uri,
                                      const char        *code,
                                      const char        *code_verifier,
                                      SdCredentials    **out,
                                      GCancellable      *cancellable,
                                      SdProviderStatus  *status);

G_END_DECLS
