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

G_END_DECLS
