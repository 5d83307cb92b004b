/* sd-calendar-page.c — the content calendar: month, week and list of planned posts
 *
 * The page owns what the views show: the day it is on, the posts of the range
 * the visible view covers (read in a worker) and the moves made on it. Every
 * move is one store call (the post and its waiting sends together), shown at
 * once in memory and undone with the time the post had.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "socialdesk-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>

#include "posts/sd-outbox-actions.h"
#include "posts/sd-post-list-model.h"
#include "sd-agenda-view.h"
#include "sd-calendar-page.h"
#include "sd-calendar-private.h"
#include "sd-month-view.h"
#include "sd-post-card.h"
#include "sd-schedule.h"
#include "sd-time.h"
#include "sd-toast.h"
#include "sd-week-view.h"

/* Narrower than this, cards shrink to their time and the drafts fold away. */
#define COMPACT_WIDTH 800

struct _SdCalendarPage
{
  GtkWidget        parent_instance;

  SdStore         *store;
  GDate            date;
  GPtrArray       *posts;          /* the range's, in time order, all networks */
  GCancellable    *loading;
  GHashTable      *cache;          /* range key → posts of that range, time order */
  GCancellable    *prefetching;
  gboolean         load_when_mapped;
  SdPostListModel *drafts;
  SdPlatformSet    networks;
  char            *cut_id;
  gboolean         compact;
  guint            compact_idle_id;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *box;
  AdwHeaderBar    *header_bar;
  GtkToggleButton *drafts_button;
  GtkMenuButton   *date_button;
  GtkPopover      *date_popover;
  GtkCalendar     *date_calendar;
  GtkWidget       *date_icon;
  GtkLabel        *period_label;
  GtkWidget       *view_switcher;
  GtkStack        *title_stack;
  AdwWindowTitle  *compact_title;
  GtkWidget       *today_button;
  AdwViewSwitcherBar *switcher_bar;
  GtkMenuButton   *menu_button;
  GtkWidget       *networks_box;
  AdwFlap         *flap;
  GtkSearchEntry  *drafts_search;
  GtkStack        *drafts_stack;
  GtkWidget       *drafts_scroller;
  GtkListView     *drafts_list;
  AdwViewStack    *view_stack;
  GtkWidget       *month_view;
  GtkWidget       *week_view;
  GtkWidget       *agenda_view;
};

G_DEFINE_FINAL_TYPE (SdCalendarPage, sd_calendar_page, GTK_TYPE_WIDGET)

enum {
  OPEN_POST,
  DELETE_POST,
  POSTS_CHANGED,
  POSTS_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Days and times */

/* GLib reads /etc/localtime again for every "local" GDateTime: the calendar makes
 * thousands, so it keeps the zone, and takes it anew each time it shows a range. */
static GTimeZone *local_zone;

void
sd_calendar_refresh_zone (void)
{
  g_clear_pointer (&local_zone, g_time_zone_unref);
  local_zone = g_time_zone_new_local ();
}

GTimeZone *
sd_calendar_zone (void)
{
  if (local_zone == NULL)
    sd_calendar_refresh_zone ();
  return local_zone;
}

GDateTime *
sd_calendar_local_time (gint64 when)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);

  return g_date_time_to_timezone (utc, sd_calendar_zone ());
}

void
sd_calendar_date_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

void
sd_calendar_date_from_unix (gint64  when,
                            GDate  *day)
{
  g_autoptr(GDateTime) local = sd_calendar_local_time (when);

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

GDateTime *
sd_calendar_date_to_local (const GDate *day)
{
  return g_date_time_new (sd_calendar_zone (), g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day), 0, 0, 0);
}

/* The locale's first day of the week, Sunday = 0 (as GtkCalendar reads it). */
int
sd_calendar_first_weekday (void)
{
#ifdef HAVE__NL_TIME_FIRST_WEEKDAY
  union { unsigned int word; char *string; } week_1stday;
  int first_weekday = nl_langinfo (_NL_TIME_FIRST_WEEKDAY)[0];
  int week_origin;

  week_1stday.string = nl_langinfo (_NL_TIME_WEEK_1STDAY);
  week_origin = week_1stday.word;
  if (week_origin == 19971130)      /* a Sunday */
    week_origin = 0;
  else if (week_origin == 19971201) /* a Monday */
    week_origin = 1;
  else
    week_origin = 1;

  return (week_origin + first_weekday - 1) % 7;
#else
  return 1;
#endif
}

char *
sd_calendar_format_long_date (const GDate *day)
{
  g_autoptr(GDateTime) time = sd_calendar_date_to_local (day);

  /* Translators: a day in full, as a screen reader says it, see g_date_time_format(). */
  return g_date_time_format (time, _("%A, %-d %B %Y"));
}

