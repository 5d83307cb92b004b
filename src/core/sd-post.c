/* sd-post.c — one piece of content: its text, networks, state and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-post"

#include "sd-post.h"

#include <string.h>

#include <json-glib/json-glib.h>

struct _SdPost
{
  GObject        parent_instance;

  char          *id;
  char          *text;
  char          *variant_texts[SD_N_PLATFORMS];  /* NULL: follows text */
  JsonObject    *options[SD_N_PLATFORMS];        /* network options by key; NULL: none */
  SdPlatformSet  platforms;
  SdPostState    state;
  gint64         scheduled_at;
  gint64         created_at;
  gint64         updated_at;
  gboolean       thread_auto;
  gboolean       thread_numbering;
  GPtrArray     *attachments;   /* SdAttachment, in the order they are posted */
  guint          outbox;        /* SdPostOutbox flags, read from the store */
  char          *last_error;
  GStrv          published_urls;
};

G_DEFINE_FINAL_TYPE (SdPost, sd_post, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SdPostState, sd_post_state,
  G_DEFINE_ENUM_VALUE (SD_POST_STATE_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (SD_POST_STATE_SCHEDULED, "scheduled"),
  G_DEFINE_ENUM_VALUE (SD_POST_STATE_PUBLISHING, "publishing"),
  G_DEFINE_ENUM_VALUE (SD_POST_STATE_PUBLISHED, "published"),
  G_DEFINE_ENUM_VALUE (SD_POST_STATE_FAILED, "failed"))

enum {
  VARIANT_CHANGED,
  ATTACHMENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ID,
  PROP_TEXT,
  PROP_PLATFORMS,
  PROP_STATE,
  PROP_SCHEDULED_AT,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_THREAD_AUTO,
  PROP_THREAD_NUMBERING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
sd_post_state_to_string (SdPostState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SD_TYPE_POST_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

gboolean
sd_post_state_from_string (const char  *text,
                           SdPostState *state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SD_TYPE_POST_STATE);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;

  *state = value->value;
  return TRUE;
}

static void
sd_post_finalize (GObject *object)
{
  SdPost *self = (SdPost *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->text, g_free);
  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    {
      g_clear_pointer (&self->variant_texts[i], g_free);
      g_clear_pointer (&self->options[i], json_object_unref);
    }
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->published_urls, g_strfreev);

  G_OBJECT_CLASS (sd_post_parent_class)->finalize (object);
}

static void
sd_post_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SdPost *self = SD_POST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_PLATFORMS:
      g_value_set_uint (value, self->platforms);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SCHEDULED_AT:
      g_value_set_int64 (value, self->scheduled_at);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_THREAD_AUTO:
      g_value_set_boolean (value, self->thread_auto);
      break;
    case PROP_THREAD_NUMBERING:
      g_value_set_boolean (value, self->thread_numbering);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_post_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SdPost *self = SD_POST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL)
        self->id = g_uuid_string_random ();
      break;
    case PROP_TEXT:
      sd_post_set_text (self, g_value_get_string (value));
      break;
    case PROP_PLATFORMS:
      sd_post_set_platforms (self, g_value_get_uint (value));
      break;
    case PROP_STATE:
      sd_post_set_state (self, g_value_get_enum (value));
      break;
    case PROP_SCHEDULED_AT:
      sd_post_set_scheduled_at (self, g_value_get_int64 (value));
      break;
    case PROP_CREATED_AT:
      sd_post_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      sd_post_set_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_THREAD_AUTO:
      sd_post_set_thread_auto (self, g_value_get_boolean (value));
      break;
    case PROP_THREAD_NUMBERING:
      sd_post_set_thread_numbering (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_post_class_init (SdPostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_post_finalize;
  object_class->get_property = sd_post_get_property;
  object_class->set_property = sd_post_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLATFORMS] =
    g_param_spec_uint ("platforms", NULL, NULL, 0, SD_PLATFORM_SET_ALL, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SD_TYPE_POST_STATE, SD_POST_STATE_DRAFT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEDULED_AT] =
    g_param_spec_int64 ("scheduled-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_POST_NO_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_THREAD_AUTO] =
    g_param_spec_boolean ("thread-auto", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THREAD_NUMBERING] =
    g_param_spec_boolean ("thread-numbering", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A network's own text was set or dropped (the SdPlatform is the argument). */
  /* Attachments were added, removed, reordered, or one's alt text changed. */
  signals[ATTACHMENTS_CHANGED] =
    g_signal_new ("attachments-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  signals[VARIANT_CHANGED] =
    g_signal_new ("variant-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sd_post_init (SdPost *self)
{
  self->text = g_strdup ("");
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
attachment_notify_cb (SdPost *self)
{
  g_signal_emit (self, signals[ATTACHMENTS_CHANGED], 0);
}

GPtrArray *
sd_post_get_attachments (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);

  return self->attachments;
}

/* The same image twice would be posted twice: a second one is refused (FALSE). */
gboolean
sd_post_add_attachment (SdPost       *self,
                        SdAttachment *attachment)
{
  g_return_val_if_fail (SD_IS_POST (self), FALSE);
  g_return_val_if_fail (SD_IS_ATTACHMENT (attachment), FALSE);

  for (guint i = 0; i < self->attachments->len; i++)
    if (g_strcmp0 (sd_attachment_get_media_id (self->attachments->pdata[i]),
                   sd_attachment_get_media_id (attachment)) == 0)
      return FALSE;

  g_ptr_array_add (self->attachments, g_object_ref (attachment));
  g_signal_connect_object (attachment, "notify::alt-text", G_CALLBACK (attachment_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (attachment, "notify::public-url", G_CALLBACK (attachment_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_emit (self, signals[ATTACHMENTS_CHANGED], 0);
  return TRUE;
}

void
sd_post_remove_attachment (SdPost *self,
                           guint   index)
{
  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (index < self->attachments->len);

  g_signal_handlers_disconnect_by_func (self->attachments->pdata[index], attachment_notify_cb, self);
  g_ptr_array_remove_index (self->attachments, index);
  g_signal_emit (self, signals[ATTACHMENTS_CHANGED], 0);
}

void
sd_post_move_attachment (SdPost *self,
                         guint   from,
                         guint   to)
{
  gpointer moving;

  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (from < self->attachments->len && to < self->attachments->len);

  if (from == to)
    return;
  moving = g_ptr_array_steal_index (self->attachments, from);
  g_ptr_array_insert (self->attachments, to, moving);
  g_signal_emit (self, signals[ATTACHMENTS_CHANGED], 0);
}

static void
replace_attachments (SdPost    *self,
                     GPtrArray *others)
{
  while (self->attachments->len > 0)
    {
      g_signal_handlers_disconnect_by_func (self->attachments->pdata[0], attachment_notify_cb, self);
      g_ptr_array_remove_index (self->attachments, 0);
    }
  for (guint i = 0; i < others->len; i++)
    {
      g_autoptr(SdAttachment) copy = sd_attachment_copy (others->pdata[i]);

      g_ptr_array_add (self->attachments, g_object_ref (copy));
      g_signal_connect_object (copy, "notify::alt-text", G_CALLBACK (attachment_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (copy, "notify::public-url", G_CALLBACK (attachment_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_emit (self, signals[ATTACHMENTS_CHANGED], 0);
}

static gboolean
same_attachments (GPtrArray *a,
                  GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (sd_attachment_get_media_id (a->pdata[i]), sd_attachment_get_media_id (b->pdata[i])) != 0
        || g_strcmp0 (sd_attachment_get_alt_text (a->pdata[i]), sd_attachment_get_alt_text (b->pdata[i])) != 0
        || g_strcmp0 (sd_attachment_get_public_url (a->pdata[i]), sd_attachment_get_public_url (b->pdata[i])) != 0)
      return FALSE;
  return TRUE;
}

SdPost *
sd_post_new (void)
{
  return g_object_new (SD_TYPE_POST, NULL);
}

static JsonObject *
copy_options (JsonObject *options)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (options == NULL || json_object_get_size (options) == 0)
    return NULL;

  copy = json_object_new ();
  json_object_iter_init (&iter, options);
  while (json_object_iter_next (&iter, &key, &node))
    json_object_set_member (copy, key, json_node_copy (node));
  return copy;
}

static gboolean
same_options (JsonObject *a,
              JsonObject *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || json_object_get_size (a) == 0) && (b == NULL || json_object_get_size (b) == 0);

  return json_object_equal (a, b);
}

/* A copy with a new id, as a duplicate starts its own life as a draft. */
SdPost *
sd_post_copy (SdPost *self)
{
  SdPost *copy;

  g_return_val_if_fail (SD_IS_POST (self), NULL);

  copy = g_object_new (SD_TYPE_POST,
                       "text", self->text,
                       "platforms", self->platforms,
                       "scheduled-at", self->scheduled_at,
                       "thread-auto", self->thread_auto,
                       "thread-numbering", self->thread_numbering,
                       NULL);
  for (guint i = 0; i < SD_N_PLATFORMS; i++)
    {
      copy->variant_texts[i] = g_strdup (self->variant_texts[i]);
      copy->options[i] = copy_options (self->options[i]);
    }
  replace_attachments (copy, self->attachments);
  copy->outbox = self->outbox;
  copy->last_error = g_strdup (self->last_error);
  copy->published_urls = g_strdupv (self->published_urls);

  return copy;
}

/* The network's own text, or NULL while it follows the post's text. */
const char *
sd_post_get_variant_text (SdPost     *self,
                          SdPlatform  platform)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  return self->variant_texts[platform];
}

void
sd_post_set_variant_text (SdPost     *self,
                          SdPlatform  platform,
                          const char *text)
{
  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (platform < SD_N_PLATFORMS);

  if (g_strcmp0 (self->variant_texts[platform], text) == 0)
    return;

  g_free (self->variant_texts[platform]);
  self->variant_texts[platform] = g_strdup (text);
  g_signal_emit (self, signals[VARIANT_CHANGED], 0, (guint) platform);
}

/* What goes to the network: its own text, else the post's. */
const char *
sd_post_get_text_for (SdPost     *self,
                      SdPlatform  platform)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  return self->variant_texts[platform] != NULL ? self->variant_texts[platform] : self->text;
}

const char *
sd_post_get_id (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);

  return self->id;
}

const char *
sd_post_get_text (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);

  return self->text;
}

void
sd_post_set_text (SdPost     *self,
                  const char *text)
{
  g_return_if_fail (SD_IS_POST (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

SdPlatformSet
sd_post_get_platforms (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), 0);

  return self->platforms;
}

void
sd_post_set_platforms (SdPost        *self,
                       SdPlatformSet  platforms)
{
  g_return_if_fail (SD_IS_POST (self));

  platforms &= SD_PLATFORM_SET_ALL;
  if (self->platforms == platforms)
    return;

  self->platforms = platforms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORMS]);
}

SdPostState
sd_post_get_state (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), SD_POST_STATE_DRAFT);

  return self->state;
}

void
sd_post_set_state (SdPost      *self,
                   SdPostState  state)
{
  g_return_if_fail (SD_IS_POST (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gint64
sd_post_get_scheduled_at (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), SD_POST_NO_TIME);

  return self->scheduled_at;
}

void
sd_post_set_scheduled_at (SdPost *self,
                          gint64  scheduled_at)
{
  g_return_if_fail (SD_IS_POST (self));

  if (self->scheduled_at == scheduled_at)
    return;

  self->scheduled_at = scheduled_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULED_AT]);
}

gint64
sd_post_get_created_at (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), 0);

  return self->created_at;
}

void
sd_post_set_created_at (SdPost *self,
                        gint64  created_at)
{
  g_return_if_fail (SD_IS_POST (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
sd_post_get_updated_at (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), 0);

  return self->updated_at;
}

void
sd_post_set_updated_at (SdPost *self,
                        gint64  updated_at)
{
  g_return_if_fail (SD_IS_POST (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/* Whether a text too long for a network becomes a thread there (X, Bluesky, Mastodon, Threads). */
gboolean
sd_post_get_thread_auto (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), FALSE);

  return self->thread_auto;
}

void
sd_post_set_thread_auto (SdPost   *self,
                         gboolean  thread_auto)
{
  g_return_if_fail (SD_IS_POST (self));

  thread_auto = !!thread_auto;
  if (self->thread_auto == thread_auto)
    return;

  self->thread_auto = thread_auto;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_AUTO]);
}

gboolean
sd_post_get_thread_numbering (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), FALSE);

  return self->thread_numbering;
}

