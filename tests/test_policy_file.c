/* SPDX-License-Identifier: MIT */
/*
 * test_policy_file.c - lib/policy_file.c: the policy text format. What each
 * key does to the config, every error with its status, line and byte,
 * buffers that are too small, cors_policy_locate giving issues their lines,
 * and every prefix of the texts parsed against a guard page.
 */
#define _DEFAULT_SOURCE

#include "test_util.h"

static int32_t parse(const char *text, cors_policy_config *c, cors_str *items, size_t cap, size_t *n, cors_error *err)
{
    cors_policy_config_init(c, sizeof(*c));
    return cors_policy_parse(text, strlen(text), c, items, cap, n, err);
}

static void assert_list(const cors_str *got, size_t n, const char *const *want)
{
    size_t k = 0;
    while (want[k] != NULL)
        k++;
    assert_int_equal(n, k);
    for (size_t i = 0; i < n; i++)
        assert_str(got[i], want[i]);
}

static const char full_text[] =
    "# every key\r\n"
    "origins: https://app.example, https://*.example.com\r\n"
    "\r\n"
    "   origins:http://localhost:*\t,,\n"
    "methods: PUT DELETE,PATCH\n"
    "request-headers: Content-Type, X-Trace\n"
    "expose-headers: X-Request-Id\n"
    "credentials: yes\n"
    "max-age: 600\n"
    "preflight-status: 200\n"
    "vary-preflight: true\n"
    "debug: false\n"
    "danger-insecure-origins: no\n"
    "danger-public-suffix: no\n"
    "danger-reflect-with-credentials: yes\n"
    "reflect-any-origin: no";

static void test_every_key(void **state)
{
    cors_policy_config c;
    cors_str items[16];
    size_t n = 0;
    cors_error err;
    (void)state;
    assert_int_equal(parse(full_text, &c, items, COUNT(items), &n, &err), CORS_OK);
    assert_int_equal(err.status, CORS_OK);
    assert_int_equal(n, 9);
    assert_list(c.origins, c.origin_count,
                (const char *const[]){"https://app.example", "https://*.example.com", "http://localhost:*", NULL});
    assert_list(c.methods, c.method_count, (const char *const[]){"PUT", "DELETE", "PATCH", NULL});
    assert_list(c.request_headers, c.request_header_count, (const char *const[]){"Content-Type", "X-Trace", NULL});
    assert_list(c.expose_headers, c.expose_header_count, (const char *const[]){"X-Request-Id", NULL});
    assert_int_equal(c.flags, CORS_POLICY_CREDENTIALS | CORS_POLICY_VARY_PREFLIGHT |
                                  CORS_POLICY_DANGER_REFLECT_CREDENTIALS);
    assert_int_equal(c.origin_mode, CORS_ORIGINS_LIST);
    assert_int_equal(c.max_age, 600);
    assert_int_equal(c.preflight_status, 200);
    /* the config's arrays are slices of the caller's items, views into the text */
    assert_true(c.origins == items && c.methods == items + 3);
    assert_true(c.origins[0].ptr > full_text && c.origins[0].ptr < full_text + sizeof(full_text));
    assert_int_equal(cors_policy_validate(&c, NULL, 0, NULL), CORS_OK); /* an unused danger flag is an info */
}

static void test_values(void **state)
{
    cors_policy_config c;
    cors_str items[4];
    size_t n;
    (void)state;
    assert_int_equal(parse("reflect-any-origin: yes\nmax-age: -1\n", &c, items, 4, &n, NULL), CORS_OK);
    assert_int_equal(c.origin_mode, CORS_ORIGINS_REFLECT);
    assert_int_equal(c.max_age, -1);
    assert_int_equal(n, 0);
    assert_null(c.origins);
    /* numbers saturate: the validator says they are out of bounds */
    assert_int_equal(parse("max-age: 99999999999999\npreflight-status: -99999999999", &c, items, 4, &n, NULL), CORS_OK);
    assert_int_equal(c.max_age, INT32_MAX);
    assert_int_equal(c.preflight_status, -INT32_MAX);
    /* empty text, empty list key */
    assert_int_equal(cors_policy_parse(NULL, 0, &c, NULL, 0, &n, NULL), CORS_OK);
    assert_int_equal(c.origin_count, 0);
    assert_int_equal(parse("origins:\nmethods:   \n", &c, NULL, 0, &n, NULL), CORS_OK);
    assert_int_equal(n, 0);
}

typedef struct error_row {
    const char *desc;
    const char *text;
    int32_t status;
    int32_t line;
    size_t offset;
} error_row;

