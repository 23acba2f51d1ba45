/*
 * test_origin.c - lib/origin.c: cors_origin_parse on serialized origins as a
 * browser sends them (and the near misses, with the offending offset),
 * cors_origin_serialize round trips and its too-small-buffer contract, and
 * cors_origin_equal.
 */
#define _DEFAULT_SOURCE

#include "test_util.h"

typedef struct valid_case {
    const char *text;
    int32_t is_opaque;
    const char *scheme;
    const char *host;
    int32_t port;
} valid_case;

static const valid_case valid_cases[] = {
    {"https://app.example", 0, "https", "app.example", -1},
    {"http://app.example:8080", 0, "http", "app.example", 8080},
    {"http://localhost:3000", 0, "http", "localhost", 3000},
    {"https://app.example:80", 0, "https", "app.example", 80},    /* not https's default */
    {"http://app.example:443", 0, "http", "app.example", 443},    /* not http's default */
    {"ws://a.example:443", 0, "ws", "a.example", 443},
    {"ftp://a.example:2121", 0, "ftp", "a.example", 2121},
    {"http://[::1]:8080", 0, "http", "[::1]", 8080},
    {"https://[2001:db8::1]", 0, "https", "[2001:db8::1]", -1},
    {"http://[::ffff:192.0.2.1]", 0, "http", "[::ffff:192.0.2.1]", -1},
    {"http://127.0.0.1:8080", 0, "http", "127.0.0.1", 8080},
    {"http://a.example:0", 0, "http", "a.example", 0},
    {"http://a.example:65535", 0, "http", "a.example", 65535},
    {"https://xn--caf-dma.example", 0, "https", "xn--caf-dma.example", -1},
    {"http://my_host-1.example", 0, "http", "my_host-1.example", -1},
    {"https://app.example.", 0, "https", "app.example.", -1},
    {"null", 1, "", "", -1},
    /* non-special schemes: browser extensions, app shells */
    {"chrome-extension://abcdefghijklmnopabcdefghijklmnop", 0, "chrome-extension", "abcdefghijklmnopabcdefghijklmnop", -1},
    {"moz-extension://1234-abcd", 0, "moz-extension", "1234-abcd", -1},
    {"tauri://localhost", 0, "tauri", "localhost", -1},
    {"capacitor://localhost", 0, "capacitor", "localhost", -1},
    {"x+y.z-1://h:1", 0, "x+y.z-1", "h", 1},
};

static void test_parse_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(valid_cases); i++) {
        const valid_case *c = &valid_cases[i];
        size_t len = strlen(c->text);
        cors_origin o;
        cors_error err = {99, 99, 99};
        int32_t st;

        memset(&o, 0xab, sizeof(o));
        st = cors_origin_parse(c->text, len, &o, &err);
        if (st != CORS_OK)
            fail_msg("%s: %s at %zu", c->text, cors_status_name(st), err.offset);
        assert_int_equal(err.status, CORS_OK);
        assert_int_equal(o.is_opaque, c->is_opaque);
        assert_int_equal(o.port, c->port);
        if (c->is_opaque)
            continue;
        assert_str(o.scheme, c->scheme);
        assert_str(o.host, c->host);
        /* views into the input */
        assert_ptr_equal(o.scheme.ptr, c->text);
        assert_true(o.host.ptr > c->text && o.host.ptr + o.host.len <= c->text + len);
    }
}

typedef struct invalid_case {
    const char *text;
    size_t offset;
} invalid_case;

static const invalid_case invalid_cases[] = {
    {"", 0},
    {"HTTPS://app.example", 0},
    {"hTTps://app.example", 1},
    {"https://App.example", 8},
    {"https://APP.EXAMPLE", 8},
    {"https://app.Example", 12},
    {"NULL", 0},
    {"null ", 4},
    {"https://app.example/", 19},             /* trailing slash */
    {"https://app.example/path", 19},
    {"https://app.example:8080/", 24},
    {"https://app.example?", 19},
    {"https://app.example#", 19},
    {"https://app.example ", 19},
    {"https://app.example:443", 19},          /* default port, at the colon */
    {"http://app.example:80", 18},
    {"ws://a:80", 6},
    {"wss://a:443", 7},
    {"ftp://a:21", 7},
    {"http://[::1]:80", 12},
    {"http://a:08080", 9},                    /* 0-prefixed port */
    {"http://a:00", 9},
    {"http://a:65536", 9},                    /* over 65535 */
    {"http://a:99999", 9},
    {"http://a:123456", 14},                  /* sixth digit */
    {"http://a:", 9},                         /* empty port */
    {"http://a:-1", 9},
    {"http://a:+80", 9},
    {"http://a:8o", 10},
    {"https://user@app.example", 12},         /* userinfo */
    {"https://user:pw@app.example", 13},
    {"https://", 8},                          /* empty host */
    {"https://:8080", 8},
    {"file://", 7},
    {"https:app.example", 5},                 /* missing :// */
    {"https:/app.example", 5},
    {"https", 5},
    {"app.example", 11},
    {"//app.example", 0},
    {"1http://a", 0},
    {"http//a", 4},
    {"https://app%2eexample", 11},
    {"http://[::1", 11},                      /* unclosed IPv6 literal */
    {"http://[::G]", 10},
    {"http://[::A]", 10},                     /* IPv6 serializes in lowercase */
    {"http://[:1]", 8},
    {"http://[::1]x", 12},
    {"http://[::1]:", 13},
};

