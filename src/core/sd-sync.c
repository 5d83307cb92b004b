/* sd-sync.c — one pass of the outbox: publish what is due, exactly once
 *
 * The order of writes is what makes a send happen once: a part is marked
 * "sent" (committed) before its request and gets its remote id (committed)
 * the moment the network answers. A part marked sent without a remote id is
 * in doubt: it is sent again only when the network cannot make a second
 * post from it (its key) or after the network said it has none; when the
 * network cannot tell, the user decides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-sync"

#include "config.h"

#include "sd-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "sd-http.h"
#include "sd-network.h"
#include "sd-secrets.h"
#include "sd-sync-private.h"
#include "sd-time.h"

/* Renewed before each part; long enough for one part with its images. */
#define LEASE_SECONDS 900
#define SERVER_CHECK_SECONDS 120
#define SERVER_GIVE_UP_SECONDS (6 * 60 * 60)
/* Long-lived sign-ins (60-day Meta tokens, refresh tokens that run out) are
 * renewed by any pass in their last week. */
#define RENEW_SIGN_IN_AHEAD (7 * 24 * 60 * 60)

/* Accounts a network asked to pause (its allowance spent), kept for the
 * process: account id → unix time before which nothing is sent for it. */
static GMutex paused_lock;
static GHashTable *paused_until;

static void
pause_account (SdAccount *account,
               gint64     seconds)
{
  gint64 until;

  g_mutex_lock (&paused_lock);
  if (paused_until == NULL)
    paused_until = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  until = MAX (sd_time_now () + seconds,
               (gint64) (gintptr) g_hash_table_lookup (paused_until, sd_account_get_id (account)));
  g_hash_table_insert (paused_until, g_strdup (sd_account_get_id (account)), (gpointer) (gintptr) until);
  g_mutex_unlock (&paused_lock);
}

/* Appends ",id," of every account still paused to @skip. */
static void
append_paused_accounts (GString *skip)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = sd_time_now ();

  g_mutex_lock (&paused_lock);
  if (paused_until != NULL)
    {
      g_hash_table_iter_init (&iter, paused_until);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if ((gint64) (gintptr) value > now)
            g_string_append_printf (skip, "%s,", (const char *) key);
          else
            g_hash_table_iter_remove (&iter);
        }
    }
  g_mutex_unlock (&paused_lock);
}

void
sd_sync_options_init (SdSyncOptions *options)
{
  options->grace_seconds = SD_OUTBOX_DEFAULT_GRACE_MINUTES * 60;
  options->retry_base_ms = 30 * 1000;
  /* For tests only (README): retries in milliseconds instead of half-minutes. */
  if (g_getenv ("SOCIALDESK_RETRY_BASE_MS") != NULL)
    options->retry_base_ms = MAX (g_ascii_strtoll (g_getenv ("SOCIALDESK_RETRY_BASE_MS"), NULL, 10), 0);
  options->retry_max_seconds = 60 * 60;
  options->max_attempts = 10;
  options->server_scheduling = TRUE;
  options->limit = 0;
}

static void
sync_event_free (SdSyncEvent *event)
{
  g_free (event->post_id);
  g_free (event->account_label);
  g_free (event->message);
  g_free (event->url);
  g_free (event);
}

void
sd_sync_report_init (SdSyncReport *report)
{
  *report = (SdSyncReport) { 0 };
  report->events = g_ptr_array_new_with_free_func ((GDestroyNotify) sync_event_free);
  report->held_post_ids = g_ptr_array_new_with_free_func (g_free);
}

void
sd_sync_report_clear (SdSyncReport *report)
{
  g_clear_pointer (&report->events, g_ptr_array_unref);
  g_clear_pointer (&report->held_post_ids, g_ptr_array_unref);
  g_clear_pointer (&report->keyring_error, g_free);
}

gint64
sd_sync_backoff (const SdSyncOptions *options,
                 guint                attempts,
                 gint64               retry_after)
{
  double base = options->retry_base_ms / 1000.0;
  double wait = base * (double) (1u << MIN (attempts > 0 ? attempts - 1 : 0, 20));
  gint64 seconds;

  wait = MIN (wait, (double) options->retry_max_seconds);
  /* ±25 % so that many posts failing together do not retry together. */
  wait *= g_random_double_range (0.75, 1.25);
  seconds = (gint64) (wait + 0.5);
  return MAX (MAX (seconds, retry_after), options->retry_base_ms > 0 ? 1 : 0);
}

