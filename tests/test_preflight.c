/* SPDX-License-Identifier: MIT */
/*
 * test_preflight.c - lib/preflight.c: the preflight response judged in
 * Chromium's order (cors__preflight_judge): a redirect first, then the CORS
 * check, the status, the syntax of Access-Control-Allow-Methods, then of
 * -Headers, the method, the headers. Each row makes two checks fail at once
 * where it can, so the order is what decides the kind; the finding's code
 * comes with it. Then the facts for the preflight cache (Authorization let
 * through only by '*'), and the header check past one chunk of 64 names.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define ACAO_STAR "Access-Control-Allow-Origin: *\r\n"
#define ACAM "Access-Control-Allow-Methods: "
#define ACAH "Access-Control-Allow-Headers: "

typedef struct preflight_row {
    const char *label;
    const char *head;          /* the whole preflight head */
    const char *method;        /* NULL: PUT */
    const char *header;        /* one request header name (value "1"), or NULL */
    bool credentialed;
    bool strict;
    int32_t kind;
    int32_t finding;           /* 0: no error finding */
    bool authorization_by_wildcard;
} preflight_row;

#define H204 "HTTP/1.1 204 No Content\r\n"

static const preflight_row rows[] = {
    {.label = "allowed", .head = H204 ACAO_STAR ACAM "PUT\r\n\r\n"},
    {.label = "allowed, a header too", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "x-a\r\n\r\n", .header = "X-A"},
    {.label = "200 and 299 pass", .head = "HTTP/1.1 299 Odd\r\n" ACAO_STAR ACAM "PUT\r\n\r\n"},
    /* a redirect comes first: before the CORS check and the status */
    {.label = "a redirect without ACAO", .head = "HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n",
     .kind = CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT, .finding = CORS_FINDING_PREFLIGHT_REDIRECT},
    {.label = "a redirect to an invalid URL", .head = "HTTP/1.1 307 Temporary Redirect\r\nLocation: https://[x\r\n\r\n",
     .kind = CORS_KIND_INVALID_REDIRECT, .finding = CORS_FINDING_REDIRECT_INVALID},
    {.label = "a 302 without Location is a status", .head = "HTTP/1.1 302 Found\r\n" ACAO_STAR "\r\n",
     .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS, .finding = CORS_FINDING_PREFLIGHT_STATUS},
    /* the CORS check before the status */
    {.label = "no ACAO and 404", .head = "HTTP/1.1 404 Not Found\r\n\r\n",
     .kind = CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING},
    {.label = "* with credentials and 500", .head = "HTTP/1.1 500 Oops\r\n" ACAO_STAR "\r\n", .credentialed = true,
     .kind = CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
     .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS},
    /* the status before the lists */
    {.label = "404 and a bad ACAM", .head = "HTTP/1.1 404 Not Found\r\n" ACAO_STAR ACAM "P(T\r\n\r\n",
     .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS, .finding = CORS_FINDING_PREFLIGHT_STATUS},
    {.label = "300", .head = "HTTP/1.1 300 Multiple Choices\r\n" ACAO_STAR ACAM "PUT\r\n\r\n",
     .kind = CORS_KIND_PREFLIGHT_INVALID_STATUS, .finding = CORS_FINDING_PREFLIGHT_STATUS},
    /* methods syntax before headers syntax before the method */
    {.label = "bad ACAM and bad ACAH", .head = H204 ACAO_STAR ACAM "P(T\r\n" ACAH "x y\r\n\r\n", .header = "X-A",
     .kind = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_ALLOW_METHODS_INVALID},
    {.label = "bad ACAH and the method missing", .head = H204 ACAO_STAR ACAM "GET\r\n" ACAH "x y\r\n\r\n",
     .kind = CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_ALLOW_HEADERS_INVALID},
    /* the method before the headers */
    {.label = "method and header missing", .head = H204 ACAO_STAR ACAM "GET\r\n\r\n", .header = "X-A",
     .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_METHOD_NOT_ALLOWED},
    {.label = "no ACAM at all", .head = H204 ACAO_STAR "\r\n",
     .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_METHOD_NOT_ALLOWED},
    {.label = "ACAM * without credentials", .head = H204 ACAO_STAR ACAM "*\r\n\r\n"},
    {.label = "ACAM * with credentials is literal",
     .head = H204 "Access-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: true\r\n"
                  ACAM "*\r\n\r\n",
     .credentialed = true, .kind = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_METHOD_NOT_ALLOWED},
    {.label = "a safelisted method needs no ACAM", .head = H204 ACAO_STAR ACAH "x-a\r\n\r\n", .method = "POST",
     .header = "X-A"},
    {.label = "the header missing", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "x-b\r\n\r\n", .header = "X-A",
     .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, .finding = CORS_FINDING_HEADER_NOT_ALLOWED},
    {.label = "headers compared in any case", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "X-a\r\n\r\n", .header = "x-A"},
    {.label = "ACAH *", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "*\r\n\r\n", .header = "X-A"},
    /* Authorization and '*': Chromium lets it through, and says so to the cache */
    {.label = "Authorization by *", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "*\r\n\r\n", .header = "Authorization",
     .authorization_by_wildcard = true},
    {.label = "Authorization by *, strict", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "*\r\n\r\n",
     .header = "Authorization", .strict = true, .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_HEADER_NOT_ALLOWED},
    {.label = "Authorization listed", .head = H204 ACAO_STAR ACAM "PUT\r\n" ACAH "*, authorization\r\n\r\n",
     .header = "Authorization"},
    {.label = "ACAH * with credentials is literal",
     .head = H204 "Access-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: true\r\n"
                  ACAM "PUT\r\n" ACAH "*\r\n\r\n",
     .header = "X-A", .credentialed = true, .kind = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     .finding = CORS_FINDING_HEADER_NOT_ALLOWED},
};

