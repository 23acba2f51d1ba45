/* SPDX-License-Identifier: MIT */
/*
 * test_origin.c - lib/origin.c: cors_origin_parse on serialized origins as a
 * browser sends them (and the near misses, with the offending offset), every
 * prefix against a PROT_NONE page, cors_origin_serialize round trips and its
 * too-small-buffer contract, cors_origin_equal.
 */
#define _DEFAULT_SOURCE

#include "test_util.h"

typedef struct valid_row {
    const char *text;
    int32_t is_opaque;
    const char *scheme;
    const char *host;
    int32_t port;
} valid_row;

static const valid_row valid_rows[] = {
    {.text = "https://app.example", .is_opaque = 0, .scheme = "https", .host = "app.example", .port = -1},
    {.text = "http://app.example:8080", .is_opaque = 0, .scheme = "http", .host = "app.example", .port = 8080},
    {.text = "http://localhost:3000", .is_opaque = 0, .scheme = "http", .host = "localhost", .port = 3000},
    {.text = "https://app.example:80", .is_opaque = 0, .scheme = "https", .host = "app.example", .port = 80},    /* not https's default */
    {.text = "http://app.example:443", .is_opaque = 0, .scheme = "http", .host = "app.example", .port = 443},    /* not http's default */
    {.text = "ws://a.example:443", .is_opaque = 0, .scheme = "ws", .host = "a.example", .port = 443},
    {.text = "ftp://a.example:2121", .is_opaque = 0, .scheme = "ftp", .host = "a.example", .port = 2121},
    {.text = "http://[::1]:8080", .is_opaque = 0, .scheme = "http", .host = "[::1]", .port = 8080},
    {.text = "https://[2001:db8::1]", .is_opaque = 0, .scheme = "https", .host = "[2001:db8::1]", .port = -1},
    {.text = "http://[::ffff:192.0.2.1]", .is_opaque = 0, .scheme = "http", .host = "[::ffff:192.0.2.1]", .port = -1},
    {.text = "http://127.0.0.1:8080", .is_opaque = 0, .scheme = "http", .host = "127.0.0.1", .port = 8080},
    {.text = "http://a.example:0", .is_opaque = 0, .scheme = "http", .host = "a.example", .port = 0},
    {.text = "http://a.example:65535", .is_opaque = 0, .scheme = "http", .host = "a.example", .port = 65535},
    {.text = "https://xn--caf-dma.example", .is_opaque = 0, .scheme = "https", .host = "xn--caf-dma.example", .port = -1},
    {.text = "http://my_host-1.example", .is_opaque = 0, .scheme = "http", .host = "my_host-1.example", .port = -1},
    {.text = "https://app.example.", .is_opaque = 0, .scheme = "https", .host = "app.example.", .port = -1},
    {.text = "null", .is_opaque = 1, .scheme = "", .host = "", .port = -1},
    /* non-special schemes: browser extensions, app shells */
    {.text = "chrome-extension://abcdefghijklmnopabcdefghijklmnop", .is_opaque = 0, .scheme = "chrome-extension", .host = "abcdefghijklmnopabcdefghijklmnop", .port = -1},
    {.text = "moz-extension://1234-abcd", .is_opaque = 0, .scheme = "moz-extension", .host = "1234-abcd", .port = -1},
    {.text = "tauri://localhost", .is_opaque = 0, .scheme = "tauri", .host = "localhost", .port = -1},
    {.text = "capacitor://localhost", .is_opaque = 0, .scheme = "capacitor", .host = "localhost", .port = -1},
    {.text = "x+y.z-1://h:1", .is_opaque = 0, .scheme = "x+y.z-1", .host = "h", .port = 1},
};

