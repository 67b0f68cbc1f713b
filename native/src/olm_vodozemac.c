/* vodozemac's pickles of accounts and sessions (docs/formats.md §7.9): the JSON that serde writes of
 * vodozemac's AccountPickle and SessionPickle, either bare (as matrix-sdk-crypto keeps it inside its own
 * PickledAccount / PickledSession records, whose "pickle" field is accepted too) or in vodozemac's
 * encrypted form: unpadded base64 of libolm's pickle envelope around that JSON.
 *
 * The JSON is read by a small pull parser written for this schema alone: keys are 32-element arrays of
 * integers, counters are unsigned integers, maps are keyed by decimal ids. Unknown fields are skipped (as
 * serde skips them), a field given twice, a missing field, a value of the wrong shape or more entries than
 * the bounds below are refused. Secrets are read straight into the account or session (or a scratch
 * buffer wiped on every exit); nothing is allocated per value. */
#include <stdlib.h>
#include <sodium.h>
#include "olm_internal.h"

/* vodozemac keeps at most 100 * 50 one-time keys; matrix-sdk-crypto keeps about 50. */
#define VZ_MAX_OTK_READ 5000
#define VZ_MAX_DEPTH 32

typedef struct {
    const uint8_t *p, *end;
    int rc;                  /* the first failure */
    const char *field;       /* the field being read (schema names only, never input) */
    const char *failed_at;
} jv;

static int fail(jv *j, int rc) {
    if (j->rc == PANOLM_OK) { j->rc = rc; j->failed_at = j->field; }
    return 0;
}

static void ws(jv *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static int peek(jv *j) {
    ws(j);
    return j->p < j->end ? *j->p : -1;
}

static int eat(jv *j, int c) {
    if (j->rc != PANOLM_OK) return 0;
    if (peek(j) != c) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    j->p++;
    return 1;
}

static int literal(jv *j, const char *word) {
    size_t n = strlen(word);
    ws(j);
    if ((size_t) (j->end - j->p) < n || memcmp(j->p, word, n) != 0) return 0;
    j->p += n;
    return 1;
}

/* A string's raw bytes (escapes left as they are: the names this schema compares never hold any). */
static int string(jv *j, const uint8_t **s, size_t *n) {
    if (!eat(j, '"')) return 0;
    const uint8_t *start = j->p;
    while (j->p < j->end && *j->p != '"') {
        if (*j->p < 0x20) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        if (*j->p == '\\') {
            if (j->end - j->p < 2) break;
            j->p++;
        }
        j->p++;
    }
    if (j->p >= j->end) return fail(j, PANOLM_TRUNCATED);
    *s = start;
    *n = (size_t) (j->p - start);
    j->p++;
    return 1;
}

static int is(const uint8_t *s, size_t n, const char *name) {
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

static int digits_u64(const uint8_t *s, size_t n, uint64_t *v) {
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) return 0;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        uint64_t d = (uint64_t) (s[i] - '0');
        if (x > (UINT64_MAX - d) / 10) return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}

static int u64v(jv *j, uint64_t *v) {
    if (j->rc != PANOLM_OK) return 0;
    ws(j);
    const uint8_t *start = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    if (!digits_u64(start, (size_t) (j->p - start), v)) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    /* A fraction or an exponent is not an integer as serde reads one. */
    if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E')) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    return 1;
}

static int u32v(jv *j, uint32_t *v) {
    uint64_t x = 0;
    if (!u64v(j, &x)) return 0;
    if (x > UINT32_MAX) return fail(j, PANOLM_TOO_LARGE);
    *v = (uint32_t) x;
    return 1;
}

static int boolean(jv *j, uint8_t *v) {
    if (j->rc != PANOLM_OK) return 0;
    if (literal(j, "true")) { *v = 1; return 1; }
    if (literal(j, "false")) { *v = 0; return 1; }
    return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
}

static int null(jv *j) {
    return j->rc == PANOLM_OK && literal(j, "null");
}

/* serde's form of a byte array: exactly n integers 0..255. */
static int bytes(jv *j, uint8_t *out, size_t n) {
    if (!eat(j, '[')) return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t b = 0;
        if (i > 0 && !eat(j, ',')) return 0;
        if (!u64v(j, &b)) return 0;
        if (b > 255) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        out[i] = (uint8_t) b;
    }
    return eat(j, ']');
}