/* One pass's state */

typedef struct
{
  SdStore             *store;
  const SdSyncOptions *options;
  SdSyncReport        *report;
  GCancellable        *cancellable;
  char                *owner;
  SdSignIns           *sign_ins;
  GString             *skip_accounts;  /* ",id,": no sends for these in this pass */
  GHashTable          *providers;      /* platform → SdProvider */
} Pass;

static void
add_event (Pass        *pass,
           SdOutboxJob *job,
           SdOutcome    outcome,
           gboolean     on_server,
           const char  *message)
{
  SdSyncEvent *event = g_new0 (SdSyncEvent, 1);
  SdPublishPart *first = job->parts->len > 0 ? job->parts->pdata[0] : NULL;

  event->post_id = g_strdup (job->post_id);
  event->account_label = sd_account_dup_label (job->account);
  event->platform = sd_account_get_platform (job->account);
  event->outcome = outcome;
  event->on_server = on_server;
  event->message = g_strdup (message);
  event->url = first != NULL ? g_strdup (first->remote_url) : NULL;
  g_ptr_array_add (pass->report->events, event);
}

static void
skip_account (Pass       *pass,
              SdAccount  *account)
{
  g_string_append_printf (pass->skip_accounts, "%s,", sd_account_get_id (account));
}

static SdProvider *
provider_for (Pass       *pass,
              SdPlatform  platform)
{
  SdProvider *provider = g_hash_table_lookup (pass->providers, GUINT_TO_POINTER (platform));

  if (provider == NULL && (provider = sd_provider_new_for_platform (platform)) != NULL)
    g_hash_table_insert (pass->providers, GUINT_TO_POINTER (platform), provider);
  return provider;
}

typedef struct
{
  Pass        *pass;
  SdOutboxJob *job;
} StageData;

static gboolean
save_stage (const SdPublishContext *ctx,
            SdPublishPart          *part,
            GError                **error)
{
  StageData *data = ctx->stage_data;

  return sd_store_set_part_stage (data->pass->store, data->job->id, part->position, part->stage, error);
}

/* The network certainly did not take part @i (a refusal or nothing made): no longer in doubt. */
static gboolean
part_not_sent (Pass         *pass,
               SdOutboxJob  *job,
               guint         i,
               GError      **error)
{
  g_array_index (job->part_sent_at, gint64, i) = 0;
  return sd_store_clear_part_sent (pass->store, job->id, i, error);
}

static gboolean
any_part_sent (SdOutboxJob *job)
{
  for (guint i = 0; i < job->parts->len; i++)
    if (((SdPublishPart *) job->parts->pdata[i])->remote_id != NULL
        || g_array_index (job->part_sent_at, gint64, i) != 0)
      return TRUE;
  return FALSE;
}

/* A reply is out: the message it answers has been dealt with. */
static gboolean
mark_answered (Pass         *pass,
               SdOutboxJob  *job,
               GError      **error)
{
  const char *ids[] = { sd_message_get_id (job->reply_to), NULL };

  sd_message_set_is_reviewed (job->reply_to, TRUE);
  return sd_store_set_message_flag (pass->store, ids, SD_MESSAGE_FLAG_REVIEWED, TRUE, error);
}

static gboolean
finish (Pass         *pass,
        SdOutboxJob  *job,
        SdOutcome     outcome,
        gint64        retry_after,
        const char   *server_id,
        const char   *message,
        GError      **error)
{
  gint64 retry_at = 0;

  if (outcome == SD_OUTCOME_RETRY && job->attempts >= pass->options->max_attempts)
    {
      g_autofree char *gave_up = g_strdup_printf (_("SocialDesk gave up after %u attempts: %s"),
                                                  job->attempts, message != NULL ? message : "");

      /* With a part possibly out, "failed" would invite a blind resend. */
      return finish (pass, job, any_part_sent (job) ? SD_OUTCOME_UNCERTAIN : SD_OUTCOME_FAILED, 0, NULL,
                     gave_up, error);
    }
  if (outcome == SD_OUTCOME_RETRY)
    retry_at = sd_time_now () + sd_sync_backoff (pass->options, job->attempts, retry_after);

  if (!sd_store_finish_job (pass->store, job->id, outcome, retry_at, server_id, message, error))
    return FALSE;

  switch (outcome)
    {
    case SD_OUTCOME_DONE:
      if (job->reply_to != NULL && !mark_answered (pass, job, error))
        return FALSE;
      if (server_id != NULL)
        pass->report->on_server++;
      else
        pass->report->published++;
      add_event (pass, job, outcome, server_id != NULL, NULL);
      break;
    case SD_OUTCOME_RETRY:
      pass->report->retrying++;
      /* The account's other posts wait too when it is rate limited. */
      if (retry_after > 0)
        skip_account (pass, job->account);
      break;
    case SD_OUTCOME_UNCERTAIN:
      pass->report->uncertain++;
      add_event (pass, job, outcome, FALSE, message);
      break;
    case SD_OUTCOME_AUTH:
    case SD_OUTCOME_FAILED:
    default:
      pass->report->failed++;
      add_event (pass, job, SD_OUTCOME_FAILED, FALSE, message);
      break;
    }
  return TRUE;
}

