/* SPDX-License-Identifier: MIT */
/*
 * fuzz_head.c - cors_response_parse on arbitrary bytes, read as Chromium
 * reads heads (flags 0) and strictly (CORS_PARSE_STRICT), each with header
 * arrays of several capacities checked against each other:
 *  - room for every possible line never gives CORS_E_TOO_MANY_HEADERS, and
 *    out->header_total == out->header_count;
 *  - any capacity below the head's n lines gives CORS_E_TOO_MANY_HEADERS
 *    with header_total n (and err->status the same); any capacity >= n gives
 *    exactly the large result (status, response, the same views);
 *  - Chromium's reading returns only CORS_OK or CORS_E_TOO_MANY_HEADERS (what
 *    Chromium refuses is out->network_error, a CORS_KIND_*), sets only known
 *    CORS_REPAIR_* bits, and its views lie inside the input: names are
 *    tokens, values trimmed of SP/HTAB, raw starts at the input's first byte,
 *    the final head and the body offset inside the input;
 *  - the strict reading returns CORS_OK, CORS_E_TOO_MANY_HEADERS or an input
 *    error with err->offset inside the input and err->line >= 1 (CORS_E_EMPTY
 *    only for no bytes); on success values hold no NUL, CR or LF and repairs
 *    is 0;
 *  - a head the strict reading accepts is read the same by Chromium's reading
 *    (status, header lines, views) unless Chromium fails the fetch on it, and
 *    is never a 1xx head (the final head must follow an interim one);
 *  - cors_headers_find finds the first line of every name, case-insensitively;
 *  - a parse with err NULL returns the same status; the same call twice gives
 *    the same result;
 *  - Chromium's reading with its shortcuts for the usual status line and header
 *    line gives what its general path alone gives (tests/general_reading.h):
 *    the same status, response, stored lines and repair log.
 */
#include "fuzz.h"

#include "internal.h"
#include "../general_reading.h"

#define KNOWN_REPAIRS 0x7fffu /* CORS_REPAIR_STATUS_LINE_SLOP .. CORS_REPAIR_REPEATED_LOCATION */

typedef struct parse_result {
    int32_t status;
    cors_response out;
    cors_error err;
    cors_header *headers; /* the array passed in */
    size_t capacity;
} parse_result;

static void parse_with(const uint8_t *buf, size_t len, uint32_t flags, cors_header *headers, size_t capacity,
                       parse_result *r)
{
    memset(&r->err, 0x5a, sizeof(r->err)); /* reset on entry: garbage must not survive */
    memset(&r->out, 0x5a, sizeof(r->out));
    r->out.struct_size = sizeof(r->out);
    r->status = cors_response_parse((const char *)buf, len, flags, headers, capacity, &r->out, &r->err);
    r->headers = headers;
    r->capacity = capacity;
    FUZZ_CHECK(r->err.status == r->status);
}

