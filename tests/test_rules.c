/* SPDX-License-Identifier: MIT */
/*
 * test_rules.c - lib/rules.c: the rule sets as data. Each CORS_RULES_* id
 * finds its entry (and nothing else does): the credentials it judges with,
 * whether it sends its own probe, the advice the browser rules give under it,
 * and its judge. Through cors_evaluate, an unknown id is CORS_E_BAD_RULES and
 * a forced credentials mode wins over the request's. What each judge does is
 * test_chain.c (browser), test_rules_galxe.c and test_rules_reflect.c.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

typedef struct rules_row {
    int32_t id;
    int32_t credentials;
    bool probe;
    uint32_t advice;
    void (*judge)(cors__eval *ev, cors_report *r);
} rules_row;

static const rules_row rows[] = {
    {.id = CORS_RULES_BROWSER, .credentials = -1, .advice = ADVICE_MAX_AGE | ADVICE_VARY_WARNING,
     .judge = cors__chain_judge},
    {.id = CORS_RULES_GALXE, .credentials = CORS_CREDENTIALS_OMIT, .probe = true, .judge = cors__galxe_judge},
    {.id = CORS_RULES_REFLECT, .credentials = CORS_CREDENTIALS_INCLUDE, .judge = cors__reflect_judge},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const cors__rules *r = cors__rules_get(rows[i].id);
        assert_non_null(r);
        assert_int_equal(r->id, rows[i].id);
        assert_int_equal(r->credentials, rows[i].credentials);
        assert_int_equal(r->probe, rows[i].probe);
        assert_int_equal(r->advice, rows[i].advice);
        assert_true(r->judge == rows[i].judge);
        assert_string_not_equal(cors_rules_name(rows[i].id), "unknown");
    }
}

static void test_unknown_ids(void **state)
{
    static const int32_t unknown[] = {-1, CORS_RULES_REFLECT + 1, 100, INT32_MIN, INT32_MAX};
    static big_report b;
    cors_request req;
    cors_options opt;
    cors_error err;
    (void)state;
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://app.example");
    for (size_t i = 0; i < COUNT(unknown); i++) {
        assert_null(cors__rules_get(unknown[i]));
        cors_options_init(&opt, sizeof(opt));
        opt.rules = unknown[i];
        memset(&err, 0xab, sizeof(err));
        assert_int_equal(cors_evaluate(&opt, &req, NULL, NULL, big_report_lend(&b), &err), CORS_E_BAD_RULES);
        assert_int_equal(err.status, CORS_E_BAD_RULES);
        assert_int_equal(b.report.ok, 0);
    }
}

/* The rule set's credentials mode wins over the request's: '*' is refused
 * under reflect even for an omit request, and allowed under galxe for an
 * include one. */
static void test_forced_credentials(void **state)
{
    static const char star_pre[] = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                                   "Access-Control-Allow-Methods: GET, POST\r\n"
                                   "Access-Control-Allow-Headers: content-type\r\n\r\n";
    static const char star_resp[] = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    static parsed_head pre, resp;
    static big_report b;
    cors_request req;
    cors_options opt;
    (void)state;
    parsed_head_init(&pre, star_pre);
    parsed_head_init(&resp, star_resp);
    cors_request_init(&req, sizeof(req));
    req.origin = STR("https://app.example");
    req.method = STR("GET");
    cors_options_init(&opt, sizeof(opt));
    /* browser: as requested */
    req.credentials = CORS_CREDENTIALS_OMIT;
    assert_int_equal(cors_evaluate(&opt, &req, &pre.response, &resp.response, big_report_lend(&b), NULL), CORS_OK);
    assert_int_equal(b.report.ok, 1);
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    assert_int_equal(cors_evaluate(&opt, &req, &pre.response, &resp.response, big_report_lend(&b), NULL), CORS_OK);
    assert_int_equal(b.report.kind, CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED);
    /* reflect: always credentialed */
    opt.rules = CORS_RULES_REFLECT;
    req.credentials = CORS_CREDENTIALS_OMIT;
    assert_int_equal(cors_evaluate(&opt, &req, &pre.response, &resp.response, big_report_lend(&b), NULL), CORS_OK);
    assert_int_equal(b.report.ok, 0);
    assert_int_equal(b.report.kind, CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED);
    /* galxe: never credentialed */
    opt.rules = CORS_RULES_GALXE;
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    assert_int_equal(cors_evaluate(&opt, &req, &pre.response, &resp.response, big_report_lend(&b), NULL), CORS_OK);
    assert_int_equal(b.report.ok, 1);
    assert_int_equal(b.report.rules, CORS_RULES_GALXE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_unknown_ids),
        cmocka_unit_test(test_forced_credentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
