/* sd-csv.c — an RFC 4180 reader for spreadsheets of posts
 *
 * Quoted fields may hold commas, doubled quotes and line breaks; lines may
 * end in CRLF (as the RFC says) or LF (as most tools write).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-csv"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-csv.h"

struct _SdCsvReader
{
  const char *pos;
  const char *end;
  guint       line;   /* 1-based line of pos */
};

G_DEFINE_QUARK (sd-csv-error-quark, sd_csv_error)

SdCsvReader *
sd_csv_reader_new (const char *data,
                   gsize       length)
{
  SdCsvReader *reader = g_new0 (SdCsvReader, 1);

  reader->pos = data;
  reader->end = data + length;
  reader->line = 1;

  return reader;
}

void
sd_csv_reader_free (SdCsvReader *reader)
{
  g_free (reader);
}

static gboolean
at_line_end (SdCsvReader *reader)
{
  return reader->pos >= reader->end || *reader->pos == '\n'
      || (*reader->pos == '\r' && (reader->pos + 1 == reader->end || reader->pos[1] == '\n'));
}

static void
skip_line_end (SdCsvReader *reader)
{
  if (reader->pos < reader->end && *reader->pos == '\r')
    reader->pos++;
  if (reader->pos < reader->end && *reader->pos == '\n')
    reader->pos++;
  reader->line++;
}

static char *
read_quoted (SdCsvReader  *reader,
             GError      **error)
{
  GString *field = g_string_new (NULL);
  guint start_line = reader->line;

  reader->pos++; /* the opening quote */

  for (;;)
    {
      if (reader->pos >= reader->end)
        {
          g_set_error (error, SD_CSV_ERROR, SD_CSV_ERROR_UNTERMINATED_QUOTE,
                       _("line %u: a quoted field is never closed"), start_line);
          g_string_free (field, TRUE);
          return NULL;
        }

      if (*reader->pos == '"')
        {
          if (reader->pos + 1 < reader->end && reader->pos[1] == '"')
            {
              g_string_append_c (field, '"');
              reader->pos += 2;
              continue;
            }

          reader->pos++;
          if (reader->pos < reader->end && *reader->pos != ',' && !at_line_end (reader))
            {
              g_set_error (error, SD_CSV_ERROR, SD_CSV_ERROR_STRAY_QUOTE,
                           _("line %u: unexpected text after a closing quote"), reader->line);
              g_string_free (field, TRUE);
          return NULL;
            }
          return g_string_free (field, FALSE);
        }

      if (*reader->pos == '\n')
        reader->line++;

      /* Keep line breaks as \n whatever the file used. */
      if (*reader->pos == '\r' && reader->pos + 1 < reader->end && reader->pos[1] == '\n')
        {
          reader->pos++;
          continue;
        }

      g_string_append_c (field, *reader->pos++);
    }
}

static char *
read_plain (SdCsvReader  *reader,
            GError      **error)
{
  const char *start = reader->pos;

  while (reader->pos < reader->end && *reader->pos != ',' && !at_line_end (reader))
    {
      if (*reader->pos == '"')
        {
          g_set_error (error, SD_CSV_ERROR, SD_CSV_ERROR_STRAY_QUOTE,
                       _("line %u: a quote inside a field that does not start with one"),
                       reader->line);
          return NULL;
        }
      reader->pos++;
    }

  return g_strndup (start, reader->pos - start);
}

/**
 * sd_csv_reader_next:
 * @fields: (out): the record's fields, as strings
 * @line: (out): the line the record starts on
 *
 * Returns: %TRUE with a record, %FALSE at the end (no error) or on an error.
 */
gboolean
sd_csv_reader_next (SdCsvReader  *reader,
                    GPtrArray   **fields,
                    guint        *line,
                    GError      **error)
{
  g_autoptr(GPtrArray) record = NULL;

  if (reader->pos >= reader->end)
    return FALSE;

  record = g_ptr_array_new_with_free_func (g_free);
  *line = reader->line;

  for (;;)
    {
      char *field;

      if (reader->pos < reader->end && *reader->pos == '"')
        field = read_quoted (reader, error);
      else
        field = read_plain (reader, error);

      if (field == NULL)
        return FALSE;

      g_ptr_array_add (record, field);

      if (reader->pos < reader->end && *reader->pos == ',')
        {
          reader->pos++;
          continue;
        }

      skip_line_end (reader);
      break;
    }

  *fields = g_steal_pointer (&record);
  return TRUE;
}
