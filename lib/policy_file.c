/* SPDX-License-Identifier: MIT */
/* policy_file.c - the policy text format (libcors.h, cors_policy_parse):
 * `key: value` lines read into a cors_policy_config whose lists are views
 * into the text, and cors_policy_locate, which walks the same lines again to
 * give cors_policy_validate's issues their line and byte. No storage but the
 * caller's: one pass counts the elements, a second files them by key. */
#include "server.h"

#define CONFIG_V0_SIZE (offsetof(cors_policy_config, preflight_status) + sizeof(int32_t))

enum { KIND_LIST, KIND_BOOL, KIND_NUMBER };

/* The lists first, in CORS_FIELD_* order: their index is their slot. */
enum {
    K_ORIGINS, K_METHODS, K_REQUEST_HEADERS, K_EXPOSE_HEADERS, LIST_KEYS,
    K_REFLECT = LIST_KEYS, K_CREDENTIALS, K_MAX_AGE, K_PREFLIGHT_STATUS, K_VARY_PREFLIGHT, K_DEBUG,
    K_DANGER_INSECURE, K_DANGER_PUBLIC_SUFFIX, K_DANGER_REFLECT, KEY_COUNT
};

typedef struct key_spec {
    const char *name;
    int kind;
    int32_t field;
    uint32_t flag;     /* KIND_BOOL: the CORS_POLICY_* bit it sets (0: reflect-any-origin) */
} key_spec;

static const key_spec keys[KEY_COUNT] = {
    [K_ORIGINS] = {"origins", KIND_LIST, CORS_FIELD_ORIGINS, 0},
    [K_METHODS] = {"methods", KIND_LIST, CORS_FIELD_METHODS, 0},
    [K_REQUEST_HEADERS] = {"request-headers", KIND_LIST, CORS_FIELD_REQUEST_HEADERS, 0},
    [K_EXPOSE_HEADERS] = {"expose-headers", KIND_LIST, CORS_FIELD_EXPOSE_HEADERS, 0},
    [K_REFLECT] = {"reflect-any-origin", KIND_BOOL, CORS_FIELD_ORIGIN_MODE, 0},
    [K_CREDENTIALS] = {"credentials", KIND_BOOL, CORS_FIELD_FLAGS, CORS_POLICY_CREDENTIALS},
    [K_MAX_AGE] = {"max-age", KIND_NUMBER, CORS_FIELD_MAX_AGE, 0},
    [K_PREFLIGHT_STATUS] = {"preflight-status", KIND_NUMBER, CORS_FIELD_PREFLIGHT_STATUS, 0},
    [K_VARY_PREFLIGHT] = {"vary-preflight", KIND_BOOL, CORS_FIELD_FLAGS, CORS_POLICY_VARY_PREFLIGHT},
    [K_DEBUG] = {"debug", KIND_BOOL, CORS_FIELD_FLAGS, CORS_POLICY_DEBUG},
    [K_DANGER_INSECURE] = {"danger-insecure-origins", KIND_BOOL, CORS_FIELD_FLAGS, CORS_POLICY_DANGER_INSECURE_ORIGINS},
    [K_DANGER_PUBLIC_SUFFIX] = {"danger-public-suffix", KIND_BOOL, CORS_FIELD_FLAGS, CORS_POLICY_DANGER_PUBLIC_SUFFIX},
    [K_DANGER_REFLECT] = {"danger-reflect-with-credentials", KIND_BOOL, CORS_FIELD_FLAGS,
                          CORS_POLICY_DANGER_REFLECT_CREDENTIALS},
};

/* One `key: value` line. */
typedef struct entry {
    int key;
    size_t line;
    size_t key_offset;
    cors_str value;
    size_t value_offset;
} entry;

typedef struct cursor {
    const char *text;
    size_t len;
    size_t pos;
    size_t line;
} cursor;

static int lookup_key(cors_str k)
{
    for (int i = 0; i < KEY_COUNT; i++)
        if (cors__equal(k, (cors_str){keys[i].name, strlen(keys[i].name)}))
            return i;
    return -1;
}

