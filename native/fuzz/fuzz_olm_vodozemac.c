/* vodozemac's pickles from anywhere: panolm_olm_{account,session}_from_vodozemac_{json,pickle} on hostile
 * JSON. Input: mode (1) | bytes. mode & 1: read as a session, else as an account; mode & 2: the bytes are
 * also sealed in libolm's envelope under the empty key and read through *_pickle, which must agree with
 * *_json on them. Properties: only documented statuses; the field named on failure is a schema name
 * (letters, digits, '_' and '.'), NUL-terminated; an accepted account or session is written to both of
 * panolm's pickle formats and read back unchanged, and a session still encrypts without harm. */
#include "olm_fixture.h"

static int documented(int rc) {
    switch (rc) {
    case PANOLM_OK: case PANOLM_BAD_BASE64: case PANOLM_BAD_VERSION: case PANOLM_TRUNCATED:
    case PANOLM_BAD_MESSAGE_FORMAT: case PANOLM_BAD_MAC: case PANOLM_BAD_PADDING: case PANOLM_TOO_LARGE:
    case PANOLM_BAD_KEY:
        return 1;
    default:
        return 0;
    }
}

static void check_where(const char *where) {
    size_t n = strnlen(where, PANOLM_OLM_VODOZEMAC_WHERE_LENGTH);
    FUZZ_REQUIRE(n < PANOLM_OLM_VODOZEMAC_WHERE_LENGTH, "where is terminated");
    for (size_t i = 0; i < n; i++) {
        char c = where[i];
        FUZZ_REQUIRE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.', "where is a name");
    }
}

#define TEXT_CAP (PANOLM_OLM_SESSION_PICKLE_MAX_LENGTH)

static void account_round_trip(panolm_olm_account *a) {
    uint8_t *text = malloc(TEXT_CAP), *again = malloc(TEXT_CAP);
    size_t n = 0, n2 = 0;
    panolm_olm_account *b = NULL;
    FUZZ_REQUIRE(text && again, "memory");
    FUZZ_REQUIRE(panolm_olm_account_to_libolm_pickle(a, NULL, 0, text, TEXT_CAP, &n) == PANOLM_OK, "libolm write");
    FUZZ_REQUIRE(panolm_olm_account_from_libolm_pickle(NULL, 0, text, n, &b) == PANOLM_OK, "libolm read");
    FUZZ_REQUIRE(panolm_olm_account_pickle(b, NULL, 0, again, TEXT_CAP, &n2) == PANOLM_OK, "ours write");
    panolm_olm_account_free(b);
    b = NULL;
    FUZZ_REQUIRE(panolm_olm_account_unpickle(NULL, 0, again, n2, &b) == PANOLM_OK, "ours read");
    FUZZ_REQUIRE(panolm_olm_account_to_libolm_pickle(b, NULL, 0, again, TEXT_CAP, &n2) == PANOLM_OK
                 && n2 == n && memcmp(again, text, n) == 0, "account unchanged through both formats");
    panolm_olm_account_free(b);
    free(text);
    free(again);
}

static void session_round_trip(panolm_olm_session *s, const uint8_t *bytes, size_t len) {
    uint8_t *text = malloc(TEXT_CAP), *again = malloc(TEXT_CAP);
    size_t n = 0, n2 = 0;
    panolm_olm_session *t = NULL;
    FUZZ_REQUIRE(text && again, "memory");
    FUZZ_REQUIRE(panolm_olm_session_pickle(s, NULL, 0, text, TEXT_CAP, &n) == PANOLM_OK, "ours write");
    FUZZ_REQUIRE(panolm_olm_session_unpickle(NULL, 0, text, n, &t) == PANOLM_OK, "ours read");
    FUZZ_REQUIRE(panolm_olm_session_to_libolm_pickle(s, NULL, 0, text, TEXT_CAP, &n) == PANOLM_OK, "libolm write");
    FUZZ_REQUIRE(panolm_olm_session_to_libolm_pickle(t, NULL, 0, again, TEXT_CAP, &n2) == PANOLM_OK
                 && n2 == n && memcmp(again, text, n) == 0, "session unchanged through our format");
    panolm_olm_session_free(t);
    uint8_t out[256];
    size_t m = 0;
    uint32_t type = 0;
    int e = panolm_olm_session_encrypt(s, bytes, len > 32 ? 32 : len, out, sizeof out, &m, &type);
    FUZZ_REQUIRE(e == PANOLM_OK || e == PANOLM_NON_CONTRIBUTORY, "encrypt");
    free(text);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t mode = data[0];
    size_t len = size - 1;
    uint8_t *bytes = fuzz_copy(data + 1, len);
    char where[PANOLM_OLM_VODOZEMAC_WHERE_LENGTH];
    int session = mode & 1, rc, rc2;
    if (session) {
        panolm_olm_session *s = NULL;
        rc = panolm_olm_session_from_vodozemac_json(bytes, len, &s, where, sizeof where);
        FUZZ_REQUIRE(documented(rc) && (rc == PANOLM_OK) == (s != NULL), "session status");
        check_where(where);
        if (s != NULL) session_round_trip(s, bytes, len);
        panolm_olm_session_free(s);
    } else {
        panolm_olm_account *a = NULL;
        rc = panolm_olm_account_from_vodozemac_json(bytes, len, &a, where, sizeof where);
        FUZZ_REQUIRE(documented(rc) && (rc == PANOLM_OK) == (a != NULL), "account status");
        check_where(where);
        if (a != NULL) account_round_trip(a);
        panolm_olm_account_free(a);
    }
    if ((mode & 2) && len <= PANOLM_PICKLE_MAX_BODY_LENGTH) {
        size_t cap = panolm_libolm_pickle_length(len), n = 0;
        uint8_t *text = malloc(cap ? cap : 1);
        FUZZ_REQUIRE(text && panolm_libolm_pickle_encrypt(NULL, 0, bytes, len, text, cap, &n) == PANOLM_OK, "seal");
        if (session) {
            panolm_olm_session *s = NULL;
            rc2 = panolm_olm_session_from_vodozemac_pickle(NULL, 0, text, n, &s, NULL, 0);
            panolm_olm_session_free(s);
        } else {
            panolm_olm_account *a = NULL;
            rc2 = panolm_olm_account_from_vodozemac_pickle(NULL, 0, text, n, &a, NULL, 0);
            panolm_olm_account_free(a);
        }
        FUZZ_REQUIRE(rc2 == rc, "the envelope changes nothing");
        free(text);
    }
    free(bytes);
    return 0;
}
