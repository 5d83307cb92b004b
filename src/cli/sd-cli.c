/* sd-cli.c — socialdesk-cli: SocialDesk's posts from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sd-ics.h"
#include "sd-import.h"
#include "sd-post-json.h"
#include "sd-schedule.h"
#include "sd-store.h"
#include "sd-text.h"
#include "sd-thread.h"
#include "sd-time.h"
#include "sd-x-text.h"

#include "sd-cli-private.h"


int
sd_cli_fail (GError *error)
{
  g_printerr ("socialdesk-cli: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

/* "socialdesk-cli: message" on standard error. */
void
sd_cli_print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("socialdesk-cli: %s\n", message);
}

/* --platform values (each may be "x,bluesky"); says which name is unknown. */
static gboolean
parse_platform_names (GStrv          names,
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

/* --from and --to: whole local days, or times; either may be missing. */
static gboolean
parse_range (const char  *from,
             const char  *to,
             SdPostQuery *query)
{
  query->has_range = from != NULL || to != NULL;
  query->from = G_MININT64;
  query->to = G_MAXINT64;

  if (from != NULL && !sd_time_parse_date (from, NULL, SD_TIME_START_OF_DAY, &query->from))
    {
      sd_cli_print_error (_("“%s” is not a date (like 2026-12-10) or an ISO-8601 time."), from);
      return FALSE;
    }
  if (to != NULL && !sd_time_parse_date (to, NULL, SD_TIME_END_OF_DAY, &query->to))
    {
      sd_cli_print_error (_("“%s” is not a date (like 2026-12-10) or an ISO-8601 time."), to);
      return FALSE;
    }

  return TRUE;
}

int
sd_cli_usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("socialdesk-cli: %s\n\n", message);
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s", help);
  return EXIT_USAGE;
}

SdStore *
sd_cli_open_store (GError **error)
{
  return sd_store_open (NULL, error);
}

/* The best times the user set in the app's Preferences, when its settings are installed. */
static void
load_best_times (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) best_times = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE))
      || !g_settings_schema_has_key (schema, "best-times"))
    return;

  settings = g_settings_new_full (schema, NULL, NULL);
  best_times = g_settings_get_value (settings, "best-times");
  sd_schedule_load_best_times (best_times);
}

gboolean
sd_cli_parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = sd_cli_usage_error (context, error->message);
      return FALSE;
    }

  return TRUE;
}

char *
sd_cli_read_stdin (GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error) < 0
      || !g_output_stream_write_all (out, "", 1, NULL, NULL, error)
      || !g_output_stream_close (out, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* draft add */

/* --media and --public-url in the order given: an address belongs to the file before it. */
typedef struct
{
  GPtrArray *media;         /* MediaArg */
} DraftArgs;

typedef struct
{
  char *file;
  char *public_url;
} MediaArg;

static void
media_arg_free (MediaArg *arg)
{
  g_free (arg->file);
  g_free (arg->public_url);
  g_free (arg);
}

static gboolean
media_cb (const char  *option_name,
          const char  *value,
          gpointer     data,
          GError     **error)
{
  DraftArgs *args = data;
  MediaArg *arg = g_new0 (MediaArg, 1);

  arg->file = g_strdup (value);
  g_ptr_array_add (args->media, arg);
  return TRUE;
}

static gboolean
public_url_cb (const char  *option_name,
               const char  *value,
               gpointer     data,
               GError     **error)
{
  DraftArgs *args = data;
  MediaArg *last = args->media->len > 0 ? g_ptr_array_index (args->media, args->media->len - 1) : NULL;

  if (last == NULL || last->public_url != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--public-url gives the address of the --media before it: put it right after "
                             "that --media (once per file)."));
      return FALSE;
    }
  last->public_url = g_strdup (value);
  return TRUE;
}

static gboolean
is_option_key (const char *key)
{
  static const char * const keys[] = {
    SD_OPTION_TITLE, SD_OPTION_TAGS, SD_OPTION_PRIVACY, SD_OPTION_MADE_FOR_KIDS,
    SD_OPTION_ALLOW_COMMENT, SD_OPTION_ALLOW_DUET, SD_OPTION_ALLOW_STITCH,
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (key, keys[i]))
      return TRUE;
  return FALSE;
}

