/* sd-outbox-actions.h — the user's answers to a post the outbox could not send
 *
 * Shared by the Posts list and the calendar: Retry / Send Now (failed, held),
 * It Was Published and Send Again (uncertain; asked first, it may appear twice).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

/* Called on the main thread once the store has the answer; @error is NULL on success. */
typedef void (*SdOutboxDoneFunc) (GtkWidget  *widget,
                                  const char *post_id,
                                  GError     *error);

char       *sd_outbox_describe           (SdPost           *post,
                                          const char      **icon_name);
gboolean    sd_outbox_needs_attention    (guint             outbox);
void        sd_outbox_retry              (GtkWidget        *widget,
                                          SdStore          *store,
                                          const char       *post_id,
                                          SdOutboxDoneFunc  done);
void        sd_outbox_confirm_published  (GtkWidget        *widget,
                                          SdStore          *store,
                                          const char       *post_id,
                                          SdOutboxDoneFunc  done);
void        sd_outbox_ask_send_again     (GtkWidget        *widget,
                                          SdStore          *store,
                                          const char       *post_id,
                                          SdOutboxDoneFunc  done);

G_END_DECLS
