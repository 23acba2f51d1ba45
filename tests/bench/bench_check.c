/* SPDX-License-Identifier: MIT */
/*
 * bench_check.c - the checker's benchmark (make bench): a benchmark, not a
 * test; it asserts nothing about time.
 *
 * For realistic pairs it prints the median nanoseconds of several runs per
 * phase: parse (both heads), judge (cors_evaluate with no report buffers:
 * the verdict only), report (cors_evaluate with the full report), pair (parse
 * plus the full report), and the allocations the pair made. Times are the
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a busy machine inflates
 * them little. Then hostile
 * sizes at four or five sizes per family, to show linear growth, and the
 * peak stack of cors_evaluate over all of them. It ends with the line
 * `checker: N ns per pair` for the typical pair.
 *
 *   build/bench/bench_check [--quick | --hostile]
 *   build/bench/bench_check --profile N              N typical pairs, nothing timed
 *   build/bench/bench_check --profile-hostile F S N  N evaluations of family F (0-5) at S bytes or headers
 *
 * --hostile (make bench-hostile) runs only the hostile sizes and the peak stack;
 * the --profile modes are for callgrind or perf.
 */
#define _GNU_SOURCE

#include <libcors.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- allocation counting: this program's malloc family forwards to glibc's ---- */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
static volatile long allocations;

void *malloc(size_t size)
{
    allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    allocations++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    allocations++;
    return __libc_realloc(p, size);
}

void free(void *p)
{
    __libc_free(p);
}

/* ---- the pairs ---- */

typedef struct pair {
    const char *name;
    const char *preflight;   /* raw head, or NULL */
    const char *response;
    const char *origin;
    const char *method;
    int32_t credentials;
    const cors_header *headers;
    size_t header_count;
} pair;

/* The typical pair: an nginx-style preflight (9 lines), a JSON
 * response (10 lines), a credentialed PUT with two request headers. */
static const char nginx_preflight[] = "HTTP/1.1 204 No Content\r\n"
                                      "Server: nginx/1.22.1\r\n"
                                      "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                      "Connection: keep-alive\r\n"
                                      "Access-Control-Allow-Origin: https://app.example\r\n"
                                      "Access-Control-Allow-Credentials: true\r\n"
                                      "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS\r\n"
                                      "Access-Control-Allow-Headers: Authorization, Content-Type, X-Request-Id\r\n"
                                      "Access-Control-Max-Age: 600\r\n"
                                      "Vary: Origin\r\n"
                                      "\r\n";
static const char json_response[] = "HTTP/1.1 200 OK\r\n"
                                    "Server: nginx/1.22.1\r\n"
                                    "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                    "Content-Type: application/json; charset=utf-8\r\n"
                                    "Content-Length: 42\r\n"
                                    "Connection: keep-alive\r\n"
                                    "Access-Control-Allow-Origin: https://app.example\r\n"
                                    "Access-Control-Allow-Credentials: true\r\n"
                                    "Access-Control-Expose-Headers: X-Request-Id\r\n"
                                    "X-Request-Id: 8c1f0d2a\r\n"
                                    "Vary: Origin\r\n"
                                    "\r\n";
static const cors_header put_headers[] = {
    {{"Content-Type", 12}, {"application/json", 16}},
    {{"Authorization", 13}, {"Bearer abc", 10}},
};

/* express + cors defaults: '*', a 204 preflight echoing the requested headers */
static const char express_preflight[] = "HTTP/1.1 204 No Content\r\n"
                                        "X-Powered-By: Express\r\n"
                                        "Access-Control-Allow-Origin: *\r\n"
                                        "Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE\r\n"
                                        "Vary: Access-Control-Request-Headers\r\n"
                                        "Access-Control-Allow-Headers: content-type,x-trace-id\r\n"
                                        "Content-Length: 0\r\n"
                                        "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                        "Connection: keep-alive\r\n"
                                        "Keep-Alive: timeout=5\r\n"
                                        "\r\n";
static const char express_response[] = "HTTP/1.1 201 Created\r\n"
                                       "X-Powered-By: Express\r\n"
                                       "Access-Control-Allow-Origin: *\r\n"
                                       "Content-Type: application/json; charset=utf-8\r\n"
                                       "Content-Length: 27\r\n"
                                       "ETag: W/\"1b-Uk1a2b3c\"\r\n"
                                       "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                       "Connection: keep-alive\r\n"
                                       "Keep-Alive: timeout=5\r\n"
                                       "\r\n";
