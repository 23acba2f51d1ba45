/* SPDX-License-Identifier: MIT */
/*
 * test_simulate.c - lib/simulate.c, and the property that ties the two
 * directions together: for thousands of generated policies and requests
 * (deterministic seed), the browser's verdict on what the policy emits
 * (cors_policy_check, i.e. cors_evaluate on cors_policy_answer's lines)
 * equals what the policy says it allows, by a ten-line intent oracle; and
 * cors_policy_answer's own `allowed` agrees at each step.
 *
 *   test_simulate                         the property test (CORS_SIMULATE_PAIRS, default 5000)
 *   test_simulate --emit-cases N FILE     N pairs as corpus cases with raw answer blocks, for
 *                                         real Chromium (tests/browser/run.sh --file FILE)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <strings.h>

#include "test_policy_util.h"

#define LIT(s) {(s), sizeof(s) - 1}

/* ---- a deterministic generator (xorshift64*) ---- */

static uint64_t rng_state = 0x5eed2026c0de1511ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static bool chance(uint32_t percent)
{
    return rnd(100) < percent;
}

/* Origins and hosts the browser suite can serve: https on 443 or 8443, http on 8080. */
static const char *const policy_origins[] = {
    "https://app.example", "http://app.example:8080", "https://a.example.com", "https://*.example.com",
    "http://localhost:*", "https://*.example.com:*", "https://b.example", "https://sub.b.example",
};
static const char *const request_origins[] = {
    "https://app.example", "http://app.example:8080", "https://a.example.com", "https://x.y.example.com",
    "https://example.com", "http://localhost:8080", "https://b.example", "https://evil.example",
    "https://a.example.com:8443", "null", "https://sub.b.example",
};
static const char *const policy_methods[] = {"PUT", "DELETE", "PATCH", "patch", "GET", "OPTIONS", "*", "put"};
static const char *const request_methods[] = {"GET", "POST", "HEAD", "PUT", "put", "DELETE", "PATCH", "patch",
                                              "OPTIONS"};
static const char *const policy_headers[] = {"X-Trace", "Content-Type", "Authorization", "X-Api-Key", "*", "x-trace"};
static const char *const policy_exposed[] = {"X-Request-Id", "*", "X-Trace"};
static const cors_header request_headers[] = {
    {LIT("X-Trace"), LIT("1")},
    {LIT("Content-Type"), LIT("application/json")},
    {LIT("Content-Type"), LIT("text/plain")},
    {LIT("Authorization"), LIT("Bearer t")},
    {LIT("X-Api-Key"), LIT("k")},
    {LIT("Accept"), LIT("application/json")},
};
static const char *const credentials_names[] = {"same-origin", "omit", "include"};

typedef struct pair {
    char policy[1024];             /* the policy text */
    const char *origin;
    const char *method;
    cors_header headers[4];
    size_t header_count;
    int32_t credentials;
} pair;

/* A page origin each policy origin allows (the same index). */
static const char *const allowed_by[] = {
    "https://app.example", "http://app.example:8080", "https://a.example.com", "https://x.y.example.com",
    "http://localhost:8080", "https://a.example.com:8443", "https://b.example", "https://sub.b.example",
};

static size_t chosen[16], chosen_count;

static void append_list(char *text, size_t cap, const char *key, const char *const *from, size_t n, uint32_t percent,
                        const char *skip)
{
    size_t at = strlen(text), start = at;
    at += (size_t)snprintf(text + at, cap - at, "%s:", key);
    chosen_count = 0;
    for (size_t i = 0; i < n; i++)
        if (chance(percent) && (skip == NULL || strcmp(from[i], skip) != 0)) {
            at += (size_t)snprintf(text + at, cap - at, " %s", from[i]);
            chosen[chosen_count++] = i;
        }
    if (text[at - 1] == ':')
        text[start] = '\0'; /* nothing chosen: no key */
    else
        snprintf(text + at, cap - at, "\n");
}

