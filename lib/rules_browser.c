/* rules_browser.c - what Chromium does with the server's answers: the CORS
 * check, the preflight judgement in Chromium's order, the preflight cache
 * lifetime and the headers script can read. */
#include "internal.h"

#include <string.h>

#define CHROMIUM_MAX_AGE_CAP 7200  /* preflight_result.cc: two hours */
#define DEFAULT_MAX_AGE 5          /* Fetch: CORS-preflight fetch, 5 seconds */

/* The value Chromium sees: every line of the name joined with ", ". */
static cors_span joined_value(cors_report *report, const cors_policy *policy, const cors_field *field)
{
    uint32_t start = report->text_length;
    int first = 1;
    cors_span s;
    for (size_t i = field->first; field->lines > 0 && i < policy->header_count; i++) {
        const cors_header *h = &policy->headers[i];
        if (!cors__equal_nocase(h->name.ptr, h->name.len, policy->headers[field->first].name.ptr,
                                policy->headers[field->first].name.len))
            continue;
        if (!first)
            cors__report_put(report, ", ", 2);
        cors__report_put(report, h->value.ptr, h->value.len);
        first = 0;
    }
    s.offset = start;
    s.length = report->text_length - start;
    return s;
}

static cors_finding *error_finding(cors_report *report, int32_t code, int32_t stage, const char *header,
                                   const cors_policy *policy, const cors_field *field)
{
    cors_finding *f = cors__finding_add(report, code, CORS_SEVERITY_ERROR, stage, header, (cors_str){NULL, 0});
    if (f != NULL && field != NULL && field->lines > 0)
        f->value = joined_value(report, policy, field);
    return f;
}

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

/* The header lines that make the CORS check pass for this request. */
static void fix_allow_origin(cors_report *report, cors_finding *f, const cors__eval *ev)
{
    if (ev->model.credentialed)
        cors__finding_fix(report, f, "Access-Control-Allow-Origin: %S\nAccess-Control-Allow-Credentials: true\nVary: Origin",
                          ev->request->origin);
    else
        cors__finding_fix(report, f, "Access-Control-Allow-Origin: %S\nVary: Origin", ev->request->origin);
}

