/* SPDX-License-Identifier: MIT */
/*
 * test_corpus.c - replay the behaviour corpus (tests/corpus/NAME.case, format in
 * tests/corpus/README.md) through libcors and compare every expected field.
 * Cases with `spec-expect:` lines are replayed a second time under
 * CORS_OPTION_STRICT and compared with the standard's answer. Redirect-chain
 * cases (`url:`, numbered blocks, `hops:`) go through cors_evaluate_chain
 * and their hop fields are compared with the report's hop reports.
 *
 * Prints one line per disagreement and ends with "corpus: N passed, N failed".
 * Cases with a `--- server` block (a policy text) instead of responses are
 * judged through cors_policy_check; the issues, the answer's status and lines
 * can be expected too (tests/corpus/README.md).
 *
 * The corpus directory is $CORS_CORPUS_DIR (default tests/corpus); a file
 * given as argument replays only that file. `--emit-server-blocks OUT FILE...`
 * also writes every server case of the files with the policy's answers as
 * raw `--- preflight` and `--- response` blocks, for real Chromium
 * (make check-browser-policy).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcors.h"

#define MAX_REQUEST_HEADERS 1024
#define MAX_HOPS 32
#define MAX_HOP_FIELDS 64

/* `field N: value` in an expect block: about hop N of a chain. */
typedef struct hop_field {
    char name[24];
    int hop;
    char value[2048];
} hop_field;
#define MAX_SERVER_EXPECT 16

typedef struct expect {
    char preflight[8], acr_method[512], acr_headers[2048], ok[8], failed_at[32], error[64];
    char readable[2048], cache[32], hops[16], failed_hop[16], final_url[2048];
    int has_readable, has_cache, has_final_url;
    char warnings[8][64];
    int warning_count;
    hop_field hop_fields[MAX_HOP_FIELDS];
    int hop_field_count;
} expect;

/* A `--- preflight N` or `--- response N` block: decoded bytes, NULL when absent. */
typedef struct block {
    char *bytes;
    size_t len;
    int raw; /* `--- response raw`: the exact bytes, nothing added */
} block;

typedef struct test_case {
    char name[128];
    const char *file;
    int line;
    int32_t rules;
    int strict;
    char origin[512], method[8192], credentials[32], url[2048];
    size_t body_len;
    int has_body, chain;
    char *headers_buf; /* decoded "name\0value\0" pairs */
    size_t header_count;
    cors_header headers[MAX_REQUEST_HEADERS];
    block preflight[MAX_HOPS], response[MAX_HOPS]; /* [0] is hop 1 */
    int hop_blocks;                                 /* highest hop with a block */
    block *open;                                    /* the block being read */
    int has_source, has_expect;
    expect want;
    char spec_keys[8][32], spec_values[8][512]; /* spec-expect overrides, applied to want */
    int spec_count;
    /* server cases */
    char *server;                 /* the policy text, NULL for a case with responses */
    size_t server_len;
    char *raw_request, *raw_expect; /* lines as written, for --emit-server-blocks */
    size_t raw_request_len, raw_expect_len;
    char issues[MAX_SERVER_EXPECT][80];
    int issue_count, compile_no, has_pre_lines, has_resp_lines;
    char pre_status[8];
    char pre_lines[MAX_SERVER_EXPECT][512], resp_lines[MAX_SERVER_EXPECT][512];
    int pre_line_count, resp_line_count;
} test_case;

static FILE *emit; /* --emit-server-blocks */

static int failures_in_case;

static void complain(const test_case *c, const char *field, const char *got, const char *want, const char *mode)
{
    printf("case %s (%s:%d)%s: %s: libcors=%s expected=%s\n", c->name, c->file, c->line, mode, field, got, want);
    failures_in_case++;
}

/* \xHH and \\ escapes; returns the decoded length. With out == NULL only counts. */
static size_t decode(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char b = in[i];
        if (in[i] == '\\' && i + 1 < n && in[i + 1] == '\\') {
            b = '\\';
            i++;
        } else if (in[i] == '\\' && i + 3 < n && in[i + 1] == 'x') {
            char hex[3] = {in[i + 2], in[i + 3], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0') {
                b = (char)v;
                i += 3;
            }
        }
        if (out != NULL)
            out[o] = b;
        o++;
    }
    return o;
}

/* Largest expansion of one \[N:TEXT] escape (as in tests/browser/run.mjs). */
#define MAX_REPEAT_BYTES ((size_t)4 << 20)

/* If in[i..n) starts a \[N:TEXT] escape, sets *count, the TEXT span and *end (one past
 * the closing bracket) and returns 1. TEXT may hold \xHH and \\ but no bare ']'. */
static int repeat_escape(const char *in, size_t n, size_t i, size_t *count, size_t *text, size_t *text_n,
                         size_t *end)
{
    size_t j = i + 2, c = 0;
    if (i + 2 >= n || in[i] != '\\' || in[i + 1] != '[')
        return 0;
    while (j < n && in[j] >= '0' && in[j] <= '9' && c <= MAX_REPEAT_BYTES)
        c = c * 10 + (size_t)(in[j++] - '0');
    if (j == i + 2 || j >= n || in[j] != ':')
        return 0;
    *text = ++j;
    while (j < n && in[j] != ']')
        j += in[j] == '\\' && j + 1 < n ? 2 : 1;
    if (j >= n)
        return 0;
    *count = c;
    *text_n = j - *text;
    *end = j + 1;
    return 1;
}

