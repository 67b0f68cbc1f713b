/* One backed-up session (m.megolm_backup.v1.curve25519-aes-sha2) under the fixture's backup key. Input:
 * ephemeral public key (32) | MAC (8) | ciphertext. Properties: only NON_CONTRIBUTORY, BAD_MAC,
 * BAD_PADDING or OK; the plaintext is shorter than the ciphertext by 1..16 bytes; the batch entry point
 * with 1 and 2 threads agrees with the single one on the same item, duplicated. */
#include "harness.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 40) return 0;
    uint8_t *in = fuzz_copy(data, size);
    const uint8_t *eph = in, *mac = in + 32, *ct = in + 40;
    size_t len = size - 40;
    uint8_t key[32];
    fixture_backup_private(key);
    uint8_t *plain = malloc(len ? len : 1);
    size_t n = 0;
    int rc = panolm_backup_decrypt(key, eph, mac, ct, len, plain, len, &n);
    FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_NON_CONTRIBUTORY || rc == PANOLM_BAD_MAC || rc == PANOLM_BAD_PADDING,
                 "decrypt status");
    if (rc == PANOLM_OK) FUZZ_REQUIRE(n < len && len - n <= 16, "unpadded length");

    /* The same item twice in one batch. */
    uint8_t *two = malloc(2 * len ? 2 * len : 1), *out = malloc(2 * len ? 2 * len : 1);
    if (len) { memcpy(two, ct, len); memcpy(two + len, ct, len); }
    uint64_t offsets[3] = {0, len, 2 * len}, lengths[2];
    uint8_t ephs[64], macs[16];
    int32_t statuses[2];
    memcpy(ephs, eph, 32); memcpy(ephs + 32, eph, 32);
    memcpy(macs, mac, 8); memcpy(macs + 8, mac, 8);
    for (uint32_t threads = 1; threads <= 2; threads++) {
        FUZZ_REQUIRE(panolm_backup_decrypt_batch(key, 2, two, 2 * len, offsets, ephs, macs, out, 2 * len, lengths,
                                                 statuses, threads) == PANOLM_OK, "batch runs");
        for (int i = 0; i < 2; i++) {
            FUZZ_REQUIRE(statuses[i] == rc, "batch status equals single");
            if (rc == PANOLM_OK) FUZZ_REQUIRE(lengths[i] == n && memcmp(out + i * len, plain, n) == 0, "batch plaintext");
        }
    }
    free(two);
    free(out);
    free(plain);
    free(in);
    return 0;
}
