/*
 * test_hardening.c - regression tests for defects found by fuzzing and by
 * hostile sizes: each test fails on the code before its fix.
 *
 *  - a URL of nested filesystem: prefixes (Access-Control-Allow-Origin or a
 *    redirect Location) recursed without bound and overflowed the stack;
 *  - cors_origin_parse accepted origins longer than CORS_ORIGIN_MAX;
 *  - a report whose text filled up returned cut methods and empty, repeated
 *    readable names next to ok = 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define ORIGIN "https://app.example"

typedef struct parsed {
    cors_header headers[64];
    cors_response response;
    cors_policy policy;
} parsed;

static void parse_into(parsed *p, const char *text, size_t len)
{
    cors_error err;
    int32_t st = cors_response_parse(text, len, p->headers, COUNT(p->headers), &p->response, &err);
    if (st != CORS_OK)
        fail_msg("head does not parse: %s at %zu", cors_status_name(st), err.offset);
    assert_int_equal(cors_policy_from_response(&p->response, &p->policy), CORS_OK);
}

/* "filesystem:" repeated `depth` times, then an http URL, as one header line. */
static char *nested_filesystem_line(const char *name, size_t depth)
{
    static const char tail[] = "https://a.example/temporary/x";
    size_t n = strlen(name) + 2 + depth * 11 + sizeof(tail) + 4;
    char *line = malloc(n), *p = line;
    assert_non_null(line);
    p += sprintf(p, "%s: ", name);
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "filesystem:");
    sprintf(p, "%s\r\n", tail);
    return line;
}

typedef struct nested_job {
    const char *name;     /* the header holding the nested URL */
    int32_t status_out;
    cors_report report;
} nested_job;

static void *evaluate_nested(void *arg)
{
    nested_job *job = arg;
    static parsed p; /* one job at a time */
    /* 2.2 MB: past CORS_MAX_LINE, so given as a name/value array */
    char *line = nested_filesystem_line(job->name, 200000);
    size_t name_len = strlen(job->name);
    int is_location = strcmp(job->name, "Location") == 0;
    cors_request req;

    memset(&p, 0, sizeof(p));
    p.headers[0].name = str_z(job->name);
    p.headers[0].value.ptr = line + name_len + 2;
    p.headers[0].value.len = strlen(line) - name_len - 4;
    p.headers[1].name = STR("Access-Control-Allow-Origin");
    p.headers[1].value = STR(ORIGIN);
    assert_int_equal(cors_response_from_headers(is_location ? 302 : 200, p.headers, is_location ? 2 : 1,
                                                &p.response, NULL),
                     CORS_OK);
    assert_int_equal(cors_policy_from_response(&p.response, &p.policy), CORS_OK);
    cors_request_init(&req);
    req.origin = STR(ORIGIN);
    cors_report_init(&job->report);
    job->status_out = cors_evaluate(NULL, &req, NULL, &p.policy, &job->report, NULL);
    free(line);
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
    assert_int_equal(acao.status_out, CORS_OK);
    assert_int_equal(acao.report.ok, 0);
    assert_int_equal(acao.report.error, CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE);

    /* nor a URL a redirect may go to */
    run_on_small_stack(&location);
    assert_int_equal(location.status_out, CORS_OK);
    assert_int_equal(location.report.ok, 0);
    assert_int_equal(location.report.error, CORS_KIND_INVALID_REDIRECT);
}