static int skip(jv *j, int depth) {
    if (j->rc != PANOLM_OK) return 0;
    if (depth > VZ_MAX_DEPTH) return fail(j, PANOLM_TOO_LARGE);
    int c = peek(j);
    const uint8_t *s;
    size_t n;
    if (c == '"') return string(j, &s, &n);
    if (c == '{' || c == '[') {
        int close = c == '{' ? '}' : ']';
        j->p++;
        if (peek(j) == close) { j->p++; return 1; }
        do {
            if (c == '{' && !(string(j, &s, &n) && eat(j, ':'))) return 0;
            if (!skip(j, depth + 1)) return 0;
        } while (peek(j) == ',' && j->p++);
        return eat(j, close);
    }
    if (literal(j, "true") || literal(j, "false") || literal(j, "null")) return 1;
    if (c == '-') j->p++;
    const uint8_t *start = j->p;
    while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E'
                             || *j->p == '+' || *j->p == '-')) j->p++;
    return j->p > start ? 1 : fail(j, j->p >= j->end ? PANOLM_TRUNCATED : PANOLM_BAD_MESSAGE_FORMAT);
}

/* Object iteration: obj_first after '{', then obj_key for each member until it returns 0 at '}'. */
static int obj_open(jv *j) { return eat(j, '{'); }

static int obj_key(jv *j, int *first, const uint8_t **k, size_t *n) {
    if (j->rc != PANOLM_OK) return 0;
    int c = peek(j);
    if (c == '}') { j->p++; return 0; }
    if (!*first && !eat(j, ',')) return 0;
    *first = 0;
    return string(j, k, n) && eat(j, ':');
}

/* A field may appear once; `seen` collects bits. */
static int once(jv *j, unsigned *seen, unsigned bit, const char *field) {
    j->field = field;
    if (*seen & bit) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    *seen |= bit;
    return 1;
}

static int require(jv *j, unsigned seen, unsigned all, const char *field) {
    if (j->rc != PANOLM_OK) return 0;
    if ((seen & all) != all) { j->field = field; return fail(j, PANOLM_BAD_MESSAGE_FORMAT); }
    return 1;
}

/* ---- account ---------------------------------------------------------------------------------------- */

typedef struct {
    uint64_t id;
    uint8_t priv[OL_KEY];
    uint8_t published;
} vz_otk;

typedef struct {
    vz_otk *keys;             /* VZ_MAX_OTK_READ slots, wiped on exit */
    uint32_t count;
    uint64_t *unpublished;    /* the ids of "public_keys" */
    uint32_t unpublished_count;
    uint64_t next_key_id;
    uint64_t fallback_next_id;
    uint8_t have_fallback[2];
    vz_otk fallback[2];       /* current, previous */
} vz_account;

static int signing_key(jv *j, panolm_olm_account *a) {
    int first = 1, found = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (found++) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        if (is(k, n, "Normal")) {
            uint8_t seed[OL_KEY];
            int ok = bytes(j, seed, sizeof seed);
            if (ok) ol_ed25519_expand(seed, a->ed_secret);
            pl_wipe(seed, sizeof seed);
            if (!ok) return 0;
        } else if (is(k, n, "Expanded")) {
            if (!bytes(j, a->ed_secret, 64)) return 0;
        } else {
            return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        }
        if (ol_ed25519_public(a->ed_secret, a->ed_public) != PANOLM_OK) return fail(j, PANOLM_BAD_KEY);
    }
    return j->rc == PANOLM_OK && found == 1 ? 1 : fail(j, PANOLM_BAD_MESSAGE_FORMAT);
}

static int key_id(jv *j, const uint8_t *k, size_t n, uint64_t *id) {
    return digits_u64(k, n, id) ? 1 : fail(j, PANOLM_BAD_MESSAGE_FORMAT);
}

