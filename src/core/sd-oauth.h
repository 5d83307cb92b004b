/* sd-oauth.h — OAuth for a native app (RFC 8252): PKCE, state, the system browser
 *
 * The sign-in runs in the person's own browser, never in a web view: the app
 * makes a PKCE verifier (RFC 7636, S256) and a state, opens the authorization
 * URL with sd_oauth_open_browser(), and an SdOAuthListener on
 * http://127.0.0.1:PORT/ receives the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_OAUTH_ERROR (sd_oauth_error_quark ())

/**
 * SdOAuthError:
 * @SD_OAUTH_ERROR_LISTEN: no loopback port could be opened for the answer
 * @SD_OAUTH_ERROR_DENIED: the person did not allow SocialDesk (error=access_denied)
 * @SD_OAUTH_ERROR_SERVER: the server answered with another error, or without a code
 * @SD_OAUTH_ERROR_TIMEOUT: no answer came back in time
 * @SD_OAUTH_ERROR_CLOSED: the listener already answered once (it is one-shot)
 * @SD_OAUTH_ERROR_BROWSER: no web browser could be opened
 */
typedef enum
{
  SD_OAUTH_ERROR_LISTEN,
  SD_OAUTH_ERROR_DENIED,
  SD_OAUTH_ERROR_SERVER,
  SD_OAUTH_ERROR_TIMEOUT,
  SD_OAUTH_ERROR_CLOSED,
  SD_OAUTH_ERROR_BROWSER,
} SdOAuthError;

GQuark    sd_oauth_error_quark          (void);

/* 64 characters of [A-Za-z0-9-_] from the kernel's CSPRNG (getrandom). */
char     *sd_oauth_new_code_verifier    (void);
/* BASE64URL(SHA256(verifier)) without padding (RFC 7636 §4.2, S256). */
char     *sd_oauth_code_challenge_s256  (const char  *verifier);
/* 43 characters of [A-Za-z0-9-_] (256 random bits) for the state parameter. */
char     *sd_oauth_new_state            (void);

gboolean  sd_oauth_open_browser         (const char  *uri,
                                         GError     **error);

G_END_DECLS
