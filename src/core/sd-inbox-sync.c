/* sd-inbox-sync.c — one pass of the inbox: fetch what is new, send what the person did
 *
 * Each page a provider gives is stored at once (one transaction), so a pass
 * cut short keeps what it fetched; the stream's cursor moves only once its
 * whole fetch went well. The store keeps a message once per account and
 * remote id, so fetching a page again never makes a duplicate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox"

#include "config.h"

#include "sd-inbox-sync.h"

#include <glib/gi18n-lib.h>

#include "sd-http.h"
#include "sd-sync-private.h"
#include "sd-time.h"

#define DEFAULT_MAX_PAGES 5
#define BACKOFF_FIRST_SECONDS 60
#define BACKOFF_MAX_SECONDS (60 * 60)
/* A like or hide the network keeps refusing to answer is given up after this many passes. */
#define ACTION_MAX_ATTEMPTS 10

void
sd_inbox_sync_options_init (SdInboxSyncOptions *options)
{
  *options = (SdInboxSyncOptions) { 0 };
  options->max_pages = DEFAULT_MAX_PAGES;
}

void
sd_inbox_sync_report_init (SdInboxSyncReport *report)
{
  *report = (SdInboxSyncReport) { 0 };
  report->new_messages = g_ptr_array_new_with_free_func (g_object_unref);
  report->notify = g_ptr_array_new_with_free_func (g_object_unref);
  report->problems = g_ptr_array_new_with_free_func (g_free);
}

void
sd_inbox_sync_report_clear (SdInboxSyncReport *report)
{
  g_clear_pointer (&report->new_messages, g_ptr_array_unref);
  g_clear_pointer (&report->notify, g_ptr_array_unref);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_clear_pointer (&report->keyring_error, g_free);
}

/* 1, 2, 4 … minutes for the failures in a row, at most an hour. */
static gint64
backoff_seconds (guint failures)
{
  guint shift = MIN (failures > 0 ? failures - 1 : 0, 10);

  return MIN ((gint64) BACKOFF_FIRST_SECONDS << shift, BACKOFF_MAX_SECONDS);
}

/* One pass's state */

typedef struct
{
  SdStore                  *store;
  const SdInboxSyncOptions *options;
  SdInboxSyncReport        *report;
  GCancellable             *cancellable;
  SdSignIns                *sign_ins;
  JsonObject               *provider_options;
  guint                     streams_tried;   /* of the account being synced */
  guint                     streams_failed;
} Pass;

static void
add_problem (Pass       *pass,
             SdAccount  *account,
             const char *message)
{
  g_autofree char *label = sd_account_dup_label (account);

  /* Translators: the first %s is an account ("@alice@example.social"), the
   * second a sentence saying what went wrong. */
  g_ptr_array_add (pass->report->problems, g_strdup_printf (_("%s: %s"), label,
                                                            message != NULL ? message : _("no answer")));
}

static char *
wait_sentence (SdPlatform platform,
               gint64     seconds)
{
  const char *network = sd_platform_get_info (platform)->display_name;

  if (seconds < 60)
    /* Translators: %s is a network ("Mastodon"), %d a number of seconds. */
    return g_strdup_printf (ngettext ("%s asks to wait %d second.", "%s asks to wait %d seconds.", (gulong) seconds),
                            network, (int) seconds);
  /* Translators: %s is a network ("Mastodon"), %d a number of minutes. */
  return g_strdup_printf (ngettext ("%s asks to wait %d minute.", "%s asks to wait %d minutes.",
                                    (gulong) ((seconds + 59) / 60)),
                          network, (int) ((seconds + 59) / 60));
}

static void
take_import (Pass          *pass,
             SdInboxImport *import)
{
  pass->report->n_new += import->n_new;
  for (guint i = 0; i < import->new_messages->len; i++)
    g_ptr_array_add (pass->report->new_messages, g_object_ref (import->new_messages->pdata[i]));
  for (guint i = 0; i < import->notify->len; i++)
    g_ptr_array_add (pass->report->notify, g_object_ref (import->notify->pdata[i]));
}

