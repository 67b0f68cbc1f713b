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
 *    ratchet cursor only move forward; the messages of one index come together, so the batch judges
 *    replays with all of its events in view (docs/formats.md §11.3), whatever their order.
 * 3. All threads verify Ed25519 signatures, in chunks of 64 messages whatever their session, each chunk by
 *    one batch verification (ed25519_batch.c, libsodium's verdicts): it needs only the session's immutable
 *    public key, so even a batch of one long session scales with threads.
 * 4. a. Per session, under its lock: the replay prepass (all of the batch's event ids in view).
 *    b. The sessions, largest first, are cut into segments at index-run boundaries; workers take segments
 *       from a shared counter and do the ordered part (replay, ratchet, MAC, AES, room) in place, each from
 *       a checkpoint of its session's ratchet, so one long session runs on every thread too.
 * Allocation: one array each of items, sort keys, groups and segments per call; replay tables grow at most
 * once per session per call. panolm_megolm_batch_replay_scan runs steps 1 and 2 (and 3 for contested
 * indices only) to record event ids before any decryption.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "megolm_internal.h"

/* The layouts Java mirrors field for field (BatchLayout): a change here must change it too, and the build
 * says so. BatchLayoutTest compares both sides through panolm_megolm_layout. */
_Static_assert(sizeof(panolm_megolm_batch_message) == 40, "message size");
_Static_assert(offsetof(panolm_megolm_batch_message, ciphertext_offset) == 0, "message.ciphertext_offset");
_Static_assert(offsetof(panolm_megolm_batch_message, event_id_offset) == 8, "message.event_id_offset");
_Static_assert(offsetof(panolm_megolm_batch_message, room_id_offset) == 16, "message.room_id_offset");
_Static_assert(offsetof(panolm_megolm_batch_message, ciphertext_length) == 24, "message.ciphertext_length");
_Static_assert(offsetof(panolm_megolm_batch_message, event_id_length) == 28, "message.event_id_length");
_Static_assert(offsetof(panolm_megolm_batch_message, room_id_length) == 32, "message.room_id_length");
_Static_assert(offsetof(panolm_megolm_batch_message, session) == 36, "message.session");
_Static_assert(sizeof(panolm_megolm_batch_result) == 24, "result size");
_Static_assert(offsetof(panolm_megolm_batch_result, plaintext_offset) == 0, "result.plaintext_offset");
_Static_assert(offsetof(panolm_megolm_batch_result, plaintext_length) == 8, "result.plaintext_length");
_Static_assert(offsetof(panolm_megolm_batch_result, message_index) == 12, "result.message_index");
_Static_assert(offsetof(panolm_megolm_batch_result, status) == 16, "result.status");
_Static_assert(offsetof(panolm_megolm_batch_result, reserved) == 20, "result.reserved");

size_t panolm_megolm_layout(char *out, size_t cap) {
#define M(field) offsetof(panolm_megolm_batch_message, field)
#define R(field) offsetof(panolm_megolm_batch_result, field)
    char text[640];
    int n = snprintf(text, sizeof text,
        "message.size=%zu message.ciphertext_offset=%zu message.event_id_offset=%zu message.room_id_offset=%zu "
        "message.ciphertext_length=%zu message.event_id_length=%zu message.room_id_length=%zu message.session=%zu "
        "result.size=%zu result.plaintext_offset=%zu result.plaintext_length=%zu result.message_index=%zu "
        "result.status=%zu result.reserved=%zu no_session=%u replay_note=%u replay_confirm=%u",
        sizeof(panolm_megolm_batch_message), M(ciphertext_offset), M(event_id_offset), M(room_id_offset),
        M(ciphertext_length), M(event_id_length), M(room_id_length), M(session),
        sizeof(panolm_megolm_batch_result), R(plaintext_offset), R(plaintext_length), R(message_index), R(status),
        R(reserved), PANOLM_MEGOLM_NO_SESSION, PANOLM_MEGOLM_REPLAY_NOTE, PANOLM_MEGOLM_REPLAY_CONFIRM);
#undef M
#undef R
    if (n < 0) return 0;
    if (out != NULL && cap > 0) {
        size_t k = (size_t) n < cap ? (size_t) n : cap - 1;
        memcpy(out, text, k);
        out[k] = 0;
    }
    return (size_t) n;
}

typedef struct {
    uintptr_t session;
    uint32_t index;
    uint32_t position;
} sort_key;

typedef struct {
    uint32_t start;
    uint32_t length;
    int reserve;                /* the replay prepass's outcome for the session */
} group;

/* A run of one session's messages that one thread decrypts in order (step 4b). */
typedef struct {
    uint32_t group;
    uint32_t start;
    uint32_t length;
} segment;

/* Segments hold at least this many messages; fuzz builds set it tiny (-DML_SEGMENT_MIN=1) so short inputs
 * are split too. */
#ifndef ML_SEGMENT_MIN
#define ML_SEGMENT_MIN 256
#endif

/* One message: the caller's descriptor as copied once, and the state the stages pass along. */
typedef struct {
    panolm_megolm_batch_message m;
    uint64_t out_offset;        /* where its plaintext goes in the output */
    uint32_t length;            /* decoded message length until decrypted, then the plaintext length */
    uint32_t index;             /* message index, once parsed */
    int32_t status;
    uint64_t tag;               /* replay tag of its event id; 0 when it has none or does not count */
} item;

typedef struct {
    const uint8_t *input;
    item *items;
    uint8_t *output;
    const sort_key *keys;
    group *groups;
    size_t pending;
    size_t group_count;
    atomic_size_t next_chunk;
    atomic_size_t next;
    const segment *segments;
    size_t segment_count;
    atomic_size_t next_segment;
} job;

#define VERIFY_CHUNK PL_ED25519_CHUNK

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

/* Whether a prepared message counts for replays: it has an event id and its session is not bound to
 * another room (a copy the server moved to another room is refused for that, and is no rival). */
static int counts_for_replay(const job *j, const panolm_megolm_inbound *s, const item *it) {
    return it->m.event_id_length > 0 && ml_session_room_ok(s, j->input + it->m.room_id_offset, it->m.room_id_length);
}

/* Before any message of the group decrypts, under the session lock: tags the signed messages, makes room for
 * their new indices, and marks conflicted every index whose signed messages in this batch carry two or more
 * event ids, so all of them are replays whatever their order (docs/formats.md §11.3). */
static int replay_prepass(job *j, const group *g, panolm_megolm_inbound *s) {
    uint32_t end = g->start + g->length;
    size_t fresh = 0;
    for (uint32_t i = g->start; i < end;) {   /* runs of one index (the group is sorted by index) */
        uint32_t index = j->keys[i].index, run = i;
        int tagged = 0;
        for (; run < end && j->keys[run].index == index; run++) {
            item *it = &j->items[j->keys[run].position];
            it->tag = it->status == PANOLM_OK && counts_for_replay(j, s, it)
                      ? ml_replay_tag(&s->replay, j->input + it->m.event_id_offset, it->m.event_id_length) : 0;
            tagged |= it->tag != 0;
        }
        fresh += tagged && !ml_replay_known(&s->replay, index);
        i = run;
    }
    int rc = ml_replay_reserve(&s->replay, fresh);
    if (rc != PANOLM_OK) return rc;
    for (uint32_t i = g->start; i < end;) {
        uint32_t index = j->keys[i].index, run = i;
        uint64_t first = 0;
        int several = 0;
        for (; run < end && j->keys[run].index == index; run++) {
            uint64_t tag = j->items[j->keys[run].position].tag;
            if (tag == 0) continue;
            if (first == 0) first = tag;
            else if (tag != first) several = 1;
        }
        if (several) ml_replay_conflict(&s->replay, index);
        i = run;
    }
    return PANOLM_OK;
}

/* Step 4a, per session under its lock: the replay prepass; its outcome is kept for the session's segments. */
static void prepare_group(job *j, group *g) {
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[g->start].session;
    pthread_mutex_lock(&s->lock);
    g->reserve = replay_prepass(j, g, s);
    pthread_mutex_unlock(&s->lock);
}

/* Step 4b: one segment of a session, alongside the session's other segments on other threads. Its cursor
 * starts from copies of the session's ratchets (a checkpoint: advancing to the segment's first index costs at
 * most a few hundred hashes); the replay table and the room binding are only touched under the session lock,
 * and never for an index of another segment (segments end where an index run ends), so the verdicts are
 * those of one thread going through the session in order. */
static void run_segment(job *j, const segment *sg) {
    const group *g = &j->groups[sg->group];
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[sg->start].session;
    ml_ratchet initial, latest;
    ml_cursor cursor;
    cursor.work_valid = 0;
    pthread_mutex_lock(&s->lock);
    initial = s->initial;
    latest = s->latest;
    pthread_mutex_unlock(&s->lock);
    for (uint32_t i = sg->start; i < sg->start + sg->length; i++) {
        item *it = &j->items[j->keys[i].position];
        const panolm_megolm_batch_message *m = &it->m;
        const uint8_t *room = j->input + m->room_id_offset;
        uint8_t *buf = j->output + it->out_offset;
        /* The first pass left the decoded length, the verification pass the signature's outcome. */
        size_t len = it->length;
        int rc = it->status;
        size_t n = 0;
        ml_message msg;
        pthread_mutex_lock(&s->lock);
        if (!ml_session_room_ok(s, room, m->room_id_length)) {
            rc = PANOLM_ROOM_MISMATCH;
        } else if (rc == PANOLM_OK && g->reserve != PANOLM_OK && m->event_id_length > 0) {
            rc = g->reserve;
        } else if (rc == PANOLM_OK) {
            rc = ml_parse(buf, len, &msg);   /* parsed before; again for the pointers, cheaply */
            if (rc == PANOLM_OK && msg.index < initial.counter) rc = PANOLM_UNKNOWN_INDEX;
            if (rc == PANOLM_OK && it->tag != 0) rc = ml_replay_check(&s->replay, msg.index, it->tag);
        }
        pthread_mutex_unlock(&s->lock);
        if (rc == PANOLM_OK) rc = ml_open(&initial, &latest, &cursor, buf, &msg, room, m->room_id_length, &n);
        if (rc == PANOLM_OK) {
            pthread_mutex_lock(&s->lock);
            if (it->tag != 0) ml_replay_decrypted(&s->replay, msg.index, it->tag);
            s->verified = 1;
            pthread_mutex_unlock(&s->lock);
        } else {
            pl_wipe(buf, len);
            n = 0;
        }
        it->length = (uint32_t) n;
        it->status = rc;
    }
    pthread_mutex_lock(&s->lock);
    ml_cursor_finish(s, &cursor);
    pthread_mutex_unlock(&s->lock);
    pl_wipe(&initial, sizeof initial);
    pl_wipe(&latest, sizeof latest);
}

/* A chunk is judged by one batch verification (ed25519_batch.c): its messages are in sort order, so
 * mostly of one session, whose key the batch then decodes and checks once. */
static void *verify_worker(void *arg) {
    job *j = arg;
    pl_ed25519_input in[VERIFY_CHUNK];
    uint8_t ok[VERIFY_CHUNK];
    for (;;) {
        size_t start = atomic_fetch_add(&j->next_chunk, 1) * VERIFY_CHUNK;
        if (start >= j->pending) break;
        size_t end = start + VERIFY_CHUNK < j->pending ? start + VERIFY_CHUNK : j->pending;
        for (size_t i = start; i < end; i++) {
            panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[i].session;
            const item *it = &j->items[j->keys[i].position];
            ml_signed_input(s, j->output + it->out_offset, it->length, &in[i - start]);
        }
        pl_ed25519_verify_batch(in, end - start, ok);
        for (size_t i = start; i < end; i++)
            j->items[j->keys[i].position].status = ok[i - start] ? PANOLM_OK : PANOLM_BAD_SIGNATURE;
    }
    return NULL;
}

static void *prepare_worker(void *arg) {
    job *j = arg;
    for (;;) {
        size_t g = atomic_fetch_add(&j->next, 1);
        if (g >= j->group_count) break;
        prepare_group(j, &j->groups[g]);
    }
    return NULL;
}

static void *segment_worker(void *arg) {
    job *j = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&j->next_segment, 1);
        if (k >= j->segment_count) break;
        run_segment(j, &j->segments[k]);
    }
    return NULL;
}

