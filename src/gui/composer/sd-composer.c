/* sd-composer.c — writes one post: text, networks and time, saved as you type
 *
 * Every change goes into the SdPost at once (so the list shows it) and into
 * the store half a second after the last one, in a worker thread. Saves never
 * overlap: a change made while one is running is saved right after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-composer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "accounts/sd-account-picker.h"
#include "posts/sd-outbox-actions.h"
#include "posts/sd-post-row.h"
#include "sd-composer.h"
#include "sd-network-options.h"
#include "sd-post-preview.h"
#include "sd-readiness.h"
#include "sd-text.h"
#include "sd-thread.h"
#include "sd-time.h"

#define SAVE_DELAY_MS 500
#define RETRY_DELAY_MS 3000
#define WARN_REMAINING 20
#define RECOUNT_DELAY_MS 150
#define ALL_NETWORKS (-1)

struct _SdComposer
{
  AdwBin           parent_instance;

  SdStore         *store;
  SdPost          *post;

  GtkTextView     *text_view;
  GtkTextBuffer   *buffer;
  GtkWidget       *placeholder_label;
  GtkImage        *save_icon;
  GtkLabel        *save_label;
  GtkLabel        *count_label;
  GtkFlowBox      *platform_box;
  GtkToggleButton *platform_buttons[SD_N_PLATFORMS];
  AdwActionRow    *schedule_row;
  GtkSwitch       *schedule_switch;
  GtkMenuButton   *date_button;
  GtkCalendar     *calendar;
  GtkSpinButton   *hour_spin;
  GtkSpinButton   *minute_spin;
  GtkBox          *tabs_box;
  GtkWidget       *variant_bar;
  GtkLabel        *variant_label;
  GtkWidget       *variant_reset_button;
  AdwPreferencesGroup *readiness_group;
  GtkWidget       *previews_group;
  GtkFlowBox      *previews_box;
  GtkWidget       *thread_group;
  SdNetworkOptions *network_options;
  GtkLabel        *media_error_label;
  GtkFlowBox      *attachments_box;
  char            *shown_attachments;  /* media ids the tiles show, in order */
  GCancellable    *importing;
  GtkSwitch       *thread_switch;
  GtkSwitch       *numbering_switch;
  SdAccountPicker *account_picker;
  GtkImage        *publish_icon;
  GtkLabel        *publish_status_label;
  GtkLabel        *publish_error_label;
  GtkWidget       *schedule_button;
  GtkWidget       *unschedule_button;

  int              active_platform;   /* ALL_NETWORKS or the SdPlatform being edited */
  GtkToggleButton *tab_buttons[SD_N_PLATFORMS + 1];
  GtkLabel        *tab_counts[SD_N_PLATFORMS];
  GtkWidget       *readiness_rows[SD_N_PLATFORMS];
  SdPostPreview   *previews[SD_N_PLATFORMS];
  SdPlatformSet    shown_platforms;
  GtkTextTag      *entity_tag;
  GtkTextTag      *over_tag;

  guint            save_timeout_id;
  guint            recount_id;
  guint            dirty : 1;    /* the post has changes the store does not have yet */
  guint            saving : 1;   /* a save runs in a worker */
  guint            filling : 1;  /* widgets are being set from the post */
  guint            accounts_dirty : 1;  /* the chosen accounts are not in the store yet */
};

G_DEFINE_FINAL_TYPE (SdComposer, sd_composer, ADW_TYPE_BIN)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void save_now (SdComposer *self);
static void update_counts (SdComposer *self);
static void rebuild_networks (SdComposer *self);
static void update_public_addresses (SdComposer *self);
static void show_active_text (SdComposer *self);
static void update_variant_bar (SdComposer *self);
static void update_publish_status (SdComposer *self);
static void show_publish_error (SdComposer *self, const char *message);
static gboolean is_scheduled (SdPost *post);
static void refresh_from_store (SdComposer *self);
static gboolean save_pending_now (SdComposer *self, gboolean wait_for_running, GError **error);
static gboolean apply_accounts (SdComposer *self, SdPost *post, GError **error);

/* Save status */

static void
show_save_status (SdComposer *self,
                  const char *icon_name,
                  const char *text,
                  gboolean    is_error)
{
  gtk_image_set_from_icon_name (self->save_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->save_icon), icon_name != NULL);
  gtk_label_set_text (self->save_label, text);

  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->save_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->save_label), "error");

  if (is_error)
    gtk_widget_remove_css_class (GTK_WIDGET (self->save_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->save_label), "dim-label");
}

static void
show_saved (SdComposer *self)
{
  if (sd_post_get_created_at (self->post) == 0)
    show_save_status (self, NULL, _("Drafts are saved on this computer as you type."), FALSE);
  else
    show_save_status (self, "emblem-ok-symbolic", _("Saved on this computer"), FALSE);
}

/* Saving */

typedef struct
{
  SdComposer *self;
  SdPost     *post;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->post);
  g_free (data);
}

