/* SPDX-License-Identifier: MIT */
/*
 * test_config.c - lib/config.c and lib/issues.c: cors_policy_validate reports
 * every issue, each with its code, severity, field, index and offset, sorted.
 * The first two tables port jub0bs/cors config_test.go (TestConfig: configs
 * it accepts; invalidConfigTestCases: what it refuses) as facts, with the
 * issues libcors reports for them; the third covers every issue code.
 * Deliberate differences from jub0bs are marked "libcors:".
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#include "server.h" /* cors__issue_severity */

#define MAXN 16

typedef struct want {
    int32_t code;     /* 0 ends the list */
    int32_t field;
    size_t index;
    size_t offset;
} want;

typedef struct config_row {
    const char *desc;
    int32_t mode;
    uint32_t flags;
    const char *origins[MAXN];          /* NULL ends each list */
    const char *methods[MAXN];
    const char *request_headers[MAXN];
    const char *expose_headers[MAXN];
    int32_t max_age;
    int32_t preflight_status;
    int32_t status;                     /* CORS_OK or CORS_E_CONFIG */
    want issues[MAXN];
} config_row;

#define CRED CORS_POLICY_CREDENTIALS
#define F_ORIGINS CORS_FIELD_ORIGINS
#define F_MODE CORS_FIELD_ORIGIN_MODE
#define F_METHODS CORS_FIELD_METHODS
#define F_RH CORS_FIELD_REQUEST_HEADERS
#define F_EH CORS_FIELD_EXPOSE_HEADERS
#define F_MAX_AGE CORS_FIELD_MAX_AGE
#define F_STATUS CORS_FIELD_PREFLIGHT_STATUS
#define F_FLAGS CORS_FIELD_FLAGS

/* jub0bs TestConfig: accepted configs. */
static const config_row accepted[] = {
    {.desc = "anonymous allow all", .origins = {"*"}, .methods = {"*"},
     .request_headers = {"authoriZation", "*", "Authorization"}, .expose_headers = {"*"}},
    {.desc = "anonymous allow all but not Authorization request header", .origins = {"*"}, .methods = {"*"},
     .request_headers = {"*"}, .expose_headers = {"*"},
     .issues = {{CORS_ISSUE_REQUEST_HEADERS_WILDCARD_AUTHORIZATION, F_RH, 0, 0}}},
    {.desc = "discrete methods discrete headers zero max age", .origins = {"https://example.com", "https://example.com"},
     .request_headers = {"x-foO", "x-Bar", "authoRizaTion", "Authorization"}, .max_age = -1,
     .expose_headers = {"x-FOO", "X-baR", "x-foo"}},
    {.desc = "credentialed all req headers",
     .origins = {"http://example.com", "https://*.example.com:8080", "https://*.foo.example.com:8080"},
     .flags = CRED | CORS_POLICY_DANGER_INSECURE_ORIGINS, .methods = {"POST", "PUT", "DELETE", "GET"},
     .request_headers = {"*"}, .max_age = 86400, .expose_headers = {"x-FOO", "X-baR", "x-foo"},
     .issues = {{CORS_ISSUE_ORIGIN_INSECURE_TOLERATED, F_ORIGINS, 0, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 0, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 3, 0},
                {CORS_ISSUE_MAX_AGE_ABOVE_CHROMIUM_CAP, F_MAX_AGE, 0, 0}}},
    {.desc = "discrete origin patterns in addition to wildcard",
     .origins = {"http://example.com", "http://example.com", "https://*.example.com", "https://*.example.com", "*",
                 "*"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_ORIGINS, 0, 0},
                {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_ORIGINS, 1, 0},
                {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_ORIGINS, 2, 0},
                {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_ORIGINS, 3, 0}}},
    {.desc = "safelisted response-header names", .origins = {"http://example.com"},
     .expose_headers = {"Cache-Control", "content-Language", "content-lEngth", "content-typE", "expireS",
                        "lasT-modified", "prAgmA", "X-Foo"},
     .issues = {{CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 0, 0}, {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 1, 0},
                {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 2, 0}, {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 3, 0},
                {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 4, 0}, {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 5, 0},
                {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 6, 0}}},
    {.desc = "discrete methods in addition to wildcard", .origins = {"http://example.com"},
     .methods = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "*", "*"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_METHODS, 0, 0}, {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 1, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 2, 0}, {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_METHODS, 3, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 4, 0}, {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_METHODS, 5, 0},
                {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_METHODS, 6, 0}}},
    /* libcors: jub0bs keeps getaway, headstrong, postal silently; they match only that spelling */
    {.desc = "browser-normalized methods", .origins = {"http://example.com"},
     .methods = {"Get", "get", "gET", "Head", "head", "hEAD", "Post", "post", "pOST", "getaway", "headstrong",
                 "postal"},
     .issues = {{CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 0, 0}, {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 1, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 2, 0}, {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 3, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 4, 0}, {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 5, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 6, 0}, {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 7, 0},
                {CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 8, 0}, {CORS_ISSUE_METHOD_CASE, F_METHODS, 9, 0},
                {CORS_ISSUE_METHOD_CASE, F_METHODS, 10, 0}, {CORS_ISSUE_METHOD_CASE, F_METHODS, 11, 0}}},
    {.desc = "discrete request-header names in addition to wildcard (anonymous)", .origins = {"http://example.com"},
     .request_headers = {"Authorization", "X-Api-Key", "*", "*", "AuthorizatioN"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 1, 0}}},
    {.desc = "discrete request-header names in addition to wildcard (credentialed)", .origins = {"https://example.com"},
     .flags = CRED, .request_headers = {"Authorization", "X-Api-Key", "*", "*", "AuthorizatioN"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 0, 0}, {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 1, 0},
                {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 4, 0}}},
    {.desc = "discrete response-header names in addition to wildcard", .origins = {"http://example.com"},
     .expose_headers = {"X-Foo", "X-Bar", "*", "*"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_EH, 0, 0}, {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_EH, 1, 0}}},
    {.desc = "max age with no possible preflight", .origins = {"http://example.com"}, .max_age = 10},
    /* libcors: the danger flag changes nothing without credentials, and says so */
    {.desc = "wildcard pattern encompassing subdomains of a public suffix", .origins = {"https://*.com"},
     .flags = CORS_POLICY_DANGER_PUBLIC_SUFFIX, .issues = {{CORS_ISSUE_DANGER_UNUSED, F_FLAGS, 9, 0}}},
    {.desc = "many origins",
     .origins = {"https://bat", "https://cat", "https://fat", "https://hat", "https://meerkat", "https://mat",
                 "https://oat", "https://pat", "https://rat", "https://sat"}},
};

