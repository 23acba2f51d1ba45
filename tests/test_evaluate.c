/* SPDX-License-Identifier: MIT */
/*
 * test_evaluate.c - lib/evaluate.c and the rules' contracts, through
 * cors_evaluate: the arguments and what NULL does; CORS_E_BAD_ORIGIN with
 * err->offset; CORS_E_BAD_RULES; a request header with a NULL pointer with
 * err->index; report.needs (preflight, response, redirect target) and the
 * partial report each promises; every error kind with its finding (code,
 * severity, stage, header, value, fix); the fixes, applied, lead to success;
 * no allocation (a malloc interposer counts calls); the same inputs give the
 * same bytes, in four threads at once too; NULL pointers with a length in
 * the caller's headers (request or response) are CORS_E_ARGUMENT with
 * err->index. The network stack's kinds are test_network's, the chain's
 * test_chain's.
 *
 * What a given exchange's verdict is belongs to the corpus
 * (tests/corpus/NAME.case); the rows below are the ones whose findings it
 * cannot check.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_alloc.h"
#include "test_util.h"

/* ------------------------------------------------------------------------ */
/* Exchanges                                                                 */
/* ------------------------------------------------------------------------ */

#define ORIGIN "https://app.example"

typedef struct name_value {
    const char *name;
    const char *value;
} name_value;

typedef struct exchange {
    cors_header req_headers[8];
    cors_request request;
    cors_options options;
    parsed_head preflight, response;
    int has_preflight, has_response;
} exchange;

typedef struct exchange_spec {
    int32_t rules;
    const char *origin; /* NULL: ORIGIN */
    const char *method;
    int32_t credentials;
    int strict;
    name_value headers[4];
    const char *preflight;
    const char *response;
} exchange_spec;

static void exchange_init(exchange *x, const exchange_spec *s, const char *preflight, const char *response)
{
    size_t n = 0;
    memset(x, 0, sizeof(*x));
    for (; n < COUNT(s->headers) && s->headers[n].name != NULL; n++) {
        x->req_headers[n].name = str_z(s->headers[n].name);
        x->req_headers[n].value = str_z(s->headers[n].value);
    }
    cors_request_init(&x->request, sizeof(x->request));
    x->request.origin = str_z(s->origin ? s->origin : ORIGIN);
    x->request.method = str_z(s->method);
    x->request.headers = x->req_headers;
    x->request.header_count = n;
    x->request.credentials = s->credentials;
    cors_options_init(&x->options, sizeof(x->options));
    x->options.rules = s->rules;
    x->options.flags = s->strict ? CORS_OPTION_STRICT : 0;
    if (preflight != NULL) {
        parsed_head_init(&x->preflight, preflight);
        x->has_preflight = 1;
    }
    if (response != NULL) {
        parsed_head_init(&x->response, response);
        x->has_response = 1;
    }
}

static int32_t exchange_evaluate(const exchange *x, cors_report *r, cors_error *err)
{
    return cors_evaluate(&x->options, &x->request, x->has_preflight ? &x->preflight.response : NULL,
                         x->has_response ? &x->response.response : NULL, r, err);
}

/* The report's error finding for the stage it failed at. */
static const cors_finding *failure_finding(const cors_report *r)
{
    for (size_t i = 0; i < r->finding_count; i++)
        if (r->findings[i].severity == CORS_SEVERITY_ERROR && r->findings[i].stage == r->failed_at)
            return &r->findings[i];
    return NULL;
}

static const int32_t reserved_codes[] = {CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS,
                                         CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED, CORS_FINDING_REFLECT_CREDENTIALS,
                                         CORS_FINDING_PREFLIGHT_NOT_NEEDED};

static void assert_no_reserved_code(const cors_report *r, const char *label)
{
    for (size_t i = 0; i < r->finding_count; i++)
        for (size_t k = 0; k < COUNT(reserved_codes); k++)
            if (r->findings[i].code == reserved_codes[k])
                fail_msg("%s: reserved code %s reported", label, cors_finding_name(reserved_codes[k]));
}

#define RS_STAR "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
#define RS_EXACT "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nVary: Origin\r\n\r\n"
#define RS_CRED                                                                                        \
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: " \
    "true\r\nVary: Origin\r\n\r\n"
#define PF_PUT                                                                                         \
    "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "      \
    "PUT\r\nAccess-Control-Allow-Headers: x-token\r\n\r\n"
#define FIX_ACAO "Access-Control-Allow-Origin: " ORIGIN "\nVary: Origin"
#define FIX_ACAO_CRED "Access-Control-Allow-Origin: " ORIGIN "\nAccess-Control-Allow-Credentials: true\nVary: Origin"
#define FIX_204 "HTTP/1.1 204 No Content"
#define ACAO "Access-Control-Allow-Origin"
#define ACAC "Access-Control-Allow-Credentials"

enum { OMIT = CORS_CREDENTIALS_OMIT, INCLUDE = CORS_CREDENTIALS_INCLUDE };

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */
/* ------------------------------------------------------------------------ */

static const exchange_spec put_spec = {.method = "PUT", .credentials = OMIT, .headers = {{"X-Token", "1"}}};

#define EXPECT_STATUS(call, want, want_index)                                                          \
    do {                                                                                               \
        int32_t st_;                                                                                   \
        memset(&err, 0xab, sizeof(err));                                                               \
        st_ = (call);                                                                                  \
        if (st_ != (want) || err.status != (want) || err.offset != 0 || err.line != 0 ||               \
            err.index != (size_t)(want_index))                                                         \
            fail_msg("%s: %s (err %s at %zu index %zu), want %s", #call, cors_status_name(st_),        \
                     cors_status_name(err.status), err.offset, err.index, cors_status_name(want));     \
    } while (0)

static void test_arguments(void **state)
{
    static exchange x;
    static big_report b;
    cors_report *r;
    cors_error err;
    cors_options opt;
    cors_request req;
    cors_response bad;
    const cors_response *pf, *rs;
    (void)state;
    exchange_init(&x, &put_spec, PF_PUT, RS_STAR);
    pf = &x.preflight.response;
    rs = &x.response.response;
    r = big_report_lend(&b);

    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, NULL, &err), CORS_E_ARGUMENT, SIZE_MAX);
    r->struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    r->struct_size = sizeof(*r);

    opt = x.options;
    opt.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    opt = x.options;
    opt.flags = 2; /* unknown flag */
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    opt.flags = CORS_OPTION_STRICT | 0x80000000u;
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);

    EXPECT_STATUS(cors_evaluate(&x.options, NULL, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req = x.request;
    req.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req = x.request;
    req.credentials = 3;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req.credentials = -1;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req = x.request;
    req.headers = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req = x.request;
    req.method.ptr = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    req = x.request;
    req.origin.ptr = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);

    /* a response whose header array is missing */
    bad = *rs;
    bad.headers = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, &bad, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, &bad, rs, r, &err), CORS_E_ARGUMENT, SIZE_MAX);
    bad = *rs;
    bad.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, &bad, r, &err), CORS_E_ARGUMENT, SIZE_MAX);

    /* after an argument error the report holds no verdict, and keeps its buffers */
    assert_int_equal(r->struct_size, sizeof(*r));
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->needs, 0);
    assert_int_equal(r->finding_count, 0);
    assert_int_equal(r->text_length, 0);
    assert_ptr_equal(r->findings, b.findings);
    assert_ptr_equal(r->text, b.text);

    /* the same call with good arguments works; NULL options mean rules browser without flags */
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, r, &err), CORS_OK, SIZE_MAX);
    assert_int_equal(r->ok, 1);
    EXPECT_STATUS(cors_evaluate(NULL, &x.request, pf, rs, r, &err), CORS_OK, SIZE_MAX);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->rules, CORS_RULES_BROWSER);
    /* err is optional */
    assert_int_equal(cors_evaluate(&x.options, NULL, pf, rs, r, NULL), CORS_E_ARGUMENT);
    assert_int_equal(cors_evaluate(&x.options, &x.request, pf, rs, r, NULL), CORS_OK);
}