/* A part in doubt: may it go again, is it there already, or can nobody tell? */
static SdOutcome
resolve_doubt (Pass             *pass,
               SdProvider       *provider,
               SdPublishContext *ctx,
               SdPublishPart    *part,
               SdProviderStatus *status)
{
  SdOutcome outcome;

  if (sd_provider_resend_is_safe (provider, ctx, part))
    return SD_OUTCOME_RETRY;

  outcome = sd_provider_find_part (provider, ctx, part, pass->cancellable, status);
  g_debug ("Part %u in doubt: the network says %s", part->position, sd_outcome_to_string (outcome));
  return outcome;
}

static char *
could_not_confirm (SdProviderStatus *status)
{
  /* Translators: %s is the network's or the connection's own words. */
  return g_strdup_printf (_("SocialDesk could not confirm whether this post went out (%s). "
                            "Look at the account, then choose “It Was Published” or “Send Again”."),
                          status->message != NULL ? status->message : _("no answer"));
}

/* Sends the job's parts that are not out yet, in order. */
static gboolean
publish_job (Pass             *pass,
             SdOutboxJob      *job,
             SdProvider       *provider,
             SdPublishContext *prepared,
             GError          **error)
{
  SdPublishContext ctx = *prepared;
  SdCredentials *credentials = ctx.credentials;
  StageData stage_data = { pass, job };
  gboolean to_server = FALSE;
  gboolean refreshed = FALSE;

  ctx.options = job->options;
  ctx.save_stage = save_stage;
  ctx.stage_data = &stage_data;

  if (pass->options->server_scheduling && job->server_id == NULL && job->attempts == 1
      && sd_provider_min_schedule_ahead (provider) > 0
      && job->due_at >= sd_time_now () + sd_provider_min_schedule_ahead (provider))
    {
      /* A thread cannot wait on the server: its replies need the first post's id. */
      if (job->parts->len != 1)
        return sd_store_release_job (pass->store, job->id, error);
      to_server = TRUE;
      ctx.scheduled_at = job->due_at;
    }

  for (guint i = 0; i < job->parts->len; i++)
    {
      SdPublishPart *part = job->parts->pdata[i];
      gint64 sent_at = g_array_index (job->part_sent_at, gint64, i);
      /* Sent before (by an attempt whose outcome is unknown): whatever this
       * attempt says, that earlier request may have made the post, so the
       * part stays in doubt, with its first time (the key's age and the
       * window find_part looks in both count from it). */
      gboolean in_doubt = sent_at != 0;
      SdProviderStatus status = { 0 };
      SdOutcome outcome;

      if (part->remote_id != NULL)
        continue;
      if (g_cancellable_is_cancelled (pass->cancellable))
        {
          /* Not sent: back to waiting, no attempt spent on it. */
          return finish (pass, job, SD_OUTCOME_RETRY, 0, NULL, NULL, error);
        }

      /* Still ours? A process that stalled past its lease stops here. */
      {
        g_autoptr(GError) lease_error = NULL;

        if (!sd_store_renew_lease (pass->store, job->id, pass->owner, sd_time_now () + LEASE_SECONDS,
                                   &lease_error))
          {
            if (!g_error_matches (lease_error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY_PUBLISHING))
              {
                g_propagate_error (error, g_steal_pointer (&lease_error));
                return FALSE;
              }
            g_debug ("Job %.8s: %s", job->id, lease_error->message);
            return TRUE;
          }
      }

      ctx.root = i > 0 ? job->parts->pdata[0] : NULL;
      ctx.parent = i > 0 ? job->parts->pdata[i - 1] : NULL;
      /* An inbox reply: the first part answers the message, the others
       * thread under the first as usual. */
      ctx.reply_to = i == 0 ? job->reply_to : NULL;
      ctx.first_attempt_at = sent_at;

      if (sent_at != 0)
        {
          outcome = resolve_doubt (pass, provider, &ctx, part, &status);
          if (outcome == SD_OUTCOME_DONE)
            {
              sd_provider_status_clear (&status);
              if (!sd_store_record_part (pass->store, job->id, part, error))
                return FALSE;
              continue;
            }
          if (outcome != SD_OUTCOME_RETRY)
            {
              g_autofree char *message = outcome == SD_OUTCOME_UNCERTAIN ? could_not_confirm (&status)
                                                                           : g_strdup (status.message);
              gboolean ok = finish (pass, job, outcome, status.retry_after, NULL, message, error);

              sd_provider_status_clear (&status);
              return ok;
            }
          sd_provider_status_clear (&status);
        }
      else
        {
          sent_at = sd_time_now ();
          if (!sd_store_mark_part_sent (pass->store, job->id, i, sent_at, error))
            return FALSE;
          g_array_index (job->part_sent_at, gint64, i) = sent_at;
          ctx.first_attempt_at = sent_at;
        }

      outcome = to_server ? sd_provider_schedule_part (provider, &ctx, part, pass->cancellable, &status)
                          : sd_provider_publish_part (provider, &ctx, part, pass->cancellable, &status);
      sd_sign_ins_save_changed (pass->sign_ins, job->account, credentials);
      g_debug ("Job %.8s part %u: %s", job->id, i, sd_outcome_to_string (outcome));

      /* The network's allowance is spent (it said so on a success): the
       * account's next call waits, in this pass and the next ones. */
      if (status.retry_after > 0 && outcome == SD_OUTCOME_DONE)
        {
          pause_account (job->account, status.retry_after);
          skip_account (pass, job->account);
        }

      /* A refused token made nothing: renew it once and send the part again. */
      if (outcome == SD_OUTCOME_AUTH && !refreshed && sd_provider_can_refresh (provider))
        {
          SdProviderStatus renewal = { 0 };
          SdOutcome renewed = sd_sign_ins_renew (pass->sign_ins, provider, &ctx, &renewal);

          refreshed = TRUE;
          if (renewed == SD_OUTCOME_DONE)
            {
              sd_provider_status_clear (&renewal);
              sd_provider_status_clear (&status);
              if (!in_doubt && !part_not_sent (pass, job, i, error))
                return FALSE;
              i--;
              continue;
            }
          /* The renewal's words say more than the first refusal's; a renewal
           * that could not be tried now leaves the post waiting. */
          sd_provider_status_clear (&status);
          status = renewal;
          outcome = renewed == SD_OUTCOME_AUTH ? SD_OUTCOME_AUTH : SD_OUTCOME_RETRY;
        }

      if (outcome == SD_OUTCOME_UNCERTAIN)
        {
          /* Ask before anything else: is it there? */
          SdProviderStatus check = { 0 };
          SdOutcome found = resolve_doubt (pass, provider, &ctx, part, &check);

          if (found == SD_OUTCOME_DONE)
            outcome = SD_OUTCOME_DONE;
          else if (found == SD_OUTCOME_RETRY)
            {
              /* Safe to send again (its key, or the network has none): next attempt. */
              gboolean ok = finish (pass, job, SD_OUTCOME_RETRY, status.retry_after, NULL, status.message, error);

              sd_provider_status_clear (&check);
              sd_provider_status_clear (&status);
              return ok;
            }
          else
            {
              g_autofree char *message = could_not_confirm (&status);
              gboolean ok = finish (pass, job, SD_OUTCOME_UNCERTAIN, 0, NULL, message, error);

              sd_provider_status_clear (&check);
              sd_provider_status_clear (&status);
              return ok;
            }
          sd_provider_status_clear (&check);
        }

      switch (outcome)
        {
        case SD_OUTCOME_DONE:
          sd_provider_status_clear (&status);
          /* A server-held part is out only once the server publishes it. */
          if (to_server)
            return finish (pass, job, SD_OUTCOME_DONE, 0, part->remote_id, NULL, error);
          if (!sd_store_record_part (pass->store, job->id, part, error))
            return FALSE;
          break;

        case SD_OUTCOME_RETRY:
          {
            gboolean ok;

            ok = (in_doubt || part_not_sent (pass, job, i, error))
                          && finish (pass, job, SD_OUTCOME_RETRY, status.retry_after, NULL, status.message, error);

            sd_provider_status_clear (&status);
            return ok;
          }

        case SD_OUTCOME_AUTH:
          {
            gboolean ok = (in_doubt || part_not_sent (pass, job, i, error))
                          && sd_sign_ins_needs_sign_in (pass->sign_ins, job->account, error)
                          && finish (pass, job, SD_OUTCOME_AUTH, 0, NULL, status.message, error);

            skip_account (pass, job->account);
            sd_provider_status_clear (&status);
            return ok;
          }

        case SD_OUTCOME_FAILED:
        default:
          {
            gboolean ok = (in_doubt || part_not_sent (pass, job, i, error))
                          && finish (pass, job, SD_OUTCOME_FAILED, 0, NULL, status.message, error);

            sd_provider_status_clear (&status);
            return ok;
          }
        }
    }

  return finish (pass, job, SD_OUTCOME_DONE, 0, NULL, NULL, error);
}

