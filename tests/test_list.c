/* SPDX-License-Identifier: MIT */
/*
 * test_list.c - lib/list.c: comma-separated lists read across every line of
 * one grant slot (Fetch: extract header list values): only that slot's lines,
 * empty elements skipped, OWS trimmed; cors__list_scan: its statistics, the
 * needle found exactly or case-insensitively, the marks of a sorted chunk of up
 * to 64 names; membership; cors__sorted_find.
 * Values are also placed against a PROT_NONE page, so a read past a value's
 * length crashes.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

/* No needle for cors__list_scan. */
#define NO_NEEDLE ((cors_str){NULL, 0})

/* The marks of sorted[0, n) in the slot's list: one scan. */
static uint64_t mark(const cors__grant *g, cors__slot slot, const cors_str *sorted, size_t n)
{
    cors__list_stats st;
    memset(&st, 0xab, sizeof(st));
    cors__list_scan(g, slot, NO_NEEDLE, sorted, n, &st);
    assert_false(st.needle_exact);
    assert_false(st.needle_nocase);
    return st.marks;
}


typedef struct parsed {
    parsed_head head;
    cors__grant grant;
} parsed;

static const cors__grant *parse(parsed *p, const char *text)
{
    cors__grant_build(parsed_head_init(&p->head, text), &p->grant);
    return &p->grant;
}

