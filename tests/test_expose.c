/* SPDX-License-Identifier: MIT */
/*
 * test_expose.c - lib/expose.c: the names script can read. The safelisted
 * names, the exposed lists across lines, '*' with and without credentials,
 * Set-Cookie never; lowercase, byte-sorted and unique against a reference
 * computed here with qsort over random responses; the findings with their
 * header, value and fix; the lent readable array as the workspace: too small
 * gives CORS_NEED_ROOM with counts that suffice on a second call.
 *
 * Which names a given response exposes is the corpus's
 * (tests/corpus/expose-headers.case); here are the contracts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

#define ORIGIN "https://app.example"
#define OK_STAR "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
#define OK_CRED                                                                                        \
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN "\r\nAccess-Control-Allow-Credentials: " \
    "true\r\nVary: Origin\r\n"

static void request_for(cors_request *req, int32_t credentials)
{
    cors_request_init(req, sizeof(*req));
    req->origin = STR(ORIGIN);
    req->credentials = credentials;
}

static cors_report *evaluate(big_report *b, const cors_request *req, const cors_response *resp)
{
    cors_report *r = big_report_lend(b);
    assert_int_equal(cors_evaluate(NULL, req, NULL, resp, r, NULL), CORS_OK);
    assert_int_equal(r->needs, 0);
    assert_true(report_spans_in_bounds(r));
    return r;
}

static const char *readable_of(const cors_report *r)
{
    static char buf[1 << 16];
    return readable_joined(r, buf, sizeof(buf));
}

/* ------------------------------------------------------------------------ */
/* Findings                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct finding_row {
    const char *label;
    int32_t credentials;
    const char *response;
    const char *readable;
    int32_t code;
    int32_t severity;
    const char *value;
    const char *fix;
} finding_row;

static const finding_row finding_rows[] = {
    {.label = "Set-Cookie listed: never readable, and said so", .credentials = CORS_CREDENTIALS_OMIT,
     .response = OK_STAR "Set-Cookie: a=b\r\nX-A: 1\r\nAccess-Control-Expose-Headers: x-a, SET-COOKIE\r\n\r\n",
     .readable = "x-a", .code = CORS_FINDING_EXPOSE_SET_COOKIE, .severity = CORS_SEVERITY_INFO,
     .value = "x-a, SET-COOKIE", .fix = ""},
    {.label = "Set-Cookie2 listed on a second line", .credentials = CORS_CREDENTIALS_OMIT,
     .response = OK_STAR "Set-Cookie2: a=b\r\nAccess-Control-Expose-Headers: x-a\r\n"
                         "Access-Control-Expose-Headers: set-cookie2\r\n\r\n",
     .readable = "-", .code = CORS_FINDING_EXPOSE_SET_COOKIE, .severity = CORS_SEVERITY_INFO, .value = "x-a", .fix = ""},
    {.label = "'*' with credentials is a name", .credentials = CORS_CREDENTIALS_INCLUDE,
     .response = OK_CRED "X-A: 1\r\nContent-Type: text/plain\r\nAccess-Control-Expose-Headers: *\r\n\r\n",
     .readable = "content-type", .code = CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS, .severity = CORS_SEVERITY_WARNING,
     .value = "*", .fix = ""},
    {.label = "one bad element: nothing exposed", .credentials = CORS_CREDENTIALS_OMIT,
     .response = OK_STAR "X-A: 1\r\nCache-Control: no-store\r\nAccess-Control-Expose-Headers: x-a, *\r\n"
                         "Access-Control-Expose-Headers: no no, x-b\r\n\r\n",
     .readable = "cache-control", .code = CORS_FINDING_EXPOSE_HEADERS_INVALID, .severity = CORS_SEVERITY_WARNING,
     .value = "x-a, *, no no, x-b", .fix = "Access-Control-Expose-Headers: x-a, x-b"},
    {.label = "a bad list hides Set-Cookie's finding", .credentials = CORS_CREDENTIALS_OMIT,
     .response = OK_STAR "Access-Control-Expose-Headers: set-cookie, (x)\r\n\r\n", .readable = "-",
     .code = CORS_FINDING_EXPOSE_HEADERS_INVALID, .severity = CORS_SEVERITY_WARNING, .value = "set-cookie, (x)",
     .fix = "Access-Control-Expose-Headers: set-cookie"},
};

static void test_findings(void **state)
{
    static parsed_head h;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(finding_rows); i++) {
        const finding_row *row = &finding_rows[i];
        cors_request req;
        cors_report *r;
        const cors_finding *f;
        request_for(&req, row->credentials);
        r = evaluate(&b, &req, parsed_head_init(&h, row->response));
        assert_int_equal(r->ok, 1);
        if (strcmp(readable_of(r), row->readable) != 0)
            fail_msg("%s: readable '%s'", row->label, readable_of(r));
        f = find_finding(r, row->code);
        if (f == NULL)
            fail_msg("%s: no %s", row->label, cors_finding_name(row->code));
        assert_int_equal(f->severity, row->severity);
        assert_int_equal(f->stage, CORS_STAGE_RESPONSE);
        assert_int_equal(f->hop, 1);
        assert_span(r, f->header, "Access-Control-Expose-Headers");
        assert_span(r, f->value, row->value);
        assert_span(r, f->fix, row->fix);
        assert_true(f->message.length > 0);
        if (row->code == CORS_FINDING_EXPOSE_HEADERS_INVALID)
            assert_null(find_finding(r, CORS_FINDING_EXPOSE_SET_COOKIE));
    }
}

/* ------------------------------------------------------------------------ */
/* Lowercase, byte-sorted, unique: random responses against a reference     */
/* ------------------------------------------------------------------------ */

