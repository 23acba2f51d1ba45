/* SPDX-License-Identifier: MIT */
/* scan.h - the scans of a head's lines, inline where heads are read
 * (head_chromium.c, head_strict.c): 16 bytes at a time (SSE2; the last 16
 * may overlap bytes already read), else 8 (SWAR), else one. Each reads only
 * p[0, n) and starts at i <= n. The usual line's scans (cors__usual_*) look
 * for any byte <= 0x0D and leave every other line to the exact ones; its
 * value's view is cors__line_value. */
#ifndef CORS_SCAN_H
#define CORS_SCAN_H

#include "internal.h"

#include <string.h>

#if defined(__SSE2__) /* every x86-64 compiler */
#include <emmintrin.h>
#define CORS__SSE2 1

static inline __m128i cors__load16(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Bit k set where byte k of v is LF, CR or NUL. */
static inline unsigned cors__line_bytes16(__m128i v)
{
    __m128i line_end = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    __m128i hit = _mm_or_si128(line_end, _mm_cmpeq_epi8(v, _mm_setzero_si128()));
    return (unsigned)_mm_movemask_epi8(hit);
}

/* Bit k set where byte k of v is not a letter, digit or '-'. Each test
 * leaves 0 in a byte just when it holds: a saturating x - lo, less hi - lo,
 * for a range (x | 0x20 folds the letters to lowercase), x ^ '-' for the
 * dash. The least of the three is 0 for a name byte; adding 0x7F (saturated)
 * sets bit 7 of every other. */
static inline unsigned cors__name_misses16(__m128i v)
{
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i alpha = _mm_subs_epu8(_mm_sub_epi8(lower, _mm_set1_epi8('a')), _mm_set1_epi8(25));
    __m128i digit = _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9));
    __m128i dash = _mm_xor_si128(v, _mm_set1_epi8('-'));
    __m128i least = _mm_min_epu8(_mm_min_epu8(alpha, digit), dash);
    return (unsigned)_mm_movemask_epi8(_mm_adds_epu8(least, _mm_set1_epi8(0x7f)));
}

/* Bit k set where byte k of v is at most 0x0D: LF, CR and NUL, and the
 * rarer HTAB, VT, FF and lower controls. Two instructions where the exact
 * test (cors__line_bytes16) takes five; a hit on one of the others is sorted
 * out by the caller. */
static inline unsigned cors__low_bytes16(__m128i v)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x0d)), v));
}
#endif

/* The first k in [i, n) where p[k] is LF, CR or NUL, or n. */
static inline size_t cors__find_line_byte(const char *p, size_t i, size_t n)
{
#if defined(CORS__SSE2)
    if (n >= 16) {
        unsigned hit;
        for (; n - i >= 16; i += 16)
            if ((hit = cors__line_bytes16(cors__load16(p + i))) != 0)
                return i + (size_t)(unsigned)__builtin_ctz(hit);
        if (i < n && (hit = cors__line_bytes16(cors__load16(p + n - 16)) >> (i - (n - 16))) != 0)
            return i + (size_t)(unsigned)__builtin_ctz(hit);
        return n;
    }
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) { /* bit 7 of a byte of hit is set where w has a LF, CR or NUL; the lowest is exact */
        const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
        uint64_t w, lf, cr, hit;
        memcpy(&w, p + i, 8);
        lf = w ^ (ones * '\n');
        cr = w ^ (ones * '\r');
        hit = (((w - ones) & ~w) | ((lf - ones) & ~lf) | ((cr - ones) & ~cr)) & highs;
        if (hit != 0)
            return i + (size_t)__builtin_ctzll(hit) / 8;
    }
#endif
    for (; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r' || p[i] == '\0')
            return i;
    return n;
}

/* The first k in [i, n) where p[k] is not a letter, digit or '-' (what
 * header names are made of), or n. */
static inline size_t cors__name_run(const char *p, size_t i, size_t n)
{
#if defined(CORS__SSE2)
    if (n >= 16) {
        unsigned miss;
        for (; n - i >= 16; i += 16)
            if ((miss = cors__name_misses16(cors__load16(p + i))) != 0)
                return i + (size_t)(unsigned)__builtin_ctz(miss);
        if (i < n && (miss = cors__name_misses16(cors__load16(p + n - 16)) >> (i - (n - 16))) != 0)
            return i + (size_t)(unsigned)__builtin_ctz(miss);
        return n;
    }
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(cors__is(c, CC_ALPHA | CC_DIGIT) || c == '-'))
            break;
    }
    return i;
}

/* The usual line's name, token bytes up to a colon: its colon, and the first
 * CR, LF or NUL after it, or n. The name (letters, digits and '-' as a rule)
 * and then the value are read in one pass, 16 bytes at a time. Returns n
 * when the name is empty or ends at anything but a colon. */