/* The escapes of a response block: those of decode() plus \[N:TEXT], TEXT decoded and
 * repeated N times. Returns the decoded length (SIZE_MAX when an expansion is too large);
 * with out == NULL only counts. */
static size_t decode_block(const char *in, size_t n, char *out)
{
    size_t o = 0, i = 0, start = 0;
    while (i < n) {
        size_t count, text, text_n, end;
        if (in[i] == '\\' && i + 1 < n && in[i + 1] == '\\') {
            i += 2; /* an escaped backslash never starts \[ */
            continue;
        }
        if (!repeat_escape(in, n, i, &count, &text, &text_n, &end)) {
            i++;
            continue;
        }
        o += decode(in + start, i - start, out ? out + o : NULL);
        {
            size_t unit = decode(in + text, text_n, NULL);
            if (unit != 0 && count > MAX_REPEAT_BYTES / unit)
                return SIZE_MAX;
            for (size_t k = 0; k < count; k++)
                o += decode(in + text, text_n, out ? out + o : NULL);
        }
        i = start = end;
    }
    return o + decode(in + start, n - start, out ? out + o : NULL);
}

static void copy_field(char *dst, size_t cap, const char *v)
{
    snprintf(dst, cap, "%s", v);
}

/* The hop fields libcors reports (the others are the browser suite's: content-type,
 * headers-sent). */
static int is_hop_field(const char *name)
{
    static const char *const known[] = {"url", "method", "origin-sent", "preflight", "acr-method",
                                        "acr-headers", "preflight-origin", "body-length"};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(name, known[i]) == 0)
            return 1;
    return 0;
}

static int set_expect(expect *e, const char *key, const char *v)
{
    const char *space = strchr(key, ' ');
    if (space != NULL) { /* `field N` */
        char *end;
        long hop = strtol(space + 1, &end, 10);
        hop_field *f;
        if (*end != '\0' || hop < 1 || hop > MAX_HOPS || (size_t)(space - key) >= sizeof(f->name))
            return -1;
        if (e->hop_field_count >= MAX_HOP_FIELDS)
            return -1;
        f = &e->hop_fields[e->hop_field_count];
        snprintf(f->name, sizeof(f->name), "%.*s", (int)(space - key), key);
        if (strcmp(f->name, "content-type") == 0 || strcmp(f->name, "headers-sent") == 0)
            return 0; /* what the browser suite checks; libcors does not model header bytes sent */
        if (!is_hop_field(f->name))
            return -1;
        f->hop = (int)hop;
        f->value[decode(v, strnlen(v, sizeof(f->value) - 1), f->value)] = '\0';
        e->hop_field_count++;
        return 0;
    }
    if (strcmp(key, "preflight") == 0)
        copy_field(e->preflight, sizeof(e->preflight), v);
    else if (strcmp(key, "acr-method") == 0)
        copy_field(e->acr_method, sizeof(e->acr_method), v);
    else if (strcmp(key, "acr-headers") == 0)
        copy_field(e->acr_headers, sizeof(e->acr_headers), v);
    else if (strcmp(key, "ok") == 0)
        copy_field(e->ok, sizeof(e->ok), v);
    else if (strcmp(key, "failed-at") == 0)
        copy_field(e->failed_at, sizeof(e->failed_at), v);
    else if (strcmp(key, "error") == 0)
        copy_field(e->error, sizeof(e->error), v);
    else if (strcmp(key, "readable") == 0) {
        copy_field(e->readable, sizeof(e->readable), v);
        e->has_readable = 1;
    } else if (strcmp(key, "status") == 0) {
        /* The status fetch() reports: the status line's, which the head tests cover; the
         * browser suite compares it with Chromium's and corscheck's. */
    } else if (strcmp(key, "hops") == 0) {
        copy_field(e->hops, sizeof(e->hops), v);
    } else if (strcmp(key, "failed-hop") == 0) {
        copy_field(e->failed_hop, sizeof(e->failed_hop), v);
    } else if (strcmp(key, "final-url") == 0) {
        copy_field(e->final_url, sizeof(e->final_url), v);
        e->has_final_url = 1;
    } else if (strcmp(key, "cache") == 0) {
        copy_field(e->cache, sizeof(e->cache), v);
        e->has_cache = 1;
    } else if (strcmp(key, "warning") == 0 && e->warning_count < 8)
        copy_field(e->warnings[e->warning_count++], 64, v);
    else
        return -1;
    return 0;
}

