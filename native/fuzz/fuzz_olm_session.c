/* An Olm session of the fixture's receiving device, driven by a sequence of records: the first pre-key
 * message that parses creates the inbound session (panolm_olm_session_new_inbound), and then each record
 * decrypts, encrypts, matches or round-trips pickles. Input: records of op (1) | length (u16 BE) | bytes.
 *   op & 3 == 0: decrypt as a pre-key message; 1: as a normal message; 2: encrypt the bytes (a reply);
 *   3: pickle round trips (panolm's format and libolm's);  op & 4: expect the fixture sender's identity key
 *   (the bytes' first 32, when creating);  op & 8: re-MAC the (inner) message with the session's own keys.
 * Properties: only documented statuses; a failed decryption leaves the state untouched; a message that
 * decrypted does not decrypt again; the session matches the pre-key message it came from; encryption
 * always works and its message parses; both pickle formats give back the same state. */
#include "olm_fixture.h"

static void run(panolm_olm_account *account, panolm_olm_session **session, uint8_t op, const uint8_t *data,
                size_t len) {
    uint32_t type = (op & 3) == 0 ? PANOLM_OLM_MESSAGE_PRE_KEY : PANOLM_OLM_MESSAGE_NORMAL;
    if ((op & 3) <= 1) {
        uint8_t *msg = fuzz_copy(data, len);
        if (*session == NULL) {
            if (type != PANOLM_OLM_MESSAGE_PRE_KEY) { free(msg); return; }
            const uint8_t *identity = (op & 4) && len >= 32 ? msg : NULL;
            int rc = panolm_olm_session_new_inbound(account, identity, msg, len, session);
            FUZZ_REQUIRE(olm_status_documented(rc), "inbound status");
            if (rc != PANOLM_OK) { free(msg); return; }
            int32_t matches = 0;
            FUZZ_REQUIRE(panolm_olm_session_matches_inbound(*session, NULL, msg, len, &matches) == PANOLM_OK
                         && matches == 1, "the session matches its pre-key message");
        }
        if (op & 8) {
            ol_pre_key pk;
            if (type == PANOLM_OLM_MESSAGE_PRE_KEY && ol_parse_pre_key(msg, len, &pk) == PANOLM_OK) {
                olm_remac(*session, (uint8_t *) pk.message, pk.message_len);
            } else if (type == PANOLM_OLM_MESSAGE_NORMAL) {
                olm_remac(*session, msg, len);
            }
        }
        size_t before_len = 0, n = 0;
        uint8_t *before = olm_state(*session, &before_len);
        size_t cap = panolm_olm_decrypt_max_plaintext_length(len);
        uint8_t *out = malloc(cap ? cap : 1);
        int rc = panolm_olm_session_decrypt(*session, type, msg, len, out, cap, &n);
        FUZZ_REQUIRE(olm_status_documented(rc) && rc != PANOLM_UNKNOWN_SESSION, "decrypt status");
        if (rc != PANOLM_OK) {
            FUZZ_REQUIRE(olm_same_state(*session, before, before_len), "a failed decryption changes nothing");
        } else {
            FUZZ_REQUIRE(n <= cap, "plaintext within its bound");
            FUZZ_REQUIRE(panolm_olm_session_has_received_message(*session) == 1, "received");
            size_t n2 = 0;
            FUZZ_REQUIRE(panolm_olm_session_decrypt(*session, type, msg, len, out, cap, &n2) != PANOLM_OK,
                         "a message decrypts once");
        }
        free(before);
        free(out);
        free(msg);
    } else if (*session == NULL) {
        return;
    } else if ((op & 3) == 2) {
        size_t cap = panolm_olm_encrypted_max_length(len), n = 0;
        uint8_t *out = malloc(cap), *pt = fuzz_copy(data, len);
        uint32_t type_out = 9;
        FUZZ_REQUIRE(panolm_olm_session_encrypt(*session, pt, len, out, cap, &n, &type_out) == PANOLM_OK, "encrypt");
        FUZZ_REQUIRE(n <= cap && type_out <= 1, "message bound and type");
        ol_message m;
        ol_pre_key pk;
        if (type_out == PANOLM_OLM_MESSAGE_PRE_KEY) {
            FUZZ_REQUIRE(ol_parse_pre_key(out, n, &pk) == PANOLM_OK, "pre-key parses");
            FUZZ_REQUIRE(ol_parse_message(pk.message, pk.message_len, &m) == PANOLM_OK, "inner message parses");
        } else {
            FUZZ_REQUIRE(ol_parse_message(out, n, &m) == PANOLM_OK, "message parses");
        }
        free(out);
        free(pt);
    } else {
        size_t before_len = 0, n = 0;
        uint8_t *before = olm_state(*session, &before_len);
        uint8_t *text = malloc(PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH);
        const uint8_t *key = len ? data : NULL;
        size_t key_len = len > 64 ? 64 : len;
        panolm_olm_session *copy = NULL;
        FUZZ_REQUIRE(panolm_olm_session_pickle(*session, key, key_len, text, PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH, &n)
                     == PANOLM_OK, "pickle");
        FUZZ_REQUIRE(panolm_olm_session_unpickle(key, key_len, text, n, &copy) == PANOLM_OK, "unpickle");
        FUZZ_REQUIRE(olm_same_state(copy, before, before_len), "our pickle keeps the state");
        panolm_olm_session_free(copy);
        FUZZ_REQUIRE(panolm_olm_session_from_libolm_pickle(NULL, 0, before, before_len, &copy) == PANOLM_OK,
                     "libolm pickle");
        FUZZ_REQUIRE(olm_same_state(copy, before, before_len), "libolm's pickle keeps the state");
        uint8_t id1[32], id2[32];
        panolm_olm_session_id(copy, id1);
        panolm_olm_session_id(*session, id2);
        FUZZ_REQUIRE(memcmp(id1, id2, 32) == 0, "same session id");
        panolm_olm_session_free(*session);
        *session = copy;
        free(before);
        free(text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    panolm_olm_account *account = fixture_olm_account();
    panolm_olm_session *session = NULL;
    size_t p = 0;
    for (int records = 0; p + 3 <= size && records < 32; records++) {
        uint8_t op = data[p];
        size_t len = (size_t) data[p + 1] << 8 | data[p + 2];
        p += 3;
        if (len > size - p) len = size - p;
        run(account, &session, op, data + p, len);
        p += len;
    }
    panolm_olm_session_free(session);
    panolm_olm_account_free(account);
    return 0;
}
