/* Olm internals shared by olm_*.c and ed25519_expanded.c. Not part of the API. */
#ifndef PANOLM_OLM_INTERNAL_H
#define PANOLM_OLM_INTERNAL_H

#include <pthread.h>
#include "common.h"

#define OL_KEY 32
#define OL_MAC 8
#define OL_VERSION 3
#define OL_MAX_OTK PANOLM_OLM_MAX_ONE_TIME_KEYS
#define OL_MAX_CHAINS PANOLM_OLM_MAX_RECEIVER_CHAINS
#define OL_MAX_SKIPPED PANOLM_OLM_MAX_SKIPPED_MESSAGE_KEYS

/* ed25519_expanded.c: signing with libolm's expanded secret key (clamped scalar | prefix). */
PANOLM_INTERNAL_FN void ol_ed25519_expand(const uint8_t seed[32], uint8_t expanded[64]);
PANOLM_INTERNAL_FN int ol_ed25519_public(const uint8_t expanded[64], uint8_t public_key[32]);
PANOLM_INTERNAL_FN int ol_ed25519_sign(const uint8_t expanded[64], const uint8_t public_key[32],
                                       const uint8_t *msg, size_t len, uint8_t signature[64]);

/* A Curve25519 key pair; the private half is kept as generated (libolm's form: clamped on use). */
typedef struct {
    uint8_t pub[OL_KEY];
    uint8_t priv[OL_KEY];
} ol_curve_pair;

/* olm_ratchet.c: key derivation and the pieces of the double ratchet. */
PANOLM_INTERNAL_FN int ol_curve_generate(ol_curve_pair *pair);
PANOLM_INTERNAL_FN int ol_curve_from_private(ol_curve_pair *pair, const uint8_t priv[OL_KEY]);
/* X25519, NON_CONTRIBUTORY for a low-order peer key. */
PANOLM_INTERNAL_FN int ol_dh(const uint8_t priv[OL_KEY], const uint8_t peer[OL_KEY], uint8_t shared[OL_KEY]);

typedef struct {
    uint8_t key[OL_KEY];
    uint32_t index;
} ol_chain;

typedef struct {
    uint8_t key[OL_KEY];
    uint32_t index;
} ol_message_key;

/* HKDF(no salt, secret, "OLM_ROOT") -> root | chain. */
PANOLM_INTERNAL_FN void ol_kdf_root(const uint8_t *secret, size_t len, uint8_t root[OL_KEY], ol_chain *chain);
/* HKDF(salt = root, DH(ours, theirs), "OLM_RATCHET") -> new root | chain. NON_CONTRIBUTORY possible. */
PANOLM_INTERNAL_FN int ol_kdf_ratchet(const uint8_t root[OL_KEY], const uint8_t our_priv[OL_KEY],
                                      const uint8_t their_pub[OL_KEY], uint8_t new_root[OL_KEY], ol_chain *chain);
PANOLM_INTERNAL_FN void ol_chain_message_key(const ol_chain *chain, ol_message_key *out);
PANOLM_INTERNAL_FN void ol_chain_advance(ol_chain *chain);

/* olm_message.c: encoding and parsing. Parsed pointers point into the caller's bytes. */
typedef struct {
    const uint8_t *ratchet_key;   /* 32 bytes */
    uint32_t counter;
    const uint8_t *ciphertext;
    size_t ciphertext_len;
    size_t mac_offset;            /* bytes [0, mac_offset) are MACed; the MAC follows */
} ol_message;

typedef struct {
    const uint8_t *one_time_key;  /* 32 bytes each */
    const uint8_t *base_key;
    const uint8_t *identity_key;
    const uint8_t *message;
    size_t message_len;
} ol_pre_key;

PANOLM_INTERNAL_FN int ol_parse_message(const uint8_t *msg, size_t len, ol_message *out);
PANOLM_INTERNAL_FN int ol_parse_pre_key(const uint8_t *msg, size_t len, ol_pre_key *out);
PANOLM_INTERNAL_FN size_t ol_message_length(uint32_t counter, size_t plaintext_len);
PANOLM_INTERNAL_FN size_t ol_pre_key_length(size_t message_len);
/* Writes everything but the ciphertext and MAC; returns the offset of the ciphertext. */
PANOLM_INTERNAL_FN size_t ol_write_message_header(uint8_t *out, const uint8_t ratchet_key[OL_KEY], uint32_t counter,
                                                  size_t ciphertext_len);
