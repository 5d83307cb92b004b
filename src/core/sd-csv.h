/* sd-csv.h — an RFC 4180 reader for spreadsheets of posts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_CSV_ERROR (sd_csv_error_quark ())

typedef enum
{
  SD_CSV_ERROR_UNTERMINATED_QUOTE,
  SD_CSV_ERROR_STRAY_QUOTE,
} SdCsvError;

GQuark sd_csv_error_quark (void);

typedef struct _SdCsvReader SdCsvReader;

SdCsvReader *sd_csv_reader_new    (const char   *data,
                                   gsize         length);
void         sd_csv_reader_free   (SdCsvReader  *reader);
gboolean     sd_csv_reader_next   (SdCsvReader  *reader,
                                   GPtrArray   **fields,
                                   guint        *line,
                                   GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCsvReader, sd_csv_reader_free)

G_END_DECLS
