/* SPDX-License-Identifier: MIT */
/*
 * test_names.c - lib/names.c: the names and texts of statuses, error kinds,
 * stages, severities and rule sets (bindings and tools print and match on
 * them), the version macros against the functions, the sizeof and limit
 * functions bindings check their mirrors with. Every name function returns a
 * string for every int32_t, never NULL.
 */
#include <stdio.h>

#include "test_util.h"

typedef struct named {
    int32_t value;
    const char *name;
} named;

#define NAMED(x) {.value = x, .name = #x}

/* Every status libcors.h defines; the gaps are the retired values. */
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
    NAMED(CORS_E_BAD_HEADER_VALUE),
    NAMED(CORS_E_BAD_ORIGIN),
    NAMED(CORS_E_BAD_RULES),
    NAMED(CORS_E_BAD_URL),
    NAMED(CORS_E_CONFIG),
    NAMED(CORS_E_BUFFER_TOO_SMALL),
    NAMED(CORS_E_POLICY_SYNTAX),
    NAMED(CORS_E_POLICY_KEY),
    NAMED(CORS_E_POLICY_VALUE),
    NAMED(CORS_E_POLICY_REPEATED),
};

/* 12 too many heads, 15 need preflight, 16 need response, 17 too many
 * request headers, 19 follows redirect: retired in 0.2, never reused. */
static const int32_t retired[] = {12, 15, 16, 17, 19};

/* The values either side of the defined ones and the extremes. */
static const int32_t unknown_values[] = {-1, -2, 27, 28, 100, 1000, INT32_MIN, INT32_MAX};

static void test_status_names_and_texts(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(statuses); i++) {
        const char *text = cors_strerror(statuses[i].value);
        assert_string_equal(cors_status_name(statuses[i].value), statuses[i].name);
        assert_non_null(text);
        assert_true(strlen(text) > 5);
        assert_string_not_equal(text, "unknown status code");
        /* one sentence per status, none shared */
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(text, cors_strerror(statuses[k].value));
    }
}

static void test_retired_statuses(void **state)
{
    char want[32];
    (void)state;
    for (size_t i = 0; i < COUNT(retired); i++) {
        snprintf(want, sizeof(want), "CORS_E_RETIRED_%d", (int)retired[i]);
        assert_string_equal(cors_status_name(retired[i]), want);
        assert_non_null(strstr(cors_strerror(retired[i]), "retired"));
        /* no defined status took a retired value */
        for (size_t k = 0; k < COUNT(statuses); k++)
            assert_int_not_equal(statuses[k].value, retired[i]);
    }
    /* defined and retired values cover 0 .. 26 without a gap */
    assert_int_equal(COUNT(statuses) + COUNT(retired), CORS_E_POLICY_REPEATED + 1);
}

static void test_status_unknown(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(unknown_values); i++) {
        assert_string_equal(cors_status_name(unknown_values[i]), "CORS_E_UNKNOWN");
        assert_string_equal(cors_strerror(unknown_values[i]), "unknown status code");
    }
}

