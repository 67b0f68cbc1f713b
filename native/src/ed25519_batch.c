/* Batch verification of Ed25519 signatures, with the verdicts of libsodium's crypto_sign_verify_detached.
 *
 * VARIABLE TIME, on purpose: everything here is public (signatures, public keys, signed messages, and
 * the random weights, which only need to be unknown to the signer in advance). No secret enters this file.
 *
 * libsodium accepts a signature (R, S) on M under A when S < L, neither R nor A is one of the small-order
 * encodings it lists, A is canonical and decodes, and the encoding of S*B - h*A equals R byte for byte,
 * with h = SHA-512(R | A | M) mod L. For n such signatures the batch checks, with random 128-bit z_i,
 *     sum z_i R_i + sum_A (sum_{i under A} z_i h_i) A - (sum z_i S_i) B = 0
 * in one multi-scalar multiplication (Straus, signed sliding windows), about five times cheaper per
 * signature than one verification. How every input gets libsodium's verdict:
 *  - S >= L: refused, as libsodium does, before anything else.
 *  - R or A in libsodium's small-order list, A not canonical, A not decodable, A with a torsion component
 *    (L*A != 0, checked once per key of a chunk, or once per Megolm session, which caches it): libsodium
 *    verifies them one by one. So every key the batch uses is in the prime-order subgroup.
 *  - R with y >= p, or R with no point: refused (the encoding libsodium compares R with is always the
 *    canonical encoding of a point, so such an R never matches).
 *  - the batch equation fails: bisection down to groups of 8, which libsodium verifies one by one (and all of
 *    a failed group's members when both of its halves fail: forgeries are then dense).
 * The one difference left is the cofactor question. libsodium's single check is cofactorless: it refuses a
 * signature whose R = S*B - h*A + T for a nonzero small-order T. The batch sees sum z_i T_i instead of each
 * T_i, which vanishes with probability at most 1/2 per batch (z_i mod 8 is uniform). Making such a
 * signature needs the discrete logarithm of A (S must match h, which depends on R), so only the holder of
 * the key can make a signature that this accepts and libsodium (sometimes) refuses - and that holder can
 * sign whatever it likes anyway. Honest signers (R = r*B) never produce one. See docs/ed25519-batch.md,
 * section 3.
 *
 * Field arithmetic: radix 2^51 with unsigned __int128 products; limbs of inputs to mul/sq below 2^54. */
#include <sodium.h>
#include <stdlib.h>
#include "ed25519_batch.h"

typedef unsigned __int128 u128;
typedef struct { uint64_t v[5]; } fe;
typedef struct { fe X, Y, Z, T; } ge;                /* extended coordinates, x = X/Z, y = Y/Z, xy = T/Z */
typedef struct { fe YpX, YmX, Z2, T2d; } ge_cached;  /* Y+X, Y-X, 2Z, 2dT: the addend form */

#define MASK51 ((1ULL << 51) - 1)

static const fe FE_D2 = {{0x69b9426b2f159ULL, 0x35050762add7aULL, 0x3cf44c0038052ULL, 0x6738cc7407977ULL,
                          0x2406d9dc56dffULL}};
static const fe FE_D = {{0x34dca135978a3ULL, 0x1a8283b156ebdULL, 0x5e7a26001c029ULL, 0x739c663a03cbbULL,
                         0x52036cee2b6ffULL}};
static const fe FE_SQRTM1 = {{0x61b274a0ea0b0ULL, 0xd5a5fc8f189dULL, 0x7ef5e9cbd0c60ULL, 0x78595a6804c9eULL,
                              0x2b8324804fc1dULL}};

/* The base point's encoding (RFC 8032 §5.1) and the group order
 * L = 2^252 + 27742317777372353535851937790883648493. */
static const uint8_t BASE[32] = {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};
static const uint8_t ORDER[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};

/* libsodium 1.0.18's list (ge25519_has_small_order): compared on the first 255 bits, the sign bit ignored. */
static const uint8_t SMALL_ORDER[7][32] = {
    {0},
    {1},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
     0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
     0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

/* --- Field GF(2^255 - 19) ------------------------------------------------------------------------------ */

static uint64_t load64(const uint8_t *s) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | s[i];
    return v;
}

