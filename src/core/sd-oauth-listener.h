/* sd-oauth-listener.h — a one-shot loopback redirect listener (RFC 8252 §7.3)
 *
 * Listens on 127.0.0.1 only, on a port the kernel picks, for one answer of
 * the authorization server carrying the expected state. A request with a
 * wrong or missing state is refused (400) and the wait goes on. After the
 * answer (or a timeout, or a cancellation) the listener stops listening.
 *
 * The server answers on the thread-default main context of the thread that
 * creates the listener: the GUI makes it on the main thread; the CLI makes it
 * and calls sd_oauth_listener_wait() on one thread, which iterates it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-oauth.h"

G_BEGIN_DECLS

#define SD_OAUTH_LISTENER_PATH "/socialdesk/oauth"

#define SD_TYPE_OAUTH_LISTENER (sd_oauth_listener_get_type ())
G_DECLARE_FINAL_TYPE (SdOAuthListener, sd_oauth_listener, SD, OAUTH_LISTENER, GObject)

SdOAuthListener *sd_oauth_listener_new              (const char           *expected_state,
                                                     GError              **error);
/* On a fixed port, for networks that match the registered redirect URI
 * exactly (0: any free port, like sd_oauth_listener_new). */
SdOAuthListener *sd_oauth_listener_new_on_port      (const char           *expected_state,
                                                     guint16               port,
                                                     GError              **error);
/* "http://127.0.0.1:PORT/socialdesk/oauth" */
const char      *sd_oauth_listener_get_redirect_uri (SdOAuthListener      *self);
guint16          sd_oauth_listener_get_port         (SdOAuthListener      *self);

/* Completes with the authorization code; one wait per listener. */
void             sd_oauth_listener_wait_async       (SdOAuthListener      *self,
                                                     guint                 timeout_seconds,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char            *sd_oauth_listener_wait_finish      (SdOAuthListener      *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* Blocks, iterating the listener's main context (for the CLI). */
char            *sd_oauth_listener_wait             (SdOAuthListener      *self,
                                                     guint                 timeout_seconds,
                                                     GCancellable         *cancellable,
                                                     GError              **error);

G_END_DECLS
