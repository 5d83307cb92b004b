/* sd-inbox-preferences-page.c — Preferences → Inbox: checking, notifications, labels, rules, saved replies
 *
 * The switches and the interval are GSettings keys the app's inbox engine
 * follows. Labels, rules and saved replies are store calls; a rule the store
 * refuses (one that would do nothing or match everything) keeps its window
 * open with the store's sentence. Names, keywords and bodies typed here are
 * data: rows show them without markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-inbox-preferences-page.h"
#include "sd-inbox-rule.h"
#include "sd-toast.h"

/* The interval choices, in the order of the combo row's items. */
static const guint intervals[] = { 0, 1, 5, 15, 30, 60 };

struct _SdInboxPreferencesPage
{
  AdwPreferencesPage    parent_instance;

  GSettings            *settings;
  SdStore              *store;
  GPtrArray            *label_rows;
  GPtrArray            *rule_rows;
  GPtrArray            *saved_rows;

  AdwComboRow          *interval_row;
  GtkSwitch            *notify_switch;
  GtkSwitch            *activity_switch;
  AdwPreferencesGroup  *labels_group;
  AdwEntryRow          *new_label_row;
  AdwPreferencesGroup  *rules_group;
  AdwPreferencesGroup  *saved_group;
};

G_DEFINE_FINAL_TYPE (SdInboxPreferencesPage, sd_inbox_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void fill_labels        (SdInboxPreferencesPage *self);
static void fill_rules         (SdInboxPreferencesPage *self);
static void fill_saved_replies (SdInboxPreferencesPage *self);

static void
show_error (SdInboxPreferencesPage *self,
            const char             *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_debug ("%s", message);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), sd_toast_new_plain (message));
}

/* Rows that show what a person typed: never as markup. */
static GtkWidget *
plain_action_row (const char *title,
                  const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

/* The interval ------------------------------------------------------------ */

static gboolean
interval_to_selected (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  gint minutes = g_variant_get_int32 (variant);
  guint best = 0;

  /* A value set elsewhere (gsettings) shows as the nearest choice. */
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      if (ABS ((gint) intervals[i] - minutes) < ABS ((gint) intervals[best] - minutes))
        best = i;
    }
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
selected_to_interval (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (intervals))
    return NULL;
  return g_variant_new_int32 (intervals[selected]);
}

/* Labels ------------------------------------------------------------------ */

static void
new_label_apply_cb (SdInboxPreferencesPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_label_row))));
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || *name == '\0')
    return;
  if (!sd_store_add_label (self->store, name, &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_label_row), "");
  fill_labels (self);
}

static void
label_renamed_cb (AdwEntryRow            *row,
                  SdInboxPreferencesPage *self)
{
  const char *old_name = g_object_get_data (G_OBJECT (row), "label");
  g_autofree char *new_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;

  if (*new_name == '\0' || g_strcmp0 (old_name, new_name) == 0)
    {
      fill_labels (self);
      return;
    }
  if (!sd_store_rename_label (self->store, old_name, new_name, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_error (self, error->message);
      return;
    }
  fill_labels (self);
}

static void
label_remove_cb (GtkButton              *button,
                 SdInboxPreferencesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "label");
  g_autoptr(GError) error = NULL;

  if (!sd_store_remove_label (self->store, name, &error))
    show_error (self, error->message);
  fill_labels (self);
}

/* Each label is an entry row: edit its name and apply to rename it. */
static GtkWidget *
label_row (SdInboxPreferencesPage *self,
           const char             *name)
{
  GtkWidget *row = adw_entry_row_new ();
  /* Translators: %s is a label's name. */
  g_autofree char *remove = g_strdup_printf (_("Remove Label “%s”"), name);
  GtkWidget *button = icon_button ("user-trash-symbolic", remove);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Label"));
  gtk_editable_set_text (GTK_EDITABLE (row), name);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "label", g_strdup (name), g_free);
  g_signal_connect_object (row, "apply", G_CALLBACK (label_renamed_cb), self, 0);

  g_object_set_data_full (G_OBJECT (button), "label", g_strdup (name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (label_remove_cb), self, 0);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  return row;
}

