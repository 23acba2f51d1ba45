/*
 * test_corpus.c - replay the behaviour corpus (tests/corpus/NAME.case, format in
 * tests/corpus/README.md) through libcors and compare every expected field.
 * Cases with `spec-expect:` lines are replayed a second time under
 * CORS_OPTION_STRICT and compared with the standard's answer.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcors.h"

#define MAX_LINE_FIELDS 64
#define MAX_RESPONSE_HEADERS 4096
#define MAX_REQUEST_HEADERS 1024
#define MAX_SERVER_EXPECT 16

typedef struct expect {
    char preflight[8], acr_method[512], acr_headers[2048], ok[8], failed_at[32], error[64];
    char readable[2048], cache[32];
    int has_readable, has_cache;
    char warnings[8][64];
    int warning_count;
} expect;

typedef struct test_case {
    char name[128];
    const char *file;
    int line;
    int32_t rules;
    int strict;
    char origin[512], method[8192], credentials[32];
    char *headers_buf; /* decoded "name\0value\0" pairs */
    size_t header_count;
    cors_header headers[MAX_REQUEST_HEADERS];
    char *preflight, *response; /* decoded raw heads, NULL when absent */
    size_t preflight_len, response_len;
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

/* \xHH and \\ escapes; returns the decoded length. */
static size_t decode(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '\\' && i + 1 < n && in[i + 1] == '\\') {
            out[o++] = '\\';
            i++;
        } else if (in[i] == '\\' && i + 3 < n && in[i + 1] == 'x') {
            char hex[3] = {in[i + 2], in[i + 3], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0') {
                out[o++] = (char)v;
                i += 3;
            } else {
                out[o++] = in[i];
            }
        } else {
            out[o++] = in[i];
        }
    }
    return o;
}

static void copy_field(char *dst, size_t cap, const char *v)
{
    snprintf(dst, cap, "%s", v);
}

static int set_expect(expect *e, const char *key, const char *v)
{
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
    for (int w = 0; w < e->warning_count; w++) {
        int found = 0;
        for (size_t i = 0; i < r->finding_count; i++)
            found |= r->findings[i].severity == CORS_SEVERITY_WARNING &&
                     strcmp(cors_finding_name(r->findings[i].code), e->warnings[w]) == 0;
        if (!found)
            complain(c, "warning", "(absent)", e->warnings[w], mode);
    }
}

static int parse_head(const test_case *c, const char *what, const char *raw, size_t len, cors_header *headers,
                      cors_response *resp)
{
    cors_error err;
    int32_t st;
    if (raw == NULL)
        return 0;
    cors_response_init(resp, sizeof(*resp));
    st = cors_response_parse(raw, len, 0, headers, MAX_RESPONSE_HEADERS, resp, &err);
    if (st != CORS_OK) {
        printf("case %s (%s:%d): %s block does not parse: %s at byte %zu\n", c->name, c->file, c->line, what,
               cors_status_name(st), err.offset);
        failures_in_case++;
        return -1;
    }
    return 1;
}

/* Evaluate with buffers grown until the answer is complete (CORS_NEED_ROOM); with a
 * policy, the responses are its answers (cors_policy_check). */
