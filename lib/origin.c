/* SPDX-License-Identifier: MIT */
/* origin.c - serialized origins (HTML: serialization of an origin): parse,
 * serialize, compare. */
#include "internal.h"

#include <string.h>

static int32_t fail(cors_error *err, size_t offset)
{
    return cors__fail(err, CORS_E_BAD_ORIGIN, offset, 0, SIZE_MAX);
}

int32_t cors__default_port(cors_str scheme)
{
    if (CORS__SAME_LIT(scheme, "http") || CORS__SAME_LIT(scheme, "ws"))
        return 80;
    if (CORS__SAME_LIT(scheme, "https") || CORS__SAME_LIT(scheme, "wss"))
        return 443;
    if (CORS__SAME_LIT(scheme, "ftp"))
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
        else if (!(cors__is(c, CC_DIGIT) || (c >= 'a' && c <= 'f') || c == '.'))
            return i;
    }
    return colons >= 2 ? n : 0;
}

int32_t cors_origin_parse(const char *text, size_t len, cors_origin *out, cors_error *err)
{
    size_t i = 0;
    const char *p = text;

    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (out != NULL) {
        memset(out, 0, sizeof(*out));
        out->port = -1;
    }
    if (out == NULL || (text == NULL && len != 0))
        return cors__fail(err, CORS_E_ARGUMENT, 0, 0, SIZE_MAX);
    if (len == 4 && memcmp(text, "null", 4) == 0) {
        out->is_opaque = 1;
        return CORS_OK;
    }
    if (len > CORS_ORIGIN_MAX) /* the first byte past the documented limit */
        return fail(err, CORS_ORIGIN_MAX);
    /* URL: scheme = ASCII alpha, then ASCII alphanumeric, "+", "-", "."; serialized lowercase */
    if (len == 0 || !(p[0] >= 'a' && p[0] <= 'z'))
        return fail(err, 0);
    while (i < len && p[i] != ':') {
        if ((cors__char_class[(unsigned char)p[i]] & (CC_SCHEME | CC_UPPER)) != CC_SCHEME) /* serialized lowercase */
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
         * characters the URL standard forbids in a host. Four host bytes a round
         * first (':' is none: the byte loop below would pass them alike). */
        const uint16_t *cls = cors__char_class;
        const unsigned char *u = (const unsigned char *)p;
        while (i + 4 <= len && (cls[u[i]] & cls[u[i + 1]] & cls[u[i + 2]] & cls[u[i + 3]] & CC_ORIGIN_HOST))
            i += 4;
        while (i < len && p[i] != ':') {
            if (!cors__is((unsigned char)p[i], CC_ORIGIN_HOST))
                return fail(err, i);
            i++;
        }
        if (i == (size_t)(out->host.ptr - p))
            return fail(err, i);
    }
    out->host.len = (size_t)(p + i - out->host.ptr);
    if (i < len) {
        uint64_t port;
        size_t start;
        if (p[i] != ':')
            return fail(err, i);
        start = ++i;
        if (i == len || (p[i] == '0' && len - i > 1))
            return fail(err, i);
        for (; i < len; i++)
            if (!cors__is((unsigned char)p[i], CC_DIGIT) || i - start >= 5)
                return fail(err, i);
        if (cors__decimal((cors_str){p + start, len - start}, 65535, &port) != NUM_OK)
            return fail(err, start);
        /* HTML origin serialization omits the scheme's default port */
        if ((int32_t)port == cors__default_port(out->scheme))
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
        if (origin->port >= 0 && origin->port != cors__default_port(origin->scheme)) {
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
    return a_len == b_len && cors__same_bytes(a, b, a_len);
}
