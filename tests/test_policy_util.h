/* SPDX-License-Identifier: MIT */
/* test_policy_util.h - helpers of the server-side tests: a policy from its
 * text, compiled into memory the helper owns, and request headers written
 * as "Name: value" strings. */
#ifndef CORS_TEST_POLICY_UTIL_H
#define CORS_TEST_POLICY_UTIL_H

#include <stdlib.h>

#include "test_util.h"

typedef struct compiled {
    void *mem;
    size_t size;
    const cors_policy *policy;
    cors_str items[256];
    cors_policy_config config;
} compiled;

/* Parse, validate and compile; fails the test on any error. */
static inline void compile_text(compiled *c, const char *text)
{
    size_t n, needed;
    cors_error err;
    int32_t st;
    cors_policy_config_init(&c->config, sizeof(c->config));
    st = cors_policy_parse(text, strlen(text), &c->config, c->items, COUNT(c->items), &n, &err);
    if (st != CORS_OK)
        fail_msg("policy text: %s at line %d byte %zu", cors_status_name(st), err.line, err.offset);
    assert_int_equal(cors_policy_compile(&c->config, NULL, 0, &needed, &c->policy), CORS_E_BUFFER_TOO_SMALL);
    c->mem = aligned_alloc(8, (needed + 7) / 8 * 8);
    assert_non_null(c->mem);
    c->size = needed;
    st = cors_policy_compile(&c->config, c->mem, needed, &needed, &c->policy);
    if (st != CORS_OK)
        fail_msg("compile: %s", cors_status_name(st));
    assert_ptr_equal(c->policy, c->mem);
}

static inline void compiled_free(compiled *c)
{
    free(c->mem);
    c->mem = NULL;
    c->policy = NULL;
}

/* "Name: value" strings (NULL-terminated list) into headers; returns how many. */
static inline size_t header_list(const char *const *lines, cors_header *out, size_t cap)
{
    size_t n = 0;
    for (; n < cap && lines[n] != NULL; n++) {
        const char *colon = strchr(lines[n], ':');
        assert_non_null(colon);
        out[n].name = (cors_str){lines[n], (size_t)(colon - lines[n])};
        out[n].value = str_z(colon + 1 + (colon[1] == ' '));
    }
    return n;
}

#endif
