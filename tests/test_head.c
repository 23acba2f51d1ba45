/* SPDX-License-Identifier: MIT */
/*
 * test_head.c - lib/head.c, the response API: cors_response_parse's arguments
 * and flags, which reading each flag selects, err optional, cors_response_init;
 * cors_response_from_headers with err->index and err->offset;
 * cors_headers_find. The readings themselves: test_head_chromium.c and
 * test_head_strict.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"


/* An out-parameter the library must reset: struct_size set, the rest garbage. */
static void poisoned_response(cors_response *out)
{
    cors_response_init(out, sizeof(*out));
    memset((char *)out + sizeof(out->struct_size), 0xab, sizeof(*out) - sizeof(out->struct_size));
}

/* Flags 0 read the head as Chromium does (a line that is no header is
 * skipped and logged in repairs); CORS_PARSE_STRICT refuses it where it is.
 * err is optional in both. */
static void test_parse_flag_selects_reading(void **state)
{
    static const char ok[] = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n", bad[] = "HTTP/1.1 200 OK\r\nbad line\r\nA: b\r\n\r\n";
    cors_header headers[4];
    cors_response out;
    cors_error err;
    (void)state;
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(ok, sizeof(ok) - 1, 0, headers, 4, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 1);
    assert_int_equal(out.repairs, 0);
    assert_int_equal(cors_response_parse(ok, sizeof(ok) - 1, CORS_PARSE_STRICT, headers, 4, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 1);

    assert_int_equal(cors_response_parse(bad, sizeof(bad) - 1, 0, headers, 4, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 1);
    assert_str(headers[0].name, "A");
    assert_int_equal(out.repairs, CORS_REPAIR_LINE_SKIPPED);
    assert_int_equal(out.network_error, 0);
    assert_int_equal(cors_response_parse(bad, sizeof(bad) - 1, CORS_PARSE_STRICT, headers, 4, &out, NULL),
                     CORS_E_NO_COLON);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(bad, sizeof(bad) - 1, CORS_PARSE_STRICT, headers, 4, &out, &err),
                     CORS_E_NO_COLON);
    assert_int_equal(err.offset, 17);
    assert_int_equal(err.line, 2);
}

static void test_parse_flags(void **state)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n";
    static const uint32_t unknown_flags[] = {0x2, 0x4, 0x80000000u, 0xffffffffu, CORS_PARSE_STRICT | 0x100};
    cors_header headers[2];
    cors_response out;
    cors_error err;
    (void)state;
    for (size_t i = 0; i < COUNT(unknown_flags); i++) {
        poisoned_response(&out);
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(cors_response_parse(in, sizeof(in) - 1, unknown_flags[i], headers, 2, &out, &err),
                         CORS_E_ARGUMENT);
        assert_int_equal(err.status, CORS_E_ARGUMENT);
        assert_int_equal(err.offset, 0);
        assert_int_equal(err.line, 0);
        assert_int_equal(err.index, SIZE_MAX);
        assert_int_equal(out.header_count, 0);
        assert_int_equal(out.status_code, 0);
    }
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, CORS_PARSE_STRICT, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 1);
}

static void test_parse_arguments(void **state)
{
    static const char in[] = "HTTP/1.1 200 OK\r\n\r\n";
    cors_header headers[2];
    cors_response out;
    cors_error err;
    (void)state;

#define EXPECT_ARGUMENT(call)                                                                          \
    do {                                                                                               \
        memset(&err, 0xab, sizeof(err));                                                               \
        assert_int_equal((call), CORS_E_ARGUMENT);                                                     \
        assert_int_equal(err.status, CORS_E_ARGUMENT);                                                 \
        assert_int_equal(err.offset, 0);                                                               \
        assert_int_equal(err.line, 0);                                                                 \
        assert_int_equal(err.index, SIZE_MAX);                                                         \
    } while (0)

    EXPECT_ARGUMENT(cors_response_parse(in, sizeof(in) - 1, 0, headers, 2, NULL, &err));
    /* a NULL buffer with a length, NULL headers with a capacity: out is still reset */
    poisoned_response(&out);
    EXPECT_ARGUMENT(cors_response_parse(NULL, 5, 0, headers, 2, &out, &err));
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.header_count, 0);
    assert_int_equal(out.status_code, 0);
    poisoned_response(&out);
    EXPECT_ARGUMENT(cors_response_parse(in, sizeof(in) - 1, 0, NULL, 2, &out, &err));
    assert_int_equal(out.header_count, 0);
    assert_null(out.headers);
    /* struct_size below the 0.2.0 layout */
    cors_response_init(&out, sizeof(out));
    out.struct_size = 0;
    EXPECT_ARGUMENT(cors_response_parse(in, sizeof(in) - 1, 0, headers, 2, &out, &err));
    out.struct_size = sizeof(out) - 1;
    EXPECT_ARGUMENT(cors_response_parse(in, sizeof(in) - 1, 0, headers, 2, &out, &err));
