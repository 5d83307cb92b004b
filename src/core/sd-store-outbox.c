/* sd-store-outbox.c — binding posts to accounts, scheduling, and the outbox's jobs
 *
 * Everything a send needs is written here before any request is made: the
 * job when the post is scheduled, its parts and their keys when the job is
 * first claimed, a part's "sent" mark just before its request, and its remote
 * id the moment it is out. The sync engine only follows what is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-store"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sd-bluesky.h"
#include "sd-readiness.h"
#include "sd-store-private.h"
#include "sd-time.h"

#define JOB_COLUMNS \
  "j.id, j.variant_id, v.post_id, v.account_id, j.state, j.due_at, j.attempts, j.server_id," \
  " j.server_dirty, j.last_error, j.options_json"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}


static gboolean
count_rows (SdStore     *self,
            const char  *sql,
            const char  *id,
            gint64      *count,
            GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || sd_store_fail (self, rc, error);
}

/* A post's state follows its sends: publishing while one runs, failed when
 * one failed, scheduled while one waits, published when all are out. */
gboolean
sd_store_refresh_post_state_locked (SdStore     *self,
                    const char  *post_id,
                    GError     **error)
{
  return sd_store_run_for_id (self,
              "UPDATE post SET updated_at = ?2, state = CASE"
              " WHEN EXISTS (SELECT 1 FROM variant WHERE post_id = ?1 AND state = 'publishing') THEN 'publishing'"
              " WHEN EXISTS (SELECT 1 FROM variant WHERE post_id = ?1 AND state = 'failed') THEN 'failed'"
              " WHEN EXISTS (SELECT 1 FROM variant WHERE post_id = ?1 AND state = 'scheduled') THEN 'scheduled'"
              " WHEN EXISTS (SELECT 1 FROM variant WHERE post_id = ?1 AND state = 'published') THEN 'published'"
              " WHEN state IN ('publishing', 'failed') THEN 'draft'"
              " ELSE state END"
              " WHERE id = ?1",
              post_id, error);
}

/* After its sends were cancelled: a post nothing will send is a draft again. */
gboolean
sd_store_demote_post_locked (SdStore     *self,
                             const char  *post_id,
                             GError     **error)
{
  return sd_store_refresh_post_state_locked (self, post_id, error)
         && sd_store_run_for_id (self, "UPDATE post SET state = 'draft', updated_at = ?2 WHERE id = ?1 AND state = 'scheduled'"
                       " AND NOT EXISTS (SELECT 1 FROM variant v JOIN job j ON j.variant_id = v.id"
                       "   WHERE v.post_id = ?1 AND (j.state IN ('pending', 'running', 'held')"
                       "     OR (j.state = 'server' AND j.server_dirty != 2)))",
                 post_id, error);
}

gboolean
sd_store_check_not_publishing (SdStore     *self,
                      const char  *post_id,
                      GError     **error)
{
  gint64 running = 0;

  if (!count_rows (self, "SELECT count(*) FROM job j JOIN variant v ON v.id = j.variant_id"
                         " WHERE v.post_id = ?1 AND j.state = 'running'", post_id, &running, error))
    return FALSE;
  if (running > 0)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING,
                           _("This post is being published right now; wait until it is out."));
      return FALSE;
    }
  return TRUE;
}

/* Binding */

