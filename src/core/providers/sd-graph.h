/* sd-graph.h — what Meta's Graph APIs share (Facebook Pages, Instagram, Threads)
 *
 * Errors come as {"error": {"message", "type", "code", "error_subcode",
 * "error_user_title", "error_user_msg", "is_transient", "fbtrace_id"}};
 * usage as the X-App-Usage, X-Business-Use-Case-Usage (Facebook,
 * Instagram) and X-Ad-Account-Usage headers (JSON, percentages of the
 * allowance; "estimated_time_to_regain_access" in minutes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

/* Usage at or above this percentage makes SocialDesk pause the account before a 429. */
#define SD_GRAPH_USAGE_PAUSE 95

/* Classifies a Graph answer: sd_http_classify first, then the error body:
 * OAuthException code 190 (and 102, 463, 467) → AUTH; codes 4, 17, 32, 613
 * and 80001–80009 (rate limits) → RETRY with the usage headers' wait;
 * "is_transient": true or code 1, 2 → RETRY; code 100, 200-299, 368, 506
 * (duplicate) and the rest → FAILED. The message quotes the error's
 * error_user_msg or message. On success, fills status->retry_after when the
 * usage headers say the allowance is (nearly) spent. */
SdOutcome sd_graph_classify       (SoupMessage      *msg,
                                   JsonNode         *body,       /* may be NULL */
                                   SdProviderStatus *status);

/* Seconds to wait before the next call, from the usage headers: 0 when
 * every figure is below SD_GRAPH_USAGE_PAUSE; otherwise
 * estimated_time_to_regain_access (minutes → seconds), or 3600 when none is given. */
gint64    sd_graph_usage_wait     (SoupMessage      *msg);

/* The error object's words ("(#100) Invalid parameter"), NULL when the body is no Graph error. */
char     *sd_graph_error_message  (JsonNode         *body);

/* A request to @path (API path, versioned, or when @versioned is FALSE the
 * un-versioned token paths such as /access_token) with @query (form-encoded,
 * may be NULL), the bearer @token (may be NULL) and Accept: application/json. */
SoupMessage *sd_graph_message   (SdPlatform        platform,
                                 const char       *method,
                                 const char       *path,
                                 gboolean          versioned,
                                 const char       *query,
                                 const char       *token);
/* A form POST of @fields (char* → char*) to the versioned @path. */
SoupMessage *sd_graph_form      (SdPlatform        platform,
                                 const char       *path,
                                 GHashTable       *fields,
                                 const char       *token);

/* The inbox (Facebook Pages and Instagram share these) */

/* Text kept of one comment or message at most; longer is cut on a character. */
#define SD_GRAPH_MAX_TEXT    (64 * 1024)
/* Messenger and Instagram accept an answer this long after the person's last message. */
#define SD_GRAPH_DM_WINDOW   (24 * 60 * 60)

/* Sends @msg on ctx->session (or the shared one) and classifies the answer
 * with sd_graph_classify; status->retry_after keeps the longest wait asked
 * for across calls. *out (may be NULL) gets the parsed body whatever the
 * outcome. */
SdOutcome  sd_graph_call          (const SdPublishContext *ctx,
                                   SoupMessage            *msg,
                                   GCancellable           *cancellable,
                                   JsonNode              **out,
                                   SdProviderStatus       *status);
/* After a fetch page: when the usage headers said the allowance is (nearly)
 * spent (status->retry_after set on a good answer), the page is dropped and
 * the outcome is RETRY with that wait, so the next call waits instead of
 * being refused; nothing is lost, the cursor stays where it was. */
SdOutcome  sd_graph_fetch_outcome (SdOutcome               outcome,
                                   SdInboxPage            *page,
                                   SdProviderStatus       *status);
/* The Graph error's code (0 when the body is no error). */
gint64     sd_graph_error_code    (JsonNode               *body);
/* A member as an integer (numbers or numeric strings); 0 otherwise. */
gint64     sd_graph_member_int    (JsonObject             *object,
                                   const char             *member);
gboolean   sd_graph_member_true   (JsonObject             *object,
                                   const char             *member);
/* Graph times ("2026-01-02T03:04:05+0000"): unix seconds, 0 when unreadable. */
gint64     sd_graph_parse_time    (const char             *text);
/* A list answer's "after" cursor when paging.next says there is more; NULL otherwise. */
const char *sd_graph_next_after   (JsonObject             *answer);
/* @text made valid UTF-8, at most SD_GRAPH_MAX_TEXT bytes, into @message. */
void       sd_graph_set_text      (SdMessage              *message,
                                   const char             *text);
/* Newlines unified, outer whitespace gone: how a lost reply is recognised. */
char      *sd_graph_comparable_text (const char           *text);

/* A comments sweep goes over the newest posts (or media) and reads the
 * first page of comments of each; the later pages are the posts whose
 * comments go on past it, each with the "after" cursor where to go on.
 * The token holds them as "id\tafter" lines. */
char      *sd_graph_sweep_token   (GPtrArray              *pending);  /* char* "id\tafter" */
GPtrArray *sd_graph_sweep_parse   (const char             *token);    /* char*, never NULL */

/* A DM conversation ({id, messages: {data: [{id, message, from, created_time}]}}):
 * its messages created at or after @since (0: all) into @out as KIND_DM (the
 * person's, with reply_until 24 hours after their last message) or KIND_OWN
 * (@own_id's). *newest: the newest time seen (kept when larger). */
void       sd_graph_read_conversation (JsonObject         *conversation,
                                   SdAccount              *account,
                                   const char             *own_id,
                                   const char             *stream,
                                   gint64                  since,
                                   GPtrArray              *out,
                                   gint64                 *newest);
/* FAILED with a sentence when the DM window of @message closed (or when it is
 * no message of the person's); DONE otherwise. */
SdOutcome  sd_graph_check_dm_window (SdMessage            *message,
                                   const char             *network,
                                   SdProviderStatus       *status);
/* POST @path {recipient: {id}, [messaging_type: "RESPONSE",] message: {text}};
 * DONE fills part->remote_id with the answer's message_id. */
SdOutcome  sd_graph_send_dm      (const SdPublishContext *ctx,
                                   const char             *path,
                                   gboolean                response_type,
                                   SdPublishPart          *part,
                                   GCancellable           *cancellable,
                                   SdProviderStatus       *status);
/* After a lost answer: the conversation of ctx->reply_to holds @own_id's
 * message with the part's text, sent since the first attempt? DONE (ids
 * filled), RETRY (certainly not there) or the lookup's outcome. */
SdOutcome  sd_graph_find_dm      (const SdPublishContext *ctx,
                                   const char             *own_id,
                                   SdPublishPart          *part,
                                   GCancellable           *cancellable,
                                   SdProviderStatus       *status);

G_END_DECLS