static gboolean
retry_save_cb (gpointer user_data)
{
  SdComposer *self = user_data;

  self->save_timeout_id = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (SdComposer *self,
               guint       delay_ms)
{
  g_clear_handle_id (&self->save_timeout_id, g_source_remove);
  self->save_timeout_id = g_timeout_add (delay_ms, retry_save_cb, self);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SaveData *data = user_data;
  SdComposer *self = data->self;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;

  if (!sd_store_save_post_finish (SD_STORE (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not saved yet: %s Trying again…"),
                                                  error->message);

      /* The composer still holds this post (switching waits for saves): keep the
       * change and try again; nothing typed is dropped. */
      g_warning ("Could not save post %s: %s", sd_post_get_id (data->post), error->message);
      self->dirty = TRUE;
      show_save_status (self, "dialog-warning-symbolic", message, TRUE);
      schedule_save (self, RETRY_DELAY_MS);
      save_data_free (data);
      return;
    }

  if (!apply_accounts (self, data->post, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The accounts were not saved: %s"), error->message);

      show_save_status (self, "dialog-warning-symbolic", message, TRUE);
      g_signal_emit (self, signals[SAVED], 0, data->post);
      save_data_free (data);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, data->post);

  if (self->dirty && self->save_timeout_id == 0)
    save_now (self);
  else if (!self->dirty && data->post == self->post)
    show_saved (self);

  save_data_free (data);
}

/* The text view is what the person sees: it is what gets saved. */
static void
take_text_from_buffer (SdComposer *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
  if (self->active_platform == ALL_NETWORKS)
    sd_post_set_text (self->post, text);
  else if (sd_post_get_variant_text (self->post, self->active_platform) != NULL
           || g_strcmp0 (text, sd_post_get_text (self->post)) != 0)
    sd_post_set_variant_text (self->post, self->active_platform, text);
}

static void
save_now (SdComposer *self)
{
  SaveData *data;

  g_clear_handle_id (&self->save_timeout_id, g_source_remove);

  if (self->post == NULL || self->store == NULL || !self->dirty || self->saving)
    return;

  self->dirty = FALSE;
  take_text_from_buffer (self);

  /* A new post nobody has written anything in is not worth a row. */
  if (sd_post_get_created_at (self->post) == 0 && sd_post_is_blank (self->post))
    return;

  self->saving = TRUE;
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->post = g_object_ref (self->post);
  sd_store_save_post_async (self->store, self->post, NULL, save_cb, data);
}

static void
post_changed (SdComposer *self,
              guint       delay_ms)
{
  self->dirty = TRUE;
  schedule_save (self, delay_ms);
}

/* Writes the pending change now; wait_for_running lets a running save land first,
 * so it cannot overwrite the newer text. */
static gboolean
save_pending_now (SdComposer  *self,
                  gboolean     wait_for_running,
                  GError     **error)
{
  g_clear_handle_id (&self->save_timeout_id, g_source_remove);

  while (wait_for_running && self->saving)
    g_main_context_iteration (NULL, TRUE);

  if (self->post == NULL || self->store == NULL)
    return TRUE;
  if (!self->dirty)
    return apply_accounts (self, self->post, error);

  self->dirty = FALSE;
  take_text_from_buffer (self);
  if (sd_post_get_created_at (self->post) == 0 && sd_post_is_blank (self->post))
    return TRUE;

  if (!sd_store_save_post (self->store, self->post, error))
    {
      self->dirty = TRUE;
      return FALSE;
    }
  if (!apply_accounts (self, self->post, error))
    return FALSE;

  g_signal_emit (self, signals[SAVED], 0, self->post);
  show_saved (self);
  return TRUE;
}

/**
 * sd_composer_flush:
 *
 * Writes any pending change before returning (before closing the window,
 * duplicating or deleting).
 *
 * Returns: %FALSE, with @error set, if the change could not be written; it is
 * kept, and saving goes on trying.
 */
gboolean
sd_composer_flush (SdComposer  *self,
                   GError     **error)
{
  g_return_val_if_fail (SD_IS_COMPOSER (self), FALSE);

  if (save_pending_now (self, TRUE, error))
    return TRUE;

  schedule_save (self, RETRY_DELAY_MS);
  return FALSE;
}

/* Text */

static void
update_text_feedback (SdComposer *self)
{
  g_autofree char *label = NULL;
  const char *text = self->active_platform == ALL_NETWORKS
                     ? sd_post_get_text (self->post)
                     : sd_post_get_text_for (self->post, self->active_platform);
  glong n_chars = g_utf8_strlen (text, -1);

  gtk_widget_set_visible (self->placeholder_label, text[0] == '\0');
  label = g_strdup_printf (ngettext ("%ld character", "%ld characters", n_chars), n_chars);
  gtk_label_set_text (self->count_label, label);
}

static void
buffer_changed_cb (SdComposer    *self,
                   GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->filling || self->post == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  /* Typing on a network's tab gives that network its own text. */
  if (self->active_platform == ALL_NETWORKS)
    sd_post_set_text (self->post, text);
  else
    sd_post_set_variant_text (self->post, self->active_platform, text);

  update_text_feedback (self);
  update_counts (self);
  if (self->active_platform != ALL_NETWORKS)
    update_variant_bar (self);
  post_changed (self, SAVE_DELAY_MS);
}

/* Networks */

static void
platform_toggled_cb (SdComposer      *self,
                     GtkToggleButton *button)
{
  SdPlatformSet platforms = 0;

  if (self->filling || self->post == NULL)
    return;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    if (gtk_toggle_button_get_active (self->platform_buttons[platform]))
      platforms |= 1u << platform;

  sd_post_set_platforms (self->post, platforms);
  rebuild_networks (self);
  post_changed (self, 0);
}

static void
create_platform_buttons (SdComposer *self)
{
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdPlatformInfo *info = sd_platform_get_info (platform);
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      /* Chosen is shown by a check mark as well as by colour. */
      g_object_bind_property (button, "active", check, "visible", G_BINDING_SYNC_CREATE);
      gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), check);
      gtk_box_append (GTK_BOX (box), gtk_label_new (info->display_name));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, info->display_name, -1);

      gtk_widget_add_css_class (button, "sd-platform-toggle");
      g_signal_connect_object (button, "toggled", G_CALLBACK (platform_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->platform_box, button);
      self->platform_buttons[platform] = GTK_TOGGLE_BUTTON (button);
    }
}

/* Time */

static GDateTime *
time_from_widgets (SdComposer *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);

  return g_date_time_new_local (g_date_time_get_year (day),
                                g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day),
                                gtk_spin_button_get_value_as_int (self->hour_spin),
                                gtk_spin_button_get_value_as_int (self->minute_spin),
                                0);
}

static void
update_date_button (SdComposer *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  /* Translators: the planned day on the composer's date button, see g_date_time_format(). */
  g_autofree char *label = g_date_time_format (day, _("%A, %-d %B %Y"));

  gtk_menu_button_set_label (self->date_button, label);
}

static void
update_schedule_subtitle (SdComposer *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *subtitle = NULL;

  /* Translators: %s is a time zone, e.g. "WIB" or "+07". */
  subtitle = g_strdup_printf (_("Times are in your time zone (%s)"),
                              g_date_time_get_timezone_abbreviation (now));
  adw_action_row_set_subtitle (self->schedule_row, subtitle);
}

static void
fill_time_widgets (SdComposer *self,
                   GDateTime  *local)
{
  gboolean was_filling = self->filling;

  self->filling = TRUE;
  gtk_calendar_select_day (self->calendar, local);
  gtk_spin_button_set_value (self->hour_spin, g_date_time_get_hour (local));
  gtk_spin_button_set_value (self->minute_spin, g_date_time_get_minute (local));
  update_date_button (self);
  self->filling = was_filling;
}

static void
store_time_from_widgets (SdComposer *self)
{
  g_autoptr(GDateTime) when = NULL;

  if (self->filling || self->post == NULL)
    return;

  if (gtk_switch_get_active (self->schedule_switch))
    {
      when = time_from_widgets (self);
      if (when != NULL && is_scheduled (self->post) && g_date_time_to_unix (when) <= sd_time_now ())
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sd_post_get_scheduled_at (self->post));
          g_autoptr(GDateTime) old = g_date_time_to_local (utc);

          /* A scheduled post moved into the past would go out at once. */
          show_publish_error (self, _("That time has passed: pick a later one, or publish it now."));
          fill_time_widgets (self, old);
          return;
        }
      sd_post_set_scheduled_at (self->post, when != NULL ? g_date_time_to_unix (when)
                                                         : SD_POST_NO_TIME);
    }
  else
    {
      sd_post_set_scheduled_at (self->post, SD_POST_NO_TIME);
    }

  show_publish_error (self, NULL);
  post_changed (self, 0);

  /* Its sends waiting in the outbox move with it (or, without a time, are cancelled). */
  if (is_scheduled (self->post))
    {
      g_autoptr(GError) error = NULL;

      if (!save_pending_now (self, TRUE, &error)
          || !sd_store_move_post (self->store, sd_post_get_id (self->post),
                                  sd_post_get_scheduled_at (self->post), NULL, &error))
        show_publish_error (self, error->message);
      refresh_from_store (self);
    }
  update_publish_status (self);
}

/* A new time defaults to the next full hour. */
static void
schedule_switch_cb (SdComposer *self)
{
  if (!self->filling && gtk_switch_get_active (self->schedule_switch)
      && self->post != NULL && sd_post_get_scheduled_at (self->post) == SD_POST_NO_TIME)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) hour = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         g_date_time_get_hour (now), 0, 0);
      g_autoptr(GDateTime) next = g_date_time_add_hours (hour, 1);

      fill_time_widgets (self, next);
    }

  store_time_from_widgets (self);
}

static void
calendar_day_selected_cb (SdComposer *self)
{
  update_date_button (self);
  store_time_from_widgets (self);
}

static void
time_changed_cb (SdComposer *self)
{
  store_time_from_widgets (self);
}

/* Shows 09 rather than 9. */
static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Networks: tabs, counters, readiness and previews */

