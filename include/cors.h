/*
 * cors.h - libcors: judge a server's CORS answer with a browser's precision.
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
 *    an error status.
 *  - Out-parameters are reset on entry, so they are meaningful even on error.
 *  - An optional cors_error receives the status and the byte offset of bad
 *    input; pass NULL when you do not need it.
 *  - Nothing here allocates, prints, aborts or touches global state. Every
 *    function is thread-safe: concurrent calls are safe as long as they do not
 *    write the same out-parameter.
 *  - Structs the caller allocates and that may grow start with struct_size:
 *    set it to sizeof(the struct) before the call (cors_*_init do this).
 */
#ifndef CORS_H
#define CORS_H

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
#define CORS_VERSION_MINOR 1
#define CORS_VERSION_PATCH 0
#define CORS_VERSION_STRING "0.1.0"

/* The version of the library actually linked, e.g. "0.1.0". Never NULL. */
CORS_API const char *cors_version(void);
/* The same as one number: major * 10000 + minor * 100 + patch. */
CORS_API int32_t cors_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status codes (did the call work?). Values are stable and append-only.     */
/* ------------------------------------------------------------------------ */

#define CORS_OK                       0
#define CORS_E_ARGUMENT               1  /* NULL where not allowed, bad struct_size, unknown enum value */
#define CORS_E_EMPTY                  2  /* the input holds no bytes at all */
#define CORS_E_NO_STATUS_LINE         3  /* the head does not start with an HTTP status line */
#define CORS_E_BAD_STATUS_LINE        4  /* status line present but malformed (version, code) */
#define CORS_E_NO_COLON               5  /* a header line has no ':' */
#define CORS_E_BAD_HEADER_NAME        6  /* empty name, or a byte that is not a token character */
#define CORS_E_NUL_IN_HEADER          7  /* a NUL byte in a header line */
#define CORS_E_BARE_CR                8  /* a CR not followed by LF */
#define CORS_E_OBS_FOLD               9  /* a line starting with SP or HTAB (obsolete line folding) */
#define CORS_E_TOO_MANY_HEADERS      10  /* more header lines than the caller's array holds */
#define CORS_E_LINE_TOO_LONG         11  /* a line longer than CORS_MAX_LINE bytes */
#define CORS_E_TOO_MANY_HEADS        12  /* more than CORS_MAX_HEADS heads (interim ones plus the final one) */
#define CORS_E_BAD_HEADER_VALUE      13  /* a CR or LF inside a header value given as an array */
#define CORS_E_BAD_ORIGIN            14  /* the request's origin is not a serialized origin */
#define CORS_E_NEED_PREFLIGHT        15  /* the browser sends a preflight but no preflight response was given */
#define CORS_E_NEED_RESPONSE         16  /* the browser gets to the actual response but none was given */
#define CORS_E_TOO_MANY_REQUEST_HEADERS 17 /* more than CORS_MAX_REQUEST_HEADERS request headers */
#define CORS_E_BAD_RULES             18  /* unknown rule set name or number */
#define CORS_E_FOLLOWS_REDIRECT      19  /* the actual response is a redirect the browser follows: judge its target's response */
#define CORS_E_REPORT_FULL           20  /* the report's text cannot hold part of the answer (method, Access-Control-Request-* values) */

/* Stable name of a status, e.g. "CORS_E_NO_COLON". Never NULL: unknown values give "CORS_E_UNKNOWN". */
CORS_API const char *cors_status_name(int32_t status);
/* One English sentence describing a status. Never NULL. */
CORS_API const char *cors_strerror(int32_t status);

