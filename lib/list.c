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
    it->slot = slot;
    it->index = f->first;
    it->first = f->first;
    it->last = f->last;
    it->active = true;
}

/* The next non-empty element of v[*at, len], OWS-trimmed: true with *element
 * set and *at past its comma, false at the end of the value. *token tells
 * that the element was read as a token (the usual case, in one pass). */
static CORS__ALWAYS_INLINE bool value_next(const char *v, size_t len, size_t *at, cors_str *element, bool *token)
{
    const unsigned char *u = (const unsigned char *)v;
    const uint16_t *cls = cors__char_class;
    size_t pos = *at;
    while (pos <= len) {
        size_t i, end;
        /* empty elements and leading OWS, a byte at a time: no memchr per comma */
        while (pos < len && (cls[u[pos]] & CC_LIST_GAP))
            pos++;
        /* the usual element, a token then OWS up to a comma or the end: one pass, four bytes a round */
        for (i = pos; i + 4 <= len && (cls[u[i]] & cls[u[i + 1]] & cls[u[i + 2]] & cls[u[i + 3]] & CC_TOKEN);)
            i += 4;
        while (i < len && (cls[u[i]] & CC_TOKEN))
            i++;
        for (end = i; i < len && (cls[u[i]] & CC_TAB_SPACE);)
            i++;
        if (end > pos && (i == len || v[i] == ',')) {
            *element = (cors_str){v + pos, end - pos};
            *at = i + 1;
            *token = true;
            return true;
        }
        /* anything else: to the comma, trimmed of OWS and the breaks of a folded value */
        const char *comma = pos < len ? memchr(v + pos, ',', len - pos) : NULL;
        cors_str e = {v + pos, comma ? (size_t)(comma - (v + pos)) : len - pos};
        pos += e.len + 1;
        e = cors__trim_folded(e);
        if (e.len > 0) { /* Fetch: empty elements are ignored */
            *element = e;
            *at = pos;
            *token = false;
            return true;
        }
    }
    *at = pos;
    return false;
}

/* The slot's first and last lines are its own; lines between may not be (their name is read
 * only then: most slots have one line). */
static inline bool line_is_slots(const cors_header *h, size_t i, size_t first, size_t last, cors__slot slot)
{
    cors_str name;
    if (i == first || i == last)
        return true;
    name = cors__token_lower(cors__slot_token(slot));
    return cors__token_equal_lit(h->name, name.ptr, name.len);
}

/* cors__sorted_find's few names, inline in the scan: the lengths rule out most without a
 * compare (the names are unique). */
static CORS__ALWAYS_INLINE size_t find_few(const cors_str *sorted, size_t n, cors_str s)
{
    for (size_t i = 0; i < n; i++)
        if (sorted[i].len == s.len && cors__equal_nocase(sorted[i], s))
            return i;
    return SIZE_MAX;
}

bool cors__list_next(cors__list_iter *it, cors_str *element)
{
    while (it->active && it->index <= it->last) {
        const cors_header *h = &it->headers[it->index];
        if ((it->pos != 0 || line_is_slots(h, it->index, it->first, it->last, it->slot)) && h->value.ptr != NULL &&
            value_next(h->value.ptr, h->value.len, &it->pos, element, &it->token))
            return true;
        it->index++;
        it->pos = 0;
    }
    it->active = false;
    return false;
}

void cors__list_scan(const cors__grant *g, cors__slot slot, cors_str needle, const cors_str *sorted, size_t n,
                     cors__list_stats *out)
{
    const cors__field *f = cors__grant_field(g, slot);
    cors__list_stats st;
    memset(&st, 0, sizeof(st));
    st.valid = true;
    for (size_t line = f->first; f->count > 0 && line <= f->last; line++) {
        const cors_header *h = &g->headers[line];
        size_t pos = 0;
        cors_str e;
        bool token;
        if (h->value.ptr == NULL || !line_is_slots(h, line, f->first, f->last, slot))
            continue;
        while (value_next(h->value.ptr, h->value.len, &pos, &e, &token)) {
            st.elements++;
            /* Fetch: CORS-preflight fetch parses #method / #field-name: one
             * non-token element fails the whole header. */
            if (st.valid && !token && !cors__is_token(e)) {
                st.valid = false;
                st.first_bad = e;
            }
            if (e.len == 1 && e.ptr[0] == '*')
                st.has_star = true;
            if (needle.ptr != NULL && e.len == needle.len && cors__equal_nocase(e, needle)) {
                st.needle_nocase = true;
                st.needle_exact |= cors__same_bytes(e.ptr, needle.ptr, e.len);
            }
            if (n > 0) {
                size_t i = n <= 8 ? find_few(sorted, n, e) : cors__sorted_find(sorted, n, e);
                if (i != SIZE_MAX)
                    st.marks |= (uint64_t)1 << i;
            }
        }
    }
    *out = st;
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
    if (n <= 8)
        return find_few(sorted, n, s);
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
