/* SPDX-License-Identifier: MIT */
/* match.c - what the answer's inline lookups (server.h, server_lookup.h)
 * leave to a call: a pattern's ":*" port, reflect's serialized-origin check,
 * the names of Access-Control-Request-Headers. Nothing here allocates or
 * copies; lookups compare words, not bytes. */
#include "server.h"

/* ---- origins ---- */

/* The length of host in host [":" port] when the port is 1-65535 without a leading zero and not
 * the scheme's default (as browsers serialize it), or all of it without a port; SIZE_MAX when
 * what follows the last ':' is no such port. An IPv6 literal's colons are inside brackets. */
size_t cors__host_length(cors_str rest, int32_t default_port)
{
    size_t i = rest.len, digits;
    uint32_t port = 0;
    while (i > 0 && cors__is((unsigned char)rest.ptr[i - 1], CC_DIGIT))
        i--;
    digits = rest.len - i;
    if (i == 0 || rest.ptr[i - 1] != ':')
        return rest.len; /* no port ("[::1]" ends in "1]", not digits after a colon) */
    if (digits == 0 || digits > 5 || rest.ptr[i] == '0')
        return SIZE_MAX;
    for (size_t k = i; k < rest.len; k++)
        port = port * 10 + (uint32_t)(rest.ptr[k] - '0');
    return port > 65535 || (int32_t)port == default_port ? SIZE_MAX : i - 1;
}

/* What cors_origin_parse accepts, but null, in one pass and without its error plumbing (reflect
 * runs it on every request; test_answer checks the two agree): a lowercase scheme, "://", a host
 * of origin-host bytes or a bracketed IPv6 literal, and a port without a leading zero that is not
 * the scheme's default. */
bool cors__is_serialized_origin(cors_str s)
{
    const char *p = s.ptr, *end = s.ptr + s.len, *scheme, *host;
    uint32_t port = 0;
    int dflt;
    if (s.len > CORS_ORIGIN_MAX || s.len == 0 || !(*p >= 'a' && *p <= 'z'))
        return false;
    scheme = p;
    if (s.len >= 8 && cors__load64(p) == cors__load64("https://")) { /* the usual ones, a word at a time */
        p += 5;
    } else if (s.len >= 7 && cors__load32(p) == cors__load32("http") && cors__load32(p + 3) == cors__load32("p://")) {
        p += 4;
    } else {
        for (; p < end && *p != ':'; p++)
            if (!cors__is((unsigned char)*p, CC_SCHEME) || cors__is((unsigned char)*p, CC_UPPER))
                return false;
        if (end - p < 3 || p[1] != '/' || p[2] != '/')
            return false;
    }
    cors_str sc = {scheme, (size_t)(p - scheme)};
    host = p += 3;
    if (p < end && *p == '[') {
        size_t colons = 0;
        for (p++; p < end && *p != ']'; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == ':')
                colons++;
            else if (!cors__is(c, CC_DIGIT) && !(c >= 'a' && c <= 'f') && c != '.')
                return false;
        }
        if (p == end || p == host + 1 || colons < 2)
            return false;
        p++;
    } else {
        const uint16_t *cls = cors__char_class;
        while (end - p >= 4 && (cls[(unsigned char)p[0]] & cls[(unsigned char)p[1]] & cls[(unsigned char)p[2]] &
                                cls[(unsigned char)p[3]] & CC_ORIGIN_HOST))
            p += 4; /* four bytes a round, then one by one */
        while (p < end && cors__is((unsigned char)*p, CC_ORIGIN_HOST))
            p++;
        if (p == host)
            return false;
    }
    if (p == end)
        return true;
    if (*p++ != ':' || p == end || (*p == '0' && end - p > 1) || end - p > 5)
        return false;
    for (; p < end; p++) {
        if (!cors__is((unsigned char)*p, CC_DIGIT))
            return false;
        port = port * 10 + (uint32_t)(*p - '0');
    }
    /* HTML origin serialization omits the scheme's default port */
    dflt = cors__same(sc, CORS_LIT("http")) || cors__same(sc, CORS_LIT("ws")) ? 80
           : cors__same(sc, CORS_LIT("https")) || cors__same(sc, CORS_LIT("wss")) ? 443
           : cors__same(sc, CORS_LIT("ftp")) ? 21 : -1;
    return port <= 65535 && (int)port != dflt;
}

/* ---- Access-Control-Request-Headers ---- */

/* Every element of every line passes: a token the policy allows (with
 * credentials and "*", any token; without credentials "*" leaves out
 * Authorization unless it is listed). Stops at the first that does not. */
bool cors__match_header_lines(const cors_policy *p, const cors_header *rh, size_t first, size_t n, size_t lines)
{
    bool credentials = (p->flags & CORS_POLICY_CREDENTIALS) != 0;
    if (p->any_header && !credentials && p->authorization)
        return true; /* "*,authorization" covers any list: nothing to read */
    for (size_t i = first; i < n && lines > 0; i++) {
        cors_str v = rh[i].value;
        const char *q, *end;
        /* the first line is known; the others are found again */
        if (i != first && (rh[i].name.len != 30 || rh[i].name.ptr == NULL || !cors__is_acrh_name(rh[i].name.ptr)))
            continue;
        lines--;
        if (v.ptr == NULL)
            continue;
        if (!p->any_header) { /* listed names only */
            if (!cors__names_listed(p, v.ptr, v.ptr + v.len))
                return false;
            continue;
        }
        /* under "*": RFC 9110 5.6.1, #element, OWS around each, empty ones ignored; memchr finds each comma */
        for (q = v.ptr, end = v.ptr + v.len; q < end;) {
            const char *comma = memchr(q, ',', (size_t)(end - q)), *e = comma ? comma : end, *b = q;
            q = comma ? comma + 1 : end;
            while (b < e && (*b == ' ' || *b == '\t'))
                b++;
            while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (e == b)
                continue;
            cors_str name = {b, (size_t)(e - b)};
            if (!credentials) {
                if (!p->authorization && CORS__EQ_LIT(name, "authorization"))
                    return false;
                continue; /* the answer is "*": nothing to echo, nothing else to check */
            }
            if (!cors__is_token(name)) /* with credentials the names are echoed ("*" is no wildcard there) */
                return false;
        }
    }
    return true;
}
