/* AES-256-CBC with strict PKCS#7 and AES-256-CTR, on OpenSSL EVP (AES-NI). The ciphers are fetched
 * once and each thread keeps one cipher context: both cost more than a 256-byte block run. */
#include <pthread.h>
#include <openssl/evp.h>
#include "common.h"

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *cbc_cipher;
static EVP_CIPHER *ctr_cipher;
static pthread_key_t ctx_key;

static void free_ctx(void *ctx) { EVP_CIPHER_CTX_free(ctx); }

static void fetch(void) {
    cbc_cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    ctr_cipher = EVP_CIPHER_fetch(NULL, "AES-256-CTR", NULL);
    pthread_key_create(&ctx_key, free_ctx);
}

static EVP_CIPHER_CTX *thread_ctx(void) {
    pthread_once(&fetch_once, fetch);
    if (cbc_cipher == NULL || ctr_cipher == NULL) return NULL;
    EVP_CIPHER_CTX *ctx = pthread_getspecific(ctx_key);
    if (ctx == NULL) {
        ctx = EVP_CIPHER_CTX_new();
        if (ctx == NULL || pthread_setspecific(ctx_key, ctx) != 0) { EVP_CIPHER_CTX_free(ctx); return NULL; }
    }
    return ctx;
}

enum mode { CBC, CTR };

/* Runs the cipher over whole input; the context is reset afterwards so no key schedule lingers. The
 * cipher is picked only after thread_ctx() has fetched it: passing the pointer in would read it before
 * the first fetch (found by fuzzing: the first CBC decryption of a process failed as INTERNAL). */
static int run(enum mode mode, int enc, int pad, const uint8_t key[32], const uint8_t iv[16],
               const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len) {
    EVP_CIPHER_CTX *ctx = thread_ctx();
    if (ctx == NULL) return PANOLM_INTERNAL;
    EVP_CIPHER *cipher = mode == CBC ? cbc_cipher : ctr_cipher;
    int ok = EVP_CipherInit_ex2(ctx, cipher, key, iv, enc, NULL) == 1;
    if (ok) ok = EVP_CIPHER_CTX_set_padding(ctx, pad) == 1;
    int l1 = 0, l2 = 0;
    size_t in_done = 0, out_done = 0;
    while (ok && in_done < in_len) {
        /* EVP lengths are int: feed at most 1 GiB per update. */
        size_t chunk = in_len - in_done > (1u << 30) ? (1u << 30) : in_len - in_done;
        ok = EVP_CipherUpdate(ctx, out + out_done, &l1, in + in_done, (int) chunk) == 1;
        in_done += chunk;
        out_done += (size_t) l1;
    }
    if (ok) ok = EVP_CipherFinal_ex(ctx, out + out_done, &l2) == 1;
    EVP_CIPHER_CTX_reset(ctx);
    if (!ok) return PANOLM_INTERNAL;
    *out_len = out_done + (size_t) l2;
    return PANOLM_OK;
}

int pl_cbc_encrypt(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t in_len,
                   uint8_t *out, size_t out_cap, size_t *out_len) {
    size_t total = in_len - in_len % 16 + 16;
    if (out_cap < total) return PANOLM_OUTPUT_TOO_SMALL;
    if (thread_ctx() == NULL) return PANOLM_INTERNAL;
    size_t n = 0;
    int rc = run(CBC, 1, 1, key, iv, in, in_len, out, &n);
    if (rc != PANOLM_OK || n != total) { pl_wipe(out, total); return PANOLM_INTERNAL; }
    *out_len = n;
    return PANOLM_OK;
}

