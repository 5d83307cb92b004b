/* sd-sync-sign-ins.c — an account's sign-in, ready to use, for the outbox and the inbox passes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-sync"

#include "config.h"

#include "sd-sync-private.h"

#include "sd-http.h"
#include "sd-network.h"
#include "sd-secrets.h"
#include "sd-time.h"

/* Access tokens are renewed this long before they run out when no table says otherwise. */
#define REFRESH_AHEAD_SECONDS 300

struct _SdSignIns
{
  SdStore      *store;
  GCancellable *cancellable;
  GHashTable   *credentials;   /* account id → SdCredentials */
};

SdSignIns *
sd_sign_ins_new (SdStore      *store,
                 GCancellable *cancellable)
{
  SdSignIns *self = g_new0 (SdSignIns, 1);

  self->store = g_object_ref (store);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) sd_credentials_free);
  return self;
}

void
sd_sign_ins_free (SdSignIns *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->credentials, g_hash_table_unref);
  g_free (self);
}

/* A keyring that is locked or missing never drops the account: its work waits. */
SdCredentials *
sd_sign_ins_lookup (SdSignIns  *self,
                    SdAccount  *account,
                    GError    **error)
{
  SdCredentials *credentials = g_hash_table_lookup (self->credentials, sd_account_get_id (account));

  if (credentials != NULL)
    return credentials;
  if (!(credentials = sd_secrets_lookup (account, self->cancellable, error)))
    return NULL;
  g_hash_table_insert (self->credentials, g_strdup (sd_account_get_id (account)), credentials);
  return credentials;
}

/* When the person must sign in again: a refresh token's end, or (without
 * one) the access token's; 0 when never. For the OAuth networks only
 * (Bluesky and Mastodon keep what their sign-in set). */
static gint64
sign_in_expires_at (SdCredentials *credentials)
{
  if (credentials->refresh_expires_at != 0)
    return credentials->refresh_expires_at;
  return credentials->refresh_token != NULL ? 0 : credentials->expires_at;
}

void
sd_sign_ins_save_changed (SdSignIns     *self,
                          SdAccount     *account,
                          SdCredentials *credentials)
{
  g_autoptr(GError) error = NULL;

  if (credentials == NULL || !credentials->changed)
    return;
  credentials->changed = FALSE;
  if (!sd_secrets_store (account, credentials, self->cancellable, &error))
    {
      g_warning ("Could not keep the renewed sign-in of %s: %s", sd_account_get_handle (account), error->message);
      return;
    }
  if (sd_network_uses_oauth_app (sd_account_get_platform (account))
      && !sd_store_set_account_token_expires_at (self->store, sd_account_get_id (account),
                                                 sign_in_expires_at (credentials), &error))
    g_warning ("Could not note when %s must sign in again: %s", sd_account_get_handle (account), error->message);
}

gboolean
sd_sign_ins_renewal_due (const SdPublishContext *ctx)
{
  const SdNetworkInfo *info = sd_network_get_info (sd_account_get_platform (ctx->account));
  gint64 margin = info != NULL ? MAX (info->refresh_ahead, REFRESH_AHEAD_SECONDS) : REFRESH_AHEAD_SECONDS;

  return ctx->credentials->expires_at != 0 && ctx->credentials->expires_at <= sd_time_now () + margin;
}

/* The outbox and the inbox run their passes in threads of their own: two
 * renewals at once would spend a rotating refresh token twice (the second
 * refused: "sign in again"). Renewals take turns, and one that finds a
 * token in the keyring other than the one it set out to renew takes that. */
static GMutex renew_lock;

static gboolean
take_renewed_elsewhere (SdSignIns        *self,
                        SdPublishContext *ctx)
{
  g_autoptr(SdCredentials) stored = sd_secrets_lookup (ctx->account, self->cancellable, NULL);
  SdCredentials swap;

  if (stored == NULL || stored->access_token == NULL
      || g_strcmp0 (stored->access_token, ctx->credentials->access_token) == 0)
    return FALSE;
  /* Swapped in place: other contexts of this pass share the pointer. */
  swap = *ctx->credentials;
  *ctx->credentials = *stored;
  *stored = swap;
  return TRUE;
}

SdOutcome
sd_sign_ins_renew (SdSignIns        *self,
                   SdProvider       *provider,
                   SdPublishContext *ctx,
                   SdProviderStatus *status)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&renew_lock);
  SdOutcome outcome;

  if (take_renewed_elsewhere (self, ctx))
    {
      g_debug ("The sign-in of %s was renewed meanwhile", sd_account_get_handle (ctx->account));
      return sd_provider_status_set (status, SD_OUTCOME_DONE, NULL);
    }
  outcome = sd_provider_refresh_credentials (provider, ctx, self->cancellable, status);
  g_debug ("Renewing the sign-in of %s: %s", sd_account_get_handle (ctx->account), sd_outcome_to_string (outcome));
  sd_sign_ins_save_changed (self, ctx->account, ctx->credentials);
  return outcome;
}

gboolean
sd_sign_ins_needs_sign_in (SdSignIns  *self,
                           SdAccount  *account,
                           GError    **error)
{
  sd_account_set_state (account, SD_ACCOUNT_STATE_NEEDS_SIGN_IN);
  return sd_store_set_account_state (self->store, sd_account_get_id (account),
                                     SD_ACCOUNT_STATE_NEEDS_SIGN_IN, error);
}

gboolean
sd_sign_ins_prepare (SdSignIns        *self,
                     SdProvider       *provider,
                     SdPublishContext *ctx,
                     SdOutcome        *outcome,
                     SdProviderStatus *status,
                     GError          **error)
{
  g_autoptr(GError) secrets_error = NULL;
  SdProviderStatus renewal = { 0 };

  ctx->session = sd_http_get_session ();
  if (!(ctx->credentials = sd_sign_ins_lookup (self, ctx->account, &secrets_error)))
    {
      /* Nothing in the keyring: sign in again. A keyring that is locked or
       * missing is not the account's fault. */
      gboolean gone = g_error_matches (secrets_error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_NOT_FOUND)
                      || g_error_matches (secrets_error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_CORRUPT);

      *outcome = sd_provider_status_set (status, gone ? SD_OUTCOME_AUTH : SD_OUTCOME_RETRY,
                                         "%s", secrets_error->message);
      return !gone || sd_sign_ins_needs_sign_in (self, ctx->account, error);
    }

  *outcome = SD_OUTCOME_DONE;
  if (!sd_provider_can_refresh (provider) || !sd_sign_ins_renewal_due (ctx))
    return TRUE;

  if (sd_sign_ins_renew (self, provider, ctx, &renewal) == SD_OUTCOME_AUTH)
    {
      *outcome = sd_provider_status_set (status, SD_OUTCOME_AUTH, "%s",
                                         renewal.message != NULL ? renewal.message : "");
      status->http_status = renewal.http_status;
      sd_provider_status_clear (&renewal);
      return sd_sign_ins_needs_sign_in (self, ctx->account, error);
    }
  /* Not renewed now: the token may still do until it runs out. */
  sd_provider_status_clear (&renewal);
  return TRUE;
}
