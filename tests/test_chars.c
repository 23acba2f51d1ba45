/* SPDX-License-Identifier: MIT */
/*
 * test_chars.c - lib/chars.c: the byte-class table against each rule written
 * out again here as the standard states it, for all 256 bytes; the decimal
 * parser (saturation, empty input, non-digits) against a reference; the
 * compares, trims and predicates; cors__fail. Inputs are placed against a
 * PROT_NONE page, so a read past a string's length crashes.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>

#include "internal.h"
#include "scan.h"
#include "test_util.h"

/* ------------------------------------------------------------------------ */
/* The class table                                                           */
/* ------------------------------------------------------------------------ */

static int in_set(int c, const char *set, size_t n)
{
    return c < 256 && memchr(set, c, n) != NULL;
}
#define IN_SET(c, lit) in_set((c), (lit), sizeof(lit) - 1)

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(int c) { return is_upper(c) || is_lower(c); }

/* RFC 9110 5.6.2 tchar */
static int rule_token(int c) { return is_digit(c) || is_alpha(c) || IN_SET(c, "!#$%&'*+-.^_`|~"); }
static int rule_digit(int c) { return is_digit(c); }
static int rule_hex(int c) { return is_digit(c) || IN_SET(c, "abcdefABCDEF"); }
static int rule_alpha(int c) { return is_alpha(c); }
static int rule_upper(int c) { return is_upper(c); }
/* Fetch: HTTP tab or space */
static int rule_tab_space(int c) { return c == 0x09 || c == 0x20; }
/* Fetch: HTTP whitespace: HTTP newline byte (LF, CR) or HTTP tab or space */
static int rule_http_ws(int c) { return c == 0x0a || c == 0x0d || c == 0x09 || c == 0x20; }
/* Fetch: CORS-unsafe request-header byte: byte < 0x20 and not 0x09, or
 * 0x22 ( ) : < > ? @ [ \ ] { } 0x7F */
static int rule_unsafe_value(int c) { return (c < 0x20 && c != 0x09) || c == 0x7f || IN_SET(c, "\"():<>?@[\\]{}"); }
/* Fetch: CORS-safelisted request-header, `accept-language` / `content-language`:
 * 0x30-0x39, 0x41-0x5A, 0x61-0x7A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D */
static int rule_language(int c)
{
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
           IN_SET(c, "\x20\x2a\x2c\x2d\x2e\x3b\x3d");
}
/* URL: scheme code points after the first: ASCII alphanumeric, U+002B (+), U+002D (-), U+002E (.) */
static int rule_scheme(int c) { return is_digit(c) || is_alpha(c) || IN_SET(c, "+-."); }
/* a serialized origin's host: what the URL host serializer writes for a domain */
static int rule_origin_host(int c) { return is_digit(c) || is_lower(c) || IN_SET(c, "-._"); }
/* URL: forbidden host code point: U+0000 NULL, U+0009 TAB, U+000A LF, U+000D CR,
 * U+0020 SPACE, U+0023 (#), U+002F (/), U+003A (:), U+003C (<), U+003E (>),
 * U+003F (?), U+0040 (@), U+005B ([), U+005C (\), U+005D (]), U+005E (^), U+007C (|) */
static int rule_forbidden_opaque_host(int c)
{
    return c == 0 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x20 || IN_SET(c, "#/:<>?@[\\]^|");
}
/* URL: forbidden domain code point: a forbidden host code point, a C0 control, U+0025 (%) or U+007F DELETE */
static int rule_forbidden_host(int c) { return rule_forbidden_opaque_host(c) || c <= 0x1f || c == '%' || c == 0x7f; }
/* URL: C0 control or space: U+0000 to U+001F and U+0020 */
static int rule_c0_space(int c) { return c <= 0x20; }
/* RFC 9110 5.6.1: what a #list skips before an element: "," and OWS (SP, HTAB) */
static int rule_list_gap(int c) { return c == ',' || c == 0x20 || c == 0x09; }

typedef struct class_rule {
    const char *name;
    uint16_t cls;
    int (*rule)(int c);
} class_rule;