/* The elements of a slot's list joined with "|"; every element non-empty. */
static const char *elements(const cors__grant *g, cors__slot slot)
{
    static char buf[1024];
    cors__list_iter it;
    cors_str e;
    size_t n = 0;
    buf[0] = '\0';
    memset(&it, 0xab, sizeof(it));
    cors__list_begin(&it, g, slot);
    while (cors__list_next(&it, &e)) {
        assert_true(e.len > 0);
        assert_true(n + e.len + 2 < sizeof(buf));
        if (n > 0)
            buf[n++] = '|';
        memcpy(buf + n, e.ptr, e.len);
        n += e.len;
        buf[n] = '\0';
    }
    /* the end stays the end */
    assert_false(cors__list_next(&it, &e));
    assert_false(cors__list_next(&it, &e));
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Iteration                                                                 */
/* ------------------------------------------------------------------------ */

static void test_list_across_lines(void **state)
{
    static parsed p;
    const cors__grant *g;
    (void)state;
    g = parse(&p, "HTTP/1.1 204 No Content\r\n"
                  "Access-Control-Allow-Methods: GET, ,PUT\r\n"
                  "Access-Control-Allow-Methods:\r\n"
                  "X-Other: PATCH, POST\r\n"
                  "access-control-allow-methods: \tDELETE\t,,\r\n"
                  "Access-Control-Allow-Headers: x-a\r\n"
                  "Access-Control-Allow-Methodsx: NOT\r\n"
                  "ACCESS-CONTROL-ALLOW-METHODS: , PATCH , a  b\r\n"
                  "\r\n");
    assert_int_equal(cors__grant_field(g, SLOT_ACAM)->count, 4);
    /* only the slot's lines, in order; inner whitespace of an element kept */
    assert_string_equal(elements(g, SLOT_ACAM), "GET|PUT|DELETE|PATCH|a  b");
    assert_string_equal(elements(g, SLOT_ACAH), "x-a");
    /* absent: no element */
    assert_string_equal(elements(g, SLOT_ACEH), "");
}

static void test_list_empty_elements(void **state)
{
    static const char *const heads[] = {
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers: , , ,\r\n\r\n",
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers:\r\nAccess-Control-Expose-Headers: ,\r\n\r\n",
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers: \t , \t\r\n\r\n",
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers: ,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
    };
    static parsed p;
    (void)state;
    for (size_t i = 0; i < COUNT(heads); i++) {
        const cors__grant *g = parse(&p, heads[i]);
        cors__list_stats st;
        assert_string_equal(elements(g, SLOT_ACEH), "");
        memset(&st, 0xab, sizeof(st));
        cors__list_scan(g, SLOT_ACEH, NO_NEEDLE, NULL, 0, &st);
        assert_int_equal(st.elements, 0);
        assert_true(st.valid);
        assert_false(st.has_star);
        assert_false(cors__list_contains(g, SLOT_ACEH, STR(""), false));
        assert_false(cors__list_contains(g, SLOT_ACEH, STR(","), false));
    }
}

static void test_list_null_value(void **state)
{
    cors_header hs[] = {{STR("Access-Control-Expose-Headers"), {NULL, 0}},
                        {STR("Access-Control-Expose-Headers"), STR("x-a")}};
    cors_response r;
    cors__grant g;
    (void)state;
    cors_response_init(&r, sizeof(r));
    assert_int_equal(cors_response_from_headers(200, hs, COUNT(hs), &r, NULL), CORS_OK);
    cors__grant_build(&r, &g);
    /* a NULL empty value iterates as an empty list */
    assert_string_equal(elements(&g, SLOT_ACEH), "x-a");
    assert_int_equal(cors_response_from_headers(200, hs, 1, &r, NULL), CORS_OK);
    cors__grant_build(&r, &g);
    assert_string_equal(elements(&g, SLOT_ACEH), "");
}

/* A walk reads only the lines from the slot's first to its last: the lines
 * outside that range here have no readable name at all. */
static void test_walk_reads_only_the_slot_range(void **state)
{
    /* a NULL name as long as the slot's name: any compare with it crashes */
    const cors_str trap = {NULL, sizeof("access-control-allow-methods") - 1};
    cors_header hs[] = {{trap, STR("TRAP")},
                        {STR("Access-Control-Allow-Methods"), STR("GET, PUT")},
                        {STR("X-Between"), STR("TRAP")},
                        {STR("access-control-allow-methods"), STR("DELETE")},
                        {trap, STR("TRAP")}};
    cors__grant g;
    cors__list_stats st;
    (void)state;
    memset(&g, 0, sizeof(g));
    g.status_code = 204;
    g.headers = hs;
    g.header_count = COUNT(hs);
    g.field[SLOT_ACAM] = (cors__field){.count = 2, .first = 1, .last = 3, .value = STR("GET, PUT")};
    assert_string_equal(elements(&g, SLOT_ACAM), "GET|PUT|DELETE");
    cors__list_scan(&g, SLOT_ACAM, NO_NEEDLE, NULL, 0, &st);
    assert_int_equal(st.elements, 3);
    assert_true(cors__list_contains(&g, SLOT_ACAM, STR("delete"), true));
    assert_false(cors__list_contains(&g, SLOT_ACAM, STR("TRAP"), false));
}

/* Every prefix of a list value, ending at a PROT_NONE page. */
static void test_list_guard_page(void **state)
{
    static const char value[] = " GET ,\t, PUT,DELETE  ,,x y\t,*";
    guard fence;
    (void)state;
    guard_init(&fence, 4096);
    for (size_t n = 0; n < sizeof(value); n++) {
        const char *p = guard_place(&fence, value, n);
        cors_header hs[] = {{STR("Access-Control-Allow-Methods"), {p, n}}};
        cors_response r;
        cors__grant g;
        cors__list_iter it;
        cors__list_stats st;
        cors_str e;
        size_t count = 0;
        cors_response_init(&r, sizeof(r));
        assert_int_equal(cors_response_from_headers(204, hs, 1, &r, NULL), CORS_OK);
        cors__grant_build(&r, &g);
        cors__list_begin(&it, &g, SLOT_ACAM);
        while (cors__list_next(&it, &e)) {
            assert_true(e.ptr >= p && e.ptr + e.len <= p + n);
            assert_true(e.len > 0);
            count++;
        }
        cors__list_scan(&g, SLOT_ACAM, NO_NEEDLE, NULL, 0, &st);
        assert_int_equal(st.elements, count);
    }
    guard_free(&fence);
}

/* ------------------------------------------------------------------------ */
/* The scan                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct scan_row {
    const char *lines;  /* Access-Control-Allow-Headers line(s), "\r\n"-separated */
    size_t elements;
    int valid;
    const char *first_bad;
    int has_star;
} scan_row;