/* Fetch: CORS check; Chromium cors.cc CheckAccess picks the error kind. */
int32_t cors__browser_cors_check(const cors__eval *ev, const cors_policy *policy, int32_t stage, cors_report *report)
{
    const cors_field *acao = &policy->allow_origin;
    const cors_field *acac = &policy->allow_credentials;
    cors_str origin = ev->request->origin;
    int32_t kind, code;
    cors_finding *f;
    const char *where = stage == CORS_STAGE_PREFLIGHT ? "preflight (OPTIONS) response" : "response";

    if (acao->lines == 0) {
        f = error_finding(report, CORS_FINDING_ALLOW_ORIGIN_MISSING, stage, "Access-Control-Allow-Origin", policy, acao);
        cors__finding_message(report, f, "The %s has no Access-Control-Allow-Origin header, so the browser "
                                         "refuses it to every cross-origin page.", where);
        fix_allow_origin(report, f, ev);
        kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER;
    } else if (acao->lines == 1 && cors__equal_z(acao->value, "*")) {
        if (!ev->model.credentialed)
            return CORS_KIND_NONE;
        f = error_finding(report, CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS, stage, "Access-Control-Allow-Origin",
                          policy, acao);
        cors__finding_message(report, f, "The %s allows any origin with '*', but the request carries credentials "
                                         "(credentials: 'include'), and '*' is refused for credentialed requests. "
                                         "Echo the exact origin instead.", where);
        fix_allow_origin(report, f, ev);
        kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED;
    } else if (acao->lines == 1 && cors_origin_equal(acao->value.ptr, acao->value.len, origin.ptr, origin.len)) {
        if (!ev->model.credentialed)
            return CORS_KIND_NONE;
        /* Fetch: CORS check, credentials: the value must be exactly `true` */
        if (acac->lines == 1 && cors__equal_z(acac->value, "true"))
            return CORS_KIND_NONE;
        f = error_finding(report, CORS_FINDING_ALLOW_CREDENTIALS_INVALID, stage, "Access-Control-Allow-Credentials",
                          policy, acac);
        if (acac->lines == 0)
            cors__finding_message(report, f, "The request carries credentials but the %s has no "
                                             "Access-Control-Allow-Credentials header; it must be exactly 'true'.", where);
        else
            cors__finding_message(report, f, "The request carries credentials and the %s's "
                                             "Access-Control-Allow-Credentials must be exactly 'true' "
                                             "(lowercase, one line).", where);
        cors__finding_fix(report, f, "Access-Control-Allow-Credentials: true");
        kind = CORS_KIND_INVALID_ALLOW_CREDENTIALS;
    } else {
        const char *why;
        if (acao->lines > 1 || cors__has_byte(acao->value, ' ') || cors__has_byte(acao->value, ',')) {
            kind = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES;
            code = CORS_FINDING_ALLOW_ORIGIN_MULTIPLE;
            why = acao->lines > 1 ? "The %s has %d Access-Control-Allow-Origin lines; the browser joins them into "
                                    "one value, which can never equal an origin. Send exactly one."
                                  : "The %s's Access-Control-Allow-Origin holds several values; only one origin "
                                    "(or '*') is allowed.";
        } else if (cors__equal_z(acao->value, "null")) {
            kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH;
            code = CORS_FINDING_ALLOW_ORIGIN_MISMATCH;
            why = "The %s allows the origin 'null', which only matches opaque origins (sandboxed frames, "
                  "data: URLs), never a real page; allowing it is also unsafe.";
        } else if (!cors__origin_url_is_valid(acao->value)) {
            kind = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE;
            code = CORS_FINDING_ALLOW_ORIGIN_INVALID;
            why = "The %s's Access-Control-Allow-Origin is not a valid origin: it must be '*' or "
                  "scheme://host[:port].";
        } else {
            kind = CORS_KIND_ALLOW_ORIGIN_MISMATCH;
            code = CORS_FINDING_ALLOW_ORIGIN_MISMATCH;
            why = "The %s's Access-Control-Allow-Origin is not byte for byte the page's origin: no trailing "
                  "slash, path, uppercase, default port or pattern is allowed.";
        }
        f = error_finding(report, code, stage, "Access-Control-Allow-Origin", policy, acao);
        cors__finding_message(report, f, why, where, (int)acao->lines);
        fix_allow_origin(report, f, ev);
    }
    return stage == CORS_STAGE_PREFLIGHT ? preflight_kind(kind) : kind;
}

/* The Location a redirect goes to: its first non-empty line (empty when none). */
static cors_str redirect_location(const cors_policy *p)
{
    for (size_t i = p->location.first; p->location.lines > 0 && i < p->header_count; i++)
        if (cors__equal_nocase_z(p->headers[i].name, "location") && p->headers[i].value.len > 0)
            return p->headers[i].value;
    return (cors_str){NULL, 0};
}

/* net follows 301, 302, 303, 307 and 308 when a Location line is not empty
 * (an empty one leaves a plain non-ok response: seen in Chromium 156). */
static int is_followed_redirect(const cors_policy *p)
{
    int32_t st = p->status_code;
    return (st == 301 || st == 302 || st == 303 || st == 307 || st == 308) && redirect_location(p).len > 0;
}

/* net refuses a redirect before any CORS rule when its Location lines differ
 * (ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION) or do not form a URL
 * (ERR_INVALID_REDIRECT); seen in Chromium 156 for preflights and responses. */
static int32_t check_redirect_net(const cors_policy *p, int32_t stage, cors__url *url, cors_report *report)
{
    cors_str location = redirect_location(p);
    cors_finding *f;
    for (size_t i = p->location.first; i < p->header_count; i++) {
        const cors_header *h = &p->headers[i];
        if (cors__equal_nocase_z(h->name, "location") &&
            !(h->value.len == p->location.value.len &&
              (h->value.len == 0 || memcmp(h->value.ptr, p->location.value.ptr, h->value.len) == 0))) {
            f = error_finding(report, CORS_FINDING_REDIRECT_MULTIPLE_LOCATION, stage, "Location", p, &p->location);
            cors__finding_message(report, f, "The redirect has several different Location lines; the browser refuses "
                                             "it (net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION). Send one.");
            return CORS_KIND_MULTIPLE_LOCATION_HEADERS;
        }
    }
    if (!cors__origin_url_parse(location, 1, url)) {
        f = cors__finding_add(report, CORS_FINDING_REDIRECT_INVALID, CORS_SEVERITY_ERROR, stage, "Location", location);
        cors__finding_message(report, f, "The redirect's Location is not a valid URL; the browser refuses it "
                                         "(net::ERR_INVALID_REDIRECT).");
        return CORS_KIND_INVALID_REDIRECT;
    }
    return CORS_KIND_NONE;
}