/* The keys only a server case has; 0 when the key is one of them. */
static int set_server_expect(test_case *c, const char *key, const char *v)
{
    if (strcmp(key, "issue") == 0 && c->issue_count < MAX_SERVER_EXPECT)
        copy_field(c->issues[c->issue_count++], sizeof(c->issues[0]), v);
    else if (strcmp(key, "compile") == 0)
        c->compile_no = strcmp(v, "no") == 0;
    else if (strcmp(key, "preflight-status") == 0)
        copy_field(c->pre_status, sizeof(c->pre_status), v);
    else if (strcmp(key, "preflight-header") == 0 && c->pre_line_count < MAX_SERVER_EXPECT) {
        c->has_pre_lines = 1;
        if (strcmp(v, "-") != 0)
            copy_field(c->pre_lines[c->pre_line_count++], sizeof(c->pre_lines[0]), v);
    } else if (strcmp(key, "response-header") == 0 && c->resp_line_count < MAX_SERVER_EXPECT) {
        c->has_resp_lines = 1;
        if (strcmp(v, "-") != 0)
            copy_field(c->resp_lines[c->resp_line_count++], sizeof(c->resp_lines[0]), v);
    } else
        return -1;
    return 0;
}

static void span_text(const cors_report *r, cors_span s, char *out, size_t cap)
{
    size_t n = s.length < cap - 1 ? s.length : cap - 1;
    memcpy(out, r->text + s.offset, n);
    out[n] = '\0';
}

static const cors_hop_report *hop_at(const cors_report *r, int hop)
{
    if (hop < 1 || (size_t)hop > r->hop_report_count || (size_t)hop > r->hop_reports_capacity)
        return NULL;
    return &r->hop_reports[hop - 1];
}

/* What the report says about hop N's requests, in the expect block's words. The actual
 * request went out when hop N's response came back (N <= hops). */
static void hop_value(const test_case *c, const cors_report *r, const char *name, int hop, char *out, size_t cap)
{
    const cors_hop_report *h = hop_at(r, hop);
    int actual = h != NULL && hop <= r->hops;
    if (h == NULL)
        snprintf(out, cap, "(not reached)");
    else if (strcmp(name, "url") == 0)
        span_text(r, h->url, out, cap);
    else if (strcmp(name, "preflight") == 0)
        snprintf(out, cap, "%s", h->preflight ? "yes" : "no");
    else if (strcmp(name, "acr-method") == 0 && h->preflight)
        span_text(r, h->acr_method, out, cap);
    else if (strcmp(name, "acr-headers") == 0 && h->preflight && h->has_acr_headers)
        span_text(r, h->acr_headers, out, cap);
    else if (strcmp(name, "preflight-origin") == 0 && h->preflight)
        span_text(r, h->origin, out, cap);
    else if (strcmp(name, "method") == 0 && actual)
        span_text(r, h->method, out, cap);
    else if (strcmp(name, "origin-sent") == 0 && actual && h->has_origin)
        span_text(r, h->origin, out, cap);
    else if (strcmp(name, "body-length") == 0 && actual)
        snprintf(out, cap, "%zu", h->body ? c->body_len : 0);
    else
        snprintf(out, cap, "-");
}

static void compare(const test_case *c, const expect *e, const cors_report *r, int32_t st, const char *mode)
{
    char got[16384];
    if (st != CORS_OK) {
        complain(c, "status", cors_status_name(st), "CORS_OK", mode);
        return;
    }
    if (r->needs != 0) {
        snprintf(got, sizeof(got), "needs 0x%x", (unsigned)r->needs);
        complain(c, "needs", got, "0", mode);
        return;
    }
    if (e->preflight[0] && strcmp(e->preflight, r->preflight ? "yes" : "no") != 0)
        complain(c, "preflight", r->preflight ? "yes" : "no", e->preflight, mode);
    if (e->acr_method[0]) {
        if (r->has_acr_method)
            span_text(r, r->acr_method, got, sizeof(got));
        else
            strcpy(got, "-");
        if (strcmp(got, e->acr_method) != 0)
            complain(c, "acr-method", got, e->acr_method, mode);
    }
    if (e->acr_headers[0]) {
        if (r->has_acr_headers)
            span_text(r, r->acr_headers, got, sizeof(got));
        else
            strcpy(got, "-");
        if (strcmp(got, e->acr_headers) != 0)
            complain(c, "acr-headers", got, e->acr_headers, mode);
    }
    if (e->ok[0] && strcmp(e->ok, r->ok ? "yes" : "no") != 0)
        complain(c, "ok", r->ok ? "yes" : "no", e->ok, mode);
    if (e->failed_at[0]) {
        const char *f = r->failed_at == CORS_STAGE_NONE ? "-" : cors_stage_name(r->failed_at);
        if (strcmp(f, e->failed_at) != 0)
            complain(c, "failed-at", f, e->failed_at, mode);
    }
    if (e->error[0]) {
        const char *k = r->kind == CORS_KIND_NONE ? "-" : cors_kind_name(r->kind);
        if (strcmp(k, e->error) != 0)
            complain(c, "error", k, e->error, mode);
    }
    if (e->has_readable) {
        size_t n = 0;
        got[0] = '\0';
        for (size_t i = 0; i < r->readable_count; i++) {
            cors_span s = r->readable[i];
            n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%.*s", i ? "," : "", (int)s.length, r->text + s.offset);
            if (n >= sizeof(got))
                break;
        }
        if (r->readable_count == 0)
            strcpy(got, "-");
        if (strcmp(got, e->readable) != 0)
            complain(c, "readable", got, e->readable, mode);
    }
    if (e->has_cache) {
        snprintf(got, sizeof(got), "%lld", (long long)(r->has_cache_seconds ? r->preflight_cache_seconds : 0));
        if (strcmp(got, e->cache) != 0)
            complain(c, "cache", got, e->cache, mode);
    }
    if (e->hops[0]) {
        snprintf(got, sizeof(got), "%d", (int)r->hops);
        if (strcmp(got, e->hops) != 0)
            complain(c, "hops", got, e->hops, mode);
    }
    if (e->failed_hop[0]) {
        if (r->failed_hop)
            snprintf(got, sizeof(got), "%d", (int)r->failed_hop);
        else
            strcpy(got, "-");
        if (strcmp(got, e->failed_hop) != 0)
            complain(c, "failed-hop", got, e->failed_hop, mode);
    }
    if (e->has_final_url && r->ok) {
        const cors_hop_report *h = hop_at(r, r->hops);
        if (h != NULL)
            span_text(r, h->url, got, sizeof(got));
        else
            strcpy(got, "(not reached)");
        if (strcmp(got, e->final_url) != 0)
            complain(c, "final-url", got, e->final_url, mode);
    }
    for (int i = 0; i < e->hop_field_count; i++) {
        const hop_field *f = &e->hop_fields[i];
        char field[48];
        hop_value(c, r, f->name, f->hop, got, sizeof(got));
        snprintf(field, sizeof(field), "%s %d", f->name, f->hop);
        if (strcmp(got, f->value) != 0)
            complain(c, field, got, f->value, mode);
    }
    for (int w = 0; w < e->warning_count; w++) {
        int found = 0;
        for (size_t i = 0; i < r->finding_count; i++)
            found |= r->findings[i].severity == CORS_SEVERITY_WARNING &&
                     strcmp(cors_finding_name(r->findings[i].code), e->warnings[w]) == 0;
        if (!found)
            complain(c, "warning", "(absent)", e->warnings[w], mode);
    }
}

