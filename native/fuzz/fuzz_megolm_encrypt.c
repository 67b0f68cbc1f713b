/* Outbound Megolm encryption from any session state and plaintext. Input: ratchet (128) | index (u32 BE) |
 * Ed25519 seed (32) | room (1 byte: bit 0 bind, bits 1.. how much output room to give) | plaintext.
 * Properties: the encryption fits panolm_megolm_encrypted_length and nothing past the announced length is
 * written; too little room is OUTPUT_TOO_SMALL and leaves the session where it was; a receiver made from
 * the session key taken just before decrypts exactly the plaintext at exactly that index (through both the
 * single and the batch path); the session then stands at the next index (mod 2^32); two messages at one
 * index never come out of one session. */
#include "harness.h"

#define CANARY 0xA5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 128 + 4 + 32 + 1) return 0;
    const uint8_t *ratchet = data, *seed = data + 132;
    uint32_t index = (uint32_t) data[128] << 24 | (uint32_t) data[129] << 16 | (uint32_t) data[130] << 8 | data[131];
    uint8_t mode = data[164];
    size_t pt_len = size - 165;
    uint8_t *plaintext = fuzz_copy(data + 165, pt_len);

    panolm_megolm_outbound *out = NULL;
    FUZZ_REQUIRE(panolm_megolm_outbound_from_parts(ratchet, index, seed, &out) == PANOLM_OK, "outbound from parts");
    FUZZ_REQUIRE(panolm_megolm_outbound_index(out) == index, "starts at its index");
    uint8_t key[PANOLM_MEGOLM_SESSION_KEY_LENGTH];
    FUZZ_REQUIRE(panolm_megolm_outbound_session_key(out, key) == PANOLM_OK, "session key");

    size_t need = panolm_megolm_encrypted_length(pt_len);
    FUZZ_REQUIRE(need > 0, "a fuzz-sized plaintext is within the limit");
    /* Too little room first: refused, nothing written, the index unchanged. */
    size_t short_cap = (mode >> 1) % (need < 128 ? need : 128);
    uint8_t *small = malloc(short_cap + 1);
    memset(small, CANARY, short_cap + 1);
    size_t n = 0;
    int rc = panolm_megolm_outbound_encrypt(out, plaintext, pt_len, small, short_cap, &n);
    FUZZ_REQUIRE(rc == PANOLM_OUTPUT_TOO_SMALL || (rc == PANOLM_OK && n <= short_cap), "a short buffer is refused");
    if (rc == PANOLM_OK) {
        /* Possible only when the real length (small index varint) fits: then it is a real message. */
        FUZZ_REQUIRE(panolm_megolm_outbound_index(out) == index + 1u, "advanced after a message");
        panolm_megolm_outbound_free(out);
        FUZZ_REQUIRE(panolm_megolm_outbound_from_parts(ratchet, index, seed, &out) == PANOLM_OK, "outbound again");
    } else {
        FUZZ_REQUIRE(panolm_megolm_outbound_index(out) == index, "a refused call moves nothing");
        for (size_t i = 0; i <= short_cap; i++) FUZZ_REQUIRE(small[i] == CANARY, "nothing written when refused");
    }
    free(small);

    uint8_t *text = malloc(need + 16);
    memset(text, CANARY, need + 16);
    FUZZ_REQUIRE(panolm_megolm_outbound_encrypt(out, plaintext, pt_len, text, need, &n) == PANOLM_OK, "encrypts");
    FUZZ_REQUIRE(n <= need, "fits the announced length");
    for (size_t i = n; i < need + 16; i++) FUZZ_REQUIRE(text[i] == CANARY, "nothing written past the message");
    FUZZ_REQUIRE(panolm_megolm_outbound_index(out) == index + 1u, "advanced by one");

    /* The receiver, from the key of the index the message used. */
    panolm_megolm_inbound *in = NULL;
    FUZZ_REQUIRE(panolm_megolm_inbound_from_session_key(key, sizeof key, &in) == PANOLM_OK, "inbound from the key");
    static const uint8_t room[] = "!r:x";
    int bind = mode & 1;
    if (bind) FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, room, 4) == PANOLM_OK, "bind");
    size_t cap = panolm_megolm_decrypt_max_plaintext_length(n);
    uint8_t *back = malloc(cap ? cap : 1);
    size_t back_len = 0;
    uint32_t back_index = 0;
    rc = panolm_megolm_inbound_decrypt(in, text, n, (const uint8_t *) "$e", 2, NULL, 0, back, cap, &back_len, &back_index);
    FUZZ_REQUIRE(rc == PANOLM_OK, "the receiver decrypts it");
    FUZZ_REQUIRE(back_index == index && back_len == pt_len && memcmp(back, plaintext, pt_len) == 0, "round trip");

    /* The batch path agrees, on a fresh receiver. */
    panolm_megolm_inbound *in2 = NULL;
    FUZZ_REQUIRE(panolm_megolm_inbound_from_session_key(key, sizeof key, &in2) == PANOLM_OK, "second inbound");
    panolm_megolm_batch_message m = {0, 0, 0, (uint32_t) n, 0, 0, 0};
    panolm_megolm_batch_result r;
    memset(back, 0, cap);
    FUZZ_REQUIRE(panolm_megolm_batch_decrypt(&in2, 1, text, n, &m, 1, back, cap, &r, 1) == PANOLM_OK, "batch runs");
    FUZZ_REQUIRE(r.status == PANOLM_OK && r.message_index == index && r.plaintext_length == pt_len
                 && memcmp(back + r.plaintext_offset, plaintext, pt_len) == 0, "batch round trip");

    /* The next message has the next index, and decrypts to what was sent. */
    size_t n2 = 0;
    uint8_t *text2 = malloc(need);
    FUZZ_REQUIRE(panolm_megolm_outbound_encrypt(out, plaintext, pt_len, text2, need, &n2) == PANOLM_OK, "again");
    cap = panolm_megolm_decrypt_max_plaintext_length(n2);
    uint8_t *back2 = malloc(cap ? cap : 1);
    rc = panolm_megolm_inbound_decrypt(in, text2, n2, (const uint8_t *) "$f", 2, NULL, 0, back2, cap, &back_len, &back_index);
    if (index != UINT32_MAX) {
        FUZZ_REQUIRE(rc == PANOLM_OK && back_index == index + 1u, "the next index");
    } else {
        FUZZ_REQUIRE(rc == PANOLM_UNKNOWN_INDEX, "after 2^32 - 1 the index wraps below the receiver's first");
    }

    free(back2);
    free(text2);
    free(back);
    free(text);
    free(plaintext);
    panolm_megolm_inbound_free(in);
    panolm_megolm_inbound_free(in2);
    panolm_megolm_outbound_free(out);
    return 0;
}
