/* sd-http.h — the process's one SoupSession and what every provider needs around it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sd-provider.h"

G_BEGIN_DECLS

/* Created on first use in the calling thread (call it first from the main
 * thread); messages may then be sent from any thread. */
SoupSession *sd_http_get_session      (void);

/* Sends @msg synchronously and reads its whole body. On a transport error the
 * status says whether the request could have reached the server: RETRY when
 * it was never fully written (refused, DNS, TLS), UNCERTAIN when it was
 * (reset or timeout after the body went out). Returns NULL then. An HTTP
 * error status still returns the body: classify it with sd_http_classify. */
GBytes      *sd_http_send             (SoupSession      *session,
                                       SoupMessage      *msg,
                                       GCancellable     *cancellable,
                                       SdProviderStatus *status);

/* 2xx → DONE; 408, 425, 429, 5xx (but 501) → RETRY (UNCERTAIN for 500, 502,
 * 503, 504 when @idempotent_write is FALSE and the method writes); 401 → AUTH;
 * other 4xx → FAILED. Fills retry_after from Retry-After (seconds or HTTP date),
 * RateLimit-Reset (epoch seconds or delta) or X-RateLimit-Reset (ISO 8601)
 * when the remaining count is 0. */
SdOutcome    sd_http_classify         (SoupMessage      *msg,
                                       SdProviderStatus *status);
gint64       sd_http_retry_after      (SoupMessage      *msg);

/* Parses a JSON body; NULL with @error for anything that is not JSON. */
JsonNode    *sd_http_parse_json       (GBytes           *body,
                                       GError          **error);
/* NULL-safe readers of parsed answers: the object a node holds, an object's
 * object or array member; NULL when absent or of another type. */
JsonObject  *sd_http_json_node_object (JsonNode         *node);
JsonObject  *sd_http_json_object_member (JsonObject     *object,
                                       const char       *member);
JsonArray   *sd_http_json_array_member (JsonObject      *object,
                                       const char       *member);
/* A JSON object's string member, or NULL. */
const char  *sd_http_json_string      (JsonObject       *object,
                                       const char       *member);
/* application/json body from a builder-made node. */
void         sd_http_set_json_body    (SoupMessage      *msg,
                                       JsonNode         *node);
void         sd_http_set_bearer       (SoupMessage      *msg,
                                       const char       *token);
/* "https://host" without a trailing slash; adds https:// to a bare host. */
char        *sd_http_normalize_server (const char       *text,
                                       GError          **error);

G_END_DECLS
