/*
 * test_evaluate.c - lib/evaluate.c, lib/rules_browser.c, lib/report.c:
 * cors_evaluate's arguments, the partial report of CORS_E_NEED_PREFLIGHT /
 * CORS_E_NEED_RESPONSE, every error kind with its finding (code, severity,
 * header, value, fix), following the fixes until the browser allows the
 * exchange, readable headers, the preflight cache lifetime, the report being
 * self-contained and bounded, no allocation, and concurrent evaluation.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

#include "test_util.h"

/* ------------------------------------------------------------------------ */
/* Allocation counting: this program's malloc family forwards to glibc's.    */
/* ------------------------------------------------------------------------ */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static volatile int counting;
static volatile long allocation_calls;

void *malloc(size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_realloc(p, size);
}

void free(void *p)
{
    if (counting && p != NULL)
        allocation_calls++;
    __libc_free(p);
}

/* ------------------------------------------------------------------------ */
/* Exchanges                                                                 */
/* ------------------------------------------------------------------------ */

#define ORIGIN "https://app.example"

typedef struct name_value {
    const char *name;
    const char *value;
} name_value;

/* A parsed response head and its policy. */
typedef struct head {
    cors_header headers[CORS_REPORT_READABLE + 64];
    cors_response response;
    cors_policy policy;
} head;

static void head_parse(head *h, const char *text, size_t len)
{
    cors_error err;
    int32_t st = cors_response_parse(text, len, h->headers, COUNT(h->headers), &h->response, &err);
    if (st != CORS_OK)
        fail_msg("head does not parse: %s at %zu: %s", cors_status_name(st), err.offset, text);
    assert_int_equal(cors_policy_from_response(&h->response, &h->policy), CORS_OK);
}

typedef struct exchange {
    cors_header req_headers[CORS_MAX_REQUEST_HEADERS];
    cors_request request;
    cors_options options;
    head preflight, response;
    int has_preflight, has_response;
} exchange;

static void exchange_init(exchange *x, const char *origin, const char *method, int32_t credentials, int strict,
                          const name_value *headers, const char *preflight, const char *response)
{
    size_t n = 0;
    memset(x, 0, sizeof(*x));
    for (; headers != NULL && headers[n].name != NULL; n++) {
        x->req_headers[n].name = str_z(headers[n].name);
        x->req_headers[n].value = str_z(headers[n].value);
    }
    cors_request_init(&x->request);
    x->request.origin = str_z(origin ? origin : ORIGIN);
    x->request.method = str_z(method);
    x->request.headers = x->req_headers;
    x->request.header_count = n;
    x->request.credentials = credentials;
    cors_options_init(&x->options);
    x->options.flags = strict ? CORS_OPTION_STRICT : 0;
    if (preflight != NULL) {
        head_parse(&x->preflight, preflight, strlen(preflight));
        x->has_preflight = 1;
    }
    if (response != NULL) {
        head_parse(&x->response, response, strlen(response));
        x->has_response = 1;
    }
}

static int32_t exchange_evaluate(const exchange *x, cors_report *r, cors_error *err)
{
    cors_report_init(r);
    return cors_evaluate(&x->options, &x->request, x->has_preflight ? &x->preflight.policy : NULL,
                         x->has_response ? &x->response.policy : NULL, r, err);
}

static cors_report *new_report(void)
{
    cors_report *r = test_malloc(sizeof(*r));
    cors_report_init(r);
    return r;
}

/* The report's error finding for the stage it failed at. */
static const cors_finding *failure_finding(const cors_report *r)
{
    for (uint32_t i = 0; i < r->finding_count; i++)
        if (r->findings[i].severity == CORS_SEVERITY_ERROR && r->findings[i].stage == r->failed_at)
            return &r->findings[i];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */
/* ------------------------------------------------------------------------ */

static void test_arguments(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    cors_error err;
    cors_options opt;
    cors_request req;
    cors_policy bad_policy;
    const name_value hv[] = {{"X-Token", "1"}, {NULL, NULL}};
    (void)state;
    exchange_init(&x, NULL, "PUT", CORS_CREDENTIALS_OMIT, 0, hv,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                  "PUT\r\nAccess-Control-Allow-Headers: x-token\r\n\r\n",
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n");

#define EXPECT_STATUS(call, want)                                                                      \
    do {                                                                                               \
        memset(&err, 0xab, sizeof(err));                                                               \
        int32_t st_ = (call);                                                                          \
        if (st_ != (want) || err.status != (want) || err.offset != 0)                                  \
            fail_msg("%s: %s (err %s at %zu), want %s", #call, cors_status_name(st_),                  \
                     cors_status_name(err.status), err.offset, cors_status_name(want));               \
    } while (0)

    const cors_policy *pf = &x.preflight.policy, *rs = &x.response.policy;

    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, NULL, &err), CORS_E_ARGUMENT);
    r->struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT);
    r->struct_size = sizeof(*r) - 1;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT);
    r->struct_size = sizeof(*r);

    opt = x.options;
    opt.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT);
    opt = x.options;
    opt.flags = 2; /* unknown flag */
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_ARGUMENT);
    opt = x.options;
    opt.rules = 3;
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_BAD_RULES);
    opt.rules = -1;
    EXPECT_STATUS(cors_evaluate(&opt, &x.request, pf, rs, r, &err), CORS_E_BAD_RULES);
    assert_int_equal(r->struct_size, sizeof(*r)); /* reset, not left as it was */
    assert_int_equal(r->finding_count, 0);

    EXPECT_STATUS(cors_evaluate(&x.options, NULL, pf, rs, r, &err), CORS_E_ARGUMENT);
    req = x.request;
    req.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    req = x.request;
    req.credentials = 3;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    req.credentials = -1;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    req = x.request;
    req.headers = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    req = x.request;
    req.method.ptr = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    {
        cors_header hs[1] = {{{NULL, 3}, STR("v")}};
        req = x.request;
        req.headers = hs;
        req.header_count = 1;
        EXPECT_STATUS(cors_evaluate(&x.options, &req, pf, rs, r, &err), CORS_E_ARGUMENT);
    }

    bad_policy = *pf;
    bad_policy.struct_size = 0;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, &bad_policy, rs, r, &err), CORS_E_ARGUMENT);
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, &bad_policy, r, &err), CORS_E_ARGUMENT);
    bad_policy = *rs;
    bad_policy.headers = NULL;
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, &bad_policy, r, &err), CORS_E_ARGUMENT);

    /* the same call with good arguments works, and NULL options mean rules browser */
    EXPECT_STATUS(cors_evaluate(&x.options, &x.request, pf, rs, r, &err), CORS_OK);
    assert_int_equal(r->ok, 1);
    EXPECT_STATUS(cors_evaluate(NULL, &x.request, pf, rs, r, &err), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->rules, CORS_RULES_BROWSER);
    /* err is optional */
    assert_int_equal(cors_evaluate(&x.options, NULL, pf, rs, r, NULL), CORS_E_ARGUMENT);
#undef EXPECT_STATUS
    test_free(r);
}

