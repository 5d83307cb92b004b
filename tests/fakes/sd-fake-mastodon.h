/* sd-fake-mastodon.h — a loopback Mastodon that answers as Mastodon's documentation shows
 *
 * It runs a SoupServer on 127.0.0.1 (ephemeral port) in a thread of its own
 * with its own GMainContext, so a test may call a synchronous client from
 * any thread. Every function here is thread-safe.
 *
 * What it serves: POST /api/v1/apps, GET /oauth/authorize (add
 * "&sd_fake_approve=USERNAME" to approve at once: 302 to the redirect URI with
 * code and state), POST /oauth/token (authorization_code with PKCE S256
 * checked), GET /api/v1/accounts/verify_credentials, GET
 * /api/v1/accounts/:id/statuses (Link header), GET /api/v2/instance and
 * /api/v1/instance, POST /api/v2/media (images 200; video, GIF and audio 202
 * and ready after two GET /api/v1/media/:id, which answer 206 meanwhile), POST
 * /api/v1/statuses (Idempotency-Key kept one hour per account; scheduled_at
 * at least 5 minutes ahead gives a ScheduledStatus), GET /api/v1/statuses/:id,
 * GET/PUT/DELETE /api/v1/scheduled_statuses/:id; the inbox: GET
 * /api/v1/notifications (types[], exclude_types[], max_id, since_id, min_id,
 * limit ≤ 80, default 40; Link header rel="next" max_id / rel="prev" min_id,
 * keeping limit and the type filters), GET /api/v1/conversations (paged by
 * each conversation's last status id, limit ≤ 40, default 20; Link), GET
 * /api/v1/statuses/:id/context, POST /api/v1/statuses/:id/favourite and
 * /unfavourite. Private and direct statuses are seen only by their author
 * and the accounts they mention; a direct status goes on in its parent's
 * conversation (or starts one with the accounts it mentions); every
 * mentioned account gets a "mention" notification. GET
 * /api/v1/accounts/:id/statuses honours exclude_replies (self-replies kept).
 * Errors are Error entities
 * ({"error": "..."}); every /api/ answer carries X-RateLimit-Limit, -Remaining
 * and -Reset (ISO 8601); past the limit (300 requests per 5 minutes per
 * token by default) it answers 429 {"error":"Too many requests"} without
 * Retry-After. An injected or drawn SD_FAKE_FAULT_429 answers the same, with
 * X-RateLimit-Reset 2 s ahead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-fake-http.h"  /* SdFakeFault */

G_BEGIN_DECLS

typedef struct _SdFakeMastodon SdFakeMastodon;

