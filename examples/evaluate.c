/*
 * evaluate.c - the smallest complete use of libcors from C: parse the raw
 * preflight and actual responses a server gave, evaluate a page's PUT with a
 * custom header under the browser rules, print the verdict and findings.
 *
 * Build against an installed libcors:
 *   cc evaluate.c $(pkg-config --cflags --libs cors) -o evaluate
 */
#include <cors.h>

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

static int parse(const char *what, const char *raw, cors_header *headers, size_t cap, cors_response *resp,
                 cors_policy *policy)
{
    cors_error err;
    int32_t st = cors_response_parse(raw, strlen(raw), headers, cap, resp, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "%s: %s at byte %zu\n", what, cors_strerror(st), err.offset);
        return -1;
    }
    cors_policy_init(policy);
    return cors_policy_from_response(resp, policy) == CORS_OK ? 0 : -1;
}

int main(void)
{
    cors_header pre_headers[32], resp_headers[32];
    cors_response pre, resp;
    cors_policy pre_policy, resp_policy;
    cors_header request_headers[] = {{{"X-Trace-Id", 10}, {"42", 2}}};
    cors_request req;
    static cors_report report; /* about 19 KiB: keep it off small stacks */
    cors_error err;
    int32_t st;

    if (parse("preflight", preflight_raw, pre_headers, 32, &pre, &pre_policy) != 0 ||
        parse("response", response_raw, resp_headers, 32, &resp, &resp_policy) != 0)
        return 2;

    cors_request_init(&req);
    req.origin = (cors_str){"https://app.example", 19};
    req.method = (cors_str){"PUT", 3};
    req.headers = request_headers;
    req.header_count = 1;
    req.credentials = CORS_CREDENTIALS_OMIT;

    cors_report_init(&report);
    st = cors_evaluate(NULL, &req, &pre_policy, &resp_policy, &report, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "evaluate: %s\n", cors_strerror(st));
        return 2;
    }
    printf("%s", report.ok ? "allowed" : "refused");
    if (!report.ok)
        printf(" at the %s: %s", cors_stage_name(report.failed_at), cors_kind_name(report.error));
    printf("\npreflight sent: %s, cached %lld s\n", report.preflight ? "yes" : "no",
           (long long)report.preflight_cache_seconds);
    for (uint32_t i = 0; i < report.readable_count; i++)
        printf("readable: %.*s\n", (int)report.readable[i].length, report.text + report.readable[i].offset);
    for (uint32_t i = 0; i < report.finding_count; i++) {
        const cors_finding *f = &report.findings[i];
        printf("%s %s: %.*s\n", cors_severity_name(f->severity), cors_finding_name(f->code), (int)f->message.length,
               report.text + f->message.offset);
    }
    return report.ok ? 0 : 1;
}
