/* sd-facebook.h — the Facebook Pages provider (Meta Graph API)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_FACEBOOK (sd_facebook_get_type ())
G_DECLARE_FINAL_TYPE (SdFacebook, sd_facebook, SD, FACEBOOK, GObject)

SdFacebook *sd_facebook_new (void);

G_END_DECLS
