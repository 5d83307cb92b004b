/* sd-reply-box.h — the answer to a message: text, the network's counter, saved replies, Send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_REPLY_BOX (sd_reply_box_get_type ())
G_DECLARE_FINAL_TYPE (SdReplyBox, sd_reply_box, SD, REPLY_BOX, GtkWidget)

/* Signals:
 *   "reply-queued" (const char *post_id): Send stored the reply in the outbox. */
GtkWidget *sd_reply_box_new           (void);
void       sd_reply_box_set_store     (SdReplyBox *self,
                                       SdStore    *store);
/* The message to answer (NULL: none). What was typed for the previous one is
 * kept, in memory, for when it is shown again. */
void       sd_reply_box_set_message   (SdReplyBox *self,
                                       SdMessage  *message);
/* FALSE when the message cannot be answered (no message, the network does
 * not allow it, or its reply window closed). */
gboolean   sd_reply_box_can_reply     (SdReplyBox *self);
gboolean   sd_reply_box_focus_text    (SdReplyBox *self);
/* The text as typed (the tests read it). */
char      *sd_reply_box_dup_text      (SdReplyBox *self);

G_END_DECLS
