/* findings.c - findings: their stable names (codes are append-only) and how
 * rules add them to a report. */
#include "internal.h"

#include <string.h>

static const char *const finding_names[] = {
    [0] = "unknown",
    [CORS_FINDING_ALLOW_ORIGIN_MISSING] = "allow-origin-missing",
    [CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS] = "allow-origin-wildcard-with-credentials",
    [CORS_FINDING_ALLOW_ORIGIN_MULTIPLE] = "allow-origin-multiple",
    [CORS_FINDING_ALLOW_ORIGIN_INVALID] = "allow-origin-invalid",
    [CORS_FINDING_ALLOW_ORIGIN_MISMATCH] = "allow-origin-mismatch",
    [CORS_FINDING_ALLOW_CREDENTIALS_INVALID] = "allow-credentials-invalid",
    [CORS_FINDING_PREFLIGHT_STATUS] = "preflight-status",
    [CORS_FINDING_PREFLIGHT_REDIRECT] = "preflight-redirect",
    [CORS_FINDING_ALLOW_METHODS_INVALID] = "allow-methods-invalid",
    [CORS_FINDING_ALLOW_HEADERS_INVALID] = "allow-headers-invalid",
    [CORS_FINDING_METHOD_NOT_ALLOWED] = "method-not-allowed",
    [CORS_FINDING_HEADER_NOT_ALLOWED] = "header-not-allowed",
    [CORS_FINDING_VARY_ORIGIN_MISSING] = "vary-origin-missing",
    [CORS_FINDING_REQUEST_METHOD_FORBIDDEN] = "request-method-forbidden",
    [CORS_FINDING_REQUEST_METHOD_INVALID] = "request-method-invalid",
    [CORS_FINDING_REQUEST_HEADER_NAME_INVALID] = "request-header-name-invalid",
    [CORS_FINDING_REQUEST_HEADER_VALUE_INVALID] = "request-header-value-invalid",
    [CORS_FINDING_REQUEST_HEADER_DROPPED] = "request-header-dropped",
    [CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION] = "wildcard-covers-authorization",
    [CORS_FINDING_CHROMIUM_ONLY_SAFELISTED] = "chromium-only-safelisted-header",
    [CORS_FINDING_REQUEST_HEADERS_COMBINED] = "request-headers-combined",
    [CORS_FINDING_MAX_AGE_INVALID] = "max-age-invalid",
    [CORS_FINDING_MAX_AGE_NEGATIVE] = "max-age-negative",
    [CORS_FINDING_MAX_AGE_CAPPED] = "max-age-capped",
    [CORS_FINDING_MAX_AGE_MISSING] = "max-age-missing",
    [CORS_FINDING_EXPOSE_HEADERS_INVALID] = "expose-headers-invalid",
    [CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS] = "expose-headers-wildcard-with-credentials",
    [CORS_FINDING_EXPOSE_HEADERS_MISSING] = "expose-headers-missing",
    [CORS_FINDING_EXPOSE_SET_COOKIE] = "expose-headers-set-cookie",
    [CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS] = "wildcard-literal-with-credentials",
    [CORS_FINDING_GALXE_STATUS_200] = "galxe-preflight-status-200",
    [CORS_FINDING_GALXE_ALLOW_METHODS] = "galxe-allow-methods",
    [CORS_FINDING_GALXE_CONTENT_TYPE] = "galxe-content-type-not-allowed",
    [CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN] = "galxe-response-allow-origin",
    [CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED] = "reflect-origin-not-echoed",
    [CORS_FINDING_REFLECT_CREDENTIALS] = "reflect-credentials-missing",
    [CORS_FINDING_REFLECT_WILDCARD_LIST] = "reflect-wildcard-list",
    [CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS] = "credentials-not-for-api-keys",
    [CORS_FINDING_PREFLIGHT_NOT_NEEDED] = "preflight-not-needed",
    [CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS] = "redirect-contains-credentials",
    [CORS_FINDING_REDIRECT_UNSAFE] = "redirect-unsafe",
    [CORS_FINDING_REDIRECT_FOLLOWED] = "redirect-followed",
    [CORS_FINDING_REDIRECT_INVALID] = "redirect-invalid",
    [CORS_FINDING_REDIRECT_MULTIPLE_LOCATION] = "redirect-multiple-location",
    [CORS_FINDING_REDIRECT_SCHEME] = "redirect-scheme-not-http",
};

#define FINDING_COUNT ((int32_t)(sizeof(finding_names) / sizeof(finding_names[0])) - 1)

const char *cors_finding_name(int32_t code)
{
    if (code < 1 || code > FINDING_COUNT)
        return "unknown";
    return finding_names[code];
}

int32_t cors_finding_count(void)
{
    return FINDING_COUNT;
}

cors_finding *cors__finding_add(cors_report *report, int32_t code, int32_t severity, int32_t stage,
                                const char *header, cors_str value)
{
    cors_finding *f;
    if (report->finding_count == CORS_REPORT_FINDINGS) {
        report->findings_dropped++;
        return NULL;
    }
    f = &report->findings[report->finding_count++];
    memset(f, 0, sizeof(*f));
    f->code = code;
    f->severity = severity;
    f->stage = stage;
    if (header != NULL)
        f->header = cors__report_put(report, header, strlen(header));
    if (value.len > 0)
        f->value = cors__report_put(report, value.ptr, value.len);
    return f;
}

void cors__finding_message(cors_report *report, cors_finding *finding, const char *fmt, ...)
{
    va_list ap;
    if (finding == NULL) /* dropped: the report is full */
        return;
    va_start(ap, fmt);
    finding->message = cors__report_vformat(report, fmt, ap);
    va_end(ap);
}

void cors__finding_fix(cors_report *report, cors_finding *finding, const char *fmt, ...)
{
    va_list ap;
    if (finding == NULL) /* dropped: the report is full */
        return;
    va_start(ap, fmt);
    finding->fix = cors__report_vformat(report, fmt, ap);
    va_end(ap);
}
