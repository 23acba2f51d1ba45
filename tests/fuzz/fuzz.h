/* SPDX-License-Identifier: MIT */
/* fuzz.h - what the fuzz targets share: the libFuzzer entry point, a check
 * that aborts with a message (libFuzzer and the replay main, tests/fuzz/replay.c,
 * both report an abort as a crash), and small helpers. */
#ifndef CORS_FUZZ_H
#define CORS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef __GNUC__
#define FUZZ_NORETURN __attribute__((noreturn))
#define FUZZ_UNUSED __attribute__((unused))
#else
#define FUZZ_NORETURN
#define FUZZ_UNUSED
#endif

static FUZZ_UNUSED FUZZ_NORETURN void fuzz_fail(const char *file, int line, const char *what)
{
    /* two leading spaces: tests/run.sh shows such lines of a failing program */
    fprintf(stderr, "  %s:%d: invariant failed: %s\n", file, line, what);
    abort();
}

#define FUZZ_CHECK(cond)                                                                                 \
    do {                                                                                                 \
        if (!(cond))                                                                                     \
            fuzz_fail(__FILE__, __LINE__, #cond);                                                        \
    } while (0)

static FUZZ_UNUSED void *fuzz_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        abort();
    return p;
}

/* p[0, n) lies inside buf[0, len); an empty view may be NULL. */
static FUZZ_UNUSED int fuzz_is_inside(const void *p, size_t n, const void *buf, size_t len)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)buf;
    if (p == NULL)
        return n == 0;
    return a >= b && a - b <= len && n <= len - (a - b);
}

static FUZZ_UNUSED int fuzz_is_tchar(unsigned char c)
{
    /* RFC 9110 5.6.2 */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static FUZZ_UNUSED int fuzz_is_token(cors_str s)
{
    if (s.len == 0)
        return 0;
    for (size_t i = 0; i < s.len; i++)
        if (!fuzz_is_tchar((unsigned char)s.ptr[i]))
            return 0;
    return 1;
}

static FUZZ_UNUSED unsigned char fuzz_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static FUZZ_UNUSED int fuzz_equal_nocase(cors_str a, cors_str b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++)
        if (fuzz_lower((unsigned char)a.ptr[i]) != fuzz_lower((unsigned char)b.ptr[i]))
            return 0;
    return 1;
}

static FUZZ_UNUSED int fuzz_equal(cors_str a, const char *z)
{
    size_t n = strlen(z);
    return a.len == n && (n == 0 || memcmp(a.ptr, z, n) == 0);
}

static FUZZ_UNUSED int fuzz_has_byte(cors_str s, char c)
{
    return s.len > 0 && memchr(s.ptr, c, s.len) != NULL;
}

/* Cut the next part, up to the separator sep, off [*p, end); the last part runs to the end. */
static FUZZ_UNUSED cors_str fuzz_next_part(const char **p, const char *end, const char *sep)
{
    size_t n = strlen(sep);
    cors_str part = {*p, 0};
    const char *q = *p;
    while ((size_t)(end - q) >= n && memcmp(q, sep, n) != 0)
        q++;
    if ((size_t)(end - q) < n) {
        part.len = (size_t)(end - *p);
        *p = end;
    } else {
        part.len = (size_t)(q - *p);
        *p = q + n;
    }
    return part;
}

#endif
