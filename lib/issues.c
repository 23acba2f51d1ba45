/* SPDX-License-Identifier: MIT */
/* issues.c - the catalogue of configuration issues: for every code its
 * stable name, its severity and one sentence. config.c adds an issue by its
 * code; the words live here, never in the checks. Codes are append-only.
 * The sources: jub0bs/cors cfgerrors (the classes it types), the Fetch
 * standard, and Chromium 156 where it caps or deviates. */
#include "server.h"

typedef struct issue_spec {
    const char *name;
    int32_t severity;
    const char *text;
} issue_spec;

#define ERR CORS_SEVERITY_ERROR
#define WARN CORS_SEVERITY_WARNING
#define INFO CORS_SEVERITY_INFO

static const issue_spec specs[] = {
    [0] = {"unknown", INFO, "Unknown issue code."},
    [CORS_ISSUE_ORIGINS_MISSING] = {"origins-missing", ERR,
        "No origin is allowed: list at least one origin, origin pattern or '*'."},
    [CORS_ISSUE_ORIGIN_INVALID] = {"origin-invalid", ERR,
        "Not an origin or origin pattern: expected scheme://host[:port], with '*.' before the host for any "
        "subdomain or ':*' for any port, and no path, query, fragment or user name."},
    [CORS_ISSUE_ORIGIN_NOT_SERIALIZED] = {"origin-not-serialized", ERR,
        "Browsers never send an origin spelled this way (uppercase, Unicode instead of its xn-- form, a default "
        "port, an IPv6 address not in its compressed form or IPv4-mapped), so this entry would never match."},
    [CORS_ISSUE_ORIGIN_NULL] = {"origin-null", ERR,
        "The origin 'null' is what sandboxed frames, data: URLs and file: pages send, which any site can "
        "produce, so allowing it is unsafe."},
    [CORS_ISSUE_ORIGIN_FILE] = {"origin-file", ERR,
        "Pages loaded from file: URLs send the origin 'null', so a file: origin never matches and 'null' cannot "
        "be allowed safely."},
    [CORS_ISSUE_ORIGIN_WILDCARD_CREDENTIALS] = {"origin-wildcard-with-credentials", ERR,
        "'*' cannot be combined with credentials: browsers refuse Access-Control-Allow-Origin: * on credentialed "
        "requests, and echoing every origin instead would let any site read responses as your users."},
    [CORS_ISSUE_ORIGIN_INSECURE_CREDENTIALS] = {"origin-insecure-with-credentials", ERR,
        "An http: origin other than localhost or a loopback address, with credentials: anyone on the network "
        "path can inject script into that origin and read responses as your users (set "
        "danger-insecure-origins to allow it anyway)."},
    [CORS_ISSUE_ORIGIN_INSECURE_TOLERATED] = {"origin-insecure-tolerated", WARN,
        "Allowed by danger-insecure-origins: a network attacker who injects script into this http: origin can "
        "read your credentialed responses."},
    [CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_CREDENTIALS] = {"origin-public-suffix-with-credentials", ERR,
        "This pattern covers every subdomain of a public suffix, which anyone can register, and with "
        "credentials each of them could read responses as your users (set danger-public-suffix to allow it "
        "anyway)."},
    [CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_TOLERATED] = {"origin-public-suffix-tolerated", WARN,
        "Allowed by danger-public-suffix: anyone who registers a subdomain of this public suffix can read your "
        "credentialed responses."},
    [CORS_ISSUE_REDUNDANT_WITH_WILDCARD] = {"redundant-with-wildcard", INFO,
        "'*' is in the same list, so this entry changes nothing."},
    [CORS_ISSUE_ORIGINS_WITH_REFLECT] = {"origins-with-reflect", ERR,
        "reflect-any-origin echoes every origin, so a list of origins beside it means nothing: keep one of the "
        "two."},
    [CORS_ISSUE_REFLECT_CREDENTIALS] = {"reflect-with-credentials", ERR,
        "Reflecting every origin with credentials lets any website the user visits read every response as the "
        "logged-in user (the OneBalance pattern): set danger-reflect-with-credentials only if that is meant."},
    [CORS_ISSUE_REFLECT_CREDENTIALS_TOLERATED] = {"reflect-with-credentials-tolerated", WARN,
        "Allowed by danger-reflect-with-credentials: any website a user visits can send credentialed requests "
        "and read the answers, personal data and CSRF tokens included."},
    [CORS_ISSUE_REFLECT_WITHOUT_CREDENTIALS] = {"reflect-without-credentials", INFO,
        "Reflecting every origin without credentials allows what '*' allows, but adds Vary: Origin, which "
        "splits shared caches: prefer '*'."},
    [CORS_ISSUE_METHOD_INVALID] = {"method-invalid", ERR,
        "Not a method: a method is an HTTP token (letters, digits and !#$%&'*+-.^_`|~)."},
    [CORS_ISSUE_METHOD_FORBIDDEN] = {"method-forbidden", ERR,
        "CONNECT, TRACE and TRACK are forbidden methods: fetch() refuses to send them, so there is nothing to "
        "allow."},
    [CORS_ISSUE_METHOD_NEVER_SENT] = {"method-never-sent", WARN,
        "fetch() upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT whatever the page writes, and methods "
        "compare case-sensitively, so this spelling never arrives: write it in uppercase."},
    [CORS_ISSUE_METHOD_CASE] = {"method-case", WARN,
        "Methods compare case-sensitively and fetch() sends this one exactly as the page spells it, so this "
        "entry allows only this spelling, not the uppercase one most pages send."},
    [CORS_ISSUE_METHOD_SAFELISTED] = {"method-safelisted", INFO,
        "GET, HEAD and POST are CORS-safelisted methods: browsers need no listing for them (listed, they are "
        "named in preflight answers, which Galxe's checker wants)."},
    [CORS_ISSUE_METHOD_OPTIONS] = {"method-options", INFO,
        "OPTIONS needs listing only for fetch(url, {method: 'OPTIONS'}); preflights are answered without it."},
    [CORS_ISSUE_REQUEST_HEADER_INVALID] = {"request-header-invalid", ERR,
        "Not a header name: a header name is an HTTP token (letters, digits and !#$%&'*+-.^_`|~)."},
    [CORS_ISSUE_REQUEST_HEADER_FORBIDDEN] = {"request-header-forbidden", ERR,
        "A forbidden request header (Fetch standard): browsers never let a page set it, so there is nothing to "
        "allow."},
    [CORS_ISSUE_REQUEST_HEADER_PROHIBITED] = {"request-header-prohibited", ERR,
        "Access-Control-Allow-* and -Expose-Headers, -Max-Age are response headers and have no place among "
        "request headers."},
    [CORS_ISSUE_REQUEST_HEADERS_WILDCARD_AUTHORIZATION] = {"request-headers-wildcard-authorization", WARN,
        "Without credentials '*' covers every request header but Authorization (Fetch standard; Firefox and "
        "Safari refuse it, and so does this policy in every browser): list Authorization too if clients send "
        "it."},
    [CORS_ISSUE_EXPOSE_HEADER_INVALID] = {"expose-header-invalid", ERR,
        "Not a header name: a header name is an HTTP token (letters, digits and !#$%&'*+-.^_`|~)."},
    [CORS_ISSUE_EXPOSE_HEADER_SET_COOKIE] = {"expose-header-set-cookie", WARN,
        "Set-Cookie and Set-Cookie2 are never readable by script, whatever Access-Control-Expose-Headers says."},
    [CORS_ISSUE_EXPOSE_HEADER_PROHIBITED] = {"expose-header-prohibited", ERR,
        "Origin and Access-Control-Request-Method, -Headers are request headers and have no place among exposed "
        "headers."},
    [CORS_ISSUE_EXPOSE_WILDCARD_CREDENTIALS] = {"expose-wildcard-with-credentials", ERR,
        "With credentials, '*' in Access-Control-Expose-Headers exposes only a header literally named '*': list "
        "the names instead."},
    [CORS_ISSUE_EXPOSE_HEADER_SAFELISTED] = {"expose-header-safelisted", INFO,
        "A CORS-safelisted response header (Cache-Control, Content-Language, Content-Length, Content-Type, "
        "Expires, Last-Modified, Pragma): script reads it without listing."},
    [CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS] = {"max-age-out-of-bounds", ERR,
        "max-age must be -1 (no caching), 0 (no header: browsers cache for 5 s) or 1 to 86400 seconds."},
    [CORS_ISSUE_MAX_AGE_ABOVE_CHROMIUM_CAP] = {"max-age-above-chromium-cap", WARN,
        "Chromium caches a preflight for 7200 s (2 h) at most and Safari for 600 s: a longer max-age only helps "
        "Firefox (86400 s)."},
    [CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS] = {"preflight-status-out-of-bounds", ERR,
        "The status of an allowed preflight must be 2xx (200-299), or 0 for 204."},
    [CORS_ISSUE_DANGER_UNUSED] = {"danger-unused", INFO,
        "This danger- flag tolerates nothing in this policy: remove it."},
    [CORS_ISSUE_DEBUG_ON] = {"debug-on", INFO,
        "Debug mode answers refused preflights with a success status and what matched, which tells any origin "
        "which methods and headers are allowed: for development."},
};

