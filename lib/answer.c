/* SPDX-License-Identifier: MIT */
/* answer.c - cors_policy_answer: classify one request, match it against a
 * compiled policy, and say which header lines to send. One pass over the
 * request's headers finds Origin (and, for OPTIONS, the Access-Control-Request-*
 * lines);
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

/* ---- the answer ----
 * The lines are written into an array with room for every answer (the caller's, or a scratch
 * one when the caller lends less), so emitting a line is a few stores and no test; the request's
 * state stays in registers, and the caller's answer is written once, at the end. */

typedef struct out {
    const cors_policy *p;
    cors_emitted_header *h;  /* room for CORS_ANSWER_MAX_HEADERS */
    size_t n;
} out;

/* The name is the policy's copy of the canonical spelling, so emitting calls nothing. */
static CORS__ALWAYS_INLINE void emit(out *o, int name, cors_str value, int32_t action)
{
    cors_emitted_header *e = &o->h[o->n++];
    e->name = cors__policy_str(o->p, o->p->name[name]);
    e->value = value;
    e->action = action;
    e->reserved = 0;
}

/* The answer's fields of the first layout, which every caller's struct has. */
static CORS__ALWAYS_INLINE int32_t finish(cors_answer *a, int32_t kind, int32_t allowed, int32_t status_code,
                                          int32_t refused_by, const out *o)
{
    a->kind = kind;
    a->allowed = allowed;
    a->status_code = status_code;
    a->refused_by = refused_by;
    a->header_count = o->n;
    return CORS_OK;
}

