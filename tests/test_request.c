/* SPDX-License-Identifier: MIT */
/*
 * test_request.c - lib/request.c: the page's side of the Fetch model, through
 * cors_evaluate without responses (the report says what is sent) and through
 * cors__request_model_build (the model the rules read): method normalization
 * and report.method; fetch() rejections with their finding; forbidden headers
 * dropped with a finding each; the safelistable slots; the 1024-byte budget
 * and fetch()'s default Accept; repeated headers joined as Chromium joins
 * them; Access-Control-Request-Headers for any number of unsafe names (1,000
 * headers against a reference sorted with qsort), chunk by chunk.
 *
 * Behaviour the corpus covers (tests/corpus/request-*.case: which value is
 * safelisted, which request is preflighted) is not repeated here; the value
 * rules themselves are tested in test_safelist.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

#define ORIGIN "https://app.example"

/* Long values, built by the preprocessor. */
#define A4 "aaaa"
#define A16 A4 A4 A4 A4
#define A64 A16 A16 A16 A16
#define A100 A64 A16 A16 A4
#define A128 A64 A64
#define D16 "1111111111111111"
#define D128 D16 D16 D16 D16 D16 D16 D16 D16
#define L63 A16 A16 A16 "aaaaaaaaaaaaaaa"
#define L125 A64 A16 A16 A16 "aaaaaaaaaaaaa"
#define L126 L125 "a"
_Static_assert(sizeof(A100) == 101 && sizeof(A128) == 129 && sizeof(D128) == 129, "lengths");
_Static_assert(sizeof(L63) == 64 && sizeof(L125) == 126 && sizeof(L126) == 127, "lengths");

typedef struct req_header {
    const char *name;
    const char *value;
    size_t value_len; /* 0: strlen(value) */
} req_header;

#define MAX_ROW_HEADERS 10

/* The row's headers as cors_headers; returns how many. */
static size_t row_headers(const req_header *in, cors_header *out)
{
    size_t n = 0;
    for (; n < MAX_ROW_HEADERS && in[n].name != NULL; n++) {
        out[n].name = str_z(in[n].name);
        out[n].value.ptr = in[n].value;
        out[n].value.len = in[n].value_len ? in[n].value_len : strlen(in[n].value);
    }
    return n;
}

static void request_for(cors_request *req, const char *method, const cors_header *hs, size_t n, int32_t credentials)
{
    cors_request_init(req, sizeof(*req));
    req->origin = STR(ORIGIN);
    req->method = str_z(method);
    req->headers = hs;
    req->header_count = n;
    req->credentials = credentials;
}

/* cors_evaluate without responses, rules browser, into buffers as large as
 * the answer takes (a second call when the first says CORS_NEED_ROOM). */
static cors_report *evaluate_whole(const cors_request *req)
{
    static cors_report r;
    static cors_finding *findings;
    static cors_span *readable;
    static char *text;
    static size_t findings_cap, readable_cap, text_cap;
    for (int round = 0; round < 2; round++) {
        cors_report_init(&r, sizeof(r), findings, findings_cap, readable, readable_cap, text, text_cap);
        assert_int_equal(cors_evaluate(NULL, req, NULL, NULL, &r, NULL), CORS_OK);
        if (!(r.needs & CORS_NEED_ROOM))
            return &r;
        free(findings);
        free(readable);
        free(text);
        findings_cap = r.finding_count;
        readable_cap = r.readable_count;
        text_cap = r.text_length;
        findings = malloc(findings_cap * sizeof(*findings) + 1);
        readable = malloc(readable_cap * sizeof(*readable) + 1);
        text = malloc(text_cap + 1);
        assert_non_null(findings);
        assert_non_null(readable);
        assert_non_null(text);
    }
    fail_msg("a second call with the counts as capacities still needs room");
    return NULL;
}

/* cors_evaluate without responses, rules browser. */
static cors_report *evaluate(big_report *b, const cors_request *req, int strict)
{
    cors_options opt;
    cors_error err;
    cors_report *r = big_report_lend(b);
    cors_options_init(&opt, sizeof(opt));
    opt.flags = strict ? CORS_OPTION_STRICT : 0;
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_evaluate(&opt, req, NULL, NULL, r, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_true(report_spans_in_bounds(r));
    assert_int_equal(r->needs & CORS_NEED_ROOM, 0);
    return r;
}

/* The model, as cors_evaluate builds it for the rules browser. */
static void build_model(cors__eval *ev, cors_report *r, const cors_request *req, int strict,
                        const cors__request_override *ov)
{
    memset(ev, 0, sizeof(*ev));
    ev->rules = cors__rules_get(CORS_RULES_BROWSER);
    ev->strict = strict;
    ev->request = req;
    ev->origin = req->origin;
    assert_int_equal(cors__request_model_build(ev, ov, r, NULL), CORS_OK);
}

static const cors_finding *nth_finding(const cors_report *r, int32_t code, size_t nth)
{
    for (size_t i = 0; i < r->finding_count; i++)
        if (r->findings[i].code == code && nth-- == 0)
            return &r->findings[i];
    return NULL;
}

static int contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

static size_t count_findings(const cors_report *r, int32_t code)
{
    size_t n = 0;
    while (nth_finding(r, code, n) != NULL)
        n++;
    return n;
}

/* ------------------------------------------------------------------------ */
/* Method normalization: report.method, also when no preflight is sent        */
/* ------------------------------------------------------------------------ */

static void test_method_normalization(void **state)
{
    static const struct {
        const char *method, *normalized;
        int preflight;
    } rows[] = {
        /* Fetch: normalize a method: DELETE GET HEAD OPTIONS POST PUT, byte-case-insensitively */
        {.method = "", .normalized = "GET", .preflight = 0},
        {.method = "GET", .normalized = "GET", .preflight = 0},
        {.method = "get", .normalized = "GET", .preflight = 0},
        {.method = "Get", .normalized = "GET", .preflight = 0},
        {.method = "head", .normalized = "HEAD", .preflight = 0},
        {.method = "pOsT", .normalized = "POST", .preflight = 0},
        {.method = "put", .normalized = "PUT", .preflight = 1},
        {.method = "dElEtE", .normalized = "DELETE", .preflight = 1},
        {.method = "options", .normalized = "OPTIONS", .preflight = 1},
        /* every other method keeps its case */
        {.method = "patch", .normalized = "patch", .preflight = 1},
        {.method = "Patch", .normalized = "Patch", .preflight = 1},
        {.method = "CHICKEN", .normalized = "CHICKEN", .preflight = 1},
        {.method = "*", .normalized = "*", .preflight = 1},
        {.method = "GETS", .normalized = "GETS", .preflight = 1},
    };
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_request req;
        cors_report *r;
        request_for(&req, rows[i].method, NULL, 0, CORS_CREDENTIALS_OMIT);
        r = evaluate(&b, &req, 0);
        if (!span_is(r, r->method, rows[i].normalized) || r->preflight != rows[i].preflight)
            fail_msg("'%s': method '%.*s' preflight %d", rows[i].method, (int)r->method.length,
                     r->text + r->method.offset, (int)r->preflight);
        assert_int_equal(r->needs, rows[i].preflight ? CORS_NEED_PREFLIGHT : CORS_NEED_RESPONSE);
        assert_int_equal(r->has_acr_method, rows[i].preflight);
        assert_int_equal(r->has_acr_headers, 0);
        if (rows[i].preflight)
            assert_span(r, r->acr_method, rows[i].normalized);
        else
            assert_int_equal(r->acr_method.length, 0);
        assert_int_equal(r->ok, 0);
        assert_int_equal(r->failed_at, CORS_STAGE_NONE);
        assert_int_equal(r->finding_count, 0);
    }
}

