/* panolm_olm.h: Olm (m.olm.v1.curve25519-aes-sha2) accounts and 1:1 sessions, their pickles, and the
 * batch encryption of one payload for many sessions. See panolm.h for the conventions every function
 * follows.
 *
 * Byte-compatible with libolm 3.2 and vodozemac (docs/formats.md §7 has the formats):
 *   session set-up  triple Diffie-Hellman; root key and first chain key = HKDF-SHA-256(no salt,
 *                   DH(I_A, E_B) | DH(K_A, I_B) | DH(K_A, E_B), "OLM_ROOT", 64);
 *   ratchet step    (root, chain) = HKDF-SHA-256(salt = root, DH(ratchet keys), "OLM_RATCHET", 64);
 *   chain           message key = HMAC-SHA-256(chain, 0x01), next chain = HMAC-SHA-256(chain, 0x02);
 *   message keys    AES key | MAC key | IV = HKDF-SHA-256(no salt, message key, "OLM_KEYS", 80);
 *   message         0x03 | 0x0A len ratchet key | 0x10 varint counter | 0x22 len AES-256-CBC ciphertext
 *                   | HMAC-SHA-256 over all that, truncated to 8 bytes;
 *   pre-key message 0x03 | 0x0A one-time key | 0x12 base key | 0x1A identity key | 0x22 message;
 *   session id      SHA-256(identity key of the initiator | its base key | the one-time key used).
 * Messages cross this API as binary (the Matrix events carry their unpadded base64), except in the
 * batch, whose output is base64 ready for the event.
 *
 * Out-of-order messages are bounded as vodozemac bounds them: at most PANOLM_OLM_MAX_RECEIVER_CHAINS
 * receiving chains (the oldest is dropped), per chain at most PANOLM_OLM_MAX_SKIPPED_MESSAGE_KEYS
 * skipped message keys (the oldest are dropped; keys further back than that behind a message are never
 * kept), and no message more than PANOLM_OLM_MAX_MESSAGE_GAP ahead of its chain. Failed decryptions
 * change nothing. Errors: BAD_BASE64 / BAD_VERSION / TRUNCATED / BAD_MESSAGE_FORMAT (the message),
 * BAD_MAC, BAD_PADDING, UNKNOWN_INDEX (the message key for that counter was used or dropped),
 * TOO_LARGE (the gap, or a plaintext above PANOLM_OLM_MAX_PLAINTEXT_LENGTH), NON_CONTRIBUTORY (a
 * low-order Curve25519 key, which libolm would have used), UNKNOWN_SESSION (a pre-key message for a
 * one-time key this account does not hold), BAD_KEY (a pre-key message from another identity key).
 *
 * Objects are opaque and owned by the caller (create, use, free; free wipes). Accounts and sessions
 * lock themselves, so any function may be called from several threads; a function taking an account
 * and a session locks the account first.
 */
#ifndef PANOLM_OLM_H
#define PANOLM_OLM_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PANOLM_OLM_KEY_LENGTH 32
#define PANOLM_OLM_SIGNATURE_LENGTH 64
#define PANOLM_OLM_SESSION_ID_LENGTH 32
/* One-time keys an account keeps (libolm's number); generating more drops the oldest. */
#define PANOLM_OLM_MAX_ONE_TIME_KEYS 100
#define PANOLM_OLM_MAX_RECEIVER_CHAINS 5
#define PANOLM_OLM_MAX_SKIPPED_MESSAGE_KEYS 40
#define PANOLM_OLM_MAX_MESSAGE_GAP 2000
#define PANOLM_OLM_MAX_PLAINTEXT_LENGTH (1u << 24)
#define PANOLM_OLM_MESSAGE_PRE_KEY 0
#define PANOLM_OLM_MESSAGE_NORMAL 1
/* Upper bounds of the pickle texts (ours and libolm's), so callers can size buffers once. */
#define PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH 12000
#define PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH 12000
/* A pickle key may be empty (as libolm allows) but not longer than this. */
#define PANOLM_OLM_MAX_PICKLE_KEY_LENGTH 1024

typedef struct panolm_olm_account panolm_olm_account;
typedef struct panolm_olm_session panolm_olm_session;

/* --- Accounts --- */

/* Fresh Curve25519 and Ed25519 identity keys, no one-time keys. */
PANOLM_API int32_t panolm_olm_account_new(panolm_olm_account **out);
PANOLM_API void panolm_olm_account_free(panolm_olm_account *account);
PANOLM_API int32_t panolm_olm_account_identity_keys(panolm_olm_account *account, uint8_t *curve25519_32,
                                                    uint8_t *ed25519_32);
