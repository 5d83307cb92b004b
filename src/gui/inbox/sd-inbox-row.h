/* sd-inbox-row.h — one message in the inbox list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-message.h"

G_BEGIN_DECLS

#define SD_TYPE_INBOX_ROW (sd_inbox_row_get_type ())
G_DECLARE_FINAL_TYPE (SdInboxRow, sd_inbox_row, SD, INBOX_ROW, GtkWidget)

GtkWidget *sd_inbox_row_new         (void);
/* @account_label: our account it came to ("@brand@mastodon.social"); NULL: none shown. */
void       sd_inbox_row_set_message (SdInboxRow *self,
                                     SdMessage  *message,
                                     const char *account_label);
SdMessage *sd_inbox_row_get_message (SdInboxRow *self);

/* "5 min", "3 h", "Yesterday", "12 Mar" (@now and @then in unix seconds). */
char      *sd_inbox_format_relative_time (gint64 then,
                                          gint64 now);
/* "Unread mention from Alice on Mastodon to @brand: text…" */
char      *sd_inbox_row_dup_accessible_label (SdMessage  *message,
                                              const char *account_label);

G_END_DECLS
