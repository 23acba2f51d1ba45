/* SPDX-License-Identifier: MIT */
/*
 * test_pattern.c - lib/pattern.c and lib/psl.c: origin patterns as a server
 * lists them, whether one is insecure, whether a subdomain pattern covers a
 * public suffix. The parse rows port jub0bs/cors internal/origins
 * pattern_test.go (TestParsePattern, TestIsDeemedInsecure,
 * TestHostIsEffectiveTLD) as facts: same inputs, same accept/refuse, with
 * libcors's issue code and the offending byte. Every input is also parsed at
 * the end of a guard page, so an over-read crashes.
 */
#define _DEFAULT_SOURCE

#include "test_util.h"

#include "server.h"

#define OK 0
#define INVALID CORS_ISSUE_ORIGIN_INVALID
#define NOT_SERIALIZED CORS_ISSUE_ORIGIN_NOT_SERIALIZED

/* A host of 251 bytes made of valid labels (jub0bs validHostOf251chars). */
#define H251                                                                                                   \
    "a2345678901234567890123456789012345678901234567890"                                                     \
    "1234567890.a2345678901234567890123456789012345678901234567890"                                          \
    "1234567890.a2345678901234567890123456789012345678901234567890"                                          \
    "1234567890.a2345678901234567890123456789012345678901234567890"                                          \
    "1234567890.a234567"
#define S64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

typedef struct parse_row {
    const char *desc;
    const char *input;
    int32_t issue;        /* OK or the issue */
    size_t offset;        /* the offending byte */
    const char *scheme, *host;
    int32_t port;
    bool subdomains;
    int host_kind;
} parse_row;

