/* SPDX-License-Identifier: MIT */
/* judging.h - what the judging files of lib/ share (report.c, request.c,
 * findings.c, rules*.c and the algorithms they call); nothing here is
 * public. The reading half, and the types both use, are internal.h's:
 * include that one. One section per file. */
#ifndef CORS_JUDGING_H
#define CORS_JUDGING_H

#include "internal.h"

/* ---- report.c: the lent buffers and the text writer ---- */

cors_span cors__report_put(cors_report *r, cors_str s);
cors_span cors__report_put_lower(cors_report *r, cors_str s);
/* A small formatter so messages need no snprintf: %s C string, %S cors_str,
 * %L cors_str lowercased, %d int, %D int64_t, %W `where`, %% percent. */
cors_span cors__report_vformat(cors_report *r, const char *fmt, const char *where, va_list ap);
cors_span cors__report_format(cors_report *r, const char *fmt, ...);
/* Count n bytes of text the answer will take, writing nothing. */
void cors__report_reserve(cors_report *r, size_t n);
/* The span of what was written since `start`. */
cors_span cors__report_since(const cors_report *r, size_t start);
void cors__report_fail(cors_report *r, int32_t stage, int32_t kind);

/* ---- request.c: the page's side of the Fetch model ---- */

#define MODEL_CHUNK 64  /* CORS-unsafe names handled at once, sorted */
#define MODEL_LINES 64  /* request lines whose classification is kept */

typedef struct cors__safelist_slot {   /* one safelistable name, all its lines */
    cors__tok tok;
    cors_str name;             /* first spelling */
    cors_str value;            /* trimmed value of the first line */
    size_t combined_length;    /* values joined with ", " (saturating) */
    size_t safelisted_bytes;   /* the bytes it adds to the 1024-byte budget */
    uint32_t lines;
    bool is_safelisted;
    bool is_chromium_only;
} cors__safelist_slot;

typedef struct cors__request_model {
    const cors_request *request;
    const cors_header *headers;   /* the page's, or the rule set's probe */
    size_t header_count;
    bool strict;
    cors_str method;            /* after normalization */
    bool method_is_safelisted;
    bool credentialed;
    bool over_budget;           /* safelisted values summed > 1024 bytes */
    bool needs_preflight;
    bool has_conditional;       /* an If-* header: the cache mode becomes no-store */
    bool default_accept_unsafe; /* the Accept fetch adds turned unsafe with the rest */
    bool body;                  /* fetch() sends a body: a Content-Type is added when the page set none */
    bool default_content_type_unsafe; /* that Content-Type turned unsafe with the rest */
    bool drop_body_headers;     /* a redirect changed the method: no body, no request-body headers */
    bool quiet;                 /* rebuilt after a redirect: the page's request was already reported */
    uint32_t slots_used;        /* bit k: slot[k] holds lines (the others are not initialized) */
    size_t unsafe_count;
    bool unsafe_more;
    /* What the first MODEL_LINES lines are, found once (later lines are
     * looked up again when needed): their token, whether they are sent. */
    uint64_t sent_lines;
    uint64_t unsafe_lines;      /* of those, the CORS-unsafe ones (once the slots are judged) */
    uint8_t line_token[MODEL_LINES];
    cors__safelist_slot slot[TOKEN_SAFELISTABLE_COUNT];
    /* The first MODEL_CHUNK CORS-unsafe names, lowercase-sorted and unique
     * (views into the request, or "accept"); unsafe_more when there are more. */
    cors_str unsafe[MODEL_CHUNK];
    /* The report's readable array, idle until the readable names are found:
     * when it has room, every unsafe name sorted and unique (sorted_count of
     * them; span offset: the line, or UNSAFE_ACCEPT / UNSAFE_CONTENT_TYPE), so
     * that later chunks cost no pass over the request. sorted is NULL
     * otherwise, and once the readable names take the array back. */
    cors_span *work;
    size_t work_capacity;
    cors_span *sorted;
    size_t sorted_count;
    /* whose Access-Control-Allow-Headers the sorted names' marks are (grant and hop), so that
     * the fix after the check walks no list again; `marked` points at marked_by, which is
     * written while the model is otherwise read-only */
    struct cors__unsafe_marks { const void *grant; int32_t hop; } marked_by, *marked;
} cors__request_model;

#define UNSAFE_ACCEPT UINT32_MAX              /* the Accept fetch adds */
#define UNSAFE_CONTENT_TYPE (UINT32_MAX - 1)  /* the Content-Type fetch adds */

/* What the rule set changes about the page's request before the model is built. */
typedef struct cors__request_override {
    int32_t credentials;          /* -1: as requested, else CORS_CREDENTIALS_* */
    const cors_header *headers;   /* non-NULL: these headers replace the page's */
    size_t header_count;
} cors__request_override;