/* jub0bs invalidConfigTestCases: refused configs. */
static const config_row refused[] = {
    {.desc = "no origin pattern specified", .issues = {{CORS_ISSUE_ORIGINS_MISSING, F_ORIGINS, 0, 0}}},
    {.desc = "null origin", .origins = {"null"}, .issues = {{CORS_ISSUE_ORIGIN_NULL, F_ORIGINS, 0, 0}}},
    {.desc = "invalid origin pattern", .origins = {"http://example.com:6060/path"},
     .issues = {{CORS_ISSUE_ORIGIN_INVALID, F_ORIGINS, 0, 23}}},
    {.desc = "empty method name", .origins = {"https://example.com"}, .methods = {""},
     .issues = {{CORS_ISSUE_METHOD_INVALID, F_METHODS, 0, 0}}},
    {.desc = "invalid method name", .origins = {"https://example.com"}, .methods = {"r\xc3\xa9sum\xc3\xa9"},
     .issues = {{CORS_ISSUE_METHOD_INVALID, F_METHODS, 0, 1}}},
    {.desc = "forbidden method name", .origins = {"https://example.com"}, .methods = {"GET", "CONNECT"},
     .issues = {{CORS_ISSUE_METHOD_SAFELISTED, F_METHODS, 0, 0}, {CORS_ISSUE_METHOD_FORBIDDEN, F_METHODS, 1, 0}}},
    {.desc = "empty request-header name", .origins = {"https://example.com"}, .request_headers = {""},
     .issues = {{CORS_ISSUE_REQUEST_HEADER_INVALID, F_RH, 0, 0}}},
    {.desc = "invalid request-header name", .origins = {"https://example.com"},
     .request_headers = {"r\xc3\xa9sum\xc3\xa9"}, .issues = {{CORS_ISSUE_REQUEST_HEADER_INVALID, F_RH, 0, 1}}},
    {.desc = "forbidden request-header name", .origins = {"https://example.com"}, .request_headers = {"Connection"},
     .issues = {{CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, F_RH, 0, 0}}},
    {.desc = "forbidden request-header name with Sec- prefix", .origins = {"https://example.com"},
     .request_headers = {"Sec-Foo"}, .issues = {{CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, F_RH, 0, 0}}},
    {.desc = "forbidden request-header name with Proxy- prefix", .origins = {"https://example.com"},
     .request_headers = {"Proxy-Foo"}, .issues = {{CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, F_RH, 0, 0}}},
    {.desc = "prohibited request-header name", .origins = {"https://example.com"},
     .request_headers = {"Access-Control-Allow-Origin"},
     .issues = {{CORS_ISSUE_REQUEST_HEADER_PROHIBITED, F_RH, 0, 0}}},
    {.desc = "max age less than -1", .origins = {"https://example.com"},
     .request_headers = {"Content-Type", "Authorization"}, .max_age = -2,
     .issues = {{CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS, F_MAX_AGE, 0, 0}}},
    {.desc = "max age exceeds upper bound", .origins = {"https://example.com"},
     .request_headers = {"Content-Type", "Authorization"}, .max_age = 86401,
     .issues = {{CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS, F_MAX_AGE, 0, 0}}},
    {.desc = "empty response-header name", .origins = {"https://example.com"}, .expose_headers = {""},
     .issues = {{CORS_ISSUE_EXPOSE_HEADER_INVALID, F_EH, 0, 0}}},
    {.desc = "invalid response-header name", .origins = {"https://example.com"},
     .expose_headers = {"r\xc3\xa9sum\xc3\xa9"}, .issues = {{CORS_ISSUE_EXPOSE_HEADER_INVALID, F_EH, 0, 1}}},
    /* libcors: a warning, not an error: exposing Set-Cookie is useless, not harmful */
    {.desc = "forbidden response-header name", .origins = {"https://example.com"}, .expose_headers = {"Set-Cookie"},
     .status = CORS_OK, .issues = {{CORS_ISSUE_EXPOSE_HEADER_SET_COOKIE, F_EH, 0, 0}}},
    {.desc = "prohibited response-header name", .origins = {"https://example.com"},
     .expose_headers = {"Access-Control-Request-Method"},
     .issues = {{CORS_ISSUE_EXPOSE_HEADER_PROHIBITED, F_EH, 0, 0}}},
    {.desc = "wildcard origin with Credentialed", .origins = {"*"}, .flags = CRED,
     .issues = {{CORS_ISSUE_ORIGIN_WILDCARD_CREDENTIALS, F_ORIGINS, 0, 0}}},
    {.desc = "insecure origin with Credentialed without DangerouslyTolerateInsecureOrigins",
     .origins = {"http://example.com:6060", "http://*.example.com:6060"}, .flags = CRED,
     .issues = {{CORS_ISSUE_ORIGIN_INSECURE_CREDENTIALS, F_ORIGINS, 0, 0},
                {CORS_ISSUE_ORIGIN_INSECURE_CREDENTIALS, F_ORIGINS, 1, 0}}},
    {.desc = "subdomains of a public suffix with Credentialed", .origins = {"https://*.com"}, .flags = CRED,
     .issues = {{CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_CREDENTIALS, F_ORIGINS, 0, 0}}},
    {.desc = "wildcard response-header name with Credentialed", .origins = {"https://example.com"}, .flags = CRED,
     .expose_headers = {"*"}, .issues = {{CORS_ISSUE_EXPOSE_WILDCARD_CREDENTIALS, F_EH, 0, 0}}},
    {.desc = "multiple configuration issues", .origins = {"http://example.com", "https://example.com/"},
     .methods = {"CONNECT", "r\xc3\xa9sum\xc3\xa9"}, .request_headers = {"r\xc3\xa9sum\xc3\xa9", "Access-Control-Allow-Origin"},
     .max_age = 86401,
     .issues = {{CORS_ISSUE_ORIGIN_INVALID, F_ORIGINS, 1, 19}, {CORS_ISSUE_METHOD_FORBIDDEN, F_METHODS, 0, 0},
                {CORS_ISSUE_METHOD_INVALID, F_METHODS, 1, 1}, {CORS_ISSUE_REQUEST_HEADER_INVALID, F_RH, 0, 1},
                {CORS_ISSUE_REQUEST_HEADER_PROHIBITED, F_RH, 1, 0}, {CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS, F_MAX_AGE, 0, 0}}},
};

