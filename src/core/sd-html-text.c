/* sd-html-text.c — remote HTML (Mastodon statuses, Facebook comments) to plain text with links
 *
 * The tree libxml2's HTML parser builds is walked without recursion (a
 * hostile body may nest ten thousand tags) and turned into text the way a
 * browser would lay it out: blocks as line breaks, whitespace collapsed.
 * Nothing of the input survives as markup: tags either shape the layout
 * (the allowlist), give their text only, or vanish with their content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-html-text"

#include "sd-html-text.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#define DEFAULT_MAX_BYTES  (1024 * 1024)
#define MAX_PREFIX_DEPTH   8   /* quote marks and list indents shown at most */

typedef struct
{
  GString *out;
  GArray  *links;          /* LinkRange */
  guint    breaks;         /* newlines a block boundary asks for (the largest wins) */
  guint    brs;            /* newlines <br> asked for (they add up) */
  gboolean space;          /* a collapsed space is due before the next text */
  gboolean line_start;     /* nothing written on the current line yet */
  char    *bullet;         /* "• " or "3. " due before an item's first text */
  guint    quote_depth;
  guint    pre_depth;
  GArray  *lists;          /* int per open list: -1 for ul, the next number for ol */
  xmlNode *link_node;      /* the <a> a link is open for, or NULL */
  char    *link_url;
  gssize   link_start;     /* -1 until the link's first visible byte */
} Walker;

typedef struct
{
  guint  start;
  guint  end;
  char  *url;
} LinkRange;

