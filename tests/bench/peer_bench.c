/* SPDX-License-Identifier: MIT */
/*
 * peer_bench.c - libcors as one more peer of ../shared/bench/peers (its README, "Adding the C
 * library as a peer"; the protocol at the top of its driver.py). The workloads come from its
 * workloads/workloads.h, included where it lies (the Makefile passes -I), never copied.
 *
 *   peer-bench --peer libcors --workload W --mode dump|time
 *              [--runs R --min-time S --max-time S --min-iters N --warmup S]
 *
 * prints one JSON line (--mode loop runs --min-iters ops and prints nothing, for instruction
 * counts under valgrind --tool=callgrind). One op = cors_policy_answer on a request already
 * parsed (method and header lines, as an HTTP parser hands them over), producing the status
 * and header lines into a cors_answer and a header array emptied for the op; the policy is
 * compiled once. W0 = the same loop calling an empty function with the same arguments. This
 * program's malloc family counts its calls during the timed runs (allocs_per_op,
 * bytes_per_op).
 *
 * Build: make bench (BENCH_PEERS=path/to/peers).
 */
#define _GNU_SOURCE /* RTLD_NEXT-free interposition via glibc's __libc_malloc; clock_gettime */

#include <libcors.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workloads.h"

/* ---- allocation counting ---- */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static volatile int counting;
static volatile uint64_t alloc_calls, alloc_bytes;

