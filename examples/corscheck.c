/* SPDX-License-Identifier: MIT */
/*
 * corscheck.c - the command-line face of libcors: will a browser (or Galxe's
 * checker) accept this server's CORS answer, why not, and what to send instead.
 *
 *   corscheck [--rules browser|galxe|reflect] --origin ORIGIN [--url URL] [--method METHOD]
 *             [--header 'Name: value']... [--credentials omit|same-origin|include] [--body DATA]
 *             [--preflight FILE]... [--response FILE]... [--strict] [--strict-head] [--json]
 *   corscheck [--rules RULES] --origin ORIGIN [request options] --print-curl URL
 *   corscheck --policy POLICY [--rules RULES] [--origin ORIGIN [request options]] [--json]
 *   corscheck --help | --version
 *
 * FILE is a raw response head as `curl -si` prints it; `-` reads standard input.
 * Along a redirect chain the Nth --response answers the Nth URL, the Nth
 * --preflight the Nth preflight the browser sends. POLICY is a server's policy
 * text (README, "Serving CORS"): its issues are printed as POLICY:LINE, and
 * with --origin the headers it sends are judged.
 * Exit status: 0 allowed, 1 refused, 2 bad usage or unreadable input (or a
 * policy with errors), 3 incomplete (the browser needs a response that was
 * not given). corscheck --help says everything; the README's "JSON report"
 * section documents --json.
 *
 * Build against an installed libcors:
 *   cc corscheck.c $(pkg-config --cflags --libs libcors) -o corscheck
 */
#include <libcors.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GALXE_ORIGIN "https://dashboard.galxe.com"
#define JSON_SCHEMA 1 /* version of the JSON report (README: "JSON report") */

/* Exit status */
#define EXIT_ALLOWED    0
#define EXIT_REFUSED    1
#define EXIT_BAD_INPUT  2 /* bad usage, unreadable or unparsable input, unwritable output */
#define EXIT_INCOMPLETE 3 /* the browser needs a response that was not given */

typedef struct input {
    const char *option;      /* "--preflight" or "--response" */
    const char *path;        /* as given on the command line; "FILE (head N)" for a later head */
    int hop;                 /* the URL of the chain it answers; 0 while not used */
    size_t start;            /* where its head starts in bytes (curl -siL writes one head per hop) */
    char *bytes;
    size_t len;
    cors_header *headers;    /* as many as the head has */
    cors_response response;
    int32_t status;          /* of parsing */
    cors_error err;
} input;

/* The report and its buffers, grown until the answer fits. */
typedef struct answer {
    cors_report report;
    cors_finding *findings;
    cors_span *readable;
    char *text;
    cors_hop_report *hops;
} answer;

typedef struct options {
    const char *rules_name;
    int32_t rules;
    const char *origin;
    const char *method;
    const char *credentials;
    const char *print_curl;
    const char *url;
    const char *body;
    const char *policy;      /* --policy FILE */
    input *preflights;       /* in the order given, argc entries at most */
    size_t preflight_count;
    input *responses;
    size_t response_count;
    int strict;
    int strict_head;         /* read FILEs strictly (CORS_PARSE_STRICT) */
    int json;
    size_t header_count;
    cors_header *headers;    /* argc entries at most */
} options;

static const char synopsis[] =
    "usage: corscheck [--rules browser|galxe|reflect] --origin ORIGIN [--url URL] [--method METHOD]\n"
    "                 [--header 'Name: value']... [--credentials omit|same-origin|include]\n"
    "                 [--body DATA] [--preflight FILE]... [--response FILE]...\n"
    "                 [--strict] [--strict-head] [--json]\n"
    "       corscheck [--rules RULES] --origin ORIGIN [request options] --print-curl URL\n"
    "       corscheck --policy POLICY [--rules RULES] [--origin ORIGIN [request options]] [--json]\n"
    "       corscheck --help | --version\n";

static const char help[] =
    "\n"
    "Judge a server's CORS answer as Chromium does: whether the page can read the\n"
    "response, why not, and which header lines to send instead. FILE holds a response\n"
    "head exactly as `curl -si`, `curl -sI` or `curl -D -` prints it (HTTP/1.x, HTTP/2,\n"
    "HTTP/3; CRLF or LF; interim 1xx heads skipped; a body ignored); '-' reads standard\n"
    "input. A FILE that does not parse is an error only when the browser reads it.\n"
    "\n"
    "The request, as the page gives it to fetch():\n"
    "  --origin ORIGIN         the page's serialized origin, e.g. https://app.example,\n"
    "                          or null; required (default under --rules galxe:\n"
    "                          " GALXE_ORIGIN ")\n"
    "  --url URL               the URL fetch() is called with (default: an https URL of\n"
    "                          another origin); needed to follow redirects and to tell\n"
    "                          same-origin and mixed-content URLs\n"
    "  --method METHOD         the method (default GET; under --rules galxe: POST)\n"
    "  --header 'Name: value'  a request header; repeat for more (default: none)\n"
    "  --credentials MODE      omit, same-origin or include (default same-origin;\n"
    "                          under --rules reflect: include)\n"
    "  --body DATA             fetch() sends DATA as a string body (Content-Type\n"
    "                          text/plain;charset=UTF-8 unless a --header sets one;\n"
    "                          default: no body)\n"
    "The server's answers:\n"
    "  --preflight FILE        the response to the preflight (OPTIONS) request (default:\n"
    "                          none; needed when the browser sends a preflight)\n"
    "  --response FILE         the actual response (default: none)\n"
    "                          Along redirects, repeat them: the Nth --response answers\n"
    "                          the Nth URL of the chain, the Nth --preflight the Nth\n"
    "                          preflight the browser sends\n"
    "  --policy POLICY         a server's CORS policy text (README, \"Serving CORS\"):\n"
    "                          print its issues as POLICY:LINE; with --origin, print\n"
    "                          the headers it answers the request with and judge them\n"
    "How to judge:\n"
    "  --rules RULES           browser, galxe or reflect (default browser; see below)\n"
    "  --strict                follow the Fetch standard where Chromium deviates from it\n"
    "                          (default: off, Chromium's behaviour)\n"
    "  --strict-head           refuse a FILE that is not a well-formed HTTP head (RFC 9112),\n"
    "                          with the byte and line (default: off, read as Chromium reads it)\n"
    "Output:\n"
    "  --json                  print one JSON object (default: text for people); the\n"
    "                          README's \"JSON report\" section documents it\n"
    "  --print-curl URL        print the curl commands that capture the FILEs this\n"
    "                          request needs from URL, and the corscheck command to run\n"
    "  -h, --help              print this help\n"
    "  -V, --version           print corscheck's and libcors' version\n"
    "Values follow their option as --opt VALUE or --opt=VALUE. Every option but\n"
    "--header, --preflight and --response may be given once.\n";

/* Split from help[]: C11 promises string literals of 4095 bytes only. */
static const char help_more[] =
    "\n"
    "Rule sets:\n"
    "  browser  what Chromium does (WHATWG Fetch as Chromium ships it); where Chromium\n"
    "           and the standard differ, a warning says what the others do.\n"
    "  galxe    Galxe's documented check of third-party APIs: an OPTIONS probe\n"
    "           from " GALXE_ORIGIN " for POST (or --method) with\n"
    "           Content-Type. It passes on a 2xx status, exactly one\n"
    "           Access-Control-Allow-Origin that is * or the origin, and the\n"
    "           method in Access-Control-Allow-Methods.\n"
    "  reflect  the reflect-origin pattern with credentials done right: the browser\n"
    "           verdict for a credentialed request, plus Vary: Origin, explicit\n"
    "           lists, exposed headers and a preflight cache lifetime.\n"
    "\n"
    "Exit status:\n"
    "  0  allowed (under --rules galxe: passes Galxe's check)\n"
    "  1  refused: the report says at which stage and why\n"
    "  2  bad usage, a FILE that cannot be read, a FILE the browser needs that does\n"
    "     not parse, or output that cannot be written; nothing useful on standard\n"
    "     output (under --json, one object with \"input_error\" for input errors)\n"
    "  3  incomplete: the browser gets to a response that was not given (the\n"
    "     preflight, the actual response, or the target of a redirect it follows);\n"
    "     the report so far is printed and standard error says what to capture\n"
    "\n"
    "Example:\n"
    "  curl -si -X OPTIONS -H 'Origin: https://app.example' \\\n"
    "       -H 'Access-Control-Request-Method: PUT' https://api.example/v1/items > preflight.txt\n"
    "  curl -si -X PUT -H 'Origin: https://app.example' https://api.example/v1/items > response.txt\n"
    "  corscheck --origin https://app.example --method PUT \\\n"
    "            --preflight preflight.txt --response response.txt\n";

