/* list.c - comma-separated header lists, read across every line of a name
 * (Fetch: extract header list values; Chromium joins the lines with ", "
 * first, which splits the same way). */
#include "internal.h"

#include <string.h>

void cors__list_begin(cors__list_iter *it, const cors_policy *policy, const cors_field *field)
{
    memset(it, 0, sizeof(*it));
    if (field->lines == 0)
        return;
    it->headers = policy->headers;
    it->count = policy->header_count;
    it->name = policy->headers[field->first].name;
    it->index = field->first;
}

int cors__list_next(cors__list_iter *it, cors_str *element)
{
    while (it->index < it->count) {
        const cors_header *h = &it->headers[it->index];
        if (!cors__equal_nocase(h->name.ptr, h->name.len, it->name.ptr, it->name.len)) {
            it->index++;
            it->pos = 0;
            continue;
        }
        while (it->pos <= h->value.len && h->value.ptr != NULL) {
            const char *start = h->value.ptr + it->pos;
            size_t rest = h->value.len - it->pos;
            const char *comma = rest ? memchr(start, ',', rest) : NULL;
            size_t n = comma ? (size_t)(comma - start) : rest;
            cors_str e = {start, n};
            it->pos += n + 1;
            e = cors__trim_tab_space(e);
            if (e.len > 0) { /* Fetch: empty elements are ignored */
                *element = e;
                return 1;
            }
        }
        it->index++;
        it->pos = 0;
    }
    return 0;
}

int cors__list_is_valid(const cors_policy *policy, const cors_field *field, cors_str *bad)
{
    cors__list_iter it;
    cors_str e;
    cors__list_begin(&it, policy, field);
    while (cors__list_next(&it, &e)) {
        /* Fetch: CORS-preflight fetch parses #method / #field-name: one
         * non-token element fails the whole header. */
        if (!cors__is_token(e.ptr, e.len)) {
            if (bad != NULL)
                *bad = e;
            return 0;
        }
    }
    return 1;
}

int cors__list_contains(const cors_policy *policy, const cors_field *field, cors_str s, int nocase)
{
    cors__list_iter it;
    cors_str e;
    cors__list_begin(&it, policy, field);
    while (cors__list_next(&it, &e)) {
        if (nocase ? cors__equal_nocase(e.ptr, e.len, s.ptr, s.len)
                   : (e.len == s.len && memcmp(e.ptr, s.ptr, s.len) == 0))
            return 1;
    }
    return 0;
}
