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
 *   The inbox: GET /2/users/:id/mentions (since_id, max_results 5–100,
 *        pagination_token / meta.next_token, newest_id; posts that name
 *        "@username"), GET /2/tweets?ids=, GET /2/tweets/search/recent (403
 *        "client-forbidden" unless allowed, as without a paid tier), POST and
 *        DELETE /2/users/:id/likes, PUT /2/tweets/:id/hidden (replies in
 *        conversations the user started), GET /2/dm_events and
 *        /2/dm_conversations/:id/dm_events (newest first, pagination_token),
 *        POST /2/dm_conversations/:id/messages (201 dm_conversation_id,
 *        dm_event_id); a user without DM scope gets 403 on the DM calls.
 *        Only the fields and expansions asked for are served; entities.urls
 *        count code points of the text with & < > unescaped. A seed's text
 *        holding the six characters "\ud8xx" is served as that JSON escape
 *        (a lone surrogate).
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

/* The inbox. Ids grow with time (X's are snowflakes). A post by @author_id
 * (added with sd_fake_x_add_user, token may be NULL), made @age seconds ago,
 * replying to / quoting another (NULL: none); returns its id. */
char       *sd_fake_x_add_tweet            (SdFakeX    *self,
                                            const char *author_id,
                                            const char *text,
                                            const char *reply_to,
                                            const char *quote_of,
                                            gint64      age);
/* A direct message in the one-to-one conversation of the two; returns its event id. */
char       *sd_fake_x_add_dm               (SdFakeX    *self,
                                            const char *sender_id,
                                            const char *recipient_id,
                                            const char *text,
                                            gint64      age);
/* "SMALLER-LARGER": X's id of a one-to-one conversation. */
char       *sd_fake_x_dup_conversation_id  (const char *user_a,
                                            const char *user_b);
/* Whether the user's sign-in carries dm.read and dm.write (default TRUE). */
void        sd_fake_x_set_dm_scope         (SdFakeX    *self,
                                            const char *user_id,
                                            gboolean    allowed);
/* Whether recent search answers (default FALSE: 403 as on the free tier). */
void        sd_fake_x_set_search_allowed   (SdFakeX    *self,
                                            gboolean    allowed);
gboolean    sd_fake_x_is_liked             (SdFakeX    *self,
                                            const char *user_id,
                                            const char *tweet_id);
gboolean    sd_fake_x_is_hidden            (SdFakeX    *self,
                                            const char *tweet_id);
guint       sd_fake_x_count_dms_with_text  (SdFakeX    *self,
                                            const char *text);

G_END_DECLS
