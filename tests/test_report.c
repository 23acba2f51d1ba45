/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - lib/report.c and the report side of lib/evaluate.c: the
 * buffers the caller lends (cors_report_init), counts past the capacities
 * and CORS_NEED_ROOM, a second call with the counts as capacities giving the
 * very bytes a call with huge buffers gives, the same verdict whatever the
 * capacities (zero included), pieces of text stored whole or not at all, a
 * report and its buffers copied elsewhere (spans are offsets); struct_size
 * versioning of cors_report, cors_request, cors_options and cors_response: a
 * newer caller's larger struct keeps its trailing bytes, a size below the
 * 0.2.0 layout is CORS_E_ARGUMENT.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define ORIGIN "https://app.example"

/* An exchange with findings at every stage, readable names and ACR values. */
static const char preflight_text[] = "HTTP/1.1 204 No Content\r\n"
                                     "Access-Control-Allow-Origin: " ORIGIN "\r\n"
                                     "Access-Control-Allow-Credentials: true\r\n"
                                     "Access-Control-Allow-Methods: PUT\r\n"
                                     "Access-Control-Allow-Headers: x-token\r\n"
                                     "Access-Control-Max-Age: 86400\r\n"
                                     "\r\n";
static const char response_text[] = "HTTP/1.1 200 OK\r\n"
                                    "Access-Control-Allow-Origin: " ORIGIN "\r\n"
                                    "Access-Control-Allow-Credentials: true\r\n"
                                    "Content-Type: text/plain\r\n"
                                    "X-Request-Id: 42\r\n"
                                    "Set-Cookie: s=1\r\n"
                                    "Access-Control-Expose-Headers: X-Request-Id, Set-Cookie\r\n"
                                    "\r\n";
static const cors_header request_headers[] = {
    {STR_INIT("X-Token"), STR_INIT("t")},
    {STR_INIT("DPR"), STR_INIT("2")},
    {STR_INIT("Cookie"), STR_INIT("a=b")},
};

static parsed_head preflight_head, response_head;
static cors_request request;
static big_report whole; /* the answer with buffers larger than it needs */

static int32_t evaluate(cors_report *r)
{
    return cors_evaluate(NULL, &request, &preflight_head.response, &response_head.response, r, NULL);
}

static int setup(void **state)
{
    (void)state;
    parsed_head_init(&preflight_head, preflight_text);
    parsed_head_init(&response_head, response_text);
    cors_request_init(&request, sizeof(request));
    request.origin = STR(ORIGIN);
    request.method = STR("put");
    request.headers = request_headers;
    request.header_count = COUNT(request_headers);
    request.credentials = CORS_CREDENTIALS_INCLUDE;
    if (evaluate(big_report_lend(&whole)) != CORS_OK || whole.report.needs != 0 || !whole.report.ok)
        return -1;
    return 0;
}

/* The fixture is what the tests below say it is. */
static void test_fixture(void **state)
{
    static const int32_t codes[] = {CORS_FINDING_REQUEST_HEADER_DROPPED, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED,
                                    CORS_FINDING_MAX_AGE_CAPPED, CORS_FINDING_VARY_ORIGIN_MISSING,
                                    CORS_FINDING_EXPOSE_SET_COOKIE};
    const cors_report *r = &whole.report;
    char buf[256];
    (void)state;
    assert_int_equal(r->finding_count, COUNT(codes));
    for (size_t i = 0; i < COUNT(codes); i++)
        assert_int_equal(r->findings[i].code, codes[i]);
    assert_string_equal(readable_joined(r, buf, sizeof(buf)), "content-type,x-request-id");
    assert_span(r, r->method, "PUT");
    assert_span(r, r->acr_headers, "x-token");
    assert_int_equal(r->preflight_cache_seconds, 7200);
}