static void
fill_labels (SdInboxPreferencesPage *self)
{
  g_auto(GStrv) labels = NULL;
  g_autoptr(GError) error = NULL;

  clear_rows (self->labels_group, self->label_rows);
  if (self->store == NULL)
    return;
  labels = sd_store_list_labels (self->store, &error);
  if (labels == NULL)
    {
      if (error != NULL)
        show_error (self, error->message);
      return;
    }
  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *row = label_row (self, labels[i]);

      adw_preferences_group_add (self->labels_group, row);
      g_ptr_array_add (self->label_rows, row);
    }
}

/* An edit window (rules, saved replies) ------------------------------------- */

typedef struct
{
  SdInboxPreferencesPage *page;       /* weak, the window is modal to it */
  GtkWidget              *window;
  GtkWidget              *problem;
  AdwPreferencesPage     *content;
  SdInboxRule            *rule;
  SdSavedReply           *reply;
  /* The rule's widgets */
  GtkEditable            *name;
  GtkEditable            *keyword;
  GtkEditable            *author;
  GtkEditable            *label;
  GtkCheckButton         *kinds[SD_N_MESSAGE_KINDS];
  GtkCheckButton         *networks[SD_N_PLATFORMS];
  GtkSwitch              *mark_done;
  GtkSwitch              *notify;
  /* The saved reply's */
  GtkEditable            *title;
  GtkTextView            *body;
} EditWindow;

static void
edit_window_free (EditWindow *edit)
{
  g_clear_pointer (&edit->rule, sd_inbox_rule_free);
  g_clear_pointer (&edit->reply, sd_saved_reply_free);
  g_free (edit);
}

static void
edit_window_show_problem (EditWindow *edit,
                          const char *problem)
{
  gtk_label_set_text (GTK_LABEL (edit->problem), problem);
  gtk_widget_set_visible (edit->problem, TRUE);
}

/* A window with Cancel and Save in its header bar and a preferences page below. */
static EditWindow *
edit_window_new (SdInboxPreferencesPage *self,
                 const char             *title,
                 GCallback               save_cb)
{
  EditWindow *edit = g_new0 (EditWindow, 1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *problem_group = adw_preferences_group_new ();

  edit->page = self;
  edit->window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (edit->window), title);
  gtk_window_set_modal (GTK_WINDOW (edit->window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (edit->window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (edit->window), 520, 640);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (edit->window), GTK_WINDOW (root));

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), edit->window);
  g_signal_connect_swapped (save, "clicked", save_cb, edit);
  gtk_window_set_default_widget (GTK_WINDOW (edit->window), save);

  edit->content = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (edit->content), TRUE);
  edit->problem = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (edit->problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (edit->problem), 0);
  gtk_widget_add_css_class (edit->problem, "error");
  gtk_widget_set_visible (edit->problem, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (problem_group), edit->problem);
  adw_preferences_page_add (edit->content, ADW_PREFERENCES_GROUP (problem_group));

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (edit->content));
  adw_window_set_content (ADW_WINDOW (edit->window), box);
  g_object_set_data_full (G_OBJECT (edit->window), "edit", edit, (GDestroyNotify) edit_window_free);
  return edit;
}

static GtkEditable *
add_entry_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_preferences_group_add (group, row);
  return GTK_EDITABLE (row);
}

static GtkSwitch *
add_switch_row (AdwPreferencesGroup *group,
                const char          *title,
                gboolean             active)
{
  GtkWidget *row = plain_action_row (title, NULL);
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (toggle);
}

static GtkWidget *
new_group (AdwPreferencesPage *page,
           const char         *title,
           const char         *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
  return group;
}

static GtkWidget *
check_flow (AdwPreferencesGroup *group)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  adw_preferences_group_add (group, flow);
  return flow;
}

/* Rules ------------------------------------------------------------------- */

