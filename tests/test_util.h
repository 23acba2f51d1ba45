/* SPDX-License-Identifier: MIT */
/* test_util.h - shared helpers of the cmocka test programs.
 *
 * Programs that use the guard-page helpers define _DEFAULT_SOURCE (for mmap's
 * MAP_ANONYMOUS under -std=c11) before their first #include.
 */
#ifndef CORS_TEST_UTIL_H
#define CORS_TEST_UTIL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libcors.h"

#define STR(lit) ((cors_str){(lit), sizeof(lit) - 1})
#define STR_INIT(lit) {(lit), sizeof(lit) - 1} /* the same in static initializers */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static inline cors_str str_z(const char *z)
{
    cors_str s = {z, z ? strlen(z) : 0};
    return s;
}

static inline int span_is(const cors_report *r, cors_span s, const char *z)
{
    return s.length == strlen(z) && memcmp(r->text + s.offset, z, s.length) == 0;
}

/* Whether the span holds the C string somewhere. */
static inline int span_contains(const cors_report *r, cors_span s, const char *z)
{
    size_t n = strlen(z);
    for (size_t i = 0; n <= s.length && i <= s.length - n; i++)
        if (memcmp(r->text + s.offset + i, z, n) == 0)
            return 1;
    return 0;
}

/* Compare a span with a C string and fail the test with both shown. */
#define assert_span(report, span, z)                                                                   \
    do {                                                                                               \
        const cors_report *r_ = (report);                                                              \
        cors_span s_ = (span);                                                                         \
        if (!span_is(r_, s_, (z)))                                                                     \
            fail_msg("span '%.*s' != '%s'", (int)s_.length, r_->text + s_.offset, (z));                \
    } while (0)

/* Compare a cors_str with a C string. */
#define assert_str(s, z)                                                                               \
    do {                                                                                               \
        cors_str s_ = (s);                                                                             \
        const char *z_ = (z);                                                                          \
        if (!(s_.len == strlen(z_) && (s_.len == 0 || memcmp(s_.ptr, z_, s_.len) == 0)))               \
            fail_msg("'%.*s' != '%s'", (int)s_.len, s_.ptr ? s_.ptr : "", z_);                         \
    } while (0)

/* Every stored span of a complete report lies inside its text, and every
 * count within its capacity. */
static inline int report_spans_in_bounds(const cors_report *r)
{
    const cors_span *fixed[] = {&r->method, &r->acr_method, &r->acr_headers};
    if (r->needs & CORS_NEED_ROOM)
        return r->finding_count > r->findings_capacity || r->readable_count > r->readable_capacity ||
               r->text_length > r->text_capacity;
    if (r->text_length > r->text_capacity || r->finding_count > r->findings_capacity ||
        r->readable_count > r->readable_capacity)
        return 0;
    for (size_t i = 0; i < COUNT(fixed); i++)
        if ((uint64_t)fixed[i]->offset + fixed[i]->length > r->text_length)
            return 0;
    for (size_t i = 0; i < r->finding_count; i++) {
        const cors_finding *f = &r->findings[i];
        const cors_span *s[] = {&f->header, &f->value, &f->message, &f->fix};
        for (size_t k = 0; k < COUNT(s); k++)
            if ((uint64_t)s[k]->offset + s[k]->length > r->text_length)
                return 0;
    }
    for (size_t i = 0; i < r->readable_count; i++)
        if ((uint64_t)r->readable[i].offset + r->readable[i].length > r->text_length)
            return 0;
    return 1;
}

/* The first finding with this code, or NULL. */
static inline const cors_finding *find_finding(const cors_report *r, int32_t code)
{
    size_t n = r->finding_count < r->findings_capacity ? r->finding_count : r->findings_capacity;
    for (size_t i = 0; i < n; i++)
        if (r->findings[i].code == code)
            return &r->findings[i];
    return NULL;
}

/* ---- lent buffers and parsed heads shared by the test programs ---- */

/* A report and three buffers large enough for any exchange of a table row. */
typedef struct big_report {
    cors_report report;
    cors_finding findings[128];
    cors_span readable[1024];
    char text[1 << 16];
} big_report;

/* Lend b's buffers to its report (after poisoning them, so that a test sees
 * only what the library wrote) and return the report. */
static inline cors_report *big_report_lend(big_report *b)
{
    memset(b->findings, 0xab, sizeof(b->findings));
    memset(b->readable, 0xab, sizeof(b->readable));
    memset(b->text, 0xab, sizeof(b->text));
    cors_report_init(&b->report, sizeof(b->report), b->findings, COUNT(b->findings), b->readable,
                     COUNT(b->readable), b->text, sizeof(b->text));
    return &b->report;
}

/* A response head parsed into its own header array. */
typedef struct parsed_head {
    cors_header headers[256];
    cors_response response;
} parsed_head;

