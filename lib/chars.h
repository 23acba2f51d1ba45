/* SPDX-License-Identifier: MIT */
/* chars.h - chars.c's section of internal.h, which includes it (after
 * CORS__ALWAYS_INLINE): one byte-class table, compares, trims, numbers, and
 * the word-at-a-time helpers that the hot loops of lib/ inline. */
#ifndef CORS_CHARS_H
#define CORS_CHARS_H

#ifndef CORS_INTERNAL_H
#error "lib/chars.h is read through lib/internal.h"
#endif

#define CC_TOKEN        0x0001u  /* RFC 9110 5.6.2 tchar */
#define CC_DIGIT        0x0002u
#define CC_HEX          0x0004u
#define CC_ALPHA        0x0008u
#define CC_UPPER        0x0010u
#define CC_TAB_SPACE    0x0020u  /* Fetch: HTTP tab or space; RFC 9110 OWS */
#define CC_HTTP_WS      0x0040u  /* Fetch: HTTP whitespace (tab, space, CR, LF) */
#define CC_UNSAFE_VALUE 0x0080u  /* Fetch: CORS-unsafe request-header byte */
#define CC_LANGUAGE     0x0100u  /* Fetch: Accept-Language / Content-Language value bytes */
#define CC_SCHEME       0x0200u  /* URL: scheme code points after the first (alphanumeric, + - .) */
#define CC_ORIGIN_HOST  0x0400u  /* a serialized origin's host: lowercase letters, digits, - . _ */
#define CC_FORBIDDEN_HOST 0x0800u /* URL: forbidden domain code point (ASCII) */
#define CC_FORBIDDEN_OPAQUE_HOST 0x1000u /* URL: forbidden host code point */
#define CC_C0_SPACE     0x2000u  /* URL: C0 control or space, trimmed around a URL */
#define CC_LIST_GAP     0x4000u  /* RFC 9110 5.6.1: a #list's comma or OWS, skipped before an element */

extern const uint16_t cors__char_class[256];

static inline bool cors__is(unsigned char c, uint16_t cls)
{
    return (cors__char_class[c] & cls) != 0;
}

extern const unsigned char cors__lower_table[256];

static inline unsigned char cors__lower(unsigned char c)
{
    return cors__lower_table[c];
}

/* ASCII lowercase of eight bytes at once: 'A'-'Z' gain 0x20, all else stays
 * (no carry crosses a byte, so any byte order). */
static inline uint64_t cors__lower8(uint64_t x)
{
    uint64_t heptets = x & 0x7f7f7f7f7f7f7f7fu;
    uint64_t ge_a = heptets + 0x3f3f3f3f3f3f3f3fu; /* bit 7 set where the byte >= 'A' */
    uint64_t gt_z = heptets + 0x2525252525252525u; /* bit 7 set where the byte > 'Z' */
    return x | (((ge_a & ~gt_z & ~x) & 0x8080808080808080u) >> 2);
}

/* 8 and 4 bytes of p as one word, in the machine's order (memcpy: any alignment). */
static inline uint64_t cors__load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint32_t cors__load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* memset(p, 0, n) for a struct of a constant size over 64 bytes, as a few 32-byte clears: gcc
 * makes one memset of that size a rep stos, whose start-up costs more than the stores. */
static CORS__ALWAYS_INLINE void cors__zero(void *p, size_t n)
{
    unsigned char *b = (unsigned char *)p;
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        memset(b + i, 0, 32);
    memset(b + i, 0, n - i);
}

/* a[0, n) == b[0, n), a word at a time (the last ones may overlap; up to 32
 * bytes, the length of most origins and header names, with no loop). */
