/* test-ics.c — choosing the posts for a calendar file and writing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-ics.h"
#include "sd-post.h"

#define NET(p) (1u << (p))

static SdPost *
make_post (const char    *text,
           SdPlatformSet  networks,
           gint64         scheduled_at)
{
  SdPost *post = sd_post_new ();

  sd_post_set_text (post, text);
  sd_post_set_platforms (post, networks);
  sd_post_set_scheduled_at (post, scheduled_at);
  return post;
}

/* The texts of the posts, joined by spaces, in the array's order. */
static char *
texts_of (GPtrArray *posts)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < posts->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", sd_post_get_text (posts->pdata[i]));
  return g_string_free (out, FALSE);
}

static GPtrArray *
some_posts (void)
{
  GPtrArray *posts = g_ptr_array_new_with_free_func (g_object_unref);

  /* Newest-created first, as the store lists them; times in another order. */
  g_ptr_array_add (posts, make_post ("x-late", NET (SD_PLATFORM_X), 3000));
  g_ptr_array_add (posts, make_post ("instagram", NET (SD_PLATFORM_INSTAGRAM), 2000));
  g_ptr_array_add (posts, make_post ("untimed", NET (SD_PLATFORM_X), SD_POST_NO_TIME));
  g_ptr_array_add (posts, make_post ("no-network", 0, 1500));
  g_ptr_array_add (posts, make_post ("bluesky+instagram",
                                     NET (SD_PLATFORM_BLUESKY) | NET (SD_PLATFORM_INSTAGRAM), 1000));
  return posts;
}

static void
test_select_all_networks (void)
{
  g_autoptr(GPtrArray) posts = some_posts ();
  g_autoptr(GPtrArray) chosen = sd_ics_select_posts (posts, SD_PLATFORM_SET_ALL);
  g_autofree char *texts = texts_of (chosen);

  /* Every timed post, a post with no network yet too, earliest first. */
  g_assert_cmpstr (texts, ==, "bluesky+instagram no-network instagram x-late");
}

static void
test_select_some_networks (void)
{
  g_autoptr(GPtrArray) posts = some_posts ();
  g_autoptr(GPtrArray) no_instagram = NULL;
  g_autoptr(GPtrArray) only_x = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *texts = NULL;

  /* A post meant for several networks stays if any of them is chosen. */
  no_instagram = sd_ics_select_posts (posts, SD_PLATFORM_SET_ALL & ~NET (SD_PLATFORM_INSTAGRAM));
  texts = texts_of (no_instagram);
  g_assert_cmpstr (texts, ==, "bluesky+instagram x-late");
  g_clear_pointer (&texts, g_free);

  only_x = sd_ics_select_posts (posts, NET (SD_PLATFORM_X));
  texts = texts_of (only_x);
  g_assert_cmpstr (texts, ==, "x-late");

  none = sd_ics_select_posts (posts, NET (SD_PLATFORM_TIKTOK));
  g_assert_cmpuint (none->len, ==, 0);

  /* The caller's array is left as it was. */
  g_assert_cmpuint (posts->len, ==, 5);
  g_assert_cmpstr (sd_post_get_text (posts->pdata[0]), ==, "x-late");
}

static void
test_select_keeps_posts_alive (void)
{
  g_autoptr(GPtrArray) posts = some_posts ();
  g_autoptr(GPtrArray) chosen = sd_ics_select_posts (posts, NET (SD_PLATFORM_X));

  g_clear_pointer (&posts, g_ptr_array_unref);
  g_assert_cmpstr (sd_post_get_text (chosen->pdata[0]), ==, "x-late");
}

static void
test_same_time_is_stable (void)
{
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) reversed = g_ptr_array_new ();
  g_autoptr(GPtrArray) once = NULL;
  g_autoptr(GPtrArray) again = NULL;

  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (posts, make_post ("same", NET (SD_PLATFORM_X), 5000));
  for (guint i = posts->len; i-- > 0;)
    g_ptr_array_add (reversed, posts->pdata[i]);
  once = sd_ics_select_posts (posts, SD_PLATFORM_SET_ALL);
  again = sd_ics_select_posts (reversed, SD_PLATFORM_SET_ALL);

  /* Posts at one time come out in one order, whatever order they came in. */
  for (guint i = 0; i < once->len; i++)
    g_assert_true (once->pdata[i] == again->pdata[i]);
}

static void
test_empty_calendar (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *ics = sd_ics_from_posts (none, 0);

  g_assert_true (g_str_has_prefix (ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  g_assert_true (g_str_has_suffix (ics, "END:VCALENDAR\r\n"));
  g_assert_null (strstr (ics, "VEVENT"));
}

static void
test_event_times (void)
{
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *ics = NULL;

  /* 2026-12-10T09:00:00+07:00 */
  g_ptr_array_add (posts, make_post ("Halo, dunia", NET (SD_PLATFORM_X), 1796868000));
  ics = sd_ics_from_posts (posts, 0);
  g_assert_nonnull (strstr (ics, "\r\nDTSTART:20261210T020000Z\r\nDTEND:20261210T021500Z\r\n"));
  g_assert_nonnull (strstr (ics, "\r\nDESCRIPTION:Halo\\, dunia\r\n"));
  g_assert_nonnull (strstr (ics, "\r\nCATEGORIES:X\r\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ics/select/all-networks", test_select_all_networks);
  g_test_add_func ("/ics/select/some-networks", test_select_some_networks);
  g_test_add_func ("/ics/select/keeps-posts-alive", test_select_keeps_posts_alive);
  g_test_add_func ("/ics/select/same-time-is-stable", test_same_time_is_stable);
  g_test_add_func ("/ics/empty-calendar", test_empty_calendar);
  g_test_add_func ("/ics/event-times", test_event_times);

  return g_test_run ();
}
