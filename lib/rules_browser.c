/* SPDX-License-Identifier: MIT */
/* rules_browser.c - the browser rules' judgement of a final response: the
 * CORS check and the advice on Vary (chain.c runs the hops up to it). */
#include "internal.h"

int32_t cors__browser_response(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->response;
    int32_t kind = cors__check(ev, g, CORS_STAGE_RESPONSE, r);
    if (kind != CORS_KIND_NONE)
        return kind;
    /* A specific origin without Vary: Origin is allowed, but a shared cache may mix origins up. */
    if ((ev->rules->advice & ADVICE_VARY_WARNING) && !cors__field_is_star(cors__grant_field(g, SLOT_ACAO))) {
        const cors__field *f = cors__grant_field(g, SLOT_VARY);
        cors__list_stats vary;
        /* the usual Vary: Origin alone is the one element asked for: no walk */
        if (f->count == 1 && cors__token_equal_lit(f->value, "origin", 6))
            return CORS_KIND_NONE;
        cors__list_scan(g, SLOT_VARY, CORS_LIT("origin"), NULL, 0, &vary);
        if (!vary.needle_nocase && !vary.has_star)
            cors__finding(ev, r, CORS_FINDING_VARY_ORIGIN_MISSING, V0, CORS_STAGE_RESPONSE,
                          VALUE_JOINED);
    }
    return CORS_KIND_NONE;
}
