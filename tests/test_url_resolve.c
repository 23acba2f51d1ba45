/* SPDX-License-Identifier: MIT */
/*
 * test_url_resolve.c - lib/url_resolve.c: the URL a redirect's Location leads
 * to (URL standard, basic URL parser with the current URL as base) and its
 * origin. Rows for absolute, scheme-relative, path-absolute and path-relative
 * references, ?query and #fragment, dot segments (also %2e), the percent-encode
 * sets, backslashes in special URLs, C0/space trimming and tab/newline removal,
 * default ports, credentials, non-special schemes, invalid references; then
 * the origin comparisons, Mixed Content, cors__url_origin_of, texts too long
 * to compare, and every reference against a PROT_NONE page.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define BASE "https://a.example/dir/page?q=1"

typedef struct resolve_row {
    const char *base;     /* NULL: BASE; "-": no base (an absolute URL is required) */
    const char *ref;
    bool invalid;         /* cors__url_resolve returns false */
    const char *text;     /* the URL as sent, without fragment; NULL: not known (text_known false) */
    const char *scheme;   /* NULL: "https" */
    const char *host;     /* NULL: the text's host is not checked */
    int32_t port;         /* -1 default; 0 in a row means "-1" unless port_set */
    bool port_set;
    bool opaque;          /* no tuple origin (data:, file:, ...) */
    bool credentials;
    bool any_text;        /* the text is not checked */
} resolve_row;

