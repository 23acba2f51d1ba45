/* SPDX-License-Identifier: MIT */
/*
 * fuzz_answer.c - cors_policy_answer on fuzzed requests, against a few
 * policies compiled once (a list with credentials, "*", reflect with
 * Vary on preflights and debug, subdomain and port patterns with a
 * preflight status of 200, and a policy allowing any method and header).
 *
 * Input layout (tests/fuzz/seeds.py writes seeds from the server cases):
 *   byte 0   the policy (value % POLICIES)
 *   byte 1   which request lines are sent: bit 0 Origin, bit 1
 *            Access-Control-Request-Method, bit 2 -Request-Headers, bit 3 a
 *            second Origin, bit 4 a second -Request-Headers, bit 5 the extra
 *            lines, bit 6 the lines in reverse order
 *   the rest lines split at LF: the method, the Origin value, the ACRM
 *            value, the ACRH value, then extra "Name: value" lines
 *
 * Invariants:
 *  - with room for CORS_ANSWER_MAX_HEADERS the call succeeds; a smaller
 *    array gives CORS_E_BUFFER_TOO_SMALL with the same header_count, an
 *    array of exactly header_count the same answer and the same lines (the
 *    general way, where the full array may take a quick one);
 *  - kind, allowed, status_code and refused_by hold the documented values
 *    (a refusal names its field; a preflight has a status, others 0);
 *  - names are the canonical spellings, each at most once; only Vary is
 *    CORS_HEADER_APPEND; each value is a view into the policy, the request
 *    or a static literal, and a value not taken from the request holds no
 *    CR, LF or NUL;
 *  - Vary: present on every answer that depends on the Origin (every policy
 *    but "*"), on preflights only with vary-preflight;
 *  - an allowed CORS answer sends Access-Control-Allow-Origin: the request's
 *    Origin (or "*" for the "*" policy), and Access-Control-Allow-Credentials:
 *    true with credentials; a refused or non-CORS answer sends no
 *    Access-Control-Allow-Origin except the "*" policy's;
 *  - the answer is the same from a memcpy'd copy of the policy, and twice.
 */
#include "fuzz.h"

#define POLICIES 5

static const char *const policy_texts[POLICIES] = {
    "origins: https://app.example, https://admin.example:8443\nmethods: PUT, DELETE, PATCH\n"
    "request-headers: content-type, x-api-key\nexpose-headers: x-request-id\ncredentials: yes\nmax-age: 600\n",
    "origins: *\nmethods: *\nrequest-headers: *\nexpose-headers: *\n",
    "reflect-any-origin: yes\nmethods: PUT\nrequest-headers: x-a\nvary-preflight: yes\ndebug: yes\nmax-age: -1\n",
    "origins: https://*.example.com, http://localhost:*, http://[::1]:*\nmethods: POST, put\n"
    "request-headers: authorization, x-b\ncredentials: yes\npreflight-status: 200\nvary-preflight: yes\n",
    "origins: https://app.example\nmethods: *\nrequest-headers: *\n",
};
static const int32_t policy_credentials[POLICIES] = {1, 0, 0, 1, 0};
static const int32_t policy_vary_preflight[POLICIES] = {0, 0, 1, 1, 0};
static const int32_t policy_any_origin[POLICIES] = {0, 1, 0, 0, 0};
static const int32_t policy_preflight_status[POLICIES] = {204, 204, 204, 200, 204};

static const char *const canonical[] = {
    "Access-Control-Allow-Origin",  "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers", "Access-Control-Max-Age",           "Access-Control-Expose-Headers",
    "Vary",
};

typedef struct compiled {
    const cors_policy *policy;
    void *mem, *copy;
    size_t size;
} compiled;

static compiled policies[POLICIES];

static void compile_all(void)
{
    for (int i = 0; i < POLICIES; i++) {
        static cors_str items[64];
        cors_policy_config c;
        size_t n, needed;
        const cors_policy *p;
        cors_policy_config_init(&c, sizeof(c));
        FUZZ_CHECK(cors_policy_parse(policy_texts[i], strlen(policy_texts[i]), &c, items, 64, &n, NULL) == CORS_OK);
        FUZZ_CHECK(cors_policy_validate(&c, NULL, 0, NULL) == CORS_OK);
        FUZZ_CHECK(cors_policy_compile(&c, NULL, 0, &needed, &p) == CORS_E_BUFFER_TOO_SMALL);
        policies[i].mem = aligned_alloc(8, (needed + 7) / 8 * 8);
        policies[i].copy = aligned_alloc(8, (needed + 7) / 8 * 8);
        FUZZ_CHECK(policies[i].mem != NULL && policies[i].copy != NULL);
        FUZZ_CHECK(cors_policy_compile(&c, policies[i].mem, needed, &needed, &policies[i].policy) == CORS_OK);
        memcpy(policies[i].copy, policies[i].mem, needed);
        policies[i].size = needed;
    }
}

