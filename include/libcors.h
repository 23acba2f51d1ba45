/* SPDX-License-Identifier: MIT */
/*
 * libcors.h - libcors: judge a server's CORS answer with a browser's precision.
 *
 * libcors is sans-I/O: callers bring the bytes (a response head as `curl -si`
 * prints it, or name/value arrays) and libcors says whether a browser lets the
 * page read the response, why not, and what to send instead.
 *
 * Conventions, for every function below unless its comment says otherwise:
 *  - Strings cross the API as pointer + length (cors_str). They need not be
 *    NUL-terminated. A NULL pointer with length 0 is the empty string.
 *  - Functions return a status (int32_t, CORS_OK on success). Status says
 *    whether the call worked; a CORS refusal is a verdict in the report, not
 *    an error status, and so is a response the browser still needs
 *    (report.needs).
 *  - Out-parameters are reset on entry, so they are meaningful even on error.
 *  - An optional cors_error receives the status and where the bad input is
 *    (byte offset and line, or array index); pass NULL when you do not need it.
 *  - Nothing here allocates, prints, aborts or touches global state. Every
 *    function is thread-safe: concurrent calls are safe as long as they do not
 *    write the same out-parameter or lent buffer.
 *  - No function recurses on its input: stack use is bounded whatever the
 *    input's size or shape. cors_evaluate and cors_evaluate_chain take at
 *    most about 16 KiB (make bench-hostile measures it: 16,152 bytes with
 *    gcc -O2 on x86-64, reached by an Access-Control-Allow-Origin of 255 KiB;
 *    12 KiB for the other hostile shapes), the rest less.
 *  - Structs that may grow start with struct_size, which the *caller* sets to
 *    the sizeof it was compiled with (the cors_*_init functions take it). The
 *    library reads and writes only the first struct_size bytes and treats
 *    fields past them as zero, so a program built against an older libcors.h
 *    keeps working with a newer library, and the reverse. Such structs only
 *    ever grow at their end, by scalar fields.
 */
#ifndef LIBCORS_H
#define LIBCORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(CORS_BUILDING)
#define CORS_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(CORS_STATIC)
#define CORS_API __declspec(dllimport)
#elif defined(__GNUC__)
#define CORS_API __attribute__((visibility("default")))
#else
#define CORS_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

#define CORS_VERSION_MAJOR 0
#define CORS_VERSION_MINOR 2
#define CORS_VERSION_PATCH 0
#define CORS_VERSION_STRING "0.2.0"
/* major * 10000 + minor * 100 + patch, as cors_version_number() returns it */
#define CORS_VERSION_NUMBER (CORS_VERSION_MAJOR * 10000 + CORS_VERSION_MINOR * 100 + CORS_VERSION_PATCH)

/* The version of the library actually linked, e.g. "0.2.0". Never NULL. */
CORS_API const char *cors_version(void);
/* The same as one number: major * 10000 + minor * 100 + patch. */
CORS_API int32_t cors_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status codes (did the call work?). Values are stable and never reused.    */
/* ------------------------------------------------------------------------ */

#define CORS_OK                       0
#define CORS_E_ARGUMENT               1  /* NULL where not allowed, bad struct_size, unknown flag or enum value */
#define CORS_E_EMPTY                  2  /* the input holds no bytes at all */
#define CORS_E_NO_STATUS_LINE         3  /* the head does not start with an HTTP status line */
#define CORS_E_BAD_STATUS_LINE        4  /* status line present but malformed (version, code) */
#define CORS_E_NO_COLON               5  /* strict reading: a header line has no ':' */
#define CORS_E_BAD_HEADER_NAME        6  /* empty name, or a byte that is not a token character */
#define CORS_E_NUL_IN_HEADER          7  /* strict reading: a NUL byte in a header line */
#define CORS_E_BARE_CR                8  /* strict reading: a CR not followed by LF */
#define CORS_E_OBS_FOLD               9  /* strict reading: a line starting with SP or HTAB (obsolete line folding) */
#define CORS_E_TOO_MANY_HEADERS      10  /* more header lines than the caller's array holds (out->header_total: how many) */
#define CORS_E_LINE_TOO_LONG         11  /* strict reading: a line longer than CORS_MAX_LINE bytes */
/* 12 (too many heads) is retired: interim heads are skipped without limit. */
#define CORS_E_BAD_HEADER_VALUE      13  /* a CR or LF inside a header value given as an array */
#define CORS_E_BAD_ORIGIN            14  /* the request's origin is not a serialized origin */
/* 15, 16 (need preflight / response) and 19 (follows redirect) are retired: see cors_report.needs. */
/* 17 (too many request headers) is retired: a request may carry any number of headers. */
#define CORS_E_BAD_RULES             18  /* unknown rule set number */
#define CORS_E_BAD_URL               20  /* the request's URL is not an absolute http(s) URL (err->offset) */

/* Stable name of a status, e.g. "CORS_E_NO_COLON". Never NULL: unknown values give "CORS_E_UNKNOWN". */
CORS_API const char *cors_status_name(int32_t status);
/* One English sentence describing a status. Never NULL. */
CORS_API const char *cors_strerror(int32_t status);

/* Where bad input was found. */
typedef struct cors_error {
    int32_t status;   /* the status the call returned */
    int32_t line;     /* 1-based line of the offending byte in the input, 0 when not applicable */
    size_t offset;    /* byte offset of the offending byte (in the input, or in the string at `index`) */
    size_t index;     /* index of the offending array element (header), SIZE_MAX when not applicable */
} cors_error;

/* ------------------------------------------------------------------------ */
/* Strings and header sets                                                   */
/* ------------------------------------------------------------------------ */

/* A view of bytes owned by someone else. */
typedef struct cors_str {
    const char *ptr;
    size_t len;
} cors_str;

/* One header line: name and value (leading and trailing SP/HTAB removed). */
typedef struct cors_header {
    cors_str name;
    cors_str value;
} cors_header;

/* Strict reading: bytes in one line, line end excluded. */
#define CORS_MAX_LINE 262144
/* Chromium's reading: bytes of one head, from its first byte through its empty line. */
#define CORS_MAX_HEAD 262144

/* Parse flags */
#define CORS_PARSE_STRICT 0x1u  /* refuse what RFC 9112 refuses, with the offending byte (to lint a head) */

/* What Chromium's reading repaired (bits of cors_response.repairs); each
 * becomes a warning finding naming the line when the response is judged. */
