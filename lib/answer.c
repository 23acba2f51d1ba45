/* SPDX-License-Identifier: MIT */
/* answer.c - cors_policy_answer: classify one request, match it against a
 * compiled policy, and say which header lines to send. One pass over the
 * request's headers finds Origin and the Access-Control-Request-* lines;
 * everything else is a lookup in the policy's sorted sets or a precomputed
 * value, and echoed values are views into the request. The preflight steps
 * run in the order of Fetch's CORS-preflight fetch (origin, method, headers),
 * and what they emit follows jub0bs/cors middleware.go. */
#include "server.h"

#define ANSWER_V0_SIZE (offsetof(cors_answer, header_count) + sizeof(size_t))

void cors_answer_init(cors_answer *answer, size_t size)
{
    if (answer == NULL || size < sizeof(size_t))
        return;
    memset(answer, 0, size);
    answer->struct_size = size;
}

/* ---- header names without a per-byte loop: 8 bytes at a time, folding
 * only the bytes that are letters (mask 0x20), so '-' still compares exactly ---- */

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint32_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* p[0, n) equals lower when folded by mask, 8 bytes at a time (the last word may overlap). */
static inline bool fold_equal(const char *p, const char *lower, const char *mask, size_t n)
{
    size_t i = 0;
    if (n < 8) {
        for (; i < n; i++)
            if (((unsigned char)p[i] | (unsigned char)mask[i]) != (unsigned char)lower[i])
                return false;
        return true;
    }
    for (; i + 8 <= n; i += 8)
        if ((load64(p + i) | load64(mask + i)) != load64(lower + i))
            return false;
    return i == n || (load64(p + n - 8) | load64(mask + n - 8)) == load64(lower + n - 8);
}

static const char ACRM_LOWER[] = "access-control-request-method";
static const char ACRM_MASK[] = "      \0       \0       \0      ";
static const char ACRH_LOWER[] = "access-control-request-headers";
static const char ACRH_MASK[] = "      \0       \0       \0       ";

#define WORD_IS(p, at, name) ((load64((p) + (at)) | load64(name##_MASK + (at))) == load64(name##_LOWER + (at)))

/* Unrolled: no loop, no branch but the last. */
static inline bool is_acrm_name(const char *p)
{
    return WORD_IS(p, 0, ACRM) & WORD_IS(p, 8, ACRM) & WORD_IS(p, 16, ACRM) & WORD_IS(p, 21, ACRM);
}

static inline bool is_acrh_name(const char *p)
{
    return WORD_IS(p, 0, ACRH) & WORD_IS(p, 8, ACRH) & WORD_IS(p, 16, ACRH) & WORD_IS(p, 22, ACRH);
}

static inline bool is_origin_name(const char *p)
{
    const uint32_t fold = 0x20202020u;
    return (load32(p) | fold) == load32("orig") && (load32(p + 2) | fold) == load32("igin");
}

/* a[0, n) == b[0, n), a word at a time (the last ones may overlap) */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (load64(a + i) != load64(b + i))
                return false;
        return load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4)
        return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static inline bool same(cors_str a, cors_str b)
{
    return a.len == b.len && same_bytes(a.ptr, b.ptr, a.len);
}

/* ---- sets ---- */

static inline cors__str32 set_at(const cors_policy *p, cors__str32 set, size_t i)
{
    cors__str32 s;
    memcpy(&s, (const char *)p + set.off + i * sizeof(s), sizeof(s));
    return s;
}

/* Exact bytes (origins, methods). */
static bool set_has(const cors_policy *p, cors__str32 set, cors_str x)
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