/* The verdict: everything but the counts and what the buffers hold. */
static void assert_same_verdict(const cors_report *a, const cors_report *b)
{
    assert_int_equal(a->rules, b->rules);
    assert_int_equal(a->ok, b->ok);
    assert_int_equal(a->needs & ~CORS_NEED_ROOM, b->needs & ~CORS_NEED_ROOM);
    assert_int_equal(a->failed_at, b->failed_at);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->preflight, b->preflight);
    assert_int_equal(a->has_acr_method, b->has_acr_method);
    assert_int_equal(a->has_acr_headers, b->has_acr_headers);
    assert_int_equal(a->has_cache_seconds, b->has_cache_seconds);
    assert_int_equal(a->preflight_cache_seconds, b->preflight_cache_seconds);
    /* spans are offsets into the whole answer's text, whatever was stored */
    assert_memory_equal(&a->method, &b->method, sizeof(a->method));
    assert_memory_equal(&a->acr_method, &b->acr_method, sizeof(a->acr_method));
    assert_memory_equal(&a->acr_headers, &b->acr_headers, sizeof(a->acr_headers));
    assert_int_equal(a->finding_count, b->finding_count);
}

/* The stored parts of `r` are the whole answer's. */
static void assert_same_answer(const cors_report *r, const cors_report *full)
{
    assert_same_verdict(r, full);
    assert_int_equal(r->needs, full->needs);
    assert_int_equal(r->readable_count, full->readable_count);
    assert_int_equal(r->text_length, full->text_length);
    assert_memory_equal(r->text, full->text, full->text_length);
    assert_memory_equal(r->findings, full->findings, full->finding_count * sizeof(cors_finding));
    assert_memory_equal(r->readable, full->readable, full->readable_count * sizeof(cors_span));
}

/* ------------------------------------------------------------------------ */
/* cors_report_init                                                          */
/* ------------------------------------------------------------------------ */

static void test_report_init(void **state)
{
    cors_finding findings[4];
    cors_span readable[4];
    char text[16];
    cors_report r;
    (void)state;
    memset(&r, 0xab, sizeof(r));
    cors_report_init(&r, sizeof(r), findings, 4, readable, 3, text, sizeof(text));
    assert_int_equal(r.struct_size, sizeof(r));
    assert_ptr_equal(r.findings, findings);
    assert_int_equal(r.findings_capacity, 4);
    assert_ptr_equal(r.readable, readable);
    assert_int_equal(r.readable_capacity, 3);
    assert_ptr_equal(r.text, text);
    assert_int_equal(r.text_capacity, sizeof(text));
    assert_int_equal(r.ok, 0);
    assert_int_equal(r.needs, 0);
    assert_int_equal(r.kind, CORS_KIND_NONE);
    assert_int_equal(r.finding_count, 0);
    assert_int_equal(r.readable_count, 0);
    assert_int_equal(r.text_length, 0);
    assert_int_equal(r.preflight_cache_seconds, 0);
    /* a NULL buffer has no capacity, whatever is passed */
    cors_report_init(&r, sizeof(r), NULL, 4, NULL, 3, NULL, 16);
    assert_int_equal(r.findings_capacity, 0);
    assert_int_equal(r.readable_capacity, 0);
    assert_int_equal(r.text_capacity, 0);
    /* NULL, or a size that cannot hold struct_size: nothing happens */
    cors_report_init(NULL, sizeof(r), findings, 4, readable, 3, text, sizeof(text));
    memset(&r, 0xab, sizeof(r));
    cors_report_init(&r, sizeof(size_t) - 1, findings, 4, readable, 3, text, sizeof(text));
    assert_int_equal(r.struct_size, (size_t)0xabababababababab);
}

/* An older caller's smaller struct: init writes only its bytes. */
static void test_report_init_smaller_size(void **state)
{
    struct {
        cors_report report;
    } s;
    cors_finding findings[4];
    const size_t size = offsetof(cors_report, rules);
    (void)state;
    memset(&s, 0x5a, sizeof(s));
    cors_report_init(&s.report, size, findings, 4, NULL, 0, NULL, 0);
    assert_int_equal(s.report.struct_size, size);
    assert_ptr_equal(s.report.findings, findings);
    for (size_t i = size; i < sizeof(s.report); i++)
        assert_int_equal(((unsigned char *)&s.report)[i], 0x5a);
}

