/* SPDX-License-Identifier: MIT */
/* evaluate.c - cors_evaluate: take the caller's structs at the size they
 * were built with, check the arguments, build the grants and the request
 * model, run the rule set, say what the report still needs. */
#include "internal.h"

#include <string.h>

/* The sizes of the structs in 0.2.0, their first layout: a caller's struct
 * may be larger (a newer libcors.h) but never smaller. */
#define REQUEST_V0_SIZE (offsetof(cors_request, url) + sizeof(cors_str))
#define OPTIONS_V0_SIZE (offsetof(cors_options, flags) + sizeof(uint32_t))
#define RESPONSE_V0_SIZE (offsetof(cors_response, header_total) + sizeof(size_t))
#define REPORT_V0_SIZE (offsetof(cors_report, hop_report_count) + sizeof(size_t))

void cors_request_init(cors_request *request, size_t size)
{
    if (request == NULL || size < sizeof(size_t))
        return;
    memset(request, 0, size);
    request->struct_size = size;
}

void cors_options_init(cors_options *options, size_t size)
{
    if (options == NULL || size < sizeof(size_t))
        return;
    memset(options, 0, size);
    options->struct_size = size;
}

/* Copy the caller's struct into ours: what it has, zero for what it lacks. */
static bool take(void *ours, size_t our_size, const void *theirs, size_t v0_size)
{
    size_t theirs_size = *(const size_t *)theirs;
    if (theirs_size < v0_size)
        return false;
    memset(ours, 0, our_size);
    memcpy(ours, theirs, theirs_size < our_size ? theirs_size : our_size);
    return true;
}

/* *bad: the first header with a NULL pointer and a length (its index), else
 * SIZE_MAX. Only fields of the first version are read: no copy is needed. */
static bool response_is_usable(const cors_response *given, size_t *bad)
{
    const cors_header *h;
    size_t n;
    if (given == NULL)
        return true;
    if (given->struct_size < RESPONSE_V0_SIZE)
        return false;
    h = given->headers;
    n = given->header_count;
    if (h == NULL && n != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if ((h[i].name.ptr == NULL && h[i].name.len) || (h[i].value.ptr == NULL && h[i].value.len)) {
            *bad = i;
            return false;
        }
    }
    return true;
}

static bool request_is_usable(const cors_request *q)
{
    return (q->headers != NULL || q->header_count == 0) && (q->method.ptr != NULL || q->method.len == 0) &&
           (q->origin.ptr != NULL || q->origin.len == 0) && (q->url.ptr != NULL || q->url.len == 0) &&
           q->credentials >= CORS_CREDENTIALS_SAME_ORIGIN && q->credentials <= CORS_CREDENTIALS_INCLUDE &&
           (q->body == 0 || q->body == 1);
}

/* A report with no verdict and the caller's buffers (all fields of the first
 * version, so read without a copy); r may be given itself. */
static void report_start(cors_report *r, const cors_report *given)
{
    size_t struct_size = given->struct_size;
    cors_finding *findings = given->findings;
    cors_span *readable = given->readable;
    char *text = given->text;
    cors_hop_report *hop_reports = given->hop_reports;
    size_t findings_capacity = findings == NULL ? 0 : given->findings_capacity;
    size_t readable_capacity = readable == NULL ? 0 : given->readable_capacity;
    size_t text_capacity = text == NULL ? 0 : given->text_capacity;
    size_t hop_reports_capacity = hop_reports == NULL ? 0 : given->hop_reports_capacity;
    cors__zero(r, sizeof(*r));
    r->struct_size = struct_size;
    r->findings = findings;
    r->findings_capacity = findings_capacity;
    r->readable = readable;
    r->readable_capacity = readable_capacity;
    r->text = text;
    r->text_capacity = text_capacity;
    r->hop_reports = hop_reports;
    r->hop_reports_capacity = hop_reports_capacity;
}

void cors_report_lend_hops(cors_report *report, cors_hop_report *hop_reports, size_t capacity)
{
    if (report == NULL || report->struct_size < REPORT_V0_SIZE)
        return;
    report->hop_reports = hop_reports;
    report->hop_reports_capacity = hop_reports == NULL ? 0 : capacity;
}

/* Galxe's probe: Access-Control-Request-Headers: content-type, as a JSON body sends it. */
static const cors_header galxe_probe_headers[] = {{{"Content-Type", 12}, {"application/json", 16}}};

/* The request's URL, or the one unknown https URL of another origin. */
static int32_t start_url(const cors_request *request, cors__chain *c, cors_error *err)
{
    cors__url check;
    if (request->url.len == 0) { /* every field but the text, which text_known says is not there */
        c->url.known = c->url.has_credentials = c->url.text_known = false;
        c->url.len = c->url.path_start = 0;
        c->url.origin.tuple = true; /* the buffers are read only up to their lengths: not cleared */
        memcpy(c->url.origin.scheme, "https", 5);
        c->url.origin.scheme_len = 5;
        c->url.origin.host_len = 0;
        c->url.origin.port = -1;
        return CORS_OK;
    }
    if (!cors__url_parse(request->url, (cors_str){NULL, 0}, &check) || !cors__url_resolve(NULL, request->url, &c->url) ||
        !(cors__equal((cors_str){c->url.origin.scheme, c->url.origin.scheme_len}, CORS_LIT("http")) ||
          cors__equal((cors_str){c->url.origin.scheme, c->url.origin.scheme_len}, CORS_LIT("https"))))
        return cors__fail(err, CORS_E_BAD_URL, 0, 0, SIZE_MAX);
    return CORS_OK;
}

