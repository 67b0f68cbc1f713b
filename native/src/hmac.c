/* HMAC-SHA-256 written on the SHA-256 block functions: OpenSSL 3's EVP_MAC costs microseconds of
 * provider overhead per call, four times the work itself for the short inputs Megolm uses. */
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include "common.h"

void pl_hmac256_init(pl_hmac256_key *k, const uint8_t *key, size_t key_len) {
    uint8_t block[64];
    uint8_t pad[64];
    memset(block, 0, sizeof block);
    if (key_len > sizeof block) {
        SHA256(key, key_len, block);
    } else if (key_len > 0) {
        memcpy(block, key, key_len);
    }
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&k->inner);
    SHA256_Update(&k->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&k->outer);
    SHA256_Update(&k->outer, pad, 64);
    pl_wipe(block, sizeof block);
    pl_wipe(pad, sizeof pad);
}

void pl_hmac256(const pl_hmac256_key *k, const uint8_t *m1, size_t l1,
                const uint8_t *m2, size_t l2, uint8_t out[32]) {
    SHA256_CTX c = k->inner;
    uint8_t ih[32];
    if (l1 > 0) SHA256_Update(&c, m1, l1);
    if (l2 > 0) SHA256_Update(&c, m2, l2);
    SHA256_Final(ih, &c);
    c = k->outer;
    SHA256_Update(&c, ih, sizeof ih);
    SHA256_Final(out, &c);
    pl_wipe(ih, sizeof ih);
    pl_wipe(&c, sizeof c);
}

void pl_hmac256_oneshot(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t out[32]) {
    pl_hmac256_key k;
    pl_hmac256_init(&k, key, key_len);
    pl_hmac256(&k, msg, msg_len, NULL, 0, out);
    pl_wipe(&k, sizeof k);
}

int32_t panolm_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t *out32) {
    PL_CHECK(out32 != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(key != NULL || key_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(msg != NULL || msg_len == 0, PANOLM_INVALID_ARGUMENT);
    pl_hmac256_oneshot(key, key_len, msg, msg_len, out32);
    return PANOLM_OK;
}

int32_t panolm_hmac_sha512(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t *out64) {
    static const uint8_t empty = 0;
    PL_CHECK(out64 != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(key != NULL || key_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(msg != NULL || msg_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(key_len <= INT32_MAX, PANOLM_TOO_LARGE);
    unsigned int len = 64;
    if (HMAC(EVP_sha512(), key_len ? key : &empty, (int) key_len, msg_len ? msg : &empty, msg_len, out64, &len) == NULL)
        return PANOLM_INTERNAL;
    return PANOLM_OK;
}
