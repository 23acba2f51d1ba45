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

static int is_hex(unsigned char c)
{
    return cors__is(c, CC_HEX);
}

static int hex_value(unsigned char c)
{
    return is_digit(c) ? c - '0' : cors__lower(c) - 'a' + 10;
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

/* Bytes a domain may not hold (URL standard: forbidden domain code point).
 * Percent-decoded, Chromium 156 keeps %20 but refuses the rest (%23, %2F...). */
static int is_forbidden_host_byte(unsigned char c, int decoded)
{
    if (decoded && c == ' ')
        return 0;
    return cors__is(c, CC_FORBIDDEN_HOST);
}

/* URL standard: forbidden host code point, for the opaque hosts of non-special URLs. */
static int is_forbidden_opaque_host_byte(unsigned char c)
{
    return cors__is(c, CC_FORBIDDEN_OPAQUE_HOST);
}

/* URL standard: IPv6 parser, on the bytes between the brackets. */
static int ipv6_is_valid(const char *p, size_t n)
{
    size_t i = 0;
    int pieces = 0, compressed = 0;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        compressed = 1;
        i = 2;
    } else if (n >= 1 && p[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t digits = 0, start = i;
        if (pieces == 8)
            return 0;
        if (p[i] == ':') {
            if (compressed)
                return 0;
            compressed = 1;
            i++;
            continue;
        }
        while (i < n && digits < 4 && is_hex((unsigned char)p[i])) {
            i++;
            digits++;
        }
        if (i < n && p[i] == '.') { /* an IPv4 tail takes two pieces */
            int octets = 0;
            if (pieces > 6)
                return 0;
            i = start;
            while (i < n) {
                int value = -1;
                if (octets > 0) {
                    if (p[i] != '.' || octets == 4)
                        return 0;
                    i++;
                }
                while (i < n && is_digit((unsigned char)p[i])) {
                    if (value == 0)
                        return 0; /* no leading zeros */
                    value = (value < 0 ? 0 : value * 10) + (p[i] - '0');
                    if (value > 255)
                        return 0;
                    i++;
                }
                if (value < 0)
                    return 0;
                octets++;
            }
            if (octets != 4)
                return 0;
            pieces += 2;
            break;
        }
        if (digits == 0)
            return 0;
        pieces++;
        if (i < n) {
            if (p[i] != ':' || i + 1 == n)
                return 0;
            i++;
        }
    }
    return compressed ? pieces < 8 : pieces == 8;
}

/* URL standard: IPv4 number parser (decimal, 0x hex, 0-prefixed octal).
 * Returns 0 on failure, else 1 with *value set (saturated above 2^32). */
static int ipv4_number(const char *p, size_t n, uint64_t *value)
{
    unsigned base = 10;
    uint64_t v = 0;
    if (n == 0)
        return 0;
    if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
        n -= 2;
    } else if (n >= 2 && p[0] == '0') {
        base = 8;
        p++;
        n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        unsigned d;
        if (is_digit(c))
            d = (unsigned)(c - '0');
        else if (base == 16 && is_hex(c))
            d = (unsigned)hex_value(c);
        else
            return 0;
        if (d >= base)
            return 0;
        v = v > (1ull << 33) ? v : v * base + d;
    }
    *value = v;
    return 1;
}

/* URL standard: ends in a number, then the IPv4 parser. Returns -1 when the
 * host is not an IPv4 address, else 1 when valid and 0 when not. */
static int ipv4_check(const char *p, size_t n)
{
    size_t parts = 0, start = 0, last_start = 0, last_len;
    uint64_t v;
    if (n > 0 && p[n - 1] == '.')
        n--; /* a trailing dot ends the last label */
    for (size_t i = 0; i < n; i++)
        if (p[i] == '.')
            last_start = i + 1;
    last_len = n - last_start;
    /* URL standard: ends in a number when the last label is all digits or parses as a number */
    if (last_len == 0 || !(cors__is_digits((cors_str){p + last_start, last_len}) || ipv4_number(p + last_start, last_len, &v)))
        return -1; /* a domain */
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '.')
            continue;
        if (!ipv4_number(p + start, i - start, &v))
            return 0;
        parts++;
        if (parts > 4)
            return 0;
        if (i < n && v > 255)
            return 0;
        if (i == n && v >= (1ull << (8 * (5 - parts))))
            return 0;
        start = i + 1;
    }
    return 1;
}

/* Next UTF-8 code point of p[*i..n), or -1 for ill-formed UTF-8 (overlongs,
 * surrogates, beyond U+10FFFF): IDNA needs well-formed input. */