/* Smaller still, ending inside a lent buffer's fields (init's slower path): still only its bytes. */
static void test_report_init_smallest_sizes(void **state)
{
    cors_finding findings[4];
    char text[8];
    (void)state;
    for (size_t size = sizeof(size_t); size < offsetof(cors_report, rules); size++) {
        cors_report r, want;
        memset(&r, 0x5a, sizeof(r));
        memset(&want, 0, sizeof(want));
        want.struct_size = size;
        want.findings = findings;
        want.findings_capacity = 4;
        want.text = text;
        want.text_capacity = sizeof(text);
        cors_report_init(&r, size, findings, 4, NULL, 0, text, sizeof(text));
        assert_memory_equal(&r, &want, size);
        for (size_t i = size; i < sizeof(r); i++)
            assert_int_equal(((unsigned char *)&r)[i], 0x5a);
    }
}

/* ------------------------------------------------------------------------ */
/* Capacities                                                                */
/* ------------------------------------------------------------------------ */

static void test_counts_past_capacity(void **state)
{
    const cors_report *full = &whole.report;
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1 << 16];
    cors_report r;
    (void)state;
    for (size_t cap = 0; cap < full->finding_count; cap++) {
        memset(findings, 0xab, sizeof(findings));
        cors_report_init(&r, sizeof(r), findings, cap, readable, COUNT(readable), text, sizeof(text));
        assert_int_equal(evaluate(&r), CORS_OK);
        /* the count is the whole answer's, the first `cap` are stored, no more */
        assert_int_equal(r.finding_count, full->finding_count);
        assert_int_equal(r.needs, CORS_NEED_ROOM);
        assert_same_verdict(&r, full);
        assert_memory_equal(findings, full->findings, cap * sizeof(*findings));
        for (size_t i = cap * sizeof(*findings); i < sizeof(findings); i++)
            assert_int_equal(((unsigned char *)findings)[i], 0xab);
        /* the text is complete: offsets do not depend on what was stored */
        assert_int_equal(r.text_length, full->text_length);
        assert_memory_equal(text, full->text, full->text_length);
    }
}

/* A first call with nothing lent, a second with its counts: the very bytes of huge buffers. */
static void test_second_call_completes(void **state)
{
    const cors_report *full = &whole.report;
    cors_finding *findings;
    cors_span *readable;
    char *text;
    cors_report r;
    (void)state;
    cors_report_init(&r, sizeof(r), NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(evaluate(&r), CORS_OK);
    assert_int_equal(r.needs, CORS_NEED_ROOM);
    assert_same_verdict(&r, full);
    assert_true(r.finding_count == full->finding_count && r.readable_count >= full->readable_count &&
                r.text_length >= full->text_length);
    findings = malloc(r.finding_count * sizeof(*findings));
    readable = malloc(r.readable_count * sizeof(*readable));
    text = malloc(r.text_length);
    assert_non_null(findings);
    assert_non_null(readable);
    assert_non_null(text);
    cors_report_init(&r, sizeof(r), findings, r.finding_count, readable, r.readable_count, text, r.text_length);
    assert_int_equal(evaluate(&r), CORS_OK);
    assert_same_answer(&r, full);
    free(findings);
    free(readable);
    free(text);
}

/* Every text capacity from 0 to the answer's length: the verdict is the same,
 * what is stored is a prefix of the whole text ending where a piece ended,
 * nothing is written past it, and no one-piece span is cut. */
static void test_every_text_capacity(void **state)
{
    const cors_report *full = &whole.report;
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1 << 12];
    cors_report r;
    (void)state;
    assert_true(full->text_length < sizeof(text));
    for (size_t cap = 0; cap <= full->text_length; cap++) {
        size_t stored = 0;
        memset(text, 0xab, sizeof(text));
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), text, cap);
        assert_int_equal(evaluate(&r), CORS_OK);
        assert_same_verdict(&r, full);
        assert_int_equal(r.text_length, full->text_length);
        assert_int_equal(r.needs, cap < full->text_length ? CORS_NEED_ROOM : 0);
        while (stored < cap && text[stored] == full->text[stored])
            stored++;
        for (size_t i = stored; i < sizeof(text); i++)
            if ((unsigned char)text[i] != 0xab)
                fail_msg("capacity %zu: byte %zu written after the stored %zu", cap, i, stored);
        /* one-piece spans: the method, each finding's header, each readable name */
        {
            cors_span pieces[32];
            size_t n = 0;
            pieces[n++] = full->method;
            for (size_t i = 0; i < full->finding_count; i++)
                pieces[n++] = full->findings[i].header;
            for (size_t i = 0; i < full->readable_count; i++)
                pieces[n++] = full->readable[i];
            for (size_t i = 0; i < n; i++)
                if (pieces[i].length > 0 && pieces[i].offset < stored && pieces[i].offset + pieces[i].length > stored)
                    fail_msg("capacity %zu: a piece at %u cut after %zu bytes", cap, pieces[i].offset,
                             stored - pieces[i].offset);
        }
    }
}

