package org.panolm.benchmarks.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;

/**
 * Room keys as backups and export files hold them, of the real shape: export-format session keys
 * (index 0, random ratchet, a real Ed25519 key whose base64 is the session id), spread over 200 rooms.
 */
public final class RoomKeyCorpus {
    private RoomKeyCorpus() {}

    public static List<ExportedRoomKey> keys(int count) {
        String senderKey = MatrixBase64.encode(SecureRandomBytes.next(32));
        String claimed = MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
        List<ExportedRoomKey> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(key("!room" + (i % 200) + ":x.y", senderKey, claimed));
        return out;
    }

    private static ExportedRoomKey key(String roomId, String senderKey, String claimed) {
        byte[] key = new byte[165];
        key[0] = 1; // version 1, index 0
        System.arraycopy(SecureRandomBytes.next(128), 0, key, 5, 128);
        byte[] signing = Ed25519.publicKey(SecureRandomBytes.next(32));
        System.arraycopy(signing, 0, key, 133, 32);
        String sessionKey = MatrixBase64.encode(key);
        Arrays.fill(key, (byte) 0);
        return new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, roomId, senderKey, MatrixBase64.encode(signing),
                sessionKey, Map.of("ed25519", claimed), List.of(), null);
    }
}
