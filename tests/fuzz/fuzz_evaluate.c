/* SPDX-License-Identifier: MIT */
/*
 * fuzz_evaluate.c - the whole pipeline: a request and the raw heads of a
 * redirect chain, read by cors_response_parse, judged by cors_evaluate_chain
 * (and by cors_evaluate when the chain has one hop) under every rule set,
 * with and without CORS_OPTION_STRICT.
 *
 * Input layout (tests/fuzz/seeds.py writes it from tests/corpus/\*.case):
 *   byte 0      bits 0-1: credentials (value % 3: same-origin, omit,
 *               include); bit 2: a body; bit 3: heads read with
 *               CORS_PARSE_STRICT (a head it refuses is not given); bits 4-7:
 *               the small capacities of the first evaluation
 *   the rest    parts separated by "\n--\n": origin, method, url, then heads
 *               (hop 1's preflight, hop 1's response, hop 2's preflight, ...,
 *               at most 8 hops; an empty part is a head not given) and, in
 *               any place after the url, request headers "H:Name:value"
 *               (split at the first ':' after the name, value as it is).
 *
 * Invariants checked on every report (libcors.h documents them):
 *  - the status is CORS_OK, CORS_E_BAD_ORIGIN or CORS_E_BAD_URL, err agrees;
 *  - the verdict's fields hold values that have names; ok implies no kind,
 *    no failed stage and nothing needed but room; a kind implies not ok;
 *  - a count above its capacity sets CORS_NEED_ROOM; without it every count
 *    is within its capacity; every span stored lies inside text_length;
 *  - a complete report's readable names are lowercase, byte-sorted, unique;
 *  - small capacities (zero included) give the same verdict as room for all,
 *    and room to spare the same report as the counts for capacities;
 *    after CORS_NEED_ROOM, calling again with the counts as capacities gives
 *    the complete answer (no CORS_NEED_ROOM) and the same verdict; every
 *    stored entry, complete or not, is a span inside text_length;
 *  - the same input evaluated twice, into buffers holding different garbage,
 *    gives byte-identical reports; err NULL changes nothing;
 *  - a chain of one hop is judged as cors_evaluate judges it.
 */
#include "fuzz.h"

#define SEPARATOR "\n--\n"
#define MAX_HOPS 8
#define MAX_REQUEST_HEADERS 256

typedef struct head {
    cors_header *lines;
    cors_response response;
    int given;
} head;

typedef struct exchange {
    cors_request request;
    cors_header request_headers[MAX_REQUEST_HEADERS];
    head heads[2 * MAX_HOPS];
    size_t head_count;
    cors_hop hops[MAX_HOPS];
    size_t hop_count;
    unsigned small;
} exchange;

/* A report with its lent buffers. */
typedef struct lent {
    cors_report r;
    cors_finding *findings;
    cors_span *readable;
    char *text;
    cors_hop_report *hop_reports;
    size_t fcap, rcap, tcap, hcap;
} lent;

static void head_load(head *h, cors_str raw, uint32_t flags)
{
    size_t capacity = 16;
    int32_t st;
    h->given = 0;
    h->lines = NULL;
    if (raw.len == 0)
        return;
    for (;;) {
        h->lines = fuzz_malloc(capacity * sizeof(*h->lines));
        cors_response_init(&h->response, sizeof(h->response));
        st = cors_response_parse(raw.ptr, raw.len, flags, h->lines, capacity, &h->response, NULL);
        if (st != CORS_E_TOO_MANY_HEADERS)
            break;
        FUZZ_CHECK(h->response.header_total > capacity);
        capacity = h->response.header_total;
        free(h->lines);
    }
    h->given = st == CORS_OK;
}

