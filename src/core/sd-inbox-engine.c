/* sd-inbox-engine.c — the app's inbox, kept fresh: on an interval, when online, in a worker
 *
 * Passes (sd_inbox_sync_run) run one at a time in a worker thread; one asked
 * for while another runs follows it (the strongest of the requests: a
 * forced refresh over a timed pass over an actions-only one). Results reach
 * the main context as signals. A problem is said once, not on every pass it
 * persists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox"

#include "config.h"

#include "sd-inbox-engine.h"

#include "sd-http.h"
#include "sd-inbox-sync.h"

/* Likes and hides a moment apart go out in one pass. */
#define ACTIONS_DELAY_MS 700
#define DEFAULT_INTERVAL_MINUTES 5

typedef enum
{
  PASS_NONE,
  PASS_ACTIONS,   /* send pending actions only */
  PASS_TIMED,     /* fetch what is due */
  PASS_FORCED,    /* fetch everything now, backoff or not */
} PassKind;

struct _SdInboxEngine
{
  GObject          parent_instance;

  SdStore         *store;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  guint            timer_id;
  guint            actions_id;
  gboolean         started;
  gboolean         busy;
  PassKind         queued;       /* asked for while a pass ran */
  guint            interval_minutes;
  gboolean         with_activity;
  GHashTable      *said;         /* problems already said, while they last */
};

G_DEFINE_FINAL_TYPE (SdInboxEngine, sd_inbox_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_INTERVAL_MINUTES,
  PROP_WITH_ACTIVITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SYNCED,
  NEW_MESSAGES,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_pass (SdInboxEngine *self,
                      PassKind       kind);

static void
set_busy (SdInboxEngine *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Tests run in a namespace with only loopback, which GIO calls "offline". */
static gboolean
network_available (SdInboxEngine *self)
{
  return g_network_monitor_get_network_available (self->monitor)
         || g_strcmp0 (g_getenv ("SOCIALDESK_ASSUME_ONLINE"), "1") == 0;
}

typedef struct
{
  SdStore            *store;
  SdInboxSyncOptions  options;
  SdInboxSyncReport   report;
} PassData;

static void
pass_data_free (PassData *data)
{
  g_clear_object (&data->store);
  sd_inbox_sync_report_clear (&data->report);
  g_free (data);
}

static void
pass_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PassData *data = task_data;
  GError *error = NULL;

  if (!sd_inbox_sync_run (data->store, &data->options, cancellable, &data->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Says each problem once; one that went away may be said again when it comes back. */
static void
say_problems (SdInboxEngine     *self,
              SdInboxSyncReport *report,
              gboolean           full_pass)
{
  g_autoptr(GHashTable) now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (report->keyring_error != NULL)
    g_hash_table_add (now, g_strdup (report->keyring_error));
  for (guint i = 0; i < report->problems->len; i++)
    g_hash_table_add (now, g_strdup (report->problems->pdata[i]));

  for (guint i = 0; i < report->problems->len + 1; i++)
    {
      const char *problem = i == 0 ? report->keyring_error : report->problems->pdata[i - 1];

      if (problem != NULL && !g_hash_table_contains (self->said, problem))
        {
          g_signal_emit (self, signals[PROBLEM], 0, problem);
          g_hash_table_add (self->said, g_strdup (problem));
        }
    }
  /* Only a pass that looked at everything knows what went away. */
  if (full_pass)
    {
      g_clear_pointer (&self->said, g_hash_table_unref);
      self->said = g_steal_pointer (&now);
    }
}

static void
pass_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SdInboxEngine *self = SD_INBOX_ENGINE (object);
  PassData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  PassKind queued;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("The inbox pass stopped: %s", error->message);
      g_signal_emit (self, signals[PROBLEM], 0, error->message);
    }
  else
    {
      if (data->report.new_messages->len > 0)
        g_signal_emit (self, signals[NEW_MESSAGES], 0, data->report.new_messages, data->report.notify);
      say_problems (self, &data->report, !data->options.actions_only && data->options.account_id == NULL);
      g_signal_emit (self, signals[SYNCED], 0, data->report.n_new);
    }

  queued = self->queued;
  self->queued = PASS_NONE;
  if (queued != PASS_NONE && self->started)
    run_pass (self, queued);
}

static void
run_pass (SdInboxEngine *self,
          PassKind       kind)
{
  g_autoptr(GTask) task = NULL;
  PassData *data;

  if (self->busy)
    {
      self->queued = MAX (self->queued, kind);
      return;
    }
  if (!network_available (self))
    {
      g_debug ("Offline: no inbox pass");
      return;
    }

  data = g_new0 (PassData, 1);
  data->store = g_object_ref (self->store);
  sd_inbox_sync_options_init (&data->options);
  data->options.force = kind == PASS_FORCED;
  data->options.actions_only = kind == PASS_ACTIONS;
  data->options.with_activity = self->with_activity;
  sd_inbox_sync_report_init (&data->report);

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, pass_done_cb, NULL);
  g_task_set_source_tag (task, run_pass);
  g_task_set_task_data (task, data, (GDestroyNotify) pass_data_free);
  g_task_run_in_thread (task, pass_thread);
}

static gboolean
timer_cb (gpointer user_data)
{
  run_pass (user_data, PASS_TIMED);
  return G_SOURCE_CONTINUE;
}

static gboolean
actions_cb (gpointer user_data)
{
  SdInboxEngine *self = user_data;

  self->actions_id = 0;
  run_pass (self, PASS_ACTIONS);
  return G_SOURCE_REMOVE;
}

static void
restart_timer (SdInboxEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->started && self->interval_minutes > 0)
    self->timer_id = g_timeout_add_seconds (self->interval_minutes * 60, timer_cb, self);
}

