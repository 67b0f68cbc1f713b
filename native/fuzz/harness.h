/* Shared by the libFuzzer harnesses: library set-up and a check that aborts (so libFuzzer records the
 * input as a crash) when a property of the code under test does not hold. */
#ifndef PANOLM_FUZZ_HARNESS_H
#define PANOLM_FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#define FUZZ_REQUIRE(cond, what) do { \
        if (!(cond)) { fprintf(stderr, "property violated: %s (%s:%d)\n", what, __FILE__, __LINE__); abort(); } \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void) argc; (void) argv;
    if (panolm_init() != PANOLM_OK) { fprintf(stderr, "panolm_init failed\n"); abort(); }
    return 0;
}

/* A heap copy of exactly n bytes (at least one allocated), so ASan sees any read past the input. */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    if (p == NULL) abort();
    if (n) memcpy(p, data, n);
    return p;
}

#endif
