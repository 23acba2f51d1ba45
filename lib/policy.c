/* SPDX-License-Identifier: MIT */
/* policy.c - cors_policy_compile: a valid config laid out once in the
 * caller's memory, addressed by offsets from its start, with everything the
 * answer needs precomputed: the exact origins and the methods and request
 * headers as sorted sets (binary search), a hash index of the exact origins
 * (open addressing, at most half full), the subdomain and port patterns,
 * and the Access-Control-Allow-Headers, -Expose-Headers and -Max-Age values.
 * The same code sizes the layout (no memory) and writes it. */
#include "server.h"

#define ORIGINS_MAX ((size_t)1 << 24) /* far above any policy; keeps the index's size in 32 bits */

typedef struct builder {
    char *base;     /* NULL while sizing */
    size_t used;
} builder;

static size_t reserve(builder *b, size_t n, size_t align)
{
    size_t at = (b->used + align - 1) / align * align;
    b->used = at + n;
    return at;
}

static cors__str32 put(builder *b, const char *p, size_t n, bool lower)
{
    cors__str32 s = {(uint32_t)reserve(b, n, 1), (uint32_t)n};
    if (b->base != NULL)
        for (size_t i = 0; i < n; i++)
            b->base[s.off + i] = (char)(lower ? cors__lower((unsigned char)p[i]) : (unsigned char)p[i]);
    return s;
}

/* ---- sorted sets: heapsort (no recursion, no memory) and uniq, on (length, bytes) ---- */

/* by_bytes: plain byte order, for the values people read; else length first, for lookups */
static int compare(const char *base, cors__str32 a, cors__str32 b, bool by_bytes)
{
    if (by_bytes)
        return cors__compare_bytes((cors_str){base + a.off, a.len}, (cors_str){base + b.off, b.len});
    return cors__compare_len_bytes(base + a.off, a.len, base + b.off, b.len);
}

static void sift(const char *base, cors__str32 *a, size_t root, size_t n, bool by_bytes)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && compare(base, a[child], a[child + 1], by_bytes) < 0)
            child++;
        if (compare(base, a[root], a[child], by_bytes) >= 0)
            return;
        cors__str32 t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

/* Sort a[0, n) and drop repeats; returns the count left. */
static uint32_t sort_unique(const char *base, cors__str32 *a, size_t n, bool by_bytes)
{
    size_t kept = 0;
    for (size_t i = n / 2; i-- > 0;)
        sift(base, a, i, n, by_bytes);
    for (size_t end = n; end-- > 1;) {
        cors__str32 t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(base, a, 0, end, by_bytes);
    }
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || compare(base, a[kept - 1], a[i], by_bytes) != 0)
            a[kept++] = a[i];
    return (uint32_t)kept;
}

/* ---- the layout ---- */

static bool is_star(cors_str s)
{
    return s.len == 1 && s.ptr[0] == '*';
}

/* Join a set with "," in byte order, into a string reserved for it; the
 * order is sorted in a scratch copy, so the set keeps its lookup order. */
static cors__str32 join(builder *b, size_t set_at, size_t n_max, uint32_t n, size_t room)
{
    size_t scratch = reserve(b, n_max * sizeof(cors__str32), 8), at = reserve(b, room, 1), len = 0;
    if (b->base != NULL) {
        cors__str32 *sorted = (cors__str32 *)(void *)(b->base + scratch);
        memcpy(sorted, b->base + set_at, n * sizeof(*sorted));
        sort_unique(b->base, sorted, n, true);
        for (uint32_t i = 0; i < n; i++) {
            if (len > 0)
                b->base[at + len++] = ',';
            memcpy(b->base + at + len, b->base + sorted[i].off, sorted[i].len);
            len += sorted[i].len;
        }
    }
    return (cors__str32){(uint32_t)at, (uint32_t)len};
}

static size_t list_room(const cors_str *a, size_t n)
{
    size_t room = 0;
    for (size_t i = 0; i < n; i++)
        room += a[i].len + 1;
    return room;
}

/* A set of lowercase names (request or exposed headers) without "*"; with_mask puts after each
 * name its fold mask (0x20 under a letter, 0 elsewhere), so a lookup compares 8 bytes at a time. */
static uint32_t put_names(builder *b, const cors_str *a, size_t n, size_t *at_out, bool with_mask)
{
    size_t at = reserve(b, n * sizeof(cors__str32), 8);
    uint32_t count = 0;
    cors__str32 *set = b->base ? (cors__str32 *)(void *)(b->base + at) : NULL;
    for (size_t i = 0; i < n; i++) {
        cors__str32 s;
        if (is_star(a[i]))
            continue;
        s = put(b, a[i].ptr, a[i].len, true);
        if (with_mask) {
            size_t m = reserve(b, a[i].len, 1);
            for (size_t k = 0; b->base != NULL && k < a[i].len; k++)
                b->base[m + k] = (char)(cors__is((unsigned char)a[i].ptr[k], CC_ALPHA) ? 0x20 : 0);
        }
        if (set != NULL)
            set[count] = s;
        count++;
    }
    *at_out = at;
    return set ? sort_unique(b->base, set, count, false) : count;
}

