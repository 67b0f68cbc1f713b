/* Replay bookkeeping: which event id first decrypted each message index of a session (docs/formats.md §11.3:
 * Megolm itself lets one ciphertext decrypt any number of times). Event ids are not secret;
 * a 16-byte SHA-256 prefix keeps the table small and fixed-size. Open addressing with linear
 * probing; the table only grows in ml_replay_reserve, which the batch calls once per session, so
 * decryption itself never allocates. */
#include <stdlib.h>
#include "megolm_internal.h"

static size_t slot_of(uint32_t index, size_t capacity) {
    return (size_t) ((index * 0x9E3779B1u) & (uint32_t) (capacity - 1));
}

const ml_replay_entry *ml_replay_find(const ml_replay_table *t, uint32_t index) {
    if (t->capacity == 0) return NULL;
    for (size_t i = slot_of(index, t->capacity);; i = (i + 1) & (t->capacity - 1)) {
        const ml_replay_entry *e = &t->slots[i];
        if (!e->used) return NULL;
        if (e->index == index) return e;
    }
}

static void insert(ml_replay_entry *slots, size_t capacity, uint32_t index, const uint8_t digest[ML_DIGEST]) {
    for (size_t i = slot_of(index, capacity);; i = (i + 1) & (capacity - 1)) {
        ml_replay_entry *e = &slots[i];
        if (!e->used || e->index == index) {
            e->used = 1;
            e->index = index;
            memcpy(e->digest, digest, ML_DIGEST);
            return;
        }
    }
}

int ml_replay_reserve(ml_replay_table *t, size_t more) {
    /* keep the load at most one half */
    if (more > SIZE_MAX / 4 - t->size) return PANOLM_TOO_LARGE;
    size_t need = (t->size + more) * 2;
    if (need <= t->capacity) return PANOLM_OK;
    size_t cap = t->capacity ? t->capacity : 16;
    while (cap < need) cap *= 2;
    ml_replay_entry *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) return PANOLM_INTERNAL;
    for (size_t i = 0; i < t->capacity; i++) {
        if (t->slots[i].used) insert(slots, cap, t->slots[i].index, t->slots[i].digest);
    }
    free(t->slots);
    t->slots = slots;
    t->capacity = cap;
    return PANOLM_OK;
}

void ml_replay_put(ml_replay_table *t, uint32_t index, const uint8_t digest[ML_DIGEST]) {
    if (ml_replay_find(t, index) == NULL) t->size++;
    insert(t->slots, t->capacity, index, digest);
}

void ml_replay_free(ml_replay_table *t) {
    free(t->slots);
    t->slots = NULL;
    t->capacity = 0;
    t->size = 0;
}

void ml_event_digest(const uint8_t *event_id, size_t len, uint8_t digest[ML_DIGEST]) {
    uint8_t full[32];
    SHA256(event_id, len, full);
    memcpy(digest, full, ML_DIGEST);
}
