/* sd-account-setup.c — connecting an account: sign in, verify, keep the secret, save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-accounts"

#include "config.h"

#include "sd-account-setup.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-bluesky.h"
#include "sd-http.h"
#include "sd-mastodon-auth.h"
#include "sd-mastodon.h"
#include "sd-network.h"
#include "sd-oauth-listener.h"
#include "sd-oauth.h"
#include "sd-oauth2.h"
#include "sd-secrets.h"

G_DEFINE_QUARK (sd-account-setup-error-quark, sd_account_setup_error)

/* A provider's status becomes an error that says what to do. */
static gboolean
status_to_error (SdProviderStatus  *status,
                 GError           **error)
{
  if (status->outcome == SD_OUTCOME_DONE)
    return TRUE;

  g_set_error_literal (error, SD_ACCOUNT_SETUP_ERROR,
                       status->outcome == SD_OUTCOME_AUTH || status->outcome == SD_OUTCOME_FAILED
                         ? SD_ACCOUNT_SETUP_ERROR_REFUSED : SD_ACCOUNT_SETUP_ERROR_NETWORK,
                       status->message != NULL ? status->message : _("The server did not answer as expected."));
  return FALSE;
}

/* Reads the profile and limits, then keeps the secret and only then the account. */
static SdAccount *
verify_and_save (SdStore        *store,
                 SdAccount      *account,
                 SdCredentials  *credentials,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(SdProvider) provider = sd_provider_new_for_platform (sd_account_get_platform (account));
  SdPublishContext ctx = { account, credentials, sd_http_get_session () };
  SdProviderStatus status = { 0 };
  g_autoptr(SdAccount) existing = NULL;
  gboolean ok;

  sd_provider_verify_account (provider, &ctx, cancellable, &status);
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  if (!ok)
    return NULL;

  /* Signed in again: the account keeps its id, so its posts and keyring item follow. */
  existing = sd_store_find_account (store, sd_account_get_handle (account), NULL);
  if (existing != NULL && sd_account_get_platform (existing) == sd_account_get_platform (account)
      && g_strcmp0 (sd_account_get_remote_id (existing), sd_account_get_remote_id (account)) == 0)
    sd_account_set_id (account, sd_account_get_id (existing));

  sd_account_set_state (account, SD_ACCOUNT_STATE_CONNECTED);
  sd_account_set_token_expires_at (account, credentials->expires_at);
  credentials->changed = FALSE;
  if (!sd_secrets_store (account, credentials, cancellable, error)
      || !sd_store_save_account (store, account, error))
    return NULL;

  return g_object_ref (account);
}

SdAccount *
sd_account_setup_bluesky (SdStore       *store,
                          const char    *service_url,
                          const char    *identifier,
                          const char    *app_password,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_BLUESKY);
  g_autoptr(SdCredentials) credentials = NULL;
  g_autofree char *server = NULL;
  SdProviderStatus status = { 0 };
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (!(server = sd_http_normalize_server (service_url, error)))
    return NULL;
  sd_account_set_server_url (account, server);

  sd_bluesky_sign_in (sd_http_get_session (), account, identifier, app_password, &credentials,
                      cancellable, &status);
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  if (!ok)
    return NULL;

  return verify_and_save (store, account, credentials, cancellable, error);
}

/* Mastodon */

struct _SdMastodonSignIn
{
  char            *server_url;
  char            *client_id;
  char            *client_secret;
  char            *verifier;
  char            *state;
  char            *authorize_url;
  GMainContext    *context;
  SdOAuthListener *listener;
};

void
sd_mastodon_sign_in_free (SdMastodonSignIn *self)
{
  if (self == NULL)
    return;
  g_free (self->server_url);
  g_free (self->client_id);
  if (self->client_secret != NULL)
    explicit_bzero (self->client_secret, strlen (self->client_secret));
  g_free (self->client_secret);
  g_free (self->verifier);
  g_free (self->state);
  g_free (self->authorize_url);
  g_clear_object (&self->listener);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}

/* The app is registered once per instance and kept; registered again only
 * when the keyring lost its secret. */
