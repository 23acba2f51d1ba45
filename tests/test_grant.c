/* SPDX-License-Identifier: MIT */
/*
 * test_grant.c - lib/grant.c: where a response's CORS headers sit. For every
 * slot: how many lines, the first and last, the first value (a view, not a
 * copy); names matched in any case and exactly; the lines script could ever
 * read; the slot-to-token map; the CORS check's wildcard.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

typedef struct want_field {
    size_t count, first, last;
    const char *value;
} want_field;

static void assert_field(const cors__grant *g, cors__slot slot, want_field w)
{
    const cors__field *f = cors__grant_field(g, slot);
    if (f->count != w.count || f->first != w.first || f->last != w.last)
        fail_msg("slot %d: count %zu first %zu last %zu, want %zu %zu %zu", (int)slot, f->count, f->first, f->last,
                 w.count, w.first, w.last);
    assert_str(f->value, w.value ? w.value : "");
}

/* The grant after its bytes were poisoned: build must reset all of it. */
static void build(const cors_response *resp, cors__grant *g)
{
    memset(g, 0xab, sizeof(*g));
    cors__grant_build(resp, g);
}

static void test_slot_tokens(void **state)
{
    static const cors__tok want[SLOT_COUNT] = {
        [SLOT_ACAO] = TOK_ACAO, [SLOT_ACAC] = TOK_ACAC, [SLOT_ACAM] = TOK_ACAM, [SLOT_ACAH] = TOK_ACAH,
        [SLOT_ACEH] = TOK_ACEH, [SLOT_ACMA] = TOK_ACMA, [SLOT_VARY] = TOK_VARY, [SLOT_LOCATION] = TOK_LOCATION,
    };
    (void)state;
    for (int s = 0; s < SLOT_COUNT; s++) {
        assert_int_equal(cors__slot_token((cors__slot)s), want[s]);
        for (int t = 0; t < s; t++)
            assert_int_not_equal(cors__slot_token((cors__slot)s), cors__slot_token((cors__slot)t));
    }
}

static void test_fields(void **state)
{
    static parsed_head h;
    cors__grant g;
    const cors_response *resp;
    (void)state;
    resp = parsed_head_init(&h, "HTTP/1.1 204 No Content\r\n"
                                "Access-Control-Allow-Origin: https://app.example\r\n" /* 0 */
                                "access-control-allow-methods: GET, PUT\r\n"           /* 1 */
                                "Vary: Origin\r\n"                                     /* 2 */
                                "X-Other: 1\r\n"                                       /* 3 */
                                "ACCESS-CONTROL-ALLOW-METHODS: DELETE\r\n"             /* 4 */
                                "Access-Control-Allow-Headers: x-a\r\n"                /* 5 */
                                "Access-Control-Allow-Credentials: true\r\n"           /* 6 */
                                "Access-Control-Expose-Headers: x-b\r\n"               /* 7 */
                                "Access-Control-Max-Age: 600\r\n"                      /* 8 */
                                "Location: /next\r\n"                                  /* 9 */
                                "vary: Accept\r\n"                                     /* 10 */
                                "Access-Control-Allow-Originx: no\r\n"                 /* 11 */
                                "Access-Control-Allow-Headers:\r\n"                    /* 12 */
                                "Set-Cookie: a=b\r\n"                                  /* 13 */
                                "VARY: *\r\n"                                          /* 14 */
                                "\r\n");
    build(resp, &g);
    assert_int_equal(g.status_code, 204);
    assert_ptr_equal(g.headers, h.headers);
    assert_int_equal(g.header_count, 15);
    assert_field(&g, SLOT_ACAO, (want_field){.count = 1, .first = 0, .last = 0, .value = "https://app.example"});
    assert_field(&g, SLOT_ACAM, (want_field){.count = 2, .first = 1, .last = 4, .value = "GET, PUT"});
    assert_field(&g, SLOT_VARY, (want_field){.count = 3, .first = 2, .last = 14, .value = "Origin"});
    assert_field(&g, SLOT_ACAH, (want_field){.count = 2, .first = 5, .last = 12, .value = "x-a"});
    assert_field(&g, SLOT_ACAC, (want_field){.count = 1, .first = 6, .last = 6, .value = "true"});
    assert_field(&g, SLOT_ACEH, (want_field){.count = 1, .first = 7, .last = 7, .value = "x-b"});
    assert_field(&g, SLOT_ACMA, (want_field){.count = 1, .first = 8, .last = 8, .value = "600"});
    assert_field(&g, SLOT_LOCATION, (want_field){.count = 1, .first = 9, .last = 9, .value = "/next"});
    /* every line but Set-Cookie could be read by script */
    assert_int_equal(g.readable_candidates, 14);
    /* the value is a view into the caller's bytes, not a copy */
    assert_ptr_equal(cors__grant_field(&g, SLOT_ACAO)->value.ptr, h.headers[0].value.ptr);
}

