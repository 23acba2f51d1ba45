/* SPDX-License-Identifier: MIT */
/*
 * test_hardening.c - regression tests for defects found by fuzzing and by
 * hostile sizes: each test failed on the code before its fix.
 *
 *  - a URL of nested filesystem: prefixes (Access-Control-Allow-Origin or a
 *    redirect Location) recursed without bound and overflowed the stack;
 *  - cors_origin_parse accepted origins longer than CORS_ORIGIN_MAX;
 *  - a report whose text filled up returned cut methods and empty, repeated
 *    readable names next to ok = 1;
 *  - the readable-headers step walked Access-Control-Expose-Headers once per
 *    response line, and the header check walked Access-Control-Allow-Headers
 *    once per request header (quadratic: 58 s for one 949 KB response).
 * Large inputs run under a watchdog: a return to quadratic time fails the
 * test by hanging far past any linear cost, not by a timing threshold.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

#define ORIGIN "https://app.example"

static cors_finding findings[64];
static cors_span *readable;
static size_t readable_cap;
static char *text;
static size_t text_cap;

static void report_prepare(cors_report *r, size_t names, size_t bytes)
{
    if (names > readable_cap) {
        free(readable);
        readable = malloc(names * sizeof(*readable));
        readable_cap = names;
    }
    if (bytes > text_cap) {
        free(text);
        text = malloc(bytes);
        text_cap = bytes;
    }
    assert_non_null(readable);
    assert_non_null(text);
    cors_report_init(r, sizeof(*r), findings, COUNT(findings), readable, names, text, bytes);
}

/* "filesystem:" repeated `depth` times, then an http URL. */
static char *nested_filesystem_url(size_t depth, size_t *len)
{
    static const char tail[] = "https://a.example/temporary/x";
    char *url = malloc(depth * 11 + sizeof(tail)), *p = url;
    assert_non_null(url);
    for (size_t i = 0; i < depth; i++) {
        memcpy(p, "filesystem:", 11);
        p += 11;
    }
    memcpy(p, tail, sizeof(tail));
    *len = depth * 11 + sizeof(tail) - 1;
    return url;
}

typedef struct nested_job {
    const char *name;     /* the header holding the nested URL */
    int32_t status;
    cors_report report;
} nested_job;

static void *evaluate_nested(void *arg)
{
    nested_job *job = arg;
    cors_header headers[2];
    cors_response resp;
    cors_request req;
    size_t len;
    char *url = nested_filesystem_url(200000, &len); /* 2.2 MB: past any line limit, so an array */
    int is_location = strcmp(job->name, "Location") == 0;

    headers[0].name = str_z(job->name);
    headers[0].value = (cors_str){url, len};
    headers[1].name = STR("Access-Control-Allow-Origin");
    headers[1].value = STR(ORIGIN);
    cors_response_init(&resp, sizeof(resp));
    assert_int_equal(cors_response_from_headers(is_location ? 302 : 200, headers, is_location ? 2 : 1, &resp, NULL),
                     CORS_OK);
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    cors_report_init(&job->report, sizeof(job->report), NULL, 0, NULL, 0, NULL, 0);
    job->status = cors_evaluate(NULL, &req, NULL, &resp, &job->report, NULL);
    free(url);
    return NULL;
}

/* Run the evaluation on a thread with musl's default 128 KiB stack. */
static void run_on_small_stack(nested_job *job)
{
    pthread_attr_t attr;
    pthread_t t;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 128 * 1024), 0);
    assert_int_equal(pthread_create(&t, &attr, evaluate_nested, job), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&attr);
}

static void test_nested_filesystem_urls_use_bounded_stack(void **state)
{
    static nested_job acao = {"Access-Control-Allow-Origin", 0, {0}};
    static nested_job location = {"Location", 0, {0}};
    (void)state;

    /* GURL does not nest filesystem: URLs, so the value is no valid origin URL */
    run_on_small_stack(&acao);
    assert_int_equal(acao.status, CORS_OK);
    assert_int_equal(acao.report.ok, 0);
    assert_int_equal(acao.report.kind, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE);
    /* nor a URL a redirect may go to */
    run_on_small_stack(&location);
    assert_int_equal(location.status, CORS_OK);
    assert_int_equal(location.report.ok, 0);
    assert_int_equal(location.report.kind, CORS_KIND_INVALID_REDIRECT);
}

