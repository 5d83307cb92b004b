/* sd-post-preview.c — how a post will look on one network
 *
 * A card laid out the way the network shows a post: who posts it (a neutral
 * brand until accounts exist), the text with links, mentions and tags styled
 * and links shortened as that network shortens them, Instagram's image above
 * its caption cut at "more", YouTube's video with its title (a network
 * option) above the description, TikTok's video or photo above its caption.
 * Videos are not played: a frame with their kind and size stands in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-post-preview"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-attachment.h"
#include "sd-post-preview.h"
#include "sd-text.h"

#define INSTAGRAM_CAPTION_CUT 125
#define YOUTUBE_TITLE_LIMIT 100

struct _SdPostPreview
{
  GtkWidget  parent_instance;

  SdPlatform platform;
  GtkWidget *card;
  GtkWidget *media;
  GtkLabel  *media_label;
  GtkLabel  *title;
  GtkLabel  *body;
  GtkLabel  *handle;
  GtkBox    *replies;   /* the thread's later posts */
  GtkWidget *images;    /* the attached images, when there are some */
};

G_DEFINE_FINAL_TYPE (SdPostPreview, sd_post_preview, GTK_TYPE_WIDGET)

/* How each network writes the poster's name, until accounts are connected. */
static const char *
handle_for (SdPlatform platform)
{
  switch (platform)
    {
    case SD_PLATFORM_X:
    case SD_PLATFORM_THREADS:
    case SD_PLATFORM_INSTAGRAM:
    case SD_PLATFORM_TIKTOK:
      return "@yourbrand";
    case SD_PLATFORM_BLUESKY:
      return "@yourbrand.bsky.social";
    case SD_PLATFORM_MASTODON:
      return "@yourbrand@mastodon.social";
    case SD_PLATFORM_LINKEDIN:
      return _("Company page");
    case SD_PLATFORM_FACEBOOK:
      return _("Page");
    case SD_PLATFORM_YOUTUBE:
      return _("Channel");
    case SD_N_PLATFORMS:
    default:
      return "";
    }
}

/* A link as the network displays it: X and Bluesky drop the scheme and cut long ones. */
static char *
display_link (SdPlatform  platform,
              const char *url)
{
  const char *shown = url;
  guint keep;

  if (g_str_has_prefix (shown, "https://"))
    shown += 8;
  else if (g_str_has_prefix (shown, "http://"))
    shown += 7;
  if (g_str_has_prefix (shown, "www."))
    shown += 4;

  switch (platform)
    {
    case SD_PLATFORM_X:
      keep = 23;
      break;
    case SD_PLATFORM_BLUESKY:
    case SD_PLATFORM_MASTODON:
      keep = 30;
      break;
    default:
      return g_strdup (url);
    }

  if (g_utf8_strlen (shown, -1) <= keep)
    return g_strdup (shown);

  {
    g_autofree char *start = g_utf8_substring (shown, 0, keep);

    return g_strconcat (start, "…", NULL);
  }
}

static void
append_escaped (GString    *out,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (out, escaped);
}

/**
 * sd_post_preview_markup:
 *
 * Pango markup for @text as @platform shows it. Everything from the text is
 * escaped: only our own spans are markup.
 */
char *
sd_post_preview_markup (SdPlatform         platform,
                        const char        *text,
                        const SdTextCount *count,
                        gboolean          *truncated)
{
  GString *out = g_string_new (NULL);
  gsize cut = strlen (text);
  gsize at = 0;

  *truncated = FALSE;
  if (platform == SD_PLATFORM_INSTAGRAM && g_utf8_strlen (text, -1) > INSTAGRAM_CAPTION_CUT)
    {
      cut = g_utf8_offset_to_pointer (text, INSTAGRAM_CAPTION_CUT) - text;
      *truncated = TRUE;
    }

  for (guint i = 0; i < count->entities->len; i++)
    {
      SdEntity *e = &g_array_index (count->entities, SdEntity, i);

      if (e->start >= cut)
        break;
      append_escaped (out, text + at, e->start - at);
      g_string_append (out, "<span foreground=\"#1c71d8\">");
      if (e->type == SD_ENTITY_URL)
        {
          g_autofree char *shown = display_link (platform, e->value);

          append_escaped (out, shown, -1);
        }
      else
        append_escaped (out, text + e->start, MIN (e->end, cut) - e->start);
      g_string_append (out, "</span>");
      at = MIN (e->end, cut);
    }

  if (at < cut)
    append_escaped (out, text + at, cut - at);
  if (*truncated)
    {
      g_string_append (out, "… <span alpha=\"60%\">");
      append_escaped (out, _("more"), -1);
      g_string_append (out, "</span>");
    }

  return g_string_free (out, FALSE);
}

