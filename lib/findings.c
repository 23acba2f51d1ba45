/* SPDX-License-Identifier: MIT */
/* findings.c - the catalogue of findings: for every code its stable name,
 * default severity, the header it concerns, its message variants and the fix
 * each variant proposes. Rules add a finding with one call, cors__finding();
 * the text lives here, never in the rule. Codes are append-only. */
#include "internal.h"

#include <string.h>

typedef struct message_variant {
    const char *message;   /* % directives: see cors__report_vformat */
    int32_t fix;
    cors__tok header;      /* when it differs from the finding's */
} message_variant;

typedef struct finding_spec {
    const char *name;
    int32_t severity;
    cors__tok header;      /* the header concerned, TOK_UNKNOWN for none */
    message_variant v[4];          /* arguments: every variant takes a prefix of the same list */
} finding_spec;

#define ERR CORS_SEVERITY_ERROR
#define WARN CORS_SEVERITY_WARNING
#define INFO CORS_SEVERITY_INFO
#define RESERVED(n) {n, INFO, TOK_UNKNOWN, {{NULL, FIX_NONE, TOK_UNKNOWN}}}
#define ACAO_WHY " Echo the exact origin instead."

static const finding_spec specs[] = {
    [0] = RESERVED("unknown"),
    /* args: none */
    [CORS_FINDING_ALLOW_ORIGIN_MISSING] = {"allow-origin-missing", ERR, TOK_ACAO, {
        {"The %W has no Access-Control-Allow-Origin header, so the browser refuses it to every cross-origin page.",
         FIX_ALLOW_ORIGIN, 0}}},
    /* args: none */
    [CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS] = {"allow-origin-wildcard-with-credentials", ERR, TOK_ACAO, {
        {"The %W allows any origin with '*', but the request carries credentials (credentials: 'include'), and "
         "'*' is refused for credentialed requests." ACAO_WHY, FIX_ALLOW_ORIGIN, 0}}},
    /* args: int lines */
    [CORS_FINDING_ALLOW_ORIGIN_MULTIPLE] = {"allow-origin-multiple", ERR, TOK_ACAO, {
        {"The %W has %d Access-Control-Allow-Origin lines; the browser joins them into one value, which can never "
         "equal an origin. Send exactly one.", FIX_ALLOW_ORIGIN, 0},
        {"The %W's Access-Control-Allow-Origin holds several values; only one origin (or '*') is allowed.",
         FIX_ALLOW_ORIGIN, 0}}},
    [CORS_FINDING_ALLOW_ORIGIN_INVALID] = {"allow-origin-invalid", ERR, TOK_ACAO, {
        {"The %W's Access-Control-Allow-Origin is not a valid origin: it must be '*' or scheme://host[:port].",
         FIX_ALLOW_ORIGIN, 0}}},
    [CORS_FINDING_ALLOW_ORIGIN_MISMATCH] = {"allow-origin-mismatch", ERR, TOK_ACAO, {
        {"The %W's Access-Control-Allow-Origin is not byte for byte the page's origin: no trailing slash, path, "
         "uppercase, default port or pattern is allowed.", FIX_ALLOW_ORIGIN, 0},
        {"The %W allows the origin 'null', which only matches opaque origins (sandboxed frames, data: URLs), never "
         "a real page; allowing it is also unsafe.", FIX_ALLOW_ORIGIN, 0},
        {"An earlier redirect went to another origin, so the browser sent this request with 'Origin: null', and the "
         "%W's Access-Control-Allow-Origin must be 'null' (or '*' without credentials); no other value passes.",
         FIX_ALLOW_ORIGIN, 0}}},
    [CORS_FINDING_ALLOW_CREDENTIALS_INVALID] = {"allow-credentials-invalid", ERR, TOK_ACAC, {
        {"The request carries credentials but the %W has no Access-Control-Allow-Credentials header; it must be "
         "exactly 'true'.", FIX_CREDENTIALS, 0},
        {"The request carries credentials and the %W's Access-Control-Allow-Credentials must be exactly 'true' "
         "(lowercase, one line).", FIX_CREDENTIALS, 0}}},
    /* args: int status, cors_str location */
    [CORS_FINDING_PREFLIGHT_STATUS] = {"preflight-status", ERR, TOK_UNKNOWN, {
        {"The preflight (OPTIONS) response has status %d; it must be 2xx (200-299). Make the server answer OPTIONS "
         "itself, before authentication and routing.", FIX_STATUS_204, 0},
        {"Galxe's OPTIONS probe was answered with a redirect (%d) to %S; neither Galxe nor a browser follows it. "
         "Answer OPTIONS at this very URL with 2xx.", FIX_STATUS_204, 0},
        {"Galxe's OPTIONS probe got status %d; it needs a 2xx answer (the document shows 204 No Content). Answer "
         "OPTIONS before authentication and routing.", FIX_STATUS_204, 0}}},
    /* args: int status */
    [CORS_FINDING_PREFLIGHT_REDIRECT] = {"preflight-redirect", ERR, TOK_LOCATION, {
        {"The preflight (OPTIONS) was answered with a redirect (%d); browsers never follow redirects for "
         "preflights. Answer OPTIONS at this very URL (check for http->https or trailing-slash redirects).",
         FIX_STATUS_204, 0}}},
    /* args: cors_str bad element */
    [CORS_FINDING_ALLOW_METHODS_INVALID] = {"allow-methods-invalid", ERR, TOK_ACAM, {
        {"Access-Control-Allow-Methods must be a comma-separated list of tokens; '%S' is not one, and one bad "
         "element makes the browser reject the whole header.", FIX_METHODS_VALID, 0},
        {"Access-Control-Allow-Methods must be a comma-separated list of methods; '%S' is not one.",
         FIX_METHODS_GALXE, 0}}},
    /* args: cors_str bad element */
    [CORS_FINDING_ALLOW_HEADERS_INVALID] = {"allow-headers-invalid", ERR, TOK_ACAH, {
        {"Access-Control-Allow-Headers must be a comma-separated list of tokens; '%S' is not one, and one bad "
         "element makes the browser reject the whole header.", FIX_HEADERS_VALID, 0},
        {"Galxe passes, but a browser rejects this preflight: Access-Control-Allow-Headers holds '%S', which is "
         "not a header name.", FIX_HEADERS_CONTENT_TYPE, 0}}},
    /* args: cors_str method, cors_str method */
    [CORS_FINDING_METHOD_NOT_ALLOWED] = {"method-not-allowed", ERR, TOK_ACAM, {
        {"Method %S is not allowed by Access-Control-Allow-Methods: with credentials '*' is not a wildcard, only a "
         "method literally named '*'. List %S explicitly.", FIX_METHODS_ADD, 0},
        {"Method %S is not allowed by Access-Control-Allow-Methods: methods compare case-sensitively, and the page "
         "sends '%S' exactly.", FIX_METHODS_ADD, 0},
        {"Method %S is not allowed by Access-Control-Allow-Methods in the preflight response.", FIX_METHODS_ADD, 0}}},
    /* args: cors_str header name */
    [CORS_FINDING_HEADER_NOT_ALLOWED] = {"header-not-allowed", ERR, TOK_ACAH, {
        {"Request header %L is not allowed by Access-Control-Allow-Headers: with credentials '*' is not a "
         "wildcard. List the header explicitly.", FIX_HEADERS_ADD, 0},
        {"Request header authorization is not covered by '*' in Access-Control-Allow-Headers (Fetch standard: "
         "Authorization must be listed explicitly).", FIX_HEADERS_ADD, 0},
        {"Request header %L is not allowed by Access-Control-Allow-Headers in the preflight response.",
         FIX_HEADERS_ADD, 0}}},
    [CORS_FINDING_VARY_ORIGIN_MISSING] = {"vary-origin-missing", WARN, TOK_VARY, {
        {"The response names one origin in Access-Control-Allow-Origin but does not send 'Vary: Origin', so a "
         "shared cache may hand this answer to another origin, which the browser then refuses.", FIX_VARY, 0},
        {"The response reflects the caller's origin but its Vary does not name Origin, so a shared cache can hand "
         "one origin's answer (and its Access-Control-Allow-Origin) to another.", FIX_VARY, 0}}},
    [CORS_FINDING_REQUEST_METHOD_FORBIDDEN] = {"request-method-forbidden", ERR, TOK_UNKNOWN, {
        {"fetch() throws a TypeError before sending: CONNECT, TRACE and TRACK are forbidden methods.", FIX_NONE, 0}}},
    [CORS_FINDING_REQUEST_METHOD_INVALID] = {"request-method-invalid", ERR, TOK_UNKNOWN, {
        {"fetch() throws a TypeError before sending: the method is not an HTTP token.", FIX_NONE, 0}}},
    [CORS_FINDING_REQUEST_HEADER_NAME_INVALID] = {"request-header-name-invalid", ERR, TOK_UNKNOWN, {
        {"fetch() throws a TypeError before sending: a header name must be an HTTP token.", FIX_NONE, 0}}},
    [CORS_FINDING_REQUEST_HEADER_VALUE_INVALID] = {"request-header-value-invalid", ERR, TOK_UNKNOWN, {
        {"fetch() throws a TypeError before sending: a header value may not hold NUL, CR or LF.", FIX_NONE, 0}}},
    /* args: cors_str header name */
    [CORS_FINDING_REQUEST_HEADER_DROPPED] = {"request-header-dropped", INFO, TOK_UNKNOWN, {
        {"The browser silently drops the forbidden request header %S: the page cannot set it.", FIX_NONE, 0}}},
    [CORS_FINDING_WILDCARD_COVERS_AUTHORIZATION] = {"wildcard-covers-authorization", WARN, TOK_ACAH, {
        {"Chromium lets '*' in Access-Control-Allow-Headers cover Authorization; the Fetch standard, Firefox and "
         "Safari do not, and refuse the request. List Authorization explicitly.", FIX_HEADERS_ADD_AUTHORIZATION,
         0}}},
    /* args: cors_str header name */
    [CORS_FINDING_CHROMIUM_ONLY_SAFELISTED] = {"chromium-only-safelisted-header", WARN, TOK_UNKNOWN, {
        {"Chromium treats %S as CORS-safelisted and sends no preflight for it; the Fetch standard, Firefox and "
         "Safari do not: list it in Access-Control-Allow-Headers for them.", FIX_NONE, 0}}},
    /* args: int lines, cors_str header name */
    [CORS_FINDING_REQUEST_HEADERS_COMBINED] = {"request-headers-combined", WARN, TOK_UNKNOWN, {
        {"Chromium joins the %d %S headers into one value with \", \", which is no longer CORS-safelisted, so it "
         "sends a preflight; the Fetch standard, Firefox and Safari check each value on its own and send none.",
         FIX_NONE, 0}}},
    [CORS_FINDING_MAX_AGE_INVALID] = {"max-age-invalid", WARN, TOK_ACMA, {
        {"Access-Control-Max-Age must be one line of digits; the browser falls back to 5 seconds (Firefox does not "
         "cache the preflight at all).", FIX_MAX_AGE, 0}}},
    [CORS_FINDING_MAX_AGE_NEGATIVE] = {"max-age-negative", WARN, TOK_ACMA, {
        {"A negative Access-Control-Max-Age makes Chromium preflight every request; the Fetch standard would use 5 "
         "seconds.", FIX_MAX_AGE, 0}}},
    [CORS_FINDING_MAX_AGE_CAPPED] = {"max-age-capped", INFO, TOK_ACMA, {
        {"Chromium caches a preflight for at most 7200 seconds (Firefox 86400); longer values are cut to that.",
         FIX_MAX_AGE, 0}}},
    [CORS_FINDING_MAX_AGE_MISSING] = {"max-age-missing", WARN, TOK_ACMA, {
        {"The preflight has no Access-Control-Max-Age, so browsers repeat it after 5 seconds. Chromium caches up "
         "to 7200 seconds, Firefox up to 86400.", FIX_MAX_AGE, 0}}},
    /* args: cors_str bad element */
    [CORS_FINDING_EXPOSE_HEADERS_INVALID] = {"expose-headers-invalid", WARN, TOK_ACEH, {
        {"Access-Control-Expose-Headers must be a comma-separated list of header names; '%S' is not one, so the "
         "browser exposes none of them.", FIX_EXPOSE_VALID, 0}}},
    [CORS_FINDING_EXPOSE_WILDCARD_CREDENTIALS] = {"expose-headers-wildcard-with-credentials", WARN, TOK_ACEH, {
        {"With credentials '*' in Access-Control-Expose-Headers exposes only a header literally named '*'. List "
         "the header names explicitly.", FIX_NONE, 0}}},
    [CORS_FINDING_EXPOSE_HEADERS_MISSING] = {"expose-headers-missing", WARN, TOK_ACEH, {
        {"No Access-Control-Expose-Headers: script can read only the CORS-safelisted response headers "
         "(Content-Type, Content-Length, Cache-Control, ...). Name the others it needs, such as rate-limit or "
         "request-id headers.", FIX_EXPOSE_EXAMPLE, 0}}},
    [CORS_FINDING_EXPOSE_SET_COOKIE] = {"expose-headers-set-cookie", INFO, TOK_ACEH, {
        {"Set-Cookie is never readable by script, whatever Access-Control-Expose-Headers says.", FIX_NONE, 0}}},
    [CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS] = RESERVED("wildcard-literal-with-credentials"),
    [CORS_FINDING_GALXE_STATUS_200] = {"galxe-preflight-status-200", INFO, TOK_UNKNOWN, {
        {"The preflight answered 200; Galxe's document shows 204 No Content. Any 2xx passes.", FIX_NONE, 0}}},
    /* args: cors_str method, cors_str method */
    [CORS_FINDING_GALXE_ALLOW_METHODS] = {"galxe-allow-methods", ERR, TOK_ACAM, {
        {"Galxe requires Access-Control-Allow-Methods to list %S, and the preflight has no such header. A browser "
         "would still pass a plain %S (a CORS-safelisted method), but Galxe's check fails.", FIX_METHODS_GALXE, 0},
        {"Access-Control-Allow-Methods lists %S in another case; methods compare case-sensitively. Galxe's check "
         "fails (a browser would pass a plain %S).", FIX_METHODS_GALXE, 0},
        {"Access-Control-Allow-Methods does not list %S, so Galxe's check fails (a browser would still pass a plain "
         "GET or POST).", FIX_METHODS_GALXE, 0},
        {"Access-Control-Allow-Methods does not list %S, so Galxe's check fails.", FIX_METHODS_GALXE, 0}}},
    [CORS_FINDING_GALXE_CONTENT_TYPE] = {"galxe-content-type-not-allowed", WARN, TOK_ACAH, {
        {"Galxe passes, but Access-Control-Allow-Headers does not allow Content-Type, so a browser refuses "
         "requests with a JSON body (Content-Type: application/json) with HeaderDisallowedByPreflightResponse.",
         FIX_HEADERS_CONTENT_TYPE, 0}}},
    /* args: cors_str origin */
    [CORS_FINDING_GALXE_RESPONSE_ALLOW_ORIGIN] = {"galxe-response-allow-origin", WARN, TOK_ACAO, {
        {"Galxe checks only the preflight, but the actual response has no Access-Control-Allow-Origin: a browser "
         "reading it fails with MissingAllowOriginHeader.", FIX_ALLOW_ORIGIN_ONLY, 0},
        {"Galxe checks only the preflight, but the actual response's Access-Control-Allow-Origin is neither '*' "
         "nor %S: a browser reading it fails.", FIX_ALLOW_ORIGIN_ONLY, 0}}},
    [CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED] = RESERVED("reflect-origin-not-echoed"),
    [CORS_FINDING_REFLECT_CREDENTIALS] = RESERVED("reflect-credentials-missing"),
    [CORS_FINDING_REFLECT_WILDCARD_LIST] = {"reflect-wildcard-list", WARN, TOK_ACAM, {
        {"Access-Control-Allow-Methods holds '*', which is no wildcard for credentialed requests: list every method "
         "explicitly.", FIX_NONE, TOK_ACAM},
        {"Access-Control-Allow-Headers holds '*', which is no wildcard for credentialed requests: list every "
         "header explicitly.", FIX_NONE, TOK_ACAH}}},
    [CORS_FINDING_CREDENTIALS_NOT_FOR_API_KEYS] = {"credentials-not-for-api-keys", INFO, TOK_ACAC, {
        {"Access-Control-Allow-Credentials matters only for cookies, HTTP authentication and TLS client "
         "certificates. An API key sent in a header such as x-api-key is not a credential in this sense: it needs "
         "Access-Control-Allow-Headers, not credentials.", FIX_NONE, 0}}},
    [CORS_FINDING_PREFLIGHT_NOT_NEEDED] = RESERVED("preflight-not-needed"),
    [CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS] = {"redirect-contains-credentials", ERR, TOK_LOCATION, {
        {"The response redirects a cross-origin request to a URL with a user name or password, which the browser "
         "refuses. Redirect without credentials in the URL.", FIX_NONE, 0}}},
    /* args: cors_str scheme */
    [CORS_FINDING_REDIRECT_UNSAFE] = {"redirect-unsafe", ERR, TOK_LOCATION, {
        {"The response redirects to a %S: URL; the browser refuses to follow it (net::ERR_UNSAFE_REDIRECT).",
         FIX_NONE, 0}}},
    [CORS_FINDING_REDIRECT_FOLLOWED] = {"redirect-followed", INFO, TOK_LOCATION, {
        {"The redirect passes the CORS check and the browser follows it to its Location; what the page gets is "
         "the response of that URL (after a redirect to another origin, sent with Origin: null).", FIX_NONE, 0}}},
    [CORS_FINDING_REDIRECT_INVALID] = {"redirect-invalid", ERR, TOK_LOCATION, {
        {"The redirect's Location is not a valid URL; the browser refuses it (net::ERR_INVALID_REDIRECT).",
         FIX_NONE, 0}}},
    [CORS_FINDING_REDIRECT_MULTIPLE_LOCATION] = {"redirect-multiple-location", ERR, TOK_LOCATION, {
        {"The redirect has several different Location lines; the browser refuses it "
         "(net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION). Send one.", FIX_NONE, 0},
        {"The %W has several different Location lines; Chromium refuses it whatever the status "
         "(net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION). Send one.", FIX_NONE, 0}}},
    /* args: cors_str scheme */
    [CORS_FINDING_REDIRECT_SCHEME] = {"redirect-scheme-not-http", ERR, TOK_LOCATION, {
        {"The response redirects to a %S: URL; cross-origin requests work only over http and https.", FIX_NONE,
         0}}},
    [CORS_FINDING_HEAD_INVALID] = {"head-invalid", ERR, TOK_UNKNOWN, {
        {"The %W holds a NUL byte in its head; Chromium refuses it before any CORS rule "
         "(net::ERR_INVALID_HTTP_RESPONSE). Find what writes the NUL into the header.", FIX_NONE, 0},
        {"The %W has an interim (1xx) head and then no status line; Chromium refuses it "
         "(net::ERR_INVALID_HTTP_RESPONSE).", FIX_NONE, 0}}},
    [CORS_FINDING_CONTENT_LENGTH_MULTIPLE] = {"content-length-multiple", ERR, TOK_CONTENT_LENGTH, {
        {"The %W has Content-Length values that differ; Chromium refuses it as response splitting "
         "(net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH). Send one Content-Length.", FIX_NONE, 0}}},
    [CORS_FINDING_CONTENT_DISPOSITION_MULTIPLE] = {"content-disposition-multiple", ERR, TOK_CONTENT_DISPOSITION, {
        {"The %W has Content-Disposition values that differ (an unquoted comma splits a value); Chromium refuses "
         "it (net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION). Quote the file name.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_TOO_BIG] = {"head-too-big", ERR, TOK_UNKNOWN, {
        {"The %W's head is longer than 256 KiB; Chromium refuses it (net::ERR_RESPONSE_HEADERS_TOO_BIG).",
         FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_TRUNCATED] = {"head-truncated", ERR, TOK_UNKNOWN, {
        {"The %W ends inside its head (no empty line after the headers): Chromium fails such a response "
         "(net::ERR_RESPONSE_HEADERS_TRUNCATED). If this is a capture, curl may not have finished: capture it "
         "again.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_EMPTY] = {"head-empty", ERR, TOK_UNKNOWN, {
        {"The %W is empty: Chromium fails it (net::ERR_EMPTY_RESPONSE). If this is a capture, curl got no "
         "answer: check the URL and that the server is up.", FIX_NONE, 0}}},
    [CORS_FINDING_HTTP09_METHOD] = {"http09-method-not-supported", ERR, TOK_UNKNOWN, {
        {"The response has no status line (HTTP/0.9), which Chromium refuses for a PUT "
         "(net::ERR_METHOD_NOT_SUPPORTED).", FIX_STATUS_204, 0}}},
    [CORS_FINDING_CONTENT_ENCODING_INVALID] = {"content-encoding-invalid", ERR, TOK_CONTENT_ENCODING, {
        {"The %W's Content-Encoding is malformed (quotes, parameters, '*' or spaces inside a coding); Chromium "
         "refuses it (net::ERR_CONTENT_DECODING_FAILED).", FIX_NONE, 0}}},
    /* repairs: args int64_t line (variant V0; V1 when the line is unknown) */
    [CORS_FINDING_HEAD_STATUS_LINE_SLOP] = {"head-status-line-slop", WARN, TOK_UNKNOWN, {
        {"Line %D: bytes before 'HTTP' at the start of the %W; Chromium skips up to four of them.", FIX_NONE, 0},
        {"Bytes before 'HTTP' at the start of the %W; Chromium skips up to four of them.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_HTTP_VERSION] = {"head-http-version", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W's status line does not start with HTTP/1.0 or HTTP/1.1; Chromium reads the version "
         "leniently.", FIX_STATUS_204, 0},
        {"The %W's status line does not start with HTTP/1.0 or HTTP/1.1; Chromium reads the version leniently.",
         FIX_STATUS_204, 0}}},
    [CORS_FINDING_HEAD_STATUS_CODE_MISSING] = {"head-status-code-missing", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W's status line has no status code; Chromium assumes 200.", FIX_STATUS_204, 0},
        {"The %W's status line has no status code; Chromium assumes 200.", FIX_STATUS_204, 0}}},
    [CORS_FINDING_HEAD_STATUS_CODE_MALFORMED] = {"head-status-code-malformed", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W's status code is not three digits after one space; Chromium reads the digits it "
         "finds.", FIX_STATUS_204, 0},
        {"The %W's status code is not three digits after one space; Chromium reads the digits it finds.",
         FIX_STATUS_204, 0}}},
    [CORS_FINDING_HEAD_STATUS_CODE_RANGE] = {"head-status-code-out-of-range", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W's status code is outside 100-599; Chromium keeps it (fetch() shows it modulo 65536).",
         FIX_NONE, 0},
        {"The %W's status code is outside 100-599; Chromium keeps it (fetch() shows it modulo 65536).", FIX_NONE,
         0}}},
    [CORS_FINDING_HEAD_HTTP09] = {"head-http09", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W has no status line; Chromium reads it as HTTP/0.9: status 200, no headers, every byte "
         "body.", FIX_NONE, 0},
        {"The %W has no status line; Chromium reads it as HTTP/0.9: status 200, no headers, every byte body.",
         FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_OBS_FOLD] = {"head-obs-fold", WARN, TOK_UNKNOWN, {
        {"Line %D: a line of the %W starts with whitespace; Chromium joins it to the previous header's value "
         "with one space (obsolete line folding).", FIX_NONE, 0},
        {"A line of the %W starts with whitespace; Chromium joins it to the previous header's value with one "
         "space (obsolete line folding).", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_LINE_SKIPPED] = {"head-line-skipped", WARN, TOK_UNKNOWN, {
        {"Line %D: a line of the %W is no header (no colon, or the name is empty or not a token); Chromium "
         "ignores it.", FIX_NONE, 0},
        {"A line of the %W is no header (no colon, or the name is empty or not a token); Chromium ignores it.",
         FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_SPACE_BEFORE_COLON] = {"head-space-before-colon", WARN, TOK_UNKNOWN, {
        {"Line %D: whitespace between a header name and its colon in the %W; Chromium removes it.", FIX_NONE, 0},
        {"Whitespace between a header name and its colon in the %W; Chromium removes it.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_BARE_CR] = {"head-bare-cr", WARN, TOK_UNKNOWN, {
        {"Line %D: a CR not followed by LF in the %W; Chromium ends the line there.", FIX_NONE, 0},
        {"A CR not followed by LF in the %W; Chromium ends the line there.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_BARE_LF] = {"head-bare-lf", WARN, TOK_UNKNOWN, {
        {"Line %D: the %W ends lines with LF alone; Chromium accepts it, HTTP wants CRLF.", FIX_NONE, 0},
        {"The %W ends lines with LF alone; Chromium accepts it, HTTP wants CRLF.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_101_SKIPPED] = {"head-101-skipped", WARN, TOK_UNKNOWN, {
        {"Line %D: a 101 head in the %W, with no upgrade asked for; Chromium skips it as an interim head.",
         FIX_NONE, 0},
        {"A 101 head in the %W, with no upgrade asked for; Chromium skips it as an interim head.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_REPEATED_CONTENT_LENGTH] = {"head-repeated-content-length", WARN, TOK_CONTENT_LENGTH, {
        {"The %W repeats one Content-Length value; Chromium accepts it, but a different one would fail the fetch.",
         FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_REPEATED_CONTENT_DISPOSITION] = {"head-repeated-content-disposition", WARN,
                                                        TOK_CONTENT_DISPOSITION, {
        {"The %W repeats one Content-Disposition value; Chromium accepts it, but a different one would fail the "
         "fetch.", FIX_NONE, 0}}},
    [CORS_FINDING_HEAD_REPEATED_LOCATION] = {"head-repeated-location", WARN, TOK_LOCATION, {
        {"The %W repeats one Location value; Chromium accepts it, but a different one would fail the fetch.",
         FIX_NONE, 0}}},
    [CORS_FINDING_REDIRECT_TOO_MANY] = {"redirect-too-many", ERR, TOK_LOCATION, {
        {"The chain reaches a 21st redirect; the browser follows at most 20 (net::ERR_TOO_MANY_REDIRECTS).",
         FIX_NONE, 0}}},
    /* args: cors_str location */
    [CORS_FINDING_REDIRECT_TAINTED] = {"redirect-tainted-origin", INFO, TOK_LOCATION, {
        {"This redirect goes to another origin, so from the next request on the browser sends 'Origin: null' "
         "and every later response must allow the origin 'null' (or '*' without credentials).", FIX_NONE, 0}}},
    /* args: cors_str url */
    [CORS_FINDING_MIXED_CONTENT] = {"mixed-content", ERR, TOK_UNKNOWN, {
        {"The page is served over https and the URL '%S' is plain http, so the browser blocks the fetch as mixed "
         "content before it is sent. Serve the API over https.", FIX_NONE, 0},
        {"The %W redirects an https page's fetch to the plain http URL '%S', which the browser blocks as mixed "
         "content. Redirect to an https URL.", FIX_NONE, TOK_LOCATION}}},
    /* args: none */
    [CORS_FINDING_URL_CREDENTIALS] = {"url-credentials", ERR, TOK_UNKNOWN, {
        {"The URL has a user name or password (user:password@host), and fetch() throws for such a URL before "
         "sending anything. Send credentials in a header instead.", FIX_NONE, 0},
        {"The %W redirects to a URL with a user name or password; Chromium cancels such a redirect even on the "
         "page's own origin (the Fetch standard would follow it). Redirect without credentials in the URL.",
         FIX_NONE, TOK_LOCATION}}},
};

#define FINDING_COUNT ((int32_t)CORS__COUNT(specs) - 1)
_Static_assert(CORS__COUNT(specs) == CORS_FINDING_URL_CREDENTIALS + 1, "every finding code has a catalogue entry");
_Static_assert(CORS_FINDING_HEAD_REPEATED_LOCATION - CORS_FINDING_HEAD_STATUS_LINE_SLOP + 1 == REPAIR_KINDS,
               "one finding per repair, in bit order");

const char *cors_finding_name(int32_t code)
{
    if (code < 1 || code > FINDING_COUNT)
        return "unknown";
    return specs[code].name;
}

int32_t cors_finding_count(void)
{
    return FINDING_COUNT;
}

static const char *where(int32_t stage)
{
    return stage == CORS_STAGE_PREFLIGHT ? "preflight (OPTIONS) response" : "response";
}

static void vfinding(const cors__eval *ev, cors_report *r, int32_t code, int32_t severity, int variant,
                     int32_t stage, cors_str value, va_list ap)
{
    const finding_spec *spec = &specs[code];
    const message_variant *v = &spec->v[variant];
    cors__tok header = v->header != TOK_UNKNOWN ? v->header : spec->header;
    size_t index = r->finding_count++;
    cors_finding f;

    memset(&f, 0, sizeof(f));
    f.code = code;
    f.severity = severity;
    f.stage = stage;
    f.hop = stage == CORS_STAGE_REQUEST ? 0 : ev->hop;
    /* Past the lent array the text is still counted, so a second call with
     * the counts as capacities gets everything. */
    if (header != TOK_UNKNOWN)
        f.header = cors__report_put(r, cors__token_name(header));
    if (value.ptr == NULL && value.len == 1) /* VALUE_JOINED */
        f.value = cors__fixes_joined(ev, r, header, stage);
    else if (value.len > 0)
        f.value = cors__report_put(r, value);
    f.message = cors__report_vformat(r, v->message, where(stage), ap);
    if (v->fix != FIX_NONE) {
        size_t start = r->text_length;
        cors__fixes_write(ev, r, v->fix, stage);
        f.fix = cors__report_since(r, start);
    }
    if (index < r->findings_capacity)
        r->findings[index] = f;
}

void cors__finding(const cors__eval *ev, cors_report *r, int32_t code, int variant, int32_t stage, cors_str value,
                   ...)
{
    va_list ap;
    va_start(ap, value);
    vfinding(ev, r, code, specs[code].severity, variant, stage, value, ap);
    va_end(ap);
}

void cors__finding_as(const cors__eval *ev, cors_report *r, int32_t code, int32_t severity, int variant,
                      int32_t stage, cors_str value, ...)
{
    va_list ap;
    va_start(ap, value);
    vfinding(ev, r, code, severity, variant, stage, value, ap);
    va_end(ap);
}
