/* sd-cli-accounts.c — socialdesk-cli accounts … and sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "sd-account-setup.h"
#include "sd-network.h"
#include "sd-cli-private.h"
#include "sd-sync.h"

#define DEFAULT_SIGN_IN_TIMEOUT 300

GPtrArray *
sd_cli_resolve_accounts (SdStore *store,
                         GStrv    names)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ",", -1);

      for (guint k = 0; parts[k] != NULL; k++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(SdAccount) account = NULL;

          if (parts[k][0] == '\0')
            continue;
          if (!(account = sd_store_find_account (store, parts[k], &error)))
            {
              sd_cli_print_error ("%s", error->message);
              return NULL;
            }
          g_ptr_array_add (ids, g_strdup (sd_account_get_id (account)));
        }
    }
  return g_steal_pointer (&ids);
}

static const char *
state_label (SdAccountState state)
{
  switch (state)
    {
    case SD_ACCOUNT_STATE_NEEDS_SIGN_IN: return _("needs sign-in again");
    case SD_ACCOUNT_STATE_OFFLINE: return _("offline");
    case SD_ACCOUNT_STATE_CONNECTED:
    default: return _("connected");
    }
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_accounts_json (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      SdAccount *account = accounts->pdata[i];

      json_builder_begin_object (builder);
      add_member (builder, "id", sd_account_get_id (account));
      add_member (builder, "network", sd_platform_get_info (sd_account_get_platform (account))->id);
      add_member (builder, "handle", sd_account_get_handle (account));
      add_member (builder, "display_name", sd_account_get_display_name (account));
      add_member (builder, "server", sd_account_get_server_url (account));
      add_member (builder, "remote_id", sd_account_get_remote_id (account));
      add_member (builder, "state", sd_account_state_to_string (sd_account_get_state (account)));
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
accounts_list (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the connected accounts (never their secrets)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (!(store = sd_cli_open_store (&error)) || !(accounts = sd_store_list_accounts (store, &error)))
    return sd_cli_fail (error);

  if (json)
    {
      print_accounts_json (accounts);
      return EXIT_SUCCESS;
    }

  if (accounts->len == 0)
    g_print ("%s\n", _("No accounts are connected. Add one with: socialdesk-cli accounts add NETWORK …"));
  for (guint i = 0; i < accounts->len; i++)
    {
      SdAccount *account = accounts->pdata[i];
      g_autofree char *label = sd_account_dup_label (account);

      g_autofree char *until = NULL;

      if (sd_account_get_token_expires_at (account) > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (sd_account_get_token_expires_at (account));
          g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");

          /* Translators: %s is a date; the account must sign in again by then. */
          until = g_strdup_printf (_("sign in again by %s"), date);
        }
      g_print ("%s  %-9s  %-40s  %s%s%s\n", sd_account_get_id (account),
               sd_platform_get_info (sd_account_get_platform (account))->display_name,
               label, state_label (sd_account_get_state (account)), until != NULL ? " · " : "",
               until != NULL ? until : "");
    }
  return EXIT_SUCCESS;
}

static void
print_connected (SdAccount *account)
{
  g_autofree char *label = sd_account_dup_label (account);

  /* Translators: "Connected @alice.bsky.social (Bluesky) as 3f2a…". */
  g_print (_("Connected %s (%s) as %s.\n"), label,
           sd_platform_get_info (sd_account_get_platform (account))->display_name,
           sd_account_get_id (account));
}

static int
accounts_add_bluesky (GOptionContext *context,
                      const char     *service,
                      const char     *handle,
                      const char     *password_source)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *password = NULL;
  GError *error = NULL;

  if (handle == NULL)
    return sd_cli_usage_error (context, _("--handle is required for Bluesky."));
  if (g_strcmp0 (password_source, "-") != 0)
    return sd_cli_usage_error (context, _("Give the app password on standard input: --app-password -"));

  if (!(password = sd_cli_read_stdin (&error)))
    return sd_cli_fail (error);
  g_strchomp (password);
  if (password[0] == '\0')
    {
      sd_cli_print_error ("%s", _("The app password from standard input is empty."));
      return EXIT_FAILURE;
    }

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  account = sd_account_setup_bluesky (store, service != NULL ? service : "https://bsky.social", handle,
                                      password, NULL, &error);
  explicit_bzero (password, strlen (password));
  if (account == NULL)
    return sd_cli_fail (error);

  print_connected (account);
  return EXIT_SUCCESS;
}

