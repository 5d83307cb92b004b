/* test-readiness.c — what each network would refuse: images, videos, public addresses, options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-media-rules.h"
#include "sd-readiness.h"

static guint serial;

static SdAttachment *
media (const char *mime_type,
       const char *public_url)
{
  g_autofree char *id = g_strdup_printf ("m%u", ++serial);
  g_autofree char *path = g_strdup_printf ("/media/%s", id);
  gboolean video = g_str_has_prefix (mime_type, "video/");
  SdAttachment *attachment = sd_attachment_new (id, path, mime_type, video ? 0 : 800, video ? 0 : 600, 1000);

  sd_attachment_set_public_url (attachment, public_url);
  return attachment;
}

static void
add (SdPost     *post,
     const char *mime_type,
     const char *public_url)
{
  g_autoptr(SdAttachment) attachment = media (mime_type, public_url);

  g_assert_true (sd_post_add_attachment (post, attachment));
}

static SdPost *
post_for (SdPlatform  platform,
          const char *text)
{
  SdPost *post = sd_post_new ();

  sd_post_set_text (post, text);
  sd_post_set_platforms (post, 1u << platform);
  return post;
}

static GPtrArray *
check (SdPost     *post,
       SdPlatform  platform)
{
  SdTextOptions options = { 0 };
  GPtrArray *problems = sd_post_check_ready (post, platform, NULL, &options);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", sd_platform_get_info (platform)->display_name, (char *) problems->pdata[i]);
  return problems;
}

static gboolean
mentions (GPtrArray  *problems,
          const char *words)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], words) != NULL)
      return TRUE;
  return FALSE;
}

#define ASSERT_READY(post, platform) G_STMT_START { \
    g_autoptr(GPtrArray) p_ = check ((post), (platform)); \
    g_assert_cmpuint (p_->len, ==, 0); \
  } G_STMT_END

#define ASSERT_REFUSED(post, platform, words) G_STMT_START { \
    g_autoptr(GPtrArray) p_ = check ((post), (platform)); \
    g_assert_true (mentions (p_, (words))); \
  } G_STMT_END

static void
test_youtube (void)
{
  g_autoptr(SdPost) post = post_for (SD_PLATFORM_YOUTUBE, "");
  g_autofree char *title101 = NULL;
  GString *tags = g_string_new (NULL);
  g_autofree char *tags_text = NULL;

  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "YouTube needs a video");
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "YouTube needs a title");

  add (post, "video/mp4", NULL);
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, "Launch day");
  /* No description is fine: the video is the post. */
  ASSERT_READY (post, SD_PLATFORM_YOUTUBE);

  sd_post_set_text (post, "A description\nover lines, the first one long enough to have been a title before: "
                          "it is the description now, all of it.");
  ASSERT_READY (post, SD_PLATFORM_YOUTUBE);

  /* Angle brackets in the title or the description. */
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, "<b>Launch</b>");
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "The title contains < or >");
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, "Launch day");
  sd_post_set_text (post, "1 < 2");
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "< or >");
  sd_post_set_text (post, "");

  /* The title: at most 100 characters (not bytes). */
  title101 = g_strnfill (101, 't');
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, title101);
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "longer than 100 characters");
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE,
                      "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé");
  ASSERT_READY (post, SD_PLATFORM_YOUTUBE);

  /* The description: at most 5000 bytes. */
  {
    g_autofree char *text = g_strnfill (2501, 'x');
    g_autofree char *doubled = NULL;
    GString *two_byte = g_string_new (NULL);

    for (guint i = 0; i < 2501; i++)
      g_string_append (two_byte, "é");
    doubled = g_string_free (two_byte, FALSE);
    sd_post_set_text (post, text);
    ASSERT_READY (post, SD_PLATFORM_YOUTUBE);
    sd_post_set_text (post, doubled);
    ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "bytes");
    sd_post_set_text (post, "");
  }

  /* Tags: 500 in all, commas between tags count, a tag with a space counts its quotes.
   * 50 tags of 9 characters + 49 commas = 499; one with a space: 9 + 2 → 501. */
  for (guint i = 0; i < 50; i++)
    g_string_append_printf (tags, "%s%s", i > 0 ? "," : "", "tagtag123");
  tags_text = g_string_free (tags, FALSE);
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS, tags_text);
  ASSERT_READY (post, SD_PLATFORM_YOUTUBE);
  tags_text[3] = ' ';   /* "tag ag123" has a space: 9 + 2 quotes, now 501 */
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS, tags_text);
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "tags are longer than 500");
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TAGS, NULL);

  /* Exactly one video, and no images. */
  add (post, "image/jpeg", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "YouTube takes one video and no images");
  sd_post_remove_attachment (post, 1);
  add (post, "video/webm", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_YOUTUBE, "At most 1 video");
}

