/* SPDX-License-Identifier: MIT */
/* internal.h - what the files of lib/ share; nothing here is public.
 * One section per file, in the order a request flows through them: reading
 * here, judging in judging.h (included at the end). */
#ifndef CORS_INTERNAL_H
#define CORS_INTERNAL_H

#include "libcors.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An inner loop's helper, inlined whatever the compiler's heuristics would say, so that the
 * loop's state stays in registers. */
#if defined(__GNUC__)
#define CORS__ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define CORS__ALWAYS_INLINE inline
#endif

#define CORS__COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Fetch's limits, named once */
#define FETCH_SAFELIST_VALUE_MAX 128   /* CORS-safelisted request-header: value length */
#define FETCH_SAFELIST_TOTAL_MAX 1024  /* CORS-unsafe request-header names: safelisted bytes summed */
#define FETCH_PREFLIGHT_DEFAULT_MAX_AGE 5  /* CORS-preflight cache: no Access-Control-Max-Age */
#define CHROMIUM_MAX_AGE_CAP 7200      /* Chromium preflight_result.cc: two hours */

/* One evaluation: the rule set, the request model, the current grants (below). */
typedef struct cors__eval cors__eval;

/* ---- chars.c: one byte-class table, compares, trims, numbers ---- */

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

/* a[0, n) == b[0, n), a word at a time (the last ones may overlap; up to 32
 * bytes, the length of most origins and header names, with no loop). */
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

bool cors__is_token(cors_str s);

bool cors__is_digits(cors_str s);
void cors__copy_lower(char *dst, const char *src, size_t n);
/* s equal to a lowercase literal, ASCII case-insensitively */
bool cors__equal_lit_nocase(cors_str s, const char *lower_lit, size_t lit_len);
bool cors__starts_with_nocase(cors_str s, const char *lower_lit, size_t lit_len);
/* The same, faster, for a name made of token bytes and a literal of
 * lowercase letters, digits and '-' (every header name libcors knows). Inline:
 * every header line of a response is looked up with it. */
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
cors_str cors__trim_http_whitespace(cors_str s);
bool cors__has_byte(cors_str s, unsigned char c);
/* Byte order, shorter first on a common prefix (Fetch: byte less than). */
int cors__compare_bytes(cors_str a, cors_str b);
/* Byte order after ASCII lowercasing (Fetch: sorted lowercase names). */
int cors__compare_lower(cors_str a, cors_str b);

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
bool cors__folded_equal(cors_str a, cors_str b);

/* ---- tokens.c: every header libcors knows, its canonical spelling and classes ---- */

typedef enum cors__tok {
    TOK_UNKNOWN = 0,
    /* CORS response headers (the grant) */
    TOK_ACAO, TOK_ACAC, TOK_ACAM, TOK_ACAH, TOK_ACEH, TOK_ACMA, TOK_ACAPN,
    /* CORS request headers */
    TOK_ORIGIN, TOK_ACRM, TOK_ACRH, TOK_ACRPN,
    /* response headers with a role */
    TOK_VARY, TOK_LOCATION, TOK_CONTENT_LENGTH, TOK_CONTENT_DISPOSITION, TOK_TRANSFER_ENCODING,
    TOK_SET_COOKIE, TOK_SET_COOKIE2, TOK_CACHE_CONTROL, TOK_CONTENT_LANGUAGE, TOK_CONTENT_TYPE,
    TOK_EXPIRES, TOK_LAST_MODIFIED, TOK_PRAGMA,
    /* request headers with a role */
    TOK_ACCEPT, TOK_ACCEPT_LANGUAGE, TOK_RANGE, TOK_AUTHORIZATION, TOK_USER_AGENT,
    TOK_IF_MODIFIED_SINCE, TOK_IF_NONE_MATCH, TOK_IF_UNMODIFIED_SINCE, TOK_IF_MATCH, TOK_IF_RANGE,
    TOK_ACCEPT_CHARSET, TOK_ACCEPT_ENCODING, TOK_CONNECTION, TOK_COOKIE, TOK_COOKIE2, TOK_DATE, TOK_DNT,
    TOK_EXPECT, TOK_HOST, TOK_KEEP_ALIVE, TOK_REFERER, TOK_TE, TOK_TRAILER, TOK_UPGRADE, TOK_VIA,
    TOK_X_HTTP_METHOD, TOK_X_HTTP_METHOD_OVERRIDE, TOK_X_METHOD_OVERRIDE,
    TOK_CONTENT_ENCODING, TOK_CONTENT_LOCATION,
    /* Chromium's extra CORS-safelisted request headers */
    TOK_DPR, TOK_DEVICE_MEMORY, TOK_DOWNLINK, TOK_ECT, TOK_RTT, TOK_SAVE_DATA, TOK_VIEWPORT_WIDTH, TOK_WIDTH,
    TOK_INTERVENTION,
    TOK_COUNT
} cors__tok;

