/* The room checks. Input: room length (1) | room | plaintext.
 * 1. The plaintext check alone: a top-level "room_id" looked up in JSON that the sender controls.
 *    Properties: the answer is -1, 0 or 1; a room id that does not occur in the plaintext can never match.
 * 2. The session's binding, end to end: a session bound to the room decrypts a message (made by its
 *    sender) whose plaintext is the input's. Properties: binding again to the same room is accepted, to
 *    another refused (ROOM_MISMATCH), an empty room is INVALID_ARGUMENT and one over 255 bytes TOO_LARGE;
 *    an event naming another room fails ROOM_MISMATCH before any crypto; an event naming the bound room
 *    gets exactly the plaintext check's verdict (OK, ROOM_MISMATCH, BAD_EVENT); an event naming no room is
 *    not checked; the batch path agrees with the single one in every case. */
#include "megolm_fixture.h"

static int initialised;

static int expected_for_plaintext(int match) {
    return match == 1 ? PANOLM_OK : match == 0 ? PANOLM_ROOM_MISMATCH : PANOLM_BAD_EVENT;
}

/* Decrypts text (base64, for event room `room`) single and batched, on fresh sessions bound to `bound`;
 * both must give `expected`. */
static void decrypt_both(const uint8_t *text, size_t text_len, const uint8_t *bound, size_t bound_len,
                         const uint8_t *room, size_t room_len, int expected) {
    size_t cap = panolm_megolm_decrypt_max_plaintext_length(text_len);
    uint8_t *out = malloc(cap ? cap : 1);
    size_t out_len = 0;
    uint32_t index = 0;
    panolm_megolm_inbound *in = fixture_inbound();
    FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, bound, bound_len) == PANOLM_OK, "bind");
    int rc = panolm_megolm_inbound_decrypt(in, text, text_len, (const uint8_t *) "$e", 2, room, room_len, out, cap,
                                           &out_len, &index);
    FUZZ_REQUIRE(rc == expected, "single decryption: the room verdict");
    panolm_megolm_inbound_free(in);

    in = fixture_inbound();
    FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, bound, bound_len) == PANOLM_OK, "bind");
    size_t input_len = text_len + room_len;
    uint8_t *input = malloc(input_len ? input_len : 1);
    memcpy(input, text, text_len);
    if (room_len) memcpy(input + text_len, room, room_len);
    panolm_megolm_batch_message m = {0, 0, text_len, (uint32_t) text_len, 0, (uint32_t) room_len, 0};
    panolm_megolm_batch_result r;
    FUZZ_REQUIRE(panolm_megolm_batch_decrypt(&in, 1, input, input_len, &m, 1, out, cap, &r, 1) == PANOLM_OK, "batch");
    FUZZ_REQUIRE(r.status == expected, "batch decryption: the room verdict");
    panolm_megolm_inbound_free(in);
    free(input);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!initialised) { fixture_megolm_init(); initialised = 1; }
    if (size < 1 || (size_t) data[0] + 1 > size) return 0;
    size_t room_len = data[0];
    uint8_t *room = fuzz_copy(data + 1, room_len);
    uint8_t *json = fuzz_copy(data + 1 + room_len, size - 1 - room_len);
    size_t json_len = size - 1 - room_len;
    int r = ml_room_matches(json, json_len, room, room_len);
    FUZZ_REQUIRE(r == -1 || r == 0 || r == 1, "room check result");
    if (r == 1 && room_len > 0) {
        /* JSON escapes could spell the room differently; only check rooms made of plain characters. */
        int plain = 1;
        for (size_t i = 0; i < room_len; i++) plain &= room[i] >= 0x20 && room[i] < 0x7f && room[i] != '\\' && room[i] != '"';
        if (plain && memmem(json, json_len, room, room_len) == NULL) {
            int escaped = memchr(json, '\\', json_len) != NULL;
            FUZZ_REQUIRE(escaped, "matched a room that does not occur in the plaintext");
        }
    }

    /* The binding itself. */
    panolm_megolm_inbound *in = fixture_inbound();
    if (room_len == 0) {
        FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, room, 0) == PANOLM_INVALID_ARGUMENT, "empty room");
    } else {
        FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, room, room_len) == PANOLM_OK, "first binding");
        FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, room, room_len) == PANOLM_OK, "the same room again");
        uint8_t other[256];
        memcpy(other, room, room_len);
        other[room_len - 1] ^= 1;
        FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, other, room_len) == PANOLM_ROOM_MISMATCH, "another room");
        FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(in, room, room_len - 1 ? room_len - 1 : 1) == PANOLM_ROOM_MISMATCH
                     || room_len == 1, "a prefix of the room is another room");
    }
    uint8_t long_room[PANOLM_MEGOLM_MAX_ROOM_ID_LENGTH + 1];
    memset(long_room, 'r', sizeof long_room);
    panolm_megolm_inbound *fresh = fixture_inbound();
    FUZZ_REQUIRE(panolm_megolm_inbound_bind_room(fresh, long_room, sizeof long_room) == PANOLM_TOO_LARGE, "long room");
    panolm_megolm_inbound_free(fresh);
    panolm_megolm_inbound_free(in);

    /* End to end, with a message whose plaintext is the input's JSON. */
    if (room_len > 0 && json_len <= 4096) {
        uint8_t ratchet[128], seed[32];
        fixture_megolm_ratchet(ratchet);
        fixture_megolm_seed(seed);
        panolm_megolm_outbound *out = NULL;
        FUZZ_REQUIRE(panolm_megolm_outbound_from_parts(ratchet, 0, seed, &out) == PANOLM_OK, "sender");
        size_t cap = panolm_megolm_encrypted_length(json_len), text_len = 0;
        uint8_t *text = malloc(cap);
        FUZZ_REQUIRE(panolm_megolm_outbound_encrypt(out, json, json_len, text, cap, &text_len) == PANOLM_OK, "encrypt");
        panolm_megolm_outbound_free(out);
        decrypt_both(text, text_len, room, room_len, room, room_len, expected_for_plaintext(r));
        uint8_t other[256];
        memcpy(other, room, room_len);
        other[0] ^= 0x20;
        decrypt_both(text, text_len, room, room_len, other, room_len, PANOLM_ROOM_MISMATCH);
        decrypt_both(text, text_len, room, room_len, NULL, 0, PANOLM_OK);
        free(text);
    }
    free(room);
    free(json);
    return 0;
}
