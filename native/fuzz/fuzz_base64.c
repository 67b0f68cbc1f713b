/* Base64 decoding of attacker text (every key, MAC and ciphertext in Matrix JSON). Properties: the
 * decoder never writes past out_cap, reports OUTPUT_TOO_SMALL rather than truncating, fails only with
 * BAD_BASE64, and is canonical: re-encoding what it accepted gives the input without its padding. The
 * table-driven in-place encoder for public bytes writes exactly what the constant-time one writes, and the
 * table-driven decoder for public bytes (Megolm ciphertexts) gives the constant-time one's result on every input. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *in = fuzz_copy(data, size);
    size_t cap = panolm_base64_decoded_max_length(size);
    uint8_t *out = malloc(cap ? cap : 1);
    size_t n = 0;
    int rc = panolm_base64_decode(in, size, out, cap, &n);
    {
        uint8_t *pub = malloc(cap ? cap : 1);
        size_t pn = 0;
        int prc = pl_b64_decode_public(in, size, pub, cap, &pn);
        FUZZ_REQUIRE(prc == rc, "the public decoder accepts and refuses as the constant-time one");
        FUZZ_REQUIRE(rc != PANOLM_OK || (pn == n && memcmp(pub, out, n) == 0), "the public decoder's bytes agree");
        if (cap > 0) {
            size_t sn = 0;
            int src = pl_b64_decode_public(in, size, pub, cap - 1, &sn);
            size_t cn = 0;
            FUZZ_REQUIRE(src == panolm_base64_decode(in, size, out, cap - 1, &cn), "the same with less room");
        }
        free(pub);
    }
    if (rc == PANOLM_OK) {
        FUZZ_REQUIRE(n <= cap, "decoded length within capacity");
        size_t unpadded = size;
        if (size % 4 == 0 && size >= 4 && in[size - 1] == '=') {
            unpadded--;
            if (in[size - 2] == '=') unpadded--;
        }
        size_t elen = panolm_base64_encoded_length(n);
        FUZZ_REQUIRE(elen == unpadded, "re-encoded length equals the unpadded input length");
        uint8_t *again = malloc(elen ? elen : 1);
        size_t alen = 0;
        FUZZ_REQUIRE(panolm_base64_encode(out, n, again, elen, &alen) == PANOLM_OK && alen == elen, "re-encode");
        FUZZ_REQUIRE(memcmp(again, in, elen) == 0, "decoding is canonical");
        uint8_t *in_place = malloc(elen > n ? elen : (n ? n : 1));
        if (n) memcpy(in_place, out, n);
        pl_b64_encode_public_in_place(in_place, n);
        FUZZ_REQUIRE(memcmp(in_place, again, elen) == 0, "the public in-place encoder agrees");
        free(in_place);
        free(again);
        if (n > 0) {
            /* One byte too little room must be refused, not truncated or overrun. */
            uint8_t *small = malloc(n - 1 ? n - 1 : 1);
            size_t sn = 0;
            FUZZ_REQUIRE(panolm_base64_decode(in, size, small, n - 1, &sn) == PANOLM_OUTPUT_TOO_SMALL,
                         "short output refused");
            free(small);
        }
    } else {
        FUZZ_REQUIRE(rc == PANOLM_BAD_BASE64, "decode fails only with BAD_BASE64");
    }
    free(out);
    free(in);
    return 0;
}