static const class_rule class_rules[] = {
    {.name = "CC_TOKEN", .cls = CC_TOKEN, .rule = rule_token},
    {.name = "CC_DIGIT", .cls = CC_DIGIT, .rule = rule_digit},
    {.name = "CC_HEX", .cls = CC_HEX, .rule = rule_hex},
    {.name = "CC_ALPHA", .cls = CC_ALPHA, .rule = rule_alpha},
    {.name = "CC_UPPER", .cls = CC_UPPER, .rule = rule_upper},
    {.name = "CC_TAB_SPACE", .cls = CC_TAB_SPACE, .rule = rule_tab_space},
    {.name = "CC_HTTP_WS", .cls = CC_HTTP_WS, .rule = rule_http_ws},
    {.name = "CC_UNSAFE_VALUE", .cls = CC_UNSAFE_VALUE, .rule = rule_unsafe_value},
    {.name = "CC_LANGUAGE", .cls = CC_LANGUAGE, .rule = rule_language},
    {.name = "CC_SCHEME", .cls = CC_SCHEME, .rule = rule_scheme},
    {.name = "CC_ORIGIN_HOST", .cls = CC_ORIGIN_HOST, .rule = rule_origin_host},
    {.name = "CC_FORBIDDEN_HOST", .cls = CC_FORBIDDEN_HOST, .rule = rule_forbidden_host},
    {.name = "CC_FORBIDDEN_OPAQUE_HOST", .cls = CC_FORBIDDEN_OPAQUE_HOST, .rule = rule_forbidden_opaque_host},
    {.name = "CC_C0_SPACE", .cls = CC_C0_SPACE, .rule = rule_c0_space},
    {.name = "CC_LIST_GAP", .cls = CC_LIST_GAP, .rule = rule_list_gap},
};

static void test_class_table_follows_the_rules(void **state)
{
    uint16_t all = 0;
    (void)state;
    for (size_t k = 0; k < COUNT(class_rules); k++) {
        /* one bit per class */
        assert_int_equal(class_rules[k].cls & (class_rules[k].cls - 1), 0);
        assert_int_equal(all & class_rules[k].cls, 0);
        all = (uint16_t)(all | class_rules[k].cls);
    }
    for (int c = 0; c < 256; c++) {
        for (size_t k = 0; k < COUNT(class_rules); k++) {
            int want = class_rules[k].rule(c) && c < 0x80;
            if ((cors__is((unsigned char)c, class_rules[k].cls) ? 1 : 0) != want ||
                ((cors__char_class[c] & class_rules[k].cls) != 0) != want)
                fail_msg("byte 0x%02x: %s is %d, the rule says %d", c, class_rules[k].name,
                         !want, want);
        }
        /* no bit outside the classes internal.h names */
        if (cors__char_class[c] & ~all)
            fail_msg("byte 0x%02x has unnamed class bits 0x%04x", c, (unsigned)(cors__char_class[c] & ~all));
        /* bytes >= 0x80 belong to no class */
        if (c >= 0x80)
            assert_int_equal(cors__char_class[c], 0);
    }
}

/* A few bytes by name, so a reader sees what the table means. */
static void test_class_table_spot_checks(void **state)
{
    static const struct {
        unsigned char c;
        uint16_t in, out;
    } spots[] = {
        {.c = 'a', .in = CC_TOKEN | CC_HEX | CC_ALPHA | CC_LANGUAGE | CC_SCHEME | CC_ORIGIN_HOST, .out = CC_UPPER},
        {.c = 'G', .in = CC_TOKEN | CC_ALPHA | CC_UPPER, .out = CC_HEX | CC_ORIGIN_HOST},
        {.c = '_', .in = CC_TOKEN | CC_ORIGIN_HOST, .out = CC_LANGUAGE | CC_SCHEME},
        {.c = '%', .in = CC_TOKEN | CC_FORBIDDEN_HOST, .out = CC_FORBIDDEN_OPAQUE_HOST},
        {.c = '^', .in = CC_TOKEN | CC_FORBIDDEN_HOST | CC_FORBIDDEN_OPAQUE_HOST, .out = CC_UNSAFE_VALUE},
        {.c = '"', .in = CC_UNSAFE_VALUE, .out = CC_TOKEN},
        {.c = '\t', .in = CC_TAB_SPACE | CC_HTTP_WS | CC_C0_SPACE | CC_FORBIDDEN_HOST, .out = CC_UNSAFE_VALUE},
        {.c = '\r', .in = CC_HTTP_WS | CC_UNSAFE_VALUE | CC_C0_SPACE, .out = CC_TAB_SPACE},
        {.c = '\v', .in = CC_UNSAFE_VALUE | CC_C0_SPACE | CC_FORBIDDEN_HOST, .out = CC_HTTP_WS},
        {.c = ' ', .in = CC_TAB_SPACE | CC_LANGUAGE | CC_C0_SPACE, .out = CC_TOKEN | CC_UNSAFE_VALUE},
        {.c = 0x7f, .in = CC_UNSAFE_VALUE | CC_FORBIDDEN_HOST, .out = CC_C0_SPACE | CC_FORBIDDEN_OPAQUE_HOST},
        {.c = 0, .in = CC_UNSAFE_VALUE | CC_FORBIDDEN_HOST | CC_FORBIDDEN_OPAQUE_HOST | CC_C0_SPACE, .out = CC_TOKEN},
        {.c = 0xe9, .in = 0, .out = 0xffff},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(spots); i++) {
        uint16_t got = cors__char_class[spots[i].c];
        if ((got & spots[i].in) != spots[i].in || (got & spots[i].out) != 0)
            fail_msg("byte 0x%02x: classes 0x%04x", spots[i].c, (unsigned)got);
    }
}