static void test_origin_longer_than_the_limit_is_refused(void **state)
{
    char origin[CORS_ORIGIN_MAX + 2];
    cors_origin o;
    cors_error err;
    size_t prefix = strlen("https://");
    cors_request req;
    cors_report r;
    (void)state;

    memcpy(origin, "https://", prefix);
    /* exactly CORS_ORIGIN_MAX bytes: accepted */
    memset(origin + prefix, 'a', CORS_ORIGIN_MAX - prefix);
    assert_int_equal(cors_origin_parse(origin, CORS_ORIGIN_MAX, &o, &err), CORS_OK);
    assert_int_equal(o.host.len, CORS_ORIGIN_MAX - prefix);
    /* one byte more: refused at the first byte past the limit */
    origin[CORS_ORIGIN_MAX] = 'a';
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_origin_parse(origin, CORS_ORIGIN_MAX + 1, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.status, CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, CORS_ORIGIN_MAX);
    /* and so is such a request origin */
    cors_request_init(&req, sizeof(req));
    req.origin = (cors_str){origin, CORS_ORIGIN_MAX + 1};
    cors_report_init(&r, sizeof(r), NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, NULL, &r, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, CORS_ORIGIN_MAX);
}

/* Heads past Chromium's 256 KiB are ResponseHeadersTooBig in its reading: the
 * hostile sizes below are read strictly, to reach the rules that judge them. */
static void parse_head(const char *text_in, size_t len, cors_header *headers, size_t cap, cors_response *resp)
{
    cors_error err;
    int32_t st;
    cors_response_init(resp, sizeof(*resp));
    st = cors_response_parse(text_in, len, len > CORS_MAX_HEAD ? CORS_PARSE_STRICT : 0, headers, cap, resp, &err);
    if (st != CORS_OK)
        fail_msg("head does not parse: %s at %zu", cors_status_name(st), err.offset);
}

/* A method as long as the report's text, or longer: the answer is whole, or
 * the report says how much room it needs; it is never cut. */
static void test_full_report_never_gives_a_wrong_answer(void **state)
{
    static const char response[] = "HTTP/1.1 200 OK\r\n"
                                   "Access-Control-Allow-Origin: *\r\n"
                                   "Content-Type: text/plain\r\n"
                                   "Content-Length: 0\r\n"
                                   "Cache-Control: no-store\r\n"
                                   "\r\n";
    static const char preflight_fmt[] = "HTTP/1.1 204 No Content\r\n"
                                        "Access-Control-Allow-Origin: *\r\n"
                                        "Access-Control-Allow-Methods: %s\r\n"
                                        "\r\n";
    static const size_t sizes[] = {16384 - 40, 16384 - 3, 16384, 16390};
    cors_header pre_h[8], resp_h[8];
    cors_response pre, resp;
    cors_report r;
    (void)state;

    parse_head(response, sizeof(response) - 1, resp_h, COUNT(resp_h), &resp);
    for (size_t k = 0; k < COUNT(sizes); k++) {
        size_t n = sizes[k];
        char *method = malloc(n + 1), *pre_text = malloc(n + sizeof(preflight_fmt));
        cors_request req;
        assert_non_null(method);
        assert_non_null(pre_text);
        memset(method, 'M', n);
        method[n] = '\0';
        sprintf(pre_text, preflight_fmt, method);
        parse_head(pre_text, strlen(pre_text), pre_h, COUNT(pre_h), &pre);
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.method = (cors_str){method, n};
        /* 16 KiB of text, as 0.1 had: complete, or the report says what it needs */
        report_prepare(&r, 8, 16384);
        assert_int_equal(cors_evaluate(NULL, &req, &pre, &resp, &r, NULL), CORS_OK);
        assert_int_equal(r.ok, 1);
        assert_true(report_spans_in_bounds(&r));
        if (r.needs & CORS_NEED_ROOM) {
            assert_int_equal(r.needs, CORS_NEED_ROOM);
            assert_true(r.text_length > 16384);
            /* with that room: complete */
            report_prepare(&r, 8, r.text_length);
            assert_int_equal(cors_evaluate(NULL, &req, &pre, &resp, &r, NULL), CORS_OK);
        }
        /* the method whole, the names right */
        assert_int_equal(cors_evaluate(NULL, &req, &pre, &resp, &r, NULL), CORS_OK);
        assert_int_equal(r.needs, 0);
        assert_int_equal(r.ok, 1);
        assert_int_equal(r.method.length, n);
        assert_memory_equal(r.text + r.method.offset, method, n);
        assert_int_equal(r.acr_method.length, n);
        assert_int_equal(r.readable_count, 3);
        assert_span(&r, r.readable[0], "cache-control");
        assert_span(&r, r.readable[1], "content-length");
        assert_span(&r, r.readable[2], "content-type");
        free(method);
        free(pre_text);
    }
}

