/* sd-cli-inbox.c — socialdesk-cli inbox … and reply: the unified inbox from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sd-inbox-sync.h"
#include "sd-store.h"
#include "sd-sync.h"

#include "sd-cli-private.h"

#define DEFAULT_LIMIT 50
#define SNIPPET_CHARS 60

static void
add_string (JsonBuilder *builder,
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
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_message_json (JsonBuilder *builder,
                  SdMessage   *message)
{
  GPtrArray *links = sd_message_get_links (message);
  GStrv labels = sd_message_get_labels (message);

  json_builder_begin_object (builder);
  add_string (builder, "id", sd_message_get_id (message));
  add_string (builder, "account", sd_message_get_account_id (message));
  add_string (builder, "network", sd_platform_get_info (sd_message_get_platform (message))->id);
  add_string (builder, "stream", sd_message_get_stream (message));
  add_string (builder, "kind", sd_message_kind_to_string (sd_message_get_kind (message)));
  add_string (builder, "remote_id", sd_message_get_remote_id (message));
  add_string (builder, "parent_remote_id", sd_message_get_parent_remote_id (message));
  add_string (builder, "root_remote_id", sd_message_get_root_remote_id (message));
  add_string (builder, "conversation_id", sd_message_get_conversation_id (message));
  add_string (builder, "author_handle", sd_message_get_author_handle (message));
  add_string (builder, "author_name", sd_message_get_author_name (message));
  add_string (builder, "text", sd_message_get_text (message));
  add_string (builder, "url", sd_message_get_url (message));
  add_string (builder, "audience", sd_message_get_audience (message));
  json_builder_set_member_name (builder, "sent_at");
  json_builder_add_int_value (builder, sd_message_get_sent_at (message));
  add_bool (builder, "read", sd_message_get_is_read (message));
  add_bool (builder, "done", sd_message_get_is_done (message));
  add_bool (builder, "liked", sd_message_get_is_liked (message));
  add_bool (builder, "hidden", sd_message_get_is_hidden (message));
  add_bool (builder, "reviewed", sd_message_get_is_reviewed (message));
  add_string (builder, "reply_post", sd_message_get_reply_post_id (message));
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; i < links->len; i++)
    {
      SdMessageLink *link = links->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_int_value (builder, link->start);
      json_builder_set_member_name (builder, "end");
      json_builder_add_int_value (builder, link->end);
      add_string (builder, "url", link->url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "labels");
  json_builder_begin_array (builder);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    json_builder_add_string_value (builder, labels[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_messages_json (GPtrArray *messages)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    add_message_json (builder, messages->pdata[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

/* Account labels by id, for the table. */
static GHashTable *
account_labels (SdStore *store)
{
  GHashTable *labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) accounts = sd_store_list_accounts (store, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    g_hash_table_insert (labels, g_strdup (sd_account_get_id (accounts->pdata[i])),
                         sd_account_dup_label (accounts->pdata[i]));
  return labels;
}

static void
print_message_row (SdMessage  *message,
                   GHashTable *accounts)
{
  g_autofree char *time = sd_cli_format_local (sd_message_get_sent_at (message));
  g_autofree char *author = sd_message_dup_author_label (message);
  g_autofree char *snippet = sd_message_dup_snippet (message, SNIPPET_CHARS);
  const char *account = g_hash_table_lookup (accounts, sd_message_get_account_id (message));

  /* The text is the network's: printed as it is, never as a format. */
  g_print ("%s %.8s  %s  %-9s  %s  %-8s  %s  %s\n",
           sd_message_get_is_read (message) ? " " : "*",
           sd_message_get_id (message), time,
           sd_platform_get_info (sd_message_get_platform (message))->id,
           account != NULL ? account : "?",
           sd_message_kind_to_string (sd_message_get_kind (message)),
           author, snippet);
}

static gboolean
parse_kinds (GStrv  names,
             guint *kinds)
{
  *kinds = 0;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          SdMessageKind kind;

          if (!sd_message_kind_from_string (g_strstrip (parts[j]), &kind) || !sd_message_kind_is_inbox (kind))
            {
              sd_cli_print_error (_("Unknown kind “%s” (known: mention, reply, quote, comment, dm, activity)."),
                                  parts[j]);
              return FALSE;
            }
          *kinds |= 1u << kind;
        }
    }
  return TRUE;
}

