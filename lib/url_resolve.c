/* SPDX-License-Identifier: MIT */
/* url_resolve.c - the URL a redirect leads to (URL standard: basic URL
 * parser with the current URL as base) and its origin, for the same-origin
 * tests of a redirect chain (Fetch "HTTP-redirect fetch": the CORS flag and
 * the tainted origin). The URL is kept as text without its fragment, so two
 * hops can be told to be the same URL (Chromium's preflight cache). Validity
 * was decided before (url.c); this only reads a valid reference. */
#include "internal.h"

#include <string.h>

static bool is_special(cors_str scheme)
{
    return cors__equal(scheme, CORS_LIT("http")) || cors__equal(scheme, CORS_LIT("https")) ||
           cors__equal(scheme, CORS_LIT("ws")) || cors__equal(scheme, CORS_LIT("wss")) ||
           cors__equal(scheme, CORS_LIT("ftp")) || cors__equal(scheme, CORS_LIT("file"));
}

static void put(cors__hop_url *u, const char *p, size_t n)
{
    if (n > sizeof(u->text) - u->len) {
        u->text_known = false; /* too long to compare: never the same URL as another */
        n = sizeof(u->text) - u->len;
    }
    memcpy(u->text + u->len, p, n);
    u->len += n;
}

/* URL standard: the path percent-encode set (and the query's), for what
 * Chromium sends: C0, space, '"', '<', '>', '`' (path), '#' never here, DEL, non-ASCII. */
static void put_encoded(cors__hop_url *u, const char *p, size_t n, bool query)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || (!query && (c == '`' || c == '{' || c == '}'))) {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            put(u, e, 3);
        } else {
            put(u, (const char *)&c, 1);
        }
    }
}

static bool is_slash(char c, bool special)
{
    return c == '/' || (special && c == '\\');
}

/* URL standard: a single-dot or double-dot path segment (any case of %2e). */
static int dots(const char *p, size_t n)
{
    size_t i = 0;
    int count = 0;
    while (i < n) {
        if (p[i] == '.')
            i++;
        else if (n - i >= 3 && p[i] == '%' && p[i + 1] == '2' && (p[i + 2] | 0x20) == 'e')
            i += 3;
        else
            return 0;
        count++;
    }
    return count <= 2 ? count : 0;
}

/* Append path (a reference's path, or a merged one) to u, removing dot
 * segments; the text after the authority starts at u->path_start. */
static void put_path(cors__hop_url *u, const char *p, size_t n, bool special)
{
    size_t i = n > 0 && is_slash(p[0], special) ? 1 : 0; /* the slash before the first segment */
    while (i < n) {
        size_t j = i;
        int d;
        while (j < n && !is_slash(p[j], special))
            j++;
        d = dots(p + i, j - i);
        if (d == 2) { /* ".." drops the last segment written */
            while (u->len > u->path_start && u->text[u->len - 1] != '/')
                u->len--;
            if (u->len > u->path_start)
                u->len--;
            if (j >= n)
                put(u, "/", 1);
        } else if (d == 1) {
            if (j >= n)
                put(u, "/", 1);
        } else {
            put(u, "/", 1);
            put_encoded(u, p + i, j - i, false);
        }
        i = j < n ? j + 1 : n;
        if (j < n && i == n) /* a trailing slash */
            put(u, "/", 1);
    }
    if (u->len == u->path_start)
        put(u, "/", 1);
}

