/* test-html-text.c — remote HTML to plain text and links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-html-text.h"

static SdMessage *
convert (const char *html)
{
  SdMessage *message = sd_message_new ();

  sd_html_text_to_message (html, 0, message);
  return message;
}

static void
assert_text (const char *html,
             const char *expected)
{
  g_autoptr(SdMessage) message = convert (html);

  g_assert_cmpstr (sd_message_get_text (message), ==, expected);
}

/* The link's bytes in the text are @shown and it points at @url. */
static void
assert_link (SdMessage  *message,
             guint       index,
             const char *shown,
             const char *url)
{
  GPtrArray *links = sd_message_get_links (message);
  SdMessageLink *link;
  const char *text = sd_message_get_text (message);

  g_assert_cmpuint (index, <, links->len);
  link = g_ptr_array_index (links, index);
  g_assert_cmpuint (link->end, <=, strlen (text));
  g_assert_cmpuint (link->end - link->start, ==, strlen (shown));
  g_assert_cmpmem (text + link->start, link->end - link->start, shown, strlen (shown));
  g_assert_cmpstr (link->url, ==, url);
}

static void
test_blocks (void)
{
  assert_text ("<p>One</p><p>Two</p>", "One\n\nTwo");
  assert_text ("<p>line one<br>line two<br/><br />line four</p>", "line one\nline two\n\nline four");
  assert_text ("<p>  lots   of \n\t space  </p>", "lots of space");
  assert_text ("<p>before</p><ul><li>a</li><li>b <b>bold</b></li></ul><p>after</p>",
               "before\n\n• a\n• b bold\n\nafter");
  assert_text ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second");
  assert_text ("<ul><li>outer<ul><li>inner</li></ul></li></ul>", "• outer\n  • inner");
  assert_text ("<p>said:</p><blockquote><p>quoted</p><p>twice</p></blockquote><p>reply</p>",
               "said:\n\n> quoted\n\n> twice\n\nreply");
  assert_text ("<pre>  keep\n    this</pre>", "  keep\n    this");
  assert_text ("<p><i>it</i> <em>em</em> <u>u</u> <s>s</s> <code>code</code> <strong>st</strong></p>",
               "it em u s code st");
  assert_text ("<div>a</div><div>b</div>", "a\nb");
  assert_text ("plain text, no tags", "plain text, no tags");
}

static void
test_entities (void)
{
  assert_text ("<p>&amp; &lt; &gt; &quot; &#39; &eacute; &#x1F600; &nbsp;x</p>",
               "& < > \" ' é 😀 \u00a0x");
  assert_text ("<p>Tom &amp; Jerry&apos;s</p>", "Tom & Jerry's");
}

static void
test_links (void)
{
  g_autoptr(SdMessage) message = convert (
    "<p>Grüße 😀 <a href=\"https://example.com/a?b=1&amp;c=2\">the link</a> and "
    "<a href=\"mailto:me@example.com\">mail</a>.</p>");

  g_assert_cmpstr (sd_message_get_text (message), ==, "Grüße 😀 the link and mail.");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 2);
  assert_link (message, 0, "the link", "https://example.com/a?b=1&c=2");
  /* "Grüße 😀 " is 13 bytes: ü and ß are two bytes each, the emoji four */
  g_assert_cmpuint (((SdMessageLink *) g_ptr_array_index (sd_message_get_links (message), 0))->start, ==, 13);
  assert_link (message, 1, "mail", "mailto:me@example.com");
}

static void
test_links_across_blocks (void)
{
  g_autoptr(SdMessage) message = convert ("<p>ä</p><p>  <a href=\"http://x.example/\">  spaced   words </a>  end</p>");

  g_assert_cmpstr (sd_message_get_text (message), ==, "ä\n\nspaced words end");
  assert_link (message, 0, "spaced words", "http://x.example/");
}

