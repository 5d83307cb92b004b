/* sd-post-state-style.h — how a post's state looks: a word, an icon and a colour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-post.h"

G_BEGIN_DECLS

const char *sd_post_state_get_label     (SdPostState state);
const char *sd_post_state_get_icon_name (SdPostState state);
const char *sd_post_state_get_css_class (SdPostState state);

G_END_DECLS
