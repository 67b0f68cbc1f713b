/* The Megolm ratchet (four 32-byte parts, like the digits of a base-256 counter) and the per-message
 * key derivation, on the pre-keyed HMAC of hmac.c: both are a handful of SHA-256 blocks, so the
 * provider overhead of EVP_MAC/EVP_KDF would dominate them. */
#include <pthread.h>
#include "megolm_internal.h"

/* R[to] = HMAC(key = R[from], message = the single byte `to`). */
static void rehash(uint8_t *r, int from, int to) {
    pl_hmac256_key k;
    uint8_t seed = (uint8_t) to;
    uint8_t out[32];
    pl_hmac256_init(&k, r + from * ML_PART, ML_PART);
    pl_hmac256(&k, &seed, 1, NULL, 0, out);
    memcpy(r + to * ML_PART, out, ML_PART);
    pl_wipe(&k, sizeof k);
    pl_wipe(out, sizeof out);
}

/* Recomputes parts from..3 from part `from`, which is overwritten last so every step reads its
 * old value. */
static void reseed_from(uint8_t *r, int from) {
    for (int i = 3; i >= from; i--) rehash(r, from, i);
}

void ml_advance(ml_ratchet *m) {
    static const uint32_t masks[3] = {0x00FFFFFFu, 0x0000FFFFu, 0x000000FFu};
    m->counter++;
    int h = 3;
    for (int j = 0; j < 3; j++) {
        if ((m->counter & masks[j]) == 0) { h = j; break; }
    }
    reseed_from(m->r, h);
}

void ml_advance_to(ml_ratchet *m, uint32_t target) {
    for (int j = 0; j < 4; j++) {
        int shift = 8 * (3 - j);
        uint32_t steps = ((target >> shift) - (m->counter >> shift)) & 0xFFu;
        if (steps == 0) {
            /* Only the top part can need a full turn: after wrapping through 2^32. */
            if (target < m->counter) steps = 256;
            else continue;
        }
        for (uint32_t s = 1; s < steps; s++) rehash(m->r, j, j);
        reseed_from(m->r, j);
        m->counter = target & (uint32_t) (0xFFFFFFFFull << shift);
    }
}

static pthread_once_t salt_once = PTHREAD_ONCE_INIT;
static pl_hmac256_key zero_salt;   /* HKDF-Extract key: 32 zero bytes, as libolm uses */

static void init_salt(void) {
    static const uint8_t zeros[32];
    pl_hmac256_init(&zero_salt, zeros, sizeof zeros);
}

void ml_message_keys(const uint8_t ratchet[ML_RATCHET], uint8_t keys[80]) {
    static const uint8_t info[11] = {'M', 'E', 'G', 'O', 'L', 'M', '_', 'K', 'E', 'Y', 'S'};
    pthread_once(&salt_once, init_salt);
    uint8_t prk[32], t[32];
    pl_hmac256_key k;
    pl_hmac256(&zero_salt, ratchet, ML_RATCHET, NULL, 0, prk);
    pl_hmac256_init(&k, prk, sizeof prk);
    /* HKDF-Expand: T(n) = HMAC(PRK, T(n-1) | info | n); 80 bytes are T(1) | T(2) | T(3)[0..16). */
    uint8_t block[sizeof t + sizeof info + 1];
    size_t done = 0;
    for (uint8_t n = 1; n <= 3; n++) {
        size_t off = 0;
        if (n > 1) { memcpy(block, t, sizeof t); off = sizeof t; }
        memcpy(block + off, info, sizeof info);
        block[off + sizeof info] = n;
        pl_hmac256(&k, block, off + sizeof info + 1, NULL, 0, t);
        size_t take = 80 - done < 32 ? 80 - done : 32;
        memcpy(keys + done, t, take);
        done += take;
    }
    pl_wipe(prk, sizeof prk);
    pl_wipe(t, sizeof t);
    pl_wipe(block, sizeof block);
    pl_wipe(&k, sizeof k);
}

int32_t panolm_megolm_ratchet_advance(uint8_t *ratchet128, uint32_t *counter) {
    PL_CHECK(ratchet128 && counter, PANOLM_INVALID_ARGUMENT);
    ml_ratchet m;
    memcpy(m.r, ratchet128, ML_RATCHET);
    m.counter = *counter;
    ml_advance(&m);
    memcpy(ratchet128, m.r, ML_RATCHET);
    *counter = m.counter;
    pl_wipe(&m, sizeof m);
    return PANOLM_OK;
}

int32_t panolm_megolm_ratchet_advance_to(uint8_t *ratchet128, uint32_t *counter, uint32_t target) {
    PL_CHECK(ratchet128 && counter, PANOLM_INVALID_ARGUMENT);
    ml_ratchet m;
    memcpy(m.r, ratchet128, ML_RATCHET);
    m.counter = *counter;
    ml_advance_to(&m, target);
    memcpy(ratchet128, m.r, ML_RATCHET);
    *counter = m.counter;
    pl_wipe(&m, sizeof m);
    return PANOLM_OK;
}

int32_t panolm_megolm_message_keys(const uint8_t *ratchet128, uint8_t *keys80) {
    PL_CHECK(ratchet128 && keys80, PANOLM_INVALID_ARGUMENT);
    ml_message_keys(ratchet128, keys80);
    return PANOLM_OK;
}
