/* SPDX-License-Identifier: MIT */
/*
 * fuzz_policy_check.c - a differential target: a fuzzed policy and a
 * fuzzed request, where cors_policy_check (a browser against the policy)
 * and cors_policy_answer (what the policy says it allows) must agree.
 *
 * Input layout (tests/fuzz/seeds.py writes the server cases of tests/corpus):
 *   the policy text, "\n====\n", then lines split at LF: the page's origin,
 *   the method, the credentials mode (first byte % 3: same-origin, omit,
 *   include), then request headers "Name:value".
 *
 * For a policy that compiles and a request whose origin parses, with room
 * for the whole report:
 *  - cors_policy_check returns CORS_OK with a complete report (no
 *    CORS_NEED_* at all: the policy answers every request);
 *  - unless fetch() throws first (failed at the request stage), the verdict
 *    is what the policy's answers say: when the report says a preflight is
 *    sent, the policy answering OPTIONS with the report's Origin,
 *    Access-Control-Request-Method and -Headers must allow it, or the report
 *    fails at the preflight; then the actual request (the report's method,
 *    the Origin) is ok exactly when the policy allows it, save for
 *    credentials the policy does not grant (a credentialed request to a
 *    policy without credentials fails at the browser).
 */
#include "fuzz.h"

#define ITEMS 256

static cors_str part_text(const cors_report *r, cors_span s)
{
    return (cors_str){r->text + s.offset, s.length};
}

static int answer_allows(const cors_policy *p, cors_str method, cors_str origin, const cors_report *r, int preflight,
                         cors_answer *a)
{
    cors_header h[3];
    cors_emitted_header e[CORS_ANSWER_MAX_HEADERS];
    size_t n = 0;
    h[n++] = (cors_header){{"Origin", 6}, origin};
    if (preflight) {
        h[n++] = (cors_header){{"Access-Control-Request-Method", 29}, part_text(r, r->acr_method)};
        if (r->has_acr_headers)
            h[n++] = (cors_header){{"Access-Control-Request-Headers", 30}, part_text(r, r->acr_headers)};
    }
    cors_answer_init(a, sizeof(*a));
    FUZZ_CHECK(cors_policy_answer(p, method.ptr, method.len, h, n, a, e, CORS_ANSWER_MAX_HEADERS) == CORS_OK);
    return a->allowed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cors_str items[ITEMS];
    static cors_finding findings[128];
    static cors_span readable[256];
    static char text[65536];
    static cors_header headers[64];
    const char *p = (const char *)data, *end = p + size;
    cors_str policy_text = fuzz_next_part(&p, end, "\n====\n");
    cors_policy_config c;
    cors_request req;
    cors_report r;
    cors_answer a;
    cors_error err;
    size_t n = 0, needed;
    const cors_policy *policy;
    void *mem;
    int32_t st;
    int credentialed;

    cors_policy_config_init(&c, sizeof(c));
    if (cors_policy_parse(policy_text.ptr, policy_text.len, &c, items, ITEMS, &n, NULL) != CORS_OK ||
        cors_policy_validate(&c, NULL, 0, NULL) != CORS_OK)
        return 0;
    FUZZ_CHECK(cors_policy_compile(&c, NULL, 0, &needed, &policy) == CORS_E_BUFFER_TOO_SMALL);
    mem = aligned_alloc(8, (needed + 7) / 8 * 8);
    FUZZ_CHECK(mem != NULL);
    FUZZ_CHECK(cors_policy_compile(&c, mem, needed, &needed, &policy) == CORS_OK);

    cors_request_init(&req, sizeof(req));
    req.origin = fuzz_next_part(&p, end, "\n");
    req.method = fuzz_next_part(&p, end, "\n");
    {
        cors_str cred = fuzz_next_part(&p, end, "\n");
        req.credentials = cred.len ? (unsigned char)cred.ptr[0] % 3 : CORS_CREDENTIALS_SAME_ORIGIN;
    }
    n = 0;
    while (p < end && n < 64) {
        cors_str line = fuzz_next_part(&p, end, "\n");
        const char *colon = memchr(line.ptr, ':', line.len);
        headers[n].name = (cors_str){line.ptr, colon ? (size_t)(colon - line.ptr) : line.len};
        headers[n].value.ptr = colon ? colon + 1 : line.ptr + line.len;
        headers[n].value.len = (size_t)(line.ptr + line.len - headers[n].value.ptr);
        n++;
    }
    req.headers = headers;
    req.header_count = n;

    cors_report_init(&r, sizeof(r), findings, 128, readable, 256, text, sizeof(text));
    st = cors_policy_check(policy, NULL, &req, &r, &err);
    FUZZ_CHECK(st == CORS_OK || st == CORS_E_BAD_ORIGIN);
    FUZZ_CHECK(err.status == st);
    if (st != CORS_OK || r.finding_count > 128 || r.readable_count > 256 || r.text_length > sizeof(text)) {
        free(mem);
        return 0;
    }
    FUZZ_CHECK(r.needs == 0);
    if (r.ok)
        FUZZ_CHECK(r.kind == CORS_KIND_NONE && r.failed_at == CORS_STAGE_NONE);
    if (r.failed_at == CORS_STAGE_REQUEST) {
        free(mem);
        return 0;
    }
    /* same-origin-credentials is omit cross-origin: only include carries cookies */
    credentialed = req.credentials == CORS_CREDENTIALS_INCLUDE;
    if (r.preflight && !answer_allows(policy, (cors_str){"OPTIONS", 7}, req.origin, &r, 1, &a)) {
        FUZZ_CHECK(!r.ok && r.failed_at == CORS_STAGE_PREFLIGHT);
        free(mem);
        return 0;
    }
    {
        int allowed = answer_allows(policy, part_text(&r, r.method), req.origin, &r, 0, &a);
        int browser_refuses_credentials = credentialed && !(c.flags & CORS_POLICY_CREDENTIALS);
        if (r.preflight && browser_refuses_credentials) /* the preflight's answer already lacks them */
            FUZZ_CHECK(!r.ok);
        else
            FUZZ_CHECK(r.ok == (allowed && !browser_refuses_credentials));
    }
    free(mem);
    return 0;
}