/* A usage error: the message, the synopsis, where to read more; exit status 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("corscheck: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%sTry 'corscheck --help' for more.\n", synopsis);
    return EXIT_BAD_INPUT;
}

/* ---- JSON ---- */

/* One string of the report, its bytes read as Latin-1 (as browsers decode
 * header bytes), written as ASCII: the short escapes JSON has, \u00XX for
 * other controls, DEL and above, and for <, > and & (as Go's encoding/json
 * writes them), so that the three producers of the report agree byte for byte. */
static void json_string(const char *p, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '"':
        case '\\':
            putchar('\\');
            putchar(c);
            break;
        case '\b':
            fputs("\\b", stdout);
            break;
        case '\f':
            fputs("\\f", stdout);
            break;
        case '\n':
            fputs("\\n", stdout);
            break;
        case '\r':
            fputs("\\r", stdout);
            break;
        case '\t':
            fputs("\\t", stdout);
            break;
        default:
            if (c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&')
                printf("\\u%04x", c);
            else
                putchar(c);
        }
    }
    putchar('"');
}

static void json_cstring_or_null(const char *s)
{
    if (s != NULL)
        json_string(s, strlen(s));
    else
        fputs("null", stdout);
}

static void json_span(const cors_report *r, cors_span s)
{
    json_string(r->text + s.offset, s.length);
}

static void json_span_or_null(const cors_report *r, int present, cors_span s)
{
    if (present)
        json_span(r, s);
    else
        fputs("null", stdout);
}

/* {"schema":1,"libcors":"0.2.0", opens every object corscheck --json prints. */
static void json_open(void)
{
    printf("{\"schema\":%d,\"libcors\":", JSON_SCHEMA);
    json_cstring_or_null(cors_version());
}

/* The browser got to a response that was not given: the report is partial but worth printing. */
static int is_incomplete(const cors_report *r)
{
    return (r->needs & (CORS_NEED_PREFLIGHT | CORS_NEED_RESPONSE | CORS_NEED_REDIRECT_TARGET)) != 0;
}

static const char *incomplete_name(const cors_report *r)
{
    return (r->needs & CORS_NEED_PREFLIGHT) ? "preflight" : (r->needs & CORS_NEED_RESPONSE) ? "response" : "redirect";
}

static const char *incomplete_text(const cors_report *r)
{
    return (r->needs & CORS_NEED_PREFLIGHT)
               ? "the browser sends a preflight for this request, but no preflight response was given"
           : (r->needs & CORS_NEED_RESPONSE)
               ? "the browser gets to the actual response, but none was given"
               : "the actual response is a redirect the browser follows: judge the response of its Location";
}

/* The status of the last response the chain got to, or -1. */
static int final_status(const cors_report *r, const cors_hop *hops)
{
    if (hops == NULL || r->hops < 1 || r->failed_at == CORS_STAGE_PREFLIGHT || hops[r->hops - 1].response == NULL)
        return -1;
    /* fetch()'s Response.status is an unsigned short: Chromium hands Blink the code modulo 65536 */
    return (int)((uint32_t)hops[r->hops - 1].response->status_code & 0xffffu);
}

static void print_json_hops(const cors_report *r)
{
    fputs(",\"hop_reports\":[", stdout);
    for (size_t i = 0; i < r->hop_report_count && i < r->hop_reports_capacity; i++) {
        const cors_hop_report *h = &r->hop_reports[i];
        printf("%s{\"hop\":%zu,\"url\":", i ? "," : "", i + 1);
        json_span_or_null(r, h->url.length > 0, h->url);
        printf(",\"sent\":%s,\"method\":", (int32_t)(i + 1) <= r->hops ? "true" : "false");
        json_span(r, h->method);
        fputs(",\"origin\":", stdout);
        json_span_or_null(r, h->has_origin, h->origin);
        printf(",\"body\":%s,\"preflight\":%s,\"acr_method\":", h->body ? "true" : "false",
               h->preflight ? "true" : "false");
        json_span_or_null(r, h->preflight, h->acr_method);
        fputs(",\"acr_headers\":", stdout);
        json_span_or_null(r, h->preflight && h->has_acr_headers, h->acr_headers);
        putchar('}');
    }
    putchar(']');
}

static void print_json(const cors_report *r, const options *o, const cors_hop *hops)
{
    int status = final_status(r, hops);
    json_open();
    printf(",\"rules\":\"%s\",", cors_rules_name(r->rules));
    if (!is_incomplete(r))
        printf("\"ok\":%s,\"incomplete\":null,", r->ok ? "true" : "false");
    else
        printf("\"ok\":null,\"incomplete\":\"%s\",", incomplete_name(r));
    printf("\"strict\":%s,\"method\":", o->strict ? "true" : "false");
    json_span(r, r->method);
    printf(",\"preflight\":%s,\"acr_method\":", r->preflight ? "true" : "false");
    json_span_or_null(r, r->has_acr_method, r->acr_method);
    fputs(",\"acr_headers\":", stdout);
    json_span_or_null(r, r->has_acr_headers, r->acr_headers);
    fputs(",\"failed_at\":", stdout);
    json_cstring_or_null(r->failed_at == CORS_STAGE_NONE ? NULL : cors_stage_name(r->failed_at));
    fputs(",\"error\":", stdout);
    json_cstring_or_null(r->kind == CORS_KIND_NONE ? NULL : cors_kind_name(r->kind));
    fputs(",\"readable_headers\":[", stdout);
    for (size_t i = 0; i < r->readable_count; i++) {
        if (i)
            putchar(',');
        json_span(r, r->readable[i]);
    }
    fputs("],\"preflight_cache_seconds\":", stdout);
    if (r->has_cache_seconds)
        printf("%lld", (long long)r->preflight_cache_seconds);
    else
        fputs("null", stdout);
    printf(",\"hops\":%d,\"failed_hop\":", (int)r->hops);
    if (r->failed_hop > 0)
        printf("%d", (int)r->failed_hop);
    else
        fputs("null", stdout);
    if (status >= 0)
        printf(",\"status\":%d", status);
    else
        fputs(",\"status\":null", stdout);
    print_json_hops(r);
    fputs(",\"findings\":[", stdout);
    for (size_t i = 0; i < r->finding_count; i++) {
        const cors_finding *f = &r->findings[i];
        printf("%s{\"code\":\"%s\",\"id\":%d,\"severity\":\"%s\",\"stage\":\"%s\",\"hop\":%d,\"header\":",
               i ? "," : "", cors_finding_name(f->code), (int)f->code, cors_severity_name(f->severity),
               cors_stage_name(f->stage), (int)f->hop);
        json_span_or_null(r, f->header.length > 0, f->header);
        fputs(",\"value\":", stdout);
        json_span_or_null(r, f->value.length > 0, f->value);
        fputs(",\"message\":", stdout);
        json_span(r, f->message);
        fputs(",\"fix\":", stdout);
        json_span_or_null(r, f->fix.length > 0, f->fix);
        putchar('}');
    }
    printf("]}\n");
}

/* ---- input errors: on stderr, and as JSON on stdout under --json ---- */

/* The symbolic name of the errno values reading a file gives. */
static const char *errno_name(int e)
{
    switch (e) {
#ifdef ENOENT
    case ENOENT: return "ENOENT";
#endif
#ifdef EACCES
    case EACCES: return "EACCES";
#endif
#ifdef EISDIR
    case EISDIR: return "EISDIR";
#endif
#ifdef ENOTDIR
    case ENOTDIR: return "ENOTDIR";
#endif
#ifdef ELOOP
    case ELOOP: return "ELOOP";
#endif
#ifdef ENAMETOOLONG
    case ENAMETOOLONG: return "ENAMETOOLONG";
#endif
#ifdef EMFILE
    case EMFILE: return "EMFILE";
#endif
#ifdef EIO
    case EIO: return "EIO";
#endif
    case ENOMEM: return "ENOMEM";
    default: return "EIO";
    }
}

/* One input error. status: a CORS_E_* or errno name; argument: the option
 * concerned; file: NULL when the input is no file; value: the argument's
 * value when it is no file (stderr only); offset and line: < 0 (offset) or 0
 * (line) when not applicable. */
typedef struct input_error {
    const char *status;
    const char *message;
    const char *argument;
    const char *file;
    const char *value;
    long long offset;
    int line;
} input_error;

