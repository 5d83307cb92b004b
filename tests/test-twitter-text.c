/* test-twitter-text.c — X's rules against the whole twitter-text conformance suite
 *
 * Reads ../shared/fixtures/twitter-text/{validate,extract,tlds}.json (beside the
 * checkout); where they are absent the test is skipped with the reason printed.
 * Indices in the suite are UTF-16 code units, as X's own libraries count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "sd-x-text.h"

static guint n_passed, n_failed;

static void
report (gboolean    ok,
        const char *group,
        JsonObject *test,
        const char *detail)
{
  if (ok)
    {
      n_passed++;
      return;
    }
  n_failed++;
  g_print ("FAIL %s: %s\n  text: %s\n  %s\n", group,
           json_object_get_string_member (test, "description"),
           json_object_get_string_member (test, "text"), detail);
}

static char *
strv_to_string (GPtrArray *values)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (out, "%s\"%s\"", i ? ", " : "", (char *) values->pdata[i]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static GPtrArray *
expected_strings (JsonArray *array)
{
  GPtrArray *values = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (values, (gpointer) json_array_get_string_element (array, i));
  return values;
}

static void
compare_values (const char *group,
                JsonObject *test,
                GArray     *entities)
{
  g_autoptr(GPtrArray) expected = expected_strings (json_object_get_array_member (test, "expected"));
  g_autoptr(GPtrArray) actual = g_ptr_array_new ();
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  for (guint i = 0; i < entities->len; i++)
    g_ptr_array_add (actual, g_array_index (entities, SdEntity, i).value);
  want = strv_to_string (expected);
  got = strv_to_string (actual);
  if (g_str_equal (want, got))
    report (TRUE, group, test, NULL);
  else
    {
      g_autofree char *detail = g_strdup_printf ("expected %s, got %s", want, got);
      report (FALSE, group, test, detail);
    }
}

/* Each expected object has the value under value_key and "indices": [start, end]. */
static void
compare_with_indices (const char *group,
                      JsonObject *test,
                      GArray     *entities,
                      const char *value_key)
{
  const char *text = json_object_get_string_member (test, "text");
  JsonArray *expected = json_object_get_array_member (test, "expected");
  GString *want = g_string_new (NULL), *got = g_string_new (NULL);
  g_autofree char *detail = NULL;

  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *e = json_array_get_object_element (expected, i);
      JsonArray *indices = json_object_get_array_member (e, "indices");
      const char *value = json_object_get_string_member (e, value_key);
      const char *list = json_object_has_member (e, "list_slug")
                         ? json_object_get_string_member (e, "list_slug") : "";

      g_string_append_printf (want, "%s%s@%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ", value, list,
                              json_array_get_int_element (indices, 0),
                              json_array_get_int_element (indices, 1));
    }
  for (guint i = 0; i < entities->len; i++)
    {
      SdEntity *e = &g_array_index (entities, SdEntity, i);

      g_string_append_printf (got, "%s@%u-%u ", e->value, sd_utf16_length (text, e->start),
                              sd_utf16_length (text, e->end));
    }

  detail = g_strdup_printf ("expected %s\n  got      %s", want->str, got->str);
  report (g_str_equal (want->str, got->str), group, test, detail);
  g_string_free (want, TRUE);
  g_string_free (got, TRUE);
}

