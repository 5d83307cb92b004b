/* sd-graph-inbox.h — the inbox steps Facebook Pages and Instagram share
 *
 * Both read comments under the account's newest posts (or media) in a sweep
 * (sd_graph_sweep_token), DM conversations from a conversations edge, answer
 * a comment with a form POST and recognise a lost answer by its text. What
 * differs (paths, fields, the network's own sentences) is given by each
 * network: an SdGraphInbox of its sentences and small functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-graph.h"

G_BEGIN_DECLS

typedef struct _SdGraphInbox SdGraphInbox;

/* One page of an item's comments (after @after, NULL: the first) at or after
 * @since into @page; where they go on (a later fetch only) is added to
 * @pending as "id\tafter". */
typedef SdOutcome (*SdGraphReadComments) (const SdPublishContext *ctx,
                                          const char             *item_id,
                                          const char             *after,
                                          gint64                  since,
                                          SdInboxPage            *page,
                                          gint64                 *newest,
                                          GPtrArray              *pending,
                                          GCancellable           *cancellable,
                                          SdProviderStatus       *status);

/* TRUE, with part->remote_id (and remote_url) filled, when @comment is the
 * account's answer with the text @wanted (sd_graph_comparable_text), made at
 * or after @since. */
typedef gboolean (*SdGraphMatchReply) (const SdPublishContext *ctx,
                                       JsonObject             *comment,
                                       const char             *wanted,
                                       gint64                  since,
                                       SdPublishPart          *part);

struct _SdGraphInbox
{
  SdPlatform platform;
  const char *messages_stream;
  const char *reply_unreadable;
};

/* The access token of ctx->credentials, NULL when none. */
const char  *sd_graph_token_of        (const SdPublishContext *ctx);
/* The account's remote id (Page or user), NULL when unknown. */
const char  *sd_graph_own_id          (const SdPublishContext *ctx);
/* "/{id escaped}{rest}". */
char        *sd_graph_id_path         (const char             *id,
                                       const char             *rest);
/* A GET of the versioned @path with @query on @platform, with the context's token. */
SoupMessage *sd_graph_get             (SdPlatform              platform,
                                       const SdPublishContext *ctx,
                                       const char             *path,
                                       const char             *query);
/* Not there any more: HTTP 404, or Graph's "Object with ID … does not exist" (100/33). */
gboolean     sd_graph_is_gone         (SdOutcome               outcome,
                                       SdProviderStatus       *status,
                                       JsonNode               *root);
/* A cursor (unix seconds as text) as a time; 0 for none. */
gint64       sd_graph_cursor_time     (const char             *cursor);
/* A message of the DM stream? */
gboolean     sd_graph_is_dm           (const SdGraphInbox     *inbox,
                                       SdMessage              *message);
/* Where an answer to a comment goes: under the comment, or for an answer to
 * a reply, under the comment it replies to (one level of threading). */
const char  *sd_graph_reply_target    (SdMessage              *message);

/* The comments stream: the first page lists the items (GET @list_path
 * ?@list_query) and reads each one's first page of comments; later pages
 * go on where the sweep token says. Sets new_cursor and next_page. */
SdOutcome    sd_graph_sweep_comments  (const SdGraphInbox     *inbox,
                                       const SdPublishContext *ctx,
                                       const char             *list_path,
                                       const char             *list_query,
                                       SdGraphReadComments     read_comments,
                                       const char             *cursor,
                                       const char             *page_token,
                                       SdInboxPage            *page,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
/* The DM stream after the conversations edge answered @root (to @msg):
 * conversations newest updated first, those updated at or after the cursor. */
SdOutcome    sd_graph_take_conversations (const SdGraphInbox  *inbox,
                                       const SdPublishContext *ctx,
                                       SoupMessage            *msg,
                                       JsonNode               *root,
                                       const char             *cursor,
                                       const char             *page_token,
                                       SdInboxPage            *page,
                                       SdProviderStatus       *status);
/* The whole DM conversation of @message into @messages. */
SdOutcome    sd_graph_fetch_dm_conversation (const SdGraphInbox *inbox,
                                       const SdPublishContext *ctx,
                                       SdMessage              *message,
                                       GPtrArray              *messages,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
/* POST {message: part->text} to @path; DONE fills part->remote_id. */
SdOutcome    sd_graph_post_reply      (const SdGraphInbox     *inbox,
                                       const SdPublishContext *ctx,
                                       const char             *path,
                                       SdPublishPart          *part,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
/* After a lost answer: GET @path?@query (the target's answers) and look for
 * the part with @match since the first attempt: DONE (ids filled), RETRY
 * (certainly not there), UNCERTAIN (could not look) or AUTH. */
SdOutcome    sd_graph_find_reply      (const SdGraphInbox     *inbox,
                                       const SdPublishContext *ctx,
                                       const char             *path,
                                       const char             *query,
                                       SdGraphMatchReply       match,
                                       SdPublishPart          *part,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);
/* Sends the action request @msg: deleting what is gone is DONE; a lost
 * answer is RETRY (each action may be sent twice without harm). */
SdOutcome    sd_graph_send_action     (const SdGraphInbox     *inbox,
                                       const SdPublishContext *ctx,
                                       SdMessageAction         action,
                                       SoupMessage            *msg,
                                       GCancellable           *cancellable,
                                       SdProviderStatus       *status);

/* The network refused: its own words in a sentence naming it (FAILED, AUTH). */
SdOutcome sd_graph_inbox_refused    (const SdGraphInbox *inbox,
                                     SdProviderStatus   *status,
                                     SdOutcome           outcome,
                                     JsonNode           *root);
/* An answer that could not be read: RETRY. */
SdOutcome sd_graph_inbox_unreadable (const SdGraphInbox *inbox,
                                     SoupMessage        *msg,
                                     SdProviderStatus   *status);

G_END_DECLS
