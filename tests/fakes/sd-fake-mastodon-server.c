/* sd-fake-mastodon-server.c — the fake Mastodon as a process, for the CLI's and the GUI's tests
 *
 *   sd-fake-mastodon-server [--account NAME:TOKEN]… [--inbox-account NAME] [--seed FILE]
 *
 * Prints one JSON line ({"url", "domain", "accounts": {NAME: ID},
 * "seeded": [ID…]}: each seed's status id, a follow's notification id) and serves on 127.0.0.1
 * until its standard input closes.
 *
 * The inbox (notifications, conversations, context) is for the inbox
 * account: --inbox-account NAME, else the first --account. Seed it either
 * way (both loopback only; the server listens on 127.0.0.1 and nowhere else):
 *
 * - --seed FILE: a JSON array of objects, applied in order, each like a body
 *   of the endpoints below with "kind": "notification" (the default) or "dm".
 * - While running, POST with a JSON body (Content-Type: application/json):
 *     /__test__/notifications  {"type": "mention"|"quote"|"favourite"|"reblog"|"follow",
 *                               "from": "bob" or "bob@remote.example",
 *                               "html": "<p>status content, served as is</p>",
 *                               "in_reply_to_id": "…" (optional; for favourite/reblog
 *                                 the inbox account's status it is about),
 *                               "visibility": "public"|"unlisted"|"private"|"direct",
 *                               "spoiler_text": "…" (optional)}
 *     /__test__/dms            {"from", "html", "in_reply_to_id", "spoiler_text"}:
 *                               a direct status to the inbox account
 *     /__test__/accounts       {"username", "token", "display_name"} (all but username optional)
 *   Each answers {"status_id": "…", "notification_id": "…"} ({"id"} for accounts).
 *   Example: curl -s -H 'Content-Type: application/json' \
 *     -d '{"type":"mention","from":"bob","html":"<p>Hi @alice</p>"}' URL/__test__/notifications
 *
 * New items get ids newer than everything before them, so a client's
 * since_id cursor sees them on its next fetch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "sd-fake-mastodon.h"

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
apply_seed (SdFakeMastodon *fake,
            const char     *path,
            JsonBuilder    *builder)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  if (!json_parser_load_from_file (parser, path, &error)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      fprintf (stderr, "%s: %s\n", path, error != NULL ? error->message : "not a JSON array");
      return FALSE;
    }
  items = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *id = NULL;

      if (item == NULL)
        continue;
      if (g_strcmp0 (member_string (item, "kind"), "dm") == 0)
        id = sd_fake_mastodon_add_dm (fake, member_string (item, "from"), member_string (item, "html"),
                                      member_string (item, "in_reply_to_id"));
      else
        id = sd_fake_mastodon_add_notification (fake, member_string (item, "type"), member_string (item, "from"),
                                                member_string (item, "html"),
                                                member_string (item, "in_reply_to_id"),
                                                member_string (item, "visibility"));
      if (id == NULL)
        {
          fprintf (stderr, "%s: item %u: type and from are required (and an --account)\n", path, i);
          return FALSE;
        }
      if (member_string (item, "spoiler_text") != NULL)
        sd_fake_mastodon_set_spoiler_text (fake, id, member_string (item, "spoiler_text"));
      json_builder_add_string_value (builder, id);
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  SdFakeMastodon *fake = sd_fake_mastodon_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  const char *seed = NULL;
  const char *inbox = NULL;
  char buffer[256];

  sd_fake_mastodon_set_rate_limit (fake, 0);
  sd_fake_mastodon_enable_test_endpoints (fake);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, sd_fake_mastodon_get_url (fake));
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, sd_fake_mastodon_get_domain (fake));
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_object (builder);
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], "--account"))
      {
        g_auto(GStrv) parts = g_strsplit (argv[++i], ":", 2);
        g_autofree char *id = NULL;

        if (parts[0] == NULL || parts[1] == NULL)
          {
            fprintf (stderr, "usage: %s [--account NAME:TOKEN]… [--inbox-account NAME] [--seed FILE]\n", argv[0]);
            return 2;
          }
        id = sd_fake_mastodon_add_account (fake, parts[0], parts[1]);
        if (inbox != NULL && g_str_equal (inbox, parts[0]))
          sd_fake_mastodon_set_inbox_account (fake, id);
        json_builder_set_member_name (builder, parts[0]);
        json_builder_add_string_value (builder, id);
      }
    else if (g_str_equal (argv[i], "--inbox-account"))
      {
        g_autofree char *id = NULL;

        inbox = argv[++i];
        id = sd_fake_mastodon_add_account (fake, inbox, NULL);
        sd_fake_mastodon_set_inbox_account (fake, id);
      }
    else if (g_str_equal (argv[i], "--seed"))
      seed = argv[++i];
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "seeded");
  json_builder_begin_array (builder);
  if (seed != NULL && !apply_seed (fake, seed, builder))
    return 1;
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);
  printf ("%s\n", line);
  fflush (stdout);

  while (read (STDIN_FILENO, buffer, sizeof buffer) > 0)
    ;

  sd_fake_mastodon_free (fake);
  return 0;
}