#define CORS_REPAIR_STATUS_LINE_SLOP       0x00001u /* 1-4 bytes before "HTTP" skipped */
#define CORS_REPAIR_HTTP_VERSION           0x00002u /* a version other than HTTP/1.0 or HTTP/1.1, read as Chromium does */
#define CORS_REPAIR_STATUS_CODE_MISSING    0x00004u /* no status code: 200 assumed */
#define CORS_REPAIR_STATUS_CODE_MALFORMED  0x00008u /* not three digits after one SP */
#define CORS_REPAIR_STATUS_CODE_RANGE      0x00010u /* a code outside 100-599, kept as it is */
#define CORS_REPAIR_HTTP09                 0x00020u /* no status line: an HTTP/0.9 answer, all body */
#define CORS_REPAIR_OBS_FOLD               0x00040u /* a line starting with SP/HTAB joined to the previous value */
#define CORS_REPAIR_LINE_SKIPPED           0x00080u /* a line that is no header (no colon, bad name) skipped */
#define CORS_REPAIR_SPACE_BEFORE_COLON     0x00100u /* whitespace between name and colon removed */
#define CORS_REPAIR_BARE_CR                0x00200u /* a CR not followed by LF ended a line */
#define CORS_REPAIR_BARE_LF                0x00400u /* a LF not preceded by CR ended a line */
#define CORS_REPAIR_101_SKIPPED            0x00800u /* a 101 head skipped as interim */
#define CORS_REPAIR_REPEATED_CONTENT_LENGTH 0x01000u /* the same Content-Length value repeated: accepted */
#define CORS_REPAIR_REPEATED_CONTENT_DISPOSITION 0x02000u /* the same Content-Disposition repeated */
#define CORS_REPAIR_REPEATED_LOCATION      0x04000u /* the same Location repeated */

/* A parsed response head. Views point into the caller's buffer and array. */
typedef struct cors_response {
    size_t struct_size;
    int32_t status_code;          /* final status, e.g. 204 */
    int32_t http_version;         /* 10, 11, 20 or 30 */
    cors_str reason;              /* reason phrase, possibly empty */
    const cors_header *headers;   /* the caller's array, header_count entries used */
    size_t header_count;          /* lines stored in headers (at most the capacity) */
    size_t head_offset;           /* where the final head starts in the input */
    size_t head_length;           /* its length, through the blank line when there is one */
    size_t header_total;          /* lines the final head has: > header_count only on CORS_E_TOO_MANY_HEADERS */
    int32_t network_error;        /* CORS_KIND_* when Chromium fails the fetch on these bytes (a NUL, a head
                                     cut short or too big, a splitting guard of an interim head); else 0 */
    uint32_t repairs;             /* CORS_REPAIR_* bits: what Chromium's reading repaired */
    cors_str raw;                 /* the bytes read: the response's first byte to the end of its final head */
    size_t next_offset;           /* where the bytes after the final head (its body) start in the input */
} cors_response;

/* Clear *response and set its struct_size (pass sizeof *response). */
CORS_API void cors_response_init(cors_response *response, size_t size);

/*
 * Parse a raw response head, as `curl -si`, `curl -sI` or `curl -D -` print it:
 * an `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/3` status line, header lines, a
 * blank line. Interim 1xx heads and a proxy's `200 Connection established`
 * head before the final head are skipped; bytes after the final head (a body)
 * are ignored.
 *
 * By default the bytes are read as Chromium's network stack reads them
 * (net/http/http_util.cc AssembleRawHeaders, http_response_headers.cc,
 * http_stream_parser.cc): a line starting with SP or HTAB continues the
 * previous value (in the value's view the line break and the whitespace stand
 * for one space); whitespace before the colon is removed; a line that is no
 * header is skipped; CR, LF and CRLF all end lines; the status line is read
 * leniently (a missing code is 200, up to 4 junk bytes before it are skipped,
 * no status line at all is HTTP/0.9). Each repair sets a bit in
 * out->repairs. What Chromium refuses is no input error but a verdict:
 * out->network_error is set (a NUL in the head, a head cut short or longer
 * than CORS_MAX_HEAD, nothing at all, a splitting guard failing on an
 * interim head) and the call returns CORS_OK; the browser fails the fetch
 * when it reads this response.
 *
 * With CORS_PARSE_STRICT the head must follow RFC 9112 (CRLF or LF line
 * ends, no folding, no bare CR, no NUL, a well-formed status line, a final
 * head after an interim one); anything else is refused with its status,
 * byte offset and line, to lint a head.
 *
 * buf, len:  the input; NULL only when len is 0.
 * flags:     0, or CORS_PARSE_STRICT.
 * headers:   caller's array receiving the final head's lines in order; views
 *            into buf, valid as long as buf is. May be NULL when capacity is 0.
 * capacity:  entries available in headers. When the head has more lines, the
 *            call returns CORS_E_TOO_MANY_HEADERS with out->header_total set
 *            to the number of lines: call again with that capacity.
 * out:       receives the result (struct_size set by the caller, see
 *            cors_response_init; the rest is reset on entry).
 * err:       optional; receives the status, byte offset and line on failure.
 *
 * Returns CORS_OK, CORS_E_ARGUMENT, CORS_E_TOO_MANY_HEADERS, CORS_E_EMPTY
 * (strict reading only), or one of the input errors above (strict reading)
 * with the offset of the offending byte. Never reads outside buf[0, len).
 * Linear time; no recursion.
 */
CORS_API int32_t cors_response_parse(const char *buf, size_t len, uint32_t flags,
                                     cors_header *headers, size_t capacity,
                                     cors_response *out, cors_error *err);

/*
 * Build a response from a status code and a name/value array the caller
 * already has. Names must be tokens and values may not hold NUL, CR or LF
 * (err->index is then the index of the offending header and err->offset the
 * offending byte in its name or value). Values are used as given: trim them
 * first if they may carry surrounding whitespace. The array is not copied:
 * keep it alive with the response.
 */
CORS_API int32_t cors_response_from_headers(int32_t status_code,
                                            const cors_header *headers, size_t count,
                                            cors_response *out, cors_error *err);

/*
 * Find the first header named `name` (ASCII case-insensitive) at index >=
 * start. Returns its index, or SIZE_MAX when there is none.
 */
CORS_API size_t cors_headers_find(const cors_header *headers, size_t count,
                                  size_t start, const char *name, size_t name_len);

/* ------------------------------------------------------------------------ */
/* Origins                                                                   */
/* ------------------------------------------------------------------------ */

#define CORS_ORIGIN_MAX 300  /* longest serialized origin libcors accepts */

/* A parsed origin. scheme and host are views into the input. */
typedef struct cors_origin {
    int32_t is_opaque;   /* 1 for `null` */
    int32_t port;        /* explicit port, or -1 when absent (the default of the scheme) */
    cors_str scheme;
    cors_str host;       /* IPv6 literals keep their brackets */
} cors_origin;

/*
 * Parse a serialized origin: `null`, or scheme "://" host [":" port], as a
 * browser sends it in the Origin header. Scheme and host must already be in
 * canonical lowercase form and a default port (80 for http, 443 for https)
 * must be elided, as browsers serialize them; anything else is
 * CORS_E_BAD_ORIGIN with err->offset at the offending byte (CORS_ORIGIN_MAX
 * for an origin longer than CORS_ORIGIN_MAX bytes).
 */
CORS_API int32_t cors_origin_parse(const char *text, size_t len, cors_origin *out, cors_error *err);

