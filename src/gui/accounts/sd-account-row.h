/* sd-account-row.h — one connected account in Accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-account.h"

G_BEGIN_DECLS

#define SD_TYPE_ACCOUNT_ROW (sd_account_row_get_type ())
G_DECLARE_FINAL_TYPE (SdAccountRow, sd_account_row, SD, ACCOUNT_ROW, AdwActionRow)

GtkWidget *sd_account_row_new         (SdAccount    *account);
SdAccount *sd_account_row_get_account (SdAccountRow *self);

const char *sd_account_state_get_label (SdAccountState state);

G_END_DECLS
