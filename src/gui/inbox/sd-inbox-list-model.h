/* sd-inbox-list-model.h — the inbox list: a GListModel of SdMessage that pages rows in from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-message.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_INBOX_LIST_MODEL (sd_inbox_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SdInboxListModel, sd_inbox_list_model, SD, INBOX_LIST_MODEL, GObject)

/* Rows read from the store at a time, and how many such pages are kept. */
#define SD_INBOX_LIST_PAGE_SIZE 100
#define SD_INBOX_LIST_MAX_PAGES 6

/* Signals:
 *   "loaded" (GError *error): a reload ended (error NULL when it went well).
 * Properties: "loading", "n-items". */
SdInboxListModel   *sd_inbox_list_model_new          (SdStore            *store);
/* A copy is kept; a change reloads (count + first page in a worker). */
void                sd_inbox_list_model_set_query    (SdInboxListModel   *self,
                                                      const SdInboxQuery *query);
const SdInboxQuery *sd_inbox_list_model_get_query    (SdInboxListModel   *self);
void                sd_inbox_list_model_reload       (SdInboxListModel   *self);
gboolean            sd_inbox_list_model_is_loading   (SdInboxListModel   *self);
/* Only the pages in memory are searched (what is on screen or near it). */
gboolean            sd_inbox_list_model_find         (SdInboxListModel   *self,
                                                      const char         *message_id,
                                                      guint              *position);
/* @message's new state (read, done, labels…) into the copy the list holds. */
void                sd_inbox_list_model_update       (SdInboxListModel   *self,
                                                      SdMessage          *message);
/* How many pages are in memory now (for tests). */
guint               sd_inbox_list_model_get_n_pages  (SdInboxListModel   *self);

void                sd_inbox_query_copy_into         (SdInboxQuery       *dest,
                                                      const SdInboxQuery *src);
void                sd_inbox_query_clear             (SdInboxQuery       *query);
gboolean            sd_inbox_query_equal             (const SdInboxQuery *a,
                                                      const SdInboxQuery *b);

G_END_DECLS
