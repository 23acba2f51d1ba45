/*
 * test_headers.c - lib/headers.c: cors_response_parse on the shapes curl prints
 * (curl -si, -sI, -D -), every parse error with its status, offset and line,
 * truncation at every byte against a PROT_NONE page, cors_response_from_headers
 * and cors_headers_find.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

/* A string literal as pointer and length, NUL bytes included. */
#define IN(lit) lit, sizeof(lit) - 1

typedef struct name_value {
    const char *name;
    const char *value;
} name_value;

/* ------------------------------------------------------------------------ */
/* Valid heads                                                               */
/* ------------------------------------------------------------------------ */

typedef struct ok_case {
    const char *label;
    const char *input;
    size_t len;
    int32_t status_code;
    int32_t http_version;
    const char *reason;
    size_t head_offset;
    size_t head_length; /* 0 means: through the end of the input */
    size_t header_count;
    name_value headers[5];
} ok_case;

static const ok_case ok_cases[] = {
    {"curl -si HTTP/1.1 CRLF",
     IN("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nVary: Origin\r\n\r\n"),
     204, 11, "No Content", 0, 0, 2,
     {{"Access-Control-Allow-Origin", "https://app.example"}, {"Vary", "Origin"}}},
    {"HTTP/1.0 bare LF", IN("HTTP/1.0 200 OK\nA: 1\n\n"), 200, 10, "OK", 0, 0, 1, {{"A", "1"}}},
    {"HTTP/2 without reason", IN("HTTP/2 200\r\nvary: origin\r\n\r\n"), 200, 20, "", 0, 0, 1, {{"vary", "origin"}}},
    {"HTTP/2 with trailing SP as curl prints it", IN("HTTP/2 204 \r\naccess-control-allow-origin: *\r\n\r\n"), 204, 20,
     "", 0, 0, 1, {{"access-control-allow-origin", "*"}}},
    {"HTTP/3", IN("HTTP/3 404 \nx: y\n\n"), 404, 30, "", 0, 0, 1, {{"x", "y"}}},
    {"HTTP/1.1 without reason or SP", IN("HTTP/1.1 200\r\n\r\n"), 200, 11, "", 0, 0, 0, {{0}}},
    {"reason with spaces kept", IN("HTTP/1.1 500 Internal Server  Error\r\n\r\n"), 500, 11, "Internal Server  Error", 0,
     0, 0, {{0}}},
    {"status line only, no line end", IN("HTTP/1.1 204 No Content"), 204, 11, "No Content", 0, 0, 0, {{0}}},
    {"100 Continue skipped", IN("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: b\r\n\r\n"), 200, 11, "OK", 25, 0, 1,
     {{"A", "b"}}},
    {"103 Early Hints skipped, its headers not kept",
     IN("HTTP/2 103 \r\nlink: </s.css>; rel=preload\r\n\r\nHTTP/2 200 \r\naccess-control-allow-origin: *\r\n\r\n"),
     200, 20, "", 44, 0, 1, {{"access-control-allow-origin", "*"}}},
    {"proxy Connection established skipped",
     IN("HTTP/1.1 200 Connection established\r\n\r\nHTTP/2 204 \r\nvary: origin\r\n\r\n"), 204, 20, "", 39, 0, 1,
     {{"vary", "origin"}}},
    {"proxy, 100, 103 and final, bare LF",
     IN("HTTP/1.0 200 Connection Established\nProxy-agent: x\n\nHTTP/1.1 100 Continue\n\nHTTP/1.1 103 Early Hints\nLink: "
        "<a>\n\nHTTP/1.1 201 Created\nLocation: /x\n\n"),
     201, 11, "Created", 111, 0, 1, {{"Location", "/x"}}},
    {"interim head at the very end is the final head", IN("HTTP/1.1 100 Continue\r\n\r\n"), 100, 11, "Continue", 0, 0, 0,
     {{0}}},
    {"Connection established with a body is final", IN("HTTP/1.1 200 Connection established\r\n\r\nhello"), 200, 11,
     "Connection established", 0, 39, 0, {{0}}},
    {"body after the blank line ignored, even head-shaped",
     IN("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nHTTP/1.1 404 x\r\nno colon\r\n\0\r"), 200, 11, "OK", 0, 45, 1,
     {{"Content-Type", "text/plain"}}},
    {"end of input ends the head (no blank line)", IN("HTTP/1.1 200 OK\r\nA: b"), 200, 11, "OK", 0, 0, 1, {{"A", "b"}}},
    {"end of input after a line end", IN("HTTP/1.1 200 OK\r\nA: b\r\n"), 200, 11, "OK", 0, 0, 1, {{"A", "b"}}},
    {"order and duplicates kept", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nA: 3\r\na: 4\r\n\r\n"), 200, 11, "OK", 0, 0, 4,
     {{"A", "1"}, {"B", "2"}, {"A", "3"}, {"a", "4"}}},
    {"OWS trimmed, inner whitespace kept",
     IN("HTTP/1.1 200 OK\r\nX:   \t a  b \t \r\nEmpty:\r\nBlank: \t \r\nNoSpace:v\r\n\r\n"), 200, 11, "OK", 0, 0, 4,
     {{"X", "a  b"}, {"Empty", ""}, {"Blank", ""}, {"NoSpace", "v"}}},
    {"names verbatim, colon in value, odd bytes kept",
     IN("HTTP/1.1 301 Moved\r\nACCESS-control-Allow-ORIGIN: *\r\nLocation: https://x.example:8443/p\r\nX: caf\xc3\xa9\x01\x7f\r\n"
        "!#$%&'*+-.^_`|~09az: ok\r\n\r\n"),
     301, 11, "Moved", 0, 0, 4,
     {{"ACCESS-control-Allow-ORIGIN", "*"}, {"Location", "https://x.example:8443/p"}, {"X", "caf\xc3\xa9\x01\x7f"},
      {"!#$%&'*+-.^_`|~09az", "ok"}}},
    {"mixed CRLF and LF", IN("HTTP/1.1 200 OK\nA: 1\r\nB: 2\n\r\n"), 200, 11, "OK", 0, 0, 2, {{"A", "1"}, {"B", "2"}}},
};

