/* test-link-markup.c — a message's text as label markup: text stays text, only safe links link
 *
 * Each case parses the markup back (as GtkLabel does before Pango sees it)
 * and checks that the text a person reads is the message's text, byte for
 * byte, and that the only elements are the links we made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-link-markup.h"
#include "sd-message.h"

typedef struct
{
  GString   *text;
  GPtrArray *hrefs;
  GPtrArray *link_texts;
  GString   *current_link;
  guint      n_other_elements;
} Parsed;

static void
start_element (GMarkupParseContext *context,
               const char          *name,
               const char         **attribute_names,
               const char         **attribute_values,
               gpointer             user_data,
               GError             **error)
{
  Parsed *parsed = user_data;

  if (strcmp (name, "markup") == 0)
    return;
  if (strcmp (name, "a") != 0)
    {
      parsed->n_other_elements++;
      return;
    }
  g_assert_cmpstr (attribute_names[0], ==, "href");
  g_assert_null (attribute_names[1]);
  g_ptr_array_add (parsed->hrefs, g_strdup (attribute_values[0]));
  parsed->current_link = g_string_new (NULL);
}

static void
end_element (GMarkupParseContext *context,
             const char          *name,
             gpointer             user_data,
             GError             **error)
{
  Parsed *parsed = user_data;

  if (strcmp (name, "a") == 0)
    g_ptr_array_add (parsed->link_texts, g_string_free (g_steal_pointer (&parsed->current_link), FALSE));
}

static void
text (GMarkupParseContext *context,
      const char          *text,
      gsize                length,
      gpointer             user_data,
      GError             **error)
{
  Parsed *parsed = user_data;

  g_string_append_len (parsed->text, text, length);
  if (parsed->current_link != NULL)
    g_string_append_len (parsed->current_link, text, length);
}

static Parsed *
parse (const char *markup)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  Parsed *parsed = g_new0 (Parsed, 1);
  g_autofree char *wrapped = g_strdup_printf ("<markup>%s</markup>", markup);
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  parsed->text = g_string_new (NULL);
  parsed->hrefs = g_ptr_array_new_with_free_func (g_free);
  parsed->link_texts = g_ptr_array_new_with_free_func (g_free);
  context = g_markup_parse_context_new (&parser, 0, parsed, NULL);
  g_markup_parse_context_parse (context, wrapped, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  return parsed;
}

static void
parsed_free (Parsed *parsed)
{
  g_string_free (parsed->text, TRUE);
  g_ptr_array_unref (parsed->hrefs);
  g_ptr_array_unref (parsed->link_texts);
  g_free (parsed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static GPtrArray *
links (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sd_message_link_free);
}

static void
test_hostile_text_stays_text (void)
{
  const char *hostile = "<b>bold</b> <span foreground=\"red\">red</span> &amp; &lt; "
                        "<a href=\"javascript:alert(1)\">click</a> %s %n {0}";
  g_autofree char *markup = sd_link_markup_build (hostile, NULL);
  g_autoptr(Parsed) parsed = parse (markup);

  g_assert_cmpstr (parsed->text->str, ==, hostile);
  g_assert_cmpuint (parsed->hrefs->len, ==, 0);
  g_assert_cmpuint (parsed->n_other_elements, ==, 0);
}

static void
test_link_ranges (void)
{
  const char *message = "Lihat https://example.com/?a=1&b=<2> dan https://b.example/ ya";
  g_autoptr(GPtrArray) ranges = links ();
  const char *first = strstr (message, "https://example");
  const char *second = strstr (message, "https://b.");
  g_autofree char *markup = NULL;
  g_autoptr(Parsed) parsed = NULL;

  /* Out of order on purpose: the builder sorts them. */
  g_ptr_array_add (ranges, sd_message_link_new (second - message, second - message + 18, "https://b.example/"));
  g_ptr_array_add (ranges, sd_message_link_new (first - message, first - message + 30,
                                                "https://example.com/?a=1&b=<2>"));
  markup = sd_link_markup_build (message, ranges);
  parsed = parse (markup);

  g_assert_cmpstr (parsed->text->str, ==, message);
  g_assert_cmpuint (parsed->hrefs->len, ==, 2);
  g_assert_cmpstr (parsed->hrefs->pdata[0], ==, "https://example.com/?a=1&b=<2>");
  g_assert_cmpstr (parsed->link_texts->pdata[0], ==, "https://example.com/?a=1&b=<2>");
  g_assert_cmpstr (parsed->hrefs->pdata[1], ==, "https://b.example/");
  g_assert_cmpstr (parsed->link_texts->pdata[1], ==, "https://b.example/");
}