static const cors_str VARY_PREFLIGHT = CORS_LIT_INIT("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
static const cors_str VARY_PREFLIGHT_ANY = CORS_LIT_INIT("Access-Control-Request-Method, Access-Control-Request-Headers");

/* The lines every grant starts with: Access-Control-Allow-Origin, then -Credentials if configured. */
static CORS__ALWAYS_INLINE void emit_origin(out *o, const cors_policy *p, cors_str acao)
{
    emit(o, EMIT_ACAO, acao, CORS_HEADER_SET);
    if (p->flags & CORS_POLICY_CREDENTIALS)
        emit(o, EMIT_ACAC, CORS_LIT("true"), CORS_HEADER_SET);
}

/* jub0bs: the preflight cache ignores Vary and OPTIONS is not cacheable (RFC 9110 9.3.7), unless asked */
static CORS__ALWAYS_INLINE void emit_preflight_vary(out *o, const cors_policy *p)
{
    if (p->flags & CORS_POLICY_VARY_PREFLIGHT)
        emit(o, EMIT_VARY, p->mode == MODE_ANY ? VARY_PREFLIGHT_ANY : VARY_PREFLIGHT, CORS_HEADER_APPEND);
}

/* Fetch: CORS protocol and HTTP caches: the answer depends on Origin, whatever it is */
static CORS__ALWAYS_INLINE void emit_actual_vary(out *o)
{
    emit(o, EMIT_VARY, CORS_LIT("Origin"), CORS_HEADER_APPEND);
}

/* A granted preflight, after its origin, method and headers lines: the max age, Vary, the status. */
static CORS__ALWAYS_INLINE int32_t finish_preflight(cors_answer *a, const cors_policy *p, out *o)
{
    if (p->acma.len > 0)
        emit(o, EMIT_ACMA, cors__policy_str(p, p->acma), CORS_HEADER_SET);
    emit_preflight_vary(o, p);
    return finish(a, CORS_ANSWER_PREFLIGHT, 1, p->preflight_status, 0, o);
}

/* A granted actual request from a listed, patterned or reflected origin (not "*"). Its lines
 * without -Credentials and -Expose-Headers are written again by cors_policy_answer's fast path. */
static CORS__ALWAYS_INLINE int32_t finish_actual(cors_answer *a, const cors_policy *p, cors_str origin, out *o)
{
    emit_origin(o, p, origin);
    if (p->aceh.len > 0)
        emit(o, EMIT_ACEH, cors__policy_str(p, p->aceh), CORS_HEADER_SET);
    emit_actual_vary(o);
    return finish(a, CORS_ANSWER_ACTUAL, 1, 0, 0, o);
}

/* The method step: a listed method is echoed, a safelisted one too when listed (browsers need no
 * Access-Control-Allow-Methods for it, Galxe's checker does); returns the refusing field or 0. */
static CORS__ALWAYS_INLINE int32_t method_step(const cors_policy *p, cors_str m, size_t acrms, out *o)
{
    if (acrms != 1 || (m.ptr == NULL && m.len != 0))
        return CORS_FIELD_METHODS;
    if (cors__set_has(p, p->methods, m)) /* a listed method is a token: no need to check */
        emit(o, EMIT_ACAM, m, CORS_HEADER_SET);
    else if (p->any_method && cors__is_token(m)) /* with credentials '*' is a method's name: echo */
        emit(o, EMIT_ACAM, (p->flags & CORS_POLICY_CREDENTIALS) ? m : CORS_LIT("*"), CORS_HEADER_SET);
    else if (!cors__is_safelisted_method(m)) /* Fetch: a CORS-safelisted method is allowed anyway */
        return CORS_FIELD_METHODS;
    return 0;
}

/* The headers step: one line is echoed, several get the configured list (one line out). */
static CORS__ALWAYS_INLINE int32_t headers_step(const cors_policy *p, const cors_header *rh, size_t n,
                                                const cors_header *acrh, size_t acrhs, out *o)
{
    cors_str one = acrh->value;
    /* one line that is one listed name (the usual preflight): echoed after one lookup */
    if (acrhs == 1 && !p->any_header && one.ptr != NULL && cors__length_listed(p->header_lengths, one.len) &&
        cors__set_has_lower(p, p->headers, one)) {
        emit(o, EMIT_ACAH, one, CORS_HEADER_SET);
        return 0;
    }
    bool credentials = (p->flags & CORS_POLICY_CREDENTIALS) != 0;
    cors_str acah = cors__policy_str(p, p->acah);
    /* one line of listed names is read here, with no call; several lines, or "*", by match.c */
    if (!(acrhs == 1 && !p->any_header ? one.ptr == NULL || cors__names_listed(p, one.ptr, one.ptr + one.len)
                                       : cors__match_header_lines(p, rh, (size_t)(acrh - rh), n, acrhs)) ||
        (p->any_header && credentials && acrhs > 1)) {
        /* jub0bs debug: the list that would have matched; never "*", which Chromium lets cover Authorization */
        if ((p->flags & CORS_POLICY_DEBUG) && !p->any_header && acah.len > 0)
            emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
        return CORS_FIELD_REQUEST_HEADERS;
    }
    if ((p->any_header && !credentials) || acrhs > 1)
        emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
    else if (one.len > 0)
        emit(o, EMIT_ACAH, one, CORS_HEADER_SET);
    return 0;
}

/* The request's lines that CORS reads: where each first is, and how many there are. */
typedef struct cors_lines {
    const cors_header *origin, *acrm, *acrh; /* the first of each, or NULL */
    size_t origins, acrms, acrhs;
} cors_lines;

/* Fetch: CORS-preflight fetch, step 1: the method is `OPTIONS`, byte for byte. */
static CORS__ALWAYS_INLINE bool is_options(const char *method, size_t len)
{
    return len == 7 && cors__load32(method) == cors__load32("OPTI") && cors__load32(method + 3) == cors__load32("IONS");
}

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Fetch: CORS-preflight fetch, step 7: the CORS check, the methods, the headers, in that order. */
static CORS__ALWAYS_INLINE int32_t answer_preflight(const cors_policy *p, const cors_header *rh, size_t n,
                                                    const cors_lines *l, cors_answer *a, cors_emitted_header *headers)
{
    out o = {p, headers, 0};
    int32_t refused_by, status_code;
    if (l->origins != 1 || !cors__origin_allowed(p, l->origin->value)) {
        refused_by = CORS_FIELD_ORIGINS; /* no CORS header at all: jub0bs preflightFailStatus */
    } else {
        emit_origin(&o, p, p->mode == MODE_ANY ? CORS_LIT("*") : l->origin->value);
        refused_by = method_step(p, l->acrm->value, l->acrms, &o);
        if (refused_by == 0 && l->acrhs > 0)
            refused_by = headers_step(p, rh, n, l->acrh, l->acrhs, &o);
    }
    if (refused_by == 0)
        return finish_preflight(a, p, &o);
    if ((p->flags & CORS_POLICY_DEBUG) && refused_by != CORS_FIELD_ORIGINS) {
        status_code = p->preflight_status; /* the success status and what matched: the console names the culprit */
    } else {
        status_code = PREFLIGHT_REFUSED_STATUS;
        o.n = 0;
    }
    emit_preflight_vary(&o, p);
    return finish(a, CORS_ANSWER_PREFLIGHT, 0, status_code, refused_by, &o);
}

/* An actual request (origin: its first Origin line, of origins), or a response to a request
 * without Origin (origins == 0). */
static NOINLINE int32_t answer_actual(const cors_policy *p, const cors_header *origin, size_t origins, cors_answer *a,
                                      cors_emitted_header *headers)
{
    out o = {p, headers, 0};
    int32_t kind = origins == 0 ? CORS_ANSWER_NOT_CORS : CORS_ANSWER_ACTUAL;
    if (p->mode == MODE_ANY) {
        /* the same answer for every request, so caches may share it: no Vary (jub0bs prehandleActual) */
        emit(&o, EMIT_ACAO, CORS_LIT("*"), CORS_HEADER_SET);
        if (p->aceh.len > 0)
            emit(&o, EMIT_ACEH, cors__policy_str(p, p->aceh), CORS_HEADER_SET);
        return finish(a, kind, origins > 0, 0, 0, &o);
    }
    if (origins == 1 && cors__origin_allowed(p, origin->value))
        return finish_actual(a, p, origin->value, &o);
    emit_actual_vary(&o);
    return finish(a, kind, 0, 0, origins > 0 ? CORS_FIELD_ORIGINS : 0, &o);
}

/* Under reflect, once it is known whether the one Origin is a serialized origin: granted as it
 * came, or refused. */
static CORS__ALWAYS_INLINE int32_t reflect(const cors_policy *p, cors_str origin, bool serialized, cors_answer *a,
                                           cors_emitted_header *headers)
{
    out o = {p, headers, 0};
    if (serialized)
        return finish_actual(a, p, origin, &o);
    emit_actual_vary(&o);
    return finish(a, CORS_ANSWER_ACTUAL, 0, 0, CORS_FIELD_ORIGINS, &o);
}

/* An actual request from one Origin under reflect that is not of the usual shape. */
static NOINLINE int32_t answer_reflected_checked(const cors_policy *p, cors_str origin, cors_answer *a,
                                                 cors_emitted_header *headers)
{
    return reflect(p, origin, origin.ptr != NULL && cors__is_serialized_origin(origin), a, headers);
}

/* An actual request from one Origin under reflect: any serialized origin is granted. The usual
 * one is known to be with no call, so that this makes no stack frame; others are checked apart. */
static NOINLINE int32_t answer_reflected(const cors_policy *p, cors_str origin, cors_answer *a,
                                         cors_emitted_header *headers)
{
    if (origin.ptr != NULL && cors__is_usual_origin(origin))
        return reflect(p, origin, true, a, headers);
    return answer_reflected_checked(p, origin, a, headers);
}

/* Any request: one pass over its lines, then the preflight or the actual request; headers has
 * room for every answer. */
static NOINLINE int32_t answer_request(const cors_policy *policy, const char *method, size_t method_len,
                                       const cors_header *rh, size_t n, cors_answer *answer,
                                       cors_emitted_header *headers)
{
    cors_lines l = {NULL, NULL, NULL, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const char *p = rh[i].name.ptr;
        size_t len = rh[i].name.len;
        if (len == 6 && p != NULL && cors__is_origin_name(p)) {
            l.origin = l.origins++ == 0 ? &rh[i] : l.origin;
        } else if ((len == 29 || len == 30) && p != NULL) {
            if (len == 29 && cors__is_acrm_name(p))
                l.acrm = l.acrms++ == 0 ? &rh[i] : l.acrm;
            else if (len == 30 && cors__is_acrh_name(p))
                l.acrh = l.acrhs++ == 0 ? &rh[i] : l.acrh;
        }
    }
    /* Fetch: a CORS-preflight request is OPTIONS with Origin and Access-Control-Request-Method */
    if (l.origins > 0 && l.acrms > 0 && is_options(method, method_len))
        return answer_preflight(policy, rh, n, &l, answer, headers);
    return answer_actual(policy, l.origin, l.origins, answer, headers);
}

/* Less room than an answer may take: the lines are made apart, the first capacity copied. */
static NOINLINE int32_t answer_short(const cors_policy *policy, const char *method, size_t method_len,
                                     const cors_header *rh, size_t n, cors_answer *answer, cors_emitted_header *headers,
                                     size_t capacity)
{
    cors_emitted_header all[CORS_ANSWER_MAX_HEADERS];
    int32_t rc = answer_request(policy, method, method_len, rh, n, answer, all);
    if (capacity > 0)
        memcpy(headers, all, (answer->header_count < capacity ? answer->header_count : capacity) * sizeof(*headers));
    return rc == CORS_OK && answer->header_count > capacity ? CORS_E_BUFFER_TOO_SMALL : rc;
}

/* A request that is not OPTIONS, with room for every answer: its Origin lines found, then
 * reflected, or answered as any actual request. */
static NOINLINE int32_t answer_not_options(const cors_policy *policy, const cors_header *rh, size_t n,
                                           cors_answer *answer, cors_emitted_header *headers)
{
    const cors_header *origin = NULL;
    size_t origins = 0;
    for (size_t i = 0; i < n; i++) /* by index: rh may be NULL when n is 0 */
        if (rh[i].name.len == 6 && rh[i].name.ptr != NULL && cors__is_origin_name(rh[i].name.ptr))
            origin = origins++ == 0 ? &rh[i] : origin;
    if (origins == 1 && policy->mode == MODE_REFLECT)
        return answer_reflected(policy, origin->value, answer, headers);
    return answer_actual(policy, origin, origins, answer, headers);
}

/* An OPTIONS request with room for every answer: one pass finds its Origin,
 * Access-Control-Request-Method and -Headers lines, keeping three pointers (no counts, no
 * spills); with one of each (or no -Headers) it is answered by answer_preflight at once, and
 * anything else (several lines of one, or not a preflight) by answer_request, which counts them. */
static NOINLINE int32_t answer_options(const cors_policy *p, const cors_header *rh, size_t n, cors_answer *a,
                                       cors_emitted_header *headers)
{
    const cors_header *origin = NULL, *acrm = NULL, *acrh = NULL;
    for (const cors_header *h = rh, *end = rh + n; h < end; h++) {
        const char *name = h->name.ptr;
        size_t len = h->name.len;
        if (len == 6) {
            if (name != NULL && cors__is_origin_name(name)) {
                if (origin != NULL)
                    goto general;
                origin = h;
            }
        } else if (len == 29) {
            if (name != NULL && cors__is_acrm_name(name)) {
                if (acrm != NULL)
                    goto general;
                acrm = h;
            }
        } else if (len == 30) {
            if (name != NULL && cors__is_acrh_name(name)) {
                if (acrh != NULL)
                    goto general;
                acrh = h;
            }
        }
    }
    if (origin == NULL || acrm == NULL) /* not a preflight */
        goto general;
    cors_lines l = {origin, acrm, acrh, 1, 1, acrh != NULL};
    return answer_preflight(p, rh, n, &l, a, headers);
general:
    return answer_request(p, "OPTIONS", 7, rh, n, a, headers);
}

/* Every request cors_policy_answer's first test sends here: the arguments checked in full. */
static NOINLINE int32_t answer_general(const cors_policy *policy, const char *method, size_t method_len,
                                       const cors_header *rh, size_t n, cors_answer *answer,
                                       cors_emitted_header *headers, size_t capacity)
{
    if (answer == NULL || answer->struct_size < ANSWER_V0_SIZE || !cors__policy_is_valid(policy) ||
        (rh == NULL && n != 0) || (headers == NULL && capacity != 0) || (method == NULL && method_len != 0))
        return CORS_E_ARGUMENT;
    if (capacity < CORS_ANSWER_MAX_HEADERS)
        return answer_short(policy, method, method_len, rh, n, answer, headers, capacity);
    if (is_options(method, method_len)) /* maybe a preflight */
        return answer_request(policy, method, method_len, rh, n, answer, headers);
    return answer_not_options(policy, rh, n, answer, headers);
}

/* Most requests a server answers are actual requests from one of a few listed origins: with every
 * pointer given and room for any answer, they are found and answered here with no call. Anything
 * else jumps to answer_general (which checks the arguments in full), answer_request, or, once it
 * is known not to be OPTIONS, to answer_not_options, answer_reflected or answer_actual: each
 * gives the same lines for these as the others. */
int32_t cors_policy_answer(const cors_policy *policy, const char *method, size_t method_len,
                           const cors_header *rh, size_t n, cors_answer *answer, cors_emitted_header *headers,
                           size_t capacity)
{
    const cors_header *origin = NULL;

    if (policy == NULL || answer == NULL || rh == NULL || method == NULL || headers == NULL ||
        capacity < CORS_ANSWER_MAX_HEADERS || answer->struct_size < ANSWER_V0_SIZE ||
        !cors__policy_is_valid(policy))
        return answer_general(policy, method, method_len, rh, n, answer, headers, capacity);
    if (is_options(method, method_len)) /* maybe a preflight */
        return answer_options(policy, rh, n, answer, headers);
    for (const cors_header *h = rh, *end = rh + n; h < end; h++)
        if (h->name.len == 6 && h->name.ptr != NULL && cors__is_origin_name(h->name.ptr)) {
            if (origin != NULL) /* several: refused, over there */
                return answer_not_options(policy, rh, n, answer, headers);
            origin = h;
        }
    if (origin == NULL)
        return answer_actual(policy, NULL, 0, answer, headers);
    if (policy->actual_fast != 0 && origin->value.ptr != NULL &&
        origin->value.len - CORS__EXACT_FAST_MIN <= CORS__EXACT_FAST_MAX - CORS__EXACT_FAST_MIN &&
        cors__exact_scan_16_32(policy, origin->value, policy->actual_fast)) {
        out o = {policy, headers, 0}; /* finish_actual's lines for a policy that has no others:
                                        * actual_fast is 0 with credentials or exposed headers (policy.c) */
        emit(&o, EMIT_ACAO, origin->value, CORS_HEADER_SET);
        emit_actual_vary(&o);
        return finish(answer, CORS_ANSWER_ACTUAL, 1, 0, 0, &o);
    }
    if (policy->mode == MODE_REFLECT)
        return answer_reflected(policy, origin->value, answer, headers);
    return answer_actual(policy, origin, 1, answer, headers);
}

size_t cors_sizeof_emitted_header(void) { return sizeof(cors_emitted_header); }
size_t cors_sizeof_answer(void) { return sizeof(cors_answer); }
size_t cors_answer_max_headers(void) { return CORS_ANSWER_MAX_HEADERS; }
