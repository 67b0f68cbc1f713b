/* HKDF-SHA-256 (on the pre-keyed HMAC of hmac.c) and PBKDF2-HMAC-SHA-512 (OpenSSL). */
#include <openssl/evp.h>
#include "common.h"

static const uint8_t ZERO_SALT[32];

int pl_hkdf256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
               const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len) {
    if (out_len > 255 * 32) return PANOLM_TOO_LARGE;
    if (salt == NULL || salt_len == 0) { salt = ZERO_SALT; salt_len = sizeof ZERO_SALT; }
    uint8_t prk[32], t[32];
    pl_hmac256_key k;
    pl_hmac256_oneshot(salt, salt_len, ikm, ikm_len, prk);
    pl_hmac256_init(&k, prk, sizeof prk);
    size_t done = 0;
    uint8_t counter = 1;
    size_t t_len = 0;
    uint8_t buf[32 + 1];
    while (done < out_len) {
        /* T(n) = HMAC(PRK, T(n-1) || info || n) */
        SHA256_CTX c = k.inner;
        if (t_len) SHA256_Update(&c, t, t_len);
        if (info_len) SHA256_Update(&c, info, info_len);
        SHA256_Update(&c, &counter, 1);
        SHA256_Final(buf, &c);
        c = k.outer;
        SHA256_Update(&c, buf, 32);
        SHA256_Final(t, &c);
        pl_wipe(&c, sizeof c);
        t_len = 32;
        size_t n = out_len - done < 32 ? out_len - done : 32;
        memcpy(out + done, t, n);
        done += n;
        counter++;
    }
    pl_wipe(prk, sizeof prk);
    pl_wipe(t, sizeof t);
    pl_wipe(buf, sizeof buf);
    pl_wipe(&k, sizeof k);
    return PANOLM_OK;
}

int32_t panolm_hkdf_sha256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                           const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len) {
    PL_CHECK(salt != NULL || salt_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(ikm != NULL || ikm_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(info != NULL || info_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_len == 0, PANOLM_INVALID_ARGUMENT);
    /* An explicitly empty salt is the same as none: HMAC zero-pads keys to the block size. */
    return pl_hkdf256(salt, salt_len, ikm, ikm_len, info, info_len, out, out_len);
}

int32_t panolm_pbkdf2_sha512(const uint8_t *password, size_t password_len, const uint8_t *salt, size_t salt_len,
                             uint32_t iterations, uint8_t *out, size_t out_len) {
    static const uint8_t empty = 0;
    PL_CHECK(password != NULL || password_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(salt != NULL || salt_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL && out_len > 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(iterations >= 1, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(iterations <= PANOLM_PBKDF2_MAX_ITERATIONS, PANOLM_TOO_LARGE);
    PL_CHECK(password_len <= INT32_MAX && salt_len <= INT32_MAX && out_len <= INT32_MAX, PANOLM_TOO_LARGE);
    if (PKCS5_PBKDF2_HMAC((const char *) (password_len ? password : &empty), (int) password_len,
                          salt_len ? salt : &empty, (int) salt_len, (int) iterations, EVP_sha512(),
                          (int) out_len, out) != 1)
        return PANOLM_INTERNAL;
    return PANOLM_OK;
}