/* count is the network's count of text (its entities are styled). */
void
sd_post_preview_set_text (SdPostPreview     *self,
                          const char        *text,
                          const SdTextCount *count)
{
  g_autofree char *markup = NULL;
  gboolean truncated;

  g_return_if_fail (SD_IS_POST_PREVIEW (self));

  markup = sd_post_preview_markup (self->platform, text, count, &truncated);
  gtk_label_set_markup (self->body, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->body), markup[0] != '\0');

  /* One post: no replies below it (sd_post_preview_set_thread() adds them back). */
  gtk_widget_set_visible (GTK_WIDGET (self->replies), FALSE);
}

/* YouTube's title is an option of the post, not part of its text. */
void
sd_post_preview_set_title (SdPostPreview *self,
                           const char    *title)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (SD_IS_POST_PREVIEW (self));

  if (title == NULL || title[0] == '\0')
    {
      gtk_label_set_text (self->title, _("Add the video’s title in Network Options"));
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "dim-label");
      return;
    }

  shown = g_utf8_strlen (title, -1) > YOUTUBE_TITLE_LIMIT ? g_utf8_substring (title, 0, YOUTUBE_TITLE_LIMIT)
                                                          : g_strdup (title);
  gtk_label_set_text (self->title, shown);
  gtk_widget_remove_css_class (GTK_WIDGET (self->title), "dim-label");
}

/* A thread: the first post as usual, each later one below it as a reply. */
void
sd_post_preview_set_thread (SdPostPreview *self,
                            GPtrArray     *parts)
{
  GtkWidget *child;

  g_return_if_fail (SD_IS_POST_PREVIEW (self));
  g_return_if_fail (parts != NULL && parts->len > 0);

  {
    g_autoptr(SdTextCount) first = sd_text_count (self->platform, parts->pdata[0], NULL);

    sd_post_preview_set_text (self, parts->pdata[0], first);
  }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->replies))) != NULL)
    gtk_box_remove (self->replies, child);

  for (guint i = 1; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) count = sd_text_count (self->platform, parts->pdata[i], NULL);
      g_autofree char *markup = NULL;
      g_autofree char *heading = g_strdup_printf (_("Reply %u of %u"), i + 1, parts->len);
      GtkWidget *reply = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *title = gtk_label_new (heading);
      GtkWidget *body = gtk_label_new (NULL);
      gboolean truncated;

      markup = sd_post_preview_markup (self->platform, parts->pdata[i], count, &truncated);
      gtk_label_set_markup (GTK_LABEL (body), markup);
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "caption-heading");
      gtk_widget_add_css_class (title, "dim-label");
      gtk_widget_add_css_class (reply, "sd-preview-reply");
      gtk_box_append (GTK_BOX (reply), title);
      gtk_box_append (GTK_BOX (reply), body);
      gtk_box_append (self->replies, reply);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->replies), parts->len > 1);
}

static char *
describe_video (SdAttachment *attachment)
{
  g_autofree char *kind = g_content_type_get_description (sd_attachment_get_mime_type (attachment));
  g_autofree char *size = g_format_size (sd_attachment_get_bytes (attachment));

  /* Translators: a video's kind and size ("MPEG-4 video · 12.4 MB"). */
  return g_strdup_printf (_("%s · %s"), kind, size);
}

/* Where a video plays on the network: dark, with its kind and size. */
static GtkWidget *
video_stand_in (SdAttachment *attachment,
                int           height)
{
  GtkWidget *area = gtk_center_box_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("media-playback-start-symbolic");
  g_autofree char *what = describe_video (attachment);
  GtkWidget *label = gtk_label_new (what);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (area), box);
  gtk_widget_add_css_class (area, "sd-preview-video");
  gtk_widget_set_size_request (area, -1, height);
  gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  return area;
}

