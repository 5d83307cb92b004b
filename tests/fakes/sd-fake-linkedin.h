/* sd-fake-linkedin.h — a loopback LinkedIn that answers as LinkedIn's documentation shows
 *
 * Built on sd-fake-http. What it serves (the paths of the real origins, so
 * SOCIALDESK_LINKEDIN_URL=<url> points every origin here):
 * - GET /oauth/v2/authorization (the base's page; "&sd_fake_approve=USER_ID"
 *   approves at once), POST /oauth/v2/accessToken (authorization_code with
 *   PKCE when a challenge was given, refresh_token; client id and secret
 *   checked). Tokens last 60 days; refresh tokens (one year) only when
 *   enabled, as LinkedIn gives them to approved apps only.
 * - GET /v2/userinfo (OpenID Connect: sub, name, given_name, family_name,
 *   picture, locale, email when the user has one).
 * - Every /rest/ path needs Linkedin-Version (400 VERSION_MISSING without;
 *   426 NONEXISTENT_VERSION for a retired one) and X-Restli-Protocol-Version
 *   2.0.0. POST /rest/images?action=initializeUpload → value.uploadUrl
 *   (PUT /dms-uploads/<token>, 201) and value.image; GET /rest/images/<urn>
 *   (status WAITING_UPLOAD, PROCESSING, AVAILABLE). POST /rest/posts → 201,
 *   x-restli-id: urn:li:share:<id>; GET /rest/posts?q=author&author=<urn>
 *   (X-RestLi-Method: FINDER; count, start, sortBy).
 * - The inbox (Community Management API, "Comments API"): GET
 *   /rest/socialActions/{urn}/comments (start, count, paging.total; newest
 *   first, unverified), POST there ({actor, object, message.text,
 *   parentComment} → 201 with the comment; one level of nesting), DELETE
 *   /rest/socialActions/{urn}/comments/{id}?actor= (204; the comment's
 *   author or the post's). Without access, 403 ACCESS_DENIED. A seed's text
 *   holding the six characters "\\ud8xx" is served as that JSON escape.
 * - Errors {"status", "serviceErrorCode", "code", "message"}; 401 for an
 *   invalid or expired token; the fault 429 as LinkedIn answers it (no
 *   Retry-After, no rate-limit headers).
 * - The commentary is read as LinkedIn's little text: escapes undone,
 *   {hashtag|#|tag} and #tag shown as hashtags, and the shown text cut at
 *   the first unescaped reserved character (as LinkedIn silently does).
 *   More than 3000 characters shown: 422.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fakes/sd-fake-http.h"

G_BEGIN_DECLS

#define SD_FAKE_LINKEDIN_CLIENT_ID     "linkedin-client-id"
#define SD_FAKE_LINKEDIN_CLIENT_SECRET "linkedin-client-secret"
#define SD_FAKE_LINKEDIN_TOKEN_LIFETIME   5184000   /* 60 days */
#define SD_FAKE_LINKEDIN_REFRESH_LIFETIME 31536000  /* 365 days */

typedef struct _SdFakeLinkedin SdFakeLinkedin;

SdFakeLinkedin *sd_fake_linkedin_new                (void);
void            sd_fake_linkedin_free               (SdFakeLinkedin *self);
const char     *sd_fake_linkedin_get_url            (SdFakeLinkedin *self);
SdFakeHttp     *sd_fake_linkedin_get_http           (SdFakeLinkedin *self);

/* A member (@user_id is the OpenID "sub"; @username becomes the name and
 * the e-mail address username@example.com) with an access token of 60
 * days and, if not NULL, a refresh token. */
void            sd_fake_linkedin_add_user           (SdFakeLinkedin *self,
                                                     const char     *user_id,
                                                     const char     *username,
                                                     const char     *access_token,
                                                     const char     *refresh_token);

/* Whether the code exchange gives refresh tokens (default FALSE). */
void            sd_fake_linkedin_set_refresh_tokens (SdFakeLinkedin *self,
                                                     gboolean        enabled);
/* Requests with this Linkedin-Version get 426 NONEXISTENT_VERSION; NULL: none. */
void            sd_fake_linkedin_set_retired_version (SdFakeLinkedin *self,
                                                     const char     *version);
/* How many GET /rest/images/<urn> answer PROCESSING after the upload before
 * AVAILABLE (default 1); G_MAXUINT: never available. */
void            sd_fake_linkedin_set_image_processing (SdFakeLinkedin *self,
                                                     guint           polls);
/* TRUE: the posts finder answers 403 (an app without r_member_social). */
void            sd_fake_linkedin_set_find_forbidden (SdFakeLinkedin *self,
                                                     gboolean        forbidden);
/* TRUE: a post whose commentary repeats one of the author's answers 422
 * "Content is a duplicate of urn:li:share:…". */
void            sd_fake_linkedin_set_reject_duplicates (SdFakeLinkedin *self,
                                                     gboolean        reject);

/* What was made. The text is the commentary as LinkedIn shows it. */
guint           sd_fake_linkedin_count_posts        (SdFakeLinkedin *self);
guint           sd_fake_linkedin_count_posts_with_text (SdFakeLinkedin *self,
                                                     const char     *text);
/* The post entity as served by the finder (JSON), NULL if there is none. */
char           *sd_fake_linkedin_dup_post_json      (SdFakeLinkedin *self,
                                                     const char     *urn);
/* The shown text of a post, NULL if there is none. */
char           *sd_fake_linkedin_dup_post_text      (SdFakeLinkedin *self,
                                                     const char     *urn);
guint           sd_fake_linkedin_count_images       (SdFakeLinkedin *self);
/* The uploaded image's size in bytes and its Content-Type; FALSE when unknown or not uploaded. */
gboolean        sd_fake_linkedin_get_image          (SdFakeLinkedin *self,
                                                     const char     *urn,
                                                     gsize          *size,
                                                     char          **content_type);
/* Shown text of what the little text @commentary shows on LinkedIn. */
char           *sd_fake_linkedin_show_little        (const char     *commentary);

/* The inbox: a comment on @post_urn by @actor_urn made @age seconds ago,
 * under @parent_comment (NULL: top level); returns its URN. */
char           *sd_fake_linkedin_add_comment        (SdFakeLinkedin *self,
                                                     const char     *post_urn,
                                                     const char     *actor_urn,
                                                     const char     *text,
                                                     const char     *parent_comment,
                                                     gint64          age);
/* TRUE: every comments call answers 403 ACCESS_DENIED (an app LinkedIn did not approve). */
void            sd_fake_linkedin_set_comments_forbidden (SdFakeLinkedin *self,
                                                     gboolean        forbidden);
guint           sd_fake_linkedin_count_comments_with_text (SdFakeLinkedin *self,
                                                     const char     *text);
/* The parentComment of a comment (free it); NULL at the top or when unknown. */
char           *sd_fake_linkedin_dup_comment_parent (SdFakeLinkedin *self,
                                                     const char     *comment_urn);
gboolean        sd_fake_linkedin_has_comment        (SdFakeLinkedin *self,
                                                     const char     *comment_urn);

G_END_DECLS
