/* SPDX-License-Identifier: MIT */
/*
 * test_match.c - lib/match.c: a request against a compiled policy's sets,
 * called directly. The Origin against subdomain and port patterns (labels
 * from the end, ports as browsers serialize them, no default port, no
 * leading zero) and under reflect (every serialized origin but null), with
 * cors__origin_allowed's exact set and '*' beside them (a few origins
 * compared, many found through the hash index, with near misses at every
 * byte); the names of
 * Access-Control-Request-Headers over one or several lines, in any case,
 * '*' with and without credentials and Authorization; every origin against
 * a PROT_NONE page, and server.h's word compares at every length to 40.
 * What the answer sends for each is test_answer's.
 */
#define _DEFAULT_SOURCE

#include "server.h"
#include "test_policy_util.h"

#include <stdio.h>

typedef struct origin_row {
    const char *origin;
    bool allowed;
} origin_row;

typedef struct origin_policy {
    const char *policy;
    origin_row rows[32];
} origin_policy;

static const origin_policy policies[] = {
    {.policy = "origins: https://app.example, https://*.example.com, http://localhost:*\n",
     .rows = {{.origin = "https://app.example", .allowed = true},
              {.origin = "https://a.example.com", .allowed = true},
              {.origin = "https://a.b.example.com", .allowed = true},
              {.origin = "https://A.example.com", .allowed = false}, /* browsers serialize lowercase */
              {.origin = "https://example.com", .allowed = false},
              {.origin = "https://.example.com", .allowed = false},
              {.origin = "https://a..example.com", .allowed = false},
              {.origin = "https://aexample.com", .allowed = false},
              {.origin = "https://a.example.com.evil", .allowed = false},
              {.origin = "http://a.example.com", .allowed = false},
              {.origin = "https://a.example.com:443", .allowed = false},
              {.origin = "https://a.example.com:8443", .allowed = false},
              {.origin = "https://a.example.com/", .allowed = false},
              {.origin = "http://localhost:8080", .allowed = true},
              {.origin = "http://localhost:1", .allowed = true},
              {.origin = "http://localhost:65535", .allowed = true},
              {.origin = "http://localhost:65536", .allowed = false},
              {.origin = "http://localhost:080", .allowed = false},
              {.origin = "http://localhost:08080", .allowed = false}, /* no leading zero */
              {.origin = "http://localhost:80", .allowed = false}, /* the default port is never serialized */
              {.origin = "http://localhost", .allowed = true},
              {.origin = "http://localhost:", .allowed = false},
              {.origin = "https://localhost:8080", .allowed = false},
              {.origin = "null", .allowed = false},
              {.origin = "", .allowed = false}}},
    {.policy = "origins: https://*.example.com:*\n",
     .rows = {{.origin = "https://a.example.com:8443", .allowed = true},
              {.origin = "https://a.example.com", .allowed = true},
              {.origin = "https://a.example.com:443", .allowed = false},
              {.origin = "https://[::1]:8443", .allowed = false},
              {.origin = "https://a.example.com:x", .allowed = false}}},
    {.policy = "reflect-any-origin: yes\n",
     .rows = {{.origin = "https://anything.example", .allowed = true},
              {.origin = "http://localhost:3000", .allowed = true},
              {.origin = "https://[::1]", .allowed = true},
              {.origin = "null", .allowed = false},
              {.origin = "https://app.example/", .allowed = false},
              {.origin = "https://APP.example", .allowed = false},
              {.origin = "app.example", .allowed = false},
              {.origin = "", .allowed = false}}},
    {.policy = "origins: *\n",
     .rows = {{.origin = "https://anything.example", .allowed = true}, {.origin = "null", .allowed = true}}},
};

static void test_origins(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(policies); i++) {
        compiled c;
        compile_text(&c, policies[i].policy);
        for (size_t k = 0; k < COUNT(policies[i].rows) && policies[i].rows[k].origin != NULL; k++) {
            const origin_row *row = &policies[i].rows[k];
            size_t n = strlen(row->origin);
            cors_str o = {guard_place(&g, row->origin, n), n};
            if (cors__origin_allowed(c.policy, o) != row->allowed)
                fail_msg("%s'%s': allowed %d", policies[i].policy, row->origin, !row->allowed);
        }
        compiled_free(&c);
    }
    guard_free(&g);
}