/* Regression (lib/list.c cors__list_begin, via cors_evaluate): a policy whose
 * field claims lines the header array does not hold (built by hand, as a
 * binding may: cors_policy_init, status 204, allow_origin {"*", lines 1},
 * allow_methods {"PUT", lines 1}, headers NULL, header_count 0) passes
 * cors_evaluate's argument checks and is then read as
 * policy->headers[field->first]: a NULL dereference (SIGSEGV) for a PUT
 * request. Expected CORS_E_ARGUMENT (first >= header_count), never a crash. */
static void test_inconsistent_policy_is_an_argument_error(void **state)
{
    cors_policy p;
    cors_request req;
    cors_report *r = new_report();
    cors_error err;
    (void)state;
    cors_policy_init(&p);
    p.status_code = 204;
    p.allow_origin.lines = 1;
    p.allow_origin.value = STR("*");
    p.allow_methods.lines = 1;
    p.allow_methods.value = STR("PUT");
    cors_request_init(&req);
    req.origin = STR(ORIGIN);
    req.method = STR("PUT");
    assert_int_equal(cors_evaluate(NULL, &req, &p, NULL, r, &err), CORS_E_ARGUMENT);
    test_free(r);
}

static void test_bad_origin(void **state)
{
    static const struct {
        const char *origin;
        size_t offset;
    } cases[] = {
        {"https://app.example/", 19}, {"HTTPS://app.example", 0}, {"", 0},
        {"https://app.example:443", 19}, {"app.example", 11}, {"*", 0},
    };
    static exchange x;
    cors_report *r = new_report();
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        cors_error err;
        exchange_init(&x, cases[i].origin, "GET", CORS_CREDENTIALS_OMIT, 0, NULL, NULL,
                      "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
        assert_int_equal(exchange_evaluate(&x, r, &err), CORS_E_BAD_ORIGIN);
        assert_int_equal(err.status, CORS_E_BAD_ORIGIN);
        if (err.offset != cases[i].offset)
            fail_msg("'%s': offset %zu, want %zu", cases[i].origin, err.offset, cases[i].offset);
        assert_int_equal(r->ok, 0);
    }
    /* an opaque origin is an origin */
    exchange_init(&x, "null", "GET", CORS_CREDENTIALS_OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    test_free(r);
}

static void test_rules_echoed(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    (void)state;
    exchange_init(&x, NULL, "GET", CORS_CREDENTIALS_OMIT, 0, NULL,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
    for (int32_t rules = CORS_RULES_BROWSER; rules <= CORS_RULES_REFLECT; rules++) {
        int32_t st;
        x.options.rules = rules;
        st = exchange_evaluate(&x, r, NULL);
        assert_true(st == CORS_OK || st == CORS_E_NEED_PREFLIGHT || st == CORS_E_NEED_RESPONSE);
        assert_int_equal(r->rules, rules);
    }
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* A response the browser needs but the caller did not give                  */
/* ------------------------------------------------------------------------ */

static void test_need_preflight(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    cors_error err;
    const name_value hv[] = {{"X-Token", "1"}, {"Content-Type", "application/json"}, {NULL, NULL}};
    (void)state;
    /* without a preflight, even with an actual response */
    exchange_init(&x, NULL, "put", CORS_CREDENTIALS_INCLUDE, 0, hv, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, &err), CORS_E_NEED_PREFLIGHT);
    assert_int_equal(err.status, CORS_E_NEED_PREFLIGHT);
    assert_int_equal(err.offset, 0);
    assert_true(report_spans_in_bounds(r));
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->failed_at, CORS_STAGE_NONE);
    assert_int_equal(r->error, CORS_KIND_NONE);
    assert_int_equal(r->preflight, 1);
    assert_int_equal(r->has_acr_method, 1);
    assert_int_equal(r->has_acr_headers, 1);
    assert_span(r, r->method, "PUT");
    assert_span(r, r->acr_method, "PUT");
    assert_span(r, r->acr_headers, "content-type,x-token");
    assert_int_equal(r->has_cache_seconds, 0);
    test_free(r);
}

static void test_need_response(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    cors_error err;
    const name_value dpr[] = {{"DPR", "2"}, {NULL, NULL}};
    const name_value token[] = {{"X-Token", "1"}, {NULL, NULL}};
    (void)state;

    /* a simple request: no preflight; the findings so far are kept */
    exchange_init(&x, NULL, "GET", CORS_CREDENTIALS_OMIT, 0, dpr, NULL, NULL);
    assert_int_equal(exchange_evaluate(&x, r, &err), CORS_E_NEED_RESPONSE);
    assert_int_equal(err.status, CORS_E_NEED_RESPONSE);
    assert_int_equal(r->preflight, 0);
    assert_int_equal(r->has_acr_method, 0);
    assert_span(r, r->method, "GET");
    assert_non_null(find_finding(r, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED));

    /* a passing preflight: its verdict and cache lifetime are in */
    exchange_init(&x, NULL, "DELETE", CORS_CREDENTIALS_OMIT, 0, token,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                  "DELETE\r\nAccess-Control-Allow-Headers: X-Token\r\nAccess-Control-Max-Age: 600\r\n\r\n",
                  NULL);
    assert_int_equal(exchange_evaluate(&x, r, &err), CORS_E_NEED_RESPONSE);
    assert_int_equal(r->preflight, 1);
    assert_int_equal(r->failed_at, CORS_STAGE_NONE);
    assert_int_equal(r->has_cache_seconds, 1);
    assert_int_equal(r->preflight_cache_seconds, 600);
    assert_span(r, r->acr_headers, "x-token");

    /* a failing preflight is a verdict: the actual response is never needed */
    exchange_init(&x, NULL, "DELETE", CORS_CREDENTIALS_OMIT, 0, token,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n", NULL);
    assert_int_equal(exchange_evaluate(&x, r, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(r->failed_at, CORS_STAGE_PREFLIGHT);
    assert_int_equal(r->error, CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE);
    assert_int_equal(r->has_cache_seconds, 1);
    assert_int_equal(r->preflight_cache_seconds, 0);
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* Error kinds and their findings                                            */
/* ------------------------------------------------------------------------ */

#define RS_STAR "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
#define RS_EXACT "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nVary: Origin\r\n\r\n"
#define RS_CRED                                                                                        \
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: " \
    "true\r\nVary: Origin\r\n\r\n"
#define FIX_ACAO "Access-Control-Allow-Origin: " ORIGIN "\nVary: Origin"
#define FIX_ACAO_CRED "Access-Control-Allow-Origin: " ORIGIN "\nAccess-Control-Allow-Credentials: true\nVary: Origin"
#define ACAO "Access-Control-Allow-Origin"

enum { OMIT = CORS_CREDENTIALS_OMIT, INCLUDE = CORS_CREDENTIALS_INCLUDE };

typedef struct kind_row {
    const char *label;
    const char *origin; /* NULL: ORIGIN */
    const char *method;
    int32_t credentials;
    int strict;
    name_value headers[4];
    const char *preflight;
    const char *response;
    int32_t ok;
    int32_t failed_at;
    int32_t kind;
    int32_t finding;    /* 0: none to check */
    int32_t severity;
    const char *header; /* expected spans of the finding */
    const char *value;
    const char *fix;    /* NULL: any non-empty fix */
} kind_row;

static const kind_row kind_rows[] = {
    /* the actual response (R6) */
    {"no ACAO", NULL, "GET", OMIT, 0, {{0}}, NULL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, CORS_FINDING_ALLOW_ORIGIN_MISSING, CORS_SEVERITY_ERROR,
     ACAO, "", FIX_ACAO},
    {"no ACAO, credentialed", NULL, "GET", INCLUDE, 0, {{0}}, NULL, "HTTP/1.1 200 OK\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, CORS_FINDING_ALLOW_ORIGIN_MISSING, CORS_SEVERITY_ERROR, ACAO, "",
     FIX_ACAO_CRED},
    {"* with credentials", NULL, "GET", INCLUDE, 0, {{0}}, NULL, RS_STAR, 0, CORS_STAGE_RESPONSE,
     CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS, CORS_SEVERITY_ERROR, ACAO,
     "*", FIX_ACAO_CRED},
    {"* with credentials and ACAC true", NULL, "GET", INCLUDE, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS,
     CORS_SEVERITY_ERROR, ACAO, "*", FIX_ACAO_CRED},
    {"two ACAO lines", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\naccess-control-allow-origin: " ORIGIN "\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, CORS_SEVERITY_ERROR,
     ACAO, ORIGIN ", " ORIGIN, FIX_ACAO},
    {"* and an empty line", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Origin:\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, CORS_SEVERITY_ERROR,
     ACAO, "*, ", FIX_ACAO},
    {"a space-separated list", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a.example " ORIGIN "\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, CORS_SEVERITY_ERROR, ACAO,
     "https://a.example " ORIGIN, FIX_ACAO},
    {"trailing slash", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "/\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, CORS_SEVERITY_ERROR, ACAO, ORIGIN "/",
     FIX_ACAO},
    {"uppercase host", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://APP.EXAMPLE\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, CORS_SEVERITY_ERROR, ACAO,
     "https://APP.EXAMPLE", FIX_ACAO},
    {"explicit default port", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN ":443\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, CORS_SEVERITY_ERROR, ACAO, ORIGIN ":443",
     FIX_ACAO},
    {"null for a real origin", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, CORS_SEVERITY_ERROR, ACAO, "null", FIX_ACAO},
    {"not a URL", NULL, "GET", OMIT, 0, {{0}}, NULL, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: app.example\r\n\r\n",
     0, CORS_STAGE_RESPONSE, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, CORS_FINDING_ALLOW_ORIGIN_INVALID, CORS_SEVERITY_ERROR,
     ACAO, "app.example", FIX_ACAO},
    {"port out of range", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN ":99999\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, CORS_FINDING_ALLOW_ORIGIN_INVALID, CORS_SEVERITY_ERROR, ACAO, ORIGIN ":99999",
     FIX_ACAO},
    {"empty ACAO", NULL, "GET", OMIT, 0, {{0}}, NULL, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, CORS_FINDING_ALLOW_ORIGIN_INVALID, CORS_SEVERITY_ERROR,
     ACAO, "", FIX_ACAO},
    {"ACAC True", NULL, "GET", INCLUDE, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: True\r\n\r\n", 0,
     CORS_STAGE_RESPONSE, CORS_KIND_INVALID_ALLOW_CREDENTIALS, CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     CORS_SEVERITY_ERROR, "Access-Control-Allow-Credentials", "True", "Access-Control-Allow-Credentials: true"},
    {"ACAC missing", NULL, "GET", INCLUDE, 0, {{0}}, NULL, RS_EXACT, 0, CORS_STAGE_RESPONSE,
     CORS_KIND_INVALID_ALLOW_CREDENTIALS, CORS_FINDING_ALLOW_CREDENTIALS_INVALID, CORS_SEVERITY_ERROR,
     "Access-Control-Allow-Credentials", "", "Access-Control-Allow-Credentials: true"},
    {"ACAC on two lines", NULL, "GET", INCLUDE, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: "
     "true\r\nAccess-Control-Allow-Credentials: true\r\n\r\n",
     0, CORS_STAGE_RESPONSE, CORS_KIND_INVALID_ALLOW_CREDENTIALS, CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     CORS_SEVERITY_ERROR, "Access-Control-Allow-Credentials", "true, true", "Access-Control-Allow-Credentials: true"},
    {"origin checked before credentials", NULL, "GET", INCLUDE, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://other.example\r\n\r\n", 0, CORS_STAGE_RESPONSE,
     CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, CORS_SEVERITY_ERROR, ACAO,
     "https://other.example", FIX_ACAO_CRED},
    {"ACAC with OWS passes", NULL, "GET", INCLUDE, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials:  true\t\r\nVary: "
     "Origin\r\n\r\n",
     1, CORS_STAGE_NONE, CORS_KIND_NONE, 0, 0, NULL, NULL, NULL},
    {"ACAC ignored without credentials", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: false\r\nVary: "
     "Origin\r\n\r\n",
     1, CORS_STAGE_NONE, CORS_KIND_NONE, 0, 0, NULL, NULL, NULL},
    {"same-origin credentials behave as omit", NULL, "GET", CORS_CREDENTIALS_SAME_ORIGIN, 0, {{0}}, NULL, RS_STAR, 1,
     CORS_STAGE_NONE, CORS_KIND_NONE, 0, 0, NULL, NULL, NULL},
    {"any status is shared", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 500 Internal Server Error\r\nAccess-Control-Allow-Origin: *\r\n\r\n", 1, CORS_STAGE_NONE, CORS_KIND_NONE,
     0, 0, NULL, NULL, NULL},
    {"opaque origin and ACAO null", "null", "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n\r\n", 1, CORS_STAGE_NONE, CORS_KIND_NONE,
     CORS_FINDING_VARY_ORIGIN_MISSING, CORS_SEVERITY_WARNING, "Vary", "", "Vary: Origin"},
    {"Vary without Origin", NULL, "GET", OMIT, 0, {{0}}, NULL,
     "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nVary: Accept\r\n\r\n", 1, CORS_STAGE_NONE,
     CORS_KIND_NONE, CORS_FINDING_VARY_ORIGIN_MISSING, CORS_SEVERITY_WARNING, "Vary", "Accept", NULL},
    /* the preflight (R4), in Chromium's order */
    {"preflight 404 without ACAO", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}}, "HTTP/1.1 404 Not Found\r\n\r\n", RS_STAR, 0,
     CORS_STAGE_PREFLIGHT, CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, CORS_FINDING_ALLOW_ORIGIN_MISSING,
     CORS_SEVERITY_ERROR, ACAO, "", FIX_ACAO},
    {"preflight 500 with * and credentials", NULL, "PUT", INCLUDE, 0, {{"X-Token", "1"}},
     "HTTP/1.1 500 Internal Server Error\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_CRED, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS,
     CORS_SEVERITY_ERROR, ACAO, "*", FIX_ACAO_CRED},
    {"preflight origin mismatch", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://app.example\r\n\r\n", RS_STAR, 0,
     CORS_STAGE_PREFLIGHT, CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH, CORS_FINDING_ALLOW_ORIGIN_MISMATCH,
     CORS_SEVERITY_ERROR, ACAO, "http://app.example", FIX_ACAO},
    {"preflight ACAO list", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *, " ORIGIN "\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, CORS_SEVERITY_ERROR, ACAO,
     "*, " ORIGIN, FIX_ACAO},
    {"preflight invalid ACAO", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *.example\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, CORS_FINDING_ALLOW_ORIGIN_INVALID, CORS_SEVERITY_ERROR, ACAO,
     "*.example", FIX_ACAO},
    {"preflight without ACAC", NULL, "PUT", INCLUDE, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\n\r\n", RS_CRED, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS, CORS_FINDING_ALLOW_CREDENTIALS_INVALID, CORS_SEVERITY_ERROR,
     "Access-Control-Allow-Credentials", "", "Access-Control-Allow-Credentials: true"},
    {"preflight 404 with *", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 404 Not Found\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_INVALID_STATUS, CORS_FINDING_PREFLIGHT_STATUS, CORS_SEVERITY_ERROR, "", "",
     "HTTP/1.1 204 No Content"},
    {"preflight 199", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 199 Odd\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_INVALID_STATUS, CORS_FINDING_PREFLIGHT_STATUS, CORS_SEVERITY_ERROR, "", "",
     "HTTP/1.1 204 No Content"},
    {"preflight 302 without Location", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_INVALID_STATUS, CORS_FINDING_PREFLIGHT_STATUS, CORS_SEVERITY_ERROR, "", "",
     "HTTP/1.1 204 No Content"},
    {"preflight 300 with Location", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 300 Multiple Choices\r\nLocation: /a\r\nAccess-Control-Allow-Origin: *\r\n\r\n", RS_STAR, 0,
     CORS_STAGE_PREFLIGHT, CORS_KIND_PREFLIGHT_INVALID_STATUS, CORS_FINDING_PREFLIGHT_STATUS, CORS_SEVERITY_ERROR, "",
     "", "HTTP/1.1 204 No Content"},
    {"preflight redirect, checked first", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 301 Moved Permanently\r\nLocation: https://api.example/x/\r\n\r\n", RS_STAR, 0, CORS_STAGE_PREFLIGHT,
     CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT, CORS_FINDING_PREFLIGHT_REDIRECT, CORS_SEVERITY_ERROR, "Location",
     "https://api.example/x/", "HTTP/1.1 204 No Content"},
    {"preflight 308 with ACAO", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 308 Permanent Redirect\r\nAccess-Control-Allow-Origin: *\r\nLocation: /v2\r\n\r\n", RS_STAR, 0,
     CORS_STAGE_PREFLIGHT, CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT, CORS_FINDING_PREFLIGHT_REDIRECT,
     CORS_SEVERITY_ERROR, "Location", "/v2", "HTTP/1.1 204 No Content"},
    {"ACAM not a token list", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT DELETE\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORS_FINDING_ALLOW_METHODS_INVALID, CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "PUT DELETE", NULL},
    {"ACAM parsed for a safelisted method", NULL, "GET", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, "
     "POST;\r\nAccess-Control-Allow-Headers: x-token\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORS_FINDING_ALLOW_METHODS_INVALID, CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "GET, POST;",
     "Access-Control-Allow-Methods: GET"},
    {"bad ACAM wins over bad ACAH", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x "
     "y\r\nAccess-Control-Allow-Methods: \"PUT\"\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORS_FINDING_ALLOW_METHODS_INVALID, CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "\"PUT\"", NULL},
    {"bad ACAH wins over a disallowed method", NULL, "PUT", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
     "GET\r\nAccess-Control-Allow-Headers: x-token, x-a x-b\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     CORS_FINDING_ALLOW_HEADERS_INVALID, CORS_SEVERITY_ERROR, "Access-Control-Allow-Headers", "x-token, x-a x-b",
     "Access-Control-Allow-Headers: x-token"},
    {"methods compare byte for byte", NULL, "put", OMIT, 0, {{0}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: put\r\n\r\n", RS_STAR,
     0, CORS_STAGE_PREFLIGHT, CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, CORS_FINDING_METHOD_NOT_ALLOWED,
     CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "put", "Access-Control-Allow-Methods: put, PUT"},
    {"patch needs patch", NULL, "patch", OMIT, 0, {{0}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, PATCH\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORS_FINDING_METHOD_NOT_ALLOWED, CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "GET, PATCH",
     "Access-Control-Allow-Methods: GET, PATCH, patch"},
    {"ACAM * without credentials", NULL, "DELETE", OMIT, 0, {{0}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: *\r\n\r\n", RS_STAR, 1,
     CORS_STAGE_NONE, CORS_KIND_NONE, 0, 0, NULL, NULL, NULL},
    {"ACAM * with credentials is a literal", NULL, "DELETE", INCLUDE, 0, {{0}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: "
     "true\r\nAccess-Control-Allow-Methods: *\r\n\r\n",
     RS_CRED, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORS_FINDING_METHOD_NOT_ALLOWED, CORS_SEVERITY_ERROR, "Access-Control-Allow-Methods", "*",
     "Access-Control-Allow-Methods: DELETE"},
    {"header not listed", NULL, "GET", OMIT, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-other\r\n\r\n",
     RS_STAR, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORS_FINDING_HEADER_NOT_ALLOWED, CORS_SEVERITY_ERROR, "Access-Control-Allow-Headers", "x-other",
     "Access-Control-Allow-Headers: x-other, x-token"},
    {"header names compare case-insensitively", NULL, "GET", OMIT, 0, {{"x-token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: X-TOKEN\r\n\r\n",
     RS_STAR, 1, CORS_STAGE_NONE, CORS_KIND_NONE, 0, 0, NULL, NULL, NULL},
    {"ACAH * with credentials is a literal", NULL, "GET", INCLUDE, 0, {{"X-Token", "1"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: "
     "true\r\nAccess-Control-Allow-Headers: *\r\n\r\n",
     RS_CRED, 0, CORS_STAGE_PREFLIGHT, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORS_FINDING_HEADER_NOT_ALLOWED, CORS_SEVERITY_ERROR, "Access-Control-Allow-Headers", "*",
     "Access-Control-Allow-Headers: x-token"},
    {"ACAH * covers Authorization in Chromium", NULL, "GET", OMIT, 0, {{"Authorization", "Bearer t"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n", RS_STAR, 1,
     CORS_STAGE_NONE, CORS_KIND_NONE, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION, CORS_SEVERITY_WARNING,
     "Access-Control-Allow-Headers", "*", NULL},
    {"ACAH * does not cover Authorization in strict", NULL, "GET", OMIT, 1, {{"Authorization", "Bearer t"}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n", RS_STAR, 0,
     CORS_STAGE_PREFLIGHT, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, CORS_FINDING_HEADER_NOT_ALLOWED,
     CORS_SEVERITY_ERROR, "Access-Control-Allow-Headers", "*", "Access-Control-Allow-Headers: authorization"},
    {"passing preflight, failing response", NULL, "PUT", OMIT, 0, {{0}},
     "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n",
     "HTTP/1.1 200 OK\r\n\r\n", 0, CORS_STAGE_RESPONSE, CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     CORS_FINDING_ALLOW_ORIGIN_MISSING, CORS_SEVERITY_ERROR, ACAO, "", FIX_ACAO},
};

static void check_kind_row(const kind_row *k, cors_report *r)
{
    static exchange x;
    cors_error err;
    int32_t st;
    exchange_init(&x, k->origin, k->method, k->credentials, k->strict, k->headers, k->preflight, k->response);
    st = exchange_evaluate(&x, r, &err);
    if (st != CORS_OK)
        fail_msg("%s: %s", k->label, cors_status_name(st));
    assert_true(report_spans_in_bounds(r));
    if (r->ok != k->ok || r->failed_at != k->failed_at || r->error != k->kind)
        fail_msg("%s: ok %d at %s %s, want ok %d at %s %s", k->label, (int)r->ok, cors_stage_name(r->failed_at),
                 cors_kind_name(r->error), (int)k->ok, cors_stage_name(k->failed_at), cors_kind_name(k->kind));
    assert_int_equal(r->preflight, k->preflight != NULL);
    if (!k->ok) {
        /* the failure has its error finding at that stage, with a fix */
        const cors_finding *f = failure_finding(r);
        if (f == NULL || f->code != k->finding)
            fail_msg("%s: error finding %s, want %s", k->label, f ? cors_finding_name(f->code) : "none",
                     cors_finding_name(k->finding));
        assert_true(f->message.length > 0);
        assert_true(f->fix.length > 0);
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
        if (k->fix != NULL && !span_is(r, f->fix, k->fix))
            fail_msg("%s: fix '%.*s', want '%s'", k->label, (int)f->fix.length, r->text + f->fix.offset, k->fix);
    }
}

static void test_error_kinds(void **state)
{
    cors_report *r = new_report();
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++)
        check_kind_row(&kind_rows[i], r);
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* Following the fixes                                                       */
/* ------------------------------------------------------------------------ */

/* `text` rebuilt with a fix applied: a status line in the fix replaces the
 * status line, each "Name: value" line replaces every line of that name. */
static char *apply_fix(const char *text, const char *fix, size_t fix_len)
{
    static head h;
    size_t cap = strlen(text) + fix_len + 64, n = 0;
    char *out = test_malloc(cap);
    const char *p = fix, *end = fix + fix_len;
    char names[8][64];
    size_t name_count = 0;

    head_parse(&h, text, strlen(text));
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
            n += (size_t)snprintf(out + n, cap - n, "%.*s: %.*s\r\n", (int)h.headers[i].name.len,
                                  h.headers[i].name.ptr, (int)h.headers[i].value.len, h.headers[i].value.ptr);
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

/* Apply the failure's fix to the head that failed, again and again: the
 * browser must end up allowing the exchange. */
static void follow_fixes(const kind_row *k, cors_report *r)
{
    static exchange x;
    char *pf = NULL, *rs = NULL;
    int round;
    if (k->preflight) {
        pf = test_malloc(strlen(k->preflight) + 1);
        strcpy(pf, k->preflight);
    }
    rs = test_malloc(strlen(k->response) + 1);
    strcpy(rs, k->response);
    for (round = 0; round < 8; round++) {
        const cors_finding *f;
        char **target, *next;
        exchange_init(&x, k->origin, k->method, k->credentials, k->strict, k->headers, pf, rs);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        if (r->ok)
            break;
        f = failure_finding(r);
        assert_non_null(f);
        assert_true(f->fix.length > 0);
        target = r->failed_at == CORS_STAGE_PREFLIGHT ? &pf : &rs;
        next = apply_fix(*target, r->text + f->fix.offset, f->fix.length);
        test_free(*target);
        *target = next;
    }
    if (!r->ok)
        fail_msg("%s: still %s after %d fixes:\n%s", k->label, cors_kind_name(r->error), round,
                 r->failed_at == CORS_STAGE_PREFLIGHT ? pf : rs);
    if (pf)
        test_free(pf);
    test_free(rs);
}

static void test_fixes_lead_to_success(void **state)
{
    cors_report *r = new_report();
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++)
        follow_fixes(&kind_rows[i], r);
    test_free(r);
}

/* A warning's fix, applied, keeps the exchange allowed and silences the warning. */
static void check_warning_fix(const char *label, const char *method, const name_value *headers, const char *preflight,
                              const char *response, int32_t code)
{
    static exchange x;
    cors_report *r = new_report();
    const cors_finding *f;
    int on_preflight;
    char *fixed;

    exchange_init(&x, NULL, method, OMIT, 0, headers, preflight, response);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    f = find_finding(r, code);
    if (f == NULL)
        fail_msg("%s: no %s", label, cors_finding_name(code));
    assert_true(f->fix.length > 0);
    on_preflight = f->stage == CORS_STAGE_PREFLIGHT;
    fixed = apply_fix(on_preflight ? preflight : response, r->text + f->fix.offset, f->fix.length);
    exchange_init(&x, NULL, method, OMIT, 0, headers, on_preflight ? fixed : preflight, on_preflight ? response : fixed);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    if (!r->ok || find_finding(r, code) != NULL)
        fail_msg("%s: after the fix: ok %d %s, finding %s", label, (int)r->ok, cors_kind_name(r->error),
                 find_finding(r, code) ? "still there" : "gone");
    test_free(fixed);
    test_free(r);
}

static void test_warning_fixes(void **state)
{
    const name_value none[] = {{NULL, NULL}};
    (void)state;
    check_warning_fix("vary", "GET", none, NULL,
                      "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\n\r\n", CORS_FINDING_VARY_ORIGIN_MISSING);
    check_warning_fix("max-age invalid", "PUT", none,
                      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                      "PUT\r\nAccess-Control-Max-Age: 1e3\r\n\r\n",
                      RS_STAR, CORS_FINDING_MAX_AGE_INVALID);
    check_warning_fix("max-age capped", "PUT", none,
                      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                      "PUT\r\nAccess-Control-Max-Age: 86400\r\n\r\n",
                      RS_STAR, CORS_FINDING_MAX_AGE_CAPPED);
    {
        const name_value auth[] = {{"Authorization", "Bearer t"}, {NULL, NULL}};
        check_warning_fix("authorization alone under *", "GET", auth,
                          "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: "
                          "*\r\n\r\n",
                          RS_STAR, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION);
    }
}

/* Regression (lib/rules_browser.c check_headers / fix_list): the fix of the
 * wildcard-covers-authorization warning drops '*' and names only
 * authorization, so following it breaks every other header '*' covered.
 * Input: GET with Authorization and X-Token, preflight ACAH '*'.
 * Expected fix e.g. "Access-Control-Allow-Headers: *, authorization" (or
 * listing x-token too); actual "Access-Control-Allow-Headers: authorization",
 * after which Chromium refuses x-token (HeaderDisallowedByPreflightResponse). */
static void test_warning_fix_keeps_wildcard(void **state)
{
    const name_value hv[] = {{"Authorization", "Bearer t"}, {"X-Token", "1"}, {NULL, NULL}};
    (void)state;
    check_warning_fix("authorization and x-token under *", "GET", hv,
                      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: "
                      "*\r\n\r\n",
                      RS_STAR, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION);
}

/* Regression (lib/rules_browser.c cors__browser_response): the fix of
 * vary-origin-missing is "Vary: Origin", which, sent instead of the
 * response's "Vary: Accept-Encoding", drops Accept-Encoding (the fixes of
 * the allow lists keep the server's list). Expected
 * "Vary: Accept-Encoding, Origin"; actual "Vary: Origin". */
static void test_vary_fix_keeps_the_list(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    const cors_finding *f;
    (void)state;
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nVary: Accept-Encoding\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    f = find_finding(r, CORS_FINDING_VARY_ORIGIN_MISSING);
    assert_non_null(f);
    assert_span(r, f->fix, "Vary: Accept-Encoding, Origin");
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* Readable headers (R7)                                                     */
/* ------------------------------------------------------------------------ */

static void assert_readable(const cors_report *r, const char *want)
{
    char got[2048];
    size_t n = 0;
    got[0] = '\0';
    for (uint32_t i = 0; i < r->readable_count; i++)
        n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%.*s", i ? "," : "", (int)r->readable[i].length,
                              r->text + r->readable[i].offset);
    if (strcmp(got, want) != 0)
        fail_msg("readable '%s', want '%s'", got, want);
}

#define RS_HEADERS                                                                                     \
    "Content-Type: text/plain\r\nX-Custom: 1\r\nSet-Cookie: a=b\r\nETag: x\r\nCache-Control: "          \
    "no-cache\r\nx-custom: 2\r\nSet-Cookie2: c\r\n"

static void test_readable_headers(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    const cors_finding *f;
    (void)state;

    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" RS_HEADERS
                  "Access-Control-Expose-Headers: X-CUSTOM, set-cookie\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_readable(r, "cache-control,content-type,x-custom");
    f = find_finding(r, CORS_FINDING_EXPOSE_SET_COOKIE);
    assert_non_null(f);
    assert_int_equal(f->severity, CORS_SEVERITY_INFO);

    /* without ACEH, the safelisted names only */
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" RS_HEADERS "\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_readable(r, "cache-control,content-type");

    /* * exposes every name but Set-Cookie(2), the CORS headers included */
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" RS_HEADERS
                  "Access-Control-Expose-Headers: *\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_readable(r, "access-control-allow-origin,access-control-expose-headers,cache-control,content-type,etag,"
                       "x-custom");

    /* with credentials * is a literal name */
    exchange_init(&x, NULL, "GET", INCLUDE, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                  "\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\n" RS_HEADERS
                  "Access-Control-Expose-Headers: *\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_readable(r, "cache-control,content-type");
    f = find_finding(r, CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS);
    assert_non_null(f);
    assert_int_equal(f->severity, CORS_SEVERITY_WARNING);

    /* one bad element empties the list */
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL,
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" RS_HEADERS
                  "Access-Control-Expose-Headers: x-custom, no no\r\n\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_readable(r, "cache-control,content-type");
    f = find_finding(r, CORS_FINDING_EXPOSE_HEADERS_INVALID);
    assert_non_null(f);
    assert_span(r, f->value, "x-custom, no no");
    assert_span(r, f->fix, "Access-Control-Expose-Headers: x-custom");

    /* ACEH on the preflight does not count */
    exchange_init(&x, NULL, "PUT", OMIT, 0, NULL,
                  "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                  "PUT\r\nAccess-Control-Expose-Headers: *\r\n\r\n",
                  "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" RS_HEADERS "\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_readable(r, "cache-control,content-type");

    /* nothing is readable when the browser refuses */
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL, "HTTP/1.1 200 OK\r\n" RS_HEADERS "\r\n");
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->readable_count, 0);
    test_free(r);
}

static char *many_headers(const char *first, size_t count, int same_name, const char *last)
{
    size_t cap = 256 + count * 32, n = 0;
    char *buf = test_malloc(cap);
    n += (size_t)snprintf(buf + n, cap - n, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                                            "Access-Control-Expose-Headers: *\r\n%s", first);
    for (size_t i = 0; i < count; i++)
        n += same_name ? (size_t)snprintf(buf + n, cap - n, "X-A: %zu\r\n", i)
                       : (size_t)snprintf(buf + n, cap - n, "X-%03zu: 1\r\n", i);
    n += (size_t)snprintf(buf + n, cap - n, "%s\r\n", last);
    return buf;
}

static void test_readable_capacity(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    char *text;
    (void)state;
    /* more distinct readable names than the report holds */
    text = many_headers("", CORS_REPORT_READABLE + 44, 0, "");
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL, text);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->readable_count, CORS_REPORT_READABLE);
    assert_int_equal(r->readable_dropped, CORS_REPORT_READABLE + 46 - CORS_REPORT_READABLE);
    assert_true(report_spans_in_bounds(r));
    for (uint32_t i = 1; i < r->readable_count; i++) {
        cors_span a = r->readable[i - 1], b = r->readable[i];
        size_t n = a.length < b.length ? a.length : b.length;
        int c = memcmp(r->text + a.offset, r->text + b.offset, n);
        assert_true(c < 0 || (c == 0 && a.length < b.length)); /* sorted, unique */
    }
    test_free(text);
    test_free(r);
}

/* Regression (lib/rules_browser.c cors__browser_readable_headers): readable names are
 * counted against CORS_REPORT_READABLE before duplicates are removed, so a
 * response with 96 lines of one name drops the names after it. Input: ACAO *,
 * ACEH *, 96 "X-A" lines, then "X-B: 1". Expected readable
 * "access-control-allow-origin,access-control-expose-headers,x-a,x-b" and
 * readable_dropped 0; actual x-b missing and readable_dropped 3. */
static void test_readable_duplicates_do_not_fill_the_report(void **state)
{
    static exchange x;
    cors_report *r = new_report();
    char *text = many_headers("", 96, 1, "X-B: 1\r\n");
    (void)state;
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL, text);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_readable(r, "access-control-allow-origin,access-control-expose-headers,x-a,x-b");
    assert_int_equal(r->readable_dropped, 0);
    test_free(text);
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* Preflight cache lifetime (R4.7, D5)                                       */
/* ------------------------------------------------------------------------ */

static void test_max_age(void **state)
{
    static const struct {
        const char *lines; /* Access-Control-Max-Age line(s), NULL: none */
        int strict;
        int64_t seconds;
        int32_t finding;
        int32_t severity;
    } cases[] = {
        {NULL, 0, 5, 0, 0},
        {"Access-Control-Max-Age: 600\r\n", 0, 600, 0, 0},
        {"Access-Control-Max-Age: 0\r\n", 0, 0, 0, 0},
        {"Access-Control-Max-Age: 7200\r\n", 0, 7200, 0, 0},
        {"Access-Control-Max-Age: 7201\r\n", 0, 7200, CORS_FINDING_MAX_AGE_CAPPED, CORS_SEVERITY_INFO},
        {"Access-Control-Max-Age: 9223372036854775807\r\n", 0, 7200, CORS_FINDING_MAX_AGE_CAPPED, CORS_SEVERITY_INFO},
        {"Access-Control-Max-Age: -1\r\n", 0, 0, CORS_FINDING_MAX_AGE_NEGATIVE, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: -9223372036854775808\r\n", 0, 0, CORS_FINDING_MAX_AGE_NEGATIVE,
         CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: +600\r\n", 0, 600, 0, 0},
        {"Access-Control-Max-Age: abc\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: 1e3\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age:\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: -\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: 10, 20\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: 10\r\nAccess-Control-Max-Age: 20\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID,
         CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: 99999999999999999999\r\n", 0, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        /* the Fetch standard: 1*DIGIT, capped; anything else is 5 seconds */
        {"Access-Control-Max-Age: 99999999999999999999\r\n", 1, 7200, CORS_FINDING_MAX_AGE_CAPPED, CORS_SEVERITY_INFO},
        {"Access-Control-Max-Age: +600\r\n", 1, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: -1\r\n", 1, 5, CORS_FINDING_MAX_AGE_INVALID, CORS_SEVERITY_WARNING},
        {"Access-Control-Max-Age: 600\r\n", 1, 600, 0, 0},
    };
    static exchange x;
    cors_report *r = new_report();
    char pf[512];
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        const cors_finding *f = NULL;
        snprintf(pf, sizeof(pf),
                 "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n%s\r\n",
                 cases[i].lines ? cases[i].lines : "");
        exchange_init(&x, NULL, "PUT", OMIT, cases[i].strict, NULL, pf, RS_STAR);
        assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
        assert_int_equal(r->ok, 1);
        assert_int_equal(r->has_cache_seconds, 1);
        if (r->preflight_cache_seconds != cases[i].seconds)
            fail_msg("'%s' strict %d: %lld s, want %lld", cases[i].lines ? cases[i].lines : "(none)", cases[i].strict,
                     (long long)r->preflight_cache_seconds, (long long)cases[i].seconds);
        for (int32_t code = CORS_FINDING_MAX_AGE_INVALID; code <= CORS_FINDING_MAX_AGE_CAPPED; code++)
            if (find_finding(r, code) != NULL)
                f = find_finding(r, code);
        if (cases[i].finding == 0) {
            if (f != NULL)
                fail_msg("'%s': unexpected %s", cases[i].lines, cors_finding_name(f->code));
            continue;
        }
        if (f == NULL || f->code != cases[i].finding)
            fail_msg("'%s' strict %d: finding %s, want %s", cases[i].lines, cases[i].strict,
                     f ? cors_finding_name(f->code) : "none", cors_finding_name(cases[i].finding));
        assert_int_equal(f->severity, cases[i].severity);
        assert_int_equal(f->stage, CORS_STAGE_PREFLIGHT);
        assert_span(r, f->header, "Access-Control-Max-Age");
        assert_true(f->fix.length > 0);
    }
    /* no preflight, no lifetime */
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL, RS_STAR);
    assert_int_equal(exchange_evaluate(&x, r, NULL), CORS_OK);
    assert_int_equal(r->has_cache_seconds, 0);
    assert_int_equal(r->preflight_cache_seconds, 0);
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* The report: self-contained, bounded                                       */
/* ------------------------------------------------------------------------ */

static char *heap_copy(const char *z)
{
    char *p = malloc(strlen(z) + 1);
    assert_non_null(p);
    strcpy(p, z);
    return p;
}

static void test_report_self_contained(void **state)
{
    cors_header pf_h[16], rs_h[16], req_h[2];
    cors_response pf_r, rs_r;
    cors_policy pf, rs;
    cors_request req;
    cors_report *r = new_report(), *copy = new_report();
    char *origin = heap_copy(ORIGIN), *method = heap_copy("patch"), *name = heap_copy("X-Token"),
         *value = heap_copy("t"), *dpr = heap_copy("DPR"),
         *pf_text = heap_copy("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN
                              "\r\nAccess-Control-Allow-Methods: patch\r\nAccess-Control-Allow-Headers: "
                              "x-token\r\nAccess-Control-Max-Age: abc\r\n\r\n"),
         *rs_text = heap_copy("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                              "\r\nAccess-Control-Expose-Headers: X-Request-Id\r\nX-Request-Id: 42\r\nContent-Type: "
                              "text/plain\r\n\r\n");
    const cors_finding *f;
    (void)state;

    assert_int_equal(cors_response_parse(pf_text, strlen(pf_text), pf_h, 16, &pf_r, NULL), CORS_OK);
    assert_int_equal(cors_response_parse(rs_text, strlen(rs_text), rs_h, 16, &rs_r, NULL), CORS_OK);
    assert_int_equal(cors_policy_from_response(&pf_r, &pf), CORS_OK);
    assert_int_equal(cors_policy_from_response(&rs_r, &rs), CORS_OK);
    cors_request_init(&req);
    req.origin = str_z(origin);
    req.method = str_z(method);
    req_h[0].name = str_z(name);
    req_h[0].value = str_z(value);
    req_h[1].name = str_z(dpr);
    req_h[1].value = STR("2");
    req.headers = req_h;
    req.header_count = 2;
    assert_int_equal(cors_evaluate(NULL, &req, &pf, &rs, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);

    memcpy(copy, r, sizeof(*r));
    /* overwrite and free every input, and the original report */
    memset(r, 'X', sizeof(*r));
    memset(pf_h, 0, sizeof(pf_h));
    memset(rs_h, 0, sizeof(rs_h));
    memset(req_h, 0, sizeof(req_h));
    {
        char *inputs[] = {origin, method, name, value, dpr, pf_text, rs_text};
        for (size_t i = 0; i < COUNT(inputs); i++) {
            memset(inputs[i], 'X', strlen(inputs[i]));
            free(inputs[i]);
        }
    }

    assert_true(report_spans_in_bounds(copy));
    assert_int_equal(copy->ok, 1);
    assert_span(copy, copy->method, "patch");
    assert_span(copy, copy->acr_method, "patch");
    assert_span(copy, copy->acr_headers, "x-token");
    assert_readable(copy, "content-type,x-request-id");
    f = find_finding(copy, CORS_FINDING_MAX_AGE_INVALID);
    assert_non_null(f);
    assert_span(copy, f->header, "Access-Control-Max-Age");
    assert_span(copy, f->value, "abc");
    f = find_finding(copy, CORS_FINDING_VARY_ORIGIN_MISSING);
    assert_non_null(f);
    assert_span(copy, f->fix, "Vary: Origin");
    f = find_finding(copy, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED);
    assert_non_null(f);
    assert_span(copy, f->value, "DPR");
    test_free(r);
    test_free(copy);
}

typedef struct fenced_report {
    cors_report report;
    unsigned char fence[256];
} fenced_report;

static void assert_fence(const fenced_report *fr)
{
    for (size_t i = 0; i < sizeof(fr->fence); i++)
        if (fr->fence[i] != 0x5a)
            fail_msg("byte %zu after the report was written", i);
}

static void test_report_text_truncation(void **state)
{
    fenced_report *fr = test_malloc(sizeof(*fr));
    cors_report *r = &fr->report;
    size_t big = 20000;
    char *text = test_malloc(big + 128);
    static exchange x;
    (void)state;

    /* an Access-Control-Allow-Origin value longer than the whole text buffer */
    memset(fr->fence, 0x5a, sizeof(fr->fence));
    {
        size_t n = (size_t)snprintf(text, 128, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: ");
        memset(text + n, 'a', big);
        memcpy(text + n + big, "\r\n\r\n", 5);
    }
    exchange_init(&x, NULL, "GET", OMIT, 0, NULL, NULL, text);
    cors_report_init(r);
    assert_int_equal(cors_evaluate(&x.options, &x.request, NULL, &x.response.policy, r, NULL), CORS_OK);
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->error, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE); /* the verdict survives */
    assert_int_equal(r->text_truncated, 1);
    assert_int_equal(r->text_length, CORS_REPORT_TEXT);
    assert_true(report_spans_in_bounds(r));
    assert_span(r, r->method, "GET"); /* written before the buffer filled */
    assert_fence(fr);

    /* more findings than the report holds, each with long text */
    {
        static char names[40][420];
        cors_header hs[40];
        size_t n;
        for (size_t i = 0; i < 40; i++) {
            n = (size_t)snprintf(names[i], sizeof(names[i]), "Sec-%02zu-", i);
            memset(names[i] + n, 'x', 400);
            names[i][n + 400] = '\0';
            hs[i].name = str_z(names[i]);
            hs[i].value = STR("1");
        }
        x.request.headers = hs;
        x.request.header_count = 40;
        cors_report_init(r);
        assert_int_equal(cors_evaluate(&x.options, &x.request, NULL, NULL, r, NULL), CORS_E_NEED_RESPONSE);
        assert_int_equal(r->finding_count, CORS_REPORT_FINDINGS);
        assert_int_equal(r->findings_dropped, 40 - CORS_REPORT_FINDINGS);
        assert_int_equal(r->text_truncated, 1);
        assert_true(r->text_length <= CORS_REPORT_TEXT);
        assert_true(report_spans_in_bounds(r));
        for (uint32_t i = 0; i < r->finding_count; i++)
            assert_int_equal(r->findings[i].code, CORS_FINDING_REQUEST_HEADER_DROPPED);
        assert_fence(fr);
    }
    test_free(text);
    test_free(fr);
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

static void realistic_request(cors_request *req)
{
    cors_request_init(req);
    req->origin = STR(ORIGIN);
    req->method = STR("put");
    req->headers = realistic_request_headers;
    req->header_count = COUNT(realistic_request_headers);
    req->credentials = CORS_CREDENTIALS_INCLUDE;
}

static void test_no_allocation(void **state)
{
    cors_header pf_h[16], rs_h[16];
    cors_response pf_r, rs_r;
    cors_policy pf, rs;
    cors_request req;
    cors_options opt;
    cors_error err;
    cors_report *r = new_report();
    void *(*volatile alloc)(size_t) = malloc;
    (void)state;

    /* the counter sees this program's allocations, unless a tool such as
     * valgrind replaced the malloc family itself: then the test cannot see */
    allocation_calls = 0;
    counting = 1;
    free(alloc(16));
    counting = 0;
    if (allocation_calls != 2) {
        print_message("malloc is not interposed here (valgrind?): skipping\n");
        test_free(r);
        skip();
    }

    cors_options_init(&opt);
    realistic_request(&req);
    allocation_calls = 0;
    counting = 1;
    int32_t st1 = cors_response_parse(realistic_preflight, sizeof(realistic_preflight) - 1, pf_h, 16, &pf_r, &err);
    int32_t st2 = cors_response_parse(realistic_response, sizeof(realistic_response) - 1, rs_h, 16, &rs_r, &err);
    int32_t st3 = cors_policy_from_response(&pf_r, &pf);
    int32_t st4 = cors_policy_from_response(&rs_r, &rs);
    int32_t st5 = cors_evaluate(&opt, &req, &pf, &rs, r, &err);
    counting = 0;
    assert_int_equal(allocation_calls, 0);
    assert_int_equal(st1, CORS_OK);
    assert_int_equal(st2, CORS_OK);
    assert_int_equal(st3, CORS_OK);
    assert_int_equal(st4, CORS_OK);
    assert_int_equal(st5, CORS_OK);
    /* and it was a real evaluation */
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->preflight, 1);
    assert_span(r, r->acr_headers, "authorization,content-type,x-request-id");
    assert_int_equal(r->preflight_cache_seconds, 7200);
    assert_readable(r, "content-type,location,x-request-id");
    test_free(r);
}

/* ------------------------------------------------------------------------ */
/* Threads                                                                   */
/* ------------------------------------------------------------------------ */

#define THREADS 4
#define ROUNDS 10000

typedef struct shared_inputs {
    const cors_options *options;
    const cors_request *request;
    const cors_policy *preflight;
    const cors_policy *response;
    const cors_report *expected;
    int32_t expected_status;
} shared_inputs;

typedef struct worker {
    const shared_inputs *in;
    long mismatches;
} worker;

static int evaluate_many(void *arg)
{
    worker *w = arg;
    const shared_inputs *in = w->in;
    cors_report *r = __libc_malloc(sizeof(*r));
    size_t fixed = offsetof(cors_report, text);
    if (r == NULL)
        return 1;
    for (int i = 0; i < ROUNDS; i++) {
        int32_t st;
        cors_report_init(r);
        st = cors_evaluate(in->options, in->request, in->preflight, in->response, r, NULL);
        if (st != in->expected_status || memcmp(r, in->expected, fixed) != 0 ||
            memcmp(r->text, in->expected->text, in->expected->text_length) != 0)
            w->mismatches++;
    }
    __libc_free(r);
    return 0;
}

static void test_threads(void **state)
{
    cors_header pf_h[16], rs_h[16];
    cors_response pf_r, rs_r;
    cors_policy pf, rs;
    cors_request req;
    cors_options opt;
    cors_report *expected = new_report();
    shared_inputs in;
    worker workers[THREADS];
    thrd_t threads[THREADS];
    (void)state;

    assert_int_equal(cors_response_parse(realistic_preflight, sizeof(realistic_preflight) - 1, pf_h, 16, &pf_r, NULL),
                     CORS_OK);
    assert_int_equal(cors_response_parse(realistic_response, sizeof(realistic_response) - 1, rs_h, 16, &rs_r, NULL),
                     CORS_OK);
    assert_int_equal(cors_policy_from_response(&pf_r, &pf), CORS_OK);
    assert_int_equal(cors_policy_from_response(&rs_r, &rs), CORS_OK);
    cors_options_init(&opt);
    realistic_request(&req);
    in.options = &opt;
    in.request = &req;
    in.preflight = &pf;
    in.response = &rs;
    in.expected = expected;
    in.expected_status = cors_evaluate(&opt, &req, &pf, &rs, expected, NULL);
    assert_int_equal(in.expected_status, CORS_OK);
    assert_true(expected->finding_count > 0 && expected->readable_count > 0);

    for (int i = 0; i < THREADS; i++) {
        workers[i].in = &in;
        workers[i].mismatches = 0;
        assert_int_equal(thrd_create(&threads[i], evaluate_many, &workers[i]), thrd_success);
    }
    for (int i = 0; i < THREADS; i++) {
        int rc = -1;
        assert_int_equal(thrd_join(threads[i], &rc), thrd_success);
        assert_int_equal(rc, 0);
        assert_int_equal(workers[i].mismatches, 0);
    }
    test_free(expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_bad_origin),
        cmocka_unit_test(test_rules_echoed),
        cmocka_unit_test(test_need_preflight),
        cmocka_unit_test(test_need_response),
        cmocka_unit_test(test_error_kinds),
        cmocka_unit_test(test_fixes_lead_to_success),
        cmocka_unit_test(test_warning_fixes),
        cmocka_unit_test(test_readable_headers),
        cmocka_unit_test(test_readable_capacity),
        cmocka_unit_test(test_max_age),
        cmocka_unit_test(test_report_self_contained),
        cmocka_unit_test(test_report_text_truncation),
        cmocka_unit_test(test_no_allocation),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_warning_fix_keeps_wildcard),
        cmocka_unit_test(test_vary_fix_keeps_the_list),
        cmocka_unit_test(test_readable_duplicates_do_not_fill_the_report),
        cmocka_unit_test(test_inconsistent_policy_is_an_argument_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
