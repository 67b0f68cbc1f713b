/* Batch Megolm decryption over two fresh sessions of the fixture (plus an unknown slot). Input: records
 * of slot (1) | flags (1) | length (u16 BE) | base64 text; flags bit 0 gives the message an event id
 * (number in bits 2..7, so ids repeat and replays happen), bit 1 a room id. Slot bit 7 makes the record's
 * descriptor hostile: bits 3..4 pick a field (a ciphertext, event id or room range, or a length) and bits
 * 5..6 a value past the input or near 2^64 (lengths: just past the input).
 * Properties:
 * - the batch runs; every status is documented; plaintexts lie in their announced slots;
 * - one thread and two threads give identical results and plaintexts (the fuzz build cuts sessions into
 *   segments of one index run each, ML_SEGMENT_MIN=1, so two threads decrypt one session's segments side by side);
 * - replay verdicts do not depend on order or split: the input reversed, and the input split in two with a
 *   replay scan first, give every message the status it had;
 * - a second thread rewriting descriptors (hostile values) and results during a two-thread call changes
 *   outcomes only: nothing is read or written outside the buffers, statuses stay documented;
 * - the replay table stays within its bytes-per-index bound; panolm_megolm_layout never writes past cap. */
#include <pthread.h>
#include <stdatomic.h>
#include "megolm_fixture.h"

#define MAX_MESSAGES 64

typedef struct {
    panolm_megolm_batch_message msgs[MAX_MESSAGES];
    size_t count;
    uint8_t *input;
    size_t input_len;
} parsed_batch;

static void hostile(panolm_megolm_batch_message *m, uint8_t slot, size_t input_len) {
    const uint64_t wide[] = {input_len, (uint64_t) input_len + 1, UINT64_MAX - 3, 1ull << 40};
    /* Lengths stay small enough that the output bound they imply can be allocated. */
    const uint32_t narrow[] = {(uint32_t) input_len + 1, (uint32_t) input_len + 4000, 0, (uint32_t) input_len};
    unsigned v = (slot >> 5) & 3;
    switch ((slot >> 3) & 3) {
    case 0: m->ciphertext_offset = wide[v]; break;
    case 1: m->event_id_offset = wide[v]; m->event_id_length = 3; break;
    case 2: m->room_id_offset = wide[v]; m->room_id_length = 4; break;
    default: m->ciphertext_length = narrow[v]; break;
    }
}

