/*
 * test_status.c - lib/status.c and lib/findings.c: names and texts of status
 * codes, error kinds, stages, severities, rule sets and finding codes, which
 * bindings and tools print and match on; the version; the sizeof functions.
 */
#include "test_util.h"

#define NAMED(x) {x, #x}

typedef struct named {
    int32_t value;
    const char *name;
} named;

static const named statuses[] = {
    NAMED(CORS_OK),
    NAMED(CORS_E_ARGUMENT),
    NAMED(CORS_E_EMPTY),
    NAMED(CORS_E_NO_STATUS_LINE),
    NAMED(CORS_E_BAD_STATUS_LINE),
    NAMED(CORS_E_NO_COLON),
    NAMED(CORS_E_BAD_HEADER_NAME),
    NAMED(CORS_E_NUL_IN_HEADER),
    NAMED(CORS_E_BARE_CR),
    NAMED(CORS_E_OBS_FOLD),
    NAMED(CORS_E_TOO_MANY_HEADERS),
    NAMED(CORS_E_LINE_TOO_LONG),
    NAMED(CORS_E_TOO_MANY_HEADS),
    NAMED(CORS_E_BAD_HEADER_VALUE),
    NAMED(CORS_E_BAD_ORIGIN),
    NAMED(CORS_E_NEED_PREFLIGHT),
    NAMED(CORS_E_NEED_RESPONSE),
    NAMED(CORS_E_TOO_MANY_REQUEST_HEADERS),
    NAMED(CORS_E_BAD_RULES),
    NAMED(CORS_E_FOLLOWS_REDIRECT),
    NAMED(CORS_E_REPORT_FULL),
};

static void test_status_names_and_texts(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(statuses); i++) {
        const char *text = cors_strerror(statuses[i].value);
        /* values are explicit and dense from 0 */
        assert_int_equal(statuses[i].value, (int32_t)i);
        assert_string_equal(cors_status_name(statuses[i].value), statuses[i].name);
        assert_non_null(text);
        assert_true(strlen(text) > 5);
        assert_string_not_equal(text, "unknown status code");
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(text, cors_strerror(statuses[k].value));
    }
}

static void test_status_unknown(void **state)
{
    static const int32_t unknown[] = {-1, INT32_MIN, (int32_t)COUNT(statuses), 1000, INT32_MAX};
    (void)state;
    for (size_t i = 0; i < COUNT(unknown); i++) {
        assert_string_equal(cors_status_name(unknown[i]), "CORS_E_UNKNOWN");
        assert_non_null(cors_strerror(unknown[i]));
        assert_true(strlen(cors_strerror(unknown[i])) > 0);
    }
}

static void test_kind_names(void **state)
{
    /* Chromium network::mojom::CorsError names without the leading 'k' */
    static const named kinds[] = {
        {CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, "WildcardOriginNotAllowed"},
        {CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, "MissingAllowOriginHeader"},
        {CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, "MultipleAllowOriginValues"},
        {CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, "InvalidAllowOriginValue"},
        {CORS_KIND_ALLOW_ORIGIN_MISMATCH, "AllowOriginMismatch"},
        {CORS_KIND_INVALID_ALLOW_CREDENTIALS, "InvalidAllowCredentials"},
        {CORS_KIND_PREFLIGHT_INVALID_STATUS, "PreflightInvalidStatus"},
        {CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT, "PreflightDisallowedRedirect"},
        {CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, "PreflightWildcardOriginNotAllowed"},
        {CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, "PreflightMissingAllowOriginHeader"},
        {CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, "PreflightMultipleAllowOriginValues"},
        {CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, "PreflightInvalidAllowOriginValue"},
        {CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH, "PreflightAllowOriginMismatch"},
        {CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS, "PreflightInvalidAllowCredentials"},
        {CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, "InvalidAllowMethodsPreflightResponse"},
        {CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, "InvalidAllowHeadersPreflightResponse"},
        {CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, "MethodDisallowedByPreflightResponse"},
        {CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, "HeaderDisallowedByPreflightResponse"},
        /* libcors's own kinds, in the same style */
        {CORS_KIND_MISSING_VARY_ORIGIN, "MissingVaryOrigin"},
        {CORS_KIND_FORBIDDEN_METHOD, "ForbiddenMethod"},
        {CORS_KIND_INVALID_METHOD, "InvalidMethod"},
        {CORS_KIND_INVALID_HEADER_NAME, "InvalidHeaderName"},
        {CORS_KIND_INVALID_HEADER_VALUE, "InvalidHeaderValue"},
        {CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS, "RedirectContainsCredentials"},
        {CORS_KIND_UNSAFE_REDIRECT, "UnsafeRedirect"},
        {CORS_KIND_INVALID_REDIRECT, "InvalidRedirect"},
        {CORS_KIND_MULTIPLE_LOCATION_HEADERS, "MultipleLocationHeaders"},
        {CORS_KIND_CORS_DISABLED_SCHEME, "CorsDisabledScheme"},
    };
    (void)state;
    assert_string_equal(cors_kind_name(CORS_KIND_NONE), "none");
    for (size_t i = 0; i < COUNT(kinds); i++) {
        assert_int_equal(kinds[i].value, (int32_t)i + 1);
        assert_string_equal(cors_kind_name(kinds[i].value), kinds[i].name);
    }
    assert_string_equal(cors_kind_name((int32_t)COUNT(kinds) + 1), "unknown");
    assert_string_equal(cors_kind_name(-1), "unknown");
    assert_string_equal(cors_kind_name(INT32_MAX), "unknown");
}