static void test_parse_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(valid_rows); i++) {
        const valid_row *c = &valid_rows[i];
        size_t len = strlen(c->text);
        cors_origin o;
        cors_error err;
        int32_t st;

        memset(&o, 0xab, sizeof(o));
        memset(&err, 0xab, sizeof(err));
        st = cors_origin_parse(c->text, len, &o, &err);
        if (st != CORS_OK)
            fail_msg("%s: %s at %zu", c->text, cors_status_name(st), err.offset);
        assert_int_equal(err.status, CORS_OK);
        assert_int_equal(err.offset, 0);
        assert_int_equal(err.line, 0);
        assert_int_equal(err.index, SIZE_MAX);
        assert_int_equal(o.is_opaque, c->is_opaque);
        assert_int_equal(o.port, c->port);
        assert_str(o.scheme, c->scheme);
        assert_str(o.host, c->host);
        if (c->is_opaque)
            continue;
        /* views into the input */
        assert_ptr_equal(o.scheme.ptr, c->text);
        assert_true(o.host.ptr > c->text && o.host.ptr + o.host.len <= c->text + len);
    }
}

typedef struct invalid_row {
    const char *text;
    size_t len; /* 0: strlen(text) */
    size_t offset;
} invalid_row;

static size_t invalid_len(const invalid_row *c)
{
    return c->len ? c->len : strlen(c->text);
}

static const invalid_row invalid_rows[] = {
    {.text = "", .offset = 0},
    {.text = "HTTPS://app.example", .offset = 0},
    {.text = "hTTps://app.example", .offset = 1},
    {.text = "https://App.example", .offset = 8},
    {.text = "https://APP.EXAMPLE", .offset = 8},
    {.text = "https://app.Example", .offset = 12},
    {.text = "NULL", .offset = 0},
    {.text = "null ", .offset = 4},
    {.text = "https://app.example/", .offset = 19},             /* trailing slash */
    {.text = "https://app.example/path", .offset = 19},
    {.text = "https://app.example:8080/", .offset = 24},
    {.text = "https://app.example?", .offset = 19},
    {.text = "https://app.example#", .offset = 19},
    {.text = "https://app.example ", .offset = 19},
    {.text = "https://app.example:443", .offset = 19},          /* default port, at the colon */
    {.text = "http://app.example:80", .offset = 18},
    {.text = "ws://a:80", .offset = 6},
    {.text = "wss://a:443", .offset = 7},
    {.text = "ftp://a:21", .offset = 7},
    {.text = "http://[::1]:80", .offset = 12},
    {.text = "http://a:08080", .offset = 9},                    /* 0-prefixed port */
    {.text = "http://a:00", .offset = 9},
    {.text = "http://a:65536", .offset = 9},                    /* over 65535 */
    {.text = "http://a:99999", .offset = 9},
    {.text = "http://a:123456", .offset = 14},                  /* sixth digit */
    {.text = "http://a:", .offset = 9},                         /* empty port */
    {.text = "http://a:-1", .offset = 9},
    {.text = "http://a:+80", .offset = 9},
    {.text = "http://a:8o", .offset = 10},
    {.text = "https://user@app.example", .offset = 12},         /* userinfo */
    {.text = "https://user:pw@app.example", .offset = 13},
    {.text = "https://", .offset = 8},                          /* empty host */
    {.text = "https://:8080", .offset = 8},
    {.text = "file://", .offset = 7},
    {.text = "https:app.example", .offset = 5},                 /* missing :// */
    {.text = "https:/app.example", .offset = 5},
    {.text = "https", .offset = 5},
    {.text = "app.example", .offset = 11},
    {.text = "//app.example", .offset = 0},
    {.text = "1http://a", .offset = 0},
    {.text = "http//a", .offset = 4},
    {.text = "https://app%2eexample", .offset = 11},
    {.text = "http://[::1", .offset = 11},                      /* unclosed IPv6 literal */
    {.text = "http://[::G]", .offset = 10},
    {.text = "http://[::A]", .offset = 10},                     /* IPv6 serializes in lowercase */
    {.text = "http://[:1]", .offset = 8},
    {.text = "http://[::1]x", .offset = 12},
    {.text = "http://[::1]:", .offset = 13},
    {.text = "http://[]", .offset = 8},                         /* empty IPv6 literal */
    {.text = "http://[]:8080", .offset = 8},
    {.text = "http://[::1]]", .offset = 12},
    {.text = "http://a:80:80", .offset = 11},
    {.text = "http://a.example\x00", .len = 17, .offset = 16},
    {.text = "http://caf\xc3\xa9.example", .offset = 10},          /* hosts serialize as ASCII (punycode) */
    {.text = "https://app.example:443/", .offset = 23},         /* the path is found first */
};