/* Chromium cors_url_loader.cc OnReceiveRedirect: the CORS check of the
 * redirect response, then CheckRedirectLocation. Returns the failing kind, or
 * CORS_KIND_NONE when the browser follows the redirect. */
/* Chromium cors_url_loader.cc OnReceiveRedirect: net's checks, the CORS
 * check of the redirect response, then CheckRedirectLocation (credentials
 * before scheme). Returns the failing kind, or CORS_KIND_NONE when the browser
 * follows the redirect. */
static int32_t check_redirect(const cors__eval *ev, cors_report *report)
{
    static const char *const unsafe[] = {"data", "file", "filesystem", "blob"};
    const cors_policy *r = ev->response;
    cors_str location = redirect_location(r), scheme;
    cors__url url;
    int32_t kind = check_redirect_net(r, CORS_STAGE_RESPONSE, &url, report);
    cors_finding *f;
    if (kind != CORS_KIND_NONE)
        return kind;
    scheme.ptr = url.scheme;
    scheme.len = url.scheme_len;
    for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
        if (cors__equal_z(scheme, unsafe[i])) {
            f = cors__finding_add(report, CORS_FINDING_REDIRECT_UNSAFE, CORS_SEVERITY_ERROR, CORS_STAGE_RESPONSE,
                                  "Location", location);
            cors__finding_message(report, f, "The response redirects to a %S: URL; the browser refuses to follow "
                                             "it (net::ERR_UNSAFE_REDIRECT).", scheme);
            return CORS_KIND_UNSAFE_REDIRECT;
        }
    }
    if ((kind = cors__browser_cors_check(ev, r, CORS_STAGE_RESPONSE, report)) != CORS_KIND_NONE)
        return kind;
    if (url.has_credentials) {
        f = cors__finding_add(report, CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS, CORS_SEVERITY_ERROR,
                              CORS_STAGE_RESPONSE, "Location", location);
        cors__finding_message(report, f, "The response redirects a cross-origin request to a URL with a user name "
                                         "or password, which the browser refuses. Redirect without credentials in "
                                         "the URL.");
        return CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS;
    }
    if (!cors__equal_z(scheme, "http") && !cors__equal_z(scheme, "https")) {
        f = cors__finding_add(report, CORS_FINDING_REDIRECT_SCHEME, CORS_SEVERITY_ERROR, CORS_STAGE_RESPONSE,
                              "Location", location);
        cors__finding_message(report, f, "The response redirects to a %S: URL; cross-origin requests work only "
                                         "over http and https.", scheme);
        return CORS_KIND_CORS_DISABLED_SCHEME;
    }
    f = cors__finding_add(report, CORS_FINDING_REDIRECT_FOLLOWED, CORS_SEVERITY_INFO, CORS_STAGE_RESPONSE, "Location",
                          location);
    cors__finding_message(report, f, "The redirect passes the CORS check and the browser follows it to its "
                                     "Location; what the page gets is the response of that URL (after a redirect to "
                                     "another origin, sent with Origin: null).");
    return CORS_KIND_NONE;
}