/* What a drag over a day or slot shows: the time the post would get there. */
char *
sd_calendar_describe_drop (gint64 when)
{
  g_autoptr(GDateTime) local = sd_calendar_local_time (when);
  g_autofree char *time = g_date_time_format (local, _("%H:%M"));

  if (when <= sd_time_now ())
    /* Translators: shown on a day or time slot during a drag: %s is a time of day. */
    return g_strdup_printf (_("%s is past"), time);

  /* Translators: shown on a day or time slot during a drag: the post's new time of day. */
  return g_strdup_printf (_("To %s"), time);
}

/* Ctrl while dragging makes a copy; so does dragging a published post. */
gboolean
sd_calendar_drop_is_copy (GtkDropTarget *target)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);
  GdkDragAction actions = drop != NULL ? gdk_drop_get_actions (drop) : GDK_ACTION_MOVE;

  return (actions & GDK_ACTION_MOVE) == 0 || actions == GDK_ACTION_COPY;
}

SdCalendarPage *
sd_calendar_page_from_widget (GtkWidget *widget)
{
  return SD_CALENDAR_PAGE (gtk_widget_get_ancestor (widget, SD_TYPE_CALENDAR_PAGE));
}

static gint64
local_day_start (const GDate *day)
{
  g_autoptr(GDateTime) start = sd_calendar_date_to_local (day);

  return g_date_time_to_unix (start);
}

static gint64
time_on_day (const GDate *day,
             int          minute)
{
  return sd_schedule_time_on_day (g_date_get_year (day), g_date_get_month (day),
                                  g_date_get_day (day), minute, sd_calendar_zone ());
}

gint64
sd_calendar_page_drop_time (SdCalendarPage *self,
                            SdPost         *post,
                            const GDate    *day,
                            int             minute)
{
  gint64 when = sd_post_get_scheduled_at (post);

  if (minute != SD_CALENDAR_WHOLE_DAY)
    return time_on_day (day, minute);
  if (when != SD_POST_NO_TIME)
    return sd_schedule_move_to_day (when, g_date_get_year (day), g_date_get_month (day),
                                    g_date_get_day (day), NULL);
  return sd_schedule_next_best_time (sd_post_get_platforms (post), g_date_get_year (day),
                                     g_date_get_month (day), g_date_get_day (day), sd_time_now (),
                                     NULL);
}

SdStore *
sd_calendar_page_get_store (SdCalendarPage *self)
{
  return self->store;
}

/* Messages */

static void
show_toast (SdCalendarPage *self,
            AdwToast       *toast)
{
  /* The page's own overlay: its toasts' Undo reaches the page's actions. */
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_message (SdCalendarPage *self,
              const char     *message)
{
  show_toast (self, sd_toast_new_plain (message));
}

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) local = sd_calendar_local_time (when);

  /* Translators: where a post went, in a toast, see g_date_time_format(). */
  return g_date_time_format (local, _("%a %-d %b, %H:%M"));
}

/* What is shown */

static SdCalendarView *
visible_view (SdCalendarPage *self)
{
  return SD_CALENDAR_VIEW (adw_view_stack_get_visible_child (self->view_stack));
}

const char *
sd_calendar_page_get_view (SdCalendarPage *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR_PAGE (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

gboolean
sd_calendar_page_set_view (SdCalendarPage *self,
                           const char     *view)
{
  g_return_val_if_fail (SD_IS_CALENDAR_PAGE (self), FALSE);

  if (view == NULL || adw_view_stack_get_child_by_name (self->view_stack, view) == NULL)
    return FALSE;

  adw_view_stack_set_visible_child_name (self->view_stack, view);
  return TRUE;
}

void
sd_calendar_page_get_range (SdCalendarPage *self,
                            GDate          *first,
                            GDate          *last)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));

  g_date_clear (first, 1);
  g_date_clear (last, 1);
  sd_calendar_view_get_range (visible_view (self), &self->date, first, last);
}

static void
update_period (SdCalendarPage *self)
{
  g_autoptr(GDateTime) date = sd_calendar_date_to_local (&self->date);
  g_autofree char *period = NULL;
  GDate first, last;

  if (g_strcmp0 (sd_calendar_page_get_view (self), "week") == 0)
    {
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      sd_calendar_page_get_range (self, &first, &last);
      start = sd_calendar_date_to_local (&first);
      end = sd_calendar_date_to_local (&last);
      /* Translators: the first day of a week in the header, see g_date_time_format(). */
      from = g_date_time_format (start, _("%-d %b"));
      /* Translators: the last day of a week in the header, see g_date_time_format(). */
      to = g_date_time_format (end, _("%-d %b %Y"));
      /* Translators: a week in the header: first day – last day. */
      period = g_strdup_printf (_("%s – %s"), from, to);
    }
  else
    period = g_date_time_format (date, _("%B %Y"));

  gtk_label_set_text (self->period_label, period);
  adw_window_title_set_title (self->compact_title, period);
}

static int
compare_by_time (gconstpointer a,
                 gconstpointer b)
{
  gint64 ta = sd_post_get_scheduled_at (*(SdPost **) a);
  gint64 tb = sd_post_get_scheduled_at (*(SdPost **) b);

  return (ta > tb) - (ta < tb);
}

