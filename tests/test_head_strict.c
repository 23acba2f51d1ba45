/* SPDX-License-Identifier: MIT */
/*
 * test_head_strict.c - lib/head_strict.c: cors_response_parse with
 * CORS_PARSE_STRICT (RFC 9112, to lint a head) on the shapes curl prints
 * (curl -si, -sI, -D -), every parse error with its status, offset and line,
 * every prefix of every input against a PROT_NONE page, interim heads without
 * limit, CORS_E_TOO_MANY_HEADERS with header_total, CORS_MAX_LINE.
 * Chromium's reading (flags 0) is test_head_chromium.c.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

/* A string literal as pointer and length, NUL bytes included. */
#define IN(lit) .input = lit, .len = sizeof(lit) - 1

#define STRICT CORS_PARSE_STRICT

typedef struct name_value {
    const char *name;
    const char *value;
} name_value;

/* An out-parameter the library must reset: struct_size set, the rest garbage. */
static void poisoned_response(cors_response *out)
{
    cors_response_init(out, sizeof(*out));
    memset((char *)out + sizeof(out->struct_size), 0xab, sizeof(*out) - sizeof(out->struct_size));
}

/* ------------------------------------------------------------------------ */
/* Valid heads                                                               */
/* ------------------------------------------------------------------------ */

typedef struct ok_row {
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
} ok_row;

