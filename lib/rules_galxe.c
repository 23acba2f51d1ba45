/* rules_galxe.c - Galxe's documented check of third-party APIs. */
#include "internal.h"

int32_t cors__rules_galxe(cors__eval *ev, cors_report *report)
{
    (void)ev;
    (void)report;
    return CORS_E_BAD_RULES;
}
