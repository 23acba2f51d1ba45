/* SPDX-License-Identifier: MIT */
/*
 * test_chain.c - lib/chain.c through cors_evaluate_chain: the contracts of a
 * redirect chain. What the report needs at each point (a preflight, a
 * response, a redirect's target) with hop_report_count naming the hop;
 * report->hops and ->failed_hop; the hop reports (URL, method, Origin,
 * preflight, body) and CORS_NEED_ROOM when too few are lent; the method
 * change of Fetch "HTTP-redirect fetch" step 12 for every redirect status and
 * method; the 20-redirect limit; Chromium's preflight cache along a chain;
 * the chain's error kinds with their findings (every kind from
 * TooManyRedirects to UrlCredentials has a row); CORS_E_BAD_URL; and no
 * allocation. Behaviour case by case (Locations, tainting, hops' verdicts)
 * lives in tests/corpus/redirect-chain-*.case.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define ORIGIN "https://app.example"
#define URL "https://api.example/start"
#define MAX_HOPS 24

#define ACAO_STAR "Access-Control-Allow-Origin: *\r\n"
#define OK_STAR "HTTP/1.1 200 OK\r\n" ACAO_STAR "\r\n"
#define PREFLIGHT_OK "HTTP/1.1 204 No Content\r\n" ACAO_STAR "Access-Control-Allow-Methods: PUT, POST, DELETE\r\n" \
                     "Access-Control-Allow-Headers: x-token\r\n"
#define REDIRECT(status, location) "HTTP/1.1 " status "\r\n" ACAO_STAR "Location: " location "\r\n\r\n"

typedef struct hop_spec {
    const char *preflight; /* NULL: not given */
    const char *response;
} hop_spec;

typedef struct chain_spec {
    const char *origin;   /* NULL: ORIGIN */
    const char *url;      /* NULL: URL; "" for none */
    const char *method;   /* NULL: GET */
    int32_t credentials;
    int32_t body;
    const char *header;   /* one request header "Name: value", or NULL */
    hop_spec hops[MAX_HOPS];
    size_t hop_count;
} chain_spec;

typedef struct chain_run {
    cors_header req_header;
    parsed_head heads[MAX_HOPS][2];
    cors_hop hops[MAX_HOPS];
    cors_request request;
    cors_hop_report hop_reports[MAX_HOPS];
    big_report report;
} chain_run;

static int32_t run_chain(chain_run *c, const chain_spec *s, size_t hop_capacity, cors_error *err)
{
    const char *colon;
    cors_request_init(&c->request, sizeof(c->request));
    c->request.origin = str_z(s->origin ? s->origin : ORIGIN);
    c->request.url = str_z(s->url ? s->url : URL);
    c->request.method = str_z(s->method ? s->method : "GET");
    c->request.credentials = s->credentials;
    c->request.body = s->body;
    if (s->header != NULL) {
        colon = strchr(s->header, ':');
        assert_non_null(colon);
        c->req_header.name = (cors_str){s->header, (size_t)(colon - s->header)};
        c->req_header.value = str_z(colon + 2);
        c->request.headers = &c->req_header;
        c->request.header_count = 1;
    }
    for (size_t i = 0; i < s->hop_count; i++) {
        c->hops[i].preflight = s->hops[i].preflight ? parsed_head_init(&c->heads[i][0], s->hops[i].preflight) : NULL;
        c->hops[i].response = s->hops[i].response ? parsed_head_init(&c->heads[i][1], s->hops[i].response) : NULL;
    }
    memset(c->hop_reports, 0xab, sizeof(c->hop_reports));
    big_report_lend(&c->report);
    cors_report_lend_hops(&c->report.report, hop_capacity ? c->hop_reports : NULL, hop_capacity);
    return cors_evaluate_chain(NULL, &c->request, c->hops, s->hop_count, &c->report.report, err);
}

