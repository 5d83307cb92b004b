/* sd-inbox-rule.h — what the person's inbox rules and saved replies are
 *
 * A rule looks at each new message once, as it arrives, and may label it,
 * mark it done or ask for a notification. A saved reply is a template with
 * placeholders, expanded for the message being answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-account.h"
#include "sd-message.h"

G_BEGIN_DECLS

typedef struct
{
  char          *id;          /* UUID; NULL before it is first saved */
  char          *name;        /* for people: "Complaints to support" */
  gboolean       enabled;
  /* When (all that are set must hold): */
  char          *keyword;     /* words in the text, case- and accent-insensitive; NULL/"": any */
  guint          kinds;       /* 1 << SdMessageKind bits; 0: any */
  SdPlatformSet  platforms;   /* 0: any */
  char          *author;      /* handle ("@alice…" or without "@") or name, case-insensitive; NULL/"": any */
  /* Then: */
  char          *label;       /* label name to add (made when missing); NULL: none */
  gboolean       mark_done;
  gboolean       notify;
} SdInboxRule;

SdInboxRule *sd_inbox_rule_new     (void);
SdInboxRule *sd_inbox_rule_copy    (const SdInboxRule *rule);
void         sd_inbox_rule_free    (SdInboxRule       *rule);
/* Whether @message meets the rule's conditions (the rule's enabled flag is not looked at). */
gboolean     sd_inbox_rule_matches (const SdInboxRule *rule,
                                    SdMessage         *message);
/* A rule that does nothing or matches everything by accident is refused:
 * FALSE with a translated sentence in @problem. */
gboolean     sd_inbox_rule_check   (const SdInboxRule *rule,
                                    char             **problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdInboxRule, sd_inbox_rule_free)

typedef struct
{
  char *id;      /* UUID; NULL before it is first saved */
  char *title;   /* "Thanks for the kind words" */
  char *body;    /* "Hi {name}, thank you…" */
} SdSavedReply;

SdSavedReply *sd_saved_reply_new  (const char *title,
                                   const char *body);
void          sd_saved_reply_free (SdSavedReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSavedReply, sd_saved_reply_free)

/* Fills a saved reply's placeholders for @message answered as @account:
 *   {name}    the author's name (their handle when they have no name)
 *   {handle}  the author's handle with "@"
 *   {account} our account's name
 *   {network} the network's name
 * An unknown {word} is left as it is. */
char *sd_saved_reply_expand (const char *body,
                             SdMessage  *message,
                             SdAccount  *account);

G_END_DECLS
