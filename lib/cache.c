/* SPDX-License-Identifier: MIT */
/* cache.c - Fetch "CORS-preflight cache" as Chromium keeps it: how long a
 * preflight result is reused (Access-Control-Max-Age, Chromium's cap, the
 * cases where Chromium stores nothing). */
#include "internal.h"

/* Chromium ParseAccessControlMaxAge: an optional sign, digits, a value that
 * fits int64_t; a negative one means "do not cache". Fetch (strict): 1*DIGIT,
 * any size. Anything else falls back to the default. */
cors__max_age cors__cache_max_age(const cors__grant *g, bool strict)
{
    const cors__field *f = cors__grant_field(g, SLOT_ACMA);
    cors__max_age out = {FETCH_PREFLIGHT_DEFAULT_MAX_AGE, 0};
    cors_str digits = f->value;
    bool negative = false;
    uint64_t n;
    cors__num st;

    if (f->count == 0)
        return out;
    if (f->count > 1) {
        out.problem = CORS_FINDING_MAX_AGE_INVALID;
        return out;
    }
    if (!strict && digits.len > 0 && (digits.ptr[0] == '-' || digits.ptr[0] == '+')) {
        negative = digits.ptr[0] == '-';
        digits.ptr++;
        digits.len--;
    }
    st = cors__decimal(digits, (uint64_t)INT64_MAX + (negative ? 1u : 0u), &n);
    if (st == NUM_EMPTY || st == NUM_NOT_DIGIT || (st == NUM_OVER && !strict)) {
        out.problem = CORS_FINDING_MAX_AGE_INVALID;
        return out;
    }
    if (negative && n > 0) {
        out.seconds = 0;
        out.problem = CORS_FINDING_MAX_AGE_NEGATIVE;
        return out;
    }
    /* Fetch: any 1*DIGIT is valid; the cap applies (a saturated value included) */
    if (n > CHROMIUM_MAX_AGE_CAP) {
        out.seconds = CHROMIUM_MAX_AGE_CAP;
        out.problem = CORS_FINDING_MAX_AGE_CAPPED;
        return out;
    }
    out.seconds = (int64_t)n;
    return out;
}

void cors__cache_finding(const cors__eval *ev, cors_report *r, int32_t problem, int32_t severity)
{
    cors__finding_as(ev, r, problem, severity, V0, CORS_STAGE_PREFLIGHT, VALUE_JOINED);
}

int64_t cors__cache_note(const cors__eval *ev, const cors__preflight_facts *facts, cors_report *r)
{
    cors__max_age age = cors__cache_max_age(ev->preflight, ev->strict);
    int64_t seconds = age.seconds;
    /* Chromium 156 does not reuse a preflight made for an opaque origin (seen
     * in the browser suite: a second fetch from the same null-origin page
     * preflights again); Fetch keys its cache by the serialization "null". */
    if (!ev->strict && CORS__SAME_LIT(ev->origin, "null"))
        seconds = 0;
    /* Fetch: HTTP-network-or-cache fetch: a conditional request header turns
     * cache mode "default" into "no-store", and Chromium then stores no
     * preflight result (seen in Chromium 156 for all five names). */
    if (ev->model.has_conditional)
        seconds = 0;
    /* Chromium 156 stores no preflight result that let Authorization through
     * only by '*' (seen in the randomized browser test). */
    if (!ev->strict && facts->authorization_by_wildcard)
        seconds = 0;
    if (age.problem != 0 && (ev->rules->advice & ADVICE_MAX_AGE))
        cors__cache_finding(ev, r, age.problem,
                            age.problem == CORS_FINDING_MAX_AGE_CAPPED ? CORS_SEVERITY_INFO : CORS_SEVERITY_WARNING);
    if (ev->hop == 1) {
        r->has_cache_seconds = 1;
        r->preflight_cache_seconds = seconds;
    }
    return seconds;
}