static void check_ok_case(const ok_case *c, const char *buf)
{
    cors_header headers[8];
    cors_response out;
    cors_error err = {99, 99, 99};
    int32_t st;

    memset(&out, 0xab, sizeof(out));
    st = cors_response_parse(buf, c->len, headers, COUNT(headers), &out, &err);
    if (st != CORS_OK)
        fail_msg("%s: status %s at %zu line %d", c->label, cors_status_name(st), err.offset, (int)err.line);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.status_code, c->status_code);
    assert_int_equal(out.http_version, c->http_version);
    assert_str(out.reason, c->reason);
    assert_ptr_equal(out.headers, headers);
    assert_int_equal(out.head_offset, c->head_offset);
    assert_int_equal(out.head_length, c->head_length ? c->head_length : c->len - c->head_offset);
    assert_int_equal(out.header_count, c->header_count);
    for (size_t i = 0; i < c->header_count; i++) {
        assert_str(headers[i].name, c->headers[i].name);
        assert_str(headers[i].value, c->headers[i].value);
        /* views into the caller's buffer, never copies */
        assert_true(headers[i].name.ptr >= buf && headers[i].name.ptr + headers[i].name.len <= buf + c->len);
        assert_true(headers[i].value.ptr >= buf && headers[i].value.ptr + headers[i].value.len <= buf + c->len);
    }
}

static void test_parse_valid_heads(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(ok_cases); i++)
        check_ok_case(&ok_cases[i], ok_cases[i].input);
}

static void test_parse_leaves_buffer_unchanged(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(ok_cases); i++) {
        const ok_case *c = &ok_cases[i];
        char *buf = malloc(c->len + 1), *copy = malloc(c->len + 1);
        assert_non_null(buf);
        assert_non_null(copy);
        memcpy(buf, c->input, c->len);
        memcpy(copy, c->input, c->len);
        check_ok_case(c, buf);
        assert_memory_equal(buf, copy, c->len);
        free(buf);
        free(copy);
    }
}

