/* sd-post-card.c — a post on the calendar: time, networks, first words, state
 *
 * A card is cheap to make and to rebind: the month and week views hold a few
 * hundred of them and rebind them on every change of range. It is the drag
 * source of calendar moves; the page's actions (calendar.edit, ...) do the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-post-card"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "posts/sd-outbox-actions.h"
#include "posts/sd-post-state-style.h"
#include "sd-calendar-private.h"
#include "sd-card-text.h"
#include "sd-network-badges.h"
#include "sd-post-card.h"
#include "sd-thumbnails.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XInput2.h>
#endif

#define TEXT_PREVIEW_CHARS 80

struct _SdPostCard
{
  GtkWidget   parent_instance;

  SdPost     *post;
  gboolean    compact;
  guint       max_chars;

  SdPostState shown_state;
  const char *shown_outbox_class;   /* static string, NULL: none */
  char       *time_text;

  GtkWidget  *box;
  GtkWidget  *state_icon;
  GtkWidget  *badges;
  GtkWidget  *label;        /* time and first words: one layout, laid out once */
  GtkWidget  *thumbnail;
  GtkWidget  *menu;
  GCancellable *thumbnail_loading;
  GtkEventController *escape_watch;
  GdkDisplay *x11_display;
  GtkDragSource *x11_source;
};

G_DEFINE_FINAL_TYPE (SdPostCard, sd_post_card, GTK_TYPE_WIDGET)

/* The post being dragged, for the drop targets' live feedback. */
static SdPost *dragged_post;

SdPost *
sd_post_card_get_dragged (void)
{
  return dragged_post;
}

static char *
first_chars (const char *text,
             glong       max)
{
  g_autofree char *line = NULL;
  const char *end = text + strcspn (text, "\n");
  glong length;

  line = g_strstrip (g_strndup (text, end - text));
  length = g_utf8_strlen (line, -1);
  if (length > max)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&line);
}

static char *
first_words (const char *text)
{
  return first_chars (text, TEXT_PREVIEW_CHARS);
}

static char *
format_card_time (SdPostCard *self,
                  gint64      when)
{
  g_autoptr(GDateTime) local = sd_calendar_local_time (when);

  /* Translators: a post's time of day on a calendar card, see g_date_time_format(). */
  return g_date_time_format (local, _("%H:%M"));
}

static void
thumbnail_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SdPostCard) self = user_data;
  g_autoptr(GdkTexture) texture = sd_thumbnails_load_finish (result, NULL);

  if (texture == NULL)
    return;

  gtk_image_set_from_paintable (GTK_IMAGE (self->thumbnail), GDK_PAINTABLE (texture));
  gtk_widget_set_visible (self->thumbnail, !self->compact);
}

static void
update_thumbnail (SdPostCard *self)
{
  GPtrArray *attachments = sd_post_get_attachments (self->post);
  SdAttachment *first;

  if (attachments->len == 0 && self->thumbnail_loading == NULL
      && !gtk_widget_get_visible (self->thumbnail))
    return;

  g_cancellable_cancel (self->thumbnail_loading);
  g_clear_object (&self->thumbnail_loading);
  gtk_image_clear (GTK_IMAGE (self->thumbnail));
  gtk_widget_set_visible (self->thumbnail, FALSE);

  if (attachments->len == 0)
    return;

  first = g_ptr_array_index (attachments, 0);
  self->thumbnail_loading = g_cancellable_new ();
  sd_thumbnails_load_async (sd_attachment_get_path (first), self->thumbnail_loading,
                            thumbnail_ready_cb, g_object_ref (self));
}

/* Held, failed and uncertain posts wait for the user: they stand out. */
static const char *
outbox_css_class (guint outbox)
{
  if (outbox & SD_POST_OUTBOX_FAILED)
    return "sd-outbox-failed";
  if (outbox & SD_POST_OUTBOX_UNCERTAIN)
    return "sd-outbox-uncertain";
  if (outbox & SD_POST_OUTBOX_HELD)
    return "sd-outbox-held";
  /* Not alarming, but told apart from a post SocialDesk itself will send. */
  if (outbox & SD_POST_OUTBOX_ON_SERVER)
    return "sd-outbox-server";
  return NULL;
}

