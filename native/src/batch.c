/* Batch decryption of Megolm messages over caller memory (see panolm_megolm.h for the contract).
 *
 * Caller memory is read once: each descriptor is copied into a private item before anything is checked,
 * and only the copy is checked and used; results are written to the caller's array at the end and never
 * read back. A caller (or a hostile thread in its process) rewriting descriptors or results during the
 * call can change which messages decrypt, never where the library reads or writes.
 *
 * 1. One pass in input order: check every offset and length against the input, give each message
 *    its output region (a prefix sum of upper bounds, so the layout does not depend on threads),
 *    decode its base64 into that region and parse it.
 * 2. Sort (session, index, position): history arrives newest-first, and sorting lets each session's
 *    ratchet cursor only move forward; ties in index keep input order, so of two events reusing an
 *    index the later is the replay.
 * 3. All threads verify Ed25519 signatures, in chunks of messages whatever their session: that is ~95%
 *    of the work and needs only the session's immutable public key, so even a batch of one long
 *    session scales with threads.
 * 4. Workers take whole sessions, largest first, from a shared counter, lock each, and do the
 *    ordered part (replay, ratchet, MAC, AES, room) in place.
 * Allocation: one array of sort keys and one of groups per call; replay tables grow once per session.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "megolm_internal.h"

#define MAX_THREADS 256

typedef struct {
    uintptr_t session;
    uint32_t index;
    uint32_t position;
} sort_key;

typedef struct {
    uint32_t start;
    uint32_t length;
} group;

/* One message: the caller's descriptor as copied once, and the state the stages pass along. */
typedef struct {
    panolm_megolm_batch_message m;
    uint64_t out_offset;        /* where its plaintext goes in the output */
    uint32_t length;            /* decoded message length until decrypted, then the plaintext length */
    uint32_t index;             /* message index, once parsed */
    int32_t status;
} item;

typedef struct {
    const uint8_t *input;
    item *items;
    uint8_t *output;
    const sort_key *keys;
    const group *groups;
    size_t pending;
    size_t group_count;
    atomic_size_t next_chunk;
    atomic_size_t next;
} job;

#define VERIFY_CHUNK 16

static int range_ok(uint64_t offset, uint64_t length, size_t total) {
    return offset <= total && length <= total - offset;
}

size_t panolm_megolm_batch_output_length(const panolm_megolm_batch_message *messages, size_t count) {
    if (messages == NULL) return 0;
    size_t total = 0;
    for (size_t k = 0; k < count; k++) {
        uint32_t length = messages[k].ciphertext_length;   /* read once */
        total += panolm_megolm_decrypt_max_plaintext_length(length);
    }
    return total;
}

static int compare_keys(const void *a, const void *b) {
    const sort_key *x = a, *y = b;
    if (x->session != y->session) return x->session < y->session ? -1 : 1;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    return x->position < y->position ? -1 : x->position > y->position;
}