static const ok_row ok_rows[] = {
    {.label = "curl -si HTTP/1.1 CRLF",
     IN("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nVary: Origin\r\n\r\n"),
     .status_code = 204, .http_version = 11, .reason = "No Content", .header_count = 2,
     .headers = {{"Access-Control-Allow-Origin", "https://app.example"}, {"Vary", "Origin"}}},
    {.label = "HTTP/1.0 bare LF", IN("HTTP/1.0 200 OK\nA: 1\n\n"), .status_code = 200, .http_version = 10,
     .reason = "OK", .header_count = 1, .headers = {{"A", "1"}}},
    {.label = "HTTP/2 without reason", IN("HTTP/2 200\r\nvary: origin\r\n\r\n"), .status_code = 200,
     .http_version = 20, .reason = "", .header_count = 1, .headers = {{"vary", "origin"}}},
    {.label = "HTTP/2 with trailing SP as curl prints it", IN("HTTP/2 204 \r\naccess-control-allow-origin: *\r\n\r\n"),
     .status_code = 204, .http_version = 20, .reason = "", .header_count = 1,
     .headers = {{"access-control-allow-origin", "*"}}},
    {.label = "HTTP/2.0", IN("HTTP/2.0 204 \r\n\r\n"), .status_code = 204, .http_version = 20, .reason = ""},
    {.label = "HTTP/3", IN("HTTP/3 404 \nx: y\n\n"), .status_code = 404, .http_version = 30, .reason = "",
     .header_count = 1, .headers = {{"x", "y"}}},
    {.label = "HTTP/3.0", IN("HTTP/3.0 200 OK\n\n"), .status_code = 200, .http_version = 30, .reason = "OK"},
    {.label = "HTTP/1.1 without reason or SP", IN("HTTP/1.1 200\r\n\r\n"), .status_code = 200, .http_version = 11,
     .reason = ""},
    {.label = "reason with spaces kept", IN("HTTP/1.1 500 Internal Server  Error\r\n\r\n"), .status_code = 500,
     .http_version = 11, .reason = "Internal Server  Error"},
    {.label = "reason with odd bytes kept", IN("HTTP/1.1 200 \xc3\xa9\x01 :\t\r\n\r\n"), .status_code = 200,
     .http_version = 11, .reason = "\xc3\xa9\x01 :\t"},
    {.label = "status line only, no line end", IN("HTTP/1.1 204 No Content"), .status_code = 204,
     .http_version = 11, .reason = "No Content"},
    {.label = "status 999", IN("HTTP/1.1 999 Odd\r\n\r\n"), .status_code = 999, .http_version = 11, .reason = "Odd"},
    {.label = "100 Continue skipped", IN("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: b\r\n\r\n"),
     .status_code = 200, .http_version = 11, .reason = "OK", .head_offset = 25, .header_count = 1,
     .headers = {{"A", "b"}}},
    {.label = "103 Early Hints skipped, its headers not kept",
     IN("HTTP/2 103 \r\nlink: </s.css>; rel=preload\r\n\r\nHTTP/2 200 \r\naccess-control-allow-origin: *\r\n\r\n"),
     .status_code = 200, .http_version = 20, .reason = "", .head_offset = 44, .header_count = 1,
     .headers = {{"access-control-allow-origin", "*"}}},
    {.label = "proxy Connection established skipped",
     IN("HTTP/1.1 200 Connection established\r\n\r\nHTTP/2 204 \r\nvary: origin\r\n\r\n"), .status_code = 204,
     .http_version = 20, .reason = "", .head_offset = 39, .header_count = 1, .headers = {{"vary", "origin"}}},
    {.label = "proxy, 100, 103 and final, bare LF",
     IN("HTTP/1.0 200 Connection Established\nProxy-agent: x\n\nHTTP/1.1 100 Continue\n\nHTTP/1.1 103 Early "
        "Hints\nLink: <a>\n\nHTTP/1.1 201 Created\nLocation: /x\n\n"),
     .status_code = 201, .http_version = 11, .reason = "Created", .head_offset = 111, .header_count = 1,
     .headers = {{"Location", "/x"}}},
    {.label = "199 is interim too", IN("HTTP/1.1 199 Odd\r\nX: 1\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), .status_code = 200,
     .http_version = 11, .reason = "OK", .head_offset = 26},
    {.label = "Connection established in any case, any 2xx",
     IN("HTTP/1.1 201 CONNECTION established\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), .status_code = 204,
     .http_version = 11, .reason = "No Content", .head_offset = 39},
    {.label = "a 3xx Connection established is final",
     IN("HTTP/1.1 300 Connection established\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), .status_code = 300,
     .http_version = 11, .reason = "Connection established", .head_length = 39},
    {.label = "Connection established with a body is final", IN("HTTP/1.1 200 Connection established\r\n\r\nhello"),
     .status_code = 200, .http_version = 11, .reason = "Connection established", .head_length = 39},
    {.label = "a 2xx other than Connection established is final",
     IN("HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), .status_code = 200, .http_version = 11,
     .reason = "OK", .head_length = 19},
    {.label = "body after the blank line ignored, even head-shaped",
     IN("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nHTTP/1.1 404 x\r\nno colon\r\n\0\r"),
     .status_code = 200, .http_version = 11, .reason = "OK", .head_length = 45, .header_count = 1,
     .headers = {{"Content-Type", "text/plain"}}},
    {.label = "end of input ends the head (no blank line)", IN("HTTP/1.1 200 OK\r\nA: b"), .status_code = 200,
     .http_version = 11, .reason = "OK", .header_count = 1, .headers = {{"A", "b"}}},
    {.label = "end of input after a line end", IN("HTTP/1.1 200 OK\r\nA: b\r\n"), .status_code = 200,
     .http_version = 11, .reason = "OK", .header_count = 1, .headers = {{"A", "b"}}},
    {.label = "order and duplicates kept", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nA: 3\r\na: 4\r\n\r\n"),
     .status_code = 200, .http_version = 11, .reason = "OK", .header_count = 4,
     .headers = {{"A", "1"}, {"B", "2"}, {"A", "3"}, {"a", "4"}}},
    {.label = "OWS trimmed, inner whitespace kept",
     IN("HTTP/1.1 200 OK\r\nX:   \t a  b \t \r\nEmpty:\r\nBlank: \t \r\nNoSpace:v\r\n\r\n"), .status_code = 200,
     .http_version = 11, .reason = "OK", .header_count = 4,
     .headers = {{"X", "a  b"}, {"Empty", ""}, {"Blank", ""}, {"NoSpace", "v"}}},
    {.label = "names verbatim, colon in value, odd bytes kept",
     IN("HTTP/1.1 301 Moved\r\nACCESS-control-Allow-ORIGIN: *\r\nLocation: https://x.example:8443/p\r\nX: "
        "caf\xc3\xa9\x01\x7f\r\n!#$%&'*+-.^_`|~09az: ok\r\n\r\n"),
     .status_code = 301, .http_version = 11, .reason = "Moved", .header_count = 4,
     .headers = {{"ACCESS-control-Allow-ORIGIN", "*"}, {"Location", "https://x.example:8443/p"},
                 {"X", "caf\xc3\xa9\x01\x7f"}, {"!#$%&'*+-.^_`|~09az", "ok"}}},
    {.label = "mixed CRLF and LF", IN("HTTP/1.1 200 OK\nA: 1\r\nB: 2\n\r\n"), .status_code = 200,
     .http_version = 11, .reason = "OK", .header_count = 2, .headers = {{"A", "1"}, {"B", "2"}}},
};

static void check_ok_row(const ok_row *c, const char *buf, uint32_t flags)
{
    cors_header headers[8];
    cors_response out;
    cors_error err;
    int32_t st;

    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    st = cors_response_parse(buf, c->len, flags, headers, COUNT(headers), &out, &err);
    if (st != CORS_OK)
        fail_msg("%s: status %s at %zu line %d", c->label, cors_status_name(st), err.offset, (int)err.line);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.index, SIZE_MAX);
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_int_equal(out.status_code, c->status_code);
    assert_int_equal(out.http_version, c->http_version);
    assert_str(out.reason, c->reason);
    assert_ptr_equal(out.headers, headers);
    assert_int_equal(out.head_offset, c->head_offset);
    assert_int_equal(out.head_length, c->head_length ? c->head_length : c->len - c->head_offset);
    assert_int_equal(out.header_count, c->header_count);
    assert_int_equal(out.header_total, c->header_count);
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
    for (size_t i = 0; i < COUNT(ok_rows); i++)
        check_ok_row(&ok_rows[i], ok_rows[i].input, STRICT);
}

static void test_parse_leaves_buffer_unchanged(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(ok_rows); i++) {
        const ok_row *c = &ok_rows[i];
        char *buf = malloc(c->len + 1), *copy = malloc(c->len + 1);
        assert_non_null(buf);
        assert_non_null(copy);
        memcpy(buf, c->input, c->len);
        memcpy(copy, c->input, c->len);
        check_ok_row(c, buf, STRICT);
        assert_memory_equal(buf, copy, c->len);
        free(buf);
        free(copy);
    }
}
/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct err_row {
    const char *label;
    const char *input;
    size_t len;
    size_t capacity;
    int32_t status;
    size_t offset;
    int32_t line;
    size_t header_total; /* CORS_E_TOO_MANY_HEADERS: the lines the head has */
} err_row;

static const err_row err_rows[] = {
    {.label = "empty", IN(""), .capacity = 8, .status = CORS_E_EMPTY, .offset = 0, .line = 0},
    {.label = "header line first", IN("Access-Control-Allow-Origin: *\r\n\r\n"), .capacity = 8,
     .status = CORS_E_NO_STATUS_LINE, .offset = 0, .line = 1},
    {.label = "lowercase http", IN("http/1.1 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_NO_STATUS_LINE,
     .offset = 0, .line = 1},
    {.label = "blank line first", IN("\r\nHTTP/1.1 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_NO_STATUS_LINE,
     .offset = 0, .line = 1},
    {.label = "leading space", IN(" HTTP/1.1 200 OK\r\n"), .capacity = 8, .status = CORS_E_NO_STATUS_LINE,
     .offset = 0, .line = 1},
    {.label = "too short", IN("HTTP"), .capacity = 8, .status = CORS_E_NO_STATUS_LINE, .offset = 0, .line = 1},
    {.label = "HTML body", IN("<html>\n"), .capacity = 8, .status = CORS_E_NO_STATUS_LINE, .offset = 0, .line = 1},
    {.label = "no version", IN("HTTP/ 200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE, .offset = 5,
     .line = 1},
    {.label = "version 4", IN("HTTP/4 200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE, .offset = 5,
     .line = 1},
    {.label = "version 0.9", IN("HTTP/0.9 200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 5, .line = 1},
    {.label = "HTTP/1 without minor", IN("HTTP/1 200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 6, .line = 1},
    {.label = "minor not a digit", IN("HTTP/1.x 200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 7, .line = 1},
    /* libcors.h: http_version is 10, 11, 20 or 30 */
    {.label = "HTTP/1.2", IN("HTTP/1.2 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 7, .line = 1},
    {.label = "HTTP/2.1", IN("HTTP/2.1 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 7, .line = 1},
    {.label = "HTTP/3.7", IN("HTTP/3.7 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 7, .line = 1},
    {.label = "HTTP/1.", IN("HTTP/1. 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 7, .line = 1},
    {.label = "HTTP/1.11", IN("HTTP/1.11 200 OK\r\n\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 8, .line = 1},
    {.label = "nothing after version", IN("HTTP/1.1\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 8, .line = 1},
    {.label = "no SP after version", IN("HTTP/1.1200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 8, .line = 1},
    {.label = "tab after version", IN("HTTP/1.1\t200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 8, .line = 1},
    {.label = "two SP after version", IN("HTTP/1.1  200 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 9, .line = 1},
    {.label = "two-digit code", IN("HTTP/1.1 20 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 9, .line = 1},
    {.label = "code cut short", IN("HTTP/1.1 20"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE, .offset = 9,
     .line = 1},
    {.label = "four-digit code", IN("HTTP/1.1 2000 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 12, .line = 1},
    {.label = "code starting with 0", IN("HTTP/1.1 099 X\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 9, .line = 1},
    {.label = "letter in code", IN("HTTP/1.1 2x0 OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 9, .line = 1},
    {.label = "reason glued to code", IN("HTTP/1.1 200OK\r\n"), .capacity = 8, .status = CORS_E_BAD_STATUS_LINE,
     .offset = 12, .line = 1},
    /* RFC 9110 15.2: a 1xx head is interim, and the final head must follow it */
    {.label = "interim head at the very end", IN("HTTP/1.1 100 Continue\r\n\r\n"), .capacity = 8,
     .status = CORS_E_NO_STATUS_LINE, .offset = 25, .line = 3},
    {.label = "interim head followed by a body", IN("HTTP/1.1 100 Continue\r\n\r\nhello"), .capacity = 8,
     .status = CORS_E_NO_STATUS_LINE, .offset = 25, .line = 3},
    {.label = "early hints at the end, after its lines", IN("HTTP/1.1 103 Early Hints\nLink: </a.css>\n\n"),
     .capacity = 8, .status = CORS_E_NO_STATUS_LINE, .offset = 41, .line = 4},
    {.label = "bad final head after 100", IN("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2x0 OK\r\n"), .capacity = 8,
     .status = CORS_E_BAD_STATUS_LINE, .offset = 34, .line = 3},
    {.label = "no colon", IN("HTTP/1.1 200 OK\r\nA: 1\r\nNoColonHere\r\n\r\n"), .capacity = 8,
     .status = CORS_E_NO_COLON, .offset = 23, .line = 3},
    {.label = "no colon, bare LF", IN("HTTP/1.1 200 OK\nA: 1\nB 2\n\n"), .capacity = 8, .status = CORS_E_NO_COLON,
     .offset = 21, .line = 3},
    {.label = "no colon at the end of input", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB"), .capacity = 8,
     .status = CORS_E_NO_COLON, .offset = 23, .line = 3},
    {.label = "space before colon", IN("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"), .capacity = 8,
     .status = CORS_E_BAD_HEADER_NAME, .offset = 21, .line = 2},
    {.label = "tab before colon", IN("HTTP/1.1 200 OK\r\nName\t: v\r\n\r\n"), .capacity = 8,
     .status = CORS_E_BAD_HEADER_NAME, .offset = 21, .line = 2},
    {.label = "empty name", IN("HTTP/1.1 200 OK\r\nA: 1\r\n: v\r\n\r\n"), .capacity = 8,
     .status = CORS_E_BAD_HEADER_NAME, .offset = 23, .line = 3},
    {.label = "separator in name", IN("HTTP/1.1 200 OK\r\nNa(me: v\r\n\r\n"), .capacity = 8,
     .status = CORS_E_BAD_HEADER_NAME, .offset = 19, .line = 2},
    {.label = "non-ASCII in name", IN("HTTP/1.1 200 OK\r\nN\xc3\xa4me: v\r\n\r\n"), .capacity = 8,
     .status = CORS_E_BAD_HEADER_NAME, .offset = 18, .line = 2},
    {.label = "NUL in value", IN("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n"), .capacity = 8,
     .status = CORS_E_NUL_IN_HEADER, .offset = 21, .line = 2},
    {.label = "NUL in status line", IN("HTTP/1.1 200 O\0K\r\n\r\n"), .capacity = 8, .status = CORS_E_NUL_IN_HEADER,
     .offset = 14, .line = 1},
    {.label = "NUL in name", IN("HTTP/1.1 200 OK\nA: 1\nB\0: 2\n"), .capacity = 8, .status = CORS_E_NUL_IN_HEADER,
     .offset = 22, .line = 3},
    {.label = "bare CR in value", IN("HTTP/1.1 200 OK\r\nA: x\ry\r\n\r\n"), .capacity = 8, .status = CORS_E_BARE_CR,
     .offset = 21, .line = 2},
    {.label = "bare CR as line end", IN("HTTP/1.1 200 OK\rA: b\r\n\r\n"), .capacity = 8, .status = CORS_E_BARE_CR,
     .offset = 15, .line = 1},
    {.label = "CR CR LF", IN("HTTP/1.1 200 OK\r\nA: b\r\r\n\r\n"), .capacity = 8, .status = CORS_E_BARE_CR,
     .offset = 21, .line = 2},
    {.label = "CR as last byte", IN("HTTP/1.1 200 OK\r"), .capacity = 8, .status = CORS_E_BARE_CR, .offset = 15,
     .line = 1},
    {.label = "obs-fold with SP", IN("HTTP/1.1 200 OK\r\nA: 1\r\n  continued\r\n\r\n"), .capacity = 8,
     .status = CORS_E_OBS_FOLD, .offset = 23, .line = 3},
    {.label = "obs-fold with HTAB", IN("HTTP/1.1 200 OK\nA: 1\n\tcontinued\n\n"), .capacity = 8,
     .status = CORS_E_OBS_FOLD, .offset = 21, .line = 3},
    {.label = "whitespace before first header", IN("HTTP/1.1 200 OK\r\n A: 1\r\n\r\n"), .capacity = 8,
     .status = CORS_E_OBS_FOLD, .offset = 17, .line = 2},
    {.label = "one header over capacity", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), .capacity = 2,
     .status = CORS_E_TOO_MANY_HEADERS, .offset = 29, .line = 4, .header_total = 3},
    {.label = "capacity 0", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"), .capacity = 0, .status = CORS_E_TOO_MANY_HEADERS,
     .offset = 17, .line = 2, .header_total = 1},
    {.label = "capacity 1 of 5, no blank line", IN("HTTP/1.1 200 OK\nA: 1\nB: 2\nC: 3\nD: 4\nE: 5"),
     .capacity = 1, .status = CORS_E_TOO_MANY_HEADERS, .offset = 21, .line = 3, .header_total = 5},
    /* lines past the array are still checked: their error wins */
    {.label = "a bad line past capacity", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nno colon\r\n\r\n"), .capacity = 1,
     .status = CORS_E_NO_COLON, .offset = 29, .line = 4},
    {.label = "error in the 2nd line of the final head",
     IN("HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\nB\r\n"), .capacity = 8,
     .status = CORS_E_NO_COLON, .offset = 62, .line = 6},
    {.label = "error in an interim head", IN("HTTP/1.1 103 Early Hints\r\nLink <a>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
     .capacity = 8, .status = CORS_E_NO_COLON, .offset = 26, .line = 2},
};

static void check_err_row(const err_row *c, const char *buf, uint32_t flags)
{
    cors_header headers[8];
    cors_response out;
    cors_error err;
    int32_t st;

    poisoned_response(&out);
    memset(&err, 0xab, sizeof(err));
    st = cors_response_parse(buf, c->len, flags, c->capacity ? headers : NULL, c->capacity, &out, &err);
    if (st != c->status || err.status != c->status || err.offset != c->offset || err.line != c->line)
        fail_msg("%s: got %s at %zu line %d (err.status %s), want %s at %zu line %d", c->label, cors_status_name(st),
                 err.offset, (int)err.line, cors_status_name(err.status), cors_status_name(c->status), c->offset,
                 (int)c->line);
    assert_int_equal(err.index, SIZE_MAX);
    /* out was reset on entry, so it is meaningful even on error */
    assert_int_equal(out.struct_size, sizeof(cors_response));
    assert_true(c->capacity == 0 ? out.headers == NULL : out.headers == headers);
    if (c->status == CORS_E_TOO_MANY_HEADERS) {
        /* the array is full, and header_total says how large it must be */
        assert_int_equal(out.header_count, c->capacity);
        assert_int_equal(out.header_total, c->header_total);
    } else {
        assert_int_equal(out.header_count, 0);
        assert_int_equal(out.header_total, 0);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(err_rows); i++)
        check_err_row(&err_rows[i], err_rows[i].input, STRICT);
}

static void test_parse_too_many_headers_then_enough(void **state)
{
    static const char in[] = "HTTP/1.1 103 Early Hints\r\nLink: a\r\nLink: b\r\nLink: c\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
    cors_header headers[4];
    cors_response out;
    cors_error err;
    (void)state;
    /* the interim head's three lines do not count against the array */
    for (size_t cap = 0; cap < 4; cap++) {
        poisoned_response(&out);
        assert_int_equal(cors_response_parse(in, sizeof(in) - 1, STRICT, cap ? headers : NULL, cap, &out, &err),
                         CORS_E_TOO_MANY_HEADERS);
        assert_int_equal(out.header_total, 4);
        assert_int_equal(out.header_count, cap);
        assert_int_equal(out.status_code, 200);
        assert_int_equal(err.line, (int32_t)(7 + cap));
        for (size_t i = 0; i < cap; i++)
            assert_int_equal(headers[i].name.ptr[0], 'A' + (int)i);
    }
    /* a second call with header_total as the capacity completes */
    {
        size_t total = out.header_total;
        assert_true(total <= COUNT(headers));
        poisoned_response(&out);
        assert_int_equal(cors_response_parse(in, sizeof(in) - 1, STRICT, headers, total, &out, &err), CORS_OK);
    }
    assert_int_equal(out.header_count, 4);
    assert_int_equal(out.header_total, 4);
    assert_str(headers[3].value, "4");
    /* a head without header lines needs no array at all */
    assert_int_equal(cors_response_parse("HTTP/2 204\r\n\r\n", 14, STRICT, NULL, 0, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 0);
    assert_int_equal(out.header_total, 0);
}

/* 0.1 stopped at 16 heads; 0.2 skips interim heads without limit. */
static void test_parse_many_interim_heads(void **state)
{
    static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";
    static const char early[] = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\nLink: </b.js>\r\n\r\n";
    static const char final[] = "HTTP/1.1 200 OK\r\nA: b\r\nno colon\r\n\r\n";
    size_t il = sizeof(interim) - 1, el = sizeof(early) - 1, fl = sizeof(final) - 1, n = 0;
    enum { HEADS = 2000 };
    char *buf = malloc(HEADS * el + fl);
    cors_header headers[1];
    cors_response out;
    cors_error err;
    (void)state;
    assert_non_null(buf);
    for (int i = 0; i < HEADS; i++) {
        memcpy(buf + n, i % 2 ? early : interim, i % 2 ? el : il);
        n += i % 2 ? el : il;
    }
    memcpy(buf + n, final, fl);
    /* the final head's first line parses */
    poisoned_response(&out);
    assert_int_equal(cors_response_parse(buf, n + 23, STRICT, headers, 1, &out, &err), CORS_OK);
    assert_int_equal(out.status_code, 200);
    assert_int_equal(out.head_offset, n);
    assert_int_equal(out.header_count, 1);
    assert_str(headers[0].name, "A");
    /* and an error in it is found where it is: 1000 heads of 2 lines, 1000 of 4 */
    assert_int_equal(cors_response_parse(buf, n + fl, STRICT, headers, 1, &out, &err), CORS_E_NO_COLON);
    assert_int_equal(err.offset, n + 23);
    assert_int_equal(err.line, 1000 * 2 + 1000 * 4 + 3);
    free(buf);
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
    cors_response_init(&out, sizeof(out));

    /* CORS_MAX_LINE bytes, line end excluded, pass with LF and with CRLF */
    buf = long_line_head(CORS_MAX_LINE, "\n", &len);
    assert_int_equal(cors_response_parse(buf, len, STRICT, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
    free(buf);
    buf = long_line_head(CORS_MAX_LINE, "\r\n", &len);
    assert_int_equal(cors_response_parse(buf, len, STRICT, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
    free(buf);

    /* one byte more fails at the first byte past the limit */
    buf = long_line_head(CORS_MAX_LINE + 1, "\r\n", &len);
    {
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(cors_response_parse(buf, len, STRICT, headers, 2, &out, &err), CORS_E_LINE_TOO_LONG);
        assert_int_equal(err.status, CORS_E_LINE_TOO_LONG);
        assert_int_equal(err.offset, 17 + CORS_MAX_LINE);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.index, SIZE_MAX);
    }
    free(buf);

    /* a long status line */
    buf = malloc(CORS_MAX_LINE + 32);
    assert_non_null(buf);
    memcpy(buf, "HTTP/1.1 200 ", 13);
    memset(buf + 13, 'r', CORS_MAX_LINE + 10);
    assert_int_equal(cors_response_parse(buf, CORS_MAX_LINE + 23, STRICT, headers, 2, &out, &err), CORS_E_LINE_TOO_LONG);
    assert_int_equal(err.offset, CORS_MAX_LINE);
    assert_int_equal(err.line, 1);
    free(buf);
}
/* ------------------------------------------------------------------------ */
/* Guard page: every prefix, never a read past the end                       */
/* ------------------------------------------------------------------------ */

static int is_parse_status(int32_t st)
{
    return st == CORS_OK || (st >= CORS_E_EMPTY && st <= CORS_E_LINE_TOO_LONG);
}

static void parse_every_prefix(guard *g, const char *input, size_t len, size_t capacity, uint32_t flags)
{
    cors_header headers[8];
    for (size_t n = 0; n <= len; n++) {
        const char *buf = guard_place(g, input, n);
        cors_response out;
        cors_error err;
        int32_t st;
        poisoned_response(&out);
        st = cors_response_parse(buf, n, flags, capacity ? headers : NULL, capacity, &out, &err);
        if (!is_parse_status(st))
            fail_msg("prefix %zu of '%.20s': status %d", n, input, (int)st);
        assert_int_equal(err.status, st);
        assert_true(st == CORS_OK ? err.offset == 0 : err.offset <= n);
        assert_true(st == CORS_OK || st == CORS_E_EMPTY ? err.line == 0 : err.line >= 1);
        assert_int_equal(cors_response_parse(buf, n, flags, capacity ? headers : NULL, capacity, &out, NULL), st);
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
    {
        for (size_t i = 0; i < COUNT(ok_rows); i++)
            parse_every_prefix(&g, ok_rows[i].input, ok_rows[i].len, 8, STRICT);
        for (size_t i = 0; i < COUNT(err_rows); i++)
            parse_every_prefix(&g, err_rows[i].input, err_rows[i].len, err_rows[i].capacity, STRICT);
    }
    guard_free(&g);
}

static void test_parse_guard_page_full_inputs(void **state)
{
    guard g;
    size_t len;
    char *buf = long_line_head(CORS_MAX_LINE + 1, "", &len);
    cors_header headers[2];
    cors_response out;
    cors_error err;
    (void)state;
    guard_init(&g, 2 * CORS_MAX_LINE);
    /* whole inputs, valid and invalid, ending right at the fence */
    for (size_t i = 0; i < COUNT(ok_rows); i++)
        check_ok_row(&ok_rows[i], guard_place(&g, ok_rows[i].input, ok_rows[i].len), STRICT);
    for (size_t i = 0; i < COUNT(err_rows); i++)
        check_err_row(&err_rows[i], guard_place(&g, err_rows[i].input, err_rows[i].len), STRICT);
    /* a line running into the fence, at and past the limit */
    cors_response_init(&out, sizeof(out));
    len -= 2; /* no line end at all */
    assert_int_equal(cors_response_parse(guard_place(&g, buf, len), len, STRICT, headers, 2, &out, &err),
                     CORS_E_LINE_TOO_LONG);
    assert_int_equal(err.offset, 17 + CORS_MAX_LINE);
    len -= 1;
    assert_int_equal(cors_response_parse(guard_place(&g, buf, len), len, STRICT, headers, 2, &out, &err), CORS_OK);
    assert_int_equal(headers[0].value.len, CORS_MAX_LINE - 3);
    free(buf);
    guard_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid_heads),
        cmocka_unit_test(test_parse_leaves_buffer_unchanged),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_too_many_headers_then_enough),
        cmocka_unit_test(test_parse_many_interim_heads),
        cmocka_unit_test(test_parse_line_too_long),
        cmocka_unit_test(test_parse_guard_page_every_prefix),
        cmocka_unit_test(test_parse_guard_page_full_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
