/* sd-month-view.h — six weeks of days around a month
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-calendar-view.h"

G_BEGIN_DECLS

#define SD_TYPE_MONTH_VIEW (sd_month_view_get_type ())
G_DECLARE_FINAL_TYPE (SdMonthView, sd_month_view, SD, MONTH_VIEW, GtkWidget)

GtkWidget *sd_month_view_new (void);

G_END_DECLS
