/* sd-fake-mastodon-server.c — the fake Mastodon as a process, for the CLI's tests
 *
 *   sd-fake-mastodon-server [--account NAME:TOKEN]…
 *
 * Prints one JSON line ({"url", "domain", "accounts": {NAME: ID}}) and serves
 * on 127.0.0.1 until its standard input closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "sd-fake-mastodon.h"

int
main (int   argc,
      char *argv[])
{
  SdFakeMastodon *fake = sd_fake_mastodon_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  char buffer[256];

  sd_fake_mastodon_set_rate_limit (fake, 0);

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
            fprintf (stderr, "usage: %s [--account NAME:TOKEN]…\n", argv[0]);
            return 2;
          }
        id = sd_fake_mastodon_add_account (fake, parts[0], parts[1]);
        json_builder_set_member_name (builder, parts[0]);
        json_builder_add_string_value (builder, id);
      }
  json_builder_end_object (builder);
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
