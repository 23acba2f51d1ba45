/* SPDX-License-Identifier: MIT */
/*
 * test_safelist.c - lib/safelist.c: the Fetch standard's value rules, with
 * Chromium's additions where the rules `browser` follow it: safelisted and
 * forbidden methods; forbidden request-header names, the Proxy-/Sec-
 * prefixes and the method-override rule; CORS-safelisted request-header
 * values (Accept, Accept-Language, Content-Language, Content-Type, Range with
 * its int64_t bound, the 128-byte limit) and Chromium's extra names. Values
 * are placed against a PROT_NONE page, so a read past a value crashes.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>

#include "internal.h"
#include "test_util.h"

/* Long values, built by the preprocessor. */
#define A4 "aaaa"
#define A16 A4 A4 A4 A4
#define A64 A16 A16 A16 A16
#define A128 A64 A64
#define A129 A128 "a"
#define D16 "1111111111111111"
#define D128 D16 D16 D16 D16 D16 D16 D16 D16
#define D129 D128 "1"
#define CT128 "text/plain;" A64 A16 A16 A16 "aaaaa"
#define CT129 CT128 "a"
_Static_assert(sizeof(A128) == 129 && sizeof(A129) == 130 && sizeof(D128) == 129 && sizeof(D129) == 130, "lengths");
_Static_assert(sizeof(CT128) == 129 && sizeof(CT129) == 130, "lengths");

static guard fence;

static cors_str fenced(const char *p, size_t n)
{
    return (cors_str){guard_place(&fence, p, n), n};
}