#undef EXPECT_ARGUMENT

    /* NULL with length 0 is the empty input: a verdict in Chromium's reading, an error in the strict one */
    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(NULL, 0, 0, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(out.network_error, CORS_KIND_EMPTY_RESPONSE);
    assert_int_equal(out.header_count, 0);
    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(NULL, 0, CORS_PARSE_STRICT, headers, 2, &out, &err), CORS_E_EMPTY);
    assert_int_equal(err.status, CORS_E_EMPTY);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.header_count, 0);
    assert_ptr_equal(out.headers, headers);
}

static void test_response_init(void **state)
{
    struct {
        cors_response response;
        unsigned char newer_fields[24];
    } big;
    cors_response out;
    (void)state;
    memset(&out, 0xab, sizeof(out));
    cors_response_init(&out, sizeof(out));
    assert_int_equal(out.struct_size, sizeof(out));
    assert_int_equal(out.status_code, 0);
    assert_null(out.headers);
    assert_int_equal(out.header_count, 0);
    assert_int_equal(out.header_total, 0);
    assert_null(out.reason.ptr);
    /* a newer, larger struct is cleared whole */
    memset(&big, 0xab, sizeof(big));
    cors_response_init(&big.response, sizeof(big));
    assert_int_equal(big.response.struct_size, sizeof(big));
    for (size_t i = 0; i < sizeof(big.newer_fields); i++)
        assert_int_equal(big.newer_fields[i], 0);
    /* too small to hold struct_size, or NULL: nothing is written */
    memset(&out, 0xab, sizeof(out));
    cors_response_init(&out, sizeof(size_t) - 1);
    assert_int_equal(out.struct_size, (size_t)0xabababababababab);
    cors_response_init(NULL, sizeof(out));
}

/* ------------------------------------------------------------------------ */
/* cors_response_from_headers                                                */
/* ------------------------------------------------------------------------ */

static void test_from_headers_valid(void **state)
{
    cors_header h[3] = {{STR("Access-Control-Allow-Origin"), STR("*")},
                        {STR("X-Odd"), STR("  spaced \x01\x7f\xc3\xa9 \t")},
                        {STR("Empty"), {NULL, 0}}};
    cors_response out;
    cors_error err;
    (void)state;

    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_from_headers(204, h, 3, &out, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.index, SIZE_MAX);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.status_code, 204);
    assert_int_equal(out.http_version, 11);
    assert_ptr_equal(out.headers, h); /* not copied */
    assert_int_equal(out.header_count, 3);
    assert_int_equal(out.header_total, 3);
    assert_int_equal(out.reason.len, 0);
    assert_int_equal(out.head_offset, 0);
    assert_int_equal(out.head_length, 0);
    /* values are used as given, not trimmed */
    assert_str(out.headers[1].value, "  spaced \x01\x7f\xc3\xa9 \t");

    assert_int_equal(cors_response_from_headers(100, h, 3, &out, &err), CORS_OK);
    assert_int_equal(cors_response_from_headers(999, h, 3, &out, &err), CORS_OK);
    assert_int_equal(cors_response_from_headers(200, NULL, 0, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 0);
    assert_null(out.headers);
}

typedef struct from_err_row {
    const char *label;
    int32_t status_code;
    cors_header headers[3];
    size_t count;
    int32_t status;
    size_t index;  /* the offending header, SIZE_MAX for none */
    size_t offset; /* the offending byte in its name or value */
} from_err_row;

