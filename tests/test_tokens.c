/* SPDX-License-Identifier: MIT */
/*
 * test_tokens.c - lib/tokens.c: every token is found by its canonical name in
 * lowercase, uppercase and mixed case (so the hash table holds every TOK_*
 * value, each in a slot of its own), near misses and names that are no token give TOK_UNKNOWN
 * exactly when a linear search of the canonical names says so, and the
 * classes match the Fetch standard's lists (and Chromium's additions), name
 * by name.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>

#include "internal.h"
#include "test_util.h"

/* The canonical spelling of every token, written out here. */
static const char *const canonical[TOK_COUNT] = {
    [TOK_UNKNOWN] = "",
    [TOK_ACAO] = "Access-Control-Allow-Origin",
    [TOK_ACAC] = "Access-Control-Allow-Credentials",
    [TOK_ACAM] = "Access-Control-Allow-Methods",
    [TOK_ACAH] = "Access-Control-Allow-Headers",
    [TOK_ACEH] = "Access-Control-Expose-Headers",
    [TOK_ACMA] = "Access-Control-Max-Age",
    [TOK_ACAPN] = "Access-Control-Allow-Private-Network",
    [TOK_ORIGIN] = "Origin",
    [TOK_ACRM] = "Access-Control-Request-Method",
    [TOK_ACRH] = "Access-Control-Request-Headers",
    [TOK_ACRPN] = "Access-Control-Request-Private-Network",
    [TOK_VARY] = "Vary",
    [TOK_LOCATION] = "Location",
    [TOK_CONTENT_LENGTH] = "Content-Length",
    [TOK_CONTENT_DISPOSITION] = "Content-Disposition",
    [TOK_TRANSFER_ENCODING] = "Transfer-Encoding",
    [TOK_SET_COOKIE] = "Set-Cookie",
    [TOK_SET_COOKIE2] = "Set-Cookie2",
    [TOK_CACHE_CONTROL] = "Cache-Control",
    [TOK_CONTENT_LANGUAGE] = "Content-Language",
    [TOK_CONTENT_TYPE] = "Content-Type",
    [TOK_EXPIRES] = "Expires",
    [TOK_LAST_MODIFIED] = "Last-Modified",
    [TOK_PRAGMA] = "Pragma",
    [TOK_ACCEPT] = "Accept",
    [TOK_ACCEPT_LANGUAGE] = "Accept-Language",
    [TOK_RANGE] = "Range",
    [TOK_AUTHORIZATION] = "Authorization",
    [TOK_USER_AGENT] = "User-Agent",
    [TOK_IF_MODIFIED_SINCE] = "If-Modified-Since",
    [TOK_IF_NONE_MATCH] = "If-None-Match",
    [TOK_IF_UNMODIFIED_SINCE] = "If-Unmodified-Since",
    [TOK_IF_MATCH] = "If-Match",
    [TOK_IF_RANGE] = "If-Range",
    [TOK_ACCEPT_CHARSET] = "Accept-Charset",
    [TOK_ACCEPT_ENCODING] = "Accept-Encoding",
    [TOK_CONNECTION] = "Connection",
    [TOK_COOKIE] = "Cookie",
    [TOK_COOKIE2] = "Cookie2",
    [TOK_DATE] = "Date",
    [TOK_DNT] = "DNT",
    [TOK_EXPECT] = "Expect",
    [TOK_HOST] = "Host",
    [TOK_KEEP_ALIVE] = "Keep-Alive",
    [TOK_REFERER] = "Referer",
    [TOK_TE] = "TE",
    [TOK_TRAILER] = "Trailer",
    [TOK_UPGRADE] = "Upgrade",
    [TOK_VIA] = "Via",
    [TOK_X_HTTP_METHOD] = "X-HTTP-Method",
    [TOK_X_HTTP_METHOD_OVERRIDE] = "X-HTTP-Method-Override",
    [TOK_X_METHOD_OVERRIDE] = "X-Method-Override",
    [TOK_CONTENT_ENCODING] = "Content-Encoding",
    [TOK_CONTENT_LOCATION] = "Content-Location",
    [TOK_DPR] = "DPR",
    [TOK_DEVICE_MEMORY] = "Device-Memory",
    [TOK_DOWNLINK] = "Downlink",
    [TOK_ECT] = "ECT",
    [TOK_RTT] = "RTT",
    [TOK_SAVE_DATA] = "Save-Data",
    [TOK_VIEWPORT_WIDTH] = "Viewport-Width",
    [TOK_WIDTH] = "Width",
    [TOK_INTERVENTION] = "Intervention",
};

