/* sd-store-inbox.c — the store's inbox: messages, search, conversations, replies and rules
 *
 * Messages come in pages from the inbox sync and are stored in one
 * transaction each; the list, its count and search run on the reader
 * connection over a covering index (newest first), so a million messages
 * open as fast as a hundred. A reply is a post of its own, scheduled "now"
 * through the outbox in the same transaction that records it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sd-readiness.h"
#include "sd-store-private.h"
#include "sd-text.h"
#include "sd-time.h"

#define MESSAGE_COLUMNS \
  "m.rowid, m.id, m.account_id, m.platform, m.stream, m.kind, m.remote_id, m.remote_cid," \
  " m.parent_remote_id, m.root_remote_id, m.root_cid, m.conversation_id, m.author_remote_id," \
  " m.author_handle, m.author_name, m.author_avatar_url, m.text, m.links_json, m.url, m.audience," \
  " m.sent_at, m.fetched_at, m.reply_until, m.caps, m.is_read, m.is_done, m.is_liked, m.is_hidden," \
  " m.is_reviewed, m.last_error," \
  " (SELECT group_concat (name, char (31)) FROM (SELECT l.name FROM message_label ml" \
  "   JOIN label l ON l.id = ml.label_id WHERE ml.message_id = m.id ORDER BY l.name COLLATE NOCASE))"

/* Only these kinds are listed; the same words as the partial index's. */
#define INBOX_KINDS "m.kind NOT IN ('own', 'context')"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static SdMessage *
message_from_row (sqlite3_stmt *stmt)
{
  SdMessage *message = sd_message_new ();
  SdPlatform platform = SD_PLATFORM_MASTODON;
  SdMessageKind kind = SD_MESSAGE_KIND_MENTION;
  const char *labels = column_text (stmt, 30);

  sd_message_set_rowid (message, sqlite3_column_int64 (stmt, 0));
  sd_message_set_id (message, column_text (stmt, 1));
  sd_message_set_account_id (message, column_text (stmt, 2));
  sd_platform_from_id (column_text (stmt, 3), &platform);
  sd_message_set_platform (message, platform);
  sd_message_set_stream (message, column_text (stmt, 4));
  sd_message_kind_from_string (column_text (stmt, 5), &kind);
  sd_message_set_kind (message, kind);
  sd_message_set_remote_id (message, column_text (stmt, 6));
  sd_message_set_remote_cid (message, column_text (stmt, 7));
  sd_message_set_parent_remote_id (message, column_text (stmt, 8));
  sd_message_set_root_remote_id (message, column_text (stmt, 9));
  sd_message_set_root_cid (message, column_text (stmt, 10));
  sd_message_set_conversation_id (message, column_text (stmt, 11));
  sd_message_set_author_remote_id (message, column_text (stmt, 12));
  sd_message_set_author_handle (message, column_text (stmt, 13));
  sd_message_set_author_name (message, column_text (stmt, 14));
  sd_message_set_author_avatar_url (message, column_text (stmt, 15));
  sd_message_set_text (message, column_text (stmt, 16));
  sd_message_set_links_json (message, column_text (stmt, 17));
  sd_message_set_url (message, column_text (stmt, 18));
  sd_message_set_audience (message, column_text (stmt, 19));
  sd_message_set_sent_at (message, sqlite3_column_int64 (stmt, 20));
  sd_message_set_fetched_at (message, sqlite3_column_int64 (stmt, 21));
  sd_message_set_reply_until (message, sqlite3_column_int64 (stmt, 22));
  sd_message_set_caps (message, (SdMessageCaps) sqlite3_column_int (stmt, 23));
  sd_message_set_is_read (message, sqlite3_column_int (stmt, 24) != 0);
  sd_message_set_is_done (message, sqlite3_column_int (stmt, 25) != 0);
  sd_message_set_is_liked (message, sqlite3_column_int (stmt, 26) != 0);
  sd_message_set_is_hidden (message, sqlite3_column_int (stmt, 27) != 0);
  sd_message_set_is_reviewed (message, sqlite3_column_int (stmt, 28) != 0);
  sd_message_set_last_error (message, column_text (stmt, 29));
  if (labels != NULL)
    {
      g_auto(GStrv) names = g_strsplit (labels, "\x1f", -1);

      sd_message_set_labels (message, (const char * const *) names);
    }
  return message;
}

