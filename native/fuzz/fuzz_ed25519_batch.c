/* Batch Ed25519 verification (ed25519_batch.c) against libsodium's single verification, through
 * panolm_ed25519_verify_batch. Input: records of flags (1) | message length (1) | message, then by flags:
 *   bits 0..1 = 0: raw key (32) | signature (64) from the input, as an attacker sends them;
 *   otherwise the message signed by one of four fixed signers (seed of bits 2..3), then changed by
 *   bits 0..1 = 1: byte flips: count (1) then count x (position in key|signature (1, mod 96), xor mask (1));
 *              2: a small-order point (8 choices, from the next byte) added to the key, signed again by the
 *                 holder (a mixed-order key; libsodium refuses unless h T vanishes);
 *              3: the same added to R, signed again (a torsion R: libsodium refuses; the batch may not see it,
 *                 the one documented difference, docs/ed25519-batch.md, section 3).
 * Bit 4 sends the signature under another message length (a truncated message).
 * Properties: the call succeeds; every verdict is OK or BAD_SIGNATURE and equals libsodium's, except that a
 * torsion-R record only needs libsodium to refuse it; verdicts do not depend on the order of the batch (the
 * records reversed give the same verdicts). */
#include <sodium.h>
#include "harness.h"
#include "ed25519_signer.h"

#define MAX 200

typedef struct {
    uint8_t key[32];
    uint8_t sig[64];
    size_t msg_off, msg_len;
    int torsion_r;
} record;

static void run(const record *recs, size_t n, const uint8_t *msgs, size_t msgs_len, int reversed,
                int32_t *out, uint32_t mode) {
    uint8_t *keys = malloc(32 * n + 1), *sigs = malloc(64 * n + 1), *buf = malloc(msgs_len + 1);
    uint64_t *ends = malloc(8 * n + 8);
    int32_t *verdicts = malloc(4 * n + 4);
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        const record *r = &recs[reversed ? n - 1 - k : k];
        memcpy(keys + 32 * k, r->key, 32);
        memcpy(sigs + 64 * k, r->sig, 64);
        memcpy(buf + at, msgs + r->msg_off, r->msg_len);
        at += r->msg_len;
        ends[k] = at;
    }
    FUZZ_REQUIRE(panolm_ed25519_verify_batch(keys, sigs, buf, at, ends, n, verdicts, mode) == PANOLM_OK, "call runs");
    for (size_t k = 0; k < n; k++) out[reversed ? n - 1 - k : k] = verdicts[k];
    free(keys);
    free(sigs);
    free(buf);
    free(ends);
    free(verdicts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static record recs[MAX];
    uint8_t *msgs = fuzz_copy(data, size);   /* messages are read from here */
    size_t n = 0, p = 0;
    while (p + 2 <= size && n < MAX) {
        uint8_t flags = data[p];
        size_t len = data[p + 1];
        p += 2;
        if (len > size - p) len = size - p;
        record *r = &recs[n];
        r->msg_off = p;
        r->msg_len = len;
        r->torsion_r = 0;
        p += len;
        unsigned how = flags & 3;
        if (how == 0) {
            if (size - p < 96) break;
            memcpy(r->key, data + p, 32);
            memcpy(r->sig, data + p + 32, 64);
            p += 96;
        } else {
            uint8_t seed[32];
            memset(seed, 0x42 + ((flags >> 2) & 3), 32);
            uint8_t sk[64];
            crypto_sign_seed_keypair(r->key, sk, seed);
            crypto_sign_detached(r->sig, NULL, msgs + r->msg_off, len, sk);
            sodium_memzero(sk, sizeof sk);
            if (how == 1) {
                unsigned count = p < size ? data[p++] : 0;
                for (unsigned c = 0; c < count && p + 2 <= size; c++, p += 2) {
                    unsigned at = data[p] % 96;
                    if (at < 32) r->key[at] ^= data[p + 1];
                    else r->sig[at - 32] ^= data[p + 1];
                }
            } else {
                uint8_t t[32], rr[32], rpoint[32];
                ed25519_torsion(t, p < size ? 1 + data[p++] % 7 : 1);
                ed25519_nonce(seed, msgs + r->msg_off, len, rr, rpoint);
                if (how == 2) {
                    if (crypto_core_ed25519_add(r->key, r->key, t) != 0) abort();
                } else {
                    if (crypto_core_ed25519_add(rpoint, rpoint, t) != 0) abort();
                    r->torsion_r = 1;
                }
                memcpy(r->sig, rpoint, 32);
                ed25519_resign(seed, rr, rpoint, r->key, msgs + r->msg_off, len, r->sig + 32);
            }
        }
        if ((flags & 16) && r->msg_len > 0) r->msg_len--;
        n++;
    }
    if (n > 0) {
        int32_t single[MAX], batch[MAX], reversed[MAX];
        run(recs, n, msgs, size, 0, single, PANOLM_ED25519_EACH);
        run(recs, n, msgs, size, 0, batch, PANOLM_ED25519_BATCH);
        run(recs, n, msgs, size, 1, reversed, PANOLM_ED25519_BATCH);
        for (size_t k = 0; k < n; k++) {
            FUZZ_REQUIRE(single[k] == PANOLM_OK || single[k] == PANOLM_BAD_SIGNATURE, "single status");
            if (recs[k].torsion_r) {
                FUZZ_REQUIRE(single[k] == PANOLM_BAD_SIGNATURE, "libsodium refuses a torsion R");
                FUZZ_REQUIRE(batch[k] == PANOLM_OK || batch[k] == PANOLM_BAD_SIGNATURE, "batch status");
                continue;
            }
            FUZZ_REQUIRE(batch[k] == single[k], "batch verdict is libsodium's");
            FUZZ_REQUIRE(reversed[k] == single[k], "reversed batch verdict is libsodium's");
        }
    }
    free(msgs);
    return 0;
}
