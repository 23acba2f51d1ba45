/* SPDX-License-Identifier: MIT */
/* safelist.c - the Fetch standard's rules for methods and request-header
 * values, with Chromium's additions where the rules `browser` follow it.
 * Which names have which role comes from tokens.c. */
#include "internal.h"

#include <string.h>

/* Fetch: CORS-safelisted method (compared after normalization, byte-exact) */
bool cors__is_safelisted_method(cors_str m)
{
    if (m.len == 3)
        return memcmp(m.ptr, "GET", 3) == 0;
    return m.len == 4 && (memcmp(m.ptr, "HEAD", 4) == 0 || memcmp(m.ptr, "POST", 4) == 0);
}

/* Fetch: forbidden method, byte-case-insensitive */
bool cors__is_forbidden_method(cors_str m)
{
    if (m.len == 7)
        return CORS__EQ_LIT(m, "connect");
    return m.len == 5 && (CORS__EQ_LIT(m, "trace") || CORS__EQ_LIT(m, "track"));
}

/* Fetch: forbidden request-header; Chromium net::HttpUtil::IsSafeHeader adds
 * User-Agent (crbug 571722). */
bool cors__is_forbidden_request_header(cors__tok tok, cors_str name, cors_str value, bool strict)
{
    uint32_t cls = cors__token_class(tok);
    unsigned char first = name.len > 0 ? (unsigned char)(name.ptr[0] | 0x20) : 0; /* 'p' for P and p alone */
    if (cls & TOKC_FORBIDDEN_REQUEST)
        return true;
    if ((first == 'p' && cors__starts_with_nocase(name, "proxy-", 6)) ||
        (first == 's' && cors__starts_with_nocase(name, "sec-", 4)))
        return true;
    if (cls & TOKC_METHOD_OVERRIDE) {
        /* Fetch: forbidden when any element of get, decode and split is a forbidden method */
        size_t start = 0;
        for (size_t i = 0; i <= value.len; i++) {
            if (i == value.len || value.ptr[i] == ',') {
                cors_str e = {value.ptr + start, i - start};
                if (cors__is_forbidden_method(cors__trim_tab_space(e)))
                    return true;
                start = i + 1;
            }
        }
    }
    return !strict && tok == TOK_USER_AGENT;
}

static bool has_unsafe_byte(cors_str v)
{
    for (size_t i = 0; i < v.len; i++)
        if (cors__is((unsigned char)v.ptr[i], CC_UNSAFE_VALUE))
            return true;
    return false;
}

static bool all_bytes(cors_str v, uint16_t cls)
{
    for (size_t i = 0; i < v.len; i++)
        if (!cors__is((unsigned char)v.ptr[i], cls))
            return false;
    return true;
}

/* Fetch: parse a MIME type, as far as the essence goes (Chromium
 * ExtractMimeTypeFromMediaType agrees on the cases that decide safelisting). */
static bool is_safelisted_content_type(cors_str v)
{
    cors_str t = cors__trim_http_whitespace(v), type, sub, essence;
    const char *slash, *semi;

    /* the three essences' types are 4, 9 and 11 bytes with no '/' in them: only a '/' at one of those
     * offsets can begin a matching subtype, and a '/' before it makes the compare below fail anyway */
    if (t.len > 4 && t.ptr[4] == '/')
        slash = t.ptr + 4;
    else if (t.len > 9 && t.ptr[9] == '/')
        slash = t.ptr + 9;
    else if (t.len > 11 && t.ptr[11] == '/')
        slash = t.ptr + 11;
    else
        return false;
    type = (cors_str){t.ptr, (size_t)(slash - t.ptr)};
    semi = memchr(slash + 1, ';', t.len - type.len - 1);
    sub = (cors_str){slash + 1, (size_t)((semi ? semi : t.ptr + t.len) - (slash + 1))};
    while (sub.len > 0 && cors__is((unsigned char)sub.ptr[sub.len - 1], CC_HTTP_WS))
        sub.len--;
    /* type and subtype must be tokens: an essence equal to one of the three
     * is made of token bytes around its one slash, so the compare decides */
    essence = (cors_str){t.ptr, type.len + 1 + sub.len};
    if (!(CORS__EQ_LIT(essence, "application/x-www-form-urlencoded") || CORS__EQ_LIT(essence, "multipart/form-data") ||
          CORS__EQ_LIT(essence, "text/plain")))
        return false;
    return !has_unsafe_byte(v); /* Fetch: no CORS-unsafe request-header byte (checked last: the essence decides most) */
}