/* Every issue code, with the field and element it names. */
static const config_row libcors_rows[] = {
    {.desc = "not serialized", .origins = {"https://App.example"},
     .issues = {{CORS_ISSUE_ORIGIN_NOT_SERIALIZED, F_ORIGINS, 0, 8}}},
    {.desc = "file origin", .origins = {"https://ok.example", "file:///etc"},
     .issues = {{CORS_ISSUE_ORIGIN_FILE, F_ORIGINS, 1, 0}}},
    {.desc = "public suffix tolerated", .origins = {"https://*.github.io"},
     .flags = CRED | CORS_POLICY_DANGER_PUBLIC_SUFFIX, .status = CORS_OK,
     .issues = {{CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_TOLERATED, F_ORIGINS, 0, 0}}},
    {.desc = "insecure without credentials is fine", .origins = {"http://example.com", "https://*.com"}},
    {.desc = "loopback and localhost are secure", .origins = {"http://127.0.0.1:8080", "http://[::1]", "http://localhost:*"},
     .flags = CRED},
    {.desc = "origins beside reflect", .mode = CORS_ORIGINS_REFLECT, .origins = {"https://a.example"},
     .issues = {{CORS_ISSUE_ORIGINS_WITH_REFLECT, F_ORIGINS, 0, 0},
                {CORS_ISSUE_REFLECT_WITHOUT_CREDENTIALS, F_MODE, 0, 0}}},
    {.desc = "reflect without credentials", .mode = CORS_ORIGINS_REFLECT, .status = CORS_OK,
     .issues = {{CORS_ISSUE_REFLECT_WITHOUT_CREDENTIALS, F_MODE, 0, 0}}},
    {.desc = "reflect with credentials", .mode = CORS_ORIGINS_REFLECT, .flags = CRED,
     .issues = {{CORS_ISSUE_REFLECT_CREDENTIALS, F_MODE, 0, 0}}},
    {.desc = "reflect with credentials, tolerated", .mode = CORS_ORIGINS_REFLECT,
     .flags = CRED | CORS_POLICY_DANGER_REFLECT_CREDENTIALS, .status = CORS_OK,
     .issues = {{CORS_ISSUE_REFLECT_CREDENTIALS_TOLERATED, F_MODE, 0, 0}}},
    {.desc = "method spellings", .origins = {"https://a.example"},
     .methods = {"put", "Delete", "options", "patch", "OPTIONS", "PATCH", "PURGE", "x-Custom"}, .status = CORS_OK,
     .issues = {{CORS_ISSUE_METHOD_NEVER_SENT, F_METHODS, 0, 0}, {CORS_ISSUE_METHOD_NEVER_SENT, F_METHODS, 1, 0},
                {CORS_ISSUE_METHOD_NEVER_SENT, F_METHODS, 2, 0}, {CORS_ISSUE_METHOD_CASE, F_METHODS, 3, 0},
                {CORS_ISSUE_METHOD_OPTIONS, F_METHODS, 4, 0}, {CORS_ISSUE_METHOD_CASE, F_METHODS, 7, 0}}},
    {.desc = "forbidden methods in any case", .origins = {"https://a.example"}, .methods = {"trace", "Track"},
     .issues = {{CORS_ISSUE_METHOD_FORBIDDEN, F_METHODS, 0, 0}, {CORS_ISSUE_METHOD_FORBIDDEN, F_METHODS, 1, 0}}},
    {.desc = "request headers: forbidden, prohibited, fine", .origins = {"https://a.example"},
     .request_headers = {"Cookie", "Access-Control-Max-Age", "X-HTTP-Method-Override", "User-Agent", "Content-Type",
                         "bad name"},
     .issues = {{CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, F_RH, 0, 0}, {CORS_ISSUE_REQUEST_HEADER_PROHIBITED, F_RH, 1, 0},
                {CORS_ISSUE_REQUEST_HEADER_INVALID, F_RH, 5, 3}}},
    {.desc = "wildcard request headers after others", .origins = {"https://a.example"},
     .request_headers = {"X-A", "X-B", "*"},
     .issues = {{CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 0, 0}, {CORS_ISSUE_REDUNDANT_WITH_WILDCARD, F_RH, 1, 0},
                {CORS_ISSUE_REQUEST_HEADERS_WILDCARD_AUTHORIZATION, F_RH, 2, 0}}},
    {.desc = "exposed headers", .origins = {"https://a.example"},
     .expose_headers = {"X-Request-Id", "Set-Cookie2", "Origin", "Content-Type", "x;y"},
     .issues = {{CORS_ISSUE_EXPOSE_HEADER_SET_COOKIE, F_EH, 1, 0}, {CORS_ISSUE_EXPOSE_HEADER_PROHIBITED, F_EH, 2, 0},
                {CORS_ISSUE_EXPOSE_HEADER_SAFELISTED, F_EH, 3, 0}, {CORS_ISSUE_EXPOSE_HEADER_INVALID, F_EH, 4, 1}}},
    {.desc = "max age at Chromium's cap", .origins = {"https://a.example"}, .max_age = 7200},
    {.desc = "max age above Chromium's cap", .origins = {"https://a.example"}, .max_age = 7201, .status = CORS_OK,
     .issues = {{CORS_ISSUE_MAX_AGE_ABOVE_CHROMIUM_CAP, F_MAX_AGE, 0, 0}}},
    {.desc = "preflight status 200 and 299", .origins = {"https://a.example"}, .preflight_status = 299},
    {.desc = "preflight status 199", .origins = {"https://a.example"}, .preflight_status = 199,
     .issues = {{CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS, F_STATUS, 0, 0}}},
    {.desc = "preflight status 300", .origins = {"https://a.example"}, .preflight_status = 300,
     .issues = {{CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS, F_STATUS, 0, 0}}},
    {.desc = "debug and unused danger flags", .origins = {"https://a.example"},
     .flags = CORS_POLICY_DEBUG | CORS_POLICY_DANGER_INSECURE_ORIGINS | CORS_POLICY_DANGER_PUBLIC_SUFFIX |
              CORS_POLICY_DANGER_REFLECT_CREDENTIALS | CORS_POLICY_VARY_PREFLIGHT,
     .status = CORS_OK,
     .issues = {{CORS_ISSUE_DEBUG_ON, F_FLAGS, 2, 0}, {CORS_ISSUE_DANGER_UNUSED, F_FLAGS, 8, 0},
                {CORS_ISSUE_DANGER_UNUSED, F_FLAGS, 9, 0}, {CORS_ISSUE_DANGER_UNUSED, F_FLAGS, 10, 0}}},
    {.desc = "every field at once, in field order", .origins = {"null"}, .mode = CORS_ORIGINS_LIST, .flags = CRED,
     .methods = {"CONNECT"}, .request_headers = {"Host"}, .expose_headers = {"*"}, .max_age = -5,
     .preflight_status = 500,
     .issues = {{CORS_ISSUE_ORIGIN_NULL, F_ORIGINS, 0, 0}, {CORS_ISSUE_METHOD_FORBIDDEN, F_METHODS, 0, 0},
                {CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, F_RH, 0, 0},
                {CORS_ISSUE_EXPOSE_WILDCARD_CREDENTIALS, F_EH, 0, 0},
                {CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS, F_MAX_AGE, 0, 0},
                {CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS, F_STATUS, 0, 0}}},
};

