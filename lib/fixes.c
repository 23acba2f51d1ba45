/* SPDX-License-Identifier: MIT */
/* fixes.c - the header lines a finding proposes instead, written straight
 * into the report from the request and the server's own lists (nothing is
 * read back from the report, whose text may be full). */
#include "internal.h"

#include <string.h>

static const cors__grant *grant_of(const cors__eval *ev, int32_t stage)
{
    return stage == CORS_STAGE_PREFLIGHT ? ev->preflight : ev->response;
}

static int slot_of_token(cors__tok tok)
{
    for (int s = 0; s < SLOT_COUNT; s++)
        if (cors__slot_token((cors__slot)s) == tok)
            return s;
    return -1;
}

/* Every line of the slot joined with ", ", as Chromium sees the value. */
static void put_joined(cors_report *r, const cors__grant *g, cors__slot slot)
{
    const cors__field *f = cors__grant_field(g, slot);
    cors_str name = cors__token_lower(cors__slot_token(slot));
    bool first = true;
    for (size_t i = f->first; f->count > 0 && i <= f->last; i++) {
        const cors_header *h = &g->headers[i];
        if (!cors__token_equal_lit(h->name, name.ptr, name.len))
            continue;
        if (!first)
            cors__report_put(r, CORS_LIT(", "));
        cors__report_put(r, h->value);
        first = false;
    }
}

cors_span cors__fixes_joined(const cors__eval *ev, cors_report *r, cors__tok header, int32_t stage)
{
    const cors__grant *g = grant_of(ev, stage);
    int slot = slot_of_token(header);
    size_t start = r->text_length;
    if (g != NULL && slot >= 0)
        put_joined(r, g, (cors__slot)slot);
    return cors__report_since(r, start);
}

/* "Name: " and the list's valid elements but '*'; returns whether it named any. */
static bool put_valid_elements(cors_report *r, const cors__grant *g, cors__slot slot)
{
    cors__list_iter it;
    cors_str e;
    bool any = false;
    cors__report_format(r, "%S: ", cors__token_name(cors__slot_token(slot)));
    if (g == NULL)
        return false;
    cors__list_begin(&it, g, slot);
    while (cors__list_next(&it, &e)) {
        if (!cors__is_token(e) || (e.len == 1 && e.ptr[0] == '*'))
            continue;
        if (any)
            cors__report_put(r, CORS_LIT(", "));
        cors__report_put(r, e);
        any = true;
    }
    return any;
}

/* The preflight's Access-Control-Allow-Headers plus every unsafe name it misses. */
static void put_headers_add(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->preflight;
    bool any = put_valid_elements(r, g, SLOT_ACAH), listed;
    cors__unsafe_iter it;
    cors_str name;
    cors__unsafe_begin(&it, &ev->model, g, ev->hop, NULL);
    while (cors__unsafe_next(&it, &name, &listed)) {
        if (listed)
            continue;
        if (any)
            cors__report_put(r, CORS_LIT(", "));
        cors__report_put_lower(r, name);
        any = true;
    }
}

void cors__fixes_write(const cors__eval *ev, cors_report *r, int32_t fix, int32_t stage)
{
    const cors__grant *g = grant_of(ev, stage);
    switch (fix) {
    case FIX_ALLOW_ORIGIN:
        cors__report_format(r, "Access-Control-Allow-Origin: %S\n%sVary: Origin", ev->origin,
                            ev->model.credentialed ? "Access-Control-Allow-Credentials: true\n" : "");
        break;
    case FIX_ALLOW_ORIGIN_ONLY:
        cors__report_format(r, "Access-Control-Allow-Origin: %S", ev->origin);
        break;
    case FIX_CREDENTIALS:
        cors__report_put(r, CORS_LIT("Access-Control-Allow-Credentials: true"));
        break;
    case FIX_STATUS_204:
        cors__report_put(r, CORS_LIT("HTTP/1.1 204 No Content"));
        break;
    case FIX_METHODS_VALID:
        put_valid_elements(r, g, SLOT_ACAM);
        break;
    case FIX_METHODS_ADD:
        if (put_valid_elements(r, g, SLOT_ACAM))
            cors__report_put(r, CORS_LIT(", "));
        cors__report_put(r, ev->model.method);
        break;
    case FIX_METHODS_GALXE:
        cors__report_put(r, CORS_LIT("Access-Control-Allow-Methods: GET, POST, OPTIONS"));
        break;
    case FIX_HEADERS_VALID:
        put_valid_elements(r, g, SLOT_ACAH);
        break;
    case FIX_HEADERS_ADD:
        put_headers_add(ev, r);
        break;
    case FIX_HEADERS_ADD_AUTHORIZATION: /* keep the '*' for the other headers */
        cors__report_put(r, CORS_LIT("Access-Control-Allow-Headers: "));
        put_joined(r, g, SLOT_ACAH);
        cors__report_put(r, CORS_LIT(", Authorization"));
        break;
    case FIX_HEADERS_CONTENT_TYPE:
        cors__report_put(r, CORS_LIT("Access-Control-Allow-Headers: Content-Type"));
        break;
    case FIX_EXPOSE_VALID:
        put_valid_elements(r, g, SLOT_ACEH);
        break;
    case FIX_EXPOSE_EXAMPLE:
        cors__report_put(r, CORS_LIT("Access-Control-Expose-Headers: X-Request-Id"));
        break;
    case FIX_VARY: /* keep what the server already varies on */
        cors__report_put(r, CORS_LIT("Vary: "));
        if (g != NULL && cors__grant_field(g, SLOT_VARY)->count > 0) {
            put_joined(r, g, SLOT_VARY);
            cors__report_put(r, CORS_LIT(", "));
        }
        cors__report_put(r, CORS_LIT("Origin"));
        break;
    case FIX_MAX_AGE:
        cors__report_put(r, CORS_LIT("Access-Control-Max-Age: 7200"));
        break;
    default:
        break;
    }
}
