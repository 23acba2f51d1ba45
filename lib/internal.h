/* internal.h - what the files of lib/ share; nothing here is public. */
#ifndef CORS_INTERNAL_H
#define CORS_INTERNAL_H

#include "cors.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* chars.c: byte classes from RFC 9110 and the Fetch standard */
int cors__is_token_char(unsigned char c);
int cors__is_token(const char *p, size_t n);
int cors__is_http_whitespace(unsigned char c);
unsigned char cors__lower(unsigned char c);
int cors__equal_nocase(const char *a, size_t a_len, const char *b, size_t b_len);
int cors__equal_nocase_z(cors_str s, const char *z);
int cors__equal_z(cors_str s, const char *z);
int cors__starts_with_nocase_z(cors_str s, const char *z);
cors_str cors__str_z(const char *z);
cors_str cors__trim_tab_space(cors_str s);
cors_str cors__trim_http_whitespace(cors_str s);
int cors__has_byte(cors_str s, unsigned char c);
int cors__compare_lower(cors_str a, cors_str b);
int cors__compare_bytes(const char *a, size_t a_len, const char *b, size_t b_len);

/* list.c: comma-separated header lists spread over several lines
 * (Fetch: extract header list values; RFC 9110 5.6.1 #rule) */
typedef struct cors__list_iter {
    const cors_header *headers;
    size_t count;
    cors_str name;      /* header name the list is read from */
    size_t index;       /* current line */
    size_t pos;         /* position in the current line's value */
    int started;
} cors__list_iter;

void cors__list_begin(cors__list_iter *it, const cors_policy *policy, const cors_field *field);
/* Next non-empty element, trimmed; returns 0 at the end. */
int cors__list_next(cors__list_iter *it, cors_str *element);
/* 1 when every non-empty element is a token; else 0 with *bad set to the first offender. */
int cors__list_is_valid(const cors_policy *policy, const cors_field *field, cors_str *bad);
/* 1 when the list holds an element equal to s (case-insensitively when nocase). */
int cors__list_contains(const cors_policy *policy, const cors_field *field, cors_str s, int nocase);

/* origin.c: URLs as Chromium's GURL parses them (the URL standard plus
 * Chromium's registered schemes), as far as CORS verdicts depend on them */
typedef struct cors__url {
    int valid;
    int is_special;          /* http, https, ws, wss, ftp, file */
    int scheme_is_file;
    int has_credentials;     /* a non-empty user name or password */
    char scheme[24];         /* lowercase, cut at 24 bytes */
    size_t scheme_len;
} cors__url;
/* Returns out->valid. relative_to_https: resolve a reference against an https
 * URL (a redirect's Location) instead of requiring an absolute URL. */
int cors__origin_url_parse(cors_str value, int relative_to_https, cors__url *out);
int cors__origin_url_is_valid(cors_str value);

/* request.c: the page's side of the Fetch model */
typedef struct cors__request_header {
    cors_str name;           /* first spelling */
    cors_str value;          /* trimmed value of the first line */
    size_t combined_length;  /* length of all values joined with ", " */
    uint32_t lines;          /* pairs combined into this one */
    int is_safelisted;
    int is_chromium_only;    /* safelisted in Chromium only (Fetch would preflight) */
} cors__request_header;

typedef struct cors__request_model {
    cors_str method;                 /* after normalization */
    int method_is_safelisted;
    int credentialed;
    size_t header_count;
    cors__request_header headers[CORS_MAX_REQUEST_HEADERS];
    size_t unsafe_count;
    cors_str unsafe[CORS_MAX_REQUEST_HEADERS + 1]; /* CORS-unsafe names (+ the default Accept), sorted, unique */
    int needs_preflight;
    int over_budget;                 /* safelisted values summed > 1024 bytes */
} cors__request_model;

/* Fills model and the report's request-side fields (method, preflight,
 * acr_*); a request fetch() would reject gets its verdict (failed_at request). */
int32_t cors__request_model_build(const cors_request *request, int strict,
                                  cors__request_model *model, cors_report *report);

/* safelist.c */
int cors__is_safelisted_method(cors_str method);
int cors__is_forbidden_method(cors_str method);
int cors__is_forbidden_request_header(cors_str name, cors_str value, int strict);
int cors__is_safelisted_request_header(cors_str name, cors_str value, int strict, int *chromium_only);
int cors__is_safelisted_response_header(cors_str name);
int cors__is_forbidden_response_header(cors_str name);

/* report.c: the report's text buffer and verdict; findings.c: findings */
/* 1 when n more bytes fit in the text: answers are stored whole or not at all. */
int cors__report_has_room(const cors_report *report, size_t n);
cors_span cors__report_put(cors_report *report, const char *p, size_t n);
cors_span cors__report_put_lower(cors_report *report, const char *p, size_t n);
cors_span cors__report_format(cors_report *report, const char *fmt, ...);
cors_span cors__report_vformat(cors_report *report, const char *fmt, va_list ap);
cors_str cors__report_span_str(const cors_report *report, cors_span span);
cors_finding *cors__finding_add(cors_report *report, int32_t code, int32_t severity,
                                int32_t stage, const char *header, cors_str value);
void cors__finding_message(cors_report *report, cors_finding *finding, const char *fmt, ...);
void cors__finding_fix(cors_report *report, cors_finding *finding, const char *fmt, ...);
void cors__report_fail(cors_report *report, int32_t stage, int32_t kind);

/* rules_browser.c: the browser's CORS check, preflight and exposure rules */
typedef struct cors__eval {
    const cors_options *options;
    const cors_request *request;
    const cors_policy *preflight;
    const cors_policy *response;
    cors__request_model model;
    int strict;
    int max_age_findings;   /* the browser rules report max-age problems (reflect does its own) */
    int vary_warning;       /* the browser rules warn of a missing Vary: Origin (reflect makes it an error) */
} cors__eval;

int32_t cors__browser_cors_check(const cors__eval *ev, const cors_policy *policy, int32_t stage, cors_report *report);
int32_t cors__browser_response(const cors__eval *ev, cors_report *report);
int64_t cors__browser_max_age(const cors_policy *policy, int strict, int *problem);
void cors__browser_max_age_finding(const cors_policy *policy, int32_t problem, int32_t severity, cors_report *report);
void cors__browser_readable_headers(const cors__eval *ev, cors_report *report);
void cors__browser_fix_vary(cors_report *report, cors_finding *f, const cors_policy *response);
int32_t cors__rules_browser(cors__eval *ev, cors_report *report);

/* rules_galxe.c, rules_reflect.c */
int32_t cors__rules_galxe(cors__eval *ev, cors_report *report);
int32_t cors__rules_reflect(cors__eval *ev, cors_report *report);

#endif