/* ------------------------------------------------------------------------ */
/* fetch() throws: the verdict and its finding                               */
/* ------------------------------------------------------------------------ */

typedef struct reject_row {
    const char *label;
    int strict;
    const char *method;
    req_header headers[MAX_ROW_HEADERS];
    int32_t kind;
    int32_t finding;
    const char *value;    /* the finding's value: the method, or the header's name */
    size_t value_len;     /* 0: strlen(value) */
    size_t before;        /* findings before the error (dropped headers) */
} reject_row;

static const reject_row reject_rows[] = {
    {.label = "trailing space", .method = "GET ", .kind = CORS_KIND_INVALID_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_INVALID, .value = "GET "},
    {.label = "leading space", .method = " GET", .kind = CORS_KIND_INVALID_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_INVALID, .value = " GET"},
    {.label = "control byte", .method = "GE\x01T", .kind = CORS_KIND_INVALID_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_INVALID, .value = "GE\x01T"},
    {.label = "non-ASCII", .method = "G\xc3\x89T", .kind = CORS_KIND_INVALID_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_INVALID, .value = "G\xc3\x89T"},
    {.label = "CRLF", .method = "GET\r\n", .kind = CORS_KIND_INVALID_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_INVALID, .value = "GET\r\n"},
    {.label = "forbidden, as given", .method = "cOnNeCt", .kind = CORS_KIND_FORBIDDEN_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_FORBIDDEN, .value = "cOnNeCt"},
    {.label = "forbidden in strict too", .strict = 1, .method = "TRACK", .kind = CORS_KIND_FORBIDDEN_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_FORBIDDEN, .value = "TRACK"},
    {.label = "the method is checked before the headers", .method = "TRACE",
     .headers = {{.name = "X Y", .value = "1"}}, .kind = CORS_KIND_FORBIDDEN_METHOD,
     .finding = CORS_FINDING_REQUEST_METHOD_FORBIDDEN, .value = "TRACE"},
    {.label = "space in a name", .method = "GET", .headers = {{.name = "X-A", .value = "1"}, {.name = "X Foo", .value = "1"}},
     .kind = CORS_KIND_INVALID_HEADER_NAME, .finding = CORS_FINDING_REQUEST_HEADER_NAME_INVALID, .value = "X Foo"},
    {.label = "empty name", .method = "GET", .headers = {{.name = "", .value = "1"}}, .kind = CORS_KIND_INVALID_HEADER_NAME,
     .finding = CORS_FINDING_REQUEST_HEADER_NAME_INVALID, .value = ""},
    {.label = "colon in a name", .method = "GET", .headers = {{.name = "X-Foo:", .value = "1"}},
     .kind = CORS_KIND_INVALID_HEADER_NAME, .finding = CORS_FINDING_REQUEST_HEADER_NAME_INVALID, .value = "X-Foo:"},
    {.label = "a bad name after a dropped one", .method = "GET",
     .headers = {{.name = "Cookie", .value = "a=b"}, {.name = "X Y", .value = "1"}}, .kind = CORS_KIND_INVALID_HEADER_NAME,
     .finding = CORS_FINDING_REQUEST_HEADER_NAME_INVALID, .value = "X Y", .before = 1},
    {.label = "NUL in a value", .method = "GET", .headers = {{.name = "X-A", .value = "a\0b", .value_len = 3}},
     .kind = CORS_KIND_INVALID_HEADER_VALUE, .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .value = "X-A"},
    {.label = "CR inside a value", .method = "GET", .headers = {{.name = "X-A", .value = "a\rb"}},
     .kind = CORS_KIND_INVALID_HEADER_VALUE, .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .value = "X-A"},
    {.label = "LF in a safelistable value", .method = "POST", .headers = {{.name = "Accept", .value = "a\nb"}},
     .kind = CORS_KIND_INVALID_HEADER_VALUE, .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .value = "Accept"},
    {.label = "a bad value on a forbidden name", .method = "GET", .headers = {{.name = "Cookie", .value = "a\nb"}},
     .kind = CORS_KIND_INVALID_HEADER_VALUE, .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .value = "Cookie"},
    {.label = "the first bad header decides", .method = "GET",
     .headers = {{.name = "X-A", .value = "a\nb"}, {.name = "X B", .value = "c"}}, .kind = CORS_KIND_INVALID_HEADER_VALUE,
     .finding = CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, .value = "X-A"},
};

