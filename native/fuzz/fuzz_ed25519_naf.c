/* The signed digits of the batch verification's multi-scalar multiplication (pl_ed25519_naf5), for any
 * scalar below 2^253 (the first 32 bytes of the input, the top three bits cleared; shorter inputs are
 * zero-extended). Properties: every digit is 0 or odd in [-15, 15]; a nonzero digit is followed by at least
 * four zeros; the digits sum back to the scalar (sum r[i] 2^i, in 320-bit arithmetic). A wrong recoding
 * would not change any verdict (a failed batch falls back to libsodium) but would cost every batch. */
#include "harness.h"
#include "ed25519_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t a[32] = {0};
    memcpy(a, data, size < 32 ? size : 32);
    a[31] &= 0x1f;
    int8_t r[256];
    pl_ed25519_naf5(r, a);
    int last = -5;
    for (int i = 0; i < 256; i++) {
        if (r[i] == 0) continue;
        FUZZ_REQUIRE((r[i] & 1) && r[i] >= -15 && r[i] <= 15, "digits are odd and within [-15, 15]");
        FUZZ_REQUIRE(i - last >= 5, "at least four zeros after a digit");
        last = i;
    }
    /* sum r[i] 2^i, from the top digit down (Horner), in five 64-bit limbs with signed carries. */
    __int128 acc[5] = {0};
    for (int i = 255; i >= 0; i--) {
        __int128 carry = 0;
        for (int k = 0; k < 5; k++) { /* acc = 2 * acc */
            __int128 v = acc[k] * 2 + carry;
            acc[k] = (__int128) (uint64_t) v;
            carry = (v - acc[k]) >> 64;
        }
        acc[0] += r[i];
        for (int k = 0; k < 4; k++) { /* normalise: each limb in [0, 2^64) */
            __int128 c = acc[k] >> 64;
            acc[k] -= c * ((__int128) 1 << 64);
            acc[k + 1] += c;
        }
    }
    for (int k = 0; k < 4; k++) {
        uint64_t want = 0;
        for (int b = 7; b >= 0; b--) want = want << 8 | a[8 * k + b];
        FUZZ_REQUIRE(acc[k] == (__int128) want, "the digits sum back to the scalar");
    }
    FUZZ_REQUIRE(acc[4] == 0, "nothing above 2^256");
    return 0;
}
