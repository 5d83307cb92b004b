/* sd-attachment.h — an image or a video attached to a post, kept in SocialDesk's media folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_TYPE_ATTACHMENT (sd_attachment_get_type ())
G_DECLARE_FINAL_TYPE (SdAttachment, sd_attachment, SD, ATTACHMENT, GObject)

SdAttachment *sd_attachment_new            (const char   *media_id,
                                            const char   *path,
                                            const char   *mime_type,
                                            int           width,
                                            int           height,
                                            gint64        bytes);
SdAttachment *sd_attachment_copy           (SdAttachment *self);
const char   *sd_attachment_get_media_id   (SdAttachment *self);
const char   *sd_attachment_get_path       (SdAttachment *self);
const char   *sd_attachment_get_mime_type  (SdAttachment *self);
int           sd_attachment_get_width      (SdAttachment *self);
int           sd_attachment_get_height     (SdAttachment *self);
gint64        sd_attachment_get_bytes      (SdAttachment *self);
const char   *sd_attachment_get_alt_text   (SdAttachment *self);
void          sd_attachment_set_alt_text   (SdAttachment *self,
                                            const char   *alt_text);
/* Where the network may fetch it (Instagram and Threads fetch media from a
 * public https address); NULL when the person gave none. */
const char   *sd_attachment_get_public_url (SdAttachment *self);
void          sd_attachment_set_public_url (SdAttachment *self,
                                            const char   *public_url);
gboolean      sd_attachment_is_video       (SdAttachment *self);

G_END_DECLS