static SdPlatform
tightest_platform (SdComposer *self)
{
  SdPlatformSet platforms = sd_post_get_platforms (self->post);
  SdPlatform tightest = SD_N_PLATFORMS;
  guint smallest = G_MAXUINT;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      if (sd_platform_set_contains (platforms, platform) && sd_text_get_limit (platform, NULL) < smallest)
        {
          smallest = sd_text_get_limit (platform, NULL);
          tightest = platform;
        }
    }

  return tightest;
}

typedef struct
{
  int start;
  int end;   /* character offsets */
} Range;

/* Makes tag cover exactly the wanted ranges, touching only those that differ: tags
 * move with the text, so a keystroke usually changes nothing but the word typed. */
static void
sync_tag (GtkTextBuffer *buffer,
          GtkTextTag    *tag,
          GArray        *want)
{
  g_autoptr(GArray) have = g_array_new (FALSE, FALSE, sizeof (Range));
  GtkTextIter it;
  guint i = 0, j = 0;

  gtk_text_buffer_get_start_iter (buffer, &it);
  if (gtk_text_iter_has_tag (&it, tag) || gtk_text_iter_forward_to_tag_toggle (&it, tag))
    {
      do
        {
          Range range = { gtk_text_iter_get_offset (&it), 0 };

          gtk_text_iter_forward_to_tag_toggle (&it, tag);
          range.end = gtk_text_iter_get_offset (&it);
          g_array_append_val (have, range);
        }
      while (gtk_text_iter_forward_to_tag_toggle (&it, tag));
    }

  while (i < have->len || j < want->len)
    {
      Range *h = i < have->len ? &g_array_index (have, Range, i) : NULL;
      Range *w = j < want->len ? &g_array_index (want, Range, j) : NULL;
      GtkTextIter a, b;

      if (h != NULL && w != NULL && h->start == w->start && h->end == w->end)
        {
          i++, j++;
          continue;
        }

      if (h != NULL && (w == NULL || h->start <= w->start))
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &a, h->start);
          gtk_text_buffer_get_iter_at_offset (buffer, &b, h->end);
          gtk_text_buffer_remove_tag (buffer, tag, &a, &b);
          i++;
        }
      else
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &a, w->start);
          gtk_text_buffer_get_iter_at_offset (buffer, &b, w->end);
          gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
          j++;
        }
    }
}

static void
add_range (GArray *ranges,
           int     start,
           int     end)
{
  Range *last = ranges->len > 0 ? &g_array_index (ranges, Range, ranges->len - 1) : NULL;

  if (end <= start)
    return;
  /* Touching ranges are one tagged run in the buffer. */
  if (last != NULL && last->end >= start)
    {
      last->end = MAX (last->end, end);
      return;
    }
  g_array_append_val (ranges, ((Range) { start, end }));
}

/* Links, mentions and tags in colour, and what is over the limit marked as X marks it. */
static void
highlight (SdComposer  *self,
           SdTextCount *count,
           const char  *text)
{
  g_autoptr(GArray) entities = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GArray) over = g_array_new (FALSE, FALSE, sizeof (Range));

  if (count != NULL)
    {
      const char *at = text;
      glong offset = 0;

      /* Entities come in order: walk the text once instead of from its start each time. */
      for (guint i = 0; i < count->entities->len; i++)
        {
          SdEntity *e = &g_array_index (count->entities, SdEntity, i);
          glong start_offset = offset + g_utf8_pointer_to_offset (at, text + e->start);
          glong end_offset = start_offset + g_utf8_pointer_to_offset (text + e->start, text + e->end);

          add_range (entities, start_offset, end_offset);
          offset = end_offset;
          at = text + e->end;
        }

      if (count->length > count->limit)
        add_range (over, g_utf8_pointer_to_offset (text, text + count->fits_byte_end),
                   gtk_text_buffer_get_char_count (self->buffer));
    }

  sync_tag (self->buffer, self->entity_tag, entities);
  sync_tag (self->buffer, self->over_tag, over);
}

static void
set_count_label (GtkLabel    *label,
                 SdTextCount *count)
{
  g_autofree char *remaining = g_strdup_printf ("%d", count->remaining);

  gtk_label_set_text (label, remaining);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  if (count->remaining < 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else if (count->remaining <= WARN_REMAINING)
    gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
}

static char *
describe_readiness (SdTextCount *count)
{
  GString *what = g_string_new (NULL);

  if (count->valid)
    {
      g_autofree char *left = sd_text_describe_remaining (count);

      /* Translators: %s is e.g. "254 characters left". */
      g_string_append_printf (what, _("Ready: %s"), left);
      return g_string_free (what, FALSE);
    }

  for (guint i = 0; i < count->problems->len; i++)
    {
      g_autofree char *problem = sd_text_problem_describe (g_array_index (count->problems, SdTextProblem, i),
                                                           count);
      if (what->len > 0)
        g_string_append (what, "; ");
      g_string_append (what, problem);
    }
  return g_string_free (what, FALSE);
}

/* A network's readiness row: ready or not by icon (and its name), what is wrong in words. */
static void
show_readiness (AdwActionRow *row,
                gboolean      valid,
                const char   *what)
{
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "icon");

  adw_action_row_set_subtitle (row, what);
  gtk_image_set_from_icon_name (icon, valid ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), valid ? "warning" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (icon), valid ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  valid ? _("Ready") : _("Not ready"), -1);
}

/* What sd_post_check_ready() says is wrong, in one line. */
static char *
join_problems (GPtrArray *problems)
{
  GString *what = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (what, "%s%s", what->len > 0 ? "; " : "", (char *) problems->pdata[i]);
  return g_string_free (what, FALSE);
}

/* Core's answer (text, media and the network's options), or how much room is left. */
static void
update_readiness_row (SdComposer  *self,
                      SdPlatform   platform,
                      SdTextCount *count)
{
  AdwActionRow *row = ADW_ACTION_ROW (self->readiness_rows[platform]);
  g_autoptr(GPtrArray) problems = sd_post_check_ready (self->post, platform, NULL, NULL);
  g_autofree char *subtitle = problems->len > 0 ? join_problems (problems) : describe_readiness (count);

  show_readiness (row, problems->len == 0, subtitle);
}

/* A thread is ready when every post of it is; the tab says how many posts. */
static void
update_thread_readiness (SdComposer *self,
                         SdPlatform  platform,
                         GPtrArray  *parts)
{
  AdwActionRow *row = ADW_ACTION_ROW (self->readiness_rows[platform]);
  g_autoptr(GPtrArray) problems = sd_post_check_ready (self->post, platform, NULL, NULL);
  g_autofree char *posts = g_strdup_printf (ngettext ("%u post", "%u posts", parts->len), parts->len);
  g_autofree char *a11y = NULL;
  g_autofree char *what = NULL;
  gboolean valid = problems->len == 0;

  if (valid)
    what = g_strdup_printf (ngettext ("Ready: a thread of %u post", "Ready: a thread of %u posts",
                                      parts->len), parts->len);
  else
    what = join_problems (problems);

  show_readiness (row, valid, what);

  gtk_label_set_text (self->tab_counts[platform], posts);
  gtk_widget_remove_css_class (GTK_WIDGET (self->tab_counts[platform]), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->tab_counts[platform]), valid ? "error" : "success");
  if (!valid)
    gtk_widget_add_css_class (GTK_WIDGET (self->tab_counts[platform]), "error");

  a11y = g_strdup_printf ("%s, %s", sd_platform_get_info (platform)->display_name, what);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tab_buttons[platform + 1]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