static const cors_hop_report *hop_of(const chain_run *c, int32_t hop)
{
    assert_true(hop >= 1 && (size_t)hop <= c->report.report.hop_report_count);
    return &c->hop_reports[hop - 1];
}

/* ------------------------------------------------------------------------ */
/* What the report needs                                                     */
/* ------------------------------------------------------------------------ */

typedef struct needs_row {
    const char *label;
    chain_spec chain;
    int32_t needs;
    int32_t hop_report_count; /* the hop the need is for */
    int32_t hops;             /* report->hops */
    int32_t ok;
} needs_row;

static const needs_row needs_rows[] = {
    {.label = "no hop: the response of hop 1", .chain = {.hop_count = 0}, .needs = CORS_NEED_RESPONSE,
     .hop_report_count = 1},
    {.label = "a PUT and no hop: the preflight of hop 1", .chain = {.method = "PUT", .hop_count = 0},
     .needs = CORS_NEED_PREFLIGHT, .hop_report_count = 1},
    {.label = "the preflight given, not the response",
     .chain = {.method = "PUT", .hops = {{.preflight = PREFLIGHT_OK "\r\n"}}, .hop_count = 1},
     .needs = CORS_NEED_RESPONSE, .hop_report_count = 1},
    {.label = "a redirect as the last hop given",
     .chain = {.hops = {{.response = REDIRECT("302 Found", "/next")}}, .hop_count = 1},
     .needs = CORS_NEED_REDIRECT_TARGET, .hop_report_count = 1, .hops = 1},
    {.label = "two redirects, then nothing",
     .chain = {.hops = {{.response = REDIRECT("302 Found", "/2")}, {.response = REDIRECT("307 Temporary Redirect", "/3")}},
               .hop_count = 2},
     .needs = CORS_NEED_REDIRECT_TARGET, .hop_report_count = 2, .hops = 2},
    {.label = "a redirect, then a hop without its response",
     .chain = {.hops = {{.response = REDIRECT("302 Found", "/2")}, {.preflight = PREFLIGHT_OK "\r\n"}}, .hop_count = 2},
     .needs = CORS_NEED_RESPONSE, .hop_report_count = 2, .hops = 1},
    {.label = "a PUT redirected with 307 to another URL: its preflight",
     .chain = {.method = "PUT",
               .hops = {{.preflight = PREFLIGHT_OK "\r\n", .response = REDIRECT("307 Temporary Redirect", "/2")}},
               .hop_count = 2},
     .needs = CORS_NEED_PREFLIGHT, .hop_report_count = 2, .hops = 1},
    {.label = "three hops, complete",
     .chain = {.hops = {{.response = REDIRECT("301 Moved Permanently", "/2")},
                        {.response = REDIRECT("308 Permanent Redirect", "https://b.example/3")},
                        {.response = OK_STAR}},
               .hop_count = 3},
     .hop_report_count = 3, .hops = 3, .ok = 1},
    {.label = "a hop given past the final response is not read",
     .chain = {.hops = {{.response = OK_STAR}, {.response = "HTTP/1.1 500 Oops\r\n\r\n"}}, .hop_count = 2},
     .hop_report_count = 1, .hops = 1, .ok = 1},
};

static void test_needs(void **state)
{
    static chain_run c;
    cors_error err;
    (void)state;
    for (size_t i = 0; i < COUNT(needs_rows); i++) {
        const needs_row *row = &needs_rows[i];
        const cors_report *r = &c.report.report;
        assert_int_equal(run_chain(&c, &row->chain, MAX_HOPS, &err), CORS_OK);
        if (r->needs != row->needs || (int32_t)r->hop_report_count != row->hop_report_count ||
            r->hops != row->hops || r->ok != row->ok || r->failed_hop != 0)
            fail_msg("%s: needs %d hop reports %zu hops %d ok %d failed hop %d", row->label, (int)r->needs,
                     r->hop_report_count, (int)r->hops, (int)r->ok, (int)r->failed_hop);
        assert_true(report_spans_in_bounds(r));
    }
}

