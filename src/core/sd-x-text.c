/* sd-x-text.c — X's text rules: entities, weighted length, validity (twitter-text v3)
 *
 * Written against the behaviour the twitter-text conformance suite pins down:
 * which links, mentions, hashtags and cashtags X recognises, and how it
 * weighs a post (code points by range, every link as 23, every emoji
 * sequence as one heavy character, after NFC normalisation).
 *
 * The patterns are built once and compiled by PCRE2 (GRegex) with the JIT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-x-text"

#include <string.h>

#include "sd-emoji-data.h"
#include "sd-tlds.h"
#include "sd-x-text.h"

#define MAX_URL_LENGTH 4096
#define MAX_TCO_SLUG_LENGTH 40

/* Character classes (contents of [...]) */
#define SPACES "\\x{0009}-\\x{000D}\\x{0020}\\x{0085}\\x{00A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}" \
               "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
#define INVALID "\\x{FFFE}\\x{FEFF}\\x{FFFF}"
#define DIRECTIONAL "\\x{061C}\\x{200E}\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}"
#define PUNCT "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}"
#define LATIN_ACCENTS "\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{FF}\\x{0100}-\\x{024F}\\x{0253}\\x{0254}" \
                      "\\x{0256}\\x{0257}\\x{0259}\\x{025B}\\x{0263}\\x{0268}\\x{026F}\\x{0272}\\x{0289}" \
                      "\\x{028B}\\x{02BB}\\x{0300}-\\x{036F}\\x{1E00}-\\x{1EFF}"
#define CYRILLIC "\\x{0400}-\\x{04FF}"

#define DOMAIN_CHAR "[^" PUNCT SPACES INVALID DIRECTIONAL "]"
/* A label starts and ends with a domain character; atomic, so a very long one costs linear time. */
#define SUBDOMAIN "(?:(?>" DOMAIN_CHAR "(?:[_-]*+" DOMAIN_CHAR ")*+)\\.)"
#define DOMAIN_NAME "(?:(?>" DOMAIN_CHAR "(?:-*+" DOMAIN_CHAR ")*+)\\.)"
#define PUNYCODE "(?:xn--[-0-9a-z]+)"
#define TLD_END "(?=[^0-9a-z@+-]|$)"

#define PATH_CHAR "[a-z" CYRILLIC "0-9!*';:=+,.$/%#\\[\\]\\-\\x{2013}_~&|@" LATIN_ACCENTS "]"
#define PATH_PARENS "(?:\\((?:" PATH_CHAR "+|(?:" PATH_CHAR "*\\(" PATH_CHAR "+\\)" PATH_CHAR "*))\\))"
#define PATH_END "(?:[+\\-a-z" CYRILLIC "0-9=_#/" LATIN_ACCENTS "]|" PATH_PARENS ")"
#define PATH "(?:(?:" PATH_CHAR "*(?:" PATH_PARENS PATH_CHAR "*)*" PATH_END ")|(?:@" PATH_CHAR "+/))"
#define QUERY_CHAR "[a-z0-9!?*'@\\(\\);:&=+$/%#\\[\\]\\-_.,~|]"
#define QUERY_END "[a-z0-9\\-_&=#/]"

#define HASHTAG_ALPHA "[\\p{L}\\p{M}]"
#define HASHTAG_ALNUM "[\\p{L}\\p{M}\\p{Nd}_\\x{200C}\\x{200D}\\x{A67E}\\x{05BE}\\x{05F3}\\x{05F4}" \
                      "\\x{FF5E}\\x{301C}\\x{309B}\\x{309C}\\x{30A0}\\x{30FB}\\x{3003}\\x{0F0B}" \
                      "\\x{0F0C}\\x{00B7}]"
#define HASHTAG_ALNUM_AMP "[\\p{L}\\p{M}\\p{Nd}_\\x{200C}\\x{200D}\\x{A67E}\\x{05BE}\\x{05F3}\\x{05F4}" \
                          "\\x{FF5E}\\x{301C}\\x{309B}\\x{309C}\\x{30A0}\\x{30FB}\\x{3003}\\x{0F0B}" \
                          "\\x{0F0C}\\x{00B7}&]"

#define AT_SIGNS "[@\\x{FF20}]"
#define MENTION_END "^(?:" AT_SIGNS "|[" LATIN_ACCENTS "]|://)"

typedef struct
{
  GRegex *url;
  GRegex *ascii_domain;
  GRegex *tco;
  GRegex *hashtag;
  GRegex *hashtag_end;
  GRegex *mention;
  GRegex *mention_end;
  GRegex *cashtag;
  GRegex *reply;
  GRegex *username;
  GRegex *list;
  GRegex *url_parts;
  GRegex *url_scheme;
  GRegex *url_authority;
  GRegex *url_path;
  GRegex *url_query;
  GHashTable *tlds;      /* lower-case TLD → itself */
  guint       longest_tld;
} Patterns;

