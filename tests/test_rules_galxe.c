/* SPDX-License-Identifier: MIT */
/*
 * test_rules_galxe.c - lib/rules_galxe.c through cors_evaluate with
 * CORS_RULES_GALXE: Galxe's documented probe (docs.galxe.com "CORS Check"):
 * an uncredentialed OPTIONS with Access-Control-Request-Headers: content-type
 * whatever the page's request is, needing only the preflight's answer: a 2xx
 * (200 with an info), one Access-Control-Allow-Origin, the method in
 * Access-Control-Allow-Methods (its message variants); warnings where Galxe
 * passes but a browser would not (Content-Type not allowed, the actual
 * response's Access-Control-Allow-Origin); the cache lifetime; the report's
 * request fields describe the probe.
 */
#include <stdio.h>

#include "test_util.h"

#define ORIGIN "https://dashboard.galxe.com"
#define ACAO_STAR "Access-Control-Allow-Origin: *\r\n"
#define H204 "HTTP/1.1 204 No Content\r\n"

typedef struct galxe_row {
    const char *label;
    const char *method;     /* NULL: POST */
    const char *preflight;  /* NULL: not given */
    const char *response;   /* NULL: not given */
    int32_t ok;
    int32_t needs;
    int32_t kind;
    int32_t finding;        /* a finding that must be there (0: none checked) */
    int32_t severity;
    int64_t cache_seconds;  /* when ok */
} galxe_row;

static const galxe_row rows[] = {
    {.label = "allowed, without the response", .preflight = H204 ACAO_STAR
     "Access-Control-Allow-Methods: GET, POST\r\nAccess-Control-Allow-Headers: Content-Type\r\n\r\n",
     .ok = 1, .cache_seconds = 5},
    {.label = "no preflight given", .needs = CORS_NEED_PREFLIGHT},
    {.label = "200 passes, with an info", .preflight = "HTTP/1.1 200 OK\r\n" ACAO_STAR
     "Access-Control-Allow-Methods: POST\r\nAccess-Control-Allow-Headers: content-type\r\n"
     "Access-Control-Max-Age: 600\r\n\r\n", .ok = 1, .finding = CORS_FINDING_GALXE_STATUS_200,
     .severity = CORS_SEVERITY_INFO, .cache_seconds = 600},
    {.label = "404", .preflight = "HTTP/1.1 404 Not Found\r\n" ACAO_STAR "\r\n",
     .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS, .finding = CORS_FINDING_PREFLIGHT_STATUS,
     .severity = CORS_SEVERITY_ERROR},
    {.label = "a redirect is a status", .preflight = "HTTP/1.1 302 Found\r\nLocation: /x\r\n" ACAO_STAR "\r\n",
     .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS, .finding = CORS_FINDING_PREFLIGHT_STATUS,
     .severity = CORS_SEVERITY_ERROR},
    {.label = "no ACAO", .preflight = H204 "Access-Control-Allow-Methods: POST\r\n\r\n",
     .kind = CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING,
     .severity = CORS_SEVERITY_ERROR},
    {.label = "no ACAM", .preflight = H204 ACAO_STAR "\r\n", .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_GALXE_ALLOW_METHODS, .severity = CORS_SEVERITY_ERROR},
    {.label = "post in lowercase", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: post\r\n\r\n",
     .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_GALXE_ALLOW_METHODS,
     .severity = CORS_SEVERITY_ERROR},
    {.label = "GET only, for a POST", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: GET\r\n\r\n",
     .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_GALXE_ALLOW_METHODS,
     .severity = CORS_SEVERITY_ERROR},
    {.label = "ACAM *", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: *\r\n"
     "Access-Control-Allow-Headers: *\r\n\r\n", .ok = 1, .cache_seconds = 5},
    {.label = "a bad ACAM", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: PO ST\r\n\r\n",
     .kind = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_ALLOW_METHODS_INVALID,
     .severity = CORS_SEVERITY_ERROR},
    /* where Galxe passes and a browser would not */
    {.label = "Content-Type not allowed: a warning", .preflight = H204 ACAO_STAR
     "Access-Control-Allow-Methods: POST\r\n\r\n", .ok = 1, .finding = CORS_FINDING_GALXE_CONTENT_TYPE,
     .severity = CORS_SEVERITY_WARNING, .cache_seconds = 5},
    {.label = "a bad ACAH: a warning", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: POST\r\n"
     "Access-Control-Allow-Headers: content-type, a b\r\n\r\n", .ok = 1,
     .finding = CORS_FINDING_ALLOW_HEADERS_INVALID, .severity = CORS_SEVERITY_WARNING, .cache_seconds = 5},
    {.label = "the response lacks ACAO", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: POST\r\n"
     "Access-Control-Allow-Headers: content-type\r\n\r\n", .response = "HTTP/1.1 200 OK\r\n\r\n", .ok = 1,
     .finding = CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN, .severity = CORS_SEVERITY_WARNING, .cache_seconds = 5},
    {.label = "the response names another origin", .preflight = H204 ACAO_STAR "Access-Control-Allow-Methods: POST\r\n"
     "Access-Control-Allow-Headers: content-type\r\n\r\n",
     .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://b.example\r\n\r\n", .ok = 1,
     .finding = CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN, .severity = CORS_SEVERITY_WARNING, .cache_seconds = 5},
    {.label = "max-age past Chromium's cap: 7200", .preflight = H204 ACAO_STAR
     "Access-Control-Allow-Methods: POST\r\nAccess-Control-Allow-Headers: content-type\r\n"
     "Access-Control-Max-Age: 86400\r\n\r\n", .ok = 1, .cache_seconds = 7200},
};

