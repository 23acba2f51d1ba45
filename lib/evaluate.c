/* evaluate.c - cors_evaluate: check the arguments, model the request, run the rule set. */
#include "internal.h"

#include <string.h>

void cors_request_init(cors_request *request)
{
    if (request == NULL)
        return;
    memset(request, 0, sizeof(*request));
    request->struct_size = sizeof(*request);
}

void cors_options_init(cors_options *options)
{
    if (options == NULL)
        return;
    memset(options, 0, sizeof(*options));
    options->struct_size = sizeof(*options);
}

static int32_t fail(cors_error *err, int32_t status, size_t offset)
{
    if (err != NULL) {
        err->status = status;
        err->offset = offset;
        err->line = 0;
    }
    return status;
}

static int field_is_usable(const cors_policy *p, const cors_field *f)
{
    return f->lines == 0 || (f->first < p->header_count && f->lines <= p->header_count - f->first);
}

/* A policy built by hand (a binding, say) must point at lines it has. */
static int policy_is_usable(const cors_policy *p)
{
    if (p == NULL)
        return 1;
    if (p->struct_size < sizeof(cors_policy) || (p->headers == NULL && p->header_count != 0))
        return 0;
    return field_is_usable(p, &p->allow_origin) && field_is_usable(p, &p->allow_credentials) &&
           field_is_usable(p, &p->allow_methods) && field_is_usable(p, &p->allow_headers) &&
           field_is_usable(p, &p->expose_headers) && field_is_usable(p, &p->max_age) &&
           field_is_usable(p, &p->vary) && field_is_usable(p, &p->location);
}

int32_t cors_evaluate(const cors_options *options, const cors_request *request, const cors_policy *preflight,
                      const cors_policy *response, cors_report *report, cors_error *err)
{
    static const cors_options browser_defaults = {sizeof(cors_options), CORS_RULES_BROWSER, 0};
    cors__eval ev;
    cors_origin origin;
    int32_t st;

    if (err != NULL)
        memset(err, 0, sizeof(*err));
    if (report == NULL || report->struct_size < sizeof(cors_report))
        return fail(err, CORS_E_ARGUMENT, 0);
    cors_report_init(report);
    if (options == NULL)
        options = &browser_defaults;
    if (options->struct_size < sizeof(cors_options) || request == NULL || request->struct_size < sizeof(cors_request) ||
        !policy_is_usable(preflight) || !policy_is_usable(response) ||
        (request->headers == NULL && request->header_count != 0) ||
        (request->method.ptr == NULL && request->method.len != 0) ||
        request->credentials < CORS_CREDENTIALS_SAME_ORIGIN || request->credentials > CORS_CREDENTIALS_INCLUDE ||
        (options->flags & ~CORS_OPTION_STRICT) != 0)
        return fail(err, CORS_E_ARGUMENT, 0);
    if (options->rules < CORS_RULES_BROWSER || options->rules > CORS_RULES_REFLECT)
        return fail(err, CORS_E_BAD_RULES, 0);
    report->rules = options->rules;
    if ((st = cors_origin_parse(request->origin.ptr, request->origin.len, &origin, err)) != CORS_OK)
        return st;

    memset(&ev, 0, sizeof(ev));
    ev.options = options;
    ev.request = request;
    ev.preflight = preflight;
    ev.response = response;
    ev.strict = (options->flags & CORS_OPTION_STRICT) != 0;
    ev.max_age_findings = 1;
    ev.vary_warning = 1;

    st = cors__request_model_build(request, ev.strict, &ev.model, report);
    if (st != CORS_OK)
        return fail(err, st, 0);
    if (report->failed_at == CORS_STAGE_REQUEST)
        return CORS_OK;

    switch (options->rules) {
    case CORS_RULES_GALXE:
        st = cors__rules_galxe(&ev, report);
        break;
    case CORS_RULES_REFLECT:
        st = cors__rules_reflect(&ev, report);
        break;
    default:
        st = cors__rules_browser(&ev, report);
        break;
    }
    return st == CORS_OK ? CORS_OK : fail(err, st, 0);
}
