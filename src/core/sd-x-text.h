/* sd-x-text.h — X's text rules: entities, weighted length, validity (twitter-text v3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-entity.h"

G_BEGIN_DECLS

typedef struct
{
  guint start;
  guint end;     /* inclusive code points */
  guint weight;
} SdXWeightRange;

/* How X weighs a post; sd_x_config_v3() is the current rule. */
typedef struct
{
  guint                 max_weighted_length;
  guint                 scale;
  guint                 default_weight;
  guint                 transformed_url_length;
  gboolean              emoji_parsing;
  const SdXWeightRange *ranges;
  guint                 n_ranges;
} SdXConfig;

/* Lengths and ranges in UTF-16 code units, as X's own tools give them. */
typedef struct
{
  guint    weighted_length;
  gboolean valid;
  guint    permillage;
  guint    display_range_end;
  guint    valid_range_end;
  gsize    valid_byte_end;   /* the text up to here fits */
} SdXParse;

const SdXConfig *sd_x_config_v3            (void);

GArray   *sd_x_extract_urls               (const char      *text,
                                           gboolean         without_protocol);
GArray   *sd_x_extract_mentions           (const char      *text,
                                           gboolean         with_lists);
GArray   *sd_x_extract_hashtags           (const char      *text);
GArray   *sd_x_extract_cashtags           (const char      *text);
GArray   *sd_x_extract_entities           (const char      *text);
char     *sd_x_extract_reply              (const char      *text);

void      sd_x_parse                      (const char      *text,
                                           const SdXConfig *config,
                                           SdXParse        *result);

gboolean  sd_x_is_valid_username          (const char      *text);
gboolean  sd_x_is_valid_list              (const char      *text);
gboolean  sd_x_is_valid_hashtag           (const char      *text);
gboolean  sd_x_is_valid_url               (const char      *text,
                                           gboolean         require_protocol);

gboolean  sd_unichar_is_extended_pictographic (gunichar c);
guint     sd_utf16_length                 (const char      *text,
                                           gssize           length);

G_END_DECLS