static gboolean
parse_networks (GStrv          names,
                SdPlatformSet *platforms)
{
  *platforms = 0;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *bad = NULL;
      SdPlatformSet set;

      if (!sd_platform_set_parse (names[i], ",", &set, &bad))
        {
          g_autofree char *known = sd_platform_set_to_string (SD_PLATFORM_SET_ALL, ", ");

          sd_cli_print_error (_("Unknown network “%s” (known: %s)."), bad, known);
          return FALSE;
        }
      *platforms |= set;
    }
  return TRUE;
}

static int
inbox_list (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) accounts = NULL;
  g_auto(GStrv) networks = NULL;
  g_auto(GStrv) kinds = NULL;
  g_autofree char *account_name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE, unread = FALSE, done = FALSE, all = FALSE;
  int limit = DEFAULT_LIMIT;
  SdInboxQuery query = { 0 };
  GError *error = NULL;
  guint total;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "unread", 0, 0, G_OPTION_ARG_NONE, &unread, N_("Only unread messages"), NULL },
    { "done", 0, 0, G_OPTION_ARG_NONE, &done, N_("Only messages marked done"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Open and done messages"), NULL },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Only this account (id or handle)"), N_("ACCOUNT") },
    { "network", 0, 0, G_OPTION_ARG_STRING_ARRAY, &networks, N_("Only this network"), N_("NETWORK") },
    { "kind", 0, 0, G_OPTION_ARG_STRING_ARRAY, &kinds, N_("Only this kind (mention, reply, quote, comment, dm, activity)"),
      N_("KIND") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("Only messages with this label"), N_("LABEL") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only messages with these words"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many (default 50)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the inbox, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (done && all)
    return sd_cli_usage_error (context, _("Choose --done or --all, not both."));
  if (limit <= 0)
    return sd_cli_usage_error (context, _("--limit must be a positive number."));
  if (!parse_networks (networks, &query.platforms) || !parse_kinds (kinds, &query.kinds))
    return EXIT_USAGE;

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  if (account_name != NULL)
    {
      if (!(account = sd_store_find_account (store, account_name, &error)))
        return sd_cli_fail (error);
      query.account_id = sd_account_get_id (account);
    }
  query.unread_only = unread;
  query.done = all ? SD_INBOX_ANY : done ? SD_INBOX_DONE : SD_INBOX_OPEN;
  query.label = label;
  query.search = search;

  if (!(messages = sd_store_list_messages (store, &query, 0, (guint) limit, &error)))
    return sd_cli_fail (error);
  if (json)
    {
      print_messages_json (messages);
      return EXIT_SUCCESS;
    }

  total = sd_store_count_messages (store, &query, NULL);
  accounts = account_labels (store);
  for (guint i = 0; i < messages->len; i++)
    print_message_row (messages->pdata[i], accounts);
  if (messages->len == 0)
    g_print ("%s\n", _("No messages."));
  else if (total > messages->len)
    /* Translators: the first %u is how many are shown, the second how many there are. */
    g_print (_("%u of %u shown (--limit N for more).\n"), messages->len, total);
  return EXIT_SUCCESS;
}

static int
inbox_sync (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *account_name = NULL;
  gboolean force = FALSE;
  SdInboxSyncOptions options;
  SdInboxSyncReport report;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Only this account (id or handle)"), N_("ACCOUNT") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Fetch even what was told to wait"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Fetches new messages and sends likes and hides, then exits. "
                                           "Exits with 1 when no network could be reached."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);

  sd_inbox_sync_options_init (&options);
  options.force = force;
  if (account_name != NULL)
    {
      if (!(account = sd_store_find_account (store, account_name, &error)))
        return sd_cli_fail (error);
      options.account_id = sd_account_get_id (account);
    }

  sd_inbox_sync_report_init (&report);
  if (!sd_inbox_sync_run (store, &options, NULL, &report, &error))
    {
      sd_inbox_sync_report_clear (&report);
      return sd_cli_fail (error);
    }

  for (guint i = 0; i < report.problems->len; i++)
    g_print ("%s\n", (const char *) report.problems->pdata[i]);
  if (report.keyring_error != NULL)
    g_print ("%s\n", report.keyring_error);
  g_print (ngettext ("%u new message", "%u new messages", report.n_new), report.n_new);
  g_print (", ");
  g_print (ngettext ("%u action sent.\n", "%u actions sent.\n", report.actions_sent), report.actions_sent);

  status = report.keyring_error != NULL || (report.n_accounts > 0 && report.n_reached == 0)
           ? EXIT_FAILURE : EXIT_SUCCESS;
  sd_inbox_sync_report_clear (&report);
  return status;
}

