/* The plaintext room check: a top-level "room_id" looked up in JSON that the sender controls. Input:
 * room length (1) | room | plaintext. Properties: the answer is -1, 0 or 1; and a room id that does not
 * occur in the plaintext at all can never match. */
#include "harness.h"
#include "megolm_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
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
    free(room);
    free(json);
    return 0;
}
