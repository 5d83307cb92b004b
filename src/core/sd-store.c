/* sd-store.c — the local SQLite store every piece of user data lives in
 *
 * One connection writes (behind a mutex, so worker threads may use it) and a
 * second, read-only one serves lists, so a long read never waits on a save.
 * Other processes (the CLI next to the GUI) are handled by WAL, IMMEDIATE
 * write transactions and a busy timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "sd-store-private.h"
#include "sd-time.h"

#define BUSY_TIMEOUT_MS 10000

struct _SdStore
{
  GObject     parent_instance;

  char       *path;
  char       *media_dir;
  int         schema_version;

  GMutex      mutex;        /* guards db and statements */
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */

  GMutex      reader_mutex; /* guards reader and reader_statements */
  sqlite3    *reader;
  GHashTable *reader_statements;
};

G_DEFINE_FINAL_TYPE (SdStore, sd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (sd-store-error-quark, sd_store_error)

#define POST_COLUMNS \
  "p.id, p.text, p.state, p.scheduled_at, p.created_at, p.updated_at," \
  " (SELECT group_concat (DISTINCT v.platform) FROM variant v WHERE v.post_id = p.id)," \
  " (SELECT json_group_object (v.platform, v.text) FROM variant v" \
  "   WHERE v.post_id = p.id AND v.account_id IS NULL AND v.text IS NOT NULL)," \
  " p.thread_auto, p.thread_numbering," \
  " (SELECT json_group_array (json_object ('id', m.id, 'file', m.filename, 'mime', m.mime_type," \
  "    'width', m.width, 'height', m.height, 'bytes', m.bytes, 'alt', pm.alt_text, 'public_url', pm.public_url," \
  "    'position', pm.position))" \
  "   FROM post_media pm JOIN media m ON m.id = pm.media_id WHERE pm.post_id = p.id)," \
  " (SELECT group_concat (DISTINCT j.state) FROM variant v JOIN job j ON j.variant_id = v.id" \
  "   WHERE v.post_id = p.id AND j.state IN ('pending', 'server', 'held', 'uncertain', 'failed'))," \
  " (SELECT v.last_error FROM variant v WHERE v.post_id = p.id AND v.last_error IS NOT NULL" \
  "   ORDER BY v.updated_at DESC LIMIT 1)," \
  " (SELECT group_concat (v.platform || char (9) || v.remote_url, char (10)) FROM variant v" \
  "   WHERE v.post_id = p.id AND v.state = 'published' AND v.remote_url IS NOT NULL)," \
  " (SELECT json_group_object (v.platform, json (v.options_json)) FROM variant v" \
  "   WHERE v.post_id = p.id AND v.account_id IS NULL AND json_valid (v.options_json))"

static void
sd_store_finalize (GObject *object)
{
  SdStore *self = (SdStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->reader_statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->reader, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->media_dir, g_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->reader_mutex);

  G_OBJECT_CLASS (sd_store_parent_class)->finalize (object);
}

static void
sd_store_class_init (SdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static GHashTable *
statement_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

static void
sd_store_init (SdStore *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->reader_mutex);
  self->statements = statement_cache_new ();
  self->reader_statements = statement_cache_new ();
}

/* Errors */

static gboolean
set_error (SdStore  *self,
           sqlite3  *db,
           int       rc,
           GError  **error)
{
  int primary = rc & 0xff;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (primary)
    {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged or is not a SocialDesk database. "
                     "It was left untouched: move it elsewhere to start with an empty one, "
                     "or put back a backup."),
                   self->path);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY,
                   _("The database “%s” is busy: another program kept it locked for too long. "
                     "Nothing was changed; try again."),
                   self->path);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN,
                   _("Could not open the database “%s”: %s"), self->path, detail);
      break;

    default:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("The database “%s” could not be read or written: %s"), self->path, detail);
    }

  return FALSE;
}

/* Statements */

static sqlite3_stmt *
prepare_on (SdStore     *self,
            sqlite3     *db,
            GHashTable  *cache,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, db, rc, error);
      return NULL;
    }

  g_hash_table_insert (cache, (gpointer) sql, stmt);
  return stmt;
}

/* sql must be a string literal: the cache keys on its address. */
static sqlite3_stmt *
prepare (SdStore     *self,
         const char  *sql,
         GError     **error)
{
  return prepare_on (self, self->db, self->statements, sql, error);
}

static gboolean
exec (SdStore     *self,
      sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_error (self, db, rc, error);

  return TRUE;
}

static gboolean
step_done (SdStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_error (self, sqlite3_db_handle (stmt), rc, error);

  return TRUE;
}

