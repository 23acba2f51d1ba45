/* SPDX-License-Identifier: MIT */
/* list.c - comma-separated header lists, read across every line of one
 * grant slot (Fetch: extract header list values; RFC 9110 5.6.1 #rule;
 * Chromium joins the lines with ", " first, which splits the same way).
 * A walk visits only the lines between the slot's first and last line. */
#include "internal.h"

#include <string.h>

void cors__list_begin(cors__list_iter *it, const cors__grant *g, cors__slot slot)
{
    const cors__field *f = cors__grant_field(g, slot);
    memset(it, 0, sizeof(*it));
    if (f->count == 0)
        return;
    it->headers = g->headers;
    it->name = cors__token_lower(cors__slot_token(slot));
    it->index = f->first;
    it->first = f->first;
    it->last = f->last;
    it->active = true;
}

bool cors__list_next(cors__list_iter *it, cors_str *element)
{
    while (it->active && it->index <= it->last) {
        const cors_header *h = &it->headers[it->index];
        /* the slot's first and last lines are its own; lines between may not be */
        if (it->pos == 0 && it->index != it->first && it->index != it->last &&
            !cors__token_equal_lit(h->name, it->name.ptr, it->name.len)) {
            it->index++;
            continue;
        }
        while (it->pos <= h->value.len && h->value.ptr != NULL) {
            const char *v = h->value.ptr, *start;
            size_t len = h->value.len, i, end;
            /* empty elements and leading OWS, a byte at a time: no memchr per comma */
            while (it->pos < len && (v[it->pos] == ',' || v[it->pos] == ' ' || v[it->pos] == '\t'))
                it->pos++;
            /* the usual element, a token then OWS up to a comma or the end: one pass */
            for (i = it->pos; i < len && cors__is((unsigned char)v[i], CC_TOKEN);)
                i++;
            for (end = i; i < len && (v[i] == ' ' || v[i] == '\t');)
                i++;
            if (end > it->pos && (i == len || v[i] == ',')) {
                *element = (cors_str){v + it->pos, end - it->pos};
                it->pos = i + 1;
                it->token = true;
                return true;
            }
            it->token = false; /* anything else: to the comma, trimmed */
            start = v + it->pos;
            size_t rest = len - it->pos;
            const char *comma = rest ? memchr(start, ',', rest) : NULL;
            size_t n = comma ? (size_t)(comma - start) : rest;
            cors_str e = {start, n};
            it->pos += n + 1;
            e = cors__trim_folded(e); /* OWS, and the breaks of a folded value */
            if (e.len > 0) { /* Fetch: empty elements are ignored */
                *element = e;
                return true;
            }
        }
        it->index++;
        it->pos = 0;
    }
    it->active = false;
    return false;
}

void cors__list_scan(const cors__grant *g, cors__slot slot, cors_str needle, const cors_str *sorted, size_t n,
                     cors__list_stats *out)
{
    cors__list_iter it;
    cors_str e;
    memset(out, 0, sizeof(*out));
    out->valid = true;
    cors__list_begin(&it, g, slot);
    while (cors__list_next(&it, &e)) {
        out->elements++;
        /* Fetch: CORS-preflight fetch parses #method / #field-name: one
         * non-token element fails the whole header. */
        if (out->valid && !it.token && !cors__is_token(e)) {
            out->valid = false;
            out->first_bad = e;
        }
        if (e.len == 1 && e.ptr[0] == '*')
            out->has_star = true;
        if (needle.ptr != NULL && e.len == needle.len) {
            out->needle_exact |= cors__equal(e, needle);
            out->needle_nocase |= cors__equal_nocase(e, needle);
        }
        if (n > 0) {
            size_t i = cors__sorted_find(sorted, n, e);
            if (i != SIZE_MAX)
                out->marks |= (uint64_t)1 << i;
        }
    }
}

bool cors__list_contains(const cors__grant *g, cors__slot slot, cors_str s, bool nocase)
{
    cors__list_iter it;
    cors_str e;
    cors__list_begin(&it, g, slot);
    while (cors__list_next(&it, &e))
        if (nocase ? cors__equal_nocase(e, s) : cors__equal(e, s))
            return true;
    return false;
}

size_t cors__sorted_find(const cors_str *sorted, size_t n, cors_str s)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cors__compare_lower(sorted[mid], s);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}
