/* SPDX-License-Identifier: MIT */
/* server_lookup.h - the lookups of cors_policy_answer, split from server.h (which includes it
 * where they belong): header names and bytes compared a word (or 16 bytes) at a time, the
 * policy's sorted sets, its exact origins (scanned, or hashed into an index). They are its
 * inner loop: inlined into it whatever the compiler's heuristics would say
 * (CORS__ALWAYS_INLINE), so that its state stays in registers. Include server.h, not this. */
#ifndef CORS_SERVER_LOOKUP_H
#define CORS_SERVER_LOOKUP_H

/* ---- word helpers of answer.c and match.c: header names and bytes compared 8 at a time;
 * a fold mask (0x20 under a letter, 0 elsewhere) makes a compare ASCII case-insensitive
 * for letters and exact for every other byte ---- */


/* p[0, n) equals lower when folded by mask, 8 bytes at a time (the last word may overlap; up to
 * 16 bytes with no loop). */
static CORS__ALWAYS_INLINE bool cors__fold_equal(const char *p, const char *lower, const char *mask, size_t n)
{
#define FOLD_DIFF64(at) ((cors__load64(p + (at)) | cors__load64(mask + (at))) ^ cors__load64(lower + (at)))
#define FOLD_DIFF32(at) ((cors__load32(p + (at)) | cors__load32(mask + (at))) ^ cors__load32(lower + (at)))
    if (n >= 8) {
        for (size_t i = 0; i + 16 < n; i += 8)
            if (FOLD_DIFF64(i) != 0)
                return false;
        return (FOLD_DIFF64(n > 16 ? n - 16 : 0) | FOLD_DIFF64(n - 8)) == 0;
    }
    if (n >= 4)
        return (FOLD_DIFF32(0) | FOLD_DIFF32(n - 4)) == 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] | (unsigned char)mask[i]) != (unsigned char)lower[i])
            return false;
    return true;
#undef FOLD_DIFF64
#undef FOLD_DIFF32
}

static const char CORS__ACRM_LOWER[] = "access-control-request-method";
static const char CORS__ACRM_MASK[] = "      \0       \0       \0      ";
static const char CORS__ACRH_LOWER[] = "access-control-request-headers";
static const char CORS__ACRH_MASK[] = "      \0       \0       \0       ";

#define CORS__WORD_IS(p, at, name) \
    ((cors__load64((p) + (at)) | cors__load64(name##_MASK + (at))) == cors__load64(name##_LOWER + (at)))

#if defined(__SSE2__) /* every x86-64 compiler: a name of 29 or 30 bytes in two 16-byte compares */
#include <emmintrin.h>

/* p[0, n) (16 <= n <= 32) is lower once folded by mask: the first and the last 16 bytes. */
static CORS__ALWAYS_INLINE bool cors__fold_equal_16x2(const char *p, const char *lower, const char *mask, size_t n)
{
    __m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                             _mm_loadu_si128((const __m128i *)(const void *)mask));
    __m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + n - 16)),
                             _mm_loadu_si128((const __m128i *)(const void *)(mask + n - 16)));
    __m128i eq = _mm_and_si128(_mm_cmpeq_epi8(a, _mm_loadu_si128((const __m128i *)(const void *)lower)),
                               _mm_cmpeq_epi8(b, _mm_loadu_si128((const __m128i *)(const void *)(lower + n - 16))));
    return _mm_movemask_epi8(eq) == 0xffff;
}

static inline bool cors__is_acrm_name(const char *p)
{
    return cors__fold_equal_16x2(p, CORS__ACRM_LOWER, CORS__ACRM_MASK, 29);
}

static inline bool cors__is_acrh_name(const char *p)
{
    return cors__fold_equal_16x2(p, CORS__ACRH_LOWER, CORS__ACRH_MASK, 30);
}
#else
/* Unrolled: no loop, no branch but the last. */
static inline bool cors__is_acrm_name(const char *p)
{
    return CORS__WORD_IS(p, 0, CORS__ACRM) & CORS__WORD_IS(p, 8, CORS__ACRM) & CORS__WORD_IS(p, 16, CORS__ACRM) &
           CORS__WORD_IS(p, 21, CORS__ACRM);
}