static void generate(pair *p)
{
    bool credentials = chance(40), any = false;
    size_t origins_chosen = 0, origins_picked[16];
    char *t = p->policy;
    size_t cap = sizeof(p->policy);
    t[0] = '\0';
    if (chance(10)) {
        strcat(t, "reflect-any-origin: yes\n");
        if (credentials)
            strcat(t, "danger-reflect-with-credentials: yes\n");
    } else if (!credentials && chance(15)) {
        strcat(t, "origins: *\n");
        any = true;
    } else {
        append_list(t, cap, "origins", policy_origins, COUNT(policy_origins), 35, NULL);
        if (strstr(t, "origins:") == NULL) {
            strcat(t, "origins: https://app.example\n");
            chosen[0] = 0;
            chosen_count = 1;
        }
        origins_chosen = chosen_count;
        memcpy(origins_picked, chosen, sizeof(chosen));
        if (credentials && strstr(t, "http://app.example"))
            strcat(t, "danger-insecure-origins: yes\n");
    }
    (void)any;
    if (credentials)
        strcat(t, "credentials: yes\n");
    append_list(t, cap, "methods", policy_methods, COUNT(policy_methods), 25, NULL);
    append_list(t, cap, "request-headers", policy_headers, COUNT(policy_headers), 30, NULL);
    append_list(t, cap, "expose-headers", policy_exposed, COUNT(policy_exposed), 25, credentials ? "*" : NULL);
    if (chance(30))
        strcat(t, (const char *[]){"max-age: -1\n", "max-age: 600\n", "max-age: 9000\n"}[rnd(3)]);
    if (chance(15))
        strcat(t, "preflight-status: 200\n");
    if (chance(20))
        strcat(t, "debug: yes\n");
    if (chance(20))
        strcat(t, "vary-preflight: yes\n");

    /* half the time a page the policy means to allow */
    if (origins_chosen > 0 && chance(50))
        p->origin = allowed_by[origins_picked[rnd((uint32_t)origins_chosen)]];
    else
        p->origin = request_origins[rnd(COUNT(request_origins))];
    p->method = request_methods[chance(45) ? rnd(3) : 3 + rnd(COUNT(request_methods) - 3)]; /* GET POST HEAD first */
    p->header_count = 0;
    for (size_t i = 0; i < COUNT(request_headers) && p->header_count < 4; i++) {
        bool is_content_type = i == 1 || i == 2;
        if (i == 2 && p->header_count > 0 && p->headers[p->header_count - 1].name.len == 12)
            continue; /* one Content-Type at most */
        if (chance(is_content_type ? 15 : 20))
            p->headers[p->header_count++] = request_headers[i];
    }
    p->credentials = (int32_t)rnd(3);
}

/* ---- the intent oracle: what the configuration says about this request ---- */

static bool listed(const cors_str *a, size_t n, cors_str x, bool nocase)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].len == x.len && (nocase ? strncasecmp(a[i].ptr, x.ptr, x.len) == 0 : memcmp(a[i].ptr, x.ptr, x.len) == 0))
            return true;
    return false;
}

static bool is_safelisted_method(cors_str m)
{
    return (m.len == 3 && memcmp(m.ptr, "GET", 3) == 0) || (m.len == 4 && memcmp(m.ptr, "HEAD", 4) == 0) ||
           (m.len == 4 && memcmp(m.ptr, "POST", 4) == 0);
}

/* An exact origin, or "https://" "*.example.com", "http://localhost:*", "https://" "*.example.com:*". */
static bool origin_matches(cors_str pattern, const char *origin)
{
    char base[128], want[128];
    const char *host = strstr(origin, "://"), *colon;
    bool has_port, any_port;
    if (pattern.len == strlen(origin) && memcmp(pattern.ptr, origin, pattern.len) == 0)
        return true;
    if (host == NULL)
        return false;
    colon = strchr(host + 3, ':');
    has_port = colon != NULL;
    snprintf(base, sizeof(base), "%.*s", (int)(has_port ? (size_t)(colon - origin) : strlen(origin)), origin);
    any_port = pattern.len > 2 && memcmp(pattern.ptr + pattern.len - 2, ":*", 2) == 0;
    snprintf(want, sizeof(want), "%.*s", (int)(pattern.len - (any_port ? 2 : 0)), pattern.ptr);
    if (has_port && !any_port)
        return false;
    char *star = strstr(want, "://*.");
    if (star == NULL)
        return strcmp(base, want) == 0;
    size_t scheme = (size_t)(star - want) + 3, suffix = strlen(star + 4), n = strlen(base);
    return n > scheme + suffix && memcmp(base, want, scheme) == 0 && strcmp(base + n - suffix, star + 4) == 0;
}