static int trimmed(cors_str v)
{
    return v.len == 0 || !(v.ptr[0] == ' ' || v.ptr[0] == '\t' || v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t');
}

static void check_one(const uint8_t *buf, size_t len, uint32_t flags, const parse_result *r)
{
    const cors_response *o = &r->out;
    FUZZ_CHECK(o->struct_size == sizeof(cors_response));
    FUZZ_CHECK(o->header_count <= r->capacity);
    if (flags & CORS_PARSE_STRICT) {
        switch (r->status) {
        case CORS_OK:
        case CORS_E_TOO_MANY_HEADERS:
            break;
        case CORS_E_EMPTY:
            FUZZ_CHECK(len == 0);
            break;
        case CORS_E_NO_STATUS_LINE:
        case CORS_E_BAD_STATUS_LINE:
        case CORS_E_NO_COLON:
        case CORS_E_BAD_HEADER_NAME:
        case CORS_E_NUL_IN_HEADER:
        case CORS_E_BARE_CR:
        case CORS_E_OBS_FOLD:
        case CORS_E_LINE_TOO_LONG:
            FUZZ_CHECK(r->err.offset <= len && r->err.line >= 1);
            break;
        default:
            FUZZ_CHECK(!"a status the strict reading does not return");
        }
        FUZZ_CHECK(o->repairs == 0 && o->network_error == 0);
    } else {
        FUZZ_CHECK(r->status == CORS_OK || r->status == CORS_E_TOO_MANY_HEADERS);
        FUZZ_CHECK((o->repairs & ~KNOWN_REPAIRS) == 0);
        FUZZ_CHECK(o->network_error >= 0 && o->network_error <= cors_kind_count());
    }
    if (r->status == CORS_E_TOO_MANY_HEADERS)
        FUZZ_CHECK(o->header_total > r->capacity);
    if (r->status != CORS_OK)
        return;
    FUZZ_CHECK(o->headers == r->headers);
    FUZZ_CHECK(o->header_total == o->header_count);
    FUZZ_CHECK(o->head_offset <= len && o->head_length <= len - o->head_offset);
    FUZZ_CHECK(o->next_offset <= len);
    FUZZ_CHECK(fuzz_is_inside(o->raw.ptr, o->raw.len, buf, len));
    /* Chromium supplies "OK" for a status line without a code */
    FUZZ_CHECK(fuzz_is_inside(o->reason.ptr, o->reason.len, buf, len) || fuzz_equal(o->reason, "OK"));
    for (size_t i = 0; i < o->header_count; i++) {
        cors_str name = o->headers[i].name, value = o->headers[i].value;
        FUZZ_CHECK(fuzz_is_token(name) && fuzz_is_inside(name.ptr, name.len, buf, len));
        FUZZ_CHECK(fuzz_is_inside(value.ptr, value.len, buf, len));
        FUZZ_CHECK(trimmed(value));
        if (flags & CORS_PARSE_STRICT)
            FUZZ_CHECK(!fuzz_has_byte(value, '\0') && !fuzz_has_byte(value, '\r') && !fuzz_has_byte(value, '\n'));
    }
}

static int views_equal(cors_str a, cors_str b)
{
    return a.ptr == b.ptr && a.len == b.len;
}

/* Two parses of the same bytes agree on everything but the array they wrote to. */
static void check_same(const parse_result *a, const parse_result *b)
{
    FUZZ_CHECK(a->status == b->status);
    FUZZ_CHECK(a->err.offset == b->err.offset && a->err.line == b->err.line && a->err.index == b->err.index);
    FUZZ_CHECK(a->out.header_total == b->out.header_total);
    if (a->status != CORS_OK)
        return;
    FUZZ_CHECK(a->out.status_code == b->out.status_code && a->out.http_version == b->out.http_version);
    FUZZ_CHECK(views_equal(a->out.reason, b->out.reason) && views_equal(a->out.raw, b->out.raw));
    FUZZ_CHECK(a->out.head_offset == b->out.head_offset && a->out.head_length == b->out.head_length);
    FUZZ_CHECK(a->out.next_offset == b->out.next_offset);
    FUZZ_CHECK(a->out.network_error == b->out.network_error && a->out.repairs == b->out.repairs);
    FUZZ_CHECK(a->out.header_count == b->out.header_count);
    for (size_t i = 0; i < a->out.header_count; i++) {
        FUZZ_CHECK(views_equal(a->out.headers[i].name, b->out.headers[i].name));
        FUZZ_CHECK(views_equal(a->out.headers[i].value, b->out.headers[i].value));
    }
}

/* A capacity that may be too small, against the parse with room for every line. */
static void check_against_large(const parse_result *small, const parse_result *large)
{
    if (large->status == CORS_OK && large->out.header_count > small->capacity) {
        FUZZ_CHECK(small->status == CORS_E_TOO_MANY_HEADERS);
        FUZZ_CHECK(small->out.header_total == large->out.header_count);
        return;
    }
    if (small->status == CORS_E_TOO_MANY_HEADERS) {
        /* the strict reading may stop at the first excess line before a later error */
        FUZZ_CHECK(large->status != CORS_OK);
        return;
    }
    check_same(small, large);
}

static void check_find(const cors_response *resp)
{
    for (size_t i = 0; i < resp->header_count && i < 64; i++) {
        cors_str name = resp->headers[i].name;
        size_t first = cors_headers_find(resp->headers, resp->header_count, 0, name.ptr, name.len);
        FUZZ_CHECK(first <= i && fuzz_equal_nocase(resp->headers[first].name, name));
        for (size_t k = 0; k < first; k++)
            FUZZ_CHECK(!fuzz_equal_nocase(resp->headers[k].name, name));
        FUZZ_CHECK(cors_headers_find(resp->headers, resp->header_count, i, name.ptr, name.len) == i);
    }
    FUZZ_CHECK(cors_headers_find(resp->headers, resp->header_count, 0, "", 0) == SIZE_MAX);
}

/* A head that follows RFC 9112 is one Chromium reads the same way. */
static void check_strict_is_lenient(const parse_result *strict, const parse_result *lenient)
{
    if (strict->status != CORS_OK || lenient->out.network_error != 0)
        return;
    FUZZ_CHECK(strict->out.status_code / 100 != 1); /* the strict reading wants the final head */
    FUZZ_CHECK(lenient->status == CORS_OK);
    FUZZ_CHECK(strict->out.status_code == lenient->out.status_code);
    FUZZ_CHECK(strict->out.header_count == lenient->out.header_count);
    for (size_t i = 0; i < strict->out.header_count; i++) {
        FUZZ_CHECK(views_equal(strict->out.headers[i].name, lenient->out.headers[i].name));
        FUZZ_CHECK(views_equal(strict->out.headers[i].value, lenient->out.headers[i].value));
    }
}

/* Room for every line the input can hold: each takes at least two bytes ("a:"). */
static cors_header *large_array(size_t len, size_t *capacity)
{
    static cors_header *array;
    static size_t have;
    size_t need = len / 2 + 2;
    if (need > have) {
        free(array);
        array = fuzz_malloc(need * sizeof(*array));
        have = need;
    }
    *capacity = have;
    return array;
}

static void check_reading(const uint8_t *data, size_t size, uint32_t flags, parse_result *large)
{
    static const size_t small[] = {0, 1, 2, 7};
    cors_header few[8], exact[8];
    size_t capacity;
    cors_header *all = large_array(size, &capacity);
    parse_result r;
    cors_response again;

    parse_with(data, size, flags, all, capacity, large);
    check_one(data, size, flags, large);
    FUZZ_CHECK(large->status != CORS_E_TOO_MANY_HEADERS);
    if (large->status == CORS_OK)
        check_find(&large->out);

    for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
        parse_with(data, size, flags, small[i] ? few : NULL, small[i], &r);
        check_one(data, size, flags, &r);
        check_against_large(&r, large);
    }
    if (large->status == CORS_OK && large->out.header_count > 0 && large->out.header_count <= 8) {
        size_t n = large->out.header_count;
        parse_with(data, size, flags, exact, n, &r);
        check_one(data, size, flags, &r);
        check_same(&r, large);
        parse_with(data, size, flags, exact, n - 1, &r);
        FUZZ_CHECK(r.status == CORS_E_TOO_MANY_HEADERS && r.out.header_total == n);
    }
    cors_response_init(&again, sizeof(again));
    FUZZ_CHECK(cors_response_parse((const char *)data, size, flags, few, 8, &again, NULL) ==
               (large->status == CORS_OK && large->out.header_count > 8 ? CORS_E_TOO_MANY_HEADERS : large->status));
}

static void check_shortcuts(const uint8_t *data, size_t size)
{
    static const size_t rooms[] = {0, 3, 16};
    for (size_t r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++)
        FUZZ_CHECK(general_reading_agrees((const char *)data, size, rooms[r], r != 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cors_header *copy;
    static size_t copy_cap;
    parse_result lenient, strict;
    check_reading(data, size, CORS_PARSE_STRICT, &strict);
    /* the large array is shared: keep the strict lines for the comparison */
    if (strict.status == CORS_OK) {
        if (strict.out.header_count > copy_cap) {
            free(copy);
            copy_cap = strict.out.header_count;
            copy = fuzz_malloc(copy_cap * sizeof(*copy));
        }
        if (strict.out.header_count > 0)
            memcpy(copy, strict.out.headers, strict.out.header_count * sizeof(*copy));
        strict.out.headers = copy;
    }
    check_reading(data, size, 0, &lenient);
    check_strict_is_lenient(&strict, &lenient);
    check_shortcuts(data, size);
    return 0;
}
