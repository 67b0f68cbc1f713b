/* Whether two session exports connect (the merge rule's ratchet check), on any bytes. The input is split
 * in two at its first byte (a split point) so both keys can have any length. Properties: only documented
 * statuses; the relation is symmetric and reflexive; a valid export connects to itself exported further
 * on, and to nothing once one ratchet byte differs. */
#include "harness.h"

static void require_status(int rc) {
    FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_BAD_KEY || rc == PANOLM_BAD_VERSION, "connects status");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t split = data[0] == 0xFF ? PANOLM_MEGOLM_EXPORT_LENGTH : data[0];
    if (split > size - 1) split = size - 1;
    uint8_t *a = fuzz_copy(data + 1, split);
    uint8_t *b = fuzz_copy(data + 1 + split, size - 1 - split);
    size_t a_len = split, b_len = size - 1 - split;

    int32_t ab = -1, ba = -1;
    int rc = panolm_megolm_export_connects(a, a_len, b, b_len, &ab);
    require_status(rc);
    int rc2 = panolm_megolm_export_connects(b, b_len, a, a_len, &ba);
    FUZZ_REQUIRE(rc == rc2, "same status both ways");
    if (rc == PANOLM_OK) FUZZ_REQUIRE(ab == ba && (ab == 0 || ab == 1), "symmetric");

    panolm_megolm_inbound *s = NULL;
    if (panolm_megolm_inbound_import(a, a_len, &s) == PANOLM_OK) {
        int32_t self = -1;
        FUZZ_REQUIRE(panolm_megolm_export_connects(a, a_len, a, a_len, &self) == PANOLM_OK && self == 1, "reflexive");
        /* Export further on, by up to the other key's index bytes (or a fixed distance). */
        uint32_t first = panolm_megolm_inbound_first_known_index(s);
        uint32_t step = b_len >= 5 ? (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3] : 1000;
        uint32_t later = first + step < first ? UINT32_MAX : first + step;
        uint8_t exported[PANOLM_MEGOLM_EXPORT_LENGTH];
        FUZZ_REQUIRE(panolm_megolm_inbound_export(s, later, exported) == PANOLM_OK, "export later");
        int32_t c = -1;
        FUZZ_REQUIRE(panolm_megolm_export_connects(a, a_len, exported, sizeof exported, &c) == PANOLM_OK && c == 1,
                     "connects to itself further on");
        exported[5 + (step % 128)] ^= 0x01;
        FUZZ_REQUIRE(panolm_megolm_export_connects(exported, sizeof exported, a, a_len, &c) == PANOLM_OK && c == 0,
                     "a changed ratchet does not connect");
        pl_wipe(exported, sizeof exported);
        panolm_megolm_inbound_free(s);
    }
    free(a);
    free(b);
    return 0;
}