/* --option [NETWORK:]KEY=VALUE: on every network the draft is for, or the one named. */
static gboolean
apply_options (SdPost        *post,
               GStrv          options,
               SdPlatformSet  targets)
{
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      const char *equals = strchr (options[i], '=');
      const char *colon = strchr (options[i], ':');
      g_autofree char *key = NULL;
      SdPlatformSet on = targets;

      if (equals == NULL || equals == options[i])
        {
          /* Translators: %s is what was given to --option. */
          sd_cli_print_error (_("--option takes KEY=VALUE (or NETWORK:KEY=VALUE), not “%s”."), options[i]);
          return FALSE;
        }
      if (colon != NULL && colon < equals)
        {
          g_autofree char *network = g_strndup (options[i], colon - options[i]);
          SdPlatform platform;

          if (!sd_platform_from_id (network, &platform))
            {
              sd_cli_print_error (_("Unknown network “%s”."), network);
              return FALSE;
            }
          on = 1u << platform;
          key = g_strndup (colon + 1, equals - colon - 1);
        }
      else
        key = g_strndup (options[i], equals - options[i]);

      if (!is_option_key (key))
        {
          /* Translators: %s is an option's name; the list after it is not translated. */
          sd_cli_print_error (_("Unknown option “%s”. Known: title, tags, privacy, made-for-kids, "
                                "allow-comment, allow-duet, allow-stitch."), key);
          return FALSE;
        }
      if (on == 0)
        {
          sd_cli_print_error ("%s", _("--option needs the networks it is for: give --platform or --to."));
          return FALSE;
        }
      for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
        if (sd_platform_set_contains (on, platform))
          sd_post_set_option (post, platform, key, equals + 1);
    }
  return TRUE;
}

/* The networks of the --to accounts. */
static gboolean
account_platforms (SdStore       *store,
                   GPtrArray     *account_ids,
                   SdPlatformSet *platforms)
{
  for (guint i = 0; account_ids != NULL && i < account_ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdAccount) account = sd_store_find_account (store, account_ids->pdata[i], &error);

      if (account == NULL)
        {
          sd_cli_print_error ("%s", error->message);
          return FALSE;
        }
      *platforms |= 1u << sd_account_get_platform (account);
    }
  return TRUE;
}

