/* test_util.h - shared helpers of the cmocka test programs. */
#ifndef CORS_TEST_UTIL_H
#define CORS_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cors.h"

#define STR(lit) ((cors_str){(lit), sizeof(lit) - 1})
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static inline cors_str str_z(const char *z)
{
    cors_str s = {z, z ? strlen(z) : 0};
    return s;
}

static inline int span_is(const cors_report *r, cors_span s, const char *z)
{
    return s.length == strlen(z) && memcmp(r->text + s.offset, z, s.length) == 0;
}

#endif
