/* SPDX-License-Identifier: MIT */
/* head.c - the response API: parse a head (Chromium's reading, or the strict
 * one), build one from a header array, find a header. */
#include "internal.h"

#include <string.h>

void cors_response_init(cors_response *response, size_t size)
{
    if (response == NULL || size < sizeof(size_t))
        return;
    memset(response, 0, size);
    response->struct_size = size;
}

static int32_t fail_at(cors_error *err, int32_t status, size_t offset, size_t line)
{
    return cors__fail(err, status, offset, line, SIZE_MAX);
}

/* Reset what the caller's struct has room for; false when it is too small. */
static bool response_reset(cors_response *out)
{
    size_t size = out->struct_size;
    if (size < sizeof(cors_response))
        return false;
    cors__zero(out, sizeof(*out)); /* a few wide stores, not the rep stos gcc makes of memset */
    out->struct_size = size;
    return true;
}

int32_t cors_response_parse(const char *buf, size_t len, uint32_t flags, cors_header *headers, size_t capacity,
                            cors_response *out, cors_error *err)
{
    int32_t st;
    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (out == NULL || !response_reset(out) || (buf == NULL && len != 0) || (headers == NULL && capacity != 0) ||
        (flags & ~CORS_PARSE_STRICT) != 0)
        return fail_at(err, CORS_E_ARGUMENT, 0, 0);
    out->headers = headers;
    if (flags & CORS_PARSE_STRICT)
        return cors__head_read_strict(buf, len, headers, capacity, out, err);
    st = cors__head_read_chromium(buf, len, headers, capacity, out, NULL);
    if (st == CORS_E_TOO_MANY_HEADERS)
        return cors__fail(err, st, out->head_offset, 0, SIZE_MAX);
    return st;
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