static void test_parse_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(invalid_rows); i++) {
        const invalid_row *c = &invalid_rows[i];
        cors_origin o;
        cors_error err;
        int32_t st;
        memset(&o, 0xab, sizeof(o));
        memset(&err, 0xab, sizeof(err));
        st = cors_origin_parse(c->text, invalid_len(c), &o, &err);
        if (st != CORS_E_BAD_ORIGIN || err.status != CORS_E_BAD_ORIGIN || err.offset != c->offset || err.line != 0 ||
            err.index != SIZE_MAX)
            fail_msg("'%s': got %s at %zu line %d, want CORS_E_BAD_ORIGIN at %zu", c->text, cors_status_name(st),
                     err.offset, (int)err.line, c->offset);
        /* out was reset on entry */
        assert_int_equal(o.is_opaque, 0);
        assert_int_equal(o.port, -1);
        assert_int_equal(cors_origin_parse(c->text, invalid_len(c), &o, NULL), CORS_E_BAD_ORIGIN);
    }
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
    for (size_t i = 0; i < COUNT(valid_rows) + COUNT(invalid_rows); i++) {
        const char *text = i < COUNT(valid_rows) ? valid_rows[i].text : invalid_rows[i - COUNT(valid_rows)].text;
        size_t len = i < COUNT(valid_rows) ? strlen(text) : invalid_len(&invalid_rows[i - COUNT(valid_rows)]);
        for (size_t n = 0; n <= len; n++) {
            cors_origin o;
            cors_error err;
            int32_t st = cors_origin_parse(guard_place(&g, text, n), n, &o, &err);
            assert_true(st == CORS_OK || st == CORS_E_BAD_ORIGIN);
            assert_true(err.offset <= n);
            if (n == len)
                assert_int_equal(st, i < COUNT(valid_rows) ? CORS_OK : CORS_E_BAD_ORIGIN);
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
    assert_int_equal(err.line, 0);
    assert_int_equal(err.index, SIZE_MAX);
    memset(&err, 0xab, sizeof(err));
    memset(&o, 0xab, sizeof(o));
    assert_int_equal(cors_origin_parse(NULL, 4, &o, &err), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.index, SIZE_MAX);
    /* out is reset even then */
    assert_int_equal(o.is_opaque, 0);
    assert_int_equal(o.port, -1);
    assert_null(o.scheme.ptr);
    assert_null(o.host.ptr);
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
    for (size_t i = 0; i < COUNT(valid_rows); i++) {
        const char *text = valid_rows[i].text;
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
        {.a = "https://app.example", .b = "https://app.example", .equal = 1},
        {.a = "null", .b = "null", .equal = 1},
        {.a = "https://app.example", .b = "https://APP.EXAMPLE", .equal = 0},
        {.a = "https://app.example", .b = "HTTPS://app.example", .equal = 0},
        {.a = "https://app.example", .b = "https://app.example/", .equal = 0},
        {.a = "https://app.example", .b = "https://app.example:443", .equal = 0},
        {.a = "https://app.example", .b = "http://app.example", .equal = 0},
        {.a = "https://app.example", .b = "https://app.exampl", .equal = 0},
        {.a = "http://localhost:8080", .b = "http://localhost", .equal = 0},
        {.a = "https://app.example", .b = "null", .equal = 0},
        {.a = "", .b = "", .equal = 1},
        {.a = "", .b = "null", .equal = 0},
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
