/* Internal helpers shared by every translation unit of libpanolm. Not part of the API. */
#ifndef PANOLM_COMMON_H
#define PANOLM_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <openssl/sha.h>
#include "panolm.h"

#define PANOLM_INTERNAL_FN __attribute__((visibility("hidden")))

/* Wipes memory in a way the compiler may not elide. */
PANOLM_INTERNAL_FN void pl_wipe(void *buf, size_t len);
/* 1 when equal; time depends only on len. */
PANOLM_INTERNAL_FN int pl_ct_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* HMAC-SHA-256 with its key schedule done once: inner and outer states after the padded key. */
typedef struct {
    SHA256_CTX inner;
    SHA256_CTX outer;
} pl_hmac256_key;

PANOLM_INTERNAL_FN void pl_hmac256_init(pl_hmac256_key *k, const uint8_t *key, size_t key_len);
/* MAC of the concatenation of up to two parts (second may be NULL/0); out: 32 bytes. */
PANOLM_INTERNAL_FN void pl_hmac256(const pl_hmac256_key *k, const uint8_t *m1, size_t l1,
                                   const uint8_t *m2, size_t l2, uint8_t out[32]);
/* One-shot HMAC-SHA-256. */
PANOLM_INTERNAL_FN void pl_hmac256_oneshot(const uint8_t *key, size_t key_len,
                                           const uint8_t *msg, size_t msg_len, uint8_t out[32]);
/* HKDF-SHA-256 (RFC 5869); salt NULL or empty means 32 zero bytes. out_len <= 255*32. */
PANOLM_INTERNAL_FN int pl_hkdf256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                                  const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len);

/* AES-256-CBC/PKCS#7 and AES-256-CTR on OpenSSL EVP with the cipher fetched once. */
PANOLM_INTERNAL_FN int pl_cbc_encrypt(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t in_len,
                                      uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_INTERNAL_FN int pl_cbc_decrypt(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t in_len,
                                      uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_INTERNAL_FN int pl_ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out);
/* CTR with WebCrypto's 64-bit counter: the low half wraps without carry. */
PANOLM_INTERNAL_FN int pl_ctr64(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out);

/* Base64 (see panolm.h). */
PANOLM_INTERNAL_FN size_t pl_b64_encoded_len(size_t n);
PANOLM_INTERNAL_FN void pl_b64_encode(const uint8_t *in, size_t n, uint8_t *out);
PANOLM_INTERNAL_FN int pl_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t out_cap, size_t *out_len);
/* Public data only (table lookups): what pl_b64_decode accepts, with the same results and errors. */
PANOLM_INTERNAL_FN int pl_b64_decode_public(const uint8_t *in, size_t n, uint8_t *out, size_t out_cap, size_t *out_len);
/* Public data only (table lookups): buf[0..n) to its base64 in place; buf holds pl_b64_encoded_len(n). */
PANOLM_INTERNAL_FN void pl_b64_encode_public_in_place(uint8_t *buf, size_t n);

/* parallel.c: threads for a batch of `useful` independent units (0 requested = one per online CPU),
 * at most `max`; then worker(job) on the calling thread and threads - 1 helpers, all joined. */
#define PL_MAX_THREADS 256u
PANOLM_INTERNAL_FN uint32_t pl_thread_count(uint32_t requested, size_t useful, uint32_t max);
PANOLM_INTERNAL_FN void pl_run_parallel(void *(*worker)(void *), void *job, uint32_t threads);

/* Set once by panolm_init. */
PANOLM_INTERNAL_FN int pl_initialised(void);

#define PL_CHECK(cond, status) do { if (!(cond)) return (status); } while (0)

#endif
