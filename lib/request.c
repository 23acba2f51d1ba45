/* SPDX-License-Identifier: MIT */
/* request.c - the page's side of the Fetch model: what fetch() accepts, what
 * it sends, and whether a preflight goes first. One pass classifies every
 * header by its token; the safelistable names (at most 14) keep a slot each,
 * every other name is CORS-unsafe (unsafe.c sorts them). */
#include "internal.h"
#include "scan.h"

#include <string.h>

#define BODY_CONTENT_TYPE "text/plain;charset=UTF-8" /* what fetch() sends for a string body */

/* Fetch: normalize a method (m is a token: the inline compare fits); its length picks the
 * one or two candidates. */
static cors_str normalize_method(cors_str m)
{
#define METHOD_(upper, lower)                                                                   \
    do {                                                                                        \
        if (cors__token_equal_lit(m, lower, sizeof(lower) - 1))                                 \
            return CORS_LIT(upper);                                                             \
    } while (0)
    switch (m.len) {
    case 3: METHOD_("GET", "get"); METHOD_("PUT", "put"); break;
    case 4: METHOD_("HEAD", "head"); METHOD_("POST", "post"); break;
    case 6: METHOD_("DELETE", "delete"); break;
    case 7: METHOD_("OPTIONS", "options"); break;
    default: break;
    }
#undef METHOD_
    return m;
}

static void reject(const cors__eval *ev, cors_report *r, int32_t kind, int32_t code, cors_str value)
{
    cors__finding(ev, r, code, V0, CORS_STAGE_REQUEST, value);
    cors__report_fail(r, CORS_STAGE_REQUEST, kind);
}

static bool has_newline_or_nul(cors_str v)
{
    return v.ptr != NULL && cors__find_line_byte(v.ptr, 0, v.len) != v.len; /* one pass for the three */
}

/* A line that reaches the CORS rules: valid (checked first) and not dropped;
 * value is the line's, trimmed. */
static bool is_sent(const cors__request_model *m, const cors_header *h, cors__tok tok, cors_str value)
{
    if (m->drop_body_headers && (cors__token_class(tok) & TOKC_REQUEST_BODY))
        return false; /* after a redirect that changed the method */
    return !cors__is_forbidden_request_header(tok, h->name, value, m->strict);
}

/* Line i's token and whether it is sent: kept for the first MODEL_LINES. */
static cors__tok line_token(const cors__request_model *m, size_t i, bool *sent)
{
    cors__tok tok;
    if (i < MODEL_LINES) {
        *sent = (m->sent_lines >> i) & 1;
        return (cors__tok)m->line_token[i];
    }
    tok = cors__token_lookup(m->headers[i].name);
    *sent = is_sent(m, &m->headers[i], tok, cors__trim_http_whitespace(m->headers[i].value));
    return tok;
}

bool cors__request_line_is_unsafe(const cors__request_model *m, size_t i)
{
    bool sent;
    int k;
    if (i < MODEL_LINES)
        return (m->unsafe_lines >> i) & 1;
    k = cors__token_safelist_index(line_token(m, i, &sent));
    if (!sent)
        return false;
    return k < 0 || m->over_budget || !m->slot[k].is_safelisted;
}

/* Chromium joins repeated request headers with ", " before the CORS rules
 * run (Blink ResourceRequestHead::AddHttpHeaderField); values longer than 128
 * bytes cannot be safelisted, so a 129-byte buffer decides. */
static bool joined_is_safelisted(const cors__request_model *m, cors__tok tok, cors__safelist_slot *s)
{
    char buf[FETCH_SAFELIST_VALUE_MAX + 1];
    size_t n = 0;
    bool first = true;
    for (size_t i = 0; i < m->header_count; i++) {
        const cors_header *h = &m->headers[i];
        bool sent;
        cors_str v;
        if (line_token(m, i, &sent) != tok || !sent)
            continue;
        v = cors__trim_http_whitespace(h->value);
        if (n + (first ? 0 : 2) + v.len > FETCH_SAFELIST_VALUE_MAX)
            return false;
        if (!first) { /* empty values are joined too: "" + "text/plain" is ", text/plain" */
            memcpy(buf + n, ", ", 2);
            n += 2;
        }
        first = false;
        if (v.len)
            memcpy(buf + n, v.ptr, v.len);
        n += v.len;
    }
    return cors__is_safelisted_value(tok, (cors_str){buf, n}, m->strict, &s->is_chromium_only);
}

/* Each value alone would be safelisted; only the joined one is not. */
static bool each_value_safelisted(const cors__request_model *m, cors__tok tok)
{
    bool chromium_only;
    for (size_t i = 0; i < m->header_count; i++) {
        bool sent;
        if (line_token(m, i, &sent) == tok && sent &&
            !cors__is_safelisted_value(tok, cors__trim_http_whitespace(m->headers[i].value), false, &chromium_only))
            return false;
    }
    return true;
}