/* Reads every row of a prepared statement; FALSE on an error (set). */
static gboolean
read_messages (sqlite3_stmt  *stmt,
               GPtrArray     *into,
               int           *rc)
{
  while ((*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (into, message_from_row (stmt));
  sqlite3_reset (stmt);
  return *rc == SQLITE_DONE;
}

/* Import */

void
sd_inbox_import_init (SdInboxImport *import)
{
  g_return_if_fail (import != NULL);

  import->n_new = 0;
  import->new_messages = g_ptr_array_new_with_free_func (g_object_unref);
  import->notify = g_ptr_array_new_with_free_func (g_object_unref);
}

void
sd_inbox_import_clear (SdInboxImport *import)
{
  if (import == NULL)
    return;
  g_clear_pointer (&import->new_messages, g_ptr_array_unref);
  g_clear_pointer (&import->notify, g_ptr_array_unref);
  import->n_new = 0;
}

static GPtrArray *list_rules_locked (SdStore  *self,
                                     gboolean  enabled_only,
                                     GError  **error);

/* The label's id, made when missing; names match case-insensitively. */
static char *
ensure_label_locked (SdStore     *self,
                     const char  *name,
                     GError     **error);

static gboolean
insert_message (SdStore     *self,
                SdMessage   *message,
                gint64       now,
                GError     **error)
{
  static const char sql[] =
    "INSERT INTO message (id, account_id, platform, stream, kind, remote_id, remote_cid,"
    "  parent_remote_id, root_remote_id, root_cid, conversation_id, author_remote_id, author_handle,"
    "  author_name, author_avatar_url, text, links_json, url, audience, sent_at, fetched_at,"
    "  reply_until, caps, is_read, is_done, is_liked, is_hidden, is_reviewed)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    "  ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)";
  g_autofree char *links = sd_message_dup_links_json (message);
  gint64 fetched_at = sd_message_get_fetched_at (message);
  sqlite3_stmt *stmt = sd_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sd_store_bind_text_or_null (stmt, 1, sd_message_get_id (message));
  sd_store_bind_text_or_null (stmt, 2, sd_message_get_account_id (message));
  sd_store_bind_text_or_null (stmt, 3, sd_platform_get_info (sd_message_get_platform (message))->id);
  sd_store_bind_text_or_null (stmt, 4, sd_message_get_stream (message));
  sd_store_bind_text_or_null (stmt, 5, sd_message_kind_to_string (sd_message_get_kind (message)));
  sd_store_bind_text_or_null (stmt, 6, sd_message_get_remote_id (message));
  sd_store_bind_text_or_null (stmt, 7, sd_message_get_remote_cid (message));
  sd_store_bind_text_or_null (stmt, 8, sd_message_get_parent_remote_id (message));
  sd_store_bind_text_or_null (stmt, 9, sd_message_get_root_remote_id (message));
  sd_store_bind_text_or_null (stmt, 10, sd_message_get_root_cid (message));
  sd_store_bind_text_or_null (stmt, 11, sd_message_get_conversation_id (message));
  sd_store_bind_text_or_null (stmt, 12, sd_message_get_author_remote_id (message));
  sd_store_bind_text_or_null (stmt, 13, sd_message_get_author_handle (message));
  sd_store_bind_text_or_null (stmt, 14, sd_message_get_author_name (message));
  sd_store_bind_text_or_null (stmt, 15, sd_message_get_author_avatar_url (message));
  sd_store_bind_text_or_null (stmt, 16, sd_message_get_text (message) != NULL ? sd_message_get_text (message) : "");
  sd_store_bind_text_or_null (stmt, 17, links);
  sd_store_bind_text_or_null (stmt, 18, sd_message_get_url (message));
  sd_store_bind_text_or_null (stmt, 19, sd_message_get_audience (message));
  sqlite3_bind_int64 (stmt, 20, sd_message_get_sent_at (message));
  sqlite3_bind_int64 (stmt, 21, fetched_at != 0 ? fetched_at : now);
  sqlite3_bind_int64 (stmt, 22, sd_message_get_reply_until (message));
  sqlite3_bind_int (stmt, 23, (int) sd_message_get_caps (message));
  sqlite3_bind_int (stmt, 24, sd_message_get_is_read (message));
  sqlite3_bind_int (stmt, 25, sd_message_get_is_done (message));
  sqlite3_bind_int (stmt, 26, sd_message_get_is_liked (message));
  sqlite3_bind_int (stmt, 27, sd_message_get_is_hidden (message));
  sqlite3_bind_int (stmt, 28, sd_message_get_is_reviewed (message));
  if (!sd_store_step (self, stmt, error))
    return FALSE;
  sd_message_set_rowid (message, sqlite3_last_insert_rowid (sd_store_get_db (self)));
  return TRUE;
}

/* Only what the network owns changes; the row is left alone (and the
 * search index with it) when nothing did. @kind is the kind to keep. */
static gboolean
update_message (SdStore        *self,
                gint64          rowid,
                SdMessage      *message,
                SdMessageKind   kind,
                gint64          now,
                GError        **error)
{
  static const char sql[] =
    "UPDATE message SET text = ?2, links_json = ?3, caps = ?4, reply_until = ?5, author_name = ?6,"
    "  author_avatar_url = ?7, url = ?8, kind = ?9, fetched_at = ?10"
    " WHERE rowid = ?1 AND (text IS NOT ?2 OR links_json IS NOT ?3 OR caps IS NOT ?4"
    "   OR reply_until IS NOT ?5 OR author_name IS NOT ?6 OR author_avatar_url IS NOT ?7"
    "   OR url IS NOT ?8 OR kind IS NOT ?9)";
  g_autofree char *links = sd_message_dup_links_json (message);
  sqlite3_stmt *stmt = sd_store_prepare (self, sql, error);
  gint64 fetched_at = sd_message_get_fetched_at (message);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sd_store_bind_text_or_null (stmt, 2, sd_message_get_text (message) != NULL ? sd_message_get_text (message) : "");
  sd_store_bind_text_or_null (stmt, 3, links);
  sqlite3_bind_int (stmt, 4, (int) sd_message_get_caps (message));
  sqlite3_bind_int64 (stmt, 5, sd_message_get_reply_until (message));
  sd_store_bind_text_or_null (stmt, 6, sd_message_get_author_name (message));
  sd_store_bind_text_or_null (stmt, 7, sd_message_get_author_avatar_url (message));
  sd_store_bind_text_or_null (stmt, 8, sd_message_get_url (message));
  sd_store_bind_text_or_null (stmt, 9, sd_message_kind_to_string (kind));
  sqlite3_bind_int64 (stmt, 10, fetched_at != 0 ? fetched_at : now);
  return sd_store_step (self, stmt, error);
}

/* The stored row of (account, remote id): FALSE in @found when there is none. */
static gboolean
find_stored (SdStore        *self,
             SdMessage      *message,
             gboolean       *found,
             gint64         *rowid,
             char          **id,
             SdMessageKind  *kind,
             GError        **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT rowid, id, kind FROM message"
                                               " WHERE account_id = ?1 AND remote_id = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sd_store_bind_text_or_null (stmt, 1, sd_message_get_account_id (message));
  sd_store_bind_text_or_null (stmt, 2, sd_message_get_remote_id (message));
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (*found)
    {
      *rowid = sqlite3_column_int64 (stmt, 0);
      *id = g_strdup (column_text (stmt, 1));
      sd_message_kind_from_string (column_text (stmt, 2), kind);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || sd_store_fail (self, rc, error);
}

static gboolean
add_label_locked (SdStore     *self,
                  const char  *message_id,
                  const char  *label_id,
                  GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "INSERT OR IGNORE INTO message_label (message_id, label_id)"
                                               " VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, label_id, -1, SQLITE_TRANSIENT);
  return sd_store_step (self, stmt, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *x = g_utf8_casefold (*(const char * const *) a, -1);
  g_autofree char *y = g_utf8_casefold (*(const char * const *) b, -1);

  return g_utf8_collate (x, y);
}

/* Runs the enabled rules, in order, on a message new to the inbox. */
static gboolean
apply_rules (SdStore        *self,
             GPtrArray      *rules,
             SdMessage      *message,
             SdInboxImport  *import,
             GError        **error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  gboolean done = FALSE, notify = FALSE;

  for (guint i = 0; i < rules->len; i++)
    {
      SdInboxRule *rule = rules->pdata[i];

      if (!sd_inbox_rule_matches (rule, message))
        continue;
      if (rule->label != NULL && rule->label[0] != '\0')
        {
          g_autofree char *label_id = ensure_label_locked (self, rule->label, error);

          if (label_id == NULL || !add_label_locked (self, sd_message_get_id (message), label_id, error))
            return FALSE;
        }
      done = done || rule->mark_done;
      notify = notify || rule->notify;
    }

  if (done && !sd_store_run_for_id (self, "UPDATE message SET is_done = 1 WHERE id = ?1 AND ?2 IS NOT NULL",
                                    sd_message_get_id (message), error))
    return FALSE;
  if (done)
    sd_message_set_is_done (message, TRUE);

  /* The labels as stored (a rule's name may differ in case from the label's). */
  {
    sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT l.name FROM message_label ml JOIN label l"
                                                 " ON l.id = ml.label_id WHERE ml.message_id = ?1", error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, sd_message_get_id (message), -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (labels, g_strdup (column_text (stmt, 0)));
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      return sd_store_fail (self, rc, error);
  }
  if (labels->len > 0)
    {
      g_ptr_array_sort (labels, compare_names);
      g_ptr_array_add (labels, NULL);
      sd_message_set_labels (message, (const char * const *) labels->pdata);
    }

  if (notify)
    g_ptr_array_add (import->notify, g_object_ref (message));
  return TRUE;
}

static gboolean
import_one (SdStore        *self,
            SdMessage      *message,
            GPtrArray      *rules,
            SdInboxImport  *import,
            gint64          now,
            GError        **error)
{
  SdMessageKind kind = sd_message_get_kind (message);
  SdMessageKind stored_kind = kind;
  g_autofree char *stored_id = NULL;
  gboolean found = FALSE, is_new;
  gint64 rowid = 0;

  if (sd_message_get_account_id (message) == NULL || sd_message_get_remote_id (message) == NULL)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                           "a message needs an account and a remote id");
      return FALSE;
    }

  if (!find_stored (self, message, &found, &rowid, &stored_id, &stored_kind, error))
    return FALSE;

  if (!found)
    {
      if (!insert_message (self, message, now, error))
        return FALSE;
      is_new = sd_message_kind_is_inbox (kind);
    }
  else
    {
      /* An inbox kind is never taken back to context; context seen first
       * becomes an inbox message when its notification arrives. */
      gboolean upgrade = !sd_message_kind_is_inbox (stored_kind) && sd_message_kind_is_inbox (kind);
      SdMessageKind keep = upgrade ? kind : stored_kind;

      sd_message_set_id (message, stored_id);
      sd_message_set_rowid (message, rowid);
      if (!update_message (self, rowid, message, keep, now, error))
        return FALSE;
      sd_message_set_kind (message, keep);
      is_new = upgrade;
    }

  if (!is_new)
    return TRUE;
  if (!apply_rules (self, rules, message, import, error))
    return FALSE;
  g_ptr_array_add (import->new_messages, g_object_ref (message));
  import->n_new++;
  return TRUE;
}

gboolean
sd_store_import_messages (SdStore        *self,
                          GPtrArray      *messages,
                          SdInboxImport  *import,
                          GError        **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  SdInboxImport local = { 0, };
  gint64 now = sd_time_now ();
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (messages != NULL, FALSE);

  if (import == NULL)
    import = &local;
  if (import->new_messages == NULL)
    sd_inbox_import_init (import);

  if (!sd_store_begin (self, error))
    {
      sd_inbox_import_clear (&local);
      return FALSE;
    }
  ok = (rules = list_rules_locked (self, TRUE, error)) != NULL;
  for (guint i = 0; ok && i < messages->len; i++)
    ok = import_one (self, messages->pdata[i], rules, import, now, error);
  if (!ok)
    {
      /* Nothing was stored: say so. */
      g_ptr_array_set_size (import->new_messages, 0);
      g_ptr_array_set_size (import->notify, 0);
      import->n_new = 0;
    }
  ok = sd_store_end (self, ok, error);
  sd_inbox_import_clear (&local);
  return ok;
}

/* Queries */

/* The search words as FTS5 strings, ANDed, the last one a prefix: what a
 * person types is never FTS5 syntax. NULL when there is no word in it. */
static char *
search_expression (const char *search)
{
  g_autoptr(GString) expression = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);
  g_autofree char *valid = NULL;

  if (search == NULL)
    return NULL;
  valid = g_utf8_make_valid (search, -1);
  for (const char *p = valid;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* What unicode61 takes for part of a word: letters, digits and marks. */
      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_string_append_printf (expression, "%s\"%s\"", expression->len > 0 ? " AND " : "", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  if (expression->len == 0)
    return NULL;
  g_string_append_c (expression, '*');
  return g_string_free (g_steal_pointer (&expression), FALSE);
}

static void
append_in_list (GString     *sql,
                const char  *column,
                GPtrArray   *values)
{
  g_string_append_printf (sql, " AND %s IN (", column);
  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", (const char *) values->pdata[i]);
  g_string_append_c (sql, ')');
}

/* The WHERE clause of a query: ?1 the account, ?2 the label, ?3 the search.
 * Kinds and networks are the store's own fixed words, written in. */
static void
append_where (GString            *sql,
              const SdInboxQuery *query,
              gboolean            has_search)
{
  g_string_append (sql, " WHERE " INBOX_KINDS);

  switch (query->done)
    {
    case SD_INBOX_OPEN:
      g_string_append (sql, " AND m.is_done = 0");
      break;
    case SD_INBOX_DONE:
      g_string_append (sql, " AND m.is_done = 1");
      break;
    case SD_INBOX_ANY:
    default:
      break;
    }

  if (query->kinds != 0)
    {
      g_autoptr(GPtrArray) kinds = g_ptr_array_new ();

      for (SdMessageKind kind = 0; kind < SD_N_MESSAGE_KINDS; kind++)
        if ((query->kinds & (1u << kind)) != 0 && sd_message_kind_is_inbox (kind))
          g_ptr_array_add (kinds, (gpointer) sd_message_kind_to_string (kind));
      if (kinds->len == 0)
        g_string_append (sql, " AND 0");
      else
        append_in_list (sql, "m.kind", kinds);
    }
  if (query->account_id != NULL)
    g_string_append (sql, " AND m.account_id = ?1");
  if (query->platforms != 0)
    {
      g_autoptr(GPtrArray) platforms = g_ptr_array_new ();

      for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
        if (sd_platform_set_contains (query->platforms, platform))
          g_ptr_array_add (platforms, (gpointer) sd_platform_get_info (platform)->id);
      if (platforms->len == 0)
        g_string_append (sql, " AND 0");
      else
        append_in_list (sql, "m.platform", platforms);
    }
  if (query->unread_only)
    g_string_append (sql, " AND m.is_read = 0");
  if (query->label != NULL)
    g_string_append (sql, " AND m.id IN (SELECT ml.message_id FROM message_label ml JOIN label l"
                          " ON l.id = ml.label_id WHERE l.name = ?2 COLLATE NOCASE)");
  if (has_search)
    g_string_append (sql, " AND m.rowid IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?3)");
}

typedef enum
{
  QUERY_COUNT,
  QUERY_PAGE,
  QUERY_MARK_READ,
} QueryShape;

/* The statement's text for this shape of query; interned, so the statement
 * caches can keep it (there are only so many shapes). */
static const char *
query_sql (const SdInboxQuery *query,
           gboolean            has_search,
           QueryShape          shape)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  switch (shape)
    {
    case QUERY_COUNT:
      g_string_append (sql, "SELECT count(*) FROM message m");
      append_where (sql, query, has_search);
      break;
    case QUERY_PAGE:
      /* The page's rows are found in the index alone; only they are read. */
      g_string_append (sql, "SELECT " MESSAGE_COLUMNS " FROM message m WHERE m.rowid IN"
                            " (SELECT m.rowid FROM message m");
      append_where (sql, query, has_search);
      g_string_append (sql, " ORDER BY m.sent_at DESC, m.rowid DESC LIMIT ?4 OFFSET ?5)"
                            " ORDER BY m.sent_at DESC, m.rowid DESC");
      break;
    case QUERY_MARK_READ:
      g_string_append (sql, "UPDATE message SET is_read = 1 WHERE is_read = 0 AND rowid IN"
                            " (SELECT m.rowid FROM message m");
      append_where (sql, query, has_search);
      g_string_append (sql, ")");
      break;
    }
  return g_intern_string (sql->str);
}

static void
bind_query (sqlite3_stmt       *stmt,
            const SdInboxQuery *query,
            const char         *expression)
{
  if (query->account_id != NULL)
    sqlite3_bind_text (stmt, 1, query->account_id, -1, SQLITE_TRANSIENT);
  if (query->label != NULL)
    sqlite3_bind_text (stmt, 2, query->label, -1, SQLITE_TRANSIENT);
  if (expression != NULL)
    sqlite3_bind_text (stmt, 3, expression, -1, SQLITE_TRANSIENT);
}

static const SdInboxQuery *
query_or_default (const SdInboxQuery *query)
{
  static const SdInboxQuery every_open = { 0, };

  return query != NULL ? query : &every_open;
}

/* The reader's lock must be held. */
static gboolean
count_locked (SdStore             *self,
              const SdInboxQuery  *query,
              guint               *count,
              GError             **error)
{
  g_autofree char *expression = search_expression (query->search);
  sqlite3_stmt *stmt = sd_store_reader_prepare (self, query_sql (query, expression != NULL, QUERY_COUNT), error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_query (stmt, query, expression);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || sd_store_reader_fail (self, rc, error);
}

/* The reader's lock must be held. */
static GPtrArray *
list_locked (SdStore             *self,
             const SdInboxQuery  *query,
             guint                offset,
             guint                limit,
             GError             **error)
{
  g_autofree char *expression = search_expression (query->search);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = sd_store_reader_prepare (self, query_sql (query, expression != NULL, QUERY_PAGE), error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_query (stmt, query, expression);
  sqlite3_bind_int64 (stmt, 4, limit);
  sqlite3_bind_int64 (stmt, 5, offset);
  if (!read_messages (stmt, messages, &rc))
    {
      sd_store_reader_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&messages);
}

guint
sd_store_count_messages (SdStore             *self,
                         const SdInboxQuery  *query,
                         GError             **error)
{
  guint count = 0;

  g_return_val_if_fail (SD_IS_STORE (self), 0);

  if (!sd_store_reader_lock (self, error))
    return 0;
  count_locked (self, query_or_default (query), &count, error);
  sd_store_reader_unlock (self);
  return count;
}

GPtrArray *
sd_store_list_messages (SdStore             *self,
                        const SdInboxQuery  *query,
                        guint                offset,
                        guint                limit,
                        GError             **error)
{
  GPtrArray *messages;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_reader_lock (self, error))
    return NULL;
  messages = list_locked (self, query_or_default (query), offset, limit, error);
  sd_store_reader_unlock (self);
  return messages;
}

SdMessage *
sd_store_get_message (SdStore     *self,
                      const char  *id_or_prefix,
                      GError     **error)
{
  /* A range over the unique index, not a scan: ids are ASCII. */
  static const char sql[] =
    "SELECT " MESSAGE_COLUMNS " FROM message m WHERE m.id >= ?1 AND m.id < ?1 || char (1114111)"
    " ORDER BY m.id = ?1 DESC LIMIT 2";
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (id_or_prefix != NULL && id_or_prefix[0] != '\0')
    {
      if (!sd_store_reader_lock (self, error))
        return NULL;
      if ((stmt = sd_store_reader_prepare (self, sql, error)) == NULL)
        {
          sd_store_reader_unlock (self);
          return NULL;
        }
      sqlite3_bind_text (stmt, 1, id_or_prefix, -1, SQLITE_TRANSIENT);
      if (!read_messages (stmt, found, &rc))
        sd_store_reader_fail (self, rc, error);
      sd_store_reader_unlock (self);
      if (rc != SQLITE_DONE)
        return NULL;
    }

  if (found->len == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("No message has the id “%s”."), id_or_prefix != NULL ? id_or_prefix : "");
      return NULL;
    }
  if (found->len > 1 && !g_str_equal (sd_message_get_id (found->pdata[0]), id_or_prefix))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_AMBIGUOUS,
                   _("The id “%s” matches more than one message; give more of it."), id_or_prefix);
      return NULL;
    }
  return g_object_ref (found->pdata[0]);
}