/* What the configuration says about a request: the origin matches; credentials only when the policy
 * has them; for a preflight, the method is safelisted or listed (or '*'), and every name the browser
 * sends in Access-Control-Request-Headers is listed (or '*', which leaves out Authorization without
 * credentials). */
typedef struct intent {
    bool origin, credentials, request;
} intent;

static intent intended(const cors_policy_config *c, const pair *p, const cors_report *r)
{
    intent w = {false, true, true};
    bool star = listed(c->request_headers, c->request_header_count, STR("*"), false);
    cors_str m = {r->text + r->method.offset, r->method.length};
    const char *h = r->text + r->acr_headers.offset, *end = h + (r->has_acr_headers ? r->acr_headers.length : 0);
    w.origin = listed(c->origins, c->origin_count, STR("*"), false) ||
               (c->origin_mode == CORS_ORIGINS_REFLECT && strcmp(p->origin, "null") != 0);
    for (size_t i = 0; i < c->origin_count && !w.origin; i++)
        w.origin = origin_matches(c->origins[i], p->origin);
    w.credentials = p->credentials != CORS_CREDENTIALS_INCLUDE || (c->flags & CORS_POLICY_CREDENTIALS);
    w.request = is_safelisted_method(m) || listed(c->methods, c->method_count, STR("*"), false) ||
                listed(c->methods, c->method_count, m, false);
    for (; w.request && h < end; h++) {
        const char *comma = memchr(h, ',', (size_t)(end - h));
        cors_str name = {h, (size_t)((comma ? comma : end) - h)};
        bool authorization = name.len == 13 && strncasecmp(name.ptr, "authorization", 13) == 0;
        w.request = listed(c->request_headers, c->request_header_count, name, true) ||
                    (star && (!authorization || (c->flags & CORS_POLICY_CREDENTIALS)));
        h = comma ? comma : end;
    }
    return w;
}

/* ---- one pair through the library ---- */

static cors_finding findings[64];
static cors_span readable[64];
static char text[16384];

typedef struct outcome {
    bool compiles;
    int32_t status;
    cors_report report;
    intent intent;
    cors_answer pre, act;      /* cors_policy_answer's own verdicts on the two requests */
    cors_emitted_header pre_h[CORS_ANSWER_MAX_HEADERS], act_h[CORS_ANSWER_MAX_HEADERS];
    char acr[2][512];          /* Access-Control-Request-Method, -Headers as the browser sends them */
} outcome;

static void run_pair(const pair *p, compiled *c, outcome *out)
{
    cors_request req;
    size_t n, needed;
    memset(out, 0, sizeof(*out));
    cors_policy_config_init(&c->config, sizeof(c->config));
    assert_int_equal(cors_policy_parse(p->policy, strlen(p->policy), &c->config, c->items, COUNT(c->items), &n, NULL),
                     CORS_OK);
    if (cors_policy_compile(&c->config, NULL, 0, &needed, NULL) != CORS_E_BUFFER_TOO_SMALL)
        return;
    out->compiles = true;
    c->mem = aligned_alloc(8, needed);
    assert_int_equal(cors_policy_compile(&c->config, c->mem, needed, &needed, &c->policy), CORS_OK);

    cors_request_init(&req, sizeof(req));
    req.origin = str_z(p->origin);
    req.method = str_z(p->method);
    req.headers = p->headers;
    req.header_count = p->header_count;
    req.credentials = p->credentials;
    cors_report_init(&out->report, sizeof(out->report), findings, COUNT(findings), readable, COUNT(readable), text,
                     sizeof(text));
    out->status = cors_policy_check(c->policy, NULL, &req, &out->report, NULL);
    assert_int_equal(out->status, CORS_OK);
    assert_int_equal(out->report.needs, 0);
    out->intent = intended(&c->config, p, &out->report);

    /* the same two requests, answered directly */
    cors_report *r = &out->report;
    snprintf(out->acr[0], sizeof(out->acr[0]), "%.*s", (int)r->acr_method.length, r->text + r->acr_method.offset);
    snprintf(out->acr[1], sizeof(out->acr[1]), "%.*s", (int)r->acr_headers.length, r->text + r->acr_headers.offset);
    cors_header ask[3] = {{STR("Origin"), str_z(p->origin)},
                          {STR("Access-Control-Request-Method"), str_z(out->acr[0])},
                          {STR("Access-Control-Request-Headers"), str_z(out->acr[1])}};
    cors_answer_init(&out->pre, sizeof(out->pre));
    cors_answer_init(&out->act, sizeof(out->act));
    if (r->preflight)
        assert_int_equal(cors_policy_answer(c->policy, "OPTIONS", 7, ask, r->has_acr_headers ? 3 : 2, &out->pre,
                                            out->pre_h, CORS_ANSWER_MAX_HEADERS),
                         CORS_OK);
    assert_int_equal(cors_policy_answer(c->policy, r->text + r->method.offset, r->method.length, ask, 1, &out->act,
                                        out->act_h, CORS_ANSWER_MAX_HEADERS),
                     CORS_OK);
}