static const parse_row parse_rows[] = {
    {.desc = "wildcard sequence followed by 252 chars", .input = "https://*.a" H251, .issue = INVALID, .offset = 261},
    {.desc = "wildcard sequence followed by 251 chars", .input = "https://*." H251, .scheme = "https", .host = H251,
     .port = PORT_DEFAULT, .subdomains = true},
    {.desc = "too long by 1", .input = S64 "://*.a" H251 ":65535", .issue = INVALID, .offset = PATTERN_MAX},
    {.desc = "maximum length and maximum port", .input = S64 "://*." H251 ":65535", .scheme = S64, .host = H251,
     .port = 65535, .subdomains = true},
    {.desc = "null origin", .input = "null", .issue = CORS_ISSUE_ORIGIN_NULL},
    {.desc = "userinfo", .input = "https://user:password@example.com:6060", .issue = INVALID, .offset = 13},
    {.desc = "path", .input = "https://example.com:6060/foo", .issue = INVALID, .offset = 24},
    {.desc = "empty querystring", .input = "https://example.com:6060?", .issue = INVALID, .offset = 24},
    {.desc = "querystring", .input = "https://example.com:6060?foo=bar", .issue = INVALID, .offset = 24},
    {.desc = "fragment", .input = "https://example.com:6060#nav", .issue = INVALID, .offset = 24},
    {.desc = "short input without scheme-host delimiter", .input = "ab", .issue = INVALID, .offset = 2},
    {.desc = "short input with colon but without double slash", .input = "ab:", .issue = INVALID, .offset = 2},
    {.desc = "whitespace", .input = " http://example.com:6060 ", .issue = INVALID, .offset = 0},
    {.desc = "non-HTTP scheme", .input = "connector://foo", .scheme = "connector", .host = "foo", .port = PORT_DEFAULT},
    {.desc = "'a' scheme", .input = "a://example.com", .scheme = "a", .host = "example.com", .port = PORT_DEFAULT},
    {.desc = "'z' scheme", .input = "z://example.com", .scheme = "z", .host = "example.com", .port = PORT_DEFAULT},
    {.desc = "file scheme", .input = "file:///foo", .issue = CORS_ISSUE_ORIGIN_FILE},
    {.desc = "file scheme with domain", .input = "file://example.com", .issue = CORS_ISSUE_ORIGIN_FILE},
    {.desc = "invalid first char in scheme", .input = "42-chrome-extension://foo", .issue = INVALID},
    {.desc = "invalid later char in scheme", .input = "chrome-extension*://foo", .issue = INVALID, .offset = 16},
    {.desc = "http with explicit port 80", .input = "http://foo:80", .issue = NOT_SERIALIZED, .offset = 10},
    {.desc = "https with explicit port 443", .input = "https://foo:443", .issue = NOT_SERIALIZED, .offset = 11},
    {.desc = "invalid host char", .input = "https://^foo", .issue = INVALID, .offset = 8},
    {.desc = "single-digit host", .input = "http://1:6060", .issue = INVALID, .offset = 7},
    {.desc = "host containing non-ASCII chars", .input = "https://r\xc3\xa9sum\xc3\xa9.com", .issue = NOT_SERIALIZED,
     .offset = 9},
    {.desc = "invalid host char after label sep", .input = "https://foo.^bar", .issue = INVALID, .offset = 12},
    {.desc = "domain with colon but no port", .input = "https://foo:", .issue = INVALID, .offset = 12},
    {.desc = "domain with negative port", .input = "https://foo:-1", .issue = INVALID, .offset = 12},
    {.desc = "domain with 0 port", .input = "https://foo:0", .issue = INVALID, .offset = 12},
    {.desc = "non-numeric port", .input = "https://foo:abc", .issue = INVALID, .offset = 12},
    {.desc = "leading zero in port", .input = "https://foo:06060", .issue = INVALID, .offset = 12},
    {.desc = "5-digit port followed by junk", .input = "https://foo:12345foo", .issue = INVALID, .offset = 17},
    {.desc = "port longer than five digits", .input = "https://foo:123456", .issue = INVALID, .offset = 17},
    {.desc = "overflow port", .input = "https://foo:65536", .issue = INVALID, .offset = 12},
    {.desc = "valid port followed by junk", .input = "https://foo:12390abc", .issue = INVALID, .offset = 17},
    {.desc = "invalid TLD", .input = "http://foo.bar.255:6060", .issue = INVALID, .offset = 7},
    {.desc = "longer invalid TLD", .input = "http://foo.bar.baz.012345678901234567890123456789:6060", .issue = INVALID,
     .offset = 7},
    {.desc = "invalid IP address", .input = "http://[::1]1:6060", .issue = INVALID, .offset = 12},
    {.desc = "IP host with colon but no port", .input = "http://127.0.0.1:", .issue = INVALID, .offset = 17},
    {.desc = "IP with negative port", .input = "http://127.0.0.1:-1", .issue = INVALID, .offset = 17},
    {.desc = "IP with 0 port", .input = "http://127.0.0.1:0", .issue = INVALID, .offset = 17},
    {.desc = "https scheme with IPv4 host", .input = "https://127.0.0.1:90", .scheme = "https", .host = "127.0.0.1",
     .port = 90, .host_kind = HOST_LOOPBACK},
    {.desc = "IPv4 host with trailing full stop", .input = "https://127.0.0.1.:90", .issue = INVALID, .offset = 8},
    {.desc = "malformed IPv4 with one too many octets", .input = "http://127.0.0.1.1", .issue = INVALID, .offset = 7},
    {.desc = "non-loopback IPv4", .input = "http://69.254.169.254", .scheme = "http", .host = "69.254.169.254",
     .port = PORT_DEFAULT, .host_kind = HOST_IP},
    {.desc = "loopback IPv4", .input = "http://127.0.0.1:90", .scheme = "http", .host = "127.0.0.1", .port = 90,
     .host_kind = HOST_LOOPBACK},
    {.desc = "https scheme with IPv6 host", .input = "https://[::1]:90", .scheme = "https", .host = "[::1]",
     .port = 90, .host_kind = HOST_LOOPBACK},
    {.desc = "junk in brackets", .input = "http://[example]:90", .issue = INVALID, .offset = 8},
    {.desc = "no brackets around IPv6", .input = "https://::1:90", .issue = INVALID, .offset = 8},
    {.desc = "missing closing bracket in IPv6", .input = "http://[::1:90", .issue = INVALID, .offset = 14},
    {.desc = "missing opening bracket in IPv6", .input = "https://::1]:90", .issue = INVALID, .offset = 8},
    {.desc = "IPv6 preceded by junk", .input = "https://abc[::1]:90", .issue = INVALID, .offset = 11},
    {.desc = "IPv6 followed by junk", .input = "https://[::1]abc:90", .issue = INVALID, .offset = 13},
    {.desc = "non-loopback IPv6 with hexadecimal chars", .input = "http://[2001:db8:aaaa:1111::100]:9090",
     .scheme = "http", .host = "[2001:db8:aaaa:1111::100]", .port = 9090, .host_kind = HOST_IP},
    {.desc = "loopback IPv6 address with port", .input = "http://[::1]:90", .scheme = "http", .host = "[::1]",
     .port = 90, .host_kind = HOST_LOOPBACK},
    {.desc = "loopback IPv4 in non-standard form", .input = "http://127.1:3999", .issue = INVALID, .offset = 7},
    {.desc = "too many colons in IPv6", .input = "http://[::::::::::::::::1]:90", .issue = INVALID, .offset = 8},
    {.desc = "uncompressed IPv6", .input = "http://[2001:4860:4860:0000:0000:0000:0000:8888]:90",
     .issue = NOT_SERIALIZED, .offset = 8},
    {.desc = "IPv6 with a zone", .input = "http://[fe80::1ff:fe23:4567:890a%eth2]:90", .issue = INVALID, .offset = 8},
    {.desc = "IPv4-mapped IPv6", .input = "http://[::ffff:7f7f:7f7f]:90", .issue = NOT_SERIALIZED, .offset = 8},
    {.desc = "host contains uppercase letters", .input = "http://exAmplE.coM:3999", .issue = NOT_SERIALIZED,
     .offset = 9},
    {.desc = "host contains underscores and hyphens", .input = "http://ex_am-ple.com:3999", .scheme = "http",
     .host = "ex_am-ple.com", .port = 3999},
    {.desc = "trailing full stop in host", .input = "http://example.com.:3999", .scheme = "http",
     .host = "example.com.", .port = 3999},
    {.desc = "multiple trailing full stops in host", .input = "http://example.com..:3999", .issue = INVALID,
     .offset = 19},
    {.desc = "empty label", .input = "http://example..com:3999", .issue = INVALID, .offset = 15},
    {.desc = "host contains invalid Punycode label", .input = "http://xn--f", .issue = INVALID, .offset = 7},
    {.desc = "arbitrary subdomains", .input = "http://*.example.com:3999", .scheme = "http", .host = "example.com",
     .port = 3999, .subdomains = true},
    {.desc = "arbitrary subdomains and arbitrary ports", .input = "http://*.example.com:*", .scheme = "http",
     .host = "example.com", .port = PORT_ANY, .subdomains = true},
    {.desc = "leading double asterisk", .input = "http://**.example.com:3999", .issue = INVALID, .offset = 7},
    {.desc = "out-of-place wildcard", .input = "http://fooo.*.example.com:3999", .issue = INVALID, .offset = 12},
    {.desc = "wildcard not followed by a full stop", .input = "http://*example.com:3999", .issue = INVALID,
     .offset = 7},
    {.desc = "wildcard sequence with IPv6", .input = "http://*.[::1]:3999", .issue = INVALID, .offset = 9},
    {.desc = "wildcard sequence with IPv4", .input = "http://*.127.0.0.1:3999", .issue = INVALID, .offset = 9},
    /* libcors's own rows */
    {.desc = "any origin", .input = "*"},
    {.desc = "uppercase scheme", .input = "HTTPS://example.com", .issue = NOT_SERIALIZED, .offset = 0},
    {.desc = "port wildcard alone", .input = "http://localhost:*", .scheme = "http", .host = "localhost",
     .port = PORT_ANY},
    {.desc = "valid A-label", .input = "https://xn--bcher-kva.example", .scheme = "https",
     .host = "xn--bcher-kva.example", .port = PORT_DEFAULT},
    {.desc = "A-label that decodes to ASCII only", .input = "https://xn--abc-.example", .issue = INVALID,
     .offset = 8},
    {.desc = "label of 64 bytes", .input = "https://" S64 ".example", .issue = INVALID, .offset = 8 + 63},
    {.desc = "trailing slash", .input = "https://app.example/", .issue = INVALID, .offset = 19},
    {.desc = "empty", .input = "", .issue = INVALID, .offset = 0},
    {.desc = "empty host", .input = "https://", .issue = INVALID, .offset = 8},
    {.desc = "IPv6 not lowercase", .input = "http://[::ABCD]", .issue = NOT_SERIALIZED, .offset = 8},
    {.desc = "IPv6 zero run compressed late", .input = "http://[1::2:0:0:0:3]", .issue = NOT_SERIALIZED, .offset = 8},
    {.desc = "IPv6 first longest run", .input = "http://[1::2:0:0:3]", .scheme = "http", .host = "[1::2:0:0:3]",
     .port = PORT_DEFAULT, .host_kind = HOST_IP},
    {.desc = "IPv4 with a leading zero", .input = "http://127.000.0.1", .issue = INVALID, .offset = 7},
    {.desc = "IPv4 octet over 255", .input = "http://10.0.0.256", .issue = INVALID, .offset = 7},
    {.desc = "ws keeps its default port", .input = "ws://example.com:80", .scheme = "ws", .host = "example.com",
     .port = 80},
};

