/* sd-secrets.c — tokens and passwords in the system keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-secrets"

#include "config.h"

#include "sd-secrets.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#define KIND_ACCOUNT "account"
#define KIND_CLIENT  "client"
#define KIND_NETWORK_APP "network-app"

G_DEFINE_QUARK (sd-secrets-error-quark, sd_secrets_error)

typedef enum
{
  OP_STORE,
  OP_READ,
  OP_REMOVE,
} SecretsOp;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "com.example.SocialDesk.Token",
    SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "platform", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

/* A string holding a secret: zeroed before it is freed. */
typedef char *SdSecretText;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SdSecretText, free_secret, NULL)

/* The instance URL as kept in the "server" attribute: no trailing slash. */
static char *
normalize_server (const char *server_url)
{
  g_autofree char *server = g_strdup (server_url);
  gsize len = strlen (server);

  while (len > 0 && server[len - 1] == '/')
    server[--len] = '\0';
  return g_steal_pointer (&server);
}

static char *
dup_server_host (const char *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));
  return g_strdup (server);
}

static char *
dup_account_who (SdAccount *account)
{
  const char *handle = sd_account_get_handle (account);

  if (handle != NULL && *handle != '\0')
    return g_strdup_printf ("@%s", handle);
  /* Before the first sign-in completes the handle is unknown. */
  return g_strdup_printf (_("account %s"), sd_account_get_id (account));
}

static GHashTable *
account_attributes (const char *account_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "account-id", (gpointer) account_id);
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) KIND_ACCOUNT);
  return attributes;
}

static GHashTable *
client_attributes (const char *server)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) KIND_CLIENT);
  g_hash_table_insert (attributes, (gpointer) "server", (gpointer) server);
  return attributes;
}

static GHashTable *
network_app_attributes (SdPlatform platform)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) KIND_NETWORK_APP);
  g_hash_table_insert (attributes, (gpointer) "platform", (gpointer) sd_platform_get_info (platform)->id);
  return attributes;
}

static char *
dup_network_app_who (SdPlatform platform)
{
  /* Translators: %s is a network's name, e.g. "YouTube". */
  return g_strdup_printf (_("your %s developer app"), sd_platform_get_info (platform)->display_name);
}

static gboolean
is_unavailable (const GError *cause)
{
  if (cause->domain == G_IO_ERROR)
    return TRUE;  /* no session bus, or it cannot be reached */
  if (cause->domain == G_SPAWN_ERROR)
    return TRUE;
  if (cause->domain == G_DBUS_ERROR)
    {
      switch (cause->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }
  return FALSE;
}

static void
set_unavailable (GError     **error,
                 SecretsOp    op,
                 const char  *who)
{
  switch (op)
    {
    case OP_STORE:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE,
                   _("SocialDesk could not reach a keyring to keep the sign-in of %s. "
                     "Install and start GNOME Keyring (or another Secret Service), then try again. "
                     "Nothing was written to disk."), who);
      break;
    case OP_READ:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE,
                   _("SocialDesk could not reach a keyring to read the sign-in of %s. "
                     "Install and start GNOME Keyring (or another Secret Service), then try again."),
                   who);
      break;
    case OP_REMOVE:
    default:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_UNAVAILABLE,
                   _("SocialDesk could not reach a keyring to remove the sign-in of %s. "
                     "Install and start GNOME Keyring (or another Secret Service), then try again."),
                   who);
      break;
    }
}

static void
set_locked (GError     **error,
            SecretsOp    op,
            const char  *who)
{
  switch (op)
    {
    case OP_STORE:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED,
                   _("Your keyring stayed locked, so SocialDesk could not keep the sign-in of %s. "
                     "Unlock the keyring when it asks (or in Passwords and Keys), then try again."),
                   who);
      break;
    case OP_READ:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED,
                   _("Your keyring stayed locked, so SocialDesk could not read the sign-in of %s. "
                     "Unlock the keyring when it asks (or in Passwords and Keys), then try again."),
                   who);
      break;
    case OP_REMOVE:
    default:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_LOCKED,
                   _("Your keyring stayed locked, so SocialDesk could not remove the sign-in of %s. "
                     "Unlock the keyring when it asks (or in Passwords and Keys), then try again."),
                   who);
      break;
    }
}

