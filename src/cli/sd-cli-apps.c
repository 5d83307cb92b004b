/* sd-cli-apps.c — socialdesk-cli apps …: the developer apps registered with the OAuth networks
 *
 * The client id is kept in the store, the client secret in the keyring; the
 * secret is read from standard input and never printed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sd-cli-private.h"
#include "sd-network.h"
#include "sd-secrets.h"

typedef enum
{
  SECRET_NONE,
  SECRET_KEPT,
  SECRET_UNKNOWN,   /* the keyring could not be read */
} SecretState;

static char *
known_networks (void)
{
  GString *names = g_string_new (NULL);

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    if (sd_network_uses_oauth_app (platform))
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", sd_platform_get_info (platform)->id);
  return g_string_free (names, FALSE);
}

/* NETWORK argument: one of the OAuth networks, else FALSE after printing why. */
static gboolean
parse_network (const char *name,
               SdPlatform *platform)
{
  g_autofree char *known = known_networks ();

  if (!sd_platform_from_id (name, platform) || !sd_network_uses_oauth_app (*platform))
    {
      /* Translators: the first %s is what was typed, the second lists network ids. */
      sd_cli_print_error (_("“%s” is not a network that needs a developer app. These do: %s."), name, known);
      return FALSE;
    }
  return TRUE;
}

static SecretState
secret_state (SdPlatform platform)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = sd_secrets_lookup_network_app (platform, NULL, &error);
  SecretState state = error != NULL ? SECRET_UNKNOWN : secret != NULL ? SECRET_KEPT : SECRET_NONE;

  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  if (error != NULL)
    g_debug ("Keyring for %s: %s", sd_platform_get_info (platform)->id, error->message);
  return state;
}

static void
print_apps_json (SdStore *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *redirect = sd_network_redirect_uri ();

  json_builder_begin_array (builder);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdNetworkInfo *info = sd_network_get_info (platform);
      g_autofree char *client_id = NULL;
      SecretState secret;

      if (info == NULL)
        continue;
      client_id = sd_store_dup_network_app (store, platform, NULL);
      secret = secret_state (platform);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "network");
      json_builder_add_string_value (builder, sd_platform_get_info (platform)->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, sd_platform_get_info (platform)->display_name);
      json_builder_set_member_name (builder, "client_id");
      if (client_id != NULL)
        json_builder_add_string_value (builder, client_id);
      else
        json_builder_add_null_value (builder);
      /* Whether a secret is kept, never the secret: null when the keyring could not tell. */
      json_builder_set_member_name (builder, "client_secret_kept");
      if (secret == SECRET_UNKNOWN)
        json_builder_add_null_value (builder);
      else
        json_builder_add_boolean_value (builder, secret == SECRET_KEPT);
      json_builder_set_member_name (builder, "needs_client_secret");
      json_builder_add_boolean_value (builder, info->needs_client_secret);
      json_builder_set_member_name (builder, "register_url");
      json_builder_add_string_value (builder, info->register_url);
      json_builder_set_member_name (builder, "redirect_uri");
      json_builder_add_string_value (builder, redirect);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
apps_list (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autofree char *redirect = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the developer app set for each network that needs one "
                                           "(its client id, and whether a secret is kept; never the secret)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return sd_cli_usage_error (context, _("Unexpected argument."));

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);

  if (json)
    {
      print_apps_json (store);
      return EXIT_SUCCESS;
    }

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const SdNetworkInfo *info = sd_network_get_info (platform);
      g_autofree char *client_id = NULL;
      const char *secret_label;

      if (info == NULL)
        continue;
      client_id = sd_store_dup_network_app (store, platform, NULL);
      switch (secret_state (platform))
        {
        case SECRET_KEPT:
          secret_label = _("secret kept");
          break;
        case SECRET_UNKNOWN:
          secret_label = _("secret unknown (no keyring)");
          break;
        case SECRET_NONE:
        default:
          secret_label = info->needs_client_secret ? _("no secret (needed)") : _("no secret");
          break;
        }
      g_print ("%-10s  %-40s  %s\n", sd_platform_get_info (platform)->id,
               client_id != NULL ? client_id : _("not set"), secret_label);
    }

  redirect = sd_network_redirect_uri ();
  g_print ("\n");
  /* Translators: %s is a URL such as http://127.0.0.1:43117/socialdesk/oauth. */
  g_print (_("Register this redirect address with each app: %s"), redirect);
  g_print ("\n");
  return EXIT_SUCCESS;
}

static int
apps_set (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NETWORK"));
  g_autoptr(SdStore) store = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  SdPlatform platform;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("The app's client id (TikTok calls it the client key)"), N_("ID") },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret,
      N_("“-” reads the app's client secret from standard input (it is kept in the keyring)"), "-" },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sets the developer app SocialDesk signs in to a network with."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one network."));
  if (client_id == NULL || g_strstrip (client_id)[0] == '\0')
    return sd_cli_usage_error (context, _("--client-id is required."));
  if (client_secret != NULL && !g_str_equal (client_secret, "-"))
    return sd_cli_usage_error (context, _("--client-secret takes only “-”: the secret is read from "
                                          "standard input, so it stays out of the process list and "
                                          "the shell's history."));
  if (!parse_network (argv[1], &platform))
    return EXIT_USAGE;

  if (client_secret != NULL)
    {
      g_free (client_secret);
      if (!(client_secret = sd_cli_read_stdin (&error)))
        return sd_cli_fail (error);
      g_strstrip (client_secret);
      if (client_secret[0] == '\0')
        {
          sd_cli_print_error ("%s", _("The client secret from standard input is empty."));
          return EXIT_FAILURE;
        }
    }

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  /* The secret first: without a keyring nothing is changed. */
  if (client_secret != NULL)
    {
      gboolean kept = sd_secrets_store_network_app (platform, client_secret, NULL, &error);

      explicit_bzero (client_secret, strlen (client_secret));
      if (!kept)
        return sd_cli_fail (error);
    }
  if (!sd_store_set_network_app (store, platform, client_id, &error))
    return sd_cli_fail (error);
  return EXIT_SUCCESS;
}

static int
apps_remove (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NETWORK"));
  g_autoptr(SdStore) store = NULL;
  SdPlatform platform;
  GError *error = NULL;
  int status;

  g_option_context_set_summary (context, _("Forgets a network's developer app: its client id and, "
                                           "in the keyring, its secret."));
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one network."));
  if (!parse_network (argv[1], &platform))
    return EXIT_USAGE;

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  /* The secret first: if the keyring cannot be reached, the app stays as it was. */
  if (!sd_secrets_clear_network_app (platform, NULL, &error)
      || !sd_store_set_network_app (store, platform, NULL, &error))
    return sd_cli_fail (error);
  return EXIT_SUCCESS;
}

int
sd_cli_command_apps (int    argc,
                     char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return apps_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "set"))
    return apps_set (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return apps_remove (argc - 1, argv + 1);

  g_printerr ("socialdesk-cli: %s\n",
              _("Usage: socialdesk-cli apps list [--json] | set NETWORK --client-id ID [--client-secret -] "
                "| remove NETWORK"));
  return EXIT_USAGE;
}
