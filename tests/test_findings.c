/* SPDX-License-Identifier: MIT */
/*
 * test_findings.c - lib/findings.c: the catalogue of finding codes. Every
 * code 1 .. cors_finding_count() has a unique kebab-case name; the reserved
 * codes are the ones libcors.h and the README mark reserved; and the README's
 * table of codes (rows `| id | `name` | severity | meaning |`) names every
 * code with the library's name and id, so the README cannot drift.
 *
 * The README and the header are read from the source tree: $CORS_README and
 * $CORS_HEADER, by default README.md and include/libcors.h (make check runs
 * the tests from the top directory).
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

/* The codes libcors.h documents as reserved: defined, named, never reported. */
static const int32_t reserved_codes[] = {
    CORS_FINDING_WILDCARD_LITERAL_CREDENTIALS,
    CORS_FINDING_REFLECT_ORIGIN_NOT_ECHOED,
    CORS_FINDING_REFLECT_CREDENTIALS,
    CORS_FINDING_PREFLIGHT_NOT_NEEDED,
};

static int is_reserved(int32_t code)
{
    for (size_t i = 0; i < COUNT(reserved_codes); i++)
        if (reserved_codes[i] == code)
            return 1;
    return 0;
}

static char *read_text(const char *env, const char *fallback)
{
    const char *path = getenv(env) ? getenv(env) : fallback;
    FILE *f = fopen(path, "rb");
    char *text;
    long n;
    if (f == NULL)
        fail_msg("cannot open %s (run from the top directory, or set $%s)", path, env);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* ------------------------------------------------------------------------ */
/* The catalogue                                                             */
/* ------------------------------------------------------------------------ */

static int is_kebab_case(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || name[0] == '-' || name[n - 1] == '-' || strstr(name, "--") != NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
            return 0;
    return 1;
}

static void test_catalogue_names(void **state)
{
    int32_t count = cors_finding_count();
    (void)state;
    /* every code libcors.h defines has an entry: the last one defined is the count */
    assert_int_equal(count, CORS_FINDING_URL_CREDENTIALS);
    for (int32_t code = 1; code <= count; code++) {
        const char *name = cors_finding_name(code);
        assert_non_null(name);
        if (!is_kebab_case(name))
            fail_msg("code %d: '%s' is not kebab-case", (int)code, name);
        assert_string_not_equal(name, "unknown");
        for (int32_t other = 1; other < code; other++)
            if (strcmp(name, cors_finding_name(other)) == 0)
                fail_msg("codes %d and %d are both '%s'", (int)other, (int)code, name);
    }
    /* a few by name, as tools match on them */
    assert_string_equal(cors_finding_name(CORS_FINDING_ALLOW_ORIGIN_MISSING), "allow-origin-missing");
    assert_string_equal(cors_finding_name(CORS_FINDING_ALLOW_ORIGIN_MISMATCH), "allow-origin-mismatch");
    assert_string_equal(cors_finding_name(CORS_FINDING_HEADER_NOT_ALLOWED), "header-not-allowed");
    assert_string_equal(cors_finding_name(CORS_FINDING_REDIRECT_SCHEME), "redirect-scheme-not-http");
    /* outside the codes */
    assert_string_equal(cors_finding_name(0), "unknown");
    assert_string_equal(cors_finding_name(count + 1), "unknown");
    assert_string_equal(cors_finding_name(-5), "unknown");
    assert_string_equal(cors_finding_name(INT32_MIN), "unknown");
    assert_string_equal(cors_finding_name(INT32_MAX), "unknown");
}

/* libcors.h: `#define CORS_FINDING_NAME value` lines, `reserved` in the comment. */
static void test_header_defines_every_code_once(void **state)
{
    char *text = read_text("CORS_HEADER", "include/libcors.h");
    int32_t count = cors_finding_count();
    int *defined = calloc((size_t)count + 1, sizeof(int)), *reserved = calloc((size_t)count + 1, sizeof(int));
    (void)state;
    assert_non_null(defined);
    assert_non_null(reserved);
    for (char *line = text; line != NULL && *line;) {
        char *end = strchr(line, '\n');
        long value;
        char *p;
        if (end)
            *end = '\0';
        if (strncmp(line, "#define CORS_FINDING_", 21) == 0) {
            p = line + 21;
            while (*p && !isspace((unsigned char)*p))
                p++;
            value = strtol(p, &p, 10);
            if (value < 1 || value > count)
                fail_msg("libcors.h defines a finding code %ld outside 1 .. %d: %s", value, (int)count, line);
            defined[value]++;
            reserved[value] = strstr(p, "reserved") != NULL;
        }
        line = end ? end + 1 : NULL;
    }
    for (int32_t code = 1; code <= count; code++) {
        if (defined[code] != 1)
            fail_msg("libcors.h defines code %d %d times", (int)code, defined[code]);
        if (reserved[code] != is_reserved(code))
            fail_msg("code %d (%s): reserved %d in libcors.h, %d here", (int)code, cors_finding_name(code),
                     reserved[code], is_reserved(code));
    }
    free(defined);
    free(reserved);
    free(text);
}

/* ------------------------------------------------------------------------ */
/* The README's table                                                        */
/* ------------------------------------------------------------------------ */

typedef struct readme_row {
    int id;
    char name[64];
    char severity[64];
} readme_row;

/* The rows of the table under "## Finding codes". */
static size_t readme_rows(readme_row *rows, size_t cap)
{
    char *text = read_text("CORS_README", "README.md");
    char *section = strstr(text, "\n## Finding codes");
    size_t n = 0;
    if (section == NULL)
        fail_msg("README.md has no '## Finding codes' section");
    for (char *line = section + 1; line != NULL && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (line != section + 1 && strncmp(line, "## ", 3) == 0)
            break; /* the next section */
        if (line[0] == '|' && isdigit((unsigned char)line[2])) {
            readme_row *r = &rows[n];
            char *p = line + 1, *q;
            assert_true(n < cap);
            r->id = (int)strtol(p, &p, 10);
            /* | `name` | */
            p = strchr(p, '`');
            q = p ? strchr(p + 1, '`') : NULL;
            if (p == NULL || q == NULL || (size_t)(q - p - 1) >= sizeof(r->name))
                fail_msg("README row without a `name`: %s", line);
            memcpy(r->name, p + 1, (size_t)(q - p - 1));
            r->name[q - p - 1] = '\0';
            /* | severity | */
            p = strchr(q, '|');
            if (p == NULL)
                fail_msg("README row without a severity: %s", line);
            p++;
            while (*p == ' ')
                p++;
            q = strchr(p, '|');
            if (q == NULL || (size_t)(q - p) >= sizeof(r->severity))
                fail_msg("README row without a meaning: %s", line);
            memcpy(r->severity, p, (size_t)(q - p));
            r->severity[q - p] = '\0';
            n++;
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
    return n;
}

static void test_readme_table_matches_the_library(void **state)
{
    static readme_row rows[256];
    size_t n = readme_rows(rows, COUNT(rows));
    int32_t count = cors_finding_count();
    (void)state;
    /* one row per code, in order, none more */
    if (n != (size_t)count)
        fail_msg("README lists %zu finding codes, the library has %d", n, (int)count);
    for (size_t i = 0; i < n; i++) {
        const readme_row *r = &rows[i];
        int reserved = strncmp(r->severity, "reserved", 8) == 0;
        if (r->id != (int)i + 1)
            fail_msg("README row %zu has id %d", i + 1, r->id);
        if (strcmp(r->name, cors_finding_name(r->id)) != 0)
            fail_msg("README: %d is `%s`, the library names it `%s`", r->id, r->name, cors_finding_name(r->id));
        if (!(reserved || strncmp(r->severity, "error", 5) == 0 || strncmp(r->severity, "warning", 7) == 0 ||
              strncmp(r->severity, "info", 4) == 0))
            fail_msg("README: %d has severity '%s'", r->id, r->severity);
        if (reserved != is_reserved(r->id))
            fail_msg("README: %d (%s) reserved %d, libcors.h %d", r->id, r->name, reserved, is_reserved(r->id));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_names),
        cmocka_unit_test(test_header_defines_every_code_once),
        cmocka_unit_test(test_readme_table_matches_the_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
