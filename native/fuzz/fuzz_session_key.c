/* Session-key import: the version-2 sharing format (signed, from m.room_key) and the version-1 export
 * format (from forwarded keys, backups and export files), on any bytes. Properties: only documented
 * statuses; what imports exports back to the same bytes (export format) or to the same ratchet and
 * key (sharing format); a signed key is verified, an export is not. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *in = fuzz_copy(data, size);
    uint8_t exported[PANOLM_MEGOLM_EXPORT_LENGTH];
    panolm_megolm_inbound *s = NULL;
    int rc = panolm_megolm_inbound_from_session_key(in, size, &s);
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(size == PANOLM_MEGOLM_SESSION_KEY_LENGTH, "sharing format length");
        FUZZ_REQUIRE(panolm_megolm_inbound_is_verified(s) == 1, "signed key is verified");
        uint32_t first = panolm_megolm_inbound_first_known_index(s);
        FUZZ_REQUIRE(panolm_megolm_inbound_export(s, first, exported) == PANOLM_OK, "export");
        FUZZ_REQUIRE(exported[0] == 1 && memcmp(exported + 1, in + 1, 164) == 0, "export keeps index, ratchet, key");
        panolm_megolm_inbound_free(s);
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_KEY || rc == PANOLM_BAD_VERSION || rc == PANOLM_BAD_SIGNATURE
                     || rc == PANOLM_TRUNCATED || rc == PANOLM_BAD_MESSAGE_FORMAT, "session key status");
    }
    s = NULL;
    rc = panolm_megolm_inbound_import(in, size, &s);
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(size == PANOLM_MEGOLM_EXPORT_LENGTH, "export format length");
        FUZZ_REQUIRE(panolm_megolm_inbound_is_verified(s) == 0, "an export is not verified");
        uint32_t first = panolm_megolm_inbound_first_known_index(s);
        FUZZ_REQUIRE(panolm_megolm_inbound_export(s, first, exported) == PANOLM_OK, "export");
        FUZZ_REQUIRE(memcmp(exported, in, PANOLM_MEGOLM_EXPORT_LENGTH) == 0, "import/export round trip");
        if (first != UINT32_MAX) {
            FUZZ_REQUIRE(panolm_megolm_inbound_export(s, first + 1, exported) == PANOLM_OK, "export later");
        }
        panolm_megolm_inbound_free(s);
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_KEY || rc == PANOLM_BAD_VERSION || rc == PANOLM_TRUNCATED
                     || rc == PANOLM_BAD_MESSAGE_FORMAT, "export status");
    }
    free(in);
    return 0;
}