static const cors_header post_json_headers[] = {
    {{"Content-Type", 12}, {"application/json", 16}},
    {{"X-Trace-Id", 10}, {"42", 2}},
};

/* Go rs/cors: a 200 preflight echoing method and headers, Vary on all three */
static const char rscors_preflight[] = "HTTP/1.1 200 OK\r\n"
                                       "Access-Control-Allow-Headers: X-Trace-Id\r\n"
                                       "Access-Control-Allow-Methods: DELETE\r\n"
                                       "Access-Control-Allow-Origin: https://app.example\r\n"
                                       "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n"
                                       "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                       "Content-Length: 0\r\n"
                                       "\r\n";
static const char rscors_response[] = "HTTP/1.1 204 No Content\r\n"
                                      "Access-Control-Allow-Origin: https://app.example\r\n"
                                      "Vary: Origin\r\n"
                                      "Date: Tue, 01 Dec 2026 20:00:00 GMT\r\n"
                                      "\r\n";
static const cors_header delete_headers[] = {{{"X-Trace-Id", 10}, {"7", 1}}};

/* A 100-name Access-Control-Allow-Headers; the PATCH asks for three of them. */
static char acah100_preflight[8192];
static const cors_header acah100_request[] = {
    {{"X-Custom-007", 12}, {"1", 1}},
    {{"X-Custom-042", 12}, {"2", 1}},
    {{"X-Custom-099", 12}, {"3", 1}},
};

static void make_acah100(void)
{
    size_t n = (size_t)sprintf(acah100_preflight, "HTTP/1.1 204 No Content\r\n"
                                                  "Access-Control-Allow-Origin: https://app.example\r\n"
                                                  "Access-Control-Allow-Methods: PATCH\r\n"
                                                  "Access-Control-Allow-Headers: ");
    for (int i = 0; i < 100; i++)
        n += (size_t)sprintf(acah100_preflight + n, "%sX-Custom-%03d", i ? ", " : "", i);
    sprintf(acah100_preflight + n, "\r\n\r\n");
}

/* ---- timing ---- */

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: waiting for a core does not count */
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct workspace {
    cors_header pre_h[256], resp_h[256];
    cors_response pre, resp;
    cors_request req;
    cors_finding findings[64];
    cors_span readable[256];
    char text[1 << 16];
    cors_report report;
    const pair *p;
    size_t pre_len, resp_len;
} workspace;

static void parse_both(workspace *w)
{
    w->pre.struct_size = sizeof(w->pre);
    w->resp.struct_size = sizeof(w->resp);
    if (w->p->preflight && cors_response_parse(w->p->preflight, w->pre_len, 0, w->pre_h, 256, &w->pre, NULL) != CORS_OK)
        abort();
    if (cors_response_parse(w->p->response, w->resp_len, 0, w->resp_h, 256, &w->resp, NULL) != CORS_OK)
        abort();
}

static void judge(workspace *w)
{
    cors_report_init(&w->report, sizeof(w->report), NULL, 0, NULL, 0, NULL, 0);
    cors_evaluate(NULL, &w->req, w->p->preflight ? &w->pre : NULL, &w->resp, &w->report, NULL);
}

static void report_full(workspace *w)
{
    cors_report_init(&w->report, sizeof(w->report), w->findings, 64, w->readable, 256, w->text, sizeof(w->text));
    cors_evaluate(NULL, &w->req, w->p->preflight ? &w->pre : NULL, &w->resp, &w->report, NULL);
}

static void whole_pair(workspace *w)
{
    parse_both(w);
    report_full(w);
}

static int runs = 7;
static double min_seconds = 0.2;

/* Median ns per call of f over `runs` runs of enough calls for min_seconds. */
static double measure(void (*f)(workspace *), workspace *w)
{
    double t[16];
    size_t n = 1;
    for (;;) { /* calibrate */
        double start = now_ns();
        for (size_t i = 0; i < n; i++)
            f(w);
        if (now_ns() - start > min_seconds * 1e9 / 4)
            break;
        n *= 2;
    }
    n *= 4;
    for (int r = 0; r < runs; r++) {
        double start = now_ns();
        for (size_t i = 0; i < n; i++)
            f(w);
        t[r] = (now_ns() - start) / (double)n;
    }
    qsort(t, (size_t)runs, sizeof(t[0]), compare_double);
    return t[runs / 2];
}

static workspace ws;