/* Ed25519 signature with the account's identity key. */
PANOLM_API int32_t panolm_olm_account_sign(panolm_olm_account *account, const uint8_t *message, size_t length,
                                           uint8_t *signature64);
/* count new one-time keys (at most PANOLM_OLM_MAX_ONE_TIME_KEYS, else TOO_LARGE); their ids continue the
 * account's counter, which fallback keys share. */
PANOLM_API int32_t panolm_olm_account_generate_one_time_keys(panolm_olm_account *account, uint32_t count);
/* The unpublished one-time keys, newest first as libolm lists them: *count ids and 32-byte public keys.
 * capacity is how many fit in ids and keys (PANOLM_OLM_MAX_ONE_TIME_KEYS always does). */
PANOLM_API int32_t panolm_olm_account_one_time_keys(panolm_olm_account *account, uint32_t *ids, uint8_t *keys,
                                                    size_t capacity, size_t *count);
/* Marks every one-time key and the current fallback key as published; *marked gets the number of
 * one-time keys that were not yet published. */
PANOLM_API int32_t panolm_olm_account_mark_keys_as_published(panolm_olm_account *account, uint32_t *marked);
/* A new current fallback key; the current one becomes the previous one (still accepted). */
PANOLM_API int32_t panolm_olm_account_generate_fallback_key(panolm_olm_account *account);
/* The current fallback key: *present is 0 when there is none, or, when unpublished_only is non-zero,
 * when it has been marked as published. */
PANOLM_API int32_t panolm_olm_account_fallback_key(panolm_olm_account *account, int32_t unpublished_only,
                                                   uint32_t *id, uint8_t *key32, int32_t *present);
/* Drops the previous fallback key, once no more messages to it are expected. */
PANOLM_API int32_t panolm_olm_account_forget_old_fallback_key(panolm_olm_account *account);
/* Removes the one-time key an inbound session was created with (fallback keys stay);
 * UNKNOWN_SESSION when the account no longer has it. */
PANOLM_API int32_t panolm_olm_account_remove_one_time_key(panolm_olm_account *account,
                                                          panolm_olm_session *session);

/* --- Sessions --- */

/* Starts a session to a device from its identity key and one of its one-time or fallback keys. */
PANOLM_API int32_t panolm_olm_session_new_outbound(panolm_olm_account *account, const uint8_t *their_identity32,
                                                   const uint8_t *their_one_time32, panolm_olm_session **out);
/* The receiving side, from a pre-key message (binary). their_identity32 may be NULL; otherwise the
 * message must come from that identity key (BAD_KEY). Does not decrypt and does not remove the one-time
 * key: decrypt first, then panolm_olm_account_remove_one_time_key. */
PANOLM_API int32_t panolm_olm_session_new_inbound(panolm_olm_account *account, const uint8_t *their_identity32,
                                                  const uint8_t *message, size_t length,
                                                  panolm_olm_session **out);
PANOLM_API void panolm_olm_session_free(panolm_olm_session *session);
PANOLM_API int32_t panolm_olm_session_id(panolm_olm_session *session, uint8_t *id32);
/* The keys that set the session up: the initiator's identity and base keys, the one-time key used. */
PANOLM_API int32_t panolm_olm_session_keys(panolm_olm_session *session, uint8_t *identity32, uint8_t *base32,
                                           uint8_t *one_time32);
/* 1 once a message has decrypted (from then on the session sends normal messages), else 0. */
PANOLM_API int32_t panolm_olm_session_has_received_message(panolm_olm_session *session);
/* *matches = 1 when a pre-key message (binary) was made with this session's keys and, unless
 * their_identity32 is NULL, comes from that identity key; 0 otherwise, also for a malformed message. */
PANOLM_API int32_t panolm_olm_session_matches_inbound(panolm_olm_session *session, const uint8_t *their_identity32,
                                                      const uint8_t *message, size_t length, int32_t *matches);
/* Length of the longest binary message for a plaintext of that length (0 when above the limit). */
PANOLM_API PANOLM_CRITICAL size_t panolm_olm_encrypted_max_length(size_t plaintext_length);
/* Encrypts; *type gets PANOLM_OLM_MESSAGE_PRE_KEY until a message has decrypted, then NORMAL. */
PANOLM_API int32_t panolm_olm_session_encrypt(panolm_olm_session *session, const uint8_t *plaintext,
                                              size_t plaintext_length, uint8_t *out, size_t out_cap,
                                              size_t *out_len, uint32_t *type);
