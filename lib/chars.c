/* chars.c - byte classes and byte-string comparisons. */
#include "internal.h"

#include <string.h>

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
 * "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
int cors__is_token_char(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int cors__is_token(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!cors__is_token_char((unsigned char)p[i]))
            return 0;
    return 1;
}

/* Fetch: HTTP tab or space */
static int is_http_tab_or_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* Fetch: HTTP whitespace = HTTP newline byte or HTTP tab or space */
int cors__is_http_whitespace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

unsigned char cors__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int cors__equal_nocase(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (a_len != b_len)
        return 0;
    for (size_t i = 0; i < a_len; i++)
        if (cors__lower((unsigned char)a[i]) != cors__lower((unsigned char)b[i]))
            return 0;
    return 1;
}

cors_str cors__str_z(const char *z)
{
    cors_str s = {z, z ? strlen(z) : 0};
    return s;
}

int cors__equal_nocase_z(cors_str s, const char *z)
{
    return cors__equal_nocase(s.ptr, s.len, z, strlen(z));
}

int cors__equal_z(cors_str s, const char *z)
{
    size_t n = strlen(z);
    return s.len == n && (n == 0 || memcmp(s.ptr, z, n) == 0);
}

int cors__starts_with_nocase_z(cors_str s, const char *z)
{
    size_t n = strlen(z);
    return s.len >= n && cors__equal_nocase(s.ptr, n, z, n);
}

static cors_str trim(cors_str s, int (*is_space)(unsigned char))
{
    while (s.len > 0 && is_space((unsigned char)s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_space((unsigned char)s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* RFC 9110 5.5: OWS around field values and list elements */
cors_str cors__trim_tab_space(cors_str s)
{
    return trim(s, is_http_tab_or_space);
}

/* Fetch: normalize a header value strips HTTP whitespace */
cors_str cors__trim_http_whitespace(cors_str s)
{
    return trim(s, cors__is_http_whitespace);
}

int cors__has_byte(cors_str s, unsigned char c)
{
    return s.len > 0 && memchr(s.ptr, c, s.len) != NULL;
}

/* Byte order, shorter first on a common prefix (Fetch: byte less than). */
int cors__compare_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return a_len < b_len ? -1 : (a_len > b_len ? 1 : 0);
}

/* Byte order after ASCII lowercasing (Fetch: sorted and lowercased names). */
int cors__compare_lower(cors_str a, cors_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = cors__lower((unsigned char)a.ptr[i]), y = cors__lower((unsigned char)b.ptr[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
}