#define TOKC_FORBIDDEN_REQUEST  0x01u /* Fetch: forbidden request-header (by name alone) */
#define TOKC_METHOD_OVERRIDE    0x02u /* forbidden when its value names a forbidden method */
#define TOKC_SAFELISTABLE       0x04u /* Fetch: CORS-safelisted request-header for some values */
#define TOKC_CHROMIUM_SAFELIST  0x08u /* safelistable in Chromium only */
#define TOKC_SAFELISTED_RESPONSE 0x10u /* Fetch: CORS-safelisted response-header name */
#define TOKC_FORBIDDEN_RESPONSE 0x20u /* Fetch: forbidden response-header name */
#define TOKC_CONDITIONAL        0x40u /* makes the cache mode no-store (If-*) */
#define TOKC_REQUEST_BODY       0x80u /* Fetch: request-body-header name */
#define TOKC_NETWORK_CHECKED    0x100u /* Chromium's network stack checks its lines (netcheck.c) */

/* Returns TOK_UNKNOWN for a name libcors gives no role (any case accepted). */
cors__tok cors__token_lookup(cors_str name); /* name: token bytes */
#define CORS__MAX_TOKEN_LEN 38 /* Access-Control-Request-Private-Network */
/* The lookup's slot for a name of n >= 2 bytes: its length, first byte and
 * last two, ASCII letters folded, times a multiplier that spreads the known
 * names over 256 slots without a collision (tokens.c's cors__token_by_hash). */
#define CORS__TOKEN_HASH_MULTIPLIER 0x853a7ec9u
static inline unsigned cors__token_hash(const char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint16_t last2; /* the last two bytes in one load: the same key */
    memcpy(&last2, p + n - 2, 2);
    uint32_t key = (uint32_t)n | (uint32_t)((unsigned char)p[0] | 0x20u) << 8 | (uint32_t)(last2 | 0x2020u) << 16;
#else
    uint32_t key = (uint32_t)n | (uint32_t)((unsigned char)p[0] | 0x20u) << 8 |
                   (uint32_t)((unsigned char)p[n - 2] | 0x20u) << 16 | (uint32_t)((unsigned char)p[n - 1] | 0x20u) << 24;
#endif
    return (unsigned)((key * CORS__TOKEN_HASH_MULTIPLIER) >> 24);
}
/* tokens.c's table, indexed by token: read through the accessors below,
 * which give TOK_UNKNOWN's empty entry for any value out of range. */
typedef struct cors__token_entry {
    const char *name;  /* canonical spelling */
    const char *lower; /* lowercase spelling */
    uint8_t len;
    uint32_t cls;      /* TOKC_* */
    int8_t safelist;   /* index among the safelistable names, or -1 */
    uint8_t slot;      /* its cors__slot in a grant plus one, 0 for none */
} cors__token_entry;
extern const cors__token_entry cors__tokens[TOK_COUNT];
/* cors__token_lookup's entry, inline for grant.c's walk of every line: a canonical spelling
 * is settled here, any other case by cors__token_folded. TOK_UNKNOWN's entry (length 0,
 * no class) for a name with no role. */