/* userinfo@host:port: the origin's host and port, and whether there are credentials. */
static bool read_authority(cors__hop_url *u, const char *a, size_t n, cors_str scheme)
{
    size_t at = n, host_start, host_end, colon;
    uint64_t port;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = i;
    host_start = at == n ? 0 : at + 1;
    u->has_credentials = false;
    for (size_t i = 0; at != n && i < at; i++)
        u->has_credentials |= a[i] != ':';
    if (host_start < n && a[host_start] == '[') {
        const char *close = memchr(a + host_start, ']', n - host_start);
        host_end = close ? (size_t)(close - a) + 1 : n;
    } else {
        const char *c = memchr(a + host_start, ':', n - host_start);
        host_end = c ? (size_t)(c - a) : n;
    }
    colon = host_end;
    u->origin.host_len = cors__host_canonical(a + host_start, host_end - host_start, u->origin.host,
                                              sizeof(u->origin.host));
    u->origin.port = -1;
    if (colon < n && colon + 1 < n) {
        if (cors__decimal((cors_str){a + colon + 1, n - colon - 1}, 65535, &port) != NUM_OK)
            return false;
        if ((int32_t)port != cors__default_port(scheme))
            u->origin.port = (int32_t)port;
    }
    /* the text: scheme://host[:port], credentials left out (they only refuse) */
    put(u, u->origin.host, u->origin.host_len < sizeof(u->origin.host) ? u->origin.host_len : sizeof(u->origin.host));
    if (u->origin.host_len > sizeof(u->origin.host))
        u->text_known = false; /* the host was cut: the text would name another URL */
    if (u->origin.port >= 0) {
        char digits[8];
        size_t d = sizeof(digits);
        int32_t v = u->origin.port;
        do {
            digits[--d] = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        put(u, ":", 1);
        put(u, digits + d, sizeof(digits) - d);
    }
    return true;
}

/* text_known stays as cors__url_resolve set it: a reference longer than the
 * buffer it was cleaned into was cut there, so its text is not the URL's. */
static void start_text(cors__hop_url *u)
{
    u->len = 0;
    put(u, u->origin.scheme, u->origin.scheme_len);
    put(u, "://", 3);
}

/* path, query (the fragment is dropped: it is never sent) */
static void put_rest(cors__hop_url *u, const char *p, size_t n, bool special)
{
    const char *hash = memchr(p, '#', n), *q;
    size_t path_n;
    if (hash != NULL)
        n = (size_t)(hash - p);
    q = memchr(p, '?', n);
    path_n = q ? (size_t)(q - p) : n;
    u->path_start = u->len;
    put_path(u, p, path_n, special);
    if (q != NULL) {
        put(u, "?", 1);
        put_encoded(u, q + 1, n - path_n - 1, true);
    }
}

/* Strip C0 controls and spaces around, tab and newlines anywhere (URL standard). */
static size_t clean(cors_str ref, char *buf, size_t cap)
{
    size_t n = 0;
    while (ref.len > 0 && cors__is((unsigned char)ref.ptr[0], CC_C0_SPACE)) {
        ref.ptr++;
        ref.len--;
    }
    while (ref.len > 0 && cors__is((unsigned char)ref.ptr[ref.len - 1], CC_C0_SPACE))
        ref.len--;
    for (size_t i = 0; i < ref.len && n < cap; i++)
        if (ref.ptr[i] != '\t' && ref.ptr[i] != '\n' && ref.ptr[i] != '\r')
            buf[n++] = ref.ptr[i];
    return n;
}

bool cors__url_resolve(const cors__hop_url *base, cors_str ref, cors__hop_url *out)
{
    char buf[1024];
    size_t n = clean(ref, buf, sizeof(buf)), i = 0;
    const char *p = buf;
    cors_str scheme;
    bool special;

    memset(&out->origin, 0, sizeof(out->origin));
    out->known = true;
    out->has_credentials = false;
    out->text_known = ref.len <= sizeof(buf);
    out->len = out->path_start = 0;
    if (n > 0 && cors__is((unsigned char)p[0], CC_ALPHA))
        while (i < n && cors__is((unsigned char)p[i], CC_SCHEME))
            i++;
    if (i > 0 && i < n && p[i] == ':' && i <= sizeof(out->origin.scheme)) { /* a scheme */
        for (size_t k = 0; k < i; k++)
            out->origin.scheme[k] = (char)cors__lower((unsigned char)p[k]);
        out->origin.scheme_len = i;
        scheme = (cors_str){out->origin.scheme, i};
        special = is_special(scheme);
        out->origin.tuple = special && !cors__equal(scheme, CORS_LIT("file"));
        p += i + 1;
        n -= i + 1;
        /* "https:x" and "https:/x" against an https base are relative, "https://x" is not (URL
         * standard, special relative or authority state, then relative slash state) */
        if (special && base != NULL && base->origin.scheme_len == i &&
            memcmp(base->origin.scheme, out->origin.scheme, i) == 0 &&
            !(n > 1 && is_slash(p[0], true) && is_slash(p[1], true)))
            goto relative;
        if (!special) { /* data:, javascript:, ...: no tuple origin, nothing to compare */
            out->text_known = false;
            return true;
        }
        while (n > 0 && is_slash(p[0], true)) {
            p++;
            n--;
        }
        goto authority;
    }
    if (base == NULL) /* a reference with nothing to resolve it against */
        return false;
relative:
    out->origin = base->origin;
    out->known = base->known;
    scheme = (cors_str){out->origin.scheme, out->origin.scheme_len};
    special = is_special(scheme);
    if (n >= 2 && is_slash(p[0], special) && is_slash(p[1], special)) { /* scheme-relative */
        p += 2;
        n -= 2;
        while (n > 0 && is_slash(p[0], special)) {
            p++;
            n--;
        }
        out->known = true;
        goto authority;
    }
    if (!base->known || !base->text_known) { /* same origin as the base; the text cannot be known */
        out->text_known = false;
        return true;
    }
    /* path-absolute, query, fragment or path-relative: the base up to what changes */
    memcpy(out->text, base->text, base->path_start);
    out->len = out->path_start = base->path_start;
    if (n > 0 && is_slash(p[0], special)) {
        put_rest(out, p, n, special);
    } else if (n == 0 || p[0] == '?' || p[0] == '#') {
        const char *q = memchr(base->text + base->path_start, '?', base->len - base->path_start);
        size_t path_n = q ? (size_t)(q - (base->text + base->path_start)) : base->len - base->path_start;
        put(out, base->text + base->path_start, path_n);
        if (n > 0 && p[0] == '?') {
            const char *hash = memchr(p, '#', n);
            put(out, "?", 1);
            put_encoded(out, p + 1, (hash ? (size_t)(hash - p) : n) - 1, true);
        } else if (q != NULL) {
            put(out, q, base->len - base->path_start - path_n);
        }
    } else { /* merge: the base's path without its last segment, then the reference */
        char merged[1024];
        size_t base_path = base->len - base->path_start;
        const char *q = memchr(base->text + base->path_start, '?', base_path);
        if (q != NULL)
            base_path = (size_t)(q - (base->text + base->path_start));
        while (base_path > 0 && base->text[base->path_start + base_path - 1] != '/')
            base_path--;
        if (base_path + n > sizeof(merged)) {
            out->text_known = false;
            return true;
        }
        memcpy(merged, base->text + base->path_start, base_path);
        memcpy(merged + base_path, p, n);
        put_rest(out, merged, base_path + n, special);
    }
    return true;
authority:
    start_text(out);
    {
        size_t a = 0;
        while (a < n && p[a] != '/' && p[a] != '?' && p[a] != '#' && !(special && p[a] == '\\'))
            a++;
        if (!read_authority(out, p, a, scheme))
            return false;
        put_rest(out, p + a, n - a, special);
    }
    return true;
}

bool cors__url_same_origin(const cors__hop_url *a, const cors__hop_url *b)
{
    if (!a->known || !b->known) /* the one unknown URL (no request URL) and what is relative to it */
        return a->known == b->known;
    return cors__url_origin_same(&a->origin, &b->origin);
}

bool cors__url_origin_same(const cors__url_origin *a, const cors__url_origin *b)
{
    return a->tuple && b->tuple && a->scheme_len == b->scheme_len && memcmp(a->scheme, b->scheme, a->scheme_len) == 0 &&
           a->host_len == b->host_len && a->host_len <= sizeof(a->host) && memcmp(a->host, b->host, a->host_len) == 0 &&
           a->port == b->port;
}

/* Secure Contexts: "potentially trustworthy" hosts an http URL may still name. */
static bool is_loopback_host(const cors__url_origin *o)
{
    cors_str h = {o->host, o->host_len < sizeof(o->host) ? o->host_len : sizeof(o->host)};
    if (cors__equal(h, CORS_LIT("localhost")) || cors__equal(h, CORS_LIT("[::1]")))
        return true;
    if (h.len > 10 && memcmp(h.ptr + h.len - 10, ".localhost", 10) == 0)
        return true;
    /* a canonical IPv4 host is dotted decimal: 127.0.0.0/8 */
    if (h.len < 7 || memcmp(h.ptr, "127.", 4) != 0)
        return false;
    for (size_t i = 0; i < h.len; i++)
        if (!((h.ptr[i] >= '0' && h.ptr[i] <= '9') || h.ptr[i] == '.'))
            return false;
    return true;
}

bool cors__url_is_mixed_content(const cors__url_origin *page, const cors__hop_url *u)
{
    /* Chromium MixedContentChecker: only pages whose scheme restricts mixed content (https) */
    if (!page->tuple || !CORS__SAME_LIT(((cors_str){page->scheme, page->scheme_len}), "https") || !u->known)
        return false;
    return CORS__SAME_LIT(((cors_str){u->origin.scheme, u->origin.scheme_len}), "http") &&
           !is_loopback_host(&u->origin);
}

void cors__url_origin_of(const cors_origin *o, cors__url_origin *out)
{
    out->tuple = false; /* the text buffers are read only up to their lengths: not cleared */
    out->scheme_len = out->host_len = 0;
    out->port = 0;
    if (o->is_opaque) /* an opaque origin is the same as no other */
        return;
    out->tuple = true;
    out->scheme_len = o->scheme.len < sizeof(out->scheme) ? o->scheme.len : sizeof(out->scheme);
    memcpy(out->scheme, o->scheme.ptr, out->scheme_len);
    /* o is cors_origin_parse's: a domain host of lowercase letters, digits, '-', '.' and '_' (no
     * '%', nothing to lower) is its own canonical form unless its last label starts with a digit
     * (the IPv4 parser's then); anything else is canonicalized in full */
    if (o->host.len > 0 && o->host.len <= sizeof(out->host) && o->host.ptr[0] != '[') {
        const char *p = o->host.ptr;
        if (cors__host_ends_in_name(p, o->host.len)) {
            memcpy(out->host, p, o->host.len);
            out->host_len = o->host.len;
        } else {
            out->host_len = cors__host_canonical(p, o->host.len, out->host, sizeof(out->host));
        }
    } else {
        out->host_len = cors__host_canonical(o->host.ptr, o->host.len, out->host, sizeof(out->host));
    }
    out->port = o->port >= 0 && o->port != cors__default_port((cors_str){out->scheme, out->scheme_len}) ? o->port : -1;
}
