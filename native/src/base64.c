/* Standard-alphabet base64 as Matrix uses it: emit unpadded; accept optional '=' padding; reject
 * any other character and non-zero trailing bits. Character mapping is arithmetic, not a table
 * lookup, so decoding secrets leaks no data-dependent memory access (cf. CVE-2024-45192). */
#include <pthread.h>

#include "common.h"

static uint8_t enc6(unsigned v) {
    /* 0-25 'A'.., 26-51 'a'.., 52-61 '0'.., 62 '+', 63 '/' */
    int x = (int) v;
    int c = x + 'A';
    c += ((25 - x) >> 8) & ('a' - 'A' - 26);
    c += ((51 - x) >> 8) & ('0' - 'a' - 26);
    c += ((61 - x) >> 8) & ('+' - '0' - 10);
    c += ((62 - x) >> 8) & ('/' - '+' - 1);
    return (uint8_t) c;
}

/* Returns 0..63, or a value with bit 8 set for a character outside the alphabet. */
static unsigned dec6(uint8_t ch) {
    int c = ch;
    int ret = -1;
    ret += (((('A' - 1) - c) & (c - ('Z' + 1))) >> 8) & (c - 'A' + 1);
    ret += (((('a' - 1) - c) & (c - ('z' + 1))) >> 8) & (c - 'a' + 26 + 1);
    ret += (((('0' - 1) - c) & (c - ('9' + 1))) >> 8) & (c - '0' + 52 + 1);
    ret += ((((('+' - 1) - c) & (c - ('+' + 1))) >> 8) & 63);
    ret += ((((('/' - 1) - c) & (c - ('/' + 1))) >> 8) & 64);
    return (unsigned) ret & 0x1FF;
}

size_t pl_b64_encoded_len(size_t n) { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

void pl_b64_encode(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned) in[i] << 16 | (unsigned) in[i + 1] << 8 | in[i + 2];
        out[o++] = enc6(v >> 18); out[o++] = enc6((v >> 12) & 63);
        out[o++] = enc6((v >> 6) & 63); out[o++] = enc6(v & 63);
    }
    if (n - i == 1) {
        unsigned v = (unsigned) in[i] << 16;
        out[o++] = enc6(v >> 18); out[o++] = enc6((v >> 12) & 63);
    } else if (n - i == 2) {
        unsigned v = (unsigned) in[i] << 16 | (unsigned) in[i + 1] << 8;
        out[o++] = enc6(v >> 18); out[o++] = enc6((v >> 12) & 63); out[o++] = enc6((v >> 6) & 63);
    }
}

/* The one decoder: `map` gives 0..63 for a character of the alphabet, a value with bit 8 set for any other.
 * Inlined into each caller, so the constant-time and the table mapping each get their own tight loop. */
static inline __attribute__((always_inline)) int decode_with(unsigned (*map)(uint8_t), const uint8_t *in,
                                                             size_t n, uint8_t *out, size_t out_cap,
                                                             size_t *out_len) {
    /* Strip up to two '=' only when they complete a 4-character group. */
    if (n % 4 == 0 && n >= 4) {
        if (in[n - 1] == '=') { n--; if (in[n - 1] == '=') n--; }
    }
    if (n % 4 == 1) return PANOLM_BAD_BASE64;
    size_t need = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
    if (out_cap < need) return PANOLM_OUTPUT_TOO_SMALL;
    unsigned bad = 0;
    size_t i = 0, o = 0;
    for (; i + 4 <= n; i += 4) {
        unsigned a = map(in[i]), b = map(in[i + 1]), c = map(in[i + 2]), d = map(in[i + 3]);
        bad |= a | b | c | d;
        unsigned v = (a & 63) << 18 | (b & 63) << 12 | (c & 63) << 6 | (d & 63);
        out[o++] = (uint8_t) (v >> 16); out[o++] = (uint8_t) (v >> 8); out[o++] = (uint8_t) v;
    }
    if (n - i == 2) {
        unsigned a = map(in[i]), b = map(in[i + 1]);
        bad |= a | b | ((b & 15) ? 0x100u : 0u);
        out[o++] = (uint8_t) (((a & 63) << 2) | ((b & 63) >> 4));
    } else if (n - i == 3) {
        unsigned a = map(in[i]), b = map(in[i + 1]), c = map(in[i + 2]);
        bad |= a | b | c | ((c & 3) ? 0x100u : 0u);
        unsigned v = (a & 63) << 12 | (b & 63) << 6 | (c & 63);
        out[o++] = (uint8_t) (v >> 10); out[o++] = (uint8_t) (v >> 2);
    }
    if (bad & 0x100u) { pl_wipe(out, o); return PANOLM_BAD_BASE64; }
    *out_len = o;
    return PANOLM_OK;
}

