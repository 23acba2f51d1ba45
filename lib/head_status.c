/* SPDX-License-Identifier: MIT */
/* head_status.c - a status line as Chromium's http_response_headers.cc reads
 * it: HttpResponseHeaders::ParseStatusLine leniently, with ParseVersion and
 * ParseStatus; what it repairs comes back as CORS_REPAIR_* bits, which
 * head_chromium.c records at the line. */
#include "internal.h"

#include <string.h>

/* ParseVersion, then the clamping of HttpResponseHeaders::ParseStatusLine. */
int32_t cors__head_status_version(cors_str line, bool has_headers, uint32_t *repairs)
{
    const char *dot;
    int major, minor;
    size_t field = 0;
    while (field < line.len && line.ptr[field] != ' ')
        field++;
    /* curl shows HTTP/2 and HTTP/3 like this: Chromium parsed frames, not this text */
    if (field == 6 && (memcmp(line.ptr, "HTTP/2", 6) == 0 || memcmp(line.ptr, "HTTP/3", 6) == 0))
        return (line.ptr[5] - '0') * 10;
    if (!(field == 8 && (memcmp(line.ptr, "HTTP/1.1", 8) == 0 || memcmp(line.ptr, "HTTP/1.0", 8) == 0)))
        *repairs |= CORS_REPAIR_HTTP_VERSION;
    if (line.len < 6 || !cors__starts_with_nocase(line, "http", 4) || line.ptr[4] != '/')
        return 10;
    dot = memchr(line.ptr + 5, '.', line.len - 5);
    if (dot == NULL || dot + 1 == line.ptr + line.len || !cors__is((unsigned char)line.ptr[5], CC_DIGIT) ||
        !cors__is((unsigned char)dot[1], CC_DIGIT))
        return 10; /* 0.0 reads as 1.0 */
    major = line.ptr[5] - '0';
    minor = dot[1] - '0';
    if (major == 0 && minor == 9 && !has_headers)
        return 9;
    if (major == 2 && minor == 0)
        return 20;
    if (major > 1 || (major == 1 && minor >= 1))
        return 11;
    return 10;
}

/* ParseStatusLine: the reason phrase, without the SPs around it. */
static cors_str reason_after(const char *q, const char *end)
{
    while (q < end && *q == ' ')
        q++;
    while (end > q && end[-1] == ' ')
        end--;
    return (cors_str){q, (size_t)(end - q)};
}

/* ParseStatusLine/ParseStatus: the code after the first SP, 200 when missing.
 * Out of line: the usual line's way through cors__head_status_read then
 * saves no registers for it. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void read_status(cors_str line, cors_response *out, uint32_t *repairs)
{
    const char *sp = memchr(line.ptr, ' ', line.len), *end = line.ptr + line.len, *q;
    size_t spaces = 0, digits = 0;
    uint64_t code = 0;

    out->reason = (cors_str){"OK", 2};
    out->status_code = 200;
    if (sp == NULL) {
        *repairs |= CORS_REPAIR_STATUS_CODE_MISSING;
        return;
    }
    for (q = sp; q < end && *q == ' '; q++)
        spaces++;
    while (q + digits < end && cors__is((unsigned char)q[digits], CC_DIGIT))
        digits++;
    if (digits == 0) {
        out->reason = (cors_str){q, 0};
        *repairs |= CORS_REPAIR_STATUS_CODE_MISSING;
        return;
    }
    cors__decimal((cors_str){q, digits}, INT32_MAX, &code); /* clamped to INT_MAX */
    out->status_code = (int32_t)code;
    if (digits != 3 || spaces != 1 || (q + 3 < end && q[3] != ' '))
        *repairs |= CORS_REPAIR_STATUS_CODE_MALFORMED;
    if (code < 100 || code > 599)
        *repairs |= CORS_REPAIR_STATUS_CODE_RANGE;
    out->reason = reason_after(q + digits, end);
}

/* The usual status line, "HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2 " or "HTTP/3 "
 * then three digits before SP or the end: what read_status and
 * cors__head_status_version make of it, without their scans (none of their
 * repairs but the range). Returns the version, or 0 (nothing written) for
 * any other line. */
static int32_t read_usual_status(cors_str line, cors_response *out, uint32_t *repairs)
{
    const char *p = line.ptr, *end = p + line.len;
    int32_t version;
    unsigned d0, d1, d2;
    /* HTTP/1.1 or HTTP/1.0 in one word: '0' | 1 is '1', and no other byte gives it */
    if (line.len >= 12 && (cors__load64(p) | cors__load64("\0\0\0\0\0\0\0\1")) == cors__load64("HTTP/1.1") &&
        p[8] == ' ') {
        version = p[7] == '1' ? 11 : 10;
        p += 9;
    } else if (line.len >= 10 && memcmp(p, "HTTP/", 5) == 0 && (p[5] == '2' || p[5] == '3') && p[6] == ' ') {
        version = (p[5] - '0') * 10;
        p += 7;
    } else {
        return 0;
    }
    d0 = (unsigned char)p[0] - (unsigned)'0';
    d1 = (unsigned char)p[1] - (unsigned)'0';
    d2 = (unsigned char)p[2] - (unsigned)'0';
    if (d0 > 9 || d1 > 9 || d2 > 9 || (p + 3 < end && p[3] != ' ')) /* a byte below '0' wraps to a large value */
        return 0;
    out->status_code = (int32_t)(d0 * 100 + d1 * 10 + d2);
    if (out->status_code < 100 || out->status_code > 599)
        *repairs |= CORS_REPAIR_STATUS_CODE_RANGE;
    out->reason = reason_after(p + 3, end);
    return version;
}

int32_t cors__head_status_read(cors_str line, cors_response *out, uint32_t *repairs)
{
    int32_t version = CORS__HEAD_SHORTCUTS ? read_usual_status(line, out, repairs) : 0;
    if (version == 0)
        read_status(line, out, repairs);
    return version;
}
