/* SPDX-License-Identifier: MIT */
/*
 * test_sort.c - lib/sort.c: cors__sort_spans against qsort on the orders that
 * trouble sorts (in order, reversed, organ pipe, all equal, few distinct,
 * random, the median-of-three killer), at every size up to 300 and at 100,000;
 * the compare count stays within c * n log2 n; nothing outside [0, n) moves.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "test_util.h"

static unsigned long compares;

/* by offset, then by length: length breaks no ties in the data, so order is total */
static int by_key(const void *ctx, cors_span a, cors_span b)
{
    (void)ctx;
    compares++;
    return a.offset < b.offset ? -1 : a.offset > b.offset;
}

static int qsort_key(const void *a, const void *b)
{
    const cors_span *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static uint32_t key(int shape, size_t i, size_t n, unsigned *seed)
{
    switch (shape) {
    case 0: return (uint32_t)i;
    case 1: return (uint32_t)(n - i);
    case 2: return (uint32_t)(i < n / 2 ? i : n - i);
    case 3: return 7;
    case 4: return (uint32_t)(i % 3);
    case 5: return (*seed = *seed * 1103515245u + 12345u) >> 8;
    default: /* median-of-three killer: odd places rise, even places take the middle */
        return (uint32_t)(i % 2 ? i : n / 2 + i / 2);
    }
}

static void check(int shape, size_t n)
{
    static cors_span a[100002], want[100002];
    unsigned seed = 99u + (unsigned)n;
    double bound, log2n = 1;
    assert_true(n + 2 <= COUNT(a));
    a[0] = a[n + 1] = (cors_span){0xdeadbeefu, 0xdeadbeefu}; /* guards on both sides */
    for (size_t i = 0; i < n; i++)
        want[i] = a[i + 1] = (cors_span){key(shape, i, n, &seed), (uint32_t)i};
    qsort(want, n, sizeof(want[0]), qsort_key);
    compares = 0;
    cors__sort_spans(a + 1, n, by_key, NULL);
    for (size_t i = 0; i < n; i++)
        if (a[i + 1].offset != want[i].offset)
            fail_msg("shape %d, n %zu: place %zu holds %u, want %u", shape, n, i, a[i + 1].offset, want[i].offset);
    assert_int_equal(a[0].offset, 0xdeadbeefu);
    assert_int_equal(a[n + 1].offset, 0xdeadbeefu);
    /* O(n log n): insertion sort over short ranges adds at most 16 n */
    for (size_t k = n; k > 1; k >>= 1)
        log2n++;
    bound = 40.0 * (double)n + 4.0 * (double)n * log2n;
    if ((double)compares > bound)
        fail_msg("shape %d, n %zu: %lu compares, over %.0f", shape, n, compares, bound);
}

static void test_small_sizes(void **state)
{
    (void)state;
    for (int shape = 0; shape <= 6; shape++)
        for (size_t n = 0; n <= 300; n++)
            check(shape, n);
}

static void test_large(void **state)
{
    (void)state;
    for (int shape = 0; shape <= 6; shape++)
        check(shape, 100000);
}

/* every element is kept: the multiset is the same (lengths carry the original places) */
static void test_permutation(void **state)
{
    static cors_span a[5000];
    static unsigned char seen[5000];
    unsigned seed = 7;
    (void)state;
    for (size_t i = 0; i < COUNT(a); i++)
        a[i] = (cors_span){key(5, i, COUNT(a), &seed) % 50, (uint32_t)i};
    cors__sort_spans(a, COUNT(a), by_key, NULL);
    for (size_t i = 0; i < COUNT(a); i++) {
        assert_true(a[i].length < COUNT(a));
        assert_false(seen[a[i].length]);
        seen[a[i].length] = 1;
        if (i > 0)
            assert_true(a[i - 1].offset <= a[i].offset);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_sizes),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_permutation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