static char *
nonempty_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
read_rule (EditWindow *edit)
{
  SdInboxRule *rule = edit->rule;

  g_free (rule->name);
  rule->name = nonempty_text (edit->name);
  g_free (rule->keyword);
  rule->keyword = nonempty_text (edit->keyword);
  g_free (rule->author);
  rule->author = nonempty_text (edit->author);
  g_free (rule->label);
  rule->label = nonempty_text (edit->label);
  rule->kinds = 0;
  for (SdMessageKind kind = 0; kind < SD_N_MESSAGE_KINDS; kind++)
    {
      if (edit->kinds[kind] != NULL && gtk_check_button_get_active (edit->kinds[kind]))
        rule->kinds |= 1u << kind;
    }
  rule->platforms = 0;
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      if (gtk_check_button_get_active (edit->networks[platform]))
        rule->platforms |= 1u << platform;
    }
  rule->mark_done = gtk_switch_get_active (edit->mark_done);
  rule->notify = gtk_switch_get_active (edit->notify);
}

static void
save_rule_cb (EditWindow *edit)
{
  g_autoptr(GError) error = NULL;

  read_rule (edit);
  if (edit->rule->name == NULL)
    {
      edit_window_show_problem (edit, _("Give the rule a name"));
      return;
    }
  if (!sd_store_save_inbox_rule (edit->page->store, edit->rule, &error))
    {
      edit_window_show_problem (edit, error->message);
      return;
    }
  fill_rules (edit->page);
  gtk_window_destroy (GTK_WINDOW (edit->window));
}

static void
open_rule_window (SdInboxPreferencesPage *self,
                  const SdInboxRule      *rule)
{
  EditWindow *edit = edit_window_new (self, rule->id != NULL ? _("Edit Rule") : _("New Rule"),
                                      G_CALLBACK (save_rule_cb));
  AdwPreferencesGroup *group;
  GtkWidget *flow;

  edit->rule = sd_inbox_rule_copy (rule);

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, NULL, NULL));
  edit->name = add_entry_row (group, _("Name"), rule->name);

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, _("When"),
                                            _("All that you fill in must hold; what you leave empty matches anything.")));
  edit->keyword = add_entry_row (group, _("Words in the Text"), rule->keyword);
  edit->author = add_entry_row (group, _("From (Handle or Name)"), rule->author);

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, _("Kinds"), _("None chosen: every kind")));
  flow = check_flow (group);
  for (SdMessageKind kind = 0; kind < SD_N_MESSAGE_KINDS; kind++)
    {
      GtkWidget *check;

      if (!sd_message_kind_is_inbox (kind))
        continue;
      check = gtk_check_button_new_with_label (sd_message_kind_get_label (kind));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), (rule->kinds & (1u << kind)) != 0);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), check);
      edit->kinds[kind] = GTK_CHECK_BUTTON (check);
    }

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, _("Networks"), _("None chosen: every network")));
  flow = check_flow (group);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (sd_platform_get_info (platform)->display_name);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), sd_platform_set_contains (rule->platforms, platform));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), check);
      edit->networks[platform] = GTK_CHECK_BUTTON (check);
    }

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, _("Then"), NULL));
  edit->label = add_entry_row (group, _("Add the Label"), rule->label);
  edit->mark_done = add_switch_row (group, _("Mark as Done"), rule->mark_done);
  edit->notify = add_switch_row (group, _("Notify"), rule->notify);

  gtk_window_present (GTK_WINDOW (edit->window));
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(SdInboxRule) rule = sd_inbox_rule_new ();

  rule->enabled = TRUE;
  open_rule_window (SD_INBOX_PREFERENCES_PAGE (widget), rule);
}

static SdInboxRule *
row_rule (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "rule");
}

static void
rule_edit_cb (GtkWidget              *widget,
              SdInboxPreferencesPage *self)
{
  open_rule_window (self, row_rule (widget));
}

static void
rule_remove_cb (GtkWidget              *widget,
                SdInboxPreferencesPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!sd_store_remove_inbox_rule (self->store, row_rule (widget)->id, &error))
    show_error (self, error->message);
  fill_rules (self);
}