/*
 * Write the serialization of `origin` into buf (capacity cap). Returns the
 * length of the serialization; when it is >= cap, nothing useful was written
 * (call again with a larger buffer). buf is NUL-terminated when cap > length.
 */
CORS_API size_t cors_origin_serialize(const cors_origin *origin, char *buf, size_t cap);

/* 1 when the two serialized origins are byte for byte the same origin, as browsers compare them. */
CORS_API int32_t cors_origin_equal(const char *a, size_t a_len, const char *b, size_t b_len);

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

#define CORS_CREDENTIALS_SAME_ORIGIN 0  /* fetch()'s default; cross-origin it behaves as omit */
#define CORS_CREDENTIALS_OMIT        1
#define CORS_CREDENTIALS_INCLUDE     2

/* What the page asks for, as given to fetch(). Read during the call only. */
typedef struct cors_request {
    size_t struct_size;
    cors_str origin;              /* serialized origin of the page, or "null" */
    cors_str method;              /* as given to fetch(); empty means GET */
    const cors_header *headers;   /* as given to fetch(), in order; repeats allowed, any number */
    size_t header_count;
    int32_t credentials;          /* CORS_CREDENTIALS_* */
    int32_t body;                 /* 1 when fetch() sends a body (a string body gets Content-Type
                                     text/plain;charset=UTF-8 unless the page set one); else 0 */
    cors_str url;                 /* the URL fetch() is called with (absolute http or https), to follow
                                     redirects and tell same-origin hops; empty: an https URL of
                                     another origin than the page's */
} cors_request;

/* Clear *request and set its struct_size (pass sizeof *request). */
CORS_API void cors_request_init(cors_request *request, size_t size);

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

/* Rule sets */
#define CORS_RULES_BROWSER 0  /* what Chromium does */
#define CORS_RULES_GALXE   1  /* Galxe's documented check of third-party APIs */
#define CORS_RULES_REFLECT 2  /* the reflect-origin-with-credentials pattern done right */

/* Name of a rule set ("browser", ...); never NULL ("unknown"). */
CORS_API const char *cors_rules_name(int32_t rules);
/* Rule set number for a name, or -1. */
CORS_API int32_t cors_rules_from_name(const char *name, size_t len);

/* Option flags */
#define CORS_OPTION_STRICT 1u  /* follow the Fetch standard where Chromium deviates from it */

typedef struct cors_options {
    size_t struct_size;
    int32_t rules;     /* CORS_RULES_* */
    uint32_t flags;    /* CORS_OPTION_* */
} cors_options;

/* Clear *options (rules browser, no flags) and set its struct_size (pass sizeof *options). */
CORS_API void cors_options_init(cors_options *options, size_t size);

/* Stages */
#define CORS_STAGE_NONE      0
#define CORS_STAGE_REQUEST   1  /* fetch() throws before anything is sent */
#define CORS_STAGE_PREFLIGHT 2
#define CORS_STAGE_RESPONSE  3

/* "request", "preflight", "response", or "none"; never NULL. */
CORS_API const char *cors_stage_name(int32_t stage);

/* Error kinds: why the browser refused. Chromium's CorsError names without
 * the 'k', and net errors that end a fetch. Stable, never reused. */
#define CORS_KIND_NONE                                  0
#define CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED           1
#define CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER           2
#define CORS_KIND_MULTIPLE_ALLOW_ORIGIN_VALUES          3
#define CORS_KIND_INVALID_ALLOW_ORIGIN_VALUE            4
#define CORS_KIND_ALLOW_ORIGIN_MISMATCH                 5
#define CORS_KIND_INVALID_ALLOW_CREDENTIALS             6
#define CORS_KIND_PREFLIGHT_INVALID_STATUS              7
#define CORS_KIND_PREFLIGHT_DISALLOWED_REDIRECT         8
#define CORS_KIND_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED 9
#define CORS_KIND_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER 10
#define CORS_KIND_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES 11
#define CORS_KIND_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE  12
#define CORS_KIND_PREFLIGHT_ALLOW_ORIGIN_MISMATCH       13
#define CORS_KIND_PREFLIGHT_INVALID_ALLOW_CREDENTIALS   14
#define CORS_KIND_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE 15
#define CORS_KIND_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE 16
#define CORS_KIND_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE 17
#define CORS_KIND_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE 18
#define CORS_KIND_MISSING_VARY_ORIGIN                   19  /* rules reflect */
#define CORS_KIND_FORBIDDEN_METHOD                      20  /* fetch() throws: CONNECT, TRACE, TRACK */
#define CORS_KIND_INVALID_METHOD                        21  /* fetch() throws: not a token */
#define CORS_KIND_INVALID_HEADER_NAME                   22  /* fetch() throws: not a token */
#define CORS_KIND_INVALID_HEADER_VALUE                  23  /* fetch() throws: NUL, CR or LF */
#define CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS         24  /* a redirect's Location has user:password@ */
#define CORS_KIND_UNSAFE_REDIRECT                       25  /* net::ERR_UNSAFE_REDIRECT: a redirect to data:, file:, ... */
#define CORS_KIND_INVALID_REDIRECT                      26  /* net::ERR_INVALID_REDIRECT: Location is not a valid URL */
#define CORS_KIND_MULTIPLE_LOCATION_HEADERS             27  /* net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION */
#define CORS_KIND_CORS_DISABLED_SCHEME                  28  /* a redirect to a scheme CORS does not support (ftp:, wss:, ...) */
/* Network failures of a head, before any CORS rule (Chromium's reading, see cors_response_parse) */
#define CORS_KIND_INVALID_HTTP_RESPONSE                 29  /* net::ERR_INVALID_HTTP_RESPONSE: a NUL in the head, ... */
#define CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS       30  /* net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH */
#define CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS  31  /* net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION */
#define CORS_KIND_RESPONSE_HEADERS_TOO_BIG              32  /* net::ERR_RESPONSE_HEADERS_TOO_BIG: no end of head in 256 KiB */
#define CORS_KIND_RESPONSE_HEADERS_TRUNCATED            33  /* net::ERR_RESPONSE_HEADERS_TRUNCATED: the input ends inside the head */
#define CORS_KIND_EMPTY_RESPONSE                        34  /* net::ERR_EMPTY_RESPONSE: not one byte of a head */
#define CORS_KIND_METHOD_NOT_SUPPORTED                  35  /* net::ERR_METHOD_NOT_SUPPORTED: an HTTP/0.9 answer to a PUT */
#define CORS_KIND_CONTENT_DECODING_FAILED               36  /* net::ERR_CONTENT_DECODING_FAILED: a malformed Content-Encoding */
#define CORS_KIND_TOO_MANY_REDIRECTS                    37  /* net::ERR_TOO_MANY_REDIRECTS: a 21st redirect */
#define CORS_KIND_MIXED_CONTENT                         38  /* an https page fetches an http URL (first or redirected to):
                                                               blocked as mixed content */
#define CORS_KIND_URL_CREDENTIALS                       39  /* a URL with user:password@: fetch() throws for the first;
                                                               Chromium cancels a redirect to one (net::ERR_ABORTED) */

