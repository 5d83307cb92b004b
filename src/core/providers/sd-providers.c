/* sd-providers.c — which provider speaks for which network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-provider.h"

#include "sd-bluesky.h"
#include "sd-mastodon.h"
#include "sd-tiktok.h"

SdProvider *
sd_provider_new_for_platform (SdPlatform platform)
{
  switch (platform)
    {
    case SD_PLATFORM_MASTODON:
      return SD_PROVIDER (sd_mastodon_new ());
    case SD_PLATFORM_BLUESKY:
      return SD_PROVIDER (sd_bluesky_new ());
    case SD_PLATFORM_TIKTOK:
      return SD_PROVIDER (sd_tiktok_new ());
    default:
      return NULL;
    }
}