static const resolve_row rows[] = {
    /* absolute */
    {.ref = "https://b.example/x", .text = "https://b.example/x", .host = "b.example"},
    /* the base's own scheme: one slash (or none) is a path on the base's host, two a host */
    {.ref = "https:/b.example/x", .text = "https://a.example/b.example/x", .host = "a.example"},
    {.ref = "https:\\b.example/x", .text = "https://a.example/b.example/x", .host = "a.example"},
    {.ref = "https:\\\\b.example/x", .text = "https://b.example/x", .host = "b.example"},
    {.ref = "https:/\\b.example/x", .text = "https://b.example/x", .host = "b.example"},
    {.ref = "https:\\/b.example/x", .text = "https://b.example/x", .host = "b.example"},
    {.base = "http://a.example/dir/page", .ref = "http:/x", .text = "http://a.example/x", .scheme = "http",
     .host = "a.example"},
    {.base = "http://a.example/dir/page", .ref = "https:/b.example/x", .text = "https://b.example/x",
     .host = "b.example"},
    {.ref = "https://b.example", .text = "https://b.example/", .host = "b.example"},
    {.ref = "https://b.example?x=1", .text = "https://b.example/?x=1"},
    {.ref = "https://b.example#top", .text = "https://b.example/"},
    {.ref = "HTTPS://B.EXAMPLE/Path", .text = "https://b.example/Path", .host = "b.example"},
    {.ref = "http://b.example/", .text = "http://b.example/", .scheme = "http"},
    {.ref = "https://b.example:443/", .text = "https://b.example/"},
    {.ref = "http://b.example:80/", .text = "http://b.example/", .scheme = "http"},
    {.ref = "http://b.example:443/", .text = "http://b.example:443/", .scheme = "http", .port = 443, .port_set = true},
    {.ref = "https://b.example:8443/x", .text = "https://b.example:8443/x", .port = 8443, .port_set = true},
    {.ref = "https://b.example:/x", .text = "https://b.example/x"},
    {.ref = "https://b.example:0/", .text = "https://b.example:0/", .port = 0, .port_set = true},
    {.ref = "https://b.example:65535/", .text = "https://b.example:65535/", .port = 65535, .port_set = true},
    {.ref = "https://b.example:65536/", .invalid = true},
    {.ref = "wss://b.example/", .text = "wss://b.example/", .scheme = "wss"},
    {.ref = "ftp://f.example:21/x", .text = "ftp://f.example/x", .scheme = "ftp"},
    {.ref = "https:b.example/x", .text = "https://a.example/dir/b.example/x"}, /* same scheme, no slash: relative */
    {.ref = "http:b.example/x", .text = "http://b.example/x", .scheme = "http", .host = "b.example"},
    {.ref = "https:///b.example/x", .text = "https://b.example/x"},
    {.ref = "https:\\\\b.example\\x", .text = "https://b.example/x"},
    /* hosts as the URL standard serializes them (url_host.c) */
    {.ref = "https://B%41.example/", .text = "https://ba.example/", .host = "ba.example"},
    {.ref = "https://0x7f.1/", .text = "https://127.0.0.1/", .host = "127.0.0.1"},
    {.ref = "https://[0:0::1]:8080/", .text = "https://[::1]:8080/", .host = "[::1]", .port = 8080, .port_set = true},
    /* credentials: kept out of the text, said in has_credentials */
    {.ref = "https://u:p@b.example/", .text = "https://b.example/", .credentials = true},
    {.ref = "https://u@b.example/", .text = "https://b.example/", .credentials = true},
    {.ref = "https://:p@b.example/", .text = "https://b.example/", .credentials = true},
    {.ref = "https://:@b.example/", .text = "https://b.example/"},
    {.ref = "https://@b.example/", .text = "https://b.example/"},
    {.ref = "https://a@b@c.example/", .text = "https://c.example/", .host = "c.example", .credentials = true},
    /* scheme-relative */
    {.ref = "//b.example/x", .text = "https://b.example/x", .host = "b.example"},
    {.ref = "\\\\b.example\\x", .text = "https://b.example/x"},
    {.ref = "/\\b.example/x", .text = "https://b.example/x"},
    {.ref = "///b.example/x", .text = "https://b.example/x"},
    {.base = "http://a.example/", .ref = "//b.example:80/", .text = "http://b.example/", .scheme = "http"},
    /* path-absolute */
    {.ref = "/x/y", .text = "https://a.example/x/y"},
    {.ref = "/", .text = "https://a.example/"},
    {.ref = "\\x\\y", .text = "https://a.example/x/y"},
    {.ref = "/x?y=1#z", .text = "https://a.example/x?y=1"},
    {.base = "https://a.example:8443/p", .ref = "/x", .text = "https://a.example:8443/x", .port = 8443, .port_set = true},
    /* path-relative: merged with the base's directory */
    {.ref = "x", .text = "https://a.example/dir/x"},
    {.ref = "x/y/", .text = "https://a.example/dir/x/y/"},
    {.ref = "x\\y", .text = "https://a.example/dir/x/y"},
    {.base = "https://a.example", .ref = "x", .text = "https://a.example/x"},
    {.base = "https://a.example/dir/", .ref = "x", .text = "https://a.example/dir/x"},
    /* query and fragment: the base's path kept; the fragment never sent */
    {.ref = "?z=2", .text = "https://a.example/dir/page?z=2"},
    {.ref = "?", .text = "https://a.example/dir/page?"},
    {.ref = "#frag", .text = "https://a.example/dir/page?q=1"},
    {.ref = "", .text = "https://a.example/dir/page?q=1"},
    {.ref = "?z#f", .text = "https://a.example/dir/page?z"},
    {.ref = "x?a#b?c", .text = "https://a.example/dir/x?a"},
    /* dot segments */
    {.ref = ".", .text = "https://a.example/dir/"},
    {.ref = "./", .text = "https://a.example/dir/"},
    {.ref = "./x", .text = "https://a.example/dir/x"},
    {.ref = "..", .text = "https://a.example/"},
    {.ref = "../", .text = "https://a.example/"},
    {.ref = "../x", .text = "https://a.example/x"},
    {.ref = "../../../../x", .text = "https://a.example/x"},
    {.ref = "x/./y/../z", .text = "https://a.example/dir/x/z"},
    {.ref = "x/y/..", .text = "https://a.example/dir/x/"},
    {.ref = "/a/b/../../..", .text = "https://a.example/"},
    {.ref = "%2e%2E/x", .text = "https://a.example/x"},
    {.ref = ".%2e/x", .text = "https://a.example/x"},
    {.ref = "%2e/x", .text = "https://a.example/dir/x"},
    {.ref = "...", .text = "https://a.example/dir/..."},
    {.ref = "..x/y", .text = "https://a.example/dir/..x/y"},
    {.ref = "%2e%2e%2e/x", .text = "https://a.example/dir/%2e%2e%2e/x"},
    {.ref = "..\\x", .text = "https://a.example/x"},
    {.ref = "https://b.example/a/./b/../c", .text = "https://b.example/a/c"},
    {.ref = "https://b.example/..", .text = "https://b.example/"},
    /* percent-encoding: the path set, the query set; existing escapes kept */
    {.ref = "a b", .text = "https://a.example/dir/a%20b"},
    {.ref = "a\"<>`{}", .text = "https://a.example/dir/a%22%3C%3E%60%7B%7D"},
    {.ref = "?a b\"<>`{}", .text = "https://a.example/dir/page?a%20b%22%3C%3E`{}"},
    {.ref = "\xc3\xa9", .text = "https://a.example/dir/%C3%A9"},
    {.ref = "?\xc3\xa9", .text = "https://a.example/dir/page?%C3%A9"},
    {.ref = "x\x7f", .text = "https://a.example/dir/x%7F"},
    {.ref = "%41%7e", .text = "https://a.example/dir/%41%7e"},
    {.ref = "%zz", .text = "https://a.example/dir/%zz"},
    /* C0 controls and spaces trimmed at both ends, tab and newlines removed anywhere */
    {.ref = "  /x \t", .text = "https://a.example/x"},
    {.ref = "\x01/x\x1f", .text = "https://a.example/x"},
    {.ref = "/a\tb\nc\rd", .text = "https://a.example/abcd"},
    {.ref = "ht\ttps://b.example/", .text = "https://b.example/"},
    /* non-special schemes: no tuple origin, nothing to compare */
    {.ref = "data:,x", .text = NULL, .scheme = "data", .opaque = true},
    {.ref = "javascript:alert(1)", .text = NULL, .scheme = "javascript", .opaque = true},
    {.ref = "mailto:a@b.example", .text = NULL, .scheme = "mailto", .opaque = true},
    /* file: is special but has no tuple origin (url_resolve.c reads its empty host
     * like an http one: "etc" becomes the host; harmless, as a redirect to file:
     * is refused before its URL is compared) */
    {.ref = "file:///etc/passwd", .any_text = true, .scheme = "file", .opaque = true},
    /* nothing to resolve a relative reference against */
    {.base = "-", .ref = "/x", .invalid = true},
    {.base = "-", .ref = "//b.example/", .invalid = true},
    {.base = "-", .ref = "", .invalid = true},
    {.base = "-", .ref = "1http://b.example/", .invalid = true},
    {.base = "-", .ref = "https://b.example/", .text = "https://b.example/"},
};