static int
command_draft_add (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autofree char *text = NULL;
  g_autofree char *at = NULL;
  g_auto(GStrv) platform_names = NULL;
  SdPlatformSet platforms = 0;
  gint64 scheduled_at = SD_POST_NO_TIME;
  gboolean thread = FALSE, numbering = FALSE;
  g_autoptr(GPtrArray) media = g_ptr_array_new_with_free_func ((GDestroyNotify) media_arg_free);
  DraftArgs args = { media };
  GOptionGroup *group;
  g_auto(GStrv) options = NULL;
  g_auto(GStrv) alts = NULL;
  g_auto(GStrv) to = NULL;
  g_autoptr(GPtrArray) account_ids = NULL;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to,
      N_("An account to publish to, by handle or id (repeat for more; see accounts list)"), N_("ACCOUNT") },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text,
      N_("The post's text (\"-\" reads it from standard input)"), N_("TEXT") },
    { "media", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, media_cb,
      N_("An image or a video to attach (repeat for more; SocialDesk keeps a copy)"), N_("FILE") },
    { "public-url", 0, 0, G_OPTION_ARG_CALLBACK, public_url_cb,
      N_("Where the network may fetch the --media just before (Instagram, Threads and TikTok photos "
         "need one)"), N_("URL") },
    { "option", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options,
      N_("A network option such as title=… or privacy=… (NETWORK:KEY=VALUE for one network; repeat for more)"),
      N_("KEY=VALUE") },
    { "alt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &alts,
      N_("Alt text for the images and videos, in the same order as --media"), N_("TEXT") },
    { "thread", 0, 0, G_OPTION_ARG_NONE, &thread,
      N_("Split a text too long for X, Bluesky, Mastodon or Threads into a thread"), NULL },
    { "numbering", 0, 0, G_OPTION_ARG_NONE, &numbering,
      N_("Number the thread's posts (1/3, 2/3, 3/3)"), NULL },
    { "platform", 0, 0, G_OPTION_ARG_STRING_ARRAY, &platform_names,
      N_("A network the post is meant for (repeat for more)"), N_("NAME") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("When to publish: ISO-8601 (local time unless it has an offset), or “now”"), N_("TIME") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a draft and prints its id. With --to and --at it is "
                                           "scheduled on those accounts at once."));
  group = g_option_group_new (NULL, NULL, NULL, &args, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (argc > 1)
    return sd_cli_usage_error (context, _("Unexpected argument; quote the text and pass it with --text."));
  if (text == NULL)
    return sd_cli_usage_error (context, _("--text is required."));

  if (g_str_equal (text, "-"))
    {
      g_free (text);
      if (!(text = sd_cli_read_stdin (&error)))
        return sd_cli_fail (error);
      g_strchomp (text);
      if (text[0] == '\0')
        {
          sd_cli_print_error ("%s", _("The text from standard input is empty."));
          return EXIT_FAILURE;
        }
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      sd_cli_print_error ("%s", _("The text is not valid UTF-8."));
      return EXIT_FAILURE;
    }

  if (!parse_platform_names (platform_names, &platforms))
    return EXIT_FAILURE;

  if (at != NULL && !sd_cli_parse_at (at, &scheduled_at))
    return EXIT_FAILURE;

  if (!(store = sd_cli_open_store (&error)))
    return sd_cli_fail (error);
  if (to != NULL && !(account_ids = sd_cli_resolve_accounts (store, to)))
    return EXIT_FAILURE;
  /* The accounts' networks are the post's too (their variants hold the options). */
  if (!account_platforms (store, account_ids, &platforms))
    return EXIT_FAILURE;

  post = sd_post_new ();
  sd_post_set_text (post, text);
  sd_post_set_platforms (post, platforms);
  sd_post_set_scheduled_at (post, scheduled_at);
  sd_post_set_thread_auto (post, thread);
  sd_post_set_thread_numbering (post, numbering);
  if (!apply_options (post, options, platforms))
    return EXIT_FAILURE;

  for (guint i = 0; i < media->len; i++)
    {
      MediaArg *arg = media->pdata[i];
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg->file);
      g_autoptr(SdAttachment) attachment = sd_store_import_media (store, file, &error);

      if (attachment == NULL)
        return sd_cli_fail (error);
      if (alts != NULL && i < g_strv_length (alts))
        sd_attachment_set_alt_text (attachment, alts[i]);
      sd_attachment_set_public_url (attachment, arg->public_url);
      if (!sd_post_add_attachment (post, attachment))
        {
          sd_cli_print_error (_("“%s” is the same image as one given before; a post takes each image once."),
                       arg->file);
          return EXIT_FAILURE;
        }
    }

  /* Bound to accounts, a post with a time is scheduled for real (and must
   * be ready): written as a draft first, so nothing is lost if it is not. */
  if (account_ids != NULL)
    sd_post_set_scheduled_at (post, SD_POST_NO_TIME);
  if (!sd_store_save_post (store, post, &error))
    return sd_cli_fail (error);
  if (account_ids != NULL
      && (!sd_store_set_post_accounts (store, sd_post_get_id (post), account_ids, &error)
          || (scheduled_at != SD_POST_NO_TIME
              && !sd_store_schedule_post (store, sd_post_get_id (post), scheduled_at, &error))))
    {
      g_print ("%s\n", sd_post_get_id (post));
      return sd_cli_fail (error);
    }

  g_print ("%s\n", sd_post_get_id (post));
  return EXIT_SUCCESS;
}

static int
command_draft (int    argc,
               char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return command_draft_add (argc - 1, argv + 1);

  g_printerr ("socialdesk-cli: %s\n", _("Usage: socialdesk-cli draft add --text TEXT "
                                        "[--platform NAME]… [--to ACCOUNT]… [--at TIME|now] "
                                        "[--media FILE [--public-url URL]]… [--option KEY=VALUE]…"));
  return EXIT_USAGE;
}

/* list and show */

char *
sd_cli_format_local (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

gboolean
sd_cli_parse_at (const char *text,
                 gint64     *time)
{
  if (g_ascii_strcasecmp (text, "now") == 0)
    {
      *time = sd_time_now ();
      return TRUE;
    }
  if (sd_time_parse_iso8601 (text, NULL, time))
    return TRUE;

  sd_cli_print_error (_("“%s” is not an ISO-8601 date and time (like 2026-12-10T09:00:00+07:00) or “now”."),
                      text);
  return FALSE;
}

static char *
first_line (const char *text,
            guint       max_chars)
{
  g_autofree char *line = g_strndup (text, strcspn (text, "\r\n"));

  if (g_utf8_strlen (line, -1) <= max_chars)
    return g_steal_pointer (&line);

  g_autofree char *start = g_utf8_substring (line, 0, max_chars - 1);

  return g_strconcat (start, "…", NULL);
}

static void
print_post_line (SdPost *post)
{
  g_autofree char *when = NULL;
  g_autofree char *platforms = sd_platform_set_to_string (sd_post_get_platforms (post), ",");
  g_autofree char *snippet = first_line (sd_post_get_text (post), 60);

  if (sd_post_get_scheduled_at (post) != SD_POST_NO_TIME)
    when = sd_cli_format_local (sd_post_get_scheduled_at (post));

  g_print ("%s  %-9s  %-16s  %-20s  %s\n",
           sd_post_get_id (post),
           sd_post_state_to_string (sd_post_get_state (post)),
           when != NULL ? when : "-",
           platforms[0] != '\0' ? platforms : "-",
           snippet);
}

static int
command_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean json = FALSE;
  SdPostQuery query = { 0, };
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Only posts planned from this date or time on"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Only posts planned up to this date (inclusive) or time"), N_("DATE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists posts, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return sd_cli_usage_error (context, _("Unexpected argument."));

  if (!parse_range (from, to, &query))
    return EXIT_FAILURE;

  if (!(store = sd_cli_open_store (&error)) || !(posts = sd_store_list_posts (store, &query, &error)))
    return sd_cli_fail (error);

  if (json)
    {
      g_autofree char *out = sd_posts_to_json (posts);

      g_print ("%s\n", out);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < posts->len; i++)
    print_post_line (g_ptr_array_index (posts, i));

  return EXIT_SUCCESS;
}

