/* sd-message.h — one item of the unified inbox: a mention, reply, quote, comment or direct message
 *
 * Providers make them from the network's answers (text already plain: remote
 * HTML goes through sd-html-text first), the store keeps them (unique per
 * account and remote id), the inbox shows them. A message is data: nothing in
 * it is ever parsed as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-platform.h"
#include "sd-post.h"

G_BEGIN_DECLS

typedef enum
{
  SD_MESSAGE_KIND_MENTION,   /* someone mentioned the account */
  SD_MESSAGE_KIND_REPLY,     /* a reply to one of the account's posts */
  SD_MESSAGE_KIND_QUOTE,     /* a quote of one of the account's posts */
  SD_MESSAGE_KIND_COMMENT,   /* a comment (Facebook, Instagram, YouTube, LinkedIn) */
  SD_MESSAGE_KIND_DM,        /* a direct message */
  SD_MESSAGE_KIND_ACTIVITY,  /* a like/boost/follow (only when the person asked for them) */
  SD_MESSAGE_KIND_OWN,       /* one of the account's own posts or replies: conversation context only */
  SD_MESSAGE_KIND_CONTEXT,   /* someone else's post seen only as conversation context */
  SD_N_MESSAGE_KINDS
} SdMessageKind;

/* "mention", "reply", "quote", "comment", "dm", "activity", "own", "context" (store, CLI, JSON) */
const char *sd_message_kind_to_string   (SdMessageKind  kind);
gboolean    sd_message_kind_from_string (const char    *text,
                                         SdMessageKind *kind);
/* For people: "Mention", "Reply", "Comment", "Direct message", … (translated). */
const char *sd_message_kind_get_label   (SdMessageKind  kind);
/* Kinds that belong in the inbox list (not OWN, not CONTEXT). */
gboolean    sd_message_kind_is_inbox    (SdMessageKind  kind);

/* What the network allows on this message (set by the provider). */
typedef enum
{
  SD_MESSAGE_CAN_REPLY  = 1 << 0,
  SD_MESSAGE_CAN_LIKE   = 1 << 1,
  SD_MESSAGE_CAN_HIDE   = 1 << 2,   /* hide a reply/comment under our own post */
  SD_MESSAGE_CAN_DELETE = 1 << 3,   /* delete a reply/comment under our own post */
} SdMessageCaps;

/* A link inside the plain text: [start, end) are byte offsets into the text. */
typedef struct
{
  guint  start;
  guint  end;
  char  *url;
} SdMessageLink;

SdMessageLink *sd_message_link_new  (guint       start,
                                     guint       end,
                                     const char *url);
void           sd_message_link_free (SdMessageLink *link);

#define SD_TYPE_MESSAGE (sd_message_get_type ())
G_DECLARE_FINAL_TYPE (SdMessage, sd_message, SD, MESSAGE, GObject)

SdMessage     *sd_message_new                  (void);   /* gets a fresh id (a UUID) */
SdMessage     *sd_message_copy                 (SdMessage     *self);

/* The store's own id (UUID) and the row number it pages by (0 before it is stored). */
const char    *sd_message_get_id               (SdMessage     *self);
void           sd_message_set_id               (SdMessage     *self,
                                                const char    *id);
gint64         sd_message_get_rowid            (SdMessage     *self);
void           sd_message_set_rowid            (SdMessage     *self,
                                                gint64         rowid);

const char    *sd_message_get_account_id       (SdMessage     *self);
void           sd_message_set_account_id       (SdMessage     *self,
                                                const char    *account_id);
SdPlatform     sd_message_get_platform         (SdMessage     *self);
void           sd_message_set_platform         (SdMessage     *self,
                                                SdPlatform     platform);
/* Which of the provider's streams brought it ("notifications", "conversations", "comments", …). */
const char    *sd_message_get_stream           (SdMessage     *self);
void           sd_message_set_stream           (SdMessage     *self,
                                                const char    *stream);
SdMessageKind  sd_message_get_kind             (SdMessage     *self);
void           sd_message_set_kind             (SdMessage     *self,
                                                SdMessageKind  kind);

/* The network's ids. remote_id is unique per account: for a mention/reply/
 * comment/DM the id of the post, comment or message itself (what a reply
 * answers); for an activity the notification's id. */
const char    *sd_message_get_remote_id        (SdMessage     *self);
void           sd_message_set_remote_id        (SdMessage     *self,
                                                const char    *remote_id);
const char    *sd_message_get_remote_cid       (SdMessage     *self);   /* Bluesky CID */
void           sd_message_set_remote_cid       (SdMessage     *self,
                                                const char    *cid);
/* What the message answers (a post of ours, another comment), NULL at the top. */
const char    *sd_message_get_parent_remote_id (SdMessage     *self);
void           sd_message_set_parent_remote_id (SdMessage     *self,
                                                const char    *remote_id);
/* The thread's first post (Bluesky root, X conversation start, the post commented on). */
const char    *sd_message_get_root_remote_id   (SdMessage     *self);
void           sd_message_set_root_remote_id   (SdMessage     *self,
                                                const char    *remote_id);
const char    *sd_message_get_root_cid         (SdMessage     *self);   /* Bluesky */
void           sd_message_set_root_cid         (SdMessage     *self,
                                                const char    *cid);
