/* SPDX-License-Identifier: MIT */
/* chain.c - the browser rules along a redirect chain, hop by hop, as
 * Chromium's CorsURLLoader runs them (Fetch "main fetch", "HTTP fetch",
 * "HTTP-redirect fetch"): the CORS flag once a hop is cross-origin, a
 * preflight per URL that needs one, the CORS check of every response after
 * that, the tainted origin, the method change, the redirect limit. */
#include "internal.h"

#include <string.h>

/* FNV-1a of a URL's text: Chromium's preflight cache is keyed by URL (and origin). */
static uint64_t url_key(const cors__hop_url *u, cors_str origin)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < u->len; i++)
        h = (h ^ (unsigned char)u->text[i]) * 0x100000001b3u;
    h = (h ^ 0xff) * 0x100000001b3u;
    for (size_t i = 0; i < origin.len; i++)
        h = (h ^ (unsigned char)origin.ptr[i]) * 0x100000001b3u;
    return h;
}

static bool is_cached(const cors__chain *c, uint64_t key)
{
    for (size_t i = 0; i < c->preflighted_count; i++)
        if (c->preflighted[i] == key)
            return true;
    return false;
}

static cors_hop_report *hop_report(cors_report *r, int32_t hop)
{
    size_t i = (size_t)hop - 1;
    if (i >= r->hop_report_count)
        r->hop_report_count = i + 1;
    return r->hop_reports != NULL && i < r->hop_reports_capacity ? &r->hop_reports[i] : NULL;
}

void cors__chain_describe(cors__eval *ev, bool preflight, bool has_origin, cors_report *r)
{
    cors_hop_report h;
    cors_hop_report *slot = hop_report(r, ev->hop);
    memset(&h, 0, sizeof(h));
    h.preflight = preflight;
    h.has_origin = has_origin;
    h.body = ev->model.body;
    if (ev->chain->url.text_known)
        h.url = cors__report_put(r, (cors_str){ev->chain->url.text, ev->chain->url.len});
    h.method = ev->hop == 1 ? r->method : cors__report_put(r, ev->model.method);
    if (has_origin)
        h.origin = cors__report_put(r, ev->origin);
    if (preflight) {
        h.acr_method = h.method;
        h.has_acr_headers = ev->model.unsafe_count > 0;
        if (h.has_acr_headers)
            h.acr_headers = cors__request_put_acr_headers(&ev->model, r);
    }
    if (ev->hop == 1) {
        r->preflight = h.preflight;
        r->has_acr_method = h.preflight;
        r->acr_method = h.acr_method;
        r->has_acr_headers = h.has_acr_headers;
        r->acr_headers = h.acr_headers;
    }
    if (slot != NULL)
        *slot = h;
}

static void fail(cors_report *r, int32_t hop, int32_t stage, int32_t kind)
{
    r->failed_hop = hop;
    cors__report_fail(r, stage, kind);
}

/* Fetch: HTTP-redirect fetch, step 12: POST on 301/302, anything but GET or HEAD on 303, becomes GET. */
static void change_method(cors__eval *ev, int32_t status)
{
    cors_str m = ev->model.method;
    bool is_post = cors__equal(m, CORS_LIT("POST"));
    if ((status == 303 && !cors__equal(m, CORS_LIT("GET")) && !cors__equal(m, CORS_LIT("HEAD"))) ||
        ((status == 301 || status == 302) && is_post))
        cors__request_model_rebuild(ev, CORS_LIT("GET"));
}

/* Main fetch, for the URL fetch() is called with: fetch() throws for
 * credentials in it; Mixed Content blocks an http URL on an https page. */
static int32_t first_url_judge(cors__eval *ev, cors_report *r)
{
    const cors__hop_url *u = &ev->chain->url;
    cors_str text = u->text_known ? (cors_str){u->text, u->len} : ev->request->url;
    if (u->has_credentials) {
        cors__finding(ev, r, CORS_FINDING_URL_CREDENTIALS, V0, CORS_STAGE_REQUEST, ev->request->url);
        return CORS_KIND_URL_CREDENTIALS;
    }
    if (cors__url_is_mixed_content(&ev->chain->page, u)) {
        cors__finding(ev, r, CORS_FINDING_MIXED_CONTENT, V0, CORS_STAGE_REQUEST, text, text);
        return CORS_KIND_MIXED_CONTENT;
    }
    return CORS_KIND_NONE;
}