static int32_t run(const cors_options *opts, const cors_request *request, const cors_hop *hops, size_t hop_count,
                   cors_report *r, size_t *readable_room, cors_error *err)
{
    cors__eval ev;
    cors__chain chain;
    cors__request_override ov = {-1, NULL, 0};
    cors_origin origin;
    int32_t st;

    ev.preflight = ev.response = NULL; /* the model and grants fill themselves */
    ev.readable_text_at = SIZE_MAX;
    ev.readable_room = 0;
    if ((ev.rules = cors__rules_get(opts->rules)) == NULL)
        return cors__fail(err, CORS_E_BAD_RULES, 0, 0, SIZE_MAX);
    r->rules = opts->rules;
    if ((st = cors_origin_parse(request->origin.ptr, request->origin.len, &origin, err)) != CORS_OK)
        return st;
    if ((st = start_url(request, &chain, err)) != CORS_OK)
        return st;
    cors__url_origin_of(&origin, &chain.page);
    chain.hops = hops;
    chain.hop_count = hop_count;
    chain.cors_flag = chain.tainted = false;
    chain.preflighted_count = 0;
    ev.chain = &chain;
    ev.hop = 1;
    ev.strict = (opts->flags & CORS_OPTION_STRICT) != 0;
    ev.request = request;
    ev.origin = request->origin;
    ov.credentials = ev.rules->credentials;
    if (ev.rules->probe) {
        ov.headers = galxe_probe_headers;
        ov.header_count = CORS__COUNT(galxe_probe_headers);
    }
    if ((st = cors__request_model_build(&ev, &ov, r, err)) != CORS_OK)
        return st;
    if (r->failed_at == CORS_STAGE_REQUEST)
        return CORS_OK;
    ev.rules->judge(&ev, r);
    *readable_room = ev.readable_room;
    return CORS_OK;
}

int32_t cors_evaluate_chain(const cors_options *options, const cors_request *request, const cors_hop *hops,
                            size_t hop_count, cors_report *report, cors_error *err)
{
    cors_options opts;
    cors_request req;
    cors_report local, *r;
    bool usable;
    size_t bad = SIZE_MAX;
    int32_t st;
    size_t readable_room = 0;

    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (report == NULL || report->struct_size < REPORT_V0_SIZE)
        return cors__fail(err, CORS_E_ARGUMENT, 0, 0, SIZE_MAX);
    /* a caller's struct as large as ours is the report itself. Today every accepted one is
     * (REPORT_V0_SIZE is sizeof(cors_report)); once the struct grows, an older, smaller one is
     * filled through local and gets its struct_size bytes copied at the end */
    r = report->struct_size >= sizeof(local) ? report : &local;
    report_start(r, report);
    if (options == NULL)
        cors_options_init(&opts, sizeof(opts));
    usable = options == NULL || take(&opts, sizeof(opts), options, OPTIONS_V0_SIZE);
    usable = usable && (opts.flags & ~CORS_OPTION_STRICT) == 0 && request != NULL &&
             take(&req, sizeof(req), request, REQUEST_V0_SIZE) && request_is_usable(&req) &&
             (hops != NULL || hop_count == 0);
    for (size_t i = 0; usable && i < hop_count; i++)
        usable = response_is_usable(hops[i].preflight, &bad) && response_is_usable(hops[i].response, &bad);
    if (usable)
        st = run(&opts, &req, hops, hop_count, r, &readable_room, err);
    else
        st = cors__fail(err, CORS_E_ARGUMENT, 0, 0, bad);
    if (r->finding_count > r->findings_capacity || r->readable_count > r->readable_capacity ||
        r->text_length > r->text_capacity || (r->hop_reports != NULL && r->hop_report_count > r->hop_reports_capacity))
        r->needs |= CORS_NEED_ROOM;
    /* The readable array is the names' workspace: a second call with the counts as capacities
     * must have room for it even when fewer names are readable (an upper bound, as documented). */
    if ((r->needs & CORS_NEED_ROOM) && r->readable_count < readable_room) {
        for (size_t i = r->readable_count; i < readable_room && i < r->readable_capacity; i++)
            r->readable[i] = (cors_span){0, 0};
        r->readable_count = readable_room;
    }
    if (r != report)
        memcpy(report, r, r->struct_size);
    return st;
}

int32_t cors_evaluate(const cors_options *options, const cors_request *request, const cors_response *preflight,
                      const cors_response *response, cors_report *report, cors_error *err)
{
    cors_hop hop = {preflight, response};
    return cors_evaluate_chain(options, request, &hop, 1, report, err);
}
