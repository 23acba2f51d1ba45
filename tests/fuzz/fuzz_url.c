/* SPDX-License-Identifier: MIT */
/*
 * fuzz_url.c - serialized origins and the URLs redirect chains follow, on
 * arbitrary bytes. The whole input, and each side of a "\n--\n" separator
 * (base, then reference), are checked as:
 *  - cors_origin_parse: on success the input is at most CORS_ORIGIN_MAX
 *    bytes, scheme and host are views into it, the port is -1 or 0..65535,
 *    and cors_origin_serialize writes back exactly the input (only canonical
 *    serializations are accepted); a short buffer gets the same length and
 *    no byte past its capacity; on failure CORS_E_BAD_ORIGIN with err->offset
 *    inside [0, max(len, CORS_ORIGIN_MAX)];
 *  - cors_origin_equal: reflexive, symmetric, byte equality;
 *  - lib/url.c's validity check (cors__url_parse, internal), absolute and
 *    against an https and an http base: returns out->valid, agrees with
 *    cors__url_is_valid, and ignores a tab inserted anywhere;
 *  - lib/url_resolve.c (cors__url_resolve), the resolver of
 *    cors_evaluate_chain: an absolute URL and the reference resolved against
 *    it keep their text inside its buffer with the path after the origin
 *    (a reference the validity check passes against the base's scheme);
 *    a URL is the same origin as itself, and the comparison is symmetric;
 *    the text of a resolved http(s) URL with a host, resolved again, is the
 *    same text.
 */
#include "fuzz.h"

#include "internal.h"

static void check_serialize(const cors_origin *o, const char *data, size_t size)
{
    static char buf[CORS_ORIGIN_MAX + 8];
    size_t n = cors_origin_serialize(o, buf, sizeof(buf));
    FUZZ_CHECK(n == size && memcmp(buf, data, size) == 0);
    FUZZ_CHECK(buf[n] == '\0');
    /* too small: the same length, no byte past the capacity */
    for (size_t cap = 0; cap <= n && cap < 4; cap++) {
        memset(buf, '#', n + 2);
        FUZZ_CHECK(cors_origin_serialize(o, buf, cap) == n);
        FUZZ_CHECK(buf[cap] == '#' && buf[cap + 1] == '#');
    }
    memset(buf, '#', n + 2);
    FUZZ_CHECK(cors_origin_serialize(o, buf, n) == n && buf[n] == '#');
}

static void check_origin(cors_str s)
{
    cors_origin o;
    cors_error err;
    int32_t st = cors_origin_parse(s.ptr, s.len, &o, &err);
    if (st != CORS_OK) {
        FUZZ_CHECK(st == CORS_E_BAD_ORIGIN && err.status == st && err.line == 0);
        FUZZ_CHECK(err.offset <= (s.len > CORS_ORIGIN_MAX ? s.len : CORS_ORIGIN_MAX));
        return;
    }
    FUZZ_CHECK(err.status == 0 && err.offset == 0);
    FUZZ_CHECK(s.len <= CORS_ORIGIN_MAX);
    FUZZ_CHECK(o.is_opaque == 0 || o.is_opaque == 1);
    if (o.is_opaque) {
        FUZZ_CHECK(fuzz_equal(s, "null"));
    } else {
        FUZZ_CHECK(o.scheme.len > 0 && fuzz_is_inside(o.scheme.ptr, o.scheme.len, s.ptr, s.len));
        FUZZ_CHECK(o.host.len > 0 && fuzz_is_inside(o.host.ptr, o.host.len, s.ptr, s.len));
        FUZZ_CHECK(o.port == -1 || (o.port >= 0 && o.port <= 65535));
    }
    check_serialize(&o, s.ptr, s.len);
}

static void check_equal(cors_str s)
{
    const char *a = s.ptr, *b = a + s.len / 2;
    size_t a_len = s.len / 2, b_len = s.len - s.len / 2;
    int32_t ab = cors_origin_equal(a, a_len, b, b_len);
    FUZZ_CHECK(cors_origin_equal(s.ptr, s.len, s.ptr, s.len) == 1);
    FUZZ_CHECK(ab == cors_origin_equal(b, b_len, a, a_len));
    FUZZ_CHECK(ab == (a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0)));
}