/* "AllowOriginMismatch", ...; "none" for CORS_KIND_NONE, "unknown" past the end. Never NULL. */
CORS_API const char *cors_kind_name(int32_t kind);
/* Number of kinds defined (kinds run from 0 to this value). */
CORS_API int32_t cors_kind_count(void);

/* What a report still needs (bits of cors_report.needs) */
#define CORS_NEED_PREFLIGHT       0x1  /* the browser sends a preflight: give its response */
#define CORS_NEED_RESPONSE        0x2  /* the browser gets to the actual response: give it */
#define CORS_NEED_REDIRECT_TARGET 0x4  /* the response redirects and the browser follows: judge its target */
#define CORS_NEED_ROOM            0x8  /* a lent buffer was too small: call again with the counts as capacities */

/* Findings */
#define CORS_SEVERITY_ERROR   0
#define CORS_SEVERITY_WARNING 1
#define CORS_SEVERITY_INFO    2

/* "error", "warning", "info"; never NULL. */
CORS_API const char *cors_severity_name(int32_t severity);

/* A view into a report's text buffer: report->text + offset, length bytes. */
typedef struct cors_span {
    uint32_t offset;
    uint32_t length;
} cors_span;

/* One thing worth telling about the exchange. */
typedef struct cors_finding {
    int32_t code;       /* CORS_FINDING_*: stable, documented in the README */
    int32_t severity;   /* CORS_SEVERITY_* */
    int32_t stage;      /* CORS_STAGE_* it concerns */
    int32_t hop;        /* 1 for the URL fetch() was called with; 0 for the request stage */
    cors_span header;   /* the header concerned (empty when none) */
    cors_span value;    /* the offending value as received (empty when none or absent) */
    cors_span message;  /* one or more English sentences */
    cors_span fix;      /* header line(s) to send instead; empty when there is no header fix */
} cors_finding;

/* Finding codes: stable, append-only; names in cors_finding_name(), explained in the README. */
#define CORS_FINDING_ALLOW_ORIGIN_MISSING          1
#define CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS 2
#define CORS_FINDING_ALLOW_ORIGIN_MULTIPLE         3
#define CORS_FINDING_ALLOW_ORIGIN_INVALID          4
#define CORS_FINDING_ALLOW_ORIGIN_MISMATCH         5
#define CORS_FINDING_ALLOW_CREDENTIALS_INVALID     6
#define CORS_FINDING_PREFLIGHT_STATUS              7
#define CORS_FINDING_PREFLIGHT_REDIRECT            8
#define CORS_FINDING_ALLOW_METHODS_INVALID         9
#define CORS_FINDING_ALLOW_HEADERS_INVALID        10
#define CORS_FINDING_METHOD_NOT_ALLOWED           11
#define CORS_FINDING_HEADER_NOT_ALLOWED           12
#define CORS_FINDING_VARY_ORIGIN_MISSING          13
#define CORS_FINDING_REQUEST_METHOD_FORBIDDEN     14
#define CORS_FINDING_REQUEST_METHOD_INVALID       15
#define CORS_FINDING_REQUEST_HEADER_NAME_INVALID  16
#define CORS_FINDING_REQUEST_HEADER_VALUE_INVALID 17
#define CORS_FINDING_REQUEST_HEADER_DROPPED       18
#define CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION 19
#define CORS_FINDING_CHROMIUM_ONLY_SAFELISTED     20
#define CORS_FINDING_REQUEST_HEADERS_COMBINED     21
#define CORS_FINDING_MAX_AGE_INVALID              22
#define CORS_FINDING_MAX_AGE_NEGATIVE             23
#define CORS_FINDING_MAX_AGE_CAPPED               24
#define CORS_FINDING_MAX_AGE_MISSING              25
#define CORS_FINDING_EXPOSE_HEADERS_INVALID       26
#define CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS  27
#define CORS_FINDING_EXPOSE_HEADERS_MISSING       28
#define CORS_FINDING_EXPOSE_SET_COOKIE            29
#define CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS 30  /* reserved */
#define CORS_FINDING_GALXE_STATUS_200             31
#define CORS_FINDING_GALXE_ALLOW_METHODS          32
#define CORS_FINDING_GALXE_CONTENT_TYPE           33
#define CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN  34
#define CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED    35  /* reserved */
#define CORS_FINDING_REFLECT_CREDENTIALS          36  /* reserved */
#define CORS_FINDING_REFLECT_WILDCARD_LIST        37
#define CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS 38
#define CORS_FINDING_PREFLIGHT_NOT_NEEDED         39  /* reserved */
#define CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS 40
#define CORS_FINDING_REDIRECT_UNSAFE              41
#define CORS_FINDING_REDIRECT_FOLLOWED            42
#define CORS_FINDING_REDIRECT_INVALID             43
#define CORS_FINDING_REDIRECT_MULTIPLE_LOCATION   44
#define CORS_FINDING_REDIRECT_SCHEME              45
/* A head Chromium's network stack refuses (errors) or repairs (warnings) */
#define CORS_FINDING_HEAD_INVALID                 46  /* net::ERR_INVALID_HTTP_RESPONSE */
#define CORS_FINDING_CONTENT_LENGTH_MULTIPLE      47  /* net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH */
#define CORS_FINDING_CONTENT_DISPOSITION_MULTIPLE 48  /* net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION */
#define CORS_FINDING_HEAD_TOO_BIG                 49  /* net::ERR_RESPONSE_HEADERS_TOO_BIG */
#define CORS_FINDING_HEAD_TRUNCATED               50  /* net::ERR_RESPONSE_HEADERS_TRUNCATED */
#define CORS_FINDING_HEAD_EMPTY                   51  /* net::ERR_EMPTY_RESPONSE */
#define CORS_FINDING_HTTP09_METHOD                52  /* net::ERR_METHOD_NOT_SUPPORTED */
#define CORS_FINDING_CONTENT_ENCODING_INVALID     53  /* net::ERR_CONTENT_DECODING_FAILED */
/* 54-68: one per CORS_REPAIR_* bit, in bit order */
#define CORS_FINDING_HEAD_STATUS_LINE_SLOP        54
#define CORS_FINDING_HEAD_HTTP_VERSION            55
#define CORS_FINDING_HEAD_STATUS_CODE_MISSING     56
#define CORS_FINDING_HEAD_STATUS_CODE_MALFORMED   57
#define CORS_FINDING_HEAD_STATUS_CODE_RANGE       58
#define CORS_FINDING_HEAD_HTTP09                  59
#define CORS_FINDING_HEAD_OBS_FOLD                60
#define CORS_FINDING_HEAD_LINE_SKIPPED            61
#define CORS_FINDING_HEAD_SPACE_BEFORE_COLON      62
#define CORS_FINDING_HEAD_BARE_CR                 63
#define CORS_FINDING_HEAD_BARE_LF                 64
#define CORS_FINDING_HEAD_101_SKIPPED             65
#define CORS_FINDING_HEAD_REPEATED_CONTENT_LENGTH 66
#define CORS_FINDING_HEAD_REPEATED_CONTENT_DISPOSITION 67
#define CORS_FINDING_HEAD_REPEATED_LOCATION       68
#define CORS_FINDING_REDIRECT_TOO_MANY            69  /* net::ERR_TOO_MANY_REDIRECTS */
#define CORS_FINDING_REDIRECT_TAINTED             70  /* a redirect to another origin: Origin: null from then on */
#define CORS_FINDING_MIXED_CONTENT                71  /* an https page fetches (or is redirected to) an http URL */
#define CORS_FINDING_URL_CREDENTIALS              72  /* the URL fetched or redirected to has user:password@ */