static bool has_vary(const cors_answer *a, const cors_emitted_header *h)
{
    for (size_t i = 0; i < a->header_count; i++)
        if (h[i].name.len == 4 && memcmp(h[i].name.ptr, "Vary", 4) == 0)
            return h[i].action == CORS_HEADER_APPEND;
    return false;
}

static bool browser_allows(const outcome *o)
{
    return o->intent.origin && o->intent.credentials && (!o->report.preflight || o->intent.request);
}

static void describe(const pair *p, const outcome *o)
{
    print_message("  policy:\n%s  request: %s %s credentials %s, %zu headers; ok %d, intended %d (origin %d "
                  "credentials %d request %d), kind %s at %s; answers allowed %d %d\n",
                  p->policy, p->method, p->origin, credentials_names[p->credentials], p->header_count, o->report.ok,
                  browser_allows(o), o->intent.origin, o->intent.credentials, o->intent.request,
                  cors_kind_name(o->report.kind), cors_stage_name(o->report.failed_at), o->pre.allowed,
                  o->act.allowed);
}

static void test_property(void **state)
{
    const char *env = getenv("CORS_SIMULATE_PAIRS");
    long pairs = env ? atol(env) : 5000, checked = 0, allowed = 0, preflights = 0, failures = 0;
    (void)state;
    for (long i = 0; i < pairs; i++) {
        static pair p;
        static compiled c;
        static outcome o;
        generate(&p);
        run_pair(&p, &c, &o);
        if (!o.compiles)
            continue;
        checked++;
        allowed += o.report.ok;
        preflights += o.report.preflight;
        bool any = listed(c.config.origins, c.config.origin_count, STR("*"), false);
        /* the browser's verdict is the intent, and each answer's own verdict (which cannot see the
         * credentials mode) agrees with it */
        bool agrees = o.report.ok == browser_allows(&o) && o.act.allowed == o.intent.origin &&
                      (!o.report.preflight || o.pre.allowed == (o.intent.origin && o.intent.request)) &&
                      has_vary(&o.act, o.act_h) == !any;
        if (!agrees) {
            failures++;
            if (failures <= 5)
                describe(&p, &o);
        }
        free(c.mem);
    }
    print_message("  %ld pairs compiled of %ld, %ld allowed, %ld with a preflight\n", checked, pairs, allowed,
                  preflights);
    assert_true(checked > pairs / 2 && allowed > checked / 10 && preflights > checked / 4);
    assert_int_equal(failures, 0);
}

/* ---- cors_policy_check's contract ---- */

