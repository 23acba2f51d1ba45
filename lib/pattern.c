/* SPDX-License-Identifier: MIT */
/* pattern.c - origin patterns as a server lists them: exact origins,
 * subdomains ("*.example.com" as the host: one or more labels), "http://localhost:*" (any
 * port), both, or "*". Parsing follows jub0bs/cors internal/origins/pattern.go
 * (the same grammar and limits), judged against what browsers send: HTML's
 * serialization of an origin, with WHATWG URL's host serialization. */
#include "server.h"

static bool fail(cors__pattern_info *out, int32_t issue, size_t offset)
{
    out->issue = issue;
    out->offset = offset;
    return false;
}

/* ---- IPv4: dotted-quad, as the URL serializer writes it ---- */

static bool parse_ipv4(cors_str s, uint8_t octets[4])
{
    size_t part = 0, i = 0;
    while (part < 4) {
        size_t start = i;
        uint64_t v;
        while (i < s.len && cors__is((unsigned char)s.ptr[i], CC_DIGIT))
            i++;
        /* 1 to 3 digits, no leading zero */
        if (i == start || i - start > 3 || (s.ptr[start] == '0' && i - start > 1))
            return false;
        if (cors__decimal((cors_str){s.ptr + start, i - start}, 255, &v) != NUM_OK)
            return false;
        octets[part++] = (uint8_t)v;
        if (part < 4 && (i >= s.len || s.ptr[i++] != '.'))
            return false;
    }
    return i == s.len;
}

/* ---- IPv6: parse, then compare with its serialization (WHATWG URL: lowercase
 * hex without leading zeros, the first longest run of two or more zero pieces
 * compressed to "::") ---- */

static int hex_value(unsigned char c)
{
    if (cors__is(c, CC_DIGIT))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_ipv6(cors_str s, uint16_t pieces[8])
{
    size_t n = 0, i = 0;
    int compress = -1;
    memset(pieces, 0, 8 * sizeof(*pieces));
    if (s.len >= 2 && s.ptr[0] == ':' && s.ptr[1] == ':') {
        compress = 0;
        i = 2;
        if (i == s.len)
            return true;
    } else if (s.len > 0 && s.ptr[0] == ':') {
        return false;
    }
    while (i < s.len) {
        unsigned v = 0, digits = 0;
        if (n == 8)
            return false;
        if (s.ptr[i] == ':') {
            if (compress >= 0)
                return false;
            compress = (int)n;
            if (++i == s.len)
                break;
            continue;
        }
        while (i < s.len && digits < 4 && hex_value((unsigned char)s.ptr[i]) >= 0)
            v = v * 16 + (unsigned)hex_value((unsigned char)s.ptr[i++]), digits++;
        if (digits == 0)
            return false;
        if (i < s.len && s.ptr[i] == '.') { /* an IPv4 tail fills the last two pieces */
            uint8_t o[4];
            size_t start = i - digits;
            if (n > 6 || !parse_ipv4((cors_str){s.ptr + start, s.len - start}, o))
                return false;
            pieces[n++] = (uint16_t)(o[0] << 8 | o[1]);
            pieces[n++] = (uint16_t)(o[2] << 8 | o[3]);
            i = s.len;
            break;
        }
        pieces[n++] = (uint16_t)v;
        if (i < s.len) {
            if (s.ptr[i] != ':' || i + 1 == s.len)
                return false;
            i++;
        }
    }
    if (compress >= 0) {
        size_t moved = n - (size_t)compress;
        if (n == 8)
            return false;
        memmove(pieces + 8 - moved, pieces + compress, moved * sizeof(*pieces));
        memset(pieces + compress, 0, (8 - moved - (size_t)compress) * sizeof(*pieces));
        return true;
    }
    return n == 8;
}

static bool ipv6_is_serialized(cors_str s, const uint16_t pieces[8])
{
    char buf[40];
    size_t n = cors__ipv6_serialize(pieces, buf, sizeof(buf));
    return n == s.len && memcmp(buf, s.ptr, n) == 0;
}

/* ---- domains ---- */

/* RFC 3492 6.2: the label after "xn--" decodes, to something not all ASCII. */
static bool punycode_decodes(cors_str s)
{
    const uint32_t max = 0x7fffffffu;
    uint32_t n = 128, i = 0, bias = 72, out = 0, basic = 0;
    size_t in = 0;
    for (size_t k = 0; k < s.len; k++)
        if (s.ptr[k] == '-')
            basic = (uint32_t)k;
    if (basic > 0)
        in = basic + 1;
    out = basic;
    if (in >= s.len)
        return false;
    while (in < s.len) {
        uint32_t old = i, w = 1, delta;
        for (uint32_t k = 36;; k += 36) {
            unsigned char c;
            uint32_t digit, t;
            if (in >= s.len)
                return false;
            c = (unsigned char)s.ptr[in++];
            if (c >= 'a' && c <= 'z')
                digit = c - 'a';
            else if (c >= '0' && c <= '9')
                digit = c - '0' + 26;
            else
                return false;
            if (digit > (max - i) / w)
                return false;
            i += digit * w;
            t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
            if (digit < t)
                break;
            if (w > max / (36 - t))
                return false;
            w *= 36 - t;
        }
        out++;
        delta = old == 0 ? (i - old) / 700 : (i - old) / 2; /* adapt(), RFC 3492 6.1 */
        delta += delta / out;
        for (bias = 0; delta > 455; bias += 36)
            delta /= 35;
        bias += 36 * delta / (delta + 38);
        if (i / out > max - n)
            return false;
        n += i / out;
        i %= out;
        if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
            return false;
        i++;
    }
    return out > basic;
}

/* Labels of 1-63 bytes, one trailing dot at most, A-labels that decode. */
static bool check_domain(cors_str host, size_t base, cors__pattern_info *out)
{
    size_t start = 0;
    for (size_t i = 0; i <= host.len; i++) {
        if (i < host.len && host.ptr[i] != '.')
            continue;
        cors_str label = {host.ptr + start, i - start};
        if (label.len == 0 && !(i == host.len && i > 0))
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base + i);
        if (label.len > 63)
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base + start + 63);
        if (cors__starts_with_nocase(label, "xn--", 4) &&
            !punycode_decodes((cors_str){label.ptr + 4, label.len - 4}))
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base + start);
        start = i + 1;
    }
    return true;
}

