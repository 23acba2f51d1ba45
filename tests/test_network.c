/* SPDX-License-Identifier: MIT */
/*
 * test_network.c - lib/network.c: the network stack's verdict on a head
 * before any CORS rule, through cors_evaluate. Every network error kind
 * (InvalidHttpResponse .. ContentDecodingFailed) has a row, at the preflight
 * and at the response, with its finding (code, severity, stage, hop); an
 * HTTP/0.9 answer fails a PUT only; every repair of Chromium's reading gives
 * one warning per kind, naming the first line it happened on; a network
 * error comes before the CORS check. The readings themselves are
 * test_head_chromium.c and test_netcheck.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define ORIGIN "https://app.example"
#define IN(lit) .input = lit, .len = sizeof(lit) - 1
#define PREFLIGHT_OK "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n"

typedef struct net_row {
    const char *label;
    const char *method;      /* NULL: GET */
    bool on_preflight;       /* the input is the preflight (method PUT) */
    const char *input;
    size_t len;
    int32_t kind;
    int32_t finding;
} net_row;

static const net_row rows[] = {
    {.label = "a NUL", IN("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX: a\0b\r\n\r\n"),
     .kind = CORS_KIND_INVALID_HTTP_RESPONSE, .finding = CORS_FINDING_HEAD_INVALID},
    {.label = "no status line after an interim head", IN("HTTP/1.1 100 Continue\r\n\r\n<html></html>"),
     .kind = CORS_KIND_INVALID_HTTP_RESPONSE, .finding = CORS_FINDING_HEAD_INVALID},
    {.label = "two Content-Lengths",
     IN("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS, .finding = CORS_FINDING_CONTENT_LENGTH_MULTIPLE},
    {.label = "two Content-Dispositions",
     IN("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Disposition: a\r\nContent-Disposition: b\r\n\r\n"),
     .kind = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS, .finding = CORS_FINDING_CONTENT_DISPOSITION_MULTIPLE},
    {.label = "cut short", IN("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"),
     .kind = CORS_KIND_RESPONSE_HEADERS_TRUNCATED, .finding = CORS_FINDING_HEAD_TRUNCATED},
    {.label = "empty", IN(""), .kind = CORS_KIND_EMPTY_RESPONSE, .finding = CORS_FINDING_HEAD_EMPTY},
    {.label = "a 199 preflight is interim: nothing follows", .method = "PUT", .on_preflight = true,
     IN("HTTP/1.1 199 Odd\r\nAccess-Control-Allow-Origin: *\r\n\r\n"), .kind = CORS_KIND_EMPTY_RESPONSE,
     .finding = CORS_FINDING_HEAD_EMPTY},
    {.label = "HTTP/0.9 to a PUT", .method = "PUT", IN("<html>hello</html>"), .kind = CORS_KIND_METHOD_NOT_SUPPORTED,
     .finding = CORS_FINDING_HTTP09_METHOD},
    {.label = "a malformed Content-Encoding",
     IN("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Encoding: gzip;q=1\r\n\r\n"),
     .kind = CORS_KIND_CONTENT_DECODING_FAILED, .finding = CORS_FINDING_CONTENT_ENCODING_INVALID},
    {.label = "a NUL in the preflight", .method = "PUT", .on_preflight = true,
     IN("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\0\r\n\r\n"), .kind = CORS_KIND_INVALID_HTTP_RESPONSE,
     .finding = CORS_FINDING_HEAD_INVALID},
    {.label = "a preflight cut short", .method = "PUT", .on_preflight = true, IN("HTTP/1.1 204 No"),
     .kind = CORS_KIND_RESPONSE_HEADERS_TRUNCATED, .finding = CORS_FINDING_HEAD_TRUNCATED},
    /* a network error comes before the CORS check: no ACAO here */
    {.label = "before the CORS check", IN("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS, .finding = CORS_FINDING_CONTENT_LENGTH_MULTIPLE},
    /* HTTP/0.9 fails a PUT only */
    {.label = "HTTP/0.9 to a GET: no ACAO", IN("<html>hello</html>"), .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING},
};

typedef struct exchange {
    cors_header headers[16];
    cors_response head, preflight;
    cors_header pre_headers[16];
    cors_request request;
} exchange;

static void parse(const char *input, size_t len, cors_header *hs, cors_response *out)
{
    cors_response_init(out, sizeof(*out));
    assert_int_equal(cors_response_parse(input, len, 0, hs, 16, out, NULL), CORS_OK);
}

static cors_report *evaluate(exchange *x, const char *method, const char *preflight, size_t pre_len,
                             const char *response, size_t len, big_report *b)
{
    cors_request_init(&x->request, sizeof(x->request));
    x->request.origin = STR(ORIGIN);
    x->request.method = str_z(method);
    if (preflight != NULL)
        parse(preflight, pre_len, x->pre_headers, &x->preflight);
    if (response != NULL)
        parse(response, len, x->headers, &x->head);
    assert_int_equal(cors_evaluate(NULL, &x->request, preflight ? &x->preflight : NULL, response ? &x->head : NULL,
                                   big_report_lend(b), NULL),
                     CORS_OK);
    assert_true(report_spans_in_bounds(&b->report));
    return &b->report;
}

static void test_network_errors(void **state)
{
    static exchange x;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const net_row *row = &rows[i];
        const char *method = row->method ? row->method : "GET";
        bool preflighted = strcmp(method, "GET") != 0;
        const cors_report *r;
        const cors_finding *f;
        int32_t stage = row->on_preflight ? CORS_STAGE_PREFLIGHT : CORS_STAGE_RESPONSE;
        if (row->on_preflight)
            r = evaluate(&x, method, row->input, row->len, NULL, 0, &b);
        else
            r = evaluate(&x, method, preflighted ? PREFLIGHT_OK : NULL, sizeof(PREFLIGHT_OK) - 1, row->input, row->len,
                         &b);
        if (r->ok != 0 || r->kind != row->kind || r->failed_at != stage || r->needs != 0)
            fail_msg("%s: ok %d %s at %s needs %d", row->label, (int)r->ok, cors_kind_name(r->kind),
                     cors_stage_name(r->failed_at), (int)r->needs);
        f = find_finding(r, row->finding);
        if (f == NULL)
            fail_msg("%s: no %s", row->label, cors_finding_name(row->finding));
        assert_int_equal(f->severity, CORS_SEVERITY_ERROR);
        assert_int_equal(f->stage, stage);
        assert_int_equal(f->hop, 1);
        assert_true(f->message.length > 0);
        assert_int_equal(r->failed_hop, 1);
    }
}

/* Every network kind (InvalidHttpResponse .. ContentDecodingFailed) has a row. */
static void test_every_network_kind_has_a_row(void **state)
{
    (void)state;
    for (int32_t kind = CORS_KIND_INVALID_HTTP_RESPONSE; kind <= CORS_KIND_CONTENT_DECODING_FAILED; kind++) {
        int seen = kind == CORS_KIND_RESPONSE_HEADERS_TOO_BIG; /* test_too_big below */
        for (size_t i = 0; i < COUNT(rows); i++)
            seen |= rows[i].kind == kind;
        if (!seen)
            fail_msg("no row for %s", cors_kind_name(kind));
    }
}

static void test_too_big(void **state)
{
    static exchange x;
    static big_report b;
    char *buf = malloc(CORS_MAX_HEAD + 64);
    size_t n;
    const cors_report *r;
    (void)state;
    assert_non_null(buf);
    n = (size_t)snprintf(buf, 64, "HTTP/1.1 200 OK\r\nX: ");
    memset(buf + n, 'a', CORS_MAX_HEAD);
    n += CORS_MAX_HEAD;
    memcpy(buf + n, "\r\n\r\n", 4);
    r = evaluate(&x, "GET", NULL, 0, buf, n + 4, &b);
    assert_int_equal(r->kind, CORS_KIND_RESPONSE_HEADERS_TOO_BIG);
    assert_non_null(find_finding(r, CORS_FINDING_HEAD_TOO_BIG));
    free(buf);
}

/* One warning per kind of repair, naming the first line it happened on. */
static void test_repair_warnings(void **state)
{
    static const char head[] = "HTTP/1.1 200 OK\r\n"
                               "Access-Control-Allow-Origin: *\r\n"
                               "no colon\r\n"
                               "X : 1\r\n"
                               "another line without one\r\n"
                               "Y: a\r\n"
                               " b\r\n"
                               "\r\n";
    static exchange x;
    static big_report b;
    const cors_report *r;
    const cors_finding *f;
    size_t skipped = 0;
    (void)state;
    r = evaluate(&x, "GET", NULL, 0, head, sizeof(head) - 1, &b);
    assert_int_equal(r->ok, 1);
    for (size_t i = 0; i < r->finding_count; i++)
        skipped += r->findings[i].code == CORS_FINDING_HEAD_LINE_SKIPPED;
    assert_int_equal(skipped, 1);
    f = find_finding(r, CORS_FINDING_HEAD_LINE_SKIPPED);
    assert_int_equal(f->severity, CORS_SEVERITY_WARNING);
    assert_int_equal(f->stage, CORS_STAGE_RESPONSE);
    if (strncmp(r->text + f->message.offset, "Line 3:", 7) != 0)
        fail_msg("'%.*s'", (int)f->message.length, r->text + f->message.offset);
    f = find_finding(r, CORS_FINDING_HEAD_SPACE_BEFORE_COLON);
    assert_non_null(f);
    assert_int_equal(strncmp(r->text + f->message.offset, "Line 4:", 7), 0);
    f = find_finding(r, CORS_FINDING_HEAD_OBS_FOLD);
    assert_non_null(f);
    assert_int_equal(strncmp(r->text + f->message.offset, "Line 7:", 7), 0);
    /* CRLF throughout: no bare-LF warning */
    assert_null(find_finding(r, CORS_FINDING_HEAD_BARE_LF));
}

/* The repairs of a response given as an array (no raw bytes): the warning
 * says no line. */
static void test_repair_warning_without_bytes(void **state)
{
    static const cors_header hs[] = {{STR_INIT("Access-Control-Allow-Origin"), STR_INIT("*")}};
    static big_report b;
    cors_response resp;
    cors_request req;
    const cors_finding *f;
    (void)state;
    cors_response_init(&resp, sizeof(resp));
    assert_int_equal(cors_response_from_headers(200, hs, 1, &resp, NULL), CORS_OK);
    resp.repairs = CORS_REPAIR_BARE_LF | CORS_REPAIR_REPEATED_LOCATION;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, big_report_lend(&b), NULL), CORS_OK);
    assert_int_equal(b.report.ok, 1);
    f = find_finding(&b.report, CORS_FINDING_HEAD_BARE_LF);
    assert_non_null(f);
    assert_int_not_equal(strncmp(b.report.text + f->message.offset, "Line", 4), 0);
    assert_non_null(find_finding(&b.report, CORS_FINDING_HEAD_REPEATED_LOCATION));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_errors),
        cmocka_unit_test(test_every_network_kind_has_a_row),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_repair_warnings),
        cmocka_unit_test(test_repair_warning_without_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