static int one_time_keys(jv *j, vz_account *v) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "next_key_id") || is(k, n, "key_id")) {
            if (once(j, &seen, 1, "one_time_keys.next_key_id")) u64v(j, &v->next_key_id);
        } else if (is(k, n, "public_keys") || is(k, n, "private_keys")) {
            int private = is(k, n, "private_keys");
            if (!once(j, &seen, private ? 4 : 2, private ? "one_time_keys.private_keys" : "one_time_keys.public_keys"))
                return 0;
            int inner = 1;
            const uint8_t *ik;
            size_t in;
            if (!obj_open(j)) return 0;
            while (obj_key(j, &inner, &ik, &in)) {
                uint64_t id = 0;
                if (!key_id(j, ik, in, &id)) return 0;
                if ((private ? v->count : v->unpublished_count) >= VZ_MAX_OTK_READ) return fail(j, PANOLM_TOO_LARGE);
                if (private) {
                    vz_otk *o = &v->keys[v->count++];
                    o->id = id;
                    if (!bytes(j, o->priv, OL_KEY)) return 0;
                } else {
                    uint8_t pub[OL_KEY];
                    if (!bytes(j, pub, OL_KEY)) return 0;
                    v->unpublished[v->unpublished_count++] = id;
                }
            }
        } else if (!skip(j, 2)) {
            return 0;
        }
    }
    return require(j, seen, 7, "one_time_keys");
}

static int fallback_key(jv *j, vz_otk *key, uint8_t *present, const char *field) {
    j->field = field;
    if (null(j)) { *present = 0; return 1; }
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "key_id")) {
            if (once(j, &seen, 1, field)) u64v(j, &key->id);
        } else if (is(k, n, "key")) {
            if (once(j, &seen, 2, field)) bytes(j, key->priv, OL_KEY);
        } else if (is(k, n, "published")) {
            if (once(j, &seen, 4, field)) boolean(j, &key->published);
        } else if (!skip(j, 3)) {
            return 0;
        }
    }
    *present = 1;
    return require(j, seen, 7, field);
}

static int fallback_keys(jv *j, vz_account *v) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "key_id")) {
            if (once(j, &seen, 1, "fallback_keys.key_id")) u64v(j, &v->fallback_next_id);
        } else if (is(k, n, "fallback_key")) {
            if (once(j, &seen, 2, "fallback_keys.fallback_key"))
                fallback_key(j, &v->fallback[0], &v->have_fallback[0], "fallback_keys.fallback_key");
        } else if (is(k, n, "previous_fallback_key")) {
            if (once(j, &seen, 4, "fallback_keys.previous_fallback_key"))
                fallback_key(j, &v->fallback[1], &v->have_fallback[1], "fallback_keys.previous_fallback_key");
        } else if (!skip(j, 2)) {
            return 0;
        }
    }
    return require(j, seen, 7, "fallback_keys");
}

/* AccountPickle, or a record around one in its "pickle" field. */
static int account_object(jv *j, panolm_olm_account *a, vz_account *v, int depth) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "signing_key")) {
            if (once(j, &seen, 1, "signing_key")) signing_key(j, a);
        } else if (is(k, n, "diffie_hellman_key")) {
            uint8_t priv[OL_KEY];
            if (once(j, &seen, 2, "diffie_hellman_key") && bytes(j, priv, OL_KEY)
                && ol_curve_from_private(&a->identity, priv) != PANOLM_OK) fail(j, PANOLM_INTERNAL);
            pl_wipe(priv, sizeof priv);
        } else if (is(k, n, "one_time_keys")) {
            if (once(j, &seen, 4, "one_time_keys")) one_time_keys(j, v);
        } else if (is(k, n, "fallback_keys")) {
            if (once(j, &seen, 8, "fallback_keys")) fallback_keys(j, v);
        } else if (depth == 0 && is(k, n, "pickle") && peek(j) == '{') {
            if (once(j, &seen, 16, "pickle")) account_object(j, a, v, 1);
        } else if (!skip(j, 1)) {
            return 0;
        }
    }
    if (j->rc != PANOLM_OK) return 0;
    if (seen & 16) return seen == 16 ? 1 : fail(j, PANOLM_BAD_MESSAGE_FORMAT);   /* a record and a pickle at once */
    return require(j, seen, 15, depth ? "pickle" : "account");
}