static const char *
outbox_word (guint outbox)
{
  if (outbox & SD_POST_OUTBOX_FAILED)
    return _("Failed");
  if (outbox & SD_POST_OUTBOX_UNCERTAIN)
    return _("Could not confirm");
  if (outbox & SD_POST_OUTBOX_HELD)
    return _("Held");
  if (outbox & SD_POST_OUTBOX_ON_SERVER)
    return _("On Mastodon’s scheduler");
  return NULL;
}

static const char *
state_word (SdPost *post)
{
  const char *word = outbox_word (sd_post_get_outbox (post));

  return word != NULL ? word : sd_post_state_get_label (sd_post_get_state (post));
}

static void
update_accessible_label (SdPostCard *self)
{
  g_autofree char *networks = sd_platform_set_to_string (sd_post_get_platforms (self->post), ", ");
  g_autofree char *text = first_words (sd_post_get_text (self->post));
  g_autofree char *label = NULL;
  const char *time = self->time_text;

  /* Screen readers (and the tests) find a card by its time and its text. */
  if (time != NULL)
    /* Translators: a calendar card for screen readers: time, text, state, networks. */
    label = g_strdup_printf (_("%s, %s. %s. %s"), time,
                             text[0] != '\0' ? text : _("Empty draft"),
                             state_word (self->post), networks);
  else
    /* Translators: an unscheduled draft for screen readers: text, state, networks. */
    label = g_strdup_printf (_("%s. %s. %s"), text[0] != '\0' ? text : _("Empty draft"),
                             state_word (self->post), networks);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update (SdPostCard *self)
{
  SdPostState state = sd_post_get_state (self->post);
  gint64 when = sd_post_get_scheduled_at (self->post);
  /* A card shows a few words; laying out more than fits costs every card its time. */
  g_autofree char *text = first_chars (sd_post_get_text (self->post), self->max_chars);

  const char *outbox_class = outbox_css_class (sd_post_get_outbox (self->post));

  /* Only what changed: restyling costs more than comparing. */
  if (state != self->shown_state || outbox_class != self->shown_outbox_class)
    {
      const char *icon = sd_post_state_get_icon_name (state);

      if (self->shown_state <= SD_POST_STATE_FAILED)
        gtk_widget_remove_css_class (GTK_WIDGET (self), sd_post_state_get_css_class (self->shown_state));
      if (self->shown_outbox_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self), self->shown_outbox_class);
      gtk_widget_add_css_class (GTK_WIDGET (self), sd_post_state_get_css_class (state));
      if (outbox_class != NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self), outbox_class);
          g_free (sd_outbox_describe (self->post, &icon));
        }
      gtk_image_set_from_icon_name (GTK_IMAGE (self->state_icon), icon);
      self->shown_state = state;
      self->shown_outbox_class = outbox_class;
    }

  g_clear_pointer (&self->time_text, g_free);
  if (when != SD_POST_NO_TIME)
    self->time_text = format_card_time (self, when);

  /* Narrow: the time alone. A post is data: the text is never read as markup. */
  if (self->compact)
    sd_card_text_set (SD_CARD_TEXT (self->label), NULL, self->time_text != NULL ? self->time_text : "", FALSE);
  else
    sd_card_text_set (SD_CARD_TEXT (self->label), self->time_text,
                      text[0] != '\0' ? text : _("Empty draft"), text[0] == '\0');
  sd_network_badges_set_platforms (SD_NETWORK_BADGES (self->badges), sd_post_get_platforms (self->post));

  update_thumbnail (self);
  update_accessible_label (self);
}

static void
post_notify_cb (SdPostCard *self)
{
  update (self);
}

SdPost *
sd_post_card_get_post (SdPostCard *self)
{
  g_return_val_if_fail (SD_IS_POST_CARD (self), NULL);

  return self->post;
}

