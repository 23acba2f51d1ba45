/* SPDX-License-Identifier: MIT */
/*
 * test_answer.c - lib/answer.c: what cors_policy_answer sends for each kind
 * of request, line by line (names, values, set or append), Vary in every
 * case, the hostile Access-Control-Request-Headers, a small header array,
 * the arguments, zero allocation on every server-side call (this program's
 * malloc family counts), and one compiled policy shared by threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "test_alloc.h"
#include "test_policy_util.h"

/* ---- rows ---- */

#define P_STD "origins: https://dashboard.galxe.com\nmethods: GET, POST, OPTIONS\nrequest-headers: Content-Type\n"
#define P_ANY "origins: *\n"
#define P_CRED "origins: https://app.example\ncredentials: yes\nexpose-headers: X-Request-Id, X-B\nmethods: PUT\n"
#define PRE(origin, acrm) "Origin: " origin, "Access-Control-Request-Method: " acrm

typedef struct answer_row {
    const char *desc;
    const char *policy;
    const char *method;
    const char *headers[8];     /* "Name: value" */
    int32_t kind;
    int32_t allowed;
    int32_t status;
    int32_t refused_by;
    const char *emitted[8];     /* "Name: value"; "+Name: value" for CORS_HEADER_APPEND */
} answer_row;

#define NOT_CORS CORS_ANSWER_NOT_CORS
#define ACTUAL CORS_ANSWER_ACTUAL
#define PREFLIGHT CORS_ANSWER_PREFLIGHT
#define BY_ORIGIN CORS_FIELD_ORIGINS
#define BY_METHOD CORS_FIELD_METHODS
#define BY_HEADERS CORS_FIELD_REQUEST_HEADERS

