/* Ed25519 verification and X25519 agreement on attacker keys and signatures (device keys, Megolm
 * signing keys, backup ephemeral keys all come from others). Input: public key (32) | signature (64) |
 * message. Properties: only OK or BAD_SIGNATURE; an accepted signature has a canonical S (below the
 * group order L); X25519 fails only as NON_CONTRIBUTORY and then leaves an all-zero output. */
#include "harness.h"

/* L = 2^252 + 27742317777372353535851937790883648493, little endian. */
static const uint8_t ORDER[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};

static int below_order(const uint8_t s[32]) {
    for (int i = 31; i >= 0; i--) {
        if (s[i] != ORDER[i]) return s[i] < ORDER[i];
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 96) return 0;
    uint8_t *in = fuzz_copy(data, size);
    int rc = panolm_ed25519_verify(in, in + 96, size - 96, in + 32);
    FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_BAD_SIGNATURE, "verify status");
    if (rc == PANOLM_OK) FUZZ_REQUIRE(below_order(in + 64), "accepted S is canonical");

    uint8_t shared[32];
    rc = panolm_x25519(in + 32, in, shared);
    if (rc != PANOLM_OK) {
        static const uint8_t zero[32];
        FUZZ_REQUIRE(rc == PANOLM_NON_CONTRIBUTORY, "X25519 status");
        FUZZ_REQUIRE(memcmp(shared, zero, 32) == 0, "refused secret is wiped");
    }
    free(in);
    return 0;
}