typedef struct built {
    cors_str origins[MAXN], methods[MAXN], request_headers[MAXN], expose_headers[MAXN];
    cors_policy_config config;
} built;

static size_t fill(cors_str *out, const char *const *in)
{
    size_t n = 0;
    while (n < MAXN && in[n] != NULL) {
        out[n] = str_z(in[n]);
        n++;
    }
    return n;
}

static void build(const config_row *row, built *b)
{
    cors_policy_config_init(&b->config, sizeof(b->config));
    b->config.origin_mode = row->mode;
    b->config.flags = row->flags;
    b->config.origin_count = fill(b->origins, row->origins);
    b->config.origins = b->config.origin_count ? b->origins : NULL;
    b->config.method_count = fill(b->methods, row->methods);
    b->config.methods = b->methods;
    b->config.request_header_count = fill(b->request_headers, row->request_headers);
    b->config.request_headers = b->request_headers;
    b->config.expose_header_count = fill(b->expose_headers, row->expose_headers);
    b->config.expose_headers = b->expose_headers;
    b->config.max_age = row->max_age;
    b->config.preflight_status = row->preflight_status;
}

/* Rows expecting an error-severity issue get CORS_E_CONFIG unless they say otherwise. */
static int32_t expected_status(const config_row *row)
{
    if (row->status != 0)
        return row->status;
    for (size_t i = 0; i < MAXN && row->issues[i].code != 0; i++)
        if (cors__issue_severity(row->issues[i].code) == CORS_SEVERITY_ERROR)
            return CORS_E_CONFIG;
    return CORS_OK;
}