int pl_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t out_cap, size_t *out_len) {
    return decode_with(dec6, in, n, out, out_cap, out_len);
}

/* dec6 as a table, made from dec6 itself on first use (so the two cannot disagree). */
static uint16_t dec6_table[256];
static pthread_once_t dec6_table_once = PTHREAD_ONCE_INIT;

static void dec6_table_init(void) {
    for (unsigned c = 0; c < 256; c++) dec6_table[c] = (uint16_t) dec6((uint8_t) c);
}

static unsigned dec6_public(uint8_t ch) {
    return dec6_table[ch];
}

/* For public bytes only (Megolm ciphertexts): a table lookup per character instead of dec6's arithmetic
 * (base64 was a tenth of a history decrypt's native time); accepts and refuses exactly what pl_b64_decode does. */
int pl_b64_decode_public(const uint8_t *in, size_t n, uint8_t *out, size_t out_cap, size_t *out_len) {
    pthread_once(&dec6_table_once, dec6_table_init);
    return decode_with(dec6_public, in, n, out, out_cap, out_len);
}

/* For public bytes only (ciphertexts on their way into an event): a table lookup per character, several
 * times faster than the constant-time encoder above. Encodes buf[0..n) into buf[0..) in place, from the
 * last 3-byte group to the first, so no group is overwritten before it is read. */
void pl_b64_encode_public_in_place(uint8_t *buf, size_t n) {
    static const char table[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t groups = n / 3, rest = n % 3, o = groups * 4;
    if (rest == 1) {
        unsigned v = (unsigned) buf[groups * 3] << 16;
        buf[o] = (uint8_t) table[v >> 18]; buf[o + 1] = (uint8_t) table[(v >> 12) & 63];
    } else if (rest == 2) {
        unsigned v = (unsigned) buf[groups * 3] << 16 | (unsigned) buf[groups * 3 + 1] << 8;
        buf[o] = (uint8_t) table[v >> 18]; buf[o + 1] = (uint8_t) table[(v >> 12) & 63];
        buf[o + 2] = (uint8_t) table[(v >> 6) & 63];
    }
    for (size_t g = groups; g-- > 0;) {
        unsigned v = (unsigned) buf[3 * g] << 16 | (unsigned) buf[3 * g + 1] << 8 | buf[3 * g + 2];
        uint8_t *w = buf + 4 * g;
        w[0] = (uint8_t) table[v >> 18]; w[1] = (uint8_t) table[(v >> 12) & 63];
        w[2] = (uint8_t) table[(v >> 6) & 63]; w[3] = (uint8_t) table[v & 63];
    }
}

size_t panolm_base64_encoded_length(size_t in_len) { return pl_b64_encoded_len(in_len); }

size_t panolm_base64_decoded_max_length(size_t in_len) { return in_len / 4 * 3 + 2; }

int32_t panolm_base64_encode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(out_len != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in_len <= (SIZE_MAX / 4) * 3 - 3, PANOLM_TOO_LARGE);
    size_t need = pl_b64_encoded_len(in_len);
    if (out_cap < need || (out == NULL && need > 0)) return PANOLM_OUTPUT_TOO_SMALL;
    pl_b64_encode(in, in_len, out);
    *out_len = need;
    return PANOLM_OK;
}

int32_t panolm_base64_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len) {
    PL_CHECK(out_len != NULL, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(in != NULL || in_len == 0, PANOLM_INVALID_ARGUMENT);
    PL_CHECK(out != NULL || out_cap == 0, PANOLM_INVALID_ARGUMENT);
    return pl_b64_decode(in, in_len, out, out_cap, out_len);
}