static void fe_frombytes(fe *h, const uint8_t s[32]) {   /* bit 255 ignored */
    h->v[0] = load64(s) & MASK51;
    h->v[1] = (load64(s + 6) >> 3) & MASK51;
    h->v[2] = (load64(s + 12) >> 6) & MASK51;
    h->v[3] = (load64(s + 19) >> 1) & MASK51;
    h->v[4] = (load64(s + 24) >> 12) & MASK51;
}

static void fe_carry(fe *h) {
    uint64_t c;
    c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
    c = h->v[1] >> 51; h->v[1] &= MASK51; h->v[2] += c;
    c = h->v[2] >> 51; h->v[2] &= MASK51; h->v[3] += c;
    c = h->v[3] >> 51; h->v[3] &= MASK51; h->v[4] += c;
    c = h->v[4] >> 51; h->v[4] &= MASK51; h->v[0] += 19 * c;
}

/* The canonical 32 bytes (fully reduced mod p). */
static void fe_tobytes(uint8_t s[32], const fe *f) {
    fe h = *f;
    fe_carry(&h);
    fe_carry(&h);
    /* h < 2^255 + small now; q = 1 exactly when h >= p. */
    uint64_t q = (h.v[0] + 19) >> 51;
    q = (h.v[1] + q) >> 51;
    q = (h.v[2] + q) >> 51;
    q = (h.v[3] + q) >> 51;
    q = (h.v[4] + q) >> 51;
    h.v[0] += 19 * q;
    uint64_t c;
    c = h.v[0] >> 51; h.v[0] &= MASK51; h.v[1] += c;
    c = h.v[1] >> 51; h.v[1] &= MASK51; h.v[2] += c;
    c = h.v[2] >> 51; h.v[2] &= MASK51; h.v[3] += c;
    c = h.v[3] >> 51; h.v[3] &= MASK51; h.v[4] += c;
    h.v[4] &= MASK51;
    uint64_t w[4] = {h.v[0] | h.v[1] << 51, h.v[1] >> 13 | h.v[2] << 38, h.v[2] >> 26 | h.v[3] << 25,
                     h.v[3] >> 39 | h.v[4] << 12};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++) s[8 * i + b] = (uint8_t) (w[i] >> (8 * b));
}

static void fe_add(fe *h, const fe *a, const fe *b) {   /* not reduced: inputs below 2^53 */
    for (int i = 0; i < 5; i++) h->v[i] = a->v[i] + b->v[i];
}

static void fe_sub(fe *h, const fe *a, const fe *b) {   /* a + 4p - b, reduced: b's limbs below 2^53 - 76 */
    h->v[0] = a->v[0] + 0x1FFFFFFFFFFFB4ULL - b->v[0];
    for (int i = 1; i < 5; i++) h->v[i] = a->v[i] + 0x1FFFFFFFFFFFFCULL - b->v[i];
    fe_carry(h);
}

static void fe_neg(fe *h, const fe *a) {
    static const fe zero = {{0, 0, 0, 0, 0}};
    fe_sub(h, &zero, a);
}

static inline __attribute__((always_inline)) void fe_reduce_wide(fe *h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4) {
    r1 += r0 >> 51;
    r2 += r1 >> 51;
    r3 += r2 >> 51;
    r4 += r3 >> 51;
    u128 c = r4 >> 51;
    uint64_t h0 = (uint64_t) r0 & MASK51;
    u128 t = (u128) h0 + c * 19;
    h->v[0] = (uint64_t) t & MASK51;
    h->v[1] = ((uint64_t) r1 & MASK51) + (uint64_t) (t >> 51);
    h->v[2] = (uint64_t) r2 & MASK51;
    h->v[3] = (uint64_t) r3 & MASK51;
    h->v[4] = (uint64_t) r4 & MASK51;
}

static void fe_mul(fe *h, const fe *f, const fe *g) {
    uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0 = (u128) f0 * g0 + (u128) f1 * g4_19 + (u128) f2 * g3_19 + (u128) f3 * g2_19 + (u128) f4 * g1_19;
    u128 r1 = (u128) f0 * g1 + (u128) f1 * g0 + (u128) f2 * g4_19 + (u128) f3 * g3_19 + (u128) f4 * g2_19;
    u128 r2 = (u128) f0 * g2 + (u128) f1 * g1 + (u128) f2 * g0 + (u128) f3 * g4_19 + (u128) f4 * g3_19;
    u128 r3 = (u128) f0 * g3 + (u128) f1 * g2 + (u128) f2 * g1 + (u128) f3 * g0 + (u128) f4 * g4_19;
    u128 r4 = (u128) f0 * g4 + (u128) f1 * g3 + (u128) f2 * g2 + (u128) f3 * g1 + (u128) f4 * g0;
    fe_reduce_wide(h, r0, r1, r2, r3, r4);
}