int pl_cbc_decrypt(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t in_len,
                   uint8_t *out, size_t out_cap, size_t *out_len) {
    if (in_len == 0 || in_len % 16 != 0) return PANOLM_BAD_PADDING;
    if (out_cap < in_len) return PANOLM_OUTPUT_TOO_SMALL;
    size_t n = 0;
    int rc = run(CBC, 0, 0, key, iv, in, in_len, out, &n);
    if (rc != PANOLM_OK) return rc;
    /* Strict PKCS#7, without branching on the secret padding bytes. */
    uint8_t pad = out[in_len - 1];
    unsigned bad = (unsigned) (pad == 0) | (unsigned) (pad > 16);
    for (size_t i = 1; i <= 16; i++) {
        unsigned in_pad = (unsigned) (i <= pad);
        bad |= in_pad & (unsigned) (out[in_len - i] != pad);
    }
    if (bad) { pl_wipe(out, in_len); return PANOLM_BAD_PADDING; }
    *out_len = in_len - pad;
    return PANOLM_OK;
}

int pl_ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out) {
    size_t n = 0;
    if (len == 0) return PANOLM_OK;
    if (thread_ctx() == NULL) return PANOLM_INTERNAL;
    return run(CTR, 1, 0, key, iv, in, len, out, &n);
}

size_t panolm_aes256_cbc_ciphertext_length(size_t plaintext_len) {
    return plaintext_len - plaintext_len % 16 + 16;
}

int32_t panolm_aes256_cbc_encrypt(const uint8_t *key32, const uint8_t *iv16, const uint8_t *in, size_t in_len,
                                  uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(key32 && iv16 && out && out_len, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in_len <= SIZE_MAX - 32, PANOLM_TOO_LARGE);
    if (thread_ctx() == NULL) return PANOLM_INTERNAL;
    return pl_cbc_encrypt(key32, iv16, in, in_len, out, out_cap, out_len);
}

int32_t panolm_aes256_cbc_decrypt(const uint8_t *key32, const uint8_t *iv16, const uint8_t *in, size_t in_len,
                                  uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(key32 && iv16 && out_len, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_cap == 0, PANOLM_INVALID_ARGUMENT);
    if (thread_ctx() == NULL) return PANOLM_INTERNAL;
    return pl_cbc_decrypt(key32, iv16, in, in_len, out, out_cap, out_len);
}

int32_t panolm_aes256_ctr(const uint8_t *key32, const uint8_t *iv16, const uint8_t *in, size_t len, uint8_t *out) {
    PL_CHECK(key32 && iv16, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((in && out) || len == 0, PANOLM_INVALID_ARGUMENT);
    return pl_ctr(key32, iv16, in, len, out);
}

/* WebCrypto's AES-CTR with length 64 (Element's export files): only the low 64 bits of the counter
 * block count and they wrap without carrying into the high half. */
int pl_ctr64(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out) {
    uint8_t ctr[16];
    memcpy(ctr, iv, 16);
    if (thread_ctx() == NULL) return PANOLM_INTERNAL;
    while (len > 0) {
        uint64_t low = 0;
        for (int i = 8; i < 16; i++) low = (low << 8) | ctr[i];
        uint64_t until_wrap = (uint64_t) 0 - low; /* blocks before the low half wraps; 0 means 2^64 */
        size_t n = len;
        if (until_wrap != 0 && until_wrap < (SIZE_MAX / 16) && until_wrap * 16 < len) n = (size_t) until_wrap * 16;
        size_t done = 0;
        int rc = run(CTR, 1, 0, key, ctr, in, n, out, &done);
        if (rc != PANOLM_OK) return rc;
        in += n; out += n; len -= n;
        memset(ctr + 8, 0, 8);
    }
    return PANOLM_OK;
}

int32_t panolm_aes256_ctr64(const uint8_t *key32, const uint8_t *iv16, const uint8_t *in, size_t len, uint8_t *out) {
    PL_CHECK(key32 && iv16, PANOLM_INVALID_ARGUMENT);
    PL_CHECK((in && out) || len == 0, PANOLM_INVALID_ARGUMENT);
    return pl_ctr64(key32, iv16, in, len, out);
}
