/* sd-network-options.h — the composer's options for networks that ask for more than text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-post.h"

G_BEGIN_DECLS

#define SD_TYPE_NETWORK_OPTIONS (sd_network_options_get_type ())
G_DECLARE_FINAL_TYPE (SdNetworkOptions, sd_network_options, SD, NETWORK_OPTIONS, AdwBin)

void sd_network_options_set_post      (SdNetworkOptions *self,
                                       SdPost           *post);
void sd_network_options_set_platforms (SdNetworkOptions *self,
                                       SdPlatformSet     platforms);

G_END_DECLS
