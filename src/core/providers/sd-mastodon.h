/* sd-mastodon.h — the Mastodon provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

#define SD_TYPE_MASTODON (sd_mastodon_get_type ())
G_DECLARE_FINAL_TYPE (SdMastodon, sd_mastodon, SD, MASTODON, GObject)

SdMastodon *sd_mastodon_new (void);

/* What became of a post the server held (part->remote_id: its scheduled
 * status id): RETRY while still scheduled (retry_after: seconds to its
 * time); once gone from the schedule, as find_part (DONE replaces remote_id
 * and remote_url with the published status's). */
SdOutcome   sd_mastodon_find_published (SdMastodon             *self,
                                        const SdPublishContext *ctx,
                                        SdPublishPart          *part,
                                        GCancellable           *cancellable,
                                        SdProviderStatus       *status);

/* A status's content HTML as plain text (tags dropped, entities decoded
 * once). The result is text, never markup. */
char       *sd_mastodon_html_to_text   (const char             *html);

G_END_DECLS
