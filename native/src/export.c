/* The body of Element's room-key export file, processed incrementally so that files of any size stream
 * through bounded memory: PBKDF2-HMAC-SHA-512 keys, AES-256-CTR with WebCrypto's 64-bit counter and
 * HMAC-SHA-256 over header and ciphertext. Decryption is only unlocked by a verified MAC. */
#include <stdalign.h>
#include "common.h"

#define STATE_MAGIC 0x706c6578u /* "plex": set by init, cleared by clear */

enum phase { P_READY = 1, P_ENCRYPTING, P_FINISHED, P_MACCING, P_VERIFIED, P_FAILED, P_RECHECKED };

struct export_state {
    uint32_t magic;
    uint32_t phase;
    uint32_t ks_used;      /* bytes of ks already used; 16 when none is left */
    uint8_t aes[32];
    uint8_t ctr[16];       /* the next counter block */
    uint8_t ks[16];        /* keystream of the last, partly used block */
    SHA256_CTX start;      /* inner hash of the MAC after the header */
    SHA256_CTX running;    /* inner hash of the MAC, header and ciphertext so far */
    SHA256_CTX outer;      /* outer hash state after the padded key */
};

_Static_assert(alignof(struct export_state) <= 16, "callers align the state to 16 bytes");

size_t panolm_export_state_size(void) { return sizeof(struct export_state); }

void panolm_export_clear(void *state) {
    if (state != NULL) pl_wipe(state, sizeof(struct export_state));
}

/* The state lives in caller memory, and it holds indices (ks_used, the SHA-256 contexts' byte counts) that
 * steer reads and writes. Each call therefore copies it in once, checks the copy, works on the copy and
 * writes it back: a caller changing the state meanwhile can corrupt its own output, never move an access
 * outside the state. */
static int sha_ok(const SHA256_CTX *c) {
    return c->num < SHA256_CBLOCK && c->md_len == SHA256_DIGEST_LENGTH;
}

static int load(const void *state, struct export_state *s) {
    if (state == NULL) return 0;
    memcpy(s, state, sizeof *s);
    __asm__ volatile("" ::: "memory");   /* the compiler may not assume the caller's state still equals the copy */
    int ok = s->magic == STATE_MAGIC && s->phase >= P_READY && s->phase <= P_RECHECKED && s->ks_used <= 16
             && sha_ok(&s->start) && sha_ok(&s->running) && sha_ok(&s->outer);
    if (!ok) pl_wipe(s, sizeof *s);
    return ok;
}

/* Writes the copy back and wipes it; returns rc. */
static int32_t store(void *state, struct export_state *s, int32_t rc) {
    memcpy(state, s, sizeof *s);
    pl_wipe(s, sizeof *s);
    return rc;
}

/* The low 64 bits of the counter block advance and wrap alone, as WebCrypto's length-64 counter does. */
static void advance(uint8_t ctr[16], uint64_t blocks) {
    uint64_t low = 0;
    for (int i = 8; i < 16; i++) low = (low << 8) | ctr[i];
    low += blocks;
    for (int i = 15; i >= 8; i--) { ctr[i] = (uint8_t) low; low >>= 8; }
}

static int ctr_apply(struct export_state *s, const uint8_t *in, size_t len, uint8_t *out) {
    while (len > 0 && s->ks_used < 16) {
        *out++ = *in++ ^ s->ks[s->ks_used++];
        len--;
    }
    size_t whole = len - len % 16;
    if (whole > 0) {
        int rc = pl_ctr64(s->aes, s->ctr, in, whole, out);
        if (rc != PANOLM_OK) return rc;
        advance(s->ctr, (uint64_t) (whole / 16));
        in += whole; out += whole; len -= whole;
    }
    if (len > 0) {
        memset(s->ks, 0, sizeof s->ks);
        int rc = pl_ctr64(s->aes, s->ctr, s->ks, sizeof s->ks, s->ks);
        if (rc != PANOLM_OK) return rc;
        advance(s->ctr, 1);
        for (size_t i = 0; i < len; i++) out[i] = in[i] ^ s->ks[i];
        s->ks_used = (uint32_t) len;
    }
    return PANOLM_OK;
}

static void mac_final(struct export_state *s, uint8_t out[32]) {
    uint8_t ih[32];
    SHA256_CTX outer = s->outer;
    SHA256_Final(ih, &s->running);
    SHA256_Update(&outer, ih, sizeof ih);
    SHA256_Final(out, &outer);
    pl_wipe(ih, sizeof ih);
    pl_wipe(&outer, sizeof outer);
}