static void
run_extract (JsonObject *tests)
{
  GList *groups = json_object_get_members (tests);

  for (GList *l = groups; l != NULL; l = l->next)
    {
      const char *group = l->data;
      JsonArray *cases = json_object_get_array_member (tests, group);

      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *test = json_array_get_object_element (cases, i);
          const char *text = json_object_get_string_member (test, "text");
          g_autoptr(GArray) found = NULL;

          if (g_str_equal (group, "mentions"))
            compare_values (group, test, found = sd_x_extract_mentions (text, FALSE));
          else if (g_str_equal (group, "mentions_with_indices"))
            compare_with_indices (group, test, found = sd_x_extract_mentions (text, FALSE), "screen_name");
          else if (g_str_equal (group, "mentions_or_lists_with_indices"))
            {
              found = sd_x_extract_mentions (text, TRUE);
              /* Our value is "name/list"; the suite splits it. */
              for (guint k = 0; k < found->len; k++)
                {
                  SdEntity *e = &g_array_index (found, SdEntity, k);
                  char *slash = strchr (e->value, '/');

                  if (slash != NULL)
                    {
                      char *name = g_strndup (e->value, slash - e->value);
                      char *joined = g_strconcat (name, slash, NULL);

                      g_free (name);
                      g_free (e->value);
                      e->value = joined;
                    }
                }
              compare_with_indices (group, test, found, "screen_name");
            }
          else if (g_str_equal (group, "replies"))
            {
              g_autofree char *reply = sd_x_extract_reply (text);
              JsonNode *node = json_object_get_member (test, "expected");
              const char *want = JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
              g_autofree char *detail = g_strdup_printf ("expected %s, got %s", want, reply);

              report (g_strcmp0 (want, reply) == 0, group, test, detail);
            }
          else if (g_str_equal (group, "urls") || g_str_equal (group, "tco_urls_with_params"))
            compare_values (group, test, found = sd_x_extract_urls (text, TRUE));
          else if (g_str_equal (group, "urls_with_indices")
                   || g_str_equal (group, "urls_with_directional_markers"))
            compare_with_indices (group, test, found = sd_x_extract_urls (text, TRUE), "url");
          else if (g_str_equal (group, "hashtags") || g_str_equal (group, "hashtags_from_astral"))
            compare_values (group, test, found = sd_x_extract_hashtags (text));
          else if (g_str_equal (group, "hashtags_with_indices"))
            compare_with_indices (group, test, found = sd_x_extract_hashtags (text), "hashtag");
          else if (g_str_equal (group, "cashtags"))
            compare_values (group, test, found = sd_x_extract_cashtags (text));
          else if (g_str_equal (group, "cashtags_with_indices"))
            compare_with_indices (group, test, found = sd_x_extract_cashtags (text), "cashtag");
          else
            {
              g_print ("FAIL %s: no runner for this group\n", group);
              n_failed++;
              break;
            }
        }
    }

  g_list_free (groups);
}

static SdXConfig *
config_from_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SdXConfig *config = g_new0 (SdXConfig, 1);
  JsonObject *root;
  JsonArray *ranges;
  SdXWeightRange *table;

  if (!json_parser_load_from_file (parser, path, NULL))
    g_error ("cannot read %s", path);
  root = json_node_get_object (json_parser_get_root (parser));
  ranges = json_object_get_array_member (root, "ranges");
  table = g_new0 (SdXWeightRange, json_array_get_length (ranges));
  for (guint i = 0; i < json_array_get_length (ranges); i++)
    {
      JsonObject *r = json_array_get_object_element (ranges, i);

      table[i].start = json_object_get_int_member (r, "start");
      table[i].end = json_object_get_int_member (r, "end");
      table[i].weight = json_object_get_int_member (r, "weight");
    }
  config->max_weighted_length = json_object_get_int_member (root, "maxWeightedTweetLength");
  config->scale = json_object_get_int_member (root, "scale");
  config->default_weight = json_object_get_int_member (root, "defaultWeight");
  config->transformed_url_length = json_object_get_int_member (root, "transformedURLLength");
  config->emoji_parsing = json_object_has_member (root, "emojiParsingEnabled")
                          && json_object_get_boolean_member (root, "emojiParsingEnabled");
  config->ranges = table;
  config->n_ranges = json_array_get_length (ranges);
  return config;
}

static void
check_parse (const char      *group,
             JsonObject      *test,
             const SdXConfig *config)
{
  JsonObject *want = json_object_get_object_member (test, "expected");
  SdXParse got;
  g_autofree char *detail = NULL;

  sd_x_parse (json_object_get_string_member (test, "text"), config, &got);
  detail = g_strdup_printf ("expected length %" G_GINT64_FORMAT " valid %d permillage %" G_GINT64_FORMAT
                            " display 0-%" G_GINT64_FORMAT " valid 0-%" G_GINT64_FORMAT
                            "\n  got      length %u valid %d permillage %u display 0-%u valid 0-%u",
                            json_object_get_int_member (want, "weightedLength"),
                            json_object_get_boolean_member (want, "valid"),
                            json_object_get_int_member (want, "permillage"),
                            json_object_get_int_member (want, "displayRangeEnd"),
                            json_object_get_int_member (want, "validRangeEnd"),
                            got.weighted_length, got.valid, got.permillage,
                            got.display_range_end, got.valid_range_end);
  report (got.weighted_length == json_object_get_int_member (want, "weightedLength")
          && got.valid == json_object_get_boolean_member (want, "valid")
          && got.permillage == json_object_get_int_member (want, "permillage")
          && got.display_range_end == json_object_get_int_member (want, "displayRangeEnd")
          && got.valid_range_end == json_object_get_int_member (want, "validRangeEnd"),
          group, test, detail);
}