static SdPost *
find_post (SdStore     *store,
           const char  *id,
           GError     **error)
{
  g_autofree char *full_id = sd_store_resolve_id (store, id, error);

  if (full_id == NULL)
    return NULL;

  return sd_store_get_post (store, full_id, error);
}

static void
print_post_details (SdPost *post)
{
  g_autofree char *platforms = sd_platform_set_to_string (sd_post_get_platforms (post), ", ");
  g_autofree char *created = sd_cli_format_local (sd_post_get_created_at (post));
  g_autofree char *updated = sd_cli_format_local (sd_post_get_updated_at (post));
  g_autofree char *when = NULL;

  if (sd_post_get_scheduled_at (post) != SD_POST_NO_TIME)
    when = sd_cli_format_local (sd_post_get_scheduled_at (post));

  g_print ("%-10s %s\n", _("ID:"), sd_post_get_id (post));
  g_print ("%-10s %s\n", _("State:"), sd_post_state_to_string (sd_post_get_state (post)));
  g_print ("%-10s %s\n", _("Time:"), when != NULL ? when : _("not set"));
  g_print ("%-10s %s\n", _("Networks:"), platforms[0] != '\0' ? platforms : _("none yet"));
  g_print ("%-10s %s\n", _("Created:"), created);
  g_print ("%-10s %s\n", _("Updated:"), updated);
  g_print ("\n%s\n", sd_post_get_text (post));
}

static int
command_show (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPost) post = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows one post (the start of its id is enough)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one post id."));

  if (!(store = sd_cli_open_store (&error)) || !(post = find_post (store, argv[1], &error)))
    return sd_cli_fail (error);

  if (json)
    {
      g_autofree char *out = sd_post_to_json (post);

      g_print ("%s\n", out);
    }
  else
    {
      print_post_details (post);
    }

  return EXIT_SUCCESS;
}

static int
command_delete (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;
  int status;

  g_option_context_set_summary (context, _("Deletes one post for good."));
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one post id."));

  if (!(store = sd_cli_open_store (&error))
      || !(id = sd_store_resolve_id (store, argv[1], &error))
      || !sd_store_delete_post (store, id, &error))
    return sd_cli_fail (error);

  return EXIT_SUCCESS;
}

static int
command_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  guint n_imported = 0;
  int status;

  g_option_context_set_summary (context,
                                _("Adds posts from a CSV file with the columns scheduled_at, "
                                  "text and platforms (separated by “;”). If any row is bad, "
                                  "nothing is imported."));
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one CSV file."));

  file = g_file_new_for_commandline_arg (argv[1]);
  if (!(store = sd_cli_open_store (&error)) || !sd_import_csv_file (store, file, &n_imported, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      sd_cli_print_error (_("Nothing was imported from “%s”:"), name);
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return EXIT_FAILURE;
    }

  g_print (ngettext ("Imported %u post.\n", "Imported %u posts.\n", n_imported), n_imported);
  return EXIT_SUCCESS;
}

/* move, schedule and unschedule */

/* Gives a post its new time, or takes its time away with SD_POST_NO_TIME. As in the app, a time
 * that has passed is refused. @published_message, if not NULL, says why a published post keeps
 * its time instead of the store's words (which speak of moving). Prints only errors. */
