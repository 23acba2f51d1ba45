/* SPDX-License-Identifier: MIT */
/*
 * test_policy.c - lib/policy.c: cors_policy_compile sizes and lays out a
 * policy in the caller's memory. The size call, memory too small (nothing
 * written), misaligned memory, invalid configs, a copy made with memcpy that
 * answers as the original did (offsets, no pointers), the sorted sets (every
 * one of 10,000 origins found, nothing else), and the precomputed values.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_policy_util.h"

static cors_policy_config config_of(const cors_str *origins, size_t n)
{
    cors_policy_config c;
    cors_policy_config_init(&c, sizeof(c));
    c.origins = origins;
    c.origin_count = n;
    return c;
}

static void test_sizes_and_memory(void **state)
{
    cors_str o[2] = {STR("https://a.example"), STR("https://*.b.example")};
    cors_policy_config c = config_of(o, 2);
    _Alignas(8) static char mem[1024];
    const cors_policy *p = (const cors_policy *)1;
    size_t needed = 0, again;
    (void)state;
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &p), CORS_E_BUFFER_TOO_SMALL);
    assert_null(p);
    assert_true(needed > 0 && needed % 8 == 0 && needed < sizeof(mem));
    /* one byte short: nothing written */
    memset(mem, 0xee, sizeof(mem));
    assert_int_equal(cors_policy_compile(&c, mem, needed - 1, &again, &p), CORS_E_BUFFER_TOO_SMALL);
    assert_int_equal(again, needed);
    for (size_t i = 0; i < sizeof(mem); i++)
        assert_int_equal((unsigned char)mem[i], 0xee);
    assert_int_equal(cors_policy_compile(&c, mem, needed, &again, &p), CORS_OK);
    assert_ptr_equal(p, mem);
    assert_int_equal(cors_policy_size(p), needed);
    for (size_t i = needed; i < sizeof(mem); i++)
        assert_int_equal((unsigned char)mem[i], 0xee);
    /* misaligned memory, memory without a size */
    assert_int_equal(cors_policy_compile(&c, mem + 4, needed, &again, &p), CORS_E_ARGUMENT);
    assert_int_equal(cors_policy_compile(&c, NULL, 16, &again, &p), CORS_E_ARGUMENT);
    /* needed and out may be NULL */
    assert_int_equal(cors_policy_compile(&c, mem, sizeof(mem), NULL, NULL), CORS_OK);
    assert_int_equal(cors_policy_size(NULL), 0);
    memset(mem, 0, 64);
    assert_int_equal(cors_policy_size((const cors_policy *)(void *)mem), 0);
}

static void test_invalid_configs(void **state)
{
    cors_str o[1] = {STR("null")};
    cors_policy_config c = config_of(o, 1);
    size_t needed = 5;
    const cors_policy *p;
    (void)state;
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &p), CORS_E_CONFIG);
    assert_int_equal(needed, 0);
    c = config_of(NULL, 0);
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &p), CORS_E_CONFIG);
    assert_int_equal(cors_policy_compile(NULL, NULL, 0, &needed, &p), CORS_E_ARGUMENT);
    c.flags = CORS_POLICY_PRIVATE_NETWORK_RESERVED;
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &p), CORS_E_ARGUMENT);
}

static size_t answer(const cors_policy *p, const char *method, cors_header *h, size_t n, cors_answer *a,
                     cors_emitted_header *e)
{
    cors_answer_init(a, sizeof(*a));
    assert_int_equal(cors_policy_answer(p, method, strlen(method), h, n, a, e, CORS_ANSWER_MAX_HEADERS), CORS_OK);
    return a->header_count;
}

/* Copied elsewhere and the original wiped: the copy answers alone. */
static void test_position_independent(void **state)
{
    static compiled c;
    cors_header h[3] = {{STR("Origin"), STR("https://x.example.com")},
                        {STR("Access-Control-Request-Method"), STR("PUT")},
                        {STR("Access-Control-Request-Headers"), STR("x-a")},
                        };
    cors_emitted_header e[8];
    cors_answer a;
    void *copy;
    (void)state;
    compile_text(&c, "origins: https://*.example.com\nmethods: PUT\nrequest-headers: X-A\nmax-age: 30\n");
    copy = aligned_alloc(8, (c.size + 7) / 8 * 8);
    assert_non_null(copy);
    memcpy(copy, c.policy, cors_policy_size(c.policy));
    memset(c.mem, 0, c.size);
    assert_int_equal(cors_policy_size(copy), c.size);
    assert_int_equal(answer(copy, "OPTIONS", h, 3, &a, e), 4);
    assert_int_equal(a.allowed, 1);
    assert_str(e[3].value, "30");
    assert_true(e[3].value.ptr >= (const char *)copy && e[3].value.ptr < (const char *)copy + c.size);
    free(copy);
    compiled_free(&c);
}

