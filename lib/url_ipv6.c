/* SPDX-License-Identifier: MIT */
/* url_ipv6.c - IPv6 literals in URL hosts, as the URL standard parses and
 * serializes them (Chromium's url_canon_ip.cc agrees on every case the corpus
 * holds): validity, the eight pieces, the compressed text. */
#include "internal.h"

#include <string.h>

/* URL standard: IPv6 parser, on the bytes between the brackets. */
int cors__ipv6_is_valid(const char *p, size_t n)
{
    size_t i = 0;
    int pieces = 0, compressed = 0;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        compressed = 1;
        i = 2;
    } else if (n >= 1 && p[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t digits = 0, start = i;
        if (pieces == 8)
            return 0;
        if (p[i] == ':') {
            if (compressed)
                return 0;
            compressed = 1;
            i++;
            continue;
        }
        while (i < n && digits < 4 && cors__is_hex_byte((unsigned char)p[i])) {
            i++;
            digits++;
        }
        if (i < n && p[i] == '.') { /* an IPv4 tail takes two pieces */
            int octets = 0;
            if (pieces > 6)
                return 0;
            i = start;
            while (i < n) {
                int value = -1;
                if (octets > 0) {
                    if (p[i] != '.' || octets == 4)
                        return 0;
                    i++;
                }
                while (i < n && cors__is_digit_byte((unsigned char)p[i])) {
                    if (value == 0)
                        return 0; /* no leading zeros */
                    value = (value < 0 ? 0 : value * 10) + (p[i] - '0');
                    if (value > 255)
                        return 0;
                    i++;
                }
                if (value < 0)
                    return 0;
                octets++;
            }
            if (octets != 4)
                return 0;
            pieces += 2;
            break;
        }
        if (digits == 0)
            return 0;
        pieces++;
        if (i < n) {
            if (p[i] != ':' || i + 1 == n)
                return 0;
            i++;
        }
    }
    return compressed ? pieces < 8 : pieces == 8;
}

/* URL standard: IPv6 parser, into its eight pieces (the input is valid). */
static bool ipv6_pieces(const char *p, size_t n, uint16_t out[8])
{
    size_t i = 0;
    int piece = 0, compress = -1;
    memset(out, 0, 8 * sizeof(out[0]));
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        i = 2;
        compress = ++piece;
    }
    while (i < n) {
        unsigned value = 0, length = 0;
        if (piece == 8)
            return false;
        if (p[i] == ':') {
            if (compress != -1)
                return false;
            i++;
            compress = ++piece;
            continue;
        }
        while (length < 4 && i < n && cors__is_hex_byte((unsigned char)p[i])) {
            value = value * 16 + (unsigned)cors__hex_value((unsigned char)p[i++]);
            length++;
        }
        if (i < n && p[i] == '.') { /* an IPv4 tail: two pieces */
            int seen = 0;
            i -= length;
            if (piece > 6)
                return false;
            while (i < n) {
                int octet = -1;
                if (seen > 0) {
                    if (p[i] != '.' || seen == 4)
                        return false;
                    i++;
                }
                if (i >= n || !cors__is_digit_byte((unsigned char)p[i]))
                    return false;
                while (i < n && cors__is_digit_byte((unsigned char)p[i])) {
                    octet = octet == -1 ? p[i] - '0' : (octet == 0 ? 256 : octet * 10 + (p[i] - '0'));
                    if (octet > 255)
                        return false;
                    i++;
                }
                out[piece] = (uint16_t)(out[piece] * 0x100 + octet);
                if (++seen == 2 || seen == 4)
                    piece++;
            }
            if (seen != 4)
                return false;
            break;
        }
        if (i < n && p[i] == ':' && ++i == n)
            return false;
        out[piece++] = (uint16_t)value;
    }
    if (compress != -1) {
        int swaps = piece - compress;
        for (piece = 7; piece != 0 && swaps > 0; piece--, swaps--) {
            uint16_t t = out[piece];
            out[piece] = out[compress + swaps - 1];
            out[compress + swaps - 1] = t;
        }
    } else if (piece != 8) {
        return false;
    }
    return true;
}

/* URL standard: IPv6 serializer (the longest run of two or more zero pieces as "::"). */
size_t cors__ipv6_serialize(const uint16_t pieces[8], char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    int best = -1, best_len = 1;
    size_t n = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && pieces[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8; i++) {
        bool started = false;
        if (i == best) {
            n = cors__put_byte(out, cap, n, ':');
            if (i == 0)
                n = cors__put_byte(out, cap, n, ':');
            i += best_len - 1;
            continue;
        }
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (pieces[i] >> shift) & 0xfu;
            if (d != 0 || started || shift == 0) {
                n = cors__put_byte(out, cap, n, hex[d]);
                started = true;
            }
        }
        if (i < 7)
            n = cors__put_byte(out, cap, n, ':');
    }
    return n;
}

size_t cors__ipv6_host_text(const char *p, size_t len, char *out, size_t cap)
{
    uint16_t pieces[8];
    size_t n;
    if (!ipv6_pieces(p, len, pieces))
        return 0;
    n = cors__put_byte(out, cap, 0, '[');
    n += cors__ipv6_serialize(pieces, n < cap ? out + n : NULL, n < cap ? cap - n : 0);
    return cors__put_byte(out, cap, n, ']');
}
