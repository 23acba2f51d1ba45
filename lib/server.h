/* SPDX-License-Identifier: MIT */
/* server.h - what the server-side files of lib/ share (config, pattern, psl,
 * issues, policy_file, policy, answer, simulate); nothing here is public.
 * It builds on internal.h's vocabulary: byte classes, tokens, origins. */
#ifndef CORS_SERVER_H
#define CORS_SERVER_H

#include "internal.h"

#include <string.h>

/* jub0bs/cors internal/origins: the longest scheme and host an origin pattern
 * may have, and with them the longest pattern. */
#define PATTERN_SCHEME_MAX 64
#define PATTERN_HOST_MAX 253
#define PATTERN_MAX (PATTERN_SCHEME_MAX + 3 + PATTERN_HOST_MAX + 1 + 5)
#define MAX_AGE_MAX 86400 /* Firefox's cap, the largest any browser honours */
#define PREFLIGHT_REFUSED_STATUS 403

/* ---- psl.c + the generated psl_data.c: the Public Suffix List ---- */

typedef struct cors__psl_table {
    const char *version;      /* Debian publicsuffix package version */
    const char *text;         /* every rule, concatenated in byte order */
    const uint32_t *offset;   /* rule i is text[offset[i], offset[i + 1]) */
    uint32_t exceptions, normal, wildcards; /* consecutive ranges of rules, in this order */
} cors__psl_table;
extern const cors__psl_table cors__psl;

/* host (no trailing dot needed) is itself a public suffix ("com", "github.io", "foo.ck"). */
bool cors__psl_is_public_suffix(cors_str host);

/* ---- pattern.c: origin patterns as a server lists them ---- */

#define HOST_DOMAIN   0
#define HOST_IP       1  /* IPv4 or IPv6, not loopback */
#define HOST_LOOPBACK 2  /* 127.0.0.0/8, ::1 */

#define PORT_DEFAULT (-1) /* no port: the scheme's default */
#define PORT_ANY     (-2) /* ":*" */

typedef struct cors__pattern_info {
    int32_t issue;        /* 0, or CORS_ISSUE_ORIGIN_INVALID, _NOT_SERIALIZED, _NULL, _FILE */
    size_t offset;        /* the offending byte when issue != 0 */
    bool is_any;          /* exactly "*" */
    bool subdomains;      /* the host starts with "*." */
    int host_kind;        /* HOST_* */
    cors_str scheme;
    cors_str host;        /* without "*." ; IPv6 with its brackets */
    int32_t port;         /* PORT_DEFAULT, PORT_ANY or 1-65535 */
} cors__pattern_info;

/* Returns out->issue == 0. */
bool cors__pattern_parse(cors_str text, cors__pattern_info *out);
/* jub0bs/cors Pattern.IsDeemedInsecure: not https, not a loopback IP, not a localhost name. */
bool cors__pattern_is_insecure(const cors__pattern_info *p);
/* A subdomain pattern whose base is a public suffix ("*.github.io" as the host). */
bool cors__pattern_covers_public_suffix(const cors__pattern_info *p);
/* An exact origin: no "*." and no ":*", so it is matched by its bytes. */
static inline bool cors__pattern_is_exact(const cors__pattern_info *p)
{
    return !p->is_any && !p->subdomains && p->port != PORT_ANY;
}

/* ---- issues.c: the catalogue of configuration issues ---- */

int32_t cors__issue_severity(int32_t code);

/* ---- config.c ---- */

/* The caller's config at the size it was built with, fields past it zero;
 * false when it is unusable (too small, NULL arrays with counts, unknown
 * mode or flags). */
bool cors__config_take(const cors_policy_config *given, cors_policy_config *out);

/* ---- policy.c: the compiled form, addressed by offsets from its start ---- */

#define POLICY_MAGIC 0x53524f43u /* "CORS" */
#define POLICY_LAYOUT 4u /* 4: actual_fast; origins of 17 to 32 bytes hashed by two words */

#define MODE_LIST    0
#define MODE_ANY     1
#define MODE_REFLECT 2

typedef struct cors__str32 {
    uint32_t off;
    uint32_t len;
} cors__str32;