/* The views get the posts of the chosen networks. */
static void
show_posts (SdCalendarPage *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();

  for (guint i = 0; self->posts != NULL && i < self->posts->len; i++)
    {
      SdPost *post = g_ptr_array_index (self->posts, i);
      SdPlatformSet platforms = sd_post_get_platforms (post);

      if (platforms == 0 || (platforms & self->networks) != 0)
        g_ptr_array_add (shown, post);
    }

  sd_calendar_view_show_posts (visible_view (self), &self->date, shown);
  g_signal_emit (self, signals[POSTS_SHOWN], 0, shown->len);
}

/* Ranges already read, so that stepping to the next or previous month or week shows
 * at once: the neighbours are read ahead in a worker. Any change empties it. */
#define MAX_CACHED_RANGES 12

static char *
range_key (SdCalendarView *view,
           const GDate    *date)
{
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  sd_calendar_view_get_range (view, date, &first, &last);
  return g_strdup_printf ("%u-%u", g_date_get_julian (&first), g_date_get_julian (&last));
}

static void
range_query (SdCalendarView *view,
             const GDate    *date,
             SdPostQuery    *query)
{
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  sd_calendar_view_get_range (view, date, &first, &last);
  g_date_add_days (&last, 1);
  query->has_range = TRUE;
  query->from = local_day_start (&first);
  query->to = local_day_start (&last) - 1;
}

static void
remember_range (SdCalendarPage *self,
                char           *key,
                GPtrArray      *posts)
{
  if (g_hash_table_size (self->cache) >= MAX_CACHED_RANGES)
    g_hash_table_remove_all (self->cache);
  g_hash_table_replace (self->cache, key, g_ptr_array_ref (posts));
}

static void
forget_ranges (SdCalendarPage *self)
{
  g_cancellable_cancel (self->prefetching);
  g_clear_object (&self->prefetching);
  g_hash_table_remove_all (self->cache);
}

/* The step a Previous or Next makes in the current view. */
static void
neighbour_date (SdCalendarPage *self,
                int             direction,
                GDate          *date)
{
  *date = self->date;
  if (g_strcmp0 (sd_calendar_page_get_view (self), "week") == 0)
    {
      if (direction > 0)
        g_date_add_days (date, 7);
      else
        g_date_subtract_days (date, 7);
      return;
    }

  g_date_set_day (date, 1);
  if (direction > 0)
    g_date_add_months (date, 1);
  else
    g_date_subtract_months (date, 1);
}

typedef struct
{
  SdCalendarPage *page;
  char           *key;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_object_unref (prefetch->page);
  g_free (prefetch->key);
  g_free (prefetch);
}

static void
prefetch_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Prefetch *prefetch = user_data;
  g_autoptr(GPtrArray) posts = sd_store_list_posts_finish (SD_STORE (source), result, NULL);

  /* Cancelled (the store changed) or failed: the range is read when shown. */
  if (posts != NULL && !g_hash_table_contains (prefetch->page->cache, prefetch->key))
    {
      g_ptr_array_sort (posts, compare_by_time);
      remember_range (prefetch->page, g_steal_pointer (&prefetch->key), posts);
    }
  prefetch_free (prefetch);
}

static void
prefetch_neighbours (SdCalendarPage *self)
{
  SdCalendarView *view = visible_view (self);

  if (self->prefetching == NULL)
    self->prefetching = g_cancellable_new ();

  for (int direction = -1; direction <= 1; direction += 2)
    {
      SdPostQuery query = { 0, };
      Prefetch *prefetch;
      GDate date;

      neighbour_date (self, direction, &date);
      prefetch = g_new0 (Prefetch, 1);
      prefetch->key = range_key (view, &date);
      if (g_hash_table_contains (self->cache, prefetch->key))
        {
          g_free (prefetch->key);
          g_free (prefetch);
          continue;
        }
      prefetch->page = g_object_ref (self);
      range_query (view, &date, &query);
      sd_store_list_posts_async (self->store, &query, self->prefetching, prefetch_cb, prefetch);
    }
}

static void
list_posts_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SdCalendarPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *posts = sd_store_list_posts_finish (SD_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);

  if (posts == NULL)
    {
      /* Translators: %s says why the store could not be read. */
      g_autofree char *message = g_strdup_printf (_("The calendar could not be read: %s"),
                                                  error->message);
      show_message (self, message);
      return;
    }

  g_clear_pointer (&self->posts, g_ptr_array_unref);
  self->posts = posts;
  g_ptr_array_sort (self->posts, compare_by_time);
  remember_range (self, range_key (visible_view (self), &self->date), self->posts);
  show_posts (self);
  prefetch_neighbours (self);
}