static int compare_groups_by_size(const void *a, const void *b) {
    const group *x = a, *y = b;
    if (x->length != y->length) return x->length > y->length ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void run_group(job *j, const group *g) {
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[g->start].session;
    size_t with_event = 0;
    for (uint32_t i = g->start; i < g->start + g->length; i++)
        with_event += j->items[j->keys[i].position].m.event_id_length > 0;
    pthread_mutex_lock(&s->lock);
    int reserve = ml_replay_reserve(&s->replay, with_event);
    ml_cursor cursor;
    cursor.work_valid = 0;
    for (uint32_t i = g->start; i < g->start + g->length; i++) {
        item *it = &j->items[j->keys[i].position];
        const panolm_megolm_batch_message *m = &it->m;
        const uint8_t *room = j->input + m->room_id_offset;
        const uint8_t *event = j->input + m->event_id_offset;
        uint8_t *buf = j->output + it->out_offset;
        /* The first pass left the decoded length, the verification pass the signature's outcome. */
        size_t len = it->length;
        int signature = it->status;
        int rc;
        size_t n = 0;
        if (!ml_session_room_ok(s, room, m->room_id_length)) {
            rc = PANOLM_ROOM_MISMATCH;
        } else if (signature != PANOLM_OK) {
            rc = signature;
        } else if (reserve != PANOLM_OK && m->event_id_length > 0) {
            rc = reserve;
        } else {
            ml_message msg;
            rc = ml_parse(buf, len, &msg);   /* parsed before; again for the pointers, cheaply */
            if (rc == PANOLM_OK)
                rc = ml_decrypt_verified(s, &cursor, buf, len, &msg, event, m->event_id_length, room,
                                         m->room_id_length, &n);
        }
        if (rc != PANOLM_OK) {
            pl_wipe(buf, len);
            n = 0;
        }
        it->length = (uint32_t) n;
        it->status = rc;
    }
    ml_cursor_finish(s, &cursor);
    pthread_mutex_unlock(&s->lock);
}

static void *verify_worker(void *arg) {
    job *j = arg;
    for (;;) {
        size_t start = atomic_fetch_add(&j->next_chunk, 1) * VERIFY_CHUNK;
        if (start >= j->pending) break;
        size_t end = start + VERIFY_CHUNK < j->pending ? start + VERIFY_CHUNK : j->pending;
        for (size_t i = start; i < end; i++) {
            const panolm_megolm_inbound *s = (const panolm_megolm_inbound *) j->keys[i].session;
            item *it = &j->items[j->keys[i].position];
            it->status = ml_verify(s, j->output + it->out_offset, it->length);
        }
    }
    return NULL;
}

static void *group_worker(void *arg) {
    job *j = arg;
    for (;;) {
        size_t g = atomic_fetch_add(&j->next, 1);
        if (g >= j->group_count) break;
        run_group(j, &j->groups[g]);
    }
    return NULL;
}

/* Runs fn on the caller's thread and up to threads - 1 more; fewer threads still finish the work. */
static void run_on_threads(void *(*fn)(void *), job *j, uint32_t threads) {
    pthread_t ids[MAX_THREADS];
    uint32_t started = 0;
    for (uint32_t t = 1; t < threads; t++) {
        if (pthread_create(&ids[started], NULL, fn, j) != 0) break;
        started++;
    }
    fn(j);
    for (uint32_t t = 0; t < started; t++) pthread_join(ids[t], NULL);
}

/* First pass, in input order, over the private copies: bounds, output region, base64, parse. Returns the
 * number of messages left for decryption, whose sort keys are in keys[0..). */
static size_t prepare(panolm_megolm_inbound *const *sessions, size_t session_count, const uint8_t *input,
                      size_t input_len, item *items, size_t count, uint8_t *output, sort_key *keys) {
    size_t offset = 0, pending = 0;
    for (size_t k = 0; k < count; k++) {
        item *it = &items[k];
        const panolm_megolm_batch_message *m = &it->m;
        size_t bound = panolm_megolm_decrypt_max_plaintext_length(m->ciphertext_length);
        it->out_offset = offset;
        it->length = 0;
        it->index = 0;
        offset += bound;
        if (!range_ok(m->ciphertext_offset, m->ciphertext_length, input_len)
            || !range_ok(m->event_id_offset, m->event_id_length, input_len)
            || !range_ok(m->room_id_offset, m->room_id_length, input_len)) {
            it->status = PANOLM_INVALID_ARGUMENT;
            continue;
        }
        panolm_megolm_inbound *session = m->session < session_count ? sessions[m->session] : NULL;  /* read once */
        if (session == NULL) {
            it->status = PANOLM_UNKNOWN_SESSION;
            continue;
        }
        if (bound > PANOLM_MEGOLM_MAX_PLAINTEXT_LENGTH + (size_t) 128) {
            it->status = PANOLM_TOO_LARGE;
            continue;
        }
        uint8_t *buf = output + it->out_offset;
        size_t len = 0;
        int rc = pl_b64_decode(input + m->ciphertext_offset, m->ciphertext_length, buf, bound, &len);
        ml_message msg;
        if (rc == PANOLM_OK) rc = ml_parse(buf, len, &msg);
        if (rc != PANOLM_OK) {
            it->status = rc;
            continue;
        }
        it->index = msg.index;
        it->length = (uint32_t) len;
        it->status = -1;
        keys[pending].session = (uintptr_t) session;
        keys[pending].index = msg.index;
        keys[pending].position = (uint32_t) k;
        pending++;
    }
    return pending;
}

int32_t panolm_megolm_batch_decrypt(panolm_megolm_inbound *const *sessions, size_t session_count,
                                    const uint8_t *input, size_t input_len,
                                    const panolm_megolm_batch_message *messages, size_t count,
                                    uint8_t *output, size_t output_cap,
                                    panolm_megolm_batch_result *results, uint32_t threads) {
    PL_CHECK(sessions != NULL || session_count == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(input != NULL || input_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((messages != NULL && results != NULL) || count == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(output != NULL || output_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= (size_t) INT32_MAX, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    if (count == 0) return PANOLM_OK;

    item *items = malloc(count * sizeof *items);
    sort_key *keys = malloc(count * sizeof *keys);
    group *groups = malloc(count * sizeof *groups);
    if (items == NULL || keys == NULL || groups == NULL) {
        free(items); free(keys); free(groups);
        return PANOLM_INTERNAL;
    }
    /* The only read of the caller's descriptors; the output bound is the copies' bound. */
    size_t needed = 0;
    for (size_t k = 0; k < count; k++) {
        memcpy(&items[k].m, &messages[k], sizeof items[k].m);
        needed += panolm_megolm_decrypt_max_plaintext_length(items[k].m.ciphertext_length);
    }
    /* Past this barrier the compiler may not assume the caller's descriptors still equal the copies. */
    __asm__ volatile("" ::: "memory");
    if (output_cap < needed) {
        free(items); free(keys); free(groups);
        return PANOLM_OUTPUT_TOO_SMALL;
    }

    size_t pending = prepare(sessions, session_count, input, input_len, items, count, output, keys);
    qsort(keys, pending, sizeof *keys, compare_keys);
    size_t group_count = 0;
    for (size_t i = 0; i < pending; i++) {
        if (i == 0 || keys[i].session != keys[i - 1].session) {
            groups[group_count].start = (uint32_t) i;
            groups[group_count].length = 0;
            group_count++;
        }
        groups[group_count - 1].length++;
    }
    /* Largest sessions first, so one long session does not start last and run alone. */
    qsort(groups, group_count, sizeof *groups, compare_groups_by_size);

    job j = {input, items, output, keys, groups, pending, group_count, 0, 0};
    atomic_init(&j.next_chunk, 0);
    atomic_init(&j.next, 0);
    if (threads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        threads = online > 0 ? (uint32_t) online : 1;
    }
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    size_t chunks = (pending + VERIFY_CHUNK - 1) / VERIFY_CHUNK;
    run_on_threads(verify_worker, &j, threads > chunks ? (chunks > 0 ? (uint32_t) chunks : 1) : threads);
    run_on_threads(group_worker, &j, threads > group_count ? (group_count > 0 ? (uint32_t) group_count : 1) : threads);

    for (size_t k = 0; k < count; k++) {
        panolm_megolm_batch_result r = {items[k].out_offset, items[k].status == PANOLM_OK ? items[k].length : 0,
                                        items[k].index, items[k].status, 0};
        results[k] = r;
    }
    free(items);
    free(keys);
    free(groups);
    return PANOLM_OK;
}
