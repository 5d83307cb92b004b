/* sd-text.c — each network's text rules: length in its own unit, limit, entities, validity
 *
 * One table says how each network counts and what it refuses (PLATFORMS.md gives the
 * sources); the walkers below apply it. X's own rule lives in sd-x-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-text"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <pango/pango.h>
#include <string.h>

#include "sd-text.h"
#include "sd-x-text.h"

#define MASTODON_DEFAULT_LIMIT 500
#define YOUTUBE_TITLE_LIMIT 100
#define MASTODON_URL_LENGTH 23

typedef enum
{
  UNIT_X_WEIGHTED,
  UNIT_GRAPHEMES,
  UNIT_CODE_POINTS,
  UNIT_UTF16,
  UNIT_BYTES,
  UNIT_THREADS,     /* code points, but an emoji counts its UTF-8 bytes */
} Unit;

typedef enum
{
  ENTITIES_X,
  ENTITIES_BLUESKY,
  ENTITIES_MASTODON,
} EntityRule;

typedef struct
{
  SdPlatform  platform;
  Unit        unit;
  const char *unit_name;
  guint       limit;
  guint       max_bytes;      /* 0: no byte limit */
  guint       max_hashtags;   /* 0: no limit */
  guint       max_mentions;
  guint       max_links;
  gboolean    no_angle_brackets;
  EntityRule  entities;
} Rule;

static const Rule rules[SD_N_PLATFORMS] = {
  { SD_PLATFORM_X,         UNIT_X_WEIGHTED,  "weighted",   280,   0,    0,  0,  0, FALSE, ENTITIES_X },
  { SD_PLATFORM_BLUESKY,   UNIT_GRAPHEMES,   "graphemes",  300,   3000, 0,  0,  0, FALSE, ENTITIES_BLUESKY },
  { SD_PLATFORM_MASTODON,  UNIT_GRAPHEMES,   "graphemes",  MASTODON_DEFAULT_LIMIT, 0, 0, 0, 0, FALSE, ENTITIES_MASTODON },
  { SD_PLATFORM_LINKEDIN,  UNIT_CODE_POINTS, "characters", 3000,  0,    0,  0,  0, FALSE, ENTITIES_X },
  { SD_PLATFORM_FACEBOOK,  UNIT_CODE_POINTS, "characters", 63206, 0,    0,  0,  0, FALSE, ENTITIES_X },
  { SD_PLATFORM_INSTAGRAM, UNIT_CODE_POINTS, "characters", 2200,  0,    30, 20, 0, FALSE, ENTITIES_X },
  { SD_PLATFORM_THREADS,   UNIT_THREADS,     "characters", 500,   0,    0,  0,  5, FALSE, ENTITIES_X },
  { SD_PLATFORM_YOUTUBE,   UNIT_BYTES,       "bytes",      5000,  0,    0,  0,  0, TRUE,  ENTITIES_X },
  { SD_PLATFORM_TIKTOK,    UNIT_UTF16,       "utf16",      2200,  0,    0,  0,  0, FALSE, ENTITIES_X },
};

const char *
sd_text_unit_name (SdPlatform platform)
{
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  return rules[platform].unit_name;
}

/* The network's limit in its own unit (Mastodon's from options when given). */
guint
sd_text_get_limit (SdPlatform           platform,
                   const SdTextOptions *options)
{
  g_return_val_if_fail (platform < SD_N_PLATFORMS, 0);

  if (platform == SD_PLATFORM_MASTODON && options != NULL && options->mastodon_limit > 0)
    return options->mastodon_limit;
  return rules[platform].limit;
}

/* Grapheme clusters (what a person sees as one character), as Pango finds them. */
static PangoLogAttr *
log_attrs (const char *text,
           gsize       length,
           guint      *n_chars)
{
  PangoLogAttr *attrs;

  *n_chars = g_utf8_strlen (text, length);
  attrs = g_new (PangoLogAttr, *n_chars + 1);
  pango_get_log_attrs (text, length, -1, pango_language_from_string ("en"), attrs, *n_chars + 1);
  return attrs;
}