/* Parse a NUL-terminated head (CRLF or LF line ends) or fail the test. */
static inline const cors_response *parsed_head_init(parsed_head *h, const char *text)
{
    cors_error err;
    int32_t st;
    cors_response_init(&h->response, sizeof(h->response));
    st = cors_response_parse(text, strlen(text), 0, h->headers, COUNT(h->headers), &h->response, &err);
    if (st != CORS_OK)
        fail_msg("head does not parse: %s at %zu line %d: %s", cors_status_name(st), err.offset, (int)err.line,
                 text);
    return &h->response;
}

/* The readable names of a complete report joined with ",", or "-" for none. */
static inline const char *readable_joined(const cors_report *r, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->readable_count && i < r->readable_capacity; i++) {
        cors_span s = r->readable[i];
        if (n + s.length + 2 > cap)
            fail_msg("readable names longer than %zu bytes", cap);
        if (i > 0)
            buf[n++] = ',';
        memcpy(buf + n, r->text + s.offset, s.length);
        n += s.length;
        buf[n] = '\0';
    }
    return n == 0 ? "-" : buf;
}

#ifdef CORS_INTERNAL_H
/* ---- an evaluation at hop 1, set up as lib/evaluate.c does, for the unit
 * tests of one algorithm (check.c, preflight.c, redirect.c, ...); include
 * internal.h before this header ---- */

typedef struct test_eval {
    cors__eval ev;
    cors__chain chain;
    cors_request request;
    parsed_head preflight, response;
} test_eval;

/* origin NULL: https://app.example; method NULL: GET; the request's URL is
 * not known (an https URL of another origin), as with request.url empty. */
static inline void test_eval_init(test_eval *t, const char *origin, const char *method, int32_t credentials,
                                  const cors_header *headers, size_t header_count, int32_t rules, bool strict,
                                  cors_report *r)
{
    cors__request_override ov = {-1, NULL, 0};
    cors_origin o;
    memset(&t->ev, 0, sizeof(t->ev));
    memset(&t->chain, 0, sizeof(t->chain));
    cors_request_init(&t->request, sizeof(t->request));
    t->request.origin = str_z(origin ? origin : "https://app.example");
    t->request.method = str_z(method ? method : "GET");
    t->request.credentials = credentials;
    t->request.headers = headers;
    t->request.header_count = header_count;
    assert_int_equal(cors_origin_parse(t->request.origin.ptr, t->request.origin.len, &o, NULL), CORS_OK);
    cors__url_origin_of(&o, &t->chain.page);
    t->chain.url.origin.tuple = true;
    memcpy(t->chain.url.origin.scheme, "https", 5);
    t->chain.url.origin.scheme_len = 5;
    t->chain.url.origin.port = -1;
    t->chain.cors_flag = true;
    t->ev.rules = cors__rules_get(rules);
    assert_non_null(t->ev.rules);
    t->ev.strict = strict;
    t->ev.request = &t->request;
    t->ev.origin = t->request.origin;
    t->ev.hop = 1;
    t->ev.chain = &t->chain;
    ov.credentials = t->ev.rules->credentials;
    assert_int_equal(cors__request_model_build(&t->ev, &ov, r, NULL), CORS_OK);
}

/* The preflight's or the response's grant, from a head. */
static inline const cors__grant *test_eval_preflight(test_eval *t, const char *head)
{
    cors__grant_build(parsed_head_init(&t->preflight, head), &t->ev.preflight_grant);
    t->ev.preflight = &t->ev.preflight_grant;
    return t->ev.preflight;
}

static inline const cors__grant *test_eval_response(test_eval *t, const char *head)
{
    cors__grant_build(parsed_head_init(&t->response, head), &t->ev.response_grant);
    t->ev.response = &t->ev.response_grant;
    return t->ev.response;
}
#endif

#ifdef _DEFAULT_SOURCE
/* ---- guard pages: bytes placed so that the byte after them is PROT_NONE ---- */
#include <sys/mman.h>
#include <unistd.h>

typedef struct guard {
    char *map;        /* whole mapping */
    size_t map_len;
    char *fence;      /* first byte of the PROT_NONE page */
    size_t capacity;  /* bytes available before the fence */
} guard;

/* Map enough readable pages for `capacity` bytes, followed by one PROT_NONE page. */
static inline void guard_init(guard *g, size_t capacity)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data = (capacity + page - 1) / page * page;
    if (data == 0)
        data = page;
    g->map_len = data + page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(g->map != MAP_FAILED);
    g->fence = g->map + data;
    g->capacity = data;
    assert_int_equal(mprotect(g->fence, page, PROT_NONE), 0);
}

/* Copy n bytes to end exactly at the fence; returns where they start. */
static inline const char *guard_place(guard *g, const void *p, size_t n)
{
    assert_true(n <= g->capacity);
    if (n > 0)
        memcpy(g->fence - n, p, n);
    return g->fence - n;
}

static inline void guard_free(guard *g)
{
    munmap(g->map, g->map_len);
    memset(g, 0, sizeof(*g));
}
#endif

#endif
