/* sd-oauth-listener-private.h — for tests: the listener's server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sd-oauth-listener.h"

G_BEGIN_DECLS

/* NULL once the listener has stopped listening. */
SoupServer *sd_oauth_listener_get_server (SdOAuthListener *self);

G_END_DECLS
