/* sd-account.h — one connected account on one network
 *
 * An account row holds nothing secret: its tokens and passwords live in the
 * keyring (sd-secrets), found by the account's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-platform.h"

G_BEGIN_DECLS

typedef enum
{
  SD_ACCOUNT_STATE_CONNECTED,
  SD_ACCOUNT_STATE_NEEDS_SIGN_IN,
  SD_ACCOUNT_STATE_OFFLINE,
} SdAccountState;

#define SD_TYPE_ACCOUNT_STATE (sd_account_state_get_type ())
GType sd_account_state_get_type (void) G_GNUC_CONST;

const char *sd_account_state_to_string   (SdAccountState  state);
gboolean    sd_account_state_from_string (const char     *text,
                                          SdAccountState *state);

#define SD_TYPE_ACCOUNT (sd_account_get_type ())
G_DECLARE_FINAL_TYPE (SdAccount, sd_account, SD, ACCOUNT, GObject)

SdAccount      *sd_account_new                 (SdPlatform      platform);
SdAccount      *sd_account_copy                (SdAccount      *self);
const char     *sd_account_get_id              (SdAccount      *self);
SdPlatform      sd_account_get_platform        (SdAccount      *self);
/* The instance or PDS, without a trailing slash ("https://mastodon.social"). */
const char     *sd_account_get_server_url      (SdAccount      *self);
void            sd_account_set_server_url      (SdAccount      *self,
                                                const char     *server_url);
/* The network's own id for the account (Mastodon account id, Bluesky DID). */
const char     *sd_account_get_remote_id       (SdAccount      *self);
void            sd_account_set_remote_id       (SdAccount      *self,
                                                const char     *remote_id);
/* Without "@": "alice.bsky.social", "alice@mastodon.social". */
const char     *sd_account_get_handle          (SdAccount      *self);
void            sd_account_set_handle          (SdAccount      *self,
                                                const char     *handle);
const char     *sd_account_get_display_name    (SdAccount      *self);
void            sd_account_set_display_name    (SdAccount      *self,
                                                const char     *display_name);
const char     *sd_account_get_avatar_url      (SdAccount      *self);
void            sd_account_set_avatar_url      (SdAccount      *self,
                                                const char     *avatar_url);
SdAccountState  sd_account_get_state           (SdAccount      *self);
void            sd_account_set_state           (SdAccount      *self,
                                                SdAccountState  state);
/* UTC unix seconds when the sign-in runs out, 0 when it does not. */
gint64          sd_account_get_token_expires_at (SdAccount     *self);
void            sd_account_set_token_expires_at (SdAccount     *self,
                                                gint64          expires_at);
/* What the server says about its limits, as JSON ({"max_characters": 500, ...}). */
const char     *sd_account_get_limits_json     (SdAccount      *self);
void            sd_account_set_limits_json     (SdAccount      *self,
                                                const char     *limits_json);
gint64          sd_account_get_limit           (SdAccount      *self,
                                                const char     *name,
                                                gint64          fallback);
gint64          sd_account_get_created_at      (SdAccount      *self);
void            sd_account_set_created_at      (SdAccount      *self,
                                                gint64          created_at);
/* "@alice@mastodon.social" or "@alice.bsky.social", for lists and the CLI. */
char           *sd_account_dup_label           (SdAccount      *self);

/* For the store only: an account read back keeps its id. */
void            sd_account_set_id              (SdAccount      *self,
                                                const char     *id);

G_END_DECLS
