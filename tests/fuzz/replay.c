/* SPDX-License-Identifier: MIT */
/*
 * replay.c - a main for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once per file, so the targets build with any C
 * compiler and `make check` replays their corpora (under ASan and valgrind
 * too: make sanitize, make valgrind).
 *
 *   test_fuzz_NAME [FILE|DIR]...
 *
 * With arguments: every file given or found in a directory given, in this
 * process (for a debugger); a failing check aborts after naming the input.
 *
 * Without arguments, as make check runs it ($CORS_FUZZ_DIR, default tests/fuzz):
 *  - every file of corpus/NAME in this process, one test each (a failed
 *    check aborts the program, which names the input);
 *  - every file of regress/NAME (reproducers of bugs found) in a child
 *    process with a 256 KiB stack (a small thread's), so that one failing reproducer does not hide
 *    the others and deep recursion shows without megabytes of input: one
 *    test each.
 * Ends with "replay: N passed, N failed", counted by tests/run.sh.
 *
 * Each input is copied into a buffer of exactly its size, so an over-read is
 * an overflow for ASan and valgrind.
 */
#define _XOPEN_SOURCE 700 /* sigaltstack */

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET_NAME
#error "build with -DFUZZ_TARGET_NAME=\"fuzz_...\""
#endif

/* The input being replayed, for the crash message (a child's parent names it instead). */
static const char *current;
static int in_child;

static void say_current(void)
{
    if (current != NULL && !in_child) {
        const char *a = "  replay " FUZZ_TARGET_NAME ": failed on ";
        /* only async-signal-safe calls: this runs from a signal handler */
        if (write(2, a, strlen(a)) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
            return;
    }
}

static void on_signal(int sig)
{
    say_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* On an alternate stack, so that a stack overflow is reported too. */
static void catch_signals(void)
{
    static char alternate[1 << 16];
    static const int signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    stack_t ss;
    struct sigaction sa;
    memset(&ss, 0, sizeof(ss));
    ss.ss_sp = alternate;
    ss.ss_size = sizeof(alternate);
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        sigaction(signals[i], &sa, NULL);
}

/* ASan and UBSan end the process without a signal; their runtimes take a callback. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    if (f == NULL) {
        fprintf(stderr, "  replay %s: cannot open %s\n", FUZZ_TARGET_NAME, path);
        return -1;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *grown = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (grown == NULL)
                abort();
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    {
        /* exactly n bytes, so that reading past the input is caught */
        unsigned char *exact = malloc(n ? n : 1);
        if (exact == NULL)
            abort();
        memcpy(exact, buf, n);
        free(buf);
        current = path;
        LLVMFuzzerTestOneInput(exact, n);
        current = NULL;
        free(exact);
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct file_list {
    char **names;
    size_t count;
} file_list;

static void list_free(file_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->count = 0;
}

/* The regular files of a directory, in name order; -1 when it cannot be read. */
static int list_dir(const char *dir, file_list *l)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;
    l->names = NULL;
    l->count = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char *path;
        if (e->d_name[0] == '.')
            continue;
        path = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (path == NULL)
            abort();
        sprintf(path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (l->count == cap) {
            char **grown = realloc(l->names, (cap = cap ? 2 * cap : 256) * sizeof(*l->names));
            if (grown == NULL)
                abort();
            l->names = grown;
        }
        l->names[l->count++] = path;
    }
    closedir(d);
    if (l->count > 0)
        qsort(l->names, l->count, sizeof(*l->names), by_name);
    return 0;
}

/* Replay files or directories in this process; returns the inputs replayed or -1. */
static long replay_paths(char **paths, int n)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        file_list l;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (list_dir(paths[i], &l) != 0) {
                fprintf(stderr, "  replay %s: cannot read %s\n", FUZZ_TARGET_NAME, paths[i]);
                return -1;
            }
            for (size_t k = 0; k < l.count; k++)
                if (replay_file(l.names[k]) != 0)
                    total = -1;
                else if (total >= 0)
                    total++;
            list_free(&l);
        } else if (replay_file(paths[i]) != 0) {
            total = -1;
        } else if (total >= 0) {
            total++;
        }
    }
    return total;
}

/* One reproducer in a child with a small stack: 1 when it passes. */
static int replay_isolated(const char *path)
{
    int status;
    pid_t pid;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        struct rlimit stack = {256 << 10, 256 << 10};
        in_child = 1;
        setrlimit(RLIMIT_STACK, &stack);
        exit(replay_file(path) == 0 ? 0 : 1);
    }
    if (waitpid(pid, &status, 0) != pid)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 1;
    fprintf(stderr, "  replay %s: %s: FAILED (%s %d)\n", FUZZ_TARGET_NAME, path,
            WIFSIGNALED(status) ? "signal" : "exit status", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 0;
}

int main(int argc, char **argv)
{
    const char *root = getenv("CORS_FUZZ_DIR");
    char dir[4096];
    file_list corpus, regress;
    int passed = 0, failed = 0;

    catch_signals();
    if (__sanitizer_set_death_callback != NULL)
        __sanitizer_set_death_callback(say_current);

    if (argc > 1) {
        long n = replay_paths(argv + 1, argc - 1);
        printf("replay %s: %ld inputs\n", FUZZ_TARGET_NAME, n < 0 ? 0 : n);
        return n < 0;
    }
    if (root == NULL)
        root = "tests/fuzz";
    snprintf(dir, sizeof(dir), "%s/corpus/%s", root, FUZZ_TARGET_NAME);
    if (list_dir(dir, &corpus) != 0 || corpus.count == 0) {
        fprintf(stderr, "  replay %s: no inputs in %s\n", FUZZ_TARGET_NAME, dir);
        failed++;
    } else {
        for (size_t i = 0; i < corpus.count; i++)
            if (replay_file(corpus.names[i]) != 0)
                failed++;
            else
                passed++;
    }
    snprintf(dir, sizeof(dir), "%s/regress/%s", root, FUZZ_TARGET_NAME);
    if (list_dir(dir, &regress) != 0)
        regress.count = 0;
    for (size_t i = 0; i < regress.count; i++) {
        int ok = replay_isolated(regress.names[i]);
        passed += ok;
        failed += !ok;
    }
    printf("replay %s: %zu corpus inputs, %zu reproducers\n", FUZZ_TARGET_NAME, corpus.count, regress.count);
    printf("replay: %d passed, %d failed\n", passed, failed);
    list_free(&corpus);
    list_free(&regress);
    return failed != 0;
}