static int
accounts_add_mastodon (GOptionContext *context,
                       const char     *instance,
                       int             timeout)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdMastodonSignIn) sign_in = NULL;
  g_autoptr(SdAccount) account = NULL;
  GError *error = NULL;

  if (instance == NULL)
    return sd_cli_usage_error (context, _("--instance is required for Mastodon (like mastodon.social)."));

  if (!(store = sd_cli_open_store (&error)) || !(sign_in = sd_mastodon_sign_in_new (instance, NULL, &error)))
    return sd_cli_fail (error);

  g_print ("%s\n", _("Open this address in a browser, sign in and allow SocialDesk:"));
  g_print ("%s\n", sd_mastodon_sign_in_get_authorize_url (sign_in));
  g_print (_("Waiting up to %d seconds for the browser to come back…\n"), timeout);
  fflush (stdout);

  if (!(account = sd_mastodon_sign_in_finish (sign_in, store, (guint) timeout, NULL, &error)))
    return sd_cli_fail (error);

  print_connected (account);
  return EXIT_SUCCESS;
}

/* Which of the accounts a sign-in reaches: @choose (a number from 1, or a
 * remote id or handle), else the only one, else asked on standard input. */
static gboolean
pick_identity (GPtrArray   *identities,
               const char  *choose,
               guint       *index,
               GError     **error)
{
  g_autofree char *answer = NULL;

  if (choose == NULL && identities->len == 1)
    {
      *index = 0;
      return TRUE;
    }
  if (choose == NULL)
    {
      char line[256];

      g_print ("%s\n", _("This sign-in reaches several accounts:"));
      for (guint i = 0; i < identities->len; i++)
        {
          SdSignInIdentity *identity = identities->pdata[i];

          g_print ("  %u. %s (%s)\n", i + 1, sd_account_get_display_name (identity->account) != NULL
                                             ? sd_account_get_display_name (identity->account)
                                             : sd_account_get_handle (identity->account),
                   sd_account_get_remote_id (identity->account));
        }
      g_print ("%s ", _("Which one (number)?"));
      fflush (stdout);
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("No account was chosen: give one with --choose."));
          return FALSE;
        }
      answer = g_strstrip (g_strdup (line));
      choose = answer;
    }

  for (guint i = 0; i < identities->len; i++)
    {
      SdSignInIdentity *identity = identities->pdata[i];
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      if (g_str_equal (choose, number)
          || g_strcmp0 (choose, sd_account_get_remote_id (identity->account)) == 0
          || g_strcmp0 (choose, sd_account_get_handle (identity->account)) == 0)
        {
          *index = i;
          return TRUE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is what the person typed. */
               _("“%s” is none of the accounts this sign-in reaches."), choose);
  return FALSE;
}

static int
accounts_add_oauth (SdPlatform  platform,
                    const char *choose,
                    int         timeout)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdOAuthSignIn) sign_in = NULL;
  g_autoptr(SdAccount) account = NULL;
  GPtrArray *identities;
  GError *error = NULL;
  guint index = 0;

  if (!(store = sd_cli_open_store (&error)) || !(sign_in = sd_oauth_sign_in_new (store, platform, NULL, &error)))
    return sd_cli_fail (error);

  g_print ("%s\n", _("Open this address in a browser, sign in and allow SocialDesk:"));
  g_print ("%s\n", sd_oauth_sign_in_get_authorize_url (sign_in));
  g_print (_("Waiting up to %d seconds for the browser to come back…\n"), timeout);
  fflush (stdout);

  if (!(identities = sd_oauth_sign_in_finish (sign_in, (guint) timeout, NULL, &error))
      || !pick_identity (identities, choose, &index, &error)
      || !(account = sd_oauth_sign_in_save (sign_in, store, index, NULL, &error)))
    return sd_cli_fail (error);

  print_connected (account);
  return EXIT_SUCCESS;
}

