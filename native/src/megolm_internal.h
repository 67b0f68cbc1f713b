/* Megolm internals shared by megolm*.c and batch.c. Not part of the API. */
#ifndef PANOLM_MEGOLM_INTERNAL_H
#define PANOLM_MEGOLM_INTERNAL_H

#include <pthread.h>
#include "common.h"
#include "ed25519_batch.h"

#define ML_RATCHET 128
#define ML_PART 32
#define ML_MAC 8
#define ML_SIG 64
#define ML_TRAILER (ML_MAC + ML_SIG)
#define ML_VERSION 3

typedef struct {
    uint8_t r[ML_RATCHET];
    uint32_t counter;
} ml_ratchet;

/* megolm_ratchet.c */
PANOLM_INTERNAL_FN void ml_advance(ml_ratchet *m);
PANOLM_INTERNAL_FN void ml_advance_to(ml_ratchet *m, uint32_t target);
/* keys: AES key | HMAC key | IV. */
PANOLM_INTERNAL_FN void ml_message_keys(const uint8_t ratchet[ML_RATCHET], uint8_t keys[80]);

/* megolm_message.c: a parsed version-3 message; pointers into the decoded bytes. */
typedef struct {
    uint32_t index;
    const uint8_t *ciphertext;
    size_t ciphertext_len;
    size_t mac_offset;      /* bytes [0, mac_offset) are MACed; the signature covers [0, mac_offset + 8) */
} ml_message;

PANOLM_INTERNAL_FN int ml_parse(const uint8_t *msg, size_t len, ml_message *out);
/* Binary length of the message for a plaintext of that length. */
PANOLM_INTERNAL_FN size_t ml_message_length(uint32_t index, size_t plaintext_len);
/* Writes the header (version, index, ciphertext tag and length); returns its length. */
PANOLM_INTERNAL_FN size_t ml_write_header(uint8_t *out, uint32_t index, size_t ciphertext_len);

/* megolm_room.c: 1 when the plaintext is a JSON object whose top-level "room_id" string equals room;
 * 0 when it names another room or none; -1 when the plaintext is not a JSON object. */
PANOLM_INTERNAL_FN int ml_room_matches(const uint8_t *json, size_t len, const uint8_t *room, size_t room_len);

/* megolm_replay.c: per message index, which event ids carried it (see the file for the states). */
typedef struct __attribute__((packed)) {
    uint32_t index;
    uint64_t state;         /* 0: empty slot */
} ml_replay_entry;

typedef struct {
    ml_replay_entry *slots;
    size_t capacity;
    size_t size;
    uint8_t key[16];        /* keys the event-id tags */
} ml_replay_table;

PANOLM_INTERNAL_FN void ml_replay_init(ml_replay_table *t);
PANOLM_INTERNAL_FN void ml_replay_free(ml_replay_table *t);
/* The keyed tag of an event id: never 0, low 3 bits clear. */
PANOLM_INTERNAL_FN uint64_t ml_replay_tag(const ml_replay_table *t, const uint8_t *event_id, size_t len);
/* Makes room for `more` new indices (0, TOO_LARGE, or INTERNAL when out of memory). Every function below
 * that may add an index needs it first; none of them allocates. */
PANOLM_INTERNAL_FN int ml_replay_reserve(ml_replay_table *t, size_t more);
PANOLM_INTERNAL_FN int ml_replay_known(const ml_replay_table *t, uint32_t index);
PANOLM_INTERNAL_FN size_t ml_replay_bytes(const ml_replay_table *t);
/* Decryption, for a message whose signature verified: REPLAYED_INDEX when its index is conflicted or holds
 * another verified id (which then becomes conflicted), else OK. */
PANOLM_INTERNAL_FN int ml_replay_check(ml_replay_table *t, uint32_t index, uint64_t tag);
/* After the message decrypted: its id becomes the verified one of the index. */
PANOLM_INTERNAL_FN void ml_replay_decrypted(ml_replay_table *t, uint32_t index, uint64_t tag);
/* Several signed ids at one index inside one batch. */
PANOLM_INTERNAL_FN void ml_replay_conflict(ml_replay_table *t, uint32_t index);
/* Scan, stage NOTE (no signature checked): 1 when this made the index contested. */
PANOLM_INTERNAL_FN int ml_replay_note(ml_replay_table *t, uint32_t index, uint64_t tag);
PANOLM_INTERNAL_FN int ml_replay_contested(const ml_replay_table *t, uint32_t index);
/* Scan, stage CONFIRM, for a verified message at a contested index: 1 when this made the index conflicted. */
PANOLM_INTERNAL_FN int ml_replay_confirm(ml_replay_table *t, uint32_t index, uint64_t tag);

/* megolm.c */
struct panolm_megolm_inbound {
    pthread_mutex_t lock;
    ml_ratchet initial;     /* the earliest ratchet known: never moved, so history stays reachable */
    ml_ratchet latest;      /* the furthest ratchet reached, to continue from cheaply */
    uint8_t public_key[32];
    int verified;
    uint8_t room_id[PANOLM_MEGOLM_MAX_ROOM_ID_LENGTH];
    size_t room_id_len;     /* 0: not bound to a room */
    ml_replay_table replay;
    atomic_int key_state;   /* the batch verifier's checks of public_key, cached (ed25519_batch.h) */
};

/* The signature over everything but its own 64 bytes, with the session's public key (immutable after
 * creation, so no lock is needed: the batch verifies in parallel before taking session locks). */
PANOLM_INTERNAL_FN int ml_verify(const panolm_megolm_inbound *s, const uint8_t *buf, size_t len);
/* The same signature as an input of the batch verification (ed25519_batch.h). */
PANOLM_INTERNAL_FN void ml_signed_input(panolm_megolm_inbound *s, const uint8_t *buf, size_t len,
                                        pl_ed25519_input *out);

/* The rest of the decryption of one verified message, under the session lock, shared by the single and
 * batch paths. `cursor` is the caller's ratchet for a run of increasing indices. buf holds the decoded
 * message (len bytes); the plaintext is written to buf[0..*pt_len) in place. */
typedef struct {
    ml_ratchet work;
    int work_valid;
} ml_cursor;

/* tag: the event id's replay tag (ml_replay_tag), or 0 for no replay bookkeeping. */
PANOLM_INTERNAL_FN int ml_decrypt_verified(panolm_megolm_inbound *s, ml_cursor *cursor,
                                           uint8_t *buf, size_t len, const ml_message *msg, uint64_t tag,
                                           const uint8_t *room_id, size_t room_id_len, size_t *pt_len);
/* The crypto part of ml_decrypt_verified, on no session state but the two ratchets the cursor may start
 * from (copies, for a batch's segment of a session): ratchet, MAC, AES, room. The index check and the replay
 * bookkeeping stay with the caller, under the session lock. */
PANOLM_INTERNAL_FN int ml_open(const ml_ratchet *initial, const ml_ratchet *latest, ml_cursor *cursor, uint8_t *buf,
                               const ml_message *msg, const uint8_t *room_id, size_t room_id_len, size_t *pt_len);
/* Moves the cursor's progress into the session's cached latest ratchet and wipes the cursor. */
PANOLM_INTERNAL_FN void ml_cursor_finish(panolm_megolm_inbound *s, ml_cursor *cursor);
/* Room binding check done before any crypto. */
PANOLM_INTERNAL_FN int ml_session_room_ok(const panolm_megolm_inbound *s, const uint8_t *room_id, size_t room_id_len);

#endif