/* Stable short name of a finding code, e.g. "allow-origin-mismatch"; never NULL ("unknown"). */
CORS_API const char *cors_finding_name(int32_t code);
/* Number of finding codes defined (codes run from 1 to this value). */
CORS_API int32_t cors_finding_count(void);

/* What the browser sent to one URL of a redirect chain (hop 1 is the URL fetch() was called with). */
typedef struct cors_hop_report {
    int32_t preflight;      /* 1 when a preflight went to this URL */
    int32_t has_origin;     /* 1 when the actual request carried an Origin header */
    int32_t has_acr_headers;
    int32_t body;           /* 1 when the actual request carried a body (a redirect to GET drops it) */
    cors_span url;          /* the URL requested, without fragment; empty when not known */
    cors_span method;       /* the actual request's method */
    cors_span origin;       /* its Origin: the page's origin, or "null" after a redirect to another origin */
    cors_span acr_method;   /* its preflight's Access-Control-Request-Method */
    cors_span acr_headers;  /* its preflight's Access-Control-Request-Headers */
} cors_hop_report;

/*
 * The verdict, and what the browser sends and lets script read. The caller
 * lends three buffers (cors_report_init); spans are offsets into `text`, so a
 * report and its buffers can be copied together and outlive the inputs.
 *
 * The verdict (ok, needs, failed_at, kind, preflight, has_*, the cache
 * lifetime) is complete whatever the capacities, zero included. Each count
 * says how many entries (or bytes) the whole answer takes; only the first
 * `capacity` are stored. When any count exceeds its capacity, needs has
 * CORS_NEED_ROOM: call again with capacities at least the counts (for
 * readable_count it may then be an upper bound, the room the names need
 * to be sorted; entries stored for no name are then empty spans) and the
 * answer is complete.
 */
typedef struct cors_report {
    size_t struct_size;
    /* lent by the caller (cors_report_init); the library writes into them */
    cors_finding *findings;
    size_t findings_capacity;
    cors_span *readable;
    size_t readable_capacity;
    char *text;
    size_t text_capacity;            /* at most UINT32_MAX bytes are used */
    /* the verdict */
    int32_t rules;                   /* CORS_RULES_* evaluated */
    int32_t ok;                      /* 1 when the page can read the response */
    int32_t needs;                   /* CORS_NEED_* bits; 0 when the answer is complete */
    int32_t failed_at;               /* CORS_STAGE_*; CORS_STAGE_NONE unless refused */
    int32_t kind;                    /* CORS_KIND_*; CORS_KIND_NONE unless refused */
    int32_t preflight;               /* 1 when the browser sends a preflight */
    int32_t has_acr_method;          /* 1 when Access-Control-Request-Method is sent */
    int32_t has_acr_headers;         /* 1 when Access-Control-Request-Headers is sent */
    int32_t has_cache_seconds;       /* 1 when a preflight was sent and judged */
    int32_t reserved;
    int64_t preflight_cache_seconds; /* how long the preflight result is reused; 0 = not reused */
    /* views into text */
    cors_span method;                /* the method after normalization */
    cors_span acr_method;            /* Access-Control-Request-Method value */
    cors_span acr_headers;           /* Access-Control-Request-Headers value */
    size_t finding_count;            /* findings made; the first findings_capacity are stored */
    size_t readable_count;           /* names script can read (when ok): lowercase, byte-sorted, unique */
    size_t text_length;              /* bytes of text the answer takes; the first text_capacity are stored */
    /* along a redirect chain (cors_evaluate_chain) */
    int32_t hops;                    /* actual requests that got a response (0 when the first preflight failed) */
    int32_t failed_hop;              /* the hop (1-based) whose response or preflight failed; 0 when none */
    cors_hop_report *hop_reports;    /* lent by cors_report_lend_hops; may be NULL */
    size_t hop_reports_capacity;
    size_t hop_report_count;         /* hops described: the URLs the browser got to */
} cors_report;

/*
 * Prepare a report: clear it, set struct_size (pass sizeof *report) and lend
 * it the three buffers. Any buffer may be NULL with capacity 0 (a verdict
 * without text). cors_evaluate resets everything but struct_size and the
 * buffers, so a report can be evaluated into again.
 */
CORS_API void cors_report_init(cors_report *report, size_t size,
                               cors_finding *findings, size_t findings_capacity,
                               cors_span *readable, size_t readable_capacity,
                               char *text, size_t text_capacity);

/*
 * Lend a report an array of hop reports (before cors_evaluate_chain): hop
 * i's is hop_reports[i - 1]; hop_report_count says how many the chain needs
 * (more than capacity: CORS_NEED_ROOM). NULL with 0 takes none.
 */
CORS_API void cors_report_lend_hops(cors_report *report, cors_hop_report *hop_reports, size_t capacity);

/*
 * Evaluate a request against the responses a server gave, under a rule set.
 *
 * options:   NULL means rules browser without flags.
 * request:   required; its origin must parse (cors_origin_parse), else
 *            CORS_E_BAD_ORIGIN with err->offset in the origin string. A
 *            header with a NULL pointer and a length is CORS_E_ARGUMENT with
 *            err->index.
 * preflight: the response to the preflight (OPTIONS) request, or NULL.
 * response:  the actual response, or NULL. A header of either with a NULL
 *            pointer and a length is CORS_E_ARGUMENT with err->index.
 * report:    prepared with cors_report_init; receives the verdict.
 * err:       optional.
 *
 * Returns CORS_OK when the evaluation ran; report->ok then says whether the
 * browser allows the exchange and report->needs what it still needs:
 * CORS_NEED_PREFLIGHT or CORS_NEED_RESPONSE when the browser gets to a
 * response that was not given (the report holds everything decided before:
 * preflight, Access-Control-Request-* values, findings), and
 * CORS_NEED_REDIRECT_TARGET when the actual response is a redirect (301, 302,
 * 303, 307, 308 with a non-empty Location) that passes the CORS check, so the
 * browser follows it: a finding names the Location, and what the page gets is
 * that URL's response. A redirect to a URL with credentials, to an invalid URL
 * or to a non-HTTP(S) scheme is a verdict (failed_at response). A relative
 * Location is resolved against the request's URL (an https URL of another
 * origin when none is given). Under rules galxe only the
 * preflight is required.
 *
 * Time is linear in the size of the responses, and O(n log n) in the
 * request's n headers: the readable array lent to the report is idle until
 * the readable names are found, so the CORS-unsafe names are sorted there
 * when it has room for them (lend at least header_count + 2 entries). With
 * less room, more than 64 distinct unsafe names cost O(n * u / 64).
 * Allocates nothing; reads the inputs, writes only *report, its buffers and
 * *err.
 */
