/* m.megolm_backup.v1.curve25519-aes-sha2 (libolm's PK encryption), one session or a batch spread over
 * threads. Legacy scheme: the MAC covers the empty string, see panolm_backup.h. X25519 is most of the
 * cost: a batch makes its agreements eight at a time (x25519_many.c), and the symmetric part runs on the
 * hand-written HKDF/HMAC and one cached cipher context per thread; nothing is allocated per item. */
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <sodium.h>
#include "common.h"
#include "x25519_many.h"

#define OKM_LENGTH 80 /* aes_key (32) | mac_key (32) | iv (16) */

/* HKDF-SHA-256 with no salt and empty info, as libolm's PK encryption uses it. */
static void derive(const uint8_t shared[32], uint8_t okm[OKM_LENGTH]) {
    pl_hkdf256(NULL, 0, shared, 32, NULL, 0, okm, OKM_LENGTH);
}

/* The MAC exactly as libolm computes it: over zero bytes (the quirk, docs/formats.md §2.3). */
static void empty_mac(const uint8_t mac_key[32], uint8_t mac[PANOLM_BACKUP_MAC_LENGTH]) {
    uint8_t full[32];
    pl_hmac256_oneshot(mac_key, 32, NULL, 0, full);
    memcpy(mac, full, PANOLM_BACKUP_MAC_LENGTH);
    pl_wipe(full, sizeof full);
}

/* The part after the key agreements; agreed = 0 where the second was refused (an all-zero shared secret). */
static int encrypt_agreed(const uint8_t shared[32], int agreed, const uint8_t *pt, size_t pt_len, uint8_t *ct,
                          size_t ct_cap, size_t *ct_len, uint8_t mac[8]) {
    if (!agreed) return PANOLM_NON_CONTRIBUTORY;
    uint8_t okm[OKM_LENGTH];
    derive(shared, okm);
    int rc = pl_cbc_encrypt(okm, okm + 64, pt, pt_len, ct, ct_cap, ct_len);
    if (rc == PANOLM_OK) empty_mac(okm + 32, mac);
    pl_wipe(okm, sizeof okm);
    return rc;
}

static int encrypt_one(const uint8_t pub[32], const uint8_t eph_priv[32], const uint8_t *pt, size_t pt_len,
                       uint8_t eph_pub[32], uint8_t *ct, size_t ct_cap, size_t *ct_len, uint8_t mac[8]) {
    if (crypto_scalarmult_base(eph_pub, eph_priv) != 0) return PANOLM_INTERNAL;
    uint8_t shared[32];
    int agreed = crypto_scalarmult(shared, eph_priv, pub) == 0; /* libsodium refuses exactly the all-zero result */
    int rc = encrypt_agreed(shared, agreed, pt, pt_len, ct, ct_cap, ct_len, mac);
    pl_wipe(shared, sizeof shared);
    return rc;
}

/* The part after the key agreement; agreed = 0 where it was refused (an all-zero shared secret). */
static int decrypt_agreed(const uint8_t shared[32], int agreed, const uint8_t mac[8], const uint8_t *ct,
                          size_t ct_len, uint8_t *pt, size_t pt_cap, size_t *pt_len) {
    uint8_t okm[OKM_LENGTH], expected[PANOLM_BACKUP_MAC_LENGTH];
    int rc;
    if (!agreed) {
        rc = PANOLM_NON_CONTRIBUTORY;
    } else {
        derive(shared, okm);
        empty_mac(okm + 32, expected);
        if (!pl_ct_equal(expected, mac, PANOLM_BACKUP_MAC_LENGTH)) {
            rc = PANOLM_BAD_MAC; /* with this scheme: a key other than the one the entry was made for */
        } else {
            rc = pl_cbc_decrypt(okm, okm + 64, ct, ct_len, pt, pt_cap, pt_len);
        }
    }
    pl_wipe(okm, sizeof okm);
    pl_wipe(expected, sizeof expected);
    return rc;
}