static inline bool cors__is_acrh_name(const char *p)
{
    return CORS__WORD_IS(p, 0, CORS__ACRH) & CORS__WORD_IS(p, 8, CORS__ACRH) & CORS__WORD_IS(p, 16, CORS__ACRH) &
           CORS__WORD_IS(p, 22, CORS__ACRH);
}
#endif

static inline bool cors__is_origin_name(const char *p)
{
    const uint32_t fold = 0x20202020u;
    return (cors__load32(p) | fold) == cors__load32("orig") && (cors__load32(p + 2) | fold) == cors__load32("igin");
}

static inline bool cors__same(cors_str a, cors_str b)
{
    return a.len == b.len && cors__same_bytes(a.ptr, b.ptr, a.len);
}


/* ---- sets: binary search in (length, bytes) order; a length settles most probes ---- */

static inline cors__str32 cors__set_at(const cors_policy *p, cors__str32 set, size_t i)
{
    cors__str32 s;
    memcpy(&s, (const char *)p + set.off + i * sizeof(s), sizeof(s));
    return s;
}

/* A set's length mask (header_lengths, origin_lengths) has a bit for len: most misses end here. */
static inline bool cors__length_listed(uint64_t lengths, size_t len)
{
    return (lengths >> (len < 63 ? len : 63)) & 1u;
}

#define CORS__EXACT_SCAN_MAX 4 /* exact origins compared one by one; more are hashed */

/* A hash of an origin's bytes; the policy's exact-origin index is built with it at compile time,
 * so it only has to spread origins that differ anywhere (tenant-001 and tenant-002 differ in the
 * middle). From 17 to 32 bytes (most origins) its four words are paired by xor into two, each
 * multiplied on its own, then one mix; to 16 bytes it is two words, each multiplied; longer
 * origins fold 16 bytes a round first. A collision costs a probe, never a wrong answer. */
static CORS__ALWAYS_INLINE uint32_t cors__origin_hash(const char *s, size_t n)
{
    const uint64_t k1 = 0x9e3779b97f4a7c15u, k2 = 0xff51afd7ed558ccdu, k3 = 0xc4ceb9fe1a85ec53u,
                   k4 = 0xd6e8feb86659fd93u;
    uint64_t h;
    if (n - 17 <= 15) { /* 17 to 32 bytes, most origins: the four words paired, two multiplies, one mix */
        uint64_t a = cors__load64(s) ^ cors__load64(s + n - 16) ^ (uint64_t)n, b = cors__load64(s + 8) ^ cors__load64(s + n - 8);
        h = (a * k2) ^ (b * k3);
        h ^= h >> 29;
        h *= k3;
        return (uint32_t)(h >> 32);
    }
    h = (uint64_t)n * k1;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 32 < n; i += 16)
            h = (h ^ (cors__load64(s + i) * k2) ^ (cors__load64(s + i + 8) * k3)) * k4;
        if (n - i > 16)
            h ^= (cors__load64(s + i) * k1) ^ (cors__load64(s + i + 8) * k2) ^ (cors__load64(s + n - 16) * k3) ^ (cors__load64(s + n - 8) * k4);
        else
            h ^= (cors__load64(s + i) * k2) ^ (cors__load64(s + n - 8) * k3);
    } else {
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * k2;
    }
    h ^= h >> 29;
    h *= k3;
    return (uint32_t)(h >> 32);
}

/* a[0, n) == b[0, n) for an origin's length: 16 bytes a compare from 16 bytes on (the last one
 * overlapping), so that the usual origin (16 to 32 bytes) takes two, one mask and no loop, with few
 * registers; shorter ones as cors__same_bytes does. */
static CORS__ALWAYS_INLINE bool cors__same_origin_bytes(const char *a, const char *b, size_t n)
{
#if defined(__SSE2__)
    if (n >= 16) {
#define EQ16_(at) _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + (at))), \
                                 _mm_loadu_si128((const __m128i *)(const void *)(b + (at))))
        size_t i = 0;
        for (; i + 32 < n; i += 16)
            if (_mm_movemask_epi8(EQ16_(i)) != 0xffff)
                return false;
        return _mm_movemask_epi8(_mm_and_si128(EQ16_(i), EQ16_(n - 16))) == 0xffff;
#undef EQ16_
    }
