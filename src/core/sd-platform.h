/* sd-platform.h — the networks SocialDesk writes for, as one data table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SD_PLATFORM_X,
  SD_PLATFORM_BLUESKY,
  SD_PLATFORM_MASTODON,
  SD_PLATFORM_LINKEDIN,
  SD_PLATFORM_FACEBOOK,
  SD_PLATFORM_INSTAGRAM,
  SD_PLATFORM_THREADS,
  SD_PLATFORM_YOUTUBE,
  SD_PLATFORM_TIKTOK,
  SD_N_PLATFORMS
} SdPlatform;

/* A set of platforms, one bit per SdPlatform. */
typedef guint SdPlatformSet;

#define SD_PLATFORM_SET_ALL ((1u << SD_N_PLATFORMS) - 1)

typedef struct
{
  SdPlatform  platform;
  const char *id;            /* stable name used in the store, CLI and JSON */
  const char *display_name;  /* brand name, not translated */
} SdPlatformInfo;

const SdPlatformInfo *sd_platform_get_info        (SdPlatform     platform);
gboolean              sd_platform_from_id         (const char    *id,
                                                   SdPlatform    *platform);
char                 *sd_platform_set_to_string   (SdPlatformSet  set,
                                                   const char    *separator);
gboolean              sd_platform_set_parse       (const char    *text,
                                                   const char    *separator,
                                                   SdPlatformSet *set,
                                                   char         **bad_name);
guint                 sd_platform_set_count       (SdPlatformSet  set);

static inline gboolean
sd_platform_set_contains (SdPlatformSet set,
                          SdPlatform    platform)
{
  return (set & (1u << platform)) != 0;
}

G_END_DECLS