static const char *const name_pool[] = {
    "X-A", "x-a", "X-_", "x-~", "X-Z", "x-z", "X-1", "X-Request-Id", "x-request-id", "ETag", "etag",
    "Content-Type", "CONTENT-TYPE", "Cache-Control", "Content-Length", "Content-Language", "Expires",
    "Last-Modified", "Pragma", "Set-Cookie", "SET-COOKIE", "Set-Cookie2", "Vary", "Location", "Date", "a", "A",
    "Z", "_", "~", "!", "*", "x-aa", "x-a-", "x-a-a", "X-RateLimit-Remaining", "Server",
};

static int is_safelisted_response_name(const char *lower)
{
    static const char *const names[] = {"cache-control", "content-language", "content-length", "content-type",
                                        "expires", "last-modified", "pragma"};
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(lower, names[i]) == 0)
            return 1;
    return 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lower_copy(char *out, const char *in)
{
    for (; *in; in++)
        *out++ = (char)cors__lower((unsigned char)*in);
    *out = '\0';
}

/* One random response: `lines` header lines from the pool, an ACEH listing some
 * of the pool (or '*'); the reference from the Fetch rules restated. */
static void check_random_response(unsigned seed, size_t lines, int credentialed)
{
    static char text[1 << 16], lowers[512][32], want[1 << 15];
    static const char *picked[512];
    static parsed_head h;
    static big_report b;
    char exposed[COUNT(name_pool)] = {0};
    size_t n = 0, count = 0, w = 0;
    int star = 0;
    cors_request req;
    cors_report *r;

    assert_true(lines < COUNT(lowers) && lines < COUNT(h.headers) - 8);
    n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", credentialed ? OK_CRED : OK_STAR);
    for (size_t i = 0; i < lines; i++) {
        seed = seed * 1103515245u + 12345u;
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s: v\r\n", name_pool[(seed >> 8) % COUNT(name_pool)]);
    }
    seed = seed * 1103515245u + 12345u;
    star = (seed >> 12) % 4 == 0;
    n += (size_t)snprintf(text + n, sizeof(text) - n, "Access-Control-Expose-Headers: %s", star ? "*" : "");
    for (size_t k = 0; k < COUNT(name_pool); k++) {
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 9) % 3 == 0) {
            exposed[k] = 1;
            n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", (seed >> 14) % 2 ? ", " : ",", name_pool[k]);
            if ((seed >> 16) % 5 == 0) /* continue on another line */
                n += (size_t)snprintf(text + n, sizeof(text) - n, "\r\nAccess-Control-Expose-Headers: ");
        }
    }
    snprintf(text + n, sizeof(text) - n, "\r\n\r\n");
    for (size_t k = 0; k < COUNT(name_pool); k++)
        star |= exposed[k] && strcmp(name_pool[k], "*") == 0; /* '*' listed among names is '*' too */

    request_for(&req, credentialed ? CORS_CREDENTIALS_INCLUDE : CORS_CREDENTIALS_OMIT);
    r = evaluate(&b, &req, parsed_head_init(&h, text));
    assert_int_equal(r->ok, 1);

    /* the reference: every line's name, lowercased, readable by the rules */
    for (size_t i = 0; i < h.response.header_count; i++) {
        char name[64];
        int readable = 0;
        cors_str s = h.headers[i].name;
        assert_true(s.len < sizeof(name));
        memcpy(name, s.ptr, s.len);
        name[s.len] = '\0';
        lower_copy(lowers[count], name);
        if (strcmp(lowers[count], "set-cookie") == 0 || strcmp(lowers[count], "set-cookie2") == 0)
            continue;
        readable = is_safelisted_response_name(lowers[count]) || (star && !credentialed);
        for (size_t k = 0; k < COUNT(name_pool) && !readable; k++) {
            char lk[32];
            lower_copy(lk, name_pool[k]);
            readable = exposed[k] && strcmp(lk, lowers[count]) == 0;
        }
        if (star && credentialed && strcmp(lowers[count], "*") == 0)
            readable = 1;
        if (readable)
            picked[count] = lowers[count], count++;
    }
    qsort(picked, count, sizeof(picked[0]), compare_strings);
    want[0] = '\0';
    for (size_t i = 0; i < count; i++)
        if (i == 0 || strcmp(picked[i - 1], picked[i]) != 0)
            w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s", w ? "," : "", picked[i]);
    if (strcmp(readable_of(r), count ? want : "-") != 0)
        fail_msg("seed %u: readable\n  '%s'\nwant\n  '%s'\nfor\n%s", seed, readable_of(r), want, text);
    /* and the spans read lowercase, strictly increasing bytes */
    for (size_t i = 1; i < r->readable_count; i++) {
        cors_str a = {r->text + r->readable[i - 1].offset, r->readable[i - 1].length};
        cors_str c = {r->text + r->readable[i].offset, r->readable[i].length};
        assert_true(cors__compare_bytes(a, c) < 0);
    }
}

