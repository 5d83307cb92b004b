/* sd-stall-monitor.c — measures how long listing posts keeps the main loop busy (benchmarks only)
 *
 * Enabled by SOCIALDESK_BENCH_STALLS=1. The window is left to draw its first
 * frame and settle; then the listing starts (start_listing) while a 1 ms
 * timer notes the longest gap between its runs: time in which the main loop
 * could not have drawn a frame. Half a second after the rows reached the list
 * (so its redraw counts too) the figures are printed and the app quits.
 *
 * Frames are timed apart: under Xvfb every frame is painted in software, and
 * a gap that holds one says more about the paint than about the listing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-bench"

#include "sd-stall-monitor.h"

#define SETTLE_MS 300
#define AFTER_LOAD_MS 500

struct _SdStallMonitor
{
  GtkWindow *window;
  GCallback  start_listing;
  gpointer   user_data;
  gint64     listing_started;
  gint64     loaded_at;
  gint64     last_tick;
  gint64     longest_gap;
  gint64     longest_gap_without_frame;
  gint64     paint_started;
  gint64     longest_frame;
  gboolean   painted;       /* a frame was drawn since the last tick */
  guint      n_posts;
  guint      tick_id;
  guint      timeout_id;
  gulong     after_paint_id;
  gulong     frame_ids[2];
};

static gboolean
tick_cb (gpointer user_data)
{
  SdStallMonitor *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->longest_gap = MAX (self->longest_gap, now - self->last_tick);
  if (!self->painted)
    self->longest_gap_without_frame = MAX (self->longest_gap_without_frame, now - self->last_tick);
  self->painted = FALSE;
  self->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
report_cb (gpointer user_data)
{
  SdStallMonitor *self = user_data;

  self->timeout_id = 0;
  g_print ("posts listed: %u\n", self->n_posts);
  g_print ("every row in the list after: %.1f ms\n",
           (self->loaded_at - self->listing_started) / 1000.0);
  g_print ("longest main-loop stall while listing: %.1f ms\n", self->longest_gap / 1000.0);
  g_print ("  longest frame (layout and software paint): %.1f ms\n", self->longest_frame / 1000.0);
  g_print ("  longest stall without a frame in it: %.1f ms\n",
           self->longest_gap_without_frame / 1000.0);

  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
before_paint_cb (GdkFrameClock  *clock,
                 SdStallMonitor *self)
{
  self->paint_started = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock  *clock,
                SdStallMonitor *self)
{
  if (self->paint_started != 0)
    self->longest_frame = MAX (self->longest_frame, g_get_monotonic_time () - self->paint_started);
  self->painted = TRUE;
}

static gboolean
start_cb (gpointer user_data)
{
  SdStallMonitor *self = user_data;

  self->timeout_id = 0;
  self->listing_started = self->last_tick = g_get_monotonic_time ();
  self->tick_id = g_timeout_add (1, tick_cb, self);
  self->frame_ids[0] = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)),
                                         "before-paint", G_CALLBACK (before_paint_cb), self);
  self->frame_ids[1] = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)),
                                         "after-paint", G_CALLBACK (after_paint_cb), self);
  ((void (*) (gpointer)) self->start_listing) (self->user_data);

  return G_SOURCE_REMOVE;
}

static void
after_first_paint_cb (GdkFrameClock  *clock,
                      SdStallMonitor *self)
{
  g_clear_signal_handler (&self->after_paint_id, clock);
  self->timeout_id = g_timeout_add (SETTLE_MS, start_cb, self);
}

static void
window_mapped_cb (GtkWidget      *window,
                  SdStallMonitor *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  self->after_paint_id = g_signal_connect (clock, "after-paint",
                                           G_CALLBACK (after_first_paint_cb), self);
}

SdStallMonitor *
sd_stall_monitor_new (GtkWindow *window,
                      GCallback  start_listing,
                      gpointer   user_data)
{
  SdStallMonitor *self = g_new0 (SdStallMonitor, 1);

  self->window = window;
  self->start_listing = start_listing;
  self->user_data = user_data;
  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);

  return self;
}

void
sd_stall_monitor_mark_loaded (SdStallMonitor *self,
                              guint           n_posts)
{
  if (self->loaded_at != 0 || self->listing_started == 0)
    return;

  self->loaded_at = g_get_monotonic_time ();
  self->n_posts = n_posts;
  self->timeout_id = g_timeout_add (AFTER_LOAD_MS, report_cb, self);
}

void
sd_stall_monitor_free (SdStallMonitor *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_free (self);
}
