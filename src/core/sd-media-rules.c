/* sd-media-rules.c — what each network accepts as a post's images, videos and options
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
#include <string.h>

#include "sd-attachment.h"
#include "sd-media-rules.h"

#define MB ((gint64) 1024 * 1024)

typedef enum
{
  TYPES_ANY,
  TYPES_JPEG,
  TYPES_JPEG_WEBP,
} ImageTypes;

typedef enum
{
  PUBLIC_URL_NONE,      /* the file is uploaded */
  PUBLIC_URL_IMAGES,    /* the network fetches images from a public address (TikTok photos) */
  PUBLIC_URL_ALL,       /* it fetches every image and video (Instagram, Threads) */
} PublicUrl;

typedef struct
{
  guint       min_items;        /* images and videos together */
  guint       max_items;
  guint       max_images;
  guint       max_videos;       /* 0: SocialDesk cannot post videos there (yet) */
  gboolean    mix;              /* images and videos in one post */
  guint       alt_limit;        /* 0: no alt text on that network */
  gint64      max_bytes;        /* an image's; 0: no limit we know of */
  gint64      max_video_bytes;  /* 0: no limit we know of */
  ImageTypes  image_types;
  PublicUrl   public_url;
  gboolean    needs_video;      /* no post without one */
  gboolean    text_optional;    /* the media carry the post: no text is fine */
  guint       title_limit;      /* SD_OPTION_TITLE needed, at most this many characters; 0: no title */
  guint       tags_limit;       /* SD_OPTION_TAGS, counted as YouTube does; 0: no tags */
  gboolean    needs_privacy;    /* SD_OPTION_PRIVACY must be chosen */
} MediaRule;

/* Sources: PLATFORMS.md. Mastodon: one video alone, or up to 4 images
 * (PostStatusService, "images_and_video"); video 99 MB (MediaAttachment
 * VIDEO_LIMIT, unverified for every instance). X: 4 photos or 1 video, 512 MB.
 * Instagram: a carousel of up to 10 JPEG images and videos, all fetched from
 * public URLs. TikTok: 1 video, or 1-35 photos (JPEG or WebP) pulled from a
 * verified public URL. YouTube: one video, title <= 100, tags <= 500. */
static const MediaRule rules[SD_N_PLATFORMS] = {
  /*                         min max img vid  mix    alt   bytes     video bytes types            public url         video  no-text title tags privacy */
  [SD_PLATFORM_X]         = { 0, 4,  4,  1,  FALSE, 1000, 5 * MB,  512 * MB, TYPES_ANY,       PUBLIC_URL_NONE,   FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_BLUESKY]   = { 0, 4,  4,  0,  FALSE, 2000, 0,       0,        TYPES_ANY,       PUBLIC_URL_NONE,   FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_MASTODON]  = { 0, 4,  4,  1,  FALSE, 1500, 16 * MB, 99 * MB,  TYPES_ANY,       PUBLIC_URL_NONE,   FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_LINKEDIN]  = { 0, 20, 20, 0,  FALSE, 0,    0,       0,        TYPES_ANY,       PUBLIC_URL_NONE,   FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_FACEBOOK]  = { 0, 10, 10, 1,  FALSE, 0,    0,       0,        TYPES_ANY,       PUBLIC_URL_NONE,   FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_INSTAGRAM] = { 1, 10, 10, 10, TRUE,  1000, 8 * MB,  0,        TYPES_JPEG,      PUBLIC_URL_ALL,    FALSE, TRUE,  0,   0,   FALSE },
  [SD_PLATFORM_THREADS]   = { 0, 20, 20, 20, TRUE,  1000, 8 * MB,  0,        TYPES_ANY,       PUBLIC_URL_ALL,    FALSE, FALSE, 0,   0,   FALSE },
  [SD_PLATFORM_YOUTUBE]   = { 1, 1,  0,  1,  FALSE, 0,    0,       0,        TYPES_ANY,       PUBLIC_URL_NONE,   TRUE,  TRUE,  100, 500, FALSE },
  [SD_PLATFORM_TIKTOK]    = { 1, 35, 35, 1,  FALSE, 0,    0,       0,        TYPES_JPEG_WEBP, PUBLIC_URL_IMAGES, FALSE, TRUE,  0,   0,   TRUE },
};

