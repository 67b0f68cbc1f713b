/* Olm messages (version 3) and pre-key messages: 0x03 then protobuf-style fields, in any order, unknown
 * varint and length-delimited fields skipped, as libolm and vodozemac read them. Stricter than libolm:
 * every field this code uses must be present with its exact length (vodozemac's rule), a varint wider
 * than its type is an error rather than truncated, and a length running past the end is TRUNCATED. */
#include "olm_internal.h"

#define TAG_RATCHET_KEY 0x0A   /* message: field 1, bytes */
#define TAG_COUNTER 0x10       /* message: field 2, varint */
#define TAG_CIPHERTEXT 0x22    /* message: field 4, bytes */
#define TAG_ONE_TIME_KEY 0x0A  /* pre-key: field 1, bytes */
#define TAG_BASE_KEY 0x12      /* pre-key: field 2, bytes */
#define TAG_IDENTITY_KEY 0x1A  /* pre-key: field 3, bytes */
#define TAG_MESSAGE 0x22       /* pre-key: field 4, bytes */

static int read_varint(const uint8_t **pos, const uint8_t *end, unsigned max_bits, uint64_t *value) {
    uint64_t v = 0;
    unsigned shift = 0;
    const uint8_t *p = *pos;
    for (;;) {
        if (p == end) return PANOLM_TRUNCATED;
        uint8_t b = *p++;
        if (shift >= max_bits) return PANOLM_BAD_MESSAGE_FORMAT;
        uint64_t part = (uint64_t) (b & 0x7F);
        if (max_bits - shift < 7 && (part >> (max_bits - shift)) != 0) return PANOLM_BAD_MESSAGE_FORMAT;
        v |= part << shift;
        shift += 7;
        if ((b & 0x80) == 0) break;
    }
    *pos = p;
    *value = v;
    return PANOLM_OK;
}

/* One field: bytes and len for wire type 2, value for wire type 0. */
typedef struct {
    uint64_t tag;
    uint64_t value;
    const uint8_t *bytes;
    size_t len;
} field;

static int next_field(const uint8_t **p, const uint8_t *end, field *f) {
    int rc = read_varint(p, end, 32, &f->tag);
    if (rc != PANOLM_OK) return rc;
    unsigned wire = (unsigned) (f->tag & 7);
    if (wire == 0) return read_varint(p, end, 64, &f->value);
    if (wire != 2) return PANOLM_BAD_MESSAGE_FORMAT;
    uint64_t n;
    rc = read_varint(p, end, 64, &n);
    if (rc != PANOLM_OK) return rc;
    if (n > (uint64_t) (end - *p)) return PANOLM_TRUNCATED;
    f->bytes = *p;
    f->len = (size_t) n;
    *p += n;
    return PANOLM_OK;
}

int ol_parse_message(const uint8_t *msg, size_t len, ol_message *out) {
    if (len == 0) return PANOLM_TRUNCATED;
    if (msg[0] != OL_VERSION) return PANOLM_BAD_VERSION;
    if (len < 1 + OL_MAC) return PANOLM_TRUNCATED;
    const uint8_t *p = msg + 1, *end = msg + len - OL_MAC;
    int have_key = 0, have_counter = 0, have_ct = 0;
    while (p < end) {
        field f;
        int rc = next_field(&p, end, &f);
        if (rc != PANOLM_OK) return rc;
        if (f.tag == TAG_RATCHET_KEY) {
            if (f.len != OL_KEY) return PANOLM_BAD_MESSAGE_FORMAT;
            out->ratchet_key = f.bytes;
            have_key = 1;
        } else if (f.tag == TAG_COUNTER) {
            if (f.value > UINT32_MAX) return PANOLM_BAD_MESSAGE_FORMAT;
            out->counter = (uint32_t) f.value;
            have_counter = 1;
        } else if (f.tag == TAG_CIPHERTEXT) {
            out->ciphertext = f.bytes;
            out->ciphertext_len = f.len;
            have_ct = 1;
        }
    }
    if (!have_key || !have_counter || !have_ct) return PANOLM_BAD_MESSAGE_FORMAT;
    out->mac_offset = len - OL_MAC;
    return PANOLM_OK;
}

int ol_parse_pre_key(const uint8_t *msg, size_t len, ol_pre_key *out) {
    if (len == 0) return PANOLM_TRUNCATED;
    if (msg[0] != OL_VERSION) return PANOLM_BAD_VERSION;
    const uint8_t *p = msg + 1, *end = msg + len;
    const uint8_t **keys[3] = {&out->one_time_key, &out->base_key, &out->identity_key};
    static const uint64_t key_tags[3] = {TAG_ONE_TIME_KEY, TAG_BASE_KEY, TAG_IDENTITY_KEY};
    int have[4] = {0, 0, 0, 0};
    while (p < end) {
        field f;
        int rc = next_field(&p, end, &f);
        if (rc != PANOLM_OK) return rc;
        for (int i = 0; i < 3; i++) {
            if (f.tag == key_tags[i]) {
                if (f.len != OL_KEY) return PANOLM_BAD_MESSAGE_FORMAT;
                *keys[i] = f.bytes;
                have[i] = 1;
            }
        }
        if (f.tag == TAG_MESSAGE) {
            out->message = f.bytes;
            out->message_len = f.len;
            have[3] = 1;
        }
    }
    if (!have[0] || !have[1] || !have[2] || !have[3]) return PANOLM_BAD_MESSAGE_FORMAT;
    return PANOLM_OK;
}

