/* SPDX-License-Identifier: MIT */
/* sort.c - spans (readable names, CORS-unsafe request header names) sorted in
 * place, in O(n log n) whatever the input, with no memory but a bounded stack
 * and no recursion: the lent arrays are the only room the library has. */
#include "internal.h"

typedef struct order {
    cors__span_compare *compare;
    const void *ctx;
} order;

static int compare_by(const order *o, cors_span a, cors_span b)
{
    return o->compare(o->ctx, a, b);
}

/* Bottom-up (Floyd): down to a leaf by the larger child, back up to where a[root] belongs, and
 * the path shifted up one: about log n compares a sift instead of 2 log n. */
static void sift_down(const order *o, cors_span *a, size_t root, size_t n)
{
    size_t j = root;
    cors_span x;
    while (2 * j + 2 < n)
        j = compare_by(o, a[2 * j + 1], a[2 * j + 2]) < 0 ? 2 * j + 2 : 2 * j + 1;
    if (2 * j + 1 < n)
        j = 2 * j + 1;
    while (j > root && compare_by(o, a[root], a[j]) > 0)
        j = (j - 1) / 2;
    x = a[j];
    a[j] = a[root];
    while (j > root) {
        cors_span t;
        j = (j - 1) / 2;
        t = a[j];
        a[j] = x;
        x = t;
    }
}

static void heapsort_spans(const order *o, cors_span *a, size_t n)
{
    for (size_t i = n / 2; i > 0; i--)
        sift_down(o, a, i - 1, n);
    for (size_t end = n; end > 1; end--) {
        cors_span t = a[0];
        a[0] = a[end - 1];
        a[end - 1] = t;
        sift_down(o, a, 0, end - 1);
    }
}

static void insertion_sort(const order *o, cors_span *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cors_span x = a[i];
        size_t j = i;
        for (; j > 0 && compare_by(o, a[j - 1], x) > 0; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static cors_span median_of_3(const order *o, cors_span x, cors_span y, cors_span z)
{
    if (compare_by(o, x, y) > 0) {
        cors_span t = x;
        x = y;
        y = t;
    }
    if (compare_by(o, y, z) <= 0)
        return y;
    return compare_by(o, x, z) > 0 ? x : z;
}

#define SORT_SMALL 16

/* Introsort: quicksort (median of three, Hoare's partition; the larger part waits on a stack
 * of at most 64 ranges, the smaller goes first, so the stack never holds more than log2 n),
 * heapsort for a range that has taken 2 log2 n partitions (O(n log n) whatever the input), and
 * insertion sort for a few and for the last short ranges. Quicksort
 * reads the array in order, so a large one is sorted at memory speed. */
void cors__sort_spans(cors_span *a, size_t n, cors__span_compare *compare, const void *ctx)
{
    const order ord = {compare, ctx}, *o = &ord;
    struct range { size_t lo, hi; unsigned depth; } stack[64];
    size_t top = 0;
    unsigned depth = 0;
    for (size_t k = n; k > 1; k >>= 1)
        depth += 2;
    if (n > SORT_SMALL)
        stack[top++] = (struct range){0, n, depth};
    while (top > 0) {
        struct range r = stack[--top];
        while (r.hi - r.lo > SORT_SMALL) {
            size_t i = r.lo - 1, j = r.hi;
            cors_span pivot;
            if (r.depth-- == 0) {
                heapsort_spans(o, a + r.lo, r.hi - r.lo);
                break;
            }
            pivot = median_of_3(o, a[r.lo], a[r.lo + (r.hi - r.lo) / 2], a[r.hi - 1]);
            for (;;) { /* the pivot is in the range: both scans stop inside it */
                do
                    i++;
                while (compare_by(o, a[i], pivot) < 0);
                do
                    j--;
                while (compare_by(o, a[j], pivot) > 0);
                if (i >= j)
                    break;
                cors_span t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
            if (j + 1 >= r.hi) { /* no split (cannot happen with a median of three): heapsort it */
                heapsort_spans(o, a + r.lo, r.hi - r.lo);
                break;
            }
            /* [lo, j] and [j + 1, hi), both non-empty */
            if (j + 1 - r.lo < r.hi - (j + 1)) {
                stack[top++] = (struct range){j + 1, r.hi, r.depth};
                r.hi = j + 1;
            } else {
                stack[top++] = (struct range){r.lo, j + 1, r.depth};
                r.lo = j + 1;
            }
        }
    }
    insertion_sort(o, a, n); /* every name is now within SORT_SMALL places of its own */
}