static gboolean
ensure_client (SdMastodonSignIn  *self,
               GCancellable      *cancellable,
               GError           **error)
{
  const char *redirect_uri = sd_oauth_listener_get_redirect_uri (self->listener);
  SdProviderStatus status = { 0 };
  g_autoptr(GError) lookup_error = NULL;
  gboolean ok;

  if (sd_secrets_lookup_client (self->server_url, &self->client_id, &self->client_secret, cancellable,
                                &lookup_error))
    return TRUE;
  if (lookup_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&lookup_error));
      return FALSE;
    }

  sd_mastodon_register_app (sd_http_get_session (), self->server_url, redirect_uri,
                            &self->client_id, &self->client_secret, cancellable, &status);
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  return ok && sd_secrets_store_client (self->server_url, self->client_id, self->client_secret,
                                        cancellable, error);
}

SdMastodonSignIn *
sd_mastodon_sign_in_new (const char    *instance,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(SdMastodonSignIn) self = g_new0 (SdMastodonSignIn, 1);
  g_autofree char *challenge = NULL;

  if (!(self->server_url = sd_http_normalize_server (instance, error)))
    return NULL;

  /* The listener answers on a context of its own, so this works from any thread. */
  self->context = g_main_context_new ();
  self->state = sd_oauth_new_state ();
  self->verifier = sd_oauth_new_code_verifier ();
  g_main_context_push_thread_default (self->context);
  self->listener = sd_oauth_listener_new (self->state, error);
  g_main_context_pop_thread_default (self->context);
  if (self->listener == NULL || !ensure_client (self, cancellable, error))
    return NULL;

  challenge = sd_oauth_code_challenge_s256 (self->verifier);
  self->authorize_url = sd_mastodon_authorize_url (self->server_url, self->client_id,
                                                   sd_oauth_listener_get_redirect_uri (self->listener),
                                                   challenge, self->state);
  return g_steal_pointer (&self);
}

const char *
sd_mastodon_sign_in_get_authorize_url (SdMastodonSignIn *self)
{
  return self->authorize_url;
}

const char *
sd_mastodon_sign_in_get_server_url (SdMastodonSignIn *self)
{
  return self->server_url;
}

SdAccount *
sd_mastodon_sign_in_finish (SdMastodonSignIn  *self,
                            SdStore           *store,
                            guint              timeout_seconds,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_MASTODON);
  g_autoptr(SdCredentials) credentials = NULL;
  g_autofree char *code = NULL;
  SdProviderStatus status = { 0 };
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (!(code = sd_oauth_listener_wait (self->listener, timeout_seconds, cancellable, error)))
    return NULL;

  sd_mastodon_exchange_code (sd_http_get_session (), self->server_url, self->client_id, self->client_secret,
                             sd_oauth_listener_get_redirect_uri (self->listener), code, self->verifier,
                             &credentials, cancellable, &status);
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  if (!ok)
    return NULL;

  /* The app's id and secret stay with the account's tokens: they revoke them. */
  g_free (credentials->client_id);
  credentials->client_id = g_strdup (self->client_id);
  g_free (credentials->client_secret);
  credentials->client_secret = g_strdup (self->client_secret);

  sd_account_set_server_url (account, self->server_url);
  return verify_and_save (store, account, credentials, cancellable, error);
}

/* The OAuth networks of sd-network */

struct _SdOAuthSignIn
{
  SdPlatform       platform;
  char            *client_id;
  char            *client_secret;
  char            *verifier;
  char            *state;
  char            *authorize_url;
  GMainContext    *context;
  SdOAuthListener *listener;
  GPtrArray       *identities;    /* SdSignInIdentity, after finish */
};

void
sd_oauth_sign_in_free (SdOAuthSignIn *self)
{
  if (self == NULL)
    return;
  g_free (self->client_id);
  if (self->client_secret != NULL)
    explicit_bzero (self->client_secret, strlen (self->client_secret));
  g_free (self->client_secret);
  g_free (self->verifier);
  g_free (self->state);
  g_free (self->authorize_url);
  g_clear_object (&self->listener);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_free (self);
}

