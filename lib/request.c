/* request.c - the page's side of the Fetch model: what fetch() accepts, what
 * it sends, and whether a preflight goes first. */
#include "internal.h"

#include <string.h>

/* Fetch: normalize a method */
static cors_str normalize_method(cors_str m)
{
    static const char *const upper[] = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"};
    for (size_t i = 0; i < sizeof(upper) / sizeof(upper[0]); i++)
        if (cors__equal_nocase_z(m, upper[i]))
            return cors__str_z(upper[i]);
    return m;
}

static void reject(cors_report *report, int32_t kind, int32_t code, const char *header, cors_str value,
                   const char *message)
{
    cors_finding *f = cors__finding_add(report, code, CORS_SEVERITY_ERROR, CORS_STAGE_REQUEST, header, value);
    cors__finding_message(report, f, "%s", message);
    cors__report_fail(report, CORS_STAGE_REQUEST, kind);
}

static int has_newline_or_nul(cors_str v)
{
    return cors__has_byte(v, '\0') || cors__has_byte(v, '\r') || cors__has_byte(v, '\n');
}

/* Chromium joins repeated request headers with ", " before the CORS rules
 * run (Blink ResourceRequestHead::AddHttpHeaderField). Values longer than
 * 128 bytes cannot be safelisted, so a 129-byte buffer decides. */
static int combined_is_safelisted(const cors_request *request, const cors__request_header *h, int strict,
                                  int *chromium_only)
{
    char buf[129];
    size_t n = 0;
    int first = 1;
    cors_str joined;

    if (h->combined_length > 128) {
        *chromium_only = 0;
        return 0;
    }
    for (size_t i = 0; i < request->header_count; i++) {
        const cors_header *r = &request->headers[i];
        cors_str v;
        if (!cors__equal_nocase(r->name.ptr, r->name.len, h->name.ptr, h->name.len))
            continue;
        v = cors__trim_http_whitespace(r->value);
        if (cors__is_forbidden_request_header(r->name, v, strict))
            continue;
        if (n + (first ? 0 : 2) + v.len > 128)
            return 0; /* too long to be safelisted, whatever the sum said */
        if (!first) { /* empty values are joined too: "" + "text/plain" is ", text/plain" */
            memcpy(buf + n, ", ", 2);
            n += 2;
        }
        first = 0;
        if (v.len)
            memcpy(buf + n, v.ptr, v.len);
        n += v.len;
    }
    joined.ptr = buf;
    joined.len = n;
    return cors__is_safelisted_request_header(h->name, joined, strict, chromium_only);
}

static int32_t collect_headers(const cors_request *request, int strict, cors__request_model *model,
                               cors_report *report)
{
    for (size_t i = 0; i < request->header_count; i++) {
        const cors_header *r = &request->headers[i];
        cors_str v = cors__trim_http_whitespace(r->value); /* Fetch: normalize a header value */
        cors__request_header *h = NULL;

        if ((r->name.ptr == NULL && r->name.len) || (r->value.ptr == NULL && r->value.len))
            return CORS_E_ARGUMENT;
        if (!cors__is_token(r->name.ptr, r->name.len)) {
            reject(report, CORS_KIND_INVALID_HEADER_NAME, CORS_FINDING_REQUEST_HEADER_NAME_INVALID, NULL,
                   r->name, "fetch() throws a TypeError before sending: a header name must be an HTTP token.");
            return CORS_OK;
        }
        if (has_newline_or_nul(v)) {
            reject(report, CORS_KIND_INVALID_HEADER_VALUE, CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, NULL,
                   r->name, "fetch() throws a TypeError before sending: a header value may not hold NUL, CR or LF.");
            return CORS_OK;
        }
        if (cors__is_forbidden_request_header(r->name, v, strict)) {
            cors_finding *f = cors__finding_add(report, CORS_FINDING_REQUEST_HEADER_DROPPED, CORS_SEVERITY_INFO,
                                                CORS_STAGE_REQUEST, NULL, r->name);
            cors__finding_message(report, f,
                                  "The browser silently drops the forbidden request header %S: the page cannot set it.",
                                  r->name);
            continue;
        }
        if (!strict) {
            for (size_t k = 0; k < model->header_count; k++)
                if (cors__equal_nocase(model->headers[k].name.ptr, model->headers[k].name.len, r->name.ptr,
                                       r->name.len))
                    h = &model->headers[k];
        }
        if (h != NULL) {
            h->lines++;
            /* saturating: only "more than 128" and the 1024-byte sum matter */
            h->combined_length = h->combined_length > SIZE_MAX / 2 || v.len > SIZE_MAX / 4
                                     ? SIZE_MAX / 2
                                     : h->combined_length + 2 + v.len;
            continue;
        }
        h = &model->headers[model->header_count++];
        memset(h, 0, sizeof(*h));
        h->name = r->name;
        h->value = v;
        h->combined_length = v.len;
        h->lines = 1;
    }
    return CORS_OK;
}

