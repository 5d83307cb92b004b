/* sd-post-json.h — the stable JSON form of posts (documented in README.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-post.h"

G_BEGIN_DECLS

JsonNode *sd_post_to_json_node   (SdPost    *post);
char     *sd_post_to_json        (SdPost    *post);
char     *sd_posts_to_json       (GPtrArray *posts);

G_END_DECLS
