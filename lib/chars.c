/* SPDX-License-Identifier: MIT */
/* chars.c - one byte-class table, byte-string compares and trims, one
 * decimal parser, one error writer. */
#include "internal.h"

#include <string.h>

/* The classes of a byte, as a constant expression so the table below is
 * built by the compiler and each class is written once, as its rule says. */
#define IN_(c, lo, hi) ((c) >= (lo) && (c) <= (hi))
#define DIGIT_(c) IN_(c, '0', '9')
#define UPPER_(c) IN_(c, 'A', 'Z')
#define LOWER_(c) IN_(c, 'a', 'z')
#define ALPHA_(c) (UPPER_(c) || LOWER_(c))
/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
#define TCHAR_(c)                                                                                              \
    (DIGIT_(c) || ALPHA_(c) || (c) == '!' || (c) == '#' || (c) == '$' || (c) == '%' || (c) == '&' ||          \
     (c) == '\'' || (c) == '*' || (c) == '+' || (c) == '-' || (c) == '.' || (c) == '^' || (c) == '_' ||        \
     (c) == '`' || (c) == '|' || (c) == '~')
#define TAB_SPACE_(c) ((c) == ' ' || (c) == '\t')
#define HTTP_WS_(c) (TAB_SPACE_(c) || (c) == '\r' || (c) == '\n')
/* Fetch: CORS-unsafe request-header byte: a C0 control other than HTAB, DEL, or one of "():<>?@[\]{} */
#define UNSAFE_VALUE_(c)                                                                                       \
    (((c) < 0x20 && (c) != '\t') || (c) == 0x7f || (c) == '"' || (c) == '(' || (c) == ')' || (c) == ':' ||    \
     (c) == '<' || (c) == '>' || (c) == '?' || (c) == '@' || (c) == '[' || (c) == '\\' || (c) == ']' ||        \
     (c) == '{' || (c) == '}')
/* Fetch: CORS-safelisted request-header, Accept-Language and Content-Language: 0-9 A-Z a-z SP * , - . ; = */
#define LANGUAGE_(c)                                                                                           \
    (DIGIT_(c) || ALPHA_(c) || (c) == ' ' || (c) == '*' || (c) == ',' || (c) == '-' || (c) == '.' ||          \
     (c) == ';' || (c) == '=')
/* URL: scheme = ASCII alpha, then ASCII alphanumeric, "+", "-", "." */
#define SCHEME_(c) (DIGIT_(c) || ALPHA_(c) || (c) == '+' || (c) == '-' || (c) == '.')
/* HTML: a serialized origin's host is lowercase ASCII after IDNA, without the URL standard's forbidden bytes */
#define ORIGIN_HOST_(c) (DIGIT_(c) || LOWER_(c) || (c) == '-' || (c) == '.' || (c) == '_')
/* URL: forbidden host code point: NUL HTAB LF CR SP # / : < > ? @ [ \ ] ^ | */
#define FORBIDDEN_OPAQUE_HOST_(c)                                                                              \
    ((c) == 0 || (c) == '\t' || (c) == '\n' || (c) == '\r' || (c) == ' ' || (c) == '#' || (c) == '/' ||        \
     (c) == ':' || (c) == '<' || (c) == '>' || (c) == '?' || (c) == '@' || (c) == '[' || (c) == '\\' ||        \
     (c) == ']' || (c) == '^' || (c) == '|')
/* URL: forbidden domain code point: those, C0 controls, % and DEL */
#define FORBIDDEN_HOST_(c) (FORBIDDEN_OPAQUE_HOST_(c) || (c) <= 0x1f || (c) == '%' || (c) == 0x7f)
#define C0_SPACE_(c) ((c) <= 0x20)
#define LIST_GAP_(c) ((c) == ',' || TAB_SPACE_(c))

#define CLASS_(c)                                                                                              \
    (uint16_t)((TCHAR_(c) ? CC_TOKEN : 0) | (DIGIT_(c) ? CC_DIGIT : 0) |                                       \
               (DIGIT_(c) || IN_(c, 'a', 'f') || IN_(c, 'A', 'F') ? CC_HEX : 0) | (ALPHA_(c) ? CC_ALPHA : 0) |  \
               (UPPER_(c) ? CC_UPPER : 0) | (TAB_SPACE_(c) ? CC_TAB_SPACE : 0) | (HTTP_WS_(c) ? CC_HTTP_WS : 0) | \
               (UNSAFE_VALUE_(c) ? CC_UNSAFE_VALUE : 0) | (LANGUAGE_(c) ? CC_LANGUAGE : 0) |                    \
               (SCHEME_(c) ? CC_SCHEME : 0) | (ORIGIN_HOST_(c) ? CC_ORIGIN_HOST : 0) |                          \
               (FORBIDDEN_HOST_(c) ? CC_FORBIDDEN_HOST : 0) |                                                   \
               (FORBIDDEN_OPAQUE_HOST_(c) ? CC_FORBIDDEN_OPAQUE_HOST : 0) | (C0_SPACE_(c) ? CC_C0_SPACE : 0) |       \
               (LIST_GAP_(c) ? CC_LIST_GAP : 0))
