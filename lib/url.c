/* SPDX-License-Identifier: MIT */
/* url.c - URL validity as Chromium's GURL judges it (the URL standard plus
 * Chromium's registered schemes), as far as CORS verdicts depend on it: a
 * mismatching Access-Control-Allow-Origin that is no URL at all
 * (InvalidAllowOriginValue) and a redirect's Location. Parsing goes at most
 * one level deep (filesystem: URLs hold one inner URL) and copies nothing. */
#include "internal.h"

#include <string.h>

static int is_alpha(unsigned char c)
{
    return cors__is(c, CC_ALPHA);
}

static int is_digit(unsigned char c)
{
    return cors__is(c, CC_DIGIT);
}

static int is_special_scheme(cors_str lower_scheme)
{
    static const cors_str special[] = {CORS_LIT_INIT("http"), CORS_LIT_INIT("https"), CORS_LIT_INIT("ws"),
                                       CORS_LIT_INIT("wss"), CORS_LIT_INIT("ftp"), CORS_LIT_INIT("file")};
    for (size_t i = 0; i < CORS__COUNT(special); i++)
        if (cors__equal(lower_scheme, special[i]))
            return 1;
    return 0;
}

static int is_slash(char c, int special)
{
    return c == '/' || (special && c == '\\');
}

/* Schemes Chromium registers as standard besides the URL standard's special
 * ones: they need a host like http does (seen in Chromium 156). */
static int is_chromium_standard_scheme(cors_str scheme)
{
    static const char *const standard[] = {"chrome", "chrome-extension", "chrome-untrusted", "chrome-search",
                                           "chrome-error", "devtools", "isolated-app"};
    for (size_t i = 0; i < CORS__COUNT(standard); i++)
        if (cors__equal(scheme, (cors_str){standard[i], strlen(standard[i])}))
            return 1;
    return 0;
}

static int port_is_valid(const char *p, size_t n)
{
    long port = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((unsigned char)p[i]))
            return 0;
        if (port <= 65535)
            port = port * 10 + (p[i] - '0');
    }
    return port <= 65535;
}

/* userinfo@host:port of a URL with an authority. */
static int authority_is_valid(const char *a, size_t n, int special, bool *has_credentials)
{
    size_t at = n, host_start, host_end, colon = n;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = i;
    host_start = at == n ? 0 : at + 1;
    if (at != n) { /* credentials: a non-empty user name or password */
        for (size_t i = 0; i < at; i++)
            if (a[i] != ':')
                *has_credentials = true;
    }
    if (host_start < n && a[host_start] == '[') {
        const char *close = memchr(a + host_start, ']', n - host_start);
        if (close == NULL)
            return 0;
        host_end = (size_t)(close - a) + 1;
        if (host_end < n && a[host_end] != ':')
            return 0;
        colon = host_end < n ? host_end : n;
    } else {
        const char *c = memchr(a + host_start, ':', n - host_start);
        colon = c ? (size_t)(c - a) : n;
        host_end = colon;
    }
    if (colon < n && !port_is_valid(a + colon + 1, n - colon - 1))
        return 0;
    if (special)
        return cors__host_is_valid(a + host_start, host_end - host_start);
    if (host_end == host_start) /* URL standard: an empty host with credentials or port fails */
        return at == n && colon == n;
    if (a[host_start] == '[')
        return cors__ipv6_is_valid(a + host_start + 1, host_end - host_start - 2);
    for (size_t i = host_start; i < host_end; i++)
        if (cors__is_forbidden_opaque_host_byte((unsigned char)a[i]))
            return 0;
    return 1;
}

/* Length of the authority starting at a (up to /, ?, # and, when special, \). */
static size_t authority_length(const char *a, size_t n, int special)
{
    size_t i = 0;
    while (i < n && a[i] != '/' && a[i] != '?' && a[i] != '#' && !(special && a[i] == '\\'))
        i++;
    return i;
}

/* Where a URL is parsed: filesystem: URLs hold an inner URL, which may not be
 * another filesystem: URL (GURL: "Filesystem URLs don't nest"), so parsing
 * goes at most one level deep, whatever the input. */
#define URL_OUTER 0
#define URL_INNER 1

static int parse_url(const char *p, size_t n, cors_str base_scheme, int level, cors__url *out);

/* filesystem:<inner URL with a type directory>, e.g. filesystem:https://a/temporary/x */
static int filesystem_is_valid(const char *p, size_t n)
{
    cors__url inner;
    const char *sep = n >= 3 ? memchr(p, ':', n) : NULL;
    size_t start, auth;
    if (!parse_url(p, n, (cors_str){NULL, 0}, URL_INNER, &inner) || !inner.is_special || sep == NULL)
        return 0;
    start = (size_t)(sep - p) + 1;
    while (start < n && is_slash(p[start], 1))
        start++;
    auth = authority_length(p + start, n - start, 1);
    start += auth; /* now at the path: it needs "/type/" */
    if (start >= n || !is_slash(p[start], 1))
        return 0;
    for (size_t i = start + 1; i < n; i++)
        if (is_slash(p[i], 1))
            return i > start + 1;
    return 0;
}