static SdAttachment *
first_video (GPtrArray *attachments)
{
  for (guint i = 0; i < attachments->len; i++)
    if (sd_attachment_is_video (attachments->pdata[i]))
      return attachments->pdata[i];
  return NULL;
}

/* The media as the network lays them out: Instagram and TikTok show the first
 * (a carousel or a photo post), the others a grid of up to four; YouTube has
 * its video frame, naming the video once there is one. */
void
sd_post_preview_set_media (SdPostPreview *self,
                           GPtrArray     *attachments)
{
  GtkWidget *grid;
  guint shown;
  gboolean single;

  g_return_if_fail (SD_IS_POST_PREVIEW (self));

  if (self->platform == SD_PLATFORM_YOUTUBE)
    {
      SdAttachment *video = first_video (attachments);
      g_autofree char *what = video != NULL ? describe_video (video) : NULL;

      gtk_label_set_text (self->media_label, what != NULL ? what : _("The video goes here"));
      /* A video attached plays there: dark and plain, no longer a dim placeholder. */
      if (video != NULL)
        {
          gtk_widget_add_css_class (self->media, "sd-preview-video");
          gtk_widget_remove_css_class (self->media, "dim-label");
        }
      else
        {
          gtk_widget_remove_css_class (self->media, "sd-preview-video");
          gtk_widget_add_css_class (self->media, "dim-label");
        }
      return;
    }

  if (self->images != NULL)
    {
      gtk_box_remove (GTK_BOX (self->card), self->images);
      self->images = NULL;
    }

  single = self->platform == SD_PLATFORM_INSTAGRAM || self->platform == SD_PLATFORM_TIKTOK;
  gtk_widget_set_visible (self->media, attachments->len == 0 && single);
  if (attachments->len == 0)
    return;

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_add_css_class (grid, "sd-preview-images");
  gtk_widget_set_overflow (grid, GTK_OVERFLOW_HIDDEN);

  shown = single ? 1 : MIN (attachments->len, 4);
  for (guint i = 0; i < shown; i++)
    {
      SdAttachment *attachment = attachments->pdata[i];
      int height = self->platform == SD_PLATFORM_TIKTOK ? 420
                   : self->platform == SD_PLATFORM_INSTAGRAM ? 320 : (shown > 2 ? 110 : 220);
      GtkWidget *item;

      if (sd_attachment_is_video (attachment))
        item = video_stand_in (attachment, height);
      else
        {
          item = gtk_picture_new_for_filename (sd_attachment_get_path (attachment));
          gtk_picture_set_content_fit (GTK_PICTURE (item), GTK_CONTENT_FIT_COVER);
          gtk_picture_set_alternative_text (GTK_PICTURE (item), sd_attachment_get_alt_text (attachment));
          gtk_widget_set_size_request (item, -1, height);
        }
      /* Three: a tall one on the left, two stacked on the right. */
      if (shown == 3)
        gtk_grid_attach (GTK_GRID (grid), item, i == 0 ? 0 : 1, i == 0 ? 0 : i - 1, 1, i == 0 ? 2 : 1);
      else
        gtk_grid_attach (GTK_GRID (grid), item, i % 2, i / 2, 1, 1);
    }

  /* Instagram and TikTok put the media above the caption; the others below the text. */
  self->images = grid;
  gtk_box_insert_child_after (GTK_BOX (self->card), grid, single ? self->media : GTK_WIDGET (self->body));
}

SdPlatform
sd_post_preview_get_platform (SdPostPreview *self)
{
  return self->platform;
}

static GtkWidget *
media_placeholder (SdPlatform  platform,
                   GtkLabel  **label_out)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (platform == SD_PLATFORM_YOUTUBE
                                                  || platform == SD_PLATFORM_TIKTOK
                                                  ? "video-x-generic-symbolic"
                                                  : "image-x-generic-symbolic");
  GtkWidget *label = gtk_label_new (platform == SD_PLATFORM_YOUTUBE || platform == SD_PLATFORM_TIKTOK
                                    ? _("The video goes here") : _("The image goes here"));

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_add_css_class (label, "caption");
  *label_out = GTK_LABEL (label);
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (frame), icon);
  gtk_box_append (GTK_BOX (frame), label);

  {
    GtkWidget *area = gtk_center_box_new ();

    gtk_center_box_set_center_widget (GTK_CENTER_BOX (area), frame);
    gtk_widget_add_css_class (area, "sd-preview-media");
    gtk_widget_add_css_class (area, "dim-label");
    gtk_widget_set_size_request (area, -1, platform == SD_PLATFORM_YOUTUBE ? 180 : 220);
    return area;
  }
}