static int
set_post_time (SdStore    *store,
               SdPost     *post,
               gint64      when,
               const char *published_message)
{
  GError *error = NULL;

  if (when != SD_POST_NO_TIME && when < sd_time_now ())
    {
      sd_cli_print_error ("%s", _("That time has passed; pick a later one."));
      return EXIT_FAILURE;
    }

  if (!sd_store_move_post (store, sd_post_get_id (post), when, NULL, &error))
    {
      if (published_message != NULL
          && g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_PUBLISHED))
        {
          g_error_free (error);
          sd_cli_print_error ("%s", published_message);
          return EXIT_FAILURE;
        }
      return sd_cli_fail (error);
    }

  return EXIT_SUCCESS;
}

static int
command_move (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autofree char *to = NULL;
  g_autofree char *when_text = NULL;
  gboolean unschedule = FALSE;
  gint64 when = SD_POST_NO_TIME;
  GError *error = NULL;
  int status, year, month, day;
  char tail;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("A day (keeps the time of day, or takes the networks' best time) or an ISO-8601 time"),
      N_("DATE|TIME") },
    { "unschedule", 0, 0, G_OPTION_ARG_NONE, &unschedule, N_("Take the post's time away"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Moves a post to another day or time; its waiting "
                                           "sends move with it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one post id."));
  if ((to == NULL) == !unschedule)
    return sd_cli_usage_error (context, _("Give either --to or --unschedule."));

  if (!(store = sd_cli_open_store (&error)) || !(post = find_post (store, argv[1], &error)))
    return sd_cli_fail (error);

  if (to != NULL)
    {
      /* A day keeps the local time of day (across DST); an unscheduled post gets its
       * networks' next best time on that day, as set in Preferences. */
      load_best_times ();
      if (sscanf (to, "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3 && strlen (to) == 10
          && g_date_valid_dmy (day, month, year))
        when = sd_post_get_scheduled_at (post) != SD_POST_NO_TIME
               ? sd_schedule_move_to_day (sd_post_get_scheduled_at (post), year, month, day, NULL)
               : sd_schedule_next_best_time (sd_post_get_platforms (post), year, month, day,
                                             sd_time_now (), NULL);
      else if (!sd_time_parse_iso8601 (to, NULL, &when))
        {
          sd_cli_print_error (_("“%s” is not a date (like 2026-12-10) or an ISO-8601 time."), to);
          return EXIT_FAILURE;
        }
    }

  if ((status = set_post_time (store, post, when, NULL)) != EXIT_SUCCESS)
    return status;

  if (when == SD_POST_NO_TIME)
    g_print ("%s\n", _("The post has no time now."));
  else
    {
      when_text = sd_cli_format_local (when);
      g_print (_("Moved to %s.\n"), when_text);
    }
  return EXIT_SUCCESS;
}

/* schedule and unschedule say this instead of the store's "cannot be moved". */
static const char *published_keeps_its_time =
  N_("A published post keeps the time it went out at; duplicate it in SocialDesk to post it again.");

static int
command_schedule (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPost) post = NULL;
  g_autoptr(GPtrArray) account_ids = NULL;
  g_autofree char *at = NULL;
  g_autofree char *when_text = NULL;
  g_auto(GStrv) to = NULL;
  gint64 when = SD_POST_NO_TIME;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("When to publish: ISO-8601 (local time unless it has an offset), or “now”"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to,
      N_("An account to publish to, by handle or id (repeat for more); replaces the post's accounts"),
      N_("ACCOUNT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Schedules a post on its accounts (or those given with "
                                           "--to); the post must be ready for each. A post without "
                                           "accounts only gets its time on the calendar."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one post id."));
  if (at == NULL)
    return sd_cli_usage_error (context, _("--at is required."));
  if (!sd_cli_parse_at (at, &when))
    return EXIT_FAILURE;

  if (!(store = sd_cli_open_store (&error)) || !(post = find_post (store, argv[1], &error)))
    return sd_cli_fail (error);

  if (to != NULL)
    {
      if (!(account_ids = sd_cli_resolve_accounts (store, to)))
        return EXIT_FAILURE;
      if (!sd_store_set_post_accounts (store, sd_post_get_id (post), account_ids, &error))
        return sd_cli_fail (error);
    }
  else if (!(account_ids = sd_store_list_post_accounts (store, sd_post_get_id (post), &error)))
    return sd_cli_fail (error);

  if (account_ids->len > 0)
    {
      if (!sd_store_schedule_post (store, sd_post_get_id (post), when, &error))
        return sd_cli_fail (error);
    }
  else
    {
      status = set_post_time (store, post, when, _(published_keeps_its_time));
      if (status != EXIT_SUCCESS)
        return status;
    }

  when_text = sd_cli_format_local (when);
  if (account_ids->len > 0)
    g_print (ngettext ("Scheduled for %s on %u account.\n", "Scheduled for %s on %u accounts.\n",
                       account_ids->len), when_text, account_ids->len);
  else
    g_print (_("Scheduled for %s.\n"), when_text);
  return EXIT_SUCCESS;
}

static int
command_unschedule (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPost) post = NULL;
  GError *error = NULL;
  int status;

  g_option_context_set_summary (context, _("Takes a post's time away; the post itself stays."));
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sd_cli_usage_error (context, _("Give one post id."));

  if (!(store = sd_cli_open_store (&error)) || !(post = find_post (store, argv[1], &error)))
    return sd_cli_fail (error);

  status = set_post_time (store, post, SD_POST_NO_TIME, _(published_keeps_its_time));
  if (status != EXIT_SUCCESS)
    return status;

  g_print ("%s\n", _("The post has no time now."));
  return EXIT_SUCCESS;
}

