/* sd-platform.c — the networks SocialDesk writes for, as one data table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-platform"

#include "sd-platform.h"

#include <string.h>

static const SdPlatformInfo platforms[SD_N_PLATFORMS] = {
  { SD_PLATFORM_X,         "x",         "X" },
  { SD_PLATFORM_BLUESKY,   "bluesky",   "Bluesky" },
  { SD_PLATFORM_MASTODON,  "mastodon",  "Mastodon" },
  { SD_PLATFORM_LINKEDIN,  "linkedin",  "LinkedIn" },
  { SD_PLATFORM_FACEBOOK,  "facebook",  "Facebook" },
  { SD_PLATFORM_INSTAGRAM, "instagram", "Instagram" },
  { SD_PLATFORM_THREADS,   "threads",   "Threads" },
  { SD_PLATFORM_YOUTUBE,   "youtube",   "YouTube" },
  { SD_PLATFORM_TIKTOK,    "tiktok",    "TikTok" },
};

const SdPlatformInfo *
sd_platform_get_info (SdPlatform platform)
{
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  return &platforms[platform];
}

gboolean
sd_platform_from_id (const char *id,
                     SdPlatform *platform)
{
  g_autofree char *folded = NULL;

  if (id == NULL)
    return FALSE;

  folded = g_ascii_strdown (id, -1);
  g_strstrip (folded);

  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    {
      if (strcmp (platforms[i].id, folded) == 0)
        {
          if (platform != NULL)
            *platform = platforms[i].platform;
          return TRUE;
        }
    }

  /* "twitter" is what many spreadsheets still say. */
  if (strcmp (folded, "twitter") == 0)
    {
      if (platform != NULL)
        *platform = SD_PLATFORM_X;
      return TRUE;
    }

  return FALSE;
}

char *
sd_platform_set_to_string (SdPlatformSet  set,
                           const char    *separator)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    {
      if (!sd_platform_set_contains (set, i))
        continue;
      if (str->len > 0)
        g_string_append (str, separator);
      g_string_append (str, platforms[i].id);
    }

  return g_string_free (str, FALSE);
}

/* Empty items are ignored, so "x;;bluesky;" and "" are fine. */
gboolean
sd_platform_set_parse (const char     *text,
                       const char     *separator,
                       SdPlatformSet  *set,
                       char          **bad_name)
{
  g_auto(GStrv) parts = NULL;
  SdPlatformSet result = 0;

  g_return_val_if_fail (set != NULL, FALSE);

  parts = g_strsplit (text != NULL ? text : "", separator, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      SdPlatform platform;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;

      if (!sd_platform_from_id (parts[i], &platform))
        {
          if (bad_name != NULL)
            *bad_name = g_strdup (parts[i]);
          return FALSE;
        }

      result |= 1u << platform;
    }

  *set = result;
  return TRUE;
}

guint
sd_platform_set_count (SdPlatformSet set)
{
  return (guint) __builtin_popcount (set);
}
