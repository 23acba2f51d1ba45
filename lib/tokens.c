/* SPDX-License-Identifier: MIT */
/* tokens.c - every header name libcors gives a role: its canonical spelling,
 * its classes, and a lookup that reads each name once (nghttp2's token
 * approach: switch on the length, then compare). */
#include "internal.h"

#include <string.h>

typedef struct token_entry {
    const char *name;   /* canonical spelling */
    const char *lower;  /* lowercase spelling */
    uint8_t len;
    uint32_t cls;
    int8_t safelist;    /* index among the safelistable names, or -1 */
} token_entry;

#define T(tok, canon, lowercase, classes, sl) [tok] = {canon, lowercase, sizeof(canon) - 1, classes, sl}
#define FREQ TOKC_FORBIDDEN_REQUEST
#define SAFE TOKC_SAFELISTABLE
#define CHRO (TOKC_SAFELISTABLE | TOKC_CHROMIUM_SAFELIST)
#define SRESP TOKC_SAFELISTED_RESPONSE
#define BODY TOKC_REQUEST_BODY

/* Fetch: forbidden request-header, CORS-safelisted request-header,
 * CORS-safelisted response-header name, forbidden response-header name,
 * request-body-header name; Chromium cors.cc IsCorsSafelistedHeader. */
static const token_entry tokens[TOK_COUNT] = {
    [TOK_UNKNOWN] = {"", "", 0, 0, -1},
    T(TOK_ACAO, "Access-Control-Allow-Origin", "access-control-allow-origin", 0, -1),
    T(TOK_ACAC, "Access-Control-Allow-Credentials", "access-control-allow-credentials", 0, -1),
    T(TOK_ACAM, "Access-Control-Allow-Methods", "access-control-allow-methods", 0, -1),
    T(TOK_ACAH, "Access-Control-Allow-Headers", "access-control-allow-headers", 0, -1),
    T(TOK_ACEH, "Access-Control-Expose-Headers", "access-control-expose-headers", 0, -1),
    T(TOK_ACMA, "Access-Control-Max-Age", "access-control-max-age", 0, -1),
    T(TOK_ACAPN, "Access-Control-Allow-Private-Network", "access-control-allow-private-network", 0, -1),
    T(TOK_ORIGIN, "Origin", "origin", FREQ, -1),
    T(TOK_ACRM, "Access-Control-Request-Method", "access-control-request-method", FREQ, -1),
    T(TOK_ACRH, "Access-Control-Request-Headers", "access-control-request-headers", FREQ, -1),
    /* settable and CORS-unsafe in Chromium 156 (checked in the browser suite) */
    T(TOK_ACRPN, "Access-Control-Request-Private-Network", "access-control-request-private-network", 0, -1),
    T(TOK_VARY, "Vary", "vary", 0, -1),
    T(TOK_LOCATION, "Location", "location", 0, -1),
    T(TOK_CONTENT_LENGTH, "Content-Length", "content-length", FREQ | SRESP, -1),
    T(TOK_CONTENT_DISPOSITION, "Content-Disposition", "content-disposition", 0, -1),
    T(TOK_TRANSFER_ENCODING, "Transfer-Encoding", "transfer-encoding", FREQ, -1),
    T(TOK_SET_COOKIE, "Set-Cookie", "set-cookie", FREQ | TOKC_FORBIDDEN_RESPONSE, -1),
    T(TOK_SET_COOKIE2, "Set-Cookie2", "set-cookie2", TOKC_FORBIDDEN_RESPONSE, -1),
    T(TOK_CACHE_CONTROL, "Cache-Control", "cache-control", SRESP, -1),
    T(TOK_CONTENT_LANGUAGE, "Content-Language", "content-language", SAFE | SRESP | BODY, 2),
    T(TOK_CONTENT_TYPE, "Content-Type", "content-type", SAFE | SRESP | BODY, 3),
    T(TOK_EXPIRES, "Expires", "expires", SRESP, -1),
    T(TOK_LAST_MODIFIED, "Last-Modified", "last-modified", SRESP, -1),
    T(TOK_PRAGMA, "Pragma", "pragma", SRESP, -1),
    T(TOK_ACCEPT, "Accept", "accept", SAFE, 0),
    T(TOK_ACCEPT_LANGUAGE, "Accept-Language", "accept-language", SAFE, 1),
    T(TOK_RANGE, "Range", "range", SAFE, 4),
    T(TOK_AUTHORIZATION, "Authorization", "authorization", 0, -1),
    /* Chromium net::HttpUtil::IsSafeHeader forbids it (crbug 571722); Fetch no longer does */
    T(TOK_USER_AGENT, "User-Agent", "user-agent", 0, -1),
    T(TOK_IF_MODIFIED_SINCE, "If-Modified-Since", "if-modified-since", TOKC_CONDITIONAL, -1),
    T(TOK_IF_NONE_MATCH, "If-None-Match", "if-none-match", TOKC_CONDITIONAL, -1),
    T(TOK_IF_UNMODIFIED_SINCE, "If-Unmodified-Since", "if-unmodified-since", TOKC_CONDITIONAL, -1),
    T(TOK_IF_MATCH, "If-Match", "if-match", TOKC_CONDITIONAL, -1),
    T(TOK_IF_RANGE, "If-Range", "if-range", TOKC_CONDITIONAL, -1),
    T(TOK_ACCEPT_CHARSET, "Accept-Charset", "accept-charset", FREQ, -1),
    T(TOK_ACCEPT_ENCODING, "Accept-Encoding", "accept-encoding", FREQ, -1),
    T(TOK_CONNECTION, "Connection", "connection", FREQ, -1),
    T(TOK_COOKIE, "Cookie", "cookie", FREQ, -1),
    T(TOK_COOKIE2, "Cookie2", "cookie2", FREQ, -1),
    T(TOK_DATE, "Date", "date", FREQ, -1),
    T(TOK_DNT, "DNT", "dnt", FREQ, -1),
    T(TOK_EXPECT, "Expect", "expect", FREQ, -1),
    T(TOK_HOST, "Host", "host", FREQ, -1),
    T(TOK_KEEP_ALIVE, "Keep-Alive", "keep-alive", FREQ, -1),
    T(TOK_REFERER, "Referer", "referer", FREQ, -1),
    T(TOK_TE, "TE", "te", FREQ, -1),
    T(TOK_TRAILER, "Trailer", "trailer", FREQ, -1),
    T(TOK_UPGRADE, "Upgrade", "upgrade", FREQ, -1),
    T(TOK_VIA, "Via", "via", FREQ, -1),
    T(TOK_X_HTTP_METHOD, "X-HTTP-Method", "x-http-method", TOKC_METHOD_OVERRIDE, -1),
    T(TOK_X_HTTP_METHOD_OVERRIDE, "X-HTTP-Method-Override", "x-http-method-override", TOKC_METHOD_OVERRIDE, -1),
    T(TOK_X_METHOD_OVERRIDE, "X-Method-Override", "x-method-override", TOKC_METHOD_OVERRIDE, -1),
    T(TOK_CONTENT_ENCODING, "Content-Encoding", "content-encoding", BODY, -1),
    T(TOK_CONTENT_LOCATION, "Content-Location", "content-location", BODY, -1),
    T(TOK_DPR, "DPR", "dpr", CHRO, 5),
    T(TOK_DEVICE_MEMORY, "Device-Memory", "device-memory", CHRO, 6),
    T(TOK_DOWNLINK, "Downlink", "downlink", CHRO, 7),
    T(TOK_ECT, "ECT", "ect", CHRO, 8),
    T(TOK_RTT, "RTT", "rtt", CHRO, 9),
    T(TOK_SAVE_DATA, "Save-Data", "save-data", CHRO, 10),
    T(TOK_VIEWPORT_WIDTH, "Viewport-Width", "viewport-width", CHRO, 11),
    T(TOK_WIDTH, "Width", "width", CHRO, 12),
    T(TOK_INTERVENTION, "Intervention", "intervention", CHRO, 13),
};

