/* SPDX-License-Identifier: MIT */
/* config.c - cors_policy_validate: every problem of a configured policy at
 * once, each with its code, severity, field and element. The classes follow
 * jub0bs/cors config.go (validateOriginPatterns, validateMethods,
 * validateRequestHeaders, validateMaxAge, validateResponseHeaders) and add
 * what browsers make of a config that no peer checks: reflect with
 * credentials, method spellings fetch() never sends, '*' and Authorization,
 * Chromium's max-age cap, Set-Cookie exposed. Issues come out sorted by field
 * (CORS_FIELD_* order) and then by index: cors_policy_locate relies on it. */
#include "server.h"

/* The size of cors_policy_config in 0.2.0, its first layout. */
#define CONFIG_V0_SIZE (offsetof(cors_policy_config, preflight_status) + sizeof(int32_t))

#define KNOWN_FLAGS                                                                                            \
    (CORS_POLICY_CREDENTIALS | CORS_POLICY_VARY_PREFLIGHT | CORS_POLICY_DEBUG | CORS_POLICY_DANGER_INSECURE_ORIGINS | \
     CORS_POLICY_DANGER_PUBLIC_SUFFIX | CORS_POLICY_DANGER_REFLECT_CREDENTIALS)

void cors_policy_config_init(cors_policy_config *config, size_t size)
{
    if (config == NULL || size < sizeof(size_t))
        return;
    memset(config, 0, size);
    config->struct_size = size;
}

static bool array_ok(const cors_str *a, size_t n)
{
    if (a == NULL)
        return n == 0;
    for (size_t i = 0; i < n; i++)
        if (a[i].ptr == NULL && a[i].len != 0)
            return false;
    return true;
}

bool cors__config_take(const cors_policy_config *given, cors_policy_config *out)
{
    size_t size;
    if (given == NULL || (size = given->struct_size) < CONFIG_V0_SIZE)
        return false;
    memset(out, 0, sizeof(*out));
    memcpy(out, given, size < sizeof(*out) ? size : sizeof(*out));
    out->struct_size = sizeof(*out);
    return (out->origin_mode == CORS_ORIGINS_LIST || out->origin_mode == CORS_ORIGINS_REFLECT) &&
           (out->flags & ~KNOWN_FLAGS) == 0 && array_ok(out->origins, out->origin_count) &&
           array_ok(out->methods, out->method_count) && array_ok(out->request_headers, out->request_header_count) &&
           array_ok(out->expose_headers, out->expose_header_count);
}

typedef struct sink {
    cors_config_issue *issues;
    size_t capacity;
    size_t count;
    size_t errors;
} sink;

static void add(sink *s, int32_t code, int32_t field, size_t index, size_t offset)
{
    cors_config_issue *is;
    int32_t severity = cors__issue_severity(code);
    s->errors += severity == CORS_SEVERITY_ERROR;
    if (s->count++ >= s->capacity)
        return;
    is = &s->issues[s->count - 1];
    is->code = code;
    is->severity = severity;
    is->field = field;
    is->line = 0;
    is->index = index;
    is->offset = offset;
}

static bool is_star(cors_str s)
{
    return s.len == 1 && s.ptr[0] == '*';
}

/* Index of the first "*", or SIZE_MAX. */
static size_t find_star(const cors_str *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_star(a[i]))
            return i;
    return SIZE_MAX;
}

/* Offset of the first byte that is not a token character (the length for an empty name). */
static size_t first_non_token(cors_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!cors__is((unsigned char)s.ptr[i], CC_TOKEN))
            return i;
    return 0;
}

typedef struct origin_notes {
    bool insecure_tolerated, public_suffix_tolerated;
} origin_notes;

