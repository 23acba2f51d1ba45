/* SPDX-License-Identifier: MIT */
/* check.c - Fetch "CORS check" of one response (the preflight's or the
 * actual one), with the error kind Chromium's cors.cc CheckAccess picks. */
#include "internal.h"

static int32_t preflight_kind(int32_t kind)
{
    switch (kind) {
    case CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED: return CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED;
    case CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER: return CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER;
    case CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES: return CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES;
    case CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE: return CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE;
    case CORS_KIND_ALLOW_ORIGIN_MISMATCH: return CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH;
    case CORS_KIND_INVALID_ALLOW_CREDENTIALS: return CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS;
    default: return kind;
    }
}

/* Chromium CheckAccess: a value that is no single origin, then `null`, then
 * no URL at all, then simply another origin. */
static int32_t mismatch(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r)
{
    const cors__field *acao = cors__grant_field(g, SLOT_ACAO);
    if (acao->count > 1) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, V0, stage, VALUE_JOINED, (int)acao->count);
        return CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES;
    }
    /* a folded value's line break stands for a space */
    if (cors__has_byte(acao->value, ' ') || cors__has_byte(acao->value, ',') || cors__has_byte(acao->value, '\r') ||
        cors__has_byte(acao->value, '\n')) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_MULTIPLE, V1, stage, VALUE_JOINED, (int)acao->count);
        return CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES;
    }
    if (cors__equal(acao->value, CORS_LIT("null"))) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, V1, stage, VALUE_JOINED);
        return CORS_KIND_ALLOW_ORIGIN_MISMATCH;
    }
    if (!cors__url_is_valid(acao->value)) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_INVALID, V0, stage, VALUE_JOINED);
        return CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE;
    }
    /* after a redirect to another origin the page's origin is sent as null */
    cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_MISMATCH, ev->chain->tainted ? V2 : V0, stage, VALUE_JOINED);
    return CORS_KIND_ALLOW_ORIGIN_MISMATCH;
}

static int32_t check(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r)
{
    const cors__field *acao = cors__grant_field(g, SLOT_ACAO);
    const cors__field *acac = cors__grant_field(g, SLOT_ACAC);

    if (acao->count == 0) {
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_MISSING, V0, stage, VALUE_NONE);
        return CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER;
    }
    if (cors__field_is_star(acao)) {
        if (!ev->model.credentialed)
            return CORS_KIND_NONE;
        cors__finding(ev, r, CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS, V0, stage, VALUE_JOINED);
        return CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED;
    }
    /* cors_origin_equal, inline: both views are usable (cors_evaluate checked them) */
    if (acao->count > 1 || acao->value.len != ev->origin.len ||
        (acao->value.len > 0 && !cors__same_bytes(acao->value.ptr, ev->origin.ptr, acao->value.len)))
        return mismatch(ev, g, stage, r);
    if (!ev->model.credentialed)
        return CORS_KIND_NONE;
    /* Fetch: CORS check, credentials: the value must be exactly `true` */
    if (acac->count == 1 && CORS__SAME_LIT(acac->value, "true"))
        return CORS_KIND_NONE;
    cors__finding(ev, r, CORS_FINDING_ALLOW_CREDENTIALS_INVALID, acac->count == 0 ? V0 : V1, stage, VALUE_JOINED);
    return CORS_KIND_INVALID_ALLOW_CREDENTIALS;
}

int32_t cors__check(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r)
{
    int32_t kind = check(ev, g, stage, r);
    return stage == CORS_STAGE_PREFLIGHT ? preflight_kind(kind) : kind;
}
