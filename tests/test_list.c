/*
 * test_list.c - lib/policy.c and lib/list.c: where a response's CORS headers
 * sit (cors_policy_from_response), and the comma-separated lists read across
 * every line of a name (Fetch: extract header list values).
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

typedef struct parsed {
    cors_header headers[32];
    cors_response response;
    cors_policy policy;
} parsed;

static void parse(parsed *p, const char *head)
{
    cors_error err;
    int32_t st = cors_response_parse(head, strlen(head), p->headers, COUNT(p->headers), &p->response, &err);
    if (st != CORS_OK)
        fail_msg("%s at %zu", cors_status_name(st), err.offset);
    memset(&p->policy, 0xab, sizeof(p->policy));
    assert_int_equal(cors_policy_from_response(&p->response, &p->policy), CORS_OK);
}

/* The elements of a list joined with "|". */
static const char *elements(const cors_policy *policy, const cors_field *field)
{
    static char buf[512];
    cors__list_iter it;
    cors_str e;
    size_t n = 0;
    buf[0] = '\0';
    cors__list_begin(&it, policy, field);
    while (cors__list_next(&it, &e)) {
        assert_true(e.len > 0);
        assert_true(n + e.len + 2 < sizeof(buf));
        if (n > 0)
            buf[n++] = '|';
        memcpy(buf + n, e.ptr, e.len);
        n += e.len;
        buf[n] = '\0';
    }
    /* the end stays the end */
    assert_false(cors__list_next(&it, &e));
    return buf;
}

static void assert_field(const cors_field *f, uint32_t lines, uint32_t first, const char *value)
{
    assert_int_equal(f->lines, lines);
    assert_int_equal(f->first, first);
    assert_str(f->value, value);
}

/* ------------------------------------------------------------------------ */
/* cors_policy_from_response                                                 */
/* ------------------------------------------------------------------------ */

static void test_policy_fields(void **state)
{
    static parsed p;
    (void)state;
    parse(&p, "HTTP/1.1 204 No Content\r\n"
              "Access-Control-Allow-Origin: https://app.example\r\n" /* 0 */
              "access-control-allow-methods: GET, PUT\r\n"           /* 1 */
              "Vary: Origin\r\n"                                     /* 2 */
              "X-Other: 1\r\n"                                       /* 3 */
              "ACCESS-CONTROL-ALLOW-METHODS: DELETE\r\n"             /* 4 */
              "Access-Control-Allow-Headers: x-a\r\n"                /* 5 */
              "Access-Control-Allow-Credentials: true\r\n"           /* 6 */
              "Access-Control-Expose-Headers: x-b\r\n"               /* 7 */
              "Access-Control-Max-Age: 600\r\n"                      /* 8 */
              "Location: /next\r\n"                                  /* 9 */
              "vary: Accept\r\n"                                     /* 10 */
              "Access-Control-Allow-Originx: no\r\n"                 /* 11 */
              "Access-Control-Allow-Headers:\r\n"                    /* 12 */
              "\r\n");
    assert_int_equal(p.policy.struct_size, sizeof(cors_policy));
    assert_int_equal(p.policy.status_code, 204);
    assert_ptr_equal(p.policy.headers, p.headers);
    assert_int_equal(p.policy.header_count, 13);
    assert_field(&p.policy.allow_origin, 1, 0, "https://app.example");
    assert_field(&p.policy.allow_methods, 2, 1, "GET, PUT");
    assert_field(&p.policy.vary, 2, 2, "Origin");
    assert_field(&p.policy.allow_headers, 2, 5, "x-a");
    assert_field(&p.policy.allow_credentials, 1, 6, "true");
    assert_field(&p.policy.expose_headers, 1, 7, "x-b");
    assert_field(&p.policy.max_age, 1, 8, "600");
    assert_field(&p.policy.location, 1, 9, "/next");
    /* the value is a view into the caller's bytes, not a copy */
    assert_ptr_equal(p.policy.allow_origin.value.ptr, p.headers[0].value.ptr);
}

