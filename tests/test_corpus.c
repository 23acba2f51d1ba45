/*
 * test_corpus.c - replay the behaviour corpus (tests/corpus/NAME.case, format in
 * tests/corpus/README.md) through libcors and compare every expected field.
 * Cases with `spec-expect:` lines are replayed a second time under
 * CORS_OPTION_STRICT and compared with the standard's answer.
 *
 * Redirect-chain cases (a `url:` key, numbered blocks such as `--- response 2`, or
 * `hops:` in the expect block) are not replayed yet: they are counted in a note.
 *
 * Prints one line per disagreement and ends with "corpus: N passed, N failed".
 * The corpus directory is $CORS_CORPUS_DIR (default tests/corpus); a file
 * given as argument replays only that file.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cors.h"

#define MAX_LINE_FIELDS 64
#define MAX_RESPONSE_HEADERS 4096

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
    cors_header headers[CORS_MAX_REQUEST_HEADERS];
    char *preflight, *response; /* decoded raw heads, NULL when absent */
    size_t preflight_len, response_len;
    int has_source, has_expect;
    int chain; /* a redirect-chain case: not replayed (see the comment at the top) */
    expect want;
    char spec_keys[8][32], spec_values[8][512]; /* spec-expect overrides, applied to want */
    int spec_count;
} test_case;

static int failures_in_case;
static int chain_cases;

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
        const char *k = r->error == CORS_KIND_NONE ? "-" : cors_kind_name(r->error);
        if (strcmp(k, e->error) != 0)
            complain(c, "error", k, e->error, mode);
    }
    if (e->has_readable) {
        size_t n = 0;
        got[0] = '\0';
        for (uint32_t i = 0; i < r->readable_count; i++) {
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
        for (uint32_t i = 0; i < r->finding_count; i++)
            found |= r->findings[i].severity == CORS_SEVERITY_WARNING &&
                     strcmp(cors_finding_name(r->findings[i].code), e->warnings[w]) == 0;
        if (!found)
            complain(c, "warning", "(absent)", e->warnings[w], mode);
    }
}

static int parse_head(const test_case *c, const char *what, const char *raw, size_t len, cors_header *headers,
                      cors_response *resp, cors_policy *policy)
{
    cors_error err;
    int32_t st;
    if (raw == NULL)
        return 0;
    st = cors_response_parse(raw, len, headers, MAX_RESPONSE_HEADERS, resp, &err);
    if (st != CORS_OK) {
        printf("case %s (%s:%d): %s block does not parse: %s at byte %zu\n", c->name, c->file, c->line, what,
               cors_status_name(st), err.offset);
        failures_in_case++;
        return -1;
    }
    cors_policy_init(policy);
    cors_policy_from_response(resp, policy);
    return 1;
}

static void run_case(test_case *c)
{
    static cors_header pre_headers[MAX_RESPONSE_HEADERS], resp_headers[MAX_RESPONSE_HEADERS];
    static cors_report report;
    cors_response pre, resp;
    cors_policy pre_policy, resp_policy;
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
    has_pre = parse_head(c, "preflight", c->preflight, c->preflight_len, pre_headers, &pre, &pre_policy);
    has_resp = parse_head(c, "response", c->response, c->response_len, resp_headers, &resp, &resp_policy);
    if (has_pre < 0 || has_resp < 0)
        return;

    cors_request_init(&req);
    req.origin.ptr = c->origin;
    req.origin.len = strlen(c->origin);
    req.method.ptr = c->method[0] ? c->method : "GET";
    req.method.len = strlen(req.method.ptr);
    req.headers = c->headers;
    req.header_count = c->header_count;
    req.credentials = strcmp(c->credentials, "include") == 0 ? CORS_CREDENTIALS_INCLUDE
                      : strcmp(c->credentials, "omit") == 0  ? CORS_CREDENTIALS_OMIT
                                                             : CORS_CREDENTIALS_SAME_ORIGIN;
    cors_options_init(&opts);
    opts.rules = c->rules;
    opts.flags = c->strict ? CORS_OPTION_STRICT : 0;
    cors_report_init(&report);
    st = cors_evaluate(&opts, &req, has_pre ? &pre_policy : NULL, has_resp ? &resp_policy : NULL, &report, NULL);
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
        cors_report_init(&report);
        st = cors_evaluate(&opts, &req, has_pre ? &pre_policy : NULL, has_resp ? &resp_policy : NULL, &report, NULL);
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

enum section { NONE, REQUEST, PREFLIGHT, RESPONSE, EXPECT, LATER_HOP };

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
    if (c->chain) {
        chain_cases++;
        return;
    }
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
            if (n > 3 && p[n - 1] >= '0' && p[n - 1] <= '9') { /* `--- response 2`: a later hop */
                section = LATER_HOP;
                c.chain = 1;
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
        if (section == LATER_HOP)
            continue;
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
                if (strcmp(line, "hops") == 0 || strcmp(line, "failed-hop") == 0)
                    c.chain = 1;
                set_expect(&c.want, line, v);
            } else if (strcmp(line, "url") == 0) {
                c.chain = 1;
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
            } else if (strcmp(line, "header") == 0 && c.header_count < CORS_MAX_REQUEST_HEADERS) {
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

    if (argc > 1) {
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
    if (chain_cases > 0)
        printf("note: %d redirect-chain case(s) not replayed (libcors does not replay chains yet)\n", chain_cases);
    printf("corpus: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
