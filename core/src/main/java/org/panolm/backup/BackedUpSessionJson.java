package org.panolm.backup;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectReader;

import org.panolm.export.ExportedRoomKey;

/**
 * The plaintext of one backed-up session ({@code BackedUpSessionData}, docs/formats.md §2.1): the exported room
 * key without room and session ids, which live outside the ciphertext. Written by hand straight into a
 * {@link SecretBuffer}, so no copy of a session key is left in a serialiser's recycled buffers.
 */
final class BackedUpSessionJson {
    private BackedUpSessionJson() {}

    private static final ObjectReader READER = BackupJson.MAPPER.readerFor(ExportedRoomKey.class);

    static void write(ExportedRoomKey key, SecretBuffer out) {
        out.putAscii("{\"algorithm\":");
        string(key.algorithm(), out);
        out.putAscii(",\"sender_key\":");
        string(key.senderKey(), out);
        out.putAscii(",\"session_key\":");
        string(key.sessionKey(), out);
        out.putAscii(",\"sender_claimed_keys\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : key.senderClaimedKeys().entrySet()) {
            if (!first) out.put((byte) ',');
            first = false;
            string(e.getKey(), out);
            out.put((byte) ':');
            string(e.getValue(), out);
        }
        out.putAscii("},\"forwarding_curve25519_key_chain\":[");
        List<String> chain = key.forwardingCurve25519KeyChain();
        for (int i = 0; i < chain.size(); i++) {
            if (i > 0) out.put((byte) ',');
            string(chain.get(i), out);
        }
        out.put((byte) ']');
        if (key.sharedHistory() != null) {
            out.putAscii(",\"shared_history\":");
            out.putAscii(key.sharedHistory() ? "true" : "false");
        }
        out.put((byte) '}');
    }

    static ExportedRoomKey read(byte[] json, int offset, int length) throws IOException {
        return READER.readValue(json, offset, length);
    }

    /** A JSON string: UTF-8, with the escapes JSON requires and no others. Null is written as null. */
    private static void string(String s, SecretBuffer out) {
        if (s == null) {
            out.putAscii("null");
            return;
        }
        out.put((byte) '"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.put((byte) '\\');
                out.put((byte) c);
            } else if (c < 0x20) {
                out.putAscii(String.format("\\u%04x", (int) c));
            } else if (c < 0x80) {
                out.put((byte) c);
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    cp = 0xFFFD; // a lone surrogate has no UTF-8 form
                }
                utf8(cp, out);
            }
        }
        out.put((byte) '"');
    }

    private static void utf8(int cp, SecretBuffer out) {
        if (cp < 0x800) {
            out.put((byte) (0xC0 | cp >> 6));
        } else if (cp < 0x10000) {
            out.put((byte) (0xE0 | cp >> 12));
            out.put((byte) (0x80 | (cp >> 6 & 0x3F)));
        } else {
            out.put((byte) (0xF0 | cp >> 18));
            out.put((byte) (0x80 | (cp >> 12 & 0x3F)));
            out.put((byte) (0x80 | (cp >> 6 & 0x3F)));
        }
        out.put((byte) (0x80 | (cp & 0x3F)));
    }
}