static void test_finding_names(void **state)
{
    int32_t count = cors_finding_count();
    (void)state;
    /* every code cors.h defines has a name: the last one defined is the count */
    assert_int_equal(count, CORS_FINDING_REDIRECT_SCHEME);
    for (int32_t code = 1; code <= count; code++) {
        const char *name = cors_finding_name(code);
        assert_non_null(name);
        assert_true(strlen(name) > 0);
        assert_string_not_equal(name, "unknown");
        /* kebab-case, stable for tools to match on */
        for (const char *p = name; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        for (int32_t other = 1; other < code; other++)
            assert_string_not_equal(name, cors_finding_name(other));
    }
    assert_string_equal(cors_finding_name(CORS_FINDING_ALLOW_ORIGIN_MISMATCH), "allow-origin-mismatch");
    assert_string_equal(cors_finding_name(0), "unknown");
    assert_string_equal(cors_finding_name(count + 1), "unknown");
    assert_string_equal(cors_finding_name(-5), "unknown");
    assert_string_equal(cors_finding_name(INT32_MAX), "unknown");
}

static void test_stage_and_severity_names(void **state)
{
    (void)state;
    assert_string_equal(cors_stage_name(CORS_STAGE_NONE), "none");
    assert_string_equal(cors_stage_name(CORS_STAGE_REQUEST), "request");
    assert_string_equal(cors_stage_name(CORS_STAGE_PREFLIGHT), "preflight");
    assert_string_equal(cors_stage_name(CORS_STAGE_RESPONSE), "response");
    assert_string_equal(cors_stage_name(4), "none");
    assert_string_equal(cors_stage_name(-1), "none");

    assert_string_equal(cors_severity_name(CORS_SEVERITY_ERROR), "error");
    assert_string_equal(cors_severity_name(CORS_SEVERITY_WARNING), "warning");
    assert_string_equal(cors_severity_name(CORS_SEVERITY_INFO), "info");
    assert_non_null(cors_severity_name(3));
    assert_non_null(cors_severity_name(-1));
}

static void test_rules_names(void **state)
{
    static const named rules[] = {
        {CORS_RULES_BROWSER, "browser"},
        {CORS_RULES_GALXE, "galxe"},
        {CORS_RULES_REFLECT, "reflect"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rules); i++) {
        assert_string_equal(cors_rules_name(rules[i].value), rules[i].name);
        assert_int_equal(cors_rules_from_name(rules[i].name, strlen(rules[i].name)), rules[i].value);
    }
    assert_string_equal(cors_rules_name(3), "unknown");
    assert_string_equal(cors_rules_name(-1), "unknown");
    /* pointer + length: the name need not be NUL-terminated */
    assert_int_equal(cors_rules_from_name("reflectXYZ", 7), CORS_RULES_REFLECT);
    assert_int_equal(cors_rules_from_name("browser", 6), -1);
    assert_int_equal(cors_rules_from_name("browsers", 8), -1);
    assert_int_equal(cors_rules_from_name("", 0), -1);
    assert_int_equal(cors_rules_from_name(NULL, 0), -1);
    assert_int_equal(cors_rules_from_name("unknown", 7), -1);
    assert_int_equal(cors_rules_from_name("chrome", 6), -1);
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(cors_version(), CORS_VERSION_STRING);
    assert_int_equal(cors_version_number(),
                     CORS_VERSION_MAJOR * 10000 + CORS_VERSION_MINOR * 100 + CORS_VERSION_PATCH);
}

static void test_sizeof_functions(void **state)
{
    (void)state;
    assert_int_equal(cors_sizeof_error(), sizeof(cors_error));
    assert_int_equal(cors_sizeof_str(), sizeof(cors_str));
    assert_int_equal(cors_sizeof_header(), sizeof(cors_header));
    assert_int_equal(cors_sizeof_response(), sizeof(cors_response));
    assert_int_equal(cors_sizeof_origin(), sizeof(cors_origin));
    assert_int_equal(cors_sizeof_field(), sizeof(cors_field));
    assert_int_equal(cors_sizeof_policy(), sizeof(cors_policy));
    assert_int_equal(cors_sizeof_request(), sizeof(cors_request));
    assert_int_equal(cors_sizeof_options(), sizeof(cors_options));
    assert_int_equal(cors_sizeof_finding(), sizeof(cors_finding));
    assert_int_equal(cors_sizeof_report(), sizeof(cors_report));
}

static void test_limit_functions(void **state)
{
    (void)state;
    assert_int_equal(cors_max_line(), CORS_MAX_LINE);
    assert_int_equal(cors_max_heads(), CORS_MAX_HEADS);
    assert_int_equal(cors_max_request_headers(), CORS_MAX_REQUEST_HEADERS);
    assert_int_equal(cors_report_findings_capacity(), CORS_REPORT_FINDINGS);
    assert_int_equal(cors_report_readable_capacity(), CORS_REPORT_READABLE);
    assert_int_equal(cors_report_text_capacity(), CORS_REPORT_TEXT);
    /* and they describe the report's arrays */
    assert_int_equal(cors_report_findings_capacity(), COUNT(((cors_report *)0)->findings));
    assert_int_equal(cors_report_readable_capacity(), COUNT(((cors_report *)0)->readable));
    assert_int_equal(cors_report_text_capacity(), sizeof(((cors_report *)0)->text));
}

static void test_init_functions(void **state)
{
    cors_response resp;
    cors_request req;
    cors_options opt;
    cors_report *rep = test_malloc(sizeof(*rep));
    (void)state;
    memset(&resp, 0xab, sizeof(resp));
    memset(&req, 0xab, sizeof(req));
    memset(&opt, 0xab, sizeof(opt));
    memset(rep, 0xab, sizeof(*rep));
    cors_response_init(&resp);
    cors_request_init(&req);
    cors_options_init(&opt);
    cors_report_init(rep);
    assert_int_equal(resp.struct_size, sizeof(resp));
    assert_int_equal(resp.header_count, 0);
    assert_null(resp.headers);
    assert_int_equal(req.struct_size, sizeof(req));
    assert_int_equal(req.header_count, 0);
    assert_int_equal(req.credentials, CORS_CREDENTIALS_SAME_ORIGIN);
    assert_int_equal(opt.struct_size, sizeof(opt));
    assert_int_equal(opt.rules, CORS_RULES_BROWSER);
    assert_int_equal(opt.flags, 0);
    assert_int_equal(rep->struct_size, sizeof(*rep));
    assert_int_equal(rep->finding_count, 0);
    assert_int_equal(rep->text_length, 0);
    assert_int_equal(rep->ok, 0);
    /* NULL is accepted */
    cors_response_init(NULL);
    cors_request_init(NULL);
    cors_options_init(NULL);
    cors_report_init(NULL);
    test_free(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_and_texts),
        cmocka_unit_test(test_status_unknown),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_finding_names),
        cmocka_unit_test(test_stage_and_severity_names),
        cmocka_unit_test(test_rules_names),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_sizeof_functions),
        cmocka_unit_test(test_limit_functions),
        cmocka_unit_test(test_init_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
