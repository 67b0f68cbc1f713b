/* Finds the top-level "room_id" of a decrypted Megolm payload (a JSON object) and compares it with the
 * room the event arrived in. Done here rather than in Java so the bulk path needs no per-message Java
 * objects and the scan runs on the batch's threads next to the plaintext it reads. It is one bounded
 * pass without recursion or allocation: nested values are skipped by counting brackets, and
 * strings are decoded (escapes included) only to compare them. */
#include "megolm_internal.h"

typedef struct {
    const uint8_t *p;
    const uint8_t *end;
} cursor;

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int hex4(cursor *c, uint32_t *v) {
    if (c->end - c->p < 4) return -1;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t h = *c->p++;
        uint32_t d;
        if (h >= '0' && h <= '9') d = (uint32_t) (h - '0');
        else if (h >= 'a' && h <= 'f') d = (uint32_t) (h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') d = (uint32_t) (h - 'A' + 10);
        else return -1;
        x = x << 4 | d;
    }
    *v = x;
    return 0;
}

/* Reads a JSON string (c->p at its opening quote). When expect is not NULL, *equal says whether the
 * decoded string equals expect. Returns -1 when malformed. */
static int read_string(cursor *c, const uint8_t *expect, size_t expect_len, int *equal) {
    if (c->p >= c->end || *c->p != '"') return -1;
    c->p++;
    size_t at = 0;
    int eq = 1;
    while (c->p < c->end) {
        uint8_t ch = *c->p++;
        uint8_t buf[4];
        size_t n = 1;
        if (ch == '"') {
            if (equal) *equal = eq && at == expect_len;
            return 0;
        }
        if (ch < 0x20) return -1;
        if (ch != '\\') {
            buf[0] = ch;
        } else {
            if (c->p >= c->end) return -1;
            uint8_t e = *c->p++;
            switch (e) {
                case '"': case '\\': case '/': buf[0] = e; break;
                case 'b': buf[0] = '\b'; break;
                case 'f': buf[0] = '\f'; break;
                case 'n': buf[0] = '\n'; break;
                case 'r': buf[0] = '\r'; break;
                case 't': buf[0] = '\t'; break;
                case 'u': {
                    uint32_t cp;
                    if (hex4(c, &cp) != 0) return -1;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        uint32_t lo;
                        if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u') return -1;
                        c->p += 2;
                        if (hex4(c, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) return -1;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return -1;
                    }
                    if (cp < 0x80) { buf[0] = (uint8_t) cp; }
                    else if (cp < 0x800) { buf[0] = (uint8_t) (0xC0 | cp >> 6); buf[1] = (uint8_t) (0x80 | (cp & 0x3F)); n = 2; }
                    else if (cp < 0x10000) {
                        buf[0] = (uint8_t) (0xE0 | cp >> 12); buf[1] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
                        buf[2] = (uint8_t) (0x80 | (cp & 0x3F)); n = 3;
                    } else {
                        buf[0] = (uint8_t) (0xF0 | cp >> 18); buf[1] = (uint8_t) (0x80 | ((cp >> 12) & 0x3F));
                        buf[2] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F)); buf[3] = (uint8_t) (0x80 | (cp & 0x3F)); n = 4;
                    }
                    break;
                }
                default: return -1;
            }
        }
        if (expect) {
            if (at + n > expect_len || memcmp(expect + at, buf, n) != 0) eq = 0;
            else at += n;
        }
    }
    return -1;
}

/* Skips one JSON value of any kind. Containers are skipped by bracket counting; their contents are
 * only checked for string syntax. */
static int skip_value(cursor *c) {
    skip_ws(c);
    if (c->p >= c->end) return -1;
    uint8_t ch = *c->p;
    if (ch == '"') return read_string(c, NULL, 0, NULL);
    if (ch == '{' || ch == '[') {
        size_t depth = 0;
        while (c->p < c->end) {
            ch = *c->p;
            if (ch == '"') {
                if (read_string(c, NULL, 0, NULL) != 0) return -1;
                continue;
            }
            c->p++;
            if (ch == '{' || ch == '[') depth++;
            else if (ch == '}' || ch == ']') {
                if (--depth == 0) return 0;
            }
        }
        return -1;
    }
    /* number, true, false, null */
    const uint8_t *start = c->p;
    while (c->p < c->end) {
        ch = *c->p;
        if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '+' || ch == '.' || ch == 'E') c->p++;
        else break;
    }
    return c->p > start ? 0 : -1;
}

int ml_room_matches(const uint8_t *json, size_t len, const uint8_t *room, size_t room_len) {
    static const uint8_t key_name[] = {'r', 'o', 'o', 'm', '_', 'i', 'd'};
    cursor c = {json, json + len};
    int found = 0, all_equal = 1;
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{') return -1;
    c.p++;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            int is_room_key = 0;
            skip_ws(&c);
            if (read_string(&c, key_name, sizeof key_name, &is_room_key) != 0) return -1;
            skip_ws(&c);
            if (c.p >= c.end || *c.p != ':') return -1;
            c.p++;
            skip_ws(&c);
            if (is_room_key) {
                int eq = 0;
                if (c.p >= c.end || *c.p != '"') {
                    if (skip_value(&c) != 0) return -1;
                    eq = 0;
                } else if (read_string(&c, room, room_len, &eq) != 0) {
                    return -1;
                }
                found = 1;
                all_equal &= eq;
            } else if (skip_value(&c) != 0) {
                return -1;
            }
            skip_ws(&c);
            if (c.p >= c.end) return -1;
            if (*c.p == ',') { c.p++; continue; }
            if (*c.p == '}') { c.p++; break; }
            return -1;
        }
    }
    skip_ws(&c);
    if (c.p != c.end) return -1;
    return found && all_equal ? 1 : 0;
}