/* Fills ev->model (from ev->request, ev->strict) and the report's request-side
 * fields (method, preflight, acr_*); a request fetch() would reject gets its
 * verdict (failed_at request). */
int32_t cors__request_model_build(cors__eval *ev, const cors__request_override *ov, cors_report *r, cors_error *err);
/* The model again after a redirect changed the method (to GET): no body,
 * no request-body headers, no findings. */
void cors__request_model_rebuild(cors__eval *ev, cors_str method);
/* Line i is sent and CORS-unsafe (after the slots are judged). */
bool cors__request_line_is_unsafe(const cors__request_model *m, size_t i);

/* ---- unsafe.c: the CORS-unsafe names, sorted ---- */

/* m->sorted (when the work array has room) and the first chunk, m->unsafe. */
void cors__unsafe_collect(cors__request_model *m);
/* Access-Control-Request-Headers as the preflight sends it, written into the report. */
cors_span cors__request_put_acr_headers(const cors__request_model *m, cors_report *r);
/* The unsafe names after `after` (NULL: from the first), up to MODEL_CHUNK,
 * sorted; returns how many. Chunks after the first cost a binary search in the
 * sorted names, or without them a pass over the request. */
size_t cors__request_unsafe_chunk(const cors__request_model *m, const cors_str *after, cors_str *chunk, bool *more);
bool cors__request_has_unsafe(const cors__request_model *m, cors__tok tok);

/* Every unsafe name in order, each with whether a grant's
 * Access-Control-Allow-Headers lists it (case-insensitively): with the names
 * sorted, one walk of the list marks them all (O(list log u)); without, a
 * chunk of 64 at a time and a walk per chunk. */
typedef struct cors__unsafe_iter {
    const cors__request_model *m;
    const cors__grant *g;      /* NULL: nothing is listed */
    size_t at, n;              /* the next name: sorted[at], or chunk[at] of n */
    bool more;
    cors_str chunk[MODEL_CHUNK];
    uint64_t marks;
} cors__unsafe_iter;
/* first_marks: the first chunk's marks when the caller walked the list for them (NULL: walk);
 * hop: the hop whose preflight g is. */
void cors__unsafe_begin(cors__unsafe_iter *it, const cors__request_model *m, const cors__grant *g, int32_t hop,
                        const uint64_t *first_marks);
bool cors__unsafe_next(cors__unsafe_iter *it, cors_str *name, bool *listed);

/* ---- findings.c: the catalogue of findings and how rules add them ---- */

/* Message variants of one finding (index into its catalogue entry). */
#define V0 0
#define V1 1
#define V2 2

/* The header lines a finding proposes instead (fixes.c writes them) */
enum {
    FIX_NONE,
    FIX_ALLOW_ORIGIN,      /* ACAO: the origin (+ ACAC: true) + Vary: Origin */
    FIX_ALLOW_ORIGIN_ONLY, /* ACAO: the origin */
    FIX_CREDENTIALS,       /* ACAC: true */
    FIX_STATUS_204,        /* HTTP/1.1 204 No Content */
    FIX_METHODS_VALID,     /* ACAM: its valid elements */
    FIX_METHODS_ADD,       /* ACAM: its valid elements + the method */
    FIX_METHODS_GALXE,     /* ACAM: GET, POST, OPTIONS */
    FIX_HEADERS_VALID,     /* ACAH: its valid elements */
    FIX_HEADERS_ADD,       /* ACAH: its valid elements + the unsafe names it misses */
    FIX_HEADERS_ADD_AUTHORIZATION, /* ACAH: as sent, + Authorization */
    FIX_HEADERS_CONTENT_TYPE,      /* ACAH: Content-Type */
    FIX_EXPOSE_VALID,      /* ACEH: its valid elements */
    FIX_EXPOSE_EXAMPLE,    /* ACEH: X-Request-Id */
    FIX_VARY,              /* Vary: what it had + Origin */
    FIX_MAX_AGE,           /* ACMA: 7200 */
};

/* A finding's value: none, or every line of the finding's header in the
 * stage's response joined with ", " (the value Chromium sees). */
#define VALUE_NONE ((cors_str){NULL, 0})
#define VALUE_JOINED ((cors_str){NULL, 1})

/* Add finding `code` with message variant `variant` at `stage`; the header,
 * severity and fix come from the catalogue, `value` is what was received, and
 * the variadic arguments fill the message's % directives. %W in a message is
 * the stage's response ("preflight (OPTIONS) response" or "response"). */
void cors__finding(const cors__eval *ev, cors_report *r, int32_t code, int variant, int32_t stage, cors_str value,
                   ...);
/* The same with a severity other than the catalogue's. */
void cors__finding_as(const cors__eval *ev, cors_report *r, int32_t code, int32_t severity, int variant,
                      int32_t stage, cors_str value, ...);
void cors__fixes_write(const cors__eval *ev, cors_report *r, int32_t fix, int32_t stage);
/* Write every line of `header` in the stage's response, joined with ", ". */
cors_span cors__fixes_joined(const cors__eval *ev, cors_report *r, cors__tok header, int32_t stage);