/* Shows the range around the date: from what was read ahead, or read now. */
static void
load_range (SdCalendarPage *self)
{
  SdPostQuery query = { 0, };
  g_autofree char *key = NULL;
  GPtrArray *cached;

  sd_calendar_refresh_zone ();
  update_period (self);
  if (self->store == NULL)
    return;

  /* Start-up sets the store, the view and the date one after the other, and the window
   * may open on Posts: read only what is on screen, once it is. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->load_when_mapped = TRUE;
      return;
    }
  self->load_when_mapped = FALSE;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);

  key = range_key (visible_view (self), &self->date);
  cached = g_hash_table_lookup (self->cache, key);
  if (cached != NULL)
    {
      g_clear_pointer (&self->posts, g_ptr_array_unref);
      self->posts = g_ptr_array_ref (cached);
      show_posts (self);
      prefetch_neighbours (self);
      return;
    }

  self->loading = g_cancellable_new ();
  range_query (visible_view (self), &self->date, &query);
  sd_store_list_posts_async (self->store, &query, self->loading, list_posts_cb, g_object_ref (self));
}

/* The store changed: read everything shown again. */
void
sd_calendar_page_reload (SdCalendarPage *self)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));

  forget_ranges (self);
  if (self->drafts != NULL)
    sd_post_list_model_reload (self->drafts);
  load_range (self);
}

void
sd_calendar_page_get_date (SdCalendarPage *self,
                           GDate          *date)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));

  *date = self->date;
}

void
sd_calendar_page_set_date (SdCalendarPage *self,
                           const GDate    *date)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));
  g_return_if_fail (g_date_valid (date));

  self->date = *date;
  load_range (self);
}

static void
view_changed_cb (SdCalendarPage *self)
{
  GtkWidget *visible = adw_view_stack_get_visible_child (self->view_stack);
  GtkWidget *views[] = { self->month_view, self->week_view, self->agenda_view };

  if (visible == NULL)
    return;

  /* Hidden views keep no cards: nothing stale for a screen reader to find. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (views[i] != NULL && views[i] != visible)
      sd_calendar_view_show_posts (SD_CALENDAR_VIEW (views[i]), &self->date, NULL);
  load_range (self);
}

/* Moving posts */

static SdPost *
find_post (SdCalendarPage *self,
           const char     *id,
           GError        **error)
{
  guint position;

  for (guint i = 0; self->posts != NULL && i < self->posts->len; i++)
    if (g_str_equal (sd_post_get_id (g_ptr_array_index (self->posts, i)), id))
      return g_object_ref (g_ptr_array_index (self->posts, i));

  if (sd_post_list_model_find (self->drafts, id, &position))
    return g_list_model_get_item (G_LIST_MODEL (self->drafts), position);

  return sd_store_get_post (self->store, id, error);
}

/* The moved post is shown where it went without reading the range again. */
static void
place_post (SdCalendarPage *self,
            SdPost         *post)
{
  GDate first, last, day;
  gboolean in_range;

  for (guint i = 0; self->posts != NULL && i < self->posts->len; i++)
    if (g_str_equal (sd_post_get_id (g_ptr_array_index (self->posts, i)), sd_post_get_id (post)))
      {
        g_ptr_array_remove_index (self->posts, i);
        break;
      }

  sd_calendar_page_get_range (self, &first, &last);
  in_range = sd_post_get_scheduled_at (post) != SD_POST_NO_TIME;
  if (in_range)
    {
      sd_calendar_date_from_unix (sd_post_get_scheduled_at (post), &day);
      in_range = g_date_compare (&day, &first) >= 0 && g_date_compare (&day, &last) <= 0;
    }

  if (self->posts == NULL)
    self->posts = g_ptr_array_new_with_free_func (g_object_unref);
  if (in_range)
    {
      g_ptr_array_add (self->posts, g_object_ref (post));
      g_ptr_array_sort (self->posts, compare_by_time);
    }

  if (sd_post_get_scheduled_at (post) != SD_POST_NO_TIME)
    sd_post_list_model_remove (self->drafts, sd_post_get_id (post));

  /* Only the range shown is up to date now; a read still under way is not. */
  forget_ranges (self);
  if (self->loading != NULL)
    load_range (self);
  else
    {
      remember_range (self, range_key (visible_view (self), &self->date), self->posts);
      show_posts (self);
      prefetch_neighbours (self);
    }
  g_signal_emit (self, signals[POSTS_CHANGED], 0);
}

static gboolean
refuse_past (SdCalendarPage *self,
             gint64          when)
{
  if (when != SD_POST_NO_TIME && when <= sd_time_now ())
    {
      show_message (self, _("That time has passed; pick a later one."));
      return TRUE;
    }
  return FALSE;
}

static void
show_undo_toast (SdCalendarPage *self,
                 const char     *message,
                 const char     *action,
                 GVariant       *target)
{
  AdwToast *toast = sd_toast_new_plain (message);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, action);
  adw_toast_set_action_target_value (toast, target);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  show_toast (self, toast);
}

