/* sd-tiktok-inbox.c — TikTok's inbox: what the network does not give, said
 *
 * TikTok's APIs open to other apps (Content Posting, Display, Login Kit)
 * have no endpoint that reads the comments on a creator's videos or their
 * direct messages (developers.tiktok.com/doc, stored copies of 2026: the
 * Display API's video fields are counts only, comment_count among them).
 * So both streams are listed, unavailable, each with the reason; nothing is
 * fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-tiktok"

#include "config.h"

#include "sd-tiktok-private.h"

#include <glib/gi18n-lib.h>

static GPtrArray *
sd_tiktok_list_inbox_streams (SdProvider *provider,
                              SdAccount  *account)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);

  g_ptr_array_add (streams,
                   sd_inbox_stream_new ("comments", _("Comments"),
                                        _("TikTok gives other apps no access to the comments on your videos: "
                                          "read and answer them in the TikTok app.")));
  g_ptr_array_add (streams,
                   sd_inbox_stream_new ("messages", _("Direct messages"),
                                        _("TikTok gives other apps no access to direct messages: "
                                          "read and answer them in the TikTok app.")));
  return streams;
}

/* Never called for an unavailable stream; said all the same if it is. */
static SdOutcome
sd_tiktok_fetch_inbox (SdProvider             *provider,
                       const SdPublishContext *ctx,
                       const char             *stream,
                       const char             *cursor,
                       const char             *page_token,
                       SdInboxPage            *page,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                 _("TikTok gives other apps no access to comments or direct messages."));
}

void
sd_tiktok_inbox_init (SdProviderInterface *iface)
{
  iface->list_inbox_streams = sd_tiktok_list_inbox_streams;
  iface->fetch_inbox = sd_tiktok_fetch_inbox;
}