/* A pattern is matched from both ends of the Origin: it starts with prefix and ends with tail
 * (after a port when the port is any), and what lies between must be labels (subdomains) or
 * nothing. */
typedef struct cors__pattern {
    cors__str32 prefix;    /* scheme "://" */
    cors__str32 tail;      /* the host, or the suffix after the "*" (".example.com"), then ":port" if fixed */
    uint32_t any_port;     /* 1: ":*" */
    uint32_t subdomains;   /* 1: "*." */
    int32_t default_port;  /* the scheme's (80, 443), never accepted written out; -1 */
    uint32_t reserved;
} cors__pattern;

/* The names an answer emits: their canonical spellings (tokens.c), copied in at compile time. */
enum { EMIT_ACAO, EMIT_ACAC, EMIT_ACAM, EMIT_ACAH, EMIT_ACEH, EMIT_ACMA, EMIT_VARY, EMIT_COUNT };

struct cors_policy {
    uint32_t magic;
    uint32_t layout;
    uint32_t size;              /* bytes of the whole compiled policy */
    uint32_t flags;             /* CORS_POLICY_* */
    int32_t mode;               /* MODE_* */
    int32_t preflight_status;   /* the success status */
    uint32_t any_method;        /* "*" among the methods */
    uint32_t any_header;        /* "*" among the request headers */
    uint32_t authorization;     /* Authorization listed explicitly */
    uint32_t actual_fast;       /* exact.len when the mode is MODE_LIST with 1 to CORS__EXACT_SCAN_MAX exact origins,
                                 * no credentials and no exposed headers (a granted actual request from a listed
                                 * origin then gets Access-Control-Allow-Origin and Vary, nothing else); else 0.
                                 * cors_policy_answer's fast path reads it alone */
    uint32_t exact_scan;        /* exact.len when the mode is MODE_LIST with 1 to CORS__EXACT_SCAN_MAX exact origins,
                                 * else 0: the preflight's origin check tries them first, on one load */
    uint32_t reserved;
    uint64_t header_lengths;    /* bit k: a request header name of k bytes is listed (bit 63: 63 or more) */
    uint64_t origin_lengths;    /* bit k: an exact origin of k bytes is listed (bit 63: 63 or more) */
    cors__str32 exact;          /* cors__str32[len] at off: exact origins, sorted (length, then bytes) */
    cors__str32 exact_index;    /* uint32_t[len] at off, len a power of two >= 2 x exact.len: open addressing
                                 * by cors__origin_hash, each slot 0 (empty) or 1 + an index into exact */
    cors__str32 patterns;       /* cors__pattern[len] at off */
    cors__str32 methods;        /* cors__str32[len] at off: sorted (length, then bytes) */
    cors__str32 headers;        /* cors__str32[len] at off: lowercase, sorted (length, then bytes) */
    cors__str32 acah;           /* Access-Control-Allow-Headers as configured ("" when none) */
    cors__str32 aceh;           /* Access-Control-Expose-Headers ("" when none) */
    cors__str32 acma;           /* Access-Control-Max-Age ("" when none) */
    cors__str32 name[EMIT_COUNT];
};

static inline const char *cors__policy_bytes(const cors_policy *p, cors__str32 s)
{
    return (const char *)p + s.off;
}

static inline cors_str cors__policy_str(const cors_policy *p, cors__str32 s)
{
    cors_str out = {(const char *)p + s.off, s.len};
    return out;
}

/* A pointer the caller gave is a policy cors_policy_compile built. */
static inline bool cors__policy_is_valid(const cors_policy *p)
{
    return p != NULL && ((uintptr_t)p & 7u) == 0 && p->magic == POLICY_MAGIC && p->layout == POLICY_LAYOUT;
}

/* Order of the sorted sets: length first, then bytes (one compare usually settles it). */
static inline int cors__compare_len_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (a_len != b_len)
        return a_len < b_len ? -1 : 1;
    return a_len ? memcmp(a, b, a_len) : 0;
}

#include "server_lookup.h"

/* ---- match.c ---- */

/* What cors_origin_parse accepts, but null: the origins reflect mode echoes. */
bool cors__is_serialized_origin(cors_str s);