/* The TLDs as a trie-shaped pattern ("c(?:o(?:m(?:pany)?|op)?|…)"): PCRE2 tries
 * alternatives one by one, so 1,500 flat ones would cost a scan at every dot. */
static void
append_trie (GString   *out,
             gunichar **words,
             guint      lo,
             guint      hi,
             guint      depth)
{
  gboolean word_ends_here = FALSE;
  guint n_branches = 0;
  GString *branches = g_string_new (NULL);

  for (guint i = lo; i < hi;)
    {
      gunichar c = words[i][depth];
      guint j = i + 1;

      if (c == 0)
        {
          word_ends_here = TRUE;
          i++;
          continue;
        }

      while (j < hi && words[j][depth] == c)
        j++;

      if (n_branches++ > 0)
        g_string_append_c (branches, '|');
      g_string_append_unichar (branches, c);
      append_trie (branches, words, i, j, depth + 1);
      i = j;
    }

  if (n_branches == 1 && !word_ends_here)
    g_string_append (out, branches->str);
  else if (n_branches > 0)
    g_string_append_printf (out, "(?:%s)%s", branches->str, word_ends_here ? "?" : "");

  g_string_free (branches, TRUE);
}

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  const gunichar *x = *(gunichar * const *) a, *y = *(gunichar * const *) b;

  while (*x != 0 && *x == *y)
    x++, y++;
  return (*x > *y) - (*x < *y);
}

static char *
tld_alternation (void)
{
  GString *pattern = g_string_new ("(?:");
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; sd_tlds[i] != NULL; i++)
    g_ptr_array_add (words, g_utf8_to_ucs4_fast (sd_tlds[i], -1, NULL));
  g_ptr_array_sort (words, compare_words);

  g_string_append (pattern, "(?:");
  append_trie (pattern, (gunichar **) words->pdata, 0, words->len, 0);
  g_string_append (pattern, ")" TLD_END "|" PUNYCODE ")");

  g_ptr_array_unref (words);
  return g_string_free (pattern, FALSE);
}

static GRegex *
compile (const char         *pattern,
         GRegexCompileFlags  flags)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, flags | G_REGEX_OPTIMIZE | G_REGEX_DOLLAR_ENDONLY,
                               0, &error);

  if (regex == NULL)
    g_error ("Bad pattern: %s", error->message);
  return regex;
}