static void
test_unsafe_links_stay_text (void)
{
  const char *message = "one two three four five";
  g_autoptr(GPtrArray) ranges = links ();
  g_autofree char *markup = NULL;
  g_autoptr(Parsed) parsed = NULL;

  g_ptr_array_add (ranges, sd_message_link_new (0, 3, "javascript:alert(1)"));
  g_ptr_array_add (ranges, sd_message_link_new (4, 7, "JavaScript:alert(1)"));
  g_ptr_array_add (ranges, sd_message_link_new (8, 13, "data:text/html,<script>x</script>"));
  g_ptr_array_add (ranges, sd_message_link_new (14, 18, "file:///etc/passwd"));
  g_ptr_array_add (ranges, sd_message_link_new (19, 23, "https:alert(1)"));
  markup = sd_link_markup_build (message, ranges);
  parsed = parse (markup);

  g_assert_cmpstr (parsed->text->str, ==, message);
  g_assert_cmpuint (parsed->hrefs->len, ==, 0);
  g_assert_false (sd_link_markup_uri_is_safe ("javascript:alert(1)"));
  g_assert_false (sd_link_markup_uri_is_safe (NULL));
  g_assert_true (sd_link_markup_uri_is_safe ("https://mastodon.example/@alice"));
  g_assert_true (sd_link_markup_uri_is_safe ("mailto:alice@example.com"));
}

static void
test_bad_ranges_are_ignored (void)
{
  const char *message = "héllo wörld";   /* é and ö are two bytes each */
  g_autoptr(GPtrArray) ranges = links ();
  g_autofree char *markup = NULL;
  g_autoptr(Parsed) parsed = NULL;

  g_ptr_array_add (ranges, sd_message_link_new (2, 4, "https://a.example/"));    /* starts inside é */
  g_ptr_array_add (ranges, sd_message_link_new (7, 9, "https://b.example/"));    /* ends inside ö */
  g_ptr_array_add (ranges, sd_message_link_new (8, 200, "https://c.example/"));  /* past the end */
  g_ptr_array_add (ranges, sd_message_link_new (5, 5, "https://d.example/"));    /* empty */
  g_ptr_array_add (ranges, sd_message_link_new (0, 7, "https://e.example/"));    /* fine: "héllo " */
  g_ptr_array_add (ranges, sd_message_link_new (3, 8, "https://f.example/"));    /* overlaps the one before */
  markup = sd_link_markup_build (message, ranges);
  parsed = parse (markup);

  g_assert_cmpstr (parsed->text->str, ==, message);
  g_assert_cmpuint (parsed->hrefs->len, ==, 1);
  g_assert_cmpstr (parsed->hrefs->pdata[0], ==, "https://e.example/");
  g_assert_cmpstr (parsed->link_texts->pdata[0], ==, "héllo ");
}

static void
test_invalid_utf8 (void)
{
  const char message[] = "ok \xff\xfe <i>x</i>";
  g_autoptr(GPtrArray) ranges = links ();
  g_autofree char *markup = NULL;
  g_autoptr(Parsed) parsed = NULL;

  g_ptr_array_add (ranges, sd_message_link_new (0, 2, "https://a.example/"));
  markup = sd_link_markup_build (message, ranges);
  g_assert_true (g_utf8_validate (markup, -1, NULL));
  parsed = parse (markup);
  g_assert_nonnull (strstr (parsed->text->str, "<i>x</i>"));
  g_assert_cmpuint (parsed->hrefs->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link-markup/hostile-text-stays-text", test_hostile_text_stays_text);
  g_test_add_func ("/link-markup/link-ranges", test_link_ranges);
  g_test_add_func ("/link-markup/unsafe-links-stay-text", test_unsafe_links_stay_text);
  g_test_add_func ("/link-markup/bad-ranges-are-ignored", test_bad_ranges_are_ignored);
  g_test_add_func ("/link-markup/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