#define ROW4_(b) CLASS_(b), CLASS_((b) + 1), CLASS_((b) + 2), CLASS_((b) + 3)
#define ROW16_(b) ROW4_(b), ROW4_((b) + 4), ROW4_((b) + 8), ROW4_((b) + 12)
#define ROW64_(b) ROW16_(b), ROW16_((b) + 16), ROW16_((b) + 32), ROW16_((b) + 48)

/* Bytes >= 0x80 belong to no class. */
const uint16_t cors__char_class[256] = {ROW64_(0), ROW64_(64)};

#define LOWER_BYTE_(c) (unsigned char)(UPPER_(c) ? (c) + 32 : (c))
#define LROW4_(b) LOWER_BYTE_(b), LOWER_BYTE_((b) + 1), LOWER_BYTE_((b) + 2), LOWER_BYTE_((b) + 3)
#define LROW16_(b) LROW4_(b), LROW4_((b) + 4), LROW4_((b) + 8), LROW4_((b) + 12)
#define LROW64_(b) LROW16_(b), LROW16_((b) + 16), LROW16_((b) + 32), LROW16_((b) + 48)
const unsigned char cors__lower_table[256] = {LROW64_(0), LROW64_(64), LROW64_(128), LROW64_(192)};

bool cors__is_token(cors_str s)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    const uint16_t *cls = cors__char_class;
    size_t i = 0;
    if (s.len == 0)
        return false;
    for (; i + 4 <= s.len; i += 4) /* four classes and-ed: one test a round */
        if (!(cls[p[i]] & cls[p[i + 1]] & cls[p[i + 2]] & cls[p[i + 3]] & CC_TOKEN))
            return false;
    for (; i < s.len; i++)
        if (!(cls[p[i]] & CC_TOKEN))
            return false;
    return true;
}

bool cors__is_digits(cors_str s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!cors__is((unsigned char)s.ptr[i], CC_DIGIT))
            return false;
    return true;
}

bool cors__equal(cors_str a, cors_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_ 1
#endif

void cors__copy_lower_long(char *dst, const char *src, size_t n)
{
    size_t i = 0;
#ifdef SWAR_
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, src + i, 8);
        x = cors__lower8(x);
        memcpy(dst + i, &x, 8);
    }
    if (i < n && n >= 8) { /* the last word again: the bytes it shares with the one before get the same values */
        uint64_t x;
        memcpy(&x, src + n - 8, 8);
        x = cors__lower8(x);
        memcpy(dst + n - 8, &x, 8);
        return;
    }
#endif
    for (; i < n; i++)
        dst[i] = (char)cors__lower((unsigned char)src[i]);
}

bool cors__equal_lit_nocase(cors_str s, const char *lower_lit, size_t lit_len)
{
    if (s.len != lit_len)
        return false;
    for (size_t i = 0; i < lit_len; i++)
        if (cors__lower((unsigned char)s.ptr[i]) != (unsigned char)lower_lit[i])
            return false;
    return true;
}

bool cors__starts_with_nocase(cors_str s, const char *lower_lit, size_t lit_len)
{
    cors_str head = {s.ptr, lit_len};
    return s.len >= lit_len && cors__equal_lit_nocase(head, lower_lit, lit_len);
}

static cors_str trim(cors_str s, uint16_t cls)
{
    while (s.len > 0 && cors__is((unsigned char)s.ptr[0], cls)) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && cors__is((unsigned char)s.ptr[s.len - 1], cls))
        s.len--;
    return s;
}

/* RFC 9110 5.5: OWS around field values and list elements */
cors_str cors__trim_tab_space(cors_str s)
{
    return trim(s, CC_TAB_SPACE);
}

cors_str cors__trim_folded(cors_str s)
{
    return trim(s, CC_HTTP_WS);
}

