/* sd-month-cell.c — one day of the month view, with its posts
 *
 * A day shows its first posts as cards and the rest behind "+N more". It is
 * a drop target (same time of day, new date; a draft takes the day's best
 * time) and, for keyboard users, a paste target for a cut card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-month-cell"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-calendar-private.h"
#include "sd-month-cell.h"
#include "sd-post-card.h"

/* Up to this many cards; past it, one fewer and "+N more". */
#define MAX_CARDS 3

struct _SdMonthCell
{
  GtkWidget   parent_instance;

  GDate       day;
  GPtrArray  *posts;
  gboolean    compact;
  gboolean    in_month;
  gboolean    today;

  GtkWidget  *box;
  GtkWidget  *day_label;
  GtkWidget  *drop_label;
  GtkWidget  *cards;
  GtkWidget  *more_button;
  GtkWidget  *more_label;
  GtkWidget  *more_list;
  GtkWidget  *card[MAX_CARDS];
};

G_DEFINE_FINAL_TYPE (SdMonthCell, sd_month_cell, GTK_TYPE_WIDGET)

const GDate *
sd_month_cell_get_day (SdMonthCell *self)
{
  g_return_val_if_fail (SD_IS_MONTH_CELL (self), NULL);

  return &self->day;
}

void
sd_month_cell_set_day (SdMonthCell *self,
                       const GDate *day,
                       gboolean     in_month,
                       gboolean     today)
{
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (SD_IS_MONTH_CELL (self));

  if (g_date_valid (&self->day) && g_date_compare (&self->day, day) == 0
      && self->in_month == in_month && self->today == today)
    return;

  self->day = *day;
  number = g_strdup_printf ("%d", g_date_get_day (day));
  gtk_label_set_text (GTK_LABEL (self->day_label), number);

  /* A class change restyles the cell and everything in it: only when it changes. */
  if (self->in_month != in_month)
    {
      if (in_month)
        gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-other-month");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self), "sd-other-month");
      self->in_month = in_month;
    }
  if (self->today != today)
    {
      if (today)
        gtk_widget_add_css_class (GTK_WIDGET (self), "sd-today");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-today");
      self->today = today;
    }

  name = sd_calendar_format_long_date (day);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
make_more_card (SdPost *post)
{
  GtkWidget *card = sd_post_card_new ();

  sd_post_card_set_post (SD_POST_CARD (card), post);
  return card;
}

/* The popover's cards are made only when it opens. */
static void
more_popover_show_cb (SdMonthCell *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->more_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->more_list), child);

  for (guint i = 0; self->posts != NULL && i < self->posts->len; i++)
    gtk_box_append (GTK_BOX (self->more_list), make_more_card (g_ptr_array_index (self->posts, i)));
}