/* Conversations */

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  SdMessage *x = *(SdMessage * const *) a;
  SdMessage *y = *(SdMessage * const *) b;
  gint64 at_x = sd_message_get_sent_at (x), at_y = sd_message_get_sent_at (y);
  gint64 row_x = sd_message_get_rowid (x), row_y = sd_message_get_rowid (y);

  /* A reply not yet on the network (rowid 0) comes after what it answers. */
  if (at_x != at_y)
    return at_x < at_y ? -1 : 1;
  if (row_x == 0 || row_y == 0)
    return row_x == row_y ? 0 : row_x == 0 ? 1 : -1;
  return row_x < row_y ? -1 : row_x > row_y ? 1 : 0;
}

/* Replies written here that no fetched OWN message stands for yet. */
static gboolean
read_reply_posts (SdStore     *self,
                  SdMessage   *anchor,
                  GPtrArray   *into,
                  GError     **error)
{
  static const char sql[] =
    "SELECT p.id, p.text, p.state, ifnull (p.scheduled_at, p.created_at), a.platform, a.handle,"
    "  a.display_name, a.remote_id, p.reply_to_message_id"
    " FROM post p JOIN message t ON t.id = p.reply_to_message_id JOIN account a ON a.id = t.account_id"
    " WHERE p.is_reply = 1 AND p.deleted_at IS NULL"
    "   AND (t.id = ?3 OR (?2 IS NOT NULL AND t.account_id = ?1 AND t.conversation_id = ?2))"
    "   AND NOT EXISTS (SELECT 1 FROM variant v JOIN message o ON o.account_id = t.account_id"
    "     AND o.remote_id = v.remote_id WHERE v.post_id = p.id)"
    "   AND NOT EXISTS (SELECT 1 FROM variant v JOIN job j ON j.variant_id = v.id"
    "     JOIN job_part jp ON jp.job_id = j.id JOIN message o ON o.account_id = t.account_id"
    "     AND o.remote_id = jp.remote_id WHERE v.post_id = p.id)";
  sqlite3_stmt *stmt = sd_store_reader_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sd_store_bind_text_or_null (stmt, 1, sd_message_get_account_id (anchor));
  sd_store_bind_text_or_null (stmt, 2, sd_message_get_conversation_id (anchor));
  sd_store_bind_text_or_null (stmt, 3, sd_message_get_id (anchor));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SdMessage *reply = sd_message_new ();
      SdPostState state = SD_POST_STATE_DRAFT;
      SdPlatform platform = sd_message_get_platform (anchor);

      sd_post_state_from_string (column_text (stmt, 2), &state);
      sd_platform_from_id (column_text (stmt, 4), &platform);
      sd_message_set_id (reply, column_text (stmt, 0));
      sd_message_set_reply_post_id (reply, column_text (stmt, 0));
      sd_message_set_reply_state (reply, state);
      sd_message_set_text (reply, column_text (stmt, 1));
      sd_message_set_sent_at (reply, sqlite3_column_int64 (stmt, 3));
      sd_message_set_kind (reply, SD_MESSAGE_KIND_OWN);
      sd_message_set_platform (reply, platform);
      sd_message_set_account_id (reply, sd_message_get_account_id (anchor));
      sd_message_set_conversation_id (reply, sd_message_get_conversation_id (anchor));
      sd_message_set_author_handle (reply, column_text (stmt, 5));
      sd_message_set_author_name (reply, column_text (stmt, 6));
      sd_message_set_author_remote_id (reply, column_text (stmt, 7));
      sd_message_set_is_read (reply, TRUE);
      g_ptr_array_add (into, reply);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || sd_store_reader_fail (self, rc, error);
}