/* The next byte of a folded view as Chromium's joined value has it. */
static int folded_next(cors_str s, size_t *i)
{
    unsigned char c;
    if (*i >= s.len)
        return -1;
    c = (unsigned char)s.ptr[(*i)++];
    if (c != '\r' && c != '\n')
        return c;
    while (*i < s.len && (s.ptr[*i] == '\r' || s.ptr[*i] == '\n'))
        (*i)++;
    while (*i < s.len && (s.ptr[*i] == ' ' || s.ptr[*i] == '\t'))
        (*i)++;
    return ' ';
}

bool cors__folded_equal(cors_str a, cors_str b)
{
    size_t i = 0, j = 0;
    int x, y;
    if (!cors__has_byte(a, '\r') && !cors__has_byte(a, '\n') && !cors__has_byte(b, '\r') &&
        !cors__has_byte(b, '\n'))
        return cors__equal(a, b);
    do {
        x = folded_next(a, &i);
        y = folded_next(b, &j);
        if (x != y)
            return false;
    } while (x >= 0);
    return true;
}

bool cors__has_byte(cors_str s, unsigned char c)
{
    return s.len > 0 && memchr(s.ptr, c, s.len) != NULL;
}

int cors__compare_bytes(cors_str a, cors_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
}

int cors__compare_lower(cors_str a, cors_str b)
{
    size_t n = a.len < b.len ? a.len : b.len, i = 0;
    if (n > 0) { /* names sorted apart usually differ in their first byte: no word then */
        unsigned char x = cors__lower((unsigned char)a.ptr[0]), y = cors__lower((unsigned char)b.ptr[0]);
        if (x != y)
            return x < y ? -1 : 1;
    }
#ifdef SWAR_
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a.ptr + i, 8);
        memcpy(&y, b.ptr + i, 8);
        if (x == y) /* the same bytes need no lowering */
            continue;
        x = cors__lower8(x);
        y = cors__lower8(y);
        if (x != y) { /* the first differing byte decides (little-endian: the lowest) */
            unsigned shift = (unsigned)__builtin_ctzll(x ^ y) & ~7u;
            return ((x >> shift) & 0xff) < ((y >> shift) & 0xff) ? -1 : 1;
        }
    }
    if (i < n && n >= 8) { /* the last word overlaps bytes already equal: its first difference is past i */
        uint64_t x, y;
        memcpy(&x, a.ptr + n - 8, 8);
        memcpy(&y, b.ptr + n - 8, 8);
        if (x != y) {
            x = cors__lower8(x);
            y = cors__lower8(y);
        }
        if (x != y) {
            unsigned shift = (unsigned)__builtin_ctzll(x ^ y) & ~7u;
            return ((x >> shift) & 0xff) < ((y >> shift) & 0xff) ? -1 : 1;
        }
        i = n;
    }
#endif
    for (; i < n; i++) {
        unsigned char x = cors__lower((unsigned char)a.ptr[i]), y = cors__lower((unsigned char)b.ptr[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
}

cors__num cors__decimal(cors_str s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    bool over = false;
    *out = 0;
    if (s.len == 0)
        return NUM_EMPTY;
    if (s.len <= 19) { /* below 10^19 < 2^64: no wrap, and v only grows, so over is v > max at the end */
        for (size_t i = 0; i < s.len; i++) {
            unsigned char c = (unsigned char)s.ptr[i];
            if (!cors__is(c, CC_DIGIT))
                return NUM_NOT_DIGIT;
            v = v * 10 + (uint64_t)(c - '0');
        }
        over = v > max;
        *out = over ? max : v;
        return over ? NUM_OVER : NUM_OK;
    }
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        uint64_t d;
        if (!cors__is(c, CC_DIGIT))
            return NUM_NOT_DIGIT;
        d = (uint64_t)(c - '0');
        if (over)
            continue; /* keep reading: a later non-digit still makes it NUM_NOT_DIGIT */
        if (v <= (UINT64_MAX - 9) / 10) { /* v * 10 + d cannot wrap: one compare, no division */
            v = v * 10 + d;
            over = v > max;
        } else if (d > max || v > (max - d) / 10) {
            over = true;
        } else {
            v = v * 10 + d;
        }
    }
    *out = over ? max : v;
    return over ? NUM_OVER : NUM_OK;
}

int32_t cors__fail(cors_error *err, int32_t status, size_t offset, size_t line, size_t index)
{
    if (err != NULL) {
        err->status = status;
        err->offset = offset;
        err->line = line > INT32_MAX ? INT32_MAX : (int32_t)line;
        err->index = index;
    }
    return status;
}
