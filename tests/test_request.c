/*
 * test_request.c - lib/request.c and lib/safelist.c: what fetch() does with the
 * page's method and headers before any server answers. One table row per
 * case, run through cors_evaluate without responses: the status says whether
 * the browser sends a preflight (CORS_E_NEED_PREFLIGHT) or goes straight to the
 * actual request (CORS_E_NEED_RESPONSE), or fetch() throws (CORS_OK with
 * failed_at request). Then the cors__ predicates of internal.h one by one.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

/* Long values, built by the preprocessor. */
#define A4 "aaaa"
#define A16 A4 A4 A4 A4
#define A64 A16 A16 A16 A16
#define A100 A64 A16 A16 A4
#define A128 A64 A64
#define A129 A128 "a"
#define D16 "1111111111111111"
#define D128 D16 D16 D16 D16 D16 D16 D16 D16
#define L125 A64 A16 A16 A16 "aaaaaaaaaaaaa"
#define L126 L125 "a"
#define CT129 "text/plain;" A64 A16 A16 A16 "aaaaaa"
_Static_assert(sizeof(A100) == 101 && sizeof(A128) == 129 && sizeof(A129) == 130 && sizeof(D128) == 129, "lengths");
_Static_assert(sizeof(L125) == 126 && sizeof(L126) == 127 && sizeof(CT129) == 130, "lengths");

enum { SIMPLE, PREFLIGHT, THROWS };

typedef struct req_header {
    const char *name;
    const char *value;
    size_t value_len; /* 0: strlen(value) */
} req_header;

typedef struct row {
    const char *label;
    int strict;
    const char *method;
    req_header headers[10];
    int outcome;
    const char *norm;        /* method after normalization (= Access-Control-Request-Method) */
    const char *acr_headers; /* Access-Control-Request-Headers, NULL when not sent */
    int32_t kind;            /* THROWS: the error kind */
    int32_t finding;         /* a finding the report must hold, 0 for none */
} row;

#define H1(n, v) {{n, v, 0}}

