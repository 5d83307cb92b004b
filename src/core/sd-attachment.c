/* sd-attachment.c — an image or a video attached to a post, kept in SocialDesk's media folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-attachment"

#include "sd-attachment.h"

struct _SdAttachment
{
  GObject  parent_instance;

  char    *media_id;
  char    *path;
  char    *mime_type;
  int      width;
  int      height;
  gint64   bytes;
  char    *alt_text;
  char    *public_url;
};

G_DEFINE_FINAL_TYPE (SdAttachment, sd_attachment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ALT_TEXT,
  PROP_PUBLIC_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sd_attachment_finalize (GObject *object)
{
  SdAttachment *self = (SdAttachment *) object;

  g_free (self->media_id);
  g_free (self->path);
  g_free (self->mime_type);
  g_free (self->alt_text);
  g_free (self->public_url);

  G_OBJECT_CLASS (sd_attachment_parent_class)->finalize (object);
}

static void
sd_attachment_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SdAttachment *self = SD_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_ALT_TEXT:
      g_value_set_string (value, self->alt_text);
      break;
    case PROP_PUBLIC_URL:
      g_value_set_string (value, self->public_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_attachment_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SdAttachment *self = SD_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_ALT_TEXT:
      sd_attachment_set_alt_text (self, g_value_get_string (value));
      break;
    case PROP_PUBLIC_URL:
      sd_attachment_set_public_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_attachment_class_init (SdAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_attachment_finalize;
  object_class->get_property = sd_attachment_get_property;
  object_class->set_property = sd_attachment_set_property;

  properties[PROP_ALT_TEXT] =
    g_param_spec_string ("alt-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLIC_URL] =
    g_param_spec_string ("public-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_attachment_init (SdAttachment *self)
{
  self->alt_text = g_strdup ("");
}

SdAttachment *
sd_attachment_new (const char *media_id,
                   const char *path,
                   const char *mime_type,
                   int         width,
                   int         height,
                   gint64      bytes)
{
  SdAttachment *self = g_object_new (SD_TYPE_ATTACHMENT, NULL);

  self->media_id = g_strdup (media_id);
  self->path = g_strdup (path);
  self->mime_type = g_strdup (mime_type);
  self->width = width;
  self->height = height;
  self->bytes = bytes;
  return self;
}

SdAttachment *
sd_attachment_copy (SdAttachment *self)
{
  SdAttachment *copy = sd_attachment_new (self->media_id, self->path, self->mime_type,
                                          self->width, self->height, self->bytes);

  sd_attachment_set_alt_text (copy, self->alt_text);
  sd_attachment_set_public_url (copy, self->public_url);
  return copy;
}

const char *
sd_attachment_get_media_id (SdAttachment *self)
{
  return self->media_id;
}

const char *
sd_attachment_get_path (SdAttachment *self)
{
  return self->path;
}

const char *
sd_attachment_get_mime_type (SdAttachment *self)
{
  return self->mime_type;
}

int
sd_attachment_get_width (SdAttachment *self)
{
  return self->width;
}

int
sd_attachment_get_height (SdAttachment *self)
{
  return self->height;
}

gint64
sd_attachment_get_bytes (SdAttachment *self)
{
  return self->bytes;
}

const char *
sd_attachment_get_alt_text (SdAttachment *self)
{
  return self->alt_text;
}

void
sd_attachment_set_alt_text (SdAttachment *self,
                            const char   *alt_text)
{
  g_return_if_fail (SD_IS_ATTACHMENT (self));

  if (alt_text == NULL)
    alt_text = "";
  if (g_strcmp0 (self->alt_text, alt_text) == 0)
    return;

  g_free (self->alt_text);
  self->alt_text = g_strdup (alt_text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALT_TEXT]);
}

const char *
sd_attachment_get_public_url (SdAttachment *self)
{
  return self->public_url;
}

void
sd_attachment_set_public_url (SdAttachment *self,
                              const char   *public_url)
{
  g_return_if_fail (SD_IS_ATTACHMENT (self));

  if (public_url != NULL && public_url[0] == '\0')
    public_url = NULL;
  if (g_strcmp0 (self->public_url, public_url) == 0)
    return;

  g_free (self->public_url);
  self->public_url = g_strdup (public_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLIC_URL]);
}

gboolean
sd_attachment_is_video (SdAttachment *self)
{
  g_return_val_if_fail (SD_IS_ATTACHMENT (self), FALSE);

  return self->mime_type != NULL && g_str_has_prefix (self->mime_type, "video/");
}