static gboolean
name_is (xmlNode    *node,
         const char *name)
{
  return node->name != NULL && g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
name_in (xmlNode           *node,
         const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (name_is (node, names[i]))
      return TRUE;
  return FALSE;
}

/* Elements that vanish with everything inside them. */
static gboolean
is_dropped (xmlNode *node)
{
  static const char * const dropped[] = {
    "script", "style", "template", "iframe", "object", "embed", "head", "title", "noscript",
    "svg", "math", "frameset", "frame", "textarea", "select", "applet", NULL
  };

  return name_in (node, dropped);
}

/* Elements that start and end a paragraph (a blank line). */
static gboolean
is_paragraph (xmlNode *node)
{
  static const char * const paragraphs[] = {
    "p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "figure", "hr", NULL
  };

  return name_in (node, paragraphs);
}

/* Elements that start and end a line. */
static gboolean
is_line (xmlNode *node)
{
  static const char * const lines[] = {
    "div", "tr", "dt", "dd", "section", "article", "header", "footer", "aside", "nav",
    "figcaption", "address", "details", "summary", "dl", "main", NULL
  };

  return name_in (node, lines);
}

static gboolean
has_class (xmlNode    *node,
           const char *wanted)
{
  g_autofree char *value = (char *) xmlGetNoNsProp (node, (const xmlChar *) "class");
  g_auto(GStrv) classes = NULL;

  if (value == NULL)
    return FALSE;
  classes = g_strsplit_set (value, " \t\n\r\f", -1);
  return g_strv_contains ((const char * const *) classes, wanted);
}

/* The href when it is an http, https or mailto address; NULL otherwise
 * (javascript:, data:, relative, …). Browsers ignore tabs and newlines
 * inside a scheme and leading control characters: so does this, and the
 * result is checked against an allowlist, never a blocklist. */
static char *
dup_link_url (xmlNode *node)
{
  g_autofree char *href = (char *) xmlGetNoNsProp (node, (const xmlChar *) "href");
  g_autoptr(GString) clean = NULL;
  const char *p;

  if (href == NULL || !g_utf8_validate (href, -1, NULL))
    return NULL;
  for (p = href; *p != '\0' && (guchar) *p <= 0x20; p++)
    ;
  clean = g_string_new (NULL);
  for (; *p != '\0'; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (clean, *p);
  while (clean->len > 0 && (guchar) clean->str[clean->len - 1] <= 0x20)
    g_string_truncate (clean, clean->len - 1);
  for (gsize i = 0; i < clean->len; i++)
    if ((guchar) clean->str[i] < 0x20 || clean->str[i] == 0x7f)
      return NULL;

  if (g_ascii_strncasecmp (clean->str, "mailto:", 7) == 0 && clean->len > 7)
    return g_strdup (clean->str);
  if (g_ascii_strncasecmp (clean->str, "https://", 8) == 0 || g_ascii_strncasecmp (clean->str, "http://", 7) == 0)
    {
      g_autoptr(GUri) uri = g_uri_parse (clean->str, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0')
        return g_strdup (clean->str);
    }
  return NULL;
}

/* Output */

static void
trim_trailing_spaces (Walker *w)
{
  while (w->out->len > 0 && w->out->str[w->out->len - 1] == ' ' && !w->line_start)
    g_string_truncate (w->out, w->out->len - 1);
}

static void
request_break (Walker *w,
               guint   newlines)
{
  w->breaks = MAX (w->breaks, newlines);
  w->space = FALSE;
}

static void
start_line_prefix (Walker *w)
{
  for (guint i = 0; i < MIN (w->quote_depth, MAX_PREFIX_DEPTH); i++)
    g_string_append (w->out, "> ");
  if (w->bullet != NULL)
    {
      for (guint i = 1; i < MIN (w->lists->len, MAX_PREFIX_DEPTH); i++)
        g_string_append (w->out, "  ");
      g_string_append (w->out, w->bullet);
      g_clear_pointer (&w->bullet, g_free);
    }
  w->line_start = FALSE;
}

/* What must come before the next visible character: the line breaks due,
 * the new line's prefix, a collapsed space; and the open link's start. */
static void
flush_before_text (Walker *w)
{
  guint newlines = MAX (w->breaks, w->brs);

  if (w->out->len > 0 && newlines > 0)
    {
      trim_trailing_spaces (w);
      for (guint i = 0; i < newlines; i++)
        g_string_append_c (w->out, '\n');
      w->line_start = TRUE;
      w->space = FALSE;
    }
  w->breaks = 0;
  w->brs = 0;
  if (w->line_start || w->out->len == 0)
    {
      start_line_prefix (w);
      w->space = FALSE;
    }
  if (w->space)
    g_string_append_c (w->out, ' ');
  w->space = FALSE;
  if (w->link_node != NULL && w->link_start < 0)
    w->link_start = (gssize) w->out->len;
}

static gboolean
is_collapsible_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
emit_text (Walker     *w,
           const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (const char *p = valid; *p != '\0';)
    {
      if (w->pre_depth > 0 && *p == '\n')
        {
          w->brs++;
          p++;
        }
      else if (w->pre_depth == 0 && is_collapsible_space (*p))
        {
          if (w->out->len > 0 && !w->line_start)
            w->space = TRUE;
          p++;
        }
      else
        {
          const char *run = p;

          while (*p != '\0' && !is_collapsible_space (*p))
            p++;
          if (w->pre_depth > 0)
            while (*p != '\0' && *p != '\n')
              p++;
          flush_before_text (w);
          g_string_append_len (w->out, run, p - run);
        }
    }
}

/* Links */

static void
open_link (Walker  *w,
           xmlNode *node)
{
  if (w->link_node != NULL)
    return;   /* a link inside a link: the outer one holds */
  w->link_url = dup_link_url (node);
  if (w->link_url == NULL)
    return;
  w->link_node = node;
  w->link_start = -1;
}

static void
close_link (Walker *w)
{
  if (w->link_start >= 0 && (gsize) w->link_start < w->out->len)
    {
      LinkRange range = { (guint) w->link_start, (guint) w->out->len, g_steal_pointer (&w->link_url) };
      g_array_append_val (w->links, range);
    }
  g_clear_pointer (&w->link_url, g_free);
  w->link_node = NULL;
  w->link_start = -1;
}

/* Lists */

static void
open_list (Walker *w,
           int     first)
{
  request_break (w, w->lists->len == 0 ? 2 : 1);
  g_array_append_val (w->lists, first);
}

static void
close_list (Walker *w)
{
  if (w->lists->len > 0)
    g_array_set_size (w->lists, w->lists->len - 1);
  request_break (w, w->lists->len == 0 ? 2 : 1);
}

static void
open_item (Walker *w)
{
  int *number = w->lists->len > 0 ? &g_array_index (w->lists, int, w->lists->len - 1) : NULL;

  request_break (w, 1);
  g_free (w->bullet);
  if (number != NULL && *number >= 0)
    w->bullet = g_strdup_printf ("%d. ", (*number)++);
  else
    w->bullet = g_strdup ("• ");
  w->line_start = TRUE;
}

/* The walk */

/* Returns whether to go into @node's children. */
static gboolean
enter (Walker  *w,
       xmlNode *node)
{
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      if (node->content != NULL)
        emit_text (w, (const char *) node->content);
      return FALSE;
    }
  if (node->type != XML_ELEMENT_NODE)
    return FALSE;   /* comments, processing instructions, DTDs */

  if (is_dropped (node))
    return FALSE;
  if (name_is (node, "span") && has_class (node, "invisible"))
    return FALSE;   /* Mastodon hides the scheme and the tail of long links */
  if (name_is (node, "br"))
    {
      w->brs++;
      w->space = FALSE;
      return FALSE;
    }
  if (name_is (node, "a"))
    open_link (w, node);
  else if (name_is (node, "ul"))
    open_list (w, -1);
  else if (name_is (node, "ol"))
    open_list (w, 1);
  else if (name_is (node, "li"))
    open_item (w);
  else if (is_paragraph (node))
    request_break (w, 2);
  else if (is_line (node))
    request_break (w, 1);

  if (name_is (node, "blockquote"))
    w->quote_depth++;
  else if (name_is (node, "pre"))
    w->pre_depth++;
  return TRUE;
}

static void
leave (Walker  *w,
       xmlNode *node)
{
  if (node->type != XML_ELEMENT_NODE)
    return;
  if (name_is (node, "span") && has_class (node, "ellipsis"))
    emit_text (w, "…");   /* what Mastodon's stylesheet adds after a cut link */
  if (node == w->link_node)
    close_link (w);
  else if (name_is (node, "ul") || name_is (node, "ol"))
    close_list (w);
  else if (name_is (node, "li"))
    {
      g_clear_pointer (&w->bullet, g_free);
      request_break (w, 1);
    }
  else if (is_paragraph (node))
    request_break (w, 2);
  else if (is_line (node))
    request_break (w, 1);

  if (name_is (node, "blockquote") && w->quote_depth > 0)
    w->quote_depth--;
  else if (name_is (node, "pre") && w->pre_depth > 0)
    w->pre_depth--;
}

/* Depth first without recursion: a hostile body may nest tags deeper than the stack. */
static void
walk (Walker  *w,
      xmlNode *top)
{
  xmlNode *node = top->children;

  while (node != NULL)
    {
      gboolean descend = enter (w, node);

      if (descend && node->children != NULL)
        {
          node = node->children;
          continue;
        }
      if (descend)
        leave (w, node);
      while (node != NULL && node->next == NULL)
        {
          node = node->parent;
          if (node == NULL || node == top)
            return;
          leave (w, node);
        }
      node = node->next;
    }
}

/* Cuts @html at @max_bytes (not inside a UTF-8 sequence) and repairs it. */
static char *
dup_valid_input (const char *html,
                 gsize       max_bytes)
{
  gsize length = strlen (html);

  if (max_bytes == 0)
    max_bytes = DEFAULT_MAX_BYTES;
  if (length > max_bytes)
    {
      length = max_bytes;
      while (length > 0 && ((guchar) html[length] & 0xc0) == 0x80)
        length--;
    }
  return g_utf8_make_valid (html, (gssize) length);
}

static void
convert (const char *html,
         gsize       max_bytes,
         GString    *out,
         GArray     *links)
{
  g_autofree char *input = NULL;
  Walker w = { 0 };
  htmlDocPtr doc;

  if (html == NULL || html[0] == '\0')
    return;
  input = dup_valid_input (html, max_bytes);
  if (input[0] == '\0')
    return;

  doc = htmlReadMemory (input, (int) strlen (input), NULL, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                        | HTML_PARSE_RECOVER);
  if (doc == NULL)
    return;

  w.out = out;
  w.links = links;
  w.lists = g_array_new (FALSE, FALSE, sizeof (int));
  w.link_start = -1;
  w.line_start = TRUE;
  walk (&w, (xmlNode *) doc);
  if (w.link_node != NULL)
    close_link (&w);
  trim_trailing_spaces (&w);

  g_array_unref (w.lists);
  g_free (w.bullet);
  g_free (w.link_url);
  xmlFreeDoc (doc);
}

void
sd_html_text_to_message (const char *html,
                         gsize       max_bytes,
                         SdMessage  *message)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (LinkRange));
  g_autoptr(GPtrArray) old = NULL;

  g_return_if_fail (SD_IS_MESSAGE (message));

  convert (html, max_bytes, out, links);
  sd_message_set_text (message, out->str);

  /* set_text keeps the text as given when it is valid UTF-8 (it is), so the
   * byte ranges still hold. */
  old = g_ptr_array_ref (sd_message_get_links (message));
  g_ptr_array_set_size (old, 0);
  for (guint i = 0; i < links->len; i++)
    {
      LinkRange *range = &g_array_index (links, LinkRange, i);

      sd_message_add_link (message, range->start, range->end, range->url);
      g_free (range->url);
    }
}

char *
sd_html_text_to_plain (const char *html,
                       gsize       max_bytes)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (LinkRange));

  convert (html, max_bytes, out, links);
  for (guint i = 0; i < links->len; i++)
    g_free (g_array_index (links, LinkRange, i).url);
  return g_string_free (out, FALSE);
}
