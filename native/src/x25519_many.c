/* Up to eight X25519 agreements at once: the backup restore (one private key with each entry's ephemeral key)
 * and the backup's encryption (each entry's own ephemeral key with the base point, then with the backup's
 * public key), where X25519 is ~90% of the work.
 *
 * With AVX-512 IFMA the eight agreements run in the eight 64-bit lanes of one Montgomery ladder (RFC 7748
 * section 5): field elements in radix 2^52, five limbs, products by vpmadd52{lo,hi}uq. Each lane's conditional
 * swap is a mask made from its own scalar's bit without a branch, so the ladder's sequence of operations does
 * not depend on the scalars or the points. Without IFMA, or for a single key, libsodium computes each
 * agreement. Results are libsodium's exactly, including the refusal of an all-zero shared secret (small-order
 * points), which tests check over random and adversarial points and the Wycheproof vectors. */
#include <immintrin.h>
#include <sodium.h>
#include "x25519_many.h"

#define M52 ((1ULL << 52) - 1)
#define M47 ((1ULL << 47) - 1)
#define IFMA __attribute__((target("avx512f,avx512ifma")))
/* The limb loops unrolled whatever the optimisation level: at -O2 the compiler keeps them as loops over
 * arrays in memory, which makes the ladder more than twice as slow. */
#define PL_UNROLL _Pragma("GCC unroll 16")

typedef __m512i v8;
typedef struct { v8 l[5]; } fe8;

/* Limbs of up to 63 bits to limbs below 2^52 (the top one below 2^47 + 1), the value unchanged mod p.
 * vpmadd52 reads only 52 bits of each operand, so every input of a product must pass through here. Two
 * passes: the first folds bits from 2^255 up back into the bottom as 19 times their value, the second
 * moves the at most one-bit carries that fold leaves, and ends at the top limb, which has room for them. */
static inline IFMA void fe_carry(fe8 *r) {
    const v8 m52 = _mm512_set1_epi64((long long) M52), m47 = _mm512_set1_epi64((long long) M47);
    PL_UNROLL
    for (int pass = 0; pass < 2; pass++) {
        PL_UNROLL
        for (int i = 0; i < 4; i++) {
            r->l[i + 1] = _mm512_add_epi64(r->l[i + 1], _mm512_srli_epi64(r->l[i], 52));
            r->l[i] = _mm512_and_si512(r->l[i], m52);
        }
        if (pass == 0) {
            v8 c = _mm512_srli_epi64(r->l[4], 47);
            r->l[4] = _mm512_and_si512(r->l[4], m47);
            /* 19c = 16c + 2c + c */
            v8 c19 = _mm512_add_epi64(_mm512_add_epi64(_mm512_slli_epi64(c, 4), _mm512_slli_epi64(c, 1)), c);
            r->l[0] = _mm512_add_epi64(r->l[0], c19);
        }
    }
}

/* r = a * b: 25 partial products into ten 52-bit columns, the columns from 2^260 up folded down as
 * 608 = 2^260 mod p times their value. */
static inline IFMA void fe_mul(fe8 *r, const fe8 *a, const fe8 *b) {
    v8 t[11];
    PL_UNROLL
    for (int k = 0; k < 11; k++) t[k] = _mm512_setzero_si512();
    PL_UNROLL
    for (int i = 0; i < 5; i++) {
        PL_UNROLL
        for (int j = 0; j < 5; j++) {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], a->l[i], b->l[j]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a->l[i], b->l[j]);
        }
    }
    /* Each column holds at most ten 52-bit terms (< 2^56). Bring the high columns below 2^52 so they can
     * be multiplied by 608; what leaves column 9 is column 10 (weight 2^520 = 608^2 mod p). */
    const v8 m52 = _mm512_set1_epi64((long long) M52);
    PL_UNROLL
    for (int k = 5; k < 10; k++) {
        t[k + 1] = _mm512_add_epi64(t[k + 1], _mm512_srli_epi64(t[k], 52));
        t[k] = _mm512_and_si512(t[k], m52);
    }
    const v8 f = _mm512_set1_epi64(608), f2 = _mm512_set1_epi64(608 * 608);
    v8 top = _mm512_madd52hi_epu64(_mm512_setzero_si512(), t[9], f); /* weight 2^260 again */
    PL_UNROLL
    for (int k = 0; k < 5; k++) {
        t[k] = _mm512_madd52lo_epu64(t[k], t[k + 5], f);
        if (k < 4) t[k + 1] = _mm512_madd52hi_epu64(t[k + 1], t[k + 5], f);
    }
    t[0] = _mm512_madd52lo_epu64(t[0], top, f);
    t[0] = _mm512_madd52lo_epu64(t[0], t[10], f2);
    PL_UNROLL
    for (int k = 0; k < 5; k++) r->l[k] = t[k];
    fe_carry(r);
}