#endif
    return cors__same_bytes(a, b, n);
}

/* cors__same_origin_bytes, with no loop to set up when n is 16 to 32 (the usual origin). */
static CORS__ALWAYS_INLINE bool cors__same_origin_16_32(const char *a, const char *b, size_t n)
{
#if defined(__SSE2__)
    if (n - 16 <= 16)
        return _mm_movemask_epi8(_mm_and_si128(
                   _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)a),
                                  _mm_loadu_si128((const __m128i *)(const void *)b)),
                   _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + n - 16)),
                                  _mm_loadu_si128((const __m128i *)(const void *)(b + n - 16))))) == 0xffff;
#endif
    return cors__same_origin_bytes(a, b, n);
}

#if defined(__SSE2__)
/* x (16 to 32 bytes, the usual origin) is one of the few (CORS__EXACT_SCAN_MAX) exact origins: each of
 * its length compared in two 16-byte loads (the second overlapping) and one mask, with no loop
 * and few registers, so that cors_policy_answer's fast path takes it with no stack frame. */
static CORS__ALWAYS_INLINE bool cors__exact_scan_16_32(const cors_policy *p, cors_str x, uint32_t count)
{
    const char *set = (const char *)p + p->exact.off;
    __m128i head = _mm_loadu_si128((const __m128i *)(const void *)x.ptr);
    __m128i tail = _mm_loadu_si128((const __m128i *)(const void *)(x.ptr + x.len - 16));
    for (uint32_t i = 0; i < count; i++) {
        uint32_t off, len; /* two loads: the length is compared from memory */
        memcpy(&off, set + i * sizeof(cors__str32) + offsetof(cors__str32, off), sizeof(off));
        memcpy(&len, set + i * sizeof(cors__str32) + offsetof(cors__str32, len), sizeof(len));
        const char *a = (const char *)p + off;
        if (len == x.len &&
            _mm_movemask_epi8(_mm_and_si128(
                _mm_cmpeq_epi8(head, _mm_loadu_si128((const __m128i *)(const void *)a)),
                _mm_cmpeq_epi8(tail, _mm_loadu_si128((const __m128i *)(const void *)(a + x.len - 16))))) == 0xffff)
            return true;
    }
    return false;
}
#define CORS__EXACT_FAST_MIN 16
#define CORS__EXACT_FAST_MAX 32
#else
#define cors__exact_scan_16_32(p, x, count) cors__exact_scan_any(p, x, count)
#define CORS__EXACT_FAST_MIN 0
#define CORS__EXACT_FAST_MAX CORS_ORIGIN_MAX
#endif

/* x is one of the first count of the few (CORS__EXACT_SCAN_MAX) exact origins: each compared, its
 * length first. */
static CORS__ALWAYS_INLINE bool cors__exact_scan_any(const cors_policy *p, cors_str x, uint32_t count)
{
    const char *set = (const char *)p + p->exact.off;
    for (uint32_t i = 0; i < count; i++) {
        cors__str32 s;
        memcpy(&s, set + i * sizeof(s), sizeof(s));
        if (s.len == x.len && cors__same_origin_bytes((const char *)p + s.off, x.ptr, x.len))
            return true;
    }
    return false;
}

/* The same, by the loop of no hoisted setup when x has the usual length. */
static CORS__ALWAYS_INLINE bool cors__exact_scan(const cors_policy *p, cors_str x)
{
    if (x.len - CORS__EXACT_FAST_MIN <= CORS__EXACT_FAST_MAX - CORS__EXACT_FAST_MIN)
        return cors__exact_scan_16_32(p, x, p->exact.len);
    return cors__exact_scan_any(p, x, p->exact.len);
}

/* x is one of the policy's exact origins: a few are compared (length first), more are found by
 * one probe of the index in the usual case. */