/* The rightmost label (before a trailing dot) starts with a digit: no TLD
 * does, so it is an IPv4 address (jub0bs: firstByteOfRightmostLabelIsDigit). */
static bool looks_like_ipv4(cors_str host)
{
    size_t end = host.len;
    if (end > 0 && host.ptr[end - 1] == '.')
        end--;
    size_t start = end;
    while (start > 0 && host.ptr[start - 1] != '.')
        start--;
    return start < end && cors__is((unsigned char)host.ptr[start], CC_DIGIT);
}

/* host.ptr points into text at offset base. */
static bool parse_host(cors_str host, size_t base, cors__pattern_info *out)
{
    if (host.len > 0 && host.ptr[0] == '[') {
        uint16_t pieces[8];
        cors_str inner = {host.ptr + 1, host.len - 2};
        if (out->subdomains)
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base);
        if (cors__has_byte(inner, '%') || !parse_ipv6(inner, pieces))
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base + 1);
        bool mapped = pieces[0] == 0 && pieces[1] == 0 && pieces[2] == 0 && pieces[3] == 0 && pieces[4] == 0 &&
                      pieces[5] == 0xffff;
        if (mapped || !ipv6_is_serialized(inner, pieces))
            return fail(out, CORS_ISSUE_ORIGIN_NOT_SERIALIZED, base + 1);
        bool loopback = pieces[7] == 1;
        for (int k = 0; k < 7; k++)
            loopback = loopback && pieces[k] == 0;
        out->host_kind = loopback ? HOST_LOOPBACK : HOST_IP;
        return true;
    }
    if (host.len == 0)
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, base);
    if (host.len > (out->subdomains ? PATTERN_HOST_MAX - 2 : PATTERN_HOST_MAX))
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, base + PATTERN_HOST_MAX - (out->subdomains ? 2 : 0));
    if (looks_like_ipv4(host)) {
        uint8_t o[4];
        if (out->subdomains || !parse_ipv4(host, o))
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, base);
        out->host_kind = o[0] == 127 ? HOST_LOOPBACK : HOST_IP;
        return true;
    }
    out->host_kind = HOST_DOMAIN;
    return check_domain(host, base, out);
}

static int default_port(cors_str scheme)
{
    /* jub0bs: only http and https have a default port to elide */
    if (cors__equal(scheme, CORS_LIT("http")))
        return 80;
    if (cors__equal(scheme, CORS_LIT("https")))
        return 443;
    return -1;
}