/* ------------------------------------------------------------------------ */
/* Hop reports                                                               */
/* ------------------------------------------------------------------------ */

static const chain_spec three_hops = {
    .method = "PUT",
    .header = "X-Token: 1",
    .body = 1,
    .hops = {{.preflight = PREFLIGHT_OK "\r\n", .response = REDIRECT("307 Temporary Redirect", "/b?x=1#frag")},
             {.preflight = PREFLIGHT_OK "\r\n", .response = REDIRECT("303 See Other", "https://other.example/c")},
             {.preflight = PREFLIGHT_OK "\r\n", .response = OK_STAR}},
    .hop_count = 3,
};

static void test_hop_reports(void **state)
{
    static chain_run c;
    const cors_report *r = &c.report.report;
    const cors_hop_report *h;
    (void)state;
    assert_int_equal(run_chain(&c, &three_hops, MAX_HOPS, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->needs, 0);
    assert_int_equal(r->hops, 3);
    assert_int_equal(r->hop_report_count, 3);
    h = hop_of(&c, 1);
    assert_int_equal(h->preflight, 1);
    assert_int_equal(h->has_origin, 1);
    assert_int_equal(h->body, 1);
    assert_span(r, h->url, URL);
    assert_span(r, h->method, "PUT");
    assert_span(r, h->origin, ORIGIN);
    assert_span(r, h->acr_method, "PUT");
    assert_int_equal(h->has_acr_headers, 1);
    assert_span(r, h->acr_headers, "x-token");
    /* hop 1's preflight fields are the report's */
    assert_int_equal(r->preflight, 1);
    assert_span(r, r->acr_headers, "x-token");
    /* 307 keeps the method and body; the fragment is not sent; same origin: no tainting */
    h = hop_of(&c, 2);
    assert_int_equal(h->preflight, 1);
    assert_int_equal(h->body, 1);
    assert_span(r, h->url, "https://api.example/b?x=1");
    assert_span(r, h->method, "PUT");
    assert_span(r, h->origin, ORIGIN);
    /* 303 turns PUT into GET without a body; X-Token still needs a preflight,
     * which the new origin sends tainted: Origin null */
    h = hop_of(&c, 3);
    assert_int_equal(h->preflight, 1);
    assert_int_equal(h->body, 0);
    assert_int_equal(h->has_origin, 1);
    assert_span(r, h->url, "https://other.example/c");
    assert_span(r, h->method, "GET");
    assert_span(r, h->origin, "null");
    assert_span(r, h->acr_method, "GET");
    assert_int_equal(h->has_acr_headers, 1);
    assert_span(r, h->acr_headers, "x-token");
    assert_true(find_finding(r, CORS_FINDING_REDIRECT_TAINTED) != NULL);
    assert_true(report_spans_in_bounds(r));
}

/* Access-Control-Request-Headers written whole when it fits, piece by piece when it does not:
 * at every text capacity the stored bytes are a prefix of the roomy report's, the counts and
 * spans the same. */
static void test_acr_headers_at_every_capacity(void **state)
{
    static const cors_header headers[] = {{STR_INIT("Content-Type"), STR_INIT("application/json")},
                                          {STR_INIT("X-B"), STR_INIT("1")},
                                          {STR_INIT("Authorization"), STR_INIT("Bearer x")}};
    static const char preflight[] = PREFLIGHT_OK "\r\n";
    static char text[4096], ref[4096];
    static parsed_head p;
    cors_finding findings[16];
    cors_span readable[64];
    cors_request req;
    cors_report r, big;
    (void)state;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    req.url = STR(URL);
    req.method = STR("PUT");
    req.headers = headers;
    req.header_count = COUNT(headers);
    parsed_head_init(&p, preflight);
    cors_report_init(&big, sizeof(big), findings, COUNT(findings), readable, COUNT(readable), ref, sizeof(ref));
    assert_int_equal(cors_evaluate(NULL, &req, &p.response, NULL, &big, NULL), CORS_OK);
    assert_int_equal(big.has_acr_headers, 1);
    assert_true(big.acr_headers.offset + big.acr_headers.length <= big.text_length);
    assert_memory_equal(ref + big.acr_headers.offset, "authorization,content-type,x-b", 30);
    for (size_t cap = 0; cap <= big.text_length + 1; cap++) {
        size_t stored = 0;
        memset(text, 0xaa, sizeof(text));
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), text, cap);
        assert_int_equal(cors_evaluate(NULL, &req, &p.response, NULL, &r, NULL), CORS_OK);
        assert_int_equal(r.text_length, big.text_length);
        assert_int_equal(r.acr_headers.offset, big.acr_headers.offset);
        assert_int_equal(r.acr_headers.length, big.acr_headers.length);
        assert_int_equal((r.needs & CORS_NEED_ROOM) != 0, cap < big.text_length);
        while (stored < cap && (unsigned char)text[stored] != 0xaa)
            stored++;
        assert_memory_equal(text, ref, stored);
        for (size_t i = stored; i < sizeof(text); i++)
            if ((unsigned char)text[i] != 0xaa)
                fail_msg("capacity %zu: byte %zu written after the stored prefix of %zu", cap, i, stored);
        if (cap >= big.acr_headers.offset + big.acr_headers.length)
            assert_true(stored >= big.acr_headers.offset + big.acr_headers.length);
    }
}

