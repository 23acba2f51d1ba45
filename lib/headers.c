/* headers.c - response heads as curl prints them, and header-set lookups. */
#include "internal.h"

#include <string.h>

void cors_response_init(cors_response *response)
{
    if (response == NULL)
        return;
    memset(response, 0, sizeof(*response));
    response->struct_size = sizeof(*response);
}

static int32_t fail(cors_error *err, int32_t status, size_t offset, size_t line)
{
    if (err != NULL) {
        err->status = status;
        err->offset = offset;
        err->line = line > INT32_MAX ? INT32_MAX : (int32_t)line;
    }
    return status;
}

typedef struct cursor {
    const char *buf;
    size_t len;
    size_t pos;    /* start of the current line */
    size_t line;   /* 1-based number of the current line */
} cursor;

/* The line at c->pos: content [start, end) and the offset after its line end.
 * Checks the bytes every line must obey (RFC 9112 2.2: no bare CR, no NUL). */
static int32_t next_line(cursor *c, size_t *end, size_t *after, cors_error *err)
{
    size_t i = c->pos;
    while (i < c->len && c->buf[i] != '\n') {
        unsigned char b = (unsigned char)c->buf[i];
        if (b == '\r' && i + 1 < c->len && c->buf[i + 1] == '\n')
            break;
        if (i - c->pos >= CORS_MAX_LINE) /* the limit excludes the line end */
            return fail(err, CORS_E_LINE_TOO_LONG, i, c->line);
        if (b == '\0')
            return fail(err, CORS_E_NUL_IN_HEADER, i, c->line);
        if (b == '\r')
            return fail(err, CORS_E_BARE_CR, i, c->line);
        i++;
    }
    *end = i;
    if (i < c->len && c->buf[i] == '\r')
        i++;
    if (i < c->len && c->buf[i] == '\n')
        i++;
    *after = i;
    return CORS_OK;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
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

    if (n < 5 || memcmp(p, "HTTP/", 5) != 0)
        return fail(err, CORS_E_NO_STATUS_LINE, c->pos, c->line);
    i = 5;
    if (i >= n || p[i] < '1' || p[i] > '3')
        return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    major = p[i++] - '0';
    /* HTTP/1.0, HTTP/1.1; curl shows HTTP/2 and HTTP/3 without a minor (or ".0") */
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !(major == 1 ? (p[i] == '0' || p[i] == '1') : p[i] == '0'))
            return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
        minor = p[i++] - '0';
    } else if (major == 1) {
        return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    }
    if (i >= n || p[i] != ' ')
        return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    i++;
    if (i + 3 > n || !is_digit(p[i]) || !is_digit(p[i + 1]) || !is_digit(p[i + 2]) || p[i] == '0')
        return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
    out->status_code = (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
    i += 3;
    if (i < n && p[i] != ' ')
        return fail(err, CORS_E_BAD_STATUS_LINE, c->pos + i, c->line);
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
        return fail(err, CORS_E_OBS_FOLD, c->pos, c->line);
    if (colon == NULL)
        return fail(err, CORS_E_NO_COLON, c->pos, c->line);
    if (colon == p)
        return fail(err, CORS_E_BAD_HEADER_NAME, c->pos, c->line);
    /* RFC 9112 5.1: no whitespace between field name and colon */
    for (const char *q = p; q < colon; q++)
        if (!cors__is_token_char((unsigned char)*q))
            return fail(err, CORS_E_BAD_HEADER_NAME, c->pos + (size_t)(q - p), c->line);
    h->name.ptr = p;
    h->name.len = (size_t)(colon - p);
    value.ptr = colon + 1;
    value.len = n - h->name.len - 1;
    h->value = cors__trim_tab_space(value);
    return CORS_OK;
}

static int is_skippable_head(const cors_response *head)
{
    /* RFC 9110 15.2: 1xx heads are interim; a CONNECT proxy's 2xx head comes
     * before the origin server's head when curl talks through a proxy. */
    if (head->status_code >= 100 && head->status_code <= 199)
        return 1;
    return head->status_code / 100 == 2 && cors__equal_nocase_z(head->reason, "Connection established");
}

