package org.panolm.hardening;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The ways a secret could show up in text: hex in either case, and base64 in the standard and URL-safe
 * alphabets, padded or not, with the secret starting at each of the three byte offsets (so that a
 * secret embedded inside a larger encoded blob is found too).
 */
final class SecretText {
    private SecretText() {}

    /** The encodings of {@code secret} worth searching for; fragments shorter than 12 characters are skipped. */
    static List<String> encodings(byte[] secret) {
        List<String> out = new ArrayList<>();
        out.add(HexFormat.of().formatHex(secret));
        out.add(HexFormat.of().withUpperCase().formatHex(secret));
        for (int shift = 0; shift < 3 && shift < secret.length; shift++) {
            byte[] tail = java.util.Arrays.copyOfRange(secret, shift, secret.length);
            String std = Base64.getEncoder().withoutPadding().encodeToString(tail);
            // Inside a longer blob, the first and last characters depend on neighbouring bytes: drop them.
            String core = std.length() > 2 ? std.substring(1, std.length() - 1) : std;
            out.add(core);
            out.add(core.replace('+', '-').replace('/', '_'));
        }
        out.removeIf(s -> s.length() < 12);
        return out;
    }

    /** The first encoding of {@code secret} that occurs in {@code text}, or null. */
    static String find(String text, byte[] secret) {
        if (text == null) return null;
        for (String e : encodings(secret)) {
            if (text.contains(e)) return e;
        }
        return null;
    }
}
