/* The fixture's Megolm session (fixture.h) as harnesses use it: an inbound session made fresh for each
 * input (so no state carries between inputs), and re-signing of message bodies with the sender's keys. */
#ifndef PANOLM_FUZZ_MEGOLM_FIXTURE_H
#define PANOLM_FUZZ_MEGOLM_FIXTURE_H

#include "harness.h"
#include "fixture.h"
#include "megolm_internal.h"

static uint8_t fixture_session_key[PANOLM_MEGOLM_SESSION_KEY_LENGTH];

static inline void fixture_megolm_init(void) {
    uint8_t ratchet[128], seed[32];
    fixture_megolm_ratchet(ratchet);
    fixture_megolm_seed(seed);
    panolm_megolm_outbound *out = NULL;
    if (panolm_megolm_outbound_from_parts(ratchet, 0, seed, &out) != PANOLM_OK
        || panolm_megolm_outbound_session_key(out, fixture_session_key) != PANOLM_OK) abort();
    panolm_megolm_outbound_free(out);
}

static inline panolm_megolm_inbound *fixture_inbound(void) {
    panolm_megolm_inbound *in = NULL;
    if (panolm_megolm_inbound_from_session_key(fixture_session_key, sizeof fixture_session_key, &in) != PANOLM_OK)
        abort();
    return in;
}

/* body || MAC || signature, as the fixture's sender would write it (MAC keys of the index the body
 * claims; an unparseable body gets keys of index 0). Returns a malloc'd buffer of body_len + 72. */
static inline uint8_t *fixture_sign(const uint8_t *body, size_t body_len) {
    uint8_t *msg = calloc(1, body_len + 72);
    if (msg == NULL) abort();
    memcpy(msg, body, body_len);
    ml_message parsed;
    uint32_t index = ml_parse(msg, body_len + 72, &parsed) == PANOLM_OK ? parsed.index : 0;
    uint8_t ratchet[128], seed[32], keys[80];
    uint32_t counter = 0;
    fixture_megolm_ratchet(ratchet);
    fixture_megolm_seed(seed);
    if (index > 4096) index = 0; /* keep one input cheap; high indices are covered unsigned */
    if (panolm_megolm_ratchet_advance_to(ratchet, &counter, index) != PANOLM_OK) abort();
    panolm_megolm_message_keys(ratchet, keys);
    uint8_t mac[32];
    pl_hmac256_oneshot(keys + 32, 32, msg, body_len, mac);
    memcpy(msg + body_len, mac, 8);
    if (panolm_ed25519_sign(seed, msg, body_len + 8, msg + body_len + 8) != PANOLM_OK) abort();
    return msg;
}

/* Base64 text of bytes, malloc'd. */
static inline uint8_t *fixture_b64(const uint8_t *bytes, size_t n, size_t *out_len) {
    size_t len = panolm_base64_encoded_length(n);
    uint8_t *text = malloc(len ? len : 1);
    if (text == NULL || panolm_base64_encode(bytes, n, text, len, out_len) != PANOLM_OK) abort();
    return text;
}

static inline int megolm_decrypt_status_ok(int rc) {
    switch (rc) {
    case PANOLM_OK: case PANOLM_BAD_BASE64: case PANOLM_BAD_VERSION: case PANOLM_TRUNCATED:
    case PANOLM_BAD_MESSAGE_FORMAT: case PANOLM_BAD_SIGNATURE: case PANOLM_UNKNOWN_INDEX:
    case PANOLM_REPLAYED_INDEX: case PANOLM_BAD_MAC: case PANOLM_BAD_PADDING: case PANOLM_ROOM_MISMATCH:
    case PANOLM_BAD_EVENT: case PANOLM_UNKNOWN_SESSION:
        return 1;
    default:
        return 0;
    }
}

#endif