static void test_absent_fields(void **state)
{
    static parsed_head h;
    cors__grant g;
    (void)state;
    build(parsed_head_init(&h, "HTTP/2 404\r\ncontent-type: text/html\r\n\r\n"), &g);
    assert_int_equal(g.status_code, 404);
    assert_int_equal(g.header_count, 1);
    assert_int_equal(g.readable_candidates, 1);
    for (int s = 0; s < SLOT_COUNT; s++) {
        const cors__field *f = cors__grant_field(&g, (cors__slot)s);
        assert_int_equal(f->count, 0);
        assert_int_equal(f->first, 0);
        assert_int_equal(f->last, 0);
        assert_int_equal(f->value.len, 0);
        assert_null(f->value.ptr);
    }
}

static void test_empty_line_is_present(void **state)
{
    static parsed_head h;
    cors__grant g;
    (void)state;
    /* Fetch: an empty header is still present */
    build(parsed_head_init(&h, "HTTP/1.1 200 OK\r\nX: 1\r\nAccess-Control-Allow-Origin:\r\n\r\n"), &g);
    assert_field(&g, SLOT_ACAO, (want_field){.count = 1, .first = 1, .last = 1, .value = ""});
    assert_non_null(cors__grant_field(&g, SLOT_ACAO)->value.ptr);
}

static void test_from_headers_response(void **state)
{
    cors_header hs[] = {{STR("Vary"), STR("Origin")},
                        {STR("access-control-allow-origin"), STR("*")},
                        {STR("Access-Control-Expose-Headers"), {NULL, 0}},
                        {STR("set-cookie2"), STR("x")},
                        {STR("SET-COOKIE"), STR("y")}};
    cors_response r;
    cors__grant g;
    (void)state;
    cors_response_init(&r, sizeof(r));
    assert_int_equal(cors_response_from_headers(200, hs, COUNT(hs), &r, NULL), CORS_OK);
    build(&r, &g);
    assert_int_equal(g.status_code, 200);
    assert_field(&g, SLOT_ACAO, (want_field){.count = 1, .first = 1, .last = 1, .value = "*"});
    assert_field(&g, SLOT_VARY, (want_field){.count = 1, .first = 0, .last = 0, .value = "Origin"});
    assert_field(&g, SLOT_ACEH, (want_field){.count = 1, .first = 2, .last = 2, .value = ""});
    /* Set-Cookie and Set-Cookie2, in any case, are never readable */
    assert_int_equal(g.readable_candidates, 3);
}

static void test_no_headers(void **state)
{
    cors_response r;
    cors__grant g;
    (void)state;
    cors_response_init(&r, sizeof(r));
    assert_int_equal(cors_response_from_headers(302, NULL, 0, &r, NULL), CORS_OK);
    build(&r, &g);
    assert_int_equal(g.status_code, 302);
    assert_int_equal(g.header_count, 0);
    assert_int_equal(g.readable_candidates, 0);
    for (int s = 0; s < SLOT_COUNT; s++)
        assert_int_equal(cors__grant_field(&g, (cors__slot)s)->count, 0);
}