/* From `at` on: [":" ("*" / port)] and the end. */
static bool parse_port(cors_str t, size_t at, cors__pattern_info *out)
{
    uint64_t port;
    size_t start = at + 1;
    out->port = PORT_DEFAULT;
    if (at == t.len)
        return true;
    if (t.ptr[at] != ':')
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, at);
    if (t.len - start == 1 && t.ptr[start] == '*') {
        out->port = PORT_ANY;
        return true;
    }
    for (size_t i = start; i < t.len; i++)
        if (!cors__is((unsigned char)t.ptr[i], CC_DIGIT) || i - start >= 5)
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, i);
    if (start == t.len || t.ptr[start] == '0' ||
        cors__decimal((cors_str){t.ptr + start, t.len - start}, 65535, &port) != NUM_OK)
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, start);
    if ((int)port == default_port(out->scheme)) /* HTML origin serialization omits it */
        return fail(out, CORS_ISSUE_ORIGIN_NOT_SERIALIZED, at);
    out->port = (int32_t)port;
    return true;
}

bool cors__pattern_parse(cors_str t, cors__pattern_info *out)
{
    size_t i = 0, host_start, host_end;

    memset(out, 0, sizeof(*out));
    out->port = PORT_DEFAULT;
    if (t.len == 1 && t.ptr[0] == '*') {
        out->is_any = true;
        return true;
    }
    if (cors__equal(t, CORS_LIT("null")))
        return fail(out, CORS_ISSUE_ORIGIN_NULL, 0);
    if (t.len > PATTERN_MAX)
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, PATTERN_MAX);
    /* URL: scheme = ASCII alpha *(ASCII alphanumeric / "+" / "-" / "."), serialized lowercase */
    if (t.len == 0 || !cors__is((unsigned char)t.ptr[0], CC_ALPHA))
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, 0);
    while (i < t.len && cors__is((unsigned char)t.ptr[i], CC_SCHEME)) {
        if (cors__is((unsigned char)t.ptr[i], CC_UPPER))
            return fail(out, CORS_ISSUE_ORIGIN_NOT_SERIALIZED, i);
        if (i == PATTERN_SCHEME_MAX)
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, i);
        i++;
    }
    out->scheme = (cors_str){t.ptr, i};
    /* Fetch: a file: URL's origin serializes as "null" */
    if (cors__equal(out->scheme, CORS_LIT("file")))
        return fail(out, CORS_ISSUE_ORIGIN_FILE, 0);
    if (t.len - i < 3 || memcmp(t.ptr + i, "://", 3) != 0)
        return fail(out, CORS_ISSUE_ORIGIN_INVALID, i);
    i += 3;
    if (t.len - i >= 2 && t.ptr[i] == '*' && t.ptr[i + 1] == '.') {
        out->subdomains = true;
        i += 2;
    }
    host_start = i;
    if (i < t.len && t.ptr[i] == '[') {
        const char *close = memchr(t.ptr + i, ']', t.len - i);
        if (close == NULL)
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, t.len);
        i = (size_t)(close - t.ptr) + 1;
    } else {
        for (; i < t.len && t.ptr[i] != ':'; i++) {
            unsigned char c = (unsigned char)t.ptr[i];
            if (cors__is(c, CC_ORIGIN_HOST))
                continue;
            /* uppercase, or Unicode where browsers send the A-label: a spelling no browser sends */
            if (cors__is(c, CC_UPPER) || c >= 0x80)
                return fail(out, CORS_ISSUE_ORIGIN_NOT_SERIALIZED, i);
            return fail(out, CORS_ISSUE_ORIGIN_INVALID, i); /* path, query, userinfo, '*', space ... */
        }
    }
    host_end = i;
    out->host = (cors_str){t.ptr + host_start, host_end - host_start};
    if (!parse_host(out->host, host_start, out))
        return false;
    return parse_port(t, host_end, out);
}

bool cors__pattern_is_insecure(const cors__pattern_info *p)
{
    cors_str h = p->host;
    if (cors__equal(p->scheme, CORS_LIT("https")) || p->host_kind == HOST_LOOPBACK)
        return false;
    /* RFC 6761 6.3: localhost names resolve to loopback addresses */
    if (h.len > 0 && h.ptr[h.len - 1] == '.')
        h.len--;
    if (cors__equal(h, CORS_LIT("localhost")))
        return false;
    return !(h.len > 10 && memcmp(h.ptr + h.len - 10, ".localhost", 10) == 0);
}

bool cors__pattern_covers_public_suffix(const cors__pattern_info *p)
{
    return p->subdomains && p->host_kind == HOST_DOMAIN && cors__psl_is_public_suffix(p->host);
}