static gboolean
begin (SdStore  *self,
       GError  **error)
{
  return exec (self, self->db, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (SdStore  *self,
        GError  **error)
{
  return exec (self, self->db, "COMMIT", error);
}

static void
rollback (SdStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           index,
                   gint64        time)
{
  if (time != SD_POST_NO_TIME)
    sqlite3_bind_int64 (stmt, index, time);
  else
    sqlite3_bind_null (stmt, index);
}

/* For the store's other files (sd-store-private.h) */

sqlite3_stmt *
sd_store_prepare (SdStore     *self,
                  const char  *sql,
                  GError     **error)
{
  return prepare (self, sql, error);
}

gboolean
sd_store_step (SdStore       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  return step_done (self, stmt, error);
}

void
sd_store_bind_text_or_null (sqlite3_stmt *stmt,
                            int           index,
                            const char   *text)
{
  bind_text_or_null (stmt, index, text);
}

/* Runs @sql with ?1 = @id and ?2 = now (UTC seconds). */
gboolean
sd_store_run_for_id (SdStore     *self,
                     const char  *sql,
                     const char  *id,
                     GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sd_time_now ());
  return step_done (self, stmt, error);
}

gboolean
sd_store_fail (SdStore  *self,
               int       rc,
               GError  **error)
{
  return set_error (self, self->db, rc, error);
}

/* Locks the writer and starts an IMMEDIATE transaction; sd_store_end ends both. */
gboolean
sd_store_begin (SdStore  *self,
                GError  **error)
{
  g_mutex_lock (&self->mutex);
  if (begin (self, error))
    return TRUE;
  g_mutex_unlock (&self->mutex);
  return FALSE;
}

gboolean
sd_store_end (SdStore  *self,
              gboolean  ok,
              GError  **error)
{
  ok = ok && commit (self, error);
  if (!ok)
    rollback (self);
  g_mutex_unlock (&self->mutex);
  return ok;
}

/* Opening and migrating */

static int
read_user_version (sqlite3 *db,
                   int     *rc)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  *rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (*rc == SQLITE_OK)
    {
      *rc = sqlite3_step (stmt);
      if (*rc == SQLITE_ROW)
        {
          version = sqlite3_column_int (stmt, 0);
          *rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  return version;
}

static gboolean
migrate (SdStore  *self,
         int       target,
         GError  **error)
{
  for (;;)
    {
      g_autofree char *bump = NULL;
      int version, rc;

      if (!begin (self, error))
        return FALSE;

      /* Read again inside the write lock: another process may have migrated meanwhile. */
      version = read_user_version (self->db, &rc);
      if (rc != SQLITE_OK)
        {
          rollback (self);
          return set_error (self, self->db, rc, error);
        }

      if (version >= target)
        {
          self->schema_version = version;
          return commit (self, error);
        }

      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec (self, self->db, sd_store_migrations[version], error)
          || !exec (self, self->db, bump, error)
          || !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }

      g_debug ("Migrated %s to schema %d", self->path, version + 1);
    }
}

static gboolean
configure_connection (SdStore  *self,
                      GError  **error)
{
  int version, rc;

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, TRUE);

  /* Read before writing anything, so a foreign or newer file stays as it was. */
  version = read_user_version (self->db, &rc);
  if (rc != SQLITE_OK)
    return set_error (self, self->db, rc, error);

  if (version > SD_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NEWER,
                   _("The database “%s” was written by a newer version of SocialDesk "
                     "(schema %d; this version knows up to %d). It was left untouched: "
                     "update SocialDesk to use it."),
                   self->path, version, SD_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return exec (self, self->db, "PRAGMA journal_mode = WAL", error)
      && exec (self, self->db, "PRAGMA synchronous = NORMAL", error)
      && exec (self, self->db, "PRAGMA foreign_keys = ON", error);
}

SdStore *
sd_store_open_at_version (const char  *path,
                          int          version,
                          GError     **error)
{
  g_autoptr(SdStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (version >= 0 && version <= SD_STORE_SCHEMA_VERSION, NULL);

  self = g_object_new (SD_TYPE_STORE, NULL);
  self->path = path != NULL ? g_strdup (path) : sd_store_default_path ();

  dir = g_path_get_dirname (self->path);
  self->media_dir = g_build_filename (dir, "media", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN,
                   _("Could not open the database “%s”: %s"),
                   self->path, g_strerror (saved_errno));
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, self->db, rc, error);
      return NULL;
    }

  if (!configure_connection (self, error) || !migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

SdStore *
sd_store_open (const char  *path,
               GError     **error)
{
  return sd_store_open_at_version (path, SD_STORE_SCHEMA_VERSION, error);
}

char *
sd_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "socialdesk", "socialdesk.db", NULL);
}

const char *
sd_store_get_path (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return self->path;
}

int
sd_store_get_schema_version (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), -1);

  return self->schema_version;
}

sqlite3 *
sd_store_get_db (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return self->db;
}

/**
 * sd_store_try_get_data_version:
 *
 * Reads a number that changes whenever another connection (another process)
 * commits. Never waits: returns %FALSE while a write of ours holds the
 * connection (it may be waiting out another program's lock), so the main
 * thread can ask again later.
 */
gboolean
sd_store_try_get_data_version (SdStore *self,
                               guint64 *version)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!g_mutex_trylock (&self->mutex))
    return FALSE;

  stmt = prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      *version = (guint64) sqlite3_column_int64 (stmt, 0);
      ok = TRUE;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_mutex_unlock (&self->mutex);

  return ok;
}

guint64
sd_store_get_data_version (SdStore *self)
{
  sqlite3_stmt *stmt;
  guint64 version = 0;

  g_return_val_if_fail (SD_IS_STORE (self), 0);

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = (guint64) sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_mutex_unlock (&self->mutex);

  return version;
}

/* Reading posts */