guint
sd_text_count_graphemes (const char *text,
                         gssize      length)
{
  g_autofree PangoLogAttr *attrs = NULL;
  guint n_chars, count = 0;

  if (length < 0)
    length = strlen (text);
  attrs = log_attrs (text, length, &n_chars);
  for (guint i = 1; i <= n_chars; i++)
    count += attrs[i].is_cursor_position;

  return count;
}

static gboolean
is_emoji_code_point (gunichar c)
{
  if (c == 0xFE0F || c == 0x200D || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0x1F1E6 && c <= 0x1F1FF))
    return TRUE;

  return c > 0xFF && sd_unichar_is_extended_pictographic (c);
}

static guint
code_point_units (gunichar  c,
                  Unit      unit)
{
  switch (unit)
    {
    case UNIT_UTF16:
      return c > 0xFFFF ? 2 : 1;
    case UNIT_BYTES:
      return g_unichar_to_utf8 (c, NULL);
    case UNIT_THREADS:
      return is_emoji_code_point (c) ? (guint) g_unichar_to_utf8 (c, NULL) : 1;
    case UNIT_CODE_POINTS:
    case UNIT_GRAPHEMES:
    case UNIT_X_WEIGHTED:
    default:
      return 1;
    }
}

/* A span the network counts differently from its text (a Mastodon link counts 23). */
typedef struct
{
  gsize start;
  gsize end;
  guint units;
} Span;

static const Span *
span_at (GArray *spans,
         gsize   offset)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    if (g_array_index (spans, Span, i).start == offset)
      return &g_array_index (spans, Span, i);

  return NULL;
}

/* Counts text in unit; records where the limit is reached. prefix_units come first (a CW). */
static guint
count_units (const char *text,
             Unit        unit,
             GArray     *spans,
             guint       prefix_units,
             guint       limit,
             gsize      *fits_byte_end)
{
  gsize length = strlen (text);
  guint total = prefix_units;
  g_autofree PangoLogAttr *attrs = NULL;
  guint n_chars = 0, char_index = 0;
  const char *p = text;

  *fits_byte_end = 0;
  if (unit == UNIT_GRAPHEMES)
    attrs = log_attrs (text, length, &n_chars);

  while (p < text + length)
    {
      const Span *span = span_at (spans, p - text);
      const char *next;
      guint units;

      if (span != NULL)
        {
          next = text + span->end;
          units = span->units;
          if (attrs != NULL)
            char_index += g_utf8_strlen (p, next - p);
        }
      else if (unit == UNIT_GRAPHEMES)
        {
          next = g_utf8_next_char (p);
          char_index++;
          while (next < text + length && !attrs[char_index].is_cursor_position)
            {
              next = g_utf8_next_char (next);
              char_index++;
            }
          units = 1;
        }
      else
        {
          next = g_utf8_next_char (p);
          units = code_point_units (g_utf8_get_char (p), unit);
        }

      total += units;
      p = next;
      if (total <= limit)
        *fits_byte_end = p - text;
    }

  return total;
}

/* Mastodon: links (with a scheme), @user and @user@domain mentions, hashtags. */
typedef struct
{
  GRegex *mention;
  GRegex *hashtag;
} MastodonPatterns;