static void
rule_enabled_cb (GtkSwitch              *toggle,
                 GParamSpec             *pspec,
                 SdInboxPreferencesPage *self)
{
  g_autoptr(SdInboxRule) rule = sd_inbox_rule_copy (row_rule (GTK_WIDGET (toggle)));
  g_autoptr(GError) error = NULL;

  rule->enabled = gtk_switch_get_active (toggle);
  if (!sd_store_save_inbox_rule (self->store, rule, &error))
    {
      show_error (self, error->message);
      fill_rules (self);
    }
  else
    row_rule (GTK_WIDGET (toggle))->enabled = rule->enabled;
}

/* "Mention, Reply · Mastodon · “refund” · from @alice → Support, done, notify" */
static char *
describe_rule (const SdInboxRule *rule)
{
  GString *when = g_string_new (NULL);
  GString *then = g_string_new (NULL);
  g_autofree char *when_text = NULL;
  g_autofree char *then_text = NULL;

  for (SdMessageKind kind = 0; kind < SD_N_MESSAGE_KINDS; kind++)
    {
      if ((rule->kinds & (1u << kind)) != 0)
        g_string_append_printf (when, "%s%s", when->len > 0 ? ", " : "", sd_message_kind_get_label (kind));
    }
  if (rule->platforms != 0)
    {
      g_autofree char *networks = NULL;
      GString *names = g_string_new (NULL);

      for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
        {
          if (sd_platform_set_contains (rule->platforms, platform))
            g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                    sd_platform_get_info (platform)->display_name);
        }
      networks = g_string_free (names, FALSE);
      g_string_append_printf (when, "%s%s", when->len > 0 ? " · " : "", networks);
    }
  if (rule->keyword != NULL && *rule->keyword != '\0')
    {
      if (when->len > 0)
        g_string_append (when, " · ");
      /* Translators: %s is the words a rule looks for. */
      g_string_append_printf (when, _("“%s”"), rule->keyword);
    }
  if (rule->author != NULL && *rule->author != '\0')
    {
      if (when->len > 0)
        g_string_append (when, " · ");
      /* Translators: %s is who a rule looks for, e.g. "@alice". */
      g_string_append_printf (when, _("from %s"), rule->author);
    }

  if (rule->label != NULL)
    /* Translators: %s is a label's name. */
    g_string_append_printf (then, _("label “%s”"), rule->label);
  if (rule->mark_done)
    g_string_append_printf (then, "%s%s", then->len > 0 ? ", " : "", _("mark done"));
  if (rule->notify)
    g_string_append_printf (then, "%s%s", then->len > 0 ? ", " : "", _("notify"));

  when_text = g_string_free (when, FALSE);
  then_text = g_string_free (then, FALSE);
  /* Translators: a rule's summary: what it looks for → what it does. */
  return g_strdup_printf (_("%s → %s"), *when_text != '\0' ? when_text : _("Every message"), then_text);
}

static GtkWidget *
rule_row (SdInboxPreferencesPage *self,
          const SdInboxRule      *rule)
{
  g_autofree char *summary = describe_rule (rule);
  GtkWidget *row = plain_action_row (rule->name != NULL ? rule->name : "", summary);
  GtkWidget *toggle = gtk_switch_new ();
  /* Translators: %s is a rule's name. */
  g_autofree char *enable = g_strdup_printf (_("Use Rule “%s”"), rule->name);
  g_autofree char *edit_label = g_strdup_printf (_("Edit Rule “%s”"), rule->name);
  g_autofree char *remove_label = g_strdup_printf (_("Remove Rule “%s”"), rule->name);
  GtkWidget *edit = icon_button ("document-edit-symbolic", edit_label);
  GtkWidget *remove = icon_button ("user-trash-symbolic", remove_label);

  g_object_set_data_full (G_OBJECT (row), "rule", sd_inbox_rule_copy (rule),
                          (GDestroyNotify) sd_inbox_rule_free);
  /* The row's buttons find the rule through the row. */
  g_object_set_data (G_OBJECT (toggle), "rule", row_rule (row));
  g_object_set_data (G_OBJECT (edit), "rule", row_rule (row));
  g_object_set_data (G_OBJECT (remove), "rule", row_rule (row));

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), rule->enabled);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, enable, -1);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (rule_enabled_cb), self, 0);
  g_signal_connect_object (edit, "clicked", G_CALLBACK (rule_edit_cb), self, 0);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (rule_remove_cb), self, 0);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