static int check_rows(const config_row *rows, size_t n)
{
    int failures = 0;
    for (size_t r = 0; r < n; r++) {
        const config_row *row = &rows[r];
        static built b;
        cors_config_issue got[MAXN + 4];
        size_t count, want_count = 0;
        int32_t st;
        build(row, &b);
        memset(got, 0xab, sizeof(got));
        st = cors_policy_validate(&b.config, got, COUNT(got), &count);
        while (want_count < MAXN && row->issues[want_count].code != 0)
            want_count++;
        bool same = st == expected_status(row) && count == want_count;
        for (size_t i = 0; same && i < count; i++) {
            const want *w = &row->issues[i];
            same = got[i].code == w->code && got[i].field == w->field && got[i].index == w->index &&
                   got[i].offset == w->offset && got[i].line == 0 &&
                   got[i].severity == cors__issue_severity(w->code);
        }
        if (!same) {
            failures++;
            print_message("  %s: %s, %zu issues:\n", row->desc, cors_status_name(st), count);
            for (size_t i = 0; i < count && i < COUNT(got); i++)
                print_message("    %s %s[%zu] @%zu\n", cors_config_issue_name(got[i].code),
                              cors_field_name(got[i].field), got[i].index, got[i].offset);
        }
    }
    return failures;
}

