/* sd-conversation-view.h — the right pane of the inbox: one conversation, its actions and the reply box
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-inbox-engine.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_CONVERSATION_VIEW (sd_conversation_view_get_type ())
G_DECLARE_FINAL_TYPE (SdConversationView, sd_conversation_view, SD, CONVERSATION_VIEW, GtkWidget)

/* Signals:
 *   "message-changed" (SdMessage *message): its read/done/liked/hidden/labels
 *       changed here; the list updates the row (or reloads when it left the filter).
 *   "reply-queued" (const char *post_id): a reply went into the outbox; the
 *       app's outbox engine is asked to run a pass. */
SdConversationView *sd_conversation_view_new         (void);
void                sd_conversation_view_set_store   (SdConversationView *self,
                                                      SdStore            *store);
void                sd_conversation_view_set_engine  (SdConversationView *self,
                                                      SdInboxEngine      *engine);
/* Shows @message's conversation (the store's copy at once, the network's
 * context when it arrives); NULL shows the "select a message" state. */
void                sd_conversation_view_set_message (SdConversationView *self,
                                                      SdMessage          *message);
SdMessage          *sd_conversation_view_get_message (SdConversationView *self);
/* Puts the keyboard in the reply box ("r"). FALSE when the message cannot be answered. */
gboolean            sd_conversation_view_focus_reply (SdConversationView *self);
/* Re-reads the conversation from the store (after a sync or an outbox pass). */
void                sd_conversation_view_reload      (SdConversationView *self);

G_END_DECLS