void
sd_post_card_set_post (SdPostCard *self,
                       SdPost     *post)
{
  g_return_if_fail (SD_IS_POST_CARD (self));

  if (self->post == post)
    return;

  if (self->post != NULL)
    g_signal_handlers_disconnect_by_func (self->post, post_notify_cb, self);
  g_set_object (&self->post, post);
  if (post == NULL)
    return;

  g_signal_connect_object (post, "notify", G_CALLBACK (post_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

/* Narrow windows: the time and the state's colour, nothing else. */
void
sd_post_card_set_compact (SdPostCard *self,
                          gboolean    compact)
{
  g_return_if_fail (SD_IS_POST_CARD (self));

  if (self->compact == !!compact)
    return;

  self->compact = !!compact;
  gtk_widget_set_visible (self->state_icon, !compact);
  gtk_widget_set_visible (self->badges, !compact);
  gtk_widget_set_visible (self->thumbnail, !compact
                          && gtk_image_get_storage_type (GTK_IMAGE (self->thumbnail)) == GTK_IMAGE_PAINTABLE);
  if (self->post != NULL)
    update (self);
}

/* Cards in a grid show a few words of a line: they need no more. */
void
sd_post_card_set_max_chars (SdPostCard *self,
                            guint       max_chars)
{
  g_return_if_fail (SD_IS_POST_CARD (self));

  self->max_chars = MAX (1, max_chars);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  SdPostCard *self = SD_POST_CARD (widget);

  g_autofree char *outbox = NULL;

  if (self->post == NULL)
    return FALSE;

  /* What went wrong first, then the text. */
  if (sd_outbox_needs_attention (sd_post_get_outbox (self->post)))
    outbox = sd_outbox_describe (self->post, NULL);
  if (outbox != NULL)
    {
      g_autofree char *both = g_strconcat (outbox, "\n\n", sd_post_get_text (self->post), NULL);

      gtk_tooltip_set_text (tooltip, g_strstrip (both));
      return TRUE;
    }
  if (sd_post_get_text (self->post)[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, sd_post_get_text (self->post));
  return TRUE;
}

/* Opening and the menu */

static void
open_post (SdPostCard *self)
{
  if (self->post != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "calendar.edit", "s",
                                sd_post_get_id (self->post));
}

/* "Open on Mastodon", for each account the post went out on. */
static void
add_open_items (SdPost *post,
                GMenu  *section)
{
  GStrv urls = sd_post_get_published_urls (post);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (urls[i], "\t", 2);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;
      SdPlatform platform;

      if (parts[0] == NULL || parts[1] == NULL || !sd_platform_from_id (parts[0], &platform))
        continue;
      /* Translators: %s is a network, "Open on Mastodon". */
      label = g_strdup_printf (_("Open on %s"), sd_platform_get_info (platform)->display_name);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "app.open-uri", g_variant_new_string (parts[1]));
      g_menu_append_item (section, item);
    }
}

static void
popup_menu (SdPostCard *self,
            double      x,
            double      y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  g_autoptr(GMenu) outbox_section = g_menu_new ();
  GVariant *id;
  guint outbox;
  struct {
    GMenu      *section;
    const char *label;
    const char *action;
  } outbox_items[] = {
    { NULL, N_("_Retry"), "calendar.retry" },
    { NULL, N_("Send _Now"), "calendar.retry" },
    { NULL, N_("It _Was Published"), "calendar.confirm-published" },
    { NULL, N_("Send _Again…"), "calendar.send-again" },
  };
  struct {
    GMenu      *section;
    const char *label;
    const char *action;
  } items[] = {
    { section, N_("_Edit"), "calendar.edit" },
    { section, N_("D_uplicate"), "calendar.duplicate" },
    { section, N_("_Move to…"), "calendar.move-to" },
    { section, N_("_Unschedule"), "calendar.unschedule" },
    { section, N_("Cu_t"), "calendar.cut" },
    { danger, N_("_Delete"), "calendar.delete" },
  };

  if (self->post == NULL)
    return;

  id = g_variant_new_string (sd_post_get_id (self->post));
  g_variant_ref_sink (id);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, items[i].action, id);
      g_menu_append_item (items[i].section, item);
    }
  /* The outbox's answers, where they apply: first, they are what the card is about. */
  outbox = sd_post_get_outbox (self->post);
  if (outbox & SD_POST_OUTBOX_FAILED)
    outbox_items[0].section = outbox_section;
  else if (outbox & SD_POST_OUTBOX_UNCERTAIN)
    outbox_items[2].section = outbox_items[3].section = outbox_section;
  else if (outbox & SD_POST_OUTBOX_HELD)
    outbox_items[1].section = outbox_section;
  for (guint i = 0; i < G_N_ELEMENTS (outbox_items); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (outbox_items[i].section == NULL)
        continue;
      item = g_menu_item_new (_(outbox_items[i].label), NULL);
      g_menu_item_set_action_and_target_value (item, outbox_items[i].action, id);
      g_menu_append_item (outbox_section, item);
    }
  g_variant_unref (id);
  add_open_items (self->post, outbox_section);
  if (g_menu_model_get_n_items (G_MENU_MODEL (outbox_section)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (outbox_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  /* Made on first use: most cards never show a menu. */
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                                 &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), NULL);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            SdPostCard      *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if (button == GDK_BUTTON_SECONDARY
      || (event != NULL && gdk_event_triggers_context_menu (event)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      popup_menu (self, x, y);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 2)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      open_post (self);
    }
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 SdPostCard          *self)
{
  popup_menu (self, x, y);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  open_post (SD_POST_CARD (widget));
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  popup_menu (SD_POST_CARD (widget), -1, -1);
}

static void
cut_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SdPostCard *self = SD_POST_CARD (widget);

  if (self->post != NULL)
    gtk_widget_activate_action (widget, "calendar.cut", "s", sd_post_get_id (self->post));
}