CORS_API int32_t cors_evaluate(const cors_options *options, const cors_request *request,
                               const cors_response *preflight, const cors_response *response,
                               cors_report *report, cors_error *err);

/* One URL of a redirect chain: the response to its preflight (when the
 * browser sends one) and its response. Either may be NULL when not given. */
typedef struct cors_hop {
    const cors_response *preflight;
    const cors_response *response;
} cors_hop;

/*
 * Evaluate a whole redirect chain as Chromium runs it (Fetch "HTTP-redirect
 * fetch", Chromium cors_url_loader.cc): hops[0] answers request->url,
 * hops[i] the URL the Location of hops[i - 1].response leads to (resolved
 * against the URL before). Per hop: a preflight when the request needs one
 * and the hop is cross-origin (again at every new URL, unless Chromium's
 * preflight cache has that URL), the CORS check of every response once the
 * chain went cross-origin, the Location's checks, the origin becoming
 * opaque (Origin: null) after a redirect to another origin, the method
 * turning GET (and the body going) on 301/302 for POST and on 303, at most
 * 20 redirects. report->hops and ->failed_hop say how far it went and where
 * it failed; with hop reports lent (cors_report_lend_hops) each URL's
 * request is described. When the last hop given redirects and the browser
 * follows, report->needs has CORS_NEED_REDIRECT_TARGET; when a hop's
 * preflight or response is missing, CORS_NEED_PREFLIGHT / _RESPONSE with
 * report->hop_report_count naming the hop. cors_evaluate is this with one hop.
 * Rules galxe judge the first hop only. Returns as cors_evaluate, and
 * CORS_E_BAD_URL when request->url is given but is no absolute http(s) URL.
 */
CORS_API int32_t cors_evaluate_chain(const cors_options *options, const cors_request *request,
                                     const cors_hop *hops, size_t hop_count, cors_report *report,
                                     cors_error *err);

/* ------------------------------------------------------------------------ */
/* Server side: a configured policy, validated once, compiled, answered     */
/* ------------------------------------------------------------------------ */

/*
 * The other direction: what a server means to allow (cors_policy_config, or
 * the policy text format below) is validated once with every problem named
 * (cors_policy_validate), compiled once into memory the caller owns
 * (cors_policy_compile), and asked for each request which headers to send
 * (cors_policy_answer, which allocates nothing). cors_policy_check runs a
 * browser against a policy without a server.
 */

/* Status codes of the server side (values continue the list above). */
#define CORS_E_CONFIG           21  /* the policy has an error-severity issue: see cors_policy_validate */
#define CORS_E_BUFFER_TOO_SMALL 22  /* the memory or array given is smaller than needed: the call says how much */
#define CORS_E_POLICY_SYNTAX    23  /* policy text: a line is neither `key: value`, a comment nor blank, or holds NUL */
#define CORS_E_POLICY_KEY       24  /* policy text: an unknown key (private-network among them: README, "Serving CORS") */
#define CORS_E_POLICY_VALUE     25  /* policy text: a value the key does not take (yes/no, a number) */
#define CORS_E_POLICY_REPEATED  26  /* policy text: a key that takes one value is given twice */

/* Origin modes */
#define CORS_ORIGINS_LIST    0  /* origins[] says who: exact origins, patterns, or "*" */
#define CORS_ORIGINS_REFLECT 1  /* USE WITH CAUTION: echo every origin but `null`; origins[] stays empty */