static gboolean
type_allowed (ImageTypes  types,
              const char *mime_type)
{
  switch (types)
    {
    case TYPES_JPEG:
      return g_strcmp0 (mime_type, "image/jpeg") == 0;
    case TYPES_JPEG_WEBP:
      return g_strcmp0 (mime_type, "image/jpeg") == 0 || g_strcmp0 (mime_type, "image/webp") == 0;
    case TYPES_ANY:
    default:
      return TRUE;
    }
}

static char *
describe_type_problem (ImageTypes  types,
                       guint       position,
                       const char *name)
{
  if (types == TYPES_JPEG)
    /* Translators: %u is the image's place among the attachments, %s a network's name. */
    return g_strdup_printf (_("Image %u: %s takes JPEG images only"), position, name);
  /* Translators: %u is the image's place among the attachments, %s a network's name. */
  return g_strdup_printf (_("Image %u: %s takes JPEG or WebP images only"), position, name);
}

static gboolean
is_web_address (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0'
         && (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "http") == 0);
}

static void
check_public_url (GPtrArray    *problems,
                  const char   *name,
                  SdAttachment *a,
                  guint         position)
{
  const char *url = sd_attachment_get_public_url (a);
  gboolean video = sd_attachment_is_video (a);

  if (url == NULL)
    {
      if (video)
        /* Translators: %u is the video's place among the attachments, %s a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("Video %u has no public web address: %s fetches each "
                                                      "video from a public web address (https://…), "
                                                      "so give it one"), position, name));
      else
        /* Translators: %u is the image's place among the attachments, %s a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u has no public web address: %s fetches each "
                                                      "image from a public web address (https://…), "
                                                      "so give it one"), position, name));
    }
  else if (!is_web_address (url))
    /* Translators: %u is the attachment's place among the attachments. */
    g_ptr_array_add (problems, g_strdup_printf (_("Attachment %u: its public address is not a web address "
                                                  "(https://…)"), position));
}

/**
 * sd_media_problems:
 *
 * Returns: (transfer full): what the network would refuse about the post's
 *   images and videos, as sentences for a person; empty when nothing.
 */
GPtrArray *
sd_media_problems (SdPlatform  platform,
                   GPtrArray  *attachments)
{
  const MediaRule *rule = &rules[platform];
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  guint n = attachments->len, videos = 0, images;
  const char *name = sd_platform_get_info (platform)->display_name;

  for (guint i = 0; i < n; i++)
    if (sd_attachment_is_video (attachments->pdata[i]))
      videos++;
  images = n - videos;

  if (rule->needs_video && videos == 0)
    /* Translators: %s is a network's name ("YouTube needs a video"). */
    g_ptr_array_add (problems, g_strdup_printf (_("%s needs a video"), name));
  else if (n < rule->min_items)
    {
      if (rule->max_videos > 0)
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s needs an image or a video"), name));
      else
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s needs an image"), name));
    }

  if (videos > 0 && rule->max_videos == 0)
    /* Translators: %s is a network's name. */
    g_ptr_array_add (problems, g_strdup_printf (_("SocialDesk cannot post videos to %s yet"), name));
  else if (videos > 0 && images > 0 && !rule->mix)
    {
      if (rule->max_images == 0)
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s takes one video and no images"), name));
      else
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s takes images or one video, not both"), name));
    }
  else
    {
      if (videos > rule->max_videos)
        g_ptr_array_add (problems, g_strdup_printf (ngettext ("At most %u video", "At most %u videos",
                                                              rule->max_videos), rule->max_videos));
      if (images > 0 && rule->max_images == 0)
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s takes one video and no images"), name));
      else if (images > rule->max_images)
        g_ptr_array_add (problems, g_strdup_printf (ngettext ("At most %u image", "At most %u images",
                                                              rule->max_images), rule->max_images));
      else if (n > rule->max_items)
        g_ptr_array_add (problems, g_strdup_printf (ngettext ("At most %u image or video",
                                                              "At most %u images and videos",
                                                              rule->max_items), rule->max_items));
    }

  for (guint i = 0; i < n; i++)
    {
      SdAttachment *a = attachments->pdata[i];
      gboolean video = sd_attachment_is_video (a);

      if (!video && !type_allowed (rule->image_types, sd_attachment_get_mime_type (a)))
        g_ptr_array_add (problems, describe_type_problem (rule->image_types, i + 1, name));
      if (!video && rule->max_bytes > 0 && sd_attachment_get_bytes (a) > rule->max_bytes)
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u is larger than %u MB"),
                                                    i + 1, (guint) (rule->max_bytes / MB)));
      if (video && rule->max_video_bytes > 0 && sd_attachment_get_bytes (a) > rule->max_video_bytes)
        /* Translators: %u is the video's place among the attachments, then a size in megabytes. */
        g_ptr_array_add (problems, g_strdup_printf (_("Video %u is larger than %u MB"),
                                                    i + 1, (guint) (rule->max_video_bytes / MB)));
      if (rule->alt_limit > 0 && g_utf8_strlen (sd_attachment_get_alt_text (a), -1) > rule->alt_limit)
        g_ptr_array_add (problems, g_strdup_printf (_("Image %u: the alt text is longer than %u characters"),
                                                    i + 1, rule->alt_limit));
      if (rule->public_url == PUBLIC_URL_ALL || (rule->public_url == PUBLIC_URL_IMAGES && !video))
        check_public_url (problems, name, a, i + 1);
    }

  return problems;
}

