/* SPDX-License-Identifier: MIT */
/*
 * test_threads.c - concurrent use of libcors, for ThreadSanitizer (make tsan)
 * as much as for make check: threads share one request, the raw heads of a
 * two-hop redirect chain, a policy text and one compiled policy (all
 * read-only). Each thread parses the heads into its own arrays (Chromium's
 * reading and the strict one), evaluates the chain into its own report,
 * parses the policy text, answers requests from the policy and runs
 * cors_policy_check, many times; every result must equal the one computed
 * before the threads started, byte for byte.
 *
 * POSIX threads, not C11 thrd_create: clang 14's TSan intercepts
 * pthread_create only. Allocations are counted through the sanitizers' malloc
 * hooks (ASan and TSan builds), per thread: none may happen inside libcors.
 * No malloc interposer here: under TSan it would bypass the sanitizer's
 * allocator (test_answer.c keeps its interposer, and is not built by make tsan).
 *
 * test_threads --shared-report misuses the library on purpose: two threads
 * evaluate into one report. make tsan runs it and requires ThreadSanitizer to
 * report the data race, so a TSan build that catches nothing fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define THREADS 4
#define ROUNDS 2000

/* ---- allocation counting, when a sanitizer runtime offers its hooks ---- */

int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *)) __attribute__((weak));
static _Thread_local int counting;
static _Thread_local long allocation_calls;

static void count_malloc(const volatile void *p, size_t size)
{
    (void)p;
    (void)size;
    if (counting)
        allocation_calls++;
}

static void count_free(const volatile void *p)
{
    if (counting && p != NULL)
        allocation_calls++;
}

static const char preflight_1[] = "HTTP/1.1 100 Continue\r\n\r\n"
                                  "HTTP/2 204 \r\n"
                                  "access-control-allow-origin: https://app.example\r\n"
                                  "access-control-allow-credentials: true\r\n"
                                  "access-control-allow-methods: GET, POST, PUT, DELETE\r\n"
                                  "access-control-allow-headers: content-type, authorization, x-request-id\r\n"
                                  "access-control-max-age: 86400\r\n"
                                  "vary: Origin\r\n"
                                  "\r\n";
static const char response_1[] = "HTTP/1.1 307 Temporary Redirect\r\n"
                                 "Location: /v2/items?x=1\r\n"
                                 "Access-Control-Allow-Origin: https://app.example\r\n"
                                 "Access-Control-Allow-Credentials: true\r\n"
                                 "\r\n";
static const char response_2[] = "HTTP/2 201 \r\n"
                                 "content-type: application/json; charset=utf-8\r\n"
                                 "access-control-allow-origin: https://app.example\r\n"
                                 "access-control-allow-credentials: true\r\n"
                                 "access-control-expose-headers: X-Request-Id, Location\r\n"
                                 "x-request-id: 8c1f\r\n"
                                 "location: /items/42\r\n"
                                 "set-cookie: s=1; Secure\r\n"
                                 "vary: Origin\r\n"
                                 "\r\n"
                                 "{\"id\":42}";
static const char policy_text[] = "origins: https://app.example, https://*.example.com\n"
                                  "methods: PUT, DELETE\n"
                                  "request-headers: content-type, authorization, x-request-id\n"
                                  "expose-headers: x-request-id\n"
                                  "credentials: yes\n"
                                  "max-age: 600\n";

static const cors_header request_headers[] = {
    {{"Content-Type", 12}, {"application/json", 16}},
    {{"Authorization", 13}, {"Bearer abc", 10}},
    {{"X-Request-Id", 12}, {"8c1f", 4}},
    {{"Accept-Language", 15}, {"en-GB,en;q=0.9", 14}},
};

typedef struct head {
    cors_header headers[16];
    cors_response response;
} head;

/* One thread's results: its own arrays and buffers. */
typedef struct results {
    head heads[3];
    cors_report report;
    cors_finding findings[64];
    cors_span readable[32];
    cors_hop_report hop_reports[4];
    char text[8192];
    cors_report check;
    cors_finding check_findings[64];
    cors_span check_readable[32];
    char check_text[8192];
    cors_str items[32];
    size_t item_count;
    cors_answer answer;
    cors_emitted_header emitted[CORS_ANSWER_MAX_HEADERS];
} results;

