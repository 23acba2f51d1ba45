/* SPDX-License-Identifier: MIT */
/* rules_browser.c - the order in which Chromium judges an exchange: the
 * preflight when one is sent, the preflight cache, then the actual response
 * (a redirect, or the CORS check and the headers script can read). */
#include "internal.h"

int32_t cors__browser_response(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->response;
    int32_t kind = cors__check(ev, g, CORS_STAGE_RESPONSE, r);
    if (kind != CORS_KIND_NONE)
        return kind;
    /* A specific origin without Vary: Origin is allowed, but a shared cache may mix origins up. */
    if ((ev->rules->advice & ADVICE_VARY_WARNING) && !cors__field_is_star(cors__grant_field(g, SLOT_ACAO))) {
        cors__list_stats vary;
        cors__list_scan(g, SLOT_VARY, CORS_LIT("origin"), NULL, 0, &vary);
        if (!vary.needle_nocase && !vary.has_star)
            cors__finding(ev, r, CORS_FINDING_VARY_ORIGIN_MISSING, V0, CORS_STAGE_RESPONSE,
                          cors__grant_field(g, SLOT_VARY)->value);
    }
    return CORS_KIND_NONE;
}

void cors__browser_judge(const cors__eval *ev, cors_report *r)
{
    cors__preflight_facts facts;
    int32_t kind;
    if (ev->model.needs_preflight) {
        if (ev->preflight == NULL) {
            r->needs |= CORS_NEED_PREFLIGHT;
            return;
        }
        kind = cors__network_judge(ev, ev->preflight, CORS_STAGE_PREFLIGHT, r);
        if (kind == CORS_KIND_NONE)
            kind = cors__preflight_judge(ev, &facts, r);
        if (kind != CORS_KIND_NONE) {
            r->has_cache_seconds = 1;
            r->preflight_cache_seconds = 0;
            cors__report_fail(r, CORS_STAGE_PREFLIGHT, kind);
            return;
        }
        cors__cache_note(ev, &facts, r);
    }
    if (ev->response == NULL) {
        r->needs |= CORS_NEED_RESPONSE;
        return;
    }
    if ((kind = cors__network_judge(ev, ev->response, CORS_STAGE_RESPONSE, r)) != CORS_KIND_NONE) {
        cors__report_fail(r, CORS_STAGE_RESPONSE, kind);
        return;
    }
    if (cors__redirect_is_followed(ev->response)) {
        kind = cors__redirect_judge(ev, r);
        if (kind == CORS_KIND_NONE)
            r->needs |= CORS_NEED_REDIRECT_TARGET;
        else
            cors__report_fail(r, CORS_STAGE_RESPONSE, kind);
        return;
    }
    kind = cors__browser_response(ev, r);
    if (kind != CORS_KIND_NONE) {
        cors__report_fail(r, CORS_STAGE_RESPONSE, kind);
        return;
    }
    r->ok = 1;
    cors__expose_readable(ev, r);
}
