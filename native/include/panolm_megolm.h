/* panolm_megolm.h: Megolm (m.megolm.v1.aes-sha2) sessions and batch decryption.
 * See panolm.h for the conventions every function follows.
 *
 * Byte formats (all compatible with libolm 3.2 and vodozemac):
 *   ratchet        128 bytes, R0..R3 of 32 bytes each, with a uint32 counter kept beside it;
 *   message        version 3: 0x03 | 0x08 varint(index) | 0x12 varint(n) ciphertext(n) | MAC(8) | sig(64);
 *   session key    version 2: 0x02 | index (u32 BE) | ratchet | Ed25519 public (32) | sig(64), 229 bytes;
 *   export         version 1: 0x01 | index (u32 BE) | ratchet | Ed25519 public (32), 165 bytes.
 * Ciphertexts cross this API as the unpadded base64 text that events carry.
 *
 * Session objects are opaque and owned by the caller: create, use, free (the free wipes them).
 * Outbound sessions are not thread-safe (one caller at a time). Inbound sessions lock themselves,
 * so a batch and single decryptions may use one session from several threads.
 */
#ifndef PANOLM_MEGOLM_H
#define PANOLM_MEGOLM_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PANOLM_MEGOLM_RATCHET_LENGTH 128
#define PANOLM_MEGOLM_PUBLIC_KEY_LENGTH 32
#define PANOLM_MEGOLM_SEED_LENGTH 32
#define PANOLM_MEGOLM_SESSION_KEY_LENGTH 229
#define PANOLM_MEGOLM_EXPORT_LENGTH 165
#define PANOLM_MEGOLM_MESSAGE_KEYS_LENGTH 80   /* AES key (32) | HMAC key (32) | IV (16) */
#define PANOLM_MEGOLM_MAX_ROOM_ID_LENGTH 255
/* A single plaintext may not exceed this (bounds every length computation well below overflow). */
#define PANOLM_MEGOLM_MAX_PLAINTEXT_LENGTH (64u * 1024u * 1024u)

typedef struct panolm_megolm_outbound panolm_megolm_outbound;
typedef struct panolm_megolm_inbound panolm_megolm_inbound;

/* --- The ratchet alone (for known-answer tests and tools) --- */

/* One step forward: *counter + 1 (mod 2^32). */
PANOLM_API PANOLM_CRITICAL int32_t panolm_megolm_ratchet_advance(uint8_t *ratchet128, uint32_t *counter);
/* Forward to target (wrapping through 2^32 when target < *counter), at most 1020 HMACs. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_megolm_ratchet_advance_to(uint8_t *ratchet128, uint32_t *counter,
                                                                    uint32_t target);
/* HKDF-SHA-256(ratchet, "MEGOLM_KEYS") to 80 bytes. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_megolm_message_keys(const uint8_t *ratchet128, uint8_t *keys80);

/* --- Outbound (sending) sessions --- */

/* A fresh session: 128 random ratchet bytes and a random Ed25519 seed, at index 0. */
PANOLM_API int32_t panolm_megolm_outbound_new(panolm_megolm_outbound **out);
/* A session from known parts (deterministic tests, migrations). */
PANOLM_API int32_t panolm_megolm_outbound_from_parts(const uint8_t *ratchet128, uint32_t index,
                                                     const uint8_t *seed32, panolm_megolm_outbound **out);
PANOLM_API void panolm_megolm_outbound_free(panolm_megolm_outbound *session);
PANOLM_API PANOLM_CRITICAL int32_t panolm_megolm_outbound_public_key(const panolm_megolm_outbound *session,
                                                                     uint8_t *public32);
/* The index the next message will use. */
PANOLM_API PANOLM_CRITICAL uint32_t panolm_megolm_outbound_index(const panolm_megolm_outbound *session);
/* The signed session key (version 2) at the current index. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_megolm_outbound_session_key(const panolm_megolm_outbound *session,
                                                                      uint8_t *out229);
/* Length of the base64 text encrypt produces for a plaintext of that length (0 when too large). */
PANOLM_API PANOLM_CRITICAL size_t panolm_megolm_encrypted_length(size_t plaintext_len);
/* Encrypts at the current index, then advances. Writes unpadded base64 into out. */
PANOLM_API int32_t panolm_megolm_outbound_encrypt(panolm_megolm_outbound *session,
                                                  const uint8_t *plaintext, size_t plaintext_len,
                                                  uint8_t *out, size_t out_cap, size_t *out_len);

