/* Ed25519 signatures from an expanded secret key (clamped scalar a | 32-byte prefix, RFC 8032 §5.1.5),
 * the form libolm keeps in account pickles: the seed cannot be recovered from it, so libsodium's
 * crypto_sign (which starts from the seed) cannot sign with an imported libolm account. This is
 * RFC 8032 §5.1.6 on libsodium's constant-time group and scalar operations; for a key expanded from a
 * seed it gives the same signature as crypto_sign_detached (checked by fuzz_olm_account). */
#include <sodium.h>
#include "olm_internal.h"

void ol_ed25519_expand(const uint8_t seed[32], uint8_t expanded[64]) {
    crypto_hash_sha512(expanded, seed, 32);
    expanded[0] &= 248;
    expanded[31] &= 63;
    expanded[31] |= 64;
}

int ol_ed25519_public(const uint8_t expanded[64], uint8_t public_key[32]) {
    /* Bit 255 of a clamped scalar is clear, as the no-clamp base multiplication requires. */
    return crypto_scalarmult_ed25519_base_noclamp(public_key, expanded) == 0 ? PANOLM_OK : PANOLM_BAD_KEY;
}

int ol_ed25519_sign(const uint8_t expanded[64], const uint8_t public_key[32], const uint8_t *msg, size_t len,
                    uint8_t signature[64]) {
    static const uint8_t empty = 0;
    if (len == 0) msg = &empty;
    crypto_hash_sha512_state st;
    uint8_t wide[64], r[32], k[32], a[32], ka[32];
    int rc = PANOLM_OK;

    /* r = H(prefix | M) mod L; R = rB */
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, expanded + 32, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(r, wide);
    if (crypto_scalarmult_ed25519_base_noclamp(signature, r) != 0) rc = PANOLM_INTERNAL; /* r = 0: never in practice */

    /* k = H(R | A | M) mod L; S = r + k a mod L (a is reduced first: the clamped scalar may exceed L) */
    if (rc == PANOLM_OK) {
        crypto_hash_sha512_init(&st);
        crypto_hash_sha512_update(&st, signature, 32);
        crypto_hash_sha512_update(&st, public_key, 32);
        crypto_hash_sha512_update(&st, msg, len);
        crypto_hash_sha512_final(&st, wide);
        crypto_core_ed25519_scalar_reduce(k, wide);
        memset(wide, 0, sizeof wide);
        memcpy(wide, expanded, 32);
        crypto_core_ed25519_scalar_reduce(a, wide);
        crypto_core_ed25519_scalar_mul(ka, k, a);
        crypto_core_ed25519_scalar_add(signature + 32, ka, r);
    }
    if (rc != PANOLM_OK) pl_wipe(signature, 64);
    pl_wipe(&st, sizeof st);
    pl_wipe(wide, sizeof wide);
    pl_wipe(r, sizeof r);
    pl_wipe(k, sizeof k);
    pl_wipe(a, sizeof a);
    pl_wipe(ka, sizeof ka);
    return rc;
}
