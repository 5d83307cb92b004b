/* sd-oauth2.h — the OAuth 2.0 ends the networks of sd-network share
 *
 * Authorization code with PKCE (S256, or TikTok's hex), the code exchange and
 * the refresh_token grant, against the endpoints of sd-network's table.
 * Token answers are read the same way everywhere: access_token,
 * refresh_token, expires_in, refresh_expires_in / refresh_token_expires_in.
 * Synchronous: call from a worker thread or the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* The page to open in the browser: response_type=code, the network's
 * scopes, @state and the code challenge made from @code_verifier. */
char      *sd_oauth2_authorize_url  (SdPlatform         platform,
                                     const char        *client_id,
                                     const char        *redirect_uri,
                                     const char        *code_verifier,
                                     const char        *state);

/* POST the token endpoint with grant_type=authorization_code. DONE sets *out
 * to new credentials (the tokens, their expiry, and @client_id/@client_secret
 * kept for refreshing). A refusal quotes the network's error_description. */
SdOutcome  sd_oauth2_exchange_code  (SoupSession       *session,
                                     SdPlatform         platform,
                                     const char        *client_id,
                                     const char        *client_secret,
                                     const char        *redirect_uri,
                                     const char        *code,
                                     const char        *code_verifier,
                                     SdCredentials    **out,
                                     GCancellable      *cancellable,
                                     SdProviderStatus  *status);

/* grant_type=refresh_token with the credentials' own refresh token and
 * client: DONE updates them in place (a rotated refresh token replaces the
 * old) and sets ->changed. AUTH when there is no refresh token or the network
 * refuses it (invalid_grant): the person must sign in again. */
SdOutcome  sd_oauth2_refresh        (SoupSession       *session,
                                     SdPlatform         platform,
                                     SdCredentials     *credentials,
                                     GCancellable      *cancellable,
                                     SdProviderStatus  *status);

/* Reads a token answer into @credentials (only the members present). */
void       sd_oauth2_read_tokens    (JsonObject        *answer,
                                     SdCredentials     *credentials);

/* A token endpoint's error body in words: error_description, error, or
 * Meta's {"error": {"message": ...}}; NULL when there is none. */
char      *sd_oauth2_error_message  (JsonNode          *answer);

G_END_DECLS