static void test_order(void **state)
{
    static test_eval t;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const preflight_row *row = &rows[i];
        cors_header h = {str_z(row->header), STR("1")};
        cors_report *r = big_report_lend(&b);
        cors__preflight_facts facts;
        int32_t kind;
        const cors_finding *f = NULL;
        test_eval_init(&t, NULL, row->method ? row->method : "PUT",
                       row->credentialed ? CORS_CREDENTIALS_INCLUDE : CORS_CREDENTIALS_OMIT, &h, row->header ? 1 : 0,
                       CORS_RULES_BROWSER, row->strict, r);
        test_eval_preflight(&t, row->head);
        memset(&facts, 0xab, sizeof(facts));
        kind = cors__preflight_judge(&t.ev, &facts, r);
        if (kind != row->kind)
            fail_msg("%s: %s, want %s", row->label, cors_kind_name(kind), cors_kind_name(row->kind));
        for (size_t k = 0; k < r->finding_count; k++)
            if (r->findings[k].severity == CORS_SEVERITY_ERROR) {
                if (f != NULL)
                    fail_msg("%s: two error findings", row->label);
                f = &r->findings[k];
            }
        if ((f ? f->code : 0) != row->finding)
            fail_msg("%s: error finding %s, want %s", row->label, f ? cors_finding_name(f->code) : "none",
                     cors_finding_name(row->finding));
        if (f != NULL)
            assert_int_equal(f->stage, CORS_STAGE_PREFLIGHT);
        if (kind == CORS_KIND_NONE && facts.authorization_by_wildcard != row->authorization_by_wildcard)
            fail_msg("%s: authorization_by_wildcard %d", row->label, facts.authorization_by_wildcard);
        assert_true(report_spans_in_bounds(r));
    }
}

/* Past one chunk of 64 unsafe names, every chunk is checked: the missing one
 * is found wherever it sorts. */
static void test_headers_past_one_chunk(void **state)
{
    static char names[150][8], head[4096];
    static cors_header hs[150];
    static test_eval t;
    static big_report b;
    (void)state;
    for (size_t missing = 0; missing < 150; missing += 37) {
        size_t n = (size_t)snprintf(head, sizeof(head), H204 ACAO_STAR ACAM "PUT\r\n" ACAH "h-000");
        cors_report *r = big_report_lend(&b);
        cors__preflight_facts facts;
        int32_t kind;
        for (size_t i = 0; i < 150; i++) {
            snprintf(names[i], sizeof(names[i]), "H-%03zu", i);
            hs[i] = (cors_header){str_z(names[i]), STR("1")};
            if (i != missing && i != 0)
                n += (size_t)snprintf(head + n, sizeof(head) - n, ", h-%03zu", i);
        }
        snprintf(head + n, sizeof(head) - n, "\r\n\r\n");
        test_eval_init(&t, NULL, "PUT", CORS_CREDENTIALS_OMIT, hs, 150, CORS_RULES_BROWSER, false, r);
        test_eval_preflight(&t, head);
        kind = cors__preflight_judge(&t.ev, &facts, r);
        if (missing == 0) {
            assert_int_equal(kind, CORS_KIND_NONE);
            continue;
        }
        assert_int_equal(kind, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE);
        assert_non_null(find_finding(r, CORS_FINDING_HEADER_NOT_ALLOWED));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_headers_past_one_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
