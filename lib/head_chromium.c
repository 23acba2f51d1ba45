/* SPDX-License-Identifier: MIT */
/* head_chromium.c - a response head read as Chromium's network stack reads
 * it (seen in Chromium 156; the rules are the corpus's head-*.case files):
 * http_stream_parser.cc finds the status line and the end of the head,
 * HttpResponseHeaders::TryToCreate refuses a NUL, http_util.cc
 * AssembleRawHeaders joins folded lines, http_response_headers.cc parses the
 * status line leniently (head_status.c) and HeadersIterator skips lines that
 * are no header. Every repair is recorded (out->repairs; with a log, the line
 * it happened on); what Chromium refuses becomes out->network_error. The
 * usual status line and header line take shortcuts that read them as the
 * general path does (CORS__HEAD_SHORTCUTS 0 turns them off). */
#include "internal.h"
#include "scan.h"

#include <string.h>

#define SLOP 4 /* LocateStartOfStatusLine: bytes that may come before "http" */

typedef struct reader {
    const char *p;
    size_t n;
    uint32_t repairs;
    cors__repair_log *log;
    size_t counted_to, line;  /* lines counted so far, for the log */
} reader;

static size_t line_at(reader *rd, size_t offset)
{
    if (offset < rd->counted_to) { /* an earlier byte: count again */
        rd->counted_to = 0;
        rd->line = 1;
    }
    for (size_t i = rd->counted_to; i < offset; i++)
        rd->line += rd->p[i] == '\n';
    rd->counted_to = offset;
    return rd->line;
}

static void repair(reader *rd, uint32_t bit, size_t offset)
{
    rd->repairs |= bit;
    if (rd->log != NULL) {
        int k = 0;
        while (!((bit >> k) & 1u))
            k++;
        if (rd->log->count[k]++ == 0)
            rd->log->first_line[k] = line_at(rd, offset);
    }
}

static void repair_each(reader *rd, uint32_t bits, size_t offset)
{
    for (; bits != 0; bits &= bits - 1)
        repair(rd, bits & (0u - bits), offset);
}

/* The next CR or LF at or after i, or end; a NUL on the way sets *nul (it
 * fails the head, but does not end a line). */
static size_t find_crlf(const char *p, size_t i, size_t end, bool *nul)
{
    size_t usual = CORS__HEAD_SHORTCUTS ? cors__usual_crlf(p, i, end) : SIZE_MAX; /* no control byte before */
    if (usual != SIZE_MAX)
        return usual;
    while (i < end) {
        size_t k = cors__find_line_byte(p, i, end);
        if (k == end || p[k] != '\0')
            return k;
        *nul = true;
        i = k + 1;
    }
    return end;
}

/* LocateEndOfHeadersHelper over a run of CR and LF bytes: the head ends after
 * LF LF or LF CR LF; a CR right after a LF keeps the state, other bytes (the
 * lines between runs) reset it. Returns the end, or SIZE_MAX. */
static size_t head_end_in_run(const char *p, size_t from, size_t to, bool *was_lf, unsigned char *last)
{
    for (size_t k = from; k < to; k++) {
        unsigned char c = (unsigned char)p[k];
        if (c == '\n') {
            if (*was_lf)
                return k + 1;
            *was_lf = true;
        } else if (*last != '\n') {
            *was_lf = false;
        }
        *last = c;
    }
    return SIZE_MAX;
}

/* "http" in any case: c | 0x20 is the lowercase of a letter, and no other
 * byte gives 'h', 't' or 'p'; the four bytes in one word. */
static bool starts_with_http(const char *p)
{
    return (cors__load32(p) | 0x20202020u) == cors__load32("http");
}

/* Line ends: any run of CR and LF ends one line; note the unusual ones. */
static void note_line_ends(reader *rd, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        if (rd->p[k] == '\r' && !(k + 1 < to && rd->p[k + 1] == '\n'))
            repair(rd, CORS_REPAIR_BARE_CR, k);
        else if (rd->p[k] == '\n' && !(k > from && rd->p[k - 1] == '\r'))
            repair(rd, CORS_REPAIR_BARE_LF, k);
    }
}

