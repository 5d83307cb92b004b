/* sd-fake-x.h — a loopback X (API v2) that answers as docs.x.com shows
 *
 * Built on sd-fake-http (server thread, faults, clock, OAuth registry). What
 * it serves:
 *   GET  /i/oauth2/authorize (add "&sd_fake_approve=USER_ID"; PKCE S256)
 *   POST /2/oauth2/token (authorization_code, refresh_token; 2-hour access
 *        tokens, rotating refresh tokens)
 *   GET  /2/users/me
 *   GET  /2/users/:id/tweets (newest first; start_time, max_results,
 *        pagination_token / meta.next_token; links shown as t.co links, a post
 *        with media ends with its media link, & < > escaped as X does)
 *   POST /2/tweets (text, media.media_ids, reply.in_reply_to_tweet_id → 201;
 *        403 for a duplicate of a post of the last 24 hours, 403 for a text
 *        over 280 characters, 400 for unknown or unprocessed media ids)
 *   POST /2/media/upload (one-shot image upload, multipart "media")
 *   POST /2/media/upload/initialize, /2/media/upload/:id/append (multipart
 *        "media" + "segment_index"), /2/media/upload/:id/finalize
 *   GET  /2/media/upload?command=STATUS&media_id=ID
 *   POST /2/media/metadata (alt_text.text ≤ 1000)
 * Errors are problem bodies ({"title","detail","type","status"}, "errors" for
 * invalid requests); a bad or expired token is 401. Every /2/ answer carries
 * x-rate-limit-limit, -remaining and -reset (epoch seconds) for the endpoint
 * and user (POST /2/tweets: 100 per 15 minutes by default); past the limit,
 * and for an injected SD_FAKE_FAULT_429, it answers 429 with X's body
 * ({"title":"Too Many Requests",...}) and remaining 0 (the reset of an
 * injected 429 is 2 seconds ahead, to keep fault runs short).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fakes/sd-fake-http.h"

G_BEGIN_DECLS

typedef struct _SdFakeX SdFakeX;

SdFakeX    *sd_fake_x_new                  (void);
void        sd_fake_x_free                 (SdFakeX    *self);
/* "http://127.0.0.1:PORT": set SOCIALDESK_X_URL to it. */
const char *sd_fake_x_get_url              (SdFakeX    *self);
SdFakeHttp *sd_fake_x_get_http             (SdFakeX    *self);

/* A user (id, @username) with an access token valid two hours and a refresh
 * token (may be NULL). */
void        sd_fake_x_add_user             (SdFakeX    *self,
                                            const char *user_id,
                                            const char *username,
                                            const char *access_token,
                                            const char *refresh_token);

/* What was made. */
guint       sd_fake_x_count_posts          (SdFakeX    *self);
guint       sd_fake_x_count_posts_with_text (SdFakeX   *self,
                                            const char *text);
/* Media upload sessions begun (one-shot uploads and initializes). */
guint       sd_fake_x_count_media_uploads  (SdFakeX    *self);
/* A post as kept: {"id","author_id","text" (as sent),"created_at",
 * "in_reply_to_tweet_id","conversation_id","media_ids":[...]}; NULL if none. */
char       *sd_fake_x_dup_post_json        (SdFakeX    *self,
                                            const char *post_id);
/* A media item as kept: {"id","media_category","media_type","total_bytes",
 * "received_bytes","segments","state","alt_text"}; NULL if none. */
char       *sd_fake_x_dup_media_json       (SdFakeX    *self,
                                            const char *media_id);

/* How many STATUS polls a finalized video or GIF stays "in_progress"
 * (default 1; G_MAXUINT: it never finishes). Applies to later finalizes and
 * to media still processing. */
void        sd_fake_x_set_processing_polls (SdFakeX    *self,
                                            guint       polls);
/* POST /2/tweets allowed per user per 15 minutes (default 100). */
void        sd_fake_x_set_post_limit       (SdFakeX    *self,
                                            guint       limit);

G_END_DECLS