static int by_id_descending(const void *x, const void *y) {
    uint64_t a = ((const vz_otk *) x)->id, b = ((const vz_otk *) y)->id;
    return a < b ? 1 : a > b ? -1 : 0;
}

static int id_descending(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* Our account from what was read: the newest PANOLM_OLM_MAX_ONE_TIME_KEYS one-time keys (vodozemac may
 * hold more; ours drops the oldest as it always does), one counter for all ids: the next id is vodozemac's
 * next one-time key id, or above every id in use (fallback keys included) when that is higher. */
static int account_finish(jv *j, panolm_olm_account *a, vz_account *v) {
    j->field = "one_time_keys";
    qsort(v->keys, v->count, sizeof(vz_otk), by_id_descending);
    qsort(v->unpublished, v->unpublished_count, sizeof(uint64_t), id_descending);
    /* Both newest first: a key is unpublished when its id is among the public keys'; every public key
     * must have its private key, and no id may appear twice. */
    uint32_t u = 0;
    for (uint32_t k = 0; k < v->count; k++) {
        if (k > 0 && v->keys[k].id == v->keys[k - 1].id) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        if (u < v->unpublished_count && v->unpublished[u] > v->keys[k].id) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        v->keys[k].published = !(u < v->unpublished_count && v->unpublished[u] == v->keys[k].id);
        if (!v->keys[k].published) u++;
    }
    if (u != v->unpublished_count) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    uint64_t next = v->next_key_id > v->fallback_next_id ? v->next_key_id : v->fallback_next_id;
    if (v->count > 0 && v->keys[0].id >= next) next = v->keys[0].id + 1;
    uint32_t keep = v->count < OL_MAX_OTK ? v->count : OL_MAX_OTK;
    for (uint32_t k = 0; k < keep; k++) {
        ol_otk *o = &a->otks[k];
        if (v->keys[k].id > UINT32_MAX) return fail(j, PANOLM_TOO_LARGE);
        o->id = (uint32_t) v->keys[k].id;
        o->published = v->keys[k].published;
        if (ol_curve_from_private(&o->key, v->keys[k].priv) != PANOLM_OK) return fail(j, PANOLM_INTERNAL);
        a->otk_count = k + 1;
    }
    j->field = "fallback_keys";
    /* Ours has no slot for a previous key without a current one; vodozemac never makes that state, and
     * its to_libolm_pickle writes such a key as the current one, as this does. */
    a->fallback_count = 0;
    for (int f = 0; f < 2; f++) {
        if (!v->have_fallback[f]) continue;
        ol_otk *o = &a->fallback[a->fallback_count++];
        if (v->fallback[f].id > UINT32_MAX) return fail(j, PANOLM_TOO_LARGE);
        if (v->fallback[f].id >= next) next = v->fallback[f].id + 1;
        o->id = (uint32_t) v->fallback[f].id;
        o->published = v->fallback[f].published;
        if (ol_curve_from_private(&o->key, v->fallback[f].priv) != PANOLM_OK) return fail(j, PANOLM_INTERNAL);
    }
    if (next > (uint64_t) UINT32_MAX + 1) return fail(j, PANOLM_TOO_LARGE);
    /* vodozemac's counter is the next id, libolm's (and ours) the last one given. */
    a->next_key_id = next > 0 ? (uint32_t) (next - 1) : 0;
    return 1;
}

static void vz_account_free(vz_account *v) {
    if (v->keys != NULL) { pl_wipe(v->keys, VZ_MAX_OTK_READ * sizeof(vz_otk)); free(v->keys); }
    free(v->unpublished);
    pl_wipe(v, sizeof *v);
}

static int parse_account(const uint8_t *json, size_t length, panolm_olm_account *a, const char **failed_at) {
    vz_account v;
    memset(&v, 0, sizeof v);
    v.keys = calloc(VZ_MAX_OTK_READ, sizeof(vz_otk));
    v.unpublished = calloc(VZ_MAX_OTK_READ, sizeof(uint64_t));
    jv j = {json, json + length, PANOLM_OK, "account", NULL};
    if (v.keys == NULL || v.unpublished == NULL) fail(&j, PANOLM_INTERNAL);
    if (account_object(&j, a, &v, 0) && peek(&j) != -1) { j.field = "account"; fail(&j, PANOLM_BAD_MESSAGE_FORMAT); }
    if (j.rc == PANOLM_OK) account_finish(&j, a, &v);
    vz_account_free(&v);
    *failed_at = j.failed_at;
    return j.rc;
}

/* ---- session ---------------------------------------------------------------------------------------- */

typedef struct {
    uint8_t type;                 /* 1 active, 2 inactive */
    uint8_t root[OL_KEY];
    uint8_t ratchet_secret[OL_KEY];   /* active */
    uint8_t remote_ratchet[OL_KEY];   /* inactive */
    ol_chain chain;                   /* active */
    unsigned seen;
} vz_ratchet;

static int chain_key(jv *j, ol_chain *c, const char *field) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    j->field = field;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "key")) {
            if (once(j, &seen, 1, field)) bytes(j, c->key, OL_KEY);
        } else if (is(k, n, "index")) {
            if (once(j, &seen, 2, field)) u32v(j, &c->index);
        } else if (!skip(j, 4)) {
            return 0;
        }
    }
    return require(j, seen, 3, field);
}