/* Zero capacities, or any mix: the same verdict. */
static void test_capacities_do_not_change_the_verdict(void **state)
{
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1 << 12];
    const cors_report *full = &whole.report;
    static const struct {
        size_t findings, readable, text;
    } caps[] = {
        {.findings = 0, .readable = 0, .text = 0},    {.findings = 1, .readable = 0, .text = 0},
        {.findings = 0, .readable = 1, .text = 0},    {.findings = 0, .readable = 0, .text = 1},
        {.findings = 8, .readable = 8, .text = 0},    {.findings = 0, .readable = 8, .text = 4096},
        {.findings = 8, .readable = 0, .text = 4096}, {.findings = 8, .readable = 1, .text = 4096},
        {.findings = 2, .readable = 2, .text = 100},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(caps); i++) {
        cors_report r;
        cors_report_init(&r, sizeof(r), findings, caps[i].findings, readable, caps[i].readable, text, caps[i].text);
        assert_int_equal(evaluate(&r), CORS_OK);
        assert_same_verdict(&r, full);
        assert_int_equal(r.needs, CORS_NEED_ROOM);
    }
}

/* A report used again: nothing of the first answer stays. */
static void test_evaluate_into_again(void **state)
{
    static big_report b;
    static parsed_head refused;
    cors_report *r = big_report_lend(&b);
    cors_request bad = request;
    (void)state;
    /* first a refusal with its own findings and a fix */
    bad.credentials = CORS_CREDENTIALS_OMIT;
    assert_int_equal(cors_evaluate(NULL, &bad, &preflight_head.response,
                                   parsed_head_init(&refused, "HTTP/1.1 200 OK\r\nX: 1\r\n\r\n"), r, NULL),
                     CORS_OK);
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->failed_at, CORS_STAGE_RESPONSE);
    /* then the fixture: as if the report were new */
    assert_int_equal(evaluate(r), CORS_OK);
    assert_same_answer(r, &whole.report);
    /* and the buffers and struct_size stay the caller's */
    assert_ptr_equal(r->findings, b.findings);
    assert_int_equal(r->findings_capacity, COUNT(b.findings));
    assert_int_equal(r->struct_size, sizeof(*r));
}

/* Text capacity past UINT32_MAX: spans are 32-bit, the answer is still right. */
static void test_huge_text_capacity(void **state)
{
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1 << 12];
    cors_report r;
    (void)state;
    static const size_t caps[] = {(size_t)UINT32_MAX, (size_t)UINT32_MAX + 1, (size_t)UINT32_MAX + 4096, SIZE_MAX};
    /* the answer needs far less than the buffer really has; the capacity only says more */
    for (size_t i = 0; i < COUNT(caps); i++) {
        memset(text, 0xab, sizeof(text));
        memset(findings, 0xab, sizeof(findings));
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), text, caps[i]);
        assert_int_equal(evaluate(&r), CORS_OK);
        assert_int_equal(r.needs, 0);
        assert_int_equal(r.text_capacity, caps[i]);
        assert_same_answer(&r, &whole.report);
    }
}

/* ------------------------------------------------------------------------ */
/* Copies                                                                    */
/* ------------------------------------------------------------------------ */

/* The report and its three buffers memcpy'd elsewhere, the originals and
 * every input overwritten: the copy reads the same. */
