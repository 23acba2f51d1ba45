/* rules_reflect.c - the reflect-origin pattern (as OneBalance's API serves
 * it) done right: the browser's verdict with credentials, the origin echoed
 * byte for byte, `Vary: Origin` on the actual response, and advice on exposed
 * headers, max age and what credentials are for. */
#include "internal.h"

#include <string.h>

static void warn_wildcards(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    static const char *const names[] = {"Access-Control-Allow-Methods", "Access-Control-Allow-Headers"};
    if (p == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        const cors_field *field = i == 0 ? &p->allow_methods : &p->allow_headers;
        if (cors__list_contains(p, field, cors__str_z("*"), 0)) {
            cors_finding *f = cors__finding_add(report, CORS_FINDING_REFLECT_WILDCARD_LIST, CORS_SEVERITY_WARNING,
                                                CORS_STAGE_PREFLIGHT, names[i], field->value);
            cors__finding_message(report, f, "%s holds '*', which is no wildcard for credentialed requests: list "
                                             "every method or header explicitly.", names[i]);
        }
    }
}

/* Issue 4: no, invalid or over-cap Access-Control-Max-Age, whatever the verdict. */
static void warn_max_age(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    int problem;
    if (p == NULL)
        return;
    cors__browser_max_age(p, ev->strict, &problem);
    if (p->max_age.lines == 0)
        problem = CORS_FINDING_MAX_AGE_MISSING;
    if (problem != 0)
        cors__browser_max_age_finding(p, problem, CORS_SEVERITY_WARNING, report);
}

static void warn_expose_headers(const cors__eval *ev, cors_report *report)
{
    const cors_policy *r = ev->response;
    cors_finding *f;
    if (r == NULL || r->expose_headers.lines > 0)
        return;
    f = cors__finding_add(report, CORS_FINDING_EXPOSE_HEADERS_MISSING, CORS_SEVERITY_WARNING, CORS_STAGE_RESPONSE,
                          "Access-Control-Expose-Headers", (cors_str){NULL, 0});
    cors__finding_message(report, f, "No Access-Control-Expose-Headers: script can read only the CORS-safelisted "
                                     "response headers (Content-Type, Content-Length, Cache-Control, ...). Name the "
                                     "others it needs, such as rate-limit or request-id headers.");
    cors__finding_fix(report, f, "Access-Control-Expose-Headers: X-Request-Id");
}

int32_t cors__rules_reflect(cors__eval *ev, cors_report *report)
{
    const cors_policy *r = ev->response;
    cors_finding *f;
    int32_t st;

    /* The pattern exists for credentialed calls: judge them as such. */
    ev->model.credentialed = 1;
    ev->max_age_findings = 0;
    ev->vary_warning = 0;
    st = cors__rules_browser(ev, report);
    if (r != NULL && !cors__list_contains(r, &r->vary, cors__str_z("origin"), 1)) {
        /* An error when it is what fails the exchange, else a warning beside the real error. */
        int decides = st == CORS_OK && report->ok;
        f = cors__finding_add(report, CORS_FINDING_VARY_ORIGIN_MISSING,
                              decides ? CORS_SEVERITY_ERROR : CORS_SEVERITY_WARNING, CORS_STAGE_RESPONSE, "Vary",
                              r->vary.value);
        cors__finding_message(report, f, "The response reflects the caller's origin but its Vary does not name "
                                         "Origin, so a shared cache can hand one origin's answer (and its "
                                         "Access-Control-Allow-Origin) to another.");
        cors__browser_fix_vary(report, f, r);
        if (decides) {
            report->readable_count = 0;
            cors__report_fail(report, CORS_STAGE_RESPONSE, CORS_KIND_MISSING_VARY_ORIGIN);
        }
    }
    /* Advice holds whatever the verdict: the server is worth fixing all at once. */
    warn_wildcards(ev, report);
    warn_max_age(ev, report);
    warn_expose_headers(ev, report);
    f = cors__finding_add(report, CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS, CORS_SEVERITY_INFO, CORS_STAGE_RESPONSE,
                          "Access-Control-Allow-Credentials", (cors_str){NULL, 0});
    cors__finding_message(report, f, "Access-Control-Allow-Credentials matters only for cookies, HTTP authentication "
                                     "and TLS client certificates. An API key sent in a header such as x-api-key is not "
                                     "a credential in this sense: it needs Access-Control-Allow-Headers, not "
                                     "credentials.");
    return st;
}