static gboolean
run_job (Pass         *pass,
         SdOutboxJob  *job,
         GError      **error)
{
  SdPlatform platform = sd_account_get_platform (job->account);
  SdProvider *provider = provider_for (pass, platform);
  SdPublishContext ctx = { job->account };
  SdProviderStatus status = { 0 };
  SdOutcome outcome;
  gboolean ok;

  if (provider == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("SocialDesk cannot publish to %s yet."),
                                                  sd_platform_get_info (platform)->display_name);
      return finish (pass, job, SD_OUTCOME_FAILED, 0, NULL, message, error);
    }

  if (!sd_sign_ins_prepare (pass->sign_ins, provider, &ctx, &outcome, &status, error))
    {
      sd_provider_status_clear (&status);
      return FALSE;
    }

  switch (outcome)
    {
    case SD_OUTCOME_DONE:
      ok = publish_job (pass, job, provider, &ctx, error);
      break;
    case SD_OUTCOME_AUTH:
      skip_account (pass, job->account);
      ok = finish (pass, job, SD_OUTCOME_AUTH, 0, NULL, status.message, error);
      break;
    case SD_OUTCOME_RETRY:
    default:
      /* The keyring is locked or missing: its posts wait for it. */
      skip_account (pass, job->account);
      if (pass->report->keyring_error == NULL)
        pass->report->keyring_error = g_strdup (status.message);
      ok = sd_store_release_job (pass->store, job->id, error);
      break;
    }
  sd_provider_status_clear (&status);
  return ok;
}