static void test_from_headers_errors(void **state)
{
    static const char nul_value[] = "a\0b";
    static const from_err_row rows[] = {
        {.label = "status 99", .status_code = 99, .headers = {{STR_INIT("A"), STR_INIT("b")}}, .count = 1,
         .status = CORS_E_BAD_STATUS_LINE, .index = SIZE_MAX, .offset = 0},
        {.label = "status 1000", .status_code = 1000, .headers = {{STR_INIT("A"), STR_INIT("b")}}, .count = 1,
         .status = CORS_E_BAD_STATUS_LINE, .index = SIZE_MAX, .offset = 0},
        {.label = "negative status", .status_code = -200, .headers = {{STR_INIT("A"), STR_INIT("b")}}, .count = 1,
         .status = CORS_E_BAD_STATUS_LINE, .index = SIZE_MAX, .offset = 0},
        {.label = "status checked before the headers", .status_code = 0, .headers = {{{NULL, 3}, STR_INIT("b")}},
         .count = 1, .status = CORS_E_BAD_STATUS_LINE, .index = SIZE_MAX, .offset = 0},
        {.label = "space in name", .status_code = 200,
         .headers = {{STR_INIT("A"), STR_INIT("b")}, {STR_INIT("A"), STR_INIT("b")}, {STR_INIT("X Bad"), STR_INIT("v")}},
         .count = 3, .status = CORS_E_BAD_HEADER_NAME, .index = 2, .offset = 1},
        {.label = "colon in name", .status_code = 200, .headers = {{STR_INIT("A:"), STR_INIT("b")}}, .count = 1,
         .status = CORS_E_BAD_HEADER_NAME, .index = 0, .offset = 1},
        {.label = "non-ASCII in name", .status_code = 200, .headers = {{STR_INIT("X-\xc3\xa9"), STR_INIT("b")}},
         .count = 1, .status = CORS_E_BAD_HEADER_NAME, .index = 0, .offset = 2},
        {.label = "empty name", .status_code = 200, .headers = {{STR_INIT("A"), STR_INIT("b")}, {{NULL, 0}, STR_INIT("v")}},
         .count = 2, .status = CORS_E_BAD_HEADER_NAME, .index = 1, .offset = 0},
        {.label = "NUL in value", .status_code = 200, .headers = {{STR_INIT("A"), {nul_value, 3}}}, .count = 1,
         .status = CORS_E_NUL_IN_HEADER, .index = 0, .offset = 1},
        {.label = "CR in value", .status_code = 200,
         .headers = {{STR_INIT("A"), STR_INIT("b")}, {STR_INIT("B"), STR_INIT("x\ry")}}, .count = 2,
         .status = CORS_E_BAD_HEADER_VALUE, .index = 1, .offset = 1},
        {.label = "LF in value", .status_code = 200,
         .headers = {{STR_INIT("A"), STR_INIT("b")}, {STR_INIT("B"), STR_INIT("b")}, {STR_INIT("C"), STR_INIT("xyz\n")}},
         .count = 3, .status = CORS_E_BAD_HEADER_VALUE, .index = 2, .offset = 3},
        {.label = "the first bad header decides", .status_code = 200,
         .headers = {{STR_INIT("A"), STR_INIT("x\ny")}, {STR_INIT("B C"), STR_INIT("v")}}, .count = 2,
         .status = CORS_E_BAD_HEADER_VALUE, .index = 0, .offset = 1},
        {.label = "NULL name with a length", .status_code = 200,
         .headers = {{STR_INIT("A"), STR_INIT("b")}, {{NULL, 3}, STR_INIT("v")}}, .count = 2,
         .status = CORS_E_ARGUMENT, .index = 1, .offset = 0},
        {.label = "NULL value with a length", .status_code = 200, .headers = {{STR_INIT("A"), {NULL, 1}}},
         .count = 1, .status = CORS_E_ARGUMENT, .index = 0, .offset = 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const from_err_row *c = &rows[i];
        cors_response out;
        cors_error err;
        int32_t st;
        poisoned_response(&out);
        memset(&err, 0xab, sizeof(err));
        st = cors_response_from_headers(c->status_code, c->headers, c->count, &out, &err);
        if (st != c->status || err.status != c->status || err.index != c->index || err.offset != c->offset ||
            err.line != 0)
            fail_msg("%s: got %s index %zu offset %zu line %d, want %s index %zu offset %zu", c->label,
                     cors_status_name(st), err.index, err.offset, (int)err.line, cors_status_name(c->status),
                     c->index, c->offset);
        assert_int_equal(out.struct_size, sizeof(cors_response));
        assert_int_equal(out.header_count, 0);
        assert_int_equal(out.status_code, 0);
        assert_int_equal(cors_response_from_headers(c->status_code, c->headers, c->count, &out, NULL), c->status);
    }
}

static void test_from_headers_arguments(void **state)
{
    cors_header h[1] = {{STR("A"), STR("b")}};
    cors_response out;
    cors_error err;
    (void)state;
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_from_headers(200, h, 1, NULL, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.index, SIZE_MAX);
    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_from_headers(200, NULL, 1, &out, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.index, SIZE_MAX);
    assert_int_equal(out.header_count, 0);
    cors_response_init(&out, sizeof(out));
    out.struct_size = sizeof(out) - 1;
    assert_int_equal(cors_response_from_headers(200, h, 1, &out, &err), CORS_E_ARGUMENT);
}

/* ------------------------------------------------------------------------ */
/* cors_headers_find                                                         */
/* ------------------------------------------------------------------------ */

static void test_headers_find(void **state)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nVary: Origin\r\nAccess-Control-Allow-Origin: *\r\n"
                             "vary: Accept\r\nVARY: x\r\nVaryx: 1\r\n\r\n";
    static const struct {
        size_t count, start;
        const char *name;
        size_t name_len;
        size_t want;
    } rows[] = {
        {.count = 5, .start = 0, .name = "vary", .name_len = 4, .want = 0},
        {.count = 5, .start = 1, .name = "vary", .name_len = 4, .want = 2},
        {.count = 5, .start = 3, .name = "Vary", .name_len = 4, .want = 3},
        {.count = 5, .start = 4, .name = "VARY", .name_len = 4, .want = SIZE_MAX},
        {.count = 5, .start = 0, .name = "access-control-allow-origin", .name_len = 27, .want = 1},
        {.count = 5, .start = 0, .name = "varyx", .name_len = 5, .want = 4},
        /* a prefix is not a match; name_len bounds the name */
        {.count = 5, .start = 0, .name = "var", .name_len = 3, .want = SIZE_MAX},
        {.count = 5, .start = 0, .name = "varyxyz", .name_len = 5, .want = 4},
        {.count = 5, .start = 0, .name = "Location", .name_len = 8, .want = SIZE_MAX},
        {.count = 5, .start = 0, .name = "", .name_len = 0, .want = SIZE_MAX},
        /* count bounds the search */
        {.count = 4, .start = 0, .name = "varyx", .name_len = 5, .want = SIZE_MAX},
        {.count = 5, .start = 5, .name = "vary", .name_len = 4, .want = SIZE_MAX},
        {.count = 5, .start = 99, .name = "vary", .name_len = 4, .want = SIZE_MAX},
        {.count = 5, .start = SIZE_MAX, .name = "vary", .name_len = 4, .want = SIZE_MAX},
        {.count = 0, .start = 0, .name = "vary", .name_len = 4, .want = SIZE_MAX},
    };
    cors_header headers[8];
    cors_response out;
    (void)state;
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, 0, headers, 8, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 5);
    for (size_t i = 0; i < COUNT(rows); i++)
        if (cors_headers_find(headers, rows[i].count, rows[i].start, rows[i].name, rows[i].name_len) != rows[i].want)
            fail_msg("row %zu: '%.*s' from %zu in %zu", i, (int)rows[i].name_len, rows[i].name, rows[i].start,
                     rows[i].count);
    assert_int_equal(cors_headers_find(NULL, 0, 0, "vary", 4), SIZE_MAX);
    assert_int_equal(cors_headers_find(NULL, 5, 0, "vary", 4), SIZE_MAX);
    assert_int_equal(cors_headers_find(headers, 5, 0, NULL, 0), SIZE_MAX);
    assert_int_equal(cors_headers_find(headers, 5, 0, NULL, 4), SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_flag_selects_reading),
        cmocka_unit_test(test_parse_flags),
        cmocka_unit_test(test_parse_arguments),
        cmocka_unit_test(test_response_init),
        cmocka_unit_test(test_from_headers_valid),
        cmocka_unit_test(test_from_headers_errors),
        cmocka_unit_test(test_from_headers_arguments),
        cmocka_unit_test(test_headers_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