static void
network_changed_cb (SdInboxEngine *self,
                    gboolean       available)
{
  if (network_available (self))
    run_pass (self, PASS_TIMED);
}

static void
sd_inbox_engine_dispose (GObject *object)
{
  SdInboxEngine *self = (SdInboxEngine *) object;

  sd_inbox_engine_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->said, g_hash_table_unref);

  G_OBJECT_CLASS (sd_inbox_engine_parent_class)->dispose (object);
}

static void
sd_inbox_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdInboxEngine *self = SD_INBOX_ENGINE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_INTERVAL_MINUTES:
      g_value_set_uint (value, self->interval_minutes);
      break;
    case PROP_WITH_ACTIVITY:
      g_value_set_boolean (value, self->with_activity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_inbox_engine_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SdInboxEngine *self = SD_INBOX_ENGINE (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MINUTES:
      sd_inbox_engine_set_interval_minutes (self, g_value_get_uint (value));
      break;
    case PROP_WITH_ACTIVITY:
      sd_inbox_engine_set_with_activity (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_inbox_engine_class_init (SdInboxEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_inbox_engine_dispose;
  object_class->get_property = sd_inbox_engine_get_property;
  object_class->set_property = sd_inbox_engine_set_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL_MINUTES] = g_param_spec_uint ("interval-minutes", NULL, NULL,
                                                         0, 24 * 60, DEFAULT_INTERVAL_MINUTES,
                                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                         | G_PARAM_STATIC_STRINGS);
  properties[PROP_WITH_ACTIVITY] = g_param_spec_boolean ("with-activity", NULL, NULL, FALSE,
                                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * SdInboxEngine::new-messages:
   * @messages: (element-type SdMessage): the pass's new inbox items
   * @notify: (element-type SdMessage): those a rule asked to notify about
   */
  signals[NEW_MESSAGES] = g_signal_new ("new-messages", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                                        G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sd_inbox_engine_init (SdInboxEngine *self)
{
  self->interval_minutes = DEFAULT_INTERVAL_MINUTES;
  self->said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SdInboxEngine *
sd_inbox_engine_new (SdStore *store)
{
  SdInboxEngine *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_INBOX_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  /* The session is made here, in the main thread, before any worker sends. */
  sd_http_get_session ();
  return self;
}

void
sd_inbox_engine_start (SdInboxEngine *self)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  restart_timer (self);
  run_pass (self, PASS_TIMED);
}

void
sd_inbox_engine_stop (SdInboxEngine *self)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  self->started = FALSE;
  self->queued = PASS_NONE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->actions_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
}

void
sd_inbox_engine_refresh_now (SdInboxEngine *self)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  if (self->started)
    run_pass (self, PASS_FORCED);
}

void
sd_inbox_engine_actions_queued (SdInboxEngine *self)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  if (self->started && self->actions_id == 0)
    self->actions_id = g_timeout_add (ACTIONS_DELAY_MS, actions_cb, self);
}

gboolean
sd_inbox_engine_get_busy (SdInboxEngine *self)
{
  g_return_val_if_fail (SD_IS_INBOX_ENGINE (self), FALSE);
  return self->busy;
}

guint
sd_inbox_engine_get_interval_minutes (SdInboxEngine *self)
{
  g_return_val_if_fail (SD_IS_INBOX_ENGINE (self), 0);
  return self->interval_minutes;
}

void
sd_inbox_engine_set_interval_minutes (SdInboxEngine *self,
                                      guint          minutes)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  if (self->interval_minutes == minutes)
    return;
  self->interval_minutes = minutes;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MINUTES]);
}

gboolean
sd_inbox_engine_get_with_activity (SdInboxEngine *self)
{
  g_return_val_if_fail (SD_IS_INBOX_ENGINE (self), FALSE);
  return self->with_activity;
}

void
sd_inbox_engine_set_with_activity (SdInboxEngine *self,
                                   gboolean       with_activity)
{
  g_return_if_fail (SD_IS_INBOX_ENGINE (self));

  with_activity = !!with_activity;
  if (self->with_activity == with_activity)
    return;
  self->with_activity = with_activity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WITH_ACTIVITY]);
}

/* Conversations */

typedef struct
{
  SdStore *store;
  char    *message_id;
} ConversationData;

static void
conversation_data_free (ConversationData *data)
{
  g_clear_object (&data->store);
  g_free (data->message_id);
  g_free (data);
}

static void
conversation_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ConversationData *data = task_data;
  GError *error = NULL;

  if (!sd_inbox_sync_conversation (data->store, data->message_id, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sd_inbox_engine_fetch_conversation_async (SdInboxEngine       *self,
                                          const char          *message_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ConversationData *data;

  g_return_if_fail (SD_IS_INBOX_ENGINE (self));
  g_return_if_fail (message_id != NULL);

  data = g_new0 (ConversationData, 1);
  data->store = g_object_ref (self->store);
  data->message_id = g_strdup (message_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_inbox_engine_fetch_conversation_async);
  g_task_set_task_data (task, data, (GDestroyNotify) conversation_data_free);
  g_task_run_in_thread (task, conversation_thread);
}

gboolean
sd_inbox_engine_fetch_conversation_finish (SdInboxEngine  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  g_return_val_if_fail (SD_IS_INBOX_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