static void check_origins(const cors_policy_config *c, sink *s, origin_notes *notes)
{
    bool credentials = (c->flags & CORS_POLICY_CREDENTIALS) != 0;
    bool any = find_star(c->origins, c->origin_count) != SIZE_MAX;
    if (c->origin_mode == CORS_ORIGINS_REFLECT) {
        if (c->origin_count > 0)
            add(s, CORS_ISSUE_ORIGINS_WITH_REFLECT, CORS_FIELD_ORIGINS, 0, 0);
        return;
    }
    if (c->origin_count == 0)
        add(s, CORS_ISSUE_ORIGINS_MISSING, CORS_FIELD_ORIGINS, 0, 0);
    for (size_t i = 0; i < c->origin_count; i++) {
        cors__pattern_info p;
        if (!cors__pattern_parse(c->origins[i], &p)) {
            add(s, p.issue, CORS_FIELD_ORIGINS, i, p.offset);
        } else if (p.is_any) {
            if (credentials) /* jub0bs: IncompatibleOriginPatternError "wildcard" */
                add(s, CORS_ISSUE_ORIGIN_WILDCARD_CREDENTIALS, CORS_FIELD_ORIGINS, i, 0);
        } else if (credentials && cors__pattern_is_insecure(&p)) {
            bool tolerated = (c->flags & CORS_POLICY_DANGER_INSECURE_ORIGINS) != 0;
            notes->insecure_tolerated |= tolerated;
            add(s, tolerated ? CORS_ISSUE_ORIGIN_INSECURE_TOLERATED : CORS_ISSUE_ORIGIN_INSECURE_CREDENTIALS,
                CORS_FIELD_ORIGINS, i, 0);
        } else if (credentials && cors__pattern_covers_public_suffix(&p)) {
            bool tolerated = (c->flags & CORS_POLICY_DANGER_PUBLIC_SUFFIX) != 0;
            notes->public_suffix_tolerated |= tolerated;
            add(s, tolerated ? CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_TOLERATED : CORS_ISSUE_ORIGIN_PUBLIC_SUFFIX_CREDENTIALS,
                CORS_FIELD_ORIGINS, i, 0);
        } else if (any && !credentials) {
            add(s, CORS_ISSUE_REDUNDANT_WITH_WILDCARD, CORS_FIELD_ORIGINS, i, 0);
        }
    }
}

static void check_origin_mode(const cors_policy_config *c, sink *s)
{
    if (c->origin_mode != CORS_ORIGINS_REFLECT)
        return;
    if (!(c->flags & CORS_POLICY_CREDENTIALS))
        add(s, CORS_ISSUE_REFLECT_WITHOUT_CREDENTIALS, CORS_FIELD_ORIGIN_MODE, 0, 0);
    else if (c->flags & CORS_POLICY_DANGER_REFLECT_CREDENTIALS)
        add(s, CORS_ISSUE_REFLECT_CREDENTIALS_TOLERATED, CORS_FIELD_ORIGIN_MODE, 0, 0);
    else
        add(s, CORS_ISSUE_REFLECT_CREDENTIALS, CORS_FIELD_ORIGIN_MODE, 0, 0);
}

static bool has_lowercase(cors_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] >= 'a' && s.ptr[i] <= 'z')
            return true;
    return false;
}

/* The issue of one method, or 0. */
static int32_t method_issue(cors_str m, bool any, size_t *offset)
{
    static const cors_str normalized[] = {CORS_LIT_INIT("DELETE"), CORS_LIT_INIT("GET"), CORS_LIT_INIT("HEAD"),
                                          CORS_LIT_INIT("OPTIONS"), CORS_LIT_INIT("POST"), CORS_LIT_INIT("PUT")};
    *offset = 0;
    if (!cors__is_token(m)) {
        *offset = first_non_token(m);
        return CORS_ISSUE_METHOD_INVALID;
    }
    if (cors__is_forbidden_method(m))
        return CORS_ISSUE_METHOD_FORBIDDEN;
    for (size_t k = 0; k < CORS__COUNT(normalized); k++) {
        if (!cors__equal_nocase(m, normalized[k]))
            continue;
        /* Fetch: normalize a method upper-cases exactly these six */
        if (cors__is_safelisted_method(normalized[k]))
            return CORS_ISSUE_METHOD_SAFELISTED;
        if (!cors__equal(m, normalized[k]))
            return CORS_ISSUE_METHOD_NEVER_SENT;
        if (any)
            return CORS_ISSUE_REDUNDANT_WITH_WILDCARD;
        return k == 3 ? CORS_ISSUE_METHOD_OPTIONS : 0;
    }
    if (has_lowercase(m))
        return CORS_ISSUE_METHOD_CASE;
    return any ? CORS_ISSUE_REDUNDANT_WITH_WILDCARD : 0;
}

