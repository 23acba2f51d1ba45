/* SPDX-License-Identifier: MIT */
/* names.c - names and descriptions of statuses, kinds, stages, severities and
 * rule sets; the version; the sizes and limits bindings check. Every table
 * uses designated initializers, so a name stands beside its constant. */
#include "internal.h"

#include <string.h>

typedef struct status_entry {
    const char *name;
    const char *text;
} status_entry;

#define RETIRED(n) {"CORS_E_RETIRED_" #n, "a status code retired in libcors 0.2 (never returned)"}

static const status_entry statuses[] = {
    [CORS_OK] = {"CORS_OK", "success"},
    [CORS_E_ARGUMENT] = {"CORS_E_ARGUMENT", "invalid argument: NULL pointer, struct_size too small, unknown flag or value"},
    [CORS_E_EMPTY] = {"CORS_E_EMPTY", "the input is empty"},
    [CORS_E_NO_STATUS_LINE] = {"CORS_E_NO_STATUS_LINE", "the input does not start with an HTTP status line such as 'HTTP/1.1 204 No Content'"},
    [CORS_E_BAD_STATUS_LINE] = {"CORS_E_BAD_STATUS_LINE", "the status line is malformed: expected 'HTTP/x[.y] NNN [reason]'"},
    [CORS_E_NO_COLON] = {"CORS_E_NO_COLON", "a header line has no ':' between name and value"},
    [CORS_E_BAD_HEADER_NAME] = {"CORS_E_BAD_HEADER_NAME", "a header name is empty or holds a byte that is not a token character"},
    [CORS_E_NUL_IN_HEADER] = {"CORS_E_NUL_IN_HEADER", "a header line holds a NUL byte"},
    [CORS_E_BARE_CR] = {"CORS_E_BARE_CR", "a CR byte is not followed by LF"},
    [CORS_E_OBS_FOLD] = {"CORS_E_OBS_FOLD", "a line starts with whitespace (obsolete line folding is not accepted)"},
    [CORS_E_TOO_MANY_HEADERS] = {"CORS_E_TOO_MANY_HEADERS", "more header lines than the header array holds"},
    [CORS_E_LINE_TOO_LONG] = {"CORS_E_LINE_TOO_LONG", "a line is longer than CORS_MAX_LINE bytes"},
    [12] = RETIRED(12),
    [CORS_E_BAD_HEADER_VALUE] = {"CORS_E_BAD_HEADER_VALUE", "a header value given as an array holds a CR or LF"},
    [CORS_E_BAD_ORIGIN] = {"CORS_E_BAD_ORIGIN", "not a serialized origin: expected 'null' or scheme://host[:port] in lowercase without a default port, path or trailing slash"},
    [15] = RETIRED(15),
    [16] = RETIRED(16),
    [17] = RETIRED(17),
    [CORS_E_BAD_RULES] = {"CORS_E_BAD_RULES", "unknown rule set: expected browser, galxe or reflect"},
    [19] = RETIRED(19),
    [CORS_E_BAD_URL] = {"CORS_E_BAD_URL", "the request's URL is not an absolute http or https URL"},
    [CORS_E_CONFIG] = {"CORS_E_CONFIG", "the policy configuration has an error: cors_policy_validate lists its issues"},
    [CORS_E_BUFFER_TOO_SMALL] = {"CORS_E_BUFFER_TOO_SMALL", "the memory or array given is smaller than needed; the call says how much"},
    [CORS_E_POLICY_SYNTAX] = {"CORS_E_POLICY_SYNTAX", "a line of the policy text is neither 'key: value', a '#' comment nor blank, or holds a control byte"},
    [CORS_E_POLICY_KEY] = {"CORS_E_POLICY_KEY", "unknown key in the policy text (private-network is not one: Chromium 156 sends no Private Network Access preflight)"},
    [CORS_E_POLICY_VALUE] = {"CORS_E_POLICY_VALUE", "a value the key does not take: yes or no, or a whole number"},
    [CORS_E_POLICY_REPEATED] = {"CORS_E_POLICY_REPEATED", "a key that takes one value is given twice in the policy text"},
};

const char *cors_status_name(int32_t status)
{
    if (status < 0 || (size_t)status >= CORS__COUNT(statuses))
        return "CORS_E_UNKNOWN";
    return statuses[status].name;
}

const char *cors_strerror(int32_t status)
{
    if (status < 0 || (size_t)status >= CORS__COUNT(statuses))
        return "unknown status code";
    return statuses[status].text;
}

const char *cors_version(void)
{
    return CORS_VERSION_STRING;
}

int32_t cors_version_number(void)
{
    return CORS_VERSION_NUMBER;
}

