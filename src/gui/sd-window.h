/* sd-window.h — the main window: the Posts list beside the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-application.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())
G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow *sd_window_new       (SdApplication *application,
                               SdStore       *store);
gboolean  sd_window_show_view (SdWindow      *self,
                               const char    *view,
                               const GDate   *date);
void      sd_window_show_message (SdWindow   *self,
                                  const char *message_id);
void      sd_window_add_toast (SdWindow      *self,
                               const char    *text);

G_END_DECLS