static void
set_refused (GError       **error,
             SecretsOp      op,
             const char    *who,
             const GError  *cause)
{
  /* libsecret's and the service's messages name paths and states, never secrets. */
  switch (op)
    {
    case OP_STORE:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_REFUSED,
                   _("The keyring refused to keep the sign-in of %s (%s). "
                     "Check the keyring in Passwords and Keys, then try again."),
                   who, cause->message);
      break;
    case OP_READ:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_REFUSED,
                   _("The keyring refused to read the sign-in of %s (%s). "
                     "Check the keyring in Passwords and Keys, then try again."),
                   who, cause->message);
      break;
    case OP_REMOVE:
    default:
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_REFUSED,
                   _("The keyring refused to remove the sign-in of %s (%s). "
                     "Check the keyring in Passwords and Keys, then try again."),
                   who, cause->message);
      break;
    }
}

/* Turns libsecret's error into ours; a cancellation stays a cancellation. */
static void
propagate_secret_error (GError     **error,
                        GError      *cause,
                        SecretsOp    op,
                        const char  *who)
{
  g_debug ("keyring error for %s: %s (%s, %d)", who, cause->message,
           g_quark_to_string (cause->domain), cause->code);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else
    {
      if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        set_locked (error, op, who);
      else if (is_unavailable (cause))
        set_unavailable (error, op, who);
      else
        set_refused (error, op, who, cause);
      g_error_free (cause);
    }
}

/* A lookup that unlocks nothing answers as if the item were not there: tell
 * the two apart by looking without unlocking. */
static gboolean
has_locked_item (GHashTable   *attributes,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  gboolean found;

  items = secret_password_searchv_sync (get_schema (), attributes, SECRET_SEARCH_ALL,
                                        cancellable, &error);
  found = items != NULL;
  g_list_free_full (items, g_object_unref);
  return found;
}

static gboolean
store_secret (GHashTable   *attributes,
              const char   *label,
              const char   *secret,
              SecretsOp     op,
              const char   *who,
              GCancellable *cancellable,
              GError      **error)
{
  GError *cause = NULL;

  if (!secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                    label, secret, cancellable, &cause))
    {
      propagate_secret_error (error, cause, op, who);
      return FALSE;
    }
  return TRUE;
}

/* Returns the secret, or NULL: with @error set on failure, without when there is none. */
static char *
lookup_secret (GHashTable   *attributes,
               const char   *who,
               GCancellable *cancellable,
               GError      **error)
{
  GError *cause = NULL;
  char *secret;

  secret = secret_password_lookupv_sync (get_schema (), attributes, cancellable, &cause);
  if (cause != NULL)
    {
      propagate_secret_error (error, cause, OP_READ, who);
      return NULL;
    }
  if (secret == NULL && has_locked_item (attributes, cancellable))
    {
      set_locked (error, OP_READ, who);
      return NULL;
    }
  if (secret == NULL)
    return NULL;

  {
    /* libsecret's copy lives in non-pageable memory; ours is zeroed when freed. */
    char *copy = g_strdup (secret);

    secret_password_free (secret);
    return copy;
  }
}

