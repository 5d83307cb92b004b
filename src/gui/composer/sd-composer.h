/* sd-composer.h — writes one post: text, networks and time, saved as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_COMPOSER (sd_composer_get_type ())
G_DECLARE_FINAL_TYPE (SdComposer, sd_composer, SD, COMPOSER, AdwBin)

void     sd_composer_set_store   (SdComposer *self,
                                  SdStore    *store);
gboolean sd_composer_set_post    (SdComposer *self,
                                  SdPost     *post,
                                  GError    **error);
SdPost  *sd_composer_get_post    (SdComposer *self);
gboolean sd_composer_flush       (SdComposer *self,
                                  GError    **error);
void     sd_composer_focus_text  (SdComposer *self);
void     sd_composer_reload_accounts (SdComposer *self);
void     sd_composer_outbox_changed  (SdComposer *self);

G_END_DECLS
