/* SPDX-License-Identifier: MIT */
/* head_strict.c - the strict reading of a response head (CORS_PARSE_STRICT):
 * RFC 9112 as curl prints it, every departure refused with its status, byte
 * offset and line, to lint what a server sends. */
#include "internal.h"
#include "scan.h"

#include <string.h>

static int32_t fail_at(cors_error *err, int32_t status, size_t offset, size_t line)
{
    return cors__fail(err, status, offset, line, SIZE_MAX);
}

typedef struct cursor {
    const char *buf;
    size_t len;
    size_t pos;    /* start of the current line */
    size_t line;   /* 1-based number of the current line */
} cursor;

/* The line at c->pos: content [pos, *end) and the offset after its line end.
 * Checks the bytes every line must obey (RFC 9112 2.2: no bare CR, no NUL). */
static int32_t next_line(const cursor *c, size_t *end, size_t *after, cors_error *err)
{
    const char *p = c->buf + c->pos;
    size_t rest = c->len - c->pos, i = cors__find_line_byte(p, 0, rest);

    if (i > CORS_MAX_LINE) /* the limit excludes the line end */
        return fail_at(err, CORS_E_LINE_TOO_LONG, c->pos + CORS_MAX_LINE, c->line);
    if (i < rest && p[i] == '\0')
        return fail_at(err, CORS_E_NUL_IN_HEADER, c->pos + i, c->line);
    if (i < rest && p[i] == '\r' && !(i + 1 < rest && p[i + 1] == '\n'))
        return fail_at(err, CORS_E_BARE_CR, c->pos + i, c->line);
    *end = c->pos + i;
    *after = i == rest ? c->len : c->pos + i + (p[i] == '\r' ? 2 : 1);
    return CORS_OK;
}

/* RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ];
 * curl shows HTTP/2 and HTTP/3 as "HTTP/2", "HTTP/3"; the reason may be absent
 * together with its SP. */
static int32_t parse_status_line(const cursor *c, size_t end, cors_response *out, cors_error *err)
{
    const char *p = c->buf + c->pos;
    size_t n = end - c->pos;
    size_t i;
    int major, minor = 0;
    uint64_t code;

    if (n < 5 || memcmp(p, "HTTP/", 5) != 0)
        return fail_at(err, CORS_E_NO_STATUS_LINE, c->pos, c->line);
    i = 5;
    if (i >= n || p[i] < '1' || p[i] > '3')
        return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    major = p[i++] - '0';
    /* HTTP/1.0, HTTP/1.1; curl shows HTTP/2 and HTTP/3 without a minor (or ".0") */
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !(major == 1 ? (p[i] == '0' || p[i] == '1') : p[i] == '0'))
            return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
        minor = p[i++] - '0';
    } else if (major == 1) {
        return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    }
    if (i >= n || p[i] != ' ')
        return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    i++;
    /* RFC 9110 15: status-code = 3DIGIT, the first one 1-9 */
    if (i + 3 > n || p[i] == '0' || cors__decimal((cors_str){p + i, 3}, 999, &code) != NUM_OK)
        return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    out->status_code = (int32_t)code;
    i += 3;
    if (i < n && p[i] != ' ')
        return fail_at(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    if (i < n)
        i++;
    out->http_version = major * 10 + minor;
    out->reason.ptr = p + i;
    out->reason.len = n - i;
    return CORS_OK;
}

static int32_t parse_header_line(const cursor *c, size_t end, cors_header *h, cors_error *err)
{
    const char *p = c->buf + c->pos;
    size_t n = end - c->pos, i = 0;
    cors_str value;

    if (p[0] == ' ' || p[0] == '\t')
        return fail_at(err, CORS_E_OBS_FOLD, c->pos, c->line);
    while (i < n && cors__is((unsigned char)p[i], CC_TOKEN))
        i++;
    if (i == n) /* RFC 9112 5.1: name ":" value; no colon is no field */
        return fail_at(err, CORS_E_NO_COLON, c->pos, c->line);
    /* RFC 9112 5.1: no whitespace between field name and colon */
    if (i == 0 || p[i] != ':')
        return fail_at(err, memchr(p + i, ':', n - i) ? CORS_E_BAD_HEADER_NAME : CORS_E_NO_COLON,
                       c->pos + (memchr(p + i, ':', n - i) ? i : 0), c->line);
    h->name.ptr = p;
    h->name.len = i;
    value.ptr = p + i + 1;
    value.len = n - i - 1;
    h->value = cors__trim_tab_space(value);
    return CORS_OK;
}

