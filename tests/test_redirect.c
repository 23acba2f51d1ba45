/* SPDX-License-Identifier: MIT */
/*
 * test_redirect.c - lib/redirect.c: which responses the browser follows
 * (cors__redirect_is_followed: the five statuses with a non-empty Location),
 * which Location it reads (the first non-empty line), and
 * cors__redirect_judge's order as Chromium 156 showed it: an invalid
 * Location, the redirect limit, the CORS check once the chain is
 * cross-origin, credentials, unsafe and non-HTTP schemes, Mixed Content, URL
 * credentials; each row fails two checks where it can, so the order decides.
 * A followed redirect sets chain->next.
 */
#include <stdio.h>

#include "internal.h"
#include "test_util.h"

#define ORIGIN "https://app.example"

static void test_is_followed(void **state)
{
    static const struct {
        int32_t status;
        const char *lines;
        bool followed;
        const char *location;
    } frows[] = {
        {.status = 301, .lines = "Location: /a\r\n", .followed = true, .location = "/a"},
        {.status = 302, .lines = "Location: /a\r\n", .followed = true, .location = "/a"},
        {.status = 303, .lines = "Location: /a\r\n", .followed = true, .location = "/a"},
        {.status = 307, .lines = "Location: /a\r\n", .followed = true, .location = "/a"},
        {.status = 308, .lines = "Location: /a\r\n", .followed = true, .location = "/a"},
        {.status = 300, .lines = "Location: /a\r\n", .location = "/a"},
        {.status = 304, .lines = "Location: /a\r\n", .location = "/a"},
        {.status = 305, .lines = "Location: /a\r\n", .location = "/a"},
        {.status = 306, .lines = "Location: /a\r\n", .location = "/a"},
        {.status = 200, .lines = "Location: /a\r\n", .location = "/a"},
        {.status = 302, .lines = "", .location = ""},
        {.status = 302, .lines = "Location:\r\n", .location = ""},
        {.status = 302, .lines = "Location:\r\nlocation: /b\r\n", .followed = true, .location = "/b"},
        {.status = 302, .lines = "X: 1\r\nLOCATION: /c\r\nLocation: /c\r\n", .followed = true, .location = "/c"},
    };
    static parsed_head h;
    static char head[256];
    (void)state;
    for (size_t i = 0; i < COUNT(frows); i++) {
        cors__grant g;
        snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\n%s\r\n", (int)frows[i].status, frows[i].lines);
        cors__grant_build(parsed_head_init(&h, head), &g);
        if (cors__redirect_is_followed(&g) != frows[i].followed)
            fail_msg("%d '%s': followed %d", (int)frows[i].status, frows[i].lines, !frows[i].followed);
        assert_str(cors__redirect_location(&g), frows[i].location);
    }
}

typedef struct judge_row {
    const char *label;
    const char *lines;       /* the redirect response's lines after the status line */
    const char *url;         /* the current URL; NULL: https://api.example/start */
    bool same_origin_chain;  /* the chain has not gone cross-origin (no CORS flag) */
    bool credentialed;
    bool strict;
    int32_t hop;             /* 0: 1 */
    int32_t kind;
    int32_t finding;         /* the error finding, or CORS_FINDING_REDIRECT_FOLLOWED */
    const char *next;        /* the text of chain->next when followed */
} judge_row;

#define ACAO_STAR "Access-Control-Allow-Origin: *\r\n"

