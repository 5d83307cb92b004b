/* sd-outbox.h — one send waiting in (or taken from) the outbox
 *
 * A job is one post variant (a post on one account). Claiming it fixes its
 * parts and their keys in the store before the first request is made, so a
 * retry, a crash or a second process can never send a part twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-account.h"
#include "sd-provider.h"

G_BEGIN_DECLS

typedef enum
{
  SD_JOB_STATE_PENDING,     /* waiting for its time (or its next attempt) */
  SD_JOB_STATE_RUNNING,     /* a process is sending it (see its lease) */
  SD_JOB_STATE_UNCERTAIN,   /* a part may or may not be out: the user decides */
  SD_JOB_STATE_DONE,
  SD_JOB_STATE_FAILED,      /* refused for good; last_error says why */
  SD_JOB_STATE_CANCELLED,
  SD_JOB_STATE_HELD,        /* its time passed while SocialDesk was not running */
  SD_JOB_STATE_SERVER,      /* handed to the network's own scheduler */
} SdJobState;

const char *sd_job_state_to_string   (SdJobState  state);
gboolean    sd_job_state_from_string (const char *text,
                                      SdJobState *state);

typedef struct
{
  char          *id;
  char          *variant_id;
  char          *post_id;
  SdAccount     *account;
  SdJobState     state;
  gint64         due_at;
  guint          attempts;         /* including the one this claim starts */
  char          *server_id;        /* the network's id of a server-scheduled post */
  gboolean       server_dirty;     /* server copy must follow a move (or be cancelled) */
  GPtrArray     *parts;            /* SdPublishPart, in order; remote ids of parts already out */
  GArray        *part_sent_at;     /* gint64 per part: when it was first sent, 0: never */
  char          *last_error;
  JsonObject    *options;          /* the variant's network options, fixed at the first claim; may be NULL */
  SdMessage     *reply_to;         /* an inbox reply: the message it answers (sd_store_get_reply_target); NULL otherwise */
} SdOutboxJob;

void sd_outbox_job_free (SdOutboxJob *job);

/* The "host" half of a job's owner ("host:pid"): the host name and the PID
 * namespace, so that a process id is only ever checked where it means the
 * same process (Flatpak gives every instance a namespace of its own). */
const char *sd_outbox_local_host (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdOutboxJob, sd_outbox_job_free)

/* How late a post may go out before it is held instead (Preferences). */
#define SD_OUTBOX_DEFAULT_GRACE_MINUTES 30

G_END_DECLS
