package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;

/**
 * A receiving Megolm session on panolm's native engine: the shape of libolm's
 * {@code OlmInboundGroupSession} and byte-compatible with it, plus what libolm leaves to clients:
 * <ul>
 *   <li>replay detection: once an event id has decrypted message index {@code i}, another event id
 *       for {@code i} fails with {@link Status#REPLAYED_INDEX}; the same event id again decrypts;</li>
 *   <li>room binding: a session bound to its room (from {@code m.room_key}) refuses other rooms, and a
 *       decrypted payload whose {@code room_id} differs from the event's fails with
 *       {@link Status#ROOM_MISMATCH}.</li>
 * </ul>
 * It keeps its earliest ratchet, so any index from {@link #firstKnownIndex()} on stays decryptable.
 * Indices compare as plain unsigned numbers, as in vodozemac (libolm only looks 2^31 ahead, modulo 2^32).
 * Ciphertexts are accepted with or without base64 padding; an index varint wider than 32 bits is refused
 * ({@link Status#BAD_MESSAGE_FORMAT}) where libolm silently truncates it.
 * Each session carries its {@link KeyProvenance}, where its key came from, which every decryption result
 * reports. Thread-safe (the native object locks itself). Close it to wipe the ratchets; use after close
 * throws {@link IllegalStateException}; a batch still running keeps it alive until it returns.
 */
public final class MegolmInboundSession implements AutoCloseable {
    private final NativeHandle handle;
    private final String sessionId;
    private final long firstKnownIndex;
    private final KeyProvenance provenance;
    private volatile String roomId;