static void
build (SdPostPreview *self)
{
  const SdPlatformInfo *info = sd_platform_get_info (self->platform);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (_("Your Brand"));
  GtkWidget *network = gtk_label_new (info->display_name);
  GtkWidget *avatar = adw_avatar_new (36, _("Your Brand"), TRUE);
  g_autofree char *css = g_strdup_printf ("sd-preview-%s", info->id);
  gboolean media_first = self->platform == SD_PLATFORM_INSTAGRAM
                         || self->platform == SD_PLATFORM_YOUTUBE
                         || self->platform == SD_PLATFORM_TIKTOK;

  self->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (self->card, "card");
  gtk_widget_add_css_class (self->card, "sd-preview");
  gtk_widget_add_css_class (self->card, css);
  gtk_widget_set_parent (self->card, GTK_WIDGET (self));

  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  self->handle = GTK_LABEL (gtk_label_new (handle_for (self->platform)));
  gtk_label_set_xalign (self->handle, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->handle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->handle), "caption");
  gtk_box_append (GTK_BOX (names), name);
  gtk_box_append (GTK_BOX (names), GTK_WIDGET (self->handle));
  gtk_widget_set_hexpand (names, TRUE);
  gtk_widget_add_css_class (network, "caption");
  gtk_widget_add_css_class (network, "sd-preview-network");
  gtk_widget_set_valign (network, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (header), avatar);
  gtk_box_append (GTK_BOX (header), names);
  gtk_box_append (GTK_BOX (header), network);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_xalign (self->title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-4");
  gtk_widget_set_visible (GTK_WIDGET (self->title), self->platform == SD_PLATFORM_YOUTUBE);
  if (self->platform == SD_PLATFORM_YOUTUBE)
    sd_post_preview_set_title (self, NULL);

  self->body = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->body, TRUE);
  gtk_label_set_wrap_mode (self->body, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->body, 0);
  gtk_label_set_selectable (self->body, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->body), "sd-preview-body");

  self->media = media_placeholder (self->platform, &self->media_label);
  gtk_widget_set_visible (self->media, media_first);

  /* YouTube and TikTok put the video first; Instagram the image under the name. */
  if (self->platform == SD_PLATFORM_YOUTUBE)
    {
      gtk_box_append (GTK_BOX (self->card), self->media);
      gtk_box_append (GTK_BOX (self->card), GTK_WIDGET (self->title));
      gtk_box_append (GTK_BOX (self->card), header);
    }
  else
    {
      gtk_box_append (GTK_BOX (self->card), header);
      gtk_box_append (GTK_BOX (self->card), self->media);
    }
  gtk_box_append (GTK_BOX (self->card), GTK_WIDGET (self->body));

  self->replies = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 10));
  gtk_widget_set_visible (GTK_WIDGET (self->replies), FALSE);
  gtk_box_append (GTK_BOX (self->card), GTK_WIDGET (self->replies));

  {
    g_autofree char *label = g_strdup_printf (_("Preview on %s"), info->display_name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
}

static void
sd_post_preview_dispose (GObject *object)
{
  SdPostPreview *self = (SdPostPreview *) object;

  g_clear_pointer (&self->card, gtk_widget_unparent);

  G_OBJECT_CLASS (sd_post_preview_parent_class)->dispose (object);
}

static void
sd_post_preview_class_init (SdPostPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_post_preview_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_post_preview_init (SdPostPreview *self)
{
}

GtkWidget *
sd_post_preview_new (SdPlatform platform)
{
  SdPostPreview *self = g_object_new (SD_TYPE_POST_PREVIEW, NULL);

  self->platform = platform;
  build (self);
  return GTK_WIDGET (self);
}