static int report_input_error(const options *o, const input_error *e)
{
    fprintf(stderr, "corscheck: %s", e->argument);
    if (e->file != NULL)
        fprintf(stderr, " %s", e->file);
    else if (e->value != NULL)
        fprintf(stderr, " '%s'", e->value);
    if (e->offset >= 0)
        fprintf(stderr, ": byte %lld", e->offset);
    if (e->line > 0)
        fprintf(stderr, " (line %d)", e->line);
    fprintf(stderr, ": %s: %s\n", e->status, e->message);
    if (o->json) {
        json_open();
        fputs(",\"input_error\":{\"status\":", stdout);
        json_cstring_or_null(e->status);
        fputs(",\"message\":", stdout);
        json_cstring_or_null(e->message);
        fputs(",\"argument\":", stdout);
        json_cstring_or_null(e->argument);
        fputs(",\"file\":", stdout);
        json_cstring_or_null(e->file);
        if (e->offset >= 0)
            printf(",\"offset\":%lld", e->offset);
        else
            fputs(",\"offset\":null", stdout);
        if (e->line > 0)
            printf(",\"line\":%d}}\n", e->line);
        else
            fputs(",\"line\":null}}\n", stdout);
    }
    return EXIT_BAD_INPUT;
}

static int file_error(const options *o, const input *in, int e)
{
    char message[256];
    if (e == EISDIR)
        snprintf(message, sizeof(message), "is a directory, not a file holding a response head");
    else
        snprintf(message, sizeof(message), "%s", strerror(e));
    input_error ie = {errno_name(e), message, in->option, in->path, NULL, -1, 0};
    return report_input_error(o, &ie);
}

static int parse_error(const options *o, const input *in)
{
    input_error ie = {cors_status_name(in->status), cors_strerror(in->status), in->option, in->path, NULL,
                      (long long)in->err.offset, (int)in->err.line};
    return report_input_error(o, &ie);
}

/* ---- reading and evaluating ---- */

/* Read all of path ("-": standard input). 0, or errno. */
static int read_all(const char *path, char **bytes, size_t *len)
{
    FILE *f;
    size_t cap = 8192, n = 0;
    char *buf;
    int e = 0;

    errno = 0;
    f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return errno ? errno : ENOENT;
    buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            /* a read error, EISDIR for a directory, is not the end of the file */
            if (ferror(f))
                e = errno ? errno : EIO;
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    if (buf == NULL)
        return ENOMEM;
    if (e != 0) {
        free(buf);
        return e;
    }
    *bytes = buf;
    *len = n;
    return 0;
}

/* Read and parse a response file, with as many header slots as it has. An
 * unreadable file is fatal at once; a file that does not parse is kept aside
 * (in->status, in->err) and reported only if the browser actually gets to
 * that response. */
static int parse_at(const options *o, input *in)
{
    size_t capacity = 64;
    for (;;) {
        in->headers = malloc(capacity * sizeof(*in->headers));
        if (in->headers == NULL)
            return file_error(o, in, ENOMEM);
        cors_response_init(&in->response, sizeof(in->response));
        in->status = cors_response_parse(in->bytes + in->start, in->len - in->start,
                                         o->strict_head ? CORS_PARSE_STRICT : 0, in->headers, capacity,
                                         &in->response, &in->err);
        if (in->status != CORS_E_TOO_MANY_HEADERS)
            break;
        capacity = in->response.header_total;
        free(in->headers);
    }
    if (in->status != CORS_OK && in->start > 0) { /* offsets and lines count from the file's start */
        in->err.offset += in->start;
        for (size_t i = 0; i < in->start; i++)
            in->err.line += in->bytes[i] == '\n';
    }
    return 0;
}

static int load(const options *o, input *in)
{
    int e = read_all(in->path, &in->bytes, &in->len);
    if (e != 0)
        return file_error(o, in, e);
    return parse_at(o, in);
}

static int name_is(const cors_header *h, const char *name);

/* A redirect the browser follows, followed in the file by another head, as
 * `curl -siL` or `curl -L -D FILE` write a whole chain. */
static int next_head_follows(const input *in)
{
    const cors_response *r = &in->response;
    size_t at = in->start + r->next_offset;
    int location = 0;
    if (in->status != CORS_OK || !(r->status_code == 301 || r->status_code == 302 || r->status_code == 303 ||
                                   r->status_code == 307 || r->status_code == 308))
        return 0;
    for (size_t i = 0; i < r->header_count; i++)
        location |= name_is(&r->headers[i], "location");
    return location && at < in->len && in->len - at >= 5 && memcmp(in->bytes + at, "HTTP/", 5) == 0;
}

/* Every --response FILE holding several heads becomes one response per head. */
static int split_chains(options *o)
{
    size_t count = 0, capacity = o->response_count + 1;
    input *out = malloc(capacity * sizeof(*out));
    if (out == NULL)
        return file_error(o, &o->responses[0], ENOMEM);
    for (size_t i = 0; i < o->response_count; i++) {
        input cur = o->responses[i];
        for (int head = 1;; head++) {
            int more = next_head_follows(&cur);
            if (count == capacity) {
                input *bigger = realloc(out, 2 * capacity * sizeof(*out));
                if (bigger == NULL) {
                    free(out);
                    return file_error(o, &cur, ENOMEM);
                }
                out = bigger;
                capacity *= 2;
            }
            out[count++] = cur;
            if (!more)
                break;
            cur.start += cur.response.next_offset;
            {
                size_t n = strlen(o->responses[i].path) + 32;
                char *label = malloc(n);
                if (label == NULL) {
                    free(out);
                    return file_error(o, &cur, ENOMEM);
                }
                snprintf(label, n, "%s (head %d)", o->responses[i].path, head + 1);
                cur.path = label;
            }
            parse_at(o, &cur);
        }
    }
    free(o->responses);
    o->responses = out;
    o->response_count = count;
    return 0;
}

static const cors_response *usable(const input *in)
{
    return in->path != NULL && in->status == CORS_OK ? &in->response : NULL;
}

/* Evaluate the chain, growing the report's buffers until the answer is complete. */
static int32_t evaluate(const cors_options *opts, const cors_request *req, const cors_hop *hops, size_t hop_count,
                        answer *a, cors_error *err)
{
    /* a readable array as long as the request's headers also sorts its unsafe names in O(n log n) */
    size_t findings = 16, readable = req->header_count + 2 > 32 ? req->header_count + 2 : 32, text = 4096,
           hop_reports = 32;
    for (;;) {
        int32_t st;
        a->findings = malloc(findings * sizeof(*a->findings));
        a->readable = malloc(readable * sizeof(*a->readable));
        a->text = malloc(text);
        a->hops = malloc(hop_reports * sizeof(*a->hops));
        if (a->findings == NULL || a->readable == NULL || a->text == NULL || a->hops == NULL) {
            fprintf(stderr, "corscheck: %s\n", strerror(ENOMEM));
            exit(EXIT_BAD_INPUT);
        }
        cors_report_init(&a->report, sizeof(a->report), a->findings, findings, a->readable, readable, a->text,
                         text);
        cors_report_lend_hops(&a->report, a->hops, hop_reports);
        st = cors_evaluate_chain(opts, req, hops, hop_count, &a->report, err);
        if (st != CORS_OK || !(a->report.needs & CORS_NEED_ROOM))
            return st;
        /* the counts say what the whole answer takes */
        findings = a->report.finding_count > findings ? a->report.finding_count : findings;
        readable = a->report.readable_count > readable ? a->report.readable_count : readable;
        text = a->report.text_length > text ? a->report.text_length : text;
        hop_reports = a->report.hop_report_count > hop_reports ? a->report.hop_report_count : hop_reports;
        free(a->findings);
        free(a->readable);
        free(a->text);
        free(a->hops);
    }
}

/* A FILE the browser never reads: said on standard error, never an error. */
static void print_unused(const input *in)
{
    if (in->status != CORS_OK)
        fprintf(stderr, "corscheck: ignored, the browser does not use it: %s %s: byte %zu (line %d): %s: %s\n",
                in->option, in->path, in->err.offset, (int)in->err.line, cors_status_name(in->status),
                cors_strerror(in->status));
    else
        fprintf(stderr, "corscheck: note: %s %s is not used: the browser %s\n", in->option, in->path,
                in->option[2] == 'p' ? "sends no (further) preflight for this request"
                                     : "does not get to that response");
}

/* ---- the command line ---- */