static const error_row error_rows[] = {
    {.desc = "no colon", .text = "origins https://a.example", .status = CORS_E_POLICY_SYNTAX, .line = 1, .offset = 7},
    {.desc = "no colon after comments", .text = "# a\n\n  oops\n", .status = CORS_E_POLICY_SYNTAX, .line = 3,
     .offset = 7},
    {.desc = "NUL byte", .text = "methods: PUT\nmethods: P\0T\n", .status = CORS_E_POLICY_SYNTAX, .line = 2,
     .offset = 23},
    {.desc = "control byte", .text = "debug: y\x01s", .status = CORS_E_POLICY_SYNTAX, .line = 1, .offset = 8},
    {.desc = "unknown key", .text = "origins: *\n  allowed-origins: *", .status = CORS_E_POLICY_KEY, .line = 2,
     .offset = 13},
    {.desc = "keys are lowercase", .text = "Origins: *", .status = CORS_E_POLICY_KEY, .line = 1, .offset = 0},
    {.desc = "private-network is an unknown key (Chromium 156 sends no PNA preflight)", .text = "origins: *\nprivate-network: yes",
     .status = CORS_E_POLICY_KEY, .line = 2, .offset = 11},
    {.desc = "not yes or no", .text = "credentials: maybe", .status = CORS_E_POLICY_VALUE, .line = 1, .offset = 13},
    {.desc = "yes in uppercase", .text = "debug: YES", .status = CORS_E_POLICY_VALUE, .line = 1, .offset = 7},
    {.desc = "not a number", .text = "max-age: 10m", .status = CORS_E_POLICY_VALUE, .line = 1, .offset = 9},
    {.desc = "no number", .text = "max-age:", .status = CORS_E_POLICY_VALUE, .line = 1, .offset = 8},
    {.desc = "a lone minus", .text = "preflight-status: -", .status = CORS_E_POLICY_VALUE, .line = 1, .offset = 18},
    {.desc = "a key twice", .text = "debug: yes\r\nmax-age: 1\r\ndebug: no\r\n", .status = CORS_E_POLICY_REPEATED,
     .line = 3, .offset = 24},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(error_rows); i++) {
        const error_row *row = &error_rows[i];
        /* texts with a NUL: the row's length up to the last byte given */
        size_t len = strlen(row->text);
        if (strcmp(row->desc, "NUL byte") == 0)
            len = 26;
        cors_policy_config c;
        cors_str items[8];
        size_t n;
        cors_error err;
        int32_t st;
        cors_policy_config_init(&c, sizeof(c));
        memset(&err, 0xab, sizeof(err));
        st = cors_policy_parse(row->text, len, &c, items, COUNT(items), &n, &err);
        if (st != row->status || err.status != st || err.line != row->line || err.offset != row->offset ||
            err.index != SIZE_MAX)
            fail_msg("%s: %s line %d offset %zu", row->desc, cors_status_name(st), err.line, err.offset);
    }
}