/* Every chosen network's tab counter, readiness and preview. */
static void
recount_all (SdComposer *self)
{
  SdPlatformSet platforms = sd_post_get_platforms (self->post);
  gint64 started = g_get_monotonic_time ();

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const char *text = sd_post_get_text_for (self->post, platform);
      g_autoptr(SdTextCount) count = NULL;
      g_autofree char *left = NULL;
      g_autofree char *a11y = NULL;

      if (!sd_platform_set_contains (platforms, platform) || self->tab_counts[platform] == NULL)
        continue;

      if (sd_platform_supports_threads (platform))
        {
          SdThreadOptions options = { sd_post_get_thread_auto (self->post),
                                      sd_post_get_thread_numbering (self->post) };
          g_autoptr(GPtrArray) parts = sd_thread_split (platform, text, &options, NULL);

          if (parts->len > 1)
            {
              update_thread_readiness (self, platform, parts);
              sd_post_preview_set_thread (self->previews[platform], parts);
              sd_post_preview_set_media (self->previews[platform], sd_post_get_attachments (self->post));
              continue;
            }
        }

      count = sd_text_count (platform, text, NULL);
      set_count_label (self->tab_counts[platform], count);
      update_readiness_row (self, platform, count);
      if (platform == SD_PLATFORM_YOUTUBE)
        sd_post_preview_set_title (self->previews[platform],
                                   sd_post_get_option (self->post, platform, SD_OPTION_TITLE));
      sd_post_preview_set_text (self->previews[platform], text, count);
      sd_post_preview_set_media (self->previews[platform], sd_post_get_attachments (self->post));

      left = count->remaining >= 0 ? sd_text_describe_remaining (count)
                                   : sd_text_problem_describe (SD_TEXT_PROBLEM_TOO_LONG, count);
      a11y = g_strdup_printf ("%s, %s", sd_platform_get_info (platform)->display_name, left);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->tab_buttons[platform + 1]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }

  g_debug ("Counted %u networks, updated readiness and previews in %.2f ms",
           sd_platform_set_count (platforms), (g_get_monotonic_time () - started) / 1000.0);
}

static gboolean
recount_all_cb (gpointer user_data)
{
  SdComposer *self = user_data;

  self->recount_id = 0;
  if (self->post != NULL)
    recount_all (self);
  return G_SOURCE_REMOVE;
}

/* The shown text is counted and highlighted at once, by the tab's rule (the tightest
 * network's on "All Networks"); the other networks, readiness and previews follow
 * when typing pauses, so a keystroke costs one count whatever is chosen. */
static void
update_counts (SdComposer *self)
{
  SdPlatform highlight_platform;
  g_autoptr(SdTextCount) shown = NULL;
  gint64 started = g_get_monotonic_time ();

  if (self->post == NULL)
    return;

  highlight_platform = self->active_platform != ALL_NETWORKS
                       ? (SdPlatform) self->active_platform : tightest_platform (self);
  if (highlight_platform < SD_N_PLATFORMS)
    {
      const char *text = self->active_platform == ALL_NETWORKS
                         ? sd_post_get_text (self->post)
                         : sd_post_get_text_for (self->post, highlight_platform);

      gboolean splits;

      shown = sd_text_count (highlight_platform, text, NULL);
      splits = sd_platform_supports_threads (highlight_platform)
               && ((sd_post_get_thread_auto (self->post) && shown->length > shown->limit)
                   || sd_thread_has_separator (text));
      /* A thread's posts each fit: nothing is over. Their counts follow in recount_all(). */
      if (splits)
        shown->length = 0;
      highlight (self, shown, text);
      if (self->tab_counts[highlight_platform] != NULL && !splits)
        set_count_label (self->tab_counts[highlight_platform], shown);
    }
  else
    {
      highlight (self, NULL, NULL);
    }

  g_debug ("Counted and highlighted %ld characters in %.2f ms",
           g_utf8_strlen (sd_post_get_text (self->post), -1),
           (g_get_monotonic_time () - started) / 1000.0);

  g_clear_handle_id (&self->recount_id, g_source_remove);
  self->recount_id = g_timeout_add (RECOUNT_DELAY_MS, recount_all_cb, self);
}

static void
update_variant_bar (SdComposer *self)
{
  const char *name;
  g_autofree char *label = NULL;
  gboolean custom;

  if (self->post == NULL || self->active_platform == ALL_NETWORKS)
    {
      gtk_widget_set_visible (self->variant_bar, FALSE);
      return;
    }

  name = sd_platform_get_info (self->active_platform)->display_name;
  custom = sd_post_get_variant_text (self->post, self->active_platform) != NULL;
  if (custom)
    label = g_strdup_printf (_("%s has a text of its own."), name);
  else
    label = g_strdup_printf (_("%s follows the text for all networks. Typing here gives it a text of its own."),
                             name);
  gtk_label_set_text (self->variant_label, label);
  gtk_widget_set_visible (self->variant_reset_button, custom);
  gtk_widget_set_visible (self->variant_bar, TRUE);
}

static void
show_active_text (SdComposer *self)
{
  const char *text = self->active_platform == ALL_NETWORKS
                     ? sd_post_get_text (self->post)
                     : sd_post_get_text_for (self->post, self->active_platform);
  gboolean was_filling = self->filling;

  self->filling = TRUE;
  gtk_text_buffer_set_text (self->buffer, text, -1);
  self->filling = was_filling;
  update_text_feedback (self);
  update_variant_bar (self);
  update_counts (self);
}

static void
tab_toggled_cb (GtkToggleButton *button,
                SdComposer      *self)
{
  int platform;

  if (!gtk_toggle_button_get_active (button) || self->filling || self->post == NULL)
    return;

  platform = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "platform"));
  if (platform == self->active_platform)
    return;

  /* Whatever was typed on the old tab is in the post already (buffer_changed_cb). */
  self->active_platform = platform;
  show_active_text (self);
}

static void
variant_reset_cb (SdComposer *self)
{
  if (self->post == NULL || self->active_platform == ALL_NETWORKS)
    return;

  sd_post_set_variant_text (self->post, self->active_platform, NULL);
  show_active_text (self);
  post_changed (self, 0);
}

static GtkToggleButton *
add_tab (SdComposer *self,
         int         platform,
         const char *name,
         GtkLabel  **count_label)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), gtk_label_new (name));
  if (count_label != NULL)
    {
      *count_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (*count_label), "numeric");
      gtk_widget_add_css_class (GTK_WIDGET (*count_label), "caption");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (*count_label));
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  g_object_set_data (G_OBJECT (button), "platform", GINT_TO_POINTER (platform));
  if (self->tab_buttons[0] != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->tab_buttons[0]);
  g_signal_connect (button, "toggled", G_CALLBACK (tab_toggled_cb), self);
  gtk_box_append (self->tabs_box, button);

  return GTK_TOGGLE_BUTTON (button);
}

static void
clear_networks (SdComposer *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tabs_box))) != NULL)
    gtk_box_remove (self->tabs_box, child);
  for (guint i = 0; i <= SD_N_PLATFORMS; i++)
    self->tab_buttons[i] = NULL;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      if (self->readiness_rows[platform] != NULL)
        adw_preferences_group_remove (self->readiness_group, self->readiness_rows[platform]);
      self->readiness_rows[platform] = NULL;
      self->tab_counts[platform] = NULL;
      self->previews[platform] = NULL;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->previews_box))) != NULL)
    gtk_flow_box_remove (self->previews_box, child);
}