/* A tag with a space counts its two quotes; commas between tags count
 * (YouTube Data API, videos resource: snippet.tags). */
static guint
youtube_tags_length (const char *tags)
{
  g_auto(GStrv) each = g_strsplit (tags, ",", -1);
  guint length = 0, count = 0;

  for (guint i = 0; each[i] != NULL; i++)
    {
      const char *tag = g_strstrip (each[i]);

      if (tag[0] == '\0')
        continue;
      length += g_utf8_strlen (tag, -1) + (strchr (tag, ' ') != NULL ? 2 : 0);
      count++;
    }
  return length + (count > 0 ? count - 1 : 0);
}

/**
 * sd_option_problems:
 *
 * Returns: (transfer full): what the network would refuse about the post's
 *   network options on @platform (a missing title, a privacy not chosen).
 */
GPtrArray *
sd_option_problems (SdPlatform  platform,
                    SdPost     *post)
{
  const MediaRule *rule = &rules[platform];
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  if (rule->title_limit > 0)
    {
      const char *title = sd_post_get_option (post, platform, SD_OPTION_TITLE);
      g_autofree char *stripped = g_strstrip (g_strdup (title != NULL ? title : ""));

      if (stripped[0] == '\0')
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("%s needs a title for the video"),
                                                    sd_platform_get_info (platform)->display_name));
      else if ((guint) g_utf8_strlen (title, -1) > rule->title_limit)
        g_ptr_array_add (problems, g_strdup_printf (_("The title is longer than %u characters"),
                                                    rule->title_limit));
      if (title != NULL && strpbrk (title, "<>") != NULL)
        g_ptr_array_add (problems, g_strdup (_("The title contains < or >, which the network refuses")));
    }

  if (rule->tags_limit > 0)
    {
      const char *tags = sd_post_get_option (post, platform, SD_OPTION_TAGS);

      if (tags != NULL && youtube_tags_length (tags) > rule->tags_limit)
        g_ptr_array_add (problems, g_strdup_printf (_("The tags are longer than %u characters in all "
                                                      "(commas count, and a tag with a space counts "
                                                      "its quotes)"), rule->tags_limit));
      if (tags != NULL && strpbrk (tags, "<>") != NULL)
        g_ptr_array_add (problems, g_strdup (_("The tags contain < or >, which the network refuses")));
    }

  if (rule->needs_privacy && sd_post_get_option (post, platform, SD_OPTION_PRIVACY) == NULL)
    {
      if (platform == SD_PLATFORM_TIKTOK)
        g_ptr_array_add (problems, g_strdup (_("Choose who can see this TikTok")));
      else
        /* Translators: %s is a network's name. */
        g_ptr_array_add (problems, g_strdup_printf (_("Choose who can see this post on %s"),
                                                    sd_platform_get_info (platform)->display_name));
    }

  return problems;
}

/* Whether a post of only images or a video is fine there (no text). */
gboolean
sd_media_text_optional (SdPlatform platform)
{
  g_return_val_if_fail (platform < SD_N_PLATFORMS, FALSE);

  return rules[platform].text_optional;
}
