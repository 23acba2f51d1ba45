/* SPDX-License-Identifier: MIT */
/* rules_galxe.c - Galxe's documented check of third-party APIs
 * (docs.galxe.com "CORS Check"): an OPTIONS probe from
 * https://dashboard.galxe.com with Access-Control-Request-Method GET or POST
 * and Access-Control-Request-Headers: Content-Type must get a 2xx answer with
 * one Access-Control-Allow-Origin (`*` or that origin) and the method in
 * Access-Control-Allow-Methods. Where Galxe passes but a browser calling the
 * same API would fail, a warning says so. The probe itself is a request
 * (evaluate.c builds the model from it): uncredentialed, with a JSON body. */
#include "internal.h"

static int32_t check_status(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    if (p->status_code >= 200 && p->status_code <= 299) {
        if (p->status_code == 200)
            cors__finding(ev, r, CORS_FINDING_GALXE_STATUS_200, V0, CORS_STAGE_PREFLIGHT, VALUE_NONE);
        return CORS_KIND_NONE;
    }
    cors__finding(ev, r, CORS_FINDING_PREFLIGHT_STATUS,
                  cors__grant_field(p, SLOT_LOCATION)->count > 0 && p->status_code / 100 == 3 ? V1 : V2,
                  CORS_STAGE_PREFLIGHT, VALUE_NONE, (int)p->status_code, cors__grant_field(p, SLOT_LOCATION)->value);
    return CORS_KIND_PREFLIGHT_INVALID_STATUS;
}

static int32_t check_methods(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight;
    cors_str m = ev->model.method, first = cors__grant_field(p, SLOT_ACAM)->value;
    cors__list_stats st;
    int variant;

    cors__list_scan(p, SLOT_ACAM, m, NULL, 0, &st);
    if (!st.valid) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_METHODS_INVALID, V1, CORS_STAGE_PREFLIGHT, first, st.first_bad);
        return CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE;
    }
    if (st.has_star || st.needle_exact)
        return CORS_KIND_NONE;
    if (cors__grant_field(p, SLOT_ACAM)->count == 0)
        variant = V0;
    else if (st.needle_nocase)
        variant = V1;
    else
        variant = cors__is_safelisted_method(m) ? V2 : 3;
    cors__finding(ev, r, CORS_FINDING_GALXE_ALLOW_METHODS, variant, CORS_STAGE_PREFLIGHT, first, m, m);
    return CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE;
}

/* Where Galxe passes but a browser page calling the same API with a JSON body would not. */
static void warn_browser_differences(const cors__eval *ev, cors_report *r)
{
    const cors__grant *p = ev->preflight, *resp = ev->response;
    cors_str first = cors__grant_field(p, SLOT_ACAH)->value;
    cors__list_stats st;

    cors__list_scan(p, SLOT_ACAH, CORS_LIT("content-type"), NULL, 0, &st);
    if (!st.valid)
        cors__finding_as(ev, r, CORS_FINDING_ALLOW_HEADERS_INVALID, CORS_SEVERITY_WARNING, V1, CORS_STAGE_PREFLIGHT,
                         first, st.first_bad);
    else if (!st.has_star && !st.needle_nocase)
        cors__finding(ev, r, CORS_FINDING_GALXE_CONTENT_TYPE, V0, CORS_STAGE_PREFLIGHT, first);
    if (resp != NULL) {
        const cors__field *acao = cors__grant_field(resp, SLOT_ACAO);
        bool ok = acao->count == 1 && (cors__field_is_star(acao) || cors__equal(acao->value, ev->origin));
        if (!ok)
            cors__finding(ev, r, CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN, acao->count == 0 ? V0 : V1,
                          CORS_STAGE_RESPONSE, acao->value, ev->origin);
    }
}

void cors__galxe_judge(cors__eval *ev, cors_report *r)
{
    const cors_hop *hop = ev->chain->hop_count > 0 ? &ev->chain->hops[0] : NULL;
    int32_t kind;
    ev->hop = 1;
    cors__chain_describe(ev, true, true, r); /* the probe is hop 1's preflight */
    if (hop == NULL || hop->preflight == NULL) {
        r->needs |= CORS_NEED_PREFLIGHT;
        return;
    }
    cors__grant_build(hop->preflight, &ev->preflight_grant);
    ev->preflight = &ev->preflight_grant;
    if (hop->response != NULL) {
        cors__grant_build(hop->response, &ev->response_grant);
        ev->response = &ev->response_grant;
    }
    kind = cors__network_judge(ev, ev->preflight, CORS_STAGE_PREFLIGHT, r);
    if (kind == CORS_KIND_NONE)
        kind = check_status(ev, r);
    if (kind == CORS_KIND_NONE)
        kind = cors__check(ev, ev->preflight, CORS_STAGE_PREFLIGHT, r);
    if (kind == CORS_KIND_NONE)
        kind = check_methods(ev, r);
    if (kind != CORS_KIND_NONE) {
        r->failed_hop = 1;
        cors__report_fail(r, CORS_STAGE_PREFLIGHT, kind);
        return;
    }
    r->has_cache_seconds = 1;
    r->preflight_cache_seconds = cors__cache_max_age(ev->preflight, false).seconds;
    warn_browser_differences(ev, r);
    r->ok = 1;
}