static gpointer
build_patterns (gpointer data)
{
  Patterns *p = g_new0 (Patterns, 1);
  g_autofree char *tlds = tld_alternation ();
  g_autofree char *url = NULL;
  g_autofree char *ascii_domain = NULL;
  const char *pchar = "(?:[a-z" CYRILLIC "0-9\\-._~]|%[0-9a-f]{2}|[!$&'()*+,;=]|[:|@])";
  g_autofree char *path = g_strdup_printf ("(?:/%s*)*", pchar);
  g_autofree char *query = g_strdup_printf ("(?:%s|/|\\?)*", pchar);

  url = g_strconcat ("(?<![A-Za-z0-9@\\x{FF20}$#\\x{FF03}" INVALID "])",
                     "((https?://)?",
                     "(", SUBDOMAIN "*" DOMAIN_NAME, tlds, ")",
                     "(?::([0-9]+))?",
                     "(/" PATH "*)?",
                     "(\\?" QUERY_CHAR "*" QUERY_END ")?)",
                     NULL);
  ascii_domain = g_strconcat ("(?:(?:[\\-a-z0-9" LATIN_ACCENTS "]+)\\.)+", tlds, NULL);

  p->tlds = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; sd_tlds[i] != NULL; i++)
    {
      g_hash_table_add (p->tlds, (gpointer) sd_tlds[i]);
      p->longest_tld = MAX (p->longest_tld, strlen (sd_tlds[i]));
    }

  p->url = compile (url, G_REGEX_CASELESS);
  p->ascii_domain = compile (ascii_domain, G_REGEX_CASELESS);
  p->tco = compile ("^https?://t\\.co/([a-z0-9]+)(?:\\?" QUERY_CHAR "*" QUERY_END ")?",
                    G_REGEX_CASELESS);

  p->hashtag = compile ("(?:(?<=[\\x{FE0E}\\x{FE0F}])|(?<!" HASHTAG_ALNUM_AMP "))"
                        "[#\\x{FF03}](?![\\x{FE0F}\\x{20E3}])"
                        "(" HASHTAG_ALNUM "*" HASHTAG_ALPHA HASHTAG_ALNUM "*)", 0);
  p->hashtag_end = compile ("^(?:[#\\x{FF03}]|://)", 0);

  p->mention = compile ("(?:^|(?<=[^a-zA-Z0-9_!#$%&*@\\x{FF20}])"
                        "|(?<=^[rR][tT])|(?<=^[rR][tT]:)"
                        "|(?<=[^a-zA-Z0-9_+~.\\-][rR][tT])|(?<=[^a-zA-Z0-9_+~.\\-][rR][tT]:))"
                        AT_SIGNS "([a-zA-Z0-9_]{1,20})(/[a-zA-Z][a-zA-Z0-9_\\-]{0,24})?", 0);
  p->mention_end = compile (MENTION_END, 0);
  p->cashtag = compile ("(?:^|(?<=[" SPACES "]))\\$([a-z]{1,6}(?:[._][a-z]{1,2})?)"
                        "(?=$|[" SPACES "]|[" PUNCT "])", G_REGEX_CASELESS);
  p->reply = compile ("^(?:[" SPACES "]|[" DIRECTIONAL "])*" AT_SIGNS "([a-zA-Z0-9_]{1,20})", 0);
  p->username = compile ("^" AT_SIGNS "[a-zA-Z0-9_]{1,20}$", 0);
  p->list = compile ("^" AT_SIGNS "[a-zA-Z0-9_]{1,20}/[a-zA-Z][a-zA-Z0-9_\\-]{0,24}$", 0);

  /* RFC 3986 validation of a whole URL */
  p->url_parts = compile ("^(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$",
                          G_REGEX_DOTALL);
  p->url_scheme = compile ("^https?$", G_REGEX_CASELESS);
  {
    const char *uni = "[^\\x{0000}-\\x{007F}]";
    g_autofree char *sub = g_strdup_printf ("(?:(?:[a-z0-9]|%s)(?:(?:[a-z0-9_\\-]|%s)*(?:[a-z0-9]|%s))?)",
                                            uni, uni, uni);
    g_autofree char *seg = g_strdup_printf ("(?:(?:[a-z0-9]|%s)(?:(?:[a-z0-9\\-]|%s)*(?:[a-z0-9]|%s))?)",
                                            uni, uni, uni);
    g_autofree char *tld = g_strdup_printf ("(?:(?:[a-z]|%s)(?:(?:[a-z0-9\\-]|%s)*(?:[a-z0-9]|%s))?)",
                                            uni, uni, uni);
    const char *dec = "(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])";
    g_autofree char *authority = g_strdup_printf (
      "^(?:(?:[a-z" CYRILLIC "0-9\\-._~]|%%[0-9a-f]{2}|[!$&'()*+,;=]|:)*@)?"
      "(?:%s(?:\\.%s){3}|\\[[a-f0-9:.]+\\]|(?:%s\\.)*(?:%s\\.)%s)"
      "(?::[0-9]{1,5})?$",
      dec, dec, sub, seg, tld);

    p->url_authority = compile (authority, G_REGEX_CASELESS);
  }
  {
    g_autofree char *path_full = g_strconcat ("^", path, "$", NULL);
    g_autofree char *query_full = g_strconcat ("^", query, "$", NULL);

    p->url_path = compile (path_full, G_REGEX_CASELESS);
    p->url_query = compile (query_full, G_REGEX_CASELESS);
  }

  return p;
}

static const Patterns *
patterns (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_patterns, NULL);
}

/* Helpers */

guint
sd_utf16_length (const char *text,
                 gssize      length)
{
  const char *end = length < 0 ? text + strlen (text) : text + length;
  guint units = 0;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    units += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;

  return units;
}

static gboolean
fetch_pos (GMatchInfo *info,
           int         group,
           int        *start,
           int        *end)
{
  return g_match_info_fetch_pos (info, group, start, end) && *start >= 0 && *end >= *start;
}

/* URLs */

/* The URL fits X's limit once its host is written in punycode. */
static gboolean
url_length_is_valid (const char *url,
                     gsize       url_len,
                     const char *protocol,
                     const char *domain,
                     gsize       domain_len)
{
  g_autofree char *host = g_strndup (domain, domain_len);
  g_autofree char *ascii = g_hostname_to_ascii (host);
  guint length;

  g_auto(GStrv) labels = NULL;

  if (ascii == NULL || ascii[0] == '\0')
    return FALSE;

  /* DNS allows 63 bytes a label. */
  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    if (strlen (labels[i]) > 63)
      return FALSE;

  length = sd_utf16_length (url, url_len) + strlen (ascii) - sd_utf16_length (domain, domain_len);
  return strlen (protocol) + length <= MAX_URL_LENGTH;
}