static void fe_sq(fe *h, const fe *f) {
    uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0 = (u128) f0 * f0 + (u128) f1_2 * f4_19 + (u128) (2 * f2) * f3_19;
    u128 r1 = (u128) f0_2 * f1 + (u128) (2 * f2) * f4_19 + (u128) f3 * f3_19;
    u128 r2 = (u128) f0_2 * f2 + (u128) f1 * f1 + (u128) (2 * f3) * f4_19;
    u128 r3 = (u128) f0_2 * f3 + (u128) f1_2 * f2 + (u128) f4 * f4_19;
    u128 r4 = (u128) f0_2 * f4 + (u128) f1_2 * f3 + (u128) f2 * f2;
    fe_reduce_wide(h, r0, r1, r2, r3, r4);
}

static void fe_sqn(fe *h, const fe *f, int n) {
    fe_sq(h, f);
    for (int i = 1; i < n; i++) fe_sq(h, h);
}

static int fe_iszero(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++) acc |= s[i];
    return acc == 0;
}

static int fe_isnegative(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    return s[0] & 1;
}

/* z^((p-5)/8) = z^(2^252 - 3). */
static void fe_pow22523(fe *out, const fe *z) {
    fe t0, t1, t2;
    fe_sq(&t0, z);
    fe_sqn(&t1, &t0, 2);
    fe_mul(&t1, z, &t1);
    fe_mul(&t0, &t0, &t1);
    fe_sq(&t0, &t0);
    fe_mul(&t0, &t1, &t0);         /* 2^5 - 1 */
    fe_sqn(&t1, &t0, 5);
    fe_mul(&t0, &t1, &t0);         /* 2^10 - 1 */
    fe_sqn(&t1, &t0, 10);
    fe_mul(&t1, &t1, &t0);         /* 2^20 - 1 */
    fe_sqn(&t2, &t1, 20);
    fe_mul(&t1, &t2, &t1);         /* 2^40 - 1 */
    fe_sqn(&t1, &t1, 10);
    fe_mul(&t0, &t1, &t0);         /* 2^50 - 1 */
    fe_sqn(&t1, &t0, 50);
    fe_mul(&t1, &t1, &t0);         /* 2^100 - 1 */
    fe_sqn(&t2, &t1, 100);
    fe_mul(&t1, &t2, &t1);         /* 2^200 - 1 */
    fe_sqn(&t1, &t1, 50);
    fe_mul(&t0, &t1, &t0);         /* 2^250 - 1 */
    fe_sqn(&t0, &t0, 2);
    fe_mul(out, &t0, z);           /* 2^252 - 3 */
}

/* --- Points ------------------------------------------------------------------------------------------- */

static void ge_identity(ge *h) {
    memset(h, 0, sizeof *h);
    h->Y.v[0] = 1;
    h->Z.v[0] = 1;
}

/* y below p: the same test as libsodium's ge25519_is_canonical (the sign bit is not looked at). */
static int y_canonical(const uint8_t s[32]) {
    if ((s[31] & 0x7f) != 0x7f) return 1;
    for (int i = 30; i > 0; i--)
        if (s[i] != 0xff) return 1;
    return s[0] < 0xed;
}

static int small_order_listed(const uint8_t s[32]) {
    for (int k = 0; k < 7; k++) {
        if (memcmp(s, SMALL_ORDER[k], 31) == 0 && (s[31] & 0x7f) == SMALL_ORDER[k][31]) return 1;
    }
    return 0;
}