/* Dragging */

/* GDK cancels a drag on Esc only where it can grab the key; this catches it
 * wherever the window still receives it. */
static gboolean
drag_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkDragSource         *source)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;

  gtk_drag_source_drag_cancel (source);
  return TRUE;
}

#ifdef GDK_WINDOWING_X11
/* On X11, GDK grabs Esc on the root window for the drag but GTK 4.8 never
 * reads the key back, so the drag could not be cancelled: read it here.
 * Cancelling ends the drag on our side; the drop targets refuse what comes
 * after (there is no dragged post any more). */
static gboolean
x11_event_cb (GdkX11Display *display,
              const XEvent  *xevent,
              GtkDragSource *source)
{
  static int xinput_opcode = -1;
  Display *xdisplay = gdk_x11_display_get_xdisplay (GDK_DISPLAY (display));
  const XIDeviceEvent *event;

  if (xevent->type != GenericEvent || xevent->xcookie.evtype != XI_KeyPress)
    return FALSE;
  if (xinput_opcode < 0)
    {
      int first_event, first_error;

      if (!XQueryExtension (xdisplay, "XInputExtension", &xinput_opcode, &first_event, &first_error))
        xinput_opcode = 0;
    }
  if (xevent->xcookie.extension != xinput_opcode || (event = xevent->xcookie.data) == NULL)
    return FALSE;
  if (event->detail != XKeysymToKeycode (xdisplay, XK_Escape))
    return FALSE;

  gtk_drag_source_drag_cancel (source);
  return TRUE;
}
#endif

static void
stop_watching_escape (SdPostCard *self)
{
#ifdef GDK_WINDOWING_X11
  if (self->x11_display != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->x11_display, x11_event_cb, self->x11_source);
      g_clear_object (&self->x11_display);
      self->x11_source = NULL;
    }
#endif
  if (self->escape_watch == NULL)
    return;

  gtk_widget_remove_controller (gtk_event_controller_get_widget (self->escape_watch), self->escape_watch);
  g_clear_object (&self->escape_watch);
}

static void
watch_escape (SdPostCard    *self,
              GtkDragSource *source)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

  stop_watching_escape (self);
  if (root == NULL)
    return;

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gtk_widget_get_display (root)))
    {
      self->x11_display = g_object_ref (gtk_widget_get_display (root));
      self->x11_source = source;
      g_signal_connect (self->x11_display, "xevent", G_CALLBACK (x11_event_cb), source);
    }
