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
    cors_str base_scheme = {ev->chain->url.origin.scheme, ev->chain->url.origin.scheme_len};
    if (!cors__url_parse(location, base_scheme, url)) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_INVALID, V0, stage, location);
        return CORS_KIND_INVALID_REDIRECT;
    }
    return CORS_KIND_NONE;
}

static bool is_unsafe_scheme(cors_str scheme)
{
    /* net refuses these as URLRequestJob::IsSafeRedirect / the network service's factories */
    return cors__equal(scheme, CORS_LIT("data")) || cors__equal(scheme, CORS_LIT("about")) ||
           cors__equal(scheme, CORS_LIT("file")) || cors__equal(scheme, CORS_LIT("filesystem")) ||
           cors__equal(scheme, CORS_LIT("blob"));
}

/* Chromium cors_url_loader.cc OnReceiveRedirect and FollowRedirect, in the
 * order Chromium 156 showed: an invalid Location, the redirect limit, the
 * CORS check (once the chain is cross-origin), CheckRedirectLocation
 * (credentials), then the scheme. Returns the failing kind, or
 * CORS_KIND_NONE when the browser follows, with ev->chain->next set. */
int32_t cors__redirect_judge(const cors__eval *ev, cors_report *r)
{
    const cors__grant *g = ev->response;
    cors__chain *chain = ev->chain;
    cors_str location = cors__redirect_location(g), scheme;
    cors__url url;
    int32_t kind = cors__redirect_check_net(ev, g, CORS_STAGE_RESPONSE, &url, r);

    if (kind != CORS_KIND_NONE)
        return kind;
    if (!cors__url_resolve(&chain->url, location, &chain->next)) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_INVALID, V0, CORS_STAGE_RESPONSE, location);
        return CORS_KIND_INVALID_REDIRECT;
    }
    if (ev->hop > 20) { /* net URLRequest: redirect_limit_ of 20 */
        cors__finding(ev, r, CORS_FINDING_REDIRECT_TOO_MANY, V0, CORS_STAGE_RESPONSE, location);
        return CORS_KIND_TOO_MANY_REDIRECTS;
    }
    if (chain->cors_flag && (kind = cors__check(ev, g, CORS_STAGE_RESPONSE, r)) != CORS_KIND_NONE)
        return kind;
    scheme = (cors_str){chain->next.origin.scheme, chain->next.origin.scheme_len};
    /* CheckRedirectLocation: credentials in a cross-origin or tainted CORS request */
    if ((chain->next.has_credentials || url.has_credentials) &&
        (chain->cors_flag || chain->tainted || !cors__url_origin_same(&chain->page, &chain->next.origin))) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS, V0, CORS_STAGE_RESPONSE, location);
        return CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS;
    }
    if (is_unsafe_scheme(scheme)) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_UNSAFE, V0, CORS_STAGE_RESPONSE, location, scheme);
        return CORS_KIND_UNSAFE_REDIRECT;
    }
    if (!cors__equal(scheme, CORS_LIT("http")) && !cors__equal(scheme, CORS_LIT("https"))) {
        cors__finding(ev, r, CORS_FINDING_REDIRECT_SCHEME, V0, CORS_STAGE_RESPONSE, location, scheme);
        return CORS_KIND_CORS_DISABLED_SCHEME;
    }
    /* the renderer's own checks as it follows (Chromium blink: mixed content, then
     * ShouldBlockFetchAsCredentialedSubresource, which the standard does not have) */
    if (cors__url_is_mixed_content(&chain->page, &chain->next)) {
        cors__finding(ev, r, CORS_FINDING_MIXED_CONTENT, V1, CORS_STAGE_RESPONSE, location, location);
        return CORS_KIND_MIXED_CONTENT;
    }
    if ((chain->next.has_credentials || url.has_credentials) && !ev->strict) {
        cors__finding(ev, r, CORS_FINDING_URL_CREDENTIALS, V1, CORS_STAGE_RESPONSE, location);
        return CORS_KIND_URL_CREDENTIALS;
    }
    cors__finding(ev, r, CORS_FINDING_REDIRECT_FOLLOWED, V0, CORS_STAGE_RESPONSE, location);
    return CORS_KIND_NONE;
}