typedef struct head_lines {
    bool interim;             /* an interim head's lines are only checked */
    cors_header *headers;
    size_t capacity, count;
    cors__netcheck nc;
} head_lines;

/* One line as assembled so far: where it starts and ends, its first colon. */
typedef struct line {
    size_t start, end, colon;  /* colon: SIZE_MAX when there is none */
    bool continuable;          /* IsLineSegmentContinuable: a colon after a non-empty name not starting with SP/HTAB */
    bool plain_name;           /* the name is all token bytes up to the colon: nothing to trim or check */
} line;

/* A header line: an interim head's is only checked, a final head's stored
 * while there is room (and counted past it). */
static inline void keep(head_lines *hl, cors_str name, cors_str value)
{
    if (hl->count < hl->capacity) { /* capacity 0 for an interim head: one test for the usual line */
        hl->headers[hl->count].name = name;
        hl->headers[hl->count].value = value;
    } else if (hl->interim) {
        cors__netcheck_line(&hl->nc, cors__token_lookup(name), value);
        return;
    }
    hl->count++;
}

/* HeadersIterator::GetNext: one assembled line, kept or skipped. */
static void take_line(reader *rd, head_lines *hl, const line *ln)
{
    const char *p = rd->p;
    cors_str name;
    size_t trimmed;

    if (!ln->continuable) { /* no colon, empty name, or a name starting with whitespace */
        repair(rd, CORS_REPAIR_LINE_SKIPPED, ln->start);
        return;
    }
    name = (cors_str){p + ln->start, ln->colon - ln->start};
    if (!ln->plain_name) {
        trimmed = name.len;
        while (name.ptr[name.len - 1] == ' ' || name.ptr[name.len - 1] == '\t')
            name.len--;
        if (!cors__is_token(name)) {
            repair(rd, CORS_REPAIR_LINE_SKIPPED, ln->start);
            return;
        }
        if (name.len != trimmed)
            repair(rd, CORS_REPAIR_SPACE_BEFORE_COLON, ln->start);
    }
    keep(hl, name, cors__line_value(p, ln->colon, ln->end));
}

/* The bytes of one line (a token between CR/LF runs); its first colon is
 * found by reading the name, which ends at it in a usual line. */
static size_t read_token(const char *p, size_t pos, size_t limit, size_t *colon, bool *plain, bool *nul)
{
    size_t i = cors__name_run(p, pos, limit); /* most of a name, 16 bytes at a time */
    while (i < limit && cors__is((unsigned char)p[i], CC_TOKEN))
        i++;
    *plain = i > pos && i < limit && p[i] == ':';
    if (*plain) {
        *colon = i;
        return find_crlf(p, i + 1, limit, nul);
    }
    { /* whitespace before the colon, or no header at all: look further */
        size_t end = find_crlf(p, i, limit, nul);
        const char *c = memchr(p + i, ':', end - i);
        *colon = c ? (size_t)(c - p) : SIZE_MAX;
        return end;
    }
}

/* The usual line, taken without the round trip through struct line: a name
 * of token bytes, ':', a value, CRLF, then a byte that starts neither a fold
 * (SP, HTAB: AssembleRawHeaders would join the next line to it) nor the end
 * of the head, unless that end is CRLF CRLF. Keeps each such line from *at
 * as soon as the byte after its CRLF is seen; returns the end of the head
 * when a usual line ends it, else SIZE_MAX with *at at the first line that
 * is not usual (read_lines reads it). */
