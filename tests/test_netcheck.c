/* SPDX-License-Identifier: MIT */
/*
 * test_netcheck.c - lib/netcheck.c: what Chromium's network stack refuses in
 * a head's lines (http_stream_parser.cc ParseResponseHeaders,
 * http_util.cc HeadersContainMultipleCopiesOfField, ParseContentEncoding):
 * differing Content-Length, Content-Disposition or Location values, a chunked
 * Transfer-Encoding excusing Content-Length from HTTP/1.1 on, a malformed
 * Content-Encoding; the repeated-header repair bits; the line-by-line feed
 * (cors__netcheck_line) agreeing with cors__netcheck_headers; values against
 * a PROT_NONE page.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>

#include "internal.h"
#include "test_util.h"

typedef struct line_spec {
    const char *name;
    const char *value;
} line_spec;

typedef struct netcheck_row {
    const char *label;
    line_spec lines[5];
    int32_t http_version;  /* 0: 11 */
    int32_t kind;          /* CORS_KIND_NONE or the network error */
    uint32_t repairs;
} netcheck_row;

#define CL "Content-Length"
#define CD "Content-Disposition"
#define CE "Content-Encoding"
#define TE "Transfer-Encoding"
#define LOC "Location"
#define R(x) CORS_REPAIR_##x

