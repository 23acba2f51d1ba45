/* SPDX-License-Identifier: MIT */
/* rules_reflect.c - the reflect-origin pattern (as OneBalance's API serves
 * it) done right: the browser's verdict with credentials (rules.c forces
 * them), `Vary: Origin` on the actual response, and advice on exposed
 * headers, max age, wildcards and what credentials are for, whatever the
 * verdict, so one run lists everything to fix. */
#include "internal.h"

static void warn_wildcards(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    if (p == NULL)
        return;
    if (cors__list_contains(p, SLOT_ACAM, CORS_LIT("*"), false))
        cors__finding(ev, r, CORS_FINDING_REFLECT_WILDCARD_LIST, V0, CORS_STAGE_PREFLIGHT,
                      cors__grant_field(p, SLOT_ACAM)->value);
    if (cors__list_contains(p, SLOT_ACAH, CORS_LIT("*"), false))
        cors__finding(ev, r, CORS_FINDING_REFLECT_WILDCARD_LIST, V1, CORS_STAGE_PREFLIGHT,
                      cors__grant_field(p, SLOT_ACAH)->value);
}

/* No, invalid or over-cap Access-Control-Max-Age, whatever the verdict. */
static void warn_max_age(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    int32_t problem;
    if (p == NULL)
        return;
    problem = cors__grant_field(p, SLOT_ACMA)->count == 0 ? CORS_FINDING_MAX_AGE_MISSING
                                                          : cors__cache_max_age(p, ev->strict).problem;
    if (problem != 0)
        cors__cache_finding(ev, r, problem, CORS_SEVERITY_WARNING);
}

/* The advice reads what was given even where the browser stopped before it:
 * the last hop's preflight and response. */
static void given_grants(cors__eval *ev)
{
    const cors__chain *c = ev->chain;
    const cors_hop *hop = (size_t)ev->hop <= c->hop_count ? &c->hops[ev->hop - 1] : NULL;
    if (hop == NULL)
        return;
    if (ev->preflight == NULL && hop->preflight != NULL) {
        cors__grant_build(hop->preflight, &ev->preflight_grant);
        ev->preflight = &ev->preflight_grant;
    }
    if (ev->response == NULL && hop->response != NULL) {
        cors__grant_build(hop->response, &ev->response_grant);
        ev->response = &ev->response_grant;
    }
}

void cors__reflect_judge(cors__eval *ev, cors_report *r)
{
    const cors__grant *resp;

    cors__chain_judge(ev, r);
    given_grants(ev);
    resp = ev->response;
    if (resp != NULL && !cors__list_contains(resp, SLOT_VARY, CORS_LIT("origin"), true)) {
        /* An error when it is what fails the exchange, else a warning beside the real error. */
        bool decides = r->needs == 0 && r->ok;
        /* no names are readable then: drop their text too, or the room reserved for them (which
         * a report without readable room would keep unwritten and count as needed) */
        if (decides && ev->readable_text_at != SIZE_MAX) {
            r->readable_count = 0;
            r->text_length = ev->readable_text_at;
        }
        cors__finding_as(ev, r, CORS_FINDING_VARY_ORIGIN_MISSING, decides ? CORS_SEVERITY_ERROR : CORS_SEVERITY_WARNING,
                         V1, CORS_STAGE_RESPONSE, VALUE_JOINED);
        if (decides) {
            r->readable_count = 0;
            cors__report_fail(r, CORS_STAGE_RESPONSE, CORS_KIND_MISSING_VARY_ORIGIN);
        }
    }
    warn_wildcards(ev, r);
    warn_max_age(ev, r);
    if (resp != NULL && cors__grant_field(resp, SLOT_ACEH)->count == 0)
        cors__finding(ev, r, CORS_FINDING_EXPOSE_HEADERS_MISSING, V0, CORS_STAGE_RESPONSE, VALUE_NONE);
    cors__finding(ev, r, CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS, V0, CORS_STAGE_RESPONSE, VALUE_NONE);
}