#if defined(__SSE2__)
/* A bit for each of the 16 bytes at p that may be in a serialized origin's host (CC_ORIGIN_HOST:
 * - . 0-9 _ a-z, the ranges 0x2D-0x39 and 0x5F-0x7A without '/' and '`'). */
static CORS__ALWAYS_INLINE unsigned cors__host_bytes16(const char *p)
{
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)p), zero = _mm_setzero_si128();
    /* c - lo <= hi - lo, unsigned: the byte is in [lo, hi] */
    __m128i digits = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(c, _mm_set1_epi8(0x2D)), _mm_set1_epi8(0x39 - 0x2D)), zero);
    __m128i letters = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(c, _mm_set1_epi8(0x5F)), _mm_set1_epi8(0x7A - 0x5F)), zero);
    __m128i holes = _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('/')), _mm_cmpeq_epi8(c, _mm_set1_epi8('`')));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(holes, _mm_or_si128(digits, letters)));
}
#endif

/* s is surely a serialized origin (false: cors__is_serialized_origin is to say), for the usual
 * shape, with no call: "https://" or "http://" and a host of CC_ORIGIN_HOST bytes without a
 * port, 16 bytes in all at least and at most 32 past the scheme, checked in two 16-byte loads
 * that stay inside s. A port, an IPv6 literal, another scheme or length, or any byte outside
 * the host's is left to the general check. */
static CORS__ALWAYS_INLINE bool cors__is_usual_origin(cors_str s)
{
#if defined(__SSE2__)
    size_t n = s.len, k;
    if (n - 16 > 24)
        return false;
    k = cors__load64(s.ptr) == cors__load64("https://")                                                ? 8
        : cors__load32(s.ptr) == cors__load32("http") && cors__load32(s.ptr + 3) == cors__load32("p://") ? 7
                                                                                                         : 0;
    /* the last 16 bytes but the scheme's; then, when the host is longer, its first 16 */
    unsigned need = (0xffffu << (k + 16 > n ? k + 16 - n : 0)) & 0xffffu;
    return k != 0 && n <= k + 32 && (cors__host_bytes16(s.ptr + n - 16) & need) == need &&
           (n <= k + 16 || cors__host_bytes16(s.ptr + k) == 0xffffu);
#else
    (void)s;
    return false;
#endif
}

/* The length of host in host [":" port] when the port is 1-65535 without a leading zero and not
 * the scheme's default, or all of it without a port; SIZE_MAX when what follows the last ':' is
 * no such port (patterns with ":*"). */
size_t cors__host_length(cors_str rest, int32_t default_port);

/* The origin patterns are matched inline (the usual subdomain pattern costs no call). */
/* One or more labels of origin-host bytes, none empty ("a", "a.b"; not "", ".a", "a..b", "a."). */
static CORS__ALWAYS_INLINE bool cors__are_labels(cors_str s)
{
    if (s.len == 0 || s.ptr[0] == '.' || s.ptr[s.len - 1] == '.')
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!cors__is((unsigned char)s.ptr[i], CC_ORIGIN_HOST) || (s.ptr[i] == '.' && s.ptr[i - 1] == '.'))
            return false;
    return true;
}

/* The Origin starts with the pattern's "scheme://" and ends with its tail (after removing the
 * port when the pattern takes any); what lies between is labels, or nothing for an exact host.
 * The pattern's fields are read where the policy holds them (pat: 8-byte aligned). */
