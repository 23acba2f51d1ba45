/* SPDX-License-Identifier: MIT */
/* expose.c - Fetch "CORS-filtered response": the header names script can
 * read (the CORS-safelisted response-header names, those the response's
 * Access-Control-Expose-Headers lists, or all of them for '*' without
 * credentials; never Set-Cookie). Blink ExtractCorsExposedHeaderNamesList:
 * one bad element empties the list.
 *
 * The caller's readable array is the workspace. A usual list (at most
 * SMALL_LIST names) is held on the stack and each line is compared with it;
 * a longer one is matched by sorting the response's names in the array
 * (heapsort) and one walk with binary search. A few readable names (at most
 * FEW_NAMES) are sorted by insertion where they are and written once; more
 * are written lowercase into the report's text first and sorted there, a
 * word at a time (a name's bytes are then plain bytes). Either way the cost is
 * O((lines + elements) log lines) at worst, with no memory of our own. */
#include "internal.h"

#include <string.h>

#define MARK 0x80000000u  /* in a workspace entry's length: the name is readable */
#define SMALL_LIST 8
#define FEW_NAMES 16 /* readable names sorted where they are; more are sorted lowercase in the text */

typedef struct exposed {
    cors__list_stats st;
    bool set_cookie;          /* Set-Cookie or Set-Cookie2 listed */
    size_t small_count;
    cors_str small[SMALL_LIST]; /* the first elements, when there are no more */
} exposed;

/* One walk of Access-Control-Expose-Headers for everything asked of it. */
static void read_list(const cors__grant *g, exposed *x)
{
    const cors__field *f = cors__grant_field(g, SLOT_ACEH);
    cors__list_iter it;
    cors_str e;
    memset(&x->st, 0, sizeof(x->st)); /* small[] is read only below small_count */
    x->st.valid = true;
    x->set_cookie = false;
    x->small_count = 0;
    /* the usual one line of one name: a value of token bytes only is that one element (no comma,
     * no OWS), as the walk would find it */
    if (f->count == 1 && cors__is_token(e = g->headers[f->first].value)) {
        x->st.has_star = e.len == 1 && e.ptr[0] == '*';
        /* token bytes: the inline compare with a lowercase literal is exact */
        x->set_cookie = cors__token_equal_lit(e, "set-cookie", 10) || cors__token_equal_lit(e, "set-cookie2", 11);
        x->st.elements = 1;
        x->small[x->small_count++] = e;
        return;
    }
    cors__list_begin(&it, g, SLOT_ACEH);
    while (cors__list_next(&it, &e)) {
        if (x->st.valid && !it.token && !cors__is_token(e)) {
            x->st.valid = false;
            x->st.first_bad = e;
        }
        x->st.has_star |= e.len == 1 && e.ptr[0] == '*';
        x->set_cookie |= cors__equal_lit_nocase(e, "set-cookie", 10) || cors__equal_lit_nocase(e, "set-cookie2", 11);
        if (x->st.elements++ < SMALL_LIST)
            x->small[x->small_count++] = e;
    }
}

static cors_str name_at(const cors__grant *g, cors_span e)
{
    return g->headers[e.offset].name;
}

static int compare(const cors__grant *g, cors_span a, cors_span b)
{
    return cors__compare_lower(name_at(g, a), name_at(g, b));
}

/* Names already lowercase in the report's text: plain byte order, 8 bytes at a time (as big-endian
 * numbers, the first differing byte decides), then the shorter first. */
static int compare_text(const cors_report *r, cors_span a, cors_span b)
{
    const unsigned char *x = (const unsigned char *)r->text + a.offset, *y = (const unsigned char *)r->text + b.offset;
    size_t n = a.length < b.length ? a.length : b.length, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t u, v;
        memcpy(&u, x + i, 8);
        memcpy(&v, y + i, 8);
        if (u != v) { /* the first differing byte decides */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return __builtin_bswap64(u) < __builtin_bswap64(v) ? -1 : 1;
#else
            break;
#endif
        }
    }
    for (; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return a.length < b.length ? -1 : a.length > b.length;
}

static int compare_names(const void *g, cors_span a, cors_span b)
{
    return compare(g, a, b);
}

static int compare_texts(const void *r, cors_span a, cors_span b)
{
    return compare_text(r, a, b);
}

static void sort_names(const cors__grant *g, cors_span *a, size_t n)
{
    cors__sort_spans(a, n, compare_names, g);
}

/* The readable names a[0, n) (all marked) into the text, sorted and unique: copied lowercase
 * after the text, sorted there, the unique ones copied in order after those, then moved down
 * to where the names start. False, with nothing written, when the text has no room for twice
 * the names (the slower way then needs room for them once). */
