/* sd-entity.h — a link, mention, hashtag or cashtag found in a post's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SD_ENTITY_URL,
  SD_ENTITY_MENTION,
  SD_ENTITY_HASHTAG,
  SD_ENTITY_CASHTAG,
} SdEntityType;

typedef struct
{
  SdEntityType type;
  gsize        start;  /* UTF-8 byte offsets into the text */
  gsize        end;
  char        *value;  /* normalised: a URL with its scheme, a handle without "@", a tag without "#" */
} SdEntity;

const char *sd_entity_type_to_string (SdEntityType  type);
GArray     *sd_entity_array_new      (void);
void        sd_entity_array_add      (GArray       *entities,
                                      SdEntityType  type,
                                      gsize         start,
                                      gsize         end,
                                      char         *value);
void        sd_entity_array_sort_and_drop_overlaps (GArray *entities);

G_END_DECLS