static void check_row(const resolve_row *row, cors_str ref)
{
    cors__hop_url base, out;
    const cors__hop_url *b = NULL;
    bool ok;
    if (row->base == NULL || strcmp(row->base, "-") != 0) {
        assert_true(cors__url_resolve(NULL, str_z(row->base ? row->base : BASE), &base));
        assert_true(base.text_known);
        b = &base;
    }
    memset(&out, 0xab, sizeof(out));
    ok = cors__url_resolve(b, ref, &out);
    if (ok != !row->invalid)
        fail_msg("'%s': resolve %d, want %d", row->ref, ok, !row->invalid);
    if (row->invalid)
        return;
    assert_true(out.known);
    if (row->any_text) {
        /* not checked */
    } else if (row->text == NULL) {
        if (out.text_known)
            fail_msg("'%s': text '%.*s', want none", row->ref, (int)out.len, out.text);
    } else if (!out.text_known || out.len != strlen(row->text) || memcmp(out.text, row->text, out.len) != 0) {
        fail_msg("'%s': text '%.*s' (known %d), want '%s'", row->ref, (int)out.len, out.text, out.text_known,
                 row->text);
    }
    {
        const char *scheme = row->scheme ? row->scheme : "https";
        if (out.origin.scheme_len != strlen(scheme) || memcmp(out.origin.scheme, scheme, out.origin.scheme_len) != 0)
            fail_msg("'%s': scheme '%.*s', want '%s'", row->ref, (int)out.origin.scheme_len, out.origin.scheme,
                     scheme);
    }
    if (out.origin.tuple != !row->opaque)
        fail_msg("'%s': tuple %d", row->ref, out.origin.tuple);
    if (row->host != NULL &&
        (out.origin.host_len != strlen(row->host) || memcmp(out.origin.host, row->host, out.origin.host_len) != 0))
        fail_msg("'%s': host '%.*s', want '%s'", row->ref, (int)out.origin.host_len, out.origin.host, row->host);
    if (!row->opaque && out.origin.port != (row->port_set ? row->port : -1))
        fail_msg("'%s': port %d", row->ref, (int)out.origin.port);
    if (out.has_credentials != row->credentials)
        fail_msg("'%s': credentials %d", row->ref, out.has_credentials);
    if (out.text_known) {
        /* the path starts after the authority, with a slash */
        assert_true(out.path_start <= out.len);
        assert_true(out.path_start < out.len && out.text[out.path_start] == '/');
    }
}