static gboolean
move_post (SdCalendarPage *self,
           SdPost         *post,
           gint64          when)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;
  gint64 old;

  if (sd_post_get_state (post) == SD_POST_STATE_PUBLISHED)
    {
      show_message (self, _("A published post stays where it went out; hold Ctrl while "
                            "dragging to plan a copy of it."));
      return FALSE;
    }
  if (refuse_past (self, when))
    return FALSE;
  if (when == sd_post_get_scheduled_at (post))
    return TRUE;

  if (!sd_store_move_post (self->store, sd_post_get_id (post), when, &old, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }

  sd_post_set_scheduled_at (post, when);
  place_post (self, post);

  if (when == SD_POST_NO_TIME)
    message = g_strdup (_("The post has no time now"));
  else
    {
      where = format_when (when);
      /* Translators: %s is a day and time. */
      message = g_strdup_printf (_("Moved to %s"), where);
    }
  show_undo_toast (self, message, "calendar.undo-move",
                   g_variant_new ("(sx)", sd_post_get_id (post), old));
  return TRUE;
}

static gboolean
copy_post (SdCalendarPage *self,
           SdPost         *post,
           gint64          when)
{
  g_autoptr(SdPost) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;

  if (refuse_past (self, when))
    return FALSE;

  copy = sd_post_copy (post);
  sd_post_set_state (copy, SD_POST_STATE_DRAFT);
  sd_post_set_scheduled_at (copy, when);
  if (!sd_store_save_post (self->store, copy, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }

  place_post (self, copy);
  if (when == SD_POST_NO_TIME)
    {
      sd_post_list_model_prepend (self->drafts, copy);
      message = g_strdup (_("Post duplicated"));
    }
  else
    {
      where = format_when (when);
      /* Translators: %s is a day and time. */
      message = g_strdup_printf (_("Copy planned for %s"), where);
    }
  show_undo_toast (self, message, "calendar.undo-duplicate",
                   g_variant_new_string (sd_post_get_id (copy)));
  return TRUE;
}

gboolean
sd_calendar_page_drop_post (SdCalendarPage *self,
                            const char     *id,
                            const GDate    *day,
                            int             minute,
                            gboolean        copy)
{
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;
  gint64 when;

  g_return_val_if_fail (SD_IS_CALENDAR_PAGE (self), FALSE);

  if (!(post = find_post (self, id, &error)))
    {
      show_message (self, error->message);
      return FALSE;
    }

  when = sd_calendar_page_drop_time (self, post, day, minute);
  return copy ? copy_post (self, post, when) : move_post (self, post, when);
}

gboolean
sd_calendar_page_unschedule_id (SdCalendarPage *self,
                                const char     *id)
{
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;

  if (!(post = find_post (self, id, &error)))
    {
      show_message (self, error->message);
      return FALSE;
    }
  if (sd_post_get_scheduled_at (post) == SD_POST_NO_TIME)
    return TRUE;
  if (!move_post (self, post, SD_POST_NO_TIME))
    return FALSE;

  sd_post_list_model_reload (self->drafts);
  return TRUE;
}

gboolean
sd_calendar_page_paste (SdCalendarPage *self,
                        const GDate    *day)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (SD_IS_CALENDAR_PAGE (self), FALSE);

  if (self->cut_id == NULL)
    {
      show_message (self, _("Nothing to paste: cut a post first with Ctrl+X."));
      return FALSE;
    }

  id = g_steal_pointer (&self->cut_id);
  return sd_calendar_page_drop_post (self, id, day, SD_CALENDAR_WHOLE_DAY, FALSE);
}

/* Actions on a post (from a card's menu or keys) */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;

  /* The composer gets the stored post, not the calendar's copy of it. */
  if (!(post = sd_store_get_post (self->store, g_variant_get_string (parameter, NULL), &error)))
    {
      show_message (self, error->message);
      return;
    }
  g_signal_emit (self, signals[OPEN_POST], 0, post);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;
  gint64 when;

  if (!(post = find_post (self, g_variant_get_string (parameter, NULL), &error)))
    {
      show_message (self, error->message);
      return;
    }

  /* A copy of a post whose time has passed waits among the drafts. */
  when = sd_post_get_scheduled_at (post);
  if (when <= sd_time_now ())
    when = SD_POST_NO_TIME;
  copy_post (self, post, when);
}

static void
unschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sd_calendar_page_unschedule_id (SD_CALENDAR_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[DELETE_POST], 0, g_variant_get_string (parameter, NULL));
}

static void
cut_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  g_free (self->cut_id);
  self->cut_id = g_variant_dup_string (parameter, NULL);
  show_message (self, _("Post cut: focus a day and press Ctrl+V to move it there"));
}

static void
undo_move_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *id;
  gint64 old;

  g_variant_get (parameter, "(&sx)", &id, &old);
  if (!sd_store_move_post (self->store, id, old, NULL, &error))
    {
      show_message (self, error->message);
      return;
    }

  sd_calendar_page_reload (self);
  g_signal_emit (self, signals[POSTS_CHANGED], 0);
}

static void
undo_duplicate_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!sd_store_delete_post (self->store, g_variant_get_string (parameter, NULL), &error))
    {
      show_message (self, error->message);
      return;
    }

  sd_calendar_page_reload (self);
  g_signal_emit (self, signals[POSTS_CHANGED], 0);
}

/* The outbox's answers (a card's menu) */