static void test_readable_against_a_reference(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 400; seed++)
        check_random_response(seed, 1 + seed % 60, seed % 3 == 0);
    check_random_response(7, 240, 0);
    check_random_response(8, 240, 1);
}

/* Thousands of names in the orders that trouble sorts (in order, reversed, organ pipe, all the
 * same, few distinct, random, long shared prefixes), mixed case, with and without ACEH '*' or
 * a long list: the readable names are those of a qsort reference, lowercase and unique. */
static void check_many_names(int shape, size_t lines, int star)
{
    static char text[1 << 20], want[1 << 19], names[6000][40];
    static const char *sorted[6000];
    static cors_header headers[6100];
    static cors_span readable[6100];
    static char report_text[1 << 20];
    static cors_finding findings[16];
    size_t n = 0, w = 0;
    unsigned seed = 12345u + (unsigned)shape;
    cors_response resp;
    cors_request req;
    cors_report r;

    assert_true(lines <= COUNT(names));
    n += (size_t)snprintf(text + n, sizeof(text) - n, OK_STAR "Access-Control-Expose-Headers: %s\r\n", star ? "*" : "");
    for (size_t i = 0; i < lines; i++) {
        size_t k = shape == 0 ? i : shape == 1 ? lines - i : shape == 2 ? (i < lines / 2 ? i : lines - i)
                 : shape == 3 ? 7 : shape == 4 ? i % 5 : (seed = seed * 1103515245u + 12345u) >> 8;
        snprintf(names[i], sizeof(names[i]), shape == 6 ? "X-Shared-Prefix-Of-Many-Bytes-%06zu" : "x-%zu", k);
        if (i % 3 == 0)
            names[i][0] = 'X';
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s: v\r\n", names[i]);
        if (!star && i % 2 == 0) /* the long list: every other name */
            n += (size_t)snprintf(text + n, sizeof(text) - n, "Access-Control-Expose-Headers: %s\r\n", names[i]);
    }
    snprintf(text + n, sizeof(text) - n, "\r\n");
    resp.struct_size = sizeof(resp);
    assert_int_equal(cors_response_parse(text, strlen(text), CORS_PARSE_STRICT, headers, COUNT(headers), &resp, NULL),
                     CORS_OK);
    size_t count = 0;
    for (size_t i = 0; i < lines; i++) {
        if (!star && i % 2 != 0)
            continue;
        lower_copy(names[i], names[i]);
        sorted[count++] = names[i];
    }
    if (star) {
        static char acao[] = "access-control-allow-origin", aceh[] = "access-control-expose-headers";
        sorted[count++] = acao;
        sorted[count++] = aceh;
    }
    qsort(sorted, count, sizeof(sorted[0]), compare_strings);
    for (size_t i = 0; i < count; i++)
        if (i == 0 || strcmp(sorted[i - 1], sorted[i]) != 0)
            w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s", w ? "," : "", sorted[i]);
    request_for(&req, CORS_CREDENTIALS_OMIT);
    cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, COUNT(readable), report_text,
                     sizeof(report_text));
    assert_int_equal(cors_evaluate(NULL, &req, NULL, &resp, &r, NULL), CORS_OK);
    assert_int_equal(r.needs, 0);
    assert_true(report_spans_in_bounds(&r));
    {
        static char got[1 << 19];
        if (strcmp(readable_joined(&r, got, sizeof(got)), want) != 0)
            fail_msg("shape %d, %zu lines, star %d: readable differs from the reference", shape, lines, star);
    }
}

