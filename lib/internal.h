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

/* ---- chars.c: one byte-class table, compares, trims, numbers (chars.h) ---- */
#include "chars.h"

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
/* The host p[0, n)'s last label (a trailing dot ends it) does not start with a digit, so the
 * URL standard's IPv4 parser does not take the host (it "ends in a number" otherwise). */
static inline bool cors__host_ends_in_name(const char *p, size_t n)
{
    size_t end = n > 0 && p[n - 1] == '.' ? n - 1 : n, last = end;
    while (last > 0 && p[last - 1] != '.')
        last--;
    return last == end || !cors__is_digit_byte((unsigned char)p[last]);
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