/* Chromium ParseAccessControlMaxAge (reference R4.7); strict: Fetch's 1*DIGIT. */
int64_t cors__browser_max_age(const cors_policy *policy, int strict, int *problem)
{
    const cors_field *f = &policy->max_age;
    cors_str v = f->value;
    size_t i = 0;
    int negative = 0;
    uint64_t n = 0;

    *problem = 0;
    if (f->lines == 0)
        return DEFAULT_MAX_AGE;
    if (f->lines > 1) {
        *problem = CORS_FINDING_MAX_AGE_INVALID;
        return DEFAULT_MAX_AGE;
    }
    if (!strict && v.len > 0 && (v.ptr[0] == '-' || v.ptr[0] == '+')) {
        negative = v.ptr[0] == '-';
        i = 1;
    }
    if (i == v.len) {
        *problem = CORS_FINDING_MAX_AGE_INVALID;
        return DEFAULT_MAX_AGE;
    }
    for (; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9') {
            *problem = CORS_FINDING_MAX_AGE_INVALID;
            return DEFAULT_MAX_AGE;
        }
        {
            uint64_t limit = (uint64_t)INT64_MAX + (uint64_t)negative, d = (uint64_t)(v.ptr[i] - '0');
            n = n > (limit - d) / 10 ? limit + 1 : n * 10 + d; /* no wrap: saturate past the limit */
        }
        if (n > (uint64_t)INT64_MAX + (uint64_t)negative) {
            if (strict)
                n = (uint64_t)INT64_MAX; /* Fetch: any 1*DIGIT is valid; the cap applies */
            else {
                *problem = CORS_FINDING_MAX_AGE_INVALID;
                return DEFAULT_MAX_AGE;
            }
        }
    }
    if (negative && n > 0) {
        *problem = CORS_FINDING_MAX_AGE_NEGATIVE;
        return 0;
    }
    if (n > CHROMIUM_MAX_AGE_CAP) {
        *problem = CORS_FINDING_MAX_AGE_CAPPED;
        return CHROMIUM_MAX_AGE_CAP;
    }
    return (int64_t)n;
}

/* One finding about Access-Control-Max-Age: problem is a CORS_FINDING_MAX_AGE_* code. */
void cors__browser_max_age_finding(const cors_policy *p, int32_t problem, int32_t severity, cors_report *report)
{
    cors_finding *f = cors__finding_add(report, problem, severity, CORS_STAGE_PREFLIGHT, "Access-Control-Max-Age",
                                        (cors_str){NULL, 0});
    if (f != NULL && p->max_age.lines > 0)
        f->value = joined_value(report, p, &p->max_age);
    switch (problem) {
    case CORS_FINDING_MAX_AGE_MISSING:
        cors__finding_message(report, f, "The preflight has no Access-Control-Max-Age, so browsers repeat it after 5 "
                                         "seconds. Chromium caches up to 7200 seconds, Firefox up to 86400.");
        break;
    case CORS_FINDING_MAX_AGE_INVALID:
        cors__finding_message(report, f, "Access-Control-Max-Age must be one line of digits; the browser falls back "
                                         "to 5 seconds (Firefox does not cache the preflight at all).");
        break;
    case CORS_FINDING_MAX_AGE_NEGATIVE:
        cors__finding_message(report, f, "A negative Access-Control-Max-Age makes Chromium preflight every request; "
                                         "the Fetch standard would use 5 seconds.");
        break;
    default:
        cors__finding_message(report, f, "Chromium caches a preflight for at most 7200 seconds (Firefox 86400); "
                                         "longer values are cut to that.");
        break;
    }
    cors__finding_fix(report, f, "Access-Control-Max-Age: 7200");
}

static int has_conditional_header(const cors__eval *ev)
{
    static const char *const conditional[] = {"if-modified-since", "if-none-match", "if-unmodified-since", "if-match",
                                              "if-range"};
    for (size_t i = 0; i < ev->model.header_count; i++)
        for (size_t k = 0; k < sizeof(conditional) / sizeof(conditional[0]); k++)
            if (cors__equal_nocase_z(ev->model.headers[i].name, conditional[k]))
                return 1;
    return 0;
}

static int authorization_only_by_wildcard(const cors__eval *ev)
{
    const cors_policy *p = ev->preflight;
    for (size_t i = 0; i < ev->model.unsafe_count; i++)
        if (cors__equal_nocase_z(ev->model.unsafe[i], "authorization"))
            return !cors__list_contains(p, &p->allow_headers, ev->model.unsafe[i], 1) &&
                   cors__list_contains(p, &p->allow_headers, cors__str_z("*"), 0);
    return 0;
}