/* The usual line, "name:value" with a CRLF or LF end, in one pass: the name
 * by the class table, the value eight bytes at a time. Returns false for
 * anything else (a blank line, a fold, a NUL or bare CR, a bad name, a line
 * too long), which the careful path above then reads or refuses. */
static bool fast_header_line(const cursor *c, cors_header *h, size_t *after)
{
    const char *p = c->buf + c->pos;
    size_t rest = c->len - c->pos, i = 0, v, j, end;
    while (i < rest && cors__is((unsigned char)p[i], CC_TOKEN))
        i++;
    if (i == 0 || i == rest || p[i] != ':')
        return false;
    v = i + 1;
    j = cors__find_line_byte(p, v, rest);
    if (j == rest)
        *after = c->len;
    else if (p[j] == '\n')
        *after = c->pos + j + 1;
    else if (p[j] == '\r' && j + 1 < rest && p[j + 1] == '\n')
        *after = c->pos + j + 2;
    else
        return false;
    end = j;
    if (end > CORS_MAX_LINE)
        return false;
    h->name.ptr = p;
    h->name.len = i;
    while (v < end && (p[v] == ' ' || p[v] == '\t')) /* RFC 9110 5.5: OWS around the value */
        v++;
    while (end > v && (p[end - 1] == ' ' || p[end - 1] == '\t'))
        end--;
    h->value.ptr = p + v;
    h->value.len = end - v;
    return true;
}

static bool is_skippable_head(const cors_response *head)
{
    /* RFC 9110 15.2: 1xx heads are interim; a CONNECT proxy's 2xx head comes
     * before the origin server's head when curl talks through a proxy. */
    if (head->status_code >= 100 && head->status_code <= 199)
        return true;
    return head->status_code / 100 == 2 && CORS__EQ_LIT(head->reason, "connection established");
}

int32_t cors__head_read_strict(const char *buf, size_t len, cors_header *headers, size_t capacity,
                               cors_response *out, cors_error *err)
{
    cursor c = {buf, len, 0, 1};

    if (len == 0)
        return fail_at(err, CORS_E_EMPTY, 0, 0);

    for (;;) {
        size_t end, after, lines = 0;
        size_t overflow_at = 0, overflow_line = 0; /* the first line past capacity */
        int32_t st;

        out->head_offset = c.pos;
        if ((st = next_line(&c, &end, &after, err)) != CORS_OK)
            return st;
        if ((st = parse_status_line(&c, end, out, err)) != CORS_OK)
            return st;
        c.pos = after;
        c.line++;

        while (c.pos < c.len) {
            cors_header scratch, *h = lines < capacity ? &headers[lines] : &scratch;
            /* Lines past the array are checked and counted, not kept, so
             * the caller learns how many to make room for. */
            if (lines == capacity && overflow_line == 0) {
                overflow_at = c.pos;
                overflow_line = c.line;
            }
            if (!fast_header_line(&c, h, &after)) {
                if ((st = next_line(&c, &end, &after, err)) != CORS_OK)
                    return st;
                if (end == c.pos) { /* the blank line ends the head */
                    if (lines == capacity && overflow_at == c.pos)
                        overflow_line = 0; /* it was no header line after all */
                    c.pos = after;
                    c.line++;
                    break;
                }
                if ((st = parse_header_line(&c, end, h, err)) != CORS_OK)
                    return st;
            }
            lines++;
            c.pos = after;
            c.line++;
        }
        out->head_length = c.pos - out->head_offset;
        if (is_skippable_head(out) && c.len - c.pos >= 5 && memcmp(buf + c.pos, "HTTP/", 5) == 0)
            continue; /* an interim head: its lines are not the response's */
        /* RFC 9110 15.2: after a 1xx head the client reads on for the final response, which
         * must start with its status line here (Chromium reads on too, or fails the fetch) */
        if (out->status_code >= 100 && out->status_code <= 199)
            return fail_at(err, CORS_E_NO_STATUS_LINE, c.pos, c.line);
        out->header_total = lines;
        out->header_count = lines < capacity ? lines : capacity;
        out->raw = (cors_str){buf, c.pos};
        out->next_offset = c.pos;
        if (overflow_line != 0)
            return fail_at(err, CORS_E_TOO_MANY_HEADERS, overflow_at, overflow_line);
        return CORS_OK;
    }
}