/* {"x": "its own text", …}: most posts have none ("{}"), which costs nothing. */
static void
read_variant_texts (SdPost     *post,
                    const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  GList *members;

  if (json == NULL || g_str_equal (json, "{}"))
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      SdPlatform platform;

      if (sd_platform_from_id (l->data, &platform))
        sd_post_set_variant_text (post, platform, json_object_get_string_member (object, l->data));
    }
  g_list_free (members);
}

/* {"youtube": {"title": …}, …}: each network's options, as sd-post.h keeps them. */
static void
read_variant_options (SdPost     *post,
                      const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (json == NULL || g_str_equal (json, "{}"))
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      SdPlatform platform;
      g_autofree char *options = NULL;

      if (!sd_platform_from_id (name, &platform) || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      options = json_to_string (node, FALSE);
      sd_post_set_options_json (post, platform, options);
    }
}

static int
compare_position (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = json_object_get_int_member (json_node_get_object (*(JsonNode **) a), "position");
  gint64 y = json_object_get_int_member (json_node_get_object (*(JsonNode **) b), "position");

  return (x > y) - (x < y);
}

/* [{"id", "file", "mime", "width", "height", "bytes", "alt", "public_url", "position"}, …] */
static void
read_attachments (SdPost     *post,
                  const char *media_dir,
                  const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *array;

  if (json == NULL || g_str_equal (json, "[]"))
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;

  array = json_node_get_array (json_parser_get_root (parser));
  items = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (items, json_array_get_element (array, i));
  g_ptr_array_sort (items, compare_position);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *o = json_node_get_object (items->pdata[i]);
      g_autofree char *path = g_build_filename (media_dir, json_object_get_string_member (o, "file"), NULL);
      g_autoptr(SdAttachment) attachment =
        sd_attachment_new (json_object_get_string_member (o, "id"), path,
                           json_object_get_string_member (o, "mime"),
                           json_object_get_int_member (o, "width"),
                           json_object_get_int_member (o, "height"),
                           json_object_get_int_member (o, "bytes"));

      sd_attachment_set_alt_text (attachment, json_object_get_string_member_with_default (o, "alt", ""));
      sd_attachment_set_public_url (attachment, json_object_get_string_member_with_default (o, "public_url", NULL));
      sd_post_add_attachment (post, attachment);
    }
}

static guint
outbox_from_states (const char *states)
{
  static const struct { const char *state; SdPostOutbox flag; } flags[] = {
    { "pending", SD_POST_OUTBOX_WAITING },
    { "server", SD_POST_OUTBOX_ON_SERVER },
    { "held", SD_POST_OUTBOX_HELD },
    { "uncertain", SD_POST_OUTBOX_UNCERTAIN },
    { "failed", SD_POST_OUTBOX_FAILED },
  };
  g_auto(GStrv) names = NULL;
  guint outbox = 0;

  if (states == NULL)
    return 0;
  names = g_strsplit (states, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (flags); k++)
      if (strcmp (names[i], flags[k].state) == 0)
        outbox |= flags[k].flag;
  return outbox;
}

static SdPost *
post_from_row (sqlite3_stmt *stmt,
               const char   *media_dir)
{
  const char *platforms = (const char *) sqlite3_column_text (stmt, 6);
  SdPlatformSet set = 0;
  SdPostState state = SD_POST_STATE_DRAFT;
  SdPost *post;

  sd_post_state_from_string ((const char *) sqlite3_column_text (stmt, 2), &state);
  /* A network this version does not know (written by a newer one) is left out, not an error. */
  if (platforms != NULL)
    {
      g_auto(GStrv) names = g_strsplit (platforms, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          SdPlatform platform;

          if (sd_platform_from_id (names[i], &platform))
            set |= 1u << platform;
        }
    }

  post = g_object_new (SD_TYPE_POST,
                       "id", (const char *) sqlite3_column_text (stmt, 0),
                       "text", (const char *) sqlite3_column_text (stmt, 1),
                       "state", state,
                       "scheduled-at", (gint64) sqlite3_column_int64 (stmt, 3),
                       "created-at", (gint64) sqlite3_column_int64 (stmt, 4),
                       "updated-at", (gint64) sqlite3_column_int64 (stmt, 5),
                       "platforms", set,
                       "thread-auto", sqlite3_column_int (stmt, 8) != 0,
                       "thread-numbering", sqlite3_column_int (stmt, 9) != 0,
                       NULL);
  read_variant_texts (post, (const char *) sqlite3_column_text (stmt, 7));
  read_attachments (post, media_dir, (const char *) sqlite3_column_text (stmt, 10));
  sd_post_set_outbox (post, outbox_from_states ((const char *) sqlite3_column_text (stmt, 11)));
  sd_post_set_last_error (post, (const char *) sqlite3_column_text (stmt, 12));
  if (sqlite3_column_text (stmt, 13) != NULL)
    {
      g_auto(GStrv) urls = g_strsplit ((const char *) sqlite3_column_text (stmt, 13), "\n", -1);

      sd_post_set_published_urls (post, urls);
    }
  read_variant_options (post, (const char *) sqlite3_column_text (stmt, 14));
  return post;
}

static gboolean
ensure_reader (SdStore  *self,
               GError  **error)
{
  int rc;

  if (self->reader != NULL)
    return TRUE;

  rc = sqlite3_open_v2 (self->path, &self->reader, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, self->reader, rc, error);
      g_clear_pointer (&self->reader, sqlite3_close);
      return FALSE;
    }

  sqlite3_busy_timeout (self->reader, BUSY_TIMEOUT_MS);
  return TRUE;
}