static void test_kind_names(void **state)
{
    /* Chromium network::mojom::CorsError names without the leading 'k',
     * then libcors's own kinds in the same style */
    static const named kinds[] = {
        {.value = CORS_KIND_NONE, .name = "none"},
        {.value = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .name = "WildcardOriginNotAllowed"},
        {.value = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER, .name = "MissingAllowOriginHeader"},
        {.value = CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES, .name = "MultipleAllowOriginValues"},
        {.value = CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE, .name = "InvalidAllowOriginValue"},
        {.value = CORS_KIND_ALLOW_ORIGIN_MISMATCH, .name = "AllowOriginMismatch"},
        {.value = CORS_KIND_INVALID_ALLOW_CREDENTIALS, .name = "InvalidAllowCredentials"},
        {.value = CORS_KIND_PREFLIGHT_INVALID_STATUS, .name = "PreflightInvalidStatus"},
        {.value = CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT, .name = "PreflightDisallowedRedirect"},
        {.value = CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, .name = "PreflightWildcardOriginNotAllowed"},
        {.value = CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, .name = "PreflightMissingAllowOriginHeader"},
        {.value = CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, .name = "PreflightMultipleAllowOriginValues"},
        {.value = CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, .name = "PreflightInvalidAllowOriginValue"},
        {.value = CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH, .name = "PreflightAllowOriginMismatch"},
        {.value = CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS, .name = "PreflightInvalidAllowCredentials"},
        {.value = CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, .name = "InvalidAllowMethodsPreflightResponse"},
        {.value = CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, .name = "InvalidAllowHeadersPreflightResponse"},
        {.value = CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, .name = "MethodDisallowedByPreflightResponse"},
        {.value = CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, .name = "HeaderDisallowedByPreflightResponse"},
        {.value = CORS_KIND_MISSING_VARY_ORIGIN, .name = "MissingVaryOrigin"},
        {.value = CORS_KIND_FORBIDDEN_METHOD, .name = "ForbiddenMethod"},
        {.value = CORS_KIND_INVALID_METHOD, .name = "InvalidMethod"},
        {.value = CORS_KIND_INVALID_HEADER_NAME, .name = "InvalidHeaderName"},
        {.value = CORS_KIND_INVALID_HEADER_VALUE, .name = "InvalidHeaderValue"},
        {.value = CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS, .name = "RedirectContainsCredentials"},
        {.value = CORS_KIND_UNSAFE_REDIRECT, .name = "UnsafeRedirect"},
        {.value = CORS_KIND_INVALID_REDIRECT, .name = "InvalidRedirect"},
        {.value = CORS_KIND_MULTIPLE_LOCATION_HEADERS, .name = "MultipleLocationHeaders"},
        {.value = CORS_KIND_CORS_DISABLED_SCHEME, .name = "CorsDisabledScheme"},
        /* net:: errors of a head or a chain, named after Chromium's ERR_* */
        {.value = CORS_KIND_INVALID_HTTP_RESPONSE, .name = "InvalidHttpResponse"},
        {.value = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS, .name = "MultipleContentLengthHeaders"},
        {.value = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS, .name = "MultipleContentDispositionHeaders"},
        {.value = CORS_KIND_RESPONSE_HEADERS_TOO_BIG, .name = "ResponseHeadersTooBig"},
        {.value = CORS_KIND_RESPONSE_HEADERS_TRUNCATED, .name = "ResponseHeadersTruncated"},
        {.value = CORS_KIND_EMPTY_RESPONSE, .name = "EmptyResponse"},
        {.value = CORS_KIND_METHOD_NOT_SUPPORTED, .name = "MethodNotSupported"},
        {.value = CORS_KIND_CONTENT_DECODING_FAILED, .name = "ContentDecodingFailed"},
        {.value = CORS_KIND_TOO_MANY_REDIRECTS, .name = "TooManyRedirects"},
        {.value = CORS_KIND_MIXED_CONTENT, .name = "MixedContent"},
        {.value = CORS_KIND_URL_CREDENTIALS, .name = "UrlCredentials"},
    };
    (void)state;
    /* kinds run from 0 to cors_kind_count(), densely, in libcors.h's order */
    assert_int_equal(cors_kind_count(), CORS_KIND_URL_CREDENTIALS);
    assert_int_equal(COUNT(kinds), (size_t)cors_kind_count() + 1);
    for (size_t i = 0; i < COUNT(kinds); i++) {
        assert_int_equal(kinds[i].value, (int32_t)i);
        assert_string_equal(cors_kind_name(kinds[i].value), kinds[i].name);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(kinds[i].name, kinds[k].name);
    }
    assert_string_equal(cors_kind_name(cors_kind_count() + 1), "unknown");
    for (size_t i = 0; i < COUNT(unknown_values); i++)
        if (unknown_values[i] < 0 || unknown_values[i] > cors_kind_count())
            assert_string_equal(cors_kind_name(unknown_values[i]), "unknown");
}