static void parse(const uint8_t *data, size_t size, parsed_batch *b) {
    /* Input segment: the room id, then all texts with their event ids appended. */
    b->input = malloc(size + MAX_MESSAGES * 4 + 8);
    size_t used = 0, p = 0;
    b->count = 0;
    static const uint8_t room[] = "!r:x";
    size_t room_off = 0;
    memcpy(b->input, room, 4);
    used = 4;
    uint8_t slots[MAX_MESSAGES];
    while (p + 4 <= size && b->count < MAX_MESSAGES) {
        uint8_t slot = data[p], flags = data[p + 1];
        size_t len = (size_t) data[p + 2] << 8 | data[p + 3];
        p += 4;
        if (len > size - p) len = size - p;
        slots[b->count] = slot;
        panolm_megolm_batch_message *m = &b->msgs[b->count++];
        memset(m, 0, sizeof *m);
        m->session = (slot & 0x7F) % 3 == 2 ? PANOLM_MEGOLM_NO_SESSION : (slot & 0x7F) % 3;
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
    for (size_t i = 0; i < b->count; i++) {
        if (slots[i] & 0x80) hostile(&b->msgs[i], slots[i], used);
    }
}

static size_t output_length(const panolm_megolm_batch_message *msgs, size_t count) {
    size_t n = panolm_megolm_batch_output_length(msgs, count);
    return n ? n : 1;
}

/* One call on fresh sessions (or the given ones); the output is the caller's to free. */
static int run(const parsed_batch *b, const panolm_megolm_batch_message *msgs, size_t count, uint32_t threads,
               panolm_megolm_inbound **sessions, uint8_t **output, panolm_megolm_batch_result *res) {
    size_t cap = output_length(msgs, count);
    *output = calloc(1, cap);
    return panolm_megolm_batch_decrypt(sessions, 2, b->input, b->input_len, msgs, count, *output, cap, res, threads);
}

static void fresh(panolm_megolm_inbound *sessions[2]) {
    sessions[0] = fixture_inbound();
    sessions[1] = fixture_inbound();
}

static void release(panolm_megolm_inbound *sessions[2]) {
    panolm_megolm_inbound_free(sessions[0]);
    panolm_megolm_inbound_free(sessions[1]);
}

static void scan(const parsed_batch *b, const panolm_megolm_batch_message *msgs, size_t count, uint32_t stage,
                 panolm_megolm_inbound **sessions, uint64_t *changed) {
    size_t cap = output_length(msgs, count);
    uint8_t *scratch = malloc(cap);
    FUZZ_REQUIRE(panolm_megolm_batch_replay_scan(sessions, 2, b->input, b->input_len, msgs, count, scratch, cap, stage,
                                                 2, changed) == PANOLM_OK, "scan runs");
    free(scratch);
}

/* Statuses of the input split in two, after a replay scan over both halves. */
static void split_with_scan(const parsed_batch *b, int32_t *status) {
    panolm_megolm_inbound *s[2];
    fresh(s);
    size_t half = b->count / 2;
    const panolm_megolm_batch_message *parts[2] = {b->msgs, b->msgs + half};
    size_t counts[2] = {half, b->count - half};
    uint64_t contested = 0, changed = 0;
    for (int k = 0; k < 2; k++) {
        scan(b, parts[k], counts[k], PANOLM_MEGOLM_REPLAY_NOTE, s, &changed);
        contested += changed;
    }
    if (contested > 0) {
        for (int k = 1; k >= 0; k--) scan(b, parts[k], counts[k], PANOLM_MEGOLM_REPLAY_CONFIRM, s, &changed);
    }
    for (int k = 1; k >= 0; k--) {   /* the later half first, as a newest-first history would come */
        panolm_megolm_batch_result res[MAX_MESSAGES];
        uint8_t *out;
        FUZZ_REQUIRE(run(b, parts[k], counts[k], 1, s, &out, res) == PANOLM_OK, "half runs");
        for (size_t i = 0; i < counts[k]; i++) status[(k ? half : 0) + i] = res[i].status;
        free(out);
    }
    release(s);
}

typedef struct {
    panolm_megolm_batch_message *msgs;
    panolm_megolm_batch_result *results;
    size_t count;
    size_t input_len;
    atomic_int stop;
} racer;

static void *race(void *arg) {
    racer *r = arg;
    uint32_t x = 2463534242u;
    while (!atomic_load(&r->stop)) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        panolm_megolm_batch_message *m = &r->msgs[x % r->count];
        panolm_megolm_batch_message saved = *m;
        hostile(m, (uint8_t) (x >> 8), r->input_len);
        r->results[(x >> 16) % r->count].plaintext_offset = UINT64_MAX / 2;
        r->results[(x >> 16) % r->count].plaintext_length = UINT32_MAX;
        *m = saved;
    }
    return NULL;
}

static void check_layout(const uint8_t *data, size_t size) {
    char buf[700];
    size_t cap = size ? data[size - 1] * 3 % sizeof buf : 0;
    memset(buf, 0x5A, sizeof buf);
    size_t total = panolm_megolm_layout(buf, cap);
    FUZZ_REQUIRE(total > 100 && total < sizeof buf, "layout text length");
    if (cap > 0) {
        size_t k = total < cap ? total : cap - 1;
        FUZZ_REQUIRE(buf[k] == 0 && strlen(buf) == k, "layout text is cut and terminated inside cap");
    }
    for (size_t i = cap; i < sizeof buf; i++) FUZZ_REQUIRE(buf[i] == 0x5A, "nothing written past cap");
}

