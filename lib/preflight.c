/* SPDX-License-Identifier: MIT */
/* preflight.c - Fetch "CORS-preflight fetch": the preflight response judged
 * in Chromium's order (preflight_controller.cc): redirect, CORS check,
 * status, methods syntax, headers syntax, method, headers. Each list is
 * walked once for all the questions asked of it. */
#include "internal.h"

/* Fetch: CORS-preflight fetch, methods; Chromium compares byte for byte. */
static int32_t check_method(const cors__eval *ev, const cors__list_stats *acam, cors_report *r)
{
    cors_str m = ev->model.method;
    if (ev->model.method_is_safelisted || acam->needle_exact)
        return CORS_KIND_NONE;
    if (acam->has_star && !ev->model.credentialed)
        return CORS_KIND_NONE;
    cors__finding(ev, r, CORS_FINDING_METHOD_NOT_ALLOWED, acam->has_star ? V0 : acam->needle_nocase ? V1 : V2,
                  CORS_STAGE_PREFLIGHT, VALUE_JOINED, m, m);
    return CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE;
}

/* Fetch: CORS-preflight fetch, headers: every CORS-unsafe name must be
 * listed, or '*' when uncredentialed (which in Chromium also covers
 * Authorization). The names come sorted, so the first one missing decides,
 * as in Chromium. The first 64 names were marked by the caller's walk. */
static int32_t check_headers(const cors__eval *ev, const cors__list_stats *acah, cors__preflight_facts *facts,
                             cors_report *r)
{
    const cors__grant *p = ev->preflight;
    bool wildcard = acah->has_star && !ev->model.credentialed, listed;
    cors__unsafe_iter it;
    cors_str name;

    /* the usual few names, one chunk, every one marked by the walk: listed, nothing to say */
    if (!ev->model.unsafe_more &&
        acah->marks == (ev->model.unsafe_count >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << ev->model.unsafe_count) - 1))
        return CORS_KIND_NONE;
    cors__unsafe_begin(&it, &ev->model, p, ev->hop, &acah->marks);
    while (cors__unsafe_next(&it, &name, &listed)) {
        bool is_authorization = cors__token_equal_lit(name, "authorization", 13);
        if (listed)
            continue;
        if (wildcard && !(is_authorization && ev->strict)) {
            /* CorsNonWildcardRequestHeadersSupport is off in Chromium 156 */
            if (is_authorization) {
                facts->authorization_by_wildcard = true;
                cors__finding(ev, r, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION, V0, CORS_STAGE_PREFLIGHT,
                              cors__grant_field(p, SLOT_ACAH)->value);
            }
            continue;
        }
        cors__finding(ev, r, CORS_FINDING_HEADER_NOT_ALLOWED,
                      acah->has_star && ev->model.credentialed ? V0 : acah->has_star ? V1 : V2,
                      CORS_STAGE_PREFLIGHT, VALUE_JOINED, name);
        return CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE;
    }
    return CORS_KIND_NONE;
}

int32_t cors__preflight_judge(const cors__eval *ev, cors__preflight_facts *facts, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    cors__list_stats acam, acah;
    int32_t kind;

    facts->authorization_by_wildcard = false;
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
    cors__list_scan(p, SLOT_ACAM, ev->model.method, NULL, 0, &acam);
    /* with every unsafe name sorted, check_headers marks them all in one walk: none here */
    cors__list_scan(p, SLOT_ACAH, VALUE_NONE, ev->model.unsafe,
                    ev->model.sorted != NULL && ev->model.unsafe_more ? 0 : ev->model.unsafe_count, &acah);
    if (!acam.valid) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_METHODS_INVALID, V0, CORS_STAGE_PREFLIGHT, VALUE_JOINED, acam.first_bad);
        return CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE;
    }
    if (!acah.valid) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_HEADERS_INVALID, V0, CORS_STAGE_PREFLIGHT, VALUE_JOINED, acah.first_bad);
        return CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE;
    }
    if ((kind = check_method(ev, &acam, r)) != CORS_KIND_NONE)
        return kind;
    return check_headers(ev, &acah, facts, r);
}