/* --- Inbound (receiving) sessions --- */

/* From a version-2 session key (229 bytes); the signature is checked. The session is "verified". */
PANOLM_API int32_t panolm_megolm_inbound_from_session_key(const uint8_t *key, size_t key_len,
                                                          panolm_megolm_inbound **out);
/* From a version-1 export (165 bytes); not verified until a message decrypts. */
PANOLM_API int32_t panolm_megolm_inbound_import(const uint8_t *export_bytes, size_t export_len,
                                                panolm_megolm_inbound **out);
/* Whether two version-1 exports are copies of one session on one ratchet: the same Ed25519 key, and the
 * ratchet of the lower index advanced to the higher index equals the other's ratchet (compared in
 * constant time). *connected receives 1 or 0 (0 for different sessions). Costs at most 1020 HMACs. */
PANOLM_API int32_t panolm_megolm_export_connects(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                                                 int32_t *connected);
PANOLM_API void panolm_megolm_inbound_free(panolm_megolm_inbound *session);
PANOLM_API int32_t panolm_megolm_inbound_public_key(panolm_megolm_inbound *session, uint8_t *public32);
PANOLM_API uint32_t panolm_megolm_inbound_first_known_index(panolm_megolm_inbound *session);
/* 1 when the key was signed or a message has decrypted, else 0. */
PANOLM_API int32_t panolm_megolm_inbound_is_verified(panolm_megolm_inbound *session);
/* The version-1 export at index (>= first known index). */
PANOLM_API int32_t panolm_megolm_inbound_export(panolm_megolm_inbound *session, uint32_t index, uint8_t *out165);
/* Binds the session to a room (from m.room_key): events of any other room are then refused.
 * Once bound, the room cannot change (ROOM_MISMATCH). */
PANOLM_API int32_t panolm_megolm_inbound_bind_room(panolm_megolm_inbound *session, const uint8_t *room_id,
                                                   size_t room_id_len);
/* Number of message indices remembered for replay detection, and the bytes their table occupies. */
PANOLM_API size_t panolm_megolm_inbound_replay_entries(panolm_megolm_inbound *session);
PANOLM_API size_t panolm_megolm_inbound_replay_bytes(panolm_megolm_inbound *session);
/* Upper bound of the plaintext length of a base64 message of that length. */
PANOLM_API PANOLM_CRITICAL size_t panolm_megolm_decrypt_max_plaintext_length(size_t base64_len);
/* Decrypts one base64 message. event_id (may be empty: no replay check) and room_id (may be empty: no
 * room check) follow the batch rules below. *index receives the message index whenever the message
 * parsed, even when a later check failed. out must hold panolm_megolm_decrypt_max_plaintext_length. */
PANOLM_API int32_t panolm_megolm_inbound_decrypt(panolm_megolm_inbound *session,
                                                 const uint8_t *base64, size_t base64_len,
                                                 const uint8_t *event_id, size_t event_id_len,
                                                 const uint8_t *room_id, size_t room_id_len,
                                                 uint8_t *out, size_t out_cap, size_t *out_len, uint32_t *index);

/* --- Batch decryption ---
 *
 * One call decrypts `count` messages of any number of sessions. Everything a message refers to lives in
 * one caller-owned input segment (ciphertext as base64, event id, room id, by offset and length);
 * plaintexts land in one caller-owned output segment. Message k's plaintext starts at out_offset, the
 * prefix sum of panolm_megolm_decrypt_max_plaintext_length over the messages before k, so the layout
 * never depends on thread timing. Nothing is allocated per message.
 *
 * Per message, in this order: offsets and lengths inside the input (INVALID_ARGUMENT); session slot
 * known (UNKNOWN_SESSION); base64, version, fields (BAD_BASE64, BAD_VERSION, TRUNCATED,
 * BAD_MESSAGE_FORMAT); session bound to another room (ROOM_MISMATCH); Ed25519 signature (BAD_SIGNATURE); index before the first known (UNKNOWN_INDEX); index already
 * decrypted under another event id (REPLAYED_INDEX; the same event id again decrypts normally); MAC
 * (BAD_MAC); padding (BAD_PADDING); plaintext "room_id" differs from the event's (ROOM_MISMATCH) or
 * the plaintext is not a JSON object (BAD_EVENT), checked only when the event names a room.
 *
 * Messages are grouped by session and sorted by (index, input position), so each ratchet moves forward
 * once per batch.
 *
 * Replays (docs/formats.md §11.3): an index whose message carries a valid signature under two or more
 * event ids is a replay for every one of those events (REPLAYED_INDEX), whichever came first: within a
 * batch this never depends on the order of the messages. Sessions remember the ids across batches; for
 * verdicts that do not depend on how the input was split into batches either, scan the whole input with
 * panolm_megolm_batch_replay_scan before decrypting any of it. Without a scan, the first id a session
 * decrypted at an index stays valid and later ones are replays (and flag the first from then on).
 * Signatures are verified by all `threads` threads (0 means the number of online CPUs) whatever the
 * session; the ordered rest is spread over them by session. A session is locked while its messages run.
 */
