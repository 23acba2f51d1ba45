/* SPDX-License-Identifier: MIT */
/* expose.c - Fetch "CORS-filtered response": the header names script can
 * read (the CORS-safelisted response-header names, those the response's
 * Access-Control-Expose-Headers lists, or all of them for '*' without
 * credentials; never Set-Cookie). Blink ExtractCorsExposedHeaderNamesList:
 * one bad element empties the list.
 *
 * The caller's readable array is the workspace: it first holds one entry per
 * response line (offset = line index, length = name length), sorted by name
 * with heapsort and made unique, then the list is walked once and each
 * element found by binary search. So the cost is O((lines + elements) log
 * lines) whatever the response, with no memory of our own. */
#include "internal.h"

#include <string.h>

#define MARK 0x80000000u  /* in length: the name is readable */

static cors_str name_at(const cors__grant *g, cors_span e)
{
    cors_str n = g->headers[e.offset].name;
    return n;
}

static int compare(const cors__grant *g, cors_span a, cors_span b)
{
    return cors__compare_lower(name_at(g, a), name_at(g, b));
}

static void sift_down(const cors__grant *g, cors_span *a, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        cors_span t;
        if (child >= n)
            return;
        if (child + 1 < n && compare(g, a[child], a[child + 1]) < 0)
            child++;
        if (compare(g, a[root], a[child]) >= 0)
            return;
        t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort(const cors__grant *g, cors_span *a, size_t n)
{
    for (size_t i = n / 2; i > 0; i--)
        sift_down(g, a, i - 1, n);
    for (size_t end = n; end > 1; end--) {
        cors_span t = a[0];
        a[0] = a[end - 1];
        a[end - 1] = t;
        sift_down(g, a, 0, end - 1);
    }
}

static size_t find(const cors__grant *g, const cors_span *a, size_t n, cors_str s)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cors__compare_lower(name_at(g, a[mid]), s);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static void findings(const cors__eval *ev, cors_report *r, const cors__list_stats *st)
{
    const cors__grant *g = ev->response;
    cors_str first = cors__grant_field(g, SLOT_ACEH)->value;
    if (!st->valid)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_HEADERS_INVALID, V0, CORS_STAGE_RESPONSE, VALUE_JOINED, st->first_bad);
    else if (st->has_star && ev->model.credentialed)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS, V0, CORS_STAGE_RESPONSE, first);
    if (st->valid && (cors__list_contains(g, SLOT_ACEH, CORS_LIT("set-cookie"), true) ||
                      cors__list_contains(g, SLOT_ACEH, CORS_LIT("set-cookie2"), true)))
        cors__finding(ev, r, CORS_FINDING_EXPOSE_SET_COOKIE, V0, CORS_STAGE_RESPONSE, first);
}

void cors__expose_readable(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->response;
    cors_span *a = r->readable;
    cors__list_stats st;
    size_t n = 0, kept = 0;
    bool expose_all;

    cors__list_scan(g, SLOT_ACEH, &st);
    findings(ev, r, &st);
    expose_all = st.valid && st.has_star && !ev->model.credentialed;
    /* Not enough room for the workspace: say how much is (upper bounds), so
     * that a second call with these capacities completes. */
    if (g->readable_candidates > r->readable_capacity || g->header_count > UINT32_MAX) {
        size_t bytes = 0;
        for (size_t i = 0; i < g->header_count; i++)
            bytes += g->headers[i].name.len;
        r->readable_count = g->readable_candidates;
        cors__report_reserve(r, bytes);
        return;
    }
    for (size_t i = 0; i < g->header_count; i++) {
        cors_str name = g->headers[i].name;
        cors__tok tok = cors__token_lookup(name);
        if ((cors__token_class(tok) & TOKC_FORBIDDEN_RESPONSE) || name.len >= MARK)
            continue;
        a[n].offset = (uint32_t)i;
        a[n].length = (uint32_t)name.len | ((expose_all || (cors__token_class(tok) & TOKC_SAFELISTED_RESPONSE)) ? MARK : 0);
        n++;
    }
    heapsort(g, a, n);
    for (size_t i = 0; i < n; i++) { /* unique, keeping any mark */
        if (kept > 0 && compare(g, a[kept - 1], a[i]) == 0)
            a[kept - 1].length |= a[i].length & MARK;
        else
            a[kept++] = a[i];
    }
    if (st.valid && !expose_all) {
        cors__list_iter it;
        cors_str e;
        cors__list_begin(&it, g, SLOT_ACEH);
        while (cors__list_next(&it, &e)) {
            size_t k = find(g, a, kept, e);
            if (k != SIZE_MAX)
                a[k].length |= MARK;
        }
    }
    n = 0;
    for (size_t i = 0; i < kept; i++)
        if (a[i].length & MARK)
            a[n++] = cors__report_put_lower(r, name_at(g, a[i]));
    r->readable_count = n;
}
