/* sd-message.c — one item of the unified inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-message"

#include "config.h"

#include "sd-message.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

struct _SdMessage
{
  GObject        parent_instance;

  char          *id;
  SdPlatform     platform;
  SdMessageKind  kind;
  SdMessageCaps  caps;
  char          *text;
  GPtrArray     *links;
  GStrv          labels;
  char          *account_id;
  char          *stream;
  char          *remote_id;
  char          *remote_cid;
  char          *parent_remote_id;
  char          *root_remote_id;
  char          *root_cid;
  char          *conversation_id;
  char          *author_remote_id;
  char          *author_handle;
  char          *author_name;
  char          *author_avatar_url;
  char          *url;
  char          *audience;
  char          *reply_post_id;
  char          *last_error;
  SdPostState    reply_state;
  gint64        sent_at;
  gint64        fetched_at;
  gint64        reply_until;
  gint64        rowid;
  gboolean       is_read;
  gboolean       is_done;
  gboolean       is_liked;
  gboolean       is_hidden;
  gboolean       is_reviewed;
};

G_DEFINE_FINAL_TYPE (SdMessage, sd_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IS_READ,
  PROP_IS_DONE,
  PROP_IS_LIKED,
  PROP_IS_HIDDEN,
  PROP_IS_REVIEWED,
  PROP_LABELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[SD_N_MESSAGE_KINDS] = {
  [SD_MESSAGE_KIND_MENTION] = "mention",
  [SD_MESSAGE_KIND_REPLY] = "reply",
  [SD_MESSAGE_KIND_QUOTE] = "quote",
  [SD_MESSAGE_KIND_COMMENT] = "comment",
  [SD_MESSAGE_KIND_DM] = "dm",
  [SD_MESSAGE_KIND_ACTIVITY] = "activity",
  [SD_MESSAGE_KIND_OWN] = "own",
  [SD_MESSAGE_KIND_CONTEXT] = "context",
};

const char *
sd_message_kind_to_string (SdMessageKind kind)
{
  g_return_val_if_fail (kind < SD_N_MESSAGE_KINDS, NULL);
  return kind_names[kind];
}

gboolean
sd_message_kind_from_string (const char    *text,
                             SdMessageKind *kind)
{
  for (guint i = 0; i < SD_N_MESSAGE_KINDS; i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_message_kind_get_label (SdMessageKind kind)
{
  switch (kind)
    {
    case SD_MESSAGE_KIND_MENTION:
      return C_("message kind", "Mention");
    case SD_MESSAGE_KIND_REPLY:
      return C_("message kind", "Reply");
    case SD_MESSAGE_KIND_QUOTE:
      return C_("message kind", "Quote");
    case SD_MESSAGE_KIND_COMMENT:
      return C_("message kind", "Comment");
    case SD_MESSAGE_KIND_DM:
      return C_("message kind", "Direct message");
    case SD_MESSAGE_KIND_ACTIVITY:
      return C_("message kind", "Activity");
    case SD_MESSAGE_KIND_OWN:
      return C_("message kind", "Your post");
    case SD_MESSAGE_KIND_CONTEXT:
      return C_("message kind", "Post");
    case SD_N_MESSAGE_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
sd_message_kind_is_inbox (SdMessageKind kind)
{
  return kind != SD_MESSAGE_KIND_OWN && kind != SD_MESSAGE_KIND_CONTEXT && kind < SD_N_MESSAGE_KINDS;
}

SdMessageLink *
sd_message_link_new (guint       start,
                     guint       end,
                     const char *url)
{
  SdMessageLink *link = g_new0 (SdMessageLink, 1);

  link->start = start;
  link->end = end;
  link->url = g_strdup (url);
  return link;
}

void
sd_message_link_free (SdMessageLink *link)
{
  if (link == NULL)
    return;
  g_free (link->url);
  g_free (link);
}

static void
sd_message_finalize (GObject *object)
{
  SdMessage *self = SD_MESSAGE (object);

  g_free (self->id);
  g_free (self->text);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_strfreev (self->labels);
  g_free (self->account_id);
  g_free (self->stream);
  g_free (self->remote_id);
  g_free (self->remote_cid);
  g_free (self->parent_remote_id);
  g_free (self->root_remote_id);
  g_free (self->root_cid);
  g_free (self->conversation_id);
  g_free (self->author_remote_id);
  g_free (self->author_handle);
  g_free (self->author_name);
  g_free (self->author_avatar_url);
  g_free (self->url);
  g_free (self->audience);
  g_free (self->reply_post_id);
  g_free (self->last_error);

  G_OBJECT_CLASS (sd_message_parent_class)->finalize (object);
}

static void
sd_message_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SdMessage *self = SD_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_IS_READ:
      g_value_set_boolean (value, self->is_read);
      break;
    case PROP_IS_DONE:
      g_value_set_boolean (value, self->is_done);
      break;
    case PROP_IS_LIKED:
      g_value_set_boolean (value, self->is_liked);
      break;
    case PROP_IS_HIDDEN:
      g_value_set_boolean (value, self->is_hidden);
      break;
    case PROP_IS_REVIEWED:
      g_value_set_boolean (value, self->is_reviewed);
      break;
    case PROP_LABELS:
      g_value_set_boxed (value, self->labels);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_message_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SdMessage *self = SD_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_IS_READ:
      sd_message_set_is_read (self, g_value_get_boolean (value));
      break;
    case PROP_IS_DONE:
      sd_message_set_is_done (self, g_value_get_boolean (value));
      break;
    case PROP_IS_LIKED:
      sd_message_set_is_liked (self, g_value_get_boolean (value));
      break;
    case PROP_IS_HIDDEN:
      sd_message_set_is_hidden (self, g_value_get_boolean (value));
      break;
    case PROP_IS_REVIEWED:
      sd_message_set_is_reviewed (self, g_value_get_boolean (value));
      break;
    case PROP_LABELS:
      sd_message_set_labels (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_message_class_init (SdMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_message_finalize;
  object_class->get_property = sd_message_get_property;
  object_class->set_property = sd_message_set_property;

  properties[PROP_IS_READ] =
    g_param_spec_boolean ("is-read", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_DONE] =
    g_param_spec_boolean ("is-done", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_LIKED] =
    g_param_spec_boolean ("is-liked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_HIDDEN] =
    g_param_spec_boolean ("is-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_REVIEWED] =
    g_param_spec_boolean ("is-reviewed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABELS] =
    g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_message_init (SdMessage *self)
{
  self->id = g_uuid_string_random ();
  self->text = g_strdup ("");
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_message_link_free);
  self->labels = g_new0 (char *, 1);
  self->kind = SD_MESSAGE_KIND_MENTION;
}

SdMessage *
sd_message_new (void)
{
  return g_object_new (SD_TYPE_MESSAGE, NULL);
}

SdMessage *
sd_message_copy (SdMessage *self)
{
  SdMessage *copy;

  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);

  copy = sd_message_new ();
  sd_message_set_id (copy, self->id);
  copy->platform = self->platform;
  copy->kind = self->kind;
  copy->caps = self->caps;
  sd_message_set_text (copy, self->text);
  for (guint i = 0; i < self->links->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (self->links, i);
      sd_message_add_link (copy, link->start, link->end, link->url);
    }
  sd_message_set_labels (copy, (const char * const *) self->labels);
  copy->account_id = g_strdup (self->account_id);
  copy->stream = g_strdup (self->stream);
  copy->remote_id = g_strdup (self->remote_id);
  copy->remote_cid = g_strdup (self->remote_cid);
  copy->parent_remote_id = g_strdup (self->parent_remote_id);
  copy->root_remote_id = g_strdup (self->root_remote_id);
  copy->root_cid = g_strdup (self->root_cid);
  copy->conversation_id = g_strdup (self->conversation_id);
  copy->author_remote_id = g_strdup (self->author_remote_id);
  copy->author_handle = g_strdup (self->author_handle);
  copy->author_name = g_strdup (self->author_name);
  copy->author_avatar_url = g_strdup (self->author_avatar_url);
  copy->url = g_strdup (self->url);
  copy->audience = g_strdup (self->audience);
  copy->reply_post_id = g_strdup (self->reply_post_id);
  copy->last_error = g_strdup (self->last_error);
  copy->reply_state = self->reply_state;
  copy->sent_at = self->sent_at;
  copy->fetched_at = self->fetched_at;
  copy->reply_until = self->reply_until;
  copy->rowid = self->rowid;
  copy->is_read = self->is_read;
  copy->is_done = self->is_done;
  copy->is_liked = self->is_liked;
  copy->is_hidden = self->is_hidden;
  copy->is_reviewed = self->is_reviewed;
  return copy;
}

const char *
sd_message_get_account_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->account_id;
}

void
sd_message_set_account_id (SdMessage  *self,
                          const char *account_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->account_id != account_id)
    {
      g_free (self->account_id);
      self->account_id = g_strdup (account_id);
    }
}

const char *
sd_message_get_stream (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->stream;
}

void
sd_message_set_stream (SdMessage  *self,
                      const char *stream)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->stream != stream)
    {
      g_free (self->stream);
      self->stream = g_strdup (stream);
    }
}

const char *
sd_message_get_remote_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->remote_id;
}

void
sd_message_set_remote_id (SdMessage  *self,
                         const char *remote_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->remote_id != remote_id)
    {
      g_free (self->remote_id);
      self->remote_id = g_strdup (remote_id);
    }
}

const char *
sd_message_get_remote_cid (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->remote_cid;
}

void
sd_message_set_remote_cid (SdMessage  *self,
                          const char *remote_cid)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->remote_cid != remote_cid)
    {
      g_free (self->remote_cid);
      self->remote_cid = g_strdup (remote_cid);
    }
}

const char *
sd_message_get_parent_remote_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->parent_remote_id;
}

void
sd_message_set_parent_remote_id (SdMessage  *self,
                                const char *parent_remote_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->parent_remote_id != parent_remote_id)
    {
      g_free (self->parent_remote_id);
      self->parent_remote_id = g_strdup (parent_remote_id);
    }
}

const char *
sd_message_get_root_remote_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->root_remote_id;
}

void
sd_message_set_root_remote_id (SdMessage  *self,
                              const char *root_remote_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->root_remote_id != root_remote_id)
    {
      g_free (self->root_remote_id);
      self->root_remote_id = g_strdup (root_remote_id);
    }
}

const char *
sd_message_get_root_cid (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->root_cid;
}

void
sd_message_set_root_cid (SdMessage  *self,
                        const char *root_cid)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->root_cid != root_cid)
    {
      g_free (self->root_cid);
      self->root_cid = g_strdup (root_cid);
    }
}

const char *
sd_message_get_conversation_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->conversation_id;
}

void
sd_message_set_conversation_id (SdMessage  *self,
                               const char *conversation_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->conversation_id != conversation_id)
    {
      g_free (self->conversation_id);
      self->conversation_id = g_strdup (conversation_id);
    }
}

const char *
sd_message_get_author_remote_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->author_remote_id;
}

void
sd_message_set_author_remote_id (SdMessage  *self,
                                const char *author_remote_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->author_remote_id != author_remote_id)
    {
      g_free (self->author_remote_id);
      self->author_remote_id = g_strdup (author_remote_id);
    }
}

const char *
sd_message_get_author_handle (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->author_handle;
}

void
sd_message_set_author_handle (SdMessage  *self,
                             const char *author_handle)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->author_handle != author_handle)
    {
      g_free (self->author_handle);
      self->author_handle = g_strdup (author_handle);
    }
}

const char *
sd_message_get_author_name (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->author_name;
}

void
sd_message_set_author_name (SdMessage  *self,
                           const char *author_name)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->author_name != author_name)
    {
      g_free (self->author_name);
      self->author_name = g_strdup (author_name);
    }
}

const char *
sd_message_get_author_avatar_url (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->author_avatar_url;
}

void
sd_message_set_author_avatar_url (SdMessage  *self,
                                 const char *author_avatar_url)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->author_avatar_url != author_avatar_url)
    {
      g_free (self->author_avatar_url);
      self->author_avatar_url = g_strdup (author_avatar_url);
    }
}

const char *
sd_message_get_url (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->url;
}

void
sd_message_set_url (SdMessage  *self,
                   const char *url)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->url != url)
    {
      g_free (self->url);
      self->url = g_strdup (url);
    }
}

gint64
sd_message_get_sent_at (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->sent_at;
}

void
sd_message_set_sent_at (SdMessage *self,
                       gint64     sent_at)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->sent_at = sent_at;
}

gint64
sd_message_get_fetched_at (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->fetched_at;
}

void
sd_message_set_fetched_at (SdMessage *self,
                          gint64     fetched_at)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->fetched_at = fetched_at;
}

gint64
sd_message_get_reply_until (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->reply_until;
}

void
sd_message_set_reply_until (SdMessage *self,
                           gint64     reply_until)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->reply_until = reply_until;
}

gint64
sd_message_get_rowid (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->rowid;
}

void
sd_message_set_rowid (SdMessage *self,
                     gint64     rowid)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->rowid = rowid;
}

gboolean
sd_message_get_is_read (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), FALSE);
  return self->is_read;
}

void
sd_message_set_is_read (SdMessage *self,
                       gboolean   is_read)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  is_read = !!is_read;
  if (self->is_read == is_read)
    return;
  self->is_read = is_read;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_READ]);
}

gboolean
sd_message_get_is_done (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), FALSE);
  return self->is_done;
}

void
sd_message_set_is_done (SdMessage *self,
                       gboolean   is_done)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  is_done = !!is_done;
  if (self->is_done == is_done)
    return;
  self->is_done = is_done;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DONE]);
}

gboolean
sd_message_get_is_liked (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), FALSE);
  return self->is_liked;
}

void
sd_message_set_is_liked (SdMessage *self,
                        gboolean   is_liked)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  is_liked = !!is_liked;
  if (self->is_liked == is_liked)
    return;
  self->is_liked = is_liked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LIKED]);
}

gboolean
sd_message_get_is_hidden (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), FALSE);
  return self->is_hidden;
}

void
sd_message_set_is_hidden (SdMessage *self,
                         gboolean   is_hidden)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  is_hidden = !!is_hidden;
  if (self->is_hidden == is_hidden)
    return;
  self->is_hidden = is_hidden;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_HIDDEN]);
}

gboolean
sd_message_get_is_reviewed (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), FALSE);
  return self->is_reviewed;
}

void
sd_message_set_is_reviewed (SdMessage *self,
                           gboolean   is_reviewed)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  is_reviewed = !!is_reviewed;
  if (self->is_reviewed == is_reviewed)
    return;
  self->is_reviewed = is_reviewed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_REVIEWED]);
}

const char *
sd_message_get_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->id;
}

void
sd_message_set_id (SdMessage  *self,
                   const char *id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_return_if_fail (id != NULL);
  if (self->id != id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
}

SdPlatform
sd_message_get_platform (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->platform;
}

void
sd_message_set_platform (SdMessage  *self,
                         SdPlatform  platform)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->platform = platform;
}

SdMessageKind
sd_message_get_kind (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->kind;
}

void
sd_message_set_kind (SdMessage     *self,
                     SdMessageKind  kind)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_return_if_fail (kind < SD_N_MESSAGE_KINDS);
  self->kind = kind;
}

SdMessageCaps
sd_message_get_caps (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), 0);
  return self->caps;
}

void
sd_message_set_caps (SdMessage     *self,
                     SdMessageCaps  caps)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->caps = caps;
}

const char *
sd_message_get_text (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->text;
}

void
sd_message_set_text (SdMessage  *self,
                     const char *text)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  if (self->text == text)
    return;
  g_free (self->text);
  self->text = g_utf8_make_valid (text != NULL ? text : "", -1);
}

GPtrArray *
sd_message_get_links (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->links;
}

void
sd_message_add_link (SdMessage  *self,
                     guint       start,
                     guint       end,
                     const char *url)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_return_if_fail (start <= end && url != NULL);
  g_ptr_array_add (self->links, sd_message_link_new (start, end, url));
}

char *
sd_message_dup_links_json (SdMessage *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);

  if (self->links->len == 0)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->links->len; i++)
    {
      SdMessageLink *link = g_ptr_array_index (self->links, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_int_value (builder, link->start);
      json_builder_set_member_name (builder, "end");
      json_builder_add_int_value (builder, link->end);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, link->url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
sd_message_set_links_json (SdMessage  *self,
                           const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonArray *array;
  gsize text_length;

  g_return_if_fail (SD_IS_MESSAGE (self));

  g_ptr_array_set_size (self->links, 0);
  if (json == NULL || *json == '\0')
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;
  array = json_node_get_array (root);
  text_length = strlen (self->text);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      gint64 start, end;
      const char *url;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      start = json_object_get_int_member_with_default (object, "start", -1);
      end = json_object_get_int_member_with_default (object, "end", -1);
      url = json_object_get_string_member_with_default (object, "url", NULL);
      /* Links must still fall on the text as stored. */
      if (url == NULL || start < 0 || end < start || (gsize) end > text_length)
        continue;
      sd_message_add_link (self, start, end, url);
    }
}