/* Groups a conversation in the store: a DM conversation's id, or the root post's id. */
const char    *sd_message_get_conversation_id  (SdMessage     *self);
void           sd_message_set_conversation_id  (SdMessage     *self,
                                                const char    *conversation_id);

/* The author (for a DM the other person, never the account itself unless kind is OWN). */
const char    *sd_message_get_author_remote_id (SdMessage     *self);
void           sd_message_set_author_remote_id (SdMessage     *self,
                                                const char    *remote_id);
const char    *sd_message_get_author_handle    (SdMessage     *self);   /* without "@" */
void           sd_message_set_author_handle    (SdMessage     *self,
                                                const char    *handle);
const char    *sd_message_get_author_name      (SdMessage     *self);
void           sd_message_set_author_name      (SdMessage     *self,
                                                const char    *name);
const char    *sd_message_get_author_avatar_url (SdMessage    *self);
void           sd_message_set_author_avatar_url (SdMessage    *self,
                                                const char    *url);

/* Plain text (never markup) and the links in it. */
const char    *sd_message_get_text             (SdMessage     *self);
void           sd_message_set_text             (SdMessage     *self,
                                                const char    *text);  /* made valid UTF-8 */
GPtrArray     *sd_message_get_links            (SdMessage     *self);  /* SdMessageLink, never NULL */
void           sd_message_add_link             (SdMessage     *self,
                                                guint          start,
                                                guint          end,
                                                const char    *url);
/* [{"start":0,"end":10,"url":"https://…"}]; the store keeps links this way. */
char          *sd_message_dup_links_json       (SdMessage     *self);
void           sd_message_set_links_json       (SdMessage     *self,
                                                const char    *json);  /* bad JSON: no links */
/* Who could see it, in the network's own word ("public", "unlisted",
 * "private", "direct"); a reply never reaches further. NULL: unknown. */
const char    *sd_message_get_audience         (SdMessage     *self);
void           sd_message_set_audience         (SdMessage     *self,
                                                const char    *audience);
/* Where a person sees it on the network. */
const char    *sd_message_get_url              (SdMessage     *self);
void           sd_message_set_url              (SdMessage     *self,
                                                const char    *url);

gint64         sd_message_get_sent_at          (SdMessage     *self);   /* UTC unix seconds */
void           sd_message_set_sent_at          (SdMessage     *self,
                                                gint64         sent_at);
gint64         sd_message_get_fetched_at       (SdMessage     *self);
void           sd_message_set_fetched_at       (SdMessage     *self,
                                                gint64         fetched_at);
/* Until when the network accepts a reply (Instagram DMs: 24 hours after the
 * person's last message); 0: no limit. */
gint64         sd_message_get_reply_until      (SdMessage     *self);
void           sd_message_set_reply_until      (SdMessage     *self,
                                                gint64         reply_until);
SdMessageCaps  sd_message_get_caps             (SdMessage     *self);
void           sd_message_set_caps             (SdMessage     *self,
                                                SdMessageCaps  caps);

/* The person's own state of it (kept across fetches). Properties
 * "is-read", "is-done", "is-liked", "is-hidden", "is-reviewed" notify. */
gboolean       sd_message_get_is_read          (SdMessage     *self);
void           sd_message_set_is_read          (SdMessage     *self,
                                                gboolean       is_read);
gboolean       sd_message_get_is_done          (SdMessage     *self);
void           sd_message_set_is_done          (SdMessage     *self,
                                                gboolean       is_done);
gboolean       sd_message_get_is_liked         (SdMessage     *self);
void           sd_message_set_is_liked         (SdMessage     *self,
                                                gboolean       is_liked);
gboolean       sd_message_get_is_hidden        (SdMessage     *self);
void           sd_message_set_is_hidden        (SdMessage     *self,
                                                gboolean       is_hidden);
/* Someone answered it from SocialDesk (replying marks it reviewed). */
gboolean       sd_message_get_is_reviewed      (SdMessage     *self);
void           sd_message_set_is_reviewed      (SdMessage     *self,
                                                gboolean       is_reviewed);
/* Label names, read with the message from the store; never NULL. */
GStrv          sd_message_get_labels           (SdMessage     *self);
void           sd_message_set_labels           (SdMessage     *self,
                                                const char * const *labels);

/* A reply written in SocialDesk, shown in its conversation (kind OWN): the
 * post carrying it through the outbox and how far it got. NULL / DRAFT for
 * everything fetched from a network. */
const char    *sd_message_get_reply_post_id    (SdMessage     *self);
void           sd_message_set_reply_post_id    (SdMessage     *self,
                                                const char    *post_id);
SdPostState    sd_message_get_reply_state      (SdMessage     *self);
void           sd_message_set_reply_state      (SdMessage     *self,
                                                SdPostState    state);
/* The last refused network action's sentence, when the store had one. */
const char    *sd_message_get_last_error       (SdMessage     *self);
void           sd_message_set_last_error       (SdMessage     *self,
                                                const char    *error);

/* "@alice@mastodon.social" / "@bob.bsky.social" / the name when there is no handle. */
char          *sd_message_dup_author_label     (SdMessage     *self);
/* The first line of the text, at most @max_chars characters, with "…" when cut. */
char          *sd_message_dup_snippet          (SdMessage     *self,
                                                guint          max_chars);

G_END_DECLS
