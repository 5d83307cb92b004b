/* sd-inbox-list-model.c — the inbox list: a GListModel of SdMessage that pages rows in from the store
 *
 * The inbox can hold a million messages, so the model never holds them all:
 * it knows the query's count and reads rows a page at a time when the list
 * view asks for an item, keeping the few pages used last (memory does not
 * grow with the number of messages). A new query's count and first page are
 * read in a worker, and the list changes once when they arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-list"

#include <string.h>

#include "sd-inbox-list-model.h"

struct _SdInboxListModel
{
  GObject       parent_instance;

  SdStore      *store;
  SdInboxQuery  query;      /* what the next load asks for */
  SdInboxQuery  shown;      /* what n_items and the pages are of */
  guint         n_items;
  GHashTable   *pages;      /* page index → GPtrArray of SdMessage */
  GQueue        lru;        /* page indexes, the one used last first */
  GCancellable *loading;
  guint         reload_id;  /* a page came back short: the store changed */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdInboxListModel, sd_inbox_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Queries */

void
sd_inbox_query_clear (SdInboxQuery *query)
{
  g_free ((char *) query->account_id);
  g_free ((char *) query->label);
  g_free ((char *) query->search);
  memset (query, 0, sizeof *query);
}

/* Blank search is no search. */
static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

void
sd_inbox_query_copy_into (SdInboxQuery       *dest,
                          const SdInboxQuery *src)
{
  SdInboxQuery copy = *src;

  copy.account_id = g_strdup (src->account_id);
  copy.label = g_strdup (src->label);
  copy.search = is_blank (src->search) ? NULL : g_strdup (src->search);
  sd_inbox_query_clear (dest);
  *dest = copy;
}

gboolean
sd_inbox_query_equal (const SdInboxQuery *a,
                      const SdInboxQuery *b)
{
  return g_strcmp0 (a->account_id, b->account_id) == 0
         && a->platforms == b->platforms
         && a->kinds == b->kinds
         && a->unread_only == b->unread_only
         && a->done == b->done
         && g_strcmp0 (a->label, b->label) == 0
         && g_strcmp0 (a->search, b->search) == 0;
}

static SdInboxQuery *
query_dup (const SdInboxQuery *query)
{
  SdInboxQuery *copy = g_new0 (SdInboxQuery, 1);

  sd_inbox_query_copy_into (copy, query);
  return copy;
}

static void
query_free (gpointer query)
{
  sd_inbox_query_clear (query);
  g_free (query);
}

/* Pages */

static void
touch_page (SdInboxListModel *self,
            guint             index)
{
  GList *link = g_queue_find (&self->lru, GUINT_TO_POINTER (index));

  if (link != NULL)
    g_queue_unlink (&self->lru, link);
  else
    link = g_list_alloc ();
  link->data = GUINT_TO_POINTER (index);
  g_queue_push_head_link (&self->lru, link);
}

static void
evict_pages (SdInboxListModel *self)
{
  while (g_queue_get_length (&self->lru) > SD_INBOX_LIST_MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
}

static void
clear_pages (SdInboxListModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static void
put_page (SdInboxListModel *self,
          guint             index,
          GPtrArray        *messages)
{
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), messages);
  touch_page (self, index);
  evict_pages (self);
}

static gboolean
reload_later_cb (gpointer user_data)
{
  SdInboxListModel *self = user_data;

  self->reload_id = 0;
  sd_inbox_list_model_reload (self);
  return G_SOURCE_REMOVE;
}

static GPtrArray *
load_page (SdInboxListModel *self,
           guint             index)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;
  guint expected = MIN (SD_INBOX_LIST_PAGE_SIZE, self->n_items - index * SD_INBOX_LIST_PAGE_SIZE);

  messages = sd_store_list_messages (self->store, &self->shown, index * SD_INBOX_LIST_PAGE_SIZE,
                                     SD_INBOX_LIST_PAGE_SIZE, &error);
  if (messages == NULL)
    {
      g_debug ("Could not read inbox rows from %u: %s", index * SD_INBOX_LIST_PAGE_SIZE,
               error->message);
      messages = g_ptr_array_new_with_free_func (g_object_unref);
    }

  /* Another program (or the sync) changed the inbox since it was counted. */
  if (messages->len != expected && self->reload_id == 0 && self->loading == NULL)
    self->reload_id = g_idle_add (reload_later_cb, self);

  put_page (self, index, messages);
  return messages;
}

static GPtrArray *
get_page (SdInboxListModel *self,
          guint             index)
{
  GPtrArray *messages = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (messages == NULL)
    return load_page (self, index);

  touch_page (self, index);
  return messages;
}

/* GListModel */

static GType
get_item_type (GListModel *model)
{
  return SD_TYPE_MESSAGE;
}

