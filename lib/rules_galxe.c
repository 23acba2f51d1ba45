/* rules_galxe.c - Galxe's documented check of third-party APIs
 * (docs.galxe.com "CORS Check"): an OPTIONS probe from
 * https://dashboard.galxe.com with Access-Control-Request-Method GET or POST
 * and Access-Control-Request-Headers: Content-Type must get a 2xx answer with
 * one Access-Control-Allow-Origin (`*` or that origin) and the method in
 * Access-Control-Allow-Methods. Where Galxe passes but a browser calling the
 * same API would fail, a warning says so. */
#include "internal.h"

#include <string.h>

static int32_t check_status(const cors_policy *p, cors_report *report)
{
    cors_finding *f;
    if (p->status_code >= 200 && p->status_code <= 299) {
        if (p->status_code == 200) {
            f = cors__finding_add(report, CORS_FINDING_GALXE_STATUS_200, CORS_SEVERITY_INFO, CORS_STAGE_PREFLIGHT, NULL,
                                  (cors_str){NULL, 0});
            cors__finding_message(report, f, "The preflight answered 200; Galxe's document shows 204 No Content. "
                                             "Any 2xx passes.");
        }
        return CORS_KIND_NONE;
    }
    f = cors__finding_add(report, CORS_FINDING_PREFLIGHT_STATUS, CORS_SEVERITY_ERROR, CORS_STAGE_PREFLIGHT, NULL,
                          (cors_str){NULL, 0});
    if (p->location.lines > 0 && p->status_code >= 300 && p->status_code <= 399)
        cors__finding_message(report, f, "Galxe's OPTIONS probe was answered with a redirect (%d) to %S; neither "
                                         "Galxe nor a browser follows it. Answer OPTIONS at this very URL with 2xx.",
                              (int)p->status_code, p->location.value);
    else
        cors__finding_message(report, f, "Galxe's OPTIONS probe got status %d; it needs a 2xx answer (the document "
                                         "shows 204 No Content). Answer OPTIONS before authentication and routing.",
                              (int)p->status_code);
    cors__finding_fix(report, f, "HTTP/1.1 204 No Content");
    return CORS_KIND_PREFLIGHT_INVALID_STATUS;
}

static int32_t check_methods(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    cors_str m = ev->model.method, bad;
    cors_finding *f;

    if (!cors__list_is_valid(p, &p->allow_methods, &bad)) {
        f = cors__finding_add(report, CORS_FINDING_ALLOW_METHODS_INVALID, CORS_SEVERITY_ERROR, CORS_STAGE_PREFLIGHT,
                              "Access-Control-Allow-Methods", p->allow_methods.value);
        cors__finding_message(report, f, "Access-Control-Allow-Methods must be a comma-separated list of methods; "
                                         "'%S' is not one.", bad);
        cors__finding_fix(report, f, "Access-Control-Allow-Methods: GET, POST, OPTIONS");
        return CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE;
    }
    if (cors__list_contains(p, &p->allow_methods, m, 0) || cors__list_contains(p, &p->allow_methods, cors__str_z("*"), 0))
        return CORS_KIND_NONE;
    f = cors__finding_add(report, CORS_FINDING_GALXE_ALLOW_METHODS, CORS_SEVERITY_ERROR, CORS_STAGE_PREFLIGHT,
                          "Access-Control-Allow-Methods", p->allow_methods.value);
    if (p->allow_methods.lines == 0)
        cors__finding_message(report, f, "Galxe requires Access-Control-Allow-Methods to list %S, and the preflight "
                                         "has no such header. A browser would still pass a plain %S (a CORS-safelisted "
                                         "method), but Galxe's check fails.", m, m);
    else if (cors__list_contains(p, &p->allow_methods, m, 1))
        cors__finding_message(report, f, "Access-Control-Allow-Methods lists %S in another case; methods compare "
                                         "case-sensitively. Galxe's check fails (a browser would pass a plain %S).",
                              m, m);
    else
        cors__finding_message(report, f, "Access-Control-Allow-Methods does not list %S, so Galxe's check fails%s.",
                              m, cors__is_safelisted_method(m) ? " (a browser would still pass a plain GET or POST)" : "");
    cors__finding_fix(report, f, "Access-Control-Allow-Methods: GET, POST, OPTIONS");
    return CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE;
}