static void exchange_load(exchange *x, const uint8_t *data, size_t size)
{
    const char *p = (const char *)data + (size < 1 ? size : 1), *end = (const char *)data + size;
    unsigned flags = size > 0 ? data[0] : 0;
    size_t n = 0;

    cors_request_init(&x->request, sizeof(x->request));
    x->request.credentials = (int32_t)((flags & 3) % 3);
    x->request.body = (flags >> 2) & 1;
    x->small = flags >> 4;
    x->request.origin = fuzz_next_part(&p, end, SEPARATOR);
    x->request.method = fuzz_next_part(&p, end, SEPARATOR);
    x->request.url = fuzz_next_part(&p, end, SEPARATOR);
    x->head_count = 0;
    while (p < end) {
        cors_str part = fuzz_next_part(&p, end, SEPARATOR);
        if (part.len >= 2 && memcmp(part.ptr, "H:", 2) == 0) {
            const char *colon = part.len > 2 ? memchr(part.ptr + 3, ':', part.len - 3) : NULL;
            cors_header *h;
            if (n == MAX_REQUEST_HEADERS)
                continue;
            h = &x->request_headers[n++];
            h->name.ptr = part.ptr + 2;
            h->name.len = colon ? (size_t)(colon - h->name.ptr) : part.len - 2;
            h->value.ptr = colon ? colon + 1 : part.ptr + part.len;
            h->value.len = (size_t)(part.ptr + part.len - h->value.ptr);
        } else if (x->head_count < 2 * MAX_HOPS) {
            head_load(&x->heads[x->head_count++], part, flags & 8 ? CORS_PARSE_STRICT : 0);
        }
    }
    x->request.headers = x->request_headers;
    x->request.header_count = n;
    x->hop_count = (x->head_count + 1) / 2;
    for (size_t i = 0; i < x->hop_count; i++) {
        head *pre = &x->heads[2 * i], *resp = 2 * i + 1 < x->head_count ? &x->heads[2 * i + 1] : NULL;
        x->hops[i].preflight = pre->given ? &pre->response : NULL;
        x->hops[i].response = resp != NULL && resp->given ? &resp->response : NULL;
    }
}

static void exchange_free(exchange *x)
{
    for (size_t i = 0; i < x->head_count; i++)
        free(x->heads[i].lines);
}

static void lent_alloc(lent *l, size_t fcap, size_t rcap, size_t tcap, size_t hcap, unsigned char garbage)
{
    l->fcap = fcap;
    l->rcap = rcap;
    l->tcap = tcap;
    l->hcap = hcap;
    l->findings = fuzz_malloc(fcap * sizeof(*l->findings));
    l->readable = fuzz_malloc(rcap * sizeof(*l->readable));
    l->text = fuzz_malloc(tcap);
    l->hop_reports = fuzz_malloc(hcap * sizeof(*l->hop_reports));
    memset(l->findings, garbage, fcap * sizeof(*l->findings));
    memset(l->readable, garbage, rcap * sizeof(*l->readable));
    memset(l->text, garbage, tcap);
    memset(l->hop_reports, garbage, hcap * sizeof(*l->hop_reports));
}

static void lent_free(lent *l)
{
    free(l->findings);
    free(l->readable);
    free(l->text);
    free(l->hop_reports);
}

/* chain: 1 for cors_evaluate_chain over every hop, 0 for cors_evaluate on hop 1 */
static int32_t run(const exchange *x, const cors_options *o, int chain, lent *l, cors_error *err)
{
    memset(&l->r, 0x5a, sizeof(l->r));
    cors_report_init(&l->r, sizeof(l->r), l->fcap ? l->findings : NULL, l->fcap, l->rcap ? l->readable : NULL,
                     l->rcap, l->tcap ? l->text : NULL, l->tcap);
    cors_report_lend_hops(&l->r, l->hcap ? l->hop_reports : NULL, l->hcap);
    if (chain)
        return cors_evaluate_chain(o, &x->request, x->hops, x->hop_count, &l->r, err);
    return cors_evaluate(o, &x->request, x->hop_count ? x->hops[0].preflight : NULL,
                         x->hop_count ? x->hops[0].response : NULL, &l->r, err);
}

static size_t max(size_t a, size_t b)
{
    return a > b ? a : b;
}

static int span_ok(const cors_report *r, cors_span s)
{
    return (uint64_t)s.offset + s.length <= r->text_length;
}

static int is_flag(int32_t v)
{
    return v == 0 || v == 1;
}

static int complete(const cors_report *r)
{
    return (r->needs & CORS_NEED_ROOM) == 0;
}

