/* sd-import.h — posts from a spreadsheet (CSV), all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_IMPORT_ERROR (sd_import_error_quark ())

typedef enum
{
  SD_IMPORT_ERROR_INVALID,   /* the message lists every bad line */
} SdImportError;

GQuark     sd_import_error_quark (void);

GPtrArray *sd_import_parse_csv   (const char   *data,
                                  gsize         length,
                                  GTimeZone    *default_tz,
                                  GError      **error);
gboolean   sd_import_csv_file    (SdStore      *store,
                                  GFile        *file,
                                  guint        *n_imported,
                                  GError      **error);

G_END_DECLS