extern const uint8_t cors__token_by_hash[256];
const cors__token_entry *cors__token_folded(cors_str name, const cors__token_entry *t);
static CORS__ALWAYS_INLINE const cors__token_entry *cors__token_find(cors_str name)
{
    const cors__token_entry *t;
    if (name.len < 2 || name.len > CORS__MAX_TOKEN_LEN)
        return &cors__tokens[TOK_UNKNOWN];
    t = &cors__tokens[cors__token_by_hash[cors__token_hash(name.ptr, name.len)]];
    if (t->len != name.len)
        return &cors__tokens[TOK_UNKNOWN];
    return cors__same_bytes(name.ptr, t->name, name.len) ? t : cors__token_folded(name, t);
}
static inline const cors__token_entry *cors__token_entry_of(cors__tok tok)
{
    return &cors__tokens[(unsigned)tok < TOK_COUNT ? tok : TOK_UNKNOWN];
}
/* canonical spelling, e.g. "Access-Control-Allow-Origin" */
static inline cors_str cors__token_name(cors__tok tok)
{
    const cors__token_entry *t = cors__token_entry_of(tok);
    return (cors_str){t->name, t->len};
}
static inline cors_str cors__token_lower(cors__tok tok)
{
    const cors__token_entry *t = cors__token_entry_of(tok);
    return (cors_str){t->lower, t->len};
}
static inline uint32_t cors__token_class(cors__tok tok)
{
    return cors__token_entry_of(tok)->cls;
}
/* Index among the safelistable names (0 .. TOKEN_SAFELISTABLE_COUNT - 1), or -1. */
static inline int cors__token_safelist_index(cors__tok tok)
{
    return cors__token_entry_of(tok)->safelist;
}
#define TOKEN_SAFELISTABLE_COUNT 14

/* ---- netcheck.c: what Chromium's network stack refuses in header lines ---- */

typedef struct cors__netcheck_field {
    bool seen, repeated, differs;
    cors_str first;       /* the first element */
} cors__netcheck_field;

typedef struct cors__netcheck {
    cors__netcheck_field content_length, content_disposition, location;
    bool chunked;                  /* a Transfer-Encoding element "chunked" */
    bool content_encoding_invalid;
} cors__netcheck;

void cors__netcheck_begin(cors__netcheck *nc);
void cors__netcheck_line(cors__netcheck *nc, cors__tok tok, cors_str value);
/* The kind that fails the fetch, or CORS_KIND_NONE; repairs gets the
 * CORS_REPAIR_REPEATED_* bits (NULL: not wanted). */
int32_t cors__netcheck_end(const cors__netcheck *nc, int32_t http_version, bool check_content_encoding,
                           uint32_t *repairs);
int32_t cors__netcheck_headers(const cors_header *headers, size_t count, int32_t http_version, uint32_t *repairs);

/* ---- head_chromium.c: a head as Chromium reads it ---- */

#define REPAIR_KINDS 15
typedef struct cors__repair_log {   /* where each repair happened first, and how often */
    size_t first_line[REPAIR_KINDS];
    size_t count[REPAIR_KINDS];
} cors__repair_log;

/* 0 turns off the shortcuts for the usual status line and header line, so
 * every line takes the general path (tests compare the two readings). */
#ifndef CORS__HEAD_SHORTCUTS
#define CORS__HEAD_SHORTCUTS 1
#endif

/* head_status.c: HttpResponseHeaders::ParseStatusLine, the repairs it needs
 * ORed into *repairs. It sets out->status_code and out->reason, and returns
 * the version of the usual line ("HTTP/1.1 200 OK", "HTTP/2 204"); for any
 * other, 0: cors__head_status_version reads it once has_headers is known. */
int32_t cors__head_status_read(cors_str line, cors_response *out, uint32_t *repairs);
int32_t cors__head_status_version(cors_str line, bool has_headers, uint32_t *repairs);

/* Read buf as Chromium does into *out (reset by the caller) and headers;
 * log (optional) records the line of each repair. */
int32_t cors__head_read_chromium(const char *buf, size_t len, cors_header *headers, size_t capacity,
                                 cors_response *out, cors__repair_log *log);
/* head_strict.c */
int32_t cors__head_read_strict(const char *buf, size_t len, cors_header *headers, size_t capacity,
                               cors_response *out, cors_error *err);

/* ---- grant.c: where a response's CORS headers sit ---- */

typedef enum cors__slot {
    SLOT_ACAO, SLOT_ACAC, SLOT_ACAM, SLOT_ACAH, SLOT_ACEH, SLOT_ACMA, SLOT_VARY, SLOT_LOCATION,
    SLOT_COUNT
} cors__slot;

