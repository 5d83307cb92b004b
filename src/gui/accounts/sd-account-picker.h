/* sd-account-picker.h — the composer's choice of accounts a post goes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_ACCOUNT_PICKER (sd_account_picker_get_type ())
G_DECLARE_FINAL_TYPE (SdAccountPicker, sd_account_picker, SD, ACCOUNT_PICKER, AdwBin)

void          sd_account_picker_set_store       (SdAccountPicker *self,
                                                 SdStore         *store);
void          sd_account_picker_reload          (SdAccountPicker *self);
void          sd_account_picker_set_chosen      (SdAccountPicker *self,
                                                 GPtrArray       *account_ids);
GPtrArray    *sd_account_picker_dup_chosen      (SdAccountPicker *self);
SdPlatformSet sd_account_picker_get_platforms   (SdAccountPicker *self);
guint         sd_account_picker_get_n_accounts  (SdAccountPicker *self);

G_END_DECLS
