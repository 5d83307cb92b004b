/* sd-add-account-dialog.h — connects an account on any of the nine networks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_ADD_ACCOUNT_DIALOG (sd_add_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdAddAccountDialog, sd_add_account_dialog, SD, ADD_ACCOUNT_DIALOG, AdwWindow)

SdAddAccountDialog *sd_add_account_dialog_new          (GtkWindow          *parent,
                                                        SdStore            *store);
void                sd_add_account_dialog_show_network (SdAddAccountDialog *self,
                                                        SdPlatform          platform);
void                sd_add_account_dialog_sign_in_again (SdAddAccountDialog *self,
                                                        SdAccount          *account);

G_END_DECLS
