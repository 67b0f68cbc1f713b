/* The version-3 Megolm message: 0x03 | protobuf-style fields | MAC (8) | Ed25519 signature (64).
 * Field 1 (varint) is the message index, field 2 (bytes) the AES-CBC ciphertext. Like libolm and
 * vodozemac, fields may come in any order and unknown varint/bytes fields are skipped; unlike libolm,
 * a varint that does not fit its type is an error rather than silently truncated. */
#include "megolm_internal.h"

#define TAG_INDEX 0x08        /* field 1, wire type 0 */
#define TAG_CIPHERTEXT 0x12   /* field 2, wire type 2 */

/* Reads a varint of at most max_bits bits. PANOLM_TRUNCATED when it runs past end,
 * BAD_MESSAGE_FORMAT when it is longer than its type allows. */
static int read_varint(const uint8_t **pos, const uint8_t *end, unsigned max_bits, uint64_t *value) {
    uint64_t v = 0;
    unsigned shift = 0;
    const uint8_t *p = *pos;
    for (;;) {
        if (p == end) return PANOLM_TRUNCATED;
        uint8_t b = *p++;
        if (shift >= max_bits) return PANOLM_BAD_MESSAGE_FORMAT;
        uint64_t part = (uint64_t) (b & 0x7F);
        /* the bits beyond max_bits must be zero */
        if (max_bits - shift < 7 && (part >> (max_bits - shift)) != 0) return PANOLM_BAD_MESSAGE_FORMAT;
        v |= part << shift;
        shift += 7;
        if ((b & 0x80) == 0) break;
    }
    *pos = p;
    *value = v;
    return PANOLM_OK;
}

int ml_parse(const uint8_t *msg, size_t len, ml_message *out) {
    if (len == 0) return PANOLM_TRUNCATED;
    if (msg[0] != ML_VERSION) return PANOLM_BAD_VERSION;
    if (len < 1 + ML_TRAILER) return PANOLM_TRUNCATED;
    const uint8_t *p = msg + 1;
    const uint8_t *end = msg + len - ML_TRAILER;
    int have_index = 0, have_ciphertext = 0;
    while (p < end) {
        uint64_t tag, value;
        int rc = read_varint(&p, end, 32, &tag);
        if (rc != PANOLM_OK) return rc;
        unsigned wire = (unsigned) (tag & 7);
        if (wire == 0) {
            rc = read_varint(&p, end, 64, &value);
            if (rc != PANOLM_OK) return rc;
            if (tag == TAG_INDEX) {
                if (value > UINT32_MAX) return PANOLM_BAD_MESSAGE_FORMAT;
                out->index = (uint32_t) value;
                have_index = 1;
            }
        } else if (wire == 2) {
            rc = read_varint(&p, end, 64, &value);
            if (rc != PANOLM_OK) return rc;
            if (value > (uint64_t) (end - p)) return PANOLM_TRUNCATED;
            if (tag == TAG_CIPHERTEXT) {
                out->ciphertext = p;
                out->ciphertext_len = (size_t) value;
                have_ciphertext = 1;
            }
            p += value;
        } else {
            return PANOLM_BAD_MESSAGE_FORMAT;
        }
    }
    if (!have_index || !have_ciphertext) return PANOLM_BAD_MESSAGE_FORMAT;
    out->mac_offset = len - ML_TRAILER;
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

size_t ml_message_length(uint32_t index, size_t plaintext_len) {
    size_t ct = plaintext_len - plaintext_len % 16 + 16;
    return 1 + 1 + varint_length(index) + 1 + varint_length(ct) + ct + ML_TRAILER;
}

size_t ml_write_header(uint8_t *out, uint32_t index, size_t ciphertext_len) {
    uint8_t *p = out;
    *p++ = ML_VERSION;
    *p++ = TAG_INDEX;
    p = write_varint(p, index);   /* emitted even when 0: libolm requires the field */
    *p++ = TAG_CIPHERTEXT;
    p = write_varint(p, ciphertext_len);
    return (size_t) (p - out);
}
