/* Library set-up, status names, randomness, wiping and constant-time comparison. */
#include <pthread.h>
#include <sodium.h>
#include <openssl/crypto.h>
#include "common.h"

#ifndef PANOLM_VERSION
#error "PANOLM_VERSION must be defined (the Makefile passes the Maven project version)"
#endif

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1;

static void do_init(void) {
#ifdef PANOLM_PRIVATE_CRYPTO
    /* This libcrypto is linked in and ours alone. The system's openssl.cnf is written for the system's
     * OpenSSL: it must not steer ours, nor make it load provider modules (which link the system's
     * libcrypto.so). And the JVM never unloads this library: freeing OpenSSL's state from an exit
     * handler could pull it from under a native thread that is still running. */
    if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT, NULL) != 1) {
        init_result = -1;
        return;
    }
#endif
    init_result = sodium_init() < 0 ? -1 : 0;
}

int32_t panolm_init(void) {
    pthread_once(&init_once, do_init);
    return init_result == 0 ? PANOLM_OK : PANOLM_INTERNAL;
}

int pl_initialised(void) { return init_result == 0; }

uint32_t panolm_abi_version(void) { return PANOLM_ABI_VERSION; }

const char *panolm_version(void) { return PANOLM_VERSION; }

static const char *const STATUS_NAMES[PANOLM_STATUS_COUNT] = {
    "OK", "INVALID_ARGUMENT", "OUTPUT_TOO_SMALL", "BAD_BASE64", "BAD_VERSION", "TRUNCATED",
    "BAD_MAC", "BAD_SIGNATURE", "UNKNOWN_SESSION", "UNKNOWN_INDEX", "REPLAYED_INDEX",
    "ROOM_MISMATCH", "BAD_PADDING", "BAD_KEY", "NON_CONTRIBUTORY", "BAD_MESSAGE_FORMAT",
    "BAD_EVENT", "TOO_LARGE", "INTERNAL", "NOT_INITIALISED",
};

const char *panolm_status_name(int32_t status) {
    if (status < 0 || status >= PANOLM_STATUS_COUNT) return "UNKNOWN_STATUS";
    return STATUS_NAMES[status];
}

int32_t panolm_random(uint8_t *out, size_t out_len) {
    PL_CHECK(pl_initialised(), PANOLM_NOT_INITIALISED);
    PL_CHECK(out != NULL || out_len == 0, PANOLM_INVALID_ARGUMENT);
    randombytes_buf(out, out_len);
    return PANOLM_OK;
}

void pl_wipe(void *buf, size_t len) {
    if (buf != NULL && len > 0) OPENSSL_cleanse(buf, len);
}

int pl_ct_equal(const uint8_t *a, const uint8_t *b, size_t len) {
    return CRYPTO_memcmp(a, b, len) == 0;
}

void panolm_wipe(void *buf, size_t len) { pl_wipe(buf, len); }

int32_t panolm_ct_equal(const uint8_t *a, const uint8_t *b, size_t len) {
    if (len == 0) return 1;
    if (a == NULL || b == NULL) return 0;
    return pl_ct_equal(a, b, len);
}