/* Fewer hop reports lent than the chain has: CORS_NEED_ROOM, the count says
 * how many; the verdict is the same, the lent ones are filled. */
static void test_hop_reports_capacity(void **state)
{
    static chain_run c, whole;
    const cors_report *r = &c.report.report;
    (void)state;
    assert_int_equal(run_chain(&whole, &three_hops, MAX_HOPS, NULL), CORS_OK);
    for (size_t cap = 0; cap < 3; cap++) {
        assert_int_equal(run_chain(&c, &three_hops, cap, NULL), CORS_OK);
        assert_int_equal(r->ok, 1);
        assert_int_equal(r->hops, 3);
        assert_int_equal(r->hop_report_count, 3);
        assert_int_equal(r->hop_reports_capacity, cap);
        if (cap == 0)
            assert_null(r->hop_reports);
        assert_int_equal(r->needs, cap == 0 ? 0 : CORS_NEED_ROOM);
        for (size_t i = 0; i < cap; i++) {
            assert_int_equal(c.hop_reports[i].preflight, whole.hop_reports[i].preflight);
            assert_int_equal(c.hop_reports[i].body, whole.hop_reports[i].body);
        }
        /* nothing written past the capacity */
        for (size_t i = cap; i < 3; i++)
            assert_int_equal(c.hop_reports[i].preflight, (int32_t)0xabababab);
    }
    /* exactly enough */
    assert_int_equal(run_chain(&c, &three_hops, 3, NULL), CORS_OK);
    assert_int_equal(r->needs, 0);
}

/* ------------------------------------------------------------------------ */
/* The method change (Fetch HTTP-redirect fetch, step 12)                    */
/* ------------------------------------------------------------------------ */

typedef struct method_row {
    const char *status;
    const char *method;
    const char *then;  /* the method sent to the target */
} method_row;