/* RFC 8032 §5.1.3 for a canonical y; 0 when no point has that encoding (including x = 0 with sign 1). */
static int ge_decode(ge *h, const uint8_t s[32]) {
    fe u, v, v3, vxx, check;
    fe_frombytes(&h->Y, s);
    memset(&h->Z, 0, sizeof h->Z);
    h->Z.v[0] = 1;
    fe_sq(&u, &h->Y);
    fe_mul(&v, &u, &FE_D);
    fe_sub(&u, &u, &h->Z);         /* u = y^2 - 1 */
    fe_add(&v, &v, &h->Z);         /* v = d y^2 + 1 */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);          /* v^3 */
    fe_sq(&h->X, &v3);
    fe_mul(&h->X, &h->X, &v);
    fe_mul(&h->X, &h->X, &u);      /* u v^7 */
    fe_pow22523(&h->X, &h->X);
    fe_mul(&h->X, &h->X, &v3);
    fe_mul(&h->X, &h->X, &u);      /* x = u v^3 (u v^7)^((p-5)/8) */
    fe_sq(&vxx, &h->X);
    fe_mul(&vxx, &vxx, &v);
    fe_sub(&check, &vxx, &u);
    if (!fe_iszero(&check)) {
        fe_add(&check, &vxx, &u);
        if (!fe_iszero(&check)) return 0;
        fe_mul(&h->X, &h->X, &FE_SQRTM1);
    }
    int sign = s[31] >> 7;
    if (fe_iszero(&h->X) && sign) return 0;
    if (fe_isnegative(&h->X) != sign) fe_neg(&h->X, &h->X);
    fe_mul(&h->T, &h->X, &h->Y);
    return 1;
}

static void ge_to_cached(ge_cached *c, const ge *p) {
    fe_add(&c->YpX, &p->Y, &p->X);
    fe_sub(&c->YmX, &p->Y, &p->X);
    fe_add(&c->Z2, &p->Z, &p->Z);
    fe_mul(&c->T2d, &p->T, &FE_D2);
}