typedef struct acrh_row {
    const char *policy;
    const char *lines[3];   /* Access-Control-Request-Headers values, one line each */
    bool allowed;
} acrh_row;

#define STD "origins: https://app.example\n"
#define CRED "origins: https://app.example\ncredentials: yes\n"

static const acrh_row acrh_rows[] = {
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-a"}, .allowed = true},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"X-B"}, .allowed = true},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-b,x-a"}, .allowed = true},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {" x-a , , x-b "}, .allowed = true},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-a", "x-b"}, .allowed = true},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-a", "x-c"}},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-a, x-c"}},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-"}},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {"x-aa"}},
    {.policy = STD "request-headers: X-A, X-B\n", .lines = {""}, .allowed = true},
    {.policy = STD "request-headers: X-A\n", .lines = {"x-a-very-long-name-longer-than-any-listed"}},
    {.policy = STD "request-headers: *\n", .lines = {"x-anything, y"}, .allowed = true},
    {.policy = STD "request-headers: *\n", .lines = {"x-a, authorization"}},
    {.policy = STD "request-headers: *, Authorization\n", .lines = {"x-a, authorization"}, .allowed = true},
    {.policy = CRED "request-headers: *\n", .lines = {"x-a, authorization"}, .allowed = true},
    {.policy = CRED "request-headers: *\n", .lines = {"x-a, a b"}},
    {.policy = STD "request-headers: Authorization\n", .lines = {"AUTHORIZATION"}, .allowed = true},
};

/* 200 exact origins (the index, not the scan): every one is found, duplicates included; one
 * changed byte anywhere, one byte more or less, is not. Lengths above 63 share a length bit. */
static void test_many_exact_origins(void **state)
{
    static char text[64 * 1024], names[200][128];
    size_t n = 0;
    compiled c;
    (void)state;
    n += (size_t)snprintf(text + n, sizeof(text) - n, "origins:");
    for (int i = 0; i < 200; i++) {
        if (i % 3 == 0)
            snprintf(names[i], sizeof(names[i]), "https://tenant-%03d.example", i);
        else if (i % 3 == 1)
            snprintf(names[i], sizeof(names[i]), "https://%03d.a-much-longer-name-for-the-bit-shared-by-long-lengths.example", i);
        else
            snprintf(names[i], sizeof(names[i]), "http://h%d.example:%d", i, 1000 + i);
        n += (size_t)snprintf(text + n, sizeof(text) - n, " %s%s", names[i], i % 50 == 0 ? ", https://tenant-000.example" : "");
        n += (size_t)snprintf(text + n, sizeof(text) - n, i < 199 ? "," : "\n");
    }
    compile_text(&c, text);
    for (int i = 0; i < 200; i++) {
        char miss[CORS_ORIGIN_MAX + 1]; /* any origin the library takes: gcc cannot bound len by the names */
        size_t len = strlen(names[i]);
        assert_true(cors__origin_allowed(c.policy, str_z(names[i])));
        for (size_t k = 0; k < len; k++) {
            memcpy(miss, names[i], len);
            miss[k] = miss[k] == 'x' ? 'y' : 'x';
            if (cors__origin_allowed(c.policy, (cors_str){miss, len}))
                fail_msg("'%.*s' (byte %zu of '%s' changed) is allowed", (int)len, miss, k, names[i]);
        }
        assert_false(cors__origin_allowed(c.policy, (cors_str){names[i], len - 1}));
        memcpy(miss, names[i], len);
        miss[len] = '1';
        assert_false(cors__origin_allowed(c.policy, (cors_str){miss, len + 1}));
    }
    compiled_free(&c);
}