static void test_method_change(void **state)
{
    static const method_row mrows[] = {
        {.status = "301 Moved Permanently", .method = "POST", .then = "GET"},
        {.status = "302 Found", .method = "POST", .then = "GET"},
        {.status = "303 See Other", .method = "POST", .then = "GET"},
        {.status = "307 Temporary Redirect", .method = "POST", .then = "POST"},
        {.status = "308 Permanent Redirect", .method = "POST", .then = "POST"},
        {.status = "301 Moved Permanently", .method = "PUT", .then = "PUT"},
        {.status = "302 Found", .method = "PUT", .then = "PUT"},
        {.status = "303 See Other", .method = "PUT", .then = "GET"},
        {.status = "303 See Other", .method = "DELETE", .then = "GET"},
        {.status = "303 See Other", .method = "GET", .then = "GET"},
        {.status = "303 See Other", .method = "HEAD", .then = "HEAD"},
        {.status = "302 Found", .method = "HEAD", .then = "HEAD"},
        {.status = "307 Temporary Redirect", .method = "DELETE", .then = "DELETE"},
    };
    static chain_run c;
    static char redirect[256];
    (void)state;
    for (size_t i = 0; i < COUNT(mrows); i++) {
        chain_spec s = {.method = mrows[i].method, .body = 1, .hop_count = 2};
        const cors_report *r = &c.report.report;
        const cors_hop_report *h;
        bool changed = strcmp(mrows[i].method, mrows[i].then) != 0;
        snprintf(redirect, sizeof(redirect), REDIRECT("%s", "/target"), mrows[i].status);
        s.hops[0] = (hop_spec){.preflight = PREFLIGHT_OK "\r\n", .response = redirect};
        s.hops[1] = (hop_spec){.preflight = PREFLIGHT_OK "\r\n", .response = OK_STAR};
        assert_int_equal(run_chain(&c, &s, MAX_HOPS, NULL), CORS_OK);
        if (r->ok != 1 || r->hops != 2)
            fail_msg("%s %s: ok %d hops %d %s", mrows[i].status, mrows[i].method, (int)r->ok, (int)r->hops,
                     cors_kind_name(r->kind));
        h = hop_of(&c, 2);
        if (!span_is(r, h->method, mrows[i].then))
            fail_msg("%s %s: then %.*s, want %s", mrows[i].status, mrows[i].method, (int)h->method.length,
                     r->text + h->method.offset, mrows[i].then);
        /* the body goes with the method; a GET or HEAD needs no preflight */
        assert_int_equal(h->body, changed ? 0 : 1);
        assert_int_equal(h->preflight, strcmp(mrows[i].then, "GET") != 0 && strcmp(mrows[i].then, "HEAD") != 0 &&
                                           strcmp(mrows[i].then, "POST") != 0);
        /* the page's own request stays as it was */
        assert_span(r, hop_of(&c, 1)->method, mrows[i].method);
    }
}

/* ------------------------------------------------------------------------ */
/* The redirect limit                                                        */
/* ------------------------------------------------------------------------ */

static void test_redirect_limit(void **state)
{
    static chain_run c;
    static char locations[MAX_HOPS][128];
    const cors_report *r = &c.report.report;
    chain_spec s = {.hop_count = 0};
    (void)state;
    for (size_t i = 0; i < 22; i++) {
        snprintf(locations[i], sizeof(locations[i]), REDIRECT("302 Found", "/r%zu"), i + 1);
        s.hops[i].response = locations[i];
    }
    /* 20 redirects are followed: the 21st hop's response is what the page gets */
    s.hops[20].response = OK_STAR;
    s.hop_count = 21;
    assert_int_equal(run_chain(&c, &s, MAX_HOPS, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->hops, 21);
    /* a 21st redirect fails the fetch at that hop */
    s.hops[20].response = locations[20];
    s.hops[21].response = OK_STAR;
    s.hop_count = 22;
    assert_int_equal(run_chain(&c, &s, MAX_HOPS, NULL), CORS_OK);
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->kind, CORS_KIND_TOO_MANY_REDIRECTS);
    assert_int_equal(r->failed_hop, 21);
    assert_int_equal(r->failed_at, CORS_STAGE_RESPONSE);
    assert_int_equal(r->hops, 21);
    assert_non_null(find_finding(r, CORS_FINDING_REDIRECT_TOO_MANY));
}

/* ------------------------------------------------------------------------ */
/* Chromium's preflight cache along a chain                                  */
/* ------------------------------------------------------------------------ */

