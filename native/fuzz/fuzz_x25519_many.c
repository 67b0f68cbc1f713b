/* The eight-lane X25519 against libsodium. Input: A (32) | up to eight B (32 each; a short last one is padded
 * with zeros). Run twice: A as the one scalar with each B as a point (the restore's shape), then each B as a
 * lane's own scalar with A as the one point (the backup encryption's shape). Property: every lane's verdict
 * (refused or not) and shared secret are libsodium's, for any bytes: points on the twist, of small order, with
 * u >= p or bit 255 set. */
#include "harness.h"
#include "x25519_many.h"

static void compare(const uint8_t *scalars, size_t scalar_stride, const uint8_t *points, size_t point_stride,
                    size_t n) {
    uint8_t fast[PL_X25519_LANES][32], reference[PL_X25519_LANES][32];
    int fast_ok[PL_X25519_LANES], reference_ok[PL_X25519_LANES];
    FUZZ_REQUIRE(pl_x25519_many(fast, fast_ok, scalars, scalar_stride, points, point_stride, n, 1) == 0, "runs");
    FUZZ_REQUIRE(pl_x25519_many(reference, reference_ok, scalars, scalar_stride, points, point_stride, n, 0) == 0,
                 "runs");
    for (size_t i = 0; i < n; i++) {
        FUZZ_REQUIRE(fast_ok[i] == reference_ok[i], "verdict equals libsodium's");
        FUZZ_REQUIRE(memcmp(fast[i], reference[i], 32) == 0, "shared secret equals libsodium's");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 33) return 0;
    uint8_t a[32], b[PL_X25519_LANES][32] = {{0}};
    memcpy(a, data, 32);
    size_t n = (size - 32 + 31) / 32;
    if (n > PL_X25519_LANES) n = PL_X25519_LANES;
    for (size_t i = 0; i < n; i++) {
        size_t at = 32 + 32 * i, len = size - at < 32 ? size - at : 32;
        memcpy(b[i], data + at, len);
    }
    compare(a, 0, b[0], 32, n);
    compare(b[0], 32, a, 0, n);
    return 0;
}
