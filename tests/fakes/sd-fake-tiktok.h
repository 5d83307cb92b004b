/* sd-fake-tiktok.h — a loopback TikTok that answers as the Content Posting API's documentation shows
 *
 * Built on sd-fake-http (server thread, faults, clock, OAuth registry).
 * Serves, on one origin (point SOCIALDESK_TIKTOK_URL at it):
 * GET /v2/auth/authorize/ (client_key, hex PKCE; "&sd_fake_approve=OPEN_ID"
 * approves at once), POST /v2/oauth/token/ (authorization_code and
 * refresh_token; errors as 200 {"error", "error_description", "log_id"}),
 * GET /v2/user/info/?fields=…, POST /v2/post/publish/creator_info/query/,
 * POST /v2/post/publish/video/init/ (FILE_UPLOAD, the Media Transfer Guide's
 * chunk rules checked), PUT /video/?upload_id=…&upload_token=… (the upload
 * address it hands out; Content-Range checked; 206 until the last chunk,
 * then 201), POST /v2/post/publish/content/init/ (PHOTO, PULL_FROM_URL), POST
 * /v2/post/publish/status/fetch/. Every API answer is the v2 envelope
 * {"data": {…}, "error": {"code", "message", "log_id"}}; a token that is
 * unknown, revoked or expired gets 401 access_token_invalid; more than 6
 * init calls a minute (fake clock) per token get 429 rate_limit_exceeded
 * (TikTok documents no rate-limit header; the fake sends none), which is
 * also how an injected SD_FAKE_FAULT_429 answers.
 *
 * A publish is made by its init; once its video is wholly uploaded (photos:
 * at once) it is ready, and becomes a post at its next status fetch after
 * the processing fetches (see set_processing_fetches), or when the post
 * count is read — unless processing is held. Private (SELF_ONLY) posts give
 * no publicaly_available_post_id, as the documentation says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-fake-http.h"

G_BEGIN_DECLS

#define SD_FAKE_TIKTOK_CLIENT_KEY    "fake-tiktok-client-key"
#define SD_FAKE_TIKTOK_CLIENT_SECRET "fake-tiktok-client-secret"
#define SD_FAKE_TIKTOK_TOKEN_LIFETIME   86400      /* expires_in */
#define SD_FAKE_TIKTOK_REFRESH_LIFETIME 31536000   /* refresh_expires_in */

typedef struct _SdFakeTiktok SdFakeTiktok;

SdFakeTiktok *sd_fake_tiktok_new                (void);
void          sd_fake_tiktok_free               (SdFakeTiktok *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char   *sd_fake_tiktok_get_url            (SdFakeTiktok *self);
/* Faults and the clock. */
SdFakeHttp   *sd_fake_tiktok_get_http           (SdFakeTiktok *self);

/* A user (@user_id is the open_id) with an access token that lives
 * SD_FAKE_TIKTOK_TOKEN_LIFETIME seconds and, if not NULL, a refresh token. */
void          sd_fake_tiktok_add_user           (SdFakeTiktok *self,
                                                 const char   *user_id,
                                                 const char   *username,
                                                 const char   *access_token,
                                                 const char   *refresh_token);
/* FALSE: the app was not granted user.info.profile, so asking user/info for
 * "username" answers 401 scope_not_authorized (default TRUE). */
void          sd_fake_tiktok_set_profile_scope  (SdFakeTiktok *self,
                                                 gboolean      granted);

/* The creator's settings in creator_info/query (defaults: PUBLIC_TO_EVERYONE,
 * MUTUAL_FOLLOW_FRIENDS, SELF_ONLY; nothing disabled; 300 s). */
void          sd_fake_tiktok_set_privacy_options (SdFakeTiktok      *self,
                                                 const char * const *options);
void          sd_fake_tiktok_set_creator_disabled (SdFakeTiktok *self,
                                                 gboolean      comment,
                                                 gboolean      duet,
                                                 gboolean      stitch);
/* Photo URLs must start with a verified prefix once one is added (else 403
 * url_ownership_unverified); with none, any https URL is taken. */
void          sd_fake_tiktok_add_verified_prefix (SdFakeTiktok *self,
                                                 const char   *prefix);
/* Init calls a minute per token before 429 (default 6; 0: no limit). */
void          sd_fake_tiktok_set_init_limit     (SdFakeTiktok *self,
                                                 guint         per_minute);

/* Processing: a ready publish answers PROCESSING_* to this many status
 * fetches before PUBLISH_COMPLETE (default 1). Held: ready publishes stay
 * processing and make no post until released. */
void          sd_fake_tiktok_set_processing_fetches (SdFakeTiktok *self,
                                                 guint         fetches);
void          sd_fake_tiktok_set_hold           (SdFakeTiktok *self,
                                                 gboolean      hold);
/* The next publish to get ready ends FAILED with @fail_reason, making no post. */
void          sd_fake_tiktok_fail_next_publish  (SdFakeTiktok *self,
                                                 const char   *fail_reason);
/* The next init call (video or content) is refused with @status and the
 * error @code / @message, making nothing. */
void          sd_fake_tiktok_refuse_next_init   (SdFakeTiktok *self,
                                                 guint         status,
                                                 const char   *code,
                                                 const char   *message);

/* What was made. */
guint         sd_fake_tiktok_count_posts        (SdFakeTiktok *self);
guint         sd_fake_tiktok_count_posts_with_text (SdFakeTiktok *self,
                                                 const char   *text);
guint         sd_fake_tiktok_count_publishes    (SdFakeTiktok *self);
guint         sd_fake_tiktok_count_inits        (SdFakeTiktok *self);
/* The newest post as JSON: {"id", "publish_id", "open_id", "media_type"
 * ("VIDEO"/"PHOTO"), "title", "description", "privacy_level",
 * "disable_comment", "disable_duet", "disable_stitch", "video_size",
 * "chunk_size", "total_chunk_count", "video_sha256", "photo_images",
 * "photo_cover_index"}; NULL when there is none. */
char         *sd_fake_tiktok_dup_last_post_json (SdFakeTiktok *self);

G_END_DECLS
