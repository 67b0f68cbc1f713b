/* Fixed keys shared by the format harnesses and by make-seeds.py, which writes real seed inputs for
 * them (python3-olm, matrix-nio and the `cryptography` package as independent encoders). Test keys only. */
#ifndef PANOLM_FUZZ_FIXTURE_H
#define PANOLM_FUZZ_FIXTURE_H

#include <stdint.h>

/* Megolm: ratchet bytes 0..127 at index 0, Ed25519 seed of 0x42 bytes. */
static inline void fixture_megolm_ratchet(uint8_t r[128]) { for (int i = 0; i < 128; i++) r[i] = (uint8_t) i; }
static inline void fixture_megolm_seed(uint8_t s[32]) { for (int i = 0; i < 32; i++) s[i] = 0x42; }
/* Backup private key: bytes 32..63. */
static inline void fixture_backup_private(uint8_t k[32]) { for (int i = 0; i < 32; i++) k[i] = (uint8_t) (32 + i); }
/* Secret-storage key: bytes 64..95. */
static inline void fixture_ssss_key(uint8_t k[32]) { for (int i = 0; i < 32; i++) k[i] = (uint8_t) (64 + i); }
/* Olm: the receiving device's Curve25519 identity key is bytes 96..127, its Ed25519 seed 0x24 bytes, its
 * one-time keys i = 0..2 bytes (128 + 32 i)..; its fallback key bytes 224..255. */
static inline void fixture_olm_identity(uint8_t k[32]) { for (int i = 0; i < 32; i++) k[i] = (uint8_t) (96 + i); }
static inline void fixture_olm_ed25519_seed(uint8_t s[32]) { for (int i = 0; i < 32; i++) s[i] = 0x24; }
static inline void fixture_olm_one_time(int n, uint8_t k[32]) {
    for (int i = 0; i < 32; i++) k[i] = (uint8_t) (128 + 32 * n + i);
}
#define FIXTURE_OLM_ONE_TIME_KEYS 3

/* Export files: this passphrase, and at most this many PBKDF2 rounds so one input stays fast. */
#define FIXTURE_EXPORT_PASSPHRASE "passphrase"
#define FIXTURE_EXPORT_MAX_ROUNDS 16u

#endif