static const char *const kind_names[] = {
    [CORS_KIND_NONE] = "none",
    [CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED] = "WildcardOriginNotAllowed",
    [CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER] = "MissingAllowOriginHeader",
    [CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES] = "MultipleAllowOriginValues",
    [CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE] = "InvalidAllowOriginValue",
    [CORS_KIND_ALLOW_ORIGIN_MISMATCH] = "AllowOriginMismatch",
    [CORS_KIND_INVALID_ALLOW_CREDENTIALS] = "InvalidAllowCredentials",
    [CORS_KIND_PREFLIGHT_INVALID_STATUS] = "PreflightInvalidStatus",
    [CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT] = "PreflightDisallowedRedirect",
    [CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED] = "PreflightWildcardOriginNotAllowed",
    [CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER] = "PreflightMissingAllowOriginHeader",
    [CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES] = "PreflightMultipleAllowOriginValues",
    [CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE] = "PreflightInvalidAllowOriginValue",
    [CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH] = "PreflightAllowOriginMismatch",
    [CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS] = "PreflightInvalidAllowCredentials",
    [CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE] = "InvalidAllowMethodsPreflightResponse",
    [CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE] = "InvalidAllowHeadersPreflightResponse",
    [CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE] = "MethodDisallowedByPreflightResponse",
    [CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE] = "HeaderDisallowedByPreflightResponse",
    [CORS_KIND_MISSING_VARY_ORIGIN] = "MissingVaryOrigin",
    [CORS_KIND_FORBIDDEN_METHOD] = "ForbiddenMethod",
    [CORS_KIND_INVALID_METHOD] = "InvalidMethod",
    [CORS_KIND_INVALID_HEADER_NAME] = "InvalidHeaderName",
    [CORS_KIND_INVALID_HEADER_VALUE] = "InvalidHeaderValue",
    [CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS] = "RedirectContainsCredentials",
    [CORS_KIND_UNSAFE_REDIRECT] = "UnsafeRedirect",
    [CORS_KIND_INVALID_REDIRECT] = "InvalidRedirect",
    [CORS_KIND_MULTIPLE_LOCATION_HEADERS] = "MultipleLocationHeaders",
    [CORS_KIND_CORS_DISABLED_SCHEME] = "CorsDisabledScheme",
    [CORS_KIND_INVALID_HTTP_RESPONSE] = "InvalidHttpResponse",
    [CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS] = "MultipleContentLengthHeaders",
    [CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS] = "MultipleContentDispositionHeaders",
    [CORS_KIND_RESPONSE_HEADERS_TOO_BIG] = "ResponseHeadersTooBig",
    [CORS_KIND_RESPONSE_HEADERS_TRUNCATED] = "ResponseHeadersTruncated",
    [CORS_KIND_EMPTY_RESPONSE] = "EmptyResponse",
    [CORS_KIND_METHOD_NOT_SUPPORTED] = "MethodNotSupported",
    [CORS_KIND_CONTENT_DECODING_FAILED] = "ContentDecodingFailed",
    [CORS_KIND_TOO_MANY_REDIRECTS] = "TooManyRedirects",
    [CORS_KIND_MIXED_CONTENT] = "MixedContent",
    [CORS_KIND_URL_CREDENTIALS] = "UrlCredentials",
};

const char *cors_kind_name(int32_t kind)
{
    if (kind < 0 || (size_t)kind >= CORS__COUNT(kind_names))
        return "unknown";
    return kind_names[kind];
}

int32_t cors_kind_count(void)
{
    return (int32_t)CORS__COUNT(kind_names) - 1;
}

const char *cors_stage_name(int32_t stage)
{
    switch (stage) {
    case CORS_STAGE_REQUEST: return "request";
    case CORS_STAGE_PREFLIGHT: return "preflight";
    case CORS_STAGE_RESPONSE: return "response";
    default: return "none";
    }
}

const char *cors_severity_name(int32_t severity)
{
    switch (severity) {
    case CORS_SEVERITY_ERROR: return "error";
    case CORS_SEVERITY_WARNING: return "warning";
    case CORS_SEVERITY_INFO: return "info";
    default: return "unknown";
    }
}

static const char *const rules_names[] = {
    [CORS_RULES_BROWSER] = "browser",
    [CORS_RULES_GALXE] = "galxe",
    [CORS_RULES_REFLECT] = "reflect",
};

const char *cors_rules_name(int32_t rules)
{
    if (rules < 0 || (size_t)rules >= CORS__COUNT(rules_names))
        return "unknown";
    return rules_names[rules];
}

int32_t cors_rules_from_name(const char *name, size_t len)
{
    cors_str s = {name, len};
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < CORS__COUNT(rules_names); i++)
        if (cors__equal(s, (cors_str){rules_names[i], strlen(rules_names[i])}))
            return (int32_t)i;
    return -1;
}

size_t cors_sizeof_error(void) { return sizeof(cors_error); }
size_t cors_sizeof_str(void) { return sizeof(cors_str); }
size_t cors_sizeof_header(void) { return sizeof(cors_header); }
size_t cors_sizeof_response(void) { return sizeof(cors_response); }
size_t cors_sizeof_origin(void) { return sizeof(cors_origin); }
size_t cors_sizeof_request(void) { return sizeof(cors_request); }
size_t cors_sizeof_options(void) { return sizeof(cors_options); }
size_t cors_sizeof_span(void) { return sizeof(cors_span); }
size_t cors_sizeof_finding(void) { return sizeof(cors_finding); }
size_t cors_sizeof_report(void) { return sizeof(cors_report); }
size_t cors_sizeof_hop(void) { return sizeof(cors_hop); }
size_t cors_sizeof_hop_report(void) { return sizeof(cors_hop_report); }

size_t cors_max_line(void) { return CORS_MAX_LINE; }
size_t cors_origin_max(void) { return CORS_ORIGIN_MAX; }
