/* AES-256-CBC decryption with strict PKCS#7 unpadding, and CTR, on attacker ciphertext. Input layout:
 * key (32) | IV (16) | ciphertext. Properties: decryption fails only with BAD_PADDING, never writes past
 * the output, and what it accepts re-encrypts to the same ciphertext (strict padding makes the
 * ciphertext of a plaintext unique); encryption round-trips; CTR and CTR64 are their own inverses. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 48) return 0;
    const uint8_t *key = data, *iv = data + 32;
    size_t len = size - 48;
    uint8_t *in = fuzz_copy(data + 48, len);

    uint8_t *plain = malloc(len ? len : 1);
    size_t n = 0;
    int rc = panolm_aes256_cbc_decrypt(key, iv, in, len, plain, len, &n);
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(n < len && len - n <= 16, "unpadding removes 1 to 16 bytes");
        uint8_t *again = malloc(len);
        size_t alen = 0;
        FUZZ_REQUIRE(panolm_aes256_cbc_encrypt(key, iv, plain, n, again, len, &alen) == PANOLM_OK, "re-encrypt");
        FUZZ_REQUIRE(alen == len && memcmp(again, in, len) == 0, "accepted ciphertext is the unique encryption");
        free(again);
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_PADDING, "CBC decrypt fails only with BAD_PADDING");
    }
    free(plain);

    /* The same bytes as plaintext: encrypt into exactly the announced length, then decrypt back. */
    size_t clen = panolm_aes256_cbc_ciphertext_length(len);
    uint8_t *ct = malloc(clen), *back = malloc(clen);
    size_t got = 0, back_len = 0;
    FUZZ_REQUIRE(panolm_aes256_cbc_encrypt(key, iv, in, len, ct, clen, &got) == PANOLM_OK && got == clen, "encrypt");
    FUZZ_REQUIRE(panolm_aes256_cbc_encrypt(key, iv, in, len, ct, clen - 1, &got) == PANOLM_OUTPUT_TOO_SMALL,
                 "short output refused");
    FUZZ_REQUIRE(panolm_aes256_cbc_decrypt(key, iv, ct, clen, back, clen, &back_len) == PANOLM_OK, "decrypt");
    FUZZ_REQUIRE(back_len == len && memcmp(back, in, len) == 0, "CBC round trip");
    free(ct);
    free(back);

    uint8_t *x = malloc(len ? len : 1), *y = malloc(len ? len : 1);
    FUZZ_REQUIRE(panolm_aes256_ctr(key, iv, in, len, x) == PANOLM_OK, "ctr");
    FUZZ_REQUIRE(panolm_aes256_ctr(key, iv, x, len, y) == PANOLM_OK && memcmp(y, in, len) == 0, "CTR round trip");
    FUZZ_REQUIRE(panolm_aes256_ctr64(key, iv, in, len, x) == PANOLM_OK, "ctr64");
    FUZZ_REQUIRE(panolm_aes256_ctr64(key, iv, x, len, y) == PANOLM_OK && memcmp(y, in, len) == 0, "CTR64 round trip");
    free(x);
    free(y);
    free(in);
    return 0;
}
