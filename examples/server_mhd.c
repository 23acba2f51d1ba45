/* SPDX-License-Identifier: MIT */
/*
 * server_mhd.c - a real C server that does all its CORS with libcors. A tiny
 * JSON API on libmicrohttpd: every request goes through cors_policy_answer;
 * a preflight is answered on the spot with the status and lines it gives,
 * and every other response (the handler's) gets its lines added, Vary
 * appended. The policy is a policy text file, compiled once at start-up and
 * shared by libmicrohttpd's threads.
 *
 *   server_mhd POLICY_FILE PORT     serves until SIGINT or SIGTERM
 *
 * Build against an installed libcors (Debian: apt-get install libmicrohttpd-dev):
 *   cc server_mhd.c $(pkg-config --cflags --libs libcors libmicrohttpd) -o server_mhd
 */
#define _POSIX_C_SOURCE 200809L

#include <libcors.h>
#include <microhttpd.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REQUEST_HEADERS 128

static const cors_policy *policy;

/* ---- the policy, from its text ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        (buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    } else {
        *len = (size_t)n;
    }
    if (f != NULL)
        fclose(f);
    return buf;
}

/* Parse, report every issue with its line, compile; NULL when the policy is unusable. */
static const cors_policy *load_policy(const char *path)
{
    static cors_str items[1024];
    static cors_config_issue issues[256];
    cors_policy_config config;
    size_t len = 0, n, count, needed;
    cors_error err;
    const cors_policy *p;
    char *text = read_file(path, &len);
    void *mem;
    int32_t st;

    if (text == NULL) {
        fprintf(stderr, "server_mhd: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    p = NULL;
    cors_policy_config_init(&config, sizeof(config));
    st = cors_policy_parse(text, len, &config, items, 1024, &n, &err);
    if (st != CORS_OK) {
        fprintf(stderr, "%s:%d: byte %zu: %s\n", path, (int)err.line, err.offset, cors_strerror(st));
        goto done;
    }
    st = cors_policy_validate(&config, issues, 256, &count);
    count = count < 256 ? count : 256;
    cors_policy_locate(text, len, issues, count);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "%s:%d: %s: %s\n", path, (int)issues[i].line, cors_severity_name(issues[i].severity),
                cors_config_issue_name(issues[i].code));
    if (st != CORS_OK || cors_policy_compile(&config, NULL, 0, &needed, NULL) != CORS_E_BUFFER_TOO_SMALL ||
        (mem = aligned_alloc(8, (needed + 7) / 8 * 8)) == NULL)
        goto done;
    if (cors_policy_compile(&config, mem, needed, &needed, &p) != CORS_OK) {
        free(mem);
        p = NULL;
    }
done:
    /* the compiled policy copied what it needs: the text may go */
    free(text);
    return p;
}

/* ---- requests ---- */

typedef struct request_lines {
    cors_header h[MAX_REQUEST_HEADERS];
    size_t n;
    int too_many;
} request_lines;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    request_lines *r = cls;
    (void)kind;
    if (r->n == MAX_REQUEST_HEADERS) {
        r->too_many = 1;
        return MHD_NO;
    }
    r->h[r->n].name = (cors_str){key, strlen(key)};
    r->h[r->n].value = (cors_str){value ? value : "", value ? strlen(value) : 0};
    r->n++;
    return MHD_YES;
}

/* Add libcors's lines; libmicrohttpd wants NUL-terminated strings, the views are not. */
static int add_cors_lines(struct MHD_Response *resp, const cors_emitted_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[64], value[8192];
        if (h[i].name.len >= sizeof(name) || h[i].value.len >= sizeof(value))
            return -1;
        memcpy(name, h[i].name.ptr, h[i].name.len);
        name[h[i].name.len] = '\0';
        memcpy(value, h[i].value.ptr, h[i].value.len);
        value[h[i].value.len] = '\0';
        /* the handler set none of these names, so adding a line is setting it; Vary is appended */
        if (MHD_add_response_header(resp, name, value) != MHD_YES)
            return -1;
    }
    return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
                             const cors_emitted_header *h, size_t n)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    if (resp == NULL)
        return MHD_NO;
    if ((type != NULL && MHD_add_response_header(resp, "Content-Type", type) != MHD_YES) ||
        add_cors_lines(resp, h, n) != 0) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size, void **state)
{
    static int started;
    request_lines lines;
    cors_emitted_header out[CORS_ANSWER_MAX_HEADERS];
    cors_answer a;
    char body[512];
    (void)cls;
    (void)version;
    (void)upload_data;

    if (*state == NULL) { /* the head: wait for the body, if any */
        *state = &started;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { /* this API ignores bodies */
        *upload_data_size = 0;
        return MHD_YES;
    }
    lines.n = 0;
    lines.too_many = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &lines);
    if (lines.too_many)
        return reply(c, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "text/plain", "too many header lines\n", NULL, 0);
    cors_answer_init(&a, sizeof(a));
    if (cors_policy_answer(policy, method, strlen(method), lines.h, lines.n, &a, out, CORS_ANSWER_MAX_HEADERS) !=
        CORS_OK)
        return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "cors_policy_answer failed\n", NULL, 0);
    if (a.kind == CORS_ANSWER_PREFLIGHT) /* answered here: no body, no handler */
        return reply(c, (unsigned)a.status_code, NULL, "", out, a.header_count);

    /* the handler: a JSON answer with a header script may read when exposed */
    snprintf(body, sizeof(body), "{\"ok\":true,\"method\":\"%.32s\",\"path\":\"%.200s\",\"cors\":%s}\n", method, url,
             a.kind == CORS_ANSWER_NOT_CORS ? "\"none\"" : a.allowed ? "\"allowed\"" : "\"refused\"");
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    if (resp == NULL)
        return MHD_NO;
    if (MHD_add_response_header(resp, "Content-Type", "application/json") != MHD_YES ||
        MHD_add_response_header(resp, "X-Request-Id", "42") != MHD_YES ||
        MHD_add_response_header(resp, "Vary", "Accept-Encoding") != MHD_YES || /* libcors's Vary comes on top */
        add_cors_lines(resp, out, a.header_count) != 0) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *d;
    struct sigaction sa;
    long port;

    if (argc != 3 || (port = strtol(argv[2], NULL, 10)) <= 0 || port > 65535) {
        fprintf(stderr, "usage: server_mhd POLICY_FILE PORT\n");
        return 2;
    }
    if ((policy = load_policy(argv[1])) == NULL)
        return 2;
    /* a pool of threads answering from the one compiled policy */
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, handle,
                         NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "server_mhd: cannot listen on port %ld\n", port);
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    printf("server_mhd: listening on port %ld\n", port);
    fflush(stdout);
    while (!stopping)
        pause();
    MHD_stop_daemon(d);
    free((void *)policy);
    return 0;
}