static void test_jub0bs_accepted(void **state)
{
    (void)state;
    assert_int_equal(check_rows(accepted, COUNT(accepted)), 0);
}

static void test_jub0bs_refused(void **state)
{
    (void)state;
    assert_int_equal(check_rows(refused, COUNT(refused)), 0);
}

static void test_every_issue(void **state)
{
    (void)state;
    assert_int_equal(check_rows(libcors_rows, COUNT(libcors_rows)), 0);
}

/* Every code appears in some row. */
static void test_rows_cover_every_code(void **state)
{
    const config_row *tables[] = {accepted, refused, libcors_rows};
    size_t sizes[] = {COUNT(accepted), COUNT(refused), COUNT(libcors_rows)};
    (void)state;
    for (int32_t code = 1; code <= cors_config_issue_count(); code++) {
        bool seen = false;
        for (size_t t = 0; t < 3 && !seen; t++)
            for (size_t r = 0; r < sizes[t] && !seen; r++)
                for (size_t i = 0; i < MAXN && tables[t][r].issues[i].code != 0; i++)
                    seen |= tables[t][r].issues[i].code == code;
        if (!seen)
            fail_msg("no row reports %s", cors_config_issue_name(code));
    }
}

static void test_capacity_and_count(void **state)
{
    static built b;
    cors_config_issue got[2];
    size_t count = 99;
    (void)state;
    build(&refused[COUNT(refused) - 1], &b); /* six issues */
    memset(got, 0, sizeof(got));
    assert_int_equal(cors_policy_validate(&b.config, got, 2, &count), CORS_E_CONFIG);
    assert_int_equal(count, 6);
    assert_int_equal(got[0].code, CORS_ISSUE_ORIGIN_INVALID);
    assert_int_equal(got[1].code, CORS_ISSUE_METHOD_FORBIDDEN);
    /* no room at all: still the count and the verdict */
    assert_int_equal(cors_policy_validate(&b.config, NULL, 5, &count), CORS_E_CONFIG);
    assert_int_equal(count, 6);
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_CONFIG);
}

