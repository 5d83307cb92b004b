/* sd-emoji-data.h — Unicode's Extended_Pictographic ranges (generated data)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

typedef struct
{
  unsigned int start;
  unsigned int end;   /* inclusive */
} SdCodepointRange;

extern const SdCodepointRange sd_extended_pictographic[];
extern const unsigned int sd_n_extended_pictographic;
