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
    cors__netcheck nc;
    memset(out, 0, sizeof(*out));
    out->response = response;
    out->status_code = response->status_code;
    out->headers = response->headers;
    out->header_count = response->header_count;
    out->repairs = response->repairs;
    cors__netcheck_begin(&nc);
    for (size_t i = 0; i < response->header_count; i++) {
        const cors_header *h = &response->headers[i];
        cors__tok tok = cors__token_lookup(h->name);
        int slot = slot_of(tok);
        uint32_t cls = cors__token_class(tok);
        if (tok == TOK_CONTENT_LENGTH || tok == TOK_CONTENT_DISPOSITION || tok == TOK_LOCATION ||
            tok == TOK_TRANSFER_ENCODING || tok == TOK_CONTENT_ENCODING)
            cors__netcheck_line(&nc, tok, h->value);
        if (!(cls & TOKC_FORBIDDEN_RESPONSE))
            out->readable_candidates++;
        if (i < 64) { /* what expose.c asks of the lines of a usual response, without a lookup */
            out->safelisted_lines |= (uint64_t)((cls & TOKC_SAFELISTED_RESPONSE) != 0) << i;
            out->forbidden_lines |= (uint64_t)((cls & TOKC_FORBIDDEN_RESPONSE) != 0) << i;
        }
        if (slot < 0)
            continue;
        if (out->field[slot].count++ == 0) {
            out->field[slot].first = i;
            out->field[slot].value = h->value;
        }
        out->field[slot].last = i;
    }
    /* A failure already found in the bytes (a NUL, an interim head) comes first. */
    out->net_kind = response->network_error != 0
                        ? response->network_error
                        : cors__netcheck_end(&nc, response->http_version, true, &out->repairs);
}

bool cors__field_is_star(const cors__field *f)
{
    return f->count == 1 && f->value.len == 1 && f->value.ptr[0] == '*';
}