static void test_check_needs_room(void **state)
{
    static compiled c;
    cors_request req;
    cors_report r;
    char small[16];
    cors_header h[1] = {{STR("X-Trace"), STR("1")}};
    (void)state;
    compile_text(&c, "origins: https://app.example\nrequest-headers: X-Trace\nmethods: PUT\n");
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://app.example");
    req.method = STR("PUT");
    req.headers = h;
    req.header_count = 1;
    /* no text at all: the counts to call again with */
    cors_report_init(&r, sizeof(r), NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(cors_policy_check(c.policy, NULL, &req, &r, NULL), CORS_OK);
    assert_true(r.needs & CORS_NEED_ROOM);
    /* grow to what it says until it stops asking */
    for (int round = 0; round < 4 && (r.needs & CORS_NEED_ROOM); round++) {
        size_t cap = r.text_length;
        char *t = malloc(cap);
        size_t fc = r.finding_count + 1, rc = r.readable_count + 1;
        cors_finding *f = malloc(fc * sizeof(*f));
        cors_span *sp = malloc(rc * sizeof(*sp));
        cors_report_init(&r, sizeof(r), f, fc, sp, rc, t, cap);
        assert_int_equal(cors_policy_check(c.policy, NULL, &req, &r, NULL), CORS_OK);
        if (!(r.needs & CORS_NEED_ROOM)) {
            assert_int_equal(r.ok, 1);
            assert_true(r.preflight);
        }
        free(t);
        free(f);
        free(sp);
    }
    assert_int_equal(r.needs, 0);
    /* just too small for the stash */
    cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), small, sizeof(small));
    assert_int_equal(cors_policy_check(c.policy, NULL, &req, &r, NULL), CORS_OK);
    assert_true(r.needs & CORS_NEED_ROOM);
    assert_true(r.text_length > sizeof(small));
    compiled_free(&c);
}

static void test_check_arguments_and_rules(void **state)
{
    static compiled c;
    _Alignas(8) char junk[128];
    cors_request req;
    cors_report r;
    cors_options opts;
    cors_error err;
    (void)state;
    compile_text(&c, "origins: https://dashboard.galxe.com\nmethods: GET, POST, OPTIONS\nrequest-headers: Content-Type\n");
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://dashboard.galxe.com");
    req.method = STR("POST");
    cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), text, sizeof(text));
    memset(junk, 0, sizeof(junk));
    assert_int_equal(cors_policy_check(NULL, NULL, &req, &r, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_check((const cors_policy *)(void *)junk, NULL, &req, &r, NULL), CORS_E_ARGUMENT);
    /* a bad origin is cors_evaluate's error, with its offset */
    req.origin = STR("https://Dashboard.galxe.com");
    assert_int_equal(cors_policy_check(c.policy, NULL, &req, &r, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, 8);
    req.origin = STR("https://dashboard.galxe.com");
    /* Galxe's probe: OPTIONS with Content-Type, answered by the policy */
    cors_options_init(&opts, sizeof(opts));
    opts.rules = CORS_RULES_GALXE;
    assert_int_equal(cors_policy_check(c.policy, &opts, &req, &r, NULL), CORS_OK);
    assert_int_equal(r.preflight, 1);
    assert_int_equal(r.ok, 1); /* POST is listed, so named in Access-Control-Allow-Methods, as Galxe wants */
    compiled_free(&c);
    compile_text(&c, "origins: https://dashboard.galxe.com\nrequest-headers: Content-Type\n");
    assert_int_equal(cors_policy_check(c.policy, &opts, &req, &r, NULL), CORS_OK);
    assert_int_equal(r.ok, 0); /* a browser needs no POST in it, Galxe does */
    assert_non_null(find_finding(&r, CORS_FINDING_GALXE_ALLOW_METHODS));
    /* a request fetch() refuses never reaches the policy */
    req.method = STR("TRACE");
    assert_int_equal(cors_policy_check(c.policy, NULL, &req, &r, NULL), CORS_OK);
    assert_int_equal(r.failed_at, CORS_STAGE_REQUEST);
    compiled_free(&c);
}

static void test_check_reflect_rules(void **state)
{
    static compiled c;
    cors_request req;
    cors_report r;
    cors_options opts;
    (void)state;
    cors_options_init(&opts, sizeof(opts));
    opts.rules = CORS_RULES_REFLECT;
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://app.example");
    req.method = STR("GET");
    cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), text, sizeof(text));
    /* reflect with credentials done right: Vary, ACAC on the answer */
    compile_text(&c, "reflect-any-origin: yes\ncredentials: yes\ndanger-reflect-with-credentials: yes\n"
                     "expose-headers: X-Request-Id\nmax-age: 600\n");
    assert_int_equal(cors_policy_check(c.policy, &opts, &req, &r, NULL), CORS_OK);
    assert_int_equal(r.ok, 1);
    assert_null(find_finding(&r, CORS_FINDING_VARY_ORIGIN_MISSING));
    compiled_free(&c);
    /* without credentials the reflect rules refuse it: no ACAC */
    compile_text(&c, "reflect-any-origin: yes\n");
    assert_int_equal(cors_policy_check(c.policy, &opts, &req, &r, NULL), CORS_OK);
    assert_int_equal(r.ok, 0);
    assert_int_equal(r.kind, CORS_KIND_INVALID_ALLOW_CREDENTIALS);
    compiled_free(&c);
}