SdFakeMastodon *sd_fake_mastodon_new              (void);
void            sd_fake_mastodon_free             (SdFakeMastodon *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char     *sd_fake_mastodon_get_url          (SdFakeMastodon *self);
/* The instance's domain, as in acct and /api/v2/instance: "127.0.0.1:PORT". */
const char     *sd_fake_mastodon_get_domain       (SdFakeMastodon *self);

/* Accounts and tokens. Returns the new account's id (free it). A username
 * may have several tokens: add it again with another token. */
char           *sd_fake_mastodon_add_account      (SdFakeMastodon *self,
                                                   const char     *username,
                                                   const char     *token);
void            sd_fake_mastodon_revoke_token     (SdFakeMastodon *self,
                                                   const char     *token);

/* Faults. Each request to /api/ or /oauth/token fails with probability
 * @rate (0–1, drawn from a GRand seeded with @seed) with a kind drawn from
 * the enabled kinds (all by default). inject_fault makes the next @count
 * such requests fail with @kind, before any rate-drawn fault. */
void            sd_fake_mastodon_set_fault_rate   (SdFakeMastodon *self,
                                                   double          rate,
                                                   guint32         seed);
void            sd_fake_mastodon_set_fault_kinds  (SdFakeMastodon *self,
                                                   guint           kinds);
void            sd_fake_mastodon_inject_fault     (SdFakeMastodon *self,
                                                   SdFakeFault     kind,
                                                   guint           count);
void            sd_fake_mastodon_set_slow_delay   (SdFakeMastodon *self,
                                                   guint           milliseconds);
guint           sd_fake_mastodon_get_n_faults     (SdFakeMastodon *self);
guint           sd_fake_mastodon_get_n_requests   (SdFakeMastodon *self);

/* Requests per token (or per client for anonymous requests) per 5 minutes;
 * 0: no limit (the headers are still sent). Default 300. */
void            sd_fake_mastodon_set_rate_limit   (SdFakeMastodon *self,
                                                   guint           limit);
void            sd_fake_mastodon_set_max_characters (SdFakeMastodon *self,
                                                   guint           max_characters);
/* FALSE: /api/v2/instance answers 404 (a server older than 4.0). */
void            sd_fake_mastodon_set_v2_instance  (SdFakeMastodon *self,
                                                   gboolean        enabled);

/* The fake's clock: real time plus an offset. Advancing it publishes the
 * scheduled statuses that fall due and ages idempotency keys. */
gint64          sd_fake_mastodon_get_now          (SdFakeMastodon *self);
void            sd_fake_mastodon_advance_clock    (SdFakeMastodon *self,
                                                   gint64          seconds);

/* What was made. Counts include statuses published from schedules. */
guint           sd_fake_mastodon_count_statuses   (SdFakeMastodon *self);
guint           sd_fake_mastodon_count_with_key   (SdFakeMastodon *self,
                                                   const char     *idempotency_key);
guint           sd_fake_mastodon_count_with_text  (SdFakeMastodon *self,
                                                   const char     *text);
guint           sd_fake_mastodon_count_scheduled  (SdFakeMastodon *self);
/* The Status entity as served (JSON), NULL if there is none. */
char           *sd_fake_mastodon_dup_status_json  (SdFakeMastodon *self,
                                                   const char     *status_id);
/* All statuses, oldest first, as a JSON array of Status entities. */
char           *sd_fake_mastodon_dup_statuses_json (SdFakeMastodon *self);
/* A status whose content HTML is given as is (as a remote or hostile server
 * might send it). Returns its id (free it). */
char           *sd_fake_mastodon_add_raw_status   (SdFakeMastodon *self,
                                                   const char     *account_id,
                                                   const char     *content_html,
                                                   const char     *in_reply_to_id);

/* The inbox. Seeded notifications and DMs are for the inbox account: the
 * first account added unless set here. @from_acct is a username ("bob",
 * made if unknown) or a remote acct ("bob@remote.example"). */
void            sd_fake_mastodon_set_inbox_account (SdFakeMastodon *self,
                                                   const char     *account_id);
/* @type "mention" or "quote": a new status by @from_acct whose content is
 * @status_html as is (hostile HTML welcome), in reply to @in_reply_to_id
 * (NULL: none), with @visibility (NULL: "public"), mentioning the inbox
 * account; "favourite" / "reblog": about the inbox account's status
 * @in_reply_to_id (NULL: a new status of the inbox account with
 * @status_html); "follow": no status. Returns the status id (for a follow the
 * notification id); free it. NULL when no account exists yet. */
char           *sd_fake_mastodon_add_notification (SdFakeMastodon *self,
                                                   const char     *type,
                                                   const char     *from_acct,
                                                   const char     *status_html,
                                                   const char     *in_reply_to_id,
                                                   const char     *visibility);
/* A direct status from @from_acct to the inbox account (a "mention"
 * notification and a conversation, as Mastodon makes them); returns its id. */
char           *sd_fake_mastodon_add_dm           (SdFakeMastodon *self,
                                                   const char     *from_acct,
                                                   const char     *status_html,
                                                   const char     *in_reply_to_id);
void            sd_fake_mastodon_set_spoiler_text (SdFakeMastodon *self,
                                                   const char     *status_id,
                                                   const char     *spoiler_text);
/* Custom emoji shortcodes (":blobcat:") are kept as text, as Mastodon sends them. */
void            sd_fake_mastodon_set_display_name (SdFakeMastodon *self,
                                                   const char     *acct,
                                                   const char     *display_name);
gboolean        sd_fake_mastodon_is_favourited    (SdFakeMastodon *self,
                                                   const char     *status_id,
                                                   const char     *account_id);
guint           sd_fake_mastodon_count_replies_to (SdFakeMastodon *self,
                                                   const char     *status_id);
/* POST /__test__/accounts, /__test__/notifications, /__test__/dms (JSON
 * bodies; see sd-fake-mastodon-server.c). Off by default. */
void            sd_fake_mastodon_enable_test_endpoints (SdFakeMastodon *self);

G_END_DECLS
