/*
 * libolm's bare Megolm loop: every message of a history decrypted with olm_group_decrypt, in the order they
 * were sent (each session's messages in increasing index: libolm's best case, no ratchet seeking back).
 * Input: "K <exported session key>" per session, then "M <session number> <ciphertext>" per message.
 * Only the loop is timed (reading, importing and copying the input are not); it prints seconds and count.
 */
#include <olm/olm.h>

#include "common.h"

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE\n", argv[0]); return 2; }
    char *text = read_file(argv[1]);
    size_t cap = 1024, nsessions = 0, nmessages = 0, mcap = 1 << 17;
    OlmInboundGroupSession **sessions = malloc(cap * sizeof *sessions);
    int *owner = malloc(mcap * sizeof *owner);
    char **messages = malloc(mcap * sizeof *messages);
    size_t *lengths = malloc(mcap * sizeof *lengths);
    char *p = text, *word;
    while ((word = next_word(&p)) != NULL) {
        if (strcmp(word, "K") == 0) {
            char *key = next_word(&p);
            if (nsessions == cap) { cap *= 2; sessions = realloc(sessions, cap * sizeof *sessions); }
            OlmInboundGroupSession *s = olm_inbound_group_session(malloc(olm_inbound_group_session_size()));
            if (olm_import_inbound_group_session(s, (const uint8_t *) key, strlen(key)) == olm_error()) {
                fprintf(stderr, "import: %s\n", olm_inbound_group_session_last_error(s));
                return 1;
            }
            sessions[nsessions++] = s;
        } else if (strcmp(word, "M") == 0) {
            int session = atoi(next_word(&p));
            char *ct = next_word(&p);
            if (nmessages == mcap) {
                mcap *= 2;
                owner = realloc(owner, mcap * sizeof *owner);
                messages = realloc(messages, mcap * sizeof *messages);
                lengths = realloc(lengths, mcap * sizeof *lengths);
            }
            owner[nmessages] = session;
            messages[nmessages] = ct;
            lengths[nmessages++] = strlen(ct);
        } else {
            fprintf(stderr, "unexpected word in %s\n", argv[1]);
            return 1;
        }
    }
    /* olm_group_decrypt destroys its input: each message gets a scratch copy, made before the clock starts. */
    char **scratch = malloc(nmessages * sizeof *scratch);
    for (size_t i = 0; i < nmessages; i++) {
        scratch[i] = malloc(lengths[i]);
        memcpy(scratch[i], messages[i], lengths[i]);
    }
    uint8_t plaintext[65536];
    size_t ok = 0;
    double start = now_seconds();
    for (size_t i = 0; i < nmessages; i++) {
        uint32_t index;
        size_t n = olm_group_decrypt(sessions[owner[i]], (uint8_t *) scratch[i], lengths[i], plaintext,
                                     sizeof plaintext, &index);
        if (n != olm_error()) ok++;
    }
    double seconds = now_seconds() - start;
    printf("%.4f %zu %zu\n", seconds, ok, nmessages);
    return ok == nmessages ? 0 : 1;
}