/* Policy flags */
#define CORS_POLICY_CREDENTIALS     0x001u /* Access-Control-Allow-Credentials: true on allowed answers */
#define CORS_POLICY_VARY_PREFLIGHT  0x002u /* Vary on preflight answers too, for caches that store OPTIONS */
#define CORS_POLICY_DEBUG           0x004u /* a preflight refused for its method or headers gets the success
                                              status and the headers that matched, so the browser console
                                              names the culprit (as jub0bs/cors's debug mode) */
/* Reserved for Private Network Access (Access-Control-Request-Private-Network
 * -> Access-Control-Allow-Private-Network), which Chromium 156 no longer sends:
 * Local Network Access is a permission of the user, with an ordinary preflight.
 * Setting it is CORS_E_ARGUMENT. */
#define CORS_POLICY_PRIVATE_NETWORK_RESERVED 0x008u
/* USE WITH CAUTION, each turns one error into a warning: */
#define CORS_POLICY_DANGER_INSECURE_ORIGINS    0x100u /* http: non-loopback origins with credentials */
#define CORS_POLICY_DANGER_PUBLIC_SUFFIX       0x200u /* subdomains of a public suffix ("*.github.io") with credentials */
#define CORS_POLICY_DANGER_REFLECT_CREDENTIALS 0x400u /* reflect every origin with credentials */

/*
 * What a server means to allow. Read during the calls only; nothing is kept
 * (cors_policy_compile copies what it needs). Strings are pointer + length;
 * an array may be NULL when its count is 0. Set struct_size with
 * cors_policy_config_init; fields past a caller's struct_size count as zero.
 *
 * origins:          exact origins ("https://app.example", "http://[::1]:8080"),
 *                   subdomain patterns (a host "*.example.com": one or more
 *                   labels), port wildcards ("http://localhost:*"), both, or
 *                   "*" (any origin; not with credentials).
 * methods:          compared case-sensitively, as browsers do; "*" = any.
 *                   GET, HEAD and POST are always allowed (CORS-safelisted).
 * request_headers:  compared case-insensitively; "*" = any, except
 *                   Authorization without credentials (Fetch standard).
 * expose_headers:   response headers script may read; "*" = all (not with
 *                   credentials).
 * max_age:          0: no Access-Control-Max-Age (browsers use 5 s); -1: "0"
 *                   (no caching); 1-86400: seconds.
 * preflight_status: the status of an allowed preflight: 0 (= 204) or 200-299.
 */
typedef struct cors_policy_config {
    size_t struct_size;
    int32_t origin_mode;             /* CORS_ORIGINS_* */
    uint32_t flags;                  /* CORS_POLICY_* */
    const cors_str *origins;
    size_t origin_count;
    const cors_str *methods;
    size_t method_count;
    const cors_str *request_headers;
    size_t request_header_count;
    const cors_str *expose_headers;
    size_t expose_header_count;
    int32_t max_age;
    int32_t preflight_status;
} cors_policy_config;

/* Clear *config (a list of no origins: invalid until some are added) and set its struct_size (pass sizeof *config). */
CORS_API void cors_policy_config_init(cors_policy_config *config, size_t size);

/* Fields of a config, as cors_config_issue.field names them */
#define CORS_FIELD_NONE             0
#define CORS_FIELD_ORIGINS          1
#define CORS_FIELD_ORIGIN_MODE      2
#define CORS_FIELD_METHODS          3
#define CORS_FIELD_REQUEST_HEADERS  4
#define CORS_FIELD_EXPOSE_HEADERS   5
#define CORS_FIELD_MAX_AGE          6
#define CORS_FIELD_PREFLIGHT_STATUS 7
#define CORS_FIELD_FLAGS            8

/* "origins", "origin_mode", "methods", ... (the struct's field names); "none" or "unknown" otherwise. Never NULL. */
CORS_API const char *cors_field_name(int32_t field);

/* Configuration issue codes: stable, append-only; names and texts below, table in the README. */
#define CORS_ISSUE_ORIGINS_MISSING                      1
#define CORS_ISSUE_ORIGIN_INVALID                       2
#define CORS_ISSUE_ORIGIN_NOT_SERIALIZED                3
#define CORS_ISSUE_ORIGIN_NULL                          4
#define CORS_ISSUE_ORIGIN_FILE                          5
#define CORS_ISSUE_ORIGIN_WILDCARD_CREDENTIALS          6
#define CORS_ISSUE_ORIGIN_INSECURE_CREDENTIALS          7
#define CORS_ISSUE_ORIGIN_INSECURE_TOLERATED            8
#define CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_CREDENTIALS     9
#define CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_TOLERATED      10
#define CORS_ISSUE_REDUNDANT_WITH_WILDCARD             11
#define CORS_ISSUE_ORIGINS_WITH_REFLECT                12
#define CORS_ISSUE_REFLECT_CREDENTIALS                 13
#define CORS_ISSUE_REFLECT_CREDENTIALS_TOLERATED       14
#define CORS_ISSUE_REFLECT_WITHOUT_CREDENTIALS         15
#define CORS_ISSUE_METHOD_INVALID                      16
#define CORS_ISSUE_METHOD_FORBIDDEN                    17
#define CORS_ISSUE_METHOD_NEVER_SENT                   18
#define CORS_ISSUE_METHOD_CASE                         19
#define CORS_ISSUE_METHOD_SAFELISTED                   20
#define CORS_ISSUE_METHOD_OPTIONS                      21
#define CORS_ISSUE_REQUEST_HEADER_INVALID              22
#define CORS_ISSUE_REQUEST_HEADER_FORBIDDEN            23
#define CORS_ISSUE_REQUEST_HEADER_PROHIBITED           24
#define CORS_ISSUE_REQUEST_HEADERS_WILDCARD_AUTHORIZATION 25
#define CORS_ISSUE_EXPOSE_HEADER_INVALID               26
#define CORS_ISSUE_EXPOSE_HEADER_SET_COOKIE            27
#define CORS_ISSUE_EXPOSE_HEADER_PROHIBITED            28
#define CORS_ISSUE_EXPOSE_WILDCARD_CREDENTIALS         29
#define CORS_ISSUE_EXPOSE_HEADER_SAFELISTED            30
#define CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS               31
#define CORS_ISSUE_MAX_AGE_ABOVE_CHROMIUM_CAP          32
#define CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS      33
#define CORS_ISSUE_DANGER_UNUSED                       34
#define CORS_ISSUE_DEBUG_ON                            35

/* Where a problem is: a field and an element, and in policy text its line. */
typedef struct cors_config_issue {
    int32_t code;      /* CORS_ISSUE_* */
    int32_t severity;  /* CORS_SEVERITY_ERROR refuses the config; WARNING and INFO do not */
    int32_t field;     /* CORS_FIELD_* */
    int32_t line;      /* 1-based line in the policy text (cors_policy_locate); 0 otherwise */
    size_t index;      /* element of the field's array; for CORS_FIELD_FLAGS the bit number; 0 for scalars */
    size_t offset;     /* the offending byte: in the element, or (after cors_policy_locate) in the text */
} cors_config_issue;

/* Stable short name of an issue code, e.g. "origin-insecure-with-credentials"; "unknown" otherwise. Never NULL. */
CORS_API const char *cors_config_issue_name(int32_t code);
/* One English sentence saying what is wrong and why. Never NULL. */
CORS_API const char *cors_config_issue_text(int32_t code);
/* Number of issue codes defined (codes run from 1 to this value). */
CORS_API int32_t cors_config_issue_count(void);

/*
 * Report every problem of a config at once. issues[0, min(*count, capacity))
 * receive them, sorted by field then index; *count says how many there are
 * (call again with more room to see them all). issues may be NULL when
 * capacity is 0; count may be NULL.
 *
 * Returns CORS_OK when no issue is an error (warnings and infos may remain),
 * CORS_E_CONFIG when one is, CORS_E_ARGUMENT for a NULL config, a
 * struct_size too small, a NULL array with a count, an unknown origin mode
 * or flag. Linear in the config's size, plus a public-suffix lookup per
 * subdomain pattern. Allocates nothing.
 */
CORS_API int32_t cors_policy_validate(const cors_policy_config *config, cors_config_issue *issues,
                                      size_t capacity, size_t *count);

/*
 * The policy text format: one `key: value` per line (LF or CRLF), `#`
 * starting a comment line, blank lines ignored, keys in lowercase:
 *
 *   origins:            list (repeat the key to continue it)
 *   reflect-any-origin: yes|no     (CORS_ORIGINS_REFLECT)
 *   methods:            list
 *   request-headers:    list
 *   expose-headers:     list
 *   credentials:        yes|no
 *   max-age:            -1, 0 or seconds
 *   preflight-status:   200-299
 *   vary-preflight:     yes|no
 *   debug:              yes|no
 *   danger-insecure-origins, danger-public-suffix,
 *   danger-reflect-with-credentials: yes|no
 *
 * A list's elements are separated by commas and/or spaces. yes|no also
 * accepts true|false.
 *
 * Parse text into *config (struct_size set by the caller; the rest is reset).
 * The list elements land in items[0, capacity), views into text, and
 * config's arrays point into items: keep text and items alive with config.
 * *item_count says how many elements the text has; when that exceeds
 * capacity the call returns CORS_E_BUFFER_TOO_SMALL: call again with that
 * capacity (items may be NULL with capacity 0). Syntax errors (the first one
 * ends the parse) are CORS_E_POLICY_*, with err->line and err->offset (the
 * byte in text). The meaning of the values is cors_policy_validate's job.
 * Linear time; allocates nothing.
 */
CORS_API int32_t cors_policy_parse(const char *text, size_t len, cors_policy_config *config, cors_str *items,
                                   size_t capacity, size_t *item_count, cors_error *err);

/*
 * Give issues that cors_policy_validate reported for the config parsed from
 * text their line, and turn their offset into a byte offset in text (the
 * element's first byte plus the offset in it; for a scalar, its key's). An
 * issue whose element or key the text lacks gets line 0. Linear time.
 * Returns CORS_OK or CORS_E_ARGUMENT.
 */
CORS_API int32_t cors_policy_locate(const char *text, size_t len, cors_config_issue *issues, size_t count);

/*
 * A compiled policy: opaque, immutable, position-independent (offsets
 * inside, no pointers), so it may be copied with memcpy (cors_policy_size
 * bytes, to an 8-byte aligned address) and shared by any number of threads.
 */
typedef struct cors_policy cors_policy;

/*
 * Compile a valid config into mem, which must be 8-byte aligned. *needed
 * receives the bytes it takes (at most 4 GiB); when mem_size is smaller
 * (mem may then be NULL) the call returns CORS_E_BUFFER_TOO_SMALL and writes
 * nothing else: call once with mem_size 0 to size the memory. *out points
 * into mem on success. CORS_E_CONFIG: the config has an error issue (see
 * cors_policy_validate); CORS_E_ARGUMENT: see there, or mem misaligned, or
 * larger than 4 GiB, or more than 2^24 origins. The config is not kept.
 * Allocates nothing.
 */
CORS_API int32_t cors_policy_compile(const cors_policy_config *config, void *mem, size_t mem_size, size_t *needed,
                                     const cors_policy **out);

/* Bytes a compiled policy takes; 0 for NULL or anything cors_policy_compile did not build. */
CORS_API size_t cors_policy_size(const cors_policy *policy);

/* What a request is (cors_answer.kind) */
#define CORS_ANSWER_NOT_CORS  0  /* no Origin: run the handler, add the headers (Vary, or ACAO: * for "*") */
#define CORS_ANSWER_ACTUAL    1  /* run the handler, add the headers */
#define CORS_ANSWER_PREFLIGHT 2  /* answer it yourself: status_code, these headers, no body */

/* How to add an emitted header */
#define CORS_HEADER_SET    0  /* replace any line of this name */
#define CORS_HEADER_APPEND 1  /* add to what is there (Vary): never replace */

#define CORS_ANSWER_MAX_HEADERS 8  /* no answer has more lines */

typedef struct cors_emitted_header {
    cors_str name;     /* canonical spelling ("Access-Control-Allow-Origin"), a view into the policy */
    cors_str value;    /* a view into the policy, into static storage, or into the request (the echoed Origin,
                          Access-Control-Request-Method, Access-Control-Request-Headers) */
    int32_t action;    /* CORS_HEADER_SET or CORS_HEADER_APPEND */
    int32_t reserved;
} cors_emitted_header;

typedef struct cors_answer {
    size_t struct_size;
    int32_t kind;          /* CORS_ANSWER_* */
    int32_t allowed;       /* 1: a CORS request the policy grants; 0: refused, or not CORS */
    int32_t status_code;   /* CORS_ANSWER_PREFLIGHT: the status to send (403 when refused); else 0 */
    int32_t refused_by;    /* CORS_FIELD_ORIGINS, _METHODS or _REQUEST_HEADERS when refused; else 0 */
    size_t header_count;   /* header lines to send */
} cors_answer;

/* Clear *answer and set its struct_size (pass sizeof *answer). */
CORS_API void cors_answer_init(cors_answer *answer, size_t size);

/*
 * Answer one request as received: its method and its header lines (any
 * order, values trimmed of SP/HTAB as HTTP parsers hand them over). No
 * Origin: not CORS. OPTIONS with Origin and Access-Control-Request-Method: a
 * preflight. Anything else with Origin: an actual request. Several Origin
 * (or Access-Control-Request-Method) lines are refused.
 *
 * Writes *answer (struct_size set by the caller) and headers[0, capacity);
 * when the answer has more lines than capacity (never more than
 * CORS_ANSWER_MAX_HEADERS) it returns CORS_E_BUFFER_TOO_SMALL with
 * answer->header_count saying how many. Vary is always CORS_HEADER_APPEND
 * and present whenever the answer depends on the Origin (on preflights only
 * with CORS_POLICY_VARY_PREFLIGHT). The views stay valid as long as the
 * policy and the request's bytes.
 *
 * One pass over the request headers; an Access-Control-Request-Headers of
 * any size costs time linear in the bytes read up to the first name the
 * policy refuses. Allocates nothing, writes nothing but *answer and headers.
 * Returns CORS_OK, CORS_E_BUFFER_TOO_SMALL, or CORS_E_ARGUMENT (NULL or not
 * a compiled policy, struct_size too small, NULL arrays with counts).
 */
CORS_API int32_t cors_policy_answer(const cors_policy *policy, const char *method, size_t method_len,
                                    const cors_header *request_headers, size_t request_header_count,
                                    cors_answer *answer, cors_emitted_header *headers, size_t capacity);

/*
 * A browser against a policy, without a server: the same report cors_evaluate
 * gives for real responses. The request goes through the rules (options:
 * NULL means browser) as the page makes it; when the browser sends a
 * preflight, the policy answers exactly the Origin,
 * Access-Control-Request-Method and -Headers the report says it sends; the
 * actual request's answer (status 200, the policy's headers and nothing
 * else) comes next; the answers pass through cors_response_from_headers and
 * cors_evaluate. The report needs text room even for a verdict (it carries
 * the Access-Control-Request-* values between the steps): with too little,
 * report->needs has CORS_NEED_ROOM and the counts to call again with.
 * Returns what cors_evaluate returns, or CORS_E_ARGUMENT for a policy
 * cors_policy_compile did not build. Allocates nothing.
 */
CORS_API int32_t cors_policy_check(const cors_policy *policy, const cors_options *options,
                                   const cors_request *request, cors_report *report, cors_error *err);

/* ------------------------------------------------------------------------ */
/* Layout checks for bindings                                                */
/* ------------------------------------------------------------------------ */

/* sizeof of each public struct, so FFI bindings can check their mirrors. */
CORS_API size_t cors_sizeof_error(void);
CORS_API size_t cors_sizeof_str(void);
CORS_API size_t cors_sizeof_header(void);
CORS_API size_t cors_sizeof_response(void);
CORS_API size_t cors_sizeof_origin(void);
CORS_API size_t cors_sizeof_request(void);
CORS_API size_t cors_sizeof_options(void);
CORS_API size_t cors_sizeof_span(void);
CORS_API size_t cors_sizeof_finding(void);
CORS_API size_t cors_sizeof_report(void);
CORS_API size_t cors_sizeof_hop(void);
CORS_API size_t cors_sizeof_hop_report(void);
CORS_API size_t cors_sizeof_policy_config(void);
CORS_API size_t cors_sizeof_config_issue(void);
CORS_API size_t cors_sizeof_emitted_header(void);
CORS_API size_t cors_sizeof_answer(void);

/* The limits above as functions, for bindings that cannot read macros. */
CORS_API size_t cors_max_line(void);    /* CORS_MAX_LINE */
CORS_API size_t cors_origin_max(void);  /* CORS_ORIGIN_MAX */
CORS_API size_t cors_answer_max_headers(void);  /* CORS_ANSWER_MAX_HEADERS */

#ifdef __cplusplus
}
#endif

#endif /* LIBCORS_H */