/* r = p + q, or p - q when negate (add-2008-hwcd-3, a = -1). */
static void ge_add(ge *r, const ge *p, const ge_cached *q, int negate) {
    fe a, b, c, d, e, f, g, h, t;
    fe_sub(&t, &p->Y, &p->X);
    fe_mul(&a, &t, negate ? &q->YpX : &q->YmX);
    fe_add(&t, &p->Y, &p->X);
    fe_mul(&b, &t, negate ? &q->YmX : &q->YpX);
    fe_mul(&c, &p->T, &q->T2d);
    fe_mul(&d, &p->Z, &q->Z2);
    fe_sub(&e, &b, &a);
    fe_add(&h, &b, &a);
    if (negate) {
        fe_add(&f, &d, &c);
        fe_sub(&g, &d, &c);
    } else {
        fe_sub(&f, &d, &c);
        fe_add(&g, &d, &c);
    }
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

/* r = 2p (dbl-2008-hwcd, a = -1). */
static void ge_dbl(ge *r, const ge *p) {
    fe a, b, c, e, f, g, h, t;
    fe_sq(&a, &p->X);
    fe_sq(&b, &p->Y);
    fe_sq(&c, &p->Z);
    fe_add(&c, &c, &c);
    fe_add(&h, &a, &b);            /* A + B */
    fe_add(&t, &p->X, &p->Y);
    fe_sq(&t, &t);
    fe_sub(&e, &t, &h);            /* E = (X+Y)^2 - A - B */
    fe_sub(&g, &b, &a);            /* G = -A + B */
    fe_sub(&f, &g, &c);            /* F = G - C */
    fe_neg(&h, &h);                /* H = -A - B */
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

static int ge_is_identity(const ge *p) {
    fe t;
    fe_sub(&t, &p->Y, &p->Z);
    return fe_iszero(&p->X) && fe_iszero(&t);
}

/* --- Multi-scalar multiplication ------------------------------------------------------------------------ */

#define TABLE 8   /* odd multiples P, 3P, ..., 15P: signed digits in [-15, 15] */

static void table_of(ge_cached table[TABLE], const ge *p) {
    ge p2, acc = *p;
    ge_dbl(&p2, p);
    ge_cached c2;
    ge_to_cached(&c2, &p2);
    ge_to_cached(&table[0], p);
    for (int i = 1; i < TABLE; i++) {
        ge_add(&acc, &acc, &c2, 0);
        ge_to_cached(&table[i], &acc);
    }
}

/* Signed digits of a scalar below 2^253 in width-5 non-adjacent form: odd digits in [-15, 15], at least four
 * zeros after each, sum r[i] 2^i = a. One pass over the bits, a digit at a time: an odd window (the next five
 * bits plus what the digit below carried) becomes the digit itself, or the digit minus 32 carrying one into
 * the bits above it. About ten times cheaper than a bit-by-bit sliding window, with digits as sparse. */
void pl_ed25519_naf5(int8_t r[256], const uint8_t a[32]) {
    const uint64_t x[5] = {load64(a), load64(a + 8), load64(a + 16), load64(a + 24), 0};
    for (int i = 0; i < 256; i++) r[i] = 0;
    unsigned carry = 0;
    int i = 0;
    while (i < 256) {
        int limb = i >> 6, bit = i & 63;
        uint64_t bits = x[limb] >> bit;
        if (bit > 59) bits |= x[limb + 1] << (64 - bit); /* the window runs into the next limb */
        unsigned w = carry + (unsigned) (bits & 31);
        if ((w & 1) == 0) { /* a zero digit: the carry, if any, moves up with the position */
            i++;
            continue;
        }
        if (w < 16) {
            r[i] = (int8_t) w;
            carry = 0;
        } else {
            r[i] = (int8_t) ((int) w - 32);
            carry = 1;
        }
        i += 5;
    }
}

/* sum of digits[k] * tables[k] over the listed terms; returns whether the sum is the identity. */
static int msm_is_identity(const ge_cached *const *tables, const int8_t *const *digits, size_t terms) {
    int top = -1;
    for (size_t k = 0; k < terms && top < 255; k++)
        for (int i = 255; i > top; i--)
            if (digits[k][i]) { top = i; break; }
    ge q;
    ge_identity(&q);
    for (int i = top; i >= 0; i--) {
        ge_dbl(&q, &q);
        for (size_t k = 0; k < terms; k++) {
            int d = digits[k][i];
            if (d > 0) ge_add(&q, &q, &tables[k][d >> 1], 0);
            else if (d < 0) ge_add(&q, &q, &tables[k][(-d) >> 1], 1);
        }
    }
    return ge_is_identity(&q);
}

/* --- Verification ---------------------------------------------------------------------------------------- */

void pl_ed25519_verify_each(const pl_ed25519_input *in, size_t n, uint8_t *ok) {
    for (size_t i = 0; i < n; i++)
        ok[i] = crypto_sign_verify_detached(in[i].signature, in[i].message, in[i].length, in[i].public_key) == 0;
}

static int scalar_canonical(const uint8_t s[32]) {
    for (int i = 31; i >= 0; i--)
        if (s[i] != ORDER[i]) return s[i] < ORDER[i];
    return 0;
}

/* Per distinct key of a chunk: its table and whether the batch may use it. */
typedef struct {
    const uint8_t *bytes;
    int usable;
    ge_cached table[TABLE];
    uint8_t scalar[32];
    int8_t digits[256];
} key_entry;

/* Per signature of a chunk that the batch judges. */
typedef struct {
    size_t position;            /* in the caller's input */
    uint32_t key;               /* its key_entry */
    uint8_t zh[32];             /* z h mod L */
    uint8_t zs[32];             /* z S mod L */
    ge_cached table[TABLE];     /* of R */
    int8_t digits[256];         /* of z */
} sig_entry;

typedef struct {
    const pl_ed25519_input *in;
    uint8_t *ok;
    key_entry *keys;
    size_t key_count;
    sig_entry *sigs;
    ge_cached base[TABLE];
    /* scratch for one equation: the terms' tables and digits */
    const ge_cached **tables;
    const int8_t **digits;
    int8_t base_digits[256];
} chunk_state;

/* The batch equation over sigs[from, to): holds, or not. */
static int equation_holds(chunk_state *c, size_t from, size_t to) {
    uint8_t sum_s[32] = {0}, neg[32];
    for (size_t k = 0; k < c->key_count; k++) memset(c->keys[k].scalar, 0, 32);
    size_t terms = 0;
    for (size_t i = from; i < to; i++) {
        sig_entry *s = &c->sigs[i];
        crypto_core_ed25519_scalar_add(sum_s, sum_s, s->zs);
        key_entry *k = &c->keys[s->key];
        crypto_core_ed25519_scalar_add(k->scalar, k->scalar, s->zh);
        c->tables[terms] = s->table;
        c->digits[terms] = s->digits;
        terms++;
    }
    crypto_core_ed25519_scalar_negate(neg, sum_s);
    pl_ed25519_naf5(c->base_digits, neg);
    c->tables[terms] = c->base;
    c->digits[terms] = c->base_digits;
    terms++;
    static const uint8_t zero[32];
    for (size_t k = 0; k < c->key_count; k++) {
        if (!c->keys[k].usable || memcmp(c->keys[k].scalar, zero, 32) == 0) continue;
        pl_ed25519_naf5(c->keys[k].digits, c->keys[k].scalar);
        c->tables[terms] = c->keys[k].table;
        c->digits[terms] = c->keys[k].digits;
        terms++;
    }
    return msm_is_identity(c->tables, c->digits, terms);
}

static void single_each(chunk_state *c, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        const pl_ed25519_input *x = &c->in[c->sigs[i].position];
        c->ok[c->sigs[i].position] =
            crypto_sign_verify_detached(x->signature, x->message, x->length, x->public_key) == 0;
    }
}

static void accept_all(chunk_state *c, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) c->ok[c->sigs[i].position] = 1;
}