static int setup(void **state)
{
    (void)state;
    guard_init(&fence, 4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    guard_free(&fence);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Methods                                                                   */
/* ------------------------------------------------------------------------ */

static void test_methods(void **state)
{
    static const struct {
        const char *method;
        int safelisted, forbidden;
    } rows[] = {
        /* compared after normalization: byte-exact */
        {.method = "GET", .safelisted = 1},
        {.method = "HEAD", .safelisted = 1},
        {.method = "POST", .safelisted = 1},
        {.method = "get"},
        {.method = "Post"},
        {.method = "PUT"},
        {.method = "GETX"},
        {.method = "GE"},
        {.method = ""},
        /* Fetch: forbidden method, byte-case-insensitive */
        {.method = "CONNECT", .forbidden = 1},
        {.method = "connect", .forbidden = 1},
        {.method = "trace", .forbidden = 1},
        {.method = "Track", .forbidden = 1},
        {.method = "tRaCk", .forbidden = 1},
        {.method = "CONNECTX"},
        {.method = "TRAC"},
        {.method = "TRACE-LOG"},
        {.method = " TRACE"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_str m = fenced(rows[i].method, strlen(rows[i].method));
        if (cors__is_safelisted_method(m) != rows[i].safelisted || cors__is_forbidden_method(m) != rows[i].forbidden)
            fail_msg("'%s': safelisted %d forbidden %d", rows[i].method, cors__is_safelisted_method(m),
                     cors__is_forbidden_method(m));
    }
}

/* ------------------------------------------------------------------------ */
/* Forbidden request headers                                                 */
/* ------------------------------------------------------------------------ */

typedef struct forbidden_row {
    const char *name, *value;
    int browser, strict;
} forbidden_row;

static const forbidden_row forbidden_rows[] = {
    /* by name */
    {.name = "Accept-Charset", .value = "x", .browser = 1, .strict = 1},
    {.name = "accept-encoding", .value = "x", .browser = 1, .strict = 1},
    {.name = "Access-Control-Request-Headers", .value = "x", .browser = 1, .strict = 1},
    {.name = "access-control-request-method", .value = "x", .browser = 1, .strict = 1},
    {.name = "Connection", .value = "x", .browser = 1, .strict = 1},
    {.name = "Content-Length", .value = "1", .browser = 1, .strict = 1},
    {.name = "COOKIE", .value = "x", .browser = 1, .strict = 1},
    {.name = "Cookie2", .value = "x", .browser = 1, .strict = 1},
    {.name = "Date", .value = "x", .browser = 1, .strict = 1},
    {.name = "DNT", .value = "1", .browser = 1, .strict = 1},
    {.name = "Expect", .value = "x", .browser = 1, .strict = 1},
    {.name = "Host", .value = "x", .browser = 1, .strict = 1},
    {.name = "Keep-Alive", .value = "x", .browser = 1, .strict = 1},
    {.name = "Origin", .value = "x", .browser = 1, .strict = 1},
    {.name = "Referer", .value = "x", .browser = 1, .strict = 1},
    {.name = "Set-Cookie", .value = "x", .browser = 1, .strict = 1},
    {.name = "TE", .value = "x", .browser = 1, .strict = 1},
    {.name = "Trailer", .value = "x", .browser = 1, .strict = 1},
    {.name = "Transfer-Encoding", .value = "x", .browser = 1, .strict = 1},
    {.name = "Upgrade", .value = "x", .browser = 1, .strict = 1},
    {.name = "Via", .value = "x", .browser = 1, .strict = 1},
    /* by prefix, in any case */
    {.name = "Proxy-Authorization", .value = "x", .browser = 1, .strict = 1},
    {.name = "PROXY-x", .value = "x", .browser = 1, .strict = 1},
    {.name = "proxy-", .value = "x", .browser = 1, .strict = 1},
    {.name = "Sec-CH-UA", .value = "x", .browser = 1, .strict = 1},
    {.name = "sec-", .value = "x", .browser = 1, .strict = 1},
    {.name = "SEC-FETCH-MODE", .value = "x", .browser = 1, .strict = 1},
    /* Chromium net::HttpUtil::IsSafeHeader forbids User-Agent; Fetch no longer does */
    {.name = "User-Agent", .value = "x", .browser = 1, .strict = 0},
    {.name = "user-agent", .value = "", .browser = 1, .strict = 0},
    /* Fetch: the method-override names when an element names a forbidden method */
    {.name = "X-HTTP-Method-Override", .value = "TRACE", .browser = 1, .strict = 1},
    {.name = "X-HTTP-Method", .value = "put, Connect", .browser = 1, .strict = 1},
    {.name = "x-method-override", .value = " track ", .browser = 1, .strict = 1},
    {.name = "X-HTTP-Method", .value = ",,TRACE,,", .browser = 1, .strict = 1},
    {.name = "X-HTTP-Method", .value = "GET,\tTRACE\t", .browser = 1, .strict = 1},
    {.name = "X-HTTP-Method-Override", .value = "PUT", .browser = 0, .strict = 0},
    {.name = "X-HTTP-Method-Override", .value = "TRACEX", .browser = 0, .strict = 0},
    {.name = "X-HTTP-Method-Override", .value = "\"TRACE\"", .browser = 0, .strict = 0},
    {.name = "X-HTTP-Method-Override", .value = "TRACE\v", .browser = 0, .strict = 0}, /* VT is not OWS */
    {.name = "X-HTTP-Method-Override", .value = "TRACE;x", .browser = 0, .strict = 0},
    {.name = "X-HTTP-Method-Override", .value = "", .browser = 0, .strict = 0},
    {.name = "X-HTTP-Method-Override", .value = ",", .browser = 0, .strict = 0},
    /* the rule is the names' own: any other name with a forbidden method is fine */
    {.name = "X-Foo", .value = "TRACE", .browser = 0, .strict = 0},
    {.name = "X-Method", .value = "CONNECT", .browser = 0, .strict = 0},
    /* near misses */
    {.name = "Accept", .value = "x", .browser = 0, .strict = 0},
    {.name = "Authorization", .value = "x", .browser = 0, .strict = 0},
    {.name = "proxy", .value = "x", .browser = 0, .strict = 0},
    {.name = "Proxy_Authorization", .value = "x", .browser = 0, .strict = 0},
    {.name = "sec", .value = "x", .browser = 0, .strict = 0},
    {.name = "secret", .value = "x", .browser = 0, .strict = 0},
    {.name = "Cookies", .value = "x", .browser = 0, .strict = 0},
    {.name = "Referer-X", .value = "x", .browser = 0, .strict = 0},
    {.name = "Content-Type", .value = "x", .browser = 0, .strict = 0},
    {.name = "Access-Control-Request-Private-Network", .value = "true", .browser = 0, .strict = 0},
};

static void test_forbidden_request_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(forbidden_rows); i++) {
        const forbidden_row *row = &forbidden_rows[i];
        cors_str n = str_z(row->name), v = fenced(row->value, strlen(row->value));
        cors__tok tok = cors__token_lookup(n);
        int browser = cors__is_forbidden_request_header(tok, n, v, false);
        int strict = cors__is_forbidden_request_header(tok, n, v, true);
        if (browser != row->browser || strict != row->strict)
            fail_msg("%s: '%s': browser %d strict %d, want %d %d", row->name, row->value, browser, strict,
                     row->browser, row->strict);
    }
}

/* ------------------------------------------------------------------------ */
/* CORS-safelisted request-header values                                     */
/* ------------------------------------------------------------------------ */

typedef struct value_row {
    const char *name, *value;
    size_t len;         /* 0: strlen(value) */
    int browser;        /* safelisted under the rules browser (Chromium) */
    int chromium_only;  /* ... by Chromium only */
    int strict;         /* safelisted under the Fetch standard */
} value_row;

static const value_row value_rows[] = {
    /* Accept: no CORS-unsafe byte */
    {.name = "Accept", .value = "text/html", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "unicorn", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "caf\xc3\xa9", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "text/html, application/json;q=0.9", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "a\tb", .browser = 1, .strict = 1},
    {.name = "Accept", .value = "a\"b"},
    {.name = "Accept", .value = "a:b"},
    {.name = "Accept", .value = "{"},
    {.name = "Accept", .value = "a\x7f"},
    {.name = "Accept", .value = "a\x01"},
    {.name = "Accept", .value = "a\0b", .len = 3},
    {.name = "accept", .value = A128, .browser = 1, .strict = 1},
    {.name = "Accept", .value = A129},
    /* Accept-Language, Content-Language: 0-9 A-Z a-z SP * , - . ; = */
    {.name = "Accept-Language", .value = "en-US,fr;q=0.5", .browser = 1, .strict = 1},
    {.name = "Accept-Language", .value = "*", .browser = 1, .strict = 1},
    {.name = "Accept-Language", .value = "", .browser = 1, .strict = 1},
    {.name = "Accept-Language", .value = "en_US"},
    {.name = "Accept-Language", .value = "en/US"},
    {.name = "Accept-Language", .value = "fr:FR"},
    {.name = "Accept-Language", .value = "@"},
    {.name = "Accept-Language", .value = "en\tUS"},
    {.name = "Accept-Language", .value = "\xc3\xa9"},
    {.name = "Accept-Language", .value = A128, .browser = 1, .strict = 1},
    {.name = "Content-Language", .value = "de DE", .browser = 1, .strict = 1},
    {.name = "Content-Language", .value = "mi, en", .browser = 1, .strict = 1},
    {.name = "Content-Language", .value = "de_DE"},
    {.name = "Content-Language", .value = A129},
    /* Content-Type: no unsafe byte, and the essence of the parsed MIME type */
    {.name = "Content-Type", .value = "text/plain", .browser = 1, .strict = 1},
    {.name = "content-type", .value = "TEXT/PLAIN", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "text/plain;charset=utf-8", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "text/plain\t;charset=x", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = " text/plain ", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "multipart/form-data; boundary=----x", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "Application/X-WWW-Form-URLEncoded;charset=UTF-8", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "text/plain;garbage", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "text/plain;", .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = "text/plain;charset=\"UTF-8\""},
    {.name = "Content-Type", .value = "text/plain; a=(b)"},
    {.name = "Content-Type", .value = "text /plain"},
    {.name = "Content-Type", .value = "text/ plain"},
    {.name = "Content-Type", .value = "text/plain,"},
    {.name = "Content-Type", .value = "text/plain,text/plain"},
    {.name = "Content-Type", .value = "text/plain/x"},
    /* a '/' before the type's length, and a '/' where another essence's type would end */
    {.name = "Content-Type", .value = "t/xt/plain"},
    {.name = "Content-Type", .value = "tex/t/plain"},
    {.name = "Content-Type", .value = "text:form/form-data"},
    {.name = "Content-Type", .value = "multipart/text/plain"},
    {.name = "Content-Type", .value = "multi/part/form-data"},
    {.name = "Content-Type", .value = "application/form-data"},
    {.name = "Content-Type", .value = "text/"},
    {.name = "Content-Type", .value = "/plain"},
    {.name = "Content-Type", .value = "/"},
    {.name = "Content-Type", .value = ""},
    {.name = "Content-Type", .value = "text"},
    {.name = "Content-Type", .value = "application/json"},
    {.name = "Content-Type", .value = "*/*"},
    {.name = "Content-Type", .value = "application/csp-report"},
    {.name = "Content-Type", .value = "text/plainx"},
    {.name = "Content-Type", .value = "text/html"},
    {.name = "Content-Type", .value = CT128, .browser = 1, .strict = 1},
    {.name = "Content-Type", .value = CT129},
    /* Range: "bytes=" start "-" [end], start <= end; Chromium parses each bound into int64_t */
    {.name = "Range", .value = "bytes=0-", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=0-499", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=5-5", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=010-10", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=010-9"},
    {.name = "Range", .value = "bytes=500-100"},
    {.name = "Range", .value = "bytes=-500"},
    {.name = "Range", .value = "Bytes=0-"},
    {.name = "Range", .value = "bytes=0-1,5-6"},
    {.name = "Range", .value = "bytes= 0-"},
    {.name = "Range", .value = "bytes=0 -1"},
    {.name = "Range", .value = "bytes=0- "},
    {.name = "Range", .value = "bytes="},
    {.name = "Range", .value = "bytes=-"},
    {.name = "Range", .value = "bytes=+0-"},
    {.name = "Range", .value = "bytes=0x1-"},
    {.name = "Range", .value = "bytes"},
    {.name = "Range", .value = ""},
    {.name = "Range", .value = "bytes=9223372036854775806-", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=0-9223372036854775806", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=09223372036854775806-", .browser = 1, .strict = 1},
    {.name = "Range", .value = "bytes=9223372036854775807-", .browser = 0, .strict = 1},
    {.name = "Range", .value = "bytes=0-9223372036854775807", .browser = 0, .strict = 1},
    {.name = "Range", .value = "bytes=99999999999999999999-", .browser = 0, .strict = 1},
    {.name = "Range", .value = "bytes=99999999999999999998-99999999999999999999", .browser = 0, .strict = 1},
    {.name = "Range", .value = "bytes=99999999999999999999-99999999999999999998"},
    /* Chromium cors.cc IsCorsSafelistedHeader: names the standard does not safelist */
    {.name = "DPR", .value = "2.0", .browser = 1, .chromium_only = 1},
    {.name = "dpr", .value = "2", .browser = 1, .chromium_only = 1},
    {.name = "DPR", .value = D128, .browser = 1, .chromium_only = 1},
    {.name = "DPR", .value = D129},
    {.name = "DPR", .value = "2."},
    {.name = "DPR", .value = ".5"},
    {.name = "DPR", .value = ""},
    {.name = "DPR", .value = "1.5.1"},
    {.name = "DPR", .value = "-1"},
    {.name = "Device-Memory", .value = "8", .browser = 1, .chromium_only = 1},
    {.name = "Device-Memory", .value = "0.5", .browser = 1, .chromium_only = 1},
    {.name = "Device-Memory", .value = "8GB"},
    {.name = "Downlink", .value = "1.45", .browser = 1, .chromium_only = 1},
    {.name = "Downlink", .value = "1,45"},
    {.name = "Width", .value = "35", .browser = 1, .chromium_only = 1},
    {.name = "Width", .value = "35px"},
    {.name = "Width", .value = ""},
    {.name = "Width", .value = "3.5"},
    {.name = "Viewport-Width", .value = "1200", .browser = 1, .chromium_only = 1},
    {.name = "Viewport-Width", .value = "-1"},
    {.name = "RTT", .value = "50", .browser = 1, .chromium_only = 1},
    {.name = "RTT", .value = "5.0"},
    {.name = "ECT", .value = "4g", .browser = 1, .chromium_only = 1},
    {.name = "ECT", .value = "3g", .browser = 1, .chromium_only = 1},
    {.name = "ECT", .value = "2g", .browser = 1, .chromium_only = 1},
    {.name = "ECT", .value = "slow-2g", .browser = 1, .chromium_only = 1},
    {.name = "ECT", .value = "4G"}, /* case-sensitive */
    {.name = "ECT", .value = "5g"},
    {.name = "ECT", .value = "slow-3g"},
    {.name = "Save-Data", .value = "on", .browser = 1, .chromium_only = 1},
    {.name = "Save-Data", .value = "ON", .browser = 1, .chromium_only = 1}, /* case-insensitive */
    {.name = "Save-Data", .value = "oN", .browser = 1, .chromium_only = 1},
    {.name = "Save-Data", .value = "off"},
    {.name = "Save-Data", .value = "on "},
    {.name = "Intervention", .value = "<https://x>; level=\"warning\"\x01", .browser = 1, .chromium_only = 1},
    {.name = "Intervention", .value = "", .browser = 1, .chromium_only = 1},
    {.name = "Intervention", .value = A128, .browser = 1, .chromium_only = 1},
    {.name = "Intervention", .value = A129},
    /* names without a value rule are never safelisted */
    {.name = "X-Foo", .value = "1"},
    {.name = "Authorization", .value = "x"},
    {.name = "Cache-Control", .value = "no-cache"},
};

static void test_safelisted_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(value_rows); i++) {
        const value_row *row = &value_rows[i];
        size_t len = row->len ? row->len : strlen(row->value);
        cors_str v = fenced(row->value, len);
        cors__tok tok = cors__token_lookup(str_z(row->name));
        bool chromium_only = !row->chromium_only; /* poisoned: the call must set it */
        int browser = cors__is_safelisted_value(tok, v, false, &chromium_only);
        if (browser != row->browser || chromium_only != (row->chromium_only != 0))
            fail_msg("%s: '%.24s' (%zu bytes): browser %d chromium_only %d, want %d %d", row->name, row->value, len,
                     browser, chromium_only, row->browser, row->chromium_only);
        chromium_only = true;
        if (cors__is_safelisted_value(tok, v, true, &chromium_only) != row->strict || chromium_only)
            fail_msg("%s: '%.24s': strict %d, want %d", row->name, row->value, !row->strict, row->strict);
        /* what the standard safelists Chromium does too, but for Range bounds past int64_t */
        if (row->strict && !row->browser && tok != TOK_RANGE)
            fail_msg("%s: '%s' safelisted by the standard only", row->name, row->value);
    }
}