static inline IFMA void fe_sq(fe8 *r, const fe8 *a) { fe_mul(r, a, a); }

static inline IFMA void fe_add(fe8 *r, const fe8 *a, const fe8 *b) {
    PL_UNROLL
    for (int i = 0; i < 5; i++) r->l[i] = _mm512_add_epi64(a->l[i], b->l[i]);
    fe_carry(r);
}

/* r = a - b + 2p, limb by limb non-negative for carried inputs (b's limbs below 2^52, its top below 2^48). */
static inline IFMA void fe_sub(fe8 *r, const fe8 *a, const fe8 *b) {
    static const long long two_p[5] = {(long long) ((1ULL << 53) - 38), (long long) ((1ULL << 53) - 2),
                                       (long long) ((1ULL << 53) - 2), (long long) ((1ULL << 53) - 2),
                                       (long long) ((1ULL << 48) - 2)};
    PL_UNROLL
    for (int i = 0; i < 5; i++)
        r->l[i] = _mm512_sub_epi64(_mm512_add_epi64(a->l[i], _mm512_set1_epi64(two_p[i])), b->l[i]);
    fe_carry(r);
}

/* r = c + a * 121665 (the ladder's a24 term). */
static inline IFMA void fe_mul_a24_add(fe8 *r, const fe8 *a, const fe8 *c) {
    const v8 k = _mm512_set1_epi64(121665), f = _mm512_set1_epi64(608);
    v8 t[5];
    PL_UNROLL
    for (int i = 0; i < 5; i++) t[i] = c->l[i];
    PL_UNROLL
    for (int i = 0; i < 5; i++) {
        t[i] = _mm512_madd52lo_epu64(t[i], a->l[i], k);
        if (i < 4) t[i + 1] = _mm512_madd52hi_epu64(t[i + 1], a->l[i], k);
    }
    v8 top = _mm512_madd52hi_epu64(_mm512_setzero_si512(), a->l[4], k); /* weight 2^260 */
    t[0] = _mm512_madd52lo_epu64(t[0], top, f);
    PL_UNROLL
    for (int i = 0; i < 5; i++) r->l[i] = t[i];
    fe_carry(r);
}

/* Swaps a and b in every lane when mask is all ones, leaves them when all zeros, without a branch. */
static inline IFMA void fe_cswap(fe8 *a, fe8 *b, v8 mask) {
    PL_UNROLL
    for (int i = 0; i < 5; i++) {
        v8 d = _mm512_and_si512(_mm512_xor_si512(a->l[i], b->l[i]), mask);
        a->l[i] = _mm512_xor_si512(a->l[i], d);
        b->l[i] = _mm512_xor_si512(b->l[i], d);
    }
}

static inline IFMA void fe_sq_times(fe8 *r, const fe8 *a, int n) {
    fe_sq(r, a);
    for (int i = 1; i < n; i++) fe_sq(r, r);
}