static const scan_row scan_rows[] = {
    {.lines = "GET, PUT", .elements = 2, .valid = 1},
    {.lines = "GET,,PUT,", .elements = 2, .valid = 1},
    {.lines = "*", .elements = 1, .valid = 1, .has_star = 1},
    {.lines = "x-a, *", .elements = 2, .valid = 1, .has_star = 1},
    {.lines = "**", .elements = 1, .valid = 1},                   /* '**' is a token, not the wildcard */
    {.lines = "'x-a'", .elements = 1, .valid = 1},                /* the quote is a token character */
    {.lines = "!#$%&'*+-.^_`|~09AZaz", .elements = 1, .valid = 1},
    {.lines = "PUT DELETE", .elements = 1, .valid = 0, .first_bad = "PUT DELETE"},
    {.lines = "GET, PUT;", .elements = 2, .valid = 0, .first_bad = "PUT;"},
    {.lines = "\"PUT\"", .elements = 1, .valid = 0, .first_bad = "\"PUT\""},
    {.lines = "x-a, x-b x-c, y", .elements = 3, .valid = 0, .first_bad = "x-b x-c"},
    {.lines = "x-\xc3\xa9", .elements = 1, .valid = 0, .first_bad = "x-\xc3\xa9"},
    {.lines = "a, b@c", .elements = 2, .valid = 0, .first_bad = "b@c"},
    {.lines = "a/b", .elements = 1, .valid = 0, .first_bad = "a/b"},
    {.lines = "*, a b", .elements = 2, .valid = 0, .first_bad = "a b", .has_star = 1},
    /* the first offender across lines; the rest still counted */
    {.lines = "x-a\r\nAccess-Control-Allow-Headers: ok, (bad), worse x, *",
     .elements = 5,
     .valid = 0,
     .first_bad = "(bad)",
     .has_star = 1},
};

static void test_scan(void **state)
{
    static parsed p;
    char head[256];
    (void)state;
    for (size_t i = 0; i < COUNT(scan_rows); i++) {
        const scan_row *row = &scan_rows[i];
        const cors__grant *g;
        cors__list_stats st;
        snprintf(head, sizeof(head), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Headers: %s\r\n\r\n", row->lines);
        g = parse(&p, head);
        memset(&st, 0xab, sizeof(st));
        cors__list_scan(g, SLOT_ACAH, NO_NEEDLE, NULL, 0, &st);
        if (st.elements != row->elements || st.valid != row->valid || st.has_star != row->has_star)
            fail_msg("'%s': elements %zu valid %d star %d", row->lines, st.elements, st.valid, st.has_star);
        if (!row->valid)
            assert_str(st.first_bad, row->first_bad);
        else
            assert_int_equal(st.first_bad.len, 0);
    }
}

/* The needle: an element equal to it, byte for byte or case-insensitively,
 * anywhere in the slot's lines (Chromium compares methods both ways). */
static void test_scan_needle(void **state)
{
    static const struct {
        const char *lines;
        const char *needle;
        bool exact, nocase;
    } rows[] = {
        {.lines = "GET, PUT", .needle = "PUT", .exact = true, .nocase = true},
        {.lines = "GET, put", .needle = "PUT", .exact = false, .nocase = true},
        {.lines = "GET, PUTX, XPUT, PU", .needle = "PUT"},
        {.lines = "get\r\nAccess-Control-Allow-Methods: PUT", .needle = "PUT", .exact = true, .nocase = true},
        {.lines = "put, PUT", .needle = "PUT", .exact = true, .nocase = true},
        {.lines = "", .needle = "PUT"},
        {.lines = " \t PUT \t ", .needle = "PUT", .exact = true, .nocase = true},
        {.lines = "*", .needle = "PUT"},
    };
    static parsed p;
    char head[256];
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const cors__grant *g;
        cors__list_stats st;
        snprintf(head, sizeof(head), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Methods: %s\r\n\r\n",
                 rows[i].lines);
        g = parse(&p, head);
        memset(&st, 0xab, sizeof(st));
        cors__list_scan(g, SLOT_ACAM, str_z(rows[i].needle), NULL, 0, &st);
        if (st.needle_exact != rows[i].exact || st.needle_nocase != rows[i].nocase)
            fail_msg("'%s' needle %s: exact %d nocase %d", rows[i].lines, rows[i].needle, st.needle_exact,
                     st.needle_nocase);
        assert_int_equal(st.marks, 0);
        /* another slot's list never holds it */
        cors__list_scan(g, SLOT_ACAH, str_z(rows[i].needle), NULL, 0, &st);
        assert_false(st.needle_exact || st.needle_nocase);
        assert_int_equal(st.elements, 0);
    }
}