/* One tab, readiness row and preview per chosen network. */
static void
rebuild_networks (SdComposer *self)
{
  SdPlatformSet platforms = self->post != NULL ? sd_post_get_platforms (self->post) : 0;
  gboolean was_filling = self->filling;

  clear_networks (self);
  self->shown_platforms = platforms;
  gtk_widget_set_visible (GTK_WIDGET (self->tabs_box), platforms != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->readiness_group), platforms != 0);
  gtk_widget_set_visible (self->previews_group, platforms != 0);
  gtk_widget_set_visible (self->thread_group,
                          (platforms & ((1u << SD_PLATFORM_X) | (1u << SD_PLATFORM_BLUESKY)
                                        | (1u << SD_PLATFORM_MASTODON) | (1u << SD_PLATFORM_THREADS))) != 0);
  sd_network_options_set_platforms (self->network_options, platforms);
  update_public_addresses (self);

  self->filling = TRUE;
  self->tab_buttons[0] = add_tab (self, ALL_NETWORKS, _("All Networks"), NULL);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const char *name = sd_platform_get_info (platform)->display_name;
      GtkWidget *row, *icon;

      if (!sd_platform_set_contains (platforms, platform))
        continue;

      self->tab_buttons[platform + 1] = add_tab (self, platform, name, &self->tab_counts[platform]);

      row = adw_action_row_new ();
      icon = gtk_image_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "icon", icon);
      adw_preferences_group_add (self->readiness_group, row);
      self->readiness_rows[platform] = row;

      self->previews[platform] = SD_POST_PREVIEW (sd_post_preview_new (platform));
      gtk_widget_set_valign (GTK_WIDGET (self->previews[platform]), GTK_ALIGN_START);
      gtk_flow_box_append (self->previews_box, GTK_WIDGET (self->previews[platform]));
    }

  if (self->active_platform != ALL_NETWORKS && !sd_platform_set_contains (platforms, self->active_platform))
    {
      self->active_platform = ALL_NETWORKS;
      if (self->post != NULL)
        gtk_text_buffer_set_text (self->buffer, sd_post_get_text (self->post), -1);
    }
  gtk_toggle_button_set_active (self->tab_buttons[self->active_platform + 1], TRUE);
  self->filling = was_filling;

  update_variant_bar (self);
  update_counts (self);
}

static void
network_options_changed_cb (SdComposer *self)
{
  if (self->filling || self->post == NULL)
    return;

  update_counts (self);
  post_changed (self, SAVE_DELAY_MS);
}

static void
thread_options_cb (SdComposer *self)
{
  if (self->filling || self->post == NULL)
    return;

  sd_post_set_thread_auto (self->post, gtk_switch_get_active (self->thread_switch));
  sd_post_set_thread_numbering (self->post, gtk_switch_get_active (self->numbering_switch));
  update_counts (self);
  post_changed (self, 0);
}

/* Images */

static void
attachment_move_cb (GtkButton  *button,
                    SdComposer *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  int step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step"));
  GPtrArray *attachments = sd_post_get_attachments (self->post);

  if (step == 0)
    sd_post_remove_attachment (self->post, index);
  else if ((int) index + step >= 0 && index + step < attachments->len)
    sd_post_move_attachment (self->post, index, index + step);
}

static GtkWidget *
tile_button (SdComposer *self,
             const char *icon,
             const char *label,
             guint       index,
             int         step,
             gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "step", GINT_TO_POINTER (step));
  g_signal_connect (button, "clicked", G_CALLBACK (attachment_move_cb), self);
  return button;
}

/* Networks that fetch an image from a public web address instead of taking an upload. */
#define FETCH_IMAGES ((1u << SD_PLATFORM_INSTAGRAM) | (1u << SD_PLATFORM_THREADS) | (1u << SD_PLATFORM_TIKTOK))
/* ... and those that fetch videos so too (TikTok takes a video as an upload). */
#define FETCH_VIDEOS ((1u << SD_PLATFORM_INSTAGRAM) | (1u << SD_PLATFORM_THREADS))

static gboolean
needs_public_address (SdComposer   *self,
                      SdAttachment *attachment)
{
  SdPlatformSet platforms = self->post != NULL ? sd_post_get_platforms (self->post) : 0;

  return (platforms & (sd_attachment_is_video (attachment) ? FETCH_VIDEOS : FETCH_IMAGES)) != 0;
}

/* Each tile's Public Address shows while a network that fetches it is chosen. */
static void
update_public_addresses (SdComposer *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      GtkWidget *entry = g_object_get_data (G_OBJECT (tile), "public-address");
      SdAttachment *attachment = g_object_get_data (G_OBJECT (tile), "attachment");

      if (entry != NULL && attachment != NULL)
        gtk_widget_set_visible (entry, needs_public_address (self, attachment));
    }
}

static void
public_address_changed_cb (GtkEditable *entry,
                           SdComposer  *self)
{
  SdAttachment *attachment = g_object_get_data (G_OBJECT (entry), "attachment");
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (self->filling || self->post == NULL)
    return;

  sd_attachment_set_public_url (attachment, url[0] != '\0' ? url : NULL);
  update_counts (self);
  post_changed (self, SAVE_DELAY_MS);
}

static GtkWidget *
public_address_entry (SdComposer   *self,
                      SdAttachment *attachment,
                      guint         index)
{
  GtkWidget *entry = gtk_entry_new ();
  gboolean video = sd_attachment_is_video (attachment);
  const char *url = sd_attachment_get_public_url (attachment);
  g_autofree char *label = video ? g_strdup_printf (_("Public address of video %u"), index + 1)
                                 : g_strdup_printf (_("Public address of image %u"), index + 1);

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Public address (https://…)"));
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_icon_from_icon_name (GTK_ENTRY (entry), GTK_ENTRY_ICON_PRIMARY, "insert-link-symbolic");
  gtk_widget_set_tooltip_text (entry, video
                               ? _("Instagram and Threads fetch each video from a public web address "
                                   "instead of taking an upload: put a copy online and give its address here.")
                               : _("Instagram, Threads and TikTok fetch each image from a public web address "
                                   "instead of taking an upload: put a copy online and give its address here."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_editable_set_text (GTK_EDITABLE (entry), url != NULL ? url : "");
  g_object_set_data (G_OBJECT (entry), "attachment", attachment);
  g_signal_connect (entry, "changed", G_CALLBACK (public_address_changed_cb), self);
  gtk_widget_set_visible (entry, needs_public_address (self, attachment));
  return entry;
}

/* A video cannot be drawn here: its kind and size stand in for it. */
static GtkWidget *
video_frame (SdAttachment *attachment,
             guint         index)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name ("video-x-generic-symbolic");
  g_autofree char *kind = g_content_type_get_description (sd_attachment_get_mime_type (attachment));
  g_autofree char *size = g_format_size (sd_attachment_get_bytes (attachment));
  /* Translators: a video attachment for screen readers: its number, kind and size. */
  g_autofree char *a11y = g_strdup_printf (_("Video %u, %s, %s"), index + 1, kind, size);
  GtkWidget *name = gtk_label_new (kind);
  GtkWidget *bytes = gtk_label_new (size);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 40);
  gtk_widget_set_margin_top (icon, 14);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (bytes, "caption");
  gtk_widget_add_css_class (bytes, "dim-label");
  gtk_box_append (GTK_BOX (frame), icon);
  gtk_box_append (GTK_BOX (frame), name);
  gtk_box_append (GTK_BOX (frame), bytes);
  gtk_widget_set_size_request (frame, 140, 105);
  gtk_widget_add_css_class (frame, "card");
  gtk_widget_add_css_class (frame, "sd-video-tile");
  gtk_accessible_update_property (GTK_ACCESSIBLE (frame), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (frame, a11y);
  return frame;
}

static GtkWidget *
attachment_tile (SdComposer   *self,
                 SdAttachment *attachment,
                 guint         index,
                 guint         n)
{
  GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *public_address = public_address_entry (self, attachment, index);

  if (sd_attachment_is_video (attachment))
    {
      gtk_box_append (GTK_BOX (tile), video_frame (attachment, index));
    }
  else
    {
      GtkWidget *picture = gtk_picture_new_for_filename (sd_attachment_get_path (attachment));
      GtkWidget *alt = gtk_entry_new ();
      g_autofree char *alt_label = g_strdup_printf (_("Alt text for image %u"), index + 1);

      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (picture, 140, 105);
      gtk_widget_add_css_class (picture, "card");
      gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), sd_attachment_get_alt_text (attachment));

      gtk_entry_set_placeholder_text (GTK_ENTRY (alt), _("Describe the image"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (alt), GTK_ACCESSIBLE_PROPERTY_LABEL, alt_label, -1);
      g_object_bind_property (attachment, "alt-text", alt, "text",
                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (tile), picture);
      gtk_box_append (GTK_BOX (tile), alt);
    }

  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), tile_button (self, "go-previous-symbolic", _("Move Earlier"),
                                                  index, -1, index > 0));
  gtk_box_append (GTK_BOX (buttons), tile_button (self, "go-next-symbolic", _("Move Later"),
                                                  index, 1, index + 1 < n));
  gtk_box_append (GTK_BOX (buttons), tile_button (self, "user-trash-symbolic", _("Remove"),
                                                  index, 0, TRUE));

  gtk_box_append (GTK_BOX (tile), public_address);
  gtk_box_append (GTK_BOX (tile), buttons);
  g_object_set_data (G_OBJECT (tile), "public-address", public_address);
  g_object_set_data_full (G_OBJECT (tile), "attachment", g_object_ref (attachment), g_object_unref);
  return tile;
}