/* export */

static int
command_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autofree char *path = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *ics = NULL;
  g_auto(GStrv) platform_names = NULL;
  SdPlatformSet only = 0;
  SdPostQuery query = { 0, };
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "ics", 0, 0, G_OPTION_ARG_FILENAME, &path, N_("The iCalendar file to write"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Only posts planned from this date or time on"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Only posts planned up to this date (inclusive) or time"), N_("DATE") },
    { "platform", 0, 0, G_OPTION_ARG_STRING_ARRAY, &platform_names,
      N_("Only posts meant for this network (repeat for more)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Writes the planned posts as an iCalendar file that "
                                           "GNOME Calendar and other calendar apps open."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (path == NULL)
    return sd_cli_usage_error (context, _("--ics is required."));
  if (argc > 1)
    return sd_cli_usage_error (context, _("Unexpected argument."));

  if (!parse_platform_names (platform_names, &only))
    return EXIT_FAILURE;

  /* Only posts with a time go into a calendar. */
  if (!parse_range (from, to, &query))
    return EXIT_FAILURE;
  query.has_range = TRUE;

  if (!(store = sd_cli_open_store (&error)) || !(posts = sd_store_list_posts (store, &query, &error)))
    return sd_cli_fail (error);

  chosen = sd_ics_select_posts (posts, only != 0 ? only : SD_PLATFORM_SET_ALL);
  ics = sd_ics_from_posts (chosen, sd_time_now ());
  if (!g_file_set_contents (path, ics, -1, &error))
    return sd_cli_fail (error);

  g_print (ngettext ("Exported %u post to %s.\n", "Exported %u posts to %s.\n", chosen->len),
           chosen->len, path);
  return EXIT_SUCCESS;
}

/* count */

static char *
count_to_json (SdTextCount *count,
               const char  *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "platform");
  json_builder_add_string_value (builder, sd_platform_get_info (count->platform)->id);
  json_builder_set_member_name (builder, "length");
  json_builder_add_int_value (builder, count->length);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, count->limit);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, count->remaining);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, sd_text_unit_name (count->platform));
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, count->valid);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < count->problems->len; i++)
    {
      g_autofree char *message = sd_text_problem_describe (g_array_index (count->problems, SdTextProblem, i),
                                                           count);
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "entities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < count->entities->len; i++)
    {
      SdEntity *e = &g_array_index (count->entities, SdEntity, i);
      g_autofree char *written = g_strndup (text + e->start, e->end - e->start);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, sd_entity_type_to_string (e->type));
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, written);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, e->value);
      json_builder_set_member_name (builder, "byte_start");
      json_builder_add_int_value (builder, e->start);
      json_builder_set_member_name (builder, "byte_end");
      json_builder_add_int_value (builder, e->end);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
print_count (SdTextCount *count,
             const char  *text)
{
  const char *name = sd_platform_get_info (count->platform)->display_name;

  if (count->valid)
    g_print (_("%s: %u of %u (%s), %d left, valid\n"), name, count->length, count->limit,
             sd_text_unit_name (count->platform), count->remaining);
  else
    g_print (_("%s: %u of %u (%s), %d left, not valid\n"), name, count->length, count->limit,
             sd_text_unit_name (count->platform), count->remaining);

  for (guint i = 0; i < count->problems->len; i++)
    {
      g_autofree char *message = sd_text_problem_describe (g_array_index (count->problems, SdTextProblem, i),
                                                           count);
      g_print ("  %s\n", message);
    }
  for (guint i = 0; i < count->entities->len; i++)
    {
      SdEntity *e = &g_array_index (count->entities, SdEntity, i);

      g_print ("  %-8s %-30s %s %zu-%zu\n", sd_entity_type_to_string (e->type), e->value,
               _("bytes"), e->start, e->end);
    }
}

