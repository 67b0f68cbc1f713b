/* Batch encryption of one templated payload for many Olm sessions (see panolm_olm.h for the contract):
 * the m.room_key share of a Megolm session to every device of a room in one downcall.
 *
 * 1. One pass in input order copies every span out of caller memory, checks it against the input, and
 *    gives each recipient its output slot (a prefix sum of upper bounds). Only these checked copies are
 *    used afterwards, so caller memory changing under the call cannot move a read or a write.
 * 2. Workers (parallel.c) claim recipients in small chunks; each assembles the plaintext in its own
 *    scratch buffer, encrypts under the session's lock straight into the output slot, and turns the
 *    binary message into base64 in place. The scratch buffer is wiped before the worker returns.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include "olm_internal.h"

#define CHUNK 4
#define MAX_COUNT ((size_t) INT32_MAX)

typedef struct {
    panolm_olm_session *const *sessions;
    size_t count;
    const uint8_t *input;
    const panolm_olm_span *pieces;   /* checked copies */
    uint32_t holes;
    const panolm_olm_span *values;   /* checked copies */
    const uint64_t *plaintext_lengths;
    const uint64_t *offsets;         /* into output: ours, never read back from results */
    size_t max_plaintext;
    uint8_t *output;
    panolm_olm_batch_result *results;
    atomic_size_t next;
} job;

size_t panolm_olm_encrypted_base64_max_length(size_t plaintext_length) {
    size_t n = panolm_olm_encrypted_max_length(plaintext_length);
    return n == 0 ? 0 : pl_b64_encoded_len(n);
}

static int span_ok(const panolm_olm_span *s, size_t input_len) {
    return s->offset <= input_len && s->length <= input_len - s->offset;
}

/* Copies and checks the spans; fills lengths[count] and returns the output capacity needed (0 on failure,
 * with *status saying why). */
static size_t prepare(size_t input_len, const panolm_olm_span *pieces_in, uint32_t holes,
                      const panolm_olm_span *values_in, size_t count, panolm_olm_span *pieces,
                      panolm_olm_span *values, uint64_t *lengths, size_t *max_plaintext, int *status) {
    uint64_t fixed = 0;
    for (uint32_t h = 0; h <= holes; h++) {
        pieces[h] = pieces_in[h];
        if (!span_ok(&pieces[h], input_len)) { *status = PANOLM_INVALID_ARGUMENT; return 0; }
        fixed += pieces[h].length;
    }
    size_t total = 0;
    *max_plaintext = 0;
    for (size_t k = 0; k < count; k++) {
        uint64_t len = fixed;
        for (uint32_t h = 0; h < holes; h++) {
            panolm_olm_span *v = &values[k * holes + h];
            *v = values_in[k * holes + h];
            if (!span_ok(v, input_len)) { *status = PANOLM_INVALID_ARGUMENT; return 0; }
            len += v->length;   /* every term is at most input_len: no overflow */
        }
        if (len > PANOLM_OLM_MAX_PLAINTEXT_LENGTH) { *status = PANOLM_TOO_LARGE; return 0; }
        lengths[k] = len;
        if (len > *max_plaintext) *max_plaintext = (size_t) len;
        size_t slot = panolm_olm_encrypted_base64_max_length((size_t) len);
        if (total > SIZE_MAX - slot) { *status = PANOLM_TOO_LARGE; return 0; }
        total += slot;
    }
    *status = PANOLM_OK;
    return total;
}

static int check_call(size_t count, const uint8_t *input, size_t input_len, const panolm_olm_span *pieces,
                      uint32_t holes, const panolm_olm_span *values) {
    if (input == NULL && input_len > 0) return PANOLM_INVALID_ARGUMENT;
    if (pieces == NULL) return PANOLM_INVALID_ARGUMENT;
    if (values == NULL && holes > 0 && count > 0) return PANOLM_INVALID_ARGUMENT;
    if (count > MAX_COUNT || holes > PANOLM_OLM_BATCH_MAX_HOLES) return PANOLM_TOO_LARGE;
    return PANOLM_OK;
}

size_t panolm_olm_batch_output_length(size_t input_len, const panolm_olm_span *pieces, uint32_t holes,
                                      const panolm_olm_span *values, size_t count) {
    if (check_call(count, NULL, 0, pieces, holes, values) != PANOLM_OK) return 0;
    panolm_olm_span *p = malloc((holes + 1) * sizeof *p);
    panolm_olm_span *v = malloc((count * holes + 1) * sizeof *v);
    uint64_t *lengths = malloc((count + 1) * sizeof *lengths);
    size_t max = 0, total = 0;
    int status = PANOLM_INTERNAL;
    if (p && v && lengths) total = prepare(input_len, pieces, holes, values, count, p, v, lengths, &max, &status);
    free(p);
    free(v);
    free(lengths);
    return status == PANOLM_OK ? total : 0;
}