static void
update_more_button (SdMonthCell *self,
                    guint        n_shown)
{
  guint n_posts = self->posts != NULL ? self->posts->len : 0;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->more_button, n_shown < n_posts);
  if (n_shown >= n_posts)
    return;

  if (self->compact)
    /* Translators: how many posts a day has, in a narrow month view. */
    label = g_strdup_printf (ngettext ("%u post", "%u posts", n_posts), n_posts);
  else
    /* Translators: the posts of a day that did not fit in the month view. */
    label = g_strdup_printf (ngettext ("+%u more", "+%u more", n_posts - n_shown), n_posts - n_shown);
  /* Its own label, set in place: a new button label per day is a widget per day. */
  gtk_label_set_text (GTK_LABEL (self->more_label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
}

void
sd_month_cell_set_posts (SdMonthCell *self,
                         GPtrArray   *posts)
{
  guint n_posts, n_shown;

  g_return_if_fail (SD_IS_MONTH_CELL (self));

  g_clear_pointer (&self->posts, g_ptr_array_unref);
  if (posts != NULL)
    self->posts = g_ptr_array_ref (posts);

  n_posts = posts != NULL ? posts->len : 0;
  n_shown = n_posts <= MAX_CARDS ? n_posts : MAX_CARDS - 1;
  /* A narrow cell has room for a count, not for cards. */
  if (self->compact && n_posts > 1)
    n_shown = 0;

  for (guint i = 0; i < MAX_CARDS; i++)
    {
      SdPost *post = i < n_shown ? g_ptr_array_index (posts, i) : NULL;

      if (post != NULL && self->card[i] == NULL)
        {
          self->card[i] = sd_post_card_new ();
          sd_post_card_set_max_chars (SD_POST_CARD (self->card[i]), MONTH_CARD_CHARS);
          gtk_box_append (GTK_BOX (self->cards), self->card[i]);
        }
      if (self->card[i] == NULL)
        continue;

      sd_post_card_set_post (SD_POST_CARD (self->card[i]), post);
      sd_post_card_set_compact (SD_POST_CARD (self->card[i]), self->compact);
      gtk_widget_set_visible (self->card[i], post != NULL);
    }

  update_more_button (self, n_shown);
}

void
sd_month_cell_set_compact (SdMonthCell *self,
                           gboolean     compact)
{
  g_return_if_fail (SD_IS_MONTH_CELL (self));

  if (self->compact == !!compact)
    return;

  self->compact = !!compact;
  if (self->posts != NULL)
    {
      g_autoptr(GPtrArray) posts = g_ptr_array_ref (self->posts);

      sd_month_cell_set_posts (self, posts);
    }
}

/* Dropping */

static void
show_drop_hint (SdMonthCell *self,
                gint64       when)
{
  g_autofree char *hint = sd_calendar_describe_drop (when);

  gtk_label_set_text (GTK_LABEL (self->drop_label), hint);
  gtk_widget_set_visible (self->drop_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "sd-drop-target");
  if (when <= g_get_real_time () / G_USEC_PER_SEC)
    gtk_widget_add_css_class (GTK_WIDGET (self), "sd-drop-refused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-drop-refused");
}

static void
hide_drop_hint (SdMonthCell *self)
{
  gtk_widget_set_visible (self->drop_label, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-drop-target");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-drop-refused");
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                SdMonthCell   *self)
{
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));
  SdPost *post = sd_post_card_get_dragged ();

  /* No dragged post: the drag was cancelled (Esc), or it is not ours. */
  if (page == NULL || post == NULL)
    {
      hide_drop_hint (self);
      return 0;
    }

  show_drop_hint (self, sd_calendar_page_drop_time (page, post, &self->day, SD_CALENDAR_WHOLE_DAY));
  return sd_calendar_drop_is_copy (target) ? GDK_ACTION_COPY : GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget *target,
               SdMonthCell   *self)
{
  hide_drop_hint (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SdMonthCell   *self)
{
  SdCalendarPage *page = sd_calendar_page_from_widget (GTK_WIDGET (self));

  hide_drop_hint (self);
  if (page == NULL || !G_VALUE_HOLDS_STRING (value) || sd_post_card_get_dragged () == NULL)
    return FALSE;

  return sd_calendar_page_drop_post (page, g_value_get_string (value), &self->day,
                                     SD_CALENDAR_WHOLE_DAY, sd_calendar_drop_is_copy (target));
}

/* A click on the day (not on a card) selects it, for a paste or arrow keys. */
static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            SdMonthCell     *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* A card takes the focus itself. */
  if (picked != NULL && gtk_widget_get_ancestor (picked, SD_TYPE_POST_CARD) != NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdMonthCell *self = SD_MONTH_CELL (widget);
  SdCalendarPage *page = sd_calendar_page_from_widget (widget);

  if (page != NULL)
    sd_calendar_page_paste (page, &self->day);
}

/* Life cycle */

static void
sd_month_cell_dispose (GObject *object)
{
  SdMonthCell *self = (SdMonthCell *) object;

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->posts, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_month_cell_parent_class)->dispose (object);
}

static void
sd_month_cell_class_init (SdMonthCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_month_cell_dispose;

  gtk_widget_class_set_css_name (widget_class, "sd-month-cell");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "cell.paste", NULL, paste_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "cell.paste", NULL);
}

static void
sd_month_cell_init (SdMonthCell *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE | GDK_ACTION_COPY);
  GtkGesture *click = gtk_gesture_click_new ();

  g_date_clear (&self->day, 1);
  self->in_month = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->day_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->day_label, "sd-day-number");
  gtk_widget_add_css_class (self->day_label, "numeric");
  gtk_box_append (GTK_BOX (header), self->day_label);
  self->drop_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->drop_label, "sd-drop-hint");
  gtk_widget_add_css_class (self->drop_label, "numeric");
  gtk_widget_set_hexpand (self->drop_label, TRUE);
  gtk_widget_set_halign (self->drop_label, GTK_ALIGN_END);
  gtk_label_set_ellipsize (GTK_LABEL (self->drop_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_visible (self->drop_label, FALSE);
  gtk_box_append (GTK_BOX (header), self->drop_label);
  gtk_box_append (GTK_BOX (self->box), header);

  self->cards = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (self->box), self->cards);

  self->more_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_widget_set_size_request (scroller, 280, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->more_list);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  g_signal_connect_object (popover, "show", G_CALLBACK (more_popover_show_cb), self, G_CONNECT_SWAPPED);

  self->more_button = gtk_menu_button_new ();
  self->more_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->more_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (self->more_label), 1);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->more_button), self->more_label);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->more_button), popover);
  gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (self->more_button), FALSE);
  gtk_widget_add_css_class (self->more_button, "flat");
  gtk_widget_add_css_class (self->more_button, "sd-more-button");
  gtk_widget_set_halign (self->more_button, GTK_ALIGN_FILL);
  gtk_widget_set_visible (self->more_button, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->more_button);

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (target, "enter", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
sd_month_cell_new (void)
{
  return g_object_new (SD_TYPE_MONTH_CELL, NULL);
}
