/* sd-post-list-model.h — the posts a list shows: a live query on the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_POST_LIST_MODEL (sd_post_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SdPostListModel, sd_post_list_model, SD, POST_LIST_MODEL, GObject)

SdPostListModel *sd_post_list_model_new        (SdStore         *store);
void             sd_post_list_model_set_search (SdPostListModel *self,
                                                const char      *search);
const char      *sd_post_list_model_get_search (SdPostListModel *self);
void             sd_post_list_model_set_unscheduled (SdPostListModel *self,
                                                     gboolean         unscheduled);
void             sd_post_list_model_reload     (SdPostListModel *self);
gboolean         sd_post_list_model_is_loading (SdPostListModel *self);
gboolean         sd_post_list_model_find       (SdPostListModel *self,
                                                const char      *id,
                                                guint           *position);
void             sd_post_list_model_prepend    (SdPostListModel *self,
                                                SdPost          *post);
void             sd_post_list_model_remove     (SdPostListModel *self,
                                                const char      *id);

G_END_DECLS