static void test_rejections(void **state)
{
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(reject_rows); i++) {
        const reject_row *row = &reject_rows[i];
        cors_header hs[MAX_ROW_HEADERS];
        cors_request req;
        const cors_finding *f;
        cors_report *r;
        size_t vlen = row->value_len ? row->value_len : strlen(row->value);
        request_for(&req, row->method, hs, row_headers(row->headers, hs), CORS_CREDENTIALS_OMIT);
        r = evaluate(&b, &req, row->strict);
        /* a verdict: nothing is sent, nothing more is needed */
        if (r->failed_at != CORS_STAGE_REQUEST || r->kind != row->kind || r->ok || r->needs != 0)
            fail_msg("%s: failed_at %d kind %s needs %d", row->label, (int)r->failed_at, cors_kind_name(r->kind),
                     (int)r->needs);
        assert_int_equal(r->preflight, 0);
        assert_int_equal(r->has_acr_method, 0);
        assert_int_equal(r->has_acr_headers, 0);
        assert_int_equal(r->has_cache_seconds, 0);
        assert_int_equal(r->readable_count, 0);
        /* the error is the last finding, after any dropped header */
        assert_int_equal(r->finding_count, row->before + 1);
        f = &r->findings[row->before];
        if (f->code != row->finding)
            fail_msg("%s: finding %s", row->label, cors_finding_name(f->code));
        assert_int_equal(f->severity, CORS_SEVERITY_ERROR);
        assert_int_equal(f->stage, CORS_STAGE_REQUEST);
        assert_int_equal(f->hop, 0);
        assert_int_equal(f->header.length, 0);
        assert_int_equal(f->fix.length, 0);
        assert_true(f->message.length > 0);
        if (!(f->value.length == vlen && memcmp(r->text + f->value.offset, row->value, vlen) == 0))
            fail_msg("%s: value '%.*s'", row->label, (int)f->value.length, r->text + f->value.offset);
        for (size_t k = 0; k < row->before; k++)
            assert_int_equal(r->findings[k].code, CORS_FINDING_REQUEST_HEADER_DROPPED);
    }
}

/* ------------------------------------------------------------------------ */
/* Forbidden headers are dropped, each with a finding                        */
/* ------------------------------------------------------------------------ */

typedef struct drop_row {
    const char *label;
    int strict;
    const char *method;
    req_header headers[MAX_ROW_HEADERS];
    const char *acr_headers;       /* NULL: none sent */
    const char *dropped[4];        /* the findings' values, in order */
} drop_row;

static const drop_row drop_rows[] = {
    {.label = "names of any case, each its own finding", .method = "GET",
     .headers = {{.name = "Host", .value = "x"}, {.name = "origin", .value = "x"}, {.name = "REFERER", .value = "x"}},
     .dropped = {"Host", "origin", "REFERER"}},
    {.label = "dropped among unsafe ones", .method = "GET",
     .headers = {{.name = "X-B", .value = "1"}, {.name = "Cookie", .value = "a"}, {.name = "x-a", .value = "1"},
                 {.name = "Sec-Fetch-Mode", .value = "cors"}},
     .acr_headers = "x-a,x-b", .dropped = {"Cookie", "Sec-Fetch-Mode"}},
    {.label = "a PUT with only a dropped header sends no ACRH", .method = "PUT",
     .headers = {{.name = "Proxy-Authorization", .value = "Basic x"}}, .dropped = {"Proxy-Authorization"}},
    {.label = "the page's own ACRH is dropped", .method = "PUT",
     .headers = {{.name = "Access-Control-Request-Headers", .value = "x-a"}}, .dropped = {"Access-Control-Request-Headers"}},
    {.label = "User-Agent dropped by Chromium", .method = "GET", .headers = {{.name = "User-Agent", .value = "bot"}},
     .dropped = {"User-Agent"}},
    {.label = "User-Agent unsafe under the standard", .strict = 1, .method = "GET",
     .headers = {{.name = "User-Agent", .value = "bot"}}, .acr_headers = "user-agent"},
    {.label = "a method override naming TRACE, after trimming", .method = "GET",
     .headers = {{.name = "X-HTTP-Method-Override", .value = "\r\n TRACE\t"}}, .dropped = {"X-HTTP-Method-Override"}},
    {.label = "a method override naming PUT is unsafe", .method = "GET",
     .headers = {{.name = "X-HTTP-Method-Override", .value = "PUT"}}, .acr_headers = "x-http-method-override"},
    {.label = "a dropped line between repeats is not joined", .method = "GET",
     .headers = {{.name = "Accept", .value = "a"}, {.name = "Cookie", .value = "x"}, {.name = "Accept", .value = "b"}},
     .dropped = {"Cookie"}},
};

static void test_dropped_headers(void **state)
{
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(drop_rows); i++) {
        const drop_row *row = &drop_rows[i];
        cors_header hs[MAX_ROW_HEADERS];
        cors_request req;
        cors_report *r;
        size_t want = 0;
        request_for(&req, row->method, hs, row_headers(row->headers, hs), CORS_CREDENTIALS_OMIT);
        r = evaluate(&b, &req, row->strict);
        assert_int_equal(r->failed_at, CORS_STAGE_NONE);
        if (row->acr_headers == NULL ? r->has_acr_headers != 0
                                     : !(r->has_acr_headers && span_is(r, r->acr_headers, row->acr_headers)))
            fail_msg("%s: ACRH '%.*s' (sent %d)", row->label, (int)r->acr_headers.length,
                     r->text + r->acr_headers.offset, (int)r->has_acr_headers);
        for (; want < COUNT(row->dropped) && row->dropped[want] != NULL; want++) {
            const cors_finding *f = nth_finding(r, CORS_FINDING_REQUEST_HEADER_DROPPED, want);
            if (f == NULL)
                fail_msg("%s: no finding for %s", row->label, row->dropped[want]);
            assert_int_equal(f->severity, CORS_SEVERITY_INFO);
            assert_int_equal(f->stage, CORS_STAGE_REQUEST);
            assert_int_equal(f->hop, 0);
            assert_span(r, f->value, row->dropped[want]);
            assert_int_equal(f->fix.length, 0);
            /* the message names the header as the page spelled it */
            assert_true(contains(r->text + f->message.offset, f->message.length, row->dropped[want]));
        }
        assert_int_equal(count_findings(r, CORS_FINDING_REQUEST_HEADER_DROPPED), want);
    }
}

/* ------------------------------------------------------------------------ */
/* The model                                                                 */
/* ------------------------------------------------------------------------ */

