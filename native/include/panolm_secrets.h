/* panolm_secrets.h: secret storage (m.secret_storage.v1.aes-hmac-sha2) and the room-key export file body.
 * See panolm.h for the conventions every function follows. */
#ifndef PANOLM_SECRETS_H
#define PANOLM_SECRETS_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Secret storage: one encrypted item ---------------------------------------------------------
 * (aes, mac) = HKDF-SHA-256(32 zero bytes, key, name, 64); ct = AES-256-CTR(aes, iv, plaintext) with
 * WebCrypto's 64-bit counter (as matrix-js-sdk writes it); tag = HMAC-SHA-256(mac, ct).
 * Items are small: lengths above PANOLM_SSSS_MAX_ITEM are refused with PANOLM_TOO_LARGE. */
#define PANOLM_SSSS_MAX_ITEM (1u << 20)

PANOLM_API PANOLM_CRITICAL int32_t panolm_ssss_encrypt(const uint8_t *key32, const uint8_t *name, size_t name_len,
                                                       const uint8_t *iv16, const uint8_t *plaintext, size_t len,
                                                       uint8_t *ciphertext, uint8_t *mac32);
/* Checks the MAC first (constant time); writes the plaintext only when it verifies (PANOLM_BAD_MAC). */
PANOLM_API PANOLM_CRITICAL int32_t panolm_ssss_decrypt(const uint8_t *key32, const uint8_t *name, size_t name_len,
                                                       const uint8_t *iv16, const uint8_t *ciphertext, size_t len,
                                                       const uint8_t *mac32, uint8_t *plaintext);
/* The key check of a key description: the MAC of 32 zero bytes encrypted under the name "". */
PANOLM_API PANOLM_CRITICAL int32_t panolm_ssss_key_check(const uint8_t *key32, const uint8_t *iv16, uint8_t *mac32);
/* PANOLM_OK when the key's check equals mac32 (constant time), PANOLM_BAD_MAC otherwise. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_ssss_key_verify(const uint8_t *key32, const uint8_t *iv16,
                                                          const uint8_t *mac32);

/* ---- Room-key export file body, incrementally --------------------------------------------------
 * Body: version 0x01 | salt (16) | IV (16) | rounds (uint32 BE) | AES-256-CTR ciphertext | HMAC-SHA-256.
 * Keys: PBKDF2-HMAC-SHA-512(passphrase, salt, rounds, 64) = AES key (32) | HMAC key (32). The counter is
 * WebCrypto's 64-bit one (Element), so files whose low counter half wraps decrypt as Element wrote them.
 *
 * The state lives in caller memory of panolm_export_state_size() bytes (16-byte aligned) and holds keys:
 * call panolm_export_clear when done. A state is not thread-safe.
 *   encrypt: init(header) -> encrypt(chunk)... -> finish(mac out)
 *   decrypt: init(header) -> mac_update(ciphertext chunk)... -> verify(mac) -> decrypt(chunk)... -> recheck(mac)
 * decrypt refuses to run (PANOLM_BAD_MAC) until verify has succeeded: nothing is decrypted unverified.
 * recheck compares the MAC of what decrypt was given with the verified one (a re-read file that changed). */
#define PANOLM_EXPORT_HEADER_LENGTH 37
#define PANOLM_EXPORT_MAC_LENGTH 32

PANOLM_API PANOLM_CRITICAL size_t panolm_export_state_size(void);
/* Parses the 37-byte header (PANOLM_BAD_VERSION unless version 1; PANOLM_TOO_LARGE above max_rounds,
 * PANOLM_INVALID_ARGUMENT for 0 rounds), derives the keys (long-running PBKDF2) and starts the MAC. */
PANOLM_API int32_t panolm_export_init(void *state, const uint8_t *passphrase, size_t passphrase_len,
                                      const uint8_t *header, uint32_t max_rounds);
/* Encrypts a chunk of plaintext and adds the ciphertext to the MAC. Chunks may have any length. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_encrypt(void *state, const uint8_t *in, size_t len, uint8_t *out);
/* Writes the final MAC; the state then accepts nothing more. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_finish(void *state, uint8_t *mac32);
/* Adds a chunk of ciphertext to the MAC (first pass of decryption). */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_mac_update(void *state, const uint8_t *in, size_t len);
/* Compares the MAC (constant time); on success decryption is unlocked, on failure PANOLM_BAD_MAC. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_verify(void *state, const uint8_t *mac32);
/* Decrypts a chunk of ciphertext (second pass), from the start of the ciphertext on. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_decrypt(void *state, const uint8_t *in, size_t len, uint8_t *out);
/* After the last decrypt: PANOLM_OK when the ciphertext decrypted is the one verified, else PANOLM_BAD_MAC. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_export_recheck(void *state, const uint8_t *mac32);
/* Wipes the state. Idempotent. */
PANOLM_API PANOLM_CRITICAL void panolm_export_clear(void *state);

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_SECRETS_H */