/* Upper bound of the plaintext of a binary message of that length. */
PANOLM_API PANOLM_CRITICAL size_t panolm_olm_decrypt_max_plaintext_length(size_t message_length);
PANOLM_API int32_t panolm_olm_session_decrypt(panolm_olm_session *session, uint32_t type,
                                              const uint8_t *message, size_t length,
                                              uint8_t *out, size_t out_cap, size_t *out_len);

/* --- Pickles ---
 * Ours ("panolm1:" + unpadded base64 of an envelope, docs/formats.md §7.7): versioned, a random salt per pickle,
 * HKDF-SHA-256 from the pickle key, AES-256-CBC and a full HMAC-SHA-256 over everything. libolm's: its
 * own binary layouts under libolm's pickle cipher (readable by libolm and by vodozemac's
 * from_libolm_pickle). Reading either: BAD_MAC for a wrong key or altered text, BAD_VERSION for an
 * unknown version, TRUNCATED / BAD_MESSAGE_FORMAT for a damaged body, BAD_BASE64. */
PANOLM_API int32_t panolm_olm_account_pickle(panolm_olm_account *account, const uint8_t *key, size_t key_len,
                                             uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API int32_t panolm_olm_account_unpickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                               size_t length, panolm_olm_account **out);
PANOLM_API int32_t panolm_olm_account_to_libolm_pickle(panolm_olm_account *account, const uint8_t *key,
                                                       size_t key_len, uint8_t *out, size_t out_cap,
                                                       size_t *out_len);
/* libolm account pickles of versions 2, 3 and 4 (version 1 held a truncated key: BAD_VERSION), with up to
 * 5000 one-time keys in any order (vodozemac's to_libolm_pickle writes all it holds, oldest first): the
 * newest PANOLM_OLM_MAX_ONE_TIME_KEYS by id are kept. */
PANOLM_API int32_t panolm_olm_account_from_libolm_pickle(const uint8_t *key, size_t key_len,
                                                         const uint8_t *pickle, size_t length,
                                                         panolm_olm_account **out);
PANOLM_API int32_t panolm_olm_session_pickle(panolm_olm_session *session, const uint8_t *key, size_t key_len,
                                             uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API int32_t panolm_olm_session_unpickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                               size_t length, panolm_olm_session **out);
/* libolm keeps skipped message keys in one list of 40 for all chains: when this session holds more, the
 * newest 40 are written. */
PANOLM_API int32_t panolm_olm_session_to_libolm_pickle(panolm_olm_session *session, const uint8_t *key,
                                                       size_t key_len, uint8_t *out, size_t out_cap,
                                                       size_t *out_len);
PANOLM_API int32_t panolm_olm_session_from_libolm_pickle(const uint8_t *key, size_t key_len,
                                                         const uint8_t *pickle, size_t length,
                                                         panolm_olm_session **out);

/* vodozemac's pickles (docs/formats.md §7.9), read into accounts and sessions of this library: the JSON
 * of vodozemac's AccountPickle / SessionPickle, bare or inside a matrix-sdk-crypto store record (its
 * "pickle" field), as *_json; or vodozemac's encrypted form (AccountPickle::encrypt, unpadded base64 of
 * libolm's pickle envelope around that JSON, with vodozemac's 32-byte pickle key) as *_pickle. Of an
 * account's one-time keys the newest PANOLM_OLM_MAX_ONE_TIME_KEYS are kept (vodozemac holds up to 5000).
 * Sessions of vodozemac's experimental version 2 (full MACs) are refused (BAD_VERSION). Errors: BAD_MAC,
 * BAD_BASE64, BAD_PADDING (the envelope); BAD_MESSAGE_FORMAT (JSON malformed, a field missing, repeated or
 * of the wrong shape, more chains or skipped keys than kept), TOO_LARGE (text above
 * PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH, an id or index above 2^32 - 1, nesting deeper than 32),
 * BAD_KEY (an Ed25519 key that cannot be used). where (may be NULL with where_cap 0) gets the name of the
 * field that failed, NUL-terminated: schema names only, never input. */
#define PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH (4u << 20)
#define PANOLM_OLM_VODOZEMAC_WHERE_LENGTH 64
PANOLM_API int32_t panolm_olm_account_from_vodozemac_pickle(const uint8_t *key, size_t key_len,
                                                            const uint8_t *pickle, size_t length,
                                                            panolm_olm_account **out, char *where, size_t where_cap);
PANOLM_API int32_t panolm_olm_account_from_vodozemac_json(const uint8_t *json, size_t length,
                                                          panolm_olm_account **out, char *where, size_t where_cap);