/* A header array that grows to what a head needs (CORS_E_TOO_MANY_HEADERS says how much). */
typedef struct header_array {
    cors_header *h;
    size_t capacity;
} header_array;

static int parse_head(const test_case *c, const char *what, const char *raw, size_t len, header_array *a,
                      cors_response *resp)
{
    cors_error err;
    int32_t st;
    if (raw == NULL)
        return 0;
    for (;;) {
        cors_response_init(resp, sizeof(*resp));
        st = cors_response_parse(raw, len, 0, a->h, a->capacity, resp, &err);
        if (st != CORS_E_TOO_MANY_HEADERS)
            break;
        free(a->h);
        a->capacity = resp->header_total;
        a->h = malloc(a->capacity * sizeof(*a->h));
    }
    if (st != CORS_OK) {
        printf("case %s (%s:%d): %s block does not parse: %s at byte %zu\n", c->name, c->file, c->line, what,
               cors_status_name(st), err.offset);
        failures_in_case++;
        return -1;
    }
    return 1;
}

/* Evaluate with buffers grown until the answer is complete (CORS_NEED_ROOM). With a
 * policy, the responses are its answers (cors_policy_check); a chain case goes through
 * cors_evaluate_chain with hop reports lent, any other through cors_evaluate. */
static int32_t evaluate(const test_case *c, const cors_options *opts, const cors_request *req,
                        const cors_hop *hops, size_t hop_count, const cors_policy *policy, cors_report *report)
{
    static cors_finding *findings;
    static cors_span *readable;
    static char *text;
    static cors_hop_report hop_reports[MAX_HOPS];
    static size_t findings_cap = 4, readable_cap = 4, text_cap = 64;
    int32_t st;
    for (;;) {
        if (findings == NULL) {
            findings = malloc(findings_cap * sizeof(*findings));
            readable = malloc(readable_cap * sizeof(*readable));
            text = malloc(text_cap);
        }
        cors_report_init(report, sizeof(*report), findings, findings_cap, readable, readable_cap, text, text_cap);
        if (policy != NULL) {
            st = cors_policy_check(policy, opts, req, report, NULL);
        } else if (c->chain) {
            cors_report_lend_hops(report, hop_reports, MAX_HOPS);
            st = cors_evaluate_chain(opts, req, hops, hop_count, report, NULL);
        } else {
            st = cors_evaluate(opts, req, hops[0].preflight, hops[0].response, report, NULL);
        }
        if (st != CORS_OK || !(report->needs & CORS_NEED_ROOM))
            return st;
        /* the counts are what the whole answer takes */
        if (report->finding_count > findings_cap)
            findings_cap = report->finding_count;
        if (report->readable_count > readable_cap)
            readable_cap = report->readable_count;
        if (report->text_length > text_cap)
            text_cap = report->text_length;
        free(findings);
        free(readable);
        free(text);
        findings = NULL;
    }
}

/* ---- server cases: a policy instead of responses ---- */

static void format_line(const cors_emitted_header *h, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s: %.*s", (int)h->name.len, h->name.ptr, (int)h->value.len, h->value.ptr);
}