static void
add_ascii_domains (GArray     *urls,
                   const char *text,
                   int         url_start,
                   int         url_end,
                   int         domain_start,
                   int         domain_end,
                   gboolean    has_path)
{
  g_autofree char *domain = g_strndup (text + domain_start, domain_end - domain_start);
  g_autoptr(GMatchInfo) info = NULL;
  int last_start = -1, last_end = -1;

  g_regex_match (patterns ()->ascii_domain, domain, 0, &info);
  while (g_match_info_matches (info))
    {
      int start, end;

      if (fetch_pos (info, 0, &start, &end))
        {
          last_start = domain_start + start;
          last_end = domain_start + end;
          sd_entity_array_add (urls, SD_ENTITY_URL, last_start, last_end,
                               g_strndup (text + last_start, last_end - last_start));
        }
      g_match_info_next (info, NULL);
    }

  /* The path belongs to the last domain. */
  if (last_start >= 0 && has_path)
    {
      SdEntity *last = &g_array_index (urls, SdEntity, urls->len - 1);

      g_free (last->value);
      last->end = url_end;
      last->value = g_strndup (text + last_start, url_end - last_start);
    }
}

static gboolean
is_space (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || (c >= 0x09 && c <= 0x0D);

  return c == 0x85 || c == 0xA0 || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200A)
         || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Whether some dot in the token is followed by a known TLD (or xn--) that ends where
 * a TLD may end: the cheap test that spares most tokens the full pattern. */
static gboolean
token_may_hold_link (const char *start,
                     const char *end)
{
  const Patterns *p = patterns ();

  for (const char *dot = memchr (start, '.', end - start); dot != NULL;
       dot = memchr (dot + 1, '.', end - (dot + 1)))
    {
      const char *q = dot + 1;
      char buffer[128];
      gsize n = 0;

      if (end - q >= 4 && g_ascii_strncasecmp (q, "xn--", 4) == 0)
        return TRUE;

      /* Every prefix of the label after the dot that is a TLD and is followed by a
       * character that may end one. */
      while (q < end && n < sizeof buffer - 8)
        {
          const char *next = (guchar) *q < 0x80 ? q + 1 : g_utf8_next_char (q);
          gunichar after;

          if (*q == '.' || ((guchar) *q < 0x80 && !g_ascii_isalnum (*q)))
            break;
          for (const char *b = q; b < next; b++)
            buffer[n++] = g_ascii_tolower (*b);
          buffer[n] = '\0';
          q = next;

          after = q < end ? ((guchar) *q < 0x80 ? (gunichar) *q : g_utf8_get_char (q)) : 0;
          if ((after == 0 || !(after < 0x80 && (g_ascii_isalnum (after) || strchr ("@+-", after))))
              && g_hash_table_contains (p->tlds, buffer))
            return TRUE;
        }
    }

  return FALSE;
}

