/* safelist.c - the Fetch standard's named sets of methods and headers, with
 * Chromium's additions where the rules `browser` follow it. */
#include "internal.h"

#include <string.h>

static int in_set_nocase(cors_str s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cors__equal_nocase_z(s, set[i]))
            return 1;
    return 0;
}

#define IN_SET(s, set) in_set_nocase((s), (set), sizeof(set) / sizeof((set)[0]))

/* Fetch: CORS-safelisted method (compared after normalization, byte-exact) */
int cors__is_safelisted_method(cors_str m)
{
    return cors__equal_z(m, "GET") || cors__equal_z(m, "HEAD") || cors__equal_z(m, "POST");
}

/* Fetch: forbidden method, byte-case-insensitive */
int cors__is_forbidden_method(cors_str m)
{
    static const char *const forbidden[] = {"CONNECT", "TRACE", "TRACK"};
    return IN_SET(m, forbidden);
}

/* Fetch: forbidden request-header; Chromium net::HttpUtil::IsSafeHeader adds
 * User-Agent (crbug 571722). Access-Control-Request-Private-Network is
 * settable and CORS-unsafe in Chromium 156 (checked in the browser suite). */
int cors__is_forbidden_request_header(cors_str name, cors_str value, int strict)
{
    static const char *const forbidden[] = {
        "accept-charset", "accept-encoding", "access-control-request-headers",
        "access-control-request-method", "connection", "content-length", "cookie",
        "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer",
        "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via"};
    static const char *const override[] = {"x-http-method", "x-http-method-override", "x-method-override"};

    if (IN_SET(name, forbidden))
        return 1;
    if (cors__starts_with_nocase_z(name, "proxy-") || cors__starts_with_nocase_z(name, "sec-"))
        return 1;
    if (IN_SET(name, override)) {
        /* Fetch: forbidden when any element of get, decode and split is a forbidden method */
        size_t start = 0;
        for (size_t i = 0; i <= value.len; i++) {
            if (i == value.len || value.ptr[i] == ',') {
                cors_str e = {value.ptr + start, i - start};
                if (cors__is_forbidden_method(cors__trim_tab_space(e)))
                    return 1;
                start = i + 1;
            }
        }
    }
    if (!strict && cors__equal_nocase_z(name, "user-agent"))
        return 1;
    return 0;
}

/* Fetch: CORS-unsafe request-header byte */
static int is_unsafe_byte(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f || (c != 0 && strchr("\"():<>?@[\\]{}", c) != NULL);
}

static int has_unsafe_byte(cors_str v)
{
    for (size_t i = 0; i < v.len; i++)
        if (is_unsafe_byte((unsigned char)v.ptr[i]))
            return 1;
    return 0;
}

/* Fetch: Accept-Language / Content-Language value bytes */
static int is_language_value(cors_str v)
{
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c != 0 && strchr(" *,-.;=", c) != NULL)))
            return 0;
    }
    return 1;
}

/* Fetch: parse a MIME type, as far as the essence goes (Chromium
 * ExtractMimeTypeFromMediaType agrees on the cases that decide safelisting). */
static int is_safelisted_content_type(cors_str v)
{
    static const char *const essences[] = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"};
    cors_str t = cors__trim_http_whitespace(v), essence;
    const char *slash, *semi;
    size_t type_len, sub_len;

    if (has_unsafe_byte(v))
        return 0;
    slash = t.len ? memchr(t.ptr, '/', t.len) : NULL;
    if (slash == NULL)
        return 0;
    type_len = (size_t)(slash - t.ptr);
    if (!cors__is_token(t.ptr, type_len))
        return 0;
    semi = memchr(slash + 1, ';', t.len - type_len - 1);
    sub_len = (size_t)((semi ? semi : t.ptr + t.len) - (slash + 1));
    while (sub_len > 0 && cors__is_http_whitespace((unsigned char)slash[sub_len]))
        sub_len--;
    if (!cors__is_token(slash + 1, sub_len))
        return 0;
    essence.ptr = t.ptr;
    essence.len = type_len + 1 + sub_len;
    return IN_SET(essence, essences);
}

static int is_digits(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* Compare two digit strings as numbers. */
static int compare_numbers(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 1 && *a == '0') { a++; an--; }
    while (bn > 1 && *b == '0') { b++; bn--; }
    if (an != bn)
        return an < bn ? -1 : 1;
    return memcmp(a, b, an);
}

