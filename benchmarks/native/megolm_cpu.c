/* CPU time per message of Megolm batch decryption, which a loaded machine distorts far less than wall time:
 * one session of N messages of 256 B (event and room ids included), decrypted in one batch on T threads
 * with fresh inbound sessions each repetition; reports process CPU time per message and wall time per batch,
 * beside the single-decryption path (panolm_megolm_inbound_decrypt: libsodium's single verification).
 * Build and run from the repository root after `make -C native LINK=dynamic`:
 *   cc -O2 -Inative/include benchmarks/native/megolm_cpu.c \
 *      -Lnative/target/classes/org/panolm/native/linux-x86_64 -lpanolm -o /tmp/megolm_cpu
 *   LD_LIBRARY_PATH=native/target/classes/org/panolm/native/linux-x86_64 /tmp/megolm_cpu 100000 1 2 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "panolm.h"

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    if (panolm_init() != PANOLM_OK || n == 0) return 1;
    static const char room[] = "!room:example.org";
    panolm_megolm_outbound *out = NULL;
    uint8_t key[PANOLM_MEGOLM_SESSION_KEY_LENGTH];
    if (panolm_megolm_outbound_new(&out) != PANOLM_OK || panolm_megolm_outbound_session_key(out, key) != PANOLM_OK)
        return 1;
    char plaintext[257];
    size_t ct_len = panolm_megolm_encrypted_length(256);
    size_t stride = ct_len + 16 + sizeof room;
    uint8_t *input = malloc(n * stride);
    panolm_megolm_batch_message *msgs = calloc(n, sizeof *msgs);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(plaintext, sizeof plaintext, "{\"room_id\":\"%s\",\"body\":\"%zu", room, i);
        memset(plaintext + k, 'a', 256 - k - 2);
        memcpy(plaintext + 254, "\"}", 2);
        size_t len = 0;
        if (panolm_megolm_outbound_encrypt(out, (uint8_t *) plaintext, 256, input + used, ct_len, &len) != PANOLM_OK)
            return 1;
        msgs[i].ciphertext_offset = used;
        msgs[i].ciphertext_length = (uint32_t) len;
        used += len;
        int e = snprintf((char *) input + used, 16, "$e%zu", i);
        msgs[i].event_id_offset = used;
        msgs[i].event_id_length = (uint32_t) e;
        used += (size_t) e;
        memcpy(input + used, room, sizeof room - 1);
        msgs[i].room_id_offset = used;
        msgs[i].room_id_length = sizeof room - 1;
        used += sizeof room - 1;
        msgs[i].session = 0;
    }
    size_t cap = panolm_megolm_batch_output_length(msgs, n);
    uint8_t *output = malloc(cap);
    panolm_megolm_batch_result *res = malloc(n * sizeof *res);
    for (int a = 2; a < argc || a == 2; a++) {
        uint32_t threads = argc > a ? (uint32_t) atoi(argv[a]) : 1;
        for (int rep = 0; rep < 3; rep++) {
            panolm_megolm_inbound *in = NULL;
            if (panolm_megolm_inbound_from_session_key(key, sizeof key, &in) != PANOLM_OK) return 1;
            double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
            if (panolm_megolm_batch_decrypt(&in, 1, input, used, msgs, n, output, cap, res, threads) != PANOLM_OK)
                return 1;
            double c1 = seconds(CLOCK_PROCESS_CPUTIME_ID), w1 = seconds(CLOCK_MONOTONIC);
            size_t ok = 0;
            for (size_t i = 0; i < n; i++) ok += res[i].status == PANOLM_OK;
            printf("batch  threads=%u  %zu/%zu ok  cpu %.2f us/message  wall %.3f s/batch\n", threads, ok, n,
                   (c1 - c0) * 1e6 / (double) n, w1 - w0);
            panolm_megolm_inbound_free(in);
        }
    }
    /* The single path on a tenth of the messages (it is slower), fresh session, in order. */
    panolm_megolm_inbound *in = NULL;
    if (panolm_megolm_inbound_from_session_key(key, sizeof key, &in) != PANOLM_OK) return 1;
    size_t m = n / 10 ? n / 10 : 1;
    double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t i = 0; i < m; i++) {
        size_t pt = 0;
        uint32_t index = 0;
        if (panolm_megolm_inbound_decrypt(in, input + msgs[i].ciphertext_offset, msgs[i].ciphertext_length,
                                          input + msgs[i].event_id_offset, msgs[i].event_id_length,
                                          input + msgs[i].room_id_offset, msgs[i].room_id_length, output, cap, &pt,
                                          &index) != PANOLM_OK) return 1;
    }
    double c1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    printf("single (libsodium verification)  cpu %.2f us/message over %zu\n", (c1 - c0) * 1e6 / (double) m, m);
    panolm_megolm_inbound_free(in);
    panolm_megolm_outbound_free(out);
    return 0;
}
