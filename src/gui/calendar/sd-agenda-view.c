/* sd-agenda-view.c — a month's planned posts as a list, day by day
 *
 * A GtkListView over the month's posts: only the rows on screen exist. The
 * day's name is shown on the first post of each day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-agenda-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-agenda-view.h"
#include "sd-calendar-private.h"
#include "sd-post-card.h"

struct _SdAgendaView
{
  GtkWidget   parent_instance;

  GListStore *posts;

  GtkWidget  *stack;
  GtkWidget  *list_view;
  GtkWidget  *empty_page;
};

static void sd_agenda_view_iface_init (SdCalendarViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdAgendaView, sd_agenda_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_CALENDAR_VIEW, sd_agenda_view_iface_init))

static void
sd_agenda_view_get_range (SdCalendarView *view,
                          const GDate    *date,
                          GDate          *first,
                          GDate          *last)
{
  g_date_set_dmy (first, 1, g_date_get_month (date), g_date_get_year (date));
  *last = *first;
  g_date_set_day (last, g_date_get_days_in_month (g_date_get_month (date), g_date_get_year (date)));
}

static void
sd_agenda_view_show_posts (SdCalendarView *view,
                           const GDate    *date,
                           GPtrArray      *posts)
{
  SdAgendaView *self = SD_AGENDA_VIEW (view);
  g_autoptr(GDateTime) month = sd_calendar_date_to_local (date);
  /* Translators: a month and year, see g_date_time_format(). */
  g_autofree char *month_name = g_date_time_format (month, _("%B %Y"));
  /* Translators: %s is a month and year, shown when it has no planned posts. */
  g_autofree char *description = g_strdup_printf (_("Nothing is planned for %s. Drag a draft "
                                                    "from the sidebar onto a day, or give a post "
                                                    "a time in the composer."), month_name);

  g_list_store_splice (self->posts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->posts)),
                       posts != NULL ? posts->pdata : NULL, posts != NULL ? posts->len : 0);

  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), description);
  gtk_stack_set_visible_child (GTK_STACK (self->stack),
                               posts != NULL && posts->len > 0 ? gtk_widget_get_parent (self->list_view)
                                                               : self->empty_page);
}

static void
sd_agenda_view_iface_init (SdCalendarViewInterface *iface)
{
  iface->get_range = sd_agenda_view_get_range;
  iface->show_posts = sd_agenda_view_show_posts;
}

/* Rows */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *day = gtk_label_new (NULL);
  GtkWidget *card = sd_post_card_new ();

  /* One width for every day's name, so that the cards line up. */
  gtk_label_set_xalign (GTK_LABEL (day), 0);
  gtk_label_set_width_chars (GTK_LABEL (day), 18);
  gtk_label_set_max_width_chars (GTK_LABEL (day), 18);
  gtk_label_set_ellipsize (GTK_LABEL (day), PANGO_ELLIPSIZE_END);
  gtk_widget_set_valign (day, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (day, "heading");
  gtk_widget_set_hexpand (card, TRUE);
  gtk_box_append (GTK_BOX (box), day);
  gtk_box_append (GTK_BOX (box), card);
  gtk_widget_add_css_class (box, "sd-agenda-row");
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         SdAgendaView             *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *day_label = gtk_widget_get_first_child (box);
  GtkWidget *card = gtk_widget_get_last_child (box);
  SdPost *post = gtk_list_item_get_item (item);
  guint position = gtk_list_item_get_position (item);
  g_autofree char *day_text = NULL;
  GDate day;

  sd_post_card_set_post (SD_POST_CARD (card), post);
  sd_calendar_date_from_unix (sd_post_get_scheduled_at (post), &day);

  if (position > 0)
    {
      g_autoptr(SdPost) previous = g_list_model_get_item (G_LIST_MODEL (self->posts), position - 1);
      GDate previous_day;

      sd_calendar_date_from_unix (sd_post_get_scheduled_at (previous), &previous_day);
      if (g_date_compare (&previous_day, &day) == 0)
        {
          gtk_label_set_text (GTK_LABEL (day_label), "");
          return;
        }
    }

  {
    g_autoptr(GDateTime) time = sd_calendar_date_to_local (&day);

    /* Translators: a day in the calendar's list view, see g_date_time_format(). */
    day_text = g_date_time_format (time, _("%a %-d %B"));
  }
  gtk_label_set_text (GTK_LABEL (day_label), day_text);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  sd_post_card_set_post (SD_POST_CARD (gtk_widget_get_last_child (box)), NULL);
}

/* Life cycle */

static void
sd_agenda_view_dispose (GObject *object)
{
  SdAgendaView *self = (SdAgendaView *) object;

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->posts);

  G_OBJECT_CLASS (sd_agenda_view_parent_class)->dispose (object);
}

static void
sd_agenda_view_class_init (SdAgendaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_agenda_view_dispose;

  gtk_widget_class_set_css_name (widget_class, "sd-agenda-view");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_agenda_view_init (SdAgendaView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->posts = g_list_store_new (SD_TYPE_POST);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                         g_object_ref (G_LIST_MODEL (self->posts)))),
                                       factory);
  gtk_widget_add_css_class (self->list_view, "sd-agenda");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Planned posts"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list_view);

  self->empty_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page), "x-office-calendar-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("Nothing Planned"));
  gtk_widget_add_css_class (self->empty_page, "compact");

  self->stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->stack), scroller);
  gtk_stack_add_child (GTK_STACK (self->stack), self->empty_page);
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
}

GtkWidget *
sd_agenda_view_new (void)
{
  return g_object_new (SD_TYPE_AGENDA_VIEW, NULL);
}