static void
outbox_done (GtkWidget  *widget,
             const char *post_id,
             GError     *error,
             const char *message)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  if (error != NULL)
    {
      show_message (self, error->message);
      return;
    }

  sd_calendar_page_reload (self);
  g_signal_emit (self, signals[POSTS_CHANGED], 0);
  show_message (self, message);
}

static void
retry_done (GtkWidget  *widget,
            const char *post_id,
            GError     *error)
{
  outbox_done (widget, post_id, error, _("The post will be sent again shortly"));
}

static void
confirm_done (GtkWidget  *widget,
              const char *post_id,
              GError     *error)
{
  outbox_done (widget, post_id, error, _("Marked as published"));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  sd_outbox_retry (widget, self->store, g_variant_get_string (parameter, NULL), retry_done);
}

static void
confirm_published_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  sd_outbox_confirm_published (widget, self->store, g_variant_get_string (parameter, NULL), confirm_done);
}

static void
send_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  sd_outbox_ask_send_again (widget, self->store, g_variant_get_string (parameter, NULL), retry_done);
}

/* Move to…: a date and a time, for the keyboard and screen readers */

static void
move_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         SdCalendarPage   *self)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (dialog), "calendar");
  GtkSpinButton *hour = g_object_get_data (G_OBJECT (dialog), "hour");
  GtkSpinButton *minute = g_object_get_data (G_OBJECT (dialog), "minute");
  const char *id = g_object_get_data (G_OBJECT (dialog), "post-id");
  g_autoptr(GDateTime) picked = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;

  if (!g_str_equal (response, "move"))
    return;

  if (!(post = find_post (self, id, &error)))
    {
      show_message (self, error->message);
      return;
    }

  picked = gtk_calendar_get_date (calendar);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (picked), g_date_time_get_month (picked),
                  g_date_time_get_year (picked));
  if (move_post (self, post, time_on_day (&day, gtk_spin_button_get_value_as_int (hour) * 60
                                                + gtk_spin_button_get_value_as_int (minute))))
    sd_calendar_view_focus_day (visible_view (self), &day);
}

static gboolean
format_two_digits_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static GtkWidget *
make_time_spin (int         max,
                int         step,
                int         value,
                const char *name)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect (spin, "output", G_CALLBACK (format_two_digits_cb), NULL);
  return spin;
}

static void
move_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  GtkWidget *dialog, *box, *calendar, *time_box, *hour, *minute;
  gint64 when;

  if (!(post = find_post (self, id, &error)))
    {
      show_message (self, error->message);
      return;
    }
  if (sd_post_get_state (post) == SD_POST_STATE_PUBLISHED)
    {
      show_message (self, _("A published post stays where it went out; duplicate it to plan it again."));
      return;
    }

  when = sd_post_get_scheduled_at (post);
  if (when == SD_POST_NO_TIME)
    when = sd_schedule_next_best_time (sd_post_get_platforms (post), g_date_get_year (&self->date),
                                       g_date_get_month (&self->date), g_date_get_day (&self->date),
                                       sd_time_now (), NULL);
  start = g_date_time_new_from_unix_local (when);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Move Post"),
                                   _("Pick the day and the time it should go out."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  calendar = gtk_calendar_new ();
  gtk_calendar_select_day (GTK_CALENDAR (calendar), start);
  gtk_box_append (GTK_BOX (box), calendar);

  time_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (time_box, GTK_ALIGN_CENTER);
  hour = make_time_spin (23, 1, g_date_time_get_hour (start), _("Hour"));
  minute = make_time_spin (59, 5, g_date_time_get_minute (start), _("Minute"));
  gtk_box_append (GTK_BOX (time_box), hour);
  gtk_box_append (GTK_BOX (time_box), gtk_label_new (":"));
  gtk_box_append (GTK_BOX (time_box), minute);
  gtk_box_append (GTK_BOX (box), time_box);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "move", _("_Move"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "move");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "calendar", calendar);
  g_object_set_data (G_OBJECT (dialog), "hour", hour);
  g_object_set_data (G_OBJECT (dialog), "minute", minute);
  g_object_set_data_full (G_OBJECT (dialog), "post-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (move_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Navigation */

static void
step (SdCalendarPage *self,
      int             direction)
{
  GDate date;

  neighbour_date (self, direction, &date);
  self->date = date;
  load_range (self);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  step (SD_CALENDAR_PAGE (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  step (SD_CALENDAR_PAGE (widget), 1);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);
  GDate today;

  sd_calendar_date_today (&today);
  sd_calendar_page_set_date (self, &today);
  sd_calendar_view_focus_day (visible_view (self), &today);
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sd_calendar_page_set_view (SD_CALENDAR_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
toggle_drafts_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
  if (adw_flap_get_reveal_flap (self->flap))
    gtk_widget_grab_focus (GTK_WIDGET (self->drafts_search));
}

static void date_selected_cb (SdCalendarPage *self);

static void
date_popover_show_cb (SdCalendarPage *self)
{
  g_autoptr(GDateTime) date = sd_calendar_date_to_local (&self->date);

  g_signal_handlers_block_by_func (self->date_calendar, date_selected_cb, self);
  gtk_calendar_select_day (self->date_calendar, date);
  g_signal_handlers_unblock_by_func (self->date_calendar, date_selected_cb, self);
}

static void
date_selected_cb (SdCalendarPage *self)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (self->date_calendar);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (picked), g_date_time_get_month (picked),
                  g_date_time_get_year (picked));
  gtk_popover_popdown (self->date_popover);
  sd_calendar_page_set_date (self, &date);
  sd_calendar_view_focus_day (visible_view (self), &date);
}

/* Networks shown */

static void
network_toggled_cb (GtkCheckButton *check,
                    SdCalendarPage *self)
{
  SdPlatform platform = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "platform"));

  if (gtk_check_button_get_active (check))
    self->networks |= 1u << platform;
  else
    self->networks &= ~(1u << platform);

  sd_week_view_set_networks (SD_WEEK_VIEW (self->week_view), self->networks);
  show_posts (self);
}