static void test_request_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(acrh_rows); i++) {
        const acrh_row *row = &acrh_rows[i];
        cors_header hs[5];
        size_t n = 0, lines = 0;
        compiled c;
        compile_text(&c, row->policy);
        hs[n++] = (cors_header){STR("Origin"), STR("https://app.example")};
        for (size_t k = 0; k < COUNT(row->lines) && row->lines[k] != NULL; k++) {
            hs[n++] = (cors_header){STR("Access-Control-Request-Headers"), str_z(row->lines[k])};
            lines++;
            if (k == 0)
                hs[n++] = (cors_header){STR("X-Between"), STR("x-c")};
        }
        if (cors__match_header_lines(c.policy, hs, 1, n, lines) != row->allowed)
            fail_msg("%s%s ...: allowed %d", row->policy, row->lines[0], !row->allowed);
        compiled_free(&c);
    }
}

/* server.h's word compares and the origin hash read only [0, n) of what they compare, for every
 * length a name or an origin takes: each operand ends at a PROT_NONE page, and each answer is
 * the byte compare's. */
static void test_word_compares_stay_inside(void **state)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
    guard ga, gb, gl, gm;
    (void)state;
    guard_init(&ga, 4096);
    guard_init(&gb, 4096);
    guard_init(&gl, 4096);
    guard_init(&gm, 4096);
    for (size_t n = 0; n <= 40; n++) {
        char lower[64], mixed[64], mask[64];
        for (size_t i = 0; i < n; i++) {
            char c = alphabet[(i * 7 + n) % (sizeof(alphabet) - 1)];
            bool letter = c >= 'a' && c <= 'z';
            lower[i] = c;
            mixed[i] = letter && i % 2 ? (char)(c - 0x20) : c;
            mask[i] = letter ? 0x20 : 0;
        }
        const char *a = guard_place(&ga, lower, n), *b = guard_place(&gb, lower, n);
        const char *l = guard_place(&gl, lower, n), *m = guard_place(&gm, mask, n);
        const char *x = guard_place(&ga, mixed, n);
        assert_true(cors__same_bytes(guard_place(&ga, lower, n), b, n));
        assert_true(cors__same_origin_16_32(guard_place(&ga, lower, n), b, n));
        assert_true(cors__fold_equal(x, l, m, n));
        if (n <= CORS__SHORT_MAX) {
            assert_true(cors__same_short(guard_place(&ga, lower, n), b, n));
            assert_true(cors__fold_equal_short(x, l, m, n));
        }
        (void)cors__origin_hash(b, n);
        for (size_t i = 0; i < n; i++) { /* one byte off, anywhere: not equal */
            char other[64];
            memcpy(other, lower, n);
            other[i] = other[i] == '-' ? '_' : '-';
            a = guard_place(&ga, other, n);
            assert_false(cors__same_bytes(a, b, n));
            assert_false(cors__same_origin_16_32(a, b, n));
            assert_false(cors__fold_equal(a, l, m, n));
            if (n <= CORS__SHORT_MAX) {
                assert_false(cors__same_short(a, b, n));
                assert_false(cors__fold_equal_short(a, l, m, n));
            }
            other[i] = lower[i] == '-' ? '\r' : (char)(lower[i] ^ 0x10); /* CR never passes for '-' */
            assert_false(cors__fold_equal(guard_place(&ga, other, n), l, m, n));
        }
    }
    assert_true(cors__is_acrm_name(guard_place(&ga, "Access-Control-Request-Method", 29)));
    assert_true(cors__is_acrh_name(guard_place(&ga, "ACCESS-CONTROL-REQUEST-HEADERS", 30)));
    assert_false(cors__is_acrm_name(guard_place(&ga, "Access-Control-Request\rMethod", 29)));
    assert_false(cors__is_acrh_name(guard_place(&ga, "access-control-request-headerz", 30)));
    guard_free(&ga);
    guard_free(&gb);
    guard_free(&gl);
    guard_free(&gm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origins),
        cmocka_unit_test(test_many_exact_origins),
        cmocka_unit_test(test_request_headers),
        cmocka_unit_test(test_word_compares_stay_inside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
