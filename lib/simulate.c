/* SPDX-License-Identifier: MIT */
/* simulate.c - cors_policy_check: a browser against a compiled policy, with
 * no server. The request model says whether a preflight goes first and with
 * which Access-Control-Request-* values; the policy answers exactly those
 * requests; its header lines become cors_responses the way a server's would
 * (cors_response_from_headers), and cors_evaluate judges them. So the
 * evaluator judges the very bytes the emitter sends. */
#include "server.h"

/* The policy's answer to one request, as the response a browser receives. */
static int32_t answer_as_response(const cors_policy *p, cors_str method, const cors_header *request, size_t n,
                                  int32_t status, cors_header *lines, cors_response *out)
{
    cors_emitted_header emitted[CORS_ANSWER_MAX_HEADERS];
    cors_answer a;
    int32_t st;

    cors_answer_init(&a, sizeof(a));
    if ((st = cors_policy_answer(p, method.ptr, method.len, request, n, &a, emitted, CORS__COUNT(emitted))) != CORS_OK)
        return st;
    for (size_t i = 0; i < a.header_count; i++) {
        lines[i].name = emitted[i].name;
        lines[i].value = emitted[i].value;
    }
    cors_response_init(out, sizeof(*out));
    return cors_response_from_headers(a.kind == CORS_ANSWER_PREFLIGHT ? a.status_code : status, lines,
                                      a.header_count, out, NULL);
}

int32_t cors_policy_check(const cors_policy *policy, const cors_options *options, const cors_request *request,
                          cors_report *report, cors_error *err)
{
    cors_header pre_lines[CORS_ANSWER_MAX_HEADERS], resp_lines[CORS_ANSWER_MAX_HEADERS], ask[3];
    cors_response pre, resp;
    size_t tail, saved;
    char *stash;
    int32_t st;

    if (!cors__policy_is_valid(policy))
        return cors__fail(err, CORS_E_ARGUMENT, 0, 0, SIZE_MAX);
    /* What the page's request makes the browser send, before any response. */
    st = cors_evaluate(options, request, NULL, NULL, report, err);
    if (st != CORS_OK || report->failed_at != CORS_STAGE_NONE || (report->needs & CORS_NEED_ROOM) ||
        !(report->needs & (CORS_NEED_PREFLIGHT | CORS_NEED_RESPONSE)))
        return st;

    /* The method and Access-Control-Request-* values move past the room the
     * second evaluation may use, so they outlive the rewrite of the text. */
    cors_span m = report->method, am = report->acr_method;
    cors_span ah = report->has_acr_headers ? report->acr_headers : (cors_span){0, 0};
    tail = (size_t)m.length + am.length + ah.length;
    if (report->text_capacity - report->text_length < tail) {
        report->needs |= CORS_NEED_ROOM;
        report->text_length += tail;
        return CORS_OK;
    }
    stash = report->text + report->text_capacity - tail;
    memcpy(stash, report->text + m.offset, m.length);
    memcpy(stash + m.length, report->text + am.offset, am.length);
    memcpy(stash + m.length + am.length, report->text + ah.offset, ah.length);
    cors_str method = {stash, m.length};

    if (report->preflight) {
        ask[0] = (cors_header){cors__token_name(TOK_ORIGIN), request->origin};
        ask[1] = (cors_header){cors__token_name(TOK_ACRM), (cors_str){stash + m.length, am.length}};
        ask[2] = (cors_header){cors__token_name(TOK_ACRH), (cors_str){stash + m.length + am.length, ah.length}};
        st = answer_as_response(policy, CORS_LIT("OPTIONS"), ask, report->has_acr_headers ? 3 : 2, 0, pre_lines,
                                &pre);
        if (st != CORS_OK)
            return cors__fail(err, st, 0, 0, SIZE_MAX);
    }
    ask[0] = (cors_header){cors__token_name(TOK_ORIGIN), request->origin};
    if ((st = answer_as_response(policy, method, ask, 1, 200, resp_lines, &resp)) != CORS_OK)
        return cors__fail(err, st, 0, 0, SIZE_MAX);

    saved = report->text_capacity;
    report->text_capacity = saved - tail;
    st = cors_evaluate(options, request, report->preflight ? &pre : NULL, &resp, report, err);
    report->text_capacity = saved;
    if ((report->needs & CORS_NEED_ROOM) && report->text_length > saved - tail)
        report->text_length += tail;
    return st;
}