static void test_copied_report(void **state)
{
    big_report *b = malloc(sizeof(*b));
    cors_report copy;
    cors_finding *findings;
    cors_span *readable;
    char *text, buf[256];
    char *origin = malloc(32), *method = malloc(8), *pf = malloc(sizeof(preflight_text)),
         *rs = malloc(sizeof(response_text));
    cors_header *hs = malloc(sizeof(request_headers)), pf_h[16], rs_h[16];
    cors_response pf_r, rs_r;
    cors_request req;
    const cors_finding *f;
    (void)state;
    assert_true(b && origin && method && pf && rs && hs);
    strcpy(origin, ORIGIN);
    strcpy(method, "put");
    memcpy(pf, preflight_text, sizeof(preflight_text));
    memcpy(rs, response_text, sizeof(response_text));
    memcpy(hs, request_headers, sizeof(request_headers));
    cors_response_init(&pf_r, sizeof(pf_r));
    cors_response_init(&rs_r, sizeof(rs_r));
    assert_int_equal(cors_response_parse(pf, sizeof(preflight_text) - 1, 0, pf_h, 16, &pf_r, NULL), CORS_OK);
    assert_int_equal(cors_response_parse(rs, sizeof(response_text) - 1, 0, rs_h, 16, &rs_r, NULL), CORS_OK);
    req = request;
    req.origin = str_z(origin);
    req.method = str_z(method);
    req.headers = hs;
    assert_int_equal(cors_evaluate(NULL, &req, &pf_r, &rs_r, big_report_lend(b), NULL), CORS_OK);

    /* copy the report and exactly the bytes it uses, then lend the copies */
    findings = malloc(b->report.finding_count * sizeof(*findings));
    readable = malloc(b->report.readable_count * sizeof(*readable));
    text = malloc(b->report.text_length);
    assert_true(findings && readable && text);
    memcpy(&copy, &b->report, sizeof(copy));
    memcpy(findings, b->findings, b->report.finding_count * sizeof(*findings));
    memcpy(readable, b->readable, b->report.readable_count * sizeof(*readable));
    memcpy(text, b->text, b->report.text_length);
    copy.findings = findings;
    copy.readable = readable;
    copy.text = text;

    /* overwrite and free every original */
    memset(b, 'X', sizeof(*b));
    memset(origin, 'X', 32);
    memset(method, 'X', 8);
    memset(pf, 'X', sizeof(preflight_text));
    memset(rs, 'X', sizeof(response_text));
    memset(hs, 0, sizeof(request_headers));
    memset(pf_h, 0, sizeof(pf_h));
    memset(rs_h, 0, sizeof(rs_h));
    free(b);
    free(origin);
    free(method);
    free(pf);
    free(rs);
    free(hs);

    assert_same_answer(&copy, &whole.report);
    assert_string_equal(readable_joined(&copy, buf, sizeof(buf)), "content-type,x-request-id");
    assert_span(&copy, copy.acr_method, "PUT");
    f = find_finding(&copy, CORS_FINDING_MAX_AGE_CAPPED);
    assert_non_null(f);
    assert_span(&copy, f->header, "Access-Control-Max-Age");
    assert_span(&copy, f->value, "86400");
    assert_span(&copy, f->fix, "Access-Control-Max-Age: 7200");
    f = find_finding(&copy, CORS_FINDING_REQUEST_HEADER_DROPPED);
    assert_non_null(f);
    assert_span(&copy, f->value, "Cookie");
    free(findings);
    free(readable);
    free(text);
}

/* ------------------------------------------------------------------------ */
/* struct_size                                                               */
/* ------------------------------------------------------------------------ */

#define TRAILING 40

/* The smallest layouts cors_evaluate takes (lib/evaluate.c: the first 0.2.0
 * layouts; a caller built against one of them gets zero for later fields). */
#define REQUEST_V0_SIZE (offsetof(cors_request, url) + sizeof(cors_str))
#define OPTIONS_V0_SIZE (offsetof(cors_options, flags) + sizeof(uint32_t))
#define RESPONSE_V0_SIZE (offsetof(cors_response, header_total) + sizeof(size_t))

/* A newer libcors.h: the same struct with fields after it. */
typedef struct newer_report {
    cors_report report;
    unsigned char newer[TRAILING];
} newer_report;
typedef struct newer_request {
    cors_request request;
    unsigned char newer[TRAILING];
} newer_request;
typedef struct newer_options {
    cors_options options;
    unsigned char newer[TRAILING];
} newer_options;
typedef struct newer_response {
    cors_response response;
    unsigned char newer[TRAILING];
} newer_response;

static void assert_trailing(const unsigned char *p, unsigned char want)
{
    for (size_t i = 0; i < TRAILING; i++)
        if (p[i] != want)
            fail_msg("trailing byte %zu is 0x%02x, want 0x%02x", i, p[i], want);
}