static const cors__safelist_slot *slot_of(const cors__eval *ev, cors__tok tok)
{
    int k = cors__token_safelist_index(tok);
    assert_true(k >= 0);
    return &ev->model.slot[k];
}

static void test_model_slots(void **state)
{
    static cors__eval ev;
    static big_report b;
    cors_header hs[] = {{STR("Content-Type"), STR("text/plain")},
                        {STR("X-Token"), STR("t")},
                        {STR("content-type"), STR(" text/plain ")},
                        {STR("DPR"), STR("2")}};
    cors_request req;
    const cors__safelist_slot *ct, *dpr;
    (void)state;

    request_for(&req, "post", hs, COUNT(hs), CORS_CREDENTIALS_INCLUDE);
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_true(ev.model.credentialed);
    assert_str(ev.model.method, "POST");
    assert_true(ev.model.method_is_safelisted);
    ct = slot_of(&ev, TOK_CONTENT_TYPE);
    assert_str(ct->name, "Content-Type"); /* the first spelling */
    assert_str(ct->value, "text/plain");
    assert_int_equal(ct->lines, 2);
    assert_int_equal(ct->combined_length, strlen("text/plain, text/plain"));
    assert_false(ct->is_safelisted); /* Chromium joins the two */
    assert_int_equal(ct->safelisted_bytes, 0);
    dpr = slot_of(&ev, TOK_DPR);
    assert_true(dpr->is_safelisted);
    assert_true(dpr->is_chromium_only);
    assert_int_equal(dpr->safelisted_bytes, 1);
    assert_int_equal(slot_of(&ev, TOK_ACCEPT)->lines, 0);
    /* the unsafe names, lowercase-sorted; views into the request */
    assert_int_equal(ev.model.unsafe_count, 2);
    assert_false(ev.model.unsafe_more);
    assert_str(ev.model.unsafe[0], "Content-Type");
    assert_str(ev.model.unsafe[1], "X-Token");
    assert_true(ev.model.needs_preflight);
    assert_false(ev.model.over_budget);
    assert_false(ev.model.has_conditional);

    /* the standard judges each pair on its own */
    build_model(&ev, big_report_lend(&b), &req, 1, NULL);
    ct = slot_of(&ev, TOK_CONTENT_TYPE);
    assert_true(ct->is_safelisted);
    assert_int_equal(ct->safelisted_bytes, 2 * strlen("text/plain"));
    assert_false(slot_of(&ev, TOK_DPR)->is_safelisted);
    assert_false(slot_of(&ev, TOK_DPR)->is_chromium_only);
    assert_int_equal(ev.model.unsafe_count, 2);
    assert_str(ev.model.unsafe[0], "DPR");
    assert_str(ev.model.unsafe[1], "X-Token");
}

static void test_model_credentials_and_overrides(void **state)
{
    static cors__eval ev;
    static big_report b;
    static const cors_header probe[] = {{STR_INIT("Content-Type"), STR_INIT("application/json")}};
    cors_header hs[] = {{STR("X-Page"), STR("1")}};
    cors_request req;
    cors__request_override ov = {.credentials = -1, .headers = NULL, .header_count = 0};
    (void)state;
    static const struct {
        int32_t credentials, override;
        int credentialed;
    } rows[] = {
        {.credentials = CORS_CREDENTIALS_INCLUDE, .override = -1, .credentialed = 1},
        {.credentials = CORS_CREDENTIALS_OMIT, .override = -1, .credentialed = 0},
        /* same-origin behaves as omit cross-origin */
        {.credentials = CORS_CREDENTIALS_SAME_ORIGIN, .override = -1, .credentialed = 0},
        {.credentials = CORS_CREDENTIALS_OMIT, .override = CORS_CREDENTIALS_INCLUDE, .credentialed = 1},
        {.credentials = CORS_CREDENTIALS_INCLUDE, .override = CORS_CREDENTIALS_OMIT, .credentialed = 0},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        request_for(&req, "GET", hs, 1, rows[i].credentials);
        ov.credentials = rows[i].override;
        build_model(&ev, big_report_lend(&b), &req, 0, &ov);
        assert_int_equal(ev.model.credentialed, rows[i].credentialed);
    }
    /* the rule set's headers replace the page's */
    ov.credentials = -1;
    ov.headers = probe;
    ov.header_count = 1;
    build_model(&ev, big_report_lend(&b), &req, 0, &ov);
    assert_int_equal(ev.model.unsafe_count, 1);
    assert_str(ev.model.unsafe[0], "Content-Type");
    assert_ptr_equal(ev.model.headers, probe);
}

static void test_model_conditional(void **state)
{
    static const char *const names[] = {"If-Modified-Since", "if-none-match", "If-Unmodified-Since", "IF-MATCH",
                                        "If-Range"};
    static cors__eval ev;
    static big_report b;
    cors_request req;
    (void)state;
    for (size_t i = 0; i < COUNT(names); i++) {
        cors_header hs[] = {{STR("Accept"), STR("*/*")}, {str_z(names[i]), STR("x")}};
        request_for(&req, "GET", hs, 2, CORS_CREDENTIALS_OMIT);
        build_model(&ev, big_report_lend(&b), &req, 0, NULL);
        assert_true(ev.model.has_conditional);
        assert_true(ev.model.needs_preflight); /* and they are CORS-unsafe */
        request_for(&req, "GET", hs, 1, CORS_CREDENTIALS_OMIT);
        build_model(&ev, big_report_lend(&b), &req, 0, NULL);
        assert_false(ev.model.has_conditional);
    }
}

/* ------------------------------------------------------------------------ */
/* The 1024-byte budget                                                      */
/* ------------------------------------------------------------------------ */

typedef struct budget_row {
    const char *label;
    int strict;
    req_header headers[MAX_ROW_HEADERS];
    int over_budget;
    int default_accept_unsafe;
    const char *acr_headers; /* NULL: none sent */
    int chromium_only_warnings;
} budget_row;

