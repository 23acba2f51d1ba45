/* SPDX-License-Identifier: MIT */
/* preflight.c - Fetch "CORS-preflight fetch": the preflight response judged
 * in Chromium's order (preflight_controller.cc): redirect, CORS check,
 * status, methods syntax, headers syntax, method, headers. */
#include "internal.h"

static int32_t check_list_syntax(const cors__eval *ev, cors_report *r, cors__slot slot, int32_t code, int32_t kind)
{
    cors__list_stats st;
    cors__list_scan(ev->preflight, slot, &st);
    if (st.valid)
        return CORS_KIND_NONE;
    cors__finding(ev, r, code, V0, CORS_STAGE_PREFLIGHT, VALUE_JOINED, st.first_bad);
    return kind;
}

/* Fetch: CORS-preflight fetch, methods; Chromium compares byte for byte. */
static int32_t check_method(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    cors_str m = ev->model.method;
    bool star;

    if (ev->model.method_is_safelisted || cors__list_contains(p, SLOT_ACAM, m, false))
        return CORS_KIND_NONE;
    star = cors__list_contains(p, SLOT_ACAM, CORS_LIT("*"), false);
    if (star && !ev->model.credentialed)
        return CORS_KIND_NONE;
    cors__finding(ev, r, CORS_FINDING_METHOD_NOT_ALLOWED,
                  star ? V0 : cors__list_contains(p, SLOT_ACAM, m, true) ? V1 : V2, CORS_STAGE_PREFLIGHT,
                  VALUE_JOINED, m, m);
    return CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE;
}

/* Fetch: CORS-preflight fetch, headers: every CORS-unsafe name must be
 * listed, or '*' when uncredentialed (which in Chromium also covers
 * Authorization). The names come sorted, so the first one missing decides,
 * as in Chromium; each chunk of names costs one walk of the list. */
static int32_t check_headers(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    bool star = cors__list_contains(p, SLOT_ACAH, CORS_LIT("*"), false);
    bool wildcard = star && !ev->model.credentialed;
    cors_str chunk[MODEL_CHUNK];
    const cors_str *after = NULL;
    bool more = true;

    while (more) {
        size_t n = cors__request_unsafe_chunk(&ev->model, after, chunk, &more);
        uint64_t listed = cors__list_mark(p, SLOT_ACAH, chunk, n);
        for (size_t i = 0; i < n; i++) {
            cors_str name = chunk[i];
            bool is_authorization = CORS__EQ_LIT(name, "authorization");
            if (listed & ((uint64_t)1 << i))
                continue;
            if (wildcard && !(is_authorization && ev->strict)) {
                /* CorsNonWildcardRequestHeadersSupport is off in Chromium 156 */
                if (is_authorization)
                    cors__finding(ev, r, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION, V0, CORS_STAGE_PREFLIGHT,
                                  cors__grant_field(p, SLOT_ACAH)->value);
                continue;
            }
            cors__finding(ev, r, CORS_FINDING_HEADER_NOT_ALLOWED, star && ev->model.credentialed ? V0 : star ? V1 : V2,
                          CORS_STAGE_PREFLIGHT, VALUE_JOINED, name);
            return CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE;
        }
        if (n == 0)
            break;
        after = &chunk[n - 1];
    }
    return CORS_KIND_NONE;
}

int32_t cors__preflight_judge(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    int32_t kind;

    if (cors__redirect_is_followed(p)) {
        cors__url url;
        if ((kind = cors__redirect_check_net(ev, p, CORS_STAGE_PREFLIGHT, &url, r)) != CORS_KIND_NONE)
            return kind;
        cors__finding(ev, r, CORS_FINDING_PREFLIGHT_REDIRECT, V0, CORS_STAGE_PREFLIGHT, VALUE_JOINED,
                      (int)p->status_code);
        return CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT;
    }
    if ((kind = cors__check(ev, p, CORS_STAGE_PREFLIGHT, r)) != CORS_KIND_NONE)
        return kind;
    if (p->status_code < 200 || p->status_code > 299) {
        cors__finding(ev, r, CORS_FINDING_PREFLIGHT_STATUS, V0, CORS_STAGE_PREFLIGHT, VALUE_NONE, (int)p->status_code);
        return CORS_KIND_PREFLIGHT_INVALID_STATUS;
    }
    if ((kind = check_list_syntax(ev, r, SLOT_ACAM, CORS_FINDING_ALLOW_METHODS_INVALID,
                                  CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE)) != CORS_KIND_NONE)
        return kind;
    if ((kind = check_list_syntax(ev, r, SLOT_ACAH, CORS_FINDING_ALLOW_HEADERS_INVALID,
                                  CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE)) != CORS_KIND_NONE)
        return kind;
    if ((kind = check_method(ev, r)) != CORS_KIND_NONE)
        return kind;
    return check_headers(ev, r);
}