/* Cuts the sessions, largest first, into segments of about `target` messages that end where an index run
 * ends (so the messages of one index stay together); returns the number of segments. */
static size_t cut_segments(const sort_key *keys, const group *groups, size_t group_count, size_t target,
                           segment *out) {
    size_t count = 0;
    for (size_t g = 0; g < group_count; g++) {
        uint32_t end = groups[g].start + groups[g].length;
        for (uint32_t i = groups[g].start; i < end;) {
            uint32_t stop = end - i > target ? i + (uint32_t) target : end;
            while (stop < end && keys[stop].index == keys[stop - 1].index) stop++;
            out[count].group = (uint32_t) g;
            out[count].start = i;
            out[count].length = stop - i;
            count++;
            i = stop;
        }
    }
    return count;
}

/* Every step runs on libpanolm's one thread pool discipline (parallel.c): the caller's thread works too. */
static void run_on_threads(void *(*fn)(void *), job *j, uint32_t threads) {
    pl_run_parallel(fn, j, threads);
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
        int rc = pl_b64_decode_public(input + m->ciphertext_offset, m->ciphertext_length, buf, bound, &len);
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

/* What steps 1 and 2 leave for the rest of a call: the private items, the sorted keys, the session groups. */
typedef struct {
    item *items;
    sort_key *keys;
    group *groups;
    size_t pending;
    size_t group_count;
} prepared;

static void release(prepared *p) {
    free(p->items);
    free(p->keys);
    free(p->groups);
}

/* Steps 1 and 2 for a call with count > 0: copies the descriptors (the only read of them), checks the
 * output against the copies' bound, decodes and parses every message into the output, sorts and groups. */
static int begin(panolm_megolm_inbound *const *sessions, size_t session_count, const uint8_t *input,
                 size_t input_len, const panolm_megolm_batch_message *messages, size_t count, uint8_t *output,
                 size_t output_cap, prepared *p) {
    p->items = malloc(count * sizeof *p->items);
    p->keys = malloc(count * sizeof *p->keys);
    p->groups = malloc(count * sizeof *p->groups);
    if (p->items == NULL || p->keys == NULL || p->groups == NULL) {
        release(p);
        return PANOLM_INTERNAL;
    }
    size_t needed = 0;
    for (size_t k = 0; k < count; k++) {
        memcpy(&p->items[k].m, &messages[k], sizeof p->items[k].m);
        p->items[k].tag = 0;
        needed += panolm_megolm_decrypt_max_plaintext_length(p->items[k].m.ciphertext_length);
    }
    /* Past this barrier the compiler may not assume the caller's descriptors still equal the copies. */
    __asm__ volatile("" ::: "memory");
    if (output_cap < needed) {
        release(p);
        return PANOLM_OUTPUT_TOO_SMALL;
    }
    p->pending = prepare(sessions, session_count, input, input_len, p->items, count, output, p->keys);
    qsort(p->keys, p->pending, sizeof *p->keys, compare_keys);
    p->group_count = 0;
    for (size_t i = 0; i < p->pending; i++) {
        if (i == 0 || p->keys[i].session != p->keys[i - 1].session) {
            p->groups[p->group_count].start = (uint32_t) i;
            p->groups[p->group_count].length = 0;
            p->group_count++;
        }
        p->groups[p->group_count - 1].length++;
    }
    /* Largest sessions first, so one long session does not start last and run alone. */
    qsort(p->groups, p->group_count, sizeof *p->groups, compare_groups_by_size);
    return PANOLM_OK;
}

static uint32_t thread_count(uint32_t threads) {
    if (threads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        threads = online > 0 ? (uint32_t) online : 1;
    }
    return threads > PL_MAX_THREADS ? PL_MAX_THREADS : threads;
}

/* At most one thread per unit of work, at least one. */
static uint32_t at_most(uint32_t threads, size_t units) {
    return threads > units ? (units > 0 ? (uint32_t) units : 1) : threads;
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

    prepared p;
    int rc = begin(sessions, session_count, input, input_len, messages, count, output, output_cap, &p);
    if (rc != PANOLM_OK) return rc;
    job j = {input, p.items, output, p.keys, p.groups, p.pending, p.group_count, 0, 0, NULL, 0, 0};
    atomic_init(&j.next_chunk, 0);
    atomic_init(&j.next, 0);
    threads = thread_count(threads);
    run_on_threads(verify_worker, &j, at_most(threads, (p.pending + VERIFY_CHUNK - 1) / VERIFY_CHUNK));
    run_on_threads(prepare_worker, &j, at_most(threads, p.group_count));
    /* Eight segments per thread, so that one long session keeps every thread busy to the end. */
    size_t target = p.pending / ((size_t) threads * 8);
    if (target < ML_SEGMENT_MIN) target = ML_SEGMENT_MIN;
    segment *segments = malloc(p.pending * sizeof *segments + 1);
    if (segments == NULL) {
        release(&p);
        return PANOLM_INTERNAL;
    }
    j.segments = segments;
    j.segment_count = cut_segments(p.keys, p.groups, p.group_count, target, segments);
    atomic_init(&j.next_segment, 0);
    run_on_threads(segment_worker, &j, at_most(threads, j.segment_count));
    free(segments);

    for (size_t k = 0; k < count; k++) {
        const item *it = &p.items[k];
        panolm_megolm_batch_result r = {it->out_offset, it->status == PANOLM_OK ? it->length : 0, it->index,
                                        it->status, 0};
        results[k] = r;
    }
    release(&p);
    return PANOLM_OK;
}

/* --- Replay scan (docs/formats.md §11.3) ------------------------------------------------------------- */

/* NOTE: every identified message of every session, no signature checked. Returns the number of indices
 * this made contested, or a negative status. */
static int64_t note_group(job *j, const group *g) {
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[g->start].session;
    uint32_t end = g->start + g->length;
    int64_t contested = 0;
    pthread_mutex_lock(&s->lock);
    size_t fresh = 0;
    for (uint32_t i = g->start; i < end;) {   /* runs of one index */
        uint32_t index = j->keys[i].index, run = i;
        int tagged = 0;
        for (; run < end && j->keys[run].index == index; run++) {
            item *it = &j->items[j->keys[run].position];
            it->tag = counts_for_replay(j, s, it)
                      ? ml_replay_tag(&s->replay, j->input + it->m.event_id_offset, it->m.event_id_length) : 0;
            tagged |= it->tag != 0;
        }
        fresh += tagged && !ml_replay_known(&s->replay, index);
        i = run;
    }
    int rc = ml_replay_reserve(&s->replay, fresh);
    if (rc == PANOLM_OK) {
        for (uint32_t i = g->start; i < end; i++) {
            const item *it = &j->items[j->keys[i].position];
            if (it->tag != 0) contested += ml_replay_note(&s->replay, j->keys[i].index, it->tag);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc == PANOLM_OK ? contested : -(int64_t) rc;
}

/* CONFIRM, first half: the messages at contested indices, whose signatures must be checked. */
static size_t select_contested(job *j, const group *g, sort_key *out) {
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[g->start].session;
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = g->start; i < g->start + g->length; i++) {
        item *it = &j->items[j->keys[i].position];
        it->tag = counts_for_replay(j, s, it) && ml_replay_contested(&s->replay, j->keys[i].index)
                  ? ml_replay_tag(&s->replay, j->input + it->m.event_id_offset, it->m.event_id_length) : 0;
        if (it->tag != 0) out[n++] = j->keys[i];
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* CONFIRM, second half: the verified ones vouch for their ids. Returns the indices this made conflicted. */
static int64_t confirm_group(job *j, const group *g) {
    panolm_megolm_inbound *s = (panolm_megolm_inbound *) j->keys[g->start].session;
    int64_t conflicted = 0;
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = g->start; i < g->start + g->length; i++) {
        const item *it = &j->items[j->keys[i].position];
        if (it->tag != 0 && it->status == PANOLM_OK)
            conflicted += ml_replay_confirm(&s->replay, j->keys[i].index, it->tag);
    }
    pthread_mutex_unlock(&s->lock);
    return conflicted;
}

int32_t panolm_megolm_batch_replay_scan(panolm_megolm_inbound *const *sessions, size_t session_count,
                                        const uint8_t *input, size_t input_len,
                                        const panolm_megolm_batch_message *messages, size_t count,
                                        uint8_t *scratch, size_t scratch_cap, uint32_t stage, uint32_t threads,
                                        uint64_t *changed) {
    PL_CHECK(sessions != NULL || session_count == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(input != NULL || input_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(messages != NULL || count == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(scratch != NULL || scratch_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(changed != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(stage == PANOLM_MEGOLM_REPLAY_NOTE || stage == PANOLM_MEGOLM_REPLAY_CONFIRM, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= (size_t) INT32_MAX, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    *changed = 0;
    if (count == 0) return PANOLM_OK;

    prepared p;
    int rc = begin(sessions, session_count, input, input_len, messages, count, scratch, scratch_cap, &p);
    if (rc != PANOLM_OK) return rc;
    job j = {input, p.items, scratch, p.keys, p.groups, p.pending, p.group_count, 0, 0, NULL, 0, 0};
    atomic_init(&j.next_chunk, 0);
    atomic_init(&j.next, 0);
    uint64_t total = 0;
    if (stage == PANOLM_MEGOLM_REPLAY_NOTE) {
        for (size_t g = 0; g < p.group_count && rc == PANOLM_OK; g++) {
            int64_t n = note_group(&j, &p.groups[g]);
            if (n < 0) rc = (int) -n;
            else total += (uint64_t) n;
        }
    } else {
        /* Only messages at contested indices are verified: usually none, so a scan costs a parse. */
        sort_key *chosen = malloc(p.pending * sizeof *chosen + 1);
        if (chosen == NULL) {
            rc = PANOLM_INTERNAL;
        } else {
            size_t n = 0;
            for (size_t g = 0; g < p.group_count; g++) n += select_contested(&j, &p.groups[g], chosen + n);
            job v = {input, p.items, scratch, chosen, NULL, n, 0, 0, 0, NULL, 0, 0};
            atomic_init(&v.next_chunk, 0);
            atomic_init(&v.next, 0);
            run_on_threads(verify_worker, &v, at_most(thread_count(threads), (n + VERIFY_CHUNK - 1) / VERIFY_CHUNK));
            for (size_t g = 0; g < p.group_count; g++) total += (uint64_t) confirm_group(&j, &p.groups[g]);
            free(chosen);
        }
    }
    release(&p);
    *changed = total;
    return rc;
}
