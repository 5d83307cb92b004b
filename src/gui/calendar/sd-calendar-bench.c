/* sd-calendar-bench.c — the calendar's own timing, for build-aux/bench.sh
 *
 * With SOCIALDESK_BENCH_CALENDAR set, the window steps through months and weeks
 * and makes drops on its own, timing each from the action to the end of the
 * first frame painted after the views have the posts, then prints the figures
 * and quits. Measured inside the app, so the figures hold no X round trips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-calendar-bench"

#include "config.h"

#include "sd-calendar-bench.h"
#include "sd-calendar-private.h"

#define MONTH_STEPS 22
#define WEEK_STEPS 40
#define DROPS 30

typedef enum { MONTHS, WEEKS, DROPS_PHASE, DONE } Phase;

typedef struct
{
  SdCalendarPage *page;
  Phase           phase;
  int             step;
  gint64          started;
  guint           shown;
  gulong          shown_id;
  gulong          paint_id;
  GArray         *figures[DONE];
  gboolean        split;
  gboolean        split_connected;
} Bench;

static void run_next (Bench *bench);

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static void
report (const char *what,
        GArray     *figures)
{
  g_array_sort (figures, compare_doubles);
  g_print ("%s: median %.2f ms, max %.2f ms (%u times)\n", what,
           g_array_index (figures, double, figures->len / 2),
           g_array_index (figures, double, figures->len - 1), figures->len);
}

static gboolean
next_cb (gpointer user_data)
{
  run_next (user_data);
  return G_SOURCE_REMOVE;
}

/* With SD_BENCH_SPLIT set, each figure is also split: data shown, layout, rendering.
 * GTK's own frame-clock handlers run before these, so each time stamp ends a phase. */
static gint64 layout_done, paint_done;

static void
layout_done_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  layout_done = g_get_monotonic_time ();
}

static void
paint_done_cb (GdkFrameClock *clock,
               gpointer       user_data)
{
  paint_done = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  double ms = (g_get_monotonic_time () - bench->started) / 1000.0;

  if (bench->split)
    g_print ("  shown and laid out %.1f ms, rendered %.1f ms\n",
             (layout_done - bench->started) / 1000.0, (paint_done - layout_done) / 1000.0);

  g_clear_signal_handler (&bench->paint_id, clock);
  g_array_append_val (bench->figures[bench->phase], ms);
  if (bench->step == 1)
    g_print ("%s: %u posts shown\n", bench->phase == MONTHS ? "month" : bench->phase == WEEKS ? "week" : "drop",
             bench->shown);
  g_timeout_add (50, next_cb, bench);
}

/* The views have the posts: the next frame painted is the one the user sees. */
static void
posts_shown_cb (SdCalendarPage *page,
                guint           n_posts,
                Bench          *bench)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (page));

  if (bench->started == 0 || bench->paint_id != 0)
    return;
  bench->shown = n_posts;
  if (bench->split)
    g_print ("  posts shown after %.1f ms\n", (g_get_monotonic_time () - bench->started) / 1000.0);
  if (bench->split && !bench->split_connected)
    {
      g_signal_connect (clock, "layout", G_CALLBACK (layout_done_cb), NULL);
      g_signal_connect (clock, "paint", G_CALLBACK (paint_done_cb), NULL);
      bench->split_connected = TRUE;
    }
  bench->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), bench);
  gtk_widget_queue_draw (GTK_WIDGET (page));
}

static void
drop_one (Bench *bench)
{
  GDate first, last, day;
  SdStore *store = sd_calendar_page_get_store (bench->page);
  g_autoptr(GPtrArray) posts = NULL;
  SdPostQuery query = { 0, };
  g_autoptr(GDateTime) start = NULL;
  SdPost *post;

  /* A post of the month shown, to the next day: the store write and the re-render. */
  sd_calendar_page_get_range (bench->page, &first, &last);
  start = sd_calendar_date_to_local (&first);
  g_date_add_days (&first, 7 + bench->step % 20);
  day = first;
  query.has_range = TRUE;
  query.from = g_date_time_to_unix (start) + (7 + bench->step % 20) * 86400;
  query.to = query.from + 86400 - 1;
  posts = sd_store_list_posts (store, &query, NULL);
  if (posts == NULL || posts->len == 0)
    {
      g_print ("no post to drop\n");
      bench->phase = DONE;
      run_next (bench);
      return;
    }
  post = g_ptr_array_index (posts, 0);
  g_date_add_days (&day, 1);
  bench->started = g_get_monotonic_time ();
  sd_calendar_page_drop_post (bench->page, sd_post_get_id (post), &day, SD_CALENDAR_WHOLE_DAY, FALSE);
}

static void
run_next (Bench *bench)
{
  bench->started = 0;
  if (bench->phase == MONTHS && bench->step >= MONTH_STEPS)
    {
      bench->phase = WEEKS;
      bench->step = 0;
      sd_calendar_page_set_view (bench->page, "week");
      g_timeout_add (300, next_cb, bench);
      return;
    }
  if (bench->phase == WEEKS && bench->step >= WEEK_STEPS)
    {
      bench->phase = DROPS_PHASE;
      bench->step = 0;
      sd_calendar_page_set_view (bench->page, "month");
      g_timeout_add (300, next_cb, bench);
      return;
    }
  if (bench->phase == DROPS_PHASE && bench->step >= DROPS)
    bench->phase = DONE;

  if (bench->phase == DONE)
    {
      report ("switching month (load, lay out, paint)", bench->figures[MONTHS]);
      report ("switching week (load, lay out, paint)", bench->figures[WEEKS]);
      report ("a drop (save, re-render, paint)", bench->figures[DROPS_PHASE]);
      g_application_quit (g_application_get_default ());
      return;
    }

  bench->step++;
  if (bench->phase == DROPS_PHASE)
    {
      drop_one (bench);
      return;
    }

  bench->started = g_get_monotonic_time ();
  /* Forward, then back: every switch reads a range not shown before it. */
  gtk_widget_activate_action (GTK_WIDGET (bench->page),
                              bench->step <= (bench->phase == MONTHS ? MONTH_STEPS : WEEK_STEPS) / 2
                              ? "calendar.next" : "calendar.previous", NULL);
}

void
sd_calendar_bench_start (SdCalendarPage *page)
{
  Bench *bench = g_new0 (Bench, 1);

  bench->page = page;
  bench->split = g_getenv ("SD_BENCH_SPLIT") != NULL;
  for (guint i = 0; i < DONE; i++)
    bench->figures[i] = g_array_new (FALSE, FALSE, sizeof (double));
  bench->shown_id = g_signal_connect (page, "posts-shown", G_CALLBACK (posts_shown_cb), bench);

  sd_calendar_page_set_view (page, "month");
  g_timeout_add (1500, next_cb, bench);
}
