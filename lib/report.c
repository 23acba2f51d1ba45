/* SPDX-License-Identifier: MIT */
/* report.c - the report and the buffers the caller lends it: a text writer
 * that stores what fits and counts what the whole answer takes. */
#include "internal.h"

#include <string.h>

void cors_report_init(cors_report *report, size_t size, cors_finding *findings, size_t findings_capacity,
                      cors_span *readable, size_t readable_capacity, char *text, size_t text_capacity)
{
    cors_report local;
    /* every field set here is inside the caller's struct: filled in place; an older, smaller one
     * gets what of ours it has room for, through a copy */
    bool in_place = size >= offsetof(cors_report, text_capacity) + sizeof(size_t);
    cors_report *r = in_place ? report : &local;
    if (report == NULL || size < sizeof(size_t))
        return;
    memset(report, 0, size);
    if (!in_place)
        memset(&local, 0, sizeof(local));
    r->struct_size = size;
    r->findings = findings;
    r->findings_capacity = findings == NULL ? 0 : findings_capacity;
    r->readable = readable;
    r->readable_capacity = readable == NULL ? 0 : readable_capacity;
    r->text = text;
    r->text_capacity = text == NULL ? 0 : text_capacity;
    if (!in_place)
        memcpy(report, &local, size);
}

/* Spans are 32-bit: text past UINT32_MAX bytes is counted as that much. */
static size_t text_room(const cors_report *r)
{
    return r->text_capacity < UINT32_MAX ? r->text_capacity : UINT32_MAX;
}

static void append(cors_report *r, const char *p, size_t n, bool lower)
{
    size_t at = r->text_length;
    if (n <= text_room(r) && at <= text_room(r) - n) {
        if (lower)
            cors__copy_lower(r->text + at, p, n);
        else if (n > 0)
            memcpy(r->text + at, p, n);
    }
    /* a piece stored whole or not at all; once one does not fit, none after it does */
    r->text_length = n > UINT32_MAX - at ? UINT32_MAX : at + n;
}

void cors__report_reserve(cors_report *r, size_t n)
{
    r->text_length = n > UINT32_MAX - r->text_length ? UINT32_MAX : r->text_length + n;
}

cors_span cors__report_since(const cors_report *r, size_t start)
{
    cors_span s = {(uint32_t)start, (uint32_t)(r->text_length - start)};
    return s;
}

cors_span cors__report_put(cors_report *r, cors_str s)
{
    size_t start = r->text_length;
    append(r, s.ptr, s.len, false);
    return cors__report_since(r, start);
}

cors_span cors__report_put_lower(cors_report *r, cors_str s)
{
    size_t start = r->text_length;
    append(r, s.ptr, s.len, true);
    return cors__report_since(r, start);
}

static void append_int(cors_report *r, int64_t v)
{
    char digits[24];
    size_t d = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[sizeof(digits) - 1 - d++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        digits[sizeof(digits) - 1 - d++] = '-';
    append(r, digits + sizeof(digits) - d, d, false);
}

cors_span cors__report_vformat(cors_report *r, const char *fmt, const char *where, va_list ap)
{
    size_t start = r->text_length;
    const char *p = fmt;
    while (*p) {
        const char *q = strchr(p, '%');
        if (q == NULL) {
            append(r, p, strlen(p), false);
            break;
        }
        append(r, p, (size_t)(q - p), false);
        switch (q[1]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            append(r, s, strlen(s), false);
            break;
        }
        case 'S':
        case 'L': {
            cors_str s = va_arg(ap, cors_str);
            append(r, s.ptr, s.len, q[1] == 'L');
            break;
        }
        case 'd':
            append_int(r, va_arg(ap, int));
            break;
        case 'D':
            append_int(r, va_arg(ap, int64_t));
            break;
        case 'W':
            if (where != NULL)
                append(r, where, strlen(where), false);
            break;
        default:
            append(r, "%", 1, false);
            break;
        }
        p = q[1] ? q + 2 : q + 1;
    }
    return cors__report_since(r, start);
}

cors_span cors__report_format(cors_report *r, const char *fmt, ...)
{
    va_list ap;
    cors_span s;
    va_start(ap, fmt);
    s = cors__report_vformat(r, fmt, NULL, ap);
    va_end(ap);
    return s;
}

void cors__report_fail(cors_report *r, int32_t stage, int32_t kind)
{
    r->ok = 0;
    r->failed_at = stage;
    r->kind = kind;
}