static void check_report(const exchange *x, const cors_options *o, int32_t st, const cors_error *err, const lent *l)
{
    const cors_report *r = &l->r;
    FUZZ_CHECK(st == CORS_OK || st == CORS_E_BAD_ORIGIN || st == CORS_E_BAD_URL);
    FUZZ_CHECK(err->status == st);
    if (st == CORS_E_BAD_ORIGIN)
        FUZZ_CHECK(err->offset <= (x->request.origin.len > CORS_ORIGIN_MAX ? x->request.origin.len : CORS_ORIGIN_MAX));
    if (st == CORS_E_BAD_URL)
        FUZZ_CHECK(err->offset <= x->request.url.len);
    if (x->request.origin.len > CORS_ORIGIN_MAX)
        FUZZ_CHECK(st == CORS_E_BAD_ORIGIN);
    if (st != CORS_OK)
        return;
    FUZZ_CHECK(r->struct_size == sizeof(*r) && r->rules == o->rules);
    FUZZ_CHECK(is_flag(r->ok) && is_flag(r->preflight) && is_flag(r->has_acr_method) && is_flag(r->has_acr_headers) &&
               is_flag(r->has_cache_seconds));
    FUZZ_CHECK((r->needs & ~0xf) == 0);
    FUZZ_CHECK(r->failed_at >= CORS_STAGE_NONE && r->failed_at <= CORS_STAGE_RESPONSE);
    FUZZ_CHECK(r->kind >= 0 && r->kind <= cors_kind_count());
    FUZZ_CHECK(r->preflight_cache_seconds >= 0);
    if (r->ok)
        FUZZ_CHECK(r->kind == CORS_KIND_NONE && r->failed_at == CORS_STAGE_NONE && (r->needs & ~CORS_NEED_ROOM) == 0);
    if (r->kind != CORS_KIND_NONE)
        FUZZ_CHECK(!r->ok && r->failed_at != CORS_STAGE_NONE);
    FUZZ_CHECK(r->hops >= 0 && r->failed_hop >= 0 && r->failed_hop <= r->hops + 1);
    /* counts and capacities */
    /* hop reports count only when lent: "NULL with 0 takes none" */
    if (r->finding_count > l->fcap || r->text_length > l->tcap || r->readable_count > l->rcap ||
        (l->hcap > 0 && r->hop_report_count > l->hcap))
        FUZZ_CHECK(!complete(r));
    FUZZ_CHECK(span_ok(r, r->method) && span_ok(r, r->acr_method) && span_ok(r, r->acr_headers));
    for (size_t i = 0; i < r->finding_count && i < l->fcap; i++) {
        const cors_finding *f = &r->findings[i];
        FUZZ_CHECK(f->code >= 1 && f->code <= cors_finding_count());
        FUZZ_CHECK(f->severity >= CORS_SEVERITY_ERROR && f->severity <= CORS_SEVERITY_INFO);
        FUZZ_CHECK(f->stage >= CORS_STAGE_NONE && f->stage <= CORS_STAGE_RESPONSE && f->hop >= 0);
        FUZZ_CHECK(span_ok(r, f->header) && span_ok(r, f->value) && span_ok(r, f->message) && span_ok(r, f->fix));
    }
    for (size_t i = 0; i < r->readable_count && i < l->rcap; i++)
        FUZZ_CHECK(span_ok(r, r->readable[i]));
    for (size_t i = 0; i < r->hop_report_count && i < l->hcap; i++) {
        const cors_hop_report *h = &r->hop_reports[i];
        FUZZ_CHECK(is_flag(h->preflight) && is_flag(h->has_origin) && is_flag(h->has_acr_headers) && is_flag(h->body));
        FUZZ_CHECK(span_ok(r, h->url) && span_ok(r, h->method) && span_ok(r, h->origin));
        FUZZ_CHECK(span_ok(r, h->acr_method) && span_ok(r, h->acr_headers));
    }
    if (!complete(r))
        return;
    FUZZ_CHECK(r->text_length <= l->tcap);
    if (r->readable_count > 0)
        FUZZ_CHECK(r->ok);
    for (size_t i = 0; i < r->readable_count; i++) {
        cors_span s = r->readable[i];
        for (uint32_t k = 0; k < s.length; k++)
            FUZZ_CHECK(!(r->text[s.offset + k] >= 'A' && r->text[s.offset + k] <= 'Z'));
        if (i > 0) {
            cors_span a = r->readable[i - 1];
            size_t n = a.length < s.length ? a.length : s.length;
            int c = n ? memcmp(r->text + a.offset, r->text + s.offset, n) : 0;
            FUZZ_CHECK(c < 0 || (c == 0 && a.length < s.length));
        }
    }
}

/* The verdict, which does not depend on the capacities. */
static void check_same_verdict(const cors_report *a, const cors_report *b)
{
    FUZZ_CHECK(a->rules == b->rules && a->ok == b->ok && a->failed_at == b->failed_at && a->kind == b->kind);
    FUZZ_CHECK((a->needs & ~CORS_NEED_ROOM) == (b->needs & ~CORS_NEED_ROOM));
    FUZZ_CHECK(a->preflight == b->preflight && a->has_acr_method == b->has_acr_method &&
               a->has_acr_headers == b->has_acr_headers && a->has_cache_seconds == b->has_cache_seconds);
    FUZZ_CHECK(a->preflight_cache_seconds == b->preflight_cache_seconds);
    FUZZ_CHECK(a->hops == b->hops && a->failed_hop == b->failed_hop);
}

