/* Signing as a key's holder would, step by step, so that tests can sign with a changed R or key (a torsion R, a
 * mixed-order key) that libsodium's crypto_sign would never produce. Shared by fuzz_ed25519_batch and
 * ed25519_differential. Test code only: nothing here is constant time. */
#ifndef PANOLM_FUZZ_ED25519_SIGNER_H
#define PANOLM_FUZZ_ED25519_SIGNER_H

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A point of order 8 (libsodium's small-order list). */
static const uint8_t ED25519_ORDER8[32] = {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89,
                                           0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39,
                                           0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};

/* k times the order-8 point, k in 1..7 (0 would be no change). */
static void ed25519_torsion(uint8_t out[32], unsigned k) {
    memcpy(out, ED25519_ORDER8, 32);
    for (unsigned i = 1; i < k; i++)
        if (crypto_core_ed25519_add(out, out, ED25519_ORDER8) != 0) abort();
}

/* The nonce r the holder of seed uses for msg, and R = r B. */
static void ed25519_nonce(const uint8_t seed[32], const uint8_t *msg, size_t len, uint8_t r[32],
                          uint8_t rpoint[32]) {
    uint8_t h[64], wide[64];
    crypto_hash_sha512(h, seed, 32);
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, h + 32, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(r, wide);
    if (crypto_scalarmult_ed25519_base_noclamp(rpoint, r) != 0) abort();
}

/* S = r + H(R | A | M) a for the holder of seed, with R's nonce r, under the (possibly changed) key A. */
static void ed25519_resign(const uint8_t seed[32], const uint8_t r[32], const uint8_t rpoint[32],
                           const uint8_t key[32], const uint8_t *msg, size_t len, uint8_t s[32]) {
    uint8_t h[64], a[64], hr[32], ha[32];
    crypto_hash_sha512(a, seed, 32);
    a[0] &= 248;
    a[31] &= 63;
    a[31] |= 64;
    memset(a + 32, 0, 32);
    crypto_core_ed25519_scalar_reduce(ha, a);
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, rpoint, 32);
    crypto_hash_sha512_update(&st, key, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, h);
    crypto_core_ed25519_scalar_reduce(hr, h);
    crypto_core_ed25519_scalar_mul(hr, hr, ha);
    crypto_core_ed25519_scalar_add(s, hr, r);
}

#endif