static int
accounts_add (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NETWORK"));
  g_autofree char *choose = NULL;
  g_autofree char *network = NULL;
  SdPlatform platform;
  g_autofree char *service = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *password = NULL;
  g_autofree char *instance = NULL;
  int timeout = DEFAULT_SIGN_IN_TIMEOUT;
  int status;
  const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service,
      N_("Bluesky: the PDS (default https://bsky.social)"), N_("URL") },
    { "handle", 0, 0, G_OPTION_ARG_STRING, &handle, N_("Bluesky: the handle or email"), N_("HANDLE") },
    { "app-password", 0, 0, G_OPTION_ARG_STRING, &password,
      N_("Bluesky: “-” to read the app password from standard input"), "-" },
    { "instance", 0, 0, G_OPTION_ARG_STRING, &instance,
      N_("Mastodon: the instance (like mastodon.social)"), N_("URL") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("How many seconds to wait for the browser (default 300)"), N_("SECONDS") },
    { "choose", 0, 0, G_OPTION_ARG_STRING, &choose,
      N_("When the sign-in reaches several accounts (Facebook Pages, YouTube channels): which one "
         "(its number, id or handle)"), N_("ACCOUNT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Connects an account. Its password or tokens go to the "
                                           "system keyring only."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  g_option_context_set_description (context, _("Networks: bluesky, mastodon, x, facebook, instagram, "
                                               "linkedin, threads, youtube, tiktok. The last seven need "
                                               "a developer app first: socialdesk-cli apps set NETWORK …"));
  if (argc != 2)
    return sd_cli_usage_error (context, _("Name the network, like bluesky, mastodon or x."));

  if (g_ascii_strcasecmp (argv[1], "bluesky") == 0)
    return accounts_add_bluesky (context, service, handle, password);
  if (g_ascii_strcasecmp (argv[1], "mastodon") == 0)
    return accounts_add_mastodon (context, instance, MAX (timeout, 1));
  network = g_ascii_strdown (argv[1], -1);
  if (sd_platform_from_id (network, &platform) && sd_network_uses_oauth_app (platform))
    return accounts_add_oauth (platform, choose, MAX (timeout, 1));

  return sd_cli_usage_error (context, _("Accounts can be added for bluesky, mastodon, x, facebook, instagram, "
                                        "linkedin, threads, youtube and tiktok."));
}

static int
accounts_remove (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;
  int status;

  g_option_context_set_summary (context, _("Signs an account out: its keyring items are deleted and "
                                           "its waiting posts cancelled."));
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one account id or handle."));

  if (!(store = sd_cli_open_store (&error)) || !(account = sd_store_find_account (store, argv[1], &error))
      || !sd_account_remove (store, sd_account_get_id (account), NULL, &error))
    return sd_cli_fail (error);

  label = sd_account_dup_label (account);
  g_print (_("Removed %s.\n"), label);
  return EXIT_SUCCESS;
}

int
sd_cli_command_accounts (int    argc,
                         char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return accounts_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return accounts_add (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return accounts_remove (argc - 1, argv + 1);

  g_printerr ("socialdesk-cli: %s\n",
              _("Usage: socialdesk-cli accounts list [--json] | add bluesky --service URL --handle HANDLE "
                "--app-password - | add mastodon --instance URL | add NETWORK [--choose ACCOUNT] | remove ID"));
  return EXIT_USAGE;
}

/* sync */

static gint64
grace_from_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE))
      || !g_settings_schema_has_key (schema, "missed-grace-minutes"))
    return SD_OUTBOX_DEFAULT_GRACE_MINUTES * 60;

  settings = g_settings_new_full (schema, NULL, NULL);
  return (gint64) g_settings_get_int (settings, "missed-grace-minutes") * 60;
}

static void
print_report_json (const SdSyncReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
#define COUNT(name) json_builder_set_member_name (builder, #name); json_builder_add_int_value (builder, report->name)
  COUNT (published);
  COUNT (on_server);
  COUNT (failed);
  COUNT (uncertain);
  COUNT (retrying);
  COUNT (held);
#undef COUNT
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->events->len; i++)
    {
      SdSyncEvent *event = report->events->pdata[i];

      json_builder_begin_object (builder);
      add_member (builder, "post", event->post_id);
      add_member (builder, "account", event->account_label);
      add_member (builder, "outcome", event->on_server ? "on-server" : sd_outcome_to_string (event->outcome));
      add_member (builder, "url", event->url);
      add_member (builder, "message", event->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static void
print_report (const SdSyncReport *report)
{
  for (guint i = 0; i < report->events->len; i++)
    {
      SdSyncEvent *event = report->events->pdata[i];

      if (event->outcome == SD_OUTCOME_DONE && event->on_server)
        g_print (_("On %s’s scheduler: %s (%s)\n"), sd_platform_get_info (event->platform)->display_name,
                 event->post_id, event->account_label);
      else if (event->outcome == SD_OUTCOME_DONE)
        g_print (_("Published: %s (%s) %s\n"), event->post_id, event->account_label,
                 event->url != NULL ? event->url : "");
      else if (event->outcome == SD_OUTCOME_UNCERTAIN)
        g_print (_("Could not confirm: %s (%s): %s\n"), event->post_id, event->account_label, event->message);
      else
        g_print (_("Failed: %s (%s): %s\n"), event->post_id, event->account_label, event->message);
    }
  for (guint i = 0; i < report->held_post_ids->len; i++)
    g_print (_("Held (its time passed while SocialDesk was not running): %s\n"),
             (const char *) report->held_post_ids->pdata[i]);
  if (report->keyring_error != NULL)
    g_print ("%s\n", report->keyring_error);

  g_print (_("%u published, %u on the networks’ schedulers, %u failed, %u not confirmed, %u to retry, %u held.\n"),
           report->published, report->on_server, report->failed, report->uncertain, report->retrying, report->held);
}

int
sd_cli_command_sync (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  SdSyncOptions options;
  SdSyncReport report;
  gboolean json = FALSE;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Publishes the posts that are due, then exits (for a timer). "
                                           "Exits with 1 when a post failed or could not be confirmed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);

  sd_sync_options_init (&options);
  options.grace_seconds = grace_from_settings ();
  sd_sync_report_init (&report);
  if (!sd_sync_run (store, &options, NULL, &report, &error))
    {
      sd_sync_report_clear (&report);
      return sd_cli_fail (error);
    }

  if (json)
    print_report_json (&report);
  else
    print_report (&report);

  status = report.failed > 0 || report.uncertain > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
  sd_sync_report_clear (&report);
  return status;
}
