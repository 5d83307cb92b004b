/* sd-link-markup.c — a message's plain text as GtkLabel markup we write ourselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-link-markup"

#include "config.h"

#include <string.h>

#include "sd-link-markup.h"
#include "sd-message.h"

gboolean
sd_link_markup_uri_is_safe (const char *uri)
{
  g_autofree char *scheme = NULL;

  if (uri == NULL || !g_utf8_validate (uri, -1, NULL))
    return FALSE;
  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "mailto") == 0)
    return TRUE;
  /* A web link needs a host: "https:alert(1)" is not one. */
  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && g_uri_is_valid (uri, G_URI_FLAGS_PARSE_RELAXED, NULL)
         && strstr (uri, "://") != NULL;
}

static void
append_escaped (GString    *markup,
                const char *text,
                gsize       length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (markup, escaped);
}

static gint
compare_links (gconstpointer a,
               gconstpointer b)
{
  const SdMessageLink *link_a = *(const SdMessageLink * const *) a;
  const SdMessageLink *link_b = *(const SdMessageLink * const *) b;

  return link_a->start < link_b->start ? -1 : link_a->start > link_b->start;
}

/* A range inside valid UTF-8 @text that starts and ends between two whole
 * characters (a continuation byte is 10xxxxxx). */
static gboolean
range_is_usable (const char          *text,
                 gsize                length,
                 const SdMessageLink *link,
                 gsize                done)
{
  if (link->start < done || link->start >= link->end || link->end > length)
    return FALSE;
  if (link->end < length && (((guchar) text[link->end]) & 0xC0) == 0x80)
    return FALSE;
  if ((((guchar) text[link->start]) & 0xC0) == 0x80)
    return FALSE;
  return sd_link_markup_uri_is_safe (link->url);
}

char *
sd_link_markup_build (const char *text,
                      GPtrArray  *links)
{
  GString *markup = g_string_new (NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  gsize length, done = 0;

  if (text == NULL)
    return g_string_free (markup, FALSE);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      /* Byte ranges mean nothing in a repaired text. */
      append_escaped (markup, valid, -1);
      return g_string_free (markup, FALSE);
    }

  length = strlen (text);
  for (guint i = 0; links != NULL && i < links->len; i++)
    g_ptr_array_add (sorted, links->pdata[i]);
  g_ptr_array_sort (sorted, compare_links);

  for (guint i = 0; i < sorted->len; i++)
    {
      const SdMessageLink *link = sorted->pdata[i];
      g_autofree char *href = NULL;

      if (!range_is_usable (text, length, link, done))
        continue;

      append_escaped (markup, text + done, link->start - done);
      href = g_markup_escape_text (link->url, -1);
      g_string_append_printf (markup, "<a href=\"%s\">", href);
      append_escaped (markup, text + link->start, link->end - link->start);
      g_string_append (markup, "</a>");
      done = link->end;
    }
  append_escaped (markup, text + done, length - done);

  return g_string_free (markup, FALSE);
}