static void
test_tiktok (void)
{
  g_autoptr(SdPost) post = post_for (SD_PLATFORM_TIKTOK, "");
  GString *caption = g_string_new (NULL);
  g_autofree char *caption_text = NULL;

  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "Choose who can see this TikTok");
  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "TikTok needs an image or a video");

  sd_post_set_option (post, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY, "SELF_ONLY");
  add (post, "video/mp4", NULL);
  /* A video is uploaded: no public address needed, no caption needed. */
  ASSERT_READY (post, SD_PLATFORM_TIKTOK);

  /* Caption: 2200 UTF-16 units; an emoji outside the BMP counts 2. */
  for (guint i = 0; i < 1100; i++)
    g_string_append (caption, "😀");
  caption_text = g_string_free (caption, FALSE);
  sd_post_set_text (post, caption_text);
  ASSERT_READY (post, SD_PLATFORM_TIKTOK);
  {
    g_autofree char *longer = g_strconcat (caption_text, "a", NULL);

    sd_post_set_text (post, longer);
    ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "over");
  }
  sd_post_set_text (post, "");

  /* Not both a video and photos. */
  add (post, "image/jpeg", "https://cdn.example.com/1.jpg");
  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "TikTok takes images or one video, not both");
  sd_post_remove_attachment (post, 0);
  ASSERT_READY (post, SD_PLATFORM_TIKTOK);

  /* Photos: JPEG or WebP, each at a public address, at most 35. */
  add (post, "image/webp", "https://cdn.example.com/2.webp");
  ASSERT_READY (post, SD_PLATFORM_TIKTOK);
  add (post, "image/png", "https://cdn.example.com/3.png");
  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "Image 3: TikTok takes JPEG or WebP images only");
  sd_post_remove_attachment (post, 2);
  add (post, "image/jpeg", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "Image 3 has no public web address");
  sd_post_remove_attachment (post, 2);
  for (guint i = 0; i < 33; i++)
    add (post, "image/jpeg", "https://cdn.example.com/n.jpg");
  ASSERT_READY (post, SD_PLATFORM_TIKTOK);
  add (post, "image/jpeg", "https://cdn.example.com/n.jpg");
  ASSERT_REFUSED (post, SD_PLATFORM_TIKTOK, "At most 35 images");
}