static void
add_network_checks (SdCalendarPage *self)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (sd_platform_get_info (platform)->display_name);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_object_set_data (G_OBJECT (check), "platform", GUINT_TO_POINTER (platform));
      g_signal_connect (check, "toggled", G_CALLBACK (network_toggled_cb), self);
      gtk_box_append (GTK_BOX (self->networks_box), check);
    }
}

/* Drafts sidebar */

static void
drafts_search_changed_cb (SdCalendarPage *self)
{
  sd_post_list_model_set_search (self->drafts, gtk_editable_get_text (GTK_EDITABLE (self->drafts_search)));
}

static void
update_drafts_page (SdCalendarPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->drafts)) == 0
                   && !sd_post_list_model_is_loading (self->drafts);

  gtk_stack_set_visible_child_name (self->drafts_stack, empty ? "empty" : "list");
}

static void
draft_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *card = sd_post_card_new ();

  gtk_widget_add_css_class (card, "sd-draft-card");
  gtk_list_item_set_child (item, card);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
draft_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  sd_post_card_set_post (SD_POST_CARD (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
draft_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  sd_post_card_set_post (SD_POST_CARD (gtk_list_item_get_child (item)), NULL);
}

/* A planned post dropped on the drafts loses its time. */
static gboolean
drafts_drop_cb (GtkDropTarget  *target,
                const GValue   *value,
                double          x,
                double          y,
                SdCalendarPage *self)
{
  gtk_widget_remove_css_class (self->drafts_scroller, "sd-drop-target");
  if (!G_VALUE_HOLDS_STRING (value) || sd_post_card_get_dragged () == NULL)
    return FALSE;
  return sd_calendar_page_unschedule_id (self, g_value_get_string (value));
}

static GdkDragAction
drafts_motion_cb (GtkDropTarget  *target,
                  double          x,
                  double          y,
                  SdCalendarPage *self)
{
  SdPost *post = sd_post_card_get_dragged ();

  if (post == NULL || sd_post_get_scheduled_at (post) == SD_POST_NO_TIME)
    {
      gtk_widget_remove_css_class (self->drafts_scroller, "sd-drop-target");
      return 0;
    }
  gtk_widget_add_css_class (self->drafts_scroller, "sd-drop-target");
  return GDK_ACTION_MOVE;
}

static void
drafts_leave_cb (GtkDropTarget  *target,
                 SdCalendarPage *self)
{
  gtk_widget_remove_css_class (self->drafts_scroller, "sd-drop-target");
}

static void
setup_drafts (SdCalendarPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  g_signal_connect (factory, "setup", G_CALLBACK (draft_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (draft_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (draft_unbind_cb), NULL);
  gtk_list_view_set_factory (self->drafts_list, factory);

  g_signal_connect (target, "enter", G_CALLBACK (drafts_motion_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (drafts_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drafts_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drafts_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->drafts_stack), GTK_EVENT_CONTROLLER (target));
}

void
sd_calendar_page_set_store (SdCalendarPage *self,
                            SdStore        *store)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->drafts = sd_post_list_model_new (store);
  sd_post_list_model_set_unscheduled (self->drafts, TRUE);
  g_signal_connect_object (self->drafts, "notify::n-items", G_CALLBACK (update_drafts_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drafts, "loaded", G_CALLBACK (update_drafts_page), self,
                           G_CONNECT_SWAPPED);
  /* The list view takes a reference of its own: this one is ours to drop. */
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->drafts)));
  gtk_list_view_set_model (self->drafts_list, GTK_SELECTION_MODEL (selection));
  sd_calendar_page_reload (self);
}

void
sd_calendar_page_set_menu (SdCalendarPage *self,
                           GMenuModel     *menu)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));

  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

void
sd_calendar_page_add_header_button (SdCalendarPage *self,
                                    GtkWidget      *button)
{
  g_return_if_fail (SD_IS_CALENDAR_PAGE (self));

  adw_header_bar_pack_start (self->header_bar, button);
}

/* Narrow windows */

