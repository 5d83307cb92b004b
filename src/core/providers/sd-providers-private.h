/* sd-providers-private.h — a seam for tests: a provider of their own for a network
 *
 * Tests only. The outbox and inbox passes make their providers with
 * sd_provider_new_for_platform; a factory set here is used instead, so a
 * test can answer as a network would without a loopback server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-provider.h"

G_BEGIN_DECLS

typedef SdProvider *(*SdProviderFactory) (void);

/* NULL puts the network’s own provider back. Set it before any pass runs. */
void sd_provider_set_factory_for_tests (SdPlatform        platform,
                                        SdProviderFactory factory);

G_END_DECLS