static void test_rows(void **state)
{
    static parsed_head pre, resp;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const galxe_row *row = &rows[i];
        const cors_report *r = &b.report;
        cors_header page_header = {STR("X-Page"), STR("1")};
        cors_options opt;
        cors_request req;
        cors_options_init(&opt, sizeof(opt));
        opt.rules = CORS_RULES_GALXE;
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.method = str_z(row->method ? row->method : "POST");
        req.credentials = CORS_CREDENTIALS_INCLUDE; /* the probe sends none */
        req.headers = &page_header;                 /* and only Content-Type */
        req.header_count = 1;
        assert_int_equal(cors_evaluate(&opt, &req, row->preflight ? parsed_head_init(&pre, row->preflight) : NULL,
                                       row->response ? parsed_head_init(&resp, row->response) : NULL,
                                       big_report_lend(&b), NULL),
                         CORS_OK);
        if (r->ok != row->ok || r->needs != row->needs || r->kind != row->kind)
            fail_msg("%s: ok %d needs %d %s", row->label, (int)r->ok, (int)r->needs, cors_kind_name(r->kind));
        /* the report describes the probe: a preflight with content-type */
        assert_int_equal(r->preflight, 1);
        assert_span(r, r->acr_method, "POST");
        assert_span(r, r->acr_headers, "content-type");
        if (!row->ok && row->needs == 0)
            assert_int_equal(r->failed_at, CORS_STAGE_PREFLIGHT);
        if (row->ok) {
            assert_int_equal(r->has_cache_seconds, 1);
            assert_int_equal(r->preflight_cache_seconds, row->cache_seconds);
        }
        if (row->finding != 0) {
            const cors_finding *f = find_finding(r, row->finding);
            if (f == NULL)
                fail_msg("%s: no %s", row->label, cors_finding_name(row->finding));
            if (f->severity != row->severity)
                fail_msg("%s: %s is %s", row->label, cors_finding_name(row->finding), cors_severity_name(f->severity));
            assert_true(f->message.length > 0);
        }
        if (row->finding != CORS_FINDING_GALXE_STATUS_200)
            assert_null(find_finding(r, CORS_FINDING_GALXE_STATUS_200));
        assert_true(report_spans_in_bounds(r));
    }
}

/* The method's message variants: none listed, another case, a safelisted
 * method missing, another method missing; four different sentences. */
static void test_method_messages(void **state)
{
    static const struct {
        const char *method, *acam;
    } m[] = {{.method = "POST", .acam = ""},
             {.method = "POST", .acam = "Access-Control-Allow-Methods: post\r\n"},
             {.method = "POST", .acam = "Access-Control-Allow-Methods: GET\r\n"},
             {.method = "PUT", .acam = "Access-Control-Allow-Methods: GET\r\n"}};
    static parsed_head pre;
    static big_report b;
    static char head[256], seen[4][512];
    (void)state;
    for (size_t i = 0; i < COUNT(m); i++) {
        const cors_finding *f;
        cors_options opt;
        cors_request req;
        cors_options_init(&opt, sizeof(opt));
        opt.rules = CORS_RULES_GALXE;
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.method = str_z(m[i].method);
        snprintf(head, sizeof(head), H204 ACAO_STAR "%s\r\n", m[i].acam);
        assert_int_equal(cors_evaluate(&opt, &req, parsed_head_init(&pre, head), NULL, big_report_lend(&b), NULL),
                         CORS_OK);
        f = find_finding(&b.report, CORS_FINDING_GALXE_ALLOW_METHODS);
        assert_non_null(f);
        assert_true(f->message.length < sizeof(seen[i]));
        memcpy(seen[i], b.report.text + f->message.offset, f->message.length);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(seen[i], seen[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_method_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