/* The verdicts of sigs[from, to), whose equation failed. An equation costs about two single verifications
 * whatever its size (its 253 doublings), so: groups of 8 or fewer are verified one by one, and when both
 * halves fail too the failures are dense and both halves are verified one by one. A chunk full of forgeries
 * then costs three equations more than libsodium alone (about 10 %), and a lone forgery about seven. */
static void judge_failed(chunk_state *c, size_t from, size_t to) {
    if (to - from <= 8) {
        single_each(c, from, to);
        return;
    }
    size_t mid = from + (to - from) / 2;
    int low = equation_holds(c, from, mid), high = equation_holds(c, mid, to);
    if (!low && !high) {
        single_each(c, from, to);
        return;
    }
    if (low) accept_all(c, from, mid);
    else judge_failed(c, from, mid);
    if (high) accept_all(c, mid, to);
    else judge_failed(c, mid, to);
}

static void judge(chunk_state *c, size_t n) {
    if (n == 1) single_each(c, 0, 1);   /* one signature: libsodium is as fast */
    else if (equation_holds(c, 0, n)) accept_all(c, 0, n);
    else judge_failed(c, 0, n);
}

/* The key's entry in the chunk, made (decoded, checked, tabled) on first use; the subgroup check is skipped
 * when the key's holder cached its outcome (the checks only depend on the key's bytes). */
static uint32_t key_of(chunk_state *c, const uint8_t *pk, atomic_int *cache) {
    for (size_t k = c->key_count; k > 0; k--)
        if (memcmp(c->keys[k - 1].bytes, pk, 32) == 0) return (uint32_t) (k - 1);
    key_entry *e = &c->keys[c->key_count];
    e->bytes = pk;
    e->usable = 0;
    int known = cache != NULL ? atomic_load_explicit(cache, memory_order_relaxed) : PL_ED25519_KEY_UNKNOWN;
    ge a;
    if (known != PL_ED25519_KEY_SINGLE && y_canonical(pk) && !small_order_listed(pk) && ge_decode(&a, pk)) {
        table_of(e->table, &a);
        if (known == PL_ED25519_KEY_USABLE) {
            e->usable = 1;
        } else {
            /* Only keys in the prime-order subgroup (L*A = 0): a torsion component would make the batch's
             * verdict differ from the cofactorless single check. */
            int8_t digits[256];
            pl_ed25519_naf5(digits, ORDER);
            const ge_cached *t[1] = {e->table};
            const int8_t *d[1] = {digits};
            e->usable = msm_is_identity(t, d, 1);
        }
    }
    if (cache != NULL && known == PL_ED25519_KEY_UNKNOWN)
        atomic_store_explicit(cache, e->usable ? PL_ED25519_KEY_USABLE : PL_ED25519_KEY_SINGLE, memory_order_relaxed);
    return (uint32_t) c->key_count++;
}

static void verify_chunk(chunk_state *c, const pl_ed25519_input *in, size_t n) {
    uint8_t z[PL_ED25519_CHUNK][16];
    randombytes_buf(z, sizeof z);
    c->key_count = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const pl_ed25519_input *x = &in[i];
        const uint8_t *r = x->signature, *s = x->signature + 32;
        c->ok[i] = 0;
        if (!scalar_canonical(s)) continue;                       /* libsodium refuses S >= L first */
        uint32_t key = key_of(c, x->public_key, x->key_state);
        if (!c->keys[key].usable || small_order_listed(r)) {      /* libsodium judges these itself */
            c->ok[i] = crypto_sign_verify_detached(x->signature, x->message, x->length, x->public_key) == 0;
            continue;
        }
        ge point;
        if (!y_canonical(r) || !ge_decode(&point, r)) continue;   /* never the encoding of S*B - h*A */
        sig_entry *e = &c->sigs[m++];
        e->position = i;
        e->key = key;
        table_of(e->table, &point);
        uint8_t wide[64], h[32], zz[32] = {0};
        crypto_hash_sha512_state st;
        crypto_hash_sha512_init(&st);
        crypto_hash_sha512_update(&st, r, 32);
        crypto_hash_sha512_update(&st, x->public_key, 32);
        crypto_hash_sha512_update(&st, x->message, x->length);
        crypto_hash_sha512_final(&st, wide);
        crypto_core_ed25519_scalar_reduce(h, wide);
        memcpy(zz, z[i], 16);
        crypto_core_ed25519_scalar_mul(e->zh, zz, h);
        crypto_core_ed25519_scalar_mul(e->zs, zz, s);
        pl_ed25519_naf5(e->digits, zz);
    }
    if (m > 0) judge(c, m);
}

