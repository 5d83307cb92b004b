/* sd-fake-threads.h — a loopback Threads API that answers as Meta's documentation shows
 *
 * Built on sd-fake-http (its thread, faults, clock and OAuth registry). What
 * it serves (developers.facebook.com/docs/threads): GET /oauth/authorize
 * (add "&sd_fake_approve=USER_ID" to approve at once), POST
 * /oauth/access_token (the code for a one-hour token: {"access_token",
 * "user_id"}), GET /access_token (grant_type=th_exchange_token: a 60-day
 * token) and GET /refresh_access_token (grant_type=th_refresh_token, for
 * tokens at least 24 hours old), all un-versioned; under /v1.0: GET
 * /me and /{user-id} (profile fields), POST /{user-id}/threads (media
 * containers: TEXT, IMAGE, VIDEO, CAROUSEL with children, reply_to_id), GET
 * /{container-id}?fields=status,error_message, POST
 * /{user-id}/threads_publish (creation_id; a container publishes once), GET
 * /{media-id} (id, text, timestamp, permalink, media_type, shortcode,
 * is_reply, username), GET /{user-id}/threads and /{user-id}/replies
 * (newest first, cursor paging, since), GET
 * /{user-id}/threads_publishing_limit. The inbox: GET /{media-id}/replies
 * (direct replies) and /{media-id}/conversation (all below it), newest first
 * with reverse=false, cursor paging, fields replied_to, root_post,
 * hide_status, has_replies, username; POST /{reply-id}/manage_reply?hide=
 * (replies under the user's own posts: {"success": true}); GET /me/mentions
 * (posts by others naming "@username"; unverified; code 10 without the
 * permission). A seed's text holding the six characters "\\ud8xx" is
 * served as that JSON escape (a lone surrogate). The token comes as a bearer header or
 * an access_token parameter. Errors are Graph error objects ({"error":
 * {"message", "type", "code", "error_subcode", "fbtrace_id"}}) with status
 * 400; the fake's own 429 carries code 4 and an X-App-Usage header at 100 %.
 *
 * Every function here is thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-fake-http.h"

G_BEGIN_DECLS

/* The Threads app the fake knows (the docs' examples). */
#define SD_FAKE_THREADS_CLIENT_ID     "990602627938098"
#define SD_FAKE_THREADS_CLIENT_SECRET "a1b2C3D4"
#define SD_FAKE_THREADS_LONG_LIVED    (60 * 24 * 3600)

typedef struct _SdFakeThreads SdFakeThreads;

SdFakeThreads *sd_fake_threads_new                 (void);
void           sd_fake_threads_free                (SdFakeThreads *self);
/* "http://127.0.0.1:PORT", no trailing slash: SOCIALDESK_THREADS_URL. */
const char    *sd_fake_threads_get_url             (SdFakeThreads *self);
/* Faults, clock and the token registry. */
SdFakeHttp    *sd_fake_threads_get_http            (SdFakeThreads *self);

/* A Threads user (id: decimal digits) with a long-lived @access_token
 * (60 days, issued now by the fake's clock). Threads has no refresh tokens:
 * @refresh_token may be NULL. The profile's name is @username with a capital. */
void           sd_fake_threads_add_user            (SdFakeThreads *self,
                                                    const char    *user_id,
                                                    const char    *username,
                                                    const char    *access_token,
                                                    const char    *refresh_token);

guint          sd_fake_threads_count_posts         (SdFakeThreads *self);
guint          sd_fake_threads_count_posts_with_text (SdFakeThreads *self,
                                                    const char    *text);
guint          sd_fake_threads_count_containers    (SdFakeThreads *self);
/* A published post as JSON (free it): id, user_id, container_id,
 * media_type, text, permalink, timestamp, reply_to_id (or null), and
 * "media": [{"media_type", "url", "alt_text"}]; NULL when unknown. */
char          *sd_fake_threads_dup_post_json       (SdFakeThreads *self,
                                                    const char    *post_id);

/* GET status answers before a new VIDEO container is FINISHED (default 1;
 * G_MAXUINT: never). */
void           sd_fake_threads_set_video_polls     (SdFakeThreads *self,
                                                    guint          polls);
/* Every container still IN_PROGRESS is FINISHED now. */
void           sd_fake_threads_finish_containers   (SdFakeThreads *self);
/* New IMAGE and VIDEO containers end in ERROR with @error_message
 * ("FAILED_DOWNLOADING_VIDEO", ...); NULL: they do not. */
void           sd_fake_threads_set_container_error (SdFakeThreads *self,
                                                    const char    *error_message);
/* Posts counted as already published in the last 24 hours, on top of the real ones. */
void           sd_fake_threads_set_quota_usage     (SdFakeThreads *self,
                                                    guint          extra_posts);
/* Every API answer carries X-App-Usage with this call_count percentage (0: no header). */
void           sd_fake_threads_set_app_usage       (SdFakeThreads *self,
                                                    guint          percent);

/* The inbox: a post by @user_id (added with add_user, token may be NULL)
 * made @age seconds ago, replying to @reply_to_id (NULL: none); seed in
 * time order. Returns its id. */
char          *sd_fake_threads_add_post            (SdFakeThreads *self,
                                                    const char    *user_id,
                                                    const char    *text,
                                                    const char    *reply_to_id,
                                                    gint64         age);
/* Whether the user's token carries threads_manage_mentions (default TRUE). */
void           sd_fake_threads_set_mentions_allowed (SdFakeThreads *self,
                                                    const char    *user_id,
                                                    gboolean       allowed);
gboolean       sd_fake_threads_is_hidden           (SdFakeThreads *self,
                                                    const char    *post_id);

G_END_DECLS