static int parse_url(const char *p, size_t n, cors_str base_scheme, int level, cors__url *out)
{
    size_t i = 0, rest;
    cors_str scheme;
    bool scheme_is_file;
    memset(out, 0, sizeof(*out));
    /* URL: remove leading and trailing C0 control or space */
    while (n > 0 && cors__is((unsigned char)p[0], CC_C0_SPACE)) {
        p++;
        n--;
    }
    while (n > 0 && cors__is((unsigned char)p[n - 1], CC_C0_SPACE))
        n--;
    if (n > 0 && is_alpha((unsigned char)p[0])) {
        while (i < n && cors__is((unsigned char)p[i], CC_SCHEME))
            i++;
    }
    if (i == 0 || i == n || p[i] != ':') {
        /* no scheme: a reference relative to the base (an http or https URL), or nothing */
        if (base_scheme.len == 0 || base_scheme.len > sizeof(out->scheme))
            return 0;
        memcpy(out->scheme, base_scheme.ptr, base_scheme.len);
        out->scheme_len = base_scheme.len;
        out->is_special = is_special_scheme(base_scheme);
        if (!out->is_special) /* a reference against a non-special base: not a redirect hop's */
            return 0;
        if (n >= 2 && is_slash(p[0], 1) && is_slash(p[1], 1)) {
            size_t a = 2;
            while (a < n && is_slash(p[a], 1))
                a++;
            return out->valid = authority_is_valid(p + a, authority_length(p + a, n - a, 1), 1, &out->has_credentials);
        }
        return out->valid = true;
    }
    for (size_t k = 0; k < i && k < sizeof(out->scheme); k++)
        out->scheme[k] = (char)cors__lower((unsigned char)p[k]);
    out->scheme_len = i < sizeof(out->scheme) ? i : sizeof(out->scheme);
    scheme.ptr = out->scheme;
    scheme.len = out->scheme_len;
    rest = i + 1;
    out->is_special = is_special_scheme(scheme);
    scheme_is_file = cors__equal(scheme, CORS_LIT("file"));
    if (out->is_special) {
        size_t a = rest, len;
        /* URL standard, special relative or authority state: "https:foo" and "https:/foo" against
         * an https URL are paths (one slash: from the base's host), "https://foo" a host; against
         * an http URL all three are absolute URLs whose host is "foo" */
        if (cors__equal(scheme, base_scheme) && !(a + 1 < n && is_slash(p[a], 1) && is_slash(p[a + 1], 1)))
            return out->valid = true;
        while (a < n && is_slash(p[a], 1))
            a++;
        len = authority_length(p + a, n - a, 1);
        if (scheme_is_file) /* a file host has no credentials or port, and may be empty */
            return out->valid = len == 0 || (!memchr(p + a, '@', len) && !memchr(p + a, ':', len) &&
                                             cors__host_is_valid(p + a, len));
        return out->valid = authority_is_valid(p + a, len, 1, &out->has_credentials);
    }
    if (is_chromium_standard_scheme(scheme)) {
        size_t a = rest;
        while (a < n && is_slash(p[a], 1))
            a++;
        return out->valid = authority_is_valid(p + a, authority_length(p + a, n - a, 1), 1, &out->has_credentials);
    }
    if (cors__equal(scheme, CORS_LIT("filesystem")))
        return out->valid = level == URL_OUTER && filesystem_is_valid(p + rest, n - rest);
    if (n - rest >= 2 && p[rest] == '/' && p[rest + 1] == '/') {
        size_t a = rest + 2;
        return out->valid = authority_is_valid(p + a, authority_length(p + a, n - a, 0), 0, &out->has_credentials);
    }
    return out->valid = true; /* a path URL such as "localhost:8080" or "data:,x" */
}

bool cors__url_parse(cors_str value, cors_str base_scheme, cors__url *out)
{
    char buf[4096];
    size_t n = 0;
    /* URL parsing drops ASCII tab and newline anywhere: copy only when there are some. */
    if (cors__has_byte(value, '\t') || cors__has_byte(value, '\n') || cors__has_byte(value, '\r')) {
        for (size_t k = 0; k < value.len; k++) {
            unsigned char c = (unsigned char)value.ptr[k];
            if (c == '\t' || c == '\n' || c == '\r')
                continue;
            if (n == sizeof(buf)) /* scheme and authority come first: judge what fits */
                break;
            buf[n++] = (char)c;
        }
        return parse_url(buf, n, base_scheme, URL_OUTER, out);
    }
    return parse_url(value.ptr, value.len, base_scheme, URL_OUTER, out);
}

bool cors__url_is_valid(cors_str value)
{
    cors__url url;
    return cors__url_parse(value, (cors_str){NULL, 0}, &url);
}