static int session_keys(jv *j, panolm_olm_session *s) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "identity_key")) {
            if (once(j, &seen, 1, "session_keys.identity_key")) bytes(j, s->alice_identity, OL_KEY);
        } else if (is(k, n, "base_key")) {
            if (once(j, &seen, 2, "session_keys.base_key")) bytes(j, s->alice_base, OL_KEY);
        } else if (is(k, n, "one_time_key")) {
            if (once(j, &seen, 4, "session_keys.one_time_key")) bytes(j, s->bob_one_time, OL_KEY);
        } else if (!skip(j, 2)) {
            return 0;
        }
    }
    return require(j, seen, 7, "session_keys");
}

static int active_ratchet(jv *j, vz_ratchet *r) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "root_key")) {
            if (once(j, &seen, 1, "sending_ratchet.active_ratchet.root_key")) bytes(j, r->root, OL_KEY);
        } else if (is(k, n, "ratchet_key")) {
            if (once(j, &seen, 2, "sending_ratchet.active_ratchet.ratchet_key")) bytes(j, r->ratchet_secret, OL_KEY);
        } else if (!skip(j, 3)) {
            return 0;
        }
    }
    return require(j, seen, 3, "sending_ratchet.active_ratchet");
}

static int remote_root_key(jv *j, uint8_t root[OL_KEY]) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "key")) {
            if (once(j, &seen, 1, "sending_ratchet.root_key")) bytes(j, root, OL_KEY);
        } else if (!skip(j, 3)) {
            return 0;
        }
    }
    return require(j, seen, 1, "sending_ratchet.root_key");
}

/* serde's internally tagged DoubleRatchetState: "type" beside the variant's fields, in any order. */
static int sending_ratchet(jv *j, vz_ratchet *r) {
    int first = 1;
    const uint8_t *k, *s;
    size_t n, sn;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "type")) {
            if (!once(j, &r->seen, 1, "sending_ratchet.type") || !string(j, &s, &sn)) return 0;
            if (is(s, sn, "active")) r->type = 1;
            else if (is(s, sn, "inactive")) r->type = 2;
            else return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
        } else if (is(k, n, "active_ratchet")) {
            if (once(j, &r->seen, 2, "sending_ratchet.active_ratchet")) active_ratchet(j, r);
        } else if (is(k, n, "symmetric_key_ratchet")) {
            if (once(j, &r->seen, 4, "sending_ratchet.symmetric_key_ratchet"))
                chain_key(j, &r->chain, "sending_ratchet.symmetric_key_ratchet");
        } else if (is(k, n, "root_key")) {
            if (once(j, &r->seen, 8, "sending_ratchet.root_key")) remote_root_key(j, r->root);
        } else if (is(k, n, "ratchet_key")) {
            if (once(j, &r->seen, 16, "sending_ratchet.ratchet_key")) bytes(j, r->remote_ratchet, OL_KEY);
        } else if (!skip(j, 2)) {   /* parent_ratchet_key, ratchet_count: ours keeps neither */
            return 0;
        }
    }
    if (j->rc != PANOLM_OK) return 0;
    j->field = "sending_ratchet";
    unsigned need = r->type == 1 ? 1 | 2 | 4 : 1 | 8 | 16, other = r->type == 1 ? 8 | 16 : 2 | 4;
    if (r->type == 0 || (r->seen & need) != need || (r->seen & other) != 0) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    return 1;
}

