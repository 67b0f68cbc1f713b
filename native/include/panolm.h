/*
 * panolm.h: the public C API of libpanolm.
 *
 * Conventions, shared by every panolm_* function:
 *   - the return value is a panolm_status (0 = PANOLM_OK), unless documented otherwise;
 *   - every buffer is passed as pointer + length, lengths are size_t and are never trusted
 *     beyond the length the caller passed;
 *   - outputs are written only on success; secrets held in temporaries are wiped before return;
 *   - functions are thread-safe unless an object argument is documented otherwise.
 * Per-format APIs live in their own headers, included at the end of this file.
 */
#ifndef PANOLM_H
#define PANOLM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PANOLM_API __attribute__((visibility("default")))
/* Marks a short, pure-CPU function that Java may call with Linker.Option.critical(true). */
#define PANOLM_CRITICAL

/* Bumped whenever a signature or a struct layout of this API changes; checked by the Java loader. */
#define PANOLM_ABI_VERSION 1

/* Status codes. Stable numbers: the Java enum org.panolm.Status mirrors them. */
enum panolm_status {
    PANOLM_OK = 0,
    PANOLM_INVALID_ARGUMENT = 1,      /* a null pointer, a length out of range, a bad parameter */
    PANOLM_OUTPUT_TOO_SMALL = 2,      /* the caller's output buffer cannot hold the result */
    PANOLM_BAD_BASE64 = 3,            /* a character outside the alphabet, or impossible length */
    PANOLM_BAD_VERSION = 4,           /* an unknown version byte */
    PANOLM_TRUNCATED = 5,             /* the input ends before a field it announces */
    PANOLM_BAD_MAC = 6,               /* a MAC did not verify */
    PANOLM_BAD_SIGNATURE = 7,         /* an Ed25519 signature did not verify */
    PANOLM_UNKNOWN_SESSION = 8,       /* no session with that id */
    PANOLM_UNKNOWN_INDEX = 9,         /* message index below the first known index */
    PANOLM_REPLAYED_INDEX = 10,       /* same (session, index) under another event id */
    PANOLM_ROOM_MISMATCH = 11,        /* room of the plaintext or session differs from the event's */
    PANOLM_BAD_PADDING = 12,          /* PKCS#7 padding is malformed */
    PANOLM_BAD_KEY = 13,              /* a key of the wrong size or form */
    PANOLM_NON_CONTRIBUTORY = 14,     /* X25519 produced the all-zero shared secret */
    PANOLM_BAD_MESSAGE_FORMAT = 15,   /* malformed fields inside a message */
    PANOLM_BAD_EVENT = 16,            /* the event around a ciphertext is malformed (Java side) */
    PANOLM_TOO_LARGE = 17,            /* a length or count above a documented limit */
    PANOLM_INTERNAL = 18,             /* the crypto library failed (out of memory, etc.) */
    PANOLM_NOT_INITIALISED = 19,      /* panolm_init() was not called or failed */
    PANOLM_STATUS_COUNT = 20
};

/* Library set-up and identity. */
PANOLM_API int32_t panolm_init(void);
PANOLM_API PANOLM_CRITICAL uint32_t panolm_abi_version(void);
/* The release this library was built as (the Maven project version, e.g. "0.1.0"): a static string. */
PANOLM_API const char *panolm_version(void);
PANOLM_API const char *panolm_status_name(int32_t status);

/* Randomness (libsodium's CSPRNG). */
PANOLM_API int32_t panolm_random(uint8_t *out, size_t out_len);

