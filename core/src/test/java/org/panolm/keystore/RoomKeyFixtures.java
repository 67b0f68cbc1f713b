package org.panolm.keystore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/** Random but well-formed Megolm sessions (real Ed25519 keys, so other implementations import them). */
public final class RoomKeyFixtures {
    private RoomKeyFixtures() {}

    public static ExportedRoomKey randomKey(String roomId, long firstIndex) {
        byte[] bytes = new byte[ExportedSessionKey.LENGTH];
        bytes[0] = 1;
        ByteBuffer.wrap(bytes, 1, 4).putInt((int) firstIndex);
        System.arraycopy(SecureRandomBytes.next(128), 0, bytes, 5, 128);
        byte[] signing = Ed25519.publicKey(SecureRandomBytes.next(32));
        System.arraycopy(signing, 0, bytes, 133, 32);
        ExportedSessionKey key = new ExportedSessionKey(bytes);
        String sender = MatrixBase64.encode(X25519.publicKey(SecureRandomBytes.next(32)));
        String claimed = MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
        return new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, roomId, sender, key.sessionId(), key.toBase64(),
                Map.of("ed25519", claimed), List.of(), null);
    }

    /** The same session (same ratchet and signing key) exported at a later index is not derivable here, so
     * a "worse" copy keeps the key and only changes the recorded metadata. */
    public static RoomKeyRecord record(String roomId, long firstIndex, boolean verified, long forwardedCount) {
        return RoomKeyRecord.of(randomKey(roomId, firstIndex), verified, forwardedCount);
    }
}