/* 10,000 exact origins, in an order that is not sorted: each found, near misses not. */
static void test_many_origins(void **state)
{
    enum { N = 10000 };
    static char text[N][40];
    static cors_str o[N];
    cors_policy_config c;
    size_t needed;
    const cors_policy *p;
    void *mem;
    (void)state;
    for (size_t i = 0; i < N; i++) {
        size_t k = (i * 7919) % N; /* a permutation */
        int len = snprintf(text[i], sizeof(text[i]), "https://t%zu.example", k);
        o[i] = (cors_str){text[i], (size_t)len};
    }
    c = config_of(o, N);
    assert_int_equal(cors_policy_compile(&c, NULL, 0, &needed, &p), CORS_E_BUFFER_TOO_SMALL);
    mem = aligned_alloc(8, needed);
    assert_non_null(mem);
    assert_int_equal(cors_policy_compile(&c, mem, needed, &needed, &p), CORS_OK);
    for (size_t i = 0; i < N; i++) {
        char near[48];
        cors_header h[1] = {{STR("Origin"), o[i]}};
        cors_emitted_header e[8];
        cors_answer a;
        answer(p, "GET", h, 1, &a, e);
        assert_int_equal(a.allowed, 1);
        h[0].value = (cors_str){near, (size_t)snprintf(near, sizeof(near), "%.*sx", (int)o[i].len, o[i].ptr)};
        answer(p, "GET", h, 1, &a, e);
        assert_int_equal(a.allowed, 0);
    }
    free(mem);
}

typedef struct value_row {
    const char *desc;
    const char *policy;
    const char *method;
    const char *headers[4];
    const char *name;     /* the emitted header looked at */
    const char *value;    /* its value, or NULL when it must be absent */
} value_row;

static const value_row value_rows[] = {
    {.desc = "methods: unique, case kept", .policy = "origins: *\nmethods: PUT, PUT, DELETE, put\n",
     .method = "OPTIONS", .headers = {"Origin: https://a.example", "Access-Control-Request-Method: DELETE"},
     .name = "Access-Control-Allow-Methods", .value = "DELETE"},
    {.desc = "lowercase put does not allow PUT", .policy = "origins: *\nmethods: put\n", .method = "OPTIONS",
     .headers = {"Origin: https://a.example", "Access-Control-Request-Method: PUT"},
     .name = "Access-Control-Allow-Methods", .value = NULL},
    {.desc = "request headers: lowercase, sorted, unique",
     .policy = "origins: *\nrequest-headers: X-Trace, x-trace, Content-Type, A\n", .method = "OPTIONS",
     .headers = {"Origin: https://a.example", "Access-Control-Request-Method: POST",
                 "Access-Control-Request-Headers: a", "Access-Control-Request-Headers: X-TRACE"},
     .name = "Access-Control-Allow-Headers", .value = "a,content-type,x-trace"},
    {.desc = "exposed headers: lowercase, sorted, unique",
     .policy = "origins: *\nexpose-headers: X-Request-Id, X-A, x-a\n", .method = "GET",
     .headers = {"Origin: https://a.example"}, .name = "Access-Control-Expose-Headers", .value = "x-a,x-request-id"},
    {.desc = "exposed '*'", .policy = "origins: *\nexpose-headers: X-A, *\n", .method = "GET",
     .headers = {"Origin: https://a.example"}, .name = "Access-Control-Expose-Headers", .value = "*"},
    {.desc = "no max age: no header", .policy = "origins: *\n", .method = "OPTIONS",
     .headers = {"Origin: https://a.example", "Access-Control-Request-Method: GET"},
     .name = "Access-Control-Max-Age", .value = NULL},
    {.desc = "max age 86400", .policy = "origins: *\nmax-age: 86400\n", .method = "OPTIONS",
     .headers = {"Origin: https://a.example", "Access-Control-Request-Method: GET"},
     .name = "Access-Control-Max-Age", .value = "86400"},
    {.desc = "origin duplicates", .policy = "origins: https://a.example https://a.example https://b.example\n",
     .method = "GET", .headers = {"Origin: https://b.example"}, .name = "Access-Control-Allow-Origin",
     .value = "https://b.example"},
    {.desc = "'*' wins over the list", .policy = "origins: https://a.example, *\n", .method = "GET",
     .headers = {"Origin: https://b.example"}, .name = "Access-Control-Allow-Origin", .value = "*"},
};

static void test_values(void **state)
{
    (void)state;
    for (size_t r = 0; r < COUNT(value_rows); r++) {
        const value_row *row = &value_rows[r];
        static compiled c;
        cors_header h[4];
        cors_emitted_header e[8];
        cors_answer a;
        const cors_emitted_header *found = NULL;
        size_t n = header_list(row->headers, h, 4), k;
        compile_text(&c, row->policy);
        k = answer(c.policy, row->method, h, n, &a, e);
        for (size_t i = 0; i < k; i++)
            if (e[i].name.len == strlen(row->name) && memcmp(e[i].name.ptr, row->name, e[i].name.len) == 0)
                found = &e[i];
        if (row->value == NULL && found != NULL)
            fail_msg("%s: %s present", row->desc, row->name);
        if (row->value != NULL && found == NULL)
            fail_msg("%s: %s absent", row->desc, row->name);
        if (row->value != NULL)
            assert_str(found->value, row->value);
        compiled_free(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_memory),
        cmocka_unit_test(test_invalid_configs),
        cmocka_unit_test(test_position_independent),
        cmocka_unit_test(test_many_origins),
        cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
