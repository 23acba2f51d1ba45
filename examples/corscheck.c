/*
 * corscheck.c - the command-line face of libcors: will a browser (or Galxe's
 * checker) accept this server's CORS answer, why not, and what to send instead.
 *
 *   corscheck [--rules browser|galxe|reflect] [--origin ORIGIN] [--method METHOD]
 *             [--header 'Name: value']... [--credentials omit|same-origin|include]
 *             [--preflight FILE] [--response FILE] [--strict] [--json]
 *   corscheck --rules RULES --print-curl URL [...request options]
 *   corscheck --policy FILE [--rules RULES] [--origin ORIGIN ...request options] [--json]
 *
 * FILE is a raw response head as `curl -si` prints it; `-` reads standard input.
 * With --policy, FILE is a policy text (README, "Serving CORS"): its issues are
 * printed as FILE:LINE, and with --origin the headers it sends are judged.
 * Exit status: 0 allowed, 1 refused, 2 bad usage or unreadable input (or a
 * policy with errors).
 *
 * Build against an installed libcors:
 *   cc corscheck.c $(pkg-config --cflags --libs libcors) -o corscheck
 */
#include <libcors.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GALXE_ORIGIN "https://dashboard.galxe.com"

typedef struct input {
    const char *path;        /* as given on the command line, NULL when absent */
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
} answer;

typedef struct options {
    int32_t rules;
    const char *origin;
    const char *method;
    const char *credentials;
    const char *print_curl;
    const char *policy;      /* --policy FILE */
    int strict;
    int json;
    size_t header_count;
    cors_header *headers;    /* argc entries at most */
} options;

static void usage(FILE *out)
{
    fputs("usage: corscheck [--rules browser|galxe|reflect] [--origin ORIGIN] [--method METHOD]\n"
          "                 [--header 'Name: value']... [--credentials omit|same-origin|include]\n"
          "                 [--preflight FILE] [--response FILE] [--strict] [--json]\n"
          "       corscheck --rules RULES --print-curl URL [request options]\n"
          "       corscheck --policy FILE [--rules RULES] [--origin ORIGIN request options] [--json]\n"
          "FILE holds a response head as `curl -si` prints it; '-' reads standard input.\n"
          "Exit status: 0 allowed, 1 refused, 2 bad usage or unreadable input.\n",
          out);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "corscheck: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    return 2;
}

static int read_all(const char *path, char **bytes, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 8192, n = 0;
    char *buf;
    if (f == NULL)
        return -1;
    buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
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
    if (buf == NULL) {
        errno = ENOMEM;
        return -1;
    }
    *bytes = buf;
    *len = n;
    return 0;
}

/* Read and parse a response file, with as many header slots as it has. An
 * unreadable file is fatal at once; a file that does not parse is kept aside
 * (in->status, in->err) and reported only if the browser actually gets to
 * that response. */
