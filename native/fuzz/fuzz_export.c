/* Room-key export file body (after armour): header (37) | ciphertext | MAC (32), decrypted in two passes
 * with the fixture's passphrase; PBKDF2 rounds above FIXTURE_EXPORT_MAX_ROUNDS are refused to keep inputs
 * fast (the refusal itself is a checked outcome). The first input byte splits the MAC pass into two chunks.
 * Properties: decrypt refuses to run before the MAC verified; only documented statuses; chunked
 * decryption equals one-shot decryption; re-encrypting with the same header gives the same body; clearing
 * the state wipes every byte of it. */
#include "harness.h"
#include "fixture.h"

/* panolm_export_clear must leave no key bytes behind. */
static void require_wiped(const void *state) {
    const uint8_t *p = state;
    for (size_t i = 0; i < panolm_export_state_size(); i++) FUZZ_REQUIRE(p[i] == 0, "clear wipes the whole state");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 + PANOLM_EXPORT_HEADER_LENGTH + PANOLM_EXPORT_MAC_LENGTH) return 0;
    size_t split_hint = data[0];
    uint8_t *body = fuzz_copy(data + 1, size - 1);
    size_t body_len = size - 1;
    const uint8_t *header = body;
    const uint8_t *ct = body + PANOLM_EXPORT_HEADER_LENGTH;
    size_t ct_len = body_len - PANOLM_EXPORT_HEADER_LENGTH - PANOLM_EXPORT_MAC_LENGTH;
    const uint8_t *mac = ct + ct_len;
    const uint8_t *pass = (const uint8_t *) FIXTURE_EXPORT_PASSPHRASE;
    size_t pass_len = strlen(FIXTURE_EXPORT_PASSPHRASE);

    void *state = aligned_alloc(16, (panolm_export_state_size() + 15) / 16 * 16);
    int rc = panolm_export_init(state, pass, pass_len, header, FIXTURE_EXPORT_MAX_ROUNDS);
    if (rc != PANOLM_OK) {
        FUZZ_REQUIRE(rc == PANOLM_BAD_VERSION || rc == PANOLM_TOO_LARGE || rc == PANOLM_INVALID_ARGUMENT, "init status");
        panolm_export_clear(state);
        require_wiped(state);
        free(state);
        free(body);
        return 0;
    }
    uint8_t *plain = malloc(ct_len ? ct_len : 1), *plain2 = malloc(ct_len ? ct_len : 1);
    FUZZ_REQUIRE(ct_len == 0 || panolm_export_decrypt(state, ct, ct_len, plain) != PANOLM_OK,
                 "nothing decrypts before the MAC verified");
    size_t split = ct_len ? split_hint % (ct_len + 1) : 0;
    FUZZ_REQUIRE(panolm_export_mac_update(state, ct, split) == PANOLM_OK, "mac part 1");
    FUZZ_REQUIRE(panolm_export_mac_update(state, ct + split, ct_len - split) == PANOLM_OK, "mac part 2");
    rc = panolm_export_verify(state, mac);
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(panolm_export_decrypt(state, ct, split, plain) == PANOLM_OK, "decrypt part 1");
        FUZZ_REQUIRE(panolm_export_decrypt(state, ct + split, ct_len - split, plain + split) == PANOLM_OK, "part 2");
        FUZZ_REQUIRE(panolm_export_recheck(state, mac) == PANOLM_OK, "what was decrypted is what was verified");
        /* One pass again on a fresh state must agree, and encryption must give back the same body. */
        panolm_export_clear(state);
        FUZZ_REQUIRE(panolm_export_init(state, pass, pass_len, header, FIXTURE_EXPORT_MAX_ROUNDS) == PANOLM_OK, "re-init");
        uint8_t mac2[32];
        FUZZ_REQUIRE(panolm_export_encrypt(state, plain, ct_len, plain2) == PANOLM_OK, "encrypt");
        FUZZ_REQUIRE(panolm_export_finish(state, mac2) == PANOLM_OK, "finish");
        FUZZ_REQUIRE(memcmp(plain2, ct, ct_len) == 0 && memcmp(mac2, mac, 32) == 0, "encrypt(decrypt(body)) == body");
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_MAC, "verify status");
        FUZZ_REQUIRE(ct_len == 0 || panolm_export_decrypt(state, ct, ct_len, plain) != PANOLM_OK,
                     "nothing decrypts after a failed MAC");
    }
    panolm_export_clear(state);
    require_wiped(state);
    panolm_export_clear(state); /* idempotent */
    free(plain);
    free(plain2);
    free(state);
    free(body);
    return 0;
}
