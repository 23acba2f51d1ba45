/* SPDX-License-Identifier: MIT */
/*
 * test_alloc.h - allocation counting for the tests that promise no
 * allocation: the program's malloc family forwards to glibc's and counts
 * while `counting` is set (under AddressSanitizer, which owns malloc, its
 * allocation hooks count instead). Call count_allocations() once in main,
 * and allocation_counting_works() before relying on the count: under
 * valgrind, which replaces the malloc family itself, nothing is counted.
 * Include it in one translation unit only.
 */
#ifndef TEST_ALLOC_H
#define TEST_ALLOC_H

#include <stddef.h>
#include <stdlib.h>


static volatile int counting;
static volatile long allocation_calls;

#if defined(__SANITIZE_ADDRESS__)
/* compiler-rt's sanitizer/allocator_interface.h, which Debian's gcc does not ship */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));

static void count_malloc(const volatile void *p, size_t size)
{
    (void)p;
    (void)size;
    if (counting)
        allocation_calls++;
}

static void count_free(const volatile void *p)
{
    if (counting && p != NULL)
        allocation_calls++;
}

static void count_allocations(void)
{
    __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
}
#else
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

void *malloc(size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (counting)
        allocation_calls++;
    return __libc_realloc(p, size);
}

void free(void *p)
{
    if (counting && p != NULL)
        allocation_calls++;
    __libc_free(p);
}

static void count_allocations(void)
{
}
#endif

/* Whether an allocation made now is counted (not under valgrind). */
static int allocation_counting_works(void)
{
    void *(*volatile alloc)(size_t) = malloc;
    long before = allocation_calls;
    counting = 1;
    free(alloc(16));
    counting = 0;
    return allocation_calls - before == 2;
}

#endif