static int load(input *in)
{
    size_t capacity = 64;
    if (read_all(in->path, &in->bytes, &in->len) != 0) {
        fprintf(stderr, "corscheck: %s: %s\n", in->path, strerror(errno));
        return 2;
    }
    for (;;) {
        in->headers = malloc(capacity * sizeof(*in->headers));
        if (in->headers == NULL) {
            fprintf(stderr, "corscheck: %s: %s\n", in->path, strerror(ENOMEM));
            return 2;
        }
        cors_response_init(&in->response, sizeof(in->response));
        in->status = cors_response_parse(in->bytes, in->len, 0, in->headers, capacity, &in->response, &in->err);
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

/* Evaluate, growing the report's buffers until the answer is complete. */
static int32_t evaluate(const cors_options *opts, const cors_request *req, const cors_response *pre,
                        const cors_response *resp, answer *a, cors_error *err)
{
    size_t findings = 16, readable = 32, text = 4096;
    for (;;) {
        int32_t st;
        a->findings = malloc(findings * sizeof(*a->findings));
        a->readable = malloc(readable * sizeof(*a->readable));
        a->text = malloc(text);
        if (a->findings == NULL || a->readable == NULL || a->text == NULL) {
            fprintf(stderr, "corscheck: %s\n", strerror(ENOMEM));
            exit(2);
        }
        cors_report_init(&a->report, sizeof(a->report), a->findings, findings, a->readable, readable, a->text,
                         text);
        st = cors_evaluate(opts, req, pre, resp, &a->report, err);
        if (st != CORS_OK || !(a->report.needs & CORS_NEED_ROOM))
            return st;
        /* the counts say what the whole answer takes */
        findings = a->report.finding_count > findings ? a->report.finding_count : findings;
        readable = a->report.readable_count > readable ? a->report.readable_count : readable;
        text = a->report.text_length > text ? a->report.text_length : text;
        free(a->findings);
        free(a->readable);
        free(a->text);
    }
}

static void print_parse_error(const input *in, const char *prefix)
{
    fprintf(stderr, "corscheck: %s%s: byte %zu (line %d): %s: %s\n", prefix, in->path, in->err.offset,
            (int)in->err.line, cors_status_name(in->status), cors_strerror(in->status));
}

static int parse_header_arg(options *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    cors_header *h;
    if (colon == NULL)
        return usage_error("--header needs 'Name: value'", arg);
    h = &o->headers[o->header_count++];
    h->name.ptr = arg;
    h->name.len = (size_t)(colon - arg);
    h->value.ptr = colon + 1; /* libcors trims the value as fetch() does */
    h->value.len = strlen(colon + 1);
    return 0;
}

/* ---- JSON ---- */

static void json_string(const char *p, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\u%04x", c); /* header bytes decode as Latin-1, as browsers do */
        else
            putchar(c);
    }
    putchar('"');
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

static void print_json(const cors_report *r, const options *o)
{
    printf("{\"rules\":\"%s\",", cors_rules_name(r->rules));
    if (!is_incomplete(r))
        printf("\"ok\":%s,", r->ok ? "true" : "false");
    else
        printf("\"ok\":null,\"incomplete\":\"%s\",", incomplete_name(r));
    printf("\"strict\":%s,\"method\":", o->strict ? "true" : "false");
    json_span(r, r->method);
    printf(",\"preflight\":%s,\"acr_method\":", r->preflight ? "true" : "false");
    json_span_or_null(r, r->has_acr_method, r->acr_method);
    fputs(",\"acr_headers\":", stdout);
    json_span_or_null(r, r->has_acr_headers, r->acr_headers);
    if (r->failed_at == CORS_STAGE_NONE)
        fputs(",\"failed_at\":null,\"error\":null", stdout);
    else
        printf(",\"failed_at\":\"%s\",\"error\":\"%s\"", cors_stage_name(r->failed_at), cors_kind_name(r->kind));
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
    fputs(",\"findings\":[", stdout);
    for (size_t i = 0; i < r->finding_count; i++) {
        const cors_finding *f = &r->findings[i];
        printf("%s{\"code\":\"%s\",\"id\":%d,\"severity\":\"%s\",\"stage\":\"%s\",\"header\":", i ? "," : "",
               cors_finding_name(f->code), (int)f->code, cors_severity_name(f->severity), cors_stage_name(f->stage));
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
        return 2;
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

/* ---- --policy: a server's policy text, validated, answering, judged ---- */

static void print_answer(const char *what, const cors_answer *a, const cors_emitted_header *h)
{
    printf("  %s", what);
    if (a->kind == CORS_ANSWER_PREFLIGHT)
        printf(" -> %d%s", (int)a->status_code, a->allowed ? "" : " (refused)");
    else if (!a->allowed)
        printf(" -> refused");
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
    int rc = 2;

    if (read_all(o->policy, &text, &n) != 0) {
        fprintf(stderr, "corscheck: %s: %s\n", o->policy, strerror(errno));
        return 2;
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
            exit(2);
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
        rc = 2;
        goto done;
    }
    const cors_report *r = &ans.report;
    if (o->json) {
        print_json(r, o);
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
    rc = r->ok ? 0 : 1;
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
    static input pre, resp;
    static answer ans;
    const cors_report *report = &ans.report;
    cors_request req;
    cors_options opts;
    cors_error err;
    int32_t st;
    int rc;

    o.rules = CORS_RULES_BROWSER;
    o.headers = calloc((size_t)argc, sizeof(*o.headers));
    if (o.headers == NULL)
        return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("corscheck (libcors) %s\n", cors_version());
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--strict") == 0) {
            o.strict = 1;
        } else if (v == NULL) {
            return usage_error("unknown option or missing value", a);
        } else if (strcmp(a, "--rules") == 0) {
            o.rules = cors_rules_from_name(v, strlen(v));
            if (o.rules < 0)
                return usage_error("unknown rules (browser, galxe or reflect)", v);
            i++;
        } else if (strcmp(a, "--origin") == 0) {
            o.origin = argv[++i];
        } else if (strcmp(a, "--method") == 0) {
            o.method = argv[++i];
        } else if (strcmp(a, "--header") == 0) {
            if ((rc = parse_header_arg(&o, argv[++i])) != 0)
                return rc;
        } else if (strcmp(a, "--credentials") == 0) {
            o.credentials = argv[++i];
        } else if (strcmp(a, "--preflight") == 0) {
            pre.path = argv[++i];
        } else if (strcmp(a, "--response") == 0) {
            resp.path = argv[++i];
        } else if (strcmp(a, "--print-curl") == 0) {
            o.print_curl = argv[++i];
        } else if (strcmp(a, "--policy") == 0) {
            o.policy = argv[++i];
        } else {
            return usage_error("unknown option", a);
        }
    }
    if (o.rules == CORS_RULES_GALXE) {
        if (o.origin == NULL)
            o.origin = GALXE_ORIGIN;
        if (o.method == NULL)
            o.method = "POST";
    }
    if (o.policy != NULL && o.origin == NULL)
        return check_policy(&o, NULL); /* validate only */
    if (o.origin == NULL)
        return usage_error("--origin is required (the page's origin, e.g. https://app.example)", NULL);
    if (pre.path && resp.path && strcmp(pre.path, "-") == 0 && strcmp(resp.path, "-") == 0)
        return usage_error("only one of --preflight and --response can read standard input", NULL);

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
    else if (strcmp(o.credentials, "include") == 0)
        req.credentials = CORS_CREDENTIALS_INCLUDE;
    else
        return usage_error("--credentials takes omit, same-origin or include", o.credentials);
    if (o.rules == CORS_RULES_REFLECT && o.credentials == NULL)
        req.credentials = CORS_CREDENTIALS_INCLUDE; /* the pattern is about credentialed calls */

    if (o.policy != NULL)
        return check_policy(&o, &req);
    if ((pre.path && (rc = load(&pre)) != 0) || (resp.path && (rc = load(&resp)) != 0)) {
        free(pre.bytes);
        free(resp.bytes);
        return rc;
    }
    cors_options_init(&opts, sizeof(opts));
    opts.rules = o.rules;
    opts.flags = o.strict ? CORS_OPTION_STRICT : 0;
    st = evaluate(&opts, &req, o.print_curl ? NULL : usable(&pre), o.print_curl ? NULL : usable(&resp), &ans, &err);
    free(pre.bytes);
    free(resp.bytes);
    if (!o.print_curl) {
        /* A file that does not parse matters only when the browser reads that response. */
        const input *needed = (report->needs & CORS_NEED_PREFLIGHT)  ? &pre
                              : (report->needs & CORS_NEED_RESPONSE) ? &resp
                                                                      : NULL;
        if (needed != NULL && needed->path != NULL && needed->status != CORS_OK) {
            print_parse_error(needed, "");
            return 2;
        }
        if (pre.path && pre.status != CORS_OK)
            print_parse_error(&pre, "ignored, the browser does not use it: ");
        if (resp.path && resp.status != CORS_OK)
            print_parse_error(&resp, "ignored, the browser does not use it: ");
    }

    if (st != CORS_OK) {
        if (st == CORS_E_BAD_ORIGIN)
            fprintf(stderr, "corscheck: --origin '%s': byte %zu: %s\n", o.origin, err.offset, cors_strerror(st));
        else
            fprintf(stderr, "corscheck: %s: %s\n", cors_status_name(st), cors_strerror(st));
        return 2;
    }
    if (o.print_curl)
        return print_curl(&o, report, report->preflight);
    if (o.json)
        print_json(report, &o);
    else
        print_human(report, &o, &req);
    if (report->needs & CORS_NEED_REDIRECT_TARGET) {
        fprintf(stderr, "corscheck: %s: capture the response of its Location and pass it with --response FILE\n",
                incomplete_text(report));
        return 2;
    }
    if (is_incomplete(report)) {
        fprintf(stderr, "corscheck: %s: pass %s FILE\n", incomplete_text(report),
                (report->needs & CORS_NEED_PREFLIGHT) ? "--preflight" : "--response");
        return 2;
    }
    return report->ok ? 0 : 1;
}
