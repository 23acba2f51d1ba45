/* SPDX-License-Identifier: MIT */
/* rules_browser.c - the order in which Chromium judges an exchange: the
 * preflight when one is sent, the preflight cache, then the actual response
 * (a redirect, or the CORS check and the headers script can read). */
#include "internal.h"

bool cors__vary_has_origin(const cors__grant *g)
{
    return cors__list_contains(g, SLOT_VARY, CORS_LIT("origin"), true) ||
           cors__list_contains(g, SLOT_VARY, CORS_LIT("*"), false);
}

int32_t cors__browser_response(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->response;
    int32_t kind = cors__check(ev, g, CORS_STAGE_RESPONSE, r);
    if (kind != CORS_KIND_NONE)
        return kind;
    /* A specific origin without Vary: Origin is allowed, but a shared cache may mix origins up. */
    if ((ev->rules->advice & ADVICE_VARY_WARNING) && !cors__field_is_star(cors__grant_field(g, SLOT_ACAO)) &&
        !cors__vary_has_origin(g))
        cors__finding(ev, r, CORS_FINDING_VARY_ORIGIN_MISSING, V0, CORS_STAGE_RESPONSE,
                      cors__grant_field(g, SLOT_VARY)->value);
    return CORS_KIND_NONE;
}

void cors__browser_judge(const cors__eval *ev, cors_report *r)
{
    int32_t kind;
    if (ev->model.needs_preflight) {
        if (ev->preflight == NULL) {
            r->needs |= CORS_NEED_PREFLIGHT;
            return;
        }
        kind = cors__preflight_judge(ev, r);
        if (kind != CORS_KIND_NONE) {
            r->has_cache_seconds = 1;
            r->preflight_cache_seconds = 0;
            cors__report_fail(r, CORS_STAGE_PREFLIGHT, kind);
            return;
        }
        cors__cache_note(ev, r);
    }
    if (ev->response == NULL) {
        r->needs |= CORS_NEED_RESPONSE;
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