static int
print_thread (SdPlatform           platform,
              GPtrArray           *parts,
              const SdTextOptions *options,
              gboolean             json)
{
  if (json)
    {
      GString *out = g_string_new ("[\n");

      for (guint i = 0; i < parts->len; i++)
        {
          g_autoptr(SdTextCount) count = sd_text_count (platform, parts->pdata[i], options);
          g_autofree char *part = count_to_json (count, parts->pdata[i]);

          g_string_append_printf (out, "%s%s", i > 0 ? ",\n" : "", part);
        }
      g_string_append (out, "\n]");
      g_print ("%s\n", out->str);
      g_string_free (out, TRUE);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) count = sd_text_count (platform, parts->pdata[i], options);

      g_print (_("Post %u of %u:\n"), i + 1, parts->len);
      print_count (count, parts->pdata[i]);
      g_print ("  %s\n\n", (char *) parts->pdata[i]);
    }
  return EXIT_SUCCESS;
}

/* "\n" written as backslash-n inside a line is a line break of the post. */
static void
unescape_line (char *line)
{
  char *out = line;

  for (char *in = line; *in != '\0'; in++)
    {
      if (in[0] == '\\' && in[1] == 'n')
        {
          *out++ = '\n';
          in++;
        }
      else
        *out++ = *in;
    }
  *out = '\0';
}

/* printf costs more than the counting it reports; this is the hot loop's output. */
static void
print_length_and_validity (guint    length,
                           gboolean valid)
{
  char buffer[32];
  char *p = buffer + sizeof buffer;

  *--p = '\0';
  p -= valid ? 6 : 7;
  memcpy (p, valid ? "\ttrue\n" : "\tfalse\n", valid ? 6 : 7);
  do
    *--p = '0' + length % 10;
  while ((length /= 10) > 0);

  fputs (p, stdout);
}

static int
count_each_line (SdPlatform           platform,
                 const SdTextOptions *options)
{
  static char out_buffer[1 << 16];
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;

  setvbuf (stdout, out_buffer, _IOFBF, sizeof out_buffer);
  while ((length = getline (&line, &capacity, stdin)) >= 0)
    {
      guint post_length;
      gboolean valid;

      while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
        line[--length] = '\0';
      if (memchr (line, '\\', length) != NULL)
        unescape_line (line);
      if (!g_utf8_validate (line, -1, NULL))
        {
          fputs ("0\tfalse\n", stdout);
          continue;
        }

      /* X's length and validity need no entity list beyond links. */
      if (platform == SD_PLATFORM_X)
        {
          SdXParse parse;

          sd_x_parse (line, sd_x_config_v3 (), &parse);
          post_length = parse.weighted_length;
          valid = parse.valid;
        }
      else
        {
          g_autoptr(SdTextCount) count = sd_text_count (platform, line, options);

          post_length = count->length;
          valid = count->valid;
        }

      print_length_and_validity (post_length, valid);
    }

  free (line);
  fflush (stdout);
  return EXIT_SUCCESS;
}