typedef struct cache_row {
    const char *label;
    const char *max_age;     /* the preflights' Access-Control-Max-Age line, or "" */
    const char *second_url;  /* where hop 1 redirects; hop 2 redirects back to URL */
    bool third_preflight;    /* hop 3 (URL again) is preflighted */
} cache_row;

static void test_preflight_cache(void **state)
{
    static const cache_row crows[] = {
        {.label = "the default 5 s: URL is cached", .max_age = "", .second_url = "/other",
         .third_preflight = false},
        {.label = "max-age 600", .max_age = "Access-Control-Max-Age: 600\r\n", .second_url = "/other"},
        {.label = "max-age 0: nothing cached", .max_age = "Access-Control-Max-Age: 0\r\n", .second_url = "/other",
         .third_preflight = true},
        {.label = "max-age -1: nothing cached", .max_age = "Access-Control-Max-Age: -1\r\n",
         .second_url = "/other", .third_preflight = true},
        {.label = "the fragment is no part of the key", .max_age = "", .second_url = "/other#x"},
    };
    static chain_run c;
    static char pre[512], back[256], second[256];
    const cors_report *r = &c.report.report;
    (void)state;
    for (size_t i = 0; i < COUNT(crows); i++) {
        chain_spec s = {.method = "PUT", .hop_count = 3};
        snprintf(pre, sizeof(pre), PREFLIGHT_OK "%s\r\n", crows[i].max_age);
        snprintf(second, sizeof(second), REDIRECT("307 Temporary Redirect", "%s"), crows[i].second_url);
        snprintf(back, sizeof(back), REDIRECT("307 Temporary Redirect", "%s"), URL "#again");
        s.hops[0] = (hop_spec){.preflight = pre, .response = second};
        s.hops[1] = (hop_spec){.preflight = pre, .response = back};
        s.hops[2] = (hop_spec){.preflight = pre, .response = OK_STAR};
        assert_int_equal(run_chain(&c, &s, MAX_HOPS, NULL), CORS_OK);
        if (r->ok != 1 || r->hops != 3)
            fail_msg("%s: ok %d hops %d %s", crows[i].label, (int)r->ok, (int)r->hops, cors_kind_name(r->kind));
        assert_int_equal(hop_of(&c, 1)->preflight, 1);
        assert_int_equal(hop_of(&c, 2)->preflight, 1);
        if (hop_of(&c, 3)->preflight != crows[i].third_preflight)
            fail_msg("%s: hop 3 preflight %d", crows[i].label, (int)hop_of(&c, 3)->preflight);
    }
}

/* Chromium keys its preflight cache by the whole URL: two URLs that differ
 * only past the first kilobyte are two entries. libcors keeps 1024 bytes of
 * a URL's text; a longer URL must never be taken for a cached one. */
static void test_long_urls_are_never_cached(void **state)
{
    static char url[1400], other[1400], redirect[1600];
    static chain_run c;
    const cors_report *r = &c.report.report;
    chain_spec s = {.method = "PUT", .hop_count = 2};
    size_t n;
    (void)state;
    n = (size_t)snprintf(url, sizeof(url), "https://api.example/");
    memset(url + n, 'p', 1200);
    url[n + 1200] = '\0';
    memcpy(other, url, sizeof(url));
    other[n + 1199] = 'q';
    snprintf(redirect, sizeof(redirect), REDIRECT("307 Temporary Redirect", "%s"), other);
    s.url = url;
    s.hops[0] = (hop_spec){.preflight = PREFLIGHT_OK "Access-Control-Max-Age: 600\r\n\r\n", .response = redirect};
    s.hops[1] = (hop_spec){.preflight = PREFLIGHT_OK "\r\n", .response = OK_STAR};
    assert_int_equal(run_chain(&c, &s, MAX_HOPS, NULL), CORS_OK);
    assert_int_equal(r->ok, 1);
    assert_int_equal(r->hops, 2);
    assert_int_equal(hop_of(&c, 1)->preflight, 1);
    assert_int_equal(hop_of(&c, 2)->preflight, 1);
}