gboolean
sd_store_reader_lock (SdStore  *self,
                      GError  **error)
{
  g_mutex_lock (&self->reader_mutex);
  if (ensure_reader (self, error))
    return TRUE;
  g_mutex_unlock (&self->reader_mutex);
  return FALSE;
}

void
sd_store_reader_unlock (SdStore *self)
{
  g_mutex_unlock (&self->reader_mutex);
}

sqlite3_stmt *
sd_store_reader_prepare (SdStore     *self,
                         const char  *sql,
                         GError     **error)
{
  return prepare_on (self, self->reader, self->reader_statements, sql, error);
}

gboolean
sd_store_reader_fail (SdStore  *self,
                      int       rc,
                      GError  **error)
{
  return set_error (self, self->reader, rc, error);
}

static char *
escape_like (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

GPtrArray *
sd_store_list_posts (SdStore            *self,
                     const SdPostQuery  *query,
                     GError            **error)
{
  /* A range is a calendar's: its own statement, so it uses the time index. */
  static const char all_sql[] =
    "SELECT " POST_COLUMNS " FROM post p"
    " WHERE p.deleted_at IS NULL AND p.is_reply = 0"
    "   AND (?1 = 0 OR p.scheduled_at IS NULL)"
    "   AND (?4 IS NULL OR p.text LIKE '%' || ?4 || '%' ESCAPE '\\')"
    " ORDER BY p.created_at DESC, p.rowid DESC";
  static const char range_sql[] =
    "SELECT " POST_COLUMNS " FROM post p"
    " WHERE p.scheduled_at IS NOT NULL AND p.scheduled_at BETWEEN ?2 AND ?3"
    "   AND p.deleted_at IS NULL AND p.is_reply = 0"
    "   AND (?4 IS NULL OR p.text LIKE '%' || ?4 || '%' ESCAPE '\\')"
    " ORDER BY p.created_at DESC, p.rowid DESC";
  gboolean has_range = query != NULL && query->has_range;
  const char *sql = has_range ? range_sql : all_sql;
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (query != NULL && query->search != NULL && query->search[0] != '\0')
    pattern = escape_like (query->search);

  g_mutex_lock (&self->reader_mutex);

  if (!ensure_reader (self, error)
      || !(stmt = prepare_on (self, self->reader, self->reader_statements, sql, error)))
    {
      g_mutex_unlock (&self->reader_mutex);
      return NULL;
    }

  sqlite3_bind_int (stmt, 1, query != NULL && query->unscheduled);
  sqlite3_bind_int64 (stmt, 2, query != NULL ? query->from : 0);
  sqlite3_bind_int64 (stmt, 3, query != NULL ? query->to : 0);
  bind_text_or_null (stmt, 4, pattern);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (posts, post_from_row (stmt, self->media_dir));

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    set_error (self, self->reader, rc, error);

  g_mutex_unlock (&self->reader_mutex);

  return rc == SQLITE_DONE ? g_steal_pointer (&posts) : NULL;
}

/* The writer's mutex must be held. */
SdPost *
sd_store_get_post_locked (SdStore     *self,
                          const char  *id,
                          GError     **error)
{
  static const char sql[] =
    "SELECT " POST_COLUMNS " FROM post p WHERE p.id = ?1 AND p.deleted_at IS NULL";
  SdPost *post = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        post = post_from_row (stmt, self->media_dir);
      else if (rc == SQLITE_DONE)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                     _("No post has the id “%s”."), id);
      else
        set_error (self, self->db, rc, error);
      sqlite3_reset (stmt);
    }

  return post;
}

SdPost *
sd_store_get_post (SdStore     *self,
                   const char  *id,
                   GError     **error)
{
  SdPost *post;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  g_mutex_lock (&self->mutex);
  post = sd_store_get_post_locked (self, id, error);
  g_mutex_unlock (&self->mutex);

  return post;
}

/* Lets people type the first characters of an id, as with git. */
char *
sd_store_resolve_id (SdStore     *self,
                     const char  *id_or_prefix,
                     GError     **error)
{
  static const char sql[] =
    "SELECT id FROM post WHERE deleted_at IS NULL AND is_reply = 0 AND substr (id, 1, length (?1)) = ?1"
    " ORDER BY id = ?1 DESC LIMIT 2";
  g_autofree char *first = NULL;
  guint matches = 0;
  gboolean exact = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (id_or_prefix == NULL || id_or_prefix[0] == '\0')
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("No post has the id “%s”."), "");
      return NULL;
    }

  g_mutex_lock (&self->mutex);

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, id_or_prefix, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (matches++ == 0)
        {
          first = g_strdup (id);
          exact = g_str_equal (id, id_or_prefix);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    set_error (self, self->db, rc, error);

  g_mutex_unlock (&self->mutex);

  if (rc != SQLITE_DONE)
    return NULL;

  if (matches == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("No post has the id “%s”."), id_or_prefix);
      return NULL;
    }

  if (matches > 1 && !exact)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_AMBIGUOUS,
                   _("The id “%s” matches more than one post; give more of it."), id_or_prefix);
      return NULL;
    }

  return g_steal_pointer (&first);
}

/* Media */

