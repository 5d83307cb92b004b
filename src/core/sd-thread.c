/* sd-thread.c — a long text as a thread of posts, each within the network's limit
 *
 * By hand: a line holding only "---" ends a post. Automatically: a part that is
 * too long is cut after the last sentence that fits (Pango's sentence
 * boundaries), else after the last word, else between characters; with
 * numbering each part ends in " i/n" and the room for it is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-thread"

#include <pango/pango.h>
#include <string.h>

#include "sd-text.h"
#include "sd-thread.h"

gboolean
sd_platform_supports_threads (SdPlatform platform)
{
  return platform == SD_PLATFORM_X || platform == SD_PLATFORM_BLUESKY
         || platform == SD_PLATFORM_MASTODON || platform == SD_PLATFORM_THREADS;
}

/* Whether a line holds only the separator. */
gboolean
sd_thread_has_separator (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (g_strstrip (lines[i]), SD_THREAD_SEPARATOR))
      return TRUE;
  return FALSE;
}

static GPtrArray *
split_by_hand (const char *text)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *current = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (lines[i]));

      if (g_str_equal (trimmed, SD_THREAD_SEPARATOR))
        {
          g_ptr_array_add (parts, g_strstrip (g_string_free (current, FALSE)));
          current = g_string_new (NULL);
          continue;
        }
      if (current->len > 0 || i > 0)
        g_string_append_c (current, '\n');
      g_string_append (current, lines[i]);
    }
  g_ptr_array_add (parts, g_strstrip (g_string_free (current, FALSE)));

  /* Separators next to each other, or at the ends, leave nothing to post. */
  for (guint i = parts->len; i-- > 0;)
    if (((char *) parts->pdata[i])[0] == '\0' && parts->len > 1)
      g_ptr_array_remove_index (parts, i);

  return parts;
}

static guint
length_of (SdPlatform           platform,
           const SdTextOptions *options,
           const char          *text,
           gsize                n_bytes,
           guint               *limit)
{
  g_autofree char *copy = g_strndup (text, n_bytes);
  g_autoptr(SdTextCount) count = sd_text_count (platform, copy, options);

  *limit = count->limit;
  return count->length;
}

/* Whether a cut at offset would split a link, mention or tag. */
static gboolean
inside_entity (GArray *entities,
               gsize   offset)
{
  for (guint i = 0; i < entities->len; i++)
    {
      SdEntity *e = &g_array_index (entities, SdEntity, i);

      if (e->start < offset && offset < e->end)
        return TRUE;
    }
  return FALSE;
}

/* The longest prefix of text that fits beside reserve: ending a sentence if one does,
 * else a word, else anywhere between two characters, never inside a link, mention or
 * tag. Length mostly grows with the prefix, so bisection finds where to start looking;
 * each candidate is then counted for real (a link only counts as one when whole). */
static gsize
longest_fitting_prefix (SdPlatform           platform,
                        const SdTextOptions *options,
                        const char          *text,
                        guint                reserve)
{
  gsize length = strlen (text);
  guint n_chars = g_utf8_strlen (text, length);
  g_autofree PangoLogAttr *attrs = g_new (PangoLogAttr, n_chars + 1);
  g_autofree gsize *offsets = g_new (gsize, n_chars + 1);
  g_autoptr(SdTextCount) whole = sd_text_count (platform, text, options);
  guint low = 0, high = n_chars, limit;
  const char *p = text;

  pango_get_log_attrs (text, length, -1, pango_language_from_string ("en"), attrs, n_chars + 1);
  offsets[0] = 0;
  for (guint i = 1; i <= n_chars; i++)
    {
      p = g_utf8_next_char (p);
      offsets[i] = p - text;
    }

  while (low < high)
    {
      guint mid = (low + high + 1) / 2;

      if (length_of (platform, options, text, offsets[mid], &limit) + reserve <= limit)
        low = mid;
      else
        high = mid - 1;
    }

  /* Sentence ends, then word ends, then any character boundary. */
  for (guint kind = 0; kind < 3; kind++)
    for (guint i = low; i > 0; i--)
      {
        gboolean boundary = kind == 0 ? attrs[i].is_sentence_boundary || attrs[i].is_sentence_end
                          : kind == 1 ? attrs[i].is_white || attrs[i].is_word_end
                          : attrs[i].is_cursor_position;

        if (!boundary || inside_entity (whole->entities, offsets[i]))
          continue;
        if (length_of (platform, options, text, offsets[i], &limit) + reserve <= limit)
          return offsets[i];
      }

  /* Not even one character fits the room left: take one anyway, never loop. */
  return g_utf8_next_char (text) - text;
}

static void
split_to_fit (GPtrArray           *out,
              SdPlatform           platform,
              const SdTextOptions *options,
              const char          *text,
              guint                reserve)
{
  g_autofree char *rest = g_strdup (text);
  guint limit;

  while (rest[0] != '\0')
    {
      gsize cut;
      char *next;

      if (length_of (platform, options, rest, strlen (rest), &limit) + reserve <= limit)
        {
          g_ptr_array_add (out, g_strdup (rest));
          return;
        }

      cut = longest_fitting_prefix (platform, options, rest, reserve);
      g_ptr_array_add (out, g_strstrip (g_strndup (rest, cut)));
      next = g_strdup (rest + cut);
      g_free (rest);
      rest = g_strchug (next);
    }
}

static guint
digits (guint n)
{
  guint d = 1;

  while (n >= 10)
    {
      n /= 10;
      d++;
    }
  return d;
}

/**
 * sd_thread_split:
 *
 * Returns: (transfer full): the posts of the thread, in order (one if nothing splits).
 */
GPtrArray *
sd_thread_split (SdPlatform             platform,
                 const char            *text,
                 const SdThreadOptions *options,
                 const SdTextOptions   *text_options)
{
  g_autoptr(GPtrArray) by_hand = split_by_hand (text);
  GPtrArray *parts = NULL;
  guint width = 1;

  /* The numbering's width depends on how many parts there are: try until it holds. */
  for (;;)
    {
      /* " 9/9": a space, the part, a slash, the total. */
      guint reserve = options != NULL && options->numbering ? 2 + 2 * width : 0;

      g_clear_pointer (&parts, g_ptr_array_unref);
      parts = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < by_hand->len; i++)
        {
          if (options != NULL && options->automatic)
            split_to_fit (parts, platform, text_options, by_hand->pdata[i], reserve);
          else
            g_ptr_array_add (parts, g_strdup (by_hand->pdata[i]));
        }

      if (options == NULL || !options->numbering || digits (parts->len) <= width)
        break;
      width = digits (parts->len);
    }

  if (options != NULL && options->numbering && parts->len > 1)
    for (guint i = 0; i < parts->len; i++)
      {
        char *numbered = g_strdup_printf ("%s %u/%u", (char *) parts->pdata[i], i + 1, parts->len);

        g_free (parts->pdata[i]);
        parts->pdata[i] = numbered;
      }

  return parts;
}
