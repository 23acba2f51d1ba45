/* SPDX-License-Identifier: MIT */
/*
 * test_cache.c - lib/cache.c: how long a preflight result is reused.
 * cors__cache_max_age's parse of Access-Control-Max-Age (signs, overflow,
 * Chromium against the Fetch standard, the 7200-second cap) with the problem
 * it reports; cors__cache_note's cases where Chromium stores nothing
 * (conditional request headers, an opaque origin, Authorization let through
 * only by '*') and the finding it adds, with header, value and fix; the
 * report's cache fields through cors_evaluate for each rule set.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define ORIGIN "https://app.example"
#define PREFLIGHT_HEAD "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n"

typedef struct max_age_row {
    const char *lines;       /* Access-Control-Max-Age line(s) of the preflight, NULL for none */
    int64_t seconds;         /* Chromium */
    int32_t problem;
    int64_t strict_seconds;  /* the Fetch standard */
    int32_t strict_problem;
} max_age_row;

#define ACMA(v) "Access-Control-Max-Age: " v "\r\n"
enum {
    INVALID = CORS_FINDING_MAX_AGE_INVALID,
    NEGATIVE = CORS_FINDING_MAX_AGE_NEGATIVE,
    CAPPED = CORS_FINDING_MAX_AGE_CAPPED,
};

