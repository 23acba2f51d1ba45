/* origin.c - serialized origins (HTML: serialization of an origin) and the
 * URL validity test Chromium applies to a mismatching Access-Control-Allow-Origin. */
#include "internal.h"

#include <string.h>

static int32_t fail(cors_error *err, size_t offset)
{
    if (err != NULL) {
        err->status = CORS_E_BAD_ORIGIN;
        err->offset = offset;
        err->line = 0;
    }
    return CORS_E_BAD_ORIGIN;
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_value(unsigned char c)
{
    return is_digit(c) ? c - '0' : cors__lower(c) - 'a' + 10;
}

static int default_port(cors_str scheme)
{
    if (cors__equal_z(scheme, "http") || cors__equal_z(scheme, "ws"))
        return 80;
    if (cors__equal_z(scheme, "https") || cors__equal_z(scheme, "wss"))
        return 443;
    if (cors__equal_z(scheme, "ftp"))
        return 21;
    return -1;
}

/* An IPv6 literal's inside, as the URL serializer writes it: lowercase hex,
 * colons, and dots for an embedded IPv4 tail. Returns the offending index or n. */
static size_t check_ipv6(const char *p, size_t n)
{
    size_t colons = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ':')
            colons++;
        else if (!(is_digit(c) || (c >= 'a' && c <= 'f') || c == '.'))
            return i;
    }
    return colons >= 2 ? n : 0;
}

int32_t cors_origin_parse(const char *text, size_t len, cors_origin *out, cors_error *err)
{
    size_t i = 0;
    const char *p = text;

    if (err != NULL)
        memset(err, 0, sizeof(*err));
    if (out != NULL) {
        memset(out, 0, sizeof(*out));
        out->port = -1;
    }
    if (out == NULL || (text == NULL && len != 0)) {
        if (err != NULL)
            err->status = CORS_E_ARGUMENT;
        return CORS_E_ARGUMENT;
    }
    if (len == 4 && memcmp(text, "null", 4) == 0) {
        out->is_opaque = 1;
        return CORS_OK;
    }
    /* URL: scheme = ASCII alpha, then ASCII alphanumeric, "+", "-", "."; serialized lowercase */
    if (len == 0 || !(p[0] >= 'a' && p[0] <= 'z'))
        return fail(err, 0);
    while (i < len && p[i] != ':') {
        unsigned char c = (unsigned char)p[i];
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '-' || c == '.'))
            return fail(err, i);
        i++;
    }
    out->scheme.ptr = p;
    out->scheme.len = i;
    if (len - i < 3 || memcmp(p + i, "://", 3) != 0)
        return fail(err, i);
    i += 3;
    out->host.ptr = p + i;
    if (i < len && p[i] == '[') {
        const char *close = memchr(p + i, ']', len - i);
        size_t inner, bad;
        if (close == NULL)
            return fail(err, len);
        inner = (size_t)(close - (p + i)) - 1;
        bad = check_ipv6(p + i + 1, inner);
        if (inner == 0 || bad != inner)
            return fail(err, i + 1 + bad);
        i += inner + 2;
    } else {
        /* Hosts serialize as lowercase ASCII (IDNA applied), without the
         * characters the URL standard forbids in a host. */
        while (i < len && p[i] != ':') {
            unsigned char c = (unsigned char)p[i];
            if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.' || c == '_'))
                return fail(err, i);
            i++;
        }
        if (i == (size_t)(out->host.ptr - p))
            return fail(err, i);
    }
    out->host.len = (size_t)(p + i - out->host.ptr);
    if (i < len) {
        long port = 0;
        size_t start;
        if (p[i] != ':')
            return fail(err, i);
        start = ++i;
        if (i == len || (p[i] == '0' && len - i > 1))
            return fail(err, i);
        while (i < len) {
            if (!is_digit((unsigned char)p[i]) || i - start >= 5)
                return fail(err, i);
            port = port * 10 + (p[i] - '0');
            i++;
        }
        if (port > 65535)
            return fail(err, start);
        /* HTML origin serialization omits the scheme's default port */
        if (port == default_port(out->scheme))
            return fail(err, start - 1);
        out->port = (int32_t)port;
    }
    return CORS_OK;
}

static size_t put(char *buf, size_t cap, size_t at, const char *s, size_t n)
{
    if (at < cap)
        memcpy(buf + at, s, (cap - at) < n ? (cap - at) : n);
    return at + n;
}

size_t cors_origin_serialize(const cors_origin *origin, char *buf, size_t cap)
{
    size_t n = 0;
    char digits[8];
    size_t d = 0;

    if (origin == NULL || (buf == NULL && cap != 0))
        return 0;
    if (origin->is_opaque) {
        n = put(buf, cap, 0, "null", 4);
    } else {
        n = put(buf, cap, n, origin->scheme.ptr, origin->scheme.len);
        n = put(buf, cap, n, "://", 3);
        n = put(buf, cap, n, origin->host.ptr, origin->host.len);
        if (origin->port >= 0 && origin->port != default_port(origin->scheme)) {
            int32_t port = origin->port;
            do {
                digits[sizeof(digits) - 1 - d++] = (char)('0' + port % 10);
                port /= 10;
            } while (port > 0 && d < sizeof(digits) - 1);
            n = put(buf, cap, n, ":", 1);
            n = put(buf, cap, n, digits + sizeof(digits) - d, d);
        }
    }
    if (n < cap)
        buf[n] = '\0';
    return n;
}