static const budget_row budget_rows[] = {
    {.label = "exactly 1024 with an explicit Accept",
     .headers = {{.name = "Accept", .value = A128}, {.name = "DPR", .value = D128}, {.name = "Device-Memory", .value = D128},
                 {.name = "Downlink", .value = D128}, {.name = "Width", .value = D128},
                 {.name = "Viewport-Width", .value = D128}, {.name = "RTT", .value = D128},
                 {.name = "Intervention", .value = A128}},
     .chromium_only_warnings = 7},
    {.label = "1026: every safelisted name turns unsafe, and no warning",
     .headers = {{.name = "Accept", .value = A128}, {.name = "DPR", .value = D128}, {.name = "Device-Memory", .value = D128},
                 {.name = "Downlink", .value = D128}, {.name = "Width", .value = D128},
                 {.name = "Viewport-Width", .value = D128}, {.name = "RTT", .value = D128},
                 {.name = "Intervention", .value = A128}, {.name = "Save-Data", .value = "on"}},
     .over_budget = 1, .acr_headers = "accept,device-memory,downlink,dpr,intervention,rtt,save-data,viewport-width,width"},
    {.label = "1024 counting fetch()'s default Accept (3 bytes)",
     .headers = {{.name = "Content-Language", .value = L125}, {.name = "DPR", .value = D128},
                 {.name = "Device-Memory", .value = D128}, {.name = "Downlink", .value = D128},
                 {.name = "Width", .value = D128}, {.name = "Viewport-Width", .value = D128},
                 {.name = "RTT", .value = D128}, {.name = "Intervention", .value = A128}},
     .chromium_only_warnings = 7},
    {.label = "1025 with the default Accept: accept is sent too",
     .headers = {{.name = "Content-Language", .value = L126}, {.name = "DPR", .value = D128},
                 {.name = "Device-Memory", .value = D128}, {.name = "Downlink", .value = D128},
                 {.name = "Width", .value = D128}, {.name = "Viewport-Width", .value = D128},
                 {.name = "RTT", .value = D128}, {.name = "Intervention", .value = A128}},
     .over_budget = 1, .default_accept_unsafe = 1,
     .acr_headers = "accept,content-language,device-memory,downlink,dpr,intervention,rtt,viewport-width,width"},
    {.label = "unsafe and forbidden headers do not count",
     .headers = {{.name = "Accept", .value = A128}, {.name = "X-Big", .value = A128}, {.name = "X-Big2", .value = A128},
                 {.name = "X-Big3", .value = A128}, {.name = "X-Big4", .value = A128}, {.name = "X-Big5", .value = A128},
                 {.name = "X-Big6", .value = A128}, {.name = "Cookie", .value = A128}, {.name = "X-Big8", .value = A128}},
     .acr_headers = "x-big,x-big2,x-big3,x-big4,x-big5,x-big6,x-big8"},
    {.label = "a joined, unsafe pair does not count",
     .headers = {{.name = "Accept", .value = A100}, {.name = "accept", .value = A100}, {.name = "DPR", .value = D128},
                 {.name = "Device-Memory", .value = D128}, {.name = "Downlink", .value = D128},
                 {.name = "Width", .value = D128}, {.name = "Viewport-Width", .value = D128},
                 {.name = "RTT", .value = D128}, {.name = "Intervention", .value = A128}},
     .acr_headers = "accept", .chromium_only_warnings = 7},
    {.label = "strict: eight 128-byte Accept pairs are 1024", .strict = 1,
     .headers = {{.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128},
                 {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128},
                 {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}}},
    {.label = "strict: nine exceed it", .strict = 1,
     .headers = {{.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128},
                 {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128},
                 {.name = "Accept", .value = A128}, {.name = "Accept", .value = A128}, {.name = "accept", .value = A128}},
     .over_budget = 1, .acr_headers = "accept"},
};

static void test_budget(void **state)
{
    static cors__eval ev;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(budget_rows); i++) {
        const budget_row *row = &budget_rows[i];
        cors_header hs[MAX_ROW_HEADERS];
        cors_request req;
        cors_report *r;
        size_t sum = 0;
        request_for(&req, "GET", hs, row_headers(row->headers, hs), CORS_CREDENTIALS_OMIT);
        r = big_report_lend(&b);
        build_model(&ev, r, &req, row->strict, NULL);
        for (int k = 0; k < TOKEN_SAFELISTABLE_COUNT; k++)
            sum += ev.model.slot[k].safelisted_bytes;
        if (ev.model.over_budget != row->over_budget || ev.model.default_accept_unsafe != row->default_accept_unsafe)
            fail_msg("%s: over_budget %d default_accept_unsafe %d (%zu bytes)", row->label, ev.model.over_budget,
                     ev.model.default_accept_unsafe, sum);
        /* the budget is the safelisted bytes, plus 3 for the default Accept */
        assert_int_equal(ev.model.over_budget,
                         sum + (ev.model.slot[0].lines == 0 ? 3 : 0) > FETCH_SAFELIST_TOTAL_MAX);
        assert_int_equal(count_findings(r, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED), row->chromium_only_warnings);
        r = evaluate(&b, &req, row->strict);
        if (row->acr_headers == NULL ? r->has_acr_headers != 0
                                     : !(r->has_acr_headers && span_is(r, r->acr_headers, row->acr_headers)))
            fail_msg("%s: ACRH '%.*s'", row->label, (int)r->acr_headers.length, r->text + r->acr_headers.offset);
    }
}

/* ------------------------------------------------------------------------ */
/* Repeated headers: Chromium joins them with ", " before the rules          */
/* ------------------------------------------------------------------------ */

typedef struct join_row {
    const char *label;
    int strict;
    req_header headers[MAX_ROW_HEADERS];
    int safelisted;      /* the slot of the first header */
    size_t combined;     /* its combined_length (Chromium) */
    int combined_warning;
} join_row;

