/* sd-store-accounts.c — connected accounts and developer apps in the store (never their secrets)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-store-private.h"
#include "sd-time.h"

#define ACCOUNT_COLUMNS \
  "id, platform, server_url, remote_id, handle, display_name, avatar_url, state," \
  " token_expires_at, limits_json, created_at"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static SdAccount *
account_from_row (sqlite3_stmt *stmt)
{
  SdPlatform platform = SD_PLATFORM_MASTODON;
  SdAccountState state = SD_ACCOUNT_STATE_CONNECTED;
  SdAccount *account;

  sd_platform_from_id (column_text (stmt, 1), &platform);
  account = sd_account_new (platform);
  sd_account_set_id (account, column_text (stmt, 0));
  sd_account_set_server_url (account, column_text (stmt, 2));
  sd_account_set_remote_id (account, column_text (stmt, 3));
  sd_account_set_handle (account, column_text (stmt, 4));
  sd_account_set_display_name (account, column_text (stmt, 5));
  sd_account_set_avatar_url (account, column_text (stmt, 6));
  sd_account_state_from_string (column_text (stmt, 7), &state);
  sd_account_set_state (account, state);
  sd_account_set_token_expires_at (account, sqlite3_column_int64 (stmt, 8));
  sd_account_set_limits_json (account, column_text (stmt, 9));
  sd_account_set_created_at (account, sqlite3_column_int64 (stmt, 10));
  return account;
}


/* An account signed in again keeps its id (and so its posts and secrets). */
static gboolean
adopt_existing_id (SdStore    *self,
                   SdAccount  *account,
                   GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sd_account_get_remote_id (account) == NULL)
    return TRUE;

  stmt = sd_store_prepare (self, "SELECT id FROM account WHERE platform = ?1"
                                 " AND ifnull (server_url, '') = ifnull (?2, '') AND remote_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sd_platform_get_info (sd_account_get_platform (account))->id, -1, SQLITE_STATIC);
  sd_store_bind_text_or_null (stmt, 2, sd_account_get_server_url (account));
  sd_store_bind_text_or_null (stmt, 3, sd_account_get_remote_id (account));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    sd_account_set_id (account, column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sd_store_fail (self, rc, error);
  return TRUE;
}

gboolean
sd_store_save_account (SdStore    *self,
                       SdAccount  *account,
                       GError    **error)
{
  static const char sql[] =
    "INSERT INTO account (id, platform, server_url, remote_id, handle, display_name, avatar_url,"
    "   state, token_expires_at, limits_json, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
    " ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url,"
    "   remote_id = excluded.remote_id, handle = excluded.handle,"
    "   display_name = excluded.display_name, avatar_url = excluded.avatar_url,"
    "   state = excluded.state, token_expires_at = excluded.token_expires_at,"
    "   limits_json = excluded.limits_json, updated_at = excluded.updated_at";
  sqlite3_stmt *stmt;
  gint64 now = sd_time_now ();
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_ACCOUNT (account), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = adopt_existing_id (self, account, error)
       && (stmt = sd_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      if (sd_account_get_created_at (account) == 0)
        sd_account_set_created_at (account, now);
      sqlite3_bind_text (stmt, 1, sd_account_get_id (account), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sd_platform_get_info (sd_account_get_platform (account))->id, -1,
                         SQLITE_STATIC);
      sd_store_bind_text_or_null (stmt, 3, sd_account_get_server_url (account));
      sd_store_bind_text_or_null (stmt, 4, sd_account_get_remote_id (account));
      sqlite3_bind_text (stmt, 5, sd_account_get_handle (account), -1, SQLITE_TRANSIENT);
      sd_store_bind_text_or_null (stmt, 6, sd_account_get_display_name (account));
      sd_store_bind_text_or_null (stmt, 7, sd_account_get_avatar_url (account));
      sqlite3_bind_text (stmt, 8, sd_account_state_to_string (sd_account_get_state (account)), -1,
                         SQLITE_STATIC);
      if (sd_account_get_token_expires_at (account) != 0)
        sqlite3_bind_int64 (stmt, 9, sd_account_get_token_expires_at (account));
      sd_store_bind_text_or_null (stmt, 10, sd_account_get_limits_json (account));
      sqlite3_bind_int64 (stmt, 11, now);
      ok = sd_store_step (self, stmt, error);
    }

  return sd_store_end (self, ok, error);
}

GPtrArray *
sd_store_list_accounts (SdStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  stmt = sd_store_prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM account"
                                 " ORDER BY platform, handle COLLATE NOCASE", error);
  ok = stmt != NULL;
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (ok)
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;

  return g_steal_pointer (&accounts);
}

SdAccount *
sd_store_find_account (SdStore     *self,
                       const char  *id_prefix_or_handle,
                       GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  const char *wanted = id_prefix_or_handle;
  SdAccount *found = NULL;
  guint matches = 0;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  g_return_val_if_fail (wanted != NULL, NULL);

  if (!(accounts = sd_store_list_accounts (self, error)))
    return NULL;

  while (wanted[0] == '@')
    wanted++;

  for (guint i = 0; i < accounts->len; i++)
    {
      SdAccount *account = accounts->pdata[i];

      if (g_strcmp0 (sd_account_get_id (account), wanted) == 0
          || g_ascii_strcasecmp (sd_account_get_handle (account), wanted) == 0)
        return g_object_ref (account);
      if (strlen (wanted) >= 4 && g_str_has_prefix (sd_account_get_id (account), wanted))
        {
          found = account;
          matches++;
        }
    }

  if (matches == 1)
    return g_object_ref (found);

  if (matches > 1)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_AMBIGUOUS,
                 _("More than one account starts with “%s”; give more of the id."), wanted);
  else
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("No connected account is “%s”. See socialdesk-cli accounts list."), wanted);
  return NULL;
}