static int
inbox_show (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(GPtrArray) conversation = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows a message's conversation, oldest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one message id."));
  if (!(store = sd_cli_open_store (&error))
      || !(message = sd_store_get_message (store, argv[1], &error)))
    return sd_cli_fail (error);

  /* What the network has around it, when it can be reached; the store's copy otherwise. */
  if (!sd_inbox_sync_conversation (store, sd_message_get_id (message), NULL, &error))
    {
      sd_cli_print_error ("%s", error->message);
      g_clear_error (&error);
    }
  if (!(conversation = sd_store_list_conversation (store, sd_message_get_id (message), &error)))
    return sd_cli_fail (error);

  if (json)
    {
      print_messages_json (conversation);
      return EXIT_SUCCESS;
    }
  for (guint i = 0; i < conversation->len; i++)
    {
      SdMessage *item = conversation->pdata[i];
      g_autofree char *time = sd_cli_format_local (sd_message_get_sent_at (item));
      g_autofree char *author = sd_message_dup_author_label (item);
      gboolean here = g_strcmp0 (sd_message_get_id (item), sd_message_get_id (message)) == 0;

      g_print ("%s %s  %s  (%s)\n", here ? "▶" : " ", time, author,
               sd_message_kind_get_label (sd_message_get_kind (item)));
      if (sd_message_get_reply_post_id (item) != NULL && sd_message_get_reply_state (item) != SD_POST_STATE_PUBLISHED)
        g_print ("    %s\n", _("(written here, not on the network yet)"));
      g_print ("    %s\n", sd_message_get_text (item) != NULL ? sd_message_get_text (item) : "");
      if (sd_message_get_url (item) != NULL)
        g_print ("    %s\n", sd_message_get_url (item));
    }
  return EXIT_SUCCESS;
}

/* read, unread, done, undone */
static int
inbox_flag (int            argc,
            char         **argv,
            SdMessageFlag  flag,
            gboolean       value)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (argc < 2)
    {
      g_printerr ("socialdesk-cli: %s\n", _("Give one or more message ids."));
      return EXIT_USAGE;
    }
  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(SdMessage) message = sd_store_get_message (store, argv[i], &error);

      if (message == NULL)
        return sd_cli_fail (error);
      g_ptr_array_add (ids, g_strdup (sd_message_get_id (message)));
    }
  g_ptr_array_add (ids, NULL);
  if (!sd_store_set_message_flag (store, (const char * const *) ids->pdata, flag, value, &error))
    return sd_cli_fail (error);
  return EXIT_SUCCESS;
}

static int
inbox_like (int    argc,
            char **argv)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdMessage) message = NULL;
  SdInboxSyncOptions options;
  SdInboxSyncReport report;
  GError *error = NULL;
  int status;

  if (argc != 2)
    {
      g_printerr ("socialdesk-cli: %s\n", _("Usage: socialdesk-cli inbox like ID"));
      return EXIT_USAGE;
    }
  if (!(store = sd_cli_open_store (&error))
      || !(message = sd_store_get_message (store, argv[1], &error)))
    return sd_cli_fail (error);
  if (!(sd_message_get_caps (message) & SD_MESSAGE_CAN_LIKE))
    {
      sd_cli_print_error (_("%s does not let SocialDesk like this message."),
                          sd_platform_get_info (sd_message_get_platform (message))->display_name);
      return EXIT_FAILURE;
    }
  if (!sd_store_queue_message_action (store, sd_message_get_id (message), SD_MESSAGE_ACTION_LIKE, &error))
    return sd_cli_fail (error);

  /* Sent now when the network can be reached; otherwise by the next sync. */
  sd_inbox_sync_options_init (&options);
  options.actions_only = TRUE;
  options.account_id = sd_message_get_account_id (message);
  sd_inbox_sync_report_init (&report);
  if (!sd_inbox_sync_run (store, &options, NULL, &report, &error))
    {
      sd_inbox_sync_report_clear (&report);
      return sd_cli_fail (error);
    }
  for (guint i = 0; i < report.problems->len; i++)
    g_print ("%s\n", (const char *) report.problems->pdata[i]);
  if (report.actions_sent > 0)
    g_print ("%s\n", _("Liked."));
  else
    g_print ("%s\n", _("The like waits for the next sync."));
  status = report.problems->len > 0 && report.actions_sent == 0 ? EXIT_FAILURE : EXIT_SUCCESS;
  sd_inbox_sync_report_clear (&report);
  return status;
}