void
sd_post_set_thread_numbering (SdPost   *self,
                              gboolean  numbering)
{
  g_return_if_fail (SD_IS_POST (self));

  numbering = !!numbering;
  if (self->thread_numbering == numbering)
    return;

  self->thread_numbering = numbering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_NUMBERING]);
}

/* Nothing a person typed or picked: such a draft is not worth keeping. */
gboolean
sd_post_is_blank (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), TRUE);

  return self->text[0] == '\0'
      && self->attachments->len == 0
      && self->platforms == 0
      && self->scheduled_at == SD_POST_NO_TIME;
}

/* Takes over another copy's content (same id), e.g. after a reload from the store. */
void
sd_post_update_from (SdPost *self,
                     SdPost *other)
{
  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (SD_IS_POST (other));

  g_object_freeze_notify (G_OBJECT (self));
  sd_post_set_text (self, other->text);
  sd_post_set_platforms (self, other->platforms);
  sd_post_set_state (self, other->state);
  sd_post_set_scheduled_at (self, other->scheduled_at);
  sd_post_set_created_at (self, other->created_at);
  sd_post_set_updated_at (self, other->updated_at);
  sd_post_set_thread_auto (self, other->thread_auto);
  sd_post_set_thread_numbering (self, other->thread_numbering);
  if (!same_attachments (self->attachments, other->attachments))
    replace_attachments (self, other->attachments);
  self->outbox = other->outbox;
  sd_post_set_last_error (self, other->last_error);
  sd_post_set_published_urls (self, other->published_urls);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      sd_post_set_variant_text (self, platform, other->variant_texts[platform]);
      if (!same_options (self->options[platform], other->options[platform]))
        {
          g_clear_pointer (&self->options[platform], json_object_unref);
          self->options[platform] = copy_options (other->options[platform]);
          g_signal_emit (self, signals[VARIANT_CHANGED], 0, (guint) platform);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint
sd_post_get_outbox (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), 0);
  return self->outbox;
}