/* Chromium parses each bound into int64_t and refuses INT64_MAX itself
 * (seen in Chromium 156: 9223372036854775806 passes, ...807 does not). */
static int fits_int64(const char *p, size_t n)
{
    return compare_numbers(p, n, "9223372036854775806", 19) <= 0;
}

/* Fetch: simple range header value (parse a single range header value with
 * allowWhitespace false; only "bytes=start-[end]" is safelisted). */
static int is_simple_range(cors_str v, int strict)
{
    const char *p = v.ptr, *dash;
    size_t n = v.len, start_len, end_len;

    if (n < 6 || memcmp(p, "bytes=", 6) != 0)
        return 0;
    p += 6;
    n -= 6;
    dash = n ? memchr(p, '-', n) : NULL;
    if (dash == NULL)
        return 0;
    start_len = (size_t)(dash - p);
    end_len = n - start_len - 1;
    if (!is_digits(p, start_len))
        return 0;
    if (end_len > 0 && !is_digits(dash + 1, end_len))
        return 0;
    if (!strict && (!fits_int64(p, start_len) || (end_len > 0 && !fits_int64(dash + 1, end_len))))
        return 0;
    if (end_len > 0 && compare_numbers(p, start_len, dash + 1, end_len) > 0)
        return 0;
    return 1;
}

/* 1*DIGIT [ "." 1*DIGIT ] */
static int is_decimal(cors_str v)
{
    const char *dot = v.len ? memchr(v.ptr, '.', v.len) : NULL;
    if (dot == NULL)
        return is_digits(v.ptr, v.len);
    return is_digits(v.ptr, (size_t)(dot - v.ptr)) && is_digits(dot + 1, v.len - (size_t)(dot - v.ptr) - 1);
}

/* Chromium cors.cc IsCorsSafelistedHeader: names the Fetch standard does not
 * safelist (client hints, Intervention, Save-Data). */
static int is_chromium_safelisted(cors_str name, cors_str v)
{
    static const char *const ect[] = {"slow-2g", "2g", "3g", "4g"};
    if (cors__equal_nocase_z(name, "intervention"))
        return 1;
    if (cors__equal_nocase_z(name, "dpr") || cors__equal_nocase_z(name, "device-memory") ||
        cors__equal_nocase_z(name, "downlink"))
        return is_decimal(v);
    if (cors__equal_nocase_z(name, "width") || cors__equal_nocase_z(name, "viewport-width") ||
        cors__equal_nocase_z(name, "rtt"))
        return is_digits(v.ptr, v.len);
    if (cors__equal_nocase_z(name, "ect")) {
        for (size_t i = 0; i < sizeof(ect) / sizeof(ect[0]); i++)
            if (cors__equal_z(v, ect[i]))
                return 1;
        return 0;
    }
    if (cors__equal_nocase_z(name, "save-data"))
        return cors__equal_nocase_z(v, "on");
    return 0;
}

/* Fetch: CORS-safelisted request-header */
int cors__is_safelisted_request_header(cors_str name, cors_str value, int strict, int *chromium_only)
{
    *chromium_only = 0;
    if (value.len > 128)
        return 0;
    if (cors__equal_nocase_z(name, "accept"))
        return !has_unsafe_byte(value);
    if (cors__equal_nocase_z(name, "accept-language") || cors__equal_nocase_z(name, "content-language"))
        return is_language_value(value);
    if (cors__equal_nocase_z(name, "content-type"))
        return is_safelisted_content_type(value);
    if (cors__equal_nocase_z(name, "range"))
        return is_simple_range(value, strict);
    if (!strict && is_chromium_safelisted(name, value)) {
        *chromium_only = 1;
        return 1;
    }
    return 0;
}

/* Fetch: CORS-safelisted response-header name (without the exposed list) */
int cors__is_safelisted_response_header(cors_str name)
{
    static const char *const safelisted[] = {"cache-control", "content-language", "content-length",
                                             "content-type", "expires", "last-modified", "pragma"};
    return IN_SET(name, safelisted);
}

/* Fetch: forbidden response-header name */
int cors__is_forbidden_response_header(cors_str name)
{
    return cors__equal_nocase_z(name, "set-cookie") || cors__equal_nocase_z(name, "set-cookie2");
}