static const cors_emitted_header *find(const cors_emitted_header *e, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (fuzz_equal(e[i].name, name))
            return &e[i];
    return NULL;
}

static int from_request(cors_str v, const cors_header *h, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (fuzz_is_inside(v.ptr, v.len, h[k].value.ptr, h[k].value.len))
            return 1;
    return 0;
}

static void check_answer(int pi, cors_str method, const cors_header *h, size_t n, cors_str origin, int origins)
{
    const compiled *c = &policies[pi];
    cors_emitted_header e[CORS_ANSWER_MAX_HEADERS], e2[CORS_ANSWER_MAX_HEADERS];
    cors_answer a, b;
    int32_t st;

    cors_answer_init(&a, sizeof(a));
    st = cors_policy_answer(c->policy, method.ptr, method.len, h, n, &a, e, CORS_ANSWER_MAX_HEADERS);
    FUZZ_CHECK(st == CORS_OK);
    FUZZ_CHECK(a.header_count <= CORS_ANSWER_MAX_HEADERS);
    FUZZ_CHECK(a.kind >= CORS_ANSWER_NOT_CORS && a.kind <= CORS_ANSWER_PREFLIGHT);
    FUZZ_CHECK(a.allowed == 0 || a.allowed == 1);
    FUZZ_CHECK(a.kind != CORS_ANSWER_NOT_CORS || a.allowed == 0);
    FUZZ_CHECK((origins == 0) == (a.kind == CORS_ANSWER_NOT_CORS));
    if (a.kind == CORS_ANSWER_PREFLIGHT)
        FUZZ_CHECK(a.status_code == (a.allowed ? policy_preflight_status[pi] : 403) ||
                   (pi == 2 && a.status_code == 204)); /* debug: a refused preflight gets the success status */
    else
        FUZZ_CHECK(a.status_code == 0);
    if (a.allowed || a.kind == CORS_ANSWER_NOT_CORS)
        FUZZ_CHECK(a.refused_by == 0);
    else
        FUZZ_CHECK(a.refused_by == CORS_FIELD_ORIGINS || a.refused_by == CORS_FIELD_METHODS ||
                   a.refused_by == CORS_FIELD_REQUEST_HEADERS);

    for (size_t i = 0; i < a.header_count; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof(canonical) / sizeof(canonical[0]); k++)
            known |= fuzz_equal(e[i].name, canonical[k]);
        FUZZ_CHECK(known);
        FUZZ_CHECK(find(e, i, canonical[0]) == NULL || !fuzz_equal(e[i].name, canonical[0]));
        for (size_t k = 0; k < i; k++)
            FUZZ_CHECK(!fuzz_equal(e[k].name, "") && !(e[k].name.len == e[i].name.len &&
                                                       memcmp(e[k].name.ptr, e[i].name.ptr, e[i].name.len) == 0));
        FUZZ_CHECK((e[i].action == CORS_HEADER_APPEND) == fuzz_equal(e[i].name, "Vary"));
        FUZZ_CHECK(e[i].action == CORS_HEADER_SET || e[i].action == CORS_HEADER_APPEND);
        if (!from_request(e[i].value, h, n))
            FUZZ_CHECK(!fuzz_has_byte(e[i].value, '\r') && !fuzz_has_byte(e[i].value, '\n') &&
                       !fuzz_has_byte(e[i].value, '\0'));
    }
    /* Vary */
    {
        const cors_emitted_header *vary = find(e, a.header_count, "Vary");
        if (!policy_any_origin[pi] && (a.kind != CORS_ANSWER_PREFLIGHT || policy_vary_preflight[pi]))
            FUZZ_CHECK(vary != NULL);
        if (a.kind == CORS_ANSWER_PREFLIGHT && !policy_vary_preflight[pi])
            FUZZ_CHECK(vary == NULL);
    }
    /* Access-Control-Allow-Origin and -Credentials */
    {
        const cors_emitted_header *acao = find(e, a.header_count, "Access-Control-Allow-Origin");
        const cors_emitted_header *acac = find(e, a.header_count, "Access-Control-Allow-Credentials");
        if (a.allowed) {
            FUZZ_CHECK(acao != NULL);
            if (policy_any_origin[pi])
                FUZZ_CHECK(fuzz_equal(acao->value, "*"));
            else
                FUZZ_CHECK(acao->value.len == origin.len && memcmp(acao->value.ptr, origin.ptr, origin.len) == 0);
            FUZZ_CHECK((acac != NULL) == policy_credentials[pi]);
            if (acac != NULL)
                FUZZ_CHECK(fuzz_equal(acac->value, "true"));
        } else if (!policy_any_origin[pi] && pi != 2) {
            FUZZ_CHECK(acao == NULL);
        }
    }
    /* the same from a copy, twice; a short array says how many */
    cors_answer_init(&b, sizeof(b));
    FUZZ_CHECK(cors_policy_answer(c->copy, method.ptr, method.len, h, n, &b, e2, CORS_ANSWER_MAX_HEADERS) == CORS_OK);
    FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
    for (size_t i = 0; i < a.header_count; i++) {
        FUZZ_CHECK(e[i].name.len == e2[i].name.len && memcmp(e[i].name.ptr, e2[i].name.ptr, e[i].name.len) == 0);
        FUZZ_CHECK(e[i].value.len == e2[i].value.len &&
                   (e[i].value.len == 0 || memcmp(e[i].value.ptr, e2[i].value.ptr, e[i].value.len) == 0));
    }
    if (a.header_count > 0) {
        cors_answer_init(&b, sizeof(b));
        FUZZ_CHECK(cors_policy_answer(c->policy, method.ptr, method.len, h, n, &b, e2, a.header_count - 1) ==
                   CORS_E_BUFFER_TOO_SMALL);
        FUZZ_CHECK(b.header_count == a.header_count);
        cors_answer_init(&b, sizeof(b));
        FUZZ_CHECK(cors_policy_answer(c->policy, method.ptr, method.len, h, n, &b, e2, a.header_count) == CORS_OK);
        FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
        /* less room than CORS_ANSWER_MAX_HEADERS takes the general way, the full room the quick
         * ones: the same lines, viewing the same bytes */
        for (size_t i = 0; i < a.header_count; i++)
            FUZZ_CHECK(e[i].name.ptr == e2[i].name.ptr && e[i].name.len == e2[i].name.len &&
                       e[i].value.ptr == e2[i].value.ptr && e[i].value.len == e2[i].value.len &&
                       e[i].action == e2[i].action && e[i].reserved == 0 && e2[i].reserved == 0);
    }
}