/* The person's developer app: its id from the store, its secret from the keyring. */
static gboolean
read_network_app (SdOAuthSignIn  *self,
                  SdStore        *store,
                  GCancellable   *cancellable,
                  GError        **error)
{
  const SdNetworkInfo *info = sd_network_get_info (self->platform);
  const char *name = sd_platform_get_info (self->platform)->display_name;
  g_autoptr(GError) local_error = NULL;

  if (!(self->client_id = sd_store_dup_network_app (store, self->platform, &local_error)))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_NO_APP,
                   /* Translators: %s is a network (X, TikTok…). */
                   _("%s needs a developer app before you can sign in: register one at the "
                     "network’s developer site and enter its client ID in Preferences → "
                     "Developer Apps."), name);
      return FALSE;
    }

  self->client_secret = sd_secrets_lookup_network_app (self->platform, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (info->needs_client_secret && self->client_secret == NULL)
    {
      g_set_error (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_NO_APP,
                   /* Translators: %s is a network (Facebook, LinkedIn…). */
                   _("%s needs the client secret of your developer app too: enter it in "
                     "Preferences → Developer Apps."), name);
      return FALSE;
    }
  return TRUE;
}

SdOAuthSignIn *
sd_oauth_sign_in_new (SdStore       *store,
                      SdPlatform     platform,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SdOAuthSignIn) self = g_new0 (SdOAuthSignIn, 1);

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (sd_network_uses_oauth_app (platform), NULL);

  self->platform = platform;
  if (!read_network_app (self, store, cancellable, error))
    return NULL;

  self->context = g_main_context_new ();
  self->state = sd_oauth_new_state ();
  self->verifier = sd_oauth_new_code_verifier ();
  g_main_context_push_thread_default (self->context);
  self->listener = sd_oauth_listener_new_on_port (self->state, sd_network_redirect_port (), error);
  g_main_context_pop_thread_default (self->context);
  if (self->listener == NULL)
    return NULL;

  self->authorize_url = sd_oauth2_authorize_url (platform, self->client_id,
                                                 sd_oauth_listener_get_redirect_uri (self->listener),
                                                 self->verifier, self->state);
  return g_steal_pointer (&self);
}

SdPlatform
sd_oauth_sign_in_get_platform (SdOAuthSignIn *self)
{
  return self->platform;
}

const char *
sd_oauth_sign_in_get_authorize_url (SdOAuthSignIn *self)
{
  return self->authorize_url;
}

GPtrArray *
sd_oauth_sign_in_finish (SdOAuthSignIn  *self,
                         guint           timeout_seconds,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(SdProvider) provider = sd_provider_new_for_platform (self->platform);
  g_autoptr(SdAccount) blank = sd_account_new (self->platform);
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GPtrArray) identities = NULL;
  g_autofree char *code = NULL;
  SdProviderStatus status = { 0 };
  gboolean ok;

  g_return_val_if_fail (self->identities == NULL, NULL);

  if (provider == NULL)
    {
      g_set_error (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_REFUSED,
                   /* Translators: %s is a network. */
                   _("SocialDesk cannot publish to %s yet."),
                   sd_platform_get_info (self->platform)->display_name);
      return NULL;
    }
  if (!(code = sd_oauth_listener_wait (self->listener, timeout_seconds, cancellable, error)))
    return NULL;

  sd_oauth2_exchange_code (sd_http_get_session (), self->platform, self->client_id, self->client_secret,
                           sd_oauth_listener_get_redirect_uri (self->listener), code, self->verifier,
                           &credentials, cancellable, &status);
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  if (!ok)
    return NULL;

  identities = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sign_in_identity_free);
  {
    SdPublishContext ctx = { blank, credentials, sd_http_get_session () };

    sd_provider_list_identities (provider, &ctx, identities, cancellable, &status);
  }
  ok = status_to_error (&status, error);
  sd_provider_status_clear (&status);
  if (!ok)
    return NULL;
  if (identities->len == 0)
    {
      g_set_error (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_REFUSED,
                   /* Translators: %s is a network. For Facebook: no Page the person manages. */
                   _("The sign-in to %s worked, but it gives access to no account SocialDesk can "
                     "publish as (for Facebook: no Page you manage was chosen)."),
                   sd_platform_get_info (self->platform)->display_name);
      return NULL;
    }

  self->identities = g_steal_pointer (&identities);
  return self->identities;
}

