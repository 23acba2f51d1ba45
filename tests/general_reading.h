/* SPDX-License-Identifier: MIT */
/* general_reading.h - lib/head_status.c and lib/head_chromium.c compiled a
 * second time with CORS__HEAD_SHORTCUTS 0, as general_read_chromium(): every
 * status line and header line read by the general path. A test compares it
 * with cors__head_read_chromium, which takes the shortcuts for the usual
 * lines: the two must give the same response, lines, repairs and log.
 * Include it once, after internal.h (compiled with -Ilib). */
#ifndef CORS_GENERAL_READING_H
#define CORS_GENERAL_READING_H

#include "internal.h"

#undef CORS__HEAD_SHORTCUTS
#define CORS__HEAD_SHORTCUTS 0
#define cors__head_status_read general_status_read
#define cors__head_status_version general_status_version
#define cors__head_read_chromium general_read_chromium
int32_t general_status_read(cors_str line, cors_response *out, uint32_t *repairs);
int32_t general_status_version(cors_str line, bool has_headers, uint32_t *repairs);
int32_t general_read_chromium(const char *buf, size_t len, cors_header *headers, size_t capacity, cors_response *out,
                              cors__repair_log *log);

#include "head_status.c"
#include "head_chromium.c"

#undef cors__head_status_read
#undef cors__head_status_version
#undef cors__head_read_chromium
#undef CORS__HEAD_SHORTCUTS
#define CORS__HEAD_SHORTCUTS 1

#endif