/* ------------------------------------------------------------------------ */
/* Membership                                                                */
/* ------------------------------------------------------------------------ */

static void test_list_contains(void **state)
{
    static parsed p;
    const cors__grant *g;
    (void)state;
    g = parse(&p, "HTTP/1.1 204 No Content\r\n"
                  "Access-Control-Allow-Methods: put, Get\r\n"
                  "X-Other: PATCH\r\n"
                  "Access-Control-Allow-Methods: *, x y\r\n"
                  "\r\n");
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("put"), false));
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("PUT"), false)); /* case-sensitive */
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("PUT"), true));   /* case-insensitive */
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("Get"), false));
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("GET"), false));
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("gEt"), true));
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("*"), false));    /* on the second line */
    assert_true(cors__list_contains(g, SLOT_ACAM, STR("x y"), false));  /* an element, trimmed, is compared whole */
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("x"), false));
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("pu"), true));   /* no prefix match */
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("put, Get"), false));
    assert_false(cors__list_contains(g, SLOT_ACAM, STR("PATCH"), true)); /* another header's line */
    assert_false(cors__list_contains(g, SLOT_ACAH, STR("put"), true));  /* absent */
}

/* ------------------------------------------------------------------------ */
/* Sorted chunks: cors__sorted_find and the scan's marks                     */
/* ------------------------------------------------------------------------ */

static int compare_lower_qsort(const void *a, const void *b)
{
    return cors__compare_lower(*(const cors_str *)a, *(const cors_str *)b);
}

static void test_sorted_find(void **state)
{
    /* lowercase byte order: '_' (0x5f) sorts before letters once they are lowercased */
    static const cors_str sorted[] = {STR_INIT("X-!"), STR_INIT("x-1"), STR_INIT("X-_"), STR_INIT("x-a"),
                                      STR_INIT("x-a-b"), STR_INIT("X-AB"), STR_INIT("x-z"), STR_INIT("x-~")};
    (void)state;
    for (size_t i = 1; i < COUNT(sorted); i++)
        assert_true(cors__compare_lower(sorted[i - 1], sorted[i]) < 0);
    for (size_t i = 0; i < COUNT(sorted); i++) {
        assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), sorted[i]), i);
        /* case-insensitive, and every prefix of the array finds only what it holds */
        for (size_t n = 0; n <= COUNT(sorted); n++)
            assert_int_equal(cors__sorted_find(sorted, n, sorted[i]), i < n ? i : SIZE_MAX);
    }
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("x-ab")), 5);
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("X-Z")), 6);
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("x-")), SIZE_MAX);
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("x-a-")), SIZE_MAX);
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("x-zz")), SIZE_MAX);
    assert_int_equal(cors__sorted_find(sorted, COUNT(sorted), STR("")), SIZE_MAX);
    assert_int_equal(cors__sorted_find(NULL, 0, STR("x-a")), SIZE_MAX);
}