GPtrArray *
sd_store_list_conversation (SdStore     *self,
                            const char  *message_id,
                            GError     **error)
{
  static const char sql[] =
    "SELECT " MESSAGE_COLUMNS " FROM message m WHERE m.account_id = ?1 AND m.conversation_id = ?2";
  g_autoptr(SdMessage) anchor = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!(anchor = sd_store_get_message (self, message_id, error)))
    return NULL;
  if (!sd_store_reader_lock (self, error))
    return NULL;

  if (sd_message_get_conversation_id (anchor) == NULL)
    g_ptr_array_add (messages, g_object_ref (anchor));
  else if ((ok = (stmt = sd_store_reader_prepare (self, sql, error)) != NULL))
    {
      sd_store_bind_text_or_null (stmt, 1, sd_message_get_account_id (anchor));
      sd_store_bind_text_or_null (stmt, 2, sd_message_get_conversation_id (anchor));
      if (!(ok = read_messages (stmt, messages, &rc)))
        sd_store_reader_fail (self, rc, error);
    }
  ok = ok && read_reply_posts (self, anchor, messages, error);
  sd_store_reader_unlock (self);

  if (!ok)
    return NULL;
  g_ptr_array_sort (messages, compare_oldest_first);
  return g_steal_pointer (&messages);
}

/* Flags */