static inline size_t cors__header_line_end(const char *p, size_t pos, size_t n, size_t *colon)
{
    size_t i = pos;
#if defined(CORS__SSE2)
    if (n >= 16) {
        size_t at = i; /* where the block with the name's end starts */
        __m128i v = _mm_setzero_si128();
        unsigned miss = 0, hit;
        for (; n - at >= 16; at += 16)
            if ((miss = cors__name_misses16(v = cors__load16(p + at))) != 0)
                break;
        if (miss == 0) { /* the last 16 bytes, overlapping some already read */
            size_t from = at;
            at = n - 16;
            miss = cors__name_misses16(v = cors__load16(p + at)) >> (from - at) << (from - at);
            if (miss == 0)
                return n; /* a name up to the end */
        }
        i = at + (size_t)(unsigned)__builtin_ctz(miss);
        if (i == pos || p[i] != ':')
            goto other_bytes;
        *colon = i;
        hit = cors__line_bytes16(v) >> (i + 1 - at); /* the rest of the block: the value's first bytes */
        if (hit != 0)
            return i + 1 + (size_t)(unsigned)__builtin_ctz(hit);
        for (at += 16; n - at >= 16; at += 16)
            if ((hit = cors__line_bytes16(cors__load16(p + at))) != 0)
                return at + (size_t)(unsigned)__builtin_ctz(hit);
        if (at < n && (hit = cors__line_bytes16(cors__load16(p + n - 16)) >> (at - (n - 16))) != 0)
            return at + (size_t)(unsigned)__builtin_ctz(hit);
        return n;
    }
other_bytes: /* another token byte in the name ('_', '.', ...), or no header */
#endif
    i = cors__name_run(p, i, n);
    while (i < n && cors__is((unsigned char)p[i], CC_TOKEN))
        i++;
    if (i == pos || i == n || p[i] != ':')
        return n;
    *colon = i;
    return cors__find_line_byte(p, i + 1, n);
}

/* The first k in [i, n) where p[k] is CR or LF when no other byte <= 0x0D
 * comes before it, else SIZE_MAX (a NUL or another control on the way, or
 * fewer than 16 bytes left: the caller reads those bytes exactly). */
static inline size_t cors__usual_crlf(const char *p, size_t i, size_t n)
{
#if defined(CORS__SSE2)
    for (; n - i >= 16; i += 16) {
        unsigned low = cors__low_bytes16(cors__load16(p + i));
        if (low != 0) {
            i += (size_t)(unsigned)__builtin_ctz(low);
            return p[i] == '\r' || p[i] == '\n' ? i : SIZE_MAX;
        }
    }
#else
    (void)p, (void)i, (void)n;
#endif
    return SIZE_MAX;
}

/* The usual line's CR: cors__header_line_end's result (its colon in *colon)
 * when that is a CR with no control byte before it in the value, else
 * SIZE_MAX (the caller reads the line with cors__header_line_end). The line
 * is read from its start for bytes <= 0x0D, which the usual line has only in
 * its CR (a name byte or ':' is none): the next line's start waits on that
 * scan alone, not on the name's; the name, read again from the same blocks,
 * only decides whether the line is usual. */
static inline size_t cors__usual_line_cr(const char *p, size_t pos, size_t n, size_t *colon)
{
#if defined(CORS__SSE2)
    size_t at, i, end;
    unsigned miss, low;
    if (n < 16)
        return SIZE_MAX;
    for (at = pos;; at += 16) { /* at <= n: each block before ended by n */
        if (n - at < 16) { /* the last 16 bytes, overlapping some already read */
            low = cors__low_bytes16(cors__load16(p + n - 16)) >> (at - (n - 16));
            if (low == 0)
                return SIZE_MAX;
            break;
        }
        if ((low = cors__low_bytes16(cors__load16(p + at))) != 0)
            break;
    }
    end = at + (size_t)(unsigned)__builtin_ctz(low);
    for (at = pos;; at += 16) { /* p[end] is no name byte: the name ends by it */
        if (n - at < 16) {
            miss = cors__name_misses16(cors__load16(p + n - 16)) >> (at - (n - 16));
            if (miss == 0)
                return SIZE_MAX;
            break;
        }
        if ((miss = cors__name_misses16(cors__load16(p + at))) != 0)
            break;
    }
    i = at + (size_t)(unsigned)__builtin_ctz(miss); /* i <= end; p[end] is no ':' */
    if (i == pos || p[i] != ':' || p[end] != '\r')
        return SIZE_MAX;
    *colon = i;
    return end;
#else
    (void)p, (void)pos, (void)n, (void)colon;
    return SIZE_MAX;
#endif
}

/* The value after the colon: the usual "name: value" drops its one SP,
 * anything else is trimmed of whitespace and the line breaks of folds. A
 * byte above SP is no whitespace (a lower one that is none, say VT, only
 * takes the trimming's longer way to the same view). */
static inline cors_str cors__line_value(const char *p, size_t colon, size_t end)
{
    cors_str value = {p + colon + 1, end - colon - 1};
    if (value.len > 1 && value.ptr[0] == ' ' && (unsigned char)value.ptr[1] > ' ' &&
        (unsigned char)value.ptr[value.len - 1] > ' ') {
        value.ptr++;
        value.len--;
        return value;
    }
    return cors__trim_folded(value);
}

#endif