/* One pass: validity (fetch() throws), forbidden names (dropped), slots. */
static int32_t classify(cors__eval *ev, cors_report *r)
{
    cors__request_model *m = &ev->model;
    for (size_t i = 0; i < m->header_count; i++) {
        const cors_header *h = &m->headers[i];
        cors_str v = cors__trim_http_whitespace(h->value); /* Fetch: normalize a header value */
        cors__tok tok;
        int k;

        /* a name the lookup knows matched letters, digits and '-' only: a token (the lookup inline:
         * every request line meets it) */
        if ((tok = (cors__tok)(cors__token_find(h->name) - cors__tokens)) == TOK_UNKNOWN && !cors__is_token(h->name)) {
            reject(ev, r, CORS_KIND_INVALID_HEADER_NAME, CORS_FINDING_REQUEST_HEADER_NAME_INVALID, h->name);
            return CORS_OK;
        }
        if (has_newline_or_nul(v)) {
            reject(ev, r, CORS_KIND_INVALID_HEADER_VALUE, CORS_FINDING_REQUEST_HEADER_VALUE_INVALID, h->name);
            return CORS_OK;
        }
        if (i < MODEL_LINES)
            m->line_token[i] = (uint8_t)tok;
        if (!is_sent(m, h, tok, v)) {
            if (!m->quiet && !(m->drop_body_headers && (cors__token_class(tok) & TOKC_REQUEST_BODY)))
                cors__finding(ev, r, CORS_FINDING_REQUEST_HEADER_DROPPED, V0, CORS_STAGE_REQUEST, h->name, h->name);
            continue;
        }
        if (i < MODEL_LINES)
            m->sent_lines |= (uint64_t)1 << i;
        if (cors__token_class(tok) & TOKC_CONDITIONAL)
            m->has_conditional = true;
        if ((k = cors__token_safelist_index(tok)) < 0)
            continue;
        cors__safelist_slot *s = &m->slot[k];
        if (!(m->slots_used & (1u << k))) { /* slots are initialized on first use */
            m->slots_used |= 1u << k;
            memset(s, 0, sizeof(*s));
            s->tok = tok;
            s->lines = 1;
            s->name = h->name;
            s->value = v;
            s->combined_length = v.len;
            s->is_safelisted = true;
        } else {
            s->lines++;
            /* saturating: only "more than 128" and the 1024-byte sum matter */
            s->combined_length = s->combined_length > SIZE_MAX / 2 || v.len > SIZE_MAX / 4
                                     ? SIZE_MAX / 2
                                     : s->combined_length + 2 + v.len;
        }
        if (m->strict) { /* Fetch: every pair of the header list on its own */
            bool chromium_only;
            if (cors__is_safelisted_value(tok, v, true, &chromium_only))
                s->safelisted_bytes += v.len;
            else
                s->is_safelisted = false;
        }
    }
    return CORS_OK;
}

/* Chromium: the joined value of each name decides; then the 1024-byte rule. */
static void judge_slots(cors__eval *ev, cors_report *r)
{
    cors__request_model *m = &ev->model;
    size_t budget = 0;
    uint32_t used = m->slots_used, chromium_only = 0; /* bit k: slot k is safelisted by Chromium alone */
    bool has_accept = (used & 1u) != 0; /* slot 0 is Accept */
    bool default_content_type = m->body && !m->drop_body_headers && !(used & (1u << 3)); /* slot 3 */
    for (uint32_t rest = used; rest != 0; rest &= rest - 1) { /* the used slots only, in order */
        size_t k = cors__lowest_bit64(rest);
        cors__safelist_slot *s = &m->slot[k];
        if (!m->strict) {
            if (s->lines == 1)
                s->is_safelisted = cors__is_safelisted_value(s->tok, s->value, false, &s->is_chromium_only);
            else
                s->is_safelisted = s->combined_length <= FETCH_SAFELIST_VALUE_MAX && joined_is_safelisted(m, s->tok, s);
            s->safelisted_bytes = s->is_safelisted ? s->combined_length : 0;
            if (s->lines > 1 && !s->is_safelisted && !m->quiet && each_value_safelisted(m, s->tok))
                cors__finding(ev, r, CORS_FINDING_REQUEST_HEADERS_COMBINED, V0, CORS_STAGE_REQUEST, s->name,
                              (int)s->lines, s->name);
        }
        /* each at most 128 bytes (Chromium) or their sum (Fetch): no overflow that matters */
        budget = budget > SIZE_MAX / 2 ? budget : budget + s->safelisted_bytes;
        if (s->is_safelisted && s->is_chromium_only)
            chromium_only |= 1u << k;
    }
    /* Fetch: fetch adds an Accept of three bytes (star, slash, star) when the page set none; it counts too,
     * and so does the Content-Type a string body gets (text/plain;charset=UTF-8). */
    if (!has_accept)
        budget += 3;
    if (default_content_type)
        budget += sizeof(BODY_CONTENT_TYPE) - 1;
    m->over_budget = budget > FETCH_SAFELIST_TOTAL_MAX;
    m->default_accept_unsafe = m->over_budget && !has_accept;
    m->default_content_type_unsafe = m->over_budget && default_content_type;
    for (int k = 0; (chromium_only >> k) != 0 && !m->over_budget && !m->quiet; k++)
        if (chromium_only & (1u << k))
            cors__finding(ev, r, CORS_FINDING_CHROMIUM_ONLY_SAFELISTED, V0, CORS_STAGE_REQUEST, m->slot[k].name,
                          m->slot[k].name);
}