static void test_parse_rows(void **state)
{
    int failures = 0;
    (void)state;
    for (size_t i = 0; i < COUNT(parse_rows); i++) {
        const parse_row *row = &parse_rows[i];
        cors__pattern_info p;
        bool ok = cors__pattern_parse(str_z(row->input), &p);
        if (ok != (row->issue == OK) || p.issue != row->issue || (!ok && p.offset != row->offset)) {
            print_message("  %s (%s): issue %d at %zu, expected %d at %zu\n", row->desc, row->input, p.issue,
                          p.offset, row->issue, row->offset);
            failures++;
            continue;
        }
        if (!ok || row->scheme == NULL)
            continue;
        assert_str(p.scheme, row->scheme);
        assert_str(p.host, row->host);
        if (p.port != row->port || p.subdomains != row->subdomains || p.host_kind != row->host_kind)
            fail_msg("%s: port %d subdomains %d kind %d", row->desc, p.port, p.subdomains, p.host_kind);
    }
    assert_int_equal(failures, 0);
}

/* Each input at the end of a readable page: an over-read faults. */
static void test_parse_reads_only_the_input(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(parse_rows); i++) {
        size_t n = strlen(parse_rows[i].input);
        for (size_t k = 0; k <= n; k++) {
            cors__pattern_info p;
            const char *at = guard_place(&g, parse_rows[i].input, k);
            bool ok = cors__pattern_parse((cors_str){at, k}, &p);
            if (k == n)
                assert_int_equal(ok ? OK : p.issue, parse_rows[i].issue);
            else
                assert_true(ok || p.offset <= k || p.offset == PATTERN_MAX);
        }
    }
    guard_free(&g);
}

