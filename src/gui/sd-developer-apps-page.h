/* sd-developer-apps-page.h — Preferences → Developer Apps: the app registered with each OAuth network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_DEVELOPER_APPS_PAGE (sd_developer_apps_page_get_type ())
G_DECLARE_FINAL_TYPE (SdDeveloperAppsPage, sd_developer_apps_page, SD, DEVELOPER_APPS_PAGE,
                      AdwPreferencesPage)

void sd_developer_apps_page_set_store     (SdDeveloperAppsPage *self,
                                           SdStore             *store);
void sd_developer_apps_page_focus_network (SdDeveloperAppsPage *self,
                                           SdPlatform           platform);

G_END_DECLS