char *
sd_store_get_media_dir (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  return g_strdup (self->media_dir);
}

static const char *
extension_for (const char *mime_type)
{
  static const struct { const char *mime; const char *ext; } known[] = {
    { "image/jpeg", "jpg" }, { "image/png", "png" }, { "image/gif", "gif" }, { "image/webp", "webp" },
    { "video/mp4", "mp4" }, { "video/quicktime", "mov" }, { "video/webm", "webm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (mime_type, known[i].mime))
      return known[i].ext;
  return NULL;
}

/* The video types SocialDesk attaches, told by the name and the first bytes. */
static const char *
guess_video_type (GFile      *file,
                  const char *name)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  guchar head[4096];
  gsize length = 0;
  const char *ext;

  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &length, NULL, NULL))
    return NULL;

  content_type = g_content_type_guess (basename != NULL ? basename : name, head, length, NULL);
  mime = g_content_type_get_mime_type (content_type);
  if (mime == NULL || !g_str_has_prefix (mime, "video/") || (ext = extension_for (mime)) == NULL)
    return NULL;

  /* The table's own string, so it outlives @mime. */
  return g_str_equal (ext, "mp4") ? "video/mp4" : g_str_equal (ext, "mov") ? "video/quicktime" : "video/webm";
}

/* Copies @file into @dest_dir under a temporary name while hashing it, a
 * block at a time: a video is never loaded whole. Returns the temporary path. */
static char *
stream_copy_hashing (GFile       *file,
                     const char  *dest_dir,
                     char       **sha256,
                     gint64      *bytes,
                     GError     **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) temp = NULL;
  g_autofree char *template = g_build_filename (dest_dir, ".import-XXXXXX", NULL);
  g_autofree guchar *buffer = g_malloc (64 * 1024);
  gint64 total = 0;
  gssize n;
  int fd;

  if ((in = g_file_read (file, NULL, error)) == NULL)
    return NULL;
  if ((fd = g_mkstemp_full (template, O_WRONLY, 0600)) < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return NULL;
    }
  close (fd);
  temp = g_file_new_for_path (template);
  if ((out = g_file_replace (temp, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error)) == NULL)
    {
      g_unlink (template);
      return NULL;
    }

  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 64 * 1024, NULL, error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      total += n;
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL, NULL, error))
        {
          n = -1;
          break;
        }
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, n < 0 ? NULL : error) || n < 0)
    {
      g_unlink (template);
      return NULL;
    }

  *sha256 = g_strdup (g_checksum_get_string (checksum));
  *bytes = total;
  return g_steal_pointer (&template);
}

/* Puts a video in the media folder as SHA-256.ext; the same video twice is kept once. */
static char *
import_video (SdStore     *self,
              GFile       *file,
              const char  *name,
              const char  *mime,
              char       **sha256,
              gint64      *bytes,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *temp = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *dest = NULL;

  if (g_mkdir_with_parents (self->media_dir, 0700) != 0
      || (temp = stream_copy_hashing (file, self->media_dir, sha256, bytes, &local_error)) == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN, _("Could not copy “%s” into %s: %s"),
                   name, self->media_dir, local_error != NULL ? local_error->message : g_strerror (errno));
      return NULL;
    }

  filename = g_strconcat (*sha256, ".", extension_for (mime), NULL);
  dest = g_build_filename (self->media_dir, filename, NULL);
  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    g_unlink (temp);
  else if (g_rename (temp, dest) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN, _("Could not copy “%s” into %s: %s"),
                   name, self->media_dir, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&filename);
}

/* Puts an image in the media folder as SHA-256.ext (images are small enough to read whole). */
static char *
import_image (SdStore     *self,
              GFile       *file,
              const char  *name,
              const char  *ext,
              char       **sha256,
              gint64      *bytes,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *dest = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN, _("Could not read “%s”: %s"),
                   name, local_error->message);
      return NULL;
    }

  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  *bytes = length;
  filename = g_strconcat (*sha256, ".", ext, NULL);
  dest = g_build_filename (self->media_dir, filename, NULL);
  if (g_mkdir_with_parents (self->media_dir, 0700) != 0
      || (!g_file_test (dest, G_FILE_TEST_EXISTS)
          && !g_file_set_contents (dest, contents, length, &local_error)))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN, _("Could not copy “%s” into %s: %s"),
                   name, self->media_dir, local_error != NULL ? local_error->message : g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&filename);
}

/**
 * sd_store_import_media:
 *
 * Copies an image or a video into SocialDesk's media folder (named by its
 * SHA-256, so the same file is kept once and a draft survives the original
 * being moved) and records it. A video is streamed, never loaded whole; its
 * width and height are left 0. Returns an attachment with no alt text yet.
 */
