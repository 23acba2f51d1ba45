/* SPDX-License-Identifier: MIT */
/* general_reading.h - lib/head_status.c and lib/head_chromium.c compiled a
 * second time with CORS__HEAD_SHORTCUTS 0, as general_read_chromium(): every
 * status line and header line read by the general path. A test compares it
 * with cors__head_read_chromium, which takes the shortcuts for the usual
 * lines: the two must give the same response, lines, repairs and log
 * (general_reading_agrees compares them).
 * Include it once, after internal.h (compiled with -Ilib). */
#ifndef CORS_GENERAL_READING_H
#define CORS_GENERAL_READING_H

#include "internal.h"

#include <string.h>

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

/* p lies in buf[0, len] (compared as addresses: p may point anywhere). */
static inline bool general_reading_inside(const char *buf, size_t len, const char *p)
{
    uintptr_t b = (uintptr_t)buf, q = (uintptr_t)p;
    return q >= b && q - b <= len;
}

/* buf read both ways, with room for capacity lines (at most 16), with a log or not: true when
 * the status, every response field (a reason outside buf, a literal each copy of the code has,
 * by its bytes), the stored lines, the bytes not written and the log agree. */
static inline bool general_reading_agrees(const char *buf, size_t len, size_t capacity, bool logged)
{
    static cors_header fast_h[16], general_h[16];
    cors_response a, b;
    cors__repair_log fast_log, general_log;
    int32_t fast_st, general_st;
    if (capacity > 16)
        return false;
    memset(fast_h, 0x5a, sizeof(fast_h));
    memset(general_h, 0x5a, sizeof(general_h));
    memset(&fast_log, 0, sizeof(fast_log));
    memset(&general_log, 0, sizeof(general_log));
    cors_response_init(&a, sizeof(a));
    cors_response_init(&b, sizeof(b));
    fast_st = cors__head_read_chromium(buf, len, capacity ? fast_h : NULL, capacity, &a, logged ? &fast_log : NULL);
    general_st =
        general_read_chromium(buf, len, capacity ? general_h : NULL, capacity, &b, logged ? &general_log : NULL);
    bool same_reason = a.reason.len == b.reason.len &&
                       (a.reason.ptr == b.reason.ptr ||
                        (!general_reading_inside(buf, len, a.reason.ptr) &&
                         !general_reading_inside(buf, len, b.reason.ptr) &&
                         memcmp(a.reason.ptr, b.reason.ptr, a.reason.len) == 0));
    return fast_st == general_st && a.status_code == b.status_code && a.http_version == b.http_version &&
           same_reason && a.headers == b.headers && a.header_count == b.header_count &&
           a.head_offset == b.head_offset && a.head_length == b.head_length && a.header_total == b.header_total &&
           a.network_error == b.network_error && a.repairs == b.repairs && a.raw.ptr == b.raw.ptr &&
           a.raw.len == b.raw.len && a.next_offset == b.next_offset &&
           memcmp(fast_h, general_h, sizeof(fast_h)) == 0 && memcmp(&fast_log, &general_log, sizeof(fast_log)) == 0;
}

#endif
