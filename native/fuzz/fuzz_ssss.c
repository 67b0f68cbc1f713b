/* One secret-storage item (m.secret_storage.v1.aes-hmac-sha2) under the fixture key. Input:
 * name length (1) | name | IV (16) | MAC (32) | ciphertext. Properties: only OK, BAD_MAC or TOO_LARGE;
 * nothing is written to the plaintext unless the MAC verified; what decrypts re-encrypts to the same
 * ciphertext and MAC. */
#include "harness.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size < 1 + (size_t) data[0] + 48) return 0;
    size_t name_len = data[0];
    uint8_t *in = fuzz_copy(data + 1, size - 1);
    const uint8_t *name = in, *iv = in + name_len, *mac = iv + 16, *ct = mac + 32;
    size_t len = size - 1 - name_len - 48;
    uint8_t key[32];
    fixture_ssss_key(key);
    uint8_t *plain = malloc(len ? len : 1);
    memset(plain, 0xA5, len);
    int rc = panolm_ssss_decrypt(key, name, name_len, iv, ct, len, mac, plain);
    if (rc == PANOLM_OK) {
        uint8_t *again = malloc(len ? len : 1), mac2[32];
        FUZZ_REQUIRE(panolm_ssss_encrypt(key, name, name_len, iv, plain, len, again, mac2) == PANOLM_OK, "encrypt");
        FUZZ_REQUIRE(memcmp(again, ct, len) == 0 && memcmp(mac2, mac, 32) == 0, "re-encryption");
        free(again);
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_MAC, "decrypt status");
        for (size_t i = 0; i < len; i++) FUZZ_REQUIRE(plain[i] == 0xA5, "no plaintext written before the MAC");
    }
    FUZZ_REQUIRE(panolm_ssss_key_verify(key, iv, mac) == PANOLM_OK || panolm_ssss_key_verify(key, iv, mac) == PANOLM_BAD_MAC,
                 "key check status");
    free(plain);
    free(in);
    return 0;
}
