/* The Megolm message parser (version byte, protobuf-style fields, trailer) on any bytes: what the
 * homeserver hands over before any signature has been checked. Properties: it fails only with the
 * documented statuses, and on success the ciphertext lies inside the MACed part of the message. */
#include "harness.h"
#include "megolm_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *in = fuzz_copy(data, size);
    ml_message m;
    int rc = ml_parse(in, size, &m);
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(size >= 1 + 72 && m.mac_offset == size - 72, "MAC offset");
        FUZZ_REQUIRE(m.ciphertext >= in + 1 && m.ciphertext + m.ciphertext_len <= in + m.mac_offset,
                     "ciphertext inside the message body");
    } else {
        FUZZ_REQUIRE(rc == PANOLM_TRUNCATED || rc == PANOLM_BAD_VERSION || rc == PANOLM_BAD_MESSAGE_FORMAT,
                     "parse status");
    }
    free(in);
    return 0;
}