static size_t assemble(const job *j, size_t k, uint8_t *scratch) {
    size_t n = 0;
    for (uint32_t h = 0; h <= j->holes; h++) {
        const panolm_olm_span *p = &j->pieces[h];
        if (p->length) memcpy(scratch + n, j->input + p->offset, (size_t) p->length);
        n += (size_t) p->length;
        if (h == j->holes) break;
        const panolm_olm_span *v = &j->values[k * j->holes + h];
        if (v->length) memcpy(scratch + n, j->input + v->offset, (size_t) v->length);
        n += (size_t) v->length;
    }
    return n;
}

static void run_one(job *j, size_t k, uint8_t *scratch, int scratch_ok) {
    panolm_olm_batch_result *r = &j->results[k];
    size_t len = (size_t) j->plaintext_lengths[k];
    size_t cap = panolm_olm_encrypted_base64_max_length(len);
    uint8_t *slot = j->output + j->offsets[k];
    panolm_olm_session *s = j->sessions[k];
    size_t n = 0;
    uint32_t type = 0;
    int rc;
    if (s == NULL) {
        rc = PANOLM_UNKNOWN_SESSION;
    } else if (!scratch_ok) {
        rc = PANOLM_INTERNAL;
    } else {
        size_t pt_len = assemble(j, k, scratch);
        pthread_mutex_lock(&s->lock);
        rc = ol_session_encrypt_locked(s, scratch, pt_len, slot, cap, &n, &type);
        pthread_mutex_unlock(&s->lock);
        pl_wipe(scratch, pt_len);
    }
    if (rc == PANOLM_OK) {
        pl_b64_encode_public_in_place(slot, n);   /* a ciphertext: public */
        r->message_length = (uint32_t) pl_b64_encoded_len(n);
        r->message_type = type;
    }
    r->status = rc;
}

static void *worker(void *arg) {
    job *j = arg;
    uint8_t *scratch = malloc(j->max_plaintext ? j->max_plaintext : 1);
    for (;;) {
        size_t start = atomic_fetch_add_explicit(&j->next, CHUNK, memory_order_relaxed);
        if (start >= j->count) break;
        size_t end = j->count - start < CHUNK ? j->count : start + CHUNK;
        for (size_t k = start; k < end; k++) run_one(j, k, scratch, scratch != NULL);
    }
    if (scratch != NULL) {
        pl_wipe(scratch, j->max_plaintext ? j->max_plaintext : 1);
        free(scratch);
    }
    return NULL;
}

int32_t panolm_olm_batch_encrypt(panolm_olm_session *const *sessions, size_t count, const uint8_t *input,
                                 size_t input_len, const panolm_olm_span *pieces, uint32_t holes,
                                 const panolm_olm_span *values, uint8_t *output, size_t output_cap,
                                 panolm_olm_batch_result *results, uint32_t threads) {
    int rc = check_call(count, input, input_len, pieces, holes, values);
    if (rc != PANOLM_OK) return rc;
    PL_CHECK((sessions != NULL && results != NULL) || count == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(output != NULL || output_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    if (count == 0) return PANOLM_OK;

    panolm_olm_span *p = malloc((holes + 1) * sizeof *p);
    panolm_olm_span *v = malloc((count * holes + 1) * sizeof *v);
    uint64_t *lengths = malloc(2 * count * sizeof *lengths);
    uint64_t *offsets = lengths ? lengths + count : NULL;
    size_t max_plaintext = 0, needed = 0;
    rc = p && v && lengths ? PANOLM_OK : PANOLM_INTERNAL;
    if (rc == PANOLM_OK) needed = prepare(input_len, pieces, holes, values, count, p, v, lengths, &max_plaintext, &rc);
    if (rc == PANOLM_OK && output_cap < needed) rc = PANOLM_OUTPUT_TOO_SMALL;
    if (rc == PANOLM_OK) {
        uint64_t offset = 0;
        for (size_t k = 0; k < count; k++) {
            offsets[k] = offset;
            results[k].message_offset = offset;
            results[k].message_length = 0;
            results[k].message_type = 0;
            results[k].status = PANOLM_INTERNAL;
            results[k].reserved = 0;
            offset += panolm_olm_encrypted_base64_max_length((size_t) lengths[k]);
        }
        job j = {sessions, count, input, p, holes, v, lengths, offsets, max_plaintext, output, results, 0};
        atomic_init(&j.next, 0);
        pl_run_parallel(worker, &j, pl_thread_count(threads, (count + CHUNK - 1) / CHUNK, PL_MAX_THREADS));
    }
    free(p);
    free(v);
    free(lengths);
    return rc;
}
