/* SPDX-License-Identifier: MIT */
/*
 * test_head_chromium.c - lib/head_chromium.c: a head read as Chromium's
 * network stack reads it (cors_response_parse without flags). A table of
 * heads with the status, version, reason, lines, repairs (CORS_REPAIR_* bits,
 * each with the line the repair log names) and the network error Chromium
 * fails the fetch with; every repair bit and every network error the reader
 * sets has a row. Then raw and next_offset, CORS_E_TOO_MANY_HEADERS with
 * header_total, the CORS_MAX_HEAD limit, and every prefix of every input
 * against a PROT_NONE page. Which verdict each gives in the browser is the
 * corpus's (tests/corpus/head-*.case).
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

/* A string literal as pointer and length, NUL bytes included. */
#define IN(lit) .input = lit, .len = sizeof(lit) - 1

typedef struct name_value {
    const char *name;
    const char *value;
} name_value;

typedef struct repair_line {
    uint32_t bit;
    size_t line;   /* the first line the log names for it */
} repair_line;

typedef struct head_row {
    const char *label;
    const char *input;
    size_t len;
    int32_t network_error;  /* CORS_KIND_*; the rest is not checked when set, but head_offset */
    int32_t status_code;    /* 0: 200 */
    int32_t http_version;   /* 0: 11 */
    const char *reason;     /* NULL: "OK" */
    size_t header_count;
    name_value headers[4];
    uint32_t repairs;
    repair_line lines[3];   /* where the log puts some of the repairs */
    size_t head_offset;
} head_row;

#define R(x) CORS_REPAIR_##x