static void test_resolve_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        check_row(&rows[i], str_z(rows[i].ref));
}

/* Every reference ends at a PROT_NONE page: resolution reads only ref[0, len). */
static void test_resolve_guard_page(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(rows); i++) {
        size_t n = strlen(rows[i].ref);
        check_row(&rows[i], (cors_str){guard_place(&g, rows[i].ref, n), n});
        /* and every prefix resolves or not without reading past it */
        for (size_t k = 0; k < n; k++) {
            cors__hop_url base, out;
            assert_true(cors__url_resolve(NULL, STR(BASE), &base));
            (void)cors__url_resolve(&base, (cors_str){guard_place(&g, rows[i].ref, k), k}, &out);
            assert_true(out.len <= sizeof(out.text));
        }
    }
    guard_free(&g);
}

/* A base whose URL is not known (the request gave none: an https URL of
 * another origin): what is relative to it is of its origin, with no text;
 * a scheme-relative or absolute reference is known again. */
static void test_unknown_base(void **state)
{
    cors__hop_url base, out;
    (void)state;
    memset(&base, 0, sizeof(base));
    base.known = false;
    base.origin.tuple = true;
    memcpy(base.origin.scheme, "https", 5);
    base.origin.scheme_len = 5;
    base.origin.port = -1;
    assert_true(cors__url_resolve(&base, STR("/x"), &out));
    assert_false(out.known);
    assert_false(out.text_known);
    assert_true(cors__url_same_origin(&base, &out));
    assert_true(cors__url_resolve(&base, STR("?q"), &out));
    assert_false(out.known);
    assert_true(cors__url_resolve(&base, STR("//b.example/x"), &out));
    assert_true(out.known);
    assert_true(out.text_known);
    assert_int_equal(out.len, strlen("https://b.example/x"));
    assert_memory_equal(out.text, "https://b.example/x", out.len);
    assert_false(cors__url_same_origin(&base, &out));
    assert_true(cors__url_resolve(&base, STR("https://c.example/"), &out));
    assert_true(out.known);
    assert_false(cors__url_same_origin(&base, &out));
}

/* URLs longer than the text buffer are never "the same URL" as another;
 * their origin is still read. */