static const judge_row rows[] = {
    {.label = "followed", .lines = ACAO_STAR "Location: /next\r\n", .finding = CORS_FINDING_REDIRECT_FOLLOWED,
     .next = "https://api.example/next"},
    {.label = "followed to another origin", .lines = ACAO_STAR "Location: https://b.example/x\r\n",
     .finding = CORS_FINDING_REDIRECT_FOLLOWED, .next = "https://b.example/x"},
    /* an invalid Location first: before the CORS check */
    {.label = "invalid Location, no ACAO", .lines = "Location: https://[::1\r\n", .kind = CORS_KIND_INVALID_REDIRECT,
     .finding = CORS_FINDING_REDIRECT_INVALID},
    {.label = "a port past 65535", .lines = ACAO_STAR "Location: https://b.example:70000/\r\n",
     .kind = CORS_KIND_INVALID_REDIRECT, .finding = CORS_FINDING_REDIRECT_INVALID},
    /* the limit before the CORS check */
    {.label = "the 21st redirect, no ACAO", .lines = "Location: /next\r\n", .hop = 21,
     .kind = CORS_KIND_TOO_MANY_REDIRECTS, .finding = CORS_FINDING_REDIRECT_TOO_MANY},
    {.label = "the 20th is followed", .lines = ACAO_STAR "Location: /next\r\n", .hop = 20,
     .finding = CORS_FINDING_REDIRECT_FOLLOWED, .next = "https://api.example/next"},
    /* the CORS check before the Location's scheme and credentials */
    {.label = "no ACAO and data:", .lines = "Location: data:,x\r\n", .kind = CORS_KIND_MISSING_ALLOW_ORIGIN_HEADER,
     .finding = CORS_FINDING_ALLOW_ORIGIN_MISSING},
    {.label = "no ACAO on a same-origin chain: no CORS check", .lines = "Location: /next\r\n",
     .same_origin_chain = true, .url = "https://app.example/start", .finding = CORS_FINDING_REDIRECT_FOLLOWED,
     .next = "https://app.example/next"},
    {.label = "* with credentials", .lines = ACAO_STAR "Location: /next\r\n", .credentialed = true,
     .kind = CORS_KIND_WILDCARD_ORIGIN_NOT_ALLOWED, .finding = CORS_FINDING_ALLOW_ORIGIN_WILDCARD_CREDENTIALS},
    /* credentials before the scheme */
    {.label = "credentials and ftp:", .lines = ACAO_STAR "Location: ftp://u:p@b.example/\r\n",
     .kind = CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS, .finding = CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS},
    {.label = "credentials, cross-origin", .lines = ACAO_STAR "Location: https://u:p@b.example/\r\n",
     .kind = CORS_KIND_REDIRECT_CONTAINS_CREDENTIALS, .finding = CORS_FINDING_REDIRECT_CONTAINS_CREDENTIALS},
    {.label = "credentials on a same-origin chain: the renderer refuses",
     .lines = "Location: https://u:p@app.example/x\r\n", .same_origin_chain = true,
     .url = "https://app.example/start", .kind = CORS_KIND_URL_CREDENTIALS, .finding = CORS_FINDING_URL_CREDENTIALS},
    {.label = "credentials on a same-origin chain, strict: followed",
     .lines = "Location: https://u:p@app.example/x\r\n", .same_origin_chain = true, .strict = true,
     .url = "https://app.example/start", .finding = CORS_FINDING_REDIRECT_FOLLOWED, .next = "https://app.example/x"},
    /* unsafe schemes, then schemes without CORS */
    {.label = "data:", .lines = ACAO_STAR "Location: data:,x\r\n", .kind = CORS_KIND_UNSAFE_REDIRECT,
     .finding = CORS_FINDING_REDIRECT_UNSAFE},
    {.label = "file:", .lines = ACAO_STAR "Location: file:///x\r\n", .kind = CORS_KIND_UNSAFE_REDIRECT,
     .finding = CORS_FINDING_REDIRECT_UNSAFE},
    {.label = "blob:", .lines = ACAO_STAR "Location: blob:https://b.example/x\r\n", .kind = CORS_KIND_UNSAFE_REDIRECT,
     .finding = CORS_FINDING_REDIRECT_UNSAFE},
    {.label = "about:", .lines = ACAO_STAR "Location: about:blank\r\n", .kind = CORS_KIND_UNSAFE_REDIRECT,
     .finding = CORS_FINDING_REDIRECT_UNSAFE},
    {.label = "ftp:", .lines = ACAO_STAR "Location: ftp://b.example/\r\n", .kind = CORS_KIND_CORS_DISABLED_SCHEME,
     .finding = CORS_FINDING_REDIRECT_SCHEME},
    {.label = "wss:", .lines = ACAO_STAR "Location: wss://b.example/\r\n", .kind = CORS_KIND_CORS_DISABLED_SCHEME,
     .finding = CORS_FINDING_REDIRECT_SCHEME},
    {.label = "javascript:", .lines = ACAO_STAR "Location: javascript:x\r\n", .kind = CORS_KIND_CORS_DISABLED_SCHEME,
     .finding = CORS_FINDING_REDIRECT_SCHEME},
    /* Mixed Content last */
    {.label = "to http", .lines = ACAO_STAR "Location: http://b.example/\r\n", .kind = CORS_KIND_MIXED_CONTENT,
     .finding = CORS_FINDING_MIXED_CONTENT},
    {.label = "to http://localhost", .lines = ACAO_STAR "Location: http://localhost/\r\n",
     .finding = CORS_FINDING_REDIRECT_FOLLOWED, .next = "http://localhost/"},
};

