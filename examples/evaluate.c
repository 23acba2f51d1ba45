/* SPDX-License-Identifier: MIT */
/*
 * evaluate.c - the smallest complete use of libcors from C: parse the raw
 * preflight and actual responses a server gave, evaluate a page's PUT with a
 * custom header under the browser rules, print the verdict and findings.
 * The report's buffers live on the stack; when they are too small the report
 * says so (CORS_NEED_ROOM) with the sizes it needs.
 *
 * Build against an installed libcors:
 *   cc evaluate.c $(pkg-config --cflags --libs libcors) -o evaluate
 */
#include <libcors.h>

#include <stdio.h>
#include <string.h>

static const char preflight_raw[] =
    "HTTP/1.1 204 No Content\r\n"
    "Access-Control-Allow-Origin: https://app.example\r\n"
    "Access-Control-Allow-Methods: GET, PUT\r\n"
    "Access-Control-Allow-Headers: x-trace-id\r\n"
    "Access-Control-Max-Age: 600\r\n"
    "\r\n";

static const char response_raw[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Access-Control-Allow-Origin: https://app.example\r\n"
    "Vary: Origin\r\n"
    "X-Trace-Id: 42\r\n"
    "\r\n";

static int parse(const char *what, const char *raw, cors_header *headers, size_t cap, cors_response *resp)
{
    cors_error err;
    int32_t st;
    cors_response_init(resp, sizeof(*resp));
    st = cors_response_parse(raw, strlen(raw), 0, headers, cap, resp, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "%s: %s at byte %zu (line %d)\n", what, cors_strerror(st), err.offset, (int)err.line);
        return -1;
    }
    return 0;
}

static void print_span(const cors_report *r, cors_span s)
{
    printf("%.*s", (int)s.length, r->text + s.offset);
}

int main(void)
{
    cors_header pre_headers[32], resp_headers[32];
    cors_response pre, resp;
    cors_header request_headers[] = {{{"X-Trace-Id", 10}, {"42", 2}}};
    cors_request req;
    cors_finding findings[16];
    cors_span readable[32];
    char text[4096];
    cors_report report;
    cors_error err;
    int32_t st;

    if (parse("preflight", preflight_raw, pre_headers, 32, &pre) != 0 ||
        parse("response", response_raw, resp_headers, 32, &resp) != 0)
        return 2;

    cors_request_init(&req, sizeof(req));
    req.origin = (cors_str){"https://app.example", 19};
    req.method = (cors_str){"PUT", 3};
    req.headers = request_headers;
    req.header_count = 1;
    req.credentials = CORS_CREDENTIALS_OMIT;

    cors_report_init(&report, sizeof(report), findings, 16, readable, 32, text, sizeof(text));
    st = cors_evaluate(NULL, &req, &pre, &resp, &report, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "evaluate: %s\n", cors_strerror(st));
        return 2;
    }
    if (report.needs & CORS_NEED_ROOM) {
        fprintf(stderr, "evaluate: the report needs %zu findings, %zu names and %zu bytes of text\n",
                report.finding_count, report.readable_count, report.text_length);
        return 2;
    }
    printf("%s", report.ok ? "allowed" : "refused");
    if (!report.ok)
        printf(" at the %s: %s", cors_stage_name(report.failed_at), cors_kind_name(report.kind));
    printf("\npreflight sent: %s, cached %lld s\n", report.preflight ? "yes" : "no",
           (long long)report.preflight_cache_seconds);
    for (size_t i = 0; i < report.readable_count; i++) {
        printf("readable: ");
        print_span(&report, report.readable[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < report.finding_count; i++) {
        printf("%s %s: ", cors_severity_name(findings[i].severity), cors_finding_name(findings[i].code));
        print_span(&report, findings[i].message);
        putchar('\n');
    }
    return report.ok ? 0 : 1;
}
