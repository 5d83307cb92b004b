/* sd-network.h — where each OAuth network's API lives, and how its sign-in works
 *
 * One data table (PLATFORMS.md gives the sources): API origins and paths, the
 * OAuth endpoints and scopes, the API versions that drift (Meta's Graph
 * version, LinkedIn's Linkedin-Version), where developers register an app.
 * Mastodon and Bluesky are not here: their server comes from the user.
 *
 * For tests only, SOCIALDESK_<NETWORK>_URL (e.g. SOCIALDESK_X_URL=
 * http://127.0.0.1:4000) replaces every origin of that network (API, upload,
 * authorize, token) while the paths stay, so one loopback server answers all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-platform.h"

G_BEGIN_DECLS

/* The loopback port SocialDesk listens on for OAuth answers of these networks
 * (most match the registered redirect URI exactly, port included).
 * SOCIALDESK_OAUTH_PORT overrides it (0: any free port; tests use that). */
#define SD_NETWORK_REDIRECT_PORT 43117

typedef struct
{
  SdPlatform   platform;
  const char  *env_var;            /* "SOCIALDESK_X_URL" */
  const char  *api_origin;         /* "https://api.x.com" */
  const char  *api_path;           /* prefix of every API path: "/v24.0" (Graph) or "" */
  const char  *authorize_origin;
  const char  *authorize_path;
  const char  *token_origin;
  const char  *token_path;
  const char  *scopes;             /* already joined with the network's separator */
  const char  *client_id_param;    /* "client_id", or TikTok's "client_key" */
  gboolean     needs_client_secret;
  gboolean     challenge_hex;      /* TikTok desktop: hex SHA-256 instead of base64url */
  const char  *extra_authorize;    /* more query for the authorize URL, or NULL */
  const char  *register_url;       /* where a developer registers the app */
  const char  *api_version;        /* Graph "v24.0", Linkedin-Version "202610"; NULL: none */
  gint64       refresh_ahead;      /* refresh this many seconds before the token runs out */
} SdNetworkInfo;

/* NULL for Mastodon and Bluesky. */
const SdNetworkInfo *sd_network_get_info           (SdPlatform  platform);
gboolean             sd_network_uses_oauth_app     (SdPlatform  platform);

/* @path starts with "/": API origin + api_path + path. */
char                *sd_network_api_url            (SdPlatform  platform,
                                                    const char *path);
/* The API origin without api_path (YouTube's /upload/..., Graph's un-versioned paths). */
char                *sd_network_origin_url         (SdPlatform  platform,
                                                    const char *path);
char                *sd_network_authorize_endpoint (SdPlatform  platform);
char                *sd_network_token_endpoint     (SdPlatform  platform);

guint16              sd_network_redirect_port      (void);
/* "http://127.0.0.1:43117/socialdesk/oauth": what to register with each network. */
char                *sd_network_redirect_uri       (void);

G_END_DECLS