static bool put_sorted(const cors__grant *g, cors_span *a, size_t n, cors_report *r)
{
    size_t bytes = 0, kept = 0, start = r->text_length;
    size_t room = r->text_capacity < UINT32_MAX ? r->text_capacity : UINT32_MAX, scratch_end, moved;
    for (size_t i = 0; i < n; i++)
        bytes += name_at(g, a[i]).len;
    if (start > room || bytes > room - start || bytes > room - start - bytes)
        return false;
    for (size_t i = 0; i < n; i++)
        a[i] = cors__report_put_lower(r, name_at(g, a[i]));
    cors__sort_spans(a, n, compare_texts, r);
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || compare_text(r, a[kept - 1], a[i]) != 0)
            a[kept++] = a[i];
    scratch_end = r->text_length;
    for (size_t i = 0; i < kept; i++) /* after the scratch copies, in order */
        a[i] = cors__report_put(r, (cors_str){r->text + a[i].offset, a[i].length});
    moved = r->text_length - scratch_end;
    memmove(r->text + start, r->text + scratch_end, moved);
    for (size_t i = 0; i < kept; i++)
        a[i].offset -= (uint32_t)(scratch_end - start);
    r->text_length = start + moved;
    r->readable_count = kept;
    return true;
}

/* A few readable names a[0, n): sorted by insertion on the response's own bytes (as
 * lowercase), each repeat dropped as it is met; how many are left. The entries above the
 * place move up as they are passed (a[kept] is at or before a[i], already read); a repeat
 * moves them back. */
static size_t sort_few(const cors__grant *g, cors_span *a, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        cors_span e = a[i];
        cors_str name = name_at(g, e);
        size_t j = kept;
        int c = 1;
        while (j > 0 && (c = cors__compare_lower_quick(name_at(g, a[j - 1]), name)) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        if (j > 0 && c == 0) {
            for (size_t k = j; k < kept; k++)
                a[k] = a[k + 1];
            continue;
        }
        a[j] = e;
        kept++;
    }
    return kept;
}

/* The names a[0, n) written lowercase in order, each stored whole or only counted: what
 * cors__report_put_lower does, with the room found once and no call for a name that fits. */
static void put_names(const cors__grant *g, cors_span *a, size_t n, cors_report *r)
{
    size_t room = r->text_capacity < UINT32_MAX ? r->text_capacity : UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        cors_str name = name_at(g, a[i]);
        size_t at = r->text_length;
        if (at <= room && name.len <= room - at) {
            cors__copy_lower(r->text + at, name.ptr, name.len);
            a[i] = (cors_span){(uint32_t)at, (uint32_t)name.len};
            r->text_length = at + name.len;
        } else {
            a[i] = cors__report_put_lower(r, name);
        }
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

static void findings(const cors__eval *ev, cors_report *r, const exposed *x)
{
    cors_str first = cors__grant_field(ev->response, SLOT_ACEH)->value;
    if (!x->st.valid)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_HEADERS_INVALID, V0, CORS_STAGE_RESPONSE, VALUE_JOINED,
                      x->st.first_bad);
    else if (x->st.has_star && ev->model.credentialed)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS, V0, CORS_STAGE_RESPONSE, first);
    if (x->st.valid && x->set_cookie)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_SET_COOKIE, V0, CORS_STAGE_RESPONSE, first);
}

static bool line_is(const cors__grant *g, uint64_t lines_below_64, uint32_t cls, size_t i)
{
    if (i < 64)
        return (lines_below_64 >> i) & 1;
    return (cors__token_class(cors__token_lookup(g->headers[i].name)) & cls) != 0;
}

/* A short list: one of its elements is the name (case-insensitively); the lengths first. */
static bool listed(const exposed *x, cors_str name)
{
    for (size_t k = 0; k < x->small_count; k++)
        if (x->small[k].len == name.len && cors__equal_nocase(name, x->small[k]))
            return true;
    return false;
}

/* The readable lines of a response of at most 64 lines and a short list (or none), as bits:
 * grant.c's line bits say which are safelisted or Set-Cookie, and only a line whose name has
 * the length of a listed one is compared. Each goes into a[] marked, in line order; how many. */
