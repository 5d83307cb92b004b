/* sd-import.c — posts from a spreadsheet (CSV), all or nothing
 *
 * Columns (any order, names case-insensitive, others ignored): text
 * (required), scheduled_at (ISO-8601; empty for a draft without a time),
 * platforms (network names separated by ";").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-csv.h"
#include "sd-import.h"
#include "sd-time.h"

#define MAX_REPORTED_PROBLEMS 50

G_DEFINE_QUARK (sd-import-error-quark, sd_import_error)

typedef struct
{
  int text;
  int scheduled_at;
  int platforms;
} Columns;

static gboolean
find_columns (GPtrArray *header,
              Columns   *columns,
              GString   *problems)
{
  columns->text = columns->scheduled_at = columns->platforms = -1;

  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_ptr_array_index (header, i), -1);

      g_strstrip (name);
      if (strcmp (name, "text") == 0)
        columns->text = i;
      else if (strcmp (name, "scheduled_at") == 0)
        columns->scheduled_at = i;
      else if (strcmp (name, "platforms") == 0)
        columns->platforms = i;
    }

  if (columns->text < 0)
    {
      g_string_append_printf (problems, "%s\n",
                              _("line 1: the header has no “text” column "
                                "(expected: scheduled_at,text,platforms)"));
      return FALSE;
    }

  return TRUE;
}

static const char *
field_or_empty (GPtrArray *fields,
                int        column)
{
  if (column < 0 || (guint) column >= fields->len)
    return "";
  return g_ptr_array_index (fields, column);
}

static gboolean
record_is_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);

      for (; *field != '\0'; field++)
        if (!g_ascii_isspace (*field))
          return FALSE;
    }

  return TRUE;
}

/* Returns a post, or NULL with the line's problem added to problems. */
static SdPost *
post_from_record (GPtrArray     *fields,
                  guint          line,
                  guint          n_columns,
                  const Columns *columns,
                  GTimeZone     *tz,
                  GString       *problems)
{
  g_autoptr(SdPost) post = sd_post_new ();
  g_autofree char *bad_platform = NULL;
  g_autofree char *known = sd_platform_set_to_string (SD_PLATFORM_SET_ALL, ", ");
  const char *when = field_or_empty (fields, columns->scheduled_at);
  const char *text = field_or_empty (fields, columns->text);
  SdPlatformSet platforms = 0;
  gint64 scheduled_at = SD_POST_NO_TIME;
  g_autofree char *trimmed_when = g_strstrip (g_strdup (when));

  if (fields->len != n_columns)
    {
      g_string_append_printf (problems, _("line %u: expected %u fields, found %u"),
                              line, n_columns, fields->len);
      g_string_append_c (problems, '\n');
      return NULL;
    }

  if (text[0] == '\0')
    {
      g_string_append_printf (problems, _("line %u: the text is empty"), line);
      g_string_append_c (problems, '\n');
      return NULL;
    }

  if (trimmed_when[0] != '\0' && !sd_time_parse_iso8601 (trimmed_when, tz, &scheduled_at))
    {
      g_string_append_printf (problems,
                              _("line %u: “%s” is not an ISO-8601 date and time "
                                "(like 2026-12-10T09:00:00+07:00)"),
                              line, trimmed_when);
      g_string_append_c (problems, '\n');
      return NULL;
    }

  if (!sd_platform_set_parse (field_or_empty (fields, columns->platforms), ";",
                              &platforms, &bad_platform))
    {
      g_string_append_printf (problems,
                              _("line %u: unknown network “%s” (known: %s)"),
                              line, bad_platform, known);
      g_string_append_c (problems, '\n');
      return NULL;
    }

  sd_post_set_text (post, text);
  sd_post_set_scheduled_at (post, scheduled_at);
  sd_post_set_platforms (post, platforms);

  return g_steal_pointer (&post);
}

static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;

  return line;
}

/**
 * sd_import_parse_csv:
 *
 * Reads every row; if any is bad, returns %NULL with one error that names
 * every bad line (up to a limit), so a person can fix them in one go.
 */
GPtrArray *
sd_import_parse_csv (const char  *data,
                     gsize        length,
                     GTimeZone   *default_tz,
                     GError     **error)
{
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) csv_error = NULL;
  const char *invalid = NULL;
  guint n_problems = 0;
  Columns columns;
  guint line;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      g_set_error (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID,
                   _("line %u: the file is not UTF-8 text; save it as “CSV UTF-8”"),
                   line_of_offset (data, invalid - data));
      return NULL;
    }

  reader = sd_csv_reader_new (data, length);

  if (!sd_csv_reader_next (reader, &header, &line, &csv_error))
    {
      if (csv_error != NULL)
        g_propagate_error (error, g_steal_pointer (&csv_error));
      else
        g_set_error_literal (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID,
                             _("The file is empty: it needs a header row "
                               "(scheduled_at,text,platforms) and one row per post."));
      return NULL;
    }

  if (!find_columns (header, &columns, problems))
    {
      g_string_truncate (problems, problems->len - 1);
      g_set_error_literal (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID, problems->str);
      return NULL;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      SdPost *post;

      if (!sd_csv_reader_next (reader, &fields, &line, &csv_error))
        break;

      if (record_is_blank (fields))
        continue;

      post = post_from_record (fields, line, header->len, &columns, default_tz, problems);
      if (post != NULL)
        g_ptr_array_add (posts, post);
      else if (++n_problems >= MAX_REPORTED_PROBLEMS)
        break;
    }

  /* A broken quote ends reading: nothing after it can be trusted. */
  if (csv_error != NULL)
    g_string_append_printf (problems, "%s\n", csv_error->message);

  if (problems->len > 0)
    {
      g_string_truncate (problems, problems->len - 1);
      g_set_error_literal (error, SD_IMPORT_ERROR, SD_IMPORT_ERROR_INVALID, problems->str);
      return NULL;
    }

  return g_steal_pointer (&posts);
}

gboolean
sd_import_csv_file (SdStore  *store,
                    GFile    *file,
                    guint    *n_imported,
                    GError  **error)
{
  g_autoptr(GPtrArray) posts = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;

  posts = sd_import_parse_csv (contents, length, NULL, error);
  if (posts == NULL)
    return FALSE;

  if (!sd_store_insert_posts (store, posts, error))
    return FALSE;

  if (n_imported != NULL)
    *n_imported = posts->len;

  return TRUE;
}