    private MegolmInboundSession(MemorySegment address, KeyProvenance provenance) {
        this.provenance = java.util.Objects.requireNonNull(provenance, "provenance");
        this.handle = new NativeHandle(this, address, panolm_megolm_h::panolm_megolm_inbound_free,
                "Megolm inbound session");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pub = arena.allocate(32);
            NativeStatus.check(panolm_megolm_h.panolm_megolm_inbound_public_key(address, pub), "session id");
            this.sessionId = MatrixBase64.encode(pub.toArray(JAVA_BYTE));
        }
        this.firstKnownIndex = Integer.toUnsignedLong(panolm_megolm_h.panolm_megolm_inbound_first_known_index(address));
    }

    /**
     * From a signed session key (the {@code session_key} of {@code m.room_key}); the signature is checked.
     * Its provenance is {@link KeyProvenance#UNKNOWN}: say where it came from with
     * {@link #create(SessionKey, String, KeyProvenance)}.
     *
     * @param key the session key
     * @return the session; the caller closes it
     */
    public static MegolmInboundSession create(SessionKey key) {
        return fromBytes(key.bytes(), true, KeyProvenance.UNKNOWN);
    }

    /**
     * As {@link #create(SessionKey)}, bound to the room the {@code m.room_key} named.
     *
     * @param key the session key
     * @param roomId the room
     * @return the session; the caller closes it
     */
    public static MegolmInboundSession create(SessionKey key, String roomId) {
        return create(key, roomId, KeyProvenance.UNKNOWN);
    }

    /**
     * As {@link #create(SessionKey, String)}, recording where the key came from (for an {@code m.room_key}:
     * {@link KeyProvenance.ReceivedOverOlm}; for our own outbound session: {@link KeyProvenance#CREATED_HERE}).
     *
     * @param key the session key
     * @param roomId the room
     * @param provenance where the key came from
     * @return the session; the caller closes it
     */
    public static MegolmInboundSession create(SessionKey key, String roomId, KeyProvenance provenance) {
        MegolmInboundSession s = fromBytes(key.bytes(), true, provenance);
        try {
            s.bindToRoom(roomId);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * From an export (forwarded keys, backups, export files). Unverified until a message decrypts. Its
     * provenance is {@link KeyProvenance#UNKNOWN}: see {@link #importSession(ExportedSessionKey, KeyProvenance)}.
     *
     * @param key the exported key
     * @return the session; the caller closes it
     */
    public static MegolmInboundSession importSession(ExportedSessionKey key) {
        return fromBytes(key.bytes(), false, KeyProvenance.UNKNOWN);
    }

    /**
     * From an export, recording where it came from (a forward, a file, a backup).
     *
     * @param key the exported key
     * @param provenance where the key came from
     * @return the session; the caller closes it
     */
    public static MegolmInboundSession importSession(ExportedSessionKey key, KeyProvenance provenance) {
        return fromBytes(key.bytes(), false, provenance);
    }

    private static MegolmInboundSession fromBytes(byte[] bytes, boolean signed, KeyProvenance provenance) {
        java.util.Objects.requireNonNull(provenance, "provenance");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, bytes);
            Arrays.fill(bytes, (byte) 0);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = signed
                    ? panolm_megolm_h.panolm_megolm_inbound_from_session_key(in, in.byteSize(), out)
                    : panolm_megolm_h.panolm_megolm_inbound_import(in, in.byteSize(), out);
            in.fill((byte) 0);
            NativeStatus.check(rc, signed ? "session_key (v2)" : "exported session key (v1)");
            return new MegolmInboundSession(out.get(ValueLayout.ADDRESS, 0), provenance);
        }
    }

    /**
     * The session id: unpadded base64 of the session's Ed25519 key.
     *
     * @return the session id
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Where this session's key came from; every decryption with it reports this.
     *
     * @return the provenance
     */
    public KeyProvenance provenance() {
        return provenance;
    }

    /**
     * The lowest message index this session can decrypt.
     *
     * @return the first known index
     */
    public long firstKnownIndex() {
        return firstKnownIndex;
    }

    /**
     * True when created from a signed key, or once a message has decrypted (libolm's rule).
     *
     * @return whether the sender's key is trusted
     */
    public boolean isVerified() {
        MemorySegment s = handle.acquire();
        try {
            return panolm_megolm_h.panolm_megolm_inbound_is_verified(s) != 0;
        } finally {
            handle.release();
        }
    }

    /**
     * The export format (v1) at {@code index}, which must be at least {@link #firstKnownIndex()}.
     *
     * @param index the index to export at
     * @return the exported key
     */
    public ExportedSessionKey exportAt(long index) {
        MegolmOutboundSession.checkIndex(index);
        MemorySegment s = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ExportedSessionKey.LENGTH);
            try {
                NativeStatus.check(panolm_megolm_h.panolm_megolm_inbound_export(s, (int) index, out),
                        "export of session " + sessionId + " at index " + index);
                byte[] bytes = out.toArray(JAVA_BYTE);
                ExportedSessionKey key = new ExportedSessionKey(bytes);
                Arrays.fill(bytes, (byte) 0);
                return key;
            } finally {
                out.fill((byte) 0);
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Same as {@link #exportAt(long)}, named as libolm names it.
     *
     * @param index the index to export at
     * @return the exported key
     */
    public ExportedSessionKey export(long index) {
        return exportAt(index);
    }

    /**
     * The export at the first known index.
     *
     * @return the exported key
     */
    public ExportedSessionKey export() {
        return exportAt(firstKnownIndex);
    }

    /**
     * Binds this session to a room: events of any other room are then refused. A session is bound at most
     * once; binding it to another room fails with {@link Status#ROOM_MISMATCH}.
     *
     * @param roomId the room
     */
    public void bindToRoom(String roomId) {
        if (roomId == null || roomId.isEmpty()) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room id is empty");
        }
        byte[] room = roomId.getBytes(StandardCharsets.UTF_8);
        MemorySegment s = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            NativeStatus.check(panolm_megolm_h.panolm_megolm_inbound_bind_room(s, arena.allocateFrom(JAVA_BYTE, room),
                    room.length), "session " + sessionId + " bound to room " + roomId);
            this.roomId = roomId;
        } finally {
            handle.release();
        }
    }

    /**
     * The room the session is bound to.
     *
     * @return the room, or empty when not bound
     */
    public Optional<String> roomId() {
        return Optional.ofNullable(roomId);
    }

    /**
     * How many message indices the session remembers for replay detection.
     *
     * @return the number of indices
     */
    public long replayEntries() {
        MemorySegment s = handle.acquire();
        try {
            return panolm_megolm_h.panolm_megolm_inbound_replay_entries(s);
        } finally {
            handle.release();
        }
    }

    /**
     * Native memory the replay table occupies, in bytes (about 15 to 18 per index remembered).
     *
     * @return the table's size in bytes
     */
    public long replayTableBytes() {
        MemorySegment s = handle.acquire();
        try {
            return panolm_megolm_h.panolm_megolm_inbound_replay_bytes(s);
        } finally {
            handle.release();
        }
    }

    /**
     * Decrypts the base64 {@code ciphertext} of an event, without replay or room checks.
     *
     * @param ciphertext the base64 ciphertext
     * @return the plaintext and its index
     */
    public DecryptedMessage decrypt(String ciphertext) {
        return decrypt(ciphertext, null, null);
    }

    /**
     * Decrypts the base64 {@code ciphertext} of event {@code eventId} in room {@code roomId}, with the
     * replay and room checks (either may be null to skip that check). Replays, one event at a time: the
     * first event id this session decrypted at an index stays valid, another one is
     * {@link org.panolm.Status#REPLAYED_INDEX} and from then on flags the index for both; for verdicts that do
     * not depend on arrival order, decrypt histories through a {@link BulkDecryptor} (and a {@link ReplayScan}).
     *
     * @param ciphertext the base64 ciphertext
     * @param eventId the event id, or null
     * @param roomId the event's room, or null
     * @return the plaintext and its index
     */
    public DecryptedMessage decrypt(String ciphertext, @Nullable String eventId, @Nullable String roomId) {
        return decrypt(ciphertext.getBytes(StandardCharsets.ISO_8859_1), eventId, roomId);
    }

    /**
     * As {@link #decrypt(String, String, String)}, with the ciphertext as ASCII bytes.
     *
     * @param ciphertextAscii the base64 ciphertext as ASCII bytes
     * @param eventId the event id, or null
     * @param roomId the event's room, or null
     * @return the plaintext and its index
     */
    public DecryptedMessage decrypt(byte[] ciphertextAscii, @Nullable String eventId, @Nullable String roomId) {
        byte[] event = eventId == null ? new byte[0] : eventId.getBytes(StandardCharsets.UTF_8);
        byte[] room = roomId == null ? new byte[0] : roomId.getBytes(StandardCharsets.UTF_8);
        long cap = panolm_megolm_h.panolm_megolm_decrypt_max_plaintext_length(ciphertextAscii.length);
        MemorySegment s = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, ciphertextAscii);
            MemorySegment ev = arena.allocateFrom(JAVA_BYTE, event);
            MemorySegment rm = arena.allocateFrom(JAVA_BYTE, room);
            MemorySegment out = arena.allocate(cap);
            MemorySegment outLen = arena.allocate(JAVA_LONG);
            MemorySegment index = arena.allocate(JAVA_INT);
            index.set(JAVA_INT, 0, -1);
            int rc = panolm_megolm_h.panolm_megolm_inbound_decrypt(s, in, in.byteSize(), ev, event.length, rm,
                    room.length, out, cap, outLen, index);
            if (rc != 0) {
                throw failure(rc, eventId, rc == Status.BAD_BASE64.code() || rc == Status.BAD_VERSION.code()
                        || rc == Status.TRUNCATED.code() || rc == Status.BAD_MESSAGE_FORMAT.code()
                        || rc == Status.TOO_LARGE.code() ? -1 : Integer.toUnsignedLong(index.get(JAVA_INT, 0)));
            }
            MemorySegment plain = out.asSlice(0, outLen.get(JAVA_LONG, 0));
            byte[] plaintext = plain.toArray(JAVA_BYTE);
            out.fill((byte) 0);
            return new DecryptedMessage(plaintext, Integer.toUnsignedLong(index.get(JAVA_INT, 0)), provenance);
        } finally {
            handle.release();
        }
    }

    private PanolmException failure(int rc, String eventId, long index) {
        Status status = Status.fromCode(rc);
        String reason = status == Status.UNKNOWN_INDEX && index >= 0
                ? status.description() + " (first known index " + firstKnownIndex + ")" : status.description();
        return new PanolmException(status, new ErrorDetail("session " + sessionId, eventId, null,
                index >= 0 ? index : null, reason));
    }

    /** For the batch: the address under a lease. */
    MemorySegment acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Wipes and frees the native session (after any batch still using it returns). Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "MegolmInboundSession[" + sessionId + ", first index " + firstKnownIndex + ", " + provenance.source()
                + "]";
    }
}