void
sd_post_set_outbox (SdPost *self,
                    guint   outbox)
{
  g_return_if_fail (SD_IS_POST (self));
  self->outbox = outbox;
}

const char *
sd_post_get_last_error (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);
  return self->last_error;
}

void
sd_post_set_last_error (SdPost     *self,
                        const char *message)
{
  char *copy;

  g_return_if_fail (SD_IS_POST (self));
  if (self->last_error == message)
    return;
  copy = g_strdup (message);
  g_free (self->last_error);
  self->last_error = copy;
}

GStrv
sd_post_get_published_urls (SdPost *self)
{
  g_return_val_if_fail (SD_IS_POST (self), NULL);
  return self->published_urls;
}

void
sd_post_set_published_urls (SdPost *self,
                            GStrv   urls)
{
  GStrv copy;

  g_return_if_fail (SD_IS_POST (self));
  if (self->published_urls == urls)
    return;
  copy = g_strdupv (urls);
  g_strfreev (self->published_urls);
  self->published_urls = copy;
}

/* Options are strings; a value of another JSON type (from an imported file)
 * reads as NULL rather than as something the person never chose. */
const char *
sd_post_get_option (SdPost     *self,
                    SdPlatform  platform,
                    const char *key)
{
  JsonNode *node;

  g_return_val_if_fail (SD_IS_POST (self), NULL);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->options[platform] == NULL
      || (node = json_object_get_member (self->options[platform], key)) == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

void
sd_post_set_option (SdPost     *self,
                    SdPlatform  platform,
                    const char *key,
                    const char *value)
{
  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (platform < SD_N_PLATFORMS);
  g_return_if_fail (key != NULL);

  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (sd_post_get_option (self, platform, key), value) == 0
      && (value != NULL || self->options[platform] == NULL
          || !json_object_has_member (self->options[platform], key)))
    return;

  if (value == NULL)
    {
      json_object_remove_member (self->options[platform], key);
      if (json_object_get_size (self->options[platform]) == 0)
        g_clear_pointer (&self->options[platform], json_object_unref);
    }
  else
    {
      if (self->options[platform] == NULL)
        self->options[platform] = json_object_new ();
      json_object_set_string_member (self->options[platform], key, value);
    }
  g_signal_emit (self, signals[VARIANT_CHANGED], 0, (guint) platform);
}

char *
sd_post_dup_options_json (SdPost     *self,
                          SdPlatform  platform)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (SD_IS_POST (self), NULL);
  g_return_val_if_fail (platform < SD_N_PLATFORMS, NULL);

  if (self->options[platform] == NULL || json_object_get_size (self->options[platform]) == 0)
    return NULL;

  node = json_node_init_object (json_node_alloc (), self->options[platform]);
  return json_to_string (node, FALSE);
}

/* A value that is not a JSON object (or empty) leaves the variant without options. */
void
sd_post_set_options_json (SdPost     *self,
                          SdPlatform  platform,
                          const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *options = NULL;

  g_return_if_fail (SD_IS_POST (self));
  g_return_if_fail (platform < SD_N_PLATFORMS);

  if (json != NULL && json[0] != '\0')
    node = json_from_string (json, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    options = copy_options (json_node_get_object (node));

  if (same_options (self->options[platform], options))
    {
      g_clear_pointer (&options, json_object_unref);
      return;
    }
  g_clear_pointer (&self->options[platform], json_object_unref);
  self->options[platform] = options;
  g_signal_emit (self, signals[VARIANT_CHANGED], 0, (guint) platform);
}