static void bench_setup(const pair *p)
{
    memset(&ws, 0, sizeof(ws));
    ws.p = p;
    ws.pre_len = p->preflight ? strlen(p->preflight) : 0;
    ws.resp_len = strlen(p->response);
    cors_request_init(&ws.req, sizeof(ws.req));
    ws.req.origin = (cors_str){p->origin, strlen(p->origin)};
    ws.req.method = (cors_str){p->method, strlen(p->method)};
    ws.req.headers = p->headers;
    ws.req.header_count = p->header_count;
    ws.req.credentials = p->credentials;
}

static double bench_pair(const pair *p)
{
    double parse, verdict, full, whole;
    long before;
    bench_setup(p);
    whole_pair(&ws);
    if (ws.report.needs != 0) {
        fprintf(stderr, "bench_check: pair %s is incomplete (needs 0x%x)\n", p->name, (unsigned)ws.report.needs);
        exit(2);
    }
    before = allocations;
    whole_pair(&ws);
    before = allocations - before;
    parse = measure(parse_both, &ws);
    verdict = measure(judge, &ws);
    full = measure(report_full, &ws);
    whole = measure(whole_pair, &ws);
    printf("%-12s %-8s %8.0f %8.0f %8.0f %8.0f %6ld   %s %s\n", p->name, ws.report.ok ? "allowed" : "refused", parse,
           verdict, full, whole, before, ws.report.ok ? "" : cors_kind_name(ws.report.kind),
           ws.report.preflight ? "(preflight)" : "");
    return whole;
}

/* ---- hostile sizes ---- */

typedef enum family { ACEH_NAMES, ACEH_COMMAS, MANY_LINES, LONG_LINE, ACAH_NAMES, REQUEST_HEADERS, FAMILIES } family;
static const char *const family_names[] = {"ACEH of 100k names/MiB", "ACEH of commas", "header lines",
                                           "one long ACAO line", "ACAH list, 128 headers", "request headers"};

typedef struct hostile {
    char *text;              /* the hostile head */
    size_t len;
    cors_header *headers;
    size_t capacity;
    cors_response head;      /* parsed */
    cors_header small_h[8];
    cors_response small;     /* the other response of the exchange */
    bool hostile_is_preflight;
    cors_request req;
    cors_header *req_headers;
    char (*req_names)[16];
    cors_finding findings[64];
    cors_span *readable;
    char *report_text;
    size_t readable_cap, text_cap;
    cors_report report;
} hostile;

static hostile hx;

static size_t put_line(char *t, size_t n, const char *s)
{
    size_t k = strlen(s);
    memcpy(t + n, s, k);
    return n + k;
}

/* A head of about `size` bytes shaped by the family. */
static void build(family f, size_t size)
{
    size_t cap = size + 300000, n = 0;
    char *t = hx.text = realloc(hx.text, cap);
    hx.hostile_is_preflight = f == ACAH_NAMES || f == REQUEST_HEADERS;
    n = put_line(t, n, hx.hostile_is_preflight ? "HTTP/1.1 204 No Content\r\n" : "HTTP/1.1 200 OK\r\n");
    if (f != LONG_LINE)
        n = put_line(t, n, "Access-Control-Allow-Origin: *\r\n");
    switch (f) {
    case ACEH_NAMES: /* lines of 1,000 names each */
        for (size_t i = 0; n < size; i++)
            n += (size_t)sprintf(t + n, "%sh%07zu%s", i % 1000 ? "," : "Access-Control-Expose-Headers: ", i,
                                 i % 1000 == 999 ? "\r\n" : "");
        n = put_line(t, n, "\r\n");
        break;
    case ACEH_COMMAS: /* lines of 200,000 commas */
        for (size_t i = 0; n < size; i++) {
            if (i % 200000 == 0)
                n = put_line(t, n, i ? "\r\nAccess-Control-Expose-Headers: " : "Access-Control-Expose-Headers: ");
            t[n++] = ',';
        }
        n = put_line(t, n, "\r\n");
        break;
    case MANY_LINES: /* short lines, every one readable */
        n = put_line(t, n, "Access-Control-Expose-Headers: *\r\n");
        for (size_t i = 0; n < size; i++)
            n += (size_t)sprintf(t + n, "X-%07zu: v\r\n", i);
        break;
    case LONG_LINE: /* one Access-Control-Allow-Origin of nested filesystem: prefixes, at most 256 KiB */
        n = put_line(t, n, "Access-Control-Allow-Origin: ");
        while (n + 40 < size && n + 40 < CORS_MAX_LINE)
            n = put_line(t, n, "filesystem:");
        n = put_line(t, n, "https://a/temporary/x\r\n");
        break;
    case ACAH_NAMES: /* lines of 1,000 allowed names */
        for (size_t i = 0; n < size; i++)
            n += (size_t)sprintf(t + n, "%sx-%07zu%s", i % 1000 ? ", " : "Access-Control-Allow-Headers: ", i,
                                 i % 1000 == 999 ? "\r\n" : "");
        n = put_line(t, n, "\r\n");
        break;
    case REQUEST_HEADERS:
        n = put_line(t, n, "Access-Control-Allow-Headers: *\r\n");
        break;
    default:
        break;
    }
    hx.len = put_line(t, n, "\r\n");
}

