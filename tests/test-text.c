/* test-text.c — each network's counting rule and entities, from PLATFORMS.md's facts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-text.h"
#include "sd-thread.h"

static SdTextCount *
count (SdPlatform  platform,
       const char *text)
{
  return sd_text_count (platform, text, NULL);
}

static char *
repeat (const char *piece,
        guint       times)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (out, piece);
  return g_string_free (out, FALSE);
}

static gboolean
has_problem (SdTextCount   *c,
             SdTextProblem  problem)
{
  for (guint i = 0; i < c->problems->len; i++)
    if (g_array_index (c->problems, SdTextProblem, i) == problem)
      return TRUE;
  return FALSE;
}

static void
assert_entity (SdTextCount  *c,
               guint         index,
               SdEntityType  type,
               const char   *value,
               gsize         start,
               gsize         end)
{
  SdEntity *e;

  g_assert_cmpuint (c->entities->len, >, index);
  e = &g_array_index (c->entities, SdEntity, index);
  g_assert_cmpint (e->type, ==, type);
  g_assert_cmpstr (e->value, ==, value);
  g_assert_cmpuint (e->start, ==, start);
  g_assert_cmpuint (e->end, ==, end);
}

static void
test_mastodon (void)
{
  g_autofree char *a476 = repeat ("a", 476);
  g_autofree char *a475 = repeat ("a", 475);
  g_autofree char *b30 = repeat ("b", 30);
  g_autofree char *with_url = g_strconcat (a476, " http://", b30, ".com/example", NULL);
  g_autofree char *with_mention = g_strconcat (a475, " @alice@", b30, ".com", NULL);
  g_autofree char *over = g_strconcat (with_url, "!", NULL);
  g_autoptr(SdTextCount) url = count (SD_PLATFORM_MASTODON, with_url);
  g_autoptr(SdTextCount) mention = count (SD_PLATFORM_MASTODON, with_mention);
  g_autoptr(SdTextCount) too_long = count (SD_PLATFORM_MASTODON, over);
  g_autoptr(SdTextCount) no_scheme = count (SD_PLATFORM_MASTODON, "example.com");
  SdTextOptions options = { .mastodon_limit = 11, .content_warning = "spoiler" };
  g_autoptr(SdTextCount) with_cw = sd_text_count (SD_PLATFORM_MASTODON, "halo", &options);

  /* PLATFORMS.md: exactly 500 and valid; 482 and valid. */
  g_assert_cmpuint (url->length, ==, 500);
  g_assert_true (url->valid);
  g_assert_cmpuint (mention->length, ==, 482);
  g_assert_true (mention->valid);
  assert_entity (mention, 0, SD_ENTITY_MENTION, "alice@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com", 476, 517);

  g_assert_cmpuint (too_long->length, ==, 501);
  g_assert_false (too_long->valid);
  g_assert_true (has_problem (too_long, SD_TEXT_PROBLEM_TOO_LONG));
  g_assert_cmpuint (too_long->fits_byte_end, ==, strlen (with_url));

  /* A link without a scheme gets no discount. */
  g_assert_cmpuint (no_scheme->length, ==, 11);

  /* The instance's limit, and the content warning counts too: 7 + 4 = 11. */
  g_assert_cmpuint (with_cw->limit, ==, 11);
  g_assert_cmpuint (with_cw->length, ==, 11);
  g_assert_true (with_cw->valid);
}