static void
test_instagram (void)
{
  g_autoptr(SdPost) post = post_for (SD_PLATFORM_INSTAGRAM, "");
  g_autoptr(GPtrArray) problems = NULL;

  ASSERT_REFUSED (post, SD_PLATFORM_INSTAGRAM, "Instagram needs an image or a video");
  add (post, "image/jpeg", "https://cdn.example.com/a.jpg");
  ASSERT_READY (post, SD_PLATFORM_INSTAGRAM);

  /* Which image lacks an address, and why it needs one. */
  add (post, "image/jpeg", NULL);
  problems = check (post, SD_PLATFORM_INSTAGRAM);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "Image 2"));
  g_assert_nonnull (strstr (problems->pdata[0], "Instagram fetches each image from a public web address"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  sd_post_remove_attachment (post, 1);

  add (post, "image/jpeg", "not a web address");
  ASSERT_REFUSED (post, SD_PLATFORM_INSTAGRAM, "not a web address");
  sd_post_remove_attachment (post, 1);

  /* A video in the carousel: it too is fetched. */
  add (post, "video/mp4", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_INSTAGRAM, "Video 2 has no public web address");
  sd_post_remove_attachment (post, 1);
  add (post, "video/mp4", "https://cdn.example.com/v.mp4");
  ASSERT_READY (post, SD_PLATFORM_INSTAGRAM);

  add (post, "image/png", "https://cdn.example.com/b.png");
  ASSERT_REFUSED (post, SD_PLATFORM_INSTAGRAM, "JPEG images only");
  sd_post_remove_attachment (post, 2);

  for (guint i = 0; i < 8; i++)
    add (post, "image/jpeg", "https://cdn.example.com/n.jpg");
  ASSERT_READY (post, SD_PLATFORM_INSTAGRAM);
  add (post, "image/jpeg", "https://cdn.example.com/n.jpg");
  ASSERT_REFUSED (post, SD_PLATFORM_INSTAGRAM, "At most 10");

  /* Instagram has no threads: a long caption is too long, never split. */
  {
    g_autoptr(SdPost) longer = post_for (SD_PLATFORM_INSTAGRAM, "");
    g_autofree char *text = g_strnfill (2201, 'a');
    SdTextOptions options = { 0 };
    g_autoptr(GPtrArray) parts = NULL;

    sd_post_set_thread_auto (longer, TRUE);
    sd_post_set_text (longer, text);
    add (longer, "image/jpeg", "https://cdn.example.com/a.jpg");
    parts = sd_post_split_parts (longer, SD_PLATFORM_INSTAGRAM, NULL, &options);
    g_assert_cmpuint (parts->len, ==, 1);
    ASSERT_REFUSED (longer, SD_PLATFORM_INSTAGRAM, "over");
  }
}

static void
test_threads (void)
{
  g_autoptr(SdPost) post = post_for (SD_PLATFORM_THREADS, "Hello");

  ASSERT_READY (post, SD_PLATFORM_THREADS);
  add (post, "image/png", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_THREADS, "Threads fetches each image from a public web address");
  sd_post_remove_attachment (post, 0);
  add (post, "video/mp4", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_THREADS, "Threads fetches each video from a public web address");
  sd_post_remove_attachment (post, 0);
  add (post, "video/mp4", "https://cdn.example.com/v.mp4");
  add (post, "image/png", "https://cdn.example.com/p.png");
  ASSERT_READY (post, SD_PLATFORM_THREADS);
}

static void
test_x (void)
{
  g_autoptr(SdPost) post = post_for (SD_PLATFORM_X, "Hello");

  add (post, "video/mp4", NULL);
  ASSERT_READY (post, SD_PLATFORM_X);
  add (post, "image/jpeg", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_X, "X takes images or one video, not both");
  sd_post_remove_attachment (post, 0);
  for (guint i = 0; i < 3; i++)
    add (post, "image/jpeg", NULL);
  ASSERT_READY (post, SD_PLATFORM_X);
  add (post, "image/jpeg", NULL);
  ASSERT_REFUSED (post, SD_PLATFORM_X, "At most 4 images");
}

static void
test_linkedin_facebook (void)
{
  g_autoptr(SdPost) linkedin = post_for (SD_PLATFORM_LINKEDIN, "Hello");
  g_autoptr(SdPost) facebook = post_for (SD_PLATFORM_FACEBOOK, "Hello");

  add (linkedin, "image/png", NULL);
  ASSERT_READY (linkedin, SD_PLATFORM_LINKEDIN);
  add (linkedin, "video/mp4", NULL);
  ASSERT_REFUSED (linkedin, SD_PLATFORM_LINKEDIN, "SocialDesk cannot post videos to LinkedIn yet");

  add (facebook, "video/quicktime", NULL);
  ASSERT_READY (facebook, SD_PLATFORM_FACEBOOK);
  add (facebook, "image/png", NULL);
  ASSERT_REFUSED (facebook, SD_PLATFORM_FACEBOOK, "Facebook takes images or one video, not both");
  sd_post_remove_attachment (facebook, 0);
  for (guint i = 0; i < 9; i++)
    add (facebook, "image/png", NULL);
  ASSERT_READY (facebook, SD_PLATFORM_FACEBOOK);
  add (facebook, "image/png", NULL);
  ASSERT_REFUSED (facebook, SD_PLATFORM_FACEBOOK, "At most 10 images");
}

static void
test_mastodon_bluesky (void)
{
  g_autoptr(SdPost) mastodon = post_for (SD_PLATFORM_MASTODON, "Hello");
  g_autoptr(SdPost) bluesky = post_for (SD_PLATFORM_BLUESKY, "Hello");

  add (mastodon, "video/mp4", NULL);
  ASSERT_READY (mastodon, SD_PLATFORM_MASTODON);
  add (mastodon, "image/png", NULL);
  ASSERT_REFUSED (mastodon, SD_PLATFORM_MASTODON, "not both");

  add (bluesky, "image/png", NULL);
  ASSERT_READY (bluesky, SD_PLATFORM_BLUESKY);
  add (bluesky, "video/mp4", NULL);
  ASSERT_REFUSED (bluesky, SD_PLATFORM_BLUESKY, "SocialDesk cannot post videos to Bluesky yet");

  /* Text stays required where the media do not carry the post. */
  sd_post_set_text (bluesky, "");
  ASSERT_REFUSED (bluesky, SD_PLATFORM_BLUESKY, "empty");
}

/* The composer's readiness sees an option's change (variant-changed). */
static void
on_variant_changed (SdPost   *post,
                    guint     platform,
                    gpointer  user_data)
{
  guint *seen = user_data;

  *seen |= 1u << platform;
}

static void
test_options_model (void)
{
  g_autoptr(SdPost) post = sd_post_new ();
  g_autoptr(SdPost) copy = NULL;
  g_autoptr(SdPost) other = sd_post_new ();
  g_autofree char *json = NULL;
  guint seen = 0;

  g_signal_connect (post, "variant-changed", G_CALLBACK (on_variant_changed), &seen);
  g_assert_null (sd_post_dup_options_json (post, SD_PLATFORM_YOUTUBE));
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, "Launch \"day\"");
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_PRIVACY, "unlisted");
  sd_post_set_option (post, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY, "SELF_ONLY");
  g_assert_cmpuint (seen, ==, (1u << SD_PLATFORM_YOUTUBE) | (1u << SD_PLATFORM_TIKTOK));
  g_assert_cmpstr (sd_post_get_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE), ==, "Launch \"day\"");
  g_assert_null (sd_post_get_option (post, SD_PLATFORM_X, SD_OPTION_TITLE));

  json = sd_post_dup_options_json (post, SD_PLATFORM_YOUTUBE);
  g_assert_cmpstr (json, ==, "{\"title\":\"Launch \\\"day\\\"\",\"privacy\":\"unlisted\"}");

  /* A copy has its own; update_from takes them over. */
  copy = sd_post_copy (post);
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE, NULL);
  g_assert_cmpstr (sd_post_get_option (copy, SD_PLATFORM_YOUTUBE, SD_OPTION_TITLE), ==, "Launch \"day\"");
  sd_post_update_from (other, copy);
  g_assert_cmpstr (sd_post_get_option (other, SD_PLATFORM_TIKTOK, SD_OPTION_PRIVACY), ==, "SELF_ONLY");

  /* "" unsets; the last one gone leaves no object. */
  sd_post_set_option (post, SD_PLATFORM_YOUTUBE, SD_OPTION_PRIVACY, "");
  g_assert_null (sd_post_dup_options_json (post, SD_PLATFORM_YOUTUBE));

  /* Anything but an object is no options; a non-string value reads as unset. */
  sd_post_set_options_json (post, SD_PLATFORM_X, "[1, 2]");
  g_assert_null (sd_post_dup_options_json (post, SD_PLATFORM_X));
  sd_post_set_options_json (post, SD_PLATFORM_X, "{\"title\": 5, \"tags\": \"a,b\"}");
  g_assert_null (sd_post_get_option (post, SD_PLATFORM_X, SD_OPTION_TITLE));
  g_assert_cmpstr (sd_post_get_option (post, SD_PLATFORM_X, SD_OPTION_TAGS), ==, "a,b");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/readiness/youtube", test_youtube);
  g_test_add_func ("/readiness/tiktok", test_tiktok);
  g_test_add_func ("/readiness/instagram", test_instagram);
  g_test_add_func ("/readiness/threads", test_threads);
  g_test_add_func ("/readiness/x", test_x);
  g_test_add_func ("/readiness/linkedin-facebook", test_linkedin_facebook);
  g_test_add_func ("/readiness/mastodon-bluesky", test_mastodon_bluesky);
  g_test_add_func ("/readiness/options-model", test_options_model);

  return g_test_run ();
}
