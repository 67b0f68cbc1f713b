/* Batch Megolm decryption over two fresh sessions of the fixture (plus an unknown slot). Input: records
 * of slot (1) | flags (1) | length (u16 BE) | base64 text; flags bit 0 gives the message an event id
 * (number in bits 2..7, so ids repeat and replays happen), bit 1 a room id. Properties: the batch runs;
 * every status is documented; plaintexts lie in their announced slots; one thread and two threads give
 * identical results and plaintexts. */
#include "megolm_fixture.h"

#define MAX_MESSAGES 64

typedef struct {
    panolm_megolm_batch_message msgs[MAX_MESSAGES];
    size_t count;
    uint8_t *input;
    size_t input_len;
} parsed_batch;

static void parse(const uint8_t *data, size_t size, parsed_batch *b) {
    /* Input segment: all texts, then event ids and the room id appended. */
    b->input = malloc(size + MAX_MESSAGES * 4 + 8);
    size_t used = 0, p = 0;
    b->count = 0;
    static const uint8_t room[] = "!r:x";
    size_t room_off = 0;
    memcpy(b->input, room, 4);
    used = 4;
    while (p + 4 <= size && b->count < MAX_MESSAGES) {
        uint8_t slot = data[p], flags = data[p + 1];
        size_t len = (size_t) data[p + 2] << 8 | data[p + 3];
        p += 4;
        if (len > size - p) len = size - p;
        panolm_megolm_batch_message *m = &b->msgs[b->count++];
        memset(m, 0, sizeof *m);
        m->session = slot % 3 == 2 ? PANOLM_MEGOLM_NO_SESSION : slot % 3;
        m->ciphertext_offset = used;
        m->ciphertext_length = (uint32_t) len;
        memcpy(b->input + used, data + p, len);
        used += len;
        p += len;
        if (flags & 1) {
            m->event_id_offset = used;
            m->event_id_length = 3;
            b->input[used++] = '$'; b->input[used++] = 'e'; b->input[used++] = (uint8_t) ('0' + (flags >> 2) % 10);
        }
        if (flags & 2) { m->room_id_offset = room_off; m->room_id_length = 4; }
    }
    b->input_len = used;
}

static int run(const parsed_batch *b, uint32_t threads, uint8_t **output, size_t *cap, panolm_megolm_batch_result *res) {
    panolm_megolm_inbound *sessions[2] = {fixture_inbound(), fixture_inbound()};
    *cap = panolm_megolm_batch_output_length(b->msgs, b->count);
    *output = malloc(*cap ? *cap : 1);
    memset(*output, 0, *cap);
    int rc = panolm_megolm_batch_decrypt(sessions, 2, b->input, b->input_len, b->msgs, b->count, *output, *cap, res,
                                         threads);
    panolm_megolm_inbound_free(sessions[0]);
    panolm_megolm_inbound_free(sessions[1]);
    return rc;
}

static int initialised;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!initialised) { fixture_megolm_init(); initialised = 1; }
    parsed_batch b;
    parse(data, size, &b);
    panolm_megolm_batch_result r1[MAX_MESSAGES], r2[MAX_MESSAGES];
    uint8_t *o1, *o2;
    size_t c1, c2;
    FUZZ_REQUIRE(run(&b, 1, &o1, &c1, r1) == PANOLM_OK, "batch runs on one thread");
    FUZZ_REQUIRE(run(&b, 2, &o2, &c2, r2) == PANOLM_OK, "batch runs on two threads");
    size_t bound = 0;
    for (size_t i = 0; i < b.count; i++) {
        FUZZ_REQUIRE(megolm_decrypt_status_ok(r1[i].status), "batch status");
        FUZZ_REQUIRE(r1[i].status == r2[i].status && r1[i].plaintext_length == r2[i].plaintext_length
                     && r1[i].plaintext_offset == r2[i].plaintext_offset, "threads agree");
        FUZZ_REQUIRE(r1[i].plaintext_offset == bound, "slot is the prefix sum of the bounds");
        size_t slot = panolm_megolm_decrypt_max_plaintext_length(b.msgs[i].ciphertext_length);
        FUZZ_REQUIRE(r1[i].plaintext_length <= slot, "plaintext inside its slot");
        if (r1[i].status == PANOLM_OK) {
            FUZZ_REQUIRE(r1[i].message_index == r2[i].message_index, "index agrees");
            FUZZ_REQUIRE(memcmp(o1 + r1[i].plaintext_offset, o2 + r2[i].plaintext_offset, r1[i].plaintext_length) == 0,
                         "plaintexts agree");
        } else {
            FUZZ_REQUIRE(r1[i].plaintext_length == 0, "no plaintext for a failed message");
        }
        bound += slot;
    }
    free(o1);
    free(o2);
    free(b.input);
    return 0;
}