static const netcheck_row rows[] = {
    {.label = "nothing to check", .lines = {{"A", "1"}, {"Content-Type", "text/plain"}}},
    {.label = "one Content-Length", .lines = {{CL, "10"}}},
    /* Content-Length */
    {.label = "the same Content-Length twice", .lines = {{CL, "10"}, {CL, "10"}}, .repairs = R(REPEATED_CONTENT_LENGTH)},
    {.label = "two values in one line, the same", .lines = {{CL, "10, 10"}}, .repairs = R(REPEATED_CONTENT_LENGTH)},
    {.label = "two different", .lines = {{CL, "10"}, {CL, "11"}}, .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "two different in one line", .lines = {{CL, "10,11"}}, .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "an empty element differs", .lines = {{CL, "10, "}}, .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "elements are trimmed", .lines = {{CL, " 10 "}, {CL, "\t10"}}, .repairs = R(REPEATED_CONTENT_LENGTH)},
    {.label = "any case of the name", .lines = {{"content-length", "1"}, {"CONTENT-LENGTH", "2"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "chunked excuses it (HTTP/1.1)", .lines = {{CL, "1"}, {CL, "2"}, {TE, "gzip, chunked"}}},
    {.label = "chunked in any case", .lines = {{TE, "CHUNKED"}, {CL, "1"}, {CL, "2"}}},
    {.label = "chunked also hides the repeat", .lines = {{CL, "1"}, {CL, "1"}, {TE, "chunked"}}},
    {.label = "not under HTTP/1.0", .lines = {{CL, "1"}, {CL, "2"}, {TE, "chunked"}}, .http_version = 10,
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "chunkedx is no chunked", .lines = {{CL, "1"}, {CL, "2"}, {TE, "chunkedx"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    /* Content-Disposition: quoted commas do not split */
    {.label = "one Content-Disposition with a quoted comma",
     .lines = {{CD, "attachment; filename=\"a,b.txt\""}}},
    {.label = "the same Content-Disposition twice", .lines = {{CD, "inline"}, {CD, "inline"}},
     .repairs = R(REPEATED_CONTENT_DISPOSITION)},
    {.label = "two Content-Dispositions", .lines = {{CD, "inline"}, {CD, "attachment"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS},
    {.label = "an unquoted comma splits", .lines = {{CD, "attachment; filename=a,b.txt"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS},
    {.label = "chunked does not excuse it", .lines = {{CD, "a"}, {CD, "b"}, {TE, "chunked"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS},
    /* Location: one element per line, commas and all */
    {.label = "a Location with a comma", .lines = {{LOC, "/a,b"}}},
    {.label = "the same Location twice", .lines = {{LOC, "/a"}, {LOC, "/a"}}, .repairs = R(REPEATED_LOCATION)},
    {.label = "two Locations", .lines = {{LOC, "/a"}, {LOC, "/b"}}, .kind = CORS_KIND_MULTIPLE_LOCATION_HEADERS},
    {.label = "Location compared byte for byte", .lines = {{LOC, "/a"}, {LOC, "/A"}},
     .kind = CORS_KIND_MULTIPLE_LOCATION_HEADERS},
    /* Content-Encoding */
    {.label = "a list of codings", .lines = {{CE, "gzip, br"}, {CE, "identity"}}},
    {.label = "an empty element is fine", .lines = {{CE, "gzip,,br"}}},
    {.label = "a quote", .lines = {{CE, "\"gzip\""}}, .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "a parameter", .lines = {{CE, "gzip;q=1"}}, .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "a wildcard", .lines = {{CE, "*"}}, .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "a space inside a coding", .lines = {{CE, "gz ip"}}, .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "a tab inside a coding", .lines = {{CE, "br, gz\tip"}}, .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    /* the order of the checks: Content-Length, Content-Disposition, Location, Content-Encoding */
    {.label = "Content-Length first", .lines = {{CE, "*"}, {LOC, "/a"}, {LOC, "/b"}, {CL, "1"}, {CL, "2"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS},
    {.label = "Content-Disposition before Location", .lines = {{LOC, "/a"}, {LOC, "/b"}, {CD, "a"}, {CD, "b"}},
     .kind = CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS},
    {.label = "Location before Content-Encoding", .lines = {{CE, "*"}, {LOC, "/a"}, {LOC, "/b"}},
     .kind = CORS_KIND_MULTIPLE_LOCATION_HEADERS},
    {.label = "an error leaves no repair", .lines = {{LOC, "/a"}, {LOC, "/a"}, {CE, "*"}},
     .kind = CORS_KIND_CONTENT_DECODING_FAILED},
    {.label = "every repair at once", .lines = {{CL, "1"}, {CL, "1"}, {CD, "a"}, {CD, "a"}, {LOC, "/"}},
     .repairs = R(REPEATED_CONTENT_LENGTH) | R(REPEATED_CONTENT_DISPOSITION)},
};

static size_t build(const netcheck_row *row, cors_header *hs)
{
    size_t n = 0;
    for (; n < COUNT(row->lines) && row->lines[n].name != NULL; n++) {
        hs[n].name = str_z(row->lines[n].name);
        hs[n].value = str_z(row->lines[n].value);
    }
    return n;
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const netcheck_row *row = &rows[i];
        int32_t version = row->http_version ? row->http_version : 11;
        cors_header hs[5];
        size_t n = build(row, hs);
        uint32_t repairs = 0x80000000u; /* bits already there stay */
        int32_t kind = cors__netcheck_headers(hs, n, version, &repairs);
        if (kind != row->kind || repairs != (0x80000000u | (row->kind ? 0 : row->repairs)))
            fail_msg("%s: %s repairs 0x%x, want %s 0x%x", row->label, cors_kind_name(kind), (unsigned)repairs,
                     cors_kind_name(row->kind), (unsigned)row->repairs);
        /* repairs NULL: the same verdict */
        assert_int_equal(cors__netcheck_headers(hs, n, version, NULL), row->kind);
        /* fed line by line, as an interim head is */
        {
            cors__netcheck nc;
            cors__netcheck_begin(&nc);
            for (size_t k = 0; k < n; k++)
                cors__netcheck_line(&nc, cors__token_lookup(hs[k].name), hs[k].value);
            repairs = 0;
            assert_int_equal(cors__netcheck_end(&nc, version, true, &repairs), row->kind);
            assert_int_equal(repairs, row->kind ? 0 : row->repairs);
        }
    }
}

/* Content-Encoding is not checked when the caller says so (an Early Hints head). */
static void test_content_encoding_optional(void **state)
{
    cors__netcheck nc;
    uint32_t repairs = 0;
    (void)state;
    cors__netcheck_begin(&nc);
    cors__netcheck_line(&nc, TOK_CONTENT_ENCODING, STR("a b"));
    assert_int_equal(cors__netcheck_end(&nc, 11, false, &repairs), CORS_KIND_NONE);
    assert_int_equal(cors__netcheck_end(&nc, 11, true, &repairs), CORS_KIND_CONTENT_DECODING_FAILED);
    /* begin forgets everything */
    cors__netcheck_begin(&nc);
    assert_int_equal(cors__netcheck_end(&nc, 11, true, &repairs), CORS_KIND_NONE);
    assert_int_equal(repairs, 0);
}

/* Values of a folded line (Chromium's reading keeps CR LF SP in the view)
 * compare as the joined value. */
static void test_folded_values(void **state)
{
    cors_header hs[] = {{STR("Location"), STR("/a\r\n b")}, {STR("Location"), STR("/a b")}};
    uint32_t repairs = 0;
    (void)state;
    assert_int_equal(cors__netcheck_headers(hs, 2, 11, &repairs), CORS_KIND_NONE);
    assert_int_equal(repairs, CORS_REPAIR_REPEATED_LOCATION);
    hs[1].value = STR("/a  b");
    assert_int_equal(cors__netcheck_headers(hs, 2, 11, &repairs), CORS_KIND_MULTIPLE_LOCATION_HEADERS);
}

/* Every value ends at a PROT_NONE page. */
static void test_guard_page(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_header hs[5];
        size_t n = build(&rows[i], hs);
        for (size_t k = 0; k < n; k++) {
            cors__netcheck nc;
            cors_str v = hs[k].value;
            for (size_t len = 0; len <= v.len; len++) {
                cors__netcheck_begin(&nc);
                cors__netcheck_line(&nc, cors__token_lookup(hs[k].name), (cors_str){guard_place(&g, v.ptr, len), len});
                (void)cors__netcheck_end(&nc, 11, true, NULL);
            }
        }
    }
    guard_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_content_encoding_optional),
        cmocka_unit_test(test_folded_values),
        cmocka_unit_test(test_guard_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
