/* sd-fake-youtube.h — a loopback YouTube Data API v3 (and Google's OAuth ends) built on sd-fake-http
 *
 * What it serves, all under one origin (SOCIALDESK_YOUTUBE_URL):
 * GET /o/oauth2/v2/auth (the base's authorize page; "&sd_fake_approve=USER_ID"
 * approves at once), POST /token (authorization_code with PKCE, refresh_token:
 * Google's answers, no new refresh token on refresh and the old one stays
 * valid), GET /youtube/v3/channels?part=snippet|contentDetails&mine=true, GET
 * /youtube/v3/playlistItems?part=snippet&playlistId=UU… (newest first,
 * pageToken), GET /youtube/v3/videos?part=status[,snippet]&id=…, PUT
 * /youtube/v3/videos?part=status, DELETE /youtube/v3/videos?id=…, POST
 * /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status (200 with
 * the session URI in Location) and PUT on the session URI (chunks in 256 KiB
 * multiples with Content-Range; 308 + Range until the last byte, then 201
 * with the video; "bytes * /TOTAL" asks how far it got).
 *
 * Errors are Google's: {"error": {"code", "message", "errors": [{"message",
 * "domain", "reason"}]}}. A title or description with "<" or ">", a title over
 * 100 characters or empty, a description over 5000 bytes: 400 invalidTitle /
 * invalidDescription. An injected or drawn SD_FAKE_FAULT_429 answers 429
 * RESOURCE_EXHAUSTED with Retry-After: 30. Scheduled videos (private +
 * publishAt) become public, their publishAt dropped, once the fake's clock
 * passes publishAt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-fake-http.h"

G_BEGIN_DECLS

typedef struct _SdFakeYoutube SdFakeYoutube;

SdFakeYoutube *sd_fake_youtube_new                 (void);
void           sd_fake_youtube_free                (SdFakeYoutube *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char    *sd_fake_youtube_get_url             (SdFakeYoutube *self);
/* Faults and the clock. */
SdFakeHttp    *sd_fake_youtube_get_http            (SdFakeYoutube *self);

/* A Google user with one channel ("UC" + user id, title @username,
 * customUrl "@username"); the access token lives 3599 s by the fake's clock. */
void           sd_fake_youtube_add_user            (SdFakeYoutube *self,
                                                    const char    *user_id,
                                                    const char    *username,
                                                    const char    *access_token,
                                                    const char    *refresh_token);
/* A second channel for the same user (a Brand Account the user manages). */
void           sd_fake_youtube_add_channel         (SdFakeYoutube *self,
                                                    const char    *user_id,
                                                    const char    *channel_id,
                                                    const char    *title,
                                                    const char    *custom_url);
char          *sd_fake_youtube_dup_channel_id      (SdFakeYoutube *self,
                                                    const char    *user_id);

/* Videos on the fake (finished uploads, not deleted). */
guint          sd_fake_youtube_count_posts         (SdFakeYoutube *self);
guint          sd_fake_youtube_count_posts_with_text (SdFakeYoutube *self,
                                                    const char    *text);
/* The video resource (snippet, status, fileDetails) as JSON, or NULL. */
char          *sd_fake_youtube_dup_video_json      (SdFakeYoutube *self,
                                                    const char    *video_id);
/* The SHA-256 (hex) of the bytes received for the video, or NULL. */
char          *sd_fake_youtube_dup_video_sha256    (SdFakeYoutube *self,
                                                    const char    *video_id);
/* PUTs on session URIs (chunks and queries) so far. */
guint          sd_fake_youtube_get_n_upload_puts   (SdFakeYoutube *self);

/* Every API request answers 403 quotaExceeded while TRUE. */
void           sd_fake_youtube_set_quota_exceeded  (SdFakeYoutube *self,
                                                    gboolean       exceeded);
/* A channel holding @count videos answers 403 uploadLimitExceeded to a new
 * upload; 0: no limit. */
void           sd_fake_youtube_set_upload_limit    (SdFakeYoutube *self,
                                                    guint          count);
/* Chunks that would bring a session past @bytes answer 503 backendError (the
 * session keeps what it had); -1: no stall. */
void           sd_fake_youtube_stall_uploads_after (SdFakeYoutube *self,
                                                    gint64         bytes);
/* Every open upload session expires (404 from now on). */
void           sd_fake_youtube_expire_sessions     (SdFakeYoutube *self);

/* The inbox. A public video of @channel_id, uploaded now by the fake's
 * clock; returns its id. */
char          *sd_fake_youtube_add_video           (SdFakeYoutube *self,
                                                    const char    *channel_id,
                                                    const char    *title);
/* A top-level comment on a video, or (when @on_id is a comment) a reply in
 * its thread; made now. */
char          *sd_fake_youtube_add_comment         (SdFakeYoutube *self,
                                                    const char    *on_id,
                                                    const char    *author_channel_id,
                                                    const char    *author_name,
                                                    const char    *text);
/* {id, parentId, authorChannelId, textOriginal, moderationStatus}; NULL when unknown. */
char          *sd_fake_youtube_dup_comment_json    (SdFakeYoutube *self,
                                                    const char    *id);
/* Replies under the top-level @comment_id by @author_channel_id (any moderation status). */
guint          sd_fake_youtube_count_replies_by    (SdFakeYoutube *self,
                                                    const char    *comment_id,
                                                    const char    *author_channel_id);

G_END_DECLS