typedef struct cors__field {
    size_t count;      /* lines with this name; 0 when absent */
    size_t first;      /* index of the first such line */
    size_t last;       /* index of the last such line */
    cors_str value;    /* value of the first line */
} cors__field;

typedef struct cors__grant {
    int32_t status_code;
    const cors_header *headers;
    size_t header_count;
    size_t readable_candidates;  /* lines whose names script could ever read (not Set-Cookie) */
    uint64_t safelisted_lines;   /* bit i: line i (< 64) is a CORS-safelisted response header */
    uint64_t forbidden_lines;    /* bit i: line i (< 64) is Set-Cookie or Set-Cookie2 */
    int32_t net_kind;            /* what Chromium's network stack refuses in these lines (netcheck.c) */
    uint32_t repairs;            /* the response's repairs and the netcheck's */
    const cors_response *response;
    cors__field field[SLOT_COUNT];
} cors__grant;

void cors__grant_build(const cors_response *response, cors__grant *out);
cors__tok cors__slot_token(cors__slot slot);
static inline const cors__field *cors__grant_field(const cors__grant *g, cors__slot slot)
{
    return &g->field[slot];
}
/* One line, exactly "*" (the CORS check's wildcard). */
static inline bool cors__field_is_star(const cors__field *f)
{
    return f->count == 1 && f->value.len == 1 && f->value.ptr[0] == '*';
}

/* ---- sort.c: spans sorted in place ---- */

/* <0, 0, >0 as a sorts before, with, after b; ctx is the caller's. */
typedef int cors__span_compare(const void *ctx, cors_span a, cors_span b);
/* Introsort: O(n log n) compares whatever the input, no memory, at most
 * 64 ranges of stack, no recursion. Not stable. */
void cors__sort_spans(cors_span *a, size_t n, cors__span_compare *compare, const void *ctx);

/* ---- list.c: #list values across every line of one grant slot (RFC 9110 5.6.1;
 * Fetch: extract header list values; Chromium joins the lines with ", " first,
 * which splits the same way) ---- */

typedef struct cors__list_iter {
    const cors_header *headers;
    cors__slot slot;
    size_t index;       /* current line */
    size_t first;       /* first line of the slot */
    size_t last;        /* last line of the slot */
    size_t pos;         /* position in the current line's value */
    bool active;
    bool token;         /* the element cors__list_next returned is known to be a token */
} cors__list_iter;

void cors__list_begin(cors__list_iter *it, const cors__grant *g, cors__slot slot);
/* Next non-empty element, OWS-trimmed; false at the end. */
bool cors__list_next(cors__list_iter *it, cors_str *element);

typedef struct cors__list_stats {
    size_t elements;
    bool valid;          /* every element is a token */
    cors_str first_bad;  /* the first non-token element when !valid */
    bool has_star;       /* an element "*" */
    bool needle_exact;   /* an element equal to the needle */
    bool needle_nocase;  /* an element equal to it case-insensitively */
    uint64_t marks;      /* bit i: sorted[i] is an element (case-insensitively) */
} cors__list_stats;
/* One walk of the slot's list answers every question a rule asks of it:
 * needle (ptr NULL for none) and sorted (n <= 64, lowercase order; n 0 for none). */
void cors__list_scan(const cors__grant *g, cors__slot slot, cors_str needle, const cors_str *sorted, size_t n,
                     cors__list_stats *out);
bool cors__list_contains(const cors__grant *g, cors__slot slot, cors_str s, bool nocase);
/* Index of s in sorted[0, n) (lowercase order, case-insensitive), or SIZE_MAX. */
size_t cors__sorted_find(const cors_str *sorted, size_t n, cors_str s);

/* ---- url.c: URLs as Chromium's GURL judges them, as far as CORS verdicts depend on them ---- */

typedef struct cors__url {
    bool valid;
    bool is_special;         /* http, https, ws, wss, ftp, file */
    bool has_credentials;    /* a non-empty user name or password */
    char scheme[24];         /* lowercase, cut at 24 bytes */
    size_t scheme_len;
} cors__url;
/* Returns out->valid. base_scheme: the lowercase scheme of the URL a
 * reference is resolved against (a redirect's Location against its hop's
 * http or https URL); empty: an absolute URL is required. */