static const answer_row rows[] = {
    /* requests without Origin */
    {.desc = "not CORS, origin list: Vary", .policy = P_STD, .method = "GET", .headers = {"Host: a"},
     .kind = NOT_CORS, .emitted = {"+Vary: Origin"}},
    {.desc = "not CORS, any origin: the same answer as for everyone", .policy = P_ANY "expose-headers: X-A\n",
     .method = "GET", .kind = NOT_CORS,
     .emitted = {"Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers: x-a"}},
    {.desc = "not CORS, reflect: Vary", .policy = "reflect-any-origin: yes\n", .method = "POST", .kind = NOT_CORS,
     .emitted = {"+Vary: Origin"}},
    /* actual requests */
    {.desc = "actual, allowed", .policy = P_STD, .method = "GET", .headers = {"Origin: https://dashboard.galxe.com"},
     .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "+Vary: Origin"}},
    {.desc = "actual, allowed with credentials and exposed headers", .policy = P_CRED, .method = "DELETE",
     .headers = {"Origin: https://app.example"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true",
                 "Access-Control-Expose-Headers: x-b,x-request-id", "+Vary: Origin"}},
    {.desc = "actual, refused origin", .policy = P_STD, .method = "GET", .headers = {"Origin: https://evil.example"},
     .kind = ACTUAL, .refused_by = BY_ORIGIN, .emitted = {"+Vary: Origin"}},
    {.desc = "actual, origin differs in case", .policy = P_STD, .method = "GET",
     .headers = {"Origin: https://Dashboard.galxe.com"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "actual, two Origin lines", .policy = P_STD, .method = "GET",
     .headers = {"Origin: https://dashboard.galxe.com", "Origin: https://dashboard.galxe.com"}, .kind = ACTUAL,
     .refused_by = BY_ORIGIN, .emitted = {"+Vary: Origin"}},
    {.desc = "actual, any origin: two Origin lines change nothing", .policy = P_ANY, .method = "GET",
     .headers = {"Origin: https://a.example", "Origin: https://b.example"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: *"}},
    {.desc = "actual, reflect: two Origin lines are refused", .policy = "reflect-any-origin: yes\n", .method = "GET",
     .headers = {"Origin: https://a.example", "Origin: https://a.example"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "preflight, two Origin lines", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "POST"), "Origin: https://dashboard.galxe.com"}, .kind = PREFLIGHT,
     .status = 403, .refused_by = BY_ORIGIN},
    {.desc = "preflight, two Access-Control-Request-Method lines", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "POST"), "Access-Control-Request-Method: POST"}, .kind = PREFLIGHT,
     .status = 403, .refused_by = BY_METHOD},
    {.desc = "actual, empty Origin", .policy = P_STD, .method = "GET", .headers = {"Origin: "}, .kind = ACTUAL,
     .refused_by = BY_ORIGIN, .emitted = {"+Vary: Origin"}},
    {.desc = "actual, reflect", .policy = "reflect-any-origin: yes\n", .method = "GET",
     .headers = {"Origin: https://anyone.example:8443"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://anyone.example:8443", "+Vary: Origin"}},
    {.desc = "actual, reflect never echoes null", .policy = "reflect-any-origin: yes\n", .method = "GET",
     .headers = {"Origin: null"}, .kind = ACTUAL, .refused_by = BY_ORIGIN, .emitted = {"+Vary: Origin"}},
    {.desc = "actual, reflect refuses what is no origin", .policy = "reflect-any-origin: yes\n", .method = "GET",
     .headers = {"Origin: https://a.example/path"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "actual, names in any case", .policy = P_STD, .method = "GET",
     .headers = {"oRiGiN: https://dashboard.galxe.com"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "+Vary: Origin"}},
    {.desc = "OPTIONS without ACRM is an actual request", .policy = P_STD, .method = "OPTIONS",
     .headers = {"Origin: https://dashboard.galxe.com"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "+Vary: Origin"}},
    {.desc = "GET with ACRM is an actual request", .policy = P_STD, .method = "GET",
     .headers = {PRE("https://dashboard.galxe.com", "PUT")}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "+Vary: Origin"}},
    {.desc = "options in lowercase is not a preflight", .policy = P_STD, .method = "options",
     .headers = {PRE("https://dashboard.galxe.com", "PUT")}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "+Vary: Origin"}},
    /* preflights */
    {.desc = "preflight, safelisted method, one header", .policy = P_STD, .method = "OPTIONS",
     .headers = {"Host: api", PRE("https://dashboard.galxe.com", "POST"), "Access-Control-Request-Headers: content-type"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: POST",
                 "Access-Control-Allow-Headers: content-type"}},
    {.desc = "preflight, safelisted method not listed: no ACAM", .policy = P_CRED, .method = "OPTIONS",
     .headers = {PRE("https://app.example", "GET")}, .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true"}},
    {.desc = "preflight, refused origin", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://evil.example", "POST"), "Access-Control-Request-Headers: content-type"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_ORIGIN},
    {.desc = "preflight, listed method", .policy = P_CRED, .method = "OPTIONS",
     .headers = {PRE("https://app.example", "PUT")}, .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true",
                 "Access-Control-Allow-Methods: PUT"}},
    {.desc = "preflight, method not listed", .policy = P_CRED, .method = "OPTIONS",
     .headers = {PRE("https://app.example", "PATCH")}, .kind = PREFLIGHT, .status = 403, .refused_by = BY_METHOD},
    {.desc = "preflight, method in another case", .policy = P_CRED, .method = "OPTIONS",
     .headers = {PRE("https://app.example", "put")}, .kind = PREFLIGHT, .status = 403, .refused_by = BY_METHOD},
    {.desc = "preflight, two ACRM lines", .policy = P_CRED, .method = "OPTIONS",
     .headers = {PRE("https://app.example", "PUT"), "Access-Control-Request-Method: PUT"}, .kind = PREFLIGHT,
     .status = 403, .refused_by = BY_METHOD},
    {.desc = "preflight, any method without credentials", .policy = P_ANY "methods: *\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "PURGE")}, .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: *"}},
    {.desc = "preflight, any method with credentials: echoed", .policy = "origins: https://a.example\ncredentials: yes\nmethods: *\n",
     .method = "OPTIONS", .headers = {PRE("https://a.example", "PURGE")}, .kind = PREFLIGHT, .allowed = 1,
     .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://a.example", "Access-Control-Allow-Credentials: true",
                 "Access-Control-Allow-Methods: PURGE"}},
    {.desc = "preflight, the second header refused", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "POST"), "Access-Control-Request-Headers: content-type,x-trace"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, names in another case and empty elements", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "POST"), "Access-Control-Request-Headers: , ,Content-TYPE,,"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: POST",
                 "Access-Control-Allow-Headers: , ,Content-TYPE,,"}},
    {.desc = "preflight, a listed name with a space inside is refused", .policy =
         "origins: https://a.example\nrequest-headers: X-A, content\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: x-a,content type"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, OWS around long and short names", .policy =
         "origins: https://a.example\nrequest-headers: x-a-rather-long-header-name, x-b\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"),
                 "Access-Control-Request-Headers: x-b \t, \tX-A-Rather-Long-Header-Name\t ,x-b"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://a.example",
                 "Access-Control-Allow-Headers: x-b \t, \tX-A-Rather-Long-Header-Name\t ,x-b"}},
    {.desc = "preflight, a long list whose last name is not listed", .policy =
         "origins: https://a.example\nrequest-headers: x-a-rather-long-header-name, x-b\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"),
                 "Access-Control-Request-Headers: x-b,x-a-rather-long-header-name,x-a-rather-long-header-nam"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, empty ACRH", .policy = P_STD, .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "POST"), "Access-Control-Request-Headers: "}, .kind = PREFLIGHT,
     .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: POST"}},
    {.desc = "preflight, an element that is no token", .policy = "origins: *\nrequest-headers: *\ncredentials: no\n",
     .method = "OPTIONS", .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: x y"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: *"}},
    {.desc = "preflight, ACRH over two lines: the configured list",
     .policy = "origins: https://a.example\nrequest-headers: X-B, X-A, x-a\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: x-a",
                 "Access-Control-Request-Headers: X-B"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://a.example", "Access-Control-Allow-Headers: x-a,x-b"}},
    {.desc = "preflight, ACRH over two lines, the second refused",
     .policy = "origins: https://a.example\nrequest-headers: X-A\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: x-a",
                 "Access-Control-Request-Headers: x-c"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, '*' headers: Authorization is not covered", .policy = P_ANY "request-headers: *\n",
     .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: authorization,x-a"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, '*' and Authorization", .policy = P_ANY "request-headers: *, Authorization\n",
     .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: authorization,x-a"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: *,authorization"}},
    {.desc = "preflight, '*' headers with credentials: echoed",
     .policy = "origins: https://a.example\ncredentials: yes\nrequest-headers: *\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: authorization,x-a"},
     .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://a.example", "Access-Control-Allow-Credentials: true",
                 "Access-Control-Allow-Headers: authorization,x-a"}},
    {.desc = "preflight, '*' headers with credentials over two lines",
     .policy = "origins: https://a.example\ncredentials: yes\nrequest-headers: *\n", .method = "OPTIONS",
     .headers = {PRE("https://a.example", "POST"), "Access-Control-Request-Headers: x-a",
                 "Access-Control-Request-Headers: x-b"},
     .kind = PREFLIGHT, .status = 403, .refused_by = BY_HEADERS},
    {.desc = "preflight, max age and status", .policy = P_STD "max-age: 600\npreflight-status: 200\n",
     .method = "OPTIONS", .headers = {PRE("https://dashboard.galxe.com", "GET")}, .kind = PREFLIGHT, .allowed = 1,
     .status = 200,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: GET",
                 "Access-Control-Max-Age: 600"}},
    {.desc = "preflight, max age -1 sends 0", .policy = P_STD "max-age: -1\n", .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "GET")}, .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: GET",
                 "Access-Control-Max-Age: 0"}},
    {.desc = "preflight, vary-preflight when allowed", .policy = P_STD "vary-preflight: yes\n", .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "GET")}, .kind = PREFLIGHT, .allowed = 1, .status = 204,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: GET",
                 "+Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
    {.desc = "preflight, vary-preflight when refused", .policy = P_STD "vary-preflight: yes\n", .method = "OPTIONS",
     .headers = {PRE("https://evil.example", "GET")}, .kind = PREFLIGHT, .status = 403, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
    {.desc = "preflight, vary-preflight with any origin", .policy = P_ANY "vary-preflight: yes\n",
     .method = "OPTIONS", .headers = {PRE("https://x.example", "GET")}, .kind = PREFLIGHT, .allowed = 1,
     .status = 204,
     .emitted = {"Access-Control-Allow-Origin: *",
                 "+Vary: Access-Control-Request-Method, Access-Control-Request-Headers"}},
    {.desc = "debug, method refused: success status and what matched", .policy = P_CRED "debug: yes\n",
     .method = "OPTIONS", .headers = {PRE("https://app.example", "PATCH")}, .kind = PREFLIGHT, .status = 204,
     .refused_by = BY_METHOD,
     .emitted = {"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true"}},
    {.desc = "debug, headers refused: the configured list", .policy = P_STD "debug: yes\nmethods: PUT\n",
     .method = "OPTIONS",
     .headers = {PRE("https://dashboard.galxe.com", "PUT"), "Access-Control-Request-Headers: content-type,x-trace"},
     .kind = PREFLIGHT, .status = 204, .refused_by = BY_HEADERS,
     .emitted = {"Access-Control-Allow-Origin: https://dashboard.galxe.com", "Access-Control-Allow-Methods: PUT",
                 "Access-Control-Allow-Headers: content-type"}},
    {.desc = "debug, origin refused: nothing", .policy = P_STD "debug: yes\n", .method = "OPTIONS",
     .headers = {PRE("https://evil.example", "PUT")}, .kind = PREFLIGHT, .status = 403, .refused_by = BY_ORIGIN},
    {.desc = "preflight, reflect with credentials", .policy =
         "reflect-any-origin: yes\ncredentials: yes\ndanger-reflect-with-credentials: yes\nmethods: PUT\n",
     .method = "OPTIONS", .headers = {PRE("http://any.example:8080", "PUT")}, .kind = PREFLIGHT, .allowed = 1,
     .status = 204,
     .emitted = {"Access-Control-Allow-Origin: http://any.example:8080", "Access-Control-Allow-Credentials: true",
                 "Access-Control-Allow-Methods: PUT"}},
    /* patterns */
    {.desc = "subdomain pattern, two labels", .policy = "origins: https://*.example.com\n", .method = "GET",
     .headers = {"Origin: https://a.b.example.com"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://a.b.example.com", "+Vary: Origin"}},
    {.desc = "subdomain pattern, not the base", .policy = "origins: https://*.example.com\n", .method = "GET",
     .headers = {"Origin: https://example.com"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "subdomain pattern, empty label", .policy = "origins: https://*.example.com\n", .method = "GET",
     .headers = {"Origin: https://a..example.com"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "subdomain pattern, suffix without its dot", .policy = "origins: https://*.example.com\n",
     .method = "GET", .headers = {"Origin: https://evilexample.com"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "subdomain pattern, other scheme", .policy = "origins: https://*.example.com\n", .method = "GET",
     .headers = {"Origin: http://a.example.com"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "subdomain pattern, a port the pattern lacks", .policy = "origins: https://*.example.com\n",
     .method = "GET", .headers = {"Origin: https://a.example.com:8443"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "subdomain and port pattern", .policy = "origins: https://*.example.com:*\n", .method = "GET",
     .headers = {"Origin: https://a.example.com:8443"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://a.example.com:8443", "+Vary: Origin"}},
    {.desc = "port pattern, no port", .policy = "origins: http://localhost:*\n", .method = "GET",
     .headers = {"Origin: http://localhost"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: http://localhost", "+Vary: Origin"}},
    {.desc = "port pattern, other host", .policy = "origins: http://localhost:*\n", .method = "GET",
     .headers = {"Origin: http://localhost.evil:3000"}, .kind = ACTUAL, .refused_by = BY_ORIGIN,
     .emitted = {"+Vary: Origin"}},
    {.desc = "exact port", .policy = "origins: http://[::1]:8080, https://*.example.com:8443\n", .method = "GET",
     .headers = {"Origin: https://x.example.com:8443"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: https://x.example.com:8443", "+Vary: Origin"}},
    {.desc = "exact IPv6", .policy = "origins: http://[::1]:8080\n", .method = "GET",
     .headers = {"Origin: http://[::1]:8080"}, .kind = ACTUAL, .allowed = 1,
     .emitted = {"Access-Control-Allow-Origin: http://[::1]:8080", "+Vary: Origin"}},
};

static void format_emitted(const cors_emitted_header *h, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%.*s: %.*s", h->action == CORS_HEADER_APPEND ? "+" : "", (int)h->name.len, h->name.ptr,
             (int)h->value.len, h->value.ptr);
}

static void test_rows(void **state)
{
    int failures = 0;
    (void)state;
    for (size_t r = 0; r < COUNT(rows); r++) {
        const answer_row *row = &rows[r];
        static compiled c;
        cors_header h[8];
        cors_emitted_header e[CORS_ANSWER_MAX_HEADERS];
        cors_answer a;
        size_t n = header_list(row->headers, h, 8), want = 0;
        bool same;
        compile_text(&c, row->policy);
        cors_answer_init(&a, sizeof(a));
        memset(e, 0xab, sizeof(e));
        assert_int_equal(cors_policy_answer(c.policy, row->method, strlen(row->method), h, n, &a, e, COUNT(e)),
                         CORS_OK);
        while (want < 8 && row->emitted[want] != NULL)
            want++;
        same = a.kind == row->kind && a.allowed == row->allowed && a.status_code == row->status &&
               a.refused_by == row->refused_by && a.header_count == want;
        for (size_t i = 0; same && i < want; i++) {
            char got[512];
            format_emitted(&e[i], got, sizeof(got));
            same = strcmp(got, row->emitted[i]) == 0 && e[i].reserved == 0;
            /* Vary is the one header that is appended */
            same = same && (e[i].action == CORS_HEADER_APPEND) == (e[i].name.len == 4);
        }
        if (same) { /* exactly the room the lines take: the general way, which the full room may skip */
            cors_emitted_header e2[CORS_ANSWER_MAX_HEADERS];
            cors_answer b;
            cors_answer_init(&b, sizeof(b));
            same = cors_policy_answer(c.policy, row->method, strlen(row->method), h, n, &b, e2, want) == CORS_OK &&
                   memcmp(&a, &b, sizeof(a)) == 0 && memcmp(e, e2, want * sizeof(*e)) == 0;
            if (!same)
                print_message("  %s: with room for %zu lines the answer differs\n", row->desc, want);
        }
        if (!same) {
            failures++;
            print_message("  %s: kind %d allowed %d status %d refused_by %d, %zu lines\n", row->desc, a.kind,
                          a.allowed, a.status_code, a.refused_by, a.header_count);
            for (size_t i = 0; i < a.header_count && i < COUNT(e); i++) {
                char got[512];
                format_emitted(&e[i], got, sizeof(got));
                print_message("    %s\n", got);
            }
        }
        compiled_free(&c);
    }
    assert_int_equal(failures, 0);
}

/* Views: the echoed values are the request's bytes, the precomputed ones the policy's. */
static void test_views(void **state)
{
    static compiled c;
    cors_header h[3];
    const char *lines[] = {PRE("https://dashboard.galxe.com", "PUT"), "Access-Control-Request-Headers: content-type",
                           NULL};
    cors_emitted_header e[8];
    cors_answer a;
    (void)state;
    compile_text(&c, P_STD "methods: PUT\nmax-age: 60\n");
    header_list(lines, h, 3);
    cors_answer_init(&a, sizeof(a));
    assert_int_equal(cors_policy_answer(c.policy, "OPTIONS", 7, h, 3, &a, e, 8), CORS_OK);
    assert_int_equal(a.header_count, 4);
    assert_ptr_equal(e[0].value.ptr, h[0].value.ptr);
    assert_ptr_equal(e[1].value.ptr, h[1].value.ptr);
    assert_ptr_equal(e[2].value.ptr, h[2].value.ptr);
    assert_true(e[3].value.ptr >= (const char *)c.mem && e[3].value.ptr < (const char *)c.mem + c.size);
    compiled_free(&c);
}

static void test_small_array(void **state)
{
    static compiled c;
    cors_header h[1];
    const char *lines[] = {"Origin: https://app.example", NULL};
    cors_emitted_header e[2];
    cors_answer a;
    (void)state;
    compile_text(&c, P_CRED);
    header_list(lines, h, 1);
    cors_answer_init(&a, sizeof(a));
    memset(e, 0, sizeof(e));
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, h, 1, &a, e, 2), CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(a.header_count, 4);
    assert_int_equal(a.allowed, 1);
    assert_str(e[0].name, "Access-Control-Allow-Origin");
    assert_str(e[1].name, "Access-Control-Allow-Credentials");
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, h, 1, &a, NULL, 0), CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(a.header_count, 4);
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 0, &a, e, 1), CORS_OK); /* one Vary */
    /* no lines at all (NULL, 0) with full room: the quick way reads nothing (under UBSan too) */
    cors_emitted_header full[CORS_ANSWER_MAX_HEADERS];
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 0, &a, full, COUNT(full)), CORS_OK);
    assert_int_equal(a.kind, CORS_ANSWER_NOT_CORS);
    assert_int_equal(a.header_count, 1);
    assert_str(full[0].name, "Vary");
    assert_int_equal(cors_policy_answer(c.policy, "OPTIONS", 7, NULL, 0, &a, full, COUNT(full)), CORS_OK);
    assert_int_equal(a.kind, CORS_ANSWER_NOT_CORS);
    /* an Origin whose value is NULL with the length of a listed origin: refused, never read */
    h[0].value = (cors_str){NULL, strlen("https://app.example")};
    for (size_t room = 1; room <= COUNT(full); room += COUNT(full) - 1) {
        assert_int_equal(cors_policy_answer(c.policy, "GET", 3, h, 1, &a, full, room), CORS_OK);
        assert_int_equal(a.kind, CORS_ANSWER_ACTUAL);
        assert_int_equal(a.refused_by, CORS_FIELD_ORIGINS);
        assert_int_equal(a.header_count, 1);
        assert_str(full[0].name, "Vary");
    }
    compiled_free(&c);
}

static void test_arguments(void **state)
{
    static compiled c;
    _Alignas(8) char junk[256];
    cors_answer a;
    cors_emitted_header e[8];
    cors_header h[1] = {{{NULL, 6}, {"x", 1}}};
    (void)state;
    compile_text(&c, P_STD);
    memset(junk, 0, sizeof(junk));
    cors_answer_init(&a, sizeof(a));
    assert_int_equal(cors_policy_answer(NULL, "GET", 3, NULL, 0, &a, e, 8), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_answer((const cors_policy *)(void *)junk, "GET", 3, NULL, 0, &a, e, 8),
                     CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 0, NULL, e, 8), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 1, &a, e, 8), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 0, &a, NULL, 8), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_answer(c.policy, NULL, 3, NULL, 0, &a, e, 8), CORS_E_ARGUMENT);
    a.struct_size = 4;
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, NULL, 0, &a, e, 8), CORS_E_ARGUMENT);
    /* a name with no bytes behind it is skipped, not read */
    cors_answer_init(&a, sizeof(a));
    assert_int_equal(cors_policy_answer(c.policy, "GET", 3, h, 1, &a, e, 8), CORS_OK);
    assert_int_equal(a.kind, CORS_ANSWER_NOT_CORS);
    assert_int_equal(cors_sizeof_answer(), sizeof(cors_answer));
    assert_int_equal(cors_sizeof_emitted_header(), sizeof(cors_emitted_header));
    assert_int_equal(cors_answer_max_headers(), CORS_ANSWER_MAX_HEADERS);
    compiled_free(&c);
}

/* ---- hostile Access-Control-Request-Headers: linear, bounded, under a watchdog ---- */

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "  test_answer: ACRH took more than 20 s: not linear\n";
    if (write(2, msg, sizeof(msg) - 1) < 0)
        _exit(98);
    _exit(99);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void answer_acrh(const cors_policy *p, const char *value, size_t len, cors_answer *a, cors_emitted_header *e)
{
    cors_header h[3] = {{STR("Origin"), STR("https://dashboard.galxe.com")},
                        {STR("Access-Control-Request-Method"), STR("POST")},
                        {STR("Access-Control-Request-Headers"), {value, len}}};
    cors_answer_init(a, sizeof(*a));
    assert_int_equal(cors_policy_answer(p, "OPTIONS", 7, h, 3, a, e, 8), CORS_OK);
}

static void test_hostile_acrh(void **state)
{
    static compiled c;
    const size_t mib = 1u << 20;
    char *v = malloc(mib);
    cors_emitted_header e[8];
    cors_answer a;
    double t0;
    (void)state;
    assert_non_null(v);
    signal(SIGALRM, on_alarm);
    alarm(20);
    compile_text(&c, P_STD);
    /* 1,000,000 commas and a little: nothing but empty elements, so nothing refused; echoed as a view */
    memset(v, ',', mib);
    t0 = now();
    answer_acrh(c.policy, v, mib, &a, e);
    assert_int_equal(a.allowed, 1);
    assert_ptr_equal(e[2].value.ptr, v);
    assert_int_equal(e[2].value.len, mib);
    /* 1 MiB of allowed names, then one refused at the very end: every byte read once */
    for (size_t i = 0; i + 13 <= mib; i += 13)
        memcpy(v + i, "content-type,", 13);
    memcpy(v + mib - 4, "x-no", 4);
    answer_acrh(c.policy, v, mib, &a, e);
    assert_int_equal(a.allowed, 0);
    assert_int_equal(a.refused_by, CORS_FIELD_REQUEST_HEADERS);
    /* refused at the second name: the rest is never read */
    memcpy(v, "content-type,x-evil,", 20);
    answer_acrh(c.policy, v, mib, &a, e);
    assert_int_equal(a.refused_by, CORS_FIELD_REQUEST_HEADERS);
    print_message("  1 MiB Access-Control-Request-Headers, three ways: %.1f ms\n", (now() - t0) * 1e3);
    alarm(0);
    compiled_free(&c);
    free(v);
}

/* ---- zero allocation ---- */

static void test_no_allocation(void **state)
{
    static compiled c;
    static const char text[] = "origins: https://a.example https://*.example.com\ncredentials: yes\nmethods: PUT\n"
                               "request-headers: X-A\nexpose-headers: X-B\nmax-age: 60\n";
    static _Alignas(8) char mem[4096];
    static cors_finding findings[32];
    static cors_span readable[32];
    static char rtext[8192];
    cors_policy_config config;
    cors_str items[16];
    cors_config_issue issues[8];
    cors_header h[3] = {{STR("Origin"), STR("https://b.example.com")},
                        {STR("Access-Control-Request-Method"), STR("PUT")},
                        {STR("Access-Control-Request-Headers"), STR("x-a")}};
    cors_header rh[1] = {{STR("X-A"), STR("1")}};
    cors_emitted_header e[8];
    cors_answer a;
    cors_request req;
    cors_report report;
    const cors_policy *p;
    size_t n, needed;
    (void)state;
    if (!allocation_counting_works()) {
        print_message("  test_no_allocation: skipped: malloc is not interposed here (valgrind?)\n");
        skip();
    }
    compile_text(&c, text); /* warms up nothing: the library has no state */
    counting = 1;
    allocation_calls = 0;
    cors_policy_config_init(&config, sizeof(config));
    assert_int_equal(cors_policy_parse(text, strlen(text), &config, items, COUNT(items), &n, NULL), CORS_OK);
    assert_int_equal(cors_policy_validate(&config, issues, COUNT(issues), &n), CORS_OK);
    assert_int_equal(cors_policy_locate(text, strlen(text), issues, n), CORS_OK);
    assert_int_equal(cors_policy_compile(&config, mem, sizeof(mem), &needed, &p), CORS_OK);
    for (int i = 0; i < 1000; i++) {
        cors_answer_init(&a, sizeof(a));
        assert_int_equal(cors_policy_answer(p, "OPTIONS", 7, h, 3, &a, e, 8), CORS_OK);
        assert_int_equal(cors_policy_answer(p, "GET", 3, h, 1, &a, e, 8), CORS_OK);
    }
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://b.example.com");
    req.method = STR("PUT");
    req.headers = rh;
    req.header_count = 1;
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    cors_report_init(&report, sizeof(report), findings, COUNT(findings), readable, COUNT(readable), rtext,
                     sizeof(rtext));
    assert_int_equal(cors_policy_check(p, NULL, &req, &report, NULL), CORS_OK);
    counting = 0;
    assert_int_equal(report.ok, 1);
    assert_int_equal(allocation_calls, 0);
    compiled_free(&c);
}

/* ---- reflect accepts exactly what cors_origin_parse accepts, but null ---- */

static void test_reflect_agrees_with_origin_parse(void **state)
{
    static const char *const seeds[] = {
        "https://app.example", "http://app.example:8080", "http://[::1]:8080", "https://a.b.c",
        "https://app.example:443", "http://app.example:80", "ws://a:80", "wss://a:443", "ftp://a:21",
        "ftp://a:22", "https://App.example", "HTTPS://a", "https://a/", "https://a:0", "https://a:00",
        "https://a:65535", "https://a:65536", "https://a:123456", "https://", "https:/a", "https//a", "null",
        "chrome-extension://abcdef", "a+b.c-d://x", "1http://a", "https://[::g]", "https://[:]",
        "https://[]", "https://[::1", "https://a_b-c.d", "https://a b", "https://a:8080x", "",
        "h://a", "https://a:", "https://a::1", "http://[::ffff:1.2.3.4]:9",
        /* 16 to 40 bytes, the lengths answered without a call: each edge of the two loads */
        "https://abcdefgh", "http://abcdefghi", "https://app.example", "http://app.example.org",
        "https://tenant-001.galxe.com", "https://a-b_c.d-e_f.g-h_i.jk.lm", "https://abcdefghijklmnopqrstuvwxyz0123",
        "http://abcdefghijklmnopqrstuvwxyz01234", "http://abcdefghijklmnopqrstuvwxyz012345",
        "https://abcdefghijklmnopqrstuvwxyz012345", "https://abcdefghijklmnopqrstuvwxyz0123456",
        "https://tenant-001.galxe.com:8443", "https://tenant/001.galxe.com", "https://tenant`001.galxe.com",
        "https://Tenant-001.galxe.com", "https://tenant-001.galxe.co~", "https://tenant-001.galxe.co.",
        "httpx://tenant-001.galxe.com", "https:/tenant-001.galxe.com/", "https://[::1]:8080-abcdef",
    };
    static const char alphabet[] = "hts:/[]0123456789abfAF.-_+:x@ ";
    static compiled c;
    uint64_t seed = 42;
    char buf[64];
    (void)state;
    compile_text(&c, "reflect-any-origin: yes\n");
    for (size_t i = 0; i < COUNT(seeds) + 200000; i++) {
        cors_str o;
        if (i < COUNT(seeds)) {
            o = str_z(seeds[i]);
        } else { /* a seed with a few bytes changed, or random bytes */
            const char *from = seeds[i % COUNT(seeds)];
            size_t n = strlen(from) < sizeof(buf) ? strlen(from) : sizeof(buf);
            memcpy(buf, from, n);
            for (int k = 0; k < 3; k++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                if (n > 0 && (seed >> 60) < 12)
                    buf[(seed >> 33) % n] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
                else if (n < sizeof(buf))
                    buf[n++] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
            }
            o = (cors_str){buf, n};
        }
        cors_header h[1] = {{STR("Origin"), o}};
        cors_emitted_header e[8];
        cors_answer a;
        cors_origin parsed;
        int want = cors_origin_parse(o.ptr, o.len, &parsed, NULL) == CORS_OK && !parsed.is_opaque;
        cors_answer_init(&a, sizeof(a));
        assert_int_equal(cors_policy_answer(c.policy, "GET", 3, h, 1, &a, e, 8), CORS_OK);
        if (a.allowed != want)
            fail_msg("'%.*s': reflect allows %d, cors_origin_parse says %d", (int)o.len, o.ptr, a.allowed, want);
    }
    compiled_free(&c);
}

/* ---- one policy, many threads ---- */

typedef struct job {
    const cors_policy *policy;
    int mismatches;
} job;

static void *answer_many(void *arg)
{
    job *j = arg;
    cors_header ok[3] = {{STR("Origin"), STR("https://dashboard.galxe.com")},
                         {STR("Access-Control-Request-Method"), STR("POST")},
                         {STR("Access-Control-Request-Headers"), STR("content-type")}};
    cors_header evil[1] = {{STR("Origin"), STR("https://evil.example")}};
    for (int i = 0; i < 100000; i++) {
        cors_emitted_header e[8];
        cors_answer a;
        cors_answer_init(&a, sizeof(a));
        if (cors_policy_answer(j->policy, "OPTIONS", 7, ok, 3, &a, e, 8) != CORS_OK || !a.allowed ||
            a.header_count != 3 || e[0].value.ptr != ok[0].value.ptr)
            j->mismatches++;
        if (cors_policy_answer(j->policy, "GET", 3, evil, 1, &a, e, 8) != CORS_OK || a.allowed ||
            a.header_count != 1)
            j->mismatches++;
    }
    return NULL;
}

static void test_threads_share_a_policy(void **state)
{
    static compiled c;
    pthread_t t[8];
    job jobs[8];
    (void)state;
    compile_text(&c, P_STD);
    for (int i = 0; i < 8; i++) {
        jobs[i] = (job){c.policy, 0};
        assert_int_equal(pthread_create(&t[i], NULL, answer_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    compiled_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_small_array),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_hostile_acrh),
        cmocka_unit_test(test_no_allocation),
        cmocka_unit_test(test_reflect_agrees_with_origin_parse),
        cmocka_unit_test(test_threads_share_a_policy),
    };
    count_allocations();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