/* Every safelistable name has a row, so no value rule goes untested. */
static void test_every_safelistable_name_has_rows(void **state)
{
    (void)state;
    for (int t = 0; t < TOK_COUNT; t++) {
        int yes = 0, no = 0;
        if (!(cors__token_class((cors__tok)t) & TOKC_SAFELISTABLE))
            continue;
        for (size_t i = 0; i < COUNT(value_rows); i++) {
            if (cors__token_lookup(str_z(value_rows[i].name)) != (cors__tok)t)
                continue;
            yes += value_rows[i].browser;
            no += !value_rows[i].browser;
        }
        if (yes == 0 || no == 0)
            fail_msg("%.*s: %d safelisted rows, %d not", (int)cors__token_name((cors__tok)t).len,
                     cors__token_name((cors__tok)t).ptr, yes, no);
    }
}

/* The 128-byte limit for every safelistable name, at 128 and 129 bytes. */
static void test_value_length_limit(void **state)
{
    static const struct {
        const char *name;
        char fill;
        const char *prefix, *suffix;
    } rows[] = {
        {.name = "Accept", .fill = 'a', .prefix = ""},
        {.name = "Accept-Language", .fill = 'a', .prefix = ""},
        {.name = "Content-Language", .fill = 'a', .prefix = ""},
        {.name = "Content-Type", .fill = 'a', .prefix = "text/plain;"},
        {.name = "Range", .fill = '0', .prefix = "bytes=", .suffix = "-"},
        {.name = "DPR", .fill = '1', .prefix = ""},
        {.name = "Device-Memory", .fill = '1', .prefix = ""},
        {.name = "Downlink", .fill = '1', .prefix = ""},
        {.name = "Width", .fill = '1', .prefix = ""},
        {.name = "Viewport-Width", .fill = '1', .prefix = ""},
        {.name = "RTT", .fill = '1', .prefix = ""},
        {.name = "Intervention", .fill = 'a', .prefix = ""},
    };
    char v[FETCH_SAFELIST_VALUE_MAX + 2];
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        size_t p = strlen(rows[i].prefix), q = rows[i].suffix ? strlen(rows[i].suffix) : 0;
        cors__tok tok = cors__token_lookup(str_z(rows[i].name));
        bool chromium_only;
        for (size_t n = FETCH_SAFELIST_VALUE_MAX; n <= FETCH_SAFELIST_VALUE_MAX + 1; n++) {
            memcpy(v, rows[i].prefix, p);
            memset(v + p, rows[i].fill, n - p - q);
            if (q)
                memcpy(v + n - q, rows[i].suffix, q);
            if (cors__is_safelisted_value(tok, fenced(v, n), false, &chromium_only) != (n == FETCH_SAFELIST_VALUE_MAX))
                fail_msg("%s: %zu bytes: safelisted %d", rows[i].name, n, n != FETCH_SAFELIST_VALUE_MAX);
            if (n > FETCH_SAFELIST_VALUE_MAX)
                assert_false(chromium_only);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_forbidden_request_headers),
        cmocka_unit_test(test_safelisted_values),
        cmocka_unit_test(test_every_safelistable_name_has_rows),
        cmocka_unit_test(test_value_length_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