gboolean
sd_store_set_message_flag (SdStore             *self,
                           const char * const  *message_ids,
                           SdMessageFlag        flag,
                           gboolean             value,
                           GError             **error)
{
  static const char * const sql[] = {
    [SD_MESSAGE_FLAG_READ] = "UPDATE message SET is_read = ?2 WHERE id = ?1",
    [SD_MESSAGE_FLAG_DONE] = "UPDATE message SET is_done = ?2 WHERE id = ?1",
    [SD_MESSAGE_FLAG_REVIEWED] = "UPDATE message SET is_reviewed = ?2 WHERE id = ?1",
  };
  gboolean ok = TRUE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (flag < G_N_ELEMENTS (sql), FALSE);

  if (message_ids == NULL)
    return TRUE;
  if (!sd_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && message_ids[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = sd_store_prepare (self, sql[flag], error);

      if (!(ok = stmt != NULL))
        break;
      sqlite3_bind_text (stmt, 1, message_ids[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, value ? 1 : 0);
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_mark_all_read (SdStore             *self,
                        const SdInboxQuery  *query,
                        GError             **error)
{
  SdInboxQuery open;
  g_autofree char *expression = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  open = *query_or_default (query);
  open.done = SD_INBOX_OPEN;
  expression = search_expression (open.search);

  if (!sd_store_begin (self, error))
    return FALSE;
  if ((ok = (stmt = sd_store_prepare (self, query_sql (&open, expression != NULL, QUERY_MARK_READ), error)) != NULL))
    {
      bind_query (stmt, &open, expression);
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

/* Replies */

static SdMessage *
get_message_locked (SdStore     *self,
                    const char  *message_id,
                    GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT " MESSAGE_COLUMNS " FROM message m WHERE m.id = ?1",
                                         error);
  SdMessage *message = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    message = message_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("No message has the id “%s”."), message_id);
  else
    sd_store_fail (self, rc, error);
  sqlite3_reset (stmt);
  return message;
}

/* The composer's text rules, for one post on the account's network. */
static gboolean
check_reply_text (SdAccount   *account,
                  SdMessage   *message,
                  const char  *text,
                  GError     **error)
{
  SdPlatform platform = sd_account_get_platform (account);
  g_autoptr(SdTextCount) count = NULL;
  g_autoptr(GString) what = g_string_new (NULL);
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  gint64 until = sd_message_get_reply_until (message);
  SdTextOptions options;

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY, _("Write something to reply."));
      return FALSE;
    }
  if (until != 0 && sd_time_now () > until)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY,
                   /* Translators: %s is a network's name, such as "Instagram". */
                   _("%s no longer takes replies to this message: the time to answer it has passed."),
                   sd_platform_get_info (platform)->display_name);
      return FALSE;
    }

  sd_account_text_options (account, &options);
  count = sd_text_count (platform, text, &options);
  for (guint i = 0; i < count->problems->len; i++)
    {
      g_autofree char *problem = sd_text_problem_describe (g_array_index (count->problems, SdTextProblem, i), count);

      g_string_append_printf (what, "%s%s", what->len > 0 ? "; " : "", problem);
    }
  if (what->len == 0)
    return TRUE;

  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY,
               /* Translators: the first %s is a network's name, the second what it would refuse. */
               _("%s would refuse this reply: %s"), sd_platform_get_info (platform)->display_name, what->str);
  return FALSE;
}

static gboolean
insert_reply_post (SdStore     *self,
                   const char  *post_id,
                   const char  *message_id,
                   const char  *text,
                   GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self,
                                         "INSERT INTO post (id, text, state, created_at, updated_at,"
                                         "  reply_to_message_id, is_reply)"
                                         " VALUES (?1, ?2, 'draft', ?4, ?4, ?3, 1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sd_time_now ());
  return sd_store_step (self, stmt, error);
}

char *
sd_store_queue_reply (SdStore     *self,
                      const char  *message_id,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(SdMessage) message = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *post_id = g_uuid_string_random ();
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  if (!sd_store_begin (self, error))
    return NULL;

  ok = (message = get_message_locked (self, message_id, error)) != NULL
       && (account = sd_store_read_account_locked (self, sd_message_get_account_id (message), error)) != NULL
       && check_reply_text (account, message, text, error)
       && insert_reply_post (self, post_id, message_id, text, error)
       && sd_store_bind_account_locked (self, post_id, sd_message_get_account_id (message), error)
       && sd_store_schedule_variants_locked (self, post_id, sd_time_now (), error)
       && sd_store_run_for_id (self, "UPDATE message SET is_read = 1, is_reviewed = 1"
                                     " WHERE id = ?1 AND ?2 IS NOT NULL", message_id, error);

  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&post_id);
}

SdMessage *
sd_store_get_reply_target_locked (SdStore     *self,
                                  const char  *post_id,
                                  GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT is_reply, reply_to_message_id FROM post WHERE id = ?1",
                                         error);
  g_autofree char *message_id = NULL;
  gboolean is_reply = FALSE;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      is_reply = sqlite3_column_int (stmt, 0) != 0;
      message_id = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sd_store_fail (self, rc, error);
      return NULL;
    }
  if (!is_reply)
    return NULL;
  if (message_id == NULL)
    {
      /* Never send it as a post of its own. */
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                           _("The message this reply answers is no longer in the inbox."));
      return NULL;
    }
  return get_message_locked (self, message_id, error);
}

SdMessage *
sd_store_get_reply_target (SdStore     *self,
                           const char  *post_id,
                           GError     **error)
{
  SdMessage *message;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  message = sd_store_get_reply_target_locked (self, post_id, error);
  ok = message != NULL || error == NULL || *error == NULL;
  sd_store_end (self, ok, NULL);
  return message;
}

/* Pending network actions */

void
sd_pending_action_free (SdPendingAction *action)
{
  if (action == NULL)
    return;
  g_free (action->message_id);
  g_free (action);
}

/* The flag an action sets at once (and what a refusal puts back). */
static const char *
flag_sql_for (SdMessageAction action,
              gboolean        undo)
{
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
      return undo ? "UPDATE message SET is_liked = 0 WHERE id = ?1 AND ?2 IS NOT NULL"
                  : "UPDATE message SET is_liked = 1 WHERE id = ?1 AND ?2 IS NOT NULL";
    case SD_MESSAGE_ACTION_UNLIKE:
      return undo ? "UPDATE message SET is_liked = 1 WHERE id = ?1 AND ?2 IS NOT NULL"
                  : "UPDATE message SET is_liked = 0 WHERE id = ?1 AND ?2 IS NOT NULL";
    case SD_MESSAGE_ACTION_HIDE:
      return undo ? "UPDATE message SET is_hidden = 0 WHERE id = ?1 AND ?2 IS NOT NULL"
                  : "UPDATE message SET is_hidden = 1 WHERE id = ?1 AND ?2 IS NOT NULL";
    case SD_MESSAGE_ACTION_UNHIDE:
      return undo ? "UPDATE message SET is_hidden = 1 WHERE id = ?1 AND ?2 IS NOT NULL"
                  : "UPDATE message SET is_hidden = 0 WHERE id = ?1 AND ?2 IS NOT NULL";
    case SD_MESSAGE_ACTION_DELETE:
    default:
      return undo ? "UPDATE message SET is_hidden = 0, is_done = 0 WHERE id = ?1 AND ?2 IS NOT NULL"
                  : "UPDATE message SET is_hidden = 1, is_done = 1 WHERE id = ?1 AND ?2 IS NOT NULL";
    }
}

static gboolean
opposite_action (SdMessageAction  action,
                 SdMessageAction *opposite)
{
  switch (action)
    {
    case SD_MESSAGE_ACTION_LIKE:
      *opposite = SD_MESSAGE_ACTION_UNLIKE;
      return TRUE;
    case SD_MESSAGE_ACTION_UNLIKE:
      *opposite = SD_MESSAGE_ACTION_LIKE;
      return TRUE;
    case SD_MESSAGE_ACTION_HIDE:
      *opposite = SD_MESSAGE_ACTION_UNHIDE;
      return TRUE;
    case SD_MESSAGE_ACTION_UNHIDE:
      *opposite = SD_MESSAGE_ACTION_HIDE;
      return TRUE;
    case SD_MESSAGE_ACTION_DELETE:
    default:
      return FALSE;
    }
}

/* Drops a waiting action never handed to the sync (attempts 0); TRUE in
 * @dropped when there was one. */