/* r = z^(p - 2) = 1/z (0 for 0), by the usual chain of 254 squarings and 11 products. */
static IFMA void fe_invert(fe8 *r, const fe8 *z) {
    fe8 z2, z9, z11, z2_5, z2_10, z2_20, z2_50, z2_100, t;
    fe_sq(&z2, z);
    fe_sq_times(&t, &z2, 2);
    fe_mul(&z9, &t, z);
    fe_mul(&z11, &z9, &z2);
    fe_sq(&t, &z11);
    fe_mul(&z2_5, &t, &z9);
    fe_sq_times(&t, &z2_5, 5);
    fe_mul(&z2_10, &t, &z2_5);
    fe_sq_times(&t, &z2_10, 10);
    fe_mul(&z2_20, &t, &z2_10);
    fe_sq_times(&t, &z2_20, 20);
    fe_mul(&t, &t, &z2_20);
    fe_sq_times(&t, &t, 10);
    fe_mul(&z2_50, &t, &z2_10);
    fe_sq_times(&t, &z2_50, 50);
    fe_mul(&z2_100, &t, &z2_50);
    fe_sq_times(&t, &z2_100, 100);
    fe_mul(&t, &t, &z2_100);
    fe_sq_times(&t, &t, 50);
    fe_mul(&t, &t, &z2_50);
    fe_sq_times(&t, &t, 5);
    fe_mul(r, &t, &z11);
}

static uint64_t load64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* A u-coordinate (bit 255 ignored, RFC 7748) as limbs; values from p to 2^255 - 1 are kept as they are,
 * which the arithmetic treats as their residues. */
static void unpack(uint64_t l[5], const uint8_t u[32]) {
    uint64_t w0 = load64(u), w1 = load64(u + 8), w2 = load64(u + 16), w3 = load64(u + 24);
    l[0] = w0 & M52;
    l[1] = (w0 >> 52 | w1 << 12) & M52;
    l[2] = (w1 >> 40 | w2 << 24) & M52;
    l[3] = (w2 >> 28 | w3 << 36) & M52;
    l[4] = (w3 >> 16) & M47;
}

/* r = a + k over four 64-bit words (no carry out: the callers' sums stay below 2^256). */
static void add_small(uint64_t r[4], const uint64_t a[4], uint64_t k) {
    unsigned __int128 s = (unsigned __int128) a[0] + k;
    r[0] = (uint64_t) s;
    for (int i = 1; i < 4; i++) {
        s = (s >> 64) + a[i];
        r[i] = (uint64_t) s;
    }
}

/* Carried limbs (below 2^52, the top below 2^47 + 1) to the canonical 32 bytes, without branches. */
static void pack(uint8_t out[32], const uint64_t l[5]) {
    unsigned __int128 acc;
    uint64_t w[4];
    acc = (unsigned __int128) l[0] | (unsigned __int128) l[1] << 52;
    w[0] = (uint64_t) acc;
    acc = (acc >> 64) | (unsigned __int128) l[2] << 40;
    w[1] = (uint64_t) acc;
    acc = (acc >> 64) | (unsigned __int128) l[3] << 28;
    w[2] = (uint64_t) acc;
    acc = (acc >> 64) | (unsigned __int128) l[4] << 16;
    w[3] = (uint64_t) acc; /* the value is below 2^256: nothing is left in acc >> 64 */
    /* v < 2^255 + 2^208. Fold bit 255 in as 19 (v < 2^255 + 19 after), then subtract p once where v >= p,
     * that is where v + 19 reaches 2^255: then v - p = v + 19 - 2^255. */
    uint64_t top = w[3] >> 63, x[4];
    w[3] &= ~(1ULL << 63);
    add_small(w, w, 19 * top);
    add_small(x, w, 19);
    uint64_t ge = 0 - (x[3] >> 63);
    x[3] &= ~(1ULL << 63);
    for (int i = 0; i < 4; i++) w[i] = (x[i] & ge) | (w[i] & ~ge);
    pl_wipe(x, sizeof x);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t) (w[i] >> (8 * j));
    pl_wipe(w, sizeof w);
}

