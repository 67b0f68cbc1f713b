/* Olm accounts: identity keys (Curve25519, and Ed25519 kept expanded as libolm keeps it), up to 100
 * one-time keys newest first, a current and a previous fallback key, all numbered by one counter as
 * libolm numbers them. Every function locks the account. */
#include <stdlib.h>
#include <sodium.h>
#include "olm_internal.h"

panolm_olm_account *ol_account_alloc(void) {
    panolm_olm_account *a = calloc(1, sizeof *a);
    if (a == NULL) return NULL;
    if (pthread_mutex_init(&a->lock, NULL) != 0) { free(a); return NULL; }
    return a;
}

int32_t panolm_olm_account_new(panolm_olm_account **out) {
    PL_CHECK(out != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    panolm_olm_account *a = ol_account_alloc();
    if (a == NULL) return PANOLM_INTERNAL;
    uint8_t seed[32], sk[64];
    randombytes_buf(seed, sizeof seed);
    int rc = crypto_sign_seed_keypair(a->ed_public, sk, seed) == 0 ? PANOLM_OK : PANOLM_INTERNAL;
    ol_ed25519_expand(seed, a->ed_secret);
    if (rc == PANOLM_OK) rc = ol_curve_generate(&a->identity);
    pl_wipe(seed, sizeof seed);
    pl_wipe(sk, sizeof sk);
    if (rc != PANOLM_OK) { panolm_olm_account_free(a); return rc; }
    *out = a;
    return PANOLM_OK;
}

void panolm_olm_account_free(panolm_olm_account *a) {
    if (a == NULL) return;
    pthread_mutex_destroy(&a->lock);
    pl_wipe(a, sizeof *a);
    free(a);
}

int32_t panolm_olm_account_identity_keys(panolm_olm_account *a, uint8_t *curve25519_32, uint8_t *ed25519_32) {
    PL_CHECK(a && curve25519_32 && ed25519_32, PANOLM_INVALID_ARGUMENT);
    pthread_mutex_lock(&a->lock);
    memcpy(curve25519_32, a->identity.pub, OL_KEY);
    memcpy(ed25519_32, a->ed_public, OL_KEY);
    pthread_mutex_unlock(&a->lock);
    return PANOLM_OK;
}

int32_t panolm_olm_account_sign(panolm_olm_account *a, const uint8_t *message, size_t length, uint8_t *signature64) {
    PL_CHECK(a && signature64, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(message != NULL || length == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    pthread_mutex_lock(&a->lock);
    int rc = ol_ed25519_sign(a->ed_secret, a->ed_public, message, length, signature64);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

int32_t panolm_olm_account_generate_one_time_keys(panolm_olm_account *a, uint32_t count) {
    PL_CHECK(a != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= OL_MAX_OTK, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    int rc = PANOLM_OK;
    pthread_mutex_lock(&a->lock);
    for (uint32_t i = 0; i < count && rc == PANOLM_OK; i++) {
        /* Newest first; a full list drops its oldest (last) key, wiped by the move. */
        size_t keep = a->otk_count < OL_MAX_OTK ? a->otk_count : OL_MAX_OTK - 1;
        ol_otk fresh;
        fresh.published = 0;
        rc = ol_curve_generate(&fresh.key);
        if (rc == PANOLM_OK) {
            if (a->otk_count == OL_MAX_OTK) pl_wipe(&a->otks[OL_MAX_OTK - 1], sizeof(ol_otk));
            memmove(&a->otks[1], &a->otks[0], keep * sizeof(ol_otk));
            fresh.id = ++a->next_key_id;
            a->otks[0] = fresh;
            a->otk_count = (uint32_t) keep + 1;
        }
        pl_wipe(&fresh, sizeof fresh);
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

int32_t panolm_olm_account_one_time_keys(panolm_olm_account *a, uint32_t *ids, uint8_t *keys, size_t capacity,
                                         size_t *count) {
    PL_CHECK(a && count, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((ids && keys) || capacity == 0, PANOLM_INVALID_ARGUMENT);
    int rc = PANOLM_OK;
    size_t n = 0;
    pthread_mutex_lock(&a->lock);
    for (uint32_t i = 0; i < a->otk_count; i++) n += !a->otks[i].published;
    if (n > capacity) {
        rc = PANOLM_OUTPUT_TOO_SMALL;
    } else {
        size_t k = 0;
        for (uint32_t i = 0; i < a->otk_count; i++) {
            if (a->otks[i].published) continue;
            ids[k] = a->otks[i].id;
            memcpy(keys + k * OL_KEY, a->otks[i].key.pub, OL_KEY);
            k++;
        }
        *count = n;
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

int32_t panolm_olm_account_mark_keys_as_published(panolm_olm_account *a, uint32_t *marked) {
    PL_CHECK(a && marked, PANOLM_INVALID_ARGUMENT);
    uint32_t n = 0;
    pthread_mutex_lock(&a->lock);
    for (uint32_t i = 0; i < a->otk_count; i++) {
        n += !a->otks[i].published;
        a->otks[i].published = 1;
    }
    if (a->fallback_count > 0) a->fallback[0].published = 1;
    pthread_mutex_unlock(&a->lock);
    *marked = n;
    return PANOLM_OK;
}

int32_t panolm_olm_account_generate_fallback_key(panolm_olm_account *a) {
    PL_CHECK(a != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    ol_otk fresh;
    fresh.published = 0;
    int rc = ol_curve_generate(&fresh.key);
    if (rc == PANOLM_OK) {
        pthread_mutex_lock(&a->lock);
        if (a->fallback_count > 0) a->fallback[1] = a->fallback[0];
        if (a->fallback_count < 2) a->fallback_count++;
        fresh.id = ++a->next_key_id;
        a->fallback[0] = fresh;
        pthread_mutex_unlock(&a->lock);
    }
    pl_wipe(&fresh, sizeof fresh);
    return rc;
}

int32_t panolm_olm_account_fallback_key(panolm_olm_account *a, int32_t unpublished_only, uint32_t *id,
                                        uint8_t *key32, int32_t *present) {
    PL_CHECK(a && id && key32 && present, PANOLM_INVALID_ARGUMENT);
    pthread_mutex_lock(&a->lock);
    int has = a->fallback_count > 0 && !(unpublished_only && a->fallback[0].published);
    if (has) {
        *id = a->fallback[0].id;
        memcpy(key32, a->fallback[0].key.pub, OL_KEY);
    }
    pthread_mutex_unlock(&a->lock);
    *present = has;
    return PANOLM_OK;
}

int32_t panolm_olm_account_forget_old_fallback_key(panolm_olm_account *a) {
    PL_CHECK(a != NULL, PANOLM_INVALID_ARGUMENT);
    pthread_mutex_lock(&a->lock);
    if (a->fallback_count == 2) {
        a->fallback_count = 1;
        pl_wipe(&a->fallback[1], sizeof(ol_otk));
    }
    pthread_mutex_unlock(&a->lock);
    return PANOLM_OK;
}

const ol_curve_pair *ol_account_find_key(const panolm_olm_account *a, const uint8_t pub[OL_KEY]) {
    for (uint32_t i = 0; i < a->otk_count; i++)
        if (pl_ct_equal(a->otks[i].key.pub, pub, OL_KEY)) return &a->otks[i].key;
    for (uint32_t i = 0; i < a->fallback_count; i++)
        if (pl_ct_equal(a->fallback[i].key.pub, pub, OL_KEY)) return &a->fallback[i].key;
    return NULL;
}

int32_t panolm_olm_account_remove_one_time_key(panolm_olm_account *a, panolm_olm_session *s) {
    PL_CHECK(a && s, PANOLM_INVALID_ARGUMENT);
    uint8_t pub[OL_KEY];
    pthread_mutex_lock(&a->lock);
    pthread_mutex_lock(&s->lock);
    memcpy(pub, s->bob_one_time, OL_KEY);
    pthread_mutex_unlock(&s->lock);
    int rc = PANOLM_UNKNOWN_SESSION;
    for (uint32_t i = 0; i < a->otk_count; i++) {
        if (!pl_ct_equal(a->otks[i].key.pub, pub, OL_KEY)) continue;
        memmove(&a->otks[i], &a->otks[i + 1], (a->otk_count - i - 1) * sizeof(ol_otk));
        a->otk_count--;
        pl_wipe(&a->otks[a->otk_count], sizeof(ol_otk));
        rc = PANOLM_OK;
        break;
    }
    /* A fallback key stays usable until it is replaced (libolm's rule): removing it is a no-op. */
    for (uint32_t i = 0; rc != PANOLM_OK && i < a->fallback_count; i++)
        if (pl_ct_equal(a->fallback[i].key.pub, pub, OL_KEY)) rc = PANOLM_OK;
    pthread_mutex_unlock(&a->lock);
    return rc;
}