static void test_newer_report(void **state)
{
    static newer_report n;
    static cors_finding findings[8];
    static cors_span readable[8];
    static char text[1 << 12];
    (void)state;
    /* init clears the whole struct it is told about */
    memset(&n, 0xab, sizeof(n));
    cors_report_init(&n.report, sizeof(n), findings, COUNT(findings), readable, COUNT(readable), text, sizeof(text));
    assert_int_equal(n.report.struct_size, sizeof(n));
    assert_trailing(n.newer, 0);
    /* evaluation keeps the fields it does not know */
    memset(n.newer, 0x5a, TRAILING);
    assert_int_equal(evaluate(&n.report), CORS_OK);
    assert_trailing(n.newer, 0x5a);
    assert_int_equal(n.report.struct_size, sizeof(n));
    assert_same_answer(&n.report, &whole.report);
}

static void test_older_report_is_refused(void **state)
{
    static cors_finding findings[8];
    static char text[1 << 12];
    static const size_t sizes[] = {0, sizeof(size_t), offsetof(cors_report, text_length), sizeof(cors_report) - 1};
    (void)state;
    for (size_t i = 0; i < COUNT(sizes); i++) {
        cors_report r;
        cors_error err;
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), NULL, 0, text, sizeof(text));
        r.struct_size = sizes[i];
        r.ok = 77;
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(cors_evaluate(NULL, &request, &preflight_head.response, &response_head.response, &r, &err),
                         CORS_E_ARGUMENT);
        assert_int_equal(err.status, CORS_E_ARGUMENT);
        assert_int_equal(err.offset, 0);
        assert_int_equal(err.index, SIZE_MAX);
        /* not even reset: the library cannot know how much of it is the caller's */
        assert_int_equal(r.ok, 77);
        assert_int_equal(r.struct_size, sizes[i]);
    }
}

static void test_newer_request_options_and_responses(void **state)
{
    static newer_request q;
    static newer_options o;
    static newer_response pre, resp;
    static big_report b;
    cors_report *r;
    (void)state;
    /* init clears a newer struct whole */
    memset(&q, 0xab, sizeof(q));
    cors_request_init(&q.request, sizeof(q));
    assert_int_equal(q.request.struct_size, sizeof(q));
    assert_trailing(q.newer, 0);
    memset(&o, 0xab, sizeof(o));
    cors_options_init(&o.options, sizeof(o));
    assert_int_equal(o.options.struct_size, sizeof(o));
    assert_int_equal(o.options.rules, CORS_RULES_BROWSER);
    assert_int_equal(o.options.flags, 0);
    assert_trailing(o.newer, 0);

    /* the same request, options and responses at a newer size, with garbage in the fields 0.2.0 does not know */
    memcpy(&q.request, &request, sizeof(request));
    q.request.struct_size = sizeof(q);
    memset(q.newer, 0x5a, TRAILING);
    o.options.struct_size = sizeof(o);
    memset(o.newer, 0x5a, TRAILING);
    memcpy(&pre.response, &preflight_head.response, sizeof(pre.response));
    pre.response.struct_size = sizeof(pre);
    memset(pre.newer, 0x5a, TRAILING);
    memcpy(&resp.response, &response_head.response, sizeof(resp.response));
    resp.response.struct_size = sizeof(resp);
    memset(resp.newer, 0x5a, TRAILING);
    r = big_report_lend(&b);
    assert_int_equal(cors_evaluate(&o.options, &q.request, &pre.response, &resp.response, r, NULL), CORS_OK);
    assert_same_answer(r, &whole.report);
    assert_trailing(q.newer, 0x5a);
    assert_trailing(o.newer, 0x5a);
    assert_trailing(pre.newer, 0x5a);
    assert_trailing(resp.newer, 0x5a);
}

