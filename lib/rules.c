/* SPDX-License-Identifier: MIT */
/* rules.c - the rule sets as data: what each changes about the request before
 * the model is built, what advice the browser rules give, and its judgement. */
#include "internal.h"

static const cors__rules rule_sets[] = {
    /* what Chromium does, with its warnings */
    [CORS_RULES_BROWSER] = {CORS_RULES_BROWSER, -1, false, ADVICE_MAX_AGE | ADVICE_VARY_WARNING,
                            cors__chain_judge},
    /* Galxe's OPTIONS probe: uncredentialed, Content-Type requested (rules_galxe.c) */
    [CORS_RULES_GALXE] = {CORS_RULES_GALXE, CORS_CREDENTIALS_OMIT, true, 0, cors__galxe_judge},
    /* the reflect-origin pattern exists for credentialed calls; its own advice (rules_reflect.c) */
    [CORS_RULES_REFLECT] = {CORS_RULES_REFLECT, CORS_CREDENTIALS_INCLUDE, false, 0, cors__reflect_judge},
};

const cors__rules *cors__rules_get(int32_t id)
{
    if (id < 0 || (size_t)id >= CORS__COUNT(rule_sets))
        return NULL;
    return &rule_sets[id];
}