gboolean
sd_store_set_account_state (SdStore         *self,
                            const char      *account_id,
                            SdAccountState   state,
                            GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, "UPDATE account SET state = ?2, updated_at = ?3 WHERE id = ?1",
                                 error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sd_account_state_to_string (state), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}


static gboolean
account_is_publishing (SdStore     *self,
                       const char  *account_id,
                       gboolean    *publishing,
                       GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT count(*) FROM job j JOIN variant v ON v.id = j.variant_id"
                                               " WHERE v.account_id = ?1 AND j.state = 'running'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *publishing = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || sd_store_fail (self, rc, error);
}

static gboolean
list_account_posts (SdStore     *self,
                    const char  *account_id,
                    GPtrArray   *posts,
                    GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT DISTINCT post_id FROM variant WHERE account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (posts, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || sd_store_fail (self, rc, error);
}

/* Waiting sends are cancelled and unpublished variants go. A published
 * variant keeps its link: it moves onto the post's variant for that network
 * (or, where there is none, just loses the account). */
gboolean
sd_store_remove_account (SdStore     *self,
                         const char  *account_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func (g_free);
  gboolean ok, publishing = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = account_is_publishing (self, account_id, &publishing, error);
  if (ok && publishing)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING,
                           _("This account is publishing a post right now; try again in a moment."));
      ok = FALSE;
    }
  ok = ok && list_account_posts (self, account_id, posts, error);
  ok = ok && sd_store_run_for_id (self, "DELETE FROM variant WHERE account_id = ?1 AND state != 'published'"
                                    " AND ?2 IS NOT NULL", account_id, error);
  ok = ok && sd_store_run_for_id (self, "UPDATE variant AS p SET state = a.state, remote_id = a.remote_id,"
                                    "   remote_url = a.remote_url, published_at = a.published_at, updated_at = ?2"
                                    " FROM (SELECT * FROM variant WHERE account_id = ?1) AS a"
                                    " WHERE p.post_id = a.post_id AND p.platform = a.platform"
                                    "   AND p.account_id IS NULL", account_id, error);
  ok = ok && sd_store_run_for_id (self, "DELETE FROM variant AS a WHERE a.account_id = ?1 AND ?2 IS NOT NULL"
                                    " AND EXISTS (SELECT 1 FROM variant p WHERE p.post_id = a.post_id"
                                    "   AND p.platform = a.platform AND p.account_id IS NULL)",
                              account_id, error);
  ok = ok && sd_store_run_for_id (self, "DELETE FROM account WHERE id = ?1 AND ?2 IS NOT NULL", account_id, error);
  if (ok && sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("No connected account has the id “%s”."), account_id);
      ok = FALSE;
    }
  for (guint i = 0; ok && i < posts->len; i++)
    ok = sd_store_demote_post_locked (self, posts->pdata[i], error);

  return sd_store_end (self, ok, error);
}


/* Sign-ins that run out before @before, soonest first. */
GPtrArray *
sd_store_list_accounts_expiring (SdStore  *self,
                                 gint64    before,
                                 GError  **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  stmt = sd_store_prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM account"
                                 " WHERE token_expires_at > 0 AND token_expires_at < ?1"
                                 " ORDER BY token_expires_at, id", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, before);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (accounts, account_from_row (stmt));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;

  return g_steal_pointer (&accounts);
}

/* After a renewal: when the person must sign in again (0: never, or unknown). */
gboolean
sd_store_set_account_token_expires_at (SdStore     *self,
                                       const char  *account_id,
                                       gint64       expires_at,
                                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, "UPDATE account SET token_expires_at = ?2, updated_at = ?3 WHERE id = ?1",
                                 error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
      if (expires_at > 0)
        sqlite3_bind_int64 (stmt, 2, expires_at);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_int64 (stmt, 3, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  if (ok && sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("No connected account has the id “%s”."), account_id);
      ok = FALSE;
    }
  return sd_store_end (self, ok, error);
}

/* Developer apps */

char *
sd_store_dup_network_app (SdStore     *self,
                          SdPlatform   platform,
                          GError     **error)
{
  g_autofree char *client_id = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  ok = (stmt = sd_store_prepare (self, "SELECT client_id FROM network_app WHERE platform = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, sd_platform_get_info (platform)->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        client_id = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&client_id);
}

gboolean
sd_store_set_network_app (SdStore     *self,
                          SdPlatform   platform,
                          const char  *client_id,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean forget = client_id == NULL || client_id[0] == '\0';
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  if (forget)
    ok = (stmt = sd_store_prepare (self, "DELETE FROM network_app WHERE platform = ?1", error)) != NULL;
  else
    ok = (stmt = sd_store_prepare (self, "INSERT INTO network_app (platform, client_id, updated_at)"
                                         " VALUES (?1, ?2, ?3) ON CONFLICT (platform) DO UPDATE"
                                         " SET client_id = excluded.client_id, updated_at = excluded.updated_at",
                                   error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, sd_platform_get_info (platform)->id, -1, SQLITE_STATIC);
      if (!forget)
        {
          sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, sd_time_now ());
        }
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}
