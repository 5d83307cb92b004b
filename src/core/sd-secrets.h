/* sd-secrets.h — tokens and passwords, in the system keyring only
 *
 * One keyring item per account (schema com.example.SocialDesk.Token,
 * attributes account-id and kind = "account"), its secret the JSON of an
 * SdCredentials; one per Mastodon instance for the app registered there
 * (kind = "client", server = URL). Attributes are never secret. There is no
 * fallback to a file: when the keyring is missing or refuses, the error says
 * which account and what to do. Synchronous: call from a worker thread or the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-account.h"
#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_SECRETS_ERROR (sd_secrets_error_quark ())

/**
 * SdSecretsError:
 * @SD_SECRETS_ERROR_UNAVAILABLE: no keyring service answers (none installed or running)
 * @SD_SECRETS_ERROR_LOCKED: the keyring stayed locked (the unlock prompt was dismissed)
 * @SD_SECRETS_ERROR_REFUSED: the keyring refused to store or read the item
 * @SD_SECRETS_ERROR_NOT_FOUND: the keyring has nothing for this account
 * @SD_SECRETS_ERROR_CORRUPT: the item is there but is not SocialDesk's JSON
 */
typedef enum
{
  SD_SECRETS_ERROR_UNAVAILABLE,
  SD_SECRETS_ERROR_LOCKED,
  SD_SECRETS_ERROR_REFUSED,
  SD_SECRETS_ERROR_NOT_FOUND,
  SD_SECRETS_ERROR_CORRUPT,
} SdSecretsError;

GQuark         sd_secrets_error_quark   (void);

gboolean       sd_secrets_store         (SdAccount            *account,
                                         const SdCredentials  *credentials,
                                         GCancellable         *cancellable,
                                         GError              **error);
SdCredentials *sd_secrets_lookup        (SdAccount            *account,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* TRUE also when there was nothing to clear. */
gboolean       sd_secrets_clear         (const char           *account_id,
                                         GCancellable         *cancellable,
                                         GError              **error);

/* The app SocialDesk registered on a Mastodon instance (kept per instance). */
gboolean       sd_secrets_store_client  (const char           *server_url,
                                         const char           *client_id,
                                         const char           *client_secret,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* FALSE without an error when none is kept for that instance. */
gboolean       sd_secrets_lookup_client (const char           *server_url,
                                         char                **client_id,
                                         char                **client_secret,
                                         GCancellable         *cancellable,
                                         GError              **error);

/* The client secret of the developer app the person registered with a
 * network (Preferences → Developer Apps); kind = "network-app", attribute
 * platform = the platform's id. Lookup: NULL without an error when none. */
gboolean       sd_secrets_store_network_app  (SdPlatform     platform,
                                              const char    *client_secret,
                                              GCancellable  *cancellable,
                                              GError       **error);
char          *sd_secrets_lookup_network_app (SdPlatform     platform,
                                              GCancellable  *cancellable,
                                              GError       **error);
gboolean       sd_secrets_clear_network_app  (SdPlatform     platform,
                                              GCancellable  *cancellable,
                                              GError       **error);

G_END_DECLS
