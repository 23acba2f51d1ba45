/*
 * corscheck.c - the command-line face of libcors: will a browser (or Galxe's
 * checker) accept this server's CORS answer, why not, and what to send instead.
 *
 *   corscheck [--rules browser|galxe|reflect] --origin ORIGIN [--url URL] [--method METHOD]
 *             [--header 'Name: value']... [--credentials omit|same-origin|include] [--body DATA]
 *             [--preflight FILE]... [--response FILE]... [--strict] [--strict-head] [--json]
 *   corscheck [--rules RULES] --origin ORIGIN [request options] --print-curl URL
 *   corscheck --help | --version
 *
 * FILE is a raw response head as `curl -si` prints it; `-` reads standard input.
 * Along a redirect chain the Nth --response answers the Nth URL, the Nth
 * --preflight the Nth preflight the browser sends.
 * Exit status: 0 allowed, 1 refused, 2 bad usage or unreadable input,
 * 3 incomplete (the browser needs a response that was not given).
 * corscheck --help says everything; the README's "JSON report" section
 * documents --json.
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
    const char *path;        /* as given on the command line */
    int hop;                 /* the URL of the chain it answers; 0 while not used */
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
    if (r->hops < 1 || r->failed_at == CORS_STAGE_PREFLIGHT || hops[r->hops - 1].response == NULL)
        return -1;
    return hops[r->hops - 1].response->status_code;
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
static int load(const options *o, input *in)
{
    size_t capacity = 64;
    int e = read_all(in->path, &in->bytes, &in->len);
    if (e != 0)
        return file_error(o, in, e);
    for (;;) {
        in->headers = malloc(capacity * sizeof(*in->headers));
        if (in->headers == NULL)
            return file_error(o, in, ENOMEM);
        cors_response_init(&in->response, sizeof(in->response));
        in->status = cors_response_parse(in->bytes, in->len, o->strict_head ? CORS_PARSE_STRICT : 0, in->headers,
                                         capacity, &in->response, &in->err);
        if (in->status != CORS_E_TOO_MANY_HEADERS)
            return 0;
        capacity = in->response.header_total;
        free(in->headers);
    }
}

static const cors_response *usable(const input *in)
{
    return in->path != NULL && in->status == CORS_OK ? &in->response : NULL;
}

/* Evaluate the chain, growing the report's buffers until the answer is complete. */
static int32_t evaluate(const cors_options *opts, const cors_request *req, const cors_hop *hops, size_t hop_count,
                        answer *a, cors_error *err)
{
    size_t findings = 16, readable = 32, text = 4096, hop_reports = 32;
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
                                        "--url", "--body", "--print-curl"};
    const char **slots[] = {&o->rules_name, &o->origin, &o->method, &o->credentials,
                            &o->url, &o->body, &o->print_curl};
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
    if (o->origin == NULL)
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
        printf("  readable:  ");
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

static int print_curl(const options *o, const cors_report *r, int needs_preflight)
{
    const char *url = o->print_curl;
    if (r->failed_at == CORS_STAGE_REQUEST) {
        fprintf(stderr, "corscheck: fetch() would reject this request before sending it (%s): nothing to capture\n",
                cors_kind_name(r->kind));
        return EXIT_BAD_INPUT;
    }
    printf("# Capture what the server answers, then feed it back to corscheck:\n");
    if (needs_preflight) {
        printf("curl -si -X OPTIONS -H ");
        shell_quote_pair("Origin: ", o->origin, strlen(o->origin));
        printf(" -H ");
        quote_span(r, "Access-Control-Request-Method: ", r->acr_method);
        if (r->has_acr_headers) {
            printf(" -H ");
            quote_span(r, "Access-Control-Request-Headers: ", r->acr_headers);
        }
        putchar(' ');
        shell_quote(url, strlen(url));
        printf(" > preflight.txt\n");
    }
    printf("curl -si -X ");
    quote_span(r, "", r->method);
    printf(" -H ");
    shell_quote_pair("Origin: ", o->origin, strlen(o->origin));
    for (size_t i = 0; i < o->header_count; i++) {
        printf(" -H ");
        shell_quote(o->headers[i].name.ptr, o->headers[i].name.len + 1 + o->headers[i].value.len);
    }
    putchar(' ');
    shell_quote(url, strlen(url));
    printf(" > response.txt\n");
    printf("corscheck --rules %s --origin ", cors_rules_name(o->rules));
    shell_quote(o->origin, strlen(o->origin));
    printf(" --method ");
    quote_span(r, "", r->method);
    for (size_t i = 0; i < o->header_count; i++) {
        printf(" --header ");
        shell_quote(o->headers[i].name.ptr, o->headers[i].name.len + 1 + o->headers[i].value.len);
    }
    if (o->credentials)
        printf(" --credentials %s", o->credentials);
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

int main(int argc, char **argv)
{
    static options o;
    static answer ans;
    const cors_report *report = &ans.report;
    cors_request req;
    cors_options opts;
    cors_error err;
    cors_hop *hops;
    int32_t st;
    int rc;

    o.rules = CORS_RULES_BROWSER;
    o.headers = calloc((size_t)argc + 1, sizeof(*o.headers));
    o.preflights = calloc((size_t)argc + 1, sizeof(*o.preflights));
    o.responses = calloc((size_t)argc + 1, sizeof(*o.responses));
    hops = calloc((size_t)argc + 1, sizeof(*hops));
    if (o.headers == NULL || o.preflights == NULL || o.responses == NULL || hops == NULL) {
        fprintf(stderr, "corscheck: %s\n", strerror(ENOMEM));
        return EXIT_BAD_INPUT;
    }
    if ((rc = parse_args(argc, argv, &o)) >= 0)
        return rc;

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

    for (size_t i = 0; i < o.preflight_count; i++)
        if ((rc = load(&o, &o.preflights[i])) != 0)
            return stdout_ok() ? rc : EXIT_BAD_INPUT;
    for (size_t i = 0; i < o.response_count; i++)
        if ((rc = load(&o, &o.responses[i])) != 0)
            return stdout_ok() ? rc : EXIT_BAD_INPUT;
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