static void test_parse_err_optional(void **state)
{
    cors_header headers[4];
    cors_response out;
    (void)state;
    assert_int_equal(cors_response_parse(IN("HTTP/1.1 200 OK\r\nA: b\r\n\r\n"), headers, 4, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 1);
    assert_int_equal(cors_response_parse(IN("HTTP/1.1 200 OK\r\nbad line\r\n"), headers, 4, &out, NULL), CORS_E_NO_COLON);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct err_case {
    const char *label;
    const char *input;
    size_t len;
    size_t capacity;
    int32_t status;
    size_t offset;
    int32_t line;
} err_case;

static const err_case err_cases[] = {
    {"empty", IN(""), 8, CORS_E_EMPTY, 0, 0},
    {"header line first", IN("Access-Control-Allow-Origin: *\r\n\r\n"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"lowercase http", IN("http/1.1 200 OK\r\n\r\n"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"blank line first", IN("\r\nHTTP/1.1 200 OK\r\n\r\n"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"leading space", IN(" HTTP/1.1 200 OK\r\n"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"too short", IN("HTTP"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"HTML body", IN("<html>\n"), 8, CORS_E_NO_STATUS_LINE, 0, 1},
    {"no version", IN("HTTP/ 200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 5, 1},
    {"version 4", IN("HTTP/4 200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 5, 1},
    {"version 0.9", IN("HTTP/0.9 200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 5, 1},
    {"minor not a digit", IN("HTTP/1.x 200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 7, 1},
    {"nothing after version", IN("HTTP/1.1\r\n"), 8, CORS_E_BAD_STATUS_LINE, 8, 1},
    {"no SP after version", IN("HTTP/1.1200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 8, 1},
    {"two SP after version", IN("HTTP/1.1  200 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 9, 1},
    {"two-digit code", IN("HTTP/1.1 20 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 9, 1},
    {"code cut short", IN("HTTP/1.1 20"), 8, CORS_E_BAD_STATUS_LINE, 9, 1},
    {"four-digit code", IN("HTTP/1.1 2000 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 12, 1},
    {"code starting with 0", IN("HTTP/1.1 099 X\r\n"), 8, CORS_E_BAD_STATUS_LINE, 9, 1},
    {"letter in code", IN("HTTP/1.1 2x0 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 9, 1},
    {"reason glued to code", IN("HTTP/1.1 200OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 12, 1},
    {"bad final head after 100", IN("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2x0 OK\r\n"), 8, CORS_E_BAD_STATUS_LINE, 34,
     3},
    {"no colon", IN("HTTP/1.1 200 OK\r\nA: 1\r\nNoColonHere\r\n\r\n"), 8, CORS_E_NO_COLON, 23, 3},
    {"no colon, bare LF", IN("HTTP/1.1 200 OK\nA: 1\nB 2\n\n"), 8, CORS_E_NO_COLON, 21, 3},
    {"space before colon", IN("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"), 8, CORS_E_BAD_HEADER_NAME, 21, 2},
    {"tab before colon", IN("HTTP/1.1 200 OK\r\nName\t: v\r\n\r\n"), 8, CORS_E_BAD_HEADER_NAME, 21, 2},
    {"empty name", IN("HTTP/1.1 200 OK\r\nA: 1\r\n: v\r\n\r\n"), 8, CORS_E_BAD_HEADER_NAME, 23, 3},
    {"separator in name", IN("HTTP/1.1 200 OK\r\nNa(me: v\r\n\r\n"), 8, CORS_E_BAD_HEADER_NAME, 19, 2},
    {"non-ASCII in name", IN("HTTP/1.1 200 OK\r\nN\xc3\xa4me: v\r\n\r\n"), 8, CORS_E_BAD_HEADER_NAME, 18, 2},
    {"NUL in value", IN("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n"), 8, CORS_E_NUL_IN_HEADER, 21, 2},
    {"NUL in status line", IN("HTTP/1.1 200 O\0K\r\n\r\n"), 8, CORS_E_NUL_IN_HEADER, 14, 1},
    {"NUL in name", IN("HTTP/1.1 200 OK\nA: 1\nB\0: 2\n"), 8, CORS_E_NUL_IN_HEADER, 22, 3},
    {"bare CR in value", IN("HTTP/1.1 200 OK\r\nA: x\ry\r\n\r\n"), 8, CORS_E_BARE_CR, 21, 2},
    {"bare CR as line end", IN("HTTP/1.1 200 OK\rA: b\r\n\r\n"), 8, CORS_E_BARE_CR, 15, 1},
    {"CR CR LF", IN("HTTP/1.1 200 OK\r\nA: b\r\r\n\r\n"), 8, CORS_E_BARE_CR, 21, 2},
    {"CR as last byte", IN("HTTP/1.1 200 OK\r"), 8, CORS_E_BARE_CR, 15, 1},
    {"obs-fold with SP", IN("HTTP/1.1 200 OK\r\nA: 1\r\n  continued\r\n\r\n"), 8, CORS_E_OBS_FOLD, 23, 3},
    {"obs-fold with HTAB", IN("HTTP/1.1 200 OK\nA: 1\n\tcontinued\n\n"), 8, CORS_E_OBS_FOLD, 21, 3},
    {"whitespace before first header", IN("HTTP/1.1 200 OK\r\n A: 1\r\n\r\n"), 8, CORS_E_OBS_FOLD, 17, 2},
    {"one header over capacity", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 2, CORS_E_TOO_MANY_HEADERS, 29, 4},
    {"capacity 0", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"), 0, CORS_E_TOO_MANY_HEADERS, 17, 2},
    {"error in the 2nd line of the final head",
     IN("HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\nB\r\n"), 8, CORS_E_NO_COLON, 62, 6},
};

static void check_err_case(const err_case *c, const char *buf)
{
    cors_header headers[8];
    cors_response out;
    cors_error err = {99, 99, 99};
    int32_t st;

    memset(&out, 0xab, sizeof(out));
    st = cors_response_parse(buf, c->len, c->capacity ? headers : NULL, c->capacity, &out, &err);
    if (st != c->status || err.status != c->status || err.offset != c->offset || err.line != c->line)
        fail_msg("%s: got %s at %zu line %d (err.status %s), want %s at %zu line %d", c->label, cors_status_name(st),
                 err.offset, (int)err.line, cors_status_name(err.status), cors_status_name(c->status), c->offset,
                 (int)c->line);
    /* out was reset on entry, so it is meaningful even on error */
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_true(out.header_count <= c->capacity);
    assert_true(c->capacity == 0 || out.headers == headers);
}

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(err_cases); i++)
        check_err_case(&err_cases[i], err_cases[i].input);
}

static void test_parse_capacity_exact_fit(void **state)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    cors_header headers[3];
    cors_response out;
    cors_error err;
    (void)state;
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, headers, 3, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 3);
    assert_str(headers[2].value, "3");
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, headers, 2, &out, &err), CORS_E_TOO_MANY_HEADERS);
    assert_int_equal(err.offset, 29);
    assert_int_equal(err.line, 4);
    /* a head without header lines needs no array at all */
    assert_int_equal(cors_response_parse(IN("HTTP/2 204\r\n\r\n"), NULL, 0, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 0);
}

/* A head with one header line whose content is `n` bytes, ending in `eol`. */
static char *long_line_head(size_t n, const char *eol, size_t *len)
{
    static const char status[] = "HTTP/1.1 200 OK\r\n";
    size_t s = sizeof(status) - 1, e = strlen(eol);
    char *buf = malloc(s + n + e + 2);
    assert_non_null(buf);
    memcpy(buf, status, s);
    memcpy(buf + s, "X: ", 3);
    memset(buf + s + 3, 'a', n - 3);
    memcpy(buf + s + n, eol, e);
    memcpy(buf + s + n + e, "\r\n", 2);
    *len = s + n + e + 2;
    return buf;
}

static void test_parse_line_too_long(void **state)
{
    cors_header headers[2];
    cors_response out;
    cors_error err;
    size_t len;
    char *buf;
    (void)state;

    /* CORS_MAX_LINE bytes, line end excluded, pass */
    buf = long_line_head(CORS_MAX_LINE, "\n", &len);
    assert_int_equal(cors_response_parse(buf, len, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
    free(buf);

    /* one byte more fails at the first byte past the limit */
    buf = long_line_head(CORS_MAX_LINE + 1, "\r\n", &len);
    assert_int_equal(cors_response_parse(buf, len, headers, 2, &out, &err), CORS_E_LINE_TOO_LONG);
    assert_int_equal(err.status, CORS_E_LINE_TOO_LONG);
    assert_int_equal(err.offset, 17 + CORS_MAX_LINE);
    assert_int_equal(err.line, 2);
    free(buf);

    /* a long status line */
    buf = malloc(CORS_MAX_LINE + 32);
    assert_non_null(buf);
    memcpy(buf, "HTTP/1.1 200 ", 13);
    memset(buf + 13, 'r', CORS_MAX_LINE + 10);
    assert_int_equal(cors_response_parse(buf, CORS_MAX_LINE + 23, headers, 2, &out, &err), CORS_E_LINE_TOO_LONG);
    assert_int_equal(err.offset, CORS_MAX_LINE);
    assert_int_equal(err.line, 1);
    free(buf);
}

/* Regression (lib/headers.c next_line): a line of exactly CORS_MAX_LINE bytes
 * ending in CRLF is refused with CORS_E_LINE_TOO_LONG (offset of the CR),
 * though cors.h says the limit excludes the line end and the same line ending
 * in bare LF passes. Expected CORS_OK. */
static void test_parse_line_max_crlf(void **state)
{
    cors_header headers[2];
    cors_response out;
    cors_error err;
    size_t len;
    char *buf = long_line_head(CORS_MAX_LINE, "\r\n", &len);
    (void)state;
    assert_int_equal(cors_response_parse(buf, len, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
    free(buf);
}

static void test_parse_too_many_heads(void **state)
{
    static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";
    static const char final[] = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n";
    size_t il = sizeof(interim) - 1, fl = sizeof(final) - 1;
    char buf[17 * 64];
    cors_header headers[2];
    cors_response out;
    cors_error err;
    size_t n = 0;
    (void)state;

    /* CORS_MAX_HEADS heads in all (15 interim + the final one) pass */
    for (int i = 0; i < CORS_MAX_HEADS - 1; i++, n += il)
        memcpy(buf + n, interim, il);
    memcpy(buf + n, final, fl);
    assert_int_equal(cors_response_parse(buf, n + fl, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(out.status_code, 200);
    assert_int_equal(out.head_offset, n);
    assert_int_equal(out.header_count, 1);

    /* one interim head more fails where the 17th head starts */
    memcpy(buf + n, interim, il);
    n += il;
    memcpy(buf + n, final, fl);
    assert_int_equal(cors_response_parse(buf, n + fl, headers, 2, &out, &err), CORS_E_TOO_MANY_HEADS);
    assert_int_equal(err.status, CORS_E_TOO_MANY_HEADS);
    assert_int_equal(err.offset, n);
    assert_int_equal(err.line, 2 * CORS_MAX_HEADS + 1);
}

static void test_parse_arguments(void **state)
{
    cors_header headers[2];
    cors_response out;
    cors_error err;
    (void)state;

    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(IN("HTTP/1.1 200 OK\r\n\r\n"), headers, 2, NULL, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);

    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(NULL, 5, headers, 2, &out, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);

    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_response_parse(IN("HTTP/1.1 200 OK\r\n\r\n"), NULL, 2, &out, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);

    /* NULL with length 0 is the empty input */
    memset(&out, 0xab, sizeof(out));
    assert_int_equal(cors_response_parse(NULL, 0, headers, 2, &out, &err), CORS_E_EMPTY);
    assert_int_equal(err.status, CORS_E_EMPTY);
    assert_int_equal(err.offset, 0);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.header_count, 0);
    assert_ptr_equal(out.headers, headers);
}

/* Regression (lib/headers.c cors_response_parse): on CORS_E_ARGUMENT for a NULL
 * buffer with len > 0 (or NULL headers with capacity > 0) a non-NULL `out` is
 * left untouched, though cors.h says out-parameters are reset on entry so they
 * are meaningful even on error. Expected out.struct_size == sizeof(out) and the
 * rest cleared; actual: the caller's garbage (0xab bytes) is left. */
static void test_parse_argument_resets_out(void **state)
{
    cors_header headers[2];
    cors_response out;
    (void)state;
    memset(&out, 0xab, sizeof(out));
    assert_int_equal(cors_response_parse(NULL, 5, headers, 2, &out, NULL), CORS_E_ARGUMENT);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.header_count, 0);
}

/* Regression (lib/headers.c parse_status_line): cors.h documents http_version as
 * "10, 11, 20 or 30", but any single-digit minor is accepted: "HTTP/1.2 200 OK"
 * and "HTTP/3.7 200 OK" parse with http_version 12 and 37. Expected
 * CORS_E_BAD_STATUS_LINE at offset 7 (the minor digit); actual CORS_OK. */
static void test_parse_unknown_http_version(void **state)
{
    cors_header headers[2];
    cors_response out;
    cors_error err;
    (void)state;
    assert_int_equal(cors_response_parse(IN("HTTP/1.2 200 OK\r\n\r\n"), headers, 2, &out, &err), CORS_E_BAD_STATUS_LINE);
    assert_int_equal(err.offset, 7);
    assert_int_equal(err.line, 1);
}

/* Regression (lib/headers.c cors_response_parse): the lines of interim heads are
 * stored in the caller's array too, so an array sized for the final head
 * fails on a 103 Early Hints head with more Link lines, though cors.h says the
 * array receives the final head's lines. Input (capacity 1):
 * "HTTP/1.1 103 Early Hints\r\nLink: a\r\nLink: b\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\n\r\n".
 * Expected CORS_OK, status 200, one header; actual CORS_E_TOO_MANY_HEADERS at
 * offset 35, line 3 (the second Link line). */
static void test_parse_interim_lines_not_counted(void **state)
{
    cors_header headers[1];
    cors_response out;
    cors_error err;
    (void)state;
    assert_int_equal(cors_response_parse(IN("HTTP/1.1 103 Early Hints\r\nLink: a\r\nLink: b\r\n\r\n"
                                            "HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"),
                                         headers, 1, &out, &err),
                     CORS_OK);
    assert_int_equal(out.status_code, 200);
    assert_int_equal(out.header_count, 1);
    assert_str(headers[0].name, "A");
}

/* ------------------------------------------------------------------------ */
/* Guard page: truncation at every byte, never a read past the end           */
/* ------------------------------------------------------------------------ */

static int is_parse_status(int32_t st)
{
    return st == CORS_OK || (st >= CORS_E_EMPTY && st <= CORS_E_TOO_MANY_HEADS);
}

static void parse_every_prefix(guard *g, const char *input, size_t len, size_t capacity)
{
    cors_header headers[8];
    for (size_t n = 0; n <= len; n++) {
        const char *buf = guard_place(g, input, n);
        cors_response out;
        cors_error err;
        int32_t st = cors_response_parse(buf, n, capacity ? headers : NULL, capacity, &out, &err);

        if (!is_parse_status(st))
            fail_msg("prefix %zu of '%.20s': status %d", n, input, (int)st);
        assert_int_equal(err.status, st);
        assert_true(st == CORS_OK ? err.offset == 0 : err.offset <= n);
        assert_int_equal(cors_response_parse(buf, n, capacity ? headers : NULL, capacity, &out, NULL), st);
        if (n == 0)
            assert_int_equal(st, CORS_E_EMPTY);
        if (st != CORS_OK)
            continue;
        assert_true(out.head_offset + out.head_length <= n);
        assert_true(out.header_count <= capacity);
        assert_true(out.reason.ptr >= buf && out.reason.ptr + out.reason.len <= buf + n);
        for (size_t i = 0; i < out.header_count; i++) {
            assert_true(headers[i].name.ptr >= buf && headers[i].name.ptr + headers[i].name.len <= buf + n);
            assert_true(headers[i].value.ptr >= buf && headers[i].value.ptr + headers[i].value.len <= buf + n);
        }
    }
}

static void test_parse_guard_page_every_prefix(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(ok_cases); i++)
        parse_every_prefix(&g, ok_cases[i].input, ok_cases[i].len, 8);
    for (size_t i = 0; i < COUNT(err_cases); i++)
        parse_every_prefix(&g, err_cases[i].input, err_cases[i].len, err_cases[i].capacity);
    guard_free(&g);
}

static void test_parse_guard_page_full_inputs(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 2 * CORS_MAX_LINE);
    /* whole inputs, valid and invalid, ending right at the fence */
    for (size_t i = 0; i < COUNT(ok_cases); i++)
        check_ok_case(&ok_cases[i], guard_place(&g, ok_cases[i].input, ok_cases[i].len));
    for (size_t i = 0; i < COUNT(err_cases); i++)
        check_err_case(&err_cases[i], guard_place(&g, err_cases[i].input, err_cases[i].len));
    /* a line running into the fence, at and past the limit */
    {
        size_t len;
        char *buf = long_line_head(CORS_MAX_LINE + 1, "", &len);
        cors_header headers[2];
        cors_response out;
        cors_error err;
        len -= 2; /* no line end at all */
        assert_int_equal(cors_response_parse(guard_place(&g, buf, len), len, headers, 2, &out, &err),
                         CORS_E_LINE_TOO_LONG);
        assert_int_equal(err.offset, 17 + CORS_MAX_LINE);
        len -= 1;
        assert_int_equal(cors_response_parse(guard_place(&g, buf, len), len, headers, 2, &out, &err), CORS_OK);
        assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
        free(buf);
    }
    guard_free(&g);
}

/* ------------------------------------------------------------------------ */
/* cors_response_from_headers                                                */
/* ------------------------------------------------------------------------ */

static void test_from_headers_valid(void **state)
{
    cors_header h[3] = {{STR("Access-Control-Allow-Origin"), STR("*")},
                        {STR("X-Odd"), STR("  spaced \x01\x7f\xc3\xa9 ")},
                        {STR("Empty"), {NULL, 0}}};
    cors_response out;
    cors_error err = {99, 99, 99};
    (void)state;

    memset(&out, 0xab, sizeof(out));
    assert_int_equal(cors_response_from_headers(204, h, 3, &out, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.status_code, 204);
    assert_ptr_equal(out.headers, h); /* not copied */
    assert_int_equal(out.header_count, 3);
    assert_int_equal(out.reason.len, 0);
    /* values are used as given, not trimmed */
    assert_str(out.headers[1].value, "  spaced \x01\x7f\xc3\xa9 ");

    assert_int_equal(cors_response_from_headers(100, h, 3, &out, &err), CORS_OK);
    assert_int_equal(cors_response_from_headers(999, h, 3, &out, &err), CORS_OK);
    assert_int_equal(cors_response_from_headers(200, NULL, 0, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 0);
}

typedef struct from_err_case {
    const char *label;
    int32_t status_code;
    cors_header headers[3];
    size_t count;
    int32_t status;
    size_t offset;
} from_err_case;

static void test_from_headers_errors(void **state)
{
    static const char nul_value[] = "a\0b";
    const from_err_case cases[] = {
        {"status 99", 99, {{STR("A"), STR("b")}}, 1, CORS_E_BAD_STATUS_LINE, 0},
        {"status 1000", 1000, {{STR("A"), STR("b")}}, 1, CORS_E_BAD_STATUS_LINE, 0},
        {"negative status", -200, {{STR("A"), STR("b")}}, 1, CORS_E_BAD_STATUS_LINE, 0},
        {"space in name", 200, {{STR("A"), STR("b")}, {STR("A"), STR("b")}, {STR("X Bad"), STR("v")}}, 3,
         CORS_E_BAD_HEADER_NAME, 2},
        {"colon in name", 200, {{STR("A:"), STR("b")}}, 1, CORS_E_BAD_HEADER_NAME, 0},
        {"empty name", 200, {{STR("A"), STR("b")}, {{NULL, 0}, STR("v")}}, 2, CORS_E_BAD_HEADER_NAME, 1},
        {"NUL in value", 200, {{STR("A"), {nul_value, 3}}}, 1, CORS_E_NUL_IN_HEADER, 0},
        {"CR in value", 200, {{STR("A"), STR("b")}, {STR("B"), STR("x\ry")}}, 2, CORS_E_BAD_HEADER_VALUE, 1},
        {"LF in value", 200, {{STR("A"), STR("b")}, {STR("B"), STR("b")}, {STR("C"), STR("x\n")}}, 3,
         CORS_E_BAD_HEADER_VALUE, 2},
        {"NULL name with a length", 200, {{STR("A"), STR("b")}, {{NULL, 3}, STR("v")}}, 2, CORS_E_ARGUMENT, 1},
        {"NULL value with a length", 200, {{STR("A"), {NULL, 1}}}, 1, CORS_E_ARGUMENT, 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        const from_err_case *c = &cases[i];
        cors_response out;
        cors_error err = {99, 99, 99};
        int32_t st;
        memset(&out, 0xab, sizeof(out));
        st = cors_response_from_headers(c->status_code, c->headers, c->count, &out, &err);
        if (st != c->status || err.status != c->status || err.offset != c->offset || err.line != 0)
            fail_msg("%s: got %s at %zu line %d, want %s at %zu", c->label, cors_status_name(st), err.offset,
                     (int)err.line, cors_status_name(c->status), c->offset);
        assert_int_equal(out.struct_size, sizeof(cors_response));
        assert_int_equal(out.header_count, 0);
        assert_int_equal(cors_response_from_headers(c->status_code, c->headers, c->count, &out, NULL), c->status);
    }
}

static void test_from_headers_arguments(void **state)
{
    cors_header h[1] = {{STR("A"), STR("b")}};
    cors_response out;
    cors_error err;
    (void)state;
    assert_int_equal(cors_response_from_headers(200, h, 1, NULL, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(cors_response_from_headers(200, NULL, 1, &out, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
}

/* ------------------------------------------------------------------------ */
/* cors_headers_find                                                         */
/* ------------------------------------------------------------------------ */

static void test_headers_find(void **state)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nVary: Origin\r\nAccess-Control-Allow-Origin: *\r\n"
                             "vary: Accept\r\nVARY: x\r\nVaryx: 1\r\n\r\n";
    cors_header headers[8];
    cors_response out;
    (void)state;
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, headers, 8, &out, NULL), CORS_OK);
    assert_int_equal(out.header_count, 5);

    assert_int_equal(cors_headers_find(headers, 5, 0, "vary", 4), 0);
    assert_int_equal(cors_headers_find(headers, 5, 1, "vary", 4), 2);
    assert_int_equal(cors_headers_find(headers, 5, 3, "Vary", 4), 3);
    assert_int_equal(cors_headers_find(headers, 5, 4, "VARY", 4), -1);
    assert_int_equal(cors_headers_find(headers, 5, 0, "access-control-allow-origin", 27), 1);
    assert_int_equal(cors_headers_find(headers, 5, 0, "varyx", 5), 4);
    /* a prefix is not a match; name_len bounds the name */
    assert_int_equal(cors_headers_find(headers, 5, 0, "var", 3), -1);
    assert_int_equal(cors_headers_find(headers, 5, 0, "varyxyz", 5), 4);
    assert_int_equal(cors_headers_find(headers, 5, 0, "Location", 8), -1);
    /* count bounds the search */
    assert_int_equal(cors_headers_find(headers, 4, 0, "varyx", 5), -1);
    assert_int_equal(cors_headers_find(headers, 5, 5, "vary", 4), -1);
    assert_int_equal(cors_headers_find(headers, 5, 99, "vary", 4), -1);
    assert_int_equal(cors_headers_find(NULL, 0, 0, "vary", 4), -1);
    assert_int_equal(cors_headers_find(headers, 5, 0, NULL, 0), -1);
    assert_int_equal(cors_headers_find(headers, 0, 0, "vary", 4), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid_heads),
        cmocka_unit_test(test_parse_leaves_buffer_unchanged),
        cmocka_unit_test(test_parse_err_optional),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_capacity_exact_fit),
        cmocka_unit_test(test_parse_line_too_long),
        cmocka_unit_test(test_parse_too_many_heads),
        cmocka_unit_test(test_parse_arguments),
        cmocka_unit_test(test_parse_guard_page_every_prefix),
        cmocka_unit_test(test_parse_guard_page_full_inputs),
        cmocka_unit_test(test_from_headers_valid),
        cmocka_unit_test(test_from_headers_errors),
        cmocka_unit_test(test_from_headers_arguments),
        cmocka_unit_test(test_headers_find),
        cmocka_unit_test(test_parse_line_max_crlf),
        cmocka_unit_test(test_parse_argument_resets_out),
        cmocka_unit_test(test_parse_unknown_http_version),
        cmocka_unit_test(test_parse_interim_lines_not_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
