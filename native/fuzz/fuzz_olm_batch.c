/* panolm_olm_batch_encrypt with spans from the input. Input: holes (1) | count (1) | then 4-byte records
 * (offset u16 BE, length u16 BE) for the holes + 1 pieces and count * holes values, all into the rest of
 * the input as the input segment. A session per recipient to the fixture's device (two copies of each, made
 * alike through libolm's pickle format), except every fourth recipient, which has none.
 * Properties: the call fails as a whole only with INVALID_ARGUMENT / TOO_LARGE / OUTPUT_TOO_SMALL and
 * then touches no session; otherwise every recipient is OK (or UNKNOWN_SESSION without a session), its
 * base64 message lies in its slot and decodes to a message whose plaintext is the template filled in;
 * one thread and two give identical output. */
#include "olm_fixture.h"

#define MAX_COUNT 24
#define MAX_HOLES 4

static panolm_olm_session *clone_session(panolm_olm_session *s) {
    size_t n = 0;
    uint8_t *state = olm_state(s, &n);
    panolm_olm_session *c = NULL;
    if (panolm_olm_session_from_libolm_pickle(NULL, 0, state, n, &c) != PANOLM_OK) abort();
    free(state);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint32_t holes = data[0] % (MAX_HOLES + 1);
    size_t count = data[1] % (MAX_COUNT + 1);
    size_t spans = holes + 1 + count * holes;
    if (size < 2 + 4 * spans) return 0;
    const uint8_t *rec = data + 2;
    size_t input_len = size - 2 - 4 * spans;
    uint8_t *input = fuzz_copy(data + 2 + 4 * spans, input_len);
    panolm_olm_span pieces[MAX_HOLES + 1], values[MAX_COUNT * MAX_HOLES + 1];
    for (size_t i = 0; i < spans; i++) {
        panolm_olm_span sp = {(uint64_t) rec[4 * i] << 8 | rec[4 * i + 1], (uint64_t) rec[4 * i + 2] << 8 | rec[4 * i + 3]};
        if (i <= holes) pieces[i] = sp; else values[i - holes - 1] = sp;
    }

    panolm_olm_account *alice = NULL, *bob = fixture_olm_account();
    if (panolm_olm_account_new(&alice) != PANOLM_OK) abort();
    panolm_olm_session *list_a[MAX_COUNT + 1], *list_b[MAX_COUNT + 1];
    for (size_t k = 0; k < count; k++) {
        list_a[k] = list_b[k] = NULL;
        if (k % 4 == 3) continue;
        if (panolm_olm_session_new_outbound(alice, bob->identity.pub, bob->otks[k % 3].key.pub, &list_a[k]) != PANOLM_OK)
            abort();
        list_b[k] = clone_session(list_a[k]);
    }
    size_t need = panolm_olm_batch_output_length(input_len, pieces, holes, values, count);
    size_t cap = need ? need : 1;
    uint8_t *out_a = malloc(cap), *out_b = malloc(cap);
    panolm_olm_batch_result res_a[MAX_COUNT + 1], res_b[MAX_COUNT + 1];
    int rc = panolm_olm_batch_encrypt(list_a, count, input, input_len, pieces, holes, values, out_a, need, res_a, 1);
    int rc2 = panolm_olm_batch_encrypt(list_b, count, input, input_len, pieces, holes, values, out_b, need, res_b, 2);
    FUZZ_REQUIRE(rc == rc2, "same call status with 1 and 2 threads");
    FUZZ_REQUIRE(rc == PANOLM_OK || rc == PANOLM_INVALID_ARGUMENT || rc == PANOLM_TOO_LARGE, "call status");
    if (rc == PANOLM_OK && count > 0) {
        FUZZ_REQUIRE(need > 0, "a batch that ran had a size");
        panolm_olm_account *bob2 = fixture_olm_account();
        for (size_t k = 0; k < count; k++) {
            FUZZ_REQUIRE(res_a[k].status == res_b[k].status && res_a[k].message_length == res_b[k].message_length
                         && res_a[k].message_offset == res_b[k].message_offset, "same results");
            if (list_a[k] == NULL) { FUZZ_REQUIRE(res_a[k].status == PANOLM_UNKNOWN_SESSION, "no session"); continue; }
            FUZZ_REQUIRE(res_a[k].status == PANOLM_OK, "recipient status");
            FUZZ_REQUIRE(res_a[k].message_offset + res_a[k].message_length <= need, "message in the output");
            FUZZ_REQUIRE(memcmp(out_a + res_a[k].message_offset, out_b + res_a[k].message_offset,
                                res_a[k].message_length) == 0, "same bytes with 1 and 2 threads");
            size_t bin_len = 0;
            uint8_t *bin = malloc(res_a[k].message_length);
            FUZZ_REQUIRE(panolm_base64_decode(out_a + res_a[k].message_offset, res_a[k].message_length, bin,
                                              res_a[k].message_length, &bin_len) == PANOLM_OK, "base64");
            panolm_olm_session *in = NULL;
            FUZZ_REQUIRE(panolm_olm_session_new_inbound(bob2, NULL, bin, bin_len, &in) == PANOLM_OK, "inbound");
            uint8_t *pt = malloc(bin_len), *expected = malloc(input_len * (holes + 1) * (holes + 1) + 1);
            size_t n = 0, e = 0;
            FUZZ_REQUIRE(panolm_olm_session_decrypt(in, PANOLM_OLM_MESSAGE_PRE_KEY, bin, bin_len, pt, bin_len, &n)
                         == PANOLM_OK, "decrypts");
            for (uint32_t h = 0; h <= holes; h++) {
                memcpy(expected + e, input + pieces[h].offset, pieces[h].length);
                e += pieces[h].length;
                if (h < holes) {
                    memcpy(expected + e, input + values[k * holes + h].offset, values[k * holes + h].length);
                    e += values[k * holes + h].length;
                }
            }
            FUZZ_REQUIRE(n == e && memcmp(pt, expected, n) == 0, "the template filled in");
            panolm_olm_session_free(in);
            free(bin);
            free(pt);
            free(expected);
        }
        panolm_olm_account_free(bob2);
    }
    for (size_t k = 0; k < count; k++) {
        panolm_olm_session_free(list_a[k]);
        panolm_olm_session_free(list_b[k]);
    }
    panolm_olm_account_free(alice);
    panolm_olm_account_free(bob);
    free(out_a);
    free(out_b);
    free(input);
    return 0;
}
