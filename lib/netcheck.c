/* SPDX-License-Identifier: MIT */
/* netcheck.c - what Chromium's network stack refuses in a head's header
 * lines before any CORS rule runs: response splitting (differing
 * Content-Length, Content-Disposition or Location values; http_stream_parser.cc
 * ParseResponseHeaders, http_util.cc HeadersContainMultipleCopiesOfField) and
 * a malformed Content-Encoding (http_network_transaction.cc
 * ContentEncodingsValid, http_util.cc ParseContentEncoding). The checks are
 * fed one line at a time, so interim heads are checked without being kept. */
#include "internal.h"

#include <string.h>

/* The first element of a field, and whether a later one differed or repeated it. */
static void compare_element(cors__netcheck_field *f, cors_str e)
{
    if (!f->seen) {
        f->seen = true;
        f->first = e;
        return;
    }
    f->repeated = true;
    if (!cors__folded_equal(f->first, e))
        f->differs = true;
}

/* Chromium HttpResponseHeaders::AddHeader: a coalescing field's value splits
 * on commas outside double quotes, each element SP/HTAB-trimmed, empty ones
 * kept; an empty value is one empty element. */
static void each_element(cors__netcheck_field *f, cors_str v)
{
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i <= v.len; i++) {
        if (i < v.len && v.ptr[i] == '"')
            quoted = !quoted;
        if (i == v.len || (v.ptr[i] == ',' && !quoted)) {
            compare_element(f, cors__trim_folded((cors_str){v.ptr + start, i - start}));
            start = i + 1;
        }
    }
}

/* Chromium ParseContentEncoding: every element a coding without quotes,
 * parameters, wildcards or inner whitespace. */
static bool content_encoding_is_valid(cors_str v)
{
    size_t start = 0;
    for (size_t i = 0; i <= v.len; i++) {
        if (i < v.len && (v.ptr[i] == '"' || v.ptr[i] == '=' || v.ptr[i] == ';' || v.ptr[i] == '*'))
            return false;
        if (i == v.len || v.ptr[i] == ',') {
            cors_str e = cors__trim_folded((cors_str){v.ptr + start, i - start});
            for (size_t k = 0; k < e.len; k++)
                if (cors__is((unsigned char)e.ptr[k], CC_HTTP_WS))
                    return false;
            start = i + 1;
        }
    }
    return true;
}

void cors__netcheck_begin(cors__netcheck *nc)
{
    memset(nc, 0, sizeof(*nc));
}

void cors__netcheck_line(cors__netcheck *nc, cors__tok tok, cors_str value)
{
    switch (tok) {
    case TOK_CONTENT_LENGTH:
        each_element(&nc->content_length, value);
        break;
    case TOK_CONTENT_DISPOSITION:
        each_element(&nc->content_disposition, value);
        break;
    case TOK_LOCATION: /* non-coalescing: the whole value is one element */
        compare_element(&nc->location, value);
        break;
    case TOK_TRANSFER_ENCODING: {
        size_t start = 0;
        for (size_t i = 0; i <= value.len; i++) {
            if (i == value.len || value.ptr[i] == ',') {
                cors_str e = cors__trim_folded((cors_str){value.ptr + start, i - start});
                nc->chunked |= cors__equal_lit_nocase(e, "chunked", 7);
                start = i + 1;
            }
        }
        break;
    }
    case TOK_CONTENT_ENCODING:
        nc->content_encoding_invalid |= !content_encoding_is_valid(value);
        break;
    default:
        break;
    }
}

int32_t cors__netcheck_end(const cors__netcheck *nc, int32_t http_version, bool check_content_encoding,
                           uint32_t *repairs)
{
    /* IsChunkEncoded: HTTP/1.1 or later with a chunked transfer coding */
    bool chunked = http_version >= 11 && nc->chunked;
    if (!chunked && nc->content_length.differs)
        return CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS;
    if (nc->content_disposition.differs)
        return CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS;
    if (nc->location.differs)
        return CORS_KIND_MULTIPLE_LOCATION_HEADERS;
    if (check_content_encoding && nc->content_encoding_invalid)
        return CORS_KIND_CONTENT_DECODING_FAILED;
    if (repairs != NULL) {
        if (nc->content_length.repeated && !chunked)
            *repairs |= CORS_REPAIR_REPEATED_CONTENT_LENGTH;
        if (nc->content_disposition.repeated)
            *repairs |= CORS_REPAIR_REPEATED_CONTENT_DISPOSITION;
        if (nc->location.repeated)
            *repairs |= CORS_REPAIR_REPEATED_LOCATION;
    }
    return CORS_KIND_NONE;
}

int32_t cors__netcheck_headers(const cors_header *headers, size_t count, int32_t http_version, uint32_t *repairs)
{
    cors__netcheck nc;
    cors__netcheck_begin(&nc);
    for (size_t i = 0; i < count; i++) {
        cors__tok tok = cors__token_lookup(headers[i].name);
        if (cors__token_class(tok) & TOKC_NETWORK_CHECKED)
            cors__netcheck_line(&nc, tok, headers[i].value);
    }
    return cors__netcheck_end(&nc, http_version, true, repairs);
}