static int parse_header_arg(options *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    cors_header *h;
    if (colon == NULL)
        return usage_error("--header needs 'Name: value', got '%s'", arg);
    h = &o->headers[o->header_count++];
    h->name.ptr = arg;
    h->name.len = (size_t)(colon - arg);
    h->value.ptr = colon + 1; /* libcors trims the value as fetch() does */
    h->value.len = strlen(colon + 1);
    return 0;
}

/* Options taking a value, given once each; --header, --preflight and --response are handled apart. */
static const char **single_valued(options *o, const char *name)
{
    static const char *const names[] = {"--rules", "--origin", "--method", "--credentials",
                                        "--url", "--body", "--print-curl", "--policy"};
    const char **slots[] = {&o->rules_name, &o->origin, &o->method, &o->credentials,
                            &o->url, &o->body, &o->print_curl, &o->policy};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return slots[i];
    return NULL;
}

/* Flush standard output and say whether everything printed got there. */
static int stdout_ok(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 1;
    fprintf(stderr, "corscheck: standard output: %s\n", strerror(errno ? errno : EIO));
    return 0;
}

/* Parse argv into *o. -1 when the run goes on, else the exit status. */
static int parse_args(int argc, char **argv, options *o)
{
    int stdin_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        char name[32];
        const char *value = NULL;
        const char **slot;
        int repeated;

        if (eq != NULL) { /* --opt=value */
            size_t n = (size_t)(eq - a);
            if (n >= sizeof(name))
                return usage_error("unknown option '%s'", a);
            memcpy(name, a, n);
            name[n] = '\0';
            value = eq + 1;
        } else if (strlen(a) < sizeof(name)) {
            strcpy(name, a);
        } else {
            return usage_error("unknown option '%s'", a);
        }

        if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "--version") == 0 ||
            strcmp(name, "-V") == 0 || strcmp(name, "--json") == 0 || strcmp(name, "--strict") == 0 ||
            strcmp(name, "--strict-head") == 0) {
            if (value != NULL)
                return usage_error("%s takes no value", name);
            if (name[1] == 'h' || strcmp(name, "--help") == 0) {
                fputs(synopsis, stdout);
                fputs(help, stdout);
                fputs(help_more, stdout);
                return stdout_ok() ? 0 : EXIT_BAD_INPUT;
            }
            if (name[1] == 'V' || strcmp(name, "--version") == 0) {
                printf("corscheck (libcors) %s\n", cors_version());
                return stdout_ok() ? 0 : EXIT_BAD_INPUT;
            }
            if (strcmp(name, "--json") == 0)
                o->json = 1;
            else if (strcmp(name, "--strict-head") == 0)
                o->strict_head = 1;
            else
                o->strict = 1;
            continue;
        }
        slot = single_valued(o, name);
        repeated = strcmp(name, "--header") == 0 || strcmp(name, "--preflight") == 0 || strcmp(name, "--response") == 0;
        if (slot == NULL && !repeated) {
            if (a[0] != '-')
                return usage_error("unexpected argument '%s' (FILEs follow --preflight or --response)", a);
            return usage_error("unknown option '%s'", name);
        }
        if (value == NULL) {
            if (i + 1 == argc)
                return usage_error("%s needs a value", name);
            value = argv[++i];
        }
        if (slot == NULL && name[2] == 'h') {
            int rc = parse_header_arg(o, value);
            if (rc != 0)
                return rc;
        } else if (slot == NULL) {
            input *in = name[2] == 'p' ? &o->preflights[o->preflight_count++] : &o->responses[o->response_count++];
            in->option = name[2] == 'p' ? "--preflight" : "--response";
            in->path = value;
            stdin_files += strcmp(value, "-") == 0;
        } else if (*slot != NULL) {
            fprintf(stderr, "corscheck: %s given twice ('%s', then '%s'): give it once\n", name, *slot, value);
            fprintf(stderr, "Try 'corscheck --help' for more.\n");
            return EXIT_BAD_INPUT;
        } else {
            *slot = value;
        }
    }
    if (o->rules_name != NULL) {
        o->rules = cors_rules_from_name(o->rules_name, strlen(o->rules_name));
        if (o->rules < 0)
            return usage_error("--rules takes browser, galxe or reflect, not '%s'", o->rules_name);
    }
    if (o->credentials != NULL && strcmp(o->credentials, "same-origin") != 0 && strcmp(o->credentials, "omit") != 0 &&
        strcmp(o->credentials, "include") != 0)
        return usage_error("--credentials takes omit, same-origin or include, not '%s'", o->credentials);
    if (o->rules == CORS_RULES_GALXE) {
        if (o->origin == NULL)
            o->origin = GALXE_ORIGIN;
        if (o->method == NULL)
            o->method = "POST";
    }
    if (o->origin == NULL && o->policy == NULL)
        return usage_error("--origin is required (the page's origin, e.g. https://app.example)");
    if (stdin_files > 1)
        return usage_error("only one --preflight or --response FILE can be '-' (standard input)");
    return -1;
}

/* ---- human output ---- */

static void print_span(const cors_report *r, cors_span s)
{
    fwrite(r->text + s.offset, 1, s.length, stdout);
}

static const char *credentials_name(int32_t credentials)
{
    return credentials == CORS_CREDENTIALS_INCLUDE ? "include"
           : credentials == CORS_CREDENTIALS_OMIT  ? "omit"
                                                   : "same-origin";
}

static void print_human(const cors_report *r, const options *o, const cors_request *req)
{
    static const int32_t stages[] = {CORS_STAGE_REQUEST, CORS_STAGE_PREFLIGHT, CORS_STAGE_RESPONSE};
    int any_fix = 0;

    if (is_incomplete(r))
        printf("INCOMPLETE (%s rules): %s\n", cors_rules_name(r->rules), incomplete_text(r));
    else if (r->ok && r->rules == CORS_RULES_GALXE)
        printf("PASSES Galxe's CORS check.\n");
    else if (r->ok)
        printf("ALLOWED (%s rules): the page can read the response.\n", cors_rules_name(r->rules));
    else
        printf("REFUSED (%s rules) at the %s: %s\n", cors_rules_name(r->rules), cors_stage_name(r->failed_at),
               cors_kind_name(r->kind));
    if (r->rules == CORS_RULES_GALXE) {
        printf("  probe:     OPTIONS from %s, as Galxe's backend sends it\n", o->origin);
    } else {
        printf("  request:   ");
        print_span(r, r->method);
        printf(" from %s, credentials %s%s\n", o->origin,
               r->rules == CORS_RULES_REFLECT ? "include (the reflect rules judge credentialed calls)"
                                              : credentials_name(req->credentials),
               o->strict ? " (Fetch standard, --strict)" : "");
    }
    if (r->hop_report_count > 1) /* a redirect chain: what went to each URL */
        for (size_t i = 0; i < r->hop_report_count && i < r->hop_reports_capacity; i++) {
            const cors_hop_report *h = &r->hop_reports[i];
            printf("  URL %-2zu     ", i + 1);
            if (h->url.length > 0)
                print_span(r, h->url);
            else
                printf("(not known: give --url)");
            printf("\n             %s", h->preflight ? "preflight, then " : "");
            print_span(r, h->method);
            if (h->has_origin) {
                printf(" with Origin: ");
                print_span(r, h->origin);
            }
            printf("%s%s\n", h->body ? ", a body" : "", (int32_t)(i + 1) <= r->hops ? "" : " (not sent)");
        }
    if (r->preflight) {
        printf("  preflight: sent, Access-Control-Request-Method: ");
        print_span(r, r->acr_method);
        if (r->has_acr_headers) {
            printf(", Access-Control-Request-Headers: ");
            print_span(r, r->acr_headers);
        }
        putchar('\n');
        if (r->has_cache_seconds)
            printf("  cached:    %lld s\n", (long long)r->preflight_cache_seconds);
    } else if (r->failed_at != CORS_STAGE_REQUEST) {
        printf("  preflight: none (a simple request)\n");
    }
    if (r->ok && r->rules != CORS_RULES_GALXE) {
        printf("  readable:  %s", r->readable_count == 0 ? "(none)" : "");
        for (size_t i = 0; i < r->readable_count; i++) {
            if (i)
                fputs(", ", stdout);
            print_span(r, r->readable[i]);
        }
        putchar('\n');
    }
    for (size_t s = 0; s < sizeof(stages) / sizeof(stages[0]); s++) {
        int header_printed = 0;
        for (size_t i = 0; i < r->finding_count; i++) {
            const cors_finding *f = &r->findings[i];
            if (f->stage != stages[s])
                continue;
            if (!header_printed)
                printf("\n%s:\n", cors_stage_name(stages[s]));
            header_printed = 1;
            printf("  %-7s %s: ", cors_severity_name(f->severity), cors_finding_name(f->code));
            print_span(r, f->message);
            putchar('\n');
            if (f->value.length > 0) {
                printf("          received: ");
                print_span(r, f->header);
                printf(f->header.length ? ": " : "");
                print_span(r, f->value);
                putchar('\n');
            }
            any_fix |= f->fix.length > 0;
        }
    }
    if (any_fix) {
        printf("\nwhat to send instead:\n");
        for (size_t i = 0; i < r->finding_count; i++) {
            const cors_finding *f = &r->findings[i];
            const char *p = r->text + f->fix.offset, *end = p + f->fix.length;
            if (f->fix.length == 0)
                continue;
            printf("  [%s] on the %s:\n", cors_finding_name(f->code), cors_stage_name(f->stage));
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                printf("    %.*s\n", (int)n, p);
                p += n + (nl != NULL);
            }
        }
    }
}

