/* SPDX-License-Identifier: MIT */
/* head.c - response heads as curl prints them, and header-array lookups. */
#include "internal.h"

#include <string.h>

void cors_response_init(cors_response *response, size_t size)
{
    if (response == NULL || size < sizeof(size_t))
        return;
    memset(response, 0, size);
    response->struct_size = size;
}

/* Reset what the caller's struct has room for; false when it is too small. */
static bool response_reset(cors_response *out)
{
    size_t size = out->struct_size;
    if (size < sizeof(cors_response))
        return false;
    memset(out, 0, sizeof(cors_response));
    out->struct_size = size;
    return true;
}

typedef struct cursor {
    const char *buf;
    size_t len;
    size_t pos;    /* start of the current line */
    size_t line;   /* 1-based number of the current line */
} cursor;

static int32_t fail_at(cors_error *err, int32_t status, size_t offset, size_t line)
{
    return cors__fail(err, status, offset, line, SIZE_MAX);
}

/* The line at c->pos: content [pos, *end) and the offset after its line end.
 * Checks the bytes every line must obey (RFC 9112 2.2: no bare CR, no NUL). */
static int32_t next_line(const cursor *c, size_t *end, size_t *after, cors_error *err)
{
    size_t i = c->pos;
    const char *p = c->buf;
    while (i < c->len && p[i] != '\n') {
        unsigned char b = (unsigned char)p[i];
        if (b == '\r' && i + 1 < c->len && p[i + 1] == '\n')
            break;
        if (i - c->pos >= CORS_MAX_LINE) /* the limit excludes the line end */
            return fail_at(err, CORS_E_LINE_TOO_LONG, i, c->line);
        if (b == '\0')
            return fail_at(err, CORS_E_NUL_IN_HEADER, i, c->line);
        if (b == '\r')
            return fail_at(err, CORS_E_BARE_CR, i, c->line);
        i++;
    }
    *end = i;
    if (i < c->len && p[i] == '\r')
        i++;
    if (i < c->len && p[i] == '\n')
        i++;
    *after = i;
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
    size_t n = end - c->pos;
    const char *colon = memchr(p, ':', n);
    cors_str value;

    if (p[0] == ' ' || p[0] == '\t')
        return fail_at(err, CORS_E_OBS_FOLD, c->pos, c->line);
    if (colon == NULL)
        return fail_at(err, CORS_E_NO_COLON, c->pos, c->line);
    if (colon == p)
        return fail_at(err, CORS_E_BAD_HEADER_NAME, c->pos, c->line);
    /* RFC 9112 5.1: no whitespace between field name and colon */
    for (const char *q = p; q < colon; q++)
        if (!cors__is((unsigned char)*q, CC_TOKEN))
            return fail_at(err, CORS_E_BAD_HEADER_NAME, c->pos + (size_t)(q - p), c->line);
    h->name.ptr = p;
    h->name.len = (size_t)(colon - p);
    value.ptr = colon + 1;
    value.len = n - h->name.len - 1;
    h->value = cors__trim_tab_space(value);
    return CORS_OK;
}

static bool is_skippable_head(const cors_response *head)
{
    /* RFC 9110 15.2: 1xx heads are interim; a CONNECT proxy's 2xx head comes
     * before the origin server's head when curl talks through a proxy. */
    if (head->status_code >= 100 && head->status_code <= 199)
        return true;
    return head->status_code / 100 == 2 && CORS__EQ_LIT(head->reason, "connection established");
}

int32_t cors_response_parse(const char *buf, size_t len, uint32_t flags, cors_header *headers, size_t capacity,
                            cors_response *out, cors_error *err)
{
    cursor c = {buf, len, 0, 1};

    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (out == NULL || !response_reset(out) || (buf == NULL && len != 0) || (headers == NULL && capacity != 0) ||
        (flags & ~CORS_PARSE_STRICT) != 0)
        return fail_at(err, CORS_E_ARGUMENT, 0, 0);
    out->headers = headers;
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
            cors_header scratch;
            if ((st = next_line(&c, &end, &after, err)) != CORS_OK)
                return st;
            if (end == c.pos) { /* the blank line ends the head */
                c.pos = after;
                c.line++;
                break;
            }
            /* Lines past the array are checked and counted, not kept, so
             * the caller learns how many to make room for. */
            if (lines == capacity && overflow_line == 0) {
                overflow_at = c.pos;
                overflow_line = c.line;
            }
            if ((st = parse_header_line(&c, end, lines < capacity ? &headers[lines] : &scratch, err)) != CORS_OK)
                return st;
            lines++;
            c.pos = after;
            c.line++;
        }
        out->head_length = c.pos - out->head_offset;
        if (is_skippable_head(out) && c.len - c.pos >= 5 && memcmp(buf + c.pos, "HTTP/", 5) == 0)
            continue; /* an interim head: its lines are not the response's */
        out->header_total = lines;
        out->header_count = lines < capacity ? lines : capacity;
        if (overflow_line != 0)
            return fail_at(err, CORS_E_TOO_MANY_HEADERS, overflow_at, overflow_line);
        return CORS_OK;
    }
}

int32_t cors_response_from_headers(int32_t status_code, const cors_header *headers, size_t count,
                                   cors_response *out, cors_error *err)
{
    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (out == NULL || !response_reset(out) || (headers == NULL && count != 0))
        return fail_at(err, CORS_E_ARGUMENT, 0, 0);
    if (status_code < 100 || status_code > 999)
        return fail_at(err, CORS_E_BAD_STATUS_LINE, 0, 0);
    for (size_t i = 0; i < count; i++) {
        const cors_header *h = &headers[i];
        if ((h->name.ptr == NULL && h->name.len != 0) || (h->value.ptr == NULL && h->value.len != 0))
            return cors__fail(err, CORS_E_ARGUMENT, 0, 0, i);
        if (h->name.len == 0)
            return cors__fail(err, CORS_E_BAD_HEADER_NAME, 0, 0, i);
        for (size_t j = 0; j < h->name.len; j++)
            if (!cors__is((unsigned char)h->name.ptr[j], CC_TOKEN))
                return cors__fail(err, CORS_E_BAD_HEADER_NAME, j, 0, i);
        for (size_t j = 0; j < h->value.len; j++) {
            unsigned char b = (unsigned char)h->value.ptr[j];
            if (b == '\0')
                return cors__fail(err, CORS_E_NUL_IN_HEADER, j, 0, i);
            if (b == '\r' || b == '\n')
                return cors__fail(err, CORS_E_BAD_HEADER_VALUE, j, 0, i);
        }
    }
    out->status_code = status_code;
    out->http_version = 11;
    out->headers = headers;
    out->header_count = count;
    out->header_total = count;
    return CORS_OK;
}

size_t cors_headers_find(const cors_header *headers, size_t count, size_t start, const char *name,
                         size_t name_len)
{
    cors_str want = {name, name_len};
    if (headers == NULL || (name == NULL && name_len != 0))
        return SIZE_MAX;
    for (size_t i = start; i < count; i++)
        if (cors__equal_nocase(headers[i].name, want))
            return i;
    return SIZE_MAX;
}