_Static_assert(TOK_COUNT < 128, "tokens fit the by-length lists");

/* The first letters of the known names (a, c, d, e, h, i, k, l, o, p, r, s, t, u, v, w, x),
 * bit n for 'a' + n; test_tokens checks it against the table. */
#define LETTER_(c) (1u << ((c) - 'a'))
#define KNOWN_FIRST_LETTERS                                                                                    \
    (LETTER_('a') | LETTER_('c') | LETTER_('d') | LETTER_('e') | LETTER_('h') | LETTER_('i') | LETTER_('k') |  \
     LETTER_('l') | LETTER_('o') | LETTER_('p') | LETTER_('r') | LETTER_('s') | LETTER_('t') | LETTER_('u') |  \
     LETTER_('v') | LETTER_('w') | LETTER_('x'))

/* The tokens of each name length, ending in TOK_UNKNOWN (checked complete by test_tokens). */
#define L(...) (const uint8_t[]){__VA_ARGS__, TOK_UNKNOWN}
static const uint8_t *const by_length[39] = {
    [2] = L(TOK_TE),
    [3] = L(TOK_DNT, TOK_VIA, TOK_DPR, TOK_ECT, TOK_RTT),
    [4] = L(TOK_VARY, TOK_DATE, TOK_HOST),
    [5] = L(TOK_RANGE, TOK_WIDTH),
    [6] = L(TOK_ORIGIN, TOK_PRAGMA, TOK_ACCEPT, TOK_COOKIE, TOK_EXPECT),
    [7] = L(TOK_EXPIRES, TOK_COOKIE2, TOK_REFERER, TOK_TRAILER, TOK_UPGRADE),
    [8] = L(TOK_LOCATION, TOK_IF_MATCH, TOK_IF_RANGE, TOK_DOWNLINK),
    [9] = L(TOK_SAVE_DATA),
    [10] = L(TOK_SET_COOKIE, TOK_USER_AGENT, TOK_CONNECTION, TOK_KEEP_ALIVE),
    [11] = L(TOK_SET_COOKIE2),
    [12] = L(TOK_CONTENT_TYPE, TOK_INTERVENTION),
    [13] = L(TOK_CACHE_CONTROL, TOK_LAST_MODIFIED, TOK_AUTHORIZATION, TOK_IF_NONE_MATCH, TOK_X_HTTP_METHOD,
             TOK_DEVICE_MEMORY),
    [14] = L(TOK_CONTENT_LENGTH, TOK_ACCEPT_CHARSET, TOK_VIEWPORT_WIDTH),
    [15] = L(TOK_ACCEPT_LANGUAGE, TOK_ACCEPT_ENCODING),
    [16] = L(TOK_CONTENT_LANGUAGE, TOK_CONTENT_ENCODING, TOK_CONTENT_LOCATION),
    [17] = L(TOK_TRANSFER_ENCODING, TOK_IF_MODIFIED_SINCE, TOK_X_METHOD_OVERRIDE),
    [19] = L(TOK_CONTENT_DISPOSITION, TOK_IF_UNMODIFIED_SINCE),
    [22] = L(TOK_ACMA, TOK_X_HTTP_METHOD_OVERRIDE),
    [27] = L(TOK_ACAO),
    [28] = L(TOK_ACAM, TOK_ACAH),
    [29] = L(TOK_ACEH, TOK_ACRM),
    [30] = L(TOK_ACRH),
    [32] = L(TOK_ACAC),
    [36] = L(TOK_ACAPN),
    [38] = L(TOK_ACRPN),
};