fill_rules (SdInboxPreferencesPage *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  clear_rows (self->rules_group, self->rule_rows);
  if (self->store == NULL)
    return;
  rules = sd_store_list_inbox_rules (self->store, &error);
  if (rules == NULL)
    {
      if (error != NULL)
        show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < rules->len; i++)
    {
      GtkWidget *row = rule_row (self, rules->pdata[i]);

      adw_preferences_group_add (self->rules_group, row);
      g_ptr_array_add (self->rule_rows, row);
    }
}

/* Saved replies ----------------------------------------------------------- */

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
save_saved_reply_cb (EditWindow *edit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = nonempty_text (edit->title);
  g_autofree char *body = text_view_text (edit->body);
  g_autofree char *stripped = g_strstrip (g_strdup (body));

  if (title == NULL)
    {
      edit_window_show_problem (edit, _("Give the reply a title"));
      return;
    }
  if (*stripped == '\0')
    {
      edit_window_show_problem (edit, _("Write the reply’s text"));
      return;
    }
  g_free (edit->reply->title);
  edit->reply->title = g_steal_pointer (&title);
  g_free (edit->reply->body);
  edit->reply->body = g_steal_pointer (&body);
  if (!sd_store_save_saved_reply (edit->page->store, edit->reply, &error))
    {
      edit_window_show_problem (edit, error->message);
      return;
    }
  fill_saved_replies (edit->page);
  gtk_window_destroy (GTK_WINDOW (edit->window));
}

static void
open_saved_reply_window (SdInboxPreferencesPage *self,
                         const SdSavedReply     *reply)
{
  EditWindow *edit = edit_window_new (self, reply->id != NULL ? _("Edit Saved Reply") : _("New Saved Reply"),
                                      G_CALLBACK (save_saved_reply_cb));
  AdwPreferencesGroup *group;
  GtkWidget *frame, *view;

  edit->reply = sd_saved_reply_new (reply->title, reply->body);
  edit->reply->id = g_strdup (reply->id);

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, NULL, NULL));
  edit->title = add_entry_row (group, _("Title"), reply->title);

  group = ADW_PREFERENCES_GROUP (new_group (edit->content, _("Text"),
                                            _("{name} becomes the author’s name, {handle} their handle, {account} your account’s name and {network} the network’s name.")));
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_size_request (view, -1, 160);
  gtk_widget_add_css_class (view, "sd-reply-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Saved Reply Text"), -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            reply->body != NULL ? reply->body : "", -1);
  frame = gtk_frame_new (NULL);
  gtk_widget_add_css_class (frame, "card");
  gtk_frame_set_child (GTK_FRAME (frame), view);
  adw_preferences_group_add (group, frame);
  edit->body = GTK_TEXT_VIEW (view);

  gtk_window_present (GTK_WINDOW (edit->window));
}

static void
add_saved_reply_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_autoptr(SdSavedReply) reply = sd_saved_reply_new (NULL, NULL);

  open_saved_reply_window (SD_INBOX_PREFERENCES_PAGE (widget), reply);
}

static SdSavedReply *
row_saved_reply (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "saved-reply");
}

static void
saved_reply_edit_cb (GtkWidget              *widget,
                     SdInboxPreferencesPage *self)
{
  open_saved_reply_window (self, row_saved_reply (widget));
}

static void
saved_reply_remove_cb (GtkWidget              *widget,
                       SdInboxPreferencesPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!sd_store_remove_saved_reply (self->store, row_saved_reply (widget)->id, &error))
    show_error (self, error->message);
  fill_saved_replies (self);
}

static SdSavedReply *
copy_saved_reply (const SdSavedReply *reply)
{
  SdSavedReply *copy = sd_saved_reply_new (reply->title, reply->body);

  copy->id = g_strdup (reply->id);
  return copy;
}