bool cors__url_parse(cors_str value, cors_str base_scheme, cors__url *out);
bool cors__url_is_valid(cors_str value);

/* ---- url_resolve.c: the URL a redirect leads to, and its origin ---- */

typedef struct cors__url_origin {
    bool tuple;              /* a tuple origin (http, https, ws, wss, ftp); else opaque */
    char scheme[24];
    size_t scheme_len;
    char host[256];          /* canonical (url_host.c); cut at 256 bytes, host_len says how long */
    size_t host_len;
    int32_t port;            /* -1: the scheme's default */
} cors__url_origin;

typedef struct cors__hop_url {
    bool known;              /* false: the request's URL was not given (an https URL of another origin) */
    bool has_credentials;    /* user name or password */
    cors__url_origin origin;
    bool text_known;         /* text holds the whole URL (without fragment) */
    size_t len, path_start;
    char text[1024];         /* longer URLs are not compared (text_known false) */
} cors__hop_url;

/* ref resolved against base (NULL: ref must be absolute); false when it is no URL. */
bool cors__url_resolve(const cors__hop_url *base, cors_str ref, cors__hop_url *out);
bool cors__url_same_origin(const cors__hop_url *a, const cors__hop_url *b);
bool cors__url_origin_same(const cors__url_origin *a, const cors__url_origin *b);
/* Mixed Content: an https page may not fetch u (http, and not localhost or a loopback address). */
bool cors__url_is_mixed_content(const cors__url_origin *page, const cors__hop_url *u);
void cors__url_origin_of(const cors_origin *o, cors__url_origin *out);

/* ---- url_host.c and url_ipv6.c: hosts ---- */
int cors__host_is_valid(const char *p, size_t n);   /* a special URL's host, as written */
int cors__ipv6_is_valid(const char *p, size_t n);   /* between the brackets */
int cors__is_forbidden_opaque_host_byte(unsigned char c);
/* The canonical text of a valid special host, as the URL standard serializes
 * it: percent-decoded, ASCII lowercase, IPv4 in dotted decimal, IPv6
 * compressed (non-ASCII labels stay lowercase bytes: no Punycode). Writes at
 * most cap bytes; returns the full length. */
size_t cors__host_canonical(const char *p, size_t n, char *out, size_t cap);
/* An IPv6 address's text without brackets (the URL standard's serializer:
 * the longest run of two or more zero pieces as "::"); at most cap bytes
 * written, the full length (at most 39) returned. */
size_t cors__ipv6_serialize(const uint16_t pieces[8], char *out, size_t cap);
/* A valid IPv6 literal's bytes between the brackets as a URL's host ("[...]", compressed); 0
 * when it is not valid. At most cap bytes written; the full length returned. */
size_t cors__ipv6_host_text(const char *p, size_t n, char *out, size_t cap);

/* Small helpers of the URL files: a byte's class, a hex digit's value, a byte put when it fits. */
static inline int cors__is_digit_byte(unsigned char c) { return cors__is(c, CC_DIGIT); }
static inline int cors__is_hex_byte(unsigned char c) { return cors__is(c, CC_HEX); }
static inline int cors__hex_value(unsigned char c)
{
    return cors__is_digit_byte(c) ? c - '0' : cors__lower(c) - 'a' + 10;
}
static inline size_t cors__put_byte(char *out, size_t cap, size_t at, char c)
{
    if (at < cap)
        out[at] = c;
    return at + 1;
}

/* ---- origin.c: serialized origins (the rest is public: cors_origin_*) ---- */
/* The default port of a special scheme (http and ws 80, https and wss 443, ftp 21), or -1. */
int32_t cors__default_port(cors_str scheme);

/* ---- safelist.c: Fetch's value rules for methods and request headers ---- */

bool cors__is_safelisted_method(cors_str method);
bool cors__is_forbidden_method(cors_str method);
bool cors__is_forbidden_request_header(cors__tok tok, cors_str name, cors_str value, bool strict);
/* tok must be safelistable (TOKC_SAFELISTABLE); *chromium_only set when only Chromium safelists it. */
bool cors__is_safelisted_value(cors__tok tok, cors_str value, bool strict, bool *chromium_only);

/* The judging half: report.c, request.c, findings.c, the rule sets. */
#include "judging.h"

#endif