static void test_older_request_options_and_responses_are_refused(void **state)
{
    static big_report b;
    cors_request q = request;
    cors_options o;
    cors_response pre = preflight_head.response, resp = response_head.response;
    cors_error err;
    (void)state;
    cors_options_init(&o, sizeof(o));

#define EXPECT_ARGUMENT(options_, request_, pre_, resp_)                                                       \
    do {                                                                                                       \
        memset(&err, 0xab, sizeof(err));                                                                       \
        assert_int_equal(cors_evaluate((options_), (request_), (pre_), (resp_), big_report_lend(&b), &err),     \
                         CORS_E_ARGUMENT);                                                                     \
        assert_int_equal(err.status, CORS_E_ARGUMENT);                                                         \
        assert_int_equal(err.offset, 0);                                                                       \
        assert_int_equal(err.index, SIZE_MAX);                                                                 \
        /* the report is reset: no verdict */                                                                  \
        assert_int_equal(b.report.ok, 0);                                                                      \
        assert_int_equal(b.report.finding_count, 0);                                                           \
        assert_int_equal(b.report.struct_size, sizeof(b.report));                                              \
    } while (0)

    /* below the smallest layout the library takes (the first 0.2.0 one: the fields
     * added since are read as zero) */
    q.struct_size = REQUEST_V0_SIZE - 1;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    q.struct_size = 0;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    q.struct_size = sizeof(q);
    o.struct_size = OPTIONS_V0_SIZE - 1;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    o.struct_size = sizeof(size_t);
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    o.struct_size = sizeof(o);
    pre.struct_size = RESPONSE_V0_SIZE - 1;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    pre.struct_size = sizeof(pre);
    resp.struct_size = 0;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    resp.struct_size = RESPONSE_V0_SIZE - 1;
    EXPECT_ARGUMENT(&o, &q, &pre, &resp);
    resp.struct_size = sizeof(resp);
#undef EXPECT_ARGUMENT
    /* and at the right sizes it works */
    assert_int_equal(cors_evaluate(&o, &q, &pre, &resp, big_report_lend(&b), NULL), CORS_OK);
    assert_same_answer(&b.report, &whole.report);
    /* the smallest layouts too: what a caller built against them does not have is zero */
    q.struct_size = REQUEST_V0_SIZE;
    o.struct_size = OPTIONS_V0_SIZE;
    pre.struct_size = resp.struct_size = RESPONSE_V0_SIZE;
    assert_int_equal(cors_evaluate(&o, &q, &pre, &resp, big_report_lend(&b), NULL), CORS_OK);
    assert_same_answer(&b.report, &whole.report);
}

/* The response as an out-parameter: a newer struct's fields are kept. */
static void test_newer_response_out(void **state)
{
    static newer_response n;
    cors_header hs[16];
    (void)state;
    memset(&n, 0xab, sizeof(n));
    cors_response_init(&n.response, sizeof(n));
    assert_trailing(n.newer, 0);
    memset(n.newer, 0x5a, TRAILING);
    assert_int_equal(cors_response_parse(response_text, sizeof(response_text) - 1, 0, hs, 16, &n.response, NULL),
                     CORS_OK);
    assert_int_equal(n.response.struct_size, sizeof(n));
    assert_int_equal(n.response.header_count, response_head.response.header_count);
    assert_trailing(n.newer, 0x5a);
    assert_int_equal(cors_response_parse("x", 1, CORS_PARSE_STRICT, hs, 16, &n.response, NULL),
                     CORS_E_NO_STATUS_LINE);
    assert_trailing(n.newer, 0x5a);
    assert_int_equal(cors_response_from_headers(204, hs, 2, &n.response, NULL), CORS_OK);
    assert_int_equal(n.response.struct_size, sizeof(n));
    assert_trailing(n.newer, 0x5a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_report_init),
        cmocka_unit_test(test_report_init_smaller_size),
        cmocka_unit_test(test_report_init_smallest_sizes),
        cmocka_unit_test(test_counts_past_capacity),
        cmocka_unit_test(test_second_call_completes),
        cmocka_unit_test(test_every_text_capacity),
        cmocka_unit_test(test_capacities_do_not_change_the_verdict),
        cmocka_unit_test(test_evaluate_into_again),
        cmocka_unit_test(test_huge_text_capacity),
        cmocka_unit_test(test_copied_report),
        cmocka_unit_test(test_newer_report),
        cmocka_unit_test(test_older_report_is_refused),
        cmocka_unit_test(test_newer_request_options_and_responses),
        cmocka_unit_test(test_older_request_options_and_responses_are_refused),
        cmocka_unit_test(test_newer_response_out),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