static void test_long_urls(void **state)
{
    static char ref[3000];
    cors__hop_url base, out;
    size_t n;
    (void)state;
    assert_true(cors__url_resolve(NULL, STR(BASE), &base));
    /* a relative reference that makes the merged path too long */
    memset(ref, 'q', 1020);
    assert_true(cors__url_resolve(&base, (cors_str){ref, 1020}, &out));
    assert_false(out.text_known);
    assert_true(cors__url_same_origin(&base, &out));
    assert_true(out.len <= sizeof(out.text));
    /* just short enough */
    assert_true(cors__url_resolve(&base, (cors_str){ref, 1000}, &out));
    assert_true(out.text_known);
    assert_int_equal(out.len, strlen("https://a.example/dir/") + 1000);
    /* an absolute URL longer than the text: only its origin is kept (a cut
     * text would make two URLs that differ past the cut "the same URL") */
    n = (size_t)snprintf(ref, sizeof(ref), "https://b.example/");
    memset(ref + n, 'p', 1100);
    n += 1100;
    assert_true(cors__url_resolve(&base, (cors_str){ref, n}, &out));
    assert_false(out.text_known);
    assert_true(out.origin.tuple);
    assert_int_equal(out.origin.host_len, 9);
    assert_memory_equal(out.origin.host, "b.example", 9);
    assert_true(cors__url_resolve(NULL, (cors_str){ref, n}, &out));
    assert_false(out.text_known);
    /* a scheme-relative one too */
    assert_true(cors__url_resolve(&base, (cors_str){ref + 6, n - 6}, &out));
    assert_false(out.text_known);
    /* percent-encoding makes the text longer than the reference */
    memset(ref, ' ', 400);
    ref[0] = 'x';
    ref[399] = 'y';
    assert_true(cors__url_resolve(&base, (cors_str){ref, 400}, &out));
    assert_false(out.text_known);
    assert_int_equal(out.len, sizeof(out.text));
}

typedef struct origin_row {
    const char *a, *b;
    bool same;
} origin_row;

