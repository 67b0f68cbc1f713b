package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.panolm.bindings.panolm_megolm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeStatus;

/**
 * A Megolm session key in the export format (version 1, used by forwarding, backups and export files):
 * {@code 0x01 | index (u32 BE) | ratchet (128) | Ed25519 public key (32)}, 165 bytes, unsigned.
 * Holds a secret: {@link #toString()} hides it.
 *
 * @param bytes the 165 bytes of the key
 */
public record ExportedSessionKey(byte[] bytes) {
    public static final int LENGTH = 165;
    public static final byte VERSION = 1;

    /** Checks the length and version, and keeps a copy. */
    public ExportedSessionKey {
        bytes = SessionKeyLayout.validCopy(bytes, LENGTH, VERSION, "exported session key");
    }

    /**
     * Decodes the base64 form (padded or not).
     *
     * @param text the key in base64
     * @return the key
     */
    public static ExportedSessionKey fromBase64(String text) {
        return new ExportedSessionKey(MatrixBase64.decode(text, "session_key"));
    }

    /**
     * The key in unpadded base64, as export files and backups carry it.
     *
     * @return the base64 text
     */
    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    /**
     * The key's bytes.
     *
     * @return a copy of the 165 bytes; the caller wipes it
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The first message index the key can decrypt.
     *
     * @return the index
     */
    public long firstIndex() {
        return SessionKeyLayout.firstIndex(bytes);
    }

    /**
     * The session id: the unpadded base64 of the Ed25519 public key.
     *
     * @return the session id
     */
    public String sessionId() {
        return SessionKeyLayout.sessionId(bytes);
    }

    /**
     * True when {@code other} is a copy of the same session on the same ratchet: the same signing key, and
     * the ratchet of the lower index, advanced to the higher index, equals the other's ratchet. Only then may
     * one copy stand in for the other: a copy with the right session id but a ratchet of its own (a forged
     * or corrupted key) does not connect. Symmetric; the advance runs natively and costs at most 1020 HMACs
     * whatever the distance.
     *
     * @param other another copy of a session key
     * @return whether the two copies are one ratchet
     */
    public boolean connects(ExportedSessionKey other) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(JAVA_BYTE, bytes);
            MemorySegment b = arena.allocateFrom(JAVA_BYTE, other.bytes);
            MemorySegment connected = arena.allocate(JAVA_INT);
            try {
                NativeStatus.check(panolm_megolm_h.panolm_megolm_export_connects(a, LENGTH, b, LENGTH, connected),
                        "ratchets of session " + sessionId());
            } finally {
                a.fill((byte) 0);
                b.fill((byte) 0);
            }
            return connected.get(JAVA_INT, 0) == 1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedSessionKey k && SessionKeyLayout.sameBytes(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return sessionId().hashCode();
    }

    @Override
    public String toString() {
        return SessionKeyLayout.describe("ExportedSessionKey", bytes);
    }
}