static bool origin_allowed(const cors_policy *p, cors_str origin)
{
    if (p->mode == MODE_ANY)
        return true;
    if (origin.ptr == NULL)
        return false;
    if (p->mode == MODE_REFLECT) { /* every serialized origin but null */
        cors_origin o;
        return cors_origin_parse(origin.ptr, origin.len, &o, NULL) == CORS_OK && !o.is_opaque;
    }
    if (p->exact.len > 0 && set_has(p, p->exact, origin))
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
static bool headers_allowed(const cors_policy *p, const cors_header *rh, size_t first, size_t n, size_t lines)
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

/* ---- the answer ---- */

typedef struct out {
    const cors_policy *p;
    cors_emitted_header *h;
    size_t n;
} out;

/* The name is the policy's copy of the canonical spelling, so emitting calls nothing. */
static inline void emit(out *o, int name, cors_str value, int32_t action)
{
    cors_emitted_header *e = &o->h[o->n++];
    e->name = cors__policy_str(o->p, o->p->name[name]);
    e->value = value;
    e->action = action;
    e->reserved = 0;
}

static const cors_str VARY_PREFLIGHT = CORS_LIT_INIT("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
static const cors_str VARY_PREFLIGHT_ANY = CORS_LIT_INIT("Access-Control-Request-Method, Access-Control-Request-Headers");

/* Fetch: CORS-preflight fetch, steps 7 (ok status, CORS check, methods, headers). */
static void preflight(const cors_policy *p, const cors_header *rh, size_t n, size_t origin_i, size_t origins,
                      size_t acrm_i, size_t acrms, size_t acrh_i, size_t acrhs, cors_answer *a, out *o)
{
    bool credentials = (p->flags & CORS_POLICY_CREDENTIALS) != 0;
    cors_str m = rh[acrm_i].value;

    a->kind = CORS_ANSWER_PREFLIGHT;
    a->status_code = p->preflight_status;
    if (origins != 1 || !origin_allowed(p, rh[origin_i].value)) {
        a->refused_by = CORS_FIELD_ORIGINS;
        goto refused; /* no CORS headers at all: jub0bs preflightFailStatus */
    }
    emit(o, EMIT_ACAO, p->mode == MODE_ANY ? CORS_LIT("*") : rh[origin_i].value, CORS_HEADER_SET);
    if (credentials)
        emit(o, EMIT_ACAC, CORS_LIT("true"), CORS_HEADER_SET);
    /* A listed method is echoed, a safelisted one too when listed (browsers need no
     * Access-Control-Allow-Methods for it, Galxe's checker does) */
    if (acrms != 1 || (m.ptr == NULL && m.len != 0)) {
        a->refused_by = CORS_FIELD_METHODS;
    } else if (set_has(p, p->methods, m)) { /* a listed method is a token: no need to check */
        emit(o, EMIT_ACAM, m, CORS_HEADER_SET);
    } else if (p->any_method && cors__is_token(m)) {
        emit(o, EMIT_ACAM, credentials ? m : CORS_LIT("*"), CORS_HEADER_SET);
    } else if (!cors__is_safelisted_method(m)) { /* Fetch: a CORS-safelisted method is allowed anyway */
        a->refused_by = CORS_FIELD_METHODS;
    }
    if (a->refused_by == 0 && acrhs > 0) {
        cors_str acah = cors__policy_str(p, p->acah);
        if (!headers_allowed(p, rh, acrh_i, n, acrhs) || (p->any_header && credentials && acrhs > 1)) {
            a->refused_by = CORS_FIELD_REQUEST_HEADERS;
            /* jub0bs: the list that would have matched; never "*", which Chromium lets cover Authorization */
            if ((p->flags & CORS_POLICY_DEBUG) && !p->any_header && acah.len > 0)
                emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
        } else if (p->any_header && !credentials) {
            emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
        } else if (acrhs == 1) {
            if (rh[acrh_i].value.len > 0)
                emit(o, EMIT_ACAH, rh[acrh_i].value, CORS_HEADER_SET);
        } else {
            /* split over several lines: the configured list keeps the answer one line */
            emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
        }
    }
    if (a->refused_by != 0) {
        if (p->flags & CORS_POLICY_DEBUG)
            goto vary; /* the success status and what matched, so the console names the culprit */
        goto refused;
    }
    a->allowed = 1;
    if (p->acma.len > 0)
        emit(o, EMIT_ACMA, cors__policy_str(p, p->acma), CORS_HEADER_SET);
    goto vary;
refused:
    o->n = 0;
    a->status_code = PREFLIGHT_REFUSED_STATUS;
vary:
    /* jub0bs: the preflight cache ignores Vary and OPTIONS is not cacheable (RFC 9110 9.3.7), unless asked */
    if (p->flags & CORS_POLICY_VARY_PREFLIGHT)
        emit(o, EMIT_VARY, p->mode == MODE_ANY ? VARY_PREFLIGHT_ANY : VARY_PREFLIGHT, CORS_HEADER_APPEND);
}

/* An actual request, or a response to a request without Origin (origin_i == SIZE_MAX). */
static void actual(const cors_policy *p, const cors_header *rh, size_t origin_i, size_t origins, cors_answer *a,
                   out *o)
{
    cors_str aceh = cors__policy_str(p, p->aceh);
    a->kind = origins == 0 ? CORS_ANSWER_NOT_CORS : CORS_ANSWER_ACTUAL;
    if (p->mode == MODE_ANY) {
        /* the same answer for every request, so caches may share it: no Vary (jub0bs prehandleActual) */
        emit(o, EMIT_ACAO, CORS_LIT("*"), CORS_HEADER_SET);
        if (aceh.len > 0)
            emit(o, EMIT_ACEH, aceh, CORS_HEADER_SET);
        a->allowed = origins > 0;
        return;
    }
    if (origins == 1 && origin_allowed(p, rh[origin_i].value)) {
        a->allowed = 1;
        emit(o, EMIT_ACAO, rh[origin_i].value, CORS_HEADER_SET);
        if (p->flags & CORS_POLICY_CREDENTIALS)
            emit(o, EMIT_ACAC, CORS_LIT("true"), CORS_HEADER_SET);
        if (aceh.len > 0)
            emit(o, EMIT_ACEH, aceh, CORS_HEADER_SET);
    } else if (origins > 0) {
        a->refused_by = CORS_FIELD_ORIGINS;
    }
    /* Fetch: CORS protocol and HTTP caches: the answer depends on Origin, whatever it is */
    emit(o, EMIT_VARY, CORS_LIT("Origin"), CORS_HEADER_APPEND);
}

int32_t cors_policy_answer(const cors_policy *policy, const char *method, size_t method_len,
                           const cors_header *rh, size_t n, cors_answer *answer, cors_emitted_header *headers,
                           size_t capacity)
{
    cors_emitted_header local[CORS_ANSWER_MAX_HEADERS];
    out o = {policy, capacity >= CORS_ANSWER_MAX_HEADERS ? headers : local, 0};
    size_t origin_i = SIZE_MAX, acrm_i = SIZE_MAX, acrh_i = SIZE_MAX, origins = 0, acrms = 0, acrhs = 0;

    if (answer == NULL || answer->struct_size < ANSWER_V0_SIZE || !cors__policy_is_valid(policy) ||
        (rh == NULL && n != 0) || (headers == NULL && capacity != 0) || (method == NULL && method_len != 0))
        return CORS_E_ARGUMENT;
    /* the fields of the first layout, which every caller's struct has */
    answer->kind = CORS_ANSWER_NOT_CORS;
    answer->allowed = 0;
    answer->status_code = 0;
    answer->refused_by = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = rh[i].name.ptr;
        switch (rh[i].name.len) {
        case 6:
            if (p != NULL && is_origin_name(p)) {
                origin_i = i;
                origins++;
            }
            break;
        case 29:
            if (p != NULL && is_acrm_name(p)) {
                acrm_i = i;
                acrms++;
            }
            break;
        case 30:
            if (p != NULL && is_acrh_name(p) && acrhs++ == 0)
                acrh_i = i;
            break;
        default:
            break;
        }
    }
    /* Fetch: a CORS-preflight request is OPTIONS with Origin and Access-Control-Request-Method */
    if (origins > 0 && acrms > 0 && method_len == 7 && memcmp(method, "OPTIONS", 7) == 0)
        preflight(policy, rh, n, origin_i, origins, acrm_i, acrms, acrh_i, acrhs, answer, &o);
    else
        actual(policy, rh, origin_i, origins, answer, &o);
    answer->header_count = o.n;
    if (o.h == local && capacity > 0)
        memcpy(headers, local, (o.n < capacity ? o.n : capacity) * sizeof(*headers));
    return o.n > capacity ? CORS_E_BUFFER_TOO_SMALL : CORS_OK;
}

size_t cors_sizeof_emitted_header(void) { return sizeof(cors_emitted_header); }
size_t cors_sizeof_answer(void) { return sizeof(cors_answer); }
size_t cors_answer_max_headers(void) { return CORS_ANSWER_MAX_HEADERS; }
