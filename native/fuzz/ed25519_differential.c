/* A long differential run of batch Ed25519 verification against libsodium's single verification, in C so that
 * millions of signatures take minutes (Ed25519BatchDifferentialTest is the same comparison in the test suite).
 * Batches of 1..300 signatures under one key or many, with bad ones of every kind at random positions: bit
 * flips in R, S, key or message, S + L, small-order R and keys (libsodium's list, both sign bits), mixed-order
 * keys and torsion R signed by the key's holder, keys and R with y >= p or off the curve. Every verdict must be
 * libsodium's, except that a torsion R only needs libsodium to refuse it (docs/ed25519-batch.md, section 3).
 * Prints the counts per kind; exits 1 on any disagreement.
 * Build and run from the repository root (links the library's sources with the system's libsodium):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -DPANOLM_VERSION='"dev"' -Inative/include -Inative/src \
 *      native/fuzz/ed25519_differential.c native/src/ed25519_batch.c native/src/util.c -lsodium -lcrypto \
 *      -o /tmp/ed25519_differential
 *   /tmp/ed25519_differential 2000000 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include "ed25519_batch.h"
#include "ed25519_signer.h"

enum { VALID, FLIP_R, FLIP_S, FLIP_KEY, FLIP_MESSAGE, S_PLUS_L, SMALL_R, SMALL_KEY, MIXED_KEY, TORSION_R,
       NONCANONICAL_KEY, NONCANONICAL_R, OFF_CURVE_R, OFF_CURVE_KEY, KINDS };
static const char *NAMES[KINDS] = {"valid", "flip R", "flip S", "flip key", "flip message", "S + L",
                                   "small-order R", "small-order key", "mixed-order key", "torsion R",
                                   "y >= p key", "y >= p R", "R off curve", "key off curve"};

static const uint8_t L_BYTES[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
                                    0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
#define SIGNERS 16
#define MAX_BATCH 300
#define MSG 96

static uint8_t seeds[SIGNERS][32], pks[SIGNERS][32], sks[SIGNERS][64];
static uint8_t torsion_points[8][32];   /* k times the order-8 point; [0] unused */

/* A small-order point's encoding, with either sign bit, or as y + p when that is below 2^255 (y = 0, 1). */
static void small_order(uint8_t out[32]) {
    unsigned k = randombytes_uniform(8);
    if (k == 0) {
        memset(out, 0, 32);
        out[0] = 1;   /* the identity */
    } else {
        memcpy(out, torsion_points[k], 32);
    }
    if (randombytes_uniform(2)) out[31] ^= 0x80;
}

static void non_canonical(uint8_t out[32]) {   /* y = p + k, k < 19 */
    memset(out, 0xff, 32);
    out[0] = (uint8_t) (0xed + randombytes_uniform(19));
    out[31] = randombytes_uniform(2) ? 0xff : 0x7f;
}