static void test_request_and_options_init(void **state)
{
    cors_request req;
    cors_options opt;
    (void)state;
    memset(&req, 0xab, sizeof(req));
    memset(&opt, 0xab, sizeof(opt));
    cors_request_init(&req, sizeof(req));
    cors_options_init(&opt, sizeof(opt));
    assert_int_equal(req.struct_size, sizeof(req));
    assert_null(req.origin.ptr);
    assert_null(req.method.ptr);
    assert_null(req.headers);
    assert_int_equal(req.header_count, 0);
    assert_int_equal(req.credentials, CORS_CREDENTIALS_SAME_ORIGIN);
    assert_int_equal(req.body, 0);
    assert_null(req.url.ptr);
    assert_int_equal(req.url.len, 0);
    assert_int_equal(opt.struct_size, sizeof(opt));
    assert_int_equal(opt.rules, CORS_RULES_BROWSER);
    assert_int_equal(opt.flags, 0);
    /* NULL is accepted; a size that cannot hold struct_size writes nothing */
    cors_request_init(NULL, sizeof(req));
    cors_options_init(NULL, sizeof(opt));
    memset(&req, 0xab, sizeof(req));
    memset(&opt, 0xab, sizeof(opt));
    cors_request_init(&req, sizeof(size_t) - 1);
    cors_options_init(&opt, 0);
    assert_int_equal(req.struct_size, (size_t)0xabababababababab);
    assert_int_equal(opt.struct_size, (size_t)0xabababababababab);
}

static void test_bad_rules(void **state)
{
    static const int32_t bad_rules[] = {3, -1, 100, INT32_MIN, INT32_MAX};
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    cors_error err;
    exchange_spec bad_origin = put_spec;
    (void)state;
    for (size_t i = 0; i < COUNT(bad_rules); i++) {
        exchange_init(&x, &put_spec, PF_PUT, RS_STAR);
        x.options.rules = bad_rules[i];
        EXPECT_STATUS(exchange_evaluate(&x, r, &err), CORS_E_BAD_RULES, SIZE_MAX);
        assert_int_equal(r->ok, 0);
        assert_int_equal(r->finding_count, 0);
        assert_int_equal(r->struct_size, sizeof(*r));
    }
    /* the rule set is checked before the origin */
    bad_origin.origin = "HTTPS://app.example";
    exchange_init(&x, &bad_origin, PF_PUT, RS_STAR);
    x.options.rules = 3;
    EXPECT_STATUS(exchange_evaluate(&x, r, &err), CORS_E_BAD_RULES, SIZE_MAX);
}

/* A request header with a NULL pointer and a length: CORS_E_ARGUMENT with its index. */
static void test_null_request_header(void **state)
{
    static const struct {
        cors_header headers[3];
        size_t count, index;
    } rows[] = {
        {.headers = {{{NULL, 3}, STR_INIT("v")}}, .count = 1, .index = 0},
        {.headers = {{STR_INIT("Cookie"), STR_INIT("a")}, {STR_INIT("X-B"), STR_INIT("1")}, {{NULL, 1}, STR_INIT("v")}},
         .count = 3, .index = 2},
        /* NULL with length 0 is the empty string: an empty value is fine */
        {.headers = {{STR_INIT("X-A"), {NULL, 0}}}, .count = 1, .index = SIZE_MAX},
    };
    static big_report b;
    cors_request req;
    cors_error err;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_report *r = big_report_lend(&b);
        int32_t want = rows[i].index == SIZE_MAX ? CORS_OK : CORS_E_ARGUMENT;
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.headers = rows[i].headers;
        req.header_count = rows[i].count;
        EXPECT_STATUS(cors_evaluate(NULL, &req, NULL, NULL, r, &err), want, rows[i].index);
        if (want != CORS_OK) {
            assert_int_equal(r->ok, 0);
            assert_int_equal(r->preflight, 0);
            assert_int_equal(r->needs, 0);
        }
    }
}

static void test_bad_origin(void **state)
{
    static const struct {
        const char *origin;
        size_t offset;
    } rows[] = {
        {.origin = "https://app.example/", .offset = 19},
        {.origin = "HTTPS://app.example", .offset = 0},
        {.origin = "", .offset = 0},
        {.origin = "https://app.example:443", .offset = 19},
        {.origin = "app.example", .offset = 11},
        {.origin = "*", .offset = 0},
        {.origin = "null ", .offset = 4},
        {.origin = "https://[::1", .offset = 12},
    };
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        exchange_spec s = {.origin = rows[i].origin, .method = "GET", .credentials = OMIT};
        cors_error err;
        exchange_init(&x, &s, NULL, RS_STAR);
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(exchange_evaluate(&x, r, &err), CORS_E_BAD_ORIGIN);
        assert_int_equal(err.status, CORS_E_BAD_ORIGIN);
        if (err.offset != rows[i].offset || err.line != 0 || err.index != SIZE_MAX)
            fail_msg("'%s': offset %zu line %d index %zu, want %zu", rows[i].origin, err.offset, (int)err.line,
                     err.index, rows[i].offset);
        assert_int_equal(r->ok, 0);
        assert_int_equal(r->finding_count, 0);
        assert_int_equal(r->method.length, 0);
    }
    /* an opaque origin is an origin */
    {
        exchange_spec s = {.origin = "null", .method = "GET", .credentials = OMIT};
        exchange_init(&x, &s, NULL, RS_STAR);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        assert_int_equal(r->ok, 1);
    }
}

static void test_rules_echoed(void **state)
{
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    exchange_spec s = {.method = "GET", .credentials = OMIT};
    (void)state;
    for (int32_t rules = CORS_RULES_BROWSER; rules <= CORS_RULES_REFLECT; rules++) {
        s.rules = rules;
        exchange_init(&x, &s, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_STAR);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        assert_int_equal(r->rules, rules);
        assert_true(report_spans_in_bounds(r));
    }
}

/* ------------------------------------------------------------------------ */
/* What a report still needs                                                 */
/* ------------------------------------------------------------------------ */

static void test_need_preflight(void **state)
{
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    exchange_spec s = {.method = "put", .credentials = INCLUDE,
                       .headers = {{"X-Token", "1"}, {"Content-Type", "application/json"}, {"DPR", "2"}}};
    (void)state;
    /* without a preflight, even with an actual response */
    exchange_init(&x, &s, NULL, RS_STAR);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, CORS_NEED_PREFLIGHT);
    assert_true(report_spans_in_bounds(r));
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->failed_at, CORS_STAGE_NONE);
    assert_int_equal(r->kind, CORS_KIND_NONE);
    /* what is decided before the preflight is in */
    assert_int_equal(r->preflight, 1);
    assert_int_equal(r->has_acr_method, 1);
    assert_int_equal(r->has_acr_headers, 1);
    assert_span(r, r->method, "PUT");
    assert_span(r, r->acr_method, "PUT");
    assert_span(r, r->acr_headers, "content-type,x-token");
    assert_non_null(find_finding(r, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED));
    /* and nothing after it */
    assert_int_equal(r->has_cache_seconds, 0);
    assert_int_equal(r->readable_count, 0);
    assert_int_equal(r->finding_count, 1);
    /* with no room lent, both bits */
    cors_report_init(r, sizeof(*r), NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, CORS_NEED_PREFLIGHT | CORS_NEED_ROOM);
}

