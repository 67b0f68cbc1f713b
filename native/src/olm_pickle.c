/* Pickles of accounts and sessions, in two envelopes (docs/formats.md §7.4, §7.6, §7.7):
 *
 *   ours      "panolm1:" + base64(kind | body version | salt (16) | AES-256-CBC(body) | HMAC-SHA-256 (32)),
 *             keys = HKDF-SHA-256(salt, pickle key, "panolm pickle v1", 80) = AES | MAC | IV; the MAC covers
 *             every byte before it, so a pickle of one kind never opens as another;
 *   libolm's  base64(AES-256-CBC(body) | HMAC-SHA-256(ciphertext)[0..8]), keys = HKDF-SHA-256(no salt,
 *             pickle key, "Pickle", 80): deterministic, so a reused pickle key reuses the IV (libolm's
 *             design; written only for migration back and for vodozemac's from_libolm_pickle).
 *
 * Bodies are libolm's binary layouts (big-endian uint32, bytes, keys as public | private) for libolm's
 * envelope, and the smaller layouts below for ours. Every count is checked against its bound before
 * anything is read, and a body must be consumed exactly. */
#include <stdlib.h>
#include <sodium.h>
#include "olm_internal.h"

/* ---- byte reader and writer -------------------------------------------------------------------- */

static int need(ol_reader *r, size_t n) {
    if (r->failed || (size_t) (r->end - r->pos) < n) { r->failed = 1; return 0; }
    return 1;
}

uint32_t ol_read_u32(ol_reader *r) {
    if (!need(r, 4)) return 0;
    uint32_t v = (uint32_t) r->pos[0] << 24 | (uint32_t) r->pos[1] << 16 | (uint32_t) r->pos[2] << 8 | r->pos[3];
    r->pos += 4;
    return v;
}

uint8_t ol_read_u8(ol_reader *r) {
    if (!need(r, 1)) return 0;
    return *r->pos++;
}

void ol_read_bytes(ol_reader *r, uint8_t *out, size_t n) {
    if (!need(r, n)) { memset(out, 0, n); return; }
    memcpy(out, r->pos, n);
    r->pos += n;
}

void ol_write_u32(ol_writer *w, uint32_t v) {
    w->pos[0] = (uint8_t) (v >> 24); w->pos[1] = (uint8_t) (v >> 16); w->pos[2] = (uint8_t) (v >> 8);
    w->pos[3] = (uint8_t) v;
    w->pos += 4;
}

void ol_write_u8(ol_writer *w, uint8_t v) { *w->pos++ = v; }

void ol_write_bytes(ol_writer *w, const uint8_t *in, size_t n) {
    memcpy(w->pos, in, n);
    w->pos += n;
}

static void read_pair(ol_reader *r, ol_curve_pair *p) {
    ol_read_bytes(r, p->pub, OL_KEY);
    ol_read_bytes(r, p->priv, OL_KEY);
}

static void write_pair(ol_writer *w, const ol_curve_pair *p) {
    ol_write_bytes(w, p->pub, OL_KEY);
    ol_write_bytes(w, p->priv, OL_KEY);
}

static void read_otk(ol_reader *r, ol_otk *k) {
    k->id = ol_read_u32(r);
    k->published = ol_read_u8(r) != 0;
    read_pair(r, &k->key);
}

static void write_otk(ol_writer *w, const ol_otk *k) {
    ol_write_u32(w, k->id);
    ol_write_u8(w, k->published);
    write_pair(w, &k->key);
}

/* ---- envelopes ---------------------------------------------------------------------------------- */

#define PREFIX "panolm1:"
#define PREFIX_LEN (sizeof PREFIX - 1)
#define SALT 16
#define TAG 32
#define HEADER 2
#define OURS_VERSION 1

static const uint8_t OURS_INFO[] = "panolm pickle v1";
static const uint8_t LIBOLM_INFO[] = "Pickle";

static size_t cbc_length(size_t n) { return n - n % 16 + 16; }

size_t panolm_pickle_length(size_t body_length) {
    if (body_length > PANOLM_PICKLE_MAX_BODY_LENGTH) return 0;
    return PREFIX_LEN + pl_b64_encoded_len(HEADER + SALT + cbc_length(body_length) + TAG);
}

size_t panolm_libolm_pickle_length(size_t body_length) {
    if (body_length > PANOLM_PICKLE_MAX_BODY_LENGTH) return 0;
    return pl_b64_encoded_len(cbc_length(body_length) + OL_MAC);
}