static void
test_mastodon_links (void)
{
  g_autoptr(SdMessage) message = convert (
    "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://mastodon.example/@bob\" "
    "class=\"u-url mention\">@<span>bob</span></a></span> look: "
    "<a href=\"https://example.com/a/very/long/path/indeed\" target=\"_blank\" "
    "rel=\"nofollow noopener noreferrer\" translate=\"no\"><span class=\"invisible\">https://</span>"
    "<span class=\"ellipsis\">example.com/a/very/long</span><span class=\"invisible\">/path/indeed</span></a> "
    "<a href=\"https://mastodon.example/tags/GNOME\" class=\"mention hashtag\" rel=\"tag\">#<span>GNOME</span></a> "
    "<a href=\"https://short.example/\"><span class=\"invisible\">https://</span><span class=\"\">short.example/</span>"
    "<span class=\"invisible\"></span></a></p>");

  g_assert_cmpstr (sd_message_get_text (message), ==,
                   "@bob look: example.com/a/very/long… #GNOME short.example/");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 4);
  assert_link (message, 0, "@bob", "https://mastodon.example/@bob");
  assert_link (message, 1, "example.com/a/very/long…", "https://example.com/a/very/long/path/indeed");
  assert_link (message, 2, "#GNOME", "https://mastodon.example/tags/GNOME");
  assert_link (message, 3, "short.example/", "https://short.example/");
}

static void
test_dropped (void)
{
  assert_text ("<p>a<script>alert('x')</script>b<style>p{color:red}</style>c"
               "<iframe src=\"https://evil.example/\">frame text</iframe>d"
               "<object>obj</object>e<template>tpl</template>f<!-- comment -->g</p>",
               "abcdefg");
  assert_text ("<script>document.write('<p>x</p>')</script><p>kept</p>", "kept");
  assert_text ("<head><title>t</title></head><body><p>body</p></body>", "body");
}

static void
test_markup_is_text (void)
{
  g_autoptr(SdMessage) message = convert (
    "<p>&lt;b&gt;not bold&lt;/b&gt; <b>bold</b> <span foreground=\"red\" size=\"xx-large\">red</span> "
    "&lt;big&gt;big&lt;/big&gt; &lt;span foreground=&quot;red&quot;&gt; %s %n &amp;amp;</p>");

  g_assert_cmpstr (sd_message_get_text (message), ==,
                   "<b>not bold</b> bold red <big>big</big> <span foreground=\"red\"> %s %n &amp;");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);
}

static void
test_unsafe_hrefs (void)
{
  const char *hrefs[] = {
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>x</script>", "vbscript:x", "/relative/path", "//evil.example/x",
    "file:///etc/passwd", "ftp://example.com/", "", "https://", NULL
  };

  for (guint i = 0; hrefs[i] != NULL; i++)
    {
      g_autofree char *html = g_strdup_printf ("<p><a href=\"%s\">click</a></p>", hrefs[i]);
      g_autoptr(SdMessage) message = convert (html);

      g_test_message ("href %s", hrefs[i]);
      g_assert_cmpstr (sd_message_get_text (message), ==, "click");
      g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);
    }

  {
    g_autoptr(SdMessage) message = convert ("<p><a href=\"  HTTPS://Example.com/x \">ok</a><a>no href</a></p>");

    g_assert_cmpstr (sd_message_get_text (message), ==, "okno href");
    g_assert_cmpuint (sd_message_get_links (message)->len, ==, 1);
    assert_link (message, 0, "ok", "HTTPS://Example.com/x");
  }
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(SdMessage) message = convert ("<p>bad \xff\xfe bytes \xc3 <a href=\"https://a.example/\">link</a> "
                                          "\xed\xa0\x80 end</p>");
  const char *text = sd_message_get_text (message);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "bad "));
  g_assert_true (g_str_has_suffix (text, " end"));
  g_assert_nonnull (strstr (text, "\xef\xbf\xbd"));  /* U+FFFD */
  assert_link (message, 0, "link", "https://a.example/");
}

