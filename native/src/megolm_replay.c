/* Replay bookkeeping (docs/formats.md §11.3): Megolm lets one ciphertext decrypt any number of times, so
 * each inbound session remembers, per message index, which event ids carried it.
 *
 * The verdict does not depend on the order events arrive in: an index whose message carries a valid
 * signature under two or more event ids is CONFLICTED, and every event at it is a replay, the first as much
 * as the later (nothing the sender signed tells the original from the copy; event ids and timestamps are
 * the server's). Only signed messages count, so a forgery cannot make a genuine event look replayed.
 * Within one batch that holds by construction (a batch sees all of its events before judging); across
 * batches the caller runs a scan over the whole input first (panolm_megolm_batch_replay_scan): NOTE records
 * every event id unverified and finds the indices with several ids (CONTESTED), CONFIRM verifies only the
 * messages at those indices. Without a scan, the first verified event id at an index stays valid and a
 * later one is the replay (and marks the index CONFLICTED, so the first is flagged from then on).
 *
 * Compact: an entry is 12 bytes, the index and a 64-bit state whose low 3 bits say what it holds and whose
 * high bits are a keyed 61-bit tag of the event id (SipHash-2-4 under a random per-session key: a server
 * cannot choose ids that collide). Open addressing with linear probing over any capacity (fast range
 * reduction), load at most 4/5, grown by half when full, so a table costs 15-18 bytes per index held.
 * The table grows only in ml_replay_reserve, under the session lock, before any entry is written. */
#include <stdlib.h>
#include <sodium.h>
#include "megolm_internal.h"

/* Kinds in the low 3 bits of a state. */
#define K_NOTED 1         /* one id seen by a scan, not verified */
#define K_VERIFIED 2      /* one id, verified */
#define K_CONTESTED_ONE 3 /* several ids seen; exactly one verified so far, the tag's */
#define K_CONTESTED 4     /* several ids seen, none verified yet (no tag) */
#define K_CONFLICTED 5    /* valid signatures under several ids (no tag) */
#define KIND(state) ((state) & 7u)
#define TAG(state) ((state) & ~(uint64_t) 7u)

_Static_assert(sizeof(ml_replay_entry) == 12, "replay entries are 12 bytes");

void ml_replay_init(ml_replay_table *t) {
    memset(t, 0, sizeof *t);
    randombytes_buf(t->key, sizeof t->key);
}

uint64_t ml_replay_tag(const ml_replay_table *t, const uint8_t *event_id, size_t len) {
    uint8_t h[crypto_shorthash_BYTES];
    crypto_shorthash(h, event_id, len, t->key);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | h[i];
    v &= ~(uint64_t) 7u;
    return v != 0 ? v : 8u;   /* a tag is never zero, so a state never reads as empty */
}

static size_t slot_of(uint32_t index, size_t capacity) {
    uint32_t h = index * 0x9E3779B1u;
    return (size_t) (((uint64_t) h * capacity) >> 32);
}

static ml_replay_entry *find(const ml_replay_table *t, uint32_t index) {
    if (t->capacity == 0) return NULL;
    for (size_t i = slot_of(index, t->capacity);; i = i + 1 == t->capacity ? 0 : i + 1) {
        ml_replay_entry *e = &t->slots[i];
        if (e->state == 0) return NULL;
        if (e->index == index) return e;
    }
}

static void place(ml_replay_entry *slots, size_t capacity, uint32_t index, uint64_t state) {
    for (size_t i = slot_of(index, capacity);; i = i + 1 == capacity ? 0 : i + 1) {
        if (slots[i].state == 0 || slots[i].index == index) {
            slots[i].index = index;
            slots[i].state = state;
            return;
        }
    }
}