static void
test_bluesky (void)
{
  g_autoptr(SdTextCount) tags = count (SD_PLATFORM_BLUESKY, "its a #double#rainbow");
  g_autoptr(SdTextCount) turtles = count (SD_PLATFORM_BLUESKY, "I like #turtles!!!");
  g_autoptr(SdTextCount) digits = count (SD_PLATFORM_BLUESKY, "#1 and #1a");
  g_autoptr(SdTextCount) link = count (SD_PLATFORM_BLUESKY, "start middle.com end");
  g_autoptr(SdTextCount) not_links = count (SD_PLATFORM_BLUESKY, "e.g. something-cool.jpg");
  g_autoptr(SdTextCount) parens = count (SD_PLATFORM_BLUESKY,
                                         "(see https://example.com/a) https://x.org/wiki/A_(b). "
                                         "@alice.test hi");
  g_autofree char *tag65 = repeat ("a", 65);
  g_autofree char *long_tag_text = g_strconcat ("#", tag65, NULL);
  g_autoptr(SdTextCount) long_tag = count (SD_PLATFORM_BLUESKY, long_tag_text);
  g_autofree char *emoji300 = repeat ("👩‍👩‍👧", 300);
  g_autoptr(SdTextCount) graphemes = count (SD_PLATFORM_BLUESKY, emoji300);
  g_autofree char *emoji301 = g_strconcat (emoji300, "a", NULL);
  g_autoptr(SdTextCount) over = count (SD_PLATFORM_BLUESKY, emoji301);

  assert_entity (tags, 0, SD_ENTITY_HASHTAG, "double#rainbow", 6, 21);
  assert_entity (turtles, 0, SD_ENTITY_HASHTAG, "turtles", 7, 15);
  g_assert_cmpuint (digits->entities->len, ==, 1);
  assert_entity (digits, 0, SD_ENTITY_HASHTAG, "1a", 7, 10);
  assert_entity (link, 0, SD_ENTITY_URL, "https://middle.com", 6, 16);
  g_assert_cmpuint (not_links->entities->len, ==, 0);
  assert_entity (parens, 0, SD_ENTITY_URL, "https://example.com/a", 5, 26);
  assert_entity (parens, 1, SD_ENTITY_URL, "https://x.org/wiki/A_(b)", 28, 52);
  assert_entity (parens, 2, SD_ENTITY_MENTION, "alice.test", 54, 65);
  g_assert_cmpuint (long_tag->entities->len, ==, 0);

  /* A family emoji is one grapheme; the byte limit (3000) is reached before the 300. */
  g_assert_cmpuint (graphemes->length, ==, 300);
  g_assert_true (has_problem (graphemes, SD_TEXT_PROBLEM_TOO_MANY_BYTES));
  g_assert_false (has_problem (graphemes, SD_TEXT_PROBLEM_TOO_LONG));
  g_assert_true (has_problem (over, SD_TEXT_PROBLEM_TOO_LONG));
}

static void
test_x (void)
{
  g_autofree char *a280 = repeat ("a", 280);
  g_autofree char *a281 = repeat ("a", 281);
  g_autoptr(SdTextCount) fits = count (SD_PLATFORM_X, a280);
  g_autoptr(SdTextCount) over = count (SD_PLATFORM_X, a281);
  g_autoptr(SdTextCount) mixed = count (SD_PLATFORM_X, "日本 😀 http://example.com/very/long/path");
  g_autoptr(SdTextCount) empty = count (SD_PLATFORM_X, "  ");

  g_assert_true (fits->valid);
  g_assert_false (over->valid);
  g_assert_cmpuint (over->fits_byte_end, ==, 280);
  g_assert_cmpint (over->remaining, ==, -1);
  /* CJK 2 each, the emoji 2, spaces 1, a link 23. */
  g_assert_cmpuint (mixed->length, ==, 4 + 1 + 2 + 1 + 23);
  g_assert_true (has_problem (empty, SD_TEXT_PROBLEM_EMPTY));
}