static void check_valid(cors_str value, cors_str base_scheme)
{
    static char with_tab[2048];
    cors__url url, url2;
    bool valid = cors__url_parse(value, base_scheme, &url);
    FUZZ_CHECK(valid == url.valid);
    if (base_scheme.len == 0)
        FUZZ_CHECK(cors__url_is_valid(value) == valid);
    /* below the checker's copy buffer, a tab anywhere is removed before parsing */
    if (value.len > 0 && value.len < sizeof(with_tab)) {
        size_t at = (unsigned char)value.ptr[0] % (value.len + 1);
        memcpy(with_tab, value.ptr, at);
        with_tab[at] = '\t';
        memcpy(with_tab + at + 1, value.ptr + at, value.len - at);
        FUZZ_CHECK(cors__url_parse((cors_str){with_tab, value.len + 1}, base_scheme, &url2) == valid);
        if (valid) {
            FUZZ_CHECK(url2.is_special == url.is_special && url2.has_credentials == url.has_credentials);
            FUZZ_CHECK(url2.scheme_len == url.scheme_len);
        }
    }
}

static void check_hop_url(const cors__hop_url *u)
{
    FUZZ_CHECK(u->len <= sizeof(u->text) && u->path_start <= u->len);
    FUZZ_CHECK(u->origin.scheme_len <= sizeof(u->origin.scheme));
    /* hosts longer than the 256 bytes kept are the same origin as nothing (DNS names are at most 253) */
    FUZZ_CHECK(cors__url_same_origin(u, u) || !u->origin.tuple || u->origin.host_len > sizeof(u->origin.host));
    FUZZ_CHECK(cors__url_origin_same(&u->origin, &u->origin) || !u->origin.tuple ||
               u->origin.host_len > sizeof(u->origin.host));
}

/* The text of a resolved URL is its serialization: reading it again changes nothing. */
static void check_text_stable(const cors__hop_url *u)
{
    cors__hop_url again;
    if (!u->text_known || !u->origin.tuple || u->len == 0)
        return;
    FUZZ_CHECK(cors__url_resolve(NULL, (cors_str){u->text, u->len}, &again));
    FUZZ_CHECK(again.text_known && again.len == u->len && memcmp(again.text, u->text, u->len) == 0);
    FUZZ_CHECK(again.path_start == u->path_start && cors__url_same_origin(u, &again));
}

static void check_resolve(cors_str base_text, cors_str ref)
{
    static cors__hop_url base, out;
    if (!cors__url_is_valid(base_text) || !cors__url_resolve(NULL, base_text, &base))
        return;
    check_hop_url(&base);
    check_text_stable(&base);
    /* redirects leave http and https hops only: the Location is judged against the hop's scheme */
    cors_str scheme = {base.origin.scheme, base.origin.scheme_len};
    if (!cors__equal(scheme, CORS_LIT("https")) && !cors__equal(scheme, CORS_LIT("http")))
        return;
    if (!cors__url_parse(ref, scheme, &(cors__url){0}) || !cors__url_resolve(&base, ref, &out))
        return;
    check_hop_url(&out);
    check_text_stable(&out);
    FUZZ_CHECK(cors__url_same_origin(&base, &out) == cors__url_same_origin(&out, &base));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cors_str whole = {(const char *)data, size};
    const char *p = whole.ptr, *end = whole.ptr + size;
    cors_str base = fuzz_next_part(&p, end, "\n--\n"), ref = {p, (size_t)(end - p)};

    check_origin(whole);
    check_equal(whole);
    check_valid(whole, (cors_str){NULL, 0});
    check_valid(whole, CORS_LIT("https"));
    check_valid(whole, CORS_LIT("http"));
    check_resolve(whole, (cors_str){"", 0});
    if (ref.ptr != whole.ptr + size || base.len < size) {
        check_origin(base);
        check_origin(ref);
        check_valid(ref, CORS_LIT("https"));
        check_valid(ref, CORS_LIT("http"));
        check_resolve(base, ref);
    }
    return 0;
}