/* The exact origins' hash index: sized for every configured origin (the sizing pass does not
 * sort), so at most half full; slot = 1 + the origin's index in p->exact, 0 when empty. */
static void index_origins(builder *b, cors_policy *p, size_t origin_count)
{
    size_t cap = 2, at;
    uint32_t *slots;
    while (cap / 2 < origin_count) /* origin_count <= ORIGINS_MAX: no overflow, at most half full */
        cap *= 2;
    at = reserve(b, cap * sizeof(uint32_t), 8);
    p->exact_index = (cors__str32){(uint32_t)at, (uint32_t)cap};
    if (b->base == NULL)
        return;
    slots = (uint32_t *)(void *)(b->base + at);
    memset(slots, 0, cap * sizeof(uint32_t));
    for (uint32_t i = 0; i < p->exact.len; i++) {
        cors__str32 s = ((const cors__str32 *)(const void *)(b->base + p->exact.off))[i];
        size_t k = cors__origin_hash(b->base + s.off, s.len) & (cap - 1);
        while (slots[k] != 0)
            k = (k + 1) & (cap - 1);
        slots[k] = i + 1;
    }
}

static void layout_origins(builder *b, const cors_policy_config *c, cors_policy *p)
{
    size_t exact_at = reserve(b, c->origin_count * sizeof(cors__str32), 8);
    size_t pattern_at = reserve(b, c->origin_count * sizeof(cors__pattern), 8);
    uint32_t n_exact = 0, n_patterns = 0;
    for (size_t i = 0; i < c->origin_count; i++) {
        cors__pattern_info info;
        cors__pattern_parse(c->origins[i], &info); /* valid: the config was validated */
        if (info.is_any) {
            p->mode = MODE_ANY;
        } else if (cors__pattern_is_exact(&info)) {
            cors__str32 s = put(b, c->origins[i].ptr, c->origins[i].len, false);
            p->origin_lengths |= (uint64_t)1 << (s.len < 63 ? s.len : 63);
            if (b->base)
                ((cors__str32 *)(void *)(b->base + exact_at))[n_exact] = s;
            n_exact++;
        } else {
            cors__pattern pat;
            const char *end = c->origins[i].ptr + c->origins[i].len;
            /* the prefix is the pattern's own "scheme://"; the tail its host (a subdomain pattern
             * keeps the dot: ".example.com") up to its end, or up to ":*" */
            const char *tail = info.subdomains ? info.host.ptr - 1 : info.host.ptr;
            pat.prefix = put(b, info.scheme.ptr, info.scheme.len + 3, false);
            pat.tail = put(b, tail, (size_t)(end - tail) - (info.port == PORT_ANY ? 2 : 0), false);
            pat.any_port = info.port == PORT_ANY;
            pat.subdomains = info.subdomains;
            pat.default_port = cors__equal(info.scheme, CORS_LIT("http"))    ? 80
                               : cors__equal(info.scheme, CORS_LIT("https")) ? 443
                                                                              : -1;
            pat.reserved = 0;
            if (b->base)
                memcpy(b->base + pattern_at + n_patterns * sizeof(pat), &pat, sizeof(pat));
            n_patterns++;
        }
    }
    if (b->base)
        n_exact = sort_unique(b->base, (cors__str32 *)(void *)(b->base + exact_at), n_exact, false);
    p->exact = (cors__str32){(uint32_t)exact_at, n_exact};
    index_origins(b, p, c->origin_count);
    p->patterns = (cors__str32){(uint32_t)pattern_at, n_patterns};
}

