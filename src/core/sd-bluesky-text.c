/* sd-bluesky-text.c — Bluesky's facets: links, mentions and tags as its app detects them
 *
 * Byte ranges are UTF-8, as app.bsky.richtext.facet wants them. Links without a
 * scheme get https:// and need a known TLD; trailing punctuation is not part of
 * a link or tag; a tag has a non-digit and at most 64 characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-bluesky-text"

#include <string.h>

#include "sd-text.h"
#include "sd-tlds.h"

#define MAX_TAG_LENGTH 64
#define TAG_STOP "\\s\\x{00AD}\\x{2060}\\x{200A}\\x{200B}\\x{200C}\\x{200D}\\x{20E2}"

typedef struct
{
  GRegex     *mention;
  GRegex     *link;
  GRegex     *tag;
  GRegex     *trailing_punct;
  GHashTable *tlds;
} Patterns;

static gpointer
build_patterns (gpointer data)
{
  Patterns *p = g_new0 (Patterns, 1);

  p->mention = g_regex_new ("(?:^|(?<=[\\s(]))@([a-zA-Z0-9.-]+)\\b", G_REGEX_OPTIMIZE, 0, NULL);
  p->link = g_regex_new ("(?:^|(?<=[\\s(]))(?:(https?://\\S+)|([a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)\\S*)",
                         G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
  p->tag = g_regex_new ("(?:^|(?<=\\s))[#\\x{FF03}]((?!\\x{FE0F})[^" TAG_STOP "]*[^\\d\\p{P}" TAG_STOP "]+"
                        "[^" TAG_STOP "]*)", G_REGEX_OPTIMIZE, 0, NULL);
  p->trailing_punct = g_regex_new ("\\p{P}+$", G_REGEX_OPTIMIZE, 0, NULL);

  p->tlds = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; sd_tlds[i] != NULL; i++)
    g_hash_table_add (p->tlds, (gpointer) sd_tlds[i]);

  return p;
}

static const Patterns *
patterns (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_patterns, NULL);
}

static gboolean
has_known_tld (const char *domain,
               gssize      length)
{
  g_autofree char *lower = g_ascii_strdown (domain, length);
  const char *dot = strrchr (lower, '.');

  return dot != NULL && g_hash_table_contains (patterns ()->tlds, dot + 1);
}

static void
add_mentions (GArray     *facets,
              const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;

  for (g_regex_match (patterns ()->mention, text, 0, &info); g_match_info_matches (info);
       g_match_info_next (info, NULL))
    {
      int start, end, handle_start, handle_end;
      g_autofree char *handle = NULL;

      g_match_info_fetch_pos (info, 0, &start, &end);
      g_match_info_fetch_pos (info, 1, &handle_start, &handle_end);
      handle = g_ascii_strdown (text + handle_start, handle_end - handle_start);
      /* .test handles are what Bluesky's own development servers give out. */
      if (!has_known_tld (handle, -1) && !g_str_has_suffix (handle, ".test"))
        continue;
      sd_entity_array_add (facets, SD_ENTITY_MENTION, start, end, g_steal_pointer (&handle));
    }
}

static void
add_links (GArray     *facets,
           const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;

  for (g_regex_match (patterns ()->link, text, 0, &info); g_match_info_matches (info);
       g_match_info_next (info, NULL))
    {
      int start, end, scheme_start, scheme_end, domain_start, domain_end;
      g_autofree char *uri = NULL;

      g_match_info_fetch_pos (info, 0, &start, &end);
      if (!g_match_info_fetch_pos (info, 1, &scheme_start, &scheme_end) || scheme_start < 0)
        {
          g_match_info_fetch_pos (info, 2, &domain_start, &domain_end);
          if (!has_known_tld (text + domain_start, domain_end - domain_start))
            continue;
        }

      /* One trailing punctuation mark, and a ")" that closes nothing, end the link. */
      if (strchr (".,;:!?", text[end - 1]) != NULL)
        end--;
      uri = g_strndup (text + start, end - start);
      if (end > start && text[end - 1] == ')' && strchr (uri, '(') == NULL)
        uri[--end - start] = '\0';

      sd_entity_array_add (facets, SD_ENTITY_URL, start, end,
                           g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://")
                             ? g_steal_pointer (&uri) : g_strconcat ("https://", uri, NULL));
    }
}

static void
add_tags (GArray     *facets,
          const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;

  for (g_regex_match (patterns ()->tag, text, 0, &info); g_match_info_matches (info);
       g_match_info_next (info, NULL))
    {
      int start, end, tag_start, tag_end;
      g_autofree char *tag = NULL;
      g_autofree char *trimmed = NULL;

      g_match_info_fetch_pos (info, 0, &start, &end);
      g_match_info_fetch_pos (info, 1, &tag_start, &tag_end);
      tag = g_strndup (text + tag_start, tag_end - tag_start);
      trimmed = g_regex_replace_literal (patterns ()->trailing_punct, tag, -1, 0, "", 0, NULL);
      if (trimmed == NULL || trimmed[0] == '\0' || g_utf8_strlen (trimmed, -1) > MAX_TAG_LENGTH)
        continue;

      end = tag_start + strlen (trimmed);
      sd_entity_array_add (facets, SD_ENTITY_HASHTAG, start, end, g_steal_pointer (&trimmed));
    }
}

GArray *
sd_bluesky_detect_facets (const char *text)
{
  GArray *facets = sd_entity_array_new ();

  add_mentions (facets, text);
  add_links (facets, text);
  add_tags (facets, text);
  sd_entity_array_sort_and_drop_overlaps (facets);
  return facets;
}