static void warn_combined(const cors_request *request, const cors__request_header *h, cors_report *report)
{
    /* Reference D3: each value alone would be safelisted; the joined one is not. */
    int chromium_only;
    for (size_t i = 0; i < request->header_count; i++) {
        const cors_header *r = &request->headers[i];
        if (cors__equal_nocase(r->name.ptr, r->name.len, h->name.ptr, h->name.len) &&
            !cors__is_safelisted_request_header(r->name, cors__trim_http_whitespace(r->value), 0, &chromium_only))
            return;
    }
    cors_finding *f = cors__finding_add(report, CORS_FINDING_REQUEST_HEADERS_COMBINED, CORS_SEVERITY_WARNING,
                                        CORS_STAGE_REQUEST, NULL, h->name);
    cors__finding_message(report, f,
                          "Chromium joins the %d %S headers into one value with \", \", which is no longer "
                          "CORS-safelisted, so it sends a preflight; the Fetch standard, Firefox and Safari "
                          "check each value on its own and send none.",
                          (int)h->lines, h->name);
}

static void sort_unsafe(cors__request_model *model)
{
    /* Fetch: convert header names to a sorted-lowercase set (insertion sort, n <= CORS_MAX_REQUEST_HEADERS + 1) */
    for (size_t i = 1; i < model->unsafe_count; i++) {
        cors_str x = model->unsafe[i];
        size_t j = i;
        while (j > 0 && cors__compare_lower(model->unsafe[j - 1], x) > 0) {
            model->unsafe[j] = model->unsafe[j - 1];
            j--;
        }
        model->unsafe[j] = x;
    }
    size_t out = 0;
    for (size_t i = 0; i < model->unsafe_count; i++)
        if (out == 0 || cors__compare_lower(model->unsafe[out - 1], model->unsafe[i]) != 0)
            model->unsafe[out++] = model->unsafe[i];
    model->unsafe_count = out;
}