static const join_row join_rows[] = {
    {.label = "joined to 128 bytes: safelisted",
     .headers = {{.name = "Content-Language", .value = L63}, {.name = "content-language", .value = L63}},
     .safelisted = 1, .combined = 128},
    {.label = "joined to 129 bytes: not, and Chromium alone says so",
     .headers = {{.name = "Content-Language", .value = L63}, {.name = "content-language", .value = L63 "a"}},
     .safelisted = 0, .combined = 129, .combined_warning = 1},
    {.label = "an empty value is joined too",
     .headers = {{.name = "Content-Type", .value = ""}, {.name = "Content-Type", .value = "text/plain"}},
     .safelisted = 0, .combined = 12, .combined_warning = 0},
    {.label = "three values", .headers = {{.name = "Accept-Language", .value = "en"}, {.name = "Accept-Language", .value = "fr"},
                                          {.name = "ACCEPT-LANGUAGE", .value = "de"}},
     .safelisted = 1, .combined = 10},
    {.label = "one unsafe value: no warning, it is unsafe alone",
     .headers = {{.name = "Content-Type", .value = "application/json"}, {.name = "Content-Type", .value = "text/plain"}},
     .safelisted = 0, .combined = 28},
    {.label = "values trimmed before joining",
     .headers = {{.name = "Accept", .value = "\t a \t"}, {.name = "Accept", .value = " b "}}, .safelisted = 1, .combined = 4},
    {.label = "strict: each pair on its own", .strict = 1,
     .headers = {{.name = "Content-Type", .value = "text/plain"}, {.name = "Content-Type", .value = "text/plain"}},
     .safelisted = 1, .combined = 22},
};