/* Links within text[token_start, token_end): a link never holds a space. */
static void
extract_urls_in_token (GArray     *urls,
                       const char *text,
                       gsize       token_start,
                       gsize       token_end,
                       gboolean    without_protocol)
{
  const Patterns *p = patterns ();
  g_autoptr(GMatchInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gsize text_len = token_end;

  /* Each link must leave one character between itself and the match before it (a
   * "preceding character" that twitter-text's pattern consumes), so the search goes on
   * one character after the previous match, and the first match at 0 needs none. */
  for (gsize from = token_start; from <= text_len;)
    {
      int url_start, url_end, proto_start, proto_end, domain_start, domain_end, path_start, path_end;
      gboolean has_protocol;
      g_autofree char *protocol = NULL;

      g_clear_pointer (&info, g_match_info_free);
      if (!g_regex_match_full (p->url, text, text_len, from, 0, &info, &error))
        {
          if (error != NULL)
            g_debug ("Link detection gave up: %s", error->message);
          break;
        }

      fetch_pos (info, 1, &url_start, &url_end);
      if (from > token_start && (gsize) url_start == from)
        {
          g_clear_pointer (&info, g_match_info_free);
          if (!g_regex_match_full (p->url, text, text_len, g_utf8_next_char (text + from) - text, 0,
                                   &info, NULL))
            break;
          fetch_pos (info, 1, &url_start, &url_end);
        }
      from = url_end > url_start ? (gsize) url_end : (gsize) url_end + 1;

      has_protocol = fetch_pos (info, 2, &proto_start, &proto_end) && proto_end > proto_start;
      fetch_pos (info, 3, &domain_start, &domain_end);
      protocol = has_protocol ? g_strndup (text + proto_start, proto_end - proto_start)
                              : g_strdup ("https://");

      if (!url_length_is_valid (text + url_start, url_end - url_start, protocol,
                                text + domain_start, domain_end - domain_start))
        continue;

      if (!has_protocol)
        {
          char before = url_start > 0 ? text[url_start - 1] : '\0';

          if (!without_protocol || (before != '\0' && strchr ("-_./", before) != NULL))
            continue;

          add_ascii_domains (urls, text, url_start, url_end, domain_start, domain_end,
                             fetch_pos (info, 5, &path_start, &path_end) && path_end > path_start);
          continue;
        }

      /* A t.co link is only its slug (and a query): whatever follows is not part of it. */
      {
        g_autofree char *url = g_strndup (text + url_start, url_end - url_start);
        g_autoptr(GMatchInfo) tco = NULL;

        if (g_regex_match (p->tco, url, 0, &tco))
          {
            int slug_start, slug_end, tco_start, tco_end;

            fetch_pos (tco, 1, &slug_start, &slug_end);
            if (slug_end - slug_start > MAX_TCO_SLUG_LENGTH)
              continue;
            fetch_pos (tco, 0, &tco_start, &tco_end);
            url_end = url_start + tco_end;
          }
      }

      sd_entity_array_add (urls, SD_ENTITY_URL, url_start, url_end,
                           g_strndup (text + url_start, url_end - url_start));
    }
}

static inline gunichar
char_at (const char *p)
{
  return (guchar) *p < 0x80 ? (gunichar) *p : g_utf8_get_char (p);
}

static void
extract_urls_into (GArray     *urls,
                   const char *text,
                   gboolean    without_protocol)
{
  const char *end = text + strlen (text);
  const char *scan = text, *dot;

  /* Only the space-separated tokens holding a dot can be links: find each dot, widen
   * it to its token, and look there. */
  while ((dot = memchr (scan, '.', end - scan)) != NULL)
    {
      const char *start = dot, *stop = dot;

      while (start > text)
        {
          const char *prev = (guchar) start[-1] < 0x80 ? start - 1 : g_utf8_find_prev_char (text, start);

          if (prev == NULL || is_space (char_at (prev)))
            break;
          start = prev;
        }
      while (stop < end && !is_space (char_at (stop)))
        stop = (guchar) *stop < 0x80 ? stop + 1 : g_utf8_next_char (stop);

      if (token_may_hold_link (start, stop))
        extract_urls_in_token (urls, text, start - text, stop - text, without_protocol);
      scan = stop;
    }
}

GArray *
sd_x_extract_urls (const char *text,
                   gboolean    without_protocol)
{
  GArray *urls = sd_entity_array_new ();

  extract_urls_into (urls, text, without_protocol);
  return urls;
}

/* Mentions, hashtags, cashtags */

static gboolean
followed_by (GRegex     *end_pattern,
             const char *rest)
{
  return g_regex_match (end_pattern, rest, 0, NULL);
}

static void
extract_mentions_into (GArray     *mentions,
                       const char *text,
                       gboolean    with_lists)
{
  const Patterns *p = patterns ();
  g_autoptr(GMatchInfo) info = NULL;

  if (strchr (text, '@') == NULL && strstr (text, "\xEF\xBC\xA0") == NULL)
    return;

  g_regex_match (p->mention, text, 0, &info);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end, name_start, name_end, list_start, list_end;
      gboolean has_list;

      fetch_pos (info, 0, &start, &end);
      if (followed_by (p->mention_end, text + end))
        continue;

      fetch_pos (info, 1, &name_start, &name_end);
      has_list = fetch_pos (info, 2, &list_start, &list_end) && list_end > list_start;
      if (!with_lists && has_list)
        end = list_start;

      sd_entity_array_add (mentions, SD_ENTITY_MENTION, start, end,
                           g_strndup (text + name_start, end - name_start));
    }
}

GArray *
sd_x_extract_mentions (const char *text,
                       gboolean    with_lists)
{
  GArray *mentions = sd_entity_array_new ();

  extract_mentions_into (mentions, text, with_lists);
  return mentions;
}

static void
keep_type (GArray       *entities,
           SdEntityType  type)
{
  for (guint i = entities->len; i-- > 0;)
    if (g_array_index (entities, SdEntity, i).type != type)
      g_array_remove_index (entities, i);
}

static void
extract_hashtags_into (GArray     *hashtags,
                       const char *text)
{
  const Patterns *p = patterns ();
  g_autoptr(GMatchInfo) info = NULL;

  if (strchr (text, '#') == NULL && strstr (text, "\xEF\xBC\x83") == NULL)
    return;

  g_regex_match (p->hashtag, text, 0, &info);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end, tag_start, tag_end;

      fetch_pos (info, 0, &start, &end);
      if (followed_by (p->hashtag_end, text + end))
        continue;
      fetch_pos (info, 1, &tag_start, &tag_end);
      sd_entity_array_add (hashtags, SD_ENTITY_HASHTAG, start, end,
                           g_strndup (text + tag_start, tag_end - tag_start));
    }
}

/* A hashtag inside a link is part of the link. */
GArray *
sd_x_extract_hashtags (const char *text)
{
  GArray *entities = sd_entity_array_new ();

  extract_hashtags_into (entities, text);
  if (entities->len == 0)
    return entities;

  extract_urls_into (entities, text, TRUE);
  sd_entity_array_sort_and_drop_overlaps (entities);
  keep_type (entities, SD_ENTITY_HASHTAG);
  return entities;
}