static void hostile_parse(workspace *unused)
{
    (void)unused;
    hx.head.struct_size = sizeof(hx.head);
    /* strictly: Chromium's reading fails a head past CORS_MAX_HEAD (256 KiB) before judging it */
    if (cors_response_parse(hx.text, hx.len, CORS_PARSE_STRICT, hx.headers, hx.capacity, &hx.head, NULL) != CORS_OK)
        abort();
}

static void hostile_evaluate(workspace *unused)
{
    (void)unused;
    cors_report_init(&hx.report, sizeof(hx.report), hx.findings, 64, hx.readable, hx.readable_cap, hx.report_text,
                     hx.text_cap);
    cors_evaluate(NULL, &hx.req, hx.hostile_is_preflight ? &hx.head : NULL,
                  hx.hostile_is_preflight ? &hx.small : &hx.head, &hx.report, NULL);
}

/* The request: GET, or `n` CORS-unsafe headers (in a shuffled order). */
static void request_with(size_t n)
{
    static const char small[] = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    hx.req_headers = realloc(hx.req_headers, (n + 1) * sizeof(*hx.req_headers));
    hx.req_names = realloc(hx.req_names, (n + 1) * sizeof(*hx.req_names));
    for (size_t i = 0; i < n; i++) {
        sprintf(hx.req_names[i], "X-%07zu", (i * 7919) % (n * 997 + 1));
        hx.req_headers[i].name = (cors_str){hx.req_names[i], strlen(hx.req_names[i])};
        hx.req_headers[i].value = (cors_str){"1", 1};
    }
    cors_request_init(&hx.req, sizeof(hx.req));
    hx.req.origin = (cors_str){"https://app.example", 19};
    hx.req.method = (cors_str){"GET", 3};
    hx.req.headers = hx.req_headers;
    hx.req.header_count = n;
    hx.small.struct_size = sizeof(hx.small);
    if (cors_response_parse(small, sizeof(small) - 1, 0, hx.small_h, 8, &hx.small, NULL) != CORS_OK)
        abort();
}

static size_t measure_stack(void (*f)(workspace *));

/* The head of family f at `size` bytes (or `size` request headers), with room for all of it. */
static void hostile_setup(family f, size_t size)
{
    request_with(f == REQUEST_HEADERS ? size : f == ACAH_NAMES ? 128 : 0);
    build(f, f == REQUEST_HEADERS ? 0 : size);
    hx.capacity = hx.len / 4 + 16;
    hx.headers = realloc(hx.headers, hx.capacity * sizeof(*hx.headers));
    /* room for the request's unsafe names too: they are sorted there, in O(n log n) */
    hx.readable_cap = hx.capacity > hx.req.header_count + 2 ? hx.capacity : hx.req.header_count + 2;
    hx.readable = realloc(hx.readable, hx.readable_cap * sizeof(*hx.readable));
    hx.text_cap = hx.len * 3 + hx.req.header_count * 32 + 65536;
    hx.report_text = realloc(hx.report_text, hx.text_cap);
}

static size_t bench_hostile(void)
{
    static const size_t sizes[] = {1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20};
    static const size_t request_counts[] = {1000, 10000, 30000, 100000, 300000};
    size_t stack = 0, family_stack;
    printf("\nhostile sizes (median ns; linear growth keeps the last column about constant)\n");
    printf("%-24s %9s %11s %11s %12s\n", "family", "size", "parse ns", "evaluate ns", "ns per unit");
    for (int f = 0; f < FAMILIES; f++) {
        family_stack = 0;
        for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            double parse, eval;
            size_t units;
            hostile_setup((family)f, f == REQUEST_HEADERS ? request_counts[k] : sizes[k]);
            parse = measure(hostile_parse, &ws);
            eval = measure(hostile_evaluate, &ws);
            if (hx.report.needs != 0) {
                fprintf(stderr, "bench_check: hostile %s is incomplete (needs 0x%x)\n", family_names[f],
                        (unsigned)hx.report.needs);
                exit(2);
            }
            units = f == REQUEST_HEADERS ? request_counts[k] : hx.len / 1024;
            printf("%-24s %8zu%s %11.0f %11.0f %9.1f/%s\n", family_names[f], units, f == REQUEST_HEADERS ? "h" : "K",
                   parse, eval, (parse + eval) / (double)units, f == REQUEST_HEADERS ? "header" : "KiB");
            size_t s = measure_stack(hostile_evaluate);
            family_stack = s > family_stack ? s : family_stack;
        }
        printf("%-24s peak stack of cors_evaluate: %zu bytes\n", family_names[f], family_stack);
        stack = family_stack > stack ? family_stack : stack;
    }
    return stack;
}