/* Server-held posts */

static gboolean
context_for (Pass             *pass,
             SdOutboxJob      *job,
             SdProvider      **provider,
             SdPublishContext *ctx)
{
  g_autoptr(GError) error = NULL;
  SdCredentials *credentials;

  if (job->account == NULL || job->parts->len == 0
      || !(*provider = provider_for (pass, sd_account_get_platform (job->account))))
    return FALSE;
  if (!(credentials = sd_sign_ins_lookup (pass->sign_ins, job->account, &error)))
    {
      g_debug ("No sign-in for %s: %s", sd_account_get_handle (job->account), error->message);
      return FALSE;
    }
  *ctx = (SdPublishContext) { job->account, credentials, sd_http_get_session () };
  ctx->options = job->options;
  return TRUE;
}

/* A server-held post moved (or went away): the server follows. Moved to
 * less than the server's minimum ahead, it comes back to SocialDesk. */
static gboolean
follow_server_changes (Pass    *pass,
                       GError **error)
{
  g_autoptr(GPtrArray) jobs = sd_store_list_server_dirty (pass->store, error);

  if (jobs == NULL)
    return FALSE;

  for (guint i = 0; i < jobs->len; i++)
    {
      SdOutboxJob *job = jobs->pdata[i];
      SdProviderStatus status = { 0 };
      SdPublishContext ctx;
      SdProvider *provider;
      SdOutcome outcome;
      gboolean take_back = FALSE;

      if (!context_for (pass, job, &provider, &ctx))
        continue;

      if (job->server_dirty == 1 && job->due_at >= sd_time_now () + sd_provider_min_schedule_ahead (provider))
        outcome = sd_provider_reschedule (provider, &ctx, job->server_id, job->due_at, pass->cancellable, &status);
      else
        {
          outcome = sd_provider_unschedule (provider, &ctx, job->server_id, pass->cancellable, &status);
          take_back = job->server_dirty == 1;
        }
      sd_sign_ins_save_changed (pass->sign_ins, job->account, ctx.credentials);
      g_debug ("Server copy of job %.8s: %s", job->id, sd_outcome_to_string (outcome));

      /* The server no longer holds it (404): its time came and it was
       * published, or someone deleted it there. Taking it back (or calling
       * it cancelled) without looking would send it a second time. */
      if (status.http_status == 404 && (outcome == SD_OUTCOME_DONE || outcome == SD_OUTCOME_FAILED))
        {
          sd_provider_status_clear (&status);
          status = (SdProviderStatus) { 0 };
          ctx.first_attempt_at = g_array_index (job->part_sent_at, gint64, 0);
          outcome = sd_provider_find_part (provider, &ctx, job->parts->pdata[0], pass->cancellable, &status);
          sd_sign_ins_save_changed (pass->sign_ins, job->account, ctx.credentials);
          g_debug ("Server copy of job %.8s is gone; among the account's posts: %s", job->id,
                   sd_outcome_to_string (outcome));
          if (outcome == SD_OUTCOME_DONE)
            {
              /* Published by the server: linked, whatever the move wanted. */
              gboolean ok = sd_store_server_synced (pass->store, job->id, error)
                            && sd_store_record_part (pass->store, job->id, job->parts->pdata[0], error)
                            && finish (pass, job, SD_OUTCOME_DONE, 0, NULL, NULL, error);

              sd_provider_status_clear (&status);
              if (!ok)
                return FALSE;
              continue;
            }
          /* Not there: deleted on the server, so the move (or the cancel)
           * goes ahead. Cannot tell: left for the next pass. */
          outcome = outcome == SD_OUTCOME_RETRY ? SD_OUTCOME_DONE : SD_OUTCOME_UNCERTAIN;
          take_back = job->server_dirty == 1;
        }

      if (outcome == SD_OUTCOME_DONE)
        {
          if (!(take_back ? sd_store_take_back_from_server (pass->store, job->id, error)
                          : sd_store_server_synced (pass->store, job->id, error)))
            {
              sd_provider_status_clear (&status);
              return FALSE;
            }
        }
      sd_provider_status_clear (&status);
    }
  return TRUE;
}