static void
run_validate (JsonObject *tests,
              SdXConfig  *v2,
              SdXConfig  *v3)
{
  GList *groups = json_object_get_members (tests);

  for (GList *l = groups; l != NULL; l = l->next)
    {
      const char *group = l->data;
      JsonArray *cases = json_object_get_array_member (tests, group);

      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *test = json_array_get_object_element (cases, i);
          const char *text = json_object_get_string_member (test, "text");
          gboolean got;

          if (g_str_equal (group, "WeightedTweetsCounterTest"))
            {
              check_parse (group, test, v2);
              continue;
            }
          if (g_str_equal (group, "WeightedTweetsWithDiscountedEmojiCounterTest")
              || g_str_equal (group, "UnicodeDirectionalMarkerCounterTest"))
            {
              check_parse (group, test, v3);
              continue;
            }

          if (g_str_equal (group, "tweets"))
            {
              /* These predate weighting: the suite checks them with the 140-character rule. */
              static const SdXConfig v1 = { 140, 1, 1, 23, FALSE, NULL, 0 };
              SdXParse parse;

              sd_x_parse (text, &v1, &parse);
              got = parse.valid;
            }
          else if (g_str_equal (group, "usernames"))
            got = sd_x_is_valid_username (text);
          else if (g_str_equal (group, "lists"))
            got = sd_x_is_valid_list (text);
          else if (g_str_equal (group, "hashtags"))
            got = sd_x_is_valid_hashtag (text);
          else if (g_str_equal (group, "urls"))
            got = sd_x_is_valid_url (text, TRUE);
          else if (g_str_equal (group, "urls_without_protocol"))
            got = sd_x_is_valid_url (text, FALSE);
          else
            {
              g_print ("FAIL %s: no runner for this group\n", group);
              n_failed++;
              break;
            }

          report (got == json_object_get_boolean_member (test, "expected"), group, test,
                  got ? "expected invalid, got valid" : "expected valid, got invalid");
        }
    }

  g_list_free (groups);
}

static void
run_tlds (JsonObject *tests)
{
  GList *groups = json_object_get_members (tests);

  for (GList *l = groups; l != NULL; l = l->next)
    {
      JsonArray *cases = json_object_get_array_member (tests, l->data);

      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *test = json_array_get_object_element (cases, i);
          g_autoptr(GArray) found = sd_x_extract_urls (json_object_get_string_member (test, "text"), TRUE);

          compare_values (l->data, test, found);
        }
    }
  g_list_free (groups);
}

static JsonObject *
load_tests (JsonParser *parser,
            const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tests");
}

int
main (int    argc,
      char **argv)
{
  const char *source = g_getenv ("SD_SOURCE_DIR");
  g_autofree char *dir = NULL;
  g_autoptr(JsonParser) validate = json_parser_new ();
  g_autoptr(JsonParser) extract = json_parser_new ();
  g_autoptr(JsonParser) tlds = json_parser_new ();
  g_autofree char *v2_path = NULL;
  g_autofree char *v3_path = NULL;

  dir = g_build_filename (source != NULL ? source : ".", "..", "shared", "fixtures", "twitter-text", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_print ("SKIP: the twitter-text conformance suite is not at %s "
               "(it lives in ../shared beside the checkout)\n", dir);
      return 77;
    }

  v2_path = g_build_filename (dir, "config-v2.json", NULL);
  v3_path = g_build_filename (dir, "config-v3.json", NULL);

  run_validate (load_tests (validate, dir, "validate.json"),
                config_from_file (v2_path), config_from_file (v3_path));
  run_extract (load_tests (extract, dir, "extract.json"));
  run_tlds (load_tests (tlds, dir, "tlds.json"));

  g_print ("twitter-text conformance: %u passed, %u failed\n", n_passed, n_failed);
  return n_failed == 0 ? 0 : 1;
}