static int
command_count (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("TEXT|-"));
  g_autoptr(SdTextCount) count = NULL;
  g_autofree char *platform_name = NULL;
  g_autofree char *content_warning = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE, each_line = FALSE, thread = FALSE, numbering = FALSE;
  int limit = 0;
  SdTextOptions options = { 0, };
  SdPlatform platform;
  GError *error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "platform", 0, 0, G_OPTION_ARG_STRING, &platform_name, N_("The network whose rules apply"),
      N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "each-line", 0, 0, G_OPTION_ARG_NONE, &each_line,
      N_("Check one post per line of standard input (\\n inside a post as backslash-n); "
         "print length<TAB>valid per post"), NULL },
    { "content-warning", 0, 0, G_OPTION_ARG_STRING, &content_warning,
      N_("Mastodon: the content warning, which counts too"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("Mastodon: the instance's limit (500 when not given)"), N_("N") },
    { "thread", 0, 0, G_OPTION_ARG_NONE, &thread,
      N_("Split what is too long into a thread and count each post"), NULL },
    { "numbering", 0, 0, G_OPTION_ARG_NONE, &numbering,
      N_("Number the thread's posts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Counts a post the way a network does: its length, "
                                           "limit, validity, links, mentions and tags."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (platform_name == NULL)
    return sd_cli_usage_error (context, _("--platform is required."));
  if (!sd_platform_from_id (platform_name, &platform))
    {
      g_autofree char *known = sd_platform_set_to_string (SD_PLATFORM_SET_ALL, ", ");

      sd_cli_print_error (_("Unknown network “%s” (known: %s)."), platform_name, known);
      return EXIT_FAILURE;
    }

  options.mastodon_limit = limit > 0 ? (guint) limit : 0;
  options.content_warning = content_warning;

  if (each_line)
    {
      if (argc > 1)
        return sd_cli_usage_error (context, _("--each-line reads standard input; give no text."));
      return count_each_line (platform, &options);
    }

  if (argc != 2)
    return sd_cli_usage_error (context, _("Give the text, or - to read it from standard input."));

  if (g_str_equal (argv[1], "-"))
    {
      if (!(text = sd_cli_read_stdin (&error)))
        return sd_cli_fail (error);
      g_strchomp (text);
    }
  else
    text = g_strdup (argv[1]);

  if (!g_utf8_validate (text, -1, NULL))
    {
      sd_cli_print_error ("%s", _("The text is not valid UTF-8."));
      return EXIT_FAILURE;
    }

  /* A thread (by --- lines, or --thread) is counted post by post. */
  if (sd_platform_supports_threads (platform))
    {
      SdThreadOptions thread_options = { thread, numbering };
      g_autoptr(GPtrArray) parts = sd_thread_split (platform, text, &thread_options, &options);

      if (parts->len > 1)
        return print_thread (platform, parts, &options, json);
    }

  count = sd_text_count (platform, text, &options);
  if (json)
    {
      g_autofree char *out = count_to_json (count, text);

      g_print ("%s\n", out);
    }
  else
    print_count (count, text);

  return EXIT_SUCCESS;
}

/* main */

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *synopsis;
} commands[] = {
  { "draft",  command_draft,
    N_("draft add --text TEXT|- [--platform NAME]… [--to ACCOUNT]… [--at TIME|now]  add a draft, print its id") },
  { "accounts", sd_cli_command_accounts,
    N_("accounts list [--json] | add bluesky|mastodon … | remove ID   connected accounts") },
  { "apps",   sd_cli_command_apps,
    N_("apps list [--json] | set NETWORK --client-id ID [--client-secret -] | remove NETWORK  developer apps") },
  { "sync",   sd_cli_command_sync,
    N_("sync [--json]                                            publish what is due, then exit") },
  { "inbox",  sd_cli_command_inbox,
    N_("inbox list [--json] [--unread] [--done|--all] … | sync [--force] | show ID | read|unread|done|undone ID… | like ID") },
  { "reply",  sd_cli_command_reply,
    N_("reply MESSAGE-ID --text TEXT|- [--no-send]               answer a message on its network") },
  { "list",   command_list,
    N_("list [--json] [--from DATE] [--to DATE]                  list posts, newest first") },
  { "show",   command_show,
    N_("show ID [--json]                                         show one post") },
  { "delete", command_delete,
    N_("delete ID                                                delete a post") },
  { "import", command_import,
    N_("import FILE.csv                                          add posts from a spreadsheet") },
  { "move",   command_move,
    N_("move ID --to DATE|TIME | --unschedule                move a post (local time kept)") },
  { "schedule", command_schedule,
    N_("schedule ID --at TIME|now [--to ACCOUNT]…              schedule a post on its accounts") },
  { "unschedule", command_unschedule,
    N_("unschedule ID                                            take a post's time away") },
  { "export", command_export,
    N_("export --ics FILE [--from DATE] [--to DATE] [--platform NAME]… planned posts as iCalendar") },
  { "count",  command_count,
    N_("count --platform NAME [--json] [--each-line] TEXT|-      count as a network does") },
};

static void
print_usage (FILE *stream)
{
  g_autofree char *known = sd_platform_set_to_string (SD_PLATFORM_SET_ALL, ", ");

  fprintf (stream, "%s\n\n", _("Usage: socialdesk-cli COMMAND [OPTION…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %s\n", _(commands[i].synopsis));
  fprintf (stream, "\n");
  fprintf (stream, _("Networks: %s."), known);
  fprintf (stream, "\n");
  fprintf (stream, _("Data: %s"), "$XDG_DATA_HOME/socialdesk/socialdesk.db");
  fprintf (stream, "\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_SUCCESS;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("socialdesk-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  g_printerr ("socialdesk-cli: ");
  g_printerr (_("Unknown command “%s”."), argv[1]);
  g_printerr ("\n\n");
  print_usage (stderr);
  return EXIT_USAGE;
}
