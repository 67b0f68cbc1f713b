/* The room-key export body (panolm_export_*), on attacker files. Input: the binary body (version | salt |
 * IV | rounds | ciphertext | MAC); the passphrase is "passphrase" (the seeds are nio files made with it and
 * two rounds). Properties: init fails only with the documented statuses; nothing decrypts before a
 * verified MAC; a verified body decrypts in any chunking, rechecks, and re-encrypts to the same bytes. */
#include "harness.h"

static const uint8_t PASSPHRASE[] = "passphrase";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < PANOLM_EXPORT_HEADER_LENGTH) return 0;
    uint8_t *body = fuzz_copy(data, size);
    size_t state_size = panolm_export_state_size();
    void *dec = aligned_alloc(16, (state_size + 15) / 16 * 16);
    void *enc = aligned_alloc(16, (state_size + 15) / 16 * 16);
    FUZZ_REQUIRE(dec && enc, "allocation");
    int rc = panolm_export_init(dec, PASSPHRASE, sizeof PASSPHRASE - 1, body, 4);
    FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_BAD_VERSION || rc == PANOLM_TOO_LARGE || rc == PANOLM_INVALID_ARGUMENT,
                 "init fails only for version, too many rounds or zero rounds");
    if (rc == PANOLM_OK && size >= PANOLM_EXPORT_HEADER_LENGTH + PANOLM_EXPORT_MAC_LENGTH) {
        const uint8_t *ct = body + PANOLM_EXPORT_HEADER_LENGTH;
        size_t n = size - PANOLM_EXPORT_HEADER_LENGTH - PANOLM_EXPORT_MAC_LENGTH;
        const uint8_t *mac = ct + n;
        uint8_t *out = malloc(n ? n : 1);
        FUZZ_REQUIRE(panolm_export_decrypt(dec, ct, n, out) == PANOLM_BAD_MAC || n == 0, "no decryption before the MAC");
        size_t split = n ? (size_t) body[size - 1] % (n + 1) : 0;
        FUZZ_REQUIRE(panolm_export_mac_update(dec, ct, split) == PANOLM_OK, "mac update");
        FUZZ_REQUIRE(panolm_export_mac_update(dec, ct + split, n - split) == PANOLM_OK, "mac update");
        rc = panolm_export_verify(dec, mac);
        if (rc == PANOLM_OK) {
            /* Odd chunk sizes exercise the kept keystream block. */
            FUZZ_REQUIRE(panolm_export_decrypt(dec, ct, split, out) == PANOLM_OK, "decrypt");
            FUZZ_REQUIRE(panolm_export_decrypt(dec, ct + split, n - split, out + split) == PANOLM_OK, "decrypt");
            FUZZ_REQUIRE(panolm_export_recheck(dec, mac) == PANOLM_OK, "the same bytes recheck");
            uint8_t *again = malloc(n ? n : 1);
            uint8_t mac2[32];
            FUZZ_REQUIRE(panolm_export_init(enc, PASSPHRASE, sizeof PASSPHRASE - 1, body, 4) == PANOLM_OK, "init");
            FUZZ_REQUIRE(panolm_export_encrypt(enc, out, n, again) == PANOLM_OK, "encrypt");
            FUZZ_REQUIRE(panolm_export_finish(enc, mac2) == PANOLM_OK, "finish");
            FUZZ_REQUIRE(memcmp(again, ct, n) == 0 && memcmp(mac2, mac, 32) == 0, "re-encryption gives the same body");
            free(again);
        } else {
            FUZZ_REQUIRE(rc == PANOLM_BAD_MAC, "verify fails only with BAD_MAC");
            FUZZ_REQUIRE(n == 0 || panolm_export_decrypt(dec, ct, n, out) == PANOLM_BAD_MAC, "nothing decrypts after");
        }
        free(out);
    }
    panolm_export_clear(dec);
    panolm_export_clear(enc);
    free(dec);
    free(enc);
    free(body);
    return 0;
}
