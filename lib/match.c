/* SPDX-License-Identifier: MIT */
/* match.c - a request against a compiled policy's sets: the Origin (exact
 * origins by binary search, subdomain and port patterns by label suffix,
 * reflect, '*'), a method, the names of Access-Control-Request-Headers.
 * Nothing here allocates or copies; lookups compare words, not bytes. */
#include "server.h"

/* ---- sets ---- */

static inline cors__str32 set_at(const cors_policy *p, cors__str32 set, size_t i)
{
    cors__str32 s;
    memcpy(&s, (const char *)p + set.off + i * sizeof(s), sizeof(s));
    return s;
}

/* Exact bytes (origins, methods). */
bool cors__set_has(const cors_policy *p, cors__str32 set, cors_str x)
{
    size_t lo = 0, hi = set.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        cors__str32 s = set_at(p, set, mid);
        int c;
        if (s.len != x.len)
            c = s.len < x.len ? -1 : 1;
        else if (same_bytes(cors__policy_bytes(p, s), x.ptr, x.len))
            return true;
        else /* which way */
            c = memcmp(cors__policy_bytes(p, s), x.ptr, x.len);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Case-insensitively, against a set stored lowercase, each name followed by its fold mask. */
static bool set_has_lower(const cors_policy *p, cors__str32 set, cors_str x)
{
    size_t lo = 0, hi = set.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        cors__str32 s = set_at(p, set, mid);
        const char *a = cors__policy_bytes(p, s);
        int c = 0;
        if (s.len != x.len)
            c = s.len < x.len ? -1 : 1;
        else if (fold_equal(x.ptr, a, a + s.len, s.len))
            return true;
        else /* which way: the first byte that differs, lowercased */
            for (size_t i = 0; i < s.len && c == 0; i++) {
                unsigned char b = cors__lower((unsigned char)x.ptr[i]);
                c = (unsigned char)a[i] < b ? -1 : (unsigned char)a[i] > b ? 1 : 0;
            }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* ---- origins ---- */

/* A request's Origin as scheme "://" host [":" port], for the patterns: the scheme and an exact
 * host are compared with the pattern's (canonical) bytes, the labels before a suffix are checked
 * where they are matched, and the port is read as cors_origin_parse reads it (1-65535, no
 * leading zero, never the scheme's default). */
typedef struct split {
    cors_str scheme, host;
    int32_t port;
} split;

static bool split_origin(cors_str s, split *o)
{
    const char *p = s.ptr, *end = s.ptr + s.len, *h, *q;
    uint32_t port = 0;
    while (p < end && *p != ':')
        p++;
    if (end - p < 3 || p[1] != '/' || p[2] != '/' || p == s.ptr)
        return false;
    o->scheme = (cors_str){s.ptr, (size_t)(p - s.ptr)};
    h = q = p + 3;
    if (q < end && *q == '[') {
        while (q < end && *q != ']')
            q++;
        if (q++ == end)
            return false;
    } else {
        while (q < end && *q != ':')
            q++;
    }
    o->host = (cors_str){h, (size_t)(q - h)};
    o->port = PORT_DEFAULT;
    if (q == end)
        return o->host.len > 0;
    if (*q++ != ':' || q == end || *q == '0' || end - q > 5)
        return false;
    for (; q < end; q++) {
        if (!cors__is((unsigned char)*q, CC_DIGIT))
            return false;
        port = port * 10 + (uint32_t)(*q - '0');
    }
    if (port > 65535 || (port == 80 && cors__equal(o->scheme, CORS_LIT("http"))) ||
        (port == 443 && cors__equal(o->scheme, CORS_LIT("https"))))
        return false;
    o->port = (int32_t)port;
    return o->host.len > 0;
}

static bool pattern_matches(const cors_policy *p, const cors__pattern *pat, const split *o)
{
    cors_str scheme = cors__policy_str(p, pat->scheme), host = cors__policy_str(p, pat->host);
    if (!same(o->scheme, scheme) || (pat->port != PORT_ANY && pat->port != o->port))
        return false;
    if (!pat->subdomains)
        return same(o->host, host);
    /* one or more labels before ".example.com": origin-host bytes, none empty */
    if (o->host.len <= host.len || !same_bytes(o->host.ptr + o->host.len - host.len, host.ptr, host.len))
        return false;
    cors_str labels = {o->host.ptr, o->host.len - host.len};
    if (labels.ptr[0] == '.' || labels.ptr[labels.len - 1] == '.')
        return false;
    for (size_t i = 0; i < labels.len; i++)
        if (!cors__is((unsigned char)labels.ptr[i], CC_ORIGIN_HOST) || (labels.ptr[i] == '.' && labels.ptr[i - 1] == '.'))
            return false;
    return true;
}

bool cors__match_origin(const cors_policy *p, cors_str origin)
{
    if (p->mode == MODE_ANY)
        return true;
    if (origin.ptr == NULL)
        return false;
    if (p->mode == MODE_REFLECT) { /* every serialized origin but null */
        cors_origin o;
        return cors_origin_parse(origin.ptr, origin.len, &o, NULL) == CORS_OK && !o.is_opaque;
    }
    if (p->exact.len > 0 && cors__set_has(p, p->exact, origin))
        return true;
    split o;
    if (p->patterns.len == 0 || !split_origin(origin, &o))
        return false;
    for (size_t i = 0; i < p->patterns.len; i++) {
        cors__pattern pat;
        memcpy(&pat, (const char *)p + p->patterns.off + i * sizeof(pat), sizeof(pat));
        if (pattern_matches(p, &pat, &o))
            return true;
    }
    return false;
}

/* ---- Access-Control-Request-Headers ---- */

/* Every element of every line passes: a token the policy allows (with
 * credentials and "*", any token; without credentials "*" leaves out
 * Authorization unless it is listed). Stops at the first that does not. */
bool cors__match_header_lines(const cors_policy *p, const cors_header *rh, size_t first, size_t n, size_t lines)
{
    bool credentials = (p->flags & CORS_POLICY_CREDENTIALS) != 0;
    if (p->any_header && !credentials && p->authorization)
        return true; /* "*,authorization" covers any list: nothing to read */
    for (size_t i = first; i < n && lines > 0; i++) {
        cors_str v = rh[i].value;
        size_t pos = 0;
        /* the first line is known; the others are found again */
        if (i != first && (rh[i].name.len != 30 || rh[i].name.ptr == NULL || !is_acrh_name(rh[i].name.ptr)))
            continue;
        lines--;
        if (v.ptr == NULL && v.len != 0)
            return false;
        while (pos < v.len) { /* RFC 9110 5.6.1: #element, empty ones ignored */
            size_t start, end;
            while (pos < v.len && (v.ptr[pos] == ',' || cors__is((unsigned char)v.ptr[pos], CC_TAB_SPACE)))
                pos++;
            start = pos;
            while (pos < v.len && v.ptr[pos] != ',')
                pos++;
            end = pos;
            while (end > start && cors__is((unsigned char)v.ptr[end - 1], CC_TAB_SPACE))
                end--;
            if (end == start)
                continue;
            cors_str name = {v.ptr + start, end - start};
            if (p->any_header && !credentials) {
                if (!p->authorization && CORS__EQ_LIT(name, "authorization"))
                    return false;
                continue; /* the answer is "*": nothing to echo, nothing else to check */
            }
            /* a listed name is a token; under "*" (with credentials, echoed) it must be one */
            if (p->any_header ? !cors__is_token(name) : !set_has_lower(p, p->headers, name))
                return false;
        }
    }
    return true;
}
