/* sd-entity.c — a link, mention, hashtag or cashtag found in a post's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-entity.h"

const char *
sd_entity_type_to_string (SdEntityType type)
{
  static const char *names[] = { "url", "mention", "hashtag", "cashtag" };

  g_return_val_if_fail (type < G_N_ELEMENTS (names), NULL);
  return names[type];
}

static void
entity_clear (gpointer data)
{
  SdEntity *entity = data;

  g_clear_pointer (&entity->value, g_free);
}

GArray *
sd_entity_array_new (void)
{
  GArray *entities = g_array_new (FALSE, FALSE, sizeof (SdEntity));

  g_array_set_clear_func (entities, entity_clear);
  return entities;
}

/* Takes value. */
void
sd_entity_array_add (GArray       *entities,
                     SdEntityType  type,
                     gsize         start,
                     gsize         end,
                     char         *value)
{
  SdEntity entity = { type, start, end, value };

  g_array_append_val (entities, entity);
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  const SdEntity *x = a, *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

/* In reading order; where two overlap, the one that starts first stays. */
void
sd_entity_array_sort_and_drop_overlaps (GArray *entities)
{
  gsize last_end = 0;
  guint i = 0;

  g_array_sort (entities, compare_start);
  while (i < entities->len)
    {
      SdEntity *entity = &g_array_index (entities, SdEntity, i);

      if (i > 0 && entity->start < last_end)
        {
          g_array_remove_index (entities, i);
          continue;
        }
      last_end = entity->end;
      i++;
    }
}