static void
test_max_bytes (void)
{
  GString *html = g_string_new ("<p>");
  g_autoptr(SdMessage) message = sd_message_new ();
  g_autofree char *body = NULL;
  g_autofree char *plain = NULL;
  const char *text;

  while (html->len < 5 * 1024 * 1024)
    g_string_append (html, "word é <b>bold</b> <a href=\"https://example.com/\">link</a> ");
  g_string_append (html, "THE-END</p>");
  body = g_string_free (html, FALSE);

  sd_html_text_to_message (body, 100 * 1024, message);
  text = sd_message_get_text (message);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (strlen (text), <=, 100 * 1024);
  g_assert_cmpuint (strlen (text), >, 20 * 1024);
  g_assert_null (strstr (text, "THE-END"));
  for (guint i = 0; i < sd_message_get_links (message)->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (sd_message_get_links (message), i);
      g_assert_cmpuint (link->end, <=, strlen (text));
    }

  /* 0: the default 1 MiB */
  plain = sd_html_text_to_plain (body, 0);
  g_assert_cmpuint (strlen (plain), <=, 1024 * 1024);
  g_assert_cmpuint (strlen (plain), >, 200 * 1024);
  g_assert_null (strstr (plain, "THE-END"));

  /* A cut inside a multibyte character leaves valid text */
  {
    g_autofree char *cut = sd_html_text_to_plain ("<p>ééé</p>", 6);
    g_assert_true (g_utf8_validate (cut, -1, NULL));
    g_assert_cmpstr (cut, ==, "é");
  }
}

static void
test_deep_nesting (void)
{
  const char *tags[] = { "div", "span", "blockquote", "b", "ul", "a href=\"https://x.example/\"", NULL };

  for (guint t = 0; tags[t] != NULL; t++)
    {
      GString *html = g_string_new (NULL);
      g_autofree char *body = NULL;
      g_autofree char *plain = NULL;

      for (guint i = 0; i < 10000; i++)
        g_string_append_printf (html, "<%s>", tags[t]);
      g_string_append (html, "deep");
      for (guint i = 0; i < 10000; i++)
        g_string_append (html, "</x>");
      body = g_string_free (html, FALSE);
      plain = sd_html_text_to_plain (body, 0);
      g_assert_true (g_utf8_validate (plain, -1, NULL));
      g_assert_cmpuint (strlen (plain), <, 100000);
    }
}

static void
test_empty (void)
{
  g_autoptr(SdMessage) message = sd_message_new ();
  g_autofree char *plain = sd_html_text_to_plain ("", 0);
  g_autofree char *null_plain = sd_html_text_to_plain (NULL, 0);
  g_autofree char *tags_only = sd_html_text_to_plain ("<p></p><br><script></script>", 0);

  sd_message_set_text (message, "old");
  sd_message_add_link (message, 0, 3, "https://old.example/");
  sd_html_text_to_message ("", 0, message);
  g_assert_cmpstr (sd_message_get_text (message), ==, "");
  g_assert_cmpuint (sd_message_get_links (message)->len, ==, 0);
  g_assert_cmpstr (plain, ==, "");
  g_assert_cmpstr (null_plain, ==, "");
  g_assert_cmpstr (tags_only, ==, "");
}

static void
test_plain (void)
{
  g_autofree char *name = sd_html_text_to_plain ("Bob :blobcat: &amp; <b>co</b>", 0);

  g_assert_cmpstr (name, ==, "Bob :blobcat: & co");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/html-text/blocks", test_blocks);
  g_test_add_func ("/html-text/entities", test_entities);
  g_test_add_func ("/html-text/links", test_links);
  g_test_add_func ("/html-text/links-across-blocks", test_links_across_blocks);
  g_test_add_func ("/html-text/mastodon-links", test_mastodon_links);
  g_test_add_func ("/html-text/dropped", test_dropped);
  g_test_add_func ("/html-text/markup-is-text", test_markup_is_text);
  g_test_add_func ("/html-text/unsafe-hrefs", test_unsafe_hrefs);
  g_test_add_func ("/html-text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/html-text/max-bytes", test_max_bytes);
  g_test_add_func ("/html-text/deep-nesting", test_deep_nesting);
  g_test_add_func ("/html-text/empty", test_empty);
  g_test_add_func ("/html-text/plain", test_plain);

  return g_test_run ();
}