/* A sorted array of 500 names: each found at its index, near misses not at all. */
static void test_sorted_find_many(void **state)
{
    enum { N = 500 };
    static char names[N][16], miss[16];
    static cors_str sorted[N];
    (void)state;
    for (size_t i = 0; i < N; i++) {
        int n = snprintf(names[i], sizeof(names[i]), i % 2 ? "X-%zu" : "x-%zu-y", i * 7919 % 1009);
        sorted[i] = (cors_str){names[i], (size_t)n};
    }
    qsort(sorted, N, sizeof(sorted[0]), compare_lower_qsort);
    for (size_t i = 0; i < N; i++) {
        int n = snprintf(miss, sizeof(miss), "%.*s!", (int)sorted[i].len, sorted[i].ptr);
        assert_int_equal(cors__sorted_find(sorted, N, sorted[i]), i);
        assert_int_equal(cors__sorted_find(sorted, N, (cors_str){miss, (size_t)n}), SIZE_MAX);
    }
}

static void test_list_mark(void **state)
{
    static parsed p;
    static const cors_str sorted[] = {STR_INIT("authorization"), STR_INIT("content-type"), STR_INIT("x-a"),
                                      STR_INIT("x-b"), STR_INIT("x-c")};
    const cors__grant *g;
    (void)state;
    g = parse(&p, "HTTP/1.1 204 No Content\r\n"
                  "Access-Control-Allow-Headers: X-C, Content-Type\r\n"
                  "Access-Control-Allow-Methods: x-a\r\n"
                  "access-control-allow-headers: x-zzz, x-c, *\r\n"
                  "\r\n");
    /* x-c (bit 4) and content-type (bit 1), case-insensitively; x-a is another slot's */
    assert_int_equal(mark(g, SLOT_ACAH, sorted, COUNT(sorted)), 0x12);
    assert_int_equal(mark(g, SLOT_ACAH, sorted, 2), 0x2);
    assert_int_equal(mark(g, SLOT_ACAH, sorted, 0), 0);
    assert_int_equal(mark(g, SLOT_ACAM, sorted, COUNT(sorted)), 0x4);
    assert_int_equal(mark(g, SLOT_ACEH, sorted, COUNT(sorted)), 0);
}

/* A full chunk of 64: bit 63 is reachable, every listed name marks its own bit. */
static void test_list_mark_full_chunk(void **state)
{
    static char names[MODEL_CHUNK][16], head[MODEL_CHUNK * 16 + 128];
    static cors_str sorted[MODEL_CHUNK];
    static parsed p;
    size_t n = 0;
    uint64_t want = 0;
    const cors__grant *g;
    (void)state;
    for (size_t i = 0; i < MODEL_CHUNK; i++) {
        int len = snprintf(names[i], sizeof(names[i]), "h-%03zu", i);
        sorted[i] = (cors_str){names[i], (size_t)len};
    }
    n += (size_t)snprintf(head + n, sizeof(head) - n, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Headers: ");
    for (size_t i = 0; i < MODEL_CHUNK; i++) {
        if (i % 3 != 0 && i != MODEL_CHUNK - 1)
            continue;
        n += (size_t)snprintf(head + n, sizeof(head) - n, "%sH-%03zu", want ? ", " : "", i);
        want |= (uint64_t)1 << i;
    }
    snprintf(head + n, sizeof(head) - n, "\r\n\r\n");
    g = parse(&p, head);
    assert_true(want & ((uint64_t)1 << 63));
    assert_int_equal(mark(g, SLOT_ACAH, sorted, MODEL_CHUNK), want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_across_lines),
        cmocka_unit_test(test_list_empty_elements),
        cmocka_unit_test(test_list_null_value),
        cmocka_unit_test(test_walk_reads_only_the_slot_range),
        cmocka_unit_test(test_list_guard_page),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_scan_needle),
        cmocka_unit_test(test_list_contains),
        cmocka_unit_test(test_sorted_find),
        cmocka_unit_test(test_sorted_find_many),
        cmocka_unit_test(test_list_mark),
        cmocka_unit_test(test_list_mark_full_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