int32_t cors_origin_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
    /* Fetch: CORS check compares the serialized origin byte for byte */
    if ((a == NULL && a_len != 0) || (b == NULL && b_len != 0))
        return 0;
    return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* ---- Chromium's GURL validity, as far as it decides CORS error kinds ---- */

static int is_special_scheme(const char *p, size_t n)
{
    static const char *const special[] = {"http", "https", "ws", "wss", "ftp", "file"};
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        if (cors__equal_nocase(p, n, special[i], strlen(special[i])))
            return 1;
    return 0;
}

/* Bytes a host may not hold once percent-decoded (URL standard: forbidden
 * domain code point; %23 and %2F are refused by Chromium 156 too). */
static int is_forbidden_host_byte(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || strchr("#%/:<>?@[\\]^|", c) != NULL;
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

static int all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)p[i]))
            return 0;
    return n > 0;
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
    if (last_len == 0 || !(all_digits(p + last_start, last_len) || ipv4_number(p + last_start, last_len, &v)))
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

static int is_utf8(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        if (extra == 9 || (c >= 0xc0 && c <= 0xc1) || c > 0xf4 || i + extra >= n + (extra == 0))
            return 0;
        for (size_t k = 1; k <= extra; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
        i += extra + 1;
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
        }
        if (is_forbidden_host_byte(c))
            return 0;
        if (h == sizeof(host))
            return 1; /* longer than any name; judge the rest as GURL would not object */
        host[h++] = (unsigned char)cors__lower(c);
    }
    if (!is_utf8(host, h)) /* IDNA needs well-formed UTF-8 */
        return 0;
    return ipv4_check((const char *)host, h) != 0;
}

int cors__origin_url_is_valid(cors_str value)
{
    char buf[4096];
    size_t n = 0, i = 0, scheme_len;
    const char *p = value.ptr;

    /* URL parsing drops ASCII tab and newline anywhere and C0/space at the
     * ends. Copy only when there is something to drop. */
    if (cors__has_byte(value, '\t') || cors__has_byte(value, '\n') || cors__has_byte(value, '\r')) {
        for (size_t k = 0; k < value.len; k++) {
            unsigned char c = (unsigned char)value.ptr[k];
            if (c == '\t' || c == '\n' || c == '\r')
                continue;
            if (n == sizeof(buf))
                return 1; /* a URL this long with tabs is beyond any real header: call it a URL */
            buf[n++] = (char)c;
        }
        p = buf;
    } else {
        n = value.len;
    }
    while (n > 0 && (unsigned char)p[0] <= 0x20) {
        p++;
        n--;
    }
    while (n > 0 && (unsigned char)p[n - 1] <= 0x20)
        n--;
    /* Without a base URL only an absolute URL is valid: it needs a scheme. */
    if (n == 0 || !is_alpha((unsigned char)p[0]))
        return 0;
    while (i < n && p[i] != ':') {
        unsigned char c = (unsigned char)p[i];
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'))
            return 0;
        i++;
    }
    if (i == n)
        return 0;
    scheme_len = i++;
    if (!is_special_scheme(p, scheme_len))
        return 1; /* a path URL such as "localhost:8080" */
    if (cors__equal_nocase(p, scheme_len, "file", 4))
        return 1;
    while (i < n && (p[i] == '/' || p[i] == '\\'))
        i++;
    {
        size_t start = i, end, at = (size_t)-1, host_start, colon = (size_t)-1;
        while (i < n && p[i] != '/' && p[i] != '\\' && p[i] != '?' && p[i] != '#')
            i++;
        end = i;
        for (size_t k = start; k < end; k++)
            if (p[k] == '@')
                at = k;
        host_start = at == (size_t)-1 ? start : at + 1;
        if (host_start < end && p[host_start] == '[') {
            const char *close = memchr(p + host_start, ']', end - host_start);
            if (close == NULL)
                return 0;
            if ((size_t)(close - p) + 1 < end) {
                if (close[1] != ':')
                    return 0;
                colon = (size_t)(close - p) + 1;
            }
        } else {
            for (size_t k = host_start; k < end; k++)
                if (p[k] == ':') {
                    colon = k;
                    break;
                }
        }
        if (colon != (size_t)-1) {
            long port = 0;
            for (size_t k = colon + 1; k < end; k++) {
                if (!is_digit((unsigned char)p[k]))
                    return 0;
                if (port <= 65535)
                    port = port * 10 + (p[k] - '0');
            }
            if (port > 65535)
                return 0;
        }
        return host_is_valid(p + host_start, (colon == (size_t)-1 ? end : colon) - host_start);
    }
}
