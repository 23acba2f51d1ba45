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

/* One line's roles, from its token's entry: the netcheck's, its slot's, and (below 64) its bits. */
static CORS__ALWAYS_INLINE void take_line(cors__grant *out, cors__netcheck *nc, const cors_header *h, size_t i,
                                          const cors__token_entry *t)
{
    unsigned slot = t->slot;
    if (t->cls & TOKC_NETWORK_CHECKED)
        cors__netcheck_line(nc, (cors__tok)(t - cors__tokens), h->value);
    if (slot-- == 0)
        return;
    if (out->field[slot].count++ == 0) {
        out->field[slot].first = i;
        out->field[slot].value = h->value;
    }
    out->field[slot].last = i;
}

void cors__grant_build(const cors_response *response, cors__grant *out)
{
    const cors_header *headers = response->headers;
    size_t count = response->header_count, low = count < 64 ? count : 64, forbidden_high = 0, forbidden_low = 0;
    uint64_t safelisted = 0, forbidden = 0;
    cors__netcheck nc;
    /* each slot cleared on its own: 16-byte stores, where one memset of the grant was a string
     * store (rep stos) whose start-up costs more than the stores */
#define CLEAR_(k) out->field[k] = (cors__field){0, 0, 0, {NULL, 0}}
    CLEAR_(0); CLEAR_(1); CLEAR_(2); CLEAR_(3); CLEAR_(4); CLEAR_(5); CLEAR_(6); CLEAR_(7);
#undef CLEAR_
    _Static_assert(SLOT_COUNT == 8, "every slot cleared above");
    out->readable_candidates = 0;
    out->response = response;
    out->status_code = response->status_code;
    out->headers = headers;
    out->header_count = count;
    out->repairs = response->repairs;
    cors__netcheck_begin(&nc);
    /* what expose.c asks of the lines of a usual response, kept as bits without a lookup */
    for (size_t i = 0; i < low; i++) {
        const cors__token_entry *t = cors__token_find(headers[i].name);
        if (t->cls & (TOKC_SAFELISTED_RESPONSE | TOKC_FORBIDDEN_RESPONSE)) { /* a few lines of a response */
            safelisted |= (uint64_t)((t->cls / TOKC_SAFELISTED_RESPONSE) & 1) << i;
            forbidden |= (uint64_t)((t->cls / TOKC_FORBIDDEN_RESPONSE) & 1) << i;
        }
        take_line(out, &nc, &headers[i], i, t);
    }
    for (size_t i = low; i < count; i++) {
        const cors__token_entry *t = cors__token_find(headers[i].name);
        forbidden_high += (t->cls & TOKC_FORBIDDEN_RESPONSE) != 0;
        take_line(out, &nc, &headers[i], i, t);
    }
    for (uint64_t f = forbidden; f != 0; f &= f - 1) /* Set-Cookie lines are few: a loop per one */
        forbidden_low++;
    out->readable_candidates = count - forbidden_low - forbidden_high;
    out->safelisted_lines = safelisted;
    out->forbidden_lines = forbidden;
    /* A failure already found in the bytes (a NUL, an interim head) comes first. */
    out->net_kind = response->network_error != 0
                        ? response->network_error
                        : cors__netcheck_end(&nc, response->http_version, true, &out->repairs);
}
