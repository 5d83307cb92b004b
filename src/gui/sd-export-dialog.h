/* sd-export-dialog.h — asks which days and networks to export as an iCalendar file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_EXPORT_DIALOG (sd_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdExportDialog, sd_export_dialog, SD, EXPORT_DIALOG, AdwMessageDialog)

void sd_export_dialog_present (GtkWindow       *parent,
                               SdStore         *store,
                               AdwToastOverlay *toasts,
                               GDateTime       *from,
                               GDateTime       *to);

G_END_DECLS