static long next_code_point(const unsigned char *p, size_t n, size_t *i)
{
    unsigned char c = p[*i];
    size_t extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    static const long min[] = {0, 0x80, 0x800, 0x10000};
    long cp;
    if (extra == 9 || *i + extra >= n) /* the sequence must end inside p */
        return -1;
    cp = extra == 0 ? c : (long)(c & (0x3f >> extra));
    for (size_t k = 1; k <= extra; k++) {
        if ((p[*i + k] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[*i + k] & 0x3f);
    }
    *i += extra + 1;
    if (cp < min[extra] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return -1;
    return cp;
}

static int is_rtl(long cp)
{
    return (cp >= 0x0590 && cp <= 0x08ff) || (cp >= 0xfb1d && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff);
}

static int is_combining_mark(long cp)
{
    return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
           (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f);
}

/* Code points UTS 46 disallows or that fail IDNA's contextual and bidi rules,
 * as far as Chromium 156 showed: C1 controls, noncharacters, private use,
 * U+FFFD, tags, joiners and bidi controls. Fullwidth ASCII maps to ASCII. */
static int code_point_is_disallowed(long cp)
{
    if (cp >= 0x80 && cp <= 0x9f)
        return 1;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe || cp == 0xfffd)
        return 1;
    if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000 || (cp >= 0xe0000 && cp <= 0xe0fff))
        return 1;
    if (cp == 0x200c || cp == 0x200d || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return 1;
    if (cp >= 0xff01 && cp <= 0xff5e) /* NFKC: fullwidth forms become ASCII */
        return is_forbidden_host_byte((unsigned char)(cp - 0xfee0), 0);
    return 0;
}

/* The non-ASCII checks of IDNA, label by label (approximate bidi rule: a
 * label with right-to-left letters holds no Latin letters and starts with a
 * letter, not a digit). */
static int domain_is_idna_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i <= n) {
        int rtl = 0, latin = 0, first = 1, bad_start = 0;
        while (i < n && p[i] != '.') {
            long cp = next_code_point(p, n, &i);
            if (cp < 0 || code_point_is_disallowed(cp))
                return 0;
            if (first && (is_combining_mark(cp) || (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06f0 && cp <= 0x06f9)))
                bad_start = 1;
            rtl |= is_rtl(cp);
            latin |= (cp >= 'a' && cp <= 'z');
            first = 0;
        }
        if (bad_start || (rtl && latin))
            return 0;
        i++;
    }
    return 1;
}

static int host_is_valid(const char *p, size_t n)
{
    unsigned char host[1024];
    size_t h = 0;
    if (n == 0)
        return 0;
    if (p[0] == '[')
        return n >= 2 && p[n - 1] == ']' && ipv6_is_valid(p + 1, n - 2);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            if (i + 2 >= n || !is_hex((unsigned char)p[i + 1]) || !is_hex((unsigned char)p[i + 2]))
                return 0;
            c = (unsigned char)(hex_value((unsigned char)p[i + 1]) * 16 + hex_value((unsigned char)p[i + 2]));
            i += 2;
            if (is_forbidden_host_byte(c, 1))
                return 0;
        } else if (is_forbidden_host_byte(c, 0)) {
            return 0;
        }
        if (h == sizeof(host))
            return 1; /* longer than any name; judge the rest as GURL would not object */
        host[h++] = (unsigned char)cors__lower(c);
    }
    if (!domain_is_idna_valid(host, h))
        return 0;
    return ipv4_check((const char *)host, h) != 0;
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
        return host_is_valid(a + host_start, host_end - host_start);
    if (host_end == host_start) /* URL standard: an empty host with credentials or port fails */
        return at == n && colon == n;
    if (a[host_start] == '[')
        return ipv6_is_valid(a + host_start + 1, host_end - host_start - 2);
    for (size_t i = host_start; i < host_end; i++)
        if (is_forbidden_opaque_host_byte((unsigned char)a[i]))
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

static int parse_url(const char *p, size_t n, int relative_to_https, int level, cors__url *out);

/* filesystem:<inner URL with a type directory>, e.g. filesystem:https://a/temporary/x */
static int filesystem_is_valid(const char *p, size_t n)
{
    cors__url inner;
    const char *sep = n >= 3 ? memchr(p, ':', n) : NULL;
    size_t start, auth;
    if (!parse_url(p, n, 0, URL_INNER, &inner) || !inner.is_special || sep == NULL)
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

static int parse_url(const char *p, size_t n, int relative_to_https, int level, cors__url *out)
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
        /* no scheme: a reference relative to an https URL, or nothing */
        if (!relative_to_https)
            return 0;
        memcpy(out->scheme, "https", 5);
        out->scheme_len = 5;
        out->is_special = true;
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
        /* URL standard: "https:foo" relative to an https URL is a path */
        if (relative_to_https && cors__equal(scheme, CORS_LIT("https")) && !(a < n && is_slash(p[a], 1)))
            return out->valid = true;
        while (a < n && is_slash(p[a], 1))
            a++;
        len = authority_length(p + a, n - a, 1);
        if (scheme_is_file) /* a file host has no credentials or port, and may be empty */
            return out->valid = len == 0 || (!memchr(p + a, '@', len) && !memchr(p + a, ':', len) &&
                                             host_is_valid(p + a, len));
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

bool cors__url_parse(cors_str value, bool relative_to_https, cors__url *out)
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
        return parse_url(buf, n, relative_to_https, URL_OUTER, out);
    }
    return parse_url(value.ptr, value.len, relative_to_https, URL_OUTER, out);
}

bool cors__url_is_valid(cors_str value)
{
    cors__url url;
    return cors__url_parse(value, false, &url);
}
