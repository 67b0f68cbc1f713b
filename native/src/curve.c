/* X25519 and Ed25519 on libsodium: its Ed25519 verification is about twice as fast as OpenSSL's
 * and rejects non-canonical S and small-order keys, unlike libolm's (CVE-2024-45193). */
#include <sodium.h>
#include "common.h"

int32_t panolm_x25519_public(const uint8_t *private32, uint8_t *public32) {
    PL_CHECK(private32 && public32, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    return crypto_scalarmult_base(public32, private32) == 0 ? PANOLM_OK : PANOLM_BAD_KEY;
}

int32_t panolm_x25519(const uint8_t *private32, const uint8_t *peer_public32, uint8_t *shared32) {
    PL_CHECK(private32 && peer_public32 && shared32, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    /* libsodium fails exactly when the result is all zero: a low-order peer key. */
    if (crypto_scalarmult(shared32, private32, peer_public32) != 0) {
        pl_wipe(shared32, 32);
        return PANOLM_NON_CONTRIBUTORY;
    }
    return PANOLM_OK;
}

int32_t panolm_ed25519_public(const uint8_t *seed32, uint8_t *public32) {
    PL_CHECK(seed32 && public32, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t sk[64];
    int rc = crypto_sign_seed_keypair(public32, sk, seed32);
    pl_wipe(sk, sizeof sk);
    return rc == 0 ? PANOLM_OK : PANOLM_INTERNAL;
}

int32_t panolm_ed25519_sign(const uint8_t *seed32, const uint8_t *msg, size_t msg_len, uint8_t *signature64) {
    PL_CHECK(seed32 && signature64, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(msg != NULL || msg_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t pk[32], sk[64];
    static const uint8_t empty = 0;
    int rc = crypto_sign_seed_keypair(pk, sk, seed32);
    if (rc == 0) rc = crypto_sign_detached(signature64, NULL, msg_len ? msg : &empty, msg_len, sk);
    pl_wipe(sk, sizeof sk);
    return rc == 0 ? PANOLM_OK : PANOLM_INTERNAL;
}

int32_t panolm_ed25519_verify(const uint8_t *public32, const uint8_t *msg, size_t msg_len, const uint8_t *signature64) {
    PL_CHECK(public32 && signature64, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(msg != NULL || msg_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    static const uint8_t empty = 0;
    return crypto_sign_verify_detached(signature64, msg_len ? msg : &empty, msg_len, public32) == 0
           ? PANOLM_OK : PANOLM_BAD_SIGNATURE;
}
