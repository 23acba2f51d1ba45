/* SPDX-License-Identifier: MIT */
/*
 * test_fixes.c - lib/fixes.c: the header lines a finding proposes, written
 * from the request and the server's own lists (cors__fixes_write), one row
 * per FIX_* with the text it writes: the origin and credentials, the valid
 * elements of a list kept and the bad ones and '*' dropped, the method or the
 * unsafe names a list misses added (past one chunk of 64 too), Vary keeping
 * what it had; cors__fixes_joined. Every FIX_* has a row. That each fix,
 * applied, leads to an allowed exchange is test_evaluate's
 * test_fixes_lead_to_success.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

typedef struct fix_row {
    int32_t fix;
    int32_t stage;           /* 0: preflight */
    const char *lines;       /* the stage's head's lines */
    bool credentialed;
    const char *method;      /* NULL: PUT */
    const char *headers[3];  /* request header names */
    const char *text;
} fix_row;

#define PRE CORS_STAGE_PREFLIGHT
#define RESP CORS_STAGE_RESPONSE

static const fix_row rows[] = {
    {.fix = FIX_NONE, .lines = "", .text = ""},
    {.fix = FIX_ALLOW_ORIGIN, .stage = RESP, .lines = "", .text = "Access-Control-Allow-Origin: https://app.example\nVary: Origin"},
    {.fix = FIX_ALLOW_ORIGIN, .stage = RESP, .lines = "", .credentialed = true,
     .text = "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Credentials: true\nVary: Origin"},
    {.fix = FIX_ALLOW_ORIGIN_ONLY, .stage = RESP, .lines = "", .credentialed = true,
     .text = "Access-Control-Allow-Origin: https://app.example"},
    {.fix = FIX_CREDENTIALS, .stage = RESP, .lines = "", .text = "Access-Control-Allow-Credentials: true"},
    {.fix = FIX_STATUS_204, .lines = "", .text = "HTTP/1.1 204 No Content"},
    {.fix = FIX_METHODS_VALID, .lines = "Access-Control-Allow-Methods: GET, P(T, *\r\nAccess-Control-Allow-Methods: DELETE\r\n",
     .text = "Access-Control-Allow-Methods: GET, DELETE"},
    {.fix = FIX_METHODS_ADD, .lines = "Access-Control-Allow-Methods: GET, , POST\r\n",
     .text = "Access-Control-Allow-Methods: GET, POST, PUT"},
    {.fix = FIX_METHODS_ADD, .lines = "", .method = "DELETE", .text = "Access-Control-Allow-Methods: DELETE"},
    {.fix = FIX_METHODS_GALXE, .lines = "", .text = "Access-Control-Allow-Methods: GET, POST, OPTIONS"},
    {.fix = FIX_HEADERS_VALID, .lines = "Access-Control-Allow-Headers: x-a, x b, *\r\n",
     .text = "Access-Control-Allow-Headers: x-a"},
    {.fix = FIX_HEADERS_ADD, .lines = "Access-Control-Allow-Headers: X-B\r\n", .headers = {"X-C", "x-b", "X-A"},
     .text = "Access-Control-Allow-Headers: X-B, x-a, x-c"},
    {.fix = FIX_HEADERS_ADD, .lines = "", .headers = {"X-Z"}, .text = "Access-Control-Allow-Headers: x-z"},
    {.fix = FIX_HEADERS_ADD_AUTHORIZATION, .lines = "Access-Control-Allow-Headers: *\r\naccess-control-allow-headers: x-a\r\n",
     .text = "Access-Control-Allow-Headers: *, x-a, Authorization"},
    {.fix = FIX_HEADERS_CONTENT_TYPE, .lines = "", .text = "Access-Control-Allow-Headers: Content-Type"},
    {.fix = FIX_EXPOSE_VALID, .stage = RESP, .lines = "Access-Control-Expose-Headers: X-Id, ?, X-Two\r\n",
     .text = "Access-Control-Expose-Headers: X-Id, X-Two"},
    {.fix = FIX_EXPOSE_EXAMPLE, .stage = RESP, .lines = "", .text = "Access-Control-Expose-Headers: X-Request-Id"},
    {.fix = FIX_VARY, .stage = RESP, .lines = "", .text = "Vary: Origin"},
    {.fix = FIX_VARY, .stage = RESP, .lines = "Vary: Accept\r\nVary: Cookie\r\n", .text = "Vary: Accept, Cookie, Origin"},
    {.fix = FIX_MAX_AGE, .lines = "", .text = "Access-Control-Max-Age: 7200"},
};

