/* sd-post.h — one piece of content: its text, networks, state and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-attachment.h"
#include "sd-platform.h"

G_BEGIN_DECLS

typedef enum
{
  SD_POST_STATE_DRAFT,
  SD_POST_STATE_SCHEDULED,
  SD_POST_STATE_PUBLISHING,
  SD_POST_STATE_PUBLISHED,
  SD_POST_STATE_FAILED,
} SdPostState;

#define SD_TYPE_POST_STATE (sd_post_state_get_type ())
GType sd_post_state_get_type (void) G_GNUC_CONST;

const char *sd_post_state_to_string   (SdPostState  state);
gboolean    sd_post_state_from_string (const char  *text,
                                       SdPostState *state);

/* Where a post's sends stand in the outbox, for the calendar and lists. */
typedef enum
{
  SD_POST_OUTBOX_WAITING   = 1 << 0,  /* SocialDesk will send it at its time */
  SD_POST_OUTBOX_ON_SERVER = 1 << 1,  /* the network's own scheduler holds it */
  SD_POST_OUTBOX_HELD      = 1 << 2,  /* its time passed while SocialDesk was not running */
  SD_POST_OUTBOX_UNCERTAIN = 1 << 3,  /* SocialDesk could not confirm it went out */
  SD_POST_OUTBOX_FAILED    = 1 << 4,  /* a network refused it */
} SdPostOutbox;

#define SD_TYPE_POST (sd_post_get_type ())
G_DECLARE_FINAL_TYPE (SdPost, sd_post, SD, POST, GObject)

/* Times are UTC unix seconds; SD_POST_NO_TIME means "not set". */
#define SD_POST_NO_TIME ((gint64) 0)

SdPost        *sd_post_new              (void);
SdPost        *sd_post_copy             (SdPost        *self);
const char    *sd_post_get_id           (SdPost        *self);
const char    *sd_post_get_text         (SdPost        *self);
void           sd_post_set_text         (SdPost        *self,
                                         const char    *text);
SdPlatformSet  sd_post_get_platforms    (SdPost        *self);
void           sd_post_set_platforms    (SdPost        *self,
                                         SdPlatformSet  platforms);
SdPostState    sd_post_get_state        (SdPost        *self);
void           sd_post_set_state        (SdPost        *self,
                                         SdPostState    state);
gint64         sd_post_get_scheduled_at (SdPost        *self);
void           sd_post_set_scheduled_at (SdPost        *self,
                                         gint64         scheduled_at);
gint64         sd_post_get_created_at   (SdPost        *self);
void           sd_post_set_created_at   (SdPost        *self,
                                         gint64         created_at);
gint64         sd_post_get_updated_at   (SdPost        *self);
void           sd_post_set_updated_at   (SdPost        *self,
                                         gint64         updated_at);
const char    *sd_post_get_variant_text (SdPost        *self,
                                         SdPlatform     platform);
void           sd_post_set_variant_text (SdPost        *self,
                                         SdPlatform     platform,
                                         const char    *text);
const char    *sd_post_get_text_for     (SdPost        *self,
                                         SdPlatform     platform);
gboolean       sd_post_get_thread_auto  (SdPost        *self);
void           sd_post_set_thread_auto  (SdPost        *self,
                                         gboolean       thread_auto);
gboolean       sd_post_get_thread_numbering (SdPost    *self);
void           sd_post_set_thread_numbering (SdPost    *self,
                                         gboolean       numbering);
GPtrArray     *sd_post_get_attachments  (SdPost        *self);
gboolean       sd_post_add_attachment   (SdPost        *self,
                                         SdAttachment  *attachment);
void           sd_post_remove_attachment (SdPost       *self,
                                         guint          index);
void           sd_post_move_attachment  (SdPost        *self,
                                         guint          from,
                                         guint          to);
guint          sd_post_get_outbox       (SdPost        *self);
void           sd_post_set_outbox       (SdPost        *self,
                                         guint          outbox);
/* Where it was published: "platform\turl" strings, one per account it went out on. */
GStrv          sd_post_get_published_urls (SdPost      *self);
void           sd_post_set_published_urls (SdPost      *self,
                                         GStrv          urls);
/* The last network error on any of its sends, NULL when none. */
const char    *sd_post_get_last_error   (SdPost        *self);
void           sd_post_set_last_error   (SdPost        *self,
                                         const char    *message);
/* Network options of the post's variant on @platform: strings by key (the
 * SD_OPTION_* below), kept as a JSON object in the variant. NULL or "" unsets. */
#define SD_OPTION_TITLE          "title"           /* YouTube: the video's title */
#define SD_OPTION_TAGS           "tags"            /* YouTube: comma-separated tags */
#define SD_OPTION_PRIVACY        "privacy"         /* YouTube: public|unlisted|private; TikTok: a privacy_level_options value */
#define SD_OPTION_MADE_FOR_KIDS  "made-for-kids"   /* YouTube: "true" / "false" */
#define SD_OPTION_ALLOW_COMMENT  "allow-comment"   /* TikTok: "true" / "false" */
#define SD_OPTION_ALLOW_DUET     "allow-duet"      /* TikTok */
#define SD_OPTION_ALLOW_STITCH   "allow-stitch"    /* TikTok */
const char    *sd_post_get_option       (SdPost        *self,
                                         SdPlatform     platform,
                                         const char    *key);
void           sd_post_set_option       (SdPost        *self,
                                         SdPlatform     platform,
                                         const char    *key,
                                         const char    *value);
/* The whole object as JSON, NULL when the variant has no options. */
char          *sd_post_dup_options_json (SdPost        *self,
                                         SdPlatform     platform);
void           sd_post_set_options_json (SdPost        *self,
                                         SdPlatform     platform,
                                         const char    *json);
gboolean       sd_post_is_blank         (SdPost        *self);
void           sd_post_update_from      (SdPost        *self,
                                         SdPost        *other);

G_END_DECLS