typedef struct shared {
    const cors_request *request;
    const cors_policy *policy;
    const results *expected;
} shared;

typedef struct worker {
    const shared *in;
    results *own;
    pthread_t thread;
    long mismatches;
    long allocations;
} worker;

static const char *const texts[3] = {preflight_1, response_1, response_2};
static const size_t lengths[3] = {sizeof(preflight_1) - 1, sizeof(response_1) - 1, sizeof(response_2) - 1};

/* Everything the threads do, once; returns the number of failed calls. */
static int compute(const cors_request *req, const cors_policy *policy, results *o, uint32_t parse_flags)
{
    static const cors_header preflight_request[] = {
        {{"Origin", 6}, {"https://app.example", 19}},
        {{"Access-Control-Request-Method", 29}, {"PUT", 3}},
        {{"Access-Control-Request-Headers", 30}, {"authorization,content-type,x-request-id", 39}},
    };
    cors_hop hops[2];
    cors_policy_config c;
    int failures = 0;
    for (int i = 0; i < 3; i++) {
        cors_response_init(&o->heads[i].response, sizeof(o->heads[i].response));
        failures += cors_response_parse(texts[i], lengths[i], parse_flags, o->heads[i].headers, 16,
                                        &o->heads[i].response, NULL) != CORS_OK;
    }
    hops[0] = (cors_hop){&o->heads[0].response, &o->heads[1].response};
    hops[1] = (cors_hop){&o->heads[0].response, &o->heads[2].response}; /* a new URL: preflighted again */
    cors_report_init(&o->report, sizeof(o->report), o->findings, COUNT(o->findings), o->readable,
                     COUNT(o->readable), o->text, sizeof(o->text));
    cors_report_lend_hops(&o->report, o->hop_reports, COUNT(o->hop_reports));
    failures += cors_evaluate_chain(NULL, req, hops, 2, &o->report, NULL) != CORS_OK;
    cors_policy_config_init(&c, sizeof(c));
    failures += cors_policy_parse(policy_text, sizeof(policy_text) - 1, &c, o->items, COUNT(o->items),
                                  &o->item_count, NULL) != CORS_OK;
    cors_answer_init(&o->answer, sizeof(o->answer));
    failures += cors_policy_answer(policy, "OPTIONS", 7, preflight_request, COUNT(preflight_request), &o->answer,
                                   o->emitted, COUNT(o->emitted)) != CORS_OK;
    cors_report_init(&o->check, sizeof(o->check), o->check_findings, COUNT(o->check_findings), o->check_readable,
                     COUNT(o->check_readable), o->check_text, sizeof(o->check_text));
    failures += cors_policy_check(policy, NULL, req, &o->check, NULL) != CORS_OK;
    return failures;
}

static int heads_differ(const head *a, const head *b)
{
    if (a->response.header_count != b->response.header_count || a->response.status_code != b->response.status_code)
        return 1;
    for (size_t i = 0; i < a->response.header_count; i++)
        if (a->headers[i].name.ptr != b->headers[i].name.ptr || a->headers[i].name.len != b->headers[i].name.len ||
            a->headers[i].value.ptr != b->headers[i].value.ptr || a->headers[i].value.len != b->headers[i].value.len)
            return 1;
    return 0;
}

/* The verdict, the counts and the text: equal when the two reports say the same. */
static int reports_differ(const cors_report *a, const cors_report *b)
{
    return a->ok != b->ok || a->kind != b->kind || a->failed_at != b->failed_at || a->needs != b->needs ||
           a->hops != b->hops || a->finding_count != b->finding_count || a->readable_count != b->readable_count ||
           a->text_length != b->text_length || memcmp(a->text, b->text, a->text_length) != 0 ||
           memcmp(a->findings, b->findings, a->finding_count * sizeof(*a->findings)) != 0 ||
           memcmp(a->readable, b->readable, a->readable_count * sizeof(*a->readable)) != 0;
}