#endif

  self->escape_watch = g_object_ref (gtk_event_controller_key_new ());
  gtk_event_controller_set_propagation_phase (self->escape_watch, GTK_PHASE_CAPTURE);
  g_signal_connect (self->escape_watch, "key-pressed", G_CALLBACK (drag_key_pressed_cb), source);
  gtk_widget_add_controller (root, self->escape_watch);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 SdPostCard    *self)
{
  if (self->post == NULL)
    return NULL;

  /* A published post stays where it went out; a copy of it can be planned again. */
  gtk_drag_source_set_actions (source, sd_post_get_state (self->post) == SD_POST_STATE_PUBLISHED
                                       ? GDK_ACTION_COPY : GDK_ACTION_MOVE | GDK_ACTION_COPY);

  return gdk_content_provider_new_typed (G_TYPE_STRING, sd_post_get_id (self->post));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               SdPostCard    *self)
{
  GtkWidget *icon = sd_post_card_new ();

  /* A card of its own, opaque, so it reads on any desktop while it moves. */
  sd_post_card_set_post (SD_POST_CARD (icon), self->post);
  gtk_widget_add_css_class (icon, "sd-drag-icon");
  gtk_widget_set_size_request (icon, MIN (gtk_widget_get_width (GTK_WIDGET (self)), 240), -1);
  gtk_drag_icon_set_child (GTK_DRAG_ICON (gtk_drag_icon_get_for_drag (drag)), icon);
  gdk_drag_set_hotspot (drag, 12, 8);
  g_set_object (&dragged_post, self->post);
  gtk_widget_add_css_class (GTK_WIDGET (self), "sd-dragging");
  watch_escape (self, source);
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             SdPostCard    *self)
{
  g_clear_object (&dragged_post);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "sd-dragging");
  stop_watching_escape (self);
}

/* Life cycle */

static void
sd_post_card_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  gtk_widget_measure (SD_POST_CARD (widget)->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
sd_post_card_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SdPostCard *self = SD_POST_CARD (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->menu != NULL && gtk_widget_get_visible (self->menu))
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
sd_post_card_dispose (GObject *object)
{
  SdPostCard *self = (SdPostCard *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->thumbnail_loading);
  g_clear_object (&self->thumbnail_loading);
  stop_watching_escape (self);
  sd_post_card_set_post (self, NULL);
  g_clear_pointer (&self->time_text, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->menu = NULL;   /* was a child: gone with the others */

  G_OBJECT_CLASS (sd_post_card_parent_class)->dispose (object);
}

static void
sd_post_card_class_init (SdPostCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_post_card_dispose;

  gtk_widget_class_set_css_name (widget_class, "sd-post-card");
  widget_class->measure = sd_post_card_measure;
  widget_class->size_allocate = sd_post_card_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);

  gtk_widget_class_install_action (widget_class, "card.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "card.menu", NULL, menu_action);
  gtk_widget_class_install_action (widget_class, "card.cut", NULL, cut_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "card.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "card.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "card.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "card.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "card.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, GDK_CONTROL_MASK, "card.cut", NULL);
}

static void
sd_post_card_init (SdPostCard *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkWidget *stripe;

  gtk_widget_set_focusable (widget, TRUE);
  self->shown_state = (SdPostState) G_MAXINT;
  self->max_chars = TEXT_PREVIEW_CHARS;
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_parent (self->box, widget);

  stripe = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (stripe, "sd-card-stripe");
  gtk_box_append (GTK_BOX (self->box), stripe);

  self->state_icon = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (self->state_icon), 12);
  gtk_widget_add_css_class (self->state_icon, "sd-state-icon");
  gtk_box_append (GTK_BOX (self->box), self->state_icon);

  /* The first image, as small as an icon. */
  self->thumbnail = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (self->thumbnail), 16);
  gtk_widget_set_valign (self->thumbnail, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->thumbnail, "sd-card-thumbnail");
  gtk_widget_set_visible (self->thumbnail, FALSE);

  self->badges = sd_network_badges_new ();
  gtk_box_append (GTK_BOX (self->box), self->badges);

  self->label = sd_card_text_new ();
  gtk_box_append (GTK_BOX (self->box), self->label);
  gtk_box_append (GTK_BOX (self->box), self->thumbnail);

  /* The whole text as a tooltip, made only when asked for. */
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (long_press));

  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
sd_post_card_new (void)
{
  return g_object_new (SD_TYPE_POST_CARD, NULL);
}
