/* sd-post-list-model.c — the posts a list shows: a live query on the store
 *
 * Rows are read in a worker thread; the main thread only swaps the array.
 * A reload keeps the SdPost object of every post it already had, so widgets
 * bound to a post (the composer) stay bound and just see its new values.
 *
 * GTK 4.8's list view makes a row widget for up to 200 items around its
 * anchor as soon as they appear, which for a fresh list of thousands costs
 * several frames at once. So the first items are revealed a few per main-loop
 * turn (frames are drawn in between) and the rest, which get no widgets, in
 * one step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-post-list"

#include "sd-post-list-model.h"

struct _SdPostListModel
{
  GObject       parent_instance;

  SdStore      *store;
  char         *search;
  gboolean      unscheduled;
  GPtrArray    *posts;
  guint         n_revealed;  /* what the GListModel shows of posts */
  guint         reveal_id;
  GCancellable *loading;
};

#define REVEAL_BATCH 4
#define REVEAL_GRADUALLY_UP_TO 240

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdPostListModel, sd_post_list_model, G_TYPE_OBJECT,
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

static GType
get_item_type (GListModel *model)
{
  return SD_TYPE_POST;
}

static guint
get_n_items (GListModel *model)
{
  return SD_POST_LIST_MODEL (model)->n_revealed;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SdPostListModel *self = SD_POST_LIST_MODEL (model);

  if (position >= self->n_revealed)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->posts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
items_changed (SdPostListModel *self,
               guint            position,
               guint            removed,
               guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
sd_post_list_model_dispose (GObject *object)
{
  SdPostListModel *self = (SdPostListModel *) object;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->reveal_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_post_list_model_parent_class)->dispose (object);
}

static void
sd_post_list_model_finalize (GObject *object)
{
  SdPostListModel *self = (SdPostListModel *) object;

  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (sd_post_list_model_parent_class)->finalize (object);
}

static void
sd_post_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SdPostListModel *self = SD_POST_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, sd_post_list_model_is_loading (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_revealed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_post_list_model_class_init (SdPostListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_post_list_model_dispose;
  object_class->finalize = sd_post_list_model_finalize;
  object_class->get_property = sd_post_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after each reload (once every row is in the list), with its GError or NULL. */
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sd_post_list_model_init (SdPostListModel *self)
{
  self->posts = g_ptr_array_new_with_free_func (g_object_unref);
}

SdPostListModel *
sd_post_list_model_new (SdStore *store)
{
  SdPostListModel *self = g_object_new (SD_TYPE_POST_LIST_MODEL, NULL);

  self->store = g_object_ref (store);
  return self;
}

gboolean
sd_post_list_model_is_loading (SdPostListModel *self)
{
  g_return_val_if_fail (SD_IS_POST_LIST_MODEL (self), FALSE);

  return self->loading != NULL;
}

/* Swaps in the loaded rows, reusing the objects of posts already shown. */
static void
take_posts (SdPostListModel *self,
            GPtrArray       *loaded)
{
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) old = NULL;
  guint n_old = self->n_revealed;

  for (guint i = 0; i < self->posts->len; i++)
    {
      SdPost *post = g_ptr_array_index (self->posts, i);

      g_hash_table_insert (known, (gpointer) sd_post_get_id (post), post);
    }

  for (guint i = 0; i < loaded->len; i++)
    {
      SdPost *fresh = g_ptr_array_index (loaded, i);
      SdPost *existing = g_hash_table_lookup (known, sd_post_get_id (fresh));

      /* Keep the shown object; only a newer save (another program's) changes it. */
      if (existing != NULL)
        {
          if (sd_post_get_updated_at (fresh) > sd_post_get_updated_at (existing))
            sd_post_update_from (existing, fresh);
          g_ptr_array_index (loaded, i) = g_object_ref (existing);
          g_object_unref (fresh);
        }
    }

  old = g_steal_pointer (&self->posts);
  self->posts = g_ptr_array_ref (loaded);
  self->n_revealed = MIN (loaded->len, REVEAL_BATCH);
  items_changed (self, 0, n_old, self->n_revealed);
}

static void
finish_loading (SdPostListModel *self,
                GError          *error)
{
  g_clear_object (&self->loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_signal_emit (self, signals[LOADED], 0, error);
}

static gboolean
reveal_more_cb (gpointer user_data)
{
  SdPostListModel *self = user_data;
  guint before = self->n_revealed;

  if (before < REVEAL_GRADUALLY_UP_TO)
    self->n_revealed = MIN (self->posts->len, before + REVEAL_BATCH);
  else
    self->n_revealed = self->posts->len;

  items_changed (self, before, 0, self->n_revealed - before);

  if (self->n_revealed < self->posts->len)
    return G_SOURCE_CONTINUE;

  self->reveal_id = 0;
  finish_loading (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Shows every row at once (before changing the list by hand). */
static void
reveal_all (SdPostListModel *self)
{
  guint before = self->n_revealed;

  if (self->reveal_id == 0)
    return;

  g_clear_handle_id (&self->reveal_id, g_source_remove);
  self->n_revealed = self->posts->len;
  items_changed (self, before, 0, self->n_revealed - before);
  finish_loading (self, NULL);
}

static void
list_posts_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SdPostListModel) self = user_data;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = sd_store_list_posts_finish (SD_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (loaded == NULL)
    {
      g_warning ("Could not list posts: %s", error->message);
      finish_loading (self, error);
      return;
    }

  take_posts (self, loaded);
  if (self->n_revealed < self->posts->len)
    self->reveal_id = g_idle_add (reveal_more_cb, self);
  else
    finish_loading (self, NULL);
}

void
sd_post_list_model_reload (SdPostListModel *self)
{
  SdPostQuery query = { 0, };

  g_return_if_fail (SD_IS_POST_LIST_MODEL (self));

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->reveal_id, g_source_remove);
  self->loading = g_cancellable_new ();

  query.search = self->search;
  query.unscheduled = self->unscheduled;
  sd_store_list_posts_async (self->store, &query, self->loading,
                             list_posts_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Only posts without a time: the calendar's drafts. */
void
sd_post_list_model_set_unscheduled (SdPostListModel *self,
                                    gboolean         unscheduled)
{
  g_return_if_fail (SD_IS_POST_LIST_MODEL (self));

  self->unscheduled = !!unscheduled;
}

void
sd_post_list_model_set_search (SdPostListModel *self,
                               const char      *search)
{
  g_return_if_fail (SD_IS_POST_LIST_MODEL (self));

  if (search != NULL && search[0] == '\0')
    search = NULL;

  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  sd_post_list_model_reload (self);
}

const char *
sd_post_list_model_get_search (SdPostListModel *self)
{
  g_return_val_if_fail (SD_IS_POST_LIST_MODEL (self), NULL);

  return self->search;
}

gboolean
sd_post_list_model_find (SdPostListModel *self,
                         const char      *id,
                         guint           *position)
{
  g_return_val_if_fail (SD_IS_POST_LIST_MODEL (self), FALSE);

  for (guint i = 0; i < self->n_revealed; i++)
    {
      if (g_strcmp0 (sd_post_get_id (g_ptr_array_index (self->posts, i)), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* A new post goes first: the list is newest first. */
void
sd_post_list_model_prepend (SdPostListModel *self,
                            SdPost          *post)
{
  g_return_if_fail (SD_IS_POST_LIST_MODEL (self));

  reveal_all (self);
  if (sd_post_list_model_find (self, sd_post_get_id (post), NULL))
    return;

  g_ptr_array_insert (self->posts, 0, g_object_ref (post));
  self->n_revealed++;
  items_changed (self, 0, 0, 1);
}

void
sd_post_list_model_remove (SdPostListModel *self,
                           const char      *id)
{
  guint position;

  g_return_if_fail (SD_IS_POST_LIST_MODEL (self));

  reveal_all (self);
  if (!sd_post_list_model_find (self, id, &position))
    return;

  g_ptr_array_remove_index (self->posts, position);
  self->n_revealed--;
  items_changed (self, position, 1, 0);
}
