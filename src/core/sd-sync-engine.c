/* sd-sync-engine.c — the app's outbox, kept moving: online, on time, in a worker
 *
 * Passes run one at a time in a worker thread (sd_sync_run), so the main
 * loop never waits on the network or the store. A pass runs every
 * TICK_SECONDS while online, when the network comes back, and on demand.
 * "finished" hands each pass's report to the main thread (notifications).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-sync"

#include "config.h"

#include "sd-sync-engine.h"

#include "sd-http.h"

#define TICK_SECONDS 15

struct _SdSyncEngine
{
  GObject          parent_instance;

  SdStore         *store;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  guint            tick_id;
  gboolean         busy;
  gboolean         again;       /* asked for while a pass ran */
  gboolean         online;
  guint            waiting;
  guint            grace_minutes;
};

G_DEFINE_FINAL_TYPE (SdSyncEngine, sd_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_BUSY,
  PROP_WAITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_pass (SdSyncEngine *self);

static void
set_busy (SdSyncEngine *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_waiting (SdSyncEngine *self,
             guint         waiting)
{
  if (self->waiting == waiting)
    return;
  self->waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

/* Tests run in a namespace with only loopback, which GIO calls "offline". */
static gboolean
network_available (SdSyncEngine *self)
{
  return g_network_monitor_get_network_available (self->monitor)
         || g_strcmp0 (g_getenv ("SOCIALDESK_ASSUME_ONLINE"), "1") == 0;
}

static void
update_online (SdSyncEngine *self)
{
  gboolean online = network_available (self);

  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

typedef struct
{
  SdStore       *store;
  SdSyncOptions  options;
  SdSyncReport   report;
  guint          waiting;
} PassData;

static void
pass_data_free (PassData *data)
{
  g_clear_object (&data->store);
  sd_sync_report_clear (&data->report);
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

  if (!sd_sync_run (data->store, &data->options, cancellable, &data->report, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->waiting = sd_store_count_waiting (data->store, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
pass_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SdSyncEngine *self = SD_SYNC_ENGINE (object);
  PassData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The outbox pass stopped: %s", error->message);
      return;
    }

  set_waiting (self, data->waiting);
  g_signal_emit (self, signals[FINISHED], 0, &data->report);

  if (self->again)
    {
      self->again = FALSE;
      run_pass (self);
    }
}

static void
run_pass (SdSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  PassData *data;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  update_online (self);
  if (!self->online)
    {
      set_waiting (self, sd_store_count_waiting (self->store, NULL));
      return;
    }

  data = g_new0 (PassData, 1);
  data->store = g_object_ref (self->store);
  sd_sync_options_init (&data->options);
  data->options.grace_seconds = (gint64) self->grace_minutes * 60;
  sd_sync_report_init (&data->report);

  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, pass_done_cb, NULL);
  g_task_set_source_tag (task, run_pass);
  g_task_set_task_data (task, data, (GDestroyNotify) pass_data_free);
  g_task_run_in_thread (task, pass_thread);
}

static gboolean
tick_cb (gpointer user_data)
{
  run_pass (user_data);
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (SdSyncEngine *self,
                    gboolean      available)
{
  gboolean was_online = self->online;

  update_online (self);
  if (self->online && !was_online)
    run_pass (self);
  else if (!self->online)
    set_waiting (self, sd_store_count_waiting (self->store, NULL));
}

static void
sd_sync_engine_dispose (GObject *object)
{
  SdSyncEngine *self = (SdSyncEngine *) object;

  sd_sync_engine_stop (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_sync_engine_parent_class)->dispose (object);
}

static void
sd_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdSyncEngine *self = SD_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_WAITING:
      g_value_set_uint (value, self->waiting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_engine_class_init (SdSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_sync_engine_dispose;
  object_class->get_property = sd_sync_engine_get_property;

  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING] = g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdSyncEngine::finished:
   * @report: (type gpointer): the pass's SdSyncReport, valid during the emission
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sd_sync_engine_init (SdSyncEngine *self)
{
  self->grace_minutes = SD_OUTBOX_DEFAULT_GRACE_MINUTES;
}

SdSyncEngine *
sd_sync_engine_new (SdStore *store)
{
  SdSyncEngine *self = g_object_new (SD_TYPE_SYNC_ENGINE, NULL);

  self->store = g_object_ref (store);
  self->monitor = g_network_monitor_get_default ();
  /* The session is made here, in the main thread, before any worker sends. */
  sd_http_get_session ();
  return self;
}

void
sd_sync_engine_start (SdSyncEngine *self)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  if (self->tick_id != 0)
    return;
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  self->online = network_available (self);
  run_pass (self);
}

void
sd_sync_engine_stop (SdSyncEngine *self)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
}

void
sd_sync_engine_sync_now (SdSyncEngine *self)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  if (self->tick_id != 0)
    run_pass (self);
}

gboolean
sd_sync_engine_get_online (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), FALSE);
  return self->online;
}

gboolean
sd_sync_engine_get_busy (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), FALSE);
  return self->busy;
}

guint
sd_sync_engine_get_waiting (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), 0);
  return self->waiting;
}

void
sd_sync_engine_recount_waiting (SdSyncEngine *self)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));
  set_waiting (self, sd_store_count_waiting (self->store, NULL));
}

void
sd_sync_engine_set_grace_minutes (SdSyncEngine *self,
                                  guint         minutes)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));
  self->grace_minutes = minutes;
}