/* ------------------------------------------------------------------------ */
/* The chain's error kinds                                                   */
/* ------------------------------------------------------------------------ */

typedef struct kind_row {
    const char *label;
    chain_spec chain;
    int32_t kind;
    int32_t failed_at;
    int32_t failed_hop;
    int32_t finding;
    const char *value;  /* the finding's value */
} kind_row;

static const kind_row kind_rows[] = {
    {.label = "an https page fetches an http URL", .chain = {.url = "http://api.example/x", .hop_count = 0},
     .kind = CORS_KIND_MIXED_CONTENT, .failed_at = CORS_STAGE_REQUEST, .failed_hop = 0,
     .finding = CORS_FINDING_MIXED_CONTENT, .value = "http://api.example/x"},
    {.label = "a redirect to an http URL",
     .chain = {.hops = {{.response = REDIRECT("302 Found", "http://api.example/x")}}, .hop_count = 1},
     .kind = CORS_KIND_MIXED_CONTENT, .failed_at = CORS_STAGE_RESPONSE, .failed_hop = 1,
     .finding = CORS_FINDING_MIXED_CONTENT, .value = "http://api.example/x"},
    {.label = "credentials in the URL fetched", .chain = {.url = "https://u:p@api.example/x", .hop_count = 0},
     .kind = CORS_KIND_URL_CREDENTIALS, .failed_at = CORS_STAGE_REQUEST, .failed_hop = 0,
     .finding = CORS_FINDING_URL_CREDENTIALS, .value = "https://u:p@api.example/x"},
    {.label = "a 21st redirect: see test_redirect_limit", .chain = {.hop_count = 0}, .kind = CORS_KIND_TOO_MANY_REDIRECTS},
};

static void test_error_kinds(void **state)
{
    static chain_run c;
    const cors_report *r = &c.report.report;
    (void)state;
    for (size_t i = 0; i < COUNT(kind_rows); i++) {
        const kind_row *row = &kind_rows[i];
        const cors_finding *f;
        if (row->kind == CORS_KIND_TOO_MANY_REDIRECTS)
            continue;
        assert_int_equal(run_chain(&c, &row->chain, MAX_HOPS, NULL), CORS_OK);
        if (r->ok != 0 || r->kind != row->kind || r->failed_at != row->failed_at || r->failed_hop != row->failed_hop)
            fail_msg("%s: ok %d %s at %s hop %d", row->label, (int)r->ok, cors_kind_name(r->kind),
                     cors_stage_name(r->failed_at), (int)r->failed_hop);
        f = find_finding(r, row->finding);
        if (f == NULL)
            fail_msg("%s: no %s", row->label, cors_finding_name(row->finding));
        assert_int_equal(f->severity, CORS_SEVERITY_ERROR);
        assert_int_equal(f->stage, row->failed_at);
        assert_int_equal(f->hop, row->failed_hop);
        assert_span(r, f->value, row->value);
        assert_true(f->message.length > 0);
    }
}

