/* SPDX-License-Identifier: MIT */
/* url_host.c - URL hosts as the URL standard and Chromium's GURL parse them:
 * validity (forbidden code points, IPv4 numbers, the IDNA checks Chromium 156
 * showed) and the canonical text two hosts are compared by; IPv6 literals are
 * url_ipv6.c's. */
#include "internal.h"

#include <string.h>

/* Bytes a domain may not hold (URL standard: forbidden domain code point).
 * Percent-decoded, Chromium 156 keeps %20 but refuses the rest (%23, %2F...). */
static int is_forbidden_host_byte(unsigned char c, int decoded)
{
    if (decoded && c == ' ')
        return 0;
    return cors__is(c, CC_FORBIDDEN_HOST);
}

/* URL standard: forbidden host code point, for the opaque hosts of non-special URLs. */
int cors__is_forbidden_opaque_host_byte(unsigned char c)
{
    return cors__is(c, CC_FORBIDDEN_OPAQUE_HOST);
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
        if (cors__is_digit_byte(c))
            d = (unsigned)(c - '0');
        else if (base == 16 && cors__is_hex_byte(c))
            d = (unsigned)cors__hex_value(c);
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
 * host is not an IPv4 address, else 1 when valid (with *address set) and 0
 * when not. */
static int ipv4_check(const char *p, size_t n, uint32_t *address)
{
    size_t parts = 0, start = 0, last_start = 0, last_len;
    uint64_t v, sum = 0;
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
        /* each part but the last is one byte, from the top; the last fills the rest */
        sum += i < n ? v << (8 * (4 - parts)) : v;
        start = i + 1;
    }
    *address = (uint32_t)sum;
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

int cors__host_is_valid(const char *p, size_t n)
{
    unsigned char host[1024];
    size_t h = 0;
    if (n == 0)
        return 0;
    if (p[0] == '[')
        return n >= 2 && p[n - 1] == ']' && cors__ipv6_is_valid(p + 1, n - 2);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            if (i + 2 >= n || !cors__is_hex_byte((unsigned char)p[i + 1]) || !cors__is_hex_byte((unsigned char)p[i + 2]))
                return 0;
            c = (unsigned char)(cors__hex_value((unsigned char)p[i + 1]) * 16 + cors__hex_value((unsigned char)p[i + 2]));
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
    {
        uint32_t address;
        return ipv4_check((const char *)host, h, &address) != 0;
    }
}

/* Percent-decoded, ASCII lowercase, IPv4 in dotted decimal: any host but an
 * IPv6 literal. */
static size_t host_canonical_general(const char *p, size_t n, char *out, size_t cap)
{
    unsigned char host[256] = {0};
    size_t h = 0, full = 0;
    uint32_t address;
    for (size_t i = 0; i < n; i++, full++) { /* percent-decoded, ASCII lowercase */
        unsigned char c = (unsigned char)p[i];
        if (c == '%' && i + 2 < n && cors__is_hex_byte((unsigned char)p[i + 1]) && cors__is_hex_byte((unsigned char)p[i + 2])) {
            c = (unsigned char)(cors__hex_value((unsigned char)p[i + 1]) * 16 + cors__hex_value((unsigned char)p[i + 2]));
            i += 2;
        }
        if (h < sizeof(host))
            host[h++] = cors__lower(c);
    }
    if (full <= sizeof(host) && ipv4_check((const char *)host, h, &address) == 1) {
        char digits[16];
        size_t d = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            unsigned octet = (address >> shift) & 0xffu;
            if (octet >= 100)
                digits[d++] = (char)('0' + octet / 100);
            if (octet >= 10)
                digits[d++] = (char)('0' + octet / 10 % 10);
            digits[d++] = (char)('0' + octet % 10);
            if (shift > 0)
                digits[d++] = '.';
        }
        h = 0;
        for (size_t k = 0; k < d; k++)
            h = cors__put_byte(out, cap, h, digits[k]);
        return h;
    }
    for (size_t k = 0; k < h && k < cap; k++)
        out[k] = (char)host[k];
    return full; /* longer than 256 bytes: cut, and the length says so */
}

size_t cors__host_canonical(const char *p, size_t n, char *out, size_t cap)
{
    if (n >= 2 && p[0] == '[')
        return cors__ipv6_host_text(p + 1, n - 2, out, cap);
    if (n <= 256 && n <= cap) {
        /* The usual host: no percent sign, and a last label that does not
         * start with a digit, so the IPv4 parser would not take it (URL
         * standard: ends in a number). Lowercased straight into out. */
        if (cors__host_ends_in_name(p, n) && (n == 0 || memchr(p, '%', n) == NULL)) {
            cors__copy_lower(out, p, n);
            return n;
        }
    }
    return host_canonical_general(p, n, out, cap);
}