static guint
get_n_items (GListModel *model)
{
  return SD_INBOX_LIST_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SdInboxListModel *self = SD_INBOX_LIST_MODEL (model);
  GPtrArray *page;
  guint offset = position % SD_INBOX_LIST_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;

  page = get_page (self, position / SD_INBOX_LIST_PAGE_SIZE);
  if (offset >= page->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (page, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Loading */

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SdInboxListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  SdInboxQuery *query;
  guint n_items = 0, old;

  first = sd_store_query_messages_finish (SD_STORE (source), result, &n_items, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled: this is the current load, and its cancellable holds its query. */
  query = g_object_get_data (G_OBJECT (self->loading), "sd-query");
  old = self->n_items;
  clear_pages (self);
  if (first != NULL)
    {
      sd_inbox_query_copy_into (&self->shown, query);
      self->n_items = n_items;
      put_page (self, 0, g_steal_pointer (&first));
    }
  else
    {
      self->n_items = 0;
    }

  g_clear_object (&self->loading);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_signal_emit (self, signals[LOADED], 0, error);
}

void
sd_inbox_list_model_reload (SdInboxListModel *self)
{
  SdInboxQuery *query;
  gboolean was_loading;

  g_return_if_fail (SD_IS_INBOX_LIST_MODEL (self));

  was_loading = self->loading != NULL;
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  /* The worker reads its own copy (the next keystroke may change ours), kept
   * alive by the cancellable its task holds. */
  query = query_dup (&self->query);
  sd_store_query_messages_async (self->store, query, SD_INBOX_LIST_PAGE_SIZE, self->loading,
                                 query_done_cb, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (self->loading), "sd-query", query, query_free);
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
sd_inbox_list_model_set_query (SdInboxListModel   *self,
                               const SdInboxQuery *query)
{
  g_return_if_fail (SD_IS_INBOX_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  sd_inbox_query_copy_into (&self->query, query);
  sd_inbox_list_model_reload (self);
}

const SdInboxQuery *
sd_inbox_list_model_get_query (SdInboxListModel *self)
{
  g_return_val_if_fail (SD_IS_INBOX_LIST_MODEL (self), NULL);

  return &self->query;
}

gboolean
sd_inbox_list_model_is_loading (SdInboxListModel *self)
{
  g_return_val_if_fail (SD_IS_INBOX_LIST_MODEL (self), FALSE);

  return self->loading != NULL;
}

static gboolean
find_in_pages (SdInboxListModel *self,
               const char       *message_id,
               guint            *position,
               SdMessage       **message)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *page = value;

      for (guint i = 0; i < page->len; i++)
        if (g_strcmp0 (sd_message_get_id (g_ptr_array_index (page, i)), message_id) == 0)
          {
            if (position != NULL)
              *position = GPOINTER_TO_UINT (key) * SD_INBOX_LIST_PAGE_SIZE + i;
            if (message != NULL)
              *message = g_ptr_array_index (page, i);
            return TRUE;
          }
    }

  return FALSE;
}

gboolean
sd_inbox_list_model_find (SdInboxListModel *self,
                          const char       *message_id,
                          guint            *position)
{
  g_return_val_if_fail (SD_IS_INBOX_LIST_MODEL (self), FALSE);

  return message_id != NULL && find_in_pages (self, message_id, position, NULL);
}

static void
copy_state (SdMessage *to,
            SdMessage *from)
{
  sd_message_set_is_read (to, sd_message_get_is_read (from));
  sd_message_set_is_done (to, sd_message_get_is_done (from));
  sd_message_set_is_liked (to, sd_message_get_is_liked (from));
  sd_message_set_is_hidden (to, sd_message_get_is_hidden (from));
  sd_message_set_is_reviewed (to, sd_message_get_is_reviewed (from));
  sd_message_set_labels (to, (const char * const *) sd_message_get_labels (from));
}

void
sd_inbox_list_model_update (SdInboxListModel *self,
                            SdMessage        *message)
{
  SdMessage *mine = NULL;
  guint position;

  g_return_if_fail (SD_IS_INBOX_LIST_MODEL (self));
  g_return_if_fail (SD_IS_MESSAGE (message));

  if (!find_in_pages (self, sd_message_get_id (message), &position, &mine))
    return;

  /* The row listens to its message's notify signals; labels need a rebind. */
  if (mine != message)
    copy_state (mine, message);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

guint
sd_inbox_list_model_get_n_pages (SdInboxListModel *self)
{
  g_return_val_if_fail (SD_IS_INBOX_LIST_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}

/* Life cycle */

static void
sd_inbox_list_model_dispose (GObject *object)
{
  SdInboxListModel *self = (SdInboxListModel *) object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);

  G_OBJECT_CLASS (sd_inbox_list_model_parent_class)->dispose (object);
}

static void
sd_inbox_list_model_finalize (GObject *object)
{
  SdInboxListModel *self = (SdInboxListModel *) object;

  clear_pages (self);
  g_hash_table_unref (self->pages);
  sd_inbox_query_clear (&self->query);
  sd_inbox_query_clear (&self->shown);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_inbox_list_model_parent_class)->finalize (object);
}

static void
sd_inbox_list_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SdInboxListModel *self = SD_INBOX_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading != NULL);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_inbox_list_model_class_init (SdInboxListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_inbox_list_model_dispose;
  object_class->finalize = sd_inbox_list_model_finalize;
  object_class->get_property = sd_inbox_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sd_inbox_list_model_init (SdInboxListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
}

SdInboxListModel *
sd_inbox_list_model_new (SdStore *store)
{
  SdInboxListModel *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_INBOX_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  return self;
}