SdAttachment *
sd_store_import_media (SdStore  *self,
                       GFile    *file,
                       GError  **error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *source = g_file_get_path (file);
  g_autofree char *sha256 = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *media_id = NULL;
  g_autofree char *kept_mime = NULL;
  g_auto(GStrv) mime_types = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbufFormat *format;
  const char *mime = NULL, *ext = NULL;
  sqlite3_stmt *stmt;
  gint64 length = 0;
  int width = 0, height = 0, rc;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  /* Unreadable is said as such, not as "not an image". */
  if ((info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                                 NULL, &local_error)) == NULL
      || g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_OPEN, _("Could not read “%s”: %s"), name,
                   local_error != NULL ? local_error->message : g_strerror (EISDIR));
      return NULL;
    }

  format = source != NULL ? gdk_pixbuf_get_file_info (source, &width, &height) : NULL;
  if (format != NULL)
    {
      mime_types = gdk_pixbuf_format_get_mime_types (format);
      for (guint i = 0; mime_types[i] != NULL && ext == NULL; i++)
        if ((ext = extension_for (mime_types[i])) != NULL)
          mime = mime_types[i];
    }
  if (ext != NULL && g_str_has_prefix (mime, "image/"))
    filename = import_image (self, file, name, ext, &sha256, &length, error);
  else if ((mime = guess_video_type (file, name)) != NULL)
    {
      width = height = 0;
      filename = import_video (self, file, name, mime, &sha256, &length, error);
    }
  else
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_AN_IMAGE,
                   /* Translators: %s is a file's name. */
                   _("“%s” is not an image or a video SocialDesk can attach "
                     "(JPEG, PNG, GIF or WebP images; MP4, QuickTime or WebM videos)."), name);
      return NULL;
    }
  if (filename == NULL)
    return NULL;
  dest = g_build_filename (self->media_dir, filename, NULL);

  media_id = g_uuid_string_random ();
  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "INSERT OR IGNORE INTO media (id, sha256, mime_type, filename, bytes, width, height,"
                        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, media_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, mime, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, filename, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, length);
      sqlite3_bind_int (stmt, 6, width);
      sqlite3_bind_int (stmt, 7, height);
      sqlite3_bind_int64 (stmt, 8, sd_time_now ());
      if (!step_done (self, stmt, error))
        stmt = NULL;
    }
  if (stmt != NULL && (stmt = prepare (self, "SELECT id, mime_type, filename FROM media WHERE sha256 = ?1",
                                       error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      g_free (media_id);
      media_id = rc == SQLITE_ROW ? g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;
      /* The same bytes kept before under another name (a video renamed .mov):
       * the kept file is the one, this new copy is not needed. */
      if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), filename) != 0)
        {
          g_unlink (dest);
          g_free (dest);
          dest = g_build_filename (self->media_dir, (const char *) sqlite3_column_text (stmt, 2), NULL);
          g_free (kept_mime);
          mime = kept_mime = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      if (rc != SQLITE_ROW)
        set_error (self, self->db, rc, error);
      sqlite3_reset (stmt);
    }
  g_mutex_unlock (&self->mutex);

  if (stmt == NULL || media_id == NULL)
    return NULL;

  return sd_attachment_new (media_id, dest, mime, width, height, length);
}

/* Writing posts (callers hold the mutex and a transaction) */

