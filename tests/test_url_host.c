/* SPDX-License-Identifier: MIT */
/*
 * test_url_host.c - lib/url_host.c: hosts of special URLs as the URL standard
 * and Chromium's GURL read them. cors__host_is_valid (forbidden code points,
 * percent-decoding, IPv4 numbers in every radix, IPv6 pieces, the IDNA checks)
 * and cors__host_canonical (percent-decoded, ASCII lowercase, IPv4 in dotted
 * decimal, IPv6 compressed as the URL standard serializes it), the
 * too-small-buffer contract, cors__ipv6_is_valid, the opaque-host bytes, and
 * every host against a PROT_NONE page. The URL around the host is url.c's
 * (test_url) and url_resolve.c's (test_url_resolve).
 */
#define _DEFAULT_SOURCE

#include <stdbool.h>
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

typedef struct host_row {
    const char *host;
    bool valid;
    const char *canonical;  /* NULL: the host itself */
} host_row;

static const host_row rows[] = {
    /* domains */
    {.host = "a.example", .valid = true},
    {.host = "A.EXAMPLE", .valid = true, .canonical = "a.example"},
    {.host = "a.example.", .valid = true},
    {.host = "xn--nxasmq6b.example", .valid = true},
    {.host = "a-b_c.example", .valid = true},
    {.host = "%41.example", .valid = true, .canonical = "a.example"},
    {.host = "a%2eexample", .valid = true, .canonical = "a.example"},
    {.host = "a%20b", .valid = true, .canonical = "a b"}, /* Chromium 156 keeps a decoded space */
    {.host = "a b", .valid = false},
    {.host = "a%2fb", .valid = false},
    {.host = "a%23b", .valid = false},
    {.host = "a%zzb", .valid = false},
    {.host = "a%4", .valid = false},
    {.host = "a%", .valid = false},
    {.host = "", .valid = false},
    {.host = "a<b", .valid = false},
    {.host = "a^b", .valid = false},
    {.host = "a|b", .valid = false},
    {.host = "a@b", .valid = false},
    {.host = "a:b", .valid = false},
    {.host = "a\\b", .valid = false},
    {.host = "a\x7f" "b", .valid = false},
    {.host = "a\x01" "b", .valid = false},
    /* IPv4: decimal, octal, hex parts, fewer parts, canonical dotted decimal */
    {.host = "127.0.0.1", .valid = true},
    {.host = "0x7f.1", .valid = true, .canonical = "127.0.0.1"},
    {.host = "0177.0.0.1", .valid = true, .canonical = "127.0.0.1"},
    {.host = "2130706433", .valid = true, .canonical = "127.0.0.1"},
    {.host = "0x7F000001", .valid = true, .canonical = "127.0.0.1"},
    {.host = "127.1", .valid = true, .canonical = "127.0.0.1"},
    {.host = "1.2.3", .valid = true, .canonical = "1.2.0.3"},
    {.host = "255.255.255.255", .valid = true},
    {.host = "0xffffffff", .valid = true, .canonical = "255.255.255.255"},
    {.host = "1.2.3.4.", .valid = true, .canonical = "1.2.3.4"},
    {.host = "256.0.0.1", .valid = false},
    {.host = "1.2.3.256", .valid = false},
    {.host = "4294967296", .valid = false},
    {.host = "1.2.65536", .valid = false},
    {.host = "1.2.3.4.5", .valid = false},
    {.host = "1.2.3.09", .valid = false},
    {.host = "0x", .valid = true, .canonical = "0.0.0.0"},
    {.host = "1.2.3.a", .valid = true}, /* the last label is no number: a domain */
    {.host = "1.2.3.0x", .valid = true, .canonical = "1.2.3.0"}, /* it is one: IPv4 */
    {.host = "a.0x1g", .valid = true},
    {.host = "a.1", .valid = false},
    {.host = "1.a", .valid = true},
    {.host = "%31%32%37.0.0.1", .valid = true, .canonical = "127.0.0.1"},
    /* IPv6 */
    {.host = "[::1]", .valid = true},
    {.host = "[0:0:0:0:0:0:0:1]", .valid = true, .canonical = "[::1]"},
    {.host = "[::]", .valid = true},
    {.host = "[1::]", .valid = true},
    {.host = "[1:0:0:2:0:0:0:3]", .valid = true, .canonical = "[1:0:0:2::3]"},
    {.host = "[1:0:0:2:0:0:3:4]", .valid = true, .canonical = "[1::2:0:0:3:4]"},
    {.host = "[1:0:2:3:4:5:6:7]", .valid = true},
    {.host = "[2001:DB8::A]", .valid = true, .canonical = "[2001:db8::a]"},
    {.host = "[0001:0db8::]", .valid = true, .canonical = "[1:db8::]"},
    {.host = "[::ffff:1.2.3.4]", .valid = true, .canonical = "[::ffff:102:304]"},
    {.host = "[::1", .valid = false},
    {.host = "[]", .valid = false},
    {.host = "[:::]", .valid = false},
    {.host = "[1::2::3]", .valid = false},
    {.host = "[12345::]", .valid = false},
    {.host = "[1:2:3:4:5:6:7:8:9]", .valid = false},
    {.host = "[1:2:3:4:5:6:7]", .valid = false},
    {.host = "[::1.2.3]", .valid = false},
    {.host = "[::1.2.3.256]", .valid = false},
    {.host = "[g::]", .valid = false},
    {.host = "[::1]x", .valid = false},
};