static CORS__ALWAYS_INLINE bool cors__same_bytes(const char *a, const char *b, size_t n)
{
#define SAME_DIFF64_(at) (cors__load64(a + (at)) ^ cors__load64(b + (at)))
    if (n >= 8) {
        size_t i = 0;
        for (; i + 32 < n; i += 8)
            if (SAME_DIFF64_(i) != 0)
                return false;
        if (n - i > 16)
            return (SAME_DIFF64_(i) | SAME_DIFF64_(i + 8) | SAME_DIFF64_(n - 16) | SAME_DIFF64_(n - 8)) == 0;
        return (SAME_DIFF64_(i) | SAME_DIFF64_(n - 8)) == 0;
    }
#undef SAME_DIFF64_
    if (n >= 4)
        return ((cors__load32(a) ^ cors__load32(b)) | (cors__load32(a + n - 4) ^ cors__load32(b + n - 4))) == 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Bytes [0, 4) and [n - 4, n) of p (4 <= n <= 8) in one word: overlapping, all n bytes. */
static inline uint64_t cors__load_ends(const char *p, size_t n)
{
    uint32_t head, tail;
    memcpy(&head, p, 4);
    memcpy(&tail, p + n - 4, 4);
    return (uint64_t)head | (uint64_t)tail << 32;
}

/* ASCII case-insensitive equality, a word at a time (the last word overlaps
 * the one before): inline, every list element and header name meets it. */
bool cors__equal(cors_str a, cors_str b);
static CORS__ALWAYS_INLINE bool cors__equal_nocase(cors_str a, cors_str b)
{
    size_t n = a.len;
    uint64_t x, y;
    if (n != b.len)
        return false;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a.ptr + i, 8);
            memcpy(&y, b.ptr + i, 8);
            if (x != y && cors__lower8(x) != cors__lower8(y)) /* the same bytes need no lowering */
                return false;
        }
        memcpy(&x, a.ptr + n - 8, 8);
        memcpy(&y, b.ptr + n - 8, 8);
        return x == y || cors__lower8(x) == cors__lower8(y);
    }
    if (n >= 4) {
        x = cors__load_ends(a.ptr, n);
        y = cors__load_ends(b.ptr, n);
        return x == y || cors__lower8(x) == cors__lower8(y);
    }
    for (size_t i = 0; i < n; i++)
        if (cors__lower((unsigned char)a.ptr[i]) != cors__lower((unsigned char)b.ptr[i]))
            return false;
    return true;
}

/* The index of x's lowest set bit (x != 0): the loops over line bits and slot bits. */
static inline size_t cors__lowest_bit64(uint64_t x)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctzll(x);
#else
    size_t k = 0;
    for (; !(x & 1u); x >>= 1)
        k++;
    return k;
#endif
}

bool cors__is_token(cors_str s);

bool cors__is_digits(cors_str s);
void cors__copy_lower_long(char *dst, const char *src, size_t n);
/* dst[0, n) = src[0, n) lowercased. Inline for 4 to 16 bytes (most header names and hosts) in two
 * overlapping words, which lower the bytes they share alike, and no loop. */
static inline void cors__copy_lower(char *dst, const char *src, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t head = cors__lower8(cors__load64(src)), tail = cors__lower8(cors__load64(src + n - 8));
        memcpy(dst, &head, 8);
        memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t head = (uint32_t)cors__lower8(cors__load32(src)), tail = (uint32_t)cors__lower8(cors__load32(src + n - 4));
        memcpy(dst, &head, 4);
        memcpy(dst + n - 4, &tail, 4);
    } else {
        cors__copy_lower_long(dst, src, n);
    }
}
/* s equal to a lowercase literal, ASCII case-insensitively */
bool cors__equal_lit_nocase(cors_str s, const char *lower_lit, size_t lit_len);
bool cors__starts_with_nocase(cors_str s, const char *lower_lit, size_t lit_len);
/* The same, faster, for a name made of token bytes and a literal of
 * lowercase letters, digits and '-' (every header name libcors knows). Inline:
 * the token lookup's case-folded compare (cors__token_folded), after the
 * plain compare of the canonical spelling has missed. */
static inline uint64_t cors__lit_fold_diff64(const char *name, const char *lit)
{
    uint64_t a, b;
    memcpy(&a, name, 8);
    memcpy(&b, lit, 8);
    /* 0x20 under the literal's letters (bit 6 set), 0 under digits and '-': a letter matches
     * either case, every other byte only itself (a control byte never passes for '-') */
    return (a | ((b >> 1) & 0x2020202020202020u)) ^ b;
}

static inline uint32_t cors__lit_fold_diff32(const char *name, const char *lit)
{
    uint32_t a = cors__load32(name), b = cors__load32(lit);
    return (a | ((b >> 1) & 0x20202020u)) ^ b;
}