/* What the provider gave belongs to this account and stream, whatever it filled in. */
static void
claim_messages (GPtrArray  *messages,
                SdAccount  *account,
                const char *stream)
{
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *message = messages->pdata[i];

      sd_message_set_account_id (message, sd_account_get_id (account));
      sd_message_set_platform (message, sd_account_get_platform (account));
      if (stream != NULL && sd_message_get_stream (message) == NULL)
        sd_message_set_stream (message, stream);
      if (sd_message_get_fetched_at (message) == 0)
        sd_message_set_fetched_at (message, sd_time_now ());
    }
}

/* Actions */

static SdOutcome
send_action (Pass             *pass,
             SdProvider       *provider,
             SdPublishContext *ctx,
             SdPendingAction  *action,
             SdProviderStatus *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMessage) message = sd_store_get_message (pass->store, action->message_id, &error);
  SdOutcome outcome;

  if (message == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED, "%s", error->message);
  if (action->attempts > ACTION_MAX_ATTEMPTS)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("SocialDesk gave up after %u attempts."), action->attempts);

  outcome = sd_provider_message_action (provider, ctx, action->action, message, pass->cancellable, status);
  sd_sign_ins_save_changed (pass->sign_ins, ctx->account, ctx->credentials);
  if (outcome == SD_OUTCOME_AUTH && sd_provider_can_refresh (provider))
    {
      SdProviderStatus renewal = { 0 };

      if (sd_sign_ins_renew (pass->sign_ins, provider, ctx, &renewal) == SD_OUTCOME_DONE)
        {
          sd_provider_status_clear (status);
          outcome = sd_provider_message_action (provider, ctx, action->action, message, pass->cancellable, status);
          sd_sign_ins_save_changed (pass->sign_ins, ctx->account, ctx->credentials);
        }
      sd_provider_status_clear (&renewal);
    }
  /* A like or hide sent twice does no harm; a delete of what is gone is DONE. */
  if (outcome == SD_OUTCOME_UNCERTAIN)
    outcome = SD_OUTCOME_RETRY;
  return outcome;
}