static void note_max_age(const cors__eval *ev, cors_report *report)
{
    int problem;
    report->has_cache_seconds = 1;
    report->preflight_cache_seconds = cors__browser_max_age(ev->preflight, ev->strict, &problem);
    /* Chromium 156 does not reuse a preflight made for an opaque origin (seen
     * in the browser suite: a second fetch from the same null-origin page
     * preflights again); Fetch keys its cache by the serialization "null". */
    if (!ev->strict && cors__equal_z(ev->request->origin, "null"))
        report->preflight_cache_seconds = 0;
    /* Fetch: HTTP-network-or-cache fetch: a conditional request header turns
     * cache mode "default" into "no-store", and Chromium then stores no
     * preflight result (seen in Chromium 156 for all five names). */
    if (has_conditional_header(ev))
        report->preflight_cache_seconds = 0;
    /* Chromium 156 stores no preflight result that let Authorization through
     * only by '*' (seen in the randomized browser test). */
    if (!ev->strict && authorization_only_by_wildcard(ev))
        report->preflight_cache_seconds = 0;
    if (problem != 0 && ev->max_age_findings)
        cors__browser_max_age_finding(ev->preflight, problem,
                                      problem == CORS_FINDING_MAX_AGE_CAPPED ? CORS_SEVERITY_INFO : CORS_SEVERITY_WARNING,
                                      report);
}

/* A fix line naming the list's valid elements, then `extra`; returns 1 when
 * it named any element. */
static int fix_list(cors_report *report, cors_finding *f, const char *header, const cors_policy *policy,
                     const cors_field *field, cors_str extra, int lower)
{
    cors__list_iter it;
    cors_str e;
    uint32_t start;
    int any = 0;
    if (f == NULL)
        return 0;
    start = report->text_length;
    cors__report_format(report, "%s: ", header);
    cors__list_begin(&it, policy, field);
    while (cors__list_next(&it, &e)) {
        if (!cors__is_token(e.ptr, e.len) || cors__equal_z(e, "*"))
            continue;
        cors__report_format(report, any ? ", %S" : "%S", e);
        any = 1;
    }
    if (extra.len > 0) {
        if (any)
            cors__report_put(report, ", ", 2);
        if (lower)
            cors__report_put_lower(report, extra.ptr, extra.len);
        else
            cors__report_put(report, extra.ptr, extra.len);
        any = 1;
    }
    f->fix.offset = start;
    f->fix.length = report->text_length - start;
    return any;
}

static int32_t check_list_syntax(cors_report *report, const cors_policy *p, const cors_field *field, const char *header,
                                 int32_t code, int32_t kind)
{
    cors_str bad;
    cors_finding *f;
    if (cors__list_is_valid(p, field, &bad))
        return CORS_KIND_NONE;
    f = error_finding(report, code, CORS_STAGE_PREFLIGHT, header, p, field);
    cors__finding_message(report, f, "%s must be a comma-separated list of tokens; '%S' is not one, and one bad "
                                      "element makes the browser reject the whole header.", header, bad);
    fix_list(report, f, header, p, field, (cors_str){NULL, 0}, 0);
    return kind;
}

static int32_t check_method(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    cors_str m = ev->model.method;
    int star = cors__list_contains(p, &p->allow_methods, cors__str_z("*"), 0);
    cors_finding *f;

    /* Fetch: CORS-preflight fetch, methods; Chromium compares byte for byte */
    if (ev->model.method_is_safelisted || cors__list_contains(p, &p->allow_methods, m, 0))
        return CORS_KIND_NONE;
    if (star && !ev->model.credentialed)
        return CORS_KIND_NONE;
    f = error_finding(report, CORS_FINDING_METHOD_NOT_ALLOWED, CORS_STAGE_PREFLIGHT, "Access-Control-Allow-Methods", p,
                      &p->allow_methods);
    if (star)
        cors__finding_message(report, f, "Method %S is not allowed by Access-Control-Allow-Methods: with credentials "
                                         "'*' is not a wildcard, only a method literally named '*'. List %S explicitly.",
                              m, m);
    else if (cors__list_contains(p, &p->allow_methods, m, 1))
        cors__finding_message(report, f, "Method %S is not allowed by Access-Control-Allow-Methods: methods compare "
                                         "case-sensitively, and the page sends '%S' exactly.", m, m);
    else
        cors__finding_message(report, f, "Method %S is not allowed by Access-Control-Allow-Methods in the preflight "
                                         "response.", m);
    fix_list(report, f, "Access-Control-Allow-Methods", p, &p->allow_methods, m, 0);
    return CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE;
}