static void
extract_cashtags_into (GArray     *cashtags,
                       const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;

  if (strchr (text, '$') == NULL)
    return;

  g_regex_match (patterns ()->cashtag, text, 0, &info);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end, tag_start, tag_end;

      fetch_pos (info, 0, &start, &end);
      fetch_pos (info, 1, &tag_start, &tag_end);
      sd_entity_array_add (cashtags, SD_ENTITY_CASHTAG, start, end,
                           g_strndup (text + tag_start, tag_end - tag_start));
    }
}

GArray *
sd_x_extract_cashtags (const char *text)
{
  GArray *cashtags = sd_entity_array_new ();

  extract_cashtags_into (cashtags, text);
  return cashtags;
}

/* Every entity, in order, none overlapping another. */
GArray *
sd_x_extract_entities (const char *text)
{
  GArray *entities = sd_entity_array_new ();

  extract_urls_into (entities, text, TRUE);
  extract_mentions_into (entities, text, TRUE);
  extract_hashtags_into (entities, text);
  extract_cashtags_into (entities, text);
  sd_entity_array_sort_and_drop_overlaps (entities);
  return entities;
}

char *
sd_x_extract_reply (const char *text)
{
  const Patterns *p = patterns ();
  g_autoptr(GMatchInfo) info = NULL;
  int start, end, name_start, name_end;

  if (!g_regex_match (p->reply, text, 0, &info))
    return NULL;

  fetch_pos (info, 0, &start, &end);
  if (followed_by (p->mention_end, text + end))
    return NULL;

  fetch_pos (info, 1, &name_start, &name_end);
  return g_strndup (text + name_start, name_end - name_start);
}

/* Weighted length */

static const SdXWeightRange v3_ranges[] = {
  { 0, 4351, 100 },
  { 8192, 8205, 100 },
  { 8208, 8223, 100 },
  { 8242, 8247, 100 },
};

static const SdXConfig v3 = {
  .max_weighted_length = 280,
  .scale = 100,
  .default_weight = 200,
  .transformed_url_length = 23,
  .emoji_parsing = TRUE,
  .ranges = v3_ranges,
  .n_ranges = G_N_ELEMENTS (v3_ranges),
};

const SdXConfig *
sd_x_config_v3 (void)
{
  return &v3;
}

/* Unicode's Extended_Pictographic property (the emoji and their reserved neighbours). */
gboolean
sd_unichar_is_extended_pictographic (gunichar c)
{
  guint low = 0, high = sd_n_extended_pictographic;

  if (c < 0xA9)
    return FALSE;

  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (c < sd_extended_pictographic[mid].start)
        high = mid;
      else if (c > sd_extended_pictographic[mid].end)
        low = mid + 1;
      else
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

static gboolean
is_skin_tone (gunichar c)
{
  return c >= 0x1F3FB && c <= 0x1F3FF;
}

/* Returns the end of the emoji sequence starting at p, or p when there is none. */
static const char *
emoji_sequence_end (const char *p,
                    const char *end)
{
  gunichar c = g_utf8_get_char (p);
  const char *next = g_utf8_next_char (p);

  /* A flag: two regional indicators. */
  if (is_regional_indicator (c))
    return next < end && is_regional_indicator (g_utf8_get_char (next)) ? g_utf8_next_char (next) : p;

  /* A keycap: 0-9, # or *, an optional VS16, then U+20E3. */
  if ((c >= '0' && c <= '9') || c == '#' || c == '*')
    {
      const char *q = next;

      if (q < end && g_utf8_get_char (q) == 0xFE0F)
        q = g_utf8_next_char (q);
      if (q < end && g_utf8_get_char (q) == 0x20E3)
        return g_utf8_next_char (q);
      return p;
    }

  if (!sd_unichar_is_extended_pictographic (c))
    return p;

  for (;;)
    {
      /* An emoji, then a presentation selector, a skin tone or tag characters. */
      while (next < end)
        {
          gunichar m = g_utf8_get_char (next);

          if (m != 0xFE0F && !is_skin_tone (m) && !(m >= 0xE0020 && m <= 0xE007F))
            break;
          next = g_utf8_next_char (next);
        }

      /* ZWJ and another emoji continue the sequence. */
      if (next < end && g_utf8_get_char (next) == 0x200D)
        {
          const char *after = g_utf8_next_char (next);

          if (after < end && sd_unichar_is_extended_pictographic (g_utf8_get_char (after)))
            {
              next = g_utf8_next_char (after);
              continue;
            }
        }

      return next;
    }
}

static guint
char_weight (gunichar         c,
             const SdXConfig *config)
{
  for (guint i = 0; i < config->n_ranges; i++)
    if (c >= config->ranges[i].start && c <= config->ranges[i].end)
      return config->ranges[i].weight;

  return config->default_weight;
}

/* The byte offset in text after n UTF-16 code units (clamped to its end). */
static gsize
utf16_to_byte_offset (const char *text,
                      gint64      units)
{
  const char *p = text;

  while (units > 0 && *p != '\0')
    {
      units -= g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
      p = g_utf8_next_char (p);
    }
  return p - text;
}

/* Code points that NFC leaves alone whatever surrounds them (NFC_QC=Yes and not
 * combining): text made only of these needs no normalisation, which is most posts. */
static gboolean
is_nfc_stable (gunichar c)
{
  return c < 0x300
         || (c >= 0x0400 && c <= 0x0482)
         || (c >= 0x2010 && c <= 0x2027) || (c >= 0x200B && c <= 0x200F)
         || (c >= 0x2030 && c <= 0x20CF)
         || (c >= 0x3000 && c <= 0x3029) || (c >= 0x3030 && c <= 0x3098)
         || (c >= 0x309B && c <= 0x30FF)
         || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3)
         || c == 0xFE0F || c == 0x20E3 || (c >= 0xFF00 && c <= 0xFFEF)
         || (c >= 0x1F000 && c <= 0x1FAFF);
}

