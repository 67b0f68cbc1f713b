/* panolm_backup.h: server-side key backup, m.megolm_backup.v1.curve25519-aes-sha2 (libolm's "PK
 * encryption"). See panolm.h for the conventions every function follows.
 *
 * LEGACY SCHEME. Byte-compatible with libolm's olm_pk_encrypt/olm_pk_decrypt and vodozemac's
 * pk_encryption, including their flaw: the 8-byte MAC is HMAC-SHA-256(mac_key, "") truncated, taken
 * over the EMPTY string, so it authenticates nothing about the ciphertext (CBC bit flips go undetected),
 * and anyone who knows the public key (the homeserver too) can produce well-formed entries. Treat what
 * these functions decrypt as unauthenticated. PKCS#7 is checked strictly so that no padding oracle is
 * offered on attacker-supplied ciphertexts.
 *
 * Per session:  eph = random X25519 key;  shared = X25519(eph, backup_public);
 *               okm = HKDF-SHA-256(salt = none, ikm = shared, info = "", 80)
 *               = aes_key (32) | mac_key (32) | iv (16);
 *               ciphertext = AES-256-CBC-PKCS#7(aes_key, iv, plaintext);
 *               mac = HMAC-SHA-256(mac_key, "")[0..8].
 * All keys, ephemeral keys and MACs here are raw bytes; base64 is the caller's business.
 */
#ifndef PANOLM_BACKUP_H
#define PANOLM_BACKUP_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PANOLM_BACKUP_KEY_LENGTH 32
#define PANOLM_BACKUP_MAC_LENGTH 8
/* Largest plaintext or ciphertext of one session accepted (a backed-up session is about 500 bytes). */
#define PANOLM_BACKUP_MAX_ITEM_LENGTH (1u << 24)
/* Most threads a batch call starts. */
#define PANOLM_BACKUP_MAX_THREADS 64u

/* Ciphertext length for a plaintext of plaintext_len bytes (PKCS#7 always adds 1..16 bytes). */
PANOLM_API PANOLM_CRITICAL size_t panolm_backup_ciphertext_length(size_t plaintext_len);

/* Encrypts one session for public32 with a fresh random ephemeral key. Writes the ephemeral public key
 * (32 bytes), the ciphertext (panolm_backup_ciphertext_length(plaintext_len) bytes) and the MAC (8).
 * PANOLM_NON_CONTRIBUTORY when public32 is a low-order point. */
PANOLM_API int32_t panolm_backup_encrypt(const uint8_t *public32, const uint8_t *plaintext, size_t plaintext_len,
                                         uint8_t *ephemeral32, uint8_t *ciphertext, size_t ciphertext_cap,
                                         size_t *ciphertext_len, uint8_t *mac8);

/* As panolm_backup_encrypt with a caller-chosen ephemeral private key: for known-answer tests only.
 * Reusing an ephemeral key for two sessions reuses the AES key and IV. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_backup_encrypt_with_ephemeral(
        const uint8_t *public32, const uint8_t *ephemeral_private32, const uint8_t *plaintext,
        size_t plaintext_len, uint8_t *ephemeral32, uint8_t *ciphertext, size_t ciphertext_cap,
        size_t *ciphertext_len, uint8_t *mac8);

/* Decrypts one session with the backup private key: PANOLM_NON_CONTRIBUTORY for a low-order
 * ephemeral key, PANOLM_BAD_MAC (wrong key, checked in constant time before decrypting),
 * PANOLM_BAD_PADDING. plaintext needs ciphertext_len bytes of room. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_backup_decrypt(
        const uint8_t *private32, const uint8_t *ephemeral32, const uint8_t *mac8,
        const uint8_t *ciphertext, size_t ciphertext_len,
        uint8_t *plaintext, size_t plaintext_cap, size_t *plaintext_len);

/* Batches over caller memory: count items in one call, spread over `threads` threads (0 = one per
 * online CPU; at most PANOLM_BACKUP_MAX_THREADS and never more than there are items). No allocation
 * per item. Item i's input is in[offsets[i] .. offsets[i+1]) (offsets has count + 1 entries, must be
 * non-decreasing and end at most at in_len).
 *
 * Return value: PANOLM_INVALID_ARGUMENT / PANOLM_TOO_LARGE when the layout itself is wrong (nothing is
 * done then), PANOLM_INTERNAL when threads could not be started, otherwise PANOLM_OK; the outcome of
 * each item is in statuses[i] (failed items leave their outputs zeroed). */

/* Encrypt: item i's ciphertext goes to out[out_offsets[i] ..] and its length, which is
 * panolm_backup_ciphertext_length(item length), to out_lengths[i]; out_offsets has count + 1
 * non-decreasing entries ending at most at out_len, each slot large enough. ephemerals: count * 32
 * bytes; macs: count * 8 bytes. */
PANOLM_API int32_t panolm_backup_encrypt_batch(
        const uint8_t *public32, size_t count,
        const uint8_t *in, size_t in_len, const uint64_t *offsets,
        uint8_t *out, size_t out_len, const uint64_t *out_offsets, uint64_t *out_lengths,
        uint8_t *ephemerals, uint8_t *macs, int32_t *statuses, uint32_t threads);

/* Decrypt: items are ciphertexts; item i's plaintext goes to out[offsets[i] ..] (the same offsets as
 * the input, so out_len >= in_len), its length to out_lengths[i]. ephemerals: count * 32 bytes,
 * macs: count * 8 bytes. */
PANOLM_API int32_t panolm_backup_decrypt_batch(
        const uint8_t *private32, size_t count,
        const uint8_t *in, size_t in_len, const uint64_t *offsets,
        const uint8_t *ephemerals, const uint8_t *macs,
        uint8_t *out, size_t out_len, uint64_t *out_lengths, int32_t *statuses, uint32_t threads);

/* How many X25519 agreements the batches compute at once on this CPU: 8 in one AVX-512 IFMA ladder, or 1
 * (libsodium, one at a time) where the CPU lacks IFMA. The results are the same either way. */
PANOLM_API PANOLM_CRITICAL uint32_t panolm_backup_batch_lanes(void);

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_BACKUP_H */