/* Words ORed, not a loop with a branch per word: up to 32 bytes (every name libcors knows but
 * two) in two or four overlapping words, 4 to 7 in two half words. */
static inline bool cors__token_equal_lit(cors_str name, const char *lower_lit, size_t lit_len)
{
    size_t n = lit_len, i = 0;
    if (name.len != n)
        return false;
    if (n >= 8) {
        for (; i + 32 < n; i += 8)
            if (cors__lit_fold_diff64(name.ptr + i, lower_lit + i) != 0)
                return false;
        if (n - i > 16)
            return (cors__lit_fold_diff64(name.ptr + i, lower_lit + i) |
                    cors__lit_fold_diff64(name.ptr + i + 8, lower_lit + i + 8) |
                    cors__lit_fold_diff64(name.ptr + n - 16, lower_lit + n - 16) |
                    cors__lit_fold_diff64(name.ptr + n - 8, lower_lit + n - 8)) == 0;
        return (cors__lit_fold_diff64(name.ptr + i, lower_lit + i) |
                cors__lit_fold_diff64(name.ptr + n - 8, lower_lit + n - 8)) == 0;
    }
    if (n >= 4)
        return (cors__lit_fold_diff32(name.ptr, lower_lit) | cors__lit_fold_diff32(name.ptr + n - 4, lower_lit + n - 4)) == 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)name.ptr[i], l = (unsigned char)lower_lit[i];
        if ((c | ((l >> 1) & 0x20u)) != l)
            return false;
    }
    return true;
}
cors_str cors__trim_tab_space(cors_str s);
bool cors__has_byte(cors_str s, unsigned char c);
/* Byte order, shorter first on a common prefix (Fetch: byte less than). */
int cors__compare_bytes(cors_str a, cors_str b);
/* Byte order after ASCII lowercasing (Fetch: sorted lowercase names). */
int cors__compare_lower(cors_str a, cors_str b);
/* Its sign, the first-byte answer inline (names sorted apart usually differ there): the small
 * insertion sorts' compare. */
static inline int cors__compare_lower_quick(cors_str a, cors_str b)
{
    if (a.len > 0 && b.len > 0) {
        unsigned char x = cors__lower((unsigned char)a.ptr[0]), y = cors__lower((unsigned char)b.ptr[0]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return cors__compare_lower(a, b);
}

#define CORS_LIT(lit) ((cors_str){(lit), sizeof(lit) - 1})
#define CORS_LIT_INIT(lit) {(lit), sizeof(lit) - 1} /* in static initializers */
#define CORS__EQ_LIT(s, lit) cors__equal_lit_nocase((s), (lit), sizeof(lit) - 1)
/* s is exactly the literal, compared inline (a hot path's cors__equal with a literal). */
#define CORS__SAME_LIT(s, lit) ((s).len == sizeof(lit) - 1 && cors__same_bytes((s).ptr, (lit), sizeof(lit) - 1))

/* One decimal parser: 1*DIGIT, saturating. NUM_OVER leaves *out = max. */
typedef enum cors__num { NUM_OK, NUM_EMPTY, NUM_NOT_DIGIT, NUM_OVER } cors__num;
cors__num cors__decimal(cors_str s, uint64_t max, uint64_t *out);

/* One error writer for every function that reports where input is bad. */
int32_t cors__fail(cors_error *err, int32_t status, size_t offset, size_t line, size_t index);

/* Chromium's reading keeps a folded value as one view across its lines: a
 * run of CR/LF followed by SP/HTAB stands for one SP. These trim and compare
 * such views as Chromium's joined values (plain values have no CR or LF). */
cors_str cors__trim_folded(cors_str s);  /* SP, HTAB, CR, LF at both ends */
/* Fetch: normalize a header value strips HTTP whitespace. Inline: a value usually has none at
 * either end (one test each); else trimmed as cors__trim_folded trims (the same bytes). */
static inline cors_str cors__trim_http_whitespace(cors_str s)
{
    if (s.len > 0 && !((cors__char_class[(unsigned char)s.ptr[0]] | cors__char_class[(unsigned char)s.ptr[s.len - 1]]) &
                       CC_HTTP_WS))
        return s;
    return cors__trim_folded(s);
}
bool cors__folded_equal(cors_str a, cors_str b);

#endif
