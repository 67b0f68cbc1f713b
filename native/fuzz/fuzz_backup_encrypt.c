/* Backup encryption, one session and batches with hostile offsets. Input: backup private key (32) |
 * ephemeral private key (32) | layout (1) | data. Properties: one session encrypted with a chosen or a
 * random ephemeral key decrypts back with the backup key and fits panolm_backup_ciphertext_length; a batch whose offsets are taken from the data (decreasing, past the
 * input, past an item's room) is refused whole with a documented status, never followed; an accepted batch,
 * on one thread or two, encrypts every item so that it decrypts back, one by one and as a batch. */
#include "harness.h"

#define MAX_ITEMS 16

static void round_trip(const uint8_t priv[32], const uint8_t eph[32], const uint8_t mac[8], const uint8_t *ct,
                       size_t ct_len, const uint8_t *pt, size_t pt_len) {
    uint8_t *back = malloc(ct_len ? ct_len : 1);
    size_t back_len = 0;
    FUZZ_REQUIRE(panolm_backup_decrypt(priv, eph, mac, ct, ct_len, back, ct_len, &back_len) == PANOLM_OK,
                 "decrypts with the backup key");
    FUZZ_REQUIRE(back_len == pt_len && memcmp(back, pt, pt_len) == 0, "round trip");
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 65) return 0;
    const uint8_t *priv = data, *eph_priv = data + 32;
    uint8_t layout = data[64];
    const uint8_t *rest = data + 65;
    size_t rest_len = size - 65;
    uint8_t pub[32];
    FUZZ_REQUIRE(panolm_x25519_public(priv, pub) == PANOLM_OK, "public key");

    /* One session, chosen ephemeral key. */
    uint8_t *pt = fuzz_copy(rest, rest_len);
    size_t ct_cap = panolm_backup_ciphertext_length(rest_len);
    uint8_t *ct = malloc(ct_cap);
    uint8_t eph[32], mac[8];
    size_t ct_len = 0;
    int rc = panolm_backup_encrypt_with_ephemeral(pub, eph_priv, pt, rest_len, eph, ct, ct_cap, &ct_len, mac);
    FUZZ_REQUIRE(rc == PANOLM_OK, "a public key made from a private key is never low order");
    FUZZ_REQUIRE(ct_len == ct_cap && ct_len % 16 == 0 && ct_len > rest_len, "PKCS#7 length");
    round_trip(priv, eph, mac, ct, ct_len, pt, rest_len);
    FUZZ_REQUIRE(panolm_backup_encrypt_with_ephemeral(pub, eph_priv, pt, rest_len, eph, ct, ct_cap - 1, &ct_len, mac)
                 == PANOLM_OUTPUT_TOO_SMALL, "a short buffer is refused");
    /* Random ephemeral key. */
    FUZZ_REQUIRE(panolm_backup_encrypt(pub, pt, rest_len, eph, ct, ct_cap, &ct_len, mac) == PANOLM_OK, "encrypts");
    round_trip(priv, eph, mac, ct, ct_len, pt, rest_len);
    free(ct);

    /* A batch: item boundaries from the data, plainly (layout bit 0 clear) or hostile (set). */
    size_t count = 1 + (layout >> 1) % MAX_ITEMS;
    uint64_t offsets[MAX_ITEMS + 1], out_offsets[MAX_ITEMS + 1];
    int hostile = layout & 1;
    for (size_t i = 0; i <= count; i++) {
        uint8_t b = i < rest_len ? rest[i] : (uint8_t) i;
        if (hostile) {
            static const uint64_t odd[] = {0, 1, 15, 16, UINT64_MAX, UINT64_MAX - 15, 1ull << 32, 1ull << 63};
            offsets[i] = (b & 8) ? odd[b % 8] : (uint64_t) b * rest_len / 255;
        } else {
            offsets[i] = (uint64_t) i * rest_len / count;
        }
    }
    uint64_t out_total = 0;
    for (size_t i = 0; i < count; i++) {
        out_offsets[i] = out_total;
        uint64_t item = offsets[i + 1] >= offsets[i] ? offsets[i + 1] - offsets[i] : 0;
        out_total += item <= PANOLM_BACKUP_MAX_ITEM_LENGTH ? panolm_backup_ciphertext_length((size_t) item) : 16;
    }
    out_offsets[count] = out_total;
    if (out_total > 1u << 20) return free(pt), 0;   /* a hostile layout that the checks would refuse anyway */
    uint8_t *out = calloc(1, out_total + 1);
    uint64_t lengths[MAX_ITEMS];
    uint8_t ephs[MAX_ITEMS * 32], macs[MAX_ITEMS * 8];
    int32_t statuses[MAX_ITEMS];
    for (uint32_t threads = 1; threads <= 2; threads++) {
        rc = panolm_backup_encrypt_batch(pub, count, pt, rest_len, offsets, out, out_total, out_offsets, lengths,
                                         ephs, macs, statuses, threads);
        if (rc != PANOLM_OK) {
            FUZZ_REQUIRE(hostile, "a plain layout is accepted");
            FUZZ_REQUIRE(rc == PANOLM_INVALID_ARGUMENT || rc == PANOLM_TOO_LARGE || rc == PANOLM_OUTPUT_TOO_SMALL,
                         "a bad layout is refused with a documented status");
            break;
        }
        for (size_t i = 0; i < count; i++) {
            FUZZ_REQUIRE(statuses[i] == PANOLM_OK, "every item of an accepted batch encrypts");
            FUZZ_REQUIRE(lengths[i] == panolm_backup_ciphertext_length(offsets[i + 1] - offsets[i]), "item length");
            round_trip(priv, ephs + 32 * i, macs + 8 * i, out + out_offsets[i], lengths[i], pt + offsets[i],
                       offsets[i + 1] - offsets[i]);
        }
        /* And back as a batch, into slots of the ciphertexts' own offsets. */
        uint64_t ct_offsets[MAX_ITEMS + 1];
        uint64_t at = 0;
        for (size_t i = 0; i < count; i++) {
            memmove(out + at, out + out_offsets[i], lengths[i]);
            ct_offsets[i] = at;
            at += lengths[i];
        }
        ct_offsets[count] = at;
        uint8_t *plain = malloc(at + 1);
        uint64_t plain_lengths[MAX_ITEMS];
        FUZZ_REQUIRE(panolm_backup_decrypt_batch(priv, count, out, at, ct_offsets, ephs, macs, plain, at, plain_lengths,
                                                 statuses, threads) == PANOLM_OK, "decrypt batch runs");
        for (size_t i = 0; i < count; i++) {
            FUZZ_REQUIRE(statuses[i] == PANOLM_OK && plain_lengths[i] == offsets[i + 1] - offsets[i]
                         && memcmp(plain + ct_offsets[i], pt + offsets[i], plain_lengths[i]) == 0, "batch round trip");
        }
        free(plain);
    }
    free(out);
    free(pt);
    return 0;
}
