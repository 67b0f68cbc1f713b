/* The Olm fixture of the harnesses: the receiving device's account built from the fixed keys of fixture.h
 * (so that make-seeds.py can make python3-olm sessions to it), fresh for each input; message re-MACing
 * with a session's own keys, so the fuzzer reaches AES, padding and the skipped-key store; and the
 * state of a session as comparable bytes (its libolm pickle under an empty key is deterministic). */
#ifndef PANOLM_FUZZ_OLM_FIXTURE_H
#define PANOLM_FUZZ_OLM_FIXTURE_H

#include <stdlib.h>
#include <sodium.h>
#include "harness.h"
#include "fixture.h"
#include "olm_internal.h"

static inline panolm_olm_account *fixture_olm_account(void) {
    panolm_olm_account *a = ol_account_alloc();
    uint8_t seed[32], sk[64], k[32];
    if (a == NULL) abort();
    fixture_olm_ed25519_seed(seed);
    if (crypto_sign_seed_keypair(a->ed_public, sk, seed) != 0) abort();
    ol_ed25519_expand(seed, a->ed_secret);
    fixture_olm_identity(k);
    if (ol_curve_from_private(&a->identity, k) != PANOLM_OK) abort();
    for (int i = 0; i < FIXTURE_OLM_ONE_TIME_KEYS; i++) {
        /* libolm's order: newest (highest id) first */
        ol_otk *o = &a->otks[FIXTURE_OLM_ONE_TIME_KEYS - 1 - i];
        fixture_olm_one_time(i, k);
        if (ol_curve_from_private(&o->key, k) != PANOLM_OK) abort();
        o->id = (uint32_t) i + 1;
        o->published = 1;
    }
    a->otk_count = FIXTURE_OLM_ONE_TIME_KEYS;
    for (int i = 0; i < 32; i++) k[i] = (uint8_t) (224 + i);
    if (ol_curve_from_private(&a->fallback[0].key, k) != PANOLM_OK) abort();
    a->fallback[0].id = FIXTURE_OLM_ONE_TIME_KEYS + 1;
    a->fallback_count = 1;
    a->next_key_id = FIXTURE_OLM_ONE_TIME_KEYS + 1;
    return a;
}

/* The session's state as bytes (malloc'd; *len set). */
static inline uint8_t *olm_state(panolm_olm_session *s, size_t *len) {
    uint8_t *out = malloc(PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH);
    if (out == NULL || panolm_olm_session_to_libolm_pickle(s, NULL, 0, out, PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH, len)
                           != PANOLM_OK) abort();
    return out;
}

static inline int olm_same_state(panolm_olm_session *s, const uint8_t *state, size_t len) {
    size_t n = 0;
    uint8_t *now = olm_state(s, &n);
    int same = n == len && memcmp(now, state, n) == 0;
    free(now);
    return same;
}

/* Rewrites the MAC of a binary Olm message (msg, len >= 8) with the key the session would use for it,
 * when its counter is at most 64 ahead of a chain the session knows (or of a new chain from its sending
 * ratchet key). Messages it cannot place are left as they are. */
static inline void olm_remac(panolm_olm_session *s, uint8_t *msg, size_t len) {
    ol_message m;
    if (ol_parse_message(msg, len, &m) != PANOLM_OK || m.counter > 64) return;
    ol_chain chain;
    int found = 0;
    for (uint32_t i = 0; i < s->receiver_count && !found; i++) {
        if (memcmp(s->receivers[i].ratchet_key, m.ratchet_key, 32) != 0) continue;
        for (uint32_t k = 0; k < s->receivers[i].skipped_count; k++) {
            if (s->receivers[i].skipped[k].index == m.counter) {
                chain.index = m.counter;
                memcpy(chain.key, s->receivers[i].skipped[k].key, 32);   /* a message key, used as is below */
                found = 2;
            }
        }
        if (!found) { chain = s->receivers[i].chain; found = 1; }
    }
    if (!found && s->has_sender) {
        uint8_t root[32];
        if (ol_kdf_ratchet(s->root, s->sender_ratchet.priv, m.ratchet_key, root, &chain) != PANOLM_OK) return;
        found = 1;
    }
    if (!found) return;
    ol_message_key mk;
    if (found == 2) {
        memcpy(mk.key, chain.key, 32);
    } else {
        if (chain.index > m.counter) return;
        while (chain.index < m.counter) ol_chain_advance(&chain);
        ol_chain_message_key(&chain, &mk);
    }
    uint8_t keys[80], mac[32];
    static const uint8_t info[] = "OLM_KEYS";
    pl_hkdf256(NULL, 0, mk.key, 32, info, sizeof info - 1, keys, sizeof keys);
    pl_hmac256_oneshot(keys + 32, 32, msg, m.mac_offset, mac);
    memcpy(msg + m.mac_offset, mac, 8);
}

static inline int olm_status_documented(int rc) {
    switch (rc) {
    case PANOLM_OK: case PANOLM_BAD_VERSION: case PANOLM_TRUNCATED: case PANOLM_BAD_MESSAGE_FORMAT:
    case PANOLM_BAD_MAC: case PANOLM_BAD_PADDING: case PANOLM_UNKNOWN_INDEX: case PANOLM_TOO_LARGE:
    case PANOLM_NON_CONTRIBUTORY: case PANOLM_UNKNOWN_SESSION: case PANOLM_BAD_KEY:
        return 1;
    default:
        return 0;
    }
}

#endif
