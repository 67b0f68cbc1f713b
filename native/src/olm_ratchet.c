/* The key derivations of Olm's double ratchet (docs/formats.md §7.1): root and ratchet HKDFs, the symmetric
 * chain, and Curve25519 on libsodium. The chain steps are one HMAC-SHA-256 block each, on the pre-keyed
 * HMAC of hmac.c. */
#include <sodium.h>
#include "olm_internal.h"

static const uint8_t ROOT_INFO[] = "OLM_ROOT";
static const uint8_t RATCHET_INFO[] = "OLM_RATCHET";
static const uint8_t MESSAGE_KEY_SEED = 0x01;
static const uint8_t CHAIN_KEY_SEED = 0x02;

int ol_curve_from_private(ol_curve_pair *pair, const uint8_t priv[OL_KEY]) {
    memcpy(pair->priv, priv, OL_KEY);
    return crypto_scalarmult_base(pair->pub, pair->priv) == 0 ? PANOLM_OK : PANOLM_INTERNAL;
}

int ol_curve_generate(ol_curve_pair *pair) {
    uint8_t random[OL_KEY];
    randombytes_buf(random, sizeof random);
    int rc = ol_curve_from_private(pair, random);
    pl_wipe(random, sizeof random);
    return rc;
}

int ol_dh(const uint8_t priv[OL_KEY], const uint8_t peer[OL_KEY], uint8_t shared[OL_KEY]) {
    /* libsodium fails exactly when the result is all zero (a low-order peer key); libolm would go on. */
    if (crypto_scalarmult(shared, priv, peer) != 0) {
        pl_wipe(shared, OL_KEY);
        return PANOLM_NON_CONTRIBUTORY;
    }
    return PANOLM_OK;
}

static void split(const uint8_t derived[2 * OL_KEY], uint8_t root[OL_KEY], ol_chain *chain) {
    memcpy(root, derived, OL_KEY);
    memcpy(chain->key, derived + OL_KEY, OL_KEY);
    chain->index = 0;
}

void ol_kdf_root(const uint8_t *secret, size_t len, uint8_t root[OL_KEY], ol_chain *chain) {
    uint8_t derived[2 * OL_KEY];
    pl_hkdf256(NULL, 0, secret, len, ROOT_INFO, sizeof ROOT_INFO - 1, derived, sizeof derived);
    split(derived, root, chain);
    pl_wipe(derived, sizeof derived);
}

int ol_kdf_ratchet(const uint8_t root[OL_KEY], const uint8_t our_priv[OL_KEY], const uint8_t their_pub[OL_KEY],
                   uint8_t new_root[OL_KEY], ol_chain *chain) {
    uint8_t shared[OL_KEY], derived[2 * OL_KEY];
    int rc = ol_dh(our_priv, their_pub, shared);
    if (rc == PANOLM_OK) {
        pl_hkdf256(root, OL_KEY, shared, OL_KEY, RATCHET_INFO, sizeof RATCHET_INFO - 1, derived, sizeof derived);
        split(derived, new_root, chain);
    }
    pl_wipe(shared, sizeof shared);
    pl_wipe(derived, sizeof derived);
    return rc;
}

void ol_chain_message_key(const ol_chain *chain, ol_message_key *out) {
    pl_hmac256_oneshot(chain->key, OL_KEY, &MESSAGE_KEY_SEED, 1, out->key);
    out->index = chain->index;
}

void ol_chain_advance(ol_chain *chain) {
    uint8_t next[OL_KEY];
    pl_hmac256_oneshot(chain->key, OL_KEY, &CHAIN_KEY_SEED, 1, next);
    memcpy(chain->key, next, OL_KEY);
    pl_wipe(next, sizeof next);
    chain->index++;
}