static gpointer
build_mastodon_patterns (gpointer data)
{
  MastodonPatterns *p = g_new0 (MastodonPatterns, 1);

  p->mention = g_regex_new ("(?<![/\\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?(?:@[\\w.-]+\\w+)?)",
                            G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
  p->hashtag = g_regex_new ("(?<![/\\)\\w])#(\\w*[[:alpha:]\\x{00B7}]\\w*)",
                            G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
  return p;
}

static GArray *
mastodon_entities (const char *text)
{
  static GOnce once = G_ONCE_INIT;
  const MastodonPatterns *patterns = g_once (&once, build_mastodon_patterns, NULL);
  GRegex *mention = patterns->mention, *hashtag = patterns->hashtag;
  GArray *entities = sd_x_extract_urls (text, FALSE);
  g_autoptr(GMatchInfo) info = NULL;

  for (g_regex_match (mention, text, 0, &info); g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      sd_entity_array_add (entities, SD_ENTITY_MENTION, start, end, g_match_info_fetch (info, 1));
    }
  g_clear_pointer (&info, g_match_info_free);

  for (g_regex_match (hashtag, text, 0, &info); g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      sd_entity_array_add (entities, SD_ENTITY_HASHTAG, start, end, g_match_info_fetch (info, 1));
    }

  sd_entity_array_sort_and_drop_overlaps (entities);
  return entities;
}

/* A link counts 23; @user@domain counts as @user. */
static GArray *
mastodon_spans (const char *text,
                GArray     *entities)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));

  for (guint i = 0; i < entities->len; i++)
    {
      SdEntity *e = &g_array_index (entities, SdEntity, i);
      Span span = { e->start, e->end, 0 };
      const char *domain;

      if (e->type == SD_ENTITY_URL)
        span.units = MASTODON_URL_LENGTH;
      else if (e->type == SD_ENTITY_MENTION && (domain = strchr (e->value, '@')) != NULL)
        span.units = 1 + sd_text_count_graphemes (e->value, domain - e->value);
      else
        continue;

      g_array_append_val (spans, span);
    }

  return spans;
}

static guint
count_type (GArray       *entities,
            SdEntityType  type)
{
  guint n = 0;

  for (guint i = 0; i < entities->len; i++)
    n += g_array_index (entities, SdEntity, i).type == type;
  return n;
}

static void
add_problem (SdTextCount   *count,
             SdTextProblem  problem)
{
  g_array_append_val (count->problems, problem);
}

/**
 * sd_text_count:
 *
 * How the network counts @text and whether it would accept it.
 */
SdTextCount *
sd_text_count (SdPlatform           platform,
               const char          *text,
               const SdTextOptions *options)
{
  const Rule *rule;
  SdTextCount *count;
  g_autoptr(GArray) spans = NULL;
  guint prefix = 0;

  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  rule = &rules[platform];
  count = g_new0 (SdTextCount, 1);
  count->platform = platform;
  count->limit = sd_text_get_limit (platform, options);
  count->problems = g_array_new (FALSE, FALSE, sizeof (SdTextProblem));

  switch (rule->entities)
    {
    case ENTITIES_BLUESKY:
      count->entities = sd_bluesky_detect_facets (text);
      break;
    case ENTITIES_MASTODON:
      count->entities = mastodon_entities (text);
      spans = mastodon_spans (text, count->entities);
      if (options != NULL && options->content_warning != NULL)
        prefix = sd_text_count_graphemes (options->content_warning, -1);
      break;
    case ENTITIES_X:
    default:
      count->entities = sd_x_extract_entities (text);
    }

  if (rule->unit == UNIT_X_WEIGHTED)
    {
      SdXParse parse;

      sd_x_parse (text, sd_x_config_v3 (), &parse);
      count->length = parse.weighted_length;
      count->fits_byte_end = parse.valid_byte_end;
      if (!parse.valid && parse.weighted_length > 0 && parse.weighted_length <= count->limit)
        add_problem (count, SD_TEXT_PROBLEM_INVALID_CHARACTERS);
    }
  else
    {
      count->length = count_units (text, rule->unit, spans, prefix, count->limit,
                                   &count->fits_byte_end);
    }

  count->remaining = (gint) count->limit - (gint) count->length;

  if (text[strspn (text, " \t\r\n")] == '\0')
    add_problem (count, SD_TEXT_PROBLEM_EMPTY);
  if (count->length > count->limit)
    add_problem (count, SD_TEXT_PROBLEM_TOO_LONG);
  if (rule->max_bytes > 0 && strlen (text) > rule->max_bytes)
    add_problem (count, SD_TEXT_PROBLEM_TOO_MANY_BYTES);
  if (rule->max_hashtags > 0 && count_type (count->entities, SD_ENTITY_HASHTAG) > rule->max_hashtags)
    add_problem (count, SD_TEXT_PROBLEM_TOO_MANY_HASHTAGS);
  if (rule->max_mentions > 0 && count_type (count->entities, SD_ENTITY_MENTION) > rule->max_mentions)
    add_problem (count, SD_TEXT_PROBLEM_TOO_MANY_MENTIONS);
  if (rule->max_links > 0 && count_type (count->entities, SD_ENTITY_URL) > rule->max_links)
    add_problem (count, SD_TEXT_PROBLEM_TOO_MANY_LINKS);
  if (rule->no_angle_brackets && strpbrk (text, "<>") != NULL)
    add_problem (count, SD_TEXT_PROBLEM_ANGLE_BRACKETS);

  count->valid = count->problems->len == 0;
  return count;
}