/* ---- peak stack: run f on a thread whose stack is painted first ---- */

#define STACK_SIZE (256 * 1024)
static void (*stack_fn)(workspace *);

static void *stack_thread(void *arg)
{
    (void)arg;
    stack_fn(&ws);
    return NULL;
}

static size_t measure_stack(void (*f)(workspace *))
{
    static unsigned char stack_mem[STACK_SIZE] __attribute__((aligned(4096)));
    pthread_attr_t attr;
    pthread_t t;
    size_t untouched = 0;
    memset(stack_mem, 0xa5, sizeof(stack_mem));
    stack_fn = f;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, stack_mem, sizeof(stack_mem));
    pthread_create(&t, &attr, stack_thread, NULL);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    while (untouched < sizeof(stack_mem) && stack_mem[untouched] == 0xa5)
        untouched++;
    return sizeof(stack_mem) - untouched;
}

int main(int argc, char **argv)
{
    static const pair pairs[] = {
        {"typical", nginx_preflight, json_response, "https://app.example", "PUT", CORS_CREDENTIALS_INCLUDE,
         put_headers, 2},
        {"express", express_preflight, express_response, "https://app.example", "POST", CORS_CREDENTIALS_OMIT,
         post_json_headers, 2},
        {"rs-cors", rscors_preflight, rscors_response, "https://app.example", "DELETE", CORS_CREDENTIALS_OMIT,
         delete_headers, 1},
        {"acah-100", acah100_preflight, rscors_response, "https://app.example", "PATCH", CORS_CREDENTIALS_OMIT,
         acah100_request, 3},
    };
    double typical = 0;
    size_t stack = 0;
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int hostile_only = argc > 1 && strcmp(argv[1], "--hostile") == 0;
    if (argc > 2 && strcmp(argv[1], "--profile") == 0) { /* N whole typical pairs, for callgrind or perf */
        long n = atol(argv[2]);
        bench_setup(&pairs[0]);
        for (long i = 0; i < n; i++)
            whole_pair(&ws);
        printf("%d\n", ws.report.ok);
        return 0;
    }
    if (argc > 4 && strcmp(argv[1], "--profile-hostile") == 0) {
        int f = atoi(argv[2]);
        long n = atol(argv[4]);
        if (f < 0 || f >= FAMILIES)
            return 2;
        hostile_setup((family)f, (size_t)atol(argv[3]));
        hostile_parse(&ws);
        for (long i = 0; i < n; i++)
            hostile_evaluate(&ws);
        printf("%s: %d\n", family_names[f], hx.report.ok);
        return 0;
    }
    if (quick) {
        runs = 3;
        min_seconds = 0.05;
    }
    make_acah100();
    if (hostile_only) {
        stack = bench_hostile();
        printf("\npeak stack of parse + cors_evaluate (hostile sizes): %zu bytes (thread stack painted, 256 KiB)\n",
               stack);
        return 0;
    }
    printf("libcors %s checker benchmark: median of %d runs, ns per call\n", cors_version(), runs);
    printf("%-12s %-8s %8s %8s %8s %8s %6s\n", "pair", "verdict", "parse", "judge", "report", "pair", "allocs");
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        size_t st;
        double ns = bench_pair(&pairs[i]);
        if (i == 0)
            typical = ns;
        st = measure_stack(whole_pair);
        stack = st > stack ? st : stack;
    }
    if (!quick) {
        size_t st = bench_hostile();
        stack = st > stack ? st : stack;
    }
    printf("\npeak stack of parse + cors_evaluate (pairs%s): %zu bytes (thread stack painted, 256 KiB)\n",
           quick ? "" : " and hostile sizes", stack);
    printf("checker: %.0f ns per pair\n", typical);
    return 0;
}
