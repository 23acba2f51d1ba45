/* report.c - the report: its text buffer, findings and verdict. */
#include "internal.h"

#include <string.h>

void cors_report_init(cors_report *report)
{
    if (report == NULL)
        return;
    /* Only the fixed part is cleared: text needs no zeroing, as every span
     * stays within text_length. */
    memset(report, 0, offsetof(cors_report, text));
    report->struct_size = sizeof(*report);
}

static void append(cors_report *r, const char *p, size_t n, int lower)
{
    size_t room = CORS_REPORT_TEXT - r->text_length;
    if (n > room) {
        n = room;
        r->text_truncated = 1;
    }
    for (size_t i = 0; i < n; i++)
        r->text[r->text_length + i] = lower ? (char)cors__lower((unsigned char)p[i]) : p[i];
    r->text_length += (uint32_t)n;
}

static cors_span span_since(const cors_report *r, uint32_t start)
{
    cors_span s = {start, r->text_length - start};
    return s;
}

int cors__report_has_room(const cors_report *report, size_t n)
{
    return n <= CORS_REPORT_TEXT - report->text_length;
}

cors_span cors__report_put(cors_report *report, const char *p, size_t n)
{
    uint32_t start = report->text_length;
    append(report, p, n, 0);
    return span_since(report, start);
}

cors_span cors__report_put_lower(cors_report *report, const char *p, size_t n)
{
    uint32_t start = report->text_length;
    append(report, p, n, 1);
    return span_since(report, start);
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
    append(r, digits + sizeof(digits) - d, d, 0);
}

/* A small formatter so messages need no snprintf: %s C string, %S cors_str
 * (by value), %L cors_str lowercased, %d int, %D int64_t, %% percent. */
cors_span cors__report_vformat(cors_report *report, const char *fmt, va_list ap)
{
    uint32_t start = report->text_length;
    const char *p = fmt;
    while (*p) {
        const char *q = strchr(p, '%');
        if (q == NULL) {
            append(report, p, strlen(p), 0);
            break;
        }
        append(report, p, (size_t)(q - p), 0);
        switch (q[1]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            append(report, s, strlen(s), 0);
            break;
        }
        case 'S':
        case 'L': {
            cors_str s = va_arg(ap, cors_str);
            append(report, s.ptr, s.len, q[1] == 'L');
            break;
        }
        case 'd':
            append_int(report, va_arg(ap, int));
            break;
        case 'D':
            append_int(report, va_arg(ap, int64_t));
            break;
        default:
            append(report, "%", 1, 0);
            break;
        }
        p = q[1] ? q + 2 : q + 1;
    }
    return span_since(report, start);
}

cors_span cors__report_format(cors_report *report, const char *fmt, ...)
{
    va_list ap;
    cors_span s;
    va_start(ap, fmt);
    s = cors__report_vformat(report, fmt, ap);
    va_end(ap);
    return s;
}

cors_str cors__report_span_str(const cors_report *report, cors_span span)
{
    cors_str s = {report->text + span.offset, span.length};
    return s;
}

void cors__report_fail(cors_report *report, int32_t stage, int32_t kind)
{
    report->ok = 0;
    report->failed_at = stage;
    report->error = kind;
}