gboolean
sd_secrets_store (SdAccount            *account,
                  const SdCredentials  *credentials,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_auto(SdSecretText) json = NULL;
  g_autofree char *who = NULL;
  g_autofree char *label = NULL;
  const SdPlatformInfo *info;

  g_return_val_if_fail (SD_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (sd_account_get_id (account) != NULL, FALSE);
  g_return_val_if_fail (credentials != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = sd_platform_get_info (sd_account_get_platform (account));
  who = dup_account_who (account);
  /* Seahorse shows the label: say whose sign-in it is, in words. */
  label = g_strdup_printf (_("SocialDesk: %s (%s)"), who, info->display_name);
  attributes = account_attributes (sd_account_get_id (account));
  json = sd_credentials_to_json (credentials);

  return store_secret (attributes, label, json, OP_STORE, who, cancellable, error);
}

SdCredentials *
sd_secrets_lookup (SdAccount     *account,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_auto(SdSecretText) json = NULL;
  g_autofree char *who = NULL;
  g_autoptr(GError) parse_error = NULL;
  GError *lookup_error = NULL;
  SdCredentials *credentials;

  g_return_val_if_fail (SD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (sd_account_get_id (account) != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  who = dup_account_who (account);
  attributes = account_attributes (sd_account_get_id (account));
  json = lookup_secret (attributes, who, cancellable, &lookup_error);
  if (lookup_error != NULL)
    {
      g_propagate_error (error, lookup_error);
      return NULL;
    }
  if (json == NULL)
    {
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_NOT_FOUND,
                   _("The keyring has no sign-in for %s: sign in again from Accounts."), who);
      return NULL;
    }

  credentials = sd_credentials_from_json (json, &parse_error);
  if (credentials == NULL)
    {
      /* The parser's message may quote the text, which is secret: keep it out. */
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_CORRUPT,
                   _("The keyring's entry for %s is not one SocialDesk can read: "
                     "sign in again from Accounts."), who);
      return NULL;
    }
  credentials->changed = FALSE;
  return credentials;
}

gboolean
sd_secrets_clear (const char    *account_id,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *who = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (account_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  who = g_strdup_printf (_("account %s"), account_id);
  attributes = account_attributes (account_id);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &cause);
  if (cause != NULL)
    {
      propagate_secret_error (error, cause, OP_REMOVE, who);
      return FALSE;
    }
  /* FALSE from clearv means "nothing deleted": fine unless something is still there. */
  if (has_locked_item (attributes, cancellable))
    {
      set_locked (error, OP_REMOVE, who);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_secrets_store_client (const char    *server_url,
                         const char    *client_id,
                         const char    *client_secret,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_auto(SdSecretText) json = NULL;
  g_autofree char *server = NULL;
  g_autofree char *host = NULL;
  g_autofree char *who = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);
  g_return_val_if_fail (client_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = normalize_server (server_url);
  host = dup_server_host (server);
  who = g_strdup_printf (_("the SocialDesk app on %s"), host);
  label = g_strdup_printf (_("SocialDesk: app on %s"), host);
  attributes = client_attributes (server);

  credentials = sd_credentials_new ();
  credentials->client_id = g_strdup (client_id);
  credentials->client_secret = g_strdup (client_secret);
  json = sd_credentials_to_json (credentials);

  return store_secret (attributes, label, json, OP_STORE, who, cancellable, error);
}

gboolean
sd_secrets_lookup_client (const char    *server_url,
                          char         **client_id,
                          char         **client_secret,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SdCredentials) credentials = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_auto(SdSecretText) json = NULL;
  g_autofree char *server = NULL;
  g_autofree char *host = NULL;
  g_autofree char *who = NULL;
  GError *lookup_error = NULL;

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);
  g_return_val_if_fail (client_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *client_id = NULL;
  *client_secret = NULL;

  server = normalize_server (server_url);
  host = dup_server_host (server);
  who = g_strdup_printf (_("the SocialDesk app on %s"), host);
  attributes = client_attributes (server);

  json = lookup_secret (attributes, who, cancellable, &lookup_error);
  if (lookup_error != NULL)
    {
      g_propagate_error (error, lookup_error);
      return FALSE;
    }
  if (json == NULL)
    return FALSE;

  credentials = sd_credentials_from_json (json, &parse_error);
  if (credentials == NULL || credentials->client_id == NULL || credentials->client_secret == NULL)
    {
      g_set_error (error, SD_SECRETS_ERROR, SD_SECRETS_ERROR_CORRUPT,
                   _("The keyring's entry for %s is not one SocialDesk can read: "
                     "SocialDesk will register the app again when you sign in."), who);
      return FALSE;
    }

  *client_id = g_steal_pointer (&credentials->client_id);
  *client_secret = g_steal_pointer (&credentials->client_secret);
  return TRUE;
}

gboolean
sd_secrets_store_network_app (SdPlatform     platform,
                              const char    *client_secret,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *who = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (platform < SD_N_PLATFORMS, FALSE);
  g_return_val_if_fail (client_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  who = dup_network_app_who (platform);
  /* Translators: a keyring entry's label; %s is a network's name. */
  label = g_strdup_printf (_("SocialDesk: %s developer app"), sd_platform_get_info (platform)->display_name);
  attributes = network_app_attributes (platform);

  return store_secret (attributes, label, client_secret, OP_STORE, who, cancellable, error);
}

char *
sd_secrets_lookup_network_app (SdPlatform     platform,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *who = NULL;

  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  who = dup_network_app_who (platform);
  attributes = network_app_attributes (platform);
  return lookup_secret (attributes, who, cancellable, error);
}

gboolean
sd_secrets_clear_network_app (SdPlatform     platform,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *who = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (platform < SD_N_PLATFORMS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  who = dup_network_app_who (platform);
  attributes = network_app_attributes (platform);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &cause);
  if (cause != NULL)
    {
      propagate_secret_error (error, cause, OP_REMOVE, who);
      return FALSE;
    }
  if (has_locked_item (attributes, cancellable))
    {
      set_locked (error, OP_REMOVE, who);
      return FALSE;
    }
  return TRUE;
}