static size_t readable_few_lines(const cors__grant *g, const exposed *x, bool expose_all, bool list, cors_span *a)
{
    size_t count = g->header_count, n = 0;
    uint64_t lines = count == 64 ? ~(uint64_t)0 : ((uint64_t)1 << count) - 1;
    uint64_t shown = lines & ~g->forbidden_lines, readable = expose_all ? shown : shown & g->safelisted_lines;
    if (list) {
        uint64_t lengths = 0, rest = shown & ~readable; /* bit k: an element of k bytes (63: 63 or more) */
        for (size_t k = 0; k < x->small_count; k++)
            lengths |= (uint64_t)1 << (x->small[k].len < 63 ? x->small[k].len : 63);
        for (; rest != 0; rest &= rest - 1) { /* the set bits only, lowest first */
            size_t i = cors__lowest_bit64(rest), len = g->headers[i].name.len;
            if (((lengths >> (len < 63 ? len : 63)) & 1) && listed(x, g->headers[i].name))
                readable |= (uint64_t)1 << i;
        }
    }
    for (; readable != 0; readable &= readable - 1) { /* in line order */
        size_t i = cors__lowest_bit64(readable), len = g->headers[i].name.len;
        if (len < MARK) {
            a[n].offset = (uint32_t)i;
            a[n].length = (uint32_t)len | MARK;
            n++;
        }
    }
    return n;
}

/* A long list: mark each workspace entry (sorted) whose name the list exposes. */
static void mark_listed(const cors__grant *g, cors_span *a, size_t n)
{
    cors__list_iter it;
    cors_str e;
    uint64_t lengths = 0; /* bit k: a name of k bytes (63: 63 or more), so most misses need no search */
    for (size_t i = 0; i < n; i++)
        lengths |= (uint64_t)1 << (name_at(g, a[i]).len < 63 ? name_at(g, a[i]).len : 63);
    cors__list_begin(&it, g, SLOT_ACEH);
    while (cors__list_next(&it, &e)) {
        size_t k;
        if (!((lengths >> (e.len < 63 ? e.len : 63)) & 1))
            continue;
        k = find(g, a, n, e);
        if (k != SIZE_MAX)
            a[k].length |= MARK;
    }
}

size_t cors__expose_readable(const cors__eval *ev, bool basic, cors_report *r)
{
    const cors__grant *g = ev->response;
    cors_span *a = r->readable;
    exposed x;
    size_t n = 0, kept = 0;
    bool expose_all, list, long_list;

    size_t names_at;

    read_list(g, &x);
    if (!basic)
        findings(ev, r, &x);
    names_at = r->text_length;
    /* a same-origin response (basic filtered) shows every name but Set-Cookie */
    expose_all = basic || (x.st.valid && x.st.has_star && !ev->model.credentialed);
    list = x.st.valid && !expose_all && x.st.elements > 0;
    long_list = list && x.st.elements > SMALL_LIST;
    /* Not enough room for the workspace: say how much is (upper bounds), so
     * that a second call with these capacities completes. */
    if (g->readable_candidates > r->readable_capacity || g->header_count > UINT32_MAX) {
        size_t bytes = 0;
        for (size_t i = 0; i < g->header_count; i++)
            bytes += g->headers[i].name.len;
        r->readable_count = g->readable_candidates;
        cors__report_reserve(r, bytes);
        for (size_t i = 0; i < r->readable_capacity; i++) /* stored, so never the caller's garbage */
            a[i] = (cors_span){0, 0};
        return names_at;
    }
    if (!long_list && g->header_count <= 64) { /* the usual response: its lines as bits */
        n = readable_few_lines(g, &x, expose_all, list, a);
    } else {
        for (size_t i = 0; i < g->header_count; i++) {
            cors_str name = g->headers[i].name;
            bool readable;
            if (line_is(g, g->forbidden_lines, TOKC_FORBIDDEN_RESPONSE, i) || name.len >= MARK)
                continue;
            readable = expose_all || line_is(g, g->safelisted_lines, TOKC_SAFELISTED_RESPONSE, i) ||
                       (list && !long_list && listed(&x, name));
            /* only the readable ones are kept, but a long list needs them all to match against */
            if (!readable && !long_list)
                continue;
            a[n].offset = (uint32_t)i;
            a[n].length = (uint32_t)name.len | (readable ? MARK : 0);
            n++;
        }
    }
    if (long_list) {
        sort_names(g, a, n);
        mark_listed(g, a, n);
    } else if (n <= FEW_NAMES) { /* every entry is readable: sort them */
        n = sort_few(g, a, n);
        put_names(g, a, n, r);
        r->readable_count = n;
        return names_at;
    } else {
        if (put_sorted(g, a, n, r))
            return names_at;
        sort_names(g, a, n);
    }
    kept = 0;
    for (size_t i = 0; i < n; i++) { /* unique, keeping any mark */
        if (kept > 0 && compare(g, a[kept - 1], a[i]) == 0)
            a[kept - 1].length |= a[i].length & MARK;
        else
            a[kept++] = a[i];
    }
    n = 0;
    for (size_t i = 0; i < kept; i++)
        if (a[i].length & MARK)
            a[n++] = cors__report_put_lower(r, name_at(g, a[i]));
    r->readable_count = n;
    return names_at;
}