/* Which attachment objects the tiles are bound to: a reload may bring new ones. */
static char *
attachment_objects (SdPost *post)
{
  GPtrArray *attachments = sd_post_get_attachments (post);
  GString *objects = g_string_new (NULL);

  for (guint i = 0; i < attachments->len; i++)
    g_string_append_printf (objects, "%p;", attachments->pdata[i]);
  return g_string_free (objects, FALSE);
}

/* The tiles follow the post's images; an alt text being typed keeps its tile. */
static void
rebuild_attachments (SdComposer *self)
{
  g_autofree char *ids = self->post != NULL ? attachment_objects (self->post) : g_strdup ("");
  GPtrArray *attachments;
  GtkWidget *child;

  if (g_strcmp0 (ids, self->shown_attachments) == 0)
    return;

  g_free (self->shown_attachments);
  self->shown_attachments = g_steal_pointer (&ids);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_flow_box_remove (self->attachments_box, child);

  if (self->post == NULL)
    return;

  attachments = sd_post_get_attachments (self->post);
  for (guint i = 0; i < attachments->len; i++)
    gtk_flow_box_append (self->attachments_box, attachment_tile (self, attachments->pdata[i], i,
                                                                 attachments->len));
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), attachments->len > 0);
}

static void
attachments_changed_cb (SdComposer *self)
{
  if (self->filling)
    return;

  rebuild_attachments (self);
  update_counts (self);
  post_changed (self, SAVE_DELAY_MS);
}

static void
show_media_error (SdComposer *self,
                  const char *message)
{
  gtk_label_set_text (self->media_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->media_error_label), message != NULL);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GPtrArray *files = task_data;
  GPtrArray *imported = g_ptr_array_new_with_free_func (g_object_unref);
  GString *problems = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) error = NULL;
      SdAttachment *attachment = sd_store_import_media (source_object, files->pdata[i], &error);

      if (attachment != NULL)
        g_ptr_array_add (imported, attachment);
      else
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "\n" : "", error->message);
    }

  g_object_set_data_full (G_OBJECT (task), "problems", g_string_free (problems, FALSE), g_free);
  g_task_return_pointer (task, imported, (GDestroyNotify) g_ptr_array_unref);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SdComposer) self = user_data;
  g_autoptr(GPtrArray) imported = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *problems = g_object_get_data (G_OBJECT (result), "problems");
  SdPost *post = g_object_get_data (G_OBJECT (result), "post");
  g_autoptr(GError) error = NULL;

  if (imported == NULL)
    return;

  if (post == self->post)
    show_media_error (self, problems != NULL && problems[0] != '\0' ? problems : NULL);

  /* The images belong to the post they were added to, even if another is shown now. */
  for (guint i = 0; i < imported->len; i++)
    sd_post_add_attachment (post, imported->pdata[i]);

  if (post != self->post && sd_post_get_created_at (post) != 0
      && !sd_store_save_post (self->store, post, &error))
    g_warning ("Could not save the images of post %s: %s", sd_post_get_id (post), error->message);
}

/* Copies the files into the media folder in a worker, then attaches them. */
static void
import_files (SdComposer *self,
              GPtrArray  *files)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->post == NULL || files->len == 0)
    return;

  task = g_task_new (self->store, NULL, import_done_cb, g_object_ref (self));
  g_task_set_task_data (task, g_ptr_array_ref (files), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (task), "post", g_object_ref (self->post), g_object_unref);
  g_task_run_in_thread (task, import_thread);
}

static void
file_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          SdComposer      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (chosen); i++)
        g_ptr_array_add (files, g_list_model_get_item (chosen, i));
      import_files (self, files);
    }

  g_object_unref (chooser);
}

static void
add_images_cb (SdComposer *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Add Images or Videos"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Images and Videos"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/gif");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "video/mp4");
  gtk_file_filter_add_mime_type (filter, "video/quicktime");
  gtk_file_filter_add_mime_type (filter, "video/webm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
files_dropped_cb (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  SdComposer    *self)
{
  GdkFileList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GSList *l;

  if (self->post == NULL || list == NULL)
    return FALSE;

  for (l = gdk_file_list_get_files (list); l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));
  import_files (self, files);
  return TRUE;
}

/* Accounts and scheduling */

/* After the post itself is saved: the accounts it goes to. */
static gboolean
apply_accounts (SdComposer  *self,
                SdPost      *post,
                GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  if (!self->accounts_dirty || post != self->post || sd_post_get_created_at (post) == 0)
    return TRUE;

  ids = sd_account_picker_dup_chosen (self->account_picker);
  if (!sd_store_set_post_accounts (self->store, sd_post_get_id (post), ids, error))
    return FALSE;
  self->accounts_dirty = FALSE;
  return TRUE;
}

static void
show_publish_error (SdComposer *self,
                    const char *message)
{
  gtk_label_set_text (self->publish_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->publish_error_label), message != NULL);
}

static gboolean
is_scheduled (SdPost *post)
{
  return (sd_post_get_outbox (post) & (SD_POST_OUTBOX_WAITING | SD_POST_OUTBOX_ON_SERVER)) != 0;
}