void
sd_text_count_free (SdTextCount *count)
{
  if (count == NULL)
    return;

  g_clear_pointer (&count->problems, g_array_unref);
  g_clear_pointer (&count->entities, g_array_unref);
  g_free (count);
}

/* "254 characters left", in the network's own unit. */
char *
sd_text_describe_remaining (const SdTextCount *count)
{
  int left = MAX (count->remaining, 0);

  if (rules[count->platform].unit == UNIT_BYTES)
    return g_strdup_printf (ngettext ("%d byte left", "%d bytes left", left), left);
  return g_strdup_printf (ngettext ("%d character left", "%d characters left", left), left);
}

/* What is wrong, in the words a person needs ("12 characters over"). */
char *
sd_text_problem_describe (SdTextProblem      problem,
                          const SdTextCount *count)
{
  const Rule *rule = &rules[count->platform];
  guint over = count->length > count->limit ? count->length - count->limit : 0;

  switch (problem)
    {
    case SD_TEXT_PROBLEM_EMPTY:
      return g_strdup (_("The text is empty"));
    case SD_TEXT_PROBLEM_TOO_LONG:
      if (rule->unit == UNIT_BYTES)
        return g_strdup_printf (ngettext ("%u byte over", "%u bytes over", over), over);
      return g_strdup_printf (ngettext ("%u character over", "%u characters over", over), over);
    case SD_TEXT_PROBLEM_TOO_MANY_BYTES:
      return g_strdup_printf (_("Longer than %u bytes"), rule->max_bytes);
    case SD_TEXT_PROBLEM_TOO_MANY_HASHTAGS:
      return g_strdup_printf (_("More than %u hashtags"), rule->max_hashtags);
    case SD_TEXT_PROBLEM_TOO_MANY_MENTIONS:
      return g_strdup_printf (_("More than %u mentions"), rule->max_mentions);
    case SD_TEXT_PROBLEM_TOO_MANY_LINKS:
      return g_strdup_printf (_("More than %u links"), rule->max_links);
    case SD_TEXT_PROBLEM_INVALID_CHARACTERS:
      return g_strdup (_("Contains characters the network refuses"));
    case SD_TEXT_PROBLEM_ANGLE_BRACKETS:
      return g_strdup (_("Contains < or >, which the network refuses"));
    case SD_TEXT_PROBLEM_TITLE_TOO_LONG:
      return g_strdup_printf (_("The title is longer than %u characters"), YOUTUBE_TITLE_LIMIT);
    case SD_TEXT_PROBLEM_NO_TITLE:
      return g_strdup (_("The video's title is empty"));
    default:
      g_return_val_if_reached (NULL);
    }
}