static void
test_other_networks (void)
{
  g_autofree char *tags31 = NULL;
  g_autofree char *mentions21 = NULL;
  GString *t = g_string_new (NULL), *m = g_string_new (NULL);
  g_autoptr(SdTextCount) threads = count (SD_PLATFORM_THREADS, "Halo 🎉");
  g_autoptr(SdTextCount) links = count (SD_PLATFORM_THREADS,
                                        "a.com b.com c.com d.com e.com f.com");
  g_autoptr(SdTextCount) tiktok = count (SD_PLATFORM_TIKTOK, "😀 a");
  g_autoptr(SdTextCount) youtube = count (SD_PLATFORM_YOUTUBE, "café <b>");
  g_autoptr(SdTextCount) linkedin = count (SD_PLATFORM_LINKEDIN, "café 😀");
  g_autoptr(SdTextCount) facebook = count (SD_PLATFORM_FACEBOOK, "x");
  g_autofree char *line101 = repeat ("t", 101);
  g_autofree char *long_first_line = g_strconcat (line101, "\ndescription", NULL);
  g_autoptr(SdTextCount) long_line = count (SD_PLATFORM_YOUTUBE, long_first_line);
  g_autoptr(SdTextCount) empty_first_line = count (SD_PLATFORM_YOUTUBE, "\nonly a description");
  g_autoptr(SdTextCount) instagram_tags = NULL;
  g_autoptr(SdTextCount) instagram_mentions = NULL;

  for (guint i = 0; i < 31; i++)
    g_string_append_printf (t, "#tag%u ", i);
  for (guint i = 0; i < 21; i++)
    g_string_append_printf (m, "@user%u ", i);
  tags31 = g_string_free (t, FALSE);
  mentions21 = g_string_free (m, FALSE);
  instagram_tags = count (SD_PLATFORM_INSTAGRAM, tags31);
  instagram_mentions = count (SD_PLATFORM_INSTAGRAM, mentions21);

  /* Threads: an emoji counts its UTF-8 bytes; at most 5 links. */
  g_assert_cmpuint (threads->length, ==, 5 + 4);
  g_assert_true (has_problem (links, SD_TEXT_PROBLEM_TOO_MANY_LINKS));
  /* TikTok: UTF-16 units. */
  g_assert_cmpuint (tiktok->length, ==, 4);
  /* YouTube's description: bytes, and no angle brackets. */
  g_assert_cmpuint (youtube->length, ==, 9);
  g_assert_true (has_problem (youtube, SD_TEXT_PROBLEM_ANGLE_BRACKETS));
  g_assert_cmpuint (youtube->limit, ==, 5000);
  /* LinkedIn: characters. */
  g_assert_cmpuint (linkedin->length, ==, 6);
  g_assert_cmpuint (linkedin->limit, ==, 3000);
  /* Instagram: at most 30 hashtags and 20 mentions. */
  g_assert_true (has_problem (instagram_tags, SD_TEXT_PROBLEM_TOO_MANY_HASHTAGS));
  g_assert_true (has_problem (instagram_mentions, SD_TEXT_PROBLEM_TOO_MANY_MENTIONS));
  g_assert_cmpuint (facebook->limit, ==, 63206);
  /* YouTube: the text is the description only; the title is an option of
   * its own (test-readiness), so a long or empty first line is fine. */
  g_assert_true (long_line->valid);
  g_assert_true (empty_first_line->valid);
}

static void
test_describe (void)
{
  g_autofree char *a292 = repeat ("a", 292);
  g_autoptr(SdTextCount) over = count (SD_PLATFORM_X, a292);
  g_autofree char *message = sd_text_problem_describe (SD_TEXT_PROBLEM_TOO_LONG, over);

  g_assert_cmpstr (message, ==, "12 characters over");
}

static void
test_thread (void)
{
  g_autofree char *sentences = repeat ("Kalimat yang cukup panjang untuk diuji di sini. ", 40);
  SdThreadOptions by_hand = { FALSE, FALSE };
  SdThreadOptions automatic = { TRUE, FALSE };
  SdThreadOptions numbered = { TRUE, TRUE };
  g_autoptr(GPtrArray) manual = sd_thread_split (SD_PLATFORM_X, "Satu\n---\n\nDua\n  ---  \n---\nTiga", &by_hand, NULL);
  g_autoptr(GPtrArray) one = sd_thread_split (SD_PLATFORM_X, "Pendek saja.", &numbered, NULL);
  g_autoptr(GPtrArray) parts = sd_thread_split (SD_PLATFORM_X, sentences, &automatic, NULL);
  g_autoptr(GPtrArray) many = sd_thread_split (SD_PLATFORM_X, sentences, &numbered, NULL);

  g_assert_true (sd_platform_supports_threads (SD_PLATFORM_BLUESKY));
  g_assert_false (sd_platform_supports_threads (SD_PLATFORM_INSTAGRAM));

  /* By hand: "---" lines, empty posts dropped. */
  g_assert_cmpuint (manual->len, ==, 3);
  g_assert_cmpstr (manual->pdata[0], ==, "Satu");
  g_assert_cmpstr (manual->pdata[1], ==, "Dua");
  g_assert_cmpstr (manual->pdata[2], ==, "Tiga");

  /* What fits stays one post, with no number. */
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (one->pdata[0], ==, "Pendek saja.");

  /* 1,960 characters: cut at sentence ends, every post fits. */
  g_assert_cmpuint (parts->len, >, 6);
  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) c = count (SD_PLATFORM_X, parts->pdata[i]);

      g_assert_true (c->valid);
      g_assert_true (g_str_has_suffix (parts->pdata[i], "."));
    }

  /* Numbered: " i/n" on each, and still within the limit. */
  g_assert_cmpuint (many->len, >=, parts->len);
  for (guint i = 0; i < many->len; i++)
    {
      g_autoptr(SdTextCount) c = count (SD_PLATFORM_X, many->pdata[i]);
      g_autofree char *suffix = g_strdup_printf (" %u/%u", i + 1, many->len);

      g_assert_true (c->valid);
      g_assert_true (g_str_has_suffix (many->pdata[i], suffix));
    }
}

