/* Secret storage items (m.secret_storage.v1.aes-hmac-sha2): HKDF with the secret's name, AES-256-CTR
 * with WebCrypto's 64-bit counter (matrix-js-sdk writes these), HMAC-SHA-256 over the ciphertext. */
#include "common.h"

static const uint8_t ZERO32[32];

/* aes = okm[0:32], mac = okm[32:64] */
static int derive(const uint8_t key[32], const uint8_t *name, size_t name_len, uint8_t okm[64]) {
    return pl_hkdf256(ZERO32, sizeof ZERO32, key, 32, name, name_len, okm, 64);
}

int32_t panolm_ssss_encrypt(const uint8_t *key32, const uint8_t *name, size_t name_len, const uint8_t *iv16,
                            const uint8_t *plaintext, size_t len, uint8_t *ciphertext, uint8_t *mac32) {
    PL_CHECK(key32 && iv16 && mac32, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(name != NULL || name_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((plaintext && ciphertext) || len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(len <= PANOLM_SSSS_MAX_ITEM && name_len <= PANOLM_SSSS_MAX_ITEM, PANOLM_TOO_LARGE);
    uint8_t okm[64];
    int rc = derive(key32, name, name_len, okm);
    if (rc == PANOLM_OK) rc = pl_ctr64(okm, iv16, plaintext, len, ciphertext);
    if (rc == PANOLM_OK) pl_hmac256_oneshot(okm + 32, 32, ciphertext, len, mac32);
    else if (len) pl_wipe(ciphertext, len);
    pl_wipe(okm, sizeof okm);
    return rc;
}

int32_t panolm_ssss_decrypt(const uint8_t *key32, const uint8_t *name, size_t name_len, const uint8_t *iv16,
                            const uint8_t *ciphertext, size_t len, const uint8_t *mac32, uint8_t *plaintext) {
    PL_CHECK(key32 && iv16 && mac32, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(name != NULL || name_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((plaintext && ciphertext) || len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(len <= PANOLM_SSSS_MAX_ITEM && name_len <= PANOLM_SSSS_MAX_ITEM, PANOLM_TOO_LARGE);
    uint8_t okm[64], tag[32];
    int rc = derive(key32, name, name_len, okm);
    if (rc == PANOLM_OK) {
        pl_hmac256_oneshot(okm + 32, 32, ciphertext, len, tag);
        /* The MAC comes first: nothing is decrypted from unauthenticated input. */
        if (!pl_ct_equal(tag, mac32, 32)) rc = PANOLM_BAD_MAC;
    }
    if (rc == PANOLM_OK) {
        rc = pl_ctr64(okm, iv16, ciphertext, len, plaintext);
        if (rc != PANOLM_OK && len) pl_wipe(plaintext, len);
    }
    pl_wipe(okm, sizeof okm);
    pl_wipe(tag, sizeof tag);
    return rc;
}

int32_t panolm_ssss_key_check(const uint8_t *key32, const uint8_t *iv16, uint8_t *mac32) {
    uint8_t ct[32];
    int rc = panolm_ssss_encrypt(key32, (const uint8_t *) "", 0, iv16, ZERO32, sizeof ZERO32, ct, mac32);
    pl_wipe(ct, sizeof ct);
    return rc;
}

int32_t panolm_ssss_key_verify(const uint8_t *key32, const uint8_t *iv16, const uint8_t *mac32) {
    PL_CHECK(mac32 != NULL, PANOLM_INVALID_ARGUMENT);
    uint8_t tag[32];
    int rc = panolm_ssss_key_check(key32, iv16, tag);
    if (rc == PANOLM_OK && !pl_ct_equal(tag, mac32, 32)) rc = PANOLM_BAD_MAC;
    pl_wipe(tag, sizeof tag);
    return rc;
}
