/* Shared by the bare libolm loops: reading the data files benchmarks/e2e-run writes, and a clock. */
#ifndef E2E_COMMON_H
#define E2E_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* The next space- or newline-separated word of *p, terminated in place; NULL at the end of the text. */
static char *next_word(char **p) {
    char *s = *p;
    while (*s == ' ' || *s == '\n') s++;
    if (*s == '\0') return NULL;
    char *start = s;
    while (*s != '\0' && *s != ' ' && *s != '\n') s++;
    if (*s != '\0') *s++ = '\0';
    *p = s;
    return start;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t) n + 1);
    if (text == NULL || fread(text, 1, (size_t) n, f) != (size_t) n) { fprintf(stderr, "%s: read failed\n", path); exit(1); }
    text[n] = '\0';
    fclose(f);
    return text;
}

#endif