static void check_methods(const cors_policy_config *c, sink *s)
{
    bool any = find_star(c->methods, c->method_count) != SIZE_MAX;
    for (size_t i = 0; i < c->method_count; i++) {
        size_t offset;
        int32_t code = is_star(c->methods[i]) ? 0 : method_issue(c->methods[i], any, &offset);
        if (code != 0)
            add(s, code, CORS_FIELD_METHODS, i, offset);
    }
}

static void check_request_headers(const cors_policy_config *c, sink *s)
{
    bool credentials = (c->flags & CORS_POLICY_CREDENTIALS) != 0;
    size_t star = find_star(c->request_headers, c->request_header_count);
    bool authorization = false;
    for (size_t i = 0; i < c->request_header_count; i++)
        authorization |= cors__token_lookup(c->request_headers[i]) == TOK_AUTHORIZATION;
    for (size_t i = 0; i < c->request_header_count; i++) {
        cors_str h = c->request_headers[i];
        cors__tok tok = cors__token_lookup(h);
        if (i == star) {
            if (!credentials && !authorization) /* Fetch: CORS non-wildcard request-header name */
                add(s, CORS_ISSUE_REQUEST_HEADERS_WILDCARD_AUTHORIZATION, CORS_FIELD_REQUEST_HEADERS, i, 0);
        } else if (is_star(h)) {
            continue;
        } else if (!cors__is_token(h)) {
            add(s, CORS_ISSUE_REQUEST_HEADER_INVALID, CORS_FIELD_REQUEST_HEADERS, i, first_non_token(h));
        } else if (tok == TOK_ACAO || tok == TOK_ACAC || tok == TOK_ACAM || tok == TOK_ACAH || tok == TOK_ACEH ||
                   tok == TOK_ACMA || tok == TOK_ACAPN) {
            add(s, CORS_ISSUE_REQUEST_HEADER_PROHIBITED, CORS_FIELD_REQUEST_HEADERS, i, 0);
        } else if (cors__is_forbidden_request_header(tok, h, CORS_LIT(""), true)) {
            add(s, CORS_ISSUE_REQUEST_HEADER_FORBIDDEN, CORS_FIELD_REQUEST_HEADERS, i, 0);
        } else if (star != SIZE_MAX && (credentials || tok != TOK_AUTHORIZATION)) {
            add(s, CORS_ISSUE_REDUNDANT_WITH_WILDCARD, CORS_FIELD_REQUEST_HEADERS, i, 0);
        }
    }
}

static void check_expose_headers(const cors_policy_config *c, sink *s)
{
    bool credentials = (c->flags & CORS_POLICY_CREDENTIALS) != 0;
    bool any = find_star(c->expose_headers, c->expose_header_count) != SIZE_MAX;
    for (size_t i = 0; i < c->expose_header_count; i++) {
        cors_str h = c->expose_headers[i];
        cors__tok tok = cors__token_lookup(h);
        int32_t code = 0;
        size_t offset = 0;
        if (is_star(h))
            code = credentials ? CORS_ISSUE_EXPOSE_WILDCARD_CREDENTIALS : 0;
        else if (!cors__is_token(h)) {
            code = CORS_ISSUE_EXPOSE_HEADER_INVALID;
            offset = first_non_token(h);
        } else if (cors__token_class(tok) & TOKC_FORBIDDEN_RESPONSE) /* Fetch: forbidden response-header name */
            code = CORS_ISSUE_EXPOSE_HEADER_SET_COOKIE;
        else if (tok == TOK_ORIGIN || tok == TOK_ACRM || tok == TOK_ACRH || tok == TOK_ACRPN)
            code = CORS_ISSUE_EXPOSE_HEADER_PROHIBITED;
        else if (cors__token_class(tok) & TOKC_SAFELISTED_RESPONSE)
            code = CORS_ISSUE_EXPOSE_HEADER_SAFELISTED;
        else if (any && !credentials)
            code = CORS_ISSUE_REDUNDANT_WITH_WILDCARD;
        if (code != 0)
            add(s, code, CORS_FIELD_EXPOSE_HEADERS, i, offset);
    }
}