static int decrypt_one(const uint8_t priv[32], const uint8_t eph[32], const uint8_t mac[8], const uint8_t *ct,
                       size_t ct_len, uint8_t *pt, size_t pt_cap, size_t *pt_len) {
    uint8_t shared[32];
    int agreed = crypto_scalarmult(shared, priv, eph) == 0;
    int rc = decrypt_agreed(shared, agreed, mac, ct, ct_len, pt, pt_cap, pt_len);
    pl_wipe(shared, sizeof shared);
    return rc;
}

size_t panolm_backup_ciphertext_length(size_t plaintext_len) {
    return plaintext_len - plaintext_len % 16 + 16;
}

int32_t panolm_backup_encrypt_with_ephemeral(const uint8_t *public32, const uint8_t *ephemeral_private32,
                                             const uint8_t *plaintext, size_t plaintext_len, uint8_t *ephemeral32,
                                             uint8_t *ciphertext, size_t ciphertext_cap, size_t *ciphertext_len,
                                             uint8_t *mac8) {
    PL_CHECK(public32 && ephemeral_private32 && ephemeral32 && ciphertext && ciphertext_len && mac8,
             PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext != NULL || plaintext_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext_len <= PANOLM_BACKUP_MAX_ITEM_LENGTH, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    PL_CHECK(ciphertext_cap >= panolm_backup_ciphertext_length(plaintext_len), PANOLM_OUTPUT_TOO_SMALL);
    return encrypt_one(public32, ephemeral_private32, plaintext, plaintext_len, ephemeral32, ciphertext,
                       ciphertext_cap, ciphertext_len, mac8);
}

int32_t panolm_backup_encrypt(const uint8_t *public32, const uint8_t *plaintext, size_t plaintext_len,
                              uint8_t *ephemeral32, uint8_t *ciphertext, size_t ciphertext_cap,
                              size_t *ciphertext_len, uint8_t *mac8) {
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t eph[32];
    randombytes_buf(eph, sizeof eph);
    int32_t rc = panolm_backup_encrypt_with_ephemeral(public32, eph, plaintext, plaintext_len, ephemeral32,
                                                      ciphertext, ciphertext_cap, ciphertext_len, mac8);
    pl_wipe(eph, sizeof eph);
    return rc;
}

int32_t panolm_backup_decrypt(const uint8_t *private32, const uint8_t *ephemeral32, const uint8_t *mac8,
                              const uint8_t *ciphertext, size_t ciphertext_len, uint8_t *plaintext,
                              size_t plaintext_cap, size_t *plaintext_len) {
    PL_CHECK(private32 && ephemeral32 && mac8 && plaintext_len, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(ciphertext != NULL || ciphertext_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(plaintext != NULL || plaintext_cap == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(ciphertext_len <= PANOLM_BACKUP_MAX_ITEM_LENGTH, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    PL_CHECK(plaintext_cap >= ciphertext_len, PANOLM_OUTPUT_TOO_SMALL);
    return decrypt_one(private32, ephemeral32, mac8, ciphertext, ciphertext_len, plaintext, plaintext_cap,
                       plaintext_len);
}

/* ---- batches ------------------------------------------------------------------------------------ */

typedef struct {
    int encrypt;
    const uint8_t *key;           /* public key (encrypt) or private key (decrypt) */
    size_t count;
    const uint8_t *in;
    const uint64_t *offsets;
    uint8_t *out;
    const uint64_t *out_offsets;  /* encrypt: caller's slots; decrypt: same as offsets */
    uint64_t *out_lengths;
    uint8_t *ephemerals;          /* written when encrypting, read when decrypting */
    uint8_t *macs;
    int32_t *statuses;
    atomic_size_t next;           /* next unclaimed item */
} batch;

/* Items are claimed in small chunks so that two threads share the work evenly without contending; a
 * chunk of decryptions is one run of the eight-lane X25519. */
#define CHUNK PL_X25519_LANES

/* The item's key agreements, made for a whole chunk at once. Encrypting: the ephemeral public key (eph_ok = 0:
 * refused, which a clamped scalar never is) and the shared secret with the backup key; decrypting: the shared
 * secret of the backup key with the item's ephemeral key. agreed = 0: refused. */
typedef struct {
    uint8_t eph_pub[CHUNK][32];
    int eph_ok[CHUNK];
    uint8_t shared[CHUNK][32];
    int agreed[CHUNK];
} agreements;

static void run_item(batch *b, size_t i, const agreements *a, size_t j) {
    /* A zero-length batch may come with null buffers: never offset a null pointer. */
    const uint8_t *in = b->in ? b->in + b->offsets[i] : NULL;
    size_t in_len = (size_t) (b->offsets[i + 1] - b->offsets[i]);
    uint8_t *out = b->out ? b->out + b->out_offsets[i] : NULL;
    size_t out_cap = (size_t) (b->out_offsets[i + 1] - b->out_offsets[i]);
    uint8_t *eph = b->ephemerals + 32 * i;
    uint8_t *mac = b->macs + PANOLM_BACKUP_MAC_LENGTH * i;
    size_t n = 0;
    int rc;
    if (b->encrypt) {
        rc = a->eph_ok[j] ? encrypt_agreed(a->shared[j], a->agreed[j], in, in_len, out, out_cap, &n, mac)
                          : PANOLM_INTERNAL;
        if (rc == PANOLM_OK) {
            memcpy(eph, a->eph_pub[j], 32);
        } else {
            memset(eph, 0, 32);
            memset(mac, 0, PANOLM_BACKUP_MAC_LENGTH);
        }
    } else {
        rc = decrypt_agreed(a->shared[j], a->agreed[j], mac, in, in_len, out, out_cap, &n);
    }
    if (rc != PANOLM_OK) {
        if (out_cap > 0) pl_wipe(out, out_cap);
        n = 0;
    }
    b->out_lengths[i] = n;
    b->statuses[i] = rc;
}

static const uint8_t BASE_POINT[32] = {9};

static void *worker(void *arg) {
    batch *b = arg;
    agreements a;
    uint8_t eph_priv[CHUNK][32];
    for (;;) {
        size_t start = atomic_fetch_add_explicit(&b->next, CHUNK, memory_order_relaxed);
        if (start >= b->count) break;
        size_t end = b->count - start < CHUNK ? b->count : start + CHUNK, n = end - start;
        if (b->encrypt) {
            randombytes_buf(eph_priv, 32 * n);
            pl_x25519_many(a.eph_pub, a.eph_ok, eph_priv[0], 32, BASE_POINT, 0, n, 1);
            pl_x25519_many(a.shared, a.agreed, eph_priv[0], 32, b->key, 0, n, 1);
        } else {
            pl_x25519_many(a.shared, a.agreed, b->key, 0, b->ephemerals + 32 * start, 32, n, 1);
        }
        for (size_t i = start; i < end; i++) run_item(b, i, &a, i - start);
    }
    pl_wipe(eph_priv, sizeof eph_priv);
    pl_wipe(&a, sizeof a);
    return NULL;
}

static void run_batch(batch *b, uint32_t threads) {
    pl_run_parallel(worker, b, pl_thread_count(threads, (b->count + CHUNK - 1) / CHUNK, PANOLM_BACKUP_MAX_THREADS));
}

/* Offsets must be non-decreasing, start anywhere, end within len, and no item may exceed the limit. */
static int check_offsets(const uint64_t *offsets, size_t count, size_t len) {
    for (size_t i = 0; i < count; i++) {
        if (offsets[i + 1] < offsets[i]) return PANOLM_INVALID_ARGUMENT;
        if (offsets[i + 1] - offsets[i] > PANOLM_BACKUP_MAX_ITEM_LENGTH) return PANOLM_TOO_LARGE;
    }
    return offsets[count] <= (uint64_t) len ? PANOLM_OK : PANOLM_INVALID_ARGUMENT;
}

/* The caller's offsets, read once into private memory: the checks and the work use only the copy, so a
 * caller rewriting its array during the call cannot move a read or write outside the buffers. */
static uint64_t *copy_offsets(const uint64_t *offsets, size_t count) {
    uint64_t *copy = malloc((count + 1) * sizeof *copy);
    if (copy == NULL) return NULL;
    memcpy(copy, offsets, (count + 1) * sizeof *copy);
    __asm__ volatile("" ::: "memory");   /* the compiler may not assume the caller's array still equals the copy */
    return copy;
}

int32_t panolm_backup_encrypt_batch(const uint8_t *public32, size_t count, const uint8_t *in, size_t in_len,
                                    const uint64_t *offsets, uint8_t *out, size_t out_len,
                                    const uint64_t *out_offsets, uint64_t *out_lengths, uint8_t *ephemerals,
                                    uint8_t *macs, int32_t *statuses, uint32_t threads) {
    PL_CHECK(public32 && offsets && out_offsets, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= SIZE_MAX / 64, PANOLM_TOO_LARGE);
    PL_CHECK(count == 0 || (out && out_lengths && ephemerals && macs && statuses), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint64_t *in_at = copy_offsets(offsets, count);
    uint64_t *out_at = copy_offsets(out_offsets, count);
    int rc = in_at != NULL && out_at != NULL ? PANOLM_OK : PANOLM_INTERNAL;
    if (rc == PANOLM_OK) rc = check_offsets(in_at, count, in_len);
    if (rc == PANOLM_OK) rc = check_offsets(out_at, count, out_len);
    for (size_t i = 0; rc == PANOLM_OK && i < count; i++) {
        if (out_at[i + 1] - out_at[i] < panolm_backup_ciphertext_length(in_at[i + 1] - in_at[i]))
            rc = PANOLM_OUTPUT_TOO_SMALL;
    }
    if (rc == PANOLM_OK && count > 0) {
        batch b = {1, public32, count, in, in_at, out, out_at, out_lengths, ephemerals, macs, statuses, 0};
        atomic_init(&b.next, 0);
        run_batch(&b, threads);
    }
    free(in_at);
    free(out_at);
    return rc;
}

int32_t panolm_backup_decrypt_batch(const uint8_t *private32, size_t count, const uint8_t *in, size_t in_len,
                                    const uint64_t *offsets, const uint8_t *ephemerals, const uint8_t *macs,
                                    uint8_t *out, size_t out_len, uint64_t *out_lengths, int32_t *statuses,
                                    uint32_t threads) {
    PL_CHECK(private32 && offsets, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= SIZE_MAX / 64, PANOLM_TOO_LARGE);
    PL_CHECK(count == 0 || (ephemerals && macs && out_lengths && statuses), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint64_t *at = copy_offsets(offsets, count);
    if (at == NULL) return PANOLM_INTERNAL;
    int rc = check_offsets(at, count, in_len);
    if (rc == PANOLM_OK && at[count] > (uint64_t) out_len) rc = PANOLM_OUTPUT_TOO_SMALL;
    if (rc == PANOLM_OK && count > 0) {
        /* Plaintexts are never longer than their ciphertexts: each goes into the slot of its input. */
        batch b = {0, private32, count, in, at, out, at, out_lengths, (uint8_t *) ephemerals, (uint8_t *) macs,
                   statuses, 0};
        atomic_init(&b.next, 0);
        run_batch(&b, threads);
    }
    free(at);
    return rc;
}

uint32_t panolm_backup_batch_lanes(void) {
    return pl_x25519_vector_available() ? PL_X25519_LANES : 1;
}