/* Where Galxe passes but a browser page calling the same API with a JSON body would not. */
static void warn_browser_differences(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    cors_finding *f;
    cors_str bad;

    if (!cors__list_is_valid(p, &p->allow_headers, &bad)) {
        f = cors__finding_add(report, CORS_FINDING_ALLOW_HEADERS_INVALID, CORS_SEVERITY_WARNING, CORS_STAGE_PREFLIGHT,
                              "Access-Control-Allow-Headers", p->allow_headers.value);
        cors__finding_message(report, f, "Galxe passes, but a browser rejects this preflight: "
                                         "Access-Control-Allow-Headers holds '%S', which is not a header name.", bad);
        cors__finding_fix(report, f, "Access-Control-Allow-Headers: Content-Type");
    } else if (!cors__list_contains(p, &p->allow_headers, cors__str_z("content-type"), 1) &&
               !cors__list_contains(p, &p->allow_headers, cors__str_z("*"), 0)) {
        f = cors__finding_add(report, CORS_FINDING_GALXE_CONTENT_TYPE, CORS_SEVERITY_WARNING, CORS_STAGE_PREFLIGHT,
                              "Access-Control-Allow-Headers", p->allow_headers.value);
        cors__finding_message(report, f, "Galxe passes, but Access-Control-Allow-Headers does not allow Content-Type, "
                                         "so a browser refuses requests with a JSON body (Content-Type: "
                                         "application/json) with HeaderDisallowedByPreflightResponse.");
        cors__finding_fix(report, f, "Access-Control-Allow-Headers: Content-Type");
    }
    if (ev->response != NULL) {
        const cors_policy *r = ev->response;
        int ok = r->allow_origin.lines == 1 &&
                 (cors__equal_z(r->allow_origin.value, "*") ||
                  cors_origin_equal(r->allow_origin.value.ptr, r->allow_origin.value.len, ev->request->origin.ptr,
                                    ev->request->origin.len));
        if (!ok) {
            f = cors__finding_add(report, CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN, CORS_SEVERITY_WARNING,
                                  CORS_STAGE_RESPONSE, "Access-Control-Allow-Origin", r->allow_origin.value);
            if (r->allow_origin.lines == 0)
                cors__finding_message(report, f, "Galxe checks only the preflight, but the actual response has no "
                                                 "Access-Control-Allow-Origin: a browser reading it fails with "
                                                 "MissingAllowOriginHeader.");
            else
                cors__finding_message(report, f, "Galxe checks only the preflight, but the actual response's "
                                                 "Access-Control-Allow-Origin is neither '*' nor %S: a browser reading "
                                                 "it fails.", ev->request->origin);
            cors__finding_fix(report, f, "Access-Control-Allow-Origin: %S", ev->request->origin);
        }
    }
}

int32_t cors__rules_galxe(cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    int32_t kind;

    /* Galxe always probes with OPTIONS, uncredentialed, Content-Type requested. */
    ev->model.credentialed = 0;
    report->preflight = 1;
    report->has_acr_method = 1;
    report->acr_method = report->method;
    report->has_acr_headers = 1;
    if (!cors__report_has_room(report, 12))
        return CORS_E_REPORT_FULL;
    report->acr_headers = cors__report_put(report, "content-type", 12);
    if (p == NULL)
        return CORS_E_NEED_PREFLIGHT;
    kind = check_status(p, report);
    if (kind == CORS_KIND_NONE)
        kind = cors__browser_cors_check(ev, p, CORS_STAGE_PREFLIGHT, report);
    if (kind == CORS_KIND_NONE)
        kind = check_methods(ev, report);
    if (kind != CORS_KIND_NONE) {
        cors__report_fail(report, CORS_STAGE_PREFLIGHT, kind);
        return CORS_OK;
    }
    report->has_cache_seconds = 1;
    {
        int problem;
        report->preflight_cache_seconds = cors__browser_max_age(p, 0, &problem);
    }
    warn_browser_differences(ev, report);
    report->ok = 1;
    return CORS_OK;
}
