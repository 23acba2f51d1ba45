/* policy.c - the grant a response carries: where its CORS headers sit. */
#include "internal.h"

#include <string.h>

void cors_policy_init(cors_policy *policy)
{
    if (policy == NULL)
        return;
    memset(policy, 0, sizeof(*policy));
    policy->struct_size = sizeof(*policy);
}

static void note(cors_field *field, const cors_header *h, size_t index)
{
    if (field->lines == 0) {
        field->value = h->value;
        field->first = (uint32_t)index;
    }
    field->lines++;
}

int32_t cors_policy_from_response(const cors_response *response, cors_policy *out)
{
    cors_policy_init(out);
    if (response == NULL || out == NULL || (response->headers == NULL && response->header_count != 0))
        return CORS_E_ARGUMENT;
    if (response->header_count > UINT32_MAX)
        return CORS_E_TOO_MANY_HEADERS;
    out->status_code = response->status_code;
    out->headers = response->headers;
    out->header_count = response->header_count;
    for (size_t i = 0; i < response->header_count; i++) {
        const cors_header *h = &response->headers[i];
        cors_str n = h->name;
        if (cors__equal_nocase_z(n, "access-control-allow-origin"))
            note(&out->allow_origin, h, i);
        else if (cors__equal_nocase_z(n, "access-control-allow-credentials"))
            note(&out->allow_credentials, h, i);
        else if (cors__equal_nocase_z(n, "access-control-allow-methods"))
            note(&out->allow_methods, h, i);
        else if (cors__equal_nocase_z(n, "access-control-allow-headers"))
            note(&out->allow_headers, h, i);
        else if (cors__equal_nocase_z(n, "access-control-expose-headers"))
            note(&out->expose_headers, h, i);
        else if (cors__equal_nocase_z(n, "access-control-max-age"))
            note(&out->max_age, h, i);
        else if (cors__equal_nocase_z(n, "vary"))
            note(&out->vary, h, i);
        else if (cors__equal_nocase_z(n, "location"))
            note(&out->location, h, i);
    }
    return CORS_OK;
}
