/* sd-providers.c — which provider speaks for which network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-provider.h"
#include "sd-providers-private.h"

#include "sd-bluesky.h"
#include "sd-facebook.h"
#include "sd-instagram.h"
#include "sd-linkedin.h"
#include "sd-mastodon.h"
#include "sd-threads.h"
#include "sd-x.h"
#include "sd-youtube.h"
#include "sd-tiktok.h"

static SdProviderFactory test_factories[SD_N_PLATFORMS];

void
sd_provider_set_factory_for_tests (SdPlatform        platform,
                                   SdProviderFactory factory)
{
  g_return_if_fail (platform < SD_N_PLATFORMS);
  test_factories[platform] = factory;
}

SdProvider *
sd_provider_new_for_platform (SdPlatform platform)
{
  SdProviderFactory factory = platform < SD_N_PLATFORMS ? test_factories[platform] : NULL;

  if (factory != NULL)
    return factory ();

  switch (platform)
    {
    case SD_PLATFORM_MASTODON:
      return SD_PROVIDER (sd_mastodon_new ());
    case SD_PLATFORM_BLUESKY:
      return SD_PROVIDER (sd_bluesky_new ());
    case SD_PLATFORM_THREADS:
      return SD_PROVIDER (sd_threads_new ());
    case SD_PLATFORM_X:
      return SD_PROVIDER (sd_x_new ());
    case SD_PLATFORM_FACEBOOK:
      return SD_PROVIDER (sd_facebook_new ());
    case SD_PLATFORM_INSTAGRAM:
      return SD_PROVIDER (sd_instagram_new ());
    case SD_PLATFORM_LINKEDIN:
      return SD_PROVIDER (sd_linkedin_new ());
    case SD_PLATFORM_YOUTUBE: return SD_PROVIDER (sd_youtube_new ());
    case SD_PLATFORM_TIKTOK:
      return SD_PROVIDER (sd_tiktok_new ());
    default:
      return NULL;
    }
}