/* Where bad input was found. */
typedef struct cors_error {
    int32_t status;   /* the status the call returned */
    int32_t line;     /* 1-based line of the offending byte in the input, 0 when not applicable */
    size_t offset;    /* byte offset of the offending byte in the input */
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

/* Limits of the parser. */
#define CORS_MAX_LINE  262144 /* bytes in one line, line end excluded (Chromium: 256 KiB of headers) */
#define CORS_MAX_HEADS 16     /* heads in one input: interim 1xx / proxy heads plus the final one */

/* A parsed response head. Views point into the caller's buffer and array. */
typedef struct cors_response {
    size_t struct_size;
    int32_t status_code;          /* final status, e.g. 204 */
    int32_t http_version;         /* 10, 11, 20 or 30 */
    cors_str reason;              /* reason phrase, possibly empty */
    const cors_header *headers;   /* the caller's array, header_count entries used */
    size_t header_count;
    size_t head_offset;           /* where the final head starts in the input */
    size_t head_length;           /* its length, through the blank line when there is one */
} cors_response;

/* Set struct_size and clear the rest. */
CORS_API void cors_response_init(cors_response *response);

/*
 * Parse a raw response head, as `curl -si`, `curl -sI` or `curl -D -` print it:
 * an `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/3` status line with or without
 * a reason phrase, header lines, a blank line; CRLF or bare LF line ends.
 * Interim 1xx heads and a proxy's `200 Connection established` head before the
 * final head are skipped; bytes after the final head's blank line (a body) are
 * ignored. The end of input also ends the head.
 *
 * buf, len:  the input; NULL only when len is 0 (then CORS_E_EMPTY).
 * headers:   caller's array receiving the final head's lines in order; views
 *            into buf, valid as long as buf is. May be NULL when capacity is 0.
 * capacity:  entries available in headers.
 * out:       receives the result (reset on entry); out->headers == headers.
 * err:       optional; receives the status, byte offset and line on failure.
 *
 * Returns CORS_OK, CORS_E_ARGUMENT, or one of the input errors above with the
 * offset of the offending byte. Never reads outside buf[0, len).
 */
CORS_API int32_t cors_response_parse(const char *buf, size_t len,
                                     cors_header *headers, size_t capacity,
                                     cors_response *out, cors_error *err);

/*
 * Build a response from a status code and a name/value array the caller
 * already has. Names must be tokens and values may not hold NUL, CR or LF
 * (err->offset is then the index of the offending header, err->line is 0).
 * Values are used as given: trim them first if they may carry surrounding
 * whitespace. The array is not copied: keep it alive with the response.
 */
CORS_API int32_t cors_response_from_headers(int32_t status_code,
                                            const cors_header *headers, size_t count,
                                            cors_response *out, cors_error *err);

/*
 * Find the first header named `name` (case-insensitive) at index >= start.
 * Returns its index, or -1 when there is none.
 */
CORS_API int64_t cors_headers_find(const cors_header *headers, size_t count,
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
/* Policy: the CORS grant a response carries                                 */
/* ------------------------------------------------------------------------ */

/* Where a CORS header sits in a header set. */
typedef struct cors_field {
    cors_str value;   /* value of the first line with this name */
    uint32_t lines;   /* how many lines carry the name; 0 when absent */
    uint32_t first;   /* index of the first such line */
} cors_field;

/*
 * The grant a server made: what it allows, as found in one response.
 * A response's CORS headers parse into it (cors_policy_from_response) and
 * evaluation runs a request against it. Views point into the response's
 * header array; the policy is valid as long as that array and its bytes are.
 * A server's configured policy (origin lists and patterns) will be described
 * by fields appended after these.
 */
typedef struct cors_policy {
    size_t struct_size;
    int32_t status_code;          /* HTTP status of the response */
    int32_t reserved;
    cors_field allow_origin;      /* Access-Control-Allow-Origin */
    cors_field allow_credentials; /* Access-Control-Allow-Credentials */
    cors_field allow_methods;     /* Access-Control-Allow-Methods */
    cors_field allow_headers;     /* Access-Control-Allow-Headers */
    cors_field expose_headers;    /* Access-Control-Expose-Headers */
    cors_field max_age;           /* Access-Control-Max-Age */
    cors_field vary;              /* Vary */
    cors_field location;          /* Location (a redirect) */
    const cors_header *headers;   /* the whole set, for lists spread over lines */
    size_t header_count;
} cors_policy;

CORS_API void cors_policy_init(cors_policy *policy);

/* Collect the CORS headers of a parsed response into a policy. Never fails on a valid response. */
CORS_API int32_t cors_policy_from_response(const cors_response *response, cors_policy *out);

/* ------------------------------------------------------------------------ */
/* Requests and evaluation                                                   */
/* ------------------------------------------------------------------------ */

#define CORS_CREDENTIALS_SAME_ORIGIN 0  /* fetch()'s default; cross-origin it behaves as omit */
#define CORS_CREDENTIALS_OMIT        1
#define CORS_CREDENTIALS_INCLUDE     2

#define CORS_MAX_REQUEST_HEADERS 128

/* What the page asks for, as given to fetch(). */
typedef struct cors_request {
    size_t struct_size;
    cors_str origin;              /* serialized origin of the page, or "null" */
    cors_str method;              /* as given to fetch(); empty means GET */
    const cors_header *headers;   /* as given to fetch(), in order; repeats allowed */
    size_t header_count;          /* at most CORS_MAX_REQUEST_HEADERS */
    int32_t credentials;          /* CORS_CREDENTIALS_* */
    int32_t reserved;
} cors_request;

CORS_API void cors_request_init(cors_request *request);

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

CORS_API void cors_options_init(cors_options *options);

/* Stages */
#define CORS_STAGE_NONE      0
#define CORS_STAGE_REQUEST   1  /* fetch() throws before anything is sent */
#define CORS_STAGE_PREFLIGHT 2
#define CORS_STAGE_RESPONSE  3

/* "request", "preflight", "response", or "none"; never NULL. */
CORS_API const char *cors_stage_name(int32_t stage);

/* Error kinds: why the browser refused. Chromium's CorsError names without the 'k'. */
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

/* "AllowOriginMismatch", ...; "none" for CORS_KIND_NONE, "unknown" past the end. Never NULL. */
CORS_API const char *cors_kind_name(int32_t kind);

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
    int32_t reserved;
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
#define CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS 30
#define CORS_FINDING_GALXE_STATUS_200             31
#define CORS_FINDING_GALXE_ALLOW_METHODS          32
#define CORS_FINDING_GALXE_CONTENT_TYPE           33
#define CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN  34
#define CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED    35
#define CORS_FINDING_REFLECT_CREDENTIALS          36
#define CORS_FINDING_REFLECT_WILDCARD_LIST        37
#define CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS 38
#define CORS_FINDING_PREFLIGHT_NOT_NEEDED         39
#define CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS 40
#define CORS_FINDING_REDIRECT_UNSAFE              41
#define CORS_FINDING_REDIRECT_FOLLOWED            42
#define CORS_FINDING_REDIRECT_INVALID             43
#define CORS_FINDING_REDIRECT_MULTIPLE_LOCATION   44
#define CORS_FINDING_REDIRECT_SCHEME              45

/* Stable short name of a finding code, e.g. "allow-origin-mismatch"; never NULL ("unknown"). */
CORS_API const char *cors_finding_name(int32_t code);
/* Number of finding codes defined (codes run from 1 to this value). */
CORS_API int32_t cors_finding_count(void);

#define CORS_REPORT_FINDINGS 32
#define CORS_REPORT_READABLE 256
#define CORS_REPORT_TEXT     16384

/*
 * The verdict. Self-contained: every cors_span points into text, so a report
 * can be copied with memcpy and outlives the inputs.
 */
typedef struct cors_report {
    size_t struct_size;
    int32_t rules;                   /* CORS_RULES_* evaluated */
    int32_t ok;                      /* 1 when the page can read the response */
    int32_t preflight;               /* 1 when the browser sends a preflight */
    int32_t failed_at;               /* CORS_STAGE_*; CORS_STAGE_NONE when ok */
    int32_t error;                   /* CORS_KIND_*; CORS_KIND_NONE when ok */
    int32_t has_acr_method;          /* 1 when Access-Control-Request-Method is sent */
    int32_t has_acr_headers;         /* 1 when Access-Control-Request-Headers is sent */
    int32_t has_cache_seconds;       /* 1 when a preflight was sent and judged */
    int64_t preflight_cache_seconds; /* how long the preflight result is reused; 0 = not reused */
    cors_span method;                /* the method after normalization */
    cors_span acr_method;            /* Access-Control-Request-Method value */
    cors_span acr_headers;           /* Access-Control-Request-Headers value */
    uint32_t finding_count;
    uint32_t findings_dropped;       /* findings that did not fit */
    cors_finding findings[CORS_REPORT_FINDINGS];
    uint32_t readable_count;         /* names script can read, when ok */
    uint32_t readable_dropped;
    cors_span readable[CORS_REPORT_READABLE]; /* lowercase, byte-sorted, unique */
    uint32_t text_length;            /* bytes of text in use */
    uint32_t text_truncated;         /* 1 when some text did not fit (messages cut short) */
    char text[CORS_REPORT_TEXT];
} cors_report;

CORS_API void cors_report_init(cors_report *report);

/*
 * Evaluate a request against the responses a server gave, under a rule set.
 *
 * options:   NULL means rules browser without flags.
 * request:   required; its origin must parse (cors_origin_parse), else
 *            CORS_E_BAD_ORIGIN with the offset in the origin string.
 * preflight: the policy of the preflight (OPTIONS) response, or NULL.
 * response:  the policy of the actual response, or NULL.
 * report:    receives the verdict (reset on entry; struct_size must be set).
 * err:       optional.
 *
 * Returns CORS_OK when a verdict was reached: report->ok then says whether the
 * browser allows it. CORS_E_REPORT_FULL when the method or an
 * Access-Control-Request-* value is longer than the report's text holds: no
 * part of the answer is then cut short or wrong. A readable name that does not
 * fit is left out and counted in readable_dropped. When the browser needs a response that was not given,
 * returns CORS_E_NEED_PREFLIGHT or CORS_E_NEED_RESPONSE; the report then holds
 * everything decided before that point (preflight, acr_* values, findings).
 * When the actual response is a redirect (301, 302, 303, 307, 308 with a
 * non-empty Location) that passes the CORS check, the browser follows it:
 * returns CORS_E_FOLLOWS_REDIRECT, with a finding naming the Location, and the
 * caller evaluates the response of that URL. A redirect to a URL with
 * credentials, to an invalid URL or to a non-HTTP(S) scheme is a verdict
 * (failed_at response). A relative Location is resolved against an https URL.
 * Under rules galxe only the preflight is required.
 * Allocates nothing; reads the inputs, writes only *report and *err.
 */
CORS_API int32_t cors_evaluate(const cors_options *options, const cors_request *request,
                               const cors_policy *preflight, const cors_policy *response,
                               cors_report *report, cors_error *err);

/* ------------------------------------------------------------------------ */
/* Layout checks for bindings                                                */
/* ------------------------------------------------------------------------ */

/* sizeof of each public struct, so FFI bindings can check their mirrors. */
CORS_API size_t cors_sizeof_error(void);
CORS_API size_t cors_sizeof_str(void);
CORS_API size_t cors_sizeof_header(void);
CORS_API size_t cors_sizeof_response(void);
CORS_API size_t cors_sizeof_origin(void);
CORS_API size_t cors_sizeof_field(void);
CORS_API size_t cors_sizeof_policy(void);
CORS_API size_t cors_sizeof_request(void);
CORS_API size_t cors_sizeof_options(void);
CORS_API size_t cors_sizeof_finding(void);
CORS_API size_t cors_sizeof_report(void);

/* The limits above as functions, for bindings that cannot read macros. */
CORS_API size_t cors_max_line(void);                /* CORS_MAX_LINE */
CORS_API size_t cors_max_heads(void);               /* CORS_MAX_HEADS */
CORS_API size_t cors_max_request_headers(void);     /* CORS_MAX_REQUEST_HEADERS */
CORS_API size_t cors_report_findings_capacity(void); /* CORS_REPORT_FINDINGS */
CORS_API size_t cors_report_readable_capacity(void); /* CORS_REPORT_READABLE */
CORS_API size_t cors_report_text_capacity(void);    /* CORS_REPORT_TEXT */

#ifdef __cplusplus
}
#endif

#endif /* CORS_H */