/* The server's list, then every unsafe name it does not cover yet. */
static void fix_headers(const cors__eval *ev, cors_report *report, cors_finding *f)
{
    const cors_policy *p = ev->preflight;
    int any;
    if (f == NULL)
        return;
    any = fix_list(report, f, "Access-Control-Allow-Headers", p, &p->allow_headers, (cors_str){NULL, 0}, 0);
    for (size_t i = 0; i < ev->model.unsafe_count; i++) {
        cors_str name = ev->model.unsafe[i];
        if (cors__list_contains(p, &p->allow_headers, name, 1))
            continue;
        if (any)
            cors__report_put(report, ", ", 2);
        any = 1;
        cors__report_put_lower(report, name.ptr, name.len);
        f->fix.length = report->text_length - f->fix.offset;
    }
}

static int32_t check_headers(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    int star = cors__list_contains(p, &p->allow_headers, cors__str_z("*"), 0);
    int wildcard = star && !ev->model.credentialed;
    cors_finding *f;

    for (size_t i = 0; i < ev->model.unsafe_count; i++) {
        cors_str name = ev->model.unsafe[i];
        int is_authorization = cors__equal_nocase_z(name, "authorization");
        if (cors__list_contains(p, &p->allow_headers, name, 1))
            continue;
        if (wildcard && !(is_authorization && ev->strict)) {
            if (is_authorization) {
                /* Reference D1: CorsNonWildcardRequestHeadersSupport is off in Chromium */
                f = cors__finding_add(report, CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION, CORS_SEVERITY_WARNING,
                                      CORS_STAGE_PREFLIGHT, "Access-Control-Allow-Headers", p->allow_headers.value);
                cors__finding_message(report, f, "Chromium lets '*' in Access-Control-Allow-Headers cover "
                                                 "Authorization; the Fetch standard, Firefox and Safari do not, and "
                                                 "refuse the request. List Authorization explicitly.");
                if (f != NULL) /* keep the '*' for the other headers */
                    f->fix = cors__report_format(report, "Access-Control-Allow-Headers: %S, Authorization",
                                               cors__report_span_str(report, joined_value(report, p, &p->allow_headers)));
            }
            continue;
        }
        f = error_finding(report, CORS_FINDING_HEADER_NOT_ALLOWED, CORS_STAGE_PREFLIGHT, "Access-Control-Allow-Headers", p,
                          &p->allow_headers);
        if (star && ev->model.credentialed)
            cors__finding_message(report, f, "Request header %L is not allowed by Access-Control-Allow-Headers: with "
                                             "credentials '*' is not a wildcard. List the header explicitly.", name);
        else if (star)
            cors__finding_message(report, f, "Request header authorization is not covered by '*' in "
                                             "Access-Control-Allow-Headers (Fetch standard: Authorization must be "
                                             "listed explicitly).");
        else
            cors__finding_message(report, f, "Request header %L is not allowed by Access-Control-Allow-Headers in "
                                             "the preflight response.", name);
        fix_headers(ev, report, f);
        return CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE;
    }
    return CORS_KIND_NONE;
}

/* Chromium preflight_controller.cc order: redirect, CORS check, status,
 * methods syntax, headers syntax, method, headers. */