static void compare_lines(test_case *c, const char *what, const cors_answer *a, const cors_emitted_header *h,
                          char (*want)[512], int want_count)
{
    char got[512];
    for (size_t i = 0; i < a->header_count || i < (size_t)want_count; i++) {
        if (i < a->header_count)
            format_line(&h[i], got, sizeof(got));
        else
            strcpy(got, "(none)");
        if (i >= (size_t)want_count || strcmp(got, want[i]) != 0) {
            complain(c, what, got, i < (size_t)want_count ? want[i] : "(none)", "");
            return;
        }
    }
}

static void emit_block(const char *title, int32_t status, const cors_answer *a, const cors_emitted_header *h)
{
    char line[512];
    fprintf(emit, "--- %s\nHTTP/1.1 %d %s\n", title, (int)status,
            status == 204 ? "No Content" : status == 403 ? "Forbidden" : "OK");
    for (size_t i = 0; i < a->header_count; i++) {
        format_line(&h[i], line, sizeof(line));
        fprintf(emit, "%s\n", line);
    }
}

/* The policy's answers to the requests the report says the browser sends. */
static void answer_case(test_case *c, const cors_policy *p, const cors_request *req, const cors_report *r)
{
    static char acr[2][8192];
    cors_emitted_header pre_h[CORS_ANSWER_MAX_HEADERS], resp_h[CORS_ANSWER_MAX_HEADERS];
    cors_answer pre, resp;
    char status[16];
    span_text(r, r->acr_method, acr[0], sizeof(acr[0]));
    span_text(r, r->acr_headers, acr[1], sizeof(acr[1]));
    cors_header ask[3] = {{{"Origin", 6}, req->origin},
                          {{"Access-Control-Request-Method", 29}, {acr[0], strlen(acr[0])}},
                          {{"Access-Control-Request-Headers", 30}, {acr[1], strlen(acr[1])}}};
    cors_answer_init(&pre, sizeof(pre));
    cors_answer_init(&resp, sizeof(resp));
    if (r->preflight)
        cors_policy_answer(p, "OPTIONS", 7, ask, r->has_acr_headers ? 3 : 2, &pre, pre_h, CORS_ANSWER_MAX_HEADERS);
    cors_policy_answer(p, r->text + r->method.offset, r->method.length, ask, 1, &resp, resp_h,
                       CORS_ANSWER_MAX_HEADERS);
    if (c->pre_status[0]) {
        snprintf(status, sizeof(status), "%d", r->preflight ? (int)pre.status_code : 0);
        if (strcmp(status, c->pre_status) != 0)
            complain(c, "preflight-status", r->preflight ? status : "-", c->pre_status, "");
    }
    if (c->has_pre_lines)
        compare_lines(c, "preflight-header", &pre, pre_h, c->pre_lines, c->pre_line_count);
    if (c->has_resp_lines)
        compare_lines(c, "response-header", &resp, resp_h, c->resp_lines, c->resp_line_count);
    if (emit != NULL && c->rules == CORS_RULES_BROWSER && !c->strict && r->failed_at != CORS_STAGE_REQUEST) {
        fprintf(emit, "\n=== case: %s\n%.*s", c->name, (int)c->raw_request_len, c->raw_request);
        if (r->preflight)
            emit_block("preflight", pre.status_code, &pre, pre_h);
        emit_block("response", 200, &resp, resp_h);
        fprintf(emit, "--- expect\n%.*s", (int)c->raw_expect_len, c->raw_expect);
    }
}

/* Every issue the case expects ("name" or "name@line") is reported, and every error reported is expected. */
static void compare_issues(test_case *c, const cors_config_issue *is, size_t n)
{
    char got[96];
    for (int k = 0; k < c->issue_count; k++) {
        int found = 0;
        for (size_t i = 0; i < n && !found; i++) {
            snprintf(got, sizeof(got), "%s@%d", cors_config_issue_name(is[i].code), (int)is[i].line);
            found = strcmp(c->issues[k], got) == 0 || strcmp(c->issues[k], cors_config_issue_name(is[i].code)) == 0;
        }
        if (!found)
            complain(c, "issue", "(absent)", c->issues[k], "");
    }
    for (size_t i = 0; i < n; i++) {
        int expected = 0;
        if (is[i].severity != CORS_SEVERITY_ERROR)
            continue;
        for (int k = 0; k < c->issue_count; k++)
            expected |= strncmp(c->issues[k], cors_config_issue_name(is[i].code), strlen(cors_config_issue_name(is[i].code))) == 0;
        if (!expected) {
            snprintf(got, sizeof(got), "%s@%d", cors_config_issue_name(is[i].code), (int)is[i].line);
            complain(c, "issue", got, "(not expected)", "");
        }
    }
}

