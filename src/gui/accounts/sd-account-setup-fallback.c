/* sd-account-setup-fallback.c — stands in for core's account setup until it lands
 *
 * Built only while src/core/sd-account-setup.c does not exist (see
 * src/gui/meson.build): signing in says it is not available yet; removing an
 * account removes it from the store (there is no keyring code to clear yet).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-account-setup"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-account-setup.h"

G_DEFINE_QUARK (sd-account-setup-error-quark, sd_account_setup_error)

struct _SdMastodonSignIn
{
  char *unused;
};

static void
set_unavailable (GError **error)
{
  g_set_error_literal (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_NETWORK,
                       _("Signing in is not available in this build of SocialDesk yet."));
}

SdAccount *
sd_account_setup_bluesky (SdStore       *store,
                          const char    *service_url,
                          const char    *identifier,
                          const char    *app_password,
                          GCancellable  *cancellable,
                          GError       **error)
{
  set_unavailable (error);
  return NULL;
}

SdMastodonSignIn *
sd_mastodon_sign_in_new (const char    *instance,
                         GCancellable  *cancellable,
                         GError       **error)
{
  set_unavailable (error);
  return NULL;
}

const char *
sd_mastodon_sign_in_get_authorize_url (SdMastodonSignIn *self)
{
  return NULL;
}

const char *
sd_mastodon_sign_in_get_server_url (SdMastodonSignIn *self)
{
  return NULL;
}

SdAccount *
sd_mastodon_sign_in_finish (SdMastodonSignIn  *self,
                            SdStore           *store,
                            guint              timeout_seconds,
                            GCancellable      *cancellable,
                            GError           **error)
{
  set_unavailable (error);
  return NULL;
}

void
sd_mastodon_sign_in_free (SdMastodonSignIn *self)
{
  g_free (self);
}

gboolean
sd_account_remove (SdStore       *store,
                   const char    *account_id,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return sd_store_remove_account (store, account_id, error);
}