cors__tok cors__token_lookup(cors_str name)
{
    const uint8_t *candidates;
    unsigned char first;
    if (name.len >= CORS__COUNT(by_length) || (candidates = by_length[name.len]) == NULL)
        return TOK_UNKNOWN;
    /* every known name starts with a letter, and few letters start one: most names end here */
    first = (unsigned char)(name.ptr[0] | 0x20);
    if (first < 'a' || first > 'z' || !((KNOWN_FIRST_LETTERS >> (first - 'a')) & 1u))
        return TOK_UNKNOWN;
    for (; *candidates != TOK_UNKNOWN; candidates++) {
        const token_entry *t = &tokens[*candidates];
        /* the first byte rules out most candidates without a loop */
        if (((unsigned char)name.ptr[0] | 0x20) == (unsigned char)t->lower[0] &&
            cors__token_equal_lit(name, t->lower, t->len))
            return (cors__tok)*candidates;
    }
    return TOK_UNKNOWN;
}

cors_str cors__token_name(cors__tok tok)
{
    const token_entry *t = &tokens[(unsigned)tok < TOK_COUNT ? tok : TOK_UNKNOWN];
    cors_str s = {t->name, t->len};
    return s;
}

cors_str cors__token_lower(cors__tok tok)
{
    const token_entry *t = &tokens[(unsigned)tok < TOK_COUNT ? tok : TOK_UNKNOWN];
    cors_str s = {t->lower, t->len};
    return s;
}

uint32_t cors__token_class(cors__tok tok)
{
    return (unsigned)tok < TOK_COUNT ? tokens[tok].cls : 0;
}

int cors__token_safelist_index(cors__tok tok)
{
    return (unsigned)tok < TOK_COUNT ? tokens[tok].safelist : -1;
}
