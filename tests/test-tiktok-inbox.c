/* test-tiktok-inbox.c — TikTok's inbox streams are listed, unavailable, with their reasons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-account.h"
#include "sd-tiktok.h"

static void
test_streams_unavailable (void)
{
  g_autoptr(SdProvider) provider = SD_PROVIDER (sd_tiktok_new ());
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_TIKTOK);
  g_autoptr(GPtrArray) streams = sd_provider_list_inbox_streams (provider, account);
  const char *ids[] = { "comments", "messages" };

  g_assert_cmpuint (streams->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < streams->len; i++)
    {
      SdInboxStream *stream = g_ptr_array_index (streams, i);

      g_assert_cmpstr (stream->id, ==, ids[i]);
      g_assert_false (stream->available);
      g_assert_nonnull (stream->title);
      g_assert_nonnull (stream->unavailable_reason);
      g_assert_nonnull (strstr (stream->unavailable_reason, "TikTok"));
    }
  /* Nothing to fetch, nothing to do to a message. */
  g_assert_false (sd_provider_can_fetch_conversation (provider));
}

static void
test_fetch_refused (void)
{
  g_autoptr(SdProvider) provider = SD_PROVIDER (sd_tiktok_new ());
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_TIKTOK);
  SdPublishContext ctx = { .account = account };
  SdProviderStatus status = { 0 };
  SdInboxPage page;

  sd_inbox_page_init (&page);
  g_assert_cmpint (sd_provider_fetch_inbox (provider, &ctx, "comments", NULL, NULL, &page, NULL, &status),
                   ==, SD_OUTCOME_FAILED);
  g_assert_cmpuint (page.messages->len, ==, 0);
  g_assert_null (page.next_page);
  sd_inbox_page_clear (&page);
  sd_provider_status_clear (&status);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tiktok-inbox/streams-unavailable", test_streams_unavailable);
  g_test_add_func ("/tiktok-inbox/fetch-refused", test_fetch_refused);
  return g_test_run ();
}