gboolean
sd_store_bind_account_locked (SdStore     *self,
              const char  *post_id,
              const char  *account_id,
              GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 now = sd_time_now ();
  g_autofree char *variant_id = g_uuid_string_random ();
  g_autofree char *platform_variant_id = g_uuid_string_random ();

  /* The network's own variant holds the text for that network. */
  if (!(stmt = sd_store_prepare (self,
                                 "INSERT INTO variant (id, post_id, platform, created_at, updated_at)"
                                 " SELECT ?1, ?2, platform, ?4, ?4 FROM account WHERE id = ?3"
                                 " ON CONFLICT (post_id, platform, ifnull (account_id, '')) DO NOTHING",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, platform_variant_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, post_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!sd_store_step (self, stmt, error))
    return FALSE;

  if (!(stmt = sd_store_prepare (self,
                                 "INSERT INTO variant (id, post_id, platform, account_id, created_at, updated_at)"
                                 " SELECT ?1, ?2, platform, id, ?4, ?4 FROM account WHERE id = ?3"
                                 " ON CONFLICT (post_id, platform, ifnull (account_id, '')) DO NOTHING",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, variant_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, post_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!sd_store_step (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      gint64 exists = 0;

      if (!count_rows (self, "SELECT count(*) FROM account WHERE id = ?1", account_id, &exists, error))
        return FALSE;
      if (exists == 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                       _("No connected account has the id “%s”."), account_id);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
sd_store_set_post_accounts (SdStore     *self,
                            const char  *post_id,
                            GPtrArray   *account_ids,
                            GError     **error)
{
  g_autoptr(GString) chosen = g_string_new (",");
  sqlite3_stmt *stmt;
  gint64 exists = 0;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_ids != NULL, FALSE);

  for (guint i = 0; i < account_ids->len; i++)
    g_string_append_printf (chosen, "%s,", (const char *) account_ids->pdata[i]);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = count_rows (self, "SELECT count(*) FROM post WHERE id = ?1 AND deleted_at IS NULL", post_id, &exists, error);
  if (ok && exists == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("No post has the id “%s”."), post_id);
      ok = FALSE;
    }
  ok = ok && sd_store_check_not_publishing (self, post_id, error);
  for (guint i = 0; ok && i < account_ids->len; i++)
    ok = sd_store_bind_account_locked (self, post_id, account_ids->pdata[i], error);

  /* Accounts no longer chosen go, unless the post is already out there. */
  if (ok && (ok = (stmt = sd_store_prepare (self,
                                            "DELETE FROM variant WHERE post_id = ?1 AND account_id IS NOT NULL"
                                            " AND state != 'published' AND instr (?2, ',' || account_id || ',') = 0",
                                            error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, chosen->str, -1, SQLITE_TRANSIENT);
      ok = sd_store_step (self, stmt, error);
    }
  ok = ok && sd_store_refresh_post_state_locked (self, post_id, error);

  return sd_store_end (self, ok, error);
}

GPtrArray *
sd_store_list_post_accounts (SdStore     *self,
                             const char  *post_id,
                             GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  ok = (stmt = sd_store_prepare (self, "SELECT v.account_id FROM variant v JOIN account a ON a.id = v.account_id"
                                       " WHERE v.post_id = ?1 ORDER BY a.platform, a.handle", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&ids);
}

/* Scheduling */

typedef struct
{
  char      *variant_id;
  char      *variant_text;
  SdAccount *account;
} BoundVariant;

static void
bound_variant_free (BoundVariant *bound)
{
  g_free (bound->variant_id);
  g_free (bound->variant_text);
  g_clear_object (&bound->account);
  g_free (bound);
}

/* The post's unpublished account variants, with their accounts. */
static GPtrArray *
list_bound_variants (SdStore     *self,
                     const char  *post_id,
                     GError     **error)
{
  g_autoptr(GPtrArray) bound = g_ptr_array_new_with_free_func ((GDestroyNotify) bound_variant_free);
  g_autoptr(GPtrArray) account_ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_store_prepare (self, "SELECT id, text, account_id FROM variant WHERE post_id = ?1"
                                       " AND account_id IS NOT NULL AND state != 'published'", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BoundVariant *variant = g_new0 (BoundVariant, 1);

      variant->variant_id = g_strdup (column_text (stmt, 0));
      variant->variant_text = g_strdup (column_text (stmt, 1));
      g_ptr_array_add (account_ids, g_strdup (column_text (stmt, 2)));
      g_ptr_array_add (bound, variant);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_store_fail (self, rc, error);
      return NULL;
    }

  for (guint i = 0; i < bound->len; i++)
    {
      BoundVariant *variant = bound->pdata[i];

      if (!(variant->account = sd_store_read_account_locked (self, account_ids->pdata[i], error)))
        return NULL;
    }
  return g_steal_pointer (&bound);
}

static gboolean
check_ready (SdPost     *post,
             GPtrArray  *bound,
             GError    **error)
{
  g_autoptr(GString) what = g_string_new (NULL);

  for (guint i = 0; i < bound->len; i++)
    {
      BoundVariant *variant = bound->pdata[i];
      SdPlatform platform = sd_account_get_platform (variant->account);
      SdTextOptions options;
      g_autoptr(GPtrArray) problems = NULL;

      sd_account_text_options (variant->account, &options);
      problems = sd_post_check_ready (post, platform, variant->variant_text, &options);
      for (guint k = 0; k < problems->len; k++)
        g_string_append_printf (what, "%s%s: %s", what->len > 0 ? "; " : "",
                                sd_platform_get_info (platform)->display_name,
                                (const char *) problems->pdata[k]);
    }

  if (what->len == 0)
    return TRUE;

  /* Translators: %s lists what each network would refuse. */
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY, _("Not ready to schedule: %s"), what->str);
  return FALSE;
}

/* One job per variant, reused across reschedules and retries so that its
 * parts (and their keys) survive: a part once out is never sent again. */
static gboolean
schedule_variant (SdStore     *self,
                  const char  *variant_id,
                  gint64       at,
                  GError     **error)
{
  g_autofree char *job_id = g_uuid_string_random ();
  g_autofree char *key = g_uuid_string_random ();
  gint64 now = sd_time_now ();
  sqlite3_stmt *stmt;

  if (!(stmt = sd_store_prepare (self,
                                 "UPDATE job SET due_at = ?2, updated_at = ?3, next_attempt_at = NULL,"
                                 "   state = CASE state WHEN 'server' THEN 'server' ELSE 'pending' END,"
                                 "   server_dirty = CASE state WHEN 'server' THEN 1 ELSE server_dirty END"
                                 " WHERE variant_id = ?1 AND kind = 'publish' AND state != 'done'",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, variant_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!sd_store_step (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      if (!(stmt = sd_store_prepare (self,
                                     "INSERT INTO job (id, variant_id, kind, state, due_at, idempotency_key,"
                                     "   created_at, updated_at)"
                                     " VALUES (?1, ?2, 'publish', 'pending', ?3, ?4, ?5, ?5)", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, variant_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, at);
      sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, now);
      if (!sd_store_step (self, stmt, error))
        return FALSE;
    }

  return sd_store_run_for_id (self, "UPDATE variant SET state = 'scheduled', last_error = NULL, updated_at = ?2"
                    " WHERE id = ?1", variant_id, error);
}

gboolean
sd_store_schedule_post (SdStore     *self,
                        const char  *post_id,
                        gint64       at,
                        GError     **error)
{
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = (post = sd_store_get_post_locked (self, post_id, error)) != NULL
       && sd_store_check_not_publishing (self, post_id, error)
       && (bound = list_bound_variants (self, post_id, error)) != NULL;
  if (ok && bound->len == 0)
    {
      if (sd_post_get_state (post) == SD_POST_STATE_PUBLISHED)
        g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_PUBLISHED,
                             _("This post is already published everywhere it was meant to go."));
      else
        g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NO_ACCOUNTS,
                             _("Choose the accounts this post goes to before scheduling it."));
      ok = FALSE;
    }
  ok = ok && check_ready (post, bound, error);

  if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE post SET scheduled_at = ?2, updated_at = ?3"
                                                  " WHERE id = ?1", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, at);
      sqlite3_bind_int64 (stmt, 3, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  for (guint i = 0; ok && i < bound->len; i++)
    ok = schedule_variant (self, ((BoundVariant *) bound->pdata[i])->variant_id, at, error);
  ok = ok && sd_store_refresh_post_state_locked (self, post_id, error);

  return sd_store_end (self, ok, error);
}

/* A reply: every bound variant scheduled at @at, without the composer's
 * readiness of a whole post (sd-store-inbox.c checks a reply's text). */
gboolean
sd_store_schedule_variants_locked (SdStore     *self,
                                   const char  *post_id,
                                   gint64       at,
                                   GError     **error)
{
  g_autoptr(GPtrArray) bound = list_bound_variants (self, post_id, error);
  sqlite3_stmt *stmt;
  gboolean ok = bound != NULL;

  if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE post SET scheduled_at = ?2, updated_at = ?3"
                                                  " WHERE id = ?1", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, at);
      sqlite3_bind_int64 (stmt, 3, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  for (guint i = 0; ok && i < bound->len; i++)
    ok = schedule_variant (self, ((BoundVariant *) bound->pdata[i])->variant_id, at, error);
  return ok && sd_store_refresh_post_state_locked (self, post_id, error);
}

/* Waiting jobs are cancelled; a server-held one is marked for the engine to
 * cancel on the server first. Shared with moving to "no time" and trashing. */
gboolean
sd_store_cancel_jobs_locked (SdStore     *self,
                             const char  *post_id,
                             GError     **error)
{
  return sd_store_run_for_id (self, "UPDATE job SET server_dirty = 2, updated_at = ?2 WHERE state = 'server'"
                    " AND variant_id IN (SELECT id FROM variant WHERE post_id = ?1)", post_id, error)
         && sd_store_run_for_id (self, "UPDATE job SET state = 'cancelled', updated_at = ?2"
                       " WHERE state IN ('pending', 'held', 'failed', 'uncertain')"
                       " AND variant_id IN (SELECT id FROM variant WHERE post_id = ?1)", post_id, error)
         && sd_store_run_for_id (self, "UPDATE variant SET state = 'draft', last_error = NULL, updated_at = ?2"
                       " WHERE post_id = ?1 AND state IN ('scheduled', 'failed')", post_id, error)
         && sd_store_demote_post_locked (self, post_id, error);
}

gboolean
sd_store_unschedule_post (SdStore     *self,
                          const char  *post_id,
                          GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_check_not_publishing (self, post_id, error)
       && sd_store_cancel_jobs_locked (self, post_id, error)
       && sd_store_run_for_id (self, "UPDATE post SET scheduled_at = NULL, updated_at = ?2 WHERE id = ?1", post_id, error);
  return sd_store_end (self, ok, error);
}

guint
sd_store_count_waiting (SdStore  *self,
                        GError  **error)
{
  gint64 count = 0;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), 0);

  if (!sd_store_begin (self, error))
    return 0;
  ok = count_rows (self, "SELECT count(DISTINCT v.post_id) FROM job j JOIN variant v ON v.id = j.variant_id"
                         " WHERE j.state IN ('pending', 'running')", NULL, &count, error);
  sd_store_end (self, ok, NULL);
  return (guint) count;
}

/* Accounts, read under the writer's lock */

SdAccount *
sd_store_read_account_locked (SdStore     *self,
                              const char  *account_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  SdAccount *account = NULL;
  int rc;

  if (!(stmt = sd_store_prepare (self, "SELECT platform, server_url, remote_id, handle, display_name,"
                                       " state, token_expires_at, limits_json FROM account WHERE id = ?1",
                                 error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      SdPlatform platform = SD_PLATFORM_MASTODON;
      SdAccountState state = SD_ACCOUNT_STATE_CONNECTED;

      sd_platform_from_id (column_text (stmt, 0), &platform);
      account = sd_account_new (platform);
      sd_account_set_id (account, account_id);
      sd_account_set_server_url (account, column_text (stmt, 1));
      sd_account_set_remote_id (account, column_text (stmt, 2));
      sd_account_set_handle (account, column_text (stmt, 3));
      sd_account_set_display_name (account, column_text (stmt, 4));
      sd_account_state_from_string (column_text (stmt, 5), &state);
      sd_account_set_state (account, state);
      sd_account_set_token_expires_at (account, sqlite3_column_int64 (stmt, 6));
      sd_account_set_limits_json (account, column_text (stmt, 7));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("No connected account has the id “%s”."), account_id);
  else
    sd_store_fail (self, rc, error);
  sqlite3_reset (stmt);
  return account;
}

/* Jobs */

static JsonObject *
options_from_json (const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL || (node = json_from_string (json, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static SdOutboxJob *
job_from_row (SdStore       *self,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(SdOutboxJob) job = g_new0 (SdOutboxJob, 1);
  SdJobState state = SD_JOB_STATE_PENDING;

  job->id = g_strdup (column_text (stmt, 0));
  job->variant_id = g_strdup (column_text (stmt, 1));
  job->post_id = g_strdup (column_text (stmt, 2));
  sd_job_state_from_string (column_text (stmt, 4), &state);
  job->state = state;
  job->due_at = sqlite3_column_int64 (stmt, 5);
  job->attempts = (guint) sqlite3_column_int (stmt, 6);
  job->server_id = g_strdup (column_text (stmt, 7));
  job->server_dirty = sqlite3_column_int (stmt, 8);
  job->last_error = g_strdup (column_text (stmt, 9));
  job->options = options_from_json (column_text (stmt, 10));
  job->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_publish_part_free);
  job->part_sent_at = g_array_new (FALSE, TRUE, sizeof (gint64));
  if (column_text (stmt, 3) != NULL)
    {
      g_autofree char *account_id = g_strdup (column_text (stmt, 3));

      /* The row's statement is reset by the next prepare: read it all first. */
      sqlite3_reset (stmt);
      if (!(job->account = sd_store_read_account_locked (self, account_id, error)))
        return NULL;
    }
  return g_steal_pointer (&job);
}

/* Reads the jobs @sql selects (JOB_COLUMNS, ?1 = @id, ?2 = @now). */
static GPtrArray *
list_jobs (SdStore     *self,
           const char  *sql,
           const char  *id,
           gint64       now,
           GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_outbox_job_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Ids first, then each job on its own: reading an account resets statements. */
  if (!(stmt = sd_store_prepare (self, sql, error)))
    return NULL;
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_store_fail (self, rc, error);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      SdOutboxJob *job;

      if (!(stmt = sd_store_prepare (self, "SELECT " JOB_COLUMNS " FROM job j JOIN variant v ON v.id = j.variant_id"
                                           " WHERE j.id = ?1", error)))
        return NULL;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;
        }
      job = job_from_row (self, stmt, error);
      sqlite3_reset (stmt);
      if (job == NULL)
        return NULL;
      g_ptr_array_add (jobs, job);
    }
  return g_steal_pointer (&jobs);
}

static gboolean
read_parts (SdStore      *self,
            SdOutboxJob  *job,
            GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_store_prepare (self, "SELECT position, text, key, sent_at, remote_id, remote_url, remote_cid,"
                                       " stage FROM job_part WHERE job_id = ?1 ORDER BY position", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SdPublishPart *part = sd_publish_part_new ((guint) sqlite3_column_int (stmt, 0),
                                                 column_text (stmt, 1), column_text (stmt, 2));
      gint64 sent_at = sqlite3_column_int64 (stmt, 3);

      part->remote_id = g_strdup (column_text (stmt, 4));
      part->remote_url = g_strdup (column_text (stmt, 5));
      part->remote_cid = g_strdup (column_text (stmt, 6));
      part->stage = g_strdup (column_text (stmt, 7));
      g_ptr_array_add (job->parts, part);
      g_array_append_val (job->part_sent_at, sent_at);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || sd_store_fail (self, rc, error);
}

static char *
new_part_key (SdPlatform platform)
{
  return platform == SD_PLATFORM_BLUESKY ? sd_bluesky_new_tid () : g_uuid_string_random ();
}

/* Splits the text as it is now and gives each part its key, and fixes the
 * network options (the account's variant's own, else the network's): from
 * here on the parts and options are what goes out, whatever happens to the post. */
static gboolean
fix_parts (SdStore      *self,
           SdOutboxJob  *job,
           SdPost       *post,
           GError      **error)
{
  SdPlatform platform = sd_account_get_platform (job->account);
  g_autofree char *variant_text = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  SdTextOptions options;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_store_prepare (self, "SELECT text FROM variant WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->variant_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    variant_text = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);

  sd_account_text_options (job->account, &options);
  texts = sd_post_split_parts (post, platform, variant_text, &options);

  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *key = new_part_key (platform);

      if (!(stmt = sd_store_prepare (self, "INSERT INTO job_part (job_id, position, text, key)"
                                           " VALUES (?1, ?2, ?3, ?4)", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, job->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, texts->pdata[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
      if (!sd_store_step (self, stmt, error))
        return FALSE;
    }

  if (!(stmt = sd_store_prepare (self,
                                 "UPDATE job SET options_json = (SELECT ifnull (v.options_json, (SELECT n.options_json"
                                 "     FROM variant n WHERE n.post_id = v.post_id AND n.platform = v.platform"
                                 "     AND n.account_id IS NULL)) FROM variant v WHERE v.id = job.variant_id)"
                                 " WHERE id = ?1 RETURNING options_json", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_clear_pointer (&job->options, json_object_unref);
      job->options = options_from_json (column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || sd_store_fail (self, rc, error);
}

/* The images and videos go with the first part. */
static void
attach_media (SdOutboxJob *job,
              SdPost      *post)
{
  GPtrArray *attachments = sd_post_get_attachments (post);
  SdPublishPart *first;

  if (job->parts->len == 0 || attachments == NULL)
    return;
  first = job->parts->pdata[0];
  for (guint i = 0; i < attachments->len; i++)
    {
      SdAttachment *attachment = attachments->pdata[i];
      SdPublishMedia *media;

      media = sd_publish_part_add_media (first, sd_attachment_get_path (attachment),
                                         sd_attachment_get_mime_type (attachment),
                                         sd_attachment_get_alt_text (attachment),
                                         sd_attachment_get_width (attachment),
                                         sd_attachment_get_height (attachment));
      media->public_url = g_strdup (sd_attachment_get_public_url (attachment));
      media->bytes = sd_attachment_get_bytes (attachment);
    }
}

/* Jobs whose first attempt would come later than the grace allows are held:
 * their time passed while SocialDesk was not running (or asleep, or offline). */
static gboolean
hold_missed (SdStore     *self,
             gint64       now,
             gint64       grace_seconds,
             GPtrArray  **held_post_ids,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_store_prepare (self,
                                 "UPDATE job SET state = 'held', updated_at = ?1"
                                 " WHERE state = 'pending' AND attempts = 0 AND due_at < ?1 - ?2"
                                 " RETURNING (SELECT post_id FROM variant WHERE id = job.variant_id)",
                                 error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, grace_seconds);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (held_post_ids != NULL)
      {
        if (*held_post_ids == NULL)
          *held_post_ids = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (*held_post_ids, g_strdup (column_text (stmt, 0)));
      }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || sd_store_fail (self, rc, error);
}

/* The earliest due job (or one far enough ahead to go to its network's own
 * scheduler), of a connected account not skipped. */
static GPtrArray *
list_due_job (SdStore               *self,
              const SdClaimOptions  *options,
              GError               **error)
{
  static const char sql[] =
    "SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
    " JOIN account a ON a.id = v.account_id"
    " WHERE j.state = 'pending' AND ifnull (j.next_attempt_at, 0) <= ?1 AND a.state = 'connected'"
    "   AND instr (?2, ',' || a.id || ',') = 0"
    "   AND (j.due_at <= ?1 OR (instr (?3, ',' || a.platform || ',') > 0 AND j.due_at >= ?1 + ?4"
    "        AND j.attempts = 0 AND j.server_id IS NULL))"
    " ORDER BY j.due_at, j.created_at LIMIT 1";
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *jobs;
  int rc;

  if (!(stmt = sd_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, options->now);
  sqlite3_bind_text (stmt, 2, options->skip_accounts != NULL ? options->skip_accounts : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, options->server_platforms != NULL ? options->server_platforms : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, options->server_ahead);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sd_store_fail (self, rc, error);
      return NULL;
    }
  if (id == NULL)
    return g_ptr_array_new ();

  jobs = list_jobs (self, "SELECT ?1 WHERE ?2 IS NOT NULL", id, 0, error);
  return jobs;
}

SdOutboxJob *
sd_store_claim_job (SdStore               *self,
                    const SdClaimOptions  *options,
                    GPtrArray            **held_post_ids,
                    GError               **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(SdPost) post = NULL;
  SdOutboxJob *job = NULL;
  sqlite3_stmt *stmt;
  gint64 now = options->now;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;

  ok = hold_missed (self, now, options->grace_seconds, held_post_ids, error)
       && (jobs = list_due_job (self, options, error)) != NULL;
  if (ok && jobs->len == 0)
    return sd_store_end (self, TRUE, error), NULL;

  if (ok)
    {
      job = g_ptr_array_steal_index (jobs, 0);
      ok = (post = sd_store_get_post_locked (self, job->post_id, error)) != NULL
           && read_parts (self, job, error);
    }
  if (ok && job->parts->len == 0)
    ok = fix_parts (self, job, post, error) && read_parts (self, job, error);
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      /* An inbox reply goes as the network's answer to its message. */
      job->reply_to = sd_store_get_reply_target_locked (self, job->post_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }
  if (ok && (ok = (stmt = sd_store_prepare (self,
                                            "UPDATE job SET state = 'running', attempts = attempts + 1,"
                                            "   owner = ?2, lease_until = ?3, updated_at = ?4 WHERE id = ?1",
                                            error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, job->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, options->owner, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now + options->lease_seconds);
      sqlite3_bind_int64 (stmt, 4, now);
      ok = sd_store_step (self, stmt, error);
      job->attempts++;
      job->state = SD_JOB_STATE_RUNNING;
    }
  ok = ok && sd_store_run_for_id (self, "UPDATE variant SET state = 'publishing', updated_at = ?2 WHERE id = ?1",
                  job->variant_id, error)
          && sd_store_refresh_post_state_locked (self, job->post_id, error);

  if (!sd_store_end (self, ok, error))
    {
      sd_outbox_job_free (job);
      return NULL;
    }

  attach_media (job, post);
  return job;
}

static gboolean
owner_is_gone (const char *owner)
{
  const char *colon = owner != NULL ? strrchr (owner, ':') : NULL;
  g_autofree char *host = NULL;
  long pid;

  if (colon == NULL)
    return TRUE;
  host = g_strndup (owner, colon - owner);
  if (g_strcmp0 (host, sd_outbox_local_host ()) != 0)
    return FALSE;  /* another machine's (or PID namespace's) process: only its lease can tell */
  pid = strtol (colon + 1, NULL, 10);
  return pid <= 0 || (kill ((pid_t) pid, 0) != 0 && errno == ESRCH);
}

guint
sd_store_recover_jobs (SdStore  *self,
                       gint64    now,
                       GError  **error)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), 0);

  if (!sd_store_begin (self, error))
    return 0;

  ok = (stmt = sd_store_prepare (self, "SELECT id, owner, lease_until FROM job WHERE state = 'running'",
                                 error)) != NULL;
  if (ok)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (sqlite3_column_int64 (stmt, 2) < now || owner_is_gone (column_text (stmt, 1)))
          g_ptr_array_add (stale, g_strdup (column_text (stmt, 0)));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }

  /* A part marked sent but without a remote id stays in doubt: the engine
   * checks with the network before it sends that part again. */
  for (guint i = 0; ok && i < stale->len; i++)
    ok = sd_store_run_for_id (self, "UPDATE job SET state = 'pending', owner = NULL, lease_until = NULL, updated_at = ?2"
                    " WHERE id = ?1", stale->pdata[i], error)
         && sd_store_run_for_id (self, "UPDATE variant SET state = 'scheduled', updated_at = ?2"
                       " WHERE id = (SELECT variant_id FROM job WHERE id = ?1)", stale->pdata[i], error)
         && sd_store_run_for_id (self, "UPDATE post SET state = 'scheduled', updated_at = ?2 WHERE state = 'publishing'"
                       " AND id = (SELECT v.post_id FROM job j JOIN variant v ON v.id = j.variant_id"
                       "           WHERE j.id = ?1)", stale->pdata[i], error);

  if (!sd_store_end (self, ok, error))
    return 0;
  if (stale->len > 0)
    g_debug ("Recovered %u sends left running by a process that is gone", stale->len);
  return stale->len;
}

/* Extends a running job's lease; FALSE (BUSY_PUBLISHING) when the job is no
 * longer this owner's (its lease ran out and another process took it). */
/* One statement on a job in a transaction of its own: ?1 = @job_id, ?2 and ?3 numbers. */
static gboolean
update_job (SdStore     *self,
            const char  *sql,
            const char  *job_id,
            gint64       two,
            gint64       three,
            GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, two);
      sqlite3_bind_int64 (stmt, 3, three);
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_renew_lease (SdStore     *self,
                      const char  *job_id,
                      const char  *owner,
                      gint64       lease_until,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, "UPDATE job SET lease_until = ?3"
                                       " WHERE id = ?1 AND state = 'running' AND owner = ?2", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, owner, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, lease_until);
      ok = sd_store_step (self, stmt, error);
    }
  if (ok && sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING,
                           _("Another SocialDesk process took over this post after this one stalled; "
                             "it is left to that process."));
      ok = FALSE;
    }
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_mark_part_sent (SdStore     *self,
                         const char  *job_id,
                         guint        position,
                         gint64       now,
                         GError     **error)
{
  return update_job (self, "UPDATE job_part SET sent_at = ifnull (sent_at, ?3)"
                          " WHERE job_id = ?1 AND position = ?2", job_id, position, now, error);
}

gboolean
sd_store_record_part (SdStore              *self,
                      const char           *job_id,
                      const SdPublishPart  *part,
                      GError              **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, "UPDATE job_part SET remote_id = ?3, remote_url = ?4, remote_cid = ?5,"
                                       " sent_at = ifnull (sent_at, ?6)"
                                       " WHERE job_id = ?1 AND position = ?2", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, (int) part->position);
      sqlite3_bind_text (stmt, 3, part->remote_id, -1, SQLITE_TRANSIENT);
      if (part->remote_url != NULL)
        sqlite3_bind_text (stmt, 4, part->remote_url, -1, SQLITE_TRANSIENT);
      if (part->remote_cid != NULL)
        sqlite3_bind_text (stmt, 5, part->remote_cid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_set_part_stage (SdStore     *self,
                         const char  *job_id,
                         guint        position,
                         const char  *stage,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (stmt = sd_store_prepare (self, "UPDATE job_part SET stage = ?3 WHERE job_id = ?1 AND position = ?2",
                                 error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, (int) position);
      sd_store_bind_text_or_null (stmt, 3, stage);
      ok = sd_store_step (self, stmt, error);
    }
  if (ok && sqlite3_changes (sd_store_get_db (self)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   /* Translators: %u is a part's number in a thread, %s a send's id. */
                   _("Part %u of the send “%s” is not in the outbox."), position + 1, job_id);
      ok = FALSE;
    }
  return sd_store_end (self, ok, error);
}

/* A part the network certainly did not take is no longer in doubt. */
gboolean
sd_store_clear_part_sent (SdStore     *self,
                          const char  *job_id,
                          guint        position,
                          GError     **error)
{
  return update_job (self, "UPDATE job_part SET sent_at = NULL"
                          " WHERE job_id = ?1 AND position = ?2 AND remote_id IS NULL AND ?3 IS NOT NULL",
                     job_id, position, 0, error);
}

static const char *
job_state_for (SdOutcome   outcome,
               const char *server_id)
{
  switch (outcome)
    {
    case SD_OUTCOME_DONE: return server_id != NULL ? "server" : "done";
    case SD_OUTCOME_RETRY: return "pending";
    case SD_OUTCOME_UNCERTAIN: return "uncertain";
    case SD_OUTCOME_FAILED:
    case SD_OUTCOME_AUTH:
    default: return "failed";
    }
}

static const char *
variant_state_for (SdOutcome   outcome,
                   const char *server_id)
{
  switch (outcome)
    {
    case SD_OUTCOME_DONE: return server_id != NULL ? "scheduled" : "published";
    case SD_OUTCOME_RETRY: return "scheduled";
    default: return "failed";
    }
}

gboolean
sd_store_finish_job (SdStore     *self,
                     const char  *job_id,
                     SdOutcome    outcome,
                     gint64       retry_at,
                     const char  *server_id,
                     const char  *message,
                     GError     **error)
{
  gint64 now = sd_time_now ();
  g_autofree char *post_id = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = (stmt = sd_store_prepare (self,
                                 "UPDATE job SET state = ?2, next_attempt_at = ?3, server_id = ifnull (?4, server_id),"
                                 "   last_error = ?5, owner = NULL, lease_until = NULL, updated_at = ?6,"
                                 "   server_dirty = CASE WHEN ?2 = 'server' THEN 0 ELSE server_dirty END"
                                 " WHERE id = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, job_state_for (outcome, server_id), -1, SQLITE_STATIC);
      if (outcome == SD_OUTCOME_RETRY)
        sqlite3_bind_int64 (stmt, 3, retry_at);
      if (server_id != NULL)
        sqlite3_bind_text (stmt, 4, server_id, -1, SQLITE_TRANSIENT);
      if (message != NULL && outcome != SD_OUTCOME_DONE)
        sqlite3_bind_text (stmt, 5, message, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, now);
      ok = sd_store_step (self, stmt, error);
    }

  /* The variant links to the thread's first post. */
  if (ok && (ok = (stmt = sd_store_prepare (self,
                                            "UPDATE variant SET state = ?2, last_error = ?3, updated_at = ?4,"
                                            "   remote_id = CASE WHEN ?2 = 'published' THEN"
                                            "     (SELECT remote_id FROM job_part WHERE job_id = ?1 AND position = 0)"
                                            "     ELSE remote_id END,"
                                            "   remote_url = CASE WHEN ?2 = 'published' THEN"
                                            "     (SELECT remote_url FROM job_part WHERE job_id = ?1 AND position = 0)"
                                            "     ELSE remote_url END,"
                                            "   published_at = CASE WHEN ?2 = 'published' THEN ?4 ELSE published_at END"
                                            " WHERE id = (SELECT variant_id FROM job WHERE id = ?1)"
                                            " RETURNING post_id", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, variant_state_for (outcome, server_id), -1, SQLITE_STATIC);
      if (message != NULL && outcome != SD_OUTCOME_DONE)
        sqlite3_bind_text (stmt, 3, message, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, now);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        post_id = g_strdup (column_text (stmt, 0));
      while (rc == SQLITE_ROW)
        rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (ok && post_id != NULL)
    ok = sd_store_refresh_post_state_locked (self, post_id, error);

  return sd_store_end (self, ok, error);
}

/* list_jobs in a transaction of its own, with each job's parts. */
static GPtrArray *
list_jobs_with_parts (SdStore     *self,
                      const char  *sql,
                      const char  *id,
                      gint64       now,
                      GError     **error)
{
  GPtrArray *jobs;

  if (!sd_store_begin (self, error))
    return NULL;
  jobs = list_jobs (self, sql, id, now, error);
  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    if (!read_parts (self, jobs->pdata[i], error))
      g_clear_pointer (&jobs, g_ptr_array_unref);
  sd_store_end (self, jobs != NULL, NULL);
  return jobs;
}

/* The user's answers */

gboolean
sd_store_retry_post (SdStore     *self,
                     const char  *post_id,
                     GError     **error)
{
  gboolean ok;
  gint64 changed = 0;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;

  ok = sd_store_check_not_publishing (self, post_id, error)
       && count_rows (self, "SELECT count(*) FROM job j JOIN variant v ON v.id = j.variant_id"
                            " WHERE v.post_id = ?1 AND j.state IN ('failed', 'held', 'uncertain')",
                      post_id, &changed, error);
  if (ok && changed == 0)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                           _("Nothing of this post is waiting for a retry."));
      ok = FALSE;
    }
  /* "Send again anyway": the part in doubt is no longer treated as maybe-out. */
  ok = ok && sd_store_run_for_id (self, "UPDATE job_part SET sent_at = NULL WHERE remote_id IS NULL AND job_id IN"
                        " (SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
                        "  WHERE v.post_id = ?1 AND j.state = 'uncertain') AND ?2 IS NOT NULL",
                  post_id, error)
          && sd_store_run_for_id (self, "UPDATE job SET state = 'pending', next_attempt_at = NULL, last_error = NULL,"
                        "   due_at = max (due_at, ?2), updated_at = ?2"
                        " WHERE state IN ('failed', 'held', 'uncertain')"
                        " AND variant_id IN (SELECT id FROM variant WHERE post_id = ?1)", post_id, error)
          && sd_store_run_for_id (self, "UPDATE variant SET state = 'scheduled', last_error = NULL, updated_at = ?2"
                        " WHERE post_id = ?1 AND state = 'failed'", post_id, error)
          && sd_store_run_for_id (self, "UPDATE account SET state = 'connected', updated_at = ?2 WHERE state = 'offline'"
                        " AND id IN (SELECT account_id FROM variant WHERE post_id = ?1)", post_id, error)
          && sd_store_refresh_post_state_locked (self, post_id, error);

  return sd_store_end (self, ok, error);
}

gboolean
sd_store_confirm_published (SdStore     *self,
                            const char  *post_id,
                            GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_run_for_id (self, "UPDATE variant SET state = 'published', last_error = NULL, published_at = ?2,"
                  "   updated_at = ?2,"
                  "   remote_id = (SELECT p.remote_id FROM job j JOIN job_part p ON p.job_id = j.id"
                  "                WHERE j.variant_id = variant.id AND p.position = 0),"
                  "   remote_url = (SELECT p.remote_url FROM job j JOIN job_part p ON p.job_id = j.id"
                  "                 WHERE j.variant_id = variant.id AND p.position = 0)"
                  " WHERE post_id = ?1 AND id IN (SELECT variant_id FROM job WHERE state = 'uncertain')",
            post_id, error)
       && sd_store_run_for_id (self, "UPDATE job SET state = 'done', updated_at = ?2 WHERE state = 'uncertain'"
                     " AND variant_id IN (SELECT id FROM variant WHERE post_id = ?1)", post_id, error)
       && sd_store_refresh_post_state_locked (self, post_id, error);
  return sd_store_end (self, ok, error);
}

GPtrArray *
sd_store_list_post_jobs (SdStore     *self,
                         const char  *post_id,
                         GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return list_jobs_with_parts (self, "SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
                          " WHERE v.post_id = ?1 AND j.state != 'cancelled' AND ?2 IS NOT NULL"
                          " ORDER BY j.created_at", post_id, 0, error);
}

/* Server-held posts */

GPtrArray *
sd_store_list_server_dirty (SdStore  *self,
                            GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return list_jobs_with_parts (self, "SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
                          " WHERE j.server_dirty != 0 AND ifnull (j.server_id, '') != '' AND ?1 IS NULL"
                          " AND ?2 IS NOT NULL", NULL, 0, error);
}

GPtrArray *
sd_store_list_server_due (SdStore  *self,
                          gint64    now,
                          GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return list_jobs_with_parts (self, "SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
                          " WHERE j.state = 'server' AND j.server_dirty = 0 AND j.due_at <= ?2"
                          " AND ifnull (j.next_attempt_at, 0) <= ?2 AND ?1 IS NULL", NULL, now, error);
}

gboolean
sd_store_server_synced (SdStore     *self,
                        const char  *job_id,
                        GError     **error)
{
  gboolean ok;

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_run_for_id (self, "UPDATE job SET state = CASE server_dirty WHEN 2 THEN 'cancelled' ELSE state END,"
                  "   server_dirty = 0, updated_at = ?2 WHERE id = ?1", job_id, error);
  return sd_store_end (self, ok, error);
}

/* A server-held post whose time passed is checked again later. */
gboolean
sd_store_postpone_server_check (SdStore     *self,
                                const char  *job_id,
                                gint64       next_check,
                                GError     **error)
{
  return update_job (self, "UPDATE job SET next_attempt_at = ?2 WHERE id = ?1 AND ?3 IS NOT NULL",
                     job_id, next_check, 0, error);
}

gboolean
sd_store_release_job (SdStore     *self,
                      const char  *job_id,
                      GError     **error)
{
  g_autofree char *post_id = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  if (!sd_store_begin (self, error))
    return FALSE;
  /* An empty server id: this one waits for SocialDesk, not the server. */
  ok = sd_store_run_for_id (self, "UPDATE job SET state = 'pending', attempts = max (attempts - 1, 0), server_id = '',"
                  "   owner = NULL, lease_until = NULL, updated_at = ?2 WHERE id = ?1", job_id, error);
  if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE variant SET state = 'scheduled'"
                                                  " WHERE id = (SELECT variant_id FROM job WHERE id = ?1)"
                                                  " RETURNING post_id", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        post_id = g_strdup (column_text (stmt, 0));
      while (rc == SQLITE_ROW)
        rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (ok && post_id != NULL)
    ok = sd_store_refresh_post_state_locked (self, post_id, error);
  return sd_store_end (self, ok, error);
}

/* Moved too close to go through the server's scheduler: SocialDesk sends it. */
gboolean
sd_store_take_back_from_server (SdStore     *self,
                                const char  *job_id,
                                GError     **error)
{
  gboolean ok;

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_run_for_id (self, "UPDATE job SET state = 'pending', server_id = '', server_dirty = 0, updated_at = ?2"
                  " WHERE id = ?1", job_id, error)
       && sd_store_run_for_id (self, "UPDATE job_part SET sent_at = NULL WHERE job_id = ?1 AND remote_id IS NULL"
                     " AND ?2 IS NOT NULL", job_id, error);
  return sd_store_end (self, ok, error);
}

/* An account's posts waiting on its network's scheduler (to cancel them there before it goes). */
GPtrArray *
sd_store_list_account_server_jobs (SdStore     *self,
                                   const char  *account_id,
                                   GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return list_jobs_with_parts (self, "SELECT j.id FROM job j JOIN variant v ON v.id = j.variant_id"
                                     " WHERE v.account_id = ?1 AND j.state = 'server'"
                                     " AND ifnull (j.server_id, '') != '' AND ?2 IS NOT NULL",
                               account_id, 0, error);
}