PANOLM_API int32_t panolm_olm_session_from_vodozemac_pickle(const uint8_t *key, size_t key_len,
                                                            const uint8_t *pickle, size_t length,
                                                            panolm_olm_session **out, char *where, size_t where_cap);
PANOLM_API int32_t panolm_olm_session_from_vodozemac_json(const uint8_t *json, size_t length,
                                                          panolm_olm_session **out, char *where, size_t where_cap);

/* The two pickle envelopes alone, for small objects whose body the caller lays out (PK decryption keys).
 * kind names the object (PANOLM_PICKLE_*) and is authenticated: a pickle of one kind does not open as
 * another. Bodies are at most PANOLM_PICKLE_MAX_BODY_LENGTH bytes. */
#define PANOLM_PICKLE_ACCOUNT 1
#define PANOLM_PICKLE_SESSION 2
#define PANOLM_PICKLE_PK_DECRYPTION 3
#define PANOLM_PICKLE_MAX_BODY_LENGTH 8192
PANOLM_API PANOLM_CRITICAL size_t panolm_pickle_length(size_t body_length);
PANOLM_API int32_t panolm_pickle_seal(uint32_t kind, const uint8_t *key, size_t key_len, const uint8_t *body,
                                      size_t body_len, uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API int32_t panolm_pickle_open(uint32_t kind, const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                      size_t length, uint8_t *body, size_t body_cap, size_t *body_len);
PANOLM_API PANOLM_CRITICAL size_t panolm_libolm_pickle_length(size_t body_length);
PANOLM_API int32_t panolm_libolm_pickle_encrypt(const uint8_t *key, size_t key_len, const uint8_t *body,
                                                size_t body_len, uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API int32_t panolm_libolm_pickle_decrypt(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                                size_t length, uint8_t *body, size_t body_cap, size_t *body_len);

/* --- Batch encryption ---
 *
 * One call encrypts a payload for `count` sessions, spread over `threads` threads (0 = one per online
 * CPU). The payload is a template of holes + 1 fixed pieces with `holes` gaps that each recipient fills:
 * recipient k's plaintext is
 *     piece[0] | value[k * holes + 0] | piece[1] | ... | value[k * holes + holes - 1] | piece[holes].
 * (An m.room_key payload differs per device only in "recipient" and "recipient_keys"; with one hole and
 * two empty pieces each recipient supplies its whole plaintext.) Pieces and values are spans of the one
 * caller-owned input segment. Every span is copied and checked once before any work starts.
 *
 * Recipient k's message, as unpadded base64 of the binary message (the event's "body"), is written at
 * results[k].message_offset of the output segment: the prefix sum, in input order, of
 * panolm_olm_encrypted_base64_max_length of each plaintext, so the layout does not depend on threads.
 * A NULL session gives UNKNOWN_SESSION for that recipient; a session listed twice gets two messages in
 * an unspecified order. Returns OK when the batch ran (outcomes per recipient in results), or for the
 * whole call: INVALID_ARGUMENT (null pointers, a span outside the input), TOO_LARGE (count above 2^31,
 * holes above PANOLM_OLM_BATCH_MAX_HOLES, a plaintext above the limit), OUTPUT_TOO_SMALL, INTERNAL.
 */
#define PANOLM_OLM_BATCH_MAX_HOLES 64

typedef struct {
    uint64_t offset;
    uint64_t length;
} panolm_olm_span;              /* 16 bytes */

typedef struct {
    uint64_t message_offset;    /* into the output segment */
    uint32_t message_length;    /* base64 characters; 0 unless status is OK */
    uint32_t message_type;      /* PANOLM_OLM_MESSAGE_PRE_KEY or _NORMAL */
    int32_t status;
    uint32_t reserved;
} panolm_olm_batch_result;      /* 24 bytes */

PANOLM_API PANOLM_CRITICAL size_t panolm_olm_encrypted_base64_max_length(size_t plaintext_length);
/* Output capacity the batch needs, or 0 when a span or length is out of range. */
PANOLM_API size_t panolm_olm_batch_output_length(size_t input_len, const panolm_olm_span *pieces, uint32_t holes,
                                                 const panolm_olm_span *values, size_t count);
PANOLM_API int32_t panolm_olm_batch_encrypt(panolm_olm_session *const *sessions, size_t count,
                                            const uint8_t *input, size_t input_len,
                                            const panolm_olm_span *pieces, uint32_t holes,
                                            const panolm_olm_span *values,
                                            uint8_t *output, size_t output_cap,
                                            panolm_olm_batch_result *results, uint32_t threads);

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_OLM_H */