static void test_repeated_headers_joined(void **state)
{
    static cors__eval ev;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(join_rows); i++) {
        const join_row *row = &join_rows[i];
        cors_header hs[MAX_ROW_HEADERS];
        cors_request req;
        cors_report *r = big_report_lend(&b);
        const cors__safelist_slot *s;
        const cors_finding *f;
        request_for(&req, "GET", hs, row_headers(row->headers, hs), CORS_CREDENTIALS_OMIT);
        build_model(&ev, r, &req, row->strict, NULL);
        s = slot_of(&ev, cors__token_lookup(hs[0].name));
        if (s->is_safelisted != row->safelisted || s->combined_length != row->combined)
            fail_msg("%s: safelisted %d combined %zu", row->label, s->is_safelisted, s->combined_length);
        assert_ptr_equal(s->name.ptr, hs[0].name.ptr);
        f = find_finding(r, CORS_FINDING_REQUEST_HEADERS_COMBINED);
        if ((f != NULL) != row->combined_warning)
            fail_msg("%s: combined warning %d", row->label, f != NULL);
        if (f != NULL) {
            assert_int_equal(f->severity, CORS_SEVERITY_WARNING);
            assert_span(r, f->value, row->headers[0].name);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Access-Control-Request-Headers for any number of unsafe names             */
/* ------------------------------------------------------------------------ */

static int compare_lower_names(const void *a, const void *b)
{
    return cors__compare_lower(*(const cors_str *)a, *(const cors_str *)b);
}

/* A request of `n` headers: unsafe names of mixed case with repeats, among
 * them dropped and safelisted ones; the reference is every unsafe name,
 * lowercased, sorted with qsort and made unique. */
typedef struct big_request {
    char (*names)[24];
    cors_header *headers;
    size_t count;
    cors_str *unsafe;   /* the reference, sorted unique */
    size_t unsafe_count;
    char *reference;    /* joined with "," */
} big_request;

static void big_request_make(big_request *q, size_t n, size_t distinct, unsigned seed)
{
    size_t u = 0, len = 0;
    q->names = malloc(n * sizeof(*q->names));
    q->headers = malloc(n * sizeof(*q->headers));
    q->unsafe = malloc(n * sizeof(*q->unsafe));
    assert_non_null(q->names);
    assert_non_null(q->headers);
    assert_non_null(q->unsafe);
    q->count = n;
    for (size_t i = 0; i < n; i++) {
        unsigned x = seed = seed * 1103515245u + 12345u;
        const char *fixed = NULL;
        switch (i % 50) { /* a few names the model does not send as unsafe */
        case 7: fixed = "Cookie"; break;
        case 19: fixed = "Sec-Ch-Ua"; break;
        case 23: fixed = i < 50 ? "Accept-Language" : NULL; break; /* once: repeats would join */
        case 31: fixed = i < 50 ? "Content-Type" : NULL; break;
        default: break;
        }
        if (fixed != NULL) {
            snprintf(q->names[i], sizeof(q->names[i]), "%s", fixed);
            q->headers[i].value = fixed[0] == 'C' && fixed[1] == 'o' && fixed[2] == 'n' ? STR("text/plain") : STR("en");
        } else {
            size_t id = (x >> 8) % distinct;
            int k = snprintf(q->names[i], sizeof(q->names[i]), "X-Name-%04zu", id);
            for (int c = 0; c < k; c++) /* any case: the names are the same */
                if ((x >> (c % 16)) & 1)
                    q->names[i][c] = (char)cors__lower((unsigned char)q->names[i][c]);
            if (id % 5 == 0)
                q->names[i][k - 1] = id % 2 ? '_' : '~'; /* punctuation sorts around letters */
            q->headers[i].value = STR("1");
            q->unsafe[u++] = str_z(q->names[i]);
        }
        q->headers[i].name = str_z(q->names[i]);
    }
    qsort(q->unsafe, u, sizeof(*q->unsafe), compare_lower_names);
    q->unsafe_count = 0;
    for (size_t i = 0; i < u; i++)
        if (q->unsafe_count == 0 || cors__compare_lower(q->unsafe[q->unsafe_count - 1], q->unsafe[i]) != 0)
            q->unsafe[q->unsafe_count++] = q->unsafe[i];
    q->reference = malloc(n * 25 + 1);
    assert_non_null(q->reference);
    for (size_t i = 0; i < q->unsafe_count; i++) {
        if (i > 0)
            q->reference[len++] = ',';
        for (size_t c = 0; c < q->unsafe[i].len; c++)
            q->reference[len++] = (char)cors__lower((unsigned char)q->unsafe[i].ptr[c]);
    }
    q->reference[len] = '\0';
}

static void big_request_free(big_request *q)
{
    free(q->names);
    free(q->headers);
    free(q->unsafe);
    free(q->reference);
}

static void check_big_request(size_t n, size_t distinct, unsigned seed)
{
    static big_report b;
    static cors__eval ev;
    big_request q;
    cors_request req;
    cors_report *r;
    cors_str chunk[MODEL_CHUNK];
    const cors_str *after = NULL;
    size_t seen = 0;
    bool more = true;

    big_request_make(&q, n, distinct, seed);
    request_for(&req, "GET", q.headers, q.count, CORS_CREDENTIALS_OMIT);
    r = evaluate_whole(&req);
    assert_int_equal(r->needs, CORS_NEED_PREFLIGHT);
    assert_int_equal(r->preflight, 1);
    assert_int_equal(r->has_acr_headers, 1);
    if (!span_is(r, r->acr_headers, q.reference))
        fail_msg("%zu headers, %zu distinct unsafe names: ACRH differs from the reference (%u bytes, want %zu)", n,
                 q.unsafe_count, r->acr_headers.length, strlen(q.reference));

    /* the chunks: sorted, unique, at most 64 each, together the reference */
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_int_equal(ev.model.unsafe_more, q.unsafe_count > MODEL_CHUNK);
    assert_int_equal(ev.model.unsafe_count, q.unsafe_count < MODEL_CHUNK ? q.unsafe_count : MODEL_CHUNK);
    while (more) {
        size_t got = cors__request_unsafe_chunk(&ev.model, after, chunk, &more);
        assert_true(got <= MODEL_CHUNK);
        for (size_t i = 0; i < got; i++) {
            assert_true(seen < q.unsafe_count);
            if (cors__compare_lower(chunk[i], q.unsafe[seen]) != 0)
                fail_msg("chunk name %zu: '%.*s', want '%.*s'", seen, (int)chunk[i].len, chunk[i].ptr,
                         (int)q.unsafe[seen].len, q.unsafe[seen].ptr);
            seen++;
        }
        assert_true(!more || got == MODEL_CHUNK);
        if (got == 0)
            break;
        after = &chunk[got - 1];
    }
    assert_int_equal(seen, q.unsafe_count);
    big_request_free(&q);
}

/* One evaluation of q's request against a preflight listing every other unsafe name (every
 * third when `third`), with `readable` entries lent: the report, and its text. */
static void evaluate_listed(const big_request *q, size_t readable, int third, cors_report *r, char *text,
                            size_t text_cap, cors_finding *findings, size_t findings_cap)
{
    static char head[1 << 18];
    static cors_header lines[64];
    static cors_span spans[1 << 13];
    cors_response pre, resp;
    cors_request req;
    size_t n = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                                    "Access-Control-Allow-Headers: x-none");
    static const char ok[] = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    static cors_header ok_lines[4];
    for (size_t i = 0; i < q->unsafe_count; i++)
        if (i % (third ? 3 : 2) == 0)
            n += (size_t)snprintf(head + n, sizeof(head) - n, ", %.*s", (int)q->unsafe[i].len, q->unsafe[i].ptr);
    snprintf(head + n, sizeof(head) - n, "\r\n\r\n");
    pre.struct_size = resp.struct_size = sizeof(pre);
    assert_int_equal(cors_response_parse(head, strlen(head), 0, lines, COUNT(lines), &pre, NULL), CORS_OK);
    assert_int_equal(cors_response_parse(ok, sizeof(ok) - 1, 0, ok_lines, COUNT(ok_lines), &resp, NULL), CORS_OK);
    request_for(&req, "GET", q->headers, q->count, CORS_CREDENTIALS_OMIT);
    assert_true(readable <= COUNT(spans));
    cors_report_init(r, sizeof(*r), findings, findings_cap, spans, readable, text, text_cap);
    assert_int_equal(cors_evaluate(NULL, &req, &pre, &resp, r, NULL), CORS_OK);
    if (r->needs != 0)
        fail_msg("needs 0x%x: %zu findings, %zu readable, %zu text", (unsigned)r->needs, r->finding_count,
                 r->readable_count, r->text_length);
}

/* The unsafe names sorted in the lent readable array (room for them) and chunk by chunk
 * (none): the same report, byte for byte, finding by finding. */
static void check_both_ways(size_t n, size_t distinct, unsigned seed)
{
    static char text_a[1 << 18], text_b[1 << 18];
    static cors_finding fa[4096], fb[4096];
    big_request q;
    cors_report a, b;
    big_request_make(&q, n, distinct, seed);
    for (int third = 0; third < 2; third++) {
        evaluate_listed(&q, 1 << 13, third, &a, text_a, sizeof(text_a), fa, COUNT(fa));
        evaluate_listed(&q, 0, third, &b, text_b, sizeof(text_b), fb, COUNT(fb));
        assert_int_equal(a.ok, 0);
        assert_int_equal(a.failed_at, CORS_STAGE_PREFLIGHT);
        assert_int_equal(a.ok, b.ok);
        assert_int_equal(a.kind, b.kind);
        assert_int_equal(a.finding_count, b.finding_count);
        assert_int_equal(a.text_length, b.text_length);
        assert_memory_equal(text_a, text_b, a.text_length);
        for (size_t i = 0; i < a.finding_count && i < COUNT(fa); i++) {
            assert_int_equal(fa[i].code, fb[i].code);
            assert_int_equal(fa[i].value.offset, fb[i].value.offset);
            assert_int_equal(fa[i].fix.offset, fb[i].fix.offset);
        }
    }
    big_request_free(&q);
}

static void test_sorted_and_chunked_agree(void **state)
{
    (void)state;
    check_both_ways(66, 65, 15);
    check_both_ways(600, 129, 7);
    check_both_ways(3000, 2000, 21);
}

typedef struct big_case {
    size_t headers, distinct;
    unsigned seed;
} big_case;

static const big_case big_cases[] = {
    {.headers = 1000, .distinct = 40, .seed = 10},   /* one chunk, many repeats in any case */
    {.headers = 1000, .distinct = 64, .seed = 12},
    {.headers = 64, .distinct = 10000, .seed = 3},
    {.headers = 66, .distinct = 65, .seed = 15},     /* two chunks */
    {.headers = 400, .distinct = 128, .seed = 6},
    {.headers = 130, .distinct = 129, .seed = 14},   /* three */
    {.headers = 1000, .distinct = 100, .seed = 13},
    {.headers = 600, .distinct = 129, .seed = 7},
};

static void test_acr_headers_beyond_one_chunk(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(big_cases); i++)
        check_big_request(big_cases[i].headers, big_cases[i].distinct, big_cases[i].seed);
}