void cors__chain_judge(cors__eval *ev, cors_report *r)
{
    cors__chain *c = ev->chain;
    int32_t kind;
    if ((kind = first_url_judge(ev, r)) != CORS_KIND_NONE) {
        fail(r, 0, CORS_STAGE_REQUEST, kind);
        return;
    }
    for (ev->hop = 1;; ev->hop++) {
        const cors_hop *hop = (size_t)ev->hop <= c->hop_count ? &c->hops[ev->hop - 1] : NULL;
        bool simple = CORS__SAME_LIT(ev->model.method, "GET") || CORS__SAME_LIT(ev->model.method, "HEAD");
        bool has_origin, preflight;
        uint64_t key;

        /* main fetch: a cross-origin URL sets the CORS flag, for good */
        c->cors_flag |= !c->url.known || !cors__url_origin_same(&c->page, &c->url.origin);
        has_origin = c->cors_flag || !simple;
        ev->origin = c->tainted ? CORS_LIT("null") : ev->request->origin;
        /* the cache is only asked about, and only told of, a URL whose text is known */
        key = c->cors_flag && ev->model.needs_preflight && c->url.text_known ? url_key(&c->url, ev->origin) : 0;
        preflight = c->cors_flag && ev->model.needs_preflight && !(c->url.text_known && is_cached(c, key));
        cors__chain_describe(ev, preflight, has_origin, r);
        ev->preflight = ev->response = NULL;
        if (preflight) {
            cors__preflight_facts facts;
            if (hop == NULL || hop->preflight == NULL) {
                r->needs |= CORS_NEED_PREFLIGHT;
                return;
            }
            cors__grant_build(hop->preflight, &ev->preflight_grant);
            ev->preflight = &ev->preflight_grant;
            kind = cors__network_judge(ev, ev->preflight, CORS_STAGE_PREFLIGHT, r);
            if (kind == CORS_KIND_NONE)
                kind = cors__preflight_judge(ev, &facts, r);
            if (kind != CORS_KIND_NONE) {
                if (ev->hop == 1) {
                    r->has_cache_seconds = 1;
                    r->preflight_cache_seconds = 0;
                }
                fail(r, ev->hop, CORS_STAGE_PREFLIGHT, kind);
                return;
            }
            if (cors__cache_note(ev, &facts, r) > 0 && c->url.text_known &&
                c->preflighted_count < CORS__COUNT(c->preflighted))
                c->preflighted[c->preflighted_count++] = key;
        }
        if (hop == NULL || hop->response == NULL) {
            r->needs |= CORS_NEED_RESPONSE;
            return;
        }
        cors__grant_build(hop->response, &ev->response_grant);
        ev->response = &ev->response_grant;
        r->hops = ev->hop;
        if ((kind = cors__network_judge(ev, ev->response, CORS_STAGE_RESPONSE, r)) != CORS_KIND_NONE) {
            fail(r, ev->hop, CORS_STAGE_RESPONSE, kind);
            return;
        }
        if (!cors__redirect_is_followed(ev->response))
            break;
        if ((kind = cors__redirect_judge(ev, r)) != CORS_KIND_NONE) {
            fail(r, ev->hop, CORS_STAGE_RESPONSE, kind);
            return;
        }
        /* Fetch: HTTP-redirect fetch, step 11 (Chromium CheckTainted) */
        if (!cors__url_same_origin(&c->next, &c->url) && !(c->url.known && cors__url_origin_same(&c->page, &c->url.origin))) {
            if (!c->tainted)
                cors__finding(ev, r, CORS_FINDING_REDIRECT_TAINTED, V0, CORS_STAGE_RESPONSE,
                              cors__redirect_location(ev->response));
            c->tainted = true;
        }
        change_method(ev, ev->response->status_code);
        if ((size_t)ev->hop >= c->hop_count) {
            r->needs |= CORS_NEED_REDIRECT_TARGET;
            return;
        }
        c->url = c->next;
    }
    /* the final response */
    if (c->cors_flag && (kind = cors__browser_response(ev, r)) != CORS_KIND_NONE) {
        fail(r, ev->hop, CORS_STAGE_RESPONSE, kind);
        return;
    }
    r->ok = 1;
    ev->model.sorted = NULL; /* the readable names take the array back */
    ev->readable_text_at = cors__expose_readable(ev, !c->cors_flag, r);
    ev->readable_room = ev->response->readable_candidates;
}
