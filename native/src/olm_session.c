/* Olm sessions: the triple Diffie-Hellman set-up and the double ratchet (docs/formats.md §7.1, §7.5). The
 * state follows libolm's (one sender chain, receiver chains newest first) with vodozemac's bounds on what is kept for
 * out-of-order messages: skipped message keys live in their receiver chain, 40 at most each. A
 * decryption works on copies and commits only when the MAC and padding are good, so a failure changes
 * nothing. Every function locks the session. */
#include <stdlib.h>
#include <sodium.h>
#include "olm_internal.h"

panolm_olm_session *ol_session_alloc(void) {
    panolm_olm_session *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    if (pthread_mutex_init(&s->lock, NULL) != 0) { free(s); return NULL; }
    return s;
}

static void receiver_wipe(ol_receiver *r) {
    if (r->skipped != NULL) {
        pl_wipe(r->skipped, OL_MAX_SKIPPED * sizeof(ol_message_key));
        free(r->skipped);
    }
    pl_wipe(r, sizeof *r);
}

void panolm_olm_session_free(panolm_olm_session *s) {
    if (s == NULL) return;
    pthread_mutex_destroy(&s->lock);
    for (uint32_t i = 0; i < s->receiver_count; i++) receiver_wipe(&s->receivers[i]);
    pl_wipe(s, sizeof *s);
    free(s);
}

int ol_receiver_push_skipped(ol_receiver *r, const ol_message_key *key) {
    if (r->skipped == NULL) {
        r->skipped = calloc(OL_MAX_SKIPPED, sizeof(ol_message_key));
        if (r->skipped == NULL) return PANOLM_INTERNAL;
    }
    if (r->skipped_count == OL_MAX_SKIPPED) {
        pl_wipe(&r->skipped[0], sizeof(ol_message_key));
        memmove(&r->skipped[0], &r->skipped[1], (OL_MAX_SKIPPED - 1) * sizeof(ol_message_key));
        r->skipped_count--;
    }
    r->skipped[r->skipped_count++] = *key;
    return PANOLM_OK;
}

static void remove_skipped(ol_receiver *r, uint32_t at) {
    memmove(&r->skipped[at], &r->skipped[at + 1], (r->skipped_count - at - 1) * sizeof(ol_message_key));
    r->skipped_count--;
    pl_wipe(&r->skipped[r->skipped_count], sizeof(ol_message_key));
}

/* --- creation --- */