static int skipped_keys(jv *j, ol_receiver *rc) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (!is(k, n, "inner")) { if (!skip(j, 5)) return 0; continue; }
        if (!once(j, &seen, 1, "receiving_chains.skipped_message_keys") || !eat(j, '[')) return 0;
        if (peek(j) == ']') { j->p++; continue; }
        do {
            int f2 = 1;
            unsigned s2 = 0;
            const uint8_t *k2;
            size_t n2;
            ol_message_key key = {{0}, 0};
            if (rc->skipped_count >= OL_MAX_SKIPPED) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
            if (!obj_open(j)) return 0;
            while (obj_key(j, &f2, &k2, &n2)) {
                if (is(k2, n2, "key")) {
                    if (once(j, &s2, 1, "receiving_chains.skipped_message_keys")) bytes(j, key.key, OL_KEY);
                } else if (is(k2, n2, "index")) {
                    if (once(j, &s2, 2, "receiving_chains.skipped_message_keys")) u32v(j, &key.index);
                } else if (!skip(j, 7)) {
                    break;
                }
            }
            int ok = require(j, s2, 3, "receiving_chains.skipped_message_keys")
                     && ol_receiver_push_skipped(rc, &key) == PANOLM_OK;
            pl_wipe(&key, sizeof key);
            if (!ok) return j->rc == PANOLM_OK ? fail(j, PANOLM_INTERNAL) : 0;
        } while (peek(j) == ',' && j->p++);
        if (!eat(j, ']')) return 0;
    }
    return require(j, seen, 1, "receiving_chains.skipped_message_keys");
}

static int receiver_chain(jv *j, ol_receiver *rc) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "ratchet_key")) {
            if (once(j, &seen, 1, "receiving_chains.ratchet_key")) bytes(j, rc->ratchet_key, OL_KEY);
        } else if (is(k, n, "hkdf_ratchet")) {
            if (once(j, &seen, 2, "receiving_chains.hkdf_ratchet"))
                chain_key(j, &rc->chain, "receiving_chains.hkdf_ratchet");
        } else if (is(k, n, "skipped_message_keys")) {
            if (once(j, &seen, 4, "receiving_chains.skipped_message_keys")) skipped_keys(j, rc);
        } else if (!skip(j, 4)) {
            return 0;
        }
    }
    return require(j, seen, 7, "receiving_chains");
}

/* vodozemac lists chains oldest first; ours keeps them newest first: they are read into the end slots
 * of a scratch list and moved once the count is known. */
static int receiving_chains(jv *j, panolm_olm_session *s) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (!is(k, n, "inner")) { if (!skip(j, 3)) return 0; continue; }
        if (!once(j, &seen, 1, "receiving_chains") || !eat(j, '[')) return 0;
        if (peek(j) == ']') { j->p++; continue; }
        do {
            if (s->receiver_count >= OL_MAX_CHAINS) return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
            /* Counted first, so that free() wipes a chain read half-way. */
            ol_receiver *rc = &s->receivers[s->receiver_count++];
            if (!receiver_chain(j, rc)) return 0;
        } while (peek(j) == ',' && j->p++);
        if (!eat(j, ']')) return 0;
    }
    if (!require(j, seen, 1, "receiving_chains")) return 0;
    for (uint32_t i = 0, m = s->receiver_count; i < m / 2; i++) {
        ol_receiver t = s->receivers[i];
        s->receivers[i] = s->receivers[m - 1 - i];
        s->receivers[m - 1 - i] = t;
        pl_wipe(&t, sizeof t);
    }
    return 1;
}