static void
update_publish_status (SdComposer *self)
{
  SdPost *post = self->post;
  SdPostState state;
  gint64 when;
  const char *icon = NULL;
  g_autofree char *text = NULL;
  g_autofree char *time = NULL;
  gboolean published, scheduled, attention;

  if (post == NULL)
    return;

  state = sd_post_get_state (post);
  when = sd_post_get_scheduled_at (post);
  published = state == SD_POST_STATE_PUBLISHED;
  scheduled = is_scheduled (post);
  attention = sd_outbox_needs_attention (sd_post_get_outbox (post));
  if (when != SD_POST_NO_TIME)
    time = sd_post_format_time (when);

  if (published)
    {
      icon = "emblem-ok-symbolic";
      text = g_strdup (_("Published. Changes made here stay on this computer; duplicate the post to "
                         "publish it again."));
    }
  else if (state == SD_POST_STATE_PUBLISHING)
    {
      icon = "send-to-symbolic";
      text = g_strdup (_("Being published now…"));
    }
  else if (attention)
    {
      text = sd_outbox_describe (post, &icon);
    }
  else if (scheduled && time != NULL)
    {
      icon = "alarm-symbolic";
      if (sd_post_get_outbox (post) & SD_POST_OUTBOX_ON_SERVER)
        /* Translators: %s is a date and time. */
        text = g_strdup_printf (_("Scheduled for %s, on Mastodon’s scheduler."), time);
      else
        /* Translators: %s is a date and time. */
        text = g_strdup_printf (_("Scheduled for %s. SocialDesk will send it."), time);
    }
  else if (time != NULL)
    {
      icon = "document-edit-symbolic";
      text = g_strdup (_("A draft: nothing is sent until you schedule it."));
    }
  else
    {
      icon = "document-edit-symbolic";
      text = g_strdup (_("A draft. Plan a date and time to schedule it, or publish it now."));
    }

  gtk_image_set_from_icon_name (self->publish_icon, icon);
  gtk_label_set_text (self->publish_status_label, text);

  gtk_widget_set_visible (self->unschedule_button, scheduled || attention);
  gtk_button_set_label (GTK_BUTTON (self->schedule_button), scheduled ? _("Re_schedule") : _("_Schedule"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.schedule",
                                 !published && when != SD_POST_NO_TIME
                                 && gtk_switch_get_active (self->schedule_switch));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.publish-now", !published);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.unschedule", scheduled || attention);
}

/* What the store now says of the post (its state and outbox), into the one shown. */
static void
refresh_from_store (SdComposer *self)
{
  g_autoptr(SdPost) fresh = NULL;
  g_autoptr(GError) error = NULL;
  SdPost *post = self->post;

  if (!(fresh = sd_store_get_post (self->store, sd_post_get_id (post), &error)))
    {
      g_warning ("Could not read post %s back: %s", sd_post_get_id (post), error->message);
      return;
    }

  self->filling = TRUE;
  sd_post_update_from (post, fresh);
  self->filling = FALSE;
  g_signal_emit (self, signals[SAVED], 0, post);
}

static void
accounts_changed_cb (SdComposer *self)
{
  SdPlatformSet chosen;

  if (self->post == NULL || self->filling)
    return;

  /* A chosen account's network is one the post goes to. */
  chosen = sd_account_picker_get_platforms (self->account_picker);
  if ((sd_post_get_platforms (self->post) & chosen) != chosen)
    {
      self->filling = TRUE;
      sd_post_set_platforms (self->post, sd_post_get_platforms (self->post) | chosen);
      for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
        gtk_toggle_button_set_active (self->platform_buttons[platform],
                                      sd_platform_set_contains (sd_post_get_platforms (self->post), platform));
      self->filling = FALSE;
      rebuild_networks (self);
    }

  show_publish_error (self, NULL);
  self->accounts_dirty = TRUE;
  post_changed (self, 0);
}

/* Saves, then asks the store to schedule: it refuses (and says why) a post
 * without accounts or one a network would refuse. */
static void
schedule_at (SdComposer *self,
             gint64      when)
{
  g_autoptr(GError) error = NULL;

  if (self->post == NULL || self->store == NULL)
    return;

  self->dirty = TRUE;   /* even a new, untouched post gets its row */
  if (sd_post_is_blank (self->post))
    {
      show_publish_error (self, _("Write something first: an empty post cannot be published."));
      return;
    }
  if (!save_pending_now (self, TRUE, &error)
      || !sd_store_schedule_post (self->store, sd_post_get_id (self->post), when, &error))
    {
      show_publish_error (self, error->message);
      refresh_from_store (self);
      update_publish_status (self);
      return;
    }

  show_publish_error (self, NULL);
  /* The outbox goes at once: a post for now, or one for the network's own scheduler. */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-now", NULL);
  refresh_from_store (self);
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sd_post_get_scheduled_at (self->post));
    g_autoptr(GDateTime) local = g_date_time_to_local (utc);

    self->filling = TRUE;
    gtk_switch_set_active (self->schedule_switch, TRUE);
    fill_time_widgets (self, local);
    self->filling = FALSE;
  }
  update_publish_status (self);
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdComposer *self = SD_COMPOSER (widget);
  gint64 when;

  if (self->post == NULL)
    return;

  when = sd_post_get_scheduled_at (self->post);
  if (when == SD_POST_NO_TIME)
    return;
  if (when <= sd_time_now ())
    {
      show_publish_error (self, _("That time has passed: pick a later one, or publish it now."));
      return;
    }
  schedule_at (self, when);
}

static void
publish_now_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  schedule_at (SD_COMPOSER (widget), sd_time_now ());
}

static void
unschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdComposer *self = SD_COMPOSER (widget);
  g_autoptr(GError) error = NULL;

  if (self->post == NULL)
    return;

  if (!save_pending_now (self, TRUE, &error)
      || !sd_store_unschedule_post (self->store, sd_post_get_id (self->post), &error))
    {
      show_publish_error (self, error->message);
      return;
    }

  show_publish_error (self, NULL);
  refresh_from_store (self);
  self->filling = TRUE;
  gtk_switch_set_active (self->schedule_switch, FALSE);
  self->filling = FALSE;
  update_publish_status (self);
}

/**
 * sd_composer_reload_accounts:
 *
 * Accounts changed (one added or removed): show them again, keeping the
 * post's choice as the store has it.
 */
/**
 * sd_composer_outbox_changed:
 *
 * The outbox sent (or held, or failed) something: the post shown takes its
 * new state from the store, but keeps what is being typed.
 */
void
sd_composer_outbox_changed (SdComposer *self)
{
  g_autoptr(SdPost) fresh = NULL;

  g_return_if_fail (SD_IS_COMPOSER (self));

  if (self->post == NULL || sd_post_get_created_at (self->post) == 0
      || !(fresh = sd_store_get_post (self->store, sd_post_get_id (self->post), NULL)))
    return;

  self->filling = TRUE;
  sd_post_set_state (self->post, sd_post_get_state (fresh));
  sd_post_set_outbox (self->post, sd_post_get_outbox (fresh));
  sd_post_set_last_error (self->post, sd_post_get_last_error (fresh));
  sd_post_set_published_urls (self->post, sd_post_get_published_urls (fresh));
  self->filling = FALSE;
  update_publish_status (self);
  g_signal_emit (self, signals[SAVED], 0, self->post);
}

void
sd_composer_reload_accounts (SdComposer *self)
{
  g_return_if_fail (SD_IS_COMPOSER (self));

  sd_account_picker_reload (self->account_picker);
  if (self->post != NULL && !self->accounts_dirty && sd_post_get_created_at (self->post) != 0)
    {
      g_autoptr(GPtrArray) ids = sd_store_list_post_accounts (self->store, sd_post_get_id (self->post), NULL);

      sd_account_picker_set_chosen (self->account_picker, ids);
    }
}