/* A cut never falls inside a link, and each post still fits (a link counts 23 only whole). */
static void
test_thread_keeps_links_whole (void)
{
  g_autofree char *words = repeat ("w ", 80);
  g_autofree char *label = repeat ("d", 60);
  g_autofree char *tail = repeat ("z ", 50);
  g_autofree char *text = g_strdup_printf ("%shttps://%s.%s.%s.example.com/path %s", words, label, label,
                                          label, tail);
  SdThreadOptions automatic = { TRUE, FALSE };
  g_autoptr(GPtrArray) parts = sd_thread_split (SD_PLATFORM_X, text, &automatic, NULL);
  gboolean link_whole = FALSE;

  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) c = count (SD_PLATFORM_X, parts->pdata[i]);

      g_assert_true (c->valid);
      if (strstr (parts->pdata[i], "https://") != NULL)
        link_whole = strstr (parts->pdata[i], ".example.com/path") != NULL;
    }
  g_assert_true (link_whole);
}

/* Mastodon splits by the instance's limit and keeps room for the content warning. */
static void
test_thread_mastodon_options (void)
{
  g_autofree char *text = repeat ("Kalimat yang cukup panjang. ", 27);
  SdThreadOptions automatic = { TRUE, FALSE };
  SdTextOptions big = { .mastodon_limit = 1000 };
  SdTextOptions warned = { .content_warning = "Spoiler: the year-end sale prices are inside this thread, read on" };
  g_autoptr(GPtrArray) one = sd_thread_split (SD_PLATFORM_MASTODON, text, &automatic, &big);
  g_autoptr(GPtrArray) parts = sd_thread_split (SD_PLATFORM_MASTODON, text, &automatic, &warned);

  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (parts->len, ==, 2);
  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) c = sd_text_count (SD_PLATFORM_MASTODON, parts->pdata[i], &warned);

      g_assert_true (c->valid);
    }
}

/* NFC may make a text longer: where it stops fitting is still a place in the text given. */
static void
test_x_fits_after_normalization (void)
{
  g_autofree char *text = repeat ("\xe0\xa5\x98", 150);   /* U+0958 decomposes */
  g_autoptr(SdTextCount) c = count (SD_PLATFORM_X, text);

  g_assert_cmpuint (c->fits_byte_end, <=, strlen (text));
  g_assert_true (g_utf8_validate (text, c->fits_byte_end, NULL));
  g_assert_false (c->valid);
}

static void
test_thread_numbers_grow (void)
{
  g_autofree char *long_text = repeat ("Satu dua tiga empat lima enam tujuh delapan sembilan sepuluh. ", 60);
  SdThreadOptions numbered = { TRUE, TRUE };
  g_autoptr(GPtrArray) many = sd_thread_split (SD_PLATFORM_X, long_text, &numbered, NULL);

  /* Ten or more posts: two-digit numbers, still within the limit. */
  g_assert_cmpuint (many->len, >=, 10);
  for (guint i = 0; i < many->len; i++)
    {
      g_autoptr(SdTextCount) c = count (SD_PLATFORM_X, many->pdata[i]);

      g_assert_true (c->valid);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/mastodon", test_mastodon);
  g_test_add_func ("/text/bluesky", test_bluesky);
  g_test_add_func ("/text/x", test_x);
  g_test_add_func ("/text/other-networks", test_other_networks);
  g_test_add_func ("/text/describe", test_describe);
  g_test_add_func ("/text/thread", test_thread);
  g_test_add_func ("/text/thread-numbers-grow", test_thread_numbers_grow);
  g_test_add_func ("/text/thread-keeps-links-whole", test_thread_keeps_links_whole);
  g_test_add_func ("/text/thread-mastodon-options", test_thread_mastodon_options);
  g_test_add_func ("/text/x-fits-after-normalization", test_x_fits_after_normalization);

  return g_test_run ();
}
