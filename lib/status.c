/* status.c - names and descriptions of status codes, enums and versions. */
#include "internal.h"

typedef struct status_entry {
    const char *name;
    const char *text;
} status_entry;

static const status_entry statuses[] = {
    [CORS_OK] = {"CORS_OK", "success"},
    [CORS_E_ARGUMENT] = {"CORS_E_ARGUMENT", "invalid argument: NULL pointer, struct_size too small or unknown value"},
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
    [CORS_E_TOO_MANY_HEADS] = {"CORS_E_TOO_MANY_HEADS", "more than CORS_MAX_HEADS heads (interim ones plus the final one) in one input"},
    [CORS_E_BAD_HEADER_VALUE] = {"CORS_E_BAD_HEADER_VALUE", "a header value given as an array holds a CR or LF"},
    [CORS_E_BAD_ORIGIN] = {"CORS_E_BAD_ORIGIN", "not a serialized origin: expected 'null' or scheme://host[:port] in lowercase without a default port, path or trailing slash"},
    [CORS_E_NEED_PREFLIGHT] = {"CORS_E_NEED_PREFLIGHT", "the browser sends a preflight for this request, but no preflight response was given"},
    [CORS_E_NEED_RESPONSE] = {"CORS_E_NEED_RESPONSE", "the browser gets to the actual response, but none was given"},
    [CORS_E_TOO_MANY_REQUEST_HEADERS] = {"CORS_E_TOO_MANY_REQUEST_HEADERS", "more request headers than CORS_MAX_REQUEST_HEADERS"},
    [CORS_E_BAD_RULES] = {"CORS_E_BAD_RULES", "unknown rule set: expected browser, galxe or reflect"},
    [CORS_E_FOLLOWS_REDIRECT] = {"CORS_E_FOLLOWS_REDIRECT", "the actual response is a redirect the browser follows: judge the response of its Location"},
    [CORS_E_REPORT_FULL] = {"CORS_E_REPORT_FULL", "the report's text buffer cannot hold the method or an Access-Control-Request-* value"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *cors_status_name(int32_t status)
{
    if (status < 0 || (size_t)status >= COUNT(statuses))
        return "CORS_E_UNKNOWN";
    return statuses[status].name;
}

const char *cors_strerror(int32_t status)
{
    if (status < 0 || (size_t)status >= COUNT(statuses))
        return "unknown status code";
    return statuses[status].text;
}

const char *cors_version(void)
{
    return CORS_VERSION_STRING;
}

int32_t cors_version_number(void)
{
    return CORS_VERSION_MAJOR * 10000 + CORS_VERSION_MINOR * 100 + CORS_VERSION_PATCH;
}

static const char *const kind_names[] = {
    "none",
    "WildcardOriginNotAllowed",
    "MissingAllowOriginHeader",
    "MultipleAllowOriginValues",
    "InvalidAllowOriginValue",
    "AllowOriginMismatch",
    "InvalidAllowCredentials",
    "PreflightInvalidStatus",
    "PreflightDisallowedRedirect",
    "PreflightWildcardOriginNotAllowed",
    "PreflightMissingAllowOriginHeader",
    "PreflightMultipleAllowOriginValues",
    "PreflightInvalidAllowOriginValue",
    "PreflightAllowOriginMismatch",
    "PreflightInvalidAllowCredentials",
    "InvalidAllowMethodsPreflightResponse",
    "InvalidAllowHeadersPreflightResponse",
    "MethodDisallowedByPreflightResponse",
    "HeaderDisallowedByPreflightResponse",
    "MissingVaryOrigin",
    "ForbiddenMethod",
    "InvalidMethod",
    "InvalidHeaderName",
    "InvalidHeaderValue",
    "RedirectContainsCredentials",
    "UnsafeRedirect",
    "InvalidRedirect",
    "MultipleLocationHeaders",
    "CorsDisabledScheme",
};

const char *cors_kind_name(int32_t kind)
{
    if (kind < 0 || (size_t)kind >= COUNT(kind_names))
        return "unknown";
    return kind_names[kind];
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

static const char *const rules_names[] = {"browser", "galxe", "reflect"};

const char *cors_rules_name(int32_t rules)
{
    if (rules < 0 || (size_t)rules >= COUNT(rules_names))
        return "unknown";
    return rules_names[rules];
}

int32_t cors_rules_from_name(const char *name, size_t len)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(rules_names); i++) {
        cors_str s = {name, len};
        if (cors__equal_z(s, rules_names[i]))
            return (int32_t)i;
    }
    return -1;
}

size_t cors_sizeof_error(void) { return sizeof(cors_error); }
size_t cors_sizeof_str(void) { return sizeof(cors_str); }
size_t cors_sizeof_header(void) { return sizeof(cors_header); }
size_t cors_sizeof_response(void) { return sizeof(cors_response); }
size_t cors_sizeof_origin(void) { return sizeof(cors_origin); }
size_t cors_sizeof_field(void) { return sizeof(cors_field); }
size_t cors_sizeof_policy(void) { return sizeof(cors_policy); }
size_t cors_sizeof_request(void) { return sizeof(cors_request); }
size_t cors_sizeof_options(void) { return sizeof(cors_options); }
size_t cors_sizeof_finding(void) { return sizeof(cors_finding); }
size_t cors_sizeof_report(void) { return sizeof(cors_report); }

size_t cors_max_line(void) { return CORS_MAX_LINE; }
size_t cors_max_heads(void) { return CORS_MAX_HEADS; }
size_t cors_max_request_headers(void) { return CORS_MAX_REQUEST_HEADERS; }
size_t cors_report_findings_capacity(void) { return CORS_REPORT_FINDINGS; }
size_t cors_report_readable_capacity(void) { return CORS_REPORT_READABLE; }
size_t cors_report_text_capacity(void) { return CORS_REPORT_TEXT; }