static const max_age_row max_age_rows[] = {
    /* Fetch: CORS-preflight cache: 5 seconds without the header */
    {.lines = NULL, .seconds = 5, .strict_seconds = 5},
    {.lines = ACMA("600"), .seconds = 600, .strict_seconds = 600},
    {.lines = ACMA("0"), .seconds = 0, .strict_seconds = 0},
    {.lines = ACMA("0600"), .seconds = 600, .strict_seconds = 600},
    {.lines = ACMA("  600\t"), .seconds = 600, .strict_seconds = 600}, /* OWS is the parser's */
    {.lines = ACMA("7200"), .seconds = 7200, .strict_seconds = 7200},
    /* Chromium preflight_result.cc caps at two hours */
    {.lines = ACMA("7201"), .seconds = 7200, .problem = CAPPED, .strict_seconds = 7200, .strict_problem = CAPPED},
    {.lines = ACMA("86400"), .seconds = 7200, .problem = CAPPED, .strict_seconds = 7200, .strict_problem = CAPPED},
    {.lines = ACMA("9223372036854775807"), .seconds = 7200, .problem = CAPPED, .strict_seconds = 7200,
     .strict_problem = CAPPED},
    /* past int64_t: Chromium falls back to the default, the standard takes any 1*DIGIT */
    {.lines = ACMA("9223372036854775808"), .seconds = 5, .problem = INVALID, .strict_seconds = 7200,
     .strict_problem = CAPPED},
    {.lines = ACMA("99999999999999999999"), .seconds = 5, .problem = INVALID, .strict_seconds = 7200,
     .strict_problem = CAPPED},
    /* Chromium ParseAccessControlMaxAge takes a sign; negative means: do not cache */
    {.lines = ACMA("-1"), .seconds = 0, .problem = NEGATIVE, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("-600"), .seconds = 0, .problem = NEGATIVE, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("-9223372036854775808"), .seconds = 0, .problem = NEGATIVE, .strict_seconds = 5,
     .strict_problem = INVALID},
    {.lines = ACMA("-9223372036854775809"), .seconds = 5, .problem = INVALID, .strict_seconds = 5,
     .strict_problem = INVALID},
    {.lines = ACMA("-0"), .seconds = 0, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("+600"), .seconds = 600, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("+0"), .seconds = 0, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("+"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("-"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("++1"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("+-1"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    /* anything else is the default, with a warning */
    {.lines = ACMA(""), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("abc"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("1e3"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("1.5"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("0x10"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("10 s"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("10, 20"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("\xd9\xa1"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    /* one line only: two, even equal, are invalid */
    {.lines = ACMA("10") ACMA("20"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
    {.lines = ACMA("600") "access-control-max-age: 600\r\n", .seconds = 5, .problem = INVALID, .strict_seconds = 5,
     .strict_problem = INVALID},
    {.lines = ACMA("") ACMA("600"), .seconds = 5, .problem = INVALID, .strict_seconds = 5, .strict_problem = INVALID},
};

static void test_max_age_table(void **state)
{
    static parsed_head h;
    char text[512];
    (void)state;
    for (size_t i = 0; i < COUNT(max_age_rows); i++) {
        const max_age_row *row = &max_age_rows[i];
        cors__grant g;
        cors__max_age chromium, standard;
        snprintf(text, sizeof(text), PREFLIGHT_HEAD "%s\r\n", row->lines ? row->lines : "");
        cors__grant_build(parsed_head_init(&h, text), &g);
        chromium = cors__cache_max_age(&g, false);
        standard = cors__cache_max_age(&g, true);
        if (chromium.seconds != row->seconds || chromium.problem != row->problem ||
            standard.seconds != row->strict_seconds || standard.problem != row->strict_problem)
            fail_msg("'%s': %lld s (%s), strict %lld s (%s)", row->lines ? row->lines : "(none)",
                     (long long)chromium.seconds, cors_finding_name(chromium.problem), (long long)standard.seconds,
                     cors_finding_name(standard.problem));
    }
}

/* ------------------------------------------------------------------------ */
/* cors__cache_note: what the report says                                    */
/* ------------------------------------------------------------------------ */

typedef struct note_row {
    const char *label;
    int32_t rules;
    int strict;
    const char *origin;            /* NULL: ORIGIN */
    cors_header request[3];
    size_t request_count;
    const char *preflight_lines;   /* after PREFLIGHT_HEAD */
    int64_t seconds;
    int32_t finding;               /* 0: none */
    int32_t severity;
    const char *value;
} note_row;

static const note_row note_rows[] = {
    {.label = "a lifetime", .preflight_lines = ACMA("600"), .seconds = 600},
    {.label = "capped, with an info finding", .preflight_lines = ACMA("86400"), .seconds = 7200, .finding = CAPPED,
     .severity = CORS_SEVERITY_INFO, .value = "86400"},
    {.label = "invalid, with a warning", .preflight_lines = ACMA("1e3"), .seconds = 5, .finding = INVALID,
     .severity = CORS_SEVERITY_WARNING, .value = "1e3"},
    {.label = "two lines: the value is the joined one", .preflight_lines = ACMA("10") ACMA("20"), .seconds = 5,
     .finding = INVALID, .severity = CORS_SEVERITY_WARNING, .value = "10, 20"},
    {.label = "negative, with a warning", .preflight_lines = ACMA("-1"), .seconds = 0, .finding = NEGATIVE,
     .severity = CORS_SEVERITY_WARNING, .value = "-1"},
    {.label = "negative under the standard: invalid", .strict = 1, .preflight_lines = ACMA("-1"), .seconds = 5,
     .finding = INVALID, .severity = CORS_SEVERITY_WARNING, .value = "-1"},
    /* Fetch: a conditional request header makes the cache mode no-store */
    {.label = "If-None-Match", .request = {{STR_INIT("If-None-Match"), STR_INIT("\"v1\"")}}, .request_count = 1,
     .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "if-modified-since", .request = {{STR_INIT("if-modified-since"), STR_INIT("x")}}, .request_count = 1,
     .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "If-Unmodified-Since", .request = {{STR_INIT("If-Unmodified-Since"), STR_INIT("x")}},
     .request_count = 1, .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "If-Match", .request = {{STR_INIT("X-A"), STR_INIT("1")}, {STR_INIT("If-Match"), STR_INIT("*")}},
     .request_count = 2, .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "If-Range, strict too", .strict = 1, .request = {{STR_INIT("IF-RANGE"), STR_INIT("x")}},
     .request_count = 1, .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "a conditional header keeps the max-age finding",
     .request = {{STR_INIT("If-Match"), STR_INIT("*")}}, .request_count = 1, .preflight_lines = ACMA("86400"),
     .seconds = 0, .finding = CAPPED, .severity = CORS_SEVERITY_INFO, .value = "86400"},
    {.label = "If-Match-X is no conditional header", .request = {{STR_INIT("If-Match-X"), STR_INIT("1")}},
     .request_count = 1, .preflight_lines = ACMA("600"), .seconds = 600},
    /* Chromium 156 does not reuse a preflight of an opaque origin; Fetch keys it by "null" */
    {.label = "opaque origin", .origin = "null", .preflight_lines = ACMA("600"), .seconds = 0},
    {.label = "opaque origin, strict", .strict = 1, .origin = "null", .preflight_lines = ACMA("600"), .seconds = 600},
    /* Chromium 156 stores nothing that let Authorization through only by '*' */
    {.label = "Authorization by '*'", .request = {{STR_INIT("Authorization"), STR_INIT("Bearer t")}},
     .request_count = 1, .preflight_lines = "Access-Control-Allow-Headers: *\r\n" ACMA("600"), .seconds = 0},
    {.label = "Authorization by '*', strict", .strict = 1,
     .request = {{STR_INIT("Authorization"), STR_INIT("Bearer t")}}, .request_count = 1,
     .preflight_lines = "Access-Control-Allow-Headers: *\r\n" ACMA("600"), .seconds = 600},
    {.label = "Authorization listed beside '*'", .request = {{STR_INIT("Authorization"), STR_INIT("Bearer t")}},
     .request_count = 1, .preflight_lines = "Access-Control-Allow-Headers: *, AUTHORIZATION\r\n" ACMA("600"),
     .seconds = 600},
    {.label = "'*' but no Authorization", .request = {{STR_INIT("X-A"), STR_INIT("1")}}, .request_count = 1,
     .preflight_lines = "Access-Control-Allow-Headers: *\r\n" ACMA("600"), .seconds = 600},
    {.label = "Authorization listed alone",
     .request = {{STR_INIT("Authorization"), STR_INIT("x")}}, .request_count = 1,
     .preflight_lines = "Access-Control-Allow-Headers: authorization\r\n" ACMA("600"), .seconds = 600},
    /* the advice is the browser rules': reflect gives its own */
    {.label = "reflect: no finding from the cache note", .rules = CORS_RULES_REFLECT, .preflight_lines = ACMA("86400"),
     .seconds = 7200},
};

static void test_cache_note(void **state)
{
    static cors__eval ev;
    static cors__chain chain;
    static big_report scratch;
    cors__preflight_facts facts;
    int64_t seconds;
    static parsed_head h;
    static big_report b;
    char text[512];
    (void)state;
    for (size_t i = 0; i < COUNT(note_rows); i++) {
        const note_row *row = &note_rows[i];
        cors_request req;
        cors_report *r = big_report_lend(&b);
        const cors_finding *f;
        cors_request_init(&req, sizeof(req));
        req.origin = str_z(row->origin ? row->origin : ORIGIN);
        req.method = STR("PUT");
        req.headers = row->request;
        req.header_count = row->request_count;
        req.credentials = CORS_CREDENTIALS_OMIT;
        snprintf(text, sizeof(text), PREFLIGHT_HEAD "%s\r\n", row->preflight_lines);
        /* the evaluation as evaluate.c sets it up */
        memset(&ev, 0, sizeof(ev));
        ev.rules = cors__rules_get(row->rules);
        ev.strict = row->strict;
        ev.request = &req;
        ev.origin = req.origin;
        cors__grant_build(parsed_head_init(&h, text), &ev.preflight_grant);
        ev.preflight = &ev.preflight_grant;
        ev.chain = &chain;
        ev.hop = 1;
        assert_int_equal(cors__request_model_build(&ev, NULL, r, NULL), CORS_OK);
        /* the facts the preflight's checks found (Authorization by '*'), as chain.c passes them;
         * their findings go to another report (the conditional rows' preflights allow no header) */
        (void)cors__preflight_judge(&ev, &facts, big_report_lend(&scratch));
        seconds = cors__cache_note(&ev, &facts, r);
        if (seconds != row->seconds || r->has_cache_seconds != 1 || r->preflight_cache_seconds != row->seconds)
            fail_msg("%s: has %d, %lld s", row->label, (int)r->has_cache_seconds,
                     (long long)r->preflight_cache_seconds);
        for (int32_t code = INVALID; code <= CORS_FINDING_MAX_AGE_MISSING; code++)
            if (code != row->finding && find_finding(r, code) != NULL)
                fail_msg("%s: unexpected %s", row->label, cors_finding_name(code));
        if (row->finding == 0)
            continue;
        f = find_finding(r, row->finding);
        if (f == NULL)
            fail_msg("%s: no %s", row->label, cors_finding_name(row->finding));
        assert_int_equal(f->severity, row->severity);
        assert_int_equal(f->stage, CORS_STAGE_PREFLIGHT);
        assert_int_equal(f->hop, 1);
        assert_span(r, f->header, "Access-Control-Max-Age");
        assert_span(r, f->value, row->value);
        assert_span(r, f->fix, "Access-Control-Max-Age: 7200");
        assert_true(f->message.length > 0);
    }
}

/* ------------------------------------------------------------------------ */
/* The report's cache fields, per rule set                                   */
/* ------------------------------------------------------------------------ */

static void test_report_cache_fields(void **state)
{
    static const struct {
        const char *label;
        int32_t rules;
        const char *method;
        const char *preflight;  /* NULL: none given */
        int has_cache_seconds;
        int64_t seconds;
        int32_t finding;        /* a max-age finding the report holds, 0: none */
        int32_t severity;
    } rows[] = {
        {.label = "no preflight sent", .rules = CORS_RULES_BROWSER, .method = "GET",
         .preflight = PREFLIGHT_HEAD ACMA("600") "\r\n", .has_cache_seconds = 0},
        {.label = "the preflight not given yet", .rules = CORS_RULES_BROWSER, .method = "PUT", .has_cache_seconds = 0},
        {.label = "a passing preflight", .rules = CORS_RULES_BROWSER, .method = "PUT",
         .preflight = PREFLIGHT_HEAD ACMA("600") "\r\n", .has_cache_seconds = 1, .seconds = 600},
        {.label = "a failing preflight is not reused", .rules = CORS_RULES_BROWSER, .method = "DELETE",
         .preflight = PREFLIGHT_HEAD ACMA("600") "\r\n", .has_cache_seconds = 1, .seconds = 0},
        {.label = "browser: capped is info", .rules = CORS_RULES_BROWSER, .method = "PUT",
         .preflight = PREFLIGHT_HEAD ACMA("86400") "\r\n", .has_cache_seconds = 1, .seconds = 7200,
         .finding = CAPPED, .severity = CORS_SEVERITY_INFO},
        {.label = "browser: missing is no finding", .rules = CORS_RULES_BROWSER, .method = "PUT",
         .preflight = PREFLIGHT_HEAD "\r\n", .has_cache_seconds = 1, .seconds = 5},
        {.label = "reflect: capped is a warning", .rules = CORS_RULES_REFLECT, .method = "PUT",
         .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN
                      "\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: PUT\r\n" ACMA("86400")
                      "\r\n",
         .has_cache_seconds = 1, .seconds = 7200, .finding = CAPPED, .severity = CORS_SEVERITY_WARNING},
        {.label = "reflect: missing is a warning", .rules = CORS_RULES_REFLECT, .method = "PUT",
         .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " ORIGIN
                      "\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n",
         .has_cache_seconds = 1, .seconds = 5, .finding = CORS_FINDING_MAX_AGE_MISSING,
         .severity = CORS_SEVERITY_WARNING},
        {.label = "reflect: judged when the preflight fails too", .rules = CORS_RULES_REFLECT, .method = "PUT",
         .preflight = PREFLIGHT_HEAD ACMA("abc") "\r\n", .has_cache_seconds = 1, .seconds = 0, .finding = INVALID,
         .severity = CORS_SEVERITY_WARNING},
        {.label = "galxe: the max-age as parsed", .rules = CORS_RULES_GALXE, .method = "POST",
         .preflight = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                      "POST\r\n" ACMA("86400") "\r\n",
         .has_cache_seconds = 1, .seconds = 7200},
    };
    static parsed_head h;
    static big_report b;
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        cors_request req;
        cors_options opt;
        cors_report *r = big_report_lend(&b);
        cors_request_init(&req, sizeof(req));
        req.origin = STR(ORIGIN);
        req.method = str_z(rows[i].method);
        cors_options_init(&opt, sizeof(opt));
        opt.rules = rows[i].rules;
        assert_int_equal(cors_evaluate(&opt, &req, rows[i].preflight ? parsed_head_init(&h, rows[i].preflight) : NULL,
                                       NULL, r, NULL),
                         CORS_OK);
        if (r->has_cache_seconds != rows[i].has_cache_seconds || r->preflight_cache_seconds != rows[i].seconds)
            fail_msg("%s: has %d, %lld s", rows[i].label, (int)r->has_cache_seconds,
                     (long long)r->preflight_cache_seconds);
        if (rows[i].finding != 0) {
            const cors_finding *f = find_finding(r, rows[i].finding);
            if (f == NULL || f->severity != rows[i].severity)
                fail_msg("%s: %s %s", rows[i].label, cors_finding_name(rows[i].finding),
                         f ? cors_severity_name(f->severity) : "absent");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_age_table),
        cmocka_unit_test(test_cache_note),
        cmocka_unit_test(test_report_cache_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
