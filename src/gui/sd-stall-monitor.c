/* sd-stall-monitor.c — measures how long the main loop is kept busy (benchmarks only)
 *
 * Enabled by SOCIALDESK_BENCH_STALLS=1. A 1 ms timer notes the longest gap
 * between its runs; any gap is time the main loop could not draw a frame.
 * Once the posts are listed (and 500 ms more have passed, to include the
 * list's own redraw) it prints the figures and quits the application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-bench"

#include "sd-stall-monitor.h"

#define SETTLE_MS 500

struct _SdStallMonitor
{
  GtkWindow *window;
  gint64     started;
  gint64     last_tick;
  gint64     longest_gap;            /* since start, first frame included */
  gint64     longest_gap_after_load; /* from the moment the rows reach the list */
  gint64     loaded_at;
  guint      n_posts;
  guint      tick_id;
  guint      settle_id;
};

static gboolean
tick_cb (gpointer user_data)
{
  SdStallMonitor *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - self->last_tick;

  self->longest_gap = MAX (self->longest_gap, gap);
  if (self->loaded_at != 0)
    self->longest_gap_after_load = MAX (self->longest_gap_after_load, gap);
  self->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
report_cb (gpointer user_data)
{
  SdStallMonitor *self = user_data;

  self->settle_id = 0;
  g_print ("posts listed: %u\n", self->n_posts);
  g_print ("list ready after: %.1f ms\n", (self->loaded_at - self->started) / 1000.0);
  g_print ("longest main-loop stall once listed: %.1f ms\n",
           self->longest_gap_after_load / 1000.0);
  g_print ("longest main-loop stall since start (first frame included): %.1f ms\n",
           self->longest_gap / 1000.0);

  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

SdStallMonitor *
sd_stall_monitor_new (GtkWindow *window)
{
  SdStallMonitor *self = g_new0 (SdStallMonitor, 1);

  self->window = window;
  self->started = self->last_tick = g_get_monotonic_time ();
  self->tick_id = g_timeout_add (1, tick_cb, self);

  return self;
}

void
sd_stall_monitor_mark_loaded (SdStallMonitor *self,
                              guint           n_posts)
{
  if (self->loaded_at != 0)
    return;

  /* The gap that ends now includes the main thread's share of the load. */
  self->loaded_at = self->last_tick;
  self->n_posts = n_posts;
  self->settle_id = g_timeout_add (SETTLE_MS, report_cb, self);
}

void
sd_stall_monitor_free (SdStallMonitor *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_free (self);
}