typedef struct flag_row {
    const char *pattern;
    bool want;
} flag_row;

/* jub0bs TestIsDeemedInsecure */
static const flag_row insecure_rows[] = {
    {"https://example.com", false},          {"https://*.example.com", false},
    {"http://example.com", true},            {"http://*.example.com", true},
    {"https://localhost", false},            {"http://localhost", false},
    {"https://*.localhost", false},          {"http://*.localhost", false},
    {"https://foo.localhost", false},        {"http://foo.localhost", false},
    {"https://foo.bar.baz.localhost", false}, {"http://foo.bar.baz.localhost", false},
    {"http://alocalhost", true},             {"http://*.alocalhost", true},
    {"http://foo.alocalhost", true},         {"http://foo.bar.baz.alocalhost", true},
    {"http://localhosta", true},             {"http://*.localhosta", true},
    {"http://foo.localhosta", true},         {"http://foo.bar.baz.localhosta", true},
    {"https://localhost.", false},           {"http://localhost.", false},
    {"https://*.localhost.", false},         {"http://*.localhost.", false},
    {"https://foo.localhost.", false},       {"http://foo.localhost.", false},
    {"https://foo.bar.baz.localhost.", false}, {"http://foo.bar.baz.localhost.", false},
    {"http://alocalhost.", true},            {"http://*.alocalhost.", true},
    {"http://foo.alocalhost.", true},        {"http://foo.bar.baz.alocalhost.", true},
    {"http://localhosta.", true},            {"http://*.localhosta.", true},
    {"http://foo.localhosta.", true},        {"http://foo.bar.baz.localhosta.", true},
    {"http://127.0.0.1", false},             {"http://127.127.127.127", false},
    {"http://169.254.169.254:90", true},     {"http://[::1]:90", false},
    {"http://[2001:db8:aaaa:1111::100]:9090", true},
};