static int lower_byte(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The reference lookup: a linear search of the canonical names. */
static cors__tok reference_lookup(const char *p, size_t n)
{
    for (int t = 1; t < TOK_COUNT; t++) {
        const char *c = canonical[t];
        size_t k = 0;
        if (strlen(c) != n)
            continue;
        while (k < n && lower_byte((unsigned char)p[k]) == lower_byte((unsigned char)c[k]))
            k++;
        if (k == n)
            return (cors__tok)t;
    }
    return TOK_UNKNOWN;
}

/* Look a name up with its bytes placed against a PROT_NONE page. */
static guard fence;

static cors__tok lookup_fenced(const char *p, size_t n)
{
    return cors__token_lookup((cors_str){guard_place(&fence, p, n), n});
}

static int setup(void **state)
{
    (void)state;
    guard_init(&fence, 4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    guard_free(&fence);
    return 0;
}

static void test_every_canonical_name_is_complete(void **state)
{
    (void)state;
    for (int t = 0; t < TOK_COUNT; t++)
        if (canonical[t] == NULL)
            fail_msg("token %d has no canonical name in this test", t);
}

static void test_names_and_lowercase_names(void **state)
{
    (void)state;
    for (int t = 0; t < TOK_COUNT; t++) {
        cors_str name = cors__token_name((cors__tok)t), lower = cors__token_lower((cors__tok)t);
        assert_str(name, canonical[t]);
        assert_int_equal(lower.len, name.len);
        for (size_t k = 0; k < name.len; k++)
            assert_int_equal((unsigned char)lower.ptr[k], lower_byte((unsigned char)name.ptr[k]));
        /* a token's name is a token (RFC 9110 5.6.2) */
        if (t != TOK_UNKNOWN)
            assert_true(cors__is_token(name));
    }
    /* out of range: the empty name, no class, no safelist index */
    assert_int_equal(cors__token_name(TOK_COUNT).len, 0);
    assert_int_equal(cors__token_lower((cors__tok)(TOK_COUNT + 5)).len, 0);
    assert_int_equal(cors__token_class(TOK_COUNT), 0);
    assert_int_equal(cors__token_safelist_index(TOK_COUNT), -1);
    assert_int_equal(cors__token_class(TOK_UNKNOWN), 0);
    assert_int_equal(cors__token_safelist_index(TOK_UNKNOWN), -1);
}

/* Found in any case: this is what proves every token sits in its hash slot. */
static void test_every_token_found_in_any_case(void **state)
{
    char buf[64];
    (void)state;
    for (int t = 1; t < TOK_COUNT; t++) {
        const char *c = canonical[t];
        size_t n = strlen(c);
        assert_true(n < sizeof(buf));
        for (int variant = 0; variant < 5; variant++) {
            for (size_t k = 0; k < n; k++) {
                int b = (unsigned char)c[k];
                int lo = lower_byte(b), up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
                buf[k] = (char)(variant == 0   ? b
                                : variant == 1 ? lo
                                : variant == 2 ? up
                                : variant == 3 ? (k % 2 ? lo : up)
                                               : (k % 2 ? up : lo));
            }
            if (lookup_fenced(buf, n) != (cors__tok)t)
                fail_msg("'%.*s' (variant %d) gives %d, want %d (%s)", (int)n, buf, variant,
                         (int)cors__token_lookup((cors_str){buf, n}), t, c);
        }
        /* the library's own spellings too */
        assert_int_equal(cors__token_lookup(cors__token_name((cors__tok)t)), t);
        assert_int_equal(cors__token_lookup(cors__token_lower((cors__tok)t)), t);
    }
}

/* No two names share a slot of the perfect hash, the longest name is the
 * lookup's bound, and a name missing from tokens.c's cors__token_by_hash is named with
 * the slot it belongs at. */
static void test_hash_slots_are_distinct(void **state)
{
    int owner[256];
    size_t longest = 0;
    (void)state;
    for (int i = 0; i < 256; i++)
        owner[i] = 0;
    for (int t = 1; t < TOK_COUNT; t++) {
        cors_str lower = cors__token_lower((cors__tok)t);
        unsigned slot = cors__token_hash(lower.ptr, lower.len);
        assert_true(lower.len >= 2);
        longest = lower.len > longest ? lower.len : longest;
        if (owner[slot] != 0)
            fail_msg("%s and %s share slot %u: pick another CORS__TOKEN_HASH_MULTIPLIER", canonical[owner[slot]],
                     canonical[t], slot);
        owner[slot] = t;
        if (cors__token_lookup(lower) != (cors__tok)t)
            fail_msg("tokens.c cors__token_by_hash lacks [%u] = the token of %s", slot, canonical[t]);
        /* the hash folds case the way the compare does */
        assert_int_equal(cors__token_hash(canonical[t], strlen(canonical[t])), slot);
    }
    assert_int_equal(longest, CORS__MAX_TOKEN_LEN);
}

/* cors__token_hash as its comment defines it, byte by byte, against the library's (which may
 * load the last two bytes as one word): every byte value at the first and the last two places. */
static void test_hash_is_the_defined_key(void **state)
{
    char buf[8] = "abcdefg";
    (void)state;
    for (size_t n = 2; n <= 7; n++)
        for (size_t at = 0; at < 3; at++)
            for (int c = 0; c < 256; c++) {
                size_t place = at == 0 ? 0 : n - 3 + at;
                uint32_t key;
                memcpy(buf, "abcdefg", 7);
                buf[place] = (char)c;
                key = (uint32_t)n | (uint32_t)((unsigned char)buf[0] | 0x20u) << 8 |
                      (uint32_t)((unsigned char)buf[n - 2] | 0x20u) << 16 |
                      (uint32_t)((unsigned char)buf[n - 1] | 0x20u) << 24;
                assert_int_equal(cors__token_hash(buf, n), (key * CORS__TOKEN_HASH_MULTIPLIER) >> 24);
            }
}

/* A token's grant slot (its entry's, read by grant.c) and the slot's token (cors__slot_token)
 * name each other; every other token has none. */
static void test_grant_slots(void **state)
{
    int slotted = 0;
    (void)state;
    for (int s = 0; s < SLOT_COUNT; s++)
        assert_int_equal(cors__token_entry_of(cors__slot_token((cors__slot)s))->slot, s + 1);
    for (int t = 0; t < TOK_COUNT; t++)
        slotted += cors__token_entry_of((cors__tok)t)->slot != 0;
    assert_int_equal(slotted, SLOT_COUNT);
}

static void test_canonical_names_are_unique(void **state)
{
    (void)state;
    /* the linear search finds each name first at its own token */
    for (int t = 1; t < TOK_COUNT; t++)
        if (reference_lookup(canonical[t], strlen(canonical[t])) != (cors__tok)t)
            fail_msg("%s is spelled like an earlier token", canonical[t]);
}

/* Every edit of one byte of every name: the lookup agrees with the linear search. */
static void test_near_misses(void **state)
{
    char buf[80];
    static const char edits[] = "-_a0Z!~ \t:\x80\xc3\x00";
    (void)state;
    for (int t = 1; t < TOK_COUNT; t++) {
        const char *c = canonical[t];
        size_t n = strlen(c);
        /* one byte dropped */
        for (size_t k = 0; k < n; k++) {
            memcpy(buf, c, k);
            memcpy(buf + k, c + k + 1, n - k - 1);
            assert_int_equal(lookup_fenced(buf, n - 1), reference_lookup(buf, n - 1));
        }
        for (size_t e = 0; e < sizeof(edits) - 1; e++) {
            /* one byte replaced */
            for (size_t k = 0; k < n; k++) {
                memcpy(buf, c, n);
                buf[k] = edits[e];
                if (lookup_fenced(buf, n) != reference_lookup(buf, n))
                    fail_msg("'%.*s': %d", (int)n, buf, (int)cors__token_lookup((cors_str){buf, n}));
            }
            /* one byte inserted */
            for (size_t k = 0; k <= n; k++) {
                memcpy(buf, c, k);
                buf[k] = edits[e];
                memcpy(buf + k + 1, c + k, n - k);
                if (lookup_fenced(buf, n + 1) != reference_lookup(buf, n + 1))
                    fail_msg("'%.*s': %d", (int)(n + 1), buf, (int)cors__token_lookup((cors_str){buf, n + 1}));
            }
        }
    }
}

static void test_not_tokens(void **state)
{
    static const struct {
        const char *name;
        size_t len; /* 0: strlen */
    } names[] = {
        {.name = "X-Foo"},
        {.name = "X-Request-Id"},
        {.name = "ETag"},
        {.name = "Access-Control-Allow-Origin "},
        {.name = " Access-Control-Allow-Origin"},
        {.name = "Access-Control-Allow-Origin:"},
        {.name = "Access-Control-Allow-Originx"},
        {.name = "Access_Control_Allow_Origin"},
        {.name = "Vary\0", .len = 5},
        {.name = "Or\xc4\xb1gin"}, /* dotless i does not fold to i */
        {.name = "Cookie3"},
        {.name = "Set-Cookie3"},
        {.name = "Sec-Fetch-Mode"},  /* forbidden by prefix, not a token */
        {.name = "Proxy-Authorization"},
        {.name = "Access-Control-Request-Private-Networks"}, /* longer than the longest token */
        {.name = "Access-Control-Request-Private-Network-Access-Control-Request-Private-Network"},
    };
    (void)state;
    assert_int_equal(cors__token_lookup((cors_str){NULL, 0}), TOK_UNKNOWN);
    assert_int_equal(lookup_fenced("", 0), TOK_UNKNOWN);
    for (size_t i = 0; i < COUNT(names); i++) {
        size_t n = names[i].len ? names[i].len : strlen(names[i].name);
        if (lookup_fenced(names[i].name, n) != TOK_UNKNOWN)
            fail_msg("'%s' is a token", names[i].name);
    }
    /* a length far past every token's */
    {
        static char big[100000];
        memset(big, 'a', sizeof(big));
        assert_int_equal(cors__token_lookup((cors_str){big, sizeof(big)}), TOK_UNKNOWN);
        assert_int_equal(cors__token_lookup((cors_str){big, SIZE_MAX}), TOK_UNKNOWN);
    }
}

/* ------------------------------------------------------------------------ */
/* Classes, list by list                                                     */
/* ------------------------------------------------------------------------ */

typedef struct class_list {
    const char *label;
    uint32_t cls;
    const char *names[24];
} class_list;

static const class_list class_lists[] = {
    /* Fetch: forbidden request-header (the names; the Proxy-/Sec- prefixes and
     * the method-override rule are not tokens' classes) */
    {.label = "forbidden request-header",
     .cls = TOKC_FORBIDDEN_REQUEST,
     .names = {"Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers", "Access-Control-Request-Method",
               "Connection", "Content-Length", "Cookie", "Cookie2", "Date", "DNT", "Expect", "Host", "Keep-Alive",
               "Origin", "Referer", "Set-Cookie", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via"}},
    /* Fetch: forbidden request-header, step 2: when the value names a forbidden method */
    {.label = "method override",
     .cls = TOKC_METHOD_OVERRIDE,
     .names = {"X-HTTP-Method", "X-HTTP-Method-Override", "X-Method-Override"}},
    /* Fetch: CORS-safelisted request-header, and Chromium cors.cc IsCorsSafelistedHeader */
    {.label = "safelistable request-header",
     .cls = TOKC_SAFELISTABLE,
     .names = {"Accept", "Accept-Language", "Content-Language", "Content-Type", "Range", "DPR", "Device-Memory",
               "Downlink", "ECT", "RTT", "Save-Data", "Viewport-Width", "Width", "Intervention"}},
    {.label = "safelistable in Chromium only",
     .cls = TOKC_CHROMIUM_SAFELIST,
     .names = {"DPR", "Device-Memory", "Downlink", "ECT", "RTT", "Save-Data", "Viewport-Width", "Width",
               "Intervention"}},
    /* Fetch: CORS-safelisted response-header name */
    {.label = "safelisted response-header",
     .cls = TOKC_SAFELISTED_RESPONSE,
     .names = {"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires", "Last-Modified",
               "Pragma"}},
    /* Fetch: forbidden response-header name */
    {.label = "forbidden response-header", .cls = TOKC_FORBIDDEN_RESPONSE, .names = {"Set-Cookie", "Set-Cookie2"}},
    /* Fetch: HTTP-network-or-cache fetch: these make the cache mode no-store */
    {.label = "conditional",
     .cls = TOKC_CONDITIONAL,
     .names = {"If-Modified-Since", "If-None-Match", "If-Unmodified-Since", "If-Match", "If-Range"}},
    /* Fetch: request-body-header name */
    {.label = "request-body-header",
     .cls = TOKC_REQUEST_BODY,
     .names = {"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"}},
    /* Chromium's network stack fails a response on these lines' values (netcheck.c:
     * http_stream_parser.cc, http_response_headers.cc, the content decoders) */
    {.label = "network-checked",
     .cls = TOKC_NETWORK_CHECKED,
     .names = {"Content-Length", "Content-Disposition", "Location", "Transfer-Encoding", "Content-Encoding"}},
};

static int list_has(const class_list *l, cors__tok tok)
{
    for (size_t i = 0; i < COUNT(l->names) && l->names[i] != NULL; i++)
        if (cors__token_lookup(str_z(l->names[i])) == tok)
            return 1;
    return 0;
}

static void test_classes_match_the_lists(void **state)
{
    uint32_t all = 0;
    (void)state;
    for (size_t k = 0; k < COUNT(class_lists); k++) {
        const class_list *l = &class_lists[k];
        all |= l->cls;
        /* every name of the list is a token with the class */
        for (size_t i = 0; i < COUNT(l->names) && l->names[i] != NULL; i++) {
            cors__tok tok = cors__token_lookup(str_z(l->names[i]));
            if (tok == TOK_UNKNOWN || !(cors__token_class(tok) & l->cls))
                fail_msg("%s: %s is not a token of the class", l->label, l->names[i]);
        }
        /* and no token outside the list has it */
        for (int t = 0; t < TOK_COUNT; t++)
            if ((cors__token_class((cors__tok)t) & l->cls) && !list_has(l, (cors__tok)t))
                fail_msg("%s: %s has the class but is not in the list", l->label, canonical[t]);
    }
    /* no class bit outside internal.h's */
    for (int t = 0; t < TOK_COUNT; t++)
        if (cors__token_class((cors__tok)t) & ~all)
            fail_msg("%s: unknown class bits 0x%x", canonical[t], (unsigned)(cors__token_class((cors__tok)t) & ~all));
}

/* The names with a role but no class: looked up, and classless. */
static void test_tokens_without_class(void **state)
{
    static const cors__tok plain[] = {TOK_ACAO, TOK_ACAC, TOK_ACAM, TOK_ACAH, TOK_ACEH, TOK_ACMA, TOK_ACAPN,
                                      TOK_ACRPN, TOK_VARY, TOK_AUTHORIZATION,
                                      /* Chromium forbids it (safelist.c), Fetch no longer does */
                                      TOK_USER_AGENT};
    (void)state;
    for (size_t i = 0; i < COUNT(plain); i++)
        if (cors__token_class(plain[i]) != 0)
            fail_msg("%s has classes 0x%x", canonical[plain[i]], (unsigned)cors__token_class(plain[i]));
}

static void test_safelist_indexes(void **state)
{
    int seen[TOKEN_SAFELISTABLE_COUNT] = {0};
    int safelistable = 0;
    (void)state;
    for (int t = 0; t < TOK_COUNT; t++) {
        int k = cors__token_safelist_index((cors__tok)t);
        int is_safelistable = (cors__token_class((cors__tok)t) & TOKC_SAFELISTABLE) != 0;
        if (is_safelistable != (k >= 0))
            fail_msg("%s: safelist index %d, safelistable %d", canonical[t], k, is_safelistable);
        if (k < 0)
            continue;
        assert_true(k < TOKEN_SAFELISTABLE_COUNT);
        assert_int_equal(seen[k], 0); /* one slot each */
        seen[k] = 1;
        safelistable++;
    }
    assert_int_equal(safelistable, TOKEN_SAFELISTABLE_COUNT);
    /* request.c counts fetch()'s default Accept in slot 0 */
    assert_int_equal(cors__token_safelist_index(TOK_ACCEPT), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_canonical_name_is_complete),
        cmocka_unit_test(test_names_and_lowercase_names),
        cmocka_unit_test(test_every_token_found_in_any_case),
        cmocka_unit_test(test_hash_slots_are_distinct),
        cmocka_unit_test(test_hash_is_the_defined_key),
        cmocka_unit_test(test_grant_slots),
        cmocka_unit_test(test_canonical_names_are_unique),
        cmocka_unit_test(test_near_misses),
        cmocka_unit_test(test_not_tokens),
        cmocka_unit_test(test_classes_match_the_lists),
        cmocka_unit_test(test_tokens_without_class),
        cmocka_unit_test(test_safelist_indexes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