/* ---- rules: the rule-set table (rules.c) and the algorithms ---- */

#define ADVICE_MAX_AGE      0x01u  /* the browser rules report max-age problems */
#define ADVICE_VARY_WARNING 0x02u  /* the browser rules warn of a missing Vary: Origin */

typedef struct cors__rules {
    int32_t id;                   /* CORS_RULES_* */
    int32_t credentials;          /* -1: as requested, else the mode the rule set judges */
    bool probe;                   /* the rule set sends its own request (galxe) */
    uint32_t advice;              /* ADVICE_* */
    /* after the model is built: the rule set's judgement */
    void (*judge)(cors__eval *ev, cors_report *r);
} cors__rules;

const cors__rules *cors__rules_get(int32_t id);

/* Where a redirect chain stands (chain.c keeps it; the judges read it). */
typedef struct cors__chain {
    const cors_hop *hops;
    size_t hop_count;
    cors__url_origin page;            /* the page's origin (opaque: same origin as nothing) */
    cors__hop_url url;                /* the current hop's URL */
    cors__hop_url next;               /* where the current hop's redirect leads */
    bool cors_flag;                   /* the chain went cross-origin (sticky) */
    bool tainted;                     /* a redirect to another origin: Origin is "null" (sticky) */
    size_t preflighted_count;
    uint64_t preflighted[21];         /* URLs whose preflight Chromium's cache holds (hashes) */
} cors__chain;

struct cors__eval {
    const cors__rules *rules;
    bool strict;
    const cors_request *request;
    cors_str origin;                  /* the Origin the current request carries ("null" once tainted) */
    int32_t hop;                      /* the current hop, 1-based */
    cors__chain *chain;
    cors__request_model model;
    const cors__grant *preflight;     /* the current hop's; NULL when not given */
    const cors__grant *response;
    cors__grant preflight_grant, response_grant;
    size_t readable_text_at;          /* where the readable names' text starts (SIZE_MAX: none yet) */
    size_t readable_room;             /* the readable array the final response needs as workspace */
};

/* chain.c: the browser rules along a redirect chain */
/* Record what the current hop's requests carry (a hop report when lent); hop
 * 1's preflight fields are also the report's. */
void cors__chain_describe(cors__eval *ev, bool preflight, bool has_origin, cors_report *r);
void cors__chain_judge(cors__eval *ev, cors_report *r);

/* network.c: the network stack's verdict on a head (repairs as warnings); a kind or CORS_KIND_NONE. */
int32_t cors__network_judge(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r);
/* check.c: Fetch "CORS check" of one response; returns a kind or CORS_KIND_NONE. */
int32_t cors__check(const cors__eval *ev, const cors__grant *g, int32_t stage, cors_report *r);
/* preflight.c: the preflight response in Chromium's order; facts for the cache. */
typedef struct cors__preflight_facts {
    bool authorization_by_wildcard;  /* Authorization passed only by '*' (Chromium) */
} cors__preflight_facts;
int32_t cors__preflight_judge(const cors__eval *ev, cors__preflight_facts *facts, cors_report *r);
/* redirect.c */
bool cors__redirect_is_followed(const cors__grant *g);
cors_str cors__redirect_location(const cors__grant *g);
int32_t cors__redirect_check_net(const cors__eval *ev, const cors__grant *g, int32_t stage, cors__url *url,
                                 cors_report *r);
/* The checks of a followed redirect; on success ev->chain->next is where it leads. */
int32_t cors__redirect_judge(const cors__eval *ev, cors_report *r);
/* cache.c */
typedef struct cors__max_age {
    int64_t seconds;    /* the lifetime Chromium (or Fetch, strict) uses */
    int32_t problem;    /* CORS_FINDING_MAX_AGE_* or 0 */
} cors__max_age;
cors__max_age cors__cache_max_age(const cors__grant *g, bool strict);
/* The lifetime Chromium stores the passed preflight for (and its findings);
 * for hop 1 it is the report's preflight_cache_seconds. */
int64_t cors__cache_note(const cors__eval *ev, const cors__preflight_facts *facts, cors_report *r);
void cors__cache_finding(const cors__eval *ev, cors_report *r, int32_t problem, int32_t severity);
/* expose.c: CORS-filtered; basic (a same-origin chain) is every name but Set-Cookie.
 * Returns where in r's text the names (or the room reserved for them) start. */
size_t cors__expose_readable(const cors__eval *ev, bool basic, cors_report *r);
/* rules_browser.c */
int32_t cors__browser_response(const cors__eval *ev, cors_report *r);
/* rules_galxe.c, rules_reflect.c */
void cors__galxe_judge(cors__eval *ev, cors_report *r);
void cors__reflect_judge(cors__eval *ev, cors_report *r);

#endif