static gboolean
drop_unsent (SdStore          *self,
             const char       *message_id,
             SdMessageAction   action,
             gboolean         *dropped,
             GError          **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self,
                                         "DELETE FROM message_action WHERE id = (SELECT id FROM message_action"
                                         " WHERE message_id = ?1 AND action = ?2 AND attempts = 0"
                                         " ORDER BY id DESC LIMIT 1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sd_message_action_to_string (action), -1, SQLITE_STATIC);
  if (!sd_store_step (self, stmt, error))
    return FALSE;
  *dropped = sqlite3_changes (sd_store_get_db (self)) > 0;
  return TRUE;
}

static gboolean
insert_action (SdStore          *self,
               const char       *message_id,
               SdMessageAction   action,
               GError          **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self,
                                         "INSERT INTO message_action (message_id, action, created_at)"
                                         " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM message_action"
                                         "   WHERE message_id = ?1 AND action = ?2 AND attempts = 0)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sd_message_action_to_string (action), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, sd_time_now ());
  return sd_store_step (self, stmt, error);
}

gboolean
sd_store_queue_message_action (SdStore          *self,
                               const char       *message_id,
                               SdMessageAction   action,
                               GError          **error)
{
  g_autoptr(SdMessage) message = NULL;
  SdMessageAction opposite;
  gboolean dropped = FALSE;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (message = get_message_locked (self, message_id, error)) != NULL
       && sd_store_run_for_id (self, flag_sql_for (action, FALSE), message_id, error);
  /* A like and an unlike the sync never saw cancel out. */
  if (ok && opposite_action (action, &opposite))
    ok = drop_unsent (self, message_id, opposite, &dropped, error);
  if (ok && !dropped)
    ok = insert_action (self, message_id, action, error);
  return sd_store_end (self, ok, error);
}

static int
compare_action_ids (gconstpointer a,
                    gconstpointer b)
{
  gint64 x = (*(SdPendingAction * const *) a)->id;
  gint64 y = (*(SdPendingAction * const *) b)->id;

  return x < y ? -1 : x > y ? 1 : 0;
}

GPtrArray *
sd_store_list_pending_actions (SdStore     *self,
                               const char  *account_id,
                               GError     **error)
{
  /* Handing an action out counts as an attempt: from here on it may reach
   * the network, so a later opposite action no longer cancels it. */
  static const char sql[] =
    "UPDATE message_action SET attempts = attempts + 1"
    " WHERE message_id IN (SELECT id FROM message WHERE ?1 IS NULL OR account_id = ?1)"
    " RETURNING id, message_id, action, attempts";
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_pending_action_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, sql, error)) != NULL))
    {
      sd_store_bind_text_or_null (stmt, 1, account_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          SdPendingAction *action = g_new0 (SdPendingAction, 1);
          SdMessageAction kind = SD_MESSAGE_ACTION_LIKE;

          action->id = sqlite3_column_int64 (stmt, 0);
          action->message_id = g_strdup (column_text (stmt, 1));
          if (!sd_message_action_from_string (column_text (stmt, 2), &kind))
            {
              sd_pending_action_free (action);
              continue;
            }
          action->action = kind;
          action->attempts = (guint) sqlite3_column_int (stmt, 3);
          g_ptr_array_add (actions, action);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  /* RETURNING gives no order: oldest first, as they were asked for. */
  g_ptr_array_sort (actions, compare_action_ids);
  return g_steal_pointer (&actions);
}

static gboolean
delete_message_locked (SdStore     *self,
                       const char  *message_id,
                       GError     **error)
{
  /* Replies still waiting to answer it would have nothing to answer. */
  return sd_store_run_for_id (self, "UPDATE job SET state = 'cancelled', updated_at = ?2"
                                    " WHERE state IN ('pending', 'held', 'failed', 'uncertain')"
                                    " AND variant_id IN (SELECT v.id FROM variant v JOIN post p ON p.id = v.post_id"
                                    "   WHERE p.reply_to_message_id = ?1)", message_id, error)
         && sd_store_run_for_id (self, "DELETE FROM message WHERE id = ?1 AND ?2 IS NOT NULL", message_id, error);
}

gboolean
sd_store_finish_message_action (SdStore     *self,
                                gint64       action_id,
                                SdOutcome    outcome,
                                const char  *message,
                                GError     **error)
{
  g_autofree char *message_id = NULL;
  SdMessageAction action = SD_MESSAGE_ACTION_LIKE;
  sqlite3_stmt *stmt;
  gboolean ok, found = FALSE;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (outcome == SD_OUTCOME_RETRY)
    return TRUE;
  if (!sd_store_begin (self, error))
    return FALSE;
  if ((ok = (stmt = sd_store_prepare (self, "DELETE FROM message_action WHERE id = ?1"
                                            " RETURNING message_id, action", error)) != NULL))
    {
      sqlite3_bind_int64 (stmt, 1, action_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          found = sd_message_action_from_string (column_text (stmt, 1), &action);
          message_id = g_strdup (column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        ok = sd_store_fail (self, rc, error);
    }

  if (ok && found && outcome == SD_OUTCOME_DONE && action == SD_MESSAGE_ACTION_DELETE)
    ok = delete_message_locked (self, message_id, error);
  else if (ok && found && outcome != SD_OUTCOME_DONE)
    {
      ok = sd_store_run_for_id (self, flag_sql_for (action, TRUE), message_id, error);
      if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE message SET last_error = ?2 WHERE id = ?1",
                                                error)) != NULL))
        {
          sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
          sd_store_bind_text_or_null (stmt, 2, message);
          ok = sd_store_step (self, stmt, error);
        }
    }
  return sd_store_end (self, ok, error);
}

char *
sd_store_take_message_error (SdStore     *self,
                             const char  *message_id,
                             GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, "SELECT last_error FROM message WHERE id = ?1", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        text = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_ROW || rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  ok = ok && (text == NULL
              || sd_store_run_for_id (self, "UPDATE message SET last_error = NULL WHERE id = ?1 AND ?2 IS NOT NULL",
                                      message_id, error));
  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&text);
}

/* Cursors */

void
sd_inbox_cursor_free (SdInboxCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_free (cursor->account_id);
  g_free (cursor->stream);
  g_free (cursor->cursor);
  g_free (cursor->last_error);
  g_free (cursor->resume_page);
  g_free (cursor->pending_cursor);
  g_free (cursor);
}

#define CURSOR_COLUMNS "account_id, kind, cursor, next_fetch_at, failures, last_error, fetched_at," \
  " resume_page, pending_cursor"

static SdInboxCursor *
cursor_from_row (sqlite3_stmt *stmt)
{
  SdInboxCursor *cursor = g_new0 (SdInboxCursor, 1);

  cursor->account_id = g_strdup (column_text (stmt, 0));
  cursor->stream = g_strdup (column_text (stmt, 1));
  cursor->cursor = g_strdup (column_text (stmt, 2));
  cursor->next_fetch_at = sqlite3_column_int64 (stmt, 3);
  cursor->failures = (guint) sqlite3_column_int (stmt, 4);
  cursor->last_error = g_strdup (column_text (stmt, 5));
  cursor->fetched_at = sqlite3_column_int64 (stmt, 6);
  cursor->resume_page = g_strdup (column_text (stmt, 7));
  cursor->pending_cursor = g_strdup (column_text (stmt, 8));
  return cursor;
}

SdInboxCursor *
sd_store_get_inbox_cursor (SdStore     *self,
                           const char  *account_id,
                           const char  *stream,
                           GError     **error)
{
  SdInboxCursor *cursor = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL && stream != NULL, NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, "SELECT " CURSOR_COLUMNS " FROM sync_cursor"
                                            " WHERE account_id = ?1 AND kind = ?2", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, stream, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        cursor = cursor_from_row (stmt);
      sqlite3_reset (stmt);
      ok = rc == SQLITE_ROW || rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    {
      sd_inbox_cursor_free (cursor);
      return NULL;
    }
  if (cursor == NULL)
    {
      cursor = g_new0 (SdInboxCursor, 1);
      cursor->account_id = g_strdup (account_id);
      cursor->stream = g_strdup (stream);
    }
  return cursor;
}