static const row rows[] = {
    /* R1.1 method normalization, R2.1 safelisted methods */
    {"empty method is GET", 0, "", {{0}}, SIMPLE, "GET", NULL, 0, 0},
    {"GET", 0, "GET", {{0}}, SIMPLE, "GET", NULL, 0, 0},
    {"get normalized", 0, "get", {{0}}, SIMPLE, "GET", NULL, 0, 0},
    {"Get normalized", 0, "Get", {{0}}, SIMPLE, "GET", NULL, 0, 0},
    {"head normalized", 0, "head", {{0}}, SIMPLE, "HEAD", NULL, 0, 0},
    {"pOsT normalized", 0, "pOsT", {{0}}, SIMPLE, "POST", NULL, 0, 0},
    {"put normalized, preflighted", 0, "put", {{0}}, PREFLIGHT, "PUT", NULL, 0, 0},
    {"delete normalized", 0, "delete", {{0}}, PREFLIGHT, "DELETE", NULL, 0, 0},
    {"options normalized", 0, "options", {{0}}, PREFLIGHT, "OPTIONS", NULL, 0, 0},
    {"patch keeps its case", 0, "patch", {{0}}, PREFLIGHT, "patch", NULL, 0, 0},
    {"Patch keeps its case", 0, "Patch", {{0}}, PREFLIGHT, "Patch", NULL, 0, 0},
    {"PATCH", 0, "PATCH", {{0}}, PREFLIGHT, "PATCH", NULL, 0, 0},
    {"CHICKEN", 0, "CHICKEN", {{0}}, PREFLIGHT, "CHICKEN", NULL, 0, 0},
    {"* is a token", 0, "*", {{0}}, PREFLIGHT, "*", NULL, 0, 0},
    {"M-SEARCH", 0, "M-SEARCH", {{0}}, PREFLIGHT, "M-SEARCH", NULL, 0, 0},
    /* R1.2 forbidden methods */
    {"CONNECT", 0, "CONNECT", {{0}}, THROWS, NULL, NULL, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN},
    {"connect", 0, "connect", {{0}}, THROWS, NULL, NULL, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN},
    {"Trace", 0, "Trace", {{0}}, THROWS, NULL, NULL, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN},
    {"TRACK strict", 1, "TRACK", {{0}}, THROWS, NULL, NULL, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN},
    {"method checked before headers", 0, "TRACE", H1("X Y", "1"), THROWS, NULL, NULL, CORS_KIND_FORBIDDEN_METHOD,
     CORS_FINDING_REQUEST_METHOD_FORBIDDEN},
    /* invalid methods */
    {"trailing space", 0, "GET ", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"leading space", 0, " GET", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"inner space", 0, "G T", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"control byte", 0, "GE\x01T", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"separator", 0, "(", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"non-ASCII", 0, "G\xc3\x89T", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    {"CRLF", 0, "GET\r\n", {{0}}, THROWS, NULL, NULL, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID},
    /* R1.3 header names and values */
    {"space in name", 0, "GET", H1("X Foo", "1"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_NAME,
     CORS_FINDING_REQUEST_HEADER_NAME_INVALID},
    {"empty name", 0, "GET", H1("", "1"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_NAME,
     CORS_FINDING_REQUEST_HEADER_NAME_INVALID},
    {"colon in name", 0, "GET", H1("X-Foo:", "1"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_NAME,
     CORS_FINDING_REQUEST_HEADER_NAME_INVALID},
    {"non-ASCII name", 0, "GET", H1("X-\xc3\xa9", "1"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_NAME,
     CORS_FINDING_REQUEST_HEADER_NAME_INVALID},
    {"bad name after a dropped one", 0, "GET", {{"Cookie", "a=b", 0}, {"X Y", "1", 0}}, THROWS, NULL, NULL,
     CORS_KIND_INVALID_HEADER_NAME, CORS_FINDING_REQUEST_HEADER_NAME_INVALID},
    {"NUL in value", 0, "GET", {{"X-A", "a\0b", 3}}, THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_VALUE,
     CORS_FINDING_REQUEST_HEADER_VALUE_INVALID},
    {"CR in value", 0, "GET", H1("X-A", "a\rb"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_VALUE,
     CORS_FINDING_REQUEST_HEADER_VALUE_INVALID},
    {"LF in value", 0, "GET", H1("Accept", "a\nb"), THROWS, NULL, NULL, CORS_KIND_INVALID_HEADER_VALUE,
     CORS_FINDING_REQUEST_HEADER_VALUE_INVALID},
    {"first bad header decides", 0, "GET", {{"X-A", "a\nb", 0}, {"X B", "c", 0}}, THROWS, NULL, NULL,
     CORS_KIND_INVALID_HEADER_VALUE, CORS_FINDING_REQUEST_HEADER_VALUE_INVALID},
    {"surrounding HTTP whitespace trimmed", 0, "POST", H1("Content-Type", "\r\n text/plain \t\r\n"), SIMPLE, "POST",
     NULL, 0, 0},
    {"empty value allowed", 0, "GET", H1("X-Empty", ""), PREFLIGHT, "GET", "x-empty", 0, 0},
    {"control byte kept", 0, "GET", H1("X-Ctl", "a\x01" "b"), PREFLIGHT, "GET", "x-ctl", 0, 0},
    /* R1.4 forbidden request headers are dropped */
    {"Cookie dropped", 0, "GET", H1("Cookie", "a=b"), SIMPLE, "GET", NULL, 0, CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"Host, Origin, Referer dropped", 0, "GET", {{"Host", "x", 0}, {"origin", "x", 0}, {"REFERER", "x", 0}}, SIMPLE,
     "GET", NULL, 0, CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"Content-Length, DNT, Via, TE dropped", 0, "GET",
     {{"Content-Length", "5", 0}, {"DNT", "1", 0}, {"Via", "x", 0}, {"TE", "trailers", 0}}, SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"ACRH set by the page dropped", 0, "GET", H1("Access-Control-Request-Headers", "x-a"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"Sec- prefix dropped", 0, "GET", H1("Sec-Fetch-Mode", "cors"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"Proxy- prefix dropped", 0, "GET", H1("Proxy-Authorization", "Basic x"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"User-Agent dropped in Chromium", 0, "GET", H1("User-Agent", "bot"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"User-Agent unsafe in strict", 1, "GET", H1("User-Agent", "bot"), PREFLIGHT, "GET", "user-agent", 0, 0},
    {"method override with TRACE dropped", 0, "GET", H1("X-HTTP-Method-Override", "TRACE"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"method override list with connect dropped", 0, "GET", H1("X-HTTP-Method", "GET, connect"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"X-Method-Override track dropped", 0, "GET", H1("X-Method-Override", " track "), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"method override with PUT is unsafe", 0, "GET", H1("X-HTTP-Method-Override", "PUT"), PREFLIGHT, "GET",
     "x-http-method-override", 0, 0},
    {"PUT with only a dropped header sends no ACRH", 0, "PUT", H1("Cookie", "a"), PREFLIGHT, "PUT", NULL, 0,
     CORS_FINDING_REQUEST_HEADER_DROPPED},
    /* R2.3 Content-Type */
    {"text/plain", 0, "POST", H1("Content-Type", "text/plain"), SIMPLE, "POST", NULL, 0, 0},
    {"TEXT/PLAIN", 0, "POST", H1("content-type", "TEXT/PLAIN"), SIMPLE, "POST", NULL, 0, 0},
    {"charset parameter", 0, "POST", H1("Content-Type", "text/plain;charset=utf-8"), SIMPLE, "POST", NULL, 0, 0},
    {"quoted charset has an unsafe byte", 0, "POST", H1("Content-Type", "text/plain;charset=\"UTF-8\""), PREFLIGHT,
     "POST", "content-type", 0, 0},
    {"whitespace before ;", 0, "POST", H1("Content-Type", "text/plain\t;charset=x"), SIMPLE, "POST", NULL, 0, 0},
    {"space before /", 0, "POST", H1("Content-Type", "text /plain"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"space after /", 0, "POST", H1("Content-Type", "text/ plain"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"trailing comma", 0, "POST", H1("Content-Type", "text/plain,"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"two types", 0, "POST", H1("Content-Type", "text/plain,text/plain"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"second slash", 0, "POST", H1("Content-Type", "text/plain/x"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"empty subtype", 0, "POST", H1("Content-Type", "text/"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"empty type", 0, "POST", H1("Content-Type", "/plain"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"empty Content-Type", 0, "POST", H1("Content-Type", ""), PREFLIGHT, "POST", "content-type", 0, 0},
    {"application/json", 0, "POST", H1("Content-Type", "application/json"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"*/*", 0, "POST", H1("Content-Type", "*/*"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"csp-report", 0, "POST", H1("Content-Type", "application/csp-report"), PREFLIGHT, "POST", "content-type", 0, 0},
    {"multipart with boundary", 0, "POST", H1("Content-Type", "multipart/form-data; boundary=----x"), SIMPLE, "POST",
     NULL, 0, 0},
    {"form urlencoded, mixed case", 0, "POST", H1("Content-Type", "Application/X-WWW-Form-URLEncoded;charset=UTF-8"),
     SIMPLE, "POST", NULL, 0, 0},
    {"garbage parameter", 0, "POST", H1("Content-Type", "text/plain;garbage"), SIMPLE, "POST", NULL, 0, 0},
    {"lone ;", 0, "POST", H1("Content-Type", "text/plain;"), SIMPLE, "POST", NULL, 0, 0},
    {"unsafe byte in a parameter", 0, "POST", H1("Content-Type", "text/plain; a=(b)"), PREFLIGHT, "POST",
     "content-type", 0, 0},
    /* R2.2/R2.3 Accept */
    {"Accept anything", 0, "GET", H1("Accept", "unicorn"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept bytes >= 0x80", 0, "GET", H1("Accept", "caf\xc3\xa9"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept list with q", 0, "GET", H1("Accept", "text/html, application/json;q=0.9"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept with a tab", 0, "GET", H1("Accept", "a\tb"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept with a quote", 0, "GET", H1("Accept", "a\"b"), PREFLIGHT, "GET", "accept", 0, 0},
    {"Accept with {", 0, "GET", H1("Accept", "{"), PREFLIGHT, "GET", "accept", 0, 0},
    {"Accept with DEL", 0, "GET", H1("Accept", "a\x7f"), PREFLIGHT, "GET", "accept", 0, 0},
    {"Accept with 0x01", 0, "GET", H1("Accept", "a\x01"), PREFLIGHT, "GET", "accept", 0, 0},
    /* Accept-Language, Content-Language */
    {"Accept-Language list", 0, "GET", H1("Accept-Language", "en-US,fr;q=0.5"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept-Language *", 0, "GET", H1("Accept-Language", "*"), SIMPLE, "GET", NULL, 0, 0},
    {"Accept-Language empty", 0, "GET", H1("Accept-Language", ""), SIMPLE, "GET", NULL, 0, 0},
    {"Accept-Language underscore", 0, "GET", H1("Accept-Language", "en_US"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Accept-Language slash", 0, "GET", H1("Accept-Language", "en/US"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Accept-Language colon", 0, "GET", H1("Accept-Language", "fr:FR"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Accept-Language @", 0, "GET", H1("Accept-Language", "@"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Accept-Language inner tab", 0, "GET", H1("Accept-Language", "en\tUS"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Accept-Language non-ASCII", 0, "GET", H1("Accept-Language", "\xc3\xa9"), PREFLIGHT, "GET", "accept-language", 0, 0},
    {"Content-Language", 0, "GET", H1("Content-Language", "de DE"), SIMPLE, "GET", NULL, 0, 0},
    {"Content-Language underscore", 0, "GET", H1("Content-Language", "de_DE"), PREFLIGHT, "GET", "content-language", 0, 0},
    /* Range */
    {"Range open", 0, "GET", H1("Range", "bytes=0-"), SIMPLE, "GET", NULL, 0, 0},
    {"Range closed", 0, "GET", H1("Range", "bytes=0-499"), SIMPLE, "GET", NULL, 0, 0},
    {"Range start = end", 0, "GET", H1("Range", "bytes=5-5"), SIMPLE, "GET", NULL, 0, 0},
    {"Range start > end", 0, "GET", H1("Range", "bytes=500-100"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range suffix", 0, "GET", H1("Range", "bytes=-500"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range Bytes=", 0, "GET", H1("Range", "Bytes=0-"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range list", 0, "GET", H1("Range", "bytes=0-1,5-6"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range space after =", 0, "GET", H1("Range", "bytes= 0-"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range space before -", 0, "GET", H1("Range", "bytes=0 -1"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range no numbers", 0, "GET", H1("Range", "bytes="), PREFLIGHT, "GET", "range", 0, 0},
    {"Range plus sign", 0, "GET", H1("Range", "bytes=+0-"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range INT64_MAX - 1", 0, "GET", H1("Range", "bytes=9223372036854775806-"), SIMPLE, "GET", NULL, 0, 0},
    {"Range INT64_MAX", 0, "GET", H1("Range", "bytes=9223372036854775807-"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range end INT64_MAX", 0, "GET", H1("Range", "bytes=0-9223372036854775807"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range over int64", 0, "GET", H1("Range", "bytes=99999999999999999999-"), PREFLIGHT, "GET", "range", 0, 0},
    {"Range over int64 strict", 1, "GET", H1("Range", "bytes=99999999999999999999-"), SIMPLE, "GET", NULL, 0, 0},
    /* the 128-byte limit */
    {"Accept 128 bytes", 0, "GET", H1("Accept", A128), SIMPLE, "GET", NULL, 0, 0},
    {"Accept 129 bytes", 0, "GET", H1("Accept", A129), PREFLIGHT, "GET", "accept", 0, 0},
    {"Content-Language 129 bytes", 0, "GET", H1("Content-Language", A129), PREFLIGHT, "GET", "content-language", 0, 0},
    {"Content-Type 129 bytes", 0, "POST", H1("Content-Type", CT129), PREFLIGHT, "POST", "content-type", 0, 0},
    {"Intervention 129 bytes", 0, "GET", H1("Intervention", A129), PREFLIGHT, "GET", "intervention", 0, 0},
    {"DPR 128 digits", 0, "GET", H1("DPR", D128), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    /* R2.4 Chromium-only safelisted names, and strict mode */
    {"DPR", 0, "GET", H1("DPR", "2.0"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"DPR strict", 1, "GET", H1("DPR", "2.0"), PREFLIGHT, "GET", "dpr", 0, 0},
    {"DPR integer", 0, "GET", H1("dpr", "2"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"DPR 2.", 0, "GET", H1("DPR", "2."), PREFLIGHT, "GET", "dpr", 0, 0},
    {"DPR .5", 0, "GET", H1("DPR", ".5"), PREFLIGHT, "GET", "dpr", 0, 0},
    {"DPR empty", 0, "GET", H1("DPR", ""), PREFLIGHT, "GET", "dpr", 0, 0},
    {"DPR two dots", 0, "GET", H1("DPR", "1.5.1"), PREFLIGHT, "GET", "dpr", 0, 0},
    {"Device-Memory", 0, "GET", H1("Device-Memory", "8"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"Downlink", 0, "GET", H1("Downlink", "1.45"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"Width", 0, "GET", H1("Width", "35"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"Width with unit", 0, "GET", H1("Width", "35px"), PREFLIGHT, "GET", "width", 0, 0},
    {"Viewport-Width", 0, "GET", H1("Viewport-Width", "1200"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"RTT", 0, "GET", H1("RTT", "50"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"RTT decimal", 0, "GET", H1("RTT", "5.0"), PREFLIGHT, "GET", "rtt", 0, 0},
    {"ECT 4g", 0, "GET", H1("ECT", "4g"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"ECT slow-2g", 0, "GET", H1("ECT", "slow-2g"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"ECT 4G is case-sensitive", 0, "GET", H1("ECT", "4G"), PREFLIGHT, "GET", "ect", 0, 0},
    {"ECT 5g", 0, "GET", H1("ECT", "5g"), PREFLIGHT, "GET", "ect", 0, 0},
    {"Save-Data ON", 0, "GET", H1("Save-Data", "ON"), SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"Save-Data off", 0, "GET", H1("Save-Data", "off"), PREFLIGHT, "GET", "save-data", 0, 0},
    {"Save-Data strict", 1, "GET", H1("Save-Data", "on"), PREFLIGHT, "GET", "save-data", 0, 0},
    {"Intervention any bytes", 0, "GET", H1("Intervention", "<https://x>; level=\"warning\"\x01"), SIMPLE, "GET", NULL, 0,
     CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"Chromium-only name on a PUT", 0, "PUT", H1("DPR", "2"), PREFLIGHT, "PUT", NULL, 0,
     CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    /* R2.5 the 1024-byte budget */
    {"budget exactly 1024", 0, "GET",
     {{"Accept", A128, 0}, {"DPR", D128, 0}, {"Device-Memory", D128, 0}, {"Downlink", D128, 0}, {"Width", D128, 0},
      {"Viewport-Width", D128, 0}, {"RTT", D128, 0}, {"Intervention", A128, 0}},
     SIMPLE, "GET", NULL, 0, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED},
    {"budget 1026: every safelisted name turns unsafe", 0, "GET",
     {{"Accept", A128, 0}, {"DPR", D128, 0}, {"Device-Memory", D128, 0}, {"Downlink", D128, 0}, {"Width", D128, 0},
      {"Viewport-Width", D128, 0}, {"RTT", D128, 0}, {"Intervention", A128, 0}, {"Save-Data", "on", 0}},
     PREFLIGHT, "GET", "accept,device-memory,downlink,dpr,intervention,rtt,save-data,viewport-width,width", 0, 0},
    {"budget 1024 with the default Accept's 3 bytes", 0, "GET",
     {{"Content-Language", L125, 0}, {"DPR", D128, 0}, {"Device-Memory", D128, 0}, {"Downlink", D128, 0},
      {"Width", D128, 0}, {"Viewport-Width", D128, 0}, {"RTT", D128, 0}, {"Intervention", A128, 0}},
     SIMPLE, "GET", NULL, 0, 0},
    {"budget 1025 with the default Accept: accept is sent too", 0, "GET",
     {{"Content-Language", L126, 0}, {"DPR", D128, 0}, {"Device-Memory", D128, 0}, {"Downlink", D128, 0},
      {"Width", D128, 0}, {"Viewport-Width", D128, 0}, {"RTT", D128, 0}, {"Intervention", A128, 0}},
     PREFLIGHT, "GET", "accept,content-language,device-memory,downlink,dpr,intervention,rtt,viewport-width,width", 0, 0},
    {"unsafe headers do not count toward the budget", 0, "GET",
     {{"Accept", A128, 0}, {"X-Big", A128, 0}, {"X-Big2", A128, 0}, {"X-Big3", A128, 0}, {"X-Big4", A128, 0},
      {"X-Big5", A128, 0}, {"X-Big6", A128, 0}, {"X-Big7", A128, 0}, {"X-Big8", A128, 0}},
     PREFLIGHT, "GET", "x-big,x-big2,x-big3,x-big4,x-big5,x-big6,x-big7,x-big8", 0, 0},
    {"strict: eight 128-byte Accept pairs are 1024", 1, "GET",
     {{"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0},
      {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}},
     SIMPLE, "GET", NULL, 0, 0},
    {"strict: nine 128-byte Accept pairs exceed 1024", 1, "GET",
     {{"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0},
      {"Accept", A128, 0}, {"Accept", A128, 0}, {"Accept", A128, 0}, {"accept", A128, 0}},
     PREFLIGHT, "GET", "accept", 0, 0},
    /* R1.5 duplicates combined in Chromium */
    {"two text/plain combined", 0, "POST", {{"Content-Type", "text/plain", 0}, {"Content-Type", "text/plain", 0}},
     PREFLIGHT, "POST", "content-type", 0, CORS_FINDING_REQUEST_HEADERS_COMBINED},
    {"two text/plain strict", 1, "POST", {{"Content-Type", "text/plain", 0}, {"Content-Type", "text/plain", 0}}, SIMPLE,
     "POST", NULL, 0, 0},
    {"two 100-byte Accept combined", 0, "GET", {{"Accept", A100, 0}, {"accept", A100, 0}}, PREFLIGHT, "GET", "accept", 0,
     CORS_FINDING_REQUEST_HEADERS_COMBINED},
    {"two 100-byte Accept strict", 1, "GET", {{"Accept", A100, 0}, {"accept", A100, 0}}, SIMPLE, "GET", NULL, 0, 0},
    {"two languages combine to a safelisted value", 0, "GET",
     {{"Accept-Language", "en", 0}, {"Accept-Language", "fr", 0}}, SIMPLE, "GET", NULL, 0, 0},
    {"two Range combine to a list", 0, "GET", {{"Range", "bytes=0-", 0}, {"Range", "bytes=0-", 0}}, PREFLIGHT, "GET",
     "range", 0, CORS_FINDING_REQUEST_HEADERS_COMBINED},
    {"a dropped header between repeats", 0, "GET", {{"Accept", "a", 0}, {"Cookie", "x", 0}, {"Accept", "b", 0}}, SIMPLE,
     "GET", NULL, 0, CORS_FINDING_REQUEST_HEADER_DROPPED},
    {"unsafe repeat", 0, "GET", {{"X-Foo", "1", 0}, {"x-foo", "2", 0}}, PREFLIGHT, "GET", "x-foo", 0, 0},
    /* R3.1 Access-Control-Request-Headers: lowercase, byte-sorted, unique, absent when empty */
    {"sorted", 0, "GET", {{"X-B", "1", 0}, {"x-a", "1", 0}, {"X-C", "1", 0}, {"Accept-Language", "bzh", 0}}, PREFLIGHT,
     "GET", "x-a,x-b,x-c", 0, 0},
    {"sorted after lowercasing", 0, "GET", {{"X-Z", "1", 0}, {"x-_", "1", 0}}, PREFLIGHT, "GET", "x-_,x-z", 0, 0},
    {"prefixes sort first", 0, "GET", {{"x-ab", "1", 0}, {"x-a-b", "1", 0}, {"x-a", "1", 0}}, PREFLIGHT, "GET",
     "x-a,x-a-b,x-ab", 0, 0},
    {"punctuation by byte value", 0, "GET", {{"X-1", "1", 0}, {"x-!", "1", 0}, {"X-~", "1", 0}}, PREFLIGHT, "GET",
     "x-!,x-1,x-~", 0, 0},
    {"case variants deduplicated, strict", 1, "GET", {{"X-Foo", "1", 0}, {"x-foo", "2", 0}, {"X-FOO", "3", 0}}, PREFLIGHT,
     "GET", "x-foo", 0, 0},
    {"typical API call", 0, "POST",
     {{"Content-Type", "application/json", 0}, {"X-Token", "t", 0}, {"Authorization", "Bearer x", 0}}, PREFLIGHT,
     "POST", "authorization,content-type,x-token", 0, 0},
    {"PUT with safelisted headers only: no ACRH", 0, "PUT", H1("Accept-Language", "en"), PREFLIGHT, "PUT", NULL, 0, 0},
};

static void run_row(const row *r)
{
    static cors_report rep;
    cors_header hs[16];
    size_t n = 0;
    cors_request req;
    cors_options opt;
    cors_error err = {99, 99, 99};
    int32_t st, want;

    for (; n < COUNT(r->headers) && r->headers[n].name != NULL; n++) {
        const req_header *h = &r->headers[n];
        hs[n].name = str_z(h->name);
        hs[n].value.ptr = h->value;
        hs[n].value.len = h->value_len ? h->value_len : strlen(h->value);
    }
    cors_request_init(&req);
    req.origin = STR("https://app.example");
    req.method = str_z(r->method);
    req.headers = hs;
    req.header_count = n;
    req.credentials = CORS_CREDENTIALS_OMIT;
    cors_options_init(&opt);
    opt.flags = r->strict ? CORS_OPTION_STRICT : 0;
    cors_report_init(&rep);

    st = cors_evaluate(&opt, &req, NULL, NULL, &rep, &err);
    want = r->outcome == THROWS ? CORS_OK : r->outcome == PREFLIGHT ? CORS_E_NEED_PREFLIGHT : CORS_E_NEED_RESPONSE;
    if (st != want || err.status != want)
        fail_msg("%s: status %s, want %s", r->label, cors_status_name(st), cors_status_name(want));
    assert_true(report_spans_in_bounds(&rep));
    assert_int_equal(rep.ok, 0);

    if (r->outcome == THROWS) {
        const cors_finding *f = find_finding(&rep, r->finding);
        if (rep.failed_at != CORS_STAGE_REQUEST || rep.error != r->kind)
            fail_msg("%s: failed_at %d error %s, want request %s", r->label, (int)rep.failed_at,
                     cors_kind_name(rep.error), cors_kind_name(r->kind));
        assert_int_equal(rep.preflight, 0);
        assert_int_equal(rep.has_acr_method, 0);
        assert_int_equal(rep.has_acr_headers, 0);
        assert_non_null(f);
        assert_int_equal(f->severity, CORS_SEVERITY_ERROR);
        assert_int_equal(f->stage, CORS_STAGE_REQUEST);
        assert_true(f->message.length > 0);
        return;
    }
    if (rep.failed_at != CORS_STAGE_NONE || rep.error != CORS_KIND_NONE)
        fail_msg("%s: failed_at %d error %s", r->label, (int)rep.failed_at, cors_kind_name(rep.error));
    if (!span_is(&rep, rep.method, r->norm))
        fail_msg("%s: method '%.*s', want '%s'", r->label, (int)rep.method.length, rep.text + rep.method.offset, r->norm);
    assert_int_equal(rep.preflight, r->outcome == PREFLIGHT);
    assert_int_equal(rep.has_acr_method, r->outcome == PREFLIGHT);
    if (r->outcome == PREFLIGHT)
        assert_span(&rep, rep.acr_method, r->norm);
    if (r->acr_headers == NULL) {
        if (rep.has_acr_headers)
            fail_msg("%s: ACRH '%.*s' sent, want none", r->label, (int)rep.acr_headers.length,
                     rep.text + rep.acr_headers.offset);
        assert_int_equal(rep.acr_headers.length, 0);
    } else {
        if (!rep.has_acr_headers || !span_is(&rep, rep.acr_headers, r->acr_headers))
            fail_msg("%s: ACRH '%.*s' (sent %d), want '%s'", r->label, (int)rep.acr_headers.length,
                     rep.text + rep.acr_headers.offset, (int)rep.has_acr_headers, r->acr_headers);
    }
    if (r->finding != 0 && find_finding(&rep, r->finding) == NULL)
        fail_msg("%s: no finding %s", r->label, cors_finding_name(r->finding));
    /* Chromium-only names never warn under strict, where they are not safelisted */
    if (r->strict)
        assert_null(find_finding(&rep, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED));
}

static void test_request_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++)
        run_row(&rows[i]);
}

static void test_dropped_and_warning_findings(void **state)
{
    static cors_report rep;
    cors_header hs[2] = {{STR("Cookie"), STR("a=b")}, {STR("DPR"), STR("2")}};
    cors_request req;
    const cors_finding *f;
    (void)state;
    cors_request_init(&req);
    req.origin = STR("https://app.example");
    req.headers = hs;
    req.header_count = 2;
    cors_report_init(&rep);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, NULL, &rep, NULL), CORS_E_NEED_RESPONSE);

    f = find_finding(&rep, CORS_FINDING_REQUEST_HEADER_DROPPED);
    assert_non_null(f);
    assert_int_equal(f->severity, CORS_SEVERITY_INFO);
    assert_int_equal(f->stage, CORS_STAGE_REQUEST);
    assert_span(&rep, f->value, "Cookie");
    assert_true(f->message.length > 0);

    f = find_finding(&rep, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED);
    assert_non_null(f);
    assert_int_equal(f->severity, CORS_SEVERITY_WARNING);
    assert_span(&rep, f->value, "DPR");
}

static void test_too_many_request_headers(void **state)
{
    static cors_report rep;
    cors_header hs[CORS_MAX_REQUEST_HEADERS + 1];
    char names[CORS_MAX_REQUEST_HEADERS + 1][8];
    cors_request req;
    cors_error err;
    (void)state;
    for (size_t i = 0; i < COUNT(hs); i++) {
        snprintf(names[i], sizeof(names[i]), "X-%zu", i);
        hs[i].name = str_z(names[i]);
        hs[i].value = STR("1");
    }
    cors_request_init(&req);
    req.origin = STR("https://app.example");
    req.headers = hs;

    req.header_count = CORS_MAX_REQUEST_HEADERS;
    cors_report_init(&rep);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, NULL, &rep, &err), CORS_E_NEED_PREFLIGHT);
    assert_int_equal(rep.preflight, 1);

    req.header_count = CORS_MAX_REQUEST_HEADERS + 1;
    cors_report_init(&rep);
    assert_int_equal(cors_evaluate(NULL, &req, NULL, NULL, &rep, &err), CORS_E_TOO_MANY_REQUEST_HEADERS);
    assert_int_equal(err.status, CORS_E_TOO_MANY_REQUEST_HEADERS);
    assert_int_equal(err.offset, 0);
}

/* ------------------------------------------------------------------------ */
/* The predicates of safelist.c                                              */
/* ------------------------------------------------------------------------ */

static void test_methods(void **state)
{
    (void)state;
    /* compared after normalization: byte-exact */
    assert_true(cors__is_safelisted_method(STR("GET")));
    assert_true(cors__is_safelisted_method(STR("HEAD")));
    assert_true(cors__is_safelisted_method(STR("POST")));
    assert_false(cors__is_safelisted_method(STR("get")));
    assert_false(cors__is_safelisted_method(STR("PUT")));
    assert_false(cors__is_safelisted_method(STR("GETX")));
    assert_false(cors__is_safelisted_method(STR("")));

    assert_true(cors__is_forbidden_method(STR("CONNECT")));
    assert_true(cors__is_forbidden_method(STR("trace")));
    assert_true(cors__is_forbidden_method(STR("Track")));
    assert_false(cors__is_forbidden_method(STR("CONNECTX")));
    assert_false(cors__is_forbidden_method(STR("TRAC")));
    assert_false(cors__is_forbidden_method(STR("")));
}

static void test_forbidden_request_headers(void **state)
{
    static const struct {
        const char *name, *value;
        int browser, strict;
    } cases[] = {
        {"Accept-Charset", "x", 1, 1}, {"accept-encoding", "x", 1, 1}, {"Access-Control-Request-Headers", "x", 1, 1},
        {"access-control-request-method", "x", 1, 1}, {"Connection", "x", 1, 1}, {"Content-Length", "1", 1, 1},
        {"COOKIE", "x", 1, 1}, {"Cookie2", "x", 1, 1}, {"Date", "x", 1, 1}, {"DNT", "1", 1, 1}, {"Expect", "x", 1, 1},
        {"Host", "x", 1, 1}, {"Keep-Alive", "x", 1, 1}, {"Origin", "x", 1, 1}, {"Referer", "x", 1, 1},
        {"Set-Cookie", "x", 1, 1}, {"TE", "x", 1, 1}, {"Trailer", "x", 1, 1}, {"Transfer-Encoding", "x", 1, 1},
        {"Upgrade", "x", 1, 1}, {"Via", "x", 1, 1}, {"Proxy-Authorization", "x", 1, 1}, {"proxy-", "x", 1, 1},
        {"Sec-CH-UA", "x", 1, 1}, {"sec-", "x", 1, 1}, {"User-Agent", "x", 1, 0},
        {"X-HTTP-Method-Override", "TRACE", 1, 1}, {"X-HTTP-Method", "put, Connect", 1, 1},
        {"x-method-override", " track ", 1, 1}, {"X-HTTP-Method-Override", "PUT", 0, 0},
        {"X-HTTP-Method-Override", "TRACEX", 0, 0}, {"X-HTTP-Method-Override", "", 0, 0},
        {"X-Foo", "TRACE", 0, 0}, {"Accept", "x", 0, 0}, {"Authorization", "x", 0, 0}, {"proxy", "x", 0, 0},
        {"secret", "x", 0, 0}, {"Cookies", "x", 0, 0}, {"Referer-X", "x", 0, 0}, {"Content-Type", "x", 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        cors_str n = str_z(cases[i].name), v = str_z(cases[i].value);
        if (cors__is_forbidden_request_header(n, v, 0) != cases[i].browser ||
            cors__is_forbidden_request_header(n, v, 1) != cases[i].strict)
            fail_msg("%s: %s", cases[i].name, cases[i].value);
    }
}

static void test_safelisted_request_headers(void **state)
{
    static const struct {
        const char *name, *value;
        int browser, chromium_only, strict;
    } cases[] = {
        {"Accept", "text/html", 1, 0, 1},
        {"accept", A128, 1, 0, 1},
        {"Accept", A129, 0, 0, 0},
        {"Accept", "a:b", 0, 0, 0},
        {"Accept-Language", "en-GB", 1, 0, 1},
        {"Content-Language", "en_GB", 0, 0, 0},
        {"Content-Type", "text/plain", 1, 0, 1},
        {"Content-Type", "application/json", 0, 0, 0},
        {"Range", "bytes=1-2", 1, 0, 1},
        {"Range", "bytes=9223372036854775807-", 0, 0, 1},
        {"DPR", "1.5", 1, 1, 0},
        {"Intervention", "anything", 1, 1, 0},
        {"Intervention", A129, 0, 0, 0},
        {"ECT", "3g", 1, 1, 0},
        {"Save-Data", "On", 1, 1, 0},
        {"X-Foo", "1", 0, 0, 0},
        {"Authorization", "x", 0, 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        cors_str n = str_z(cases[i].name), v = str_z(cases[i].value);
        int chromium_only = 42, got = cors__is_safelisted_request_header(n, v, 0, &chromium_only);
        if (got != cases[i].browser || chromium_only != cases[i].chromium_only)
            fail_msg("%s: %.20s: browser %d chromium_only %d", cases[i].name, cases[i].value, got, chromium_only);
        chromium_only = 42;
        got = cors__is_safelisted_request_header(n, v, 1, &chromium_only);
        if (got != cases[i].strict || chromium_only != 0)
            fail_msg("%s: %.20s: strict %d chromium_only %d", cases[i].name, cases[i].value, got, chromium_only);
    }
}

static void test_response_header_names(void **state)
{
    static const char *const safelisted[] = {"Cache-Control", "content-language", "Content-Length", "CONTENT-TYPE",
                                             "Expires", "Last-Modified", "Pragma"};
    static const char *const not_safelisted[] = {"ETag", "Set-Cookie", "Date", "X-Foo", "Content-Encoding", "Vary",
                                                 "Content-Type-X", ""};
    (void)state;
    for (size_t i = 0; i < COUNT(safelisted); i++)
        assert_true(cors__is_safelisted_response_header(str_z(safelisted[i])));
    for (size_t i = 0; i < COUNT(not_safelisted); i++)
        assert_false(cors__is_safelisted_response_header(str_z(not_safelisted[i])));
    assert_true(cors__is_forbidden_response_header(STR("Set-Cookie")));
    assert_true(cors__is_forbidden_response_header(STR("set-cookie2")));
    assert_false(cors__is_forbidden_response_header(STR("Set-Cookie3")));
    assert_false(cors__is_forbidden_response_header(STR("Cookie")));
}

/* ------------------------------------------------------------------------ */
/* The model cors__request_model_build leaves for the rules                  */
/* ------------------------------------------------------------------------ */

static void build(const char *method, const cors_header *hs, size_t n, int strict, cors__request_model *m,
                  cors_report *rep)
{
    cors_request req;
    cors_request_init(&req);
    req.origin = STR("https://app.example");
    req.method = str_z(method);
    req.headers = hs;
    req.header_count = n;
    req.credentials = CORS_CREDENTIALS_INCLUDE;
    cors_report_init(rep);
    assert_int_equal(cors__request_model_build(&req, strict, m, rep), CORS_OK);
}

static void test_request_model(void **state)
{
    static cors__request_model m;
    static cors_report rep;
    (void)state;

    {
        cors_header hs[] = {{STR("Content-Type"), STR("text/plain")}, {STR("content-type"), STR(" text/plain ")}};
        build("post", hs, 2, 0, &m, &rep);
        assert_int_equal(m.credentialed, 1);
        assert_str(m.method, "POST");
        assert_int_equal(m.method_is_safelisted, 1);
        assert_int_equal(m.header_count, 1);
        assert_str(m.headers[0].name, "Content-Type"); /* the first spelling */
        assert_int_equal(m.headers[0].lines, 2);
        assert_int_equal(m.headers[0].combined_length, strlen("text/plain, text/plain"));
        assert_int_equal(m.headers[0].is_safelisted, 0);
        assert_int_equal(m.unsafe_count, 1);
        assert_int_equal(m.needs_preflight, 1);

        build("post", hs, 2, 1, &m, &rep);
        assert_int_equal(m.header_count, 2);
        assert_int_equal(m.needs_preflight, 0);
    }
    {
        cors_header hs[] = {{STR("DPR"), STR("2")}};
        build("GET", hs, 1, 0, &m, &rep);
        assert_int_equal(m.headers[0].is_chromium_only, 1);
        assert_int_equal(m.needs_preflight, 0);
        build("PUT", hs, 1, 0, &m, &rep);
        assert_int_equal(m.needs_preflight, 1); /* preflighted anyway */
        build("GET", hs, 1, 1, &m, &rep);
        assert_int_equal(m.headers[0].is_chromium_only, 0);
        assert_int_equal(m.needs_preflight, 1);
    }
    {
        cors_header hs[] = {{STR("Intervention"), STR(A128)}, {STR("DPR"), STR(D128)}, {STR("Width"), STR(D128)},
                            {STR("RTT"), STR(D128)}, {STR("Downlink"), STR(D128)}, {STR("Device-Memory"), STR(D128)},
                            {STR("Viewport-Width"), STR(D128)}, {STR("Save-Data"), STR("on")}};
        build("GET", hs, 8, 0, &m, &rep);
        assert_int_equal(m.over_budget, 0); /* 7 * 128 + 2 + 3 */
        build("GET", hs, 7, 0, &m, &rep);
        assert_int_equal(m.over_budget, 0);
        {
            cors_header more[9];
            memcpy(more, hs, sizeof(hs));
            more[8].name = STR("Content-Language");
            more[8].value = STR(L125);
            build("GET", more, 9, 0, &m, &rep);
            assert_int_equal(m.over_budget, 1); /* 896 + 2 + 125 + 3 */
            assert_int_equal(m.unsafe_count, 10); /* the nine names and the default accept */
            assert_str(m.unsafe[0], "accept");
            /* no Chromium-only warning once everything is preflighted */
            assert_null(find_finding(&rep, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_table),
        cmocka_unit_test(test_dropped_and_warning_findings),
        cmocka_unit_test(test_too_many_request_headers),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_forbidden_request_headers),
        cmocka_unit_test(test_safelisted_request_headers),
        cmocka_unit_test(test_response_header_names),
        cmocka_unit_test(test_request_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
