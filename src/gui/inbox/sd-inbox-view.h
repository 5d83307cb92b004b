/* sd-inbox-view.h — the inbox: the message list with its filters and search beside the conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-inbox-engine.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_INBOX_VIEW (sd_inbox_view_get_type ())
G_DECLARE_FINAL_TYPE (SdInboxView, sd_inbox_view, SD, INBOX_VIEW, GtkWidget)

/* Signals:
 *   "reply-queued" (const char *post_id): a reply went into the outbox.
 *   "problem" (const char *message): a translated sentence for a toast.
 * Properties: "unread-count" (open unread messages, for the window's badge). */
void     sd_inbox_view_set_store        (SdInboxView   *self,
                                         SdStore       *store);
/* NULL: no refreshing (the Refresh button is off). */
void     sd_inbox_view_set_engine       (SdInboxView   *self,
                                         SdInboxEngine *engine);
void     sd_inbox_view_set_menu         (SdInboxView   *self,
                                         GMenuModel    *menu);
/* Reads the list (and the unread count) again, keeping the selection. */
void     sd_inbox_view_reload           (SdInboxView   *self);
/* Accounts were added or removed. */
void     sd_inbox_view_reload_accounts  (SdInboxView   *self);
/* After an outbox pass: the conversation shows how far its replies got. */
void     sd_inbox_view_reload_conversation (SdInboxView *self);
/* Opens a message (a notification's click); FALSE if the store has none by that id. */
gboolean sd_inbox_view_show_message     (SdInboxView   *self,
                                         const char    *message_id);
void     sd_inbox_view_focus_search     (SdInboxView   *self);
guint    sd_inbox_view_get_unread_count (SdInboxView   *self);

G_END_DECLS
