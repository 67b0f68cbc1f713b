/* Up to eight X25519 agreements at once (x25519_many.c). Internal. */
#ifndef PANOLM_X25519_MANY_H
#define PANOLM_X25519_MANY_H

#include "common.h"

#define PL_X25519_LANES 8

/* shared[i] = X25519(scalar i, point i) for i < n <= PL_X25519_LANES, scalar i at scalars + scalar_stride * i
 * and point i at points + point_stride * i (stride 0: the same for all, 32: one each); ok[i] = 0 where
 * libsodium refuses the result (all zero: a small-order point), and then shared[i] holds zeros. vector = 0
 * forces libsodium (the reference the tests compare with). Returns -1 only for n too large or another stride. */
PANOLM_INTERNAL_FN int pl_x25519_many(uint8_t (*shared)[32], int *ok, const uint8_t *scalars, size_t scalar_stride,
                                      const uint8_t *points, size_t point_stride, size_t n, int vector);
/* 1 when this CPU runs the eight-lane ladder (AVX-512 IFMA). */
PANOLM_INTERNAL_FN int pl_x25519_vector_available(void);

#endif
