/* sd-tlds.h — the top-level domains link detection knows (generated data)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

extern const char * const sd_tlds[];   /* NULL-terminated, longest first */
extern const unsigned int sd_n_tlds;