static size_t varint_length(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) { v >>= 7; n++; }
    return n;
}

static uint8_t *write_varint(uint8_t *p, uint64_t v) {
    while (v >= 0x80) { *p++ = (uint8_t) (v | 0x80); v >>= 7; }
    *p++ = (uint8_t) v;
    return p;
}

static uint8_t *write_bytes_field(uint8_t *p, uint8_t tag, const uint8_t *bytes, size_t len) {
    *p++ = tag;
    p = write_varint(p, len);
    if (bytes != NULL) memcpy(p, bytes, len);
    return p + len;
}

size_t ol_message_length(uint32_t counter, size_t plaintext_len) {
    size_t ct = plaintext_len - plaintext_len % 16 + 16;
    return 1 + 2 + OL_KEY + 1 + varint_length(counter) + 1 + varint_length(ct) + ct + OL_MAC;
}

size_t ol_pre_key_length(size_t message_len) {
    return 1 + 3 * (2 + OL_KEY) + 1 + varint_length(message_len) + message_len;
}

size_t ol_write_message_header(uint8_t *out, const uint8_t ratchet_key[OL_KEY], uint32_t counter,
                               size_t ciphertext_len) {
    uint8_t *p = out;
    *p++ = OL_VERSION;
    p = write_bytes_field(p, TAG_RATCHET_KEY, ratchet_key, OL_KEY);
    *p++ = TAG_COUNTER;
    p = write_varint(p, counter);
    *p++ = TAG_CIPHERTEXT;
    p = write_varint(p, ciphertext_len);
    return (size_t) (p - out);
}

size_t ol_write_pre_key_header(uint8_t *out, const uint8_t one_time[OL_KEY], const uint8_t base[OL_KEY],
                               const uint8_t identity[OL_KEY], size_t message_len) {
    uint8_t *p = out;
    *p++ = OL_VERSION;
    p = write_bytes_field(p, TAG_ONE_TIME_KEY, one_time, OL_KEY);
    p = write_bytes_field(p, TAG_BASE_KEY, base, OL_KEY);
    p = write_bytes_field(p, TAG_IDENTITY_KEY, identity, OL_KEY);
    *p++ = TAG_MESSAGE;
    p = write_varint(p, message_len);
    return (size_t) (p - out);
}

static const uint8_t KEYS_INFO[] = "OLM_KEYS";

/* AES key (32) | MAC key (32) | IV (16) */
static void cipher_keys(const ol_message_key *mk, uint8_t keys[80]) {
    pl_hkdf256(NULL, 0, mk->key, OL_KEY, KEYS_INFO, sizeof KEYS_INFO - 1, keys, 80);
}

int ol_seal(const ol_message_key *mk, const uint8_t *plaintext, size_t plaintext_len, uint8_t *buf,
            size_t header_len) {
    uint8_t keys[80], mac[32];
    size_t ct_len = plaintext_len - plaintext_len % 16 + 16, n = 0;
    cipher_keys(mk, keys);
    int rc = pl_cbc_encrypt(keys, keys + 64, plaintext, plaintext_len, buf + header_len, ct_len, &n);
    if (rc == PANOLM_OK) {
        pl_hmac256_oneshot(keys + 32, 32, buf, header_len + ct_len, mac);
        memcpy(buf + header_len + ct_len, mac, OL_MAC);
    }
    pl_wipe(keys, sizeof keys);
    pl_wipe(mac, sizeof mac);
    return rc;
}

int ol_open(const ol_message_key *mk, const uint8_t *msg, const ol_message *parsed, uint8_t *out, size_t *out_len) {
    uint8_t keys[80], mac[32];
    cipher_keys(mk, keys);
    pl_hmac256_oneshot(keys + 32, 32, msg, parsed->mac_offset, mac);
    int rc = pl_ct_equal(mac, msg + parsed->mac_offset, OL_MAC) ? PANOLM_OK : PANOLM_BAD_MAC;
    if (rc == PANOLM_OK)
        rc = pl_cbc_decrypt(keys, keys + 64, parsed->ciphertext, parsed->ciphertext_len, out,
                            parsed->ciphertext_len, out_len);
    pl_wipe(keys, sizeof keys);
    pl_wipe(mac, sizeof mac);
    return rc;
}