static void test_origin_longer_than_the_limit_is_refused(void **state)
{
    char text[CORS_ORIGIN_MAX + 2];
    cors_origin o;
    cors_error err;
    size_t prefix = strlen("https://");
    (void)state;

    memcpy(text, "https://", prefix);
    /* exactly CORS_ORIGIN_MAX bytes: accepted */
    memset(text + prefix, 'a', CORS_ORIGIN_MAX - prefix);
    assert_int_equal(cors_origin_parse(text, CORS_ORIGIN_MAX, &o, &err), CORS_OK);
    assert_int_equal(o.host.len, CORS_ORIGIN_MAX - prefix);
    /* one byte more: refused at the first byte past the limit */
    text[CORS_ORIGIN_MAX] = 'a';
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_origin_parse(text, CORS_ORIGIN_MAX + 1, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.status, CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, CORS_ORIGIN_MAX);

    /* and so is such a request origin */
    {
        cors_request req;
        static cors_report r;
        cors_request_init(&req);
        req.origin.ptr = text;
        req.origin.len = CORS_ORIGIN_MAX + 1;
        cors_report_init(&r);
        assert_int_equal(cors_evaluate(NULL, &req, NULL, NULL, &r, &err), CORS_E_BAD_ORIGIN);
        assert_int_equal(err.offset, CORS_ORIGIN_MAX);
    }
}

/* A method that fills the report's text: the answer is whole or refused, never cut. */
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
    static parsed pre, resp;
    static cors_report r;
    size_t sizes[] = {CORS_REPORT_TEXT - 40, CORS_REPORT_TEXT - 20, CORS_REPORT_TEXT - 3, CORS_REPORT_TEXT,
                      16390};
    (void)state;

    parse_into(&resp, response, sizeof(response) - 1);
    for (size_t k = 0; k < COUNT(sizes); k++) {
        size_t n = sizes[k];
        char *method = malloc(n + 1), *pre_text = malloc(n + sizeof(preflight_fmt));
        cors_request req;
        int32_t st;
        assert_non_null(method);
        assert_non_null(pre_text);
        memset(method, 'M', n);
        method[n] = '\0';
        sprintf(pre_text, preflight_fmt, method);
        parse_into(&pre, pre_text, strlen(pre_text));
        cors_request_init(&req);
        req.origin = STR(ORIGIN);
        req.method.ptr = method;
        req.method.len = n;
        cors_report_init(&r);
        st = cors_evaluate(NULL, &req, &pre.policy, &resp.policy, &r, NULL);
        assert_true(report_spans_in_bounds(&r));
        if (st == CORS_OK) {
            /* complete: the method and Access-Control-Request-Method whole */
            assert_int_equal(r.ok, 1);
            assert_int_equal(r.method.length, n);
            assert_int_equal(r.acr_method.length, n);
            assert_memory_equal(r.text + r.method.offset, method, n);
            /* readable names whole, lowercase, sorted, unique; left-out ones counted */
            for (uint32_t i = 0; i < r.readable_count; i++) {
                assert_true(r.readable[i].length > 0);
                if (i > 0) {
                    cors_span a = r.readable[i - 1], b = r.readable[i];
                    size_t m = a.length < b.length ? a.length : b.length;
                    int c = memcmp(r.text + a.offset, r.text + b.offset, m);
                    assert_true(c < 0 || (c == 0 && a.length < b.length));
                }
            }
            assert_int_equal(r.readable_count + r.readable_dropped, 3);
            if (r.readable_count == 3) {
                assert_span(&r, r.readable[0], "cache-control");
                assert_span(&r, r.readable[1], "content-length");
                assert_span(&r, r.readable[2], "content-type");
            }
        } else {
            assert_int_equal(st, CORS_E_REPORT_FULL);
        }
        free(method);
        free(pre_text);
    }
    /* the 16,390-byte method of the audit does not fit at all */
    {
        cors_request req;
        char *method = malloc(16390);
        assert_non_null(method);
        memset(method, 'M', 16390);
        cors_request_init(&req);
        req.origin = STR(ORIGIN);
        req.method.ptr = method;
        req.method.len = 16390;
        cors_report_init(&r);
        assert_int_equal(cors_evaluate(NULL, &req, &pre.policy, &resp.policy, &r, NULL), CORS_E_REPORT_FULL);
        free(method);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_filesystem_urls_use_bounded_stack),
        cmocka_unit_test(test_origin_longer_than_the_limit_is_refused),
        cmocka_unit_test(test_full_report_never_gives_a_wrong_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