/* Filling the widgets from the post */

static void
fill_from_post (SdComposer *self)
{
  SdPlatformSet platforms = sd_post_get_platforms (self->post);
  gint64 when = sd_post_get_scheduled_at (self->post);

  self->filling = TRUE;

  if (self->active_platform != ALL_NETWORKS
      && !sd_platform_set_contains (platforms, self->active_platform))
    self->active_platform = ALL_NETWORKS;
  gtk_text_buffer_set_text (self->buffer, self->active_platform == ALL_NETWORKS
                                            ? sd_post_get_text (self->post)
                                            : sd_post_get_text_for (self->post, self->active_platform),
                            -1);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    gtk_toggle_button_set_active (self->platform_buttons[platform],
                                  sd_platform_set_contains (platforms, platform));

  gtk_switch_set_active (self->schedule_switch, when != SD_POST_NO_TIME);
  gtk_switch_set_active (self->thread_switch, sd_post_get_thread_auto (self->post));
  gtk_switch_set_active (self->numbering_switch, sd_post_get_thread_numbering (self->post));
  if (when != SD_POST_NO_TIME)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);

      fill_time_widgets (self, local);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      fill_time_widgets (self, now);
    }

  self->filling = FALSE;

  sd_network_options_set_post (self->network_options, self->post);
  rebuild_networks (self);
  rebuild_attachments (self);
  update_text_feedback (self);
  update_schedule_subtitle (self);
  update_publish_status (self);
}

/* Another program (the CLI) changed the post: show it, unless we hold newer edits. */
static void
post_notify_cb (SdComposer *self,
                GParamSpec *pspec,
                SdPost     *post)
{
  if (self->filling || self->dirty || self->saving)
    return;

  if (g_str_equal (pspec->name, "updated-at"))
    {
      GtkTextIter start, end;
      g_autofree char *shown = NULL;

      gtk_text_buffer_get_bounds (self->buffer, &start, &end);
      shown = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
      if (g_strcmp0 (shown, self->active_platform == ALL_NETWORKS
                              ? sd_post_get_text (post)
                              : sd_post_get_text_for (post, self->active_platform)) != 0
          || gtk_switch_get_active (self->schedule_switch)
             != (sd_post_get_scheduled_at (post) != SD_POST_NO_TIME))
        fill_from_post (self);
    }
}

/**
 * sd_composer_set_post:
 *
 * Shows @post, once the post shown so far is saved.
 *
 * Returns: %FALSE, with @error set, if the shown post's last change could not
 * be saved: it stays shown.
 */
gboolean
sd_composer_set_post (SdComposer  *self,
                      SdPost      *post,
                      GError     **error)
{
  g_return_val_if_fail (SD_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (!post || SD_IS_POST (post), FALSE);

  if (self->post == post)
    return TRUE;

  if (self->post != NULL)
    {
      if (!sd_composer_flush (self, error))
        return FALSE;
      g_signal_handlers_disconnect_by_func (self->post, post_notify_cb, self);
      g_signal_handlers_disconnect_by_func (self->post, attachments_changed_cb, self);
    }

  g_clear_handle_id (&self->save_timeout_id, g_source_remove);
  self->dirty = FALSE;
  g_set_object (&self->post, post);

  if (post == NULL)
    {
      sd_network_options_set_post (self->network_options, NULL);
      return TRUE;
    }

  g_signal_connect_object (post, "notify", G_CALLBACK (post_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (post, "attachments-changed", G_CALLBACK (attachments_changed_cb), self,
                           G_CONNECT_SWAPPED);
  show_media_error (self, NULL);
  show_publish_error (self, NULL);
  self->accounts_dirty = FALSE;
  {
    g_autoptr(GPtrArray) ids = NULL;
    g_autoptr(GError) accounts_error = NULL;

    if (self->store != NULL && sd_post_get_created_at (post) != 0
        && !(ids = sd_store_list_post_accounts (self->store, sd_post_get_id (post), &accounts_error)))
      g_warning ("Could not read the accounts of post %s: %s", sd_post_get_id (post),
                 accounts_error->message);
    sd_account_picker_set_chosen (self->account_picker, ids);
  }
  fill_from_post (self);
  show_saved (self);
  return TRUE;
}

SdPost *
sd_composer_get_post (SdComposer *self)
{
  g_return_val_if_fail (SD_IS_COMPOSER (self), NULL);

  return self->post;
}

void
sd_composer_set_store (SdComposer *self,
                       SdStore    *store)
{
  g_return_if_fail (SD_IS_COMPOSER (self));

  g_set_object (&self->store, store);
  sd_account_picker_set_store (self->account_picker, store);
}

void
sd_composer_focus_text (SdComposer *self)
{
  g_return_if_fail (SD_IS_COMPOSER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
sd_composer_dispose (GObject *object)
{
  SdComposer *self = (SdComposer *) object;

  if (self->post != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* No nested main loop while being disposed; the window flushed on close. */
      if (!save_pending_now (self, FALSE, &error))
        g_warning ("Could not save post %s: %s", sd_post_get_id (self->post), error->message);
      g_signal_handlers_disconnect_by_func (self->post, post_notify_cb, self);
      g_signal_handlers_disconnect_by_func (self->post, attachments_changed_cb, self);
    }
  g_clear_handle_id (&self->save_timeout_id, g_source_remove);
  g_clear_handle_id (&self->recount_id, g_source_remove);
  g_clear_pointer (&self->shown_attachments, g_free);
  g_clear_object (&self->post);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_COMPOSER);

  G_OBJECT_CLASS (sd_composer_parent_class)->dispose (object);
}

static void
sd_composer_class_init (SdComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_composer_dispose;

  /* Emitted on the main thread once a version of the post is in the store. */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_POST);

  g_type_ensure (SD_TYPE_ACCOUNT_PICKER);
  g_type_ensure (SD_TYPE_NETWORK_OPTIONS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/composer/sd-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, SdComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, save_icon);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, save_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, platform_box);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, schedule_switch);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, date_button);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, calendar);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, tabs_box);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, variant_bar);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, variant_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, variant_reset_button);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, readiness_group);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, previews_group);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, previews_box);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, thread_group);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, network_options);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, media_error_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, thread_switch);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, numbering_switch);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, account_picker);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, publish_icon);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, publish_status_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, publish_error_label);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, SdComposer, unschedule_button);
  gtk_widget_class_bind_template_callback (widget_class, accounts_changed_cb);
  gtk_widget_class_install_action (widget_class, "composer.schedule", NULL, schedule_action);
  gtk_widget_class_install_action (widget_class, "composer.publish-now", NULL, publish_now_action);
  gtk_widget_class_install_action (widget_class, "composer.unschedule", NULL, unschedule_action);
  gtk_widget_class_bind_template_callback (widget_class, schedule_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, variant_reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, thread_options_cb);
  gtk_widget_class_bind_template_callback (widget_class, network_options_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_images_cb);
}

static void
sd_composer_init (SdComposer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->active_platform = ALL_NETWORKS;
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->entity_tag = gtk_text_buffer_create_tag (self->buffer, "sd-entity",
                                                 "foreground", "#3584e4", NULL);
  self->over_tag = gtk_text_buffer_create_tag (self->buffer, "sd-over-limit",
                                               "background-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, 0.25 },
                                               NULL);
  g_signal_connect_object (self->buffer, "changed", G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  create_platform_buttons (self);

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (files_dropped_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
}
