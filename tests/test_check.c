/* SPDX-License-Identifier: MIT */
/*
 * test_check.c - lib/check.c: Fetch "CORS check" of one response with the
 * error kind Chromium's cors.cc CheckAccess picks, called directly
 * (cors__check). Rows over Access-Control-Allow-Origin and -Credentials,
 * credentialed or not, each with its kind, its finding and the finding's
 * message variant (a tainted chain names Origin: null); the same rows at the
 * preflight stage give the Preflight* kinds, one for one.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define ORIGIN "https://app.example"
#define ACAO "Access-Control-Allow-Origin: "
#define ACAC "Access-Control-Allow-Credentials: "

typedef struct check_row {
    const char *label;
    const char *lines;     /* header lines of the response, each ending in CRLF */
    bool credentialed;
    bool tainted;          /* an earlier redirect went to another origin (Origin: null) */
    const char *origin;    /* NULL: ORIGIN */
    int32_t kind;          /* at the response stage */
    int32_t finding;       /* 0: none at all */
    const char *message;   /* a piece of the finding's message, to tell its variant */
} check_row;

static const check_row rows[] = {
    {.label = "*", .lines = ACAO "*\r\n"},
    {.label = "the origin", .lines = ACAO ORIGIN "\r\n"},
    {.label = "the origin with credentials", .lines = ACAO ORIGIN "\r\n" ACAC "true\r\n", .credentialed = true},
    {.label = "null for an opaque origin", .lines = ACAO "null\r\n", .origin = "null"},
    {.label = "nothing", .lines = "", .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING},
    {.label = "* with credentials", .lines = ACAO "*\r\n" ACAC "true\r\n", .credentialed = true,
     .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS},
    {.label = "two lines", .lines = ACAO ORIGIN "\r\n" ACAO ORIGIN "\r\n", .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .message = "2 Access-Control-Allow-Origin lines"},
    {.label = "two * lines", .lines = ACAO "*\r\n" ACAO "*\r\n", .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .message = "2 Access-Control-Allow-Origin lines"},
    {.label = "a list in one line", .lines = ACAO ORIGIN ", https://b.example\r\n",
     .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE,
     .message = "holds several values"},
    {.label = "a space inside", .lines = ACAO "https://app .example\r\n", .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .message = "holds several values"},
    {.label = "a folded value", .lines = ACAO ORIGIN "\r\n x\r\n", .kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, .message = "holds several values"},
    {.label = "null for a tuple origin", .lines = ACAO "null\r\n", .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .message = "'null'"},
    {.label = "no URL", .lines = ACAO "app.example\r\n", .kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID},
    {.label = "an empty value", .lines = ACAO "\r\n", .kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
     .finding = CORS_FINDING_ALLOW_ORIGIN_INVALID},
    {.label = "another origin", .lines = ACAO "https://b.example\r\n", .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .message = "byte for byte"},
    {.label = "a trailing slash", .lines = ACAO ORIGIN "/\r\n", .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .message = "byte for byte"},
    {.label = "uppercase", .lines = ACAO "https://APP.example\r\n", .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH},
    {.label = "the origin after tainting", .lines = ACAO ORIGIN "\r\n", .tainted = true, .origin = "null",
     .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH, .finding = CORS_FINDING_ALLOW_ORIGIN_MISMATCH, .message = "Origin: null"},
    {.label = "credentials without ACAC", .lines = ACAO ORIGIN "\r\n", .credentialed = true,
     .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS, .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     .message = "has no Access-Control-Allow-Credentials"},
    {.label = "ACAC True", .lines = ACAO ORIGIN "\r\n" ACAC "True\r\n", .credentialed = true,
     .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS, .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     .message = "exactly 'true'"},
    {.label = "ACAC twice", .lines = ACAO ORIGIN "\r\n" ACAC "true\r\n" ACAC "true\r\n", .credentialed = true,
     .kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS, .finding = CORS_FINDING_ALLOW_CREDENTIALS_INVALID,
     .message = "exactly 'true'"},
    {.label = "ACAC not read without credentials", .lines = ACAO ORIGIN "\r\n" ACAC "nope\r\n"},
};

static int32_t preflight_kind(int32_t kind)
{
    static const int32_t map[][2] = {
        {CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED},
        {CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER},
        {CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES},
        {CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE},
        {CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH},
        {CORS_KIND_INVALID_ALLOW_CREDENTIALS, CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS},
    };
    for (size_t i = 0; i < COUNT(map); i++)
        if (map[i][0] == kind)
            return map[i][1];
    return kind;
}

static void check_row_at(const check_row *row, int32_t stage)
{
    static test_eval t;
    static big_report b;
    static char head[512];
    cors_report *r = big_report_lend(&b);
    const cors__grant *g;
    const cors_finding *f;
    int32_t kind, want = stage == CORS_STAGE_PREFLIGHT ? preflight_kind(row->kind) : row->kind;

    test_eval_init(&t, row->tainted ? NULL : row->origin, "GET",
                   row->credentialed ? CORS_CREDENTIALS_INCLUDE : CORS_CREDENTIALS_OMIT, NULL, 0, CORS_RULES_BROWSER,
                   false, r);
    if (row->tainted) {
        t.chain.tainted = true;
        t.ev.origin = STR("null");
    }
    snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n%s\r\n", row->lines);
    g = stage == CORS_STAGE_PREFLIGHT ? test_eval_preflight(&t, head) : test_eval_response(&t, head);
    kind = cors__check(&t.ev, g, stage, r);
    if (kind != want)
        fail_msg("%s (%s): %s, want %s", row->label, cors_stage_name(stage), cors_kind_name(kind), cors_kind_name(want));
    if (row->finding == 0) {
        assert_int_equal(r->finding_count, 0);
        return;
    }
    assert_int_equal(r->finding_count, 1);
    f = &r->findings[0];
    assert_int_equal(f->code, row->finding);
    assert_int_equal(f->severity, CORS_SEVERITY_ERROR);
    assert_int_equal(f->stage, stage);
    assert_span(r, f->header, row->finding == CORS_FINDING_ALLOW_CREDENTIALS_INVALID
                                  ? "Access-Control-Allow-Credentials"
                                  : "Access-Control-Allow-Origin");
    assert_true(f->fix.length > 0);
    if (row->message != NULL && !span_contains(r, f->message, row->message))
        fail_msg("%s: message '%.*s' lacks '%s'", row->label, (int)f->message.length, r->text + f->message.offset,
                 row->message);
}

static void test_response_stage(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        check_row_at(&rows[i], CORS_STAGE_RESPONSE);
}

static void test_preflight_stage(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        check_row_at(&rows[i], CORS_STAGE_PREFLIGHT);
}

/* Every kind the check gives has a row, at both stages. */
static void test_every_kind_has_a_row(void **state)
{
    static const int32_t kinds[] = {CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED,
                                    CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE,
                                    CORS_KIND_ALLOW_ORIGIN_MISMATCH, CORS_KIND_INVALID_ALLOW_CREDENTIALS};
    (void)state;
    for (size_t k = 0; k < COUNT(kinds); k++) {
        int seen = 0;
        for (size_t i = 0; i < COUNT(rows); i++)
            seen |= rows[i].kind == kinds[k];
        if (!seen)
            fail_msg("no row for %s", cors_kind_name(kinds[k]));
        assert_int_not_equal(preflight_kind(kinds[k]), kinds[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_stage),
        cmocka_unit_test(test_preflight_stage),
        cmocka_unit_test(test_every_kind_has_a_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