/* Every kind of the chain (TooManyRedirects .. UrlCredentials) has a row. */
static void test_every_chain_kind_has_a_row(void **state)
{
    (void)state;
    assert_int_equal(cors_kind_count(), CORS_KIND_URL_CREDENTIALS);
    for (int32_t kind = CORS_KIND_TOO_MANY_REDIRECTS; kind <= CORS_KIND_URL_CREDENTIALS; kind++) {
        int seen = 0;
        for (size_t i = 0; i < COUNT(kind_rows); i++)
            seen |= kind_rows[i].kind == kind;
        if (!seen)
            fail_msg("no row for %s", cors_kind_name(kind));
    }
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */
/* ------------------------------------------------------------------------ */

static void test_bad_url(void **state)
{
    static const char *const bad[] = {"/relative", "api.example/x", "ftp://api.example/", "data:,x",
                                      "https://[::1/", "https://api.example:99999/", "wss://api.example/"};
    static chain_run c;
    cors_error err;
    (void)state;
    for (size_t i = 0; i < COUNT(bad); i++) {
        chain_spec s = {.url = bad[i], .hops = {{.response = OK_STAR}}, .hop_count = 1};
        memset(&err, 0xab, sizeof(err));
        if (run_chain(&c, &s, MAX_HOPS, &err) != CORS_E_BAD_URL)
            fail_msg("'%s': not CORS_E_BAD_URL", bad[i]);
        assert_int_equal(err.status, CORS_E_BAD_URL);
        assert_int_equal(err.index, SIZE_MAX);
        assert_int_equal(c.report.report.ok, 0);
    }
    /* no URL at all: an https URL of another origin, which needs no checking */
    {
        chain_spec s = {.url = "", .hops = {{.response = OK_STAR}}, .hop_count = 1};
        assert_int_equal(run_chain(&c, &s, MAX_HOPS, &err), CORS_OK);
        assert_int_equal(c.report.report.ok, 1);
        assert_int_equal(hop_of(&c, 1)->url.length, 0);
    }
}

static void test_arguments(void **state)
{
    static big_report b;
    cors_request req;
    cors_error err;
    (void)state;
    cors_request_init(&req, sizeof(req));
    req.origin = STR(ORIGIN);
    /* NULL hops with a count */
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_evaluate_chain(NULL, &req, NULL, 2, big_report_lend(&b), &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    /* NULL hops without one: nothing given yet */
    assert_int_equal(cors_evaluate_chain(NULL, &req, NULL, 0, big_report_lend(&b), &err), CORS_OK);
    assert_int_equal(b.report.needs, CORS_NEED_RESPONSE);
    /* a hop's response with a bad struct_size */
    {
        cors_response resp;
        cors_hop hop = {NULL, &resp};
        cors_response_init(&resp, sizeof(resp));
        resp.struct_size = 3;
        assert_int_equal(cors_evaluate_chain(NULL, &req, &hop, 1, big_report_lend(&b), &err), CORS_E_ARGUMENT);
    }
    /* cors_report_lend_hops ignores what it cannot use */
    cors_report_lend_hops(NULL, NULL, 4);
    big_report_lend(&b);
    cors_report_lend_hops(&b.report, NULL, 4);
    assert_null(b.report.hop_reports);
    assert_int_equal(b.report.hop_reports_capacity, 0);
}

/* cors_evaluate is the chain of one hop. */
static void test_one_hop_is_cors_evaluate(void **state)
{
    static chain_run c;
    static big_report b;
    chain_spec s = {.method = "PUT", .header = "X-Token: 1",
                    .hops = {{.preflight = PREFLIGHT_OK "\r\n", .response = OK_STAR}}, .hop_count = 1};
    (void)state;
    assert_int_equal(run_chain(&c, &s, 0, NULL), CORS_OK);
    assert_int_equal(cors_evaluate(NULL, &c.request, c.hops[0].preflight, c.hops[0].response, big_report_lend(&b),
                                   NULL),
                     CORS_OK);
    assert_int_equal(b.report.ok, c.report.report.ok);
    assert_int_equal(b.report.hops, 1);
    assert_int_equal(b.report.finding_count, c.report.report.finding_count);
    assert_int_equal(b.report.text_length, c.report.report.text_length);
    assert_memory_equal(b.report.text, c.report.report.text, b.report.text_length);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_hop_reports),
        cmocka_unit_test(test_acr_headers_at_every_capacity),
        cmocka_unit_test(test_hop_reports_capacity),
        cmocka_unit_test(test_method_change),
        cmocka_unit_test(test_redirect_limit),
        cmocka_unit_test(test_preflight_cache),
        cmocka_unit_test(test_long_urls_are_never_cached),
        cmocka_unit_test(test_error_kinds),
        cmocka_unit_test(test_every_chain_kind_has_a_row),
        cmocka_unit_test(test_bad_url),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_one_hop_is_cors_evaluate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
