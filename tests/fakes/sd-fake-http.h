/* sd-fake-http.h — what every loopback network fake shares
 *
 * A SoupServer on 127.0.0.1 (ephemeral port) in a thread of its own with its
 * own GMainContext, so a test may call a synchronous client from any thread.
 * The network's fake (sd-fake-x.c, sd-fake-facebook.c, ...) gives one handler
 * that answers as that network's documentation shows; this part does the
 * plumbing: reading the request (query, JSON, form, multipart, bearer token),
 * the fault injection every fault test uses, a clock tests can advance, and
 * an OAuth 2.0 registry (authorization codes with PKCE, access tokens that
 * expire, refresh tokens that rotate, revocation).
 *
 * Every public function is thread-safe; the handler runs on the fake's
 * thread with the fake's lock held (do not call the locking public
 * functions from inside it; use the *_locked variants). These do not take
 * the lock and may be called anywhere: sd_fake_http_get_url,
 * sd_fake_http_now, sd_fake_http_advance_clock, sd_fake_http_new_id, the
 * answers (sd_fake_http_respond_*, sd_fake_http_set_header) and
 * sd_fake_request_param.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  SD_FAKE_FAULT_NONE         = 0,
  SD_FAKE_FAULT_500          = 1 << 0, /* 500 before processing: nothing made */
  SD_FAKE_FAULT_429          = 1 << 1, /* the network's own 429: nothing made */
  SD_FAKE_FAULT_RESET_BEFORE = 1 << 2, /* the connection closes unanswered, nothing made */
  SD_FAKE_FAULT_RESET_AFTER  = 1 << 3, /* processed (the post made), then closed unanswered */
  SD_FAKE_FAULT_SLOW         = 1 << 4, /* processed, answered after the slow delay */
  SD_FAKE_FAULT_ALL          = 0x1f,
} SdFakeFault;

typedef struct _SdFakeHttp SdFakeHttp;

typedef struct
{
  SoupServerMessage *msg;
  const char        *method;     /* "GET", "POST", ... */
  const char        *path;       /* "/2/tweets" */
  GHashTable        *query;      /* char* → char*, from the URI; never NULL */
  GBytes            *body;       /* the raw body; never NULL */
  JsonNode          *json;       /* an application/json body, or NULL */
  GHashTable        *form;       /* application/x-www-form-urlencoded fields (last value wins), or NULL */
  SoupMultipart     *multipart;  /* a multipart/form-data body, or NULL */
  const char        *bearer;     /* the token of "Authorization: Bearer …", or NULL */
  const char        *content_type; /* the media type, without parameters, or NULL */
  gpointer           priv;         /* the base's own; do not touch */
} SdFakeRequest;

/* Answers one request (sets the status and body on request->msg). FALSE:
 * not a path of this network (the base answers 404 text/plain). */
typedef gboolean (*SdFakeHandler)       (SdFakeHttp    *http,
                                         SdFakeRequest *request,
                                         gpointer       user_data);
/* Whether a request may be hit by a drawn or injected fault (default: every
 * request except GET on the authorize path). */
typedef gboolean (*SdFakeFaultFilter)   (SdFakeRequest *request,
                                         gpointer       user_data);
/* Answers a SD_FAKE_FAULT_429 the way the network does (status 429, its
 * headers and body). Default: 429 {"error":"Too Many Requests"} with
 * Retry-After: 2. */
typedef void     (*SdFakeRateLimited)   (SdFakeHttp    *http,
                                         SdFakeRequest *request,
                                         gpointer       user_data);

SdFakeHttp *sd_fake_http_new               (SdFakeHandler      handler,
                                            gpointer           user_data);