static CORS__ALWAYS_INLINE bool cors__exact_has(const cors_policy *p, cors_str x)
{
    if (p->exact.len <= CORS__EXACT_SCAN_MAX)
        return cors__exact_scan(p, x);
    if (!cors__length_listed(p->origin_lengths, x.len))
        return false;
    uint32_t mask = p->exact_index.len - 1, at = cors__origin_hash(x.ptr, x.len) & mask, slot;
    const char *index = (const char *)p + p->exact_index.off, *set = (const char *)p + p->exact.off;
    for (;;) { /* the index is at most half full: an empty slot ends every probe */
        memcpy(&slot, index + at * sizeof(slot), sizeof(slot));
        if (slot == 0)
            return false;
        uint32_t off, len; /* two loads: the length is compared from memory */
        memcpy(&off, set + (slot - 1) * sizeof(cors__str32) + offsetof(cors__str32, off), sizeof(off));
        memcpy(&len, set + (slot - 1) * sizeof(cors__str32) + offsetof(cors__str32, len), sizeof(len));
        if (len == x.len && cors__same_origin_16_32((const char *)p + off, x.ptr, x.len))
            return true;
        at = (at + 1) & mask;
    }
}

#define CORS__SET_SCAN_MAX 4 /* sets this small are scanned (a length compare each), larger ones searched */
#define CORS__SHORT_MAX 16   /* a method or header name this long is compared with no loop */

/* a[0, n) == b[0, n), n <= CORS__SHORT_MAX: two overlapping words, no loop (nothing to set up). */
static CORS__ALWAYS_INLINE bool cors__same_short(const char *a, const char *b, size_t n)
{
    if (n >= 8)
        return ((cors__load64(a) ^ cors__load64(b)) | (cors__load64(a + n - 8) ^ cors__load64(b + n - 8))) == 0;
    return cors__same_bytes(a, b, n);
}

/* cors__fold_equal for n <= CORS__SHORT_MAX: two overlapping words, no loop. */
static CORS__ALWAYS_INLINE bool cors__fold_equal_short(const char *p, const char *lower, const char *mask, size_t n)
{
    if (n >= 8)
        return (((cors__load64(p) | cors__load64(mask)) ^ cors__load64(lower)) |
                ((cors__load64(p + n - 8) | cors__load64(mask + n - 8)) ^ cors__load64(lower + n - 8))) == 0;
    return cors__fold_equal(p, lower, mask, n);
}

/* x is in the set: byte for byte (methods), or, when folded, case-insensitively against a set
 * stored lowercase, each name followed by its fold mask (request headers). A few are scanned, a
 * length compare each; more are searched (sorted by length, then bytes). Always inlined with a
 * constant folded, so each caller gets only its own compares. */
static CORS__ALWAYS_INLINE bool cors__set_find(const cors_policy *p, cors__str32 set, cors_str x, bool folded)
{
    if (set.len <= CORS__SET_SCAN_MAX && x.len <= CORS__SHORT_MAX) {
        for (uint32_t i = 0; i < set.len; i++) {
            cors__str32 s = cors__set_at(p, set, i);
            const char *a = cors__policy_bytes(p, s);
            if (s.len == x.len &&
                (folded ? cors__fold_equal_short(x.ptr, a, a + s.len, s.len) : cors__same_short(a, x.ptr, x.len)))
                return true;
        }
        return false;
    }
    size_t lo = 0, hi = set.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        cors__str32 s = cors__set_at(p, set, mid);
        const char *a = cors__policy_bytes(p, s);
        int c = 0;
        if (s.len != x.len)
            c = s.len < x.len ? -1 : 1;
        else if (folded ? cors__fold_equal(x.ptr, a, a + s.len, s.len) : cors__same_bytes(a, x.ptr, x.len))
            return true;
        else if (!folded) /* which way: the first byte that differs */
            c = memcmp(a, x.ptr, x.len);
        else /* the same, lowercased */
            for (size_t i = 0; i < s.len && c == 0; i++) {
                unsigned char b = cors__lower((unsigned char)x.ptr[i]);
                c = (unsigned char)a[i] < b ? -1 : (unsigned char)a[i] > b ? 1 : 0;
            }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static CORS__ALWAYS_INLINE bool cors__set_has(const cors_policy *p, cors__str32 set, cors_str x)
{
    return cors__set_find(p, set, x, false);
}

static CORS__ALWAYS_INLINE bool cors__set_has_lower(const cors_policy *p, cors__str32 set, cors_str x)
{
    return cors__set_find(p, set, x, true);
}

#endif