static size_t read_usual_lines(reader *rd, head_lines *hl, size_t *at, size_t limit)
{
    const char *p = rd->p;
    size_t pos = *at, colon = 0, end;
    bool last;
    for (;;) {
        end = cors__usual_line_cr(p, pos, limit, &colon);
        /* CRLF, then neither a fold nor the end (false for SIZE_MAX) */
        if (end < limit - 2 && p[end + 1] == '\n' && (unsigned char)p[end + 2] > ' ') {
            keep(hl, (cors_str){p + pos, colon - pos}, cors__line_value(p, colon, end));
            pos = end + 2;
            continue;
        }
        if (end < limit - 3 && memcmp(p + end, "\r\n\r\n", 4) == 0) { /* the usual last line */
            keep(hl, (cors_str){p + pos, colon - pos}, cors__line_value(p, colon, end));
            return end + 4;
        }
        if (end == SIZE_MAX)
            end = cors__header_line_end(p, pos, limit, &colon);
        if (limit - end < 3 || memcmp(p + end, "\r\n", 2) != 0)
            break;
        last = cors__is((unsigned char)p[end + 2], CC_HTTP_WS); /* SP, HTAB: a fold; CR, LF: the end */
        if (last && (p[end + 2] != '\r' || limit - end < 4 || p[end + 3] != '\n'))
            break;
        keep(hl, (cors_str){p + pos, colon - pos}, cors__line_value(p, colon, end));
        if (last)
            return end + 4;
        pos = end + 2;
    }
    *at = pos;
    return SIZE_MAX;
}

/* AssembleRawHeaders with LocateEndOfHeadersHelper, in one pass from the end
 * of the status line: lines between runs of CR and LF, folds joined to the
 * line before. Returns the end of the head, or SIZE_MAX when it does not end
 * before limit. */
static size_t read_lines(reader *rd, head_lines *hl, size_t pos, size_t limit, bool *nul, bool *has_lines)
{
    const char *p = rd->p;
    line ln = {0, 0, SIZE_MAX, false, false};
    bool have = false, was_lf = false;
    unsigned char last = (unsigned char)(pos > 0 ? p[pos - 1] : 0);

    *has_lines = false;
    while (pos < limit) {
        size_t run = pos, end, colon, token_end;
        bool plain;
        if (pos + 2 < limit && p[pos] == '\r' && p[pos + 1] == '\n' && p[pos + 2] != '\r' && p[pos + 2] != '\n') {
            pos += 2; /* the usual CRLF between two lines: nothing to note */
            was_lf = true;
            last = '\n';
        } else {
            while (pos < limit && (p[pos] == '\r' || p[pos] == '\n'))
                pos++;
            end = head_end_in_run(p, run, pos, &was_lf, &last);
            note_line_ends(rd, run, end != SIZE_MAX ? end : pos);
            if (end != SIZE_MAX) {
                if (have)
                    take_line(rd, hl, &ln);
                return end;
            }
            if (pos >= limit)
                break;
        }
        *has_lines = true;
        if (CORS__HEAD_SHORTCUTS && p[pos] != ' ' && p[pos] != '\t') { /* no fold: the line before is whole */
            if (have)
                take_line(rd, hl, &ln);
            have = false;
            end = read_usual_lines(rd, hl, &pos, limit);
            if (end != SIZE_MAX)
                return end;
        }
        token_end = read_token(p, pos, limit, &colon, &plain, nul);
        was_lf = false;
        last = (unsigned char)p[token_end - 1];
        if (have && ln.continuable && (p[pos] == ' ' || p[pos] == '\t')) {
            repair(rd, CORS_REPAIR_OBS_FOLD, pos);
            ln.end = token_end; /* the view spans the fold: its break and indent stand for one SP */
        } else {
            if (have)
                take_line(rd, hl, &ln);
            ln.start = pos;
            ln.end = token_end;
            ln.colon = colon;
            ln.plain_name = plain;
            ln.continuable = colon != SIZE_MAX && colon != pos && p[pos] != ' ' && p[pos] != '\t';
            have = true;
        }
        pos = token_end;
    }
    return SIZE_MAX;
}

static bool is_proxy_head(const cors_response *head, const char *next, size_t rest)
{
    /* curl shows a CONNECT proxy's head before the origin server's; Chromium never sees it */
    return head->status_code / 100 == 2 && head->reason.len == sizeof("connection established") - 1 &&
           CORS__EQ_LIT(head->reason, "connection established") && rest >= 5 &&
           memcmp(next, "HTTP/", 5) == 0;
}
static int32_t finish(reader *rd, cors_response *out, int32_t kind)
{
    out->network_error = kind;
    out->repairs = rd->repairs;
    return CORS_OK;
}