static int config(jv *j) {
    int first = 1;
    const uint8_t *k, *s;
    size_t n, sn;
    j->field = "config";
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (!is(k, n, "version")) { if (!skip(j, 2)) return 0; continue; }
        j->field = "config.version";
        /* Version 2 (full MACs, vodozemac's experimental-session-config) is not libolm's Olm: refused. */
        if (peek(j) == '"') {
            if (!string(j, &s, &sn)) return 0;
            if (!is(s, sn, "V1")) return fail(j, PANOLM_BAD_VERSION);
        } else {
            uint64_t v = 0;
            if (!u64v(j, &v)) return 0;
            if (v != 1) return fail(j, PANOLM_BAD_VERSION);
        }
    }
    return j->rc == PANOLM_OK;
}

static int session_object(jv *j, panolm_olm_session *s, vz_ratchet *r, int depth) {
    int first = 1;
    unsigned seen = 0;
    const uint8_t *k;
    size_t n;
    if (!obj_open(j)) return 0;
    while (obj_key(j, &first, &k, &n)) {
        if (is(k, n, "session_keys")) {
            if (once(j, &seen, 1, "session_keys")) session_keys(j, s);
        } else if (is(k, n, "sending_ratchet")) {
            if (once(j, &seen, 2, "sending_ratchet")) sending_ratchet(j, r);
        } else if (is(k, n, "receiving_chains")) {
            if (once(j, &seen, 4, "receiving_chains")) receiving_chains(j, s);
        } else if (is(k, n, "config")) {
            if (once(j, &seen, 8, "config")) config(j);
        } else if (depth == 0 && is(k, n, "pickle") && peek(j) == '{') {
            if (once(j, &seen, 16, "pickle")) session_object(j, s, r, 1);
        } else if (!skip(j, 1)) {
            return 0;
        }
    }
    if (j->rc != PANOLM_OK) return 0;
    if (seen & 16) return seen == 16 ? 1 : fail(j, PANOLM_BAD_MESSAGE_FORMAT);   /* a record and a pickle at once */
    return require(j, seen, 7, depth ? "pickle" : "session");
}

static int session_finish(jv *j, panolm_olm_session *s, const vz_ratchet *r) {
    j->field = "sending_ratchet";
    s->received_message = s->receiver_count > 0;
    memcpy(s->root, r->root, OL_KEY);
    if (r->type == 1) {
        s->has_sender = 1;
        if (ol_curve_from_private(&s->sender_ratchet, r->ratchet_secret) != PANOLM_OK) return fail(j, PANOLM_INTERNAL);
        s->sender_chain = r->chain;
        return 1;
    }
    /* Inactive: the next message ratchets from the newest receiving chain, which must be the one named. */
    s->has_sender = 0;
    if (s->receiver_count == 0 || !pl_ct_equal(s->receivers[0].ratchet_key, r->remote_ratchet, OL_KEY))
        return fail(j, PANOLM_BAD_MESSAGE_FORMAT);
    return 1;
}

static int parse_session(const uint8_t *json, size_t length, panolm_olm_session *s, const char **failed_at) {
    vz_ratchet r;
    memset(&r, 0, sizeof r);
    jv j = {json, json + length, PANOLM_OK, "session", NULL};
    if (session_object(&j, s, &r, 0) && peek(&j) != -1) { j.field = "session"; fail(&j, PANOLM_BAD_MESSAGE_FORMAT); }
    if (j.rc == PANOLM_OK) session_finish(&j, s, &r);
    pl_wipe(&r, sizeof r);
    *failed_at = j.failed_at;
    return j.rc;
}

/* ---- entry points --------------------------------------------------------------------------------- */