/* ---- --print-curl ---- */

static void quote_bytes(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\'')
            fputs("'\\''", stdout);
        else
            putchar(p[i]);
    }
}

/* prefix and value as one single-quoted shell word. */
static void shell_quote_pair(const char *prefix, const char *p, size_t n)
{
    putchar('\'');
    quote_bytes(prefix, strlen(prefix));
    quote_bytes(p, n);
    putchar('\'');
}

static void shell_quote(const char *p, size_t n)
{
    shell_quote_pair("", p, n);
}

static void quote_span(const cors_report *r, const char *prefix, cors_span s)
{
    shell_quote_pair(prefix, r->text + s.offset, s.length);
}

/* What Chromium 156 sends besides the page's own headers (observed with the
 * browser suite's --dump-requests; tests/browser/README.md, "Capture"). */
#define CHROME_UA "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
#define CHROME_CH_UA "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\""
#define CHROME_LANGUAGE "en-US,en;q=0.9"
#define STRING_BODY_TYPE "text/plain;charset=UTF-8"

/* The parts of the URL the capture depends on. */
typedef struct capture_url {
    const char *text;
    size_t origin_len;   /* scheme://host[:port] */
    int https;
    int trustworthy;     /* https, or a loopback host: Chromium adds sec-ch-ua and Sec-Fetch-* */
    int same_origin;     /* with the page */
    int same_site;       /* same scheme and host, another port (no public suffix list here) */
} capture_url;

