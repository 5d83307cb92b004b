/* sd-fake-meta.h — a loopback Graph API: Facebook Pages or Instagram (with Instagram Login)
 *
 * One implementation, two flavours: sd_fake_facebook_new answers as
 * graph.facebook.com (and www.facebook.com's OAuth dialog),
 * sd_fake_instagram_new as graph.instagram.com (and instagram.com's
 * authorize page, api.instagram.com's token end). Point
 * SOCIALDESK_FACEBOOK_URL / SOCIALDESK_INSTAGRAM_URL at the fake's URL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-fake-http.h"

G_BEGIN_DECLS

typedef struct _SdFakeMeta SdFakeMeta;

SdFakeMeta *sd_fake_facebook_new     (void);
SdFakeMeta *sd_fake_instagram_new    (void);
void        sd_fake_meta_free        (SdFakeMeta *self);
const char *sd_fake_meta_get_url     (SdFakeMeta *self);
SdFakeHttp *sd_fake_meta_get_http    (SdFakeMeta *self);

/* The app the OAuth ends accept (default "meta-client" / "meta-secret"). */
void        sd_fake_meta_set_app     (SdFakeMeta *self,
                                      const char *client_id,
                                      const char *client_secret);
/* Facebook: a person (the token is a user token); Instagram: a professional
 * account (user_id is its IG user id). Meta has no refresh tokens:
 * @refresh_token is ignored and may be NULL. Tokens never expire unless
 * expired with sd_fake_http_expire_tokens (user id) . */
void        sd_fake_meta_add_user    (SdFakeMeta *self,
                                      const char *user_id,
                                      const char *username,
                                      const char *access_token,
                                      const char *refresh_token);
/* Facebook: a Page @user_id manages, with its Page token (tokens of the Page
 * belong to @page_id in the base's registry). */
void        sd_fake_meta_add_page    (SdFakeMeta *self,
                                      const char *user_id,
                                      const char *page_id,
                                      const char *name,
                                      const char *page_token);

/* Posts made: Facebook, Page posts published or scheduled (not the photos
 * staged unpublished); Instagram, published media. */
guint       sd_fake_meta_count_posts (SdFakeMeta *self);
guint       sd_fake_meta_count_posts_with_text (SdFakeMeta *self,
                                      const char *text);
/* Containers made (Instagram) or photos uploaded (Facebook). */
guint       sd_fake_meta_count_uploads (SdFakeMeta *self);
/* An object as JSON: id, kind, message, published, scheduled_publish_time,
 * attached_media, alt_text, image_url, video_url, media_type, children,
 * status_code; NULL when unknown. */
char       *sd_fake_meta_dup_object_json (SdFakeMeta *self,
                                      const char *id);
/* The id of the newest post (as count_posts counts), or NULL. */
char       *sd_fake_meta_dup_last_post_id (SdFakeMeta *self);

/* A post or caption containing @text is refused (Graph error 100 with an error_user_msg). */
void        sd_fake_meta_set_refused_text (SdFakeMeta *self,
                                      const char *text);
/* Instagram: a container answers IN_PROGRESS this many times before
 * FINISHED (default 0); G_MAXUINT: never finishes. */
void        sd_fake_meta_set_container_polls (SdFakeMeta *self,
                                      guint       polls);
/* Instagram: the 24-hour publishing allowance (default 0 of 100). */
void        sd_fake_meta_set_quota   (SdFakeMeta *self,
                                      guint       usage,
                                      guint       total);
/* Every answer says the usage is spent (X-Business-Use-Case-Usage at 100 %). */
void        sd_fake_meta_set_usage_spent (SdFakeMeta *self,
                                      gboolean    spent);

/* The inbox. A published post (Facebook) or media (Instagram) of @owner,
 * made now by the fake's clock; returns its id (free it). */
char       *sd_fake_meta_add_published_post (SdFakeMeta *self,
                                      const char *owner,
                                      const char *message);
/* A comment on a post/media, or (when @on_id is a comment) a reply to it
 * (to its top-level comment when it is a reply itself), made now. */
char       *sd_fake_meta_add_comment (SdFakeMeta *self,
                                      const char *on_id,
                                      const char *from_id,
                                      const char *from_name,
                                      const char *message);
/* A message in the conversation of @owner (Page / IG user) with the person
 * (made on first use), from the person or (@from_owner) from @owner. */
char       *sd_fake_meta_add_dm      (SdFakeMeta *self,
                                      const char *owner,
                                      const char *person_id,
                                      const char *person_name,
                                      gboolean    from_owner,
                                      const char *text);
/* {id, on, parent, from_id, message, hidden, deleted, liked}; NULL when unknown. */
char       *sd_fake_meta_dup_comment_json (SdFakeMeta *self,
                                      const char *id);
/* Replies under @comment_id (not deleted) by @from_id. */
guint       sd_fake_meta_count_replies_by (SdFakeMeta *self,
                                      const char *comment_id,
                                      const char *from_id);
guint       sd_fake_meta_count_dms_by (SdFakeMeta *self,
                                      const char *owner,
                                      const char *person_id,
                                      gboolean    from_owner);
char       *sd_fake_meta_dup_conversation_id (SdFakeMeta *self,
                                      const char *owner,
                                      const char *person_id);
/* Every request answers Graph error @code (4, 17, 32, 613) with the usage
 * headers at 100 %; 0: none. */
void        sd_fake_meta_set_throttle_code (SdFakeMeta *self,
                                      int         code);
/* The conversations and messages ends answer the permission error
 * (Facebook #230 pages_messaging, Instagram #10). */
void        sd_fake_meta_set_messaging_denied (SdFakeMeta *self,
                                      gboolean    denied);

G_END_DECLS