SdAccount *
sd_oauth_sign_in_save (SdOAuthSignIn  *self,
                       SdStore        *store,
                       guint           index,
                       GCancellable   *cancellable,
                       GError        **error)
{
  SdSignInIdentity *identity;
  g_autoptr(SdAccount) existing = NULL;
  SdAccount *account;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (self->identities != NULL && index < self->identities->len, NULL);

  identity = self->identities->pdata[index];
  account = identity->account;

  /* Signed in again: the account keeps its id, so its posts and keyring item follow. */
  existing = sd_store_find_account (store, sd_account_get_handle (account), NULL);
  if (existing != NULL && sd_account_get_platform (existing) == sd_account_get_platform (account)
      && g_strcmp0 (sd_account_get_remote_id (existing), sd_account_get_remote_id (account)) == 0)
    sd_account_set_id (account, sd_account_get_id (existing));

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  sd_account_set_state (account, SD_ACCOUNT_STATE_CONNECTED);
  identity->credentials->changed = FALSE;
  if (!sd_secrets_store (account, identity->credentials, cancellable, error)
      || !sd_store_save_account (store, account, error))
    return NULL;

  return g_object_ref (account);
}

/* Posts waiting on the network's own scheduler would still go out after the
 * account is gone from SocialDesk: they are cancelled there first. */
static gboolean
cancel_server_held (SdStore       *store,
                    SdAccount     *account,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) jobs = sd_store_list_account_server_jobs (store, sd_account_get_id (account), error);
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(SdProvider) provider = NULL;
  guint left = 0;
  g_autofree char *last_message = NULL;

  if (jobs == NULL)
    return FALSE;
  if (jobs->len == 0)
    return TRUE;
  /* Without a sign-in nothing can be cancelled: the network keeps them. */
  if (!(credentials = sd_secrets_lookup (account, cancellable, NULL))
      || !(provider = sd_provider_new_for_platform (sd_account_get_platform (account))))
    return TRUE;

  for (guint i = 0; i < jobs->len; i++)
    {
      SdOutboxJob *job = jobs->pdata[i];
      SdPublishContext ctx = { account, credentials, sd_http_get_session () };
      SdProviderStatus status = { 0 };
      SdOutcome outcome = sd_provider_unschedule (provider, &ctx, job->server_id, cancellable, &status);

      if (outcome != SD_OUTCOME_DONE && outcome != SD_OUTCOME_AUTH)
        {
          left++;
          g_free (last_message);
          last_message = g_strdup (status.message);
        }
      sd_provider_status_clear (&status);
    }

  if (left > 0)
    {
      g_autofree char *label = sd_account_dup_label (account);

      g_set_error (error, SD_ACCOUNT_SETUP_ERROR, SD_ACCOUNT_SETUP_ERROR_NETWORK,
                   ngettext ("%s still has %u post on %s’s own scheduler that could not be cancelled (%s). "
                             "Try again when online; removed now, it would still be published.",
                             "%s still has %u posts on %s’s own scheduler that could not be cancelled (%s). "
                             "Try again when online; removed now, they would still be published.", left),
                   label, left, sd_platform_get_info (sd_account_get_platform (account))->display_name,
                   last_message != NULL ? last_message : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_account_remove (SdStore       *store,
                   const char    *account_id,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(SdAccount) account = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (!(account = sd_store_find_account (store, account_id, error))
      || !cancel_server_held (store, account, cancellable, error))
    return FALSE;

  /* The secret first: an account row without one can be removed again; a
   * secret without its account could never be found to be deleted. */
  return sd_secrets_clear (account_id, cancellable, error)
         && sd_store_remove_account (store, account_id, error);
}