gboolean
sd_store_save_inbox_cursor (SdStore              *self,
                            const SdInboxCursor  *cursor,
                            GError              **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (cursor != NULL && cursor->account_id != NULL && cursor->stream != NULL, FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  if ((ok = (stmt = sd_store_prepare (self,
                                      "INSERT INTO sync_cursor (account_id, kind, cursor, updated_at, next_fetch_at,"
                                      "   failures, last_error, fetched_at, resume_page, pending_cursor)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                      " ON CONFLICT (account_id, kind) DO UPDATE SET cursor = excluded.cursor,"
                                      "   updated_at = excluded.updated_at, next_fetch_at = excluded.next_fetch_at,"
                                      "   failures = excluded.failures, last_error = excluded.last_error,"
                                      "   fetched_at = excluded.fetched_at, resume_page = excluded.resume_page,"
                                      "   pending_cursor = excluded.pending_cursor", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, cursor->account_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, cursor->stream, -1, SQLITE_TRANSIENT);
      sd_store_bind_text_or_null (stmt, 3, cursor->cursor);
      sqlite3_bind_int64 (stmt, 4, sd_time_now ());
      sqlite3_bind_int64 (stmt, 5, cursor->next_fetch_at);
      sqlite3_bind_int (stmt, 6, (int) cursor->failures);
      sd_store_bind_text_or_null (stmt, 7, cursor->last_error);
      sqlite3_bind_int64 (stmt, 8, cursor->fetched_at);
      sd_store_bind_text_or_null (stmt, 9, cursor->resume_page);
      sd_store_bind_text_or_null (stmt, 10, cursor->pending_cursor);
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

GPtrArray *
sd_store_list_inbox_cursors (SdStore  *self,
                             GError  **error)
{
  g_autoptr(GPtrArray) cursors = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_cursor_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, "SELECT " CURSOR_COLUMNS " FROM sync_cursor"
                                            " ORDER BY account_id, kind", error)) != NULL))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (cursors, cursor_from_row (stmt));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&cursors);
}

/* Labels */

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *x = g_utf8_casefold (a, -1);
  g_autofree char *y = g_utf8_casefold (b, -1);

  return g_str_equal (x, y);
}

/* The id and name of the label called @name in any case; NULL (no error) when none. */
static char *
find_label_locked (SdStore     *self,
                   const char  *name,
                   gboolean    *failed,
                   GError     **error)
{
  sqlite3_stmt *stmt = sd_store_prepare (self, "SELECT id, name FROM label", error);
  char *id = NULL;
  int rc;

  *failed = stmt == NULL;
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (id == NULL && same_name (column_text (stmt, 1), name))
      id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      *failed = TRUE;
      sd_store_fail (self, rc, error);
      g_clear_pointer (&id, g_free);
    }
  return id;
}

static char *
clean_label_name (const char  *name,
                  GError     **error)
{
  g_autofree char *clean = g_utf8_make_valid (name != NULL ? name : "", -1);

  g_strstrip (clean);
  if (clean[0] == '\0')
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY, _("A label needs a name."));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

static char *
ensure_label_locked (SdStore     *self,
                     const char  *name,
                     GError     **error)
{
  g_autofree char *clean = clean_label_name (name, error);
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;
  gboolean failed = FALSE;

  if (clean == NULL)
    return NULL;
  if ((id = find_label_locked (self, clean, &failed, error)) != NULL || failed)
    return g_steal_pointer (&id);

  id = g_uuid_string_random ();
  if (!(stmt = sd_store_prepare (self, "INSERT INTO label (id, name) VALUES (?1, ?2)", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
  if (!sd_store_step (self, stmt, error))
    return NULL;
  return g_steal_pointer (&id);
}

GStrv
sd_store_list_labels (SdStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, "SELECT name FROM label", error)) != NULL))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (names, g_strdup (column_text (stmt, 0)));
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

gboolean
sd_store_add_label (SdStore     *self,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  id = ensure_label_locked (self, name, error);
  return sd_store_end (self, id != NULL, error);
}

gboolean
sd_store_rename_label (SdStore     *self,
                       const char  *name,
                       const char  *new_name,
                       GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  sqlite3_stmt *stmt;
  gboolean ok, failed = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!(clean = clean_label_name (new_name, error)))
    return FALSE;
  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (id = find_label_locked (self, name, &failed, error)) != NULL;
  if (!ok && !failed)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no label “%s”."), name);
  if (ok)
    {
      other = find_label_locked (self, clean, &failed, error);
      ok = !failed;
      if (ok && other != NULL && !g_str_equal (other, id))
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY,
                       _("There is already a label “%s”."), clean);
          ok = FALSE;
        }
    }
  if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE label SET name = ?2 WHERE id = ?1", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      ok = sd_store_step (self, stmt, error);
    }
  /* Rules that added the old name add the new one. */
  if (ok && (ok = (stmt = sd_store_prepare (self, "UPDATE inbox_rule SET label = ?2 WHERE label = ?1"
                                                  " COLLATE NOCASE", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      ok = sd_store_step (self, stmt, error);
    }
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_remove_label (SdStore     *self,
                       const char  *name,
                       GError     **error)
{
  g_autofree char *id = NULL;
  gboolean ok, failed = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  id = find_label_locked (self, name, &failed, error);
  ok = !failed && (id == NULL || sd_store_run_for_id (self, "DELETE FROM label WHERE id = ?1 AND ?2 IS NOT NULL",
                                                      id, error));
  return sd_store_end (self, ok, error);
}

gboolean
sd_store_set_message_label (SdStore     *self,
                            const char  *message_id,
                            const char  *label,
                            gboolean     on,
                            GError     **error)
{
  g_autoptr(SdMessage) message = NULL;
  g_autofree char *label_id = NULL;
  sqlite3_stmt *stmt;
  gboolean ok, failed = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = (message = get_message_locked (self, message_id, error)) != NULL;
  if (ok && on)
    ok = (label_id = ensure_label_locked (self, label, error)) != NULL
         && add_label_locked (self, message_id, label_id, error);
  else if (ok)
    {
      label_id = find_label_locked (self, label != NULL ? label : "", &failed, error);
      ok = !failed;
      if (ok && label_id != NULL
          && (ok = (stmt = sd_store_prepare (self, "DELETE FROM message_label WHERE message_id = ?1"
                                                   " AND label_id = ?2", error)) != NULL))
        {
          sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, label_id, -1, SQLITE_TRANSIENT);
          ok = sd_store_step (self, stmt, error);
        }
    }
  return sd_store_end (self, ok, error);
}

/* Rules */

static guint
kinds_from_string (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text != NULL ? text : "", ",", -1);
  guint kinds = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      SdMessageKind kind;

      if (sd_message_kind_from_string (names[i], &kind))
        kinds |= 1u << kind;
    }
  return kinds;
}

static char *
kinds_to_string (guint kinds)
{
  GString *text = g_string_new (NULL);

  for (SdMessageKind kind = 0; kind < SD_N_MESSAGE_KINDS; kind++)
    if ((kinds & (1u << kind)) != 0)
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", sd_message_kind_to_string (kind));
  return g_string_free (text, FALSE);
}