void *malloc(size_t size)
{
    if (counting) {
        alloc_calls++;
        alloc_bytes += size;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (counting) {
        alloc_calls++;
        alloc_bytes += n * size;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (counting) {
        alloc_calls++;
        alloc_bytes += size;
    }
    return __libc_realloc(p, size);
}

void free(void *p)
{
    __libc_free(p);
}

/* ---- the workload as a policy and a request ---- */

typedef struct bench {
    const bw_workload *w;
    const cors_policy *policy;
    cors_header headers[8];
    size_t header_count;
    const char *method;
    size_t method_len;
    char mapping[512];
} bench;

static size_t strs(cors_str *out, const char *const *in, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (cors_str){in[i], strlen(in[i])};
    return (size_t)n;
}

static int setup(bench *b, const bw_workload *w)
{
    static cors_str origins[128], methods[16], rheaders[16], eheaders[16];
    cors_policy_config c;
    size_t needed, n = 0;
    void *mem;

    b->w = w;
    b->method = w->method;
    b->method_len = strlen(w->method);
    b->header_count = (size_t)w->n_headers;
    for (int i = 0; i < w->n_headers; i++) {
        b->headers[i].name = (cors_str){w->headers[i].name, strlen(w->headers[i].name)};
        b->headers[i].value = (cors_str){w->headers[i].value, strlen(w->headers[i].value)};
    }
    cors_policy_config_init(&c, sizeof(c));
    n = strs(origins, w->allowed_origins, w->n_allowed_origins);
    n += strs(origins + n, w->origin_patterns, w->n_origin_patterns);
    c.origins = origins;
    c.origin_count = n;
    if (w->reflect_any_origin) {
        c.origin_mode = CORS_ORIGINS_REFLECT;
        c.origin_count = 0;
    }
    if (w->allow_credentials)
        c.flags |= CORS_POLICY_CREDENTIALS | (w->reflect_any_origin ? CORS_POLICY_DANGER_REFLECT_CREDENTIALS : 0);
    c.methods = methods;
    c.method_count = strs(methods, w->allowed_methods, w->n_allowed_methods);
    c.request_headers = rheaders;
    c.request_header_count = strs(rheaders, w->allowed_headers, w->n_allowed_headers);
    c.expose_headers = eheaders;
    c.expose_header_count = strs(eheaders, w->expose_headers, w->n_expose_headers);
    c.max_age = w->max_age < 0 ? 0 : w->max_age;
    if (cors_policy_compile(&c, NULL, 0, &needed, NULL) != CORS_E_BUFFER_TOO_SMALL ||
        (mem = aligned_alloc(8, (needed + 7) / 8 * 8)) == NULL ||
        cors_policy_compile(&c, mem, needed, &needed, &b->policy) != CORS_OK) {
        fprintf(stderr, "peer-bench: %s: the policy does not compile\n", w->id);
        return -1;
    }
    snprintf(b->mapping, sizeof(b->mapping),
             "cors_policy_config compiled once (%zu bytes): %s; methods, request headers%s as given; max_age %d; "
             "op = cors_policy_answer(policy, method, header lines) into a cors_answer and an 8-entry header "
             "array (both overwritten by each op)",
             needed,
             w->reflect_any_origin ? "origin_mode CORS_ORIGINS_REFLECT + CORS_POLICY_CREDENTIALS + "
                                     "CORS_POLICY_DANGER_REFLECT_CREDENTIALS"
             : w->n_origin_patterns ? "origins = the pattern as written (https://*.example.com)"
                                    : "origins = the exact origins",
             w->n_expose_headers ? ", exposed headers" : "", (int)c.max_age);
    return 0;
}

/* ---- one op ---- */

typedef int32_t (*answer_fn)(const cors_policy *, const char *, size_t, const cors_header *, size_t, cors_answer *,
                             cors_emitted_header *, size_t);

static int32_t empty_answer(const cors_policy *p, const char *m, size_t ml, const cors_header *h, size_t n,
                            cors_answer *a, cors_emitted_header *out, size_t cap)
{
    (void)p, (void)m, (void)ml, (void)h, (void)n, (void)out, (void)cap;
    return a->kind;
}

static cors_answer answer;
static cors_emitted_header emitted[CORS_ANSWER_MAX_HEADERS];
static volatile int32_t sink;

static uint64_t now_ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t loop(const bench *b, answer_fn volatile fn, uint64_t iters)
{
    answer_fn f = fn;
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    /* the answer and the header array are the response object: cors_policy_answer resets the
     * answer on entry and overwrites the lines, so each op starts from an emptied response */
    cors_answer_init(&answer, sizeof(answer));
    for (uint64_t i = 0; i < iters; i++)
        sink = f(b->policy, b->method, b->method_len, b->headers, b->header_count, &answer, emitted,
                 CORS_ANSWER_MAX_HEADERS);
    return now_ns(CLOCK_MONOTONIC) - t0;
}

static uint64_t wait_ns(void)
{
    FILE *f = fopen("/proc/thread-self/schedstat", "r");
    unsigned long long run = 0, wait = 0;
    if (f == NULL)
        return 0;
    if (fscanf(f, "%llu %llu", &run, &wait) != 2)
        wait = 0;
    fclose(f);
    return wait;
}

/* ---- output ---- */

static void json_str(const char *p, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void head(const bench *b, const char *workload)
{
    printf("{\"peer\":\"libcors\",\"workload\":\"%s\",\"version\":\"libcors %s\",\"runtime\":", workload,
           cors_version());
    json_str("C11, " __VERSION__ ", -O2, static libcors.a", strlen("C11, " __VERSION__ ", -O2, static libcors.a"));
    printf(",\"mapping\":");
    json_str(b->mapping, strlen(b->mapping));
}

static void dump(const bench *b, const char *workload)
{
    cors_answer_init(&answer, sizeof(answer));
    cors_policy_answer(b->policy, b->method, b->method_len, b->headers, b->header_count, &answer, emitted,
                       CORS_ANSWER_MAX_HEADERS);
    head(b, workload);
    /* a preflight is answered with its status; any other response is the handler's 200 */
    printf(",\"response\":{\"status\":%d,\"headers\":[",
           answer.kind == CORS_ANSWER_PREFLIGHT ? (int)answer.status_code : 200);
    for (size_t i = 0; i < answer.header_count; i++) {
        printf("%s[", i ? "," : "");
        json_str(emitted[i].name.ptr, emitted[i].name.len);
        putchar(',');
        json_str(emitted[i].value.ptr, emitted[i].value.len);
        putchar(']');
    }
    printf("]}}\n");
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
    double s[64];
    memcpy(s, v, (size_t)n * sizeof(*s));
    qsort(s, (size_t)n, sizeof(*s), compare_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

typedef struct settings {
    int runs;
    double min_time, max_time, warmup;
    uint64_t min_iters;
} settings;

static uint64_t pick_iters(const settings *s, double per_op)
{
    uint64_t it = (uint64_t)(s->min_time * 1e9 / (per_op > 0.01 ? per_op : 0.01)) + 1;
    if (it < s->min_iters) {
        uint64_t cap = (uint64_t)(s->max_time * 1e9 / (per_op > 0.01 ? per_op : 0.01));
        it = it > (s->min_iters < cap ? s->min_iters : cap) ? it : (s->min_iters < cap ? s->min_iters : cap);
    }
    return it;
}

static void timed(const bench *b, const char *workload, answer_fn fn, const settings *s)
{
    double ns[64], cpu[64], best = -1;
    uint64_t n = 16, spent = 0, done = 0, wall = 0, iters, w0, ops = 0;
    int runs = 0, rescaled = 0;
    /* warm-up; the per-op estimate is the fastest chunk of >= 10 ms */
    while (spent < (uint64_t)(s->warmup * 1e9)) {
        uint64_t t = loop(b, fn, n);
        spent += t;
        done += n;
        if (t >= 10000000u && (best < 0 || (double)t / (double)n < best))
            best = (double)t / (double)n;
        n *= 2;
    }
    iters = pick_iters(s, best > 0 ? best : (double)spent / (double)done);
    w0 = wait_ns();
    alloc_calls = alloc_bytes = 0;
    counting = 1;
    while (runs < s->runs) {
        uint64_t c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t = loop(b, fn, iters);
        uint64_t c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
        if (runs == 0 && !rescaled && (double)t < 0.8 * s->min_time * 1e9) {
            /* the estimate was inflated (load during warm-up): resize and start over */
            iters = pick_iters(s, (double)t / (double)iters);
            rescaled = 1;
            counting = 0; /* fopen allocates */
            w0 = wait_ns();
            counting = 1;
            continue;
        }
        ns[runs] = (double)t / (double)iters;
        cpu[runs] = (double)(c1 - c0) / (double)iters;
        wall += t;
        ops += iters;
        runs++;
    }
    counting = 0;
    double min = ns[0];
    for (int i = 1; i < runs; i++)
        min = ns[i] < min ? ns[i] : min;
    head(b, workload);
    printf(",\"iters_per_run\":%llu,\"ns_runs\":[", (unsigned long long)iters);
    for (int i = 0; i < runs; i++)
        printf("%s%.3f", i ? "," : "", ns[i]);
    printf("],\"ns_median\":%.3f,\"ns_min\":%.3f,\"cpu_ns_runs\":[", median(ns, runs), min);
    for (int i = 0; i < runs; i++)
        printf("%s%.3f", i ? "," : "", cpu[i]);
    printf("],\"cpu_ns_median\":%.3f,\"wait_pct\":%.1f,\"allocs_per_op\":%.6f,\"bytes_per_op\":%.6f}\n",
           median(cpu, runs), 100.0 * (double)(wait_ns() - w0) / (double)(wall ? wall : 1),
           (double)alloc_calls / (double)ops, (double)alloc_bytes / (double)ops);
}

int main(int argc, char **argv)
{
    const char *workload = NULL, *mode = "dump";
    settings s = {7, 0.3, 1.0, 0.3, 100000};
    bench b;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (strcmp(a, "--workload") == 0)
            workload = v;
        else if (strcmp(a, "--mode") == 0)
            mode = v;
        else if (strcmp(a, "--runs") == 0)
            s.runs = atoi(v) > 0 && atoi(v) <= 64 ? atoi(v) : 7;
        else if (strcmp(a, "--min-time") == 0)
            s.min_time = atof(v);
        else if (strcmp(a, "--max-time") == 0)
            s.max_time = atof(v);
        else if (strcmp(a, "--min-iters") == 0)
            s.min_iters = (uint64_t)atoll(v);
        else if (strcmp(a, "--warmup") == 0)
            s.warmup = atof(v);
        else if (strcmp(a, "--peer") != 0) {
            fprintf(stderr, "peer-bench: unknown option %s\n", a);
            return 2;
        }
    }
    if (workload == NULL) {
        fprintf(stderr, "usage: peer-bench --peer libcors --workload W --mode dump|time [--runs R ...]\n");
        return 2;
    }
    for (int i = 0; i < BW_N_WORKLOADS; i++) {
        if (strcmp(BW_WORKLOADS[i].id, workload) != 0)
            continue;
        if (setup(&b, &BW_WORKLOADS[i]) != 0)
            return 1;
        answer_fn fn = strcmp(BW_WORKLOADS[i].kind, "baseline") == 0 ? empty_answer : cors_policy_answer;
        if (strcmp(mode, "dump") == 0)
            dump(&b, workload);
        else if (strcmp(mode, "time") == 0)
            timed(&b, workload, fn, &s);
        else if (strcmp(mode, "loop") == 0) /* --min-iters ops and nothing else: for valgrind --tool=callgrind */
            loop(&b, fn, s.min_iters);
        else {
            fprintf(stderr, "peer-bench: unknown mode %s\n", mode);
            return 2;
        }
        return 0;
    }
    fprintf(stderr, "peer-bench: no workload %s\n", workload);
    return 2;
}