static void test_buffer_too_small(void **state)
{
    cors_policy_config c;
    cors_str items[3];
    size_t n = 0;
    cors_error err;
    const char *text = "origins: https://a.example https://b.example\nmethods: PUT\n";
    (void)state;
    assert_int_equal(parse(text, &c, NULL, 0, &n, &err), CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 3);
    assert_int_equal(err.status, CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(parse(text, &c, items, 2, &n, NULL), CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(parse(text, &c, items, 3, &n, NULL), CORS_OK);
    assert_int_equal(c.origin_count + c.method_count, 3);
}

static void test_arguments(void **state)
{
    cors_policy_config c;
    cors_str items[1];
    size_t n = 5;
    (void)state;
    assert_int_equal(cors_policy_parse("x", 1, NULL, NULL, 0, &n, NULL), CORS_E_ARGUMENT);
    assert_int_equal(n, 0);
    cors_policy_config_init(&c, sizeof(c));
    assert_int_equal(cors_policy_parse(NULL, 3, &c, NULL, 0, NULL, NULL), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_parse("", 0, &c, NULL, 4, NULL, NULL), CORS_E_ARGUMENT);
    c.struct_size = 8;
    assert_int_equal(cors_policy_parse("", 0, &c, items, 1, NULL, NULL), CORS_E_ARGUMENT);
}

static const char located_text[] =
    "# issues on several lines\n"
    "max-age: 90000\n"
    "origins: https://ok.example\n"
    "origins:  https://bad.example/ null\n"
    "methods: GET patch\n"
    "danger-public-suffix: yes\n"
    "debug: yes\n";

static void test_locate(void **state)
{
    cors_policy_config c;
    cors_str items[8];
    cors_config_issue is[8];
    size_t n, count;
    (void)state;
    assert_int_equal(parse(located_text, &c, items, COUNT(items), &n, NULL), CORS_OK);
    assert_int_equal(cors_policy_validate(&c, is, COUNT(is), &count), CORS_E_CONFIG);
    assert_int_equal(count, 7);
    assert_int_equal(cors_policy_locate(located_text, strlen(located_text), is, count), CORS_OK);
    /* origins[1] "https://bad.example/": line 4, its '/' */
    const char *slash = strstr(located_text, "example/") + 7;
    assert_int_equal(is[0].code, CORS_ISSUE_ORIGIN_INVALID);
    assert_int_equal(is[0].line, 4);
    assert_int_equal(is[0].offset, (size_t)(slash - located_text));
    assert_int_equal(is[1].code, CORS_ISSUE_ORIGIN_NULL);
    assert_int_equal(is[1].line, 4);
    assert_int_equal(is[1].offset, (size_t)(strstr(located_text, "null") - located_text));
    assert_int_equal(is[2].code, CORS_ISSUE_METHOD_SAFELISTED);
    assert_int_equal(is[2].line, 5);
    assert_int_equal(is[3].code, CORS_ISSUE_METHOD_CASE);
    assert_int_equal(is[3].offset, (size_t)(strstr(located_text, "patch") - located_text));
    assert_int_equal(is[4].code, CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS);
    assert_int_equal(is[4].line, 2);
    assert_int_equal(is[4].offset, (size_t)(strstr(located_text, "max-age") - located_text));
    assert_int_equal(is[5].code, CORS_ISSUE_DEBUG_ON);
    assert_int_equal(is[5].line, 7);
    assert_int_equal(is[6].code, CORS_ISSUE_DANGER_UNUSED);
    assert_int_equal(is[6].line, 6);
}

static void test_locate_without_element(void **state)
{
    cors_policy_config c;
    cors_config_issue is[2];
    size_t count;
    const char *keyed = "debug: no\norigins:\n";
    (void)state;
    /* no origins key at all: line 0 */
    assert_int_equal(parse("debug: no\n", &c, NULL, 0, NULL, NULL), CORS_OK);
    assert_int_equal(cors_policy_validate(&c, is, 2, &count), CORS_E_CONFIG);
    assert_int_equal(cors_policy_locate("debug: no\n", 10, is, count), CORS_OK);
    assert_int_equal(is[0].code, CORS_ISSUE_ORIGINS_MISSING);
    assert_int_equal(is[0].line, 0);
    /* an empty origins key: its line */
    assert_int_equal(parse(keyed, &c, NULL, 0, NULL, NULL), CORS_OK);
    assert_int_equal(cors_policy_validate(&c, is, 2, &count), CORS_E_CONFIG);
    assert_int_equal(cors_policy_locate(keyed, strlen(keyed), is, count), CORS_OK);
    assert_int_equal(is[0].line, 2);
    assert_int_equal(is[0].offset, 10);
    /* not in cors_policy_validate's order */
    is[1] = is[0];
    is[0].field = CORS_FIELD_FLAGS;
    assert_int_equal(cors_policy_locate(keyed, strlen(keyed), is, 2), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_locate(NULL, 1, is, 0), CORS_E_ARGUMENT);
}

/* Every prefix of every text, ending at a PROT_NONE page. */
static void test_reads_only_the_text(void **state)
{
    const char *texts[] = {full_text, located_text, "methods: PUT\nmethods: P\0T\n", "max-age: -"};
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t t = 0; t < COUNT(texts); t++) {
        size_t len = t == 2 ? 26 : strlen(texts[t]);
        for (size_t k = 0; k <= len; k++) {
            cors_policy_config c;
            cors_str items[16];
            cors_config_issue is[16];
            size_t n, count;
            cors_error err;
            const char *at = guard_place(&g, texts[t], k);
            cors_policy_config_init(&c, sizeof(c));
            if (cors_policy_parse(at, k, &c, items, COUNT(items), &n, &err) != CORS_OK) {
                assert_true(err.offset <= k);
                continue;
            }
            cors_policy_validate(&c, is, COUNT(is), &count);
            assert_int_equal(cors_policy_locate(at, k, is, count < COUNT(is) ? count : COUNT(is)), CORS_OK);
            for (size_t i = 0; i < count && i < COUNT(is); i++)
                assert_true(is[i].offset <= k);
        }
    }
    guard_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_locate_without_element),
        cmocka_unit_test(test_reads_only_the_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
