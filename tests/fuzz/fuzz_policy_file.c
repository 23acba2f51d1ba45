/* SPDX-License-Identifier: MIT */
/*
 * fuzz_policy_file.c - the policy text on arbitrary bytes, and everything
 * downstream of it, in the style of the other libFuzzer targets
 * (LLVMFuzzerTestOneInput; abort on a broken invariant):
 *  - cors_policy_parse: on failure the status is a CORS_E_POLICY_* (or
 *    CORS_E_BUFFER_TOO_SMALL with the count), err->offset inside the input
 *    and err->line at least 1; on success every element is a non-empty view
 *    inside the input and the config's arrays are slices of the items;
 *  - cors_policy_validate: the count is the same with room and without, the
 *    issues come sorted by field then index, each index inside its field;
 *    cors_policy_locate puts every offset inside the input;
 *  - cors_policy_compile: a valid config sizes and compiles, the size is
 *    stable, and a copy answers as the original;
 *  - cors_policy_answer, on requests built from the input's own bytes: the
 *    header count within CORS_ANSWER_MAX_HEADERS, every value a view into the
 *    policy, the request or static storage, Vary always appended;
 *  - cors_policy_check on one request: CORS_OK or CORS_E_BAD_ORIGIN.
 *
 * Build for libFuzzer:  make fuzz FUZZ_TARGET=fuzz_policy_file
 * Replay (make check):  build/tests/test_fuzz_policy_file, this file with
 *                       tests/fuzz/replay.c as its main.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "  %s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);                   \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static int inside(const void *p, size_t n, const void *buf, size_t len)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)buf;
    return a >= b && a - b <= len && n <= len - (a - b);
}

enum { ITEMS = 512, ISSUES = 512 };

static void check_answer(const cors_policy *p, size_t psize, const cors_header *h, size_t n, const char *method)
{
    cors_emitted_header e[CORS_ANSWER_MAX_HEADERS];
    cors_answer a;
    cors_answer_init(&a, sizeof(a));
    int32_t st = cors_policy_answer(p, method, strlen(method), h, n, &a, e, CORS_ANSWER_MAX_HEADERS);
    CHECK(st == CORS_OK);
    CHECK(a.header_count <= CORS_ANSWER_MAX_HEADERS);
    CHECK(a.kind >= CORS_ANSWER_NOT_CORS && a.kind <= CORS_ANSWER_PREFLIGHT);
    CHECK(a.allowed == 0 || a.allowed == 1);
    CHECK(a.kind == CORS_ANSWER_PREFLIGHT ? a.status_code >= 200 && a.status_code <= 403 : a.status_code == 0);
    for (size_t i = 0; i < a.header_count; i++) {
        int request_view = 0;
        for (size_t k = 0; k < n; k++)
            request_view |= inside(e[i].value.ptr, e[i].value.len, h[k].value.ptr, h[k].value.len);
        /* static literals live outside both; the rest must be views */
        CHECK(e[i].value.len < 80 || request_view || inside(e[i].value.ptr, e[i].value.len, p, psize));
        CHECK((e[i].action == CORS_HEADER_APPEND) == (e[i].name.len == 4 && memcmp(e[i].name.ptr, "Vary", 4) == 0));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cors_str items[ITEMS];
    static cors_config_issue issues[ISSUES];
    static cors_finding findings[64];
    static cors_span readable[64];
    static char rtext[16384];
    const char *text = (const char *)data;
    cors_policy_config c;
    cors_error err;
    size_t n = 0, count = 0, count2 = 0, needed = 0, needed2 = 0;
    const cors_policy *p;
    int32_t st;

    cors_policy_config_init(&c, sizeof(c));
    st = cors_policy_parse(text, size, &c, items, ITEMS, &n, &err);
    if (st != CORS_OK) {
        CHECK(st == CORS_E_POLICY_SYNTAX || st == CORS_E_POLICY_KEY || st == CORS_E_POLICY_VALUE ||
              st == CORS_E_POLICY_REPEATED || (st == CORS_E_BUFFER_TOO_SMALL && n > ITEMS));
        CHECK(err.status == st && err.offset <= size && (st == CORS_E_BUFFER_TOO_SMALL || err.line >= 1));
        return 0;
    }
    CHECK(n <= ITEMS && c.origin_count + c.method_count + c.request_header_count + c.expose_header_count == n);
    for (size_t i = 0; i < n; i++)
        CHECK(items[i].len > 0 && inside(items[i].ptr, items[i].len, data, size));

    st = cors_policy_validate(&c, issues, ISSUES, &count);
    CHECK(st == CORS_OK || st == CORS_E_CONFIG);
    CHECK(cors_policy_validate(&c, NULL, 0, &count2) == st && count2 == count);
    size_t stored = count < ISSUES ? count : ISSUES;
    for (size_t i = 0; i < stored; i++) {
        CHECK(issues[i].code >= 1 && issues[i].code <= cors_config_issue_count());
        CHECK(i == 0 || issues[i].field > issues[i - 1].field ||
              (issues[i].field == issues[i - 1].field && issues[i].index >= issues[i - 1].index));
    }
    CHECK(cors_policy_locate(text, size, issues, stored) == CORS_OK);
    for (size_t i = 0; i < stored; i++)
        CHECK(issues[i].offset <= size && issues[i].line >= 0);
    if (st != CORS_OK) {
        CHECK(cors_policy_compile(&c, NULL, 0, &needed, &p) == CORS_E_CONFIG);
        return 0;
    }

    CHECK(cors_policy_compile(&c, NULL, 0, &needed, &p) == CORS_E_BUFFER_TOO_SMALL && needed > 0 && needed % 8 == 0);
    void *mem = aligned_alloc(8, needed), *copy = aligned_alloc(8, needed);
    CHECK(mem != NULL && copy != NULL);
    CHECK(cors_policy_compile(&c, mem, needed, &needed2, &p) == CORS_OK && needed2 == needed && p == mem);
    CHECK(cors_policy_size(p) == needed);
    memcpy(copy, mem, needed);

    /* requests made of the input's own bytes: its elements as Origin, ACRM and ACRH */
    cors_header h[4];
    for (size_t i = 0; i < n && i < 16; i++) {
        cors_str v = items[i], w = items[(i + 1) % n];
        h[0] = (cors_header){{"Origin", 6}, v};
        h[1] = (cors_header){{"Access-Control-Request-Method", 29}, w};
        h[2] = (cors_header){{"Access-Control-Request-Headers", 30}, {text, size < 2048 ? size : 2048}};
        h[3] = (cors_header){{"Access-Control-Request-Headers", 30}, v};
        check_answer(p, needed, h, 4, "OPTIONS");
        check_answer(copy, needed, h, 3, "OPTIONS");
        check_answer(p, needed, h, 1, "GET");
        check_answer(p, needed, NULL, 0, "GET");
    }

    cors_request req;
    cors_report r;
    cors_request_init(&req, sizeof(req));
    req.origin = n > 0 ? items[0] : (cors_str){"https://a.example", 17};
    req.method = c.method_count > 0 ? c.methods[0] : (cors_str){"PUT", 3};
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    cors_report_init(&r, sizeof(r), findings, 64, readable, 64, rtext, sizeof(rtext));
    st = cors_policy_check(p, NULL, &req, &r, &err);
    CHECK(st == CORS_OK || st == CORS_E_BAD_ORIGIN || st == CORS_E_ARGUMENT);
    free(mem);
    free(copy);
    return 0;
}