static int32_t judge_preflight(const cors__eval *ev, cors_report *report)
{
    const cors_policy *p = ev->preflight;
    int32_t kind;
    cors_finding *f;

    if (is_followed_redirect(p)) {
        cors__url url;
        if ((kind = check_redirect_net(p, CORS_STAGE_PREFLIGHT, &url, report)) != CORS_KIND_NONE)
            return kind;
        f = error_finding(report, CORS_FINDING_PREFLIGHT_REDIRECT, CORS_STAGE_PREFLIGHT, "Location", p, &p->location);
        cors__finding_message(report, f, "The preflight (OPTIONS) was answered with a redirect (%d); browsers never "
                                         "follow redirects for preflights. Answer OPTIONS at this very URL (check "
                                         "for http->https or trailing-slash redirects).", (int)p->status_code);
        cors__finding_fix(report, f, "HTTP/1.1 204 No Content");
        return CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT;
    }
    if ((kind = cors__browser_cors_check(ev, p, CORS_STAGE_PREFLIGHT, report)) != CORS_KIND_NONE)
        return kind;
    if (p->status_code < 200 || p->status_code > 299) {
        f = error_finding(report, CORS_FINDING_PREFLIGHT_STATUS, CORS_STAGE_PREFLIGHT, NULL, p, NULL);
        cors__finding_message(report, f, "The preflight (OPTIONS) response has status %d; it must be 2xx (200-299). "
                                         "Make the server answer OPTIONS itself, before authentication and routing.",
                              (int)p->status_code);
        cors__finding_fix(report, f, "HTTP/1.1 204 No Content");
        return CORS_KIND_PREFLIGHT_INVALID_STATUS;
    }
    if ((kind = check_list_syntax(report, p, &p->allow_methods, "Access-Control-Allow-Methods",
                                  CORS_FINDING_ALLOW_METHODS_INVALID,
                                  CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE)) != CORS_KIND_NONE)
        return kind;
    if ((kind = check_list_syntax(report, p, &p->allow_headers, "Access-Control-Allow-Headers",
                                  CORS_FINDING_ALLOW_HEADERS_INVALID,
                                  CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE)) != CORS_KIND_NONE)
        return kind;
    if ((kind = check_method(ev, report)) != CORS_KIND_NONE)
        return kind;
    return check_headers(ev, report);
}

static int is_readable_already(const cors_report *report, cors_str name)
{
    for (uint32_t i = 0; i < report->readable_count; i++) {
        cors_str have = cors__report_span_str(report, report->readable[i]);
        if (cors__equal_nocase(have.ptr, have.len, name.ptr, name.len))
            return 1;
    }
    return 0;
}

/* Byte order; names arrive unique (is_readable_already). */
static void sort_readable(cors_report *report)
{
    uint32_t n = report->readable_count;
    for (uint32_t i = 1; i < n; i++) {
        cors_span x = report->readable[i];
        cors_str xs = cors__report_span_str(report, x);
        uint32_t j = i;
        while (j > 0) {
            cors_str ys = cors__report_span_str(report, report->readable[j - 1]);
            if (cors__compare_bytes(ys.ptr, ys.len, xs.ptr, xs.len) <= 0)
                break;
            report->readable[j] = report->readable[j - 1];
            j--;
        }
        report->readable[j] = x;
    }
}

/* Fetch: CORS-filtered response, CORS-exposed header-name list (Blink
 * ExtractCorsExposedHeaderNamesList: one bad element empties the list). */
void cors__browser_readable_headers(const cors__eval *ev, cors_report *report)
{
    const cors_policy *r = ev->response;
    const cors_field *aceh = &r->expose_headers;
    cors_str bad;
    int valid = cors__list_is_valid(r, aceh, &bad);
    int star = valid && cors__list_contains(r, aceh, cors__str_z("*"), 0);
    int expose_all = star && !ev->model.credentialed;
    cors_finding *f;

    if (!valid) {
        f = cors__finding_add(report, CORS_FINDING_EXPOSE_HEADERS_INVALID, CORS_SEVERITY_WARNING, CORS_STAGE_RESPONSE,
                              "Access-Control-Expose-Headers", (cors_str){NULL, 0});
        if (f != NULL)
            f->value = joined_value(report, r, aceh);
        cors__finding_message(report, f, "Access-Control-Expose-Headers must be a comma-separated list of header "
                                         "names; '%S' is not one, so the browser exposes none of them.", bad);
        fix_list(report, f, "Access-Control-Expose-Headers", r, aceh, (cors_str){NULL, 0}, 0);
    } else if (star && ev->model.credentialed) {
        f = cors__finding_add(report, CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS, CORS_SEVERITY_WARNING,
                              CORS_STAGE_RESPONSE, "Access-Control-Expose-Headers", aceh->value);
        cors__finding_message(report, f, "With credentials '*' in Access-Control-Expose-Headers exposes only a "
                                         "header literally named '*'. List the header names explicitly.");
    }
    if (valid && (cors__list_contains(r, aceh, cors__str_z("set-cookie"), 1) ||
                  cors__list_contains(r, aceh, cors__str_z("set-cookie2"), 1))) {
        f = cors__finding_add(report, CORS_FINDING_EXPOSE_SET_COOKIE, CORS_SEVERITY_INFO, CORS_STAGE_RESPONSE,
                              "Access-Control-Expose-Headers", aceh->value);
        cors__finding_message(report, f, "Set-Cookie is never readable by script, whatever "
                                         "Access-Control-Expose-Headers says.");
    }
    for (size_t i = 0; i < r->header_count; i++) {
        cors_str name = r->headers[i].name;
        if (cors__is_forbidden_response_header(name))
            continue;
        if (!(cors__is_safelisted_response_header(name) || expose_all ||
              (valid && cors__list_contains(r, aceh, name, 1))))
            continue;
        if (is_readable_already(report, name))
            continue;
        if (report->readable_count == CORS_REPORT_READABLE || !cors__report_has_room(report, name.len)) {
            report->readable_dropped++; /* left out whole, never cut: the names stay right */
            report->text_truncated |= report->readable_count < CORS_REPORT_READABLE;
            continue;
        }
        report->readable[report->readable_count++] = cors__report_put_lower(report, name.ptr, name.len);
    }
    sort_readable(report);
}

