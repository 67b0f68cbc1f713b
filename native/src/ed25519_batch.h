/* Batch Ed25519 verification (ed25519_batch.c). Not part of the API. */
#ifndef PANOLM_ED25519_BATCH_H
#define PANOLM_ED25519_BATCH_H

#include <stdatomic.h>
#include "common.h"

/* One signature to check: the signed bytes, the 64-byte signature R | S and the 32-byte public key, and
 * optionally where the holder of a fixed key (a Megolm session) caches the key's checks across calls:
 * PL_ED25519_KEY_UNKNOWN until the first batch that sees it, then USABLE or SINGLE (libsodium only). */
typedef struct {
    const uint8_t *message;
    size_t length;
    const uint8_t *signature;
    const uint8_t *public_key;
    atomic_int *key_state;      /* NULL: no cache */
} pl_ed25519_input;

#define PL_ED25519_KEY_UNKNOWN 0
#define PL_ED25519_KEY_USABLE 1
#define PL_ED25519_KEY_SINGLE 2

/* Signatures judged by one multi-scalar multiplication at most; a longer call is cut into such chunks. */
#define PL_ED25519_CHUNK 64

/* Sets ok[i] to 1 when libsodium's crypto_sign_verify_detached accepts input i, else to 0 (see
 * ed25519_batch.c for the one documented difference, reachable only by the holder of a key). */
PANOLM_INTERNAL_FN void pl_ed25519_verify_batch(const pl_ed25519_input *in, size_t n, uint8_t *ok);

/* The same verdicts from one libsodium verification per signature: the baseline, and the fallback. */
PANOLM_INTERNAL_FN void pl_ed25519_verify_each(const pl_ed25519_input *in, size_t n, uint8_t *ok);

/* The signed digits the batch's multi-scalar multiplication uses (exposed for the fuzz harness): width-5 NAF
 * of a scalar below 2^253, odd digits in [-15, 15] with at least four zeros after each. */
PANOLM_INTERNAL_FN void pl_ed25519_naf5(int8_t r[256], const uint8_t a[32]);

#endif
