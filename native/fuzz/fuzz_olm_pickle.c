/* Pickles from anywhere: the envelopes (panolm_pickle_open, panolm_libolm_pickle_decrypt) on hostile text,
 * and the account and session body readers on hostile bodies (sealed with the right key first, as an
 * attacker who knows the pickle key could). Input: mode (1) | bytes.
 *   mode & 3 == 0: bytes are pickle text, opened as each kind and as libolm's, with the empty key;
 *   1: bytes are an account body; 2: a session body; 3: a PK body through the envelope alone;
 *   mode & 4: libolm's layout and envelope, else panolm's.
 * Properties: only documented statuses; a body that is accepted is written back and read again to the
 * same object (a fixed point), and through both envelopes. */
#include "olm_fixture.h"

static int pickle_status(int rc) {
    switch (rc) {
    case PANOLM_OK: case PANOLM_BAD_BASE64: case PANOLM_BAD_VERSION: case PANOLM_TRUNCATED:
    case PANOLM_BAD_MESSAGE_FORMAT: case PANOLM_BAD_MAC: case PANOLM_BAD_PADDING: case PANOLM_TOO_LARGE:
    case PANOLM_OUTPUT_TOO_SMALL:
        return 1;
    default:
        return 0;
    }
}

#define CAP (PANOLM_PICKLE_MAX_BODY_LENGTH + 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t mode = data[0];
    uint8_t *bytes = fuzz_copy(data + 1, size - 1);
    size_t len = size - 1;
    int libolm = (mode & 4) != 0;
    uint8_t *body = malloc(CAP), *text = malloc(2 * CAP + 64), *again = malloc(2 * CAP + 64);
    size_t n = 0, n2 = 0;
    if ((mode & 3) == 0) {
        for (uint32_t kind = 1; kind <= 3; kind++)
            FUZZ_REQUIRE(pickle_status(panolm_pickle_open(kind, NULL, 0, bytes, len, body, CAP, &n)), "open");
        FUZZ_REQUIRE(pickle_status(panolm_libolm_pickle_decrypt(NULL, 0, bytes, len, body, CAP, &n)), "decrypt");
        panolm_olm_account *a = NULL;
        panolm_olm_session *s = NULL;
        FUZZ_REQUIRE(pickle_status(panolm_olm_account_unpickle(NULL, 0, bytes, len, &a)), "account");
        FUZZ_REQUIRE(pickle_status(panolm_olm_account_from_libolm_pickle(NULL, 0, bytes, len, &a)), "libolm account");
        FUZZ_REQUIRE(pickle_status(panolm_olm_session_unpickle(NULL, 0, bytes, len, &s)), "session");
        FUZZ_REQUIRE(pickle_status(panolm_olm_session_from_libolm_pickle(NULL, 0, bytes, len, &s)), "libolm session");
        panolm_olm_account_free(a);
        panolm_olm_session_free(s);
    } else if (len <= PANOLM_PICKLE_MAX_BODY_LENGTH) {
        uint32_t kind = mode & 3;
        int rc = libolm ? panolm_libolm_pickle_encrypt(NULL, 0, bytes, len, text, 2 * CAP, &n)
                        : panolm_pickle_seal(kind, NULL, 0, bytes, len, text, 2 * CAP, &n);
        FUZZ_REQUIRE(rc == PANOLM_OK, "seal");
        if (kind == 3) {
            rc = libolm ? panolm_libolm_pickle_decrypt(NULL, 0, text, n, body, CAP, &n2)
                        : panolm_pickle_open(kind, NULL, 0, text, n, body, CAP, &n2);
            FUZZ_REQUIRE(rc == PANOLM_OK && n2 == len && memcmp(body, bytes, len) == 0, "envelope round trip");
        } else if (kind == 1) {
            panolm_olm_account *a = NULL, *b = NULL;
            rc = libolm ? panolm_olm_account_from_libolm_pickle(NULL, 0, text, n, &a)
                        : panolm_olm_account_unpickle(NULL, 0, text, n, &a);
            FUZZ_REQUIRE(pickle_status(rc), "account body status");
            if (rc == PANOLM_OK) {
                FUZZ_REQUIRE(panolm_olm_account_to_libolm_pickle(a, NULL, 0, text, 2 * CAP, &n) == PANOLM_OK, "write");
                FUZZ_REQUIRE(panolm_olm_account_from_libolm_pickle(NULL, 0, text, n, &b) == PANOLM_OK, "read back");
                FUZZ_REQUIRE(panolm_olm_account_to_libolm_pickle(b, NULL, 0, again, 2 * CAP, &n2) == PANOLM_OK
                             && n2 == n && memcmp(again, text, n) == 0, "account fixed point");
                panolm_olm_account_free(b);
                b = NULL;
                FUZZ_REQUIRE(panolm_olm_account_pickle(a, NULL, 0, again, 2 * CAP, &n2) == PANOLM_OK, "ours");
                FUZZ_REQUIRE(panolm_olm_account_unpickle(NULL, 0, again, n2, &b) == PANOLM_OK, "ours back");
                FUZZ_REQUIRE(panolm_olm_account_to_libolm_pickle(b, NULL, 0, again, 2 * CAP, &n2) == PANOLM_OK
                             && n2 == n && memcmp(again, text, n) == 0, "same through both formats");
            }
            panolm_olm_account_free(a);
            panolm_olm_account_free(b);
        } else {
            panolm_olm_session *s = NULL, *t = NULL;
            rc = libolm ? panolm_olm_session_from_libolm_pickle(NULL, 0, text, n, &s)
                        : panolm_olm_session_unpickle(NULL, 0, text, n, &s);
            FUZZ_REQUIRE(pickle_status(rc), "session body status");
            if (rc == PANOLM_OK) {
                /* A session read from anywhere must still encrypt and decrypt without harm. */
                uint8_t out[256];
                size_t m = 0;
                uint32_t type = 0;
                int e = panolm_olm_session_encrypt(s, bytes, len > 32 ? 32 : len, out, sizeof out, &m, &type);
                FUZZ_REQUIRE(e == PANOLM_OK || e == PANOLM_NON_CONTRIBUTORY || e == PANOLM_TOO_LARGE, "encrypt");
                FUZZ_REQUIRE(panolm_olm_session_to_libolm_pickle(s, NULL, 0, text, 2 * CAP, &n) == PANOLM_OK, "write");
                FUZZ_REQUIRE(panolm_olm_session_from_libolm_pickle(NULL, 0, text, n, &t) == PANOLM_OK, "read back");
                FUZZ_REQUIRE(panolm_olm_session_to_libolm_pickle(t, NULL, 0, again, 2 * CAP, &n2) == PANOLM_OK
                             && n2 == n && memcmp(again, text, n) == 0, "session fixed point");
                panolm_olm_session_free(t);
                t = NULL;
                FUZZ_REQUIRE(panolm_olm_session_pickle(s, NULL, 0, again, 2 * CAP, &n2) == PANOLM_OK, "ours");
                FUZZ_REQUIRE(panolm_olm_session_unpickle(NULL, 0, again, n2, &t) == PANOLM_OK, "ours back");
            }
            panolm_olm_session_free(s);
            panolm_olm_session_free(t);
        }
    }
    free(bytes);
    free(body);
    free(text);
    free(again);
    return 0;
}