static void check_row(const host_row *row, const char *p, size_t n)
{
    char out[300];
    const char *want = row->canonical ? row->canonical : row->host;
    size_t len;
    if (cors__host_is_valid(p, n) != row->valid)
        fail_msg("'%s': valid %d, want %d", row->host, !row->valid, row->valid);
    if (!row->valid)
        return;
    memset(out, 0xab, sizeof(out));
    len = cors__host_canonical(p, n, out, sizeof(out));
    if (len != strlen(want) || memcmp(out, want, len) != 0)
        fail_msg("'%s': canonical '%.*s', want '%s'", row->host, (int)(len < sizeof(out) ? len : 0), out, want);
    assert_int_equal((unsigned char)out[len], 0xab); /* nothing written past the length */
    /* the canonical text is its own canonical text */
    {
        char again[300];
        assert_int_equal(cors__host_canonical(out, len, again, sizeof(again)), len);
        assert_memory_equal(again, out, len);
        assert_true(cors__host_is_valid(out, len) || strchr(want, ' ') != NULL);
    }
}

static void test_hosts(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        check_row(&rows[i], rows[i].host, strlen(rows[i].host));
}

static void test_guard_page(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(rows); i++) {
        size_t n = strlen(rows[i].host);
        char out[300];
        check_row(&rows[i], guard_place(&g, rows[i].host, n), n);
        for (size_t k = 0; k < n; k++) {
            const char *p = guard_place(&g, rows[i].host, k);
            if (cors__host_is_valid(p, k))
                (void)cors__host_canonical(p, k, out, sizeof(out));
        }
    }
    guard_free(&g);
}

/* A buffer too small: at most cap bytes written, the full length returned. */
static void test_small_buffer(void **state)
{
    static const char *const hosts[] = {"A.EXAMPLE", "0x7f.1", "[1:0:0:2:0:0:0:3]"};
    (void)state;
    for (size_t i = 0; i < COUNT(hosts); i++) {
        char whole[64], out[64];
        size_t n = cors__host_canonical(hosts[i], strlen(hosts[i]), whole, sizeof(whole));
        for (size_t cap = 0; cap <= n; cap++) {
            memset(out, 0xab, sizeof(out));
            assert_int_equal(cors__host_canonical(hosts[i], strlen(hosts[i]), out, cap), n);
            assert_memory_equal(out, whole, cap);
            assert_int_equal((unsigned char)out[cap], 0xab);
        }
    }
}

/* Hosts past 256 bytes: the text is cut, the length is the whole. */
static void test_long_host(void **state)
{
    static char host[600], out[256];
    (void)state;
    for (size_t i = 0; i < 590; i++)
        host[i] = i % 10 == 9 ? '.' : 'A';
    assert_true(cors__host_is_valid(host, 590));
    assert_int_equal(cors__host_canonical(host, 590, out, sizeof(out)), 590);
    assert_int_equal(out[0], 'a');
    assert_int_equal(out[255], host[255] == '.' ? '.' : 'a');
}

static void test_ipv6_and_opaque_bytes(void **state)
{
    static const char forbidden_opaque[] = {0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[',
                                            '\\', ']', '^', '|'};
    (void)state;
    assert_true(cors__ipv6_is_valid("::1", 3));
    assert_true(cors__ipv6_is_valid("1:2:3:4:5:6:7:8", 15));
    assert_false(cors__ipv6_is_valid("", 0));
    assert_false(cors__ipv6_is_valid("1:2", 3));
    for (size_t i = 0; i < COUNT(forbidden_opaque); i++)
        assert_true(cors__is_forbidden_opaque_host_byte((unsigned char)forbidden_opaque[i]));
    /* the URL standard's list: '%' is allowed in an opaque host, letters and digits too */
    assert_false(cors__is_forbidden_opaque_host_byte('%'));
    assert_false(cors__is_forbidden_opaque_host_byte('a'));
    assert_false(cors__is_forbidden_opaque_host_byte('0'));
    assert_false(cors__is_forbidden_opaque_host_byte('.'));
    assert_false(cors__is_forbidden_opaque_host_byte(0x80));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_guard_page),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_long_host),
        cmocka_unit_test(test_ipv6_and_opaque_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