static void test_parse_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(invalid_cases); i++) {
        const invalid_case *c = &invalid_cases[i];
        cors_origin o;
        cors_error err = {99, 99, 99};
        int32_t st = cors_origin_parse(c->text, strlen(c->text), &o, &err);
        if (st != CORS_E_BAD_ORIGIN || err.status != CORS_E_BAD_ORIGIN || err.offset != c->offset || err.line != 0)
            fail_msg("'%s': got %s at %zu line %d, want CORS_E_BAD_ORIGIN at %zu", c->text, cors_status_name(st),
                     err.offset, (int)err.line, c->offset);
        assert_int_equal(cors_origin_parse(c->text, strlen(c->text), &o, NULL), CORS_E_BAD_ORIGIN);
    }
}

/* Regression (lib/origin.c check_ipv6): an empty IPv6 literal is accepted:
 * cors_origin_parse("http://[]") returns CORS_OK with host "[]", because
 * check_ipv6 reports "offending index 0" for n == 0, which the caller reads as
 * "all n bytes fine". Expected CORS_E_BAD_ORIGIN (offset 8, the ']'). */
static void test_parse_empty_ipv6(void **state)
{
    cors_origin o;
    cors_error err;
    (void)state;
    assert_int_equal(cors_origin_parse("http://[]", 9, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, 8);
    assert_int_equal(cors_origin_parse("http://[]:8080", 14, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, 8);
}

static void test_parse_length_bounds_the_input(void **state)
{
    static const char text[] = "https://app.example/trailing";
    cors_origin o;
    cors_error err;
    (void)state;
    /* pointer + length: the bytes after len are not part of the origin */
    assert_int_equal(cors_origin_parse(text, 19, &o, &err), CORS_OK);
    assert_str(o.host, "app.example");
    assert_int_equal(cors_origin_parse(text, 20, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, 19);
    assert_int_equal(cors_origin_parse("nullx", 4, &o, &err), CORS_OK);
    assert_int_equal(o.is_opaque, 1);
}

static void test_parse_guard_page(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    /* every prefix of every case, ending at a PROT_NONE page */
    for (size_t i = 0; i < COUNT(valid_cases) + COUNT(invalid_cases); i++) {
        const char *text = i < COUNT(valid_cases) ? valid_cases[i].text : invalid_cases[i - COUNT(valid_cases)].text;
        size_t len = strlen(text);
        for (size_t n = 0; n <= len; n++) {
            cors_origin o;
            cors_error err;
            int32_t st = cors_origin_parse(guard_place(&g, text, n), n, &o, &err);
            assert_true(st == CORS_OK || st == CORS_E_BAD_ORIGIN);
            assert_true(err.offset <= n);
            if (n == len)
                assert_int_equal(st, i < COUNT(valid_cases) ? CORS_OK : CORS_E_BAD_ORIGIN);
        }
    }
    guard_free(&g);
}

static void test_parse_arguments(void **state)
{
    cors_origin o;
    cors_error err;
    (void)state;
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_origin_parse("null", 4, NULL, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors_origin_parse(NULL, 4, &o, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    /* NULL with length 0 is the empty string: not an origin */
    assert_int_equal(cors_origin_parse(NULL, 0, &o, &err), CORS_E_BAD_ORIGIN);
    assert_int_equal(err.offset, 0);
}

/* ------------------------------------------------------------------------ */
/* Serialization                                                             */
/* ------------------------------------------------------------------------ */

static void test_serialize_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(valid_cases); i++) {
        const char *text = valid_cases[i].text;
        size_t len = strlen(text);
        char buf[CORS_ORIGIN_MAX + 1];
        cors_origin o;
        assert_int_equal(cors_origin_parse(text, len, &o, NULL), CORS_OK);
        memset(buf, 'Z', sizeof(buf));
        assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), len);
        assert_string_equal(buf, text);
    }
}

static void test_serialize_too_small(void **state)
{
    static const char text[] = "http://[::1]:8080";
    const size_t len = sizeof(text) - 1;
    cors_origin o;
    guard g;
    (void)state;
    assert_int_equal(cors_origin_parse(text, len, &o, NULL), CORS_OK);

    /* a size query */
    assert_int_equal(cors_origin_serialize(&o, NULL, 0), len);

    /* every capacity up to the exact fit: the length comes back, nothing is
     * written past cap (the byte after the buffer is a PROT_NONE page) */
    guard_init(&g, 4096);
    for (size_t cap = 0; cap <= len; cap++) {
        char *buf = g.fence - cap;
        memset(buf, 'Z', cap);
        assert_int_equal(cors_origin_serialize(&o, buf, cap), len);
    }
    /* cap == len + 1 is the first that holds the NUL */
    {
        char *buf = g.fence - (len + 1);
        assert_int_equal(cors_origin_serialize(&o, buf, len + 1), len);
        assert_string_equal(buf, text);
    }
    guard_free(&g);

    /* with room to spare, the NUL follows the serialization */
    {
        char buf[64];
        memset(buf, 'Z', sizeof(buf));
        assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), len);
        assert_int_equal(buf[len], '\0');
        assert_int_equal(buf[len + 1], 'Z');
    }
}