/* The next key line; CORS_OK with e->key == -1 at the end. */
static int32_t next_entry(cursor *c, entry *e, cors_error *err)
{
    while (c->pos < c->len) {
        size_t start = c->pos, end = start, i;
        const char *colon;
        while (end < c->len && c->text[end] != '\n')
            end++;
        c->pos = end < c->len ? end + 1 : end;
        c->line++;
        if (end > start && c->text[end - 1] == '\r')
            end--;
        for (i = start; i < end; i++) {
            unsigned char b = (unsigned char)c->text[i];
            if ((b < 0x20 && b != '\t') || b == 0x7f)
                return cors__fail(err, CORS_E_POLICY_SYNTAX, i, c->line, SIZE_MAX);
        }
        for (i = start; i < end && cors__is((unsigned char)c->text[i], CC_TAB_SPACE); i++)
            ;
        if (i == end || c->text[i] == '#')
            continue;
        colon = memchr(c->text + i, ':', end - i);
        if (colon == NULL)
            return cors__fail(err, CORS_E_POLICY_SYNTAX, i, c->line, SIZE_MAX);
        cors_str k = cors__trim_tab_space((cors_str){c->text + i, (size_t)(colon - (c->text + i))});
        for (size_t j = 0; j < k.len; j++)
            if (!cors__is((unsigned char)k.ptr[j], CC_TOKEN)) /* "origins https://..." lacks its colon */
                return cors__fail(err, CORS_E_POLICY_SYNTAX, i + j, c->line, SIZE_MAX);
        e->line = c->line;
        e->key_offset = i;
        if ((e->key = lookup_key(k)) < 0)
            return cors__fail(err, CORS_E_POLICY_KEY, i, c->line, SIZE_MAX);
        e->value = cors__trim_tab_space((cors_str){colon + 1, (size_t)(c->text + end - colon - 1)});
        e->value_offset = (size_t)(e->value.ptr - c->text);
        return CORS_OK;
    }
    e->key = -1;
    return CORS_OK;
}

/* The next list element from *pos: separated by commas, spaces and tabs. */
static bool next_element(cors_str value, size_t *pos, cors_str *element)
{
    size_t i = *pos, start;
    while (i < value.len && (value.ptr[i] == ',' || cors__is((unsigned char)value.ptr[i], CC_TAB_SPACE)))
        i++;
    if (i == value.len) {
        *pos = i;
        return false;
    }
    start = i;
    while (i < value.len && value.ptr[i] != ',' && !cors__is((unsigned char)value.ptr[i], CC_TAB_SPACE))
        i++;
    *element = (cors_str){value.ptr + start, i - start};
    *pos = i;
    return true;
}

static int32_t scalar(const entry *e, cors_policy_config *config, cors_error *err)
{
    const key_spec *k = &keys[e->key];
    if (k->kind == KIND_BOOL) {
        bool yes = cors__equal(e->value, CORS_LIT("yes")) || cors__equal(e->value, CORS_LIT("true"));
        bool no = cors__equal(e->value, CORS_LIT("no")) || cors__equal(e->value, CORS_LIT("false"));
        if (!yes && !no)
            return cors__fail(err, CORS_E_POLICY_VALUE, e->value_offset, e->line, SIZE_MAX);
        if (e->key == K_REFLECT)
            config->origin_mode = yes ? CORS_ORIGINS_REFLECT : CORS_ORIGINS_LIST;
        else if (yes)
            config->flags |= k->flag;
        return CORS_OK;
    }
    /* -?1*DIGIT, saturating: the validator says what is out of bounds */
    cors_str digits = e->value;
    bool negative = digits.len > 0 && digits.ptr[0] == '-';
    uint64_t v;
    if (negative)
        digits = (cors_str){digits.ptr + 1, digits.len - 1};
    cors__num st = cors__decimal(digits, INT32_MAX, &v);
    if (st != NUM_OK && st != NUM_OVER)
        return cors__fail(err, CORS_E_POLICY_VALUE, e->value_offset, e->line, SIZE_MAX);
    int32_t n = negative ? -(int32_t)v : (int32_t)v;
    if (e->key == K_MAX_AGE)
        config->max_age = n;
    else
        config->preflight_status = n;
    return CORS_OK;
}

/* One pass: scalars into config, list elements counted, and filed when items is not NULL. */
static int32_t scan(const char *text, size_t len, cors_policy_config *config, size_t count[LIST_KEYS],
                    cors_str *items, const size_t start[LIST_KEYS], cors_error *err)
{
    cursor c = {text, len, 0, 0};
    bool seen[KEY_COUNT] = {false};
    entry e;
    int32_t st;
    for (int i = 0; i < LIST_KEYS; i++)
        count[i] = 0;
    while ((st = next_entry(&c, &e, err)) == CORS_OK && e.key >= 0) {
        if (keys[e.key].kind == KIND_LIST) {
            size_t pos = 0;
            cors_str el;
            while (next_element(e.value, &pos, &el)) {
                if (items != NULL)
                    items[start[e.key] + count[e.key]] = el;
                count[e.key]++;
            }
            continue;
        }
        if (seen[e.key])
            return cors__fail(err, CORS_E_POLICY_REPEATED, e.key_offset, e.line, SIZE_MAX);
        seen[e.key] = true;
        if ((st = scalar(&e, config, err)) != CORS_OK)
            return st;
    }
    return st;
}

