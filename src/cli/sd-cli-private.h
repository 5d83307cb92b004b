/* sd-cli-private.h — what socialdesk-cli's command files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define EXIT_USAGE 2

typedef int (*CommandFunc) (int argc, char **argv);

/* Prints "socialdesk-cli: message" for @error, frees it, returns EXIT_FAILURE. */
int       sd_cli_fail          (GError          *error);
void      sd_cli_print_error   (const char      *format,
                                ...) G_GNUC_PRINTF (1, 2);
int       sd_cli_usage_error   (GOptionContext  *context,
                                const char      *message);
gboolean  sd_cli_parse_options (GOptionContext  *context,
                                int             *argc,
                                char          ***argv,
                                int             *status);
SdStore  *sd_cli_open_store    (GError         **error);
char     *sd_cli_read_stdin    (GError         **error);
char     *sd_cli_format_local  (gint64           time);
/* "now" or an ISO-8601 time. */
gboolean  sd_cli_parse_at      (const char      *text,
                                gint64          *time);
/* --to values: accounts by handle or id; their ids, or NULL after printing why. */
GPtrArray *sd_cli_resolve_accounts (SdStore     *store,
                                    GStrv        names);

int       sd_cli_command_accounts (int    argc,
                                   char **argv);
int       sd_cli_command_sync     (int    argc,
                                   char **argv);
int       sd_cli_command_apps     (int    argc,
                                   char **argv);
int       sd_cli_command_inbox    (int    argc,
                                   char **argv);
int       sd_cli_command_reply    (int    argc,
                                   char **argv);

G_END_DECLS