static const head_row rows[] = {
    {.label = "plain", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n"), .header_count = 1, .headers = {{"A", "1"}}},
    {.label = "LF only", IN("HTTP/1.1 200 OK\nA: 1\n\n"), .header_count = 1, .headers = {{"A", "1"}},
     .repairs = R(BARE_LF), .lines = {{R(BARE_LF), 1}}},
    {.label = "HTTP/1.0", IN("HTTP/1.0 204 No Content\r\n\r\n"), .status_code = 204, .http_version = 10,
     .reason = "No Content"},
    {.label = "HTTP/2 as curl prints it", IN("HTTP/2 204\r\nA: 1\r\n\r\n"), .status_code = 204, .http_version = 20,
     .reason = "", .header_count = 1, .headers = {{"A", "1"}}},
    {.label = "HTTP/3 as curl prints it", IN("HTTP/3 200\r\n\r\n"), .http_version = 30, .reason = ""},
    {.label = "no reason", IN("HTTP/1.1 204\r\nA: 1\r\n\r\n"), .status_code = 204, .reason = "",
     .header_count = 1, .headers = {{"A", "1"}}},
    {.label = "spaces around the reason", IN("HTTP/1.0 200   OK  \r\n\r\n"), .http_version = 10},
    {.label = "a code below 100", IN("HTTP/1.1 099 Low\r\n\r\n"), .status_code = 99, .reason = "Low",
     .repairs = R(STATUS_CODE_RANGE)},
    {.label = "a code with a letter after it", IN("HTTP/2 20x\r\n\r\n"), .status_code = 20, .http_version = 20,
     .reason = "x", .repairs = R(STATUS_CODE_MALFORMED) | R(STATUS_CODE_RANGE)},
    {.label = "value whitespace trimmed, empty value kept",
     IN("HTTP/1.1 200 OK\r\nA:  \t x y \t\r\nB:\r\nC:x\r\n\r\n"), .header_count = 3,
     .headers = {{"A", "x y"}, {"B", ""}, {"C", "x"}}},
    {.label = "a body after the head is not read", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\r\nbody: no\r\n\r\n"),
     .header_count = 1, .headers = {{"A", "1"}}},
    /* the status line */
    {.label = "slop before HTTP", IN("\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), .repairs = R(STATUS_LINE_SLOP),
     .lines = {{R(STATUS_LINE_SLOP), 1}}},
    {.label = "lowercase http", IN("http/1.1 200 OK\r\n\r\n"), .repairs = R(HTTP_VERSION)},
    {.label = "HTTP/1.2 reads as 1.1", IN("HTTP/1.2 200 OK\r\n\r\n"), .repairs = R(HTTP_VERSION)},
    {.label = "HTTP/0.9 with a status line reads as 1.0", IN("HTTP/0.9 200 OK\r\nA: 1\r\n\r\n"), .http_version = 10,
     .header_count = 1, .headers = {{"A", "1"}}, .repairs = R(HTTP_VERSION)},
    {.label = "HTTP/5.0 reads as 1.1", IN("HTTP/5.0 200 OK\r\n\r\n"), .repairs = R(HTTP_VERSION)},
    {.label = "HTTP/x.y reads as 1.0", IN("HTTP/x.y 200 OK\r\n\r\n"), .http_version = 10, .repairs = R(HTTP_VERSION)},
    {.label = "no status code: 200", IN("HTTP/1.1\r\nA: 1\r\n\r\n"), .header_count = 1, .headers = {{"A", "1"}},
     .repairs = R(STATUS_CODE_MISSING)},
    {.label = "a word instead of the code", IN("HTTP/1.1 OK\r\n\r\n"), .reason = "", .repairs = R(STATUS_CODE_MISSING)},
    {.label = "two spaces before the code", IN("HTTP/1.1  204 No Content\r\n\r\n"), .status_code = 204,
     .reason = "No Content", .repairs = R(STATUS_CODE_MALFORMED)},
    {.label = "a four-digit code", IN("HTTP/1.1 2000 OK\r\n\r\n"), .status_code = 2000,
     .repairs = R(STATUS_CODE_MALFORMED) | R(STATUS_CODE_RANGE)},
    {.label = "digits then letters", IN("HTTP/1.1 20x OK\r\n\r\n"), .status_code = 20, .reason = "x OK",
     .repairs = R(STATUS_CODE_MALFORMED) | R(STATUS_CODE_RANGE)},
    {.label = "code out of range", IN("HTTP/1.1 600 Odd\r\n\r\n"), .status_code = 600, .reason = "Odd",
     .repairs = R(STATUS_CODE_RANGE)},
    {.label = "code clamped to INT32_MAX", IN("HTTP/1.1 99999999999 X\r\n\r\n"), .status_code = INT32_MAX,
     .reason = "X", .repairs = R(STATUS_CODE_MALFORMED) | R(STATUS_CODE_RANGE)},
    {.label = "no status line: HTTP/0.9", IN("<html>hello</html>\r\n\r\n"), .http_version = 9, .repairs = R(HTTP09)},
    /* header lines */
    {.label = "a folded value", IN("HTTP/1.1 200 OK\r\nA: x\r\n  y\r\nB: 2\r\n\r\n"), .header_count = 2,
     .headers = {{"A", "x\r\n  y"}, {"B", "2"}}, .repairs = R(OBS_FOLD), .lines = {{R(OBS_FOLD), 3}}},
    {.label = "a line without a colon skipped", IN("HTTP/1.1 200 OK\r\nA: 1\r\nno colon\r\nB: 2\r\n\r\n"),
     .header_count = 2, .headers = {{"A", "1"}, {"B", "2"}}, .repairs = R(LINE_SKIPPED),
     .lines = {{R(LINE_SKIPPED), 3}}},
    {.label = "an empty name skipped", IN("HTTP/1.1 200 OK\r\n: x\r\nA: 1\r\n\r\n"), .header_count = 1,
     .headers = {{"A", "1"}}, .repairs = R(LINE_SKIPPED)},
    {.label = "a bad name skipped", IN("HTTP/1.1 200 OK\r\nA(b): 1\r\nA: 1\r\n\r\n"), .header_count = 1,
     .headers = {{"A", "1"}}, .repairs = R(LINE_SKIPPED)},
    {.label = "a first line indented: skipped, not folded", IN("HTTP/1.1 200 OK\r\n A: 1\r\nB: 2\r\n\r\n"),
     .header_count = 1, .headers = {{"B", "2"}}, .repairs = R(LINE_SKIPPED)},
    {.label = "space before the colon removed", IN("HTTP/1.1 200 OK\r\nA \t: 1\r\n\r\n"), .header_count = 1,
     .headers = {{"A", "1"}}, .repairs = R(SPACE_BEFORE_COLON), .lines = {{R(SPACE_BEFORE_COLON), 2}}},
    {.label = "a bare CR ends a line", IN("HTTP/1.1 200 OK\r\nA: 1\rB: 2\r\n\r\n"), .header_count = 2,
     .headers = {{"A", "1"}, {"B", "2"}}, .repairs = R(BARE_CR)},
    {.label = "colon in the value", IN("HTTP/1.1 200 OK\r\nLocation: https://b.example:8443/\r\n\r\n"),
     .header_count = 1, .headers = {{"Location", "https://b.example:8443/"}}},
    /* where the shortcut for the usual line ("Name: value" CRLF, no fold after it) gives way to the general path */
    {.label = "a fold after usual lines",
     IN("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nAccess-Control-Allow-Origin: https://app.\r\n\texample\r\n"
        "Vary: Origin\r\n\r\n"),
     .header_count = 3,
     .headers = {{"Server", "nginx/1.22.1"},
                 {"Access-Control-Allow-Origin", "https://app.\r\n\texample"},
                 {"Vary", "Origin"}},
     .repairs = R(OBS_FOLD), .lines = {{R(OBS_FOLD), 4}}},
    {.label = "a fold of the last line", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: x\r\n y\r\n\r\n"), .header_count = 2,
     .headers = {{"A", "1"}, {"B", "x\r\n y"}}, .repairs = R(OBS_FOLD), .lines = {{R(OBS_FOLD), 4}}},
    {.label = "a bare LF between usual lines", IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\nC: 3\r\n\r\n"), .header_count = 3,
     .headers = {{"A", "1"}, {"B", "2"}, {"C", "3"}}, .repairs = R(BARE_LF), .lines = {{R(BARE_LF), 3}}},
    {.label = "a bare CR after CRLF", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\rB: 2\r\n\r\n"), .header_count = 2,
     .headers = {{"A", "1"}, {"B", "2"}}, .repairs = R(BARE_CR), .lines = {{R(BARE_CR), 3}}},
    {.label = "a head ending CRLF LF", IN("HTTP/1.1 200 OK\r\nA: 1\r\n\n"), .header_count = 1, .headers = {{"A", "1"}},
     .repairs = R(BARE_LF), .lines = {{R(BARE_LF), 3}}},
    {.label = "names with '_' and '.', long names and values",
     IN("HTTP/1.1 200 OK\r\nX_Trace.Id: 7\r\nAccess-Control-Allow-Credentials-And-More: true\r\n"
        "Content-Security-Policy: default-src 'self'; script-src 'self' https://cdn.example\r\n\r\n"),
     .header_count = 3,
     .headers = {{"X_Trace.Id", "7"}, {"Access-Control-Allow-Credentials-And-More", "true"},
                 {"Content-Security-Policy", "default-src 'self'; script-src 'self' https://cdn.example"}}},
    {.label = "values with whitespace to trim", IN("HTTP/1.1 200 OK\r\nA: 1 \r\nB:\t2\r\nC:  3\r\nD: \r\n\r\n"),
     .header_count = 4, .headers = {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", ""}}},
    {.label = "a line without a colon after usual lines",
     IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nno-colon\r\nC: 3\r\n\r\n"),
     .header_count = 3, .headers = {{"A", "1"}, {"B", "2"}, {"C", "3"}}, .repairs = R(LINE_SKIPPED),
     .lines = {{R(LINE_SKIPPED), 4}}},
    /* interim heads */
    {.label = "100 Continue skipped", IN("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nA: 1\r\n\r\n"),
     .status_code = 204, .reason = "No Content", .header_count = 1, .headers = {{"A", "1"}}, .head_offset = 25},
    {.label = "103 with Link lines skipped",
     IN("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), .head_offset = 40},
    {.label = "101 skipped as interim", IN("HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
     .repairs = R(101_SKIPPED), .head_offset = 36},
    {.label = "a proxy's head before the origin's",
     IN("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), .status_code = 204,
     .reason = "No Content", .head_offset = 39},
    /* the network stack's checks of the lines */
    {.label = "the same Content-Length twice", IN("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"),
     .header_count = 2, .headers = {{"Content-Length", "0"}, {"Content-Length", "0"}}},
    {.label = "an interim head repeating a Location",
     IN("HTTP/1.1 100 Continue\r\nLocation: /a\r\nLocation: /a\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
     .repairs = R(REPEATED_LOCATION), .head_offset = 53},
    {.label = "an interim head with two Content-Lengths",
     IN("HTTP/1.1 100 Continue\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
     .network_error = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "an interim head with a bad Content-Encoding",
     IN("HTTP/1.1 100 Continue\r\nContent-Encoding: a b\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
     .network_error = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "a 103 is not checked for Content-Encoding",
     IN("HTTP/1.1 103 Early Hints\r\nContent-Encoding: a b\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), .head_offset = 51},
    /* what Chromium refuses */
    {.label = "nothing", IN(""), .network_error = CORS_KIND_EMPTY_RESPONSE},
    {.label = "a NUL in a value", IN("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n"),
     .network_error = CORS_KIND_INVALID_HTTP_RESPONSE},
    {.label = "a NUL in a long value after usual lines",
     IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 0123456789abcdef0123\0"
        "456789\r\nC: 3\r\n\r\n"),
     .network_error = CORS_KIND_INVALID_HTTP_RESPONSE},
    {.label = "the head ends after a usual line's CRLF", IN("HTTP/1.1 200 OK\r\nA: 1\r\nContent-Type: text/plain\r\n"),
     .network_error = CORS_KIND_RESPONSE_HEADERS_TRUNCATED},
    {.label = "the head ends in a name", IN("HTTP/1.1 200 OK\r\nA: 1\r\nAccess-Control-Allow-Orig"),
     .network_error = CORS_KIND_RESPONSE_HEADERS_TRUNCATED},
    {.label = "a NUL in the status line", IN("HTTP/1.1 200 O\0K\r\n\r\n"), .network_error = CORS_KIND_INVALID_HTTP_RESPONSE},
    {.label = "a NUL in the slop", IN("\0HTTP/1.1 200 OK\r\n\r\n"), .network_error = CORS_KIND_INVALID_HTTP_RESPONSE},
    {.label = "the head does not end", IN("HTTP/1.1 200 OK\r\nA: 1\r\n"),
     .network_error = CORS_KIND_RESPONSE_HEADERS_TRUNCATED},
    {.label = "a few bytes", IN("HTTP/1"), .network_error = CORS_KIND_RESPONSE_HEADERS_TRUNCATED},
    {.label = "only an interim head", IN("HTTP/1.1 100 Continue\r\n\r\n"),
     .network_error = CORS_KIND_EMPTY_RESPONSE, .head_offset = 25},
    {.label = "an interim head, then no status line",
     IN("HTTP/1.1 100 Continue\r\n\r\n<html>hello</html>"), .network_error = CORS_KIND_INVALID_HTTP_RESPONSE,
     .head_offset = 25},
};

static void check_row(const head_row *row, const char *buf)
{
    cors_header headers[8];
    cors_response out;
    cors__repair_log log;
    cors_error err;
    int32_t st;

    cors_response_init(&out, sizeof(out));
    memset((char *)&out + sizeof(size_t), 0xab, sizeof(out) - sizeof(size_t));
    memset(&err, 0xab, sizeof(err));
    st = cors_response_parse(buf, row->len, 0, headers, COUNT(headers), &out, &err);
    if (st != CORS_OK)
        fail_msg("%s: %s", row->label, cors_status_name(st));
    assert_int_equal(err.status, CORS_OK);
    if (out.network_error != row->network_error)
        fail_msg("%s: network error %s, want %s", row->label, cors_kind_name(out.network_error),
                 cors_kind_name(row->network_error));
    if (out.head_offset != row->head_offset)
        fail_msg("%s: head_offset %zu, want %zu", row->label, out.head_offset, row->head_offset);
    if (row->network_error != 0)
        return;
    if (out.status_code != (row->status_code ? row->status_code : 200) ||
        out.http_version != (row->http_version ? row->http_version : 11))
        fail_msg("%s: status %d version %d", row->label, (int)out.status_code, (int)out.http_version);
    assert_str(out.reason, row->reason ? row->reason : "OK");
    if (out.repairs != row->repairs)
        fail_msg("%s: repairs 0x%x, want 0x%x", row->label, (unsigned)out.repairs, (unsigned)row->repairs);
    if (out.header_count != row->header_count || out.header_total != row->header_count)
        fail_msg("%s: %zu lines, want %zu", row->label, out.header_count, row->header_count);
    for (size_t i = 0; i < row->header_count; i++) {
        assert_str(headers[i].name, row->headers[i].name);
        assert_str(headers[i].value, row->headers[i].value);
        assert_true(headers[i].name.ptr >= buf && headers[i].value.ptr + headers[i].value.len <= buf + row->len);
    }
    /* raw is the input up to the end of the final head; reading goes on after
     * it (an HTTP/0.9 answer has no head: all of the input is its body) */
    assert_ptr_equal(out.raw.ptr, buf);
    if (out.http_version == 9) {
        assert_int_equal(out.raw.len, 0);
        assert_int_equal(out.next_offset, row->len);
    } else {
        assert_int_equal(out.raw.len, out.head_offset + out.head_length);
        assert_int_equal(out.next_offset, out.raw.len);
    }
    /* the log names the line of each repair, the same bits (a repeated header is
     * found by netcheck over the head, and its finding names no line) */
    memset(&log, 0, sizeof(log));
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors__head_read_chromium(buf, row->len, headers, COUNT(headers), &out, &log), CORS_OK);
    for (int k = 0; k < CORS_FINDING_HEAD_REPEATED_CONTENT_LENGTH - CORS_FINDING_HEAD_STATUS_LINE_SLOP; k++)
        if (((out.repairs >> k) & 1u) != (log.count[k] > 0))
            fail_msg("%s: repair bit %d logged %zu times", row->label, k, log.count[k]);
    for (size_t i = 0; i < COUNT(row->lines) && row->lines[i].bit != 0; i++) {
        int k = 0;
        while (!((row->lines[i].bit >> k) & 1u))
            k++;
        if (log.first_line[k] != row->lines[i].line)
            fail_msg("%s: repair bit %d on line %zu, want %zu", row->label, k, log.first_line[k], row->lines[i].line);
    }
}

static void test_heads(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        /* a copy of exactly len bytes: no terminating NUL to lean on */
        char *buf = malloc(rows[i].len + 1);
        assert_non_null(buf);
        memcpy(buf, rows[i].input, rows[i].len);
        check_row(&rows[i], buf);
        free(buf);
    }
}

/* Every repair bit and every network error the reader sets has a row. */
static void test_every_repair_and_error_has_a_row(void **state)
{
    static const int32_t errors[] = {CORS_KIND_INVALID_HTTP_RESPONSE, CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS,
                                     CORS_KIND_CONTENT_DECODING_FAILED, CORS_KIND_RESPONSE_HEADERS_TRUNCATED,
                                     CORS_KIND_EMPTY_RESPONSE};
    /* the repeated-header bits of a final head are set by netcheck (test_netcheck) */
    uint32_t seen = R(REPEATED_CONTENT_LENGTH) | R(REPEATED_CONTENT_DISPOSITION);
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        seen |= rows[i].repairs;
    for (int k = 0; k < REPAIR_KINDS; k++)
        if (!((seen >> k) & 1u))
            fail_msg("no row repairs bit %d", k);
    for (size_t e = 0; e < COUNT(errors); e++) {
        int found = 0;
        for (size_t i = 0; i < COUNT(rows); i++)
            found |= rows[i].network_error == errors[e];
        if (!found)
            fail_msg("no row for %s", cors_kind_name(errors[e]));
    }
}

/* More lines than the array holds: CORS_E_TOO_MANY_HEADERS at the final
 * head's offset, header_total to call again with. */
static void test_too_many_headers(void **state)
{
    static const char in[] = "HTTP/1.1 100 Continue\r\nA: 0\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    cors_header headers[3];
    cors_response out;
    cors_error err;
    (void)state;
    for (size_t cap = 0; cap < 3; cap++) {
        cors_response_init(&out, sizeof(out));
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(cors_response_parse(in, sizeof(in) - 1, 0, cap ? headers : NULL, cap, &out, &err),
                         CORS_E_TOO_MANY_HEADERS);
        assert_int_equal(err.status, CORS_E_TOO_MANY_HEADERS);
        assert_int_equal(err.offset, 31);
        assert_int_equal(err.index, SIZE_MAX);
        assert_int_equal(out.head_offset, 31);
        assert_int_equal(out.header_total, 3);
        assert_int_equal(out.header_count, cap);
        for (size_t i = 0; i < cap; i++)
            assert_int_equal(headers[i].name.ptr[0], 'A' + (int)i);
    }
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(in, sizeof(in) - 1, 0, headers, out.header_total + 3, &out, &err), CORS_OK);
    assert_int_equal(out.header_count, 3);
    assert_str(headers[2].value, "3");
}

/* A head must end within CORS_MAX_HEAD bytes of its first byte. */
static void test_max_head(void **state)
{
    static const char status[] = "HTTP/1.1 200 OK\r\nX: ";
    size_t s = sizeof(status) - 1;
    char *buf = malloc(CORS_MAX_HEAD + 16);
    cors_header headers[2];
    cors_response out;
    (void)state;
    assert_non_null(buf);
    /* status line, one line of X: aaa... ending with CRLF CRLF at exactly CORS_MAX_HEAD */
    memcpy(buf, status, s);
    memset(buf + s, 'a', CORS_MAX_HEAD - s - 4);
    memcpy(buf + CORS_MAX_HEAD - 4, "\r\n\r\n", 4);
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(buf, CORS_MAX_HEAD, 0, headers, 2, &out, NULL), CORS_OK);
    assert_int_equal(out.network_error, 0);
    assert_int_equal(out.header_count, 1);
    assert_int_equal(out.head_length, CORS_MAX_HEAD);
    /* one byte more: the end of the head is past the limit */
    memset(buf + s, 'a', CORS_MAX_HEAD - s - 3);
    memcpy(buf + CORS_MAX_HEAD - 3, "\r\n\r\n", 4);
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(buf, CORS_MAX_HEAD + 1, 0, headers, 2, &out, NULL), CORS_OK);
    assert_int_equal(out.network_error, CORS_KIND_RESPONSE_HEADERS_TOO_BIG);
    /* a head cut short below the limit is truncated, not too big */
    cors_response_init(&out, sizeof(out));
    assert_int_equal(cors_response_parse(buf, CORS_MAX_HEAD - 10, 0, headers, 2, &out, NULL), CORS_OK);
    assert_int_equal(out.network_error, CORS_KIND_RESPONSE_HEADERS_TRUNCATED);
    free(buf);
}

/* Every prefix of every input, ending at a PROT_NONE page: never a read past
 * the end, always CORS_OK with views inside the input. */
static void test_guard_page_every_prefix(void **state)
{
    guard g;
    cors_header headers[8];
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(rows); i++) {
        for (size_t n = 0; n <= rows[i].len; n++) {
            const char *buf = guard_place(&g, rows[i].input, n);
            cors_response out;
            cors_response_init(&out, sizeof(out));
            if (cors_response_parse(buf, n, 0, headers, COUNT(headers), &out, NULL) != CORS_OK)
                fail_msg("%s: prefix %zu", rows[i].label, n);
            assert_true(out.head_offset <= n);
            assert_true(out.raw.len <= n && out.next_offset <= n);
            if (out.network_error != 0)
                continue;
            assert_true(out.head_offset + out.head_length <= n);
            for (size_t k = 0; k < out.header_count; k++) {
                assert_true(headers[k].name.ptr >= buf && headers[k].name.ptr + headers[k].name.len <= buf + n);
                assert_true(headers[k].value.ptr >= buf && headers[k].value.ptr + headers[k].value.len <= buf + n);
            }
        }
        check_row(&rows[i], guard_place(&g, rows[i].input, rows[i].len));
    }
    guard_free(&g);
}

#include "general_reading.h"

/* buf read with the shortcuts for the usual status line and header line and by the general path
 * alone (general_reading.h, which compares them), with room for capacity lines, with a log or
 * not. */
static void same_reading(const char *buf, size_t len, size_t capacity, bool logged, const char *label, size_t at)
{
    if (!general_reading_agrees(buf, len, capacity, logged))
        fail_msg("%s: %zu bytes, byte %zu changed, room for %zu: the shortcuts read it otherwise", label, len, at,
                 capacity);
}

/* Every row, every prefix of it, and each of its bytes replaced by one that ends, folds or spoils
 * a line; then lines of every name and value length across the 16-byte blocks the shortcut reads,
 * at the end of the input or before another line, each checked against what it holds. */
static void test_shortcuts_read_as_general(void **state)
{
    /* VT: a control <= 0x0D that ends no line and is no whitespace (the usual scans stop at it) */
    static const char swaps[] = {'\r', '\n', ' ', '\t', '\0', ':', '_', '(', 'a', '\x0b'};
    static const size_t rooms[] = {0, 2, 8};
    char buf[256];
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(rows); i++) {
        size_t len = rows[i].len;
        assert_true(len <= sizeof(buf));
        for (size_t n = 0; n <= len; n++)
            for (size_t r = 0; r < COUNT(rooms); r++)
                same_reading(guard_place(&g, rows[i].input, n), n, rooms[r], r != 1, rows[i].label, SIZE_MAX);
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof(swaps); k++) {
                memcpy(buf, rows[i].input, len);
                buf[at] = swaps[k];
                same_reading(guard_place(&g, buf, len), len, 8, true, rows[i].label, at);
                same_reading(guard_place(&g, buf, len), len, 2, false, rows[i].label, at);
            }
        }
    }
    for (size_t name_len = 1; name_len <= 40; name_len++) {
        for (size_t value_len = 0; value_len <= 40; value_len++) {
            for (int last = 0; last < 2; last++) {
                static const char status[] = "HTTP/1.1 200 OK\r\n";
                size_t len = sizeof(status) - 1, name_at, value_at;
                cors_header headers[4];
                cors_response out;
                const char *p;
                memcpy(buf, status, len);
                name_at = len;
                for (size_t k = 0; k < name_len; k++)
                    buf[len++] = "Ab-9"[k % 4];
                memcpy(buf + len, ": ", 2);
                len += 2;
                value_at = len;
                for (size_t k = 0; k < value_len; k++)
                    buf[len++] = "v;=/ "[k % 5] == ' ' && k + 1 == value_len ? 'x' : "v;=/ "[k % 5];
                memcpy(buf + len, last ? "\r\n\r\n" : "\r\nB: 1\r\n\r\n", last ? 4 : 10);
                len += last ? 4 : 10;
                for (size_t n = value_at - 1; n <= len; n++) /* the input ending in the value, its CRLF, the end */
                    same_reading(guard_place(&g, buf, n), n, 8, true, "lengths", SIZE_MAX);
                p = guard_place(&g, buf, len);
                cors_response_init(&out, sizeof(out));
                assert_int_equal(cors__head_read_chromium(p, len, headers, COUNT(headers), &out, NULL), CORS_OK);
                assert_int_equal(out.network_error, 0);
                assert_int_equal(out.repairs, 0);
                assert_int_equal(out.header_count, last ? 1 : 2);
                assert_ptr_equal(headers[0].name.ptr, p + name_at);
                assert_int_equal(headers[0].name.len, name_len);
                assert_ptr_equal(headers[0].value.ptr, p + value_at);
                assert_int_equal(headers[0].value.len, value_len);
                assert_int_equal(out.head_length, len);
            }
        }
    }
    guard_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heads),
        cmocka_unit_test(test_every_repair_and_error_has_a_row),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_max_head),
        cmocka_unit_test(test_guard_page_every_prefix),
        cmocka_unit_test(test_shortcuts_read_as_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