/* Wiping and constant-time comparison. panolm_ct_equal returns 1 when equal, 0 otherwise. */
PANOLM_API PANOLM_CRITICAL void panolm_wipe(void *buf, size_t len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_ct_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* Matrix base64: encoding is unpadded; decoding accepts optional '=' padding and rejects
 * any other non-alphabet character and non-zero trailing bits. *out_len receives the length. */
PANOLM_API PANOLM_CRITICAL size_t panolm_base64_encoded_length(size_t in_len);
PANOLM_API PANOLM_CRITICAL size_t panolm_base64_decoded_max_length(size_t in_len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_base64_encode(const uint8_t *in, size_t in_len,
                                                        uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_base64_decode(const uint8_t *in, size_t in_len,
                                                        uint8_t *out, size_t out_cap, size_t *out_len);

/* MACs and key derivation. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_hmac_sha256(const uint8_t *key, size_t key_len,
                                                      const uint8_t *msg, size_t msg_len, uint8_t *out32);
PANOLM_API PANOLM_CRITICAL int32_t panolm_hmac_sha512(const uint8_t *key, size_t key_len,
                                                      const uint8_t *msg, size_t msg_len, uint8_t *out64);
PANOLM_API PANOLM_CRITICAL int32_t panolm_hkdf_sha256(const uint8_t *salt, size_t salt_len,
                                                      const uint8_t *ikm, size_t ikm_len,
                                                      const uint8_t *info, size_t info_len,
                                                      uint8_t *out, size_t out_len);
/* Long-running: iterations are capped at PANOLM_PBKDF2_MAX_ITERATIONS. */
#define PANOLM_PBKDF2_MAX_ITERATIONS 100000000u
PANOLM_API int32_t panolm_pbkdf2_sha512(const uint8_t *password, size_t password_len,
                                        const uint8_t *salt, size_t salt_len, uint32_t iterations,
                                        uint8_t *out, size_t out_len);

/* AES-256. CBC uses PKCS#7 and strict unpadding; CTR increments the full 128-bit counter. */
PANOLM_API PANOLM_CRITICAL size_t panolm_aes256_cbc_ciphertext_length(size_t plaintext_len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_aes256_cbc_encrypt(const uint8_t *key32, const uint8_t *iv16,
                                                             const uint8_t *in, size_t in_len,
                                                             uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_aes256_cbc_decrypt(const uint8_t *key32, const uint8_t *iv16,
                                                             const uint8_t *in, size_t in_len,
                                                             uint8_t *out, size_t out_cap, size_t *out_len);
PANOLM_API PANOLM_CRITICAL int32_t panolm_aes256_ctr(const uint8_t *key32, const uint8_t *iv16,
                                                     const uint8_t *in, size_t len, uint8_t *out);
/* CTR as WebCrypto does it with length 64 (Element's export files): the low 64 bits wrap alone. */
PANOLM_API PANOLM_CRITICAL int32_t panolm_aes256_ctr64(const uint8_t *key32, const uint8_t *iv16,
                                                       const uint8_t *in, size_t len, uint8_t *out);

/* Curve25519 (libsodium). X25519 refuses low-order peers (all-zero secret). Ed25519 keys are
 * a 32-byte seed; verification is strict (canonical S, no small-order keys). */
PANOLM_API PANOLM_CRITICAL int32_t panolm_x25519_public(const uint8_t *private32, uint8_t *public32);
PANOLM_API PANOLM_CRITICAL int32_t panolm_x25519(const uint8_t *private32, const uint8_t *peer_public32,
                                                 uint8_t *shared32);
PANOLM_API PANOLM_CRITICAL int32_t panolm_ed25519_public(const uint8_t *seed32, uint8_t *public32);
PANOLM_API PANOLM_CRITICAL int32_t panolm_ed25519_sign(const uint8_t *seed32, const uint8_t *msg, size_t msg_len,
                                                       uint8_t *signature64);
PANOLM_API PANOLM_CRITICAL int32_t panolm_ed25519_verify(const uint8_t *public32, const uint8_t *msg,
                                                         size_t msg_len, const uint8_t *signature64);

/* Verifies `count` Ed25519 signatures at once, with exactly the verdicts of panolm_ed25519_verify but for one
 * case only the holder of a key can make (docs/ed25519-batch.md, section 3): signature i is
 * signatures64[64i..), its key keys32[32i..), its message messages[start .. message_ends[i]), where start is
 * the end of the last valid earlier entry (0 for the first). Each end is read once; an end below that start
 * or beyond messages_len gives that signature INVALID_ARGUMENT. verdicts[i] is OK or BAD_SIGNATURE otherwise.
 * mode PANOLM_ED25519_BATCH uses batch verification (one multi-scalar multiplication per 64 signatures, on
 * this thread), PANOLM_ED25519_EACH one libsodium verification per signature (the reference the batch is
 * tested and measured against). Returns INVALID_ARGUMENT for a null array or an unknown mode, TOO_LARGE above
 * 2^31 signatures. */
#define PANOLM_ED25519_BATCH 0u
#define PANOLM_ED25519_EACH 1u
PANOLM_API int32_t panolm_ed25519_verify_batch(const uint8_t *keys32, const uint8_t *signatures64,
                                               const uint8_t *messages, size_t messages_len,
                                               const uint64_t *message_ends, size_t count, int32_t *verdicts,
                                               uint32_t mode);

#ifdef __cplusplus
}
#endif

/* Per-format APIs. */
#include "panolm_megolm.h"
#include "panolm_backup.h"
#include "panolm_secrets.h"
#include "panolm_olm.h"

#endif /* PANOLM_H */
