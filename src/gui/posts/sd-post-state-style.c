/* sd-post-state-style.c — how a post's state looks: a word, an icon and a colour
 *
 * The colour is never alone: every state also has its icon and its word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sd-post-state-style.h"

static const struct {
  const char *label;
  const char *icon;
  const char *css;
} states[] = {
  [SD_POST_STATE_DRAFT] = { N_("Draft"), "document-edit-symbolic", "sd-state-draft" },
  [SD_POST_STATE_SCHEDULED] = { N_("Scheduled"), "alarm-symbolic", "sd-state-scheduled" },
  [SD_POST_STATE_PUBLISHING] = { N_("Publishing"), "emblem-synchronizing-symbolic", "sd-state-publishing" },
  [SD_POST_STATE_PUBLISHED] = { N_("Published"), "emblem-ok-symbolic", "sd-state-published" },
  [SD_POST_STATE_FAILED] = { N_("Failed"), "dialog-error-symbolic", "sd-state-failed" },
};

const char *
sd_post_state_get_label (SdPostState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), "");

  return _(states[state].label);
}

const char *
sd_post_state_get_icon_name (SdPostState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);

  return states[state].icon;
}

const char *
sd_post_state_get_css_class (SdPostState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);

  return states[state].css;
}
