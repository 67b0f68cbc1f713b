package org.panolm.benchmarks.libolm;

import static org.panolm.libolm.olm_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.bindings.panolm_h;

/**
 * libolm's Olm accounts and sessions through FFM, jOlm-style (keys and messages cross as libolm's base64
 * text, copied into native buffers the object owns, fresh random bytes drawn per call that needs them):
 * the baseline of the Olm benchmarks. Not thread-safe.
 */
public final class LibolmOlm {
    private LibolmOlm() {}

    private static MemorySegment random(Arena arena, long length) {
        MemorySegment r = arena.allocate(Math.max(1, length));
        if (length > 0 && panolm_h.panolm_random(r, length) != 0) throw new IllegalStateException("random");
        return r;
    }

    private static String ascii(MemorySegment s, long length) {
        return new String(Scratch.copyOut(s, length), StandardCharsets.US_ASCII);
    }

    /** An account with identity keys and a fallback key (so that any number of sessions can start). */
    public static final class Account implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        final MemorySegment account;
        private final String identityJson;
        private final String fallbackJson;

        public Account() {
            account = olm_account(arena.allocate(olm_account_size()));
            try (Arena tmp = Arena.ofConfined()) {
                long n = olm_create_account_random_length(account);
                check(olm_create_account(account, random(tmp, n), n), "create account");
                n = olm_account_generate_fallback_key_random_length(account);
                check(olm_account_generate_fallback_key(account, random(tmp, n), n), "fallback key");
                long len = olm_account_identity_keys_length(account);
                MemorySegment out = tmp.allocate(len);
                identityJson = ascii(out, check(olm_account_identity_keys(account, out, len), "identity keys"));
                len = olm_account_unpublished_fallback_key_length(account);
                out = tmp.allocate(len);
                fallbackJson = ascii(out, check(olm_account_unpublished_fallback_key(account, out, len), "fallback"));
            }
        }

        /** The base64 Curve25519 identity key. */
        public String curve25519() {
            return value(identityJson, "\"curve25519\":\"");
        }

        /** The base64 fallback key. */
        public String fallbackKey() {
            int at = fallbackJson.indexOf("\":\"", fallbackJson.indexOf("{\"", 2)) + 3;
            return fallbackJson.substring(at, fallbackJson.indexOf('"', at));
        }

        private static String value(String json, String key) {
            int at = json.indexOf(key) + key.length();
            return json.substring(at, json.indexOf('"', at));
        }

        long check(long result, String what) {
            return OlmCall.check(result, () -> olm_account_last_error(account), what);
        }

        @Override
        public void close() {
            olm_clear_account(account);
            arena.close();
        }
    }

    /** An Olm session; messages in and out are libolm's base64 text. */
    public static final class Session implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment session;
        private final MemorySegment input;
        private final MemorySegment output;
        private final int maxPlaintext;

        private Session(int maxPlaintext) {
            this.maxPlaintext = maxPlaintext;
            session = olm_session(arena.allocate(olm_session_size()));
            input = arena.allocate(4L * maxPlaintext + 1024);
            output = arena.allocate(4L * maxPlaintext + 1024);
        }

        public static Session outbound(Account from, String theirIdentity, String theirOneTimeKey, int maxPlaintext) {
            Session s = new Session(maxPlaintext);
            try (Arena tmp = Arena.ofConfined()) {
                byte[] id = theirIdentity.getBytes(StandardCharsets.US_ASCII);
                byte[] otk = theirOneTimeKey.getBytes(StandardCharsets.US_ASCII);
                long n = olm_create_outbound_session_random_length(s.session);
                s.check(olm_create_outbound_session(s.session, from.account, Scratch.copyIn(tmp, id), id.length,
                        Scratch.copyIn(tmp, otk), otk.length, random(tmp, n), n), "outbound session");
            }
            return s;
        }

        public static Session inbound(Account to, String preKeyMessage, int maxPlaintext) {
            Session s = new Session(maxPlaintext);
            byte[] m = preKeyMessage.getBytes(StandardCharsets.US_ASCII);
            Scratch.copyIn(m, s.input);
            s.check(olm_create_inbound_session(s.session, to.account, s.input, m.length), "inbound session");
            return s;
        }

        public long messageType() {
            return olm_encrypt_message_type(session);
        }

        /** The base64 message. */
        public String encrypt(byte[] plaintext) {
            if (plaintext.length > maxPlaintext) throw new IllegalArgumentException("plaintext too long");
            Scratch.copyIn(plaintext, input);
            long n = olm_encrypt_message_length(session, plaintext.length);
            try (Arena tmp = Arena.ofConfined()) {
                long r = olm_encrypt_random_length(session);
                long written = check(olm_encrypt(session, input, plaintext.length, random(tmp, r), r, output, n), "encrypt");
                return ascii(output, written);
            }
        }

        public byte[] decrypt(long type, String message) {
            byte[] m = message.getBytes(StandardCharsets.US_ASCII);
            // libolm decodes in place: size the plaintext on one copy, decrypt another.
            Scratch.copyIn(m, input);
            long max = check(olm_decrypt_max_plaintext_length(session, type, input, m.length), "size");
            Scratch.copyIn(m, input);
            long n = check(olm_decrypt(session, type, input, m.length, output, max), "decrypt");
            return Scratch.copyOut(output, n);
        }

        long check(long result, String what) {
            return OlmCall.check(result, () -> olm_session_last_error(session), what);
        }

        @Override
        public void close() {
            olm_clear_session(session);
            arena.close();
        }
    }
}