static GtkWidget *
saved_reply_row (SdInboxPreferencesPage *self,
                 const SdSavedReply     *reply)
{
  g_autofree char *first_line = g_strdup (reply->body != NULL ? reply->body : "");
  GtkWidget *row;
  /* Translators: %s is a saved reply's title. */
  g_autofree char *edit_label = g_strdup_printf (_("Edit Saved Reply “%s”"), reply->title);
  g_autofree char *remove_label = g_strdup_printf (_("Remove Saved Reply “%s”"), reply->title);
  GtkWidget *edit = icon_button ("document-edit-symbolic", edit_label);
  GtkWidget *remove = icon_button ("user-trash-symbolic", remove_label);

  g_strdelimit (first_line, "\n", ' ');
  row = plain_action_row (reply->title != NULL ? reply->title : "", first_line);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  g_object_set_data_full (G_OBJECT (row), "saved-reply", copy_saved_reply (reply),
                          (GDestroyNotify) sd_saved_reply_free);
  g_object_set_data (G_OBJECT (edit), "saved-reply", row_saved_reply (row));
  g_object_set_data (G_OBJECT (remove), "saved-reply", row_saved_reply (row));
  g_signal_connect_object (edit, "clicked", G_CALLBACK (saved_reply_edit_cb), self, 0);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (saved_reply_remove_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
fill_saved_replies (SdInboxPreferencesPage *self)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  clear_rows (self->saved_group, self->saved_rows);
  if (self->store == NULL)
    return;
  replies = sd_store_list_saved_replies (self->store, &error);
  if (replies == NULL)
    {
      if (error != NULL)
        show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < replies->len; i++)
    {
      GtkWidget *row = saved_reply_row (self, replies->pdata[i]);

      adw_preferences_group_add (self->saved_group, row);
      g_ptr_array_add (self->saved_rows, row);
    }
}

/* Public ------------------------------------------------------------------ */

void
sd_inbox_preferences_page_set_settings (SdInboxPreferencesPage *self,
                                        GSettings              *settings)
{
  g_return_if_fail (SD_IS_INBOX_PREFERENCES_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  g_settings_bind_with_mapping (settings, "inbox-refresh-minutes", self->interval_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, interval_to_selected, selected_to_interval,
                                NULL, NULL);
  g_settings_bind (settings, "inbox-notify", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "inbox-with-activity", self->activity_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

void
sd_inbox_preferences_page_set_store (SdInboxPreferencesPage *self,
                                     SdStore                *store)
{
  g_return_if_fail (SD_IS_INBOX_PREFERENCES_PAGE (self));
  g_return_if_fail (store == NULL || SD_IS_STORE (store));

  g_set_object (&self->store, store);
  gtk_widget_set_visible (GTK_WIDGET (self->labels_group), store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->rules_group), store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), store != NULL);
  fill_labels (self);
  fill_rules (self);
  fill_saved_replies (self);
}

static void
sd_inbox_preferences_page_dispose (GObject *object)
{
  SdInboxPreferencesPage *self = SD_INBOX_PREFERENCES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_INBOX_PREFERENCES_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->label_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rule_rows, g_ptr_array_unref);
  g_clear_pointer (&self->saved_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_inbox_preferences_page_parent_class)->dispose (object);
}

static void
sd_inbox_preferences_page_class_init (SdInboxPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_inbox_preferences_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/SocialDesk/sd-inbox-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, interval_row);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, activity_switch);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, labels_group);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, new_label_row);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, rules_group);
  gtk_widget_class_bind_template_child (widget_class, SdInboxPreferencesPage, saved_group);

  gtk_widget_class_install_action (widget_class, "inbox-preferences.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "inbox-preferences.add-saved-reply", NULL,
                                   add_saved_reply_action);
}

static void
sd_inbox_preferences_page_init (SdInboxPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->label_rows = g_ptr_array_new ();
  self->rule_rows = g_ptr_array_new ();
  self->saved_rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->new_label_row, "apply", G_CALLBACK (new_label_apply_cb), self);
  g_signal_connect_swapped (self->new_label_row, "entry-activated", G_CALLBACK (new_label_apply_cb), self);
  sd_inbox_preferences_page_set_store (self, NULL);
}