static void test_need_response(void **state)
{
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    exchange_spec simple = {.method = "GET", .credentials = OMIT, .headers = {{"DPR", "2"}}};
    exchange_spec del = {.method = "DELETE", .credentials = OMIT, .headers = {{"X-Token", "1"}}};
    (void)state;

    /* a simple request: no preflight; the findings so far are kept */
    exchange_init(&x, &simple, NULL, NULL);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, CORS_NEED_RESPONSE);
    assert_int_equal(r->preflight, 0);
    assert_int_equal(r->has_acr_method, 0);
    assert_span(r, r->method, "GET");
    assert_non_null(find_finding(r, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED));
    /* a preflight given though none is sent is not read */
    exchange_init(&x, &simple, "HTTP/1.1 500 Oops\r\n\r\n", NULL);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, CORS_NEED_RESPONSE);
    assert_int_equal(r->failed_at, CORS_STAGE_NONE);

    /* a passing preflight: its verdict and cache lifetime are in */
    exchange_init(&x, &del,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                  "DELETE\r\nAccess-Control-Allow-Headers: X-Token\r\nAccess-Control-Max-Age: 600\r\n\r\n",
                  NULL);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, CORS_NEED_RESPONSE);
    assert_int_equal(r->preflight, 1);
    assert_int_equal(r->failed_at, CORS_STAGE_NONE);
    assert_int_equal(r->has_cache_seconds, 1);
    assert_int_equal(r->preflight_cache_seconds, 600);
    assert_span(r, r->acr_headers, "x-token");

    /* a failing preflight is a verdict: the actual response is never needed */
    exchange_init(&x, &del, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n", NULL);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->needs, 0);
    assert_int_equal(r->failed_at, CORS_STAGE_PREFLIGHT);
    assert_int_equal(r->kind, CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE);
    assert_int_equal(r->has_cache_seconds, 1);
    assert_int_equal(r->preflight_cache_seconds, 0);

    /* galxe judges the preflight alone */
    {
        exchange_spec galxe = {.rules = CORS_RULES_GALXE, .origin = "https://dashboard.galxe.com", .method = "POST"};
        exchange_init(&x, &galxe,
                      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                      "POST\r\nAccess-Control-Allow-Headers: content-type\r\n\r\n",
                      NULL);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        assert_int_equal(r->needs, 0);
        assert_int_equal(r->ok, 1);
        exchange_init(&x, &galxe, NULL, RS_STAR);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        assert_int_equal(r->needs, CORS_NEED_PREFLIGHT);
    }
}

static void test_need_redirect_target(void **state)
{
    static const struct {
        const char *label;
        const char *response;
        int needs;
        int32_t kind;
        const char *location;
    } rows[] = {
        {.label = "302 to another origin",
         .response = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\nLocation: https://b.example/x\r\n\r\n",
         .needs = CORS_NEED_REDIRECT_TARGET, .location = "https://b.example/x"},
        {.label = "a relative 307",
         .response = "HTTP/1.1 307 Temporary Redirect\r\nAccess-Control-Allow-Origin: *\r\nLocation: /v2/x\r\n\r\n",
         .needs = CORS_NEED_REDIRECT_TARGET, .location = "/v2/x"},
        {.label = "every redirect status: 301",
         .response = "HTTP/1.1 301 Moved\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
         .needs = CORS_NEED_REDIRECT_TARGET, .location = "/a"},
        {.label = "303", .response = "HTTP/1.1 303 See Other\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
         .needs = CORS_NEED_REDIRECT_TARGET, .location = "/a"},
        {.label = "308", .response = "HTTP/1.1 308 Permanent\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
         .needs = CORS_NEED_REDIRECT_TARGET, .location = "/a"},
        /* an empty Location leaves a plain response; 300 is not followed */
        {.label = "an empty Location", .response = "HTTP/1.1 302 Found\r\nLocation:\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
         .needs = 0},
        {.label = "300", .response = "HTTP/1.1 300 Choices\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
         .needs = 0},
        /* a redirect that fails the CORS check is a verdict */
        {.label = "a redirect without ACAO", .response = "HTTP/1.1 302 Found\r\nLocation: https://b.example/\r\n\r\n",
         .needs = 0, .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER},
    };
    static exchange x;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    exchange_spec s = {.method = "GET", .credentials = OMIT};
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const cors_finding *f;
        exchange_init(&x, &s, NULL, rows[i].response);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        if (r->needs != rows[i].needs || r->kind != rows[i].kind)
            fail_msg("%s: needs %d kind %s", rows[i].label, (int)r->needs, cors_kind_name(r->kind));
        f = find_finding(r, CORS_FINDING_REDIRECT_FOLLOWED);
        if (rows[i].needs == 0) {
            assert_null(f);
            continue;
        }
        /* no verdict yet, nothing readable: the page gets the target's response */
        assert_int_equal(r->ok, 0);
        assert_int_equal(r->failed_at, CORS_STAGE_NONE);
        assert_int_equal(r->readable_count, 0);
        assert_non_null(f);
        assert_int_equal(f->severity, CORS_SEVERITY_INFO);
        assert_int_equal(f->stage, CORS_STAGE_RESPONSE);
        assert_span(r, f->header, "Location");
        assert_span(r, f->value, rows[i].location);
    }
}

/* ------------------------------------------------------------------------ */
/* Error kinds and their findings                                            */
/* ------------------------------------------------------------------------ */

typedef struct kind_row {
    const char *label;
    exchange_spec x;
    int32_t ok;
    int32_t failed_at;
    int32_t kind;
    int32_t finding;    /* 0: none to check */
    int32_t severity;
    const char *header; /* expected spans of the finding */
    const char *value;
    const char *fix;    /* NULL: any non-empty fix */
} kind_row;

#define REQ(method_, cred_, ...) {.method = method_, .credentials = cred_, __VA_ARGS__}