void        sd_fake_http_free              (SdFakeHttp        *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char *sd_fake_http_get_url           (SdFakeHttp        *self);
void        sd_fake_http_lock              (SdFakeHttp        *self);
void        sd_fake_http_unlock            (SdFakeHttp        *self);

/* Faults (as the Mastodon fake's): each request passing the filter fails
 * with probability @rate (0–1, from a GRand seeded with @seed) with a kind
 * drawn from the enabled kinds; inject_fault makes the next @count such
 * requests fail with @kind first. */
void        sd_fake_http_set_fault_rate    (SdFakeHttp        *self,
                                            double             rate,
                                            guint32            seed);
void        sd_fake_http_set_fault_kinds   (SdFakeHttp        *self,
                                            guint              kinds);
void        sd_fake_http_inject_fault      (SdFakeHttp        *self,
                                            SdFakeFault        kind,
                                            guint              count);
void        sd_fake_http_set_slow_delay    (SdFakeHttp        *self,
                                            guint              milliseconds);
void        sd_fake_http_set_fault_filter  (SdFakeHttp        *self,
                                            SdFakeFaultFilter  filter,
                                            gpointer           user_data);
void        sd_fake_http_set_rate_limited  (SdFakeHttp        *self,
                                            SdFakeRateLimited  responder,
                                            gpointer           user_data);
guint       sd_fake_http_get_n_faults      (SdFakeHttp        *self);
guint       sd_fake_http_get_n_requests    (SdFakeHttp        *self);

/* The fake's clock: real time plus an offset, in seconds. */
gint64      sd_fake_http_now               (SdFakeHttp        *self);
void        sd_fake_http_advance_clock     (SdFakeHttp        *self,
                                            gint64             seconds);

/* Answers (for handlers). */
void        sd_fake_http_respond_json      (SdFakeRequest     *request,
                                            guint              status,
                                            JsonNode          *node);    /* not taken */
void        sd_fake_http_respond_json_text (SdFakeRequest     *request,
                                            guint              status,
                                            const char        *json);
void        sd_fake_http_respond_text      (SdFakeRequest     *request,
                                            guint              status,
                                            const char        *content_type,
                                            const char        *text);
void        sd_fake_http_set_header        (SdFakeRequest     *request,
                                            const char        *name,
                                            const char        *value);
/* A query, form or JSON (top-level string/number/boolean) parameter, in that
 * order, then a multipart field that is not a file; NULL when absent. */
const char *sd_fake_request_param          (SdFakeRequest     *request,
                                            const char        *name);
/* A new random id: 19 decimal digits (like X's and Meta's). */
char       *sd_fake_http_new_id            (SdFakeHttp        *self);

/* OAuth 2.0 registry */
typedef enum
{
  SD_FAKE_TOKEN_VALID,
  SD_FAKE_TOKEN_UNKNOWN,  /* never issued, or revoked */
  SD_FAKE_TOKEN_EXPIRED,
} SdFakeTokenCheck;

/* Registers a user's access token valid for @lifetime seconds (0: forever)
 * and, if @refresh_token is not NULL, a refresh token. */
void             sd_fake_http_add_token        (SdFakeHttp   *self,
                                                const char   *user_id,
                                                const char   *access_token,
                                                const char   *refresh_token,
                                                gint64        lifetime);
void             sd_fake_http_add_token_locked (SdFakeHttp   *self,
                                                const char   *user_id,
                                                const char   *access_token,
                                                const char   *refresh_token,
                                                gint64        lifetime);
/* Checks request->bearer; sets *user_id (borrowed) when VALID. */
SdFakeTokenCheck sd_fake_http_check_token_locked (SdFakeHttp    *self,
                                                const char    *token,
                                                const char   **user_id);
/* A refresh token is spent once: VALID gives a new access token (and a new
 * refresh token) of the same lifetime (free both). */
SdFakeTokenCheck sd_fake_http_refresh_locked   (SdFakeHttp   *self,
                                                const char   *refresh_token,
                                                char        **access_token,
                                                char        **new_refresh_token,
                                                gint64       *expires_in,
                                                const char  **user_id);
/* Swaps a valid access token for a new one with @lifetime (Meta's long-lived
 * exchange and refresh); the old one stays valid. NULL when not VALID. */
char            *sd_fake_http_exchange_locked  (SdFakeHttp   *self,
                                                const char   *access_token,
                                                gint64        lifetime);
/* Every access token of @user_id expires now (refresh tokens stay). */
void             sd_fake_http_expire_tokens    (SdFakeHttp   *self,
                                                const char   *user_id);
void             sd_fake_http_expire_tokens_locked (SdFakeHttp *self,
                                                const char   *user_id);
/* Every token of @user_id, access and refresh, is revoked. */
void             sd_fake_http_revoke_user      (SdFakeHttp   *self,
                                                const char   *user_id);
void             sd_fake_http_revoke_user_locked (SdFakeHttp *self,
                                                const char   *user_id);
/* One token, access or refresh, is revoked (for a network's revoke
 * endpoint); FALSE when it was not known. The access token and the refresh
 * token issued with it are revoked together. */
gboolean         sd_fake_http_revoke_token_locked (SdFakeHttp *self,
                                                const char   *token);
/* Authorization codes: issue (when the fake's authorize page approves) and
 * redeem once. @challenge_method is "S256", "hex" (TikTok desktop: hex
 * SHA-256), "plain" or NULL (no PKCE); issue returns NULL for another method
 * or a method without a challenge. A code lives 10 minutes by the fake's clock
 * and is spent by the first successful redeem. Redeem checks client id, redirect URI and the
 * verifier; on success gives a new access token of @lifetime (and a refresh
 * token when @with_refresh) and the user id. */
char            *sd_fake_http_issue_code_locked (SdFakeHttp  *self,
                                                const char   *user_id,
                                                const char   *client_id,
                                                const char   *redirect_uri,
                                                const char   *code_challenge,
                                                const char   *challenge_method);
gboolean         sd_fake_http_redeem_code_locked (SdFakeHttp *self,
                                                const char   *code,
                                                const char   *client_id,
                                                const char   *redirect_uri,
                                                const char   *code_verifier,
                                                gint64        lifetime,
                                                gboolean      with_refresh,
                                                char        **access_token,
                                                char        **refresh_token,
                                                const char  **user_id);
/* The standard authorize page for tests: GET with client_id, redirect_uri,
 * state, code_challenge(+_method) and "sd_fake_approve=USER_ID" answers 302 to
 * redirect_uri?code=…&state=…; without sd_fake_approve, 200 with a page.
 * @client_id_param names the client id parameter (NULL: "client_id"; TikTok:
 * "client_key"). @challenge_method, when not NULL, is how the network reads
 * code_challenge whatever code_challenge_method says (and a code_challenge is
 * then required); NULL: code_challenge_method says (absent: "plain"), and no
 * code_challenge means no PKCE. No client id or redirect_uri, a response_type
 * other than "code" or an unusable challenge: 400 text/html. */
void             sd_fake_http_handle_authorize_locked (SdFakeHttp    *self,
                                                SdFakeRequest *request,
                                                const char    *client_id_param,
                                                const char    *challenge_method);

G_END_DECLS
