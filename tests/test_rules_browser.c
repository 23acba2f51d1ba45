/* SPDX-License-Identifier: MIT */
/*
 * test_rules_browser.c - lib/rules_browser.c: the browser rules' judgement of
 * a final response (cors__browser_response): the CORS check's kind, then the
 * advice on Vary when a specific origin is allowed: a warning without
 * `Vary: Origin` (any case, any line, or `Vary: *`), none for `*`, none under a
 * rule set without that advice, none when the check fails.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define ACAO_ORIGIN "Access-Control-Allow-Origin: https://app.example\r\n"

typedef struct vary_row {
    const char *label;
    const char *lines;
    int32_t rules;
    int32_t kind;
    bool warning;
    const char *value;   /* the warning's value: the Vary lines joined */
} vary_row;

static const vary_row rows[] = {
    {.label = "no Vary", .lines = ACAO_ORIGIN, .warning = true, .value = ""},
    {.label = "Vary: Origin", .lines = ACAO_ORIGIN "Vary: Origin\r\n"},
    {.label = "vary: origin", .lines = ACAO_ORIGIN "vary: origin\r\n"},
    {.label = "Origin in a list", .lines = ACAO_ORIGIN "Vary: Accept-Encoding, ORIGIN\r\n"},
    {.label = "Origin on a second line", .lines = ACAO_ORIGIN "Vary: Accept\r\nVary: Origin\r\n"},
    {.label = "Vary: *", .lines = ACAO_ORIGIN "Vary: *\r\n"},
    {.label = "another Vary", .lines = ACAO_ORIGIN "Vary: Accept-Encoding\r\nVary: Cookie\r\n", .warning = true,
     .value = "Accept-Encoding, Cookie"},
    {.label = "Origins is no Origin", .lines = ACAO_ORIGIN "Vary: Origins\r\n", .warning = true, .value = "Origins"},
    {.label = "ACAO *", .lines = "Access-Control-Allow-Origin: *\r\n"},
    {.label = "refused: no advice", .lines = "Access-Control-Allow-Origin: https://b.example\r\n",
     .kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH},
    {.label = "reflect gives its own advice", .lines = ACAO_ORIGIN "Access-Control-Allow-Credentials: true\r\n",
     .rules = CORS_RULES_REFLECT},
};

static void test_vary_advice(void **state)
{
    static test_eval t;
    static big_report b;
    static char head[512];
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const vary_row *row = &rows[i];
        cors_report *r = big_report_lend(&b);
        const cors_finding *f;
        int32_t kind;
        test_eval_init(&t, NULL, "GET", CORS_CREDENTIALS_OMIT, NULL, 0, row->rules, false, r);
        snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n%s\r\n", row->lines);
        test_eval_response(&t, head);
        kind = cors__browser_response(&t.ev, r);
        if (kind != row->kind)
            fail_msg("%s: %s", row->label, cors_kind_name(kind));
        f = find_finding(r, CORS_FINDING_VARY_ORIGIN_MISSING);
        if ((f != NULL) != row->warning)
            fail_msg("%s: warning %d", row->label, f != NULL);
        if (f == NULL)
            continue;
        assert_int_equal(f->severity, CORS_SEVERITY_WARNING);
        assert_int_equal(f->stage, CORS_STAGE_RESPONSE);
        assert_span(r, f->header, "Vary");
        assert_span(r, f->value, row->value);
        /* the fix keeps what the server varies on */
        snprintf(head, sizeof(head), "Vary: %s%sOrigin", row->value, row->value[0] ? ", " : "");
        assert_span(r, f->fix, head);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vary_advice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