/* Names of 62 to 70 bytes, the short list's length bits saturating at 63: only the listed one
 * is readable, whatever its length; and the same at 63 to 66 lines, each side of the 64 lines
 * read as bits. */
static void test_long_names_and_line_bound(void **state)
{
    static char text[1 << 14], names[9][80], want[1 << 10];
    static parsed_head h;
    static big_report b;
    cors_request req;
    (void)state;
    request_for(&req, CORS_CREDENTIALS_OMIT);
    for (size_t listed = 0; listed < COUNT(names); listed++) {
        for (size_t pad = 52; pad <= 55; pad++) { /* ACAO, the names, the padding, ACEH: 63 to 66 lines */
            size_t n = (size_t)snprintf(text, sizeof(text), OK_STAR);
            for (size_t k = 0; k < COUNT(names); k++) {
                memset(names[k], 'a' + (int)k, 62 + k);
                names[k][0] = 'X', names[k][1] = '-';
                names[k][62 + k] = '\0';
                n += (size_t)snprintf(text + n, sizeof(text) - n, "%s: v\r\n", names[k]);
            }
            for (size_t i = 0; i < pad; i++)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "X-Pad-%zu: v\r\n", i);
            snprintf(text + n, sizeof(text) - n, "Access-Control-Expose-Headers: x-nope, %s\r\n\r\n", names[listed]);
            lower_copy(want, names[listed]);
            assert_string_equal(readable_of(evaluate(&b, &req, parsed_head_init(&h, text))), want);
            assert_int_equal(h.response.header_count, 11 + pad);
        }
    }
}

static void test_many_names_sorted(void **state)
{
    (void)state;
    for (int shape = 0; shape <= 6; shape++) {
        check_many_names(shape, 5000, 1);
        check_many_names(shape, 3000, 0);
        check_many_names(shape, 17 + (size_t)shape, 1); /* just past the insertion sort */
    }
}

/* ------------------------------------------------------------------------ */
/* The lent array is the workspace                                           */
/* ------------------------------------------------------------------------ */

/* A response of ACAO *, ACEH *, `same` lines of X-A, then X-B, Set-Cookie and X-C. */
static const char *wide_response(size_t same)
{
    static char text[1 << 16];
    size_t n = (size_t)snprintf(text, sizeof(text), OK_STAR "Access-Control-Expose-Headers: *\r\n");
    for (size_t i = 0; i < same; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s: %zu\r\n", i % 2 ? "x-a" : "X-A", i);
    snprintf(text + n, sizeof(text) - n, "X-B: 1\r\nSet-Cookie: s=1\r\nX-C: 1\r\n\r\n");
    return text;
}

static void test_workspace_too_small(void **state)
{
    static parsed_head h;
    static big_report whole;
    static cors_span readable[256];
    static char text[1 << 16];
    static cors_finding findings[16];
    const cors_response *resp = parsed_head_init(&h, wide_response(96));
    /* ACAO, ACEH, 96 X-A, X-B and X-C: every line but Set-Cookie */
    const size_t candidates = 100, names_bytes = 27 + 29 + 96 * 3 + 3 + 10 + 3;
    cors_request req;
    cors_report *full, r;
    size_t caps[] = {0, 1, 5, candidates - 1};
    (void)state;
    request_for(&req, CORS_CREDENTIALS_OMIT);
    full = evaluate(&whole, &req, resp);
    assert_string_equal(readable_of(full), "access-control-allow-origin,access-control-expose-headers,x-a,x-b,x-c");

    for (size_t c = 0; c < COUNT(caps); c++) {
        memset(readable, 0xab, sizeof(readable));
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), caps[c] ? readable : NULL, caps[c], text,
                         sizeof(text));
        assert_int_equal(cors_evaluate(NULL, &req, NULL, resp, &r, NULL), CORS_OK);
        /* the verdict is whole; the counts are upper bounds the workspace needs */
        assert_int_equal(r.ok, 1);
        assert_int_equal(r.needs, CORS_NEED_ROOM);
        assert_int_equal(r.readable_count, candidates);
        assert_true(r.text_length >= full->text_length);
        /* the text counts every line's name instead of the five readable ones */
        assert_int_equal(r.text_length - full->text_length, names_bytes - (27 + 29 + 3 * 3));
        /* the entries of the too-small array are stored: empty spans, never the caller's bytes */
        for (size_t i = 0; i < caps[c]; i++) {
            assert_int_equal(readable[i].offset, 0);
            assert_int_equal(readable[i].length, 0);
        }
        /* a second call with the counts as capacities completes */
        assert_true(r.readable_count <= COUNT(readable) && r.text_length <= sizeof(text));
        cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, r.readable_count, text, r.text_length);
        assert_int_equal(cors_evaluate(NULL, &req, NULL, resp, &r, NULL), CORS_OK);
        assert_int_equal(r.needs, 0);
        assert_int_equal(r.readable_count, 5);
        assert_int_equal(r.text_length, full->text_length);
        assert_string_equal(readable_of(&r), readable_of(full));
    }
    /* the exact capacity the answer takes is not enough for the workspace */
    cors_report_init(&r, sizeof(r), findings, COUNT(findings), readable, 5, text, sizeof(text));
    assert_int_equal(cors_evaluate(NULL, &req, NULL, resp, &r, NULL), CORS_OK);
    assert_int_equal(r.needs, CORS_NEED_ROOM);
    assert_int_equal(r.readable_count, candidates);
}

