package org.panolm.client.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/** Random well-formed Megolm sessions (real Ed25519 signing keys), as a device would hold them. */
final class TestKeys {
    private TestKeys() {}

    static final KeyProvenance FROM_SENDER = new KeyProvenance.ReceivedOverOlm("@bob:localhost", "BOB",
            MatrixBase64.encode(X25519.publicKey(SecureRandomBytes.next(32))), KeyProvenance.DeviceCheck.KEYS_MATCH);

    static RoomKeyRecord random(String roomId) {
        byte[] bytes = new byte[ExportedSessionKey.LENGTH];
        bytes[0] = 1;
        System.arraycopy(SecureRandomBytes.next(128), 0, bytes, 5, 128);
        System.arraycopy(Ed25519.publicKey(SecureRandomBytes.next(32)), 0, bytes, 133, 32);
        ExportedSessionKey sk = new ExportedSessionKey(bytes);
        ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, roomId,
                MatrixBase64.encode(X25519.publicKey(SecureRandomBytes.next(32))), sk.sessionId(), sk.toBase64(),
                Map.of("ed25519", MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)))), List.of(), null);
        return RoomKeyRecord.of(key, FROM_SENDER, 0);
    }

    static List<RoomKeyRecord> random(int n, int rooms) {
        List<RoomKeyRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(random("!room" + (i % rooms) + ":localhost"));
        return out;
    }
}