/* Two digit strings compared as numbers, whatever their size. */
static int compare_numbers(cors_str a, cors_str b)
{
    while (a.len > 1 && a.ptr[0] == '0') {
        a.ptr++;
        a.len--;
    }
    while (b.len > 1 && b.ptr[0] == '0') {
        b.ptr++;
        b.len--;
    }
    if (a.len != b.len)
        return a.len < b.len ? -1 : 1;
    return memcmp(a.ptr, b.ptr, a.len);
}

/* Chromium parses each bound into int64_t and refuses INT64_MAX itself (seen
 * in Chromium 156: 9223372036854775806 passes, ...807 does not). */
static bool fits_chromium(cors_str bound)
{
    uint64_t v;
    return cors__decimal(bound, (uint64_t)INT64_MAX - 1, &v) == NUM_OK;
}

/* Fetch: simple range header value (parse a single range header value with
 * allowWhitespace false; only "bytes=start-[end]" is safelisted). */
static bool is_simple_range(cors_str v, bool strict)
{
    const char *dash;
    cors_str start, end;

    if (v.len < 6 || memcmp(v.ptr, "bytes=", 6) != 0)
        return false;
    v.ptr += 6;
    v.len -= 6;
    dash = v.len ? memchr(v.ptr, '-', v.len) : NULL;
    if (dash == NULL)
        return false;
    start = (cors_str){v.ptr, (size_t)(dash - v.ptr)};
    end = (cors_str){dash + 1, v.len - start.len - 1};
    if (!cors__is_digits(start) || (end.len > 0 && !cors__is_digits(end)))
        return false;
    if (!strict && (!fits_chromium(start) || (end.len > 0 && !fits_chromium(end))))
        return false;
    return end.len == 0 || compare_numbers(start, end) <= 0;
}

/* 1*DIGIT [ "." 1*DIGIT ] */
static bool is_decimal(cors_str v)
{
    const char *dot = v.len ? memchr(v.ptr, '.', v.len) : NULL;
    if (dot == NULL)
        return cors__is_digits(v);
    return cors__is_digits((cors_str){v.ptr, (size_t)(dot - v.ptr)}) &&
           cors__is_digits((cors_str){dot + 1, v.len - (size_t)(dot - v.ptr) - 1});
}

/* Chromium cors.cc IsCorsSafelistedHeader: names the Fetch standard does not
 * safelist (client hints, Intervention, Save-Data). */
static bool is_chromium_safelisted(cors__tok tok, cors_str v)
{
    switch (tok) {
    case TOK_INTERVENTION: return true;
    case TOK_DPR:
    case TOK_DEVICE_MEMORY:
    case TOK_DOWNLINK: return is_decimal(v);
    case TOK_WIDTH:
    case TOK_VIEWPORT_WIDTH:
    case TOK_RTT: return cors__is_digits(v);
    case TOK_ECT:
        return cors__equal(v, CORS_LIT("slow-2g")) || cors__equal(v, CORS_LIT("2g")) ||
               cors__equal(v, CORS_LIT("3g")) || cors__equal(v, CORS_LIT("4g"));
    case TOK_SAVE_DATA: return CORS__EQ_LIT(v, "on");
    default: return false;
    }
}

/* Fetch: CORS-safelisted request-header */
bool cors__is_safelisted_value(cors__tok tok, cors_str value, bool strict, bool *chromium_only)
{
    *chromium_only = false;
    if (value.len > FETCH_SAFELIST_VALUE_MAX)
        return false;
    switch (tok) {
    case TOK_ACCEPT: return !has_unsafe_byte(value);
    case TOK_ACCEPT_LANGUAGE:
    case TOK_CONTENT_LANGUAGE: return all_bytes(value, CC_LANGUAGE);
    case TOK_CONTENT_TYPE: return is_safelisted_content_type(value);
    case TOK_RANGE: return is_simple_range(value, strict);
    default:
        if (!strict && is_chromium_safelisted(tok, value)) {
            *chromium_only = true;
            return true;
        }
        return false;
    }
}