/* How many bytes from p on are ASCII, eight at a time. */
static inline gsize
ascii_prefix (const char *p,
              const char *end)
{
  const char *q = p;

  while (q + 8 <= end)
    {
      guint64 word;

      memcpy (&word, q, sizeof word);
      if (word & G_GUINT64_CONSTANT (0x8080808080808080))
        break;
      q += 8;
    }
  while (q < end && (guchar) *q < 0x80)
    q++;

  return q - p;
}

/* A digit, # or * that an emoji presentation selector or keycap mark follows. */
static inline gboolean
starts_keycap (const char      *p,
               const SdXConfig *config)
{
  return config->emoji_parsing && ((*p >= '0' && *p <= '9') || *p == '#' || *p == '*')
         && (guchar) p[1] >= 0x80;
}

static gboolean
needs_normalization (const char *text,
                     const char *end)
{
  for (const char *p = text; p < end;)
    {
      p += ascii_prefix (p, end);
      if (p >= end)
        break;
      if (!is_nfc_stable (g_utf8_get_char (p)))
        return TRUE;
      p = g_utf8_next_char (p);
    }

  return FALSE;
}

/**
 * sd_x_parse:
 *
 * What X says of a post: its weighted length, whether it can be posted, and
 * how much of it fits, the way twitter-text's parseTweet() gives them.
 */
