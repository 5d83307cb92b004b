/* sd-stall-monitor.h — measures how long listing posts keeps the main loop busy (benchmarks only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _SdStallMonitor SdStallMonitor;

SdStallMonitor *sd_stall_monitor_new         (GtkWindow      *window,
                                              GCallback       start_listing,
                                              gpointer        user_data);
void            sd_stall_monitor_mark_loaded (SdStallMonitor *self,
                                              guint           n_posts);
void            sd_stall_monitor_free        (SdStallMonitor *self);

G_END_DECLS