/* The post's attachments, in order, with their alt texts and public addresses: rewritten whole. */
static gboolean
write_attachments (SdStore  *self,
                   SdPost   *post,
                   GError  **error)
{
  GPtrArray *attachments = sd_post_get_attachments (post);
  sqlite3_stmt *stmt;

  if (!(stmt = prepare (self, "DELETE FROM post_media WHERE post_id = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, sd_post_get_id (post), -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  for (guint i = 0; i < attachments->len; i++)
    {
      SdAttachment *attachment = attachments->pdata[i];

      if (!(stmt = prepare (self, "INSERT OR IGNORE INTO post_media (post_id, media_id, position, alt_text,"
                                  "   public_url) VALUES (?1, ?2, ?3, ?4, ?5)", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, sd_post_get_id (post), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sd_attachment_get_media_id (attachment), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, i);
      sqlite3_bind_text (stmt, 4, sd_attachment_get_alt_text (attachment), -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 5, sd_attachment_get_public_url (attachment));
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_post (SdStore  *self,
            SdPost   *post,
            GError  **error)
{
  static const char upsert_sql[] =
    "INSERT INTO post (id, text, state, scheduled_at, created_at, updated_at, thread_auto,"
    "   thread_numbering)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    /* Once the outbox has sends for it, the post's state and (while it is
     * going out or gone) its time are the outbox's: an editor holding an
     * older copy must not write them back. */
    " ON CONFLICT (id) DO UPDATE SET text = excluded.text,"
    "   state = CASE WHEN EXISTS (SELECT 1 FROM variant v JOIN job j ON j.variant_id = v.id"
    "     WHERE v.post_id = post.id AND j.state != 'cancelled') THEN post.state ELSE excluded.state END,"
    "   scheduled_at = CASE WHEN post.state IN ('publishing', 'published') THEN post.scheduled_at"
    "     ELSE excluded.scheduled_at END,"
    "   updated_at = excluded.updated_at,"
    "   thread_auto = excluded.thread_auto, thread_numbering = excluded.thread_numbering";
  static const char add_variant_sql[] =
    "INSERT INTO variant (id, post_id, platform, text, options_json, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?5, ?6, ?4, ?4)"
    " ON CONFLICT (post_id, platform, ifnull (account_id, '')) DO UPDATE"
    "   SET text = excluded.text, options_json = excluded.options_json, updated_at = excluded.updated_at"
    "   WHERE text IS NOT excluded.text OR options_json IS NOT excluded.options_json";
  /* ?2 lists the chosen networks as ",x,bluesky,". */
  static const char drop_variants_sql[] =
    "DELETE FROM variant WHERE post_id = ?1 AND account_id IS NULL"
    " AND instr (?2, ',' || platform || ',') = 0";
  SdPlatformSet platforms = sd_post_get_platforms (post);
  g_autofree char *chosen = NULL;
  g_autofree char *chosen_list = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = prepare (self, upsert_sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, sd_post_get_id (post), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sd_post_get_text (post), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sd_post_state_to_string (sd_post_get_state (post)), -1,
                     SQLITE_STATIC);
  bind_time_or_null (stmt, 4, sd_post_get_scheduled_at (post));
  sqlite3_bind_int64 (stmt, 5, sd_post_get_created_at (post));
  sqlite3_bind_int64 (stmt, 6, sd_post_get_updated_at (post));
  sqlite3_bind_int (stmt, 7, sd_post_get_thread_auto (post));
  sqlite3_bind_int (stmt, 8, sd_post_get_thread_numbering (post));
  if (!step_done (self, stmt, error))
    return FALSE;

  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      g_autofree char *variant_id = NULL;
      g_autofree char *options = NULL;

      if (!sd_platform_set_contains (platforms, platform))
        continue;

      variant_id = g_uuid_string_random ();
      if (!(stmt = prepare (self, add_variant_sql, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, variant_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sd_post_get_id (post), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, sd_platform_get_info (platform)->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, sd_post_get_updated_at (post));
      bind_text_or_null (stmt, 5, sd_post_get_variant_text (post, platform));
      options = sd_post_dup_options_json (post, platform);
      bind_text_or_null (stmt, 6, options);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  if (!write_attachments (self, post, error))
    return FALSE;

  if (!(stmt = prepare (self, drop_variants_sql, error)))
    return FALSE;
  chosen = sd_platform_set_to_string (platforms, ",");
  chosen_list = g_strconcat (",", chosen, ",", NULL);
  sqlite3_bind_text (stmt, 1, sd_post_get_id (post), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, chosen_list, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  return TRUE;
}

static void
stamp_post (SdPost *post)
{
  gint64 now = sd_time_now ();

  if (sd_post_get_created_at (post) == 0)
    sd_post_set_created_at (post, now);
  sd_post_set_updated_at (post, now);
}

static gboolean
write_posts_in_transaction (SdStore    *self,
                            SdPost    **posts,
                            guint       n_posts,
                            GError    **error)
{
  gboolean ok;

  g_mutex_lock (&self->mutex);

  ok = begin (self, error);
  for (guint i = 0; ok && i < n_posts; i++)
    ok = write_post (self, posts[i], error);
  ok = ok && commit (self, error);
  if (!ok)
    rollback (self);

  g_mutex_unlock (&self->mutex);

  return ok;
}

/* A post gets its times only once it is really in the store. */
static gboolean
stamp_and_write (SdStore  *self,
                 SdPost   *post,
                 GError  **error)
{
  gint64 created_at = sd_post_get_created_at (post);
  gint64 updated_at = sd_post_get_updated_at (post);

  stamp_post (post);
  if (write_posts_in_transaction (self, &post, 1, error))
    return TRUE;

  sd_post_set_created_at (post, created_at);
  sd_post_set_updated_at (post, updated_at);
  return FALSE;
}

/* Inserts the post or, when its id is known, updates it. */
gboolean
sd_store_save_post (SdStore  *self,
                    SdPost   *post,
                    GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_POST (post), FALSE);

  return stamp_and_write (self, post, error);
}

/* All of them or none. */
gboolean
sd_store_insert_posts (SdStore    *self,
                       GPtrArray  *posts,
                       GError    **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (posts != NULL, FALSE);

  for (guint i = 0; i < posts->len; i++)
    stamp_post (g_ptr_array_index (posts, i));

  return write_posts_in_transaction (self, (SdPost **) posts->pdata, posts->len, error);
}

static gboolean
change_one_post (SdStore     *self,
                 const char  *sql,
                 const char  *id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);

  stmt = prepare (self, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, sd_time_now ());
      ok = step_done (self, stmt, error);
      if (ok && sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                       _("No post has the id “%s”."), id);
          ok = FALSE;
        }
    }

  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * sd_store_move_post:
 * @scheduled_at: the new time, or %SD_POST_NO_TIME to unschedule
 * @old_scheduled_at: (out) (optional): the time it had, for Undo
 *
 * Moves a post, and any of its sends waiting in the outbox, in one transaction.
 * A published post stays where it is.
 */
gboolean
sd_store_move_post (SdStore     *self,
                    const char  *id,
                    gint64       scheduled_at,
                    gint64      *old_scheduled_at,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 now = sd_time_now (), old = SD_POST_NO_TIME;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  if (!begin (self, error))
    goto out;

  if (!(stmt = prepare (self, "SELECT state, scheduled_at FROM post WHERE id = ?1 AND deleted_at IS NULL",
                        error)))
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gboolean published = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "published") == 0;

      old = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);
      if (published)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PUBLISHED,
                       _("A published post cannot be moved; duplicate it instead."));
          goto out;
        }
      if (!sd_store_check_not_publishing (self, id, error))
        goto out;
    }
  else
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("No post has the id “%s”."), id);
      else
        set_error (self, self->db, rc, error);
      goto out;
    }

  if (!(stmt = prepare (self, "UPDATE post SET scheduled_at = ?2, updated_at = ?3 WHERE id = ?1", error)))
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  bind_time_or_null (stmt, 2, scheduled_at);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!step_done (self, stmt, error))
    goto out;

  /* Sends already waiting in the outbox move with the post (a held one is
   * no longer late; a server-held one is moved on the server by the engine);
   * without a time, they are cancelled. */
  if (scheduled_at == SD_POST_NO_TIME)
    {
      if (!sd_store_cancel_jobs_locked (self, id, error))
        goto out;
    }
  else
    {
      if (!(stmt = prepare (self, "UPDATE job SET due_at = ?2, updated_at = ?3, next_attempt_at = NULL,"
                                  "   state = CASE state WHEN 'held' THEN 'pending' ELSE state END,"
                                  "   server_dirty = CASE WHEN state = 'server' THEN 1 ELSE server_dirty END"
                                  /* A server copy waiting to be cancelled (the post was
                                   * unscheduled or trashed) stays cancelled: moving a
                                   * draft must not put it back on the server's schedule. */
                                  " WHERE (state IN ('pending', 'held') OR (state = 'server' AND server_dirty != 2))"
                                  " AND variant_id IN (SELECT id FROM variant WHERE post_id = ?1)", error)))
        goto out;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, scheduled_at);
      sqlite3_bind_int64 (stmt, 3, now);
      if (!step_done (self, stmt, error))
        goto out;
    }

  ok = commit (self, error);