int32_t cors__request_model_build(const cors_request *request, int strict, cors__request_model *model,
                                  cors_report *report)
{
    cors_str method = request->method;
    size_t budget = 0;
    int has_accept = 0;
    int32_t st;

    memset(model, 0, sizeof(*model));
    model->credentialed = request->credentials == CORS_CREDENTIALS_INCLUDE;
    if (request->header_count > CORS_MAX_REQUEST_HEADERS)
        return CORS_E_TOO_MANY_REQUEST_HEADERS;
    if (method.len == 0)
        method = cors__str_z("GET");

    /* Fetch: Request constructor checks the method before the headers */
    if (!cors__is_token(method.ptr, method.len)) {
        reject(report, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID, NULL, method,
               "fetch() throws a TypeError before sending: the method is not an HTTP token.");
        return CORS_OK;
    }
    if (cors__is_forbidden_method(method)) {
        reject(report, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN, NULL, method,
               "fetch() throws a TypeError before sending: CONNECT, TRACE and TRACK are forbidden methods.");
        return CORS_OK;
    }
    model->method = normalize_method(method);
    model->method_is_safelisted = cors__is_safelisted_method(model->method);
    if (!cors__report_has_room(report, model->method.len))
        return CORS_E_REPORT_FULL;
    report->method = cors__report_put(report, model->method.ptr, model->method.len);

    if ((st = collect_headers(request, strict, model, report)) != CORS_OK || report->failed_at != CORS_STAGE_NONE)
        return st;

    for (size_t i = 0; i < model->header_count; i++) {
        cors__request_header *h = &model->headers[i];
        if (h->lines > 1) {
            h->is_safelisted = combined_is_safelisted(request, h, strict, &h->is_chromium_only);
            if (!h->is_safelisted)
                warn_combined(request, h, report);
        } else {
            h->is_safelisted = cors__is_safelisted_request_header(h->name, h->value, strict, &h->is_chromium_only);
        }
        if (cors__equal_nocase_z(h->name, "accept"))
            has_accept = 1;
        if (h->is_safelisted) /* each at most 128 bytes, CORS_MAX_REQUEST_HEADERS of them: no overflow */
            budget += h->combined_length;
    }
    /* Fetch: fetch adds an Accept header of "*" "/" "*" (3 bytes) when the page set none; it counts too. */
    if (!has_accept)
        budget += 3;
    /* Fetch: CORS-unsafe request-header names, the 1024-byte rule */
    model->over_budget = budget > 1024;
    for (size_t i = 0; i < model->header_count; i++) {
        const cors__request_header *h = &model->headers[i];
        if (!h->is_safelisted || model->over_budget)
            model->unsafe[model->unsafe_count++] = h->name;
    }
    /* The default Accept is in the header list too, so it turns unsafe with the
     * rest (Chromium 156 then sends `accept` in Access-Control-Request-Headers). */
    if (model->over_budget && !has_accept)
        model->unsafe[model->unsafe_count++] = cors__str_z("accept");
    sort_unsafe(model);
    model->needs_preflight = !model->method_is_safelisted || model->unsafe_count > 0;

    for (size_t i = 0; i < model->header_count && !model->over_budget; i++) {
        const cors__request_header *h = &model->headers[i];
        if (h->is_safelisted && h->is_chromium_only) {
            cors_finding *f = cors__finding_add(report, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED, CORS_SEVERITY_WARNING,
                                                CORS_STAGE_REQUEST, NULL, h->name);
            cors__finding_message(report, f,
                                  "Chromium treats %S as CORS-safelisted and sends no preflight for it; the "
                                  "Fetch standard, Firefox and Safari do not: list it in "
                                  "Access-Control-Allow-Headers for them.",
                                  h->name);
        }
    }

    report->preflight = model->needs_preflight;
    if (model->needs_preflight) {
        /* Fetch: CORS-preflight fetch: the method as normalized, the names
         * lowercased, sorted and joined with "," and absent when empty. */
        report->has_acr_method = 1;
        report->acr_method = report->method;
        if (model->unsafe_count > 0) {
            uint32_t start = report->text_length;
            size_t joined = model->unsafe_count - 1; /* the commas */
            for (size_t i = 0; i < model->unsafe_count; i++)
                joined += model->unsafe[i].len;
            if (!cors__report_has_room(report, joined))
                return CORS_E_REPORT_FULL;
            for (size_t i = 0; i < model->unsafe_count; i++) {
                if (i > 0)
                    cors__report_put(report, ",", 1);
                cors__report_put_lower(report, model->unsafe[i].ptr, model->unsafe[i].len);
            }
            report->has_acr_headers = 1;
            report->acr_headers.offset = start;
            report->acr_headers.length = report->text_length - start;
        }
    }
    return CORS_OK;
}