static void test_insecure(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(insecure_rows); i++) {
        cors__pattern_info p;
        assert_true(cors__pattern_parse(str_z(insecure_rows[i].pattern), &p));
        if (cors__pattern_is_insecure(&p) != insecure_rows[i].want)
            fail_msg("%s: insecure %d", insecure_rows[i].pattern, !insecure_rows[i].want);
    }
}

/* jub0bs TestHostIsEffectiveTLD, and the list's own shapes: wildcard and exception rules, A-labels. */
static const flag_row public_suffix_rows[] = {
    {"https://*.com", true},
    {"https://*.github.io", true},
    {"https://*.example.com", false},
    {"https://*.co.uk", true},
    {"https://*.bbc.co.uk", false},
    {"https://*.foo.ck", true},          /* *.ck */
    {"https://*.www.ck", false},         /* !www.ck */
    {"https://*.xn--55qx5d.cn", true},   /* a Unicode rule, as its A-label */
    {"https://*.example", true},         /* no rule: the implicit "*" */
    {"https://*.com.", true},            /* an absolute name has the same suffix */
    {"https://example.com", false},      /* not a subdomain pattern */
};

static void test_public_suffix(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(public_suffix_rows); i++) {
        cors__pattern_info p;
        assert_true(cors__pattern_parse(str_z(public_suffix_rows[i].pattern), &p));
        if (cors__pattern_covers_public_suffix(&p) != public_suffix_rows[i].want)
            fail_msg("%s: public suffix %d", public_suffix_rows[i].pattern, !public_suffix_rows[i].want);
    }
}

static void test_psl_table(void **state)
{
    (void)state;
    /* the pinned list, and the table's order (binary search depends on it) */
    assert_string_equal(cors__psl.version, "20230209.2326-1");
    assert_int_equal(cors__psl.exceptions, 8);
    assert_true(cors__psl.normal > 9000);
    for (uint32_t r = 1; r < cors__psl.exceptions + cors__psl.normal + cors__psl.wildcards; r++) {
        cors_str a = {cors__psl.text + cors__psl.offset[r - 1], cors__psl.offset[r] - cors__psl.offset[r - 1]};
        cors_str b = {cors__psl.text + cors__psl.offset[r], cors__psl.offset[r + 1] - cors__psl.offset[r]};
        if (r != cors__psl.exceptions && r != cors__psl.exceptions + cors__psl.normal)
            assert_true(cors__compare_bytes(a, b) < 0);
    }
    assert_true(cors__psl_is_public_suffix(CORS_LIT("io")));
    assert_true(cors__psl_is_public_suffix(CORS_LIT("github.io")));
    assert_false(cors__psl_is_public_suffix(CORS_LIT("jub0bs.github.io")));
    assert_true(cors__psl_is_public_suffix(CORS_LIT("city.kobe.jp")) == false); /* !city.kobe.jp */
    assert_true(cors__psl_is_public_suffix(CORS_LIT("x.kobe.jp")));             /* *.kobe.jp */
    assert_false(cors__psl_is_public_suffix(CORS_LIT("")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rows),
        cmocka_unit_test(test_parse_reads_only_the_input),
        cmocka_unit_test(test_insecure),
        cmocka_unit_test(test_public_suffix),
        cmocka_unit_test(test_psl_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