static CORS__ALWAYS_INLINE bool cors__pattern_matches(const cors_policy *p, const char *pat, cors_str o)
{
    cors__str32 prefix_at, tail_at;
    uint32_t any_port, subdomains;
    memcpy(&prefix_at, pat + offsetof(cors__pattern, prefix), sizeof(prefix_at));
    memcpy(&tail_at, pat + offsetof(cors__pattern, tail), sizeof(tail_at));
    memcpy(&any_port, pat + offsetof(cors__pattern, any_port), sizeof(any_port));
    memcpy(&subdomains, pat + offsetof(cors__pattern, subdomains), sizeof(subdomains));
    cors_str prefix = cors__policy_str(p, prefix_at), tail = cors__policy_str(p, tail_at);
    /* the usual prefix ("https://") and tail (".example.com") are short: two words each, no loop */
    if (o.len < prefix.len + tail.len ||
        !(prefix.len <= CORS__SHORT_MAX ? cors__same_short(o.ptr, prefix.ptr, prefix.len)
                                  : cors__same_bytes(o.ptr, prefix.ptr, prefix.len)))
        return false;
    cors_str rest = {o.ptr + prefix.len, o.len - prefix.len};
    if (any_port) {
        int32_t default_port;
        memcpy(&default_port, pat + offsetof(cors__pattern, default_port), sizeof(default_port));
        if ((rest.len = cors__host_length(rest, default_port)) == SIZE_MAX || rest.len < tail.len)
            return false;
    }
    const char *end = rest.ptr + rest.len - tail.len;
    if (!(tail.len <= CORS__SHORT_MAX ? cors__same_short(end, tail.ptr, tail.len)
                                      : cors__same_origin_bytes(end, tail.ptr, tail.len)))
        return false;
    cors_str labels = {rest.ptr, rest.len - tail.len};
    return subdomains ? cors__are_labels(labels) : labels.len == 0;
}

static CORS__ALWAYS_INLINE bool cors__origin_allowed(const cors_policy *p, cors_str origin)
{
    if (p->mode == MODE_ANY)
        return true;
    if (origin.ptr == NULL)
        return false;
    if (p->exact_scan != 0 && origin.len - CORS__EXACT_FAST_MIN <= CORS__EXACT_FAST_MAX - CORS__EXACT_FAST_MIN) {
        if (cors__exact_scan_16_32(p, origin, p->exact_scan))
            return true;
        if (p->patterns.len == 0) /* a list with nothing else to try */
            return false;
    }
    if (p->mode == MODE_REFLECT) /* every serialized origin but null */
        return cors__is_usual_origin(origin) || cors__is_serialized_origin(origin);
    if (cors__exact_has(p, origin))
        return true;
    const char *pat = (const char *)p + p->patterns.off;
    for (size_t i = 0; i < p->patterns.len; i++, pat += sizeof(cors__pattern))
        if (cors__pattern_matches(p, pat, origin))
            return true;
    return false;
}

/* The first of ',' SP HTAB from q on, or end: where a listed name ends (16 bytes a round while
 * as many are left, then byte by byte; nothing past end is read). */
static CORS__ALWAYS_INLINE const char *cors__name_end(const char *q, const char *end)
{
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    for (; end - q >= 16; q += 16) {
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)q);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, comma), _mm_cmpeq_epi8(c, sp)), _mm_cmpeq_epi8(c, tab)));
        if (m != 0)
            return q + cors__lowest_bit64(m);
    }
#endif
    while (q < end && *q != ',' && *q != ' ' && *q != '\t')
        q++;
    return q;
}

/* Every element of the list q[0, end - q) (RFC 9110 5.6.1: OWS around each, empty ones ignored)
 * is a name the policy lists, for a policy without "*". A listed name is a token, so an element
 * is read as a run of bytes other than ',' SP HTAB that only OWS may follow before the next ',';
 * one with SP or HTAB inside is refused as it stands. Stops at the first that is not listed:
 * linear in the list, with no call, so that the answer to a hostile list is bounded too. */
static CORS__ALWAYS_INLINE bool cors__names_listed(const cors_policy *p, const char *q, const char *end)
{
    for (;;) {
        while (q < end && (*q == ' ' || *q == '\t' || *q == ','))
            q++;
        if (q == end)
            return true;
        const char *b = q;
        q = cors__name_end(q, end);
        cors_str name = {b, (size_t)(q - b)};
        if (!cors__length_listed(p->header_lengths, name.len) || !cors__set_has_lower(p, p->headers, name))
            return false;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q != ',')
            return false;
    }
}

/* Every name of the `lines` Access-Control-Request-Headers lines from rh[first] on is allowed. */
bool cors__match_header_lines(const cors_policy *p, const cors_header *rh, size_t first, size_t n, size_t lines);

#endif