static void test_rows(void **state)
{
    static test_eval t;
    static big_report b;
    static char head[512];
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const fix_row *row = &rows[i];
        int32_t stage = row->stage ? row->stage : PRE;
        cors_header hs[3];
        size_t n = 0, start;
        cors_report *r = big_report_lend(&b);
        cors_span s;
        for (; n < COUNT(row->headers) && row->headers[n] != NULL; n++)
            hs[n] = (cors_header){str_z(row->headers[n]), STR("1")};
        test_eval_init(&t, NULL, row->method ? row->method : "PUT",
                       row->credentialed ? CORS_CREDENTIALS_INCLUDE : CORS_CREDENTIALS_OMIT, hs, n, CORS_RULES_BROWSER,
                       false, r);
        snprintf(head, sizeof(head), "HTTP/1.1 204 No Content\r\n%s\r\n", row->lines);
        if (stage == PRE)
            test_eval_preflight(&t, head);
        else
            test_eval_response(&t, head);
        start = r->text_length;
        cors__fixes_write(&t.ev, r, row->fix, stage);
        s = cors__report_since(r, start);
        if (!span_is(r, s, row->text))
            fail_msg("fix %d: '%.*s', want '%s'", (int)row->fix, (int)s.length, r->text + s.offset, row->text);
    }
}

static void test_every_fix_has_a_row(void **state)
{
    (void)state;
    for (int32_t fix = FIX_NONE; fix <= FIX_MAX_AGE; fix++) {
        int seen = 0;
        for (size_t i = 0; i < COUNT(rows); i++)
            seen |= rows[i].fix == fix;
        if (!seen)
            fail_msg("no row for fix %d", (int)fix);
    }
}

/* 130 unsafe names, Access-Control-Allow-Headers listing every third: the
 * fix adds the others, in order, each once. */
static void test_headers_add_past_one_chunk(void **state)
{
    static char names[130][8], lines[2048], want[4096];
    static cors_header hs[130];
    static test_eval t;
    static big_report b;
    size_t n = 0, w = 0, start;
    cors_report *r = big_report_lend(&b);
    cors_span s;
    (void)state;
    n += (size_t)snprintf(lines, sizeof(lines), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Headers: h-000");
    w += (size_t)snprintf(want, sizeof(want), "Access-Control-Allow-Headers: h-000");
    for (size_t i = 0; i < 130; i++) {
        snprintf(names[i], sizeof(names[i]), "H-%03zu", 129 - i);
        hs[i] = (cors_header){str_z(names[i]), STR("1")};
    }
    for (size_t i = 3; i < 130; i += 3)
        n += (size_t)snprintf(lines + n, sizeof(lines) - n, ", h-%03zu", i);
    for (size_t i = 3; i < 130; i += 3)
        w += (size_t)snprintf(want + w, sizeof(want) - w, ", h-%03zu", i);
    for (size_t i = 1; i < 130; i++)
        if (i % 3 != 0)
            w += (size_t)snprintf(want + w, sizeof(want) - w, ", h-%03zu", i);
    snprintf(lines + n, sizeof(lines) - n, "\r\n\r\n");
    test_eval_init(&t, NULL, "PUT", CORS_CREDENTIALS_OMIT, hs, 130, CORS_RULES_BROWSER, false, r);
    test_eval_preflight(&t, lines);
    start = r->text_length;
    cors__fixes_write(&t.ev, r, FIX_HEADERS_ADD, PRE);
    s = cors__report_since(r, start);
    if (!span_is(r, s, want))
        fail_msg("'%.*s'", (int)s.length, r->text + s.offset);
}

static void test_joined(void **state)
{
    static test_eval t;
    static big_report b;
    cors_report *r = big_report_lend(&b);
    (void)state;
    test_eval_init(&t, NULL, "GET", CORS_CREDENTIALS_OMIT, NULL, 0, CORS_RULES_BROWSER, false, r);
    test_eval_response(&t, "HTTP/1.1 200 OK\r\nVary: a\r\nX: 1\r\nvary: b,c\r\nVARY:\r\n\r\n");
    assert_span(r, cors__fixes_joined(&t.ev, r, TOK_VARY, RESP), "a, b,c, ");
    assert_span(r, cors__fixes_joined(&t.ev, r, TOK_ACAO, RESP), "");
    /* no preflight given: nothing */
    assert_span(r, cors__fixes_joined(&t.ev, r, TOK_VARY, PRE), "");
    /* a token without a slot */
    assert_span(r, cors__fixes_joined(&t.ev, r, TOK_UNKNOWN, RESP), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_every_fix_has_a_row),
        cmocka_unit_test(test_headers_add_past_one_chunk),
        cmocka_unit_test(test_joined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