static int has_prefix(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

static void read_capture_url(const options *o, const cors_report *r, capture_url *u)
{
    const char *host, *end;
    size_t n, host_len;
    memset(u, 0, sizeof(*u));
    /* the URL as the browser requests it (canonical, no fragment), else as given */
    if (r->hop_report_count > 0 && r->hop_reports_capacity > 0 && r->hop_reports[0].url.length > 0) {
        static char canonical[4096];
        cors_span s = r->hop_reports[0].url;
        n = s.length < sizeof(canonical) - 1 ? s.length : sizeof(canonical) - 1;
        memcpy(canonical, r->text + s.offset, n);
        canonical[n] = '\0';
        u->text = canonical;
    } else {
        u->text = o->print_curl;
        n = strlen(u->text);
    }
    u->https = has_prefix(u->text, n, "https://");
    host = strstr(u->text, "://");
    host = host ? host + 3 : u->text;
    end = host + strcspn(host, "/?#");
    u->origin_len = (size_t)(end - u->text);
    host_len = strcspn(host, ":/?#");
    if (host[0] == '[')
        host_len = strcspn(host, "]/?#") + (host[strcspn(host, "]/?#")] == ']');
    u->trustworthy = u->https || (host_len == 9 && memcmp(host, "localhost", 9) == 0) ||
                     (host_len == 5 && memcmp(host, "[::1]", 5) == 0) || (host_len > 4 && memcmp(host, "127.", 4) == 0);
    u->same_origin = strlen(o->origin) == u->origin_len && memcmp(o->origin, u->text, u->origin_len) == 0;
    if (!u->same_origin) {
        /* another port of the same scheme and host: the same site */
        size_t scheme_host = (size_t)(host - u->text) + host_len;
        const char *page_end = o->origin + strlen(o->origin);
        const char *page_port = strchr(strstr(o->origin, "://") ? strstr(o->origin, "://") + 3 : o->origin, ':');
        size_t page_scheme_host = (size_t)((page_port ? page_port : page_end) - o->origin);
        u->same_site = page_scheme_host == scheme_host && memcmp(o->origin, u->text, scheme_host) == 0;
    }
}

/* A header the page gave that fetch() sends (not dropped as forbidden), by index. */
static int header_is_sent(const options *o, const cors_report *r, size_t i)
{
    const cors_header *h = &o->headers[i];
    for (size_t k = 0; k < r->finding_count && k < r->findings_capacity; k++) {
        const cors_finding *f = &r->findings[k];
        if (f->code == CORS_FINDING_REQUEST_HEADER_DROPPED && f->value.length == h->name.len &&
            memcmp(r->text + f->value.offset, h->name.ptr, h->name.len) == 0)
            return 0;
    }
    return 1;
}

static int name_is(const cors_header *h, const char *name)
{
    size_t n = strlen(name);
    if (h->name.len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h->name.ptr[i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != name[i])
            return 0;
    }
    return 1;
}

static int same_name(const cors_header *a, const cors_header *b)
{
    if (a->name.len != b->name.len)
        return 0;
    for (size_t i = 0; i < a->name.len; i++) {
        char x = a->name.ptr[i], y = b->name.ptr[i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return 1;
}

/* One " -H 'Name: value'" argument. */
static void curl_header(const char *name, const char *value, size_t len)
{
    printf(" \\\n  -H ");
    putchar('\'');
    quote_bytes(name, strlen(name));
    quote_bytes(": ", 2);
    quote_bytes(value, len);
    putchar('\'');
}

static void curl_header_c(const char *name, const char *value)
{
    curl_header(name, value, strlen(value));
}

static int http_whitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A value without fetch()'s leading and trailing HTTP whitespace (SP, HTAB, CR, LF). */
static cors_str trimmed(cors_str v)
{
    while (v.len > 0 && http_whitespace(v.ptr[0]))
        v.ptr++, v.len--;
    while (v.len > 0 && http_whitespace(v.ptr[v.len - 1]))
        v.len--;
    return v;
}

static int chromium_range(cors_str v, char *out, size_t cap);

/* The page's headers as fetch() sends them: forbidden ones dropped, a
 * repeated name once, at its first place, its values joined with ", ".
 * content_type: 0 all but Content-Type, 1 Content-Type only. */
static void curl_page_headers(const options *o, const cors_report *r, int content_type)
{
    for (size_t i = 0; i < o->header_count; i++) {
        const cors_header *h = &o->headers[i];
        int first = 1;
        if (!header_is_sent(o, r, i) || name_is(h, "content-type") != content_type)
            continue;
        for (size_t k = 0; k < i && first; k++)
            first = !same_name(&o->headers[k], h) || !header_is_sent(o, r, k);
        if (!first)
            continue;
        size_t total = 0, values = 0;
        for (size_t k = i; k < o->header_count; k++)
            if (same_name(&o->headers[k], h))
                total += trimmed(o->headers[k].value).len, values++;
        printf(" \\\n  -H '");
        quote_bytes(h->name.ptr, h->name.len);
        char range[64];
        if (values == 1 && name_is(h, "range") && r->method.length == 3 && memcmp(r->text + r->method.offset, "GET", 3) == 0 &&
            chromium_range(trimmed(h->value), range, sizeof(range))) {
            quote_bytes(": ", 2);
            quote_bytes(range, strlen(range));
            putchar('\'');
            continue;
        }
        if (total == 0 && values == 1) { /* curl sends 'Name;' as an empty header; 'Name:' would remove it */
            quote_bytes(";", 1);
            putchar('\'');
            continue;
        }
        quote_bytes(": ", 2);
        for (size_t k = i, n = 0; k < o->header_count; k++) {
            cors_str v;
            if (!same_name(&o->headers[k], h))
                continue;
            v = trimmed(o->headers[k].value);
            if (n++)
                quote_bytes(", ", 2);
            quote_bytes(v.ptr, v.len);
        }
        putchar('\'');
    }
}

/* A number of a byte range as net::HttpUtil::ParseRangeHeader reads it:
 * linear whitespace around it, an optional '+', decimal digits, no overflow. */
static int range_number(const char *p, size_t n, long long *out)
{
    long long v = 0;
    while (n > 0 && (p[0] == ' ' || p[0] == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n > 0 && p[0] == '+')
        p++, n--;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9' || v > (9223372036854775807LL - (p[i] - '0')) / 10)
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 0;
    return 1;
}

/* Chromium's HTTP cache writes the Range header of a GET holding one valid byte range
 * anew (net::HttpUtil::ParseRangeHeader, then HttpByteRange::GetHeaderValue):
 * 'Bytes = +007-010' goes out as 'bytes=7-10'. Writes that form into out and
 * returns 1, or returns 0 when Chromium sends the value as given. */
static int chromium_range(cors_str v, char *out, size_t cap)
{
    const char *eq = memchr(v.ptr, '=', v.len);
    const char *p, *end = v.ptr + v.len, *one = NULL, *one_end = NULL, *dash;
    long long first = -1, last = -1;
    size_t unit;
    if (eq == NULL)
        return 0;
    for (p = v.ptr; p < eq && (*p == ' ' || *p == '\t'); p++)
        ;
    for (unit = (size_t)(eq - p); unit > 0 && (p[unit - 1] == ' ' || p[unit - 1] == '\t'); unit--)
        ;
    cors_header unit_name = {{p, unit}, {"", 0}};
    if (!name_is(&unit_name, "bytes"))
        return 0;
    for (p = eq + 1; p <= end;) { /* exactly one non-empty element between commas */
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        if (!blank(p, (size_t)(e - p))) {
            if (one != NULL)
                return 0;
            one = p;
            one_end = e;
        }
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (one == NULL || (dash = memchr(one, '-', (size_t)(one_end - one))) == NULL)
        return 0;
    if (blank(one, (size_t)(dash - one))) { /* a suffix: the last N bytes */
        if (!range_number(dash + 1, (size_t)(one_end - dash - 1), &last) || last <= 0)
            return 0;
        snprintf(out, cap, "bytes=-%lld", last);
        return 1;
    }
    if (!range_number(one, (size_t)(dash - one), &first))
        return 0;
    if (!blank(dash + 1, (size_t)(one_end - dash - 1)) &&
        (!range_number(dash + 1, (size_t)(one_end - dash - 1), &last) || last < first))
        return 0;
    if (last < 0)
        snprintf(out, cap, "bytes=%lld-", first);
    else
        snprintf(out, cap, "bytes=%lld-%lld", first, last);
    return 1;
}

static int page_sets(const options *o, const cors_report *r, const char *name)
{
    for (size_t i = 0; i < o->header_count; i++)
        if (name_is(&o->headers[i], name) && header_is_sent(o, r, i))
            return 1;
    return 0;
}

/* The head options every capture shares: the head alone, byte for byte, into FILE. */
static void curl_start(const char *file)
{
    printf("curl -sS --noproxy '*' --max-time 30 -D %s -o /dev/null", file);
}

/* A conditional request (If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since, If-Range) makes Chromium validate its cache: its
 * preflight and its request both start with Cache-Control: max-age=0 (the
 * request keeps the page's Cache-Control instead when it sets one). */
static int conditional(const options *o, const cors_report *r, int actual)
{
    return !(actual && page_sets(o, r, "cache-control")) &&
           (page_sets(o, r, "if-match") || page_sets(o, r, "if-none-match") || page_sets(o, r, "if-modified-since") ||
            page_sets(o, r, "if-unmodified-since") || page_sets(o, r, "if-range"));
}

/* The tail of every request: Referer, then Accept-Encoding (identity for a
 * range request, as Chromium asks) and Accept-Language unless the page set one. */
static void curl_referer_and_tail(const options *o, const cors_report *r, const capture_url *u, int actual)
{
    char referer[1024];
    if (strcmp(o->origin, "null") != 0 && !(u->https == 0 && strncmp(o->origin, "https:", 6) == 0)) {
        snprintf(referer, sizeof(referer), "%s/", o->origin);
        curl_header_c("Referer", referer);
    }
    if (actual && page_sets(o, r, "range"))
        curl_header_c("Accept-Encoding", "identity");
    else
        curl_header_c("Accept-Encoding", u->https ? "gzip, deflate, br, zstd" : "gzip, deflate");
    if (!(actual && page_sets(o, r, "accept-language")))
        curl_header_c("Accept-Language", CHROME_LANGUAGE);
}

static const char *sec_fetch_site(const capture_url *u)
{
    return u->same_origin ? "same-origin" : u->same_site ? "same-site" : "cross-site";
}

static void curl_preflight(const options *o, const cors_report *r, const capture_url *u)
{
    curl_start("preflight.txt");
    printf(" -X OPTIONS ");
    shell_quote(o->print_curl, strlen(o->print_curl));
    if (conditional(o, r, 0))
        curl_header_c("Cache-Control", "max-age=0");
    curl_header_c("Accept", "*/*");
    curl_header("Access-Control-Request-Method", r->text + r->acr_method.offset, r->acr_method.length);
    if (r->has_acr_headers)
        curl_header("Access-Control-Request-Headers", r->text + r->acr_headers.offset, r->acr_headers.length);
    curl_header_c("Origin", o->origin);
    curl_header_c("User-Agent", CHROME_UA);
    curl_header_c("Sec-Fetch-Mode", "cors");
    if (u->trustworthy) {
        curl_header_c("Sec-Fetch-Site", sec_fetch_site(u));
        curl_header_c("Sec-Fetch-Dest", "empty");
    }
    curl_referer_and_tail(o, r, u, 0);
    putchar('\n');
}

static void curl_actual(const options *o, const cors_report *r, const capture_url *u, int has_origin)
{
    const char *method = r->text + r->method.offset;
    size_t method_len = r->method.length;
    int head = method_len == 4 && memcmp(method, "HEAD", 4) == 0;
    int body = o->body != NULL && !head && !(method_len == 3 && memcmp(method, "GET", 3) == 0);
    int content_type = page_sets(o, r, "content-type");

    curl_start("response.txt");
    if (head) {
        printf(" -I");
    } else if (!(method_len == 3 && memcmp(method, "GET", 3) == 0) &&
               !(body && method_len == 4 && memcmp(method, "POST", 4) == 0)) {
        printf(" -X ");
        quote_span(r, "", r->method);
    }
    putchar(' ');
    shell_quote(o->print_curl, strlen(o->print_curl));
    if (body) {
        printf(" \\\n  --data-raw ");
        shell_quote(o->body, strlen(o->body));
        printf(" -H 'Expect:'");
    } else if ((method_len == 4 && memcmp(method, "POST", 4) == 0) || (method_len == 3 && memcmp(method, "PUT", 3) == 0)) {
        printf(" -H 'Content-Length: 0'"); /* Chromium's for a POST or PUT without a body */
    }
    if (conditional(o, r, 1))
        curl_header_c("Cache-Control", "max-age=0");
    if (u->trustworthy) { /* https: the page's headers, then the client hints */
        curl_page_headers(o, r, 0);
        curl_header_c("sec-ch-ua-platform", "\"Linux\"");
        curl_header_c("User-Agent", CHROME_UA);
        curl_header_c("sec-ch-ua", CHROME_CH_UA);
    } else { /* plain http: no client hints, the page's headers after User-Agent */
        curl_header_c("User-Agent", CHROME_UA);
        curl_page_headers(o, r, 0);
    }
    if (content_type)
        curl_page_headers(o, r, 1);
    else if (body)
        curl_header_c("Content-Type", STRING_BODY_TYPE);
    if (u->trustworthy)
        curl_header_c("sec-ch-ua-mobile", "?0");
    if (!page_sets(o, r, "accept"))
        curl_header_c("Accept", "*/*");
    if (has_origin)
        curl_header_c("Origin", o->origin);
    if (u->trustworthy) {
        curl_header_c("Sec-Fetch-Site", sec_fetch_site(u));
        curl_header_c("Sec-Fetch-Mode", "cors");
        curl_header_c("Sec-Fetch-Dest", "empty");
        if (r->rules != CORS_RULES_GALXE && o->credentials != NULL && strcmp(o->credentials, "include") == 0 &&
            u->https)
            curl_header_c("Sec-Fetch-Storage-Access", "none");
    }
    curl_referer_and_tail(o, r, u, 1);
    putchar('\n');
}

/* The capture commands: the head each request gets, into preflight.txt
 * and response.txt, with the headers Chromium sends in Chromium's order. */
static int print_curl(const options *o, const cors_report *r, int needs_preflight)
{
    capture_url u;
    int has_origin = r->hop_report_count > 0 && r->hop_reports_capacity > 0 ? r->hop_reports[0].has_origin : 1;
    if (r->failed_at == CORS_STAGE_REQUEST) {
        fprintf(stderr, "corscheck: fetch() would reject this request before sending it (%s): nothing to capture\n",
                cors_kind_name(r->kind));
        return EXIT_BAD_INPUT;
    }
    read_capture_url(o, r, &u);
    printf("# Capture what the server answers Chromium 156 (its headers, in its order), then judge it.\n"
           "# Differs from Chromium: no 'Connection: keep-alive', curl's own place for Content-Length, the\n"
           "# page's headers in the order given (Chromium's follows Blink's hash table). Add the browser's\n"
           "# cookies (-H 'Cookie: ...') when credentials are sent, '--cacert ca.pem' for a private CA.\n"
           "# curl must exit 0: a file that does not end in an empty line was cut short.\n");
    if (!u.same_origin && !u.same_site)
        printf("# Sec-Fetch-Site is cross-site; make it same-site when the page and the API share a site.\n");
    if (r->rules == CORS_RULES_GALXE) {
        curl_preflight(o, r, &u);
        printf("corscheck --rules galxe --origin ");
        shell_quote(o->origin, strlen(o->origin));
        printf(" --method ");
        quote_span(r, "", r->method);
        printf(" --url ");
        shell_quote(o->print_curl, strlen(o->print_curl));
        printf(" --preflight preflight.txt\n");
        return 0;
    }
    if (needs_preflight)
        curl_preflight(o, r, &u);
    curl_actual(o, r, &u, has_origin);
    printf("# A 3xx with Location: capture its target the same way (Origin: null after another origin) and\n"
           "# add each response, in order, with one more --response.\n");
    printf("corscheck --rules %s --origin ", cors_rules_name(o->rules));
    shell_quote(o->origin, strlen(o->origin));
    printf(" --url ");
    shell_quote(o->print_curl, strlen(o->print_curl));
    printf(" --method ");
    quote_span(r, "", r->method);
    for (size_t i = 0; i < o->header_count; i++) {
        printf(" --header ");
        shell_quote(o->headers[i].name.ptr, o->headers[i].name.len + 1 + o->headers[i].value.len);
    }
    if (o->credentials)
        printf(" --credentials %s", o->credentials);
    if (o->body) {
        printf(" --body ");
        shell_quote(o->body, strlen(o->body));
    }
    printf("%s --response response.txt\n", needs_preflight ? " --preflight preflight.txt" : "");
    return 0;
}

/* The FILE of kind option the browser needs where the report stops, or NULL. */
static const input *needed_file(const options *o, const cors_report *r)
{
    int hop = (int)r->hop_report_count;
    if (r->needs & CORS_NEED_PREFLIGHT) {
        for (size_t i = 0; i < o->preflight_count; i++)
            if (o->preflights[i].hop == hop)
                return &o->preflights[i];
    } else if ((r->needs & CORS_NEED_RESPONSE) && hop >= 1 && (size_t)hop <= o->response_count) {
        return &o->responses[hop - 1];
    }
    return NULL;
}

/* Evaluate with the FILEs given: response N answers hop N; each preflight
 * the browser sends takes the next --preflight FILE, also at a URL whose
 * response was not given (the chain may end at that preflight). */
static int32_t evaluate_files(options *o, const cors_options *opts, const cors_request *req, cors_hop *hops,
                              answer *a, cors_error *err)
{
    size_t hop_count = o->response_count > 0 ? o->response_count : 1;
    size_t next_preflight = 0;
    for (size_t i = 0; i < o->response_count && !o->print_curl; i++) {
        o->responses[i].hop = (int)i + 1;
        hops[i].response = usable(&o->responses[i]);
    }
    for (;;) {
        int32_t st = evaluate(opts, req, hops, hop_count, a, err);
        const cors_report *r = &a->report;
        input *in;
        if (st != CORS_OK || o->print_curl || next_preflight == o->preflight_count ||
            !(r->needs & (CORS_NEED_PREFLIGHT | CORS_NEED_REDIRECT_TARGET)))
            return st;
        if (r->needs & CORS_NEED_REDIRECT_TARGET) { /* a preflight left: the next URL is judged that far */
            hop_count++;
        } else {
            in = &o->preflights[next_preflight++];
            in->hop = (int)r->hop_report_count;
            if (in->status != CORS_OK)
                return st; /* the browser needs this one: main() says it does not parse */
            hops[in->hop - 1].preflight = &in->response;
        }
        free(a->findings);
        free(a->readable);
        free(a->text);
        free(a->hops);
    }
}

/* ---- --policy: a server's policy text, validated, answering, judged ---- */

static void print_answer(const char *what, const cors_answer *a, const cors_emitted_header *h)
{
    printf("  %s", what);
    if (a->kind == CORS_ANSWER_PREFLIGHT)
        printf(" -> %d%s", (int)a->status_code, a->allowed ? "" : " (refused");
    else if (!a->allowed)
        printf(" -> refused");
    if (!a->allowed && a->kind != CORS_ANSWER_NOT_CORS && a->refused_by != 0)
        printf(" by %s", cors_field_name(a->refused_by)); /* the policy's own reason, before the browser's */
    if (a->kind == CORS_ANSWER_PREFLIGHT && !a->allowed)
        putchar(')');
    printf("\n");
    for (size_t i = 0; i < a->header_count; i++)
        printf("    %.*s: %.*s%s\n", (int)h[i].name.len, h[i].name.ptr, (int)h[i].value.len, h[i].value.ptr,
               h[i].action == CORS_HEADER_APPEND ? "   (append)" : "");
}

/* Validate the policy file (issues as FILE:LINE), and with a request (req not NULL) print the
 * answers the policy sends and judge them; returns the exit status. */
static int check_policy(const options *o, const cors_request *req)
{
    static answer ans;
    cors_policy_config config;
    cors_config_issue *issues = NULL;
    cors_str *items = NULL;
    cors_options opts;
    const cors_policy *policy = NULL;
    size_t n = 0, count = 0, needed = 0;
    cors_error err;
    char *text = NULL;
    void *mem = NULL;
    int32_t st;
    int e, rc = EXIT_BAD_INPUT;

    if ((e = read_all(o->policy, &text, &n)) != 0) {
        fprintf(stderr, "corscheck: --policy %s: %s\n", o->policy, e == EISDIR ? "is a directory" : strerror(e));
        return EXIT_BAD_INPUT;
    }
    size_t len = n;
    cors_policy_config_init(&config, sizeof(config));
    st = cors_policy_parse(text, len, &config, NULL, 0, &n, &err);
    if (st == CORS_E_BUFFER_TOO_SMALL && (items = malloc((n ? n : 1) * sizeof(*items))) != NULL)
        st = cors_policy_parse(text, len, &config, items, n, &n, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "%s:%d: error: byte %zu: %s: %s\n", o->policy, (int)err.line, err.offset,
                cors_status_name(st), cors_strerror(st));
        goto done;
    }
    st = cors_policy_validate(&config, NULL, 0, &count);
    issues = malloc((count ? count : 1) * sizeof(*issues));
    if (issues == NULL)
        goto done;
    st = cors_policy_validate(&config, issues, count, &count);
    cors_policy_locate(text, len, issues, count);
    for (size_t i = 0; i < count; i++)
        fprintf(req && o->json ? stderr : stdout, "%s:%d: %s: %s: %s\n", o->policy, (int)issues[i].line,
                cors_severity_name(issues[i].severity), cors_config_issue_name(issues[i].code),
                cors_config_issue_text(issues[i].code));
    if (st != CORS_OK) {
        fprintf(stderr, "corscheck: %s: the policy has errors; it does not compile\n", o->policy);
        goto done;
    }
    cors_policy_compile(&config, NULL, 0, &needed, NULL);
    if ((mem = malloc(needed)) == NULL || cors_policy_compile(&config, mem, needed, &needed, &policy) != CORS_OK)
        goto done;
    rc = 0;
    if (req == NULL)
        goto done;

    /* the browser against the policy, with the report grown until it fits */
    cors_options_init(&opts, sizeof(opts));
    opts.rules = o->rules;
    opts.flags = o->strict ? CORS_OPTION_STRICT : 0;
    size_t nf = 16, nr = 32, nt = 4096;
    for (;;) {
        ans.findings = malloc(nf * sizeof(*ans.findings));
        ans.readable = malloc(nr * sizeof(*ans.readable));
        ans.text = malloc(nt);
        if (ans.findings == NULL || ans.readable == NULL || ans.text == NULL)
            exit(EXIT_BAD_INPUT);
        cors_report_init(&ans.report, sizeof(ans.report), ans.findings, nf, ans.readable, nr, ans.text, nt);
        st = cors_policy_check(policy, &opts, req, &ans.report, &err);
        if (st != CORS_OK || !(ans.report.needs & CORS_NEED_ROOM))
            break;
        nf = ans.report.finding_count > nf ? ans.report.finding_count : nf;
        nr = ans.report.readable_count > nr ? ans.report.readable_count : nr;
        nt = ans.report.text_length > nt ? ans.report.text_length : nt;
        free(ans.findings);
        free(ans.readable);
        free(ans.text);
    }
    if (st != CORS_OK) {
        fprintf(stderr, "corscheck: %s: %s\n", cors_status_name(st), cors_strerror(st));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    const cors_report *r = &ans.report;
    if (o->json) {
        print_json(r, o, NULL);
    } else if (r->failed_at != CORS_STAGE_REQUEST) {
        /* the same requests cors_policy_check made, answered again to show the lines */
        cors_header ask[3] = {{{"Origin", 6}, req->origin},
                              {{"Access-Control-Request-Method", 29}, {r->text + r->acr_method.offset, r->acr_method.length}},
                              {{"Access-Control-Request-Headers", 30}, {r->text + r->acr_headers.offset, r->acr_headers.length}}};
        cors_emitted_header h[CORS_ANSWER_MAX_HEADERS];
        cors_answer a;
        printf("%s answers:\n", o->policy);
        cors_answer_init(&a, sizeof(a));
        if (r->preflight && cors_policy_answer(policy, "OPTIONS", 7, ask, r->has_acr_headers ? 3 : 2, &a, h,
                                               CORS_ANSWER_MAX_HEADERS) == CORS_OK)
            print_answer("the preflight (OPTIONS)", &a, h);
        if (cors_policy_answer(policy, r->text + r->method.offset, r->method.length, ask, 1, &a, h,
                               CORS_ANSWER_MAX_HEADERS) == CORS_OK)
            print_answer("the actual request (add these to the handler's response)", &a, h);
        printf("\n");
    }
    if (!o->json)
        print_human(r, o, req);
    rc = r->ok ? EXIT_ALLOWED : EXIT_REFUSED;
done:
    free(text);
    free(items);
    free(issues);
    free(mem);
    return rc;
}

int main(int argc, char **argv)
{
    static options o;
    static answer ans;
    const cors_report *report = &ans.report;
    cors_request req;
    cors_options opts;
    cors_error err;
    static cors_hop *hops; /* static, like o and ans: what main allocates lives until exit */
    int32_t st;
    int rc;

    o.rules = CORS_RULES_BROWSER;
    o.headers = calloc((size_t)argc + 1, sizeof(*o.headers));
    o.preflights = calloc((size_t)argc + 1, sizeof(*o.preflights));
    o.responses = calloc((size_t)argc + 1, sizeof(*o.responses));
    if (o.headers == NULL || o.preflights == NULL || o.responses == NULL) {
        fprintf(stderr, "corscheck: %s\n", strerror(ENOMEM));
        return EXIT_BAD_INPUT;
    }
    if ((rc = parse_args(argc, argv, &o)) >= 0)
        return rc;
    if (o.policy != NULL && o.origin == NULL) {
        rc = check_policy(&o, NULL); /* validate only */
        return stdout_ok() ? rc : EXIT_BAD_INPUT;
    }

    cors_request_init(&req, sizeof(req));
    req.origin.ptr = o.origin;
    req.origin.len = strlen(o.origin);
    req.method.ptr = o.method ? o.method : "GET";
    req.method.len = strlen(req.method.ptr);
    req.headers = o.headers;
    req.header_count = o.header_count;
    if (o.credentials == NULL || strcmp(o.credentials, "same-origin") == 0)
        req.credentials = CORS_CREDENTIALS_SAME_ORIGIN;
    else if (strcmp(o.credentials, "omit") == 0)
        req.credentials = CORS_CREDENTIALS_OMIT;
    else
        req.credentials = CORS_CREDENTIALS_INCLUDE;
    if (o.rules == CORS_RULES_REFLECT && o.credentials == NULL)
        req.credentials = CORS_CREDENTIALS_INCLUDE; /* the pattern is about credentialed calls */
    req.body = o.body != NULL;
    if (o.url == NULL)
        o.url = o.print_curl; /* the URL the commands capture is the one fetch() is called with */
    if (o.url != NULL) {
        req.url.ptr = o.url;
        req.url.len = strlen(o.url);
    }

    if (o.policy != NULL) {
        rc = check_policy(&o, &req);
        return stdout_ok() ? rc : EXIT_BAD_INPUT;
    }
    for (size_t i = 0; i < o.preflight_count; i++)
        if ((rc = load(&o, &o.preflights[i])) != 0)
            return stdout_ok() ? rc : EXIT_BAD_INPUT;
    for (size_t i = 0; i < o.response_count; i++)
        if ((rc = load(&o, &o.responses[i])) != 0)
            return stdout_ok() ? rc : EXIT_BAD_INPUT;
    if (o.response_count > 0 && (rc = split_chains(&o)) != 0)
        return stdout_ok() ? rc : EXIT_BAD_INPUT;
    /* one URL per response, and one more per preflight that may end the chain */
    hops = calloc(o.response_count + o.preflight_count + 1, sizeof(*hops));
    if (hops == NULL) {
        fprintf(stderr, "corscheck: %s\n", strerror(ENOMEM));
        return EXIT_BAD_INPUT;
    }
    cors_options_init(&opts, sizeof(opts));
    opts.rules = o.rules;
    opts.flags = o.strict ? CORS_OPTION_STRICT : 0;
    st = evaluate_files(&o, &opts, &req, hops, &ans, &err);
    if (st != CORS_OK) {
        input_error ie = {cors_status_name(st), cors_strerror(st), "--origin", NULL, o.origin, -1, 0};
        if (st == CORS_E_BAD_ORIGIN) {
            ie.offset = (long long)err.offset;
        } else if (st == CORS_E_BAD_URL) {
            ie.argument = o.print_curl == o.url ? "--print-curl" : "--url";
            ie.value = o.url;
        } else {
            ie.argument = err.index != SIZE_MAX ? "--header" : "the request";
            ie.value = NULL;
        }
        rc = report_input_error(&o, &ie);
        return stdout_ok() ? rc : EXIT_BAD_INPUT;
    }
    if (!o.print_curl) {
        /* A file that does not parse matters only when the browser reads that response. */
        const input *needed = needed_file(&o, report);
        if (needed != NULL && needed->status != CORS_OK) {
            rc = parse_error(&o, needed);
            return stdout_ok() ? rc : EXIT_BAD_INPUT;
        }
        for (size_t i = 0; i < o.preflight_count; i++)
            if (o.preflights[i].hop == 0)
                print_unused(&o.preflights[i]);
        for (size_t i = 0; i < o.response_count; i++) {
            /* Galxe's probe reads the first response only for its warnings */
            int galxe_reads = o.rules == CORS_RULES_GALXE && i == 0 && o.responses[i].status == CORS_OK;
            if (o.responses[i].hop > report->hops && !galxe_reads)
                print_unused(&o.responses[i]);
        }
    }

    if (o.print_curl) {
        rc = print_curl(&o, report, report->preflight);
        return stdout_ok() ? rc : EXIT_BAD_INPUT;
    }
    if (o.json)
        print_json(report, &o, hops);
    else
        print_human(report, &o, &req);
    if (!stdout_ok())
        return EXIT_BAD_INPUT;
    if (report->needs & CORS_NEED_REDIRECT_TARGET) {
        fprintf(stderr, "corscheck: %s: capture the response of its Location and pass it with another "
                        "--response FILE (and --url, so the browser's next URL is known)\n",
                incomplete_text(report));
        return EXIT_INCOMPLETE;
    }
    if (is_incomplete(report)) {
        if ((report->needs & CORS_NEED_PREFLIGHT) || report->hop_report_count > 1)
            fprintf(stderr, "corscheck: %s (URL %d of the chain): pass %s FILE\n", incomplete_text(report),
                    (int)report->hop_report_count, (report->needs & CORS_NEED_PREFLIGHT) ? "--preflight" : "--response");
        else
            fprintf(stderr, "corscheck: %s: pass --response FILE\n", incomplete_text(report));
        return EXIT_INCOMPLETE;
    }
    return report->ok ? EXIT_ALLOWED : EXIT_REFUSED;
}
