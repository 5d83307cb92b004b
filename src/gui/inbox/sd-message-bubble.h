/* sd-message-bubble.h — one message of a conversation: who, when, the text with its links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-message.h"

G_BEGIN_DECLS

#define SD_TYPE_MESSAGE_BUBBLE (sd_message_bubble_get_type ())
G_DECLARE_FINAL_TYPE (SdMessageBubble, sd_message_bubble, SD, MESSAGE_BUBBLE, GtkWidget)

/* @answered: the message the conversation was opened for (highlighted).
 * A reply written here shows how far it got, and a failed one offers
 * Retry through the "conversation.retry-reply" action (its post id). */
GtkWidget *sd_message_bubble_new         (SdMessage *message,
                                          gboolean   answered);
SdMessage *sd_message_bubble_get_message (SdMessageBubble *self);
/* Opens an http(s) or mailto link in the person's browser; anything else is refused. */
gboolean   sd_message_bubble_open_link   (GtkWidget  *widget,
                                          const char *uri);

G_END_DECLS