/* Chunks of exactly 64 distinct names, one more, and two chunks, in reverse order. */
static void check_chunk_edge(size_t n)
{
    static char names[256][16], want[256 * 8];
    static cors_header hs[256];
    static big_report b;
    size_t len = 0;
    cors_request req;
    cors_report *r;
    assert_true(n <= COUNT(hs));
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof(names[i]), "H%03u", (unsigned)(n - 1 - i));
        hs[i].name = str_z(names[i]);
        hs[i].value = STR("v");
    }
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(want + len, sizeof(want) - len, "%sh%03u", i ? "," : "", (unsigned)i);
    request_for(&req, "GET", hs, n, CORS_CREDENTIALS_OMIT);
    r = evaluate(&b, &req, 0);
    if (!span_is(r, r->acr_headers, want))
        fail_msg("%zu names: '%.*s'", n, (int)r->acr_headers.length, r->text + r->acr_headers.offset);
}

static void test_acr_headers_chunk_edges(void **state)
{
    static const size_t counts[] = {1, 63, 64, 65, 127, 128};
    (void)state;
    for (size_t c = 0; c < COUNT(counts); c++)
        check_chunk_edge(counts[c]);
}

/* Regression (lib/request.c compute_chunk, fixed by be0e786): callers passed `after` as a pointer into
 * the very `chunk` array compute_chunk fills (note_preflight in request.c,
 * check_headers in preflight.c, put_headers_add in fixes.c all do
 * `after = &chunk[n - 1]`), so once the new chunk's 64th entry was written the
 * bound moved and names were skipped. 129 names H128 .. H000 give
 * Access-Control-Request-Headers without h064; the 1,000-header requests
 * below lost hundreds of names. */
static const big_case big_cases_regression[] = {
    {.headers = 1000, .distinct = 700, .seed = 1},
    {.headers = 1000, .distinct = 3000, .seed = 2},
    {.headers = 5000, .distinct = 4000, .seed = 8}, /* 2,760 distinct names: 44 chunks */
};

static void test_acr_headers_beyond_one_chunk_regression(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(big_cases_regression); i++)
        check_big_request(big_cases_regression[i].headers, big_cases_regression[i].distinct, big_cases_regression[i].seed);
}

static void test_acr_headers_chunk_edges_regression(void **state)
{
    (void)state;
    check_chunk_edge(129);
    check_chunk_edge(200);
}

/* The same skipped name passed the preflight's header check: Chromium refuses
 * h064, which Access-Control-Allow-Headers does not list. */
static void test_header_check_beyond_one_chunk_regression(void **state)
{
    static char names[129][8], pre[2048];
    static cors_header hs[129];
    static parsed_head ph;
    static big_report b;
    cors_request req;
    cors_report *r;
    size_t n = 0;
    (void)state;
    for (size_t i = 0; i < 129; i++) {
        snprintf(names[i], sizeof(names[i]), "H%03u", (unsigned)(128 - i));
        hs[i].name = str_z(names[i]);
        hs[i].value = STR("v");
    }
    n += (size_t)snprintf(pre, sizeof(pre), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                            "Access-Control-Allow-Headers: h999");
    for (size_t i = 0; i < 129; i++)
        if (i != 64)
            n += (size_t)snprintf(pre + n, sizeof(pre) - n, ",h%03u", (unsigned)i);
    snprintf(pre + n, sizeof(pre) - n, "\r\n\r\n");
    request_for(&req, "GET", hs, 129, CORS_CREDENTIALS_OMIT);
    r = big_report_lend(&b);
    assert_int_equal(cors_evaluate(NULL, &req, parsed_head_init(&ph, pre), NULL, r, NULL), CORS_OK);
    assert_int_equal(r->failed_at, CORS_STAGE_PREFLIGHT);
    assert_int_equal(r->kind, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE);
}

/* cors__request_has_unsafe finds a name beyond the first chunk, and only an unsafe one. */
static void test_has_unsafe_beyond_one_chunk(void **state)
{
    static char names[100][16];
    static cors_header hs[102];
    static cors__eval ev;
    static big_report b;
    cors_request req;
    (void)state;
    for (size_t i = 0; i < 100; i++) {
        snprintf(names[i], sizeof(names[i]), "aa-%03u", (unsigned)i); /* all sort before "authorization" */
        hs[i].name = str_z(names[i]);
        hs[i].value = STR("1");
    }
    hs[100].name = STR("AUTHORIZATION");
    hs[100].value = STR("Bearer t");
    hs[101].name = STR("Cookie");
    hs[101].value = STR("a");
    request_for(&req, "GET", hs, 101, CORS_CREDENTIALS_OMIT);
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_true(ev.model.unsafe_more);
    assert_true(cors__request_has_unsafe(&ev.model, TOK_AUTHORIZATION));
    assert_false(cors__request_has_unsafe(&ev.model, TOK_COOKIE));
    assert_false(cors__request_has_unsafe(&ev.model, TOK_CONTENT_TYPE));
    request_for(&req, "GET", hs, 102, CORS_CREDENTIALS_OMIT);
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_false(cors__request_has_unsafe(&ev.model, TOK_COOKIE)); /* dropped, never sent */
    request_for(&req, "GET", hs, 100, CORS_CREDENTIALS_OMIT);
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_false(cors__request_has_unsafe(&ev.model, TOK_AUTHORIZATION));
    /* within the first chunk */
    request_for(&req, "GET", hs + 100, 1, CORS_CREDENTIALS_OMIT);
    build_model(&ev, big_report_lend(&b), &req, 0, NULL);
    assert_false(ev.model.unsafe_more);
    assert_true(cors__request_has_unsafe(&ev.model, TOK_AUTHORIZATION));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_method_normalization),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_dropped_headers),
        cmocka_unit_test(test_model_slots),
        cmocka_unit_test(test_model_credentials_and_overrides),
        cmocka_unit_test(test_model_conditional),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_repeated_headers_joined),
        cmocka_unit_test(test_acr_headers_beyond_one_chunk),
        cmocka_unit_test(test_sorted_and_chunked_agree),
        cmocka_unit_test(test_acr_headers_chunk_edges),
        cmocka_unit_test(test_has_unsafe_beyond_one_chunk),
        cmocka_unit_test(test_acr_headers_beyond_one_chunk_regression),
        cmocka_unit_test(test_acr_headers_chunk_edges_regression),
        cmocka_unit_test(test_header_check_beyond_one_chunk_regression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
