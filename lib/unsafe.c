/* SPDX-License-Identifier: MIT */
/* unsafe.c - the request's CORS-unsafe header names, lowercase-sorted and
 * unique, as the preflight's Access-Control-Request-Headers lists them and
 * the preflight check walks them: from all of them sorted once in the
 * report's idle readable array when it is long enough (O(n log n)), else in
 * chunks of MODEL_CHUNK, one pass over the request each (O(n * u / 64)), so
 * no request is too large and the usual one costs a single pass. */
#include "internal.h"

#include <string.h>

/* Insert x into the sorted, unique chunk of at most MODEL_CHUNK names. */
static void chunk_insert(cors_str *chunk, size_t *n, cors_str x, bool *more)
{
    size_t lo = 0, hi = *n;
    if (hi <= 8) { /* the usual few: from the last, each passed name moved up (a repeat moves them back) */
        size_t j = hi;
        int c = 1;
        while (j > 0 && (c = cors__compare_lower_quick(chunk[j - 1], x)) > 0) {
            chunk[j] = chunk[j - 1];
            j--;
        }
        if (j > 0 && c == 0) {
            for (size_t k = j; k < hi; k++)
                chunk[k] = chunk[k + 1];
            return;
        }
        chunk[j] = x;
        (*n)++;
        return;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cors__compare_lower(chunk[mid], x);
        if (c == 0)
            return;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (*n == MODEL_CHUNK) {
        *more = true;
        if (lo == MODEL_CHUNK)
            return; /* after every name kept: a later chunk's */
        (*n)--;     /* the largest moves to a later chunk */
    }
    if (lo < *n) /* after the last: nothing moves */
        memmove(chunk + lo + 1, chunk + lo, (*n - lo) * sizeof(*chunk));
    chunk[lo] = x;
    (*n)++;
}

static cors_str sorted_name(const cors__request_model *m, cors_span s)
{
    return s.offset == UNSAFE_ACCEPT         ? CORS_LIT("accept")
           : s.offset == UNSAFE_CONTENT_TYPE ? CORS_LIT("content-type")
                                             : m->headers[s.offset].name;
}

static int compare_unsafe(const void *m, cors_span a, cors_span b)
{
    return cors__compare_lower(sorted_name(m, a), sorted_name(m, b));
}

/* Every unsafe name into the work array, sorted and unique; false (m->sorted NULL) when it has
 * no room for them. */
static bool sort_all(cors__request_model *m)
{
    m->marked = &m->marked_by;
    m->marked_by.grant = NULL; /* no marks yet */
    size_t n = 0, kept = 0;
    m->sorted = NULL;
    m->sorted_count = 0;
    if (m->work == NULL || m->header_count >= UNSAFE_CONTENT_TYPE)
        return false;
    for (size_t i = 0; i < m->header_count; i++)
        n += cors__request_line_is_unsafe(m, i);
    n += m->default_accept_unsafe + m->default_content_type_unsafe;
    if (n > m->work_capacity)
        return false;
    n = 0;
    for (size_t i = 0; i < m->header_count; i++)
        if (cors__request_line_is_unsafe(m, i))
            m->work[n++] = (cors_span){(uint32_t)i, 0};
    if (m->default_accept_unsafe)
        m->work[n++] = (cors_span){UNSAFE_ACCEPT, 0};
    if (m->default_content_type_unsafe)
        m->work[n++] = (cors_span){UNSAFE_CONTENT_TYPE, 0};
    cors__sort_spans(m->work, n, compare_unsafe, m);
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || compare_unsafe(m, m->work[kept - 1], m->work[i]) != 0)
            m->work[kept++] = m->work[i];
    m->sorted = m->work;
    m->sorted_count = kept;
    return true;
}