static GPtrArray *
list_rules_locked (SdStore   *self,
                   gboolean   enabled_only,
                   GError   **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_rule_free);
  sqlite3_stmt *stmt = sd_store_prepare (self,
                                         "SELECT id, name, enabled, keyword, kinds, platforms, author, label,"
                                         "  mark_done, notify FROM inbox_rule WHERE ?1 = 0 OR enabled = 1"
                                         " ORDER BY position, rowid", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, enabled_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SdInboxRule *rule = sd_inbox_rule_new ();
      SdPlatformSet platforms = 0;

      rule->id = g_strdup (column_text (stmt, 0));
      rule->name = g_strdup (column_text (stmt, 1));
      rule->enabled = sqlite3_column_int (stmt, 2) != 0;
      rule->keyword = g_strdup (column_text (stmt, 3));
      rule->kinds = kinds_from_string (column_text (stmt, 4));
      if (column_text (stmt, 5) != NULL)
        sd_platform_set_parse (column_text (stmt, 5), ",", &platforms, NULL);
      rule->platforms = platforms;
      rule->author = g_strdup (column_text (stmt, 6));
      rule->label = g_strdup (column_text (stmt, 7));
      rule->mark_done = sqlite3_column_int (stmt, 8) != 0;
      rule->notify = sqlite3_column_int (stmt, 9) != 0;
      g_ptr_array_add (rules, rule);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_store_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rules);
}

GPtrArray *
sd_store_list_inbox_rules (SdStore  *self,
                           GError  **error)
{
  GPtrArray *rules;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  rules = list_rules_locked (self, FALSE, error);
  if (!sd_store_end (self, rules != NULL, error))
    g_clear_pointer (&rules, g_ptr_array_unref);
  return rules;
}

gboolean
sd_store_save_inbox_rule (SdStore      *self,
                          SdInboxRule  *rule,
                          GError      **error)
{
  static const char sql[] =
    "INSERT INTO inbox_rule (id, position, name, enabled, keyword, kinds, platforms, author, label,"
    "  mark_done, notify)"
    " VALUES (?1, (SELECT ifnull (max (position), 0) + 1 FROM inbox_rule), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled,"
    "   keyword = excluded.keyword, kinds = excluded.kinds, platforms = excluded.platforms,"
    "   author = excluded.author, label = excluded.label, mark_done = excluded.mark_done,"
    "   notify = excluded.notify";
  g_autofree char *problem = NULL;
  g_autofree char *id = NULL;
  g_autofree char *kinds = NULL;
  g_autofree char *platforms = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  if (!sd_inbox_rule_check (rule, &problem))
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY, problem);
      return FALSE;
    }

  id = rule->id != NULL ? g_strdup (rule->id) : g_uuid_string_random ();
  kinds = kinds_to_string (rule->kinds);
  platforms = rule->platforms != 0 ? sd_platform_set_to_string (rule->platforms, ",") : NULL;

  if (!sd_store_begin (self, error))
    return FALSE;
  if ((ok = (stmt = sd_store_prepare (self, sql, error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sd_store_bind_text_or_null (stmt, 2, rule->name != NULL ? rule->name : "");
      sqlite3_bind_int (stmt, 3, rule->enabled);
      sd_store_bind_text_or_null (stmt, 4, rule->keyword);
      sd_store_bind_text_or_null (stmt, 5, kinds[0] != '\0' ? kinds : NULL);
      sd_store_bind_text_or_null (stmt, 6, platforms);
      sd_store_bind_text_or_null (stmt, 7, rule->author);
      sd_store_bind_text_or_null (stmt, 8, rule->label != NULL && rule->label[0] != '\0' ? rule->label : NULL);
      sqlite3_bind_int (stmt, 9, rule->mark_done);
      sqlite3_bind_int (stmt, 10, rule->notify);
      ok = sd_store_step (self, stmt, error);
    }
  if (!sd_store_end (self, ok, error))
    return FALSE;
  if (rule->id == NULL)
    rule->id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
sd_store_remove_inbox_rule (SdStore     *self,
                            const char  *rule_id,
                            GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_run_for_id (self, "DELETE FROM inbox_rule WHERE id = ?1 AND ?2 IS NOT NULL", rule_id, error);
  return sd_store_end (self, ok, error);
}

/* Saved replies */

GPtrArray *
sd_store_list_saved_replies (SdStore  *self,
                             GError  **error)
{
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_saved_reply_free);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (!sd_store_begin (self, error))
    return NULL;
  if ((ok = (stmt = sd_store_prepare (self, "SELECT id, title, body FROM saved_reply"
                                            " ORDER BY title COLLATE NOCASE, id", error)) != NULL))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          SdSavedReply *reply = sd_saved_reply_new (column_text (stmt, 1), column_text (stmt, 2));

          reply->id = g_strdup (column_text (stmt, 0));
          g_ptr_array_add (replies, reply);
        }
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || sd_store_fail (self, rc, error);
    }
  if (!sd_store_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&replies);
}

gboolean
sd_store_save_saved_reply (SdStore       *self,
                           SdSavedReply  *reply,
                           GError       **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  stripped = g_strstrip (g_strdup (reply->title != NULL ? reply->title : ""));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_READY, _("A saved reply needs a title."));
      return FALSE;
    }
  id = reply->id != NULL ? g_strdup (reply->id) : g_uuid_string_random ();

  if (!sd_store_begin (self, error))
    return FALSE;
  if ((ok = (stmt = sd_store_prepare (self,
                                      "INSERT INTO saved_reply (id, title, body, updated_at) VALUES (?1, ?2, ?3, ?4)"
                                      " ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body,"
                                      "   updated_at = excluded.updated_at", error)) != NULL))
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, reply->title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, reply->body != NULL ? reply->body : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, sd_time_now ());
      ok = sd_store_step (self, stmt, error);
    }
  if (!sd_store_end (self, ok, error))
    return FALSE;
  if (reply->id == NULL)
    reply->id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
sd_store_remove_saved_reply (SdStore     *self,
                             const char  *reply_id,
                             GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_run_for_id (self, "DELETE FROM saved_reply WHERE id = ?1 AND ?2 IS NOT NULL", reply_id, error);
  return sd_store_end (self, ok, error);
}

/* The first page in a worker */

typedef struct
{
  char         *account_id;
  char         *label;
  char         *search;
  SdInboxQuery  query;
  guint         limit;
  guint         n_items;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->account_id);
  g_free (data->label);
  g_free (data->search);
  g_free (data);
}

static void
query_messages_thread (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SdStore *self = source;
  QueryData *data = task_data;
  GPtrArray *messages = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (sd_store_reader_lock (self, &error))
    {
      /* Count and page under one lock, so they agree. */
      if (count_locked (self, &data->query, &data->n_items, &error))
        messages = list_locked (self, &data->query, 0, data->limit, &error);
      sd_store_reader_unlock (self);
    }
  if (messages == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

void
sd_store_query_messages_async (SdStore             *self,
                               const SdInboxQuery  *query,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *data = g_new0 (QueryData, 1);

  g_return_if_fail (SD_IS_STORE (self));

  data->query = *query_or_default (query);
  data->account_id = g_strdup (data->query.account_id);
  data->label = g_strdup (data->query.label);
  data->search = g_strdup (data->query.search);
  data->query.account_id = data->account_id;
  data->query.label = data->label;
  data->query.search = data->search;
  data->limit = limit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_store_query_messages_async);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  g_task_run_in_thread (task, query_messages_thread);
}

GPtrArray *
sd_store_query_messages_finish (SdStore       *self,
                                GAsyncResult  *result,
                                guint         *n_items,
                                GError       **error)
{
  GPtrArray *messages;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  messages = g_task_propagate_pointer (G_TASK (result), error);
  if (n_items != NULL)
    *n_items = messages != NULL ? ((QueryData *) g_task_get_task_data (G_TASK (result)))->n_items : 0;
  return messages;
}