static int initialised;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!initialised) { fixture_megolm_init(); initialised = 1; }
    check_layout(data, size);
    parsed_batch b;
    parse(data, size, &b);
    panolm_megolm_batch_result r1[MAX_MESSAGES], r2[MAX_MESSAGES], rr[MAX_MESSAGES];
    uint8_t *o1, *o2, *or;
    panolm_megolm_inbound *s1[2], *s2[2], *sr[2];
    fresh(s1);
    fresh(s2);
    fresh(sr);
    FUZZ_REQUIRE(run(&b, b.msgs, b.count, 1, s1, &o1, r1) == PANOLM_OK, "batch runs on one thread");
    FUZZ_REQUIRE(run(&b, b.msgs, b.count, 2, s2, &o2, r2) == PANOLM_OK, "batch runs on two threads");
    panolm_megolm_batch_message reversed[MAX_MESSAGES];
    for (size_t i = 0; i < b.count; i++) reversed[i] = b.msgs[b.count - 1 - i];
    FUZZ_REQUIRE(run(&b, reversed, b.count, 2, sr, &or, rr) == PANOLM_OK, "reversed batch runs");
    int32_t split[MAX_MESSAGES];
    split_with_scan(&b, split);

    size_t bound = 0;
    for (size_t i = 0; i < b.count; i++) {
        FUZZ_REQUIRE(megolm_decrypt_status_ok(r1[i].status) || r1[i].status == PANOLM_INVALID_ARGUMENT
                     || r1[i].status == PANOLM_TOO_LARGE, "batch status");
        FUZZ_REQUIRE(r1[i].status == r2[i].status && r1[i].plaintext_length == r2[i].plaintext_length
                     && r1[i].plaintext_offset == r2[i].plaintext_offset, "threads agree");
        FUZZ_REQUIRE(r1[i].status == rr[b.count - 1 - i].status, "the reversed input gets the same verdicts");
        FUZZ_REQUIRE(r1[i].status == split[i], "a split input, scanned first, gets the same verdicts");
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
    for (int k = 0; k < 2; k++) {
        size_t entries = panolm_megolm_inbound_replay_entries(s1[k]);
        size_t bytes = panolm_megolm_inbound_replay_bytes(s1[k]);
        FUZZ_REQUIRE(entries <= b.count && bytes <= 12 * (16 + 2 * b.count), "replay table bound");
    }

    /* Two native threads while a third rewrites the caller's descriptors and results. */
    panolm_megolm_batch_message shared[MAX_MESSAGES];
    memcpy(shared, b.msgs, sizeof shared);
    panolm_megolm_batch_result rx[MAX_MESSAGES];
    if (b.count > 0) {
        panolm_megolm_inbound *sx[2];
        fresh(sx);
        size_t cap = output_length(b.msgs, b.count) + MAX_MESSAGES * (size_t) 4096;
        uint8_t *ox = calloc(1, cap);
        racer rc = {shared, rx, b.count, b.input_len, 0};
        pthread_t t;
        FUZZ_REQUIRE(pthread_create(&t, NULL, race, &rc) == 0, "racer starts");
        int status = panolm_megolm_batch_decrypt(sx, 2, b.input, b.input_len, shared, b.count, ox, cap, rx, 2);
        atomic_store(&rc.stop, 1);
        pthread_join(t, NULL);
        FUZZ_REQUIRE(status == PANOLM_OK || status == PANOLM_OUTPUT_TOO_SMALL, "the raced call runs or is refused");
        release(sx);
        free(ox);
    }

    release(s1);
    release(s2);
    release(sr);
    free(o1);
    free(o2);
    free(or);
    free(b.input);
    return 0;
}