static void test_lower(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        int want = is_upper(c) ? c + 32 : c; /* ASCII only: no Latin-1 folding */
        assert_int_equal(cors__lower((unsigned char)c), want);
    }
}

/* ------------------------------------------------------------------------ */
/* The decimal parser                                                        */
/* ------------------------------------------------------------------------ */

typedef struct decimal_row {
    const char *text;
    size_t len;    /* 0: strlen(text) */
    uint64_t max;
    cors__num want;
    uint64_t value;
} decimal_row;

static const decimal_row decimal_rows[] = {
    {.text = "", .max = 999, .want = NUM_EMPTY, .value = 0},
    {.text = "0", .max = 999, .want = NUM_OK, .value = 0},
    {.text = "7", .max = 999, .want = NUM_OK, .value = 7},
    {.text = "204", .max = 999, .want = NUM_OK, .value = 204},
    {.text = "999", .max = 999, .want = NUM_OK, .value = 999},
    {.text = "1000", .max = 999, .want = NUM_OVER, .value = 999},
    {.text = "0000000000000000000000000000204", .max = 999, .want = NUM_OK, .value = 204}, /* zeros never overflow */
    {.text = "65535", .max = 65535, .want = NUM_OK, .value = 65535},
    {.text = "65536", .max = 65535, .want = NUM_OVER, .value = 65535},
    {.text = "0", .max = 0, .want = NUM_OK, .value = 0},
    {.text = "1", .max = 0, .want = NUM_OVER, .value = 0},
    {.text = "9223372036854775807", .max = INT64_MAX, .want = NUM_OK, .value = INT64_MAX},
    {.text = "9223372036854775808", .max = INT64_MAX, .want = NUM_OVER, .value = INT64_MAX},
    {.text = "9223372036854775808", .max = (uint64_t)INT64_MAX + 1, .want = NUM_OK, .value = (uint64_t)INT64_MAX + 1},
    {.text = "9999999999999999999", .max = UINT64_MAX, .want = NUM_OK, .value = 9999999999999999999u}, /* 19 digits */
    {.text = "9999999999999999999", .max = INT64_MAX, .want = NUM_OVER, .value = INT64_MAX},
    {.text = "1000000000000000000", .max = 999999999999999999u, .want = NUM_OVER, .value = 999999999999999999u},
    {.text = "999999999999999999x", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "18446744073709551615", .max = UINT64_MAX, .want = NUM_OK, .value = UINT64_MAX},
    {.text = "18446744073709551616", .max = UINT64_MAX, .want = NUM_OVER, .value = UINT64_MAX},
    {.text = "99999999999999999999999999999999", .max = UINT64_MAX, .want = NUM_OVER, .value = UINT64_MAX},
    /* a non-digit anywhere wins over saturation, and leaves 0 */
    {.text = "99999999999999999999x", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "12a", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "a12", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "-1", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "+1", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = " 1", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "1 ", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "1.0", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "0x10", .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "1\0" "2", .len = 3, .max = 999, .want = NUM_NOT_DIGIT, .value = 0},
    {.text = "\xd9\xa1", .max = 999, .want = NUM_NOT_DIGIT, .value = 0}, /* ARABIC-INDIC DIGIT ONE */
    /* the length bounds the input */
    {.text = "123456", .len = 3, .max = 999, .want = NUM_OK, .value = 123},
};

static void test_decimal_table(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(decimal_rows); i++) {
        const decimal_row *row = &decimal_rows[i];
        size_t len = row->len ? row->len : strlen(row->text);
        uint64_t out = 0xabababababababab;
        cors_str s = {guard_place(&g, row->text, len), len};
        cors__num got = cors__decimal(s, row->max, &out);
        if (got != row->want || out != row->value)
            fail_msg("'%.*s' max %llu: %d, %llu; want %d, %llu", (int)len, row->text, (unsigned long long)row->max,
                     (int)got, (unsigned long long)out, (int)row->want, (unsigned long long)row->value);
    }
    guard_free(&g);
}