static void layout(builder *b, const cors_policy_config *c, cors_policy *p)
{
    size_t at;
    char digits[16];
    size_t nd = 0;

    memset(p, 0, sizeof(*p));
    reserve(b, sizeof(cors_policy), 8);
    p->magic = POLICY_MAGIC;
    p->layout = POLICY_LAYOUT;
    p->flags = c->flags;
    p->mode = c->origin_mode == CORS_ORIGINS_REFLECT ? MODE_REFLECT : MODE_LIST;
    p->preflight_status = c->preflight_status ? c->preflight_status : 204;
    for (int k = 0; k < EMIT_COUNT; k++) {
        static const cors__tok emitted[EMIT_COUNT] = {
            [EMIT_ACAO] = TOK_ACAO, [EMIT_ACAC] = TOK_ACAC, [EMIT_ACAM] = TOK_ACAM, [EMIT_ACAH] = TOK_ACAH,
            [EMIT_ACEH] = TOK_ACEH, [EMIT_ACMA] = TOK_ACMA, [EMIT_VARY] = TOK_VARY,
        };
        cors_str name = cors__token_name(emitted[k]);
        p->name[k] = put(b, name.ptr, name.len, false);
    }
    layout_origins(b, c, p);

    /* methods: exact bytes (compared case-sensitively, as browsers do) */
    at = reserve(b, c->method_count * sizeof(cors__str32), 8);
    p->methods.off = (uint32_t)at;
    for (size_t i = 0; i < c->method_count; i++) {
        if (is_star(c->methods[i])) {
            p->any_method = 1;
            continue;
        }
        cors__str32 s = put(b, c->methods[i].ptr, c->methods[i].len, false);
        if (b->base)
            ((cors__str32 *)(void *)(b->base + at))[p->methods.len] = s;
        p->methods.len++;
    }
    if (b->base)
        p->methods.len = sort_unique(b->base, (cors__str32 *)(void *)(b->base + at), p->methods.len, false);

    /* request headers: lowercase, so a lookup lowercases the request's bytes only */
    for (size_t i = 0; i < c->request_header_count; i++) {
        p->header_lengths |= (uint64_t)1 << (c->request_headers[i].len < 63 ? c->request_headers[i].len : 63);
        p->any_header |= is_star(c->request_headers[i]);
        p->authorization |= cors__token_lookup(c->request_headers[i]) == TOK_AUTHORIZATION;
    }
    p->headers.len = put_names(b, c->request_headers, c->request_header_count, &at, true);
    p->headers.off = (uint32_t)at;
    if (p->any_header) /* jub0bs: "*", or "*,authorization" when it is listed too */
        p->acah = put(b, p->authorization ? "*,authorization" : "*", p->authorization ? 15 : 1, false);
    else
        p->acah = join(b, p->headers.off, c->request_header_count, p->headers.len,
                       list_room(c->request_headers, c->request_header_count));

    /* exposed headers: "*" alone, or the names lowercase, sorted, unique */
    bool expose_any = false;
    for (size_t i = 0; i < c->expose_header_count; i++)
        expose_any |= is_star(c->expose_headers[i]);
    if (expose_any) {
        p->aceh = put(b, "*", 1, false);
    } else {
        uint32_t n = put_names(b, c->expose_headers, c->expose_header_count, &at, false);
        p->aceh = join(b, at, c->expose_header_count, n, list_room(c->expose_headers, c->expose_header_count));
    }

    /* jub0bs: -1 sends "0" (no caching), 0 sends nothing */
    if (c->max_age != 0) {
        uint32_t v = c->max_age < 0 ? 0 : (uint32_t)c->max_age;
        do {
            digits[sizeof(digits) - 1 - nd++] = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        p->acma = put(b, digits + sizeof(digits) - nd, nd, false);
    }
    p->exact_scan = p->mode == MODE_LIST && p->exact.len <= CORS__EXACT_SCAN_MAX ? p->exact.len : 0;
    /* answer.c's fast path writes only Access-Control-Allow-Origin and Vary */
    p->actual_fast = p->mode == MODE_LIST && p->exact.len <= CORS__EXACT_SCAN_MAX &&
                             !(p->flags & CORS_POLICY_CREDENTIALS) && p->aceh.len == 0
                         ? p->exact.len
                         : 0;
    p->size = (uint32_t)reserve(b, 0, 8);
}

int32_t cors_policy_compile(const cors_policy_config *config, void *mem, size_t mem_size, size_t *needed,
                            const cors_policy **out)
{
    cors_policy_config c;
    cors_policy head;
    builder sizing = {NULL, 0}, b;
    int32_t st;

    if (needed != NULL)
        *needed = 0;
    if (out != NULL)
        *out = NULL;
    if (!cors__config_take(config, &c) || (mem == NULL && mem_size != 0) || ((uintptr_t)mem & 7u) != 0)
        return CORS_E_ARGUMENT;
    if ((st = cors_policy_validate(&c, NULL, 0, NULL)) != CORS_OK)
        return st;
    if (c.origin_count > ORIGINS_MAX) /* the exact origins' index could not be sized */
        return CORS_E_ARGUMENT;
    layout(&sizing, &c, &head);
    if (sizing.used > UINT32_MAX)
        return CORS_E_ARGUMENT;
    if (needed != NULL)
        *needed = sizing.used;
    if (mem_size < sizing.used)
        return CORS_E_BUFFER_TOO_SMALL;
    b.base = mem;
    b.used = 0;
    layout(&b, &c, &head);
    memcpy(mem, &head, sizeof(head));
    if (out != NULL)
        *out = mem;
    return CORS_OK;
}

size_t cors_policy_size(const cors_policy *policy)
{
    return cors__policy_is_valid(policy) ? policy->size : 0;
}