static void test_same_origin(void **state)
{
    static const origin_row orows[] = {
        {.a = "https://a.example/x", .b = "https://a.example/y?z", .same = true},
        {.a = "https://a.example/", .b = "https://A.EXAMPLE:443/", .same = true},
        {.a = "https://a.example/", .b = "https://a.example:8443/"},
        {.a = "https://a.example/", .b = "http://a.example/"},
        {.a = "https://a.example/", .b = "https://b.example/"},
        {.a = "https://a.example/", .b = "https://a.example./"},
        {.a = "https://127.0.0.1/", .b = "https://0x7f000001/", .same = true},
        {.a = "https://u:p@a.example/", .b = "https://a.example/", .same = true},
        {.a = "https://a.example/", .b = "data:,a"},
        {.a = "data:,a", .b = "data:,a"}, /* opaque origins are the same as nothing */
        {.a = "file:///x", .b = "file:///x"},
        {.a = "wss://a.example/", .b = "https://a.example/"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(orows); i++) {
        cors__hop_url a, b;
        assert_true(cors__url_resolve(NULL, str_z(orows[i].a), &a));
        assert_true(cors__url_resolve(NULL, str_z(orows[i].b), &b));
        if (cors__url_same_origin(&a, &b) != orows[i].same || cors__url_same_origin(&b, &a) != orows[i].same ||
            cors__url_origin_same(&a.origin, &b.origin) != orows[i].same)
            fail_msg("%s vs %s: want same %d", orows[i].a, orows[i].b, orows[i].same);
    }
}

static void test_mixed_content(void **state)
{
    static const struct {
        const char *page, *url;
        bool mixed;
    } mrows[] = {
        {.page = "https://app.example", .url = "http://api.example/", .mixed = true},
        {.page = "https://app.example", .url = "https://api.example/"},
        {.page = "http://app.example", .url = "http://api.example/"},
        {.page = "https://app.example", .url = "http://localhost:8080/"},
        {.page = "https://app.example", .url = "http://api.localhost/"},
        {.page = "https://app.example", .url = "http://xlocalhost/", .mixed = true},
        {.page = "https://app.example", .url = "http://127.0.0.1/"},
        {.page = "https://app.example", .url = "http://127.255.0.9/"},
        {.page = "https://app.example", .url = "http://0x7f.1/"},
        {.page = "https://app.example", .url = "http://128.0.0.1/", .mixed = true},
        {.page = "https://app.example", .url = "http://127.0.0.1.example/", .mixed = true},
        {.page = "https://app.example", .url = "http://[::1]/"},
        {.page = "https://app.example", .url = "http://[::2]/", .mixed = true},
        {.page = "https://app.example", .url = "ws://api.example/"},
        {.page = "null", .url = "http://api.example/"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(mrows); i++) {
        cors_origin o;
        cors__url_origin page;
        cors__hop_url u;
        assert_int_equal(cors_origin_parse(mrows[i].page, strlen(mrows[i].page), &o, NULL), CORS_OK);
        cors__url_origin_of(&o, &page);
        assert_true(cors__url_resolve(NULL, str_z(mrows[i].url), &u));
        if (cors__url_is_mixed_content(&page, &u) != mrows[i].mixed)
            fail_msg("%s on %s: want mixed %d", mrows[i].url, mrows[i].page, mrows[i].mixed);
    }
}

/* The page's host is the origin host's canonical form (cors__host_canonical), whether
 * cors__url_origin_of copies a plain domain or canonicalizes: IPv4 forms, IPv6, a trailing dot,
 * a last label starting with a digit, a host past the 256-byte buffer. */
static void test_origin_of_host_is_canonical(void **state)
{
    static const char *origins[] = {
        "https://app.example", "https://app.example.", "http://1.2.3.4", "http://0x7f.1", "https://a.b.c.09",
        "https://1.example", "https://example.1a", "https://[::1]", "https://x_y.example:8443", "http://localhost",
        "https://a", "https://9", "https://a..b", "https://.", "https://0.0.0.0.",
    };
    char text[CORS_ORIGIN_MAX + 1], want[256];
    (void)state;
    for (size_t i = 0; i <= COUNT(origins); i++) {
        cors_origin o;
        cors__url_origin page;
        size_t n;
        if (i < COUNT(origins)) {
            n = strlen(origins[i]);
            memcpy(text, origins[i], n);
        } else { /* the longest: a host of 292 bytes */
            memcpy(text, "https://", 8);
            memset(text + 8, 'a', CORS_ORIGIN_MAX - 8);
            n = CORS_ORIGIN_MAX;
        }
        assert_int_equal(cors_origin_parse(text, n, &o, NULL), CORS_OK);
        cors__url_origin_of(&o, &page);
        size_t len = cors__host_canonical(o.host.ptr, o.host.len, want, sizeof(want));
        assert_true(page.tuple);
        assert_int_equal(page.host_len, len);
        assert_memory_equal(page.host, want, len < sizeof(want) ? len : sizeof(want));
    }
}

/* A page's origin as a URL origin: the same as the URLs it serves. */
static void test_origin_of(void **state)
{
    static const struct {
        const char *origin, *url;
        bool same;
    } prows[] = {
        {.origin = "https://app.example", .url = "https://app.example/x", .same = true},
        {.origin = "https://app.example:8443", .url = "https://app.example:8443/", .same = true},
        {.origin = "https://app.example", .url = "https://app.example:8443/"},
        {.origin = "http://app.example", .url = "https://app.example/"},
        {.origin = "https://[::1]", .url = "https://[0::1]/", .same = true},
        {.origin = "null", .url = "https://app.example/"},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(prows); i++) {
        cors_origin o;
        cors__url_origin page;
        cors__hop_url u;
        memset(&page, 0xab, sizeof(page));
        assert_int_equal(cors_origin_parse(prows[i].origin, strlen(prows[i].origin), &o, NULL), CORS_OK);
        cors__url_origin_of(&o, &page);
        assert_true(cors__url_resolve(NULL, str_z(prows[i].url), &u));
        if (cors__url_origin_same(&page, &u.origin) != prows[i].same)
            fail_msg("%s vs %s: want same %d", prows[i].origin, prows[i].url, prows[i].same);
        if (o.is_opaque)
            assert_false(page.tuple);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_table),
        cmocka_unit_test(test_resolve_guard_page),
        cmocka_unit_test(test_unknown_base),
        cmocka_unit_test(test_long_urls),
        cmocka_unit_test(test_same_origin),
        cmocka_unit_test(test_mixed_content),
        cmocka_unit_test(test_origin_of),
        cmocka_unit_test(test_origin_of_host_is_canonical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