int32_t panolm_olm_session_new_outbound(panolm_olm_account *a, const uint8_t *their_identity32,
                                        const uint8_t *their_one_time32, panolm_olm_session **out) {
    PL_CHECK(a && their_identity32 && their_one_time32 && out, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t identity[OL_KEY], one_time[OL_KEY];
    memcpy(identity, their_identity32, OL_KEY);
    memcpy(one_time, their_one_time32, OL_KEY);
    panolm_olm_session *s = ol_session_alloc();
    if (s == NULL) return PANOLM_INTERNAL;
    ol_curve_pair base;
    uint8_t secret[3 * OL_KEY];
    int rc = ol_curve_generate(&base);
    if (rc == PANOLM_OK) rc = ol_curve_generate(&s->sender_ratchet);
    pthread_mutex_lock(&a->lock);
    if (rc == PANOLM_OK) rc = ol_dh(a->identity.priv, one_time, secret);
    if (rc == PANOLM_OK) rc = ol_dh(base.priv, identity, secret + OL_KEY);
    if (rc == PANOLM_OK) rc = ol_dh(base.priv, one_time, secret + 2 * OL_KEY);
    memcpy(s->alice_identity, a->identity.pub, OL_KEY);
    pthread_mutex_unlock(&a->lock);
    if (rc == PANOLM_OK) {
        memcpy(s->alice_base, base.pub, OL_KEY);
        memcpy(s->bob_one_time, one_time, OL_KEY);
        ol_kdf_root(secret, sizeof secret, s->root, &s->sender_chain);
        s->has_sender = 1;
    }
    pl_wipe(&base, sizeof base);
    pl_wipe(secret, sizeof secret);
    if (rc != PANOLM_OK) { panolm_olm_session_free(s); return rc; }
    *out = s;
    return PANOLM_OK;
}

int32_t panolm_olm_session_new_inbound(panolm_olm_account *a, const uint8_t *their_identity32,
                                       const uint8_t *message, size_t length, panolm_olm_session **out) {
    PL_CHECK(a && out, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(message != NULL || length == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    ol_pre_key pk;
    ol_message inner;
    int rc = ol_parse_pre_key(message, length, &pk);
    if (rc == PANOLM_OK) rc = ol_parse_message(pk.message, pk.message_len, &inner);
    if (rc != PANOLM_OK) return rc;

    /* The keys are copied out of caller memory once; every check below reads the copies. */
    panolm_olm_session *s = ol_session_alloc();
    if (s == NULL) return PANOLM_INTERNAL;
    memcpy(s->alice_identity, pk.identity_key, OL_KEY);
    memcpy(s->alice_base, pk.base_key, OL_KEY);
    memcpy(s->bob_one_time, pk.one_time_key, OL_KEY);
    memcpy(s->receivers[0].ratchet_key, inner.ratchet_key, OL_KEY);
    if (their_identity32 != NULL && !pl_ct_equal(their_identity32, s->alice_identity, OL_KEY)) {
        panolm_olm_session_free(s);
        return PANOLM_BAD_KEY;
    }
    uint8_t secret[3 * OL_KEY];
    pthread_mutex_lock(&a->lock);
    const ol_curve_pair *otk = ol_account_find_key(a, s->bob_one_time);
    rc = otk == NULL ? PANOLM_UNKNOWN_SESSION : PANOLM_OK;
    if (rc == PANOLM_OK) rc = ol_dh(otk->priv, s->alice_identity, secret);
    if (rc == PANOLM_OK) rc = ol_dh(a->identity.priv, s->alice_base, secret + OL_KEY);
    if (rc == PANOLM_OK) rc = ol_dh(otk->priv, s->alice_base, secret + 2 * OL_KEY);
    pthread_mutex_unlock(&a->lock);
    if (rc == PANOLM_OK) {
        ol_kdf_root(secret, sizeof secret, s->root, &s->receivers[0].chain);
        s->receiver_count = 1;
    }
    pl_wipe(secret, sizeof secret);
    if (rc != PANOLM_OK) { panolm_olm_session_free(s); return rc; }
    *out = s;
    return PANOLM_OK;
}

/* --- identity --- */

int32_t panolm_olm_session_id(panolm_olm_session *s, uint8_t *id32) {
    PL_CHECK(s && id32, PANOLM_INVALID_ARGUMENT);
    uint8_t keys[3 * OL_KEY];
    pthread_mutex_lock(&s->lock);
    memcpy(keys, s->alice_identity, OL_KEY);
    memcpy(keys + OL_KEY, s->alice_base, OL_KEY);
    memcpy(keys + 2 * OL_KEY, s->bob_one_time, OL_KEY);
    pthread_mutex_unlock(&s->lock);
    SHA256(keys, sizeof keys, id32);
    return PANOLM_OK;
}

int32_t panolm_olm_session_keys(panolm_olm_session *s, uint8_t *identity32, uint8_t *base32, uint8_t *one_time32) {
    PL_CHECK(s && identity32 && base32 && one_time32, PANOLM_INVALID_ARGUMENT);
    pthread_mutex_lock(&s->lock);
    memcpy(identity32, s->alice_identity, OL_KEY);
    memcpy(base32, s->alice_base, OL_KEY);
    memcpy(one_time32, s->bob_one_time, OL_KEY);
    pthread_mutex_unlock(&s->lock);
    return PANOLM_OK;
}

int32_t panolm_olm_session_has_received_message(panolm_olm_session *s) {
    if (s == NULL) return 0;
    pthread_mutex_lock(&s->lock);
    int r = s->received_message;
    pthread_mutex_unlock(&s->lock);
    return r;
}

int32_t panolm_olm_session_matches_inbound(panolm_olm_session *s, const uint8_t *their_identity32,
                                           const uint8_t *message, size_t length, int32_t *matches) {
    PL_CHECK(s && matches, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(message != NULL || length == 0, PANOLM_INVALID_ARGUMENT);
    ol_pre_key pk;
    *matches = 0;
    if (ol_parse_pre_key(message, length, &pk) != PANOLM_OK) return PANOLM_OK;
    pthread_mutex_lock(&s->lock);
    int same = pl_ct_equal(pk.identity_key, s->alice_identity, OL_KEY)
               & pl_ct_equal(pk.base_key, s->alice_base, OL_KEY)
               & pl_ct_equal(pk.one_time_key, s->bob_one_time, OL_KEY);
    if (their_identity32 != NULL) same &= pl_ct_equal(their_identity32, s->alice_identity, OL_KEY);
    pthread_mutex_unlock(&s->lock);
    *matches = same;
    return PANOLM_OK;
}

/* --- encryption --- */

size_t panolm_olm_encrypted_max_length(size_t plaintext_length) {
    if (plaintext_length > PANOLM_OLM_MAX_PLAINTEXT_LENGTH) return 0;
    return ol_pre_key_length(ol_message_length(UINT32_MAX, plaintext_length));
}

int ol_session_encrypt_locked(panolm_olm_session *s, const uint8_t *plaintext, size_t len, uint8_t *out,
                              size_t out_cap, size_t *out_len, uint32_t *type) {
    if (len > PANOLM_OLM_MAX_PLAINTEXT_LENGTH) return PANOLM_TOO_LARGE;
    if (out_cap < panolm_olm_encrypted_max_length(len)) return PANOLM_OUTPUT_TOO_SMALL;
    /* After receiving on a new chain the next message starts a sending chain with a fresh ratchet key.
     * Everything is computed on copies and committed only once the message is written. */
    ol_curve_pair ratchet;
    uint8_t root[OL_KEY];
    ol_chain chain;
    ol_message_key mk;
    int fresh = !s->has_sender;
    int rc = PANOLM_OK;
    if (fresh) {
        if (s->receiver_count == 0) return PANOLM_INTERNAL;   /* no valid state lacks both chains */
        rc = ol_curve_generate(&ratchet);
        if (rc == PANOLM_OK) rc = ol_kdf_ratchet(s->root, ratchet.priv, s->receivers[0].ratchet_key, root, &chain);
    } else {
        ratchet = s->sender_ratchet;
        chain = s->sender_chain;
        memcpy(root, s->root, OL_KEY);
    }
    /* The last index of a chain is never used, so a receiver's chain never wraps. */
    if (rc == PANOLM_OK && chain.index == UINT32_MAX) rc = PANOLM_TOO_LARGE;
    size_t total = 0;
    if (rc == PANOLM_OK) {
        ol_chain_message_key(&chain, &mk);
        ol_chain_advance(&chain);
        size_t ct_len = len - len % 16 + 16;
        size_t msg_len = ol_message_length(mk.index, len);
        size_t prefix = 0;
        if (!s->received_message)
            prefix = ol_write_pre_key_header(out, s->bob_one_time, s->alice_base, s->alice_identity, msg_len);
        size_t header = ol_write_message_header(out + prefix, ratchet.pub, mk.index, ct_len);
        rc = ol_seal(&mk, plaintext, len, out + prefix, header);
        total = prefix + msg_len;
    }
    if (rc == PANOLM_OK) {
        if (fresh) {
            s->sender_ratchet = ratchet;
            memcpy(s->root, root, OL_KEY);
            s->has_sender = 1;
        }
        s->sender_chain = chain;
        *out_len = total;
        *type = s->received_message ? PANOLM_OLM_MESSAGE_NORMAL : PANOLM_OLM_MESSAGE_PRE_KEY;
    } else if (total > 0) {
        pl_wipe(out, total);
    }
    pl_wipe(&mk, sizeof mk);
    pl_wipe(&ratchet, sizeof ratchet);
    pl_wipe(root, sizeof root);
    pl_wipe(&chain, sizeof chain);
    return rc;
}

int32_t panolm_olm_session_encrypt(panolm_olm_session *s, const uint8_t *plaintext, size_t plaintext_length,
                                   uint8_t *out, size_t out_cap, size_t *out_len, uint32_t *type) {
    PL_CHECK(s && out && out_len && type, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext != NULL || plaintext_length == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    pthread_mutex_lock(&s->lock);
    int rc = ol_session_encrypt_locked(s, plaintext, plaintext_length, out, out_cap, out_len, type);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* --- decryption --- */

size_t panolm_olm_decrypt_max_plaintext_length(size_t message_length) {
    return message_length;
}

/* Message keys skipped on the way to `counter`, as vodozemac keeps them: only the last 40 before it. */
typedef struct {
    ol_message_key keys[OL_MAX_SKIPPED];
    uint32_t count;
} skipped_run;

/* Moves chain up to counter (chain->index <= counter), then takes the key for counter and advances past
 * it. The caller has checked the gap. */
static void derive(ol_chain *chain, uint32_t counter, skipped_run *run, ol_message_key *mk) {
    run->count = 0;
    while (chain->index < counter) {
        if (counter - chain->index <= OL_MAX_SKIPPED) ol_chain_message_key(chain, &run->keys[run->count++]);
        ol_chain_advance(chain);
    }
    ol_chain_message_key(chain, mk);
    ol_chain_advance(chain);
}

static int ensure_skipped_storage(ol_receiver *r) {
    if (r->skipped == NULL) {
        r->skipped = calloc(OL_MAX_SKIPPED, sizeof(ol_message_key));
        if (r->skipped == NULL) return PANOLM_INTERNAL;
    }
    return PANOLM_OK;
}

static int decrypt_new_chain(panolm_olm_session *s, const uint8_t *body, const ol_message *m, uint8_t *out,
                             size_t *out_len) {
    /* A peer moves to a new ratchet key only after hearing from us: without a sending chain no key
     * can authenticate it (libolm fails it the same way). */
    if (!s->has_sender) return PANOLM_BAD_MAC;
    if (m->counter > PANOLM_OLM_MAX_MESSAGE_GAP) return PANOLM_TOO_LARGE;
    uint8_t root[OL_KEY];
    ol_receiver fresh;
    memset(&fresh, 0, sizeof fresh);
    skipped_run run;
    ol_message_key mk;
    run.count = 0;
    int rc = ol_kdf_ratchet(s->root, s->sender_ratchet.priv, m->ratchet_key, root, &fresh.chain);
    if (rc == PANOLM_OK) {
        derive(&fresh.chain, m->counter, &run, &mk);
        if (run.count > 0) rc = ensure_skipped_storage(&fresh);
    }
    if (rc == PANOLM_OK) rc = ol_open(&mk, body, m, out, out_len);
    if (rc == PANOLM_OK) {
        memcpy(fresh.ratchet_key, m->ratchet_key, OL_KEY);
        for (uint32_t i = 0; i < run.count; i++) fresh.skipped[fresh.skipped_count++] = run.keys[i];
        if (s->receiver_count == OL_MAX_CHAINS) receiver_wipe(&s->receivers[--s->receiver_count]);
        memmove(&s->receivers[1], &s->receivers[0], s->receiver_count * sizeof(ol_receiver));
        s->receivers[0] = fresh;
        s->receiver_count++;
        memcpy(s->root, root, OL_KEY);
        pl_wipe(&s->sender_ratchet, sizeof s->sender_ratchet);
        pl_wipe(&s->sender_chain, sizeof s->sender_chain);
        s->has_sender = 0;
    } else {
        receiver_wipe(&fresh);
    }
    pl_wipe(root, sizeof root);
    pl_wipe(&run, sizeof run);
    pl_wipe(&mk, sizeof mk);
    return rc;
}

static int decrypt_known_chain(ol_receiver *r, const uint8_t *body, const ol_message *m, uint8_t *out,
                               size_t *out_len) {
    if (r->chain.index > m->counter) {
        for (uint32_t i = 0; i < r->skipped_count; i++) {
            if (r->skipped[i].index != m->counter) continue;
            int rc = ol_open(&r->skipped[i], body, m, out, out_len);
            if (rc == PANOLM_OK) remove_skipped(r, i);
            return rc;
        }
        return PANOLM_UNKNOWN_INDEX;
    }
    if (m->counter - r->chain.index > PANOLM_OLM_MAX_MESSAGE_GAP) return PANOLM_TOO_LARGE;
    ol_chain chain = r->chain;
    skipped_run run;
    ol_message_key mk;
    derive(&chain, m->counter, &run, &mk);
    int rc = run.count > 0 ? ensure_skipped_storage(r) : PANOLM_OK;
    if (rc == PANOLM_OK) rc = ol_open(&mk, body, m, out, out_len);
    if (rc == PANOLM_OK) {
        r->chain = chain;
        for (uint32_t i = 0; i < run.count && rc == PANOLM_OK; i++) rc = ol_receiver_push_skipped(r, &run.keys[i]);
    }
    pl_wipe(&chain, sizeof chain);
    pl_wipe(&run, sizeof run);
    pl_wipe(&mk, sizeof mk);
    return rc;
}

int32_t panolm_olm_session_decrypt(panolm_olm_session *s, uint32_t type, const uint8_t *message, size_t length,
                                   uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(s && out_len, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(message != NULL || length == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(type == PANOLM_OLM_MESSAGE_PRE_KEY || type == PANOLM_OLM_MESSAGE_NORMAL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    const uint8_t *body = message;
    size_t body_len = length;
    int rc = PANOLM_OK;
    if (type == PANOLM_OLM_MESSAGE_PRE_KEY) {
        ol_pre_key pk;
        rc = ol_parse_pre_key(message, length, &pk);
        body = pk.message;
        body_len = pk.message_len;
    }
    ol_message m;
    if (rc == PANOLM_OK) rc = ol_parse_message(body, body_len, &m);
    if (rc != PANOLM_OK) return rc;
    if (out_cap < m.ciphertext_len) return PANOLM_OUTPUT_TOO_SMALL;
    /* The ratchet key picks the chain and is stored with a new one: read it from caller memory once. */
    uint8_t ratchet_key[OL_KEY];
    memcpy(ratchet_key, m.ratchet_key, OL_KEY);
    m.ratchet_key = ratchet_key;
    /* The receiver's chain index is advanced past the counter: the last index would wrap it. */
    if (m.counter == UINT32_MAX) return PANOLM_TOO_LARGE;

    pthread_mutex_lock(&s->lock);
    ol_receiver *r = NULL;
    for (uint32_t i = 0; i < s->receiver_count && r == NULL; i++)
        if (memcmp(s->receivers[i].ratchet_key, m.ratchet_key, OL_KEY) == 0) r = &s->receivers[i];
    size_t n = 0;
    rc = r == NULL ? decrypt_new_chain(s, body, &m, out, &n) : decrypt_known_chain(r, body, &m, out, &n);
    if (rc == PANOLM_OK) s->received_message = 1;
    pthread_mutex_unlock(&s->lock);
    if (rc == PANOLM_OK) *out_len = n;
    return rc;
}