/* Writes the pre-key fields around a message of message_len bytes; returns the offset of the message. */
PANOLM_INTERNAL_FN size_t ol_write_pre_key_header(uint8_t *out, const uint8_t one_time[OL_KEY],
                                                  const uint8_t base[OL_KEY], const uint8_t identity[OL_KEY],
                                                  size_t message_len);
/* AES-256-CBC then the truncated HMAC of buf[0, header + ciphertext). buf holds the header already;
 * the ciphertext and MAC are written after it. */
PANOLM_INTERNAL_FN int ol_seal(const ol_message_key *mk, const uint8_t *plaintext, size_t plaintext_len,
                               uint8_t *buf, size_t header_len);
/* Checks the MAC in constant time, then decrypts with strict padding into out (ciphertext_len bytes). */
PANOLM_INTERNAL_FN int ol_open(const ol_message_key *mk, const uint8_t *msg, const ol_message *parsed,
                               uint8_t *out, size_t *out_len);

/* olm_account.c */
typedef struct {
    uint32_t id;
    uint8_t published;
    ol_curve_pair key;
} ol_otk;

struct panolm_olm_account {
    pthread_mutex_t lock;
    uint8_t ed_public[OL_KEY];
    uint8_t ed_secret[64];        /* expanded, as libolm pickles it */
    ol_curve_pair identity;
    ol_otk otks[OL_MAX_OTK];      /* newest first */
    uint32_t otk_count;
    uint32_t fallback_count;      /* 0..2: [0] current, [1] previous */
    ol_otk fallback[2];
    uint32_t next_key_id;
};

PANOLM_INTERNAL_FN panolm_olm_account *ol_account_alloc(void);
/* The key pair of a one-time or fallback key with that public key, or NULL. Caller holds the lock. */
PANOLM_INTERNAL_FN const ol_curve_pair *ol_account_find_key(const panolm_olm_account *a, const uint8_t pub[OL_KEY]);

/* olm_session.c */
typedef struct {
    uint8_t ratchet_key[OL_KEY];
    ol_chain chain;
    ol_message_key *skipped;      /* NULL until a key is skipped; OL_MAX_SKIPPED slots, oldest first */
    uint32_t skipped_count;
} ol_receiver;

struct panolm_olm_session {
    pthread_mutex_t lock;
    uint8_t received_message;
    uint8_t alice_identity[OL_KEY];
    uint8_t alice_base[OL_KEY];
    uint8_t bob_one_time[OL_KEY];
    uint8_t root[OL_KEY];
    uint8_t has_sender;
    ol_curve_pair sender_ratchet;
    ol_chain sender_chain;
    ol_receiver receivers[OL_MAX_CHAINS];   /* newest first */
    uint32_t receiver_count;
};

PANOLM_INTERNAL_FN panolm_olm_session *ol_session_alloc(void);
/* Appends a skipped key to a chain, dropping its oldest when full (INTERNAL when out of memory). */
PANOLM_INTERNAL_FN int ol_receiver_push_skipped(ol_receiver *r, const ol_message_key *key);
/* Encrypts under the caller's lock into out (binary); the batch shares it. */
PANOLM_INTERNAL_FN int ol_session_encrypt_locked(panolm_olm_session *s, const uint8_t *plaintext, size_t len,
                                                 uint8_t *out, size_t out_cap, size_t *out_len, uint32_t *type);

/* olm_pickle.c: a little-endian-free byte writer/reader as libolm pickles (uint32 big-endian). */
typedef struct {
    const uint8_t *pos;
    const uint8_t *end;
    int failed;
} ol_reader;

typedef struct {
    uint8_t *pos;
} ol_writer;

PANOLM_INTERNAL_FN uint32_t ol_read_u32(ol_reader *r);
PANOLM_INTERNAL_FN uint8_t ol_read_u8(ol_reader *r);
PANOLM_INTERNAL_FN void ol_read_bytes(ol_reader *r, uint8_t *out, size_t n);
PANOLM_INTERNAL_FN void ol_write_u32(ol_writer *w, uint32_t v);
PANOLM_INTERNAL_FN void ol_write_u8(ol_writer *w, uint8_t v);
PANOLM_INTERNAL_FN void ol_write_bytes(ol_writer *w, const uint8_t *in, size_t n);
/* libolm's pickle envelope (also vodozemac's) for bodies of at most max_body bytes. */
PANOLM_INTERNAL_FN int ol_libolm_envelope_open(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                               size_t length, size_t max_body, uint8_t *body, size_t body_cap,
                                               size_t *body_len);

#endif
