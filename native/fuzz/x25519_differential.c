/* A long differential run of the eight-lane X25519 (x25519_many.c) against libsodium, in C so that millions of
 * agreements take minutes (BatchKeyAgreementDifferentialTest is the same comparison in the test suite, through
 * the backup batches), then the time per agreement of each. Points: random (half of them on the twist), 0, 1
 * and 2, values near p and near 2^256 (bit 255 set); one scalar for all lanes or one per lane; 1..8 lanes.
 * Prints the counts and the timings; exits 1 on any disagreement.
 * Build and run from the repository root (links the library's sources with the system's libsodium):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -DPANOLM_VERSION='"dev"' -Inative/include -Inative/src \
 *      native/fuzz/x25519_differential.c native/src/x25519_many.c native/src/util.c -lsodium -lcrypto \
 *      -o /tmp/x25519_differential
 *   /tmp/x25519_differential 100000 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "x25519_many.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

static void point(uint8_t u[32]) {
    randombytes_buf(u, 32);
    switch (randombytes_uniform(8)) {
        case 0: memset(u, 0xff, 32); u[0] = (uint8_t) (0xff - randombytes_uniform(40)); break;      /* near 2^256 */
        case 1: memset(u, 0, 32); u[0] = (uint8_t) randombytes_uniform(3); break;                   /* 0, 1, 2 */
        case 2: memset(u, 0xff, 32); u[31] = 0x7f; u[0] = (uint8_t) (0xff - randombytes_uniform(40)); break; /* near p */
        default: break;
    }
}

int main(int argc, char **argv) {
    if (panolm_init() != PANOLM_OK) return 2;
    long rounds = argc > 1 ? atol(argv[1]) : 100000, bad = 0, refused = 0, lanes = 0;
    printf("eight-lane ladder available: %s\n", pl_x25519_vector_available() ? "yes" : "no (both sides are libsodium)");
    uint8_t scalars[PL_X25519_LANES][32], points[PL_X25519_LANES][32], fast[PL_X25519_LANES][32],
            reference[PL_X25519_LANES][32];
    int fast_ok[PL_X25519_LANES], reference_ok[PL_X25519_LANES];
    for (long r = 0; r < rounds; r++) {
        size_t n = 1 + randombytes_uniform(PL_X25519_LANES), stride = randombytes_uniform(2) ? 32 : 0;
        randombytes_buf(scalars, sizeof scalars);
        for (size_t i = 0; i < PL_X25519_LANES; i++) point(points[i]);
        /* one scalar with n points, or n scalars with one point */
        const uint8_t *s = scalars[0], *p = points[0];
        size_t s_stride = stride, p_stride = 32 - stride;
        pl_x25519_many(fast, fast_ok, s, s_stride, p, p_stride, n, 1);
        pl_x25519_many(reference, reference_ok, s, s_stride, p, p_stride, n, 0);
        for (size_t i = 0; i < n; i++) {
            lanes++;
            refused += !reference_ok[i];
            if (fast_ok[i] != reference_ok[i] || memcmp(fast[i], reference[i], 32) != 0) {
                if (bad++ < 5) printf("disagreement: round %ld lane %zu\n", r, i);
            }
        }
    }
    printf("%ld agreements compared, %ld refused by libsodium, %ld disagreements\n", lanes, refused, bad);
    enum { TIMED = 4000 };
    double t = now();
    for (int r = 0; r < TIMED; r++) pl_x25519_many(fast, fast_ok, scalars[0], 32, points[0], 0, PL_X25519_LANES, 1);
    double vector = (now() - t) / (TIMED * PL_X25519_LANES);
    t = now();
    for (int r = 0; r < TIMED; r++) pl_x25519_many(fast, fast_ok, scalars[0], 32, points[0], 0, PL_X25519_LANES, 0);
    double sodium = (now() - t) / (TIMED * PL_X25519_LANES);
    printf("per agreement: eight-lane %.2f us, libsodium %.2f us\n", vector * 1e6, sodium * 1e6);
    return bad == 0 ? 0 : 1;
}
