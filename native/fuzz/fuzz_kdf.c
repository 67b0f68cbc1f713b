/* The key derivations and MACs against OpenSSL's own (EVP_KDF HKDF, PKCS5_PBKDF2_HMAC, HMAC) as the
 * reference. Input: mode (1) | out length (u16 BE) | parameter (1) | three fields, each a length byte and
 * bytes (salt, key/password, info). mode % 4: 0 HKDF-SHA-256, 1 PBKDF2-HMAC-SHA-512 with 1..64 iterations
 * (the parameter; capped so one input stays fast), 2 HMAC-SHA-256, 3 HMAC-SHA-512. Properties: equal
 * outputs; HKDF above 255 * 32 bytes is TOO_LARGE; PBKDF2 with 0 iterations is INVALID_ARGUMENT and above
 * the documented cap TOO_LARGE, before any work. */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include "harness.h"

static int reference_hkdf(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                          const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    static uint8_t empty[1];
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm_len ? (void *) ikm : empty, ikm_len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_len ? (void *) salt : empty, salt_len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_len ? (void *) info : empty, info_len),
        OSSL_PARAM_construct_end(),
    };
    int ok = ctx != NULL && EVP_KDF_derive(ctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return ok;
}

/* The next length-prefixed field of the input (empty once the input is used up). */
static const uint8_t *field(const uint8_t **p, const uint8_t *end, size_t *len) {
    size_t n = *p < end ? **p : 0;
    if (*p < end) (*p)++;
    if (n > (size_t) (end - *p)) n = (size_t) (end - *p);
    const uint8_t *at = *p;
    *p += n;
    *len = n;
    return at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    unsigned mode = data[0] % 4;
    size_t out_len = (size_t) data[1] << 8 | data[2];
    unsigned parameter = data[3];
    const uint8_t *p = data + 4, *end = data + size;
    size_t salt_len, key_len, info_len;
    const uint8_t *salt_at = field(&p, end, &salt_len);
    const uint8_t *key_at = field(&p, end, &key_len);
    const uint8_t *info_at = field(&p, end, &info_len);
    uint8_t *salt = fuzz_copy(salt_at, salt_len), *key = fuzz_copy(key_at, key_len), *info = fuzz_copy(info_at, info_len);
    uint8_t *ours = malloc(out_len + 64), *theirs = malloc(out_len + 64);
    if (ours == NULL || theirs == NULL) abort();

    if (mode == 0) {
        int rc = panolm_hkdf_sha256(salt, salt_len, key, key_len, info, info_len, ours, out_len);
        if (out_len > 255 * 32) {
            FUZZ_REQUIRE(rc == PANOLM_TOO_LARGE, "HKDF longer than 255 blocks is refused");
        } else if (out_len == 0) {
            FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_INVALID_ARGUMENT, "HKDF of no bytes");
        } else {
            FUZZ_REQUIRE(rc == PANOLM_OK, "HKDF runs");
            FUZZ_REQUIRE(reference_hkdf(salt, salt_len, key, key_len, info, info_len, theirs, out_len), "OpenSSL HKDF");
            FUZZ_REQUIRE(memcmp(ours, theirs, out_len) == 0, "HKDF equals OpenSSL's");
        }
    } else if (mode == 1) {
        uint32_t iterations = 1 + parameter % 64;
        size_t n = out_len % 257;   /* PBKDF2 output is cheap per block, but keep inputs quick */
        int rc = panolm_pbkdf2_sha512(key, key_len, salt, salt_len, iterations, ours, n);
        if (n == 0) {
            FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_INVALID_ARGUMENT, "PBKDF2 of no bytes");
        } else {
            FUZZ_REQUIRE(rc == PANOLM_OK, "PBKDF2 runs");
            FUZZ_REQUIRE(PKCS5_PBKDF2_HMAC((const char *) key, (int) key_len, salt, (int) salt_len, (int) iterations,
                                           EVP_sha512(), (int) n, theirs) == 1, "OpenSSL PBKDF2");
            FUZZ_REQUIRE(memcmp(ours, theirs, n) == 0, "PBKDF2 equals OpenSSL's");
        }
        /* The cap and the floor are checked before any work: these return at once. */
        FUZZ_REQUIRE(panolm_pbkdf2_sha512(key, key_len, salt, salt_len, 0, ours, 32) == PANOLM_INVALID_ARGUMENT,
                     "0 iterations refused");
        FUZZ_REQUIRE(panolm_pbkdf2_sha512(key, key_len, salt, salt_len, PANOLM_PBKDF2_MAX_ITERATIONS + 1 + parameter,
                                          ours, 32) == PANOLM_TOO_LARGE, "iterations above the cap refused");
    } else {
        int sha512 = mode == 3;
        size_t mac_len = sha512 ? 64 : 32;
        int rc = sha512 ? panolm_hmac_sha512(key, key_len, info, info_len, ours)
                        : panolm_hmac_sha256(key, key_len, info, info_len, ours);
        FUZZ_REQUIRE(rc == PANOLM_OK, "HMAC runs");
        unsigned theirs_len = 0;
        static uint8_t empty[1];
        FUZZ_REQUIRE(HMAC(sha512 ? EVP_sha512() : EVP_sha256(), key_len ? key : empty, (int) key_len,
                          info_len ? info : empty, info_len, theirs, &theirs_len) != NULL, "OpenSSL HMAC");
        FUZZ_REQUIRE(theirs_len == mac_len && memcmp(ours, theirs, mac_len) == 0, "HMAC equals OpenSSL's");
    }
    free(salt);
    free(key);
    free(info);
    free(ours);
    free(theirs);
    return 0;
}
