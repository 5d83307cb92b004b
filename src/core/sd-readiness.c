/* sd-readiness.c — would a network take this post as it is?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-readiness"

#include "config.h"

#include "sd-readiness.h"

#include <glib/gi18n-lib.h>

#include "sd-media-rules.h"
#include "sd-thread.h"

void
sd_account_text_options (SdAccount     *account,
                         SdTextOptions *options)
{
  *options = (SdTextOptions) { 0 };
  if (account != NULL && sd_account_get_platform (account) == SD_PLATFORM_MASTODON)
    options->mastodon_limit = (guint) sd_account_get_limit (account, "max_characters", 0);
}

GPtrArray *
sd_post_split_parts (SdPost              *post,
                     SdPlatform           platform,
                     const char          *variant_text,
                     const SdTextOptions *text_options)
{
  const char *text = variant_text != NULL ? variant_text : sd_post_get_text_for (post, platform);
  GPtrArray *parts;

  if (sd_platform_supports_threads (platform))
    {
      SdThreadOptions options = { sd_post_get_thread_auto (post), sd_post_get_thread_numbering (post) };

      return sd_thread_split (platform, text, &options, text_options);
    }

  parts = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (parts, g_strdup (text));
  return parts;
}

GPtrArray *
sd_post_check_ready (SdPost              *post,
                     SdPlatform           platform,
                     const char          *variant_text,
                     const SdTextOptions *text_options)
{
  g_autoptr(GPtrArray) parts = sd_post_split_parts (post, platform, variant_text, text_options);
  g_autoptr(GPtrArray) media = sd_media_problems (platform, sd_post_get_attachments (post));
  g_autoptr(GPtrArray) options = sd_option_problems (platform, post);
  gboolean text_optional = sd_media_text_optional (platform) && sd_post_get_attachments (post)->len > 0;
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(SdTextCount) count = sd_text_count (platform, parts->pdata[i], text_options);

      for (guint k = 0; k < count->problems->len; k++)
        {
          SdTextProblem which = g_array_index (count->problems, SdTextProblem, k);
          g_autofree char *problem = NULL;

          /* A video or photos with no caption is a whole post there. */
          if (which == SD_TEXT_PROBLEM_EMPTY && text_optional)
            continue;
          problem = sd_text_problem_describe (which, count);
          if (parts->len > 1)
            /* Translators: "Post 2: 12 characters over" in a thread. */
            g_ptr_array_add (problems, g_strdup_printf (_("Post %u: %s"), i + 1, problem));
          else
            g_ptr_array_add (problems, g_steal_pointer (&problem));
        }
    }

  for (guint i = 0; i < media->len; i++)
    g_ptr_array_add (problems, g_strdup (media->pdata[i]));
  for (guint i = 0; i < options->len; i++)
    g_ptr_array_add (problems, g_strdup (options->pdata[i]));

  return problems;
}