static int32_t evaluate(const cors_options *opts, const cors_request *req, const cors_response *pre,
                        const cors_response *resp, const cors_policy *policy, cors_report *report)
{
    static cors_finding *findings;
    static cors_span *readable;
    static char *text;
    static size_t findings_cap = 4, readable_cap = 4, text_cap = 64;
    int32_t st;
    for (;;) {
        if (findings == NULL) {
            findings = malloc(findings_cap * sizeof(*findings));
            readable = malloc(readable_cap * sizeof(*readable));
            text = malloc(text_cap);
        }
        cors_report_init(report, sizeof(*report), findings, findings_cap, readable, readable_cap, text, text_cap);
        st = policy ? cors_policy_check(policy, opts, req, report, NULL)
                    : cors_evaluate(opts, req, pre, resp, report, NULL);
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
    st = evaluate(opts, req, NULL, NULL, policy, &report);
    compare(c, &c->want, &report, st, "");
    if (st == CORS_OK)
        answer_case(c, policy, req, &report);
    if (c->spec_count > 0 && !c->strict) {
        expect spec = c->want;
        spec.warning_count = 0;
        for (int i = 0; i < c->spec_count; i++)
            set_expect(&spec, c->spec_keys[i], c->spec_values[i]);
        opts->flags = CORS_OPTION_STRICT;
        st = evaluate(opts, req, NULL, NULL, policy, &report);
        compare(c, &spec, &report, st, " [strict]");
    }
    free(mem);
}

static void run_case(test_case *c)
{
    static cors_header pre_headers[MAX_RESPONSE_HEADERS], resp_headers[MAX_RESPONSE_HEADERS];
    cors_report report;
    cors_response pre, resp;
    cors_request req;
    cors_options opts;
    int has_pre, has_resp;
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
    has_pre = parse_head(c, "preflight", c->preflight, c->preflight_len, pre_headers, &pre);
    has_resp = parse_head(c, "response", c->response, c->response_len, resp_headers, &resp);
    if (has_pre < 0 || has_resp < 0)
        return;

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
    cors_options_init(&opts, sizeof(opts));
    opts.rules = c->rules;
    opts.flags = c->strict ? CORS_OPTION_STRICT : 0;
    if (c->server != NULL) {
        run_server_case(c, &opts, &req);
        return;
    }
    st = evaluate(&opts, &req, has_pre ? &pre : NULL, has_resp ? &resp : NULL, NULL, &report);
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
        st = evaluate(&opts, &req, has_pre ? &pre : NULL, has_resp ? &resp : NULL, NULL, &report);
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
    free(c->preflight);
    free(c->response);
    free(c->server);
    free(c->raw_request);
    free(c->raw_expect);
    memset(c, 0, sizeof(*c));
}

/* Append one raw line (decoded) with CRLF to a block. */
static void block_append(char **block, size_t *len, const char *line, size_t n)
{
    *block = realloc(*block, *len + n + 3);
    *len += decode(line, n, *block + *len);
    memcpy(*block + *len, "\r\n", 2);
    *len += 2;
}

enum section { NONE, REQUEST, PREFLIGHT, RESPONSE, SERVER, EXPECT };

/* Append one line verbatim with LF (the policy text, raw lines to re-emit). */
static void text_append(char **text, size_t *len, const char *line, size_t n)
{
    *text = realloc(*text, *len + n + 2);
    memcpy(*text + *len, line, n);
    (*text)[*len + n] = '\n';
    *len += n + 1;
}

/* End the head being read with its blank line. */
static void end_block(test_case *c, enum section section)
{
    if (section == PREFLIGHT)
        block_append(&c->preflight, &c->preflight_len, "", 0);
    else if (section == RESPONSE)
        block_append(&c->response, &c->response_len, "", 0);
}

static void finish_case(test_case *c, enum section section, int *passed, int *failed)
{
    failures_in_case = 0;
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
            if (strstr(p, "server") && strstr(p, "server") < p + n) {
                section = SERVER;
                if (c.server == NULL)
                    c.server = calloc(1, 1); /* an empty policy is a policy too */
            } else if (strstr(p, "preflight") && strstr(p, "preflight") < p + n)
                section = PREFLIGHT;
            else if (strstr(p, "response") && strstr(p, "response") < p + n)
                section = RESPONSE;
            else {
                section = EXPECT;
                c.has_expect = 1;
            }
            continue;
        }
        if (section == SERVER) {
            text_append(&c.server, &c.server_len, p, n);
            continue;
        }
        if (section == PREFLIGHT || section == RESPONSE) {
            if (n == 0)
                continue;
            if (section == PREFLIGHT)
                block_append(&c.preflight, &c.preflight_len, p, n);
            else
                block_append(&c.response, &c.response_len, p, n);
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
                if (set_server_expect(&c, line, v) != 0) {
                    set_expect(&c.want, line, v);
                    text_append(&c.raw_expect, &c.raw_expect_len, p, n);
                }
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