static void test_serialize_built_origins(void **state)
{
    char buf[64];
    cors_origin o;
    (void)state;

    memset(&o, 0, sizeof(o));
    o.is_opaque = 1;
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 4);
    assert_string_equal(buf, "null");

    memset(&o, 0, sizeof(o));
    o.scheme = STR("https");
    o.host = STR("app.example");
    o.port = -1;
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 19);
    assert_string_equal(buf, "https://app.example");
    o.port = 443; /* the scheme's default port is elided */
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 19);
    assert_string_equal(buf, "https://app.example");
    o.port = 0;
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 21);
    assert_string_equal(buf, "https://app.example:0");
    o.port = 65535;
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 25);
    assert_string_equal(buf, "https://app.example:65535");
    o.scheme = STR("http");
    o.port = 80;
    assert_int_equal(cors_origin_serialize(&o, buf, sizeof(buf)), 18);
    assert_string_equal(buf, "http://app.example");

    assert_int_equal(cors_origin_serialize(NULL, buf, sizeof(buf)), 0);
    assert_int_equal(cors_origin_serialize(&o, NULL, 5), 0);
}

/* ------------------------------------------------------------------------ */
/* Equality                                                                  */
/* ------------------------------------------------------------------------ */

static void test_equal(void **state)
{
    static const struct {
        const char *a, *b;
        int32_t equal;
    } cases[] = {
        {"https://app.example", "https://app.example", 1},
        {"null", "null", 1},
        {"https://app.example", "https://APP.EXAMPLE", 0},
        {"https://app.example", "HTTPS://app.example", 0},
        {"https://app.example", "https://app.example/", 0},
        {"https://app.example", "https://app.example:443", 0},
        {"https://app.example", "http://app.example", 0},
        {"https://app.example", "https://app.exampl", 0},
        {"http://localhost:8080", "http://localhost", 0},
        {"https://app.example", "null", 0},
        {"", "", 1},
        {"", "null", 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        int32_t got = cors_origin_equal(cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
        if (got != cases[i].equal)
            fail_msg("'%s' vs '%s': %d", cases[i].a, cases[i].b, (int)got);
        assert_int_equal(cors_origin_equal(cases[i].b, strlen(cases[i].b), cases[i].a, strlen(cases[i].a)), got);
    }
    /* lengths bound the strings; NULL with length 0 is the empty string */
    assert_int_equal(cors_origin_equal("https://app.exampleXYZ", 19, "https://app.example", 19), 1);
    assert_int_equal(cors_origin_equal(NULL, 0, "", 0), 1);
    assert_int_equal(cors_origin_equal(NULL, 0, NULL, 0), 1);
    assert_int_equal(cors_origin_equal(NULL, 4, "null", 4), 0);
    assert_int_equal(cors_origin_equal("null", 4, NULL, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_parse_length_bounds_the_input),
        cmocka_unit_test(test_parse_guard_page),
        cmocka_unit_test(test_parse_arguments),
        cmocka_unit_test(test_serialize_round_trip),
        cmocka_unit_test(test_serialize_too_small),
        cmocka_unit_test(test_serialize_built_origins),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_parse_empty_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
