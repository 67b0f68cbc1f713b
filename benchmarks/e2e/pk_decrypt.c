/*
 * libolm's bare backup loop: every entry of a key backup decrypted with olm_pk_decrypt.
 * Input: "P <private key, hex>", then "E <ephemeral> <mac> <ciphertext>" per entry (unpadded base64).
 * Only the loop is timed (reading and copying the input are not); it prints seconds and count.
 */
#include <olm/pk.h>
#include <olm/olm.h>

#include "common.h"

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE\n", argv[0]); return 2; }
    char *text = read_file(argv[1]);
    char *p = text, *word;
    OlmPkDecryption *d = olm_pk_decryption(malloc(olm_pk_decryption_size()));
    size_t cap = 1 << 16, n = 0;
    char **eph = malloc(cap * sizeof *eph), **mac = malloc(cap * sizeof *mac), **ct = malloc(cap * sizeof *ct);
    while ((word = next_word(&p)) != NULL) {
        if (strcmp(word, "P") == 0) {
            char *hex = next_word(&p);
            uint8_t key[32];
            for (int i = 0; i < 32; i++) sscanf(hex + 2 * i, "%2hhx", &key[i]);
            uint8_t pub[64];
            if (olm_pk_key_from_private(d, pub, olm_pk_key_length(), key, sizeof key) == olm_error()) {
                fprintf(stderr, "key: %s\n", olm_pk_decryption_last_error(d));
                return 1;
            }
        } else if (strcmp(word, "E") == 0) {
            if (n == cap) {
                cap *= 2;
                eph = realloc(eph, cap * sizeof *eph);
                mac = realloc(mac, cap * sizeof *mac);
                ct = realloc(ct, cap * sizeof *ct);
            }
            eph[n] = next_word(&p);
            mac[n] = next_word(&p);
            ct[n++] = next_word(&p);
        } else {
            fprintf(stderr, "unexpected word in %s\n", argv[1]);
            return 1;
        }
    }
    /* olm_pk_decrypt decodes the ciphertext in place; the copies are made before the clock starts. */
    size_t *lengths = malloc(n * sizeof *lengths);
    char **scratch = malloc(n * sizeof *scratch);
    for (size_t i = 0; i < n; i++) {
        lengths[i] = strlen(ct[i]);
        scratch[i] = malloc(lengths[i]);
        memcpy(scratch[i], ct[i], lengths[i]);
    }
    uint8_t plaintext[8192];
    size_t ok = 0;
    double start = now_seconds();
    for (size_t i = 0; i < n; i++) {
        size_t r = olm_pk_decrypt(d, eph[i], strlen(eph[i]), mac[i], strlen(mac[i]), scratch[i], lengths[i],
                                  plaintext, sizeof plaintext);
        if (r != olm_error()) ok++;
    }
    double seconds = now_seconds() - start;
    printf("%.4f %zu %zu\n", seconds, ok, n);
    return ok == n ? 0 : 1;
}
