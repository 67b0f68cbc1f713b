/* Single Megolm decryption through the public entry point, on a fresh inbound session of the fixture.
 * Input: mode (1) | rest. mode bit 0 set: rest is a message body that is MACed and signed with the
 * sender's keys first, so the fuzzer reaches the MAC, CBC, padding and room checks a malicious sender
 * controls; clear: rest is the base64 text as the server delivers it. Bit 1: decrypt with an event id
 * and room id (replay and room checks). Properties: only documented statuses; the plaintext fits the
 * announced bound; decrypting the same event again gives the same answer. */
#include "megolm_fixture.h"

static int initialised;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!initialised) { fixture_megolm_init(); initialised = 1; }
    if (size < 1) return 0;
    uint8_t mode = data[0];
    size_t text_len = 0;
    uint8_t *text;
    if (mode & 1) {
        uint8_t *msg = fixture_sign(data + 1, size - 1);
        text = fixture_b64(msg, size - 1 + 72, &text_len);
        free(msg);
    } else {
        text = fuzz_copy(data + 1, size - 1);
        text_len = size - 1;
    }
    static const uint8_t event[] = "$event:x", room[] = "!r:x";
    size_t event_len = (mode & 2) ? sizeof event - 1 : 0, room_len = (mode & 2) ? sizeof room - 1 : 0;
    size_t cap = panolm_megolm_decrypt_max_plaintext_length(text_len);
    uint8_t *out = malloc(cap ? cap : 1), *again = malloc(cap ? cap : 1);
    panolm_megolm_inbound *s = fixture_inbound();
    size_t n = 0, n2 = 0;
    uint32_t index = 0, index2 = 0;
    int rc = panolm_megolm_inbound_decrypt(s, text, text_len, event, event_len, room, room_len, out, cap, &n, &index);
    FUZZ_REQUIRE(megolm_decrypt_status_ok(rc), "decrypt status");
    if (rc == PANOLM_OK) FUZZ_REQUIRE(n <= cap, "plaintext within the bound");
    int rc2 = panolm_megolm_inbound_decrypt(s, text, text_len, event, event_len, room, room_len, again, cap, &n2, &index2);
    FUZZ_REQUIRE(rc2 == rc, "the same event decrypts the same way twice");
    if (rc == PANOLM_OK) FUZZ_REQUIRE(n2 == n && index2 == index && memcmp(out, again, n) == 0, "same plaintext");
    panolm_megolm_inbound_free(s);
    free(out);
    free(again);
    free(text);
    return 0;
}
