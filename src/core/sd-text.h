/* sd-text.h — each network's text rules: length in its own unit, limit, entities, validity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-entity.h"
#include "sd-platform.h"

G_BEGIN_DECLS

typedef enum
{
  SD_TEXT_PROBLEM_EMPTY,
  SD_TEXT_PROBLEM_TOO_LONG,
  SD_TEXT_PROBLEM_TOO_MANY_BYTES,
  SD_TEXT_PROBLEM_TOO_MANY_HASHTAGS,
  SD_TEXT_PROBLEM_TOO_MANY_MENTIONS,
  SD_TEXT_PROBLEM_TOO_MANY_LINKS,
  SD_TEXT_PROBLEM_INVALID_CHARACTERS,
  SD_TEXT_PROBLEM_ANGLE_BRACKETS,
  /* Not found by sd_text_count any more: YouTube's title is an option of its
   * own (SD_OPTION_TITLE, checked by sd_option_problems); kept for callers. */
  SD_TEXT_PROBLEM_TITLE_TOO_LONG,
  SD_TEXT_PROBLEM_NO_TITLE,
} SdTextProblem;

typedef struct
{
  guint       mastodon_limit;   /* the instance's, 0 for the default 500 */
  const char *content_warning;  /* Mastodon: counts towards the limit */
} SdTextOptions;

typedef struct
{
  SdPlatform  platform;
  guint       length;           /* in the network's own unit */
  guint       limit;
  gint        remaining;
  gboolean    valid;
  GArray     *problems;         /* SdTextProblem, in the order found */
  gsize       fits_byte_end;    /* the text before this byte fits the limit */
  GArray     *entities;         /* SdEntity, in order */
} SdTextCount;

const char  *sd_text_unit_name        (SdPlatform           platform);
guint        sd_text_get_limit        (SdPlatform           platform,
                                       const SdTextOptions *options);
SdTextCount *sd_text_count            (SdPlatform           platform,
                                       const char          *text,
                                       const SdTextOptions *options);
void         sd_text_count_free       (SdTextCount         *count);
char        *sd_text_describe_remaining (const SdTextCount *count);
char        *sd_text_problem_describe (SdTextProblem        problem,
                                       const SdTextCount   *count);
guint        sd_text_count_graphemes  (const char          *text,
                                       gssize               length);

GArray      *sd_bluesky_detect_facets (const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTextCount, sd_text_count_free)

G_END_DECLS
