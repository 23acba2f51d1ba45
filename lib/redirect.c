/* SPDX-License-Identifier: MIT */
/* redirect.c - Fetch "HTTP-redirect fetch" as Chromium runs it: net's
 * checks of the Location, then the CORS check of the redirect response,
 * then cors_url_loader.cc CheckRedirectLocation. */
#include "internal.h"

#include <string.h>

/* The Location a redirect goes to: its first non-empty line (empty when none). */
cors_str cors__redirect_location(const cors__grant *g)
{
    const cors__field *f = cors__grant_field(g, SLOT_LOCATION);
    for (size_t i = f->first; f->count > 0 && i <= f->last; i++)
        if (cors__token_equal_lit(g->headers[i].name, "location", 8) && g->headers[i].value.len > 0)
            return g->headers[i].value;
    return VALUE_NONE;
}

/* net follows 301, 302, 303, 307 and 308 when a Location line is not empty
 * (an empty one leaves a plain non-ok response: seen in Chromium 156). */
bool cors__redirect_is_followed(const cors__grant *g)
{
    int32_t st = g->status_code;
    return (st == 301 || st == 302 || st == 303 || st == 307 || st == 308) && cors__redirect_location(g).len > 0;
}

/* net refuses a redirect whose Location does not form a URL
 * (ERR_INVALID_REDIRECT; seen in Chromium 156 for preflights and responses).
 * Differing Location lines were refused before, at any status (network.c). */
int32_t cors__redirect_check_net(const cors__eval *ev, const cors__grant *g, int32_t stage, cors__url *url,
                                 cors_report *r)
{
    cors_str location = cors__redirect_location(g);
    if (!cors__url_parse(location, true, url)) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_INVALID, V0, stage, location);
        return CORS_KIND_INVALID_REDIRECT;
    }
    return CORS_KIND_NONE;
}

/* Returns the failing kind, or CORS_KIND_NONE when the browser follows the redirect. */
int32_t cors__redirect_judge(const cors__eval *ev, cors_report *r)
{
    static const cors_str unsafe[] = {CORS_LIT_INIT("data"), CORS_LIT_INIT("file"), CORS_LIT_INIT("filesystem"), CORS_LIT_INIT("blob")};
    const cors__grant *g = ev->response;
    cors_str location = cors__redirect_location(g), scheme;
    cors__url url;
    int32_t kind = cors__redirect_check_net(ev, g, CORS_STAGE_RESPONSE, &url, r);

    if (kind != CORS_KIND_NONE)
        return kind;
    scheme = (cors_str){url.scheme, url.scheme_len};
    for (size_t i = 0; i < CORS__COUNT(unsafe); i++) {
        if (cors__equal(scheme, unsafe[i])) {
            cors__finding(ev, r, CORS_FINDING_REDIRECT_UNSAFE, V0, CORS_STAGE_RESPONSE, location, scheme);
            return CORS_KIND_UNSAFE_REDIRECT;
        }
    }
    if ((kind = cors__check(ev, g, CORS_STAGE_RESPONSE, r)) != CORS_KIND_NONE)
        return kind;
    /* CheckRedirectLocation: credentials before scheme */
    if (url.has_credentials) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS, V0, CORS_STAGE_RESPONSE, location);
        return CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS;
    }
    if (!cors__equal(scheme, CORS_LIT("http")) && !cors__equal(scheme, CORS_LIT("https"))) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_SCHEME, V0, CORS_STAGE_RESPONSE, location, scheme);
        return CORS_KIND_CORS_DISABLED_SCHEME;
    }
    cors__finding(ev, r, CORS_FINDING_REDIRECT_FOLLOWED, V0, CORS_STAGE_RESPONSE, location);
    return CORS_KIND_NONE;
}