static void test_arguments(void **state)
{
    static built b;
    size_t count = 7;
    cors_str bad[1] = {{NULL, 3}};
    (void)state;
    build(&accepted[0], &b);
    assert_int_equal(cors_policy_validate(NULL, NULL, 0, &count), CORS_E_ARGUMENT);
    assert_int_equal(count, 0);
    b.config.struct_size = sizeof(size_t);
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
    build(&accepted[0], &b);
    b.config.flags = CORS_POLICY_PRIVATE_NETWORK_RESERVED; /* reserved: Chromium 156 sends no PNA preflight */
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
    b.config.flags = 0x80000000u;
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
    build(&accepted[0], &b);
    b.config.origin_mode = 7;
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
    build(&accepted[0], &b);
    b.config.methods = NULL;
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
    build(&accepted[0], &b);
    b.config.expose_headers = bad;
    b.config.expose_header_count = 1;
    assert_int_equal(cors_policy_validate(&b.config, NULL, 0, NULL), CORS_E_ARGUMENT);
}

/* A struct from a newer libcors.h (larger) and one of the first layout (0.2.0) both work. */
static void test_struct_size(void **state)
{
    struct {
        cors_policy_config c;
        char more[64];
    } bigger;
    cors_str o = STR("https://a.example");
    (void)state;
    memset(&bigger, 0, sizeof(bigger));
    bigger.c.struct_size = sizeof(bigger);
    bigger.c.origins = &o;
    bigger.c.origin_count = 1;
    assert_int_equal(cors_policy_validate(&bigger.c, NULL, 0, NULL), CORS_OK);
    bigger.c.struct_size = offsetof(cors_policy_config, preflight_status) + sizeof(int32_t);
    assert_int_equal(cors_policy_validate(&bigger.c, NULL, 0, NULL), CORS_OK);
    bigger.c.struct_size -= 1;
    assert_int_equal(cors_policy_validate(&bigger.c, NULL, 0, NULL), CORS_E_ARGUMENT);
}

static char *read_readme(void)
{
    FILE *f = fopen("README.md", "rb");
    char *buf;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

/* One catalogue: a unique name, a sentence and a severity for every code, each in the README. */
static void test_catalogue(void **state)
{
    char *readme = read_readme();
    (void)state;
    assert_non_null(readme);
    assert_int_equal(cors_config_issue_count(), CORS_ISSUE_DEBUG_ON);
    for (int32_t code = 1; code <= cors_config_issue_count(); code++) {
        const char *name = cors_config_issue_name(code), *text = cors_config_issue_text(code);
        char cell[128];
        assert_true(strlen(name) > 3 && strcmp(name, "unknown") != 0);
        assert_true(strlen(text) > 20 && text[strlen(text) - 1] == '.');
        for (int32_t other = 1; other < code; other++)
            assert_string_not_equal(name, cors_config_issue_name(other));
        snprintf(cell, sizeof(cell), "| %d | `%s` |", (int)code, name);
        if (strstr(readme, cell) == NULL)
            fail_msg("README.md has no row '%s'", cell);
    }
    assert_string_equal(cors_config_issue_name(0), "unknown");
    assert_string_equal(cors_config_issue_name(cors_config_issue_count() + 1), "unknown");
    assert_non_null(cors_config_issue_text(-1));
    assert_string_equal(cors_field_name(CORS_FIELD_REQUEST_HEADERS), "request_headers");
    assert_string_equal(cors_field_name(99), "unknown");
    assert_string_equal(cors_status_name(CORS_E_POLICY_REPEATED), "CORS_E_POLICY_REPEATED");
    assert_int_equal(cors_sizeof_config_issue(), sizeof(cors_config_issue));
    assert_int_equal(cors_sizeof_policy_config(), sizeof(cors_policy_config));
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jub0bs_accepted),
        cmocka_unit_test(test_jub0bs_refused),
        cmocka_unit_test(test_every_issue),
        cmocka_unit_test(test_rows_cover_every_code),
        cmocka_unit_test(test_capacity_and_count),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_struct_size),
        cmocka_unit_test(test_catalogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