/* Complete reports of the same input: the same bytes where used. */
static void check_identical(const lent *a, const lent *b)
{
    const cors_report *x = &a->r, *y = &b->r;
    check_same_verdict(x, y);
    FUZZ_CHECK(x->needs == y->needs && x->finding_count == y->finding_count);
    FUZZ_CHECK(x->readable_count == y->readable_count && x->text_length == y->text_length);
    FUZZ_CHECK(x->hop_report_count == y->hop_report_count);
    FUZZ_CHECK(memcmp(&x->method, &y->method, sizeof(cors_span)) == 0 &&
               memcmp(&x->acr_method, &y->acr_method, sizeof(cors_span)) == 0 &&
               memcmp(&x->acr_headers, &y->acr_headers, sizeof(cors_span)) == 0);
    if (x->finding_count)
        FUZZ_CHECK(memcmp(x->findings, y->findings, x->finding_count * sizeof(cors_finding)) == 0);
    if (x->readable_count)
        FUZZ_CHECK(memcmp(x->readable, y->readable, x->readable_count * sizeof(cors_span)) == 0);
    if (x->text_length)
        FUZZ_CHECK(memcmp(x->text, y->text, x->text_length) == 0);
    if (x->hop_report_count && x->hop_reports && y->hop_reports)
        FUZZ_CHECK(memcmp(x->hop_reports, y->hop_reports, x->hop_report_count * sizeof(cors_hop_report)) == 0);
}

static void check_options(const exchange *x, const cors_options *o, int chain)
{
    static const size_t fcaps[] = {0, 1, 3, 8}, tcaps[] = {0, 16, 200, 2048};
    lent small, full, again;
    cors_error err, err2;
    int32_t st, st2;

    /* small capacities first (bits 4-7 of byte 0), then the counts as capacities */
    lent_alloc(&small, fcaps[x->small & 3], x->small & 4 ? 2 : 0, tcaps[(x->small >> 2) & 3], x->small & 8 ? 1 : 0,
               0xee);
    st = run(x, o, chain, &small, &err);
    check_report(x, o, st, &err, &small);
    if (st != CORS_OK) {
        FUZZ_CHECK(run(x, o, chain, &small, NULL) == st);
        lent_free(&small);
        return;
    }
    /* a complete report promises nothing about smaller buffers: at least the capacities it had */
    lent_alloc(&full, max(small.r.finding_count, small.fcap), max(small.r.readable_count, small.rcap),
               max(small.r.text_length, small.tcap), max(small.r.hop_report_count, small.hcap), 0xa5);
    st2 = run(x, o, chain, &full, &err2);
    FUZZ_CHECK(st2 == st);
    check_report(x, o, st2, &err2, &full);
    FUZZ_CHECK(complete(&full.r));
    check_same_verdict(&small.r, &full.r);
    /* readable_count may be an upper bound without room to sort them, and the text with it */
    FUZZ_CHECK(full.r.finding_count == small.r.finding_count && full.r.text_length <= small.r.text_length);
    FUZZ_CHECK(full.r.readable_count <= small.r.readable_count);

    /* again, into other garbage, without err */
    lent_alloc(&again, full.fcap, full.rcap, full.tcap, full.hcap, 0x3c);
    FUZZ_CHECK(run(x, o, chain, &again, NULL) == st);
    check_identical(&full, &again);
    lent_free(&again);

    /* room to spare (the request's unsafe names sorted in the readable array, the readable names
     * sorted in the text): the same report */
    lent_alloc(&again, full.fcap, max(full.rcap, MAX_REQUEST_HEADERS + 2), 2 * full.tcap + 64, full.hcap, 0x5a);
    FUZZ_CHECK(run(x, o, chain, &again, NULL) == st);
    check_identical(&full, &again);
    lent_free(&again);

    if (!chain) { /* the same exchange as a chain of one hop */
        lent one;
        exchange x1 = *x;
        x1.hop_count = x->hop_count ? 1 : 0;
        lent_alloc(&one, full.fcap, full.rcap, full.tcap, full.hcap, 0x11);
        FUZZ_CHECK(run(&x1, o, 1, &one, NULL) == st);
        check_same_verdict(&full.r, &one.r);
        lent_free(&one);
    }
    lent_free(&small);
    lent_free(&full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exchange x;
    cors_options o;
    exchange_load(&x, data, size);
    for (int32_t rules = CORS_RULES_BROWSER; rules <= CORS_RULES_REFLECT; rules++) {
        for (uint32_t strict = 0; strict <= CORS_OPTION_STRICT; strict++) {
            cors_options_init(&o, sizeof(o));
            o.rules = rules;
            o.flags = strict;
            check_options(&x, &o, 1);
            if (x.hop_count <= 1)
                check_options(&x, &o, 0);
        }
    }
    exchange_free(&x);
    return 0;
}