int32_t panolm_export_init(void *state, const uint8_t *passphrase, size_t passphrase_len,
                           const uint8_t *header, uint32_t max_rounds) {
    PL_CHECK(state != NULL && header != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(passphrase != NULL || passphrase_len == 0, PANOLM_INVALID_ARGUMENT);
    panolm_export_clear(state);
    if (header[0] != 0x01) return PANOLM_BAD_VERSION;
    uint32_t rounds = (uint32_t) header[33] << 24 | (uint32_t) header[34] << 16
                      | (uint32_t) header[35] << 8 | header[36];
    if (rounds == 0) return PANOLM_INVALID_ARGUMENT;
    if (rounds > max_rounds) return PANOLM_TOO_LARGE;
    uint8_t dk[64];
    int rc = panolm_pbkdf2_sha512(passphrase, passphrase_len, header + 1, 16, rounds, dk, sizeof dk);
    if (rc != PANOLM_OK) { pl_wipe(dk, sizeof dk); return rc; }
    pl_hmac256_key k;
    pl_hmac256_init(&k, dk + 32, 32);
    struct export_state s;
    memset(&s, 0, sizeof s);
    s.running = k.inner;
    s.outer = k.outer;
    SHA256_Update(&s.running, header, PANOLM_EXPORT_HEADER_LENGTH);
    s.start = s.running;
    memcpy(s.aes, dk, 32);
    memcpy(s.ctr, header + 17, 16);
    s.ks_used = 16;
    s.phase = P_READY;
    s.magic = STATE_MAGIC;
    pl_wipe(dk, sizeof dk);
    pl_wipe(&k, sizeof k);
    return store(state, &s, PANOLM_OK);
}

int32_t panolm_export_encrypt(void *state, const uint8_t *in, size_t len, uint8_t *out) {
    PL_CHECK((in && out) || len == 0, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_READY && s.phase != P_ENCRYPTING) { pl_wipe(&s, sizeof s); return PANOLM_INVALID_ARGUMENT; }
    s.phase = P_ENCRYPTING;
    int rc = len == 0 ? PANOLM_OK : ctr_apply(&s, in, len, out);
    if (rc != PANOLM_OK) pl_wipe(out, len);
    else if (len > 0) SHA256_Update(&s.running, out, len);
    return store(state, &s, rc);
}

int32_t panolm_export_finish(void *state, uint8_t *mac32) {
    PL_CHECK(mac32 != NULL, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_READY && s.phase != P_ENCRYPTING) { pl_wipe(&s, sizeof s); return PANOLM_INVALID_ARGUMENT; }
    mac_final(&s, mac32);
    s.phase = P_FINISHED;
    return store(state, &s, PANOLM_OK);
}

int32_t panolm_export_mac_update(void *state, const uint8_t *in, size_t len) {
    PL_CHECK(in != NULL || len == 0, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_READY && s.phase != P_MACCING) { pl_wipe(&s, sizeof s); return PANOLM_INVALID_ARGUMENT; }
    s.phase = P_MACCING;
    if (len > 0) SHA256_Update(&s.running, in, len);
    return store(state, &s, PANOLM_OK);
}

int32_t panolm_export_verify(void *state, const uint8_t *mac32) {
    PL_CHECK(mac32 != NULL, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_READY && s.phase != P_MACCING) { pl_wipe(&s, sizeof s); return PANOLM_INVALID_ARGUMENT; }
    uint8_t tag[32];
    mac_final(&s, tag);
    int ok = pl_ct_equal(tag, mac32, 32);
    pl_wipe(tag, sizeof tag);
    if (!ok) {
        /* Nothing of a file that failed its MAC may be decrypted: drop the keys now. The empty contexts
         * still pass load's checks, so later calls fail on the phase. */
        pl_wipe(&s, sizeof s);
        s.start.md_len = s.running.md_len = s.outer.md_len = SHA256_DIGEST_LENGTH;
        s.magic = STATE_MAGIC;
        s.phase = P_FAILED;
        return store(state, &s, PANOLM_BAD_MAC);
    }
    /* The second pass hashes what it decrypts again, so that a file that changed between the passes
     * is detected (panolm_export_recheck). */
    s.running = s.start;
    s.phase = P_VERIFIED;
    return store(state, &s, PANOLM_OK);
}

int32_t panolm_export_decrypt(void *state, const uint8_t *in, size_t len, uint8_t *out) {
    PL_CHECK((in && out) || len == 0, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_VERIFIED) { pl_wipe(&s, sizeof s); return PANOLM_BAD_MAC; }
    int rc = PANOLM_OK;
    if (len > 0) {
        SHA256_Update(&s.running, in, len); /* before: in and out may be the same buffer */
        rc = ctr_apply(&s, in, len, out);
        if (rc != PANOLM_OK) pl_wipe(out, len);
    }
    return store(state, &s, rc);
}

int32_t panolm_export_recheck(void *state, const uint8_t *mac32) {
    PL_CHECK(mac32 != NULL, PANOLM_INVALID_ARGUMENT);
    struct export_state s;
    PL_CHECK(load(state, &s), PANOLM_INVALID_ARGUMENT);
    if (s.phase != P_VERIFIED) { pl_wipe(&s, sizeof s); return PANOLM_INVALID_ARGUMENT; }
    uint8_t tag[32];
    mac_final(&s, tag);
    int ok = pl_ct_equal(tag, mac32, 32);
    pl_wipe(tag, sizeof tag);
    s.phase = P_RECHECKED;
    return store(state, &s, ok ? PANOLM_OK : PANOLM_BAD_MAC);
}
