/* rules_reflect.c - the reflect-origin-with-credentials pattern done right. */
#include "internal.h"

int32_t cors__rules_reflect(cors__eval *ev, cors_report *report)
{
    (void)ev;
    (void)report;
    return CORS_E_BAD_RULES;
}