static cors_header line_header(cors_str line)
{
    const char *colon = memchr(line.ptr, ':', line.len);
    cors_header h;
    h.name.ptr = line.ptr;
    h.name.len = colon ? (size_t)(colon - line.ptr) : line.len;
    h.value.ptr = colon ? colon + 1 : line.ptr + line.len;
    h.value.len = (size_t)(line.ptr + line.len - h.value.ptr);
    while (h.value.len > 0 && (h.value.ptr[0] == ' ' || h.value.ptr[0] == '\t')) {
        h.value.ptr++;
        h.value.len--;
    }
    while (h.value.len > 0 && (h.value.ptr[h.value.len - 1] == ' ' || h.value.ptr[h.value.len - 1] == '\t'))
        h.value.len--;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    cors_header h[40], r[40];
    cors_str part[4];
    const char *p = (const char *)data + (size < 2 ? size : 2), *end = (const char *)data + size;
    unsigned which = size > 1 ? data[1] : 0;
    size_t n = 0;
    int pi = size > 0 ? data[0] % POLICIES : 0, origins = 0;

    if (!ready) {
        compile_all();
        ready = 1;
    }
    for (int i = 0; i < 4; i++)
        part[i] = fuzz_next_part(&p, end, "\n");
    if (which & 1) {
        h[n++] = (cors_header){{"Origin", 6}, part[1]};
        origins++;
    }
    if (which & 2)
        h[n++] = (cors_header){{"access-control-request-method", 29}, part[2]};
    if (which & 4)
        h[n++] = (cors_header){{"Access-Control-Request-Headers", 30}, part[3]};
    if (which & 8) {
        h[n++] = (cors_header){{"origin", 6}, part[1]};
        origins++;
    }
    if (which & 16)
        h[n++] = (cors_header){{"Access-Control-Request-Headers", 30}, part[2]};
    while ((which & 32) && p < end && n < 40) {
        h[n] = line_header(fuzz_next_part(&p, end, "\n"));
        if (fuzz_equal_nocase(h[n].name, (cors_str){"origin", 6}))
            origins++;
        n++;
    }
    if (which & 64) {
        for (size_t i = 0; i < n; i++)
            r[i] = h[n - 1 - i];
        memcpy(h, r, n * sizeof(*h));
    }
    for (size_t i = 0; i < n; i++)
        if (fuzz_equal_nocase(h[i].name, (cors_str){"origin", 6})) {
            part[1] = h[i].value;
            break;
        }
    check_answer(pi, part[0], h, n, part[1], origins);
    return 0;
}
