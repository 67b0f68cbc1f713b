/* Megolm sessions: outbound (encrypt, share the signed session key) and inbound (import, export,
 * decrypt with replay and room checks). AES-256-CBC on OpenSSL (AES-NI), HMAC/HKDF on SHA-256 blocks,
 * Ed25519 on libsodium (strict verification, unlike libolm's). */
#include <stdlib.h>
#include <sodium.h>
#include "megolm_internal.h"

#define ML_MAX_MESSAGE ((size_t) PANOLM_MEGOLM_MAX_PLAINTEXT_LENGTH + 128)

struct panolm_megolm_outbound {
    ml_ratchet ratchet;
    uint8_t secret_key[64];    /* libsodium's form: seed | public key */
    uint8_t public_key[32];
};

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t) (v >> 24); p[1] = (uint8_t) (v >> 16); p[2] = (uint8_t) (v >> 8); p[3] = (uint8_t) v;
}

static uint32_t get_be32(const uint8_t *p) {
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* --- outbound --- */

int32_t panolm_megolm_outbound_from_parts(const uint8_t *ratchet128, uint32_t index, const uint8_t *seed32,
                                          panolm_megolm_outbound **out) {
    PL_CHECK(ratchet128 && seed32 && out, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    panolm_megolm_outbound *s = calloc(1, sizeof *s);
    if (s == NULL) return PANOLM_INTERNAL;
    memcpy(s->ratchet.r, ratchet128, ML_RATCHET);
    s->ratchet.counter = index;
    if (crypto_sign_seed_keypair(s->public_key, s->secret_key, seed32) != 0) {
        panolm_megolm_outbound_free(s);
        return PANOLM_INTERNAL;
    }
    *out = s;
    return PANOLM_OK;
}

int32_t panolm_megolm_outbound_new(panolm_megolm_outbound **out) {
    PL_CHECK(out != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t random[ML_RATCHET + 32];
    randombytes_buf(random, sizeof random);
    int rc = panolm_megolm_outbound_from_parts(random, 0, random + ML_RATCHET, out);
    pl_wipe(random, sizeof random);
    return rc;
}

void panolm_megolm_outbound_free(panolm_megolm_outbound *s) {
    if (s == NULL) return;
    pl_wipe(s, sizeof *s);
    free(s);
}

int32_t panolm_megolm_outbound_public_key(const panolm_megolm_outbound *s, uint8_t *public32) {
    PL_CHECK(s && public32, PANOLM_INVALID_ARGUMENT);
    memcpy(public32, s->public_key, 32);
    return PANOLM_OK;
}

uint32_t panolm_megolm_outbound_index(const panolm_megolm_outbound *s) {
    return s == NULL ? 0 : s->ratchet.counter;
}

int32_t panolm_megolm_outbound_session_key(const panolm_megolm_outbound *s, uint8_t *out229) {
    PL_CHECK(s && out229, PANOLM_INVALID_ARGUMENT);
    out229[0] = 2;
    put_be32(out229 + 1, s->ratchet.counter);
    memcpy(out229 + 5, s->ratchet.r, ML_RATCHET);
    memcpy(out229 + 133, s->public_key, 32);
    if (crypto_sign_detached(out229 + 165, NULL, out229, 165, s->secret_key) != 0) {
        pl_wipe(out229, PANOLM_MEGOLM_SESSION_KEY_LENGTH);
        return PANOLM_INTERNAL;
    }
    return PANOLM_OK;
}

size_t panolm_megolm_encrypted_length(size_t plaintext_len) {
    if (plaintext_len > PANOLM_MEGOLM_MAX_PLAINTEXT_LENGTH) return 0;
    /* the longest index varint (5 bytes) bounds every index */
    return pl_b64_encoded_len(ml_message_length(UINT32_MAX, plaintext_len));
}

/* Base64-encodes buf[0..n) into buf[0..) in place, from the last group to the first: group g reads
 * bytes 3g..3g+2 and writes characters 4g..4g+3, never ahead of a byte still unread. */
static void b64_encode_in_place(uint8_t *buf, size_t n) {
    size_t groups = n / 3, rest = n % 3;
    if (rest) pl_b64_encode(buf + groups * 3, rest, buf + groups * 4);
    for (size_t g = groups; g-- > 0;) pl_b64_encode(buf + g * 3, 3, buf + g * 4);
}

int32_t panolm_megolm_outbound_encrypt(panolm_megolm_outbound *s, const uint8_t *plaintext, size_t plaintext_len,
                                       uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(s && out && out_len, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext != NULL || plaintext_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext_len <= PANOLM_MEGOLM_MAX_PLAINTEXT_LENGTH, PANOLM_TOO_LARGE);
    size_t ct_len = plaintext_len - plaintext_len % 16 + 16;
    size_t msg_len = ml_message_length(s->ratchet.counter, plaintext_len);
    size_t b64_len = pl_b64_encoded_len(msg_len);
    PL_CHECK(out_cap >= b64_len, PANOLM_OUTPUT_TOO_SMALL);

    uint8_t keys[80];
    ml_message_keys(s->ratchet.r, keys);
    size_t header = ml_write_header(out, s->ratchet.counter, ct_len);
    size_t n = 0;
    int rc = pl_cbc_encrypt(keys, keys + 64, plaintext, plaintext_len, out + header, ct_len, &n);
    if (rc == PANOLM_OK) {
        uint8_t mac[32];
        pl_hmac256_oneshot(keys + 32, 32, out, header + ct_len, mac);
        memcpy(out + header + ct_len, mac, ML_MAC);
        pl_wipe(mac, sizeof mac);
        if (crypto_sign_detached(out + header + ct_len + ML_MAC, NULL, out, header + ct_len + ML_MAC,
                                 s->secret_key) != 0) rc = PANOLM_INTERNAL;
    }
    pl_wipe(keys, sizeof keys);
    if (rc != PANOLM_OK) {
        pl_wipe(out, msg_len);
        return rc;
    }
    b64_encode_in_place(out, msg_len);
    ml_advance(&s->ratchet);
    *out_len = b64_len;
    return PANOLM_OK;
}

/* --- inbound --- */

static int inbound_new(const uint8_t *ratchet, uint32_t index, const uint8_t *public_key, int verified,
                       panolm_megolm_inbound **out) {
    panolm_megolm_inbound *s = calloc(1, sizeof *s);
    if (s == NULL) return PANOLM_INTERNAL;
    if (pthread_mutex_init(&s->lock, NULL) != 0) { free(s); return PANOLM_INTERNAL; }
    memcpy(s->initial.r, ratchet, ML_RATCHET);
    s->initial.counter = index;
    s->latest = s->initial;
    memcpy(s->public_key, public_key, 32);
    s->verified = verified;
    ml_replay_init(&s->replay);
    atomic_init(&s->key_state, PL_ED25519_KEY_UNKNOWN);
    *out = s;
    return PANOLM_OK;
}

int32_t panolm_megolm_inbound_from_session_key(const uint8_t *key, size_t key_len, panolm_megolm_inbound **out) {
    PL_CHECK(out != NULL && (key != NULL || key_len == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    PL_CHECK(key_len > 0, PANOLM_BAD_KEY);
    PL_CHECK(key[0] == 2, PANOLM_BAD_VERSION);
    PL_CHECK(key_len == PANOLM_MEGOLM_SESSION_KEY_LENGTH, PANOLM_BAD_KEY);
    if (crypto_sign_verify_detached(key + 165, key, 165, key + 133) != 0) return PANOLM_BAD_SIGNATURE;
    return inbound_new(key + 5, get_be32(key + 1), key + 133, 1, out);
}

int32_t panolm_megolm_inbound_import(const uint8_t *export_bytes, size_t export_len, panolm_megolm_inbound **out) {
    PL_CHECK(out != NULL && (export_bytes != NULL || export_len == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    PL_CHECK(export_len > 0, PANOLM_BAD_KEY);
    PL_CHECK(export_bytes[0] == 1, PANOLM_BAD_VERSION);
    PL_CHECK(export_len == PANOLM_MEGOLM_EXPORT_LENGTH, PANOLM_BAD_KEY);
    return inbound_new(export_bytes + 5, get_be32(export_bytes + 1), export_bytes + 133, 0, out);
}

/* Two copies of one session connect when the lower-index ratchet, advanced to the other's index, is the
 * other's ratchet. The advance is at most 1020 HMACs whatever the distance (four 256-step parts), so a
 * hostile index cannot make this slow. */
int32_t panolm_megolm_export_connects(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                                      int32_t *connected) {
    PL_CHECK(connected != NULL && (a != NULL || a_len == 0) && (b != NULL || b_len == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(a_len > 0 && b_len > 0, PANOLM_BAD_KEY);
    PL_CHECK(a[0] == 1 && b[0] == 1, PANOLM_BAD_VERSION);
    PL_CHECK(a_len == PANOLM_MEGOLM_EXPORT_LENGTH && b_len == PANOLM_MEGOLM_EXPORT_LENGTH, PANOLM_BAD_KEY);
    if (memcmp(a + 133, b + 133, 32) != 0) {   /* public keys: different sessions */
        *connected = 0;
        return PANOLM_OK;
    }
    uint32_t ia = get_be32(a + 1), ib = get_be32(b + 1);
    const uint8_t *lower = ia <= ib ? a : b, *higher = ia <= ib ? b : a;
    ml_ratchet m;
    memcpy(m.r, lower + 5, ML_RATCHET);
    m.counter = ia <= ib ? ia : ib;
    uint32_t target = ia <= ib ? ib : ia;
    if (target != m.counter) ml_advance_to(&m, target);
    int same = pl_ct_equal(m.r, higher + 5, ML_RATCHET);
    pl_wipe(&m, sizeof m);
    *connected = same ? 1 : 0;
    return PANOLM_OK;
}

void panolm_megolm_inbound_free(panolm_megolm_inbound *s) {
    if (s == NULL) return;
    pthread_mutex_destroy(&s->lock);
    ml_replay_free(&s->replay);
    pl_wipe(s, sizeof *s);
    free(s);
}

int32_t panolm_megolm_inbound_public_key(panolm_megolm_inbound *s, uint8_t *public32) {
    PL_CHECK(s && public32, PANOLM_INVALID_ARGUMENT);
    memcpy(public32, s->public_key, 32);   /* immutable after creation: no lock needed */
    return PANOLM_OK;
}

uint32_t panolm_megolm_inbound_first_known_index(panolm_megolm_inbound *s) {
    return s == NULL ? 0 : s->initial.counter;   /* immutable after creation */
}

int32_t panolm_megolm_inbound_is_verified(panolm_megolm_inbound *s) {
    if (s == NULL) return 0;
    pthread_mutex_lock(&s->lock);
    int v = s->verified;
    pthread_mutex_unlock(&s->lock);
    return v;
}

int32_t panolm_megolm_inbound_export(panolm_megolm_inbound *s, uint32_t index, uint8_t *out165) {
    PL_CHECK(s && out165, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(index >= s->initial.counter, PANOLM_UNKNOWN_INDEX);
    ml_ratchet m;
    pthread_mutex_lock(&s->lock);
    m = s->latest.counter <= index ? s->latest : s->initial;
    pthread_mutex_unlock(&s->lock);
    ml_advance_to(&m, index);
    out165[0] = 1;
    put_be32(out165 + 1, index);
    memcpy(out165 + 5, m.r, ML_RATCHET);
    memcpy(out165 + 133, s->public_key, 32);
    pl_wipe(&m, sizeof m);
    return PANOLM_OK;
}

int32_t panolm_megolm_inbound_bind_room(panolm_megolm_inbound *s, const uint8_t *room_id, size_t room_id_len) {
    PL_CHECK(s && room_id && room_id_len > 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(room_id_len <= PANOLM_MEGOLM_MAX_ROOM_ID_LENGTH, PANOLM_TOO_LARGE);
    int rc = PANOLM_OK;
    pthread_mutex_lock(&s->lock);
    if (s->room_id_len == 0) {
        memcpy(s->room_id, room_id, room_id_len);
        s->room_id_len = room_id_len;
    } else if (s->room_id_len != room_id_len || memcmp(s->room_id, room_id, room_id_len) != 0) {
        rc = PANOLM_ROOM_MISMATCH;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

size_t panolm_megolm_inbound_replay_entries(panolm_megolm_inbound *s) {
    if (s == NULL) return 0;
    pthread_mutex_lock(&s->lock);
    size_t n = s->replay.size;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t panolm_megolm_inbound_replay_bytes(panolm_megolm_inbound *s) {
    if (s == NULL) return 0;
    pthread_mutex_lock(&s->lock);
    size_t n = ml_replay_bytes(&s->replay);
    pthread_mutex_unlock(&s->lock);
    return n;
}

int ml_session_room_ok(const panolm_megolm_inbound *s, const uint8_t *room_id, size_t room_id_len) {
    /* room_id is fixed once set; read under the caller's lock */
    if (s->room_id_len == 0 || room_id_len == 0) return 1;
    return s->room_id_len == room_id_len && memcmp(s->room_id, room_id, room_id_len) == 0;
}

int ml_verify(const panolm_megolm_inbound *s, const uint8_t *buf, size_t len) {
    return crypto_sign_verify_detached(buf + len - ML_SIG, buf, len - ML_SIG, s->public_key) == 0
           ? PANOLM_OK : PANOLM_BAD_SIGNATURE;
}

void ml_signed_input(panolm_megolm_inbound *s, const uint8_t *buf, size_t len, pl_ed25519_input *out) {
    out->message = buf;
    out->length = len - ML_SIG;
    out->signature = buf + len - ML_SIG;
    out->public_key = s->public_key;
    out->key_state = &s->key_state;
}

int ml_open(const ml_ratchet *initial, const ml_ratchet *latest, ml_cursor *cursor, uint8_t *buf,
            const ml_message *msg, const uint8_t *room_id, size_t room_id_len, size_t *pt_len) {
    uint32_t index = msg->index;
    if (!cursor->work_valid || cursor->work.counter > index) {
        cursor->work = latest->counter <= index ? *latest : *initial;
        cursor->work_valid = 1;
    }
    ml_advance_to(&cursor->work, index);

    uint8_t keys[80], mac[32];
    ml_message_keys(cursor->work.r, keys);
    pl_hmac256_oneshot(keys + 32, 32, buf, msg->mac_offset, mac);
    int rc = pl_ct_equal(mac, buf + msg->mac_offset, ML_MAC) ? PANOLM_OK : PANOLM_BAD_MAC;
    size_t n = 0;
    if (rc == PANOLM_OK) {
        /* The ciphertext moves to the front of the buffer and is decrypted in place (exact overlap
         * is allowed by EVP; partial overlap is not). */
        size_t ct_len = msg->ciphertext_len;
        memmove(buf, msg->ciphertext, ct_len);
        rc = pl_cbc_decrypt(keys, keys + 64, buf, ct_len, buf, ct_len, &n);
    }
    pl_wipe(keys, sizeof keys);
    pl_wipe(mac, sizeof mac);
    if (rc == PANOLM_OK && room_id_len > 0) {
        int m = ml_room_matches(buf, n, room_id, room_id_len);
        if (m != 1) {
            rc = m == 0 ? PANOLM_ROOM_MISMATCH : PANOLM_BAD_EVENT;
            pl_wipe(buf, n);
        }
    }
    *pt_len = rc == PANOLM_OK ? n : 0;
    return rc;
}

int ml_decrypt_verified(panolm_megolm_inbound *s, ml_cursor *cursor, uint8_t *buf, size_t len, const ml_message *msg,
                        uint64_t tag, const uint8_t *room_id, size_t room_id_len, size_t *pt_len) {
    (void) len;
    uint32_t index = msg->index;
    /* Plain unsigned comparison, as vodozemac: no wrapping back to indices before the first known. */
    if (index < s->initial.counter) return PANOLM_UNKNOWN_INDEX;
    if (tag != 0) {
        int replay = ml_replay_check(&s->replay, index, tag);
        if (replay != PANOLM_OK) return replay;
    }
    size_t n = 0;
    int rc = ml_open(&s->initial, &s->latest, cursor, buf, msg, room_id, room_id_len, &n);
    if (rc != PANOLM_OK) return rc;
    if (tag != 0) ml_replay_decrypted(&s->replay, index, tag);
    s->verified = 1;
    *pt_len = n;
    return PANOLM_OK;
}

void ml_cursor_finish(panolm_megolm_inbound *s, ml_cursor *cursor) {
    if (cursor->work_valid && cursor->work.counter > s->latest.counter) s->latest = cursor->work;
    pl_wipe(cursor, sizeof *cursor);
}

size_t panolm_megolm_decrypt_max_plaintext_length(size_t base64_len) {
    return base64_len / 4 * 3 + 2;
}

int32_t panolm_megolm_inbound_decrypt(panolm_megolm_inbound *s, const uint8_t *base64, size_t base64_len,
                                      const uint8_t *event_id, size_t event_id_len,
                                      const uint8_t *room_id, size_t room_id_len,
                                      uint8_t *out, size_t out_cap, size_t *out_len, uint32_t *index) {
    PL_CHECK(s && out_len && index, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(base64 != NULL || base64_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(event_id != NULL || event_id_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(room_id != NULL || room_id_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(panolm_megolm_decrypt_max_plaintext_length(base64_len) <= ML_MAX_MESSAGE, PANOLM_TOO_LARGE);
    PL_CHECK(out_cap >= panolm_megolm_decrypt_max_plaintext_length(base64_len), PANOLM_OUTPUT_TOO_SMALL);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);

    size_t len = 0;
    int rc = pl_b64_decode_public(base64, base64_len, out, out_cap, &len);
    if (rc != PANOLM_OK) return rc;
    ml_message msg;
    rc = ml_parse(out, len, &msg);
    if (rc != PANOLM_OK) { pl_wipe(out, len); return rc; }
    *index = msg.index;

    pthread_mutex_lock(&s->lock);
    uint64_t tag = 0;
    if (!ml_session_room_ok(s, room_id, room_id_len)) {
        rc = PANOLM_ROOM_MISMATCH;
    } else if (event_id_len > 0) {
        rc = ml_replay_reserve(&s->replay, 1);
        tag = ml_replay_tag(&s->replay, event_id, event_id_len);
    }
    size_t n = 0;
    if (rc == PANOLM_OK) {
        ml_cursor cursor;
        cursor.work_valid = 0;
        rc = ml_verify(s, out, len);
        if (rc == PANOLM_OK)
            rc = ml_decrypt_verified(s, &cursor, out, len, &msg, tag, room_id, room_id_len, &n);
        ml_cursor_finish(s, &cursor);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc != PANOLM_OK) {
        pl_wipe(out, len);
        return rc;
    }
    *out_len = n;
    return PANOLM_OK;
}