static void off_curve(uint8_t out[32]) {
    uint8_t p[32];
    do {
        randombytes_buf(out, 32);
        out[31] &= 0x7f;
        memcpy(p, out, 32);
    } while (crypto_core_ed25519_is_valid_point(p) || out[31] == 0x7f);
    /* is_valid_point also refuses points outside the prime-order group; those are rare enough to keep */
    if (randombytes_uniform(2)) out[31] |= 0x80;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) return 2;
    unsigned long long total = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
    for (int i = 0; i < SIGNERS; i++) {
        randombytes_buf(seeds[i], 32);
        crypto_sign_seed_keypair(pks[i], sks[i], seeds[i]);
    }
    for (unsigned k = 1; k < 8; k++) ed25519_torsion(torsion_points[k], k);

    static uint8_t keys[MAX_BATCH][32], sigs[MAX_BATCH][64], msgs[MAX_BATCH][MSG];
    static int kinds[MAX_BATCH];
    static pl_ed25519_input in[MAX_BATCH];
    static uint8_t single[MAX_BATCH], batch[MAX_BATCH];
    unsigned long long seen[KINDS][3] = {{0}};   /* cases, libsodium accepted, torsion R accepted by the batch */
    unsigned long long done = 0, disagreements = 0, size = 1;
    while (done < total) {
        size_t n = size <= MAX_BATCH ? (size_t) size++ : 1 + randombytes_uniform(MAX_BATCH);
        int one_key = randombytes_uniform(2), main_signer = (int) randombytes_uniform(SIGNERS);
        unsigned bad_per_mille = randombytes_uniform(4) == 0 ? 0 : randombytes_uniform(300);
        for (size_t i = 0; i < n; i++) {
            int who = one_key && randombytes_uniform(10) ? main_signer : (int) randombytes_uniform(SIGNERS);
            size_t len = randombytes_uniform(MSG + 1);
            uint8_t *m = msgs[i], *k = keys[i], *s = sigs[i];
            randombytes_buf(m, len);
            memcpy(k, pks[who], 32);
            crypto_sign_detached(s, NULL, m, len, sks[who]);
            int kind = randombytes_uniform(1000) < bad_per_mille ? 1 + (int) randombytes_uniform(KINDS - 1) : VALID;
            uint8_t r[32], rpoint[32], t[32];
            switch (kind) {
            case FLIP_R: s[randombytes_uniform(32)] ^= (uint8_t) (1u << randombytes_uniform(8)); break;
            case FLIP_S: s[32 + randombytes_uniform(32)] ^= (uint8_t) (1u << randombytes_uniform(8)); break;
            case FLIP_KEY: k[randombytes_uniform(32)] ^= (uint8_t) (1u << randombytes_uniform(8)); break;
            case FLIP_MESSAGE:
                if (len == 0) len = 1, m[0] = 0;
                m[randombytes_uniform((uint32_t) len)] ^= (uint8_t) (1u << randombytes_uniform(8));
                break;
            case S_PLUS_L: {
                unsigned carry = 0;
                for (int b = 0; b < 32; b++) {
                    unsigned v = s[32 + b] + L_BYTES[b] + carry;
                    s[32 + b] = (uint8_t) v;
                    carry = v >> 8;
                }
                break;
            }
            case SMALL_R: small_order(s); break;
            case SMALL_KEY: small_order(k); break;
            case MIXED_KEY:
            case TORSION_R:
                memcpy(t, torsion_points[1 + randombytes_uniform(7)], 32);
                ed25519_nonce(seeds[who], m, len, r, rpoint);
                if (kind == MIXED_KEY) {
                    if (crypto_core_ed25519_add(k, k, t) != 0) abort();
                } else if (crypto_core_ed25519_add(rpoint, rpoint, t) != 0) {
                    abort();
                }
                memcpy(s, rpoint, 32);
                ed25519_resign(seeds[who], r, rpoint, k, m, len, s + 32);
                break;
            case NONCANONICAL_KEY: non_canonical(k); break;
            case NONCANONICAL_R: non_canonical(s); break;
            case OFF_CURVE_R: off_curve(s); break;
            case OFF_CURVE_KEY: off_curve(k); break;
            default: break;
            }
            kinds[i] = kind;
            in[i].message = m;
            in[i].length = len;
            in[i].signature = s;
            in[i].public_key = k;
        }
        pl_ed25519_verify_each(in, n, single);
        pl_ed25519_verify_batch(in, n, batch);
        for (size_t i = 0; i < n; i++) {
            seen[kinds[i]][0]++;
            seen[kinds[i]][1] += single[i];
            if (kinds[i] == TORSION_R) {
                seen[kinds[i]][2] += batch[i];
                if (single[i]) disagreements++, fprintf(stderr, "libsodium accepted a torsion R\n");
            } else if (single[i] != batch[i]) {
                disagreements++;
                fprintf(stderr, "disagreement: kind %s, position %zu of %zu, libsodium %d, batch %d\n",
                        NAMES[kinds[i]], i, n, single[i], batch[i]);
            }
        }
        done += n;
    }
    printf("%llu signatures, %llu disagreements; per kind: cases, accepted by libsodium (torsion R: accepted by the "
           "batch)\n", done, disagreements);
    for (int k = 0; k < KINDS; k++) {
        printf("  %-16s %10llu %10llu", NAMES[k], seen[k][0], seen[k][1]);
        if (k == TORSION_R) printf("  (batch accepted %llu)", seen[k][2]);
        printf("\n");
    }
    return disagreements == 0 ? 0 : 1;
}