static void test_stage_names(void **state)
{
    static const named stages[] = {
        {.value = CORS_STAGE_NONE, .name = "none"},
        {.value = CORS_STAGE_REQUEST, .name = "request"},
        {.value = CORS_STAGE_PREFLIGHT, .name = "preflight"},
        {.value = CORS_STAGE_RESPONSE, .name = "response"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(stages); i++)
        assert_string_equal(cors_stage_name(stages[i].value), stages[i].name);
    /* an unknown stage reads as none */
    assert_string_equal(cors_stage_name(4), "none");
    for (size_t i = 0; i < COUNT(unknown_values); i++)
        assert_string_equal(cors_stage_name(unknown_values[i]), "none");
}

static void test_severity_names(void **state)
{
    static const named severities[] = {
        {.value = CORS_SEVERITY_ERROR, .name = "error"},
        {.value = CORS_SEVERITY_WARNING, .name = "warning"},
        {.value = CORS_SEVERITY_INFO, .name = "info"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(severities); i++)
        assert_string_equal(cors_severity_name(severities[i].value), severities[i].name);
    assert_string_equal(cors_severity_name(3), "unknown");
    for (size_t i = 0; i < COUNT(unknown_values); i++)
        assert_string_equal(cors_severity_name(unknown_values[i]), "unknown");
}

static void test_rules_names(void **state)
{
    static const named rules[] = {
        {.value = CORS_RULES_BROWSER, .name = "browser"},
        {.value = CORS_RULES_GALXE, .name = "galxe"},
        {.value = CORS_RULES_REFLECT, .name = "reflect"},
    };
    static const struct {
        const char *text;
        size_t len;
        int32_t want;
    } lookups[] = {
        /* pointer + length: the name need not be NUL-terminated */
        {.text = "reflectXYZ", .len = 7, .want = CORS_RULES_REFLECT},
        {.text = "browser", .len = 6, .want = -1},
        {.text = "browsers", .len = 8, .want = -1},
        {.text = "Browser", .len = 7, .want = -1}, /* names are lowercase, compared exactly */
        {.text = "GALXE", .len = 5, .want = -1},
        {.text = "", .len = 0, .want = -1},
        {.text = NULL, .len = 0, .want = -1},
        {.text = NULL, .len = 7, .want = -1},
        {.text = "unknown", .len = 7, .want = -1},
        {.text = "chrome", .len = 6, .want = -1},
        {.text = "galxe\0", .len = 6, .want = -1},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rules); i++) {
        assert_string_equal(cors_rules_name(rules[i].value), rules[i].name);
        assert_int_equal(cors_rules_from_name(rules[i].name, strlen(rules[i].name)), rules[i].value);
    }
    for (size_t i = 0; i < COUNT(lookups); i++)
        if (cors_rules_from_name(lookups[i].text, lookups[i].len) != lookups[i].want)
            fail_msg("cors_rules_from_name('%.*s', %zu) != %d", (int)lookups[i].len,
                     lookups[i].text ? lookups[i].text : "", lookups[i].len, (int)lookups[i].want);
    assert_string_equal(cors_rules_name(3), "unknown");
    for (size_t i = 0; i < COUNT(unknown_values); i++)
        assert_string_equal(cors_rules_name(unknown_values[i]), "unknown");
}

/* No name function returns NULL or an empty string, whatever the value. */
static void test_never_null(void **state)
{
    (void)state;
    for (int64_t v = -300; v <= 300; v++) {
        int32_t x = (int32_t)v;
        const char *names[] = {cors_status_name(x), cors_strerror(x), cors_kind_name(x), cors_stage_name(x),
                               cors_severity_name(x), cors_rules_name(x), cors_finding_name(x)};
        for (size_t i = 0; i < COUNT(names); i++) {
            if (names[i] == NULL || names[i][0] == '\0')
                fail_msg("name function %zu gives %s for %d", i, names[i] ? "\"\"" : "NULL", (int)x);
        }
    }
    for (size_t i = 0; i < COUNT(unknown_values); i++) {
        int32_t x = unknown_values[i];
        assert_non_null(cors_finding_name(x));
        assert_non_null(cors_kind_name(x));
        assert_non_null(cors_status_name(x));
        assert_non_null(cors_strerror(x));
    }
}

static void test_version(void **state)
{
    char want[32];
    (void)state;
    snprintf(want, sizeof(want), "%d.%d.%d", CORS_VERSION_MAJOR, CORS_VERSION_MINOR, CORS_VERSION_PATCH);
    assert_string_equal(CORS_VERSION_STRING, want);
    assert_string_equal(cors_version(), CORS_VERSION_STRING);
    assert_int_equal(CORS_VERSION_NUMBER, CORS_VERSION_MAJOR * 10000 + CORS_VERSION_MINOR * 100 + CORS_VERSION_PATCH);
    assert_int_equal(cors_version_number(), CORS_VERSION_NUMBER);
    /* the header this test was built with is 0.2's: the API these tests port to */
    assert_int_equal(CORS_VERSION_MAJOR, 0);
    assert_int_equal(CORS_VERSION_MINOR, 2);
}

static void test_sizeof_functions(void **state)
{
    (void)state;
    assert_int_equal(cors_sizeof_error(), sizeof(cors_error));
    assert_int_equal(cors_sizeof_str(), sizeof(cors_str));
    assert_int_equal(cors_sizeof_header(), sizeof(cors_header));
    assert_int_equal(cors_sizeof_response(), sizeof(cors_response));
    assert_int_equal(cors_sizeof_origin(), sizeof(cors_origin));
    assert_int_equal(cors_sizeof_request(), sizeof(cors_request));
    assert_int_equal(cors_sizeof_options(), sizeof(cors_options));
    assert_int_equal(cors_sizeof_span(), sizeof(cors_span));
    assert_int_equal(cors_sizeof_finding(), sizeof(cors_finding));
    assert_int_equal(cors_sizeof_report(), sizeof(cors_report));
}

static void test_limit_functions(void **state)
{
    (void)state;
    assert_int_equal(cors_max_line(), CORS_MAX_LINE);
    assert_int_equal(cors_origin_max(), CORS_ORIGIN_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_and_texts),
        cmocka_unit_test(test_retired_statuses),
        cmocka_unit_test(test_status_unknown),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_stage_names),
        cmocka_unit_test(test_severity_names),
        cmocka_unit_test(test_rules_names),
        cmocka_unit_test(test_never_null),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_sizeof_functions),
        cmocka_unit_test(test_limit_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