static const kind_row kind_rows[] = {
    /* the actual response */
    {.label = "no ACAO", .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "",
     .fix = FIX_ACAO},
    {.label = "no ACAO, credentialed", .x = REQ("GET", INCLUDE, .response = "HTTP/1.1 200 OK\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "",
     .fix = FIX_ACAO_CRED},
    {.label = "* with credentials", .x = REQ("GET", INCLUDE, .response = RS_STAR), .failed_at = CORS_STAGE_RESPONSE,
     .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS,
     .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "*", .fix = FIX_ACAO_CRED},
    {.label = "* with credentials and ACAC true",
     .x = REQ("GET", INCLUDE, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                                          "Access-Control-Allow-Credentials: true\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED,
     .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "*", .fix = FIX_ACAO_CRED},
    {.label = "two ACAO lines: the value joined",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                                       "\r\naccess-control-allow-origin: " ORIGIN "\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = ORIGIN ", " ORIGIN, .fix = FIX_ACAO},
    {.label = "* and an empty line",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                                       "Access-Control-Allow-Origin:\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "*, ",
     .fix = FIX_ACAO},
    {.label = "a space-separated list",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a.example " ORIGIN
                                       "\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "https://a.example " ORIGIN, .fix = FIX_ACAO},
    {.label = "trailing slash",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "/\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = ORIGIN "/",
     .fix = FIX_ACAO},
    {.label = "uppercase host",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://APP.EXAMPLE\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "https://APP.EXAMPLE", .fix = FIX_ACAO},
    {.label = "explicit default port",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN ":443\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = ORIGIN ":443", .fix = FIX_ACAO},
    {.label = "null for a real origin",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "null",
     .fix = FIX_ACAO},
    {.label = "not a URL",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: app.example\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "app.example", .fix = FIX_ACAO},
    {.label = "port out of range",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN ":99999\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = ORIGIN ":99999", .fix = FIX_ACAO},
    {.label = "empty ACAO", .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "",
     .fix = FIX_ACAO},
    {.label = "ACAC True",
     .x = REQ("GET", INCLUDE, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                                          "\r\nAccess-Control-Allow-Credentials: True\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS,
     .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAC,
     .value = "True", .fix = "Access-Control-Allow-Credentials: true"},
    {.label = "ACAC missing", .x = REQ("GET", INCLUDE, .response = RS_EXACT), .failed_at = CORS_STAGE_RESPONSE,
     .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS, .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     .severity = CORS_SEVERITY_ERROR, .header = ACAC, .value = "", .fix = "Access-Control-Allow-Credentials: true"},
    {.label = "ACAC on two lines",
     .x = REQ("GET", INCLUDE, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                                          "\r\nAccess-Control-Allow-Credentials: true\r\n"
                                          "Access-Control-Allow-Credentials: true\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS,
     .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAC,
     .value = "true, true", .fix = "Access-Control-Allow-Credentials: true"},
    {.label = "origin checked before credentials",
     .x = REQ("GET", INCLUDE, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://other.example\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "https://other.example", .fix = FIX_ACAO_CRED},
    /* allowed, with a warning and its fix */
    {.label = "opaque origin and ACAO null: no Vary",
     .x = REQ("GET", OMIT, .origin = "null", .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n\r\n"),
     .ok = 1, .finding = CORS_FINDING_VARY_ORIGIN_MISSING, .severity = CORS_SEVERITY_WARNING, .header = "Vary",
     .value = "", .fix = "Vary: Origin"},
    {.label = "Vary without Origin",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nVary: Accept\r\n"
                                       "vary: Accept-Encoding\r\n\r\n"),
     .ok = 1, .finding = CORS_FINDING_VARY_ORIGIN_MISSING, .severity = CORS_SEVERITY_WARNING, .header = "Vary",
     .value = "Accept, Accept-Encoding", .fix = "Vary: Accept, Accept-Encoding, Origin"},
    /* rules reflect: Vary: Origin is required */
    {.label = "reflect: no Vary on the actual response",
     .x = REQ("GET", INCLUDE, .rules = CORS_RULES_REFLECT,
              .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                          "\r\nAccess-Control-Allow-Credentials: true\r\nVary: Accept\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MISSING_VARY_ORIGIN,
     .finding = CORS_FINDING_VARY_ORIGIN_MISSING, .severity = CORS_SEVERITY_ERROR, .header = "Vary",
     .value = "Accept", .fix = "Vary: Accept, Origin"},
    /* the preflight, in Chromium's order */
    {.label = "preflight 404 without ACAO",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}}, .preflight = "HTTP/1.1 404 Not Found\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "",
     .fix = FIX_ACAO},
    {.label = "preflight 500 with * and credentials",
     .x = REQ("PUT", INCLUDE, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 500 Internal Server Error\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
              .response = RS_CRED),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
     .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "*", .fix = FIX_ACAO_CRED},
    {.label = "preflight origin mismatch",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://app.example\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "http://app.example", .fix = FIX_ACAO},
    {.label = "preflight ACAO list",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *, " ORIGIN "\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "*, " ORIGIN, .fix = FIX_ACAO},
    {.label = "preflight invalid ACAO",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *.example\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAO,
     .value = "*.example", .fix = FIX_ACAO},
    {.label = "preflight without ACAC",
     .x = REQ("PUT", INCLUDE, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\n\r\n",
              .response = RS_CRED),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
     .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID, .severity = CORS_SEVERITY_ERROR, .header = ACAC, .value = "",
     .fix = "Access-Control-Allow-Credentials: true"},
    {.label = "preflight 404 with *",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 404 Not Found\r\nAccess-Control-Allow-Origin: *\r\n\r\n", .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS,
     .finding = CORS_FINDING_PREFLIGHT_STATUS, .severity = CORS_SEVERITY_ERROR, .header = "", .value = "",
     .fix = FIX_204},
    {.label = "preflight 300 with Location",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 300 Multiple Choices\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS,
     .finding = CORS_FINDING_PREFLIGHT_STATUS, .severity = CORS_SEVERITY_ERROR, .header = "", .value = "",
     .fix = FIX_204},
    {.label = "preflight 302 without Location",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n\r\n", .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS,
     .finding = CORS_FINDING_PREFLIGHT_STATUS, .severity = CORS_SEVERITY_ERROR, .header = "", .value = "",
     .fix = FIX_204},
    {.label = "preflight redirect, checked first",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://api.example/x/\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT,
     .finding = CORS_FINDING_PREFLIGHT_REDIRECT, .severity = CORS_SEVERITY_ERROR, .header = "Location",
     .value = "https://api.example/x/", .fix = FIX_204},
    {.label = "preflight 308 with ACAO",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 308 Permanent Redirect\r\nAccess-Control-Allow-Origin: *\r\nLocation: /v2\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT,
     .finding = CORS_FINDING_PREFLIGHT_REDIRECT, .severity = CORS_SEVERITY_ERROR, .header = "Location",
     .value = "/v2", .fix = FIX_204},
    {.label = "ACAM not a token list",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                           "Access-Control-Allow-Methods: PUT DELETE\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_ALLOW_METHODS_INVALID, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "PUT DELETE", .fix = "Access-Control-Allow-Methods: "},
    {.label = "ACAM parsed for a safelisted method",
     .x = REQ("GET", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, "
                           "POST;\r\nAccess-Control-Allow-Headers: x-token\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_ALLOW_METHODS_INVALID, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "GET, POST;", .fix = "Access-Control-Allow-Methods: GET"},
    {.label = "bad ACAM wins over bad ACAH",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x "
                           "y\r\nAccess-Control-Allow-Methods: \"PUT\"\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_ALLOW_METHODS_INVALID, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "\"PUT\""},
    {.label = "bad ACAH wins over a disallowed method",
     .x = REQ("PUT", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                           "GET\r\nAccess-Control-Allow-Headers: x-token, x-a x-b\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_ALLOW_HEADERS_INVALID, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Headers", .value = "x-token, x-a x-b", .fix = "Access-Control-Allow-Headers: x-token"},
    {.label = "methods compare byte for byte",
     .x = REQ("put", OMIT, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                        "Access-Control-Allow-Methods: put\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_METHOD_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "put", .fix = "Access-Control-Allow-Methods: put, PUT"},
    {.label = "patch needs patch",
     .x = REQ("patch", OMIT, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                          "Access-Control-Allow-Methods: GET, PATCH\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_METHOD_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "GET, PATCH",
     .fix = "Access-Control-Allow-Methods: GET, PATCH, patch"},
    {.label = "ACAM * with credentials is a literal",
     .x = REQ("DELETE", INCLUDE, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN
                                              "\r\nAccess-Control-Allow-Credentials: true\r\n"
                                              "Access-Control-Allow-Methods: *\r\n\r\n",
              .response = RS_CRED),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_METHOD_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Methods", .value = "*", .fix = "Access-Control-Allow-Methods: DELETE"},
    {.label = "header not listed",
     .x = REQ("GET", OMIT, .headers = {{"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                           "Access-Control-Allow-Headers: x-other\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_HEADER_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Headers", .value = "x-other", .fix = "Access-Control-Allow-Headers: x-other, x-token"},
    {.label = "ACAH * with credentials is a literal",
     .x = REQ("GET", INCLUDE, .headers = {{"X-Token", "1"}, {"X-Other", "2"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN
                           "\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Headers: *\r\n\r\n",
              .response = RS_CRED),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_HEADER_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Headers", .value = "*", .fix = "Access-Control-Allow-Headers: x-other, x-token"},
    {.label = "ACAH * covers Authorization in Chromium",
     .x = REQ("GET", OMIT, .headers = {{"Authorization", "Bearer t"}, {"X-Token", "1"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                           "Access-Control-Allow-Headers: *\r\n\r\n",
              .response = RS_STAR),
     .ok = 1, .finding = CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION, .severity = CORS_SEVERITY_WARNING,
     .header = "Access-Control-Allow-Headers", .value = "*", .fix = "Access-Control-Allow-Headers: *, Authorization"},
    {.label = "ACAH * does not cover Authorization in strict",
     .x = REQ("GET", OMIT, .strict = 1, .headers = {{"Authorization", "Bearer t"}},
              .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                           "Access-Control-Allow-Headers: *\r\n\r\n",
              .response = RS_STAR),
     .failed_at = CORS_STAGE_PREFLIGHT, .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_HEADER_NOT_ALLOWED, .severity = CORS_SEVERITY_ERROR,
     .header = "Access-Control-Allow-Headers", .value = "*", .fix = "Access-Control-Allow-Headers: authorization"},
    {.label = "passing preflight, failing response",
     .x = REQ("PUT", OMIT, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                        "Access-Control-Allow-Methods: PUT\r\n\r\n",
              .response = "HTTP/1.1 200 OK\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING, .severity = CORS_SEVERITY_ERROR, .header = ACAO, .value = "",
     .fix = FIX_ACAO},
    /* fetch() throws: no header fix */
    {.label = "forbidden method", .x = REQ("TRACE", OMIT, .response = RS_STAR), .failed_at = CORS_STAGE_REQUEST,
     .kind = CORS_KIND_FORBIDDEN_METHOD, .finding = CORS_FINDING_REQUEST_METHOD_FORBIDDEN,
     .severity = CORS_SEVERITY_ERROR, .header = "", .value = "TRACE", .fix = ""},
    {.label = "invalid method", .x = REQ("GET POST", OMIT, .response = RS_STAR), .failed_at = CORS_STAGE_REQUEST,
     .kind = CORS_KIND_INVALID_METHOD, .finding = CORS_FINDING_REQUEST_METHOD_INVALID,
     .severity = CORS_SEVERITY_ERROR, .header = "", .value = "GET POST", .fix = ""},
    {.label = "invalid header name", .x = REQ("GET", OMIT, .headers = {{"X Y", "1"}}, .response = RS_STAR),
     .failed_at = CORS_STAGE_REQUEST, .kind = CORS_KIND_INVALID_HEADER_NAME,
     .finding = CORS_FINDING_REQUEST_HEADER_NAME_INVALID, .severity = CORS_SEVERITY_ERROR, .header = "",
     .value = "X Y", .fix = ""},
    {.label = "invalid header value", .x = REQ("GET", OMIT, .headers = {{"X-A", "a\rb"}}, .response = RS_STAR),
     .failed_at = CORS_STAGE_REQUEST, .kind = CORS_KIND_INVALID_HEADER_VALUE,
     .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .severity = CORS_SEVERITY_ERROR, .header = "",
     .value = "X-A", .fix = ""},
    /* redirects the browser refuses: net errors and CheckRedirectLocation */
    {.label = "redirect with credentials",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n"
                                       "Location: https://u:p@b.example/\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS,
     .finding = CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS, .severity = CORS_SEVERITY_ERROR, .header = "Location",
     .value = "https://u:p@b.example/", .fix = ""},
    {.label = "redirect to data:",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n"
                                       "Location: data:,x\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_UNSAFE_REDIRECT, .finding = CORS_FINDING_REDIRECT_UNSAFE,
     .severity = CORS_SEVERITY_ERROR, .header = "Location", .value = "data:,x", .fix = ""},
    {.label = "redirect to an invalid URL",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 307 Temporary Redirect\r\nLocation: https://[::1\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_INVALID_REDIRECT, .finding = CORS_FINDING_REDIRECT_INVALID,
     .severity = CORS_SEVERITY_ERROR, .header = "Location", .value = "https://[::1", .fix = ""},
    {.label = "two different Location lines",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\nLocation: /a\r\n"
                                       "Location: /b\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_MULTIPLE_LOCATION_HEADERS,
     .finding = CORS_FINDING_REDIRECT_MULTIPLE_LOCATION, .severity = CORS_SEVERITY_ERROR, .header = "Location",
     .value = "/a, /b", .fix = ""},
    {.label = "redirect to ftp:",
     .x = REQ("GET", OMIT, .response = "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n"
                                       "Location: ftp://f.example/x\r\n\r\n"),
     .failed_at = CORS_STAGE_RESPONSE, .kind = CORS_KIND_CORS_DISABLED_SCHEME, .finding = CORS_FINDING_REDIRECT_SCHEME,
     .severity = CORS_SEVERITY_ERROR, .header = "Location", .value = "ftp://f.example/x", .fix = ""},
};

static void check_kind_row(const kind_row *k, cors_report *r, exchange *x)
{
    int32_t st;
    cors_error err;
    exchange_init(x, &k->x, k->x.preflight, k->x.response);
    memset(&err, 0xab, sizeof(err));
    st = exchange_evaluate(x, r, &err);
    if (st != CORS_OK || err.status != CORS_OK)
        fail_msg("%s: %s", k->label, cors_status_name(st));
    assert_true(report_spans_in_bounds(r));
    if (r->ok != k->ok || r->failed_at != k->failed_at || r->kind != k->kind || r->needs != 0)
        fail_msg("%s: ok %d at %s %s needs %d, want ok %d at %s %s", k->label, (int)r->ok,
                 cors_stage_name(r->failed_at), cors_kind_name(r->kind), (int)r->needs, (int)k->ok,
                 cors_stage_name(k->failed_at), cors_kind_name(k->kind));
    assert_int_equal(r->preflight, k->failed_at != CORS_STAGE_REQUEST && k->x.preflight != NULL);
    assert_no_reserved_code(r, k->label);
    if (!k->ok) {
        /* the failure has its error finding at that stage */
        const cors_finding *f = failure_finding(r);
        if (f == NULL || f->code != k->finding)
            fail_msg("%s: error finding %s, want %s", k->label, f ? cors_finding_name(f->code) : "none",
                     cors_finding_name(k->finding));
        assert_int_equal(f->hop, k->failed_at == CORS_STAGE_REQUEST ? 0 : 1);
    }
    if (k->finding != 0) {
        const cors_finding *f = find_finding(r, k->finding);
        if (f == NULL)
            fail_msg("%s: no finding %s", k->label, cors_finding_name(k->finding));
        assert_int_equal(f->severity, k->severity);
        assert_true(f->message.length > 0);
        if (!span_is(r, f->header, k->header) || !span_is(r, f->value, k->value))
            fail_msg("%s: header '%.*s' value '%.*s', want '%s' '%s'", k->label, (int)f->header.length,
                     r->text + f->header.offset, (int)f->value.length, r->text + f->value.offset, k->header, k->value);
        if (k->fix == NULL ? f->fix.length == 0 : !span_is(r, f->fix, k->fix))
            fail_msg("%s: fix '%.*s', want '%s'", k->label, (int)f->fix.length, r->text + f->fix.offset,
                     k->fix ? k->fix : "(any)");
    }
}

static void test_error_kinds(void **state)
{
    static exchange x;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++)
        check_kind_row(&kind_rows[i], big_report_lend(&b), &x);
}

/* Every CORS and request kind has a row above. The network stack's kinds
 * (InvalidHttpResponse .. ContentDecodingFailed) have theirs in
 * test_network.c, the redirect chain's (TooManyRedirects .. UrlCredentials)
 * in test_chain.c. */
static void test_every_kind_has_a_row(void **state)
{
    (void)state;
    assert_int_equal(CORS_KIND_CORS_DISABLED_SCHEME + 1, CORS_KIND_INVALID_HTTP_RESPONSE);
    for (int32_t kind = 1; kind <= CORS_KIND_CORS_DISABLED_SCHEME; kind++) {
        int seen = 0;
        for (size_t i = 0; i < COUNT(kind_rows); i++)
            seen |= kind_rows[i].kind == kind;
        if (!seen)
            fail_msg("no row for %s", cors_kind_name(kind));
    }
}

/* ------------------------------------------------------------------------ */
/* Following the fixes                                                       */
/* ------------------------------------------------------------------------ */

/* `text` rebuilt with a fix applied: a status line in the fix replaces the
 * status line, each "Name: value" line replaces every line of that name. */
static char *apply_fix(const char *text, const char *fix, size_t fix_len)
{
    static parsed_head h;
    size_t cap = strlen(text) + fix_len + 64, n = 0;
    char *out = test_malloc(cap);
    const char *p = fix, *end = fix + fix_len;
    char names[8][64];
    size_t name_count = 0;

    parsed_head_init(&h, text);
    if (fix_len >= 5 && memcmp(fix, "HTTP/", 5) == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        n += (size_t)snprintf(out + n, cap - n, "%.*s\r\n", (int)l, p);
        p = nl ? nl + 1 : end;
    } else {
        n += (size_t)snprintf(out + n, cap - n, "HTTP/1.1 %d %.*s\r\n", (int)h.response.status_code,
                              (int)h.response.reason.len, h.response.reason.ptr);
    }
    for (const char *q = p; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q)), *colon = memchr(q, ':', (size_t)(end - q));
        assert_non_null(colon);
        assert_true((size_t)(colon - q) < sizeof(names[0]) && name_count < COUNT(names));
        snprintf(names[name_count++], sizeof(names[0]), "%.*s", (int)(colon - q), q);
        q = nl ? nl + 1 : end;
    }
    for (size_t i = 0; i < h.response.header_count; i++) {
        int replaced = 0;
        for (size_t k = 0; k < name_count; k++)
            replaced |= cors_headers_find(&h.headers[i], 1, 0, names[k], strlen(names[k])) == 0;
        if (!replaced)
            n += (size_t)snprintf(out + n, cap - n, "%.*s: %.*s\r\n", (int)h.headers[i].name.len, h.headers[i].name.ptr,
                                  (int)h.headers[i].value.len, h.headers[i].value.ptr);
    }
    for (const char *q = p; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t l = nl ? (size_t)(nl - q) : (size_t)(end - q);
        n += (size_t)snprintf(out + n, cap - n, "%.*s\r\n", (int)l, q);
        q = nl ? nl + 1 : end;
    }
    n += (size_t)snprintf(out + n, cap - n, "\r\n");
    assert_true(n < cap);
    return out;
}

static char *copy_of(const char *z)
{
    char *p = test_malloc(strlen(z) + 1);
    strcpy(p, z);
    return p;
}

/* Apply the failure's fix to the head that failed, again and again: the
 * browser ends up allowing the exchange. */
static void follow_fixes(const kind_row *k)
{
    static exchange x;
    static big_report b;
    cors_report *r = &b.report;
    char *pf = k->x.preflight ? copy_of(k->x.preflight) : NULL, *rs = copy_of(k->x.response);
    int round;
    for (round = 0; round < 8; round++) {
        const cors_finding *f;
        char **target, *next;
        exchange_init(&x, &k->x, pf, rs);
        assert_int_equal(exchange_evaluate(&x, big_report_lend(&b), NULL), CORS_OK);
        if (r->ok)
            break;
        f = failure_finding(r);
        assert_non_null(f);
        if (f->fix.length == 0)
            fail_msg("%s: %s has no fix after %d rounds", k->label, cors_kind_name(r->kind), round);
        target = r->failed_at == CORS_STAGE_PREFLIGHT ? &pf : &rs;
        next = apply_fix(*target, r->text + f->fix.offset, f->fix.length);
        test_free(*target);
        *target = next;
    }
    if (!r->ok)
        fail_msg("%s: still %s after %d fixes:\n%s", k->label, cors_kind_name(r->kind), round,
                 r->failed_at == CORS_STAGE_PREFLIGHT ? pf : rs);
    if (pf)
        test_free(pf);
    test_free(rs);
}

static void test_fixes_lead_to_success(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++)
        if (kind_rows[i].fix == NULL || kind_rows[i].fix[0] != '\0')
            follow_fixes(&kind_rows[i]);
}

/* A warning's fix, applied, keeps the exchange allowed and silences the warning. */
static void check_warning_fix(const char *label, const exchange_spec *s, int32_t code)
{
    static exchange x;
    static big_report b;
    cors_report *r;
    const cors_finding *f;
    int on_preflight;
    char *fixed;

    exchange_init(&x, s, s->preflight, s->response);
    r = big_report_lend(&b);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    f = find_finding(r, code);
    if (f == NULL)
        fail_msg("%s: no %s", label, cors_finding_name(code));
    assert_true(f->fix.length > 0);
    on_preflight = f->stage == CORS_STAGE_PREFLIGHT;
    fixed = apply_fix(on_preflight ? s->preflight : s->response, r->text + f->fix.offset, f->fix.length);
    exchange_init(&x, s, on_preflight ? fixed : s->preflight, on_preflight ? s->response : fixed);
    r = big_report_lend(&b);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    if (!r->ok || find_finding(r, code) != NULL)
        fail_msg("%s: after the fix: ok %d %s, finding %s", label, (int)r->ok, cors_kind_name(r->kind),
                 find_finding(r, code) ? "still there" : "gone");
    test_free(fixed);
}

static void test_warning_fixes(void **state)
{
    static const struct {
        const char *label;
        exchange_spec x;
        int32_t code;
    } rows[] = {
        {.label = "vary", .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\n\r\n"),
         .code = CORS_FINDING_VARY_ORIGIN_MISSING},
        /* the fix keeps what the server already varies on */
        {.label = "vary with a list",
         .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                                           "\r\nVary: Accept-Encoding\r\n\r\n"),
         .code = CORS_FINDING_VARY_ORIGIN_MISSING},
        {.label = "max-age invalid",
         .x = REQ("PUT", OMIT, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                            "Access-Control-Allow-Methods: PUT\r\nAccess-Control-Max-Age: 1e3\r\n\r\n",
                  .response = RS_STAR),
         .code = CORS_FINDING_MAX_AGE_INVALID},
        {.label = "max-age capped",
         .x = REQ("PUT", OMIT, .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                            "Access-Control-Allow-Methods: PUT\r\nAccess-Control-Max-Age: 86400\r\n\r\n",
                  .response = RS_STAR),
         .code = CORS_FINDING_MAX_AGE_CAPPED},
        {.label = "authorization alone under *",
         .x = REQ("GET", OMIT, .headers = {{"Authorization", "Bearer t"}},
                  .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                               "Access-Control-Allow-Headers: *\r\n\r\n",
                  .response = RS_STAR),
         .code = CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION},
        /* the fix keeps '*' for the other headers it covers */
        {.label = "authorization and x-token under *",
         .x = REQ("GET", OMIT, .headers = {{"Authorization", "Bearer t"}, {"X-Token", "1"}},
                  .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                               "Access-Control-Allow-Headers: *\r\n\r\n",
                  .response = RS_STAR),
         .code = CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION},
        {.label = "expose headers invalid",
         .x = REQ("GET", OMIT, .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-A: 1\r\n"
                                           "Access-Control-Expose-Headers: x-a, no no\r\n\r\n"),
         .code = CORS_FINDING_EXPOSE_HEADERS_INVALID},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        check_warning_fix(rows[i].label, &rows[i].x, rows[i].code);
}

/* ------------------------------------------------------------------------ */
/* No allocation                                                             */
/* ------------------------------------------------------------------------ */

static const char realistic_preflight[] =
    "HTTP/1.1 200 Connection established\r\n\r\n"
    "HTTP/2 204 \r\n"
    "date: Mon, 23 Nov 2026 20:00:00 GMT\r\n"
    "access-control-allow-origin: https://app.example\r\n"
    "access-control-allow-credentials: true\r\n"
    "access-control-allow-methods: GET, POST, PUT, DELETE, OPTIONS\r\n"
    "access-control-allow-headers: content-type, authorization, x-request-id\r\n"
    "access-control-max-age: 86400\r\n"
    "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n"
    "\r\n";

static const char realistic_response[] =
    "HTTP/2 201 \r\n"
    "content-type: application/json; charset=utf-8\r\n"
    "access-control-allow-origin: https://app.example\r\n"
    "access-control-allow-credentials: true\r\n"
    "access-control-expose-headers: X-Request-Id, Location\r\n"
    "x-request-id: 8c1f\r\n"
    "location: /items/42\r\n"
    "set-cookie: s=1; Secure\r\n"
    "vary: Origin\r\n"
    "\r\n"
    "{\"id\":42}";

static const cors_header realistic_request_headers[] = {
    {{"Content-Type", 12}, {"application/json", 16}},
    {{"Authorization", 13}, {"Bearer abc", 10}},
    {{"X-Request-Id", 12}, {"8c1f", 4}},
    {{"Accept-Language", 15}, {"en-GB,en;q=0.9", 14}},
    {{"Cookie", 6}, {"s=1", 3}},
};

static void test_no_allocation(void **state)
{
    static big_report b;
    static cors_finding few_findings[1];
    static char little_text[16];
    cors_header pf_h[16], rs_h[16], from_h[2] = {{STR("Access-Control-Allow-Origin"), STR("*")},
                                                  {STR("Vary"), STR("Origin")}};
    cors_response pf_r, rs_r, from_r;
    cors_request req;
    cors_options opt;
    cors_origin origin;
    cors_error err;
    cors_report *r = big_report_lend(&b), small;
    char serialized[64];
    int32_t st[16];
    size_t n = 0;
    (void)state;

    /* the counter sees this program's allocations, unless a tool such as
     * valgrind replaced the malloc family itself: then the test cannot see */
    if (!allocation_counting_works()) {
        print_message("  test_no_allocation: skipped: malloc is not interposed here (valgrind?)\n");
        skip();
    }

    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    req.method = STR("put");
    req.headers = realistic_request_headers;
    req.header_count = COUNT(realistic_request_headers);
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    allocation_calls = 0;
    counting = 1;
    cors_response_init(&pf_r, sizeof(pf_r));
    cors_response_init(&rs_r, sizeof(rs_r));
    cors_response_init(&from_r, sizeof(from_r));
    cors_options_init(&opt, sizeof(opt));
    st[n++] = cors_response_parse(realistic_preflight, sizeof(realistic_preflight) - 1, 0, pf_h, 16, &pf_r, &err);
    st[n++] = cors_response_parse(realistic_response, sizeof(realistic_response) - 1, 0, rs_h, 16, &rs_r, &err);
    st[n++] = cors_response_from_headers(200, from_h, 2, &from_r, &err);
    st[n++] = cors_origin_parse(ORIGIN, strlen(ORIGIN), &origin, &err);
    st[n++] = cors_origin_serialize(&origin, serialized, sizeof(serialized)) == strlen(ORIGIN) ? CORS_OK : -1;
    st[n++] = cors_evaluate(&opt, &req, &pf_r, &rs_r, r, &err);
    counting = 0;
    assert_int_equal(allocation_calls, 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(st[i], CORS_OK);
    /* and it was a real evaluation */
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->preflight, 1);
    assert_span(r, r->acr_headers, "authorization,content-type,x-request-id");
    assert_int_equal(r->preflight_cache_seconds, 7200);
    {
        char buf[256];
        assert_string_equal(readable_joined(r, buf, sizeof(buf)), "content-type,location,x-request-id");
    }

    /* nor on the other paths: every rule set, errors, a report short of room */
    allocation_calls = 0;
    counting = 1;
    for (int32_t rules = CORS_RULES_BROWSER; rules <= CORS_RULES_REFLECT; rules++) {
        opt.rules = rules;
        cors_evaluate(&opt, &req, &pf_r, &rs_r, big_report_lend(&b), &err);
        cors_evaluate(&opt, &req, &pf_r, NULL, big_report_lend(&b), &err);
    }
    opt.rules = CORS_RULES_BROWSER;
    cors_report_init(&small, sizeof(small), few_findings, 1, NULL, 0, little_text, sizeof(little_text));
    cors_evaluate(&opt, &req, &pf_r, &rs_r, &small, &err);
    cors_evaluate(&opt, &req, &pf_r, &from_r, big_report_lend(&b), &err);
    req.origin = STR("HTTPS://bad");
    cors_evaluate(&opt, &req, &pf_r, &rs_r, big_report_lend(&b), &err);
    cors_evaluate(&opt, NULL, &pf_r, &rs_r, big_report_lend(&b), &err);
    cors_response_parse("HTTP/1.1 200 OK\r\nbad\r\n", 23, 0, pf_h, 16, &pf_r, &err);
    counting = 0;
    assert_int_equal(allocation_calls, 0);
    assert_int_equal(small.needs, CORS_NEED_ROOM);
}

/* ------------------------------------------------------------------------ */
/* Determinism                                                               */
/* ------------------------------------------------------------------------ */

/* Every row twice, into buffers poisoned differently and placed elsewhere:
 * the same bytes. */
static void test_same_inputs_same_bytes(void **state)
{
    static exchange x;
    static big_report one, two;
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++) {
        cors_report *a, *b2;
        exchange_init(&x, &kind_rows[i].x, kind_rows[i].x.preflight, kind_rows[i].x.response);
        a = big_report_lend(&one);
        memset(one.text, 0x00, sizeof(one.text));
        assert_int_equal(exchange_evaluate(&x, a, NULL), CORS_OK);
        b2 = big_report_lend(&two);
        memset(two.text, 0xff, sizeof(two.text));
        memset(two.findings, 0xff, sizeof(two.findings));
        assert_int_equal(exchange_evaluate(&x, b2, NULL), CORS_OK);
        /* everything after the lent pointers */
        assert_memory_equal(&a->rules, &b2->rules, sizeof(*a) - offsetof(cors_report, rules));
        assert_memory_equal(a->text, b2->text, a->text_length);
        assert_memory_equal(a->findings, b2->findings, a->finding_count * sizeof(cors_finding));
        assert_memory_equal(a->readable, b2->readable, a->readable_count * sizeof(cors_span));
    }
}

/* ------------------------------------------------------------------------ */
/* Threads                                                                   */
/* ------------------------------------------------------------------------ */

/* The same parsed responses judged by four threads at once, each into its
 * own report, 50 rounds over every row: the bytes equal those of one thread
 * alone (nothing is shared but the const inputs). Failures are counted, not
 * asserted, in the threads (cmocka's asserts are not thread-safe). */
enum { THREADS = 4, ROUNDS = 50 };
static exchange thread_x[COUNT(kind_rows)];
static big_report thread_ref[COUNT(kind_rows)];

typedef struct thread_job {
    big_report report;
    size_t mismatches;
} thread_job;

static void *judge_rows(void *arg)
{
    thread_job *job = arg;
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < COUNT(kind_rows); i++) {
            const cors_report *want = &thread_ref[i].report, *got = big_report_lend(&job->report);
            if (exchange_evaluate(&thread_x[i], &job->report.report, NULL) != CORS_OK ||
                memcmp(&want->rules, &got->rules, sizeof(*got) - offsetof(cors_report, rules)) != 0 ||
                memcmp(want->text, got->text, want->text_length) != 0 ||
                memcmp(want->findings, got->findings, want->finding_count * sizeof(cors_finding)) != 0)
                job->mismatches++;
        }
    return NULL;
}

static void test_threads(void **state)
{
    static thread_job jobs[THREADS];
    pthread_t t[THREADS];
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++) {
        exchange_init(&thread_x[i], &kind_rows[i].x, kind_rows[i].x.preflight, kind_rows[i].x.response);
        assert_int_equal(exchange_evaluate(&thread_x[i], big_report_lend(&thread_ref[i]), NULL), CORS_OK);
    }
    for (size_t i = 0; i < THREADS; i++) {
        jobs[i].mismatches = 0;
        assert_int_equal(pthread_create(&t[i], NULL, judge_rows, &jobs[i]), 0);
    }
    for (size_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    for (size_t i = 0; i < THREADS; i++)
        if (jobs[i].mismatches != 0)
            fail_msg("thread %zu: %zu reports differ from one thread's", i, jobs[i].mismatches);
}

/* ------------------------------------------------------------------------ */
/* NULL pointers with a length in the caller's headers                       */
/* ------------------------------------------------------------------------ */

/* Regression (lib/evaluate.c response_is_usable): a response header with a
 * NULL pointer and a length was read: name {NULL, 5} crashed in
 * cors__token_lookup (lib/tokens.c, from cors__grant_build), value {NULL, 3}
 * of Access-Control-Allow-Origin in cors__has_byte (lib/check.c). Like a
 * request's, it is CORS_E_ARGUMENT with err->index. */
static void test_null_response_header(void **state)
{
    cors_header hs[2] = {{STR("Access-Control-Allow-Origin"), STR("*")}, {{NULL, 5}, STR("v")}};
    cors_response resp;
    cors_request req;
    cors_report r;
    cors_error err;
    (void)state;
    cors_response_init(&resp, sizeof(resp));
    resp.status_code = 200;
    resp.headers = hs;
    resp.header_count = 2;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    cors_report_init(&r, sizeof(r), NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, &r, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.index, 1);
    hs[1].name = STR("X-A");
    hs[0].value = (cors_str){NULL, 3};
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, &r, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.index, 0);
}

/* Regression (lib/request.c classify): the value was trimmed before the NULL
 * check, so a request header value {NULL, 1} crashed in trim (lib/chars.c)
 * instead of giving CORS_E_ARGUMENT with err->index. */
static void test_null_request_header_value(void **state)
{
    cors_header hs[2] = {{STR("X-A"), STR("1")}, {STR("X-B"), {NULL, 1}}};
    static big_report b;
    cors_request req;
    cors_error err;
    (void)state;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    req.headers = hs;
    req.header_count = 2;
    EXPECT_STATUS(cors_evaluate(NULL, &req, NULL, NULL, big_report_lend(&b), &err), CORS_E_ARGUMENT, 1);
    hs[1].name = (cors_str){NULL, 1};
    EXPECT_STATUS(cors_evaluate(NULL, &req, NULL, NULL, big_report_lend(&b), &err), CORS_E_ARGUMENT, 1);
}

/* Regression (lib/request.c cors__request_model_build): request headers were
 * checked for NULL pointers only after the method, so a forbidden or invalid
 * method hid them: method TRACE with headers[0] = {{NULL, 3}, "v"} gave
 * CORS_OK with ForbiddenMethod instead of CORS_E_ARGUMENT with err->index 0. */
static void test_null_request_header_after_a_bad_method(void **state)
{
    cors_header hs[1] = {{{NULL, 3}, STR("v")}};
    static big_report b;
    cors_request req;
    cors_error err;
    (void)state;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    req.method = STR("TRACE");
    req.headers = hs;
    req.header_count = 1;
    EXPECT_STATUS(cors_evaluate(NULL, &req, NULL, NULL, big_report_lend(&b), &err), CORS_E_ARGUMENT, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_request_and_options_init),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_null_request_header),
        cmocka_unit_test(test_bad_origin),
        cmocka_unit_test(test_rules_echoed),
        cmocka_unit_test(test_need_preflight),
        cmocka_unit_test(test_need_response),
        cmocka_unit_test(test_need_redirect_target),
        cmocka_unit_test(test_error_kinds),
        cmocka_unit_test(test_every_kind_has_a_row),
        cmocka_unit_test(test_fixes_lead_to_success),
        cmocka_unit_test(test_warning_fixes),
        cmocka_unit_test(test_no_allocation),
        cmocka_unit_test(test_same_inputs_same_bytes),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_null_response_header),
        cmocka_unit_test(test_null_request_header_value),
        cmocka_unit_test(test_null_request_header_after_a_bad_method),
    };
    count_allocations();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