static int check_key(const uint8_t *key, size_t key_len) {
    if (key == NULL && key_len > 0) return PANOLM_INVALID_ARGUMENT;
    return key_len <= PANOLM_OLM_MAX_PICKLE_KEY_LENGTH ? PANOLM_OK : PANOLM_TOO_LARGE;
}

int32_t panolm_pickle_seal(uint32_t kind, const uint8_t *key, size_t key_len, const uint8_t *body, size_t body_len,
                           uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(out && out_len && (body != NULL || body_len == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(kind >= 1 && kind <= 255, PANOLM_INVALID_ARGUMENT);
    int rc = check_key(key, key_len);
    if (rc != PANOLM_OK) return rc;
    PL_CHECK(body_len <= PANOLM_PICKLE_MAX_BODY_LENGTH, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    size_t text_len = panolm_pickle_length(body_len);
    PL_CHECK(out_cap >= text_len, PANOLM_OUTPUT_TOO_SMALL);
    size_t raw_len = HEADER + SALT + cbc_length(body_len) + TAG;
    uint8_t *raw = malloc(raw_len);
    if (raw == NULL) return PANOLM_INTERNAL;
    uint8_t keys[80], tag[32];
    raw[0] = (uint8_t) kind;
    raw[1] = OURS_VERSION;
    randombytes_buf(raw + HEADER, SALT);
    pl_hkdf256(raw + HEADER, SALT, key, key_len, OURS_INFO, sizeof OURS_INFO - 1, keys, sizeof keys);
    size_t n = 0;
    rc = pl_cbc_encrypt(keys, keys + 64, body, body_len, raw + HEADER + SALT, cbc_length(body_len), &n);
    if (rc == PANOLM_OK) {
        pl_hmac256_oneshot(keys + 32, 32, raw, raw_len - TAG, tag);
        memcpy(raw + raw_len - TAG, tag, TAG);
        memcpy(out, PREFIX, PREFIX_LEN);
        pl_b64_encode(raw, raw_len, out + PREFIX_LEN);
        *out_len = text_len;
    }
    pl_wipe(keys, sizeof keys);
    pl_wipe(raw, raw_len);
    free(raw);
    return rc;
}

int32_t panolm_pickle_open(uint32_t kind, const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                           uint8_t *body, size_t body_cap, size_t *body_len) {
    PL_CHECK(body_len && (pickle != NULL || length == 0) && (body != NULL || body_cap == 0),
             PANOLM_INVALID_ARGUMENT);
    int rc = check_key(key, key_len);
    if (rc != PANOLM_OK) return rc;
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    if (length < PREFIX_LEN || memcmp(pickle, PREFIX, PREFIX_LEN) != 0) return PANOLM_BAD_VERSION;
    if (length - PREFIX_LEN > panolm_pickle_length(PANOLM_PICKLE_MAX_BODY_LENGTH)) return PANOLM_TOO_LARGE;
    size_t cap = (length - PREFIX_LEN) / 4 * 3 + 2, raw_len = 0;
    uint8_t *raw = malloc(cap);
    if (raw == NULL) return PANOLM_INTERNAL;
    rc = pl_b64_decode(pickle + PREFIX_LEN, length - PREFIX_LEN, raw, cap, &raw_len);
    uint8_t keys[80], tag[32];
    memset(keys, 0, sizeof keys);
    if (rc == PANOLM_OK && raw_len < HEADER + SALT + 16 + TAG) rc = PANOLM_TRUNCATED;
    if (rc == PANOLM_OK && raw[1] != OURS_VERSION) rc = PANOLM_BAD_VERSION;
    if (rc == PANOLM_OK) {
        pl_hkdf256(raw + HEADER, SALT, key, key_len, OURS_INFO, sizeof OURS_INFO - 1, keys, sizeof keys);
        pl_hmac256_oneshot(keys + 32, 32, raw, raw_len - TAG, tag);
        /* The kind is under the MAC: a pickle of another kind fails here like an altered one. */
        if (!pl_ct_equal(tag, raw + raw_len - TAG, TAG) || raw[0] != kind) rc = PANOLM_BAD_MAC;
    }
    size_t ct_len = raw_len >= HEADER + SALT + TAG ? raw_len - HEADER - SALT - TAG : 0;
    if (rc == PANOLM_OK && body_cap < ct_len) rc = PANOLM_OUTPUT_TOO_SMALL;
    if (rc == PANOLM_OK) rc = pl_cbc_decrypt(keys, keys + 64, raw + HEADER + SALT, ct_len, body, body_cap, body_len);
    pl_wipe(keys, sizeof keys);
    pl_wipe(raw, cap);
    free(raw);
    return rc;
}

int32_t panolm_libolm_pickle_encrypt(const uint8_t *key, size_t key_len, const uint8_t *body, size_t body_len,
                                     uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(out && out_len && (body != NULL || body_len == 0), PANOLM_INVALID_ARGUMENT);
    int rc = check_key(key, key_len);
    if (rc != PANOLM_OK) return rc;
    PL_CHECK(body_len <= PANOLM_PICKLE_MAX_BODY_LENGTH, PANOLM_TOO_LARGE);
    size_t text_len = panolm_libolm_pickle_length(body_len);
    PL_CHECK(out_cap >= text_len, PANOLM_OUTPUT_TOO_SMALL);
    size_t ct_len = cbc_length(body_len), raw_len = ct_len + OL_MAC, n = 0;
    uint8_t *raw = malloc(raw_len);
    if (raw == NULL) return PANOLM_INTERNAL;
    uint8_t keys[80], mac[32];
    pl_hkdf256(NULL, 0, key, key_len, LIBOLM_INFO, sizeof LIBOLM_INFO - 1, keys, sizeof keys);
    rc = pl_cbc_encrypt(keys, keys + 64, body, body_len, raw, ct_len, &n);
    if (rc == PANOLM_OK) {
        pl_hmac256_oneshot(keys + 32, 32, raw, ct_len, mac);
        memcpy(raw + ct_len, mac, OL_MAC);
        pl_b64_encode(raw, raw_len, out);
        *out_len = text_len;
    }
    pl_wipe(keys, sizeof keys);
    pl_wipe(mac, sizeof mac);
    pl_wipe(raw, raw_len);
    free(raw);
    return rc;
}

int32_t panolm_libolm_pickle_decrypt(const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                                     uint8_t *body, size_t body_cap, size_t *body_len) {
    return ol_libolm_envelope_open(key, key_len, pickle, length, PANOLM_PICKLE_MAX_BODY_LENGTH, body, body_cap,
                                   body_len);
}

int ol_libolm_envelope_open(const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                            size_t max_body, uint8_t *body, size_t body_cap, size_t *body_len) {
    PL_CHECK(body_len && (pickle != NULL || length == 0) && (body != NULL || body_cap == 0),
             PANOLM_INVALID_ARGUMENT);
    int rc = check_key(key, key_len);
    if (rc != PANOLM_OK) return rc;
    if (length > pl_b64_encoded_len(cbc_length(max_body) + OL_MAC) + 4) return PANOLM_TOO_LARGE;
    size_t cap = length / 4 * 3 + 2, raw_len = 0;
    uint8_t *raw = malloc(cap);
    if (raw == NULL) return PANOLM_INTERNAL;
    rc = pl_b64_decode(pickle, length, raw, cap, &raw_len);
    uint8_t keys[80], mac[32];
    memset(keys, 0, sizeof keys);
    memset(mac, 0, sizeof mac);
    if (rc == PANOLM_OK && raw_len < 16 + OL_MAC) rc = PANOLM_TRUNCATED;
    size_t ct_len = rc == PANOLM_OK ? raw_len - OL_MAC : 0;
    if (rc == PANOLM_OK) {
        pl_hkdf256(NULL, 0, key, key_len, LIBOLM_INFO, sizeof LIBOLM_INFO - 1, keys, sizeof keys);
        pl_hmac256_oneshot(keys + 32, 32, raw, ct_len, mac);
        if (!pl_ct_equal(mac, raw + ct_len, OL_MAC)) rc = PANOLM_BAD_MAC;
    }
    if (rc == PANOLM_OK && body_cap < ct_len) rc = PANOLM_OUTPUT_TOO_SMALL;
    if (rc == PANOLM_OK) rc = pl_cbc_decrypt(keys, keys + 64, raw, ct_len, body, body_cap, body_len);
    pl_wipe(keys, sizeof keys);
    pl_wipe(mac, sizeof mac);
    pl_wipe(raw, cap);
    free(raw);
    return rc;
}

/* ---- bodies --------------------------------------------------------------------------------------- */

/* Our account body:  ed25519 public | expanded secret (64) | curve25519 pair | next key id (u32) |
 *                    one-time key count (u8) | keys | fallback count (u8) | keys;  key = id | published | pair.
 * Our session body:  received (u8) | identity | base | one-time | root | has sender (u8) [ratchet pair |
 *                    chain key | index] | receiver count (u8), each: ratchet key | chain key | index |
 *                    skipped count (u8), each: index (u32) | key. */
#define OTK_BODY (4 + 1 + 2 * OL_KEY)
#define ACCOUNT_BODY_MAX (3 * OL_KEY + 64 + 4 + 1 + OL_MAX_OTK * OTK_BODY + 1 + 2 * OTK_BODY)
#define LIBOLM_ACCOUNT_BODY_MAX (4 + 3 * OL_KEY + 64 + 4 + OL_MAX_OTK * OTK_BODY + 1 + 2 * OTK_BODY + 4)
/* What is read (vodozemac's to_libolm_pickle writes every one-time key it holds, up to 5000). */
#define LIBOLM_OTK_READ_MAX 5000
#define LIBOLM_ACCOUNT_READ_MAX (4 + 3 * OL_KEY + 64 + 4 + LIBOLM_OTK_READ_MAX * OTK_BODY + 1 + 2 * OTK_BODY + 4)
#define CHAIN_BODY (2 * OL_KEY + 4)
#define SESSION_BODY_MAX (1 + 4 * OL_KEY + 1 + OL_KEY + CHAIN_BODY + 1 \
                          + OL_MAX_CHAINS * (CHAIN_BODY + 1 + OL_MAX_SKIPPED * (4 + OL_KEY)))
#define LIBOLM_SESSION_BODY_MAX (4 + 1 + 4 * OL_KEY + 4 + OL_KEY + CHAIN_BODY + 4 + OL_MAX_CHAINS * CHAIN_BODY \
                                 + 4 + OL_MAX_SKIPPED * CHAIN_BODY + 4)
#define BODY_MAX (ACCOUNT_BODY_MAX > SESSION_BODY_MAX ? ACCOUNT_BODY_MAX : SESSION_BODY_MAX)

_Static_assert(LIBOLM_ACCOUNT_BODY_MAX <= BODY_MAX && LIBOLM_SESSION_BODY_MAX <= BODY_MAX, "body buffer");
_Static_assert(BODY_MAX <= PANOLM_PICKLE_MAX_BODY_LENGTH, "pickle body bound");
_Static_assert(PREFIX_LEN + (HEADER + SALT + BODY_MAX + 16 + TAG) / 3 * 4 + 4 <= PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH,
               "account pickle bound");
_Static_assert(PREFIX_LEN + (HEADER + SALT + BODY_MAX + 16 + TAG) / 3 * 4 + 4 <= PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH,
               "session pickle bound");

static size_t write_account(const panolm_olm_account *a, uint8_t *buf, int libolm) {
    ol_writer w = {buf};
    if (libolm) ol_write_u32(&w, 4);
    ol_write_bytes(&w, a->ed_public, OL_KEY);
    ol_write_bytes(&w, a->ed_secret, 64);
    write_pair(&w, &a->identity);
    if (libolm) {
        ol_write_u32(&w, a->otk_count);
    } else {
        ol_write_u32(&w, a->next_key_id);
        ol_write_u8(&w, (uint8_t) a->otk_count);
    }
    for (uint32_t i = 0; i < a->otk_count; i++) write_otk(&w, &a->otks[i]);
    ol_write_u8(&w, (uint8_t) a->fallback_count);
    for (uint32_t i = 0; i < a->fallback_count; i++) write_otk(&w, &a->fallback[i]);
    if (libolm) ol_write_u32(&w, a->next_key_id);
    return (size_t) (w.pos - buf);
}

/* Stable merge sort, highest id first. */
static void sort_newest_first(ol_otk *keys, ol_otk *scratch, uint32_t n) {
    if (n < 2) return;
    uint32_t half = n / 2;
    sort_newest_first(keys, scratch, half);
    sort_newest_first(keys + half, scratch, n - half);
    uint32_t i = 0, j = half, k = 0;
    while (i < half && j < n) scratch[k++] = keys[j].id > keys[i].id ? keys[j++] : keys[i++];
    while (i < half) scratch[k++] = keys[i++];
    while (j < n) scratch[k++] = keys[j++];
    memcpy(keys, scratch, n * sizeof(ol_otk));
}

/* libolm lists one-time keys newest first, at most 100; vodozemac's to_libolm_pickle lists every key it
 * holds (up to 5000), oldest first. Either way the newest 100 by id are kept, newest first (a pickle of
 * ours is put in that order too, so every account lists its keys alike). */
static int read_otks(ol_reader *r, panolm_olm_account *a, uint32_t count) {
    if (count <= OL_MAX_OTK) {
        for (uint32_t i = 0; i < count; i++) read_otk(r, &a->otks[i]);
        a->otk_count = count;
        if (r->failed) return PANOLM_TRUNCATED;
        int sorted = 1;
        for (uint32_t i = 1; i < count; i++) if (a->otks[i].id > a->otks[i - 1].id) sorted = 0;
        if (sorted) return PANOLM_OK;
    }
    /* Checked before the allocation: a count the body cannot hold allocates nothing. */
    if ((size_t) (r->end - r->pos) < (count <= OL_MAX_OTK ? 0 : (size_t) count * OTK_BODY)) return PANOLM_TRUNCATED;
    ol_otk *keys = malloc(2 * (size_t) count * sizeof(ol_otk));
    if (keys == NULL) return PANOLM_INTERNAL;
    if (count <= OL_MAX_OTK) memcpy(keys, a->otks, count * sizeof(ol_otk));
    else for (uint32_t i = 0; i < count; i++) read_otk(r, &keys[i]);
    sort_newest_first(keys, keys + count, count);
    a->otk_count = count < OL_MAX_OTK ? count : OL_MAX_OTK;
    memcpy(a->otks, keys, a->otk_count * sizeof(ol_otk));
    pl_wipe(keys, 2 * (size_t) count * sizeof(ol_otk));
    free(keys);
    return r->failed ? PANOLM_TRUNCATED : PANOLM_OK;
}

static int read_account(ol_reader *r, panolm_olm_account *a, int libolm) {
    uint32_t version = 0;
    if (libolm) {
        version = ol_read_u32(r);
        if (r->failed) return PANOLM_TRUNCATED;
        /* Version 1 kept 32 bytes of the Ed25519 key: such keys are compromised and refused. */
        if (version < 2 || version > 4) return PANOLM_BAD_VERSION;
    }
    ol_read_bytes(r, a->ed_public, OL_KEY);
    ol_read_bytes(r, a->ed_secret, 64);
    read_pair(r, &a->identity);
    uint32_t count = libolm ? ol_read_u32(r) : 0;
    if (!libolm) {
        a->next_key_id = ol_read_u32(r);
        count = ol_read_u8(r);
    }
    if (r->failed) return PANOLM_TRUNCATED;
    if (count > (libolm ? LIBOLM_OTK_READ_MAX : OL_MAX_OTK)) return PANOLM_BAD_MESSAGE_FORMAT;
    int rc = read_otks(r, a, count);
    if (rc != PANOLM_OK) return rc;
    if (libolm && version == 3) {
        /* Version 3 always held two fallback keys and counted them by their published flags. */
        read_otk(r, &a->fallback[0]);
        read_otk(r, &a->fallback[1]);
        a->fallback_count = a->fallback[0].published ? (a->fallback[1].published ? 2 : 1) : 0;
        if (a->fallback_count < 2) pl_wipe(&a->fallback[1], sizeof(ol_otk));
        if (a->fallback_count < 1) pl_wipe(&a->fallback[0], sizeof(ol_otk));
    } else if (!libolm || version == 4) {
        a->fallback_count = ol_read_u8(r);
        if (r->failed) return PANOLM_TRUNCATED;
        if (a->fallback_count > 2) return PANOLM_BAD_MESSAGE_FORMAT;
        for (uint32_t i = 0; i < a->fallback_count; i++) read_otk(r, &a->fallback[i]);
    }
    if (libolm) a->next_key_id = ol_read_u32(r);
    if (r->failed) return PANOLM_TRUNCATED;
    return r->pos == r->end ? PANOLM_OK : PANOLM_BAD_MESSAGE_FORMAT;
}

static void write_chain(ol_writer *w, const uint8_t ratchet_key[OL_KEY], const ol_chain *c) {
    ol_write_bytes(w, ratchet_key, OL_KEY);
    ol_write_bytes(w, c->key, OL_KEY);
    ol_write_u32(w, c->index);
}

static void read_chain(ol_reader *r, uint8_t ratchet_key[OL_KEY], ol_chain *c) {
    ol_read_bytes(r, ratchet_key, OL_KEY);
    ol_read_bytes(r, c->key, OL_KEY);
    c->index = ol_read_u32(r);
}

static size_t write_session(const panolm_olm_session *s, uint8_t *buf, int libolm) {
    ol_writer w = {buf};
    if (libolm) ol_write_u32(&w, 1);
    ol_write_u8(&w, s->received_message);
    ol_write_bytes(&w, s->alice_identity, OL_KEY);
    ol_write_bytes(&w, s->alice_base, OL_KEY);
    ol_write_bytes(&w, s->bob_one_time, OL_KEY);
    ol_write_bytes(&w, s->root, OL_KEY);
    if (libolm) ol_write_u32(&w, s->has_sender); else ol_write_u8(&w, s->has_sender);
    if (s->has_sender) {
        write_pair(&w, &s->sender_ratchet);
        ol_write_bytes(&w, s->sender_chain.key, OL_KEY);
        ol_write_u32(&w, s->sender_chain.index);
    }
    if (libolm) ol_write_u32(&w, s->receiver_count); else ol_write_u8(&w, (uint8_t) s->receiver_count);
    for (uint32_t i = 0; i < s->receiver_count; i++) {
        const ol_receiver *r = &s->receivers[i];
        write_chain(&w, r->ratchet_key, &r->chain);
        if (libolm) continue;
        ol_write_u8(&w, (uint8_t) r->skipped_count);
        for (uint32_t k = 0; k < r->skipped_count; k++) {
            ol_write_u32(&w, r->skipped[k].index);
            ol_write_bytes(&w, r->skipped[k].key, OL_KEY);
        }
    }
    if (libolm) {
        /* One list for all chains, newest first, at most 40: newest chains first, newest keys first. */
        uint32_t total = 0;
        for (uint32_t i = 0; i < s->receiver_count; i++) total += s->receivers[i].skipped_count;
        if (total > OL_MAX_SKIPPED) total = OL_MAX_SKIPPED;
        ol_write_u32(&w, total);
        uint32_t written = 0;
        for (uint32_t i = 0; i < s->receiver_count && written < total; i++) {
            const ol_receiver *r = &s->receivers[i];
            for (uint32_t k = r->skipped_count; k-- > 0 && written < total; written++) {
                ol_write_bytes(&w, r->ratchet_key, OL_KEY);
                ol_write_bytes(&w, r->skipped[k].key, OL_KEY);
                ol_write_u32(&w, r->skipped[k].index);
            }
        }
    }
    return (size_t) (w.pos - buf);
}

static int read_session(ol_reader *r, panolm_olm_session *s, int libolm) {
    int chain_index_trailer = 0;
    if (libolm) {
        uint32_t version = ol_read_u32(r);
        if (r->failed) return PANOLM_TRUNCATED;
        /* 0x80000001 is libolm's logging branch: the same with a chain index appended. */
        if (version == 0x80000001u) chain_index_trailer = 1;
        else if (version != 1) return PANOLM_BAD_VERSION;
    }
    s->received_message = ol_read_u8(r) != 0;
    ol_read_bytes(r, s->alice_identity, OL_KEY);
    ol_read_bytes(r, s->alice_base, OL_KEY);
    ol_read_bytes(r, s->bob_one_time, OL_KEY);
    ol_read_bytes(r, s->root, OL_KEY);
    uint32_t senders = libolm ? ol_read_u32(r) : ol_read_u8(r);
    if (r->failed) return PANOLM_TRUNCATED;
    if (senders > 1) return PANOLM_BAD_MESSAGE_FORMAT;
    s->has_sender = (uint8_t) senders;
    if (senders) {
        read_pair(r, &s->sender_ratchet);
        ol_read_bytes(r, s->sender_chain.key, OL_KEY);
        s->sender_chain.index = ol_read_u32(r);
    }
    uint32_t receivers = libolm ? ol_read_u32(r) : ol_read_u8(r);
    if (r->failed) return PANOLM_TRUNCATED;
    if (receivers > OL_MAX_CHAINS) return PANOLM_BAD_MESSAGE_FORMAT;
    for (uint32_t i = 0; i < receivers; i++) {
        ol_receiver *rc = &s->receivers[i];
        read_chain(r, rc->ratchet_key, &rc->chain);
        s->receiver_count = i + 1;
        if (libolm) continue;
        uint32_t skipped = ol_read_u8(r);
        if (r->failed) return PANOLM_TRUNCATED;
        if (skipped > OL_MAX_SKIPPED) return PANOLM_BAD_MESSAGE_FORMAT;
        if (skipped > 0) {
            rc->skipped = calloc(OL_MAX_SKIPPED, sizeof(ol_message_key));
            if (rc->skipped == NULL) return PANOLM_INTERNAL;
        }
        for (uint32_t k = 0; k < skipped; k++) {
            rc->skipped[k].index = ol_read_u32(r);
            ol_read_bytes(r, rc->skipped[k].key, OL_KEY);
            rc->skipped_count = k + 1;
        }
    }
    if (libolm) {
        uint32_t count = ol_read_u32(r);
        if (r->failed) return PANOLM_TRUNCATED;
        if (count > OL_MAX_SKIPPED) return PANOLM_BAD_MESSAGE_FORMAT;
        /* libolm lists them newest first; each goes to its chain, oldest first. Keys of chains that are no
         * longer kept can never be used again and are dropped, as vodozemac drops them. */
        ol_message_key keys[OL_MAX_SKIPPED];
        uint8_t ratchets[OL_MAX_SKIPPED][OL_KEY];
        for (uint32_t k = 0; k < count; k++) {
            ol_read_bytes(r, ratchets[k], OL_KEY);
            ol_read_bytes(r, keys[k].key, OL_KEY);
            keys[k].index = ol_read_u32(r);
        }
        int rc = r->failed ? PANOLM_TRUNCATED : PANOLM_OK;
        for (uint32_t k = count; rc == PANOLM_OK && k-- > 0;) {
            for (uint32_t i = 0; i < s->receiver_count; i++) {
                if (memcmp(s->receivers[i].ratchet_key, ratchets[k], OL_KEY) != 0) continue;
                rc = ol_receiver_push_skipped(&s->receivers[i], &keys[k]);
                break;
            }
        }
        pl_wipe(keys, sizeof keys);
        if (rc != PANOLM_OK) return rc;
        if (chain_index_trailer) (void) ol_read_u32(r);
    }
    if (r->failed) return PANOLM_TRUNCATED;
    if (r->pos != r->end) return PANOLM_BAD_MESSAGE_FORMAT;
    /* A session sends on its chain or on one derived from the newest receiving chain: it needs one. */
    if (!s->has_sender && s->receiver_count == 0) return PANOLM_BAD_MESSAGE_FORMAT;
    return PANOLM_OK;
}

/* ---- entry points --------------------------------------------------------------------------------- */

typedef size_t (*writer_fn)(const void *object, uint8_t *buf, int libolm);

static size_t account_writer(const void *o, uint8_t *buf, int libolm) { return write_account(o, buf, libolm); }
static size_t session_writer(const void *o, uint8_t *buf, int libolm) { return write_session(o, buf, libolm); }

static int pickle_object(const void *object, pthread_mutex_t *lock, writer_fn write, uint32_t kind, int libolm,
                         const uint8_t *key, size_t key_len, uint8_t *out, size_t out_cap, size_t *out_len) {
    uint8_t *body = malloc(BODY_MAX);
    if (body == NULL) return PANOLM_INTERNAL;
    pthread_mutex_lock(lock);
    size_t n = write(object, body, libolm);
    pthread_mutex_unlock(lock);
    int rc = libolm ? panolm_libolm_pickle_encrypt(key, key_len, body, n, out, out_cap, out_len)
                    : panolm_pickle_seal(kind, key, key_len, body, n, out, out_cap, out_len);
    pl_wipe(body, BODY_MAX);
    free(body);
    return rc;
}

/* Any body an envelope lets through fits (the reader then finds it too long); the caller wipes it. */
#define OPEN_CAP (PANOLM_PICKLE_MAX_BODY_LENGTH + 16)

static int open_body(uint32_t kind, int libolm, const uint8_t *key, size_t key_len, const uint8_t *pickle,
                     size_t length, uint8_t *body, size_t *body_len) {
    return libolm ? panolm_libolm_pickle_decrypt(key, key_len, pickle, length, body, OPEN_CAP, body_len)
                  : panolm_pickle_open(kind, key, key_len, pickle, length, body, OPEN_CAP, body_len);
}

static int unpickle_account(int libolm, const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                            panolm_olm_account **out) {
    PL_CHECK(out && (pickle != NULL || length == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    size_t cap = libolm ? LIBOLM_ACCOUNT_READ_MAX + 16 : OPEN_CAP;
    uint8_t *body = malloc(cap);
    panolm_olm_account *a = ol_account_alloc();
    int rc = body == NULL || a == NULL ? PANOLM_INTERNAL : PANOLM_OK;
    size_t n = 0;
    if (rc == PANOLM_OK) {
        rc = libolm ? ol_libolm_envelope_open(key, key_len, pickle, length, LIBOLM_ACCOUNT_READ_MAX, body, cap, &n)
                    : open_body(PANOLM_PICKLE_ACCOUNT, 0, key, key_len, pickle, length, body, &n);
    }
    if (rc == PANOLM_OK) {
        ol_reader r = {body, body + n, 0};
        rc = read_account(&r, a, libolm);
    }
    if (body != NULL) { pl_wipe(body, cap); free(body); }
    if (rc != PANOLM_OK) { panolm_olm_account_free(a); return rc; }
    *out = a;
    return PANOLM_OK;
}

static int unpickle_session(int libolm, const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                            panolm_olm_session **out) {
    PL_CHECK(out && (pickle != NULL || length == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    uint8_t *body = malloc(OPEN_CAP);
    panolm_olm_session *s = ol_session_alloc();
    int rc = body == NULL || s == NULL ? PANOLM_INTERNAL : PANOLM_OK;
    size_t n = 0;
    if (rc == PANOLM_OK) rc = open_body(PANOLM_PICKLE_SESSION, libolm, key, key_len, pickle, length, body, &n);
    if (rc == PANOLM_OK) {
        ol_reader r = {body, body + n, 0};
        rc = read_session(&r, s, libolm);
    }
    if (body != NULL) { pl_wipe(body, OPEN_CAP); free(body); }
    if (rc != PANOLM_OK) { panolm_olm_session_free(s); return rc; }
    *out = s;
    return PANOLM_OK;
}

int32_t panolm_olm_account_pickle(panolm_olm_account *a, const uint8_t *key, size_t key_len, uint8_t *out,
                                  size_t out_cap, size_t *out_len) {
    PL_CHECK(a != NULL, PANOLM_INVALID_ARGUMENT);
    return pickle_object(a, &a->lock, account_writer, PANOLM_PICKLE_ACCOUNT, 0, key, key_len, out, out_cap, out_len);
}

int32_t panolm_olm_account_to_libolm_pickle(panolm_olm_account *a, const uint8_t *key, size_t key_len, uint8_t *out,
                                            size_t out_cap, size_t *out_len) {
    PL_CHECK(a != NULL, PANOLM_INVALID_ARGUMENT);
    return pickle_object(a, &a->lock, account_writer, PANOLM_PICKLE_ACCOUNT, 1, key, key_len, out, out_cap, out_len);
}

int32_t panolm_olm_account_unpickle(const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                                    panolm_olm_account **out) {
    return unpickle_account(0, key, key_len, pickle, length, out);
}

int32_t panolm_olm_account_from_libolm_pickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                              size_t length, panolm_olm_account **out) {
    return unpickle_account(1, key, key_len, pickle, length, out);
}

int32_t panolm_olm_session_pickle(panolm_olm_session *s, const uint8_t *key, size_t key_len, uint8_t *out,
                                  size_t out_cap, size_t *out_len) {
    PL_CHECK(s != NULL, PANOLM_INVALID_ARGUMENT);
    return pickle_object(s, &s->lock, session_writer, PANOLM_PICKLE_SESSION, 0, key, key_len, out, out_cap, out_len);
}

int32_t panolm_olm_session_to_libolm_pickle(panolm_olm_session *s, const uint8_t *key, size_t key_len, uint8_t *out,
                                            size_t out_cap, size_t *out_len) {
    PL_CHECK(s != NULL, PANOLM_INVALID_ARGUMENT);
    return pickle_object(s, &s->lock, session_writer, PANOLM_PICKLE_SESSION, 1, key, key_len, out, out_cap, out_len);
}

int32_t panolm_olm_session_unpickle(const uint8_t *key, size_t key_len, const uint8_t *pickle, size_t length,
                                    panolm_olm_session **out) {
    return unpickle_session(0, key, key_len, pickle, length, out);
}

int32_t panolm_olm_session_from_libolm_pickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                              size_t length, panolm_olm_session **out) {
    return unpickle_session(1, key, key_len, pickle, length, out);
}
