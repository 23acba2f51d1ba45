/* SPDX-License-Identifier: MIT */
/* network.c - what Chromium's network stack makes of a response before any
 * CORS rule: the head it refuses (a network error ends the fetch) and the
 * head it repairs (a warning per kind of repair, naming the first line). */
#include "internal.h"

#include <string.h>

static int32_t finding_of(int32_t kind)
{
    switch (kind) {
    case CORS_KIND_INVALID_HTTP_RESPONSE: return CORS_FINDING_HEAD_INVALID;
    case CORS_KIND_MULTIPLE_CONTENT_LENGTH_HEADERS: return CORS_FINDING_CONTENT_LENGTH_MULTIPLE;
    case CORS_KIND_MULTIPLE_CONTENT_DISPOSITION_HEADERS: return CORS_FINDING_CONTENT_DISPOSITION_MULTIPLE;
    case CORS_KIND_MULTIPLE_LOCATION_HEADERS: return CORS_FINDING_REDIRECT_MULTIPLE_LOCATION;
    case CORS_KIND_RESPONSE_HEADERS_TOO_BIG: return CORS_FINDING_HEAD_TOO_BIG;
    case CORS_KIND_RESPONSE_HEADERS_TRUNCATED: return CORS_FINDING_HEAD_TRUNCATED;
    case CORS_KIND_EMPTY_RESPONSE: return CORS_FINDING_HEAD_EMPTY;
    case CORS_KIND_METHOD_NOT_SUPPORTED: return CORS_FINDING_HTTP09_METHOD;
    default: return CORS_FINDING_CONTENT_ENCODING_INVALID;
    }
}

/* One warning per kind of repair; the line comes from reading the bytes again. */
static void repair_findings(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r)
{
    const cors_response *resp = g->response;
    cors__repair_log log;
    bool logged = false;

    if (g->repairs == 0)
        return;
    memset(&log, 0, sizeof(log));
    if (resp != NULL && resp->raw.len > 0) {
        cors_response again;
        memset(&again, 0, sizeof(again));
        again.struct_size = sizeof(again);
        cors__head_read_chromium(resp->raw.ptr, resp->raw.len, NULL, 0, &again, &log);
        logged = true;
    }
    for (int k = 0; k < REPAIR_KINDS; k++) {
        int32_t code = CORS_FINDING_HEAD_STATUS_LINE_SLOP + k;
        if (!((g->repairs >> k) & 1u))
            continue;
        if (logged && log.count[k] > 0)
            cors__finding(ev, r, code, V0, stage, VALUE_NONE, (int64_t)log.first_line[k]);
        else
            cors__finding(ev, r, code, code >= CORS_FINDING_HEAD_REPEATED_CONTENT_LENGTH ? V0 : V1, stage,
                          VALUE_NONE);
    }
}

int32_t cors__network_judge(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r)
{
    int32_t kind = g->net_kind;
    repair_findings(ev, g, stage, r);
    /* DoReadHeadersComplete: an HTTP/0.9 answer to a PUT */
    if (kind == CORS_KIND_NONE && stage == CORS_STAGE_RESPONSE && g->response != NULL &&
        g->response->http_version == 9 && cors__equal(ev->model.method, CORS_LIT("PUT")))
        kind = CORS_KIND_METHOD_NOT_SUPPORTED;
    if (kind == CORS_KIND_NONE)
        return CORS_KIND_NONE;
    if (kind == CORS_KIND_INVALID_HTTP_RESPONSE && g->response != NULL && g->response->raw.len > 0 &&
        memchr(g->response->raw.ptr, '\0', g->response->raw.len) == NULL)
        cors__finding(ev, r, CORS_FINDING_HEAD_INVALID, V1, stage, VALUE_NONE);
    else
        cors__finding(ev, r, finding_of(kind), kind == CORS_KIND_MULTIPLE_LOCATION_HEADERS ? V1 : V0, stage,
                      VALUE_JOINED);
    return kind;
}