static void watchdog(int sig)
{
    (void)sig;
    static const char msg[] = "test_hardening: a hostile input took more than 30 s: quadratic again?\n";
    ssize_t w = write(2, msg, sizeof(msg) - 1);
    (void)w;
    _exit(1);
}

/* A response of `lines` header lines "X-Nnnnnnnn: v", Access-Control-Expose-Headers
 * listing them all (1,000 a line) at the top, and one more line at the bottom. */
static char *wide_response(size_t lines, size_t *len)
{
    size_t cap = 64 + lines * 40 * 2, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)sprintf(t + n, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n");
    for (size_t i = 0; i < lines; i++)
        n += (size_t)sprintf(t + n, "%sx-%08zu%s", i % 1000 ? "," : "Access-Control-Expose-Headers: ", i,
                             i % 1000 == 999 || i == lines - 1 ? "\r\n" : "");
    for (size_t i = 0; i < lines; i++)
        n += (size_t)sprintf(t + n, "X-%08zu: v\r\n", i);
    n += (size_t)sprintf(t + n, "Access-Control-Expose-Headers: x-tail\r\n\r\n");
    *len = n;
    return t;
}

static void test_readable_headers_of_a_huge_response(void **state)
{
    size_t lines = 40000, len;
    char *raw = wide_response(lines, &len); /* 1 MB */
    cors_header *h = malloc((lines + 64) * sizeof(*h));
    cors_response resp;
    cors_request req;
    cors_report r;
    (void)state;

    assert_non_null(h);
    parse_head(raw, len, h, lines + 64, &resp);
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    alarm(30);
    report_prepare(&r, 4, 1024); /* too small: says how much */
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, &r, NULL), CORS_OK);
    assert_true(r.needs & CORS_NEED_ROOM);
    report_prepare(&r, r.readable_count, r.text_length);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, &r, NULL), CORS_OK);
    alarm(0);
    assert_int_equal(r.needs, 0);
    assert_int_equal(r.ok, 1);
    assert_int_equal(r.readable_count, lines);
    assert_span(&r, r.readable[0], "x-00000000");
    assert_span(&r, r.readable[lines - 1], "x-00039999");
    free(h);
    free(raw);
}

static void test_header_check_against_a_huge_list(void **state)
{
    /* 128 request headers (more than 64: the chunked path) against a 1 MB
     * Access-Control-Allow-Headers that lists all but the last */
    size_t names = 100000, cap = names * 12 + 256, n = 0;
    char *pre_text = malloc(cap);
    static char names_buf[200][16];
    cors_header req_h[200], pre_h[16];
    cors_response pre;
    cors_request req;
    cors_report r;
    (void)state;

    assert_non_null(pre_text);
    n += (size_t)sprintf(pre_text, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n");
    for (size_t i = 0; i < names; i++)
        n += (size_t)sprintf(pre_text + n, "%sh%06zu%s", i % 10000 ? ", " : "Access-Control-Allow-Headers: ",
                             i * 500, i % 10000 == 9999 ? "\r\n" : "");
    n += (size_t)sprintf(pre_text + n, "\r\n");
    parse_head(pre_text, n, pre_h, COUNT(pre_h), &pre);
    for (size_t i = 0; i < 200; i++) {
        sprintf(names_buf[i], "H%06zu", i == 199 ? (size_t)1 : i * 500);
        req_h[i].name = str_z(names_buf[i]);
        req_h[i].value = STR("1");
    }
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    req.headers = req_h;
    req.header_count = 200;
    alarm(30);
    report_prepare(&r, 8, 1 << 23);
    assert_int_equal(cors_evaluate(NULL, &req, &pre, NULL, &r, NULL), CORS_OK);
    alarm(0);
    assert_int_equal(r.ok, 0);
    assert_int_equal(r.kind, CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE);
    assert_int_equal(r.needs, 0);
    /* the first name missing, in sorted order, is the one named */
    assert_non_null(find_finding(&r, CORS_FINDING_HEADER_NOT_ALLOWED));
    free(pre_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_filesystem_urls_use_bounded_stack),
        cmocka_unit_test(test_origin_longer_than_the_limit_is_refused),
        cmocka_unit_test(test_full_report_never_gives_a_wrong_answer),
        cmocka_unit_test(test_readable_headers_of_a_huge_response),
        cmocka_unit_test(test_header_check_against_a_huge_list),
    };
    signal(SIGALRM, watchdog);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