int32_t cors_response_parse(const char *buf, size_t len, cors_header *headers, size_t capacity,
                            cors_response *out, cors_error *err)
{
    cursor c = {buf, len, 0, 1};
    size_t heads = 0;

    if (err != NULL)
        memset(err, 0, sizeof(*err));
    if (out != NULL)
        cors_response_init(out);
    if (out == NULL || (buf == NULL && len != 0) || (headers == NULL && capacity != 0))
        return fail(err, CORS_E_ARGUMENT, 0, 0);
    out->headers = headers;
    if (len == 0)
        return fail(err, CORS_E_EMPTY, 0, 0);

    for (;;) {
        size_t end, after;
        size_t overflow_at = 0, overflow_line = 0; /* first line past capacity */
        int overflowed = 0;
        int32_t st;

        if (++heads > CORS_MAX_HEADS)
            return fail(err, CORS_E_TOO_MANY_HEADS, c.pos, c.line);
        out->head_offset = c.pos;
        out->header_count = 0;
        if ((st = next_line(&c, &end, &after, err)) != CORS_OK)
            return st;
        if ((st = parse_status_line(&c, end, out, err)) != CORS_OK)
            return st;
        c.pos = after;
        c.line++;

        while (c.pos < c.len) {
            if ((st = next_line(&c, &end, &after, err)) != CORS_OK)
                return st;
            if (end == c.pos) { /* the blank line ends the head */
                c.pos = after;
                c.line++;
                break;
            }
            if (out->header_count == capacity) {
                /* An interim head's lines are checked but not kept, so they
                 * cannot exhaust the array: decide once the head is over. */
                cors_header scratch;
                if (!is_skippable_head(out))
                    return fail(err, CORS_E_TOO_MANY_HEADERS, c.pos, c.line);
                if (!overflowed) {
                    overflowed = 1;
                    overflow_at = c.pos;
                    overflow_line = c.line;
                }
                if ((st = parse_header_line(&c, end, &scratch, err)) != CORS_OK)
                    return st;
            } else {
                if ((st = parse_header_line(&c, end, &headers[out->header_count], err)) != CORS_OK)
                    return st;
                out->header_count++;
            }
            c.pos = after;
            c.line++;
        }
        out->head_length = c.pos - out->head_offset;
        if (is_skippable_head(out) && c.len - c.pos >= 5 && memcmp(buf + c.pos, "HTTP/", 5) == 0)
            continue;
        if (overflowed)
            return fail(err, CORS_E_TOO_MANY_HEADERS, overflow_at, overflow_line);
        return CORS_OK;
    }
}

int32_t cors_response_from_headers(int32_t status_code, const cors_header *headers, size_t count,
                                   cors_response *out, cors_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
    if (out != NULL)
        cors_response_init(out);
    if (out == NULL || (headers == NULL && count != 0))
        return fail(err, CORS_E_ARGUMENT, 0, 0);
    if (status_code < 100 || status_code > 999)
        return fail(err, CORS_E_BAD_STATUS_LINE, 0, 0);
    for (size_t i = 0; i < count; i++) {
        const cors_header *h = &headers[i];
        if ((h->name.ptr == NULL && h->name.len != 0) || (h->value.ptr == NULL && h->value.len != 0))
            return fail(err, CORS_E_ARGUMENT, i, 0);
        if (!cors__is_token(h->name.ptr, h->name.len))
            return fail(err, CORS_E_BAD_HEADER_NAME, i, 0);
        for (size_t j = 0; j < h->value.len; j++) {
            unsigned char b = (unsigned char)h->value.ptr[j];
            if (b == '\0')
                return fail(err, CORS_E_NUL_IN_HEADER, i, 0);
            if (b == '\r' || b == '\n')
                return fail(err, CORS_E_BAD_HEADER_VALUE, i, 0);
        }
    }
    out->status_code = status_code;
    out->http_version = 11;
    out->headers = headers;
    out->header_count = count;
    return CORS_OK;
}

int64_t cors_headers_find(const cors_header *headers, size_t count, size_t start,
                          const char *name, size_t name_len)
{
    if (headers == NULL || name == NULL)
        return -1;
    for (size_t i = start; i < count; i++)
        if (cors__equal_nocase(headers[i].name.ptr, headers[i].name.len, name, name_len))
            return (int64_t)i;
    return -1;
}