static void test_judge_order(void **state)
{
    static test_eval t;
    static big_report b;
    static char head[512];
    (void)state;
    for (size_t i = 0; i < COUNT(rows); i++) {
        const judge_row *row = &rows[i];
        cors_report *r = big_report_lend(&b);
        const cors_finding *f = NULL;
        int32_t kind;
        test_eval_init(&t, NULL, "GET", row->credentialed ? CORS_CREDENTIALS_INCLUDE : CORS_CREDENTIALS_OMIT, NULL,
                       0, CORS_RULES_BROWSER, row->strict, r);
        assert_true(cors__url_resolve(NULL, str_z(row->url ? row->url : "https://api.example/start"), &t.chain.url));
        t.chain.cors_flag = !row->same_origin_chain;
        t.ev.hop = row->hop ? row->hop : 1;
        snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\n%s\r\n", row->lines);
        test_eval_response(&t, head);
        memset(&t.chain.next, 0xab, sizeof(t.chain.next));
        kind = cors__redirect_judge(&t.ev, r);
        if (kind != row->kind)
            fail_msg("%s: %s, want %s", row->label, cors_kind_name(kind), cors_kind_name(row->kind));
        for (size_t k = 0; k < r->finding_count; k++)
            if (r->findings[k].severity == CORS_SEVERITY_ERROR || kind == CORS_KIND_NONE)
                f = &r->findings[k];
        if (f == NULL || f->code != row->finding)
            fail_msg("%s: finding %s, want %s", row->label, f ? cors_finding_name(f->code) : "none",
                     cors_finding_name(row->finding));
        assert_int_equal(f->stage, CORS_STAGE_RESPONSE);
        if (kind == CORS_KIND_NONE) {
            assert_int_equal(f->severity, CORS_SEVERITY_INFO);
            if (!t.chain.next.text_known || t.chain.next.len != strlen(row->next) ||
                memcmp(t.chain.next.text, row->next, t.chain.next.len) != 0)
                fail_msg("%s: next '%.*s', want '%s'", row->label, (int)t.chain.next.len, t.chain.next.text, row->next);
        }
    }
}

/* A preflight's redirect: only net's check of the Location (the preflight
 * fails at any rate, preflight.c). */
static void test_check_net(void **state)
{
    static test_eval t;
    static big_report b;
    cors__url url;
    cors_report *r = big_report_lend(&b);
    (void)state;
    test_eval_init(&t, NULL, "PUT", CORS_CREDENTIALS_OMIT, NULL, 0, CORS_RULES_BROWSER, false, r);
    assert_int_equal(cors__redirect_check_net(&t.ev, test_eval_preflight(&t, "HTTP/1.1 307 X\r\nLocation: /a\r\n\r\n"),
                                              CORS_STAGE_PREFLIGHT, &url, r),
                     CORS_KIND_NONE);
    assert_int_equal(r->finding_count, 0);
    assert_int_equal(cors__redirect_check_net(&t.ev,
                                              test_eval_preflight(&t, "HTTP/1.1 307 X\r\nLocation: http://a b/\r\n\r\n"),
                                              CORS_STAGE_PREFLIGHT, &url, r),
                     CORS_KIND_INVALID_REDIRECT);
    assert_int_equal(r->finding_count, 1);
    assert_int_equal(r->findings[0].code, CORS_FINDING_REDIRECT_INVALID);
    assert_int_equal(r->findings[0].stage, CORS_STAGE_PREFLIGHT);
    assert_span(r, r->findings[0].value, "http://a b/");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_followed),
        cmocka_unit_test(test_judge_order),
        cmocka_unit_test(test_check_net),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
