/* SPDX-License-Identifier: MIT */
/* grant.c - the CORS grant one response carries: where each CORS header
 * sits, found in one pass over its lines. Private: cors_evaluate builds it
 * from the cors_response it is given. */
#include "internal.h"

#include <string.h>

static const cors__tok slot_tokens[SLOT_COUNT] = {
    [SLOT_ACAO] = TOK_ACAO, [SLOT_ACAC] = TOK_ACAC, [SLOT_ACAM] = TOK_ACAM, [SLOT_ACAH] = TOK_ACAH,
    [SLOT_ACEH] = TOK_ACEH, [SLOT_ACMA] = TOK_ACMA, [SLOT_VARY] = TOK_VARY, [SLOT_LOCATION] = TOK_LOCATION,
};

cors__tok cors__slot_token(cors__slot slot)
{
    return slot_tokens[slot];
}

static int slot_of(cors__tok tok)
{
    switch (tok) {
    case TOK_ACAO: return SLOT_ACAO;
    case TOK_ACAC: return SLOT_ACAC;
    case TOK_ACAM: return SLOT_ACAM;
    case TOK_ACAH: return SLOT_ACAH;
    case TOK_ACEH: return SLOT_ACEH;
    case TOK_ACMA: return SLOT_ACMA;
    case TOK_VARY: return SLOT_VARY;
    case TOK_LOCATION: return SLOT_LOCATION;
    default: return -1;
    }
}

void cors__grant_build(const cors_response *response, cors__grant *out)
{
    const cors_header *headers = response->headers;
    uint64_t safelisted = 0, forbidden = 0;
    size_t readable = 0;
    cors__netcheck nc;
    memset(out, 0, sizeof(*out));
    out->response = response;
    out->status_code = response->status_code;
    out->headers = headers;
    out->header_count = response->header_count;
    out->repairs = response->repairs;
    cors__netcheck_begin(&nc);
    for (size_t i = 0; i < response->header_count; i++) {
        cors__tok tok = cors__token_lookup(headers[i].name);
        uint32_t cls = cors__token_class(tok);
        int slot = slot_of(tok);
        if (cls & TOKC_NETWORK_CHECKED)
            cors__netcheck_line(&nc, tok, headers[i].value);
        readable += !(cls & TOKC_FORBIDDEN_RESPONSE);
        if (i < 64) { /* what expose.c asks of the lines of a usual response, without a lookup */
            safelisted |= (uint64_t)((cls & TOKC_SAFELISTED_RESPONSE) != 0) << i;
            forbidden |= (uint64_t)((cls & TOKC_FORBIDDEN_RESPONSE) != 0) << i;
        }
        if (slot < 0)
            continue;
        if (out->field[slot].count++ == 0) {
            out->field[slot].first = i;
            out->field[slot].value = headers[i].value;
        }
        out->field[slot].last = i;
    }
    out->readable_candidates = readable;
    out->safelisted_lines = safelisted;
    out->forbidden_lines = forbidden;
    /* A failure already found in the bytes (a NUL, an interim head) comes first. */
    out->net_kind = response->network_error != 0
                        ? response->network_error
                        : cors__netcheck_end(&nc, response->http_version, true, &out->repairs);
}

bool cors__field_is_star(const cors__field *f)
{
    return f->count == 1 && f->value.len == 1 && f->value.ptr[0] == '*';
}