#define ISSUE_COUNT ((int32_t)CORS__COUNT(specs) - 1)
_Static_assert(CORS__COUNT(specs) == CORS_ISSUE_DEBUG_ON + 1, "every issue code has a catalogue entry");

const char *cors_config_issue_name(int32_t code)
{
    if (code < 1 || code > ISSUE_COUNT)
        return "unknown";
    return specs[code].name;
}

const char *cors_config_issue_text(int32_t code)
{
    if (code < 1 || code > ISSUE_COUNT)
        return specs[0].text;
    return specs[code].text;
}

int32_t cors_config_issue_count(void)
{
    return ISSUE_COUNT;
}

int32_t cors__issue_severity(int32_t code)
{
    return code >= 1 && code <= ISSUE_COUNT ? specs[code].severity : CORS_SEVERITY_INFO;
}

static const char *const field_names[] = {
    [CORS_FIELD_NONE] = "none",
    [CORS_FIELD_ORIGINS] = "origins",
    [CORS_FIELD_ORIGIN_MODE] = "origin_mode",
    [CORS_FIELD_METHODS] = "methods",
    [CORS_FIELD_REQUEST_HEADERS] = "request_headers",
    [CORS_FIELD_EXPOSE_HEADERS] = "expose_headers",
    [CORS_FIELD_MAX_AGE] = "max_age",
    [CORS_FIELD_PREFLIGHT_STATUS] = "preflight_status",
    [CORS_FIELD_FLAGS] = "flags",
};

const char *cors_field_name(int32_t field)
{
    if (field < 0 || (size_t)field >= CORS__COUNT(field_names))
        return "unknown";
    return field_names[field];
}

size_t cors_sizeof_policy_config(void) { return sizeof(cors_policy_config); }
size_t cors_sizeof_config_issue(void) { return sizeof(cors_config_issue); }
