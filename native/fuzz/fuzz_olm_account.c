/* Olm accounts and signatures. Input: seed (32) | message length (1) | message | ops...
 * First, the expanded-key signer (what signs with accounts imported from libolm) against libsodium's
 * crypto_sign on the same seed: the signatures must be identical and verify. Then each op byte drives
 * the fixture account: generate one-time keys (count = op >> 3, so up to 31 at a time), mark published,
 * generate or forget a fallback key, sign, remove a one-time key through an inbound session, pickle round
 * trips. Properties: the account never lists more than 100 keys, lists them newest first with distinct ids,
 * the current fallback key is listed until published, and both pickle formats give back the same account. */
#include "olm_fixture.h"

static uint8_t *account_state(panolm_olm_account *a, size_t *len) {
    uint8_t *out = malloc(PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH);
    if (out == NULL || panolm_olm_account_to_libolm_pickle(a, NULL, 0, out, PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH, len)
                           != PANOLM_OK) abort();
    return out;
}

static void check_keys(panolm_olm_account *a) {
    uint32_t ids[PANOLM_OLM_MAX_ONE_TIME_KEYS];
    uint8_t keys[32 * PANOLM_OLM_MAX_ONE_TIME_KEYS];
    size_t count = 0;
    FUZZ_REQUIRE(panolm_olm_account_one_time_keys(a, ids, keys, PANOLM_OLM_MAX_ONE_TIME_KEYS, &count) == PANOLM_OK,
                 "list one-time keys");
    FUZZ_REQUIRE(count <= PANOLM_OLM_MAX_ONE_TIME_KEYS, "at most 100");
    for (size_t i = 1; i < count; i++) FUZZ_REQUIRE(ids[i] < ids[i - 1], "newest first, distinct ids");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 33) return 0;
    size_t msg_len = data[32];
    if (msg_len > size - 33) msg_len = size - 33;
    uint8_t *msg = fuzz_copy(data + 33, msg_len);
    uint8_t expanded[64], pk[32], sk[64], ours[64], theirs[64], pub[32];
    ol_ed25519_expand(data, expanded);
    FUZZ_REQUIRE(crypto_sign_seed_keypair(pk, sk, data) == 0, "keypair");
    FUZZ_REQUIRE(ol_ed25519_public(expanded, pub) == PANOLM_OK && memcmp(pub, pk, 32) == 0, "same public key");
    FUZZ_REQUIRE(ol_ed25519_sign(expanded, pk, msg, msg_len, ours) == PANOLM_OK, "expanded signing");
    crypto_sign_detached(theirs, NULL, msg, msg_len, sk);
    FUZZ_REQUIRE(memcmp(ours, theirs, 64) == 0, "the expanded signer equals crypto_sign");
    FUZZ_REQUIRE(panolm_ed25519_verify(pk, msg, msg_len, ours) == PANOLM_OK, "verifies strictly");

    panolm_olm_account *a = fixture_olm_account();
    for (size_t p = 33 + msg_len; p < size && p < 33 + msg_len + 64; p++) {
        uint8_t op = data[p];
        uint32_t marked = 0, id = 0;
        int32_t present = 0;
        uint8_t key[32], sig[64];
        switch (op & 7) {
        case 0:
            FUZZ_REQUIRE(panolm_olm_account_generate_one_time_keys(a, op >> 3) == PANOLM_OK, "generate");
            break;
        case 1:
            FUZZ_REQUIRE(panolm_olm_account_mark_keys_as_published(a, &marked) == PANOLM_OK, "mark");
            FUZZ_REQUIRE(panolm_olm_account_fallback_key(a, 1, &id, key, &present) == PANOLM_OK && !present,
                         "published fallback key");
            break;
        case 2:
            FUZZ_REQUIRE(panolm_olm_account_generate_fallback_key(a) == PANOLM_OK, "fallback");
            FUZZ_REQUIRE(panolm_olm_account_fallback_key(a, 1, &id, key, &present) == PANOLM_OK && present,
                         "new fallback key is unpublished");
            break;
        case 3:
            FUZZ_REQUIRE(panolm_olm_account_forget_old_fallback_key(a) == PANOLM_OK, "forget");
            break;
        case 4: {
            uint8_t ed[32], curve[32];
            FUZZ_REQUIRE(panolm_olm_account_sign(a, msg, msg_len, sig) == PANOLM_OK, "sign");
            FUZZ_REQUIRE(panolm_olm_account_identity_keys(a, curve, ed) == PANOLM_OK, "keys");
            FUZZ_REQUIRE(panolm_ed25519_verify(ed, msg, msg_len, sig) == PANOLM_OK, "account signature verifies");
            break;
        }
        case 5: {
            /* A session to this account from its newest one-time key, then the key's removal. */
            uint32_t ids[PANOLM_OLM_MAX_ONE_TIME_KEYS];
            uint8_t keys[32 * PANOLM_OLM_MAX_ONE_TIME_KEYS], curve[32], ed[32];
            size_t count = 0;
            panolm_olm_account_one_time_keys(a, ids, keys, PANOLM_OLM_MAX_ONE_TIME_KEYS, &count);
            if (count == 0) break;
            panolm_olm_account *alice = NULL;
            panolm_olm_session *out = NULL, *in = NULL;
            FUZZ_REQUIRE(panolm_olm_account_new(&alice) == PANOLM_OK, "alice");
            panolm_olm_account_identity_keys(a, curve, ed);
            FUZZ_REQUIRE(panolm_olm_session_new_outbound(alice, curve, keys, &out) == PANOLM_OK, "outbound");
            uint8_t m[512];
            size_t n = 0;
            uint32_t type = 0;
            FUZZ_REQUIRE(panolm_olm_session_encrypt(out, msg, msg_len > 100 ? 100 : msg_len, m, sizeof m, &n, &type)
                         == PANOLM_OK, "encrypt");
            FUZZ_REQUIRE(panolm_olm_session_new_inbound(a, NULL, m, n, &in) == PANOLM_OK, "inbound");
            FUZZ_REQUIRE(panolm_olm_account_remove_one_time_key(a, in) == PANOLM_OK, "remove");
            FUZZ_REQUIRE(panolm_olm_account_remove_one_time_key(a, in) == PANOLM_UNKNOWN_SESSION, "removed once");
            panolm_olm_session *again = NULL;
            FUZZ_REQUIRE(panolm_olm_session_new_inbound(a, NULL, m, n, &again) == PANOLM_UNKNOWN_SESSION, "key gone");
            panolm_olm_session_free(in);
            panolm_olm_session_free(out);
            panolm_olm_account_free(alice);
            break;
        }
        default: {
            size_t before_len = 0, after_len = 0, n = 0;
            uint8_t *before = account_state(a, &before_len);
            uint8_t *text = malloc(PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH);
            panolm_olm_account *copy = NULL;
            FUZZ_REQUIRE(panolm_olm_account_pickle(a, msg, msg_len, text, PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH, &n)
                         == PANOLM_OK, "pickle");
            FUZZ_REQUIRE(panolm_olm_account_unpickle(msg, msg_len, text, n, &copy) == PANOLM_OK, "unpickle");
            uint8_t *after = account_state(copy, &after_len);
            FUZZ_REQUIRE(after_len == before_len && memcmp(after, before, after_len) == 0, "our pickle keeps it");
            panolm_olm_account_free(copy);
            FUZZ_REQUIRE(panolm_olm_account_from_libolm_pickle(NULL, 0, before, before_len, &copy) == PANOLM_OK,
                         "libolm pickle");
            free(after);
            after = account_state(copy, &after_len);
            FUZZ_REQUIRE(after_len == before_len && memcmp(after, before, after_len) == 0, "libolm's keeps it");
            panolm_olm_account_free(a);
            a = copy;
            free(after);
            free(before);
            free(text);
        }
        }
        check_keys(a);
    }
    panolm_olm_account_free(a);
    free(msg);
    return 0;
}
