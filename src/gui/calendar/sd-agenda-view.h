/* sd-agenda-view.h — a month's planned posts as a list, day by day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-calendar-view.h"

G_BEGIN_DECLS

#define SD_TYPE_AGENDA_VIEW (sd_agenda_view_get_type ())
G_DECLARE_FINAL_TYPE (SdAgendaView, sd_agenda_view, SD, AGENDA_VIEW, GtkWidget)

GtkWidget *sd_agenda_view_new (void);

G_END_DECLS
