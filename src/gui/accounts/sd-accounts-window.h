/* sd-accounts-window.h — Accounts: the accounts SocialDesk publishes with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_ACCOUNTS_WINDOW (sd_accounts_window_get_type ())
G_DECLARE_FINAL_TYPE (SdAccountsWindow, sd_accounts_window, SD, ACCOUNTS_WINDOW, AdwWindow)

SdAccountsWindow *sd_accounts_window_new    (GtkWindow        *parent,
                                             SdStore          *store);
void              sd_accounts_window_reload (SdAccountsWindow *self);

G_END_DECLS
