/* SPDX-License-Identifier: MIT */
/*
 * test_rules_reflect.c - lib/rules_reflect.c through cors_evaluate with
 * CORS_RULES_REFLECT: the browser's verdict with credentials forced, a
 * missing `Vary: Origin` that fails an exchange the browser allows (an error,
 * kind MissingVaryOrigin, nothing readable) or sits beside another failure
 * (a warning), and the advice given whatever the verdict: wildcards in the
 * allow lists, a missing or bad max-age, no exposed headers, what credentials
 * are for. Each finding is checked with its severity, stage and value.
 */
#include <stdio.h>

#include "test_util.h"

#define ORIGIN "https://app.example"
#define ACAO "Access-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: true\r\n"
#define PRE "HTTP/1.1 204 No Content\r\n" ACAO "Access-Control-Allow-Methods: PUT\r\n"
#define RESP "HTTP/1.1 200 OK\r\n" ACAO

typedef struct expect_finding {
    int32_t code;
    int32_t severity;
    int32_t stage;
    const char *value;  /* NULL: not checked */
} expect_finding;

typedef struct reflect_row {
    const char *label;
    const char *preflight;   /* NULL: a GET without preflight */
    const char *response;
    int32_t ok;
    int32_t kind;
    int32_t failed_at;
    expect_finding findings[6];  /* each must be there; 0 ends */
    int32_t absent[4];           /* each must not be there */
} reflect_row;

#define F(c, s, st, v) {.code = CORS_FINDING_##c, .severity = CORS_SEVERITY_##s, .stage = CORS_STAGE_##st, .value = v}

static const reflect_row rows[] = {
    {.label = "done right", .preflight = PRE "Access-Control-Max-Age: 600\r\n\r\n",
     .response = RESP "Vary: Origin\r\nAccess-Control-Expose-Headers: X-Id\r\n\r\n", .ok = 1,
     .findings = {F(CREDENTIALS_NOT_FOR_API_KEYS, INFO, RESPONSE, "")},
     .absent = {CORS_FINDING_VARY_ORIGIN_MISSING, CORS_FINDING_MAX_AGE_MISSING, CORS_FINDING_EXPOSE_HEADERS_MISSING,
                CORS_FINDING_REFLECT_WILDCARD_LIST}},
    {.label = "no Vary: the exchange fails on it", .preflight = PRE "Access-Control-Max-Age: 600\r\n\r\n",
     .response = RESP "Vary: Accept\r\nVary: Cookie\r\nAccess-Control-Expose-Headers: X-Id\r\n\r\n",
     .kind = CORS_KIND_MISSING_VARY_ORIGIN, .failed_at = CORS_STAGE_RESPONSE,
     .findings = {F(VARY_ORIGIN_MISSING, ERROR, RESPONSE, "Accept, Cookie")}},
    {.label = "no Vary beside a real failure: a warning", .preflight = PRE "\r\n",
     .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
     .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .failed_at = CORS_STAGE_RESPONSE,
     .findings = {F(VARY_ORIGIN_MISSING, WARNING, RESPONSE, ""), F(MAX_AGE_MISSING, WARNING, PREFLIGHT, ""),
                  F(EXPOSE_HEADERS_MISSING, WARNING, RESPONSE, ""), F(CREDENTIALS_NOT_FOR_API_KEYS, INFO, RESPONSE, "")}},
    {.label = "credentials forced: '*' refused", .response = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nVary: Origin\r\n\r\n",
     .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .failed_at = CORS_STAGE_RESPONSE},
    {.label = "wildcards in both lists",
     .preflight = PRE "Access-Control-Allow-Methods: *\r\nAccess-Control-Allow-Headers: *\r\n"
                      "Access-Control-Max-Age: 600\r\n\r\n",
     .response = RESP "Vary: Origin\r\n\r\n", .ok = 1,
     .findings = {F(REFLECT_WILDCARD_LIST, WARNING, PREFLIGHT, NULL), F(EXPOSE_HEADERS_MISSING, WARNING, RESPONSE, "")}},
    {.label = "max-age over the cap, whatever the verdict", .preflight = PRE "Access-Control-Max-Age: 86400\r\n\r\n",
     .response = "HTTP/1.1 500 Oops\r\n\r\n", .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .failed_at = CORS_STAGE_RESPONSE, .findings = {F(MAX_AGE_CAPPED, WARNING, PREFLIGHT, "86400")}},
    {.label = "the preflight fails: its advice still given", .preflight = "HTTP/1.1 204 No Content\r\n" ACAO "\r\n",
     .response = RESP "\r\n", .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .failed_at = CORS_STAGE_PREFLIGHT,
     .findings = {F(MAX_AGE_MISSING, WARNING, PREFLIGHT, ""), F(VARY_ORIGIN_MISSING, WARNING, RESPONSE, ""),
                  F(EXPOSE_HEADERS_MISSING, WARNING, RESPONSE, "")}},
};

static void test_rows(void **state)
{
    static parsed_head pre, resp;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const reflect_row *row = &rows[i];
        cors_options opt;
        cors_request req;
        const cors_report *r = &b.report;
        cors_options_init(&opt, sizeof(opt));
        opt.rules = CORS_RULES_REFLECT;
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.method = str_z(row->preflight ? "PUT" : "GET");
        req.credentials = CORS_CREDENTIALS_OMIT; /* reflect judges with credentials anyway */
        assert_int_equal(cors_evaluate(&opt, &req, row->preflight ? parsed_head_init(&pre, row->preflight) : NULL,
                                       parsed_head_init(&resp, row->response), big_report_lend(&b), NULL),
                         CORS_OK);
        if (r->ok != row->ok || r->kind != row->kind || r->failed_at != row->failed_at || r->needs != 0)
            fail_msg("%s: ok %d %s at %s needs %d", row->label, (int)r->ok, cors_kind_name(r->kind),
                     cors_stage_name(r->failed_at), (int)r->needs);
        if (r->kind == CORS_KIND_MISSING_VARY_ORIGIN)
            assert_int_equal(r->readable_count, 0);
        for (size_t k = 0; k < COUNT(row->findings) && row->findings[k].code != 0; k++) {
            const expect_finding *e = &row->findings[k];
            const cors_finding *f = find_finding(r, e->code);
            if (f == NULL)
                fail_msg("%s: no %s", row->label, cors_finding_name(e->code));
            if (f->severity != e->severity || f->stage != e->stage)
                fail_msg("%s: %s severity %s stage %s", row->label, cors_finding_name(e->code),
                         cors_severity_name(f->severity), cors_stage_name(f->stage));
            if (e->value != NULL && !span_is(r, f->value, e->value))
                fail_msg("%s: %s value '%.*s', want '%s'", row->label, cors_finding_name(e->code),
                         (int)f->value.length, r->text + f->value.offset, e->value);
        }
        for (size_t k = 0; k < COUNT(row->absent) && row->absent[k] != 0; k++)
            if (find_finding(r, row->absent[k]) != NULL)
                fail_msg("%s: unexpected %s", row->label, cors_finding_name(row->absent[k]));
        assert_true(report_spans_in_bounds(r));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