static void run_server_case(test_case *c, cors_options *opts, const cors_request *req)
{
    static cors_str items[4096];
    static cors_config_issue issues[256];
    cors_policy_config config;
    cors_report report;
    const cors_policy *policy;
    size_t n, count, needed;
    cors_error err;
    void *mem;
    int32_t st;

    cors_policy_config_init(&config, sizeof(config));
    st = cors_policy_parse(c->server, c->server_len, &config, items, 4096, &n, &err);
    if (st != CORS_OK) {
        printf("case %s (%s:%d): server block: %s at line %d byte %zu\n", c->name, c->file, c->line,
               cors_status_name(st), (int)err.line, err.offset);
        failures_in_case++;
        return;
    }
    st = cors_policy_validate(&config, issues, 256, &count);
    cors_policy_locate(c->server, c->server_len, issues, count < 256 ? count : 256);
    compare_issues(c, issues, count < 256 ? count : 256);
    if (c->compile_no || st != CORS_OK) {
        if (!c->compile_no || st == CORS_OK)
            complain(c, "compile", st == CORS_OK ? "yes" : "no", c->compile_no ? "no" : "yes", "");
        return;
    }
    cors_policy_compile(&config, NULL, 0, &needed, NULL);
    mem = malloc(needed);
    if (mem == NULL || cors_policy_compile(&config, mem, needed, &needed, &policy) != CORS_OK) {
        complain(c, "compile", "failed", "yes", "");
        free(mem);
        return;
    }
    st = evaluate(c, opts, req, NULL, 0, policy, &report);
    compare(c, &c->want, &report, st, "");
    if (st == CORS_OK)
        answer_case(c, policy, req, &report);
    if (c->spec_count > 0 && !c->strict) {
        expect spec = c->want;
        spec.warning_count = 0;
        for (int i = 0; i < c->spec_count; i++)
            set_expect(&spec, c->spec_keys[i], c->spec_values[i]);
        opts->flags = CORS_OPTION_STRICT;
        st = evaluate(c, opts, req, NULL, 0, policy, &report);
        compare(c, &spec, &report, st, " [strict]");
    }
    free(mem);
}