static long differences(const results *a, const results *b)
{
    long n = 0;
    for (int i = 0; i < 3; i++)
        n += heads_differ(&a->heads[i], &b->heads[i]);
    n += reports_differ(&a->report, &b->report);
    n += reports_differ(&a->check, &b->check);
    n += a->report.hop_report_count != b->report.hop_report_count ||
         memcmp(a->hop_reports, b->hop_reports, a->report.hop_report_count * sizeof(*a->hop_reports)) != 0;
    n += a->item_count != b->item_count || memcmp(a->items, b->items, a->item_count * sizeof(*a->items)) != 0;
    n += memcmp(&a->answer, &b->answer, sizeof(a->answer)) != 0 ||
         memcmp(a->emitted, b->emitted, a->answer.header_count * sizeof(*a->emitted)) != 0;
    return n;
}

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < ROUNDS; i++) {
        counting = 1;
        int failures = compute(w->in->request, w->in->policy, w->own, i % 2 ? CORS_PARSE_STRICT : 0);
        counting = 0;
        w->mismatches += failures + differences(w->own, w->in->expected);
    }
    w->allocations = allocation_calls;
    return NULL;
}

static void test_threads_share_inputs(void **state)
{
    static cors_str items[32];
    cors_request req;
    cors_policy_config c;
    size_t n, needed;
    const cors_policy *policy;
    results *expected = test_malloc(sizeof(*expected)), *strict = test_malloc(sizeof(*strict));
    void *mem;
    shared in;
    worker workers[THREADS];
    (void)state;

    if (__sanitizer_install_malloc_and_free_hooks != NULL)
        __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
    cors_policy_config_init(&c, sizeof(c));
    assert_int_equal(cors_policy_parse(policy_text, sizeof(policy_text) - 1, &c, items, 32, &n, NULL), CORS_OK);
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &policy), CORS_E_BUFFER_TOO_SMALL);
    mem = aligned_alloc(8, needed);
    assert_non_null(mem);
    assert_int_equal(cors_policy_compile(&c, mem, needed, &needed, &policy), CORS_OK);

    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://app.example");
    req.url = STR("https://api.example.net/v1/items");
    req.method = STR("PUT");
    req.headers = request_headers;
    req.header_count = COUNT(request_headers);
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    assert_int_equal(compute(&req, policy, expected, 0), 0);
    assert_int_equal(compute(&req, policy, strict, CORS_PARSE_STRICT), 0);
    /* both readings of these well-formed heads are the same, so one expectation serves both */
    assert_int_equal(differences(expected, strict), 0);
    assert_true(expected->report.ok && expected->report.hops == 2 && expected->report.readable_count > 0);
    assert_true(expected->check.ok && expected->answer.allowed);

    in = (shared){&req, policy, expected};
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){&in, malloc(sizeof(results)), 0, 0, 0};
        assert_non_null(workers[i].own);
        assert_int_equal(pthread_create(&workers[i].thread, NULL, work, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(workers[i].thread, NULL), 0);
        assert_int_equal(workers[i].mismatches, 0);
        assert_int_equal(workers[i].allocations, 0);
        free(workers[i].own);
    }
    free(mem);
    test_free(expected);
    test_free(strict);
}

/* ---- the injected race: one report, two threads (a misuse libcors does not guard) ---- */

static cors_request race_request;
static cors_response race_response;
static cors_report race_report;

static void *evaluate_into_the_shared_report(void *unused)
{
    (void)unused;
    for (int i = 0; i < 200; i++)
        cors_evaluate(NULL, &race_request, NULL, &race_response, &race_report, NULL);
    return NULL;
}

static int shared_report_misuse(void)
{
    static const char race_head[] = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-A: 1\r\n\r\n";
    static cors_header lines[8];
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1024];
    pthread_t a, b;
    race_response.struct_size = sizeof(race_response);
    if (cors_response_parse(race_head, sizeof(race_head) - 1, 0, lines, COUNT(lines), &race_response, NULL) != CORS_OK)
        return 2;
    cors_request_init(&race_request, sizeof(race_request));
    race_request.origin = STR("https://app.example");
    cors_report_init(&race_report, sizeof(race_report), findings, COUNT(findings), readable, COUNT(readable), text,
                     sizeof(text));
    if (pthread_create(&a, NULL, evaluate_into_the_shared_report, NULL) != 0 ||
        pthread_create(&b, NULL, evaluate_into_the_shared_report, NULL) != 0)
        return 2;
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0; /* without TSan nothing tells */
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_share_inputs),
    };
    if (argc > 1 && strcmp(argv[1], "--shared-report") == 0)
        return shared_report_misuse();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