static void report(const char *failed_at, char *where, size_t where_cap) {
    if (where == NULL || where_cap == 0) return;
    const char *text = failed_at != NULL ? failed_at : "";
    size_t n = strlen(text);
    if (n >= where_cap) n = where_cap - 1;
    memcpy(where, text, n);
    where[n] = '\0';
}

typedef int (*parse_fn)(const uint8_t *json, size_t length, void *object, const char **failed_at);

static int parse_account_fn(const uint8_t *json, size_t length, void *o, const char **f) {
    return parse_account(json, length, o, f);
}

static int parse_session_fn(const uint8_t *json, size_t length, void *o, const char **f) {
    return parse_session(json, length, o, f);
}

/* The JSON, from the envelope when key is given (encrypted) or as it is. */
static int read_json(int encrypted, const uint8_t *key, size_t key_len, const uint8_t *in, size_t length,
                     parse_fn parse, void *object, char *where, size_t where_cap) {
    const char *failed_at = NULL;
    int rc;
    if (!encrypted) {
        PL_CHECK(length <= PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH, PANOLM_TOO_LARGE);
        rc = parse(in, length, object, &failed_at);
    } else {
        if (length > PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH) return PANOLM_TOO_LARGE;
        size_t cap = length / 4 * 3 + 16, n = 0;
        uint8_t *json = malloc(cap);
        if (json == NULL) return PANOLM_INTERNAL;
        rc = ol_libolm_envelope_open(key, key_len, in, length, PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH, json, cap, &n);
        if (rc == PANOLM_OK) rc = parse(json, n, object, &failed_at);
        pl_wipe(json, cap);
        free(json);
    }
    report(failed_at, where, where_cap);
    return rc;
}

static int account_from(int encrypted, const uint8_t *key, size_t key_len, const uint8_t *in, size_t length,
                        panolm_olm_account **out, char *where, size_t where_cap) {
    PL_CHECK(out && (in != NULL || length == 0) && (where != NULL || where_cap == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    report(NULL, where, where_cap);
    panolm_olm_account *a = ol_account_alloc();
    if (a == NULL) return PANOLM_INTERNAL;
    int rc = read_json(encrypted, key, key_len, in, length, parse_account_fn, a, where, where_cap);
    if (rc != PANOLM_OK) { panolm_olm_account_free(a); return rc; }
    *out = a;
    return PANOLM_OK;
}

static int session_from(int encrypted, const uint8_t *key, size_t key_len, const uint8_t *in, size_t length,
                        panolm_olm_session **out, char *where, size_t where_cap) {
    PL_CHECK(out && (in != NULL || length == 0) && (where != NULL || where_cap == 0), PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    report(NULL, where, where_cap);
    panolm_olm_session *s = ol_session_alloc();
    if (s == NULL) return PANOLM_INTERNAL;
    int rc = read_json(encrypted, key, key_len, in, length, parse_session_fn, s, where, where_cap);
    if (rc != PANOLM_OK) { panolm_olm_session_free(s); return rc; }
    *out = s;
    return PANOLM_OK;
}

int32_t panolm_olm_account_from_vodozemac_pickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                                 size_t length, panolm_olm_account **out, char *where,
                                                 size_t where_cap) {
    return account_from(1, key, key_len, pickle, length, out, where, where_cap);
}

int32_t panolm_olm_account_from_vodozemac_json(const uint8_t *json, size_t length, panolm_olm_account **out,
                                               char *where, size_t where_cap) {
    return account_from(0, NULL, 0, json, length, out, where, where_cap);
}

int32_t panolm_olm_session_from_vodozemac_pickle(const uint8_t *key, size_t key_len, const uint8_t *pickle,
                                                 size_t length, panolm_olm_session **out, char *where,
                                                 size_t where_cap) {
    return session_from(1, key, key_len, pickle, length, out, where, where_cap);
}

int32_t panolm_olm_session_from_vodozemac_json(const uint8_t *json, size_t length, panolm_olm_session **out,
                                               char *where, size_t where_cap) {
    return session_from(0, NULL, 0, json, length, out, where, where_cap);
}
