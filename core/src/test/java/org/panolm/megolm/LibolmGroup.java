package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.libolm.inbound_group_session_h;
import org.panolm.libolm.olm_h;
import org.panolm.libolm.outbound_group_session_h;

/** libolm's Megolm, called directly through the bindings: the reference the native engine is tested against. */
final class LibolmGroup {
    private LibolmGroup() {}

    /** libolm's OlmErrorCode numbers used here. */
    static final int BAD_MESSAGE_VERSION = 3;
    static final int BAD_MESSAGE_FORMAT = 4;
    static final int BAD_MESSAGE_MAC = 5;
    static final int INVALID_BASE64 = 7;
    static final int BAD_SESSION_KEY = 11;
    static final int UNKNOWN_MESSAGE_INDEX = 12;
    static final int BAD_SIGNATURE = 14;

    static final long ERROR = olm_h.olm_error();

    /** A libolm decrypt result: error code (0 = success), plaintext and index. */
    record Result(int error, byte[] plaintext, long index) {}

    static final class Inbound implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment session;

        private Inbound(byte[] keyBase64, boolean signed) {
            session = inbound_group_session_h.olm_inbound_group_session(
                    arena.allocate(inbound_group_session_h.olm_inbound_group_session_size()));
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, keyBase64);
            long rc = signed
                    ? inbound_group_session_h.olm_init_inbound_group_session(session, key, keyBase64.length)
                    : inbound_group_session_h.olm_import_inbound_group_session(session, key, keyBase64.length);
            if (rc == ERROR) {
                int code = inbound_group_session_h.olm_inbound_group_session_last_error_code(session);
                close();
                throw new IllegalArgumentException("libolm refused the key: error " + code);
            }
        }

        static Inbound fromSessionKey(String base64) {
            return new Inbound(base64.getBytes(StandardCharsets.US_ASCII), true);
        }

        static Inbound importExport(String base64) {
            return new Inbound(base64.getBytes(StandardCharsets.US_ASCII), false);
        }

        /** libolm destroys its input: a scratch copy is passed. */
        Result decrypt(String ciphertext) {
            try (Arena a = Arena.ofConfined()) {
                byte[] b = ciphertext.getBytes(StandardCharsets.US_ASCII);
                MemorySegment in = a.allocateFrom(JAVA_BYTE, b);
                long max = inbound_group_session_h.olm_group_decrypt_max_plaintext_length(session, in, b.length);
                if (max == ERROR) {
                    return new Result(inbound_group_session_h.olm_inbound_group_session_last_error_code(session), null, -1);
                }
                in = a.allocateFrom(JAVA_BYTE, b);
                MemorySegment out = a.allocate(Math.max(max, 1));
                MemorySegment index = a.allocate(JAVA_INT);
                long n = inbound_group_session_h.olm_group_decrypt(session, in, b.length, out, max, index);
                if (n == ERROR) {
                    return new Result(inbound_group_session_h.olm_inbound_group_session_last_error_code(session), null, -1);
                }
                return new Result(0, out.asSlice(0, n).toArray(JAVA_BYTE), Integer.toUnsignedLong(index.get(JAVA_INT, 0)));
            }
        }

        String exportAt(long index) {
            try (Arena a = Arena.ofConfined()) {
                long len = inbound_group_session_h.olm_export_inbound_group_session_length(session);
                MemorySegment out = a.allocate(len);
                long rc = inbound_group_session_h.olm_export_inbound_group_session(session, out, len, (int) index);
                if (rc == ERROR) {
                    throw new IllegalArgumentException("libolm export failed: error "
                            + inbound_group_session_h.olm_inbound_group_session_last_error_code(session));
                }
                return new String(out.asSlice(0, rc).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            }
        }

        long firstKnownIndex() {
            return Integer.toUnsignedLong(inbound_group_session_h.olm_inbound_group_session_first_known_index(session));
        }

        boolean isVerified() {
            return inbound_group_session_h.olm_inbound_group_session_is_verified(session) != 0;
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                inbound_group_session_h.olm_clear_inbound_group_session(session);
                arena.close();
            }
        }
    }

    static final class Outbound implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment session;

        /** @param random 160 bytes: the ratchet (128) then the Ed25519 seed (32) */
        Outbound(byte[] random) {
            session = outbound_group_session_h.olm_outbound_group_session(
                    arena.allocate(outbound_group_session_h.olm_outbound_group_session_size()));
            MemorySegment r = arena.allocateFrom(JAVA_BYTE, random);
            long rc = outbound_group_session_h.olm_init_outbound_group_session(session, r, random.length);
            if (rc == ERROR) {
                throw new IllegalStateException("libolm outbound init failed");
            }
        }

        String encrypt(byte[] plaintext) {
            try (Arena a = Arena.ofConfined()) {
                long len = outbound_group_session_h.olm_group_encrypt_message_length(session, plaintext.length);
                MemorySegment out = a.allocate(len);
                long n = outbound_group_session_h.olm_group_encrypt(session, a.allocateFrom(JAVA_BYTE, plaintext),
                        plaintext.length, out, len);
                if (n == ERROR) {
                    throw new IllegalStateException("libolm encrypt failed");
                }
                return new String(out.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            }
        }

        String sessionKey() {
            try (Arena a = Arena.ofConfined()) {
                long len = outbound_group_session_h.olm_outbound_group_session_key_length(session);
                MemorySegment out = a.allocate(len);
                long n = outbound_group_session_h.olm_outbound_group_session_key(session, out, len);
                return new String(out.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            }
        }

        long messageIndex() {
            return Integer.toUnsignedLong(outbound_group_session_h.olm_outbound_group_session_message_index(session));
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                outbound_group_session_h.olm_clear_outbound_group_session(session);
                arena.close();
            }
        }
    }
}