/* The place of the first sorted name not below s (case-insensitively); *found when it is s. */
static size_t sorted_place(const cors__request_model *m, cors_str s, bool *found)
{
    size_t lo = 0, hi = m->sorted_count;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cors__compare_lower(sorted_name(m, m->sorted[mid]), s);
        if (c == 0) { /* the names are unique: this is the place */
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sorted names after `after` (NULL: all), up to MODEL_CHUNK of them. */
static size_t sorted_chunk(const cors__request_model *m, const cors_str *after, cors_str *chunk, bool *more)
{
    size_t lo = 0, n = 0;
    bool found = false;
    if (after != NULL) /* the first name above `after` */
        lo = sorted_place(m, *after, &found) + found;
    for (; lo < m->sorted_count && n < MODEL_CHUNK; lo++)
        chunk[n++] = sorted_name(m, m->sorted[lo]);
    *more = lo < m->sorted_count;
    return n;
}

static size_t compute_chunk(const cors__request_model *m, const cors_str *after, cors_str *chunk, bool *more)
{
    if (m->sorted != NULL)
        return sorted_chunk(m, after, chunk, more);
    {
    size_t n = 0;
    *more = false;
    for (size_t i = 0; i < m->header_count; i++) {
        const cors_header *h = &m->headers[i];
        /* the first lines' verdicts are bits: no call for them */
        bool unsafe = i < MODEL_LINES ? (m->unsafe_lines >> i) & 1 : cors__request_line_is_unsafe(m, i);
        if (unsafe && (after == NULL || cors__compare_lower(h->name, *after) > 0))
            chunk_insert(chunk, &n, h->name, more);
    }
    /* The Accept fetch adds is in the header list too, so it turns unsafe
     * with the rest (Chromium 156 then sends `accept` in ACRH). */
    if (m->default_accept_unsafe && (after == NULL || cors__compare_lower(CORS_LIT("accept"), *after) > 0))
        chunk_insert(chunk, &n, CORS_LIT("accept"), more);
    if (m->default_content_type_unsafe && (after == NULL || cors__compare_lower(CORS_LIT("content-type"), *after) > 0))
        chunk_insert(chunk, &n, CORS_LIT("content-type"), more);
    return n;
    }
}

size_t cors__request_unsafe_chunk(const cors__request_model *m, const cors_str *after, cors_str *chunk, bool *more)
{
    cors_str last;
    if (after == NULL) {
        memcpy(chunk, m->unsafe, m->unsafe_count * sizeof(*chunk));
        *more = m->unsafe_more;
        return m->unsafe_count;
    }
    if (!m->unsafe_more && m->unsafe_count > 0 && cors__compare_lower(*after, m->unsafe[m->unsafe_count - 1]) >= 0) {
        *more = false;
        return 0;
    }
    last = *after; /* after may point into chunk, which is about to be written */
    return compute_chunk(m, &last, chunk, more);
}

bool cors__request_has_unsafe(const cors__request_model *m, cors__tok tok)
{
    cors_str name = cors__token_lower(tok);
    if (cors__sorted_find(m->unsafe, m->unsafe_count, name) != SIZE_MAX)
        return true;
    if (!m->unsafe_more || cors__compare_lower(name, m->unsafe[m->unsafe_count - 1]) < 0)
        return false;
    if (m->sorted != NULL) {
        bool found;
        sorted_place(m, name, &found);
        return found;
    }
    for (size_t i = 0; i < m->header_count; i++)
        if (cors__equal_nocase(m->headers[i].name, name) && cors__request_line_is_unsafe(m, i))
            return true;
    return false;
}

/* ---- the unsafe names with the preflight's marks ---- */

static uint64_t chunk_marks(const cors__grant *g, const cors_str *chunk, size_t n)
{
    cors__list_stats st;
    if (g == NULL || n == 0)
        return 0;
    cors__list_scan(g, SLOT_ACAH, VALUE_NONE, chunk, n, &st);
    return st.marks;
}

void cors__unsafe_begin(cors__unsafe_iter *it, const cors__request_model *m, const cors__grant *g, int32_t hop,
                        const uint64_t *first_marks)
{
    it->m = m;
    it->g = g;
    it->at = 0;
    if (m->sorted != NULL && m->unsafe_more) { /* one walk marks them all: span length 1 */
        cors__list_iter li;
        cors_str e;
        it->n = m->sorted_count;
        it->more = false;
        if (m->marked->grant == g && m->marked->hop == hop && g != NULL)
            return; /* marked by the walk before */
        m->marked->grant = g;
        m->marked->hop = hop;
        for (size_t i = 0; i < m->sorted_count; i++)
            m->sorted[i].length = 0;
        if (g != NULL)
            cors__list_begin(&li, g, SLOT_ACAH);
        while (g != NULL && cors__list_next(&li, &e)) {
            bool found;
            size_t at = sorted_place(m, e, &found);
            if (found)
                m->sorted[at].length = 1;
        }
        return;
    }
    memcpy(it->chunk, m->unsafe, m->unsafe_count * sizeof(*it->chunk));
    it->n = m->unsafe_count;
    it->more = m->unsafe_more;
    it->marks = first_marks != NULL ? *first_marks : chunk_marks(g, it->chunk, it->n);
}

bool cors__unsafe_next(cors__unsafe_iter *it, cors_str *name, bool *listed)
{
    const cors__request_model *m = it->m;
    if (m->sorted != NULL && m->unsafe_more) {
        if (it->at == it->n)
            return false;
        *name = sorted_name(m, m->sorted[it->at]);
        *listed = m->sorted[it->at++].length != 0;
        return true;
    }
    if (it->at == it->n) {
        cors_str last;
        if (!it->more || it->n == 0)
            return false;
        last = it->chunk[it->n - 1];
        it->n = compute_chunk(m, &last, it->chunk, &it->more);
        it->at = 0;
        it->marks = chunk_marks(it->g, it->chunk, it->n);
        if (it->n == 0)
            return false;
    }
    *name = it->chunk[it->at];
    *listed = (it->marks >> it->at) & 1;
    it->at++;
    return true;
}

/* Fetch: CORS-preflight fetch: the names lowercased, sorted and joined with ",". */
cors_span cors__request_put_acr_headers(const cors__request_model *m, cors_report *r)
{
    cors_str chunk[MODEL_CHUNK];
    const cors_str *after = NULL;
    bool more = true, first = true;
    size_t start = r->text_length, room = r->text_capacity < UINT32_MAX ? r->text_capacity : UINT32_MAX;
    if (!m->unsafe_more && m->unsafe_count > 0) { /* the usual few: written at once when they all fit */
        size_t bytes = m->unsafe_count - 1, at = start;
        bool fits = start <= room && bytes <= room - start;
        for (size_t i = 0; fits && i < m->unsafe_count; i++) {
            fits = m->unsafe[i].len <= room - start - bytes;
            bytes += m->unsafe[i].len;
        }
        if (fits) {
            for (size_t i = 0; i < m->unsafe_count; i++) {
                if (i > 0)
                    r->text[at++] = ',';
                cors__copy_lower(r->text + at, m->unsafe[i].ptr, m->unsafe[i].len);
                at += m->unsafe[i].len;
            }
            r->text_length = at;
            return cors__report_since(r, start);
        }
    }
    while (more) {
        size_t n = cors__request_unsafe_chunk(m, after, chunk, &more);
        for (size_t i = 0; i < n; i++) {
            if (!first)
                cors__report_put(r, CORS_LIT(","));
            cors__report_put_lower(r, chunk[i]);
            first = false;
        }
        if (n == 0)
            break;
        after = &chunk[n - 1];
    }
    return cors__report_since(r, start);
}

void cors__unsafe_collect(cors__request_model *m)
{
    m->sorted = NULL;
    m->sorted_count = 0;
    m->unsafe_count = compute_chunk(m, NULL, m->unsafe, &m->unsafe_more);
    /* more than one chunk: all of them sorted once, if the work array has room */
    if (m->unsafe_more && sort_all(m))
        m->unsafe_count = compute_chunk(m, NULL, m->unsafe, &m->unsafe_more);
}