static IFMA void ladder8(uint8_t out[8][32], const uint8_t k[8][32], const uint8_t u[8][32]) {
    uint64_t limbs[5][8];
    for (int lane = 0; lane < 8; lane++) {
        uint64_t l[5];
        unpack(l, u[lane]);
        for (int i = 0; i < 5; i++) limbs[i][lane] = l[i];
    }
    fe8 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    PL_UNROLL
    for (int i = 0; i < 5; i++) {
        x1.l[i] = _mm512_loadu_si512(limbs[i]);
        x2.l[i] = _mm512_set1_epi64(i == 0);
        z2.l[i] = _mm512_setzero_si512();
        z3.l[i] = _mm512_set1_epi64(i == 0);
    }
    x3 = x1;
    /* Each lane's swap flag, as all-ones or all-zeros masks. */
    v8 swap = _mm512_setzero_si512();
    for (int pos = 254; pos >= 0; pos--) {
        uint64_t bits[8];
        for (int lane = 0; lane < 8; lane++) bits[lane] = 0 - (uint64_t) ((k[lane][pos >> 3] >> (pos & 7)) & 1);
        v8 bit = _mm512_loadu_si512(bits);
        v8 mask = _mm512_xor_si512(swap, bit);
        fe_cswap(&x2, &x3, mask);
        fe_cswap(&z2, &z3, mask);
        swap = bit;
        fe_add(&a, &x2, &z2);
        fe_sq(&aa, &a);
        fe_sub(&b, &x2, &z2);
        fe_sq(&bb, &b);
        fe_sub(&e, &aa, &bb);
        fe_add(&c, &x3, &z3);
        fe_sub(&d, &x3, &z3);
        fe_mul(&da, &d, &a);
        fe_mul(&cb, &c, &b);
        fe_add(&t, &da, &cb);
        fe_sq(&x3, &t);
        fe_sub(&t, &da, &cb);
        fe_sq(&t, &t);
        fe_mul(&z3, &x1, &t);
        fe_mul(&x2, &aa, &bb);
        fe_mul_a24_add(&t, &e, &aa);
        fe_mul(&z2, &e, &t);
    }
    fe_cswap(&x2, &x3, swap);
    fe_cswap(&z2, &z3, swap);
    fe_invert(&t, &z2);
    fe_mul(&x2, &x2, &t);
    PL_UNROLL
    for (int i = 0; i < 5; i++) _mm512_storeu_si512(limbs[i], x2.l[i]);
    for (int lane = 0; lane < 8; lane++) {
        uint64_t l[5];
        for (int i = 0; i < 5; i++) l[i] = limbs[i][lane];
        pack(out[lane], l);
        pl_wipe(l, sizeof l);
    }
    pl_wipe(limbs, sizeof limbs);
    fe8 *secrets[] = {&x2, &z2, &x3, &z3, &a, &aa, &b, &bb, &e, &c, &d, &da, &cb, &t};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) pl_wipe(secrets[i], sizeof(fe8));
}

static int has_ifma(void) {
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

int pl_x25519_many(uint8_t (*shared)[32], int *ok, const uint8_t *scalars, size_t scalar_stride,
                   const uint8_t *points, size_t point_stride, size_t n, int vector) {
    if (n > PL_X25519_LANES || (scalar_stride != 0 && scalar_stride != 32) || (point_stride != 0 && point_stride != 32))
        return -1;
    if (vector && n > 1 && has_ifma()) {
        uint8_t k[PL_X25519_LANES][32], u[PL_X25519_LANES][32], out[PL_X25519_LANES][32];
        for (size_t i = 0; i < PL_X25519_LANES; i++) {
            size_t from = i < n ? i : 0; /* unused lanes repeat the first agreement */
            memcpy(k[i], scalars + scalar_stride * from, 32);
            k[i][0] &= 248;
            k[i][31] &= 127;
            k[i][31] |= 64;
            memcpy(u[i], points + point_stride * from, 32);
        }
        ladder8(out, (const uint8_t (*)[32]) k, (const uint8_t (*)[32]) u);
        for (size_t i = 0; i < n; i++) {
            memcpy(shared[i], out[i], 32);
            ok[i] = !sodium_is_zero(out[i], 32); /* constant time, as libsodium checks its own */
        }
        pl_wipe(out, sizeof out);
        pl_wipe(k, sizeof k);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        ok[i] = crypto_scalarmult_curve25519(shared[i], scalars + scalar_stride * i, points + point_stride * i) == 0;
        if (!ok[i]) memset(shared[i], 0, 32); /* libsodium may leave it unwritten */
    }
    return 0;
}

int pl_x25519_vector_available(void) { return has_ifma(); }