/* Server-held posts whose time passed: find them to link them. */
static gboolean
check_server_published (Pass    *pass,
                        GError **error)
{
  gint64 now = sd_time_now ();
  g_autoptr(GPtrArray) jobs = sd_store_list_server_due (pass->store, now - 30, error);

  if (jobs == NULL)
    return FALSE;

  for (guint i = 0; i < jobs->len; i++)
    {
      SdOutboxJob *job = jobs->pdata[i];
      SdPublishPart *part;
      SdProviderStatus status = { 0 };
      SdPublishContext ctx;
      SdProvider *provider;
      SdOutcome outcome;
      gboolean ok = TRUE;

      if (!context_for (pass, job, &provider, &ctx))
        continue;
      part = job->parts->pdata[0];
      ctx.first_attempt_at = MIN (job->due_at, g_array_index (job->part_sent_at, gint64, 0));
      outcome = sd_provider_find_part (provider, &ctx, part, pass->cancellable, &status);
      sd_sign_ins_save_changed (pass->sign_ins, job->account, ctx.credentials);

      if (outcome == SD_OUTCOME_DONE)
        ok = sd_store_record_part (pass->store, job->id, part, error)
             && finish (pass, job, SD_OUTCOME_DONE, 0, NULL, NULL, error);
      else if (now > job->due_at + SERVER_GIVE_UP_SECONDS)
        {
          /* Hours late and not among the account's posts: the user should look. */
          g_autofree char *message =
            g_strdup_printf (_("%s’s scheduler did not publish this post at its time, or SocialDesk cannot "
                               "find it. Look at the account, then choose “It Was Published” or “Send Again”."),
                             sd_platform_get_info (sd_account_get_platform (job->account))->display_name);

          ok = finish (pass, job, SD_OUTCOME_UNCERTAIN, 0, NULL, message, error);
        }
      else
        ok = sd_store_postpone_server_check (pass->store, job->id, now + SERVER_CHECK_SECONDS, error);
      sd_provider_status_clear (&status);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* Long-lived sign-ins (Instagram's and Threads' 60-day tokens, refresh
 * tokens that run out) are renewed in their last week, posts or not. */
static void
renew_expiring_sign_ins (Pass *pass)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = sd_store_list_accounts_expiring (pass->store, sd_time_now () + RENEW_SIGN_IN_AHEAD,
                                                                   &error);

  if (accounts == NULL)
    {
      g_warning ("Could not list the sign-ins to renew: %s", error->message);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      SdAccount *account = accounts->pdata[i];
      SdProvider *provider = provider_for (pass, sd_account_get_platform (account));
      SdProviderStatus status = { 0 };
      SdCredentials *credentials;
      SdPublishContext ctx;

      if (provider == NULL || !sd_provider_can_refresh (provider)
          || sd_account_get_state (account) == SD_ACCOUNT_STATE_NEEDS_SIGN_IN
          || strstr (pass->skip_accounts->str, sd_account_get_id (account)) != NULL)
        continue;
      g_clear_error (&error);
      if (!(credentials = sd_sign_ins_lookup (pass->sign_ins, account, &error)))
        continue;
      ctx = (SdPublishContext) { account, credentials, sd_http_get_session () };
      if (sd_sign_ins_renew (pass->sign_ins, provider, &ctx, &status) == SD_OUTCOME_AUTH)
        {
          g_debug ("%s must sign in again: %s", sd_account_get_handle (account), status.message);
          sd_sign_ins_needs_sign_in (pass->sign_ins, account, NULL);
        }
      sd_provider_status_clear (&status);
    }
}

/* The pass */

static char *
server_platforms (Pass   *pass,
                  gint64 *ahead)
{
  GString *platforms = g_string_new (",");

  *ahead = 0;
  if (!pass->options->server_scheduling)
    return g_string_free (platforms, FALSE);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      SdProvider *provider = provider_for (pass, platform);
      gint64 min_ahead = provider != NULL ? sd_provider_min_schedule_ahead (provider) : 0;

      if (min_ahead <= 0)
        continue;
      g_string_append_printf (platforms, "%s,", sd_platform_get_info (platform)->id);
      /* A minute to spare, so it is still far enough ahead when it arrives. */
      *ahead = MAX (*ahead, min_ahead + 60);
    }
  return g_string_free (platforms, FALSE);
}

