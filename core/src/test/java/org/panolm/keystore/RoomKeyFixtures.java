package org.panolm.keystore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/**
 * Random but well-formed Megolm sessions (real Ed25519 keys, so other implementations import them). Each
 * session's ratchet at index 0 is remembered, so the same session can be exported again at any index
 * ({@link #sameSession}); {@link #forged} makes what an attacker who knows only the session id can make.
 */
public final class RoomKeyFixtures {
    private RoomKeyFixtures() {}

    /** Provenances for tests: one authenticated (from the sender's device over Olm), one not (a backup). */
    public static final KeyProvenance AUTHENTICATED = new KeyProvenance.ReceivedOverOlm("@alice:example.org",
            "ALICE", "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI", KeyProvenance.DeviceCheck.KEYS_MATCH);
    public static final KeyProvenance UNAUTHENTICATED = new KeyProvenance.RestoredFromBackup("1", false);

    private static final Map<String, ExportedSessionKey> ORIGINS = new ConcurrentHashMap<>();

    public static ExportedRoomKey randomKey(String roomId, long firstIndex) {
        byte[] bytes = new byte[ExportedSessionKey.LENGTH];
        bytes[0] = 1;
        System.arraycopy(SecureRandomBytes.next(128), 0, bytes, 5, 128);
        byte[] signing = Ed25519.publicKey(SecureRandomBytes.next(32));
        System.arraycopy(signing, 0, bytes, 133, 32);
        ExportedSessionKey origin = new ExportedSessionKey(bytes);
        ORIGINS.put(origin.sessionId(), origin);
        String sender = MatrixBase64.encode(X25519.publicKey(SecureRandomBytes.next(32)));
        String claimed = MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
        ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, roomId, sender, origin.sessionId(),
                origin.toBase64(), Map.of("ed25519", claimed), List.of(), null);
        return firstIndex == 0 ? key : sameSession(key, firstIndex);
    }

    /** The same session (same ratchet, same metadata) exported at {@code index}. */
    public static ExportedRoomKey sameSession(ExportedRoomKey key, long index) {
        ExportedSessionKey origin = ORIGINS.get(key.sessionId());
        if (origin == null) throw new IllegalArgumentException("not a fixture session");
        try (MegolmInboundSession s = MegolmInboundSession.importSession(origin)) {
            return key.withSessionKey(s.exportAt(index).toBase64());
        }
    }

    /** A copy of the session with the right id and signing key but a random ratchet, at {@code index}. */
    public static ExportedRoomKey forged(ExportedRoomKey key, long index) {
        byte[] b = key.exportedSessionKey().bytes();
        ByteBuffer.wrap(b, 1, 4).putInt((int) index);
        System.arraycopy(SecureRandomBytes.next(128), 0, b, 5, 128);
        return key.withSessionKey(new ExportedSessionKey(b).toBase64());
    }

    public static RoomKeyRecord record(String roomId, long firstIndex, KeyProvenance provenance, long forwardedCount) {
        return RoomKeyRecord.of(randomKey(roomId, firstIndex), provenance, forwardedCount);
    }

    /** Record {@code r}'s session (the same ratchet) at another index, with other metadata. */
    public static RoomKeyRecord at(RoomKeyRecord r, long index, KeyProvenance provenance, long forwardedCount) {
        return RoomKeyRecord.of(sameSession(r.key(), index), provenance, forwardedCount);
    }
}