/* Every number 0 .. 99999 with every max in a list, against strtoull. */
static void test_decimal_against_a_reference(void **state)
{
    static const uint64_t maxes[] = {0, 1, 9, 10, 15, 99, 100, 255, 999, 1000, 7200, 65535, 99998};
    char text[16];
    (void)state;
    for (size_t m = 0; m < COUNT(maxes); m++) {
        for (unsigned long v = 0; v < 100000; v += (v < 2000 ? 1 : 7)) {
            uint64_t out;
            int n = snprintf(text, sizeof(text), "%lu", v);
            cors__num got = cors__decimal((cors_str){text, (size_t)n}, maxes[m], &out);
            cors__num want = v <= maxes[m] ? NUM_OK : NUM_OVER;
            uint64_t want_value = v <= maxes[m] ? v : maxes[m];
            if (got != want || out != want_value)
                fail_msg("%lu max %llu: %d %llu", v, (unsigned long long)maxes[m], (int)got, (unsigned long long)out);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Predicates, compares and trims                                            */
/* ------------------------------------------------------------------------ */

static void test_is_token(void **state)
{
    char buf[3] = {'a', 0, 'b'};
    (void)state;
    assert_false(cors__is_token((cors_str){NULL, 0}));
    assert_false(cors__is_token(STR("")));
    assert_true(cors__is_token(STR("!#$%&'*+-.^_`|~09AZaz")));
    assert_true(cors__is_token(STR("*")));
    /* every byte, in the middle of a token */
    for (int c = 0; c < 256; c++) {
        buf[1] = (char)c;
        if (cors__is_token((cors_str){buf, 3}) != (rule_token(c) && c < 0x80))
            fail_msg("'a\\x%02xb'", c);
    }
    /* the length bounds the input */
    assert_true(cors__is_token((cors_str){"abc def", 3}));
    assert_false(cors__is_token((cors_str){"abc def", 4}));
}

static void test_is_digits(void **state)
{
    (void)state;
    assert_false(cors__is_digits((cors_str){NULL, 0}));
    assert_true(cors__is_digits(STR("0123456789")));
    assert_true(cors__is_digits(STR("0")));
    assert_false(cors__is_digits(STR("12a")));
    assert_false(cors__is_digits(STR("-1")));
    assert_false(cors__is_digits(STR("1.5")));
    assert_false(cors__is_digits(STR(" 1")));
    assert_true(cors__is_digits((cors_str){"12x", 2}));
}

typedef struct compare_row {
    const char *a, *b;
    int equal;         /* cors__equal */
    int equal_nocase;  /* cors__equal_nocase */
    int bytes;         /* sign of cors__compare_bytes */
    int lower;         /* sign of cors__compare_lower */
} compare_row;

static const compare_row compare_rows[] = {
    {.a = "", .b = "", .equal = 1, .equal_nocase = 1, .bytes = 0, .lower = 0},
    {.a = "abc", .b = "abc", .equal = 1, .equal_nocase = 1, .bytes = 0, .lower = 0},
    {.a = "ABC", .b = "abc", .equal = 0, .equal_nocase = 1, .bytes = -1, .lower = 0},
    {.a = "Vary", .b = "vARY", .equal = 0, .equal_nocase = 1, .bytes = -1, .lower = 0},
    {.a = "a", .b = "b", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    {.a = "a", .b = "ab", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1}, /* shorter first */
    {.a = "", .b = "a", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    {.a = "x-a", .b = "x-a-b", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    {.a = "x-a-b", .b = "x-ab", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    /* lowercasing moves letters after the punctuation between 'Z' and 'a' */
    {.a = "X-Z", .b = "x-_", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = 1},
    {.a = "Z", .b = "[", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = 1},
    {.a = "Z", .b = "`", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = 1},
    {.a = "z", .b = "{", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    /* only ASCII letters fold: '@' is not '`', '[' is not '{' */
    {.a = "@", .b = "`", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    {.a = "[", .b = "{", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    {.a = "\xc9", .b = "\xe9", .equal = 0, .equal_nocase = 0, .bytes = -1, .lower = -1},
    /* bytes compare unsigned */
    {.a = "\x80", .b = "a", .equal = 0, .equal_nocase = 0, .bytes = 1, .lower = 1},
    {.a = "\xff", .b = "\x7f", .equal = 0, .equal_nocase = 0, .bytes = 1, .lower = 1},
};

static int sign(int x)
{
    return x < 0 ? -1 : x > 0;
}

static void test_compares(void **state)
{
    guard ga, gb;
    (void)state;
    guard_init(&ga, 4096);
    guard_init(&gb, 4096);
    for (size_t i = 0; i < COUNT(compare_rows); i++) {
        const compare_row *row = &compare_rows[i];
        cors_str a = {guard_place(&ga, row->a, strlen(row->a)), strlen(row->a)};
        cors_str b = {guard_place(&gb, row->b, strlen(row->b)), strlen(row->b)};
        if (cors__equal(a, b) != row->equal || cors__equal(b, a) != row->equal ||
            cors__equal_nocase(a, b) != row->equal_nocase || cors__equal_nocase(b, a) != row->equal_nocase ||
            sign(cors__compare_bytes(a, b)) != row->bytes || sign(cors__compare_bytes(b, a)) != -row->bytes ||
            sign(cors__compare_lower(a, b)) != row->lower || sign(cors__compare_lower(b, a)) != -row->lower)
            fail_msg("'%s' vs '%s': equal %d nocase %d bytes %d lower %d", row->a, row->b, cors__equal(a, b),
                     cors__equal_nocase(a, b), cors__compare_bytes(a, b), cors__compare_lower(a, b));
    }
    guard_free(&ga);
    guard_free(&gb);
    /* NULL with length 0 is the empty string */
    assert_true(cors__equal((cors_str){NULL, 0}, STR("")));
    assert_true(cors__equal_nocase((cors_str){NULL, 0}, (cors_str){NULL, 0}));
    assert_int_equal(cors__compare_bytes((cors_str){NULL, 0}, (cors_str){NULL, 0}), 0);
    assert_true(cors__compare_lower((cors_str){NULL, 0}, STR("a")) < 0);
}

/* All pairs of one- and two-byte strings against the definitions. */
static void test_compares_exhaustive(void **state)
{
    unsigned char a[2], b[2];
    (void)state;
    for (int x = 0; x < 256; x++) {
        for (int y = 0; y < 256; y++) {
            int lx = is_upper(x) ? x + 32 : x, ly = is_upper(y) ? y + 32 : y;
            a[0] = (unsigned char)x;
            b[0] = (unsigned char)y;
            a[1] = 'k';
            b[1] = 'K';
            cors_str sa = {(const char *)a, 1}, sb = {(const char *)b, 1};
            cors_str la = {(const char *)a, 2}, lb = {(const char *)b, 2};
            if (sign(cors__compare_bytes(sa, sb)) != sign(x - y) || sign(cors__compare_lower(sa, sb)) != sign(lx - ly) ||
                cors__equal_nocase(sa, sb) != (lx == ly) || cors__equal(sa, sb) != (x == y) ||
                cors__equal_nocase(la, lb) != (lx == ly) || sign(cors__compare_lower(la, lb)) != sign(lx - ly))
                fail_msg("bytes 0x%02x 0x%02x", x, y);
        }
    }
}

/* Longer strings (the word-at-a-time paths and their overlapping last word): one byte changed
 * at every place, of every value, in both lengths, against a byte loop through the table. */
static int compare_lower_reference(cors_str a, cors_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        int x = cors__lower((unsigned char)a.ptr[i]), y = cors__lower((unsigned char)b.ptr[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.len < b.len ? -1 : a.len > b.len;
}

static void test_compares_long(void **state)
{
    char a[40], b[40];
    (void)state;
    for (size_t n = 1; n <= sizeof(a); n++) {
        for (size_t k = 0; k < n; k++) {
            a[k] = "Access-Control-Expose-Headers-x-request"[k];
            b[k] = (char)cors__lower((unsigned char)a[k]);
        }
        for (size_t at = 0; at < n; at++) {
            for (int c = 0; c < 256; c += 3) {
                char saved = b[at];
                b[at] = (char)c;
                for (size_t m = n - 1; m <= n; m++) { /* b as long, or one shorter */
                    cors_str sa = {a, n}, sb = {b, m};
                    if (sign(cors__compare_lower(sa, sb)) != compare_lower_reference(sa, sb) ||
                        sign(cors__compare_lower(sb, sa)) != compare_lower_reference(sb, sa))
                        fail_msg("n %zu, byte 0x%02x at %zu, lengths %zu %zu", n, c, at, n, m);
                }
                b[at] = saved;
            }
        }
    }
}

/* cors__copy_lower and cors__equal_nocase (and cors__compare_lower against bytes that are the
 * same as they stand) at every length to 40 (the word-at-a-time paths and their overlapping
 * last word), source and destination ending at a PROT_NONE page, one byte changed at every
 * place, of every value, against a byte loop through the table. */
static void test_lower_long(void **state)
{
    const char *model = "Access-Control-Expose-Headers-X-Request-Id";
    char a[40], b[40], want[40];
    guard gs, go, gd;
    (void)state;
    guard_init(&gs, 4096);
    guard_init(&go, 4096);
    guard_init(&gd, 4096);
    for (size_t n = 0; n <= sizeof(a); n++) {
        for (size_t k = 0; k < n; k++) {
            a[k] = model[k];
            b[k] = (char)cors__lower((unsigned char)a[k]);
        }
        for (size_t at = 0; at < (n ? n : 1); at++) {
            for (int c = 0; c < 256; c++) {
                char saved = n ? a[at] : 0, *dst = gd.fence - n;
                if (n)
                    a[at] = (char)c;
                cors_str sa = {guard_place(&gs, a, n), n}, sb = {guard_place(&go, b, n), n};
                bool same = true;
                for (size_t k = 0; k < n; k++) {
                    want[k] = (char)cors__lower((unsigned char)a[k]);
                    same &= want[k] == b[k];
                }
                dst[-1] = '#';
                cors__copy_lower(dst, sa.ptr, n);
                if ((n && memcmp(dst, want, n) != 0) || dst[-1] != '#')
                    fail_msg("copy_lower: n %zu, byte 0x%02x at %zu", n, c, at);
                if (cors__equal_nocase(sa, sb) != same || cors__equal_nocase(sb, sa) != same)
                    fail_msg("equal_nocase: n %zu, byte 0x%02x at %zu", n, c, at);
                /* against the model's own bytes: the words before the change are equal as they are */
                cors_str sm = {guard_place(&go, model, n), n};
                bool same_raw = sm.len == 0 || cors__lower((unsigned char)c) == cors__lower((unsigned char)model[at]);
                if (cors__equal_nocase(sa, sm) != same_raw ||
                    sign(cors__compare_lower(sa, sm)) != compare_lower_reference(sa, sm) ||
                    sign(cors__compare_lower(sm, sa)) != compare_lower_reference(sm, sa))
                    fail_msg("raw-equal words: n %zu, byte 0x%02x at %zu", n, c, at);
                if (n)
                    a[at] = saved;
            }
        }
    }
    guard_free(&gs);
    guard_free(&go);
    guard_free(&gd);
}

static void test_literal_compares(void **state)
{
    (void)state;
    assert_true(cors__equal_lit_nocase(STR("Access-Control-Allow-Origin"), "access-control-allow-origin", 27));
    assert_true(cors__equal_lit_nocase(STR("VARY"), "vary", 4));
    assert_false(cors__equal_lit_nocase(STR("vary"), "var", 3));
    assert_false(cors__equal_lit_nocase(STR("var"), "vary", 4));
    assert_true(cors__equal_lit_nocase((cors_str){NULL, 0}, "", 0));
    /* the literal must be lowercase: an uppercase literal matches nothing with that letter */
    assert_false(cors__equal_lit_nocase(STR("VARY"), "VARY", 4));
    assert_true(CORS__EQ_LIT(STR("Connection Established"), "connection established"));

    assert_true(cors__starts_with_nocase(STR("Sec-Fetch-Mode"), "sec-", 4));
    assert_true(cors__starts_with_nocase(STR("PROXY-"), "proxy-", 6));
    assert_true(cors__starts_with_nocase(STR("anything"), "", 0));
    assert_false(cors__starts_with_nocase(STR("sec"), "sec-", 4));
    assert_false(cors__starts_with_nocase(STR("secret"), "sec-", 4));
    assert_false(cors__starts_with_nocase((cors_str){NULL, 0}, "sec-", 4));
}

typedef struct trim_row {
    const char *in;
    const char *tab_space;  /* cors__trim_tab_space */
    const char *http_ws;    /* cors__trim_http_whitespace */
} trim_row;

static const trim_row trim_rows[] = {
    {.in = "", .tab_space = "", .http_ws = ""},
    {.in = "a", .tab_space = "a", .http_ws = "a"},
    {.in = " \t a b \t ", .tab_space = "a b", .http_ws = "a b"},
    {.in = "\r\n a \r\n", .tab_space = "\r\n a \r\n", .http_ws = "a"},
    {.in = " \r\n", .tab_space = "\r\n", .http_ws = ""},
    {.in = "\t\t\t", .tab_space = "", .http_ws = ""},
    {.in = "\va\f", .tab_space = "\va\f", .http_ws = "\va\f"}, /* VT and FF are not HTTP whitespace */
    {.in = "\xa0" "a\xa0", .tab_space = "\xa0" "a\xa0", .http_ws = "\xa0" "a\xa0"}, /* nor NBSP */
    {.in = "a \t\r\nb", .tab_space = "a \t\r\nb", .http_ws = "a \t\r\nb"},   /* inside kept */
};

static void test_trims(void **state)
{
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t i = 0; i < COUNT(trim_rows); i++) {
        const trim_row *row = &trim_rows[i];
        size_t n = strlen(row->in);
        const char *p = guard_place(&g, row->in, n);
        cors_str in = {p, n}, a = cors__trim_tab_space(in), b = cors__trim_http_whitespace(in);
        assert_str(a, row->tab_space);
        assert_str(b, row->http_ws);
        /* views into the input */
        assert_true(a.ptr >= p && a.ptr + a.len <= p + n);
        assert_true(b.ptr >= p && b.ptr + b.len <= p + n);
    }
    guard_free(&g);
    assert_int_equal(cors__trim_tab_space((cors_str){NULL, 0}).len, 0);
}

static void test_has_byte(void **state)
{
    (void)state;
    assert_false(cors__has_byte((cors_str){NULL, 0}, 'a'));
    assert_false(cors__has_byte((cors_str){NULL, 0}, 0));
    assert_true(cors__has_byte(STR("abc"), 'c'));
    assert_false(cors__has_byte(STR("abc"), 'C'));
    assert_true(cors__has_byte((cors_str){"a\0b", 3}, 0));
    assert_false(cors__has_byte((cors_str){"abc", 2}, 'c')); /* the length bounds the input */
    assert_true(cors__has_byte(STR("\xff"), 0xff));
}

/* ------------------------------------------------------------------------ */
/* cors__fail                                                                */
/* ------------------------------------------------------------------------ */

/* cors__find_line_byte and cors__name_run (lib/scan.h: 16 or 8 bytes at a time, the last 16
 * overlapping) against a byte loop: every length up to 70, every byte value at every place, scans
 * starting at several places, each input ending at a PROT_NONE page. */
static size_t line_byte_reference(const char *p, size_t i, size_t n)
{
    while (i < n && p[i] != '\r' && p[i] != '\n' && p[i] != '\0')
        i++;
    return i;
}

static size_t name_run_reference(const char *p, size_t i, size_t n)
{
    while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
                     p[i] == '-'))
        i++;
    return i;
}

/* cors__usual_crlf: the first CR or LF, or SIZE_MAX; it must find one placed in the whole blocks
 * of 16 bytes from i when no other byte <= 0x0D is there (SSE2 only: else always SIZE_MAX). */
static bool usual_crlf_agrees(const char *p, size_t i, size_t n, int c, size_t at)
{
    size_t got = cors__usual_crlf(p, i, n), want = line_byte_reference(p, i, n);
#if defined(CORS__SSE2)
    const bool scans = true;
#else
    const bool scans = false;
#endif
    if (got != SIZE_MAX)
        return got == want && (p[got] == '\r' || p[got] == '\n');
    return !(scans && (c == '\r' || c == '\n') && at >= i && at - i < (n - i) / 16 * 16);
}

static void test_scans(void **state)
{
    static const size_t starts[] = {0, 1, 5, 15, 16, 17, 31, 40};
    static char buf[80];
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t n = 0; n <= 70; n++) {
        for (size_t at = 0; at <= n; at++) {
            for (int c = 0; c < 256; c++) {
                const char *p;
                for (size_t k = 0; k < n; k++)
                    buf[k] = "aZ09-x"[k % 6];
                if (at < n)
                    buf[at] = (char)c;
                p = guard_place(&g, buf, n);
                for (size_t s = 0; s < COUNT(starts) && starts[s] <= n; s++) {
                    size_t i = starts[s];
                    if (cors__find_line_byte(p, i, n) != line_byte_reference(p, i, n))
                        fail_msg("find_line_byte: n %zu from %zu, byte 0x%02x at %zu", n, i, c, at);
                    if (cors__name_run(p, i, n) != name_run_reference(p, i, n))
                        fail_msg("name_run: n %zu from %zu, byte 0x%02x at %zu", n, i, c, at);
                    if (!usual_crlf_agrees(p, i, n, c, at))
                        fail_msg("usual_crlf: n %zu from %zu, byte 0x%02x at %zu", n, i, c, at);
                }
                if (at == n)
                    break; /* nothing placed: one round is enough */
            }
        }
    }
    guard_free(&g);
}

/* cors__header_line_end against the two scans it stands for: a name of token bytes from the
 * start, its colon, the first CR, LF or NUL after it (n when the name is empty or ends elsewhere);
 * every length up to 50, a colon at every place, each of the bytes that matter at every place.
 * cors__usual_line_cr gives the same CR or SIZE_MAX, and must finish each usual line (its only
 * control byte the CR, 16 bytes or more in the buffer). */
static size_t header_line_end_reference(const char *p, size_t pos, size_t n, size_t *colon)
{
    size_t i = pos;
    while (i < n && cors__is((unsigned char)p[i], CC_TOKEN))
        i++;
    if (i == pos || i == n || p[i] != ':')
        return n;
    *colon = i;
    return line_byte_reference(p, i + 1, n);
}

static void test_header_line_end(void **state)
{
#if defined(CORS__SSE2)
    const bool usual_scan = true;
#else
    const bool usual_scan = false; /* cors__usual_line_cr leaves every line to the exact scan */
#endif
    static const size_t starts[] = {0, 1, 17};
    static const char bytes[] = {'\0', '\r', '\n', ' ', '\t', ':', '_', '.', '(', '\x80', '\xff', 'A',
                                 '\x01', '\x0b', '\x0e'};
    static char buf[64];
    guard g;
    (void)state;
    guard_init(&g, 4096);
    for (size_t n = 0; n <= 50; n++) {
        for (size_t c = 0; c <= n; c++) {
            for (size_t at = 0; at <= n; at++) {
                for (size_t b = 0; b < sizeof(bytes); b++) {
                    const char *p;
                    for (size_t k = 0; k < n; k++)
                        buf[k] = "aZ09-x"[k % 6];
                    if (c < n)
                        buf[c] = ':';
                    if (at < n)
                        buf[at] = bytes[b];
                    p = guard_place(&g, buf, n);
                    for (size_t s = 0; s < COUNT(starts) && starts[s] <= n; s++) {
                        size_t want_colon = SIZE_MAX, got_colon = SIZE_MAX;
                        size_t want = header_line_end_reference(p, starts[s], n, &want_colon);
                        size_t got = cors__header_line_end(p, starts[s], n, &got_colon);
                        if (got != want || (want != n && got_colon != want_colon))
                            fail_msg("header_line_end: n %zu from %zu, colon at %zu, byte 0x%02x at %zu: %zu, want %zu",
                                     n, starts[s], c, (unsigned char)bytes[b], at, got, want);
                        got_colon = SIZE_MAX;
                        got = cors__usual_line_cr(p, starts[s], n, &got_colon); /* the same, or SIZE_MAX */
                        /* a usual line (its only control the CR, 16 bytes or more) must be finished */
                        if (got != SIZE_MAX ? got != want || p[got] != '\r' || got_colon != want_colon
                                            : usual_scan && bytes[b] == '\r' && n >= 16 && want != n)
                            fail_msg("usual_line_cr: n %zu from %zu, colon at %zu, byte 0x%02x at %zu: %zu, want %zu",
                                     n, starts[s], c, (unsigned char)bytes[b], at, got, want);
                    }
                    if (at == n)
                        break;
                }
            }
        }
    }
    guard_free(&g);
}

/* cors__token_equal_lit (a word at a time, the last overlapping) against a byte compare through
 * the lowercase table: every byte at every place of literals of 1 to 41 bytes (each side of the
 * 4, 8, 16 and 32 byte bounds of its word compares), so that a control byte never passes for
 * '-' or a digit (CR | 0x20 is '-'). */
static void test_token_equal_lit(void **state)
{
    static const char *const lits[] = {"a", "te", "via", "vary", "x-1-2", "accept", "origin", "x-req-id",
                                       "location", "content-type", "set-cookie2", "authorization",
                                       "access-control-allow-origin", "access-control-request-method",
                                       "x-seven", "content-language", "if-modified-since", "x-twenty-four-bytes-long",
                                       "x-twenty-five-bytes-long2", "access-control-allow-credentials",
                                       "x-name-of-thirty-three-bytes-long", "access-control-allow-private-network",
                                       "access-control-request-private-network",
                                       "x-name-of-forty-one-bytes-to-test-a-loop1"};
    char name[48];
    (void)state;
    for (size_t l = 0; l < COUNT(lits); l++) {
        size_t n = strlen(lits[l]);
        for (size_t at = 0; at < n; at++) {
            for (int c = 0; c < 256; c++) {
                bool want;
                memcpy(name, lits[l], n);
                name[at] = (char)c;
                want = cors__lower((unsigned char)c) == (unsigned char)lits[l][at];
                if (cors__token_equal_lit((cors_str){name, n}, lits[l], n) != want)
                    fail_msg("'%s' with byte 0x%02x at %zu: want %d", lits[l], c, at, want);
            }
        }
        assert_false(cors__token_equal_lit((cors_str){lits[l], n - 1}, lits[l], n));
    }
    assert_int_equal(cors__token_lookup(CORS_LIT("Access\rControl-Allow-Origin")), TOK_UNKNOWN);
    assert_int_equal(cors__token_lookup(CORS_LIT("ACCESS-CONTROL-ALLOW-ORIGIN")), TOK_ACAO);
}

static void test_fail(void **state)
{
    cors_error err;
    (void)state;
    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors__fail(&err, CORS_E_NO_COLON, 23, 3, SIZE_MAX), CORS_E_NO_COLON);
    assert_int_equal(err.status, CORS_E_NO_COLON);
    assert_int_equal(err.offset, 23);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.index, SIZE_MAX);

    memset(&err, 0xab, sizeof(err));
    assert_int_equal(cors__fail(&err, CORS_E_ARGUMENT, 0, 0, 7), CORS_E_ARGUMENT);
    assert_int_equal(err.status, CORS_E_ARGUMENT);
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.index, 7);

    /* a line number past int32_t saturates */
    assert_int_equal(cors__fail(&err, CORS_E_BARE_CR, SIZE_MAX, (size_t)INT32_MAX, 0), CORS_E_BARE_CR);
    assert_int_equal(err.line, INT32_MAX);
    assert_int_equal(err.offset, SIZE_MAX);
    assert_int_equal(cors__fail(&err, CORS_E_BARE_CR, 0, (size_t)INT32_MAX + 1, 0), CORS_E_BARE_CR);
    assert_int_equal(err.line, INT32_MAX);
    assert_int_equal(cors__fail(&err, CORS_E_BARE_CR, 0, SIZE_MAX, 0), CORS_E_BARE_CR);
    assert_int_equal(err.line, INT32_MAX);

    /* err is optional: the status still comes back */
    assert_int_equal(cors__fail(NULL, CORS_E_BAD_ORIGIN, 1, 2, 3), CORS_E_BAD_ORIGIN);
    assert_int_equal(cors__fail(NULL, CORS_OK, 0, 0, SIZE_MAX), CORS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_table_follows_the_rules),
        cmocka_unit_test(test_class_table_spot_checks),
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_decimal_table),
        cmocka_unit_test(test_decimal_against_a_reference),
        cmocka_unit_test(test_is_token),
        cmocka_unit_test(test_is_digits),
        cmocka_unit_test(test_compares),
        cmocka_unit_test(test_compares_exhaustive),
        cmocka_unit_test(test_compares_long),
        cmocka_unit_test(test_lower_long),
        cmocka_unit_test(test_literal_compares),
        cmocka_unit_test(test_trims),
        cmocka_unit_test(test_has_byte),
        cmocka_unit_test(test_scans),
        cmocka_unit_test(test_header_line_end),
        cmocka_unit_test(test_token_equal_lit),
        cmocka_unit_test(test_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