void pl_ed25519_verify_batch(const pl_ed25519_input *in, size_t n, uint8_t *ok) {
    chunk_state c;
    c.keys = malloc(PL_ED25519_CHUNK * sizeof *c.keys);
    c.sigs = malloc(PL_ED25519_CHUNK * sizeof *c.sigs);
    c.tables = malloc((2 * PL_ED25519_CHUNK + 1) * sizeof *c.tables);
    c.digits = malloc((2 * PL_ED25519_CHUNK + 1) * sizeof *c.digits);
    ge base;
    if (c.keys == NULL || c.sigs == NULL || c.tables == NULL || c.digits == NULL || !ge_decode(&base, BASE)) {
        pl_ed25519_verify_each(in, n, ok);   /* out of memory: the same verdicts, one by one */
    } else {
        table_of(c.base, &base);
        for (size_t start = 0; start < n; start += PL_ED25519_CHUNK) {
            size_t len = n - start < PL_ED25519_CHUNK ? n - start : PL_ED25519_CHUNK;
            c.in = in + start;
            c.ok = ok + start;
            verify_chunk(&c, in + start, len);
        }
    }
    free(c.keys);
    free(c.sigs);
    free(c.tables);
    free(c.digits);
}

int32_t panolm_ed25519_verify_batch(const uint8_t *keys32, const uint8_t *signatures64, const uint8_t *messages,
                                    size_t messages_len, const uint64_t *message_ends, size_t count,
                                    int32_t *verdicts, uint32_t mode) {
    PL_CHECK((keys32 != NULL && signatures64 != NULL && message_ends != NULL && verdicts != NULL) || count == 0,
             PANOLM_INVALID_ARGUMENT);
    PL_CHECK(messages != NULL || messages_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(mode == PANOLM_ED25519_BATCH || mode == PANOLM_ED25519_EACH, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(count <= (size_t) INT32_MAX, PANOLM_TOO_LARGE);
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    if (count == 0) return PANOLM_OK;
    static const uint8_t empty = 0;
    pl_ed25519_input *in = malloc(count * sizeof *in);
    uint8_t *ok = malloc(count);
    uint8_t *fixed = malloc(count * 96);   /* private copies of keys and signatures */
    size_t *where = malloc(count * sizeof *where);
    if (in == NULL || ok == NULL || fixed == NULL || where == NULL) {
        free(in);
        free(ok);
        free(fixed);
        free(where);
        return PANOLM_INTERNAL;
    }
    size_t n = 0;
    uint64_t previous = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t end = message_ends[i];   /* read once */
        if (end < previous || end > messages_len) {
            verdicts[i] = PANOLM_INVALID_ARGUMENT;
            continue;
        }
        memcpy(fixed + 96 * n, keys32 + 32 * i, 32);
        memcpy(fixed + 96 * n + 32, signatures64 + 64 * i, 64);
        in[n].public_key = fixed + 96 * n;
        in[n].signature = fixed + 96 * n + 32;
        in[n].message = end > previous ? messages + previous : &empty;
        in[n].length = (size_t) (end - previous);
        in[n].key_state = NULL;
        where[n++] = i;
        previous = end;
    }
    if (mode == PANOLM_ED25519_BATCH) pl_ed25519_verify_batch(in, n, ok);
    else pl_ed25519_verify_each(in, n, ok);
    for (size_t k = 0; k < n; k++) verdicts[where[k]] = ok[k] ? PANOLM_OK : PANOLM_BAD_SIGNATURE;
    free(in);
    free(ok);
    free(fixed);
    free(where);
    return PANOLM_OK;
}