static void check_scalars(const cors_policy_config *c, sink *s)
{
    /* jub0bs validateMaxAge: -1 disables caching, 86400 is Firefox's cap */
    if (c->max_age < -1 || c->max_age > MAX_AGE_MAX)
        add(s, CORS_ISSUE_MAX_AGE_OUT_OF_BOUNDS, CORS_FIELD_MAX_AGE, 0, 0);
    else if (c->max_age > CHROMIUM_MAX_AGE_CAP)
        add(s, CORS_ISSUE_MAX_AGE_ABOVE_CHROMIUM_CAP, CORS_FIELD_MAX_AGE, 0, 0);
    /* Fetch: an ok status is 200-299 */
    if (c->preflight_status != 0 && (c->preflight_status < 200 || c->preflight_status > 299))
        add(s, CORS_ISSUE_PREFLIGHT_STATUS_OUT_OF_BOUNDS, CORS_FIELD_PREFLIGHT_STATUS, 0, 0);
}

static size_t bit_of(uint32_t flag)
{
    size_t b = 0;
    while ((flag >>= 1) != 0)
        b++;
    return b;
}

static void check_flags(const cors_policy_config *c, const origin_notes *notes, sink *s)
{
    bool reflect_tolerated = c->origin_mode == CORS_ORIGINS_REFLECT && (c->flags & CORS_POLICY_CREDENTIALS);
    if (c->flags & CORS_POLICY_DEBUG)
        add(s, CORS_ISSUE_DEBUG_ON, CORS_FIELD_FLAGS, bit_of(CORS_POLICY_DEBUG), 0);
    if ((c->flags & CORS_POLICY_DANGER_INSECURE_ORIGINS) && !notes->insecure_tolerated)
        add(s, CORS_ISSUE_DANGER_UNUSED, CORS_FIELD_FLAGS, bit_of(CORS_POLICY_DANGER_INSECURE_ORIGINS), 0);
    if ((c->flags & CORS_POLICY_DANGER_PUBLIC_SUFFIX) && !notes->public_suffix_tolerated)
        add(s, CORS_ISSUE_DANGER_UNUSED, CORS_FIELD_FLAGS, bit_of(CORS_POLICY_DANGER_PUBLIC_SUFFIX), 0);
    if ((c->flags & CORS_POLICY_DANGER_REFLECT_CREDENTIALS) && !reflect_tolerated)
        add(s, CORS_ISSUE_DANGER_UNUSED, CORS_FIELD_FLAGS, bit_of(CORS_POLICY_DANGER_REFLECT_CREDENTIALS), 0);
}

int32_t cors_policy_validate(const cors_policy_config *config, cors_config_issue *issues, size_t capacity,
                             size_t *count)
{
    cors_policy_config c;
    sink s = {issues, issues == NULL ? 0 : capacity, 0, 0};
    origin_notes notes = {false, false};

    if (count != NULL)
        *count = 0;
    if (!cors__config_take(config, &c))
        return CORS_E_ARGUMENT;
    check_origins(&c, &s, &notes);
    check_origin_mode(&c, &s);
    check_methods(&c, &s);
    check_request_headers(&c, &s);
    check_expose_headers(&c, &s);
    check_scalars(&c, &s);
    check_flags(&c, &notes, &s);
    if (count != NULL)
        *count = s.count;
    return s.errors > 0 ? CORS_E_CONFIG : CORS_OK;
}