static gboolean
apply_compact_cb (gpointer user_data)
{
  SdCalendarPage *self = user_data;
  gboolean compact = gtk_widget_get_width (GTK_WIDGET (self)) < COMPACT_WIDTH;

  self->compact_idle_id = 0;
  if (compact == self->compact)
    return G_SOURCE_REMOVE;

  self->compact = compact;
  sd_calendar_view_set_compact (SD_CALENDAR_VIEW (self->month_view), compact);
  sd_calendar_view_set_compact (SD_CALENDAR_VIEW (self->week_view), compact);
  /* The views move from the header to a bar at the bottom, the period to the title;
   * Today (Ctrl+T) and the date's name give way. */
  gtk_stack_set_visible_child (self->title_stack, compact ? GTK_WIDGET (self->compact_title)
                                                          : self->view_switcher);
  adw_view_switcher_bar_set_reveal (self->switcher_bar, compact);
  gtk_widget_set_visible (GTK_WIDGET (self->period_label), !compact);
  gtk_widget_set_visible (self->date_icon, compact);
  gtk_widget_set_visible (self->today_button, !compact);
  show_posts (self);
  return G_SOURCE_REMOVE;
}

static void
sd_calendar_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  gtk_widget_allocate (GTK_WIDGET (self->toast_overlay), width, height, baseline, NULL);

  /* Changing the cards while allocating them is not allowed: just after. */
  if ((width < COMPACT_WIDTH) != self->compact && self->compact_idle_id == 0)
    self->compact_idle_id = g_idle_add (apply_compact_cb, self);
}

static void
sd_calendar_page_map (GtkWidget *widget)
{
  SdCalendarPage *self = SD_CALENDAR_PAGE (widget);

  GTK_WIDGET_CLASS (sd_calendar_page_parent_class)->map (widget);
  if (self->load_when_mapped)
    load_range (self);
}

static void
sd_calendar_page_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (SD_CALENDAR_PAGE (widget)->toast_overlay), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

/* Life cycle */

static void
sd_calendar_page_dispose (GObject *object)
{
  SdCalendarPage *self = (SdCalendarPage *) object;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_cancellable_cancel (self->prefetching);
  g_clear_object (&self->prefetching);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_handle_id (&self->compact_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CALENDAR_PAGE);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_clear_object (&self->drafts);
  g_clear_object (&self->store);
  g_clear_pointer (&self->cut_id, g_free);

  G_OBJECT_CLASS (sd_calendar_page_parent_class)->dispose (object);
}

static void
sd_calendar_page_class_init (SdCalendarPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_calendar_page_dispose;
  widget_class->measure = sd_calendar_page_measure;
  widget_class->map = sd_calendar_page_map;
  widget_class->size_allocate = sd_calendar_page_size_allocate;

  signals[OPEN_POST] = g_signal_new ("open-post", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_POST);
  signals[DELETE_POST] = g_signal_new ("delete-post", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[POSTS_CHANGED] = g_signal_new ("posts-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The views have the posts (for the benchmark): how many are shown. */
  signals[POSTS_SHOWN] = g_signal_new ("posts-shown", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (SD_TYPE_MONTH_VIEW);
  g_type_ensure (SD_TYPE_WEEK_VIEW);
  g_type_ensure (SD_TYPE_AGENDA_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/calendar/sd-calendar-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, box);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, drafts_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, date_calendar);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, date_icon);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, title_stack);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, compact_title);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, today_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, networks_box);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, flap);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, drafts_search);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, drafts_stack);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, drafts_scroller);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, drafts_list);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, month_view);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, week_view);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarPage, agenda_view);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, drafts_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "calendar.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "calendar.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "calendar.move-to", "s", move_to_action);
  gtk_widget_class_install_action (widget_class, "calendar.unschedule", "s", unschedule_action);
  gtk_widget_class_install_action (widget_class, "calendar.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "calendar.cut", "s", cut_action);
  gtk_widget_class_install_action (widget_class, "calendar.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "calendar.confirm-published", "s", confirm_published_action);
  gtk_widget_class_install_action (widget_class, "calendar.send-again", "s", send_again_action);
  gtk_widget_class_install_action (widget_class, "calendar.undo-move", "(sx)", undo_move_action);
  gtk_widget_class_install_action (widget_class, "calendar.undo-duplicate", "s", undo_duplicate_action);
  gtk_widget_class_install_action (widget_class, "calendar.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "calendar.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "calendar.today", NULL, today_action);
  gtk_widget_class_install_action (widget_class, "calendar.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "calendar.toggle-drafts", NULL, toggle_drafts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "calendar.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "calendar.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "calendar.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "calendar.view", "s", "month");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "calendar.view", "s", "week");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "calendar.view", "s", "list");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "calendar.toggle-drafts", NULL);
}

static void
sd_calendar_page_init (SdCalendarPage *self)
{
  self->networks = SD_PLATFORM_SET_ALL;
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  sd_calendar_date_today (&self->date);

  gtk_widget_init_template (GTK_WIDGET (self));
  add_network_checks (self);
  setup_drafts (self);
}