int ml_replay_reserve(ml_replay_table *t, size_t more) {
    if (more > SIZE_MAX / 8 - t->size) return PANOLM_TOO_LARGE;
    size_t need = t->size + more;
    if (need * 5 <= t->capacity * 4) return PANOLM_OK;
    size_t cap = need + need / 2;
    if (cap < 16) cap = 16;
    if (cap > SIZE_MAX / sizeof(ml_replay_entry)) return PANOLM_TOO_LARGE;
    ml_replay_entry *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) return PANOLM_INTERNAL;
    for (size_t i = 0; i < t->capacity; i++) {
        if (t->slots[i].state != 0) place(slots, cap, t->slots[i].index, t->slots[i].state);
    }
    free(t->slots);   /* event-id tags are not secret: no wipe needed */
    t->slots = slots;
    t->capacity = cap;
    return PANOLM_OK;
}

int ml_replay_known(const ml_replay_table *t, uint32_t index) {
    return find(t, index) != NULL;
}

/* Sets an index's state; a new index needs a prior reserve. */
static void set(ml_replay_table *t, uint32_t index, uint64_t state) {
    ml_replay_entry *e = find(t, index);
    if (e != NULL) {
        e->state = state;
        return;
    }
    place(t->slots, t->capacity, index, state);
    t->size++;
}

static uint64_t get(const ml_replay_table *t, uint32_t index) {
    const ml_replay_entry *e = find(t, index);
    return e == NULL ? 0 : e->state;
}

int ml_replay_check(ml_replay_table *t, uint32_t index, uint64_t tag) {
    uint64_t s = get(t, index);
    switch (KIND(s)) {
        case K_CONFLICTED:
            return PANOLM_REPLAYED_INDEX;
        case K_VERIFIED:
        case K_CONTESTED_ONE:
            if (TAG(s) == tag) return PANOLM_OK;
            /* A second signed id: the index is conflicted from now on, for the first id too. */
            set(t, index, K_CONFLICTED);
            return PANOLM_REPLAYED_INDEX;
        default:
            return PANOLM_OK;   /* empty, or ids that no signature has vouched for yet */
    }
}

void ml_replay_decrypted(ml_replay_table *t, uint32_t index, uint64_t tag) {
    uint64_t s = get(t, index);
    switch (KIND(s)) {
        case K_VERIFIED:
        case K_CONTESTED_ONE:
        case K_CONFLICTED:
            return;   /* ml_replay_check let this id through: nothing to change */
        default:
            /* Empty, noted or contested: unverified ids never outrank a verified one. */
            set(t, index, tag | K_VERIFIED);
    }
}

void ml_replay_conflict(ml_replay_table *t, uint32_t index) {
    set(t, index, K_CONFLICTED);
}

int ml_replay_note(ml_replay_table *t, uint32_t index, uint64_t tag) {
    uint64_t s = get(t, index);
    switch (KIND(s)) {
        case 0:
            set(t, index, tag | K_NOTED);
            return 0;
        case K_NOTED:
            if (TAG(s) == tag) return 0;
            set(t, index, K_CONTESTED);
            return 1;
        case K_VERIFIED:
            if (TAG(s) == tag) return 0;
            set(t, index, TAG(s) | K_CONTESTED_ONE);
            return 1;
        default:
            return 0;   /* already contested or conflicted */
    }
}

int ml_replay_contested(const ml_replay_table *t, uint32_t index) {
    uint64_t k = KIND(get(t, index));
    return k == K_CONTESTED || k == K_CONTESTED_ONE;
}

int ml_replay_confirm(ml_replay_table *t, uint32_t index, uint64_t tag) {
    uint64_t s = get(t, index);
    switch (KIND(s)) {
        case K_CONTESTED:
            set(t, index, tag | K_CONTESTED_ONE);
            return 0;
        case K_CONTESTED_ONE:
            if (TAG(s) == tag) return 0;
            set(t, index, K_CONFLICTED);
            return 1;
        default:
            return 0;
    }
}

size_t ml_replay_bytes(const ml_replay_table *t) {
    return t->capacity * sizeof(ml_replay_entry);
}

void ml_replay_free(ml_replay_table *t) {
    free(t->slots);
    pl_wipe(t, sizeof *t);   /* the tag key */
}