/* "Vary: Origin", keeping what the server already varies on. */
void cors__browser_fix_vary(cors_report *report, cors_finding *f, const cors_policy *r)
{
    if (f == NULL)
        return;
    if (r->vary.lines == 0)
        f->fix = cors__report_format(report, "Vary: Origin");
    else
        f->fix = cors__report_format(report, "Vary: %S, Origin", cors__report_span_str(report, joined_value(report, r, &r->vary)));
}

static int vary_has_origin(const cors_policy *p)
{
    return cors__list_contains(p, &p->vary, cors__str_z("origin"), 1) ||
           cors__list_contains(p, &p->vary, cors__str_z("*"), 0);
}

int32_t cors__browser_response(const cors__eval *ev, cors_report *report)
{
    const cors_policy *r = ev->response;
    int32_t kind = cors__browser_cors_check(ev, r, CORS_STAGE_RESPONSE, report);
    if (kind != CORS_KIND_NONE)
        return kind;
    if (ev->vary_warning && !(r->allow_origin.lines == 1 && cors__equal_z(r->allow_origin.value, "*")) &&
        !vary_has_origin(r)) {
        cors_finding *f = cors__finding_add(report, CORS_FINDING_VARY_ORIGIN_MISSING, CORS_SEVERITY_WARNING,
                                            CORS_STAGE_RESPONSE, "Vary", r->vary.value);
        cors__finding_message(report, f, "The response names one origin in Access-Control-Allow-Origin but does not "
                                         "send 'Vary: Origin', so a shared cache may hand this answer to another "
                                         "origin, which the browser then refuses.");
        cors__browser_fix_vary(report, f, r);
    }
    return CORS_KIND_NONE;
}

int32_t cors__rules_browser(cors__eval *ev, cors_report *report)
{
    int32_t kind;
    if (ev->model.needs_preflight) {
        if (ev->preflight == NULL)
            return CORS_E_NEED_PREFLIGHT;
        kind = judge_preflight(ev, report);
        if (kind != CORS_KIND_NONE) {
            report->has_cache_seconds = 1;
            report->preflight_cache_seconds = 0;
            cors__report_fail(report, CORS_STAGE_PREFLIGHT, kind);
            return CORS_OK;
        }
        note_max_age(ev, report);
    }
    if (ev->response == NULL)
        return CORS_E_NEED_RESPONSE;
    if (is_followed_redirect(ev->response)) {
        kind = check_redirect(ev, report);
        if (kind == CORS_KIND_NONE)
            return CORS_E_FOLLOWS_REDIRECT;
        cors__report_fail(report, CORS_STAGE_RESPONSE, kind);
        return CORS_OK;
    }
    kind = cors__browser_response(ev, report);
    if (kind != CORS_KIND_NONE) {
        cors__report_fail(report, CORS_STAGE_RESPONSE, kind);
        return CORS_OK;
    }
    report->ok = 1;
    cors__browser_readable_headers(ev, report);
    return CORS_OK;
}