int32_t cors_policy_parse(const char *text, size_t len, cors_policy_config *config, cors_str *items,
                          size_t capacity, size_t *item_count, cors_error *err)
{
    size_t count[LIST_KEYS], start[LIST_KEYS], total = 0, size;
    int32_t st;

    if (err != NULL)
        cors__fail(err, CORS_OK, 0, 0, SIZE_MAX);
    if (item_count != NULL)
        *item_count = 0;
    if (config == NULL || (size = config->struct_size) < CONFIG_V0_SIZE || (text == NULL && len != 0) ||
        (items == NULL && capacity != 0))
        return cors__fail(err, CORS_E_ARGUMENT, 0, 0, SIZE_MAX);
    cors_policy_config_init(config, size < sizeof(*config) ? size : sizeof(*config));
    config->struct_size = size;
    if ((st = scan(text, len, config, count, NULL, NULL, err)) != CORS_OK)
        return st;
    for (int i = 0; i < LIST_KEYS; i++) {
        start[i] = total;
        total += count[i];
    }
    if (item_count != NULL)
        *item_count = total;
    if (total > capacity)
        return cors__fail(err, CORS_E_BUFFER_TOO_SMALL, 0, 0, SIZE_MAX);
    cors_policy_config_init(config, size < sizeof(*config) ? size : sizeof(*config));
    config->struct_size = size;
    if ((st = scan(text, len, config, count, items, start, err)) != CORS_OK)
        return st;
    config->origins = count[K_ORIGINS] ? items + start[K_ORIGINS] : NULL;
    config->origin_count = count[K_ORIGINS];
    config->methods = count[K_METHODS] ? items + start[K_METHODS] : NULL;
    config->method_count = count[K_METHODS];
    config->request_headers = count[K_REQUEST_HEADERS] ? items + start[K_REQUEST_HEADERS] : NULL;
    config->request_header_count = count[K_REQUEST_HEADERS];
    config->expose_headers = count[K_EXPOSE_HEADERS] ? items + start[K_EXPOSE_HEADERS] : NULL;
    config->expose_header_count = count[K_EXPOSE_HEADERS];
    return CORS_OK;
}

/* ---- cors_policy_locate ---- */

/* The key that sets what an issue of this field (and, for flags, bit) is about; -1 for none. */
static int key_of(const cors_config_issue *is)
{
    for (int k = 0; k < KEY_COUNT; k++)
        if (keys[k].field == is->field &&
            (is->field != CORS_FIELD_FLAGS || (is->index < 32 && keys[k].flag == (1u << is->index))))
            return k;
    return -1;
}

static void place(cors_config_issue *is, size_t line, size_t offset)
{
    is->line = line > INT32_MAX ? INT32_MAX : (int32_t)line;
    is->offset = offset;
}

int32_t cors_policy_locate(const char *text, size_t len, cors_config_issue *issues, size_t count)
{
    size_t next[LIST_KEYS], end[LIST_KEYS], seen[LIST_KEYS] = {0};
    size_t key_line[KEY_COUNT] = {0}, key_offset[KEY_COUNT] = {0};
    cursor c = {text, len, 0, 0};
    entry e;

    if ((text == NULL && len != 0) || (issues == NULL && count != 0))
        return CORS_E_ARGUMENT;
    for (size_t i = 1; i < count; i++)
        if (issues[i].field < issues[i - 1].field ||
            (issues[i].field == issues[i - 1].field && issues[i].index < issues[i - 1].index))
            return CORS_E_ARGUMENT; /* not in cors_policy_validate's order */
    /* each list field's issues are one run of the array, by index */
    for (int k = 0; k < LIST_KEYS; k++) {
        size_t i = 0;
        while (i < count && issues[i].field != keys[k].field)
            i++;
        next[k] = i;
        while (i < count && issues[i].field == keys[k].field)
            issues[i++].line = 0;
        end[k] = i;
    }
    while (next_entry(&c, &e, NULL) == CORS_OK && e.key >= 0) {
        key_line[e.key] = e.line;
        key_offset[e.key] = e.key_offset;
        if (keys[e.key].kind != KIND_LIST)
            continue;
        size_t pos = 0, k = (size_t)e.key;
        cors_str el;
        while (next_element(e.value, &pos, &el)) {
            size_t index = seen[k]++;
            while (next[k] < end[k] && issues[next[k]].index <= index) {
                if (issues[next[k]].index == index)
                    place(&issues[next[k]], e.line, (size_t)(el.ptr - text) + issues[next[k]].offset);
                next[k]++;
            }
        }
    }
    for (size_t i = 0; i < count; i++) {
        int k = key_of(&issues[i]);
        if (issues[i].line == 0 || k < 0 || keys[k].kind != KIND_LIST)
            place(&issues[i], k < 0 ? 0 : key_line[k], k < 0 ? 0 : key_offset[k]);
    }
    return CORS_OK;
}