void
sd_x_parse (const char      *text,
            const SdXConfig *config,
            SdXParse        *result)
{
  g_autofree char *normalized_copy = NULL;
  g_autoptr(GArray) urls = NULL;
  const char *normalized = text;
  const char *end, *p;
  guint url_index = 0;
  guint64 weighted = 0;
  guint64 max_weighted = (guint64) config->max_weighted_length * config->scale;
  guint utf16_index = 0;
  guint valid_display_index = 0;
  gsize valid_byte_end = 0;
  gboolean valid = TRUE;
  guint ascii_weight = char_weight ('a', config);
  guint text_utf16, normalized_utf16;

  memset (result, 0, sizeof *result);
  end = text + strlen (text);
  if (needs_normalization (text, end))
    {
      normalized = normalized_copy = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
      if (normalized == NULL)
        {
          text_utf16 = sd_utf16_length (text, -1);
          result->display_range_end = text_utf16 > 0 ? text_utf16 - 1 : 0;
          return;
        }
    }

  if (normalized != text)
    end = normalized + strlen (normalized);
  urls = sd_entity_array_new ();
  if (memchr (normalized, '.', end - normalized) != NULL)
    extract_urls_into (urls, normalized, TRUE);

  for (p = normalized; p < end;)
    {
      const char *next;
      guint units;
      gunichar last;

      while (url_index < urls->len && g_array_index (urls, SdEntity, url_index).start < (gsize) (p - normalized))
        url_index++;

      if (url_index < urls->len && g_array_index (urls, SdEntity, url_index).start == (gsize) (p - normalized))
        {
          next = normalized + g_array_index (urls, SdEntity, url_index).end;
          weighted += (guint64) config->transformed_url_length * config->scale;
          units = sd_utf16_length (p, next - p);
          last = g_utf8_get_char (g_utf8_find_prev_char (p, next));
        }
      else if ((guchar) *p < 0x80 && !starts_keycap (p, config))
        {
          /* A run of plain ASCII up to the next link: the common case, in one step. */
          const char *stop = url_index < urls->len
                             ? normalized + g_array_index (urls, SdEntity, url_index).start : end;
          guint n = ascii_prefix (p, stop);

          /* A digit right before a non-ASCII character may start a keycap emoji. */
          if (n > 1 && p + n < end && starts_keycap (p + n - 1, config))
            n--;

          if (valid && weighted + (guint64) n * ascii_weight > max_weighted && weighted <= max_weighted)
            {
              guint fit = (guint) ((max_weighted - weighted) / ascii_weight);

              if (fit > 0)
                {
                  valid_display_index = utf16_index + fit - 1;
                  valid_byte_end = p + fit - normalized;
                }
            }

          weighted += (guint64) n * ascii_weight;
          utf16_index += n;
          p += n;
          if (valid && weighted <= max_weighted)
            {
              valid_display_index = utf16_index - 1;
              valid_byte_end = p - normalized;
            }
          continue;
        }
      else if (config->emoji_parsing && (next = emoji_sequence_end (p, end)) != p)
        {
          weighted += config->default_weight;
          units = sd_utf16_length (p, next - p);
          last = g_utf8_get_char (g_utf8_find_prev_char (p, next));
        }
      else
        {
          gunichar c = g_utf8_get_char (p);

          next = g_utf8_next_char (p);
          weighted += char_weight (c, config);
          units = c > 0xFFFF ? 2 : 1;
          last = c;
        }

      /* Only the last code unit of the step is looked at, as X does. */
      if (valid)
        valid = last != 0xFFFE && last != 0xFEFF && last != 0xFFFF;

      utf16_index += units;
      p = next;

      if (valid && weighted <= max_weighted)
        {
          valid_display_index = utf16_index - 1;
          valid_byte_end = p - normalized;
        }
    }

  normalized_utf16 = utf16_index;
  text_utf16 = normalized == text ? normalized_utf16 : sd_utf16_length (text, -1);

  /* valid_byte_end counts in the normalised text; the caller's text may differ in length. */
  if (normalized != text)
    valid_byte_end = utf16_to_byte_offset (text, valid_byte_end > 0
                                                 ? valid_display_index + 1 + (text_utf16 - normalized_utf16)
                                                 : 0);

  result->weighted_length = weighted / config->scale;
  result->valid = valid && result->weighted_length > 0
                  && result->weighted_length <= config->max_weighted_length;
  result->permillage = (guint) ((double) result->weighted_length / config->max_weighted_length * 1000);
  result->valid_range_end = valid_display_index + (text_utf16 - normalized_utf16);
  result->display_range_end = text_utf16 > 0 ? text_utf16 - 1 : 0;
  result->valid_byte_end = valid_byte_end;
}

/* Validation of single items */

static gboolean
matches_whole (GRegex     *regex,
               const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;
  int start, end;

  return g_regex_match (regex, text, 0, &info)
         && fetch_pos (info, 0, &start, &end) && start == 0 && (gsize) end == strlen (text);
}

gboolean
sd_x_is_valid_username (const char *text)
{
  return text != NULL && matches_whole (patterns ()->username, text);
}

gboolean
sd_x_is_valid_list (const char *text)
{
  return text != NULL && matches_whole (patterns ()->list, text);
}

gboolean
sd_x_is_valid_hashtag (const char *text)
{
  g_autoptr(GArray) tags = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  tags = sd_x_extract_hashtags (text);
  return tags->len == 1 && g_array_index (tags, SdEntity, 0).start == 0
         && g_array_index (tags, SdEntity, 0).end == strlen (text);
}

static char *
group (GMatchInfo *info,
       int         n)
{
  int start, end;
  char *value;

  if (!fetch_pos (info, n, &start, &end))
    return NULL;
  value = g_match_info_fetch (info, n);
  return value;
}

/* A URL as RFC 3986 writes it (with a Unicode host allowed); http(s) only. */
gboolean
sd_x_is_valid_url (const char *text,
                   gboolean    require_protocol)
{
  const Patterns *p = patterns ();
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *fragment = NULL;

  if (text == NULL || !g_regex_match (p->url_parts, text, 0, &info))
    return FALSE;

  scheme = group (info, 1);
  authority = group (info, 2);
  path = group (info, 3);
  query = group (info, 4);
  fragment = group (info, 5);

  if (require_protocol && (scheme == NULL || !g_regex_match (p->url_scheme, scheme, 0, NULL)))
    return FALSE;
  if (path != NULL && path[0] != '\0' && !matches_whole (p->url_path, path))
    return FALSE;
  if (query != NULL && query[0] != '\0' && !matches_whole (p->url_query, query))
    return FALSE;
  if (fragment != NULL && fragment[0] != '\0' && !matches_whole (p->url_query, fragment))
    return FALSE;

  return authority != NULL && authority[0] != '\0' && matches_whole (p->url_authority, authority);
}
