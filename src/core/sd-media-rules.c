/* sd-media-rules.c — what each network accepts as a post's images
 *
 * One table (PLATFORMS.md gives the sources; "unverified" values are
 * defaults). Bluesky's size limit is not a problem: images are shrunk to fit
 * when published.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-media-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-attachment.h"
#include "sd-media-rules.h"

#define MB (1024 * 1024)

typedef struct
{
  guint       min_images;
  guint       max_images;
  guint       alt_limit;        /* 0: no alt text on that network */
  gint64      max_bytes;        /* 0: no limit we know of */
  gboolean    jpeg_only;
  gboolean    needs_video;
} MediaRule;

static const MediaRule rules[SD_N_PLATFORMS] = {
  [SD_PLATFORM_X]         = { 0, 4,  1000, 5 * MB,  FALSE, FALSE },
  [SD_PLATFORM_BLUESKY]   = { 0, 4,  2000, 0,       FALSE, FALSE },
  [SD_PLATFORM_MASTODON]  = { 0, 4,  1500, 16 * MB, FALSE, FALSE },
  [SD_PLATFORM_LINKEDIN]  = { 0, 20, 0,    0,       FALSE, FALSE },
  [SD_PLATFORM_FACEBOOK]  = { 0, 10, 0,    0,       FALSE, FALSE },
  [SD_PLATFORM_INSTAGRAM] = { 1, 10, 1000, 8 * MB,  TRUE,  FALSE },
  [SD_PLATFORM_THREADS]   = { 0, 20, 1000, 8 * MB,  FALSE, FALSE },
  [SD_PLATFORM_YOUTUBE]   = { 0, 0,  0,    0,       FALSE, TRUE },
  [SD_PLATFORM_TIKTOK]    = { 1, 35, 0,    0,       FALSE, FALSE },
};

/**
 * sd_media_problems:
 *
 * Returns: (transfer full): what the network would refuse about the post's images,
 *   as sentences for a person; empty when nothing.
 */
GPtrArray *
sd_media_problems (SdPlatform  platform,
                   GPtrArray  *attachments)
{
  const MediaRule *rule = &rules[platform];
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  guint n = attachments->len;
  const char *name = sd_platform_get_info (platform)->display_name;

  if (rule->needs_video)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("%s needs a video"), name));
      return problems;
    }

  if (n < rule->min_images)
    g_ptr_array_add (problems, g_strdup_printf (_("%s needs an image"), name));
  if (n > rule->max_images)
    g_ptr_array_add (problems, g_strdup_printf (ngettext ("At most %u image", "At most %u images",
                                                          rule->max_images), rule->max_images));

  for (guint i = 0; i < n; i++)
    {
      SdAttachment *a = attachments->pdata[i];

      if (rule->jpeg_only && g_strcmp0 (sd_attachment_get_mime_type (a), "image/jpeg") != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u: %s takes JPEG images only"), i + 1, name));
      if (rule->max_bytes > 0 && sd_attachment_get_bytes (a) > rule->max_bytes)
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u is larger than %u MB"),
                                                    i + 1, (guint) (rule->max_bytes / MB)));
      if (rule->alt_limit > 0 && g_utf8_strlen (sd_attachment_get_alt_text (a), -1) > rule->alt_limit)
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u: the alt text is longer than %u characters"),
                                                    i + 1, rule->alt_limit));
    }

  return problems;
}