int32_t cors__head_read_chromium(const char *buf, size_t len, cors_header *headers, size_t capacity,
                                 cors_response *out, cors__repair_log *log)
{
    reader rd = {buf, len, 0, log, 0, 1};
    size_t pos = 0;
    bool seen_status = false;

    for (;;) {
        size_t avail = len - pos, skip = SIZE_MAX, s, end, status_end;
        size_t limit = avail > CORS_MAX_HEAD ? pos + CORS_MAX_HEAD : len; /* the head must end within this */
        bool nul = false, has_lines;
        head_lines hl;
        cors_str status_line;
        int32_t kind, version;
        uint32_t bits = 0;

        for (size_t i = 0; avail >= 4 && i <= SLOP && i <= avail - 4 && skip == SIZE_MAX; i++)
            if (starts_with_http(buf + pos + i))
                skip = i;
        out->head_offset = pos;
        out->head_length = 0; /* an interim head's length is not the final head's */
        if (skip == SIZE_MAX) {
            if (avail == 0)
                return finish(&rd, out, CORS_KIND_EMPTY_RESPONSE);
            if (avail < 8)
                return finish(&rd, out, CORS_KIND_RESPONSE_HEADERS_TRUNCATED);
            if (seen_status) /* no HTTP/0.9 after a status line */
                return finish(&rd, out, CORS_KIND_INVALID_HTTP_RESPONSE);
            repair(&rd, CORS_REPAIR_HTTP09, pos);
            out->status_code = 200;
            out->http_version = 9;
            out->reason = (cors_str){"OK", 2};
            out->raw = (cors_str){buf, pos};
            out->next_offset = len; /* every byte is body */
            return finish(&rd, out, CORS_KIND_NONE);
        }
        if (skip > 0) {
            nul = memchr(buf + pos, '\0', skip) != NULL; /* TryToCreate reads from the first byte */
            repair(&rd, CORS_REPAIR_STATUS_LINE_SLOP, pos);
        }
        s = pos + skip;
        status_end = find_crlf(buf, s, limit, &nul);
        status_line = (cors_str){buf + s, status_end - s};
        version = cors__head_status_read(status_line, out, &bits);
        repair_each(&rd, bits, s);

        hl.interim = out->status_code / 100 == 1;
        hl.headers = headers;
        hl.capacity = hl.interim ? 0 : capacity;
        hl.count = 0;
        if (hl.interim) /* only an interim head's lines are checked here */
            cors__netcheck_begin(&hl.nc);
        end = read_lines(&rd, &hl, status_end, limit, &nul, &has_lines);
        if (end == SIZE_MAX) /* Chromium's buffer filled, or the bytes ran out */
            return finish(&rd, out, limit < len || avail == CORS_MAX_HEAD ? CORS_KIND_RESPONSE_HEADERS_TOO_BIG
                                                                          : CORS_KIND_RESPONSE_HEADERS_TRUNCATED);
        if (nul)
            return finish(&rd, out, CORS_KIND_INVALID_HTTP_RESPONSE);
        if (version == 0) { /* HTTP/0.9 only for a head without lines */
            bits = 0;
            version = cors__head_status_version(status_line, has_lines, &bits);
            repair_each(&rd, bits, s);
        }
        out->http_version = version;
        out->head_length = end - pos;

        if (out->status_code / 100 == 1) { /* an interim head: checked, then the next one */
            /* DoReadHeadersComplete: a 103 goes to Early Hints before the Content-Encoding check */
            kind = cors__netcheck_end(&hl.nc, out->http_version, out->status_code != 103, &rd.repairs);
            if (kind != CORS_KIND_NONE)
                return finish(&rd, out, kind);
            if (out->status_code == 101)
                repair(&rd, CORS_REPAIR_101_SKIPPED, s);
            seen_status = true;
            pos = end;
            continue;
        }
        if (is_proxy_head(out, buf + end, len - end)) {
            pos = end;
            continue;
        }
        out->header_total = hl.count;
        out->header_count = hl.count < capacity ? hl.count : capacity;
        out->raw = (cors_str){buf, end};
        out->next_offset = end;
        finish(&rd, out, CORS_KIND_NONE);
        return hl.count > capacity ? CORS_E_TOO_MANY_HEADERS : CORS_OK;
    }
}
