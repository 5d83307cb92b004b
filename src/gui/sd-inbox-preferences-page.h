/* sd-inbox-preferences-page.h — Preferences → Inbox: checking, notifications, labels, rules, saved replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_INBOX_PREFERENCES_PAGE (sd_inbox_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (SdInboxPreferencesPage, sd_inbox_preferences_page, SD, INBOX_PREFERENCES_PAGE,
                      AdwPreferencesPage)

/* The app's settings (inbox-refresh-minutes, inbox-notify, inbox-with-activity). */
void sd_inbox_preferences_page_set_settings (SdInboxPreferencesPage *self,
                                             GSettings              *settings);
/* Labels, rules and saved replies live in the store; without one they are not shown. */
void sd_inbox_preferences_page_set_store    (SdInboxPreferencesPage *self,
                                             SdStore                *store);

G_END_DECLS