/* FALSE (with @error) only when the store failed; *@auth when the account must sign in again. */
static gboolean
send_actions (Pass             *pass,
              SdProvider       *provider,
              SdPublishContext *ctx,
              GPtrArray        *actions,
              gboolean         *auth,
              GError          **error)
{
  for (guint i = 0; i < actions->len && !g_cancellable_is_cancelled (pass->cancellable); i++)
    {
      SdPendingAction *action = actions->pdata[i];
      SdProviderStatus status = { 0 };
      SdOutcome outcome = send_action (pass, provider, ctx, action, &status);
      gboolean ok;

      g_debug ("Action %s on %.8s: %s", sd_message_action_to_string (action->action), action->message_id,
               sd_outcome_to_string (outcome));
      if (outcome == SD_OUTCOME_AUTH)
        {
          /* The action waits for the new sign-in. */
          *auth = TRUE;
          add_problem (pass, ctx->account, status.message);
          sd_provider_status_clear (&status);
          return sd_sign_ins_needs_sign_in (pass->sign_ins, ctx->account, error);
        }
      ok = sd_store_finish_message_action (pass->store, action->id, outcome, status.message, error);
      if (outcome == SD_OUTCOME_DONE)
        pass->report->actions_sent++;
      else if (outcome == SD_OUTCOME_FAILED)
        add_problem (pass, ctx->account, status.message);
      if (ok && outcome == SD_OUTCOME_RETRY && status.retry_after > 0)
        {
          /* Told to wait: the rest wait with it. */
          g_autofree char *wait = wait_sentence (sd_account_get_platform (ctx->account), status.retry_after);

          pass->report->rate_limited = TRUE;
          add_problem (pass, ctx->account, wait);
          sd_provider_status_clear (&status);
          return TRUE;
        }
      sd_provider_status_clear (&status);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* Streams */

static gboolean
save_unavailable (Pass           *pass,
                  SdAccount      *account,
                  SdInboxStream  *stream,
                  SdInboxCursor  *cursor,
                  GError        **error)
{
  if (g_strcmp0 (cursor->last_error, stream->unavailable_reason) == 0 && cursor->fetched_at == 0
      && cursor->next_fetch_at == 0 && cursor->last_error != NULL)
    return TRUE;
  g_free (cursor->last_error);
  cursor->last_error = g_strdup (stream->unavailable_reason != NULL ? stream->unavailable_reason
                                 : _("This network does not give it to other apps."));
  return sd_store_save_inbox_cursor (pass->store, cursor, error);
}

/* A fetch that did not go well: the stream waits, the others go on. */
static gboolean
save_failure (Pass             *pass,
              SdAccount        *account,
              SdInboxCursor    *cursor,
              SdOutcome         outcome,
              SdProviderStatus *status,
              GError          **error)
{
  gint64 wait;
  g_autofree char *problem = NULL;

  cursor->failures++;
  wait = backoff_seconds (cursor->failures);
  if (outcome == SD_OUTCOME_RETRY && status->retry_after > 0)
    {
      wait = MAX (wait, status->retry_after);
      pass->report->rate_limited = TRUE;
      problem = wait_sentence (sd_account_get_platform (account), status->retry_after);
    }
  cursor->next_fetch_at = sd_time_now () + wait;
  g_free (cursor->last_error);
  cursor->last_error = g_strdup (problem != NULL ? problem
                                 : status->message != NULL ? status->message : _("no answer"));
  add_problem (pass, account, cursor->last_error);
  g_debug ("Stream %s of %s: %s, next fetch in %" G_GINT64_FORMAT " s", cursor->stream,
           sd_account_get_handle (account), sd_outcome_to_string (outcome), wait);
  return sd_store_save_inbox_cursor (pass->store, cursor, error);
}

static SdOutcome
fetch_page (Pass             *pass,
            SdProvider       *provider,
            SdPublishContext *ctx,
            SdInboxCursor    *cursor,
            const char       *page_token,
            SdInboxPage      *page,
            gboolean         *renewed,
            SdProviderStatus *status)
{
  SdOutcome outcome = sd_provider_fetch_inbox (provider, ctx, cursor->stream, cursor->cursor, page_token,
                                               page, pass->cancellable, status);

  sd_sign_ins_save_changed (pass->sign_ins, ctx->account, ctx->credentials);
  if (outcome == SD_OUTCOME_AUTH && !*renewed && sd_provider_can_refresh (provider))
    {
      SdProviderStatus renewal = { 0 };
      SdOutcome renewed_outcome;

      /* A refused token: renew it once and ask again. */
      *renewed = TRUE;
      renewed_outcome = sd_sign_ins_renew (pass->sign_ins, provider, ctx, &renewal);
      if (renewed_outcome == SD_OUTCOME_DONE)
        {
          sd_provider_status_clear (&renewal);
          sd_provider_status_clear (status);
          sd_inbox_page_clear (page);
          sd_inbox_page_init (page);
          return fetch_page (pass, provider, ctx, cursor, page_token, page, renewed, status);
        }
      sd_provider_status_clear (status);
      *status = renewal;
      outcome = renewed_outcome == SD_OUTCOME_AUTH ? SD_OUTCOME_AUTH : SD_OUTCOME_RETRY;
    }
  return outcome;
}

/* Ends a fetch: @new_cursor (taken; NULL keeps the one there was, or the
 * one a cut-short fetch was heading for) is where the next one starts. */
static void
finish_fetch (SdInboxCursor *cursor,
              char          *new_cursor)
{
  if (new_cursor == NULL)
    new_cursor = g_steal_pointer (&cursor->pending_cursor);
  if (new_cursor != NULL)
    {
      g_free (cursor->cursor);
      cursor->cursor = new_cursor;
    }
  g_clear_pointer (&cursor->resume_page, g_free);
  g_clear_pointer (&cursor->pending_cursor, g_free);
}

/* Fetches one stream's new items. FALSE (with @error) only when the store
 * failed; *@auth when the account must sign in again. */
static gboolean
fetch_stream (Pass             *pass,
              SdProvider       *provider,
              SdPublishContext *ctx,
              SdInboxStream    *stream,
              SdInboxCursor    *cursor,
              gboolean         *auth,
              GError          **error)
{
  guint max_pages = pass->options->max_pages > 0 ? pass->options->max_pages : DEFAULT_MAX_PAGES;
  /* A fetch an earlier pass cut short goes on where it stopped. */
  g_autofree char *page_token = g_strdup (cursor->resume_page);
  g_autofree char *new_cursor = g_strdup (cursor->pending_cursor);
  gboolean renewed = FALSE;

  if (!pass->options->force && cursor->next_fetch_at > sd_time_now ())
    {
      g_debug ("Stream %s of %s waits until %" G_GINT64_FORMAT, stream->id,
               sd_account_get_handle (ctx->account), cursor->next_fetch_at);
      return TRUE;
    }

  pass->streams_tried++;
  for (guint pages = 0; pages < max_pages; pages++)
    {
      SdProviderStatus status = { 0 };
      SdInboxPage page;
      SdInboxImport import;
      SdOutcome outcome;
      gboolean ok;

      if (g_cancellable_is_cancelled (pass->cancellable))
        return TRUE;

      sd_inbox_page_init (&page);
      outcome = fetch_page (pass, provider, ctx, cursor, page_token, &page, &renewed, &status);
      g_debug ("Stream %s of %s, page %u: %s", stream->id, sd_account_get_handle (ctx->account), pages,
               sd_outcome_to_string (outcome));

      if (outcome != SD_OUTCOME_DONE)
        {
          if (outcome == SD_OUTCOME_AUTH)
            {
              *auth = TRUE;
              add_problem (pass, ctx->account, status.message);
              ok = sd_sign_ins_needs_sign_in (pass->sign_ins, ctx->account, error);
            }
          else
            {
              /* A refused resume (its page token too old, say) must not
               * stop the stream for good: start afresh from what it had. */
              if (outcome == SD_OUTCOME_FAILED && cursor->resume_page != NULL)
                finish_fetch (cursor, NULL);
              ok = save_failure (pass, ctx->account, cursor, outcome, &status, error);
            }
          pass->streams_failed++;
          sd_provider_status_clear (&status);
          sd_inbox_page_clear (&page);
          return ok;
        }
      sd_provider_status_clear (&status);

      claim_messages (page.messages, ctx->account, stream->id);
      sd_inbox_import_init (&import);
      ok = sd_store_import_messages (pass->store, page.messages, &import, error);
      if (ok)
        take_import (pass, &import);
      sd_inbox_import_clear (&import);

      if (new_cursor == NULL)
        new_cursor = g_steal_pointer (&page.new_cursor);
      g_clear_pointer (&page_token, g_free);
      page_token = g_steal_pointer (&page.next_page);
      sd_inbox_page_clear (&page);
      if (!ok)
        return FALSE;
      if (page_token == NULL)
        break;
    }

  if (page_token != NULL)
    {
      /* Cut at the page limit: the next pass takes the older rest first. */
      g_free (cursor->resume_page);
      cursor->resume_page = g_steal_pointer (&page_token);
      g_free (cursor->pending_cursor);
      cursor->pending_cursor = g_steal_pointer (&new_cursor);
    }
  else
    /* The whole fetch went well: from here on next time. */
    finish_fetch (cursor, g_steal_pointer (&new_cursor));
  cursor->failures = 0;
  cursor->next_fetch_at = 0;
  g_clear_pointer (&cursor->last_error, g_free);
  cursor->fetched_at = sd_time_now ();
  return sd_store_save_inbox_cursor (pass->store, cursor, error);
}

/* Accounts */

static gboolean
sync_account (Pass       *pass,
              SdAccount  *account,
              GError    **error)
{
  g_autoptr(SdProvider) provider = sd_provider_new_for_platform (sd_account_get_platform (account));
  g_autoptr(GPtrArray) streams = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  SdPublishContext ctx = { account };
  SdProviderStatus status = { 0 };
  SdOutcome outcome;
  gboolean auth = FALSE;

  if (provider == NULL)
    return TRUE;
  if (!(actions = sd_store_list_pending_actions (pass->store, sd_account_get_id (account), error)))
    return FALSE;
  streams = pass->options->actions_only ? g_ptr_array_new ()
                                        : sd_provider_list_inbox_streams (provider, account);
  if (streams->len == 0 && actions->len == 0)
    return TRUE;

  pass->report->n_accounts++;
  pass->streams_tried = pass->streams_failed = 0;
  if (!sd_sign_ins_prepare (pass->sign_ins, provider, &ctx, &outcome, &status, error))
    {
      sd_provider_status_clear (&status);
      return FALSE;
    }
  if (outcome == SD_OUTCOME_RETRY)
    {
      /* The keyring is locked or missing: nothing can be fetched. */
      if (pass->report->keyring_error == NULL)
        pass->report->keyring_error = g_strdup (status.message);
      sd_provider_status_clear (&status);
      return TRUE;
    }
  if (outcome == SD_OUTCOME_AUTH)
    {
      add_problem (pass, account, status.message);
      sd_provider_status_clear (&status);
      return TRUE;
    }
  sd_provider_status_clear (&status);
  ctx.options = pass->provider_options;

  if (!send_actions (pass, provider, &ctx, actions, &auth, error))
    return FALSE;

  for (guint i = 0; i < streams->len && !auth; i++)
    {
      SdInboxStream *stream = streams->pdata[i];
      SdInboxCursor *cursor = sd_store_get_inbox_cursor (pass->store, sd_account_get_id (account), stream->id,
                                                         error);
      gboolean ok;

      if (cursor == NULL)
        return FALSE;
      /* A blank cursor (never fetched) names its stream once it is kept. */
      if (cursor->account_id == NULL)
        cursor->account_id = g_strdup (sd_account_get_id (account));
      if (cursor->stream == NULL)
        cursor->stream = g_strdup (stream->id);
      ok = stream->available ? fetch_stream (pass, provider, &ctx, stream, cursor, &auth, error)
                             : save_unavailable (pass, account, stream, cursor, error);
      sd_inbox_cursor_free (cursor);
      if (!ok)
        return FALSE;
    }
  if (!auth && (pass->streams_tried == 0 || pass->streams_failed < pass->streams_tried))
    pass->report->n_reached++;
  return TRUE;
}

static char *
needs_sign_in_sentence (SdAccount *account)
{
  /* Translators: %s is a network ("Mastodon"). */
  return g_strdup_printf (_("Sign in to %s again to see its messages."),
                          sd_platform_get_info (sd_account_get_platform (account))->display_name);
}

gboolean
sd_inbox_sync_run (SdStore                  *store,
                   const SdInboxSyncOptions *options,
                   GCancellable             *cancellable,
                   SdInboxSyncReport        *report,
                   GError                  **error)
{
  Pass pass = { store, options, report, cancellable };
  g_autoptr(GPtrArray) accounts = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL && report != NULL, FALSE);

  if (!(accounts = sd_store_list_accounts (store, error)))
    return FALSE;

  pass.sign_ins = sd_sign_ins_new (store, cancellable);
  pass.provider_options = json_object_new ();
  json_object_set_boolean_member (pass.provider_options, "with_activity", options->with_activity);

  for (guint i = 0; ok && i < accounts->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      SdAccount *account = accounts->pdata[i];

      if (options->account_id != NULL && g_strcmp0 (options->account_id, sd_account_get_id (account)) != 0)
        continue;
      if (sd_account_get_state (account) == SD_ACCOUNT_STATE_NEEDS_SIGN_IN)
        {
          g_autofree char *sentence = needs_sign_in_sentence (account);

          add_problem (&pass, account, sentence);
          continue;
        }
      ok = sync_account (&pass, account, error);
      if (report->keyring_error != NULL)
        break;
    }

  sd_sign_ins_free (pass.sign_ins);
  json_object_unref (pass.provider_options);
  return ok;
}

/* Conversations */

static gboolean
outcome_error (SdOutcome          outcome,
               SdProviderStatus  *status,
               GError           **error)
{
  GIOErrorEnum code = outcome == SD_OUTCOME_AUTH ? G_IO_ERROR_PERMISSION_DENIED
                      : outcome == SD_OUTCOME_RETRY && status->retry_after > 0 ? G_IO_ERROR_BUSY
                      : G_IO_ERROR_FAILED;

  g_set_error_literal (error, G_IO_ERROR, code, status->message != NULL ? status->message : _("no answer"));
  return FALSE;
}

gboolean
sd_inbox_sync_conversation (SdStore       *store,
                            const char    *message_id,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(SdProvider) provider = NULL;
  g_autoptr(SdSignIns) sign_ins = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  SdPublishContext ctx = { NULL };
  SdProviderStatus status = { 0 };
  SdInboxImport import;
  SdOutcome outcome;
  const char *conversation_id;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (!(message = sd_store_get_message (store, message_id, error))
      || !(account = sd_store_find_account (store, sd_message_get_account_id (message), error)))
    return FALSE;
  if (!(provider = sd_provider_new_for_platform (sd_account_get_platform (account)))
      || !sd_provider_can_fetch_conversation (provider))
    return TRUE;

  sign_ins = sd_sign_ins_new (store, cancellable);
  ctx.account = account;
  if (!sd_sign_ins_prepare (sign_ins, provider, &ctx, &outcome, &status, error))
    {
      sd_provider_status_clear (&status);
      return FALSE;
    }
  if (outcome == SD_OUTCOME_DONE)
    {
      messages = g_ptr_array_new_with_free_func (g_object_unref);
      outcome = sd_provider_fetch_conversation (provider, &ctx, message, messages, cancellable, &status);
      sd_sign_ins_save_changed (sign_ins, account, ctx.credentials);
      if (outcome == SD_OUTCOME_AUTH && sd_provider_can_refresh (provider)
          && sd_sign_ins_renew (sign_ins, provider, &ctx, &status) == SD_OUTCOME_DONE)
        {
          sd_provider_status_clear (&status);
          g_ptr_array_set_size (messages, 0);
          outcome = sd_provider_fetch_conversation (provider, &ctx, message, messages, cancellable, &status);
          sd_sign_ins_save_changed (sign_ins, account, ctx.credentials);
        }
      if (outcome == SD_OUTCOME_AUTH && !sd_sign_ins_needs_sign_in (sign_ins, account, error))
        {
          sd_provider_status_clear (&status);
          return FALSE;
        }
    }
  if (outcome != SD_OUTCOME_DONE)
    {
      ok = outcome_error (outcome, &status, error);
      sd_provider_status_clear (&status);
      return ok;
    }
  sd_provider_status_clear (&status);

  /* Context and our own posts join the message's conversation (they stay out
   * of the inbox lists by their kind). */
  conversation_id = sd_message_get_conversation_id (message);
  claim_messages (messages, account, NULL);
  for (guint i = 0; i < messages->len; i++)
    {
      SdMessage *item = messages->pdata[i];

      if (sd_message_get_stream (item) == NULL)
        sd_message_set_stream (item, sd_message_get_stream (message));
      if (conversation_id != NULL)
        sd_message_set_conversation_id (item, conversation_id);
    }
  sd_inbox_import_init (&import);
  ok = sd_store_import_messages (store, messages, &import, error);
  sd_inbox_import_clear (&import);
  return ok;
}