#define PANOLM_MEGOLM_NO_SESSION 0xFFFFFFFFu

typedef struct {
    uint64_t ciphertext_offset;
    uint64_t event_id_offset;
    uint64_t room_id_offset;
    uint32_t ciphertext_length;
    uint32_t event_id_length;   /* 0: no replay bookkeeping for this message */
    uint32_t room_id_length;    /* 0: no room check */
    uint32_t session;           /* slot in the session table, or PANOLM_MEGOLM_NO_SESSION */
} panolm_megolm_batch_message;  /* 40 bytes */

typedef struct {
    uint64_t plaintext_offset;  /* into the output segment */
    uint32_t plaintext_length;  /* 0 unless status is OK */
    uint32_t message_index;     /* valid once the message parsed */
    int32_t status;
    uint32_t reserved;
} panolm_megolm_batch_result;   /* 24 bytes */

/* The two structs' layouts and the constants above as text, "name=value" separated by spaces (e.g.
 * "message.size=40 message.ciphertext_offset=0 ... result.status=16 ... no_session=4294967295"): Java mirrors
 * them by hand, and its tests compare. Writes at most cap bytes with a terminating NUL and returns the
 * length of the whole text (call again with more room when that is not below cap). */
PANOLM_API size_t panolm_megolm_layout(char *out, size_t cap);

/* Output capacity the batch needs: the sum of the per-message bounds. */
PANOLM_API size_t panolm_megolm_batch_output_length(const panolm_megolm_batch_message *messages, size_t count);
/* Returns OK when the batch ran (per-message outcomes are in results), or a status for the whole call:
 * INVALID_ARGUMENT, OUTPUT_TOO_SMALL, TOO_LARGE (count above 2^31), INTERNAL (no memory/threads). */
PANOLM_API int32_t panolm_megolm_batch_decrypt(panolm_megolm_inbound *const *sessions, size_t session_count,
                                               const uint8_t *input, size_t input_len,
                                               const panolm_megolm_batch_message *messages, size_t count,
                                               uint8_t *output, size_t output_cap,
                                               panolm_megolm_batch_result *results, uint32_t threads);

/* Replay scan, in two stages over the same batches, before they are decrypted:
 *   NOTE     every batch of the input: records each message's event id without checking signatures
 *            (a parse, no crypto), and finds the indices that carry several ids ("contested");
 *   CONFIRM  only if some NOTE call reported contested indices, every batch again: checks the signatures
 *            of the messages at contested indices, and marks conflicted those with several signed ids.
 * Then decrypt the batches in any order and split: the verdicts are those of the whole input. *changed
 * receives the indices newly contested (NOTE) or conflicted (CONFIRM) by this call. scratch is working
 * memory of panolm_megolm_batch_output_length bytes (its contents are left undefined). Returns OK, or
 * INVALID_ARGUMENT, OUTPUT_TOO_SMALL, TOO_LARGE, INTERNAL for the whole call. */
#define PANOLM_MEGOLM_REPLAY_NOTE 1u
#define PANOLM_MEGOLM_REPLAY_CONFIRM 2u
PANOLM_API int32_t panolm_megolm_batch_replay_scan(panolm_megolm_inbound *const *sessions, size_t session_count,
                                                   const uint8_t *input, size_t input_len,
                                                   const panolm_megolm_batch_message *messages, size_t count,
                                                   uint8_t *scratch, size_t scratch_cap, uint32_t stage,
                                                   uint32_t threads, uint64_t *changed);

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_MEGOLM_H */