gboolean
sd_sync_run (SdStore             *store,
             const SdSyncOptions *options,
             GCancellable        *cancellable,
             SdSyncReport        *report,
             GError             **error)
{
  Pass pass = { store, options, report, cancellable };
  g_autofree char *platforms = NULL;
  gint64 server_ahead = 0;
  gboolean ok = TRUE;
  guint done = 0;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  pass.owner = g_strdup_printf ("%s:%d", sd_outbox_local_host (), (int) getpid ());
  pass.sign_ins = sd_sign_ins_new (store, cancellable);
  pass.skip_accounts = g_string_new (",");
  pass.providers = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  platforms = server_platforms (&pass, &server_ahead);
  append_paused_accounts (pass.skip_accounts);

  sd_store_recover_jobs (store, sd_time_now (), NULL);
  renew_expiring_sign_ins (&pass);
  ok = follow_server_changes (&pass, error) && check_server_published (&pass, error);

  while (ok && !g_cancellable_is_cancelled (cancellable) && (options->limit == 0 || done < options->limit))
    {
      SdClaimOptions claim = {
        pass.owner, sd_time_now (), options->grace_seconds, LEASE_SECONDS,
        pass.skip_accounts->str, platforms, server_ahead,
      };
      g_autoptr(GPtrArray) held = NULL;
      g_autoptr(SdOutboxJob) job = sd_store_claim_job (store, &claim, &held, error);

      for (guint i = 0; held != NULL && i < held->len; i++)
        {
          g_ptr_array_add (report->held_post_ids, g_strdup (held->pdata[i]));
          report->held++;
        }
      if (job == NULL)
        {
          ok = error == NULL || *error == NULL;
          break;
        }
      ok = run_job (&pass, job, error);
      done++;
    }

  g_free (pass.owner);
  sd_sign_ins_free (pass.sign_ins);
  g_string_free (pass.skip_accounts, TRUE);
  g_hash_table_unref (pass.providers);
  return ok;
}