/* The model of the request as it stands: classify its lines, judge the slots,
 * sort the first unsafe names. Findings only for the request as the page made it. */
static int32_t model_compute(cors__eval *ev, cors_report *r)
{
    cors__request_model *m = &ev->model;
    int32_t st;
    m->method_is_safelisted = cors__is_safelisted_method(m->method);
    if ((st = classify(ev, r)) != CORS_OK || r->failed_at != CORS_STAGE_NONE)
        return st;
    judge_slots(ev, r);
    for (size_t i = 0; i < m->header_count && i < MODEL_LINES; i++) { /* the first lines' verdicts, kept */
        int k = cors__token_safelist_index((cors__tok)m->line_token[i]);
        if (((m->sent_lines >> i) & 1) && (k < 0 || m->over_budget || !m->slot[k].is_safelisted))
            m->unsafe_lines |= (uint64_t)1 << i;
    }
    cors__unsafe_collect(m);
    m->needs_preflight = !m->method_is_safelisted || m->unsafe_count > 0;
    return CORS_OK;
}

void cors__request_model_rebuild(cors__eval *ev, cors_str method)
{
    cors__request_model *m = &ev->model;
    cors_report scratch;
    /* Fetch: HTTP-redirect fetch turns the method to GET and drops the body
     * and the request-body headers (Chromium RedirectUtil::UpdateHttpRequest) */
    const cors_header *headers = m->headers;
    size_t count = m->header_count;
    bool strict = m->strict, credentialed = m->credentialed;
    const cors_request *request = m->request;
    cors_span *work = m->work;
    size_t work_capacity = m->work_capacity;
    memset(m, 0, offsetof(cors__request_model, line_token));
    m->work = work;
    m->work_capacity = work_capacity;
    m->request = request;
    m->headers = headers;
    m->header_count = count;
    m->strict = strict;
    m->credentialed = credentialed;
    m->method = method;
    m->drop_body_headers = true;
    m->quiet = true;
    memset(&scratch, 0, sizeof(scratch)); /* no finding is made: the page's request was reported */
    model_compute(ev, &scratch);
}

int32_t cors__request_model_build(cors__eval *ev, const cors__request_override *ov, cors_report *r, cors_error *err)
{
    const cors_request *request = ev->request;
    cors__request_model *m = &ev->model;
    cors_str method = request->method;
    cors__zero(m, offsetof(cors__request_model, line_token)); /* the arrays fill as they are used */
    m->work = r->readable;
    m->work_capacity = r->readable_capacity;
    m->sorted = NULL;
    m->sorted_count = 0;
    m->request = request;
    m->strict = ev->strict;
    m->headers = ov != NULL && ov->headers != NULL ? ov->headers : request->headers;
    m->header_count = ov != NULL && ov->headers != NULL ? ov->header_count : request->header_count;
    m->credentialed = (ov != NULL && ov->credentials >= 0 ? ov->credentials : request->credentials) ==
                      CORS_CREDENTIALS_INCLUDE;
    if (method.len == 0)
        method = CORS_LIT("GET");
    /* the caller's array first: a NULL pointer with a length is no input, whatever the method */
    for (size_t i = 0; i < request->header_count; i++) {
        const cors_header *h = &request->headers[i];
        if ((h->name.ptr == NULL && h->name.len) || (h->value.ptr == NULL && h->value.len))
            return cors__fail(err, CORS_E_ARGUMENT, 0, 0, i);
    }

    /* Fetch: the Request constructor checks the method before the headers */
    if (!cors__is_token(method)) {
        reject(ev, r, CORS_KIND_INVALID_METHOD, CORS_FINDING_REQUEST_METHOD_INVALID, method);
        return CORS_OK;
    }
    if (cors__is_forbidden_method(method)) {
        reject(ev, r, CORS_KIND_FORBIDDEN_METHOD, CORS_FINDING_REQUEST_METHOD_FORBIDDEN, method);
        return CORS_OK;
    }
    m->method = normalize_method(method);
    m->body = request->body != 0;
    r->method = cors__report_put(r, m->method);
    return model_compute(ev, r);
}