/* 0.1 counted repeated names against its cap: they never fill the answer now. */
static void test_duplicates_do_not_fill_the_answer(void **state)
{
    static parsed_head h;
    static big_report b;
    cors_request req;
    cors_report *r;
    (void)state;
    request_for(&req, CORS_CREDENTIALS_OMIT);
    r = evaluate(&b, &req, parsed_head_init(&h, wide_response(200)));
    assert_string_equal(readable_of(r), "access-control-allow-origin,access-control-expose-headers,x-a,x-b,x-c");
    assert_int_equal(r->readable_count, 5);
}

static void test_nothing_readable_when_refused(void **state)
{
    static parsed_head h;
    static big_report b;
    cors_request req;
    cors_options opt;
    cors_report *r;
    (void)state;
    /* refused by the CORS check */
    request_for(&req, CORS_CREDENTIALS_INCLUDE);
    r = evaluate(&b, &req, parsed_head_init(&h, OK_STAR "Content-Type: text/plain\r\n\r\n"));
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->readable_count, 0);
    /* refused by the rules reflect after the browser allowed it */
    cors_options_init(&opt, sizeof(opt));
    opt.rules = CORS_RULES_REFLECT;
    r = big_report_lend(&b);
    assert_int_equal(cors_evaluate(&opt, &req, NULL,
                                   parsed_head_init(&h, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " ORIGIN
                                                        "\r\nAccess-Control-Allow-Credentials: true\r\n"
                                                        "Content-Type: text/plain\r\n\r\n"),
                                   r, NULL),
                     CORS_OK);
    assert_int_equal(r->ok, 0);
    assert_int_equal(r->kind, CORS_KIND_MISSING_VARY_ORIGIN);
    assert_int_equal(r->readable_count, 0);
}

/* The names are the response's, lowercased into the report's text. */
static void test_readable_spans(void **state)
{
    static parsed_head h;
    static big_report b;
    cors_request req;
    cors_report *r;
    (void)state;
    request_for(&req, CORS_CREDENTIALS_OMIT);
    r = evaluate(&b, &req, parsed_head_init(&h, OK_STAR "X-REQUEST-ID: 1\r\nCONTENT-TYPE: x\r\n"
                                                        "Access-Control-Expose-Headers: x-Request-Id\r\n\r\n"));
    assert_int_equal(r->readable_count, 2);
    assert_span(r, r->readable[0], "content-type");
    assert_span(r, r->readable[1], "x-request-id");
    for (size_t i = 0; i < r->readable_count; i++)
        assert_true(r->readable[i].offset + r->readable[i].length <= r->text_length);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings),
        cmocka_unit_test(test_readable_against_a_reference),
        cmocka_unit_test(test_long_names_and_line_bound),
        cmocka_unit_test(test_many_names_sorted),
        cmocka_unit_test(test_workspace_too_small),
        cmocka_unit_test(test_duplicates_do_not_fill_the_answer),
        cmocka_unit_test(test_nothing_readable_when_refused),
        cmocka_unit_test(test_readable_spans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
