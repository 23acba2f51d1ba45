/* SPDX-License-Identifier: MIT */
/* tokens.c - every header name libcors gives a role: its canonical spelling,
 * its classes, and a lookup that reads each name once: a perfect hash of its
 * length and three bytes picks the one candidate, one compare confirms it. */
#include "internal.h"

#include <string.h>

#define T(tok, canon, lowercase, classes, sl) [tok] = {canon, lowercase, sizeof(canon) - 1, classes, sl, 0}
/* a name with a slot in the grant (grant.c): never safelistable */
#define G(tok, canon, lowercase, classes, slot) [tok] = {canon, lowercase, sizeof(canon) - 1, classes, -1, (slot) + 1}
#define FREQ TOKC_FORBIDDEN_REQUEST
#define SAFE TOKC_SAFELISTABLE
#define CHRO (TOKC_SAFELISTABLE | TOKC_CHROMIUM_SAFELIST)
#define SRESP TOKC_SAFELISTED_RESPONSE
#define BODY TOKC_REQUEST_BODY
#define NET TOKC_NETWORK_CHECKED

/* Fetch: forbidden request-header, CORS-safelisted request-header,
 * CORS-safelisted response-header name, forbidden response-header name,
 * request-body-header name; Chromium cors.cc IsCorsSafelistedHeader. */
const cors__token_entry cors__tokens[TOK_COUNT] = {
    [TOK_UNKNOWN] = {"", "", 0, 0, -1, 0},
    G(TOK_ACAO, "Access-Control-Allow-Origin", "access-control-allow-origin", 0, SLOT_ACAO),
    G(TOK_ACAC, "Access-Control-Allow-Credentials", "access-control-allow-credentials", 0, SLOT_ACAC),
    G(TOK_ACAM, "Access-Control-Allow-Methods", "access-control-allow-methods", 0, SLOT_ACAM),
    G(TOK_ACAH, "Access-Control-Allow-Headers", "access-control-allow-headers", 0, SLOT_ACAH),
    G(TOK_ACEH, "Access-Control-Expose-Headers", "access-control-expose-headers", 0, SLOT_ACEH),
    G(TOK_ACMA, "Access-Control-Max-Age", "access-control-max-age", 0, SLOT_ACMA),
    T(TOK_ACAPN, "Access-Control-Allow-Private-Network", "access-control-allow-private-network", 0, -1),
    T(TOK_ORIGIN, "Origin", "origin", FREQ, -1),
    T(TOK_ACRM, "Access-Control-Request-Method", "access-control-request-method", FREQ, -1),
    T(TOK_ACRH, "Access-Control-Request-Headers", "access-control-request-headers", FREQ, -1),
    /* settable and CORS-unsafe in Chromium 156 (checked in the browser suite) */
    T(TOK_ACRPN, "Access-Control-Request-Private-Network", "access-control-request-private-network", 0, -1),
    G(TOK_VARY, "Vary", "vary", 0, SLOT_VARY),
    G(TOK_LOCATION, "Location", "location", NET, SLOT_LOCATION),
    T(TOK_CONTENT_LENGTH, "Content-Length", "content-length", FREQ | SRESP | NET, -1),
    T(TOK_CONTENT_DISPOSITION, "Content-Disposition", "content-disposition", NET, -1),
    T(TOK_TRANSFER_ENCODING, "Transfer-Encoding", "transfer-encoding", FREQ | NET, -1),
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
    T(TOK_CONTENT_ENCODING, "Content-Encoding", "content-encoding", BODY | NET, -1),
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

_Static_assert(TOK_COUNT <= 256, "a token fits the hash table's bytes");

/* Every token at cors__token_hash of its lowercase name: no two share a slot
 * (test_tokens checks each one and prints the slot a new name belongs at). */
const uint8_t cors__token_by_hash[256] = {
    [2] = TOK_ACEH, [3] = TOK_CONTENT_LENGTH, [8] = TOK_EXPIRES, [11] = TOK_COOKIE, [20] = TOK_DEVICE_MEMORY,
    [23] = TOK_X_METHOD_OVERRIDE, [35] = TOK_RTT, [40] = TOK_CACHE_CONTROL, [42] = TOK_CONNECTION,
    [43] = TOK_IF_MODIFIED_SINCE, [46] = TOK_LOCATION, [52] = TOK_UPGRADE, [54] = TOK_IF_UNMODIFIED_SINCE,
    [56] = TOK_REFERER, [66] = TOK_CONTENT_LANGUAGE, [69] = TOK_AUTHORIZATION, [71] = TOK_SET_COOKIE2,
    [72] = TOK_ACCEPT_LANGUAGE, [73] = TOK_CONTENT_LOCATION, [75] = TOK_TE, [76] = TOK_CONTENT_ENCODING,
    [79] = TOK_EXPECT, [81] = TOK_ACCEPT_ENCODING, [90] = TOK_VIEWPORT_WIDTH, [94] = TOK_ACAPN, [99] = TOK_DPR,
    [100] = TOK_KEEP_ALIVE, [105] = TOK_ACRPN, [113] = TOK_IF_NONE_MATCH, [119] = TOK_IF_RANGE,
    [124] = TOK_ACAH, [126] = TOK_USER_AGENT, [128] = TOK_DOWNLINK, [129] = TOK_VARY, [135] = TOK_ACRH,
    [138] = TOK_COOKIE2, [140] = TOK_ACCEPT_CHARSET, [141] = TOK_ACAM, [146] = TOK_SAVE_DATA,
    [147] = TOK_INTERVENTION, [149] = TOK_ACAO, [153] = TOK_ACAC, [162] = TOK_CONTENT_TYPE,
    [172] = TOK_X_HTTP_METHOD, [173] = TOK_TRAILER, [174] = TOK_DATE, [175] = TOK_VIA,
    [177] = TOK_X_HTTP_METHOD_OVERRIDE, [179] = TOK_TRANSFER_ENCODING, [190] = TOK_ACRM, [191] = TOK_ECT,
    [200] = TOK_SET_COOKIE, [213] = TOK_ACCEPT, [215] = TOK_IF_MATCH, [217] = TOK_CONTENT_DISPOSITION,
    [218] = TOK_ORIGIN, [219] = TOK_PRAGMA, [224] = TOK_HOST, [230] = TOK_WIDTH, [236] = TOK_ACMA,
    [246] = TOK_RANGE, [247] = TOK_DNT, [250] = TOK_LAST_MODIFIED,
};

/* HTTP/1 servers send the canonical spelling (nginx, Go's CanonicalHeaderKey), HTTP/2
 * lowercase (RFC 9113 8.2.1): cors__token_find's plain compare (three operations a word,
 * not seven) settles the first, this case-folding one the rest. */
const cors__token_entry *cors__token_folded(cors_str name, const cors__token_entry *t)
{
    return cors__token_equal_lit(name, t->lower, t->len) ? t : &cors__tokens[TOK_UNKNOWN];
}

cors__tok cors__token_lookup(cors_str name)
{
    /* one slot, then one compare: a name that is not ours usually meets an empty slot (length 0) */
    return (cors__tok)(cors__token_find(name) - cors__tokens);
}