static void run_case(test_case *c)
{
    static header_array pre_headers[MAX_HOPS], resp_headers[MAX_HOPS];
    static cors_response pre[MAX_HOPS], resp[MAX_HOPS];
    cors_hop hops[MAX_HOPS];
    size_t hop_count = c->hop_blocks > 0 ? (size_t)c->hop_blocks : 1;
    cors_report report;
    cors_request req;
    cors_options opts;
    int32_t st;

    if (!c->has_source) {
        printf("case %s (%s:%d): no source: line\n", c->name, c->file, c->line);
        failures_in_case++;
    }
    if (!c->has_expect) {
        printf("case %s (%s:%d): no --- expect block\n", c->name, c->file, c->line);
        failures_in_case++;
        return;
    }
    if (c->chain && c->want.hops[0] == '\0') {
        printf("case %s (%s:%d): a chain case needs hops: in its expect block\n", c->name, c->file, c->line);
        failures_in_case++;
    }
    for (size_t i = 0; i < hop_count; i++) {
        char what[32];
        int has_pre, has_resp;
        snprintf(what, sizeof(what), "preflight %zu", i + 1);
        has_pre = parse_head(c, what, c->preflight[i].bytes, c->preflight[i].len, &pre_headers[i], &pre[i]);
        snprintf(what, sizeof(what), "response %zu", i + 1);
        has_resp = parse_head(c, what, c->response[i].bytes, c->response[i].len, &resp_headers[i], &resp[i]);
        if (has_pre < 0 || has_resp < 0)
            return;
        hops[i].preflight = has_pre ? &pre[i] : NULL;
        hops[i].response = has_resp ? &resp[i] : NULL;
    }

    cors_request_init(&req, sizeof(req));
    req.origin.ptr = c->origin;
    req.origin.len = strlen(c->origin);
    req.method.ptr = c->method[0] ? c->method : "GET";
    req.method.len = strlen(req.method.ptr);
    req.headers = c->headers;
    req.header_count = c->header_count;
    req.credentials = strcmp(c->credentials, "include") == 0 ? CORS_CREDENTIALS_INCLUDE
                      : strcmp(c->credentials, "omit") == 0  ? CORS_CREDENTIALS_OMIT
                                                             : CORS_CREDENTIALS_SAME_ORIGIN;
    req.body = c->has_body;
    req.url.ptr = c->url;
    req.url.len = strlen(c->url);
    cors_options_init(&opts, sizeof(opts));
    opts.rules = c->rules;
    opts.flags = c->strict ? CORS_OPTION_STRICT : 0;
    if (c->server != NULL) {
        run_server_case(c, &opts, &req);
        return;
    }
    st = evaluate(c, &opts, &req, hops, hop_count, NULL, &report);
    compare(c, &c->want, &report, st, "");
    if (c->spec_count > 0 && !c->strict) {
        /* The standard's answer: Chromium's, with the spec-expect fields replaced. */
        expect spec = c->want;
        spec.warning_count = 0;
        for (int i = 0; i < c->spec_count; i++)
            if (set_expect(&spec, c->spec_keys[i], c->spec_values[i]) != 0) {
                printf("case %s (%s:%d): unknown spec-expect key %s\n", c->name, c->file, c->line, c->spec_keys[i]);
                failures_in_case++;
            }
        opts.flags = CORS_OPTION_STRICT;
        st = evaluate(c, &opts, &req, hops, hop_count, NULL, &report);
        compare(c, &spec, &report, st, " [strict]");
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static void reset_case(test_case *c)
{
    free(c->headers_buf);
    for (int i = 0; i < MAX_HOPS; i++) {
        free(c->preflight[i].bytes);
        free(c->response[i].bytes);
    }
    free(c->server);
    free(c->raw_request);
    free(c->raw_expect);
    memset(c, 0, sizeof(*c));
}

/* Append one line of a block (decoded), followed by CRLF unless the block is raw. */
static void block_append(const test_case *c, block *b, const char *line, size_t n)
{
    size_t d = decode_block(line, n, NULL);
    if (d == SIZE_MAX) {
        printf("case %s (%s:%d): a \\[N:TEXT] escape expands past %zu bytes\n", c->name, c->file, c->line,
               MAX_REPEAT_BYTES);
        failures_in_case++;
        d = 0;
        n = 0;
    }
    b->bytes = realloc(b->bytes, b->len + d + 3);
    b->len += decode_block(line, n, b->bytes + b->len);
    if (!b->raw) {
        memcpy(b->bytes + b->len, "\r\n", 2);
        b->len += 2;
    }
}

enum section { NONE, REQUEST, BLOCK, SERVER, EXPECT };

/* Append one line verbatim with LF (the policy text, raw lines to re-emit). */
static void text_append(char **text, size_t *len, const char *line, size_t n)
{
    *text = realloc(*text, *len + n + 2);
    memcpy(*text + *len, line, n);
    (*text)[*len + n] = '\n';
    *len += n + 1;
}

/* End the head being read with its blank line (a raw block ends as written). */
static void end_block(test_case *c, enum section section)
{
    if (section == BLOCK && c->open != NULL)
        block_append(c, c->open, "", 0);
    c->open = NULL;
}

/* `--- preflight`, `--- response 2`, `--- response raw`, `--- preflight 3 raw`: opens
 * that block and returns 1; 0 for any other `---` line. */
static int open_block(test_case *c, const char *p, size_t n)
{
    char kind[16] = "", word[16] = "", extra[16] = "";
    char line[128];
    int hop = 1, fields;
    block *b;
    snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
    fields = sscanf(line, "--- %15s %15s %15s", kind, word, extra);
    if (strcmp(kind, "preflight") != 0 && strcmp(kind, "response") != 0)
        return 0;
    if (fields >= 2 && word[0] >= '0' && word[0] <= '9') {
        hop = atoi(word);
        c->chain = 1;
        memcpy(word, extra, sizeof(word));
    }
    if (hop < 1 || hop > MAX_HOPS) {
        printf("case %s (%s:%d): hop %d is past the %d hops this replay takes\n", c->name, c->file, c->line, hop,
               MAX_HOPS);
        failures_in_case++;
        hop = MAX_HOPS;
    }
    b = kind[0] == 'p' ? &c->preflight[hop - 1] : &c->response[hop - 1];
    if (b->bytes != NULL) {
        printf("case %s (%s:%d): a second block %.*s\n", c->name, c->file, c->line, (int)n, p);
        failures_in_case++;
        free(b->bytes);
    }
    memset(b, 0, sizeof(*b));
    b->raw = strcmp(word, "raw") == 0;
    b->bytes = malloc(1);
    c->open = b;
    if (hop > c->hop_blocks)
        c->hop_blocks = hop;
    return 1;
}

static void finish_case(test_case *c, enum section section, int *passed, int *failed)
{
    end_block(c, section);
    run_case(c);
    if (failures_in_case)
        (*failed)++;
    else
        (*passed)++;
}

static int run_file(const char *path, int *passed, int *failed)
{
    size_t len;
    char *text = read_file(path, &len);
    test_case c;
    enum section section = NONE;
    int line_no = 0;
    char *p, *next;

    if (text == NULL) {
        printf("case (file %s): cannot read\n", path);
        (*failed)++;
        return -1;
    }
    memset(&c, 0, sizeof(c));
    for (p = text; p != NULL && *p; p = next) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        next = nl ? nl + 1 : NULL;
        line_no++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n >= 9 && strncmp(p, "=== case:", 9) == 0) {
            if (section != NONE)
                finish_case(&c, section, passed, failed);
            reset_case(&c);
            failures_in_case = 0;
            c.file = path;
            c.line = line_no;
            c.rules = CORS_RULES_BROWSER;
            snprintf(c.name, sizeof(c.name), "%.*s", (int)(n - 9), p + 9);
            memmove(c.name, c.name + strspn(c.name, " "), strlen(c.name + strspn(c.name, " ")) + 1);
            c.headers_buf = malloc(len + 1);
            section = REQUEST;
            continue;
        }
        if (n >= 3 && strncmp(p, "---", 3) == 0) {
            end_block(&c, section);
            if (open_block(&c, p, n)) {
                section = BLOCK;
            } else if (n >= 10 && strncmp(p, "--- server", 10) == 0 && p[10 + strspn(p + 10, " \t")] <= '\r') {
                section = SERVER;
                if (c.server == NULL)
                    c.server = calloc(1, 1); /* an empty policy is a policy too */
            } else {
                section = EXPECT;
                c.has_expect = 1;
            }
            continue;
        }
        if (section == SERVER) {
            text_append(&c.server, &c.server_len, p, n);
            continue;
        }
        if (section == BLOCK) {
            if (n != 0)
                block_append(&c, c.open, p, n);
            continue;
        }
        if (section == NONE || n == 0 || p[0] == '#')
            continue;
        if (section == REQUEST)
            text_append(&c.raw_request, &c.raw_request_len, p, n);
        {
            char line[8192], *colon, *v;
            snprintf(line, sizeof(line), "%.*s", (int)n, p);
            colon = strchr(line, ':');
            if (colon == NULL)
                continue;
            *colon = '\0';
            v = colon + 1;
            v += strspn(v, " ");
            if (section == EXPECT) {
                if (set_server_expect(&c, line, v) == 0) {
                    /* a server-side key */
                } else if (set_expect(&c.want, line, v) != 0) {
                    printf("case %s (%s:%d): unknown expect key %s\n", c.name, path, line_no, line);
                    failures_in_case++;
                } else {
                    text_append(&c.raw_expect, &c.raw_expect_len, p, n);
                    if (strchr(line, ' ') || strcmp(line, "hops") == 0 || strcmp(line, "failed-hop") == 0)
                        c.chain = 1;
                }
            } else if (strcmp(line, "url") == 0) {
                copy_field(c.url, sizeof(c.url), v);
                c.chain = 1;
            } else if (strcmp(line, "body") == 0) {
                c.has_body = 1;
                c.body_len = decode(v, strlen(v), NULL);
            } else if (strcmp(line, "source") == 0) {
                c.has_source = 1;
            } else if (strcmp(line, "rules") == 0) {
                c.rules = cors_rules_from_name(v, strlen(v));
            } else if (strcmp(line, "origin") == 0) {
                copy_field(c.origin, sizeof(c.origin), v);
            } else if (strcmp(line, "method") == 0) {
                copy_field(c.method, sizeof(c.method), v);
            } else if (strcmp(line, "credentials") == 0) {
                copy_field(c.credentials, sizeof(c.credentials), v);
            } else if (strcmp(line, "strict") == 0) {
                c.strict = strcmp(v, "yes") == 0;
            } else if (strcmp(line, "spec-expect") == 0) {
                char *c2 = strchr(v, ':');
                if (c2 != NULL && c.spec_count < 8) {
                    *c2 = '\0';
                    c2++;
                    copy_field(c.spec_keys[c.spec_count], sizeof(c.spec_keys[0]), v);
                    copy_field(c.spec_values[c.spec_count], sizeof(c.spec_values[0]), c2 + strspn(c2, " "));
                    c.spec_count++;
                }
            } else if (strcmp(line, "header") == 0 && c.header_count < MAX_REQUEST_HEADERS) {
                /* raw "Name: value" after "header: ", decoded in place into headers_buf */
                const char *raw = p + (size_t)(v - line);
                size_t raw_n = n - (size_t)(v - line);
                const char *hc = memchr(raw, ':', raw_n);
                size_t used = 0;
                for (size_t k = 0; k < c.header_count; k++)
                    used = (size_t)(c.headers[k].value.ptr + c.headers[k].value.len - c.headers_buf);
                if (hc != NULL) {
                    cors_header *h = &c.headers[c.header_count++];
                    h->name.ptr = c.headers_buf + used;
                    h->name.len = decode(raw, (size_t)(hc - raw), c.headers_buf + used);
                    h->value.ptr = h->name.ptr + h->name.len;
                    h->value.len = decode(hc + 1, raw_n - (size_t)(hc - raw) - 1, (char *)h->value.ptr);
                }
            }
        }
    }
    if (section != NONE)
        finish_case(&c, section, passed, failed);
    reset_case(&c);
    free(text);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *dir = getenv("CORS_CORPUS_DIR");
    int passed = 0, failed = 0;
    char *files[512];
    size_t nfiles = 0;

    if (argc > 3 && strcmp(argv[1], "--emit-server-blocks") == 0) {
        emit = fopen(argv[2], "w");
        if (emit == NULL) {
            perror(argv[2]);
            return 2;
        }
        fprintf(emit, "# Generated by build/tests/test_corpus --emit-server-blocks from the corpus's server\n"
                      "# cases: each policy's answers, as cors_policy_answer sends them.\n");
        for (int i = 3; i < argc; i++)
            run_file(argv[i], &passed, &failed);
        fclose(emit);
    } else if (argc > 1) {
        for (int i = 1; i < argc; i++)
            run_file(argv[i], &passed, &failed);
    } else {
        DIR *d;
        struct dirent *e;
        if (dir == NULL)
            dir = "tests/corpus";
        d = opendir(dir);
        if (d == NULL) {
            printf("corpus: cannot open %s\ncorpus: 0 passed, 1 failed\n", dir);
            return 1;
        }
        while ((e = readdir(d)) != NULL && nfiles < 512) {
            size_t n = strlen(e->d_name);
            if (n > 5 && strcmp(e->d_name + n - 5, ".case") == 0) {
                files[nfiles] = malloc(strlen(dir) + n + 2);
                sprintf(files[nfiles++], "%s/%s", dir, e->d_name);
            }
        }
        closedir(d);
        qsort(files, nfiles, sizeof(files[0]), by_name);
        for (size_t i = 0; i < nfiles; i++) {
            run_file(files[i], &passed, &failed);
            free(files[i]);
        }
    }
    if (passed + failed == 0) {
        printf("corpus: no cases found\n");
        failed = 1;
    }
    printf("corpus: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