/* ---- --emit-cases: the pairs as corpus cases for real Chromium ---- */

static void emit_block(FILE *f, const char *title, int32_t status, const cors_answer *a, const cors_emitted_header *h)
{
    fprintf(f, "--- %s\nHTTP/1.1 %d %s\n", title, (int)status,
            status == 204 ? "No Content" : status == 403 ? "Forbidden" : "OK");
    for (size_t i = 0; i < a->header_count; i++)
        fprintf(f, "%.*s: %.*s\n", (int)h[i].name.len, h[i].name.ptr, (int)h[i].value.len, h[i].value.ptr);
}

static int emit_cases(long n, const char *path)
{
    FILE *f = fopen(path, "w");
    long written = 0, tried = 0;
    if (f == NULL) {
        perror(path);
        return 2;
    }
    fprintf(f, "# Generated by build/tests/test_simulate --emit-cases: each case is a random policy and a\n"
               "# request; the blocks are exactly what cors_policy_answer sends to the preflight and the\n"
               "# actual request, and the expect block is libcors's cors_policy_check, which the\n"
               "# property test has checked against the policy's intent.\n");
    while (written < n && tried < 100 * n) {
        static pair p;
        static compiled c;
        static outcome o;
        tried++;
        generate(&p);
        run_pair(&p, &c, &o);
        if (!o.compiles)
            continue;
        const cors_report *r = &o.report;
        if (r->ok != browser_allows(&o)) {
            fprintf(stderr, "test_simulate: the property fails for pair %ld\n", tried);
            fclose(f);
            return 1;
        }
        fprintf(f, "\n=== case: policy-random-%04ld\nsource: libcors cors_policy_answer, tests/test_simulate.c\n",
                written + 1);
        for (const char *line = p.policy; *line;) {
            const char *nl = strchr(line, '\n');
            fprintf(f, "# policy: %.*s\n", (int)(nl - line), line);
            line = nl + 1;
        }
        fprintf(f, "origin: %s\nmethod: %s\ncredentials: %s\n", p.origin, p.method, credentials_names[p.credentials]);
        for (size_t i = 0; i < p.header_count; i++)
            fprintf(f, "header: %.*s: %.*s\n", (int)p.headers[i].name.len, p.headers[i].name.ptr,
                    (int)p.headers[i].value.len, p.headers[i].value.ptr);
        if (r->preflight)
            emit_block(f, "preflight", o.pre.status_code, &o.pre, o.pre_h);
        emit_block(f, "response", 200, &o.act, o.act_h);
        fprintf(f, "--- expect\npreflight: %s\nacr-method: %s\nacr-headers: %s\nok: %s\nfailed-at: %s\nerror: %s\n",
                r->preflight ? "yes" : "no", r->has_acr_method ? o.acr[0] : "-",
                r->has_acr_headers ? o.acr[1] : "-", r->ok ? "yes" : "no",
                r->failed_at ? cors_stage_name(r->failed_at) : "-", r->kind ? cors_kind_name(r->kind) : "-");
        if (r->ok) {
            fprintf(f, "readable: ");
            for (size_t i = 0; i < r->readable_count; i++)
                fprintf(f, "%s%.*s", i ? "," : "", (int)r->readable[i].length, r->text + r->readable[i].offset);
            fprintf(f, "%s\n", r->readable_count ? "" : "-");
        }
        if (r->preflight && r->ok && r->has_cache_seconds)
            fprintf(f, "cache: %lld\n", (long long)r->preflight_cache_seconds);
        written++;
        free(c.mem);
    }
    fclose(f);
    printf("test_simulate: %ld cases in %s\n", written, path);
    return written == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_property),
        cmocka_unit_test(test_check_needs_room),
        cmocka_unit_test(test_check_arguments_and_rules),
        cmocka_unit_test(test_check_reflect_rules),
    };
    if (argc == 4 && strcmp(argv[1], "--emit-cases") == 0)
        return emit_cases(atol(argv[2]), argv[3]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