static void test_policy_absent_fields(void **state)
{
    static parsed p;
    const cors_field *fields[8];
    (void)state;
    parse(&p, "HTTP/2 404\r\ncontent-type: text/html\r\n\r\n");
    fields[0] = &p.policy.allow_origin;
    fields[1] = &p.policy.allow_credentials;
    fields[2] = &p.policy.allow_methods;
    fields[3] = &p.policy.allow_headers;
    fields[4] = &p.policy.expose_headers;
    fields[5] = &p.policy.max_age;
    fields[6] = &p.policy.vary;
    fields[7] = &p.policy.location;
    assert_int_equal(p.policy.status_code, 404);
    for (size_t i = 0; i < COUNT(fields); i++) {
        assert_int_equal(fields[i]->lines, 0);
        assert_int_equal(fields[i]->first, 0);
        assert_int_equal(fields[i]->value.len, 0);
    }
}

static void test_policy_empty_line_counts(void **state)
{
    static parsed p;
    (void)state;
    /* Fetch: an empty header is still present */
    parse(&p, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:\r\n\r\n");
    assert_field(&p.policy.allow_origin, 1, 0, "");
}

static void test_policy_from_headers_response(void **state)
{
    cors_header hs[3] = {{STR("Vary"), STR("Origin")}, {STR("access-control-allow-origin"), STR("*")},
                         {STR("Access-Control-Expose-Headers"), {NULL, 0}}};
    cors_response r;
    cors_policy pol;
    (void)state;
    assert_int_equal(cors_response_from_headers(200, hs, 3, &r, NULL), CORS_OK);
    assert_int_equal(cors_policy_from_response(&r, &pol), CORS_OK);
    assert_int_equal(pol.status_code, 200);
    assert_field(&pol.allow_origin, 1, 1, "*");
    assert_field(&pol.vary, 1, 0, "Origin");
    assert_int_equal(pol.expose_headers.lines, 1);
    /* a NULL empty value iterates as an empty list */
    assert_string_equal(elements(&pol, &pol.expose_headers), "");
    assert_true(cors__list_is_valid(&pol, &pol.expose_headers, NULL));
}

static void test_policy_arguments(void **state)
{
    cors_response r;
    cors_policy pol;
    (void)state;
    cors_response_init(&r);
    assert_int_equal(cors_policy_from_response(NULL, &pol), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_from_response(&r, NULL), CORS_E_ARGUMENT);
    r.header_count = 1; /* headers NULL */
    assert_int_equal(cors_policy_from_response(&r, &pol), CORS_E_ARGUMENT);
    r.header_count = 0;
    assert_int_equal(cors_policy_from_response(&r, &pol), CORS_OK);
    assert_int_equal(pol.header_count, 0);

    memset(&pol, 0xab, sizeof(pol));
    cors_policy_init(&pol);
    assert_int_equal(pol.struct_size, sizeof(cors_policy));
    assert_int_equal(pol.allow_origin.lines, 0);
    assert_null(pol.headers);
    cors_policy_init(NULL); /* accepted */
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                     */
/* ------------------------------------------------------------------------ */

static void test_list_across_lines(void **state)
{
    static parsed p;
    (void)state;
    parse(&p, "HTTP/1.1 204 No Content\r\n"
              "Access-Control-Allow-Methods: GET, ,PUT\r\n"
              "Access-Control-Allow-Methods:\r\n"
              "X-Other: PATCH, POST\r\n"
              "access-control-allow-methods: \tDELETE\t,,\r\n"
              "Access-Control-Allow-Headers: x-a\r\n"
              "ACCESS-CONTROL-ALLOW-METHODS: , PATCH , a  b\r\n"
              "\r\n");
    assert_int_equal(p.policy.allow_methods.lines, 4);
    assert_string_equal(elements(&p.policy, &p.policy.allow_methods), "GET|PUT|DELETE|PATCH|a  b");
    assert_string_equal(elements(&p.policy, &p.policy.allow_headers), "x-a");
    /* absent: no element */
    assert_string_equal(elements(&p.policy, &p.policy.expose_headers), "");
}

static void test_list_empty_elements(void **state)
{
    static const char *const heads[] = {
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers: , , ,\r\n\r\n",
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers:\r\nAccess-Control-Expose-Headers: ,\r\n\r\n",
        "HTTP/1.1 200 OK\r\nAccess-Control-Expose-Headers: \t , \t\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
    };
    static parsed p;
    (void)state;
    for (size_t i = 0; i < COUNT(heads); i++) {
        parse(&p, heads[i]);
        assert_string_equal(elements(&p.policy, &p.policy.expose_headers), "");
        assert_true(cors__list_is_valid(&p.policy, &p.policy.expose_headers, NULL));
        assert_false(cors__list_contains(&p.policy, &p.policy.expose_headers, STR(""), 0));
        assert_false(cors__list_contains(&p.policy, &p.policy.expose_headers, STR(","), 0));
    }
}

static void test_list_validity(void **state)
{
    static const struct {
        const char *lines; /* header lines of Access-Control-Allow-Headers, "\r\n"-separated */
        int valid;
        const char *bad;
    } cases[] = {
        {"GET, PUT", 1, NULL},
        {"GET,,PUT,", 1, NULL},
        {"*", 1, NULL},
        {"'x-a'", 1, NULL},                     /* the quote is a token character */
        {"!#$%&'*+-.^_`|~09AZaz", 1, NULL},
        {"PUT DELETE", 0, "PUT DELETE"},
        {"GET, PUT;", 0, "PUT;"},
        {"\"PUT\"", 0, "\"PUT\""},
        {"x-a, x-b x-c, y", 0, "x-b x-c"},
        {"x-\xc3\xa9", 0, "x-\xc3\xa9"},
        {"a, b@c", 0, "b@c"},
        {"a/b", 0, "a/b"},
        {"x-a\r\nAccess-Control-Allow-Headers: ok, (bad), worse x", 0, "(bad)"}, /* the first offender */
    };
    static parsed p;
    char head[256];
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        cors_str bad = {NULL, 0};
        int valid;
        snprintf(head, sizeof(head), "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Headers: %s\r\n\r\n",
                 cases[i].lines);
        parse(&p, head);
        valid = cors__list_is_valid(&p.policy, &p.policy.allow_headers, &bad);
        if (valid != cases[i].valid)
            fail_msg("'%s': valid %d", cases[i].lines, valid);
        if (!valid)
            assert_str(bad, cases[i].bad);
        /* the out-parameter is optional */
        assert_int_equal(cors__list_is_valid(&p.policy, &p.policy.allow_headers, NULL), valid);
    }
}

static void test_list_contains(void **state)
{
    static parsed p;
    const cors_field *m;
    (void)state;
    parse(&p, "HTTP/1.1 204 No Content\r\n"
              "Access-Control-Allow-Methods: put, Get\r\n"
              "X-Other: PATCH\r\n"
              "Access-Control-Allow-Methods: *, x y\r\n"
              "\r\n");
    m = &p.policy.allow_methods;
    assert_true(cors__list_contains(&p.policy, m, STR("put"), 0));
    assert_false(cors__list_contains(&p.policy, m, STR("PUT"), 0));   /* case-sensitive */
    assert_true(cors__list_contains(&p.policy, m, STR("PUT"), 1));    /* case-insensitive */
    assert_true(cors__list_contains(&p.policy, m, STR("Get"), 0));
    assert_false(cors__list_contains(&p.policy, m, STR("GET"), 0));
    assert_true(cors__list_contains(&p.policy, m, STR("gEt"), 1));
    assert_true(cors__list_contains(&p.policy, m, STR("*"), 0));      /* on the second line */
    assert_true(cors__list_contains(&p.policy, m, STR("x y"), 0));    /* an element, trimmed, is compared whole */
    assert_false(cors__list_contains(&p.policy, m, STR("x"), 0));
    assert_false(cors__list_contains(&p.policy, m, STR("pu"), 1));    /* no prefix match */
    assert_false(cors__list_contains(&p.policy, m, STR("put, Get"), 0));
    assert_false(cors__list_contains(&p.policy, m, STR("PATCH"), 1)); /* another header's line */
    assert_false(cors__list_contains(&p.policy, &p.policy.allow_headers, STR("put"), 1)); /* absent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_fields),
        cmocka_unit_test(test_policy_absent_fields),
        cmocka_unit_test(test_policy_empty_line_counts),
        cmocka_unit_test(test_policy_from_headers_response),
        cmocka_unit_test(test_policy_arguments),
        cmocka_unit_test(test_list_across_lines),
        cmocka_unit_test(test_list_empty_elements),
        cmocka_unit_test(test_list_validity),
        cmocka_unit_test(test_list_contains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