out:
  if (!ok)
    rollback (self);
  g_mutex_unlock (&self->mutex);

  if (ok && old_scheduled_at != NULL)
    *old_scheduled_at = old;
  return ok;
}

gboolean
sd_store_delete_post (SdStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  return change_one_post (self, "DELETE FROM post WHERE id = ?1 AND ?2 IS NOT NULL", id, error);
}

/* A trashed post is hidden until restored (Undo) or purged. */
gboolean
sd_store_trash_post (SdStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  gboolean ok;

  /* Its waiting sends go with it (a server-held one is cancelled on the server). */
  if (!sd_store_begin (self, error))
    return FALSE;
  ok = sd_store_check_not_publishing (self, id, error) && sd_store_cancel_jobs_locked (self, id, error);
  if (!sd_store_end (self, ok, error))
    return FALSE;

  return change_one_post (self,
                          "UPDATE post SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                          id, error);
}

gboolean
sd_store_restore_post (SdStore     *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  return change_one_post (self,
                          "UPDATE post SET deleted_at = NULL, updated_at = ?2"
                          " WHERE id = ?1 AND deleted_at IS NOT NULL",
                          id, error);
}

/* Removes a trashed post for good; NOT_FOUND if it is not in the trash (restored). */
gboolean
sd_store_purge_post (SdStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  return change_one_post (self,
                          "DELETE FROM post WHERE id = ?1 AND deleted_at IS NOT NULL"
                          " AND ?2 IS NOT NULL",
                          id, error);
}

gboolean
sd_store_purge_trash (SdStore  *self,
                      gint64    older_than,
                      GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  stmt = prepare (self, "DELETE FROM post WHERE deleted_at IS NOT NULL AND deleted_at <= ?1",
                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, older_than);
      ok = step_done (self, stmt, error);
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

/* Async variants for the GUI */

typedef struct
{
  SdPostQuery query;
  char       *search;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->search);
  g_free (data);
}

static void
list_posts_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ListData *data = task_data;
  GError *error = NULL;
  GPtrArray *posts;

  posts = sd_store_list_posts (source_object, &data->query, &error);
  if (posts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, posts, (GDestroyNotify) g_ptr_array_unref);
}

void
sd_store_list_posts_async (SdStore             *self,
                           const SdPostQuery   *query,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *data = g_new0 (ListData, 1);

  g_return_if_fail (SD_IS_STORE (self));

  if (query != NULL)
    data->query = *query;
  data->search = g_strdup (data->query.search);
  data->query.search = data->search;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_store_list_posts_async);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  g_task_run_in_thread (task, list_posts_thread);
}

GPtrArray *
sd_store_list_posts_finish (SdStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_post_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SdPost *snapshot = task_data;
  GError *error = NULL;

  if (stamp_and_write (source_object, snapshot, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Saves what the post holds now (a copy goes to the worker); later edits need
 * another save. The post gets its new times when the save has succeeded. */
void
sd_store_save_post_async (SdStore             *self,
                          SdPost              *post,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SdPost *snapshot;

  g_return_if_fail (SD_IS_STORE (self));
  g_return_if_fail (SD_IS_POST (post));

  snapshot = g_object_new (SD_TYPE_POST, "id", sd_post_get_id (post), NULL);
  sd_post_update_from (snapshot, post);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_store_save_post_async);
  g_task_set_task_data (task, snapshot, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "post", g_object_ref (post), g_object_unref);
  g_task_run_in_thread (task, save_post_thread);
}

gboolean
sd_store_save_post_finish (SdStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  SdPost *snapshot, *post;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  snapshot = g_task_get_task_data (G_TASK (result));
  post = g_object_get_data (G_OBJECT (result), "post");
  sd_post_set_created_at (post, sd_post_get_created_at (snapshot));
  sd_post_set_updated_at (post, sd_post_get_updated_at (snapshot));
  return TRUE;
}
