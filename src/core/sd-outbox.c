/* sd-outbox.c — jobs, their states and their keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-outbox"

#include "sd-outbox.h"

#include <string.h>
#include <unistd.h>

static const char * const job_states[] = {
  [SD_JOB_STATE_PENDING] = "pending",
  [SD_JOB_STATE_RUNNING] = "running",
  [SD_JOB_STATE_UNCERTAIN] = "uncertain",
  [SD_JOB_STATE_DONE] = "done",
  [SD_JOB_STATE_FAILED] = "failed",
  [SD_JOB_STATE_CANCELLED] = "cancelled",
  [SD_JOB_STATE_HELD] = "held",
  [SD_JOB_STATE_SERVER] = "server",
};

const char *
sd_job_state_to_string (SdJobState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (job_states), "pending");
  return job_states[state];
}

gboolean
sd_job_state_from_string (const char *text,
                          SdJobState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (job_states); i++)
    if (strcmp (text, job_states[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

void
sd_outbox_job_free (SdOutboxJob *job)
{
  if (job == NULL)
    return;
  g_free (job->id);
  g_free (job->variant_id);
  g_free (job->post_id);
  g_clear_object (&job->account);
  g_free (job->server_id);
  g_clear_pointer (&job->parts, g_ptr_array_unref);
  g_clear_pointer (&job->part_sent_at, g_array_unref);
  g_free (job->last_error);
  g_clear_pointer (&job->options, json_object_unref);
  g_clear_object (&job->reply_to);
  g_free (job);
}

const char *
sd_outbox_local_host (void)
{
  static char *host;

  if (g_once_init_enter (&host))
    {
      char ns[64] = "";
      ssize_t n = readlink ("/proc/self/ns/pid", ns, sizeof ns - 1);
      char *value;

      ns[n > 0 ? n : 0] = '\0';
      value = g_strdup_printf ("%s/%s", g_get_host_name (), ns);
      /* ':' ends the host half. */
      g_strdelimit (value, ":", '.');
      g_once_init_leave (&host, value);
    }
  return host;
}