int
sd_cli_command_inbox (int    argc,
                      char **argv)
{
  static const struct
  {
    const char    *name;
    SdMessageFlag  flag;
    gboolean       value;
  } flags[] = {
    { "read", SD_MESSAGE_FLAG_READ, TRUE },
    { "unread", SD_MESSAGE_FLAG_READ, FALSE },
    { "done", SD_MESSAGE_FLAG_DONE, TRUE },
    { "undone", SD_MESSAGE_FLAG_DONE, FALSE },
  };

  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return inbox_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "sync"))
    return inbox_sync (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return inbox_show (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "like"))
    return inbox_like (argc - 1, argv + 1);
  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (flags); i++)
    if (g_str_equal (argv[1], flags[i].name))
      return inbox_flag (argc - 1, argv + 1, flags[i].flag, flags[i].value);

  g_printerr ("socialdesk-cli: %s\n",
              _("Usage: socialdesk-cli inbox list [--json] [--unread] [--done|--all] [--account ID] "
                "[--network NET] [--kind KIND] [--label L] [--search TEXT] [--limit N] | sync [--account ID] "
                "[--force] | show ID | read|unread|done|undone ID… | like ID"));
  return EXIT_USAGE;
}

/* reply */

int
sd_cli_command_reply (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MESSAGE-ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autofree char *text = NULL;
  g_autofree char *post_id = NULL;
  gboolean no_send = FALSE;
  SdSyncOptions options;
  SdSyncReport report;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The reply (“-” reads standard input)"), N_("TEXT") },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &no_send, N_("Only queue it; the next sync sends it"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Answers a message on its network, as the account it came to."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2 || text == NULL)
    return sd_cli_usage_error (context, _("Give one message id and --text."));
  if (g_str_equal (text, "-"))
    {
      g_free (text);
      if (!(text = sd_cli_read_stdin (&error)))
        return sd_cli_fail (error);
    }

  if (!(store = sd_cli_open_store (&error))
      || !(message = sd_store_get_message (store, argv[1], &error)))
    return sd_cli_fail (error);
  /* Too long for the network, or the like: the rule's own sentence. */
  if (!(post_id = sd_store_queue_reply (store, sd_message_get_id (message), text, &error)))
    return sd_cli_fail (error);
  if (no_send)
    {
      /* Translators: %s is the reply's id. */
      g_print (_("Queued: %s (the next sync sends it).\n"), post_id);
      return EXIT_SUCCESS;
    }

  sd_sync_options_init (&options);
  sd_sync_report_init (&report);
  if (!sd_sync_run (store, &options, NULL, &report, &error))
    {
      sd_sync_report_clear (&report);
      return sd_cli_fail (error);
    }
  for (guint i = 0; i < report.events->len; i++)
    {
      SdSyncEvent *event = report.events->pdata[i];

      if (g_strcmp0 (event->post_id, post_id) != 0)
        continue;
      if (event->outcome == SD_OUTCOME_DONE)
        g_print (_("Published: %s %s\n"), post_id, event->url != NULL ? event->url : "");
      else if (event->outcome == SD_OUTCOME_UNCERTAIN)
        g_print (_("Could not confirm: %s: %s\n"), post_id, event->message);
      else
        g_print (_("Failed: %s: %s\n"), post_id, event->message);
      status = event->outcome == SD_OUTCOME_DONE ? EXIT_SUCCESS : EXIT_FAILURE;
      sd_sync_report_clear (&report);
      return status;
    }
  sd_sync_report_clear (&report);

  post = sd_store_get_post (store, post_id, NULL);
  if (post != NULL && sd_post_get_state (post) == SD_POST_STATE_PUBLISHED)
    g_print (_("Published: %s\n"), post_id);
  else
    /* Translators: %s is the reply's id. */
    g_print (_("Waiting: %s (offline or told to wait; the next sync sends it).\n"), post_id);
  return EXIT_SUCCESS;
}