/* Many lines: the first and last stay exact; counts are not capped. */
static void test_many_lines(void **state)
{
    enum { LINES = 20000 };
    cors_header *hs = malloc(LINES * sizeof(*hs));
    cors_response r;
    cors__grant g;
    (void)state;
    assert_non_null(hs);
    for (size_t i = 0; i < LINES; i++) {
        hs[i].name = i % 3 == 0 ? STR("Vary") : i % 3 == 1 ? STR("X-Pad") : STR("set-cookie");
        hs[i].value = STR("v");
    }
    hs[LINES - 1].name = STR("Access-Control-Allow-Origin");
    cors_response_init(&r, sizeof(r));
    assert_int_equal(cors_response_from_headers(200, hs, LINES, &r, NULL), CORS_OK);
    build(&r, &g);
    /* 0, 3, ..., 19995 are Vary; 19998 too; 19999 is the ACAO line */
    assert_field(&g, SLOT_VARY, (want_field){.count = 6667, .first = 0, .last = 19998, .value = "v"});
    assert_field(&g, SLOT_ACAO, (want_field){.count = 1, .first = LINES - 1, .last = LINES - 1, .value = "v"});
    assert_int_equal(g.readable_candidates, LINES - (LINES - 2) / 3);
    free(hs);
}

/* The line bits end at 64: lines 63 and 64 counted alike whatever side of the bound they fall. */
static void test_line_bits_bound(void **state)
{
    static const size_t counts[] = {63, 64, 65, 66};
    cors_header hs[66];
    cors_response r;
    cors__grant g;
    (void)state;
    for (size_t c = 0; c < COUNT(counts); c++) {
        size_t n = counts[c];
        for (size_t i = 0; i < n; i++) {
            hs[i].name = i >= 62 ? STR("Set-Cookie") : i % 2 ? STR("Content-Type") : STR("X-Pad");
            hs[i].value = STR("v");
        }
        cors_response_init(&r, sizeof(r));
        assert_int_equal(cors_response_from_headers(200, hs, n, &r, NULL), CORS_OK);
        build(&r, &g);
        assert_int_equal(g.readable_candidates, 62);
        assert_true(g.forbidden_lines == (n == 63 ? (uint64_t)1 << 62 : (uint64_t)3 << 62));
        assert_true(g.safelisted_lines == 0x2aaaaaaaaaaaaaaau);
    }
}

static void test_field_is_star(void **state)
{
    static const struct {
        const char *label;
        cors_header headers[3];
        size_t count;
        int star;
    } rows[] = {
        {.label = "one '*'", .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("*")}}, .count = 1, .star = 1},
        {.label = "'*' on two lines",
         .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("*")}, {STR_INIT("Access-Control-Allow-Origin"), STR_INIT("*")}},
         .count = 2,
         .star = 0},
        {.label = "'**'", .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("**")}}, .count = 1, .star = 0},
        {.label = "' *' as given (from_headers does not trim)",
         .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT(" *")}},
         .count = 1,
         .star = 0},
        {.label = "'*,'", .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("*,")}}, .count = 1, .star = 0},
        {.label = "empty", .headers = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("")}}, .count = 1, .star = 0},
        {.label = "absent", .headers = {{STR_INIT("X-Star"), STR_INIT("*")}}, .count = 1, .star = 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_response r;
        cors__grant g;
        cors_response_init(&r, sizeof(r));
        assert_int_equal(cors_response_from_headers(200, rows[i].headers, rows[i].count, &r, NULL), CORS_OK);
        build(&r, &g);
        if (cors__field_is_star(cors__grant_field(&g, SLOT_ACAO)) != rows[i].star)
            fail_msg("%s", rows[i].label);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slot_tokens),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_absent_fields),
        cmocka_unit_test(test_empty_line_is_present),
        cmocka_unit_test(test_from_headers_response),
        cmocka_unit_test(test_no_headers),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_line_bits_bound),
        cmocka_unit_test(test_field_is_star),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
