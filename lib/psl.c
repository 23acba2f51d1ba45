/* SPDX-License-Identifier: MIT */
/* psl.c - is a host itself a public suffix? The rules come from Debian's
 * publicsuffix list, turned into a sorted table at build time
 * (lib/psl_gen.awk -> build/gen/psl_data.c, pinned by lib/psl.pin). */
#include "server.h"

/* The rule equal to s among rules [first, first + n), by binary search in byte order. */
static bool has_rule(uint32_t first, uint32_t n, cors_str s)
{
    uint32_t lo = first, hi = first + n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        cors_str rule = {cors__psl.text + cors__psl.offset[mid], cors__psl.offset[mid + 1] - cors__psl.offset[mid]};
        int c = cors__compare_bytes(rule, s);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* publicsuffix.org "Algorithm": the public suffix of a host is the matching
 * rule with the most labels (an exception rule wins and loses its leftmost
 * label; "*" matches when nothing else does). The host is a public suffix when
 * that suffix is the whole host. */
bool cors__psl_is_public_suffix(cors_str host)
{
    const char *dot;
    if (host.len > 0 && host.ptr[host.len - 1] == '.')
        host.len--; /* an absolute name: the same suffix */
    if (host.len == 0)
        return false;
    if (has_rule(0, cors__psl.exceptions, host))
        return false;
    if (has_rule(cors__psl.exceptions, cors__psl.normal, host))
        return true;
    dot = memchr(host.ptr, '.', host.len);
    if (dot == NULL)
        return true; /* the implicit rule "*" */
    cors_str parent = {dot + 1, host.len - (size_t)(dot + 1 - host.ptr)};
    return has_rule(cors__psl.exceptions + cors__psl.normal, cors__psl.wildcards, parent);
}
