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

/* ---- the answer ---- */

typedef struct out {
    const cors_policy *p;
    cors_emitted_header *h;
    size_t n, capacity;  /* n lines made, the first capacity stored */
} out;

/* The name is the policy's copy of the canonical spelling, so emitting calls nothing. */
static inline void emit(out *o, int name, cors_str value, int32_t action)
{
    if (o->n < o->capacity) {
        cors_emitted_header *e = &o->h[o->n];
        e->name = cors__policy_str(o->p, o->p->name[name]);
        e->value = value;
        e->action = action;
        e->reserved = 0;
    }
    o->n++;
}

static const cors_str VARY_PREFLIGHT = CORS_LIT_INIT("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
static const cors_str VARY_PREFLIGHT_ANY = CORS_LIT_INIT("Access-Control-Request-Method, Access-Control-Request-Headers");

/* The method step: a listed method is echoed, a safelisted one too when listed (browsers need no
 * Access-Control-Allow-Methods for it, Galxe's checker does); returns the refusing field or 0. */
static int32_t method_step(const cors_policy *p, const cors_header *acrm, size_t acrms, out *o)
{
    cors_str m = acrm->value;
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
static int32_t headers_step(const cors_policy *p, const cors_header *rh, size_t n, size_t acrh_i, size_t acrhs,
                            out *o)
{
    bool credentials = (p->flags & CORS_POLICY_CREDENTIALS) != 0;
    cors_str acah = cors__policy_str(p, p->acah);
    if (!cors__match_header_lines(p, rh, acrh_i, n, acrhs) || (p->any_header && credentials && acrhs > 1)) {
        /* jub0bs debug: the list that would have matched; never "*", which Chromium lets cover Authorization */
        if ((p->flags & CORS_POLICY_DEBUG) && !p->any_header && acah.len > 0)
            emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
        return CORS_FIELD_REQUEST_HEADERS;
    }
    if ((p->any_header && !credentials) || acrhs > 1)
        emit(o, EMIT_ACAH, acah, CORS_HEADER_SET);
    else if (rh[acrh_i].value.len > 0)
        emit(o, EMIT_ACAH, rh[acrh_i].value, CORS_HEADER_SET);
    return 0;
}

/* Fetch: CORS-preflight fetch, step 7: the CORS check, the methods, the headers, in that order. */
static void preflight(const cors_policy *p, const cors_header *rh, size_t n, const size_t at[3],
                      const size_t count[3], cors_answer *a, out *o)
{
    a->kind = CORS_ANSWER_PREFLIGHT;
    if (count[0] != 1 || !cors__origin_allowed(p, rh[at[0]].value)) {
        a->refused_by = CORS_FIELD_ORIGINS; /* no CORS header at all: jub0bs preflightFailStatus */
    } else {
        emit(o, EMIT_ACAO, p->mode == MODE_ANY ? CORS_LIT("*") : rh[at[0]].value, CORS_HEADER_SET);
        if (p->flags & CORS_POLICY_CREDENTIALS)
            emit(o, EMIT_ACAC, CORS_LIT("true"), CORS_HEADER_SET);
        a->refused_by = method_step(p, &rh[at[1]], count[1], o);
        if (a->refused_by == 0 && count[2] > 0)
            a->refused_by = headers_step(p, rh, n, at[2], count[2], o);
    }
    if (a->refused_by == 0) {
        a->allowed = 1;
        a->status_code = p->preflight_status;
        if (p->acma.len > 0)
            emit(o, EMIT_ACMA, cors__policy_str(p, p->acma), CORS_HEADER_SET);
    } else if ((p->flags & CORS_POLICY_DEBUG) && a->refused_by != CORS_FIELD_ORIGINS) {
        a->status_code = p->preflight_status; /* the success status and what matched: the console names the culprit */
    } else {
        a->status_code = PREFLIGHT_REFUSED_STATUS;
        o->n = 0;
    }
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
    if (origins == 1 && cors__origin_allowed(p, rh[origin_i].value)) {
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
    out o = {policy, headers, 0, capacity};
    /* where Origin, Access-Control-Request-Method and -Headers first are, and how many lines each has */
    size_t at[3] = {0, 0, 0}, count[3] = {0, 0, 0};

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
        int k;
        switch (rh[i].name.len) {
        case 6: k = p != NULL && is_origin_name(p) ? 0 : -1; break;
        case 29: k = p != NULL && is_acrm_name(p) ? 1 : -1; break;
        case 30: k = p != NULL && is_acrh_name(p) ? 2 : -1; break;
        default: k = -1; break;
        }
        if (k >= 0 && count[k]++ == 0)
            at[k] = i;
    }
    /* Fetch: a CORS-preflight request is OPTIONS with Origin and Access-Control-Request-Method */
    if (count[0] > 0 && count[1] > 0 && method_len == 7 && memcmp(method, "OPTIONS", 7) == 0)
        preflight(policy, rh, n, at, count, answer, &o);
    else
        actual(policy, rh, at[0], count[0], answer, &o);
    answer->header_count = o.n;
    return o.n > capacity ? CORS_E_BUFFER_TOO_SMALL : CORS_OK;
}

size_t cors_sizeof_emitted_header(void) { return sizeof(cors_emitted_header); }
size_t cors_sizeof_answer(void) { return sizeof(cors_answer); }
size_t cors_answer_max_headers(void) { return CORS_ANSWER_MAX_HEADERS; }