GStrv
sd_message_get_labels (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->labels;
}

void
sd_message_set_labels (SdMessage          *self,
                       const char * const *labels)
{
  g_return_if_fail (SD_IS_MESSAGE (self));

  if (labels == NULL && g_strv_length (self->labels) == 0)
    return;
  if (labels != NULL && g_strv_equal ((const char * const *) self->labels, labels))
    return;
  g_strfreev (self->labels);
  self->labels = labels != NULL ? g_strdupv ((char **) labels) : g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABELS]);
}

char *
sd_message_dup_author_label (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);

  if (self->author_handle != NULL && *self->author_handle != '\0')
    return g_strconcat ("@", self->author_handle, NULL);
  if (self->author_name != NULL && *self->author_name != '\0')
    return g_strdup (self->author_name);
  return g_strdup (_("Someone"));
}

char *
sd_message_dup_snippet (SdMessage *self,
                        guint      max_chars)
{
  const char *start;
  const char *end;
  glong length;
  g_autofree char *line = NULL;

  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);

  start = self->text;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = strchr (start, '\n');
  line = end != NULL ? g_strndup (start, end - start) : g_strdup (start);
  length = g_utf8_strlen (line, -1);
  if ((gsize) length <= max_chars && end == NULL)
    return g_steal_pointer (&line);
  if ((gsize) length > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max_chars > 0 ? max_chars - 1 : 0);
      return g_strconcat (g_strchomp (cut), "…", NULL);
    }
  return g_strconcat (line, " …", NULL);
}

const char *
sd_message_get_reply_post_id (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->reply_post_id;
}

void
sd_message_set_reply_post_id (SdMessage  *self,
                              const char *post_id)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_free (self->reply_post_id);
  self->reply_post_id = g_strdup (post_id);
}

SdPostState
sd_message_get_reply_state (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), SD_POST_STATE_DRAFT);
  return self->reply_state;
}

void
sd_message_set_reply_state (SdMessage   *self,
                            SdPostState  state)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  self->reply_state = state;
}

const char *
sd_message_get_last_error (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->last_error;
}

void
sd_message_set_last_error (SdMessage  *self,
                           const char *error)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_free (self->last_error);
  self->last_error = g_strdup (error);
}

const char *
sd_message_get_audience (SdMessage *self)
{
  g_return_val_if_fail (SD_IS_MESSAGE (self), NULL);
  return self->audience;
}

void
sd_message_set_audience (SdMessage  *self,
                         const char *audience)
{
  g_return_if_fail (SD_IS_MESSAGE (self));
  g_free (self->audience);
  self->audience = g_strdup (audience);
}
